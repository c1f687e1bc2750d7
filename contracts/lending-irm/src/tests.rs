//! TestVM unit tests and proptests of the jump-rate IRM.

use alloy_primitives::{Address, U256};
use proptest::prelude::*;
use stylus_sdk::testing::TestVM;

use super::*;

/// 2% a year base, 4%·u below a 80% kink, 300%·(u − kink) above it (per second, WAD).
const YEAR: u64 = 365 * 24 * 3600;
const BASE: u64 = 2 * WAD / 100 / YEAR;
const SLOPE: u64 = 4 * WAD / 100 / YEAR;
const KINK: u64 = 8 * WAD / 10;
const JUMP: u64 = 3 * WAD / YEAR;

fn u(x: u64) -> U256 {
    U256::from(x)
}

fn deploy(base: u64, slope: u64, kink: u64, jump: u64) -> Result<JumpRateIrm, IrmError> {
    let vm = TestVM::new();
    let mut irm = JumpRateIrm::from(&vm);
    irm.constructor(u(base), u(slope), u(kink), u(jump))?;
    Ok(irm)
}

fn irm() -> JumpRateIrm {
    deploy(BASE, SLOPE, KINK, JUMP).unwrap()
}

fn params() -> MarketParams {
    MarketParams {
        loanToken: Address::repeat_byte(1),
        collateralToken: Address::repeat_byte(2),
        oracle: Address::repeat_byte(3),
        irm: Address::repeat_byte(4),
        lltv: u(86 * (WAD / 100)),
    }
}

fn market(supply: u128, borrow: u128) -> Market {
    Market {
        totalSupplyAssets: supply,
        totalSupplyShares: supply * 1_000_000,
        totalBorrowAssets: borrow,
        totalBorrowShares: borrow * 1_000_000,
        lastUpdate: 1u128,
        fee: 0u128,
    }
}

/// The documented formula, in U256 (independent of the contract's u128 path).
fn model(supply: U256, borrow: U256) -> U256 {
    let wad = u(WAD);
    let util = if supply.is_zero() {
        U256::ZERO
    } else {
        (borrow * wad / supply).min(wad)
    };
    let k = u(KINK);
    u(BASE) + util.min(k) * u(SLOPE) / wad + util.saturating_sub(k) * u(JUMP) / wad
}

#[test]
fn constructor_stores_the_curve() {
    let irm = irm();
    assert_eq!(irm.base_rate_per_second(), u(BASE));
    assert_eq!(irm.slope_per_second(), u(SLOPE));
    assert_eq!(irm.kink(), u(KINK));
    assert_eq!(irm.jump_slope_per_second(), u(JUMP));
}

#[test]
fn parameters_share_one_storage_slot() {
    let vm = TestVM::new();
    let mut irm = JumpRateIrm::from(&vm);
    irm.constructor(u(BASE), u(SLOPE), u(KINK), u(JUMP))
        .unwrap();
    let slot0 = vm.get_storage(U256::ZERO);
    assert!(!slot0.is_zero());
    assert!(vm.get_storage(U256::from(1)).is_zero());
    // Low-order first: base in the last 8 bytes, jump in bytes 0..8.
    assert_eq!(u64::from_be_bytes(slot0[24..].try_into().unwrap()), BASE);
    assert_eq!(u64::from_be_bytes(slot0[..8].try_into().unwrap()), JUMP);
}

#[test]
fn constructor_rejects_kink_at_or_above_one() {
    for kink in [WAD, WAD + 1] {
        assert_eq!(
            deploy(BASE, SLOPE, kink, JUMP).err(),
            Some(IrmError::IrmInvalidKink(IrmInvalidKink { kink: u(kink) }))
        );
    }
    let vm = TestVM::new();
    let mut irm = JumpRateIrm::from(&vm);
    assert_eq!(
        irm.constructor(u(BASE), u(SLOPE), U256::MAX, u(JUMP)).err(),
        Some(IrmError::IrmInvalidKink(IrmInvalidKink { kink: U256::MAX }))
    );
    assert!(deploy(BASE, SLOPE, WAD - 1, JUMP).is_ok());
    assert!(deploy(BASE, SLOPE, 0, JUMP).is_ok());
}

#[test]
fn constructor_rejects_rates_above_the_cap() {
    let max = MAX_RATE_PER_SECOND;
    let err = |rate: U256| {
        Some(IrmError::IrmRateTooHigh(IrmRateTooHigh {
            rateAtFullUtilization: rate,
            maxRate: u(max),
        }))
    };
    // A parameter alone above the cap (including values that do not fit 64 bits).
    assert_eq!(deploy(max + 1, 0, KINK, 0).err(), err(u(max + 1)));
    assert_eq!(deploy(0, max + 1, KINK, 0).err(), err(u(max + 1)));
    assert_eq!(deploy(0, 0, KINK, max + 1).err(), err(u(max + 1)));
    let vm = TestVM::new();
    let mut irm = JumpRateIrm::from(&vm);
    assert_eq!(
        irm.constructor(U256::MAX, U256::ZERO, u(KINK), U256::ZERO)
            .err(),
        err(U256::MAX)
    );
    // Each fits but the sum at full utilisation does not.
    let full = rate_at(max, 0, KINK, max, WAD);
    assert_eq!(deploy(max, 0, KINK, max).err(), err(U256::from(full)));
    // Exactly at the cap is accepted.
    assert!(deploy(max, 0, 0, 0).is_ok());
    assert!(deploy(0, 0, 0, max).is_ok());
}

#[test]
fn utilization_rounds_down_and_caps() {
    let irm = irm();
    assert_eq!(irm.utilization(U256::ZERO, U256::ZERO), U256::ZERO);
    assert_eq!(irm.utilization(U256::ZERO, u(5)), U256::ZERO);
    assert_eq!(irm.utilization(u(3), u(1)), u(WAD / 3)); // 333…333, rounded down
    assert_eq!(irm.utilization(u(3), u(3)), u(WAD));
    assert_eq!(irm.utilization(u(3), u(7)), u(WAD));
    // Totals too large for borrow · WAD still give a sane value.
    let big = U256::MAX / u(2);
    let half = irm.utilization(U256::MAX, big);
    assert!(half <= u(WAD / 2) && half >= u(WAD / 2 - 1), "{half}");
}

#[test]
fn rate_at_the_corners() {
    let irm = irm();
    assert_eq!(irm.borrow_rate_at(U256::ZERO), u(BASE));
    assert_eq!(
        irm.borrow_rate_at(u(KINK)),
        u(BASE + (KINK as u128 * SLOPE as u128 / WAD as u128) as u64)
    );
    let full = BASE as u128
        + KINK as u128 * SLOPE as u128 / WAD as u128
        + (WAD - KINK) as u128 * JUMP as u128 / WAD as u128;
    assert_eq!(irm.borrow_rate_at(u(WAD)), U256::from(full));
    assert_eq!(irm.borrow_rate_at(U256::MAX), U256::from(full));
}

#[test]
fn borrow_rate_and_view_follow_the_market_totals() {
    let mut irm = irm();
    for (supply, borrow) in [
        (0u128, 0u128),
        (1_000, 0),
        (1_000, 500),
        (1_000, 900),
        (10, 10),
    ] {
        let expect = model(U256::from(supply), U256::from(borrow));
        assert_eq!(
            irm.borrow_rate_view(params(), market(supply, borrow)),
            expect
        );
        assert_eq!(irm.borrow_rate(params(), market(supply, borrow)), expect);
    }
}

#[test]
fn flat_curve_without_slopes() {
    let irm = deploy(BASE, 0, 0, 0).unwrap();
    for util in [0, KINK, WAD] {
        assert_eq!(irm.borrow_rate_at(u(util)), u(BASE));
    }
}

proptest! {
    #[test]
    fn rate_is_the_exact_formula(supply in 0u128..u128::MAX, borrow in 0u128..u128::MAX) {
        let irm = irm();
        prop_assert_eq!(
            irm.borrow_rate_view(params(), market_raw(supply, borrow)),
            model(U256::from(supply), U256::from(borrow))
        );
    }

    #[test]
    fn rate_is_monotone_in_utilization(a in 0u64..=WAD, b in 0u64..=WAD,
            base in 0u64..=MAX_RATE_PER_SECOND / 3, slope in 0u64..=MAX_RATE_PER_SECOND / 3,
            kink in 0u64..WAD, jump in 0u64..=MAX_RATE_PER_SECOND / 3) {
        let irm = deploy(base, slope, kink, jump).unwrap();
        let (lo, hi) = (a.min(b), a.max(b));
        prop_assert!(irm.borrow_rate_at(u(lo)) <= irm.borrow_rate_at(u(hi)));
    }

    #[test]
    fn rate_is_continuous_at_the_kink(base in 0u64..=MAX_RATE_PER_SECOND / 3,
            slope in 0u64..=MAX_RATE_PER_SECOND / 3, kink in 1u64..WAD,
            jump in 0u64..=MAX_RATE_PER_SECOND / 3) {
        let irm = deploy(base, slope, kink, jump).unwrap();
        let at = irm.borrow_rate_at(u(kink));
        // One wei of utilisation moves the rate by at most ceil(max slope / WAD) ≤ 1 wei.
        prop_assert!(at - irm.borrow_rate_at(u(kink - 1)) <= U256::from(1));
        prop_assert!(irm.borrow_rate_at(u(kink + 1)) - at <= U256::from(1));
        prop_assert_eq!(at, U256::from(base as u128 + kink as u128 * slope as u128 / WAD as u128));
    }
}

fn market_raw(supply: u128, borrow: u128) -> Market {
    Market {
        totalSupplyAssets: supply,
        totalSupplyShares: 0u128,
        totalBorrowAssets: borrow,
        totalBorrowShares: 0u128,
        lastUpdate: 0u128,
        fee: 0u128,
    }
}
