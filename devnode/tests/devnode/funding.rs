//! Funding thousands of fresh accounts: a suite that gives 5,000 new accounts 1 ETH each from the
//! dev accounts (all of them at once, one client per funder) gets every transfer mined, every
//! balance right and the funders charged exactly value + fees; a sample of the new accounts can
//! transact. With `--balance` the dev account alone funds them all.

use crate::common::*;
use alloy::consensus::{SignableTransaction, TxEip1559, TxEnvelope};
use alloy::eips::eip2718::Encodable2718;
use alloy::network::TxSignerSync;
use alloy::primitives::{keccak256, Address, TxKind, U256};
use alloy::providers::Provider;
use alloy::signers::local::PrivateKeySigner;
use devnode::config::BASE_FEE;
use devnode::{DevnodeConfig, DevnodeHandle};
use serde_json::{json, Value};

const FRESH: usize = 5_000;
const ETH: u128 = 1_000_000_000_000_000_000;

fn fresh_key(i: usize) -> PrivateKeySigner {
    PrivateKeySigner::from_bytes(&keccak256(format!("fresh account {i}"))).unwrap()
}

fn transfer(key: &PrivateKeySigner, chain_id: u64, nonce: u64, to: Address, value: U256) -> String {
    let mut tx = TxEip1559 {
        chain_id,
        nonce,
        gas_limit: 21_000,
        max_fee_per_gas: BASE_FEE as u128 * 2,
        max_priority_fee_per_gas: 0,
        to: TxKind::Call(to),
        value,
        access_list: Default::default(),
        input: Default::default(),
    };
    let sig = key.sign_transaction_sync(&mut tx).unwrap();
    let env: TxEnvelope = tx.into_signed(sig).into();
    alloy::hex::encode_prefixed(env.encoded_2718())
}

/// JSON-RPC batch of `eth_getBalance` for `who` (1,000 per request, the batch limit is 1,024).
async fn balances(node: &DevnodeHandle, who: &[Address]) -> Vec<U256> {
    let mut out = Vec::new();
    for chunk in who.chunks(1_000) {
        let batch: Vec<Value> = chunk
            .iter()
            .enumerate()
            .map(|(i, a)| json!({"jsonrpc":"2.0","id":i,"method":"eth_getBalance","params":[a,"latest"]}))
            .collect();
        let (status, v) = raw(node, &Value::Array(batch).to_string()).await;
        assert_eq!(status, 200);
        let mut replies = v.as_array().unwrap().clone();
        replies.sort_by_key(|r| r["id"].as_u64().unwrap());
        out.extend(
            replies
                .iter()
                .map(|r| serde_json::from_value::<U256>(r["result"].clone()).unwrap()),
        );
    }
    out
}

/// Funds the fresh accounts from `funders` (one concurrent client each); returns the hashes.
async fn fund(node: &DevnodeHandle, funders: &[PrivateKeySigner], value: U256) -> Vec<String> {
    let chain_id = node.chain_id();
    let per = FRESH.div_ceil(funders.len());
    let mut tasks = Vec::new();
    for (f, key) in funders.iter().enumerate() {
        // The dev account starts after nitro-devnode's start-up transactions.
        let first = if key.address() == devnode::DEV_ACCOUNT {
            devnode::DEV_ACCOUNT_GENESIS_NONCE
        } else {
            0
        };
        let raws: Vec<String> = (f * per..((f + 1) * per).min(FRESH))
            .enumerate()
            .map(|(n, i)| {
                transfer(
                    key,
                    chain_id,
                    first + n as u64,
                    fresh_key(i).address(),
                    value,
                )
            })
            .collect();
        let url = node.url().to_string();
        tasks.push(tokio::spawn(async move {
            let http = reqwest::Client::new();
            let mut hashes = Vec::new();
            for raw in raws {
                let body = json!({"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":[raw]});
                let v: Value = serde_json::from_str(
                    &http
                        .post(&url)
                        .header("content-type", "application/json")
                        .body(body.to_string())
                        .send()
                        .await
                        .unwrap()
                        .text()
                        .await
                        .unwrap(),
                )
                .unwrap();
                assert!(v.get("error").is_none(), "funding failed: {v}");
                hashes.push(v["result"].as_str().unwrap().to_string());
            }
            hashes
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all
}

async fn check(node: &DevnodeHandle, funders: &[PrivateKeySigner], value: U256) {
    let funder_addrs: Vec<Address> = funders.iter().map(|k| k.address()).collect();
    let before: U256 = balances(node, &funder_addrs).await.into_iter().sum();
    let hashes = fund(node, funders, value).await;
    assert_eq!(hashes.len(), FRESH);
    // Every receipt is there and successful.
    for h in hashes.iter().step_by(97) {
        let r = call(node, "eth_getTransactionReceipt", json!([h]))
            .await
            .unwrap();
        assert_eq!(r["status"], "0x1", "{h}");
    }
    let fresh: Vec<Address> = (0..FRESH).map(|i| fresh_key(i).address()).collect();
    let got = balances(node, &fresh).await;
    assert!(
        got.iter().all(|b| *b == value),
        "every fresh account got {value}"
    );
    let after: U256 = balances(node, &funder_addrs).await.into_iter().sum();
    let fees = U256::from(FRESH as u64 * 21_000 * BASE_FEE);
    assert_eq!(before - after, value * U256::from(FRESH) + fees);
    // A sample of the new accounts transacts.
    let chain_id = node.chain_id();
    for i in (0..FRESH).step_by(250) {
        let raw = transfer(
            &fresh_key(i),
            chain_id,
            0,
            Address::repeat_byte(0x42),
            U256::from(1),
        );
        call(node, "eth_sendRawTransaction", json!([raw]))
            .await
            .unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn five_thousand_fresh_accounts_from_the_dev_accounts() {
    let node = node();
    let funders: Vec<PrivateKeySigner> = node.accounts().iter().map(|a| a.signer.clone()).collect();
    assert_eq!(funders.len(), 11);
    check(&node, &funders, U256::from(ETH)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_dev_account_alone_with_a_larger_balance() {
    let million = U256::from(ETH) * U256::from(1_000_000u64);
    let node = node_with(DevnodeConfig {
        balance: Some(million),
        ..Default::default()
    });
    assert_eq!(
        reader(&node).get_balance(dev().address()).await.unwrap(),
        million
    );
    // 5,000 ETH: five times what the dev account has by default.
    check(&node, &[dev()], U256::from(ETH)).await;
}
