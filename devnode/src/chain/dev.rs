//! Test helpers (anvil/hardhat conventions): state edits, impersonation, mining mode and
//! snapshots.

use super::*;

impl Chain {
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
}
