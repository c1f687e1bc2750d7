//! Pure maths of the royalty split (no storage, no calls: proptested in isolation).
//!
//! # Rules
//! * **Holders first, rounded down**: of an accounted amount `a`, holders get
//!   `h = ⌊a · holderBps / 10⁴⌋` and creators `c = a − h`, so `h + c = a` exactly.
//! * **Creators on cumulative totals** (0xSplits-style pull ledger): per token the ledger keeps
//!   the cumulative creator amount `C` and, per recipient, what was withdrawn `w_i`. Recipient `i`
//!   with share `s_i` (bps, `Σ s_i = 10⁴`) may withdraw `⌊C · s_i / 10⁴⌋ − w_i` at any time, in any
//!   order, independently of every other recipient (one reverting recipient blocks nobody).
//! * **Dust**: because every entitlement is computed on the cumulative `C` (never per payment),
//!   `C − Σ_i ⌊C · s_i / 10⁴⌋ < n` wei (n = number of recipients) for the lifetime of the
//!   collection, per token. That remainder stays in the contract, booked as held, unclaimable.

use alloy_primitives::{Address, U256};
use kit::math::{mul_div_down, MathError};

/// Basis-point denominator of shares, holder share and royalties.
pub const BPS: u64 = 10_000;

/// Most creator recipients (bounds every loop over them).
pub const MAX_RECIPIENTS: usize = 8;

/// Splits `amount` into (holders, creators): holders `⌊amount · holder_bps / 10⁴⌋`, creators the
/// rest (`holders + creators == amount`).
pub fn split_holders(amount: U256, holder_bps: u64) -> Result<(U256, U256), MathError> {
    let holders = mul_div_down(amount, U256::from(holder_bps), U256::from(BPS))?;
    Ok((holders, amount - holders))
}

/// What a recipient with `share` bps is entitled to in total when creators have received
/// `cumulative`: `⌊cumulative · share / 10⁴⌋`.
pub fn entitlement(cumulative: U256, share: u64) -> Result<U256, MathError> {
    mul_div_down(cumulative, U256::from(share), U256::from(BPS))
}

/// Whether `(recipients, shares)` is a valid creator split: 1..=[`MAX_RECIPIENTS`] entries of
/// equal length, non-zero distinct recipients, non-zero shares summing to exactly 10⁴ bps.
pub fn valid_split(recipients: &[Address], shares: &[U256]) -> bool {
    if recipients.is_empty()
        || recipients.len() > MAX_RECIPIENTS
        || recipients.len() != shares.len()
    {
        return false;
    }
    let mut sum = U256::ZERO;
    for (i, (r, s)) in recipients.iter().zip(shares).enumerate() {
        if r.is_zero() || s.is_zero() || *s > U256::from(BPS) || recipients[..i].contains(r) {
            return false;
        }
        sum += *s;
    }
    sum == U256::from(BPS)
}
