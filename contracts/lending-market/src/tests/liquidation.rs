//! Liquidation: health gate, both input forms, incentive, caps, bad debt.

use super::*;

/// Alice supplies 1000, Bob posts 1000 collateral and borrows 800 (the limit at price 1).
fn at_limit() -> (TestVM, LendingMarket) {
    let (vm, mut m) = setup();
    supply(&vm, &mut m, ALICE, u(1_000_000)).unwrap();
    post(&vm, &mut m, BOB, u(1_000_000)).unwrap();
    borrow(&vm, &mut m, BOB, u(800_000)).unwrap();
    (vm, m)
}

#[test]
fn healthy_positions_cannot_be_liquidated() {
    let (vm, mut m) = at_limit();
    mint(LOAN, CAROL, u(1_000_000));
    vm.set_sender(CAROL);
    let e = m
        .liquidate_inner(params(), BOB, u(1), U256::ZERO, &[])
        .unwrap_err();
    assert_eq!(e, data(err!(HealthyPosition)));
    let e = m
        .liquidate_inner(params(), BOB, u(1), u(1), &[])
        .unwrap_err();
    assert_eq!(e, data(err!(InconsistentInput)));
    let mut p = params();
    p.lltv = u(1);
    let e = m
        .liquidate_inner(p, BOB, u(1), U256::ZERO, &[])
        .unwrap_err();
    assert_eq!(e, data(err!(MarketNotCreated)));
}

#[test]
fn liquidation_by_seized_assets_repays_value_over_lif() {
    let (vm, mut m) = at_limit();
    set_price(math::ORACLE_PRICE_SCALE * u(9) / u(10)); // collateral -10 %: unhealthy
    mint(LOAN, CAROL, u(1_000_000));
    vm.set_sender(CAROL);
    let t = totals(&m);
    let (seized, repaid) = m
        .liquidate_inner(params(), BOB, u(100_000), U256::ZERO, &[])
        .unwrap();
    assert_eq!(seized, u(100_000));
    let lif = math::liquidation_incentive_factor(u(LLTV)).unwrap();
    // 100000 collateral worth 90000, over LIF 1.0638 = 84600 (up), in shares up, back to assets up.
    let quoted = math::w_div_up(u(90_000), lif).unwrap();
    let shares = math::to_shares_up(quoted, t.borrow_assets, t.borrow_shares).unwrap();
    assert_eq!(
        repaid,
        math::to_assets_up(shares, t.borrow_assets, t.borrow_shares).unwrap()
    );
    assert_eq!(ledger_balance(COLL, CAROL), u(100_000));
    assert_eq!(ledger_balance(LOAN, CAROL), u(1_000_000) - repaid);
    assert_eq!(pos(&m, BOB).2, 900_000);
    assert_eq!(U256::from(pos(&m, BOB).1), t.borrow_shares - shares);
}

#[test]
fn liquidation_by_repaid_shares_seizes_at_most_value_times_lif() {
    let (vm, mut m) = at_limit();
    set_price(math::ORACLE_PRICE_SCALE * u(9) / u(10));
    mint(LOAN, CAROL, u(1_000_000));
    vm.set_sender(CAROL);
    let (seized, repaid) = m
        .liquidate_inner(params(), BOB, U256::ZERO, u(100_000_000_000), &[])
        .unwrap();
    // 1e11 shares = 100000 assets (down) · 1.0638 / 0.9 = 118203 collateral (down).
    let lif = math::liquidation_incentive_factor(u(LLTV)).unwrap();
    let expect = math::w_mul_down(u(100_000), lif).unwrap() * u(10) / u(9);
    assert_eq!(seized, expect);
    assert_eq!(repaid, u(100_000));
}

#[test]
fn liquidation_caps_and_callback() {
    // Seizing more than the collateral: named error.
    let (vm, mut m) = at_limit();
    set_price(math::ORACLE_PRICE_SCALE / u(2));
    mint(LOAN, CAROL, u(10_000_000));
    vm.set_sender(CAROL);
    let e = m
        .liquidate_inner(params(), BOB, u(1_000_001), U256::ZERO, &[])
        .unwrap_err();
    assert!(
        e == data(err!(InsufficientCollateral))
            || e == data(MarketError::MathUnderflow(kit::math::MathUnderflow {}))
    );
    // Repaying more shares than the debt: named error.
    let (vm, mut m) = at_limit();
    set_price(math::ORACLE_PRICE_SCALE / u(2));
    mint(LOAN, CAROL, u(10_000_000));
    vm.set_sender(CAROL);
    let debt_shares = U256::from(pos(&m, BOB).1);
    let e = m
        .liquidate_inner(params(), BOB, U256::ZERO, debt_shares + u(1), &[])
        .unwrap_err();
    assert_eq!(
        e,
        data(MarketError::MathUnderflow(kit::math::MathUnderflow {}))
    );
    // The callback sees final state, gets the repaid amount, and the repayment is pulled after.
    let (vm, mut m) = at_limit();
    set_price(math::ORACLE_PRICE_SCALE * u(9) / u(10));
    set_callback(|m, calldata| {
        let c = IMorphoCallbacks::onMorphoLiquidateCall::abi_decode(calldata).unwrap();
        assert_eq!(pos(m, BOB).2, 900_000);
        assert_eq!(ledger_balance(COLL, CAROL), u(100_000));
        mint(LOAN, CAROL, c.repaidAssets);
        Ok(())
    });
    vm.set_sender(CAROL);
    m.liquidate_inner(params(), BOB, u(100_000), U256::ZERO, b"cb")
        .unwrap();
    assert_eq!(
        callbacks(),
        vec![IMorphoCallbacks::onMorphoLiquidateCall::SELECTOR]
    );
}

#[test]
fn bad_debt_is_realised_and_spread_over_suppliers() {
    let (vm, mut m) = at_limit();
    set_price(math::ORACLE_PRICE_SCALE / u(2)); // collateral worth 500000 < debt 800000
    mint(LOAN, CAROL, u(10_000_000));
    vm.set_sender(CAROL);
    let before = totals(&m);
    let (seized, repaid) = m
        .liquidate_inner(params(), BOB, u(1_000_000), U256::ZERO, &[])
        .unwrap();
    assert_eq!(seized, u(1_000_000));
    let t = totals(&m);
    // Everything of Bob is gone; the rest of his debt is written off both sides.
    assert_eq!(pos(&m, BOB), (U256::ZERO, 0, 0));
    assert_eq!(t.borrow_shares, U256::ZERO);
    assert_eq!(t.borrow_assets, U256::ZERO);
    let bad = before.borrow_assets - repaid;
    assert_eq!(t.supply_assets, before.supply_assets - bad);
    // Suppliers share the loss pro rata: Alice's claim dropped by the bad debt.
    let alice = math::to_assets_down(pos(&m, ALICE).0, t.supply_assets, t.supply_shares).unwrap();
    assert!(alice <= u(1_000_000) - bad && alice + u(1) >= u(1_000_000) - bad);
}
