//! Incentives: two sources per market, checkpoints before every share change (supply, withdraw,
//! borrow, repay, liquidation, fee shares).

use super::*;

const RWD: Address = address!("00000000000000000000000000000000000fee01");
const DAY: u64 = 86_400;

/// A reward stream of `amount` over one day on `source`, funded by the owner.
fn fund(vm: &TestVM, m: &mut LendingMarket, source: U256, amount: U256) {
    vm.set_sender(OWNER);
    if !m.rewards().is_reward(source, RWD) {
        rewards::abi::add_reward(m, source, RWD, Address::ZERO, U256::from(DAY)).unwrap();
    }
    mint(RWD, OWNER, amount);
    rewards::abi::notify_reward_amount(m, source, RWD, amount).unwrap();
}

fn earned(m: &LendingMarket, source: U256, who: Address) -> U256 {
    rewards::abi::earned(m, source, who, RWD).unwrap()
}

#[test]
fn supply_side_rewards_follow_supply_shares() {
    let (vm, mut m) = setup();
    supply(&vm, &mut m, ALICE, u(1_000)).unwrap();
    fund(&vm, &mut m, supply_source(id()), u(86_400_000));
    vm.set_block_timestamp(T0 + DAY / 2);
    // Bob joins half-way with the same amount: checkpointed before his shares exist.
    supply(&vm, &mut m, BOB, u(1_000)).unwrap();
    vm.set_block_timestamp(T0 + DAY);
    let (a, b) = (
        earned(&m, supply_source(id()), ALICE),
        earned(&m, supply_source(id()), BOB),
    );
    // Alice: all of the first half + half of the second; Bob: half of the second.
    assert!(a.abs_diff(u(64_800_000)) <= u(10), "{a}");
    assert!(b.abs_diff(u(21_600_000)) <= u(10), "{b}");
    // Withdrawing all stops Alice's accrual from now on (checkpointed before the burn).
    vm.set_sender(ALICE);
    let shares = pos(&m, ALICE).0;
    m.withdraw_inner(params(), U256::ZERO, shares, ALICE, ALICE)
        .unwrap();
    let a_now = earned(&m, supply_source(id()), ALICE);
    assert_eq!(a_now, a);
    // The borrow side earns nothing from supply-side funding.
    assert_eq!(earned(&m, borrow_source(id()), ALICE), U256::ZERO);
}

#[test]
fn borrow_side_rewards_follow_borrow_shares_through_repay_and_liquidation() {
    let (vm, mut m) = setup();
    supply(&vm, &mut m, ALICE, u(1_000_000)).unwrap();
    post(&vm, &mut m, BOB, u(1_000_000)).unwrap();
    post(&vm, &mut m, CAROL, u(1_000_000)).unwrap();
    borrow(&vm, &mut m, BOB, u(400_000)).unwrap();
    borrow(&vm, &mut m, CAROL, u(400_000)).unwrap();
    fund(&vm, &mut m, borrow_source(id()), u(86_400_000));
    vm.set_block_timestamp(T0 + DAY / 4);
    // Carol repays everything: checkpointed first, she keeps what she earned and earns no more.
    let shares = U256::from(pos(&m, CAROL).1);
    mint(LOAN, CAROL, u(1_000_000));
    vm.set_sender(CAROL);
    m.repay_inner(params(), U256::ZERO, shares, CAROL, &[])
        .unwrap();
    let c = earned(&m, borrow_source(id()), CAROL);
    assert!(c.abs_diff(u(10_800_000)) <= u(10), "{c}");
    vm.set_block_timestamp(T0 + DAY / 2);
    assert_eq!(earned(&m, borrow_source(id()), CAROL), c);
    // Bob is liquidated to zero collateral (bad debt): his borrow shares vanish after a
    // checkpoint, so his earnings up to now are kept.
    let b_before = earned(&m, borrow_source(id()), BOB);
    set_price(math::ORACLE_PRICE_SCALE / u(4));
    mint(LOAN, ALICE, u(10_000_000));
    vm.set_sender(ALICE);
    m.liquidate_inner(params(), BOB, u(1_000_000), U256::ZERO, &[])
        .unwrap();
    assert_eq!(pos(&m, BOB).1, 0);
    assert_eq!(earned(&m, borrow_source(id()), BOB), b_before);
    vm.set_block_timestamp(T0 + DAY);
    assert_eq!(earned(&m, borrow_source(id()), BOB), b_before);
    // Claims pay the reward token (the reward ABI's own transfer; mocked here).
    vm.set_sender(CAROL);
    let call = IErc20Transfer::transferCall {
        to: CAROL,
        value: c,
    }
    .abi_encode();
    vm.mock_call(
        RWD,
        call,
        U256::ZERO,
        Ok(U256::from(1).to_be_bytes::<32>().to_vec()),
    );
    rewards::abi::claim(&mut m, borrow_source(id()), vec![RWD], CAROL).unwrap();
    assert_eq!(earned(&m, borrow_source(id()), CAROL), U256::ZERO);
}

#[test]
fn fee_shares_are_checkpointed_for_the_fee_recipient() {
    let (vm, mut m) = setup();
    vm.set_sender(OWNER);
    m.set_fee_inner(params(), u(250_000_000_000_000_000))
        .unwrap();
    supply(&vm, &mut m, ALICE, e18(1_000)).unwrap();
    post(&vm, &mut m, BOB, e18(2_000)).unwrap();
    borrow(&vm, &mut m, BOB, e18(800)).unwrap();
    set_rate(u(10_000_000_000)); // 1e-8 / s
    fund(&vm, &mut m, supply_source(id()), u(86_400_000));
    vm.set_block_timestamp(T0 + DAY / 2);
    m.accrue_interest(params()).unwrap();
    let fee_shares = pos(&m, FEE_TO).0;
    assert!(fee_shares > U256::ZERO);
    // Minted at half-time after a checkpoint: the recipient earned nothing for the first half.
    assert_eq!(earned(&m, supply_source(id()), FEE_TO), U256::ZERO);
    vm.set_block_timestamp(T0 + DAY);
    assert!(earned(&m, supply_source(id()), FEE_TO) > U256::ZERO);
}

#[test]
fn unknown_sources_are_refused() {
    let (vm, mut m) = setup();
    vm.set_sender(OWNER);
    let e = rewards::abi::add_reward(
        &mut m,
        U256::from(12345),
        RWD,
        Address::ZERO,
        U256::from(DAY),
    );
    assert!(matches!(e, Err(rewards::RewardsError::SourceUnknown(_))));
}

alloy_sol_types::sol! {
    interface IErc20Transfer {
        function transfer(address to, uint256 value) external returns (bool);
    }
}
