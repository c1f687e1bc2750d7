//! Reads that never wait for mining: an immutable snapshot of the latest committed state.
//!
//! The execution thread owns the [`Chain`]; writes stay there. After every command (and inside
//! [`Chain::mine_block`], before a transaction's sender hears back) the chain *publishes* a
//! [`ReadView`]: the committed state as persistent maps ([`Frozen`], `imbl`'s HAMTs: cloning is
//! O(1), updating a key copies only its path), plus the head block and the clock. Publishing costs
//! O(keys changed since the last publication): the state's undo journal already records every
//! write and rollback ([`WorldState::take_touched`]). The view is swapped in behind an `RwLock`d
//! `Arc`; a reader clones the `Arc` and runs on its own thread (the RPC workers), so
//! `eth_call`, `eth_estimateGas`, `debug_traceCall` and the balance/code/storage reads scale
//! with cores and never queue behind mining.
//!
//! Exactness: a call on the view runs the same code as on the execution thread (the
//! [`Scratch`] trait) over a revm cache whose base is the snapshot, so it sees exactly the
//! accounts, code and slots the live state holds; block environments (number, timestamp incl.
//! `evm_increaseTime`/`evm_setNextBlockTimestamp`, recent hashes) are computed by the same rules.
//! The view serves `latest`, `pending`, `safe`/`finalized` and the head's number or hash; older
//! blocks (historical state lives in the journal) go to the execution thread.

use std::convert::Infallible;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, RwLock};

use alloy::eips::{BlockId, BlockNumberOrTag};
use alloy::primitives::{Address, Bytes, B256, U256};
use revm::bytecode::Bytecode;
use revm::database::{AccountState, DatabaseRef};
use revm::primitives::KECCAK_EMPTY;
use revm::state::AccountInfo;

use super::state::{Touched, WorldState};
use super::{l1_block_number, now_secs, panic_message, Chain, Scratch, StateSel};
use crate::config::{BASE_FEE, BLOCK_GAS_LIMIT, COINBASE};
use crate::error::{RpcError, RpcResult};
use crate::exec::{ArbConfig, BlockContext, BlockHashes, DevDb};

/// One account of the snapshot.
#[derive(Clone, Debug)]
struct FrozenAccount {
    info: AccountInfo,
    storage: imbl::HashMap<U256, U256>,
}

/// The committed state as persistent maps (accounts that exist, their slots, code by hash).
#[derive(Clone, Debug, Default)]
pub struct Frozen {
    accounts: imbl::HashMap<Address, Arc<FrozenAccount>>,
    contracts: imbl::HashMap<B256, Bytecode>,
}

impl Frozen {
    /// The whole state of `db` (genesis, a loaded state file).
    fn rebuild(db: &DevDb) -> Self {
        let mut f = Self::default();
        for (address, acc) in &db.cache.accounts {
            if matches!(acc.account_state, AccountState::NotExisting) {
                continue;
            }
            f.accounts.insert(
                *address,
                Arc::new(FrozenAccount {
                    info: acc.info.clone(),
                    storage: acc.storage.iter().map(|(k, v)| (*k, *v)).collect(),
                }),
            );
        }
        for (hash, code) in &db.cache.contracts {
            f.contracts.insert(*hash, code.clone());
        }
        f
    }

    /// Brings the keys in `touched` up to date with `db`.
    fn apply(&mut self, db: &DevDb, mut touched: Touched) {
        // A slot written into an account the snapshot does not hold yet (`anvil_setStorageAt` on a
        // fresh address) brings the whole account in.
        let fresh: Vec<Address> = touched
            .slots
            .iter()
            .map(|(a, _)| *a)
            .filter(|a| !self.accounts.contains_key(a))
            .collect();
        touched.accounts.extend(fresh);
        let accounts = touched.accounts.iter().map(|a| (a, true));
        let infos = touched.infos.iter().map(|a| (a, false));
        for (address, whole) in accounts.chain(infos) {
            let live = db
                .cache
                .accounts
                .get(address)
                .filter(|a| !matches!(a.account_state, AccountState::NotExisting));
            let Some(live) = live else {
                self.accounts.remove(address);
                continue;
            };
            if live.info.code_hash != KECCAK_EMPTY
                && !self.contracts.contains_key(&live.info.code_hash)
            {
                let code = live
                    .info
                    .code
                    .clone()
                    .or_else(|| db.cache.contracts.get(&live.info.code_hash).cloned());
                if let Some(code) = code {
                    self.contracts.insert(live.info.code_hash, code);
                }
            }
            let whole = whole || !self.accounts.contains_key(address);
            let entry = self.accounts.entry(*address).or_insert_with(|| {
                Arc::new(FrozenAccount {
                    info: AccountInfo::default(),
                    storage: imbl::HashMap::new(),
                })
            });
            let acc = Arc::make_mut(entry);
            acc.info = live.info.clone();
            if whole {
                acc.storage = live.storage.iter().map(|(k, v)| (*k, *v)).collect();
            }
        }
        for (address, slot) in touched.slots {
            if touched.accounts.contains(&address) {
                continue; // rebuilt whole above
            }
            let Some(entry) = self.accounts.get_mut(&address) else {
                continue;
            };
            let value = db
                .cache
                .accounts
                .get(&address)
                .and_then(|a| a.storage.get(&slot).copied());
            let acc = Arc::make_mut(entry);
            match value {
                Some(v) => {
                    acc.storage.insert(slot, v);
                }
                None => {
                    acc.storage.remove(&slot);
                }
            }
        }
    }
}

impl DatabaseRef for Frozen {
    type Error = Infallible;

    fn basic_ref(&self, address: Address) -> Result<Option<AccountInfo>, Infallible> {
        Ok(self.accounts.get(&address).map(|a| a.info.clone()))
    }

    fn code_by_hash_ref(&self, code_hash: B256) -> Result<Bytecode, Infallible> {
        Ok(self.contracts.get(&code_hash).cloned().unwrap_or_default())
    }

    fn storage_ref(&self, address: Address, index: U256) -> Result<U256, Infallible> {
        Ok(self
            .accounts
            .get(&address)
            .and_then(|a| a.storage.get(&index).copied())
            .unwrap_or_default())
    }

    fn block_hash_ref(&self, number: u64) -> Result<B256, Infallible> {
        // What the live state's empty base answers (the devnode's BLOCKHASH source).
        revm::database::EmptyDB::default().block_hash_ref(number)
    }
}

/// The latest committed state and what reads of it need, as of one publication.
#[derive(Debug)]
pub struct ReadView {
    state: Arc<Frozen>,
    chain_id: u64,
    settings: ArbConfig,
    head: u64,
    head_hash: B256,
    head_timestamp: u64,
    genesis_timestamp: u64,
    time_offset: i64,
    next_timestamp: Option<u64>,
    /// Hashes of blocks `hashes_from..=head` (the 256 before the pending block and the head).
    hashes: Arc<Vec<B256>>,
    hashes_from: u64,
}

/// Number of recent block hashes a view keeps (`ArbSys.arbBlockHash` reaches 256 back).
const HASH_WINDOW: u64 = 257;

impl ReadView {
    /// Number of the head block the view shows.
    pub fn head_number(&self) -> u64 {
        self.head
    }

    /// The state a block tag selects when the view can answer it; `None` for older blocks (the
    /// caller asks the execution thread). Same rules and errors as [`Chain::resolve`].
    pub fn select(&self, id: Option<BlockId>) -> Option<RpcResult<StateSel>> {
        match id.unwrap_or(BlockId::Number(BlockNumberOrTag::Latest)) {
            BlockId::Hash(h) if h.block_hash == self.head_hash => {
                Some(Ok(StateSel::Block(self.head)))
            }
            BlockId::Hash(_) => None,
            BlockId::Number(tag) => match tag {
                BlockNumberOrTag::Pending => Some(Ok(StateSel::Pending)),
                BlockNumberOrTag::Number(n) if n > self.head => Some(Err(RpcError::not_found(
                    format!("block {n} not found (head is {})", self.head),
                ))),
                BlockNumberOrTag::Number(n) if n < self.head => None,
                BlockNumberOrTag::Earliest if self.head > 0 => None,
                _ => Some(Ok(StateSel::Block(self.head))),
            },
        }
    }

    /// Timestamp the next block will get ([`Chain::peek_next_timestamp`]).
    fn next_timestamp(&self) -> u64 {
        if let Some(t) = self.next_timestamp {
            return t;
        }
        let now = (now_secs() as i64).saturating_add(self.time_offset).max(0) as u64;
        now.max(self.head_timestamp + 1)
    }

    /// Block environment of `sel` ([`Chain::block_info_for`]).
    fn block_info(&self, sel: StateSel) -> RpcResult<BlockContext> {
        let (number, timestamp) = match sel {
            StateSel::Pending => (self.head + 1, self.next_timestamp()),
            StateSel::Block(n) if n == self.head => (self.head, self.head_timestamp),
            StateSel::Block(n) => {
                return Err(RpcError::internal(format!(
                    "block {n} is not the read snapshot's head {}",
                    self.head
                )))
            }
        };
        let hashes = Arc::clone(&self.hashes);
        let from = self.hashes_from;
        Ok(BlockContext {
            l2_block_number: number,
            l1_block_number: l1_block_number(self.genesis_timestamp, timestamp),
            timestamp,
            basefee: BASE_FEE,
            gas_limit: BLOCK_GAS_LIMIT,
            coinbase: COINBASE,
            prevrandao: B256::with_last_byte(1),
            l2_block_hashes: BlockHashes::new(move |n| {
                if n < number && n + 256 >= number && n >= from {
                    hashes.get(usize::try_from(n - from).ok()?).copied()
                } else {
                    None
                }
            }),
            recent_programs: None,
        })
    }

    /// Balance (`sel` from [`Self::select`]).
    pub fn balance(&self, address: Address) -> U256 {
        self.state
            .accounts
            .get(&address)
            .map(|a| a.info.balance)
            .unwrap_or_default()
    }

    /// Nonce.
    pub fn nonce(&self, address: Address) -> u64 {
        self.state
            .accounts
            .get(&address)
            .map(|a| a.info.nonce)
            .unwrap_or_default()
    }

    /// Deployed code.
    pub fn code(&self, address: Address) -> Bytes {
        let Some(acc) = self.state.accounts.get(&address) else {
            return Bytes::new();
        };
        if let Some(code) = &acc.info.code {
            return code.original_bytes();
        }
        self.state
            .contracts
            .get(&acc.info.code_hash)
            .map(|c| c.original_bytes())
            .unwrap_or_default()
    }

    /// A storage slot.
    pub fn storage(&self, address: Address, slot: U256) -> B256 {
        B256::from(self.state.storage_ref(address, slot).unwrap_or_default())
    }
}

/// Runs calls on the snapshot: [`Scratch`] for a shared view.
impl Scratch for Arc<ReadView> {
    fn chain_id(&self) -> u64 {
        self.chain_id
    }

    fn with_scratch<R>(
        &mut self,
        sel: StateSel,
        f: impl FnOnce(&mut WorldState, &ArbConfig, &BlockContext) -> RpcResult<R>,
    ) -> RpcResult<R> {
        let info = self.block_info(sel)?;
        let base = crate::exec::BaseState::shared(self.state.clone());
        let mut ws = WorldState::new(DevDb::new(base));
        catch_unwind(AssertUnwindSafe(|| f(&mut ws, &self.settings, &info))).unwrap_or_else(|p| {
            Err(RpcError::internal(format!(
                "execution panicked: {}",
                panic_message(&p)
            )))
        })
    }
}

/// Where the latest [`ReadView`] is published; cloned into the RPC layer.
#[derive(Clone, Debug)]
pub struct ReadHandle(Arc<RwLock<Arc<ReadView>>>);

impl ReadHandle {
    /// The latest published view.
    pub fn latest(&self) -> Arc<ReadView> {
        Arc::clone(&self.0.read().unwrap_or_else(|e| e.into_inner()))
    }
}

/// The chain's side of publication.
#[derive(Debug, Default)]
pub(super) struct Publisher {
    /// The snapshot state, updated in place (only paths a published view still shares are
    /// copied).
    frozen: Frozen,
    cell: Option<ReadHandle>,
    /// The state was replaced wholesale (genesis, state file): rebuild instead of applying.
    stale: bool,
    /// What the last view showed: head, head hash, clock offset, forced next timestamp.
    shown: Option<(u64, B256, i64, Option<u64>)>,
}

impl Publisher {
    /// Forces a full rebuild at the next publication.
    pub(super) fn invalidate(&mut self) {
        self.stale = true;
    }
}

impl Chain {
    /// The handle readers get the latest view from.
    pub fn read_handle(&mut self) -> ReadHandle {
        if self.reads.cell.is_none() {
            self.publish();
        }
        self.reads.cell.clone().expect("published above")
    }

    /// Publishes the current state, head and clock as the latest [`ReadView`] (cheap when
    /// nothing changed). Runs after every command and before a mined transaction's reply.
    pub fn publish(&mut self) {
        let shown = (
            self.head_number(),
            self.head().hash,
            self.time_offset,
            self.next_timestamp,
        );
        if !self.reads.stale
            && self.reads.cell.is_some()
            && !self.state.has_touched()
            && self.reads.shown == Some(shown)
        {
            return;
        }
        let touched = self.state.take_touched();
        if std::mem::take(&mut self.reads.stale) || self.reads.cell.is_none() {
            self.reads.frozen = Frozen::rebuild(&self.state.db);
        } else {
            self.reads.frozen.apply(&self.state.db, touched);
        }
        let head = self.head_number();
        let from = (head + 1).saturating_sub(HASH_WINDOW);
        let view = Arc::new(ReadView {
            state: Arc::new(self.reads.frozen.clone()),
            chain_id: self.chain_id,
            settings: self.settings.clone(),
            head,
            head_hash: self.head().hash,
            head_timestamp: self.head().header.timestamp,
            genesis_timestamp: self.genesis_timestamp,
            time_offset: self.time_offset,
            next_timestamp: self.next_timestamp,
            hashes: Arc::new(self.hashes[from as usize..].to_vec()),
            hashes_from: from,
        });
        self.reads.shown = Some(shown);
        match &self.reads.cell {
            Some(cell) => *cell.0.write().unwrap_or_else(|e| e.into_inner()) = view,
            None => self.reads.cell = Some(ReadHandle(Arc::new(RwLock::new(view)))),
        }
    }
}
