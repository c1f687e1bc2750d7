//! Calls to **external** ERC-20 tokens that tolerate non-standard tokens (OpenZeppelin
//! `SafeERC20` semantics):
//! - a call that returns no data succeeds only if the token address has code (so a transfer to
//!   an EOA or an undeployed token is not a silent success);
//! - a call that returns data succeeds only if it decodes to `true`;
//! - a call that returns `false`, reverts, or hits a codeless address fails with
//!   `SafeERC20FailedOperation(token)` (the token's revert data is wrapped, not bubbled, so a
//!   host's ABI lists every error it can return).
//!
//! The mutating helpers take the host's top-level storage (`&mut S: TopLevelStorage`) because
//! the SDK requires it for mutating calls; they flush and clear the storage cache before the call
//! (checks-effects-interactions still applies: update state before calling out).

use alloc::vec::Vec;

use alloy_primitives::{Address, U256};
use alloy_sol_types::{sol, SolCall};
use stylus_sdk::{
    call::{call, static_call},
    prelude::*,
};

use crate::errors::kit_error_enum;

sol! {
    /// The call to `token` failed: it reverted, returned `false`, or `token` has no code.
    #[derive(Debug, PartialEq, Eq)]
    error SafeERC20FailedOperation(address token);

    /// The ERC-20 functions the helpers call.
    interface IErc20Calls {
        function transfer(address to, uint256 value) external returns (bool);
        function transferFrom(address from, address to, uint256 value) external returns (bool);
        function approve(address spender, uint256 value) external returns (bool);
        function balanceOf(address account) external view returns (uint256);
    }
}

kit_error_enum! {
    /// Errors of the safe ERC-20 helpers.
    pub enum SafeErc20Error {
        /// See [`SafeERC20FailedOperation`].
        SafeERC20FailedOperation,
    }
}

fn failed(token: Address) -> SafeErc20Error {
    SafeErc20Error::SafeERC20FailedOperation(SafeERC20FailedOperation { token })
}

/// Whether the return data of a successful token call means success.
fn returned_ok<H: Host + ?Sized>(host: &H, token: Address, ret: &[u8]) -> bool {
    if ret.is_empty() {
        host.code_size(token) > 0
    } else {
        ret.len() >= 32 && U256::from_be_slice(&ret[..32]) == U256::from(1)
    }
}

/// Calls `token` with `data`, returning whether the call succeeded per the module rules.
fn call_optional_return<S: TopLevelStorage + HostAccess>(
    storage: &mut S,
    token: Address,
    data: &[u8],
) -> bool {
    let ctx = Call::new_mutating(storage);
    match call(storage.vm(), ctx, token, data) {
        Ok(ret) => returned_ok(storage.vm(), token, &ret),
        Err(_) => false,
    }
}

/// `token.transfer(to, value)` from this contract; fails on `false`, revert or no code.
pub fn safe_transfer<S: TopLevelStorage + HostAccess>(
    storage: &mut S,
    token: Address,
    to: Address,
    value: U256,
) -> Result<(), SafeErc20Error> {
    let data = IErc20Calls::transferCall { to, value }.abi_encode();
    if call_optional_return(storage, token, &data) {
        Ok(())
    } else {
        Err(failed(token))
    }
}

/// `token.transferFrom(from, to, value)` (needs `from`'s allowance to this contract).
pub fn safe_transfer_from<S: TopLevelStorage + HostAccess>(
    storage: &mut S,
    token: Address,
    from: Address,
    to: Address,
    value: U256,
) -> Result<(), SafeErc20Error> {
    let data = IErc20Calls::transferFromCall { from, to, value }.abi_encode();
    if call_optional_return(storage, token, &data) {
        Ok(())
    } else {
        Err(failed(token))
    }
}

/// `token.transferFrom(from, to, value)` that returns what **arrived**: `to`'s balance after the
/// call minus before (zero if it went down). Hosts credit that, never the requested `value`, so
/// fee-on-transfer or otherwise lossy tokens cannot credit more than the host holds. Costs two
/// `balanceOf` static calls.
pub fn safe_transfer_from_measured<S: TopLevelStorage + HostAccess>(
    storage: &mut S,
    token: Address,
    from: Address,
    to: Address,
    value: U256,
) -> Result<U256, SafeErc20Error> {
    let before = balance_of(storage.vm(), token, to)?;
    safe_transfer_from(storage, token, from, to, value)?;
    let after = balance_of(storage.vm(), token, to)?;
    Ok(after.saturating_sub(before))
}

/// Sets this contract's allowance for `spender` on `token` to `value`, working with tokens that
/// refuse to change a non-zero allowance (USDT): tries `approve(value)`; if that fails, sends
/// `approve(0)` then `approve(value)`.
pub fn force_approve<S: TopLevelStorage + HostAccess>(
    storage: &mut S,
    token: Address,
    spender: Address,
    value: U256,
) -> Result<(), SafeErc20Error> {
    let data = IErc20Calls::approveCall { spender, value }.abi_encode();
    if call_optional_return(storage, token, &data) {
        return Ok(());
    }
    let reset = IErc20Calls::approveCall {
        spender,
        value: U256::ZERO,
    }
    .abi_encode();
    if call_optional_return(storage, token, &reset) && call_optional_return(storage, token, &data) {
        Ok(())
    } else {
        Err(failed(token))
    }
}

/// `token.balanceOf(account)` by static call; fails if the call reverts or returns malformed data.
pub fn balance_of<H: Host + ?Sized>(
    host: &H,
    token: Address,
    account: Address,
) -> Result<U256, SafeErc20Error> {
    let data: Vec<u8> = IErc20Calls::balanceOfCall { account }.abi_encode();
    let ret = static_call(host, Call::new(), token, &data).map_err(|_| failed(token))?;
    if ret.len() < 32 {
        return Err(failed(token));
    }
    Ok(U256::from_be_slice(&ret[..32]))
}
