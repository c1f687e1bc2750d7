//! Stylus Yield jump-rate interest-rate model with Morpho Blue's `IIrm` ABI
//! (`borrowRate(MarketParams, Market)`, `borrowRateView(MarketParams, Market)`), Compound's
//! JumpRateModel curve, per-second WAD rates.
//!
//! ```text
//! u    = min(totalBorrowAssets · WAD / totalSupplyAssets, WAD)      (0 when totalSupplyAssets = 0)
//! rate = base + min(u, kink) · slope / WAD + max(u − kink, 0) · jumpSlope / WAD
//! ```
//!
//! # Design decisions
//! * **Rounding**: both divisions round down (as Compound's JumpRateModel and Morpho's
//!   `wMulDown`); the rate error is below 2 wei per second, always in the borrower's favour, and
//!   the curve stays exactly reproducible off-chain (tests check the formula to the wei).
//! * **Utilisation is capped at 100%**: a market never lends more than it holds, but a caller can
//!   pass any `Market` to the view; the cap keeps the rate bounded by `borrowRateAt(WAD)`.
//! * **Bounded curve, one storage slot**: the constructor (run atomically by the StylusDeployer)
//!   rejects `kink >= WAD` (`IrmInvalidKink`) and any curve whose rate at full utilisation
//!   exceeds [`MAX_RATE_PER_SECOND`] (1,000% a year, `IrmRateTooHigh`). Every parameter then fits
//!   a `u64`, so the four live in one slot (one cold SLOAD per accrual instead of four), and
//!   every product `u · slope` (< 2^60 · 2^64) is computed in `u128` without any overflow path.
//! * **Stateless**: `borrowRate` is `nonpayable` as Morpho's `IIrm` declares it (the market calls
//!   it on every accrual) but writes nothing; it equals `borrowRateView`. The parameters are
//!   immutable after construction (no owner): a market's IRM is part of its id.

#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "contract-client-gen", allow(unused_imports))]

extern crate alloc;

#[cfg(test)]
mod tests;

use alloy_primitives::U256;
use alloy_sol_types::sol;
use stylus_sdk::{prelude::*, storage::StorageU64};

/// 1e18.
pub const WAD: u64 = 1_000_000_000_000_000_000;

/// Highest accepted rate at full utilisation: 1,000% a year in per-second WAD
/// (`10 · WAD / 365 days`, rounded down).
pub const MAX_RATE_PER_SECOND: u64 = 10 * WAD / (365 * 24 * 3600);

/// The IRM emits no events.
pub const EVENTS_SOL: &[&str] = &[];

/// Solidity declarations of the structs in the ABI (the SDK's export names them without
/// declaring them; the ABI pipeline expands them).
pub const STRUCTS_SOL: &[&str] = &[
    "struct MarketParams { address loanToken; address collateralToken; address oracle; address irm; uint256 lltv; }",
    "struct Market { uint128 totalSupplyAssets; uint128 totalSupplyShares; uint128 totalBorrowAssets; uint128 totalBorrowShares; uint128 lastUpdate; uint128 fee; }",
];

sol! {
    /// Morpho Blue's market parameters (the IRM ignores them: one curve for every market).
    #[derive(Debug, PartialEq, Eq, AbiType)]
    struct MarketParams {
        address loanToken;
        address collateralToken;
        address oracle;
        address irm;
        uint256 lltv;
    }

    /// Morpho Blue's market state, as the market passes it to `borrowRate`.
    #[derive(Debug, PartialEq, Eq, AbiType)]
    struct Market {
        uint128 totalSupplyAssets;
        uint128 totalSupplyShares;
        uint128 totalBorrowAssets;
        uint128 totalBorrowShares;
        uint128 lastUpdate;
        uint128 fee;
    }

    /// The constructor's `kink` is not below 1e18 (100% utilisation).
    #[derive(Debug, PartialEq, Eq)]
    error IrmInvalidKink(uint256 kink);
    /// The curve's rate at full utilisation (`rateAtFullUtilization`, or a parameter alone)
    /// exceeds `maxRate` per second.
    #[derive(Debug, PartialEq, Eq)]
    error IrmRateTooHigh(uint256 rateAtFullUtilization, uint256 maxRate);
}

/// Every Solidity error the IRM can return (only its constructor fails).
#[derive(SolidityError, Debug, PartialEq, Eq)]
pub enum IrmError {
    /// See [`IrmInvalidKink`].
    IrmInvalidKink(IrmInvalidKink),
    /// See [`IrmRateTooHigh`].
    IrmRateTooHigh(IrmRateTooHigh),
}

/// The four curve parameters, packed into one storage slot.
#[entrypoint]
#[storage]
pub struct JumpRateIrm {
    base_rate: StorageU64,
    slope: StorageU64,
    kink: StorageU64,
    jump_slope: StorageU64,
}

/// `min(borrow · WAD / supply, WAD)` rounded down; 0 when `supply` is 0.
pub fn utilization_of(total_supply: U256, total_borrow: U256) -> U256 {
    let wad = U256::from(WAD);
    if total_supply.is_zero() || total_borrow >= total_supply {
        return if total_supply.is_zero() {
            U256::ZERO
        } else {
            wad
        };
    }
    // borrow < supply, so borrow · WAD / supply < WAD; the product fits unless borrow ≥ 2^196,
    // where dividing first loses nothing that matters (supply > borrow ≥ 2^196 ≫ WAD).
    match total_borrow.checked_mul(wad) {
        Some(p) => p / total_supply,
        None => total_borrow / (total_supply / wad),
    }
}

/// The curve at utilisation `u` (≤ WAD) for `(base, slope, kink, jump)`, rounded down.
pub fn rate_at(base: u64, slope: u64, kink: u64, jump: u64, u: u64) -> u128 {
    let below = u.min(kink) as u128 * slope as u128 / WAD as u128;
    let above = u.saturating_sub(kink) as u128 * jump as u128 / WAD as u128;
    base as u128 + below + above
}

impl JumpRateIrm {
    fn params(&self) -> (u64, u64, u64, u64) {
        (
            self.base_rate.get().to(),
            self.slope.get().to(),
            self.kink.get().to(),
            self.jump_slope.get().to(),
        )
    }

    fn rate(&self, market: &Market) -> U256 {
        self.borrow_rate_at(self.utilization(
            U256::from(market.totalSupplyAssets),
            U256::from(market.totalBorrowAssets),
        ))
    }
}

#[public]
impl JumpRateIrm {
    /// Sets the curve (per-second WAD rates; `kink` a WAD utilisation below 1e18). Rejects
    /// `kink >= 1e18` and curves above [`MAX_RATE_PER_SECOND`] at full utilisation.
    #[constructor]
    pub fn constructor(
        &mut self,
        base_rate_per_second: U256,
        slope_per_second: U256,
        kink: U256,
        jump_slope_per_second: U256,
    ) -> Result<(), IrmError> {
        if kink >= U256::from(WAD) {
            return Err(IrmError::IrmInvalidKink(IrmInvalidKink { kink }));
        }
        let max = U256::from(MAX_RATE_PER_SECOND);
        let too_high = |rate: U256| {
            IrmError::IrmRateTooHigh(IrmRateTooHigh {
                rateAtFullUtilization: rate,
                maxRate: max,
            })
        };
        for p in [
            base_rate_per_second,
            slope_per_second,
            jump_slope_per_second,
        ] {
            if p > max {
                return Err(too_high(p));
            }
        }
        let (base, slope, kink, jump) = (
            base_rate_per_second.to::<u64>(),
            slope_per_second.to::<u64>(),
            kink.to::<u64>(),
            jump_slope_per_second.to::<u64>(),
        );
        let full = rate_at(base, slope, kink, jump, WAD);
        if full > MAX_RATE_PER_SECOND as u128 {
            return Err(too_high(U256::from(full)));
        }
        self.base_rate.set(U64::from(base));
        self.slope.set(U64::from(slope));
        self.kink.set(U64::from(kink));
        self.jump_slope.set(U64::from(jump));
        Ok(())
    }

    /// Morpho's `IIrm.borrowRate`: the per-second WAD borrow rate of `market` (writes nothing).
    #[allow(clippy::needless_pass_by_ref_mut)]
    pub fn borrow_rate(&mut self, market_params: MarketParams, market: Market) -> U256 {
        let _ = market_params;
        self.rate(&market)
    }

    /// Morpho's `IIrm.borrowRateView`: the same rate, as a view.
    pub fn borrow_rate_view(&self, market_params: MarketParams, market: Market) -> U256 {
        let _ = market_params;
        self.rate(&market)
    }

    /// Rate at zero utilisation (per second, WAD).
    pub fn base_rate_per_second(&self) -> U256 {
        U256::from(self.base_rate.get())
    }

    /// Slope below the kink (per second, WAD, per unit of utilisation).
    pub fn slope_per_second(&self) -> U256 {
        U256::from(self.slope.get())
    }

    /// Utilisation (WAD) where the jump slope starts.
    pub fn kink(&self) -> U256 {
        U256::from(self.kink.get())
    }

    /// Slope above the kink (per second, WAD, per unit of utilisation).
    pub fn jump_slope_per_second(&self) -> U256 {
        U256::from(self.jump_slope.get())
    }

    /// `min(totalBorrow · 1e18 / totalSupply, 1e18)` rounded down, 0 on an empty market.
    pub fn utilization(&self, total_supply: U256, total_borrow: U256) -> U256 {
        utilization_of(total_supply, total_borrow)
    }

    /// The curve at `utilization` (WAD; values above 1e18 are read as 1e18).
    pub fn borrow_rate_at(&self, utilization: U256) -> U256 {
        let u = utilization.min(U256::from(WAD)).to::<u64>();
        let (base, slope, kink, jump) = self.params();
        U256::from(rate_at(base, slope, kink, jump, u))
    }
}

/// The `U64` alias the storage setters take.
type U64 = alloy_primitives::aliases::U64;
