//! The bottom layer of the execution crate: the concrete revm context and the seam to the
//! frame loop.
//!
//! Dependencies inside `devnode-exec` go one way, top to bottom:
//!
//! ```text
//! evm (transact, genesis, dispatch, nested frame loops)
//!  └─ precompiles (Arbitrum precompiles, StylusDeployer, CacheManager)
//!      └─ stylus (program entry, wasm engine, vm_hooks)
//!          └─ programs (ArbOS storage: records, params, pricer, address sets)
//!              └─ context (this module: DevCtx and its parts, per-tx Stylus state, the seam)
//! ```
//!
//! Lower layers never name a higher one. The one place where a lower layer needs the top
//! layer's machinery — running a nested call or create from a Stylus host function or a native
//! system contract, which takes the full EVM (instruction table + precompile provider) — goes
//! through the [`Frames`] seam: a pair of function pointers stored in [`ArbChain::frames`],
//! installed by `evm::build_context`, and called through [`nested_call`] / [`nested_create`]
//! (revm's handler traits play the same role for its own crates).

pub mod trace;

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use revm::bytecode::Bytecode;
use revm::context::{BlockEnv, CfgEnv, Context, Journal, JournalTr, TxEnv};
use revm::database::{CacheDB, DatabaseRef, EmptyDB};
use revm::interpreter::{CallInputs, CallOutcome, CreateInputs, CreateOutcome};
use revm::primitives::hardfork::SpecId;
use revm::primitives::{address, Address, B256, U256};
use revm::state::AccountInfo;
use serde::{Deserialize, Serialize};

use trace::StylusTrace;

/// In-memory world state of the devnode (serde-able). The chain's live state has an empty
/// [`BaseState`] below its cache (the cache is the whole state); reads served off the execution
/// thread put a frozen snapshot of the committed state there instead.
pub type DevDb = CacheDB<BaseState>;

/// A read-only state the in-memory cache sits on (see [`DevDb`]).
pub type SharedState = Arc<dyn DatabaseRef<Error = Infallible> + Send + Sync>;

/// What a [`DevDb`]'s cache falls back to: nothing (`EmptyDB`, the default) or a shared read-only
/// snapshot. It serializes as `EmptyDB` does (a snapshot is never persisted), so state files are
/// unchanged.
#[derive(Clone, Default)]
pub struct BaseState(Option<SharedState>);

impl BaseState {
    /// A cache layer over `state`.
    pub fn shared(state: SharedState) -> Self {
        Self(Some(state))
    }
}

impl fmt::Debug for BaseState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "BaseState(shared)"
        } else {
            "BaseState(empty)"
        })
    }
}

impl Serialize for BaseState {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        EmptyDB::default().serialize(s)
    }
}

impl<'de> Deserialize<'de> for BaseState {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        EmptyDB::deserialize(d).map(|_| Self::default())
    }
}

impl DatabaseRef for BaseState {
    type Error = Infallible;

    fn basic_ref(&self, address: Address) -> Result<Option<AccountInfo>, Infallible> {
        match &self.0 {
            Some(s) => s.basic_ref(address),
            None => EmptyDB::default().basic_ref(address),
        }
    }

    fn code_by_hash_ref(&self, code_hash: B256) -> Result<Bytecode, Infallible> {
        match &self.0 {
            Some(s) => s.code_by_hash_ref(code_hash),
            None => EmptyDB::default().code_by_hash_ref(code_hash),
        }
    }

    fn storage_ref(&self, address: Address, index: U256) -> Result<U256, Infallible> {
        match &self.0 {
            Some(s) => s.storage_ref(address, index),
            None => EmptyDB::default().storage_ref(address, index),
        }
    }

    fn block_hash_ref(&self, number: u64) -> Result<B256, Infallible> {
        match &self.0 {
            Some(s) => s.block_hash_ref(number),
            None => EmptyDB::default().block_hash_ref(number),
        }
    }
}

/// The concrete revm context of the devnode.
pub type DevCtx = Context<BlockEnv, TxEnv, CfgEnv, DevDb, Journal<DevDb>, ArbChain>;

/// The EVM hardfork the devnode runs (ArbOS 50+ is Osaka).
pub const SPEC: SpecId = SpecId::OSAKA;

/// nitro-devnode's published dev account (chain owner at genesis).
pub const DEV_ACCOUNT: Address = address!("3f1Eae7D46d88F08fc2F8ed27FCb2AB183EB2d0E");

/// The dev account's nonce at genesis: 6, what nitro-devnode's start-up script leaves it at
/// (0 `becomeChainOwner`, 1 `setL1PricePerUnit`, 2 funding the CREATE2 factory's deployer,
/// 3 the CacheManager, 4 `addWasmCacheManager`, 5 the StylusDeployer through the CREATE2
/// factory), so the dev account's deployments land at the addresses they get there.
pub const DEV_ACCOUNT_GENESIS_NONCE: u64 = 6;

/// Arbitrum's sequencer coinbase (`block_coinbase` / COINBASE for sequenced transactions).
pub const SEQUENCER_COINBASE: Address = address!("A4B000000000000000000073657175656e636572");

/// Chain-level settings fixed at node start.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArbConfig {
    /// EIP-155 chain id (nitro-devnode: 412346).
    pub chain_id: u64,
    /// ArbOS version (51 = current production; gates Stylus rules).
    pub arbos_version: u64,
    /// `MaxStackDepth` written into the genesis Stylus params (22 000 at ArbOS ≥ 50; 262 144 for
    /// ArbOS 40 parity). At run time the value stored in ArbOS state (ArbOwner-settable) is used.
    pub max_stack_depth: u32,
    /// Debug chain: console imports accepted at activation, ArbDebug (0xFF) present.
    pub debug: bool,
    /// Chain owner at genesis.
    pub chain_owner: Address,
    /// EIP-170 max code size (24 576 by default; Nitro's `--init.dev-max-code-size`).
    pub max_code_size: usize,
    /// Per-transaction gas limit cap (EIP-7825 style; Arbitrum ArbOS 50: 32M).
    pub tx_gas_limit_cap: u64,
    /// Devnode option for gas benches: every program is marked cached (`ArbWasmCache`) when it
    /// is activated, so calls pay the cached entry price without bidding.
    #[serde(default)]
    pub cache_all_programs: bool,
}

impl Default for ArbConfig {
    fn default() -> Self {
        Self {
            chain_id: 412_346,
            arbos_version: 51,
            max_stack_depth: 22_000,
            debug: true,
            chain_owner: DEV_ACCOUNT,
            max_code_size: 24_576,
            tx_gas_limit_cap: 32_000_000,
            cache_all_programs: false,
        }
    }
}

/// Lookup of recent L2 block hashes (for `ArbSys.arbBlockHash`), supplied by the chain.
#[derive(Clone, Default)]
pub struct BlockHashes(Option<Arc<dyn Fn(u64) -> Option<B256> + Send + Sync>>);

impl BlockHashes {
    /// Wraps a lookup function `number → hash`.
    pub fn new(f: impl Fn(u64) -> Option<B256> + Send + Sync + 'static) -> Self {
        Self(Some(Arc::new(f)))
    }

    /// A lookup over a fixed map.
    pub fn from_map(map: BTreeMap<u64, B256>) -> Self {
        Self::new(move |n| map.get(&n).copied())
    }

    /// Hash of L2 block `number`, if known.
    pub fn get(&self, number: u64) -> Option<B256> {
        self.0.as_ref().and_then(|f| f(number))
    }
}

impl fmt::Debug for BlockHashes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "BlockHashes(..)"
        } else {
            "BlockHashes(none)"
        })
    }
}

/// Per-block environment (what NUMBER/TIMESTAMP/BASEFEE and the Stylus block hostios see).
#[derive(Clone, Debug)]
pub struct BlockContext {
    /// L2 block number (ArbSys.arbBlockNumber).
    pub l2_block_number: u64,
    /// L1 block number: what NUMBER and `block_number` return on Arbitrum.
    pub l1_block_number: u64,
    /// Block timestamp (seconds).
    pub timestamp: u64,
    /// Base fee in wei (0.1 gwei on the dev chain).
    pub basefee: u64,
    /// Block gas limit (2^50 on Arbitrum).
    pub gas_limit: u64,
    /// Coinbase (the sequencer address).
    pub coinbase: Address,
    /// PREVRANDAO value (Arbitrum: 1).
    pub prevrandao: B256,
    /// Recent L2 block hashes.
    pub l2_block_hashes: BlockHashes,
    /// The ArbOS ≥ 60 recent-program cache of the block being built, shared by its transactions
    /// (spec §1.10: per block). `None` (calls, estimates, call traces): each execution starts
    /// with an empty cache of its own, as a call on a fresh block does.
    pub recent_programs: Option<RecentPrograms>,
}

impl BlockContext {
    /// This block environment with a fresh recent-program cache shared by every transaction run
    /// with it (or a clone of it): how a block is mined and replayed.
    pub fn with_block_program_cache(mut self) -> Self {
        self.recent_programs = Some(RecentPrograms::default());
        self
    }
}

/// The ArbOS ≥ 60 recent-program cache (spec §1.10): an LRU of code hashes, most recent last.
/// Clones share one cache. Not journaled: a reverted call still counts as a recent call.
#[derive(Clone, Debug, Default)]
pub struct RecentPrograms(Arc<Mutex<Vec<B256>>>);

impl RecentPrograms {
    /// Records a call of `codehash` and returns whether it was already among the `capacity`
    /// most recently called programs (then the call is priced as cached). The least recently
    /// used entries fall out.
    pub fn touch(&self, codehash: B256, capacity: u16) -> bool {
        // A panic in another execution cannot leave the list half-updated (no await points,
        // plain Vec operations), so a poisoned lock's data is still valid.
        let mut list = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let hit = match list.iter().position(|h| *h == codehash) {
            Some(i) => {
                list.remove(i);
                true
            }
            None => false,
        };
        if capacity > 0 {
            list.push(codehash);
            let excess = list.len().saturating_sub(capacity.into());
            list.drain(..excess);
        }
        hit
    }
}

impl Default for BlockContext {
    fn default() -> Self {
        Self {
            l2_block_number: 1,
            l1_block_number: 1,
            timestamp: 1_700_000_000,
            basefee: 100_000_000,
            gas_limit: 1 << 50,
            coinbase: SEQUENCER_COINBASE,
            prevrandao: B256::with_last_byte(1),
            l2_block_hashes: BlockHashes::default(),
            recent_programs: None,
        }
    }
}

/// The `chain` part of [`DevCtx`]: configuration, block extras and per-transaction Stylus state.
#[derive(Clone, Debug, Default)]
pub struct ArbChain {
    /// Chain configuration.
    pub config: ArbConfig,
    /// Block environment of the transaction being executed.
    pub block: BlockContext,
    /// Per-transaction Stylus state (memory pages, reentrancy counters, tracing).
    pub stylus: StylusTxState,
    /// Nested frame loops of the top layer (installed by `evm::build_context`).
    pub frames: Frames,
}

/// Runs a nested CALL frame loop over a running context (see [`Frames`]).
pub type NestedCallFn = fn(&mut DevCtx, CallInputs) -> Result<CallOutcome, String>;
/// Runs a nested CREATE frame loop over a running context (see [`Frames`]).
pub type NestedCreateFn = fn(&mut DevCtx, CreateInputs) -> Result<CreateOutcome, String>;

/// The seam through which lower layers (Stylus host functions, native system contracts) run
/// nested frames with the top layer's EVM. `evm::build_context` installs the real loops; the
/// default reports that none is installed.
#[derive(Clone, Copy, Debug)]
pub struct Frames {
    /// Nested CALL / CALLCODE / DELEGATECALL / STATICCALL.
    pub call: NestedCallFn,
    /// Nested CREATE / CREATE2.
    pub create: NestedCreateFn,
}

fn no_call(_: &mut DevCtx, _: CallInputs) -> Result<CallOutcome, String> {
    Err("no nested frame runner installed in this context".into())
}

fn no_create(_: &mut DevCtx, _: CreateInputs) -> Result<CreateOutcome, String> {
    Err("no nested frame runner installed in this context".into())
}

impl Default for Frames {
    fn default() -> Self {
        Self {
            call: no_call,
            create: no_create,
        }
    }
}

/// Runs a call as a nested frame loop over `ctx`'s journal (through [`Frames`]).
pub fn nested_call(ctx: &mut DevCtx, inputs: CallInputs) -> Result<CallOutcome, String> {
    let call = ctx.chain.frames.call;
    call(ctx, inputs)
}

/// Runs a create as a nested frame loop over `ctx`'s journal (through [`Frames`]).
pub fn nested_create(ctx: &mut DevCtx, inputs: CreateInputs) -> Result<CreateOutcome, String> {
    let create = ctx.chain.frames.create;
    create(ctx, inputs)
}

/// Per-transaction Stylus state (spec §2.4, §2.6). Not journaled: reverts do not restore it.
#[derive(Clone, Debug, Default)]
pub struct StylusTxState {
    /// Wasm pages currently open in the transaction.
    pub open_pages: u16,
    /// Maximum of `open_pages` ever reached in the transaction.
    pub ever_pages: u16,
    /// Open non-delegate, non-callcode frames running code, as `(journal depth, address)`.
    pub(crate) frames: Vec<(usize, Address)>,
    /// Hostio recording (tracing).
    pub trace: StylusTrace,
    /// ArbOS ≥ 60 recent-program cache: the block's ([`BlockContext::recent_programs`]) or,
    /// without one, this execution's own.
    pub recent_programs: RecentPrograms,
}

impl StylusTxState {
    /// Number of open counted frames whose acting address is `address`.
    pub fn open_frames_of(&self, address: Address) -> usize {
        self.frames.iter().filter(|(_, a)| *a == address).count()
    }

    /// The ArbOS 60 recent-program cache (spec §1.10): see [`RecentPrograms::touch`].
    pub fn touch_recent(&mut self, codehash: B256, capacity: u16) -> bool {
        self.recent_programs.touch(codehash, capacity)
    }

    /// Forgets the recorded frames at `depth` or deeper (they have ended).
    pub fn prune(&mut self, depth: usize) {
        while self.frames.last().is_some_and(|(d, _)| *d >= depth) {
            self.frames.pop();
        }
    }
}

/// An account loaded for a call.
#[derive(Clone, Debug)]
pub struct LoadedCode {
    /// Whether the account was cold (it is warm now).
    pub is_cold: bool,
    /// EIP-161 empty (no code, zero nonce, zero balance).
    pub is_empty: bool,
    /// Hash of the code to run.
    pub code_hash: revm::primitives::B256,
    /// The code to run (EIP-7702 delegation followed).
    pub code: revm::bytecode::Bytecode,
}

/// Loads `address` (warming it) and returns the code a CALL would run (following an EIP-7702
/// delegation, without charging for the delegate).
pub fn load_code(
    ctx: &mut DevCtx,
    address: revm::primitives::Address,
) -> Result<LoadedCode, String> {
    let acc = ctx
        .journaled_state
        .load_account_with_code(address)
        .map_err(|e| e.to_string())?;
    let is_cold = acc.is_cold;
    let is_empty = acc.data.is_empty();
    let info = &acc.data.info;
    let mut code_hash = info.code_hash;
    let mut code = info.code.clone().unwrap_or_default();
    if let Some(target) = code.eip7702_address() {
        let del = ctx
            .journaled_state
            .load_account_with_code(target)
            .map_err(|e| e.to_string())?;
        code_hash = del.data.info.code_hash;
        code = del.data.info.code.clone().unwrap_or_default();
    }
    Ok(LoadedCode {
        is_cold,
        is_empty,
        code_hash,
        code,
    })
}
