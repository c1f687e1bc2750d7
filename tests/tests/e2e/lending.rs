//! End-to-end test of the lending market on a spawned devnode, through JSON-RPC with the real
//! wasm of the market, its three facets, the IRM, the oracle adapter and the mock feeds: create a
//! market (owner-enabled IRM and LLTV), supply, supply collateral, borrow, `evm_increaseTime`
//! and check the interest and the fee shares to the wei against Morpho's Taylor formula and the
//! IRM curve (computed here, independently), incentives streamed to the supply and borrow
//! sources and claimed on both sides, a signed authorisation (EIP-712) with replay and expiry
//! refused, a flash loan by a borrower contract, and after dropping the mock price a
//! liquidation without and then with bad debt (incentive factor, seized, repaid, bad debt
//! spread over the suppliers).

use alloy::{
    primitives::{keccak256, B256, U256},
    providers::{DynProvider, Provider},
    signers::{local::PrivateKeySigner, SignerSync},
    sol_types::{SolEvent, SolValue},
};
use anyhow::{ensure, Context, Result};
use e2e::{
    abi::ITestToken,
    amm::IRewards,
    lending::{
        deploy_token, int, oracle_price,
        reference::{self, Totals},
        IMockAggregator, FEED_DECIMALS, WAD,
    },
    lending_market::{
        deploy_lending, ILendingMarket, ILendingMarketAdminFacet, ILendingMarketViewsFacet,
        Lending, LLTV,
    },
    node, provider, send, solidity,
};

const E18: u128 = WAD;
const WEEK: u64 = 7 * 24 * 3600;

fn units(x: u128) -> U256 {
    U256::from(x) * U256::from(E18)
}

async fn increase_time(p: &DynProvider, secs: u64) -> Result<()> {
    p.raw_request::<_, serde_json::Value>("evm_increaseTime".into(), (secs,))
        .await?;
    Ok(())
}

async fn block_time(
    p: &DynProvider,
    receipt: &alloy::rpc::types::TransactionReceipt,
) -> Result<u64> {
    Ok(
        p.get_block_by_number(receipt.block_number.context("no block")?.into())
            .await?
            .context("block")?
            .header
            .timestamp,
    )
}

async fn totals(
    m: &ILendingMarketViewsFacet::ILendingMarketViewsFacetInstance<&DynProvider>,
    id: B256,
) -> Result<(Totals, u64, U256)> {
    let r = m.market(id).call().await?;
    Ok((
        Totals {
            supply_assets: U256::from(r._0),
            supply_shares: U256::from(r._1),
            borrow_assets: U256::from(r._2),
            borrow_shares: U256::from(r._3),
        },
        r._4 as u64,
        U256::from(r._5),
    ))
}

fn event<E: SolEvent>(receipt: &alloy::rpc::types::TransactionReceipt) -> Result<E> {
    receipt
        .inner
        .logs()
        .iter()
        .find_map(|l| l.log_decode::<E>().ok())
        .map(|l| l.inner.data)
        .with_context(|| format!("no {} event", E::SIGNATURE))
}

/// EIP-712 digest of Morpho's `Authorization` in the market's domain.
fn authorization_digest(domain: B256, a: &ILendingMarketAdminFacet::Authorization) -> B256 {
    let typehash = keccak256(
        "Authorization(address authorizer,address authorized,bool isAuthorized,uint256 nonce,uint256 deadline)",
    );
    let struct_hash = keccak256(
        (
            typehash,
            a.authorizer,
            a.authorized,
            a.isAuthorized,
            a.nonce,
            a.deadline,
        )
            .abi_encode(),
    );
    let mut buf = vec![0x19, 0x01];
    buf.extend_from_slice(domain.as_slice());
    buf.extend_from_slice(struct_hash.as_slice());
    keccak256(buf)
}

fn sign(key: &PrivateKeySigner, digest: B256) -> Result<ILendingMarketAdminFacet::Signature> {
    let sig = key.sign_hash_sync(&digest)?;
    Ok(ILendingMarketAdminFacet::Signature {
        v: 27 + sig.v() as u8,
        r: B256::from(sig.r()),
        s: B256::from(sig.s()),
    })
}

#[tokio::test]
async fn lending_market_end_to_end() -> Result<()> {
    let node = node()?;
    ensure!(node.keys.len() >= 5, "need five funded accounts");
    let keys: Vec<PrivateKeySigner> = node.keys.iter().take(5).cloned().collect();
    let [owner, alice, bob, carol, dave] = [0, 1, 2, 3, 4].map(|i| keys[i].address());
    let po = provider(&node.url, keys[0].clone())?;
    let pa = provider(&node.url, keys[1].clone())?;
    let pb = provider(&node.url, keys[2].clone())?;
    let pc = provider(&node.url, keys[3].clone())?;
    let pd = provider(&node.url, keys[4].clone())?;

    let l: Lending = deploy_lending(&po, owner).await?;
    let (loan, coll) = (l.periphery.loan, l.periphery.collateral);
    let id = l.id;
    let params = l.params.clone();
    let ma = ILendingMarket::new(l.market, &pa);
    let mb = ILendingMarket::new(l.market, &pb);
    let mc = ILendingMarket::new(l.market, &pc);
    let admin = ILendingMarketAdminFacet::new(l.market, &po);
    let views = ILendingMarketViewsFacet::new(l.market, &po);
    let liq = ILendingMarketAdminFacet::new(l.market, &pc);

    // The created market as Morpho reports it.
    let ip = views.idToMarketParams(id).call().await?;
    assert_eq!(
        (ip._0, ip._1, ip._2, ip._3, ip._4),
        (
            loan,
            coll,
            l.periphery.oracle,
            l.periphery.irm,
            U256::from(LLTV)
        )
    );
    assert!(views.isIrmEnabled(l.periphery.irm).call().await?);
    assert!(views.isLltvEnabled(U256::from(LLTV)).call().await?);
    // 10% fee to carol.
    send!(admin.setFeeRecipient(carol));
    let fee = U256::from(E18 / 10);
    send!(admin.setFee(l.admin_params(), fee));

    // Tokens.
    let tok = |a, p| ITestToken::new(a, p);
    send!(tok(loan, &po).mint(alice, units(1_000_000)));
    send!(tok(loan, &po).mint(carol, units(1_000_000)));
    send!(tok(coll, &po).mint(bob, units(1_000)));
    send!(tok(loan, &pa).approve(l.market, U256::MAX));
    send!(tok(loan, &pb).approve(l.market, U256::MAX));
    send!(tok(loan, &pc).approve(l.market, U256::MAX));
    send!(tok(coll, &pb).approve(l.market, U256::MAX));

    // Supply: an empty market gives assets · 1e6 shares.
    let supplied = units(100_000);
    let r = send!(ma.supply(
        params.clone(),
        supplied,
        U256::ZERO,
        alice,
        Default::default()
    ));
    let ev: ILendingMarket::Supply = event(&r)?;
    assert_eq!(
        (ev.assets, ev.shares),
        (supplied, supplied * U256::from(1_000_000u64))
    );
    let alice_shares = ev.shares;

    // Collateral and a 70% utilisation borrow.
    send!(mb.supplyCollateral(params.clone(), units(100), bob, Default::default()));
    let borrowed = units(70_000);
    let r = send!(mb.borrow(params.clone(), borrowed, U256::ZERO, bob, bob));
    let ev: ILendingMarket::Borrow = event(&r)?;
    assert_eq!(ev.assets, borrowed);
    assert_eq!(
        ev.shares,
        reference::to_shares_up(borrowed, U256::ZERO, U256::ZERO)
    );
    assert_eq!(tok(loan, &po).balanceOf(bob).call().await?, borrowed);
    let pos = views.position(id, bob).call().await?;
    assert_eq!(U256::from(pos._1), ev.shares);
    assert_eq!(U256::from(pos._2), units(100));
    // Borrowing more than the market holds fails (the LLTV would allow 160,000 here).
    let err = mb
        .borrow(params.clone(), units(40_000), U256::ZERO, bob, bob)
        .call()
        .await
        .err()
        .context("borrow beyond liquidity")?;
    assert!(
        err.as_decoded_error::<ILendingMarket::InsufficientLiquidity>()
            .is_some(),
        "{err:?}"
    );

    // Incentives on both sides: 7,000 reward tokens per side over a week.
    let reward = deploy_token(&po, "Reward", 18).await?;
    send!(tok(reward, &po).mint(owner, units(100_000)));
    send!(tok(reward, &po).approve(l.market, U256::MAX));
    let srcs = views.rewardSources(id).call().await?;
    let (supply_src, borrow_src) = (srcs._0, srcs._1);
    assert_eq!(supply_src, U256::from_be_bytes(id.0));
    assert_eq!(borrow_src, U256::from_be_bytes(id.0) ^ U256::from(1));
    let rw = IRewards::new(l.market, &po);
    let amount = units(7_000);
    for src in [supply_src, borrow_src] {
        send!(rw.addReward_1(src, reward, owner, U256::from(WEEK)));
        send!(rw.notifyRewardAmount_1(src, reward, amount));
    }

    // Interest: 30 days, then a bare accrual; checked to the wei against the Taylor formula.
    let (mut t, last, stored_fee) = totals(&views, id).await?;
    assert_eq!(stored_fee, fee);
    increase_time(&po, 30 * 24 * 3600).await?;
    let r = send!(mc.accrueInterest(params.clone()));
    let now = block_time(&po, &r).await?;
    let rate = t.irm_rate();
    let (interest, fee_shares) = t.accrue(rate, now - last, fee);
    let ev: ILendingMarket::AccrueInterest = event(&r)?;
    assert_eq!(ev.prevBorrowRate, rate);
    assert_eq!(ev.interest, interest);
    assert_eq!(ev.feeShares, fee_shares);
    assert!(interest > U256::ZERO && fee_shares > U256::ZERO);
    let (after, last2, _) = totals(&views, id).await?;
    assert_eq!(after, t);
    assert_eq!(last2, now);
    assert_eq!(
        U256::from(views.position(id, carol).call().await?._0),
        fee_shares
    );
    // The views agree: borrower owes (rounded up) what the books say; what suppliers and the
    // fee recipient are owed (rounded down) never exceeds the supply assets.
    let owed = views
        .expectedBorrowAssets(l.views_params(), bob)
        .call()
        .await?;
    assert_eq!(
        owed,
        reference::to_assets_up(U256::from(pos._1), t.borrow_assets, t.borrow_shares)
    );
    let a_assets = views
        .expectedSupplyAssets(l.views_params(), alice)
        .call()
        .await?;
    let c_assets = views
        .expectedSupplyAssets(l.views_params(), carol)
        .call()
        .await?;
    assert_eq!(
        a_assets,
        reference::to_assets_down(alice_shares, t.supply_assets, t.supply_shares)
    );
    assert!(a_assets + c_assets <= t.supply_assets);
    // Accrual is idempotent within a block: a second accrue in a later block with no time
    // moved is still exact against the reference.
    let emb = views
        .expectedMarketBalances(l.views_params())
        .call()
        .await?;
    assert!(emb._0 >= t.supply_assets && emb._2 >= t.borrow_assets);

    // Incentives claimed on both sides (the streams ended during the 30 days).
    let earned_a = rw.earned_1(supply_src, alice, reward).call().await?;
    let earned_b = rw.earned_1(borrow_src, bob, reward).call().await?;
    // Sole holder of each side during the whole stream: everything but rate-rounding dust.
    for e in [earned_a, earned_b] {
        assert!(e <= amount && amount - e < U256::from(WEEK), "{e}");
    }
    assert_eq!(
        rw.earned_1(supply_src, carol, reward).call().await?,
        U256::ZERO
    );
    send!(IRewards::new(l.market, &pa).claimAll_1(supply_src, alice));
    send!(IRewards::new(l.market, &pb).claimAll_1(borrow_src, bob));
    assert_eq!(tok(reward, &po).balanceOf(alice).call().await?, earned_a);
    assert_eq!(tok(reward, &po).balanceOf(bob).call().await?, earned_b);
    // The sources are separate: alice earned nothing as a borrower, bob nothing as a supplier.
    assert_eq!(
        rw.earned_1(borrow_src, alice, reward).call().await?,
        U256::ZERO
    );
    assert_eq!(
        rw.earned_1(supply_src, bob, reward).call().await?,
        U256::ZERO
    );

    // Signed authorisation: alice authorises dave; carol relays it.
    let domain = views.DOMAIN_SEPARATOR().call().await?;
    let chain_id = po.get_chain_id().await?;
    let expected_domain = keccak256(
        (
            keccak256("EIP712Domain(uint256 chainId,address verifyingContract)"),
            U256::from(chain_id),
            l.market,
        )
            .abi_encode(),
    );
    assert_eq!(domain, expected_domain);
    let deadline = U256::from(now + 3_600 * 24 * 365);
    let auth = ILendingMarketAdminFacet::Authorization {
        authorizer: alice,
        authorized: dave,
        isAuthorized: true,
        nonce: U256::ZERO,
        deadline,
    };
    let sig = sign(&keys[1], authorization_digest(domain, &auth))?;
    let relay = ILendingMarketAdminFacet::new(l.market, &pc);
    let r = send!(relay.setAuthorizationWithSig(auth.clone(), sig.clone()));
    let ev: ILendingMarketAdminFacet::IncrementNonce = event(&r)?;
    assert_eq!(
        (ev.caller, ev.authorizer, ev.usedNonce),
        (carol, alice, U256::ZERO)
    );
    assert!(views.isAuthorized(alice, dave).call().await?);
    assert_eq!(views.nonce(alice).call().await?, U256::from(1));
    // Replay refused.
    let err = relay
        .setAuthorizationWithSig(auth.clone(), sig)
        .call()
        .await
        .err()
        .context("replay")?;
    assert!(
        err.as_decoded_error::<ILendingMarketAdminFacet::InvalidNonce>()
            .is_some(),
        "{err:?}"
    );
    // Expired refused (nonce 1, deadline in the past).
    let expired = ILendingMarketAdminFacet::Authorization {
        nonce: U256::from(1),
        deadline: U256::from(now - 1),
        ..auth.clone()
    };
    let sig = sign(&keys[1], authorization_digest(domain, &expired))?;
    let err = relay
        .setAuthorizationWithSig(expired, sig)
        .call()
        .await
        .err()
        .context("expired")?;
    assert!(
        err.as_decoded_error::<ILendingMarketAdminFacet::SignatureExpired>()
            .is_some(),
        "{err:?}"
    );
    // Signed by the wrong key refused.
    let forged = ILendingMarketAdminFacet::Authorization {
        nonce: U256::from(1),
        ..auth.clone()
    };
    let sig = sign(&keys[3], authorization_digest(domain, &forged))?;
    let err = relay
        .setAuthorizationWithSig(forged, sig)
        .call()
        .await
        .err()
        .context("forged")?;
    assert!(
        err.as_decoded_error::<ILendingMarketAdminFacet::InvalidSignature>()
            .is_some(),
        "{err:?}"
    );
    // dave now manages alice's position: withdraws 1,000 to himself.
    let md = ILendingMarket::new(l.market, &pd);
    send!(md.withdraw(params.clone(), units(1_000), U256::ZERO, alice, dave));
    assert_eq!(tok(loan, &po).balanceOf(dave).call().await?, units(1_000));
    // and nobody else does.
    let err = mb
        .withdraw(params.clone(), units(1), U256::ZERO, alice, bob)
        .call()
        .await
        .err()
        .context("unauthorised withdraw")?;
    assert!(
        err.as_decoded_error::<ILendingMarket::Unauthorized>()
            .is_some(),
        "{err:?}"
    );

    // Flash loan by a borrower contract.
    let fb = solidity::deploy(&po, "lending/LendingFlashBorrower", &l.market.abi_encode()).await?;
    let fbi = e2e::lending::ILendingFlashBorrower::new(fb, &po);
    let held = tok(loan, &po).balanceOf(l.market).call().await?;
    let flash = units(10_000);
    let r = send!(fbi.flash(loan, flash, true));
    let ev: ILendingMarket::FlashLoan = event(&r)?;
    assert_eq!((ev.caller, ev.token, ev.assets), (fb, loan, flash));
    assert_eq!(fbi.seenAssets().call().await?, flash);
    assert_eq!(fbi.seenBalance().call().await?, flash);
    assert_eq!(fbi.seenMarketBalance().call().await?, held - flash);
    assert_eq!(tok(loan, &po).balanceOf(l.market).call().await?, held);
    assert_eq!(tok(loan, &po).balanceOf(fb).call().await?, U256::ZERO);
    // Not paying back reverts the whole loan.
    assert!(fbi.flash(loan, flash, false).call().await.is_err());

    // Liquidation without bad debt: the price drops to 800 (debt ~70.2k > 100 · 800 · 0.8 = 64k, collateral worth 80k).
    let feed = IMockAggregator::new(l.periphery.aggregator, &po);
    // 30 days passed: the feed is stale (OracleStalePrice bubbles through the market); a fresh
    // round at the same price first.
    send!(feed.setAnswer(int(e2e::lending::FEED_ANSWER)));
    let healthy_err = liq
        .liquidate(
            l.admin_params(),
            bob,
            units(1),
            U256::ZERO,
            Default::default(),
        )
        .call()
        .await
        .err()
        .context("healthy")?;
    assert!(
        healthy_err
            .as_decoded_error::<ILendingMarket::HealthyPosition>()
            .is_some(),
        "{healthy_err:?}"
    );
    let p1 = 800i128 * 10i128.pow(FEED_DECIMALS as u32);
    send!(feed.setAnswer(int(p1)));
    let (mut t, last, _) = totals(&views, id).await?;
    let seize = units(10);
    let before_coll = tok(coll, &po).balanceOf(carol).call().await?;
    let before_loan = tok(loan, &po).balanceOf(carol).call().await?;
    let r = send!(liq.liquidate(l.admin_params(), bob, seize, U256::ZERO, Default::default()));
    let now = block_time(&po, &r).await?;
    let rate = t.irm_rate();
    t.accrue(rate, now - last, fee);
    let lif = reference::liquidation_incentive_factor(U256::from(LLTV));
    assert_eq!(
        lif,
        reference::w_div_down(
            U256::from(E18),
            U256::from(E18) - reference::w_mul_down(U256::from(3 * E18 / 10), U256::from(E18 / 5))
        )
    );
    let price = oracle_price(p1);
    let quoted = reference::mul_div_up(seize, price, reference::price_scale());
    let repaid_shares = reference::to_shares_up(
        reference::w_div_up(quoted, lif),
        t.borrow_assets,
        t.borrow_shares,
    );
    let repaid_assets = reference::to_assets_up(repaid_shares, t.borrow_assets, t.borrow_shares);
    let ev: ILendingMarket::Liquidate = event(&r)?;
    assert_eq!((ev.borrower, ev.caller), (bob, carol));
    assert_eq!(ev.seizedAssets, seize);
    assert_eq!(ev.repaidShares, repaid_shares);
    assert_eq!(ev.repaidAssets, repaid_assets);
    assert_eq!(
        (ev.badDebtAssets, ev.badDebtShares),
        (U256::ZERO, U256::ZERO)
    );
    assert_eq!(
        tok(coll, &po).balanceOf(carol).call().await? - before_coll,
        seize
    );
    assert_eq!(
        before_loan - tok(loan, &po).balanceOf(carol).call().await?,
        repaid_assets
    );
    // The seized value is the repaid value times the incentive (to rounding).
    let seized_value = seize * price / reference::price_scale();
    assert!(seized_value >= reference::w_mul_down(repaid_assets, lif) - U256::from(1));
    let pos = views.position(id, bob).call().await?;
    assert_eq!(U256::from(pos._2), units(90));

    // Liquidation with bad debt: the price collapses to 300; seizing all 90 units repays less
    // than the debt, and the rest is written off against the suppliers.
    let p2 = 300i128 * 10i128.pow(FEED_DECIMALS as u32);
    send!(feed.setAnswer(int(p2)));
    let (mut t, last, _) = totals(&views, id).await?;
    let alice_before = views
        .expectedSupplyAssets(l.views_params(), alice)
        .call()
        .await?;
    let seize = U256::from(pos._2);
    let r = send!(liq.liquidate(l.admin_params(), bob, seize, U256::ZERO, Default::default()));
    let now = block_time(&po, &r).await?;
    let rate = t.irm_rate();
    t.accrue(rate, now - last, fee);
    let price = oracle_price(p2);
    let quoted = reference::mul_div_up(seize, price, reference::price_scale());
    let repaid_shares = reference::to_shares_up(
        reference::w_div_up(quoted, lif),
        t.borrow_assets,
        t.borrow_shares,
    );
    let repaid_assets = reference::to_assets_up(repaid_shares, t.borrow_assets, t.borrow_shares);
    t.borrow_shares -= repaid_shares;
    t.borrow_assets = t.borrow_assets.saturating_sub(repaid_assets);
    let bad_shares = U256::from(pos._1) - repaid_shares;
    let bad_assets = t.borrow_assets.min(reference::to_assets_up(
        bad_shares,
        t.borrow_assets,
        t.borrow_shares,
    ));
    t.borrow_assets -= bad_assets;
    t.supply_assets -= bad_assets;
    t.borrow_shares -= bad_shares;
    let ev: ILendingMarket::Liquidate = event(&r)?;
    assert_eq!(ev.seizedAssets, seize);
    assert_eq!(ev.repaidShares, repaid_shares);
    assert_eq!(ev.repaidAssets, repaid_assets);
    assert_eq!(ev.badDebtShares, bad_shares);
    assert_eq!(ev.badDebtAssets, bad_assets);
    assert!(bad_assets > U256::ZERO);
    let (after, _, _) = totals(&views, id).await?;
    assert_eq!(after, t);
    let pos = views.position(id, bob).call().await?;
    assert_eq!((pos._1, pos._2), (0, 0));
    // Spread over suppliers pro rata: alice's claim fell by her share of the bad debt.
    let alice_after = views
        .expectedSupplyAssets(l.views_params(), alice)
        .call()
        .await?;
    let alice_shares_now = views.position(id, alice).call().await?._0;
    assert_eq!(
        alice_after,
        reference::to_assets_down(alice_shares_now, t.supply_assets, t.supply_shares)
    );
    let loss = alice_before - alice_after;
    let share = reference::mul_div_down(bad_assets, alice_shares_now, t.supply_shares);
    // `alice_before` was read a few seconds of interest earlier (measured 1.7e-9 relative): equal to 1e-6.
    assert!(
        loss.abs_diff(share) * U256::from(1_000_000u64) < share,
        "loss {loss} vs share {share}"
    );
    Ok(())
}
