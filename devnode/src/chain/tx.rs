//! Transaction decoding, signer recovery and conversion to revm's `TxEnv`.

use alloy::consensus::transaction::SignerRecoverable;
use alloy::consensus::{SignableTransaction, Transaction as _, TxEnvelope, TxType};
use alloy::eips::eip2718::{Decodable2718, Encodable2718};
use alloy::primitives::{Address, Bytes, Signature, TxKind, B256, U256};
use revm::context::TxEnv;
use revm::context_interface::either::Either;
use serde::{Deserialize, Serialize};

use crate::error::{RpcError, RpcResult};

/// A signed (or impersonated) transaction with its sender and hash.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ChainTx {
    /// The signed envelope (for impersonated senders the signature is a placeholder).
    pub envelope: TxEnvelope,
    /// Recovered (or impersonated) sender.
    pub sender: Address,
    /// Transaction hash.
    pub hash: B256,
    /// True when sent with `eth_sendTransaction` from an impersonated account (no real signature).
    #[serde(default)]
    pub impersonated: bool,
}

impl ChainTx {
    /// Decodes an EIP-2718 encoded transaction (`eth_sendRawTransaction`) and recovers its signer.
    pub fn decode_raw(raw: &[u8]) -> RpcResult<Self> {
        if raw.is_empty() {
            return Err(RpcError::invalid_params("empty transaction data"));
        }
        let envelope = TxEnvelope::decode_2718_exact(raw).map_err(|e| {
            RpcError::invalid_params(format!("failed to decode signed transaction: {e}"))
        })?;
        if envelope.is_eip4844() {
            return Err(blobs_unsupported());
        }
        let sender = envelope.recover_signer().map_err(|_| {
            RpcError::server("invalid transaction signature: cannot recover sender")
        })?;
        let hash = *envelope.tx_hash();
        Ok(Self {
            envelope,
            sender,
            hash,
            impersonated: false,
        })
    }

    /// Wraps an unsigned typed transaction sent from an impersonated account. The placeholder
    /// signature encodes the sender so that hashes stay unique per sender.
    pub fn impersonated(
        tx: alloy::consensus::TypedTransaction,
        sender: Address,
    ) -> RpcResult<Self> {
        let sig = Signature::new(
            U256::from_be_slice(sender.as_slice()),
            U256::from(1u8),
            false,
        );
        let envelope = match tx {
            alloy::consensus::TypedTransaction::Legacy(t) => TxEnvelope::Legacy(t.into_signed(sig)),
            alloy::consensus::TypedTransaction::Eip2930(t) => {
                TxEnvelope::Eip2930(t.into_signed(sig))
            }
            alloy::consensus::TypedTransaction::Eip1559(t) => {
                TxEnvelope::Eip1559(t.into_signed(sig))
            }
            alloy::consensus::TypedTransaction::Eip7702(t) => {
                TxEnvelope::Eip7702(t.into_signed(sig))
            }
            alloy::consensus::TypedTransaction::Eip4844(_) => return Err(blobs_unsupported()),
        };
        let hash = *envelope.tx_hash();
        Ok(Self {
            envelope,
            sender,
            hash,
            impersonated: true,
        })
    }

    /// EIP-2718 encoding.
    pub fn encoded(&self) -> Bytes {
        self.envelope.encoded_2718().into()
    }

    /// The transaction type.
    pub fn tx_type(&self) -> TxType {
        self.envelope.tx_type()
    }

    /// Nonce.
    pub fn nonce(&self) -> u64 {
        self.envelope.nonce()
    }

    /// Gas limit.
    pub fn gas_limit(&self) -> u64 {
        self.envelope.gas_limit()
    }

    /// Recipient (`None` for a contract creation).
    pub fn to(&self) -> Option<Address> {
        self.envelope.to()
    }

    /// Chain id the transaction is bound to (`None` for pre-EIP-155 legacy transactions).
    pub fn chain_id(&self) -> Option<u64> {
        self.envelope.chain_id()
    }

    /// Price per gas actually paid in a block with `basefee`. Arbitrum drops the tip, so this is
    /// the base fee whenever the transaction is valid.
    pub fn effective_gas_price(&self, basefee: u64) -> u128 {
        basefee as u128
    }

    /// Checks what the chain checks before execution: chain id, gas cap, fee floor.
    pub fn precheck(&self, chain_id: u64, basefee: u64, gas_cap: u64) -> RpcResult<()> {
        if let Some(id) = self.chain_id() {
            if id != chain_id {
                return Err(RpcError::server(format!(
                    "invalid chain id for signer: have {id} want {chain_id}"
                )));
            }
        }
        if self.gas_limit() > gas_cap {
            return Err(RpcError::server(format!(
                "exceeds max transaction gas limit: gas {} cap {gas_cap}",
                self.gas_limit()
            )));
        }
        // EIP-1559 (and EIP-7702, which shares its fee fields): the tip is capped by the fee cap
        // (geth's ErrTipAboveFeeCap). Arbitrum drops the tip, but the rule still applies.
        if let Some(tip) = self.envelope.max_priority_fee_per_gas() {
            let cap = self.envelope.max_fee_per_gas();
            if tip > cap {
                return Err(tip_above_fee_cap(self.sender, tip, cap));
            }
        }
        if self.envelope.max_fee_per_gas() < basefee as u128 {
            return Err(RpcError::server(format!(
                "max fee per gas less than block base fee: address {}, maxFeePerGas: {}, baseFee: {basefee}",
                self.sender,
                self.envelope.max_fee_per_gas()
            )));
        }
        Ok(())
    }

    /// revm transaction environment for execution in a block with `basefee`.
    ///
    /// Arbitrum drops the priority fee: the sender pays exactly the base fee per gas. Legacy and
    /// EIP-2930 transactions therefore execute with `gas_price = basefee` (after the fee floor check
    /// in [`Self::precheck`]) and typed fee-market transactions with a zero tip.
    pub fn tx_env(&self, basefee: u64) -> TxEnv {
        let env = &self.envelope;
        let ty = env.tx_type();
        let (gas_price, priority) = match ty {
            TxType::Legacy | TxType::Eip2930 => (
                env.gas_price().unwrap_or_default().min(basefee as u128),
                None,
            ),
            _ => (env.max_fee_per_gas(), Some(0)),
        };
        TxEnv {
            tx_type: ty as u8,
            caller: self.sender,
            gas_limit: env.gas_limit(),
            gas_price,
            kind: env.kind(),
            value: env.value(),
            data: env.input().clone(),
            nonce: env.nonce(),
            chain_id: env.chain_id(),
            access_list: env.access_list().cloned().unwrap_or_default(),
            gas_priority_fee: priority,
            blob_hashes: Vec::new(),
            max_fee_per_blob_gas: 0,
            authorization_list: env
                .authorization_list()
                .map(|l| l.iter().cloned().map(Either::Left).collect())
                .unwrap_or_default(),
        }
    }
}

/// geth's `ErrTipAboveFeeCap` text (Nitro and anvil reject the same way).
pub fn tip_above_fee_cap(sender: Address, tip: u128, cap: u128) -> RpcError {
    RpcError::server(format!(
        "max priority fee per gas higher than max fee per gas: address {sender}, maxPriorityFeePerGas: {tip}, maxFeePerGas: {cap}"
    ))
}

/// Refusal of EIP-4844 blob transactions and of blob fields in a request.
pub fn blobs_unsupported() -> RpcError {
    RpcError::server("blob transactions (EIP-4844) are not supported on Arbitrum")
}

/// Placeholder call kind for the RPC layer.
pub fn kind_of(to: Option<Address>) -> TxKind {
    match to {
        Some(a) => TxKind::Call(a),
        None => TxKind::Create,
    }
}
