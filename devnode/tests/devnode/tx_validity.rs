//! Transaction-validity rules beyond nonce/funds/gas (see `transactions.rs`), each through every
//! path that can carry it: `eth_sendRawTransaction`, `eth_sendTransaction`, `eth_call` and
//! `eth_estimateGas`. geth, Nitro and anvil reject all of these; nothing may be mined.

use crate::common::*;
use alloy::consensus::{
    SignableTransaction, TxEip1559, TxEip2930, TxEip4844, TxEip4844Variant, TxEip7702, TxEnvelope,
};
use alloy::eips::eip2718::Encodable2718;
use alloy::eips::eip7702::{Authorization, SignedAuthorization};
use alloy::network::TxSignerSync;
use alloy::primitives::{address, Address, Bytes, TxKind, B256, U256};
use alloy::providers::Provider;
use alloy::signers::local::PrivateKeySigner;
use alloy::signers::SignerSync;
use devnode::config::{BASE_FEE, DEV_ACCOUNT};
use serde_json::json;

const BOB: Address = address!("0x000000000000000000000000000000000000b0b0");
const CHAIN: u64 = 412_346;
const TIP_ABOVE_CAP: &str = "max priority fee per gas higher than max fee per gas";

fn signed<T: SignableTransaction<alloy::primitives::Signature>>(
    signer: &PrivateKeySigner,
    mut tx: T,
) -> Bytes
where
    alloy::consensus::Signed<T>: Into<TxEnvelope>,
{
    let sig = signer.sign_transaction_sync(&mut tx).unwrap();
    let env: TxEnvelope = tx.into_signed(sig).into();
    env.encoded_2718().into()
}

/// The dev account's first nonce (nitro-devnode's start-up transactions came first).
const N0: u64 = devnode::DEV_ACCOUNT_GENESIS_NONCE;

fn eip1559(nonce: u64) -> TxEip1559 {
    TxEip1559 {
        chain_id: CHAIN,
        nonce,
        gas_limit: 100_000,
        max_fee_per_gas: BASE_FEE as u128 * 2,
        max_priority_fee_per_gas: 0,
        to: TxKind::Call(BOB),
        value: U256::from(1),
        access_list: Default::default(),
        input: Bytes::new(),
    }
}

async fn send_raw(
    node: &devnode::DevnodeHandle,
    raw: &Bytes,
) -> Result<serde_json::Value, serde_json::Value> {
    call(node, "eth_sendRawTransaction", json!([raw])).await
}

fn message(e: &serde_json::Value) -> String {
    e["message"].as_str().unwrap_or_default().to_string()
}

/// Head and dev nonce before; asserts nothing changed after.
struct Unchanged {
    head: u64,
    nonce: u64,
}

impl Unchanged {
    async fn take(node: &devnode::DevnodeHandle) -> Self {
        let p = reader(node);
        Self {
            head: p.get_block_number().await.unwrap(),
            nonce: p.get_transaction_count(DEV_ACCOUNT).await.unwrap(),
        }
    }

    async fn check(&self, node: &devnode::DevnodeHandle) {
        let p = reader(node);
        assert_eq!(
            p.get_block_number().await.unwrap(),
            self.head,
            "nothing mined"
        );
        assert_eq!(
            p.get_transaction_count(DEV_ACCOUNT).await.unwrap(),
            self.nonce,
            "no nonce used"
        );
    }
}

#[tokio::test]
async fn priority_fee_above_the_fee_cap_is_rejected_on_every_path() {
    let node = node();
    let key = dev();
    let before = Unchanged::take(&node).await;

    // EIP-1559 raw transaction.
    let mut tx = eip1559(N0);
    tx.max_fee_per_gas = BASE_FEE as u128 * 2;
    tx.max_priority_fee_per_gas = BASE_FEE as u128 * 3;
    let e = send_raw(&node, &signed(&key, tx)).await.unwrap_err();
    assert_eq!(e["code"], -32000, "{e}");
    assert!(message(&e).starts_with(TIP_ABOVE_CAP), "{e}");
    assert!(message(&e).contains(&DEV_ACCOUNT.to_string()), "{e}");

    // EIP-7702 shares the fee fields and the rule.
    let auth = Authorization {
        chain_id: U256::from(CHAIN),
        address: BOB,
        nonce: N0 + 1,
    };
    let sig = key.sign_hash_sync(&auth.signature_hash()).unwrap();
    let tx7702 = TxEip7702 {
        chain_id: CHAIN,
        nonce: N0,
        gas_limit: 100_000,
        max_fee_per_gas: BASE_FEE as u128,
        max_priority_fee_per_gas: BASE_FEE as u128 + 1,
        to: BOB,
        value: U256::ZERO,
        access_list: Default::default(),
        authorization_list: vec![SignedAuthorization::new_unchecked(
            auth,
            sig.v() as u8,
            sig.r(),
            sig.s(),
        )],
        input: Bytes::new(),
    };
    let e = send_raw(&node, &signed(&key, tx7702)).await.unwrap_err();
    assert!(message(&e).starts_with(TIP_ABOVE_CAP), "{e}");

    // eth_sendTransaction (signed by the node), eth_call and eth_estimateGas.
    let req = json!({
        "from": DEV_ACCOUNT, "to": BOB, "value": "0x1",
        "maxFeePerGas": format!("{:#x}", BASE_FEE), "maxPriorityFeePerGas": format!("{:#x}", BASE_FEE + 1),
    });
    for method in ["eth_sendTransaction", "eth_call", "eth_estimateGas"] {
        let e = call(&node, method, json!([req])).await.unwrap_err();
        assert_eq!(e["code"], -32000, "{method}: {e}");
        assert!(message(&e).starts_with(TIP_ABOVE_CAP), "{method}: {e}");
    }
    // With gas given, eth_sendTransaction skips the estimate and still refuses.
    let mut with_gas = req.clone();
    with_gas["gas"] = json!("0x5208");
    let e = call(&node, "eth_sendTransaction", json!([with_gas]))
        .await
        .unwrap_err();
    assert!(message(&e).starts_with(TIP_ABOVE_CAP), "{e}");
    before.check(&node).await;

    // Equal tip and cap is valid (and the tip is dropped: the sender pays the base fee).
    let mut ok = eip1559(N0);
    ok.max_fee_per_gas = BASE_FEE as u128 * 2;
    ok.max_priority_fee_per_gas = BASE_FEE as u128 * 2;
    send_raw(&node, &signed(&key, ok)).await.unwrap();
    // A tip alone (no fee cap) through eth_sendTransaction gets a cap above it.
    let tip_only = json!({"from": DEV_ACCOUNT, "to": BOB, "maxPriorityFeePerGas": "0x3b9aca00"});
    call(&node, "eth_sendTransaction", json!([tip_only]))
        .await
        .unwrap();
}

#[tokio::test]
async fn eip2930_and_legacy_prices_below_the_base_fee_are_rejected() {
    let node = node();
    let key = dev();
    let before = Unchanged::take(&node).await;
    let tx = TxEip2930 {
        chain_id: CHAIN,
        nonce: N0,
        gas_price: BASE_FEE as u128 - 1,
        gas_limit: 30_000,
        to: TxKind::Call(BOB),
        value: U256::from(1),
        access_list: Default::default(),
        input: Bytes::new(),
    };
    let e = send_raw(&node, &signed(&key, tx.clone()))
        .await
        .unwrap_err();
    assert!(message(&e).contains("less than block base fee"), "{e}");
    // EIP-2930 with the wrong chain id.
    let mut wrong = tx.clone();
    wrong.chain_id = 1;
    wrong.gas_price = BASE_FEE as u128;
    let e = send_raw(&node, &signed(&key, wrong)).await.unwrap_err();
    assert!(message(&e).contains("invalid chain id"), "{e}");
    before.check(&node).await;
    // At the base fee it is mined (its access list is charged as intrinsic gas).
    let mut good = tx;
    good.gas_price = BASE_FEE as u128;
    good.access_list =
        alloy::eips::eip2930::AccessList(vec![alloy::eips::eip2930::AccessListItem {
            address: BOB,
            storage_keys: vec![B256::ZERO],
        }]);
    let hash = send_raw(&node, &signed(&key, good)).await.unwrap();
    let receipt = call(&node, "eth_getTransactionReceipt", json!([hash]))
        .await
        .unwrap();
    // 21,000 + 2,400 per address + 1,900 per key.
    assert_eq!(receipt["gasUsed"], "0x62d4"); // 25,300
}

#[tokio::test]
async fn eip7702_needs_a_non_empty_authorization_list() {
    let node = node();
    let key = dev();
    let before = Unchanged::take(&node).await;
    let tx = TxEip7702 {
        chain_id: CHAIN,
        nonce: N0,
        gas_limit: 100_000,
        max_fee_per_gas: BASE_FEE as u128,
        max_priority_fee_per_gas: 0,
        to: BOB,
        value: U256::ZERO,
        access_list: Default::default(),
        authorization_list: vec![],
        input: Bytes::new(),
    };
    let e = send_raw(&node, &signed(&key, tx)).await.unwrap_err();
    assert_eq!(e["code"], -32000, "{e}");
    assert_eq!(message(&e), "EIP-7702 transaction with empty auth list");
    before.check(&node).await;
}

#[tokio::test]
async fn initcode_above_49152_bytes_is_rejected_everywhere() {
    let node = node();
    let key = dev();
    let before = Unchanged::take(&node).await;
    // EIP-3860: initcode is limited to 2 × 24,576 bytes.
    let too_big = Bytes::from(vec![0u8; 49_153]);
    let mut tx = eip1559(N0);
    tx.to = TxKind::Create;
    tx.value = U256::ZERO;
    tx.gas_limit = 10_000_000;
    tx.input = too_big.clone();
    let e = send_raw(&node, &signed(&key, tx.clone()))
        .await
        .unwrap_err();
    assert_eq!(e["code"], -32000, "{e}");
    assert!(message(&e).starts_with("max initcode size exceeded"), "{e}");
    let req = json!({"from": DEV_ACCOUNT, "input": too_big, "gas": "0x989680"});
    for method in ["eth_call", "eth_estimateGas", "eth_sendTransaction"] {
        let e = call(&node, method, json!([req])).await.unwrap_err();
        assert!(
            message(&e).starts_with("max initcode size exceeded"),
            "{method}: {e}"
        );
    }
    before.check(&node).await;
    // Exactly at the limit is fine (zero bytes are STOPs: an empty contract).
    tx.input = Bytes::from(vec![0u8; 49_152]);
    send_raw(&node, &signed(&key, tx)).await.unwrap();
}

#[tokio::test]
async fn blob_transactions_and_blob_fields_are_refused() {
    let node = node();
    let key = dev();
    let before = Unchanged::take(&node).await;
    let blob = TxEip4844 {
        chain_id: CHAIN,
        nonce: N0,
        gas_limit: 100_000,
        max_fee_per_gas: BASE_FEE as u128,
        max_priority_fee_per_gas: 0,
        to: BOB,
        value: U256::ZERO,
        access_list: Default::default(),
        blob_versioned_hashes: vec![B256::with_last_byte(1)],
        max_fee_per_blob_gas: 1,
        input: Bytes::new(),
    };
    let mut unsigned =
        TxEip4844Variant::<alloy::eips::eip4844::BlobTransactionSidecar>::TxEip4844(blob);
    let sig = key.sign_transaction_sync(&mut unsigned).unwrap();
    let env: TxEnvelope = unsigned.into_signed(sig).into();
    let raw: Bytes = env.encoded_2718().into();
    let e = send_raw(&node, &raw).await.unwrap_err();
    assert!(message(&e).contains("EIP-4844"), "{e}");
    for field in [
        json!({"blobVersionedHashes": [B256::with_last_byte(1)]}),
        json!({"maxFeePerBlobGas": "0x1"}),
    ] {
        let mut req = json!({"from": DEV_ACCOUNT, "to": BOB});
        for (k, v) in field.as_object().unwrap() {
            req[k] = v.clone();
        }
        for method in ["eth_call", "eth_estimateGas", "eth_sendTransaction"] {
            let e = call(&node, method, json!([req])).await.unwrap_err();
            assert!(message(&e).contains("EIP-4844"), "{method} {req}: {e}");
        }
    }
    before.check(&node).await;
}
