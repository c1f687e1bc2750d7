//! Primary sale: windows, supply, wallet limits, payment and refunds, allowlist proofs in
//! OpenZeppelin's StandardMerkleTree format, proceeds to the creator ledger, reentrancy guard.

use super::world::{self, Receiver};
use super::*;
use crate::merkle;

/// A sorted-pair Merkle tree over the standard `(address, uint256)` leaves, paired bottom-up in
/// input order with odd nodes carried up (not `StandardMerkleTree`'s array layout: verification
/// does not depend on the layout; [`openzeppelin_readme_vector`] checks a tree the JS library
/// built). Returns (root, proof of each leaf in input order).
pub fn tree(entries: &[(Address, U256)]) -> (B256, Vec<Vec<B256>>) {
    let leaves: Vec<B256> = entries.iter().map(|(a, v)| merkle::leaf(*a, *v)).collect();
    let mut proofs: Vec<Vec<B256>> = vec![Vec::new(); leaves.len()];
    // position of each original leaf in the current level
    let mut level = leaves.clone();
    let mut pos: Vec<usize> = (0..leaves.len()).collect();
    while level.len() > 1 {
        let mut next = Vec::new();
        for pair in level.chunks(2) {
            next.push(if pair.len() == 2 {
                merkle::hash_pair(pair[0], pair[1])
            } else {
                pair[0]
            });
        }
        for (i, p) in pos.iter_mut().enumerate() {
            let sib = *p ^ 1;
            if sib < level.len() {
                proofs[i].push(level[sib]);
            }
            *p /= 2;
        }
        level = next;
    }
    (level[0], proofs)
}

fn allowlist(n: &mut RoyaltyNft, vm: &TestVM) -> Vec<Vec<B256>> {
    let entries = [(ALICE, id(3)), (BOB, id(1)), (CAROL, id(2))];
    let (root, proofs) = tree(&entries);
    call_as(vm, OWNER);
    n.set_allowlist_root(root).unwrap();
    proofs
}

#[test]
fn merkle_leaf_is_double_hashed_abi_encode() {
    use alloy_primitives::keccak256;
    let mut enc = [0u8; 64];
    enc[12..32].copy_from_slice(ALICE.as_slice());
    enc[63] = 3;
    assert_eq!(merkle::leaf(ALICE, id(3)), keccak256(keccak256(enc)));
    let (a, b) = (B256::repeat_byte(1), B256::repeat_byte(2));
    assert_eq!(merkle::hash_pair(a, b), merkle::hash_pair(b, a));
}

/// The `@openzeppelin/merkle-tree` README vector (`StandardMerkleTree.of` over
/// `["address", "uint256"]`, two values): its root, leaf hashes and the proof of the first value.
#[test]
fn openzeppelin_readme_vector() {
    let hex = |s: &str| s.parse::<B256>().unwrap();
    let root = hex("0xd4dee0beab2d53f2cc83e567171bd2820e49898130a22622b10ead383e90bd77");
    let (leaf_a, leaf_b) = (
        hex("0xeb02c421cfa48976e66dfb29120745909ea3a0f843456c263cf8f1253483e283"),
        hex("0xb92c48e9d7abe27fd8dfd6b5dfdbfb1c9a463f80c712b66f3a5180a090cccafc"),
    );
    let a = Address::repeat_byte(0x11);
    let b = Address::repeat_byte(0x22);
    assert_eq!(merkle::leaf(a, u(5_000_000_000_000_000_000)), leaf_a);
    assert_eq!(merkle::leaf(b, u(2_500_000_000_000_000_000)), leaf_b);
    assert!(merkle::verify(&[leaf_b], root, leaf_a));
    assert!(merkle::verify(&[leaf_a], root, leaf_b));
    // Bound to the account and the allowance.
    assert!(!merkle::verify(
        &[leaf_b],
        root,
        merkle::leaf(b, u(5_000_000_000_000_000_000))
    ));
    assert!(!merkle::verify(
        &[leaf_b],
        root,
        merkle::leaf(a, u(5_000_000_000_000_000_001))
    ));
}

#[test]
fn allowlist_mint() {
    let (vm, mut n) = setup();
    let proofs = allowlist(&mut n, &vm);
    pay(&vm, ALICE, u(2 * PRICE));
    n.mint_allowlist(id(2), id(3), proofs[0].clone()).unwrap();
    assert_eq!(n.balance_of(ALICE).unwrap(), id(2));
    assert_eq!(n.minted_by(ALICE), (0, 2));
    // Allowance exhausted.
    pay(&vm, ALICE, u(2 * PRICE));
    has_error(
        n.mint_allowlist(id(2), id(3), proofs[0].clone()),
        SaleWalletLimitExceeded {
            wallet: ALICE,
            limit: id(3),
        },
    );
    // A wrong allowance is a wrong leaf.
    pay(&vm, ALICE, u(PRICE));
    has_error(
        n.mint_allowlist(id(1), id(9), proofs[0].clone()),
        SaleInvalidProof {
            account: ALICE,
            allowance: id(9),
        },
    );
    pay(&vm, ALICE, u(PRICE));
    n.mint_allowlist(id(1), id(3), proofs[0].clone()).unwrap();
    assert_eq!(n.balance_of(ALICE).unwrap(), id(3));
    // Every entry of the tree verifies.
    pay(&vm, CAROL, u(2 * PRICE));
    n.mint_allowlist(id(2), id(2), proofs[2].clone()).unwrap();
}

/// Regression: a proof is bound to the caller's address; Bob cannot reuse Alice's proof (or
/// Alice's allowance) and minting to someone else is impossible in the allowlist phase.
#[test]
fn allowlist_proof_reuse_across_addresses() {
    let (vm, mut n) = setup();
    let proofs = allowlist(&mut n, &vm);
    pay(&vm, BOB, u(3 * PRICE));
    has_error(
        n.mint_allowlist(id(3), id(3), proofs[0].clone()),
        SaleInvalidProof {
            account: BOB,
            allowance: id(3),
        },
    );
    pay(&vm, CAROL, u(PRICE));
    has_error(
        n.mint_allowlist(id(1), id(1), proofs[1].clone()),
        SaleInvalidProof {
            account: CAROL,
            allowance: id(1),
        },
    );
    // An inner node is not a leaf (double hashing): Alice's first proof element is Bob's leaf.
    pay(&vm, ALICE, u(PRICE));
    has_error(
        n.mint_allowlist(id(1), id(3), Vec::new()),
        SaleInvalidProof {
            account: ALICE,
            allowance: id(3),
        },
    );
    assert_eq!(n.total_minted(), id(0));
}

#[test]
fn sale_windows() {
    let (vm, mut n) = setup();
    let proofs = allowlist(&mut n, &vm);
    // Before the allowlist start.
    vm.set_block_timestamp(T0 - 1);
    pay(&vm, ALICE, u(PRICE));
    has_error(
        n.mint_allowlist(id(1), id(3), proofs[0].clone()),
        SaleNotActive {},
    );
    // Allowlist open, public not yet.
    vm.set_block_timestamp(T0 + 99);
    pay(&vm, ALICE, u(PRICE));
    has_error(n.mint(ALICE, id(1)), SaleNotActive {});
    pay(&vm, ALICE, u(PRICE));
    n.mint_allowlist(id(1), id(3), proofs[0].clone()).unwrap();
    // Both open.
    vm.set_block_timestamp(T0 + 100);
    pay(&vm, ALICE, u(PRICE));
    n.mint(ALICE, id(1)).unwrap();
    // Closed at the end.
    vm.set_block_timestamp(T0 + 30 * DAY);
    pay(&vm, ALICE, u(PRICE));
    has_error(n.mint(ALICE, id(1)), SaleNotActive {});
    pay(&vm, ALICE, u(PRICE));
    has_error(
        n.mint_allowlist(id(1), id(3), proofs[0].clone()),
        SaleNotActive {},
    );
    // No root: the allowlist is closed.
    vm.set_block_timestamp(T0 + 99);
    call_as(&vm, OWNER);
    n.set_allowlist_root(B256::ZERO).unwrap();
    pay(&vm, ALICE, u(PRICE));
    has_error(
        n.mint_allowlist(id(1), id(3), proofs[0].clone()),
        SaleInvalidProof {
            account: ALICE,
            allowance: id(3),
        },
    );
}

#[test]
fn quantity_supply_and_wallet_limit() {
    let (vm, mut n) = setup();
    vm.set_block_timestamp(T0 + 100);
    for q in [0u64, MAX_BATCH + 1] {
        pay(&vm, ALICE, u(PRICE) * id(q));
        has_error(
            n.mint(ALICE, id(q)),
            SaleInvalidQuantity { quantity: id(q) },
        );
    }
    pay(&vm, ALICE, U256::ZERO);
    has_error(
        n.mint(ALICE, U256::MAX),
        SaleInvalidQuantity {
            quantity: U256::MAX,
        },
    );
    mint(&vm, &mut n, ALICE, 5);
    pay(&vm, ALICE, u(PRICE));
    has_error(
        n.mint(ALICE, id(1)),
        SaleWalletLimitExceeded {
            wallet: ALICE,
            limit: id(5),
        },
    );
    // The limit is on the receiving wallet, whoever pays.
    pay(&vm, BOB, u(PRICE));
    has_error(
        n.mint(ALICE, id(1)),
        SaleWalletLimitExceeded {
            wallet: ALICE,
            limit: id(5),
        },
    );
    // Max supply.
    call_as(&vm, OWNER);
    n.set_sale_config(u(PRICE), 7, 0, T0, T0 + 100, T0 + 30 * DAY)
        .unwrap();
    pay(&vm, BOB, u(3 * PRICE));
    has_error(
        n.mint(BOB, id(3)),
        SaleMaxSupplyExceeded {
            quantity: id(3),
            remaining: id(2),
        },
    );
    pay(&vm, BOB, u(2 * PRICE));
    n.mint(BOB, id(2)).unwrap();
    // Max supply below what was minted is refused.
    call_as(&vm, OWNER);
    assert_eq!(
        n.set_sale_config(u(PRICE), 6, 0, T0, T0 + 100, T0 + 30 * DAY)
            .unwrap_err(),
        nft_err!(SaleInvalidConfig)
    );
    assert_eq!(
        n.set_sale_config(u(PRICE), 7, 0, T0 + 10, T0 + 100, T0 + 10)
            .unwrap_err(),
        nft_err!(SaleInvalidConfig)
    );
    // Mint to zero refused.
    call_as(&vm, OWNER);
    n.set_sale_config(u(PRICE), 100, 0, T0, T0 + 100, T0 + 30 * DAY)
        .unwrap();
    pay(&vm, BOB, u(PRICE));
    has_error(
        n.mint(Address::ZERO, id(1)),
        ERC721InvalidReceiver {
            receiver: Address::ZERO,
        },
    );
}

#[test]
fn payment_refund_and_proceeds() {
    let (vm, mut n) = setup();
    vm.set_block_timestamp(T0 + 100);
    pay(&vm, ALICE, u(3 * PRICE - 1));
    has_error(
        n.mint(ALICE, id(3)),
        SaleInsufficientPayment {
            required: u(3 * PRICE),
            sent: u(3 * PRICE - 1),
        },
    );
    world::reset_eth(NFT);
    // Overpay: refund to the payer.
    pay(&vm, BOB, u(ETHER));
    n.mint(ALICE, id(3)).unwrap();
    assert_eq!(world::eth_balance(BOB), u(ETHER - 3 * PRICE));
    assert_eq!(world::eth_balance(NFT), u(3 * PRICE));
    // Proceeds fully to creators (60/40), booked as held ETH.
    assert_eq!(n.creator_total(Address::ZERO), u(3 * PRICE));
    assert_eq!(n.booked_balance(Address::ZERO), u(3 * PRICE));
    assert_eq!(
        n.creator_owed(Address::ZERO, CREATOR1).unwrap(),
        u(3 * PRICE * 6 / 10)
    );
    assert_eq!(
        n.creator_owed(Address::ZERO, CREATOR2).unwrap(),
        u(3 * PRICE * 4 / 10)
    );
    // Minted event.
    let minted = logs(&vm)
        .into_iter()
        .filter(|(t, _)| t[0] == <Minted as alloy_sol_types::SolEvent>::SIGNATURE_HASH)
        .count();
    assert_eq!(minted, 1);
    // A payer that refuses the refund makes the mint revert.
    world::set_failing(CAROL, true);
    pay(&vm, CAROL, u(PRICE + 1));
    has_error(
        copy(&vm).1.mint(CAROL, id(1)),
        EthTransferFailed {
            to: CAROL,
            amount: u(1),
        },
    );
    assert_eq!(n.balance_of(CAROL).unwrap(), id(0));
    // Exact payment to a refusing payer is fine (no refund call).
    pay(&vm, CAROL, u(PRICE));
    n.mint(CAROL, id(1)).unwrap();
    // Free mints.
    call_as(&vm, OWNER);
    n.set_sale_config(U256::ZERO, 100, 0, T0, T0 + 100, T0 + 30 * DAY)
        .unwrap();
    pay(&vm, BOB, U256::ZERO);
    n.mint(BOB, id(2)).unwrap();
}

/// Mints to a contract run the receiver check per token (with empty data, from zero), after the
/// tokens and proceeds are booked; a non-receiver makes the mint revert.
#[test]
fn mint_to_contract_checks_receiver() {
    let (vm, mut n) = setup();
    vm.set_block_timestamp(T0 + 100);
    vm.set_code(RECEIVER, vec![0xfe]);
    world::set_receiver(RECEIVER, Receiver::Accept);
    pay(&vm, ALICE, u(2 * PRICE));
    n.mint(RECEIVER, id(2)).unwrap();
    let seen = world::seen();
    assert_eq!(seen.len(), 2);
    for (i, s) in seen.iter().enumerate() {
        assert_eq!(s.call.from, Address::ZERO);
        assert_eq!(s.call.operator, ALICE);
        assert_eq!(s.call.tokenId, id(i as u64 + 1));
        assert!(s.call.data.is_empty());
        assert_eq!(s.owner_then, Some(RECEIVER));
    }
    world::set_receiver(RECEIVER, Receiver::Answer(vec![0; 32]));
    pay(&vm, ALICE, u(PRICE));
    has_error(
        n.mint(RECEIVER, id(1)),
        ERC721InvalidReceiver { receiver: RECEIVER },
    );
}

/// Regression (reentrant mint callback): a call that re-enters the collection (a receiver hook,
/// a refund recipient) cannot mint, distribute, withdraw or reach the reward facet.
#[test]
fn reentrant_money_paths_refused() {
    let (vm, mut n) = setup();
    let proofs = allowlist(&mut n, &vm);
    vm.set_block_timestamp(T0 + 100);
    let mut state = vm.snapshot();
    state.reentrant = true;
    let re = TestVM::from(state);
    let mut r = RoyaltyNft::from(&re);
    pay(&re, ALICE, u(PRICE));
    has_error(r.mint(ALICE, id(1)), ReentrantCall {});
    has_error(
        r.mint_allowlist(id(1), id(3), proofs[0].clone()),
        ReentrantCall {},
    );
    has_error(r.receive(), ReentrantCall {});
    assert_eq!(
        r.distribute_royalties(Address::ZERO).unwrap_err(),
        nft_err!(ReentrantCall)
    );
    has_error(r.withdraw(Address::ZERO, CREATOR1), ReentrantCall {});
    has_error(r.admin_fallback(&[1, 2, 3, 4]), ReentrantCall {});
    has_error(r.config_fallback(&[1, 2, 3, 4]), ReentrantCall {});
    // ERC-721 views and transfers stay usable from a receiver hook (as in Solidity).
    assert_eq!(r.total_supply(), id(0));
}

#[test]
fn owner_only_admin() {
    let (vm, mut n) = setup();
    call_as(&vm, BOB);
    let e = nft_err!(OwnableUnauthorizedAccount { account: BOB });
    assert_eq!(n.set_sale_config(U256::ZERO, 1, 0, 0, 0, 1).unwrap_err(), e);
    assert_eq!(n.set_allowlist_root(B256::ZERO).unwrap_err(), e);
    assert_eq!(n.set_base_uri("x".into()).unwrap_err(), e);
    assert_eq!(n.set_token_uri(id(1), "x".into()).unwrap_err(), e);
    assert_eq!(n.set_default_royalty(id(1)).unwrap_err(), e);
    assert_eq!(n.set_token_royalty(id(1), id(1)).unwrap_err(), e);
    assert_eq!(n.reset_token_royalty(id(1)).unwrap_err(), e);
    assert_eq!(n.set_holder_share(id(1)).unwrap_err(), e);
}

fn deploy_err(r: Result<RoyaltyNft, Vec<u8>>) -> Vec<u8> {
    match r {
        Err(e) => e,
        Ok(_) => panic!("deployed"),
    }
}

#[test]
fn constructor_checks() {
    let vm = vm();
    assert_eq!(
        deploy_err(deploy_with(&vm, &[CREATOR1], &[9999], 0, 0)),
        enc(nft_err!(SplitInvalid))
    );
    let vm2 = super::vm();
    assert_eq!(
        deploy_err(deploy_with(&vm2, &[CREATOR1], &[10_000], 10_001, 0)),
        enc(nft_err!(RoyaltyInvalidHolderShare { bps: id(10_001) }))
    );
    let vm3 = super::vm();
    assert_eq!(
        deploy_err(deploy_with(&vm3, &[CREATOR1], &[10_000], 0, 10_000)),
        enc(nft_err!(ERC2981InvalidDefaultRoyalty {
            numerator: id(10_000),
            denominator: id(10_000)
        }))
    );
    // A facet without the right identity.
    let vm4 = super::vm();
    vm4.clear_mocks();
    vm4.mock_static_call(
        FACET,
        IRewardsFacet::rewardsFacetVersionCall {}.abi_encode(),
        Ok(B256::repeat_byte(9).to_vec()),
    );
    assert_eq!(
        deploy_err(deploy(&vm4)),
        enc(nft_err!(NftInvalidDependency {
            account: ADMIN_FACET
        }))
    );
    // A rewards facet given as the admin facet (no `adminFacetVersion()`: empty answer).
    let vm7 = super::vm();
    vm7.clear_mocks();
    assert_eq!(
        deploy_err(deploy(&vm7)),
        enc(nft_err!(NftInvalidDependency {
            account: ADMIN_FACET
        }))
    );
    // WETH without code.
    let vm5 = super::vm();
    vm5.set_code(WETH, vec![]);
    assert_eq!(
        deploy_err(deploy(&vm5)),
        enc(nft_err!(NftInvalidDependency { account: WETH }))
    );
    // A good deployment records the facet and registers WETH as the holders' reward.
    let vm6 = super::vm();
    let n = deploy(&vm6).unwrap();
    assert_eq!(n.rewards_facet(), FACET);
    assert_eq!(n.admin_facet(), ADMIN_FACET);
    assert_eq!(n.config_facet(), CONFIG_FACET);
    assert_eq!(n.weth_address(), WETH);
    use rewards::IRewards as _;
    assert_eq!(n.reward_tokens().unwrap(), vec![WETH]);
    assert_eq!(
        n.creators(),
        (vec![CREATOR1, CREATOR2], vec![id(6000), id(4000)])
    );
    assert_eq!(n.holder_share_bps(), id(2000));
    assert_eq!(n.owner(), OWNER);
    // `initialize` runs once: a second call (through the fallback) is refused.
    let mut n = n;
    call_as(&vm6, BOB);
    assert_eq!(
        n.initialize(
            "x".into(),
            "x".into(),
            BOB,
            USDC,
            vec![BOB],
            vec![id(10_000)],
            id(0),
            id(0),
            FACET
        )
        .unwrap_err(),
        nft_err!(NftInvalidDependency { account: USDC })
    );
    assert_eq!(n.owner(), OWNER);
    // The constructor only delegates an `initialize` call.
    let vm8 = super::vm();
    let mut m = RoyaltyNft::from(&vm8);
    assert_eq!(
        m.constructor(ADMIN_FACET, CONFIG_FACET, vec![1, 2, 3, 4].into())
            .unwrap_err(),
        enc(nft_err!(NftInvalidDependency {
            account: CONFIG_FACET
        }))
    );
}
