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
mod estimate;
pub mod events;
pub mod filters;
pub mod persist;
mod proof;
pub mod state;
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

    // ------------------------------------------------------------------------------------------
    // Basic accessors
    // ------------------------------------------------------------------------------------------

    /// Chain id.
    pub fn chain_id(&self) -> u64 {
        self.chain_id
    }

    /// Number of the latest block.
    pub fn head_number(&self) -> u64 {
        self.blocks.len() as u64 - 1
    }

    /// The latest block.
    pub fn head(&self) -> &Block {
        self.blocks.last().expect("genesis exists")
    }

    /// Block by number.
    pub fn block(&self, number: u64) -> Option<&Block> {
        self.blocks.get(usize::try_from(number).ok()?)
    }

    /// Block by hash.
    pub fn block_by_hash(&self, hash: B256) -> Option<&Block> {
        // Blocks are few enough (and lookups by hash rare enough) that a reverse scan is fine;
        // recent blocks are found first.
        self.blocks.iter().rev().find(|b| b.hash == hash)
    }

    /// Addresses whose keys the node holds (`eth_accounts`).
    pub fn accounts(&self) -> Vec<Address> {
        self.signers.iter().map(|s| s.address()).collect()
    }

    /// Timestamp of the genesis block.
    pub fn genesis_timestamp(&self) -> u64 {
        self.genesis_timestamp
    }

    /// Number of retained state-journal entries (diagnostics).
    pub fn journal_len(&self) -> usize {
        self.state.journal_len()
    }

    /// Resolves a block tag or hash.
    pub fn resolve(&self, id: Option<BlockId>) -> RpcResult<StateSel> {
        match id.unwrap_or(BlockId::Number(BlockNumberOrTag::Latest)) {
            BlockId::Hash(h) => self
                .block_by_hash(h.block_hash)
                .map(|b| StateSel::Block(b.number()))
                .ok_or_else(|| RpcError::not_found(format!("block {} not found", h.block_hash))),
            BlockId::Number(tag) => self.resolve_tag(tag),
        }
    }

    /// Resolves a block number or tag.
    pub fn resolve_tag(&self, tag: BlockNumberOrTag) -> RpcResult<StateSel> {
        match tag {
            BlockNumberOrTag::Pending => Ok(StateSel::Pending),
            BlockNumberOrTag::Number(n) if n > self.head_number() => Err(RpcError::not_found(
                format!("block {n} not found (head is {})", self.head_number()),
            )),
            other => Ok(StateSel::Block(self.tag_number(other))),
        }
    }

    /// Block number a tag refers to (pending = head + 1; numbers are not range checked).
    pub fn tag_number(&self, tag: BlockNumberOrTag) -> u64 {
        match tag {
            BlockNumberOrTag::Earliest => 0,
            BlockNumberOrTag::Number(n) => n,
            BlockNumberOrTag::Pending => self.head_number() + 1,
            _ => self.head_number(),
        }
    }

    /// Journal mark of the state after block `n` (None when `n` is the head: the live state).
    fn mark_after(&self, n: u64) -> Option<Mark> {
        self.block(n + 1).map(|b| b.start_mark)
    }

    /// A read-only view of the state `sel` selects, cloned only for historical blocks.
    fn read_state<R>(&self, sel: StateSel, f: impl FnOnce(&WorldState) -> R) -> RpcResult<R> {
        match sel {
            StateSel::Pending => Ok(f(&self.state)),
            StateSel::Block(n) => match self.mark_after(n) {
                None => Ok(f(&self.state)),
                Some(mark) => {
                    let db = self.state.state_at(mark).ok_or_else(|| self.pruned(n))?;
                    Ok(f(&WorldState::new(db)))
                }
            },
        }
    }

    fn pruned(&self, n: u64) -> RpcError {
        RpcError::not_found(format!(
            "historical state not available for block {n}: the devnode keeps the state of the last {} blocks (head is {})",
            self.history_depth,
            self.head_number()
        ))
    }

    /// Balance at a block.
    pub fn balance(&self, address: Address, sel: StateSel) -> RpcResult<U256> {
        self.read_state(sel, |s| s.balance(address))
    }

    /// Nonce at a block; "pending" counts queued transactions too.
    pub fn nonce(&self, address: Address, sel: StateSel) -> RpcResult<u64> {
        let base = self.read_state(sel, |s| s.nonce(address))?;
        if sel == StateSel::Pending {
            return Ok(self.pending_nonce(address).max(base));
        }
        Ok(base)
    }

    fn pending_nonce(&self, address: Address) -> u64 {
        let mut nonce = self.state.nonce(address);
        // Pool and held transactions may arrive out of order: count the contiguous run.
        loop {
            let next = self
                .pool
                .iter()
                .chain(self.held.iter().map(|h| &h.tx))
                .any(|t| t.sender == address && t.nonce() == nonce);
            if !next {
                return nonce;
            }
            nonce += 1;
        }
    }

    /// Code at a block.
    pub fn code(&self, address: Address, sel: StateSel) -> RpcResult<Bytes> {
        self.read_state(sel, |s| s.code(address))
    }

    /// Storage slot at a block.
    pub fn storage(&self, address: Address, slot: U256, sel: StateSel) -> RpcResult<B256> {
        self.read_state(sel, |s| B256::from(s.storage(address, slot)))
    }

    // ------------------------------------------------------------------------------------------
    // Time
    // ------------------------------------------------------------------------------------------

    /// Timestamp the next block will get.
    pub fn peek_next_timestamp(&self) -> u64 {
        if let Some(t) = self.next_timestamp {
            return t;
        }
        let now = (now_secs() as i64).saturating_add(self.time_offset).max(0) as u64;
        now.max(self.head().header.timestamp + 1)
    }

    /// Called once a block with `timestamp` was mined.
    fn consume_timestamp(&mut self, timestamp: u64) {
        if self.next_timestamp.take().is_some() {
            // Time continues from the forced timestamp.
            self.time_offset = timestamp as i64 - now_secs() as i64;
        }
    }

    /// `evm_increaseTime`: moves the clock forward; returns the total offset in seconds.
    pub fn increase_time(&mut self, seconds: i64) -> i64 {
        self.time_offset = self.time_offset.saturating_add(seconds);
        if let Some(t) = self.next_timestamp.as_mut() {
            *t = t.saturating_add_signed(seconds);
        }
        self.time_offset
    }

    /// `evm_setNextBlockTimestamp`: the next block gets exactly `timestamp` (must be after the
    /// latest block's).
    pub fn set_next_timestamp(&mut self, timestamp: u64) -> RpcResult<()> {
        let last = self.head().header.timestamp;
        if timestamp <= last {
            return Err(RpcError::invalid_params(format!(
                "timestamp {timestamp} is not after the latest block's timestamp {last}"
            )));
        }
        self.next_timestamp = Some(timestamp);
        Ok(())
    }

    /// `evm_setTime`-style absolute clock: the next block gets `timestamp` or now+offset.
    pub fn set_time(&mut self, timestamp: u64) -> i64 {
        self.time_offset = timestamp as i64 - now_secs() as i64;
        self.next_timestamp = None;
        self.time_offset
    }

    fn block_info(&self, number: u64, timestamp: u64) -> BlockContext {
        BlockContext {
            l2_block_number: number,
            l1_block_number: l1_block_number(self.genesis_timestamp, timestamp),
            timestamp,
            basefee: BASE_FEE,
            gas_limit: BLOCK_GAS_LIMIT,
            coinbase: COINBASE,
            prevrandao: B256::with_last_byte(1),
            l2_block_hashes: self.recent_hashes(number),
        }
    }

    /// `ArbSys.arbBlockHash` lookup for a block `number`: the 256 blocks before it.
    fn recent_hashes(&self, number: u64) -> BlockHashes {
        let hashes = Arc::clone(&self.hashes);
        BlockHashes::new(move |n| {
            if n < number && n + 256 >= number {
                hashes.get(usize::try_from(n).ok()?).copied()
            } else {
                None
            }
        })
    }

    fn block_info_for(&self, sel: StateSel) -> BlockContext {
        match sel {
            StateSel::Pending => {
                self.block_info(self.head_number() + 1, self.peek_next_timestamp())
            }
            StateSel::Block(n) => {
                let b = self.block(n).unwrap_or_else(|| self.head());
                self.block_info(b.number(), b.header.timestamp)
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Execution
    // ------------------------------------------------------------------------------------------

    /// Runs the execution layer, turning a panic into an internal error (the state is untouched:
    /// `transact` does not commit).
    fn run(
        settings: &ArbConfig,
        db: &mut DevDb,
        info: &BlockContext,
        tx: TxEnv,
        mode: Mode,
    ) -> RpcResult<ResultAndState> {
        let caller = tx.caller;
        match catch_unwind(AssertUnwindSafe(|| {
            exec::transact(db, settings, info, tx, mode)
        })) {
            Ok(Ok(r)) => Ok(r),
            Ok(Err(ExecError::Invalid(e))) => Err(invalid_tx_error(caller, e)),
            Ok(Err(ExecError::Other(msg))) => Err(RpcError::internal(msg)),
            Err(panic) => Err(RpcError::internal(format!(
                "execution panicked: {}",
                panic_message(&panic)
            ))),
        }
    }

    /// Mines one block with the valid ones among `candidates`. Returns the per-candidate outcome
    /// and the number of the new block (none when nothing was included and `keep_empty` is false).
    fn mine_block(
        &mut self,
        candidates: Vec<ChainTx>,
        keep_empty: bool,
    ) -> (Option<u64>, Vec<(B256, RpcResult<()>)>) {
        let number = self.head_number() + 1;
        let timestamp = self.peek_next_timestamp();
        let info = self.block_info(number, timestamp);
        let start_mark = self.state.mark();
        let mut txs = Vec::new();
        let mut receipts: Vec<TxReceipt> = Vec::new();
        let mut outcomes = Vec::new();
        let mut cumulative = 0u64;
        for tx in candidates {
            let hash = tx.hash;
            if self.tx_index.contains_key(&hash) || txs.iter().any(|t: &ChainTx| t.hash == hash) {
                outcomes.push((hash, Err(RpcError::server("already known"))));
                continue;
            }
            if let Err(e) = tx.precheck(self.chain_id, BASE_FEE, TX_GAS_CAP) {
                outcomes.push((hash, Err(e)));
                continue;
            }
            let mode = if tx.impersonated {
                Mode::Impersonated
            } else {
                Mode::Transaction
            };
            let result = Self::run(
                &self.settings,
                &mut self.state.db,
                &info,
                tx.tx_env(BASE_FEE),
                mode,
            );
            match result {
                Err(e) => outcomes.push((hash, Err(e))),
                Ok(ResultAndState { result, state }) => {
                    self.state.commit(state);
                    let gas_used = result.tx_gas_used();
                    cumulative += gas_used;
                    let contract_address = result.created_address();
                    let (status, output, error, logs) = match result {
                        ExecutionResult::Success { output, logs, .. } => {
                            (true, output.into_data(), None, logs)
                        }
                        ExecutionResult::Revert { output, logs, .. } => (false, output, None, logs),
                        ExecutionResult::Halt { reason, logs, .. } => {
                            (false, Bytes::new(), Some(halt_message(&reason)), logs)
                        }
                    };
                    if !status {
                        let why = match &error {
                            Some(e) => e.clone(),
                            None => crate::error::describe_revert(&output),
                        };
                        tracing::info!(target: "devnode", "transaction {hash} failed in block {number}: {why}");
                    }
                    // Failed transactions keep no logs.
                    let logs = if status { logs } else { Vec::new() };
                    receipts.push(TxReceipt {
                        status,
                        gas_used,
                        cumulative_gas_used: cumulative,
                        bloom: bloom_of(&logs),
                        logs,
                        contract_address,
                        effective_gas_price: tx.effective_gas_price(BASE_FEE),
                        output,
                        error,
                    });
                    outcomes.push((hash, Ok(())));
                    txs.push(tx);
                }
            }
        }
        if txs.is_empty() && !keep_empty {
            return (None, outcomes);
        }
        let parent = self.head().hash;
        let mut header = build_header(
            parent,
            number,
            timestamp,
            info.l1_block_number,
            self.settings.arbos_version,
            BASE_FEE,
            BLOCK_GAS_LIMIT,
            COINBASE,
            &txs,
            &receipts,
        );
        header.state_root = self.state_root();
        let hash = header.hash_slow();
        for (i, t) in txs.iter().enumerate() {
            self.tx_index.insert(t.hash, (number, i));
        }
        let l1_block_number = info.l1_block_number;
        // Release the context's handle on the hash list before appending (no copy-on-write).
        drop(info);
        Arc::make_mut(&mut self.hashes).push(hash);
        self.blocks.push(Block {
            header,
            hash,
            txs,
            receipts,
            l1_block_number,
            start_mark,
        });
        self.consume_timestamp(timestamp);
        self.prune_history();
        // Readers see the block before its transactions' senders hear back.
        self.publish();
        self.emit_head();
        (Some(number), outcomes)
    }

    /// Drops journal entries no block tag or snapshot can reach any more.
    fn prune_history(&mut self) {
        let head = self.head_number();
        if !head.is_multiple_of(64) || head <= self.history_depth {
            return;
        }
        let oldest_block = head - self.history_depth + 1;
        let mut keep = self.blocks[oldest_block as usize].start_mark;
        if let Some(s) = self.snapshots.values().map(|s| s.mark).min() {
            keep = keep.min(s);
        }
        self.state.forget_before(keep);
    }

    /// Submits a signed (or impersonated) transaction. With auto-mining it is mined into its own
    /// block before `reply` is called (or held for a while if its nonce is in the future); with
    /// interval mining it is queued.
    pub fn submit(&mut self, tx: ChainTx, reply: Responder) {
        if self.tx_index.contains_key(&tx.hash)
            || self.pool.iter().any(|t| t.hash == tx.hash)
            || self.held.iter().any(|h| h.tx.hash == tx.hash)
        {
            return reply(Err(RpcError::server("already known")));
        }
        if let Err(e) = tx.precheck(self.chain_id, BASE_FEE, TX_GAS_CAP) {
            return reply(Err(e));
        }
        let state_nonce = self.state.nonce(tx.sender);
        if tx.nonce() < state_nonce {
            return reply(Err(invalid_tx_error(
                tx.sender,
                InvalidTransaction::NonceTooLow {
                    tx: tx.nonce(),
                    state: state_nonce,
                },
            )));
        }
        if !self.auto_mine {
            if tx.nonce() < self.pending_nonce(tx.sender)
                && self
                    .pool
                    .iter()
                    .any(|t| t.sender == tx.sender && t.nonce() == tx.nonce())
            {
                return reply(Err(RpcError::server("replacement transaction underpriced")));
            }
            // Reject what cannot pay now rather than dropping it silently at mining time.
            let env = tx.tx_env(BASE_FEE);
            let need = U256::from(env.gas_limit) * U256::from(env.gas_price) + env.value;
            let have = self.state.balance(tx.sender);
            if have < need {
                return reply(Err(invalid_tx_error(
                    tx.sender,
                    InvalidTransaction::LackOfFundForMaxFee {
                        fee: Box::new(need),
                        balance: Box::new(have),
                    },
                )));
            }
            let hash = tx.hash;
            self.emit_pending(hash);
            self.pool.push(tx);
            return reply(Ok(hash));
        }
        self.emit_pending(tx.hash);
        if tx.nonce() > state_nonce {
            self.held.push(HeldTx {
                tx,
                deadline: Instant::now() + FUTURE_NONCE_WAIT,
                reply,
            });
            return;
        }
        let hash = tx.hash;
        let (_, mut outcomes) = self.mine_block(vec![tx], false);
        let outcome = outcomes.pop().map(|(_, r)| r).unwrap_or(Ok(()));
        reply(outcome.map(|_| hash));
        self.release_held();
    }

    /// Mines held transactions whose nonce became current.
    fn release_held(&mut self) {
        loop {
            let pos = self
                .held
                .iter()
                .position(|h| h.tx.nonce() == self.state.nonce(h.tx.sender));
            let Some(pos) = pos else { return };
            let held = self.held.swap_remove(pos);
            let hash = held.tx.hash;
            let (_, mut outcomes) = self.mine_block(vec![held.tx], false);
            let outcome = outcomes.pop().map(|(_, r)| r).unwrap_or(Ok(()));
            (held.reply)(outcome.map(|_| hash));
        }
    }

    /// Periodic work: interval mining and expiry of held transactions.
    pub fn tick(&mut self, now: Instant) {
        if let (Some(bt), Some(due)) = (self.block_time, self.next_interval_block) {
            if now >= due {
                let txs = std::mem::take(&mut self.pool);
                self.mine_pool(txs);
                self.next_interval_block = Some(now + bt);
            }
        }
        let mut i = 0;
        while i < self.held.len() {
            if self.held[i].deadline <= now {
                let h = self.held.swap_remove(i);
                let state = self.state.nonce(h.tx.sender);
                (h.reply)(Err(invalid_tx_error(
                    h.tx.sender,
                    InvalidTransaction::NonceTooHigh {
                        tx: h.tx.nonce(),
                        state,
                    },
                )));
            } else {
                i += 1;
            }
        }
    }

    /// When [`Self::tick`] must run next.
    pub fn next_wakeup(&self) -> Option<Instant> {
        let held = self.held.iter().map(|h| h.deadline).min();
        match (held, self.next_interval_block) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn mine_pool(&mut self, mut txs: Vec<ChainTx>) -> u64 {
        // Order by sender nonce so that a burst from one sender is mined in order.
        txs.sort_by_key(|t| (t.sender, t.nonce()));
        let (number, outcomes) = self.mine_block(txs, true);
        for (hash, outcome) in outcomes {
            if let Err(e) = outcome {
                tracing::warn!(target: "devnode", "dropped transaction {hash}: {}", e.message);
            }
        }
        number.unwrap_or_else(|| self.head_number())
    }

    /// `evm_mine`/`anvil_mine`: mines `blocks` blocks (the first with the pending pool), the
    /// first at `timestamp` when given. Returns the new head.
    pub fn mine(
        &mut self,
        blocks: u64,
        timestamp: Option<u64>,
        interval: Option<u64>,
    ) -> RpcResult<u64> {
        if let Some(t) = timestamp {
            self.set_next_timestamp(t)?;
        }
        for i in 0..blocks.max(1) {
            let txs = if i == 0 {
                std::mem::take(&mut self.pool)
            } else {
                Vec::new()
            };
            if i > 0 {
                if let Some(iv) = interval {
                    let next = self.head().header.timestamp + iv.max(1);
                    self.next_timestamp = Some(next.max(self.head().header.timestamp + 1));
                }
            }
            self.mine_pool(txs);
        }
        if let Some(bt) = self.block_time {
            self.next_interval_block = Some(Instant::now() + bt);
        }
        Ok(self.head_number())
    }

    // ------------------------------------------------------------------------------------------
    // Calls and gas estimation
    // ------------------------------------------------------------------------------------------

    /// Runs `f` on a scratch copy of the state `sel` selects: the live state (rolled back
    /// afterwards, even if `f` panics) or a historical copy.
    pub(crate) fn with_scratch<R>(
        &mut self,
        sel: StateSel,
        f: impl FnOnce(&mut WorldState, &ArbConfig, &BlockContext) -> RpcResult<R>,
    ) -> RpcResult<R> {
        let info = self.block_info_for(sel);
        let historical = match sel {
            StateSel::Block(n) => self.mark_after(n).map(|m| (n, m)),
            StateSel::Pending => None,
        };
        let settings = self.settings.clone();
        let outcome = match historical {
            None => {
                let mark = self.state.mark();
                let r = catch_unwind(AssertUnwindSafe(|| f(&mut self.state, &settings, &info)));
                self.state.rollback_to(mark);
                r
            }
            Some((n, mark)) => {
                let db = self.state.state_at(mark).ok_or_else(|| self.pruned(n))?;
                let mut ws = WorldState::new(db);
                catch_unwind(AssertUnwindSafe(|| f(&mut ws, &settings, &info)))
            }
        };
        outcome.unwrap_or_else(|p| {
            Err(RpcError::internal(format!(
                "execution panicked: {}",
                panic_message(&p)
            )))
        })
    }
}

/// Where calls run: the chain itself (the live state, rolled back through the journal, on the
/// execution thread; any block tag) or a [`view::ReadView`] (the published snapshot of the latest
/// state, on any thread; `latest`, `pending` and the head's number or hash). `eth_call`,
/// `eth_estimateGas` and `debug_traceCall` are written once against this trait, so both paths
/// answer alike.
pub trait Scratch {
    /// Chain id.
    fn chain_id(&self) -> u64;

    /// Runs `f` on a scratch copy of the state `sel` selects (changes are discarded; a panic
    /// becomes an internal error).
    fn with_scratch<R>(
        &mut self,
        sel: StateSel,
        f: impl FnOnce(&mut WorldState, &ArbConfig, &BlockContext) -> RpcResult<R>,
    ) -> RpcResult<R>;

    /// `eth_call`.
    fn call(
        &mut self,
        req: TransactionRequest,
        sel: StateSel,
        overrides: Option<StateOverride>,
    ) -> RpcResult<Bytes> {
        let chain_id = self.chain_id();
        self.with_scratch(sel, |ws, settings, info| {
            apply_overrides(ws, overrides)?;
            let env = call_env(ws, &req, chain_id, TX_GAS_CAP)?;
            let to = env.kind.to().copied();
            let out = Chain::run(settings, &mut ws.db, info, env, Mode::Call)?;
            match out.result {
                ExecutionResult::Success { output, .. } => Ok(output.into_data()),
                ExecutionResult::Revert { output, .. } => {
                    let why = crate::error::describe_revert(&output);
                    tracing::info!(target: "devnode", "eth_call to {to:?} reverted: {why}");
                    Err(RpcError::reverted(&output))
                }
                ExecutionResult::Halt { reason, .. } => {
                    let why = halt_message(&reason);
                    tracing::info!(target: "devnode", "eth_call to {to:?} failed: {why}");
                    Err(RpcError::server(why))
                }
            }
        })
    }

    /// `eth_estimateGas`: the exact smallest gas limit that succeeds (see [`estimate`]).
    fn estimate_gas(
        &mut self,
        req: TransactionRequest,
        sel: StateSel,
        overrides: Option<StateOverride>,
    ) -> RpcResult<u64> {
        let chain_id = self.chain_id();
        self.with_scratch(sel, |ws, settings, info| {
            apply_overrides(ws, overrides)?;
            let env = call_env(ws, &req, chain_id, TX_GAS_CAP)?;
            estimate::estimate(ws, settings, info, env)
        })
    }
}

impl Scratch for Chain {
    fn chain_id(&self) -> u64 {
        self.chain_id
    }

    fn with_scratch<R>(
        &mut self,
        sel: StateSel,
        f: impl FnOnce(&mut WorldState, &ArbConfig, &BlockContext) -> RpcResult<R>,
    ) -> RpcResult<R> {
        Chain::with_scratch(self, sel, f)
    }
}

impl Chain {
    // ------------------------------------------------------------------------------------------
    // eth_sendTransaction
    // ------------------------------------------------------------------------------------------

    /// `eth_sendTransaction` from a dev account (signed with its key) or an impersonated account.
    pub fn send_transaction(&mut self, mut req: TransactionRequest, reply: Responder) {
        let result = (|| -> RpcResult<ChainTx> {
            let from = req
                .from
                .ok_or_else(|| RpcError::invalid_params("missing \"from\""))?;
            if has_blob_fields(&req) {
                return Err(tx::blobs_unsupported());
            }
            let signer = self.signers.iter().find(|s| s.address() == from).cloned();
            if signer.is_none() && !self.auto_impersonate && !self.impersonated.contains(&from) {
                return Err(RpcError::server(format!(
                    "no signer available for account {from}"
                )));
            }
            req.chain_id = Some(req.chain_id.unwrap_or(self.chain_id));
            if req.nonce.is_none() {
                req.nonce = Some(self.pending_nonce(from));
            }
            if req.gas_price.is_none() {
                // geth's defaults: tip 0 (Arbitrum drops it), fee cap tip + 2 × base fee.
                let tip = req.max_priority_fee_per_gas.unwrap_or(0);
                req.max_fee_per_gas = Some(
                    req.max_fee_per_gas
                        .unwrap_or(tip.saturating_add(BASE_FEE as u128 * 2)),
                );
                req.max_priority_fee_per_gas = Some(tip);
            }
            if req.to.is_none() {
                req.to = Some(TxKind::Create);
            }
            if req.gas.is_none() {
                let gas = self.estimate_gas(req.clone(), StateSel::Pending, None)?;
                req.gas = Some(gas);
            }
            let typed = req
                .build_typed_tx()
                .map_err(|_| RpcError::invalid_params("incomplete transaction request"))?;
            match signer {
                Some(signer) => {
                    let sign = |hash: B256| {
                        signer
                            .sign_hash_sync(&hash)
                            .map_err(|e| RpcError::internal(format!("signing failed: {e}")))
                    };
                    let envelope = match typed {
                        TypedTransaction::Legacy(t) => {
                            let s = sign(t.signature_hash())?;
                            t.into_signed(s).into()
                        }
                        TypedTransaction::Eip2930(t) => {
                            let s = sign(t.signature_hash())?;
                            t.into_signed(s).into()
                        }
                        TypedTransaction::Eip1559(t) => {
                            let s = sign(t.signature_hash())?;
                            t.into_signed(s).into()
                        }
                        TypedTransaction::Eip7702(t) => {
                            let s = sign(t.signature_hash())?;
                            t.into_signed(s).into()
                        }
                        TypedTransaction::Eip4844(_) => return Err(tx::blobs_unsupported()),
                    };
                    let hash = *alloy::consensus::TxEnvelope::tx_hash(&envelope);
                    Ok(ChainTx {
                        envelope,
                        sender: from,
                        hash,
                        impersonated: false,
                    })
                }
                None => ChainTx::impersonated(typed, from),
            }
        })();
        match result {
            Ok(tx) => self.submit(tx, reply),
            Err(e) => reply(Err(e)),
        }
    }

    // ------------------------------------------------------------------------------------------
    // Lookups
    // ------------------------------------------------------------------------------------------

    /// `eth_getTransactionByHash`.
    pub fn transaction_by_hash(&self, hash: B256) -> Value {
        if let Some(&(n, i)) = self.tx_index.get(&hash) {
            if let Some(b) = self.block(n) {
                return serde_json::to_value(b.rpc_transaction(i)).unwrap_or(Value::Null);
            }
        }
        let pending = self
            .pool
            .iter()
            .chain(self.held.iter().map(|h| &h.tx))
            .find(|t| t.hash == hash);
        match pending {
            Some(t) => serde_json::to_value(alloy::rpc::types::Transaction {
                inner: alloy::consensus::transaction::Recovered::new_unchecked(
                    t.envelope.clone(),
                    t.sender,
                ),
                block_hash: None,
                block_number: None,
                transaction_index: None,
                effective_gas_price: None,
            })
            .unwrap_or(Value::Null),
            None => Value::Null,
        }
    }

    /// `eth_getTransactionByBlock{Number,Hash}AndIndex`.
    pub fn transaction_by_block_index(&self, block: Option<&Block>, index: u64) -> Value {
        match block {
            Some(b) if (index as usize) < b.txs.len() => {
                serde_json::to_value(b.rpc_transaction(index as usize)).unwrap_or(Value::Null)
            }
            _ => Value::Null,
        }
    }

    /// `eth_getTransactionReceipt`.
    pub fn receipt(&self, hash: B256) -> Value {
        match self
            .tx_index
            .get(&hash)
            .and_then(|&(n, i)| Some((self.block(n)?, i)))
        {
            Some((b, i)) => b.rpc_receipt(i),
            None => Value::Null,
        }
    }

    /// The stored receipt and transaction (for tracing and tests).
    pub fn stored_tx(&self, hash: B256) -> Option<(&Block, usize)> {
        let &(n, i) = self.tx_index.get(&hash)?;
        Some((self.block(n)?, i))
    }

    /// Everything needed to re-execute a mined transaction exactly as it ran (the basis of
    /// `debug_traceTransaction`, issue 12): the state right before it (the parent block's state,
    /// rolled back through the journal, with the block's earlier transactions re-applied), its
    /// block environment and its revm environment. Errors when the state is older than the
    /// retained history.
    pub fn replay_setup(&self, hash: B256) -> RpcResult<Replay> {
        let (block, index) = self
            .stored_tx(hash)
            .ok_or_else(|| RpcError::not_found(format!("transaction {hash} not found")))?;
        let number = block.number();
        let db = if number == 0 {
            return Err(RpcError::not_found("genesis has no transactions"));
        } else {
            self.state
                .state_at(block.start_mark)
                .ok_or_else(|| self.pruned(number - 1))?
        };
        let info = self.block_info(number, block.header.timestamp);
        let mut ws = WorldState::new(db);
        for earlier in &block.txs[..index] {
            let mode = if earlier.impersonated {
                Mode::Impersonated
            } else {
                Mode::Transaction
            };
            let out = Self::run(
                &self.settings,
                &mut ws.db,
                &info,
                earlier.tx_env(BASE_FEE),
                mode,
            )?;
            ws.commit(out.state);
        }
        let tx = &block.txs[index];
        Ok(Replay {
            db: ws.db,
            config: self.settings.clone(),
            block: info,
            tx: tx.tx_env(BASE_FEE),
            mode: if tx.impersonated {
                Mode::Impersonated
            } else {
                Mode::Transaction
            },
        })
    }

    /// Re-executes a mined transaction on its exact pre-state (without touching the chain) and
    /// returns the result; see [`Self::replay_setup`].
    pub fn replay(&self, hash: B256) -> RpcResult<ResultAndState> {
        let mut r = self.replay_setup(hash)?;
        Self::run(&r.config, &mut r.db, &r.block, r.tx, r.mode)
    }

    /// `eth_getBlockReceipts`.
    pub fn block_receipts(&self, block: &Block) -> Value {
        Value::Array((0..block.txs.len()).map(|i| block.rpc_receipt(i)).collect())
    }

    /// `eth_feeHistory`.
    pub fn fee_history(
        &self,
        count: u64,
        newest: BlockNumberOrTag,
        percentiles: &[f64],
    ) -> RpcResult<FeeHistory> {
        if percentiles.windows(2).any(|w| w[0] > w[1])
            || percentiles.iter().any(|p| !(0.0..=100.0).contains(p))
        {
            return Err(RpcError::invalid_params("invalid reward percentiles"));
        }
        let newest = self.tag_number(newest).min(self.head_number());
        let count = count.clamp(1, 1024).min(newest + 1);
        let oldest = newest + 1 - count;
        let mut gas_used_ratio = Vec::new();
        let mut reward = Vec::new();
        for n in oldest..=newest {
            let b = &self.blocks[n as usize];
            gas_used_ratio.push(b.header.gas_used as f64 / b.header.gas_limit as f64);
            reward.push(vec![0u128; percentiles.len()]);
        }
        Ok(FeeHistory {
            base_fee_per_gas: vec![BASE_FEE as u128; count as usize + 1],
            gas_used_ratio,
            base_fee_per_blob_gas: vec![0; count as usize + 1],
            blob_gas_used_ratio: vec![0.0; count as usize],
            oldest_block: oldest,
            reward: if percentiles.is_empty() {
                None
            } else {
                Some(reward)
            },
        })
    }

    // ------------------------------------------------------------------------------------------
    // Logs and filters
    // ------------------------------------------------------------------------------------------

    /// Matching logs of blocks `from..=to`.
    fn logs_in(&self, filter: &Filter, from: u64, to: u64) -> Vec<RpcLog> {
        let mut out = Vec::new();
        for n in from..=to.min(self.head_number()) {
            let b = &self.blocks[n as usize];
            if !filter.matches_bloom(b.header.logs_bloom) {
                continue;
            }
            for i in 0..b.txs.len() {
                for log in b.rpc_logs(i) {
                    if filter.matches(&log.inner) {
                        out.push(log);
                    }
                }
            }
        }
        out
    }

    /// `eth_getLogs`.
    pub fn logs(&self, filter: &Filter) -> RpcResult<Vec<RpcLog>> {
        match &filter.block_option {
            FilterBlockOption::AtBlockHash(h) => {
                let b = self
                    .block_by_hash(*h)
                    .ok_or_else(|| RpcError::not_found(format!("block {h} not found")))?;
                Ok(self.logs_in(filter, b.number(), b.number()))
            }
            FilterBlockOption::Range {
                from_block,
                to_block,
            } => {
                let from = self.tag_number(from_block.unwrap_or(BlockNumberOrTag::Latest));
                let to = self.tag_number(to_block.unwrap_or(BlockNumberOrTag::Latest));
                if from > to {
                    return Err(RpcError::invalid_params(format!(
                        "invalid block range: from {from} > to {to}"
                    )));
                }
                Ok(self.logs_in(filter, from, to.min(self.head_number())))
            }
        }
    }

    /// `eth_newFilter`.
    pub fn new_log_filter(&mut self, filter: Filter) -> U256 {
        let head = self.head_number();
        let start = match &filter.block_option {
            FilterBlockOption::Range {
                from_block: Some(f),
                ..
            } => self.tag_number(*f).saturating_sub(1).min(head),
            _ => head,
        };
        self.filters
            .install(FilterKind::Logs(Box::new(filter)), start)
    }

    /// `eth_newBlockFilter`.
    pub fn new_block_filter(&mut self) -> U256 {
        let head = self.head_number();
        self.filters.install(FilterKind::Blocks, head)
    }

    /// `eth_newPendingTransactionFilter`.
    pub fn new_pending_tx_filter(&mut self) -> U256 {
        let head = self.head_number();
        self.filters.install(FilterKind::PendingTransactions, head)
    }

    /// `eth_uninstallFilter`.
    pub fn uninstall_filter(&mut self, id: U256) -> bool {
        self.filters.uninstall(id)
    }

    /// `eth_getFilterChanges`.
    pub fn filter_changes(&mut self, id: U256) -> RpcResult<Value> {
        let head = self.head_number();
        let f = self
            .filters
            .poll(id)
            .ok_or_else(|| RpcError::not_found("filter not found"))?
            .clone();
        let from = f.last_block + 1;
        let value = match &f.kind {
            FilterKind::Blocks => {
                let hashes: Vec<B256> = (from..=head)
                    .map(|n| self.blocks[n as usize].hash)
                    .collect();
                serde_json::to_value(hashes)
            }
            FilterKind::PendingTransactions => {
                let hashes: Vec<B256> = (from..=head)
                    .flat_map(|n| self.blocks[n as usize].txs.iter().map(|t| t.hash))
                    .collect();
                serde_json::to_value(hashes)
            }
            FilterKind::Logs(filter) => {
                let to = match &filter.block_option {
                    FilterBlockOption::Range {
                        to_block: Some(t), ..
                    } if !t.is_latest() && !t.is_pending() => self.tag_number(*t).min(head),
                    _ => head,
                };
                let logs = if from <= to {
                    self.logs_in(filter, from, to)
                } else {
                    Vec::new()
                };
                serde_json::to_value(logs)
            }
        }
        .map_err(|e| RpcError::internal(e.to_string()))?;
        if let Some(f) = self.filters.poll(id) {
            f.last_block = head;
        }
        Ok(value)
    }

    /// `eth_getFilterLogs`.
    pub fn filter_logs(&mut self, id: U256) -> RpcResult<Vec<RpcLog>> {
        let f = self
            .filters
            .poll(id)
            .ok_or_else(|| RpcError::not_found("filter not found"))?
            .clone();
        match f.kind {
            FilterKind::Logs(filter) => self.logs(&filter),
            _ => Err(RpcError::invalid_params("filter is not a log filter")),
        }
    }

    // ------------------------------------------------------------------------------------------
    // Test helpers (anvil/hardhat conventions)
    // ------------------------------------------------------------------------------------------

    /// `anvil_setBalance`.
    pub fn set_balance(&mut self, address: Address, balance: U256) {
        self.state.set_balance(address, balance);
    }

    /// `anvil_setNonce`.
    pub fn set_nonce(&mut self, address: Address, nonce: u64) {
        self.state.set_nonce(address, nonce);
    }

    /// `anvil_setCode`.
    pub fn set_code(&mut self, address: Address, code: Bytes) {
        self.state.set_code(address, code);
    }

    /// `anvil_setStorageAt`.
    pub fn set_storage(&mut self, address: Address, slot: U256, value: U256) {
        self.state.set_storage(address, slot, value);
    }

    /// `anvil_impersonateAccount` / `anvil_stopImpersonatingAccount`.
    pub fn impersonate(&mut self, address: Address, on: bool) {
        if on {
            self.impersonated.insert(address);
        } else {
            self.impersonated.remove(&address);
        }
    }

    /// `anvil_autoImpersonateAccount`.
    pub fn auto_impersonate(&mut self, on: bool) {
        self.auto_impersonate = on;
    }

    /// `evm_setAutomine`: a block per transaction (true) or pooling until `evm_mine` / the interval.
    /// Turning it on mines what is pending.
    pub fn set_auto_mine(&mut self, on: bool) {
        self.auto_mine = on;
        if on && !self.pool.is_empty() {
            let txs = std::mem::take(&mut self.pool);
            self.mine_pool(txs);
        }
    }

    /// Whether every transaction is mined at once.
    pub fn auto_mine(&self) -> bool {
        self.auto_mine
    }

    /// `evm_setIntervalMining`: mine every `ms` milliseconds (0 turns interval mining off).
    pub fn set_interval_mining(&mut self, ms: u64) {
        if ms == 0 {
            self.block_time = None;
            self.next_interval_block = None;
        } else {
            let t = Duration::from_millis(ms);
            self.block_time = Some(t);
            self.next_interval_block = Some(Instant::now() + t);
            self.auto_mine = false;
        }
    }

    /// `evm_snapshot`: returns the snapshot id.
    pub fn snapshot(&mut self) -> U256 {
        self.next_snapshot += 1;
        self.snapshots.insert(
            self.next_snapshot,
            Snapshot {
                mark: self.state.mark(),
                head: self.head_number(),
                time_offset: self.time_offset,
                next_timestamp: self.next_timestamp,
                pool: self.pool.clone(),
            },
        );
        U256::from(self.next_snapshot)
    }

    /// `evm_revert`: back to snapshot `id` (which is consumed, with every later one). False if
    /// the snapshot does not exist.
    pub fn revert(&mut self, id: U256) -> bool {
        let Ok(id) = u64::try_from(id) else {
            return false;
        };
        let Some(snap) = self.snapshots.get(&id).cloned() else {
            return false;
        };
        if !self.state.rollback_to(snap.mark) {
            return false;
        }
        self.truncate_blocks(snap.head);
        self.time_offset = snap.time_offset;
        self.next_timestamp = snap.next_timestamp;
        self.pool = snap.pool;
        self.snapshots.retain(|&k, _| k < id);
        true
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

    /// Rejects every held transaction (shutdown).
    pub fn drain_held(&mut self) {
        for h in self.held.drain(..) {
            (h.reply)(Err(RpcError::server("node shutting down")));
        }
    }
}

/// Applies `eth_call` state overrides (journaled, so they are rolled back with the scratch state).
pub(crate) fn apply_overrides(
    ws: &mut WorldState,
    overrides: Option<StateOverride>,
) -> RpcResult<()> {
    let Some(overrides) = overrides else {
        return Ok(());
    };
    for (address, o) in overrides {
        if o.state.is_some() && o.state_diff.is_some() {
            return Err(RpcError::invalid_params(format!(
                "account {address} has both 'state' and 'stateDiff' overrides"
            )));
        }
        if o.move_precompile_to.is_some() {
            return Err(RpcError::invalid_params(
                "movePrecompileToAddress is not supported",
            ));
        }
        if let Some(b) = o.balance {
            ws.set_balance(address, b);
        }
        if let Some(n) = o.nonce {
            ws.set_nonce(address, n);
        }
        if let Some(code) = o.code {
            ws.set_code(address, code);
        }
        if let Some(state) = o.state {
            ws.replace_storage(
                address,
                state
                    .into_iter()
                    .map(|(k, v)| (U256::from_be_bytes(k.0), U256::from_be_bytes(v.0))),
            );
        }
        if let Some(diff) = o.state_diff {
            for (k, v) in diff {
                ws.set_storage(address, U256::from_be_bytes(k.0), U256::from_be_bytes(v.0));
            }
        }
    }
    Ok(())
}

/// Whether a request carries EIP-4844 fields (refused: Arbitrum has no blobs).
fn has_blob_fields(req: &TransactionRequest) -> bool {
    req.blob_versioned_hashes
        .as_ref()
        .is_some_and(|h| !h.is_empty())
        || req.max_fee_per_blob_gas.is_some()
        || req.sidecar.is_some()
}

/// revm transaction environment of an `eth_call`/`eth_estimateGas` request.
pub(crate) fn call_env(
    ws: &WorldState,
    req: &TransactionRequest,
    chain_id: u64,
    gas_cap: u64,
) -> RpcResult<TxEnv> {
    let caller = req.from.unwrap_or_default();
    let auth = req.authorization_list.clone().unwrap_or_default();
    let ty: u8 = if !auth.is_empty() {
        4
    } else if req.max_fee_per_gas.is_some() || req.max_priority_fee_per_gas.is_some() {
        2
    } else if req.access_list.is_some() {
        1
    } else {
        0
    };
    if req.gas_price.is_some() && ty >= 2 {
        return Err(RpcError::invalid_params(
            "both gasPrice and (maxFeePerGas or maxPriorityFeePerGas) specified",
        ));
    }
    if has_blob_fields(req) {
        return Err(tx::blobs_unsupported());
    }
    if let (Some(tip), Some(cap)) = (req.max_priority_fee_per_gas, req.max_fee_per_gas) {
        if tip > cap {
            return Err(tx::tip_above_fee_cap(caller, tip, cap));
        }
    }
    if let Some(id) = req.chain_id {
        if id != chain_id {
            return Err(RpcError::invalid_params(format!(
                "invalid chain id {id}, expected {chain_id}"
            )));
        }
    }
    let (gas_price, gas_priority_fee) = if ty >= 2 {
        // Arbitrum drops the tip.
        (req.max_fee_per_gas.unwrap_or(0), Some(0))
    } else {
        (req.gas_price.unwrap_or(0).min(BASE_FEE as u128), None)
    };
    Ok(TxEnv {
        tx_type: ty,
        caller,
        gas_limit: req.gas.unwrap_or(gas_cap).min(gas_cap),
        gas_price,
        kind: req.to.unwrap_or(TxKind::Create),
        value: req.value.unwrap_or_default(),
        data: req.input.input().cloned().unwrap_or_default(),
        nonce: req.nonce.unwrap_or_else(|| ws.nonce(caller)),
        chain_id: Some(chain_id),
        access_list: req.access_list.clone().unwrap_or_default(),
        gas_priority_fee,
        blob_hashes: Vec::new(),
        max_fee_per_blob_gas: 0,
        authorization_list: auth.into_iter().map(Either::Left).collect(),
    })
}

/// geth-style message for an invalid transaction.
pub fn invalid_tx_error(sender: Address, e: InvalidTransaction) -> RpcError {
    use InvalidTransaction as I;
    let msg = match e {
        I::NonceTooLow { tx, state } => {
            format!("nonce too low: address {sender}, tx: {tx} state: {state}")
        }
        I::NonceTooHigh { tx, state } => {
            format!("nonce too high: address {sender}, tx: {tx} state: {state}")
        }
        I::LackOfFundForMaxFee { fee, balance } => {
            format!("insufficient funds for gas * price + value: address {sender} have {balance} want {fee}")
        }
        I::GasPriceLessThanBasefee => {
            format!(
                "max fee per gas less than block base fee: address {sender}, baseFee: {BASE_FEE}"
            )
        }
        I::CallGasCostMoreThanGasLimit {
            initial_gas,
            gas_limit,
        } => {
            format!("intrinsic gas too low: gas {gas_limit}, minimum needed {initial_gas}")
        }
        I::GasFloorMoreThanGasLimit {
            gas_floor,
            gas_limit,
        } => {
            format!("intrinsic gas too low: gas {gas_limit}, minimum needed {gas_floor} (EIP-7623 floor)")
        }
        I::TxGasLimitGreaterThanCap { gas_limit, cap } => {
            format!("exceeds max transaction gas limit: gas {gas_limit} cap {cap}")
        }
        I::RejectCallerWithCode => format!("sender not an eoa: address {sender}"),
        I::InvalidChainId | I::MissingChainId => "invalid chain id for signer".to_string(),
        I::CreateInitCodeSizeLimit => "max initcode size exceeded".to_string(),
        I::EmptyAuthorizationList => "EIP-7702 transaction with empty auth list".to_string(),
        I::Eip7702NotSupported => "EIP-7702 transactions are not supported".to_string(),
        I::PriorityFeeGreaterThanMaxFee => {
            format!("max priority fee per gas higher than max fee per gas: address {sender}")
        }
        other => other.to_string(),
    };
    RpcError::server(msg)
}

/// Message for a halt (a failure that is not a REVERT).
pub fn halt_message(reason: &HaltReason) -> String {
    match reason {
        HaltReason::OutOfGas(OutOfGasError::Basic | OutOfGasError::ReentrancySentry) => {
            "out of gas".into()
        }
        HaltReason::OutOfGas(OutOfGasError::MemoryLimit | OutOfGasError::Memory) => {
            "out of gas: memory".into()
        }
        HaltReason::OutOfGas(OutOfGasError::Precompile) => "out of gas: precompile".into(),
        HaltReason::OutOfGas(OutOfGasError::InvalidOperand) => "out of gas: invalid operand".into(),
        HaltReason::OpcodeNotFound | HaltReason::InvalidFEOpcode => "invalid opcode".into(),
        HaltReason::InvalidJump => "invalid jump destination".into(),
        HaltReason::StackUnderflow => "stack underflow".into(),
        HaltReason::StackOverflow => "stack limit reached 1024".into(),
        HaltReason::CallTooDeep => "max call depth exceeded".into(),
        HaltReason::OutOfFunds => "insufficient balance for transfer".into(),
        HaltReason::CreateCollision => "contract address collision".into(),
        HaltReason::CreateContractSizeLimit => "max code size exceeded".into(),
        HaltReason::CreateContractStartingWithEF => "invalid code: must not begin with 0xef".into(),
        HaltReason::StateChangeDuringStaticCall => "write protection".into(),
        HaltReason::NonceOverflow => "nonce uint64 overflow".into(),
        // Messages of the Arbitrum precompiles (e.g. "program activation failed: ...") pass through.
        HaltReason::PrecompileErrorWithContext(msg) => msg.clone(),
        other => format!("execution halted: {other:?}"),
    }
}

/// Text of a caught panic.
pub fn panic_message(p: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
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
