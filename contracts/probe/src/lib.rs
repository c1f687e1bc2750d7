//! Runtime probe: a small Stylus contract that exercises the devnode's host functions end to end
//! (storage, logs, calls to EVM and Stylus contracts, static calls, reentrancy). Test-only.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]

extern crate alloc;

use alloc::vec::Vec;

use alloy_primitives::{Address, Bytes, U256};
use alloy_sol_types::sol;
use stylus_sdk::{
    call::{call, static_call},
    prelude::*,
    storage::StorageU256,
};

sol! {
    #[derive(Debug)]
    /// Emitted by `setValue`.
    event ValueSet(address indexed by, uint256 value);
    /// A sub-call failed; `data` is its revert data.
    #[derive(Debug)]
    error CallFailed(bytes data);
}

/// Errors of the probe.
#[derive(SolidityError, Debug)]
pub enum ProbeError {
    /// See [`CallFailed`].
    CallFailed(CallFailed),
}

fn failed(e: stylus_sdk::stylus_core::calls::errors::Error) -> ProbeError {
    let data = match e {
        stylus_sdk::stylus_core::calls::errors::Error::Revert(d) => d,
        _ => Vec::new(),
    };
    ProbeError::CallFailed(CallFailed { data: data.into() })
}

/// The probe's storage.
#[entrypoint]
#[storage]
pub struct Probe {
    value: StorageU256,
}

#[public]
impl Probe {
    /// Stored value.
    pub fn value(&self) -> U256 {
        self.value.get()
    }

    /// Stores `value` and emits `ValueSet`.
    pub fn set_value(&mut self, value: U256) {
        self.value.set(value);
        let by = self.vm().msg_sender();
        self.vm().log(ValueSet { by, value });
    }

    /// CALLs `target` with `data` and returns its output.
    pub fn forward(&mut self, target: Address, data: Bytes) -> Result<Bytes, ProbeError> {
        let ctx = Call::new_mutating(self);
        let out = call(self.vm(), ctx, target, &data).map_err(failed)?;
        Ok(out.into())
    }

    /// STATICCALLs `target` with `data` and returns its output.
    pub fn forward_static(&self, target: Address, data: Bytes) -> Result<Bytes, ProbeError> {
        let out = static_call(self.vm(), Call::new(), target, &data).map_err(failed)?;
        Ok(out.into())
    }

    /// Calls `setValue(value)` on itself through a CALL: denied by the SDK's reentrancy guard.
    pub fn reenter(&mut self, value: U256) -> Result<Bytes, ProbeError> {
        let me = self.vm().contract_address();
        let mut data = alloy_sol_types::SolCall::abi_encode(&setValueCall { value });
        data.shrink_to_fit();
        let ctx = Call::new_mutating(self);
        let out = call(self.vm(), ctx, me, &data).map_err(failed)?;
        Ok(out.into())
    }

    /// `msg.sender` as seen by the program.
    pub fn sender(&self) -> Address {
        self.vm().msg_sender()
    }
}

sol! {
    /// Self-call used by `reenter`.
    function setValue(uint256 value);
}
