//! Arbitrum precompiles and the native StylusDeployer (spec §1.12, §5).
//!
//! **Hook for `evm.rs`:** call [`run`] for every call frame before anything else; it returns
//! `Ok(None)` at once for addresses it does not serve (see [`is_system_address`]).
//!
//! Served addresses: ArbSys 0x64, ArbInfo 0x65, ArbosTest 0x69, ArbOwnerPublic 0x6b, ArbGasInfo
//! 0x6c, ArbOwner 0x70, ArbWasm 0x71, ArbWasmCache 0x72, ArbDebug 0xFF (debug chains only) and the
//! StylusDeployer system contract at [`STYLUS_DEPLOYER`]. Other precompile addresses of Nitro
//! (0x66–0x68, 0x6d–0x6f, 0x73) are not implemented: their `0xFE` genesis code halts like an
//! invalid opcode.
//!
//! Generic rules (§5.1, Nitro's `precompile.go`): calldata shorter than 4 bytes, an unknown
//! selector, undecodable arguments or a method not enabled at the configured ArbOS version →
//! revert consuming all gas; `view`/`payable`/non-payable are enforced (a non-pure method reached
//! through DELEGATECALL/CALLCODE, a writing method in a static context, value sent to a
//! non-payable method → revert consuming all gas). Gas: 3 per 32-byte word of arguments, 3 per
//! word of the returned data (result or custom-error revert data), the ArbOS storage costs of
//! [`crate::programs::gas`] and 375 + 375·topics + 8·bytes per event. Solidity custom errors
//! revert with their data and keep the unused gas; plain errors revert without data and keep it;
//! running out of gas consumes everything.
//!
//! **Non-revert errors with a message** (activation failures "program activation failed: …",
//! ArbOwner's "unauthorized caller to access-controlled method", ArbDebug.panic) end the frame
//! with `InstructionResult::PrecompileError`, all gas consumed. When the failing precompile frame
//! is the transaction's top-level frame, the message is also stored with
//! `LocalContextTr::set_precompile_error_context`, which revm's `post_execution::output` turns
//! into `ExecutionResult::Halt { reason: HaltReason::PrecompileErrorWithContext(message) }` — the
//! chain layer must surface that `message` verbatim as the JSON-RPC error message. Below the top
//! level the message is not propagated (as in Nitro, the calling frame only sees a failure).
//!
//! # Known deviations from Nitro
//!
//! * ArbOS storage gas follows the spec's figures (800 per read, 20 000 / 5 000 per write, 100
//!   for the params word, 2 600 per code-hash lookup) in Nitro's order for activation,
//!   keepalive, caching and the views; reads Nitro makes that the spec does not list (e.g.
//!   opening ArbOS state) are not charged, so `eth_estimateGas` can differ by a few hundred gas.
//! * Only the methods listed in the `abi` module exist; other Nitro methods (e.g. most ArbOwner
//!   L1/L2 pricing setters, ArbAggregator, ArbRetryableTx, ArbStatistics, ArbAddressTable) are
//!   unknown selectors or unimplemented addresses.
//! * ArbSys: L2→L1 messages are not merklised (`sendMerkleTreeState` returns the send count,
//!   a zero root and no partials, to any caller; no `SendMerkleUpdate` events); the sent value is
//!   burned. `myCallersAddressWithoutAliasing` is exact only when the caller is the top-level
//!   frame (it returns the origin), otherwise zero. `arbBlockHash` returns zero for a block the
//!   chain's lookup does not know.
//! * ArbGasInfo reports fixed devnode values (no L1 pricer, no backlog) and the stored L1 price.
//! * ArbDebug.panic is a non-revert error instead of a node panic.
//! * StylusDeployer is native: the nested create/calls are charged as revm runs them, the
//!   contract's own EVM overhead is approximated by constants (see the `deployer` module), gas refunds
//!   of its nested frames are dropped, and it cannot be DELEGATECALLed.

pub mod abi;
mod arbdebug;
mod arbgasinfo;
mod arbinfo;
mod arbostest;
mod arbowner;
mod arbsys;
mod arbwasm;
mod arbwasmcache;
mod cache_manager;
mod deployer;

use alloy::primitives::{address, Address, Bytes, Log, LogData, B256, U256};
use alloy::sol_types::{SolCall, SolError};
use revm::context::{ContextTr, JournalTr, LocalContextTr};
use revm::interpreter::{CallInputs, Gas, InstructionResult, InterpreterResult};

use crate::context::{ArbConfig, DevCtx, DevDb};
use crate::programs::{self, Meter, StateError};

pub use arbwasm::ActivationOutcome;
pub use cache_manager::CACHE_MANAGER;
pub use deployer::{init_salt as deployer_init_salt, STYLUS_DEPLOYER};

/// ArbSys precompile.
pub const ARB_SYS: Address = address!("0000000000000000000000000000000000000064");
/// ArbInfo precompile.
pub const ARB_INFO: Address = address!("0000000000000000000000000000000000000065");
/// ArbosTest precompile (`burnArbGas`).
pub const ARBOS_TEST: Address = address!("0000000000000000000000000000000000000069");
/// ArbOwnerPublic precompile.
pub const ARB_OWNER_PUBLIC: Address = address!("000000000000000000000000000000000000006b");
/// ArbGasInfo precompile.
pub const ARB_GAS_INFO: Address = address!("000000000000000000000000000000000000006c");
/// ArbOwner precompile (chain owners only).
pub const ARB_OWNER: Address = address!("0000000000000000000000000000000000000070");
/// ArbWasm precompile.
pub const ARB_WASM: Address = address!("0000000000000000000000000000000000000071");
/// ArbWasmCache precompile.
pub const ARB_WASM_CACHE: Address = address!("0000000000000000000000000000000000000072");
/// ArbDebug precompile (debug chains only).
pub const ARB_DEBUG: Address = address!("00000000000000000000000000000000000000ff");

/// Gas per 32-byte word of arguments and of results (`params.CopyGas`).
pub const COPY_GAS: u64 = 3;
/// Base gas of an event.
pub const LOG_GAS: u64 = 375;
/// Gas per event topic (including the signature topic).
pub const LOG_TOPIC_GAS: u64 = 375;
/// Gas per byte of event data.
pub const LOG_DATA_GAS: u64 = 8;

/// Whether `address` is served natively by [`run`] under `cfg`.
pub fn is_system_address(cfg: &ArbConfig, address: &Address) -> bool {
    let b = address.0;
    if *address == STYLUS_DEPLOYER || *address == CACHE_MANAGER {
        return true;
    }
    if b[..19].iter().any(|x| *x != 0) {
        return false;
    }
    match b[19] {
        0x64 | 0x65 | 0x69 | 0x6b | 0x6c | 0x70 => true,
        0x71 | 0x72 => cfg.arbos_version >= 30,
        0xff => cfg.debug,
        _ => false,
    }
}

/// Addresses that get `0xFE` code at genesis: every Arbitrum precompile address present at `cfg`
/// (0x64–0x72, 0x73 from ArbOS 41, 0xFF on debug chains) and the StylusDeployer.
pub fn genesis_code_addresses(cfg: &ArbConfig) -> Vec<Address> {
    let mut v: Vec<Address> = (0x64u8..=0x72).map(Address::with_last_byte).collect();
    if cfg.arbos_version >= 41 {
        v.push(Address::with_last_byte(0x73));
    }
    if cfg.debug {
        v.push(ARB_DEBUG);
    }
    v.push(STYLUS_DEPLOYER);
    v.push(CACHE_MANAGER);
    v
}

/// Writes the genesis accounts of the native system contracts: the StylusDeployer and the
/// CacheManager get `0xFE` code (so `EXTCODESIZE` is non-zero) and nonce 1 (like contracts
/// created by CREATE2, so their CREATE addresses match nitro-devnode's), and the CacheManager
/// its initial storage. (Registering it as a cache manager is ArbOS state, see
/// [`crate::programs::install_genesis_state`].)
pub fn install_system_contracts(db: &mut DevDb) {
    let fe = revm::bytecode::Bytecode::new_raw(vec![0xFE].into());
    for a in [STYLUS_DEPLOYER, CACHE_MANAGER] {
        let info = revm::state::AccountInfo {
            nonce: 1,
            ..Default::default()
        };
        db.insert_account_info(a, info.with_code(fe.clone()));
    }
    for (k, v) in cache_manager::genesis_storage() {
        db.insert_account_storage(CACHE_MANAGER, k, v)
            .expect("in-memory database is infallible");
    }
}

/// Runs the precompile or system contract at `inputs.bytecode_address`, or returns `Ok(None)`
/// when the address is not one of ours. `Err` only for fatal (database) errors.
pub fn run(ctx: &mut DevCtx, inputs: &CallInputs) -> Result<Option<InterpreterResult>, String> {
    let address = inputs.bytecode_address;
    if !is_system_address(&ctx.chain.config, &address) {
        return Ok(None);
    }
    let input = inputs.input.bytes(&*ctx);
    let mut frame = Frame {
        caller: inputs.caller,
        address,
        acting: inputs.target_address,
        value: inputs.call_value(),
        is_static: inputs.is_static,
        purity: Purity::Pure,
        meter: Meter::new(inputs.gas_limit),
        ctx,
    };
    let result = match address {
        ARB_SYS => frame.dispatch(&input, arbsys::purity, arbsys::call),
        ARB_INFO => frame.dispatch(&input, arbinfo::purity, arbinfo::call),
        ARBOS_TEST => frame.dispatch(&input, arbostest::purity, arbostest::call),
        ARB_OWNER_PUBLIC => frame.dispatch(&input, arbowner::public_purity, arbowner::public_call),
        ARB_GAS_INFO => frame.dispatch(&input, arbgasinfo::purity, arbgasinfo::call),
        ARB_OWNER => arbowner::run_owner(&mut frame, &input),
        ARB_WASM => frame.dispatch(&input, arbwasm::purity, arbwasm::call),
        ARB_WASM_CACHE => frame.dispatch(&input, arbwasmcache::purity, arbwasmcache::call),
        ARB_DEBUG => frame.dispatch(&input, arbdebug::purity, arbdebug::call),
        // A Solidity contract, not a precompile: its dispatcher and ABI decoder revert without
        // data and keep the gas where a precompile would burn it.
        STYLUS_DEPLOYER => match frame.dispatch(&input, deployer::purity, deployer::call) {
            Err(Failure::RevertAllGas) => Err(Failure::PlainRevert),
            other => other,
        },
        CACHE_MANAGER => match frame.dispatch(&input, cache_manager::purity, cache_manager::call) {
            Err(Failure::RevertAllGas) => Err(Failure::PlainRevert),
            other => other,
        },
        _ => Err(Failure::RevertAllGas),
    };
    let used = frame.meter.used();
    finish(frame.ctx, inputs, used, result).map(Some)
}

/// Turns a precompile outcome into the frame's interpreter result.
fn finish(
    ctx: &mut DevCtx,
    inputs: &CallInputs,
    used: u64,
    result: Result<Bytes, Failure>,
) -> Result<InterpreterResult, String> {
    let mut gas = Gas::new_with_regular_gas_and_reservoir(inputs.gas_limit, inputs.reservoir);
    let (kind, output) = match result {
        Ok(out) => (InstructionResult::Return, out),
        Err(Failure::Revert(data)) => (InstructionResult::Revert, data),
        Err(Failure::PlainRevert) => (InstructionResult::Revert, Bytes::new()),
        Err(Failure::RevertAllGas) => {
            gas.spend_all();
            return Ok(InterpreterResult::new(
                InstructionResult::Revert,
                Bytes::new(),
                gas,
            ));
        }
        Err(Failure::OutOfGas) => {
            gas.spend_all();
            return Ok(InterpreterResult::new(
                InstructionResult::OutOfGas,
                Bytes::new(),
                gas,
            ));
        }
        Err(Failure::Halt(msg)) => {
            gas.spend_all();
            if ctx.journal().depth() <= 1 {
                ctx.local_mut().set_precompile_error_context(msg.clone());
            }
            return Ok(InterpreterResult::new(
                InstructionResult::PrecompileError,
                Bytes::new(),
                gas,
            ));
        }
        Err(Failure::Fatal(e)) => return Err(e),
    };
    if !gas.record_regular_cost(used) {
        gas.spend_all();
        return Ok(InterpreterResult::new(
            InstructionResult::OutOfGas,
            Bytes::new(),
            gas,
        ));
    }
    Ok(InterpreterResult::new(kind, output, gas))
}

/// Mutability of a precompile method, ordered as Nitro's purity levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Purity {
    /// `pure`: no state access.
    Pure,
    /// `view`: reads state.
    View,
    /// non-payable writer.
    Write,
    /// `payable` writer.
    Payable,
}

/// How a precompile method failed.
#[derive(Debug)]
pub(crate) enum Failure {
    /// A Solidity custom error: revert with this data, unused gas kept.
    Revert(Bytes),
    /// A plain error: revert without data, unused gas kept.
    PlainRevert,
    /// A generic-rule violation: revert without data, all gas consumed.
    RevertAllGas,
    /// Out of gas: all gas consumed.
    OutOfGas,
    /// A non-revert error with a message (all gas consumed).
    Halt(String),
    /// A database error (aborts the transaction).
    Fatal(String),
}

impl From<StateError> for Failure {
    fn from(e: StateError) -> Self {
        match e {
            StateError::OutOfGas => Failure::OutOfGas,
            StateError::Db(s) => Failure::Fatal(s),
        }
    }
}

impl Failure {
    /// A Solidity custom error.
    pub(crate) fn error<E: SolError>(e: E) -> Self {
        Failure::Revert(e.abi_encode().into())
    }
}

pub(crate) type PResult = Result<Bytes, Failure>;

/// Encodes the return value of method `C`.
pub(crate) fn ret<C: SolCall>(value: C::Return) -> PResult {
    Ok(C::abi_encode_returns(&value).into())
}

/// Decodes the arguments of method `C` (failure → revert, all gas).
pub(crate) fn args<C: SolCall>(input: &[u8]) -> Result<C, Failure> {
    C::abi_decode(input).map_err(|_| Failure::RevertAllGas)
}

/// One precompile invocation.
pub(crate) struct Frame<'c> {
    /// The running context.
    pub ctx: &'c mut DevCtx,
    /// `msg.sender`.
    pub caller: Address,
    /// The precompile's own address.
    pub address: Address,
    /// The acting (storage) address; differs from `address` under DELEGATECALL/CALLCODE.
    pub acting: Address,
    /// `msg.value`.
    pub value: U256,
    /// Static context.
    pub is_static: bool,
    /// Purity of the method being run.
    pub purity: Purity,
    /// Gas accounting.
    pub meter: Meter,
}

pub(crate) type PurityFn = fn(&ArbConfig, [u8; 4]) -> Option<Purity>;
pub(crate) type CallFn = fn(&mut Frame<'_>, [u8; 4], &[u8]) -> PResult;

fn words(len: usize) -> u64 {
    (len as u64).div_ceil(32)
}

impl Frame<'_> {
    /// Applies the generic rules, runs the method and charges the result copy gas.
    pub(crate) fn dispatch(&mut self, input: &[u8], purity: PurityFn, call: CallFn) -> PResult {
        let selector = self.check(input, purity)?;
        let out = match call(self, selector, input) {
            Ok(out) => out,
            Err(Failure::Revert(data)) => {
                self.meter.burn(COPY_GAS * words(data.len()))?;
                return Err(Failure::Revert(data));
            }
            Err(e) => return Err(e),
        };
        self.meter.burn(COPY_GAS * words(out.len()))?;
        Ok(out)
    }

    /// The generic checks: selector known, mutability respected, argument copy gas.
    pub(crate) fn check(&mut self, input: &[u8], purity: PurityFn) -> Result<[u8; 4], Failure> {
        if input.len() < 4 {
            return Err(Failure::RevertAllGas);
        }
        let selector: [u8; 4] = input[..4].try_into().expect("4 bytes");
        let p = purity(&self.ctx.chain.config, selector).ok_or(Failure::RevertAllGas)?;
        self.purity = p;
        if p >= Purity::View && self.acting != self.address {
            return Err(Failure::RevertAllGas);
        }
        if p >= Purity::Write && self.is_static {
            return Err(Failure::RevertAllGas);
        }
        if p < Purity::Payable && !self.value.is_zero() {
            return Err(Failure::RevertAllGas);
        }
        self.meter.burn(COPY_GAS * words(input.len() - 4))?;
        Ok(selector)
    }

    /// The journal.
    pub(crate) fn journal(&mut self) -> &mut revm::context::Journal<DevDb> {
        &mut self.ctx.journaled_state
    }

    /// Split borrow of the journal and the meter (for `programs::*` calls).
    pub(crate) fn state(&mut self) -> (&mut revm::context::Journal<DevDb>, &mut Meter) {
        (&mut self.ctx.journaled_state, &mut self.meter)
    }

    /// Block timestamp (unix seconds).
    pub(crate) fn now(&self) -> u64 {
        self.ctx.chain.block.timestamp
    }

    /// Burns `gas` from the call's budget.
    pub(crate) fn burn(&mut self, gas: u64) -> Result<(), Failure> {
        Ok(self.meter.burn(gas)?)
    }

    /// Stylus params (100 gas).
    pub(crate) fn params(&mut self) -> Result<devnode_wasm::StylusParams, Failure> {
        let (j, m) = self.state();
        Ok(programs::load_params(j, m)?)
    }

    /// Code hash of `account` (2 600 gas), zero for accounts without code.
    pub(crate) fn codehash(&mut self, account: Address) -> Result<B256, Failure> {
        self.burn(programs::gas::CODEHASH_READ)?;
        let j = self.journal();
        let acc = j
            .load_account_with_code(account)
            .map_err(|e| Failure::Fatal(e.to_string()))?;
        if acc.data.info.is_empty_code_hash() {
            return Ok(B256::ZERO);
        }
        Ok(acc.data.info.code_hash)
    }

    /// Emits an event from the precompile's address (charging log gas). Views cannot emit.
    pub(crate) fn emit(&mut self, data: LogData) -> Result<(), Failure> {
        if self.purity < Purity::Write {
            return Err(Failure::PlainRevert);
        }
        let cost = LOG_GAS
            + LOG_TOPIC_GAS * data.topics().len() as u64
            + LOG_DATA_GAS * data.data.len() as u64;
        self.burn(cost)?;
        let log = Log {
            address: self.address,
            data,
        };
        self.journal().log(log);
        Ok(())
    }

    /// Moves `amount` wei between accounts (journaled; no EVM call).
    pub(crate) fn transfer(
        &mut self,
        from: Address,
        to: Address,
        amount: U256,
    ) -> Result<(), Failure> {
        if amount.is_zero() {
            return Ok(());
        }
        match self.journal().transfer(from, to, amount) {
            Ok(None) => Ok(()),
            Ok(Some(_)) => Err(Failure::PlainRevert),
            Err(e) => Err(Failure::Fatal(e.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_addresses() {
        let cfg = ArbConfig::default();
        assert!(is_system_address(&cfg, &ARB_WASM));
        assert!(is_system_address(&cfg, &ARB_DEBUG));
        assert!(is_system_address(&cfg, &STYLUS_DEPLOYER));
        assert!(!is_system_address(&cfg, &Address::with_last_byte(0x66)));
        assert!(is_system_address(&cfg, &ARBOS_TEST));
        assert!(!is_system_address(&cfg, &Address::with_last_byte(0x01)));
        let nodebug = ArbConfig {
            debug: false,
            ..ArbConfig::default()
        };
        assert!(!is_system_address(&nodebug, &ARB_DEBUG));
    }
}
