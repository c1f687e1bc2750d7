//! `eth_estimateGas`: the exact smallest gas limit with which the call succeeds.
//!
//! The answer `g` satisfies: the call succeeds with `g` and fails with `g − 1` (on the same state
//! and block). Gas that only *availability* needs is included: the 63/64 rule (EVM `CALL`s and
//! Stylus `call_contract` forward at most 63/64 of what is left, so a callee that needs `x` costs
//! the caller about `x · 64/63`), the SSTORE sentry (2,300 gas must be left), the gas refund (a
//! limit must cover what is spent *before* the refund, although the receipt shows less), Stylus'
//! ink (a program that runs out of ink fails like an EVM frame out of gas) and the EIP-7623
//! calldata floor.
//!
//! Search: one run at the cap (`gas` of the request, the 32M transaction cap, and what the balance
//! can pay at the given price), which classifies the call: a revert or a non-gas failure is the
//! answer as an error; out of gas or out of ink is "gas required exceeds allowance". Then the gas
//! spent before refunds (or the calldata floor, if larger) is tried: most calls need exactly that,
//! which one more run at one gas less confirms. Otherwise an optimistic `64/63` guess narrows the
//! range and a binary search ends with `hi − lo = 1`, `lo` failing and `hi` succeeding: every failure
//! (out of gas, out of ink, a revert caused by a starved sub-call, an invalid transaction) counts as
//! "too little gas".

use alloy::primitives::U256;
use revm::context::result::{ExecutionResult, HaltReason};
use revm::context::TxEnv;

use super::state::WorldState;
use super::{halt_message, Chain};
use crate::error::{RpcError, RpcResult};
use crate::exec::{ArbConfig, BlockContext, Mode};

/// Runs `env` with `gas` on `ws` (nothing is committed).
fn attempt(
    ws: &mut WorldState,
    settings: &ArbConfig,
    info: &BlockContext,
    env: &TxEnv,
    gas: u64,
) -> RpcResult<ExecutionResult> {
    let mut e = env.clone();
    e.gas_limit = gas;
    Chain::run(settings, &mut ws.db, info, e, Mode::Call).map(|r| r.result)
}

fn succeeds(
    ws: &mut WorldState,
    settings: &ArbConfig,
    info: &BlockContext,
    env: &TxEnv,
    gas: u64,
) -> bool {
    matches!(attempt(ws, settings, info, env, gas), Ok(r) if r.is_success())
}

/// The exact estimate of `env` (whose `gas_limit` is the upper bound) on `ws`; see the module
/// documentation.
pub(crate) fn estimate(
    ws: &mut WorldState,
    settings: &ArbConfig,
    info: &BlockContext,
    mut env: TxEnv,
) -> RpcResult<u64> {
    let mut hi = env.gas_limit;
    // With a gas price, the balance limits the gas too.
    let price = env.gas_price;
    if price > 0 {
        let balance = ws.balance(env.caller);
        let available = balance.saturating_sub(env.value) / U256::from(price);
        hi = hi.min(u64::try_from(available).unwrap_or(u64::MAX));
    }
    env.gas_limit = hi;
    let exceeds = || RpcError::server(format!("gas required exceeds allowance ({hi})"));
    let first = match attempt(ws, settings, info, &env, hi) {
        Err(e) if e.message.starts_with("intrinsic gas too low") => return Err(exceeds()),
        other => other?,
    };
    let needed = match &first {
        ExecutionResult::Success { gas, .. } => gas.total_gas_spent().max(gas.floor_gas()),
        ExecutionResult::Revert { output, .. } => return Err(RpcError::reverted(output)),
        ExecutionResult::Halt { reason, .. } => {
            return Err(match reason {
                HaltReason::OutOfGas(_) => exceeds(),
                other => RpcError::server(halt_message(other)),
            })
        }
    };
    // `lo` always fails, `hi` always succeeds.
    let mut lo = 0u64;
    if needed < hi {
        if succeeds(ws, settings, info, &env, needed) {
            hi = needed;
            if !succeeds(ws, settings, info, &env, needed - 1) {
                return Ok(needed);
            }
            // Less than what the run at the cap spent also works (a path that depends on the gas
            // given): search below.
        } else {
            lo = needed;
            // What was spent plus the 63/64 reserve of a sub-call and the SSTORE sentry.
            let optimistic = needed
                .saturating_add(2_300)
                .saturating_mul(64)
                .div_ceil(63)
                .min(hi);
            if optimistic < hi {
                if succeeds(ws, settings, info, &env, optimistic) {
                    hi = optimistic;
                } else {
                    lo = optimistic;
                }
            }
        }
    }
    while lo + 1 < hi {
        let mid = lo + (hi - lo) / 2;
        if succeeds(ws, settings, info, &env, mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Ok(hi)
}
