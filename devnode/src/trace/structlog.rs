//! geth's default tracer (the struct logger): one `structLogs` entry per EVM opcode, with the
//! `disableStack`, `disableStorage`, `enableMemory`/`disableMemory` and `enableReturnData`
//! options, as anvil serves it. Stylus frames run no opcodes and add no entries (use the
//! `stylusTracer` for them).

use std::collections::{BTreeMap, HashMap};

use alloy::primitives::{Address, Bytes, B256, U256};
use alloy::rpc::types::trace::geth::{DefaultFrame, StructLog};
use revm::bytecode::opcode::OpCode;
use revm::context::{ContextTr, JournalTr};
use revm::interpreter::interpreter::EthInterpreter;
use revm::interpreter::interpreter_types::{InputsTr, Jumps, MemoryTr, ReturnData};
use revm::interpreter::Interpreter;
use revm::Inspector;
use serde_json::Value;

use super::Traced;
use devnode_exec::evm::DevCtx;

/// Options of the struct logger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StructLogConfig {
    /// Record the stack (`disableStack` off).
    pub stack: bool,
    /// Record storage touched by SLOAD/SSTORE (`disableStorage` off).
    pub storage: bool,
    /// Record memory (`enableMemory`; off by default as in geth).
    pub memory: bool,
    /// Record the return data buffer (`enableReturnData`).
    pub return_data: bool,
    /// Maximum number of entries (0 = unlimited).
    pub limit: u64,
}

impl Default for StructLogConfig {
    fn default() -> Self {
        Self {
            stack: true,
            storage: true,
            memory: false,
            return_data: false,
            limit: 0,
        }
    }
}

/// An entry whose opcode is running: its index in `logs`, the gas before it, and the slot of a
/// pending SLOAD (its value is known after the opcode ran).
#[derive(Debug)]
struct OpenStep {
    index: usize,
    gas_before: u64,
    sload: Option<(Address, B256)>,
}

/// The struct logger inspector.
#[derive(Debug, Default)]
pub struct StructLogger {
    config: StructLogConfig,
    logs: Vec<StructLog>,
    /// Storage seen so far per contract (geth shows the contract's map on SLOAD/SSTORE).
    storage: HashMap<Address, BTreeMap<B256, B256>>,
    /// Entries whose opcode is running.
    open: Vec<OpenStep>,
}

impl StructLogger {
    /// A logger with `config`.
    pub fn new(config: StructLogConfig) -> Self {
        Self {
            config,
            ..Self::default()
        }
    }

    /// Renders geth's `{failed, gas, returnValue, structLogs}`.
    pub fn into_json(self, traced: &Traced) -> Value {
        let frame = DefaultFrame {
            failed: !traced.result.is_success(),
            gas: traced.result.tx_gas_used(),
            return_value: traced.result.output().cloned().unwrap_or_default(),
            struct_logs: self.logs,
        };
        serde_json::to_value(frame).unwrap_or(Value::Null)
    }
}

impl Inspector<DevCtx> for StructLogger {
    fn step(&mut self, interp: &mut Interpreter<EthInterpreter>, ctx: &mut DevCtx) {
        if self.config.limit != 0 && self.logs.len() as u64 >= self.config.limit {
            self.open.push(OpenStep {
                index: usize::MAX,
                gas_before: 0,
                sload: None,
            });
            return;
        }
        let op = interp.bytecode.opcode();
        let name = OpCode::new(op)
            .map(|o| o.as_str())
            .unwrap_or("opcode 0xfe not defined");
        let gas = interp.gas.remaining();
        let stack = self.config.stack.then(|| interp.stack.data().to_vec());
        let memory = self.config.memory.then(|| {
            let mem = interp.memory.slice(0..interp.memory.size());
            mem.chunks(32)
                .map(|c| {
                    let mut w = [0u8; 32];
                    w[..c.len()].copy_from_slice(c);
                    alloy::primitives::hex::encode(w)
                })
                .collect::<Vec<_>>()
        });
        let return_data = self
            .config
            .return_data
            .then(|| Bytes::copy_from_slice(interp.return_data.buffer()));
        let address = interp.input.target_address();
        let data = interp.stack.data();
        let mut storage = None;
        let mut pending = None;
        if self.config.storage {
            if op == 0x54 && !data.is_empty() {
                // SLOAD: the value is known after the opcode ran.
                pending = Some((address, B256::from(data[data.len() - 1])));
            } else if op == 0x55 && data.len() >= 2 {
                let key = B256::from(data[data.len() - 1]);
                let value = B256::from(data[data.len() - 2]);
                let map = self.storage.entry(address).or_default();
                map.insert(key, value);
                storage = Some(map.clone());
            }
        }
        let refund = interp.gas.refunded();
        self.logs.push(StructLog {
            pc: interp.bytecode.pc() as u64,
            op: name.into(),
            gas,
            gas_cost: 0,
            depth: ctx.journal_mut().depth() as u64,
            error: None,
            stack,
            return_data,
            memory,
            memory_size: None,
            storage,
            refund_counter: (refund > 0).then_some(refund as u64),
        });
        self.open.push(OpenStep {
            index: self.logs.len() - 1,
            gas_before: gas,
            sload: pending,
        });
    }

    fn step_end(&mut self, interp: &mut Interpreter<EthInterpreter>, _ctx: &mut DevCtx) {
        let Some(OpenStep {
            index,
            gas_before,
            sload,
        }) = self.open.pop()
        else {
            return;
        };
        let Some(entry) = self.logs.get_mut(index) else {
            return;
        };
        entry.gas_cost = gas_before.saturating_sub(interp.gas.remaining());
        if let Some((address, key)) = sload {
            let value = interp.stack.data().last().copied().unwrap_or(U256::ZERO);
            let map = self.storage.entry(address).or_default();
            map.insert(key, B256::from(value));
            entry.storage = Some(map.clone());
        }
    }
}
