//! Bad input and load: malformed JSON, unknown methods, wrong params, oversized bodies, batches,
//! many concurrent clients, and use from synchronous code.

use crate::common::*;
use alloy::network::TransactionBuilder;
use alloy::primitives::{Address, U256};
use alloy::providers::Provider;
use alloy::rpc::types::TransactionRequest;
use alloy::signers::local::PrivateKeySigner;
use devnode::DevnodeConfig;
use serde_json::json;

#[tokio::test]
async fn malformed_requests_get_json_rpc_errors() {
    let node = node();
    let (status, v) = raw(&node, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":").await;
    assert_eq!(status, 200);
    assert_eq!(v["error"]["code"], -32700);
    let (_, v) = raw(
        &node,
        r#"{"jsonrpc":"2.0","id":1,"method":"eth_noSuchMethod","params":[]}"#,
    )
    .await;
    assert_eq!(v["error"]["code"], -32601);
    let (_, v) = raw(
        &node,
        r#"{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":["0x1234"]}"#,
    )
    .await;
    assert_eq!(v["error"]["code"], -32602);
    let (_, v) = raw(
        &node,
        r#"{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":[]}"#,
    )
    .await;
    assert_eq!(v["error"]["code"], -32602);
    let (_, v) = raw(
        &node,
        r#"{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":{"a":1}}"#,
    )
    .await;
    assert_eq!(v["error"]["code"], -32602);
    let (_, v) = raw(
        &node,
        r#"{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[1,2,3]}"#,
    )
    .await;
    assert!(
        v["result"].is_string(),
        "extra params are ignored where there are none: {v}"
    );
    let (_, v) = raw(
        &node,
        r#"{"jsonrpc":"2.0","id":1,"method":"eth_call","params":[{"to":"0x00"},"latest"]}"#,
    )
    .await;
    assert_eq!(v["error"]["code"], -32602);
    let (_, v) = raw(
        &node,
        r#"{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["0xzz"]}"#,
    )
    .await;
    assert_eq!(v["error"]["code"], -32602);
    let (_, v) = raw(
        &node,
        r#"{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["0x"]}"#,
    )
    .await;
    assert_eq!(v["error"]["code"], -32602);
    let (_, v) = raw(
        &node,
        r#"{"jsonrpc":"2.0","id":1,"method":"evm_increaseTime","params":["soon"]}"#,
    )
    .await;
    assert_eq!(v["error"]["code"], -32602);
    let (_, v) = raw(&node, r#"[]"#).await;
    assert!(v["error"]["code"].is_number(), "empty batch: {v}");
    // The node still works.
    assert_eq!(
        call(&node, "eth_chainId", json!([])).await.unwrap(),
        "0x64aba"
    );
}

#[tokio::test]
async fn batches_answer_every_request() {
    let node = node();
    let body = json!([
        {"jsonrpc": "2.0", "id": 1, "method": "eth_chainId"},
        {"jsonrpc": "2.0", "id": 2, "method": "nope"},
        {"jsonrpc": "2.0", "id": 3, "method": "eth_blockNumber"},
        {"jsonrpc": "2.0", "id": 4, "method": "net_version"},
    ]);
    let (_, v) = raw(&node, &body.to_string()).await;
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 4);
    let by_id = |id: u64| arr.iter().find(|r| r["id"] == id).unwrap().clone();
    assert_eq!(by_id(1)["result"], "0x64aba");
    assert_eq!(by_id(2)["error"]["code"], -32601);
    assert_eq!(by_id(3)["result"], "0x0");
    assert_eq!(by_id(4)["result"], "412346");
}

#[tokio::test]
async fn oversized_bodies_are_rejected() {
    let node = node_with(DevnodeConfig {
        max_request_body: 64 * 1024,
        ..Default::default()
    });
    let big = format!("0x{}", "ab".repeat(100 * 1024));
    let body =
        json!({"jsonrpc": "2.0", "id": 1, "method": "eth_sendRawTransaction", "params": [big]});
    let (status, v) = raw(&node, &body.to_string()).await;
    assert_eq!(status, 413);
    assert_eq!(v["error"]["code"], -32007);
    assert_eq!(
        call(&node, "eth_blockNumber", json!([])).await.unwrap(),
        "0x0"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_concurrent_clients_keep_the_chain_consistent() {
    let node = node();
    let funder = provider(&node, dev());
    let clients = 24usize;
    let per_client = 10u64;
    let keys: Vec<PrivateKeySigner> = (0..clients).map(|_| PrivateKeySigner::random()).collect();
    for k in &keys {
        let one_eth = U256::from(10u64).pow(U256::from(18u64));
        call(&node, "anvil_setBalance", json!([k.address(), one_eth]))
            .await
            .unwrap();
    }
    let sink = Address::repeat_byte(0x5c);
    let mut tasks = vec![];
    for k in keys.clone() {
        let p = provider(&node, k);
        tasks.push(tokio::spawn(async move {
            for _ in 0..per_client {
                let r = p
                    .send_transaction(
                        TransactionRequest::default()
                            .with_to(sink)
                            .with_value(U256::from(1)),
                    )
                    .await
                    .unwrap()
                    .get_receipt()
                    .await
                    .unwrap();
                assert!(r.status());
                // Interleave reads.
                p.get_block_number().await.unwrap();
            }
        }));
    }
    // Readers hammering at the same time.
    for _ in 0..8 {
        let r = reader(&node);
        tasks.push(tokio::spawn(async move {
            for _ in 0..50 {
                r.get_balance(sink).await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let total = clients as u64 * per_client;
    assert_eq!(funder.get_balance(sink).await.unwrap(), U256::from(total));
    assert_eq!(
        funder.get_block_number().await.unwrap(),
        total,
        "one block per transaction, none lost"
    );
    for k in &keys {
        assert_eq!(
            funder.get_transaction_count(k.address()).await.unwrap(),
            per_client
        );
    }
}

#[test]
fn usable_from_synchronous_code() {
    let started = std::time::Instant::now();
    let node = devnode::Devnode::spawn(DevnodeConfig::default()).unwrap();
    let took = started.elapsed();
    assert!(node.url().starts_with("http://127.0.0.1:"));
    let head = node.chain().exec_blocking(|c| Ok(c.head_number())).unwrap();
    assert_eq!(head, 0);
    // And many nodes side by side.
    let others: Vec<_> = (0..8)
        .map(|_| devnode::Devnode::spawn(DevnodeConfig::default()).unwrap())
        .collect();
    let mut ports: Vec<u16> = others.iter().map(|n| n.addr().port()).collect();
    ports.push(node.addr().port());
    ports.sort();
    ports.dedup();
    assert_eq!(ports.len(), 9);
    eprintln!("start-up took {took:?}");
}

#[tokio::test]
async fn a_panicking_command_leaves_the_state_unchanged() {
    let node = node();
    let victim = Address::repeat_byte(0x77);
    let err = node
        .chain()
        .exec(move |c| -> devnode::RpcResult<()> {
            c.set_balance(victim, U256::from(5));
            c.mine(2, None, None)?;
            panic!("simulated bug in the middle of a command");
        })
        .await
        .unwrap_err();
    assert_eq!(err.code, -32603);
    let p = reader(&node);
    assert_eq!(p.get_balance(victim).await.unwrap(), U256::ZERO);
    assert_eq!(p.get_block_number().await.unwrap(), 0);
    // The node keeps serving and mining.
    call(&node, "evm_mine", json!([])).await.unwrap();
    assert_eq!(p.get_block_number().await.unwrap(), 1);
}

#[tokio::test]
async fn js_tracers_get_a_clear_error() {
    let node = node();
    let hash = format!("{:#066x}", 1);
    let e = call(
        &node,
        "debug_traceTransaction",
        json!([hash, {"tracer": "{ hostio: function() {} }"}]),
    )
    .await
    .unwrap_err();
    assert_eq!(e["code"], -32004);
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("--use-native-tracer"),
        "{e}"
    );
    // Native tracers work (issue 12; see tests/trace.rs): no Stylus frame, no entries.
    let t = call(
        &node,
        "debug_traceCall",
        json!([{"to": hash[..42]}, "latest", {"tracer": "stylusTracer"}]),
    )
    .await
    .unwrap();
    assert_eq!(t, json!([]));
}
