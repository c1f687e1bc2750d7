//! StylusDeployer system contract (§5.6, §5.8): a native implementation at the address where
//! nitro-devnode deploys nitro-contracts' `StylusDeployer` (own code, same ABI and behaviour):
//!
//! `deploy(bytecode, initData, initValue, salt)` CREATEs (or CREATE2s with
//! `salt' = keccak256(salt ‖ initData)` when `salt ≠ 0`) the initcode, activates the new program
//! through a real call to ArbWasm (value `msg.value − initValue`) when its codehash is not active
//! at the current Stylus version, calls it with `initData` and `initValue` when `initData` is
//! non-empty (`ContractInitializationError(address, bytes)` when that call fails), refunds
//! `msg.value − dataFee − initValue` to the sender by a plain call, and emits
//! `ContractDeployed(address)`.
//!
//! Gas: the nested frames are charged exactly as revm runs them (all but 1/64 forwarded, unused
//! gas returned); the Solidity contract's own EVM overhead is approximated by the constants
//! below, so `eth_estimateGas` results are close to, not equal to, Nitro's.

use alloy::primitives::{address, keccak256, Address, Bytes, B256, U256};
use alloy::sol_types::{SolCall, SolEvent};
use revm::context_interface::CreateScheme;
use revm::interpreter::{CallInput, CallInputs, CallScheme, CallValue, CreateInputs};

use super::abi::ArbWasm as W;
use super::abi::Panic;
use super::abi::StylusDeployer::{self as SD};
use super::{args, ret, Failure, Frame, PResult, Purity, ARB_WASM};
use crate::context::ArbConfig;
use crate::context::{load_code, nested_call, nested_create};
use crate::programs::{self, ProgramStatus};

/// Address of the StylusDeployer (cargo-stylus' default `--deployer-address`).
pub const STYLUS_DEPLOYER: Address = address!("cEcba2F1DC234f70Dd89F2041029807F8D03A990");

/// Approximate EVM overhead of `deploy` outside the nested frames (dispatch, memory, checks).
pub const DEPLOY_OVERHEAD_GAS: u64 = 12_000;
/// CREATE / CREATE2 base cost.
pub const CREATE_GAS: u64 = 32_000;
/// EIP-3860 initcode cost per word.
pub const INITCODE_WORD_GAS: u64 = 2;
/// CREATE2 hashing cost per word.
pub const KECCAK_WORD_GAS: u64 = 6;
/// Cost of a call that transfers value (stipend excluded).
pub const CALL_VALUE_GAS: u64 = 9_000;
/// Gas stipend given with value transfers.
pub const CALL_STIPEND: u64 = 2_300;
/// Warm account access.
pub const WARM_ACCESS_GAS: u64 = 100;

pub(super) fn purity(_cfg: &ArbConfig, sel: [u8; 4]) -> Option<Purity> {
    Some(match sel {
        SD::deployCall::SELECTOR => Purity::Payable,
        SD::initSaltCall::SELECTOR => Purity::Pure,
        SD::requiresActivationCall::SELECTOR => Purity::View,
        _ => return None,
    })
}

/// `keccak256(abi.encodePacked(salt, initData))`.
pub fn init_salt(salt: B256, init_data: &[u8]) -> B256 {
    let mut pre = salt.to_vec();
    pre.extend_from_slice(init_data);
    keccak256(pre)
}

pub(super) fn call(f: &mut Frame<'_>, sel: [u8; 4], input: &[u8]) -> PResult {
    match sel {
        SD::initSaltCall::SELECTOR => {
            let a = args::<SD::initSaltCall>(input)?;
            f.burn(KECCAK_WORD_GAS * (32 + a.initData.len() as u64).div_ceil(32) + 30)?;
            ret::<SD::initSaltCall>(init_salt(a.salt, &a.initData))
        }
        SD::requiresActivationCall::SELECTOR => {
            let a = args::<SD::requiresActivationCall>(input)?;
            let r = requires_activation(f, a.addr)?;
            ret::<SD::requiresActivationCall>(r)
        }
        SD::deployCall::SELECTOR => {
            let a = args::<SD::deployCall>(input)?;
            let addr = deploy(f, a)?;
            ret::<SD::deployCall>(addr)
        }
        _ => Err(Failure::RevertAllGas),
    }
}

/// Whether `addr`'s codehash is not active at the current Stylus version (like the Solidity
/// `codehashVersion` try/catch against `stylusVersion()`).
fn requires_activation(f: &mut Frame<'_>, addr: Address) -> Result<bool, Failure> {
    let codehash = f.codehash(addr)?;
    let params = f.params()?;
    let now = f.now();
    let (j, m) = f.state();
    let rec = programs::load_record(j, m, codehash)?;
    Ok(programs::program_status(&rec, now, &params) != ProgramStatus::Active)
}

/// Gas a nested frame may get: all but one 64th of what is left.
fn forwardable(f: &Frame<'_>) -> u64 {
    let left = f.meter.remaining();
    left - left / 64
}

/// Runs a plain CALL from the deployer; returns (success, output).
pub(super) fn call_from_deployer(
    f: &mut Frame<'_>,
    to: Address,
    value: U256,
    data: Bytes,
) -> Result<(bool, Bytes), Failure> {
    f.burn(WARM_ACCESS_GAS)?;
    if !value.is_zero() {
        f.burn(CALL_VALUE_GAS)?;
    }
    let loaded = load_code(f.ctx, to).map_err(Failure::Fatal)?;
    let gas = forwardable(f);
    f.burn(gas)?;
    let stipend = if value.is_zero() { 0 } else { CALL_STIPEND };
    let inputs = CallInputs {
        input: CallInput::Bytes(data),
        return_memory_offset: 0..0,
        gas_limit: gas + stipend,
        reservoir: 0,
        bytecode_address: to,
        known_bytecode: (loaded.code_hash, loaded.code),
        target_address: to,
        caller: f.address,
        value: CallValue::Transfer(value),
        scheme: CallScheme::Call,
        is_static: false,
        charged_new_account_state_gas: false,
    };
    let out = nested_call(f.ctx, inputs).map_err(Failure::Fatal)?;
    let result = out.result;
    let left = if result.result.is_ok_or_revert() {
        result.gas.remaining()
    } else {
        0
    };
    f.meter.give_back(left.min(gas));
    Ok((result.result.is_ok(), result.output))
}

fn deploy(f: &mut Frame<'_>, a: SD::deployCall) -> Result<Address, Failure> {
    f.burn(DEPLOY_OVERHEAD_GAS)?;
    let salt = if a.salt.is_zero() {
        None
    } else {
        Some(init_salt(a.salt, &a.initData))
    };
    if a.bytecode.is_empty() {
        return Err(Failure::error(SD::EmptyBytecode {}));
    }
    // CREATE / CREATE2 of the initcode.
    let words = (a.bytecode.len() as u64).div_ceil(32);
    f.burn(CREATE_GAS + INITCODE_WORD_GAS * words)?;
    let scheme = match salt {
        Some(s) => {
            f.burn(KECCAK_WORD_GAS * words)?;
            CreateScheme::Create2 {
                salt: U256::from_be_bytes(s.0),
            }
        }
        None => CreateScheme::Create,
    };
    let gas = forwardable(f);
    f.burn(gas)?;
    let inputs = CreateInputs::new(f.address, scheme, U256::ZERO, a.bytecode.clone(), gas, 0);
    let out = nested_create(f.ctx, inputs).map_err(Failure::Fatal)?;
    let ok_or_revert = out.result.result.is_ok_or_revert();
    f.meter.give_back(if ok_or_revert {
        out.result.gas.remaining().min(gas)
    } else {
        0
    });
    let new_address = match (out.result.result.is_ok(), out.address) {
        (true, Some(addr)) => addr,
        _ => {
            if !out.result.output.is_empty() && !out.result.result.is_ok() {
                return Err(Failure::Revert(out.result.output.clone()));
            }
            return Err(Failure::error(SD::ContractDeploymentError {
                bytecode: a.bytecode,
            }));
        }
    };

    // Activation when the codehash is not active at the current version.
    let mut data_fee = U256::ZERO;
    if requires_activation(f, new_address)? {
        let Some(activation_value) = f.value.checked_sub(a.initValue) else {
            return Err(Failure::error(Panic {
                code: U256::from(0x11),
            }));
        };
        let data = W::activateProgramCall {
            program: new_address,
        }
        .abi_encode();
        let (ok, out) = call_from_deployer(f, ARB_WASM, activation_value, data.into())?;
        if !ok {
            return Err(Failure::Revert(out));
        }
        let decoded =
            W::activateProgramCall::abi_decode_returns(&out).map_err(|_| Failure::PlainRevert)?;
        data_fee = decoded.dataFee;
    }

    // Constructor call.
    if !a.initData.is_empty() {
        let (ok, out) = call_from_deployer(f, new_address, a.initValue, a.initData.clone())?;
        if !ok {
            return Err(Failure::error(SD::ContractInitializationError {
                newContract: new_address,
                data: out,
            }));
        }
    } else if !a.initValue.is_zero() {
        return Err(Failure::error(SD::InitValueButNotInitData {}));
    }

    // Refund what neither the data fee nor the constructor used.
    let refund = f
        .value
        .checked_sub(data_fee)
        .and_then(|v| v.checked_sub(a.initValue))
        .ok_or_else(|| {
            Failure::error(Panic {
                code: U256::from(0x11),
            })
        })?;
    if !refund.is_zero() {
        let caller = f.caller;
        let (ok, _) = call_from_deployer(f, caller, refund, Bytes::new())?;
        if !ok {
            return Err(Failure::error(SD::RefundExcessValueError {
                excessValue: refund,
            }));
        }
    }

    f.emit(
        SD::ContractDeployed {
            deployedContract: new_address,
        }
        .encode_log_data(),
    )?;
    Ok(new_address)
}
