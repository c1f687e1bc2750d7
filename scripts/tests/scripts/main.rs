//! The scripts' integration tests, one binary: `cargo test --release -p scripts --test scripts`.

mod abi_up_to_date;
mod cli_errors;
mod report;
mod stylus_manifests;
mod wasm_pipeline;
