//! Stylus Yield devnode: a local Arbitrum dev chain with Stylus execution and Ethereum JSON-RPC.
//!
//! Layers (one-way): [`rpc`] (HTTP JSON-RPC; reads of the latest state answered from
//! [`chain::view`]'s snapshot on the RPC threads) → [`worker`] (the execution thread) → [`chain`]
//! (blocks, receipts, logs, time, snapshots, persistence) → [`exec`] (the seam to `devnode-exec`:
//! revm context, Stylus runtime, precompiles).
//!
//! Embedded use:
//! ```no_run
//! let node = devnode::Devnode::spawn(devnode::DevnodeConfig::default()).unwrap();
//! println!("JSON-RPC at {}", node.url());
//! // dropping `node` stops it
//! ```

pub mod chain;
pub mod config;
pub mod error;
pub mod exec;
pub mod node;
pub mod rpc;
pub mod trace;
pub mod worker;

pub use config::{DevAccount, DevnodeConfig, DEV_ACCOUNT, DEV_PRIVATE_KEY};
pub use error::{RpcError, RpcResult};
pub use exec::DEV_ACCOUNT_GENESIS_NONCE;
pub use node::{Devnode, DevnodeHandle};
