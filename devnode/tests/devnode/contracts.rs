//! Contracts (EVM bytecode assembled in the tests): deploy + call, logs and filters, reverts with
//! data, state overrides, gas estimation, the CREATE2 factory and the block environment.

use crate::common::*;
use alloy::network::TransactionBuilder;
use alloy::primitives::{address, keccak256, Address, Bytes, B256, U256};
use alloy::providers::Provider;
use alloy::rpc::types::{Filter, TransactionRequest};
use devnode::config::{BASE_FEE, DEV_ACCOUNT};
use serde_json::json;

#[tokio::test]
async fn deploy_call_and_store() {
    let node = node();
    let p = provider(&node, dev());
    let c = deploy(&p, &store_runtime()).await;
    assert_eq!(p.get_code_at(c).await.unwrap().to_vec(), store_runtime());

    let get = TransactionRequest::default().with_to(c);
    assert_eq!(p.call(get.clone()).await.unwrap(), word(0));
    let r = p
        .send_transaction(
            TransactionRequest::default()
                .with_to(c)
                .with_input(word(77)),
        )
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    assert!(r.status());
    assert_eq!(p.call(get.clone()).await.unwrap(), word(77));
    assert_eq!(
        p.get_storage_at(c, U256::ZERO).await.unwrap(),
        U256::from(77)
    );
    // The previous block still sees the old value (historical state by block tag).
    let before = r.block_number.unwrap() - 1;
    assert_eq!(
        p.call(get.clone()).block(before.into()).await.unwrap(),
        word(0)
    );
    assert_eq!(
        p.get_storage_at(c, U256::ZERO)
            .block_id(before.into())
            .await
            .unwrap(),
        U256::ZERO
    );
}

#[tokio::test]
async fn logs_filters_and_bloom() {
    let node = node();
    let p = provider(&node, dev());
    let c = deploy(&p, &store_runtime()).await;
    let other = deploy(&p, &store_runtime()).await;
    let log_filter = Filter::new().address(c).event_signature(set_topic());
    let filter_id = p.new_filter(&log_filter).await.unwrap();
    let block_filter = p.new_block_filter().await.unwrap();

    let mut blocks = vec![];
    for (target, x) in [(c, 10u64), (other, 11), (c, 12)] {
        let r = p
            .send_transaction(
                TransactionRequest::default()
                    .with_to(target)
                    .with_input(word(x)),
            )
            .await
            .unwrap()
            .get_receipt()
            .await
            .unwrap();
        assert_eq!(r.inner.logs().len(), 1);
        assert!(r
            .inner
            .logs_bloom()
            .contains_input(alloy::primitives::BloomInput::Raw(target.as_slice())));
        blocks.push(r.block_number.unwrap());
    }

    let all = p
        .get_logs(&Filter::new().event_signature(set_topic()).from_block(0))
        .await
        .unwrap();
    assert_eq!(all.len(), 3);
    let mine = p
        .get_logs(&Filter::new().address(c).from_block(0))
        .await
        .unwrap();
    assert_eq!(mine.len(), 2);
    assert_eq!(mine[0].data().data, word(10));
    assert_eq!(mine[1].data().data, word(12));
    assert_eq!(mine[1].block_number, Some(blocks[2]));
    let ranged = p
        .get_logs(&Filter::new().from_block(blocks[1]).to_block(blocks[1]))
        .await
        .unwrap();
    assert_eq!(ranged.len(), 1);
    assert_eq!(ranged[0].address(), other);
    let none = p
        .get_logs(
            &Filter::new()
                .event_signature(B256::repeat_byte(1))
                .from_block(0),
        )
        .await
        .unwrap();
    assert!(none.is_empty());
    let by_hash = p
        .get_logs(&Filter::new().at_block_hash(mine[0].block_hash.unwrap()))
        .await
        .unwrap();
    assert_eq!(by_hash.len(), 1);

    let changes: Vec<alloy::rpc::types::Log> = p.get_filter_changes(filter_id).await.unwrap();
    assert_eq!(changes.len(), 2);
    let again: Vec<alloy::rpc::types::Log> = p.get_filter_changes(filter_id).await.unwrap();
    assert!(again.is_empty(), "changes are reported once");
    let new_blocks: Vec<B256> = p.get_filter_changes(block_filter).await.unwrap();
    assert_eq!(new_blocks.len(), 3);
    assert!(p.uninstall_filter(filter_id).await.unwrap());
    assert!(!p.uninstall_filter(filter_id).await.unwrap());
    assert!(call(&node, "eth_getFilterChanges", json!([filter_id]))
        .await
        .is_err());
}

#[tokio::test]
async fn reverts_carry_their_data_in_calls_estimates_and_receipts() {
    let node = node();
    let p = provider(&node, dev());
    let c = deploy(&p, &store_runtime()).await;

    // Error(string) from eth_call.
    let e = p
        .call(TransactionRequest::default().with_to(c).with_input(word(0)))
        .await
        .unwrap_err();
    let (code, msg, data) = rpc_error(&e);
    assert_eq!(code, 3);
    assert_eq!(msg, "execution reverted: zero");
    assert!(data.unwrap().starts_with("0x08c379a0"));

    // Custom error from eth_call and eth_estimateGas.
    let custom = format!("0xdeadbeef{:064x}", 42);
    let e = p
        .call(TransactionRequest::default().with_to(c).with_input(word(1)))
        .await
        .unwrap_err();
    assert_eq!(
        rpc_error(&e),
        (3, "execution reverted".to_string(), Some(custom.clone()))
    );
    let e = p
        .estimate_gas(
            TransactionRequest::default()
                .from(DEV_ACCOUNT)
                .with_to(c)
                .with_input(word(1)),
        )
        .await
        .unwrap_err();
    assert_eq!(
        rpc_error(&e),
        (3, "execution reverted".to_string(), Some(custom))
    );

    // A halt is not a revert: its reason is in the message.
    let e = p
        .call(TransactionRequest::default().with_to(c).with_input(word(2)))
        .await
        .unwrap_err();
    let (code, msg, _) = rpc_error(&e);
    assert_eq!(code, -32000);
    assert!(msg.contains("invalid opcode"), "{msg}");

    // A reverting transaction is mined with status 0 and no logs.
    let tx = TransactionRequest::default()
        .with_to(c)
        .with_input(word(1))
        .with_gas_limit(100_000);
    let r = p
        .send_transaction(tx)
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    assert!(!r.status());
    assert!(r.inner.logs().is_empty());
    assert!(r.gas_used < 100_000, "a revert keeps the unused gas");
}

#[tokio::test]
async fn state_overrides_apply_to_calls_only() {
    let node = node();
    let p = provider(&node, dev());
    let c = deploy(&p, &store_runtime()).await;
    let get = json!({"to": c});
    let slot0 = format!("{:#066x}", 0);
    // stateDiff on a deployed contract.
    let out = call(&node, "eth_call", json!([get, "latest", {c.to_string(): {"stateDiff": {slot0.clone(): format!("{:#066x}", 5)}}}]))
        .await
        .unwrap();
    assert_eq!(out, json!(word(5)));
    // Code override on an empty address, with full state.
    let ghost = address!("0x0000000000000000000000000000000000000abc");
    let out = call(
        &node,
        "eth_call",
        json!([{"to": ghost}, "latest", {ghost.to_string(): {"code": Bytes::from(store_runtime()), "state": {slot0.clone(): format!("{:#066x}", 9)}}}]),
    )
    .await
    .unwrap();
    assert_eq!(out, json!(word(9)));
    // Balance and nonce overrides: a caller without funds sends value.
    let poor = address!("0x0000000000000000000000000000000000000def");
    let err = call(
        &node,
        "eth_call",
        json!([{"from": poor, "to": c, "value": "0x1"}, "latest"]),
    )
    .await
    .unwrap_err();
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("insufficient funds"),
        "{err}"
    );
    let ok = call(
        &node,
        "eth_call",
        json!([{"from": poor, "to": c, "value": "0x1"}, "latest", {poor.to_string(): {"balance": "0xffffffffffffffffffffffffffffffff", "nonce": "0x7"}}]),
    )
    .await;
    assert!(ok.is_ok(), "{ok:?}");
    // state + stateDiff together is rejected.
    let err = call(
        &node,
        "eth_call",
        json!([get, "latest", {c.to_string(): {"state": {}, "stateDiff": {}}}]),
    )
    .await
    .unwrap_err();
    assert_eq!(err["code"], -32602);
    // Nothing leaked into the chain.
    assert_eq!(p.get_storage_at(c, U256::ZERO).await.unwrap(), U256::ZERO);
    assert!(p.get_code_at(ghost).await.unwrap().is_empty());
    assert_eq!(p.get_balance(poor).await.unwrap(), U256::ZERO);
    assert_eq!(p.get_transaction_count(poor).await.unwrap(), 0);
    // Estimates accept overrides too.
    let est = call(&node, "eth_estimateGas", json!([{"to": ghost, "input": word(50)}, "latest", {ghost.to_string(): {"code": Bytes::from(store_runtime())}}]))
        .await
        .unwrap();
    let est = u64::from_str_radix(est.as_str().unwrap().trim_start_matches("0x"), 16).unwrap();
    assert!(
        est > 21_000 + 20_000,
        "an SSTORE to a fresh slot is estimated ({est})"
    );
}

#[tokio::test]
async fn estimate_gas_is_enough_and_tight() {
    let node = node();
    let p = provider(&node, dev());
    let c = deploy(&p, &store_runtime()).await;
    let tx = TransactionRequest::default()
        .from(DEV_ACCOUNT)
        .with_to(c)
        .with_input(word(99));
    let est = p.estimate_gas(tx.clone()).await.unwrap();
    let r = p
        .send_transaction(tx.clone().with_gas_limit(est))
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    assert!(r.status(), "the estimate suffices");
    assert!(
        est <= r.gas_used * 103 / 100 + 2300,
        "estimate {est} vs used {}",
        r.gas_used
    );
    // A plain transfer estimates to exactly 21000.
    let t = TransactionRequest::default()
        .from(DEV_ACCOUNT)
        .with_to(Address::repeat_byte(7))
        .with_value(U256::from(1));
    assert_eq!(p.estimate_gas(t).await.unwrap(), 21_000);
}

#[tokio::test]
async fn create2_factory_deploys_at_the_predicted_address() {
    let node = node();
    let p = provider(&node, dev());
    let factory = address!("0x4e59b44847b379578588920ca78fbf26c0b4956c");
    assert_eq!(p.get_code_at(factory).await.unwrap().len(), 69);
    let init = initcode(&store_runtime());
    let salt = B256::repeat_byte(0x11);
    let expected = factory.create2(salt, keccak256(&init));
    let mut data = salt.to_vec();
    data.extend_from_slice(&init);
    let returned = p
        .call(
            TransactionRequest::default()
                .with_to(factory)
                .with_input(data.clone()),
        )
        .await
        .unwrap();
    assert_eq!(returned.as_ref(), expected.as_slice());
    let r = p
        .send_transaction(
            TransactionRequest::default()
                .with_to(factory)
                .with_input(data),
        )
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    assert!(r.status());
    assert_eq!(
        p.get_code_at(expected).await.unwrap().to_vec(),
        store_runtime()
    );
}

#[tokio::test]
async fn number_is_the_l1_block_number_and_basefee_is_fixed() {
    let node = node();
    let p = provider(&node, dev());
    let c = deploy(&p, &env_runtime()).await;
    let block = call(&node, "eth_getBlockByNumber", json!(["latest", false]))
        .await
        .unwrap();
    // (alloy's provider sends eth_call for the pending block by default: ask for "latest")
    let out = p
        .call(TransactionRequest::default().with_to(c))
        .latest()
        .await
        .unwrap();
    let ts = U256::from_be_slice(&out[0..32]);
    let number = U256::from_be_slice(&out[32..64]);
    let basefee = U256::from_be_slice(&out[64..96]);
    let hex = |v: &serde_json::Value| {
        U256::from_str_radix(v.as_str().unwrap().trim_start_matches("0x"), 16).unwrap()
    };
    assert_eq!(ts, hex(&block["timestamp"]));
    assert_eq!(
        number,
        hex(&block["l1BlockNumber"]),
        "NUMBER returns the (simulated) L1 block number"
    );
    assert_eq!(basefee, U256::from(BASE_FEE));
    // The pending block is the next one: one second later at least.
    let pending = p
        .call(TransactionRequest::default().with_to(c))
        .pending()
        .await
        .unwrap();
    assert!(U256::from_be_slice(&pending[0..32]) > ts);
    // ArbSys.arbBlockNumber() returns the L2 number.
    let arbsys = address!("0x0000000000000000000000000000000000000064");
    let out = p
        .call(
            TransactionRequest::default()
                .with_to(arbsys)
                .with_input(Bytes::from_static(&[0xa3, 0xb1, 0xb3, 0x1d])),
        )
        .latest()
        .await
        .unwrap();
    assert_eq!(U256::from_be_slice(&out), hex(&block["number"]));
}

#[tokio::test]
async fn mined_transactions_replay_on_their_exact_pre_state() {
    let node = node();
    let p = provider(&node, dev());
    let c = deploy(&p, &store_runtime()).await;
    let mut hashes = vec![];
    for x in [3u64, 4] {
        let r = p
            .send_transaction(TransactionRequest::default().with_to(c).with_input(word(x)))
            .await
            .unwrap()
            .get_receipt()
            .await
            .unwrap();
        hashes.push((r.transaction_hash, r.gas_used));
    }
    for (hash, gas_used) in hashes {
        let replayed = node
            .chain()
            .exec(move |chain| chain.replay(hash))
            .await
            .unwrap();
        assert!(replayed.result.is_success());
        assert_eq!(
            replayed.result.tx_gas_used(),
            gas_used,
            "same gas as when mined"
        );
    }
    // Replaying changed nothing.
    assert_eq!(
        p.get_storage_at(c, U256::ZERO).await.unwrap(),
        U256::from(4)
    );
}
