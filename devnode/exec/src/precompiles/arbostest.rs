//! ArbosTest (0x69): `burnArbGas(uint256)`, a `pure` method that burns the given amount of gas.
//!
//! Generic precompile rules apply (3 gas per argument word; `pure`, so CALL, STATICCALL and
//! DELEGATECALL all work). An amount that does not fit a `u64` is a plain error (revert without
//! data, gas kept). An amount above the gas left burns everything that is left and still
//! succeeds, as Nitro ignores the burn's out-of-gas result here.

use alloy::primitives::{Bytes, U256};
use alloy::sol_types::SolCall;

use super::abi::ArbosTest::{self as T};
use super::{args, Failure, Frame, PResult, Purity};
use crate::context::ArbConfig;

pub(super) fn purity(_cfg: &ArbConfig, sel: [u8; 4]) -> Option<Purity> {
    match sel {
        T::burnArbGasCall::SELECTOR => Some(Purity::Pure),
        _ => None,
    }
}

pub(super) fn call(f: &mut Frame<'_>, sel: [u8; 4], input: &[u8]) -> PResult {
    match sel {
        T::burnArbGasCall::SELECTOR => {
            let a = args::<T::burnArbGasCall>(input)?;
            if a.gasAmount > U256::from(u64::MAX) {
                return Err(Failure::PlainRevert);
            }
            let amount = a.gasAmount.to::<u64>();
            if f.meter.burn(amount).is_err() {
                // Everything is gone, but the call itself succeeds.
                f.meter.burn_all();
            }
            Ok(Bytes::new())
        }
        _ => Err(Failure::RevertAllGas),
    }
}
