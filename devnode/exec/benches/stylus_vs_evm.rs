//! Stylus call tx/s vs EVM call tx/s on the same DevDb, plus engine figures (module compile on a
//! cache miss, per-call instantiation overhead, interpreter throughput). Prints a table.
//!
//! Run: `cargo bench -p devnode-exec --bench stylus_vs_evm`

#[path = "../tests/exec/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::*;
use devnode_exec::evm;
use revm::database::DatabaseCommit;
use revm::primitives::{address, Address, U256};

const STYLUS_COUNTER: Address = address!("0000000000000000000000000000000000001000");
const EVM_COUNTER: Address = address!("0000000000000000000000000000000000002000");
const STYLUS_ECHO: Address = address!("0000000000000000000000000000000000003000");
const EVM_ECHO: Address = address!("0000000000000000000000000000000000004000");
const STYLUS_LOOP: Address = address!("0000000000000000000000000000000000005000");

/// Counter: slot 0 += 1 (load, cache, flush), returns nothing.
const COUNTER: &str = r#"
    (call $pay_for_memory_grow (i32.const 0))
    (call $storage_load_bytes32 (i32.const 0) (i32.const 32))
    (i64.store (i32.const 56)
      (i64.add (i64.const 0x0100000000000000) (i64.load (i32.const 56))))
    (call $storage_cache_bytes32 (i32.const 0) (i32.const 32))
    (call $storage_flush_cache (i32.const 0))
    (i32.const 0)"#;

/// Echo calldata.
const ECHO: &str = r#"
    (call $pay_for_memory_grow (i32.const 0))
    (call $read_args (i32.const 256))
    (call $write_result (i32.const 256) (local.get $len))
    (i32.const 0)"#;

/// 1 000 000 iterations of an add loop.
const LOOP: &str = r#"
    (local $i i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 1000000))))
    (i32.store (i32.const 0) (local.get $acc))
    (call $write_result (i32.const 0) (i32.const 4))
    (i32.const 0)"#;

fn run(chain: &mut Chain, to: Address, data: &[u8], n: u32) -> (Duration, u64) {
    let mut gas = 0;
    let start = Instant::now();
    for _ in 0..n {
        let tx = chain.tx(to, data.to_vec(), U256::ZERO, 30_000_000);
        let out = evm::transact(&mut chain.db, &chain.cfg, &chain.block, tx).expect("valid tx");
        assert!(out.result.is_success(), "{:?}", out.result);
        gas = out.result.tx_gas_used();
        chain.db.commit(out.state);
        chain.bump_nonce();
    }
    (start.elapsed(), gas)
}

fn row(name: &str, (time, gas): (Duration, u64), n: u32) {
    let per = time / n;
    let tps = f64::from(n) / time.as_secs_f64();
    println!("{name:<34} {per:>12.2?} {tps:>12.0} {gas:>12}");
}

fn main() {
    on_big_stack(|| {
        let mut chain = Chain::default();
        chain.deploy(STYLUS_COUNTER, &simple(COUNTER));
        chain.deploy(STYLUS_ECHO, &simple(ECHO));
        chain.deploy(STYLUS_LOOP, &simple(LOOP));
        // PUSH1 0 SLOAD PUSH1 1 ADD PUSH1 0 SSTORE STOP
        chain.set_code(
            EVM_COUNTER,
            vec![0x60, 0, 0x54, 0x60, 1, 0x01, 0x60, 0, 0x55, 0x00],
        );
        // CALLDATASIZE PUSH1 0 PUSH1 0 CALLDATACOPY CALLDATASIZE PUSH1 0 RETURN
        chain.set_code(
            EVM_ECHO,
            vec![0x36, 0x60, 0, 0x60, 0, 0x37, 0x36, 0x60, 0, 0xf3],
        );
        let data = vec![7u8; 64];

        // warm-up (module compile on first call)
        let t = Instant::now();
        run(&mut chain, STYLUS_ECHO, &data, 1);
        let first = t.elapsed();

        let n = 3_000;
        println!(
            "{:<34} {:>12} {:>12} {:>12}",
            "transaction", "time/tx", "tx/s", "gas/tx"
        );
        row(
            "EVM counter (SLOAD+SSTORE)",
            run(&mut chain, EVM_COUNTER, &[], n),
            n,
        );
        row(
            "Stylus counter (load+cache+flush)",
            run(&mut chain, STYLUS_COUNTER, &[], n),
            n,
        );
        row("EVM echo 64 B", run(&mut chain, EVM_ECHO, &data, n), n);
        row(
            "Stylus echo 64 B",
            run(&mut chain, STYLUS_ECHO, &data, n),
            n,
        );
        let (t, g) = run(&mut chain, STYLUS_LOOP, &[], 20);
        row("Stylus 1M-iteration add loop", (t, g), 20);
        let gas_per_sec = g as f64 / (t / 20).as_secs_f64();
        println!(
            "\ninterpreter throughput: {:.1} Mgas/s of metered wasm",
            gas_per_sec / 1e6
        );
        println!("first Stylus call incl. module re-derivation + compile: {first:.2?}");

        // compile cost of a cache miss, on the biggest artifact available
        let wasm = wat::parse_str(simple(COUNTER)).unwrap();
        let params = chain.params();
        let act = devnode_wasm::activate(&wasm, 128, &params, true, 0).unwrap();
        let t = Instant::now();
        for _ in 0..100 {
            devnode_exec::stylus::engine::compile_instrumented(&act.instrumented).unwrap();
        }
        println!(
            "wasmi compile (validate + lazy translate), small module: {:.2?}",
            t.elapsed() / 100
        );
    });
}
