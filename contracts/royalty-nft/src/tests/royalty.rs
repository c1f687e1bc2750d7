//! ERC-2981, metadata updates, royalty accounting (ETH and ERC-20), the holders' stream through
//! the reward module, the creator pull ledger, and the accounting proptests.

use alloy_sol_types::SolEvent;
use proptest::prelude::*;
use rewards::IRewards as _;

use super::world;
use super::*;
use crate::split;

#[test]
fn royalty_info_default_and_per_token() {
    let (vm, mut n) = setup();
    assert_eq!(
        n.royalty_info(id(1), u(ETHER)).unwrap(),
        (NFT, u(ETHER / 20))
    );
    call_as(&vm, OWNER);
    n.set_token_royalty(id(1), id(1000)).unwrap();
    assert_eq!(
        n.royalty_info(id(1), u(ETHER)).unwrap(),
        (NFT, u(ETHER / 10))
    );
    assert_eq!(
        n.royalty_info(id(2), u(ETHER)).unwrap(),
        (NFT, u(ETHER / 20))
    );
    // A zero per-token royalty is an override, not "unset".
    n.set_token_royalty(id(2), id(0)).unwrap();
    assert_eq!(n.royalty_info(id(2), u(ETHER)).unwrap(), (NFT, U256::ZERO));
    n.reset_token_royalty(id(2)).unwrap();
    assert_eq!(
        n.royalty_info(id(2), u(ETHER)).unwrap(),
        (NFT, u(ETHER / 20))
    );
    // Bounds: ≤ 9,999 bps so that amount < price (Manifold's engine check).
    assert_eq!(
        n.set_token_royalty(id(1), id(10_000)).unwrap_err(),
        nft_err!(ERC2981InvalidTokenRoyalty {
            tokenId: id(1),
            numerator: id(10_000),
            denominator: id(10_000)
        })
    );
    assert_eq!(
        n.set_default_royalty(id(10_000)).unwrap_err(),
        nft_err!(ERC2981InvalidDefaultRoyalty {
            numerator: id(10_000),
            denominator: id(10_000)
        })
    );
    n.set_default_royalty(id(9_999)).unwrap();
    for price in [1u128, 2, 9_999, 10_000, ETHER] {
        let (_, amount) = n.royalty_info(id(5), u(price)).unwrap();
        assert!(amount < u(price));
    }
    assert_eq!(
        n.royalty_info(id(5), U256::MAX).unwrap().1,
        U256::MAX / U256::from(10_000) * U256::from(9_999)
            + (U256::MAX % U256::from(10_000)) * U256::from(9_999) / U256::from(10_000)
    );
}

#[test]
fn token_uri_and_erc4906() {
    let (vm, mut n) = setup();
    n.set_sale_config(u(PRICE), 100, 0, T0, T0 + 100, T0 + 30 * DAY)
        .unwrap();
    mint(&vm, &mut n, ALICE, 12);
    assert_eq!(n.token_uri(id(1)).unwrap(), "");
    call_as(&vm, OWNER);
    let base = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/";
    n.set_base_uri(base.into()).unwrap();
    let (t, d) = logs(&vm).pop().unwrap();
    assert_eq!(t[0], BatchMetadataUpdate::SIGNATURE_HASH);
    assert_eq!(d[..32], id(1).to_be_bytes::<32>());
    assert_eq!(d[32..], U256::MAX.to_be_bytes::<32>());
    assert_eq!(n.base_uri(), base);
    assert_eq!(n.token_uri(id(1)).unwrap(), format!("{base}1"));
    assert_eq!(n.token_uri(id(12)).unwrap(), format!("{base}12"));
    n.set_token_uri(id(3), "ar://special".into()).unwrap();
    let (t, d) = logs(&vm).pop().unwrap();
    assert_eq!(t[0], MetadataUpdate::SIGNATURE_HASH);
    assert_eq!(d, id(3).to_be_bytes::<32>().to_vec());
    assert_eq!(n.token_uri(id(3)).unwrap(), "ar://special");
    // A shorter base replaces a longer one exactly.
    n.set_base_uri("https://x/".into()).unwrap();
    assert_eq!(n.token_uri(id(2)).unwrap(), "https://x/2");
    n.set_token_uri(id(3), String::new()).unwrap();
    assert_eq!(n.token_uri(id(3)).unwrap(), "https://x/3");
    assert_eq!(
        n.token_uri(id(13)).unwrap_err(),
        nft_err!(ERC721NonexistentToken { tokenId: id(13) })
    );
    assert_eq!(
        n.set_token_uri(id(13), "x".into()).unwrap_err(),
        nft_err!(ERC721NonexistentToken { tokenId: id(13) })
    );
    assert_eq!(strings::decimal(0), "0");
    assert_eq!(strings::decimal(u64::MAX), "18446744073709551615");
}

/// One ETH royalty arriving through `receive`: 20 % wrapped into WETH and streamed to holders,
/// 80 % to creators (60/40), all booked.
#[test]
fn eth_royalty_split() {
    let (vm, mut n) = setup();
    mint(&vm, &mut n, ALICE, 1);
    let sale = u(PRICE);
    pay(&vm, CAROL, u(ETHER));
    n.receive().unwrap();
    assert_eq!(world::erc20_balance(WETH, NFT), u(ETHER / 5));
    assert_eq!(world::eth_balance(NFT), sale + u(ETHER * 4 / 5));
    assert_eq!(n.booked_balance(WETH), u(ETHER / 5));
    assert_eq!(n.booked_balance(Address::ZERO), sale + u(ETHER * 4 / 5));
    assert_eq!(n.creator_total(Address::ZERO), sale + u(ETHER * 4 / 5));
    let (t, d) = logs(&vm).pop().unwrap();
    assert_eq!(t[0], RoyaltyDistributed::SIGNATURE_HASH);
    assert_eq!(t[1], B256::ZERO);
    assert_eq!(d[..32], u(ETHER).to_be_bytes::<32>());
    // The stream runs for the distribution window (1 day).
    let (_, _, finish, rate, _, _) = n.reward_data(WETH).unwrap();
    assert_eq!(finish, U256::from(T0 + 100 + DAY));
    assert!(!rate.is_zero());
    // Nothing new: a second accounting is a no-op.
    call_as(&vm, BOB);
    assert_eq!(n.distribute_royalties(Address::ZERO).unwrap(), U256::ZERO);
    // ETH that arrived without a call (selfdestruct, coinbase) is picked up by anyone.
    world::credit_eth(NFT, u(1000));
    assert_eq!(n.distribute_royalties(Address::ZERO).unwrap(), u(1000));
    assert_eq!(n.booked_balance(WETH), u(ETHER / 5 + 200));
}

/// Holders earn through the module: weight = tokens held; a transfer after a distribution moves
/// no past royalties; a buyer right before a distribution that sells right after earns ~nothing.
#[test]
fn holder_stream_and_transfers() {
    let (vm, mut n) = setup();
    mint(&vm, &mut n, ALICE, 3);
    mint(&vm, &mut n, BOB, 1);
    let t = vm.block_timestamp();
    // 5 ETH royalty → 1 ETH to holders over one day.
    pay(&vm, CAROL, u(5 * ETHER));
    n.receive().unwrap();
    vm.set_block_timestamp(t + DAY / 2);
    let half_alice = n.earned(ALICE, WETH).unwrap();
    assert!(half_alice > u(ETHER * 3 / 8 - 1_000) && half_alice <= u(ETHER * 3 / 8));
    // Alice sells one token to Carol: her accrued royalties stay hers, Carol starts at zero.
    call_as(&vm, ALICE);
    n.transfer_from(ALICE, CAROL, id(1)).unwrap();
    assert_eq!(n.earned(ALICE, WETH).unwrap(), half_alice);
    assert_eq!(n.earned(CAROL, WETH).unwrap(), U256::ZERO);
    vm.set_block_timestamp(t + 2 * DAY);
    let (a, b, c) = (
        n.earned(ALICE, WETH).unwrap(),
        n.earned(BOB, WETH).unwrap(),
        n.earned(CAROL, WETH).unwrap(),
    );
    // Second half: Alice 2/4, Bob 1/4, Carol 1/4 of 0.5 ETH.
    assert!(c <= u(ETHER / 8) && c > u(ETHER / 8 - 1_000));
    assert!(a + b + c <= u(ETHER));
    assert!(a + b + c > u(ETHER - 10_000));
    // Claims book the outflow and pay from the held WETH.
    call_as(&vm, CAROL);
    n.claim(vec![WETH], CAROL).unwrap();
    assert_eq!(world::erc20_balance(WETH, CAROL), c);
    assert_eq!(n.booked_balance(WETH), u(ETHER) - c);
    assert_eq!(world::erc20_balance(WETH, NFT), u(ETHER) - c);
    // A buyer just before a distribution who sells soon after takes only its time share.
    mint(&vm, &mut n, CAROL, 4); // 8 tokens now, Carol 5
    pay(&vm, BOB, u(5 * ETHER));
    n.receive().unwrap();
    vm.set_block_timestamp(vm.block_timestamp() + 60);
    call_as(&vm, CAROL);
    for i in 0..4 {
        n.transfer_from(CAROL, BOB, id(5 + i)).unwrap();
    }
    let quick = n.earned(CAROL, WETH).unwrap();
    // 60 s of a 1-day stream of 1 ETH, at most 5/8 of it.
    assert!(quick <= u(ETHER) * U256::from(60 * 5) / U256::from(DAY * 8) + U256::from(1));
}

/// Burns and mints checkpoint too: a burned token stops earning, its past stays claimable.
#[test]
fn burn_and_mint_checkpoint() {
    let (vm, mut n) = setup();
    mint(&vm, &mut n, ALICE, 1);
    mint(&vm, &mut n, BOB, 1);
    let t = vm.block_timestamp();
    pay(&vm, CAROL, u(5 * ETHER));
    n.receive().unwrap();
    vm.set_block_timestamp(t + DAY / 2);
    call_as(&vm, ALICE);
    n.burn(id(1)).unwrap();
    let a = n.earned(ALICE, WETH).unwrap();
    vm.set_block_timestamp(t + DAY);
    assert_eq!(n.earned(ALICE, WETH).unwrap(), a);
    let b = n.earned(BOB, WETH).unwrap();
    assert!(b > u(ETHER * 3 / 4 - 10_000) && a + b <= u(ETHER));
    // A mint after the stream earns nothing of it.
    vm.set_block_timestamp(t + DAY + 1);
    mint(&vm, &mut n, CAROL, 1);
    vm.set_block_timestamp(t + 3 * DAY);
    assert_eq!(n.earned(CAROL, WETH).unwrap(), U256::ZERO);
}

#[test]
fn erc20_royalties_need_registration_and_use_deltas() {
    let (vm, mut n) = setup();
    mint(&vm, &mut n, ALICE, 1);
    world::credit_erc20(USDC, NFT, u(1_000_000));
    call_as(&vm, BOB);
    assert_eq!(
        n.distribute_royalties(USDC).unwrap_err(),
        nft_err!(RoyaltyTokenUnknown { token: USDC })
    );
    call_as(&vm, OWNER);
    n.add_reward(USDC, Address::ZERO, id(7 * DAY)).unwrap();
    call_as(&vm, BOB);
    assert_eq!(n.distribute_royalties(USDC).unwrap(), u(1_000_000));
    assert_eq!(n.booked_balance(USDC), u(1_000_000));
    assert_eq!(n.creator_total(USDC), u(800_000));
    assert_eq!(n.distribute_royalties(USDC).unwrap(), U256::ZERO);
    // Owner funding through the module (fee-on-transfer: 1 %) is booked as it arrives, so it is
    // never accounted again as a royalty.
    world::set_pull_fee(100);
    world::credit_erc20(USDC, OWNER, u(500_000));
    call_as(&vm, OWNER);
    n.notify_reward_amount(USDC, u(500_000)).unwrap();
    assert_eq!(n.booked_balance(USDC), u(1_000_000 + 495_000));
    assert_eq!(world::erc20_balance(USDC, NFT), u(1_000_000 + 495_000));
    call_as(&vm, BOB);
    assert_eq!(n.distribute_royalties(USDC).unwrap(), U256::ZERO);
    // The registered token cannot be recovered by the owner.
    call_as(&vm, OWNER);
    assert_eq!(
        n.recover_erc20(USDC, u(1)).unwrap_err(),
        RewardsError::TokenForbidden(RewardTokenForbidden { token: USDC })
    );
    // Creators withdraw their ERC-20 part.
    call_as(&vm, CAROL);
    assert_eq!(n.withdraw(USDC, CREATOR2).unwrap(), u(320_000));
    assert_eq!(world::erc20_balance(USDC, CREATOR2), u(320_000));
    assert_eq!(n.booked_balance(USDC), u(1_495_000 - 320_000));
}

/// Pull ledger: any caller pushes a recipient's balance to it; one recipient that reverts does
/// not block the others; nothing is paid twice; unknown recipients are refused.
#[test]
fn creator_withdrawals_are_isolated() {
    let (vm, mut n) = setup();
    mint(&vm, &mut n, ALICE, 2); // 0.02 ETH proceeds
    pay(&vm, CAROL, u(ETHER));
    n.receive().unwrap();
    let total = u(2 * PRICE + ETHER * 4 / 5);
    world::set_failing(CREATOR1, true);
    call_as(&vm, BOB);
    has_error(
        copy(&vm).1.withdraw(Address::ZERO, CREATOR1),
        EthTransferFailed {
            to: CREATOR1,
            amount: total * U256::from(6) / U256::from(10),
        },
    );
    let paid2 = n.withdraw(Address::ZERO, CREATOR2).unwrap();
    assert_eq!(paid2, total * U256::from(4) / U256::from(10));
    assert_eq!(world::eth_balance(CREATOR2), paid2);
    let (t, _) = logs(&vm).pop().unwrap();
    assert_eq!(t[0], CreatorWithdrawal::SIGNATURE_HASH);
    assert_eq!(n.withdraw(Address::ZERO, CREATOR2).unwrap(), U256::ZERO);
    world::set_failing(CREATOR1, false);
    let paid1 = n.withdraw(Address::ZERO, CREATOR1).unwrap();
    assert_eq!(paid1 + paid2, total);
    assert_eq!(n.booked_balance(Address::ZERO), U256::ZERO);
    assert_eq!(
        n.withdraw(Address::ZERO, BOB).unwrap_err(),
        enc(nft_err!(SplitUnknownRecipient { account: BOB }))
    );
}

#[test]
fn holder_share_changes_apply_forward() {
    let (vm, mut n) = setup();
    mint(&vm, &mut n, ALICE, 1);
    call_as(&vm, OWNER);
    n.set_holder_share(id(10_000)).unwrap();
    pay(&vm, CAROL, u(1000));
    n.receive().unwrap();
    assert_eq!(n.booked_balance(WETH), u(1000));
    call_as(&vm, OWNER);
    n.set_holder_share(id(0)).unwrap();
    pay(&vm, CAROL, u(1000));
    n.receive().unwrap();
    assert_eq!(n.booked_balance(WETH), u(1000));
    assert_eq!(n.creator_total(Address::ZERO), u(PRICE + 1000));
    call_as(&vm, OWNER);
    assert_eq!(
        n.set_holder_share(id(10_001)).unwrap_err(),
        nft_err!(RoyaltyInvalidHolderShare { bps: id(10_001) })
    );
}

#[test]
fn split_validation() {
    let a = |i: u8| Address::repeat_byte(i);
    let s = |v: &[u64]| v.iter().map(|x| U256::from(*x)).collect::<Vec<_>>();
    assert!(split::valid_split(&[a(1)], &s(&[10_000])));
    assert!(split::valid_split(&[a(1), a(2)], &s(&[1, 9_999])));
    assert!(!split::valid_split(&[], &s(&[])));
    assert!(!split::valid_split(&[a(1), a(1)], &s(&[5_000, 5_000])));
    assert!(!split::valid_split(
        &[a(1), Address::ZERO],
        &s(&[5_000, 5_000])
    ));
    assert!(!split::valid_split(&[a(1), a(2)], &s(&[0, 10_000])));
    assert!(!split::valid_split(&[a(1), a(2)], &s(&[5_000, 5_001])));
    assert!(!split::valid_split(&[a(1)], &s(&[10_000, 0])));
    let nine: Vec<_> = (1..=9).map(a).collect();
    assert!(!split::valid_split(
        &nine,
        &s(&[1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 2_000])
    ));
    let eight: Vec<_> = (1..=8).map(a).collect();
    assert!(split::valid_split(&eight, &s(&[1_250; 8])));
    // Overflow-size shares are refused, not wrapped.
    assert!(!split::valid_split(
        &[a(1), a(2)],
        &[U256::MAX, U256::from(10_001)]
    ));
}

fn shares_strategy() -> impl Strategy<Value = Vec<u64>> {
    proptest::collection::vec(1u64..10_000, 1..=split::MAX_RECIPIENTS).prop_filter_map(
        "normalise to 10,000",
        |raw| {
            let sum: u64 = raw.iter().sum();
            let mut v: Vec<u64> = raw.iter().map(|x| x * 10_000 / sum).collect();
            let s: u64 = v.iter().sum();
            v[0] += 10_000 - s;
            v.iter().all(|x| *x > 0).then_some(v)
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Split maths exact to the wei: holders + creators = amount; entitlements never exceed the
    /// cumulative total and leave less than n wei of dust (lifetime, per token).
    #[test]
    fn split_exact_with_bounded_dust(
        amounts in proptest::collection::vec(0u128..u128::MAX, 1..20),
        holder_bps in 0u64..=10_000,
        shares in shares_strategy(),
    ) {
        let mut cumulative = U256::ZERO;
        for a in amounts {
            let (h, c) = split::split_holders(U256::from(a), holder_bps).unwrap();
            prop_assert_eq!(h + c, U256::from(a));
            prop_assert!(h <= U256::from(a) * U256::from(holder_bps) / U256::from(10_000));
            cumulative += c;
            let owed: U256 = shares.iter().map(|s| split::entitlement(cumulative, *s).unwrap()).fold(U256::ZERO, |x, y| x + y);
            prop_assert!(owed <= cumulative);
            prop_assert!(cumulative - owed < U256::from(shares.len()));
        }
    }

    /// Contract level, Σ credited ≤ received: over random royalties (ETH and ERC-20), mints,
    /// transfers, withdrawals and claims, every wei paid out or still owed was received, the
    /// booked liabilities equal what the collection holds, and creators' entitlements are exact.
    #[test]
    fn credited_never_exceeds_received(
        steps in proptest::collection::vec((0u8..6, 1u128..10_000_000_000_000_000_000, 0usize..3), 1..25),
        holder_bps in 0u64..=10_000,
    ) {
        let (vm, mut n) = setup();
        call_as(&vm, OWNER);
        n.set_holder_share(U256::from(holder_bps)).unwrap();
        n.add_reward(USDC, Address::ZERO, U256::from(DAY)).unwrap();
        n.set_sale_config(u(PRICE), 1000, 0, T0, T0 + 100, T0 + 30 * DAY).unwrap();
        mint(&vm, &mut n, ALICE, 1);
        let mut received_eth = u(PRICE);
        let mut received_usdc = U256::ZERO;
        let people = [ALICE, BOB, CAROL];
        let creators = [CREATOR1, CREATOR2];
        for (kind, amount, who) in steps {
            let amount = U256::from(amount);
            vm.set_block_timestamp(vm.block_timestamp() + 3_600);
            match kind {
                0 => { pay(&vm, people[who], amount); n.receive().unwrap(); received_eth += amount; }
                1 => {
                    world::credit_erc20(USDC, NFT, amount);
                    call_as(&vm, people[who]);
                    n.distribute_royalties(USDC).unwrap();
                    received_usdc += amount;
                }
                2 => { mint(&vm, &mut n, people[who], 1); received_eth += u(PRICE); }
                3 => {
                    call_as(&vm, people[who]);
                    let token = if who == 2 { USDC } else { Address::ZERO };
                    n.withdraw(token, creators[who % 2]).unwrap();
                }
                4 => { call_as(&vm, people[who]); n.claim_all(people[who]).unwrap(); }
                _ => {
                    let owner = n.owner_of(id(1)).unwrap();
                    call_as(&vm, owner);
                    n.transfer_from(owner, people[who], id(1)).unwrap();
                }
            }
            // Books = holdings, per token.
            prop_assert_eq!(n.booked_balance(Address::ZERO), world::eth_balance(NFT));
            prop_assert_eq!(n.booked_balance(USDC), world::erc20_balance(USDC, NFT));
            prop_assert_eq!(n.booked_balance(WETH), world::erc20_balance(WETH, NFT));
        }
        vm.set_block_timestamp(vm.block_timestamp() + 30 * DAY);
        // Everything paid + everything still owed ≤ everything received, per asset.
        let mut eth_out = U256::ZERO;
        let mut weth_out = U256::ZERO;
        let mut usdc_out = U256::ZERO;
        for c in creators {
            eth_out += world::eth_balance(c) + n.creator_owed(Address::ZERO, c).unwrap();
            usdc_out += world::erc20_balance(USDC, c) + n.creator_owed(USDC, c).unwrap();
        }
        for p in people {
            weth_out += world::erc20_balance(WETH, p) + n.earned(p, WETH).unwrap();
            usdc_out += world::erc20_balance(USDC, p) + n.earned(p, USDC).unwrap();
        }
        prop_assert!(eth_out + weth_out <= received_eth);
        prop_assert!(usdc_out <= received_usdc);
        // Exact to the wei: ETH received = creators' entitlements + WETH funded to holders
        // (claimed + still held) + creator dust (< 2 recipients wei).
        let claimed_weth = people.iter().fold(U256::ZERO, |s, p| s + world::erc20_balance(WETH, *p));
        let dust = received_eth - eth_out - claimed_weth - world::erc20_balance(WETH, NFT);
        prop_assert!(dust < U256::from(2));
    }
}
