//! ArbInfo (0x65): balance and code lookups (§5.5).

use alloy::sol_types::SolCall;
use revm::context::JournalTr;

use super::abi::ArbInfo::{self as I};
use super::{args, ret, Failure, Frame, PResult, Purity, COPY_GAS};
use crate::context::ArbConfig;

/// Gas of `getBalance` (EIP-1884 BALANCE).
pub const BALANCE_GAS: u64 = 700;
/// Base gas of `getCode` (cold SLOAD, as Nitro charges).
pub const CODE_BASE_GAS: u64 = 2_100;

pub(super) fn purity(_cfg: &ArbConfig, sel: [u8; 4]) -> Option<Purity> {
    Some(match sel {
        I::getBalanceCall::SELECTOR | I::getCodeCall::SELECTOR => Purity::View,
        _ => return None,
    })
}

pub(super) fn call(f: &mut Frame<'_>, sel: [u8; 4], input: &[u8]) -> PResult {
    match sel {
        I::getBalanceCall::SELECTOR => {
            let a = args::<I::getBalanceCall>(input)?;
            f.burn(BALANCE_GAS)?;
            let acc = f
                .journal()
                .load_account(a.account)
                .map_err(|e| Failure::Fatal(e.to_string()))?;
            ret::<I::getBalanceCall>(acc.data.info.balance)
        }
        I::getCodeCall::SELECTOR => {
            let a = args::<I::getCodeCall>(input)?;
            f.burn(CODE_BASE_GAS)?;
            let code = f
                .journal()
                .code(a.account)
                .map_err(|e| Failure::Fatal(e.to_string()))?
                .data;
            f.burn(COPY_GAS * (code.len() as u64).div_ceil(32))?;
            ret::<I::getCodeCall>(code)
        }
        _ => Err(Failure::RevertAllGas),
    }
}
