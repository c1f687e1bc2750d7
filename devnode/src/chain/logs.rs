//! `eth_getLogs` and the `eth_newFilter` family.

use super::*;

impl Chain {
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
}
