//! TestVM unit tests of WETH (payments are mocked calls; the devnode e2e `tests/tests/e2e/weth.rs`
//! pays real EOAs and contracts).

use alloy_primitives::{address, Address, U256};
use alloy_sol_types::SolEvent;
use kit::erc20::{Approval, Transfer};
use stylus_sdk::testing::TestVM;

use super::*;

const ALICE: Address = address!("00000000000000000000000000000000000A11CE");
const BOB: Address = address!("0000000000000000000000000000000000000B0B");
const CAROL: Address = address!("00000000000000000000000000000000000CA201");

fn u(x: u64) -> U256 {
    U256::from(x)
}

fn setup() -> (TestVM, Weth) {
    let vm = TestVM::new();
    let weth = Weth::from(&vm);
    (vm, weth)
}

fn logs_of<E: SolEvent>(vm: &TestVM) -> Vec<E> {
    vm.get_emitted_logs()
        .into_iter()
        .filter(|(topics, _)| topics.first() == Some(&E::SIGNATURE_HASH))
        .map(|(topics, data)| E::decode_raw_log(topics, &data).unwrap())
        .collect()
}

fn deposit(vm: &TestVM, weth: &mut Weth, who: Address, wad: u64) {
    vm.set_sender(who);
    vm.set_value(u(wad));
    weth.deposit().unwrap();
    vm.set_value(U256::ZERO);
}

#[test]
fn metadata_is_weth9s() {
    let (_vm, weth) = setup();
    assert_eq!(weth.name(), "Wrapped Ether");
    assert_eq!(weth.symbol(), "WETH");
    assert_eq!(weth.decimals(), 18);
    assert_eq!(weth.total_supply(), U256::ZERO);
}

#[test]
fn deposit_mints_value_and_emits_deposit_and_transfer() {
    let (vm, mut weth) = setup();
    deposit(&vm, &mut weth, ALICE, 1_000);
    deposit(&vm, &mut weth, BOB, 5);
    assert_eq!(weth.balance_of(ALICE), u(1_000));
    assert_eq!(weth.balance_of(BOB), u(5));
    assert_eq!(weth.total_supply(), u(1_005));
    assert_eq!(
        logs_of::<Deposit>(&vm),
        vec![
            Deposit {
                dst: ALICE,
                wad: u(1_000)
            },
            Deposit {
                dst: BOB,
                wad: u(5)
            }
        ]
    );
    assert_eq!(
        logs_of::<Transfer>(&vm)[0],
        Transfer {
            from: Address::ZERO,
            to: ALICE,
            value: u(1_000)
        }
    );
}

#[test]
fn receive_and_fallback_deposit() {
    let (vm, mut weth) = setup();
    vm.set_sender(ALICE);
    vm.set_value(u(7));
    weth.receive().unwrap();
    weth.fallback(&[1, 2, 3, 4]).unwrap();
    assert_eq!(weth.balance_of(ALICE), u(14));
    assert_eq!(weth.total_supply(), u(14));
    assert_eq!(logs_of::<Deposit>(&vm).len(), 2);
}

#[test]
fn withdraw_burns_then_pays_the_caller() {
    let (vm, mut weth) = setup();
    deposit(&vm, &mut weth, ALICE, 100);
    vm.mock_call(ALICE, vec![], u(60), Ok(vec![]));
    weth.withdraw(u(60)).unwrap();
    assert_eq!(weth.balance_of(ALICE), u(40));
    assert_eq!(weth.total_supply(), u(40));
    assert_eq!(
        logs_of::<Withdrawal>(&vm),
        vec![Withdrawal {
            src: ALICE,
            wad: u(60)
        }]
    );
    assert_eq!(
        logs_of::<Transfer>(&vm).last(),
        Some(&Transfer {
            from: ALICE,
            to: Address::ZERO,
            value: u(60)
        })
    );
}

#[test]
fn withdraw_more_than_balance_is_a_named_error() {
    let (vm, mut weth) = setup();
    deposit(&vm, &mut weth, ALICE, 10);
    assert_eq!(
        weth.withdraw(u(11)),
        Err(WethError::ERC20InsufficientBalance(
            ERC20InsufficientBalance {
                sender: ALICE,
                balance: u(10),
                needed: u(11)
            }
        ))
    );
    assert_eq!(weth.balance_of(ALICE), u(10));
}

#[test]
fn failed_payment_is_weth_transfer_failed() {
    let (vm, mut weth) = setup();
    deposit(&vm, &mut weth, ALICE, 10);
    vm.mock_call(ALICE, vec![], u(10), Err(vec![0xde, 0xad]));
    assert_eq!(
        weth.withdraw(u(10)),
        Err(WethError::WETHTransferFailed(WETHTransferFailed {
            to: ALICE,
            amount: u(10)
        }))
    );
}

#[test]
fn transfer_and_transfer_from_follow_erc20() {
    let (vm, mut weth) = setup();
    deposit(&vm, &mut weth, ALICE, 100);
    vm.set_sender(ALICE);
    assert_eq!(weth.transfer(BOB, u(30)), Ok(true));
    assert_eq!(weth.approve(CAROL, u(50)), Ok(true));
    assert_eq!(
        logs_of::<Approval>(&vm),
        vec![Approval {
            owner: ALICE,
            spender: CAROL,
            value: u(50)
        }]
    );
    vm.set_sender(CAROL);
    assert_eq!(weth.transfer_from(ALICE, BOB, u(20)), Ok(true));
    assert_eq!(weth.allowance(ALICE, CAROL), u(30));
    assert_eq!(
        weth.transfer_from(ALICE, BOB, u(31)),
        Err(WethError::ERC20InsufficientAllowance(
            ERC20InsufficientAllowance {
                spender: CAROL,
                allowance: u(30),
                needed: u(31)
            }
        ))
    );
    assert_eq!(weth.balance_of(ALICE), u(50));
    assert_eq!(weth.balance_of(BOB), u(50));
    assert_eq!(weth.total_supply(), u(100));
    assert_eq!(
        weth.transfer(Address::ZERO, u(1)),
        Err(WethError::ERC20InvalidReceiver(ERC20InvalidReceiver {
            receiver: Address::ZERO
        }))
    );
}

#[test]
fn owner_transfer_from_needs_no_allowance() {
    let (vm, mut weth) = setup();
    deposit(&vm, &mut weth, ALICE, 10);
    vm.set_sender(ALICE);
    assert_eq!(weth.transfer_from(ALICE, BOB, u(10)), Ok(true));
    assert_eq!(weth.balance_of(BOB), u(10));
}

#[test]
fn infinite_allowance_is_not_spent() {
    let (vm, mut weth) = setup();
    deposit(&vm, &mut weth, ALICE, 10);
    vm.set_sender(ALICE);
    weth.approve(CAROL, U256::MAX).unwrap();
    vm.set_sender(CAROL);
    weth.transfer_from(ALICE, BOB, u(10)).unwrap();
    assert_eq!(weth.allowance(ALICE, CAROL), U256::MAX);
}
