//! `eth_subscribe` / `eth_unsubscribe` over WebSocket (same port as HTTP, as anvil and geth):
//! `newHeads`, `logs` (with an address/topics filter) and `newPendingTransactions`.
//!
//! Notifications are `eth_subscription` messages `{subscription, result}` with geth's payloads:
//! the block header, one log object per message, one transaction hash per message. Subscription
//! ids are `0x`-prefixed 128-bit hex strings, as geth's.

use std::sync::atomic::{AtomicU64, Ordering};

use alloy::rpc::types::Filter;
use jsonrpsee::server::{IdProvider, PendingSubscriptionSink, SubscriptionMessage};
use jsonrpsee::types::{ErrorObjectOwned, SubscriptionId};
use jsonrpsee::RpcModule;
use serde_json::Value;
use tokio::sync::broadcast::error::RecvError;

use super::RpcContext;
use crate::chain::events::ChainEvent;

/// Subscription ids: `0x` + 32 hex digits, unique per node (a counter mixed with a per-process
/// random key, so ids are not guessable across connections).
#[derive(Debug)]
pub struct HexIdProvider {
    next: AtomicU64,
    key: u64,
}

impl Default for HexIdProvider {
    fn default() -> Self {
        let key = std::collections::hash_map::RandomState::new();
        use std::hash::BuildHasher;
        Self {
            next: AtomicU64::new(1),
            key: key.hash_one(0u8),
        }
    }
}

impl IdProvider for HexIdProvider {
    fn next_id(&self) -> SubscriptionId<'static> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let mixed = (n ^ self.key).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        SubscriptionId::Str(format!("0x{:016x}{:016x}", mixed, n).into())
    }
}

/// What a subscription wants.
enum Kind {
    NewHeads,
    Logs(Box<Filter>),
    PendingTransactions,
}

fn parse(params: &jsonrpsee::types::Params<'_>) -> Result<Kind, ErrorObjectOwned> {
    let bad = |msg: String| ErrorObjectOwned::owned(-32602, msg, None::<()>);
    let list: Vec<Value> = params
        .parse()
        .map_err(|e| bad(format!("invalid params: {e}")))?;
    let name = list
        .first()
        .and_then(Value::as_str)
        .ok_or_else(|| bad("missing subscription name".into()))?;
    match name {
        "newHeads" => Ok(Kind::NewHeads),
        "newPendingTransactions" => Ok(Kind::PendingTransactions),
        "logs" => {
            let filter = match list.get(1) {
                None | Some(Value::Null) => Filter::default(),
                Some(v) => serde_json::from_value(v.clone())
                    .map_err(|e| bad(format!("invalid logs filter: {e}")))?,
            };
            Ok(Kind::Logs(Box::new(filter)))
        }
        other => Err(bad(format!(
            "unsupported subscription {other:?} (supported: newHeads, logs, newPendingTransactions)"
        ))),
    }
}

/// The notifications one event gives a subscription.
fn messages(kind: &Kind, event: &ChainEvent) -> Vec<Value> {
    match (kind, event) {
        (Kind::NewHeads, ChainEvent::Block(b)) => vec![b.header.clone()],
        (Kind::Logs(filter), ChainEvent::Block(b)) => b
            .logs
            .iter()
            .filter(|log| filter.matches(&log.inner))
            .filter_map(|log| serde_json::to_value(log).ok())
            .collect(),
        (Kind::PendingTransactions, ChainEvent::PendingTransaction(hash)) => {
            vec![Value::String(hash.to_string())]
        }
        _ => Vec::new(),
    }
}

async fn serve(pending: PendingSubscriptionSink, ctx: &RpcContext, kind: Kind) {
    let mut rx = ctx.events.subscribe();
    let Ok(sink) = pending.accept().await else {
        return;
    };
    loop {
        let event = tokio::select! {
            _ = sink.closed() => return,
            event = rx.recv() => event,
        };
        let event = match event {
            Ok(e) => e,
            Err(RecvError::Lagged(n)) => {
                tracing::warn!(target: "devnode::rpc", "a subscriber fell {n} events behind; they were dropped");
                continue;
            }
            Err(RecvError::Closed) => return,
        };
        for msg in messages(&kind, &event) {
            let Ok(raw) = serde_json::value::to_raw_value(&msg) else {
                continue;
            };
            if sink.send(SubscriptionMessage::from(raw)).await.is_err() {
                return;
            }
        }
    }
}

/// Registers `eth_subscribe` / `eth_unsubscribe`.
pub fn register(module: &mut RpcModule<RpcContext>) {
    module
        .register_subscription(
            "eth_subscribe",
            "eth_subscription",
            "eth_unsubscribe",
            |params, pending, ctx, _ext| async move {
                match parse(&params) {
                    Ok(kind) => serve(pending, &ctx, kind).await,
                    Err(e) => pending.reject(e).await,
                }
            },
        )
        .expect("subscription names are unique");
}
