//! End-to-end tests of the zap (`tests/solidity/src/integrations/Zap.sol`, Solidity written
//! against the generated interfaces of `abi/`) driving the real Stylus programs: the pool core
//! and router (`e2e::deploy_amm_core`, `e2e::deploy_router`) and a staking vault whose asset is the
//! pair's LP token (`e2e::deploy_vault`). One call takes token A, swaps part of it for B through
//! the router, adds liquidity and stakes the LP tokens for the user:
//! * every amount (swap, output, the router's take, LP minted, shares, refunds) equals the V2
//!   formulas computed here, to the wei; the vault holds for the user exactly what the pair
//!   minted; the zap keeps nothing and leaves no allowance behind;
//! * slippage bounds and bad inputs revert with named errors (the router's
//!   `InsufficientOutputAmount`, the zap's own) and move nothing;
//! * a token hook (ERC-777-style `HookToken` paid in) re-entering the zap mid-zap is refused
//!   with `ZapReentrant`, and the outer zap stakes exactly one position.
//!
//! Runs on the embedded devnode, or on any node given `STYLUS_RPC_URL` + `PRIVATE_KEY` (no
//! `evm_*` call is needed).
#![allow(clippy::too_many_arguments)] // generated: the Zapped event has twelve fields

use alloy::{
    primitives::{Address, U256},
    providers::{DynProvider, Provider},
    sol,
    sol_types::{SolCall, SolError, SolValue},
};
use anyhow::{ensure, Context, Result};
use e2e::{
    abi::{
        IHookAttacker, IHookToken, IPoolFactory, IPoolRouter, IStakingVault,
        IStakingVaultRewardsFacet, ITestToken,
    },
    amm::{self, IUniswapV2Pair},
    deploy_activated, deploy_amm_core, deploy_router, deploy_vault, deploy_weth, node, provider,
    send, solidity,
};

sol!(
    #[sol(rpc, all_derives)]
    "solidity/src/integrations/IZap.sol"
);

const E18: u128 = 1_000_000_000_000_000_000;

fn units(n: u128) -> U256 {
    U256::from(n) * U256::from(E18)
}

/// The pool, the vault over its A/B pair, the zap, and Alice holding A.
struct World {
    _node: e2e::Node,
    po: DynProvider,
    pa: DynProvider,
    alice: Address,
    router: Address,
    a: Address,
    b: Address,
    pair: Address,
    vault: Address,
    zap: Address,
    deadline: U256,
}

impl World {
    /// The world with A a Stylus test token, or (`hook_token`) the ERC-777-style `HookToken`.
    async fn new(hook_token: bool) -> Result<World> {
        let node = node()?;
        let (owner_key, alice_key) = (node.keys[0].clone(), node.keys[1].clone());
        let (owner, alice) = (owner_key.address(), alice_key.address());
        let po = provider(&node.url, owner_key)?;
        let pa = provider(&node.url, alice_key)?;

        let core = deploy_amm_core(&po, owner).await?;
        let weth = deploy_weth(&po).await?;
        let router = deploy_router(&po, core.factory, weth).await?;
        let a = if hook_token {
            solidity::deploy(&po, "HookToken", &[]).await?
        } else {
            amm::token(&po, "test-token", "A").await?
        };
        let b = amm::token(&po, "test-token", "B").await?;
        let now = po
            .get_block_by_number(Default::default())
            .await?
            .context("latest block")?
            .header
            .timestamp;
        let deadline = U256::from(now + 3_600);

        // Seed the pair: 10,000 A : 40,000 B (the router creates it).
        for (t, n) in [(a, 10_000), (b, 40_000)] {
            send!(ITestToken::new(t, &po).mint(owner, units(n)));
            send!(ITestToken::new(t, &po).approve(router, U256::MAX));
        }
        send!(IPoolRouter::new(router, &po).addLiquidity(
            a,
            b,
            units(10_000),
            units(40_000),
            U256::ZERO,
            U256::ZERO,
            owner,
            deadline
        ));
        let pair = IPoolFactory::new(core.factory, &po)
            .getPair(a, b)
            .call()
            .await?;
        ensure!(pair != Address::ZERO, "no pair");

        let facet = deploy_activated(&po, "staking-vault-rewards-facet").await?;
        let vault = deploy_vault(&po, pair, owner, facet).await?;
        let zap = solidity::deploy(&po, "integrations/Zap", &router.abi_encode()).await?;
        ensure!(IZap::new(zap, &po).router().call().await? == router);

        send!(ITestToken::new(a, &po).mint(alice, units(1_000)));
        send!(ITestToken::new(a, &pa).approve(zap, U256::MAX));
        Ok(World {
            _node: node,
            po,
            pa,
            alice,
            router,
            a,
            b,
            pair,
            vault,
            zap,
            deadline,
        })
    }

    fn params(&self, amount_in: U256, swap_amount: U256) -> IZap::ZapParams {
        IZap::ZapParams {
            tokenIn: self.a,
            tokenOther: self.b,
            amountIn: amount_in,
            swapAmount: swap_amount,
            minSwapOut: U256::ZERO,
            minShares: U256::ZERO,
            vault: self.vault,
            receiver: self.alice,
            deadline: self.deadline,
        }
    }

    async fn balance(&self, token: Address, who: Address) -> Result<U256> {
        Ok(ITestToken::new(token, &self.po)
            .balanceOf(who)
            .call()
            .await?)
    }

    /// The pair's reserves as (A, B) and its LP supply.
    async fn pool(&self) -> Result<(U256, U256, U256)> {
        let p = IUniswapV2Pair::new(self.pair, &self.po);
        let r = p.getReserves().call().await?;
        let (r0, r1) = (U256::from(r.reserve0), U256::from(r.reserve1));
        let supply = p.totalSupply().call().await?;
        Ok(if amm::sort(self.a, self.b).0 == self.a {
            (r0, r1, supply)
        } else {
            (r1, r0, supply)
        })
    }
}

/// What a zap of `amount` A, swapping `swap` of it (0: the optimal amount), must do on a pool
/// with reserves (`ra`, `rb`) and LP supply `supply` (no protocol fee): V2's formulas.
#[derive(Debug, PartialEq, Eq)]
struct Expected {
    swapped: U256,
    swap_out: U256,
    used_a: U256,
    used_b: U256,
    liquidity: U256,
}

/// `s = (sqrt(R (3988009 R + 3988000 a)) - 1997 R) / 1994`, rounded down: the swap after which
/// the rest of `a` and the output are in the pool's new ratio (0.3 % fee).
fn optimal_swap(a: U256, r: U256) -> U256 {
    let root = (r * (r * U256::from(3_988_009u64) + a * U256::from(3_988_000u64))).root(2);
    (root - r * U256::from(1997)) / U256::from(1994)
}

fn expected(amount: U256, swap: U256, ra: U256, rb: U256, supply: U256) -> Expected {
    let swapped = if swap.is_zero() {
        optimal_swap(amount, ra)
    } else {
        swap
    };
    let swap_out = amm::amount_out(swapped, ra, rb);
    let (ra, rb) = (ra + swapped, rb - swap_out);
    let rest = amount - swapped;
    // Router02's addLiquidity: B at the pool's ratio if it fits, else A at the ratio.
    let b_opt = rest * rb / ra;
    let (used_a, used_b) = if b_opt <= swap_out {
        (rest, b_opt)
    } else {
        (swap_out * ra / rb, swap_out)
    };
    let liquidity = (used_a * supply / ra).min(used_b * supply / rb);
    Expected {
        swapped,
        swap_out,
        used_a,
        used_b,
        liquidity,
    }
}

/// Zaps twice (the optimal swap amount, then exactly half) and checks each against the formulas,
/// the pair's `Transfer` of freshly minted LP, the vault's books and the refunds.
#[tokio::test(flavor = "multi_thread")]
async fn zap_stakes_what_the_pair_minted_and_refunds_the_rest() -> Result<()> {
    let w = World::new(false).await?;
    let zap = IZap::new(w.zap, &w.pa);
    let vault = IStakingVault::new(w.vault, &w.po);
    // `convertToAssets` is served by the rewards facet (a cold view), at the vault's address.
    let quotes = IStakingVaultRewardsFacet::new(w.vault, &w.po);
    let mut staked = U256::ZERO;
    let mut shares_total = U256::ZERO;
    for (what, amount, swap) in [
        ("optimal swap", units(100), U256::ZERO),
        ("half swapped", units(200), units(100)),
    ] {
        let (ra, rb, supply) = w.pool().await?;
        let want = expected(amount, swap, ra, rb, supply);
        let (a0, b0) = (
            w.balance(w.a, w.alice).await?,
            w.balance(w.b, w.alice).await?,
        );
        let receipt = send!(zap.zap(w.params(amount, swap)));
        let ev = receipt
            .inner
            .logs()
            .iter()
            .find_map(|l| l.log_decode::<IZap::Zapped>().ok())
            .context("no Zapped event")?
            .inner
            .data;
        // The LP tokens the pair minted in this transaction (Transfer from 0 to the zap).
        let minted: U256 = receipt
            .inner
            .logs()
            .iter()
            .filter(|l| l.address() == w.pair)
            .filter_map(|l| l.log_decode::<IUniswapV2Pair::Transfer>().ok())
            .filter(|t| t.inner.data.from == Address::ZERO && t.inner.data.to == w.zap)
            .map(|t| t.inner.data.value)
            .sum();
        ensure!(ev.caller == w.alice && ev.receiver == w.alice && ev.vault == w.vault);
        ensure!(ev.received == amount, "{what}: received {}", ev.received);
        ensure!(
            (ev.swapped, ev.swapOut) == (want.swapped, want.swap_out),
            "{what}: swap {} -> {} vs formula {want:?}",
            ev.swapped,
            ev.swapOut
        );
        ensure!(
            ev.liquidity == want.liquidity && minted == want.liquidity,
            "{what}: liquidity {} (pair minted {minted}) vs formula {}",
            ev.liquidity,
            want.liquidity
        );
        let refund_a = amount - want.swapped - want.used_a;
        let refund_b = want.swap_out - want.used_b;
        ensure!(
            (ev.refundIn, ev.refundOther) == (refund_a, refund_b),
            "{what}: refunds {} A, {} B vs formula {refund_a}, {refund_b}",
            ev.refundIn,
            ev.refundOther
        );
        if !swap.is_zero() {
            // Swapping half buys more B than the other half of A matches at the new price.
            ensure!(refund_b > U256::ZERO, "{what}: no B over to refund");
        }
        // Alice paid `amount` and got the refunds back.
        ensure!(w.balance(w.a, w.alice).await? == a0 - amount + refund_a);
        ensure!(w.balance(w.b, w.alice).await? == b0 + refund_b);

        // Staked for Alice: exactly what the pair minted.
        staked += minted;
        shares_total += ev.shares;
        ensure!(vault.balanceOf(w.alice).call().await? == shares_total);
        ensure!(vault.totalAssets().call().await? == staked);
        ensure!(
            IUniswapV2Pair::new(w.pair, &w.po)
                .balanceOf(w.vault)
                .call()
                .await?
                == staked
        );
        ensure!(
            quotes.convertToAssets(shares_total).call().await? == staked,
            "{what}: Alice's shares are worth {} LP, {staked} staked",
            quotes.convertToAssets(shares_total).call().await?
        );

        // The zap keeps nothing and leaves no allowance behind.
        for t in [w.a, w.b, w.pair] {
            ensure!(w.balance(t, w.zap).await? == U256::ZERO, "zap holds {t}");
        }
        for (t, spender) in [(w.a, w.router), (w.b, w.router), (w.pair, w.vault)] {
            ensure!(
                ITestToken::new(t, &w.po)
                    .allowance(w.zap, spender)
                    .call()
                    .await?
                    == U256::ZERO,
                "allowance of {t} left to {spender}"
            );
        }
        println!(
            "zap ({what}): {} A in, {} swapped for {} B, {} LP staked for {} shares, refunds {} A + {} B, gas {}",
            amount, ev.swapped, ev.swapOut, ev.liquidity, ev.shares, ev.refundIn, ev.refundOther, receipt.gas_used
        );
    }
    // The position is real: Alice redeems her shares for the LP tokens and burns them.
    let va = IStakingVault::new(w.vault, &w.pa);
    send!(va.redeem(shares_total, w.alice, w.alice));
    let lp = IUniswapV2Pair::new(w.pair, &w.pa);
    ensure!(lp.balanceOf(w.alice).call().await? == staked);
    send!(lp.approve(w.router, staked));
    send!(IPoolRouter::new(w.router, &w.pa).removeLiquidity(
        w.a,
        w.b,
        staked,
        U256::ZERO,
        U256::ZERO,
        w.alice,
        w.deadline
    ));
    ensure!(w.balance(w.b, w.alice).await? > U256::ZERO);
    Ok(())
}

/// Slippage bounds and bad inputs revert with named errors and move nothing.
#[tokio::test(flavor = "multi_thread")]
async fn zap_slippage_and_bad_inputs_revert_with_named_errors() -> Result<()> {
    let w = World::new(false).await?;
    let zap = IZap::new(w.zap, &w.pa);
    let amount = units(100);
    let (ra, rb, supply) = w.pool().await?;
    let want = expected(amount, U256::ZERO, ra, rb, supply);
    let shares = IStakingVault::new(w.vault, &w.po)
        .previewDeposit(want.liquidity)
        .call()
        .await?;
    ensure!(shares > U256::ZERO);

    // The swap leg's bound: one wei more than the swap gives.
    let mut p = w.params(amount, U256::ZERO);
    p.minSwapOut = want.swap_out + U256::from(1);
    let err = zap.zap(p.clone()).call().await.expect_err("minSwapOut");
    err.as_decoded_error::<IPoolRouter::InsufficientOutputAmount>()
        .with_context(|| format!("not the router's InsufficientOutputAmount: {err}"))?;
    // At the bound exactly it goes through (checked by a call, nothing sent).
    p.minSwapOut = want.swap_out;
    zap.zap(p.clone()).call().await?;

    // The whole zap's bound: one share more than it mints.
    let mut p = w.params(amount, U256::ZERO);
    p.minShares = shares + U256::from(1);
    let err = zap.zap(p.clone()).call().await.expect_err("minShares");
    let e = err
        .as_decoded_error::<IZap::ZapInsufficientShares>()
        .with_context(|| format!("not ZapInsufficientShares: {err}"))?;
    ensure!((e.shares, e.minShares) == (shares, shares + U256::from(1)));
    // Sent anyway: it reverts on chain and moves nothing.
    let a0 = w.balance(w.a, w.alice).await?;
    let r = zap
        .zap(p)
        .gas(5_000_000)
        .send()
        .await?
        .get_receipt()
        .await?;
    ensure!(!r.status(), "a zap below minShares succeeded");
    ensure!(w.balance(w.a, w.alice).await? == a0);
    ensure!(w.balance(w.b, w.alice).await? == U256::ZERO);
    ensure!(
        IStakingVault::new(w.vault, &w.po)
            .totalAssets()
            .call()
            .await?
            == U256::ZERO
    );

    // A vault over another asset.
    let facet = deploy_activated(&w.po, "staking-vault-rewards-facet").await?;
    let other = deploy_vault(&w.po, w.a, w.alice, facet).await?;
    let mut p = w.params(amount, U256::ZERO);
    p.vault = other;
    let err = zap.zap(p).call().await.expect_err("wrong vault");
    let e = err
        .as_decoded_error::<IZap::ZapVaultAssetMismatch>()
        .with_context(|| format!("not ZapVaultAssetMismatch: {err}"))?;
    ensure!((e.asset, e.pair) == (w.a, w.pair));

    // No pair for the tokens.
    let c = amm::token(&w.po, "test-token", "C").await?;
    let mut p = w.params(amount, U256::ZERO);
    p.tokenOther = c;
    let err = zap.zap(p).call().await.expect_err("no pair");
    let e = err
        .as_decoded_error::<IZap::ZapNoPair>()
        .with_context(|| format!("not ZapNoPair: {err}"))?;
    ensure!((e.tokenIn, e.tokenOther) == (w.a, c));

    // Swapping everything (nothing left to pair), and a zero amount.
    for (amount, swap) in [(amount, amount), (U256::ZERO, U256::ZERO)] {
        let err = zap
            .zap(w.params(amount, swap))
            .call()
            .await
            .expect_err("invalid amount");
        let e = err
            .as_decoded_error::<IZap::ZapInvalidAmount>()
            .with_context(|| format!("not ZapInvalidAmount: {err}"))?;
        ensure!(e.received == amount);
    }

    // Past the deadline: the router's Expired.
    let mut p = w.params(amount, U256::ZERO);
    p.deadline = U256::from(1);
    let err = zap.zap(p).call().await.expect_err("expired");
    err.as_decoded_error::<IPoolRouter::Expired>()
        .with_context(|| format!("not the router's Expired: {err}"))?;
    Ok(())
}

/// Reentry from the paid-in token's hook: an attacker contract whose `tokensToSend` hook calls
/// `zap` again while the zap pulls its tokens. Refused with `ZapReentrant` (the zap holds the
/// caller's tokens mid-call); the outer zap completes and stakes one position.
#[tokio::test(flavor = "multi_thread")]
async fn zap_refuses_reentry_from_a_token_hook() -> Result<()> {
    let w = World::new(true).await?;
    let attacker = solidity::deploy(&w.pa, "HookAttacker", &[]).await?; // controlled by Alice
    let x = IHookAttacker::new(attacker, &w.pa);
    send!(x.execute(
        w.a,
        IHookToken::setHookCall { hook: attacker }
            .abi_encode()
            .into()
    ));
    send!(x.execute(
        w.a,
        IHookToken::approveCall {
            spender: w.zap,
            value: U256::MAX
        }
        .abi_encode()
        .into()
    ));
    send!(ITestToken::new(w.a, &w.po).mint(attacker, units(1_000)));

    let mut p = w.params(units(100), U256::ZERO);
    p.receiver = attacker;
    let call = IZap::zapCall { p }.abi_encode();
    send!(x.arm(w.zap, call.clone().into()));
    let receipt = send!(x.execute(w.zap, call.into()));

    let re = x.reentry().call().await?;
    ensure!(re.attempted, "the hook did not fire");
    ensure!(!re.succeeded, "the reentrant zap succeeded");
    ensure!(
        re.result.as_ref() == IZap::ZapReentrant::SELECTOR.as_slice(),
        "refused with {} instead of ZapReentrant",
        re.result
    );
    let zapped: Vec<_> = receipt
        .inner
        .logs()
        .iter()
        .filter_map(|l| l.log_decode::<IZap::Zapped>().ok())
        .collect();
    ensure!(
        zapped.len() == 1,
        "{} zaps in the transaction",
        zapped.len()
    );
    let ev = &zapped[0].inner.data;
    let vault = IStakingVault::new(w.vault, &w.po);
    ensure!(vault.balanceOf(attacker).call().await? == ev.shares);
    ensure!(vault.totalAssets().call().await? == ev.liquidity);
    ensure!(
        w.balance(w.a, attacker).await? == units(900) + ev.refundIn,
        "the attacker paid for more than one zap"
    );
    Ok(())
}
