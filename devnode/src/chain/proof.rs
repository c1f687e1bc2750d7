//! `stateRoot` of mined blocks and `eth_getProof` (EIP-1186), on top of [`StateTrie`].

use alloy::primitives::{Address, B256};
use alloy::rpc::types::{EIP1186AccountProofResponse, EIP1186StorageProof};

use super::trie::StateTrie;
use super::{Chain, StateSel};
use crate::error::RpcResult;

impl Chain {
    /// Brings the state trie up to date with the live state and returns the state root (the cost
    /// is proportional to what changed since the last call).
    pub fn state_root(&mut self) -> B256 {
        let dirty = self.state.take_dirty();
        if !dirty.is_empty() {
            self.trie.update(&self.state.db, dirty);
        }
        self.trie.root()
    }

    /// Rebuilds the state trie from the whole live state (genesis, loaded state files).
    pub(crate) fn rebuild_trie(&mut self) {
        self.state.take_dirty();
        self.trie = StateTrie::build(&self.state.db);
    }

    /// `eth_getProof`: the account's proof and the proofs of `slots` against the state root of
    /// the state `sel` selects (the live state for the head and "pending"; older blocks build
    /// their trie from the historical state, which costs time proportional to the state size).
    pub fn get_proof(
        &mut self,
        address: Address,
        slots: Vec<B256>,
        sel: StateSel,
    ) -> RpcResult<EIP1186AccountProofResponse> {
        let historical = match sel {
            StateSel::Block(n) => self.mark_after(n).map(|m| (n, m)),
            StateSel::Pending => None,
        };
        let (leaf, account_proof, storage) = match historical {
            None => {
                self.state_root();
                self.trie.proof(&self.state.db, address, &slots)
            }
            Some((n, mark)) => {
                let db = self.state.state_at(mark).ok_or_else(|| self.pruned(n))?;
                StateTrie::build(&db).proof(&db, address, &slots)
            }
        };
        Ok(EIP1186AccountProofResponse {
            address,
            balance: leaf.account.balance,
            code_hash: leaf.account.code_hash,
            nonce: leaf.account.nonce,
            storage_hash: leaf.account.storage_root,
            account_proof,
            storage_proof: slots
                .into_iter()
                .zip(storage)
                .map(|(key, (value, proof))| EIP1186StorageProof {
                    key: key.into(),
                    value,
                    proof,
                })
                .collect(),
        })
    }
}
