//! Execution and mining: running transactions, mining blocks, the pool, held transactions,
//! interval mining, history pruning and `eth_sendTransaction`.

use super::calls::has_blob_fields;
use super::*;

impl Chain {
    // ------------------------------------------------------------------------------------------
    // Execution
    // ------------------------------------------------------------------------------------------

    /// Runs the execution layer, turning a panic into an internal error (the state is untouched:
    /// `transact` does not commit).
    pub(super) fn run(
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
    pub(super) fn mine_block(
        &mut self,
        candidates: Vec<ChainTx>,
        keep_empty: bool,
    ) -> (Option<u64>, Vec<(B256, RpcResult<()>)>) {
        let number = self.head_number() + 1;
        let timestamp = self.peek_next_timestamp();
        // Every transaction of the block shares its recent-program cache (ArbOS ≥ 60).
        let info = self
            .block_info(number, timestamp)
            .with_block_program_cache();
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

    pub(super) fn mine_pool(&mut self, mut txs: Vec<ChainTx>) -> u64 {
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

    /// Rejects every held transaction (shutdown).
    pub fn drain_held(&mut self) {
        for h in self.held.drain(..) {
            (h.reply)(Err(RpcError::server("node shutting down")));
        }
    }
}
