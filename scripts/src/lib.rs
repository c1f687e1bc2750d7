//! Stylus Yield scripts: the `stylus-yield` CLI's library.
//!
//! * [`wasm`] — the wasm build pipeline ([`wasm_data`]: its data-segment packing); [`abi`] — ABI export.
//! * [`suite`] — the contracts deployed together, their Solidity interfaces, the CREATE prelude.
//! * [`params`] — the suite's wiring parameters (tokens, IRM curve, LLTV, feed, oracle bounds);
//!   [`bindings`] — `sol!` over `abi/*.json` for the pool and the lending market.
//! * [`artifacts`] — deployable code by contract (from the wasm pipeline or a directory).
//! * [`deploy`] — resumable deployment + ArbWasm activation, recorded in `deployments/<chain>.json`.
//! * [`demo`] — the end-to-end demo of every income stream on an embedded devnode: one table of
//!   what each user put in and earned, checked against each stream's formula.
//! * [`report`] — `stylus-yield report`: sizes and deploy/activation costs of every contract.
//! * [`cli`] — argument types and handlers of the `demo` and `deploy` subcommands, one-line errors.
//! * [`ui`] — progress lines / spinners.

pub mod abi;
pub mod wasm;
pub mod wasm_data;

pub mod artifacts;
pub mod bindings;
pub mod cli;
pub mod demo;
pub mod deploy;
pub mod params;
pub mod report;
pub mod suite;
pub mod ui;
