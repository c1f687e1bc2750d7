//! End-to-end test of the devnode's Stylus runtime through JSON-RPC: the `probe` contract (built
//! by the wasm pipeline) is deployed with a plain CREATE, activated through ArbWasm and exercised:
//! storage and logs, Stylus → Stylus and Stylus → EVM calls, EVM → Stylus calls, static calls,
//! static-call write protection and the SDK's reentrancy denial.
//!
//! Set `STYLUS_RPC_URL` + `PRIVATE_KEY` to run against another node (see `e2e::node`).

use alloy::{
    primitives::{Address, Bytes, U256},
    providers::Provider,
    rpc::types::TransactionRequest,
    sol,
    sol_types::{SolCall, SolError},
};
use anyhow::{Context, Result};
use e2e::{create, deploy_activated, node, provider};

sol! {
    #[sol(rpc)]
    interface IProbe {
        event ValueSet(address indexed by, uint256 value);
        error CallFailed(bytes data);
        function value() external view returns (uint256);
        function setValue(uint256 value) external;
        function forward(address target, bytes data) external returns (bytes);
        function forwardStatic(address target, bytes data) external view returns (bytes);
        function reenter(uint256 value) external returns (bytes);
        function sender() external view returns (address);
    }
}

/// Initcode deploying `runtime` (< 256 bytes).
fn initcode(runtime: &[u8]) -> Vec<u8> {
    let mut v = vec![
        0x60,
        runtime.len() as u8,
        0x80,
        0x60,
        11,
        0x60,
        0,
        0x39,
        0x60,
        0,
        0xf3,
    ];
    v.extend_from_slice(runtime);
    v
}

/// EVM contract: returns its calldata.
const EVM_ECHO: [u8; 10] = [0x36, 0x60, 0, 0x60, 0, 0x37, 0x36, 0x60, 0, 0xf3];

/// EVM contract forwarding its calldata to `target` with CALL and returning the output
/// (reverting with the callee's revert data on failure).
fn evm_forwarder(target: Address) -> Vec<u8> {
    let mut code = vec![
        0x36, 0x60, 0x00, 0x60, 0x00, 0x37, 0x60, 0x00, 0x60, 0x00, 0x36, 0x60, 0x00, 0x60, 0x00,
        0x73,
    ];
    code.extend_from_slice(target.as_slice());
    // GAS CALL; RETURNDATACOPY(0,0,size); JUMPI ok; REVERT; ok: RETURN
    code.extend_from_slice(&[
        0x5a, 0xf1, 0x3d, 0x60, 0x00, 0x60, 0x00, 0x3e, 0x60, 0x33, 0x57, 0x3d, 0x60, 0x00, 0xfd,
        0x5b, 0x3d, 0x60, 0x00, 0xf3,
    ]);
    code
}

fn revert_data(err: &alloy::contract::Error) -> Option<Bytes> {
    err.as_revert_data()
}

#[tokio::test(flavor = "multi_thread")]
async fn probe_storage_logs_and_calls() -> Result<()> {
    let node = node()?;
    let p = provider(&node.url, node.keys[0].clone())?;
    let me = node.keys[0].address();
    let a = deploy_activated(&p, "probe").await?;
    let b = deploy_activated(&p, "probe").await?;
    let echo = create(&p, initcode(&EVM_ECHO)).await?;
    let pa = IProbe::new(a, &p);
    let pb = IProbe::new(b, &p);

    // storage + log
    let receipt = pa
        .setValue(U256::from(42))
        .send()
        .await?
        .get_receipt()
        .await?;
    assert!(receipt.status());
    let log = receipt.inner.logs()[0].log_decode::<IProbe::ValueSet>()?;
    assert_eq!((log.inner.by, log.inner.value), (me, U256::from(42)));
    assert_eq!(pa.value().call().await?, U256::from(42));
    assert_eq!(pa.sender().call().await?, me);

    // Stylus → Stylus (state change in the callee; msg.sender is the caller program)
    let set7 = IProbe::setValueCall {
        value: U256::from(7),
    }
    .abi_encode();
    let receipt = pa
        .forward(b, set7.into())
        .send()
        .await?
        .get_receipt()
        .await?;
    assert!(receipt.status());
    assert_eq!(pb.value().call().await?, U256::from(7));
    let sender = IProbe::senderCall {}.abi_encode();
    let out = pa.forward(b, sender.clone().into()).call().await?;
    assert_eq!(Address::from_slice(&out[12..32]), a);

    // Stylus → EVM
    let out = pa
        .forward(echo, Bytes::from_static(b"hello"))
        .call()
        .await?;
    assert_eq!(out.as_ref(), b"hello");

    // static call reads
    let value = IProbe::valueCall {}.abi_encode();
    let out = pa.forwardStatic(b, value.into()).call().await?;
    assert_eq!(U256::from_be_slice(&out), U256::from(7));

    // EVM → Stylus
    let fwd = create(&p, initcode(&evm_forwarder(b))).await?;
    let data = IProbe::valueCall {}.abi_encode();
    let out = p
        .call(TransactionRequest::default().to(fwd).input(data.into()))
        .await?;
    assert_eq!(U256::from_be_slice(&out), U256::from(7));
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn static_call_write_protection_and_reentrancy_denial() -> Result<()> {
    let node = node()?;
    let p = provider(&node.url, node.keys[0].clone())?;
    let a = deploy_activated(&p, "probe").await?;
    let b = deploy_activated(&p, "probe").await?;
    let pa = IProbe::new(a, &p);

    // a write under STATICCALL fails (revert, no data): the caller sees CallFailed(0x)
    let set1 = IProbe::setValueCall {
        value: U256::from(1),
    }
    .abi_encode();
    let err = pa
        .forwardStatic(b, set1.into())
        .call()
        .await
        .expect_err("write in static call");
    let data = revert_data(&err).context("revert data")?;
    let decoded = IProbe::CallFailed::abi_decode(&data)?;
    assert!(decoded.data.is_empty());
    assert_eq!(IProbe::new(b, &p).value().call().await?, U256::ZERO);

    // reentering the program is denied by the SDK guard (status 1, empty output)
    let err = pa
        .reenter(U256::from(5))
        .call()
        .await
        .expect_err("reentrancy denied");
    let data = revert_data(&err).context("revert data")?;
    assert!(IProbe::CallFailed::abi_decode(&data)?.data.is_empty());
    assert_eq!(pa.value().call().await?, U256::ZERO);
    Ok(())
}
