//! The state trie: Ethereum's Merkle-Patricia root of the world state (`stateRoot` in block
//! headers) and its proofs (`eth_getProof`).
//!
//! Node encoding, hashing and the account encoding come from `alloy-trie` (the trie crate of
//! alloy/reth); proofs verify with `alloy_trie::proof::verify_proof`. What `alloy-trie` does not
//! offer is an in-memory trie that can be *updated*: its `HashBuilder` needs every leaf again for
//! every root. The devnode mines a block per transaction and must stay at thousands of blocks per
//! second, so [`Mpt`] keeps the trie's nodes with their cached references: an update rewrites the
//! path to one leaf, and the next root re-hashes only the nodes on changed paths (a block touching
//! a few accounts costs a few dozen Keccak hashes, whatever the size of the state).
//!
//! Keys are Keccak hashes (64 nibbles), so no key is a prefix of another and branch nodes never
//! carry a value. [`StateTrie`] holds the account trie and one storage trie per account, updated
//! from the keys the [`WorldState`](super::state::WorldState) journal marks as dirty.

use std::collections::{HashMap, HashSet};

use alloy::primitives::{keccak256, Address, Bytes, B256, U256};
use alloy_trie::nodes::{BranchNodeRef, ExtensionNodeRef, LeafNodeRef, RlpNode};
use alloy_trie::{Nibbles, TrieAccount, TrieMask, EMPTY_ROOT_HASH};
use revm::database::{AccountState, DbAccount};
use revm::primitives::KECCAK_EMPTY;

use super::state::Touched as Dirty;
use crate::exec::DevDb;

/// A trie node with its cached reference (`rlp(node)` if shorter than 32 bytes, else
/// `rlp(keccak(rlp(node)))`); `None` when the node changed since it was last hashed.
#[derive(Clone, Debug)]
enum Node {
    Leaf {
        path: Vec<u8>,
        value: Vec<u8>,
        cache: Option<RlpNode>,
    },
    Extension {
        path: Vec<u8>,
        child: Box<Node>,
        cache: Option<RlpNode>,
    },
    Branch {
        children: Box<[Option<Box<Node>>; 16]>,
        cache: Option<RlpNode>,
    },
}

fn leaf(path: &[u8], value: Vec<u8>) -> Box<Node> {
    Box::new(Node::Leaf {
        path: path.to_vec(),
        value,
        cache: None,
    })
}

/// `child` behind an extension of `path` (no extension when `path` is empty).
fn extend(path: &[u8], child: Box<Node>) -> Box<Node> {
    if path.is_empty() {
        return child;
    }
    match *child {
        // Extensions never point at leaves or extensions: merge the paths.
        Node::Leaf { path: p, value, .. } => leaf(&[path, &p].concat(), value),
        Node::Extension { path: p, child, .. } => Box::new(Node::Extension {
            path: [path, &p].concat(),
            child,
            cache: None,
        }),
        branch => Box::new(Node::Extension {
            path: path.to_vec(),
            child: Box::new(branch),
            cache: None,
        }),
    }
}

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

fn empty_children() -> Box<[Option<Box<Node>>; 16]> {
    Box::default()
}

fn insert(node: Option<Box<Node>>, path: &[u8], value: Vec<u8>) -> Box<Node> {
    let Some(mut node) = node else {
        return leaf(path, value);
    };
    match &mut *node {
        Node::Leaf {
            path: lp,
            value: lv,
            cache,
        } => {
            if lp.as_slice() == path {
                *lv = value;
                *cache = None;
                return node;
            }
            let c = common_prefix(lp, path);
            let mut children = empty_children();
            children[lp[c] as usize] = Some(leaf(&lp[c + 1..], std::mem::take(lv)));
            children[path[c] as usize] = Some(leaf(&path[c + 1..], value));
            extend(
                &path[..c],
                Box::new(Node::Branch {
                    children,
                    cache: None,
                }),
            )
        }
        Node::Extension {
            path: ep,
            child,
            cache,
        } => {
            let c = common_prefix(ep, path);
            if c == ep.len() {
                let old = std::mem::replace(child, leaf(&[], Vec::new()));
                *child = insert(Some(old), &path[c..], value);
                *cache = None;
                return node;
            }
            let Node::Extension {
                path: ep, child, ..
            } = *node
            else {
                unreachable!("matched above")
            };
            let mut children = empty_children();
            children[ep[c] as usize] = Some(extend(&ep[c + 1..], child));
            children[path[c] as usize] = Some(leaf(&path[c + 1..], value));
            extend(
                &path[..c],
                Box::new(Node::Branch {
                    children,
                    cache: None,
                }),
            )
        }
        Node::Branch { children, cache } => {
            let i = path[0] as usize;
            children[i] = Some(insert(children[i].take(), &path[1..], value));
            *cache = None;
            node
        }
    }
}

fn remove(node: Box<Node>, path: &[u8]) -> Option<Box<Node>> {
    let mut node = node;
    match &mut *node {
        Node::Leaf { path: lp, .. } => {
            if lp.as_slice() == path {
                None
            } else {
                Some(node)
            }
        }
        Node::Extension { path: ep, .. } => {
            if !path.starts_with(ep) {
                return Some(node);
            }
            let Node::Extension {
                path: ep, child, ..
            } = *node
            else {
                unreachable!("matched above")
            };
            let child = remove(child, &path[ep.len()..])?;
            Some(extend(&ep, child))
        }
        Node::Branch { children, cache } => {
            let i = path[0] as usize;
            let Some(child) = children[i].take() else {
                return Some(node);
            };
            children[i] = remove(child, &path[1..]);
            *cache = None;
            let count = children.iter().filter(|c| c.is_some()).count();
            if count > 1 {
                return Some(node);
            }
            // One child left (a branch always had two): the branch collapses into it.
            let first = children.iter().position(Option::is_some)?;
            let only = children[first].take().expect("present");
            Some(extend(&[first as u8], only))
        }
    }
}

impl Node {
    /// The node's reference, computing (and caching) the references of changed descendants.
    fn reference(&mut self, buf: &mut Vec<u8>) -> RlpNode {
        let cached = match self {
            Node::Leaf { cache, .. }
            | Node::Extension { cache, .. }
            | Node::Branch { cache, .. } => cache.clone(),
        };
        if let Some(r) = cached {
            return r;
        }
        let r = self.encode(buf);
        match self {
            Node::Leaf { cache, .. }
            | Node::Extension { cache, .. }
            | Node::Branch { cache, .. } => *cache = Some(r.clone()),
        }
        r
    }

    /// Writes the node's full RLP encoding to `buf` (cleared first) and returns its reference.
    fn encode(&mut self, buf: &mut Vec<u8>) -> RlpNode {
        match self {
            Node::Leaf { path, value, .. } => {
                let key = Nibbles::from_nibbles_unchecked(&path[..]);
                buf.clear();
                LeafNodeRef::new(&key, value).rlp(buf)
            }
            Node::Extension { path, child, .. } => {
                let child_ref = child.reference(buf);
                let key = Nibbles::from_nibbles_unchecked(&path[..]);
                buf.clear();
                ExtensionNodeRef::new(&key, &child_ref).rlp(buf)
            }
            Node::Branch { children, .. } => {
                let mut stack = Vec::with_capacity(16);
                let mut mask = 0u16;
                for (i, c) in children.iter_mut().enumerate() {
                    if let Some(c) = c {
                        stack.push(c.reference(buf));
                        mask |= 1 << i;
                    }
                }
                buf.clear();
                BranchNodeRef::new(&stack, TrieMask::new(mask)).rlp(buf)
            }
        }
    }
}

/// An updatable Merkle-Patricia trie over 32-byte (hashed) keys with cached node hashes.
#[derive(Clone, Debug, Default)]
pub struct Mpt {
    root: Option<Box<Node>>,
}

fn nibbles_of(key: &B256) -> [u8; 64] {
    let mut out = [0u8; 64];
    for (i, b) in key.iter().enumerate() {
        out[2 * i] = b >> 4;
        out[2 * i + 1] = b & 0x0f;
    }
    out
}

impl Mpt {
    /// Sets `key` to `value` (an empty value removes the key).
    pub fn insert(&mut self, key: B256, value: Vec<u8>) {
        if value.is_empty() {
            return self.remove(key);
        }
        self.root = Some(insert(self.root.take(), &nibbles_of(&key), value));
    }

    /// Removes `key` (no-op when absent).
    pub fn remove(&mut self, key: B256) {
        if let Some(root) = self.root.take() {
            self.root = remove(root, &nibbles_of(&key));
        }
    }

    /// Whether the trie has no keys.
    pub fn is_empty(&self) -> bool {
        self.root.is_none()
    }

    /// The root hash (`EMPTY_ROOT_HASH` for an empty trie). Re-hashes only changed nodes.
    pub fn root(&mut self) -> B256 {
        let mut buf = Vec::with_capacity(600);
        match self.root.as_mut() {
            None => EMPTY_ROOT_HASH,
            Some(root) => match root.reference(&mut buf).as_hash() {
                Some(hash) => hash,
                // A root shorter than 32 bytes is referenced inline but hashed as the root.
                None => {
                    root.encode(&mut buf);
                    keccak256(&buf)
                }
            },
        }
    }

    /// The proof of `key`: the RLP encodings of the nodes on its path that are referenced by hash
    /// (the root first), as `eth_getProof` returns them. Proves absence when the key is missing.
    pub fn proof(&mut self, key: B256) -> Vec<Bytes> {
        let path = nibbles_of(&key);
        let mut out = Vec::new();
        let mut buf = Vec::with_capacity(600);
        let mut at = 0usize;
        let mut node = match self.root.as_mut() {
            Some(n) => n,
            None => return out,
        };
        let mut is_root = true;
        loop {
            let cur = node;
            let r = cur.encode(&mut buf);
            if is_root || r.is_hash() {
                out.push(Bytes::copy_from_slice(&buf));
            }
            is_root = false;
            match &mut **cur {
                Node::Leaf { .. } => return out,
                Node::Extension {
                    path: ep, child, ..
                } => {
                    if !path[at..].starts_with(ep) {
                        return out;
                    }
                    at += ep.len();
                    node = child;
                }
                Node::Branch { children, .. } => match children[path[at] as usize].as_mut() {
                    Some(c) => {
                        at += 1;
                        node = c;
                    }
                    None => return out,
                },
            }
        }
    }
}

/// Whether an account is in the state trie: it exists and is not empty (EIP-161), or has storage.
fn in_trie(acc: &DbAccount) -> bool {
    if matches!(acc.account_state, AccountState::NotExisting) {
        return false;
    }
    let info = &acc.info;
    info.nonce != 0
        || !info.balance.is_zero()
        || (info.code_hash != KECCAK_EMPTY && info.code_hash != B256::ZERO)
        || acc.storage.values().any(|v| !v.is_zero())
}

fn code_hash(acc: &DbAccount) -> B256 {
    if acc.info.code_hash == B256::ZERO {
        KECCAK_EMPTY
    } else {
        acc.info.code_hash
    }
}

fn slot_key(slot: U256) -> B256 {
    keccak256(B256::from(slot))
}

fn storage_trie(acc: &DbAccount) -> Mpt {
    let mut t = Mpt::default();
    for (slot, value) in &acc.storage {
        if !value.is_zero() {
            t.insert(slot_key(*slot), alloy::rlp::encode(value));
        }
    }
    t
}

/// The world state's tries: accounts, and the storage of each account.
#[derive(Clone, Debug, Default)]
pub struct StateTrie {
    accounts: Mpt,
    storage: HashMap<Address, Mpt>,
}

/// A storage slot's value and its proof.
pub type SlotProof = (U256, Vec<Bytes>);

/// An account's entry in the state trie (for proofs).
#[derive(Clone, Debug)]
pub struct AccountLeaf {
    /// The account as the trie encodes it (zero account when absent).
    pub account: TrieAccount,
    /// Whether the account is in the trie.
    pub present: bool,
}

impl StateTrie {
    /// Builds the tries of a whole state.
    pub fn build(db: &DevDb) -> Self {
        let mut t = Self::default();
        let dirty = Dirty {
            infos: db.cache.accounts.keys().copied().collect(),
            accounts: db.cache.accounts.keys().copied().collect(),
            slots: HashSet::new(),
        };
        t.update(db, dirty);
        t
    }

    /// Brings the tries up to date with `db` for the keys in `dirty`.
    pub fn update(&mut self, db: &DevDb, dirty: Dirty) {
        let Dirty {
            infos: mut accounts,
            accounts: wiped,
            slots,
        } = dirty;
        for address in &wiped {
            match db.cache.accounts.get(address) {
                Some(acc) if in_trie(acc) => {
                    self.storage.insert(*address, storage_trie(acc));
                }
                _ => {
                    self.storage.remove(address);
                }
            }
            accounts.insert(*address);
        }
        for (address, slot) in slots {
            accounts.insert(address);
            if wiped.contains(&address) {
                continue;
            }
            let value = db
                .cache
                .accounts
                .get(&address)
                .and_then(|a| a.storage.get(&slot).copied())
                .unwrap_or_default();
            let trie = self.storage.entry(address).or_default();
            if value.is_zero() {
                trie.remove(slot_key(slot));
            } else {
                trie.insert(slot_key(slot), alloy::rlp::encode(value));
            }
        }
        for address in accounts {
            let key = keccak256(address);
            match db.cache.accounts.get(&address) {
                Some(acc) if in_trie(acc) => {
                    let storage_root = self
                        .storage
                        .get_mut(&address)
                        .map(Mpt::root)
                        .unwrap_or(EMPTY_ROOT_HASH);
                    let account = TrieAccount::new(
                        acc.info.nonce,
                        acc.info.balance,
                        storage_root,
                        code_hash(acc),
                    );
                    self.accounts.insert(key, alloy::rlp::encode(account));
                }
                _ => {
                    self.accounts.remove(key);
                    self.storage.remove(&address);
                }
            }
        }
    }

    /// The state root.
    pub fn root(&mut self) -> B256 {
        self.accounts.root()
    }

    /// The account's trie entry, its proof, and the proofs of `slots` (with their values).
    pub fn proof(
        &mut self,
        db: &DevDb,
        address: Address,
        slots: &[B256],
    ) -> (AccountLeaf, Vec<Bytes>, Vec<SlotProof>) {
        let account_proof = self.accounts.proof(keccak256(address));
        let acc = db.cache.accounts.get(&address).filter(|a| in_trie(a));
        let storage = self.storage.get_mut(&address);
        let storage_root = storage.map(|s| s.root()).unwrap_or(EMPTY_ROOT_HASH);
        let leaf = match acc {
            Some(a) => AccountLeaf {
                account: TrieAccount::new(a.info.nonce, a.info.balance, storage_root, code_hash(a)),
                present: true,
            },
            None => AccountLeaf {
                account: TrieAccount::new(0, U256::ZERO, EMPTY_ROOT_HASH, KECCAK_EMPTY),
                present: false,
            },
        };
        let storage_proofs = slots
            .iter()
            .map(|slot| {
                let slot = U256::from_be_bytes(slot.0);
                let value = acc
                    .and_then(|a| a.storage.get(&slot).copied())
                    .unwrap_or_default();
                let proof = match (acc, self.storage.get_mut(&address)) {
                    (Some(_), Some(t)) => t.proof(slot_key(slot)),
                    _ => Vec::new(),
                };
                (value, proof)
            })
            .collect();
        (leaf, account_proof, storage_proofs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_trie::proof::verify_proof;
    use proptest::prelude::*;

    fn reference_root(items: &HashMap<B256, Vec<u8>>) -> B256 {
        let mut sorted: Vec<_> = items.iter().collect();
        sorted.sort_by_key(|(k, _)| **k);
        let mut hb = alloy_trie::HashBuilder::default();
        for (k, v) in sorted {
            hb.add_leaf(Nibbles::unpack(k), v);
        }
        hb.root()
    }

    #[test]
    fn empty_trie_has_the_empty_root() {
        assert_eq!(Mpt::default().root(), EMPTY_ROOT_HASH);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Random inserts, overwrites and removals (keys from a small space, so that paths share
        /// prefixes and branches collapse), with the root taken at random points: always the root
        /// `alloy-trie`'s HashBuilder computes from scratch, and every proof verifies.
        #[test]
        fn incremental_root_matches_hash_builder(
            ops in proptest::collection::vec((0u16..400, 0u8..4, any::<bool>()), 1..300)
        ) {
            let mut trie = Mpt::default();
            let mut model: HashMap<B256, Vec<u8>> = HashMap::new();
            for (i, (k, v, check)) in ops.iter().enumerate() {
                // Short keys make shared prefixes; hashing spreads some of them.
                let key = if k % 2 == 0 {
                    B256::left_padding_from(&k.to_be_bytes())
                } else {
                    keccak256(k.to_be_bytes())
                };
                if *v == 0 {
                    trie.remove(key);
                    model.remove(&key);
                } else {
                    // Values of 1 to 40 bytes: short leaves are inlined in their parent.
                    let value = vec![*v; (*k as usize % 40) + 1];
                    trie.insert(key, value.clone());
                    model.insert(key, value);
                }
                if *check || i == ops.len() - 1 {
                    let root = trie.root();
                    prop_assert_eq!(root, reference_root(&model));
                    let proof = trie.proof(key);
                    prop_assert!(verify_proof(root, Nibbles::unpack(key), model.get(&key).cloned(), &proof).is_ok());
                }
            }
        }
    }
}
