//! ArbDebug (0xFF, debug chains only) (§5.5).

use alloy::primitives::{Bytes, B256, U256};
use alloy::sol_types::{SolCall, SolEvent};
use revm::bytecode::Bytecode;
use revm::context::JournalTr;

use super::abi::ArbDebug::{self as D};
use super::{args, ret, Failure, Frame, PResult, Purity};
use crate::context::ArbConfig;
use crate::programs::CHAIN_OWNERS;

/// Message of `customRevert`'s `Custom` error (Nitro's test string).
pub const CUSTOM_REVERT_MESSAGE: &str =
    "This spider family wards off bugs: /\\oo/\\ //\\(oo)/\\ /\\oo/\\";

pub(super) fn purity(_cfg: &ArbConfig, sel: [u8; 4]) -> Option<Purity> {
    Some(match sel {
        D::becomeChainOwnerCall::SELECTOR
        | D::panicCall::SELECTOR
        | D::overwriteContractCodeCall::SELECTOR => Purity::Write,
        D::eventsCall::SELECTOR => Purity::Payable,
        D::eventsViewCall::SELECTOR => Purity::View,
        D::customRevertCall::SELECTOR | D::legacyErrorCall::SELECTOR => Purity::Pure,
        _ => return None,
    })
}

pub(super) fn call(f: &mut Frame<'_>, sel: [u8; 4], input: &[u8]) -> PResult {
    match sel {
        D::becomeChainOwnerCall::SELECTOR => {
            let caller = f.caller;
            let (j, m) = f.state();
            CHAIN_OWNERS.add(j, m, caller)?;
            Ok(Bytes::new())
        }
        D::eventsCall::SELECTOR => {
            let a = args::<D::eventsCall>(input)?;
            f.emit(
                D::Basic {
                    flag: !a.flag,
                    value: a.value,
                }
                .encode_log_data(),
            )?;
            let mixed = D::Mixed {
                flag: a.flag,
                not: !a.flag,
                value: a.value,
                conn: f.address,
                caller: f.caller,
            };
            f.emit(mixed.encode_log_data())?;
            ret::<D::eventsCall>(D::eventsReturn {
                _0: f.caller,
                _1: U256::from_be_bytes(a.value.0),
            })
        }
        D::eventsViewCall::SELECTOR => {
            // Emitting from a view fails (write protection) — that is what this method tests.
            f.emit(
                D::Basic {
                    flag: true,
                    value: B256::ZERO,
                }
                .encode_log_data(),
            )?;
            Ok(Bytes::new())
        }
        D::customRevertCall::SELECTOR => {
            let a = args::<D::customRevertCall>(input)?;
            Err(Failure::error(D::Custom {
                _0: a.number,
                _1: CUSTOM_REVERT_MESSAGE.into(),
                _2: true,
            }))
        }
        D::panicCall::SELECTOR => Err(Failure::Halt(
            "called ArbDebug's debug-only Panic method".into(),
        )),
        D::legacyErrorCall::SELECTOR => Err(Failure::PlainRevert),
        D::overwriteContractCodeCall::SELECTOR => {
            let a = args::<D::overwriteContractCodeCall>(input)?;
            let j = f.journal();
            let old = j
                .code(a.target)
                .map_err(|e| Failure::Fatal(e.to_string()))?
                .data;
            j.load_account_with_code_mut(a.target)
                .map_err(|e| Failure::Fatal(e.to_string()))?;
            j.set_code(a.target, Bytecode::new_raw(a.code));
            ret::<D::overwriteContractCodeCall>(old)
        }
        _ => Err(Failure::RevertAllGas),
    }
}
