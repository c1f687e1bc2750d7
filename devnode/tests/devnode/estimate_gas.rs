//! `eth_estimateGas` is exact: the estimate succeeds and one gas less fails, for EVM and Stylus
//! calls, nested calls (the 63/64 rule), creates from a transaction, from EVM code and from a
//! Stylus program, and a call whose receipt shows a refund (the limit must cover the gas spent
//! before the refund). Every estimate is also sent as a real transaction's gas limit.

use crate::common::*;
use alloy::primitives::{Address, Bytes, TxKind};
use alloy::providers::{DynProvider, Provider};
use alloy::rpc::types::TransactionRequest;
use devnode::DevnodeHandle;
use serde_json::{json, Value};

/// Stores its first calldata word in slot 0 (`PUSH0 CALLDATALOAD PUSH0 SSTORE STOP`).
const WRITER: &[u8] = &[0x5f, 0x35, 0x5f, 0x55, 0x00];

/// Forwards its calldata to `target` with all the gas it may give (63/64), reverts if the call
/// failed.
fn forwarder(target: Address) -> Vec<u8> {
    let mut a = Asm::default();
    a.op(&[0x36, 0x5f, 0x5f, 0x37]); // calldatacopy(0, 0, calldatasize)
    a.op(&[0x5f, 0x5f, 0x36, 0x5f, 0x5f, 0x73]); // retSize retOffset argsSize argsOffset value
    a.op(target.as_slice());
    a.op(&[0x5a, 0xf1]); // GAS CALL
    a.jumpi("ok");
    a.op(&[0x5f, 0x5f, op::REVERT]);
    a.label("ok").op(&[op::STOP]);
    a.build()
}

/// CREATEs a contract from its calldata (initcode), reverts if the creation failed, returns the
/// address.
fn factory() -> Vec<u8> {
    let mut a = Asm::default();
    a.op(&[0x36, 0x5f, 0x5f, 0x37]); // calldatacopy(0, 0, calldatasize)
    a.op(&[0x36, 0x5f, 0x5f, 0xf0]); // CREATE(value 0, offset 0, size)
    a.op(&[op::DUP1, op::ISZERO]).jumpi("fail");
    a.op(&[0x5f, op::MSTORE, 0x60, 0x20, 0x5f, op::RETURN]);
    a.label("fail").op(&[0x5f, 0x5f, op::REVERT]);
    a.build()
}

/// Stylus program: calldata = target(20) ‖ payload; calls target with the payload and all the gas
/// it may give (`gas = u64::MAX`: 63/64 of what is left), reverts when the call failed.
const STYLUS_CALLER_WAT: &str = r#"
(module
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "call_contract" (func $call (param i32 i32 i32 i32 i64 i32) (result i32)))
  (memory (export "memory") 1 1)
  (func (export "user_entrypoint") (param $len i32) (result i32)
    (call $read_args (i32.const 1024))
    (if (call $call (i32.const 1024) (i32.const 1044) (i32.sub (local.get $len) (i32.const 20))
                    (i32.const 0) (i64.const -1) (i32.const 64))
      (then (return (i32.const 1))))
    (i32.const 0)))
"#;

/// Stylus program: CREATE1s a contract from its calldata (initcode); reverts when the creation
/// failed, returns the address.
const STYLUS_FACTORY_WAT: &str = r#"
(module
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (import "vm_hooks" "create1" (func $create1 (param i32 i32 i32 i32 i32)))
  (memory (export "memory") 1 1)
  (func (export "user_entrypoint") (param $len i32) (result i32)
    (call $read_args (i32.const 1024))
    (call $create1 (i32.const 1024) (local.get $len) (i32.const 0) (i32.const 64) (i32.const 96))
    (if (i32.and (i64.eqz (i64.load (i32.const 64)))
          (i32.and (i64.eqz (i64.load (i32.const 72))) (i32.eqz (i32.load (i32.const 80)))))
      (then (return (i32.const 1))))
    (call $write_result (i32.const 64) (i32.const 20))
    (i32.const 0)))
"#;

/// Echo program (a plain Stylus call: entry cost, ink for the hostios).
const ECHO_WAT: &str = r#"
(module
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (memory (export "memory") 1 1)
  (func (export "user_entrypoint") (param $len i32) (result i32)
    (call $read_args (i32.const 0))
    (call $write_result (i32.const 0) (local.get $len))
    (i32.const 0)))
"#;

fn request(to: Option<Address>, data: &[u8]) -> Value {
    let mut req = json!({"from": dev().address(), "data": Bytes::copy_from_slice(data)});
    if let Some(to) = to {
        req["to"] = json!(to);
    }
    req
}

fn quantity(v: &Value) -> u64 {
    u64::from_str_radix(v.as_str().unwrap().trim_start_matches("0x"), 16).unwrap()
}

/// Estimates `req`, checks that `eth_call` succeeds with the estimate and fails with one gas
/// less, then mines it with the estimate as gas limit. Returns (estimate, receipt gasUsed).
async fn exact(node: &DevnodeHandle, p: &DynProvider, what: &str, req: Value) -> (u64, u64) {
    let est = quantity(
        &call(node, "eth_estimateGas", json!([req.clone()]))
            .await
            .unwrap_or_else(|e| panic!("{what}: estimate failed: {e}")),
    );
    let with_gas = |g: u64| {
        let mut r = req.clone();
        r["gas"] = json!(format!("{g:#x}"));
        r
    };
    call(node, "eth_call", json!([with_gas(est), "latest"]))
        .await
        .unwrap_or_else(|e| panic!("{what}: the estimate {est} does not suffice: {e}"));
    let below = call(node, "eth_call", json!([with_gas(est - 1), "latest"])).await;
    assert!(
        below.is_err(),
        "{what}: {} gas (estimate − 1) also succeeds",
        est - 1
    );
    let mut tx: TransactionRequest = serde_json::from_value(req).unwrap();
    tx.gas = Some(est);
    if tx.to.is_none() {
        tx.to = Some(TxKind::Create);
    }
    let r = p
        .send_transaction(tx)
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    assert!(
        r.status(),
        "{what}: a transaction with the estimate as limit fails"
    );
    (est, r.gas_used)
}

#[tokio::test(flavor = "multi_thread")]
async fn estimates_are_the_smallest_gas_limit_that_succeeds() {
    let node = node();
    let p = provider(&node, dev());

    // A plain transfer: exactly the intrinsic gas.
    let mut transfer = request(Some(Address::repeat_byte(0x77)), &[]);
    transfer["value"] = json!("0x1");
    assert_eq!(exact(&node, &p, "transfer", transfer).await.0, 21_000);

    // EVM: a new storage slot, then (a refund) clearing it again.
    let writer = deploy(&p, WRITER).await;
    let (est, used) = exact(&node, &p, "sstore", request(Some(writer), &word(7))).await;
    assert_eq!(
        est, used,
        "no refund, no reserve: the estimate is the gas used"
    );
    let (est, used) = exact(&node, &p, "sstore refund", request(Some(writer), &word(0))).await;
    assert!(
        used < est,
        "the receipt shows the refund ({used}) but the limit must cover the gas before it ({est})"
    );

    // Nested EVM call with all the gas: the 63/64 rule makes the limit larger than the gas used.
    let fwd = deploy(&p, &forwarder(writer)).await;
    let (est, used) = exact(&node, &p, "nested call", request(Some(fwd), &word(9))).await;
    assert!(est > used, "63/64 reserve: {est} > {used}");

    // Creates: from a transaction, and from EVM code.
    let init = initcode(WRITER);
    exact(&node, &p, "create", request(None, &init)).await;
    let fac = deploy(&p, &factory()).await;
    // (CREATE keeps 1/64 too, which here covers what the factory does afterwards.)
    exact(&node, &p, "nested create", request(Some(fac), &init)).await;

    // Stylus: a plain call (ink), a call into EVM code with all gas (63/64), a call through the
    // EVM forwarder (two levels), and a create from a program.
    let echo = deploy_program(&p, ECHO_WAT).await;
    exact(&node, &p, "stylus call", request(Some(echo), b"hello")).await;
    let caller = deploy_program(&p, STYLUS_CALLER_WAT).await;
    let mut input = writer.to_vec();
    input.extend_from_slice(&word(11));
    let (est, used) = exact(&node, &p, "stylus -> evm", request(Some(caller), &input)).await;
    assert!(est > used, "Stylus' 63/64 rule: {est} > {used}");
    let mut input = fwd.to_vec();
    input.extend_from_slice(&word(12));
    exact(
        &node,
        &p,
        "stylus -> evm -> evm",
        request(Some(caller), &input),
    )
    .await;
    let mut input = echo.to_vec();
    input.extend_from_slice(b"ping");
    exact(&node, &p, "stylus -> stylus", request(Some(caller), &input)).await;
    let sfac = deploy_program(&p, STYLUS_FACTORY_WAT).await;
    exact(&node, &p, "stylus create", request(Some(sfac), &init)).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn failures_are_classified() {
    let node = node();
    let p = provider(&node, dev());
    let store = deploy(&p, &store_runtime()).await;
    // A revert is the error (code 3 with the revert data), not a gas problem.
    let e = call(
        &node,
        "eth_estimateGas",
        json!([request(Some(store), &word(0))]),
    )
    .await
    .unwrap_err();
    assert_eq!(e["code"], 3, "{e}");
    assert!(e["message"].as_str().unwrap().contains("zero"), "{e}");
    // A halt other than out-of-gas keeps its reason.
    let e = call(
        &node,
        "eth_estimateGas",
        json!([request(Some(store), &word(2))]),
    )
    .await
    .unwrap_err();
    assert!(
        e["message"].as_str().unwrap().contains("invalid opcode"),
        "{e}"
    );
    // Not enough gas allowed at all.
    let mut req = request(Some(store), &word(5));
    req["gas"] = json!("0x6000");
    let e = call(&node, "eth_estimateGas", json!([req]))
        .await
        .unwrap_err();
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .starts_with("gas required exceeds allowance"),
        "{e}"
    );
}
