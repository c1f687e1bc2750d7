//! Calls on scratch state: the [`Scratch`] trait (`eth_call`, `eth_estimateGas`), state
//! overrides and the revm environment of a call request.

use super::*;

impl Chain {
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
pub(super) fn has_blob_fields(req: &TransactionRequest) -> bool {
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
