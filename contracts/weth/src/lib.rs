//! Stylus Yield WETH: wrapped ether with WETH9's ABI (`deposit`, `withdraw`, ERC-20, events
//! `Deposit` / `Withdrawal`, plain ETH sends and unknown calldata deposit), for the pool router's
//! native-ETH paths.
//!
//! # Design decisions (deviations from WETH9 are marked)
//! * **Metadata** is constant (`"Wrapped Ether"`, `"WETH"`, 18) and needs no constructor, so a plain
//!   CREATE + activation deploys it (no initialiser to front-run).
//! * **`totalSupply` is a counter** (the kit ERC-20's supply, moved by deposits and withdrawals),
//!   not `address(this).balance` as in WETH9. *Deviation*, on purpose: ETH force-sent without a
//!   call (SELFDESTRUCT beneficiary, block rewards) would make WETH9's `totalSupply` exceed the sum
//!   of balances, breaking the ERC-20 invariant `totalSupply == Σ balanceOf` that integrators and
//!   our tests rely on. Here `totalSupply == Σ balanceOf <= address(this).balance` always holds
//!   (force-sent ETH is simply locked, as in WETH9 where nobody can withdraw it either).
//! * **Withdrawals forward all gas** (*deviation*): WETH9 pays with `transfer` (2,300-gas stipend),
//!   but a Stylus program (a Stylus router, a smart wallet) cannot even be entered on 2,300 gas, so
//!   `withdraw` pays with a normal call forwarding the remaining gas. Checks-effects-interactions:
//!   the balance is burned and `Withdrawal` emitted before the call, so a receiver that re-enters
//!   sees final state. A failed payment reverts the whole withdrawal with
//!   `WETHTransferFailed(to, amount)`.
//! * **Reentrancy**: the SDK's default reentrancy denial stays on. Nothing legitimate re-enters
//!   WETH (the router's `receive` does not call back); a receiver that tries to call WETH from
//!   inside the payment is refused (WETH9's stipend refuses it as well).
//! * **Allowances** follow the kit ERC-20 (OpenZeppelin v5: `type(uint256).max` is infinite;
//!   ERC-6093 errors), where WETH9 lets `from == msg.sender` skip the allowance: here too, a
//!   holder moving its own tokens with `transferFrom` needs no allowance (kept from WETH9).
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "contract-client-gen", allow(unused_imports))]

extern crate alloc;

use alloc::{string::String, vec::Vec};

use alloy_primitives::{Address, U256};
use alloy_sol_types::sol;
use kit::{
    erc20::{
        ERC20InsufficientAllowance, ERC20InsufficientBalance, ERC20InvalidApprover,
        ERC20InvalidReceiver, ERC20InvalidSender, ERC20InvalidSpender, Erc20, Erc20Error,
        Erc20Host,
    },
    math::MathOverflow,
};
use stylus_sdk::{prelude::*, ArbResult};

#[cfg(test)]
mod tests;

/// Token name (as WETH9).
pub const NAME: &str = "Wrapped Ether";
/// Token symbol (as WETH9).
pub const SYMBOL: &str = "WETH";
/// Token decimals (as WETH9).
pub const DECIMALS: u8 = 18;

sol! {
    /// `dst` wrapped `wad` wei.
    #[derive(Debug, PartialEq, Eq)]
    event Deposit(address indexed dst, uint256 wad);
    /// `src` unwrapped `wad` wei.
    #[derive(Debug, PartialEq, Eq)]
    event Withdrawal(address indexed src, uint256 wad);

    /// Paying `amount` wei to `to` failed (the receiver reverted or ran out of gas).
    #[derive(Debug, PartialEq, Eq)]
    error WETHTransferFailed(address to, uint256 amount);
}

/// Solidity declarations of every event WETH emits (the SDK's interface export omits events).
pub const EVENTS_SOL: &[&str] = &[
    "event Deposit(address indexed dst, uint256 wad)",
    "event Withdrawal(address indexed src, uint256 wad)",
    "event Transfer(address indexed from, address indexed to, uint256 value)",
    "event Approval(address indexed owner, address indexed spender, uint256 value)",
];

/// Every Solidity error WETH can return.
#[derive(SolidityError, Debug, PartialEq, Eq)]
pub enum WethError {
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
    /// See [`WETHTransferFailed`].
    WETHTransferFailed(WETHTransferFailed),
}

kit::impl_error_from!(Erc20Error => WethError);

/// WETH's storage: the kit ERC-20 (balances, allowances, supply).
#[entrypoint]
#[storage]
pub struct Weth {
    erc20: Erc20,
}

impl Erc20Host for Weth {
    type Error = WethError;

    fn erc20(&self) -> &Erc20 {
        &self.erc20
    }

    fn erc20_mut(&mut self) -> &mut Erc20 {
        &mut self.erc20
    }
}

impl Weth {
    /// Mints `msg.value` to the caller and emits `Deposit`.
    fn credit_deposit(&mut self) -> Result<(), WethError> {
        let (dst, wad) = (self.vm().msg_sender(), self.vm().msg_value());
        self.erc20_mint(dst, wad)?;
        self.vm().log(Deposit { dst, wad });
        Ok(())
    }
}

#[public]
impl Weth {
    /// `"Wrapped Ether"`.
    pub fn name(&self) -> String {
        NAME.into()
    }

    /// `"WETH"`.
    pub fn symbol(&self) -> String {
        SYMBOL.into()
    }

    /// 18.
    pub fn decimals(&self) -> u8 {
        DECIMALS
    }

    /// Wrapped ether outstanding (a counter: see the crate docs).
    pub fn total_supply(&self) -> U256 {
        self.erc20.total_supply()
    }

    /// WETH of `account`.
    pub fn balance_of(&self, account: Address) -> U256 {
        self.erc20.balance_of(account)
    }

    /// Remaining allowance of `spender` over `owner`'s WETH.
    pub fn allowance(&self, owner: Address, spender: Address) -> U256 {
        self.erc20.allowance(owner, spender)
    }

    /// Moves `value` WETH from the caller to `to`.
    pub fn transfer(&mut self, to: Address, value: U256) -> Result<bool, WethError> {
        self.erc20_public_transfer(to, value)
    }

    /// Sets `spender`'s allowance over the caller's WETH to `value`.
    pub fn approve(&mut self, spender: Address, value: U256) -> Result<bool, WethError> {
        self.erc20_public_approve(spender, value)
    }

    /// Moves `value` WETH from `from` to `to`, spending the caller's allowance unless the caller
    /// is `from` (as WETH9).
    pub fn transfer_from(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
    ) -> Result<bool, WethError> {
        let spender = self.vm().msg_sender();
        if spender != from {
            self.erc20._spend_allowance(from, spender, value)?;
        }
        self.erc20_transfer(from, to, value)?;
        Ok(true)
    }

    /// Wraps `msg.value` for the caller.
    #[payable]
    pub fn deposit(&mut self) -> Result<(), WethError> {
        self.credit_deposit()
    }

    /// Unwraps `wad` of the caller's WETH and pays it to the caller, forwarding all gas (see the
    /// crate docs); state is final before the payment.
    pub fn withdraw(&mut self, wad: U256) -> Result<(), WethError> {
        let src = self.vm().msg_sender();
        self.erc20_burn(src, wad)?;
        self.vm().log(Withdrawal { src, wad });
        let ctx = Call::new_mutating(self).value(wad);
        stylus_sdk::call::call(self.vm(), ctx, src, &[]).map_err(|_| {
            WethError::WETHTransferFailed(WETHTransferFailed {
                to: src,
                amount: wad,
            })
        })?;
        Ok(())
    }

    /// Plain ETH sends deposit (as WETH9's fallback).
    #[receive]
    pub fn receive(&mut self) -> Result<(), Vec<u8>> {
        self.credit_deposit().map_err(Vec::from)
    }

    /// Any unknown calldata deposits `msg.value` (as WETH9's payable fallback).
    #[fallback]
    #[payable]
    pub fn fallback(&mut self, _calldata: &[u8]) -> ArbResult {
        self.credit_deposit().map_err(Vec::from)?;
        Ok(Vec::new())
    }
}
