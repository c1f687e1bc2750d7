//! Execution layer of the Stylus devnode.
//!
//! * [`evm`] — the top layer: transactions ([`evm::transact`]), genesis
//!   ([`evm::install_genesis`]), the precompile provider that dispatches every call frame, the
//!   RETURN/SELFDESTRUCT wrappers and the nested frame loops ([`evm::nested`]).
//! * [`precompiles`] — Arbitrum precompiles and the native system contracts (StylusDeployer,
//!   CacheManager).
//! * [`stylus`] — Stylus program execution: wasm engine, the 42 `vm_hooks` host functions,
//!   ink/gas accounting.
//! * [`programs`] — activation records, Stylus parameters and address sets in ArbOS storage.
//! * [`context`] — the bottom layer: `DevCtx` and its parts (chain config, block extras,
//!   per-transaction Stylus state) and the `Frames` seam through which lower layers run nested
//!   frames with the top layer's EVM.
//!
//! Layering: dependencies go one way, evm → precompiles → stylus → programs → context
//! (`tests/layering.rs` checks it); this crate depends on `devnode-wasm` (activation and
//! pricing) and on revm; the chain (`devnode`) depends on this crate, never the other way round.

pub mod context;
pub mod evm;
pub mod precompiles;
pub mod programs;
pub mod stylus;
