//! Transaction tracing (`debug_traceTransaction`, `debug_traceCall`, `debug_traceBlockBy*`) and
//! decoded revert reasons (issue 12).
//!
//! Tracers (all revm [`Inspector`]s written here, over the devnode's concrete context):
//! * [`stylus::StylusTracer`]: Nitro's `stylusTracer` (one record per hostio of every Stylus
//!   frame, `evm_*` placeholders for frames opened by EVM code, merged call records),
//! * [`call::CallTracer`]: geth's `callTracer` (+ Nitro's `beforeEVMTransfers` /
//!   `afterEVMTransfers` on the top frame),
//! * [`structlog::StructLogger`]: geth's default opcode logger (`structLogs`) for EVM frames.
//!
//! A trace runs on a private copy of the state (a replayed pre-state or the `eth_call` scratch
//! state) and is never committed: tracing changes no state.
//!
//! Frames run by Stylus host functions (calls and creates made from inside a program) go through
//! a second frame loop; [`run_inspected`] installs the tracer for those loops too
//! (`devnode_exec::evm::nested::with_inspector`), so every tracer sees them.

pub mod call;
pub mod revert;
pub mod structlog;
pub mod stylus;

use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::Rc;

use alloy::primitives::{Address, Log, B256, U256};
use alloy::rpc::types::state::StateOverride;
use alloy::rpc::types::TransactionRequest;
use revm::context::result::{EVMError, ExecutionResult};
use revm::context::TxEnv;
use revm::interpreter::interpreter::EthInterpreter;
use revm::interpreter::{CallInputs, CallOutcome, CreateInputs, CreateOutcome, Interpreter};
use revm::{InspectEvm, Inspector};
use serde_json::{json, Map, Value};

use crate::chain::{Chain, Scratch, StateSel};
use crate::config::TX_GAS_CAP;
use crate::error::{RpcError, RpcResult};
use crate::exec::{ArbConfig, BlockContext, DevDb, Mode};
use devnode_exec::evm::DevCtx;

/// Which tracer a request asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TracerKind {
    /// geth's default struct logger.
    StructLog(structlog::StructLogConfig),
    /// geth's `callTracer`.
    Call(call::CallConfig),
    /// Nitro's `stylusTracer`.
    Stylus,
    /// geth's `noopTracer` (`{}`).
    Noop,
}

/// Tracer names geth (and Nitro) know natively; any other `tracer` string is JavaScript source.
pub const NATIVE_TRACERS: &[&str] = &[
    "callTracer",
    "stylusTracer",
    "noopTracer",
    "prestateTracer",
    "4byteTracer",
    "flatCallTracer",
    "muxTracer",
    "erc7562Tracer",
];

fn bool_opt(obj: &Map<String, Value>, key: &str) -> RpcResult<bool> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(v) => Err(RpcError::invalid_params(format!(
            "invalid tracer option {key}: expected a boolean, got {v}"
        ))),
    }
}

/// Parses geth's tracing options object (`{tracer, tracerConfig, disableStack, ...}`).
/// Unknown tracer names, JavaScript tracers and malformed options are JSON-RPC errors.
pub fn parse_options(options: Option<&Value>) -> RpcResult<TracerKind> {
    let empty = Map::new();
    let obj = match options {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(o)) => o,
        Some(v) => {
            return Err(RpcError::invalid_params(format!(
                "invalid tracing options: expected an object, got {v}"
            )))
        }
    };
    if let Some(t) = obj.get("timeout") {
        if !t.is_string() && !t.is_null() {
            return Err(RpcError::invalid_params(
                "invalid tracing option timeout: expected a duration string",
            ));
        }
    }
    let config = match obj.get("tracerConfig") {
        None | Some(Value::Null) => empty.clone(),
        Some(Value::Object(o)) => o.clone(),
        Some(v) => {
            return Err(RpcError::invalid_params(format!(
                "invalid tracerConfig: expected an object, got {v}"
            )))
        }
    };
    let tracer = match obj.get("tracer") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.as_str()),
        Some(v) => {
            return Err(RpcError::invalid_params(format!(
                "invalid tracer: expected a string, got {v}"
            )))
        }
    };
    match tracer {
        None | Some("") => {
            // geth: memory is off unless enableMemory (or the legacy disableMemory: false).
            let memory = match (obj.get("enableMemory"), obj.get("disableMemory")) {
                (Some(_), _) => bool_opt(obj, "enableMemory")?,
                (None, Some(_)) => !bool_opt(obj, "disableMemory")?,
                (None, None) => false,
            };
            let return_data = match (obj.get("enableReturnData"), obj.get("disableReturnData")) {
                (Some(_), _) => bool_opt(obj, "enableReturnData")?,
                (None, Some(_)) => !bool_opt(obj, "disableReturnData")?,
                (None, None) => false,
            };
            let limit = match obj.get("limit") {
                None | Some(Value::Null) => 0,
                Some(v) => v.as_u64().ok_or_else(|| {
                    RpcError::invalid_params(format!("invalid tracing option limit: {v}"))
                })?,
            };
            Ok(TracerKind::StructLog(structlog::StructLogConfig {
                stack: !bool_opt(obj, "disableStack")?,
                storage: !bool_opt(obj, "disableStorage")?,
                memory,
                return_data,
                limit,
            }))
        }
        Some("callTracer") => {
            for k in config.keys() {
                if k != "onlyTopCall" && k != "withLog" {
                    return Err(RpcError::invalid_params(format!(
                        "invalid callTracer config: unknown field {k:?} (expected onlyTopCall, withLog)"
                    )));
                }
            }
            Ok(TracerKind::Call(call::CallConfig {
                only_top_call: bool_opt(&config, "onlyTopCall")?,
                with_log: bool_opt(&config, "withLog")?,
            }))
        }
        // Nitro ignores tracerConfig for the stylusTracer.
        Some("stylusTracer") => Ok(TracerKind::Stylus),
        Some("noopTracer") => Ok(TracerKind::Noop),
        Some(name) if NATIVE_TRACERS.contains(&name) => Err(RpcError::invalid_params(format!(
            "tracer {name} is not supported by the devnode (supported: callTracer, stylusTracer, \
             noopTracer, and the default struct logger)"
        ))),
        // -32004: the method exists, JavaScript tracing does not (geth's code for unsupported).
        Some(_) => Err(RpcError::new(
            crate::error::UNSUPPORTED,
            "JavaScript tracers are not supported by the devnode: use a native tracer \
             (stylusTracer, callTracer; with cargo stylus: pass --use-native-tracer / -u)",
        )),
    }
}

/// A shared inspector handle: the top-level EVM and the nested frame loops run from Stylus host
/// functions all report to the same tracer.
pub struct Shared<T>(pub Rc<RefCell<T>>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Self(Rc::clone(&self.0))
    }
}

impl<T: Inspector<DevCtx>> Inspector<DevCtx> for Shared<T> {
    fn initialize_interp(&mut self, interp: &mut Interpreter<EthInterpreter>, ctx: &mut DevCtx) {
        self.0.borrow_mut().initialize_interp(interp, ctx)
    }
    fn step(&mut self, interp: &mut Interpreter<EthInterpreter>, ctx: &mut DevCtx) {
        self.0.borrow_mut().step(interp, ctx)
    }
    fn step_end(&mut self, interp: &mut Interpreter<EthInterpreter>, ctx: &mut DevCtx) {
        self.0.borrow_mut().step_end(interp, ctx)
    }
    fn log(&mut self, ctx: &mut DevCtx, log: Log) {
        self.0.borrow_mut().log(ctx, log)
    }
    fn log_full(&mut self, interp: &mut Interpreter<EthInterpreter>, ctx: &mut DevCtx, log: Log) {
        self.0.borrow_mut().log_full(interp, ctx, log)
    }
    fn call(&mut self, ctx: &mut DevCtx, inputs: &mut CallInputs) -> Option<CallOutcome> {
        self.0.borrow_mut().call(ctx, inputs)
    }
    fn call_end(&mut self, ctx: &mut DevCtx, inputs: &CallInputs, outcome: &mut CallOutcome) {
        self.0.borrow_mut().call_end(ctx, inputs, outcome)
    }
    fn create(&mut self, ctx: &mut DevCtx, inputs: &mut CreateInputs) -> Option<CreateOutcome> {
        self.0.borrow_mut().create(ctx, inputs)
    }
    fn create_end(&mut self, ctx: &mut DevCtx, inputs: &CreateInputs, outcome: &mut CreateOutcome) {
        self.0.borrow_mut().create_end(ctx, inputs, outcome)
    }
    fn selfdestruct(&mut self, contract: Address, target: Address, value: U256) {
        self.0.borrow_mut().selfdestruct(contract, target, value)
    }
}

/// What a traced execution produced besides the tracer's own data.
pub struct Traced {
    /// revm's result (the state changes are dropped).
    pub result: ExecutionResult,
    /// The transaction environment that ran.
    pub tx: TxEnv,
    /// Gas price actually paid (the tip is dropped, as on Arbitrum).
    pub effective_gas_price: u128,
}

/// Executes `tx` on `db` (a private copy: nothing is committed) with `inspector` attached and
/// Stylus hostio recording on. Frames opened by Stylus programs reach the inspector too.
pub fn run_inspected<T: Inspector<DevCtx> + 'static>(
    db: DevDb,
    cfg: &ArbConfig,
    block: &BlockContext,
    tx: TxEnv,
    mode: Mode,
    inspector: T,
) -> RpcResult<(Traced, T)> {
    let shared = Shared(Rc::new(RefCell::new(inspector)));
    let handle = shared.clone();
    let caller = tx.caller;
    let outcome = catch_unwind(AssertUnwindSafe(move || {
        let mut ctx = devnode_exec::evm::build_context(db, cfg, block);
        ctx.chain.stylus.trace.enabled = true;
        if mode != Mode::Transaction {
            ctx.cfg.disable_eip3607 = true;
        }
        if mode == Mode::Call {
            ctx.cfg.disable_nonce_check = true;
            ctx.cfg.disable_base_fee = true;
        }
        let mut evm = devnode_exec::evm::build_evm(ctx, handle.clone());
        let nested: Rc<RefCell<dyn Inspector<DevCtx>>> = handle.0.clone();
        let result = nested_scope(nested, || evm.inspect_one_tx(tx.clone()));
        let effective_gas_price = if tx.tx_type >= 2 {
            tx.gas_price.min(u128::from(block.basefee))
        } else {
            tx.gas_price
        };
        result.map(|result| Traced {
            result,
            tx,
            effective_gas_price,
        })
    }));
    let traced = match outcome {
        Ok(Ok(t)) => t,
        Ok(Err(EVMError::Transaction(e))) => return Err(crate::chain::invalid_tx_error(caller, e)),
        Ok(Err(e)) => return Err(RpcError::internal(e.to_string())),
        Err(p) => {
            return Err(RpcError::internal(format!(
                "tracing panicked: {}",
                crate::chain::panic_message(&p)
            )))
        }
    };
    let inspector = Rc::try_unwrap(shared.0)
        .map_err(|_| RpcError::internal("tracer still borrowed after execution"))?
        .into_inner();
    Ok((traced, inspector))
}

/// Makes `inspector` the inspector of nested frame loops while `f` runs.
fn nested_scope<R>(inspector: Rc<RefCell<dyn Inspector<DevCtx>>>, f: impl FnOnce() -> R) -> R {
    devnode_exec::evm::nested::with_inspector(inspector, f)
}

/// Runs the tracer `kind` over one transaction and renders its JSON result.
pub fn trace_one(
    db: DevDb,
    cfg: &ArbConfig,
    block: &BlockContext,
    tx: TxEnv,
    mode: Mode,
    kind: &TracerKind,
) -> RpcResult<Value> {
    match kind {
        TracerKind::Noop => {
            run_inspected(db, cfg, block, tx, mode, NoopInspector)?;
            Ok(Value::Object(Map::new()))
        }
        TracerKind::Stylus => {
            let (_, t) = run_inspected(db, cfg, block, tx, mode, stylus::StylusTracer::default())?;
            t.into_json()
        }
        TracerKind::Call(config) => {
            let (traced, t) = run_inspected(
                db,
                cfg,
                block,
                tx,
                mode,
                call::CallTracer::new(config.clone()),
            )?;
            Ok(t.into_json(&traced))
        }
        TracerKind::StructLog(config) => {
            let (traced, t) = run_inspected(
                db,
                cfg,
                block,
                tx,
                mode,
                structlog::StructLogger::new(config.clone()),
            )?;
            Ok(t.into_json(&traced))
        }
    }
}

/// An inspector that records nothing (`noopTracer`).
#[derive(Clone, Copy, Debug, Default)]
pub struct NoopInspector;

impl Inspector<DevCtx> for NoopInspector {}

/// geth's per-transaction entry of `debug_traceBlock*`.
fn block_entry(hash: B256, result: RpcResult<Value>) -> Value {
    match result {
        Ok(v) => json!({"txHash": hash, "result": v}),
        Err(e) => json!({"txHash": hash, "error": e.message}),
    }
}

/// `debug_traceCall`: runs `req` as `eth_call` does (block tag, state overrides) under the
/// tracer `kind`, on the chain or on the read snapshot.
pub fn trace_call<S: Scratch>(
    s: &mut S,
    req: TransactionRequest,
    sel: StateSel,
    overrides: Option<StateOverride>,
    kind: &TracerKind,
) -> RpcResult<Value> {
    let chain_id = s.chain_id();
    s.with_scratch(sel, |ws, settings, info| {
        crate::chain::apply_overrides(ws, overrides)?;
        let env = crate::chain::call_env(ws, &req, chain_id, TX_GAS_CAP)?;
        trace_one(ws.db.clone(), settings, info, env, Mode::Call, kind)
    })
}

impl Chain {
    /// `debug_traceTransaction`: re-executes a mined transaction on its exact pre-state under
    /// the tracer `kind`.
    pub fn trace_transaction(&self, hash: B256, kind: &TracerKind) -> RpcResult<Value> {
        let r = self.replay_setup(hash)?;
        trace_one(r.db, &r.config, &r.block, r.tx, r.mode, kind)
    }

    /// `debug_traceCall` on the execution thread (any block tag); see [`trace_call`].
    pub fn trace_call(
        &mut self,
        req: TransactionRequest,
        sel: StateSel,
        overrides: Option<StateOverride>,
        kind: &TracerKind,
    ) -> RpcResult<Value> {
        trace_call(self, req, sel, overrides, kind)
    }

    /// `debug_traceBlockByNumber` / `debug_traceBlockByHash`: every transaction of block
    /// `number`, in order (`[{txHash, result}]`).
    pub fn trace_block(&self, number: u64, kind: &TracerKind) -> RpcResult<Value> {
        let block = self
            .block(number)
            .ok_or_else(|| RpcError::not_found(format!("block #{number} not found")))?;
        let hashes: Vec<B256> = block.txs.iter().map(|t| t.hash).collect();
        let mut out = Vec::with_capacity(hashes.len());
        for hash in hashes {
            let result = self.trace_transaction(hash, kind);
            if let Err(e) = &result {
                if e.code == crate::error::RESOURCE_NOT_FOUND {
                    return Err(e.clone());
                }
            }
            out.push(block_entry(hash, result));
        }
        Ok(Value::Array(out))
    }
}
