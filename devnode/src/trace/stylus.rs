//! Nitro's `stylusTracer` (format: /work/shared/stylus-tracer-notes.md).
//!
//! The Stylus runtime records every hostio of every Stylus frame (`ctx.chain.stylus.trace`,
//! see `devnode_exec::stylus::trace`). This inspector adds the EVM side: each frame entered at
//! depth ≥ 1 becomes a placeholder (`evm_call_contract`, `evm_delegate_call_contract`,
//! `evm_static_call_contract`, `evm_create1`, `evm_create2`, `evm_self_destruct`, `""` for
//! CALLCODE) whose `steps` are what ran inside it. When the frame's caller is a Stylus program,
//! its `call_contract` / `delegate_call_contract` / `static_call_contract` record replaces the
//! placeholder (own name, args, outs and ink; the placeholder's address and steps); `create1` /
//! `create2` records follow their `evm_create*` placeholder as siblings. The depth-0 frame has no
//! entry: a Stylus target's hostios are the top-level list.

use alloy::primitives::{hex, Address, U256};
use revm::interpreter::{
    CallInputs, CallOutcome, CallScheme, CreateInputs, CreateOutcome, CreateScheme,
};
use revm::Inspector;
use serde_json::{json, Value};

use crate::error::RpcResult;
use devnode_exec::evm::DevCtx;
use devnode_exec::stylus::trace::HostioRecord;

/// One entry of the result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Hostio or placeholder name.
    pub name: String,
    /// Arguments (Nitro's encoding).
    pub args: Vec<u8>,
    /// Outputs (Nitro's encoding).
    pub outs: Vec<u8>,
    /// Ink before the hostio.
    pub start_ink: u64,
    /// Ink after the hostio.
    pub end_ink: u64,
    /// Callee of a frame entry.
    pub address: Option<Address>,
    /// What ran inside a frame entry.
    pub steps: Option<Vec<Entry>>,
}

impl Entry {
    fn placeholder(name: &str, address: Address, steps: Vec<Entry>) -> Self {
        Self {
            name: name.into(),
            args: Vec::new(),
            outs: Vec::new(),
            start_ink: 0,
            end_ink: 0,
            address: Some(address),
            steps: Some(steps),
        }
    }

    fn from_record(r: HostioRecord) -> Self {
        Self {
            name: r.name.into(),
            args: r.args,
            outs: r.outs,
            start_ink: r.start_ink,
            end_ink: r.end_ink,
            address: r.address,
            steps: r
                .steps
                .map(|s| s.into_iter().map(Entry::from_record).collect()),
        }
    }

    /// Nitro's JSON (field order: name, args, outs, startInk, endInk, address, steps).
    pub fn to_json(&self) -> Value {
        let mut m = serde_json::Map::new();
        m.insert("name".into(), json!(self.name));
        m.insert("args".into(), json!(hex::encode_prefixed(&self.args)));
        m.insert("outs".into(), json!(hex::encode_prefixed(&self.outs)));
        m.insert("startInk".into(), json!(self.start_ink));
        m.insert("endInk".into(), json!(self.end_ink));
        if let Some(a) = self.address {
            m.insert("address".into(), json!(hex::encode_prefixed(a.as_slice())));
        }
        if let Some(steps) = &self.steps {
            m.insert(
                "steps".into(),
                Value::Array(steps.iter().map(Entry::to_json).collect()),
            );
        }
        Value::Object(m)
    }
}

#[derive(Debug)]
struct Node {
    name: &'static str,
    address: Address,
    /// Length of the runtime's finished-frame list when the frame started.
    mark: usize,
    children: Vec<Entry>,
}

/// The `stylusTracer` inspector.
#[derive(Debug, Default)]
pub struct StylusTracer {
    stack: Vec<Node>,
    result: Vec<Entry>,
}

fn is_call_record(name: &str) -> bool {
    matches!(
        name,
        "call_contract" | "delegate_call_contract" | "static_call_contract"
    )
}

/// Merges a Stylus frame's hostio records with the frames it opened (in order).
fn merge(records: Vec<HostioRecord>, children: Vec<Entry>) -> Vec<Entry> {
    let mut children = children.into_iter();
    let mut out = Vec::with_capacity(records.len());
    for r in records {
        if is_call_record(r.name) {
            let mut e = Entry::from_record(r);
            if let Some(child) = children.next() {
                e.address = e.address.or(child.address);
                let child_steps = child.steps.unwrap_or_default();
                if !child_steps.is_empty() || e.steps.is_none() {
                    e.steps = Some(child_steps);
                }
            } else {
                e.steps.get_or_insert_with(Vec::new);
            }
            out.push(e);
        } else if r.name == "create1" || r.name == "create2" {
            if let Some(child) = children.next() {
                out.push(child);
            }
            out.push(Entry::from_record(r));
        } else {
            out.push(Entry::from_record(r));
        }
    }
    out.extend(children);
    out
}

impl StylusTracer {
    fn open(&mut self, ctx: &DevCtx, name: &'static str, address: Address) {
        self.stack.push(Node {
            name,
            address,
            mark: ctx.chain.stylus.trace.frames.len(),
            children: Vec::new(),
        });
    }

    fn close(&mut self, ctx: &mut DevCtx, address: Option<Address>) {
        let Some(node) = self.stack.pop() else {
            return;
        };
        let frames = &mut ctx.chain.stylus.trace.frames;
        let mark = node.mark.min(frames.len());
        let records: Vec<HostioRecord> = frames.drain(mark..).flat_map(|f| f.steps).collect();
        let steps = if records.is_empty() {
            node.children
        } else {
            merge(records, node.children)
        };
        match self.stack.last_mut() {
            Some(parent) => parent.children.push(Entry::placeholder(
                node.name,
                address.unwrap_or(node.address),
                steps,
            )),
            None => self.result = steps,
        }
    }

    /// The result: a JSON array (possibly empty).
    pub fn into_json(self) -> RpcResult<Value> {
        Ok(Value::Array(
            self.result.iter().map(Entry::to_json).collect(),
        ))
    }

    /// The result as entries.
    pub fn into_entries(self) -> Vec<Entry> {
        self.result
    }
}

impl Inspector<DevCtx> for StylusTracer {
    fn call(&mut self, ctx: &mut DevCtx, inputs: &mut CallInputs) -> Option<CallOutcome> {
        let (name, address) = match inputs.scheme {
            CallScheme::Call => ("evm_call_contract", inputs.target_address),
            CallScheme::StaticCall => ("evm_static_call_contract", inputs.target_address),
            CallScheme::DelegateCall => ("evm_delegate_call_contract", inputs.bytecode_address),
            CallScheme::CallCode => ("", inputs.bytecode_address),
        };
        self.open(ctx, name, address);
        None
    }

    fn call_end(&mut self, ctx: &mut DevCtx, _inputs: &CallInputs, _outcome: &mut CallOutcome) {
        self.close(ctx, None);
    }

    fn create(&mut self, ctx: &mut DevCtx, inputs: &mut CreateInputs) -> Option<CreateOutcome> {
        let name = match inputs.scheme() {
            CreateScheme::Create2 { .. } => "evm_create2",
            _ => "evm_create1",
        };
        self.open(ctx, name, Address::ZERO);
        None
    }

    fn create_end(
        &mut self,
        ctx: &mut DevCtx,
        _inputs: &CreateInputs,
        outcome: &mut CreateOutcome,
    ) {
        self.close(ctx, outcome.address);
    }

    fn selfdestruct(&mut self, _contract: Address, target: Address, _value: U256) {
        if let Some(top) = self.stack.last_mut() {
            top.children
                .push(Entry::placeholder("evm_self_destruct", target, Vec::new()));
        }
    }
}
