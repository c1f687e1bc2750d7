//! Tracing overhead: the same Stylus transaction (a program that loads and stores a slot, hashes,
//! calls an EVM contract and another program, and emits a log) re-executed on its pre-state
//! untraced (`Chain::replay`) and under each tracer (`Chain::trace_transaction`, which also
//! renders the JSON). Prints a table; never asserts timings.
//!
//! Run: `cargo bench -p devnode --bench trace` (env `BENCH_TRACE` = iterations, default 2000).

use std::time::Instant;

use alloy::network::{EthereumWallet, TransactionBuilder};
use alloy::primitives::{address, keccak256, Address, Bytes, B256, U256};
use alloy::providers::{DynProvider, Provider, ProviderBuilder};
use alloy::rpc::types::TransactionRequest;
use devnode::trace::{parse_options, TracerKind};
use devnode::{Devnode, DevnodeConfig};
use serde_json::json;

const ARB_WASM: Address = address!("0x0000000000000000000000000000000000000071");

#[path = "../tests/devnode/fixtures/trace_programs.rs"]
mod trace_programs;
use trace_programs::{CALLEE_WAT, CALLER_WAT, EVM_RUNTIME};

/// Initcode returning `runtime`: PUSH2 n, DUP1, PUSH1 12, PUSH1 0, CODECOPY, PUSH1 0, RETURN.
fn initcode(runtime: &[u8]) -> Bytes {
    let n = runtime.len() as u16;
    let [hi, lo] = n.to_be_bytes();
    let mut v = vec![
        0x61, hi, lo, 0x80, 0x60, 0x0c, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3,
    ];
    v.extend_from_slice(runtime);
    v.into()
}

async fn send(p: &DynProvider, tx: TransactionRequest) -> alloy::rpc::types::TransactionReceipt {
    let r = p
        .send_transaction(tx)
        .await
        .expect("send")
        .get_receipt()
        .await
        .expect("receipt");
    assert!(r.status(), "transaction succeeded");
    r
}

async fn deploy(p: &DynProvider, runtime: &[u8]) -> Address {
    let r = send(
        p,
        TransactionRequest::default().with_deploy_code(initcode(runtime)),
    )
    .await;
    r.contract_address.expect("created")
}

async fn deploy_program(p: &DynProvider, wat_src: &str) -> Address {
    let program = deploy(
        p,
        &devnode_wasm::compress_program(&wat::parse_str(wat_src).unwrap()),
    )
    .await;
    let mut data = keccak256("activateProgram(address)")[..4].to_vec();
    data.extend_from_slice(&[0u8; 12]);
    data.extend_from_slice(program.as_slice());
    send(
        p,
        TransactionRequest::default()
            .with_to(ARB_WASM)
            .with_input(Bytes::from(data))
            .with_value(U256::from(10u128.pow(17))),
    )
    .await;
    program
}

fn main() {
    let iters: usize = std::env::var("BENCH_TRACE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let node = Devnode::spawn(DevnodeConfig {
        port: 0,
        verbose: false,
        ..DevnodeConfig::default()
    })
    .expect("node starts");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let hash: B256 = rt.block_on(async {
        let p = ProviderBuilder::new()
            .wallet(EthereumWallet::from(devnode::config::dev_signer()))
            .connect_http(node.url().parse().unwrap())
            .erased();
        let evm = deploy(&p, EVM_RUNTIME).await;
        let callee = deploy_program(&p, CALLEE_WAT).await;
        let caller = deploy_program(&p, CALLER_WAT).await;
        let mut input = evm.to_vec();
        input.extend_from_slice(callee.as_slice());
        let r = send(
            &p,
            TransactionRequest::default()
                .with_to(caller)
                .with_input(Bytes::from(input))
                .with_gas_limit(3_000_000),
        )
        .await;
        r.transaction_hash
    });

    let chain = node.chain();
    let mut rows: Vec<(String, f64)> = Vec::new();
    // Warm-up (activation cache, allocator).
    for _ in 0..20 {
        chain
            .exec_blocking(move |c| c.replay(hash).map(|_| ()))
            .unwrap();
    }
    let start = Instant::now();
    for _ in 0..iters {
        chain
            .exec_blocking(move |c| c.replay(hash).map(|_| ()))
            .unwrap();
    }
    rows.push(("untraced (replay)".into(), start.elapsed().as_secs_f64()));
    let tracers = [
        ("stylusTracer", json!({"tracer": "stylusTracer"})),
        (
            "callTracer (withLog)",
            json!({"tracer": "callTracer", "tracerConfig": {"withLog": true}}),
        ),
        ("struct logger", json!({})),
        ("noopTracer", json!({"tracer": "noopTracer"})),
    ];
    for (name, opts) in tracers {
        let kind: TracerKind = parse_options(Some(&opts)).unwrap();
        let start = Instant::now();
        for _ in 0..iters {
            let k = kind.clone();
            chain
                .exec_blocking(move |c| c.trace_transaction(hash, &k))
                .unwrap();
        }
        rows.push((name.into(), start.elapsed().as_secs_f64()));
    }
    let base = rows[0].1;
    println!("\nSame Stylus transaction (Stylus → EVM + Stylus, SLOAD/SSTORE, keccak, LOG1), {iters} runs each");
    println!("| mode                 | µs / tx | tx / s  | vs untraced |");
    println!("|----------------------|---------|---------|-------------|");
    for (name, secs) in rows {
        let per = secs / iters as f64;
        println!(
            "| {name:<20} | {:>7.1} | {:>7.0} | {:>10.2}x |",
            per * 1e6,
            1.0 / per,
            secs / base
        );
    }
}
