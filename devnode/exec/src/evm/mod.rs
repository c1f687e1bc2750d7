//! The top layer of the execution crate and the seam used by the chain (`devnode`).
//!
//! * [`DevDb`] is the in-memory world state, [`DevCtx`] the concrete revm context (its `chain`
//!   field, [`ArbChain`], carries the chain configuration, the block extras, the
//!   per-transaction Stylus state and the nested-frame seam); they are defined in
//!   [`crate::context`] and re-exported here.
//! * [`nested`] runs nested frame loops (calls and creates made by Stylus programs and native
//!   system contracts); [`build_context`] installs them into the context's
//!   [`crate::context::Frames`] seam, which is how the lower layers reach them.
//! * [`transact`] / [`transact_with_inspector`] execute one transaction without committing.
//! * [`install_genesis`] writes the genesis system state.
//! * [`ArbPrecompiles`] is the dispatch point of every call frame: Ethereum precompiles (Osaka set,
//!   incl. P256VERIFY at 0x100), Arbitrum precompiles (0x64–0x73, 0xFF) and Stylus programs
//!   (code `EF F0 00 ..`, see [`crate::stylus`]).
//! * The RETURN opcode is wrapped so that code deposit exempts Stylus components from EIP-3541
//!   ([`is_stylus_component`]), exactly as Arbitrum's geth does.
//!
//! Genesis ownership: [`install_genesis`] installs the `0xFE` code at the Arbitrum precompile
//! addresses, the deterministic CREATE2 factory at [`CREATE2_FACTORY`], and the ArbOS state
//! (Stylus params, data pricer, chain owner) through [`crate::programs::install_genesis_state`].
//! The chain helper must not install the CREATE2 factory again (doing so is harmless).

pub mod nested;

use std::borrow::BorrowMut;

use crate::context::trace::TracedFrame;
pub use crate::context::{
    ArbChain, ArbConfig, BaseState, BlockContext, BlockHashes, DevCtx, DevDb, Frames,
    RecentPrograms, SharedState, DEV_ACCOUNT, DEV_ACCOUNT_GENESIS_NONCE, SEQUENCER_COINBASE, SPEC,
};
use crate::stylus::{self, StylusTxState};
use revm::bytecode::Bytecode;
use revm::context::result::{EVMError, InvalidTransaction, ResultAndState};
use revm::context::{BlockEnv, Context, Evm, JournalTr, TxEnv};
use revm::context_interface::block::BlobExcessGasAndPrice;
use revm::handler::instructions::EthInstructions;
use revm::handler::{EthFrame, EthPrecompiles, PrecompileProvider};
use revm::interpreter::instructions::control;
use revm::interpreter::interpreter::EthInterpreter;
use revm::interpreter::interpreter_types::LoopControl;
use revm::interpreter::{
    CallInputs, Host, Instruction, InstructionContext, InstructionExecResult, InterpreterAction,
    InterpreterResult,
};
use revm::primitives::hardfork::SpecId;
use revm::primitives::{address, Address, AddressSet, U256};
use revm::state::AccountInfo;
use revm::{ExecuteEvm, InspectEvm, Inspector};

/// Instruction table over a host `H` (`DevCtx` for the top-level loop, `&mut DevCtx` for nested
/// loops run from Stylus host functions).
pub type DevInstructions<H> = EthInstructions<EthInterpreter, H>;

/// The top-level EVM of the devnode with inspector `I`.
pub type DevEvm<I = ()> =
    Evm<DevCtx, I, DevInstructions<DevCtx>, ArbPrecompiles, EthFrame<EthInterpreter>>;

/// An EVM borrowing a running context (used for calls and creates made by Stylus programs and
/// native system contracts; see [`nested`]).
pub type NestedEvm<'a, I = ()> = Evm<
    &'a mut DevCtx,
    I,
    DevInstructions<&'a mut DevCtx>,
    ArbPrecompiles,
    EthFrame<EthInterpreter>,
>;

/// Error of [`transact`]: an invalid transaction (nonce, funds, gas limit, ...) or a fatal error.
pub type TransactError = EVMError<core::convert::Infallible, InvalidTransaction>;

/// Address of the deterministic CREATE2 factory (installed by [`install_genesis`]).
pub const CREATE2_FACTORY: Address = address!("4e59b44847b379578588920ca78fbf26c0b4956c");

/// Runtime code of the deterministic CREATE2 factory: calldata = salt(32) ‖ initcode, returns the
/// 20-byte address of the created contract (reverts if the create failed).
pub const CREATE2_FACTORY_CODE: &[u8] = &[
    0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xe0, 0x36, 0x01, 0x60, 0x00, 0x81, 0x60, 0x20, 0x82, 0x37, 0x80, 0x35, 0x82, 0x82, 0x34, 0xf5,
    0x80, 0x15, 0x15, 0x60, 0x39, 0x57, 0x81, 0x82, 0xfd, 0x5b, 0x80, 0x82, 0x52, 0x50, 0x50, 0x50,
    0x60, 0x14, 0x60, 0x0c, 0xf3,
];

/// ArbDebug precompile address (debug chains only).
pub const ARB_DEBUG: Address = address!("00000000000000000000000000000000000000ff");

/// Whether returned (deployed) code is a Stylus component exempt from EIP-3541 at `arbos_version`:
/// the classic prefix `EF F0 00` (ArbOS ≥ 30) or, from ArbOS 60, the fragment `EF F0 01` and root
/// `EF F0 02` prefixes — in each case strictly longer than the 3-byte discriminant.
pub fn is_stylus_component(code: &[u8], arbos_version: u64) -> bool {
    if code.len() <= 3 || code[0] != 0xEF || code[1] != 0xF0 {
        return false;
    }
    match code[2] {
        0x00 => arbos_version >= 30,
        0x01 | 0x02 => arbos_version >= 60,
        _ => false,
    }
}

/// Whether code is a *deployable* (executable) Stylus program: classic prefix, or root at ≥ 60.
pub fn is_stylus_program(code: &[u8], arbos_version: u64) -> bool {
    if code.len() <= 3 || code[0] != 0xEF || code[1] != 0xF0 {
        return false;
    }
    match code[2] {
        0x00 => arbos_version >= 30,
        0x02 => arbos_version >= 60,
        _ => false,
    }
}

/// Addresses of the Arbitrum precompiles present at `cfg` (0x64–0x73, 0xFF on debug chains).
pub fn arb_precompile_addresses(cfg: &ArbConfig) -> Vec<Address> {
    let mut v: Vec<Address> = (0x64u8..=0x72).map(Address::with_last_byte).collect();
    if cfg.arbos_version >= 41 {
        v.push(Address::with_last_byte(0x73));
    }
    if cfg.debug {
        v.push(ARB_DEBUG);
    }
    v
}

/// Precompile provider of the devnode: the dispatch point of every call frame.
///
/// Order: Arbitrum precompiles and native system contracts (`crate::precompiles::run`), then
/// Stylus programs (code `EF F0 00 ..`, and root programs `EF F0 02 ..` from ArbOS 60, see
/// [`crate::stylus::call_program`]), then Ethereum precompiles.
#[derive(Clone, Debug)]
pub struct ArbPrecompiles {
    eth: EthPrecompiles,
    arb: Vec<Address>,
    warm: AddressSet,
}

impl ArbPrecompiles {
    /// Provider for the given config.
    pub fn new(cfg: &ArbConfig) -> Self {
        let eth = EthPrecompiles::new(SPEC);
        let arb = arb_precompile_addresses(cfg);
        let mut me = Self {
            eth,
            arb,
            warm: AddressSet::default(),
        };
        me.rebuild_warm();
        me
    }

    fn rebuild_warm(&mut self) {
        let mut warm = self.eth.warm_addresses().clone();
        warm.extend(self.arb.iter().copied());
        self.warm = warm;
    }

    /// Whether `address` is an Arbitrum precompile.
    pub fn is_arb_precompile(&self, address: &Address) -> bool {
        self.arb.contains(address)
    }

    fn dispatch(
        &mut self,
        ctx: &mut DevCtx,
        inputs: &CallInputs,
    ) -> Result<Option<InterpreterResult>, String> {
        stylus::note_frame_start(ctx, inputs);
        if let Some(result) = crate::precompiles::run(ctx, inputs)? {
            return Ok(Some(result));
        }
        let code = inputs.known_bytecode.1.original_byte_slice();
        if is_stylus_program(code, ctx.chain.config.arbos_version) {
            return stylus::call_program(ctx, inputs).map(Some);
        }
        <EthPrecompiles as PrecompileProvider<DevCtx>>::run(&mut self.eth, ctx, inputs)
    }
}

impl PrecompileProvider<DevCtx> for ArbPrecompiles {
    type Output = InterpreterResult;

    fn set_spec(&mut self, spec: SpecId) -> bool {
        let changed = <EthPrecompiles as PrecompileProvider<DevCtx>>::set_spec(&mut self.eth, spec);
        if changed {
            self.rebuild_warm();
        }
        changed
    }

    fn run(
        &mut self,
        context: &mut DevCtx,
        inputs: &CallInputs,
    ) -> Result<Option<InterpreterResult>, String> {
        self.dispatch(context, inputs)
    }

    fn warm_addresses(&self) -> &AddressSet {
        &self.warm
    }
}

impl<'a> PrecompileProvider<&'a mut DevCtx> for ArbPrecompiles {
    type Output = InterpreterResult;

    fn set_spec(&mut self, spec: SpecId) -> bool {
        <Self as PrecompileProvider<DevCtx>>::set_spec(self, spec)
    }

    fn run(
        &mut self,
        context: &mut &'a mut DevCtx,
        inputs: &CallInputs,
    ) -> Result<Option<InterpreterResult>, String> {
        self.dispatch(context, inputs)
    }

    fn warm_addresses(&self) -> &AddressSet {
        &self.warm
    }
}

/// RETURN wrapper: runs the stock RETURN and then records whether the pending output is a
/// Stylus component, which turns EIP-3541 off for exactly that code deposit (`return_create`
/// runs right after the create frame's final RETURN and is the only reader of the flag).
fn return_with_stylus_exemption<H: Host + BorrowMut<DevCtx>>(
    ictx: InstructionContext<'_, H, EthInterpreter>,
) -> InstructionExecResult {
    let InstructionContext { interpreter, host } = ictx;
    let res = control::ret(InstructionContext {
        interpreter: &mut *interpreter,
        host: &mut *host,
    });
    let ctx: &mut DevCtx = (*host).borrow_mut();
    let exempt = match interpreter.bytecode.action() {
        Some(InterpreterAction::Return(r)) => {
            is_stylus_component(&r.output, ctx.chain.config.arbos_version)
        }
        _ => false,
    };
    ctx.cfg.disable_eip3541 = exempt;
    res
}

/// SELFDESTRUCT wrapper: reverts when the acting account's code is a Stylus component (an EVM
/// library delegatecalled from a Stylus program), as Arbitrum's geth does; otherwise the stock
/// SELFDESTRUCT.
fn selfdestruct_outside_stylus<H: Host + BorrowMut<DevCtx>>(
    ictx: InstructionContext<'_, H, EthInterpreter>,
) -> InstructionExecResult {
    let acting = ictx.interpreter.input.target_address;
    {
        let ctx: &mut DevCtx = (*ictx.host).borrow_mut();
        let arbos = ctx.chain.config.arbos_version;
        let Ok(code) = ctx.journaled_state.code(acting);
        if is_stylus_component(&code.data, arbos) {
            return Err(revm::interpreter::InstructionResult::Revert);
        }
    }
    revm::interpreter::instructions::host::selfdestruct(ictx)
}

/// The devnode instruction table for host `H` (stock table + the RETURN and SELFDESTRUCT
/// wrappers).
pub fn instructions<H: Host + BorrowMut<DevCtx>>() -> DevInstructions<H> {
    let mut table = DevInstructions::<H>::new_mainnet_with_spec(SPEC);
    let gas = table.gas_table()[0xF3];
    table.insert_instruction(
        0xF3,
        Instruction::new(return_with_stylus_exemption::<H>),
        gas,
    );
    let gas = table.gas_table()[0xFF];
    table.insert_instruction(
        0xFF,
        Instruction::new(selfdestruct_outside_stylus::<H>),
        gas,
    );
    table
}

/// Builds a context over `db` for one transaction.
pub fn build_context(db: DevDb, cfg: &ArbConfig, block: &BlockContext) -> DevCtx {
    let mut ctx: DevCtx = Context::new(db, SPEC);
    ctx.cfg.chain_id = cfg.chain_id;
    ctx.cfg.limit_contract_code_size = Some(cfg.max_code_size);
    ctx.cfg.tx_gas_limit_cap = Some(cfg.tx_gas_limit_cap);
    ctx.cfg.disable_eip3541 = false;
    ctx.block = BlockEnv {
        number: U256::from(block.l1_block_number),
        beneficiary: block.coinbase,
        timestamp: U256::from(block.timestamp),
        gas_limit: block.gas_limit,
        basefee: block.basefee,
        difficulty: U256::ZERO,
        prevrandao: Some(block.prevrandao),
        blob_excess_gas_and_price: Some(BlobExcessGasAndPrice::new(
            0,
            revm::primitives::eip4844::BLOB_BASE_FEE_UPDATE_FRACTION_PRAGUE,
        )),
        ..Default::default()
    };
    ctx.chain = ArbChain {
        config: cfg.clone(),
        block: block.clone(),
        stylus: StylusTxState {
            recent_programs: block.recent_programs.clone().unwrap_or_default(),
            ..StylusTxState::default()
        },
        frames: Frames {
            call: nested::nested_call,
            create: nested::nested_create,
        },
    };
    ctx
}

/// Builds the top-level EVM over `ctx` with inspector `inspector`.
pub fn build_evm<I>(ctx: DevCtx, inspector: I) -> DevEvm<I> {
    let precompiles = ArbPrecompiles::new(&ctx.chain.config);
    Evm::new_with_inspector(ctx, inspector, instructions::<DevCtx>(), precompiles)
}

/// Moves the database back into the caller's slot even if execution panics.
struct DbSlot<'a, I> {
    slot: &'a mut DevDb,
    evm: Option<DevEvm<I>>,
}

impl<I> Drop for DbSlot<'_, I> {
    fn drop(&mut self) {
        if let Some(evm) = self.evm.as_mut() {
            *self.slot = std::mem::take(&mut evm.ctx.journaled_state.database);
        }
    }
}

/// Executes one transaction on `db`. Does not commit: returns revm's [`ResultAndState`] (commit it
/// with `DatabaseCommit::commit`). Errors are invalid transactions (nonce, funds, ...). `db` may
/// gain cache entries for accounts that were read (CacheDB behaviour), never state changes.
pub fn transact(
    db: &mut DevDb,
    cfg: &ArbConfig,
    block: &BlockContext,
    tx: TxEnv,
) -> Result<ResultAndState, TransactError> {
    let ctx = build_context(std::mem::take(db), cfg, block);
    let mut guard = DbSlot {
        evm: Some(build_evm(ctx, ())),
        slot: db,
    };
    let evm = guard.evm.as_mut().expect("set above");
    evm.transact(tx)
}

/// [`transact`] with Stylus hostio recording on: also returns every Stylus invocation's hostio
/// records (`stylusTracer` data; see [`crate::stylus::trace`]). Frames called by another Stylus
/// program are nested inside the caller's call record; the others are listed in completion order.
pub fn transact_traced(
    db: &mut DevDb,
    cfg: &ArbConfig,
    block: &BlockContext,
    tx: TxEnv,
) -> Result<(ResultAndState, Vec<TracedFrame>), TransactError> {
    let mut ctx = build_context(std::mem::take(db), cfg, block);
    ctx.chain.stylus.trace.enabled = true;
    let mut guard = DbSlot {
        evm: Some(build_evm(ctx, ())),
        slot: db,
    };
    let evm = guard.evm.as_mut().expect("set above");
    let out = evm.transact(tx)?;
    let frames = std::mem::take(&mut evm.ctx.chain.stylus.trace.frames);
    Ok((out, frames))
}

/// [`transact`] with an inspector attached (tracing). Nested frames run by Stylus host functions
/// are not reported to the inspector (their logs are, in the Stylus frame's batch).
pub fn transact_with_inspector<I: Inspector<DevCtx>>(
    db: &mut DevDb,
    cfg: &ArbConfig,
    block: &BlockContext,
    tx: TxEnv,
    inspector: I,
) -> Result<(ResultAndState, I), TransactError> {
    let ctx = build_context(std::mem::take(db), cfg, block);
    let mut guard = DbSlot {
        evm: Some(build_evm(ctx, inspector)),
        slot: db,
    };
    let evm = guard.evm.as_mut().expect("set above");
    let result = evm.inspect_one_tx(tx);
    let state = evm.finalize();
    let result = result?;
    let mut evm = guard.evm.take().expect("set above");
    *guard.slot = std::mem::take(&mut evm.ctx.journaled_state.database);
    Ok((ResultAndState::new(result, state), evm.inspector))
}

/// Installs genesis system state: `0xFE` code at the Arbitrum precompile addresses and the
/// StylusDeployer (a native system contract), the CREATE2 factory, and the ArbOS state account (Stylus params with `cfg.max_stack_depth`, data pricer,
/// chain owner) via [`crate::programs::install_genesis_state`].
pub fn install_genesis(db: &mut DevDb, cfg: &ArbConfig) {
    let fe = Bytecode::new_raw(vec![0xFE].into());
    for a in crate::precompiles::genesis_code_addresses(cfg) {
        db.insert_account_info(a, AccountInfo::default().with_code(fe.clone()));
    }
    let factory = Bytecode::new_raw(CREATE2_FACTORY_CODE.to_vec().into());
    db.insert_account_info(CREATE2_FACTORY, AccountInfo::default().with_code(factory));
    crate::stylus::install_genesis_state(db, cfg, &[crate::precompiles::CACHE_MANAGER]);
    crate::precompiles::install_system_contracts(db);
}

/// Convenience for tests and tools: the journal depth of a running context.
pub fn depth(ctx: &DevCtx) -> usize {
    ctx.journaled_state.depth()
}

#[cfg(test)]
mod tests {
    use super::*;
    use revm::context::result::{ExecutionResult, HaltReason};
    use revm::database::DatabaseCommit;
    use revm::primitives::{keccak256, Bytes, TxKind, B256};

    const ALICE: Address = address!("00000000000000000000000000000000000a11ce");
    const BOB: Address = address!("0000000000000000000000000000000000000b0b");

    fn setup() -> (DevDb, ArbConfig, BlockContext) {
        let mut db = DevDb::default();
        let cfg = ArbConfig::default();
        install_genesis(&mut db, &cfg);
        db.insert_account_info(
            ALICE,
            AccountInfo {
                balance: U256::from(10u128.pow(21)),
                ..Default::default()
            },
        );
        (db, cfg, BlockContext::default())
    }

    fn tx(nonce: u64, kind: TxKind, data: Vec<u8>, value: U256) -> TxEnv {
        TxEnv::builder()
            .caller(ALICE)
            .kind(kind)
            .data(Bytes::from(data))
            .value(value)
            .nonce(nonce)
            .gas_limit(1_000_000)
            .gas_price(100_000_000)
            .chain_id(Some(412_346))
            .build()
            .unwrap()
    }

    /// Initcode that deploys `code` (< 256 bytes).
    fn deployer(code: &[u8]) -> Vec<u8> {
        let n = code.len() as u8;
        let mut v = vec![0x60, n, 0x80, 0x60, 11, 0x60, 0, 0x39, 0x60, 0, 0xf3];
        v.extend_from_slice(code);
        v
    }

    #[test]
    fn plain_transfer() {
        let (mut db, cfg, block) = setup();
        let out = transact(
            &mut db,
            &cfg,
            &block,
            tx(0, TxKind::Call(BOB), vec![], U256::from(7)),
        )
        .unwrap();
        assert!(out.result.is_success());
        assert_eq!(out.result.tx_gas_used(), 21_000);
        db.commit(out.state);
        assert_eq!(db.cache.accounts[&BOB].info.balance, U256::from(7));
    }

    #[test]
    fn eip3541_exempts_only_stylus_prefixes() {
        let (mut db, cfg, block) = setup();
        let stylus = [0xEF, 0xF0, 0x00, 0x00, 0x01, 0x02];
        let out = transact(
            &mut db,
            &cfg,
            &block,
            tx(0, TxKind::Create, deployer(&stylus), U256::ZERO),
        )
        .unwrap();
        let ExecutionResult::Success { .. } = out.result else {
            panic!("{:?}", out.result)
        };
        db.commit(out.state);
        let created = ALICE.create(0);
        let code = db.cache.accounts[&created].info.code.clone().unwrap();
        assert_eq!(code.original_byte_slice(), &stylus);

        for bad in [
            &[0xEF, 0x00, 0x01][..],
            &[0xEF, 0xF0, 0x00][..],
            &[0xEF, 0xF0, 0x01, 0x00][..],
        ] {
            let nonce = db.cache.accounts[&ALICE].info.nonce;
            let out = transact(
                &mut db,
                &cfg,
                &block,
                tx(nonce, TxKind::Create, deployer(bad), U256::ZERO),
            )
            .unwrap();
            assert!(
                matches!(
                    out.result,
                    ExecutionResult::Halt {
                        reason: HaltReason::CreateContractStartingWithEF,
                        ..
                    }
                ),
                "{bad:?}: {:?}",
                out.result
            );
            db.commit(out.state);
        }
    }

    #[test]
    fn create2_factory_deploys_at_the_expected_address() {
        let (mut db, cfg, block) = setup();
        let init = deployer(&[0x60, 0x2a, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3]);
        let salt = B256::with_last_byte(9);
        let mut data = salt.to_vec();
        data.extend_from_slice(&init);
        let out = transact(
            &mut db,
            &cfg,
            &block,
            tx(0, TxKind::Call(CREATE2_FACTORY), data, U256::ZERO),
        )
        .unwrap();
        let expected = CREATE2_FACTORY.create2(salt, keccak256(&init));
        assert_eq!(out.result.output().unwrap().as_ref(), expected.as_slice());
    }
}
