//! End-to-end test of the Stylus WETH on a spawned devnode, through JSON-RPC only: deploy the real
//! wasm (CREATE + activation), deposit with `deposit()` and with a plain ETH send, transfer,
//! withdraw to an EOA and to a contract whose `receive` needs more than WETH9's 2,300-gas stipend
//! (`tests/solidity/src/WethUnwrapper.sol`), and the named errors of a failed withdrawal.
//!
//! Set `STYLUS_RPC_URL` + `PRIVATE_KEY` to run against another node (e.g. nitro-devnode): see
//! `e2e::node`.

use alloy::{
    network::TransactionBuilder,
    primitives::{Address, U256},
    providers::Provider,
    rpc::types::TransactionRequest,
    sol,
    sol_types::SolValue,
};
use anyhow::{Context, Result};
use e2e::{abi::IWeth, deploy_weth, node, provider, solidity};

sol! {
    #[sol(rpc)]
    interface IWethUnwrapper {
        function wrap() external payable;
        function unwrap(uint256 wad) external;
        function received() external view returns (uint256);
        function receipts() external view returns (uint256);
        function setRefuse(bool refuse) external;
    }
}

const E18: u128 = 1_000_000_000_000_000_000;

macro_rules! send {
    ($call:expr) => {{
        let receipt = $call.send().await?.get_receipt().await?;
        anyhow::ensure!(receipt.status(), "reverted: {}", stringify!($call));
        receipt
    }};
}

#[tokio::test(flavor = "multi_thread")]
async fn weth_wraps_transfers_and_unwraps_to_eoas_and_contracts() -> Result<()> {
    let node = node()?;
    let (alice_key, bob_key) = (node.keys[0].clone(), node.keys[1].clone());
    let (alice, bob) = (alice_key.address(), bob_key.address());
    let pa = provider(&node.url, alice_key)?;
    let pb = provider(&node.url, bob_key)?;
    let weth_addr = deploy_weth(&pa).await?;
    let weth = IWeth::new(weth_addr, &pa);
    assert_eq!(weth.name().call().await?, "Wrapped Ether");
    assert_eq!(weth.symbol().call().await?, "WETH");
    assert_eq!(weth.decimals().call().await?, 18);

    // deposit() and a plain send both wrap.
    let r = send!(weth.deposit().value(U256::from(3 * E18)));
    let deposit_gas = r.gas_used;
    assert!(r
        .inner
        .logs()
        .iter()
        .any(|l| l
            .log_decode::<IWeth::Deposit>()
            .is_ok_and(|e| e.inner.data.dst == alice && e.inner.data.wad == U256::from(3 * E18))));
    let tx = TransactionRequest::default()
        .with_to(weth_addr)
        .with_value(U256::from(E18));
    let r = pa.send_transaction(tx).await?.get_receipt().await?;
    anyhow::ensure!(r.status(), "plain send reverted");
    assert_eq!(weth.balanceOf(alice).call().await?, U256::from(4 * E18));
    assert_eq!(weth.totalSupply().call().await?, U256::from(4 * E18));
    assert_eq!(pa.get_balance(weth_addr).await?, U256::from(4 * E18));

    // transfer to Bob.
    let r = send!(weth.transfer(bob, U256::from(E18)));
    let transfer_gas = r.gas_used;
    assert_eq!(weth.balanceOf(bob).call().await?, U256::from(E18));

    // Bob withdraws to his EOA: ETH arrives, the WETH is burned.
    let weth_b = IWeth::new(weth_addr, &pb);
    let before = pb.get_balance(bob).await?;
    let r = send!(weth_b.withdraw(U256::from(E18)));
    let withdraw_gas = r.gas_used;
    let fee = U256::from(r.gas_used) * U256::from(r.effective_gas_price);
    assert_eq!(pb.get_balance(bob).await?, before + U256::from(E18) - fee);
    assert_eq!(weth.balanceOf(bob).call().await?, U256::ZERO);
    assert_eq!(weth.totalSupply().call().await?, U256::from(3 * E18));
    assert!(r
        .inner
        .logs()
        .iter()
        .any(|l| l
            .log_decode::<IWeth::Withdrawal>()
            .is_ok_and(|e| e.inner.data.src == bob)));

    // Withdrawal to a contract whose receive writes storage (needs > 2,300 gas).
    let unwrapper_addr = solidity::deploy(&pa, "WethUnwrapper", &weth_addr.abi_encode()).await?;
    let unwrapper = IWethUnwrapper::new(unwrapper_addr, &pa);
    send!(unwrapper.wrap().value(U256::from(2 * E18)));
    assert_eq!(
        weth.balanceOf(unwrapper_addr).call().await?,
        U256::from(2 * E18)
    );
    let r = send!(unwrapper.unwrap(U256::from(E18)));
    assert_eq!(unwrapper.received().call().await?, U256::from(E18));
    assert_eq!(unwrapper.receipts().call().await?, U256::from(1));
    assert_eq!(pa.get_balance(unwrapper_addr).await?, U256::from(E18));
    assert_eq!(
        weth.balanceOf(unwrapper_addr).call().await?,
        U256::from(E18)
    );
    assert_eq!(weth.totalSupply().call().await?, U256::from(4 * E18));
    assert_eq!(pa.get_balance(weth_addr).await?, U256::from(4 * E18));
    let contract_withdraw_gas = r.gas_used;

    // A receiver that refuses the ETH: the withdrawal reverts with WETHTransferFailed (bubbled
    // up by the Solidity caller) and nothing moves.
    send!(unwrapper.setRefuse(true));
    let err = unwrapper
        .unwrap(U256::from(E18))
        .call()
        .await
        .err()
        .context("refused payment must revert")?;
    assert!(matches!(
        err.as_decoded_interface_error::<IWeth::IWethErrors>(),
        Some(IWeth::IWethErrors::WETHTransferFailed(e)) if e._0 == unwrapper_addr
    ));

    // Withdrawing more than the balance, and a transfer to zero: named ERC-20 errors.
    let err = weth_b
        .withdraw(U256::from(1))
        .call()
        .await
        .err()
        .context("withdraw above balance must revert")?;
    let decoded = err
        .as_decoded_interface_error::<IWeth::IWethErrors>()
        .context("named error")?;
    assert!(matches!(
        decoded,
        IWeth::IWethErrors::ERC20InsufficientBalance(_)
    ));
    let err = weth
        .transfer(Address::ZERO, U256::from(1))
        .call()
        .await
        .err()
        .context("transfer to zero must revert")?;
    assert!(matches!(
        err.as_decoded_interface_error::<IWeth::IWethErrors>(),
        Some(IWeth::IWethErrors::ERC20InvalidReceiver(_))
    ));

    eprintln!(
        "weth gas: deposit {deposit_gas}, transfer {transfer_gas}, withdraw to EOA \
         {withdraw_gas}, withdraw to contract (via caller) {contract_withdraw_gas}"
    );
    Ok(())
}
