//! Node information methods as wallets and alloy use them, and manual mining.

use crate::common::*;
use alloy::eips::BlockNumberOrTag;
use alloy::network::TransactionBuilder;
use alloy::primitives::{Address, U256};
use alloy::providers::Provider;
use alloy::rpc::types::TransactionRequest;
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
        devnode::DEV_ACCOUNT_GENESIS_NONCE + 1,
        "the pending nonce counts pooled transactions"
    );
    call(&node, "evm_mine", json!([])).await.unwrap();
    let r = p.get_transaction_receipt(hash).await.unwrap().unwrap();
    assert_eq!(r.block_number, Some(1));
    assert_eq!(p.get_balance(to).await.unwrap(), U256::from(5));
}

/// `eth_call`s a parameterless view of a precompile and returns the 32-byte result word as a u64.
async fn precompile_view(node: &devnode::DevnodeHandle, to: &str, selector: &str) -> u64 {
    let out = call(
        node,
        "eth_call",
        json!([{"to": to, "data": selector}, "latest"]),
    )
    .await
    .unwrap();
    let hex = out.as_str().unwrap().trim_start_matches("0x");
    assert_eq!(hex.len(), 64, "one ABI word: {hex}");
    u64::from_str_radix(&hex[48..], 16).unwrap()
}

#[tokio::test]
async fn arbos_version_and_stack_depth_are_configurable() {
    const ARB_SYS: &str = "0x0000000000000000000000000000000000000064";
    const ARB_WASM: &str = "0x0000000000000000000000000000000000000071";
    const ARB_OS_VERSION: &str = "0x051038f2";
    const MAX_STACK_DEPTH: &str = "0x8ccfaa70";
    // Defaults: ArbOS 51 (ArbSys reports 55 + version) and 22 000 words.
    let node = node();
    assert_eq!(precompile_view(&node, ARB_SYS, ARB_OS_VERSION).await, 106);
    assert_eq!(
        precompile_view(&node, ARB_WASM, MAX_STACK_DEPTH).await,
        22_000
    );
    // nitro-devnode's v3.7.1 image runs ArbOS 40, whose stack budget is 262 144 words.
    let old = node_with(devnode::DevnodeConfig {
        arbos_version: 40,
        max_stack_depth: devnode::config::default_max_stack_depth(40),
        ..devnode::DevnodeConfig::default()
    });
    assert_eq!(precompile_view(&old, ARB_SYS, ARB_OS_VERSION).await, 95);
    assert_eq!(
        precompile_view(&old, ARB_WASM, MAX_STACK_DEPTH).await,
        262_144
    );
    // An explicit depth wins.
    let custom = node_with(devnode::DevnodeConfig {
        max_stack_depth: 50_000,
        ..devnode::DevnodeConfig::default()
    });
    assert_eq!(
        precompile_view(&custom, ARB_WASM, MAX_STACK_DEPTH).await,
        50_000
    );
}
