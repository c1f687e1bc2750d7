//! Stylus Yield test token: a mintable ERC-20 with EIP-2612 permit and configurable decimals,
//! for tests and the demo. **Anyone can mint**: never use it for value.
//!
//! Initialisation: `initialize(name, symbol, decimals)` callable once (a plain function rather
//! than a `#[constructor]`, so a plain CREATE deploy through JSON-RPC works without the
//! StylusDeployer contract; deploy scripts call it in the next transaction — if someone else
//! initialised the token first, that call fails with `AlreadyInitialized()` and the script
//! deploys again).
//!
//! Variants (cargo features, one wasm artifact each, see `[package.metadata.stylus-yield]`):
//! - `no-return-bool`: `transfer`, `transferFrom` and `approve` return nothing (USDT-style);
//! - `fee-on-transfer`: 1% ([`FEE_BPS`]) of every `transfer` / `transferFrom` amount is burned
//!   from the sender (the receiver gets the rest); mint and burn are fee-free.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "contract-client-gen", allow(unused_imports))]

extern crate alloc;

#[cfg(all(feature = "no-return-bool", feature = "fee-on-transfer"))]
compile_error!("choose at most one test-token variant feature");

use alloc::string::String;

use alloy_primitives::{Address, U256};
use kit::{
    eip712::{ECDSAInvalidSignature, ECDSAInvalidSignatureS, EcdsaError},
    erc20::{
        ERC20InsufficientAllowance, ERC20InsufficientBalance, ERC20InvalidApprover,
        ERC20InvalidReceiver, ERC20InvalidSender, ERC20InvalidSpender, Erc20, Erc20Error,
        Erc20Host,
    },
    errors::AlreadyInitialized,
    math::MathOverflow,
    permit::{ERC2612ExpiredSignature, ERC2612InvalidSigner, Erc20PermitHost, Nonces, PermitError},
};
use stylus_sdk::{prelude::*, storage::StorageBool};

#[cfg(not(feature = "no-return-bool"))]
use kit::erc20::IErc20;
use kit::permit::IErc20Permit;

/// Fee of the `fee-on-transfer` variant, in basis points of the transferred amount.
pub const FEE_BPS: u64 = 100;

/// Every Solidity error the token can return.
#[derive(SolidityError, Debug, PartialEq, Eq)]
pub enum TokenError {
    /// See [`ERC20InsufficientBalance`].
    ERC20InsufficientBalance(ERC20InsufficientBalance),
    /// See [`ERC20InvalidSender`].
    ERC20InvalidSender(ERC20InvalidSender),
    /// See [`ERC20InvalidReceiver`].
    ERC20InvalidReceiver(ERC20InvalidReceiver),
    /// See [`ERC20InsufficientAllowance`].
    ERC20InsufficientAllowance(ERC20InsufficientAllowance),
    /// See [`ERC20InvalidApprover`].
    ERC20InvalidApprover(ERC20InvalidApprover),
    /// See [`ERC20InvalidSpender`].
    ERC20InvalidSpender(ERC20InvalidSpender),
    /// See [`MathOverflow`].
    MathOverflow(MathOverflow),
    /// See [`ERC2612ExpiredSignature`].
    ERC2612ExpiredSignature(ERC2612ExpiredSignature),
    /// See [`ERC2612InvalidSigner`].
    ERC2612InvalidSigner(ERC2612InvalidSigner),
    /// See [`ECDSAInvalidSignature`].
    ECDSAInvalidSignature(ECDSAInvalidSignature),
    /// See [`ECDSAInvalidSignatureS`].
    ECDSAInvalidSignatureS(ECDSAInvalidSignatureS),
    /// See [`AlreadyInitialized`].
    AlreadyInitialized(AlreadyInitialized),
    /// See [`kit::math::MathUnderflow`].
    MathUnderflow(kit::math::MathUnderflow),
    /// See [`kit::math::MathDivisionByZero`].
    MathDivisionByZero(kit::math::MathDivisionByZero),
}

kit::impl_error_from!(Erc20Error => TokenError);
kit::impl_error_from!(PermitError => TokenError);
kit::impl_error_from!(EcdsaError => TokenError);
kit::impl_error_from!(kit::math::MathError => TokenError);

/// The test token's storage.
#[entrypoint]
#[storage]
pub struct TestToken {
    erc20: Erc20,
    nonces: Nonces,
    initialized: StorageBool,
}

impl Erc20Host for TestToken {
    type Error = TokenError;

    fn erc20(&self) -> &Erc20 {
        &self.erc20
    }

    fn erc20_mut(&mut self) -> &mut Erc20 {
        &mut self.erc20
    }

    #[cfg(feature = "fee-on-transfer")]
    fn erc20_transfer(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
    ) -> Result<(), TokenError> {
        Erc20::check_transfer(from, to)?;
        let fee = kit::math::mul_div_down(value, U256::from(FEE_BPS), U256::from(10_000u64))?;
        let balance = self.erc20.balance_of(from);
        if balance < value {
            return Err(
                Erc20Error::ERC20InsufficientBalance(ERC20InsufficientBalance {
                    sender: from,
                    balance,
                    needed: value,
                })
                .into(),
            );
        }
        self.erc20_update(from, Address::ZERO, fee)?;
        self.erc20_update(from, to, value - fee)
    }
}

impl Erc20PermitHost for TestToken {
    fn permit_nonces(&self) -> &Nonces {
        &self.nonces
    }

    fn permit_nonces_mut(&mut self) -> &mut Nonces {
        &mut self.nonces
    }
}

impl TestToken {
    fn init(&mut self, name: String, symbol: String, decimals: u8) -> Result<(), TokenError> {
        if self.initialized.get() {
            return Err(TokenError::AlreadyInitialized(AlreadyInitialized {}));
        }
        self.initialized.set(true);
        self.erc20.init_metadata(&name, &symbol, decimals);
        Ok(())
    }
}

#[cfg(not(feature = "no-return-bool"))]
kit::impl_erc20!(TestToken);
kit::impl_erc20_permit!(TestToken);

#[cfg(not(feature = "no-return-bool"))]
#[public]
#[implements(IErc20<Error = TokenError>, IErc20Permit<Error = TokenError>)]
impl TestToken {
    /// Sets name, symbol and decimals; callable once.
    pub fn initialize(
        &mut self,
        name: String,
        symbol: String,
        decimals: u8,
    ) -> Result<(), TokenError> {
        self.init(name, symbol, decimals)
    }

    /// Mints `amount` to `to`. Open to anyone: this is a test token.
    pub fn mint(&mut self, to: Address, amount: U256) -> Result<(), TokenError> {
        self.erc20_mint(to, amount)
    }

    /// Burns `amount` of the caller's tokens.
    pub fn burn(&mut self, amount: U256) -> Result<(), TokenError> {
        let from = self.vm().msg_sender();
        self.erc20_burn(from, amount)
    }
}

/// The USDT-style variant: the ERC-20 functions that normally return `bool` return nothing.
#[cfg(feature = "no-return-bool")]
#[public]
#[implements(IErc20Permit<Error = TokenError>)]
impl TestToken {
    /// Sets name, symbol and decimals; callable once.
    pub fn initialize(
        &mut self,
        name: String,
        symbol: String,
        decimals: u8,
    ) -> Result<(), TokenError> {
        self.init(name, symbol, decimals)
    }

    /// Mints `amount` to `to`. Open to anyone: this is a test token.
    pub fn mint(&mut self, to: Address, amount: U256) -> Result<(), TokenError> {
        self.erc20_mint(to, amount)
    }

    /// Burns `amount` of the caller's tokens.
    pub fn burn(&mut self, amount: U256) -> Result<(), TokenError> {
        let from = self.vm().msg_sender();
        self.erc20_burn(from, amount)
    }

    /// Token name.
    pub fn name(&self) -> String {
        self.erc20.name()
    }

    /// Token symbol.
    pub fn symbol(&self) -> String {
        self.erc20.symbol()
    }

    /// Token decimals.
    pub fn decimals(&self) -> u8 {
        self.erc20.decimals()
    }

    /// Total supply.
    pub fn total_supply(&self) -> U256 {
        self.erc20.total_supply()
    }

    /// Balance of `account`.
    pub fn balance_of(&self, account: Address) -> U256 {
        self.erc20.balance_of(account)
    }

    /// Allowance of `spender` over `owner`'s tokens.
    pub fn allowance(&self, owner: Address, spender: Address) -> U256 {
        self.erc20.allowance(owner, spender)
    }

    /// Transfers `value` to `to`; returns nothing.
    pub fn transfer(&mut self, to: Address, value: U256) -> Result<(), TokenError> {
        self.erc20_public_transfer(to, value).map(|_| ())
    }

    /// Approves `spender` for `value`; returns nothing.
    pub fn approve(&mut self, spender: Address, value: U256) -> Result<(), TokenError> {
        self.erc20_public_approve(spender, value).map(|_| ())
    }

    /// Transfers `value` from `from` to `to` using the caller's allowance; returns nothing.
    pub fn transfer_from(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
    ) -> Result<(), TokenError> {
        self.erc20_public_transfer_from(from, to, value).map(|_| ())
    }
}

/// Solidity declarations of the events the token emits (the SDK's interface export omits events).
pub const EVENTS_SOL: &[&str] = kit::erc20::EVENTS_SOL;

#[cfg(all(
    test,
    not(any(feature = "no-return-bool", feature = "fee-on-transfer"))
))]
mod tests;
#[cfg(all(test, any(feature = "no-return-bool", feature = "fee-on-transfer")))]
mod variant_tests;
