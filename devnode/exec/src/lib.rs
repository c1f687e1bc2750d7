//! Execution layer of the Stylus devnode.
//!
//! * [`evm`] — the revm context used by the chain (`DevDb`, `DevCtx`, [`evm::transact`],
//!   [`evm::install_genesis`]) and the precompile provider that dispatches Stylus programs.
//! * [`stylus`] — Stylus program execution: wasm engine, the 42 `vm_hooks` host functions,
//!   ink/gas accounting and the per-transaction Stylus state.
//! * [`programs`] — activation records and Stylus parameters kept in ArbOS storage.
//! * [`precompiles`] — Arbitrum precompiles and system contracts.
//!
//! Layering: this crate depends on `devnode-wasm` (activation and pricing) and on revm; the chain
//! (`devnode`) depends on this crate, never the other way round.

pub mod evm;
pub mod precompiles;
pub mod programs;
pub mod stylus;
