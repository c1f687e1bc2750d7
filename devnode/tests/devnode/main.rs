//! The devnode's integration tests, one binary (one link; tests run side by side):
//! `cargo test --release -p devnode --test devnode [-- <module>::]`.

mod basics;
mod common;
mod contracts;
mod estimate_gas;
mod funding;
mod http;
mod persistence;
mod reads;
mod robustness;
mod state_root;
mod stylus;
mod stylus_cache_and_fragments;
mod subscriptions;
mod time_and_snapshots;
mod trace;
mod transactions;
mod tx_validity;
