//! UniswapV2Library's pure maths and addressing, host-free so they are unit- and property-tested
//! natively: [`quote`], [`get_amount_out`], [`get_amount_in`], [`sort_tokens`], [`pair_for`].
//!
//! Checked arithmetic throughout, exactly V2's SafeMath domain: a 256-bit intermediate product
//! that overflows is `MathOverflow()` (as V2 reverts), never a wrap or a panic; divisions use the
//! kit's binary `div_down` (no `U256` `/`, see the kit's size rules). (A 512-bit `mul_div` would
//! accept more inputs but costs ~1.5 KB of the router's deployable budget.) Division rounds in the
//! pool's favour: `getAmountOut` down, `getAmountIn` up (floor + 1, as V2).

use alloy_primitives::{keccak256, Address, B256, U256};
use kit::math::{checked_add, checked_mul, div_down, MathError};

/// Input fee numerator: 0.30% fee, so 997 / 1000 of the input counts.
pub const FEE_NUMERATOR: u64 = 997;
/// Fee denominator.
pub const FEE_DENOMINATOR: u64 = 1000;

/// Failures of the library maths (mapped 1:1 onto the router's Solidity errors).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LibError {
    /// `quote` of a zero amount (`InsufficientAmount()`).
    InsufficientAmount,
    /// A zero input (`InsufficientInputAmount()`).
    InsufficientInputAmount,
    /// A zero output (`InsufficientOutputAmount()`).
    InsufficientOutputAmount,
    /// An empty reserve, or an output not below the reserve (`InsufficientLiquidity()`).
    InsufficientLiquidity,
    /// `tokenA == tokenB` (`IdenticalAddresses()`).
    IdenticalAddresses,
    /// A zero token address (`ZeroAddress()`).
    ZeroAddress,
    /// Checked arithmetic failed.
    Math(MathError),
}

impl From<MathError> for LibError {
    fn from(e: MathError) -> Self {
        LibError::Math(e)
    }
}

/// `amountA * reserveB / reserveA` (rounded down): the amount of B worth `amount_a` at the pool's
/// price (no fee).
pub fn quote(amount_a: U256, reserve_a: U256, reserve_b: U256) -> Result<U256, LibError> {
    if amount_a.is_zero() {
        return Err(LibError::InsufficientAmount);
    }
    if reserve_a.is_zero() || reserve_b.is_zero() {
        return Err(LibError::InsufficientLiquidity);
    }
    Ok(div_down(checked_mul(amount_a, reserve_b)?, reserve_a)?)
}

/// Largest output `amount_in` buys after the 0.30% fee (rounded down, in the pool's favour):
/// `in·997·rOut / (rIn·1000 + in·997)`.
pub fn get_amount_out(
    amount_in: U256,
    reserve_in: U256,
    reserve_out: U256,
) -> Result<U256, LibError> {
    if amount_in.is_zero() {
        return Err(LibError::InsufficientInputAmount);
    }
    if reserve_in.is_zero() || reserve_out.is_zero() {
        return Err(LibError::InsufficientLiquidity);
    }
    let in_with_fee = checked_mul(amount_in, U256::from(FEE_NUMERATOR))?;
    let denominator = checked_add(
        checked_mul(reserve_in, U256::from(FEE_DENOMINATOR))?,
        in_with_fee,
    )?;
    Ok(div_down(
        checked_mul(in_with_fee, reserve_out)?,
        denominator,
    )?)
}

/// Smallest input that buys `amount_out` after the 0.30% fee (rounded up, in the pool's favour):
/// `rIn·out·1000 / ((rOut − out)·997) + 1`. `amount_out >= reserve_out` is `InsufficientLiquidity`.
pub fn get_amount_in(
    amount_out: U256,
    reserve_in: U256,
    reserve_out: U256,
) -> Result<U256, LibError> {
    if amount_out.is_zero() {
        return Err(LibError::InsufficientOutputAmount);
    }
    if reserve_in.is_zero() || reserve_out.is_zero() || amount_out >= reserve_out {
        return Err(LibError::InsufficientLiquidity);
    }
    let numerator = checked_mul(
        checked_mul(reserve_in, amount_out)?,
        U256::from(FEE_DENOMINATOR),
    )?;
    let denominator = checked_mul(reserve_out - amount_out, U256::from(FEE_NUMERATOR))?;
    let floor = div_down(numerator, denominator)?;
    Ok(checked_add(floor, U256::from(1))?)
}

/// The pair's token order: `(token0, token1)` with `token0 < token1`.
pub fn sort_tokens(a: Address, b: Address) -> Result<(Address, Address), LibError> {
    if a == b {
        return Err(LibError::IdenticalAddresses);
    }
    let (t0, t1) = if a < b { (a, b) } else { (b, a) };
    if t0.is_zero() {
        return Err(LibError::ZeroAddress);
    }
    Ok((t0, t1))
}

/// Uniswap's `pairFor` with the factory's init code hash:
/// `address(keccak256(0xff ‖ factory ‖ keccak256(token0 ‖ token1) ‖ initCodeHash)[12:])`
/// (`token0 < token1`, already sorted).
pub fn pair_for_sorted(
    factory: Address,
    init_code_hash: B256,
    t0: Address,
    t1: Address,
) -> Address {
    let mut salt_input = [0u8; 40];
    salt_input[..20].copy_from_slice(t0.as_slice());
    salt_input[20..].copy_from_slice(t1.as_slice());
    let salt = keccak256(salt_input);
    let mut buf = [0u8; 85];
    buf[0] = 0xff;
    buf[1..21].copy_from_slice(factory.as_slice());
    buf[21..53].copy_from_slice(salt.as_slice());
    buf[53..85].copy_from_slice(init_code_hash.as_slice());
    Address::from_slice(&keccak256(buf)[12..])
}

/// [`pair_for_sorted`] for tokens in any order.
pub fn pair_for(
    factory: Address,
    init_code_hash: B256,
    a: Address,
    b: Address,
) -> Result<Address, LibError> {
    let (t0, t1) = sort_tokens(a, b)?;
    Ok(pair_for_sorted(factory, init_code_hash, t0, t1))
}

#[cfg(test)]
mod tests {
    use alloy_primitives::{address, b256};
    use num_bigint::BigUint;
    use proptest::prelude::*;

    use super::*;

    fn big(x: U256) -> BigUint {
        BigUint::from_bytes_be(&x.to_be_bytes::<32>())
    }

    fn u(x: u128) -> U256 {
        U256::from(x)
    }

    /// Reference model: V2's formula over unbounded integers.
    fn model_out(a: U256, r_in: U256, r_out: U256) -> BigUint {
        let a = big(a) * 997u32;
        (a.clone() * big(r_out)) / (big(r_in) * 1000u32 + a)
    }

    fn model_in(out: U256, r_in: U256, r_out: U256) -> BigUint {
        (big(r_in) * big(out) * 1000u32) / ((big(r_out) - big(out)) * 997u32) + 1u32
    }

    #[test]
    fn uniswap_v2_reference_values() {
        // 1 token in, 1000/1000 reserves: V2's own test vector (UniswapV2Router02.spec).
        assert_eq!(get_amount_out(u(2), u(100), u(100)), Ok(u(1)));
        assert_eq!(get_amount_in(u(1), u(100), u(100)), Ok(u(2)));
        assert_eq!(quote(u(1), u(100), u(200)), Ok(u(2)));
        let e18 = 10u128.pow(18);
        assert_eq!(
            get_amount_out(u(e18), u(5 * e18), u(10 * e18)),
            Ok(u(1_662_497_915_624_478_906))
        );
    }

    #[test]
    fn errors_are_named() {
        assert_eq!(
            quote(U256::ZERO, u(1), u(1)),
            Err(LibError::InsufficientAmount)
        );
        assert_eq!(
            quote(u(1), U256::ZERO, u(1)),
            Err(LibError::InsufficientLiquidity)
        );
        assert_eq!(
            quote(u(1), u(1), U256::ZERO),
            Err(LibError::InsufficientLiquidity)
        );
        assert_eq!(
            get_amount_out(U256::ZERO, u(1), u(1)),
            Err(LibError::InsufficientInputAmount)
        );
        assert_eq!(
            get_amount_out(u(1), U256::ZERO, u(1)),
            Err(LibError::InsufficientLiquidity)
        );
        assert_eq!(
            get_amount_out(u(1), u(1), U256::ZERO),
            Err(LibError::InsufficientLiquidity)
        );
        assert_eq!(
            get_amount_in(U256::ZERO, u(1), u(1)),
            Err(LibError::InsufficientOutputAmount)
        );
        assert_eq!(
            get_amount_in(u(1), U256::ZERO, u(2)),
            Err(LibError::InsufficientLiquidity)
        );
        assert_eq!(
            get_amount_in(u(1), u(2), U256::ZERO),
            Err(LibError::InsufficientLiquidity)
        );
        // The whole reserve (or more) can never be bought.
        assert_eq!(
            get_amount_in(u(5), u(5), u(5)),
            Err(LibError::InsufficientLiquidity)
        );
        assert_eq!(
            get_amount_in(u(6), u(5), u(5)),
            Err(LibError::InsufficientLiquidity)
        );
        // Overflow is a named math error, not a wrap.
        assert!(matches!(
            get_amount_out(U256::MAX, u(1), u(1)),
            Err(LibError::Math(_))
        ));
        assert!(matches!(
            get_amount_out(u(1), U256::MAX, u(1)),
            Err(LibError::Math(_))
        ));
        assert!(matches!(
            get_amount_in(U256::MAX - u(1), U256::MAX, U256::MAX),
            Err(LibError::Math(_))
        ));
        assert_eq!(
            sort_tokens(Address::ZERO, Address::ZERO),
            Err(LibError::IdenticalAddresses)
        );
        assert_eq!(
            sort_tokens(Address::with_last_byte(1), Address::ZERO),
            Err(LibError::ZeroAddress)
        );
    }

    #[test]
    fn pair_for_matches_uniswap_v2_mainnet() {
        // Uniswap V2 mainnet: factory, init code hash, USDC/WETH pair.
        let factory = address!("5C69bEe701ef814a2B6a3EDD4B1652CB9cc5aA6f");
        let hash = b256!("96e8ac4277198ff8b6f785478aa9a39f403cb768dd02cbee326c3e7da348845f");
        let usdc = address!("A0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48");
        let weth = address!("C02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2");
        let pair = address!("B4e16d0168e52d35CaCD2c6185b44281Ec28C9Dc");
        assert_eq!(pair_for(factory, hash, usdc, weth), Ok(pair));
        assert_eq!(pair_for(factory, hash, weth, usdc), Ok(pair));
    }

    fn reserve() -> impl Strategy<Value = U256> {
        prop_oneof![
            (1u128..1_000).prop_map(U256::from),
            (1u128..u128::from(u64::MAX)).prop_map(U256::from),
            (1u128..(1u128 << 112)).prop_map(U256::from),
        ]
    }

    proptest! {
        #[test]
        fn amount_out_is_the_models_floor(a in reserve(), r_in in reserve(), r_out in reserve()) {
            let out = get_amount_out(a, r_in, r_out).unwrap();
            prop_assert_eq!(big(out), model_out(a, r_in, r_out));
            prop_assert!(out < r_out);
            // The pair's fee-adjusted k check passes at this output (k never decreases).
            let fee_adj_in = big(r_in) * 1000u32 + big(a) * 997u32;
            prop_assert!(fee_adj_in * big(r_out - out) >= big(r_in) * big(r_out) * 1000u32);
        }

        #[test]
        fn amount_in_is_the_models_floor_plus_one(r_in in reserve(), r_out in reserve(), frac in 1u64..1_000_000) {
            let out = div_down(r_out * U256::from(frac), U256::from(1_000_000u64)).unwrap();
            prop_assume!(!out.is_zero() && out < r_out);
            let a = get_amount_in(out, r_in, r_out).unwrap();
            prop_assert_eq!(big(a), model_in(out, r_in, r_out));
            // Paying `a` buys at least `out`: the round trip favours the pool, never the trader.
            prop_assert!(get_amount_out(a, r_in, r_out).unwrap() >= out);
            // ... and it is the minimal such input, or one above it (V2's `floor + 1` when the
            // exact quotient is an integer): two wei less fails the pair's fee-adjusted k check.
            if a >= U256::from(2) {
                let fee_adj_in = big(r_in) * 1000u32 + big(a - U256::from(2)) * 997u32;
                prop_assert!(fee_adj_in * big(r_out - out) < big(r_in) * big(r_out) * 1000u32);
            }
        }

        #[test]
        fn round_trip_out_then_in_never_costs_less(a in reserve(), r_in in reserve(), r_out in reserve()) {
            let out = get_amount_out(a, r_in, r_out).unwrap();
            prop_assume!(!out.is_zero());
            // Quoting the input for `out` costs at most one wei more than what bought it
            // (V2's `+ 1`), never less than the minimal input, and that input buys >= `out`.
            let back = get_amount_in(out, r_in, r_out).unwrap();
            prop_assert!(back <= a + U256::from(1));
            prop_assert!(get_amount_out(back, r_in, r_out).unwrap() >= out);
        }

        #[test]
        fn quote_is_proportional_floor(a in reserve(), ra in reserve(), rb in reserve()) {
            let q = quote(a, ra, rb).unwrap();
            prop_assert_eq!(big(q), big(a) * big(rb) / big(ra));
        }
    }
}
