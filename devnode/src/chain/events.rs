//! Chain events for `eth_subscribe` (see `crate::rpc::subscriptions`): every mined block (its
//! header and logs) and every accepted transaction, broadcast to the WebSocket subscribers.
//!
//! The chain only builds events while somebody listens, so mining costs nothing extra without
//! subscribers.

use std::sync::Arc;

use alloy::primitives::{B256, U256};
use alloy::rpc::types::{Header as RpcHeader, Log as RpcLog};
use serde_json::Value;
use tokio::sync::broadcast;

use super::block::Block;
use super::Chain;

/// How many events a slow subscriber may lag behind before it misses some.
pub const EVENT_BUFFER: usize = 4096;

/// One mined block as subscribers see it.
#[derive(Debug)]
pub struct BlockEvent {
    /// `newHeads` payload (the RPC header).
    pub header: Value,
    /// Every log of the block, in order (`logs` subscriptions filter them).
    pub logs: Vec<RpcLog>,
}

/// An event of the chain.
#[derive(Clone, Debug)]
pub enum ChainEvent {
    /// A block was mined.
    Block(Arc<BlockEvent>),
    /// A transaction was accepted (hash).
    PendingTransaction(B256),
}

/// Sending half of the event channel (the RPC layer subscribes with `subscribe()`).
pub type EventSender = broadcast::Sender<ChainEvent>;

/// A new event channel.
pub fn channel() -> EventSender {
    broadcast::channel(EVENT_BUFFER).0
}

/// The `newHeads` payload of a block.
pub fn rpc_header(block: &Block) -> Value {
    let size = alloy::rlp::encode(&block.header).len()
        + block.txs.iter().map(|t| t.encoded().len()).sum::<usize>();
    let mut v = serde_json::to_value(RpcHeader {
        hash: block.hash,
        inner: block.header.clone(),
        total_difficulty: Some(U256::from(block.number() + 1)),
        size: Some(U256::from(size)),
    })
    .unwrap_or(Value::Null);
    v["l1BlockNumber"] = Value::String(format!("{:#x}", block.l1_block_number));
    v
}

impl Chain {
    /// Publishes the chain's events on `sender` (a node calls this once at start-up).
    pub fn set_event_sender(&mut self, sender: EventSender) {
        self.events = Some(sender);
    }

    fn listening(&self) -> Option<&EventSender> {
        self.events.as_ref().filter(|s| s.receiver_count() > 0)
    }

    /// Announces the head block.
    pub(crate) fn emit_head(&self) {
        let Some(sender) = self.listening() else {
            return;
        };
        let block = self.head();
        let logs = (0..block.txs.len())
            .flat_map(|i| block.rpc_logs(i))
            .collect();
        let _ = sender.send(ChainEvent::Block(Arc::new(BlockEvent {
            header: rpc_header(block),
            logs,
        })));
    }

    /// Announces an accepted transaction.
    pub(crate) fn emit_pending(&self, hash: B256) {
        if let Some(sender) = self.listening() {
            let _ = sender.send(ChainEvent::PendingTransaction(hash));
        }
    }
}
