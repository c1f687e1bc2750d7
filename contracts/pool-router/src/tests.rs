//! TestVM unit tests of the router: factory, pairs, tokens and WETH are mocked calls; every
//! mutating call the router makes is checked in order through `calls::recorder` (TestVM answers
//! unmocked calls with success, so the recorder is what proves a swap went where it should).

use alloy_primitives::{address, b256, Address, B256, U256};
use alloy_sol_types::{SolCall, SolValue};
use kit::safe_erc20::IErc20Calls;
use proptest::prelude::*;
use stylus_sdk::testing::TestVM;

use super::*;
use crate::{
    calls::{recorder, IFactoryCalls, IPairCalls, IWethCalls},
    test_vm::FixedVM,
};

const ROUTER: Address = address!("00000000000000000000000000000000000F0E7E");
const FACTORY: Address = address!("0000000000000000000000000000000000FAC702");
const WETH: Address = address!("000000000000000000000000000000000000E7E4");
const TA: Address = address!("000000000000000000000000000000000000AAAA");
const TB: Address = address!("000000000000000000000000000000000000BBBB");
const TC: Address = address!("000000000000000000000000000000000000CCCC");
const ALICE: Address = address!("00000000000000000000000000000000000A11CE");
const BOB: Address = address!("0000000000000000000000000000000000000B0B");
const HASH: B256 = b256!("1111111111111111111111111111111111111111111111111111111111111111");
const NOW: u64 = 1_700_000_000;

fn u(x: u128) -> U256 {
    U256::from(x)
}

fn deadline() -> U256 {
    U256::from(NOW)
}

fn word(x: U256) -> Vec<u8> {
    x.to_be_bytes::<32>().to_vec()
}

fn setup() -> (TestVM, PoolRouter) {
    let vm = TestVM::new();
    vm.set_contract_address(ROUTER);
    vm.set_block_timestamp(NOW);
    vm.set_sender(ALICE);
    vm.mock_static_call(
        FACTORY,
        IFactoryCalls::pairInitCodeHashCall {}.abi_encode(),
        Ok(HASH.to_vec()),
    );
    let mut router = PoolRouter::from(&FixedVM(vm.clone()));
    router.constructor(FACTORY, WETH).unwrap();
    recorder::take();
    (vm, router)
}

fn pair(a: Address, b: Address) -> Address {
    library::pair_for(FACTORY, HASH, a, b).unwrap()
}

/// Mocks `getReserves` of the `(a, b)` pair with `ra` of `a` and `rb` of `b`.
fn reserves(vm: &TestVM, a: Address, b: Address, ra: u128, rb: u128) {
    let (r0, r1) = if a < b { (ra, rb) } else { (rb, ra) };
    vm.mock_static_call(
        pair(a, b),
        IPairCalls::getReservesCall {}.abi_encode(),
        Ok((u(r0), u(r1), 0u32).abi_encode()),
    );
}

fn mock_transfer_from(vm: &TestVM, token: Address, from: Address, to: Address, value: U256) {
    let data = IErc20Calls::transferFromCall { from, to, value }.abi_encode();
    vm.mock_call(token, data, U256::ZERO, Ok(word(u(1))));
}

fn mock_transfer(vm: &TestVM, token: Address, to: Address, value: U256) {
    let data = IErc20Calls::transferCall { to, value }.abi_encode();
    vm.mock_call(token, data, U256::ZERO, Ok(word(u(1))));
}

fn mock_balance(vm: &TestVM, token: Address, who: Address, value: U256) {
    let data = IErc20Calls::balanceOfCall { account: who }.abi_encode();
    vm.mock_static_call(token, data, Ok(word(value)));
}

/// The recorded `pair.swap(...)` for an `input -> output` hop paying `out` to `to`.
fn swap_call(input: Address, output: Address, out: U256, to: Address) -> (Address, U256, Vec<u8>) {
    let (a0, a1) = if input < output {
        (U256::ZERO, out)
    } else {
        (out, U256::ZERO)
    };
    let data = IPairCalls::swapCall {
        amount0Out: a0,
        amount1Out: a1,
        to,
        data: Default::default(),
    }
    .abi_encode();
    (pair(input, output), U256::ZERO, data)
}

fn deposit_call(value: U256) -> (Address, U256, Vec<u8>) {
    (WETH, value, IWethCalls::depositCall {}.abi_encode())
}

fn withdraw_call(wad: U256) -> (Address, U256, Vec<u8>) {
    (
        WETH,
        U256::ZERO,
        IWethCalls::withdrawCall { wad }.abi_encode(),
    )
}

fn eth_to(to: Address, value: U256) -> (Address, U256, Vec<u8>) {
    (to, value, Vec::new())
}

fn out(a: u128, r_in: u128, r_out: u128) -> U256 {
    library::get_amount_out(u(a), u(r_in), u(r_out)).unwrap()
}

fn inp(o: U256, r_in: u128, r_out: u128) -> U256 {
    library::get_amount_in(o, u(r_in), u(r_out)).unwrap()
}

// ---------------------------------------------------------------- construction and views

#[test]
fn constructor_reads_the_init_code_hash_once() {
    let (_vm, router) = setup();
    assert_eq!(router.factory(), FACTORY);
    assert_eq!(router.weth(), WETH);
    assert_eq!(router.init_code_hash.get(), HASH);
}

#[test]
fn constructor_refuses_a_factory_without_init_code_hash_and_zero_addresses() {
    let vm = TestVM::new();
    let mut router = PoolRouter::from(&FixedVM(vm.clone()));
    vm.mock_static_call(
        FACTORY,
        IFactoryCalls::pairInitCodeHashCall {}.abi_encode(),
        Err(vec![]),
    );
    assert_eq!(
        router.constructor(FACTORY, WETH),
        Err(RouterError::InvalidFactory(InvalidFactory {
            factory: FACTORY
        }))
    );
    assert_eq!(
        router.constructor(Address::ZERO, WETH),
        Err(RouterError::ZeroAddress(ZeroAddress {}))
    );
    assert_eq!(
        router.constructor(FACTORY, Address::ZERO),
        Err(RouterError::ZeroAddress(ZeroAddress {}))
    );
}

#[test]
fn library_views_map_to_named_errors() {
    let (_vm, router) = setup();
    assert_eq!(router.quote(u(1), u(100), u(200)), Ok(u(2)));
    assert_eq!(router.get_amount_out(u(2), u(100), u(100)), Ok(u(1)));
    assert_eq!(router.get_amount_in(u(1), u(100), u(100)), Ok(u(2)));
    assert_eq!(
        router.quote(U256::ZERO, u(1), u(1)),
        Err(RouterError::InsufficientAmount(InsufficientAmount {}))
    );
    assert_eq!(
        router.get_amount_out(U256::ZERO, u(1), u(1)),
        Err(RouterError::InsufficientInputAmount(
            InsufficientInputAmount {}
        ))
    );
    assert_eq!(
        router.get_amount_in(U256::ZERO, u(1), u(1)),
        Err(RouterError::InsufficientOutputAmount(
            InsufficientOutputAmount {}
        ))
    );
    assert_eq!(
        router.get_amount_out(u(1), U256::ZERO, u(1)),
        Err(RouterError::InsufficientLiquidity(InsufficientLiquidity {}))
    );
    assert_eq!(
        router.get_amount_in(u(10), u(10), u(10)),
        Err(RouterError::InsufficientLiquidity(InsufficientLiquidity {}))
    );
    assert_eq!(
        router.get_amount_out(U256::MAX, u(1), u(1)),
        Err(RouterError::MathOverflow(MathOverflow {}))
    );
}

#[test]
fn amounts_over_a_multi_hop_path() {
    let (vm, router) = setup();
    reserves(&vm, TA, TB, 1_000_000, 2_000_000);
    reserves(&vm, TB, TC, 3_000_000, 1_500_000);
    let o1 = out(10_000, 1_000_000, 2_000_000);
    let o2 = library::get_amount_out(o1, u(3_000_000), u(1_500_000)).unwrap();
    assert_eq!(
        router.get_amounts_out(u(10_000), vec![TA, TB, TC]),
        Ok(vec![u(10_000), o1, o2])
    );
    let i2 = inp(u(5_000), 3_000_000, 1_500_000);
    let i1 = library::get_amount_in(i2, u(1_000_000), u(2_000_000)).unwrap();
    assert_eq!(
        router.get_amounts_in(u(5_000), vec![TA, TB, TC]),
        Ok(vec![i1, i2, u(5_000)])
    );
    // Reversed direction reads the same pair with the reserves swapped.
    assert_eq!(
        router.get_amounts_out(u(10_000), vec![TB, TA]),
        Ok(vec![u(10_000), out(10_000, 2_000_000, 1_000_000)])
    );
    for bad in [vec![], vec![TA]] {
        assert_eq!(
            router.get_amounts_out(u(1), bad.clone()),
            Err(RouterError::InvalidPath(InvalidPath {}))
        );
        assert_eq!(
            router.get_amounts_in(u(1), bad),
            Err(RouterError::InvalidPath(InvalidPath {}))
        );
    }
    assert_eq!(
        router.get_amounts_out(u(1), vec![TA, TA]),
        Err(RouterError::IdenticalAddresses(IdenticalAddresses {}))
    );
    assert_eq!(
        router.get_amounts_out(u(1), vec![TA, Address::ZERO]),
        Err(RouterError::ZeroAddress(ZeroAddress {}))
    );
}

#[test]
fn a_missing_pair_is_a_named_call_failure() {
    let (vm, router) = setup();
    vm.mock_static_call(
        pair(TA, TB),
        IPairCalls::getReservesCall {}.abi_encode(),
        Err(vec![1, 2, 3]),
    );
    assert_eq!(
        router.get_amounts_out(u(1), vec![TA, TB]),
        Err(RouterError::CallFailed(CallFailed {
            target: pair(TA, TB),
            reason: vec![1, 2, 3].into()
        }))
    );
}

// ---------------------------------------------------------------- token swaps

#[test]
fn swap_exact_tokens_for_tokens_multi_hop() {
    let (vm, mut router) = setup();
    reserves(&vm, TA, TB, 1_000_000, 2_000_000);
    reserves(&vm, TB, TC, 3_000_000, 1_500_000);
    let amounts = router.get_amounts_out(u(10_000), vec![TA, TB, TC]).unwrap();
    mock_transfer_from(&vm, TA, ALICE, pair(TA, TB), u(10_000));
    let got = router
        .swap_exact_tokens_for_tokens(u(10_000), amounts[2], vec![TA, TB, TC], BOB, deadline())
        .unwrap();
    assert_eq!(got, amounts);
    assert_eq!(
        recorder::take(),
        vec![
            swap_call(TA, TB, amounts[1], pair(TB, TC)),
            swap_call(TB, TC, amounts[2], BOB),
        ]
    );
}

#[test]
fn swap_exact_tokens_checks_the_output_minimum_before_moving_anything() {
    let (vm, mut router) = setup();
    reserves(&vm, TA, TB, 1_000_000, 2_000_000);
    let o = out(10_000, 1_000_000, 2_000_000);
    assert_eq!(
        router.swap_exact_tokens_for_tokens(u(10_000), o + u(1), vec![TA, TB], BOB, deadline()),
        Err(RouterError::InsufficientOutputAmount(
            InsufficientOutputAmount {}
        ))
    );
    assert!(recorder::take().is_empty());
}

#[test]
fn every_mutating_entry_point_checks_the_deadline() {
    let (vm, mut router) = setup();
    let late = deadline() - u(1);
    let expired = Err(RouterError::Expired(Expired {}));
    let p = || vec![WETH, TA];
    assert_eq!(
        router.swap_exact_tokens_for_tokens(u(1), u(0), p(), BOB, late),
        expired
    );
    assert_eq!(
        router.swap_tokens_for_exact_tokens(u(1), u(9), p(), BOB, late),
        expired
    );
    assert_eq!(
        router.swap_exact_eth_for_tokens(u(0), p(), BOB, late),
        expired
    );
    assert_eq!(
        router.swap_tokens_for_exact_eth(u(1), u(9), p(), BOB, late),
        expired
    );
    assert_eq!(
        router.swap_exact_tokens_for_eth(u(1), u(0), p(), BOB, late),
        expired
    );
    assert_eq!(
        router.swap_eth_for_exact_tokens(u(1), p(), BOB, late),
        expired
    );
    assert_eq!(
        router.swap_exact_tokens_for_tokens_supporting_fee_on_transfer_tokens(
            u(1),
            u(0),
            p(),
            BOB,
            late
        ),
        Err(RouterError::Expired(Expired {}))
    );
    assert_eq!(
        router.swap_exact_eth_for_tokens_supporting_fee_on_transfer_tokens(u(0), p(), BOB, late),
        Err(RouterError::Expired(Expired {}))
    );
    assert_eq!(
        router.swap_exact_tokens_for_eth_supporting_fee_on_transfer_tokens(
            u(1),
            u(0),
            p(),
            BOB,
            late
        ),
        Err(RouterError::Expired(Expired {}))
    );
    assert_eq!(
        router.add_liquidity(TA, TB, u(1), u(1), u(0), u(0), BOB, late),
        Err(RouterError::Expired(Expired {}))
    );
    assert_eq!(
        router.add_liquidity_eth(TA, u(1), u(0), u(0), BOB, late),
        Err(RouterError::Expired(Expired {}))
    );
    assert_eq!(
        router.remove_liquidity(TA, TB, u(1), u(0), u(0), BOB, late),
        Err(RouterError::Expired(Expired {}))
    );
    assert_eq!(
        router.remove_liquidity_eth(TA, u(1), u(0), u(0), BOB, late),
        Err(RouterError::Expired(Expired {}))
    );
    assert_eq!(
        router.remove_liquidity_with_permit(
            TA,
            TB,
            u(1),
            u(0),
            u(0),
            BOB,
            late,
            false,
            27,
            B256::ZERO,
            B256::ZERO
        ),
        Err(RouterError::Expired(Expired {}))
    );
    assert_eq!(
        router.remove_liquidity_eth_with_permit(
            TA,
            u(1),
            u(0),
            u(0),
            BOB,
            late,
            false,
            27,
            B256::ZERO,
            B256::ZERO
        ),
        Err(RouterError::Expired(Expired {}))
    );
    assert_eq!(
        router.remove_liquidity_eth_supporting_fee_on_transfer_tokens(
            TA,
            u(1),
            u(0),
            u(0),
            BOB,
            late
        ),
        Err(RouterError::Expired(Expired {}))
    );
    assert_eq!(
        router.remove_liquidity_eth_with_permit_supporting_fee_on_transfer_tokens(
            TA,
            u(1),
            u(0),
            u(0),
            BOB,
            late,
            true,
            27,
            B256::ZERO,
            B256::ZERO
        ),
        Err(RouterError::Expired(Expired {}))
    );
    // The deadline itself is still valid (V2: `deadline >= block.timestamp`).
    reserves(&vm, TA, TB, 1_000, 1_000);
    mock_transfer_from(&vm, TA, ALICE, pair(TA, TB), u(10));
    assert!(router
        .swap_exact_tokens_for_tokens(u(10), u(0), vec![TA, TB], BOB, deadline())
        .is_ok());
    assert!(recorder::take().len() == 1);
}

#[test]
fn swap_tokens_for_exact_tokens_checks_the_input_maximum() {
    let (vm, mut router) = setup();
    reserves(&vm, TA, TB, 1_000_000, 2_000_000);
    let need = inp(u(5_000), 1_000_000, 2_000_000);
    assert_eq!(
        router.swap_tokens_for_exact_tokens(u(5_000), need - u(1), vec![TA, TB], BOB, deadline()),
        Err(RouterError::ExcessiveInputAmount(ExcessiveInputAmount {}))
    );
    mock_transfer_from(&vm, TA, ALICE, pair(TA, TB), need);
    assert_eq!(
        router.swap_tokens_for_exact_tokens(u(5_000), need, vec![TA, TB], BOB, deadline()),
        Ok(vec![need, u(5_000)])
    );
    assert_eq!(recorder::take(), vec![swap_call(TA, TB, u(5_000), BOB)]);
}

#[test]
fn a_failing_token_pull_is_safe_erc20_failed_operation() {
    let (vm, mut router) = setup();
    reserves(&vm, TA, TB, 1_000, 1_000);
    // No transferFrom mock: an empty return from a codeless token is a failure.
    assert_eq!(
        router.swap_exact_tokens_for_tokens(u(10), u(0), vec![TA, TB], BOB, deadline()),
        Err(RouterError::SafeERC20FailedOperation(
            SafeERC20FailedOperation { token: TA }
        ))
    );
}

#[test]
fn a_reverting_pair_swap_is_wrapped_with_its_reason() {
    let (vm, mut router) = setup();
    reserves(&vm, TA, TB, 1_000, 1_000);
    mock_transfer_from(&vm, TA, ALICE, pair(TA, TB), u(10));
    let (p, _, data) = swap_call(TA, TB, out(10, 1_000, 1_000), BOB);
    vm.mock_call(p, data, U256::ZERO, Err(vec![0xa1, 0xb2, 0xc3, 0xd4]));
    assert_eq!(
        router.swap_exact_tokens_for_tokens(u(10), u(0), vec![TA, TB], BOB, deadline()),
        Err(RouterError::CallFailed(CallFailed {
            target: p,
            reason: vec![0xa1, 0xb2, 0xc3, 0xd4].into()
        }))
    );
}

// ---------------------------------------------------------------- ETH swaps

#[test]
fn swap_exact_eth_for_tokens_wraps_and_swaps() {
    let (vm, mut router) = setup();
    reserves(&vm, WETH, TA, 1_000_000, 3_000_000);
    vm.set_value(u(10_000));
    mock_transfer(&vm, WETH, pair(WETH, TA), u(10_000));
    let o = out(10_000, 1_000_000, 3_000_000);
    assert_eq!(
        router.swap_exact_eth_for_tokens(o, vec![WETH, TA], BOB, deadline()),
        Ok(vec![u(10_000), o])
    );
    assert_eq!(
        recorder::take(),
        vec![deposit_call(u(10_000)), swap_call(WETH, TA, o, BOB)]
    );
    assert_eq!(
        router.swap_exact_eth_for_tokens(o + u(1), vec![WETH, TA], BOB, deadline()),
        Err(RouterError::InsufficientOutputAmount(
            InsufficientOutputAmount {}
        ))
    );
    assert_eq!(
        router.swap_exact_eth_for_tokens(u(0), vec![TA, WETH], BOB, deadline()),
        Err(RouterError::InvalidPath(InvalidPath {}))
    );
    assert_eq!(
        router.swap_exact_eth_for_tokens(u(0), vec![WETH], BOB, deadline()),
        Err(RouterError::InvalidPath(InvalidPath {}))
    );
}

#[test]
fn swap_exact_tokens_for_eth_unwraps_to_the_recipient() {
    let (vm, mut router) = setup();
    reserves(&vm, TA, WETH, 3_000_000, 1_000_000);
    mock_transfer_from(&vm, TA, ALICE, pair(TA, WETH), u(30_000));
    let o = out(30_000, 3_000_000, 1_000_000);
    assert_eq!(
        router.swap_exact_tokens_for_eth(u(30_000), o, vec![TA, WETH], BOB, deadline()),
        Ok(vec![u(30_000), o])
    );
    assert_eq!(
        recorder::take(),
        vec![
            swap_call(TA, WETH, o, ROUTER),
            withdraw_call(o),
            eth_to(BOB, o)
        ]
    );
    assert_eq!(
        router.swap_exact_tokens_for_eth(u(30_000), o + u(1), vec![TA, WETH], BOB, deadline()),
        Err(RouterError::InsufficientOutputAmount(
            InsufficientOutputAmount {}
        ))
    );
    assert_eq!(
        router.swap_exact_tokens_for_eth(u(1), u(0), vec![WETH, TA], BOB, deadline()),
        Err(RouterError::InvalidPath(InvalidPath {}))
    );
    // A recipient that refuses ETH: the whole swap reverts with a named error.
    recorder::take();
    vm.mock_call(BOB, vec![], o, Err(vec![]));
    assert_eq!(
        router.swap_exact_tokens_for_eth(u(30_000), o, vec![TA, WETH], BOB, deadline()),
        Err(RouterError::EthTransferFailed(EthTransferFailed {
            to: BOB,
            amount: o
        }))
    );
}

#[test]
fn swap_tokens_for_exact_eth() {
    let (vm, mut router) = setup();
    reserves(&vm, TA, WETH, 3_000_000, 1_000_000);
    let need = inp(u(1_000), 3_000_000, 1_000_000);
    mock_transfer_from(&vm, TA, ALICE, pair(TA, WETH), need);
    assert_eq!(
        router.swap_tokens_for_exact_eth(u(1_000), need, vec![TA, WETH], BOB, deadline()),
        Ok(vec![need, u(1_000)])
    );
    assert_eq!(
        recorder::take(),
        vec![
            swap_call(TA, WETH, u(1_000), ROUTER),
            withdraw_call(u(1_000)),
            eth_to(BOB, u(1_000))
        ]
    );
    assert_eq!(
        router.swap_tokens_for_exact_eth(u(1_000), need - u(1), vec![TA, WETH], BOB, deadline()),
        Err(RouterError::ExcessiveInputAmount(ExcessiveInputAmount {}))
    );
    assert_eq!(
        router.swap_tokens_for_exact_eth(u(1_000), need, vec![WETH, TA], BOB, deadline()),
        Err(RouterError::InvalidPath(InvalidPath {}))
    );
}

#[test]
fn swap_eth_for_exact_tokens_refunds_the_rest() {
    let (vm, mut router) = setup();
    reserves(&vm, WETH, TA, 1_000_000, 3_000_000);
    let need = inp(u(3_000), 1_000_000, 3_000_000);
    vm.set_value(need + u(77));
    mock_transfer(&vm, WETH, pair(WETH, TA), need);
    assert_eq!(
        router.swap_eth_for_exact_tokens(u(3_000), vec![WETH, TA], BOB, deadline()),
        Ok(vec![need, u(3_000)])
    );
    assert_eq!(
        recorder::take(),
        vec![
            deposit_call(need),
            swap_call(WETH, TA, u(3_000), BOB),
            eth_to(ALICE, u(77))
        ]
    );
    // Exactly enough: no refund call.
    vm.set_value(need);
    router
        .swap_eth_for_exact_tokens(u(3_000), vec![WETH, TA], BOB, deadline())
        .unwrap();
    assert_eq!(recorder::take().len(), 2);
    vm.set_value(need - u(1));
    assert_eq!(
        router.swap_eth_for_exact_tokens(u(3_000), vec![WETH, TA], BOB, deadline()),
        Err(RouterError::ExcessiveInputAmount(ExcessiveInputAmount {}))
    );
    assert_eq!(
        router.swap_eth_for_exact_tokens(u(3_000), vec![TA, WETH], BOB, deadline()),
        Err(RouterError::InvalidPath(InvalidPath {}))
    );
}

// ---------------------------------------------------------------- fee-on-transfer swaps

#[test]
fn supporting_fee_swap_measures_each_hops_input() {
    let (vm, mut router) = setup();
    reserves(&vm, TA, TB, 1_000_000, 2_000_000);
    reserves(&vm, TB, TC, 3_000_000, 1_500_000);
    mock_transfer_from(&vm, TA, ALICE, pair(TA, TB), u(10_000));
    // The first pair received only 9,900 (1% fee); the second 19,000 above its reserve.
    mock_balance(&vm, TA, pair(TA, TB), u(1_009_900));
    mock_balance(&vm, TB, pair(TB, TC), u(3_019_000));
    mock_balance(&vm, TC, BOB, u(500));
    router
        .swap_exact_tokens_for_tokens_supporting_fee_on_transfer_tokens(
            u(10_000),
            U256::ZERO,
            vec![TA, TB, TC],
            BOB,
            deadline(),
        )
        .unwrap();
    assert_eq!(
        recorder::take(),
        vec![
            swap_call(TA, TB, out(9_900, 1_000_000, 2_000_000), pair(TB, TC)),
            swap_call(TB, TC, out(19_000, 3_000_000, 1_500_000), BOB),
        ]
    );
    // The output check is on what `to` received (mocked balances do not move: 0 arrived).
    assert_eq!(
        router.swap_exact_tokens_for_tokens_supporting_fee_on_transfer_tokens(
            u(10_000),
            u(1),
            vec![TA, TB, TC],
            BOB,
            deadline(),
        ),
        Err(RouterError::InsufficientOutputAmount(
            InsufficientOutputAmount {}
        ))
    );
    assert_eq!(
        router.swap_exact_tokens_for_tokens_supporting_fee_on_transfer_tokens(
            u(1),
            u(0),
            vec![TA],
            BOB,
            deadline(),
        ),
        Err(RouterError::InvalidPath(InvalidPath {}))
    );
}

#[test]
fn supporting_fee_swap_with_nothing_arrived_is_insufficient_input() {
    let (vm, mut router) = setup();
    reserves(&vm, TA, TB, 1_000_000, 2_000_000);
    mock_transfer_from(&vm, TA, ALICE, pair(TA, TB), u(10));
    mock_balance(&vm, TA, pair(TA, TB), u(999_999));
    mock_balance(&vm, TB, BOB, u(0));
    assert_eq!(
        router.swap_exact_tokens_for_tokens_supporting_fee_on_transfer_tokens(
            u(10),
            u(0),
            vec![TA, TB],
            BOB,
            deadline(),
        ),
        Err(RouterError::InsufficientInputAmount(
            InsufficientInputAmount {}
        ))
    );
    mock_balance(&vm, TA, pair(TA, TB), u(1_000_000));
    assert_eq!(
        router.swap_exact_tokens_for_tokens_supporting_fee_on_transfer_tokens(
            u(10),
            u(0),
            vec![TA, TB],
            BOB,
            deadline(),
        ),
        Err(RouterError::InsufficientInputAmount(
            InsufficientInputAmount {}
        ))
    );
}

#[test]
fn supporting_fee_eth_swaps() {
    let (vm, mut router) = setup();
    reserves(&vm, WETH, TA, 1_000_000, 3_000_000);
    vm.set_value(u(10_000));
    mock_transfer(&vm, WETH, pair(WETH, TA), u(10_000));
    mock_balance(&vm, WETH, pair(WETH, TA), u(1_010_000));
    mock_balance(&vm, TA, BOB, u(0));
    router
        .swap_exact_eth_for_tokens_supporting_fee_on_transfer_tokens(
            u(0),
            vec![WETH, TA],
            BOB,
            deadline(),
        )
        .unwrap();
    assert_eq!(
        recorder::take(),
        vec![
            deposit_call(u(10_000)),
            swap_call(WETH, TA, out(10_000, 1_000_000, 3_000_000), BOB)
        ]
    );
    assert_eq!(
        router.swap_exact_eth_for_tokens_supporting_fee_on_transfer_tokens(
            u(0),
            vec![TA, WETH],
            BOB,
            deadline(),
        ),
        Err(RouterError::InvalidPath(InvalidPath {}))
    );
    vm.set_value(U256::ZERO);

    // Tokens -> ETH: the router's WETH balance delta is what it unwraps (0 with static mocks).
    reserves(&vm, TA, WETH, 3_000_000, 1_000_000);
    mock_transfer_from(&vm, TA, ALICE, pair(TA, WETH), u(30_000));
    mock_balance(&vm, TA, pair(TA, WETH), u(3_029_700));
    mock_balance(&vm, WETH, ROUTER, u(0));
    recorder::take();
    router
        .swap_exact_tokens_for_eth_supporting_fee_on_transfer_tokens(
            u(30_000),
            u(0),
            vec![TA, WETH],
            BOB,
            deadline(),
        )
        .unwrap();
    assert_eq!(
        recorder::take(),
        vec![
            swap_call(TA, WETH, out(29_700, 3_000_000, 1_000_000), ROUTER),
            withdraw_call(U256::ZERO),
            eth_to(BOB, U256::ZERO)
        ]
    );
    assert_eq!(
        router.swap_exact_tokens_for_eth_supporting_fee_on_transfer_tokens(
            u(30_000),
            u(1),
            vec![TA, WETH],
            BOB,
            deadline(),
        ),
        Err(RouterError::InsufficientOutputAmount(
            InsufficientOutputAmount {}
        ))
    );
    assert_eq!(
        router.swap_exact_tokens_for_eth_supporting_fee_on_transfer_tokens(
            u(30_000),
            u(0),
            vec![WETH, TA],
            BOB,
            deadline(),
        ),
        Err(RouterError::InvalidPath(InvalidPath {}))
    );
}

// ---------------------------------------------------------------- liquidity

fn mock_get_pair(vm: &TestVM, a: Address, b: Address, p: Address) {
    let data = IFactoryCalls::getPairCall {
        tokenA: a,
        tokenB: b,
    }
    .abi_encode();
    vm.mock_static_call(FACTORY, data, Ok(p.abi_encode()));
}

fn mock_mint(vm: &TestVM, p: Address, to: Address, liquidity: U256) {
    let data = IPairCalls::mintCall { to }.abi_encode();
    vm.mock_call(p, data, U256::ZERO, Ok(word(liquidity)));
}

#[test]
fn add_liquidity_creates_a_missing_pair() {
    let (vm, mut router) = setup();
    let p = pair(TA, TB);
    mock_get_pair(&vm, TA, TB, Address::ZERO);
    let create = IFactoryCalls::createPairCall {
        tokenA: TA,
        tokenB: TB,
    }
    .abi_encode();
    vm.mock_call(FACTORY, create.clone(), U256::ZERO, Ok(p.abi_encode()));
    reserves(&vm, TA, TB, 0, 0);
    mock_transfer_from(&vm, TA, ALICE, p, u(1_000));
    mock_transfer_from(&vm, TB, ALICE, p, u(4_000));
    mock_mint(&vm, p, BOB, u(1_000));
    assert_eq!(
        router.add_liquidity(
            TA,
            TB,
            u(1_000),
            u(4_000),
            u(1_000),
            u(4_000),
            BOB,
            deadline()
        ),
        Ok((u(1_000), u(4_000), u(1_000)))
    );
    assert_eq!(
        recorder::take(),
        vec![
            (FACTORY, U256::ZERO, create),
            (p, U256::ZERO, IPairCalls::mintCall { to: BOB }.abi_encode())
        ]
    );
    // A factory whose createPair fails: named, with its reason.
    let create_ba = IFactoryCalls::createPairCall {
        tokenA: TB,
        tokenB: TA,
    }
    .abi_encode();
    mock_get_pair(&vm, TB, TA, Address::ZERO);
    vm.mock_call(FACTORY, create_ba, U256::ZERO, Err(vec![7]));
    assert_eq!(
        router.add_liquidity(TB, TA, u(1), u(1), u(0), u(0), BOB, deadline()),
        Err(RouterError::CallFailed(CallFailed {
            target: FACTORY,
            reason: vec![7].into()
        }))
    );
    // Identical tokens: the factory refuses to create the pair (as in V2, the error is its own).
    assert!(matches!(
        router.add_liquidity(TA, TA, u(1), u(1), u(0), u(0), BOB, deadline()),
        Err(RouterError::CallFailed(CallFailed {
            target: FACTORY,
            ..
        }))
    ));
}

#[test]
fn add_liquidity_to_an_existing_pool_uses_the_optimal_amounts() {
    let (vm, mut router) = setup();
    let p = pair(TA, TB);
    mock_get_pair(&vm, TA, TB, p);
    reserves(&vm, TA, TB, 1_000, 2_000);
    // B is the limiting side: A optimal = 1500 * 1000 / 2000 = 750.
    mock_transfer_from(&vm, TA, ALICE, p, u(750));
    mock_transfer_from(&vm, TB, ALICE, p, u(1_500));
    mock_mint(&vm, p, BOB, u(42));
    assert_eq!(
        router.add_liquidity(TA, TB, u(1_000), u(1_500), u(750), u(0), BOB, deadline()),
        Ok((u(750), u(1_500), u(42)))
    );
    assert_eq!(
        router.add_liquidity(TA, TB, u(1_000), u(1_500), u(751), u(0), BOB, deadline()),
        Err(RouterError::InsufficientAAmount(InsufficientAAmount {}))
    );
    // A is the limiting side: B optimal = 500 * 2000 / 1000 = 1000.
    mock_transfer_from(&vm, TA, ALICE, p, u(500));
    mock_transfer_from(&vm, TB, ALICE, p, u(1_000));
    assert_eq!(
        router.add_liquidity(TA, TB, u(500), u(5_000), u(0), u(1_000), BOB, deadline()),
        Ok((u(500), u(1_000), u(42)))
    );
    assert_eq!(
        router.add_liquidity(TA, TB, u(500), u(5_000), u(0), u(1_001), BOB, deadline()),
        Err(RouterError::InsufficientBAmount(InsufficientBAmount {}))
    );
    // A pair whose mint returns nothing usable.
    vm.mock_call(
        p,
        IPairCalls::mintCall { to: ALICE }.abi_encode(),
        U256::ZERO,
        Ok(vec![]),
    );
    assert_eq!(
        router.add_liquidity(TA, TB, u(500), u(5_000), u(0), u(0), ALICE, deadline()),
        Err(RouterError::CallFailed(CallFailed {
            target: p,
            reason: Default::default()
        }))
    );
}

#[test]
fn add_liquidity_eth_wraps_and_refunds_dust() {
    let (vm, mut router) = setup();
    let p = pair(TA, WETH);
    mock_get_pair(&vm, TA, WETH, p);
    reserves(&vm, TA, WETH, 2_000, 1_000);
    vm.set_value(u(600));
    // ETH is the excess side: ETH optimal = 1000 * 1000 / 2000 = 500; 100 refunded.
    mock_transfer_from(&vm, TA, ALICE, p, u(1_000));
    mock_transfer(&vm, WETH, p, u(500));
    mock_mint(&vm, p, BOB, u(7));
    assert_eq!(
        router.add_liquidity_eth(TA, u(1_000), u(1_000), u(500), BOB, deadline()),
        Ok((u(1_000), u(500), u(7)))
    );
    assert_eq!(
        recorder::take(),
        vec![
            deposit_call(u(500)),
            (p, U256::ZERO, IPairCalls::mintCall { to: BOB }.abi_encode()),
            eth_to(ALICE, u(100)),
        ]
    );
    assert_eq!(
        router.add_liquidity_eth(TA, u(1_000), u(0), u(501), BOB, deadline()),
        Err(RouterError::InsufficientBAmount(InsufficientBAmount {}))
    );
}

fn mock_burn(vm: &TestVM, p: Address, to: Address, a0: U256, a1: U256) {
    let data = IPairCalls::burnCall { to }.abi_encode();
    vm.mock_call(p, data, U256::ZERO, Ok((a0, a1).abi_encode()));
}

#[test]
fn remove_liquidity_checks_both_outputs_in_token_order() {
    let (vm, mut router) = setup();
    let p = pair(TA, TB);
    mock_transfer_from(&vm, p, ALICE, p, u(100));
    // token0 = TA (lower address): burn pays (amount0 = 300 TA, amount1 = 600 TB).
    mock_burn(&vm, p, BOB, u(300), u(600));
    assert_eq!(
        router.remove_liquidity(TA, TB, u(100), u(300), u(600), BOB, deadline()),
        Ok((u(300), u(600)))
    );
    assert_eq!(
        router.remove_liquidity(TB, TA, u(100), u(600), u(300), BOB, deadline()),
        Ok((u(600), u(300)))
    );
    assert_eq!(
        router.remove_liquidity(TA, TB, u(100), u(301), u(0), BOB, deadline()),
        Err(RouterError::InsufficientAAmount(InsufficientAAmount {}))
    );
    assert_eq!(
        router.remove_liquidity(TA, TB, u(100), u(0), u(601), BOB, deadline()),
        Err(RouterError::InsufficientBAmount(InsufficientBAmount {}))
    );
    // Without the LP allowance the pull fails.
    assert_eq!(
        router.remove_liquidity(TA, TB, u(101), u(0), u(0), BOB, deadline()),
        Err(RouterError::SafeERC20FailedOperation(
            SafeERC20FailedOperation { token: p }
        ))
    );
}

#[test]
fn remove_liquidity_eth_unwraps_to_the_recipient() {
    let (vm, mut router) = setup();
    let p = pair(TA, WETH);
    mock_transfer_from(&vm, p, ALICE, p, u(100));
    let (a0, a1) = if TA < WETH {
        (u(300), u(600))
    } else {
        (u(600), u(300))
    };
    mock_burn(&vm, p, ROUTER, a0, a1);
    mock_transfer(&vm, TA, BOB, u(300));
    assert_eq!(
        router.remove_liquidity_eth(TA, u(100), u(300), u(600), BOB, deadline()),
        Ok((u(300), u(600)))
    );
    let burn = IPairCalls::burnCall { to: ROUTER }.abi_encode();
    assert_eq!(
        recorder::take(),
        vec![
            (p, U256::ZERO, burn.clone()),
            withdraw_call(u(600)),
            eth_to(BOB, u(600))
        ]
    );
    assert_eq!(
        router.remove_liquidity_eth(TA, u(100), u(0), u(601), BOB, deadline()),
        Err(RouterError::InsufficientBAmount(InsufficientBAmount {}))
    );

    // Fee-on-transfer variant: forwards the router's whole token balance.
    mock_balance(&vm, TA, ROUTER, u(297));
    mock_transfer(&vm, TA, BOB, u(297));
    recorder::take();
    assert_eq!(
        router.remove_liquidity_eth_supporting_fee_on_transfer_tokens(
            TA,
            u(100),
            u(300),
            u(600),
            BOB,
            deadline()
        ),
        Ok(u(600))
    );
    assert_eq!(
        recorder::take(),
        vec![
            (p, U256::ZERO, burn),
            withdraw_call(u(600)),
            eth_to(BOB, u(600))
        ]
    );
}

fn permit_call(p: Address, value: U256) -> Vec<u8> {
    let _ = p;
    IPairCalls::permitCall {
        owner: ALICE,
        spender: ROUTER,
        value,
        deadline: deadline(),
        v: 27,
        r: B256::repeat_byte(1),
        s: B256::repeat_byte(2),
    }
    .abi_encode()
}

fn mock_allowance(vm: &TestVM, p: Address, value: U256) {
    let data = IPairCalls::allowanceCall {
        owner: ALICE,
        spender: ROUTER,
    }
    .abi_encode();
    vm.mock_static_call(p, data, Ok(word(value)));
}

#[test]
fn remove_with_permit_calls_permit_then_removes() {
    let (vm, mut router) = setup();
    let p = pair(TA, TB);
    mock_transfer_from(&vm, p, ALICE, p, u(100));
    mock_burn(&vm, p, BOB, u(300), u(600));
    assert_eq!(
        router.remove_liquidity_with_permit(
            TA,
            TB,
            u(100),
            u(0),
            u(0),
            BOB,
            deadline(),
            true,
            27,
            B256::repeat_byte(1),
            B256::repeat_byte(2)
        ),
        Ok((u(300), u(600)))
    );
    assert_eq!(
        recorder::take()[0],
        (p, U256::ZERO, permit_call(p, U256::MAX))
    );
}

/// Regression (defi-anchors §2.6, Seawater QA L-08): a front-runner replays the user's permit
/// signature first, so the router's `permit` call reverts (nonce used). The removal must still
/// go through because the allowance is already there; a vulnerable router (bubbling the permit
/// revert) fails this test.
#[test]
fn front_run_permit_does_not_block_the_removal() {
    let (vm, mut router) = setup();
    let p = pair(TA, TB);
    vm.mock_call(p, permit_call(p, u(100)), U256::ZERO, Err(vec![0xee]));
    mock_allowance(&vm, p, u(100));
    mock_transfer_from(&vm, p, ALICE, p, u(100));
    mock_burn(&vm, p, BOB, u(300), u(600));
    let remove = |router: &mut PoolRouter| {
        router.remove_liquidity_with_permit(
            TA,
            TB,
            u(100),
            u(0),
            u(0),
            BOB,
            deadline(),
            false,
            27,
            B256::repeat_byte(1),
            B256::repeat_byte(2),
        )
    };
    assert_eq!(remove(&mut router), Ok((u(300), u(600))));
    // Without a sufficient allowance the permit's own failure is reported.
    mock_allowance(&vm, p, u(99));
    assert_eq!(
        remove(&mut router),
        Err(RouterError::CallFailed(CallFailed {
            target: p,
            reason: vec![0xee].into()
        }))
    );
}

#[test]
fn remove_eth_with_permit_variants_tolerate_a_front_run_permit() {
    let (vm, mut router) = setup();
    let p = pair(TA, WETH);
    vm.mock_call(p, permit_call(p, u(100)), U256::ZERO, Err(vec![0xee]));
    mock_allowance(&vm, p, u(100));
    mock_transfer_from(&vm, p, ALICE, p, u(100));
    let (a0, a1) = if TA < WETH {
        (u(300), u(600))
    } else {
        (u(600), u(300))
    };
    mock_burn(&vm, p, ROUTER, a0, a1);
    mock_transfer(&vm, TA, BOB, u(300));
    mock_balance(&vm, TA, ROUTER, u(300));
    let sig = (27u8, B256::repeat_byte(1), B256::repeat_byte(2));
    assert_eq!(
        router.remove_liquidity_eth_with_permit(
            TA,
            u(100),
            u(0),
            u(0),
            BOB,
            deadline(),
            false,
            sig.0,
            sig.1,
            sig.2
        ),
        Ok((u(300), u(600)))
    );
    assert_eq!(
        router.remove_liquidity_eth_with_permit_supporting_fee_on_transfer_tokens(
            TA,
            u(100),
            u(0),
            u(0),
            BOB,
            deadline(),
            false,
            sig.0,
            sig.1,
            sig.2
        ),
        Ok(u(600))
    );
    mock_allowance(&vm, p, U256::ZERO);
    assert!(matches!(
        router.remove_liquidity_eth_with_permit(
            TA,
            u(100),
            u(0),
            u(0),
            BOB,
            deadline(),
            false,
            sig.0,
            sig.1,
            sig.2
        ),
        Err(RouterError::CallFailed(_))
    ));
}

// ---------------------------------------------------------------- receive

#[test]
fn receive_accepts_eth_only_from_weth() {
    let (vm, mut router) = setup();
    vm.set_value(u(5));
    vm.set_sender(WETH);
    assert_eq!(router.receive(), Ok(()));
    vm.set_sender(ALICE);
    assert_eq!(
        router.receive(),
        Err(Vec::from(RouterError::NotWeth(NotWeth { sender: ALICE })))
    );
}

// ---------------------------------------------------------------- properties over paths

proptest! {
    /// `getAmountsOut` over a random path equals hop-by-hop `getAmountOut`, and the input
    /// `getAmountsIn` quotes for its output buys at least that output (rounding favours pools).
    #[test]
    fn amounts_over_random_paths(
        hops in proptest::collection::vec((1_000u128..1u128 << 100, 1_000u128..1u128 << 100), 1..4),
        amount in 1u128..1u128 << 90,
    ) {
        let (vm, router) = setup();
        let tokens: Vec<Address> = (0..=hops.len())
            .map(|i| Address::with_last_byte(0x10 + i as u8))
            .collect();
        for (i, (r_in, r_out)) in hops.iter().enumerate() {
            reserves(&vm, tokens[i], tokens[i + 1], *r_in, *r_out);
        }
        let outs = router.get_amounts_out(u(amount), tokens.clone());
        let mut expect = vec![u(amount)];
        let mut ok = true;
        for (r_in, r_out) in &hops {
            match library::get_amount_out(*expect.last().unwrap(), u(*r_in), u(*r_out)) {
                Ok(o) => expect.push(o),
                Err(_) => { ok = false; break; }
            }
        }
        if !ok {
            prop_assert!(outs.is_err());
            return Ok(());
        }
        let outs = outs.unwrap();
        prop_assert_eq!(&outs, &expect);
        let final_out = outs[outs.len() - 1];
        if final_out.is_zero() {
            return Ok(());
        }
        // (Backward rounding can exceed a reserve by one wei at a hop: then there is no quote.)
        let ins = router.get_amounts_in(final_out, tokens.clone());
        prop_assume!(ins.is_ok());
        let ins = ins.unwrap();
        prop_assert_eq!(ins[ins.len() - 1], final_out);
        // The last hop's quoted input is at most one wei above what the forward pass gave it.
        prop_assert!(ins[ins.len() - 2] <= outs[outs.len() - 2] + u(1));
        // Feeding the quoted input back buys at least the requested output.
        let again = router.get_amounts_out(ins[0], tokens).unwrap();
        prop_assert!(again[again.len() - 1] >= final_out);
    }
}
