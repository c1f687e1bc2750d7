//! Node configuration, nitro-devnode defaults and the funded genesis accounts.

use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use alloy::primitives::{address, b256, Address, B256, U256};
use alloy::signers::local::{coins_bip39::English, MnemonicBuilder, PrivateKeySigner};

/// Chain id of nitro-devnode (`--dev`).
pub const DEFAULT_CHAIN_ID: u64 = 412_346;
/// HTTP port of nitro-devnode.
pub const DEFAULT_PORT: u16 = 8547;

/// Address of nitro-devnode's funded dev account (and chain owner).
pub const DEV_ACCOUNT: Address = address!("0x3f1Eae7D46d88F08fc2F8ed27FCb2AB183EB2d0E");
/// Private key of [`DEV_ACCOUNT`].
///
/// **PUBLIC KEY MATERIAL — NOT A SECRET.** This key is published by Offchain Labs in the nitro-devnode
/// README and scripts; everyone knows it. Never use it (or the mnemonic below) on a real network.
pub const DEV_PRIVATE_KEY: B256 =
    b256!("0xb6b15c8cb491557369f3c7d2c287b053eb229daa9c22138887752191c9520659");
/// Balance of [`DEV_ACCOUNT`] at genesis: 1,000 ETH, as nitro-devnode.
pub const DEV_ACCOUNT_BALANCE: U256 = U256::from_limbs([0x35c9_adc5_dea0_0000, 0x36, 0, 0]);

/// Mnemonic of the extra test accounts (the one anvil and hardhat use).
///
/// **PUBLIC — NOT A SECRET.** Everybody knows the keys derived from it.
pub const TEST_MNEMONIC: &str = "test test test test test test test test test test test junk";
/// Default number of extra mnemonic accounts (as anvil).
pub const DEFAULT_EXTRA_ACCOUNTS: u32 = 10;
/// Balance of every extra mnemonic account at genesis: 10,000 ETH (as anvil).
pub const EXTRA_ACCOUNT_BALANCE: U256 = U256::from_limbs([0x19e0_c9ba_b240_0000, 0x21e, 0, 0]);

/// Fixed base fee: 0.1 gwei, Arbitrum's minimum (the devnode has no congestion pricing).
pub const BASE_FEE: u64 = 100_000_000;
/// Block gas limit reported in headers (Arbitrum's header convention, 2^50).
pub const BLOCK_GAS_LIMIT: u64 = 1 << 50;
/// Per-transaction gas cap (ArbOS 50+: 32M).
pub const TX_GAS_CAP: u64 = 32_000_000;
/// Block producer address of sequenced Arbitrum blocks.
pub const COINBASE: Address = address!("0xA4B000000000000000000073657175656e636572");
/// Seconds per simulated parent-chain (L1) block; see [`crate::chain::l1_block_number`].
pub const L1_BLOCK_TIME: u64 = 12;
/// Default number of recent blocks whose state stays queryable by block tag.
pub const DEFAULT_HISTORY_DEPTH: u64 = 4096;
/// Default HTTP request body limit (8 MiB).
pub const DEFAULT_MAX_BODY: u32 = 8 * 1024 * 1024;
/// ArbOS version the devnode emulates by default: 51, what Arbitrum's public chains run and
/// nitro-devnode `--dev` starts at (ArbOS 60 is opt-in with `--arbos-version 60`).
pub const ARBOS_VERSION: u64 = 51;
/// Highest ArbOS version the devnode implements (60: fragmented programs, see the README).
pub const MAX_ARBOS_VERSION: u64 = 60;

/// Nitro's Stylus `MaxStackDepth` for an ArbOS version: 22 000 words from ArbOS 50, 262 144 before.
pub fn default_max_stack_depth(arbos_version: u64) -> u32 {
    if arbos_version >= 50 {
        22_000
    } else {
        262_144
    }
}

/// Everything a node needs to start.
#[derive(Clone, Debug)]
pub struct DevnodeConfig {
    /// Interface to bind (default 127.0.0.1).
    pub host: IpAddr,
    /// Port to bind; 0 picks a free port (the default for embedded use; the CLI defaults to 8547).
    pub port: u16,
    /// Chain id (default 412346).
    pub chain_id: u64,
    /// `None`: mine one block per transaction (default). `Some(t)`: mine a block every `t` with
    /// all pending transactions.
    pub block_time: Option<Duration>,
    /// Number of extra funded accounts derived from [`TEST_MNEMONIC`].
    pub extra_accounts: u32,
    /// State file: loaded at start when it exists, written on shutdown and on `anvil_dumpState`.
    pub state_file: Option<PathBuf>,
    /// How many recent blocks keep queryable state (older block tags get an error).
    pub history_depth: u64,
    /// Maximum HTTP request body size in bytes.
    pub max_request_body: u32,
    /// Maximum number of requests in one JSON-RPC batch.
    pub max_batch_len: u32,
    /// Print the banner (accounts and keys) and per-request logs to stdout/stderr.
    pub verbose: bool,
    /// Debug chain (console host imports and ArbDebug available), as nitro-devnode `--dev`.
    pub debug: bool,
    /// Timestamp of the genesis block; `None` = now.
    pub genesis_timestamp: Option<u64>,
    /// ArbOS version whose Stylus rules and parameters apply (default 51).
    pub arbos_version: u64,
    /// Stylus `MaxStackDepth` in words (default: [`default_max_stack_depth`] of the ArbOS version).
    pub max_stack_depth: u32,
    /// Mark every program cached when it is activated (gas benches; default off).
    pub cache_all_programs: bool,
    /// Genesis balance of every funded account (dev and mnemonic accounts); `None`: 1,000 ETH for
    /// the dev account (nitro-devnode) and 10,000 ETH for the others (anvil).
    pub balance: Option<U256>,
}

impl Default for DevnodeConfig {
    /// Embedded defaults: nitro-devnode's chain, on 127.0.0.1 with a free port, quiet.
    fn default() -> Self {
        Self {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            chain_id: DEFAULT_CHAIN_ID,
            block_time: None,
            extra_accounts: DEFAULT_EXTRA_ACCOUNTS,
            state_file: None,
            history_depth: DEFAULT_HISTORY_DEPTH,
            max_request_body: DEFAULT_MAX_BODY,
            max_batch_len: 1024,
            verbose: false,
            debug: true,
            genesis_timestamp: None,
            arbos_version: ARBOS_VERSION,
            max_stack_depth: default_max_stack_depth(ARBOS_VERSION),
            cache_all_programs: false,
            balance: None,
        }
    }
}

/// A funded account whose key the node holds (usable with `eth_sendTransaction`).
#[derive(Clone, Debug)]
pub struct DevAccount {
    /// Signer with the account's (public, well-known) private key.
    pub signer: PrivateKeySigner,
    /// Balance at genesis.
    pub genesis_balance: U256,
}

impl DevAccount {
    /// The account's address.
    pub fn address(&self) -> Address {
        self.signer.address()
    }
}

/// The nitro-devnode dev account signer (key is public, see [`DEV_PRIVATE_KEY`]).
pub fn dev_signer() -> PrivateKeySigner {
    PrivateKeySigner::from_bytes(&DEV_PRIVATE_KEY).expect("the published dev key is a valid scalar")
}

/// Signer of the `index`-th account of [`TEST_MNEMONIC`] (BIP-44 path m/44'/60'/0'/0/index).
///
/// Derivations are cached process-wide: deriving a BIP-39 seed costs milliseconds and tests start
/// many nodes.
pub fn mnemonic_signer(index: u32) -> PrivateKeySigner {
    static CACHE: OnceLock<std::sync::Mutex<Vec<PrivateKeySigner>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut keys = cache.lock().unwrap_or_else(|e| e.into_inner());
    while keys.len() <= index as usize {
        let i = keys.len() as u32;
        let signer = MnemonicBuilder::<English>::default()
            .phrase(TEST_MNEMONIC)
            .index(i)
            .and_then(|b| b.build())
            .expect("the test mnemonic derives valid keys");
        keys.push(signer);
    }
    keys[index as usize].clone()
}

/// All accounts funded at genesis: the dev account first, then `extra` mnemonic accounts.
pub fn genesis_accounts(extra: u32) -> Vec<DevAccount> {
    let mut out = vec![DevAccount {
        signer: dev_signer(),
        genesis_balance: DEV_ACCOUNT_BALANCE,
    }];
    for i in 0..extra {
        out.push(DevAccount {
            signer: mnemonic_signer(i),
            genesis_balance: EXTRA_ACCOUNT_BALANCE,
        });
    }
    out
}

/// The accounts `config` funds at genesis, with their balances ([`DevnodeConfig::balance`]).
pub fn funded_accounts(config: &DevnodeConfig) -> Vec<DevAccount> {
    let mut accounts = genesis_accounts(config.extra_accounts);
    if let Some(balance) = config.balance {
        for a in &mut accounts {
            a.genesis_balance = balance;
        }
    }
    accounts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dev_key_matches_published_address() {
        assert_eq!(dev_signer().address(), DEV_ACCOUNT);
    }

    #[test]
    fn balances_are_exact() {
        let eth = U256::from(10u64).pow(U256::from(18u64));
        assert_eq!(DEV_ACCOUNT_BALANCE, eth * U256::from(1000u64));
        assert_eq!(EXTRA_ACCOUNT_BALANCE, eth * U256::from(10_000u64));
    }

    #[test]
    fn mnemonic_matches_anvil_account_zero() {
        assert_eq!(
            mnemonic_signer(0).address(),
            address!("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")
        );
        assert_eq!(
            mnemonic_signer(1).address(),
            address!("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
        );
    }
}
