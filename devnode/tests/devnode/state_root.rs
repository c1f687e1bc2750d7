//! Block headers carry the real state root, and `eth_getProof` proofs verify against it with
//! `alloy-trie`'s proof verification: accounts (EOA, contract, absent), storage slots (set,
//! cleared, absent), at the head and at an older block. The root the node maintains incrementally
//! is compared with one built from scratch after transactions, state edits and a snapshot revert.

use crate::common::*;
use alloy::eips::BlockId;
use alloy::network::TransactionBuilder;
use alloy::primitives::{keccak256, Address, B256, U256};
use alloy::providers::Provider;
use alloy::rpc::types::{EIP1186AccountProofResponse, TransactionRequest};
use alloy_trie::proof::verify_proof;
use alloy_trie::{HashBuilder, Nibbles, TrieAccount, EMPTY_ROOT_HASH};
use devnode::DevnodeHandle;
use revm::database::AccountState;
use revm::primitives::KECCAK_EMPTY;
use serde_json::json;

/// The state root built from scratch with `alloy-trie`'s `HashBuilder`.
async fn reference_root(node: &DevnodeHandle) -> B256 {
    node.chain()
        .exec(|c| {
            let mut accounts = Vec::new();
            for (address, acc) in &c.state.db.cache.accounts {
                let mut slots: Vec<(B256, U256)> = acc
                    .storage
                    .iter()
                    .filter(|(_, v)| !v.is_zero())
                    .map(|(k, v)| (keccak256(B256::from(*k)), *v))
                    .collect();
                let empty = acc.info.nonce == 0
                    && acc.info.balance.is_zero()
                    && acc.info.code_hash == KECCAK_EMPTY
                    && slots.is_empty();
                if matches!(acc.account_state, AccountState::NotExisting) || empty {
                    continue;
                }
                slots.sort();
                let mut hb = HashBuilder::default();
                for (k, v) in slots {
                    hb.add_leaf(Nibbles::unpack(k), &alloy::rlp::encode(v));
                }
                let account = TrieAccount::new(
                    acc.info.nonce,
                    acc.info.balance,
                    hb.root(),
                    acc.info.code_hash,
                );
                accounts.push((keccak256(address), alloy::rlp::encode(account)));
            }
            accounts.sort();
            let mut hb = HashBuilder::default();
            for (k, v) in accounts {
                hb.add_leaf(Nibbles::unpack(k), &v);
            }
            Ok(hb.root())
        })
        .await
        .unwrap()
}

async fn head_root(node: &DevnodeHandle) -> B256 {
    let p = reader(node);
    p.get_block_by_number(Default::default())
        .await
        .unwrap()
        .unwrap()
        .header
        .state_root
}

/// Checks an `eth_getProof` answer against `root`: the account (or its absence) and every slot.
fn verify(root: B256, proof: &EIP1186AccountProofResponse) {
    let present = !(proof.nonce == 0
        && proof.balance.is_zero()
        && proof.code_hash == KECCAK_EMPTY
        && proof.storage_hash == EMPTY_ROOT_HASH);
    let account = TrieAccount::new(
        proof.nonce,
        proof.balance,
        proof.storage_hash,
        proof.code_hash,
    );
    verify_proof(
        root,
        Nibbles::unpack(keccak256(proof.address)),
        present.then(|| alloy::rlp::encode(account)),
        &proof.account_proof,
    )
    .unwrap_or_else(|e| panic!("account proof of {}: {e}", proof.address));
    for sp in &proof.storage_proof {
        verify_proof(
            proof.storage_hash,
            Nibbles::unpack(keccak256(sp.key.as_b256())),
            (!sp.value.is_zero()).then(|| alloy::rlp::encode(sp.value)),
            &sp.proof,
        )
        .unwrap_or_else(|e| panic!("storage proof of {:?}: {e}", sp.key));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn headers_carry_the_state_root_and_proofs_verify() {
    let node = node();
    let p = provider(&node, dev());
    let genesis_root = head_root(&node).await;
    assert_ne!(genesis_root, B256::ZERO);
    assert_eq!(genesis_root, reference_root(&node).await, "genesis");

    let store = deploy(&p, &store_runtime()).await;
    let set = |x: u64| {
        TransactionRequest::default()
            .with_to(store)
            .with_input(word(x))
    };
    let r = p
        .send_transaction(set(5))
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    assert!(r.status());
    let old_block = r.block_number.unwrap();
    let old_root = head_root(&node).await;
    assert_ne!(old_root, genesis_root);
    assert_eq!(old_root, reference_root(&node).await, "after transactions");

    // Contract with a set slot and an absent one, the dev account, an absent account.
    let slots = vec![B256::ZERO, B256::with_last_byte(1)];
    let proof = p.get_proof(store, slots.clone()).await.unwrap();
    assert_eq!(proof.storage_proof[0].value, U256::from(5));
    assert_eq!(proof.storage_proof[1].value, U256::ZERO);
    assert_eq!(proof.code_hash, keccak256(store_runtime()));
    verify(old_root, &proof);
    let me = p.get_proof(dev().address(), vec![]).await.unwrap();
    assert_eq!(me.nonce, devnode::DEV_ACCOUNT_GENESIS_NONCE + 2);
    verify(old_root, &me);
    let nobody = p
        .get_proof(Address::repeat_byte(0xab), vec![B256::ZERO])
        .await
        .unwrap();
    assert_eq!(nobody.storage_hash, EMPTY_ROOT_HASH);
    verify(old_root, &nobody);

    // A changed slot, a state edit and a mined block: new root, still the from-scratch root.
    p.send_transaction(set(6))
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    call(
        &node,
        "anvil_setBalance",
        json!([Address::repeat_byte(0xcd), "0x1234"]),
    )
    .await
    .unwrap();
    call(
        &node,
        "anvil_setStorageAt",
        json!([store, "0x2", format!("{:#066x}", 77)]),
    )
    .await
    .unwrap();
    call(&node, "evm_mine", json!([])).await.unwrap();
    let new_root = head_root(&node).await;
    assert_eq!(new_root, reference_root(&node).await, "after state edits");
    let proof = p
        .get_proof(store, vec![B256::ZERO, B256::with_last_byte(2)])
        .await
        .unwrap();
    assert_eq!(proof.storage_proof[0].value, U256::from(6));
    assert_eq!(proof.storage_proof[1].value, U256::from(77));
    verify(new_root, &proof);
    verify(
        new_root,
        &p.get_proof(Address::repeat_byte(0xcd), vec![])
            .await
            .unwrap(),
    );

    // The older block's proof verifies against the older root and shows the older value.
    let proof = p
        .get_proof(store, slots)
        .block_id(BlockId::number(old_block))
        .await
        .unwrap();
    assert_eq!(proof.storage_proof[0].value, U256::from(5));
    verify(old_root, &proof);

    // Clearing a slot (and a snapshot revert) keep the incremental root exact.
    let snap = call(&node, "evm_snapshot", json!([])).await.unwrap();
    call(
        &node,
        "anvil_setStorageAt",
        json!([store, "0x2", format!("{:#066x}", 0)]),
    )
    .await
    .unwrap();
    p.send_transaction(set(9))
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    assert_eq!(head_root(&node).await, reference_root(&node).await);
    assert_eq!(
        call(&node, "evm_revert", json!([snap])).await.unwrap(),
        json!(true)
    );
    call(&node, "evm_mine", json!([])).await.unwrap();
    assert_eq!(
        head_root(&node).await,
        reference_root(&node).await,
        "after revert"
    );
}
