//! Pricing tables and helpers: memory pages (spec §2.6), data fee (§1.9), op ink (§4.1),
//! init gas (§2.1), parameters (§1.11).

use devnode_wasm::data_pricer::{approx_exp_bips, DataPricer, ARBITRUM_START_TIME};
use devnode_wasm::pricing::{memory_cost, memory_exponential, op_ink, MEMORY_EXPONENTS};
use devnode_wasm::StylusParams;
use proptest::prelude::*;
use wasmparser::{BlockType, MemArg, Operator};

#[test]
fn memory_cost_fresh_tx_examples() {
    let p = StylusParams::default();
    let expected = [
        (1u16, 0u64),
        (2, 0),
        (3, 1_000),
        (4, 2_000),
        (8, 6_001),
        (16, 14_007),
        (32, 30_074),
        (64, 67_644),
        (128, 31_999_998),
    ];
    for (pages, gas) in expected {
        assert_eq!(memory_cost(pages, 0, 0, &p), gas, "{pages} pages");
    }
}

#[test]
fn memory_cost_incremental_and_ever() {
    let p = StylusParams::default();
    // A second program opening 2 more pages on top of 2 open ones: linear 2 000, exp(4) - exp(2).
    assert_eq!(memory_cost(2, 2, 2, &p), 2_000);
    // After the first call returns (open back to 0, ever 4): reopening 4 pages pays no exponent.
    assert_eq!(memory_cost(4, 0, 4, &p), 2_000);
    // Beyond 128 pages the exponent is unpayable.
    assert_eq!(memory_cost(129, 0, 0, &p), u64::MAX);
    // Nitro's quirk: once `ever` is past 128, the exponential term is MAX - MAX = 0.
    assert_eq!(memory_cost(1, 0, 200, &p), 0);
    assert_eq!(memory_exponential(129), u64::MAX);
    assert_eq!(MEMORY_EXPONENTS.len(), 129);
    assert_eq!(MEMORY_EXPONENTS[128], 31_873_999);
}

proptest! {
    #[test]
    fn memory_cost_is_monotonic_in_new_pages(open in 0u16..64, extra in 0u16..64, new in 0u16..60) {
        let p = StylusParams::default();
        let ever = open + extra;
        prop_assert!(memory_cost(new, open, ever, &p) <= memory_cost(new + 1, open, ever, &p));
    }

    #[test]
    fn approx_exp_is_monotonic(x in 0u64..1_000_000) {
        prop_assert!(approx_exp_bips(x) <= approx_exp_bips(x + 1));
    }

    #[test]
    fn data_fee_never_below_min_price(bytes in 1u32..5_000_000, later in 0u64..100_000_000) {
        let mut pricer = DataPricer::default();
        let fee = pricer.update(bytes, ARBITRUM_START_TIME + later);
        prop_assert!(fee >= u128::from(pricer.min_price) * u128::from(bytes));
    }
}

#[test]
fn data_fee_spec_examples() {
    // asm 600 000 on a fresh pricer: ≈ 5.12e13 wei.
    let mut pricer = DataPricer::default();
    let fee = pricer.update(600_000, ARBITRUM_START_TIME);
    // exponent = 10 000 × 600 000 / 21 360 419 = 280 bips; multiplier = approx_exp(280).
    assert_eq!(pricer.demand, 600_000);
    let multiplier = approx_exp_bips(280);
    assert_eq!(multiplier, 10_283);
    assert_eq!(fee, (82_928_201u128 * 10_283 / 10_000) * 600_000);
    assert!((5.11e13..5.13e13).contains(&(fee as f64)), "{fee}");

    // asm 1 197 090 (the §1.8 example module): ≈ 1.05e14 wei.
    let mut pricer = DataPricer::default();
    let fee = pricer.update(1_197_090, ARBITRUM_START_TIME);
    assert!((1.04e14..1.06e14).contains(&(fee as f64)), "{fee}");
}

#[test]
fn data_pricer_demand_decays() {
    let mut pricer = DataPricer::default();
    let t0 = ARBITRUM_START_TIME + 1_000_000_000;
    let first = pricer.update(600_000, t0);
    // Same second: demand accumulates and the price rises.
    let second = pricer.update(600_000, t0);
    assert_eq!(pricer.demand, 1_200_000);
    assert!(second > first);
    // 10 s later 348 650 bytes have drained.
    pricer.update(0, t0 + 10);
    assert_eq!(pricer.demand, 1_200_000 - 348_650);
    // An hour later demand is back to zero and the price to its initial value.
    let again = pricer.update(600_000, t0 + 3_600);
    assert_eq!(again, first);
    assert_eq!(pricer.last_update_time, t0 + 3_600);
}

#[test]
fn init_gas_spec_example() {
    let p = StylusParams::default();
    // §2.1: 352 + 4 057 + 8 832 + 11 144 = 24 385 gas for a non-cached call.
    assert_eq!(p.cached_gas(4_057), 4_409);
    assert_eq!(p.init_gas(11_144), 19_976);
    assert_eq!(p.program_init_gas(11_144, 4_057, false), 24_385);
    assert_eq!(p.program_init_gas(11_144, 4_057, true), 4_409);
    assert_eq!(p.program_init_gas_pair(11_144, 4_057), (24_385, 4_409));
    // Version 1 and not cached: init gas only.
    let v1 = StylusParams::for_arbos(30);
    assert_eq!(v1.program_init_gas(100, 50, false), 72 * 128 + 100);
    // Scalars round up.
    let scaled = StylusParams {
        init_cost_scalar: 51, // 102 %
        ..Default::default()
    };
    assert_eq!(scaled.init_gas(1), 8_832 + 2);
}

#[test]
fn params_defaults_and_version_gates() {
    let p = StylusParams::default();
    assert_eq!(p.version, 2);
    assert_eq!(p.ink_price, 10_000);
    assert_eq!(p.max_stack_depth, 22_000);
    assert_eq!((p.free_pages, p.page_gas, p.page_limit), (2, 1_000, 128));
    assert_eq!(p.page_ramp, 620_674_314);
    assert_eq!(
        (p.min_init_gas_total(), p.min_cached_init_gas_total()),
        (8_832, 352)
    );
    assert_eq!(p.init_cost_scalar_percent(), 100);
    assert_eq!(
        (p.expiry_days, p.keepalive_days, p.block_cache_size),
        (365, 31, 32)
    );
    assert_eq!(p.max_wasm_size, 131_072);
    assert_eq!(StylusParams::for_arbos(49).max_stack_depth, 262_144);
    assert_eq!(StylusParams::for_arbos(40).version, 2);
    assert_eq!(StylusParams::for_arbos(50).max_stack_depth, 22_000);
    assert_eq!(StylusParams::for_arbos(51), p);
    assert_eq!(p.clone().with_max_stack_depth(7).max_stack_depth, 7);
    assert_eq!(p.gas_to_ink(3), 30_000);
    assert_eq!(p.gas_to_ink(u64::MAX), u64::MAX);
    assert_eq!(p.ink_to_gas(29_999), 2);
}

#[test]
fn op_ink_table() {
    let mem = MemArg {
        align: 0,
        max_align: 0,
        offset: 0,
        target: wasmparser::MemArgTarget::Memory(0),
        ordering: None,
    };
    let cases: Vec<(Operator<'static>, u64)> = vec![
        (Operator::Unreachable, 1),
        (Operator::Nop, 1),
        (Operator::I32Const { value: 5 }, 1),
        (
            Operator::Block {
                blockty: BlockType::Empty,
            },
            1,
        ),
        (Operator::End, 1),
        (Operator::Drop, 9),
        (Operator::Br { relative_depth: 0 }, 765),
        (
            Operator::If {
                blockty: BlockType::Empty,
            },
            765,
        ),
        (Operator::Select, 1_250),
        (Operator::Call { function_index: 0 }, 3_800),
        (Operator::LocalGet { local_index: 0 }, 75),
        (Operator::LocalTee { local_index: 0 }, 75),
        (Operator::LocalSet { local_index: 0 }, 210),
        (Operator::GlobalGet { global_index: 0 }, 225),
        (Operator::GlobalSet { global_index: 0 }, 575),
        (Operator::I32Load8U { memarg: mem }, 670),
        (Operator::I64Load32S { memarg: mem }, 680),
        (Operator::I32Store16 { memarg: mem }, 825),
        (Operator::I64Store { memarg: mem }, 950),
        (Operator::MemorySize { mem: 0 }, 3_000),
        (Operator::MemoryGrow { mem: 0 }, 8_050),
        (Operator::MemoryFill { mem: 0 }, 950),
        (
            Operator::MemoryCopy {
                dst_mem: 0,
                src_mem: 0,
            },
            950,
        ),
        (Operator::I32GeU, 170),
        (Operator::I64Eqz, 225),
        (Operator::I64Ctz, 210),
        (Operator::I32Sub, 70),
        (Operator::I64Mul, 160),
        (Operator::I32RemU, 1_120),
        (Operator::I32Rotr, 70),
        (Operator::I64Add, 100),
        (Operator::I64DivS, 1_270),
        (Operator::I64ShrU, 100),
        (Operator::I32Popcnt, 2_650),
        (Operator::I64Popcnt, 6_000),
        (Operator::I64Extend32S, 100),
        (Operator::I32WrapI64, 100),
        (Operator::F32Add, u64::MAX),
        (
            Operator::F64Const {
                value: wasmparser::Ieee64::from(0.0f64),
            },
            u64::MAX,
        ),
        (Operator::I32TruncSatF32S, u64::MAX),
        (Operator::TableSize { table: 0 }, u64::MAX),
    ];
    for (op, ink) in cases {
        assert_eq!(op_ink(&op, |_| 0), ink, "{op:?}");
    }
    assert_eq!(
        op_ink(
            &Operator::CallIndirect {
                type_index: 3,
                table_index: 0
            },
            |t| {
                assert_eq!(t, 3);
                4
            }
        ),
        13_610 + 650 * 4
    );
}
