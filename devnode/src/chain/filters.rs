//! Installed filters (`eth_newFilter`, `eth_newBlockFilter`, `eth_newPendingTransactionFilter`).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use alloy::primitives::U256;
use alloy::rpc::types::Filter;

/// Filters not polled for this long are removed (as geth's 5 minutes).
pub const FILTER_TIMEOUT: Duration = Duration::from_secs(300);

/// What a filter reports.
#[derive(Clone, Debug)]
pub enum FilterKind {
    /// Hashes of new blocks.
    Blocks,
    /// Logs of new blocks matching the filter.
    Logs(Box<Filter>),
    /// Hashes of new pending transactions (with auto-mining: of new mined transactions).
    PendingTransactions,
}

/// One installed filter.
#[derive(Clone, Debug)]
pub struct InstalledFilter {
    /// Kind.
    pub kind: FilterKind,
    /// Last block already reported.
    pub last_block: u64,
    /// Last time it was polled.
    pub last_poll: Instant,
}

/// Filter registry.
#[derive(Debug, Default)]
pub struct Filters {
    filters: HashMap<U256, InstalledFilter>,
    next_id: u64,
}

impl Filters {
    /// Installs a filter that reports blocks after `head`.
    pub fn install(&mut self, kind: FilterKind, head: u64) -> U256 {
        self.expire();
        self.next_id += 1;
        let id = U256::from(self.next_id);
        self.filters.insert(
            id,
            InstalledFilter {
                kind,
                last_block: head,
                last_poll: Instant::now(),
            },
        );
        id
    }

    /// Removes a filter; false if unknown.
    pub fn uninstall(&mut self, id: U256) -> bool {
        self.filters.remove(&id).is_some()
    }

    /// The filter with `id`, marked as polled now.
    pub fn poll(&mut self, id: U256) -> Option<&mut InstalledFilter> {
        self.expire();
        let f = self.filters.get_mut(&id)?;
        f.last_poll = Instant::now();
        Some(f)
    }

    /// The filter with `id` (not marking a poll).
    pub fn get(&self, id: U256) -> Option<&InstalledFilter> {
        self.filters.get(&id)
    }

    /// After an `evm_revert`: no filter may point past the new head.
    pub fn clamp(&mut self, head: u64) {
        for f in self.filters.values_mut() {
            f.last_block = f.last_block.min(head);
        }
    }

    fn expire(&mut self) {
        let now = Instant::now();
        self.filters
            .retain(|_, f| now.duration_since(f.last_poll) < FILTER_TIMEOUT);
    }
}
