//! Proptest of the pair against a reference constant-product model: random sequences of
//! deposits, swaps (both directions, the largest output the model allows), withdrawals,
//! donations, skims and syncs by three LPs, from wei-scale to 2^100-scale balances.
//!
//! Checked after every step: reserves equal balances (once synced); `k = r0·r1` never decreases
//! (swaps, deposits and donations only add, withdrawals take pro rata); the swap pays exactly
//! the model's output and one wei more would break the fee-adjusted invariant (rounding favours
//! the pool); a withdrawal pays exactly `⌊liquidity·balance / supply⌋` (never more than the
//! share); LP minted equals the model's `√(a0·a1) − 1000` / `min(a·S/r)`; the reward supply is
//! the LP not held by the pair or the lock holder.

use proptest::prelude::*;

use super::*;

const LPS: [Address; 3] = [
    ALICE,
    BOB,
    address!("00000000000000000000000000000000000ca501"),
];

/// Reference integer square root by bisection (independent of the kit's Newton iteration).
fn isqrt(y: U256) -> U256 {
    let (mut lo, mut hi) = (U256::ZERO, U256::from(1) << 128);
    while hi - lo > U256::from(1) {
        let mid: U256 = (lo + hi) >> 1;
        match mid.checked_mul(mid) {
            Some(sq) if sq <= y => lo = mid,
            _ => hi = mid,
        }
    }
    lo
}

#[derive(Debug, Clone)]
enum Step {
    Add { lp: usize, a0: u128, a1: u128 },
    Swap { zero_for_one: bool, amount_in: u128 },
    Remove { lp: usize, per_mille: u16 },
    Donate { token1: bool, amount: u128 },
    Skim,
    Sync,
    Wait { secs: u32 },
}

/// Amounts from 1 wei to ~2^100, biased to the small end.
fn amount() -> impl Strategy<Value = u128> {
    prop_oneof![1u128..2_000, 1u128..10u128.pow(9), 1u128..(1u128 << 100)]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0usize..3, amount(), amount()).prop_map(|(lp, a0, a1)| Step::Add { lp, a0, a1 }),
        4 => (any::<bool>(), amount()).prop_map(|(zero_for_one, amount_in)| Step::Swap { zero_for_one, amount_in }),
        2 => (0usize..3, 1u16..=1000).prop_map(|(lp, per_mille)| Step::Remove { lp, per_mille }),
        1 => (any::<bool>(), amount()).prop_map(|(token1, amount)| Step::Donate { token1, amount }),
        1 => Just(Step::Skim),
        1 => Just(Step::Sync),
        1 => (1u32..100_000).prop_map(|secs| Step::Wait { secs }),
    ]
}

fn run(steps: Vec<Step>, fee_on: bool) {
    let (vm, mut p) = setup();
    if fee_on {
        set_fee_to(FEE_TO);
    }
    let mut now = T0;
    let mut synced = true;
    for s in steps {
        let (r0, r1) = p.reserves();
        let k_before = r0 * r1;
        let supply = p.total_supply();
        match s {
            Step::Add { lp, a0, a1 } => {
                let (a0, a1) = (u(a0), u(a1));
                // Pending donations are part of the deposit (balances are measured).
                let d0 = ledger_balance(TOKEN0, PAIR) + a0 - r0;
                let d1 = ledger_balance(TOKEN1, PAIR) + a1 - r1;
                if ledger_balance(TOKEN0, PAIR) + a0 > MAX_RESERVE
                    || ledger_balance(TOKEN1, PAIR) + a1 > MAX_RESERVE
                {
                    continue;
                }
                let fee = if fee_on && !p.k_last().is_zero() {
                    pool_math::protocol_fee_liquidity(supply, r0, r1, p.k_last()).unwrap()
                } else {
                    U256::ZERO
                };
                let s_after_fee = supply + fee;
                let expected = if supply.is_zero() {
                    isqrt(d0 * d1).saturating_sub(MINIMUM_LIQUIDITY)
                } else {
                    (d0 * s_after_fee / r0).min(d1 * s_after_fee / r1)
                };
                let got = add(&vm, &mut p, LPS[lp], a0, a1);
                if expected.is_zero() {
                    assert_eq!(got, Err(pair_err!(UniswapV2InsufficientLiquidityMinted)));
                    // TestVM keeps the tokens sent: they are now a donation; resync.
                    p.sync().unwrap();
                } else {
                    assert_eq!(got, Ok(expected));
                }
                synced = true;
            }
            Step::Swap {
                zero_for_one,
                amount_in,
            } => {
                if r0.is_zero() || r1.is_zero() || !synced {
                    continue;
                }
                let a = u(amount_in);
                let (r_in, r_out) = if zero_for_one { (r0, r1) } else { (r1, r0) };
                if r_in + a > MAX_RESERVE {
                    continue;
                }
                // Model output: a·997·rOut / (rIn·1000 + a·997), rounded down.
                let out = a * u(997) * r_out / (r_in * u(1000) + a * u(997));
                // One wei more would break the invariant (checked on the pure formula).
                let (b_in, b_out_more) = (r_in + a, r_out - (out + u(1)).min(r_out));
                let (b0, b1, in0, in1) = if zero_for_one {
                    (b_in, b_out_more, a, U256::ZERO)
                } else {
                    (b_out_more, b_in, U256::ZERO, a)
                };
                if out + u(1) < r_out {
                    assert!(!pool_math::k_holds(b0, b1, in0, in1, r0, r1).unwrap());
                }
                if out.is_zero() {
                    continue;
                }
                if out >= r_out {
                    let got = swap_in(&vm, &mut p, zero_for_one, a, U256::ZERO);
                    assert_eq!(got.map_err(|e| err_name(&e)), Err("InsufficientLiquidity"));
                    synced = false; // the input stays in the pair (no rollback here)
                    continue;
                }
                let got = swap_in(&vm, &mut p, zero_for_one, a, U256::ZERO);
                assert_eq!(
                    got.as_ref().map_err(|e| err_name(e)),
                    Ok(&out),
                    "r=({r0},{r1}) in={a}"
                );
                let (n0, n1) = p.reserves();
                assert!(n0 * n1 > k_before, "k did not grow with the fee");
            }
            Step::Remove { lp, per_mille } => {
                let who = LPS[lp];
                let liq = p.balance_of(who) * U256::from(per_mille) / u(1000);
                if liq.is_zero() || !synced {
                    continue;
                }
                let fee = if fee_on && !p.k_last().is_zero() {
                    pool_math::protocol_fee_liquidity(supply, r0, r1, p.k_last()).unwrap()
                } else {
                    U256::ZERO
                };
                let s = supply + fee;
                let (e0, e1) = (liq * r0 / s, liq * r1 / s);
                let got = remove(&vm, &mut p, who, liq);
                if e0.is_zero() || e1.is_zero() {
                    assert_eq!(got, Err(pair_err!(UniswapV2InsufficientLiquidityBurned)));
                    // Take the LP back out of the pair (TestVM has no rollback).
                    p.erc20_transfer(PAIR, who, liq).unwrap();
                    continue;
                }
                assert_eq!(got, Ok((e0, e1)));
                // Never more than the share: e·S ≤ liq·r.
                assert!(e0 * s <= liq * r0 && e1 * s <= liq * r1);
                // What stays behind per LP share never drops (the floor favours the pool).
                let (n0, n1) = p.reserves();
                let new_s = p.total_supply();
                assert!(n0 * s >= r0 * new_s && n1 * s >= r1 * new_s);
            }
            Step::Donate { token1, amount } => {
                ledger_mint(if token1 { TOKEN1 } else { TOKEN0 }, PAIR, u(amount));
                synced = false;
            }
            Step::Skim => {
                vm.set_sender(BOB);
                p.skim(BOB).unwrap();
                synced = true;
            }
            Step::Sync => {
                let over = ledger_balance(TOKEN0, PAIR) > MAX_RESERVE
                    || ledger_balance(TOKEN1, PAIR) > MAX_RESERVE;
                if over {
                    assert_eq!(p.sync(), Err(pair_err!(UniswapV2Overflow)));
                    p.skim(BOB).unwrap();
                } else {
                    p.sync().unwrap();
                    let (n0, n1) = p.reserves();
                    assert!(n0 * n1 >= k_before, "a donation lowered k");
                }
                synced = true;
            }
            Step::Wait { secs } => {
                now += u64::from(secs);
                vm.set_block_timestamp(now);
            }
        }
        if synced {
            reserves_eq_balances(&p);
        }
        let supply = p.total_supply();
        if !supply.is_zero() {
            assert!(supply >= MINIMUM_LIQUIDITY);
            assert_eq!(p.balance_of(LOCKED_LIQUIDITY_HOLDER), MINIMUM_LIQUIDITY);
        }
        let held = p.balance_of(PAIR) + p.balance_of(LOCKED_LIQUIDITY_HOLDER);
        assert_eq!(p.reward_total_supply(U256::ZERO), supply - held);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn pair_matches_the_constant_product_model(steps in proptest::collection::vec(step(), 1..40)) {
        run(steps, false);
    }

    #[test]
    fn pair_matches_the_model_with_the_protocol_fee(steps in proptest::collection::vec(step(), 1..40)) {
        run(steps, true);
    }

    #[test]
    fn integer_sqrt_matches_bisection(y in any::<u128>(), z in any::<u128>()) {
        let v = U256::from(y) * U256::from(z);
        prop_assert_eq!(kit::sqrt::sqrt_down(v), isqrt(v));
    }

    #[test]
    fn amount_out_is_the_largest_output_k_allows(
        r_in in 1001u128..(1u128 << 100), r_out in 1001u128..(1u128 << 100), a in 1u128..(1u128 << 100),
    ) {
        let (r_in, r_out, a) = (u(r_in), u(r_out), u(a));
        let out = pool_math::amount_out(a, r_in, r_out).unwrap();
        prop_assume!(out < r_out);
        prop_assert!(pool_math::k_holds(r_in + a, r_out - out, a, U256::ZERO, r_in, r_out).unwrap());
        if out + u(1) < r_out {
            prop_assert!(!pool_math::k_holds(r_in + a, r_out - out - u(1), a, U256::ZERO, r_in, r_out).unwrap());
        }
    }
}
