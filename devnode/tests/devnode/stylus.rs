//! A Stylus program end to end through JSON-RPC: deploy (EIP-3541 exemption), data-fee quote with
//! state overrides (the cargo-stylus flow), activation, calls, and activation failures in the
//! error message.

use crate::common::*;
use alloy::network::TransactionBuilder;
use alloy::primitives::{keccak256, Address, Bytes, U256};
use alloy::providers::Provider;
use alloy::rpc::types::TransactionRequest;
use serde_json::json;

/// An echo program: returns its calldata.
const ECHO_WAT: &str = r#"
(module
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (import "vm_hooks" "pay_for_memory_grow" (func $pay (param i32)))
  (memory (export "memory") 1 1)
  (func (export "user_entrypoint") (param $len i32) (result i32)
    (call $read_args (i32.const 0))
    (call $write_result (i32.const 0) (local.get $len))
    (i32.const 0)))
"#;

fn activate_calldata(program: Address) -> Bytes {
    let mut data = keccak256("activateProgram(address)")[..4].to_vec();
    data.extend_from_slice(&[0u8; 12]);
    data.extend_from_slice(program.as_slice());
    data.into()
}

#[tokio::test]
async fn deploy_quote_activate_and_call_a_stylus_program() {
    let node = node();
    let p = provider(&node, dev());
    let code = devnode_wasm::compress_program(&wat::parse_str(ECHO_WAT).unwrap());
    let program = deploy(&p, &code).await;
    assert_eq!(p.get_code_at(program).await.unwrap().to_vec(), code);

    // Not activated yet: calling it fails.
    assert!(p
        .call(
            TransactionRequest::default()
                .with_to(program)
                .with_input(Bytes::from_static(b"hi"))
        )
        .await
        .is_err());

    // cargo-stylus' data-fee quote: eth_call with a random rich sender and a code override.
    let sender = Address::repeat_byte(0x99);
    let scratch = Address::repeat_byte(0x98);
    let quote = call(
        &node,
        "eth_call",
        json!([
            {"from": sender, "to": ARB_WASM, "data": activate_calldata(scratch), "value": "0xde0b6b3a7640000"},
            "latest",
            {sender.to_string(): {"balance": format!("{:#x}", U256::MAX)}, scratch.to_string(): {"code": Bytes::from(code.clone())}}
        ]),
    )
    .await
    .unwrap();
    let quote: Bytes = serde_json::from_value(quote).unwrap();
    assert_eq!(quote.len(), 64);
    let fee = U256::from_be_slice(&quote[32..64]);
    assert!(fee > U256::ZERO);
    assert!(
        p.get_code_at(scratch).await.unwrap().is_empty(),
        "overrides do not leak"
    );

    // Activate for real (excess value is refunded).
    let tx = TransactionRequest::default()
        .with_to(ARB_WASM)
        .with_input(activate_calldata(program))
        .with_value(fee * U256::from(2));
    let r = p
        .send_transaction(tx)
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    assert!(r.status(), "activation succeeded");
    assert!(!r.inner.logs().is_empty(), "ProgramActivated emitted");

    // The program now echoes through eth_call and in a transaction.
    let out = p
        .call(
            TransactionRequest::default()
                .with_to(program)
                .with_input(Bytes::from_static(b"hello stylus")),
        )
        .await
        .unwrap();
    assert_eq!(out.as_ref(), b"hello stylus");
    let r = p
        .send_transaction(
            TransactionRequest::default()
                .with_to(program)
                .with_input(Bytes::from_static(b"x")),
        )
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    assert!(r.status());
    // And it survives a replay with the same gas.
    let hash = r.transaction_hash;
    let replayed = node.chain().exec(move |c| c.replay(hash)).await.unwrap();
    assert_eq!(replayed.result.tx_gas_used(), r.gas_used);
}

#[tokio::test]
async fn activation_failures_are_reported_in_the_error_message() {
    let node = node();
    let sender = Address::repeat_byte(0x99);
    let scratch = Address::repeat_byte(0x98);
    // Valid brotli, invalid wasm.
    let bad = devnode_wasm::compress_program(b"definitely not wasm");
    let e = call(
        &node,
        "eth_call",
        json!([
            {"from": sender, "to": ARB_WASM, "data": activate_calldata(scratch), "value": "0xde0b6b3a7640000"},
            "latest",
            {sender.to_string(): {"balance": format!("{:#x}", U256::MAX)}, scratch.to_string(): {"code": Bytes::from(bad)}}
        ]),
    )
    .await
    .unwrap_err();
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("program activation failed"),
        "{e}"
    );
}

#[tokio::test]
async fn reactivating_names_program_up_to_date_in_the_message() {
    let node = node();
    let p = provider(&node, dev());
    let code = devnode_wasm::compress_program(&wat::parse_str(ECHO_WAT).unwrap());
    let program = deploy(&p, &code).await;
    let activate = json!({
        "from": devnode::config::DEV_ACCOUNT, "to": ARB_WASM,
        "data": activate_calldata(program), "value": "0xde0b6b3a7640000",
    });
    let hash = call(&node, "eth_sendTransaction", json!([activate]))
        .await
        .unwrap();
    let receipt = call(&node, "eth_getTransactionReceipt", json!([hash]))
        .await
        .unwrap();
    assert_eq!(receipt["status"], "0x1");
    // `cargo stylus activate` estimates first: the ArbWasm error is named, its bytes kept.
    for method in ["eth_estimateGas", "eth_call"] {
        let e = call(&node, method, json!([activate])).await.unwrap_err();
        assert_eq!(e["code"], 3, "{method}: {e}");
        assert_eq!(
            e["message"], "execution reverted: ProgramUpToDate()",
            "{method}"
        );
        assert_eq!(e["data"], "0xcc944bf2", "{method}");
    }
    // Errors with arguments are rendered with them.
    let e = call(
        &node,
        "eth_call",
        json!([{"to": ARB_WASM, "data": format!("0x{}", alloy::primitives::hex::encode(&keccak256("codehashVersion(bytes32)")[..4])) + &"00".repeat(32)}]),
    )
    .await
    .unwrap_err();
    assert_eq!(
        e["message"], "execution reverted: ProgramNotActivated()",
        "{e}"
    );
}
