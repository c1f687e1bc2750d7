//! Proptest invariants over random operation sequences, and the empty-market inflation
//! regression. Each operation is sized to succeed (TestVM does not roll back a failed call's
//! writes, so a sequence only runs calls the market must accept; an unexpected error fails).

use proptest::prelude::*;

use super::*;

const USERS: [Address; 3] = [ALICE, BOB, CAROL];

#[derive(Debug, Clone)]
enum Op {
    Supply(usize, u64),
    Withdraw(usize, u8),
    Post(usize, u64),
    Borrow(usize, u8),
    Repay(usize, u8),
    WithdrawCollateral(usize, u8),
    Wait(u32, u64),
    Price(u8),
    Liquidate(usize, u8),
}

fn op() -> impl Strategy<Value = Op> {
    let who = 0usize..3;
    prop_oneof![
        (who.clone(), 1u64..1_000_000_000_000).prop_map(|(w, a)| Op::Supply(w, a)),
        (who.clone(), 1u8..=100).prop_map(|(w, p)| Op::Withdraw(w, p)),
        (who.clone(), 1u64..1_000_000_000_000).prop_map(|(w, a)| Op::Post(w, a)),
        (who.clone(), 1u8..=100).prop_map(|(w, p)| Op::Borrow(w, p)),
        (who.clone(), 1u8..=100).prop_map(|(w, p)| Op::Repay(w, p)),
        (who.clone(), 1u8..=100).prop_map(|(w, p)| Op::WithdrawCollateral(w, p)),
        (1u32..5_000_000, 0u64..50_000_000_000).prop_map(|(t, r)| Op::Wait(t, r)),
        (50u8..=150).prop_map(Op::Price),
        (who, 1u8..=100).prop_map(|(w, p)| Op::Liquidate(w, p)),
    ]
}

fn pct(x: U256, p: u8) -> U256 {
    x * U256::from(p) / U256::from(100)
}

fn price() -> U256 {
    with(|w| w.price[&ORACLE])
}

/// Debt of `who` rounded up, and their borrowing room under LLTV (0 when none).
fn debt_and_room(m: &LendingMarket, who: Address) -> (U256, U256) {
    let t = totals(m);
    let (_, bs, c) = pos(m, who);
    let debt = math::to_assets_up(U256::from(bs), t.borrow_assets, t.borrow_shares).unwrap();
    let max = math::max_borrow(U256::from(c), price(), u(LLTV)).unwrap();
    (debt, max.saturating_sub(debt))
}

fn healthy(m: &LendingMarket, who: Address) -> bool {
    let (_, bs, c) = pos(m, who);
    math::is_healthy(U256::from(bs), U256::from(c), &totals(m), price(), u(LLTV)).unwrap()
}

fn check(m: &LendingMarket) {
    let t = totals(m);
    assert!(t.borrow_assets <= t.supply_assets, "borrow > supply: {t:?}");
    // Solvency: the market holds at least what suppliers could withdraw now.
    assert!(ledger_balance(LOAN, MARKET) + t.borrow_assets >= t.supply_assets);
    // Share sums equal the totals.
    let mut ss = pos(m, FEE_TO).0;
    let (mut bs, mut coll) = (U256::ZERO, U256::ZERO);
    for w in USERS {
        let (s, b, c) = pos(m, w);
        ss += s;
        bs += U256::from(b);
        coll += U256::from(c);
    }
    assert_eq!(ss, t.supply_shares);
    assert_eq!(bs, t.borrow_shares);
    assert_eq!(coll, ledger_balance(COLL, MARKET));
    // Interest conservation: what suppliers (and the fee recipient) are owed, each rounded
    // down, never exceeds the supply assets (= deposits + interest − withdrawals − bad debt).
    let mut owed = U256::ZERO;
    for w in USERS.into_iter().chain([FEE_TO]) {
        owed += math::to_assets_down(pos(m, w).0, t.supply_assets, t.supply_shares).unwrap();
    }
    assert!(owed <= t.supply_assets);
}

fn run(vm: &TestVM, m: &mut LendingMarket, op: &Op) {
    match *op {
        Op::Supply(w, a) => {
            supply(vm, m, USERS[w], u(a as u128)).unwrap();
        }
        Op::Withdraw(w, p) => {
            let who = USERS[w];
            m.accrue(&params(), id()).unwrap();
            let t = totals(m);
            let liquid = t.supply_assets - t.borrow_assets;
            let own =
                math::to_assets_down(pos(m, who).0, t.supply_assets, t.supply_shares).unwrap();
            let a = pct(own.min(liquid), p);
            if a.is_zero() {
                return;
            }
            vm.set_sender(who);
            let (_, shares) = m.withdraw_inner(params(), a, U256::ZERO, who, who).unwrap();
            assert!(shares >= math::to_shares_down(a, t.supply_assets, t.supply_shares).unwrap());
        }
        Op::Post(w, a) => post(vm, m, USERS[w], u(a as u128)).unwrap(),
        Op::Borrow(w, p) => {
            let who = USERS[w];
            m.accrue(&params(), id()).unwrap();
            let t = totals(m);
            let (_, room) = debt_and_room(m, who);
            // Two wei of margin for the share rounding.
            let a = pct(room.min(t.supply_assets - t.borrow_assets), p).saturating_sub(u(2));
            if a.is_zero() {
                return;
            }
            borrow(vm, m, who, a).unwrap();
            assert!(healthy(m, who), "unhealthy after borrow");
        }
        Op::Repay(w, p) => {
            let who = USERS[w];
            let shares = pct(U256::from(pos(m, who).1), p);
            if shares.is_zero() {
                return;
            }
            mint(LOAN, who, u(u64::MAX as u128) * u(1000));
            vm.set_sender(who);
            m.repay_inner(params(), U256::ZERO, shares, who, &[])
                .unwrap();
        }
        Op::WithdrawCollateral(w, p) => {
            let who = USERS[w];
            m.accrue(&params(), id()).unwrap();
            if !healthy(m, who) {
                return;
            }
            let (debt, _) = debt_and_room(m, who);
            let c = U256::from(pos(m, who).2);
            // Collateral needed for the debt: debt / lltv / price, rounded up, plus a margin.
            let need = kit::math::mul_div_up(
                kit::math::mul_div_up(debt, math::WAD, u(LLTV)).unwrap(),
                math::ORACLE_PRICE_SCALE,
                price(),
            )
            .unwrap();
            let a = pct(c.saturating_sub(need + u(2)), p);
            if a.is_zero() {
                return;
            }
            vm.set_sender(who);
            m.withdraw_collateral_inner(params(), a, who, who).unwrap();
            assert!(healthy(m, who), "unhealthy after collateral withdrawal");
        }
        Op::Wait(dt, rate) => {
            set_rate(u(rate as u128));
            let now = vm.block_timestamp() + dt as u64;
            vm.set_block_timestamp(now);
            m.accrue(&params(), id()).unwrap();
            // Idempotent within the block.
            let t = totals(m);
            m.accrue(&params(), id()).unwrap();
            assert_eq!(totals(m), t);
        }
        Op::Price(p) => set_price(math::ORACLE_PRICE_SCALE * U256::from(p) / U256::from(100)),
        Op::Liquidate(w, p) => {
            let who = USERS[w];
            m.accrue(&params(), id()).unwrap();
            if healthy(m, who) {
                return;
            }
            let (_, bs, c) = pos(m, who);
            let seize = pct(U256::from(c), p);
            if seize.is_zero() {
                return;
            }
            let t = totals(m);
            // Only liquidate amounts whose repayment fits the debt.
            let (_, rs) =
                math::liquidation_amounts(seize, U256::ZERO, price(), u(LLTV), &t).unwrap();
            if rs > U256::from(bs) {
                return;
            }
            let debt =
                math::to_assets_up(U256::from(bs), t.borrow_assets, t.borrow_shares).unwrap();
            mint(LOAN, OWNER, u(u64::MAX as u128) * u(1000));
            vm.set_sender(OWNER);
            let (seized, repaid) = m
                .liquidate_inner(params(), who, seize, U256::ZERO, &[])
                .unwrap();
            assert!(seized <= U256::from(c), "seized more than the collateral");
            assert!(repaid <= debt, "repaid more than the debt");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn market_invariants_hold_over_random_sequences(ops in prop::collection::vec(op(), 1..40)) {
        let (vm, mut m) = setup();
        vm.set_sender(OWNER);
        m.set_fee_inner(params(), u(100_000_000_000_000_000)).unwrap();
        for o in &ops {
            run(&vm, &mut m, o);
            check(&m);
        }
    }
}

/// Hundred/Sonne class: an attacker first in an empty market mints 1 wei of shares and donates
/// a large amount to inflate the share price, hoping a later supplier's deposit rounds to zero
/// shares. Donations do not move this market's books (assets are accounted, not read from
/// balances), and the virtual shares keep 1 wei of assets worth 1e6 shares, so the victim keeps
/// their deposit and the attacker loses the donation.
#[test]
fn empty_market_inflation_is_unprofitable() {
    let (vm, mut m) = setup();
    // Attacker supplies 1 wei (1e6 shares), withdraws all but 1 share.
    supply(&vm, &mut m, CAROL, u(1)).unwrap();
    vm.set_sender(CAROL);
    m.withdraw_inner(params(), U256::ZERO, u(999_999), CAROL, CAROL)
        .unwrap();
    assert_eq!(pos(&m, CAROL).0, u(1));
    // Donation straight to the market.
    mint(LOAN, MARKET, e18(1_000));
    // The victim supplies 1e18.
    let (_, shares) = supply(&vm, &mut m, ALICE, e18(1)).unwrap();
    assert!(shares > U256::ZERO);
    let t = totals(&m);
    let victim = math::to_assets_down(shares, t.supply_assets, t.supply_shares).unwrap();
    assert!(victim + u(1) >= e18(1), "victim lost {}", e18(1) - victim);
    let attacker = math::to_assets_down(u(1), t.supply_assets, t.supply_shares).unwrap();
    assert_eq!(attacker, U256::ZERO);
    // Even a supply-side "donation" through interest cannot be captured: the attacker's one
    // share is worth nothing of the victim's deposit.
}
