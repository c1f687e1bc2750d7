//! Ownable2Step: a single owner, two-step transfer (`transferOwnership` then `acceptOwnership`
//! by the new owner), and `renounceOwnership`. OpenZeppelin v5 errors and events.
//!
//! Host pattern: embed [`Ownable`], call [`Ownable::initialize`] once, guard admin functions with
//! `self.ownable.only_owner()?`, and expose the ABI with [`impl_ownable!`](crate::impl_ownable)
//! after implementing [`OwnableHost`].

use alloy_primitives::Address;
use alloy_sol_types::sol;
use stylus_sdk::{prelude::*, storage::StorageAddress};

use crate::errors::kit_error_enum;

sol! {
    /// Emitted when ownership moves from `previousOwner` to `newOwner` (zero for renounce/initial).
    #[derive(Debug, PartialEq, Eq)]
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
    /// Emitted when `newOwner` is proposed by `previousOwner` (step one).
    #[derive(Debug, PartialEq, Eq)]
    event OwnershipTransferStarted(address indexed previousOwner, address indexed newOwner);

    /// `account` is not allowed to call this function.
    #[derive(Debug, PartialEq, Eq)]
    error OwnableUnauthorizedAccount(address account);
    /// `owner` is not a valid owner (the zero address).
    #[derive(Debug, PartialEq, Eq)]
    error OwnableInvalidOwner(address owner);
}

/// Solidity declarations of the Ownable2Step events, for ABI export.
pub const EVENTS_SOL: &[&str] = &[
    "event OwnershipTransferred(address indexed previousOwner, address indexed newOwner)",
    "event OwnershipTransferStarted(address indexed previousOwner, address indexed newOwner)",
];

kit_error_enum! {
    /// Errors of [`Ownable`].
    pub enum OwnableError {
        /// See [`OwnableUnauthorizedAccount`].
        OwnableUnauthorizedAccount,
        /// See [`OwnableInvalidOwner`].
        OwnableInvalidOwner,
    }
}

/// Owner and pending owner.
#[storage]
pub struct Ownable {
    owner: StorageAddress,
    pending_owner: StorageAddress,
}

impl Ownable {
    /// Sets the first owner (non-zero) and emits `OwnershipTransferred(0, owner)`.
    pub fn initialize(&mut self, owner: Address) -> Result<(), OwnableError> {
        if owner.is_zero() {
            return Err(OwnableError::OwnableInvalidOwner(OwnableInvalidOwner {
                owner,
            }));
        }
        self._transfer_ownership(owner);
        Ok(())
    }

    /// Current owner.
    pub fn owner(&self) -> Address {
        self.owner.get()
    }

    /// Proposed owner awaiting `acceptOwnership` (zero if none).
    pub fn pending_owner(&self) -> Address {
        self.pending_owner.get()
    }

    /// Errors with `OwnableUnauthorizedAccount(caller)` unless the caller is the owner.
    pub fn only_owner(&self) -> Result<(), OwnableError> {
        let caller = self.vm().msg_sender();
        if caller != self.owner.get() {
            return Err(OwnableError::OwnableUnauthorizedAccount(
                OwnableUnauthorizedAccount { account: caller },
            ));
        }
        Ok(())
    }

    /// Step one (owner only): propose `new_owner`; zero cancels a pending proposal.
    pub fn transfer_ownership(&mut self, new_owner: Address) -> Result<(), OwnableError> {
        self.only_owner()?;
        self.pending_owner.set(new_owner);
        let previous_owner = self.owner.get();
        self.vm().log(OwnershipTransferStarted {
            previousOwner: previous_owner,
            newOwner: new_owner,
        });
        Ok(())
    }

    /// Step two (pending owner only): become the owner.
    pub fn accept_ownership(&mut self) -> Result<(), OwnableError> {
        let caller = self.vm().msg_sender();
        if caller != self.pending_owner.get() {
            return Err(OwnableError::OwnableUnauthorizedAccount(
                OwnableUnauthorizedAccount { account: caller },
            ));
        }
        self._transfer_ownership(caller);
        Ok(())
    }

    /// Owner only: leave the contract without owner (irreversible; clears a pending proposal).
    pub fn renounce_ownership(&mut self) -> Result<(), OwnableError> {
        self.only_owner()?;
        self._transfer_ownership(Address::ZERO);
        Ok(())
    }

    /// Sets the owner without checks, clears the pending owner, emits `OwnershipTransferred`.
    pub fn _transfer_ownership(&mut self, new_owner: Address) {
        self.pending_owner.set(Address::ZERO);
        let previous_owner = self.owner.get();
        self.owner.set(new_owner);
        self.vm().log(OwnershipTransferred {
            previousOwner: previous_owner,
            newOwner: new_owner,
        });
    }
}

/// Ownable2Step public ABI, implemented by [`impl_ownable!`](crate::impl_ownable).
#[public]
#[allow(missing_docs)] // the macro adds an undocumented marker method
pub trait IOwnable {
    /// The host's error type.
    type Error: Into<alloc::vec::Vec<u8>>;

    /// Current owner.
    fn owner(&self) -> Address;
    /// Proposed owner awaiting acceptance.
    fn pending_owner(&self) -> Address;
    /// Proposes `new_owner` (owner only).
    fn transfer_ownership(&mut self, new_owner: Address) -> Result<(), Self::Error>;
    /// Accepts a proposed ownership transfer (pending owner only).
    fn accept_ownership(&mut self) -> Result<(), Self::Error>;
    /// Leaves the contract without owner (owner only).
    fn renounce_ownership(&mut self) -> Result<(), Self::Error>;
}

/// Implemented by a contract embedding [`Ownable`].
pub trait OwnableHost {
    /// The host's error enum.
    type Error: From<OwnableError>;
    /// The embedded ownership state.
    fn ownable(&self) -> &Ownable;
    /// The embedded ownership state, mutably.
    fn ownable_mut(&mut self) -> &mut Ownable;
}

/// Generates `#[public] impl kit::ownable::IOwnable for $host` from its [`OwnableHost`] impl.
#[macro_export]
macro_rules! impl_ownable {
    ($host:ty) => {
        #[stylus_sdk::prelude::public]
        impl $crate::ownable::IOwnable for $host {
            type Error = <$host as $crate::ownable::OwnableHost>::Error;

            fn owner(&self) -> $crate::__private::alloy_primitives::Address {
                $crate::ownable::OwnableHost::ownable(self).owner()
            }
            fn pending_owner(&self) -> $crate::__private::alloy_primitives::Address {
                $crate::ownable::OwnableHost::ownable(self).pending_owner()
            }
            fn transfer_ownership(
                &mut self,
                new_owner: $crate::__private::alloy_primitives::Address,
            ) -> ::core::result::Result<(), <$host as $crate::ownable::OwnableHost>::Error> {
                Ok(
                    $crate::ownable::OwnableHost::ownable_mut(self)
                        .transfer_ownership(new_owner)?,
                )
            }
            fn accept_ownership(
                &mut self,
            ) -> ::core::result::Result<(), <$host as $crate::ownable::OwnableHost>::Error> {
                Ok($crate::ownable::OwnableHost::ownable_mut(self).accept_ownership()?)
            }
            fn renounce_ownership(
                &mut self,
            ) -> ::core::result::Result<(), <$host as $crate::ownable::OwnableHost>::Error> {
                Ok($crate::ownable::OwnableHost::ownable_mut(self).renounce_ownership()?)
            }
        }
    };
}
