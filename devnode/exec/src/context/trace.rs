//! Hostio recording for Nitro's `stylusTracer` (see /work/shared/stylus-tracer-notes.md).
//!
//! When `ctx.chain.stylus.trace.enabled` is set, every Stylus invocation records its hostios
//! (`name, args, outs, startInk, endInk`) plus the `user_entrypoint` / `user_returned`
//! pseudo-entries. A finished invocation is appended to [`StylusTrace::frames`] with its journal
//! depth; a call hostio of the parent then moves the child's frame into its own record
//! (`address` + `steps`). Frames entered from EVM code stay in `frames` for the RPC-side tracer
//! to merge with its EVM placeholders. Recording costs one branch per hostio when disabled.

use revm::primitives::Address;

use super::DevCtx;

/// One recorded hostio (or pseudo-entry).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostioRecord {
    /// Hostio name (`read_args`, `call_contract`, `user_entrypoint`, ...).
    pub name: &'static str,
    /// Arguments as Nitro encodes them (big-endian fields, concatenated).
    pub args: Vec<u8>,
    /// Outputs as Nitro encodes them.
    pub outs: Vec<u8>,
    /// Ink left before the hostio's base charge.
    pub start_ink: u64,
    /// Ink left after all its charges.
    pub end_ink: u64,
    /// Callee of a call hostio.
    pub address: Option<Address>,
    /// Steps of the callee of a call hostio (empty for an EVM callee).
    pub steps: Option<Vec<HostioRecord>>,
}

impl HostioRecord {
    /// A record without address/steps.
    pub fn new(
        name: &'static str,
        args: Vec<u8>,
        outs: Vec<u8>,
        start_ink: u64,
        end_ink: u64,
    ) -> Self {
        Self {
            name,
            args,
            outs,
            start_ink,
            end_ink,
            address: None,
            steps: None,
        }
    }
}

/// A finished Stylus invocation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TracedFrame {
    /// Journal depth of the frame (1 = the transaction's own call).
    pub depth: usize,
    /// Acting address.
    pub address: Address,
    /// Its hostio records, from `user_entrypoint` to `user_returned`.
    pub steps: Vec<HostioRecord>,
}

/// Per-transaction trace sink.
#[derive(Clone, Debug, Default)]
pub struct StylusTrace {
    /// Whether hostios are recorded.
    pub enabled: bool,
    /// Finished invocations not claimed by a parent call hostio, in completion order.
    pub frames: Vec<TracedFrame>,
}

/// Position in the finished-frame list before a nested call.
pub fn mark(ctx: &DevCtx) -> usize {
    ctx.chain.stylus.trace.frames.len()
}

/// Takes the steps of the frames finished since `mark` (the direct child of a call hostio).
pub fn take_child(ctx: &mut DevCtx, mark: usize) -> Vec<HostioRecord> {
    let frames = &mut ctx.chain.stylus.trace.frames;
    if frames.len() <= mark {
        return Vec::new();
    }
    frames.drain(mark..).flat_map(|f| f.steps).collect()
}
