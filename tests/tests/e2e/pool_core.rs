//! End to end on the devnode (or any node: see `e2e::node`): the liquidity pool's core with the
//! real wasm. Deploys the rewards facet, the locked pair template and the factory
//! (`e2e::deploy_amm_core`), creates two pairs — proving that a CREATE2 copy of the activated
//! template runs without a second activation and lands at Uniswap's `pairFor` address — then
//! mints, swaps and burns against the repo's test token, and reads the delegated facet ABI
//! through the pair. Prints the gas of `createPair` and of the swaps. (The full AMM suite, the
//! router and the gas bench against the Solidity twin live in the other `pool*` tests.)
#![allow(clippy::too_many_arguments)] // generated bindings: `permit` takes seven arguments

use alloy::{
    primitives::{keccak256, Address, Bytes, U256},
    providers::Provider,
    sol,
};
use anyhow::Result;
use e2e::{
    abi::{IPoolFactory, ITestToken},
    deploy_activated, deploy_amm_core, node, provider, send,
};

sol!(
    #[sol(rpc)]
    IPair,
    "../abi/liquidity-pool.json"
);
sol!(
    #[sol(rpc)]
    IPairFacet,
    "../abi/liquidity-pool-rewards-facet.json"
);

const E18: u128 = 1_000_000_000_000_000_000;

/// Uniswap's `pairFor`, written out independently of the factory crate.
fn pair_for(
    factory: Address,
    a: Address,
    b: Address,
    init_code_hash: alloy::primitives::B256,
) -> Address {
    let (t0, t1) = if a < b { (a, b) } else { (b, a) };
    let mut packed = t0.to_vec();
    packed.extend_from_slice(t1.as_slice());
    factory.create2(keccak256(packed), init_code_hash)
}

#[tokio::test(flavor = "multi_thread")]
async fn pool_core_create_mint_swap_burn() -> Result<()> {
    let node = node()?;
    let key = node.keys[0].clone();
    let me = key.address();
    let p = provider(&node.url, key)?;

    let core = deploy_amm_core(&p, me).await?;
    let f = IPoolFactory::new(core.factory, &p);
    assert_eq!(f.pairTemplate().call().await?, core.template);
    assert_eq!(f.rewardsFacet().call().await?, core.facet);
    assert_eq!(f.feeToSetter().call().await?, me);
    let template_code = p.get_code_at(core.template).await?;
    let hash = f.pairInitCodeHash().call().await?;
    assert_eq!(
        hash,
        keccak256(scripts::wasm::create_initcode(&template_code))
    );

    // The template is locked for ever.
    let template = IPair::new(core.template, &p);
    assert!(template.initialize(me, me).call().await.is_err());
    assert!(template.sync().call().await.is_err());

    let mut tokens = Vec::new();
    for (name, symbol) in [("Token A", "TKA"), ("Token B", "TKB"), ("Token C", "TKC")] {
        let t = deploy_activated(&p, "test-token").await?;
        let tt = ITestToken::new(t, &p);
        send!(tt.initialize(name.into(), symbol.into(), 18));
        send!(tt.mint(me, U256::from(1_000_000 * E18)));
        tokens.push(t);
    }
    let (a, b, c) = (tokens[0], tokens[1], tokens[2]);

    // Two pairs: each a CREATE2 copy at the off-chain address, no activation in between.
    let r = send!(f.createPair(a, b));
    let create_gas = r.gas_used;
    let pair_ab = f.getPair(a, b).call().await?;
    assert_eq!(pair_ab, pair_for(core.factory, a, b, hash));
    assert_eq!(f.getPair(b, a).call().await?, pair_ab);
    let r2 = send!(f.createPair(c, a));
    let pair_ac = f.getPair(a, c).call().await?;
    assert_eq!(pair_ac, pair_for(core.factory, c, a, hash));
    assert_eq!(f.allPairsLength().call().await?, U256::from(2));
    assert_eq!(f.allPairs(U256::from(1)).call().await?, pair_ac);
    assert_eq!(p.get_code_at(pair_ac).await?, template_code);
    assert!(f.createPair(b, a).call().await.is_err(), "duplicate pair");
    assert!(f.createPair(a, a).call().await.is_err(), "identical tokens");

    let pair = IPair::new(pair_ab, &p);
    assert_eq!(pair.factory().call().await?, core.factory);
    let (t0, t1) = (pair.token0().call().await?, pair.token1().call().await?);
    assert_eq!((t0, t1), if a < b { (a, b) } else { (b, a) });
    assert!(
        pair.initialize(a, b).call().await.is_err(),
        "second initialize"
    );

    // Mint: 10 token0 + 40 token1 → √400 = 20 LP minus the locked 1000 wei.
    let (tok0, tok1) = (ITestToken::new(t0, &p), ITestToken::new(t1, &p));
    send!(tok0.transfer(pair_ab, U256::from(10 * E18)));
    send!(tok1.transfer(pair_ab, U256::from(40 * E18)));
    let mint_gas = send!(pair.mint(me)).gas_used;
    let lp = pair.balanceOf(me).call().await?;
    assert_eq!(lp, U256::from(20 * E18 - 1000));
    assert_eq!(pair.totalSupply().call().await?, U256::from(20 * E18));
    let reserves = pair.getReserves().call().await?;
    assert_eq!(
        (U256::from(reserves._0), U256::from(reserves._1)),
        (U256::from(10 * E18), U256::from(40 * E18))
    );

    // Swap 1 token0 in for the exact V2 output; one wei more reverts.
    let mut swap_gas = Vec::new();
    for _ in 0..2 {
        let r = pair.getReserves().call().await?;
        let (r0, r1) = (U256::from(r._0), U256::from(r._1));
        let amount_in = U256::from(E18);
        let out = amount_in * U256::from(997) * r1
            / (r0 * U256::from(1000) + amount_in * U256::from(997));
        send!(tok0.transfer(pair_ab, amount_in));
        assert!(pair
            .swap(U256::ZERO, out + U256::from(1), me, Bytes::new())
            .call()
            .await
            .is_err());
        let before = tok1.balanceOf(me).call().await?;
        swap_gas.push(send!(pair.swap(U256::ZERO, out, me, Bytes::new())).gas_used);
        assert_eq!(tok1.balanceOf(me).call().await? - before, out);
    }

    // Burn half of the LP: paid pro rata, reserves equal balances.
    let half = lp / U256::from(2);
    send!(pair.transfer(pair_ab, half));
    let (b0, b1) = (
        tok0.balanceOf(me).call().await?,
        tok1.balanceOf(me).call().await?,
    );
    let burn_gas = send!(pair.burn(me)).gas_used;
    assert!(tok0.balanceOf(me).call().await? > b0);
    assert!(tok1.balanceOf(me).call().await? > b1);
    let r = pair.getReserves().call().await?;
    assert_eq!(U256::from(r._0), tok0.balanceOf(pair_ab).call().await?);
    assert_eq!(U256::from(r._1), tok1.balanceOf(pair_ab).call().await?);

    // The delegated ABI answers at the pair's address (reward ABI and EIP-2612).
    let facet_view = IPairFacet::new(pair_ab, &p);
    assert!(facet_view.rewardTokens_0().call().await?.is_empty());
    assert_eq!(facet_view.nonces(me).call().await?, U256::ZERO);
    let domain = facet_view.DOMAIN_SEPARATOR().call().await?;
    assert_ne!(domain, alloy::primitives::B256::ZERO);

    println!("| pool core (devnode) | gas |");
    println!("|---|---:|");
    println!("| createPair (first) | {create_gas} |");
    println!("| createPair (second) | {} |", r2.gas_used);
    println!("| mint (first) | {mint_gas} |");
    println!("| swap (first) | {} |", swap_gas[0]);
    println!("| swap (second) | {} |", swap_gas[1]);
    println!("| burn | {burn_gas} |");
    Ok(())
}
