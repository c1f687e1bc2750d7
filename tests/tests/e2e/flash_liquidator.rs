//! End-to-end test of the flash liquidator (`tests/solidity/src/integrations/FlashLiquidator.sol`,
//! Solidity written against the generated interfaces of `abi/`) driving the real Stylus programs:
//! the lending market with its facets (`e2e::lending_market::deploy_lending`) and the pool (core,
//! router) holding a pair of the market's loan and collateral tokens.
//!
//! A borrower near the LLTV becomes unhealthy when the mock feed drops; a liquidator account
//! holding no tokens liquidates it in one transaction each time (first by seized collateral,
//! then all remaining debt by shares): the market's callback names the debt repaid, the liquidator
//! flash-swaps that much of the loan token out of the pair, pays the pair V2's `getAmountIn` in
//! seized collateral and sends the rest to the caller. Checked to the wei: the market's accrual,
//! repaid shares and assets, seized collateral (Morpho's formulas, `e2e::lending::reference`),
//! the borrower's position, the pair's reserves (k grows), the caller's profit, and that the
//! liquidator keeps no tokens. Guards: callbacks from anyone else or outside its own call, a
//! flash swap someone else points at it, a healthy position, a profit below the minimum.
//!
//! Runs on the embedded devnode, or on any node given `STYLUS_RPC_URL` + `PRIVATE_KEY` (no
//! `evm_*` call is needed: interest is accrued over whatever time the node's blocks take).
#![allow(clippy::too_many_arguments)] // generated: the pair's and the market's events

use alloy::{
    primitives::{Address, U256},
    providers::{DynProvider, Provider},
    rpc::types::TransactionReceipt,
    sol,
    sol_types::{SolEvent, SolValue},
};
use anyhow::{ensure, Context, Result};
use e2e::{
    abi::{IPoolFactory, IPoolRouter, ITestToken},
    amm, deploy_amm_core, deploy_router, deploy_weth,
    lending::{
        int, oracle_price,
        reference::{self, Totals},
        IMockAggregator, FEED_DECIMALS, WAD,
    },
    lending_market::{deploy_lending, ILendingMarket, ILendingMarketViewsFacet, Lending, LLTV},
    node, provider, send, solidity,
};

sol!(
    #[sol(rpc, all_derives)]
    "solidity/src/integrations/IFlashLiquidator.sol"
);
sol!(
    #[sol(rpc)]
    ILiquidityPool,
    "../abi/liquidity-pool.json"
);

fn units(x: u128) -> U256 {
    U256::from(x) * U256::from(WAD)
}

/// The feed answer for `x` loan tokens per collateral token.
fn feed(x: i128) -> i128 {
    x * 10i128.pow(FEED_DECIMALS as u32)
}

fn event<E: SolEvent>(receipt: &TransactionReceipt) -> Result<E> {
    receipt
        .inner
        .logs()
        .iter()
        .find_map(|l| l.log_decode::<E>().ok())
        .map(|l| l.inner.data)
        .with_context(|| format!("no {} event", E::SIGNATURE))
}

async fn block_time(p: &DynProvider, receipt: &TransactionReceipt) -> Result<u64> {
    Ok(
        p.get_block_by_number(receipt.block_number.context("no block")?.into())
            .await?
            .context("block")?
            .header
            .timestamp,
    )
}

/// The market's totals and last update.
async fn totals(p: &DynProvider, l: &Lending) -> Result<(Totals, u64)> {
    let r = ILendingMarketViewsFacet::new(l.market, p)
        .market(l.id)
        .call()
        .await?;
    Ok((
        Totals {
            supply_assets: U256::from(r._0),
            supply_shares: U256::from(r._1),
            borrow_assets: U256::from(r._2),
            borrow_shares: U256::from(r._3),
        },
        r._4 as u64,
    ))
}

/// `(borrowShares, collateral)` of `user`.
async fn position(p: &DynProvider, l: &Lending, user: Address) -> Result<(U256, U256)> {
    let r = ILendingMarketViewsFacet::new(l.market, p)
        .position(l.id, user)
        .call()
        .await?;
    Ok((U256::from(r._1), U256::from(r._2)))
}

async fn balance(p: &DynProvider, token: Address, who: Address) -> Result<U256> {
    Ok(ITestToken::new(token, p).balanceOf(who).call().await?)
}

/// The pair's reserves as (loan, collateral) (the pair orders its tokens by address).
async fn reserves(
    p: &DynProvider,
    pair: Address,
    loan: Address,
    coll: Address,
) -> Result<(U256, U256)> {
    let r = ILiquidityPool::new(pair, p).getReserves().call().await?;
    let (r0, r1) = (U256::from(r._0), U256::from(r._1));
    Ok(if amm::sort(loan, coll).0 == loan {
        (r0, r1)
    } else {
        (r1, r0)
    })
}

/// What one liquidation must do, from the totals before it, the accrual to its block, the
/// oracle price and the pair's reserves: Morpho's `liquidate` maths and V2's `getAmountIn`.
struct Expected {
    totals: Totals,
    seized: U256,
    repaid_shares: U256,
    repaid_assets: U256,
    owed: U256,
}

fn expected(
    mut t: Totals,
    elapsed: u64,
    price: U256,
    seized: U256,
    repaid_shares: U256,
    (reserve_loan, reserve_coll): (U256, U256),
) -> Expected {
    let rate = t.irm_rate();
    t.accrue(rate, elapsed, U256::ZERO);
    let lif = reference::liquidation_incentive_factor(U256::from(LLTV));
    let (seized, repaid_shares) = if !seized.is_zero() {
        let quoted = reference::mul_div_up(seized, price, reference::price_scale());
        let shares = reference::to_shares_up(
            reference::w_div_up(quoted, lif),
            t.borrow_assets,
            t.borrow_shares,
        );
        (seized, shares)
    } else {
        let assets = reference::to_assets_down(repaid_shares, t.borrow_assets, t.borrow_shares);
        let seized = reference::mul_div_down(
            reference::w_mul_down(assets, lif),
            reference::price_scale(),
            price,
        );
        (seized, repaid_shares)
    };
    let repaid_assets = reference::to_assets_up(repaid_shares, t.borrow_assets, t.borrow_shares);
    t.borrow_shares -= repaid_shares;
    t.borrow_assets = t.borrow_assets.saturating_sub(repaid_assets);
    Expected {
        totals: t,
        seized,
        repaid_shares,
        repaid_assets,
        owed: amm::amount_in(repaid_assets, reserve_coll, reserve_loan),
    }
}

/// Reads the liquidator's revert as `E`.
fn reverted_with<E: alloy::sol_types::SolError>(err: &alloy::contract::Error) -> Option<E> {
    err.as_decoded_error::<E>()
}

#[tokio::test]
async fn flash_liquidation_with_zero_capital() -> Result<()> {
    let node = node()?;
    ensure!(node.keys.len() >= 4, "need four funded accounts");
    let [owner, alice, bob, carol] = [0, 1, 2, 3].map(|i| node.keys[i].address());
    let po = provider(&node.url, node.keys[0].clone())?;
    let pa = provider(&node.url, node.keys[1].clone())?;
    let pb = provider(&node.url, node.keys[2].clone())?;
    let pc = provider(&node.url, node.keys[3].clone())?;

    // The market (loan L, collateral C, 1 C = 2,000 L, LLTV 80 %) and the pool.
    let l = deploy_lending(&po, owner).await?;
    let (loan, coll) = (l.periphery.loan, l.periphery.collateral);
    let core = deploy_amm_core(&po, owner).await?;
    let weth = deploy_weth(&po).await?;
    let router = deploy_router(&po, core.factory, weth).await?;
    let now = po
        .get_block_by_number(Default::default())
        .await?
        .context("latest block")?
        .header
        .timestamp;
    // The pool trades at 1,900 L per C (the price the feed drops to): 1,000 C : 1,900,000 L.
    for (t, n) in [(coll, 1_000), (loan, 1_900_000)] {
        send!(ITestToken::new(t, &po).mint(owner, units(n)));
        send!(ITestToken::new(t, &po).approve(router, U256::MAX));
    }
    send!(IPoolRouter::new(router, &po).addLiquidity(
        coll,
        loan,
        units(1_000),
        units(1_900_000),
        U256::ZERO,
        U256::ZERO,
        owner,
        U256::from(now + 3_600)
    ));
    let pair = IPoolFactory::new(core.factory, &po)
        .getPair(loan, coll)
        .call()
        .await?;
    ensure!(pair != Address::ZERO, "no pair");

    // Alice supplies 50,000 L; Bob posts 10 C (worth 20,000 L) and borrows 15,900 L of the
    // 16,000 the LLTV allows.
    let params = l.params.clone();
    send!(ITestToken::new(loan, &po).mint(alice, units(50_000)));
    send!(ITestToken::new(loan, &pa).approve(l.market, U256::MAX));
    send!(ILendingMarket::new(l.market, &pa).supply(
        params.clone(),
        units(50_000),
        U256::ZERO,
        alice,
        Default::default()
    ));
    send!(ITestToken::new(coll, &po).mint(bob, units(10)));
    send!(ITestToken::new(coll, &pb).approve(l.market, U256::MAX));
    let mb = ILendingMarket::new(l.market, &pb);
    send!(mb.supplyCollateral(params.clone(), units(10), bob, Default::default()));
    send!(mb.borrow(params.clone(), units(15_900), U256::ZERO, bob, bob));

    let fl = solidity::deploy(
        &po,
        "integrations/FlashLiquidator",
        &(l.market, core.factory).abi_encode_params(),
    )
    .await?;
    let liq = IFlashLiquidator::new(fl, &pc);
    ensure!(liq.market().call().await? == l.market);
    ensure!(liq.factory().call().await? == core.factory);
    let mp = IFlashLiquidator::MarketParams {
        loanToken: params.loanToken,
        collateralToken: params.collateralToken,
        oracle: params.oracle,
        irm: params.irm,
        lltv: params.lltv,
    };
    for t in [loan, coll] {
        ensure!(
            balance(&po, t, carol).await?.is_zero(),
            "carol starts with nothing"
        );
    }

    // Guards. A healthy position: the market's HealthyPosition bubbles up.
    let err = liq
        .liquidate(mp.clone(), bob, units(1), U256::ZERO, U256::ZERO)
        .call()
        .await
        .err()
        .context("liquidating a healthy position")?;
    ensure!(
        reverted_with::<ILendingMarket::HealthyPosition>(&err).is_some(),
        "{err:?}"
    );
    // Callbacks from anyone, outside a liquidation.
    let err = liq
        .onMorphoLiquidate(units(1), (loan, coll).abi_encode().into())
        .call()
        .await
        .err()
        .context("onMorphoLiquidate from carol")?;
    let e =
        reverted_with::<IFlashLiquidator::LiquidatorUnexpectedCallback>(&err).context("named")?;
    ensure!(e.caller == carol, "{e:?}");
    let err = liq
        .uniswapV2Call(
            fl,
            units(1),
            U256::ZERO,
            (coll, units(1)).abi_encode().into(),
        )
        .call()
        .await
        .err()
        .context("uniswapV2Call from carol")?;
    let e =
        reverted_with::<IFlashLiquidator::LiquidatorUnexpectedCallback>(&err).context("named")?;
    ensure!(e.caller == carol, "{e:?}");
    // A flash swap someone else points at the liquidator (the pair passes the revert through).
    let (out0, out1) = if amm::sort(loan, coll).0 == loan {
        (units(1), U256::ZERO)
    } else {
        (U256::ZERO, units(1))
    };
    let err = ILiquidityPool::new(pair, &pc)
        .swap(out0, out1, fl, (coll, U256::ZERO).abi_encode().into())
        .call()
        .await
        .err()
        .context("flash swap towards the liquidator")?;
    let e =
        reverted_with::<IFlashLiquidator::LiquidatorUnexpectedCallback>(&err).context("named")?;
    ensure!(e.caller == pair, "{e:?}");

    // The feed drops to 1,900: 10 C · 1,900 · 0.8 = 15,200 < 15,900 owed.
    let answer = feed(1_900);
    send!(IMockAggregator::new(l.periphery.aggregator, &po).setAnswer(int(answer)));
    let price = oracle_price(answer);
    // A minimum profit above what is possible.
    let err = liq
        .liquidate(mp.clone(), bob, units(2), U256::ZERO, units(2))
        .call()
        .await
        .err()
        .context("profit below the minimum")?;
    let e =
        reverted_with::<IFlashLiquidator::LiquidatorInsufficientProfit>(&err).context("named")?;
    ensure!(e.minProfit == units(2) && e.profit < units(1), "{e:?}");

    // First by seized collateral (2 C), then every remaining borrow share.
    let mut collateral_left = units(10);
    for (seize, by_shares) in [(units(2), false), (U256::ZERO, true)] {
        let (t, last) = totals(&po, &l).await?;
        let (shares_before, _) = position(&po, &l, bob).await?;
        let repaid_shares = if by_shares { shares_before } else { U256::ZERO };
        let (rl, rc) = reserves(&po, pair, loan, coll).await?;
        let carol_before = balance(&po, coll, carol).await?;

        let r = send!(liq.liquidate(mp.clone(), bob, seize, repaid_shares, U256::ZERO));
        let elapsed = block_time(&po, &r).await? - last;
        let x = expected(t, elapsed, price, seize, repaid_shares, (rl, rc));
        ensure!(x.owed < x.seized, "the test's sizes must be profitable");
        let profit = x.seized - x.owed;

        // The market: Morpho's formulas to the wei.
        let ev: ILendingMarket::Liquidate = event(&r)?;
        ensure!(
            (ev.id, ev.caller, ev.borrower) == (l.id, fl, bob),
            "Liquidate by {} of {}",
            ev.caller,
            ev.borrower
        );
        ensure!(
            (ev.seizedAssets, ev.repaidShares, ev.repaidAssets)
                == (x.seized, x.repaid_shares, x.repaid_assets),
            "Liquidate seized {} shares {} assets {}, expected {} {} {}",
            ev.seizedAssets,
            ev.repaidShares,
            ev.repaidAssets,
            x.seized,
            x.repaid_shares,
            x.repaid_assets
        );
        ensure!((ev.badDebtAssets, ev.badDebtShares) == (U256::ZERO, U256::ZERO));
        let (after, _) = totals(&po, &l).await?;
        ensure!(after == x.totals, "totals {after:?} != {:?}", x.totals);
        collateral_left -= x.seized;
        let (shares_after, coll_after) = position(&po, &l, bob).await?;
        ensure!(shares_after == shares_before - x.repaid_shares);
        ensure!(coll_after == collateral_left);

        // The pair: lent the repaid assets, paid V2's getAmountIn in collateral; k grew.
        let (rl2, rc2) = reserves(&po, pair, loan, coll).await?;
        ensure!(
            (rl2, rc2) == (rl - x.repaid_assets, rc + x.owed),
            "reserves ({rl}, {rc}) -> ({rl2}, {rc2})"
        );
        ensure!(rl2 * rc2 > rl * rc, "k fell");

        // The liquidator: its event, the caller's profit, nothing kept.
        let fe: IFlashLiquidator::FlashLiquidated = event(&r)?;
        ensure!(
            (fe.caller, fe.borrower, fe.pair) == (carol, bob, pair)
                && (fe.seizedAssets, fe.repaidAssets, fe.paidToPair, fe.profit)
                    == (x.seized, x.repaid_assets, x.owed, profit),
            "{fe:?}"
        );
        ensure!(balance(&po, coll, carol).await? - carol_before == profit);
        ensure!(balance(&po, loan, carol).await?.is_zero());
        for t in [loan, coll] {
            ensure!(balance(&po, t, fl).await?.is_zero(), "liquidator kept {t}");
        }
        ensure!(
            ITestToken::new(loan, &po)
                .allowance(fl, l.market)
                .call()
                .await?
                .is_zero(),
            "allowance left"
        );
        println!(
            "liquidation by {}: seized {} C, repaid {} L, paid the pair {} C, profit {} C, gas {}",
            if by_shares { "shares" } else { "seized assets" },
            x.seized,
            x.repaid_assets,
            x.owed,
            profit,
            r.gas_used
        );
    }
    // Bob's debt is gone; what collateral is left stays his.
    let (shares, left) = position(&po, &l, bob).await?;
    ensure!(shares.is_zero() && left == collateral_left && !left.is_zero());
    Ok(())
}
