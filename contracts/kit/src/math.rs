//! Checked 256-bit arithmetic with named Solidity errors, and `mul_div` with the rounding
//! direction in its name (Morpho style: [`mul_div_down`] / [`mul_div_up`]).
//!
//! `U256`'s `+ - *` operators wrap silently; protocol code must use these helpers (or the
//! [`CheckedMath`] extension trait) instead, and round every division in the protocol's favour.

use alloy_primitives::{Uint, U256};
use alloy_sol_types::sol;

use crate::errors::kit_error_enum;

sol! {
    /// An addition or multiplication overflowed 256 bits, or a `mul_div` result does not fit.
    #[derive(Debug, PartialEq, Eq)]
    error MathOverflow();
    /// A subtraction went below zero.
    #[derive(Debug, PartialEq, Eq)]
    error MathUnderflow();
    /// A division or `mul_div` by zero.
    #[derive(Debug, PartialEq, Eq)]
    error MathDivisionByZero();
}

kit_error_enum! {
    /// Errors of the checked math helpers.
    pub enum MathError {
        /// See [`MathOverflow`].
        MathOverflow,
        /// See [`MathUnderflow`].
        MathUnderflow,
        /// See [`MathDivisionByZero`].
        MathDivisionByZero,
    }
}

/// Direction of rounding for a division.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounding {
    /// Towards zero (floor for unsigned values).
    Down,
    /// Away from zero (ceiling for unsigned values).
    Up,
}

/// `a + b`, or [`MathOverflow`].
#[inline]
pub fn checked_add(a: U256, b: U256) -> Result<U256, MathError> {
    a.checked_add(b)
        .ok_or(MathError::MathOverflow(MathOverflow {}))
}

/// `a - b`, or [`MathUnderflow`].
#[inline]
pub fn checked_sub(a: U256, b: U256) -> Result<U256, MathError> {
    a.checked_sub(b)
        .ok_or(MathError::MathUnderflow(MathUnderflow {}))
}

/// `a * b`, or [`MathOverflow`].
#[inline]
pub fn checked_mul(a: U256, b: U256) -> Result<U256, MathError> {
    a.checked_mul(b)
        .ok_or(MathError::MathOverflow(MathOverflow {}))
}

/// `a / b` rounded down, or [`MathDivisionByZero`].
///
/// Prefer this (and [`div_up`]) to `U256`'s `/` operator in contracts: `/` links ruint's generic
/// division (~7.6 KB of wasm); on wasm the kit divides with the `math_div` host function.
#[inline]
pub fn div_down(a: U256, b: U256) -> Result<U256, MathError> {
    if b.is_zero() {
        return Err(MathError::MathDivisionByZero(MathDivisionByZero {}));
    }
    Ok(prim::div(a, b))
}

/// `a / b` rounded up, or [`MathDivisionByZero`].
#[inline]
pub fn div_up(a: U256, b: U256) -> Result<U256, MathError> {
    let (q, r) = div_rem(a, b)?;
    // q < MAX whenever r != 0 (b >= 2), so `q + 1` cannot overflow.
    Ok(if r.is_zero() { q } else { q + U256::from(1) })
}

/// `(a / b, a % b)`, or [`MathDivisionByZero`].
pub fn div_rem(a: U256, b: U256) -> Result<(U256, U256), MathError> {
    if b.is_zero() {
        return Err(MathError::MathDivisionByZero(MathDivisionByZero {}));
    }
    Ok(prim::div_rem(a, b))
}

/// The 256-bit division primitives (`b != 0`). On wasm they are Stylus's `math_div` /
/// `math_mod` host functions (43,520 ink ≈ 4.4 gas each, versus ~5–9k gas for the binary long
/// division in wasm); natively they are the kit's reference long division, so the native tests
/// check the same dispatch code the contracts run.
mod prim {
    use alloy_primitives::U256;

    #[cfg(target_arch = "wasm32")]
    mod hooks {
        // Not exposed by stylus-sdk 0.10's `hostio`; spec /work/shared/stylus-host-spec.md §3.1
        // rows 30–31: `*a = a / b` and `*a = a % b` on 32-byte big-endian words (b = 0 → 0).
        #[link(wasm_import_module = "vm_hooks")]
        extern "C" {
            pub fn math_div(a: *mut u8, b: *const u8);
            pub fn math_mod(a: *mut u8, b: *const u8);
            // Row 34: `*a = (a · b) mod m` over the full 512-bit product (m = 0 → 0).
            pub fn math_mul_mod(a: *mut u8, b: *const u8, m: *const u8);
        }
    }

    /// `(x · y) mod m` for `m != 0`.
    #[cfg(target_arch = "wasm32")]
    #[inline]
    pub(super) fn mul_mod(x: U256, y: U256, m: U256) -> U256 {
        let mut x = x.to_be_bytes::<32>();
        let (y, m) = (y.to_be_bytes::<32>(), m.to_be_bytes::<32>());
        // SAFETY: all pointers address live 32-byte buffers; the host writes 32 bytes to `x`.
        unsafe { hooks::math_mul_mod(x.as_mut_ptr(), y.as_ptr(), m.as_ptr()) };
        U256::from_be_bytes(x)
    }

    #[cfg(target_arch = "wasm32")]
    #[inline]
    fn host(f: unsafe extern "C" fn(*mut u8, *const u8), a: U256, b: U256) -> U256 {
        let mut a = a.to_be_bytes::<32>();
        let b = b.to_be_bytes::<32>();
        // SAFETY: both pointers address live 32-byte buffers; the host writes 32 bytes to `a`.
        unsafe { f(a.as_mut_ptr(), b.as_ptr()) };
        U256::from_be_bytes(a)
    }

    /// `a / b` for `b != 0`.
    #[cfg(target_arch = "wasm32")]
    #[inline]
    pub(super) fn div(a: U256, b: U256) -> U256 {
        host(hooks::math_div, a, b)
    }

    /// `a % b` for `b != 0`.
    #[cfg(target_arch = "wasm32")]
    #[inline]
    pub(super) fn rem(a: U256, b: U256) -> U256 {
        host(hooks::math_mod, a, b)
    }

    /// `(a / b, a % b)` for `b != 0`.
    #[cfg(target_arch = "wasm32")]
    #[inline]
    pub(super) fn div_rem(a: U256, b: U256) -> (U256, U256) {
        (div(a, b), rem(a, b))
    }

    /// `(x · y) mod m` for `m != 0` (reference: long division of the 512-bit product).
    #[cfg(not(target_arch = "wasm32"))]
    pub(super) fn mul_mod(x: U256, y: U256, m: U256) -> U256 {
        let p = x.widening_mul::<256, 4, 512, 8>(y);
        let l = p.as_limbs();
        let hi = U256::from_limbs([l[4], l[5], l[6], l[7]]);
        let lo = U256::from_limbs([l[0], l[1], l[2], l[3]]);
        let hi = div_rem(hi, m).1;
        super::wide_div_rem(hi, lo, m).1
    }

    /// `(a / b, a % b)` for `b != 0` (reference long division).
    #[cfg(not(target_arch = "wasm32"))]
    pub(super) fn div_rem(a: U256, b: U256) -> (U256, U256) {
        super::wide_div_rem(U256::ZERO, a, b)
    }

    /// `a / b` for `b != 0`.
    #[cfg(not(target_arch = "wasm32"))]
    pub(super) fn div(a: U256, b: U256) -> U256 {
        div_rem(a, b).0
    }

    /// `a % b` for `b != 0`.
    #[cfg(not(target_arch = "wasm32"))]
    pub(super) fn rem(a: U256, b: U256) -> U256 {
        div_rem(a, b).1
    }
}

/// Divides the 512-bit number `hi·2^256 + lo` by `d` (non-zero, `hi < d` so the quotient fits
/// in 256 bits).
///
/// Binary long division that starts at the quotient's top bit: it runs
/// `bits(n) − bits(d) + 1` iterations (= the quotient's bit length, ~80 for typical token
/// amounts), each a 256-bit shift, compare and subtract. This is ~1 KB of wasm; ruint's Knuth
/// division is 7.6 KB and a limb-wise Knuth D costs +1.1 KB of deployable code, which matters
/// more than the few hundred ink it saves under the 24 KB limit.
#[cfg(not(target_arch = "wasm32"))]
fn wide_div_rem(hi: U256, lo: U256, d: U256) -> (U256, U256) {
    debug_assert!(!d.is_zero() && hi < d);
    let n_bits = if hi.is_zero() {
        lo.bit_len()
    } else {
        256 + hi.bit_len()
    };
    let d_bits = d.bit_len();
    if n_bits < d_bits {
        return (U256::ZERO, lo); // n < d (hi is zero here)
    }
    let bit = |i: usize| if i >= 256 { hi.bit(i - 256) } else { lo.bit(i) };
    // r = the top d_bits - 1 bits of n (< d).
    let first = n_bits - d_bits; // index of the first bit to bring down
    let mut r = if first + 1 >= 256 {
        hi >> (first + 1 - 256)
    } else {
        (lo >> (first + 1)) | (hi << (255 - first))
    };
    let mut q = U256::ZERO;
    for i in (0..=first).rev() {
        // r < d <= 2^256 - 1, so 2r + 1 < 2^257: track the 257th bit in `carry`.
        let carry = r.bit(255);
        r <<= 1;
        if bit(i) {
            r |= U256::from(1);
        }
        q <<= 1;
        if carry || r >= d {
            // With the carry the true remainder 2^256 + r exceeds d and 2^256 + r - d < d.
            r = r.wrapping_sub(d);
            q |= U256::from(1);
        }
    }
    (q, r)
}

/// `floor(n / d)` for the 512-bit `n = hi·2^256 + lo` with `hi < d` (the quotient fits), given
/// `r = n mod d`. No division: `n − r` is a multiple of `d`, so after removing the common power
/// of two (`d = 2^k·d'`, `d'` odd) the quotient is `((n − r) / 2^k mod 2^256) · d'^-1 mod 2^256`,
/// the inverse of the odd `d'` modulo 2^256 found by Newton's iteration (each step doubles the
/// number of correct low bits).
fn exact_wide_div(hi: U256, lo: U256, r: U256, d: U256) -> U256 {
    debug_assert!(!d.is_zero() && hi < d && r < d);
    // n − r (no underflow: r < d <= n when hi != 0; and r <= lo when hi == 0).
    let hi = hi.wrapping_sub(U256::from(u8::from(r > lo)));
    let lo = lo.wrapping_sub(r);
    let k = d.trailing_zeros();
    let d = d >> k;
    // Low 256 bits of (n − r) / 2^k (exact: 2^k divides d, which divides n − r).
    let lo = if k == 0 {
        lo
    } else {
        (lo >> k) | (hi << (256 - k))
    };
    // d·inv ≡ 1 mod 2^4 for odd d with inv = 3d XOR 2; six doublings reach 2^256.
    let two = U256::from(2);
    let mut inv = d.wrapping_mul(U256::from(3)) ^ two;
    for _ in 0..6 {
        inv = inv.wrapping_mul(two.wrapping_sub(d.wrapping_mul(inv)));
    }
    lo.wrapping_mul(inv)
}

/// `floor(x * y / d)` computed with a full 512-bit intermediate product, so it is exact whenever
/// the *result* fits in 256 bits. Errors: [`MathDivisionByZero`] if `d == 0`, [`MathOverflow`]
/// if the result exceeds `U256::MAX`.
pub fn mul_div_down(x: U256, y: U256, d: U256) -> Result<U256, MathError> {
    mul_div(x, y, d, Rounding::Down)
}

/// `ceil(x * y / d)` computed with a full 512-bit intermediate product. Errors as
/// [`mul_div_down`] (also [`MathOverflow`] if rounding up carries past `U256::MAX`).
pub fn mul_div_up(x: U256, y: U256, d: U256) -> Result<U256, MathError> {
    mul_div(x, y, d, Rounding::Up)
}

/// `x * y / d` rounded in the given direction, with a 512-bit intermediate product.
pub fn mul_div(x: U256, y: U256, d: U256, rounding: Rounding) -> Result<U256, MathError> {
    if d.is_zero() {
        return Err(MathError::MathDivisionByZero(MathDivisionByZero {}));
    }
    let p: Uint<512, 8> = x.widening_mul(y);
    let limbs = p.as_limbs();
    let hi = U256::from_limbs([limbs[4], limbs[5], limbs[6], limbs[7]]);
    let lo = U256::from_limbs([limbs[0], limbs[1], limbs[2], limbs[3]]);
    if hi.is_zero() {
        // The product fits in 256 bits (the common case): one host division, and the remainder
        // only when rounding up. `q + 1` cannot overflow when `r != 0` (then `d >= 2`).
        let q = prim::div(lo, d);
        if rounding == Rounding::Up && !prim::rem(lo, d).is_zero() {
            return Ok(q + U256::from(1));
        }
        return Ok(q);
    }
    if hi >= d {
        return Err(MathError::MathOverflow(MathOverflow {}));
    }
    let r = prim::mul_mod(x, y, d);
    let q = exact_wide_div(hi, lo, r, d);
    if rounding == Rounding::Up && !r.is_zero() {
        return checked_add(q, U256::from(1));
    }
    Ok(q)
}

/// Extension trait: the checked helpers as methods on `U256`, for readable call chains
/// (`a.add_checked(b)?.mul_div_down(c, d)?`).
pub trait CheckedMath: Sized {
    /// See [`checked_add`].
    fn add_checked(self, rhs: Self) -> Result<Self, MathError>;
    /// See [`checked_sub`].
    fn sub_checked(self, rhs: Self) -> Result<Self, MathError>;
    /// See [`checked_mul`].
    fn mul_checked(self, rhs: Self) -> Result<Self, MathError>;
    /// See [`mul_div_down`].
    fn mul_div_down(self, y: Self, d: Self) -> Result<Self, MathError>;
    /// See [`mul_div_up`].
    fn mul_div_up(self, y: Self, d: Self) -> Result<Self, MathError>;
}

impl CheckedMath for U256 {
    fn add_checked(self, rhs: Self) -> Result<Self, MathError> {
        checked_add(self, rhs)
    }
    fn sub_checked(self, rhs: Self) -> Result<Self, MathError> {
        checked_sub(self, rhs)
    }
    fn mul_checked(self, rhs: Self) -> Result<Self, MathError> {
        checked_mul(self, rhs)
    }
    fn mul_div_down(self, y: Self, d: Self) -> Result<Self, MathError> {
        mul_div_down(self, y, d)
    }
    fn mul_div_up(self, y: Self, d: Self) -> Result<Self, MathError> {
        mul_div_up(self, y, d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigUint;
    use proptest::prelude::*;

    fn big(x: U256) -> BigUint {
        BigUint::from_bytes_be(&x.to_be_bytes::<32>())
    }

    fn reference(x: U256, y: U256, d: U256, up: bool) -> Option<U256> {
        let p = big(x) * big(y);
        let d = big(d);
        let mut q = &p / &d;
        if up && (&p % &d) != BigUint::ZERO {
            q += 1u32;
        }
        let bytes = q.to_bytes_be();
        if bytes.len() > 32 {
            return None;
        }
        Some(U256::from_be_slice(&bytes))
    }

    /// 256-bit values built from edge-case limbs (zeros, ones, all-ones, top bit) and random limbs.
    fn edge_u256() -> impl Strategy<Value = U256> {
        let limb = prop_oneof![
            Just(0u64),
            Just(1u64),
            Just(u64::MAX),
            Just(u64::MAX - 1),
            Just(1u64 << 63),
            Just((1u64 << 63) - 1),
            Just((1u64 << 63) + 1),
            any::<u64>(),
        ];
        [limb.clone(), limb.clone(), limb.clone(), limb].prop_map(U256::from_limbs)
    }

    fn any_u256() -> impl Strategy<Value = U256> {
        prop_oneof![
            any::<[u8; 32]>().prop_map(U256::from_be_bytes),
            any::<u128>().prop_map(U256::from),
            any::<u64>().prop_map(U256::from),
            (0u64..4).prop_map(U256::from),
            Just(U256::MAX),
            (0usize..256).prop_map(|s| U256::from(1) << s),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]
        #[test]
        fn mul_div_matches_bigint(x in any_u256(), y in any_u256(), d in any_u256()) {
            if d.is_zero() {
                prop_assert_eq!(mul_div_down(x, y, d), Err(MathError::MathDivisionByZero(MathDivisionByZero {})));
                prop_assert_eq!(mul_div_up(x, y, d), Err(MathError::MathDivisionByZero(MathDivisionByZero {})));
            } else {
                let overflow = Err(MathError::MathOverflow(MathOverflow {}));
                prop_assert_eq!(mul_div_down(x, y, d), reference(x, y, d, false).ok_or(()).or(overflow.clone()));
                prop_assert_eq!(mul_div_up(x, y, d), reference(x, y, d, true).ok_or(()).or(overflow));
            }
        }

        #[test]
        fn up_is_down_plus_remainder_indicator(x in any_u256(), y in any_u256(), d in any_u256()) {
            prop_assume!(!d.is_zero());
            if let (Ok(lo), Ok(hi)) = (mul_div_down(x, y, d), mul_div_up(x, y, d)) {
                let exact = x.mul_mod(y, d).is_zero();
                prop_assert_eq!(hi, if exact { lo } else { lo + U256::from(1) });
            }
        }

        #[test]
        fn wide_division_matches_bigint_on_edge_limbs(hi in edge_u256(), lo in edge_u256(), d in edge_u256()) {
            prop_assume!(!d.is_zero());
            let hi = hi % d; // precondition: the quotient fits in 256 bits
            let n = (big(hi) << 256u32) + big(lo);
            let (q, r) = wide_div_rem(hi, lo, d);
            prop_assert_eq!(big(q), &n / big(d));
            prop_assert_eq!(big(r), &n % big(d));
        }

        #[test]
        fn exact_wide_division_matches_long_division(hi in edge_u256(), lo in edge_u256(), d in edge_u256()) {
            prop_assume!(!d.is_zero());
            let hi = prim::div_rem(hi, d).1;
            let (q, r) = wide_div_rem(hi, lo, d);
            prop_assert_eq!(exact_wide_div(hi, lo, r, d), q);
        }

        #[test]
        fn mul_mod_matches_ruint(x in any_u256(), y in any_u256(), m in any_u256()) {
            prop_assume!(!m.is_zero());
            prop_assert_eq!(prim::mul_mod(x, y, m), x.mul_mod(y, m));
        }

        #[test]
        fn div_rem_matches_ruint(a in any_u256(), b in any_u256()) {
            prop_assume!(!b.is_zero());
            prop_assert_eq!(div_rem(a, b).unwrap(), a.div_rem(b));
        }

        #[test]
        fn div_up_down(a in any_u256(), b in any_u256()) {
            prop_assume!(!b.is_zero());
            prop_assert_eq!(div_down(a, b).unwrap(), reference(a, U256::from(1), b, false).unwrap());
            prop_assert_eq!(div_up(a, b).unwrap(), reference(a, U256::from(1), b, true).unwrap());
        }
    }

    #[test]
    fn checked_helpers_name_their_errors() {
        assert_eq!(
            checked_add(U256::MAX, U256::from(1)),
            Err(MathError::MathOverflow(MathOverflow {}))
        );
        assert_eq!(
            checked_sub(U256::ZERO, U256::from(1)),
            Err(MathError::MathUnderflow(MathUnderflow {}))
        );
        assert_eq!(
            checked_mul(U256::MAX, U256::from(2)),
            Err(MathError::MathOverflow(MathOverflow {}))
        );
        assert_eq!(
            div_up(U256::from(1), U256::ZERO),
            Err(MathError::MathDivisionByZero(MathDivisionByZero {}))
        );
        assert_eq!(checked_add(U256::from(2), U256::from(3)), Ok(U256::from(5)));
        // Rounding up past MAX overflows instead of wrapping.
        assert_eq!(
            mul_div_up(
                U256::MAX,
                U256::MAX - U256::from(1),
                U256::MAX - U256::from(2)
            ),
            Err(MathError::MathOverflow(MathOverflow {}))
        );
        assert_eq!(mul_div_up(U256::MAX, U256::MAX, U256::MAX), Ok(U256::MAX));
        assert_eq!(
            mul_div_down(U256::from(7), U256::from(3), U256::from(2)),
            Ok(U256::from(10))
        );
        assert_eq!(
            mul_div_up(U256::from(7), U256::from(3), U256::from(2)),
            Ok(U256::from(11))
        );
    }
}
