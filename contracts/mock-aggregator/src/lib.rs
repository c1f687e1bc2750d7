//! Stylus Yield mock Chainlink aggregator: `AggregatorV3Interface` (`decimals`, `description`,
//! `version`, `latestRoundData`, `getRoundData`) over rounds that anyone can write.
//!
//! **A test contract**: `setAnswer` and `setRoundData` are open to every caller, so a deployed
//! mock is a price anyone can move. It exists for the end-to-end tests, the gas bench and the
//! demo (a price feed, and with decimals 0 an Arbitrum sequencer-uptime feed: answer 0 = up,
//! 1 = down, `startedAt` = when the status last changed). Never point a real market at it.
//!
//! * `constructor(decimals, answer)` writes round 1 (`startedAt = updatedAt = now`).
//! * `setAnswer(answer)` opens the next round with `startedAt = updatedAt = now` and
//!   `answeredInRound = roundId` (a complete, fresh round).
//! * `setRoundData(roundId, answer, startedAt, updatedAt, answeredInRound)` writes any round
//!   verbatim (stale, incomplete, future, zero timestamps) and makes it the latest.
//! * `getRoundData` of a round never written reverts `MockRoundNotFound(roundId)` (as Chainlink's
//!   "No data present").

#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "contract-client-gen", allow(unused_imports))]

extern crate alloc;

#[cfg(test)]
mod tests;

use alloc::string::String;

use alloy_primitives::{aliases::U80, I256, U256};
use alloy_sol_types::sol;
use stylus_sdk::{
    prelude::*,
    storage::{StorageI256, StorageMap, StorageU256, StorageU8, StorageUint},
};

/// What `description()` returns.
pub const DESCRIPTION: &str = "Stylus Yield mock aggregator";
/// What `version()` returns (Chainlink's current aggregator version).
pub const VERSION: u64 = 4;

/// Solidity declarations of the mock's events.
pub const EVENTS_SOL: &[&str] =
    &["event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt)"];

sol! {
    /// Chainlink's `AggregatorInterface` event: round `roundId` now answers `current`.
    #[derive(Debug, PartialEq, Eq)]
    event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);

    /// `getRoundData` of a round that was never written.
    #[derive(Debug, PartialEq, Eq)]
    error MockRoundNotFound(uint80 roundId);
}

/// Every Solidity error the mock can return.
#[derive(SolidityError, Debug, PartialEq, Eq)]
pub enum MockError {
    /// See [`MockRoundNotFound`].
    MockRoundNotFound(MockRoundNotFound),
}

/// One stored round.
#[storage]
pub struct Round {
    answer: StorageI256,
    started_at: StorageU256,
    updated_at: StorageU256,
    answered_in_round: StorageUint<80, 2>,
    written: stylus_sdk::storage::StorageBool,
}

/// The feed: decimals, latest round id, rounds.
#[entrypoint]
#[storage]
pub struct MockAggregator {
    decimals: StorageU8,
    latest_round: StorageUint<80, 2>,
    rounds: StorageMap<U80, Round>,
}

/// `(roundId, answer, startedAt, updatedAt, answeredInRound)`.
pub type RoundData = (U80, I256, U256, U256, U80);

impl MockAggregator {
    fn write(
        &mut self,
        round_id: U80,
        answer: I256,
        started_at: U256,
        updated_at: U256,
        answered_in_round: U80,
    ) {
        let mut r = self.rounds.setter(round_id);
        r.answer.set(answer);
        r.started_at.set(started_at);
        r.updated_at.set(updated_at);
        r.answered_in_round.set(answered_in_round);
        r.written.set(true);
        self.latest_round.set(round_id);
        self.vm().log(AnswerUpdated {
            current: answer,
            roundId: U256::from(round_id),
            updatedAt: updated_at,
        });
    }

    fn read(&self, round_id: U80) -> Result<RoundData, MockError> {
        let r = self.rounds.getter(round_id);
        if !r.written.get() {
            return Err(MockError::MockRoundNotFound(MockRoundNotFound {
                roundId: round_id,
            }));
        }
        Ok((
            round_id,
            r.answer.get(),
            r.started_at.get(),
            r.updated_at.get(),
            r.answered_in_round.get(),
        ))
    }

    fn next_round(&mut self, answer: I256) {
        let id = self.latest_round.get() + U80::from(1);
        let now = U256::from(self.vm().block_timestamp());
        self.write(id, answer, now, now, id);
    }
}

#[public]
impl MockAggregator {
    /// A feed with `decimals` decimals whose round 1 answers `answer` now.
    #[constructor]
    pub fn constructor(&mut self, decimals: u8, answer: I256) {
        self.decimals
            .set(alloy_primitives::aliases::U8::from(decimals));
        self.next_round(answer);
    }

    /// Decimals of the answers.
    pub fn decimals(&self) -> u8 {
        self.decimals.get().to()
    }

    /// [`DESCRIPTION`].
    pub fn description(&self) -> String {
        DESCRIPTION.into()
    }

    /// [`VERSION`].
    pub fn version(&self) -> U256 {
        U256::from(VERSION)
    }

    /// The latest round written.
    pub fn latest_round_data(&self) -> Result<RoundData, MockError> {
        self.read(self.latest_round.get())
    }

    /// Round `round_id`; `MockRoundNotFound` if never written.
    pub fn get_round_data(&self, round_id: U80) -> Result<RoundData, MockError> {
        self.read(round_id)
    }

    /// Opens the next round answering `answer`, complete and fresh (open to anyone: test mock).
    pub fn set_answer(&mut self, answer: I256) {
        self.next_round(answer);
    }

    /// Writes round `round_id` verbatim and makes it the latest (open to anyone: test mock).
    pub fn set_round_data(
        &mut self,
        round_id: U80,
        answer: I256,
        started_at: U256,
        updated_at: U256,
        answered_in_round: U80,
    ) {
        self.write(round_id, answer, started_at, updated_at, answered_in_round);
    }
}
