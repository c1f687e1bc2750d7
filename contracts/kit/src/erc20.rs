//! ERC-20: storage, internal logic, the public `IErc20` ABI, and a hook for host contracts.
//!
//! Behaviour follows OpenZeppelin's ERC-20 v5: ERC-6093 errors (`ERC20InsufficientBalance`, ...),
//! `Transfer` on mint/burn, `Approval` on `approve` but not on `transferFrom`, an allowance of
//! `U256::MAX` is infinite and never decreases. Supply overflow on mint is `MathOverflow()`.
//!
//! # Embedding it in a host contract (the pattern)
//! Stylus has no virtual overrides, so the kit splits ERC-20 into three layers:
//! 1. [`Erc20`] — a `#[storage]` struct with the balance-moving internals (`_update`, `_transfer`,
//!    `_mint`, `_burn`, `_approve`, `_spend_allowance`). They never call any hook, so the
//!    balance-moving ones are **crate-private**: outside the kit, balances can only move through
//!    the hooked [`Erc20Host`] methods (a host cannot skip its checkpoint by mistake):
//!
//!    ```compile_fail,E0624
//!    fn bypass(token: &mut kit::erc20::Erc20, to: alloy_primitives::Address) {
//!        let _ = token._mint(to, alloy_primitives::U256::from(1)); // private: does not compile
//!    }
//!    ```
//! 2. [`Erc20Host`] — a trait the host implements in ~5 lines: where its `Erc20` field lives, its
//!    error type, and optionally [`Erc20Host::before_update`], which runs **before every balance
//!    change** (transfer, transferFrom, mint, burn) with `(from, to, value)`; `from == 0` is a mint,
//!    `to == 0` a burn. Its provided methods ([`Erc20Host::erc20_transfer`], [`Erc20Host::erc20_mint`],
//!    [`Erc20Host::erc20_burn`], ...) are the hooked entry points: the only way a host can move
//!    balances, so the hook cannot be bypassed.
//! 3. [`impl_erc20!`](crate::impl_erc20) — generates the `#[public] impl IErc20 for Host` block
//!    that routes the standard ABI through the hooked methods.
//!
//! ```ignore
//! #[entrypoint]
//! #[storage]
//! pub struct Vault { token: Erc20, rewards: Rewards, /* ... */ }
//!
//! impl Erc20Host for Vault {
//!     type Error = VaultError;                       // has From<Erc20Error> (impl_error_from!)
//!     fn erc20(&self) -> &Erc20 { &self.token }
//!     fn erc20_mut(&mut self) -> &mut Erc20 { &mut self.token }
//!     fn before_update(&mut self, from: Address, to: Address, _v: U256) -> Result<(), VaultError> {
//!         self.rewards.checkpoint(from, to)         // reward accrual before balances move
//!     }
//! }
//! kit::impl_erc20!(Vault);
//!
//! #[public]
//! #[implements(IErc20<Error = VaultError>)]
//! impl Vault { /* deposit() calls self.erc20_mint(receiver, shares)? ... */ }
//! ```

use alloc::string::String;

use alloy_primitives::{Address, U256};
use alloy_sol_types::sol;
use stylus_sdk::{
    prelude::*,
    storage::{StorageB256, StorageMap, StorageU256, StorageU8},
};

use crate::{
    errors::kit_error_enum,
    math::{MathError, MathOverflow},
};

sol! {
    /// Emitted when `value` tokens move from `from` to `to` (zero address for mint / burn).
    #[derive(Debug, PartialEq, Eq)]
    event Transfer(address indexed from, address indexed to, uint256 value);
    /// Emitted when `owner` sets `spender`'s allowance to `value`.
    #[derive(Debug, PartialEq, Eq)]
    event Approval(address indexed owner, address indexed spender, uint256 value);

    /// `sender`'s `balance` is lower than the `needed` amount.
    #[derive(Debug, PartialEq, Eq)]
    error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
    /// Tokens cannot be sent from `sender` (the zero address).
    #[derive(Debug, PartialEq, Eq)]
    error ERC20InvalidSender(address sender);
    /// Tokens cannot be sent to `receiver` (the zero address).
    #[derive(Debug, PartialEq, Eq)]
    error ERC20InvalidReceiver(address receiver);
    /// `spender`'s `allowance` is lower than the `needed` amount.
    #[derive(Debug, PartialEq, Eq)]
    error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed);
    /// `approver` (the zero address) cannot approve.
    #[derive(Debug, PartialEq, Eq)]
    error ERC20InvalidApprover(address approver);
    /// `spender` (the zero address) cannot be approved.
    #[derive(Debug, PartialEq, Eq)]
    error ERC20InvalidSpender(address spender);
}

/// Solidity declarations of the ERC-20 events, for ABI export (Stylus' interface export omits events).
pub const EVENTS_SOL: &[&str] = &[
    "event Transfer(address indexed from, address indexed to, uint256 value)",
    "event Approval(address indexed owner, address indexed spender, uint256 value)",
];

kit_error_enum! {
    /// Every error the ERC-20 logic can return.
    pub enum Erc20Error {
        /// See [`ERC20InsufficientBalance`].
        ERC20InsufficientBalance,
        /// See [`ERC20InvalidSender`].
        ERC20InvalidSender,
        /// See [`ERC20InvalidReceiver`].
        ERC20InvalidReceiver,
        /// See [`ERC20InsufficientAllowance`].
        ERC20InsufficientAllowance,
        /// See [`ERC20InvalidApprover`].
        ERC20InvalidApprover,
        /// See [`ERC20InvalidSpender`].
        ERC20InvalidSpender,
        /// Total supply would exceed `U256::MAX` (see [`MathOverflow`]).
        MathOverflow,
    }
}

impl From<MathError> for Erc20Error {
    fn from(_: MathError) -> Self {
        Erc20Error::MathOverflow(MathOverflow {})
    }
}

/// ERC-20 state: balances, allowances, total supply and metadata.
///
/// Name and symbol are stored as [short strings](crate::short_string) (≤ 31 bytes, one slot
/// each): reading a `StorageString` would link a 7.6 KB 256-bit division into every contract.
#[storage]
pub struct Erc20 {
    balances: StorageMap<Address, StorageU256>,
    allowances: StorageMap<Address, StorageMap<Address, StorageU256>>,
    total_supply: StorageU256,
    name: StorageB256,
    symbol: StorageB256,
    decimals: StorageU8,
}

impl Erc20 {
    /// Sets name, symbol and decimals (call once, from the host's constructor / `initialize`).
    /// Name and symbol longer than 31 bytes are truncated at a UTF-8 character boundary.
    pub fn init_metadata(&mut self, name: &str, symbol: &str, decimals: u8) {
        self.name.set(crate::short_string::encode_truncated(name));
        self.symbol
            .set(crate::short_string::encode_truncated(symbol));
        self.decimals
            .set(alloy_primitives::Uint::<8, 1>::from(decimals));
    }

    /// Token name.
    pub fn name(&self) -> String {
        crate::short_string::decode(self.name.get())
    }

    /// Token symbol.
    pub fn symbol(&self) -> String {
        crate::short_string::decode(self.symbol.get())
    }

    /// Token decimals.
    pub fn decimals(&self) -> u8 {
        self.decimals.get().to()
    }

    /// Total supply.
    pub fn total_supply(&self) -> U256 {
        self.total_supply.get()
    }

    /// Balance of `account`.
    pub fn balance_of(&self, account: Address) -> U256 {
        self.balances.get(account)
    }

    /// Remaining allowance of `spender` over `owner`'s tokens.
    pub fn allowance(&self, owner: Address, spender: Address) -> U256 {
        self.allowances.getter(owner).get(spender)
    }

    /// Moves `value` from `from` to `to`, minting if `from` is zero and burning if `to` is zero,
    /// and emits `Transfer`. No zero-address checks (callers do them); no hook.
    pub(crate) fn _update(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
    ) -> Result<(), Erc20Error> {
        if from.is_zero() {
            let supply = self
                .total_supply
                .get()
                .checked_add(value)
                .ok_or(Erc20Error::MathOverflow(MathOverflow {}))?;
            self.total_supply.set(supply);
        } else {
            let balance = self.balances.get(from);
            if balance < value {
                return Err(Erc20Error::ERC20InsufficientBalance(
                    ERC20InsufficientBalance {
                        sender: from,
                        balance,
                        needed: value,
                    },
                ));
            }
            self.balances.insert(from, balance - value);
        }
        if to.is_zero() {
            // value <= balance(from) <= total supply: cannot underflow.
            self.total_supply.set(self.total_supply.get() - value);
        } else {
            // balance(to) + value <= total supply: cannot overflow.
            let balance = self.balances.get(to);
            self.balances.insert(to, balance + value);
        }
        self.vm().log(Transfer { from, to, value });
        Ok(())
    }

    /// Checks that neither `from` nor `to` is zero (ERC20InvalidSender / ERC20InvalidReceiver).
    pub fn check_transfer(from: Address, to: Address) -> Result<(), Erc20Error> {
        if from.is_zero() {
            return Err(Erc20Error::ERC20InvalidSender(ERC20InvalidSender {
                sender: from,
            }));
        }
        if to.is_zero() {
            return Err(Erc20Error::ERC20InvalidReceiver(ERC20InvalidReceiver {
                receiver: to,
            }));
        }
        Ok(())
    }

    /// Moves `value` from `from` to `to` (both non-zero). No hook: hosts use
    /// [`Erc20Host::erc20_transfer`].
    pub(crate) fn _transfer(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
    ) -> Result<(), Erc20Error> {
        Self::check_transfer(from, to)?;
        self._update(from, to, value)
    }

    /// Creates `value` tokens for `to` (non-zero). No hook: hosts use [`Erc20Host::erc20_mint`].
    pub(crate) fn _mint(&mut self, to: Address, value: U256) -> Result<(), Erc20Error> {
        if to.is_zero() {
            return Err(Erc20Error::ERC20InvalidReceiver(ERC20InvalidReceiver {
                receiver: to,
            }));
        }
        self._update(Address::ZERO, to, value)
    }

    /// Destroys `value` tokens of `from` (non-zero). No hook: hosts use [`Erc20Host::erc20_burn`].
    pub(crate) fn _burn(&mut self, from: Address, value: U256) -> Result<(), Erc20Error> {
        if from.is_zero() {
            return Err(Erc20Error::ERC20InvalidSender(ERC20InvalidSender {
                sender: from,
            }));
        }
        self._update(from, Address::ZERO, value)
    }

    /// Sets `spender`'s allowance over `owner`'s tokens; emits `Approval` if `emit_event`.
    pub fn _approve(
        &mut self,
        owner: Address,
        spender: Address,
        value: U256,
        emit_event: bool,
    ) -> Result<(), Erc20Error> {
        if owner.is_zero() {
            return Err(Erc20Error::ERC20InvalidApprover(ERC20InvalidApprover {
                approver: owner,
            }));
        }
        if spender.is_zero() {
            return Err(Erc20Error::ERC20InvalidSpender(ERC20InvalidSpender {
                spender,
            }));
        }
        self.allowances.setter(owner).insert(spender, value);
        if emit_event {
            self.vm().log(Approval {
                owner,
                spender,
                value,
            });
        }
        Ok(())
    }

    /// Consumes `value` of `spender`'s allowance over `owner`'s tokens (infinite if `U256::MAX`);
    /// no `Approval` event, like OpenZeppelin v5.
    pub fn _spend_allowance(
        &mut self,
        owner: Address,
        spender: Address,
        value: U256,
    ) -> Result<(), Erc20Error> {
        let current = self.allowance(owner, spender);
        if current != U256::MAX {
            if current < value {
                return Err(Erc20Error::ERC20InsufficientAllowance(
                    ERC20InsufficientAllowance {
                        spender,
                        allowance: current,
                        needed: value,
                    },
                ));
            }
            self._approve(owner, spender, current - value, false)?;
        }
        Ok(())
    }
}

/// The standard ERC-20 public ABI (with the optional metadata functions). Implemented for a host
/// by [`impl_erc20!`](crate::impl_erc20); `Error` is the host's error enum.
#[public]
#[allow(missing_docs)] // the macro adds an undocumented marker method
pub trait IErc20 {
    /// The host's error type.
    type Error: Into<alloc::vec::Vec<u8>>;

    /// Token name.
    fn name(&self) -> String;
    /// Token symbol.
    fn symbol(&self) -> String;
    /// Token decimals.
    fn decimals(&self) -> u8;
    /// Total supply.
    fn total_supply(&self) -> U256;
    /// Balance of `account`.
    fn balance_of(&self, account: Address) -> U256;
    /// Remaining allowance of `spender` over `owner`'s tokens.
    fn allowance(&self, owner: Address, spender: Address) -> U256;
    /// Moves `value` tokens from the caller to `to`.
    fn transfer(&mut self, to: Address, value: U256) -> Result<bool, Self::Error>;
    /// Sets `spender`'s allowance over the caller's tokens to `value`.
    fn approve(&mut self, spender: Address, value: U256) -> Result<bool, Self::Error>;
    /// Moves `value` tokens from `from` to `to` using the caller's allowance.
    fn transfer_from(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
    ) -> Result<bool, Self::Error>;
}

/// Implemented by a contract that embeds an [`Erc20`]; its provided methods are the hooked
/// ERC-20 operations (see the [module docs](self)).
pub trait Erc20Host: HostAccess {
    /// The host's error enum; must be able to express every [`Erc20Error`].
    type Error: From<Erc20Error>;

    /// The embedded ERC-20 state.
    fn erc20(&self) -> &Erc20;
    /// The embedded ERC-20 state, mutably.
    fn erc20_mut(&mut self) -> &mut Erc20;

    /// Runs before every balance change, after the zero-address checks and before the balances
    /// move. `from == 0`: mint; `to == 0`: burn. Default: nothing.
    fn before_update(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
    ) -> Result<(), Self::Error> {
        let _ = (from, to, value);
        Ok(())
    }

    /// Hooked `_update`: runs [`Self::before_update`] then moves the balances.
    fn erc20_update(&mut self, from: Address, to: Address, value: U256) -> Result<(), Self::Error> {
        self.before_update(from, to, value)?;
        self.erc20_mut()._update(from, to, value)?;
        Ok(())
    }

    /// Hooked transfer from `from` to `to` (both must be non-zero).
    fn erc20_transfer(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
    ) -> Result<(), Self::Error> {
        Erc20::check_transfer(from, to)?;
        self.erc20_update(from, to, value)
    }

    /// Hooked mint of `value` tokens to `to` (non-zero).
    fn erc20_mint(&mut self, to: Address, value: U256) -> Result<(), Self::Error> {
        if to.is_zero() {
            return Err(
                Erc20Error::ERC20InvalidReceiver(ERC20InvalidReceiver { receiver: to }).into(),
            );
        }
        self.erc20_update(Address::ZERO, to, value)
    }

    /// Hooked burn of `value` tokens of `from` (non-zero).
    fn erc20_burn(&mut self, from: Address, value: U256) -> Result<(), Self::Error> {
        if from.is_zero() {
            return Err(Erc20Error::ERC20InvalidSender(ERC20InvalidSender { sender: from }).into());
        }
        self.erc20_update(from, Address::ZERO, value)
    }

    /// `transfer(to, value)` as the caller: the body of the public function.
    fn erc20_public_transfer(&mut self, to: Address, value: U256) -> Result<bool, Self::Error> {
        let sender = self.vm().msg_sender();
        self.erc20_transfer(sender, to, value)?;
        Ok(true)
    }

    /// `approve(spender, value)` as the caller: the body of the public function.
    fn erc20_public_approve(&mut self, spender: Address, value: U256) -> Result<bool, Self::Error> {
        let owner = self.vm().msg_sender();
        self.erc20_mut()._approve(owner, spender, value, true)?;
        Ok(true)
    }

    /// `transferFrom(from, to, value)` as the caller: the body of the public function.
    fn erc20_public_transfer_from(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
    ) -> Result<bool, Self::Error> {
        let spender = self.vm().msg_sender();
        self.erc20_mut()._spend_allowance(from, spender, value)?;
        self.erc20_transfer(from, to, value)?;
        Ok(true)
    }
}

/// Generates `#[public] impl kit::erc20::IErc20 for $host`, routing every state-changing function
/// through the hooked [`Erc20Host`] methods. The host must implement [`Erc20Host`] and list
/// `IErc20<Error = ...>` in its `#[implements(...)]`.
#[macro_export]
macro_rules! impl_erc20 {
    ($host:ty) => {
        #[stylus_sdk::prelude::public]
        impl $crate::erc20::IErc20 for $host {
            type Error = <$host as $crate::erc20::Erc20Host>::Error;

            fn name(&self) -> ::alloc::string::String {
                $crate::erc20::Erc20Host::erc20(self).name()
            }
            fn symbol(&self) -> ::alloc::string::String {
                $crate::erc20::Erc20Host::erc20(self).symbol()
            }
            fn decimals(&self) -> u8 {
                $crate::erc20::Erc20Host::erc20(self).decimals()
            }
            fn total_supply(&self) -> $crate::__private::alloy_primitives::U256 {
                $crate::erc20::Erc20Host::erc20(self).total_supply()
            }
            fn balance_of(
                &self,
                account: $crate::__private::alloy_primitives::Address,
            ) -> $crate::__private::alloy_primitives::U256 {
                $crate::erc20::Erc20Host::erc20(self).balance_of(account)
            }
            fn allowance(
                &self,
                owner: $crate::__private::alloy_primitives::Address,
                spender: $crate::__private::alloy_primitives::Address,
            ) -> $crate::__private::alloy_primitives::U256 {
                $crate::erc20::Erc20Host::erc20(self).allowance(owner, spender)
            }
            fn transfer(
                &mut self,
                to: $crate::__private::alloy_primitives::Address,
                value: $crate::__private::alloy_primitives::U256,
            ) -> ::core::result::Result<bool, <$host as $crate::erc20::Erc20Host>::Error> {
                $crate::erc20::Erc20Host::erc20_public_transfer(self, to, value)
            }
            fn approve(
                &mut self,
                spender: $crate::__private::alloy_primitives::Address,
                value: $crate::__private::alloy_primitives::U256,
            ) -> ::core::result::Result<bool, <$host as $crate::erc20::Erc20Host>::Error> {
                $crate::erc20::Erc20Host::erc20_public_approve(self, spender, value)
            }
            fn transfer_from(
                &mut self,
                from: $crate::__private::alloy_primitives::Address,
                to: $crate::__private::alloy_primitives::Address,
                value: $crate::__private::alloy_primitives::U256,
            ) -> ::core::result::Result<bool, <$host as $crate::erc20::Erc20Host>::Error> {
                $crate::erc20::Erc20Host::erc20_public_transfer_from(self, from, to, value)
            }
        }
    };
}
