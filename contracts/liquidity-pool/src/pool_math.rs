//! The pair's pure maths (V2's formulas, checked, divisions through `kit::math`), separate from
//! storage so the unit tests and proptests check exactly what the contract runs.

use alloy_primitives::U256;
use kit::{
    math::{checked_add, checked_mul, checked_sub, div_down, mul_div_down, MathError},
    sqrt::sqrt_down,
};

use crate::MINIMUM_LIQUIDITY;

/// UQ112x112 prices of reserves `(r0, r1)` (both non-zero, < 2^112): `(r1·2^112 / r0,
/// r0·2^112 / r1)`, rounded down (V2's `encode(r1).uqdiv(r0)`); each < 2^224.
pub fn uq112_prices(r0: U256, r1: U256) -> Result<(U256, U256), MathError> {
    Ok((div_down(r1 << 112, r0)?, div_down(r0 << 112, r1)?))
}

/// LP of the first deposit: `√(amount0·amount1) − MINIMUM_LIQUIDITY`, rounded down; `None` when
/// it would not exceed zero (the deposit is too small to lock the minimum).
pub fn initial_liquidity(amount0: U256, amount1: U256) -> Result<Option<U256>, MathError> {
    let root = sqrt_down(checked_mul(amount0, amount1)?);
    Ok(root.checked_sub(MINIMUM_LIQUIDITY).filter(|l| !l.is_zero()))
}

/// LP of a later deposit: `min(amount0·supply/r0, amount1·supply/r1)`, each rounded down (the
/// excess of the larger side is donated to the pool, as V2).
pub fn liquidity_for(
    amount0: U256,
    amount1: U256,
    r0: U256,
    r1: U256,
    supply: U256,
) -> Result<U256, MathError> {
    Ok(mul_div_down(amount0, supply, r0)?.min(mul_div_down(amount1, supply, r1)?))
}

/// LP minted to `feeTo` (V2's `_mintFee`): `supply·(√k − √kLast) / (5·√k + √kLast)` rounded
/// down with `k = r0·r1`; zero unless √k grew.
pub fn protocol_fee_liquidity(
    supply: U256,
    r0: U256,
    r1: U256,
    k_last: U256,
) -> Result<U256, MathError> {
    let root_k = sqrt_down(checked_mul(r0, r1)?);
    let root_k_last = sqrt_down(k_last);
    if root_k <= root_k_last {
        return Ok(U256::ZERO);
    }
    let numerator = checked_mul(supply, root_k - root_k_last)?;
    let denominator = checked_add(checked_mul(root_k, U256::from(5))?, root_k_last)?;
    div_down(numerator, denominator)
}

/// V2's fee-adjusted invariant: `(1000·b0 − 3·in0)·(1000·b1 − 3·in1) ≥ r0·r1·1000²`.
pub fn k_holds(
    balance0: U256,
    balance1: U256,
    amount0_in: U256,
    amount1_in: U256,
    r0: U256,
    r1: U256,
) -> Result<bool, MathError> {
    let thousand = U256::from(1000);
    let adjusted0 = checked_sub(
        checked_mul(balance0, thousand)?,
        checked_mul(amount0_in, U256::from(3))?,
    )?;
    let adjusted1 = checked_sub(
        checked_mul(balance1, thousand)?,
        checked_mul(amount1_in, U256::from(3))?,
    )?;
    let lhs = checked_mul(adjusted0, adjusted1)?;
    let rhs = checked_mul(checked_mul(r0, r1)?, U256::from(1_000_000))?;
    Ok(lhs >= rhs)
}

/// The router's `getAmountOut` (largest output the invariant allows for `amount_in`, rounded
/// down): `in·997·rOut / (rIn·1000 + in·997)`.
pub fn amount_out(amount_in: U256, reserve_in: U256, reserve_out: U256) -> Result<U256, MathError> {
    let in_with_fee = checked_mul(amount_in, U256::from(997))?;
    let denominator = checked_add(checked_mul(reserve_in, U256::from(1000))?, in_with_fee)?;
    mul_div_down(in_with_fee, reserve_out, denominator)
}
