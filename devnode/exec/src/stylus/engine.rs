//! The wasm engine (wasmi 2) and the process-wide cache of compiled programs.
//!
//! The instrumented module of a codehash is a pure function of the code (and of the chain's
//! debug flag), so it is cached per `(codehash, debug)` outside the journal; on a miss (first
//! call, or after a restart) it is re-derived from the code through `devnode-wasm`.
//!
//! Stack limits: the depth checker (spec §1.6.3) bounds the logical wasm stack by
//! `MaxStackDepth` words, each function frame costing at least 4 words, so at most 65 536 nested
//! wasm frames exist at the legacy 262 144 budget. wasmi runs wasm→wasm calls on its own heap
//! stacks; its limits below are far above that bound so the logical limit always trips first.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use devnode_wasm::StylusParams;
use revm::primitives::B256;
use wasmi::{Config, Engine, Module};

/// wasmi's maximum recursion depth (wasm frames per invocation).
pub const MAX_RECURSION_DEPTH: usize = 1 << 20;
/// wasmi's maximum value-stack height in bytes per invocation.
pub const MAX_STACK_HEIGHT: usize = 1 << 30;

/// A compiled (instrumented) Stylus program ready to instantiate.
#[derive(Debug)]
pub struct CompiledProgram {
    /// The wasmi module of the instrumented wasm.
    pub module: Module,
}

/// The process-wide wasmi engine.
pub fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let mut config = Config::default();
        config
            .set_max_recursion_depth(MAX_RECURSION_DEPTH)
            .set_max_stack_height(MAX_STACK_HEIGHT)
            .set_max_cached_stacks(16);
        Engine::new(&config)
    })
}

type Cache = Mutex<HashMap<(B256, bool), Arc<CompiledProgram>>>;

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// Compiles instrumented wasm bytes into a program (no caching). The bytes are validated with
/// wasmparser under the Stylus feature set first, which is what makes the unchecked wasmi
/// constructor sound.
pub fn compile_instrumented(instrumented: &[u8]) -> Result<CompiledProgram, String> {
    wasmparser::Validator::new_with_features(devnode_wasm::stylus_wasm_features(0))
        .validate_all(instrumented)
        .map_err(|e| format!("instrumented module is invalid: {e}"))?;
    // SAFETY: validated just above (wasmi is built without its own `validate` feature).
    let module =
        unsafe { Module::new_unchecked(engine(), instrumented) }.map_err(|e| e.to_string())?;
    Ok(CompiledProgram { module })
}

/// Caches the instrumented module produced by an activation (optional: a miss re-derives it).
pub fn cache_instrumented(codehash: B256, debug: bool, instrumented: &[u8]) -> Result<(), String> {
    let program = Arc::new(compile_instrumented(instrumented)?);
    cache()
        .lock()
        .expect("program cache poisoned")
        .insert((codehash, debug), program);
    Ok(())
}

/// Number of cached programs (diagnostics).
pub fn cached_programs() -> usize {
    cache().lock().expect("program cache poisoned").len()
}

/// The cached compiled program of `codehash`, if any.
pub fn cached_program(codehash: B256, debug: bool) -> Option<Arc<CompiledProgram>> {
    cache()
        .lock()
        .expect("program cache poisoned")
        .get(&(codehash, debug))
        .cloned()
}

/// The compiled program of `codehash`, from the cache or re-derived from its decompressed
/// `wasm` (fetched only on a miss) through `devnode-wasm`, as an internal recompile with no
/// page limit.
pub fn compiled_program(
    codehash: B256,
    params: &StylusParams,
    debug: bool,
    wasm: impl FnOnce() -> Result<Vec<u8>, String>,
) -> Result<Arc<CompiledProgram>, String> {
    if let Some(p) = cached_program(codehash, debug) {
        return Ok(p);
    }
    let wasm = wasm()?;
    let activation =
        devnode_wasm::activate(&wasm, u16::MAX, params, debug, 0).map_err(|e| e.to_string())?;
    let program = Arc::new(compile_instrumented(&activation.instrumented)?);
    cache()
        .lock()
        .expect("program cache poisoned")
        .insert((codehash, debug), program.clone());
    Ok(program)
}
