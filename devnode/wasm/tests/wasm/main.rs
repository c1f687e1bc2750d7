//! devnode-wasm's integration tests, one binary (one link; tests run side by side):
//! `cargo test --release -p devnode-wasm --test wasm [-- <module>::]`.

mod activation;
mod common;
mod execution;
mod fragments;
mod instrumentation;
mod pricing;
mod validation;
