//! Conformance suite: small `.wat` programs run through the Stylus runtime on an in-memory chain,
//! asserting the exact ink/gas figures and outcome classes of /work/shared/stylus-host-spec.md
//! (§2 entry and outcomes, §3 hostios, §2.6 memory pages).

use crate::common::*;
use devnode_wasm::pricing::{read_price, write_price};
use revm::context::result::{ExecutionResult, HaltReason, OutOfGasError};
use revm::primitives::{address, Address, U256};

const PROG: Address = address!("0000000000000000000000000000000000001000");
const PROG2: Address = address!("0000000000000000000000000000000000002000");
const EVM_GAS: Address = address!("0000000000000000000000000000000000003000");
const GAS: u64 = 10_000_000;

/// Echo: read args to 0x100 and return them.
const ECHO: &str = r#"
    (call $pay_for_memory_grow (i32.const 0))
    (call $read_args (i32.const 256))
    (call $write_result (i32.const 256) (local.get $len))
    (i32.const 0)"#;

/// Intrinsic gas of a call with `data` (Prague calldata pricing, no access list).
fn intrinsic(data: &[u8]) -> u64 {
    21_000
        + data
            .iter()
            .map(|b| if *b == 0 { 4 } else { 16 })
            .sum::<u64>()
}

#[test]
fn entry_cost_and_echo() {
    let mut chain = Chain::default();
    let rec = chain.deploy(PROG, &simple(ECHO));
    let data = vec![1, 2, 3, 4];
    let out = chain.call(PROG, data.clone(), U256::ZERO, GAS);
    assert!(out.result.is_success(), "{:?}", out.result);
    assert_eq!(out.output().to_vec(), data);
    // 1 page ≤ FreePages: memory cost 0; entry = cachedGas + initGas (§2.1 step 2).
    let call_cost = chain.init_gas(&rec);
    assert_eq!(
        call_cost,
        352 + rec.cached_init_cost as u64 + 8_832 + rec.init_cost as u64
    );
    let entry = out.hostio("user_entrypoint", 0);
    assert_eq!(entry.start_ink, (GAS - intrinsic(&data) - call_cost) * INK);
    assert_eq!(entry.args, 4u32.to_be_bytes().to_vec());
    assert_eq!(out.ink("pay_for_memory_grow", 0), 8_400);
    assert_eq!(out.ink("read_args", 0), 8_400 + write_price(4));
    assert_eq!(out.ink("write_result", 0), 8_400 + 2 * read_price(4));
    let ret = out.steps().last().unwrap();
    assert_eq!(
        (ret.name, ret.outs.clone()),
        ("user_returned", vec![0, 0, 0, 0])
    );
}

#[test]
fn outcome_success_revert_and_trap() {
    let mut chain = Chain::default();
    // revert: status 1 with data, gas kept
    chain.deploy(
        PROG,
        &simple(
            r#"(call $read_args (i32.const 256))
           (call $write_result (i32.const 256) (local.get $len))
           (i32.const 1)"#,
        ),
    );
    let out = chain.call(PROG, vec![9, 9], U256::ZERO, GAS);
    let ExecutionResult::Revert { output, .. } = &out.result else {
        panic!("{:?}", out.result)
    };
    assert_eq!(output.to_vec(), vec![9, 9]);
    assert!(
        out.gas_used() < 200_000,
        "revert keeps gas: {}",
        out.gas_used()
    );

    // trap (unreachable) after write_result: revert, empty data, gas kept
    chain.deploy(
        PROG2,
        &simple(
            r#"(call $read_args (i32.const 256))
           (call $write_result (i32.const 256) (local.get $len))
           unreachable"#,
        ),
    );
    let out = chain.call(PROG2, vec![7], U256::ZERO, GAS);
    let ExecutionResult::Revert { output, .. } = &out.result else {
        panic!("{:?}", out.result)
    };
    assert!(output.is_empty());
    assert!(out.gas_used() < 200_000);
    // no user_returned after a trap
    assert!(out.steps().iter().all(|r| r.name != "user_returned"));
}

#[test]
fn exit_early_statuses() {
    let mut chain = Chain::default();
    chain.deploy(
        PROG,
        &simple(
            r#"(call $read_args (i32.const 256))
           (call $write_result (i32.const 256) (local.get $len))
           (call $exit_early (i32.load8_u (i32.const 256)))
           unreachable"#,
        ),
    );
    let ok = chain.call(PROG, vec![0], U256::ZERO, GAS);
    assert!(ok.result.is_success());
    assert_eq!(ok.output().to_vec(), vec![0]);
    assert_eq!(ok.ink("exit_early", 0), 0);
    let rev = chain.call(PROG, vec![3], U256::ZERO, GAS);
    assert!(matches!(rev.result, ExecutionResult::Revert { .. }));
    assert_eq!(rev.output().to_vec(), vec![3]);
    assert_eq!(rev.steps().last().unwrap().outs, vec![0, 0, 0, 3]);
}

#[test]
fn out_of_ink_consumes_all_gas() {
    let mut chain = Chain::default();
    chain.deploy(PROG, &simple("(loop $l (br $l)) (i32.const 0)"));
    let out = chain.call(PROG, vec![], U256::ZERO, 1_000_000);
    assert!(
        matches!(
            out.result,
            ExecutionResult::Halt {
                reason: HaltReason::OutOfGas(_),
                ..
            }
        ),
        "{:?}",
        out.result
    );
    assert_eq!(out.gas_used(), 1_000_000);
}

#[test]
fn out_of_stack_consumes_all_gas() {
    let mut chain = Chain::default();
    let wat = program(1, 1, "(func $rec (call $rec))", "(call $rec) (i32.const 0)");
    chain.deploy(PROG, &wat);
    let out = chain.call(PROG, vec![], U256::ZERO, GAS);
    assert!(
        matches!(
            out.result,
            ExecutionResult::Halt {
                reason: HaltReason::StackOverflow,
                ..
            }
        ),
        "{:?}",
        out.result
    );
    assert_eq!(out.gas_used(), GAS);
}

#[test]
fn out_of_stack_at_legacy_depth_budget() {
    // ArbOS 40 parity: 262 144 words, still trips the depth checker before the engine's limits.
    let mut chain = Chain::new(devnode_exec::evm::ArbConfig {
        max_stack_depth: 262_144,
        ..Default::default()
    });
    assert_eq!(chain.params().max_stack_depth, 262_144);
    let wat = program(1, 1, "(func $rec (param i64 i64 i64) (local i64 i64) (call $rec (i64.const 1) (i64.const 2) (i64.const 3)))",
        "(call $rec (i64.const 1) (i64.const 2) (i64.const 3)) (i32.const 0)");
    chain.deploy(PROG, &wat);
    let out = chain.call(PROG, vec![], U256::ZERO, 30_000_000);
    assert!(
        matches!(
            out.result,
            ExecutionResult::Halt {
                reason: HaltReason::StackOverflow,
                ..
            }
        ),
        "{:?}",
        out.result
    );
}

#[test]
fn not_activated_is_a_non_revert_failure() {
    let mut chain = Chain::default();
    chain.deploy_unactivated(PROG, &simple(ECHO));
    let out = chain.call(PROG, vec![1], U256::ZERO, 500_000);
    match &out.result {
        ExecutionResult::Halt {
            reason: HaltReason::PrecompileErrorWithContext(msg),
            ..
        } => {
            assert_eq!(msg, "ProgramNotActivated()")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(out.gas_used(), 500_000);
}

#[test]
fn call_cost_above_gas_is_out_of_gas() {
    let mut chain = Chain::default();
    let rec = chain.deploy(PROG, &simple(ECHO));
    let cost = chain.init_gas(&rec);
    let out = chain.call(PROG, vec![], U256::ZERO, 21_000 + cost - 1);
    assert!(
        matches!(
            out.result,
            ExecutionResult::Halt {
                reason: HaltReason::OutOfGas(OutOfGasError::Basic),
                ..
            }
        ),
        "{:?}",
        out.result
    );
    assert_eq!(out.gas_used(), 21_000 + cost - 1);
}

#[test]
fn memory_page_table_at_entry() {
    for (pages, mem_gas) in [
        (2u32, 0u64),
        (3, 1_000),
        (4, 2_000),
        (8, 6_001),
        (16, 14_007),
    ] {
        let mut chain = Chain::default();
        let rec = chain.deploy(PROG, &program(pages, pages, "", "(i32.const 0)"));
        assert_eq!(rec.footprint as u32, pages);
        let out = chain.call(PROG, vec![], U256::ZERO, GAS);
        assert!(out.result.is_success());
        let entry = out.hostio("user_entrypoint", 0);
        let init = chain.init_gas(&rec);
        assert_eq!(
            entry.start_ink,
            (GAS - 21_000 - init - mem_gas) * INK,
            "{pages} pages"
        );
    }
}

#[test]
fn pay_for_memory_grow_prices_against_previous_open_pages() {
    let mut chain = Chain::default();
    chain.deploy(
        PROG,
        &program(1, 4, "", "(drop (memory.grow (i32.const 2))) (i32.const 0)"),
    );
    let out = chain.call(PROG, vec![], U256::ZERO, GAS);
    assert!(out.result.is_success(), "{:?}", out.result);
    // open 1 → 3 pages: linear 1 000 gas for the one page above FreePages, exp(3) − exp(1) = 0
    let r = out.hostio("pay_for_memory_grow", 0);
    assert_eq!(r.args, vec![0, 2]);
    assert_eq!(r.start_ink - r.end_ink, 1_000 * INK);
}

#[test]
fn storage_cache_loads_writes_and_flush() {
    let mut chain = Chain::default();
    let wat = program(
        1,
        1,
        r#"(data (i32.const 0) "\01") (data (i32.const 63) "\2a")"#,
        r#"
        (call $storage_load_bytes32 (i32.const 0) (i32.const 128))
        (call $storage_load_bytes32 (i32.const 0) (i32.const 128))
        (call $storage_cache_bytes32 (i32.const 0) (i32.const 32))
        (call $storage_flush_cache (i32.const 0))
        (call $storage_flush_cache (i32.const 1))
        (call $storage_load_bytes32 (i32.const 0) (i32.const 160))
        (call $write_result (i32.const 160) (i32.const 32))
        (i32.const 0)"#,
    );
    chain.deploy(PROG, &wat);
    let out = chain.call(PROG, vec![], U256::ZERO, GAS);
    assert!(out.result.is_success(), "{:?}", out.result);
    // miss: base + cold SLOAD 2 100 + EVM-API 5 gas; hit: base only
    assert_eq!(
        out.ink("storage_load_bytes32", 0),
        18_480 + (2_100 + 5) * INK
    );
    assert_eq!(out.ink("storage_load_bytes32", 1), 18_480);
    assert_eq!(out.ink("storage_cache_bytes32", 0), 18_480);
    // flush one dirty slot: warm fresh slot 20 000 gas
    assert_eq!(out.ink("storage_flush_cache", 0), 68_073 + 20_000 * INK);
    // nothing dirty: base only
    assert_eq!(out.ink("storage_flush_cache", 1), 68_073);
    // after clear the load misses again (warm now: 100 + 5)
    assert_eq!(out.ink("storage_load_bytes32", 2), 18_480 + (100 + 5) * INK);
    assert_eq!(out.output()[31], 0x2a);
    let key = U256::from_be_bytes({
        let mut k = [0u8; 32];
        k[0] = 1;
        k
    });
    assert_eq!(chain.storage(PROG, key), U256::from(0x2a));
}

#[test]
fn storage_cache_surcharges_by_ordinal() {
    let mut chain = Chain::default();
    // 33 loads of one key, 9 writes to one key
    let wat = program(
        1,
        1,
        "",
        r#"
        (local $i i32)
        (loop $l
          (call $storage_load_bytes32 (i32.const 0) (i32.const 128))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (i32.const 33))))
        (local.set $i (i32.const 0))
        (loop $w
          (call $storage_cache_bytes32 (i32.const 0) (i32.const 32))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $w (i32.lt_u (local.get $i) (i32.const 9))))
        (i32.const 0)"#,
    );
    chain.deploy(PROG, &wat);
    let out = chain.call(PROG, vec![], U256::ZERO, GAS);
    assert!(out.result.is_success());
    assert_eq!(out.ink("storage_load_bytes32", 31), 18_480);
    assert_eq!(out.ink("storage_load_bytes32", 32), 18_480 + 2 * INK);
    assert_eq!(out.ink("storage_cache_bytes32", 7), 18_480);
    assert_eq!(out.ink("storage_cache_bytes32", 8), 18_480 + 7 * INK);
}

#[test]
fn transient_storage_and_logs() {
    let mut chain = Chain::default();
    let wat = program(
        1,
        1,
        r#"(data (i32.const 0) "\11") (data (i32.const 32) "\22")"#,
        r#"
        (call $transient_store_bytes32 (i32.const 0) (i32.const 32))
        (call $transient_load_bytes32 (i32.const 0) (i32.const 64))
        (call $emit_log (i32.const 0) (i32.const 74) (i32.const 2))
        (call $write_result (i32.const 64) (i32.const 32))
        (i32.const 0)"#,
    );
    chain.deploy(PROG, &wat);
    let out = chain.call(PROG, vec![], U256::ZERO, GAS);
    assert!(out.result.is_success(), "{:?}", out.result);
    assert_eq!(out.ink("transient_store_bytes32", 0), 78_153 + 100 * INK);
    assert_eq!(out.ink("transient_load_bytes32", 0), 78_153 + 100 * INK);
    assert_eq!(out.output()[0], 0x22);
    // 2 topics + 10 data bytes: 375·3 + 8·10 gas
    assert_eq!(
        out.ink("emit_log", 0),
        68_073 + read_price(74) + (375 * 3 + 80) * INK
    );
    let logs = out.result.logs();
    assert_eq!(logs.len(), 1);
    assert_eq!(logs[0].address, PROG);
    assert_eq!(logs[0].topics().len(), 2);
    assert_eq!(logs[0].topics()[0][0], 0x11);
    assert_eq!(logs[0].data.data.len(), 10);
}

#[test]
fn bad_log_topics_fail() {
    let mut chain = Chain::default();
    chain.deploy(
        PROG,
        &simple("(call $emit_log (i32.const 0) (i32.const 31) (i32.const 1)) (i32.const 0)"),
    );
    let out = chain.call(PROG, vec![], U256::ZERO, GAS);
    let ExecutionResult::Revert { output, .. } = &out.result else {
        panic!("{:?}", out.result)
    };
    assert!(output.is_empty());
}

#[test]
fn account_access_costs_and_code_cache() {
    let mut chain = Chain::default();
    chain.set_code(
        EVM_GAS,
        vec![0x5a, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3],
    );
    // args: 20-byte address at 0x100
    let wat = program(
        1,
        1,
        "",
        r#"
        (call $read_args (i32.const 256))
        (call $account_balance (i32.const 256) (i32.const 512))
        (call $account_balance (i32.const 256) (i32.const 512))
        (drop (call $account_code_size (i32.const 256)))
        (drop (call $account_code_size (i32.const 256)))
        (drop (call $account_code (i32.const 256) (i32.const 2) (i32.const 100) (i32.const 600)))
        (call $account_codehash (i32.const 256) (i32.const 700))
        (call $account_codehash (i32.const 300) (i32.const 740))
        (call $write_result (i32.const 600) (i32.const 172))
        (i32.const 0)"#,
    );
    chain.deploy(PROG, &wat);
    let out = chain.call(PROG, EVM_GAS.to_vec(), U256::ZERO, GAS);
    assert!(out.result.is_success(), "{:?}", out.result);
    assert_eq!(out.ink("account_balance", 0), 78_153 + 2_600 * INK);
    assert_eq!(out.ink("account_balance", 1), 78_153 + 100 * INK);
    assert_eq!(out.ink("account_code_size", 0), 68_073 + (700 + 100) * INK);
    assert_eq!(
        out.ink("account_code_size", 1),
        68_073,
        "one-entry code cache"
    );
    assert_eq!(out.ink("account_code", 0), 68_073 + write_price(9));
    assert_eq!(out.ink("account_codehash", 0), 78_153 + 100 * INK);
    // address 0x..0 at 300 (zero bytes): cold, non-existent → zero hash
    assert_eq!(out.ink("account_codehash", 1), 78_153 + 2_600 * INK);
    let o = out.output();
    assert_eq!(
        &o[..7],
        &GAS_RETURNER[2..],
        "code[2..] copied without padding"
    );
    let code_hash = hash(&[0x5a, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3]);
    assert_eq!(&o[100..132], code_hash.as_slice());
    assert!(o[140..172].iter().all(|b| *b == 0));
}

#[test]
fn ink_block_and_message_values() {
    let mut chain = Chain::default();
    let wat = program(
        1,
        1,
        "",
        r#"
        (i64.store (i32.const 0) (call $evm_ink_left))
        (i64.store (i32.const 8) (call $evm_gas_left))
        (i64.store (i32.const 16) (call $chainid))
        (i64.store (i32.const 24) (call $block_number))
        (i64.store (i32.const 32) (call $block_timestamp))
        (i64.store (i32.const 40) (call $block_gas_limit))
        (i32.store (i32.const 48) (call $tx_ink_price))
        (i32.store (i32.const 52) (call $msg_reentrant))
        (call $block_basefee (i32.const 64))
        (call $block_coinbase (i32.const 96))
        (call $contract_address (i32.const 116))
        (call $msg_sender (i32.const 136))
        (call $tx_origin (i32.const 156))
        (call $msg_value (i32.const 176))
        (call $tx_gas_price (i32.const 208))
        (i32.store (i32.const 240) (call $return_data_size))
        (call $write_result (i32.const 0) (i32.const 244))
        (i32.const 0)"#,
    );
    chain.deploy(PROG, &wat);
    let out = chain.call(PROG, vec![], U256::from(5), GAS);
    assert!(out.result.is_success(), "{:?}", out.result);
    let o = out.output();
    let u64_at = |i: usize| u64::from_le_bytes(o[i..i + 8].try_into().unwrap());
    assert_eq!(u64_at(0), out.hostio("evm_ink_left", 0).end_ink);
    assert_eq!(out.ink("evm_ink_left", 0), 8_400);
    assert_eq!(u64_at(8), out.hostio("evm_gas_left", 0).end_ink / INK);
    assert_eq!(u64_at(16), 412_346);
    assert_eq!(u64_at(24), chain.block.l1_block_number);
    assert_eq!(u64_at(32), chain.block.timestamp);
    assert_eq!(u64_at(40), 1 << 50);
    assert_eq!(u32::from_le_bytes(o[48..52].try_into().unwrap()), 10_000);
    assert_eq!(u32::from_le_bytes(o[52..56].try_into().unwrap()), 0);
    assert_eq!(
        U256::from_be_slice(&o[64..96]),
        U256::from(chain.block.basefee)
    );
    assert_eq!(&o[96..116], chain.block.coinbase.as_slice());
    assert_eq!(&o[116..136], PROG.as_slice());
    assert_eq!(&o[136..156], ALICE.as_slice());
    assert_eq!(&o[156..176], ALICE.as_slice());
    assert_eq!(U256::from_be_slice(&o[176..208]), U256::from(5));
    assert_eq!(
        U256::from_be_slice(&o[208..240]),
        U256::from(chain.block.basefee)
    );
    assert_eq!(&o[240..244], &[0, 0, 0, 0]);
    for (name, base) in [
        ("chainid", 8_400),
        ("block_number", 8_400),
        ("block_timestamp", 8_400),
        ("block_gas_limit", 8_400),
        ("tx_ink_price", 8_400),
        ("msg_reentrant", 8_400),
        ("block_basefee", 13_440),
        ("block_coinbase", 13_440),
        ("contract_address", 13_440),
        ("msg_sender", 13_440),
        ("tx_origin", 13_440),
        ("msg_value", 13_440),
        ("tx_gas_price", 13_440),
        ("return_data_size", 8_400),
    ] {
        assert_eq!(out.ink(name, 0), base, "{name}");
    }
}

#[test]
fn math_and_keccak() {
    let mut chain = Chain::default();
    // a = 7 at 0, b = 2 at 32, m = 5 at 64; copies for each op
    let wat = program(
        1,
        1,
        r#"
        (data (i32.const 31) "\07") (data (i32.const 63) "\02") (data (i32.const 95) "\05")
        (data (i32.const 127) "\07") (data (i32.const 159) "\07") (data (i32.const 191) "\07") (data (i32.const 223) "\07")"#,
        r#"
        (call $math_div (i32.const 0) (i32.const 32))
        (call $math_mod (i32.const 96) (i32.const 32))
        (call $math_pow (i32.const 128) (i32.const 32))
        (call $math_add_mod (i32.const 160) (i32.const 32) (i32.const 64))
        (call $math_mul_mod (i32.const 192) (i32.const 32) (i32.const 64))
        (call $native_keccak256 (i32.const 0) (i32.const 100) (i32.const 256))
        (call $write_result (i32.const 0) (i32.const 288))
        (i32.const 0)"#,
    );
    chain.deploy(PROG, &wat);
    let out = chain.call(PROG, vec![], U256::ZERO, GAS);
    assert!(out.result.is_success(), "{:?}", out.result);
    let o = out.output();
    let word = |i: usize| U256::from_be_slice(&o[i..i + 32]);
    assert_eq!(word(0), U256::from(3));
    assert_eq!(word(96), U256::from(1));
    assert_eq!(word(128), U256::from(49));
    assert_eq!(word(160), U256::from(4));
    assert_eq!(word(192), U256::from(4));
    assert_eq!(out.ink("math_div", 0), 43_520);
    assert_eq!(out.ink("math_mod", 0), 43_520);
    // exponent 2: 31 leading zero bytes → 3 000 + 17 500·2
    assert_eq!(out.ink("math_pow", 0), 23_520 + 38_000);
    assert_eq!(out.ink("math_add_mod", 0), 49_560);
    assert_eq!(out.ink("math_mul_mod", 0), 52_660);
    // 100 bytes = 4 words: 121 800 + 2·21 000
    assert_eq!(out.ink("native_keccak256", 0), 121_800 + 42_000);
    let preimage = {
        let mut p = vec![0u8; 100];
        p[31] = 3;
        p[63] = 2;
        p[95] = 5;
        p
    };
    assert_eq!(&o[256..288], hash(&preimage).as_slice());
}

/// A program that calls the address in args[0..20] with `gas = u64::MAX` and value args[20..52]
/// (kind selected by `call`), then returns the callee's return data prefixed by the status.
fn caller_program(call: &str) -> String {
    let invoke = match call {
        "call" => "(call $call_contract (i32.const 256) (i32.const 0) (i32.const 0) (i32.const 276) (i64.const -1) (i32.const 400))",
        "delegate" => "(call $delegate_call_contract (i32.const 256) (i32.const 0) (i32.const 0) (i64.const -1) (i32.const 400))",
        _ => "(call $static_call_contract (i32.const 256) (i32.const 0) (i32.const 0) (i64.const -1) (i32.const 400))",
    };
    program(
        1,
        1,
        "",
        &format!(
            r#"
        (call $read_args (i32.const 256))
        (i32.store8 (i32.const 511) {invoke})
        (drop (call $read_return_data (i32.const 512) (i32.const 0) (i32.const 64)))
        (call $write_result (i32.const 511) (i32.add (i32.const 1) (i32.load (i32.const 400))))
        (i32.const 0)"#
        ),
    )
}

const GAS_RETURNER: [u8; 9] = [0x5a, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3];

fn call_args(target: Address, value: u64) -> Vec<u8> {
    let mut v = target.to_vec();
    v.extend_from_slice(&U256::from(value).to_be_bytes::<32>());
    v
}

#[test]
fn call_forwards_63_64ths_floor_of_product() {
    let mut chain = Chain::default();
    chain.set_code(EVM_GAS, GAS_RETURNER.to_vec());
    chain.deploy(PROG, &caller_program("call"));
    let out = chain.call(PROG, call_args(EVM_GAS, 0), U256::ZERO, GAS);
    assert!(out.result.is_success(), "{:?}", out.result);
    let o = out.output();
    assert_eq!(o[0], 0, "status ok");
    let callee_gas = U256::from_be_slice(&o[1..33]).to::<u64>();
    let rec = out.hostio("call_contract", 0);
    let gas_left = (rec.start_ink - 83_193 - 2 * read_price(0)) / INK;
    let forwarded = (gas_left - 2_600) * 63 / 64;
    assert_eq!(
        callee_gas,
        forwarded - 2,
        "GAS at the callee's first instruction"
    );
    // cost = base 2 600 (cold) + gas actually used by the callee (17)
    assert_eq!(
        rec.start_ink - rec.end_ink,
        83_193 + 2 * read_price(0) + (2_600 + 17) * INK
    );
    assert_eq!(rec.address, Some(EVM_GAS));
    assert_eq!(rec.steps.as_deref(), Some(&[][..]));
    assert_eq!(rec.outs, [32u32.to_be_bytes().to_vec(), vec![0]].concat());
}

#[test]
fn call_with_value_adds_stipend_and_charges_it() {
    let mut chain = Chain::default();
    chain.set_code(EVM_GAS, GAS_RETURNER.to_vec());
    chain.deploy(PROG, &caller_program("call"));
    let out = chain.call(PROG, call_args(EVM_GAS, 1), U256::from(10), GAS);
    assert!(out.result.is_success(), "{:?}", out.result);
    let o = out.output();
    assert_eq!(o[0], 0);
    let callee_gas = U256::from_be_slice(&o[1..33]).to::<u64>();
    let rec = out.hostio("call_contract", 0);
    let gas_left = (rec.start_ink - 83_193 - 2 * read_price(0)) / INK;
    let base = 2_600 + 9_000;
    let forwarded = (gas_left - base) * 63 / 64 + 2_300;
    assert_eq!(callee_gas, forwarded - 2);
    // unlike the EVM, the unused stipend is not a net gain: cost = base + used
    assert_eq!(
        rec.start_ink - rec.end_ink,
        83_193 + 2 * read_price(0) + (base + 17) * INK
    );
    assert_eq!(
        chain.db.cache.accounts[&EVM_GAS].info.balance,
        U256::from(1)
    );
}

#[test]
fn stylus_calls_stylus_and_traces_nest() {
    let mut chain = Chain::default();
    chain.deploy(PROG2, &simple(ECHO));
    chain.deploy(PROG, &caller_program("call"));
    let out = chain.call(PROG, call_args(PROG2, 0), U256::ZERO, GAS);
    assert!(out.result.is_success(), "{:?}", out.result);
    assert_eq!(out.output()[0], 0);
    let rec = out.hostio("call_contract", 0);
    let steps = rec.steps.as_ref().unwrap();
    assert_eq!(steps.first().unwrap().name, "user_entrypoint");
    assert_eq!(steps.last().unwrap().name, "user_returned");
    assert_eq!(
        out.frames.len(),
        1,
        "the child frame is nested, not top level"
    );
}

#[test]
fn value_call_in_static_context_fails_with_zero_cost() {
    let mut chain = Chain::default();
    chain.set_code(EVM_GAS, GAS_RETURNER.to_vec());
    chain.deploy(PROG2, &caller_program("call"));
    // PROG static-calls PROG2 (address at 0x100) with calldata [EVM_GAS ‖ value 1] (at 0x114);
    // PROG2 then tries a value call, which fails with status 2 at no cost.
    let wat = program(
        1,
        1,
        "",
        r#"
        (call $read_args (i32.const 256))
        (i32.store8 (i32.const 511)
          (call $static_call_contract (i32.const 256) (i32.const 276) (i32.const 52) (i64.const -1) (i32.const 400)))
        (drop (call $read_return_data (i32.const 512) (i32.const 0) (i32.const 64)))
        (call $write_result (i32.const 511) (i32.add (i32.const 1) (i32.load (i32.const 400))))
        (i32.const 0)"#,
    );
    chain.deploy(PROG, &wat);
    let mut args = PROG2.to_vec();
    args.extend_from_slice(&call_args(EVM_GAS, 1));
    let out = chain.call(PROG, args, U256::ZERO, GAS);
    assert!(out.result.is_success(), "{:?}", out.result);
    let o = out.output();
    assert_eq!(o[0], 0, "PROG2 itself succeeds");
    assert_eq!(o[1], 2, "its value call fails with status 2");
    let rec = out.hostio("static_call_contract", 0);
    let inner = rec.steps.as_ref().unwrap();
    let call = inner.iter().find(|r| r.name == "call_contract").unwrap();
    assert_eq!(
        call.start_ink - call.end_ink,
        83_193 + 2 * read_price(0),
        "cost 0"
    );
    assert_eq!(chain.db.cache.accounts[&EVM_GAS].info.balance, U256::ZERO);
}

#[test]
fn static_context_write_protection() {
    let mut chain = Chain::default();
    // PROG2 writes storage (cache + flush): a Failure under STATICCALL
    chain.deploy(
        PROG2,
        &simple(
            r#"
        (call $storage_cache_bytes32 (i32.const 0) (i32.const 32))
        (call $storage_flush_cache (i32.const 0))
        (i32.const 0)"#,
        ),
    );
    chain.deploy(PROG, &caller_program("static"));
    let out = chain.call(PROG, call_args(PROG2, 0), U256::ZERO, GAS);
    assert!(out.result.is_success(), "{:?}", out.result);
    assert_eq!(out.output()[0], 2, "static callee failed");
    assert_eq!(out.output().len(), 1, "no return data on failure");
    // the same callee called normally succeeds and writes
    chain.deploy(PROG, &caller_program("call"));
    let out = chain.call(PROG, call_args(PROG2, 0), U256::ZERO, GAS);
    assert_eq!(out.output()[0], 0);
    assert_eq!(
        chain.storage(PROG2, U256::ZERO),
        U256::ZERO,
        "stores zero over zero"
    );
}

#[test]
fn static_context_rejects_logs_and_transient_stores() {
    for body in [
        "(call $emit_log (i32.const 0) (i32.const 0) (i32.const 0)) (i32.const 0)",
        "(call $transient_store_bytes32 (i32.const 0) (i32.const 32)) (i32.const 0)",
    ] {
        let mut chain = Chain::default();
        chain.deploy(PROG2, &simple(body));
        chain.deploy(PROG, &caller_program("static"));
        let out = chain.call(PROG, call_args(PROG2, 0), U256::ZERO, GAS);
        assert_eq!(out.output()[0], 2, "{body}");
        chain.deploy(PROG, &caller_program("call"));
        let out = chain.call(PROG, call_args(PROG2, 0), U256::ZERO, GAS);
        assert_eq!(out.output()[0], 0, "{body}");
    }
}

#[test]
fn delegate_call_runs_callee_code_on_callers_storage() {
    let mut chain = Chain::default();
    chain.deploy(
        PROG2,
        &program(
            1,
            1,
            r#"(data (i32.const 63) "\07")"#,
            r#"
        (call $storage_cache_bytes32 (i32.const 0) (i32.const 32))
        (call $storage_flush_cache (i32.const 0))
        (call $msg_sender (i32.const 100))
        (call $write_result (i32.const 100) (i32.const 20))
        (i32.const 0)"#,
        ),
    );
    chain.deploy(PROG, &caller_program("delegate"));
    let out = chain.call(PROG, call_args(PROG2, 0), U256::ZERO, GAS);
    assert!(out.result.is_success(), "{:?}", out.result);
    assert_eq!(out.output()[0], 0);
    assert_eq!(&out.output()[1..21], ALICE.as_slice(), "msg_sender is kept");
    assert_eq!(chain.storage(PROG, U256::ZERO), U256::from(7));
    assert_eq!(chain.storage(PROG2, U256::ZERO), U256::ZERO);
}

#[test]
fn reentrancy_flag() {
    let mut chain = Chain::default();
    // no args: call self with one byte of args and return the child's output;
    // with args: return msg_reentrant.
    let wat = program(
        1,
        1,
        "",
        r#"
        (if (i32.eqz (local.get $len))
          (then
            (call $contract_address (i32.const 256))
            (drop (call $call_contract (i32.const 256) (i32.const 300) (i32.const 1) (i32.const 320) (i64.const -1) (i32.const 400)))
            (drop (call $read_return_data (i32.const 512) (i32.const 0) (i32.const 4)))
            (call $write_result (i32.const 512) (i32.const 4))
            (return (i32.const 0))))
        (i32.store (i32.const 512) (call $msg_reentrant))
        (call $write_result (i32.const 512) (i32.const 4))
        (i32.const 0)"#,
    );
    chain.deploy(PROG, &wat);
    let direct = chain.call(PROG, vec![1], U256::ZERO, GAS);
    assert_eq!(direct.output().to_vec(), vec![0, 0, 0, 0]);
    let reentered = chain.call(PROG, vec![], U256::ZERO, GAS);
    assert_eq!(reentered.output().to_vec(), vec![1, 0, 0, 0]);
}

#[test]
fn evm_calls_stylus() {
    let mut chain = Chain::default();
    chain.deploy(PROG, &simple(ECHO));
    // CALLDATACOPY all → CALL PROG with it → RETURNDATACOPY → RETURN
    let mut code = vec![
        0x36, 0x60, 0x00, 0x60, 0x00, 0x37, // calldatacopy(0, 0, size)
        0x60, 0x00, 0x60, 0x00, 0x36, 0x60, 0x00, 0x60, 0x00, 0x73,
    ];
    code.extend_from_slice(PROG.as_slice());
    code.extend_from_slice(&[
        0x5a, 0xf1, 0x50, 0x3d, 0x60, 0x00, 0x60, 0x00, 0x3e, 0x3d, 0x60, 0x00, 0xf3,
    ]);
    chain.set_code(EVM_GAS, code);
    let out = chain.call(EVM_GAS, vec![5, 6, 7], U256::ZERO, GAS);
    assert!(out.result.is_success(), "{:?}", out.result);
    assert_eq!(out.output().to_vec(), vec![5, 6, 7]);
    assert_eq!(out.frames.len(), 1);
    assert_eq!(out.frames[0].depth, 2);
}

#[test]
fn creates_from_stylus() {
    let mut chain = Chain::default();
    // initcode returning the 1-byte code 0x2a; then a Stylus component (EIP-3541 exemption)
    let init: Vec<u8> = vec![0x60, 0x2a, 0x60, 0x00, 0x53, 0x60, 0x01, 0x60, 0x00, 0xf3];
    let stylus_init: Vec<u8> = vec![
        0x63, 0xEF, 0xF0, 0x00, 0x00, 0x60, 0xe0, 0x1b, 0x60, 0x00, 0x52, 0x60, 0x04, 0x60, 0x00,
        0xf3,
    ];
    let data = |off: u32, bytes: &[u8]| {
        let esc: String = bytes.iter().map(|b| format!("\\{b:02x}")).collect();
        format!("(data (i32.const {off}) \"{esc}\")")
    };
    let extra = format!(
        "{} {} {}",
        data(0, &init),
        data(64, &stylus_init),
        data(160, &[0x55; 32])
    );
    let body = format!(
        r#"
        (call $create1 (i32.const 0) (i32.const {}) (i32.const 128) (i32.const 300) (i32.const 340))
        (call $create2 (i32.const 64) (i32.const {}) (i32.const 128) (i32.const 160) (i32.const 320) (i32.const 340))
        (call $write_result (i32.const 300) (i32.const 40))
        (i32.const 0)"#,
        init.len(),
        stylus_init.len()
    );
    chain.deploy(PROG, &program(1, 1, &extra, &body));
    let out = chain.call(PROG, vec![], U256::ZERO, GAS);
    assert!(out.result.is_success(), "{:?}", out.result);
    let o = out.output();
    let a1 = Address::from_slice(&o[0..20]);
    let a2 = Address::from_slice(&o[20..40]);
    assert_eq!(a1, PROG.create(0));
    assert_eq!(a2, PROG.create2([0x55; 32], hash(&stylus_init)));
    let code1 = chain.db.cache.accounts[&a1].info.code.clone().unwrap();
    assert_eq!(code1.original_byte_slice(), &[0x2a]);
    let code2 = chain.db.cache.accounts[&a2].info.code.clone().unwrap();
    assert_eq!(code2.original_byte_slice(), &[0xEF, 0xF0, 0x00, 0x00]);
    // create cost is all-but-1/64 forwarded, then the unused part refunded
    let rec = out.hostio("create1", 0);
    assert!(rec.start_ink - rec.end_ink > 83_193 + 32_000 * INK);
}

#[test]
fn static_create_fails() {
    let mut chain = Chain::default();
    chain.deploy(PROG2, &simple(
        "(call $create1 (i32.const 0) (i32.const 0) (i32.const 64) (i32.const 100) (i32.const 140)) (i32.const 0)",
    ));
    chain.deploy(PROG, &caller_program("static"));
    let out = chain.call(PROG, call_args(PROG2, 0), U256::ZERO, GAS);
    assert_eq!(out.output()[0], 2);
}

#[test]
fn revert_rolls_back_nested_writes() {
    let mut chain = Chain::default();
    chain.deploy(
        PROG2,
        &program(
            1,
            1,
            r#"(data (i32.const 63) "\09")"#,
            r#"
        (call $storage_cache_bytes32 (i32.const 0) (i32.const 32))
        (call $storage_flush_cache (i32.const 0))
        (i32.const 0)"#,
        ),
    );
    // PROG calls PROG2 then reverts
    let wat = program(
        1,
        1,
        "",
        r#"
        (call $read_args (i32.const 256))
        (drop (call $call_contract (i32.const 256) (i32.const 0) (i32.const 0) (i32.const 276) (i64.const -1) (i32.const 400)))
        (i32.const 1)"#,
    );
    chain.deploy(PROG, &wat);
    let out = chain.call(PROG, call_args(PROG2, 0), U256::ZERO, GAS);
    assert!(matches!(out.result, ExecutionResult::Revert { .. }));
    assert_eq!(chain.storage(PROG2, U256::ZERO), U256::ZERO);
}

#[test]
fn sstore_refunds_reach_the_receipt() {
    let mut chain = Chain::default();
    // slot 0 := args[0..32]
    chain.deploy(
        PROG,
        &simple(
            r#"
        (call $read_args (i32.const 32))
        (call $storage_cache_bytes32 (i32.const 0) (i32.const 32))
        (call $storage_flush_cache (i32.const 0))
        (i32.const 0)"#,
        ),
    );
    let set = chain.call(
        PROG,
        U256::from(1).to_be_bytes::<32>().to_vec(),
        U256::ZERO,
        GAS,
    );
    assert!(set.result.is_success());
    let clear = chain.call(PROG, vec![0u8; 32], U256::ZERO, GAS);
    let ExecutionResult::Success { gas, .. } = &clear.result else {
        panic!()
    };
    assert_eq!(gas.final_refunded(), 4_800);
    // clearing an existing slot: cold 2 100 + 2 900
    assert_eq!(clear.ink("storage_flush_cache", 0), 68_073 + 5_000 * INK);
}

#[test]
fn selfdestruct_in_a_stylus_acting_context_reverts() {
    let mut chain = Chain::default();
    chain.set_code(EVM_GAS, vec![0x30, 0xff]); // ADDRESS SELFDESTRUCT
    chain.deploy(PROG, &caller_program("delegate"));
    let out = chain.call(PROG, call_args(EVM_GAS, 0), U256::ZERO, GAS);
    assert!(out.result.is_success(), "{:?}", out.result);
    assert_eq!(out.output()[0], 2, "delegatecalled SELFDESTRUCT reverts");
    chain.deploy(PROG, &caller_program("call"));
    let out = chain.call(PROG, call_args(EVM_GAS, 0), U256::ZERO, GAS);
    assert_eq!(out.output()[0], 0, "SELFDESTRUCT of an EVM account works");
}
