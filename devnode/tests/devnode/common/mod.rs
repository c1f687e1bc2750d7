//! Shared helpers of the devnode end-to-end tests: node start-up, providers, and a tiny EVM
//! assembler for the test contracts.
#![allow(dead_code)]

use std::collections::HashMap;

use alloy::network::EthereumWallet;
use alloy::primitives::{keccak256, Address, Bytes, B256, U256};
use alloy::providers::{DynProvider, Provider, ProviderBuilder};
use alloy::signers::local::PrivateKeySigner;
use devnode::{Devnode, DevnodeConfig, DevnodeHandle};

/// Starts a node on a free port.
pub fn node() -> DevnodeHandle {
    Devnode::spawn(DevnodeConfig::default()).expect("node starts")
}

/// Starts a node with a custom configuration (port forced to 0).
pub fn node_with(config: DevnodeConfig) -> DevnodeHandle {
    Devnode::spawn(DevnodeConfig { port: 0, ..config }).expect("node starts")
}

/// The dev account signer (published key).
pub fn dev() -> PrivateKeySigner {
    devnode::config::dev_signer()
}

/// A provider that signs with `signer` locally.
pub fn provider(node: &DevnodeHandle, signer: PrivateKeySigner) -> DynProvider {
    ProviderBuilder::new()
        .wallet(EthereumWallet::from(signer))
        .connect_http(node.url().parse().unwrap())
        .erased()
}

/// A provider without a wallet.
pub fn reader(node: &DevnodeHandle) -> DynProvider {
    ProviderBuilder::new()
        .connect_http(node.url().parse().unwrap())
        .erased()
}

/// Raw JSON-RPC call through HTTP, returning the whole response object.
pub async fn raw(node: &DevnodeHandle, body: &str) -> (u16, serde_json::Value) {
    let resp = reqwest::Client::new()
        .post(node.url())
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("http");
    let status = resp.status().as_u16();
    let text = resp.text().await.expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
    )
}

/// One JSON-RPC call via raw HTTP: `Ok(result)` or `Err(error object)`.
pub async fn call(
    node: &DevnodeHandle,
    method: &str,
    params: serde_json::Value,
) -> Result<serde_json::Value, serde_json::Value> {
    let body = serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
    let (_, v) = raw(node, &body.to_string()).await;
    match v.get("error") {
        Some(e) => Err(e.clone()),
        None => Ok(v["result"].clone()),
    }
}

/// Minimal EVM assembler with labels (jumps use PUSH2).
#[derive(Default)]
pub struct Asm {
    code: Vec<u8>,
    labels: HashMap<&'static str, usize>,
    fixups: Vec<(usize, &'static str)>,
}

/// Opcodes used by the tests.
pub mod op {
    pub const STOP: u8 = 0x00;
    pub const ADD: u8 = 0x01;
    pub const EQ: u8 = 0x14;
    pub const ISZERO: u8 = 0x15;
    pub const CALLER: u8 = 0x33;
    pub const CALLVALUE: u8 = 0x34;
    pub const CALLDATALOAD: u8 = 0x35;
    pub const CALLDATASIZE: u8 = 0x36;
    pub const CODECOPY: u8 = 0x39;
    pub const TIMESTAMP: u8 = 0x42;
    pub const NUMBER: u8 = 0x43;
    pub const BASEFEE: u8 = 0x48;
    pub const POP: u8 = 0x50;
    pub const MSTORE: u8 = 0x52;
    pub const SLOAD: u8 = 0x54;
    pub const SSTORE: u8 = 0x55;
    pub const JUMPI: u8 = 0x57;
    pub const JUMPDEST: u8 = 0x5b;
    pub const DUP1: u8 = 0x80;
    pub const LOG1: u8 = 0xa1;
    pub const LOG2: u8 = 0xa2;
    pub const RETURN: u8 = 0xf3;
    pub const REVERT: u8 = 0xfd;
    pub const INVALID: u8 = 0xfe;
}

impl Asm {
    /// Appends raw opcodes.
    pub fn op(&mut self, ops: &[u8]) -> &mut Self {
        self.code.extend_from_slice(ops);
        self
    }

    /// PUSHn of the minimal big-endian bytes of `v` (PUSH1 0 for zero).
    pub fn push(&mut self, v: u64) -> &mut Self {
        let bytes = v.to_be_bytes();
        let first = bytes.iter().position(|b| *b != 0).unwrap_or(7);
        let data = &bytes[first..];
        self.code.push(0x5f + data.len() as u8);
        self.code.extend_from_slice(data);
        self
    }

    /// PUSH32 of a word.
    pub fn push32(&mut self, w: B256) -> &mut Self {
        self.code.push(0x7f);
        self.code.extend_from_slice(w.as_slice());
        self
    }

    /// Defines a jump target here (emits JUMPDEST).
    pub fn label(&mut self, name: &'static str) -> &mut Self {
        self.labels.insert(name, self.code.len());
        self.code.push(op::JUMPDEST);
        self
    }

    /// PUSH2 of a label's offset.
    pub fn push_label(&mut self, name: &'static str) -> &mut Self {
        self.code.push(0x61);
        self.fixups.push((self.code.len(), name));
        self.code.extend_from_slice(&[0, 0]);
        self
    }

    /// Conditional jump to `name` (consumes the condition on top of the stack).
    pub fn jumpi(&mut self, name: &'static str) -> &mut Self {
        self.push_label(name).op(&[op::JUMPI])
    }

    /// Resolves labels.
    pub fn build(&self) -> Vec<u8> {
        let mut code = self.code.clone();
        for (at, name) in &self.fixups {
            let target = self.labels[name] as u16;
            code[*at..*at + 2].copy_from_slice(&target.to_be_bytes());
        }
        code
    }
}

/// Initcode that deploys `runtime` as is.
pub fn initcode(runtime: &[u8]) -> Bytes {
    let len = runtime.len() as u16;
    let mut code = vec![0x61];
    code.extend_from_slice(&len.to_be_bytes()); // PUSH2 len
    code.push(op::DUP1);
    code.push(0x61);
    code.extend_from_slice(&13u16.to_be_bytes()); // PUSH2 13 (runtime offset)
    code.extend_from_slice(&[0x60, 0x00, op::CODECOPY, 0x60, 0x00, op::RETURN]);
    assert_eq!(code.len(), 13);
    code.extend_from_slice(runtime);
    code.into()
}

/// Topic of `Set(uint256)`.
pub fn set_topic() -> B256 {
    keccak256("Set(uint256)")
}

/// The "store" test contract:
/// * empty calldata: returns slot 0;
/// * word `x` = 0: reverts with `Error("zero")`;
/// * `x` = 1: reverts with custom error `0xdeadbeef ‖ uint256(42)`;
/// * `x` = 2: hits INVALID (a halt);
/// * otherwise: stores `x` in slot 0 and emits `Set(uint256 x)` (LOG1, topic = keccak("Set(uint256)")).
pub fn store_runtime() -> Vec<u8> {
    use op::*;
    let mut a = Asm::default();
    a.op(&[CALLDATASIZE, ISZERO]).jumpi("get");
    a.push(0).op(&[CALLDATALOAD]);
    a.op(&[DUP1, ISZERO]).jumpi("reason");
    a.op(&[DUP1]).push(1).op(&[EQ]).jumpi("custom");
    a.op(&[DUP1]).push(2).op(&[EQ]).jumpi("halt");
    a.op(&[DUP1]).push(0).op(&[SSTORE]);
    a.op(&[DUP1]).push(0).op(&[MSTORE]);
    a.push32(set_topic()).push(32).push(0).op(&[LOG1, STOP]);
    a.label("get")
        .push(0)
        .op(&[SLOAD])
        .push(0)
        .op(&[MSTORE])
        .push(32)
        .push(0)
        .op(&[RETURN]);
    // Error("zero") = 08c379a0 ‖ 0x20 ‖ 4 ‖ "zero"
    let mut sel = [0u8; 32];
    sel[..4].copy_from_slice(&[0x08, 0xc3, 0x79, 0xa0]);
    let mut text = [0u8; 32];
    text[..4].copy_from_slice(b"zero");
    a.label("reason")
        .push32(B256::from(sel))
        .push(0)
        .op(&[MSTORE]);
    a.push(32)
        .push(4)
        .op(&[MSTORE])
        .push(4)
        .push(36)
        .op(&[MSTORE]);
    a.push32(B256::from(text))
        .push(68)
        .op(&[MSTORE])
        .push(100)
        .push(0)
        .op(&[REVERT]);
    let mut custom = [0u8; 32];
    custom[..4].copy_from_slice(&[0xde, 0xad, 0xbe, 0xef]);
    a.label("custom")
        .push32(B256::from(custom))
        .push(0)
        .op(&[MSTORE]);
    a.push(42)
        .push(4)
        .op(&[MSTORE])
        .push(36)
        .push(0)
        .op(&[REVERT]);
    a.label("halt").op(&[INVALID]);
    a.build()
}

/// Runtime returning `TIMESTAMP ‖ NUMBER ‖ BASEFEE` (three words).
pub fn env_runtime() -> Vec<u8> {
    use op::*;
    let mut a = Asm::default();
    a.op(&[TIMESTAMP]).push(0).op(&[MSTORE]);
    a.op(&[NUMBER]).push(32).op(&[MSTORE]);
    a.op(&[BASEFEE]).push(64).op(&[MSTORE]);
    a.push(96).push(0).op(&[RETURN]);
    a.build()
}

/// ABI word of a number.
pub fn word(n: u64) -> Bytes {
    Bytes::from(U256::from(n).to_be_bytes::<32>().to_vec())
}

/// Deploys `runtime` from `signer` and returns its address.
pub async fn deploy(p: &DynProvider, runtime: &[u8]) -> Address {
    use alloy::network::TransactionBuilder;
    let tx = alloy::rpc::types::TransactionRequest::default().with_deploy_code(initcode(runtime));
    let receipt = p
        .send_transaction(tx)
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    assert!(receipt.status(), "deployment succeeded");
    receipt.contract_address.expect("contract address")
}

/// ArbWasm precompile address.
pub const ARB_WASM: Address =
    alloy::primitives::address!("0x0000000000000000000000000000000000000071");

/// Deploys the wat program `wat_src` (compressed, cargo-stylus' prelude) and activates it.
pub async fn deploy_program(p: &DynProvider, wat_src: &str) -> Address {
    use alloy::network::TransactionBuilder;
    let code = devnode_wasm::compress_program(&wat::parse_str(wat_src).unwrap());
    let program = deploy(p, &code).await;
    let mut data = keccak256("activateProgram(address)")[..4].to_vec();
    data.extend_from_slice(&[0u8; 12]);
    data.extend_from_slice(program.as_slice());
    let tx = alloy::rpc::types::TransactionRequest::default()
        .with_to(ARB_WASM)
        .with_input(Bytes::from(data))
        .with_value(U256::from(10u128.pow(17)));
    let r = p
        .send_transaction(tx)
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    assert!(r.status(), "activation succeeded");
    program
}

/// The JSON-RPC error payload of an alloy error.
pub fn rpc_error<E: std::fmt::Debug>(
    e: &alloy::transports::RpcError<E>,
) -> (i64, String, Option<String>) {
    let p = e
        .as_error_resp()
        .unwrap_or_else(|| panic!("expected a JSON-RPC error response, got {e:?}"));
    let data = p
        .data
        .as_ref()
        .map(|d| d.get().trim_matches('"').to_string());
    (p.code, p.message.to_string(), data)
}
