//! Reads: basic accessors, block tags and state selection, account state at a block,
//! transaction and receipt lookups, replays and fee history.

use super::*;

impl Chain {
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
    pub(super) fn mark_after(&self, n: u64) -> Option<Mark> {
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

    pub(super) fn pruned(&self, n: u64) -> RpcError {
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

    pub(super) fn pending_nonce(&self, address: Address) -> u64 {
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
        // The block's recent-program cache, rebuilt by re-running its earlier transactions.
        let info = self
            .block_info(number, block.header.timestamp)
            .with_block_program_cache();
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
}
