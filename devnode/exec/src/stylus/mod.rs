//! Stylus program execution (spec §2, §3): dispatch entry, per-transaction state, wasm engine and
//! the `vm_hooks` host functions.
//!
//! * [`call_program`] — entry (§2.1) and outcome mapping (§2.2), called by the top layer's
//!   precompile provider for every frame whose code is a Stylus program;
//! * [`engine`] — wasmi 2 engine and the process-wide compiled-module cache;
//! * [`host`] — the 42 `vm_hooks` and the debug `console` imports; calls and creates go through
//!   the context's nested-frame seam ([`nested_call`], [`nested_create`], see
//!   [`crate::context::Frames`]);
//! * [`trace`] (re-exported from [`crate::context`]) — hostio recording for `stylusTracer`.
//!
//! Layering: this module uses [`crate::programs`] and [`crate::context`] only.
//!
//! # Known deviations from Nitro
//!
//! * A *create* whose initcode starts with `EF F0 00` runs in the EVM interpreter and halts on the
//!   0xEF opcode (all gas consumed) instead of failing with `ProgramNotActivated`; only the
//!   reported reason differs.
//! * Halt reasons are revm's: out of ink and an unaffordable call cost / return-data floor →
//!   `OutOfGas`; out of stack → `StackOverflow` (Nitro: `ErrDepth`); not activated / needs upgrade
//!   / expired → `PrecompileError`, with the Nitro error text (`ProgramNotActivated()`, …) as
//!   `PrecompileErrorWithContext` when the program is the transaction's own callee.
//! * Nitro retries a program whose *native* stack overflowed with a bigger stack; the devnode's
//!   wasmi limits are sized so that the depth checker always trips first (tested at the legacy
//!   262 144-word budget); should wasmi's own limit ever trip, the call is a plain Failure.
//! * Storage slots of a flush are written in key order (Nitro: map order; the spec notes that
//!   results do not depend on it).
//! * `tx_gas_price` returns the effective gas price capped at the basefee (Arbitrum drops tips).
//! * Frames run by nested loops (calls/creates made by a program) are not reported to a revm
//!   inspector attached with `transact_with_inspector`; their logs are (in the program frame's
//!   batch). `stylusTracer` data comes from [`trace`] instead.
//! * The ArbOS ≥ 60 recent-program cache is the block's when the block environment carries one
//!   (mining and transaction replays: every transaction of a block shares it, as in Nitro);
//!   `eth_call`, `eth_estimateGas` and call traces run on a fresh cache of their own, as a call
//!   on a new block would.

pub mod engine;
pub mod host;

use devnode_wasm::{pricing, StylusParams};
use revm::context::{JournalTr, LocalContextTr, Transaction};
use revm::interpreter::{CallInputs, CallScheme, Gas, InstructionResult, InterpreterResult};
use revm::primitives::{Address, Bytes, B256};

pub use crate::context::{nested_call, nested_create, trace, StylusTxState};
use crate::context::{ArbConfig, DevCtx, DevDb};
use crate::programs::{self, Meter, ProgramStatus};
use host::{FrameEnv, HostState};
use trace::{HostioRecord, TracedFrame};

/// Records the start of a call frame for the reentrancy counters (spec §2.4). Frames are
/// strictly nested, so every recorded frame at this depth or deeper has ended.
pub fn note_frame_start(ctx: &mut DevCtx, inputs: &CallInputs) {
    let depth = ctx.journaled_state.depth();
    let st = &mut ctx.chain.stylus;
    st.prune(depth);
    let counted = matches!(inputs.scheme, CallScheme::Call | CallScheme::StaticCall);
    if counted && !inputs.known_bytecode.1.is_empty() {
        st.frames.push((depth, inputs.target_address));
    }
}

/// Runs the Stylus program of a call frame (spec §2.1) and maps its outcome (§2.2).
///
/// * not activated / needs upgrade / expired → `PrecompileError` halt, all gas consumed (at the
///   top level the message, e.g. `ProgramNotActivated()`, reaches
///   `HaltReason::PrecompileErrorWithContext`);
/// * call cost or return-data floor unaffordable, out of ink → `OutOfGas` halt, all gas;
/// * out of stack → `StackOverflow` halt, all gas;
/// * success → `Return`; revert (non-zero status) → `Revert` with data, gas kept;
/// * any other trap or hostio error → `Revert` with empty data, gas kept.
///
/// `Err` is a fatal (database) error only.
pub fn call_program(ctx: &mut DevCtx, inputs: &CallInputs) -> Result<InterpreterResult, String> {
    let g0 = inputs.gas_limit;
    let codehash = inputs.known_bytecode.0;
    let mut meter = Meter::free();
    let params =
        programs::load_params(&mut ctx.journaled_state, &mut meter).map_err(|e| e.to_string())?;
    let record = programs::load_record(&mut ctx.journaled_state, &mut meter, codehash)
        .map_err(|e| e.to_string())?;
    let now = ctx.block.timestamp.saturating_to::<u64>();
    match programs::program_status(&record, now, &params) {
        ProgramStatus::Active => {}
        ProgramStatus::NotActivated => {
            return Ok(not_active(ctx, g0, "ProgramNotActivated()".into()))
        }
        ProgramStatus::NeedsUpgrade(v) => {
            let msg = format!("ProgramNeedsUpgrade({v}, {})", params.version);
            return Ok(not_active(ctx, g0, msg));
        }
        ProgramStatus::Expired(age) => {
            return Ok(not_active(ctx, g0, format!("ProgramExpired({age})")));
        }
    }

    // 2. callCost = memory + init gas.
    let st = &ctx.chain.stylus;
    let memory = pricing::memory_cost(record.footprint, st.open_pages, st.ever_pages, &params);
    // ArbOS ≥ 60: a program called again within the recent-program cache is priced as cached.
    let recent = ctx.chain.config.arbos_version >= devnode_wasm::ARBOS_VERSION_FRAGMENTS
        && ctx
            .chain
            .stylus
            .touch_recent(codehash, params.block_cache_size);
    let cached = record.cached || recent;
    let init = params.program_init_gas(record.init_cost, record.cached_init_cost, cached);
    let call_cost = memory.saturating_add(init);
    if call_cost > g0 {
        return Ok(halt(InstructionResult::OutOfGas, g0));
    }

    // 3. open pages for the duration of the call (`ever` stays raised).
    let open_before = ctx.chain.stylus.open_pages;
    add_pages_with(ctx, record.footprint);

    let code = inputs.known_bytecode.1.original_bytes();
    let args = inputs.input.bytes(&*ctx);
    let outcome = run_program(ctx, inputs, &params, codehash, &code, args, g0 - call_cost);
    ctx.chain.stylus.open_pages = open_before;
    let (kind, remaining, output, refund) = outcome?;

    let mut remaining = remaining;
    let result = match kind {
        Outcome::Success | Outcome::Revert => {
            // 6. return-data floor (ArbOS ≥ 31).
            if !output.is_empty() && ctx.chain.config.arbos_version >= 31 {
                let words = (output.len() as u64).div_ceil(32);
                let evm_cost = 3 * words + words * words / 512;
                if g0 < evm_cost {
                    return Ok(halt(InstructionResult::OutOfGas, g0));
                }
                remaining = remaining.min(g0 - evm_cost);
            }
            if kind == Outcome::Success {
                InstructionResult::Return
            } else {
                InstructionResult::Revert
            }
        }
        Outcome::Failure => InstructionResult::Revert,
        Outcome::OutOfInk => return Ok(halt(InstructionResult::OutOfGas, g0)),
        Outcome::OutOfStack => return Ok(halt(InstructionResult::StackOverflow, g0)),
    };
    let mut gas = Gas::new_with_regular_gas_and_reservoir(g0, inputs.reservoir);
    let _ = gas.record_regular_cost(g0.saturating_sub(remaining));
    if result == InstructionResult::Return {
        gas.record_refund(refund);
    }
    let output = if kind == Outcome::Failure {
        Bytes::new()
    } else {
        output
    };
    Ok(InterpreterResult::new(result, output, gas))
}

/// How a program invocation ended (spec §2.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Returned 0 or `exit_early(0)`.
    Success,
    /// Returned non-zero or `exit_early(n != 0)`.
    Revert,
    /// Any other trap or hostio error.
    Failure,
    /// Ran out of ink.
    OutOfInk,
    /// Depth checker budget exhausted.
    OutOfStack,
}

fn halt(result: InstructionResult, g0: u64) -> InterpreterResult {
    let mut gas = Gas::new(g0);
    gas.spend_all();
    InterpreterResult::new(result, Bytes::new(), gas)
}

fn not_active(ctx: &mut DevCtx, g0: u64, message: String) -> InterpreterResult {
    if ctx.journaled_state.depth() == 1 {
        ctx.local.set_precompile_error_context(message);
    }
    halt(InstructionResult::PrecompileError, g0)
}

/// Applies `open += pages; ever = max(ever, open)` and returns the gas of those pages priced
/// against the previous open/ever (spec §2.6, `pay_for_memory_grow`; the caller buys it).
pub fn add_pages(ctx: &mut DevCtx, pages: u16) -> u64 {
    let params =
        programs::load_params(&mut ctx.journaled_state, &mut Meter::free()).unwrap_or_default();
    let st = &ctx.chain.stylus;
    let cost = pricing::memory_cost(pages, st.open_pages, st.ever_pages, &params);
    add_pages_with(ctx, pages);
    cost
}

fn add_pages_with(ctx: &mut DevCtx, pages: u16) {
    let st = &mut ctx.chain.stylus;
    st.open_pages = st.open_pages.saturating_add(pages);
    st.ever_pages = st.ever_pages.max(st.open_pages);
}

/// The gas price a program sees (`tx_gas_price`): the effective price capped at the basefee
/// (Arbitrum does not collect tips).
pub fn tx_gas_price(ctx: &DevCtx) -> u128 {
    let basefee = u128::from(ctx.block.basefee);
    ctx.tx.effective_gas_price(basefee).min(basefee)
}

/// The decompressed wasm of an activated program's code: classic, or (ArbOS ≥ 60) a root whose
/// fragments are read from the state without gas or access-list effects (the activation already
/// paid for them; this only runs when the compiled-module cache misses).
fn program_wasm(ctx: &mut DevCtx, code: &[u8], params: &StylusParams) -> Result<Vec<u8>, String> {
    if !devnode_wasm::is_stylus_root(code) {
        return devnode_wasm::decompress_program(code, params.max_wasm_size)
            .map_err(|e| e.to_string());
    }
    let root = devnode_wasm::parse_root(code, u8::MAX).map_err(|e| e.to_string())?;
    let mut codes = Vec::with_capacity(root.fragments.len());
    for fragment in &root.fragments {
        codes.push(peek_code(ctx, Address::from(*fragment))?);
    }
    devnode_wasm::decompress_root(&root, &codes, params.max_wasm_size).map_err(|e| e.to_string())
}

/// Code of `address` without touching the journal's warm set.
fn peek_code(ctx: &mut DevCtx, address: Address) -> Result<Bytes, String> {
    use revm::database::Database;
    let j = &mut ctx.journaled_state;
    if let Some(acc) = j.state.get(&address) {
        if let Some(code) = &acc.info.code {
            return Ok(code.original_bytes());
        }
    }
    let Some(info) = j.database.basic(address).map_err(|e| e.to_string())? else {
        return Ok(Bytes::new());
    };
    match info.code {
        Some(code) => Ok(code.original_bytes()),
        None => Ok(j
            .database
            .code_by_hash(info.code_hash)
            .map_err(|e| e.to_string())?
            .original_bytes()),
    }
}

thread_local! {
    static LINKER: wasmi::Linker<HostState> =
        host::linker(engine::engine()).expect("vm_hooks linker");
}

type RunResult = Result<(Outcome, u64, Bytes, i64), String>;

#[allow(clippy::too_many_arguments)]
fn run_program(
    ctx: &mut DevCtx,
    inputs: &CallInputs,
    params: &StylusParams,
    codehash: B256,
    code: &[u8],
    args: Bytes,
    gas: u64,
) -> RunResult {
    let debug = ctx.chain.config.debug;
    let wasm = || program_wasm(ctx, code, params);
    let program = match engine::compiled_program(codehash, params, debug, wasm) {
        Ok(p) => p,
        Err(e) => {
            tracing::warn!(target: "stylus", %codehash, "cannot rebuild activated program: {e}");
            return Ok((Outcome::Failure, gas, Bytes::new(), 0));
        }
    };
    let acting = inputs.target_address;
    let env = FrameEnv {
        acting,
        caller: inputs.caller,
        value: inputs.call_value(),
        is_static: inputs.is_static,
        reentrant: ctx.chain.stylus.open_frames_of(acting) > 1,
        ink_price: params.ink_price().max(1),
        arbos_version: ctx.chain.config.arbos_version,
        max_code_size: ctx.chain.config.max_code_size as u64,
    };
    let ink = gas.saturating_mul(env.ink_price);
    let ink_price = env.ink_price;
    let tracing_on = ctx.chain.stylus.trace.enabled;
    let depth = ctx.journaled_state.depth();
    let args_len = args.len() as u32;
    let mut store = wasmi::Store::new(engine::engine(), HostState::new(ctx, env, args, tracing_on));
    let instance = match LINKER.with(|l| l.instantiate_and_start(&mut store, &program.module)) {
        Ok(i) => i,
        Err(e) => {
            tracing::debug!(target: "stylus", "instantiation failed: {e}");
            return Ok((Outcome::Failure, gas, Bytes::new(), 0));
        }
    };
    let global = |name| instance.get_global(&store, name);
    let (Some(ink_left), Some(ink_status), Some(stack_left)) = (
        global(devnode_wasm::INK_LEFT_GLOBAL),
        global(devnode_wasm::INK_STATUS_GLOBAL),
        global(devnode_wasm::STACK_LEFT_GLOBAL),
    ) else {
        return Ok((Outcome::Failure, gas, Bytes::new(), 0));
    };
    let memory = instance.get_memory(&store, devnode_wasm::MEMORY_EXPORT);
    let entry = instance.get_typed_func::<i32, i32>(&store, devnode_wasm::ENTRYPOINT_EXPORT);
    let set = |store: &mut wasmi::Store<HostState>, g: wasmi::Global, v: wasmi::Val| {
        g.set(store, v).map_err(|e| e.to_string())
    };
    set(&mut store, ink_left, wasmi::Val::I64(ink as i64))?;
    set(&mut store, ink_status, wasmi::Val::I32(0))?;
    set(
        &mut store,
        stack_left,
        wasmi::Val::I32(params.max_stack_depth as i32),
    )?;
    {
        let data = store.data_mut();
        data.memory = memory;
        data.ink_left = Some(ink_left);
        data.ink_status = Some(ink_status);
        if let Some(t) = data.trace.as_mut() {
            t.push(HostioRecord::new(
                "user_entrypoint",
                args_len.to_be_bytes().to_vec(),
                vec![],
                ink,
                ink,
            ));
        }
    }
    let Ok(entry) = entry else {
        return Ok((Outcome::Failure, gas, Bytes::new(), 0));
    };
    let res = entry.call(&mut store, args_len as i32);

    let read_i64 = |store: &wasmi::Store<HostState>, g: wasmi::Global| match g.get(store) {
        wasmi::Val::I64(v) => v as u64,
        wasmi::Val::I32(v) => v as u32 as u64,
        _ => 0,
    };
    let ink_after = read_i64(&store, ink_left);
    let status_after = read_i64(&store, ink_status);
    let stack_after = read_i64(&store, stack_left);
    let (outcome, status) = match &res {
        Ok(status) => (
            if *status == 0 {
                Outcome::Success
            } else {
                Outcome::Revert
            },
            Some(*status),
        ),
        Err(e) => {
            if stack_after == 0 {
                (Outcome::OutOfStack, None)
            } else if status_after != 0 {
                (Outcome::OutOfInk, None)
            } else if let Some(code) = e.i32_exit_status() {
                (
                    if code == 0 {
                        Outcome::Success
                    } else {
                        Outcome::Revert
                    },
                    Some(code),
                )
            } else if let Some(host::Escape::Fatal(msg)) = e.downcast_ref::<host::Escape>() {
                return Err(msg.clone());
            } else if let Some(host::Escape::OutOfInk) = e.downcast_ref::<host::Escape>() {
                (Outcome::OutOfInk, None)
            } else {
                if matches!(e.as_trap_code(), Some(wasmi::TrapCode::StackOverflow)) {
                    tracing::warn!(target: "stylus", "wasm engine stack exhausted before the depth checker");
                }
                tracing::debug!(target: "stylus", %acting, "program failed: {e}");
                (Outcome::Failure, None)
            }
        }
    };
    let remaining = match outcome {
        Outcome::OutOfInk | Outcome::OutOfStack => 0,
        _ => ink_after / ink_price,
    };
    let mut state = store.into_data();
    if let Some(mut steps) = state.trace.take() {
        if let Some(code) = status {
            steps.push(HostioRecord::new(
                "user_returned",
                vec![],
                (code as u32).to_be_bytes().to_vec(),
                ink,
                ink,
            ));
        }
        ctx.chain.stylus.trace.frames.push(TracedFrame {
            depth,
            address: acting,
            steps,
        });
    }
    Ok((outcome, remaining, state.outs, state.refund))
}

/// Writes the ArbOS part of genesis (Stylus params for `cfg.arbos_version` with
/// `cfg.max_stack_depth`, data pricer, chain owner).
pub fn install_genesis_state(db: &mut DevDb, cfg: &ArbConfig, cache_managers: &[Address]) {
    let params = devnode_wasm::StylusParams::for_arbos(cfg.arbos_version)
        .with_max_stack_depth(cfg.max_stack_depth);
    crate::programs::install_genesis_state(db, cfg.chain_owner, &params, cache_managers);
}
