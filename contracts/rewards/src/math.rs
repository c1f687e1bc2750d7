//! Pure accumulator maths of the reward module (no storage, no host).
//!
//! Synthetix/Curve MultiRewards maths, generalised and made precise:
//!
//! * a stream pays `rate / RATE_SCALE` reward-token wei per second between `last_update` and
//!   `period_finish`; the rate is scaled by [`RATE_SCALE`] (1e18) so that low-decimal tokens
//!   (6-decimal stablecoins over a week) do not lose up to `duration - 1` wei per notification;
//! * the reward-per-share index is scaled by [`INDEX_SCALE`] (1e36) so that a 6-decimal reward over a
//!   21-decimal share supply (an 18-decimal asset with a 3-decimal virtual offset) still moves it every
//!   second;
//! * every division rounds **down**, so users can never be owed more than was funded: the module
//!   keeps the dust;
//! * **zero-supply policy**: while the total supply is zero the stream is *paused*, not lost and not
//!   handed to the first staker as a windfall. [`advance`] moves `period_finish` later by the paused
//!   time, so the remaining emissions stream at the same rate once shares exist again.
//!
//! All functions are total: they return [`MathError`] instead of wrapping or panicking. The module
//! caps lifetime funding per token at [`MAX_FUNDING`], which keeps every intermediate value
//! (`elapsed * rate`, the index, `balance * delta_index`) below 2^256 for any supply >= 1 wei, so the
//! errors are unreachable for a correctly funded module; they exist so that a bug reverts instead of
//! corrupting balances.

use alloy_primitives::{uint, U256};

/// Scale of the stored reward rate: `rate = reward_wei_per_second * RATE_SCALE`.
pub const RATE_SCALE: U256 = uint!(1_000_000_000_000_000_000_U256);

/// Scale of the reward-per-share index: `index = reward_wei_per_share_wei * INDEX_SCALE`.
pub const INDEX_SCALE: U256 = uint!(1_000_000_000_000_000_000_000_000_000_000_000_000_U256);

/// `INDEX_SCALE / RATE_SCALE`: turns `elapsed * rate` (reward wei scaled by 1e18) into index units.
const INDEX_PER_RATE: U256 = uint!(1_000_000_000_000_000_000_U256);

/// Largest lifetime amount (in reward-token wei) the module accepts per reward token: 2^128 - 1.
///
/// With it, `index <= MAX_FUNDING * INDEX_SCALE < 2^248` for any supply of at least one wei.
pub const MAX_FUNDING: U256 = uint!(0xffffffffffffffffffffffffffffffff_U256);

/// Arithmetic failure of the accumulator maths (unreachable when funding respects [`MAX_FUNDING`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MathError {
    /// An intermediate or result does not fit in 256 bits (or a timestamp in 64 bits).
    Overflow,
    /// Division by zero (a zero duration or supply reached a division).
    DivisionByZero,
}

/// Floor of `a * b / d` with a 512-bit intermediate.
pub fn mul_div_down(a: U256, b: U256, d: U256) -> Result<U256, MathError> {
    if d.is_zero() {
        return Err(MathError::DivisionByZero);
    }
    kit::math::mul_div_down(a, b, d).map_err(|_| MathError::Overflow)
}

/// The streaming state of one reward token.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stream {
    /// Emission rate in reward-token wei per second, scaled by [`RATE_SCALE`].
    pub rate: U256,
    /// Timestamp at which the current stream ends.
    pub period_finish: u64,
    /// Timestamp up to which `index` accounts for emissions.
    pub last_update: u64,
    /// Cumulative reward per share, scaled by [`INDEX_SCALE`]. Never decreases.
    pub index: U256,
}

/// Brings `stream` up to `now` for a constant `total_supply` since `stream.last_update`.
///
/// With `total_supply > 0` the index grows by `elapsed * rate * 1e18 / total_supply` (rounded down),
/// where `elapsed` is the part of `[last_update, now]` before `period_finish`. With
/// `total_supply == 0` nothing is emitted and an active stream is paused: `period_finish` moves
/// later by `now - last_update`. A `now` at or before `last_update` changes nothing.
pub fn advance(stream: Stream, now: u64, total_supply: U256) -> Result<Stream, MathError> {
    let mut s = stream;
    if now <= s.last_update {
        return Ok(s);
    }
    if total_supply.is_zero() {
        if s.period_finish > s.last_update {
            let paused = now - s.last_update;
            s.period_finish = s
                .period_finish
                .checked_add(paused)
                .ok_or(MathError::Overflow)?;
        }
    } else {
        let end = now.min(s.period_finish);
        if end > s.last_update && !s.rate.is_zero() {
            let emitted = s
                .rate
                .checked_mul(U256::from(end - s.last_update))
                .ok_or(MathError::Overflow)?;
            let delta = mul_div_down(emitted, INDEX_PER_RATE, total_supply)?;
            s.index = s.index.checked_add(delta).ok_or(MathError::Overflow)?;
        }
    }
    s.last_update = now;
    Ok(s)
}

/// Funds `stream` (already advanced to `now`, see [`advance`]) with `amount` wei, streamed over
/// at least `min_len` seconds from `now`, rolling in what the running stream had not emitted yet.
///
/// Let `funded = amount * RATE_SCALE + leftover`. If spreading `funded` over `min_len` gives a
/// rate at least the running one, the stream restarts: `rate = funded / min_len`,
/// `period_finish = now + min_len`. Otherwise (a small amount during a fast stream) the running
/// rate is **kept** and the new amount only extends the stream at that rate:
/// `period_finish = now + funded / rate` (between the old finish and `now + min_len`). So no
/// funding can lower a running rate or spread the leftover over a longer period (the "notify 1
/// wei to stretch the stream" griefing), and `rate * (period_finish - now) <= funded` always
/// (every division rounds down: the module keeps the dust).
pub fn fund(stream: Stream, now: u64, amount: U256, min_len: u64) -> Result<Stream, MathError> {
    if min_len == 0 {
        return Err(MathError::DivisionByZero);
    }
    let mut s = stream;
    let leftover = leftover_scaled(&s, now)?;
    let funded = amount
        .checked_mul(RATE_SCALE)
        .and_then(|x| x.checked_add(leftover))
        .ok_or(MathError::Overflow)?;
    // kit's division: ruint's generic `/` would add ~8 KB of wasm.
    let restart =
        kit::math::div_down(funded, U256::from(min_len)).map_err(|_| MathError::DivisionByZero)?;
    let running = s.period_finish > now && !s.rate.is_zero();
    if running && restart < s.rate {
        let len = kit::math::div_down(funded, s.rate).map_err(|_| MathError::DivisionByZero)?;
        // len < min_len <= u64::MAX here (funded / rate < min_len because restart < rate).
        s.period_finish = now
            .checked_add(len.to::<u64>())
            .ok_or(MathError::Overflow)?;
    } else {
        s.rate = restart;
        s.period_finish = now.checked_add(min_len).ok_or(MathError::Overflow)?;
    }
    s.last_update = now;
    Ok(s)
}

/// Starts a stream of `amount` wei over `duration` seconds at `now` (`notifyRewardAmount`): see
/// [`fund`] with `min_len = duration`.
pub fn notify(stream: Stream, now: u64, amount: U256, duration: u64) -> Result<Stream, MathError> {
    fund(stream, now, amount, duration)
}

/// An "instant" distribution of `amount` (`distribute`): streamed over at least `window` seconds
/// and never ending before the running stream, so capital that enters just before it and leaves
/// in the same block (or within the window) earns nothing (or only its time-weighted share).
pub fn distribute(
    stream: Stream,
    now: u64,
    amount: U256,
    window: u64,
) -> Result<Stream, MathError> {
    let remaining = stream.period_finish.saturating_sub(now);
    fund(stream, now, amount, window.max(remaining))
}

/// Emissions of `stream` not yet streamed at `now`, in reward wei scaled by [`RATE_SCALE`].
pub fn leftover_scaled(stream: &Stream, now: u64) -> Result<U256, MathError> {
    if stream.period_finish <= now {
        return Ok(U256::ZERO);
    }
    stream
        .rate
        .checked_mul(U256::from(stream.period_finish - now))
        .ok_or(MathError::Overflow)
}

/// Rewards earned by `balance` shares while the index moved from `paid` to `index` (rounded down).
pub fn earned(balance: U256, index: U256, paid: U256) -> Result<U256, MathError> {
    let delta = index.checked_sub(paid).ok_or(MathError::Overflow)?;
    if delta.is_zero() || balance.is_zero() {
        return Ok(U256::ZERO);
    }
    mul_div_down(balance, delta, INDEX_SCALE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn u(x: u128) -> U256 {
        U256::from(x)
    }

    #[test]
    fn advance_streams_pro_rata() {
        let s = Stream {
            rate: u(10) * RATE_SCALE,
            period_finish: 200,
            last_update: 100,
            index: U256::ZERO,
        };
        let s = advance(s, 150, u(5)).unwrap();
        // 50 s * 10 wei/s = 500 wei over 5 shares = 100 wei per share.
        assert_eq!(s.index, u(100) * INDEX_SCALE);
        assert_eq!(s.last_update, 150);
        assert_eq!(s.period_finish, 200);
        // Past the end only the remaining 50 s count.
        let s = advance(s, 1_000, u(5)).unwrap();
        assert_eq!(s.index, u(200) * INDEX_SCALE);
        assert_eq!(s.last_update, 1_000);
    }

    #[test]
    fn advance_is_noop_for_past_or_same_time() {
        let s = Stream {
            rate: RATE_SCALE,
            period_finish: 200,
            last_update: 100,
            index: u(7),
        };
        assert_eq!(advance(s, 100, u(1)).unwrap(), s);
        assert_eq!(advance(s, 50, u(1)).unwrap(), s);
    }

    /// Regression (rewards lost at zero supply, Unipool PR #15 / Tokemak #387): the stream pauses.
    #[test]
    fn rewards_lost_at_zero_supply_are_carried_forward() {
        let s = Stream {
            rate: u(10) * RATE_SCALE,
            period_finish: 200,
            last_update: 100,
            index: U256::ZERO,
        };
        // Nobody staked for 300 s, including past the original finish.
        let paused = advance(s, 400, U256::ZERO).unwrap();
        assert_eq!(paused.index, U256::ZERO);
        assert_eq!(paused.last_update, 400);
        assert_eq!(paused.period_finish, 500, "the whole 100 s remain");
        assert_eq!(
            leftover_scaled(&paused, 400).unwrap(),
            u(1_000) * RATE_SCALE
        );
        // Once someone stakes, all 1000 wei stream to them over the remaining 100 s.
        let resumed = advance(paused, 10_000, u(1)).unwrap();
        assert_eq!(resumed.index, u(1_000) * INDEX_SCALE);
    }

    #[test]
    fn zero_supply_with_finished_stream_keeps_finish() {
        let s = Stream {
            rate: RATE_SCALE,
            period_finish: 100,
            last_update: 100,
            index: u(3),
        };
        let s2 = advance(s, 500, U256::ZERO).unwrap();
        assert_eq!(s2.period_finish, 100);
        assert_eq!(s2.last_update, 500);
        assert_eq!(s2.index, u(3));
    }

    #[test]
    fn notify_rolls_leftover_into_new_rate() {
        let s = notify(Stream::default(), 1_000, u(700), 100).unwrap();
        assert_eq!(s.rate, u(7) * RATE_SCALE);
        assert_eq!(s.period_finish, 1_100);
        let s = advance(s, 1_050, u(1)).unwrap();
        // 350 wei left + 650 new over 100 s.
        let s = notify(s, 1_050, u(650), 100).unwrap();
        assert_eq!(s.rate, u(10) * RATE_SCALE);
        assert_eq!(s.period_finish, 1_150);
    }

    /// Regression (reward-rate truncation, Sherlock Tokemak/Velocimeter): with an unscaled rate
    /// 1 USDC (1e6 wei, 6 decimals) over a week gives `1e6 / 604800 = 1` wei/s and loses 395,200 wei
    /// (40 %). The scaled rate streams every wei but a sub-wei remainder.
    #[test]
    fn reward_rate_truncation_with_6_decimal_tokens() {
        let week = 604_800u64;
        let amount = u(1_000_000);
        let naive_total = (amount / U256::from(week)) * U256::from(week);
        assert_eq!(naive_total, u(604_800), "the unscaled rate would lose 40%");
        let s = notify(Stream::default(), 0, amount, week).unwrap();
        assert!(!s.rate.is_zero());
        // One holder of a 21-decimal share supply (1M shares) collects it all.
        let supply = u(1_000_000) * u(10u128.pow(21));
        let end = advance(s, week, supply).unwrap();
        let paid = earned(supply, end.index, U256::ZERO).unwrap();
        assert!(paid <= amount);
        assert!(amount - paid <= u(1), "lost {} wei", amount - paid);
    }

    #[test]
    fn earned_rounds_down() {
        let d = mul_div_down(u(10), INDEX_SCALE, u(3)).unwrap();
        assert_eq!(earned(u(1), d, U256::ZERO).unwrap(), u(3));
        assert_eq!(earned(u(3), d, U256::ZERO).unwrap(), u(9));
        assert_eq!(earned(U256::ZERO, d, U256::ZERO).unwrap(), U256::ZERO);
        assert_eq!(
            mul_div_down(u(1), INDEX_SCALE, U256::ZERO),
            Err(MathError::DivisionByZero)
        );
        assert_eq!(earned(u(1), u(1), u(2)), Err(MathError::Overflow));
    }

    /// Regression (issue 15, finding 3): a 1-wei notify in the middle of a stream used to spread
    /// the leftover over a new full period (halving the rate). Now the running rate is kept and the
    /// stream is only extended by what the new wei pays for at that rate.
    #[test]
    fn small_notify_cannot_stretch_a_running_stream() {
        let s = notify(Stream::default(), 0, u(1_000_000), 1_000).unwrap();
        assert_eq!(s.rate, u(1_000) * RATE_SCALE);
        let s = advance(s, 500, u(1)).unwrap();
        let s2 = notify(s, 500, u(1), 1_000).unwrap();
        assert_eq!(s2.rate, s.rate, "the running rate is kept");
        assert_eq!(
            s2.period_finish, 1_000,
            "1 wei buys less than a second at 1000 wei/s"
        );
        // A large enough amount restarts the stream over the full duration at a higher rate.
        let s3 = notify(s, 500, u(1_000_000), 1_000).unwrap();
        assert_eq!(s3.rate, u(1_500) * RATE_SCALE);
        assert_eq!(s3.period_finish, 1_500);
        // An amount between the two keeps the rate and extends the end proportionally.
        let s4 = notify(s, 500, u(100_000), 1_000).unwrap();
        assert_eq!((s4.rate, s4.period_finish), (s.rate, 1_100));
    }

    /// Regression (issue 15, finding 1): a distribution is a stream of at least `window` seconds
    /// and never shortens the running stream.
    #[test]
    fn distribute_streams_over_the_window() {
        let s = distribute(Stream::default(), 100, u(3_600), 3_600).unwrap();
        assert_eq!((s.rate, s.period_finish), (RATE_SCALE, 3_700));
        // Nothing is emitted in the block of the distribution.
        assert_eq!(advance(s, 100, u(1)).unwrap().index, U256::ZERO);
        // During a longer stream the amount is added to it until its end.
        let long = notify(Stream::default(), 0, u(100_000), 100_000).unwrap();
        let d = distribute(long, 50_000, u(50_000), 3_600).unwrap();
        assert_eq!((d.rate, d.period_finish), (u(2) * RATE_SCALE, 100_000));
        // Near the end of a fast stream a small distribution keeps the rate (no stretching).
        let fast = notify(Stream::default(), 0, u(1_000_000), 1_000).unwrap();
        let d = distribute(fast, 999, u(10), 3_600).unwrap();
        assert_eq!(d.rate, fast.rate);
        assert_eq!(d.period_finish, 1_000);
    }

    #[test]
    fn notify_rejects_zero_duration_and_overflow() {
        assert_eq!(
            notify(Stream::default(), 0, u(1), 0),
            Err(MathError::DivisionByZero)
        );
        assert_eq!(
            notify(Stream::default(), u64::MAX, u(1), 1),
            Err(MathError::Overflow)
        );
        assert_eq!(
            notify(Stream::default(), 0, U256::MAX, 1),
            Err(MathError::Overflow)
        );
    }

    #[test]
    fn max_funding_keeps_index_in_range() {
        // Everything funded at once, streamed in one second to a single wei of supply.
        let s = notify(Stream::default(), 0, MAX_FUNDING, 1).unwrap();
        let s = advance(s, 1, u(1)).unwrap();
        assert!(s.index <= MAX_FUNDING * INDEX_SCALE);
        let e = earned(u(1), s.index, U256::ZERO).unwrap();
        assert!(e <= MAX_FUNDING);
        let d = mul_div_down(MAX_FUNDING, INDEX_SCALE, u(1)).unwrap();
        assert!(d.checked_add(s.index).is_some());
    }

    /// One step of a random schedule used by the conservation property.
    #[derive(Clone, Debug)]
    enum Op {
        /// Advance time by the given seconds.
        Wait(u32),
        /// Notify `amount` over `duration`.
        Notify(u64, u32),
        /// Instant distribution of `amount`.
        Instant(u64),
        /// Holder `who` changes balance to `balance`.
        SetBalance(usize, u64),
        /// Holder `who` claims.
        Claim(usize),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0u32..200_000).prop_map(Op::Wait),
            (1u64..1_000_000_000_000, 1u32..1_000_000).prop_map(|(a, d)| Op::Notify(a, d)),
            (1u64..1_000_000_000).prop_map(Op::Instant),
            (0usize..3, 0u64..10_000_000_000_000_000).prop_map(|(w, b)| Op::SetBalance(w, b)),
            (0usize..3).prop_map(Op::Claim),
        ]
    }

    /// A funding never lowers a running rate nor ends a running stream earlier.
    fn prop_assert_rate_kept(old: &Stream, new: &Stream, now: u64) {
        if old.period_finish > now {
            assert!(new.rate >= old.rate, "a funding lowered the running rate");
        }
    }

    /// Reference ledger driving the pure functions exactly as the storage layer does.
    struct Ledger {
        now: u64,
        stream: Stream,
        balances: [U256; 3],
        paid: [U256; 3],
        accrued: [U256; 3],
        claimed: U256,
        funded: U256,
    }

    impl Ledger {
        fn supply(&self) -> U256 {
            self.balances.iter().copied().sum()
        }
        fn checkpoint(&mut self, who: usize) {
            let prev = self.stream.index;
            self.stream = advance(self.stream, self.now, self.supply()).unwrap();
            assert!(self.stream.index >= prev, "index must be monotone");
            let e = earned(self.balances[who], self.stream.index, self.paid[who]).unwrap();
            self.accrued[who] += e;
            self.paid[who] = self.stream.index;
        }
        fn pending(&self, who: usize) -> U256 {
            let s = advance(self.stream, self.now, self.supply()).unwrap();
            self.accrued[who] + earned(self.balances[who], s.index, self.paid[who]).unwrap()
        }
        fn apply(&mut self, op: &Op) {
            match *op {
                Op::Wait(dt) => self.now += u64::from(dt),
                Op::Notify(amount, duration) => {
                    self.stream = advance(self.stream, self.now, self.supply()).unwrap();
                    let before = leftover_scaled(&self.stream, self.now).unwrap();
                    let s =
                        notify(self.stream, self.now, U256::from(amount), duration.into()).unwrap();
                    let cap = U256::from(amount) * RATE_SCALE + before;
                    assert!(
                        s.rate * U256::from(s.period_finish - self.now) <= cap,
                        "rate*duration > funded"
                    );
                    prop_assert_rate_kept(&self.stream, &s, self.now);
                    if !s.rate.is_zero() {
                        self.stream = s;
                        self.funded += U256::from(amount);
                    }
                }
                Op::Instant(amount) => {
                    self.stream = advance(self.stream, self.now, self.supply()).unwrap();
                    let s = distribute(self.stream, self.now, U256::from(amount), 3_600).unwrap();
                    prop_assert_rate_kept(&self.stream, &s, self.now);
                    self.stream = s;
                    self.funded += U256::from(amount);
                }
                Op::SetBalance(who, balance) => {
                    self.checkpoint(who);
                    self.balances[who] = U256::from(balance);
                }
                Op::Claim(who) => {
                    self.checkpoint(who);
                    self.claimed += self.accrued[who];
                    self.accrued[who] = U256::ZERO;
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Σ claimed + Σ pending ≤ Σ funded, and the index never decreases, for random schedules.
        #[test]
        fn conservation_and_monotone_index(ops in proptest::collection::vec(op(), 1..60)) {
            let mut l = Ledger {
                now: 1_000,
                stream: Stream { last_update: 1_000, ..Stream::default() },
                balances: [U256::ZERO; 3],
                paid: [U256::ZERO; 3],
                accrued: [U256::ZERO; 3],
                claimed: U256::ZERO,
                funded: U256::ZERO,
            };
            for op in &ops {
                let before = l.stream.index;
                l.apply(op);
                prop_assert!(l.stream.index >= before);
                let pending: U256 = (0..3).map(|w| l.pending(w)).sum();
                prop_assert!(l.claimed + pending <= l.funded,
                    "claimed {} + pending {} > funded {}", l.claimed, pending, l.funded);
            }
        }

        /// A single holder of the whole supply receives the funded amount minus at most one wei per
        /// accrual step, whatever the decimals (no truncation loss).
        #[test]
        fn single_holder_gets_everything(
            amount in 1u64..u64::MAX,
            duration in 1u64..10_000_000,
            supply in 1u128..u128::MAX,
            steps in 1u64..20,
        ) {
            let s0 = notify(Stream::default(), 0, U256::from(amount), duration).unwrap();
            prop_assume!(!s0.rate.is_zero());
            let mut s = s0;
            let mut got = U256::ZERO;
            let mut paid = U256::ZERO;
            for i in 1..=steps {
                s = advance(s, duration * i / steps, U256::from(supply)).unwrap();
                got += earned(U256::from(supply), s.index, paid).unwrap();
                paid = s.index;
            }
            prop_assert!(got <= U256::from(amount));
            // Loss bound per step: one wei from the earned floor plus one from the index floor scaled
            // by supply / 1e36 (more when the supply is huge), plus the sub-wei rate remainder.
            let slack = U256::from(steps + 1) * (U256::from(2) + U256::from(supply) / INDEX_SCALE);
            prop_assert!(U256::from(amount) - got <= slack,
                "lost {} of {}", U256::from(amount) - got, amount);
        }

        /// mul_div_down matches the exact quotient computed with 512-bit arithmetic identities.
        #[test]
        fn mul_div_down_is_floor(a in any::<u128>(), b in any::<u128>(), d in 1u128..) {
            let q = mul_div_down(U256::from(a), U256::from(b), U256::from(d)).unwrap();
            let p = U256::from(a) * U256::from(b);
            prop_assert_eq!(q, p / U256::from(d));
        }
    }
}
