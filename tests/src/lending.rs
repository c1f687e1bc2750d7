//! Deployment of the lending stack on a node (LEND.md): the jump-rate IRM, a mock price feed and
//! a mock sequencer-uptime feed, the Chainlink oracle adapter over them, and the loan and
//! collateral test tokens; every Stylus program is the real wasm of the pipeline, constructed
//! atomically through the StylusDeployer. Bindings are `sol!` over the exported `abi/*.json`.

use alloy::{
    primitives::{Address, I256, U256},
    providers::DynProvider,
    sol,
};
use anyhow::Result;
use scripts::suite::{aggregator_constructor_call, irm_constructor_call, oracle_constructor_call};

use crate::{abi::ITestToken, deploy_activated, deploy_constructed};

sol!(
    #[sol(rpc)]
    ILendingIrm,
    "../abi/lending-irm.json"
);
sol!(
    #[sol(rpc)]
    ILendingOracle,
    "../abi/lending-oracle.json"
);
sol!(
    #[sol(rpc)]
    IMockAggregator,
    "../abi/mock-aggregator.json"
);

// The curve, feed and oracle bounds are the deployed suite's (`scripts::params`): the tests
// check the same parameters `deploy` wires.
pub use scripts::params::{
    int, irm_rate_at, oracle_config, FEED_ANSWER, FEED_DECIMALS, GRACE_PERIOD, IRM_BASE, IRM_JUMP,
    IRM_KINK, IRM_SLOPE, MAX_ANSWER, MAX_STALENESS, MIN_ANSWER, WAD,
};
/// Decimals of the loan token.
pub const LOAN_DECIMALS: u8 = 18;
/// Decimals of the collateral token.
pub const COLLATERAL_DECIMALS: u8 = 18;
/// The oracle price for a feed answer under this stack's decimals:
/// `answer · 10^(36 + loan − collateral − feed)`.
pub fn oracle_price(answer: i128) -> U256 {
    let e = 36 + LOAN_DECIMALS as u32 - COLLATERAL_DECIMALS as u32 - FEED_DECIMALS as u32;
    U256::from(answer as u128) * U256::from(10u64).pow(U256::from(e))
}

/// Everything around the market, deployed.
#[derive(Debug, Clone, Copy)]
pub struct LendingPeriphery {
    /// `lending-irm` with the curve [`IRM_BASE`], [`IRM_SLOPE`], [`IRM_KINK`], [`IRM_JUMP`].
    pub irm: Address,
    /// `mock-aggregator` price feed ([`FEED_DECIMALS`], [`FEED_ANSWER`]).
    pub aggregator: Address,
    /// `mock-aggregator` as the sequencer-uptime feed (answer 0: up since deployment).
    pub sequencer: Address,
    /// `lending-oracle` over `aggregator` and `sequencer`.
    pub oracle: Address,
    /// Loan token (`test-token`, [`LOAN_DECIMALS`]).
    pub loan: Address,
    /// Collateral token (`test-token`, [`COLLATERAL_DECIMALS`]).
    pub collateral: Address,
}

/// Deploys a `test-token` named `name` with `decimals`.
pub async fn deploy_token(p: &DynProvider, name: &str, decimals: u8) -> Result<Address> {
    let token = deploy_activated(p, "test-token").await?;
    let t = ITestToken::new(token, p);
    send!(t.initialize(name.into(), name.into(), decimals));
    Ok(token)
}

/// Deploys a `mock-aggregator` answering `answer` with `decimals`.
pub async fn deploy_aggregator(p: &DynProvider, decimals: u8, answer: i128) -> Result<Address> {
    deploy_constructed(
        p,
        "mock-aggregator",
        aggregator_constructor_call(decimals, int(answer)),
    )
    .await
}

/// Deploys the IRM, both feeds, the oracle and the two tokens. The sequencer feed says "up since
/// its deployment", so prices are served once [`GRACE_PERIOD`] has passed: move time forward
/// (`evm_increaseTime`) or call [`IMockAggregator::setRoundData`] on it with an older
/// `startedAt` before reading `price()`; [`deploy_periphery`] does the latter.
pub async fn deploy_periphery(p: &DynProvider) -> Result<LendingPeriphery> {
    let irm = deploy_constructed(
        p,
        "lending-irm",
        irm_constructor_call(
            U256::from(IRM_BASE),
            U256::from(IRM_SLOPE),
            U256::from(IRM_KINK),
            U256::from(IRM_JUMP),
        ),
    )
    .await?;
    let aggregator = deploy_aggregator(p, FEED_DECIMALS, FEED_ANSWER).await?;
    let sequencer = deploy_aggregator(p, 0, 0).await?;
    // Up since long before: round 2, started at 1 (a fixed past instant), complete.
    send!(IMockAggregator::new(sequencer, p).setRoundData(
        alloy::primitives::aliases::U80::from(2),
        I256::ZERO,
        U256::from(1),
        U256::from(1),
        alloy::primitives::aliases::U80::from(2)
    ));
    let oracle = deploy_constructed(
        p,
        "lending-oracle",
        oracle_constructor_call(&oracle_config(aggregator, sequencer)),
    )
    .await?;
    let loan = deploy_token(p, "Loan", LOAN_DECIMALS).await?;
    let collateral = deploy_token(p, "Collateral", COLLATERAL_DECIMALS).await?;
    Ok(LendingPeriphery {
        irm,
        aggregator,
        sequencer,
        oracle,
        loan,
        collateral,
    })
}

/// Morpho Blue's arithmetic, restated independently for the tests (WAD fixed point, virtual
/// shares 1e6 and virtual assets 1 per side, every rounding as Morpho's `MathLib`/`SharesMathLib`).
pub mod reference {
    use alloy::primitives::U256;

    /// 1e18.
    pub fn wad() -> U256 {
        U256::from(super::WAD)
    }
    /// Morpho's `VIRTUAL_SHARES`.
    pub fn virtual_shares() -> U256 {
        U256::from(1_000_000u64)
    }
    /// Morpho's `ORACLE_PRICE_SCALE`.
    pub fn price_scale() -> U256 {
        U256::from(10u64).pow(U256::from(36))
    }
    /// `x · y / d` rounded down.
    pub fn mul_div_down(x: U256, y: U256, d: U256) -> U256 {
        x * y / d
    }
    /// `x · y / d` rounded up.
    pub fn mul_div_up(x: U256, y: U256, d: U256) -> U256 {
        (x * y).div_ceil(d)
    }
    /// `x · y / WAD` rounded down.
    pub fn w_mul_down(x: U256, y: U256) -> U256 {
        mul_div_down(x, y, wad())
    }
    /// `x · WAD / y` rounded down.
    pub fn w_div_down(x: U256, y: U256) -> U256 {
        mul_div_down(x, wad(), y)
    }
    /// `x · WAD / y` rounded up.
    pub fn w_div_up(x: U256, y: U256) -> U256 {
        mul_div_up(x, wad(), y)
    }
    /// `e^(x·n) − 1` by its first three Taylor terms (Morpho's `wTaylorCompounded`).
    pub fn w_taylor_compounded(x: U256, n: U256) -> U256 {
        let first = x * n;
        let second = mul_div_down(first, first, U256::from(2) * wad());
        let third = mul_div_down(second, first, U256::from(3) * wad());
        first + second + third
    }
    /// Assets → shares, rounded down.
    pub fn to_shares_down(assets: U256, total_assets: U256, total_shares: U256) -> U256 {
        mul_div_down(
            assets,
            total_shares + virtual_shares(),
            total_assets + U256::from(1),
        )
    }
    /// Assets → shares, rounded up.
    pub fn to_shares_up(assets: U256, total_assets: U256, total_shares: U256) -> U256 {
        mul_div_up(
            assets,
            total_shares + virtual_shares(),
            total_assets + U256::from(1),
        )
    }
    /// Shares → assets, rounded down.
    pub fn to_assets_down(shares: U256, total_assets: U256, total_shares: U256) -> U256 {
        mul_div_down(
            shares,
            total_assets + U256::from(1),
            total_shares + virtual_shares(),
        )
    }
    /// Shares → assets, rounded up.
    pub fn to_assets_up(shares: U256, total_assets: U256, total_shares: U256) -> U256 {
        mul_div_up(
            shares,
            total_assets + U256::from(1),
            total_shares + virtual_shares(),
        )
    }
    /// `min(1.15, 1 / (1 − 0.3 · (1 − lltv)))` as Morpho rounds it.
    pub fn liquidation_incentive_factor(lltv: U256) -> U256 {
        let cursor = U256::from(300_000_000_000_000_000u64);
        let max = U256::from(1_150_000_000_000_000_000u64);
        max.min(w_div_down(wad(), wad() - w_mul_down(cursor, wad() - lltv)))
    }

    /// A market's totals, as `market(id)` returns them (without `lastUpdate` and `fee`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct Totals {
        /// totalSupplyAssets
        pub supply_assets: U256,
        /// totalSupplyShares
        pub supply_shares: U256,
        /// totalBorrowAssets
        pub borrow_assets: U256,
        /// totalBorrowShares
        pub borrow_shares: U256,
    }

    impl Totals {
        /// Accrues `elapsed` seconds at the per-second `rate` with `fee` (WAD): returns the
        /// interest and the fee shares minted (Morpho's `_accrueInterest`).
        pub fn accrue(&mut self, rate: U256, elapsed: u64, fee: U256) -> (U256, U256) {
            if elapsed == 0 {
                return (U256::ZERO, U256::ZERO);
            }
            let interest = w_mul_down(
                self.borrow_assets,
                w_taylor_compounded(rate, U256::from(elapsed)),
            );
            self.borrow_assets += interest;
            self.supply_assets += interest;
            let mut fee_shares = U256::ZERO;
            if !fee.is_zero() {
                let fee_amount = w_mul_down(interest, fee);
                fee_shares = to_shares_down(
                    fee_amount,
                    self.supply_assets - fee_amount,
                    self.supply_shares,
                );
                self.supply_shares += fee_shares;
            }
            (interest, fee_shares)
        }

        /// Utilisation-based rate of the stack's IRM for these totals.
        pub fn irm_rate(&self) -> U256 {
            let u = if self.supply_assets.is_zero() {
                U256::ZERO
            } else {
                (self.borrow_assets * wad() / self.supply_assets).min(wad())
            };
            super::irm_rate_at(u)
        }
    }
}

sol!(
    #[sol(rpc)]
    "solidity/src/lending/ILendingFlashBorrower.sol"
);
