//! Time travel, explicit timestamps, manual mining, snapshots and historical state.

use crate::common::*;
use alloy::network::TransactionBuilder;
use alloy::primitives::{address, U256};
use alloy::providers::Provider;
use alloy::rpc::types::TransactionRequest;
use devnode::config::DEV_ACCOUNT;
use serde_json::json;

fn num(v: &serde_json::Value) -> u64 {
    match v {
        serde_json::Value::String(s) => {
            u64::from_str_radix(s.trim_start_matches("0x"), 16).unwrap()
        }
        other => other.as_u64().unwrap(),
    }
}

async fn head_block(node: &devnode::DevnodeHandle) -> serde_json::Value {
    call(node, "eth_getBlockByNumber", json!(["latest", false]))
        .await
        .unwrap()
}

#[tokio::test]
async fn increase_time_and_set_next_timestamp() {
    let node = node();
    let t0 = num(&head_block(&node).await["timestamp"]);
    call(&node, "evm_increaseTime", json!([3600]))
        .await
        .unwrap();
    call(&node, "evm_mine", json!([])).await.unwrap();
    let b = head_block(&node).await;
    let t1 = num(&b["timestamp"]);
    assert!(t1 >= t0 + 3600 && t1 < t0 + 3600 + 30, "t0 {t0} t1 {t1}");
    assert_eq!(num(&b["number"]), 1);
    // L1 number follows the 12 s simulated parent chain.
    assert_eq!(num(&b["l1BlockNumber"]), 1 + (t1 - t0) / 12);

    let target = t1 + 1_000_000;
    call(&node, "evm_setNextBlockTimestamp", json!([target]))
        .await
        .unwrap();
    let p = provider(&node, dev());
    let r = p
        .send_transaction(
            TransactionRequest::default()
                .with_to(address!("0x00000000000000000000000000000000000000b1"))
                .with_value(U256::from(1)),
        )
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    let b = p
        .get_block_by_number(r.block_number.unwrap().into())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(b.header.timestamp, target);
    // Time continues from there, strictly increasing.
    call(&node, "evm_mine", json!([])).await.unwrap();
    let t3 = num(&head_block(&node).await["timestamp"]);
    assert!(t3 > target && t3 < target + 30);
    // A timestamp in the past is refused.
    let e = call(&node, "evm_setNextBlockTimestamp", json!([t0]))
        .await
        .unwrap_err();
    assert_eq!(e["code"], -32602);
    // evm_mine with a timestamp, anvil_mine with a count and interval.
    call(&node, "evm_mine", json!([t3 + 100])).await.unwrap();
    assert_eq!(num(&head_block(&node).await["timestamp"]), t3 + 100);
    call(&node, "anvil_mine", json!(["0x3", "0x10"]))
        .await
        .unwrap();
    let b = head_block(&node).await;
    assert_eq!(num(&b["number"]), 7);
    assert!(num(&b["timestamp"]) >= t3 + 100 + 2 * 16);
}

#[tokio::test]
async fn snapshot_and_revert_restore_state_blocks_and_time() {
    let node = node();
    let p = provider(&node, dev());
    let c = deploy(&p, &store_runtime()).await;
    let snap = call(&node, "evm_snapshot", json!([])).await.unwrap();
    let head = p.get_block_number().await.unwrap();
    let balance = p.get_balance(DEV_ACCOUNT).await.unwrap();

    let r = p
        .send_transaction(TransactionRequest::default().with_to(c).with_input(word(5)))
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    call(&node, "evm_increaseTime", json!([86_400]))
        .await
        .unwrap();
    call(&node, "anvil_setBalance", json!([c, "0x64"]))
        .await
        .unwrap();
    call(
        &node,
        "anvil_setCode",
        json!([
            address!("0x00000000000000000000000000000000000000c0"),
            "0x6000"
        ]),
    )
    .await
    .unwrap();
    let inner = call(&node, "evm_snapshot", json!([])).await.unwrap();
    call(&node, "evm_mine", json!([])).await.unwrap();
    assert_eq!(
        p.get_storage_at(c, U256::ZERO).await.unwrap(),
        U256::from(5)
    );

    assert_eq!(
        call(&node, "evm_revert", json!([snap])).await.unwrap(),
        json!(true)
    );
    assert_eq!(p.get_block_number().await.unwrap(), head);
    assert_eq!(p.get_storage_at(c, U256::ZERO).await.unwrap(), U256::ZERO);
    assert_eq!(p.get_balance(c).await.unwrap(), U256::ZERO);
    assert_eq!(p.get_balance(DEV_ACCOUNT).await.unwrap(), balance);
    assert!(p
        .get_code_at(address!("0x00000000000000000000000000000000000000c0"))
        .await
        .unwrap()
        .is_empty());
    assert!(p
        .get_transaction_receipt(r.transaction_hash)
        .await
        .unwrap()
        .is_none());
    // The clock offset is restored too.
    call(&node, "evm_mine", json!([])).await.unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(num(&head_block(&node).await["timestamp"]) < now + 3600);
    // Snapshots taken after the reverted one are gone, and so is the used one.
    assert_eq!(
        call(&node, "evm_revert", json!([inner])).await.unwrap(),
        json!(false)
    );
    assert_eq!(
        call(&node, "evm_revert", json!([snap])).await.unwrap(),
        json!(false)
    );
    // The chain goes on: the same transaction can be sent again (a fresh provider: alloy caches
    // nonces client-side).
    let p = provider(&node, dev());
    let r2 = p
        .send_transaction(TransactionRequest::default().with_to(c).with_input(word(6)))
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    assert!(r2.status());
    assert_eq!(
        p.get_storage_at(c, U256::ZERO).await.unwrap(),
        U256::from(6)
    );
}

#[tokio::test]
async fn historical_state_by_block_tag_and_pruning() {
    let node = node_with(devnode::DevnodeConfig {
        history_depth: 4,
        ..Default::default()
    });
    let p = provider(&node, dev());
    let c = deploy(&p, &store_runtime()).await; // block 1
    for x in 10..80u64 {
        p.send_transaction(TransactionRequest::default().with_to(c).with_input(word(x)))
            .await
            .unwrap()
            .get_receipt()
            .await
            .unwrap();
    }
    let head = p.get_block_number().await.unwrap(); // 71
    assert_eq!(head, 71);
    for back in 0..4u64 {
        let n = head - back;
        let v = p
            .get_storage_at(c, U256::ZERO)
            .block_id(n.into())
            .await
            .unwrap();
        assert_eq!(v, U256::from(79 - back), "block {n}");
    }
    // Older state is gone (pruned every 64 blocks beyond the depth): a clear error.
    let e = p
        .get_storage_at(c, U256::ZERO)
        .block_id(2u64.into())
        .await
        .unwrap_err();
    let (code, msg, _) = rpc_error(&e);
    assert_eq!(code, -32001);
    assert!(msg.contains("historical state not available"), "{msg}");
    // Blocks in the future are not found.
    assert!(p
        .get_balance(DEV_ACCOUNT)
        .block_id((head + 5).into())
        .await
        .is_err());
}

#[tokio::test]
async fn interval_mining_batches_transactions() {
    let node = node_with(devnode::DevnodeConfig {
        block_time: Some(std::time::Duration::from_millis(300)),
        ..Default::default()
    });
    let p = provider(&node, dev());
    let bob = address!("0x00000000000000000000000000000000000000b2");
    let mut pending = vec![];
    for _ in 0..3 {
        pending.push(
            p.send_transaction(
                TransactionRequest::default()
                    .with_to(bob)
                    .with_value(U256::from(1)),
            )
            .await
            .unwrap(),
        );
    }
    let mut blocks = vec![];
    for tx in pending {
        blocks.push(tx.get_receipt().await.unwrap().block_number.unwrap());
    }
    assert!(
        blocks.iter().all(|b| *b == blocks[0]),
        "one block holds all three: {blocks:?}"
    );
    assert_eq!(p.get_balance(bob).await.unwrap(), U256::from(3));
}
