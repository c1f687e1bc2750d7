//! Every JSON-RPC method the devnode serves.

use std::future::Future;

use alloy::eips::{BlockId, BlockNumberOrTag};
use alloy::primitives::{keccak256, Address, Bytes, B256, U256, U64};
use alloy::rpc::types::state::StateOverride;
use alloy::rpc::types::{Filter, TransactionRequest};
use jsonrpsee::types::ErrorObjectOwned;
use jsonrpsee::RpcModule;
use serde_json::{json, Value};

use super::{Ctx, Params, RpcContext, CLIENT_VERSION};
use crate::chain::tx::ChainTx;
use crate::chain::{Scratch, StateSel};
use crate::config::BASE_FEE;
use crate::error::{RpcError, RpcResult};

fn register_one<F, Fut>(module: &mut RpcModule<RpcContext>, name: &'static str, f: F)
where
    F: Fn(Ctx, Params) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = RpcResult<Value>> + Send + 'static,
{
    module
        .register_async_method(name, move |raw, ctx, _ext| {
            let f = f.clone();
            async move {
                let verbose = ctx.verbose;
                let result = match Params::parse(&raw) {
                    Ok(p) => f(ctx, p).await,
                    Err(e) => Err(e),
                };
                if verbose {
                    match &result {
                        Ok(_) => tracing::info!(target: "devnode::rpc", "{name}"),
                        Err(e) => tracing::info!(target: "devnode::rpc", "{name} -> error {}: {}", e.code, e.message),
                    }
                }
                result.map_err(ErrorObjectOwned::from)
            }
        })
        .expect("method names are unique");
}

fn alias(module: &mut RpcModule<RpcContext>, alias: &'static str, existing: &'static str) {
    module
        .register_alias(alias, existing)
        .expect("aliases are unique");
}

fn to_json<T: serde::Serialize>(v: T) -> RpcResult<Value> {
    serde_json::to_value(v).map_err(|e| RpcError::internal(e.to_string()))
}

fn hex_u64(n: u64) -> Value {
    Value::String(format!("{n:#x}"))
}

/// Parses a quantity given as a JSON number or a (hex or decimal) string.
fn quantity(v: &Value, name: &str) -> RpcResult<u64> {
    let bad = || RpcError::invalid_params(format!("invalid {name}: expected a quantity, got {v}"));
    match v {
        Value::Number(n) => n.as_u64().ok_or_else(bad),
        Value::String(s) => {
            if let Some(h) = s.strip_prefix("0x") {
                u64::from_str_radix(h, 16).map_err(|_| bad())
            } else {
                s.parse().map_err(|_| bad())
            }
        }
        _ => Err(bad()),
    }
}

/// Signed variant of [`quantity`] (for `evm_increaseTime`).
fn signed_quantity(v: &Value, name: &str) -> RpcResult<i64> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .ok_or_else(|| RpcError::invalid_params(format!("invalid {name}: {v}"))),
        _ => quantity(v, name).and_then(|q| {
            i64::try_from(q)
                .map_err(|_| RpcError::invalid_params(format!("invalid {name}: too large")))
        }),
    }
}

/// Registers all methods.
pub fn register(m: &mut RpcModule<RpcContext>) {
    // ---------------------------------------------------------------- debug (issue 12)
    register_one(m, "debug_traceTransaction", |ctx, p| async move {
        p.at_most(2)?;
        let hash: B256 = p.req(0, "transaction hash")?;
        let kind = crate::trace::parse_options(p.raw(1))?;
        ctx.chain
            .exec(move |c| c.trace_transaction(hash, &kind))
            .await
    });
    register_one(m, "debug_traceCall", |ctx, p| async move {
        p.at_most(3)?;
        let req: TransactionRequest = p.req(0, "transaction")?;
        let block: Option<BlockId> = p.opt(1, "block")?;
        let kind = crate::trace::parse_options(p.raw(2))?;
        let options = p.raw(2).and_then(|o| o.as_object());
        let overrides: Option<StateOverride> =
            match options.and_then(|o| o.get("stateOverrides")) {
                None | Some(Value::Null) => None,
                Some(v) => Some(serde_json::from_value(v.clone()).map_err(|e| {
                    RpcError::invalid_params(format!("invalid stateOverrides: {e}"))
                })?),
            };
        if options
            .and_then(|o| o.get("blockOverrides"))
            .is_some_and(|v| !v.is_null())
        {
            return Err(RpcError::invalid_params(
                "block overrides are not supported",
            ));
        }
        let mut view = ctx.reads.latest();
        if let Some(sel) = view.select(block) {
            return crate::trace::trace_call(&mut view, req, sel?, overrides, &kind);
        }
        ctx.chain
            .exec(move |c| {
                let sel = c.resolve(block)?;
                c.trace_call(req, sel, overrides, &kind)
            })
            .await
    });
    register_one(m, "debug_traceBlockByNumber", |ctx, p| async move {
        p.at_most(2)?;
        let tag: BlockNumberOrTag = p.req(0, "block number")?;
        let kind = crate::trace::parse_options(p.raw(1))?;
        ctx.chain
            .exec(move |c| match c.resolve_tag(tag)? {
                StateSel::Block(n) => c.trace_block(n, &kind),
                StateSel::Pending => Err(RpcError::invalid_params(
                    "tracing the pending block is not supported",
                )),
            })
            .await
    });
    register_one(m, "debug_traceBlockByHash", |ctx, p| async move {
        p.at_most(2)?;
        let hash: B256 = p.req(0, "block hash")?;
        let kind = crate::trace::parse_options(p.raw(1))?;
        ctx.chain
            .exec(move |c| {
                let n = c
                    .block_by_hash(hash)
                    .map(|b| b.number())
                    .ok_or_else(|| RpcError::not_found(format!("block {hash} not found")))?;
                c.trace_block(n, &kind)
            })
            .await
    });

    // ---------------------------------------------------------------- web3 / net
    register_one(m, "web3_clientVersion", |_, _| async {
        Ok(json!(CLIENT_VERSION))
    });
    register_one(m, "web3_sha3", |_, p| async move {
        let data: Bytes = p.req(0, "data")?;
        Ok(json!(keccak256(&data)))
    });
    register_one(m, "net_version", |ctx, _| async move {
        Ok(json!(ctx.chain_id.to_string()))
    });
    register_one(m, "net_listening", |_, _| async { Ok(json!(true)) });
    register_one(m, "net_peerCount", |_, _| async { Ok(hex_u64(0)) });

    // ---------------------------------------------------------------- chain info
    register_one(m, "eth_chainId", |ctx, _| async move {
        Ok(hex_u64(ctx.chain_id))
    });
    register_one(m, "eth_blockNumber", |ctx, _| async move {
        // The snapshot is published after every command: its head is the chain's.
        Ok(hex_u64(ctx.reads.latest().head_number()))
    });
    register_one(m, "eth_accounts", |ctx, _| async move {
        to_json(ctx.chain.exec(|c| Ok(c.accounts())).await?)
    });
    register_one(m, "eth_syncing", |_, _| async { Ok(json!(false)) });
    register_one(m, "eth_mining", |_, _| async { Ok(json!(true)) });
    register_one(m, "eth_hashrate", |_, _| async { Ok(hex_u64(0)) });
    register_one(m, "eth_coinbase", |_, _| async {
        Ok(json!(crate::config::COINBASE))
    });
    register_one(m, "eth_protocolVersion", |_, _| async { Ok(json!("0x41")) });
    register_one(m, "eth_gasPrice", |_, _| async { Ok(hex_u64(BASE_FEE)) });
    register_one(m, "eth_maxPriorityFeePerGas", |_, _| async {
        Ok(hex_u64(0))
    });
    register_one(m, "eth_blobBaseFee", |_, _| async { Ok(hex_u64(1)) });
    register_one(m, "eth_feeHistory", |ctx, p| async move {
        p.at_most(3)?;
        let count = quantity(p.raw(0).unwrap_or(&json!(1)), "blockCount")?;
        let newest: BlockNumberOrTag = p.opt(1, "newestBlock")?.unwrap_or_default();
        let percentiles: Vec<f64> = p.opt(2, "rewardPercentiles")?.unwrap_or_default();
        to_json(
            ctx.chain
                .exec(move |c| c.fee_history(count, newest, &percentiles))
                .await?,
        )
    });

    // ---------------------------------------------------------------- state reads
    register_one(m, "eth_getBalance", |ctx, p| async move {
        p.at_most(2)?;
        let address: Address = p.req(0, "address")?;
        let block: Option<BlockId> = p.opt(1, "block")?;
        let view = ctx.reads.latest();
        if let Some(sel) = view.select(block) {
            sel?;
            return to_json(view.balance(address));
        }
        to_json(
            ctx.chain
                .exec(move |c| c.balance(address, c.resolve(block)?))
                .await?,
        )
    });
    register_one(m, "eth_getTransactionCount", |ctx, p| async move {
        p.at_most(2)?;
        let address: Address = p.req(0, "address")?;
        let block: Option<BlockId> = p.opt(1, "block")?;
        // `pending` counts the pool, which only the execution thread knows.
        let view = ctx.reads.latest();
        if let Some(Ok(StateSel::Block(_))) = view.select(block) {
            return Ok(hex_u64(view.nonce(address)));
        }
        let n = ctx
            .chain
            .exec(move |c| c.nonce(address, c.resolve(block)?))
            .await?;
        Ok(hex_u64(n))
    });
    register_one(m, "eth_getCode", |ctx, p| async move {
        p.at_most(2)?;
        let address: Address = p.req(0, "address")?;
        let block: Option<BlockId> = p.opt(1, "block")?;
        let view = ctx.reads.latest();
        if let Some(sel) = view.select(block) {
            sel?;
            return to_json(view.code(address));
        }
        to_json(
            ctx.chain
                .exec(move |c| c.code(address, c.resolve(block)?))
                .await?,
        )
    });
    register_one(m, "eth_getStorageAt", |ctx, p| async move {
        p.at_most(3)?;
        let address: Address = p.req(0, "address")?;
        let slot: U256 = p.req(1, "slot")?;
        let block: Option<BlockId> = p.opt(2, "block")?;
        let view = ctx.reads.latest();
        if let Some(sel) = view.select(block) {
            sel?;
            return to_json(view.storage(address, slot));
        }
        to_json(
            ctx.chain
                .exec(move |c| c.storage(address, slot, c.resolve(block)?))
                .await?,
        )
    });

    register_one(m, "eth_getProof", |ctx, p| async move {
        p.at_most(3)?;
        let address: Address = p.req(0, "address")?;
        // Quantities or 32-byte words, as geth accepts.
        let keys: Vec<U256> = p.req(1, "storageKeys")?;
        let block: Option<BlockId> = p.opt(2, "block")?;
        let slots = keys.into_iter().map(B256::from).collect();
        to_json(
            ctx.chain
                .exec(move |c| c.get_proof(address, slots, c.resolve(block)?))
                .await?,
        )
    });

    // ---------------------------------------------------------------- execution
    register_one(m, "eth_call", |ctx, p| async move {
        p.at_most(4)?;
        let req: TransactionRequest = p.req(0, "transaction")?;
        let block: Option<BlockId> = p.opt(1, "block")?;
        let overrides: Option<StateOverride> = p.opt(2, "stateOverrides")?;
        if p.opt::<Value>(3, "blockOverrides")?.is_some() {
            return Err(RpcError::invalid_params(
                "block overrides are not supported",
            ));
        }
        let mut view = ctx.reads.latest();
        if let Some(sel) = view.select(block) {
            return to_json(view.call(req, sel?, overrides)?);
        }
        to_json(
            ctx.chain
                .exec(move |c| c.call(req, c.resolve(block)?, overrides))
                .await?,
        )
    });
    register_one(m, "eth_estimateGas", |ctx, p| async move {
        p.at_most(3)?;
        let req: TransactionRequest = p.req(0, "transaction")?;
        let block: Option<BlockId> = p.opt(1, "block")?;
        let overrides: Option<StateOverride> = p.opt(2, "stateOverrides")?;
        let mut view = ctx.reads.latest();
        let sel = match block {
            None => Some(Ok(StateSel::Pending)),
            Some(b) => view.select(Some(b)),
        };
        if let Some(sel) = sel {
            return Ok(hex_u64(view.estimate_gas(req, sel?, overrides)?));
        }
        let gas = ctx
            .chain
            .exec(move |c| {
                let sel = match block {
                    None => StateSel::Pending,
                    Some(b) => c.resolve(Some(b))?,
                };
                c.estimate_gas(req, sel, overrides)
            })
            .await?;
        Ok(hex_u64(gas))
    });
    register_one(m, "eth_sendRawTransaction", |ctx, p| async move {
        p.at_most(1)?;
        let raw: Bytes = p.req(0, "data")?;
        // Decoding and signer recovery run here, off the execution thread.
        let tx = ChainTx::decode_raw(&raw)?;
        to_json(
            ctx.chain
                .exec_deferred(move |c, reply| c.submit(tx, reply))
                .await?,
        )
    });
    register_one(m, "eth_sendTransaction", |ctx, p| async move {
        p.at_most(1)?;
        let req: TransactionRequest = p.req(0, "transaction")?;
        to_json(
            ctx.chain
                .exec_deferred(move |c, reply| c.send_transaction(req, reply))
                .await?,
        )
    });

    // ---------------------------------------------------------------- blocks and transactions
    register_one(m, "eth_getBlockByNumber", |ctx, p| async move {
        p.at_most(2)?;
        let tag: BlockNumberOrTag = p.req(0, "block")?;
        let full: bool = p.opt(1, "fullTransactions")?.unwrap_or(false);
        ctx.chain
            .exec(move |c| {
                let n = if tag.is_pending() {
                    c.head_number()
                } else {
                    c.tag_number(tag)
                };
                Ok(c.block(n).map(|b| b.rpc_block(full)).unwrap_or(Value::Null))
            })
            .await
    });
    register_one(m, "eth_getBlockByHash", |ctx, p| async move {
        p.at_most(2)?;
        let hash: B256 = p.req(0, "hash")?;
        let full: bool = p.opt(1, "fullTransactions")?.unwrap_or(false);
        ctx.chain
            .exec(move |c| {
                Ok(c.block_by_hash(hash)
                    .map(|b| b.rpc_block(full))
                    .unwrap_or(Value::Null))
            })
            .await
    });
    register_one(
        m,
        "eth_getBlockTransactionCountByNumber",
        |ctx, p| async move {
            let tag: BlockNumberOrTag = p.req(0, "block")?;
            ctx.chain
                .exec(move |c| {
                    Ok(c.block(c.tag_number(tag))
                        .map(|b| hex_u64(b.txs.len() as u64))
                        .unwrap_or(Value::Null))
                })
                .await
        },
    );
    register_one(
        m,
        "eth_getBlockTransactionCountByHash",
        |ctx, p| async move {
            let hash: B256 = p.req(0, "hash")?;
            ctx.chain
                .exec(move |c| {
                    Ok(c.block_by_hash(hash)
                        .map(|b| hex_u64(b.txs.len() as u64))
                        .unwrap_or(Value::Null))
                })
                .await
        },
    );
    register_one(m, "eth_getUncleCountByBlockNumber", |_, _| async {
        Ok(hex_u64(0))
    });
    register_one(m, "eth_getUncleCountByBlockHash", |_, _| async {
        Ok(hex_u64(0))
    });
    register_one(m, "eth_getTransactionByHash", |ctx, p| async move {
        p.at_most(1)?;
        let hash: B256 = p.req(0, "hash")?;
        ctx.chain
            .exec(move |c| Ok(c.transaction_by_hash(hash)))
            .await
    });
    register_one(
        m,
        "eth_getTransactionByBlockNumberAndIndex",
        |ctx, p| async move {
            let tag: BlockNumberOrTag = p.req(0, "block")?;
            let index: U64 = p.req(1, "index")?;
            ctx.chain
                .exec(move |c| {
                    Ok(c.transaction_by_block_index(c.block(c.tag_number(tag)), index.to()))
                })
                .await
        },
    );
    register_one(
        m,
        "eth_getTransactionByBlockHashAndIndex",
        |ctx, p| async move {
            let hash: B256 = p.req(0, "hash")?;
            let index: U64 = p.req(1, "index")?;
            ctx.chain
                .exec(move |c| Ok(c.transaction_by_block_index(c.block_by_hash(hash), index.to())))
                .await
        },
    );
    register_one(m, "eth_getTransactionReceipt", |ctx, p| async move {
        p.at_most(1)?;
        let hash: B256 = p.req(0, "hash")?;
        ctx.chain.exec(move |c| Ok(c.receipt(hash))).await
    });
    register_one(m, "eth_getBlockReceipts", |ctx, p| async move {
        p.at_most(1)?;
        let block: BlockId = p.req(0, "block")?;
        ctx.chain
            .exec(move |c| {
                let b = match block {
                    BlockId::Hash(h) => c.block_by_hash(h.block_hash),
                    BlockId::Number(t) => c.block(if t.is_pending() {
                        c.head_number()
                    } else {
                        c.tag_number(t)
                    }),
                };
                Ok(b.map(|b| c.block_receipts(b)).unwrap_or(Value::Null))
            })
            .await
    });

    // ---------------------------------------------------------------- logs and filters
    register_one(m, "eth_getLogs", |ctx, p| async move {
        p.at_most(1)?;
        let filter: Filter = p.req(0, "filter")?;
        to_json(ctx.chain.exec(move |c| c.logs(&filter)).await?)
    });
    register_one(m, "eth_newFilter", |ctx, p| async move {
        p.at_most(1)?;
        let filter: Filter = p.req(0, "filter")?;
        to_json(
            ctx.chain
                .exec(move |c| Ok(c.new_log_filter(filter)))
                .await?,
        )
    });
    register_one(m, "eth_newBlockFilter", |ctx, _| async move {
        to_json(ctx.chain.exec(|c| Ok(c.new_block_filter())).await?)
    });
    register_one(m, "eth_newPendingTransactionFilter", |ctx, _| async move {
        to_json(ctx.chain.exec(|c| Ok(c.new_pending_tx_filter())).await?)
    });
    register_one(m, "eth_getFilterChanges", |ctx, p| async move {
        let id: U256 = p.req(0, "id")?;
        ctx.chain.exec(move |c| c.filter_changes(id)).await
    });
    register_one(m, "eth_getFilterLogs", |ctx, p| async move {
        let id: U256 = p.req(0, "id")?;
        to_json(ctx.chain.exec(move |c| c.filter_logs(id)).await?)
    });
    register_one(m, "eth_uninstallFilter", |ctx, p| async move {
        let id: U256 = p.req(0, "id")?;
        to_json(ctx.chain.exec(move |c| Ok(c.uninstall_filter(id))).await?)
    });

    // ---------------------------------------------------------------- test helpers: mining and time
    register_one(m, "evm_mine", |ctx, p| async move {
        // evm_mine(), evm_mine(timestamp) or anvil's evm_mine({timestamp, blocks}).
        let (blocks, timestamp) = match p.raw(0) {
            None | Some(Value::Null) => (1, None),
            Some(Value::Object(o)) => {
                let blocks = o
                    .get("blocks")
                    .map(|v| quantity(v, "blocks"))
                    .transpose()?
                    .unwrap_or(1);
                let ts = o
                    .get("timestamp")
                    .map(|v| quantity(v, "timestamp"))
                    .transpose()?;
                (blocks, ts)
            }
            Some(v) => (1, Some(quantity(v, "timestamp")?)),
        };
        ctx.chain
            .exec(move |c| c.mine(blocks, timestamp, None))
            .await?;
        Ok(json!("0x0"))
    });
    register_one(m, "anvil_mine", |ctx, p| async move {
        let blocks = p
            .raw(0)
            .filter(|v| !v.is_null())
            .map(|v| quantity(v, "blocks"))
            .transpose()?
            .unwrap_or(1);
        let interval = p
            .raw(1)
            .filter(|v| !v.is_null())
            .map(|v| quantity(v, "interval"))
            .transpose()?;
        if blocks > 100_000 {
            return Err(RpcError::invalid_params("at most 100000 blocks per call"));
        }
        ctx.chain
            .exec(move |c| c.mine(blocks, None, interval))
            .await?;
        Ok(Value::Null)
    });
    alias(m, "hardhat_mine", "anvil_mine");
    register_one(m, "evm_increaseTime", |ctx, p| async move {
        let secs = signed_quantity(p.raw(0).unwrap_or(&Value::Null), "seconds")?;
        let total = ctx.chain.exec(move |c| Ok(c.increase_time(secs))).await?;
        Ok(json!(total))
    });
    alias(m, "anvil_increaseTime", "evm_increaseTime");
    register_one(m, "evm_setNextBlockTimestamp", |ctx, p| async move {
        let ts = quantity(p.raw(0).unwrap_or(&Value::Null), "timestamp")?;
        ctx.chain.exec(move |c| c.set_next_timestamp(ts)).await?;
        Ok(Value::Null)
    });
    alias(
        m,
        "anvil_setNextBlockTimestamp",
        "evm_setNextBlockTimestamp",
    );
    register_one(m, "evm_setTime", |ctx, p| async move {
        let ts = quantity(p.raw(0).unwrap_or(&Value::Null), "timestamp")?;
        let offset = ctx.chain.exec(move |c| Ok(c.set_time(ts))).await?;
        Ok(json!(offset))
    });
    alias(m, "anvil_setTime", "evm_setTime");
    register_one(m, "evm_setAutomine", |ctx, p| async move {
        let on: bool = p.req(0, "enabled")?;
        ctx.chain
            .exec(move |c| {
                c.set_auto_mine(on);
                Ok(())
            })
            .await?;
        Ok(json!(true))
    });
    alias(m, "anvil_setAutomine", "evm_setAutomine");
    register_one(m, "anvil_getAutomine", |ctx, _| async move {
        to_json(ctx.chain.exec(|c| Ok(c.auto_mine())).await?)
    });
    alias(m, "hardhat_getAutomine", "anvil_getAutomine");
    register_one(m, "evm_setIntervalMining", |ctx, p| async move {
        let ms = quantity(p.raw(0).unwrap_or(&Value::Null), "interval")?;
        ctx.chain
            .exec(move |c| {
                c.set_interval_mining(ms);
                Ok(())
            })
            .await?;
        Ok(json!(true))
    });
    register_one(m, "evm_snapshot", |ctx, _| async move {
        to_json(ctx.chain.exec(|c| Ok(c.snapshot())).await?)
    });
    alias(m, "anvil_snapshot", "evm_snapshot");
    register_one(m, "evm_revert", |ctx, p| async move {
        let id = quantity(p.raw(0).unwrap_or(&Value::Null), "snapshot id")?;
        to_json(
            ctx.chain
                .exec(move |c| Ok(c.revert(U256::from(id))))
                .await?,
        )
    });
    alias(m, "anvil_revert", "evm_revert");

    // ---------------------------------------------------------------- test helpers: state edits
    register_one(m, "anvil_setBalance", |ctx, p| async move {
        let address: Address = p.req(0, "address")?;
        let balance: U256 = p.req(1, "balance")?;
        ctx.chain
            .exec(move |c| {
                c.set_balance(address, balance);
                Ok(())
            })
            .await?;
        Ok(Value::Null)
    });
    alias(m, "hardhat_setBalance", "anvil_setBalance");
    register_one(m, "anvil_setNonce", |ctx, p| async move {
        let address: Address = p.req(0, "address")?;
        let nonce = quantity(p.raw(1).unwrap_or(&Value::Null), "nonce")?;
        ctx.chain
            .exec(move |c| {
                c.set_nonce(address, nonce);
                Ok(())
            })
            .await?;
        Ok(Value::Null)
    });
    alias(m, "hardhat_setNonce", "anvil_setNonce");
    register_one(m, "anvil_setCode", |ctx, p| async move {
        let address: Address = p.req(0, "address")?;
        let code: Bytes = p.req(1, "code")?;
        ctx.chain
            .exec(move |c| {
                c.set_code(address, code);
                Ok(())
            })
            .await?;
        Ok(Value::Null)
    });
    alias(m, "hardhat_setCode", "anvil_setCode");
    register_one(m, "anvil_setStorageAt", |ctx, p| async move {
        let address: Address = p.req(0, "address")?;
        let slot: U256 = p.req(1, "slot")?;
        let value: B256 = p.req(2, "value")?;
        ctx.chain
            .exec(move |c| {
                c.set_storage(address, slot, U256::from_be_bytes(value.0));
                Ok(())
            })
            .await?;
        Ok(json!(true))
    });
    alias(m, "hardhat_setStorageAt", "anvil_setStorageAt");
    register_one(m, "anvil_impersonateAccount", |ctx, p| async move {
        let address: Address = p.req(0, "address")?;
        ctx.chain
            .exec(move |c| {
                c.impersonate(address, true);
                Ok(())
            })
            .await?;
        Ok(Value::Null)
    });
    alias(m, "hardhat_impersonateAccount", "anvil_impersonateAccount");
    register_one(m, "anvil_stopImpersonatingAccount", |ctx, p| async move {
        let address: Address = p.req(0, "address")?;
        ctx.chain
            .exec(move |c| {
                c.impersonate(address, false);
                Ok(())
            })
            .await?;
        Ok(Value::Null)
    });
    alias(
        m,
        "hardhat_stopImpersonatingAccount",
        "anvil_stopImpersonatingAccount",
    );
    register_one(m, "anvil_autoImpersonateAccount", |ctx, p| async move {
        let on: bool = p.req(0, "enabled")?;
        ctx.chain
            .exec(move |c| {
                c.auto_impersonate(on);
                Ok(())
            })
            .await?;
        Ok(Value::Null)
    });
    register_one(m, "anvil_dumpState", |ctx, _| async move {
        to_json(ctx.chain.exec(|c| c.dump_state()).await?)
    });
    register_one(m, "anvil_loadState", |ctx, p| async move {
        let bytes: Bytes = p.req(0, "state")?;
        to_json(ctx.chain.exec(move |c| c.load_state(&bytes)).await?)
    });
    register_one(m, "anvil_nodeInfo", |ctx, _| async move {
        let (head, genesis_ts) = ctx
            .chain
            .exec(|c| Ok((c.head_number(), c.genesis_timestamp())))
            .await?;
        Ok(json!({
            "currentBlockNumber": hex_u64(head),
            "chainId": hex_u64(ctx.chain_id),
            "baseFee": hex_u64(BASE_FEE),
            "genesisTimestamp": genesis_ts,
            "clientVersion": CLIENT_VERSION,
        }))
    });
}
