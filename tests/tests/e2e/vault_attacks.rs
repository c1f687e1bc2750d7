//! End-to-end attacks on the staking vault (real wasm on the devnode, through JSON-RPC only):
//! * a same-block sandwich of an instant `distribute` (deposit right before it in the same block,
//!   claim and redeem right after) must not capture the distribution;
//! * reentrancy through an ERC-777-like hook token (`tests/solidity/src/HookToken.sol`) used as
//!   the asset and as a reward token: the attacker contract re-enters deposit / redeem / claim
//!   from its hooks; every reentry is refused and the accounting stays exact;
//! * a fee-on-transfer asset and reward token (`test-token-fee-on-transfer`): only what arrived
//!   is credited (or the transfer is rejected); the vault never owes more than it holds.
//!
//! Set `STYLUS_RPC_URL` + `PRIVATE_KEY` to run on another node (see `e2e::node`): the same-block
//! sandwich is skipped there (it needs evm_setAutomine), time-dependent amounts are weakened.

use alloy::{
    primitives::{Address, Bytes, U256},
    providers::{DynProvider, Provider},
    signers::local::PrivateKeySigner,
    sol_types::{SolCall, SolValue},
};
use anyhow::{Context, Result};
use e2e::{
    abi::{IHookAttacker, IHookToken, IStakingVault, IStakingVaultRewardsFacet, ITestToken},
    deploy_activated, node, provider, solidity,
};

const DAY: u64 = 24 * 3600;
const WEEK: u64 = 7 * DAY;
const E18: u128 = 1_000_000_000_000_000_000;

fn units(n: u128) -> U256 {
    U256::from(n) * U256::from(E18)
}

/// Sends a binding's call and requires success.
macro_rules! send {
    ($call:expr) => {{
        let receipt = $call
            .send()
            .await
            .with_context(|| format!("sending {}", stringify!($call)))?
            .get_receipt()
            .await?;
        anyhow::ensure!(
            receipt.status(),
            "transaction reverted: {}",
            stringify!($call)
        );
        receipt
    }};
}

/// Time travel through the one helper (`e2e::time_travel`): `false` on an external node, where
/// the clock cannot be moved.
async fn advance(p: &DynProvider, secs: u64) -> Result<bool> {
    e2e::time_travel(p, secs).await
}

/// Deploys a Stylus test token (`artifact`: test-token or a variant) and initialises it.
async fn stylus_token(p: &DynProvider, artifact: &str, symbol: &str) -> Result<Address> {
    let t = deploy_activated(p, artifact).await?;
    send!(ITestToken::new(t, p).initialize(symbol.into(), symbol.into(), 18));
    Ok(t)
}

/// Deploys our vault over `asset` with `owner` as its owner: the rewards facet (CREATE +
/// activation), then the vault constructed atomically through the StylusDeployer.
async fn stylus_vault(p: &DynProvider, asset: Address, owner: Address) -> Result<Address> {
    let facet = deploy_activated(p, "staking-vault-rewards-facet").await?;
    e2e::deploy_vault(p, asset, owner, facet).await
}

/// The node's keys sorted by address. The devnode mines a block's pending transactions ordered
/// by (sender, nonce), so a lower address lands first in a shared block.
fn sorted_keys(keys: &[PrivateKeySigner]) -> Vec<PrivateKeySigner> {
    let mut k = keys.to_vec();
    k.sort_by_key(|s| s.address());
    k
}

/// Same-block sandwich of an instant distribution: Alice holds 1,000 shares' worth, the attacker
/// deposits 999,000 in the block of the owner's `distribute(1,000,000)`, just before it, then
/// claims and redeems in the next block. The attacker must not capture the distribution (under
/// an instant credit to holders of the moment it would take 99.9%); Alice, who held through,
/// ends up with nearly all of it.
#[tokio::test(flavor = "multi_thread")]
async fn same_block_sandwich_of_distribute_captures_nothing() -> Result<()> {
    let node = node()?;
    if node.is_external() {
        // Two transactions of two senders in one block, in a chosen order, need the node's
        // mining under control (evm_setAutomine / evm_mine).
        e2e::skipped("needs a block built on demand (evm_setAutomine, evm_mine)");
        return Ok(());
    }
    anyhow::ensure!(node.keys.len() >= 3, "need three funded accounts");
    let keys = sorted_keys(&node.keys);
    // Lowest address: the attacker (mined first in the shared block); highest: the owner.
    let (attacker_key, alice_key, owner_key) = (
        keys[0].clone(),
        keys[1].clone(),
        keys[keys.len() - 1].clone(),
    );
    let (attacker, alice, owner) = (
        attacker_key.address(),
        alice_key.address(),
        owner_key.address(),
    );
    let po = provider(&node.url, owner_key)?;
    let pa = provider(&node.url, alice_key)?;
    let px = provider(&node.url, attacker_key)?;

    let asset = stylus_token(&po, "test-token", "AST").await?;
    let reward = stylus_token(&po, "test-token", "RWD").await?;
    let vault = stylus_vault(&po, asset, owner).await?;
    let r = IStakingVaultRewardsFacet::new(vault, &po);
    send!(r.addReward_0(reward, owner, U256::from(WEEK)));

    let t = |a| ITestToken::new(a, &po);
    send!(t(asset).mint(alice, units(1_000)));
    send!(t(asset).mint(attacker, units(999_000)));
    send!(t(reward).mint(owner, units(1_000_000)));
    send!(ITestToken::new(asset, &pa).approve(vault, U256::MAX));
    send!(ITestToken::new(asset, &px).approve(vault, U256::MAX));
    send!(t(reward).approve(vault, U256::MAX));
    send!(IStakingVault::new(vault, &pa).deposit(units(1_000), alice));
    advance(&po, 60).await?;

    // One block: the attacker's deposit, then the owner's distribute.
    e2e::set_automine(&po, false).await?;
    let sandwich = async {
        let dep = IStakingVault::new(vault, &px)
            .deposit(units(999_000), attacker)
            .gas(3_000_000)
            .send()
            .await?;
        let dist = r
            .distribute_0(reward, units(1_000_000))
            .gas(3_000_000)
            .send()
            .await?;
        e2e::mine(&po).await?;
        anyhow::Ok((*dep.tx_hash(), *dist.tx_hash()))
    }
    .await;
    e2e::set_automine(&po, true).await?;
    let (dep, dist) = sandwich?;
    let dep = po
        .get_transaction_receipt(dep)
        .await?
        .context("deposit not mined")?;
    let dist = po
        .get_transaction_receipt(dist)
        .await?
        .context("distribute not mined")?;
    anyhow::ensure!(
        dep.status() && dist.status(),
        "sandwich transactions reverted"
    );
    assert_eq!(dep.block_number, dist.block_number, "not one block");
    assert!(
        dep.transaction_index < dist.transaction_index,
        "the deposit must precede the distribution"
    );

    // Next block: the attacker takes what it can and leaves.
    let vx = IStakingVault::new(vault, &px);
    let rx = IStakingVaultRewardsFacet::new(vault, &px);
    send!(rx.claimAll_0(attacker));
    let shares = vx.balanceOf(attacker).call().await?;
    send!(vx.redeem(shares, attacker, attacker));
    let taken = t(reward).balanceOf(attacker).call().await?;
    let back = t(asset).balanceOf(attacker).call().await?;
    let distributed = units(1_000_000);
    assert!(
        taken * U256::from(100) < distributed,
        "the sandwich captured {taken} of {distributed} (>= 1%)"
    );
    assert!(
        back <= units(999_000),
        "the attacker's principal grew: {back}"
    );

    // Alice, who held through, gets (nearly) all of it once the distribution has played out.
    advance(&po, 4 * WEEK).await?;
    let ra = IStakingVaultRewardsFacet::new(vault, &pa);
    send!(ra.claimAll_0(alice));
    let got = t(reward).balanceOf(alice).call().await?;
    assert!(
        got + taken <= distributed,
        "paid out more than distributed: {got} + {taken}"
    );
    assert!(
        got * U256::from(100) >= distributed * U256::from(98),
        "alice received only {got} of {distributed}"
    );
    Ok(())
}

/// The attack fixture: a hook token as the vault's asset, another as a reward token, an attacker
/// contract registered as its own hook on both and holding assets.
struct HookFixture {
    _node: e2e::Node,
    po: DynProvider,
    px: DynProvider,
    vault: Address,
    asset: Address,
    reward: Address,
    attacker: Address,
}

/// Which vault the hook fixture attacks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    /// Our Stylus vault (and its rewards facet).
    Stylus,
    /// The Solidity twin (transient-storage reentrancy guard).
    Twin,
    /// The twin without its guard: the positive control.
    UnguardedTwin,
}

async fn hook_fixture(target: Target) -> Result<HookFixture> {
    let node = node()?;
    let (owner_key, attacker_key) = (node.keys[0].clone(), node.keys[1].clone());
    let owner = owner_key.address();
    let po = provider(&node.url, owner_key)?;
    let px = provider(&node.url, attacker_key)?;
    let asset = solidity::deploy(&po, "HookToken", &[]).await?;
    let reward = solidity::deploy(&po, "HookToken", &[]).await?;
    let args = (asset, "Staked".to_string(), "sTKN".to_string(), owner).abi_encode_params();
    let vault = match target {
        Target::Stylus => stylus_vault(&po, asset, owner).await?,
        Target::Twin => solidity::deploy(&po, "TwinVault", &args).await?,
        Target::UnguardedTwin => solidity::deploy(&po, "UnguardedTwinVault", &args).await?,
    };
    let attacker = solidity::deploy(&px, "HookAttacker", &[]).await?;
    let a = IHookAttacker::new(attacker, &px);
    for token in [asset, reward] {
        let set = IHookToken::setHookCall { hook: attacker }.abi_encode();
        send!(a.execute(token, set.into()));
    }
    let approve = IHookToken::approveCall {
        spender: vault,
        value: U256::MAX,
    }
    .abi_encode();
    send!(a.execute(asset, approve.into()));
    send!(IHookToken::new(asset, &po).mint(attacker, units(1_000)));
    Ok(HookFixture {
        _node: node,
        po,
        px,
        vault,
        asset,
        reward,
        attacker,
    })
}

impl HookFixture {
    fn attacker(&self) -> IHookAttacker::IHookAttackerInstance<&DynProvider> {
        IHookAttacker::new(self.attacker, &self.px)
    }

    /// Arms the reentry `call` into the vault, then makes the attacker run `action` on the vault.
    async fn attack(&self, reentry: Vec<u8>, action: Vec<u8>) -> Result<(bool, Bytes)> {
        let a = self.attacker();
        send!(a.arm(self.vault, reentry.into()));
        send!(a.execute(self.vault, action.into()));
        let r = a.reentry().call().await?;
        assert!(
            r.attempted,
            "the hook never fired: the attack did not happen"
        );
        Ok((r.succeeded, r.result))
    }

    /// Exact accounting: the vault's books equal its token balance, and shares match the
    /// attacker's holdings.
    async fn assert_books(&self, want_assets: U256) -> Result<()> {
        let v = IStakingVault::new(self.vault, &self.po);
        let held = IHookToken::new(self.asset, &self.po)
            .balanceOf(self.vault)
            .call()
            .await?;
        assert_eq!(v.totalAssets().call().await?, want_assets, "totalAssets");
        assert_eq!(held, want_assets, "asset balance of the vault");
        assert_eq!(
            v.totalSupply().call().await?,
            v.balanceOf(self.attacker).call().await?,
            "the attacker is the only holder"
        );
        let worth = IStakingVaultRewardsFacet::new(self.vault, &self.po)
            .convertToAssets(v.totalSupply().call().await?)
            .call()
            .await?;
        assert!(worth <= want_assets, "shares worth {worth} > {want_assets}");
        Ok(())
    }
}

/// Reentry from the asset's hooks: into `deposit` while the deposit's `transferFrom` runs (ERC-777
/// `tokensToSend`, before the shares are minted) and into `redeem` while a withdrawal pays out
/// (`tokensReceived`). Both are refused; the outer actions complete with exact books.
#[tokio::test(flavor = "multi_thread")]
async fn hook_token_reentry_into_deposit_and_withdraw_is_refused() -> Result<()> {
    let f = hook_fixture(Target::Stylus).await?;
    reentry_into_deposit_and_withdraw(&f).await
}

/// The same attack on the Solidity twin: refused by its guard, with the named error.
#[tokio::test(flavor = "multi_thread")]
async fn hook_token_reentry_is_refused_by_the_twin_guard() -> Result<()> {
    let f = hook_fixture(Target::Twin).await?;
    reentry_into_deposit_and_withdraw(&f).await?;
    let r = f.attacker().reentry().call().await?;
    assert_eq!(
        r.result.get(..4),
        Some(&alloy::primitives::keccak256("ReentrancyGuardReentrantCall()")[..4])
    );
    Ok(())
}

/// Positive control: without a guard the harness's reentry goes through (nested deposit), so
/// the refusals above are the vaults' doing, not a harness that never re-enters.
#[tokio::test(flavor = "multi_thread")]
async fn hook_token_reentry_succeeds_on_an_unguarded_vault() -> Result<()> {
    let f = hook_fixture(Target::UnguardedTwin).await?;
    let me = f.attacker;
    let deposit = |assets| {
        IStakingVault::depositCall {
            assets,
            receiver: me,
        }
        .abi_encode()
    };
    let (ok, _) = f.attack(deposit(units(10)), deposit(units(100))).await?;
    assert!(ok, "the unguarded vault refused the reentrant deposit");
    f.assert_books(units(110)).await?;
    Ok(())
}

async fn reentry_into_deposit_and_withdraw(f: &HookFixture) -> Result<()> {
    let me = f.attacker;
    let deposit = |assets| {
        IStakingVault::depositCall {
            assets,
            receiver: me,
        }
        .abi_encode()
    };

    let (ok, data) = f.attack(deposit(units(10)), deposit(units(100))).await?;
    assert!(!ok, "reentrant deposit succeeded (returned {data})");
    f.assert_books(units(100)).await?;
    let shares = IStakingVault::new(f.vault, &f.po)
        .balanceOf(me)
        .call()
        .await?;
    assert_eq!(
        shares,
        units(100) * U256::from(1_000),
        "shares of the deposit"
    );

    let redeem = IStakingVault::redeemCall {
        shares: units(10) * U256::from(1_000),
        receiver: me,
        owner: me,
    }
    .abi_encode();
    let withdraw = IStakingVault::withdrawCall {
        assets: units(40),
        receiver: me,
        owner: me,
    }
    .abi_encode();
    let (ok, data) = f.attack(redeem, withdraw).await?;
    assert!(!ok, "reentrant redeem succeeded (returned {data})");
    f.assert_books(units(60)).await?;
    let asset_bal = IHookToken::new(f.asset, &f.po).balanceOf(me).call().await?;
    assert_eq!(asset_bal, units(940), "the attacker's assets");
    Ok(())
}

/// Reentry from a reward token's hook: `claimAll` re-entered while the first claim pays out (a
/// second payout of the same accrual) and `deposit` re-entered from the same hook (a balance
/// change in the middle of a claim). Refused; the attacker is paid exactly once.
#[tokio::test(flavor = "multi_thread")]
async fn hook_token_reentry_into_claim_is_refused() -> Result<()> {
    let f = hook_fixture(Target::Stylus).await?;
    let me = f.attacker;
    let owner = IStakingVaultRewardsFacet::new(f.vault, &f.po)
        .owner()
        .call()
        .await?;
    let r = IStakingVaultRewardsFacet::new(f.vault, &f.po);
    send!(r.addReward_0(f.reward, owner, U256::from(WEEK)));
    let reward = IHookToken::new(f.reward, &f.po);
    send!(reward.mint(owner, units(7_000)));
    send!(reward.approve(f.vault, U256::MAX));
    send!(f.attacker().execute(
        f.vault,
        IStakingVault::depositCall {
            assets: units(100),
            receiver: me
        }
        .abi_encode()
        .into()
    ));
    send!(r.notifyRewardAmount_0(f.reward, units(7_000)));
    let traveled = advance(&f.po, DAY).await?;

    let claim_all = IStakingVaultRewardsFacet::claimAll_0Call { to: me }.abi_encode();
    let (ok, data) = f.attack(claim_all.clone(), claim_all.clone()).await?;
    assert!(!ok, "reentrant claimAll succeeded (returned {data})");
    let paid = reward.balanceOf(me).call().await?;
    if traveled {
        assert!(paid > U256::ZERO, "nothing was claimed");
        // About one day of a week-long 7,000 stream (a few seconds more: block times).
        assert!(
            paid <= units(1_001),
            "claimed {paid}: more than one day's stream"
        );
        assert!(
            paid >= units(999),
            "claimed {paid}: less than one day's stream"
        );
    } else {
        e2e::skipped("one day's stream: the claim is only checked to be paid once");
    }
    let left = r.earned_0(me, f.reward).call().await?;
    assert_eq!(left, U256::ZERO, "a claim left rewards accrued");
    assert_eq!(
        reward.balanceOf(f.vault).call().await? + paid,
        units(7_000),
        "reward tokens out of the vault other than the claim"
    );

    advance(&f.po, DAY).await?;
    let deposit = IStakingVault::depositCall {
        assets: units(10),
        receiver: me,
    }
    .abi_encode();
    let (ok, data) = f.attack(deposit, claim_all).await?;
    assert!(
        !ok,
        "deposit re-entered from a claim succeeded (returned {data})"
    );
    f.assert_books(units(100)).await?;
    Ok(())
}

/// A fee-on-transfer asset: the vault credits only what arrived (or rejects the deposit); it
/// never books more assets than it holds, and the depositor can always exit.
#[tokio::test(flavor = "multi_thread")]
async fn fee_on_transfer_asset_credits_only_what_arrived() -> Result<()> {
    let node = node()?;
    let (owner_key, alice_key) = (node.keys[0].clone(), node.keys[1].clone());
    let (owner, alice) = (owner_key.address(), alice_key.address());
    let po = provider(&node.url, owner_key)?;
    let pa = provider(&node.url, alice_key)?;
    let asset = stylus_token(&po, "test-token-fee-on-transfer", "FOT").await?;
    let vault = stylus_vault(&po, asset, owner).await?;
    let t = ITestToken::new(asset, &po);
    send!(t.mint(alice, units(1_000)));
    send!(ITestToken::new(asset, &pa).approve(vault, U256::MAX));
    let v = IStakingVault::new(vault, &pa);

    let sent = units(1_000);
    let accepted = match v.deposit(sent, alice).call().await {
        Ok(_) => {
            send!(v.deposit(sent, alice));
            true
        }
        Err(e) => {
            // Rejected: with the named error, reporting what arrived.
            let err = e
                .as_decoded_error::<IStakingVault::VaultAssetShortfall>()
                .with_context(|| format!("rejected without VaultAssetShortfall: {e}"))?;
            assert_eq!((err._0, err._1), (sent, sent - sent / U256::from(100)));
            false
        }
    };
    let held = t.balanceOf(vault).call().await?;
    let booked = v.totalAssets().call().await?;
    let shares = v.balanceOf(alice).call().await?;
    if accepted {
        assert_eq!(
            held,
            sent - sent / U256::from(100),
            "1% fee taken in transit"
        );
        assert_eq!(booked, held, "booked {booked} but holds {held}");
        assert_eq!(shares, held * U256::from(1_000), "shares for what arrived");
        send!(v.redeem(shares, alice, alice));
        assert_eq!(v.totalAssets().call().await?, U256::ZERO);
    } else {
        assert_eq!((held, booked, shares), (U256::ZERO, U256::ZERO, U256::ZERO));
    }
    Ok(())
}

/// A fee-on-transfer reward token: the stream is funded with what arrived (or the funding is
/// rejected), so claims never exceed the vault's reward balance.
#[tokio::test(flavor = "multi_thread")]
async fn fee_on_transfer_reward_streams_only_what_arrived() -> Result<()> {
    let node = node()?;
    let (owner_key, alice_key) = (node.keys[0].clone(), node.keys[1].clone());
    let (owner, alice) = (owner_key.address(), alice_key.address());
    let po = provider(&node.url, owner_key)?;
    let pa = provider(&node.url, alice_key)?;
    let asset = stylus_token(&po, "test-token", "AST").await?;
    let reward = stylus_token(&po, "test-token-fee-on-transfer", "FOT").await?;
    let vault = stylus_vault(&po, asset, owner).await?;
    let r = IStakingVaultRewardsFacet::new(vault, &po);
    send!(r.addReward_0(reward, owner, U256::from(WEEK)));
    send!(ITestToken::new(asset, &po).mint(alice, units(100)));
    send!(ITestToken::new(asset, &pa).approve(vault, U256::MAX));
    send!(IStakingVault::new(vault, &pa).deposit(units(100), alice));
    let rt = ITestToken::new(reward, &po);
    send!(rt.mint(owner, units(7_000)));
    send!(rt.approve(vault, U256::MAX));

    let funded = units(7_000);
    let accepted = match r.notifyRewardAmount_0(reward, funded).send().await {
        Ok(p) => p.get_receipt().await?.status(),
        Err(_) => false,
    };
    let held = rt.balanceOf(vault).call().await?;
    if !accepted {
        assert_eq!(held, U256::ZERO);
        return Ok(());
    }
    assert_eq!(
        held,
        funded - funded / U256::from(100),
        "1% fee taken in transit"
    );
    let data = r.rewardData_0(reward).call().await?;
    // rate (x1e18) * duration never exceeds what arrived (x1e18).
    assert!(
        data._3 * U256::from(WEEK) <= held * U256::from(E18),
        "stream of {} x1e18/s over a week exceeds the {held} held",
        data._3
    );
    let traveled = advance(&po, 2 * WEEK).await?;
    let owed = r.earned_0(alice, reward).call().await?;
    assert!(owed <= held, "owes {owed} but holds {held}");
    send!(IStakingVaultRewardsFacet::new(vault, &pa).claimAll_0(alice));
    let paid = rt.balanceOf(alice).call().await?;
    assert!(paid <= held, "paid {paid} but held {held}");
    if traveled {
        assert!(paid > U256::ZERO, "nothing paid after the stream ran");
    }
    Ok(())
}
