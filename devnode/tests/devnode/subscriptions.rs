//! `eth_subscribe` / `eth_unsubscribe` over WebSocket on the HTTP port: alloy's WS provider
//! receives `newHeads`, filtered `logs` and `newPendingTransactions`; a raw WebSocket client checks
//! the wire format (ids, `eth_subscription` notifications, `eth_unsubscribe` results).

use std::time::Duration;

use crate::common::*;
use alloy::network::TransactionBuilder;
use alloy::primitives::{Address, B256, U256};
use alloy::providers::{Provider, ProviderBuilder, WsConnect};
use alloy::rpc::types::{Filter, TransactionRequest};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::Message;

const WAIT: Duration = Duration::from_secs(10);

#[tokio::test(flavor = "multi_thread")]
async fn alloy_ws_provider_receives_heads_logs_and_pending_transactions() {
    let node = node();
    let ws = ProviderBuilder::new()
        .connect_ws(WsConnect::new(node.ws_url()))
        .await
        .expect("WebSocket on the HTTP port");
    assert_eq!(ws.get_chain_id().await.unwrap(), node.chain_id());
    let p = provider(&node, dev());
    let a = deploy(&p, &store_runtime()).await;
    let b = deploy(&p, &store_runtime()).await;

    let mut heads = ws.subscribe_blocks().await.unwrap();
    let mut pending = ws.subscribe_pending_transactions().await.unwrap();
    // Only `a`'s Set(uint256) logs.
    let filter = Filter::new().address(a).event_signature(set_topic());
    let mut logs = ws.subscribe_logs(&filter).await.unwrap();

    let set = |to: Address, x: u64| {
        TransactionRequest::default()
            .with_to(to)
            .with_input(word(x))
    };
    let rb = p
        .send_transaction(set(b, 41))
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    let ra = p
        .send_transaction(set(a, 42))
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();

    // Heads: both blocks, in order, with their real hashes and state roots.
    for r in [&rb, &ra] {
        let h = timeout(WAIT, heads.recv()).await.unwrap().unwrap();
        assert_eq!(h.number, r.block_number.unwrap());
        assert_eq!(h.hash, r.block_hash.unwrap());
        assert_ne!(h.state_root, B256::ZERO);
    }
    // Pending transactions: both hashes, in order.
    for r in [&rb, &ra] {
        let hash = timeout(WAIT, pending.recv()).await.unwrap().unwrap();
        assert_eq!(hash, r.transaction_hash);
    }
    // Logs: only `a`'s.
    let log = timeout(WAIT, logs.recv()).await.unwrap().unwrap();
    assert_eq!(log.address(), a);
    assert_eq!(log.transaction_hash, Some(ra.transaction_hash));
    assert_eq!(U256::from_be_slice(&log.data().data), U256::from(42));
    assert!(
        timeout(Duration::from_millis(300), logs.recv())
            .await
            .is_err(),
        "no other log matches"
    );

    // After unsubscribing, no more heads arrive on that subscription.
    ws.unsubscribe(*heads.local_id()).await.unwrap();
    p.send_transaction(set(a, 43))
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    assert!(timeout(Duration::from_millis(300), heads.recv())
        .await
        .map(|r| r.is_err())
        .unwrap_or(true));
    // The other subscriptions keep going.
    assert_eq!(
        U256::from_be_slice(
            &timeout(WAIT, logs.recv())
                .await
                .unwrap()
                .unwrap()
                .data()
                .data
        ),
        U256::from(43)
    );
}

async fn next_json(
    ws: &mut tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
) -> Value {
    loop {
        match timeout(WAIT, ws.next()).await.unwrap().unwrap().unwrap() {
            Message::Text(t) => return serde_json::from_str(&t).unwrap(),
            Message::Ping(_) | Message::Pong(_) => continue,
            other => panic!("unexpected frame {other:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn raw_websocket_subscribe_and_unsubscribe() {
    let node = node();
    let (mut ws, _) = tokio_tungstenite::connect_async(node.ws_url())
        .await
        .unwrap();
    let send = |v: Value| Message::Text(v.to_string().into());
    ws.send(send(
        json!({"jsonrpc":"2.0","id":1,"method":"eth_subscribe","params":["newHeads"]}),
    ))
    .await
    .unwrap();
    let reply = next_json(&mut ws).await;
    let id = reply["result"]
        .as_str()
        .expect("subscription id")
        .to_string();
    assert!(
        id.starts_with("0x") && id.len() == 34,
        "geth-style id: {id}"
    );

    // Unknown kinds and bad filters are JSON-RPC errors.
    ws.send(send(
        json!({"jsonrpc":"2.0","id":2,"method":"eth_subscribe","params":["syncing!"]}),
    ))
    .await
    .unwrap();
    assert_eq!(next_json(&mut ws).await["error"]["code"], -32602);

    call(&node, "evm_mine", json!([])).await.unwrap();
    let note = next_json(&mut ws).await;
    assert_eq!(note["method"], "eth_subscription");
    assert_eq!(note["params"]["subscription"], id.as_str());
    assert_eq!(note["params"]["result"]["number"], "0x1");

    ws.send(send(
        json!({"jsonrpc":"2.0","id":3,"method":"eth_unsubscribe","params":[id]}),
    ))
    .await
    .unwrap();
    assert_eq!(next_json(&mut ws).await["result"], true);
    ws.send(send(
        json!({"jsonrpc":"2.0","id":4,"method":"eth_unsubscribe","params":[id]}),
    ))
    .await
    .unwrap();
    assert_eq!(next_json(&mut ws).await["result"], false);
    // Plain calls work over the socket too.
    ws.send(send(
        json!({"jsonrpc":"2.0","id":5,"method":"eth_blockNumber","params":[]}),
    ))
    .await
    .unwrap();
    assert_eq!(next_json(&mut ws).await["result"], "0x1");
}
