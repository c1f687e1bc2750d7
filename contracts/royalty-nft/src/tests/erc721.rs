//! ERC-721 conformance (after OpenZeppelin's ERC721 behaviour tests) and ownership invariants.

use alloy_primitives::{fixed_bytes, keccak256};
use alloy_sol_types::SolEvent;
use proptest::prelude::*;

use super::world::{self, Receiver};
use super::*;

fn sel(sig: &str) -> [u8; 4] {
    keccak256(sig)[..4].try_into().unwrap()
}

#[test]
fn erc165_ids() {
    let (_vm, n) = setup();
    let erc721 = kit::erc165::interface_id(&[
        sel("balanceOf(address)"),
        sel("ownerOf(uint256)"),
        sel("safeTransferFrom(address,address,uint256,bytes)"),
        sel("safeTransferFrom(address,address,uint256)"),
        sel("transferFrom(address,address,uint256)"),
        sel("approve(address,uint256)"),
        sel("setApprovalForAll(address,bool)"),
        sel("getApproved(uint256)"),
        sel("isApprovedForAll(address,address)"),
    ]);
    assert_eq!(erc721, fixed_bytes!("80ac58cd"));
    let meta =
        kit::erc165::interface_id(&[sel("name()"), sel("symbol()"), sel("tokenURI(uint256)")]);
    assert_eq!(meta, fixed_bytes!("5b5e139f"));
    for yes in ["01ffc9a7", "80ac58cd", "5b5e139f", "2a55205a", "49064906"] {
        assert!(n.supports_interface(yes.parse().unwrap()), "{yes}");
    }
    for no in ["ffffffff", "780e9d63", "36372b07", "00000000"] {
        assert!(!n.supports_interface(no.parse().unwrap()), "{no}");
    }
}

#[test]
fn metadata_and_batch_mint() {
    let (vm, mut n) = setup();
    assert_eq!(n.name(), "Stylus Yield Art");
    assert_eq!(n.symbol(), "SYART");
    mint(&vm, &mut n, ALICE, 5);
    mint(&vm, &mut n, BOB, 2);
    for i in 1..=5 {
        assert_eq!(n.owner_of(id(i)).unwrap(), ALICE);
    }
    for i in 6..=7 {
        assert_eq!(n.owner_of(id(i)).unwrap(), BOB);
    }
    assert_eq!(n.balance_of(ALICE).unwrap(), id(5));
    assert_eq!(n.balance_of(BOB).unwrap(), id(2));
    assert_eq!(n.total_supply(), id(7));
    assert_eq!(n.total_minted(), id(7));
    for bad in [0, 8, u64::MAX] {
        assert_eq!(
            n.owner_of(id(bad)).unwrap_err(),
            nft_err!(ERC721NonexistentToken { tokenId: id(bad) })
        );
    }
    assert_eq!(
        n.owner_of(U256::MAX).unwrap_err(),
        nft_err!(ERC721NonexistentToken { tokenId: U256::MAX })
    );
    assert_eq!(
        n.balance_of(Address::ZERO).unwrap_err(),
        nft_err!(ERC721InvalidOwner {
            owner: Address::ZERO
        })
    );
}

#[test]
fn mint_emits_one_transfer_per_token() {
    let (vm, mut n) = setup();
    mint(&vm, &mut n, ALICE, 3);
    let transfers: Vec<_> = logs(&vm)
        .into_iter()
        .filter(|(t, _)| t[0] == Transfer::SIGNATURE_HASH)
        .collect();
    assert_eq!(transfers.len(), 3);
    for (i, (t, _)) in transfers.iter().enumerate() {
        assert_eq!(t[1], B256::ZERO);
        assert_eq!(t[2], ALICE.into_word());
        assert_eq!(t[3], B256::from(id(i as u64 + 1)));
    }
}

#[test]
fn approvals_and_operators() {
    let (vm, mut n) = setup();
    mint(&vm, &mut n, ALICE, 2);
    // A stranger cannot approve.
    call_as(&vm, BOB);
    assert_eq!(
        n.approve(BOB, id(1)).unwrap_err(),
        nft_err!(ERC721InvalidApprover { approver: BOB })
    );
    // Owner approves; event.
    call_as(&vm, ALICE);
    n.approve(BOB, id(1)).unwrap();
    assert_eq!(n.get_approved(id(1)).unwrap(), BOB);
    let (t, _) = logs(&vm).pop().unwrap();
    assert_eq!(t[0], Approval::SIGNATURE_HASH);
    assert_eq!(
        (t[1], t[2], t[3]),
        (ALICE.into_word(), BOB.into_word(), B256::from(id(1)))
    );
    // An operator may approve (EIP-721; Seawater warden QA).
    n.set_approval_for_all(CAROL, true).unwrap();
    let (t, d) = logs(&vm).pop().unwrap();
    assert_eq!(t[0], ApprovalForAll::SIGNATURE_HASH);
    assert_eq!(d, U256::from(1u8).to_be_bytes::<32>().to_vec());
    assert!(n.is_approved_for_all(ALICE, CAROL));
    call_as(&vm, CAROL);
    n.approve(CAROL, id(2)).unwrap();
    assert_eq!(n.get_approved(id(2)).unwrap(), CAROL);
    // Zero operator refused; approvals of missing tokens refused.
    assert_eq!(
        n.set_approval_for_all(Address::ZERO, true).unwrap_err(),
        nft_err!(ERC721InvalidOperator {
            operator: Address::ZERO
        })
    );
    assert_eq!(
        n.get_approved(id(9)).unwrap_err(),
        nft_err!(ERC721NonexistentToken { tokenId: id(9) })
    );
    assert_eq!(
        n.approve(BOB, id(9)).unwrap_err(),
        nft_err!(ERC721NonexistentToken { tokenId: id(9) })
    );
    // Revoking the operator removes its powers.
    call_as(&vm, ALICE);
    n.set_approval_for_all(CAROL, false).unwrap();
    call_as(&vm, CAROL);
    assert_eq!(
        n.approve(CAROL, id(1)).unwrap_err(),
        nft_err!(ERC721InvalidApprover { approver: CAROL })
    );
}

#[test]
fn transfer_rules() {
    let (vm, mut n) = setup();
    mint(&vm, &mut n, ALICE, 3);
    call_as(&vm, BOB);
    assert_eq!(
        n.transfer_from(ALICE, BOB, id(1)).unwrap_err(),
        nft_err!(ERC721InsufficientApproval {
            operator: BOB,
            tokenId: id(1)
        })
    );
    call_as(&vm, ALICE);
    assert_eq!(
        n.transfer_from(BOB, CAROL, id(1)).unwrap_err(),
        nft_err!(ERC721IncorrectOwner {
            sender: BOB,
            tokenId: id(1),
            owner: ALICE
        })
    );
    assert_eq!(
        n.transfer_from(ALICE, Address::ZERO, id(1)).unwrap_err(),
        nft_err!(ERC721InvalidReceiver {
            receiver: Address::ZERO
        })
    );
    assert_eq!(
        n.transfer_from(ALICE, BOB, id(4)).unwrap_err(),
        nft_err!(ERC721NonexistentToken { tokenId: id(4) })
    );
    // Owner transfers the middle of a batch: neighbours keep their owner.
    n.transfer_from(ALICE, BOB, id(2)).unwrap();
    let (t, _) = logs(&vm).pop().unwrap();
    assert_eq!(
        t,
        vec![
            Transfer::SIGNATURE_HASH,
            ALICE.into_word(),
            BOB.into_word(),
            B256::from(id(2))
        ]
    );
    assert_eq!(n.owner_of(id(1)).unwrap(), ALICE);
    assert_eq!(n.owner_of(id(2)).unwrap(), BOB);
    assert_eq!(n.owner_of(id(3)).unwrap(), ALICE);
    assert_eq!(
        (n.balance_of(ALICE).unwrap(), n.balance_of(BOB).unwrap()),
        (id(2), id(1))
    );
    // Operator transfers.
    n.set_approval_for_all(CAROL, true).unwrap();
    call_as(&vm, CAROL);
    n.transfer_from(ALICE, CAROL, id(3)).unwrap();
    assert_eq!(n.owner_of(id(3)).unwrap(), CAROL);
    // Self-transfer keeps the balance.
    call_as(&vm, BOB);
    n.transfer_from(BOB, BOB, id(2)).unwrap();
    assert_eq!(n.balance_of(BOB).unwrap(), id(1));
}

/// Regression (Seawater H-02): an approval must not survive a transfer, or the previous
/// approved account could take the token back from the new owner.
#[test]
fn approval_cleared_on_transfer() {
    let (vm, mut n) = setup();
    mint(&vm, &mut n, ALICE, 1);
    call_as(&vm, ALICE);
    n.approve(CAROL, id(1)).unwrap();
    n.transfer_from(ALICE, BOB, id(1)).unwrap();
    assert_eq!(n.get_approved(id(1)).unwrap(), Address::ZERO);
    call_as(&vm, CAROL);
    assert_eq!(
        n.transfer_from(BOB, CAROL, id(1)).unwrap_err(),
        nft_err!(ERC721InsufficientApproval {
            operator: CAROL,
            tokenId: id(1)
        })
    );
    // And the approved account's transfer clears it as well.
    call_as(&vm, BOB);
    n.approve(CAROL, id(1)).unwrap();
    call_as(&vm, CAROL);
    n.transfer_from(BOB, ALICE, id(1)).unwrap();
    assert_eq!(n.get_approved(id(1)).unwrap(), Address::ZERO);
}

#[test]
fn burn_rules() {
    let (vm, mut n) = setup();
    mint(&vm, &mut n, ALICE, 3);
    call_as(&vm, BOB);
    assert_eq!(
        n.burn(id(2)).unwrap_err(),
        nft_err!(ERC721InsufficientApproval {
            operator: BOB,
            tokenId: id(2)
        })
    );
    call_as(&vm, ALICE);
    n.approve(BOB, id(2)).unwrap();
    call_as(&vm, BOB);
    n.burn(id(2)).unwrap();
    let (t, _) = logs(&vm).pop().unwrap();
    assert_eq!(
        t,
        vec![
            Transfer::SIGNATURE_HASH,
            ALICE.into_word(),
            B256::ZERO,
            B256::from(id(2))
        ]
    );
    assert_eq!(
        n.owner_of(id(2)).unwrap_err(),
        nft_err!(ERC721NonexistentToken { tokenId: id(2) })
    );
    assert_eq!(
        n.get_approved(id(2)).unwrap_err(),
        nft_err!(ERC721NonexistentToken { tokenId: id(2) })
    );
    assert_eq!(n.owner_of(id(3)).unwrap(), ALICE);
    assert_eq!(n.owner_of(id(1)).unwrap(), ALICE);
    assert_eq!(n.balance_of(ALICE).unwrap(), id(2));
    assert_eq!(n.total_supply(), id(2));
    assert_eq!(n.total_minted(), id(3));
    call_as(&vm, ALICE);
    assert_eq!(
        n.burn(id(2)).unwrap_err(),
        nft_err!(ERC721NonexistentToken { tokenId: id(2) })
    );
    n.burn(id(3)).unwrap();
    n.burn(id(1)).unwrap();
    assert_eq!(n.total_supply(), id(0));
    assert_eq!(n.balance_of(ALICE).unwrap(), id(0));
}

fn receiver_vm() -> (TestVM, RoyaltyNft) {
    let (vm, mut n) = setup();
    mint(&vm, &mut n, ALICE, 2);
    vm.set_code(RECEIVER, vec![0xfe]);
    call_as(&vm, ALICE);
    (vm, n)
}

#[test]
fn safe_transfer_to_eoa_makes_no_call() {
    let (vm, mut n) = receiver_vm();
    n.safe_transfer_from(ALICE, BOB, id(1)).unwrap();
    n.safe_transfer_from_with_data(ALICE, BOB, id(2), vec![1, 2, 3].into())
        .unwrap();
    assert!(world::seen().is_empty());
    assert_eq!(n.balance_of(BOB).unwrap(), id(2));
    let _ = vm;
}

/// Regression (Seawater M-02): the caller's `data` reaches the receiver, with operator and
/// from, and the state is final (new owner, approval cleared) when the receiver runs.
#[test]
fn safe_transfer_forwards_data_after_state() {
    let (vm, mut n) = receiver_vm();
    world::set_receiver(RECEIVER, Receiver::Accept);
    n.set_approval_for_all(CAROL, true).unwrap();
    n.approve(BOB, id(1)).unwrap();
    call_as(&vm, CAROL);
    n.safe_transfer_from_with_data(ALICE, RECEIVER, id(1), vec![0xde, 0xad, 0xbe, 0xef].into())
        .unwrap();
    let seen = world::seen();
    assert_eq!(seen.len(), 1);
    let s = &seen[0];
    assert_eq!(s.to, RECEIVER);
    assert_eq!(s.call.operator, CAROL);
    assert_eq!(s.call.from, ALICE);
    assert_eq!(s.call.tokenId, id(1));
    assert_eq!(s.call.data.to_vec(), vec![0xde, 0xad, 0xbe, 0xef]);
    assert_eq!(s.owner_then, Some(RECEIVER));
    assert_eq!(s.approved_then, Address::ZERO);
    // The 3-argument form sends empty data.
    n.safe_transfer_from(ALICE, RECEIVER, id(2)).unwrap();
    assert!(world::seen()[1].call.data.is_empty());
    assert_eq!(n.balance_of(RECEIVER).unwrap(), id(2));
}

#[test]
fn safe_transfer_to_non_receiver_reverts() {
    let (_vm, mut n) = receiver_vm();
    // Code without the hook (a bare revert).
    world::set_receiver(RECEIVER, Receiver::Revert(vec![]));
    assert_eq!(
        n.safe_transfer_from(ALICE, RECEIVER, id(1)).unwrap_err(),
        enc(nft_err!(ERC721InvalidReceiver { receiver: RECEIVER }))
    );
}

#[test]
fn safe_transfer_bubbles_receiver_revert() {
    let (_vm, mut n) = receiver_vm();
    let reason = ReentrantCall {}.abi_encode();
    world::set_receiver(RECEIVER, Receiver::Revert(reason.clone()));
    assert_eq!(
        n.safe_transfer_from_with_data(ALICE, RECEIVER, id(1), vec![7].into())
            .unwrap_err(),
        reason
    );
}

#[test]
fn safe_transfer_wrong_answer_reverts() {
    let (_vm, _n) = receiver_vm();
    let mut wrong = vec![0x15, 0x0b, 0x7a, 0x03];
    wrong.resize(32, 0);
    let mut dirty = ERC721_RECEIVED.to_vec();
    dirty.resize(32, 0);
    dirty[31] = 1;
    for answer in [wrong, dirty, vec![], ERC721_RECEIVED.to_vec()] {
        world::set_receiver(RECEIVER, Receiver::Answer(answer.clone()));
        let (_c, mut n) = copy(&_vm);
        assert_eq!(
            n.safe_transfer_from(ALICE, RECEIVER, id(1)).unwrap_err(),
            enc(nft_err!(ERC721InvalidReceiver { receiver: RECEIVER })),
            "{answer:?}"
        );
    }
}

/// Ownership model for the proptest.
#[derive(Debug, Clone)]
enum Op {
    Mint(usize, u64),
    Transfer(usize, usize, u64),
    Burn(u64),
}

const PEOPLE: [Address; 3] = [ALICE, BOB, CAROL];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0usize..3, 1u64..6).prop_map(|(a, q)| Op::Mint(a, q)),
        (0usize..3, 0usize..3, 1u64..40).prop_map(|(a, b, i)| Op::Transfer(a, b, i)),
        (1u64..40).prop_map(Op::Burn),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Invariant 5.3.1: unique owners matching a per-token model, Σ balances = minted − burned,
    /// no token owned by zero, over random batch mints, transfers (any id of any batch) and burns.
    #[test]
    fn ownership_invariants(ops in proptest::collection::vec(op(), 1..30)) {
        let (vm, mut n) = setup();
        n.set_sale_config(u(PRICE), 1000, 0, T0, T0 + 100, T0 + 30 * DAY).unwrap();
        let mut model: Vec<Option<Address>> = vec![None]; // index = id
        let mut burned = 0u64;
        for o in ops {
            match o {
                Op::Mint(a, q) => {
                    mint(&vm, &mut n, PEOPLE[a], q);
                    for _ in 0..q { model.push(Some(PEOPLE[a])); }
                }
                Op::Transfer(a, b, i) => {
                    call_as(&vm, PEOPLE[a]);
                    let r = n.transfer_from(PEOPLE[a], PEOPLE[b], id(i));
                    let ok = (i as usize) < model.len() && model[i as usize] == Some(PEOPLE[a]);
                    prop_assert_eq!(r.is_ok(), ok);
                    if ok { model[i as usize] = Some(PEOPLE[b]); }
                }
                Op::Burn(i) => {
                    let owner = model.get(i as usize).copied().flatten();
                    call_as(&vm, owner.unwrap_or(ALICE));
                    let r = n.burn(id(i));
                    prop_assert_eq!(r.is_ok(), owner.is_some());
                    if owner.is_some() { model[i as usize] = None; burned += 1; }
                }
            }
        }
        let minted = model.len() as u64 - 1;
        prop_assert_eq!(n.total_minted(), id(minted));
        prop_assert_eq!(n.total_supply(), id(minted - burned));
        let mut sum = U256::ZERO;
        for p in PEOPLE {
            let b = n.balance_of(p).unwrap();
            prop_assert_eq!(b, id(model.iter().filter(|o| **o == Some(p)).count() as u64));
            sum += b;
        }
        prop_assert_eq!(sum, id(minted - burned));
        for (i, o) in model.iter().enumerate().skip(1) {
            match o {
                Some(a) => prop_assert_eq!(n.owner_of(id(i as u64)).unwrap(), *a),
                None => prop_assert!(n.owner_of(id(i as u64)).is_err()),
            }
        }
    }
}
