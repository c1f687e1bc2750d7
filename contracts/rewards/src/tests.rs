//! TestVM unit tests of the reward module through a minimal mock host, including the exploit
//! regression tests (Compound P62, zero supply, stranger notify, missed transfer checkpoint).

use alloc::vec::Vec;
use alloy_primitives::{address, Address, B256, U256};
use alloy_sol_types::{sol, SolCall, SolError, SolEvent};
use proptest::prelude::*;
use stylus_sdk::{
    abi::Router,
    prelude::*,
    storage::{StorageAddress, StorageMap, StorageU256},
    testing::TestVM,
};

use crate::{errors::*, math::INDEX_SCALE, IRewards, Rewards, RewardsHost, MAX_REWARD_TOKENS};

const OWNER: Address = address!("0000000000000000000000000000000000000a11");
const DIST: Address = address!("0000000000000000000000000000000000000d15");
const ALICE: Address = address!("00000000000000000000000000000000000a11ce");
const BOB: Address = address!("0000000000000000000000000000000000000b0b");
const CAROL: Address = address!("00000000000000000000000000000000000ca501");
const STRANGER: Address = address!("0000000000000000000000000000000000005555");
const RWD: Address = address!("00000000000000000000000000000000000fee01");
const RWD2: Address = address!("00000000000000000000000000000000000fee02");
const PRINCIPAL: Address = address!("00000000000000000000000000000000000dead1");
const DAY: u64 = 86_400;
const WEEK: u64 = 7 * DAY;
const T0: u64 = 1_700_000_000;

/// A minimal host: a share ledger whose balance changes checkpoint first.
#[storage]
struct MockHost {
    rewards: Rewards,
    balances: StorageMap<Address, StorageU256>,
    supply: StorageU256,
    owner: StorageAddress,
}

unsafe impl TopLevelStorage for MockHost {}

impl RewardsHost for MockHost {
    fn rewards(&self) -> &Rewards {
        &self.rewards
    }
    fn rewards_mut(&mut self) -> &mut Rewards {
        &mut self.rewards
    }
    fn reward_balance_of(&self, account: Address) -> U256 {
        self.balances.get(account)
    }
    fn reward_total_supply(&self) -> U256 {
        self.supply.get()
    }
    fn reward_admin(&self) -> Address {
        self.owner.get()
    }
    fn is_principal_token(&self, token: Address) -> bool {
        token == PRINCIPAL
    }
}

crate::impl_rewards_abi!(MockHost);

impl MockHost {
    fn mint(&mut self, to: Address, amount: u128) {
        self.checkpoint_rewards(&[to]).unwrap();
        let b = self.balances.get(to) + U256::from(amount);
        self.balances.insert(to, b);
        self.supply.set(self.supply.get() + U256::from(amount));
    }
    fn burn(&mut self, from: Address, amount: u128) {
        self.checkpoint_rewards(&[from]).unwrap();
        let b = self.balances.get(from) - U256::from(amount);
        self.balances.insert(from, b);
        self.supply.set(self.supply.get() - U256::from(amount));
    }
    fn transfer(&mut self, from: Address, to: Address, amount: u128, checkpoint: bool) {
        if checkpoint {
            self.checkpoint_rewards(&[from, to]).unwrap();
        }
        let a = U256::from(amount);
        let fb = self.balances.get(from) - a;
        self.balances.insert(from, fb);
        let tb = self.balances.get(to) + a;
        self.balances.insert(to, tb);
    }
}

fn u(x: u128) -> U256 {
    U256::from(x)
}

fn setup() -> (TestVM, MockHost) {
    let vm = TestVM::new();
    vm.set_block_timestamp(T0);
    // Token addresses need code: the kit accepts an empty return only from a contract.
    for t in [RWD, RWD2, PRINCIPAL] {
        vm.set_code(t, vec![0xfe]);
    }
    let mut host = MockHost::from(&vm);
    host.owner.set(OWNER);
    vm.set_sender(OWNER);
    host.add_reward(RWD, DIST, U256::from(WEEK)).unwrap();
    (vm, host)
}

fn as_sender(vm: &TestVM, who: Address) {
    vm.set_sender(who);
}

fn warp(vm: &TestVM, t: u64) {
    vm.set_block_timestamp(t);
}

sol! {
    interface IErc20 {
        function transfer(address to, uint256 amount) external returns (bool);
        function transferFrom(address from, address to, uint256 amount) external returns (bool);
    }
}

/// Proves that `op` makes exactly the call `calldata` to `token`: on a copy of the VM where that
/// call reverts, `op` must fail with the kit's transfer error.
fn assert_calls(
    vm: &TestVM,
    token: Address,
    calldata: Vec<u8>,
    op: impl FnOnce(&mut MockHost) -> Result<(), RewardsError>,
) {
    let copy = TestVM::from(vm.snapshot());
    copy.mock_call(token, calldata, U256::ZERO, Err(vec![]));
    let mut h = MockHost::from(&copy);
    assert_eq!(
        op(&mut h),
        Err(RewardsError::SafeERC20FailedOperation(
            SafeERC20FailedOperation { token }
        ))
    );
}

/// The reward-per-share index of `RWD` accrued up to now.
fn index_now(host: &MockHost) -> U256 {
    let now = host.vm().block_timestamp();
    host.rewards
        .current_stream(RWD, now, host.supply.get())
        .unwrap()
        .index
}

fn last_log(vm: &TestVM) -> (Vec<B256>, Vec<u8>) {
    vm.get_emitted_logs().last().cloned().expect("a log")
}

#[test]
fn add_reward_registers_and_emits() {
    let (vm, host) = setup();
    assert_eq!(host.reward_tokens(), vec![RWD]);
    let (d, dur, fin, rate, last, idx) = host.reward_data(RWD);
    assert_eq!(
        (d, dur, fin, rate, last, idx),
        (
            DIST,
            u(WEEK.into()),
            U256::ZERO,
            U256::ZERO,
            u(T0.into()),
            U256::ZERO
        )
    );
    let (topics, data) = last_log(&vm);
    let ev = RewardAdded::decode_raw_log(topics, &data).unwrap();
    assert_eq!(
        ev,
        RewardAdded {
            token: RWD,
            distributor: DIST,
            duration: u(WEEK.into())
        }
    );
}

#[test]
fn add_reward_errors() {
    let (vm, mut host) = setup();
    as_sender(&vm, STRANGER);
    assert_eq!(
        host.add_reward(RWD2, DIST, u(1)),
        Err(RewardUnauthorized { caller: STRANGER }.into())
    );
    as_sender(&vm, OWNER);
    assert_eq!(
        host.add_reward(RWD, DIST, u(1)),
        Err(RewardTokenExists { token: RWD }.into())
    );
    assert_eq!(
        host.add_reward(Address::ZERO, DIST, u(1)),
        Err(RewardZeroAddress {}.into())
    );
    assert_eq!(
        host.add_reward(RWD2, Address::ZERO, u(1)),
        Err(RewardZeroAddress {}.into())
    );
    assert_eq!(
        host.add_reward(RWD2, DIST, U256::ZERO),
        Err(RewardInvalidDuration {
            duration: U256::ZERO
        }
        .into())
    );
    let too_long = u(crate::MAX_DURATION as u128 + 1);
    assert_eq!(
        host.add_reward(RWD2, DIST, too_long),
        Err(RewardInvalidDuration { duration: too_long }.into())
    );
    assert_eq!(
        host.add_reward(PRINCIPAL, DIST, u(1)),
        Err(RewardTokenForbidden { token: PRINCIPAL }.into())
    );
    for i in 1..MAX_REWARD_TOKENS {
        host.add_reward(Address::with_last_byte(i as u8), DIST, u(1))
            .unwrap();
    }
    assert_eq!(
        host.add_reward(RWD2, DIST, u(1)),
        Err(RewardTokenLimit {
            max: u(MAX_REWARD_TOKENS as u128)
        }
        .into())
    );
}

#[test]
fn notify_streams_and_pulls_from_caller() {
    let (vm, mut host) = setup();
    host.mint(ALICE, 100);
    as_sender(&vm, DIST);
    let amount = u(7 * 1_000_000);
    let pull = IErc20::transferFromCall {
        from: DIST,
        to: vm.contract_address(),
        amount,
    }
    .abi_encode();
    assert_calls(&vm, RWD, pull, |h| h.notify_reward_amount(RWD, amount));
    host.notify_reward_amount(RWD, amount).unwrap();
    let (topics, data) = last_log(&vm);
    let ev = RewardNotified::decode_raw_log(topics, &data).unwrap();
    assert_eq!(ev.amount, amount);
    assert_eq!(ev.rate, amount * crate::math::RATE_SCALE / u(WEEK.into()));
    assert_eq!(ev.periodFinish, u((T0 + WEEK).into()));
    warp(&vm, T0 + WEEK);
    let e = host.earned(ALICE, RWD).unwrap();
    assert!(e <= amount && amount - e <= u(1), "earned {e}");
    // The owner may notify too.
    as_sender(&vm, OWNER);
    host.notify_reward_amount(RWD, u(10)).unwrap();
}

/// Regression: `notifyRewardAmount` callable by anyone lets a stranger stretch the period.
#[test]
fn notify_by_a_stranger_is_rejected() {
    let (vm, mut host) = setup();
    as_sender(&vm, STRANGER);
    assert_eq!(
        host.notify_reward_amount(RWD, u(1)),
        Err(RewardUnauthorized { caller: STRANGER }.into())
    );
    assert_eq!(
        host.distribute(RWD, u(1)),
        Err(RewardUnauthorized { caller: STRANGER }.into())
    );
    as_sender(&vm, DIST);
    assert_eq!(
        host.notify_reward_amount(RWD, U256::ZERO),
        Err(RewardZeroAmount {}.into())
    );
    assert_eq!(
        host.distribute(RWD, U256::ZERO),
        Err(RewardZeroAmount {}.into())
    );
    assert_eq!(
        host.notify_reward_amount(RWD2, u(1)),
        Err(RewardTokenUnknown { token: RWD2 }.into())
    );
    let (_, _, fin, _, _, _) = host.reward_data(RWD);
    assert_eq!(fin, U256::ZERO, "no period was started");
}

#[test]
fn funding_cap_is_enforced() {
    let (vm, mut host) = setup();
    as_sender(&vm, DIST);
    host.notify_reward_amount(RWD, crate::math::MAX_FUNDING)
        .unwrap();
    assert_eq!(
        host.notify_reward_amount(RWD, u(1)),
        Err(RewardFundingCap { token: RWD }.into())
    );
    host.mint(ALICE, 1);
    assert_eq!(
        host.distribute(RWD, u(1)),
        Err(RewardFundingCap { token: RWD }.into())
    );
}

#[test]
fn two_stakers_at_different_times_get_the_formula() {
    let (vm, mut host) = setup();
    host.mint(ALICE, 100);
    as_sender(&vm, DIST);
    let amount = u(604_800_000); // 1000 wei per second
    host.notify_reward_amount(RWD, amount).unwrap();
    warp(&vm, T0 + DAY);
    host.mint(BOB, 300);
    warp(&vm, T0 + WEEK);
    // Alice: 1 day alone + 6 days at 1/4; Bob: 6 days at 3/4.
    let alice = u(1000 * DAY as u128 + 1000 * 6 * DAY as u128 / 4);
    let bob = u(1000 * 6 * DAY as u128 * 3 / 4);
    assert_eq!(host.earned(ALICE, RWD).unwrap(), alice);
    assert_eq!(host.earned(BOB, RWD).unwrap(), bob);
    as_sender(&vm, ALICE);
    let pay = IErc20::transferCall {
        to: CAROL,
        amount: alice,
    }
    .abi_encode();
    assert_calls(&vm, RWD, pay, |h| h.claim(vec![RWD], CAROL).map(|_| ()));
    host.claim(vec![RWD], CAROL).unwrap();
    let (topics, data) = last_log(&vm);
    assert_eq!(
        RewardPaid::decode_raw_log(topics, &data).unwrap(),
        RewardPaid {
            account: ALICE,
            token: RWD,
            to: CAROL,
            amount: alice
        }
    );
    assert_eq!(host.earned(ALICE, RWD).unwrap(), U256::ZERO);
    // A second claim pays nothing and emits nothing.
    let logs = vm.get_emitted_logs().len();
    host.claim_all(CAROL).unwrap();
    assert_eq!(vm.get_emitted_logs().len(), logs);
    as_sender(&vm, BOB);
    host.claim_all(BOB).unwrap();
    let (topics, data) = last_log(&vm);
    assert_eq!(
        RewardPaid::decode_raw_log(topics, &data).unwrap().amount,
        bob
    );
}

#[test]
fn claim_errors() {
    let (vm, mut host) = setup();
    as_sender(&vm, ALICE);
    assert_eq!(
        host.claim(vec![RWD], Address::ZERO),
        Err(RewardZeroAddress {}.into())
    );
    assert_eq!(
        host.claim(vec![RWD2], ALICE),
        Err(RewardTokenUnknown { token: RWD2 }.into())
    );
}

/// Regression (Compound Proposal 62): a new account must start at the current index, not 0.
#[test]
fn uninitialised_user_index_compound_p62() {
    let (vm, mut host) = setup();
    host.mint(ALICE, 100);
    as_sender(&vm, DIST);
    host.notify_reward_amount(RWD, u(1_000_000_000)).unwrap();
    warp(&vm, T0 + 3 * DAY);
    host.mint(BOB, 1_000);
    assert_eq!(host.earned(BOB, RWD).unwrap(), U256::ZERO);
    // Bob received shares by transfer too: still nothing from the past.
    host.transfer(ALICE, CAROL, 50, true);
    assert_eq!(host.earned(CAROL, RWD).unwrap(), U256::ZERO);
    assert!(host.earned(ALICE, RWD).unwrap() > U256::ZERO);
}

/// Regression (Unipool PR #15 / Tokemak): emissions during zero supply are carried forward.
#[test]
fn rewards_lost_at_zero_supply() {
    let (vm, mut host) = setup();
    as_sender(&vm, DIST);
    let amount = u(604_800);
    host.notify_reward_amount(RWD, amount).unwrap();
    warp(&vm, T0 + 3 * DAY);
    host.mint(ALICE, 10);
    let (_, _, fin, _, _, _) = host.reward_data(RWD);
    assert_eq!(
        fin,
        u((T0 + 3 * DAY + WEEK).into()),
        "the stream paused for 3 days"
    );
    warp(&vm, T0 + 3 * DAY + WEEK);
    assert_eq!(host.earned(ALICE, RWD).unwrap(), amount, "nothing was lost");
    // Everyone leaves mid-stream, then comes back: still nothing lost.
    host.burn(ALICE, 10);
    as_sender(&vm, DIST);
    host.notify_reward_amount(RWD, amount).unwrap();
    warp(&vm, T0 + 20 * DAY);
    host.mint(BOB, 5);
    warp(&vm, T0 + 20 * DAY + WEEK);
    assert_eq!(host.earned(BOB, RWD).unwrap(), amount);
}

/// Regression: a balance change that skips the checkpoint hands the sender's history to the
/// receiver. The mock host's checkpointed transfer keeps both histories exact; the unchecked
/// variant shows what the test guards against.
#[test]
fn checkpoint_missed_on_transfer() {
    for checkpoint in [true, false] {
        let (vm, mut host) = setup();
        host.mint(ALICE, 100);
        host.mint(BOB, 100);
        as_sender(&vm, DIST);
        host.notify_reward_amount(RWD, u(2 * 604_800)).unwrap(); // 2 wei/s
        warp(&vm, T0 + DAY);
        host.transfer(ALICE, BOB, 100, checkpoint);
        warp(&vm, T0 + 2 * DAY);
        let alice = host.earned(ALICE, RWD).unwrap();
        let bob = host.earned(BOB, RWD).unwrap();
        if checkpoint {
            assert_eq!(alice, u(DAY.into()));
            assert_eq!(bob, u(DAY as u128 + 2 * DAY as u128));
        } else {
            assert_ne!(
                alice,
                u(DAY.into()),
                "without a checkpoint Alice loses her day"
            );
            assert_ne!(bob, u(3 * DAY as u128));
        }
    }
}

#[test]
fn distribute_credits_holders_at_once() {
    let (vm, mut host) = setup();
    host.mint(ALICE, 1);
    host.mint(BOB, 3);
    as_sender(&vm, DIST);
    let pull = IErc20::transferFromCall {
        from: DIST,
        to: vm.contract_address(),
        amount: u(1000),
    }
    .abi_encode();
    assert_calls(&vm, RWD, pull, |h| h.distribute(RWD, u(1000)));
    host.distribute(RWD, u(1000)).unwrap();
    let (topics, data) = last_log(&vm);
    let ev = RewardDistributed::decode_raw_log(topics, &data).unwrap();
    assert_eq!(ev.rewardPerShare, u(250) * INDEX_SCALE);
    assert_eq!(host.earned(ALICE, RWD).unwrap(), u(250));
    assert_eq!(host.earned(BOB, RWD).unwrap(), u(750));
    // A later holder gets none of it.
    host.mint(CAROL, 4);
    assert_eq!(host.earned(CAROL, RWD).unwrap(), U256::ZERO);
    assert_eq!(index_now(&host), u(250) * INDEX_SCALE);
}

#[test]
fn distribute_at_zero_supply_becomes_a_stream() {
    let (vm, mut host) = setup();
    as_sender(&vm, DIST);
    host.distribute(RWD, u(604_800)).unwrap();
    let (topics, data) = last_log(&vm);
    assert!(RewardNotified::decode_raw_log(topics, &data).is_ok());
    warp(&vm, T0 + DAY);
    host.mint(ALICE, 7);
    warp(&vm, T0 + DAY + WEEK);
    assert_eq!(host.earned(ALICE, RWD).unwrap(), u(604_800));
}

#[test]
fn set_rewards_duration_rules() {
    let (vm, mut host) = setup();
    as_sender(&vm, STRANGER);
    assert_eq!(
        host.set_rewards_duration(RWD, u(DAY.into())),
        Err(RewardUnauthorized { caller: STRANGER }.into())
    );
    as_sender(&vm, DIST);
    assert_eq!(
        host.set_rewards_duration(RWD2, u(1)),
        Err(RewardTokenUnknown { token: RWD2 }.into())
    );
    assert_eq!(
        host.set_rewards_duration(RWD, U256::ZERO),
        Err(RewardInvalidDuration {
            duration: U256::ZERO
        }
        .into())
    );
    host.mint(ALICE, 1);
    host.notify_reward_amount(RWD, u(1000)).unwrap();
    assert_eq!(
        host.set_rewards_duration(RWD, u(DAY.into())),
        Err(RewardPeriodActive {
            token: RWD,
            periodFinish: u((T0 + WEEK).into())
        }
        .into())
    );
    warp(&vm, T0 + WEEK);
    host.set_rewards_duration(RWD, u(DAY.into())).unwrap();
    let (topics, data) = last_log(&vm);
    assert_eq!(
        RewardsDurationUpdated::decode_raw_log(topics, &data).unwrap(),
        RewardsDurationUpdated {
            token: RWD,
            duration: u(DAY.into())
        }
    );
    assert_eq!(host.reward_data(RWD).1, u(DAY.into()));
}

#[test]
fn recover_erc20_rules() {
    let (vm, mut host) = setup();
    let stray = Address::with_last_byte(0x77);
    vm.set_code(stray, vec![0xfe]);
    as_sender(&vm, STRANGER);
    assert_eq!(
        host.recover_erc20(stray, u(5)),
        Err(RewardUnauthorized { caller: STRANGER }.into())
    );
    as_sender(&vm, OWNER);
    assert_eq!(
        host.recover_erc20(RWD, u(5)),
        Err(RewardTokenForbidden { token: RWD }.into())
    );
    assert_eq!(
        host.recover_erc20(PRINCIPAL, u(5)),
        Err(RewardTokenForbidden { token: PRINCIPAL }.into())
    );
    let pay = IErc20::transferCall {
        to: OWNER,
        amount: u(5),
    }
    .abi_encode();
    assert_calls(&vm, stray, pay, |h| h.recover_erc20(stray, u(5)));
    host.recover_erc20(stray, u(5)).unwrap();
    let (topics, data) = last_log(&vm);
    assert_eq!(
        Recovered::decode_raw_log(topics, &data).unwrap(),
        Recovered {
            token: stray,
            amount: u(5)
        }
    );
}

#[test]
fn multiple_reward_tokens_accrue_independently() {
    let (vm, mut host) = setup();
    host.add_reward(RWD2, OWNER, u(DAY.into())).unwrap();
    host.mint(ALICE, 10);
    host.notify_reward_amount(RWD2, u(86_400)).unwrap();
    as_sender(&vm, DIST);
    host.notify_reward_amount(RWD, u(604_800)).unwrap();
    warp(&vm, T0 + DAY);
    assert_eq!(host.earned(ALICE, RWD).unwrap(), u(86_400));
    assert_eq!(host.earned(ALICE, RWD2).unwrap(), u(86_400));
    as_sender(&vm, ALICE);
    host.claim_all(ALICE).unwrap();
    let paid: Vec<_> = vm
        .get_emitted_logs()
        .into_iter()
        .filter_map(|(t, d)| RewardPaid::decode_raw_log(t, &d).ok())
        .map(|e| (e.token, e.amount))
        .collect();
    assert_eq!(paid, vec![(RWD, u(86_400)), (RWD2, u(86_400))]);
}

sol! {
    interface IRewardsAbi {
        function rewardTokens() external view returns (address[] memory);
        function rewardData(address token) external view returns (address, uint256, uint256, uint256, uint256, uint256);
        function earned(address account, address token) external view returns (uint256);
        function claim(address[] calldata tokens, address to) external;
        function claimAll(address to) external;
        function addReward(address token, address distributor, uint256 duration) external;
        function setRewardsDuration(address token, uint256 duration) external;
        function notifyRewardAmount(address token, uint256 amount) external;
        function distribute(address token, uint256 amount) external;
        function recoverERC20(address token, uint256 amount) external;
    }
}

/// The router answers the Solidity `IRewards` selectors (same ABI on every host).
#[test]
fn abi_selectors_route_like_the_solidity_interface() {
    let (vm, mut host) = setup();
    host.mint(ALICE, 2);
    fn route(h: &mut MockHost, data: Vec<u8>) -> Option<Result<Vec<u8>, Vec<u8>>> {
        let sel = u32::from_be_bytes(data[..4].try_into().unwrap());
        <MockHost as Router<MockHost, dyn IRewards>>::route(h, sel, &data[4..])
    }
    let out = route(&mut host, IRewardsAbi::rewardTokensCall {}.abi_encode())
        .unwrap()
        .unwrap();
    assert_eq!(
        IRewardsAbi::rewardTokensCall::abi_decode_returns(&out).unwrap(),
        vec![RWD]
    );
    as_sender(&vm, DIST);
    let call = IRewardsAbi::notifyRewardAmountCall {
        token: RWD,
        amount: u(604_800),
    }
    .abi_encode();
    route(&mut host, call).unwrap().unwrap();
    warp(&vm, T0 + DAY);
    let out = route(
        &mut host,
        IRewardsAbi::earnedCall {
            account: ALICE,
            token: RWD,
        }
        .abi_encode(),
    )
    .unwrap()
    .unwrap();
    assert_eq!(
        IRewardsAbi::earnedCall::abi_decode_returns(&out).unwrap(),
        u(86_400)
    );
    let err = route(
        &mut host,
        IRewardsAbi::addRewardCall {
            token: RWD2,
            distributor: DIST,
            duration: u(1),
        }
        .abi_encode(),
    )
    .unwrap()
    .unwrap_err();
    assert_eq!(err, RewardUnauthorized { caller: DIST }.abi_encode());
    for data in [
        IRewardsAbi::rewardDataCall { token: RWD }.abi_encode(),
        IRewardsAbi::claimCall {
            tokens: vec![RWD],
            to: ALICE,
        }
        .abi_encode(),
        IRewardsAbi::claimAllCall { to: ALICE }.abi_encode(),
        IRewardsAbi::setRewardsDurationCall {
            token: RWD,
            duration: u(1),
        }
        .abi_encode(),
        IRewardsAbi::distributeCall {
            token: RWD,
            amount: u(1),
        }
        .abi_encode(),
        IRewardsAbi::recoverERC20Call {
            token: RWD,
            amount: u(1),
        }
        .abi_encode(),
    ] {
        assert!(route(&mut host, data).is_some(), "selector not routed");
    }
}

#[derive(Clone, Debug)]
enum Op {
    Wait(u32),
    Notify(u64),
    Distribute(u64),
    Mint(usize, u64),
    Burn(usize, u64),
    Transfer(usize, usize, u64),
    Claim(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0u32..300_000).prop_map(Op::Wait),
        (1u64..1_000_000_000_000).prop_map(Op::Notify),
        (1u64..1_000_000_000).prop_map(Op::Distribute),
        (0usize..3, 1u64..1_000_000_000_000_000_000).prop_map(|(w, a)| Op::Mint(w, a)),
        (0usize..3, 0u64..=100).prop_map(|(w, pct)| Op::Burn(w, pct)),
        (0usize..3, 0usize..3, 0u64..=100).prop_map(|(a, b, pct)| Op::Transfer(a, b, pct)),
        (0usize..3).prop_map(Op::Claim),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Through the real storage and ABI: Σ claimed + Σ pending ≤ Σ funded, the index is monotone
    /// and no paid index ever exceeds the global index.
    #[test]
    fn storage_conservation_and_monotone_index(ops in proptest::collection::vec(op(), 1..40)) {
        let (vm, mut host) = setup();
        let users = [ALICE, BOB, CAROL];
        let mut now = T0;
        let mut funded = U256::ZERO;
        let mut claimed = U256::ZERO;
        let mut last_index = U256::ZERO;
        for op in ops {
            match op {
                Op::Wait(dt) => { now += u64::from(dt); warp(&vm, now); }
                Op::Notify(a) => {
                    as_sender(&vm, DIST);
                    host.notify_reward_amount(RWD, U256::from(a)).unwrap();
                    funded += U256::from(a);
                }
                Op::Distribute(a) => {
                    as_sender(&vm, DIST);
                    host.distribute(RWD, U256::from(a)).unwrap();
                    funded += U256::from(a);
                }
                Op::Mint(w, a) => host.mint(users[w], a.into()),
                Op::Burn(w, pct) => {
                    let b = host.balances.get(users[w]) * U256::from(pct) / U256::from(100);
                    host.burn(users[w], b.to::<u128>());
                }
                Op::Transfer(a, b, pct) => {
                    let amt = host.balances.get(users[a]) * U256::from(pct) / U256::from(100);
                    host.transfer(users[a], users[b], amt.to::<u128>(), true);
                }
                Op::Claim(w) => {
                    as_sender(&vm, users[w]);
                    let before = host.rewards.info(RWD).funded;
                    let owed = host.earned(users[w], RWD).unwrap();
                    host.claim_all(users[w]).unwrap();
                    prop_assert_eq!(host.rewards.info(RWD).funded, before);
                    prop_assert_eq!(host.earned(users[w], RWD).unwrap(), U256::ZERO);
                    claimed += owed;
                }
            }
            let index = index_now(&host);
            prop_assert!(index >= last_index, "index decreased");
            last_index = index;
            let stored = host.reward_data(RWD).5;
            for w in users {
                let paid = host.rewards.paid_index(RWD, w);
                prop_assert!(paid <= stored);
            }
            let pending: U256 = users.iter().map(|w| host.earned(*w, RWD).unwrap()).sum();
            prop_assert!(claimed + pending <= funded, "claimed {} + pending {} > funded {}", claimed, pending, funded);
        }
    }
}
