//! devnode-wasm
