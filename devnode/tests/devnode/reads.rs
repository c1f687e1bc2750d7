//! Reads served from the published state snapshot (`chain::view`) off the execution thread:
//! they answer exactly what the execution thread answers, see every mined transaction before its
//! sender hears back, and never wait for the execution thread.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::common::*;
use alloy::eips::{BlockId, BlockNumberOrTag};
use alloy::network::TransactionBuilder;
use alloy::primitives::{address, keccak256, Address, Bytes, U256};
use alloy::providers::Provider;
use alloy::rpc::types::state::StateOverride;
use alloy::rpc::types::TransactionRequest;
use devnode::chain::{Scratch, StateSel};
use devnode::config::DEV_ACCOUNT;
use devnode::trace::TracerKind;
use devnode::RpcResult;
use serde_json::json;

const BOB: Address = address!("0x000000000000000000000000000000000000b0b0");

/// A Stylus program that stores its first calldata word in slot 0 when given 32 bytes and
/// returns slot 0 otherwise.
const STORE_WAT: &str = r#"
(module
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (import "vm_hooks" "storage_load_bytes32" (func $load (param i32 i32)))
  (import "vm_hooks" "storage_cache_bytes32" (func $cache (param i32 i32)))
  (import "vm_hooks" "storage_flush_cache" (func $flush (param i32)))
  (import "vm_hooks" "pay_for_memory_grow" (func $pay (param i32)))
  (memory (export "memory") 1 1)
  (func (export "user_entrypoint") (param $len i32) (result i32)
    (call $read_args (i32.const 64))
    (if (i32.eq (local.get $len) (i32.const 32))
      (then
        (call $cache (i32.const 0) (i32.const 64))
        (call $flush (i32.const 0))
        (return (i32.const 0))))
    (call $load (i32.const 0) (i32.const 32))
    (call $write_result (i32.const 32) (i32.const 32))
    (i32.const 0)))
"#;

fn activate_calldata(program: Address) -> Bytes {
    let mut data = keccak256("activateProgram(address)")[..4].to_vec();
    data.extend_from_slice(&[0u8; 12]);
    data.extend_from_slice(program.as_slice());
    data.into()
}

/// A chain with transfers, an EVM contract, an activated Stylus program with storage,
/// `anvil_set*` edits and an `evm_revert` behind it.
async fn busy_node() -> (devnode::DevnodeHandle, Address, Address) {
    let node = node();
    let p = provider(&node, dev());
    for i in 1..=3u64 {
        let tx = TransactionRequest::default()
            .with_to(BOB)
            .with_value(U256::from(i));
        p.send_transaction(tx)
            .await
            .unwrap()
            .get_receipt()
            .await
            .unwrap();
    }
    let store = deploy(&p, &store_runtime()).await;
    let set = TransactionRequest::default()
        .with_to(store)
        .with_input(word(77));
    p.send_transaction(set)
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();

    let code = devnode_wasm::compress_program(&wat::parse_str(STORE_WAT).unwrap());
    let program = deploy(&p, &code).await;
    let activate = TransactionRequest::default()
        .with_to(ARB_WASM)
        .with_input(activate_calldata(program))
        .with_value(U256::from(10u64).pow(U256::from(18)));
    let r = p
        .send_transaction(activate)
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    assert!(r.status());
    let write = TransactionRequest::default()
        .with_to(program)
        .with_input(word(5));
    let r = p
        .send_transaction(write)
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    assert!(r.status());

    let carol = Address::repeat_byte(0xca);
    call(&node, "anvil_setBalance", json!([carol, "0x1234"]))
        .await
        .unwrap();
    call(&node, "anvil_setNonce", json!([carol, "0x7"]))
        .await
        .unwrap();
    call(
        &node,
        "anvil_setStorageAt",
        json!([store, "0x1", format!("0x{:064x}", 9)]),
    )
    .await
    .unwrap();
    // A slot of an address that did not exist brings the account into the snapshot.
    call(
        &node,
        "anvil_setStorageAt",
        json!([Address::repeat_byte(0xdd), "0x3", format!("0x{:064x}", 11)]),
    )
    .await
    .unwrap();
    // Changes made after a snapshot and reverted must vanish from the view too.
    let snap = call(&node, "evm_snapshot", json!([])).await.unwrap();
    call(&node, "anvil_setCode", json!([carol, "0x6001"]))
        .await
        .unwrap();
    call(&node, "anvil_setBalance", json!([BOB, "0x0"]))
        .await
        .unwrap();
    p.send_transaction(
        TransactionRequest::default()
            .with_to(store)
            .with_input(word(99)),
    )
    .await
    .unwrap()
    .get_receipt()
    .await
    .unwrap();
    assert_eq!(
        call(&node, "evm_revert", json!([snap])).await.unwrap(),
        json!(true)
    );
    // A fixed pending timestamp, so both paths build the same next block.
    let head_ts = p
        .get_block_by_number(BlockNumberOrTag::Latest)
        .await
        .unwrap()
        .unwrap()
        .header
        .timestamp;
    call(&node, "evm_setNextBlockTimestamp", json!([head_ts + 100]))
        .await
        .unwrap();
    (node, store, program)
}

type Query = (TransactionRequest, Option<StateOverride>);

fn queries(store: Address, program: Address) -> Vec<Query> {
    let from = |to: Address, data: Bytes| {
        TransactionRequest::default()
            .with_from(DEV_ACCOUNT)
            .with_to(to)
            .with_input(data)
    };
    let rich: StateOverride = serde_json::from_value(json!({
        Address::repeat_byte(0x99).to_string(): {"balance": "0xffffffffffffffffffffffffffffffff"},
        store.to_string(): {"stateDiff": {format!("0x{:064x}", 0): format!("0x{:064x}", 4242)}},
    }))
    .unwrap();
    vec![
        (from(store, Bytes::new()), None),               // returns slot 0
        (from(store, word(0)), None),                    // Error("zero")
        (from(store, word(1)), None),                    // custom error
        (from(store, word(2)), None),                    // INVALID halt
        (from(store, word(31)), None),                   // SSTORE + log
        (from(store, Bytes::new()), Some(rich.clone())), // overridden slot
        (from(program, Bytes::new()), None),             // Stylus read of its slot
        (from(program, word(8)), None),                  // Stylus write
        (from(BOB, Bytes::new()).with_value(U256::from(5)), None),
        (from(ARB_WASM, activate_calldata(program)), None), // ProgramUpToDate()
        (
            TransactionRequest::default()
                .with_from(Address::repeat_byte(0x99))
                .with_to(BOB)
                .with_value(U256::from(1u64 << 60)),
            Some(rich),
        ),
        (
            TransactionRequest::default()
                .with_from(DEV_ACCOUNT)
                .with_deploy_code(initcode(&env_runtime())),
            None,
        ),
    ]
}

async fn on_thread<R: Send + 'static>(
    node: &devnode::DevnodeHandle,
    f: impl FnOnce(&mut devnode::chain::Chain) -> RpcResult<R> + Send + 'static,
) -> RpcResult<R> {
    node.chain().exec(f).await
}

#[tokio::test]
async fn the_snapshot_answers_exactly_what_the_execution_thread_answers() {
    let (node, store, program) = busy_node().await;
    let view = node.reads().latest();
    let head = on_thread(&node, |c| Ok(c.head_number())).await.unwrap();
    assert_eq!(view.head_number(), head, "the view shows the head");

    // Every account, its code and every slot the live state holds.
    let live = on_thread(&node, |c| {
        Ok(c.state
            .db
            .cache
            .accounts
            .iter()
            .map(|(a, acc)| (*a, acc.storage.keys().copied().collect::<Vec<_>>()))
            .collect::<Vec<_>>())
    })
    .await
    .unwrap();
    assert!(live.len() > 20);
    let mut slots = 0;
    for (address, keys) in live {
        let a = address;
        let (balance, nonce, code) = on_thread(&node, move |c| {
            let sel = StateSel::Block(c.head_number());
            Ok((c.balance(a, sel)?, c.nonce(a, sel)?, c.code(a, sel)?))
        })
        .await
        .unwrap();
        assert_eq!(view.balance(a), balance, "balance of {a}");
        assert_eq!(view.nonce(a), nonce, "nonce of {a}");
        assert_eq!(view.code(a), code, "code of {a}");
        for k in keys {
            let want = on_thread(&node, move |c| {
                c.storage(a, k, StateSel::Block(c.head_number()))
            })
            .await
            .unwrap();
            assert_eq!(view.storage(a, k), want, "slot {k} of {a}");
            slots += 1;
        }
    }
    assert!(slots > 10, "the ArbOS state and the contracts have slots");

    // Calls, estimates and traces on both paths, at `latest` and `pending`.
    let tags = [None, Some(BlockId::Number(BlockNumberOrTag::Pending))];
    let mut reverts = 0;
    for (req, overrides) in queries(store, program) {
        for tag in tags {
            let (r, o) = (req.clone(), overrides.clone());
            let exec = on_thread(&node, move |c| {
                let sel = c.resolve(tag)?;
                c.call(r, sel, o)
            })
            .await;
            let mut v = node.reads().latest();
            let sel = v
                .select(tag)
                .expect("the view serves latest and pending")
                .unwrap();
            let snap = v.call(req.clone(), sel, overrides.clone());
            assert_eq!(snap, exec, "eth_call {req:?} at {tag:?}");
            if matches!(&snap, Err(e) if e.code == 3) {
                reverts += 1;
            }

            let (r, o) = (req.clone(), overrides.clone());
            let exec = on_thread(&node, move |c| {
                let sel = c.resolve(tag)?;
                c.estimate_gas(r, sel, o)
            })
            .await;
            assert_eq!(
                v.estimate_gas(req.clone(), sel, overrides.clone()),
                exec,
                "eth_estimateGas {req:?}"
            );

            for tracer in [
                json!({"tracer": "callTracer", "tracerConfig": {"withLog": true}}),
                json!({}),
            ] {
                let kind: TracerKind = devnode::trace::parse_options(Some(&tracer)).unwrap();
                let k = kind.clone();
                let (r, o) = (req.clone(), overrides.clone());
                let exec = on_thread(&node, move |c| {
                    let sel = c.resolve(tag)?;
                    c.trace_call(r, sel, o, &k)
                })
                .await;
                let snap =
                    devnode::trace::trace_call(&mut v, req.clone(), sel, overrides.clone(), &kind);
                assert_eq!(snap, exec, "debug_traceCall {req:?} {tracer}");
            }
        }
    }
    assert!(reverts >= 4, "reverts compared too");

    // Through JSON-RPC (the view) against the execution thread's answer.
    let out = call(&node, "eth_call", json!([{"to": program}, "latest"]))
        .await
        .unwrap();
    assert_eq!(out, json!(format!("0x{:064x}", 5)));
    let e = call(
        &node,
        "eth_call",
        json!([{"to": ARB_WASM, "data": activate_calldata(program)}]),
    )
    .await
    .unwrap_err();
    assert_eq!(e["message"], "execution reverted: ProgramUpToDate()");
    // Block tags the view does not hold go to the execution thread and agree with it.
    let old = call(&node, "eth_getBalance", json!([BOB, "0x1"]))
        .await
        .unwrap();
    assert_eq!(old, json!("0x1"));
    let future = call(
        &node,
        "eth_getBalance",
        json!([BOB, format!("{:#x}", head + 1)]),
    )
    .await
    .unwrap_err();
    assert_eq!(future["code"], -32001);
    let by_hash = on_thread(&node, |c| Ok(c.head().hash)).await.unwrap();
    assert_eq!(
        call(
            &node,
            "eth_getStorageAt",
            json!([store, "0x1", {"blockHash": by_hash}])
        )
        .await
        .unwrap(),
        json!(format!("0x{:064x}", 9))
    );
}

#[tokio::test]
async fn a_mined_transaction_is_visible_before_its_sender_hears_back() {
    let node = node();
    let clients = 4;
    let per_client = 15u64;
    let mut tasks = Vec::new();
    for i in 0..clients {
        let signer = node.accounts()[i + 1].signer.clone();
        let p = provider(&node, signer);
        let to = Address::repeat_byte(0x40 + i as u8);
        tasks.push(tokio::spawn(async move {
            for n in 1..=per_client {
                let tx = TransactionRequest::default()
                    .with_to(to)
                    .with_value(U256::from(1));
                p.send_transaction(tx).await.unwrap().watch().await.unwrap();
                // The very next read sees it (no stale snapshot).
                assert_eq!(p.get_balance(to).await.unwrap(), U256::from(n));
                let out = p
                    .call(TransactionRequest::default().with_to(to))
                    .await
                    .unwrap();
                assert!(out.is_empty());
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
}

#[tokio::test]
async fn reads_do_not_wait_for_the_execution_thread() {
    let node = node();
    let p = provider(&node, dev());
    let store = deploy(&p, &store_runtime()).await;
    let set = TransactionRequest::default()
        .with_to(store)
        .with_input(word(42));
    p.send_transaction(set)
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();

    // Occupy the execution thread with a long operation.
    let chain = node.chain().clone();
    let finished = Arc::new(AtomicBool::new(false));
    let (started_tx, started_rx) = std::sync::mpsc::channel();
    let flag = Arc::clone(&finished);
    let busy = std::thread::spawn(move || {
        chain.exec_blocking(move |_| {
            started_tx.send(()).unwrap();
            std::thread::sleep(Duration::from_secs(4));
            flag.store(true, Ordering::SeqCst);
            Ok(())
        })
    });
    started_rx.recv().unwrap();
    // A transaction queues behind it...
    let pending = {
        let p = p.clone();
        tokio::spawn(async move {
            let tx = TransactionRequest::default()
                .with_to(BOB)
                .with_value(U256::from(1));
            p.send_transaction(tx)
                .await
                .unwrap()
                .get_receipt()
                .await
                .unwrap()
        })
    };
    // ...while every read is answered from the snapshot.
    let r = reader(&node);
    for _ in 0..20 {
        assert_eq!(
            r.call(TransactionRequest::default().with_to(store))
                .await
                .unwrap(),
            word(42)
        );
        assert_eq!(
            r.get_storage_at(store, U256::ZERO).await.unwrap(),
            U256::from(42)
        );
        assert!(!r.get_code_at(store).await.unwrap().is_empty());
        assert!(r.get_balance(DEV_ACCOUNT).await.unwrap() > U256::ZERO);
        assert_eq!(r.get_block_number().await.unwrap(), 2);
        assert_eq!(
            call(
                &node,
                "eth_getTransactionCount",
                json!([DEV_ACCOUNT, "latest"])
            )
            .await
            .unwrap(),
            json!(format!("{:#x}", devnode::DEV_ACCOUNT_GENESIS_NONCE + 2))
        );
        let est = r
            .estimate_gas(
                TransactionRequest::default()
                    .with_from(DEV_ACCOUNT)
                    .with_to(store)
                    .with_input(word(7)),
            )
            .await
            .unwrap();
        assert!(est > 21_000);
        call(
            &node,
            "debug_traceCall",
            json!([{"to": store}, "latest", {"tracer": "callTracer"}]),
        )
        .await
        .unwrap();
    }
    assert!(
        !finished.load(Ordering::SeqCst),
        "all reads were answered while the execution thread was busy"
    );
    assert!(
        !pending.is_finished(),
        "the transaction waits for the execution thread"
    );
    busy.join().unwrap().unwrap();
    let receipt = pending.await.unwrap();
    assert!(receipt.status());
    assert_eq!(r.get_balance(BOB).await.unwrap(), U256::from(1));
}
