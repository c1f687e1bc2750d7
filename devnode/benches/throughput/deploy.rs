//! Parallel deploy workloads of the throughput bench: `CLIENTS` clients at once, each repeating
//! deploy + activate + call of a Stylus program on the devnode (the pipeline's `probe` wasm, a
//! variant with its own code hash per round so every activation really activates), beside the
//! EVM equivalent on both nodes (deploy + call of an EVM contract). Also the cost of the state
//! root per block.

use super::*;

use alloy::primitives::keccak256;
use devnode::chain::trie::StateTrie;

/// Rounds (deploy + [activate +] call) and transactions per second.
#[derive(Clone, Copy, Default)]
pub struct DeployRates {
    pub rounds: f64,
    pub txs: f64,
}

fn signed(
    key: &PrivateKeySigner,
    nonce: u64,
    to: TxKind,
    input: Vec<u8>,
    value: U256,
    gas: u64,
) -> String {
    let mut tx = TxEip1559 {
        chain_id: CHAIN_ID,
        nonce,
        gas_limit: gas,
        max_fee_per_gas: 10_000_000_000,
        max_priority_fee_per_gas: 0,
        to,
        value,
        access_list: Default::default(),
        input: input.into(),
    };
    let sig = key.sign_transaction_sync(&mut tx).expect("sign");
    let env: TxEnvelope = tx.into_signed(sig).into();
    alloy::hex::encode_prefixed(env.encoded_2718())
}

/// The probe's wasm from the pipeline (`target/stylus/probe.wasm`), or the echo program.
fn program_wasm() -> (Vec<u8>, &'static str) {
    let probe = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/stylus/probe.wasm");
    match std::fs::read(probe) {
        Ok(w) => (w, "probe"),
        Err(_) => (
            devnode_wasm::decompress_program(&stylus_echo(), 1 << 20).expect("echo"),
            "echo (run `cargo run --release -p scripts -- build` for the probe)",
        ),
    }
}

/// `wasm` with a custom section holding `tag`: same program, its own code hash.
fn tagged(wasm: &[u8], tag: &str) -> Vec<u8> {
    let mut w = wasm.to_vec();
    let name = b"bench";
    w.extend_from_slice(&[0, (1 + name.len() + tag.len()) as u8, name.len() as u8]);
    w.extend_from_slice(name);
    w.extend_from_slice(tag.as_bytes());
    w
}

fn deploy_initcode(runtime: &[u8]) -> Vec<u8> {
    let mut init = vec![0x61];
    init.extend_from_slice(&(runtime.len() as u16).to_be_bytes());
    // PUSH2 len, DUP1, PUSH1 10, PUSH0, CODECOPY, PUSH0, RETURN (10 bytes), then the runtime.
    init.extend_from_slice(&[0x80, 0x60, 0x0a, 0x5f, 0x39, 0x5f, 0xf3]);
    init.extend_from_slice(runtime);
    init
}

async fn send(rpc: &Rpc, raw: String) -> Value {
    let hash = rpc.call("eth_sendRawTransaction", json!([raw])).await;
    let receipt = wait_receipt(rpc, &hash).await;
    assert_eq!(receipt["status"], "0x1", "{receipt}");
    receipt
}

/// Runs `rounds` rounds on each of `CLIENTS` clients (mnemonic keys 1..=CLIENTS, fresh node):
/// with `stylus`, deploy + activate + call of a program; else deploy + call of the EVM getter.
async fn parallel(url: &str, rounds: usize, stylus: bool) -> (DeployRates, &'static str) {
    let (wasm, what) = program_wasm();
    let activate_sel = keccak256("activateProgram(address)")[..4].to_vec();
    // setValue(uint256) for the probe, any bytes for the echo program.
    let call_input = |round: usize| -> Vec<u8> {
        let mut v = keccak256("setValue(uint256)")[..4].to_vec();
        v.extend_from_slice(&U256::from(round + 1).to_be_bytes::<32>());
        v
    };
    let mut jobs = Vec::new();
    for c in 1..=CLIENTS {
        let codes: Vec<Vec<u8>> = (0..rounds)
            .map(|r| {
                if stylus {
                    let tag = format!("{c}-{r}-{}", std::process::id());
                    deploy_initcode(&devnode_wasm::compress_program(&tagged(&wasm, &tag)))
                } else {
                    getter_initcode().to_vec()
                }
            })
            .collect();
        jobs.push((mnemonic_signer(c as u32), codes));
    }
    let t = Instant::now();
    let mut tasks = vec![];
    for (key, codes) in jobs {
        let rpc = Rpc {
            http: reqwest::Client::new(),
            url: url.to_string(),
        };
        let activate_sel = activate_sel.clone();
        tasks.push(tokio::spawn(async move {
            let mut nonce = 0;
            let mut txs = 0;
            for (round, code) in codes.into_iter().enumerate() {
                let r = send(
                    &rpc,
                    signed(&key, nonce, TxKind::Create, code, U256::ZERO, 5_000_000),
                )
                .await;
                nonce += 1;
                let at: Address =
                    serde_json::from_value(r["contractAddress"].clone()).expect("deployed");
                if stylus {
                    let mut data = activate_sel.clone();
                    data.extend_from_slice(&[0u8; 12]);
                    data.extend_from_slice(at.as_slice());
                    let value = U256::from(10u64).pow(U256::from(17u64));
                    let arb_wasm = TxKind::Call(Address::with_last_byte(0x71));
                    send(&rpc, signed(&key, nonce, arb_wasm, data, value, 30_000_000)).await;
                    nonce += 1;
                    txs += 1;
                }
                let input = if stylus {
                    call_input(round)
                } else {
                    Vec::new()
                };
                send(
                    &rpc,
                    signed(&key, nonce, TxKind::Call(at), input, U256::ZERO, 1_000_000),
                )
                .await;
                nonce += 1;
                txs += 2;
            }
            txs
        }));
    }
    let mut txs = 0;
    for task in tasks {
        txs += task.await.expect("client");
    }
    let secs = t.elapsed().as_secs_f64();
    let rates = DeployRates {
        rounds: (rounds * CLIENTS) as f64 / secs,
        txs: txs as f64 / secs,
    };
    (rates, if stylus { what } else { "EVM getter" })
}

/// Devnode: parallel Stylus deploy + activate + call, and the EVM deploy + call.
pub fn devnode_workloads(
    rt: &tokio::runtime::Runtime,
    rounds: usize,
) -> (DeployRates, DeployRates, &'static str) {
    let node = Devnode::spawn(DevnodeConfig::default()).expect("spawn");
    let (stylus, what) = rt.block_on(parallel(node.url(), rounds, true));
    drop(node);
    let node = Devnode::spawn(DevnodeConfig::default()).expect("spawn");
    let (evm, _) = rt.block_on(parallel(node.url(), rounds, false));
    (stylus, evm, what)
}

/// Anvil: the EVM deploy + call.
pub fn anvil_workload(
    rt: &tokio::runtime::Runtime,
    bin: &PathBuf,
    rounds: usize,
) -> Option<DeployRates> {
    let port = free_port();
    let (a, _) = rt.block_on(start_anvil(bin, port))?;
    let (r, _) = rt.block_on(parallel(&format!("http://127.0.0.1:{port}"), rounds, false));
    drop(a);
    Some(r)
}

/// Cost of the state root per block (µs): a block changing two balances and a slot, on a state of
/// `accounts` accounts and a contract with `slots` slots; and a from-scratch root of that state.
pub fn state_root_cost(accounts: u64, slots: u64, blocks: u64) -> (f64, f64) {
    let node = Devnode::spawn(DevnodeConfig::default()).expect("spawn");
    node.chain()
        .exec_blocking(move |c| {
            let addr = |i: u64| Address::from_word(keccak256(i.to_be_bytes()));
            for i in 0..accounts {
                c.set_balance(addr(i), U256::from(i + 1));
            }
            let contract = Address::repeat_byte(0xc0);
            c.set_code(contract, Bytes::from_static(&[0x00]));
            for s in 0..slots {
                c.set_storage(contract, U256::from(s), U256::from(s + 1));
            }
            c.state_root();
            let t = Instant::now();
            for b in 0..blocks {
                c.set_balance(addr(b % accounts), U256::from(b + 7));
                c.set_balance(addr((b * 7 + 3) % accounts), U256::from(b + 9));
                c.set_storage(contract, U256::from(b % slots), U256::from(b + 11));
                std::hint::black_box(c.state_root());
            }
            let per_block = t.elapsed().as_secs_f64() * 1e6 / blocks as f64;
            let t = Instant::now();
            std::hint::black_box(StateTrie::build(&c.state.db).root());
            Ok((per_block, t.elapsed().as_secs_f64() * 1e6))
        })
        .expect("measured")
}
