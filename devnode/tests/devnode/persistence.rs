//! Persistence across restarts (`--state FILE`) and `anvil_dumpState` / `anvil_loadState`.

use crate::common::*;
use alloy::network::TransactionBuilder;
use alloy::primitives::{address, U256};
use alloy::providers::Provider;
use alloy::rpc::types::{Filter, TransactionRequest};
use devnode::config::DEV_ACCOUNT;
use devnode::DevnodeConfig;
use serde_json::json;

#[tokio::test]
async fn a_restart_with_the_same_state_file_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("chain.json");
    let config = DevnodeConfig {
        state_file: Some(file.clone()),
        ..Default::default()
    };
    let bob = address!("0x00000000000000000000000000000000000000b3");

    let node = node_with(config.clone());
    let p = provider(&node, dev());
    let c = deploy(&p, &store_runtime()).await;
    let r = p
        .send_transaction(
            TransactionRequest::default()
                .with_to(c)
                .with_input(word(1234)),
        )
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    p.send_transaction(
        TransactionRequest::default()
            .with_to(bob)
            .with_value(U256::from(99)),
    )
    .await
    .unwrap()
    .get_receipt()
    .await
    .unwrap();
    call(&node, "evm_increaseTime", json!([100_000]))
        .await
        .unwrap();
    call(&node, "evm_mine", json!([])).await.unwrap();
    let head = p.get_block_number().await.unwrap();
    let head_block = p.get_block_by_number(head.into()).await.unwrap().unwrap();
    let dev_balance = p.get_balance(DEV_ACCOUNT).await.unwrap();
    let receipt_before = call(
        &node,
        "eth_getTransactionReceipt",
        json!([r.transaction_hash]),
    )
    .await
    .unwrap();
    node.stop().unwrap();
    assert!(file.exists());

    let node = node_with(config.clone());
    let p = provider(&node, dev());
    assert_eq!(p.get_block_number().await.unwrap(), head);
    assert_eq!(
        p.get_block_by_number(head.into())
            .await
            .unwrap()
            .unwrap()
            .header
            .hash,
        head_block.header.hash
    );
    assert_eq!(p.get_balance(DEV_ACCOUNT).await.unwrap(), dev_balance);
    assert_eq!(p.get_balance(bob).await.unwrap(), U256::from(99));
    assert_eq!(
        p.get_transaction_count(DEV_ACCOUNT).await.unwrap(),
        devnode::DEV_ACCOUNT_GENESIS_NONCE + 3
    );
    assert_eq!(p.get_code_at(c).await.unwrap().to_vec(), store_runtime());
    assert_eq!(
        p.get_storage_at(c, U256::ZERO).await.unwrap(),
        U256::from(1234)
    );
    assert_eq!(
        call(
            &node,
            "eth_getTransactionReceipt",
            json!([r.transaction_hash])
        )
        .await
        .unwrap(),
        receipt_before
    );
    assert_eq!(
        p.get_logs(&Filter::new().address(c).from_block(0))
            .await
            .unwrap()
            .len(),
        1
    );
    // Chain time (with its offset) continues.
    call(&node, "evm_mine", json!([])).await.unwrap();
    let next = p
        .get_block_by_number((head + 1).into())
        .await
        .unwrap()
        .unwrap();
    assert!(next.header.timestamp > head_block.header.timestamp);
    assert!(next.header.timestamp < head_block.header.timestamp + 60);
    // New transactions work on the restored state (dropping the handle also persists).
    let r2 = p
        .send_transaction(
            TransactionRequest::default()
                .with_to(c)
                .with_input(word(55)),
        )
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    assert!(r2.status());
    drop(p);
    drop(node);
    let node = node_with(config);
    let p = reader(&node);
    assert_eq!(
        p.get_storage_at(c, U256::ZERO).await.unwrap(),
        U256::from(55)
    );
}

#[tokio::test]
async fn a_state_file_of_another_chain_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("chain.json");
    let node = node_with(DevnodeConfig {
        state_file: Some(file.clone()),
        ..Default::default()
    });
    node.stop().unwrap();
    let err = devnode::Devnode::spawn(DevnodeConfig {
        state_file: Some(file),
        chain_id: 1,
        ..Default::default()
    });
    assert!(err.err().unwrap().to_string().contains("chain id"));
}

#[tokio::test]
async fn dump_and_load_state() {
    let node = node();
    let p = provider(&node, dev());
    let c = deploy(&p, &store_runtime()).await;
    p.send_transaction(TransactionRequest::default().with_to(c).with_input(word(8)))
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    let dump = call(&node, "anvil_dumpState", json!([])).await.unwrap();

    let fresh = crate::common::node();
    assert!(reader(&fresh).get_code_at(c).await.unwrap().is_empty());
    assert_eq!(
        call(&fresh, "anvil_loadState", json!([dump]))
            .await
            .unwrap(),
        json!(true)
    );
    let q = reader(&fresh);
    assert_eq!(
        q.get_storage_at(c, U256::ZERO).await.unwrap(),
        U256::from(8)
    );
    assert_eq!(
        q.get_block_number().await.unwrap(),
        p.get_block_number().await.unwrap()
    );
    let e = call(&fresh, "anvil_loadState", json!(["0x1234"]))
        .await
        .unwrap_err();
    assert_eq!(e["code"], -32602);
}
