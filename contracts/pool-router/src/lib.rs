//! Stylus Yield pool router: a UniswapV2Router02-equivalent (same ABI, same semantics) over the
//! pool factory's pairs, with native ETH through the Stylus WETH (`contracts/weth`).
//!
//! # Design decisions
//! * **Atomic deployment**: `#[constructor](factory, WETH)` run by the StylusDeployer. It reads the
//!   factory's `pairInitCodeHash()` once and stores it; `pairFor` is then Uniswap's formula
//!   `address(keccak256(0xff ‖ factory ‖ keccak256(token0 ‖ token1) ‖ pairInitCodeHash)[12:])`
//!   ([`library::pair_for`]) with no call. A factory that does not answer `pairInitCodeHash()`
//!   is refused (`InvalidFactory`).
//! * **Reentrancy (decision)**: `removeLiquidityETH`, `swapExactTokensForETH`, ... call
//!   `WETH.withdraw`, and WETH pays the router while the router is still on the call stack: a
//!   reentrant call, which the SDK's generated entrypoint refuses (`msg_reentrant()` → revert)
//!   unless the crate enables the deprecated `reentrant` feature — still gating in 0.10.10.
//!   We do **not** enable that feature: cargo unifies features across the one `cargo build` of
//!   every deployable in the wasm pipeline, so it would silently switch the guard off in the
//!   vault, the pair and every other contract. Instead this crate writes its own
//!   `user_entrypoint` (the SDK's, minus the guard; see [`entry`]) and keeps `#[storage]` +
//!   `TopLevelStorage` + the SDK router. The router is safe to re-enter: like V2's it holds no
//!   state besides three immutables and no funds between transactions (only transiently, inside
//!   one call, tokens and ETH it forwards at once), and `receive` accepts ETH only from WETH
//!   (`NotWeth(sender)`).
//! * **Slippage on outputs** (Seawater H-07): exact-in swaps check the last amount
//!   (`InsufficientOutputAmount`), exact-out swaps the first (`ExcessiveInputAmount`), removals
//!   both returned amounts (`InsufficientAAmount` / `InsufficientBAmount`), additions the amounts
//!   actually deposited. Every mutating entry point checks `deadline >= block.timestamp`
//!   (`Expired()`).
//! * **Fee-on-transfer tokens**: the `...SupportingFeeOnTransferTokens` variants never trust
//!   amounts: each hop's input is `balanceOf(pair) − reserve`, the swap output check is the
//!   recipient's balance delta (ETH variant: the router's WETH balance), and
//!   `removeLiquidityETHSupportingFeeOnTransferTokens` forwards the router's whole token balance.
//!   The plain variants assume exact transfers, as V2's (they revert on such tokens through the
//!   pair's `K` check).
//! * **Permit front-running** (defi-anchors §2.6, Seawater QA L-08): the `...WithPermit` variants
//!   call `pair.permit` and, if it fails, go on when the router's allowance is already enough (a
//!   front-runner who submitted the same signature first cannot make the removal revert);
//!   otherwise they fail with the permit's revert data in `CallFailed(pair, reason)`.
//! * **Pair lookup**: `addLiquidity` asks the factory for the pair (`getPair`, creating it with
//!   `createPair` if absent, as V2) and uses the address the factory returned; every other path
//!   uses `pairFor`.
//! * **Errors**: every failure is a named Solidity error. A pair, factory or WETH call that
//!   reverts is wrapped in `CallFailed(target, reason)` with its revert data (e.g. the pair's
//!   `K()`), an ERC-20 transfer that fails in `SafeERC20FailedOperation(token)`.
//! * **Maths** ([`library`]): checked, 512-bit intermediates, results exactly V2's.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "contract-client-gen", allow(unused_imports))]

extern crate alloc;

mod calls;
pub mod library;
#[cfg(test)]
mod test_vm;
#[cfg(test)]
mod tests;

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::sol;
use kit::{
    errors::ZeroAddress,
    math::{MathDivisionByZero, MathError, MathOverflow, MathUnderflow},
    safe_erc20::{SafeERC20FailedOperation, SafeErc20Error},
};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageB256},
};

use crate::library::LibError;

sol! {
    /// The transaction was mined after its `deadline`.
    #[derive(Debug, PartialEq, Eq)]
    error Expired();
    /// The deposited amount of token A is below `amountAMin` (or a removal paid less).
    #[derive(Debug, PartialEq, Eq)]
    error InsufficientAAmount();
    /// The deposited amount of token B is below `amountBMin` (or a removal paid less).
    #[derive(Debug, PartialEq, Eq)]
    error InsufficientBAmount();
    /// A swap pays less than `amountOutMin`, or a zero output was asked.
    #[derive(Debug, PartialEq, Eq)]
    error InsufficientOutputAmount();
    /// An exact-output swap needs more than `amountInMax` (or the ETH sent).
    #[derive(Debug, PartialEq, Eq)]
    error ExcessiveInputAmount();
    /// A zero input amount.
    #[derive(Debug, PartialEq, Eq)]
    error InsufficientInputAmount();
    /// `quote` of a zero amount.
    #[derive(Debug, PartialEq, Eq)]
    error InsufficientAmount();
    /// A pool with an empty reserve, or an output not below the reserve.
    #[derive(Debug, PartialEq, Eq)]
    error InsufficientLiquidity();
    /// A path shorter than two tokens, or an ETH path that does not start / end with WETH.
    #[derive(Debug, PartialEq, Eq)]
    error InvalidPath();
    /// Both tokens of a pair are the same.
    #[derive(Debug, PartialEq, Eq)]
    error IdenticalAddresses();
    /// ETH was sent to the router by `sender`, which is not WETH.
    #[derive(Debug, PartialEq, Eq)]
    error NotWeth(address sender);
    /// Paying `amount` wei to `to` failed.
    #[derive(Debug, PartialEq, Eq)]
    error EthTransferFailed(address to, uint256 amount);
    /// A call to `target` (pair, factory or WETH) reverted with `reason`, or returned malformed data.
    #[derive(Debug, PartialEq, Eq)]
    error CallFailed(address target, bytes reason);
    /// `factory` does not answer `pairInitCodeHash()`.
    #[derive(Debug, PartialEq, Eq)]
    error InvalidFactory(address factory);
}

/// Every Solidity error the router can return, flat so the exported ABI lists them all.
#[derive(SolidityError, Debug, PartialEq, Eq)]
pub enum RouterError {
    /// See [`Expired`].
    Expired(Expired),
    /// See [`InsufficientAAmount`].
    InsufficientAAmount(InsufficientAAmount),
    /// See [`InsufficientBAmount`].
    InsufficientBAmount(InsufficientBAmount),
    /// See [`InsufficientOutputAmount`].
    InsufficientOutputAmount(InsufficientOutputAmount),
    /// See [`ExcessiveInputAmount`].
    ExcessiveInputAmount(ExcessiveInputAmount),
    /// See [`InsufficientInputAmount`].
    InsufficientInputAmount(InsufficientInputAmount),
    /// See [`InsufficientAmount`].
    InsufficientAmount(InsufficientAmount),
    /// See [`InsufficientLiquidity`].
    InsufficientLiquidity(InsufficientLiquidity),
    /// See [`InvalidPath`].
    InvalidPath(InvalidPath),
    /// See [`IdenticalAddresses`].
    IdenticalAddresses(IdenticalAddresses),
    /// See [`ZeroAddress`].
    ZeroAddress(ZeroAddress),
    /// See [`NotWeth`].
    NotWeth(NotWeth),
    /// See [`EthTransferFailed`].
    EthTransferFailed(EthTransferFailed),
    /// See [`CallFailed`].
    CallFailed(CallFailed),
    /// See [`InvalidFactory`].
    InvalidFactory(InvalidFactory),
    /// See [`SafeERC20FailedOperation`].
    SafeERC20FailedOperation(SafeERC20FailedOperation),
    /// See [`MathOverflow`].
    MathOverflow(MathOverflow),
    /// See [`MathUnderflow`].
    MathUnderflow(MathUnderflow),
    /// See [`MathDivisionByZero`].
    MathDivisionByZero(MathDivisionByZero),
}

kit::impl_error_from!(MathError => RouterError);
kit::impl_error_from!(SafeErc20Error => RouterError);

impl From<LibError> for RouterError {
    fn from(e: LibError) -> Self {
        match e {
            LibError::InsufficientAmount => Self::InsufficientAmount(InsufficientAmount {}),
            LibError::InsufficientInputAmount => {
                Self::InsufficientInputAmount(InsufficientInputAmount {})
            }
            LibError::InsufficientOutputAmount => {
                Self::InsufficientOutputAmount(InsufficientOutputAmount {})
            }
            LibError::InsufficientLiquidity => {
                Self::InsufficientLiquidity(InsufficientLiquidity {})
            }
            LibError::IdenticalAddresses => Self::IdenticalAddresses(IdenticalAddresses {}),
            LibError::ZeroAddress => Self::ZeroAddress(ZeroAddress {}),
            LibError::Math(m) => m.into(),
        }
    }
}

/// Shorthands for the argument-less errors.
macro_rules! err {
    ($name:ident) => {
        RouterError::$name($name {})
    };
}

/// The router's storage: three values set once by the constructor.
#[storage]
pub struct PoolRouter {
    /// The pool factory.
    factory: StorageAddress,
    /// The WETH contract.
    weth: StorageAddress,
    /// The factory's `pairInitCodeHash()`, read at construction.
    init_code_hash: StorageB256,
}

/// The router's entry point: the SDK's `#[entrypoint]` expansion without its reentrancy guard
/// (see the crate docs, "Reentrancy"); `#[entrypoint]` itself is not used because it always
/// emits the guard unless the workspace-unified `reentrant` feature is on.
pub mod entry {
    use super::PoolRouter;

    // SAFETY: `PoolRouter` is the program's only top-level storage (what `#[entrypoint]` asserts).
    unsafe impl stylus_sdk::stylus_core::storage::TopLevelStorage for PoolRouter {}

    /// The program's exported entry point (wasm only): decodes the call with the SDK router,
    /// flushes the storage cache and writes the result. No `msg_reentrant()` check.
    #[cfg(all(target_arch = "wasm32", not(feature = "contract-client-gen")))]
    #[no_mangle]
    pub extern "C" fn user_entrypoint(len: usize) -> usize {
        use stylus_sdk::prelude::*;
        let host = stylus_sdk::host::VM {
            host: stylus_sdk::host::WasmVM {},
        };
        // References `pay_for_memory_grow` so Nitro's activation can instrument memory growth
        // (as the SDK's entry point does; costs less than 1 gas).
        host.pay_for_memory_grow(0);
        let input = host.read_args(len);
        let (data, status) =
            match stylus_sdk::abi::router_entrypoint::<PoolRouter, PoolRouter>(input, host.clone())
            {
                Ok(data) => (data, 0),
                Err(data) => (data, 1),
            };
        host.flush_cache(false);
        host.write_result(&data);
        status
    }
}

/// Internal logic shared by the public entry points.
impl PoolRouter {
    fn ensure(&self, deadline: U256) -> Result<(), RouterError> {
        if deadline < U256::from(self.vm().block_timestamp()) {
            return Err(err!(Expired));
        }
        Ok(())
    }

    fn pair_addr(&self, a: Address, b: Address) -> Result<Address, RouterError> {
        Ok(library::pair_for(
            self.factory.get(),
            self.init_code_hash.get(),
            a,
            b,
        )?)
    }

    /// `(reserveA, reserveB)` of the `(a, b)` pair at `pair`.
    fn reserves_of(
        &self,
        pair: Address,
        a: Address,
        b: Address,
    ) -> Result<(U256, U256), RouterError> {
        let (t0, _) = library::sort_tokens(a, b)?;
        let (r0, r1) = self.pair_reserves(pair)?;
        Ok(if a == t0 { (r0, r1) } else { (r1, r0) })
    }

    /// `(reserveA, reserveB)` of the `(a, b)` pair (at `pairFor`).
    fn get_reserves(&self, a: Address, b: Address) -> Result<(U256, U256), RouterError> {
        self.reserves_of(self.pair_addr(a, b)?, a, b)
    }

    fn amounts_out(&self, amount_in: U256, path: &[Address]) -> Result<Vec<U256>, RouterError> {
        if path.len() < 2 {
            return Err(err!(InvalidPath));
        }
        let mut amounts = Vec::with_capacity(path.len());
        amounts.push(amount_in);
        for hop in path.windows(2) {
            let (r_in, r_out) = self.get_reserves(hop[0], hop[1])?;
            let last = amounts[amounts.len() - 1];
            amounts.push(library::get_amount_out(last, r_in, r_out)?);
        }
        Ok(amounts)
    }

    fn amounts_in(&self, amount_out: U256, path: &[Address]) -> Result<Vec<U256>, RouterError> {
        if path.len() < 2 {
            return Err(err!(InvalidPath));
        }
        let mut amounts = alloc::vec![U256::ZERO; path.len()];
        amounts[path.len() - 1] = amount_out;
        for i in (1..path.len()).rev() {
            let (r_in, r_out) = self.get_reserves(path[i - 1], path[i])?;
            amounts[i - 1] = library::get_amount_in(amounts[i], r_in, r_out)?;
        }
        Ok(amounts)
    }

    /// V2's `_swap` (`amounts` given) and `_swapSupportingFeeOnTransferTokens` (`None`: each
    /// hop's input is what the pair holds above its reserve): hop `i` sends its output of
    /// `path[i + 1]` to the next pair, the last one to `to`.
    fn swap_hops(
        &mut self,
        amounts: Option<&[U256]>,
        path: &[Address],
        to: Address,
    ) -> Result<(), RouterError> {
        for i in 0..path.len() - 1 {
            let (input, output) = (path[i], path[i + 1]);
            let (t0, _) = library::sort_tokens(input, output)?;
            let pair = self.pair_addr(input, output)?;
            let out = match amounts {
                Some(amounts) => amounts[i + 1],
                None => {
                    let (r_in, r_out) = self.reserves_of(pair, input, output)?;
                    let held = self.balance(input, pair)?;
                    let amount_in = held
                        .checked_sub(r_in)
                        .ok_or(err!(InsufficientInputAmount))?;
                    library::get_amount_out(amount_in, r_in, r_out)?
                }
            };
            let (out0, out1) = if input == t0 {
                (U256::ZERO, out)
            } else {
                (out, U256::ZERO)
            };
            let dest = if i + 2 < path.len() {
                self.pair_addr(output, path[i + 2])?
            } else {
                to
            };
            self.pair_swap(pair, out0, out1, dest)?;
        }
        Ok(())
    }

    /// V2's `_addLiquidity`: creates the pair if needed and returns `(pair, amountA, amountB)`.
    #[allow(clippy::too_many_arguments)]
    fn add_amounts(
        &mut self,
        a: Address,
        b: Address,
        desired_a: U256,
        desired_b: U256,
        min_a: U256,
        min_b: U256,
    ) -> Result<(Address, U256, U256), RouterError> {
        let mut pair = self.factory_get_pair(a, b)?;
        if pair.is_zero() {
            pair = self.factory_create_pair(a, b)?;
        }
        let (r_a, r_b) = self.reserves_of(pair, a, b)?;
        if r_a.is_zero() && r_b.is_zero() {
            return Ok((pair, desired_a, desired_b));
        }
        let b_optimal = library::quote(desired_a, r_a, r_b)?;
        if b_optimal <= desired_b {
            if b_optimal < min_b {
                return Err(err!(InsufficientBAmount));
            }
            return Ok((pair, desired_a, b_optimal));
        }
        let a_optimal = library::quote(desired_b, r_b, r_a)?;
        if a_optimal > desired_a || a_optimal < min_a {
            return Err(err!(InsufficientAAmount));
        }
        Ok((pair, a_optimal, desired_b))
    }

    /// V2's `removeLiquidity` body: pulls `liquidity` LP from the caller into the pair, burns it
    /// to `to` and checks both outputs.
    #[allow(clippy::too_many_arguments)]
    fn remove(
        &mut self,
        a: Address,
        b: Address,
        liquidity: U256,
        min_a: U256,
        min_b: U256,
        to: Address,
    ) -> Result<(U256, U256), RouterError> {
        let pair = self.pair_addr(a, b)?;
        let sender = self.vm().msg_sender();
        kit::safe_erc20::safe_transfer_from(self, pair, sender, pair, liquidity)?;
        let (amount0, amount1) = self.pair_burn(pair, to)?;
        let (t0, _) = library::sort_tokens(a, b)?;
        let (amount_a, amount_b) = if a == t0 {
            (amount0, amount1)
        } else {
            (amount1, amount0)
        };
        if amount_a < min_a {
            return Err(err!(InsufficientAAmount));
        }
        if amount_b < min_b {
            return Err(err!(InsufficientBAmount));
        }
        Ok((amount_a, amount_b))
    }

    /// `pair.permit(msg.sender, router, value, deadline, v, r, s)`, tolerated when it fails but
    /// the allowance already covers `liquidity` (a front-run permit; see the crate docs).
    #[allow(clippy::too_many_arguments)]
    fn permit_pair(
        &mut self,
        pair: Address,
        liquidity: U256,
        deadline: U256,
        approve_max: bool,
        v: u8,
        r: B256,
        s: B256,
    ) -> Result<(), RouterError> {
        let owner = self.vm().msg_sender();
        let value = if approve_max { U256::MAX } else { liquidity };
        match self.pair_permit(pair, owner, value, deadline, v, r, s) {
            Ok(()) => Ok(()),
            Err(e) => {
                let this = self.vm().contract_address();
                match self.allowance(pair, owner, this) {
                    Ok(allowance) if allowance >= liquidity => Ok(()),
                    _ => Err(e),
                }
            }
        }
    }

    /// Removal of a `(token, WETH)` position to the router, then token and ETH to `to`.
    fn remove_eth(
        &mut self,
        token: Address,
        liquidity: U256,
        min_token: U256,
        min_eth: U256,
        to: Address,
    ) -> Result<(U256, U256), RouterError> {
        let (weth, this) = (self.weth.get(), self.vm().contract_address());
        let (amount_token, amount_eth) =
            self.remove(token, weth, liquidity, min_token, min_eth, this)?;
        kit::safe_erc20::safe_transfer(self, token, to, amount_token)?;
        self.unwrap_to(amount_eth, to)?;
        Ok((amount_token, amount_eth))
    }

    /// Fee-on-transfer removal of a `(token, WETH)` position: forwards the router's whole token
    /// balance (what arrived) and the ETH.
    fn remove_eth_measured(
        &mut self,
        token: Address,
        liquidity: U256,
        min_token: U256,
        min_eth: U256,
        to: Address,
    ) -> Result<U256, RouterError> {
        let (weth, this) = (self.weth.get(), self.vm().contract_address());
        let (_, amount_eth) = self.remove(token, weth, liquidity, min_token, min_eth, this)?;
        let held = self.balance(token, this)?;
        kit::safe_erc20::safe_transfer(self, token, to, held)?;
        self.unwrap_to(amount_eth, to)?;
        Ok(amount_eth)
    }

    /// Checks `path` starts with WETH, wraps `amount` (of `msg.value`) and sends it to the first pair.
    fn wrap_into_first_pair(&mut self, path: &[Address], amount: U256) -> Result<(), RouterError> {
        let weth = self.weth.get();
        self.weth_deposit(amount)?;
        let pair = self.pair_addr(weth, path[1])?;
        kit::safe_erc20::safe_transfer(self, weth, pair, amount)?;
        Ok(())
    }

    fn check_eth_in(&self, path: &[Address]) -> Result<(), RouterError> {
        if path.len() < 2 || path[0] != self.weth.get() {
            return Err(err!(InvalidPath));
        }
        Ok(())
    }

    fn check_eth_out(&self, path: &[Address]) -> Result<(), RouterError> {
        if path.len() < 2 || path[path.len() - 1] != self.weth.get() {
            return Err(err!(InvalidPath));
        }
        Ok(())
    }

    /// Pulls `amount` of `path[0]` from the caller into the first pair.
    fn pull_into_first_pair(&mut self, path: &[Address], amount: U256) -> Result<(), RouterError> {
        let pair = self.pair_addr(path[0], path[1])?;
        let sender = self.vm().msg_sender();
        kit::safe_erc20::safe_transfer_from(self, path[0], sender, pair, amount)?;
        Ok(())
    }

    /// Balance of `token` held by `who`, through `balanceOf`.
    fn balance(&self, token: Address, who: Address) -> Result<U256, RouterError> {
        Ok(kit::safe_erc20::balance_of(self.vm(), token, who)?)
    }
}

#[public]
impl PoolRouter {
    /// Deployment (run atomically by the StylusDeployer): the factory (its `pairInitCodeHash()`
    /// is read and stored) and WETH.
    #[constructor]
    pub fn constructor(&mut self, factory: Address, weth: Address) -> Result<(), RouterError> {
        if factory.is_zero() || weth.is_zero() {
            return Err(err!(ZeroAddress));
        }
        let hash = self.factory_init_code_hash(factory)?;
        self.factory.set(factory);
        self.weth.set(weth);
        self.init_code_hash.set(hash);
        Ok(())
    }

    /// The pool factory.
    pub fn factory(&self) -> Address {
        self.factory.get()
    }

    /// The WETH contract.
    #[selector(name = "WETH")]
    pub fn weth(&self) -> Address {
        self.weth.get()
    }

    /// Adds liquidity to the `(tokenA, tokenB)` pool (created if absent) at its current ratio.
    #[allow(clippy::too_many_arguments)]
    pub fn add_liquidity(
        &mut self,
        token_a: Address,
        token_b: Address,
        amount_a_desired: U256,
        amount_b_desired: U256,
        amount_a_min: U256,
        amount_b_min: U256,
        to: Address,
        deadline: U256,
    ) -> Result<(U256, U256, U256), RouterError> {
        self.ensure(deadline)?;
        let (pair, amount_a, amount_b) = self.add_amounts(
            token_a,
            token_b,
            amount_a_desired,
            amount_b_desired,
            amount_a_min,
            amount_b_min,
        )?;
        let sender = self.vm().msg_sender();
        kit::safe_erc20::safe_transfer_from(self, token_a, sender, pair, amount_a)?;
        kit::safe_erc20::safe_transfer_from(self, token_b, sender, pair, amount_b)?;
        let liquidity = self.pair_mint(pair, to)?;
        Ok((amount_a, amount_b, liquidity))
    }

    /// Adds liquidity to the `(token, WETH)` pool with `msg.value` as the ETH side; unused ETH is
    /// refunded.
    #[payable]
    #[selector(name = "addLiquidityETH")]
    pub fn add_liquidity_eth(
        &mut self,
        token: Address,
        amount_token_desired: U256,
        amount_token_min: U256,
        amount_eth_min: U256,
        to: Address,
        deadline: U256,
    ) -> Result<(U256, U256, U256), RouterError> {
        self.ensure(deadline)?;
        let (weth, value) = (self.weth.get(), self.vm().msg_value());
        let (pair, amount_token, amount_eth) = self.add_amounts(
            token,
            weth,
            amount_token_desired,
            value,
            amount_token_min,
            amount_eth_min,
        )?;
        let sender = self.vm().msg_sender();
        kit::safe_erc20::safe_transfer_from(self, token, sender, pair, amount_token)?;
        self.weth_deposit(amount_eth)?;
        kit::safe_erc20::safe_transfer(self, weth, pair, amount_eth)?;
        let liquidity = self.pair_mint(pair, to)?;
        if value > amount_eth {
            self.send_eth(sender, value - amount_eth)?;
        }
        Ok((amount_token, amount_eth, liquidity))
    }

    /// Burns `liquidity` of the caller's LP tokens (needs allowance) and sends both tokens to `to`.
    #[allow(clippy::too_many_arguments)]
    pub fn remove_liquidity(
        &mut self,
        token_a: Address,
        token_b: Address,
        liquidity: U256,
        amount_a_min: U256,
        amount_b_min: U256,
        to: Address,
        deadline: U256,
    ) -> Result<(U256, U256), RouterError> {
        self.ensure(deadline)?;
        self.remove(token_a, token_b, liquidity, amount_a_min, amount_b_min, to)
    }

    /// `removeLiquidity` of a `(token, WETH)` pool paying ETH.
    #[selector(name = "removeLiquidityETH")]
    pub fn remove_liquidity_eth(
        &mut self,
        token: Address,
        liquidity: U256,
        amount_token_min: U256,
        amount_eth_min: U256,
        to: Address,
        deadline: U256,
    ) -> Result<(U256, U256), RouterError> {
        self.ensure(deadline)?;
        self.remove_eth(token, liquidity, amount_token_min, amount_eth_min, to)
    }

    /// `removeLiquidity` approved by an EIP-2612 signature on the pair (front-run tolerant).
    #[allow(clippy::too_many_arguments)]
    pub fn remove_liquidity_with_permit(
        &mut self,
        token_a: Address,
        token_b: Address,
        liquidity: U256,
        amount_a_min: U256,
        amount_b_min: U256,
        to: Address,
        deadline: U256,
        approve_max: bool,
        v: u8,
        r: B256,
        s: B256,
    ) -> Result<(U256, U256), RouterError> {
        self.ensure(deadline)?;
        let pair = self.pair_addr(token_a, token_b)?;
        self.permit_pair(pair, liquidity, deadline, approve_max, v, r, s)?;
        self.remove(token_a, token_b, liquidity, amount_a_min, amount_b_min, to)
    }

    /// `removeLiquidityETH` approved by an EIP-2612 signature on the pair (front-run tolerant).
    #[allow(clippy::too_many_arguments)]
    #[selector(name = "removeLiquidityETHWithPermit")]
    pub fn remove_liquidity_eth_with_permit(
        &mut self,
        token: Address,
        liquidity: U256,
        amount_token_min: U256,
        amount_eth_min: U256,
        to: Address,
        deadline: U256,
        approve_max: bool,
        v: u8,
        r: B256,
        s: B256,
    ) -> Result<(U256, U256), RouterError> {
        self.ensure(deadline)?;
        let pair = self.pair_addr(token, self.weth.get())?;
        self.permit_pair(pair, liquidity, deadline, approve_max, v, r, s)?;
        self.remove_eth(token, liquidity, amount_token_min, amount_eth_min, to)
    }

    /// `removeLiquidityETH` for fee-on-transfer tokens: forwards what the router received.
    #[selector(name = "removeLiquidityETHSupportingFeeOnTransferTokens")]
    pub fn remove_liquidity_eth_supporting_fee_on_transfer_tokens(
        &mut self,
        token: Address,
        liquidity: U256,
        amount_token_min: U256,
        amount_eth_min: U256,
        to: Address,
        deadline: U256,
    ) -> Result<U256, RouterError> {
        self.ensure(deadline)?;
        self.remove_eth_measured(token, liquidity, amount_token_min, amount_eth_min, to)
    }

    /// The permit variant of `removeLiquidityETHSupportingFeeOnTransferTokens`.
    #[allow(clippy::too_many_arguments)]
    #[selector(name = "removeLiquidityETHWithPermitSupportingFeeOnTransferTokens")]
    pub fn remove_liquidity_eth_with_permit_supporting_fee_on_transfer_tokens(
        &mut self,
        token: Address,
        liquidity: U256,
        amount_token_min: U256,
        amount_eth_min: U256,
        to: Address,
        deadline: U256,
        approve_max: bool,
        v: u8,
        r: B256,
        s: B256,
    ) -> Result<U256, RouterError> {
        self.ensure(deadline)?;
        let pair = self.pair_addr(token, self.weth.get())?;
        self.permit_pair(pair, liquidity, deadline, approve_max, v, r, s)?;
        self.remove_eth_measured(token, liquidity, amount_token_min, amount_eth_min, to)
    }

    /// Swaps exactly `amountIn` of `path[0]` for at least `amountOutMin` of the last token.
    pub fn swap_exact_tokens_for_tokens(
        &mut self,
        amount_in: U256,
        amount_out_min: U256,
        path: Vec<Address>,
        to: Address,
        deadline: U256,
    ) -> Result<Vec<U256>, RouterError> {
        self.ensure(deadline)?;
        let amounts = self.amounts_out(amount_in, &path)?;
        if amounts[amounts.len() - 1] < amount_out_min {
            return Err(err!(InsufficientOutputAmount));
        }
        self.pull_into_first_pair(&path, amounts[0])?;
        self.swap_hops(Some(&amounts), &path, to)?;
        Ok(amounts)
    }

    /// Swaps at most `amountInMax` of `path[0]` for exactly `amountOut` of the last token.
    pub fn swap_tokens_for_exact_tokens(
        &mut self,
        amount_out: U256,
        amount_in_max: U256,
        path: Vec<Address>,
        to: Address,
        deadline: U256,
    ) -> Result<Vec<U256>, RouterError> {
        self.ensure(deadline)?;
        let amounts = self.amounts_in(amount_out, &path)?;
        if amounts[0] > amount_in_max {
            return Err(err!(ExcessiveInputAmount));
        }
        self.pull_into_first_pair(&path, amounts[0])?;
        self.swap_hops(Some(&amounts), &path, to)?;
        Ok(amounts)
    }

    /// Swaps exactly `msg.value` ETH (`path[0]` = WETH) for at least `amountOutMin`.
    #[payable]
    #[selector(name = "swapExactETHForTokens")]
    pub fn swap_exact_eth_for_tokens(
        &mut self,
        amount_out_min: U256,
        path: Vec<Address>,
        to: Address,
        deadline: U256,
    ) -> Result<Vec<U256>, RouterError> {
        self.ensure(deadline)?;
        self.check_eth_in(&path)?;
        let amounts = self.amounts_out(self.vm().msg_value(), &path)?;
        if amounts[amounts.len() - 1] < amount_out_min {
            return Err(err!(InsufficientOutputAmount));
        }
        self.wrap_into_first_pair(&path, amounts[0])?;
        self.swap_hops(Some(&amounts), &path, to)?;
        Ok(amounts)
    }

    /// Swaps at most `amountInMax` of `path[0]` for exactly `amountOut` ETH (last = WETH).
    #[selector(name = "swapTokensForExactETH")]
    pub fn swap_tokens_for_exact_eth(
        &mut self,
        amount_out: U256,
        amount_in_max: U256,
        path: Vec<Address>,
        to: Address,
        deadline: U256,
    ) -> Result<Vec<U256>, RouterError> {
        self.ensure(deadline)?;
        self.check_eth_out(&path)?;
        let amounts = self.amounts_in(amount_out, &path)?;
        if amounts[0] > amount_in_max {
            return Err(err!(ExcessiveInputAmount));
        }
        self.pull_into_first_pair(&path, amounts[0])?;
        let this = self.vm().contract_address();
        self.swap_hops(Some(&amounts), &path, this)?;
        self.unwrap_to(amounts[amounts.len() - 1], to)?;
        Ok(amounts)
    }

    /// Swaps exactly `amountIn` of `path[0]` for at least `amountOutMin` ETH (last = WETH).
    #[selector(name = "swapExactTokensForETH")]
    pub fn swap_exact_tokens_for_eth(
        &mut self,
        amount_in: U256,
        amount_out_min: U256,
        path: Vec<Address>,
        to: Address,
        deadline: U256,
    ) -> Result<Vec<U256>, RouterError> {
        self.ensure(deadline)?;
        self.check_eth_out(&path)?;
        let amounts = self.amounts_out(amount_in, &path)?;
        let out = amounts[amounts.len() - 1];
        if out < amount_out_min {
            return Err(err!(InsufficientOutputAmount));
        }
        self.pull_into_first_pair(&path, amounts[0])?;
        let this = self.vm().contract_address();
        self.swap_hops(Some(&amounts), &path, this)?;
        self.unwrap_to(out, to)?;
        Ok(amounts)
    }

    /// Swaps ETH (`path[0]` = WETH) for exactly `amountOut`; the unused part of `msg.value` is
    /// refunded.
    #[payable]
    #[selector(name = "swapETHForExactTokens")]
    pub fn swap_eth_for_exact_tokens(
        &mut self,
        amount_out: U256,
        path: Vec<Address>,
        to: Address,
        deadline: U256,
    ) -> Result<Vec<U256>, RouterError> {
        self.ensure(deadline)?;
        self.check_eth_in(&path)?;
        let amounts = self.amounts_in(amount_out, &path)?;
        let value = self.vm().msg_value();
        if amounts[0] > value {
            return Err(err!(ExcessiveInputAmount));
        }
        self.wrap_into_first_pair(&path, amounts[0])?;
        self.swap_hops(Some(&amounts), &path, to)?;
        if value > amounts[0] {
            let sender = self.vm().msg_sender();
            self.send_eth(sender, value - amounts[0])?;
        }
        Ok(amounts)
    }

    /// `swapExactTokensForTokens` for fee-on-transfer tokens: checks `to`'s balance delta.
    pub fn swap_exact_tokens_for_tokens_supporting_fee_on_transfer_tokens(
        &mut self,
        amount_in: U256,
        amount_out_min: U256,
        path: Vec<Address>,
        to: Address,
        deadline: U256,
    ) -> Result<(), RouterError> {
        self.ensure(deadline)?;
        if path.len() < 2 {
            return Err(err!(InvalidPath));
        }
        self.pull_into_first_pair(&path, amount_in)?;
        self.swap_measured_to(&path, to, amount_out_min)
    }

    /// `swapExactETHForTokens` for fee-on-transfer tokens: checks `to`'s balance delta.
    #[payable]
    #[selector(name = "swapExactETHForTokensSupportingFeeOnTransferTokens")]
    pub fn swap_exact_eth_for_tokens_supporting_fee_on_transfer_tokens(
        &mut self,
        amount_out_min: U256,
        path: Vec<Address>,
        to: Address,
        deadline: U256,
    ) -> Result<(), RouterError> {
        self.ensure(deadline)?;
        self.check_eth_in(&path)?;
        let value = self.vm().msg_value();
        self.wrap_into_first_pair(&path, value)?;
        self.swap_measured_to(&path, to, amount_out_min)
    }

    /// `swapExactTokensForETH` for fee-on-transfer tokens: pays the WETH the router received.
    #[selector(name = "swapExactTokensForETHSupportingFeeOnTransferTokens")]
    pub fn swap_exact_tokens_for_eth_supporting_fee_on_transfer_tokens(
        &mut self,
        amount_in: U256,
        amount_out_min: U256,
        path: Vec<Address>,
        to: Address,
        deadline: U256,
    ) -> Result<(), RouterError> {
        self.ensure(deadline)?;
        self.check_eth_out(&path)?;
        self.pull_into_first_pair(&path, amount_in)?;
        let (weth, this) = (self.weth.get(), self.vm().contract_address());
        let before = self.balance(weth, this)?;
        self.swap_hops(None, &path, this)?;
        let out = self.balance(weth, this)?.saturating_sub(before);
        if out < amount_out_min {
            return Err(err!(InsufficientOutputAmount));
        }
        self.unwrap_to(out, to)
    }

    /// V2's `quote`: `amountA * reserveB / reserveA`.
    pub fn quote(
        &self,
        amount_a: U256,
        reserve_a: U256,
        reserve_b: U256,
    ) -> Result<U256, RouterError> {
        Ok(library::quote(amount_a, reserve_a, reserve_b)?)
    }

    /// V2's `getAmountOut` (0.30% fee, rounded down).
    pub fn get_amount_out(
        &self,
        amount_in: U256,
        reserve_in: U256,
        reserve_out: U256,
    ) -> Result<U256, RouterError> {
        Ok(library::get_amount_out(amount_in, reserve_in, reserve_out)?)
    }

    /// V2's `getAmountIn` (0.30% fee, rounded up).
    pub fn get_amount_in(
        &self,
        amount_out: U256,
        reserve_in: U256,
        reserve_out: U256,
    ) -> Result<U256, RouterError> {
        Ok(library::get_amount_in(amount_out, reserve_in, reserve_out)?)
    }

    /// Outputs of every hop of `path` for `amountIn` at current reserves.
    pub fn get_amounts_out(
        &self,
        amount_in: U256,
        path: Vec<Address>,
    ) -> Result<Vec<U256>, RouterError> {
        self.amounts_out(amount_in, &path)
    }

    /// Inputs of every hop of `path` for `amountOut` at current reserves.
    pub fn get_amounts_in(
        &self,
        amount_out: U256,
        path: Vec<Address>,
    ) -> Result<Vec<U256>, RouterError> {
        self.amounts_in(amount_out, &path)
    }

    /// Accepts ETH only from WETH (its `withdraw` payments).
    #[receive]
    pub fn receive(&mut self) -> Result<(), Vec<u8>> {
        let sender = self.vm().msg_sender();
        if sender != self.weth.get() {
            return Err(RouterError::NotWeth(NotWeth { sender }).into());
        }
        Ok(())
    }
}

impl PoolRouter {
    /// Swaps along `path` measuring each hop, then checks `to`'s balance delta of the last token.
    fn swap_measured_to(
        &mut self,
        path: &[Address],
        to: Address,
        amount_out_min: U256,
    ) -> Result<(), RouterError> {
        let last = path[path.len() - 1];
        let before = self.balance(last, to)?;
        self.swap_hops(None, path, to)?;
        let got = self.balance(last, to)?.saturating_sub(before);
        if got < amount_out_min {
            return Err(err!(InsufficientOutputAmount));
        }
        Ok(())
    }
}
