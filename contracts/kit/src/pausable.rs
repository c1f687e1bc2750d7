//! Pausable: an emergency stop. Guard state-changing functions with
//! [`Pausable::when_not_paused`]; the host decides who may call [`Pausable::pause`] /
//! [`Pausable::unpause`] (typically the owner) and exposes `paused()` itself.

use alloy_sol_types::sol;
use stylus_sdk::{prelude::*, storage::StorageBool};

use crate::errors::kit_error_enum;

sol! {
    /// Emitted when `account` pauses the contract.
    #[derive(Debug, PartialEq, Eq)]
    event Paused(address account);
    /// Emitted when `account` unpauses the contract.
    #[derive(Debug, PartialEq, Eq)]
    event Unpaused(address account);

    /// The operation failed because the contract is paused.
    #[derive(Debug, PartialEq, Eq)]
    error EnforcedPause();
    /// The operation failed because the contract is not paused.
    #[derive(Debug, PartialEq, Eq)]
    error ExpectedPause();
}

/// Solidity declarations of the Pausable events, for ABI export.
pub const EVENTS_SOL: &[&str] = &[
    "event Paused(address account)",
    "event Unpaused(address account)",
];

kit_error_enum! {
    /// Errors of [`Pausable`].
    pub enum PausableError {
        /// See [`EnforcedPause`].
        EnforcedPause,
        /// See [`ExpectedPause`].
        ExpectedPause,
    }
}

/// The paused flag.
#[storage]
pub struct Pausable {
    paused: StorageBool,
}

impl Pausable {
    /// Whether the contract is paused.
    pub fn paused(&self) -> bool {
        self.paused.get()
    }

    /// `EnforcedPause()` if paused.
    pub fn when_not_paused(&self) -> Result<(), PausableError> {
        if self.paused.get() {
            return Err(PausableError::EnforcedPause(EnforcedPause {}));
        }
        Ok(())
    }

    /// `ExpectedPause()` if not paused.
    pub fn when_paused(&self) -> Result<(), PausableError> {
        if !self.paused.get() {
            return Err(PausableError::ExpectedPause(ExpectedPause {}));
        }
        Ok(())
    }

    /// Pauses (must be unpaused) and emits `Paused(caller)`. Access control is the host's.
    pub fn pause(&mut self) -> Result<(), PausableError> {
        self.when_not_paused()?;
        self.paused.set(true);
        let account = self.vm().msg_sender();
        self.vm().log(Paused { account });
        Ok(())
    }

    /// Unpauses (must be paused) and emits `Unpaused(caller)`. Access control is the host's.
    pub fn unpause(&mut self) -> Result<(), PausableError> {
        self.when_paused()?;
        self.paused.set(false);
        let account = self.vm().msg_sender();
        self.vm().log(Unpaused { account });
        Ok(())
    }
}
