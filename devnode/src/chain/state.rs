//! World state with an undo journal.
//!
//! The live state is one revm [`DevDb`]. Every change the chain makes to it (committed transactions,
//! `anvil_set*` edits, `eth_call` state overrides) goes through [`WorldState`], which records the
//! previous value of what it overwrites in an append-only undo log. Rolling the log back to a mark
//! restores the state exactly as it was at that mark. This gives, without copying the state per
//! block:
//! * `evm_snapshot`/`evm_revert` (a snapshot is a mark),
//! * state overrides for `eth_call` (apply, execute, roll back),
//! * historical state for block tags (clone the live state, roll the clone back to the block's mark),
//! * re-execution of a past transaction on its exact pre-state (tracing, issue 12).
//!
//! Marks are absolute positions; old entries are dropped with [`WorldState::forget_before`] so the
//! log stays bounded (the history depth).

use std::collections::{HashSet, VecDeque};

use crate::exec::DevDb;
use alloy::primitives::{Address, Bytes, B256, U256};
use revm::bytecode::Bytecode;
use revm::database::{AccountState, DatabaseRef, DbAccount};
use revm::primitives::KECCAK_EMPTY;
use revm::state::{AccountInfo, EvmState};
use serde::{Deserialize, Serialize};

/// One recorded previous value.
#[derive(Clone, Debug, Serialize, Deserialize)]
enum Undo {
    /// The whole account entry (used when its storage was wiped: creation, selfdestruct, setCode).
    Account {
        address: Address,
        prev: Option<DbAccount>,
    },
    /// Account info and state flag (storage untouched).
    Info {
        address: Address,
        prev: Option<(AccountInfo, AccountState)>,
    },
    /// One storage slot (`None`: the slot had no entry).
    Slot {
        address: Address,
        slot: U256,
        prev: Option<U256>,
    },
}

/// The live world state plus its undo journal.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct WorldState {
    /// The live state (what "latest"/"pending" see).
    pub db: DevDb,
    undo: VecDeque<Undo>,
    /// Absolute position of `undo[0]`.
    base: u64,
    /// What changed since the last [`WorldState::take_touched`] (feeds the read snapshot, see
    /// `chain::view`).
    #[serde(skip)]
    touched: Touched,
    /// Keys changed (or rolled back) since the state trie last caught up (see
    /// [`Self::take_dirty`]).
    #[serde(skip)]
    dirty: Touched,
}

/// The keys changed since the last [`WorldState::take_touched`]: every journaled write and every
/// rollback records its key here.
#[derive(Clone, Debug, Default)]
pub struct Touched {
    /// Accounts whose whole entry (storage included) was replaced.
    pub accounts: HashSet<Address>,
    /// Accounts whose info (balance, nonce, code) changed.
    pub infos: HashSet<Address>,
    /// Storage slots that changed.
    pub slots: HashSet<(Address, U256)>,
}

impl Touched {
    /// Nothing changed.
    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty() && self.infos.is_empty() && self.slots.is_empty()
    }

    fn note(&mut self, entry: &Undo) {
        match entry {
            Undo::Account { address, .. } => {
                self.accounts.insert(*address);
            }
            Undo::Info { address, .. } => {
                self.infos.insert(*address);
            }
            Undo::Slot { address, slot, .. } => {
                self.slots.insert((*address, *slot));
            }
        }
    }
}

/// A position in the undo journal.
pub type Mark = u64;

impl WorldState {
    /// Wraps a state with an empty journal.
    pub fn new(db: DevDb) -> Self {
        Self {
            db,
            undo: VecDeque::new(),
            base: 0,
            touched: Touched::default(),
            dirty: Touched::default(),
        }
    }

    /// The keys changed since the last call (and forgets them).
    pub fn take_touched(&mut self) -> Touched {
        std::mem::take(&mut self.touched)
    }

    /// Whether anything changed since the last [`Self::take_touched`].
    pub fn has_touched(&self) -> bool {
        !self.touched.is_empty()
    }

    /// Current position of the journal.
    pub fn mark(&self) -> Mark {
        self.base + self.undo.len() as u64
    }

    /// Oldest mark that can still be rolled back to.
    pub fn oldest_mark(&self) -> Mark {
        self.base
    }

    /// Undoes every change made after `mark`. Returns false (and changes nothing) when the mark is
    /// older than the retained journal.
    pub fn rollback_to(&mut self, mark: Mark) -> bool {
        if mark < self.base || mark > self.mark() {
            return false;
        }
        while self.mark() > mark {
            let entry = self
                .undo
                .pop_back()
                .expect("mark above base implies entries");
            self.touched.note(&entry);
            self.dirty.note(&entry);
            apply_undo(&mut self.db, entry);
        }
        true
    }

    /// A copy of the state as it was at `mark` (the live state is untouched), or `None` when the
    /// journal no longer reaches back that far.
    pub fn state_at(&self, mark: Mark) -> Option<DevDb> {
        if mark < self.base || mark > self.mark() {
            return None;
        }
        let mut db = self.db.clone();
        let keep = (mark - self.base) as usize;
        for entry in self.undo.iter().skip(keep).rev() {
            apply_undo(&mut db, entry.clone());
        }
        Some(db)
    }

    /// Drops journal entries older than `mark` (they can no longer be rolled back to).
    pub fn forget_before(&mut self, mark: Mark) {
        while self.base < mark && !self.undo.is_empty() {
            self.undo.pop_front();
            self.base += 1;
        }
    }

    /// Number of retained journal entries.
    pub fn journal_len(&self) -> usize {
        self.undo.len()
    }

    /// The keys changed or rolled back since the last call: what the state trie must update.
    pub fn take_dirty(&mut self) -> Touched {
        std::mem::take(&mut self.dirty)
    }

    fn push_undo(&mut self, entry: Undo) {
        self.touched.note(&entry);
        self.dirty.note(&entry);
        self.undo.push_back(entry);
    }

    fn record_account(&mut self, address: Address) {
        let prev = self.db.cache.accounts.get(&address).cloned();
        self.push_undo(Undo::Account { address, prev });
    }

    fn record_info(&mut self, address: Address) {
        let prev = self
            .db
            .cache
            .accounts
            .get(&address)
            .map(|a| (a.info.clone(), a.account_state.clone()));
        self.push_undo(Undo::Info { address, prev });
    }

    fn record_slot(&mut self, address: Address, slot: U256) {
        let prev = self
            .db
            .cache
            .accounts
            .get(&address)
            .and_then(|a| a.storage.get(&slot).copied());
        self.push_undo(Undo::Slot {
            address,
            slot,
            prev,
        });
    }

    /// Commits the state changes of an executed transaction, journaling what they overwrite.
    pub fn commit(&mut self, changes: EvmState) {
        use revm::DatabaseCommit;
        for (address, account) in &changes {
            if !account.is_touched() {
                continue;
            }
            if account.is_selfdestructed() || account.is_created() {
                self.record_account(*address);
            } else {
                self.record_info(*address);
                for (slot, value) in &account.storage {
                    if value.is_changed() {
                        self.record_slot(*address, *slot);
                    }
                }
            }
        }
        self.db.commit(changes);
    }

    /// Basic account info (default for a missing account).
    pub fn account(&self, address: Address) -> AccountInfo {
        match self.db.basic_ref(address) {
            Ok(info) => info.unwrap_or_default(),
            Err(never) => match never {},
        }
    }

    /// Balance of an account.
    pub fn balance(&self, address: Address) -> U256 {
        self.account(address).balance
    }

    /// Nonce of an account.
    pub fn nonce(&self, address: Address) -> u64 {
        self.account(address).nonce
    }

    /// Deployed code of an account (empty for EOAs).
    pub fn code(&self, address: Address) -> Bytes {
        code_of(&self.db, address)
    }

    /// A storage slot (zero when unset).
    pub fn storage(&self, address: Address, slot: U256) -> U256 {
        storage_of(&self.db, address, slot)
    }

    fn entry(&mut self, address: Address) -> &mut DbAccount {
        // Loads the account from the base state when the cache sits on a snapshot (a missing
        // account becomes a not-existing entry, as before).
        let acc = match self.db.load_account(address) {
            Ok(acc) => acc,
            Err(never) => match never {},
        };
        if matches!(acc.account_state, AccountState::NotExisting) {
            acc.account_state = AccountState::Touched;
        }
        acc
    }

    /// Sets an account's balance (journaled).
    pub fn set_balance(&mut self, address: Address, balance: U256) {
        self.record_info(address);
        self.entry(address).info.balance = balance;
    }

    /// Sets an account's nonce (journaled).
    pub fn set_nonce(&mut self, address: Address, nonce: u64) {
        self.record_info(address);
        self.entry(address).info.nonce = nonce;
    }

    /// Replaces an account's code, keeping its storage (journaled).
    pub fn set_code(&mut self, address: Address, code: Bytes) {
        self.record_info(address);
        let bytecode = Bytecode::new_raw(code);
        let hash = if bytecode.is_empty() {
            KECCAK_EMPTY
        } else {
            bytecode.hash_slow()
        };
        self.db.cache.contracts.entry(hash).or_insert(bytecode);
        let acc = self.entry(address);
        acc.info.code_hash = hash;
        acc.info.code = None;
    }

    /// Sets one storage slot (journaled).
    pub fn set_storage(&mut self, address: Address, slot: U256, value: U256) {
        self.record_slot(address, slot);
        self.entry(address).storage.insert(slot, value);
    }

    /// Replaces the whole storage of an account (journaled; `eth_call`'s `state` override).
    pub fn replace_storage(
        &mut self,
        address: Address,
        slots: impl IntoIterator<Item = (U256, U256)>,
    ) {
        self.record_account(address);
        let acc = self.entry(address);
        acc.storage.clear();
        acc.account_state = AccountState::StorageCleared;
        acc.storage.extend(slots);
    }

    /// Installs code by hash (not journaled: unreferenced code is harmless).
    pub fn insert_code(&mut self, bytecode: Bytecode) -> B256 {
        let hash = bytecode.hash_slow();
        self.db.cache.contracts.entry(hash).or_insert(bytecode);
        hash
    }
}

/// Code of `address` in `db` (its cache, then the state below it).
pub fn code_of(db: &DevDb, address: Address) -> Bytes {
    let Ok(Some(info)) = db.basic_ref(address) else {
        return Bytes::new();
    };
    if let Some(code) = &info.code {
        return code.original_bytes();
    }
    if info.code_hash == KECCAK_EMPTY {
        return Bytes::new();
    }
    match db.code_by_hash_ref(info.code_hash) {
        Ok(code) => code.original_bytes(),
        Err(never) => match never {},
    }
}

/// Storage slot of `address` in `db` (its cache, then the state below it).
pub fn storage_of(db: &DevDb, address: Address, slot: U256) -> U256 {
    match db.storage_ref(address, slot) {
        Ok(v) => v,
        Err(never) => match never {},
    }
}

fn apply_undo(db: &mut DevDb, entry: Undo) {
    let accounts = &mut db.cache.accounts;
    match entry {
        Undo::Account { address, prev } => match prev {
            Some(acc) => {
                accounts.insert(address, acc);
            }
            None => {
                accounts.remove(&address);
            }
        },
        Undo::Info { address, prev } => match prev {
            Some((info, state)) => {
                let acc = accounts.entry(address).or_default();
                acc.info = info;
                acc.account_state = state;
            }
            None => {
                accounts.remove(&address);
            }
        },
        Undo::Slot {
            address,
            slot,
            prev,
        } => {
            if let Some(acc) = accounts.get_mut(&address) {
                match prev {
                    Some(v) => {
                        acc.storage.insert(slot, v);
                    }
                    None => {
                        acc.storage.remove(&slot);
                    }
                }
            } else if let Some(v) = prev {
                // The account entry vanished in between (cannot happen with a well-ordered log,
                // handled for robustness).
                accounts.entry(address).or_default().storage.insert(slot, v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(n: u8) -> Address {
        Address::repeat_byte(n)
    }

    #[test]
    fn rollback_restores_edits() {
        let mut ws = WorldState::default();
        ws.set_balance(addr(1), U256::from(5));
        let m = ws.mark();
        ws.set_balance(addr(1), U256::from(7));
        ws.set_storage(addr(1), U256::from(1), U256::from(9));
        ws.set_code(addr(2), Bytes::from_static(&[0x60, 0x00]));
        ws.set_nonce(addr(3), 4);
        let past = ws.state_at(m).unwrap();
        assert_eq!(past.cache.accounts[&addr(1)].info.balance, U256::from(5));
        assert!(!past.cache.accounts.contains_key(&addr(2)));
        assert_eq!(ws.balance(addr(1)), U256::from(7));
        assert!(ws.rollback_to(m));
        assert_eq!(ws.balance(addr(1)), U256::from(5));
        assert_eq!(ws.storage(addr(1), U256::from(1)), U256::ZERO);
        assert!(ws.code(addr(2)).is_empty());
        assert_eq!(ws.nonce(addr(3)), 0);
    }

    #[test]
    fn forgotten_marks_are_refused() {
        let mut ws = WorldState::default();
        ws.set_balance(addr(1), U256::from(1));
        ws.set_balance(addr(1), U256::from(2));
        ws.forget_before(1);
        assert!(ws.state_at(0).is_none());
        assert!(!ws.rollback_to(0));
        assert!(ws.rollback_to(1));
        assert_eq!(ws.balance(addr(1)), U256::from(1));
    }
}
