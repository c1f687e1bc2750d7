//! TestVM unit tests of the staking vault: every entry point and error, the reward checkpoint on
//! every share balance change, preview = action, and the inflation-attack replay.

use alloc::vec::Vec;
use alloy_primitives::{address, Address, B256, U256};
use alloy_sol_types::{sol, SolCall, SolError, SolEvent};
use proptest::prelude::*;
use stylus_sdk::testing::TestVM;

use super::*;
use kit::{
    erc20::{IErc20 as _, Transfer},
    ownable::IOwnable as _,
    permit::IErc20Permit as _,
};
use rewards::IRewards as _;

const OWNER: Address = address!("0000000000000000000000000000000000000a11");
const ALICE: Address = address!("00000000000000000000000000000000000a11ce");
const BOB: Address = address!("0000000000000000000000000000000000000b0b");
const CAROL: Address = address!("00000000000000000000000000000000000ca501");
const ASSET: Address = address!("00000000000000000000000000000000000a55e7");
const RWD: Address = address!("00000000000000000000000000000000000fee01");
const DAY: u64 = 86_400;
const WEEK: u64 = 7 * DAY;
const T0: u64 = 1_700_000_000;
/// 1000 reward wei per second over a week.
const STREAM: u128 = 604_800_000;
const FACET: Address = address!("00000000000000000000000000000000000facE7");

thread_local! {
    /// Transfer fee (basis points) of the mocked tokens: mocks have no balances, so the vault's
    /// test build takes "what arrived" from here.
    static FEE_BPS: core::cell::Cell<u64> = const { core::cell::Cell::new(0) };
}

/// What the mocked tokens keep of a transfer of `amount` (the vault's test-build `pull_*`).
pub(crate) fn transfer_fee(amount: U256) -> U256 {
    amount * U256::from(FEE_BPS.get()) / U256::from(10_000)
}

fn set_transfer_fee(bps: u64) {
    FEE_BPS.set(bps);
}

/// Gives `facet` code and the rewards-facet identity answer.
fn mock_facet(vm: &TestVM, facet: Address) {
    vm.set_code(facet, vec![0xef, 0xf0, 0x00, 0x00, 0x01]);
    vm.mock_static_call(
        facet,
        IRewardsFacet::rewardsFacetVersionCall {}.abi_encode(),
        Ok(FACET_VERSION.to_vec()),
    );
}

sol! {
    interface IErc20 {
        function transfer(address to, uint256 amount) external returns (bool);
        function transferFrom(address from, address to, uint256 amount) external returns (bool);
        function balanceOf(address account) external view returns (uint256);
    }
}

fn u(x: u128) -> U256 {
    U256::from(x)
}

fn new_vault(asset_decimals: Option<u8>) -> (TestVM, StakingVault) {
    set_transfer_fee(0);
    let vm = TestVM::new();
    vm.set_block_timestamp(T0);
    for t in [ASSET, RWD] {
        vm.set_code(t, vec![0xfe]);
    }
    let call = IAssetMetadata::decimalsCall {}.abi_encode();
    match asset_decimals {
        Some(d) => vm.mock_static_call(ASSET, call, Ok(U256::from(d).to_be_bytes::<32>().to_vec())),
        None => vm.mock_static_call(ASSET, call, Err(vec![])),
    }
    // The constructor in two halves: TestVM returns the data of the *last* mock to every call,
    // so the asset's `decimals()` and the facet's identity cannot be mocked at once.
    let mut v = StakingVault::from(&vm);
    vm.set_sender(OWNER);
    v.init(ASSET, "Staked Asset", "stASSET", OWNER).unwrap();
    vm.clear_mocks();
    mock_facet(&vm, FACET);
    v.install_facet(FACET).unwrap();
    vm.clear_mocks();
    (vm, v)
}

fn setup() -> (TestVM, StakingVault) {
    new_vault(Some(18))
}

/// Vault with a reward stream of [`STREAM`] wei over a week started at `T0`.
fn with_stream() -> (TestVM, StakingVault) {
    let (vm, mut v) = setup();
    v.add_reward(RWD, OWNER, u(WEEK.into())).unwrap();
    v.notify_reward_amount(RWD, u(STREAM)).unwrap();
    (vm, v)
}

fn as_sender(vm: &TestVM, who: Address) {
    vm.set_sender(who);
}

fn warp(vm: &TestVM, t: u64) {
    vm.set_block_timestamp(t);
}

fn close(a: U256, b: U256, tol: u128) -> bool {
    let d = if a > b { a - b } else { b - a };
    d <= U256::from(tol)
}

/// Proves that `op` makes exactly the call `calldata` to `token`: on a copy of the VM where that
/// call reverts, `op` must fail with the kit's transfer error.
fn assert_calls<T: core::fmt::Debug, E: core::fmt::Debug + Into<Vec<u8>>>(
    vm: &TestVM,
    token: Address,
    calldata: Vec<u8>,
    op: impl FnOnce(&mut StakingVault) -> Result<T, E>,
) {
    let copy = TestVM::from(vm.snapshot());
    copy.mock_call(token, calldata, U256::ZERO, Err(vec![]));
    let mut v = StakingVault::from(&copy);
    let err: Vec<u8> = op(&mut v).unwrap_err().into();
    assert_eq!(err, SafeERC20FailedOperation { token }.abi_encode());
}

fn logs_of<E: SolEvent>(vm: &TestVM) -> Vec<E> {
    vm.get_emitted_logs()
        .into_iter()
        .filter_map(|(t, d)| E::decode_raw_log(t, &d).ok())
        .collect()
}

#[test]
fn constructor_sets_metadata_and_the_checked_facet() {
    let (vm, v) = new_vault(Some(6));
    assert_eq!(v.asset(), ASSET);
    assert_eq!(v.erc20.decimals(), 9, "asset decimals + 3");
    assert_eq!(v.erc20.name(), "Staked Asset");
    assert_eq!(v.ownable.owner(), OWNER);
    assert_eq!(v.deposit_cap(), U256::MAX);
    assert!(!v.paused());
    assert_eq!(v.rewards_facet(), FACET);
    let codehash = alloy_primitives::keccak256([0xef, 0xf0, 0x00, 0x00, 0x01]);
    assert_eq!(v.rewards_facet_codehash(), codehash);
    let mut v = v;
    mock_facet(&vm, FACET);
    v.install_facet(FACET).unwrap();
    assert_eq!(
        logs_of::<RewardsFacetSet>(&vm),
        vec![RewardsFacetSet {
            facet: FACET,
            codehash
        }]
    );
    let (_, fallback) = new_vault(None);
    assert_eq!(fallback.erc20.decimals(), 21, "18 when decimals() fails");
}

fn construct(
    vm: &TestVM,
    asset: Address,
    owner: Address,
    facet: Address,
) -> Result<(), VaultError> {
    let mut v = StakingVault::from(vm);
    v.constructor(asset, "x".into(), "x".into(), owner, facet)
}

#[test]
fn constructor_rejects_bad_input() {
    let vm = TestVM::new();
    mock_facet(&vm, FACET);
    assert_eq!(
        construct(&vm, Address::ZERO, OWNER, FACET),
        Err(VaultError::VaultInvalidAsset(VaultInvalidAsset {
            asset: Address::ZERO
        }))
    );
    assert_eq!(
        construct(&vm, ASSET, Address::ZERO, FACET),
        Err(VaultError::OwnableInvalidOwner(OwnableInvalidOwner {
            owner: Address::ZERO
        }))
    );
}

/// Regression (issue 15, finding 2): the rewards facet could be pointed anywhere (a codeless
/// address made every reward call "succeed" doing nothing). Now it is set at deployment and must
/// have code and answer the vault's layout id.
#[test]
fn constructor_rejects_a_facet_that_is_not_ours() {
    let vm = TestVM::new();
    let codeless = address!("000000000000000000000000000000000000c0de");
    let impostor = address!("000000000000000000000000000000000000bad1");
    vm.set_code(impostor, vec![0xfe]);
    vm.mock_static_call(
        impostor,
        IRewardsFacet::rewardsFacetVersionCall {}.abi_encode(),
        Ok(B256::repeat_byte(7).to_vec()),
    );
    for facet in [Address::ZERO, codeless, impostor] {
        assert_eq!(
            construct(&vm, ASSET, OWNER, facet),
            Err(VaultError::VaultRewardsFacet(VaultRewardsFacet { facet })),
            "{facet}"
        );
    }
}

#[test]
fn deposit_pulls_assets_and_mints_previewed_shares() {
    let (vm, mut v) = setup();
    as_sender(&vm, ALICE);
    let pull = IErc20::transferFromCall {
        from: ALICE,
        to: vm.contract_address(),
        amount: u(1_000),
    }
    .abi_encode();
    assert_calls(&vm, ASSET, pull, |v| v.deposit(u(1_000), BOB));
    let preview = v.preview_deposit(u(1_000)).unwrap();
    let shares = v.deposit(u(1_000), BOB).unwrap();
    assert_eq!(shares, preview);
    assert_eq!(
        shares,
        u(1_000_000),
        "virtual offset: 1000 shares per asset wei"
    );
    assert_eq!(v.erc20.balance_of(BOB), shares);
    assert_eq!(v.total_assets(), u(1_000));
    assert_eq!(
        logs_of::<Deposit>(&vm),
        vec![Deposit {
            sender: ALICE,
            owner: BOB,
            assets: u(1_000),
            shares
        }]
    );
    assert_eq!(
        logs_of::<Transfer>(&vm),
        vec![Transfer {
            from: Address::ZERO,
            to: BOB,
            value: shares
        }]
    );
    assert_eq!(
        v.deposit(u(1), Address::ZERO),
        Err(VaultError::ERC20InvalidReceiver(ERC20InvalidReceiver {
            receiver: Address::ZERO
        }))
    );
}

#[test]
fn mint_takes_rounded_up_assets() {
    let (vm, mut v) = setup();
    as_sender(&vm, ALICE);
    v.deposit(u(3), ALICE).unwrap();
    let before = v.total_assets();
    let preview = v.preview_mint(u(1_001)).unwrap();
    let pull = IErc20::transferFromCall {
        from: ALICE,
        to: vm.contract_address(),
        amount: preview,
    }
    .abi_encode();
    assert_calls(&vm, ASSET, pull, |v| v.mint(u(1_001), CAROL));
    let assets = v.mint(u(1_001), CAROL).unwrap();
    assert_eq!(assets, preview);
    assert_eq!(
        assets,
        u(2),
        "1001 shares cost 1.001 assets: rounded up to 2"
    );
    assert_eq!(v.total_assets(), before + assets);
    assert_eq!(v.erc20.balance_of(CAROL), u(1_001));
    assert_eq!(logs_of::<Deposit>(&vm).last().unwrap().assets, u(2));
}

#[test]
fn withdraw_burns_rounded_up_shares_and_pays_receiver() {
    let (vm, mut v) = setup();
    as_sender(&vm, ALICE);
    v.deposit(u(10_000), ALICE).unwrap();
    let preview = v.preview_withdraw(u(4_000)).unwrap();
    let pay = IErc20::transferCall {
        to: BOB,
        amount: u(4_000),
    }
    .abi_encode();
    assert_calls(&vm, ASSET, pay, |v| v.withdraw(u(4_000), BOB, ALICE));
    let shares = v.withdraw(u(4_000), BOB, ALICE).unwrap();
    assert_eq!(shares, preview);
    assert_eq!(v.total_assets(), u(6_000));
    assert_eq!(v.erc20.balance_of(ALICE), u(10_000_000) - shares);
    assert_eq!(
        logs_of::<Withdraw>(&vm),
        vec![Withdraw {
            sender: ALICE,
            receiver: BOB,
            owner: ALICE,
            assets: u(4_000),
            shares
        }]
    );
    let max = v.max_withdraw(ALICE).unwrap();
    assert_eq!(
        v.withdraw(max + u(1), ALICE, ALICE),
        Err(VaultError::ERC4626ExceededMaxWithdraw(
            ERC4626ExceededMaxWithdraw {
                owner: ALICE,
                assets: max + u(1),
                max
            }
        ))
    );
}

#[test]
fn redeem_pays_rounded_down_assets_and_needs_allowance_for_others() {
    let (vm, mut v) = setup();
    as_sender(&vm, ALICE);
    v.deposit(u(10_000), ALICE).unwrap();
    as_sender(&vm, CAROL);
    assert_eq!(
        v.redeem(u(1_500), CAROL, ALICE),
        Err(VaultError::ERC20InsufficientAllowance(
            ERC20InsufficientAllowance {
                spender: CAROL,
                allowance: U256::ZERO,
                needed: u(1_500)
            }
        ))
    );
    as_sender(&vm, ALICE);
    v.approve(CAROL, u(1_500)).unwrap();
    as_sender(&vm, CAROL);
    let preview = v.preview_redeem(u(1_500)).unwrap();
    let assets = v.redeem(u(1_500), CAROL, ALICE).unwrap();
    assert_eq!(assets, preview);
    assert_eq!(
        assets,
        u(1),
        "1500 shares are worth 1.5 assets: rounded down to 1"
    );
    assert_eq!(v.allowance(ALICE, CAROL), U256::ZERO);
    let max = v.max_redeem(ALICE);
    assert_eq!(max, v.erc20.balance_of(ALICE));
    assert_eq!(
        v.redeem(max + u(1), ALICE, ALICE),
        Err(VaultError::ERC4626ExceededMaxRedeem(
            ERC4626ExceededMaxRedeem {
                owner: ALICE,
                shares: max + u(1),
                max
            }
        ))
    );
}

#[test]
fn convert_and_views() {
    let (vm, mut v) = setup();
    assert_eq!(v.convert_to_shares(u(5)).unwrap(), u(5_000));
    assert_eq!(v.convert_to_assets(u(5_000)).unwrap(), u(5));
    as_sender(&vm, ALICE);
    v.deposit(u(5), ALICE).unwrap();
    assert_eq!(v.max_withdraw(ALICE).unwrap(), u(5));
    assert_eq!(v.max_mint(ALICE), (MAX_TOTAL_ASSETS - u(5)) * u(1_000));
    assert_eq!(v.max_deposit(ALICE), MAX_TOTAL_ASSETS - u(5));
    assert_eq!(v.total_supply(), u(5_000));
    assert_eq!(v.balance_of(ALICE), u(5_000));
    assert_eq!(v.decimals(), 21);
    assert_eq!(v.symbol(), "stASSET");
}

#[test]
fn pause_blocks_inflows_only_and_max_is_honest() {
    let (vm, mut v) = setup();
    as_sender(&vm, ALICE);
    v.deposit(u(100), ALICE).unwrap();
    assert_eq!(
        v.pause(),
        Err(VaultError::OwnableUnauthorizedAccount(
            OwnableUnauthorizedAccount { account: ALICE }
        ))
    );
    assert_eq!(
        v.unpause(),
        Err(VaultError::OwnableUnauthorizedAccount(
            OwnableUnauthorizedAccount { account: ALICE }
        ))
    );
    as_sender(&vm, OWNER);
    assert_eq!(
        v.unpause(),
        Err(VaultError::ExpectedPause(ExpectedPause {}))
    );
    v.pause().unwrap();
    assert_eq!(v.pause(), Err(VaultError::EnforcedPause(EnforcedPause {})));
    assert!(v.paused());
    assert_eq!(v.max_deposit(ALICE), U256::ZERO);
    assert_eq!(v.max_mint(ALICE), U256::ZERO);
    as_sender(&vm, ALICE);
    assert_eq!(
        v.deposit(u(1), ALICE),
        Err(VaultError::EnforcedPause(EnforcedPause {}))
    );
    assert_eq!(
        v.mint(u(1), ALICE),
        Err(VaultError::EnforcedPause(EnforcedPause {}))
    );
    // Exits stay open.
    assert!(v.max_withdraw(ALICE).unwrap() > U256::ZERO);
    v.withdraw(u(10), ALICE, ALICE).unwrap();
    v.redeem(u(1_000), ALICE, ALICE).unwrap();
    v.transfer(BOB, u(1)).unwrap();
    as_sender(&vm, OWNER);
    v.unpause().unwrap();
    as_sender(&vm, ALICE);
    v.deposit(u(1), ALICE).unwrap();
}

#[test]
fn deposit_cap_bounds_total_assets() {
    let (vm, mut v) = setup();
    as_sender(&vm, ALICE);
    assert_eq!(
        v.set_deposit_cap(u(1)),
        Err(VaultError::OwnableUnauthorizedAccount(
            OwnableUnauthorizedAccount { account: ALICE }
        ))
    );
    as_sender(&vm, OWNER);
    v.set_deposit_cap(u(1_000)).unwrap();
    assert_eq!(
        logs_of::<DepositCapUpdated>(&vm),
        vec![DepositCapUpdated { cap: u(1_000) }]
    );
    assert_eq!(v.deposit_cap(), u(1_000));
    as_sender(&vm, ALICE);
    v.deposit(u(600), ALICE).unwrap();
    assert_eq!(v.max_deposit(ALICE), u(400));
    assert_eq!(
        v.deposit(u(401), ALICE),
        Err(VaultError::ERC4626ExceededMaxDeposit(
            ERC4626ExceededMaxDeposit {
                receiver: ALICE,
                assets: u(401),
                max: u(400)
            }
        ))
    );
    let max_mint = v.max_mint(ALICE);
    assert!(v.preview_mint(max_mint).unwrap() <= u(400));
    assert_eq!(
        v.mint(max_mint + u(1), ALICE),
        Err(VaultError::ERC4626ExceededMaxMint(ERC4626ExceededMaxMint {
            receiver: ALICE,
            shares: max_mint + u(1),
            max: max_mint
        }))
    );
    v.mint(max_mint, ALICE).unwrap();
    assert!(v.total_assets() <= u(1_000));
    // A cap below the current total blocks deposits without breaking the views.
    as_sender(&vm, OWNER);
    v.set_deposit_cap(u(10)).unwrap();
    assert_eq!(v.max_deposit(ALICE), U256::ZERO);
    assert_eq!(v.max_mint(ALICE), U256::ZERO);
}

#[test]
fn ownership_is_two_step() {
    let (vm, mut v) = setup();
    v.transfer_ownership(BOB).unwrap();
    assert_eq!(v.owner(), OWNER);
    assert_eq!(v.pending_owner(), BOB);
    as_sender(&vm, CAROL);
    assert_eq!(
        v.accept_ownership(),
        Err(VaultError::OwnableUnauthorizedAccount(
            OwnableUnauthorizedAccount { account: CAROL }
        ))
    );
    as_sender(&vm, BOB);
    v.accept_ownership().unwrap();
    assert_eq!(v.owner(), BOB);
    // The new owner administers rewards; the old one cannot.
    as_sender(&vm, OWNER);
    assert!(v.add_reward(RWD, OWNER, u(1)).is_err());
    as_sender(&vm, BOB);
    v.add_reward(RWD, OWNER, u(1)).unwrap();
    v.renounce_ownership().unwrap();
    assert_eq!(v.owner(), Address::ZERO);
}

#[test]
fn principal_tokens_cannot_be_rewards_or_recovered() {
    let (vm, mut v) = setup();
    let me = vm.contract_address();
    for t in [ASSET, me] {
        assert_eq!(
            v.add_reward(t, OWNER, u(WEEK.into())),
            Err(rewards::RewardTokenForbidden { token: t }.into())
        );
        assert_eq!(
            v.recover_erc20(t, u(1)),
            Err(rewards::RewardTokenForbidden { token: t }.into())
        );
    }
    as_sender(&vm, ALICE);
    assert_eq!(
        v.add_reward(RWD, ALICE, u(WEEK.into())),
        Err(rewards::RewardUnauthorized { caller: ALICE }.into())
    );
}

#[test]
fn permit_approves_through_the_signature() {
    let (vm, mut v) = setup();
    let (value, deadline) = (u(777), u((T0 + 100).into()));
    let (r, s) = (B256::repeat_byte(1), B256::repeat_byte(2));
    let nonce = v.nonces(ALICE);
    let hash = kit::permit::permit_struct_hash(ALICE, BOB, value, nonce, deadline);
    let digest = kit::eip712::typed_data_hash(v.domain_separator(), hash);
    let mut input = digest.to_vec();
    input.extend_from_slice(&U256::from(27).to_be_bytes::<32>());
    input.extend_from_slice(r.as_slice());
    input.extend_from_slice(s.as_slice());
    let mut out = vec![0u8; 12];
    out.extend_from_slice(ALICE.as_slice());
    vm.mock_static_call(Address::with_last_byte(1), input, Ok(out));
    v.permit(ALICE, BOB, value, deadline, 27, r, s).unwrap();
    assert_eq!(v.allowance(ALICE, BOB), value);
    assert_eq!(v.nonces(ALICE), nonce + u(1));
    warp(&vm, T0 + 101);
    assert_eq!(
        v.permit(ALICE, BOB, value, deadline, 27, r, s),
        Err(VaultError::ERC2612ExpiredSignature(
            ERC2612ExpiredSignature { deadline }
        ))
    );
}

// ---- reward checkpoint on every share balance change (regression: checkpoint missed) ----

/// Alice holds every share for a day; then `op` moves (some of) her position. Right after it,
/// Alice must still be owed the whole day and nobody else anything.
fn assert_history_kept(op: impl FnOnce(&TestVM, &mut StakingVault)) {
    let (vm, mut v) = with_stream();
    as_sender(&vm, ALICE);
    v.deposit(u(1_000_000), ALICE).unwrap();
    warp(&vm, T0 + DAY);
    op(&vm, &mut v);
    let day = u(1_000 * DAY as u128);
    let alice = v.earned(ALICE, RWD).unwrap();
    assert!(close(alice, day, 1), "alice {alice} != {day}");
    assert_eq!(v.earned(BOB, RWD).unwrap(), U256::ZERO);
    assert_eq!(v.earned(CAROL, RWD).unwrap(), U256::ZERO);
    // From here on, the new holders earn pro rata and the total stays within the stream.
    warp(&vm, T0 + 2 * DAY);
    let total: U256 = [ALICE, BOB, CAROL]
        .iter()
        .map(|a| v.earned(*a, RWD).unwrap())
        .sum();
    assert!(close(total, day * u(2), 3), "total {total}");
}

#[test]
fn checkpoint_on_deposit() {
    assert_history_kept(|vm, v| {
        as_sender(vm, BOB);
        v.deposit(u(3_000_000), BOB).unwrap();
    });
}

#[test]
fn checkpoint_on_mint() {
    assert_history_kept(|vm, v| {
        as_sender(vm, BOB);
        v.mint(u(3_000_000_000), BOB).unwrap();
    });
}

#[test]
fn checkpoint_on_withdraw() {
    assert_history_kept(|vm, v| {
        as_sender(vm, ALICE);
        v.withdraw(u(500_000), ALICE, ALICE).unwrap();
        as_sender(vm, BOB);
        v.deposit(u(500_000), BOB).unwrap();
    });
}

#[test]
fn checkpoint_on_redeem() {
    assert_history_kept(|vm, v| {
        as_sender(vm, ALICE);
        let all = v.max_redeem(ALICE);
        v.redeem(all, ALICE, ALICE).unwrap();
        as_sender(vm, BOB);
        v.deposit(u(1_000_000), BOB).unwrap();
    });
}

#[test]
fn checkpoint_on_transfer() {
    assert_history_kept(|vm, v| {
        as_sender(vm, ALICE);
        let half = v.balance_of(ALICE) / u(2);
        v.transfer(BOB, half).unwrap();
    });
}

#[test]
fn checkpoint_on_transfer_from() {
    assert_history_kept(|vm, v| {
        as_sender(vm, ALICE);
        let all = v.balance_of(ALICE);
        v.approve(CAROL, all).unwrap();
        as_sender(vm, CAROL);
        v.transfer_from(ALICE, BOB, all).unwrap();
    });
}

#[test]
fn two_stakers_claim_the_formula() {
    let (vm, mut v) = with_stream();
    as_sender(&vm, ALICE);
    v.deposit(u(1_000), ALICE).unwrap();
    warp(&vm, T0 + DAY);
    as_sender(&vm, BOB);
    v.deposit(u(3_000), BOB).unwrap();
    warp(&vm, T0 + WEEK + DAY);
    let alice = u(1_000 * DAY as u128 + 1_000 * 6 * DAY as u128 / 4);
    let bob = u(1_000 * 6 * DAY as u128 * 3 / 4);
    as_sender(&vm, ALICE);
    let pay = IErc20::transferCall {
        to: ALICE,
        amount: alice,
    }
    .abi_encode();
    assert_calls(&vm, RWD, pay, |v| v.claim_all(ALICE));
    v.claim_all(ALICE).unwrap();
    as_sender(&vm, BOB);
    v.claim(vec![RWD], BOB).unwrap();
    let paid: Vec<_> = logs_of::<rewards::RewardPaid>(&vm)
        .into_iter()
        .map(|e| (e.account, e.amount))
        .collect();
    assert_eq!(paid, vec![(ALICE, alice), (BOB, bob)]);
}

/// Regression: ERC-4626 first-depositor inflation attack, replayed on the vault. The donation
/// does not move the share price at all (internal accounting), so the victim loses nothing.
#[test]
fn inflation_attack_replay() {
    let (vm, mut v) = setup();
    as_sender(&vm, ALICE); // attacker
    v.deposit(u(1), ALICE).unwrap();
    // The attacker "donates" by transferring assets straight to the vault: the vault's
    // accounting does not see it.
    let price_before = v.convert_to_assets(u(1_000_000_000)).unwrap();
    as_sender(&vm, BOB); // victim
    let victim = u(10u128.pow(22));
    let shares = v.deposit(victim, BOB).unwrap();
    assert!(shares > U256::ZERO);
    assert_eq!(v.convert_to_assets(u(1_000_000_000)).unwrap(), price_before);
    let out = v.redeem(shares, BOB, BOB).unwrap();
    assert!(victim - out <= u(1), "victim lost {}", victim - out);
    as_sender(&vm, ALICE);
    let all = v.max_redeem(ALICE);
    assert!(
        v.redeem(all, ALICE, ALICE).unwrap() <= u(1),
        "attacker cannot profit"
    );
}

#[derive(Clone, Debug)]
enum Op {
    Deposit(usize, u64),
    Mint(usize, u64),
    Withdraw(usize, u8),
    Redeem(usize, u8),
    Transfer(usize, usize, u8),
    Wait(u32),
    Claim(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0usize..3, 1u64..1_000_000_000_000_000_000).prop_map(|(w, a)| Op::Deposit(w, a)),
        (0usize..3, 1u64..u64::MAX).prop_map(|(w, a)| Op::Mint(w, a)),
        (0usize..3, 0u8..=100).prop_map(|(w, p)| Op::Withdraw(w, p)),
        (0usize..3, 0u8..=100).prop_map(|(w, p)| Op::Redeem(w, p)),
        (0usize..3, 0usize..3, 0u8..=100).prop_map(|(a, b, p)| Op::Transfer(a, b, p)),
        (0u32..200_000).prop_map(Op::Wait),
        (0usize..3).prop_map(Op::Claim),
    ]
}

fn pct(x: U256, p: u8) -> U256 {
    x * U256::from(p) / U256::from(100)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Random user flows through the real vault: preview equals the action, no account can
    /// get out more assets than it put in, the share price never decreases, Σ balances = supply,
    /// totalAssets covers every share, and Σ claimed + Σ pending ≤ Σ funded.
    #[test]
    fn vault_invariants(ops in proptest::collection::vec(op(), 1..30)) {
        let (vm, mut v) = with_stream();
        let users = [ALICE, BOB, CAROL];
        let mut paid_in = [U256::ZERO; 3];
        let mut paid_out = [U256::ZERO; 3];
        let mut claimed = U256::ZERO;
        let mut now = T0;
        for op in ops {
            let (a0, s0) = (v.total_assets(), v.total_supply());
            match op {
                Op::Deposit(w, a) => {
                    as_sender(&vm, users[w]);
                    let p = v.preview_deposit(U256::from(a)).unwrap();
                    prop_assert_eq!(v.deposit(U256::from(a), users[w]).unwrap(), p);
                    paid_in[w] += U256::from(a);
                }
                Op::Mint(w, s) => {
                    as_sender(&vm, users[w]);
                    let p = v.preview_mint(U256::from(s)).unwrap();
                    prop_assert_eq!(v.mint(U256::from(s), users[w]).unwrap(), p);
                    paid_in[w] += p;
                }
                Op::Withdraw(w, p) => {
                    as_sender(&vm, users[w]);
                    let a = pct(v.max_withdraw(users[w]).unwrap(), p);
                    let preview = v.preview_withdraw(a).unwrap();
                    prop_assert_eq!(v.withdraw(a, users[w], users[w]).unwrap(), preview);
                    paid_out[w] += a;
                }
                Op::Redeem(w, p) => {
                    as_sender(&vm, users[w]);
                    let s = pct(v.max_redeem(users[w]), p);
                    let preview = v.preview_redeem(s).unwrap();
                    let a = v.redeem(s, users[w], users[w]).unwrap();
                    prop_assert_eq!(a, preview);
                    paid_out[w] += a;
                }
                Op::Transfer(a, b, p) => {
                    as_sender(&vm, users[a]);
                    let s = pct(v.balance_of(users[a]), p);
                    v.transfer(users[b], s).unwrap();
                }
                Op::Wait(dt) => { now += u64::from(dt); warp(&vm, now); }
                Op::Claim(w) => {
                    as_sender(&vm, users[w]);
                    let owed = v.earned(users[w], RWD).unwrap();
                    v.claim_all(users[w]).unwrap();
                    claimed += owed;
                }
            }
            let (a1, s1) = (v.total_assets(), v.total_supply());
            prop_assert!((a1 + u(1)) * (s0 + shares::VIRTUAL_SHARES) >= (a0 + u(1)) * (s1 + shares::VIRTUAL_SHARES),
                "share price decreased");
            let sum: U256 = users.iter().map(|a| v.balance_of(*a)).sum();
            prop_assert_eq!(sum, s1);
            prop_assert!(v.convert_to_assets(s1).unwrap() <= a1);
            let pending: U256 = users.iter().map(|a| v.earned(*a, RWD).unwrap()).sum();
            prop_assert!(claimed + pending <= u(STREAM));
        }
        // No profitable round trip: once everyone exits, users got out at most what they put in
        // (shares move between users, so compare the totals).
        for (w, who) in users.iter().enumerate() {
            as_sender(&vm, *who);
            let s = v.max_redeem(*who);
            paid_out[w] += v.redeem(s, *who, *who).unwrap();
        }
        let (ins, outs): (U256, U256) = (paid_in.iter().copied().sum(), paid_out.iter().copied().sum());
        prop_assert!(outs <= ins, "users took out {} > {}", outs, ins);
        prop_assert_eq!(v.total_assets(), ins - outs);
    }
}

/// Regression (issue 15, finding 2): the facet could be changed at any time before it was first
/// set, to anything, without an event. Now only the owner may replace it, only with a checked
/// facet, only while no shares exist, and it emits `RewardsFacetSet`.
#[test]
fn rewards_facet_changes_only_before_shares_exist() {
    let (vm, mut v) = setup();
    let next = address!("00000000000000000000000000000000000facE8");
    mock_facet(&vm, next);
    as_sender(&vm, ALICE);
    assert_eq!(
        v.set_rewards_facet(next),
        Err(VaultError::OwnableUnauthorizedAccount(
            OwnableUnauthorizedAccount { account: ALICE }
        ))
    );
    as_sender(&vm, OWNER);
    assert_eq!(
        v.set_rewards_facet(BOB),
        Err(VaultError::VaultRewardsFacet(VaultRewardsFacet {
            facet: BOB
        })),
        "no code"
    );
    v.set_rewards_facet(next).unwrap();
    assert_eq!(v.rewards_facet(), next);
    assert_eq!(logs_of::<RewardsFacetSet>(&vm).last().unwrap().facet, next);
    vm.clear_mocks(); // TestVM answers every call with the last mock's data
    as_sender(&vm, ALICE);
    v.deposit(u(1), ALICE).unwrap();
    as_sender(&vm, OWNER);
    assert_eq!(
        v.set_rewards_facet(FACET),
        Err(VaultError::VaultRewardsFacet(VaultRewardsFacet {
            facet: FACET
        })),
        "shares exist"
    );
    assert_eq!(v.rewards_facet(), next);
}

/// Regression (issue 15, finding 6): shares transferred or minted to the vault itself earned
/// rewards nobody could claim. Both are refused.
#[test]
fn shares_cannot_go_to_the_vault_itself() {
    let (vm, mut v) = with_stream();
    let me = vm.contract_address();
    let refused = || VaultError::ERC20InvalidReceiver(ERC20InvalidReceiver { receiver: me });
    as_sender(&vm, ALICE);
    assert_eq!(v.deposit(u(10), me), Err(refused()));
    assert_eq!(v.mint(u(10), me), Err(refused()));
    v.deposit(u(10), ALICE).unwrap();
    assert_eq!(v.transfer(me, u(1)), Err(refused()));
    v.approve(BOB, u(5)).unwrap();
    as_sender(&vm, BOB);
    assert_eq!(v.transfer_from(ALICE, me, u(5)), Err(refused()));
    assert_eq!(v.balance_of(me), U256::ZERO);
}

/// Regression (issue 15, finding 4): a deposit credited the requested amount, not what arrived.
/// With a 1 % fee-on-transfer asset the vault now refuses the deposit.
#[test]
fn deposit_of_a_fee_on_transfer_asset_is_refused() {
    let (vm, mut v) = setup();
    set_transfer_fee(100);
    as_sender(&vm, ALICE);
    assert_eq!(
        v.deposit(u(1_000), ALICE),
        Err(VaultError::VaultAssetShortfall(VaultAssetShortfall {
            expected: u(1_000),
            received: u(990)
        }))
    );
    assert_eq!(
        v.mint(u(1_000_000), ALICE),
        Err(VaultError::VaultAssetShortfall(VaultAssetShortfall {
            expected: u(1_000),
            received: u(990)
        }))
    );
    assert_eq!(v.total_assets(), U256::ZERO);
    // Reward funding credits what arrived (the reward module's rule, through the facet ABI).
    v.add_reward(RWD, ALICE, u(WEEK.into())).unwrap_err();
    as_sender(&vm, OWNER);
    v.add_reward(RWD, OWNER, u(WEEK.into())).unwrap();
    v.notify_reward_amount(RWD, u(1_000_000)).unwrap();
    let ev = logs_of::<rewards::RewardNotified>(&vm).pop().unwrap();
    assert_eq!(ev.amount, u(990_000));
}

/// Regression (issue 15, finding 6): a deposit near 2^256/1000 made every conversion overflow
/// (the vault bricked itself). Deposits are capped at `MAX_TOTAL_ASSETS`, and at the cap every
/// conversion and preview still works.
#[test]
fn huge_deposits_cannot_brick_conversions() {
    let (vm, mut v) = setup();
    as_sender(&vm, ALICE);
    let huge = U256::MAX / u(1_000);
    assert_eq!(
        v.deposit(huge, ALICE),
        Err(VaultError::ERC4626ExceededMaxDeposit(
            ERC4626ExceededMaxDeposit {
                receiver: ALICE,
                assets: huge,
                max: MAX_TOTAL_ASSETS
            }
        ))
    );
    let shares = v.deposit(MAX_TOTAL_ASSETS, ALICE).unwrap();
    assert_eq!(v.max_deposit(ALICE), U256::ZERO);
    assert_eq!(v.max_mint(ALICE), U256::ZERO);
    assert_eq!(v.convert_to_assets(shares).unwrap(), MAX_TOTAL_ASSETS);
    assert!(v.convert_to_shares(MAX_TOTAL_ASSETS).is_ok());
    assert!(v.preview_mint(shares).is_ok());
    assert!(v.preview_withdraw(MAX_TOTAL_ASSETS).is_ok());
    assert_eq!(v.max_withdraw(ALICE).unwrap(), MAX_TOTAL_ASSETS);
    assert_eq!(v.redeem(shares, ALICE, ALICE).unwrap(), MAX_TOTAL_ASSETS);
}

/// Regression (issue 15, finding 7): the vault-level inflation replay never donated. Here the
/// attacker deposits 1 wei and really donates (the vault's asset balance, as `balanceOf` would
/// report it, jumps by 10,000 tokens); the share price and the victim's shares do not move.
#[test]
fn inflation_attack_with_a_real_donation() {
    let (vm, mut v) = setup();
    as_sender(&vm, ALICE);
    v.deposit(u(1), ALICE).unwrap();
    let me = vm.contract_address();
    let donation = u(10_000) * u(10u128.pow(18));
    vm.mock_static_call(
        ASSET,
        IErc20::balanceOfCall { account: me }.abi_encode(),
        Ok((donation + u(1)).to_be_bytes::<32>().to_vec()),
    );
    assert_eq!(
        kit::safe_erc20::balance_of(&vm, ASSET, me).unwrap(),
        donation + u(1),
        "the donation is visible to anyone reading balanceOf"
    );
    vm.clear_mocks(); // TestVM answers every call with the last mock's data
    assert_eq!(v.total_assets(), u(1), "but not to the vault's accounting");
    as_sender(&vm, BOB);
    let victim = u(10_000) * u(10u128.pow(18));
    let shares = v.deposit(victim, BOB).unwrap();
    assert_eq!(shares, victim * u(1_000), "full virtual-offset price");
    assert_eq!(v.redeem(shares, BOB, BOB).unwrap(), victim);
}

/// Fixed examples of every preview / convert rounding direction (issue 15, finding 7): a state
/// whose share price is not a round number (1 wei deposited, then 1,001 shares minted for 2 wei,
/// so price = 4 / 3,001), where flipping any one direction changes a number below.
#[test]
fn preview_and_convert_rounding_directions() {
    let (vm, mut v) = setup();
    as_sender(&vm, ALICE);
    v.deposit(u(1), ALICE).unwrap();
    assert_eq!(v.mint(u(1_001), ALICE).unwrap(), u(2));
    assert_eq!((v.total_assets(), v.total_supply()), (u(3), u(2_001)));
    // assets -> shares: 1 asset = 3001/4 = 750.25 shares.
    assert_eq!(v.convert_to_shares(u(1)).unwrap(), u(750), "down");
    assert_eq!(v.preview_deposit(u(1)).unwrap(), u(750), "down");
    assert_eq!(v.preview_withdraw(u(1)).unwrap(), u(751), "up");
    // shares -> assets: 1000 shares = 4000/3001 = 1.33 assets.
    assert_eq!(v.convert_to_assets(u(1_000)).unwrap(), u(1), "down");
    assert_eq!(v.preview_redeem(u(1_000)).unwrap(), u(1), "down");
    assert_eq!(v.preview_mint(u(1_000)).unwrap(), u(2), "up");
    // The actions agree with their previews.
    assert_eq!(v.withdraw(u(1), ALICE, ALICE).unwrap(), u(751));
    assert_eq!(v.redeem(u(1_000), ALICE, ALICE).unwrap(), u(1));
}

#[test]
fn fallback_delegates_to_the_facet_and_passes_results_through() {
    let (vm, mut v) = setup();
    let call = vec![0xde, 0xad, 0xbe, 0xef, 7];
    vm.mock_delegate_call(FACET, call.clone(), Ok(vec![42; 32]));
    assert_eq!(v.fallback(&call), Ok(vec![42; 32]));
    let failing = vec![0xba, 0xad];
    vm.mock_delegate_call(FACET, failing.clone(), Err(vec![9, 9, 9, 9]));
    assert_eq!(v.fallback(&failing), Err(vec![9, 9, 9, 9]));
}

sol! {
    interface IFacetCalls {
        function earned(address account, address token) external view returns (uint256);
        function claimAll(address to) external;
    }
}

/// What the facet program serves: the `IRewards` router over the vault's storage.
#[test]
fn facet_router_serves_the_rewards_abi_on_vault_storage() {
    use stylus_sdk::abi::Router;
    let (vm, mut v) = with_stream();
    as_sender(&vm, ALICE);
    v.deposit(u(1_000), ALICE).unwrap();
    warp(&vm, T0 + DAY);
    let data = IFacetCalls::earnedCall {
        account: ALICE,
        token: RWD,
    }
    .abi_encode();
    let sel = u32::from_be_bytes(data[..4].try_into().unwrap());
    let out = <StakingVault as Router<StakingVault, dyn IRewards>>::route(&mut v, sel, &data[4..])
        .unwrap()
        .unwrap();
    let owed = IFacetCalls::earnedCall::abi_decode_returns(&out).unwrap();
    assert!(close(owed, u(1_000 * DAY as u128), 1));
    let data = IFacetCalls::claimAllCall { to: ALICE }.abi_encode();
    let sel = u32::from_be_bytes(data[..4].try_into().unwrap());
    <StakingVault as Router<StakingVault, dyn IRewards>>::route(&mut v, sel, &data[4..])
        .unwrap()
        .unwrap();
    assert_eq!(v.earned(ALICE, RWD).unwrap(), U256::ZERO);
}

/// The vault serves `claim(tokens, to)` and `claimAll(to)` itself (`claim_inline`, no facet hop)
/// for canonical calldata, with the same effects as the facet's router; every non-canonical
/// encoding is left to the facet (`None`), whose router decodes it strictly.
#[test]
fn vault_serves_canonical_claims_inline() {
    let (vm, mut v) = with_stream();
    as_sender(&vm, ALICE);
    v.deposit(u(1_000), ALICE).unwrap();
    as_sender(&vm, BOB);
    v.deposit(u(1_000), BOB).unwrap();
    warp(&vm, T0 + DAY);
    let owed = v.earned(ALICE, RWD).unwrap();
    assert!(!owed.is_zero());
    // claimAll(to), through the fallback (not the facet: TestVM has no delegatecall target).
    as_sender(&vm, ALICE);
    let all = IRewardsClaims::claimAllCall { to: CAROL }.abi_encode();
    assert_eq!(v.fallback(&all).unwrap(), Vec::<u8>::new());
    assert_eq!(v.earned(ALICE, RWD).unwrap(), U256::ZERO);
    // claim(tokens, to): an unknown token reverts with the module's error, a known one pays.
    as_sender(&vm, BOB);
    let one = |tokens: Vec<Address>| IRewardsClaims::claimCall { tokens, to: BOB }.abi_encode();
    assert_eq!(
        v.fallback(&one(vec![ASSET])).unwrap_err(),
        RewardTokenUnknown { token: ASSET }.abi_encode()
    );
    assert!(!v.earned(BOB, RWD).unwrap().is_zero());
    v.fallback(&one(vec![RWD])).unwrap();
    assert_eq!(v.earned(BOB, RWD).unwrap(), U256::ZERO);
    let paid: Vec<_> = logs_of::<rewards::RewardPaid>(&vm)
        .into_iter()
        .map(|e| (e.account, e.to))
        .collect();
    assert_eq!(paid, vec![(ALICE, CAROL), (BOB, BOB)]);
    // Non-canonical encodings go to the facet.
    let canonical = one(vec![RWD, RWD]);
    let mut trailing = canonical.clone();
    trailing.push(0);
    let mut dirty_to = canonical.clone();
    dirty_to[4 + 32 + 11] = 1;
    let mut dirty_token = canonical.clone();
    dirty_token[4 + 96 + 32 + 11] = 1;
    let mut offset = canonical.clone();
    offset[4 + 31] = 0x60;
    let mut long = canonical.clone();
    long[4 + 64 + 31] = 3;
    let mut huge = canonical.clone();
    huge[4 + 64] = 0xff;
    let mut all_trailing = all.clone();
    all_trailing.push(0);
    for bad in [
        trailing,
        dirty_to,
        dirty_token,
        offset,
        long,
        huge,
        all_trailing,
        all[..20].to_vec(),
        vec![0xaa],
    ] {
        assert!(v.claim_inline(&bad).is_none(), "{bad:x?}");
    }
    assert!(v.claim_inline(&canonical).is_some());
}
