//! Transfers and transaction validation through a real alloy provider with a local signer.

use crate::common::*;
use alloy::consensus::{SignableTransaction, TxEip1559, TxEip2930, TxEnvelope, TxLegacy};
use alloy::eips::eip2718::Encodable2718;
use alloy::network::{TransactionBuilder, TxSignerSync};
use alloy::primitives::{address, Address, Bytes, TxKind, U256};
use alloy::providers::Provider;
use alloy::rpc::types::TransactionRequest;
use alloy::signers::local::PrivateKeySigner;
use devnode::config::{BASE_FEE, DEV_ACCOUNT, DEV_ACCOUNT_BALANCE};

/// The dev account's first nonce (nitro-devnode's start-up transactions came first).
const N0: u64 = devnode::DEV_ACCOUNT_GENESIS_NONCE;

const BOB: Address = address!("0x000000000000000000000000000000000000b0b0");

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

#[tokio::test]
async fn eip1559_transfer_charges_exactly_gas_times_basefee_plus_value() {
    let node = node();
    let p = provider(&node, dev());
    assert_eq!(p.get_chain_id().await.unwrap(), 412_346);
    assert_eq!(
        p.get_balance(DEV_ACCOUNT).await.unwrap(),
        DEV_ACCOUNT_BALANCE
    );
    let head0 = p.get_block_number().await.unwrap();

    let value = U256::from(1_234_567_890u64);
    let tx = TransactionRequest::default().with_to(BOB).with_value(value);
    let receipt = p
        .send_transaction(tx)
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    assert!(receipt.status());
    assert_eq!(receipt.gas_used, 21_000);
    assert_eq!(receipt.effective_gas_price, BASE_FEE as u128);
    assert_eq!(
        receipt.block_number,
        Some(head0 + 1),
        "one block per transaction"
    );
    assert_eq!(p.get_block_number().await.unwrap(), head0 + 1);
    assert_eq!(p.get_balance(BOB).await.unwrap(), value);
    let spent = U256::from(21_000u64 * BASE_FEE) + value;
    assert_eq!(
        p.get_balance(DEV_ACCOUNT).await.unwrap(),
        DEV_ACCOUNT_BALANCE - spent
    );
    assert_eq!(p.get_transaction_count(DEV_ACCOUNT).await.unwrap(), N0 + 1);

    // The receipt carries Arbitrum's extra fields; the transaction and block are queryable.
    let raw = call(
        &node,
        "eth_getTransactionReceipt",
        serde_json::json!([receipt.transaction_hash]),
    )
    .await
    .unwrap();
    assert_eq!(raw["gasUsedForL1"], "0x0");
    assert!(raw["l1BlockNumber"].as_str().unwrap().starts_with("0x"));
    let tx = p
        .get_transaction_by_hash(receipt.transaction_hash)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(tx.block_number, Some(head0 + 1));
    let block = p
        .get_block_by_number((head0 + 1).into())
        .full()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(block.transactions.len(), 1);
    assert_eq!(block.header.hash, receipt.block_hash.unwrap());
    assert_eq!(block.header.base_fee_per_gas, Some(BASE_FEE));
    assert_eq!(block.header.gas_limit, 1 << 50);
}

#[tokio::test]
async fn legacy_eip2930_and_pre_eip155_transactions_are_accepted() {
    let node = node();
    let p = reader(&node);
    let key = dev();
    let legacy = TxLegacy {
        chain_id: Some(412_346),
        nonce: N0,
        gas_price: BASE_FEE as u128 * 3,
        gas_limit: 21_000,
        to: TxKind::Call(BOB),
        value: U256::from(1),
        input: Bytes::new(),
    };
    let r = p
        .send_raw_transaction(&signed(&key, legacy))
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    assert!(r.status());
    // Arbitrum drops the tip: a legacy sender pays the base fee only.
    assert_eq!(r.effective_gas_price, BASE_FEE as u128);

    let eip2930 = TxEip2930 {
        chain_id: 412_346,
        nonce: N0 + 1,
        gas_price: BASE_FEE as u128,
        gas_limit: 30_000,
        to: TxKind::Call(BOB),
        value: U256::from(2),
        input: Bytes::new(),
        access_list: Default::default(),
    };
    assert!(p
        .send_raw_transaction(&signed(&key, eip2930))
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap()
        .status());

    // Pre-EIP-155 (no chain id in the signature), as the CREATE2 factory deployment uses.
    let unprotected = TxLegacy {
        chain_id: None,
        nonce: N0 + 2,
        gas_price: BASE_FEE as u128,
        gas_limit: 21_000,
        to: TxKind::Call(BOB),
        value: U256::from(4),
        input: Bytes::new(),
    };
    let r = p
        .send_raw_transaction(&signed(&key, unprotected))
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    assert!(r.status());
    let tx = p
        .get_transaction_by_hash(r.transaction_hash)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(alloy::consensus::Transaction::chain_id(&tx), None);
    assert_eq!(p.get_balance(BOB).await.unwrap(), U256::from(7));
}

#[tokio::test]
async fn invalid_transactions_get_geth_style_errors_and_change_nothing() {
    let node = node();
    let p = reader(&node);
    let key = dev();
    let tx = |nonce: u64, chain_id: u64, value: U256| TxEip1559 {
        chain_id,
        nonce,
        gas_limit: 21_000,
        max_fee_per_gas: BASE_FEE as u128,
        max_priority_fee_per_gas: 0,
        to: TxKind::Call(BOB),
        value,
        access_list: Default::default(),
        input: Bytes::new(),
    };
    p.send_raw_transaction(&signed(&key, tx(N0, 412_346, U256::from(1))))
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    let head = p.get_block_number().await.unwrap();

    // Nonce too low.
    let e = p
        .send_raw_transaction(&signed(&key, tx(N0, 412_346, U256::from(1))))
        .await
        .unwrap_err();
    let (code, msg, _) = rpc_error(&e);
    assert_eq!(code, -32000);
    assert!(
        msg.contains("already known") || msg.starts_with("nonce too low"),
        "{msg}"
    );
    let e = p
        .send_raw_transaction(&signed(&key, tx(N0, 412_346, U256::from(2))))
        .await
        .unwrap_err();
    assert!(
        rpc_error(&e).1.starts_with("nonce too low"),
        "{:?}",
        rpc_error(&e)
    );

    // Wrong chain id.
    let e = p
        .send_raw_transaction(&signed(&key, tx(N0 + 1, 1, U256::from(1))))
        .await
        .unwrap_err();
    assert!(rpc_error(&e).1.contains("chain id"), "{:?}", rpc_error(&e));

    // Insufficient funds.
    let poor = PrivateKeySigner::random();
    let e = p
        .send_raw_transaction(&signed(&poor, tx(0, 412_346, U256::from(1))))
        .await
        .unwrap_err();
    let (code, msg, _) = rpc_error(&e);
    assert_eq!(code, -32000);
    assert!(
        msg.starts_with("insufficient funds for gas * price + value"),
        "{msg}"
    );

    // Max fee below the base fee.
    let mut cheap = tx(N0 + 1, 412_346, U256::from(1));
    cheap.max_fee_per_gas = 1;
    let e = p
        .send_raw_transaction(&signed(&key, cheap))
        .await
        .unwrap_err();
    assert!(
        rpc_error(&e).1.contains("less than block base fee"),
        "{:?}",
        rpc_error(&e)
    );

    // Intrinsic gas too low.
    let mut low = tx(N0 + 1, 412_346, U256::from(1));
    low.gas_limit = 20_000;
    let e = p
        .send_raw_transaction(&signed(&key, low))
        .await
        .unwrap_err();
    assert!(
        rpc_error(&e).1.starts_with("intrinsic gas too low"),
        "{:?}",
        rpc_error(&e)
    );

    // Above the 32M per-transaction cap.
    let mut big = tx(N0 + 1, 412_346, U256::from(1));
    big.gas_limit = 32_000_001;
    let e = p
        .send_raw_transaction(&signed(&key, big))
        .await
        .unwrap_err();
    assert!(
        rpc_error(&e).1.contains("max transaction gas limit"),
        "{:?}",
        rpc_error(&e)
    );

    // Garbage and a corrupted signature.
    let e = p
        .send_raw_transaction(&[0x02, 0xc0, 0x01])
        .await
        .unwrap_err();
    assert_eq!(rpc_error(&e).0, -32602);
    let mut bytes = signed(&key, tx(N0 + 1, 412_346, U256::from(1))).to_vec();
    let n = bytes.len();
    bytes[n - 20] ^= 0xff; // inside s
    bytes[n - 40] ^= 0xff; // inside r
    match p.send_raw_transaction(&bytes).await {
        Err(e) => assert_eq!(rpc_error(&e).0, -32000),
        // A corrupted signature may still recover to some (unfunded) address.
        Ok(_) => panic!("corrupted signature must not be accepted from a funded account"),
    }

    // Nothing was mined and the dev account is unchanged.
    assert_eq!(p.get_block_number().await.unwrap(), head);
    assert_eq!(p.get_transaction_count(DEV_ACCOUNT).await.unwrap(), N0 + 1);
}

#[tokio::test]
async fn future_nonce_waits_for_the_gap_then_both_are_mined() {
    let node = node();
    let url = node.url().to_string();
    let key = dev();
    let mk = |n: u64| {
        let nonce = N0 + n;
        let tx = TxEip1559 {
            chain_id: 412_346,
            nonce,
            gas_limit: 21_000,
            max_fee_per_gas: BASE_FEE as u128,
            max_priority_fee_per_gas: 0,
            to: TxKind::Call(BOB),
            value: U256::from(1),
            access_list: Default::default(),
            input: Bytes::new(),
        };
        signed(&key, tx)
    };
    let (one, zero) = (mk(1), mk(0));
    let late = tokio::spawn({
        let url = url.clone();
        async move {
            let p = alloy::providers::ProviderBuilder::new().connect_http(url.parse().unwrap());
            p.send_raw_transaction(&one).await.map(|t| *t.tx_hash())
        }
    });
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let p = reader(&node);
    let _pending = p.send_raw_transaction(&zero).await.unwrap();
    late.await.unwrap().unwrap();
    assert_eq!(p.get_transaction_count(DEV_ACCOUNT).await.unwrap(), N0 + 2);

    // A gap that is never filled is rejected after a short wait.
    let e = p.send_raw_transaction(&mk(5)).await.unwrap_err();
    assert!(
        rpc_error(&e).1.starts_with("nonce too high"),
        "{:?}",
        rpc_error(&e)
    );
}

#[tokio::test]
async fn send_transaction_signs_for_dev_accounts_and_impersonated_ones() {
    let node = node();
    let p = reader(&node);
    let accounts = p.get_accounts().await.unwrap();
    assert_eq!(accounts[0], DEV_ACCOUNT);
    assert_eq!(
        accounts[1],
        address!("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")
    );

    let hash = call(
        &node,
        "eth_sendTransaction",
        serde_json::json!([{"from": accounts[1], "to": BOB, "value": "0x10"}]),
    )
    .await
    .unwrap();
    let receipt = call(
        &node,
        "eth_getTransactionReceipt",
        serde_json::json!([hash]),
    )
    .await
    .unwrap();
    assert_eq!(receipt["status"], "0x1");
    assert_eq!(p.get_balance(BOB).await.unwrap(), U256::from(16));

    // An unknown account needs impersonation.
    let whale = address!("0x00000000000000000000000000000000000000aa");
    call(
        &node,
        "anvil_setBalance",
        serde_json::json!([whale, "0xde0b6b3a7640000"]),
    )
    .await
    .unwrap();
    let e = call(
        &node,
        "eth_sendTransaction",
        serde_json::json!([{"from": whale, "to": BOB, "value": "0x1"}]),
    )
    .await
    .unwrap_err();
    assert!(e["message"].as_str().unwrap().contains("no signer"), "{e}");
    call(
        &node,
        "anvil_impersonateAccount",
        serde_json::json!([whale]),
    )
    .await
    .unwrap();
    let hash = call(
        &node,
        "eth_sendTransaction",
        serde_json::json!([{"from": whale, "to": BOB, "value": "0x1"}]),
    )
    .await
    .unwrap();
    let tx = call(&node, "eth_getTransactionByHash", serde_json::json!([hash]))
        .await
        .unwrap();
    assert_eq!(
        tx["from"].as_str().unwrap().to_lowercase(),
        format!("{whale:#x}")
    );
    assert_eq!(p.get_balance(BOB).await.unwrap(), U256::from(17));
    call(
        &node,
        "anvil_stopImpersonatingAccount",
        serde_json::json!([whale]),
    )
    .await
    .unwrap();
    assert!(call(
        &node,
        "eth_sendTransaction",
        serde_json::json!([{"from": whale, "to": BOB}])
    )
    .await
    .is_err());
}
