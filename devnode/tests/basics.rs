//! Node information methods as wallets and alloy use them, and manual mining.

mod common;

use alloy::eips::BlockNumberOrTag;
use alloy::network::TransactionBuilder;
use alloy::primitives::{Address, U256};
use alloy::providers::Provider;
use alloy::rpc::types::TransactionRequest;
use common::*;
use devnode::config::BASE_FEE;
use serde_json::json;

#[tokio::test]
async fn wallet_facing_info() {
    let node = node();
    let p = reader(&node);
    assert_eq!(
        call(&node, "net_version", json!([])).await.unwrap(),
        "412346"
    );
    assert!(call(&node, "web3_clientVersion", json!([]))
        .await
        .unwrap()
        .as_str()
        .unwrap()
        .starts_with("stylus-devnode/"));
    assert_eq!(
        call(&node, "eth_syncing", json!([])).await.unwrap(),
        json!(false)
    );
    assert_eq!(p.get_gas_price().await.unwrap(), BASE_FEE as u128);
    assert_eq!(p.get_max_priority_fee_per_gas().await.unwrap(), 0);
    // alloy's EIP-1559 estimator call.
    let fh = p
        .get_fee_history(10, BlockNumberOrTag::Latest, &[20.0])
        .await
        .unwrap();
    assert_eq!(fh.oldest_block, 0);
    assert_eq!(fh.base_fee_per_gas, vec![BASE_FEE as u128; 2]);
    assert_eq!(fh.reward, Some(vec![vec![0]]));
    let fees = p.estimate_eip1559_fees().await.unwrap();
    assert!(fees.max_fee_per_gas >= BASE_FEE as u128);
    let e = call(&node, "eth_feeHistory", json!([1, "latest", [50, 10]]))
        .await
        .unwrap_err();
    assert_eq!(e["code"], -32602);
    // Genesis block shape.
    let g = p.get_block_by_number(0.into()).await.unwrap().unwrap();
    assert_eq!(g.header.number, 0);
    assert_eq!(g.header.beneficiary, devnode::config::COINBASE);
}

#[tokio::test]
async fn manual_mining_with_automine_off() {
    let node = node();
    let p = provider(&node, dev());
    assert_eq!(
        call(&node, "anvil_getAutomine", json!([])).await.unwrap(),
        json!(true)
    );
    call(&node, "evm_setAutomine", json!([false]))
        .await
        .unwrap();
    let to = Address::repeat_byte(0x42);
    let pending = p
        .send_transaction(
            TransactionRequest::default()
                .with_to(to)
                .with_value(U256::from(5)),
        )
        .await
        .unwrap();
    let hash = *pending.tx_hash();
    assert_eq!(p.get_block_number().await.unwrap(), 0);
    assert!(p.get_transaction_receipt(hash).await.unwrap().is_none());
    let tx = p.get_transaction_by_hash(hash).await.unwrap().unwrap();
    assert_eq!(tx.block_number, None, "pending transactions are visible");
    assert_eq!(
        p.get_transaction_count(devnode::DEV_ACCOUNT)
            .pending()
            .await
            .unwrap(),
        1,
        "the pending nonce counts pooled transactions"
    );
    call(&node, "evm_mine", json!([])).await.unwrap();
    let r = p.get_transaction_receipt(hash).await.unwrap().unwrap();
    assert_eq!(r.block_number, Some(1));
    assert_eq!(p.get_balance(to).await.unwrap(), U256::from(5));
}
