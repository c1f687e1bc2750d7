//! devnode-exec's integration tests, one binary (one link; tests run side by side):
//! `cargo test --release -p devnode-exec --test exec [-- <module>::]`.

mod arbos60;
mod arbos_test_precompile;
mod cache_manager;
mod common;
mod layering;
mod pchain;
mod precompiles;
mod precompiles_abi;
mod precompiles_arbwasm;
mod real_contracts;
mod recent_programs;
mod stylus_conformance;
