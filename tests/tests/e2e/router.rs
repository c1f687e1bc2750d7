//! End-to-end test of the pool router on a spawned devnode, through JSON-RPC only, with the real
//! wasm of every program: the pool core (`e2e::deploy_amm_core`: pair template, facet, factory),
//! the Stylus WETH and the router (`e2e::deploy_router`, constructed atomically). Adds liquidity
//! with `addLiquidityETH` (which creates the pair), swaps ETH -> token and token -> ETH (the
//! router re-entered by WETH's payment: the reentrancy decision of the router's crate docs), and
//! checks every balance against the V2 formulas. Prints the gas of each call.

use alloy::{
    primitives::{Address, U256},
    providers::Provider,
};
use anyhow::Result;
use e2e::{
    abi::{IPoolFactory, IPoolRouter, ITestToken, IWeth},
    deploy_activated, deploy_amm_core, deploy_router, deploy_weth, node, provider, send,
};

const E18: u128 = 1_000_000_000_000_000_000;

/// V2's getAmountOut, written out independently of the router crate.
fn amount_out(a: U256, r_in: U256, r_out: U256) -> U256 {
    let a = a * U256::from(997);
    a * r_out / (r_in * U256::from(1000) + a)
}

#[tokio::test(flavor = "multi_thread")]
async fn router_adds_eth_liquidity_and_swaps_both_ways() -> Result<()> {
    let node = node()?;
    let key = node.keys[0].clone();
    let me = key.address();
    let bob = node.keys[1].address();
    let p = provider(&node.url, key)?;

    let core = deploy_amm_core(&p, me).await?;
    let weth_addr = deploy_weth(&p).await?;
    let router_addr = deploy_router(&p, core.factory, weth_addr).await?;
    let router = IPoolRouter::new(router_addr, &p);
    let factory = IPoolFactory::new(core.factory, &p);
    assert_eq!(router.factory().call().await?, core.factory);
    assert_eq!(router.WETH().call().await?, weth_addr);

    let token_addr = deploy_activated(&p, "test-token").await?;
    let token = ITestToken::new(token_addr, &p);
    send!(token.initialize("Test USD".into(), "tUSD".into(), 18));
    send!(token.mint(me, U256::from(1_000_000 * E18)));
    send!(token.approve(router_addr, U256::MAX));

    let now = p
        .get_block_by_number(alloy::eips::BlockNumberOrTag::Latest)
        .await?
        .expect("latest block")
        .header
        .timestamp;
    let deadline = U256::from(now + 3600);

    // addLiquidityETH creates the pair through the factory: 10 ETH : 20,000 tUSD.
    let (tok_liq, eth_liq) = (U256::from(20_000 * E18), U256::from(10 * E18));
    let r = send!(router
        .addLiquidityETH(token_addr, tok_liq, tok_liq, eth_liq, me, deadline)
        .value(eth_liq));
    let add_gas = r.gas_used;
    let pair = factory.getPair(token_addr, weth_addr).call().await?;
    assert_ne!(pair, Address::ZERO);
    let weth = IWeth::new(weth_addr, &p);
    assert_eq!(weth.balanceOf(pair).call().await?, eth_liq);
    assert_eq!(token.balanceOf(pair).call().await?, tok_liq);
    assert_eq!(p.get_balance(router_addr).await?, U256::ZERO);

    // swapExactETHForTokens: 1 ETH in, to Bob.
    let eth_in = U256::from(E18);
    let expect = amount_out(eth_in, eth_liq, tok_liq);
    let quoted = router
        .getAmountsOut(eth_in, vec![weth_addr, token_addr])
        .call()
        .await?;
    assert_eq!(quoted, vec![eth_in, expect]);
    let r = send!(router
        .swapExactETHForTokens(expect, vec![weth_addr, token_addr], bob, deadline)
        .value(eth_in));
    let eth_for_tokens_gas = r.gas_used;
    assert_eq!(token.balanceOf(bob).call().await?, expect);
    let (r_eth, r_tok) = (eth_liq + eth_in, tok_liq - expect);

    // swapExactTokensForETH: 1,000 tUSD in, ETH to Bob (WETH pays the router re-entrantly).
    let tok_in = U256::from(1_000 * E18);
    let eth_out = amount_out(tok_in, r_tok, r_eth);
    let bob_before = p.get_balance(bob).await?;
    let r = send!(router.swapExactTokensForETH(
        tok_in,
        eth_out,
        vec![token_addr, weth_addr],
        bob,
        deadline
    ));
    let tokens_for_eth_gas = r.gas_used;
    assert_eq!(p.get_balance(bob).await?, bob_before + eth_out);
    assert_eq!(weth.balanceOf(pair).call().await?, r_eth - eth_out);
    assert_eq!(token.balanceOf(pair).call().await?, r_tok + tok_in);
    assert_eq!(p.get_balance(router_addr).await?, U256::ZERO);
    assert_eq!(weth.balanceOf(router_addr).call().await?, U256::ZERO);

    // Slippage is checked on the output, with a named error.
    let err = router
        .swapExactTokensForETH(
            tok_in,
            U256::MAX,
            vec![token_addr, weth_addr],
            bob,
            deadline,
        )
        .call()
        .await
        .expect_err("minimum above the output must revert");
    assert!(matches!(
        err.as_decoded_interface_error::<IPoolRouter::IPoolRouterErrors>(),
        Some(IPoolRouter::IPoolRouterErrors::InsufficientOutputAmount(_))
    ));
    // ETH sent straight to the router by an EOA is refused.
    let err = p
        .send_transaction(
            alloy::rpc::types::TransactionRequest::default()
                .to(router_addr)
                .value(U256::from(1)),
        )
        .await;
    if let Ok(pending) = err {
        assert!(
            !pending.get_receipt().await?.status(),
            "router accepted ETH from an EOA"
        );
    }

    eprintln!(
        "router gas: addLiquidityETH (creates the pair) {add_gas}, swapExactETHForTokens \
         {eth_for_tokens_gas}, swapExactTokensForETH {tokens_for_eth_gas}"
    );
    Ok(())
}
