//! Supply, withdraw, borrow, repay, collateral, flash loans, authorisation, accrual and views:
//! every path and every error.

use super::*;

#[test]
fn supply_by_assets_and_by_shares_rounds_against_the_caller() {
    let (vm, mut m) = setup();
    let (a, s) = supply(&vm, &mut m, ALICE, u(1_000)).unwrap();
    assert_eq!((a, s), (u(1_000), u(1_000_000_000)));
    assert_eq!(ledger_balance(LOAN, MARKET), u(1_000));
    assert_eq!(pos(&m, ALICE).0, u(1_000_000_000));
    // Make 1 share worth a fraction: borrow to create interest then supply by shares.
    mint(LOAN, BOB, u(10));
    vm.set_sender(BOB);
    let (a, s) = m
        .supply_inner(params(), U256::ZERO, u(1), BOB, &[])
        .unwrap();
    // 1 share of (1000+1)/(1e9+1e6) assets rounds up to 1 asset.
    assert_eq!((a, s), (u(1), u(1)));
    let t = totals(&m);
    assert_eq!(t.supply_assets, u(1_001));
    assert_eq!(t.supply_shares, u(1_000_000_001));
}

#[test]
fn supply_errors() {
    let (vm, mut m) = setup();
    vm.set_sender(ALICE);
    let e = m
        .supply_inner(params(), u(1), u(1), ALICE, &[])
        .unwrap_err();
    assert_eq!(e, data(err!(InconsistentInput)));
    let e = m
        .supply_inner(params(), U256::ZERO, U256::ZERO, ALICE, &[])
        .unwrap_err();
    assert_eq!(e, data(err!(InconsistentInput)));
    let e = m
        .supply_inner(params(), u(1), U256::ZERO, Address::ZERO, &[])
        .unwrap_err();
    assert_eq!(e, data(err!(ZeroAddress)));
    let mut other = params();
    other.lltv = u(1);
    let e = m
        .supply_inner(other, u(1), U256::ZERO, ALICE, &[])
        .unwrap_err();
    assert_eq!(e, data(err!(MarketNotCreated)));
    // No tokens: the pull fails by name.
    let e = m
        .supply_inner(params(), u(1), U256::ZERO, ALICE, &[])
        .unwrap_err();
    assert_eq!(
        e,
        data(MarketError::SafeERC20FailedOperation(
            SafeERC20FailedOperation { token: LOAN }
        ))
    );
}

#[test]
fn fee_on_transfer_tokens_are_refused_not_over_credited() {
    let (vm, mut m) = setup();
    set_fee_on_transfer(LOAN, u(1));
    let e = supply(&vm, &mut m, ALICE, u(100)).unwrap_err();
    assert_eq!(
        e,
        data(MarketError::TransferShortfall(TransferShortfall {
            token: LOAN,
            expected: u(100),
            received: u(99)
        }))
    );
    set_fee_on_transfer(COLL, u(5));
    let e = post(&vm, &mut m, ALICE, u(100)).unwrap_err();
    assert_eq!(
        e,
        data(MarketError::TransferShortfall(TransferShortfall {
            token: COLL,
            expected: u(100),
            received: u(95)
        }))
    );
}

#[test]
fn withdraw_by_assets_rounds_shares_up_and_by_shares_assets_down() {
    let (vm, mut m) = setup();
    supply(&vm, &mut m, ALICE, u(1_000)).unwrap();
    supply(&vm, &mut m, BOB, u(3)).unwrap();
    // Skew the share price: interest via a borrower.
    post(&vm, &mut m, CAROL, u(10_000)).unwrap();
    borrow(&vm, &mut m, CAROL, u(500)).unwrap();
    set_rate(u(1_000_000_000_000)); // 1e-6 / s
    vm.set_block_timestamp(T0 + 1000);
    vm.set_sender(ALICE);
    let before = totals(&m);
    let (a, s) = m
        .withdraw_inner(params(), u(7), U256::ZERO, ALICE, ALICE)
        .unwrap();
    assert_eq!(a, u(7));
    let t_acc = {
        let mut t = before;
        math::accrue(&mut t, u(1_000_000_000_000), u(1000), U256::ZERO).unwrap();
        t
    };
    assert_eq!(
        s,
        math::to_shares_up(u(7), t_acc.supply_assets, t_acc.supply_shares).unwrap()
    );
    let (a2, s2) = m
        .withdraw_inner(params(), U256::ZERO, u(1_234_567), ALICE, BOB)
        .unwrap();
    assert_eq!(s2, u(1_234_567));
    let t = totals(&m);
    assert_eq!(
        a2,
        math::to_assets_down(u(1_234_567), t.supply_assets + a2, t.supply_shares + s2).unwrap()
    );
    assert_eq!(ledger_balance(LOAN, BOB), a2);
    assert_eq!(ledger_balance(LOAN, ALICE), u(7));
}

#[test]
fn withdraw_errors() {
    let (vm, mut m) = setup();
    supply(&vm, &mut m, ALICE, u(1_000)).unwrap();
    vm.set_sender(BOB);
    let e = m
        .withdraw_inner(params(), u(1), U256::ZERO, ALICE, BOB)
        .unwrap_err();
    assert_eq!(e, data(err!(Unauthorized)));
    let e = m
        .withdraw_inner(params(), u(1), U256::ZERO, ALICE, Address::ZERO)
        .unwrap_err();
    assert_eq!(e, data(err!(ZeroAddress)));
    let e = m
        .withdraw_inner(params(), u(1), u(1), ALICE, BOB)
        .unwrap_err();
    assert_eq!(e, data(err!(InconsistentInput)));
    vm.set_sender(ALICE);
    let e = m
        .withdraw_inner(params(), u(1_001), U256::ZERO, ALICE, ALICE)
        .unwrap_err();
    assert_eq!(
        e,
        data(MarketError::MathUnderflow(kit::math::MathUnderflow {}))
    );
    // Liquidity: a borrower takes 600; Alice cannot withdraw more than 400.
    post(&vm, &mut m, BOB, u(10_000)).unwrap();
    borrow(&vm, &mut m, BOB, u(600)).unwrap();
    vm.set_sender(ALICE);
    let e = m
        .withdraw_inner(params(), u(401), U256::ZERO, ALICE, ALICE)
        .unwrap_err();
    assert_eq!(e, data(err!(InsufficientLiquidity)));
    m.withdraw_inner(params(), u(400), U256::ZERO, ALICE, ALICE)
        .unwrap();
}

#[test]
fn authorised_managers_act_for_the_authorizer() {
    let (vm, mut m) = setup();
    supply(&vm, &mut m, ALICE, u(1_000)).unwrap();
    post(&vm, &mut m, ALICE, u(1_000)).unwrap();
    vm.set_sender(ALICE);
    m.set_authorization_inner(BOB, true).unwrap();
    assert!(m.is_authorized.getter(ALICE).get(BOB));
    assert_eq!(m.set_authorization_inner(BOB, true), Err(err!(AlreadySet)));
    vm.set_sender(BOB);
    m.withdraw_inner(params(), u(10), U256::ZERO, ALICE, BOB)
        .unwrap();
    m.borrow_inner(params(), u(10), U256::ZERO, ALICE, BOB)
        .unwrap();
    m.withdraw_collateral_inner(params(), u(10), ALICE, BOB)
        .unwrap();
    assert_eq!(ledger_balance(LOAN, BOB), u(20));
    assert_eq!(ledger_balance(COLL, BOB), u(10));
    vm.set_sender(ALICE);
    m.set_authorization_inner(BOB, false).unwrap();
    vm.set_sender(BOB);
    let e = m
        .borrow_inner(params(), u(1), U256::ZERO, ALICE, BOB)
        .unwrap_err();
    assert_eq!(e, data(err!(Unauthorized)));
    let e = m
        .withdraw_collateral_inner(params(), u(1), ALICE, BOB)
        .unwrap_err();
    assert_eq!(e, data(err!(Unauthorized)));
}

#[test]
fn borrow_checks_health_then_liquidity_then_pays() {
    let (vm, mut m) = setup();
    supply(&vm, &mut m, ALICE, u(1_000)).unwrap();
    post(&vm, &mut m, BOB, u(1_000)).unwrap();
    // Max borrow = 1000 · 0.8 = 800 (801: see `borrow_one_wei_over_the_limit_fails`).
    let (a, s) = borrow(&vm, &mut m, BOB, u(800)).unwrap();
    assert_eq!(a, u(800));
    // Shares rounded up: 800 · (0+1e6)/(0+1) = 8e8.
    assert_eq!(s, u(800_000_000));
    assert_eq!(ledger_balance(LOAN, BOB), u(800));
    assert_eq!(pos(&m, BOB).1, 800_000_000);
    // By shares: assets rounded down.
    post(&vm, &mut m, CAROL, u(10_000)).unwrap();
    vm.set_sender(CAROL);
    let (a, _) = m
        .borrow_inner(params(), U256::ZERO, u(1_999_999), CAROL, CAROL)
        .unwrap();
    assert_eq!(a, u(1));
    // Zero collateral: any borrow is unhealthy; no oracle needed when there is no debt.
    let e = borrow(&vm, &mut m, OWNER, u(1)).unwrap_err();
    assert_eq!(e, data(err!(InsufficientCollateral)));
    let e = m
        .borrow_inner(params(), u(1), U256::ZERO, CAROL, Address::ZERO)
        .unwrap_err();
    assert_eq!(e, data(err!(ZeroAddress)));
}

#[test]
fn oracle_and_irm_failures_bubble_their_revert_data() {
    let (vm, mut m) = setup();
    supply(&vm, &mut m, ALICE, u(1_000)).unwrap();
    post(&vm, &mut m, BOB, u(1_000)).unwrap();
    set_revert(ORACLE, b"\x01\x02stale".to_vec());
    let e = borrow(&vm, &mut m, BOB, u(1)).unwrap_err();
    assert_eq!(e, b"\x01\x02stale".to_vec());
    with(|w| w.revert.clear());
    with(|w| w.price.clear());
    let e = borrow(&vm, &mut m, BOB, u(1)).unwrap_err();
    assert_eq!(e, data(err!(NoCode)));
    set_price(math::ORACLE_PRICE_SCALE);
    borrow(&vm, &mut m, BOB, u(1)).unwrap();
    set_revert(IRM, b"irm".to_vec());
    vm.set_block_timestamp(T0 + 1);
    let e = m.accrue(&params(), id()).unwrap_err();
    assert_eq!(e, b"irm".to_vec());
    // The views bubble too.
    assert_eq!(m.expected_totals(&params()).unwrap_err(), b"irm".to_vec());
}

#[test]
fn repay_by_assets_rounds_shares_down_and_by_shares_assets_up() {
    let (vm, mut m) = setup();
    supply(&vm, &mut m, ALICE, u(1_000)).unwrap();
    post(&vm, &mut m, BOB, u(1_000)).unwrap();
    borrow(&vm, &mut m, BOB, u(500)).unwrap();
    set_rate(u(3_000_000_000_000)); // 3e-6/s
    vm.set_block_timestamp(T0 + 777);
    // Anyone can repay for anyone.
    mint(LOAN, CAROL, u(1_000));
    vm.set_sender(CAROL);
    let (a, s) = m
        .repay_inner(params(), u(100), U256::ZERO, BOB, &[])
        .unwrap();
    assert_eq!(a, u(100));
    let t = totals(&m);
    assert_eq!(
        s,
        math::to_shares_down(u(100), t.borrow_assets + u(100), t.borrow_shares + s).unwrap()
    );
    let (a, s) = m.repay_inner(params(), U256::ZERO, u(3), BOB, &[]).unwrap();
    assert_eq!((a, s), (u(1), u(3)));
    // Repay everything by shares.
    let shares = U256::from(pos(&m, BOB).1);
    m.repay_inner(params(), U256::ZERO, shares, BOB, &[])
        .unwrap();
    assert_eq!(pos(&m, BOB).1, 0);
    let t = totals(&m);
    assert_eq!(t.borrow_shares, U256::ZERO);
    assert_eq!(t.borrow_assets, U256::ZERO);
    // Repaying more than the debt underflows by name.
    let e = m
        .repay_inner(params(), U256::ZERO, u(1), BOB, &[])
        .unwrap_err();
    assert_eq!(
        e,
        data(MarketError::MathUnderflow(kit::math::MathUnderflow {}))
    );
    let e = m
        .repay_inner(params(), u(1), U256::ZERO, Address::ZERO, &[])
        .unwrap_err();
    assert_eq!(e, data(err!(ZeroAddress)));
    let e = m.repay_inner(params(), u(1), u(1), BOB, &[]).unwrap_err();
    assert_eq!(e, data(err!(InconsistentInput)));
}

#[test]
fn collateral_paths_and_errors() {
    let (vm, mut m) = setup();
    vm.set_sender(ALICE);
    let e = m
        .supply_collateral_inner(params(), U256::ZERO, ALICE, &[])
        .unwrap_err();
    assert_eq!(e, data(err!(ZeroAssets)));
    let e = m
        .supply_collateral_inner(params(), u(1), Address::ZERO, &[])
        .unwrap_err();
    assert_eq!(e, data(err!(ZeroAddress)));
    post(&vm, &mut m, ALICE, u(1_000)).unwrap();
    assert_eq!(pos(&m, ALICE).2, 1_000);
    vm.set_sender(ALICE);
    let e = m
        .withdraw_collateral_inner(params(), U256::ZERO, ALICE, ALICE)
        .unwrap_err();
    assert_eq!(e, data(err!(ZeroAssets)));
    let e = m
        .withdraw_collateral_inner(params(), u(1), ALICE, Address::ZERO)
        .unwrap_err();
    assert_eq!(e, data(err!(ZeroAddress)));
    let e = m
        .withdraw_collateral_inner(params(), u(1_001), ALICE, ALICE)
        .unwrap_err();
    assert_eq!(e, data(err!(InsufficientCollateral)));
    supply(&vm, &mut m, BOB, u(1_000)).unwrap();
    borrow(&vm, &mut m, ALICE, u(400)).unwrap();
    vm.set_sender(ALICE);
    // 400 debt needs 500 collateral.
    m.withdraw_collateral_inner(params(), u(500), ALICE, CAROL)
        .unwrap();
    assert_eq!(ledger_balance(COLL, CAROL), u(500));
    assert_eq!(pos(&m, ALICE).2, 500);
    // Collateral does not accrue (Morpho): no IRM call.
    let calls = irm_calls();
    vm.set_block_timestamp(T0 + 5);
    post(&vm, &mut m, ALICE, u(1)).unwrap();
    assert_eq!(irm_calls(), calls);
}

#[test]
fn callbacks_run_after_state_is_final_and_before_the_pull() {
    let (vm, mut m) = setup();
    // The callback reads the market (read-only reentrancy) and funds the caller.
    set_callback(|m, calldata| {
        let sel: [u8; 4] = calldata[..4].try_into().unwrap();
        if sel == IMorphoCallbacks::onMorphoSupplyCall::SELECTOR {
            // State already final: shares and totals include this supply.
            assert_eq!(pos(m, ALICE).0, u(5_000_000));
            assert_eq!(m.totals(id()).supply_assets, u(5));
            mint(LOAN, ALICE, u(5));
        }
        Ok(())
    });
    vm.set_sender(ALICE);
    m.supply_inner(params(), u(5), U256::ZERO, ALICE, b"x")
        .unwrap();
    assert_eq!(ledger_balance(LOAN, MARKET), u(5));
    // Empty data: no callback.
    let n = callbacks().len();
    supply(&vm, &mut m, ALICE, u(5)).unwrap();
    assert_eq!(callbacks().len(), n);
    // A reverting callback bubbles and nothing is kept.
    set_callback(|_, _| Err(b"nope".to_vec()));
    mint(COLL, ALICE, u(1));
    vm.set_sender(ALICE);
    let e = m
        .supply_collateral_inner(params(), u(1), ALICE, b"x")
        .unwrap_err();
    assert_eq!(e, b"nope".to_vec());
    let e = m
        .repay_inner(params(), U256::ZERO, U256::ZERO, ALICE, b"x")
        .unwrap_err();
    assert_eq!(e, data(err!(InconsistentInput)));
    assert_eq!(
        callbacks(),
        vec![
            IMorphoCallbacks::onMorphoSupplyCall::SELECTOR,
            IMorphoCallbacks::onMorphoSupplyCollateralCall::SELECTOR
        ]
    );
}

#[test]
fn flash_loans_are_free_and_must_come_back() {
    let (vm, mut m) = setup();
    supply(&vm, &mut m, ALICE, u(1_000)).unwrap();
    // The borrower re-enters during its callback: supplies collateral and repays nothing else.
    set_callback(|m, calldata| {
        let c = IMorphoCallbacks::onMorphoFlashLoanCall::abi_decode(calldata).unwrap();
        assert_eq!(c.assets, u(1_000));
        assert_eq!(ledger_balance(LOAN, BOB), u(1_000));
        assert_eq!(&c.data[..], b"hi");
        // Re-entrant call into the market from the callback.
        mint(COLL, BOB, u(10));
        m.supply_collateral_inner(params(), u(10), BOB, &[])?;
        Ok(())
    });
    vm.set_sender(BOB);
    m.flash_loan_inner(LOAN, u(1_000), b"hi").unwrap();
    assert_eq!(ledger_balance(LOAN, MARKET), u(1_000));
    assert_eq!(ledger_balance(LOAN, BOB), U256::ZERO);
    assert_eq!(pos(&m, BOB).2, 10);
    // Not paying back fails.
    set_callback(|_, _| {
        ledger_pull(LOAN, BOB, CAROL, u(1)).unwrap();
        Ok(())
    });
    vm.set_sender(BOB);
    let e = m.flash_loan_inner(LOAN, u(1_000), &[]).unwrap_err();
    assert_eq!(
        e,
        data(MarketError::SafeERC20FailedOperation(
            SafeERC20FailedOperation { token: LOAN }
        ))
    );
    assert_eq!(
        m.flash_loan_inner(LOAN, U256::ZERO, &[]).unwrap_err(),
        data(err!(ZeroAssets))
    );
    // More than held.
    assert!(m.flash_loan_inner(LOAN, u(1_000_000), &[]).is_err());
}

#[test]
fn accrual_charges_taylor_interest_and_fee_shares() {
    let (vm, mut m) = setup();
    vm.set_sender(OWNER);
    m.set_fee_inner(params(), u(100_000_000_000_000_000))
        .unwrap(); // 10 %
    supply(&vm, &mut m, ALICE, e18(1_000)).unwrap();
    post(&vm, &mut m, BOB, e18(2_000)).unwrap();
    borrow(&vm, &mut m, BOB, e18(500)).unwrap();
    let rate = u(1_585_489_599); // ~5 % a year
    set_rate(rate);
    let before = totals(&m);
    vm.set_block_timestamp(T0 + 86_400 * 30);
    vm.set_sender(CAROL);
    m.accrue_interest(params()).unwrap();
    let mut t = before;
    let a = math::accrue(&mut t, rate, u(86_400 * 30), u(100_000_000_000_000_000)).unwrap();
    assert!(a.interest > U256::ZERO && a.fee_shares > U256::ZERO);
    assert_eq!(totals(&m), t);
    assert_eq!(pos(&m, FEE_TO).0, a.fee_shares);
    assert_eq!(last_update(&m), (T0 + 86_400 * 30) as u128);
    // Idempotent within the block.
    let calls = irm_calls();
    m.accrue_interest(params()).unwrap();
    assert_eq!(totals(&m), t);
    assert_eq!(irm_calls(), calls);
    // Expected views match a real accrual.
    vm.set_block_timestamp(T0 + 86_400 * 60);
    let (_, e) = m.expected_totals(&params()).unwrap();
    let (sa, ss, ba, bs) = (
        e.supply_assets,
        e.supply_shares,
        e.borrow_assets,
        e.borrow_shares,
    );
    let sup = m.expected_supply(&params(), ALICE).unwrap();
    let debt = m.expected_debt(&params(), BOB).unwrap();
    m.accrue_interest(params()).unwrap();
    let t = totals(&m);
    assert_eq!(
        (sa, ss, ba, bs),
        (
            t.supply_assets,
            t.supply_shares,
            t.borrow_assets,
            t.borrow_shares
        )
    );
    assert_eq!(
        sup,
        math::to_assets_down(pos(&m, ALICE).0, t.supply_assets, t.supply_shares).unwrap()
    );
    assert_eq!(
        debt,
        math::to_assets_up(U256::from(pos(&m, BOB).1), t.borrow_assets, t.borrow_shares).unwrap()
    );
    assert!(debt > e18(500));
    let mut other = params();
    other.lltv = u(1);
    assert_eq!(
        m.accrue_interest(other).unwrap_err(),
        data(err!(MarketNotCreated))
    );
}

#[test]
fn markets_without_irm_accrue_nothing() {
    let (vm, mut m) = setup();
    vm.set_sender(OWNER);
    m.enable_irm_inner(Address::ZERO).unwrap();
    let mut p = params();
    p.irm = Address::ZERO;
    m.create_market_inner(p.clone()).unwrap();
    let id0 = market_id(&p);
    mint(LOAN, ALICE, u(100));
    vm.set_sender(ALICE);
    m.supply_inner(p.clone(), u(100), U256::ZERO, ALICE, &[])
        .unwrap();
    vm.set_block_timestamp(T0 + 1_000);
    m.accrue_interest(p.clone()).unwrap();
    assert_eq!(m.totals(id0).supply_assets.to::<u128>(), 100);
    assert_eq!(
        wide(m.market.getter(id0).last_update.get()).to::<u128>(),
        (T0 + 1_000) as u128
    );
}

#[test]
fn constructor_records_owner_and_checked_facets() {
    let (_, m) = setup();
    assert_eq!(m.owner.get(), OWNER);
    assert_eq!(m.fee_recipient.get(), FEE_TO);
    assert!(m.is_irm_enabled.get(IRM));
    assert!(m.is_lltv_enabled.get(u(LLTV)));
    assert!(!m.is_lltv_enabled.get(u(1)));
    assert_eq!(m.rewards_facet.get(), FACET);
    assert_eq!(m.admin_facet.get(), ADMIN_FACET);
    assert_eq!(m.views_facet.get(), VIEWS_FACET);
    let s = m.params.getter(id());
    assert_eq!(
        (
            s.loan_token.get(),
            s.collateral_token.get(),
            s.oracle.get(),
            s.irm.get(),
            s.lltv.get()
        ),
        (LOAN, COLL, ORACLE, IRM, u(LLTV))
    );
    assert_eq!(supply_source(id()), U256::from_be_bytes(id().0));
    assert_eq!(borrow_source(id()), supply_source(id()) ^ U256::from(1));
    // Bad constructor inputs.
    let vm = TestVM::new();
    let mut m = LendingMarket::from(&vm);
    assert_eq!(
        m.constructor(Address::ZERO, FACET, ADMIN_FACET, VIEWS_FACET),
        Err(err!(ZeroAddress))
    );
    for (r, a, v) in [
        (ADMIN_FACET, ADMIN_FACET, VIEWS_FACET),
        (FACET, FACET, VIEWS_FACET),
        (FACET, ADMIN_FACET, ALICE),
    ] {
        assert!(matches!(
            m.constructor(OWNER, r, a, v),
            Err(MarketError::InvalidRewardsFacet(_))
        ));
    }
}

#[test]
fn u128_bounds_revert_by_name() {
    let (vm, mut m) = setup();
    let big = U256::from(u128::MAX);
    mint(COLL, ALICE, big + u(1));
    vm.set_sender(ALICE);
    m.supply_collateral_inner(params(), big, ALICE, &[])
        .unwrap();
    let e = m
        .supply_collateral_inner(params(), u(1), ALICE, &[])
        .unwrap_err();
    assert_eq!(
        e,
        data(MarketError::MathOverflow(kit::math::MathOverflow {}))
    );
    let e = supply(&vm, &mut m, BOB, big).unwrap_err();
    assert_eq!(
        e,
        data(MarketError::MathOverflow(kit::math::MathOverflow {}))
    );
}

#[test]
fn borrow_one_wei_over_the_limit_fails() {
    let (vm, mut m) = setup();
    supply(&vm, &mut m, ALICE, u(1_000)).unwrap();
    post(&vm, &mut m, BOB, u(1_000)).unwrap();
    let e = borrow(&vm, &mut m, BOB, u(801)).unwrap_err();
    assert_eq!(e, data(err!(InsufficientCollateral)));
}
