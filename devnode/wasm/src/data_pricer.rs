//! The activation data-fee pricer (`DataPricer`, spec §1.9).
//!
//! Demand for activation bytes decays at `bytes_per_second`; the price per byte is
//! `min_price × e^(demand / inertia)` with the exponential approximated by a 12-term integer
//! Horner series.

/// Unix time the pricer's clock starts at (2015-01-16 06:00 UTC), also the epoch of `activatedAt`.
pub const ARBITRUM_START_TIME: u64 = 1_421_388_000;
/// Initial `bytesPerSecond`: `floor(floor(2^40 / 8760) / 3600)`.
pub const INITIAL_BYTES_PER_SECOND: u32 = ((1u64 << 40) / 8_760 / 3_600) as u32;
/// Initial `minPrice` in wei per byte.
pub const INITIAL_MIN_PRICE: u32 = 82_928_201;
/// Initial `inertia`.
pub const INITIAL_INERTIA: u32 = 21_360_419;

/// Persistent state of the data pricer (stored in ArbOS storage by the precompiles layer).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DataPricer {
    /// Outstanding demand in bytes.
    pub demand: u32,
    /// Rate at which demand decays, bytes per second.
    pub bytes_per_second: u32,
    /// Unix time of the last update.
    pub last_update_time: u64,
    /// Floor price in wei per byte.
    pub min_price: u32,
    /// Demand (in bytes) that multiplies the price by e.
    pub inertia: u32,
}

impl Default for DataPricer {
    fn default() -> Self {
        Self {
            demand: 0,
            bytes_per_second: INITIAL_BYTES_PER_SECOND,
            last_update_time: ARBITRUM_START_TIME,
            min_price: INITIAL_MIN_PRICE,
            inertia: INITIAL_INERTIA,
        }
    }
}

impl DataPricer {
    /// Records `temp_bytes` of new demand at unix time `time` and returns the fee in wei
    /// (`costPerByte × temp_bytes`). `temp_bytes` is the raw `asm_estimate` on activation and
    /// `asmEstimateKb × 1024` on keepalive.
    pub fn update(&mut self, temp_bytes: u32, time: u64) -> u128 {
        let passed = u32::try_from(time.saturating_sub(self.last_update_time)).unwrap_or(u32::MAX);
        let credit = self.bytes_per_second.saturating_mul(passed);
        self.demand = self
            .demand
            .saturating_sub(credit)
            .saturating_add(temp_bytes);
        self.last_update_time = time;

        let exponent_bips = if self.inertia == 0 {
            u64::MAX
        } else {
            10_000 * u64::from(self.demand) / u64::from(self.inertia)
        };
        let multiplier_bips = approx_exp_bips(exponent_bips);
        let cost_per_byte = u128::from(self.min_price) * u128::from(multiplier_bips) / 10_000;
        cost_per_byte * u128::from(temp_bytes)
    }
}

/// `e^(x / 10 000) × 10 000` by the integer Horner series of accuracy 12 (spec §1.9 step 3):
/// `res = 10 000 + x/12`, then for `i = 11..=1`: `res = 10 000 + res·x / (i·10 000)`
/// (saturating multiplication).
pub fn approx_exp_bips(x: u64) -> u64 {
    const ONE: u64 = 10_000;
    const ACCURACY: u64 = 12;
    let mut res = ONE.saturating_add(x / ACCURACY);
    for i in (1..ACCURACY).rev() {
        res = ONE.saturating_add(res.saturating_mul(x) / (i * ONE));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initial_rate() {
        assert_eq!(INITIAL_BYTES_PER_SECOND, 34_865);
    }

    #[test]
    fn exp_of_zero_is_one() {
        assert_eq!(approx_exp_bips(0), 10_000);
        // e^1 ≈ 2.71828
        let e = approx_exp_bips(10_000);
        assert!((27_170..=27_190).contains(&e), "{e}");
    }
}
