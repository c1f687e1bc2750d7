//! Allowlist proofs in OpenZeppelin's `StandardMerkleTree` format, so standard tooling
//! (`@openzeppelin/merkle-tree`, `StandardMerkleTree.of(values, ["address", "uint256"])`) builds
//! the tree and the proofs.
//!
//! * Leaf: `keccak256(bytes.concat(keccak256(abi.encode(account, allowance))))`: double hashed,
//!   so a 64-byte inner node can never be presented as a leaf (second-preimage).
//! * Nodes: sorted pairs, `keccak256(min(a, b) ‖ max(a, b))` (`MerkleProof.verify`).
//! * The leaf binds the account: a proof made for one address proves nothing for another.

use alloy_primitives::{keccak256, Address, B256, U256};

/// The allowlist leaf of `(account, allowance)`.
pub fn leaf(account: Address, allowance: U256) -> B256 {
    let mut buf = [0u8; 64];
    buf[12..32].copy_from_slice(account.as_slice());
    buf[32..].copy_from_slice(&allowance.to_be_bytes::<32>());
    keccak256(keccak256(buf))
}

/// `keccak256` of the sorted pair.
pub fn hash_pair(a: B256, b: B256) -> B256 {
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    let mut buf = [0u8; 64];
    buf[..32].copy_from_slice(lo.as_slice());
    buf[32..].copy_from_slice(hi.as_slice());
    keccak256(buf)
}

/// Whether `proof` proves `leaf` under `root` (OpenZeppelin `MerkleProof.verify`).
pub fn verify(proof: &[B256], root: B256, leaf: B256) -> bool {
    proof.iter().fold(leaf, |h, p| hash_pair(h, *p)) == root
}
