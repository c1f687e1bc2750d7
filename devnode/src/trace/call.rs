//! geth's `callTracer` (with Nitro's `beforeEVMTransfers` / `afterEVMTransfers` on the top frame).
//!
//! Every frame is reported: EVM frames, Stylus frames (a Stylus program runs as the frame of its
//! address) and the calls and creates a Stylus program makes from inside (nested frame loops).
//! Logs (`withLog`) belong to the frame that emitted them; a Stylus frame's own logs arrive in one
//! batch when it returns, which also repeats the logs of its nested frames, so the batch is
//! de-duplicated by journal position. Logs of failed frames are dropped, as geth does.

use std::collections::BTreeSet;

use alloy::primitives::{Address, Bytes, Log, U256};
use alloy::rpc::types::trace::geth::{CallFrame, CallLogFrame};
use revm::context::{ContextTr, JournalTr};
use revm::interpreter::interpreter::EthInterpreter;
use revm::interpreter::{
    CallInputs, CallOutcome, CallScheme, CreateInputs, CreateOutcome, CreateScheme,
    InstructionResult, Interpreter,
};
use revm::Inspector;
use serde_json::{json, Value};

use super::Traced;
use devnode_exec::evm::DevCtx;

/// `tracerConfig` of the `callTracer`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallConfig {
    /// Only the top frame (no `calls`).
    pub only_top_call: bool,
    /// Include `logs`.
    pub with_log: bool,
}

#[derive(Debug)]
struct Frame {
    frame: CallFrame,
    /// Journal log count when the frame started.
    log_start: usize,
    /// Journal position of the next log of a batch reported when the frame returns.
    batch_next: usize,
}

/// The `callTracer` inspector.
#[derive(Debug, Default)]
pub struct CallTracer {
    config: CallConfig,
    stack: Vec<Frame>,
    root: Option<CallFrame>,
    /// Journal positions of logs already attributed to a frame.
    claimed: BTreeSet<usize>,
    /// Capture counter of logs.
    log_seq: u64,
}

/// geth's error text for a failed frame.
pub fn error_text(r: InstructionResult) -> String {
    use InstructionResult as R;
    match r {
        r if r.is_revert() => "execution reverted".into(),
        R::OutOfGas
        | R::MemoryOOG
        | R::MemoryLimitOOG
        | R::PrecompileOOG
        | R::InvalidOperandOOG
        | R::ReentrancySentryOOG => "out of gas".into(),
        R::OpcodeNotFound | R::InvalidFEOpcode => "invalid opcode".into(),
        R::InvalidJump => "invalid jump destination".into(),
        R::CallTooDeep => "max call depth exceeded".into(),
        R::OutOfFunds => "insufficient balance for transfer".into(),
        R::CreateCollision => "contract address collision".into(),
        R::StackUnderflow => "stack underflow".into(),
        R::StackOverflow => "stack limit reached 1024 (1023)".into(),
        R::StateChangeDuringStaticCall => "write protection".into(),
        R::CreateContractSizeLimit => "max code size exceeded".into(),
        R::CreateContractStartingWithEF => "invalid code: must not begin with 0xef".into(),
        R::OutOfOffset => "return data out of bounds".into(),
        R::PrecompileError => "precompile failed".into(),
        other => format!("{other:?}"),
    }
}

fn call_type(scheme: CallScheme) -> &'static str {
    match scheme {
        CallScheme::Call => "CALL",
        CallScheme::CallCode => "CALLCODE",
        CallScheme::DelegateCall => "DELEGATECALL",
        CallScheme::StaticCall => "STATICCALL",
    }
}

impl CallTracer {
    /// A tracer with `config`.
    pub fn new(config: CallConfig) -> Self {
        Self {
            config,
            ..Self::default()
        }
    }

    fn push(&mut self, ctx: &mut DevCtx, frame: CallFrame) {
        let log_start = ctx.journal_mut().logs().len();
        self.stack.push(Frame {
            frame,
            log_start,
            batch_next: log_start,
        });
    }

    fn pop(&mut self, result: InstructionResult, gas_used: u64, output: Bytes) {
        let Some(Frame {
            mut frame,
            log_start,
            ..
        }) = self.stack.pop()
        else {
            return;
        };
        frame.gas_used = U256::from(gas_used);
        if result.is_ok() {
            frame.output = Some(output);
        } else {
            if result.is_revert() {
                frame.revert_reason = super::revert::reason_for_trace(&output);
                frame.output = Some(output);
            }
            frame.error = Some(error_text(result));
            // Positions at or after the frame's start may be reused by later logs.
            self.claimed.retain(|&i| i < log_start);
        }
        match self.stack.last_mut() {
            Some(parent) => parent.frame.calls.push(frame),
            None => self.root = Some(frame),
        }
    }

    fn add_log(&mut self, log: Log) {
        let seq = self.log_seq;
        self.log_seq += 1;
        if let Some(top) = self.stack.last_mut() {
            let position = top.frame.calls.len() as u64;
            top.frame.logs.push(CallLogFrame {
                address: Some(log.address),
                topics: Some(log.topics().to_vec()),
                data: Some(log.data.data.clone()),
                position: Some(position),
                index: Some(seq),
            });
        }
    }

    /// Renders the result (geth's JSON plus Nitro's transfer lists on the top frame).
    pub fn into_json(self, traced: &Traced) -> Value {
        let mut root = self.root.unwrap_or_default();
        root.gas = U256::from(traced.tx.gas_limit);
        root.gas_used = U256::from(traced.result.tx_gas_used());
        if self.config.only_top_call {
            root.calls.clear();
        }
        finish_logs(&mut root, self.config.with_log);
        let mut value = serde_json::to_value(&root).unwrap_or(Value::Null);
        let price = U256::from(traced.effective_gas_price);
        let sender = traced.tx.caller;
        let limit = U256::from(traced.tx.gas_limit);
        let used = U256::from(traced.result.tx_gas_used());
        if let Value::Object(map) = &mut value {
            map.insert(
                "beforeEVMTransfers".into(),
                json!([{"purpose": "feePayment", "from": sender, "to": null, "value": limit * price}]),
            );
            map.insert(
                "afterEVMTransfers".into(),
                json!([{"purpose": "gasRefund", "from": null, "to": sender, "value": (limit - used.min(limit)) * price}]),
            );
        }
        value
    }
}

/// Drops logs of failed frames (and of everything under them) and numbers the others in
/// emission order (`index`; capture order is kept in `index` until then).
fn finish_logs(root: &mut CallFrame, with_log: bool) {
    fn prune(frame: &mut CallFrame, parent_failed: bool, with_log: bool, seen: &mut Vec<u64>) {
        let failed = parent_failed || frame.error.is_some();
        if failed || !with_log {
            frame.logs.clear();
        }
        seen.extend(frame.logs.iter().filter_map(|l| l.index));
        for c in &mut frame.calls {
            prune(c, failed, with_log, seen);
        }
    }
    fn renumber(frame: &mut CallFrame, order: &[u64]) {
        for l in &mut frame.logs {
            l.index = l
                .index
                .and_then(|seq| order.binary_search(&seq).ok())
                .map(|i| i as u64);
        }
        for c in &mut frame.calls {
            renumber(c, order);
        }
    }
    let mut seen = Vec::new();
    prune(root, false, with_log, &mut seen);
    seen.sort_unstable();
    renumber(root, &seen);
}

impl Inspector<DevCtx> for CallTracer {
    fn call(&mut self, ctx: &mut DevCtx, inputs: &mut CallInputs) -> Option<CallOutcome> {
        let with_value = matches!(inputs.scheme, CallScheme::Call | CallScheme::CallCode);
        let frame = CallFrame {
            from: inputs.caller,
            gas: U256::from(inputs.gas_limit),
            to: Some(inputs.target_address),
            input: inputs.input.bytes(ctx),
            value: with_value.then(|| inputs.call_value()),
            typ: call_type(inputs.scheme).into(),
            ..CallFrame::default()
        };
        self.push(ctx, frame);
        None
    }

    fn call_end(&mut self, _ctx: &mut DevCtx, inputs: &CallInputs, outcome: &mut CallOutcome) {
        let r = outcome.instruction_result();
        let remaining = if r.is_ok_or_revert() {
            outcome.gas().remaining()
        } else {
            0
        };
        let used = inputs.gas_limit.saturating_sub(remaining);
        self.pop(*r, used, outcome.output().clone());
    }

    fn create(&mut self, ctx: &mut DevCtx, inputs: &mut CreateInputs) -> Option<CreateOutcome> {
        let typ = match inputs.scheme() {
            CreateScheme::Create2 { .. } => "CREATE2",
            _ => "CREATE",
        };
        let frame = CallFrame {
            from: inputs.caller(),
            gas: U256::from(inputs.gas_limit()),
            input: inputs.init_code().clone(),
            value: Some(inputs.value()),
            typ: typ.into(),
            ..CallFrame::default()
        };
        self.push(ctx, frame);
        None
    }

    fn create_end(
        &mut self,
        _ctx: &mut DevCtx,
        inputs: &CreateInputs,
        outcome: &mut CreateOutcome,
    ) {
        if let Some(top) = self.stack.last_mut() {
            top.frame.to = outcome.address;
        }
        let r = *outcome.instruction_result();
        let remaining = if r.is_ok_or_revert() {
            outcome.gas().remaining()
        } else {
            0
        };
        let used = inputs.gas_limit().saturating_sub(remaining);
        self.pop(r, used, outcome.output().clone());
    }

    fn log_full(&mut self, _interp: &mut Interpreter<EthInterpreter>, ctx: &mut DevCtx, log: Log) {
        // A LOG opcode: the log is the last one in the journal.
        let idx = ctx.journal_mut().logs().len().saturating_sub(1);
        self.claimed.insert(idx);
        self.add_log(log);
    }

    fn log(&mut self, _ctx: &mut DevCtx, log: Log) {
        // A batch reported when a precompile or Stylus frame returns, in journal order.
        let Some(top) = self.stack.last_mut() else {
            return;
        };
        let idx = top.batch_next;
        top.batch_next += 1;
        if self.claimed.insert(idx) {
            self.add_log(log);
        }
    }

    fn selfdestruct(&mut self, contract: Address, target: Address, value: U256) {
        if let Some(top) = self.stack.last_mut() {
            top.frame.calls.push(CallFrame {
                from: contract,
                to: Some(target),
                value: Some(value),
                typ: "SELFDESTRUCT".into(),
                ..CallFrame::default()
            });
        }
    }
}
