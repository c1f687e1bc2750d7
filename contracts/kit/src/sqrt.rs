//! Integer square root, rounded down (`floor(√y)`), e.g. for AMM liquidity (`√(x·y)`).
//!
//! Newton's method from a power-of-two start above the root: the iterates decrease strictly
//! until they reach `floor(√y)`, so the loop ends after at most ~8 rounds for 256-bit inputs.
//! Each round divides with [`crate::math::div_down`] (Stylus's `math_div` host function on
//! wasm): no generic 256-bit division is linked.

use alloy_primitives::U256;

use crate::math::div_down;

/// `floor(√y)` for every `y` (exact: the largest `r` with `r² ≤ y`).
pub fn sqrt_down(y: U256) -> U256 {
    if y < U256::from(4) {
        return if y.is_zero() { y } else { U256::from(1) };
    }
    // 2^ceil(bits/2) > √y: a start above the root (at most 2^128, so `z + y/z` cannot overflow).
    let mut z = U256::from(1) << y.bit_len().div_ceil(2);
    loop {
        // z >= 1, so the division cannot fail.
        let x = (z + div_down(y, z).unwrap_or_default()) >> 1;
        if x >= z {
            return z;
        }
        z = x;
    }
}

/// `ceil(√y)` (the smallest `r` with `r² ≥ y`).
pub fn sqrt_up(y: U256) -> U256 {
    let r = sqrt_down(y);
    // r ≤ 2^128 - 1, so r² and r + 1 cannot overflow.
    if r * r == y {
        r
    } else {
        r + U256::from(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check(y: U256) {
        let r = sqrt_down(y);
        assert!(r.checked_mul(r).is_some_and(|sq| sq <= y), "r² > y for {y}");
        let r1 = r + U256::from(1);
        assert!(
            r1.checked_mul(r1).is_none_or(|sq| sq > y),
            "(r+1)² ≤ y for {y}"
        );
        let up = sqrt_up(y);
        assert!(up == r || up == r1);
        assert!(up.checked_mul(up).is_none_or(|sq| sq >= y));
    }

    #[test]
    fn edges() {
        for y in 0u64..2_000 {
            check(U256::from(y));
        }
        assert_eq!(sqrt_down(U256::MAX), U256::from(u128::MAX));
        assert_eq!(sqrt_up(U256::MAX), U256::from(1) << 128);
        for k in 1..256 {
            let p = U256::from(1) << k;
            for y in [p - U256::from(1), p, p + U256::from(1)] {
                check(y);
            }
        }
        let s = U256::from(u128::MAX);
        check(s * s);
        check(s * s - U256::from(1));
    }

    proptest! {
        #[test]
        fn floor_root(limbs in any::<[u64; 4]>(), shift in 0usize..256) {
            check(U256::from_limbs(limbs) >> shift);
        }
    }
}
