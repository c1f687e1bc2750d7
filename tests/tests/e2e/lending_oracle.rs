//! End-to-end test of the lending periphery on a spawned devnode, through JSON-RPC with the real
//! wasm: the Chainlink adapter (`lending-oracle`) over two `mock-aggregator`s (price feed and
//! Arbitrum sequencer-uptime feed) refuses stale, non-positive, out-of-bounds and incomplete
//! rounds, a sequencer that is down, and prices inside the grace period after it restarts, each
//! with its named error, and serves the exactly scaled price otherwise; the IRM serves its curve
//! to the wei; bad constructor configs are refused atomically by the StylusDeployer.

use alloy::sol_types::SolError;
use alloy::{
    primitives::{aliases::U80, I256, U256},
    providers::{DynProvider, Provider},
};
use anyhow::{Context, Result};
use e2e::{
    lending::{
        deploy_aggregator, deploy_periphery, int, irm_rate_at, oracle_config, oracle_price,
        ILendingIrm, ILendingOracle, IMockAggregator, FEED_ANSWER, FEED_DECIMALS, GRACE_PERIOD,
        IRM_BASE, IRM_JUMP, IRM_KINK, IRM_SLOPE, MAX_ANSWER, MAX_STALENESS, MIN_ANSWER, WAD,
    },
    node, provider, send,
};
use ILendingOracle::{
    OracleAnswerOutOfBounds, OracleGracePeriodNotOver, OracleIncompleteRound, OracleInvalidAnswer,
    OracleSequencerDown, OracleStalePrice,
};

async fn now(p: &DynProvider) -> Result<u64> {
    Ok(p.get_block_by_number(alloy::eips::BlockNumberOrTag::Latest)
        .await?
        .context("latest block")?
        .header
        .timestamp)
}

async fn increase_time(p: &DynProvider, secs: u64) -> Result<()> {
    p.raw_request::<_, serde_json::Value>("evm_increaseTime".into(), (secs,))
        .await?;
    Ok(())
}

/// The error `price()` reverts with, decoded as `E`.
async fn price_error<E: alloy::sol_types::SolError>(
    oracle: &ILendingOracle::ILendingOracleInstance<&DynProvider>,
) -> Result<E> {
    let err = oracle
        .price()
        .call()
        .await
        .err()
        .context("price() should revert")?;
    err.as_decoded_error::<E>()
        .with_context(|| format!("expected {}, got {err:?}", E::SIGNATURE))
}

#[tokio::test]
async fn oracle_refuses_every_bad_round_with_its_named_error() -> Result<()> {
    let node = node()?;
    let p = provider(&node.url, node.keys[0].clone())?;
    let stack = deploy_periphery(&p).await?;
    let oracle = ILendingOracle::new(stack.oracle, &p);
    let feed = IMockAggregator::new(stack.aggregator, &p);
    let seq = IMockAggregator::new(stack.sequencer, &p);

    // Configuration as constructed.
    assert_eq!(oracle.feed().call().await?, stack.aggregator);
    assert_eq!(oracle.sequencerUptimeFeed().call().await?, stack.sequencer);
    assert_eq!(oracle.gracePeriod().call().await?, U256::from(GRACE_PERIOD));
    assert_eq!(
        oracle.maxStaleness().call().await?,
        U256::from(MAX_STALENESS)
    );
    assert_eq!(oracle.minAnswer().call().await?, int(MIN_ANSWER));
    assert_eq!(oracle.maxAnswer().call().await?, int(MAX_ANSWER));
    assert_eq!(oracle.priceExponent().call().await?, 28);

    // A good price: 2000e8 · 1e28 = 2000e36.
    assert_eq!(oracle.price().call().await?, oracle_price(FEED_ANSWER));
    assert_eq!(
        oracle_price(FEED_ANSWER),
        U256::from(2_000u64) * U256::from(10u64).pow(U256::from(36))
    );

    // Non-positive answers.
    for bad in [0i128, -1, -FEED_ANSWER] {
        send!(feed.setAnswer(int(bad)));
        let e: OracleInvalidAnswer = price_error(&oracle).await?;
        assert_eq!(e.0, int(bad));
    }

    // Out of bounds, one unit past each side; the bounds themselves pass.
    for (answer, ok) in [
        (MIN_ANSWER - 1, false),
        (MIN_ANSWER, true),
        (MAX_ANSWER, true),
        (MAX_ANSWER + 1, false),
    ] {
        send!(feed.setAnswer(int(answer)));
        if ok {
            assert_eq!(oracle.price().call().await?, oracle_price(answer));
        } else {
            let e: OracleAnswerOutOfBounds = price_error(&oracle).await?;
            assert_eq!(e.0, int(answer));
        }
    }

    // Stale: a round last updated well past the staleness bound.
    let t = now(&p).await?;
    let old = t - MAX_STALENESS - 600;
    send!(feed.setRoundData(
        U80::from(100),
        int(FEED_ANSWER),
        U256::from(old),
        U256::from(old),
        U80::from(100)
    ));
    let e: OracleStalePrice = price_error(&oracle).await?;
    assert_eq!(e.0, U256::from(old));
    // Fresh again, then time passes beyond the bound without a new round.
    send!(feed.setAnswer(int(FEED_ANSWER)));
    assert_eq!(oracle.price().call().await?, oracle_price(FEED_ANSWER));
    let fresh_at = feed.latestRoundData().call().await?._3;
    increase_time(&p, MAX_STALENESS + 60).await?;
    send!(seq.setRoundData(
        U80::from(3),
        I256::ZERO,
        U256::from(1),
        U256::from(1),
        U80::from(3)
    ));
    let e: OracleStalePrice = price_error(&oracle).await?;
    assert_eq!(e.0, fresh_at);

    // Incomplete rounds: answeredInRound behind roundId, and updatedAt = 0.
    let t = now(&p).await?;
    send!(feed.setRoundData(
        U80::from(200),
        int(FEED_ANSWER),
        U256::from(t),
        U256::from(t),
        U80::from(199)
    ));
    let _: OracleIncompleteRound = price_error(&oracle).await?;
    send!(feed.setRoundData(
        U80::from(201),
        int(FEED_ANSWER),
        U256::from(t),
        U256::ZERO,
        U80::from(201)
    ));
    let _: OracleIncompleteRound = price_error(&oracle).await?;
    send!(feed.setAnswer(int(FEED_ANSWER)));
    assert_eq!(oracle.price().call().await?, oracle_price(FEED_ANSWER));

    // Sequencer down.
    send!(seq.setAnswer(int(1)));
    let _: OracleSequencerDown = price_error(&oracle).await?;

    // Sequencer back up: the grace period runs from the restart.
    send!(seq.setAnswer(I256::ZERO));
    let restarted = seq.latestRoundData().call().await?._2;
    let e: OracleGracePeriodNotOver = price_error(&oracle).await?;
    assert_eq!(e.0, restarted);
    increase_time(&p, GRACE_PERIOD - 120).await?;
    send!(feed.setAnswer(int(FEED_ANSWER)));
    let e: OracleGracePeriodNotOver = price_error(&oracle).await?;
    assert_eq!(e.0, restarted);
    increase_time(&p, 240).await?;
    send!(feed.setAnswer(int(FEED_ANSWER + 1)));
    assert!(now(&p).await? > restarted.to::<u64>() + GRACE_PERIOD);

    // A good price again.
    assert_eq!(oracle.price().call().await?, oracle_price(FEED_ANSWER + 1));
    Ok(())
}

#[tokio::test]
async fn mock_aggregator_reports_rounds_like_chainlink() -> Result<()> {
    let node = node()?;
    let p = provider(&node.url, node.keys[0].clone())?;
    let feed_addr = deploy_aggregator(&p, FEED_DECIMALS, FEED_ANSWER).await?;
    let feed = IMockAggregator::new(feed_addr, &p);
    assert_eq!(feed.decimals().call().await?, FEED_DECIMALS);
    assert_eq!(feed.version().call().await?, U256::from(4));
    let r1 = feed.latestRoundData().call().await?;
    assert_eq!(
        (r1._0, r1._1, r1._4),
        (U80::from(1), int(FEED_ANSWER), U80::from(1))
    );
    assert_eq!(r1._2, r1._3);
    let receipt = send!(feed.setAnswer(int(5)));
    let ev = receipt
        .inner
        .logs()
        .iter()
        .find_map(|l| l.log_decode::<IMockAggregator::AnswerUpdated>().ok())
        .context("AnswerUpdated")?;
    assert_eq!(ev.inner.data.current, int(5));
    assert_eq!(ev.inner.data.roundId, U256::from(2));
    let err = feed
        .getRoundData(U80::from(9))
        .call()
        .await
        .err()
        .context("unknown round reverts")?;
    let e = err
        .as_decoded_error::<IMockAggregator::MockRoundNotFound>()
        .context("MockRoundNotFound")?;
    assert_eq!(e.0, U80::from(9));
    Ok(())
}

#[tokio::test]
async fn irm_serves_the_jump_rate_curve_to_the_wei() -> Result<()> {
    let node = node()?;
    let p = provider(&node.url, node.keys[0].clone())?;
    let stack = deploy_periphery(&p).await?;
    let irm = ILendingIrm::new(stack.irm, &p);
    assert_eq!(irm.baseRatePerSecond().call().await?, U256::from(IRM_BASE));
    assert_eq!(irm.slopePerSecond().call().await?, U256::from(IRM_SLOPE));
    assert_eq!(irm.kink().call().await?, U256::from(IRM_KINK));
    assert_eq!(irm.jumpSlopePerSecond().call().await?, U256::from(IRM_JUMP));
    let params = ILendingIrm::MarketParams {
        loanToken: stack.loan,
        collateralToken: stack.collateral,
        oracle: stack.oracle,
        irm: stack.irm,
        lltv: U256::from(WAD / 100 * 86),
    };
    for (supply, borrow) in [
        (0u128, 0u128),
        (1_000, 0),
        (1_000, 500),
        (1_000, 800),
        (1_000, 950),
        (7, 7),
    ] {
        let market = ILendingIrm::Market {
            totalSupplyAssets: supply,
            totalSupplyShares: supply * 1_000_000,
            totalBorrowAssets: borrow,
            totalBorrowShares: borrow * 1_000_000,
            lastUpdate: 0,
            fee: 0,
        };
        let u = if supply == 0 {
            U256::ZERO
        } else {
            U256::from(borrow) * U256::from(WAD) / U256::from(supply)
        };
        assert_eq!(
            irm.utilization(U256::from(supply), U256::from(borrow))
                .call()
                .await?,
            u
        );
        let want = irm_rate_at(u);
        assert_eq!(
            irm.borrowRateView(params.clone(), market.clone())
                .call()
                .await?,
            want
        );
        assert_eq!(irm.borrowRate(params.clone(), market).call().await?, want);
        assert_eq!(irm.borrowRateAt(u).call().await?, want);
    }
    Ok(())
}

/// The revert data of deploying `artifact` with `init` through the StylusDeployer (an
/// `eth_call`: nothing is sent); `None` if it would succeed.
async fn deploy_revert(
    p: &DynProvider,
    artifact: &str,
    init: alloy::primitives::Bytes,
) -> Option<alloy::primitives::Bytes> {
    use scripts::suite::{IStylusDeployer, STYLUS_DEPLOYER};
    let initcode = alloy::primitives::Bytes::from(scripts::wasm::artifact(artifact).initcode());
    IStylusDeployer::new(STYLUS_DEPLOYER, p)
        .deploy_call(initcode, init, U256::ZERO, Default::default())
        .value(U256::from(WAD))
        .call()
        .await
        .err()
        .and_then(|e| e.as_revert_data())
}

/// Whether `data` contains `needle` (the constructor's error, possibly wrapped by the deployer).
fn contains(data: &[u8], needle: &[u8]) -> bool {
    data.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn bad_configs_are_refused_at_construction() -> Result<()> {
    let node = node()?;
    let p = provider(&node.url, node.keys[0].clone())?;
    let feed = deploy_aggregator(&p, FEED_DECIMALS, FEED_ANSWER).await?;
    let good = oracle_config(feed, alloy::primitives::Address::ZERO);
    let mut bads = vec![];
    let mut c = good;
    c.min_answer = int(0);
    bads.push(c);
    let mut c = good;
    c.min_answer = int(MAX_ANSWER + 1);
    bads.push(c);
    let mut c = good;
    c.max_staleness = U256::ZERO;
    bads.push(c);
    let mut c = good;
    c.feed = alloy::primitives::Address::ZERO;
    bads.push(c);
    let mut c = good;
    c.loan_decimals = 200;
    bads.push(c);
    let bad_config = ILendingOracle::OracleBadConfig::SELECTOR;
    for c in bads {
        let data = deploy_revert(
            &p,
            "lending-oracle",
            scripts::suite::oracle_constructor_call(&c),
        )
        .await
        .with_context(|| format!("{c:?} was accepted"))?;
        assert!(contains(&data, &bad_config), "{c:?}: {data}");
    }
    e2e::deploy_constructed(
        &p,
        "lending-oracle",
        scripts::suite::oracle_constructor_call(&good),
    )
    .await?;
    // IRM: kink at 100% and a curve above the cap.
    for (base, kink, selector) in [
        (0u128, WAD, ILendingIrm::IrmInvalidKink::SELECTOR),
        (WAD, IRM_KINK, ILendingIrm::IrmRateTooHigh::SELECTOR),
    ] {
        let init = scripts::suite::irm_constructor_call(
            U256::from(base),
            U256::from(IRM_SLOPE),
            U256::from(kink),
            U256::from(IRM_JUMP),
        );
        let data = deploy_revert(&p, "lending-irm", init)
            .await
            .with_context(|| format!("irm ({base}, {kink}) was accepted"))?;
        assert!(contains(&data, &selector), "{data}");
    }
    Ok(())
}
