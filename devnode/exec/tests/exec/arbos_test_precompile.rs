//! ArbosTest (0x69) `burnArbGas(uint256)` called from a Stylus program through each call kind:
//! the `*_call_contract` hostio costs exactly 1,146,395 ink, Nitro's CI figure (base 83,193 +
//! read(36) twice + (100 warm access + 3 argument-word gas) × 10,000).

use crate::common::*;
use alloy::sol_types::SolCall;
use devnode_exec::precompiles::abi::ArbosTest;
use devnode_exec::precompiles::ARBOS_TEST;
use devnode_wasm::pricing::read_price;
use revm::primitives::{address, Address, U256};

const PROG: Address = address!("0000000000000000000000000000000000001000");
const GAS: u64 = 10_000_000;

/// Reads `target(20) ‖ calldata` and calls `target` with `calldata` by `kind`
/// (`call_contract` sends value 0 read from the zeroed word at 0x800); returns the status byte.
fn caller(kind: &str) -> String {
    let invoke = match kind {
        "call_contract" => "(call $call_contract (i32.const 256) (i32.const 276) (i32.sub (local.get $len) (i32.const 20)) (i32.const 2048) (i64.const -1) (i32.const 400))",
        "delegate_call_contract" => "(call $delegate_call_contract (i32.const 256) (i32.const 276) (i32.sub (local.get $len) (i32.const 20)) (i64.const -1) (i32.const 400))",
        _ => "(call $static_call_contract (i32.const 256) (i32.const 276) (i32.sub (local.get $len) (i32.const 20)) (i64.const -1) (i32.const 400))",
    };
    program(
        1,
        1,
        "",
        &format!(
            r#"
        (call $read_args (i32.const 256))
        (i32.store8 (i32.const 511) {invoke})
        (call $write_result (i32.const 511) (i32.const 1))
        (i32.const 0)"#
        ),
    )
}

fn burn_args(amount: u64) -> Vec<u8> {
    let mut v = ARBOS_TEST.to_vec();
    v.extend(
        ArbosTest::burnArbGasCall {
            gasAmount: U256::from(amount),
        }
        .abi_encode(),
    );
    v
}

#[test]
fn burn_arb_gas_costs_nitros_ink_for_every_call_kind() {
    for kind in [
        "call_contract",
        "delegate_call_contract",
        "static_call_contract",
    ] {
        let mut chain = Chain::default();
        chain.deploy(PROG, &caller(kind));
        let out = chain.call(PROG, burn_args(0), U256::ZERO, GAS);
        assert!(out.result.is_success(), "{kind}: {:?}", out.result);
        assert_eq!(out.output()[0], 0, "{kind}: status ok");
        assert_eq!(out.ink(kind, 0), 1_146_395, "{kind}");
        assert_eq!(
            1_146_395,
            83_193 + 2 * read_price(36) + (100 + 3) * INK,
            "the figure's composition"
        );

        // A non-zero amount is burned on top.
        let mut chain = Chain::default();
        chain.deploy(PROG, &caller(kind));
        let out = chain.call(PROG, burn_args(5_000), U256::ZERO, GAS);
        assert!(out.result.is_success(), "{kind}: {:?}", out.result);
        assert_eq!(out.ink(kind, 0), 1_146_395 + 5_000 * INK, "{kind}");
    }
}

#[test]
fn burn_arb_gas_from_a_transaction() {
    let mut chain = Chain::default();
    let data = ArbosTest::burnArbGasCall {
        gasAmount: U256::from(1_000),
    }
    .abi_encode();
    let intrinsic = 21_000
        + data
            .iter()
            .map(|b| if *b == 0 { 4 } else { 16 })
            .sum::<u64>();
    let out = chain.call(ARBOS_TEST, data, U256::ZERO, 100_000);
    assert!(out.result.is_success(), "{:?}", out.result);
    assert_eq!(out.gas_used(), intrinsic + 3 + 1_000);

    // More than the gas left: everything is burned, the call still succeeds.
    let data = ArbosTest::burnArbGasCall {
        gasAmount: U256::from(10_000_000),
    }
    .abi_encode();
    let out = chain.call(ARBOS_TEST, data, U256::ZERO, 100_000);
    assert!(out.result.is_success(), "{:?}", out.result);
    assert_eq!(out.gas_used(), 100_000);

    // Not a u64: plain revert, gas kept.
    let data = ArbosTest::burnArbGasCall {
        gasAmount: U256::from(u64::MAX) + U256::from(1),
    }
    .abi_encode();
    let out = chain.call(ARBOS_TEST, data.clone(), U256::ZERO, 100_000);
    assert!(
        matches!(
            out.result,
            revm::context::result::ExecutionResult::Revert { .. }
        ),
        "{:?}",
        out.result
    );
    assert!(out.gas_used() < 30_000);
}
