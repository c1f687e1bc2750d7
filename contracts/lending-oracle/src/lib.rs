//! Stylus Yield Chainlink oracle adapter with Morpho Blue's `IOracle` ABI: `price()` is the
//! price of 1 collateral token in loan tokens, scaled by 1e36 and by the tokens' decimals:
//!
//! ```text
//! price = answer · 10^(36 + loanDecimals − collateralDecimals − feedDecimals)
//!         (divided by 10^−e, rounded down, when the exponent e is negative)
//! ```
//!
//! where `answer` is the latest answer of a Chainlink `AggregatorV3Interface` feed quoting one
//! collateral token in loan-token units (e.g. ETH/USD for WETH collateral and a USD stablecoin
//! loan token).
//!
//! # Checks of every `price()` (each failure a named error; defi-anchors §4.4, stale-oracle class)
//! 1. **Sequencer** (Arbitrum, when a sequencer-uptime feed is configured): the uptime feed's
//!    answer must be 0 (up) — any other answer, or `startedAt == 0` (Chainlink's "round not
//!    initialised" on Arbitrum), is `OracleSequencerDown()`; and more than `gracePeriod` seconds
//!    must have passed since the status last changed (`startedAt`), else
//!    `OracleGracePeriodNotOver(startedAt)` — positions that became unhealthy while L2 was down
//!    get time to act before liquidations resume.
//! 2. **Complete round**: `updatedAt != 0` and `answeredInRound >= roundId`, else
//!    `OracleIncompleteRound()`.
//! 3. **Fresh**: `block.timestamp − updatedAt <= maxStaleness`, else `OracleStalePrice(updatedAt)`
//!    (an `updatedAt` in the future counts as fresh).
//! 4. **Positive**: `answer > 0`, else `OracleInvalidAnswer(answer)`.
//! 5. **Bounded**: `minAnswer <= answer <= maxAnswer`, else `OracleAnswerOutOfBounds(answer)`
//!    (Chainlink aggregators clamp at their own min/max: a feed sitting at its bound is the LUNA
//!    failure mode; set these inside the aggregator's bounds).
//! 6. A price that scales down to 0 is `OracleInvalidAnswer(answer)` (a zero price would make
//!    every position liquidatable).
//!
//! A feed call that reverts or returns malformed data is `OracleFeedCallFailed(feed)`.
//!
//! # Design decisions
//! * **Immutable, validated config**: everything is set by the constructor (run atomically by
//!   the StylusDeployer, so no front-run initialiser) and checked there (`OracleBadConfig()`):
//!   non-zero feed answering `decimals()`, `0 < maxStaleness`, `0 < minAnswer <= maxAnswer <=
//!   int128.max`, timestamps in `u64`, `|exponent| <= 77` and `maxAnswer · 10^exponent < 2^256`,
//!   so `price()` has no overflow path. There is no owner: a market's oracle is part of its id.
//! * **Decimals read once**: the feed's decimals are read at construction (Chainlink proxies
//!   never change them) and folded into the exponent; the config packs into three storage slots.

#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "contract-client-gen", allow(unused_imports))]

extern crate alloc;

#[cfg(test)]
mod tests;

use alloy_primitives::{
    aliases::{I128, U64, U8},
    Address, I256, U256,
};
use alloy_sol_types::{sol, SolCall};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageI128, StorageU64, StorageU8},
};

/// Morpho's `ORACLE_PRICE_SCALE` exponent.
pub const PRICE_SCALE_EXPONENT: i32 = 36;

/// The adapter emits no events.
pub const EVENTS_SOL: &[&str] = &[];

sol! {
    /// The feed's answer is zero or negative (or scales down to a zero price).
    #[derive(Debug, PartialEq, Eq)]
    error OracleInvalidAnswer(int256 answer);
    /// The feed's answer is outside `[minAnswer, maxAnswer]`.
    #[derive(Debug, PartialEq, Eq)]
    error OracleAnswerOutOfBounds(int256 answer);
    /// The feed's latest round is older than `maxStaleness`.
    #[derive(Debug, PartialEq, Eq)]
    error OracleStalePrice(uint256 updatedAt);
    /// The L2 sequencer is down (or its uptime feed has no valid round).
    #[derive(Debug, PartialEq, Eq)]
    error OracleSequencerDown();
    /// The sequencer came back up at `startedAt`, less than `gracePeriod` ago.
    #[derive(Debug, PartialEq, Eq)]
    error OracleGracePeriodNotOver(uint256 startedAt);
    /// The feed's latest round is incomplete (`updatedAt == 0` or `answeredInRound < roundId`).
    #[derive(Debug, PartialEq, Eq)]
    error OracleIncompleteRound();
    /// The constructor's configuration is invalid (see the crate docs).
    #[derive(Debug, PartialEq, Eq)]
    error OracleBadConfig();
    /// A call to `feed` reverted or returned malformed data.
    #[derive(Debug, PartialEq, Eq)]
    error OracleFeedCallFailed(address feed);

    /// The part of Chainlink's `AggregatorV3Interface` the adapter reads.
    interface AggregatorV3Interface {
        function decimals() external view returns (uint8);
        function latestRoundData() external view returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);
    }
}

/// Every Solidity error the adapter can return.
#[derive(SolidityError, Debug, PartialEq, Eq)]
pub enum OracleError {
    /// See [`OracleInvalidAnswer`].
    OracleInvalidAnswer(OracleInvalidAnswer),
    /// See [`OracleAnswerOutOfBounds`].
    OracleAnswerOutOfBounds(OracleAnswerOutOfBounds),
    /// See [`OracleStalePrice`].
    OracleStalePrice(OracleStalePrice),
    /// See [`OracleSequencerDown`].
    OracleSequencerDown(OracleSequencerDown),
    /// See [`OracleGracePeriodNotOver`].
    OracleGracePeriodNotOver(OracleGracePeriodNotOver),
    /// See [`OracleIncompleteRound`].
    OracleIncompleteRound(OracleIncompleteRound),
    /// See [`OracleBadConfig`].
    OracleBadConfig(OracleBadConfig),
    /// See [`OracleFeedCallFailed`].
    OracleFeedCallFailed(OracleFeedCallFailed),
}

fn bad_config() -> OracleError {
    OracleError::OracleBadConfig(OracleBadConfig {})
}

/// The configuration, packed: `[feed, maxStaleness, exponent magnitude, divide]`,
/// `[sequencerFeed, gracePeriod]`, `[minAnswer, maxAnswer]`.
#[entrypoint]
#[storage]
pub struct ChainlinkOracle {
    feed: StorageAddress,
    max_staleness: StorageU64,
    exponent_abs: StorageU8,
    divide: StorageBool,
    sequencer_feed: StorageAddress,
    grace_period: StorageU64,
    min_answer: StorageI128,
    max_answer: StorageI128,
}

/// The price exponent `36 + loanDecimals − collateralDecimals − feedDecimals`.
pub fn price_exponent(collateral_decimals: u8, loan_decimals: u8, feed_decimals: u8) -> i32 {
    PRICE_SCALE_EXPONENT + loan_decimals as i32 - collateral_decimals as i32 - feed_decimals as i32
}

/// `answer · 10^exponent` (rounded down when dividing); `None` on overflow or `|exponent| > 77`.
pub fn scale(answer: U256, exponent: i32) -> Option<U256> {
    if exponent.unsigned_abs() > 77 {
        return None;
    }
    let factor = U256::from(10).pow(U256::from(exponent.unsigned_abs()));
    if exponent >= 0 {
        answer.checked_mul(factor)
    } else {
        Some(answer / factor)
    }
}

fn to_i128(x: I256) -> Result<I128, OracleError> {
    i128::try_from(x)
        .ok()
        .and_then(|v| I128::try_from(v).ok())
        .ok_or_else(bad_config)
}

fn widen(x: I128) -> I256 {
    i128::try_from(x)
        .ok()
        .and_then(|v| I256::try_from(v).ok())
        .unwrap_or_default()
}

/// The latest round of a feed.
struct RoundData {
    round_id: U256,
    answer: I256,
    started_at: U256,
    updated_at: U256,
    answered_in_round: U256,
}

impl ChainlinkOracle {
    fn feed_call<C: SolCall>(&self, feed: Address, call: C) -> Result<C::Return, OracleError> {
        let fail = || OracleError::OracleFeedCallFailed(OracleFeedCallFailed { feed });
        let out = stylus_sdk::call::static_call(self.vm(), Call::new(), feed, &call.abi_encode())
            .map_err(|_| fail())?;
        C::abi_decode_returns(&out).map_err(|_| fail())
    }

    fn latest(&self, feed: Address) -> Result<RoundData, OracleError> {
        let r = self.feed_call(feed, AggregatorV3Interface::latestRoundDataCall {})?;
        Ok(RoundData {
            round_id: U256::from(r.roundId),
            answer: r.answer,
            started_at: r.startedAt,
            updated_at: r.updatedAt,
            answered_in_round: U256::from(r.answeredInRound),
        })
    }

    fn exponent(&self) -> i32 {
        let abs = self.exponent_abs.get().to::<u8>() as i32;
        if self.divide.get() {
            -abs
        } else {
            abs
        }
    }

    fn check_sequencer(&self, now: U256) -> Result<(), OracleError> {
        let sequencer = self.sequencer_feed.get();
        if sequencer.is_zero() {
            return Ok(());
        }
        let status = self.latest(sequencer)?;
        if !status.answer.is_zero() || status.started_at.is_zero() {
            return Err(OracleError::OracleSequencerDown(OracleSequencerDown {}));
        }
        let grace = U256::from(self.grace_period.get());
        match now.checked_sub(status.started_at) {
            Some(up_for) if up_for > grace => Ok(()),
            _ => Err(OracleError::OracleGracePeriodNotOver(
                OracleGracePeriodNotOver {
                    startedAt: status.started_at,
                },
            )),
        }
    }
}

#[public]
impl ChainlinkOracle {
    /// Configures the adapter (see the crate docs for every check; `OracleBadConfig()` on any
    /// failure). `sequencer_feed` zero = no sequencer check (L1 or a chain without one).
    #[constructor]
    #[allow(clippy::too_many_arguments)]
    pub fn constructor(
        &mut self,
        feed: Address,
        sequencer_feed: Address,
        grace_period: U256,
        max_staleness: U256,
        min_answer: I256,
        max_answer: I256,
        collateral_decimals: u8,
        loan_decimals: u8,
    ) -> Result<(), OracleError> {
        let u64_max = U256::from(u64::MAX);
        let i128_max = I256::try_from(i128::MAX).map_err(|_| bad_config())?;
        if feed.is_zero()
            || max_staleness.is_zero()
            || max_staleness > u64_max
            || grace_period > u64_max
            || min_answer <= I256::ZERO
            || min_answer > max_answer
            || max_answer > i128_max
        {
            return Err(bad_config());
        }
        let feed_decimals = self
            .feed_call(feed, AggregatorV3Interface::decimalsCall {})
            .map_err(|_| bad_config())?;
        let exponent = price_exponent(collateral_decimals, loan_decimals, feed_decimals);
        scale(max_answer.into_raw(), exponent).ok_or_else(bad_config)?;
        self.feed.set(feed);
        self.max_staleness.set(U64::from(max_staleness.to::<u64>()));
        self.exponent_abs
            .set(U8::from(exponent.unsigned_abs() as u8));
        self.divide.set(exponent < 0);
        self.sequencer_feed.set(sequencer_feed);
        self.grace_period.set(U64::from(grace_period.to::<u64>()));
        self.min_answer.set(to_i128(min_answer)?);
        self.max_answer.set(to_i128(max_answer)?);
        Ok(())
    }

    /// Morpho's `IOracle.price()`: 1 collateral token in loan tokens, scaled by 1e36 (see the
    /// crate docs for the checks).
    pub fn price(&self) -> Result<U256, OracleError> {
        let now = U256::from(self.vm().block_timestamp());
        self.check_sequencer(now)?;
        let r = self.latest(self.feed.get())?;
        if r.updated_at.is_zero() || r.answered_in_round < r.round_id {
            return Err(OracleError::OracleIncompleteRound(OracleIncompleteRound {}));
        }
        if now.saturating_sub(r.updated_at) > U256::from(self.max_staleness.get()) {
            return Err(OracleError::OracleStalePrice(OracleStalePrice {
                updatedAt: r.updated_at,
            }));
        }
        let answer = r.answer;
        if answer <= I256::ZERO {
            return Err(OracleError::OracleInvalidAnswer(OracleInvalidAnswer {
                answer,
            }));
        }
        if answer < self.min_answer() || answer > self.max_answer() {
            return Err(OracleError::OracleAnswerOutOfBounds(
                OracleAnswerOutOfBounds { answer },
            ));
        }
        // answer <= maxAnswer, and the constructor checked maxAnswer · 10^e fits.
        match scale(answer.into_raw(), self.exponent()) {
            Some(price) if !price.is_zero() => Ok(price),
            _ => Err(OracleError::OracleInvalidAnswer(OracleInvalidAnswer {
                answer,
            })),
        }
    }

    /// The Chainlink feed quoting collateral in loan-token units.
    pub fn feed(&self) -> Address {
        self.feed.get()
    }

    /// The sequencer-uptime feed (zero: none).
    pub fn sequencer_uptime_feed(&self) -> Address {
        self.sequencer_feed.get()
    }

    /// Seconds after the sequencer comes back up before prices are served.
    pub fn grace_period(&self) -> U256 {
        U256::from(self.grace_period.get())
    }

    /// Maximum age of the feed's latest round, in seconds.
    pub fn max_staleness(&self) -> U256 {
        U256::from(self.max_staleness.get())
    }

    /// Lowest accepted answer.
    pub fn min_answer(&self) -> I256 {
        widen(self.min_answer.get())
    }

    /// Highest accepted answer.
    pub fn max_answer(&self) -> I256 {
        widen(self.max_answer.get())
    }

    /// `36 + loanDecimals − collateralDecimals − feedDecimals`.
    pub fn price_exponent(&self) -> i32 {
        self.exponent()
    }
}
