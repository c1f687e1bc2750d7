//! The one place where the chain calls the execution layer (`devnode-exec`).
//!
//! The seam is [`devnode_exec::evm`]: a revm context with Stylus execution and the Arbitrum
//! precompiles. This module adds what the chain needs on top: an execution [`Mode`] (calls skip the
//! nonce and base-fee checks and the EIP-3607 sender check, as geth's `eth_call` does;
//! impersonated senders skip EIP-3607, as anvil), by building the context through the seam's public
//! `build_context`/`build_evm` and adjusting revm's `CfgEnv` before executing.

use revm::context::result::{EVMError, InvalidTransaction, ResultAndState};
use revm::context::TxEnv;
use revm::ExecuteEvm;

pub use devnode_exec::evm::{
    ArbConfig, BaseState, BlockContext, BlockHashes, DevDb, CREATE2_FACTORY, CREATE2_FACTORY_CODE,
    DEV_ACCOUNT_GENESIS_NONCE,
};

/// How a transaction is executed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A real transaction: every validation applies.
    Transaction,
    /// A transaction from an impersonated account (`eth_sendTransaction` without a key): the
    /// sender may have code (EIP-3607 off), as anvil.
    Impersonated,
    /// `eth_call`/`eth_estimateGas`: no nonce check, no base-fee floor (a zero gas price pays
    /// nothing), sender may have code.
    Call,
}

/// Why execution could not produce a result.
#[derive(Debug)]
pub enum ExecError {
    /// The transaction is invalid (nonce, funds, gas, ...).
    Invalid(InvalidTransaction),
    /// Anything else (a bug or an unsupported feature).
    Other(String),
}

/// Puts the database back into the caller's slot even if execution panics.
struct DbSlot<'a> {
    slot: &'a mut DevDb,
    evm: Option<devnode_exec::evm::DevEvm>,
}

impl Drop for DbSlot<'_> {
    fn drop(&mut self) {
        if let Some(evm) = self.evm.as_mut() {
            *self.slot = std::mem::take(&mut evm.ctx.journaled_state.database);
        }
    }
}

/// Executes `tx` on `db` without committing (the state changes are in the result).
pub fn transact(
    db: &mut DevDb,
    cfg: &ArbConfig,
    block: &BlockContext,
    tx: TxEnv,
    mode: Mode,
) -> Result<ResultAndState, ExecError> {
    let result = if mode == Mode::Transaction {
        devnode_exec::evm::transact(db, cfg, block, tx)
    } else {
        let mut ctx = devnode_exec::evm::build_context(std::mem::take(db), cfg, block);
        ctx.cfg.disable_eip3607 = true;
        if mode == Mode::Call {
            ctx.cfg.disable_nonce_check = true;
            ctx.cfg.disable_base_fee = true;
        }
        let mut guard = DbSlot {
            evm: Some(devnode_exec::evm::build_evm(ctx, ())),
            slot: db,
        };
        guard.evm.as_mut().expect("set above").transact(tx)
    };
    match result {
        Ok(r) => Ok(r),
        Err(EVMError::Transaction(e)) => Err(ExecError::Invalid(e)),
        Err(e) => Err(ExecError::Other(e.to_string())),
    }
}

/// Installs the execution layer's genesis system state (precompile markers, CREATE2 factory,
/// StylusDeployer, ArbOS state with the chain owner).
pub fn install_genesis(db: &mut DevDb, cfg: &ArbConfig) {
    devnode_exec::evm::install_genesis(db, cfg)
}
