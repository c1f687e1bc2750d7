//! The royalty NFT on a node: bindings over `abi/royalty-nft*.json` and the Solidity fixtures
//! (`tests/solidity/src/nft/`: the ERC-2981 marketplace, the ERC-721 receiver recorder),
//! [`deploy_nft`] (the three facets, then the collection constructed atomically through the
//! StylusDeployer) and an OpenZeppelin `StandardMerkleTree` ([`AllowlistTree`]) for allowlist
//! proofs.
#![allow(clippy::too_many_arguments)] // generated: `initialize` and the `Sold` event

use alloy::{
    primitives::{keccak256, Address, B256, U256},
    providers::DynProvider,
    sol,
    sol_types::SolValue,
};
use anyhow::{Context, Result};
use scripts::suite::{royalty_nft_constructor_call, NftInit};

use crate::{deploy_activated, deploy_constructed};

sol!(
    #[sol(rpc, all_derives)]
    IRoyaltyNft,
    "../abi/royalty-nft.json"
);
sol!(
    #[sol(rpc, all_derives)]
    IRoyaltyNftAdminFacet,
    "../abi/royalty-nft-admin-facet.json"
);
sol!(
    #[sol(rpc, all_derives)]
    IRoyaltyNftConfigFacet,
    "../abi/royalty-nft-config-facet.json"
);
sol!(
    #[sol(rpc, all_derives)]
    IRoyaltyNftRewardsFacet,
    "../abi/royalty-nft-rewards-facet.json"
);
sol!(
    #[sol(rpc, all_derives)]
    "solidity/src/nft/IMarketplace.sol"
);
sol!(
    #[sol(rpc, all_derives)]
    "solidity/src/nft/IERC721Recorder.sol"
);

/// A deployed collection and its programs.
#[derive(Debug, Clone, Copy)]
pub struct Nft {
    /// The collection (`royalty-nft`): every selector of every facet is called here.
    pub collection: Address,
    /// `royalty-nft-admin-facet`.
    pub admin_facet: Address,
    /// `royalty-nft-config-facet`.
    pub config_facet: Address,
    /// `royalty-nft-rewards-facet`.
    pub rewards_facet: Address,
}

/// Deploys the admin, config and rewards facets (CREATE + activation) and the collection through
/// the StylusDeployer with `constructor(adminFacet, configFacet, initialize(...))`; `init`'s
/// `rewards_facet` is replaced by the one deployed here.
pub async fn deploy_nft(p: &DynProvider, init: &NftInit) -> Result<Nft> {
    let admin_facet = deploy_activated(p, "royalty-nft-admin-facet").await?;
    let config_facet = deploy_activated(p, "royalty-nft-config-facet").await?;
    let rewards_facet = deploy_activated(p, "royalty-nft-rewards-facet").await?;
    let init = NftInit {
        rewards_facet,
        ..init.clone()
    };
    let collection = deploy_constructed(
        p,
        "royalty-nft",
        royalty_nft_constructor_call(admin_facet, config_facet, &init),
    )
    .await?;
    Ok(Nft {
        collection,
        admin_facet,
        config_facet,
        rewards_facet,
    })
}

/// OpenZeppelin `StandardMerkleTree` over `(address, uint256)` leaves (account, allowance), built
/// as the JS library builds it: leaf `keccak256(bytes.concat(keccak256(abi.encode(a, n))))`,
/// leaves sorted by hash and laid out from the end of a complete binary tree in an array
/// (node `i`'s children at `2i + 1`, `2i + 2`), pairs hashed sorted (commutative).
#[derive(Debug, Clone)]
pub struct AllowlistTree {
    entries: Vec<(Address, U256)>,
    tree: Vec<B256>,
}

/// `keccak256(sorted(a, b))`.
fn hash_pair(a: B256, b: B256) -> B256 {
    let (x, y) = if a <= b { (a, b) } else { (b, a) };
    keccak256([x.as_slice(), y.as_slice()].concat())
}

impl AllowlistTree {
    /// The standard leaf of `(account, allowance)`.
    pub fn leaf(account: Address, allowance: U256) -> B256 {
        keccak256(keccak256((account, allowance).abi_encode()))
    }

    /// Builds the tree (at least one entry).
    pub fn new(entries: &[(Address, U256)]) -> Result<Self> {
        anyhow::ensure!(!entries.is_empty(), "an empty allowlist has no tree");
        let mut leaves: Vec<B256> = entries.iter().map(|(a, n)| Self::leaf(*a, *n)).collect();
        leaves.sort();
        let n = leaves.len();
        let mut tree = vec![B256::ZERO; 2 * n - 1];
        let last = tree.len() - 1;
        for (i, l) in leaves.iter().enumerate() {
            tree[last - i] = *l;
        }
        for i in (0..tree.len() - n).rev() {
            tree[i] = hash_pair(tree[2 * i + 1], tree[2 * i + 2]);
        }
        Ok(Self {
            entries: entries.to_vec(),
            tree,
        })
    }

    /// The root.
    pub fn root(&self) -> B256 {
        self.tree[0]
    }

    /// The proof of the entry at `index` (sibling hashes from the leaf up).
    pub fn proof(&self, index: usize) -> Result<Vec<B256>> {
        let (a, n) = self.entries.get(index).context("no such entry")?;
        let leaf = Self::leaf(*a, *n);
        let mut i = self
            .tree
            .iter()
            .rposition(|h| *h == leaf)
            .context("leaf not in tree")?;
        let mut proof = Vec::new();
        while i > 0 {
            let sibling = if i % 2 == 1 { i + 1 } else { i - 1 };
            proof.push(self.tree[sibling]);
            i = (i - 1) / 2;
        }
        Ok(proof)
    }

    /// Whether `proof` takes `leaf` to the root (OpenZeppelin `MerkleProof.verify`).
    pub fn verify(&self, proof: &[B256], leaf: B256) -> bool {
        proof.iter().fold(leaf, |h, p| hash_pair(h, *p)) == self.root()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_proof_verifies_and_binds_its_entry() {
        for size in 1..=7usize {
            let entries: Vec<_> = (0..size)
                .map(|i| (Address::repeat_byte(i as u8 + 1), U256::from(i + 1)))
                .collect();
            let t = AllowlistTree::new(&entries).unwrap();
            for (i, (a, n)) in entries.iter().enumerate() {
                let proof = t.proof(i).unwrap();
                assert!(t.verify(&proof, AllowlistTree::leaf(*a, *n)));
                assert!(!t.verify(&proof, AllowlistTree::leaf(*a, *n + U256::from(1))));
                if size > 1 {
                    assert!(!t.verify(&proof, AllowlistTree::leaf(Address::ZERO, *n)));
                }
            }
        }
    }

    /// The published `@openzeppelin/merkle-tree` README vector (`StandardMerkleTree.of` over
    /// `["address", "uint256"]`): the dumped tree and the proof of the first value.
    #[test]
    fn openzeppelin_readme_vector() {
        let a = (
            Address::repeat_byte(0x11),
            U256::from(5_000_000_000_000_000_000u128),
        );
        let b = (
            Address::repeat_byte(0x22),
            U256::from(2_500_000_000_000_000_000u128),
        );
        let t = AllowlistTree::new(&[a, b]).unwrap();
        let hex = |s: &str| s.parse::<B256>().unwrap();
        assert_eq!(
            t.tree,
            vec![
                hex("0xd4dee0beab2d53f2cc83e567171bd2820e49898130a22622b10ead383e90bd77"),
                hex("0xeb02c421cfa48976e66dfb29120745909ea3a0f843456c263cf8f1253483e283"),
                hex("0xb92c48e9d7abe27fd8dfd6b5dfdbfb1c9a463f80c712b66f3a5180a090cccafc"),
            ]
        );
        assert_eq!(
            t.proof(0).unwrap(),
            vec![hex(
                "0xb92c48e9d7abe27fd8dfd6b5dfdbfb1c9a463f80c712b66f3a5180a090cccafc"
            )]
        );
    }

    /// A single-entry tree's root is its leaf; a two-entry tree's root is the sorted pair hash.
    #[test]
    fn small_trees_match_the_standard_layout() {
        let a = (Address::repeat_byte(0xaa), U256::from(2));
        let b = (Address::repeat_byte(0xbb), U256::from(3));
        let one = AllowlistTree::new(&[a]).unwrap();
        assert_eq!(one.root(), AllowlistTree::leaf(a.0, a.1));
        assert!(one.proof(0).unwrap().is_empty());
        let two = AllowlistTree::new(&[a, b]).unwrap();
        let (la, lb) = (AllowlistTree::leaf(a.0, a.1), AllowlistTree::leaf(b.0, b.1));
        assert_eq!(two.root(), hash_pair(la, lb));
        assert_eq!(two.proof(0).unwrap(), vec![lb]);
    }
}
