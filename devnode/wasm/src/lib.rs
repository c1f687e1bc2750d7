//! Stylus program activation for the devnode: the pure, engine-independent layer.
//!
//! This crate turns the code of a Stylus program into what the runtime executes and what the
//! `ArbWasm` precompile stores, following `/work/shared/stylus-host-spec.md` (ArbOS 51):
//!
//! * [`decompress_program`] — `EF F0 00 <dict>` recognition and brotli decoding (spec §1.1);
//! * [`activate`] — validation (§1.5), instrumentation (§1.6), activation outputs (§1.7) and
//!   activation compute gas (§1.8), returning an [`Activation`];
//! * [`pricing`] — operator and hostio ink prices (§3.1, §4) and the memory-page model (§2.6);
//! * [`data_pricer`] — the activation data fee (§1.9);
//! * [`StylusParams`] — chain parameters and init-gas helpers (§1.11, §2.1).
//!
//! # The instrumented module
//!
//! [`Activation::instrumented`] is a valid wasm module (same feature set) in which every locally
//! defined function is rewritten exactly as Nitro's passes do (ink meter, dynamic meter, depth
//! checker, heap bound), and four mutable `i64`/`i32` globals are appended and exported under
//! the names [`INK_LEFT_GLOBAL`], [`INK_STATUS_GLOBAL`], [`SCRATCH_GLOBAL`] and
//! [`STACK_LEFT_GLOBAL`]. The host sets `stylus_ink_left` (ink budget), `stylus_ink_status` (0)
//! and `stylus_stack_left` (`MaxStackDepth`) before calling `user_entrypoint`, and reads
//! `stylus_ink_left` back afterwards; after a trap, `stylus_stack_left == 0` means out-of-stack
//! and `stylus_ink_status != 0` out-of-ink (spec §2.2). No import is added, so function indices
//! are unchanged. Outside debug mode, exports other than `user_entrypoint`, `memory` and the four
//! globals are dropped; in debug mode all exports are kept and a start function is re-exported
//! as `stylus_start` (never invoked).
//!
//! # Known deviations from Nitro
//!
//! * `module_hash` cannot be reproduced without Nitro's WAVM prover. It is
//!   `keccak256("stylus-devnode-module-v1" ‖ version as u16 BE ‖ instrumented wasm)`; it is only
//!   observable in the `ProgramActivated` event.
//! * Only brotli dictionary 0 is supported; dictionary 1 (Nitro's BSL-licensed dictionary) fails
//!   with "unsupported dictionary type", like any unknown dictionary.
//! * Error texts are the devnode's own wording (the exact Nitro strings are not consensus data),
//!   except that a missing `pay_for_memory_grow` import or `user_entrypoint` export mentions
//!   `pay_for_memory_grow`, which cargo-stylus looks for.
//! * Validation uses wasmparser 0.263 rather than Nitro's 0.245; the feature set is the same.
//! * Root programs (ArbOS 60): [`parse_root`] and [`decompress_root`] decode them once the
//!   caller has fetched the fragments' code (the fetching and its gas are the precompile's).
//! * Brotli: bytes after the end of a finished stream are ignored (as the one-shot C decoder
//!   does); truncated, unfinished, corrupt or oversized streams fail.
//!
//! # Readings of the spec where it is silent
//!
//! * The 348-locals limit counts declared locals, not parameters; the 65 536-operator limit
//!   counts the original operators including the final `end`.
//! * The 32 768-globals limit applies to the module's own globals (before the 4 added ones).
//! * Passive data segments are accepted (they are never loaded: `memory.init` is rejected);
//!   passive and declared element segments are rejected.
//! * `*.trunc_sat_*` float→int operators count as float conversions and fail activation.
//! * The 10 240-word frame limit is checked but cannot be reached by a module that passes the
//!   4 096-operand and 348-locals limits.
//! * The instrumented module keeps the `name` custom section and drops every other custom
//!   section (e.g. `project_hash`); this has no effect on costs, which use the original length.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod data_pricer;
mod decompress;
pub mod hostios;
mod instrument;
mod module;
mod params;
pub mod pricing;

pub use decompress::{
    brotli_compress, brotli_decompress, compress_program, decompress_program, decompress_root,
    fragment_program, fragment_stream, is_stylus_component, is_stylus_deployable,
    is_stylus_fragment, is_stylus_program, is_stylus_root, parse_root, root_code,
    split_stylus_program, RootProgram, ARBOS_VERSION_FRAGMENTS, DICTIONARY_EMPTY,
    DICTIONARY_STYLUS_PROGRAM, ROOT_HEADER_LEN, STYLUS_CLASSIC_PREFIX, STYLUS_FRAGMENT_PREFIX,
    STYLUS_ROOT_PREFIX,
};
pub use instrument::{
    DYNAMIC_METER_OPS, HEAP_BOUND_OPS, INK_CHECK_OPS, MAX_FRAME_CONTENTION, MAX_FRAME_SIZE,
    MAX_LOCALS, MAX_OPERATORS, STACK_CHECK_OPS, STACK_CREDIT_OPS,
};
pub use module::{
    MAX_DATA_SEGMENTS, MAX_ELEMENT_ENTRIES, MAX_ELEMENT_SEGMENTS, MAX_EXPORTS, MAX_FUNCTIONS,
    MAX_GLOBALS, MAX_IMPORTS, MAX_INITIAL_PAGES, MAX_NAME_LEN, MAX_TABLE_ENTRIES,
};
pub use params::{
    StylusParams, DEFAULT_ARBOS_VERSION, MAX_STACK_DEPTH_ARBOS_50, MAX_STACK_DEPTH_LEGACY,
    PAGE_RAMP,
};

/// Exported `i64` global holding the ink left.
pub const INK_LEFT_GLOBAL: &str = "stylus_ink_left";
/// Exported `i32` global set to 1 by the meter when ink runs out.
pub const INK_STATUS_GLOBAL: &str = "stylus_ink_status";
/// Exported `i32` scratch global used by the dynamic meter and the heap bound.
pub const SCRATCH_GLOBAL: &str = "stylus_scratch_global";
/// Exported `i32` global holding the remaining depth-checker budget.
pub const STACK_LEFT_GLOBAL: &str = "stylus_stack_left";
/// Export name a start function is moved to in debug mode.
pub const START_EXPORT: &str = "stylus_start";
/// The program entry point export, of type `(i32) -> i32`.
pub const ENTRYPOINT_EXPORT: &str = "user_entrypoint";
/// The linear memory export.
pub const MEMORY_EXPORT: &str = "memory";
/// Gas per µs of activation compute time (`2 × 7 000 000 / 500 000`).
pub const COMPILE_GAS_PER_MICROSECOND: u64 = 28;
/// Fixed gas `activateProgram` burns before doing anything ("begin activation", spec §1.4).
pub const ACTIVATION_FIXED_GAS: u64 = 1_659_168;

/// Why a program could not be activated. `Display` gives the human-readable reason, which the
/// precompile surfaces as `program activation failed: <reason>`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ActivationError {
    /// The code does not carry the classic Stylus prefix.
    #[error("specified bytecode is not a Stylus program")]
    NotStylus,
    /// The dictionary byte is not 0.
    #[error("unsupported dictionary type")]
    UnsupportedDictionary(u8),
    /// Brotli decoding failed or the output is larger than `MaxWasmSize`.
    #[error("failed to decompress program: {0}")]
    Decompression(String),
    /// The wasm binary does not parse or validate with Nitro's feature set.
    #[error("failed to parse wasm: {0}")]
    Parse(String),
    /// A Stylus module rule (spec §1.5) is violated.
    #[error("{0}")]
    Invalid(String),
    /// A root program's header or fragment list is malformed (spec §1.1, ArbOS 60).
    #[error("bad root program: {0}")]
    BadRoot(String),
    /// A cost output does not fit its storage type (spec §1.7).
    #[error("{0}")]
    CostOverflow(&'static str),
}

/// Shorthand for a validation failure.
pub(crate) fn invalid<T>(reason: impl Into<String>) -> Result<T, ActivationError> {
    Err(ActivationError::Invalid(reason.into()))
}

/// Module measurements behind the activation outputs (spec §1.7) and compute gas (spec §1.8).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ModuleStats {
    /// Decompressed wasm length in bytes.
    pub wasm_len: u64,
    /// Number of function bodies.
    pub funcs: u64,
    /// Σ over local functions of (#params + #results) of their type.
    pub type_len: u64,
    /// Number of globals including the 4 added by instrumentation.
    pub globals: u64,
    /// Σ of the encoded lengths of whole data **and** element segment entries.
    pub data_len: u64,
    /// Σ of data segment payload lengths (compute-gas item).
    pub data_payload_len: u64,
    /// Σ of the encoded lengths of element segment entries (compute-gas item).
    pub elem_len: u64,
    /// Initial memory pages.
    pub footprint: u16,
    /// Operator count after instrumentation (spec §1.6.5).
    pub instrumented_ops: u64,
}

/// The cost outputs stored per codehash (spec §1.7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ActivationCosts {
    /// Uncached init cost (raw; gas = [`StylusParams::init_gas`]).
    pub init_cost: u16,
    /// Cached init cost (raw; gas = [`StylusParams::cached_gas`]).
    pub cached_init_cost: u16,
    /// Estimated native code size in bytes (data-fee input).
    pub asm_estimate: u32,
}

impl ModuleStats {
    /// The §1.7 formulas; each term floored separately. `stylus_version` 1 adds the cached cost
    /// to the init cost. Overflow of a target type fails the activation.
    pub fn costs(&self, stylus_version: u16) -> Result<ActivationCosts, ActivationError> {
        let Self {
            funcs,
            type_len,
            wasm_len,
            globals,
            data_len,
            ..
        } = *self;
        let footprint = u64::from(self.footprint);
        let cached = (funcs.saturating_mul(13_420) / 100_000)
            .saturating_add(type_len.saturating_mul(89) / 100_000)
            .saturating_add(wasm_len.saturating_mul(122) / 100_000)
            .saturating_add(globals.saturating_mul(1_628) / 1_000)
            .saturating_add(data_len.saturating_mul(75_244) / 100_000)
            .saturating_add(footprint.saturating_mul(5));
        let mut init = (funcs.saturating_mul(8_252) / 1_000)
            .saturating_add(type_len.saturating_mul(1_059) / 1_000)
            .saturating_add(wasm_len.saturating_mul(1_286) / 10_000);
        if stylus_version == 1 {
            init = init.saturating_add(cached);
        }
        let asm = 512_000u64
            .saturating_add(funcs.saturating_mul(996_829) / 1_000)
            .saturating_add(type_len.saturating_mul(11_416) / 1_000)
            .saturating_add(wasm_len.saturating_mul(62_628) / 10_000);
        Ok(ActivationCosts {
            init_cost: u16::try_from(init)
                .map_err(|_| ActivationError::CostOverflow("init cost too high"))?,
            cached_init_cost: u16::try_from(cached)
                .map_err(|_| ActivationError::CostOverflow("cached init cost too high"))?,
            asm_estimate: u32::try_from(asm)
                .map_err(|_| ActivationError::CostOverflow("asm estimate too large"))?,
        })
    }

    /// Activation compute gas items in charging order (spec §1.8): wasm bytes (ArbOS ≥ 32, else
    /// 0), function declarations, data payload bytes, element segment bytes, initial pages,
    /// instrumented operators. Each is `µs × 28` with µs floored per item. All zero when
    /// `arbos_version == 0` (internal recompile).
    pub fn compile_gas_items(&self, arbos_version: u64) -> [u64; 6] {
        if arbos_version == 0 {
            return [0; 6];
        }
        let gas = |us: u64| us.saturating_mul(COMPILE_GAS_PER_MICROSECOND);
        let wasm = if arbos_version >= 32 {
            gas(self.wasm_len.saturating_mul(31_733) / 100_000)
        } else {
            0
        };
        [
            wasm,
            gas(self.funcs.saturating_mul(17_263) / 100_000),
            gas(self.data_payload_len.saturating_mul(17_376) / 100_000),
            gas(self.elem_len.saturating_mul(17_376) / 100_000),
            gas(u64::from(self.footprint) * 2_217),
            gas(self.instrumented_ops.saturating_mul(535) / 1_000),
        ]
    }

    /// Sum of [`ModuleStats::compile_gas_items`] (saturating).
    pub fn compile_gas(&self, arbos_version: u64) -> u64 {
        self.compile_gas_items(arbos_version)
            .iter()
            .fold(0u64, |acc, g| acc.saturating_add(*g))
    }
}

/// Everything activation produces for one program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Activation {
    /// The instrumented wasm module the runtime instantiates.
    pub instrumented: Vec<u8>,
    /// Uncached init cost (§1.7).
    pub init_cost: u16,
    /// Cached init cost (§1.7).
    pub cached_init_cost: u16,
    /// Initial memory pages.
    pub footprint: u16,
    /// Estimated native size in bytes (stored as `ceil(asm_estimate / 1024)` KiB).
    pub asm_estimate: u32,
    /// Deterministic 32-byte module hash (see the crate docs: not Nitro's value).
    pub module_hash: [u8; 32],
    /// Activation compute gas (§1.8) for the given ArbOS version.
    pub compile_gas: u64,
    /// Compute gas per item, in charging order (see [`ModuleStats::compile_gas_items`]).
    pub compile_gas_items: [u64; 6],
    /// The measurements behind the outputs.
    pub stats: ModuleStats,
}

impl Activation {
    /// `asmEstimateKb = ceil(asm_estimate / 1024)` as stored in the program record (u24).
    pub fn asm_estimate_kb(&self) -> u32 {
        self.asm_estimate.div_ceil(1024)
    }
}

/// Validates, instruments and prices a decompressed wasm program.
///
/// * `page_limit` — `PageLimit` minus the pages already open in the transaction (spec §1.4 step 7);
/// * `params` — Stylus version (cost formulas) and limits;
/// * `debug` — debug chain: `console` imports allowed, start function kept as `stylus_start`,
///   exports kept;
/// * `arbos_version` — feature gates (multi-value rejected from 60, wasm-byte compute gas from 32,
///   import limit from 32); `0` means an internal recompile (compute gas 0, latest rules).
pub fn activate(
    wasm: &[u8],
    page_limit: u16,
    params: &StylusParams,
    debug: bool,
    arbos_version: u64,
) -> Result<Activation, ActivationError> {
    let module = module::ModuleInfo::parse(wasm, page_limit, debug, arbos_version)?;
    let (instrumented, instrumented_ops) = instrument::instrument(&module, wasm, debug)?;
    let mut stats = module.stats(wasm.len() as u64);
    stats.instrumented_ops = instrumented_ops;
    let costs = stats.costs(params.version)?;
    let compile_gas_items = stats.compile_gas_items(arbos_version);
    let compile_gas = stats.compile_gas(arbos_version);
    let module_hash = module_hash(params.version, &instrumented);
    Ok(Activation {
        instrumented,
        init_cost: costs.init_cost,
        cached_init_cost: costs.cached_init_cost,
        footprint: stats.footprint,
        asm_estimate: costs.asm_estimate,
        module_hash,
        compile_gas,
        compile_gas_items,
        stats,
    })
}

/// The devnode's module hash: `keccak256("stylus-devnode-module-v1" ‖ version BE ‖ instrumented)`.
pub fn module_hash(stylus_version: u16, instrumented: &[u8]) -> [u8; 32] {
    use tiny_keccak::{Hasher, Keccak};
    let mut hasher = Keccak::v256();
    hasher.update(b"stylus-devnode-module-v1");
    hasher.update(&stylus_version.to_be_bytes());
    hasher.update(instrumented);
    let mut out = [0u8; 32];
    hasher.finalize(&mut out);
    out
}

/// Wasm features Nitro's validator enables (spec §1.5): mutable-global, saturating float→int,
/// sign-extension, bulk-memory, floats, GC types (parsing only), and multi-value below ArbOS 60.
pub fn stylus_wasm_features(arbos_version: u64) -> wasmparser::WasmFeatures {
    use wasmparser::WasmFeatures as F;
    let mut features = F::MUTABLE_GLOBAL
        | F::SATURATING_FLOAT_TO_INT
        | F::SIGN_EXTENSION
        | F::BULK_MEMORY
        | F::FLOATS
        | F::GC_TYPES;
    if arbos_version < ARBOS_VERSION_FRAGMENTS {
        features |= F::MULTI_VALUE;
    }
    features
}
