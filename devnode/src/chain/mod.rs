//! The chain: world state, blocks, receipts, logs, mining, time, snapshots and filters.
//!
//! A [`Chain`] is owned by exactly one thread (see [`crate::worker`]); every method takes `&mut
//! self` or `&self` and runs to completion, so the chain is always consistent between two
//! commands.
//!
//! ## Conventions
//! * **Blocks**: one block per transaction by default (nitro-devnode's sequencer); with a block time
//!   the pending pool is mined on an interval. Block gas limit 2^50, base fee fixed at 0.1 gwei,
//!   coinbase `0xA4B0…6572` (the sequencer), difficulty 1, PREVRANDAO 1, Arbitrum's `mixHash` layout.
//! * **Time**: block timestamps follow the wall clock plus the `evm_increaseTime` offset and are
//!   strictly increasing (as anvil; Nitro allows equal timestamps, which a client cannot tell apart
//!   from a quick succession of blocks).
//! * **L1 block number** (what `NUMBER` and Stylus' `block_number` return on Arbitrum): the devnode
//!   simulates a parent chain with a 12 s block time anchored at genesis,
//!   `l1 = 1 + (timestamp − genesis_timestamp) / 12` (see [`l1_block_number`]). It moves with time
//!   (including time travel), as on a real Arbitrum chain where it follows the parent chain, so
//!   contracts that measure time in `block.number` behave as they would on Arbitrum. The L2 number is
//!   what `ArbSys.arbBlockNumber()` and the RPC block numbers report.
//! * **Historical state**: the state of the last `history_depth` blocks (default 4096) can be
//!   queried by block tag; older tags get error -32001 "historical state not available".

pub mod block;
mod calls;
mod dev;
mod estimate;
pub mod events;
pub mod filters;
mod logs;
mod messages;
mod mining;
pub mod persist;
mod proof;
mod queries;
pub mod state;
mod time;
pub mod trie;
pub mod tx;
pub mod view;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use alloy::consensus::{SignableTransaction, TypedTransaction};
use alloy::eips::{BlockId, BlockNumberOrTag};
use alloy::primitives::{Address, Bytes, TxKind, B256, U256};
use alloy::rpc::types::state::StateOverride;
use alloy::rpc::types::{FeeHistory, Filter, FilterBlockOption, Log as RpcLog, TransactionRequest};
use alloy::signers::local::PrivateKeySigner;
use alloy::signers::SignerSync;
use revm::context::result::{
    ExecutionResult, HaltReason, InvalidTransaction, OutOfGasError, ResultAndState,
};
use revm::context::TxEnv;
use revm::context_interface::either::Either;
use serde_json::Value;

use crate::config::{self, DevnodeConfig, BASE_FEE, BLOCK_GAS_LIMIT, COINBASE, TX_GAS_CAP};
use crate::error::{RpcError, RpcResult};
use crate::exec::{
    self, ArbConfig, BlockContext, BlockHashes, DevDb, ExecError, Mode, CREATE2_FACTORY,
    CREATE2_FACTORY_CODE,
};
use block::{bloom_of, build_header, Block, TxReceipt};
use filters::{FilterKind, Filters};
use state::{Mark, WorldState};
use tx::ChainTx;

pub use calls::Scratch;
pub(crate) use calls::{apply_overrides, call_env};
pub use messages::{halt_message, invalid_tx_error, panic_message};

/// How long a transaction with a future nonce waits for the gap to be filled before it is
/// rejected with "nonce too high" (auto-mining only; Nitro's sequencer waits about as long).
pub const FUTURE_NONCE_WAIT: Duration = Duration::from_secs(2);

/// Where a reply to `eth_sendRawTransaction`/`eth_sendTransaction` goes once the transaction is
/// mined (or rejected).
pub type Responder = Box<dyn FnOnce(RpcResult<B256>) + Send>;

/// Simulated parent-chain block number of a block with `timestamp` (12 s blocks from genesis).
pub fn l1_block_number(genesis_timestamp: u64, timestamp: u64) -> u64 {
    1 + timestamp.saturating_sub(genesis_timestamp) / config::L1_BLOCK_TIME
}

/// Current wall-clock time in seconds.
pub fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Which state a read or call sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StateSel {
    /// State after block `n` (the head when `n` is the latest block).
    Block(u64),
    /// The next block: latest state, next block's number and timestamp.
    Pending,
}

/// A mined transaction prepared for re-execution (see [`Chain::replay_setup`]).
pub struct Replay {
    /// State right before the transaction.
    pub db: DevDb,
    /// Chain configuration.
    pub config: ArbConfig,
    /// Block environment the transaction ran in.
    pub block: BlockContext,
    /// The transaction's revm environment.
    pub tx: TxEnv,
    /// Execution mode it ran in.
    pub mode: Mode,
}

/// A transaction waiting for an earlier nonce (auto-mining).
struct HeldTx {
    tx: ChainTx,
    deadline: Instant,
    reply: Responder,
}

/// What `evm_snapshot` saved.
#[derive(Clone, Debug)]
struct Snapshot {
    mark: Mark,
    head: u64,
    time_offset: i64,
    next_timestamp: Option<u64>,
    pool: Vec<ChainTx>,
}

/// A chain-level checkpoint used to undo a command that panicked half-way.
#[derive(Clone, Debug)]
pub struct Checkpoint {
    mark: Mark,
    head: u64,
    time_offset: i64,
    next_timestamp: Option<u64>,
    pool_len: usize,
}

/// The dev chain.
pub struct Chain {
    chain_id: u64,
    settings: ArbConfig,
    history_depth: u64,
    /// Live world state and its undo journal.
    pub state: WorldState,
    blocks: Vec<Block>,
    /// Block hashes by number, shared with the execution layer for `ArbSys.arbBlockHash`.
    hashes: Arc<Vec<B256>>,
    tx_index: HashMap<B256, (u64, usize)>,
    genesis_timestamp: u64,
    time_offset: i64,
    next_timestamp: Option<u64>,
    signers: Vec<PrivateKeySigner>,
    impersonated: HashSet<Address>,
    auto_impersonate: bool,
    snapshots: BTreeMap<u64, Snapshot>,
    next_snapshot: u64,
    filters: Filters,
    block_time: Option<Duration>,
    /// Mine a block per transaction (false: transactions wait in the pool for `evm_mine` or the
    /// interval).
    auto_mine: bool,
    next_interval_block: Option<Instant>,
    pool: Vec<ChainTx>,
    held: Vec<HeldTx>,
    state_file: Option<PathBuf>,
    /// The read snapshot published for the RPC threads (see [`view`]).
    reads: view::Publisher,
    /// Merkle-Patricia tries of the live state (block `stateRoot`s, `eth_getProof`).
    trie: trie::StateTrie,
    /// Where `eth_subscribe` events go.
    events: Option<events::EventSender>,
}

impl Chain {
    /// Creates the chain: loads `config.state_file` when it exists, otherwise builds genesis.
    pub fn new(config: &DevnodeConfig) -> anyhow::Result<Self> {
        let settings = ArbConfig {
            chain_id: config.chain_id,
            arbos_version: config.arbos_version,
            max_stack_depth: config.max_stack_depth,
            debug: config.debug,
            chain_owner: config::DEV_ACCOUNT,
            tx_gas_limit_cap: TX_GAS_CAP,
            cache_all_programs: config.cache_all_programs,
            ..ArbConfig::default()
        };
        let signers: Vec<PrivateKeySigner> = config::genesis_accounts(config.extra_accounts)
            .into_iter()
            .map(|a| a.signer)
            .collect();
        let mut chain = Self {
            chain_id: config.chain_id,
            settings,
            history_depth: config.history_depth.max(1),
            state: WorldState::default(),
            blocks: Vec::new(),
            hashes: Arc::new(Vec::new()),
            tx_index: HashMap::new(),
            genesis_timestamp: 0,
            time_offset: 0,
            next_timestamp: None,
            signers,
            impersonated: HashSet::new(),
            auto_impersonate: false,
            snapshots: BTreeMap::new(),
            next_snapshot: 0,
            filters: Filters::default(),
            block_time: config.block_time,
            auto_mine: config.block_time.is_none(),
            next_interval_block: config.block_time.map(|t| Instant::now() + t),
            pool: Vec::new(),
            held: Vec::new(),
            state_file: config.state_file.clone(),
            reads: view::Publisher::default(),
            trie: trie::StateTrie::default(),
            events: None,
        };
        match &config.state_file {
            Some(path) if path.exists() => {
                let file = persist::read_file(path)?;
                chain.restore(file)?;
            }
            _ => chain.genesis(config),
        }
        Ok(chain)
    }

    fn genesis(&mut self, config: &DevnodeConfig) {
        let timestamp = config.genesis_timestamp.unwrap_or_else(now_secs);
        let mut db = DevDb::default();
        exec::install_genesis(&mut db, &self.settings);
        let mut ws = WorldState::new(db);
        for account in config::funded_accounts(config) {
            ws.set_balance(account.address(), account.genesis_balance);
        }
        // The dev account has sent nitro-devnode's six start-up transactions.
        ws.set_nonce(config::DEV_ACCOUNT, exec::DEV_ACCOUNT_GENESIS_NONCE);
        if ws.code(CREATE2_FACTORY).is_empty() {
            // The execution layer installs it; keep the guarantee if that ever changes.
            ws.set_code(CREATE2_FACTORY, Bytes::from_static(CREATE2_FACTORY_CODE));
        }
        let mark = ws.mark();
        ws.forget_before(mark);
        self.state = ws;
        self.reads.invalidate();
        self.rebuild_trie();
        self.genesis_timestamp = timestamp;
        let mut header = build_header(
            B256::ZERO,
            0,
            timestamp,
            l1_block_number(timestamp, timestamp),
            self.settings.arbos_version,
            BASE_FEE,
            BLOCK_GAS_LIMIT,
            COINBASE,
            &[],
            &[],
        );
        header.state_root = self.state_root();
        let hash = header.hash_slow();
        self.hashes = Arc::new(vec![hash]);
        self.blocks.push(Block {
            header,
            hash,
            txs: vec![],
            receipts: vec![],
            l1_block_number: l1_block_number(timestamp, timestamp),
            start_mark: mark,
        });
    }

    fn restore(&mut self, file: persist::StateFile) -> anyhow::Result<()> {
        if file.chain_id != self.chain_id {
            anyhow::bail!(
                "state file is for chain id {} but the node runs chain id {}",
                file.chain_id,
                self.chain_id
            );
        }
        if file.blocks.is_empty() {
            anyhow::bail!("state file has no blocks");
        }
        self.state = file.state;
        self.reads.invalidate();
        self.rebuild_trie();
        self.blocks = file.blocks;
        self.genesis_timestamp = file.genesis_timestamp;
        self.time_offset = file.time_offset;
        self.next_timestamp = file.next_timestamp;
        self.hashes = Arc::new(self.blocks.iter().map(|b| b.hash).collect());
        self.tx_index.clear();
        for b in &self.blocks {
            for (i, t) in b.txs.iter().enumerate() {
                self.tx_index.insert(t.hash, (b.number(), i));
            }
        }
        self.snapshots.clear();
        self.filters = Filters::default();
        self.pool.clear();
        Ok(())
    }

    /// The persisted form of the whole chain.
    pub fn to_state_file(&self) -> persist::StateFile {
        persist::StateFile {
            format: persist::FORMAT_VERSION,
            chain_id: self.chain_id,
            genesis_timestamp: self.genesis_timestamp,
            time_offset: self.time_offset,
            next_timestamp: self.next_timestamp,
            state: self.state.clone(),
            blocks: self.blocks.clone(),
        }
    }

    /// Writes the chain to the configured state file (no-op without one).
    pub fn persist(&self) -> anyhow::Result<()> {
        if let Some(path) = &self.state_file {
            persist::write_file(path, &self.to_state_file())?;
        }
        Ok(())
    }

    /// Serialized chain (`anvil_dumpState`); also writes the state file when configured.
    pub fn dump_state(&self) -> RpcResult<Bytes> {
        let file = self.to_state_file();
        if let Some(path) = &self.state_file {
            persist::write_file(path, &file)
                .map_err(|e| RpcError::internal(format!("writing state file: {e}")))?;
        }
        persist::encode(&file).map_err(|e| RpcError::internal(e.to_string()))
    }

    /// Replaces the chain by a dump (`anvil_loadState`).
    pub fn load_state(&mut self, bytes: &[u8]) -> RpcResult<bool> {
        let file = persist::decode(bytes)
            .map_err(|e| RpcError::invalid_params(format!("invalid state dump: {e}")))?;
        self.restore(file)
            .map_err(|e| RpcError::invalid_params(e.to_string()))?;
        Ok(true)
    }

    fn truncate_blocks(&mut self, head: u64) {
        while self.head_number() > head {
            let b = self.blocks.pop().expect("above genesis");
            for t in &b.txs {
                self.tx_index.remove(&t.hash);
            }
            Arc::make_mut(&mut self.hashes).pop();
        }
        self.filters.clamp(head);
    }

    /// A checkpoint to undo a half-done command (see [`Self::restore_checkpoint`]).
    pub fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            mark: self.state.mark(),
            head: self.head_number(),
            time_offset: self.time_offset,
            next_timestamp: self.next_timestamp,
            pool_len: self.pool.len(),
        }
    }

    /// Undoes everything since `cp` (used after a panic inside a command).
    pub fn restore_checkpoint(&mut self, cp: Checkpoint) {
        if self.state.mark() >= cp.mark {
            self.state.rollback_to(cp.mark);
        }
        self.truncate_blocks(cp.head);
        self.time_offset = cp.time_offset;
        self.next_timestamp = cp.next_timestamp;
        self.pool.truncate(cp.pool_len);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn l1_numbers_follow_twelve_second_blocks() {
        assert_eq!(l1_block_number(1000, 1000), 1);
        assert_eq!(l1_block_number(1000, 1011), 1);
        assert_eq!(l1_block_number(1000, 1012), 2);
        assert_eq!(l1_block_number(1000, 1000 + 120), 11);
    }
}
