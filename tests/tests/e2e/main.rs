//! Every end-to-end test in one binary (one link; tests run side by side, each on its own node):
//! `cargo test --release -p e2e --test e2e [-- <module>::]`, e.g. `-- lending::`.

mod demo;
mod flash_liquidator;
mod lending;
mod lending_oracle;
mod nft;
mod pool;
mod pool_abi;
mod pool_core;
mod router;
mod solidity_interfaces;
mod stress;
mod stylus;
mod vault;
mod vault_attacks;
mod weth;
mod zap;
