//! The market's pure maths (Morpho Blue's `MathLib` / `SharesMathLib` formulas, checked, divisions
//! through `kit::math`), separate from storage so the unit tests and proptests check exactly what
//! the contract runs. Every division names its rounding direction.

use alloy_primitives::U256;
use kit::math::{checked_add, checked_mul, checked_sub, mul_div_down, mul_div_up, MathError};

/// 1e18.
pub const WAD: U256 = U256::from_limbs([1_000_000_000_000_000_000, 0, 0, 0]);
/// Virtual shares of every market side (Morpho's `VIRTUAL_SHARES`).
pub const VIRTUAL_SHARES: U256 = U256::from_limbs([1_000_000, 0, 0, 0]);
/// Virtual assets of every market side (Morpho's `VIRTUAL_ASSETS`).
pub const VIRTUAL_ASSETS: U256 = U256::from_limbs([1, 0, 0, 0]);
/// Scale of `IOracle.price()`: 1e36.
pub const ORACLE_PRICE_SCALE: U256 = U256::from_limbs([0xb34b9f1000000000, 0xc097ce7bc90715, 0, 0]);
/// Largest fee: 25 % of the interest.
pub const MAX_FEE: U256 = U256::from_limbs([250_000_000_000_000_000, 0, 0, 0]);
/// Liquidation cursor: 0.3.
pub const LIQUIDATION_CURSOR: U256 = U256::from_limbs([300_000_000_000_000_000, 0, 0, 0]);
/// Largest liquidation incentive factor: 1.15.
pub const MAX_LIQUIDATION_INCENTIVE_FACTOR: U256 =
    U256::from_limbs([1_150_000_000_000_000_000, 0, 0, 0]);
/// `type(uint128).max`: every stored total and position field but supply shares is a `uint128`.
pub const MAX_U128: U256 = U256::from_limbs([u64::MAX, u64::MAX, 0, 0]);

/// `x · y / WAD` rounded down.
pub fn w_mul_down(x: U256, y: U256) -> Result<U256, MathError> {
    mul_div_down(x, y, WAD)
}

/// `x · WAD / y` rounded down.
pub fn w_div_down(x: U256, y: U256) -> Result<U256, MathError> {
    mul_div_down(x, WAD, y)
}

/// `x · WAD / y` rounded up.
pub fn w_div_up(x: U256, y: U256) -> Result<U256, MathError> {
    mul_div_up(x, WAD, y)
}

/// `e^(x·n) − 1` (WAD) by the first three terms of its Taylor series (Morpho's
/// `wTaylorCompounded`): `x·n + (x·n)²/2 + (x·n)³/6`, each term rounded down. Underestimates
/// the continuous compounding (in the borrowers' favour) by the missing terms.
pub fn w_taylor_compounded(x: U256, n: U256) -> Result<U256, MathError> {
    let first = checked_mul(x, n)?;
    let second = mul_div_down(first, first, checked_mul(U256::from(2), WAD)?)?;
    let third = mul_div_down(second, first, checked_mul(U256::from(3), WAD)?)?;
    checked_add(checked_add(first, second)?, third)
}

/// Shares worth `assets`, rounded down (supply, repay by assets).
pub fn to_shares_down(
    assets: U256,
    total_assets: U256,
    total_shares: U256,
) -> Result<U256, MathError> {
    mul_div_down(
        assets,
        checked_add(total_shares, VIRTUAL_SHARES)?,
        checked_add(total_assets, VIRTUAL_ASSETS)?,
    )
}

/// Shares worth `assets`, rounded up (withdraw and borrow by assets).
pub fn to_shares_up(
    assets: U256,
    total_assets: U256,
    total_shares: U256,
) -> Result<U256, MathError> {
    mul_div_up(
        assets,
        checked_add(total_shares, VIRTUAL_SHARES)?,
        checked_add(total_assets, VIRTUAL_ASSETS)?,
    )
}

/// Assets worth `shares`, rounded down (withdraw and borrow by shares, supply balances).
pub fn to_assets_down(
    shares: U256,
    total_assets: U256,
    total_shares: U256,
) -> Result<U256, MathError> {
    mul_div_down(
        shares,
        checked_add(total_assets, VIRTUAL_ASSETS)?,
        checked_add(total_shares, VIRTUAL_SHARES)?,
    )
}

/// Assets worth `shares`, rounded up (supply and repay by shares, debts).
pub fn to_assets_up(
    shares: U256,
    total_assets: U256,
    total_shares: U256,
) -> Result<U256, MathError> {
    mul_div_up(
        shares,
        checked_add(total_assets, VIRTUAL_ASSETS)?,
        checked_add(total_shares, VIRTUAL_SHARES)?,
    )
}

/// A market's four totals (the stored `uint128`s, widened).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Assets owed to suppliers (interest included).
    pub supply_assets: U256,
    /// Supply shares.
    pub supply_shares: U256,
    /// Assets owed by borrowers (interest included).
    pub borrow_assets: U256,
    /// Borrow shares.
    pub borrow_shares: U256,
}

/// What one accrual adds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Accrual {
    /// Interest added to both the borrow and supply assets.
    pub interest: U256,
    /// Supply shares minted to the fee recipient.
    pub fee_shares: U256,
}

/// Accrues `elapsed` seconds at `rate` (WAD per second) with `fee` (WAD) on `t` (Morpho's
/// `_accrueInterest`): `interest = borrow · wTaylorCompounded(rate, elapsed)` (rounded down)
/// is added to both sides; the fee `interest · fee` (rounded down) is paid as supply shares
/// priced after the interest, rounded down, so the fee recipient never gets more than its cut.
pub fn accrue(t: &mut Totals, rate: U256, elapsed: U256, fee: U256) -> Result<Accrual, MathError> {
    let interest = w_mul_down(t.borrow_assets, w_taylor_compounded(rate, elapsed)?)?;
    t.borrow_assets = checked_add(t.borrow_assets, interest)?;
    t.supply_assets = checked_add(t.supply_assets, interest)?;
    let mut fee_shares = U256::ZERO;
    if !fee.is_zero() {
        let fee_amount = w_mul_down(interest, fee)?;
        // fee_amount <= interest <= supply_assets: no underflow.
        fee_shares = to_shares_down(
            fee_amount,
            checked_sub(t.supply_assets, fee_amount)?,
            t.supply_shares,
        )?;
        t.supply_shares = checked_add(t.supply_shares, fee_shares)?;
    }
    Ok(Accrual {
        interest,
        fee_shares,
    })
}

/// The largest debt `collateral` supports at `price` (1e36-scaled loan units per collateral
/// unit) and `lltv`: `collateral · price / 1e36 · lltv`, each step rounded down.
pub fn max_borrow(collateral: U256, price: U256, lltv: U256) -> Result<U256, MathError> {
    w_mul_down(mul_div_down(collateral, price, ORACLE_PRICE_SCALE)?, lltv)
}

/// Whether a position with `borrow_shares` and `collateral` is healthy: its debt (rounded up)
/// is at most [`max_borrow`] (rounded down). A position without debt is always healthy.
pub fn is_healthy(
    borrow_shares: U256,
    collateral: U256,
    t: &Totals,
    price: U256,
    lltv: U256,
) -> Result<bool, MathError> {
    if borrow_shares.is_zero() {
        return Ok(true);
    }
    let borrowed = to_assets_up(borrow_shares, t.borrow_assets, t.borrow_shares)?;
    Ok(max_borrow(collateral, price, lltv)? >= borrowed)
}

/// Liquidation incentive factor of `lltv`: `min(1.15, 1 / (1 − 0.3 · (1 − lltv)))` (WAD).
pub fn liquidation_incentive_factor(lltv: U256) -> Result<U256, MathError> {
    let cut = w_mul_down(LIQUIDATION_CURSOR, checked_sub(WAD, lltv)?)?;
    Ok(MAX_LIQUIDATION_INCENTIVE_FACTOR.min(w_div_down(WAD, checked_sub(WAD, cut)?)?))
}

/// Morpho's liquidation amounts: given exactly one of `seized` (collateral) or `repaid_shares`,
/// the other. From `seized`: `repaidShares = toSharesUp(seized · price / 1e36 (up) / LIF (up))`
/// (the liquidator repays at least the value it takes, over the incentive). From
/// `repaid_shares`: `seized = toAssetsDown(repaidShares) · LIF (down) · 1e36 / price (down)`.
pub fn liquidation_amounts(
    seized: U256,
    repaid_shares: U256,
    price: U256,
    lltv: U256,
    t: &Totals,
) -> Result<(U256, U256), MathError> {
    let lif = liquidation_incentive_factor(lltv)?;
    if !seized.is_zero() {
        let quoted = mul_div_up(seized, price, ORACLE_PRICE_SCALE)?;
        let repaid = to_shares_up(w_div_up(quoted, lif)?, t.borrow_assets, t.borrow_shares)?;
        Ok((seized, repaid))
    } else {
        let assets = to_assets_down(repaid_shares, t.borrow_assets, t.borrow_shares)?;
        let seized = mul_div_down(w_mul_down(assets, lif)?, ORACLE_PRICE_SCALE, price)?;
        Ok((seized, repaid_shares))
    }
}

/// `x − y`, or 0 when `y > x` (Morpho's `zeroFloorSub`: a repayment rounded up can exceed the
/// total borrow rounded down by a wei).
pub fn zero_floor_sub(x: U256, y: U256) -> U256 {
    x.saturating_sub(y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn u(x: u128) -> U256 {
        U256::from(x)
    }

    #[test]
    fn constants() {
        assert_eq!(ORACLE_PRICE_SCALE, U256::from(10).pow(U256::from(36)));
        assert_eq!(WAD, U256::from(10).pow(U256::from(18)));
        assert_eq!(MAX_U128, U256::from(u128::MAX));
    }

    #[test]
    fn fixed_share_conversions_round_in_the_protocol_favour() {
        // Empty market: 1 asset = 1e6 shares.
        assert_eq!(to_shares_down(u(1), u(0), u(0)).unwrap(), u(1_000_000));
        // 3 assets / 2e6 shares (+virtual): 1 asset -> 2e6+1e6 / 4 = 750000 shares exactly.
        let (a, s) = (u(3), u(2_000_000));
        assert_eq!(to_shares_down(u(1), a, s).unwrap(), u(750_000));
        assert_eq!(to_shares_up(u(1), a, s).unwrap(), u(750_000));
        // 1 share of (a+1)/(s+1e6) = 4/3000000 asset: down 0, up 1.
        assert_eq!(to_assets_down(u(1), a, s).unwrap(), u(0));
        assert_eq!(to_assets_up(u(1), a, s).unwrap(), u(1));
        // 2 assets / 3e6 (+1e6) shares: 1 asset -> 4e6/3 = 1333333.33 shares.
        let (a, s) = (u(2), u(3_000_000));
        assert_eq!(to_shares_down(u(1), a, s).unwrap(), u(1_333_333));
        assert_eq!(to_shares_up(u(1), a, s).unwrap(), u(1_333_334));
    }

    #[test]
    fn taylor_matches_hand_computation() {
        // x·n = 0.1: 0.1 + 0.005 + 0.000166666666666666 (down).
        let r = w_taylor_compounded(u(100_000_000_000_000_000), u(1)).unwrap();
        assert_eq!(r, u(105_166_666_666_666_666));
        assert_eq!(w_taylor_compounded(u(0), u(1000)).unwrap(), u(0));
    }

    #[test]
    fn lif_fixed_values() {
        // lltv 0.8: 1/(1-0.06) = 1.063829787234042553.
        assert_eq!(
            liquidation_incentive_factor(u(800_000_000_000_000_000)).unwrap(),
            u(1_063_829_787_234_042_553)
        );
        // lltv 0: 1/(0.7) = 1.43 -> capped at 1.15.
        assert_eq!(
            liquidation_incentive_factor(U256::ZERO).unwrap(),
            MAX_LIQUIDATION_INCENTIVE_FACTOR
        );
        // lltv 0.945: 1/(1 - 0.0165) = 1.01677681748856126080... (down).
        assert_eq!(
            liquidation_incentive_factor(u(945_000_000_000_000_000)).unwrap(),
            u(1_016_776_817_488_561_260)
        );
    }

    #[test]
    fn accrue_fixed_values() {
        let mut t = Totals {
            supply_assets: u(1_000_000),
            supply_shares: u(1_000_000_000_000),
            borrow_assets: u(500_000),
            borrow_shares: u(500_000_000_000),
        };
        // 1e-9 per second for 1000 s: x·n = 1e-6 (+ 5e-13 + ...): interest = floor(500000 · 1.0000005e-6) = 0.
        let a = accrue(&mut t, u(1_000_000_000), u(1000), U256::ZERO).unwrap();
        assert_eq!(a.interest, U256::ZERO);
        // 10 % over the period: interest = 500000 · 0.105166.. = 52583.
        let a = accrue(
            &mut t,
            u(100_000_000_000_000_000),
            u(1),
            u(100_000_000_000_000_000),
        )
        .unwrap();
        assert_eq!(a.interest, u(52_583));
        assert_eq!(t.borrow_assets, u(552_583));
        assert_eq!(t.supply_assets, u(1_052_583));
        // fee 10 %: 5258 assets priced at (1052583 - 5258 + 1) / (1e12 + 1e6) shares.
        let expected =
            to_shares_down(u(5_258), u(1_052_583 - 5_258), u(1_000_000_000_000)).unwrap();
        assert_eq!(a.fee_shares, expected);
        assert_eq!(t.supply_shares, u(1_000_000_000_000) + expected);
    }

    fn amount() -> impl Strategy<Value = u128> {
        prop_oneof![
            0u128..1000,
            0u128..1_000_000_000_000_000_000_000_000u128,
            any::<u128>()
        ]
    }

    /// Totals with assets ≤ shares·1e6-ish ratios of any size (shares ≥ assets is not required).
    fn totals() -> impl Strategy<Value = (u128, u128)> {
        (amount(), amount())
    }

    proptest! {
        #[test]
        fn shares_round_down_never_above_exact_and_up_never_below(
            x in amount(), (ta, ts) in totals()
        ) {
            let (x, ta, ts) = (u(x), u(ta), u(ts));
            let num = x * (ts + VIRTUAL_SHARES);
            let den = ta + VIRTUAL_ASSETS;
            let d = to_shares_down(x, ta, ts).unwrap();
            let up = to_shares_up(x, ta, ts).unwrap();
            prop_assert!(d * den <= num && num < (d + u(1)) * den);
            prop_assert!(up * den >= num && (up == d || up == d + u(1)));
            let num = x * (ta + VIRTUAL_ASSETS);
            let den = ts + VIRTUAL_SHARES;
            let d = to_assets_down(x, ta, ts).unwrap();
            let up = to_assets_up(x, ta, ts).unwrap();
            prop_assert!(d * den <= num && num < (d + u(1)) * den);
            prop_assert!(up * den >= num && (up == d || up == d + u(1)));
        }

        /// A round trip through shares never creates assets: supply `x` (shares down), withdraw
        /// them (assets down) gives at most `x`; borrow `x` (shares up), repay them (assets up)
        /// costs at least `x`.
        #[test]
        fn round_trips_favour_the_market(x in amount(), (ta, ts) in totals()) {
            let (x, ta, ts) = (u(x), u(ta), u(ts));
            let s = to_shares_down(x, ta, ts).unwrap();
            prop_assert!(to_assets_down(s, ta, ts).unwrap() <= x);
            let s = to_shares_up(x, ta, ts).unwrap();
            prop_assert!(to_assets_up(s, ta, ts).unwrap() >= x);
        }

        /// Interest conservation: the interest is added to both sides, the fee shares are worth
        /// at most the fee (rounded down) and the other suppliers' claim never shrinks.
        #[test]
        fn accrual_conserves_interest(
            ba in 0u128..1_000_000_000_000_000_000_000_000_000,
            extra in 0u128..1_000_000_000_000_000_000_000_000_000,
            shares_per_asset in 1u128..10_000_000,
            rate in 0u128..100_000_000_000u128, // up to ~300 % per year per second-rate 1e-7
            elapsed in 0u64..(365 * 86_400),
            fee in 0u128..=250_000_000_000_000_000,
        ) {
            let sa = ba + extra;
            let t0 = Totals {
                supply_assets: u(sa),
                supply_shares: u(sa) * u(shares_per_asset),
                borrow_assets: u(ba),
                borrow_shares: u(ba) * u(shares_per_asset),
            };
            let mut t = t0;
            let a = accrue(&mut t, u(rate), U256::from(elapsed), u(fee)).unwrap();
            prop_assert_eq!(t.borrow_assets - t0.borrow_assets, a.interest);
            prop_assert_eq!(t.supply_assets - t0.supply_assets, a.interest);
            prop_assert!(t.borrow_assets <= t.supply_assets);
            let fee_value = to_assets_down(a.fee_shares, t.supply_assets, t.supply_shares).unwrap();
            prop_assert!(fee_value <= w_mul_down(a.interest, u(fee)).unwrap());
            // The old suppliers' shares are worth at least what they were worth before.
            let before = to_assets_down(t0.supply_shares, t0.supply_assets, t0.supply_shares).unwrap();
            let after = to_assets_down(t0.supply_shares, t.supply_assets, t.supply_shares).unwrap();
            prop_assert!(after >= before);
            // Borrowers owe what suppliers and the fee recipient are owed, up to the virtual
            // share's part and one wei of rounding per side.
            let owed_suppliers = to_assets_down(t.supply_shares, t.supply_assets, t.supply_shares).unwrap();
            prop_assert!(owed_suppliers <= t.supply_assets);
        }

        #[test]
        fn accrual_is_idempotent_for_zero_elapsed(
            ba in any::<u64>(), sa in any::<u64>(), rate in any::<u64>(), fee in 0u128..=250_000_000_000_000_000
        ) {
            let mut t = Totals {
                supply_assets: u(sa as u128 + ba as u128),
                supply_shares: u(sa as u128) * VIRTUAL_SHARES,
                borrow_assets: u(ba as u128),
                borrow_shares: u(ba as u128) * VIRTUAL_SHARES,
            };
            let t0 = t;
            let a = accrue(&mut t, u(rate as u128), U256::ZERO, u(fee)).unwrap();
            prop_assert_eq!(a, Accrual::default());
            prop_assert_eq!(t, t0);
        }

        #[test]
        fn lif_is_between_one_and_max(lltv in 0u128..1_000_000_000_000_000_000) {
            let lif = liquidation_incentive_factor(u(lltv)).unwrap();
            prop_assert!(lif >= WAD && lif <= MAX_LIQUIDATION_INCENTIVE_FACTOR);
        }

        /// Liquidation by seized collateral never repays less value than it takes over the
        /// incentive; by repaid shares it never seizes more than the incentive allows.
        #[test]
        fn liquidation_amounts_favour_the_market(
            seized in 1u128..1_000_000_000_000_000_000_000_000,
            price in 1u128..100_000_000_000_000_000_000_000_000_000_000_000_000,
            lltv in 0u128..1_000_000_000_000_000_000,
            ba in 1u128..1_000_000_000_000_000_000_000_000,
            spa in 1u128..10_000_000,
        ) {
            let t = Totals {
                supply_assets: u(ba),
                supply_shares: u(ba) * u(spa),
                borrow_assets: u(ba),
                borrow_shares: u(ba) * u(spa),
            };
            let lif = liquidation_incentive_factor(u(lltv)).unwrap();
            let (_, repaid) = liquidation_amounts(u(seized), U256::ZERO, u(price), u(lltv), &t).unwrap();
            let repaid_assets = to_assets_up(repaid, t.borrow_assets, t.borrow_shares).unwrap();
            let value = mul_div_down(u(seized), u(price), ORACLE_PRICE_SCALE).unwrap();
            // repaid · LIF ≥ value of seized (rounded down).
            prop_assert!(w_mul_down(repaid_assets, lif).unwrap() + u(1) >= value);
            let (s2, _) = liquidation_amounts(U256::ZERO, repaid, u(price), u(lltv), &t).unwrap();
            let v2 = mul_div_down(s2, u(price), ORACLE_PRICE_SCALE).unwrap();
            prop_assert!(v2 <= w_mul_down(repaid_assets, lif).unwrap());
        }
    }
}
