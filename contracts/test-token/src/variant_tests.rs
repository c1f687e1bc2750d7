//! TestVM tests of the variants (`cargo test --release -p test-token --features <variant>`;
//! `.ci/run` runs both).

use alloy_primitives::{address, Address, U256};
use stylus_sdk::testing::TestVM;

use super::*;

const ALICE: Address = address!("00000000000000000000000000000000000A11CE");
const BOB: Address = address!("0000000000000000000000000000000000000B0B");

fn setup() -> (TestVM, TestToken) {
    let vm = TestVM::new();
    let mut token = TestToken::from(&vm);
    token.initialize("Odd".into(), "ODD".into(), 18).unwrap();
    token.mint(ALICE, U256::from(10_000)).unwrap();
    vm.set_sender(ALICE);
    (vm, token)
}

#[cfg(feature = "no-return-bool")]
#[test]
fn erc20_functions_return_nothing_but_still_move_tokens() {
    let (vm, mut token) = setup();
    // The type system is the assertion: these return Result<(), _>, i.e. empty return data.
    let r: Result<(), TokenError> = token.transfer(BOB, U256::from(100));
    r.unwrap();
    let r: Result<(), TokenError> = token.approve(BOB, U256::from(50));
    r.unwrap();
    vm.set_sender(BOB);
    let r: Result<(), TokenError> = token.transfer_from(ALICE, BOB, U256::from(50));
    r.unwrap();
    assert_eq!(token.balance_of(BOB), U256::from(150));
    assert_eq!(token.allowance(ALICE, BOB), U256::ZERO);
    // Failures still revert with named errors.
    assert!(matches!(
        token.transfer_from(ALICE, BOB, U256::from(1)),
        Err(TokenError::ERC20InsufficientAllowance(_))
    ));
}

#[cfg(feature = "fee-on-transfer")]
#[test]
fn one_percent_of_each_transfer_is_burned() {
    use alloy_sol_types::SolEvent;
    use kit::erc20::{IErc20, Transfer};
    let (vm, mut token) = setup();
    assert_eq!(token.transfer(BOB, U256::from(1_000)), Ok(true));
    assert_eq!(token.balance_of(ALICE), U256::from(9_000));
    assert_eq!(token.balance_of(BOB), U256::from(990));
    assert_eq!(token.total_supply(), U256::from(9_990));
    let transfers: Vec<Transfer> = vm
        .get_emitted_logs()
        .iter()
        .filter(|(t, _)| t[0] == Transfer::SIGNATURE_HASH)
        .map(|(t, d)| Transfer::decode_raw_log(t, d).unwrap())
        .collect();
    assert_eq!(
        transfers[1],
        Transfer {
            from: ALICE,
            to: Address::ZERO,
            value: U256::from(10)
        }
    );
    assert_eq!(
        transfers[2],
        Transfer {
            from: ALICE,
            to: BOB,
            value: U256::from(990)
        }
    );

    // Amounts under 100 wei pay no fee (rounded down); transferFrom pays the fee too.
    token.transfer(BOB, U256::from(99)).unwrap();
    assert_eq!(token.balance_of(BOB), U256::from(1_089));
    token.approve(BOB, U256::from(500)).unwrap();
    vm.set_sender(BOB);
    token.transfer_from(ALICE, BOB, U256::from(500)).unwrap();
    assert_eq!(token.balance_of(BOB), U256::from(1_584));
    assert_eq!(token.balance_of(ALICE), U256::from(8_401));
    // The balance check covers the whole amount, fee included.
    vm.set_sender(ALICE);
    assert!(matches!(
        token.transfer(BOB, U256::from(8_402)),
        Err(TokenError::ERC20InsufficientBalance(_))
    ));
    // Mint and burn are fee-free.
    token.burn(U256::from(401)).unwrap();
    assert_eq!(token.balance_of(ALICE), U256::from(8_000));
}
