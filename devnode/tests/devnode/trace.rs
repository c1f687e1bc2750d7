//! Tracing (issue 12): `debug_traceTransaction` / `debug_traceCall` / `debug_traceBlockByNumber`
//! with the `callTracer`, the `stylusTracer` and the struct logger, on a transaction in which a
//! Stylus program calls an EVM contract and another Stylus program and emits a log.

use crate::common::*;
use alloy::network::TransactionBuilder;
use alloy::primitives::{Address, Bytes, B256, U256};
use alloy::providers::{DynProvider, Provider};
use alloy::rpc::types::TransactionRequest;
use serde_json::{json, Value};

#[path = "fixtures/trace_programs.rs"]
mod trace_programs;
use trace_programs::{CALLEE_WAT, CALLER_WAT, EVM_RUNTIME};

// Ink prices of stylus-host-spec.md §3.1 / §4.2 (ink price 10 000 ink per gas).
const INK_PRICE: u64 = 10_000;
fn write_price(n: u64) -> u64 {
    5_040 + 30 * n.saturating_sub(32)
}
fn read_price(n: u64) -> u64 {
    16_381 + 55 * n.saturating_sub(32)
}
fn keccak_price(n: u64) -> u64 {
    121_800 + 21_000 * (n.div_ceil(32).saturating_sub(2))
}

struct Setup {
    node: devnode::DevnodeHandle,
    caller: Address,
    callee: Address,
    evm: Address,
    input: Bytes,
}

async fn setup() -> (Setup, DynProvider) {
    let node = node();
    let p = provider(&node, dev());
    let evm = deploy(&p, EVM_RUNTIME).await;
    let callee = deploy_program(&p, CALLEE_WAT).await;
    let caller = deploy_program(&p, CALLER_WAT).await;
    let mut input = evm.to_vec();
    input.extend_from_slice(callee.as_slice());
    (
        Setup {
            node,
            caller,
            callee,
            evm,
            input: input.into(),
        },
        p,
    )
}

async fn send(p: &DynProvider, to: Address, input: Bytes) -> alloy::rpc::types::TransactionReceipt {
    p.send_transaction(
        TransactionRequest::default()
            .with_to(to)
            .with_input(input)
            .with_gas_limit(3_000_000),
    )
    .await
    .unwrap()
    .get_receipt()
    .await
    .unwrap()
}

fn hexnum(v: &Value) -> u64 {
    let s = v
        .as_str()
        .unwrap_or_else(|| panic!("hex quantity expected, got {v}"));
    u64::from_str_radix(s.trim_start_matches("0x"), 16).unwrap()
}

fn addr(v: &Value) -> Address {
    v.as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn call_tracer_covers_stylus_frames_and_their_nested_calls() {
    let (s, p) = setup().await;
    let r = send(&p, s.caller, s.input.clone()).await;
    assert!(r.status());
    let hash = r.transaction_hash;
    let t = call(
        &s.node,
        "debug_traceTransaction",
        json!([hash, {"tracer": "callTracer", "tracerConfig": {"withLog": true}}]),
    )
    .await
    .unwrap();

    // Top frame: the transaction.
    assert_eq!(t["type"], "CALL");
    assert_eq!(addr(&t["from"]), dev().address());
    assert_eq!(addr(&t["to"]), s.caller);
    assert_eq!(
        t["input"].as_str().unwrap(),
        alloy::primitives::hex::encode_prefixed(&s.input)
    );
    assert_eq!(hexnum(&t["gas"]), 3_000_000);
    assert_eq!(
        hexnum(&t["gasUsed"]),
        r.gas_used,
        "top gasUsed is the receipt's"
    );
    assert!(t.get("error").is_none());
    let out: Bytes = serde_json::from_value(t["output"].clone()).unwrap();
    assert_eq!(out.len(), 32);
    assert!(t["beforeEVMTransfers"].is_array());
    assert!(t["afterEVMTransfers"].is_array());

    // Two calls made from inside the Stylus program: the EVM contract, then the other program.
    let calls = t["calls"]
        .as_array()
        .expect("calls from inside Stylus are traced");
    assert_eq!(calls.len(), 2, "{t:#}");
    let (evm, sty) = (&calls[0], &calls[1]);
    for (c, to) in [(evm, s.evm), (sty, s.callee)] {
        assert_eq!(c["type"], "CALL");
        assert_eq!(addr(&c["from"]), s.caller);
        assert_eq!(addr(&c["to"]), to);
        assert_eq!(c["input"], "0xdeadbeef");
        assert!(c.get("calls").is_none());
        assert!(hexnum(&c["gasUsed"]) <= hexnum(&c["gas"]));
        assert!(hexnum(&c["gasUsed"]) > 0);
    }
    let mut word = [0u8; 32];
    word[31] = 0x2a;
    assert_eq!(
        evm["output"].as_str().unwrap(),
        alloy::primitives::hex::encode_prefixed(word)
    );
    assert_eq!(sty["output"], "0xdeadbeef");
    // gasUsed per frame adds up: the children are part of the top frame's execution gas.
    let children: u64 = calls.iter().map(|c| hexnum(&c["gasUsed"])).sum();
    assert!(
        children < r.gas_used - 21_000,
        "{children} vs {}",
        r.gas_used
    );

    // Logs: the EVM contract's LOG0 in its frame, the program's LOG1 in the top frame after both
    // calls (position 2).
    let evm_logs = evm["logs"].as_array().unwrap();
    assert_eq!(evm_logs.len(), 1);
    assert_eq!(addr(&evm_logs[0]["address"]), s.evm);
    assert_eq!(evm_logs[0]["topics"], json!([]));
    let top_logs = t["logs"].as_array().unwrap();
    assert_eq!(top_logs.len(), 1, "{t:#}");
    assert_eq!(addr(&top_logs[0]["address"]), s.caller);
    assert_eq!(top_logs[0]["position"], "0x2");
    // `index`: emission order across the whole transaction.
    assert_eq!(evm_logs[0]["index"], "0x0");
    assert_eq!(top_logs[0]["index"], "0x1");
    assert_eq!(top_logs[0]["topics"].as_array().unwrap().len(), 1);
    // The receipt has the same two logs.
    assert_eq!(r.inner.logs().len(), 2);

    // Without withLog: no logs; onlyTopCall: no calls.
    let t = call(
        &s.node,
        "debug_traceTransaction",
        json!([hash, {"tracer": "callTracer", "tracerConfig": {"onlyTopCall": true}}]),
    )
    .await
    .unwrap();
    assert!(t.get("logs").is_none());
    assert!(t.get("calls").is_none());
}

#[tokio::test]
async fn stylus_tracer_reports_hostios_with_exact_ink() {
    let (s, p) = setup().await;
    let r = send(&p, s.caller, s.input.clone()).await;
    assert!(r.status());
    let t = call(
        &s.node,
        "debug_traceTransaction",
        json!([r.transaction_hash, {"tracer": "stylusTracer"}]),
    )
    .await
    .unwrap();
    let entries = t.as_array().expect("an array");
    let names: Vec<&str> = entries
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "user_entrypoint",
            "read_args",
            "storage_load_bytes32",
            "native_keccak256",
            "storage_cache_bytes32",
            "storage_flush_cache",
            "call_contract",
            "call_contract",
            "emit_log",
            "write_result",
            "user_returned"
        ],
        "{t:#}"
    );
    let by = |name: &str| entries.iter().find(|e| e["name"] == name).unwrap();
    let ink = |e: &Value| e["startInk"].as_u64().unwrap() - e["endInk"].as_u64().unwrap();
    // Base fields everywhere, in Nitro's order.
    for e in entries {
        let keys: Vec<&String> = e.as_object().unwrap().keys().collect();
        assert_eq!(keys[..5], ["name", "args", "outs", "startInk", "endInk"]);
    }
    // user_entrypoint: calldata length, ink at entry; user_returned: status 0, same ink.
    assert_eq!(entries[0]["args"], "0x00000028");
    assert_eq!(entries[0]["startInk"], entries[0]["endInk"]);
    assert_eq!(entries[10]["outs"], "0x00000000");
    assert_eq!(entries[10]["startInk"], entries[0]["startInk"]);

    // Exact ink, by hand from stylus-host-spec.md §3.1 / §4.2.
    assert_eq!(ink(by("read_args")), 8_400 + write_price(40));
    assert_eq!(
        by("read_args")["outs"].as_str().unwrap(),
        alloy::primitives::hex::encode_prefixed(&s.input)
    );
    // Cold slot, cache miss: require 2 115 gas, buy SLOAD 2 100 + E (5).
    assert_eq!(
        ink(by("storage_load_bytes32")),
        18_480 + (2_100 + 5) * INK_PRICE
    );
    assert_eq!(ink(by("native_keccak256")), keccak_price(96));
    assert_eq!(ink(by("storage_cache_bytes32")), 18_480);
    // One dirty slot, warm (loaded above), 0 → non-zero: 20 000 gas.
    assert_eq!(ink(by("storage_flush_cache")), 68_073 + 20_000 * INK_PRICE);
    assert_eq!(by("storage_flush_cache")["args"], "0x00");
    // LOG1 with 32 data bytes: read(64) + 375·2 + 8·32 gas.
    assert_eq!(
        ink(by("emit_log")),
        68_073 + read_price(64) + (375 * 2 + 8 * 32) * INK_PRICE
    );
    assert_eq!(ink(by("write_result")), 8_400 + 2 * read_price(32));
    // The ink figures chain: each entry starts where the previous one ended, less the wasm
    // instructions in between (never more).
    for w in entries[1..10].windows(2) {
        assert!(w[1]["startInk"].as_u64() <= w[0]["endInk"].as_u64());
    }

    // Call records: merged with their frames (address + steps). EVM callee: no steps;
    // Stylus callee: its own hostios.
    let (c1, c2) = (&entries[6], &entries[7]);
    assert_eq!(addr(&c1["address"]), s.evm);
    assert_eq!(c1["steps"], json!([]));
    assert_eq!(addr(&c2["address"]), s.callee);
    let mut args = s.evm.to_vec();
    args.extend_from_slice(&u64::MAX.to_be_bytes());
    args.extend_from_slice(&[0u8; 32]);
    args.extend_from_slice(&[0xde, 0xad, 0xbe, 0xef]);
    assert_eq!(
        c1["args"].as_str().unwrap(),
        alloy::primitives::hex::encode_prefixed(&args)
    );
    assert_eq!(c1["outs"], "0x0000002000", "32 bytes returned, status 0");
    let inner: Vec<&str> = c2["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        inner,
        [
            "user_entrypoint",
            "read_args",
            "write_result",
            "user_returned"
        ]
    );
    let inner_steps = c2["steps"].as_array().unwrap();
    assert_eq!(ink(&inner_steps[1]), 8_400 + write_price(4));
    assert_eq!(ink(&inner_steps[2]), 8_400 + 2 * read_price(4));

    // An EVM caller of a Stylus program: the placeholder keeps its name, zero ink, and the
    // program's steps.
    let t = call(
        &s.node,
        "debug_traceCall",
        json!([{"from": dev().address(), "to": s.evm}, "latest", {"tracer": "stylusTracer"}]),
    )
    .await
    .unwrap();
    assert_eq!(t, json!([]), "an EVM target without sub-calls gives []");
}

#[tokio::test]
async fn struct_logger_and_trace_call_options() {
    let (s, _p) = setup().await;
    // Struct logs of the EVM contract through debug_traceCall.
    let t = call(
        &s.node,
        "debug_traceCall",
        json!([{"from": dev().address(), "to": s.evm}, "latest", {"enableMemory": true, "enableReturnData": true}]),
    )
    .await
    .unwrap();
    assert_eq!(t["failed"], false);
    let logs = t["structLogs"].as_array().unwrap();
    let ops: Vec<&str> = logs.iter().map(|l| l["op"].as_str().unwrap()).collect();
    assert_eq!(
        ops,
        ["PUSH1", "PUSH1", "MSTORE", "PUSH1", "PUSH1", "LOG0", "PUSH1", "PUSH1", "RETURN"]
    );
    assert_eq!(logs[0]["depth"], 1);
    assert_eq!(logs[0]["gasCost"], 3);
    assert_eq!(logs[2]["stack"], json!(["0x2a", "0x0"]));
    assert!(logs[3]["memory"].as_array().unwrap().len() == 1);
    assert_eq!(t["returnValue"].as_str().unwrap().len(), 2 + 64);
    let t = call(
        &s.node,
        "debug_traceCall",
        json!([{"from": dev().address(), "to": s.evm}, "latest", {"disableStack": true}]),
    )
    .await
    .unwrap();
    assert!(t["structLogs"][0].get("stack").is_none());
    assert!(t["structLogs"][0].get("memory").is_none());

    // State overrides as in eth_call: replace the EVM contract's code with a REVERT.
    let t = call(
        &s.node,
        "debug_traceCall",
        json!([{"from": dev().address(), "to": s.evm}, "latest",
               {"tracer": "callTracer", "stateOverrides": {s.evm.to_string(): {"code": "0x60006000fd"}}}]),
    )
    .await
    .unwrap();
    assert_eq!(t["error"], "execution reverted");

    // Errors, never panics.
    for (opts, needle) in [
        (json!({"tracer": "nopeTracer"}), "use-native-tracer"),
        (
            json!({"tracer": "{hostio: function(){}}"}),
            "use-native-tracer",
        ),
        (json!({"tracer": "prestateTracer"}), "not supported"),
        (json!({"tracer": 5}), "invalid tracer"),
        (
            json!({"tracer": "callTracer", "tracerConfig": {"bogus": 1}}),
            "unknown field",
        ),
        (json!({"disableStack": "yes"}), "expected a boolean"),
    ] {
        let e = call(
            &s.node,
            "debug_traceCall",
            json!([{"from": dev().address(), "to": s.evm}, "latest", opts]),
        )
        .await
        .unwrap_err();
        assert!(e["message"].as_str().unwrap().contains(needle), "{e}");
    }
    let e = call(&s.node, "debug_traceTransaction", json!([B256::ZERO]))
        .await
        .unwrap_err();
    assert!(e["message"].as_str().unwrap().contains("not found"), "{e}");
}

#[tokio::test]
async fn trace_block_by_number_lists_every_transaction() {
    let (s, p) = setup().await;
    let r = send(&p, s.caller, s.input.clone()).await;
    let n = r.block_number.unwrap();
    let t = call(
        &s.node,
        "debug_traceBlockByNumber",
        json!([format!("{n:#x}"), {"tracer": "callTracer"}]),
    )
    .await
    .unwrap();
    let list = t.as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        list[0]["txHash"].as_str().unwrap().parse::<B256>().unwrap(),
        r.transaction_hash
    );
    assert_eq!(hexnum(&list[0]["result"]["gasUsed"]), r.gas_used);
    let t = call(
        &s.node,
        "debug_traceBlockByNumber",
        json!(["latest", {"tracer": "stylusTracer"}]),
    )
    .await
    .unwrap();
    assert_eq!(t[0]["result"][0]["name"], "user_entrypoint");
}

async fn snapshot(p: &DynProvider, accounts: &[Address]) -> Vec<(U256, u64, Bytes, B256)> {
    let mut v = Vec::new();
    for &a in accounts {
        v.push((
            p.get_balance(a).await.unwrap(),
            p.get_transaction_count(a).await.unwrap(),
            p.get_code_at(a).await.unwrap(),
            p.get_storage_at(a, U256::ZERO).await.unwrap().into(),
        ));
    }
    v
}

#[tokio::test]
async fn tracing_changes_no_state() {
    let (s, p) = setup().await;
    let r = send(&p, s.caller, s.input.clone()).await;
    let accounts = [dev().address(), s.caller, s.callee, s.evm];
    let before = snapshot(&p, &accounts).await;
    assert_ne!(before[1].3, B256::ZERO, "the program stored its hash");
    let head = p.get_block_number().await.unwrap();
    for tracer in [
        json!({"tracer": "callTracer"}),
        json!({"tracer": "stylusTracer"}),
        json!({}),
    ] {
        call(
            &s.node,
            "debug_traceTransaction",
            json!([r.transaction_hash, tracer]),
        )
        .await
        .unwrap();
        // A traced call that would write storage, pay value and bump the nonce.
        call(
            &s.node,
            "debug_traceCall",
            json!([{"from": dev().address(), "to": s.caller, "data": s.input, "value": "0x1"}, "latest", tracer]),
        )
        .await
        .unwrap();
        call(
            &s.node,
            "debug_traceBlockByNumber",
            json!(["latest", tracer]),
        )
        .await
        .unwrap();
    }
    assert_eq!(snapshot(&p, &accounts).await, before);
    assert_eq!(p.get_block_number().await.unwrap(), head);
}

#[test]
fn revert_reasons_decode_panics_arbwasm_and_abi_errors() {
    use alloy::sol_types::{Panic, Revert, SolError};
    use devnode::error::describe_revert;
    let abi = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../abi");
    let n = devnode::trace::revert::load_abi_dir(&abi).unwrap();
    assert!(n > 0, "the workspace ABIs declare custom errors");

    alloy::sol! {
        error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
        error ProgramInsufficientValue(uint256 have, uint256 want);
        error ProgramNotActivated();
    }
    let who = Address::repeat_byte(0x11);
    let e = ERC20InsufficientBalance {
        sender: who,
        balance: U256::ZERO,
        needed: U256::from(5),
    }
    .abi_encode();
    assert_eq!(
        describe_revert(&e),
        // Declared by several token ABIs: no prefix.
        format!("ERC20InsufficientBalance({who}, 0, 5)")
    );
    let e = ProgramInsufficientValue {
        have: U256::from(1),
        want: U256::from(2),
    }
    .abi_encode();
    assert_eq!(
        describe_revert(&e),
        "ArbWasm.ProgramInsufficientValue(1, 2)"
    );
    assert_eq!(
        describe_revert(&ProgramNotActivated {}.abi_encode()),
        "ArbWasm.ProgramNotActivated()"
    );
    let p = Panic {
        code: U256::from(0x12),
    }
    .abi_encode();
    assert_eq!(
        describe_revert(&p),
        "Panic(0x12: division or modulo by zero)"
    );
    assert_eq!(
        devnode::trace::revert::reason_for_trace(&Revert::from("boom").abi_encode()),
        Some("boom".to_string())
    );
    // Unknown selectors still say what they are.
    assert_eq!(
        describe_revert(&[1, 2, 3, 4]),
        "custom error 0x01020304 (4 bytes)"
    );
}

#[tokio::test]
async fn evm_caller_of_a_stylus_program_gets_a_placeholder() {
    let (s, _p) = setup().await;
    // Proxy (state override): CALL(gas, calldataload(0), 0, 0, 0, 0, 0), then STOP.
    let proxy = Address::repeat_byte(0x77);
    let code = "0x600060006000600060006000355af100";
    let mut word = [0u8; 32];
    word[12..].copy_from_slice(s.callee.as_slice());
    let req = json!({"from": dev().address(), "to": proxy, "data": Bytes::from(word.to_vec())});
    let overrides = json!({proxy.to_string(): {"code": code}});
    let t = call(
        &s.node,
        "debug_traceCall",
        json!([req, "latest", {"tracer": "stylusTracer", "stateOverrides": overrides}]),
    )
    .await
    .unwrap();
    let entries = t.as_array().unwrap();
    assert_eq!(entries.len(), 1, "{t:#}");
    let e = &entries[0];
    assert_eq!(e["name"], "evm_call_contract");
    assert_eq!(e["args"], "0x");
    assert_eq!(e["outs"], "0x");
    assert_eq!(e["startInk"], 0);
    assert_eq!(e["endInk"], 0);
    assert_eq!(addr(&e["address"]), s.callee);
    let names: Vec<&str> = e["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "user_entrypoint",
            "read_args",
            "write_result",
            "user_returned"
        ]
    );
    assert_eq!(e["steps"][0]["args"], "0x00000000");

    let t = call(
        &s.node,
        "debug_traceCall",
        json!([req, "latest", {"tracer": "callTracer", "stateOverrides": overrides}]),
    )
    .await
    .unwrap();
    assert_eq!(addr(&t["to"]), proxy);
    assert_eq!(t["calls"].as_array().unwrap().len(), 1);
    assert_eq!(addr(&t["calls"][0]["to"]), s.callee);
    assert_eq!(t["calls"][0]["output"], "0x");

    // The struct logger sees the proxy's opcodes (depth 1), none for the Stylus frame.
    let t = call(
        &s.node,
        "debug_traceCall",
        json!([req, "latest", {"stateOverrides": overrides}]),
    )
    .await
    .unwrap();
    let logs = t["structLogs"].as_array().unwrap();
    assert_eq!(logs.len(), 10);
    assert!(logs.iter().all(|l| l["depth"] == 1));
    assert_eq!(logs[8]["op"], "CALL");
}

#[tokio::test]
async fn a_reverting_stylus_transaction_is_traced_with_its_reason() {
    use alloy::sol_types::{Revert, SolError};
    let node = node();
    let p = provider(&node, dev());
    let data = Revert::from("nope").abi_encode();
    let escaped: String = data.iter().map(|b| format!("\\{b:02x}")).collect();
    let wat_src = format!(
        r#"(module
          (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
          (memory (export "memory") 1 1)
          (data (i32.const 0) "{escaped}")
          (func (export "user_entrypoint") (param $len i32) (result i32)
            (call $write_result (i32.const 0) (i32.const {len}))
            (i32.const 1)))"#,
        len = data.len()
    );
    let program = deploy_program(&p, &wat_src).await;
    let r = send(&p, program, Bytes::new()).await;
    assert!(!r.status());
    let t = call(
        &node,
        "debug_traceTransaction",
        json!([r.transaction_hash, {"tracer": "callTracer"}]),
    )
    .await
    .unwrap();
    assert_eq!(t["error"], "execution reverted");
    assert_eq!(t["revertReason"], "nope");
    assert_eq!(
        t["output"].as_str().unwrap(),
        alloy::primitives::hex::encode_prefixed(&data)
    );
    assert_eq!(hexnum(&t["gasUsed"]), r.gas_used);
    let t = call(
        &node,
        "debug_traceTransaction",
        json!([r.transaction_hash, {"tracer": "stylusTracer"}]),
    )
    .await
    .unwrap();
    let last = t.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["name"], "user_returned");
    assert_eq!(last["outs"], "0x00000001");
    // The struct logger of a Stylus-only transaction: no opcodes, failed.
    let t = call(&node, "debug_traceTransaction", json!([r.transaction_hash]))
        .await
        .unwrap();
    assert_eq!(t["failed"], true);
    assert_eq!(t["structLogs"], json!([]));
}

#[tokio::test]
async fn creates_from_stylus_get_a_placeholder_and_a_sibling_record() {
    let node = node();
    let p = provider(&node, dev());
    // create1(initcode = STOP, endowment 0): deploys an empty contract.
    let wat_src = r#"(module
      (import "vm_hooks" "create1" (func $create1 (param i32 i32 i32 i32 i32)))
      (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
      (memory (export "memory") 1 1)
      (func (export "user_entrypoint") (param $len i32) (result i32)
        (call $create1 (i32.const 0) (i32.const 1) (i32.const 32) (i32.const 64) (i32.const 96))
        (call $write_result (i32.const 64) (i32.const 20))
        (i32.const 0)))"#;
    let program = deploy_program(&p, wat_src).await;
    let r = send(&p, program, Bytes::new()).await;
    assert!(r.status());
    let created = program.create(1);
    let t = call(
        &node,
        "debug_traceTransaction",
        json!([r.transaction_hash, {"tracer": "stylusTracer"}]),
    )
    .await
    .unwrap();
    let entries = t.as_array().unwrap();
    let names: Vec<&str> = entries
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "user_entrypoint",
            "evm_create1",
            "create1",
            "write_result",
            "user_returned"
        ],
        "{t:#}"
    );
    assert_eq!(addr(&entries[1]["address"]), created);
    assert_eq!(entries[1]["steps"], json!([]));
    assert_eq!(entries[1]["startInk"], 0);
    let mut outs = created.to_vec();
    outs.extend_from_slice(&[0, 0, 0, 0]);
    assert_eq!(
        entries[2]["outs"].as_str().unwrap(),
        alloy::primitives::hex::encode_prefixed(&outs)
    );
    assert!(entries[2].get("steps").is_none());
    let t = call(
        &node,
        "debug_traceTransaction",
        json!([r.transaction_hash, {"tracer": "callTracer"}]),
    )
    .await
    .unwrap();
    let calls = t["calls"].as_array().unwrap();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0]["type"], "CREATE");
    assert_eq!(addr(&calls[0]["from"]), program);
    assert_eq!(addr(&calls[0]["to"]), created);
    assert_eq!(calls[0]["input"], "0x00");
}
