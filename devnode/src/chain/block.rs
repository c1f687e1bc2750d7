//! Blocks and receipts as the chain stores them, and their JSON-RPC views.

use alloy::consensus::{Eip658Value, Header, Receipt, ReceiptEnvelope, ReceiptWithBloom, TxType};
use alloy::primitives::{logs_bloom, Address, Bloom, Bytes, Log, B256, B64, U256};
use alloy::rpc::types::{
    Block as RpcBlock, BlockTransactions, Header as RpcHeader, Log as RpcLog,
    Transaction as RpcTransaction, TransactionReceipt,
};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::state::Mark;
use super::tx::ChainTx;

/// Outcome of one executed transaction.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TxReceipt {
    /// True on success.
    pub status: bool,
    /// Gas used by this transaction.
    pub gas_used: u64,
    /// Gas used by the block up to and including this transaction.
    pub cumulative_gas_used: u64,
    /// Logs emitted.
    pub logs: Vec<Log>,
    /// Bloom of `logs`.
    pub bloom: Bloom,
    /// Address of the created contract.
    pub contract_address: Option<Address>,
    /// Price per gas paid.
    pub effective_gas_price: u128,
    /// Return data (success) or revert data (revert).
    pub output: Bytes,
    /// Halt reason for failed transactions that did not revert.
    pub error: Option<String>,
}

/// A mined block.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Block {
    /// Consensus header (its hash is the block hash).
    pub header: Header,
    /// `header.hash_slow()`.
    pub hash: B256,
    /// Included transactions, in order.
    pub txs: Vec<ChainTx>,
    /// One receipt per transaction.
    pub receipts: Vec<TxReceipt>,
    /// Simulated parent-chain block number (what `NUMBER` returned in this block).
    pub l1_block_number: u64,
    /// State journal mark before this block's transactions executed: rolling the state back to it
    /// gives the state of the parent block (including any edits made between the two blocks).
    pub start_mark: Mark,
}

/// Arbitrum's header `mixHash`: send count (8 bytes), L1 block number (8), ArbOS version (8), zero.
pub fn arbitrum_mix_hash(send_count: u64, l1_block_number: u64, arbos_version: u64) -> B256 {
    let mut b = [0u8; 32];
    b[0..8].copy_from_slice(&send_count.to_be_bytes());
    b[8..16].copy_from_slice(&l1_block_number.to_be_bytes());
    b[16..24].copy_from_slice(&arbos_version.to_be_bytes());
    B256::from(b)
}

/// Builds the header of a block.
#[allow(clippy::too_many_arguments)]
pub fn build_header(
    parent_hash: B256,
    number: u64,
    timestamp: u64,
    l1_block_number: u64,
    arbos_version: u64,
    basefee: u64,
    gas_limit: u64,
    coinbase: Address,
    txs: &[ChainTx],
    receipts: &[TxReceipt],
) -> Header {
    let envelopes: Vec<_> = txs.iter().map(|t| t.envelope.clone()).collect();
    let consensus_receipts: Vec<_> = txs
        .iter()
        .zip(receipts)
        .map(|(t, r)| receipt_envelope(t.tx_type(), r))
        .collect();
    let bloom = receipts.iter().fold(Bloom::ZERO, |mut acc, r| {
        acc.accrue_bloom(&r.bloom);
        acc
    });
    Header {
        parent_hash,
        ommers_hash: alloy::consensus::EMPTY_OMMER_ROOT_HASH,
        beneficiary: coinbase,
        state_root: B256::ZERO,
        transactions_root: alloy::consensus::proofs::calculate_transaction_root(&envelopes),
        receipts_root: alloy::consensus::proofs::calculate_receipt_root(&consensus_receipts),
        logs_bloom: bloom,
        difficulty: U256::from(1),
        number,
        gas_limit,
        gas_used: receipts.last().map(|r| r.cumulative_gas_used).unwrap_or(0),
        timestamp,
        // Arbitrum: extraData holds the send root (no L2→L1 messages on the devnode).
        extra_data: Bytes::from(vec![0u8; 32]),
        mix_hash: arbitrum_mix_hash(0, l1_block_number, arbos_version),
        // Arbitrum: nonce holds the number of delayed messages read.
        nonce: B64::from(1u64.to_be_bytes()),
        base_fee_per_gas: Some(basefee),
        ..Default::default()
    }
}

/// Consensus receipt (for the receipts root and for RPC).
pub fn receipt_envelope<T: Clone>(ty: TxType, r: &TxReceipt) -> ReceiptEnvelope<T>
where
    Log: Into<T>,
{
    let receipt = Receipt {
        status: Eip658Value::Eip658(r.status),
        cumulative_gas_used: r.cumulative_gas_used,
        logs: r.logs.iter().cloned().map(Into::into).collect(),
    };
    ReceiptEnvelope::from_typed(ty, ReceiptWithBloom::new(receipt, r.bloom))
}

/// Bloom of a list of logs.
pub fn bloom_of(logs: &[Log]) -> Bloom {
    logs_bloom(logs.iter())
}

fn quantity(n: u64) -> Value {
    Value::String(format!("{n:#x}"))
}

impl Block {
    /// Number of this block.
    pub fn number(&self) -> u64 {
        self.header.number
    }

    /// The RPC view of transaction `index` of this block.
    pub fn rpc_transaction(&self, index: usize) -> RpcTransaction {
        let tx = &self.txs[index];
        RpcTransaction {
            inner: alloy::consensus::transaction::Recovered::new_unchecked(
                tx.envelope.clone(),
                tx.sender,
            ),
            block_hash: Some(self.hash),
            block_number: Some(self.number()),
            transaction_index: Some(index as u64),
            effective_gas_price: Some(self.receipts[index].effective_gas_price),
        }
    }

    /// Index of the first log of transaction `index` within the block.
    fn first_log_index(&self, index: usize) -> u64 {
        self.receipts[..index]
            .iter()
            .map(|r| r.logs.len() as u64)
            .sum()
    }

    /// RPC logs of transaction `index`.
    pub fn rpc_logs(&self, index: usize) -> Vec<RpcLog> {
        let first = self.first_log_index(index);
        self.receipts[index]
            .logs
            .iter()
            .enumerate()
            .map(|(i, log)| RpcLog {
                inner: log.clone(),
                block_hash: Some(self.hash),
                block_number: Some(self.number()),
                block_timestamp: Some(self.header.timestamp),
                transaction_hash: Some(self.txs[index].hash),
                transaction_index: Some(index as u64),
                log_index: Some(first + i as u64),
                removed: false,
            })
            .collect()
    }

    /// JSON of the receipt of transaction `index`, with Arbitrum's extra fields.
    pub fn rpc_receipt(&self, index: usize) -> Value {
        let tx = &self.txs[index];
        let r = &self.receipts[index];
        let inner: ReceiptEnvelope<RpcLog> = {
            let receipt = Receipt {
                status: Eip658Value::Eip658(r.status),
                cumulative_gas_used: r.cumulative_gas_used,
                logs: self.rpc_logs(index),
            };
            ReceiptEnvelope::from_typed(tx.tx_type(), ReceiptWithBloom::new(receipt, r.bloom))
        };
        let receipt = TransactionReceipt {
            inner,
            transaction_hash: tx.hash,
            transaction_index: Some(index as u64),
            block_hash: Some(self.hash),
            block_number: Some(self.number()),
            gas_used: r.gas_used,
            effective_gas_price: r.effective_gas_price,
            blob_gas_used: None,
            blob_gas_price: None,
            from: tx.sender,
            to: tx.to(),
            contract_address: r.contract_address,
        };
        let mut v = serde_json::to_value(&receipt).expect("receipts serialize");
        v["l1BlockNumber"] = quantity(self.l1_block_number);
        v["gasUsedForL1"] = quantity(0);
        v
    }

    /// JSON of the block (full transactions or hashes), with Arbitrum's extra fields.
    pub fn rpc_block(&self, full: bool) -> Value {
        let transactions = if full {
            BlockTransactions::Full(
                (0..self.txs.len())
                    .map(|i| self.rpc_transaction(i))
                    .collect(),
            )
        } else {
            BlockTransactions::Hashes(self.txs.iter().map(|t| t.hash).collect())
        };
        let size = alloy::rlp::encode(&self.header).len()
            + self.txs.iter().map(|t| t.encoded().len()).sum::<usize>();
        let block: RpcBlock<RpcTransaction> = RpcBlock {
            header: RpcHeader {
                hash: self.hash,
                inner: self.header.clone(),
                total_difficulty: Some(U256::from(self.number() + 1)),
                size: Some(U256::from(size)),
            },
            uncles: vec![],
            transactions,
            withdrawals: None,
        };
        let mut v = serde_json::to_value(&block).expect("blocks serialize");
        v["l1BlockNumber"] = quantity(self.l1_block_number);
        v["sendCount"] = quantity(0);
        v["sendRoot"] = json!(B256::ZERO);
        v
    }
}
