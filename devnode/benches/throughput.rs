//! Devnode benchmark: start-up time, ETH transfers/s and eth_call/s, side by side with anvil when
//! it is installed (`ANVIL_BIN`, `anvil` on PATH, or `node_modules/@foundry-rs/*/bin/anvil` in the
//! workspace, its parent or /tmp/anvil-npm). Prints a table; never asserts timings.
//!
//! Run: `cargo bench -p devnode --bench throughput` (env `BENCH_TX`, `BENCH_CALLS` scale it).

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use alloy::consensus::{SignableTransaction, TxEip1559, TxEnvelope};
use alloy::eips::eip2718::Encodable2718;
use alloy::network::TxSignerSync;
use alloy::primitives::{Address, Bytes, TxKind, U256};
use alloy::signers::local::PrivateKeySigner;
use devnode::config::mnemonic_signer;
use devnode::{Devnode, DevnodeConfig};
use serde_json::{json, Value};

#[path = "throughput/deploy.rs"]
mod deploy;

const CHAIN_ID: u64 = 412_346;
const CLIENTS: usize = 8;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Rpc {
    http: reqwest::Client,
    url: String,
}

impl Rpc {
    async fn call(&self, method: &str, params: Value) -> Value {
        let body =
            json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).to_string();
        let resp = self
            .http
            .post(&self.url)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("request");
        let v: Value = serde_json::from_str(&resp.text().await.expect("body")).expect("json");
        if let Some(e) = v.get("error") {
            panic!("{method} failed: {e}");
        }
        v["result"].clone()
    }
}

fn signed_transfer(
    key: &PrivateKeySigner,
    nonce: u64,
    to: Option<Address>,
    input: Bytes,
    gas: u64,
) -> String {
    let mut tx = TxEip1559 {
        chain_id: CHAIN_ID,
        nonce,
        gas_limit: gas,
        max_fee_per_gas: 10_000_000_000,
        max_priority_fee_per_gas: 0,
        to: to.map(TxKind::Call).unwrap_or(TxKind::Create),
        value: if to.is_some() {
            U256::from(1)
        } else {
            U256::ZERO
        },
        access_list: Default::default(),
        input,
    };
    let sig = key.sign_transaction_sync(&mut tx).expect("sign");
    let env: TxEnvelope = tx.into_signed(sig).into();
    alloy::hex::encode_prefixed(env.encoded_2718())
}

/// Initcode of a contract whose runtime returns storage slot 0 (`PUSH0 SLOAD PUSH0 MSTORE
/// PUSH1 32 PUSH0 RETURN`).
fn getter_initcode() -> Bytes {
    let runtime = [0x5f, 0x54, 0x5f, 0x52, 0x60, 0x20, 0x5f, 0xf3];
    // PUSH1 8, DUP1, PUSH1 9, PUSH0, CODECOPY, PUSH0, RETURN (9 bytes), then the runtime.
    let mut code = vec![
        0x60,
        runtime.len() as u8,
        0x80,
        0x60,
        0x09,
        0x5f,
        0x39,
        0x5f,
        0xf3,
    ];
    code.extend_from_slice(&runtime);
    code.into()
}

/// One table row: label, metric, unit.
type Row<'a> = (&'a str, &'a dyn Fn(&Results) -> f64, &'a str);

/// Stylus echo program (`EF F0 00 00 ‖ brotli(wasm)`).
fn stylus_echo() -> Vec<u8> {
    let wasm = wat::parse_str(
        r#"(module
          (import "vm_hooks" "read_args" (func $read_args (param i32)))
          (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
          (memory (export "memory") 1 1)
          (func (export "user_entrypoint") (param $len i32) (result i32)
            (call $read_args (i32.const 0))
            (call $write_result (i32.const 0) (local.get $len))
            (i32.const 0)))"#,
    )
    .expect("wat");
    devnode_wasm::compress_program(&wasm)
}

async fn wait_receipt(rpc: &Rpc, hash: &Value) -> Value {
    for _ in 0..500 {
        let r = rpc.call("eth_getTransactionReceipt", json!([hash])).await;
        if !r.is_null() {
            return r;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("no receipt for {hash}");
}

/// Devnode only: Stylus program calls (transactions and eth_call) per second.
async fn measure_stylus(url: &str, n_tx: usize, n_calls: usize) -> (f64, f64) {
    let rpc = Rpc {
        http: reqwest::Client::new(),
        url: url.to_string(),
    };
    let key = mnemonic_signer(9);
    let runtime = stylus_echo();
    let mut init = vec![0x61];
    init.extend_from_slice(&(runtime.len() as u16).to_be_bytes());
    // PUSH2 len, DUP1, PUSH1 10, PUSH0, CODECOPY, PUSH0, RETURN (10 bytes), then the runtime.
    init.extend_from_slice(&[0x80, 0x60, 0x0a, 0x5f, 0x39, 0x5f, 0xf3]);
    init.extend_from_slice(&runtime);
    let hash = rpc
        .call(
            "eth_sendRawTransaction",
            json!([signed_transfer(&key, 0, None, init.into(), 1_000_000)]),
        )
        .await;
    let receipt = wait_receipt(&rpc, &hash).await;
    let program: Address =
        serde_json::from_value(receipt["contractAddress"].clone()).expect("deployed");
    let mut activate = alloy::primitives::keccak256("activateProgram(address)")[..4].to_vec();
    activate.extend_from_slice(&[0u8; 12]);
    activate.extend_from_slice(program.as_slice());
    let arb_wasm = Address::with_last_byte(0x71);
    let mut tx = TxEip1559 {
        chain_id: CHAIN_ID,
        nonce: 1,
        gas_limit: 20_000_000,
        max_fee_per_gas: 10_000_000_000,
        max_priority_fee_per_gas: 0,
        to: TxKind::Call(arb_wasm),
        value: U256::from(10u64).pow(U256::from(17u64)),
        access_list: Default::default(),
        input: activate.into(),
    };
    let sig = key.sign_transaction_sync(&mut tx).expect("sign");
    let env: TxEnvelope = tx.into_signed(sig).into();
    let hash = rpc
        .call(
            "eth_sendRawTransaction",
            json!([alloy::hex::encode_prefixed(env.encoded_2718())]),
        )
        .await;
    assert_eq!(
        wait_receipt(&rpc, &hash).await["status"],
        "0x1",
        "activation"
    );

    let txs: Vec<String> = (0..n_tx)
        .map(|i| {
            let mut tx = TxEip1559 {
                chain_id: CHAIN_ID,
                nonce: 2 + i as u64,
                gas_limit: 200_000,
                max_fee_per_gas: 10_000_000_000,
                max_priority_fee_per_gas: 0,
                to: TxKind::Call(program),
                value: U256::ZERO,
                access_list: Default::default(),
                input: Bytes::from_static(b"ping"),
            };
            let sig = key.sign_transaction_sync(&mut tx).expect("sign");
            let env: TxEnvelope = tx.into_signed(sig).into();
            alloy::hex::encode_prefixed(env.encoded_2718())
        })
        .collect();
    let t = Instant::now();
    for raw in &txs {
        rpc.call("eth_sendRawTransaction", json!([raw])).await;
    }
    let tx_rate = n_tx as f64 / t.elapsed().as_secs_f64();
    let req = json!([{"to": program, "data": "0x70696e67"}, "latest"]);
    let t = Instant::now();
    for _ in 0..n_calls {
        rpc.call("eth_call", req.clone()).await;
    }
    (tx_rate, n_calls as f64 / t.elapsed().as_secs_f64())
}

#[derive(Default, Clone)]
struct Results {
    startup_ms: f64,
    transfers_seq: f64,
    transfers_par: f64,
    calls_seq: f64,
    calls_par: f64,
}

async fn measure(url: &str, n_tx: usize, n_calls: usize) -> Results {
    let rpc = Rpc {
        http: reqwest::Client::new(),
        url: url.to_string(),
    };
    let sink = Address::repeat_byte(0x5c);
    let keys: Vec<PrivateKeySigner> = (0..=CLIENTS as u32).map(mnemonic_signer).collect();
    let mut out = Results::default();

    // Deploy the getter from the last key.
    let deployer = &keys[CLIENTS];
    let hash = rpc
        .call(
            "eth_sendRawTransaction",
            json!([signed_transfer(
                deployer,
                0,
                None,
                getter_initcode(),
                100_000
            )]),
        )
        .await;
    let mut receipt = Value::Null;
    for _ in 0..200 {
        receipt = rpc.call("eth_getTransactionReceipt", json!([hash])).await;
        if !receipt.is_null() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let getter: Address =
        serde_json::from_value(receipt["contractAddress"].clone()).expect("deployed");

    // Sequential transfers from one account.
    let txs: Vec<String> = (0..n_tx)
        .map(|i| signed_transfer(&keys[0], i as u64, Some(sink), Bytes::new(), 21_000))
        .collect();
    let t = Instant::now();
    for raw in &txs {
        rpc.call("eth_sendRawTransaction", json!([raw])).await;
    }
    out.transfers_seq = n_tx as f64 / t.elapsed().as_secs_f64();

    // Concurrent transfers: CLIENTS accounts at once.
    let per = n_tx / CLIENTS;
    // Keys 1..=CLIENTS; the last one deployed the getter (nonce 0 used).
    let batches: Vec<Vec<String>> = (1..=CLIENTS)
        .map(|k| {
            let first = u64::from(k == CLIENTS);
            (0..per as u64)
                .map(|i| signed_transfer(&keys[k], first + i, Some(sink), Bytes::new(), 21_000))
                .collect()
        })
        .collect();
    let t = Instant::now();
    let mut tasks = vec![];
    for batch in batches {
        let rpc = Rpc {
            http: reqwest::Client::new(),
            url: url.to_string(),
        };
        tasks.push(tokio::spawn(async move {
            for raw in batch {
                rpc.call("eth_sendRawTransaction", json!([raw])).await;
            }
        }));
    }
    for task in tasks {
        task.await.expect("client");
    }
    out.transfers_par = (per * CLIENTS) as f64 / t.elapsed().as_secs_f64();

    // eth_call.
    let req = json!([{"to": getter, "data": "0x"}, "latest"]);
    let t = Instant::now();
    for _ in 0..n_calls {
        rpc.call("eth_call", req.clone()).await;
    }
    out.calls_seq = n_calls as f64 / t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mut tasks = vec![];
    for _ in 0..CLIENTS {
        let rpc = Rpc {
            http: reqwest::Client::new(),
            url: url.to_string(),
        };
        let req = req.clone();
        let n = n_calls / CLIENTS;
        tasks.push(tokio::spawn(async move {
            for _ in 0..n {
                rpc.call("eth_call", req.clone()).await;
            }
        }));
    }
    for task in tasks {
        task.await.expect("client");
    }
    out.calls_par = (n_calls / CLIENTS * CLIENTS) as f64 / t.elapsed().as_secs_f64();
    out
}

fn find_anvil() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("ANVIL_BIN") {
        return Some(PathBuf::from(p));
    }
    if let Ok(path) = std::env::var("PATH") {
        for dir in std::env::split_paths(&path) {
            let c = dir.join("anvil");
            if c.is_file() {
                return Some(c);
            }
        }
    }
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let roots = [
        manifest.join(".."),
        manifest.join("../.."),
        PathBuf::from("/tmp/anvil-npm"),
    ];
    for root in roots {
        let Ok(entries) = std::fs::read_dir(root.join("node_modules/@foundry-rs")) else {
            continue;
        };
        for e in entries.flatten() {
            let c = e.path().join("bin/anvil");
            if c.is_file() {
                return Some(c);
            }
        }
    }
    None
}

struct Anvil(Child);

impl Drop for Anvil {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn start_anvil(bin: &PathBuf, port: u16) -> Option<(Anvil, f64)> {
    let t = Instant::now();
    let child = Command::new(bin)
        .args([
            "--port",
            &port.to_string(),
            "--chain-id",
            &CHAIN_ID.to_string(),
            "--silent",
            "--accounts",
            "10",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let anvil = Anvil(child);
    let http = reqwest::Client::new();
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..2000 {
        let body = r#"{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}"#;
        if let Ok(r) = http
            .post(&url)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
        {
            if r.status().is_success() {
                return Some((anvil, t.elapsed().as_secs_f64() * 1000.0));
            }
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    None
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(18545)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn main() {
    let n_tx = env_usize("BENCH_TX", 2000);
    let n_calls = env_usize("BENCH_CALLS", 4000);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .expect("runtime");

    // Devnode start-up: spawn until the first answered request.
    let mut startups = vec![];
    for _ in 0..15 {
        let t = Instant::now();
        let node = Devnode::spawn(DevnodeConfig::default()).expect("spawn");
        let url = node.url().to_string();
        rt.block_on(async {
            Rpc {
                http: reqwest::Client::new(),
                url,
            }
            .call("eth_blockNumber", json!([]))
            .await;
        });
        startups.push(t.elapsed().as_secs_f64() * 1000.0);
        drop(node);
    }
    let node = Devnode::spawn(DevnodeConfig::default()).expect("spawn");
    let mut dev = rt.block_on(measure(node.url(), n_tx, n_calls));
    dev.startup_ms = median(startups);
    let (stylus_tx, stylus_calls) = rt.block_on(measure_stylus(node.url(), n_tx / 2, n_calls / 2));
    drop(node);

    let anvil = find_anvil().and_then(|bin| {
        let mut startups = vec![];
        for _ in 0..3 {
            let (a, ms) = rt.block_on(start_anvil(&bin, free_port()))?;
            startups.push(ms);
            drop(a);
        }
        let port = free_port();
        let (a, _) = rt.block_on(start_anvil(&bin, port))?;
        let mut r = rt.block_on(measure(&format!("http://127.0.0.1:{port}"), n_tx, n_calls));
        drop(a);
        r.startup_ms = median(startups);
        Some((bin, r))
    });

    println!();
    println!("devnode benchmark ({n_tx} transfers, {n_calls} calls, {CLIENTS} concurrent clients; one block per tx)");
    println!();
    println!("| metric                         | stylus-devnode | anvil          |");
    println!("|--------------------------------|----------------|----------------|");
    let a = anvil.as_ref().map(|(_, r)| r.clone());
    let cell = |f: &dyn Fn(&Results) -> f64, a: &Option<Results>, unit: &str| match a {
        Some(r) => format!("{:>10.1} {unit}", f(r)),
        None => format!("{:>14}", "n/a"),
    };
    let rows: [Row; 5] = [
        ("start-up (median, ms)", &|r| r.startup_ms, "ms "),
        ("ETH transfers/s, 1 client", &|r| r.transfers_seq, "/s "),
        ("ETH transfers/s, 8 clients", &|r| r.transfers_par, "/s "),
        ("eth_call/s, 1 client", &|r| r.calls_seq, "/s "),
        ("eth_call/s, 8 clients", &|r| r.calls_par, "/s "),
    ];
    for (name, f, unit) in rows {
        println!(
            "| {name:<30} | {:>10.1} {unit} | {} |",
            f(&dev),
            cell(f, &a, unit)
        );
    }
    println!(
        "| {:<30} | {:>10.1} /s  | {:>14} |",
        "Stylus tx/s, 1 client", stylus_tx, "n/a"
    );
    println!(
        "| {:<30} | {:>10.1} /s  | {:>14} |",
        "Stylus eth_call/s, 1 client", stylus_calls, "n/a"
    );
    print_deploy_workloads(&rt, anvil.as_ref().map(|(bin, _)| bin));
    match anvil {
        Some((bin, _)) => println!("\nanvil: {}", bin.display()),
        None => println!("\nanvil not found (set ANVIL_BIN or `npm install @foundry-rs/anvil-linux-amd64`): column skipped"),
    }
}

/// The parallel deploy workloads and the state-root cost (see `throughput/deploy.rs`).
fn print_deploy_workloads(rt: &tokio::runtime::Runtime, anvil: Option<&PathBuf>) {
    let rounds = env_usize("BENCH_DEPLOY_ROUNDS", 8);
    let (stylus, evm, what) = deploy::devnode_workloads(rt, rounds);
    let anvil_evm = anvil.and_then(|bin| deploy::anvil_workload(rt, bin, rounds));
    let cell = |r: Option<deploy::DeployRates>, f: fn(&deploy::DeployRates) -> f64| match r {
        Some(r) => format!("{:>10.1} /s ", f(&r)),
        None => format!("{:>14}", "n/a"),
    };
    println!();
    println!(
        "parallel deploy workloads ({CLIENTS} clients × {rounds} rounds; Stylus program: {what})"
    );
    println!();
    println!("| workload                                  | stylus-devnode | anvil          |");
    println!("|-------------------------------------------|----------------|----------------|");
    println!(
        "| Stylus deploy+activate+call, rounds/s     | {} | {:>14} |",
        cell(Some(stylus), |r| r.rounds),
        "n/a"
    );
    println!(
        "| Stylus deploy+activate+call, tx/s         | {} | {:>14} |",
        cell(Some(stylus), |r| r.txs),
        "n/a"
    );
    println!(
        "| EVM deploy+call, rounds/s                 | {} | {} |",
        cell(Some(evm), |r| r.rounds),
        cell(anvil_evm, |r| r.rounds)
    );
    println!(
        "| EVM deploy+call, tx/s                     | {} | {} |",
        cell(Some(evm), |r| r.txs),
        cell(anvil_evm, |r| r.txs)
    );
    println!();
    println!("state root per block (2 balances + 1 slot changed; incremental) vs from scratch:");
    for (accounts, slots) in [(100u64, 100u64), (10_000, 1_000), (100_000, 10_000)] {
        let (per_block, scratch) = deploy::state_root_cost(accounts, slots, 2_000);
        println!("  {accounts:>7} accounts, {slots:>6} slots: {per_block:>7.1} µs/block (from scratch: {:>9.1} µs)", scratch);
    }
}
