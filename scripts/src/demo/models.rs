//! Independent models of what each income stream pays, written from the published formulas and
//! not from the contracts, so the demo (and its e2e test) check on-chain results to the wei:
//!
//! * [`StreamModel`]: a Synthetix-style reward stream (vault rewards, LP incentives, supply
//!   incentives: the policy of `contracts/rewards`);
//! * [`PairModel`]: a Uniswap-V2 constant-product pair with the 0.3% fee, driven through the
//!   router's `addLiquidity` / `swapExactTokensForTokens` / `removeLiquidity` arithmetic;
//! * [`MarketModel`]: one Morpho Blue market (virtual shares, `wTaylorCompounded` interest, the
//!   suite's jump-rate IRM);
//! * [`SplitModel`]: the royalty NFT's split (holders' part of each royalty, rounded down, streamed
//!   with [`StreamModel::distribute`]; creators' pull ledger on cumulative totals).

use std::collections::BTreeMap;

use alloy::primitives::{Address, U256, U512};

use crate::params::{irm_rate_at, WAD};

/// `n` whole tokens of 18 decimals.
pub fn units(n: u64) -> U256 {
    U256::from(n) * U256::from(WAD)
}

/// Scale of the stored rate (reward wei per second × 1e18).
const RATE_SCALE: u64 = 1_000_000_000_000_000_000;

fn mul_div_floor(a: U256, b: U256, d: U256) -> U256 {
    let q = U512::from(a) * U512::from(b) / U512::from(d);
    U256::from(q)
}

fn index_scale() -> U256 {
    U256::from(RATE_SCALE) * U256::from(RATE_SCALE)
}

/// Reference model of a Synthetix-style stream with a 1e18-scaled rate, a 1e36-scaled index and a
/// paused stream at zero supply (the policy of `contracts/rewards`), written independently from the
/// contract so the demo and its test can check on-chain results to the wei.
#[derive(Clone, Debug, Default)]
pub struct StreamModel {
    rate: U256,
    period_finish: u64,
    last_update: u64,
    index: U256,
    supply: U256,
    accounts: BTreeMap<Address, (U256, U256, U256)>, // balance, paid index, accrued
}

impl StreamModel {
    /// A model with no stream and no holders.
    pub fn new() -> Self {
        Self::default()
    }

    fn advance(&mut self, now: u64) {
        if now <= self.last_update {
            return;
        }
        if self.supply.is_zero() {
            if self.period_finish > self.last_update {
                self.period_finish += now - self.last_update;
            }
        } else {
            let end = now.min(self.period_finish);
            if end > self.last_update {
                let emitted = self.rate * U256::from(end - self.last_update);
                self.index += mul_div_floor(emitted, U256::from(RATE_SCALE), self.supply);
            }
        }
        self.last_update = now;
    }

    fn settle(&mut self, who: Address) {
        let index = self.index;
        let (balance, paid, accrued) = self.accounts.entry(who).or_default();
        if index > *paid && !balance.is_zero() {
            *accrued += mul_div_floor(*balance, index - *paid, index_scale());
        }
        *paid = index;
    }

    /// `notifyRewardAmount(amount)` over `duration` at `now`.
    pub fn notify(&mut self, now: u64, amount: U256, duration: u64) {
        self.advance(now);
        let leftover = if self.period_finish > now {
            self.rate * U256::from(self.period_finish - now)
        } else {
            U256::ZERO
        };
        self.rate = (amount * U256::from(RATE_SCALE) + leftover) / U256::from(duration);
        self.last_update = now;
        self.period_finish = now + duration;
    }

    /// `distribute(amount)` at `now`: streamed over at least `window` seconds and never ending
    /// before the running stream; a funding whose restart rate would be below the running rate
    /// keeps that rate and only extends the stream by what the new amount pays for.
    pub fn distribute(&mut self, now: u64, amount: U256, window: u64) {
        self.advance(now);
        let remaining = self.period_finish.saturating_sub(now);
        let len = window.max(remaining);
        let leftover = self.rate * U256::from(remaining);
        let funded = amount * U256::from(RATE_SCALE) + leftover;
        let restart = funded / U256::from(len);
        if remaining > 0 && !self.rate.is_zero() && restart < self.rate {
            self.period_finish = now + (funded / self.rate).to::<u64>();
        } else {
            self.rate = restart;
            self.period_finish = now + len;
        }
        self.last_update = now;
    }

    /// `who`'s share balance changes to `balance` at `now`.
    pub fn set_balance(&mut self, now: u64, who: Address, balance: U256) {
        self.advance(now);
        self.settle(who);
        let entry = self.accounts.entry(who).or_default();
        self.supply = self.supply - entry.0 + balance;
        entry.0 = balance;
    }

    /// What `who` could claim at `now`.
    pub fn earned(&self, now: u64, who: Address) -> U256 {
        let mut copy = self.clone();
        copy.advance(now);
        copy.settle(who);
        copy.accounts.get(&who).map(|a| a.2).unwrap_or_default()
    }

    /// `who` claims at `now`; returns the amount paid.
    pub fn claim(&mut self, now: u64, who: Address) -> U256 {
        self.advance(now);
        self.settle(who);
        let entry = self.accounts.entry(who).or_default();
        std::mem::take(&mut entry.2)
    }
}

// ---------------------------------------------------------------------------------------------
// Constant-product pair (Uniswap V2, 0.3% fee, protocol fee off)
// ---------------------------------------------------------------------------------------------

/// LP tokens locked forever by the first mint (`MINIMUM_LIQUIDITY`).
pub const MINIMUM_LIQUIDITY: u64 = 1_000;

/// A pair of token `A` (sUSD) and token `B` (sETH), seen through the router with `A` first.
#[derive(Clone, Debug, Default)]
pub struct PairModel {
    /// Reserve of A.
    pub reserve_a: U256,
    /// Reserve of B.
    pub reserve_b: U256,
    /// LP total supply (including the locked minimum).
    pub supply: U256,
}

impl PairModel {
    /// `addLiquidity(A, B, a_desired, b_desired, 0, 0)`: the amounts the router takes (the
    /// desired amounts for an empty pair, else the optimal ones at the reserves' ratio,
    /// `quote` rounding down) and the LP minted (`sqrt(a·b) − 1000` first, then
    /// `min(a·S/rA, b·S/rB)`). Returns `(a, b, lp)`.
    pub fn add_liquidity(&mut self, a_desired: U256, b_desired: U256) -> (U256, U256, U256) {
        let (a, b) = if self.reserve_a.is_zero() && self.reserve_b.is_zero() {
            (a_desired, b_desired)
        } else {
            let b_opt = a_desired * self.reserve_b / self.reserve_a;
            if b_opt <= b_desired {
                (a_desired, b_opt)
            } else {
                (b_desired * self.reserve_a / self.reserve_b, b_desired)
            }
        };
        let lp = if self.supply.is_zero() {
            self.supply = U256::from(MINIMUM_LIQUIDITY);
            (a * b).root(2) - U256::from(MINIMUM_LIQUIDITY)
        } else {
            (a * self.supply / self.reserve_a).min(b * self.supply / self.reserve_b)
        };
        self.supply += lp;
        self.reserve_a += a;
        self.reserve_b += b;
        (a, b, lp)
    }

    /// `getAmountOut`: `in·997·rOut / (rIn·1000 + in·997)`, rounded down.
    pub fn amount_out(amount_in: U256, reserve_in: U256, reserve_out: U256) -> U256 {
        let with_fee = amount_in * U256::from(997u64);
        with_fee * reserve_out / (reserve_in * U256::from(1_000u64) + with_fee)
    }

    /// Swaps `amount_in` of A for B; returns the B paid out.
    pub fn swap_a_for_b(&mut self, amount_in: U256) -> U256 {
        let out = Self::amount_out(amount_in, self.reserve_a, self.reserve_b);
        self.reserve_a += amount_in;
        self.reserve_b -= out;
        out
    }

    /// Swaps `amount_in` of B for A; returns the A paid out.
    pub fn swap_b_for_a(&mut self, amount_in: U256) -> U256 {
        let out = Self::amount_out(amount_in, self.reserve_b, self.reserve_a);
        self.reserve_b += amount_in;
        self.reserve_a -= out;
        out
    }

    /// Burns `lp`: each reserve's pro-rata share, rounded down. Returns `(a, b)`.
    pub fn remove_liquidity(&mut self, lp: U256) -> (U256, U256) {
        let a = lp * self.reserve_a / self.supply;
        let b = lp * self.reserve_b / self.supply;
        self.supply -= lp;
        self.reserve_a -= a;
        self.reserve_b -= b;
        (a, b)
    }
}

// ---------------------------------------------------------------------------------------------
// Morpho Blue market (fee 0)
// ---------------------------------------------------------------------------------------------

fn wad() -> U256 {
    U256::from(WAD)
}

/// Morpho's `VIRTUAL_SHARES`.
const VIRTUAL_SHARES: u64 = 1_000_000;

fn mul_div_up(x: U256, y: U256, d: U256) -> U256 {
    (x * y).div_ceil(d)
}

/// `e^(x·n) − 1` by its first three Taylor terms (Morpho's `wTaylorCompounded`).
pub fn w_taylor_compounded(x: U256, n: U256) -> U256 {
    let first = x * n;
    let second = first * first / (U256::from(2u64) * wad());
    let third = second * first / (U256::from(3u64) * wad());
    first + second + third
}

/// One market's totals as Morpho keeps them, with its share maths (virtual shares 1e6, virtual
/// assets 1) and the suite IRM's rate at the utilisation before each accrual.
#[derive(Clone, Debug, Default)]
pub struct MarketModel {
    /// totalSupplyAssets
    pub supply_assets: U256,
    /// totalSupplyShares
    pub supply_shares: U256,
    /// totalBorrowAssets
    pub borrow_assets: U256,
    /// totalBorrowShares
    pub borrow_shares: U256,
    /// lastUpdate
    pub last_update: u64,
    /// Interest accrued so far.
    pub interest: U256,
}

impl MarketModel {
    /// A market created at `now`.
    pub fn new(now: u64) -> Self {
        Self {
            last_update: now,
            ..Self::default()
        }
    }

    /// The IRM's per-second rate at the current utilisation (borrow / supply, rounded down).
    pub fn rate(&self) -> U256 {
        let u = if self.supply_assets.is_zero() {
            U256::ZERO
        } else {
            (self.borrow_assets * wad() / self.supply_assets).min(wad())
        };
        irm_rate_at(u)
    }

    /// `_accrueInterest` at `now`: `borrow · wTaylorCompounded(rate, elapsed)` rounded down.
    pub fn accrue(&mut self, now: u64) {
        if now <= self.last_update {
            return;
        }
        let elapsed = U256::from(now - self.last_update);
        let interest = self.borrow_assets * w_taylor_compounded(self.rate(), elapsed) / wad();
        self.borrow_assets += interest;
        self.supply_assets += interest;
        self.interest += interest;
        self.last_update = now;
    }

    /// `supply(assets)` at `now`: the shares minted (rounded down).
    pub fn supply(&mut self, now: u64, assets: U256) -> U256 {
        self.accrue(now);
        let shares = assets * (self.supply_shares + U256::from(VIRTUAL_SHARES))
            / (self.supply_assets + U256::from(1u64));
        self.supply_assets += assets;
        self.supply_shares += shares;
        shares
    }

    /// `withdraw(0, shares)` at `now`: the assets paid (rounded down).
    pub fn withdraw(&mut self, now: u64, shares: U256) -> U256 {
        self.accrue(now);
        let assets = shares * (self.supply_assets + U256::from(1u64))
            / (self.supply_shares + U256::from(VIRTUAL_SHARES));
        self.supply_assets -= assets;
        self.supply_shares -= shares;
        assets
    }

    /// `borrow(assets)` at `now`: the debt shares (rounded up).
    pub fn borrow(&mut self, now: u64, assets: U256) -> U256 {
        self.accrue(now);
        let shares = mul_div_up(
            assets,
            self.borrow_shares + U256::from(VIRTUAL_SHARES),
            self.borrow_assets + U256::from(1u64),
        );
        self.borrow_assets += assets;
        self.borrow_shares += shares;
        shares
    }

    /// `repay(0, shares)` at `now`: the assets owed (rounded up).
    pub fn repay(&mut self, now: u64, shares: U256) -> U256 {
        self.accrue(now);
        let assets = mul_div_up(
            shares,
            self.borrow_assets + U256::from(1u64),
            self.borrow_shares + U256::from(VIRTUAL_SHARES),
        );
        self.borrow_assets = self.borrow_assets.saturating_sub(assets);
        self.borrow_shares -= shares;
        assets
    }
}

// ---------------------------------------------------------------------------------------------
// Royalty split (holders / creators)
// ---------------------------------------------------------------------------------------------

/// Basis-point denominator.
const BPS: u64 = 10_000;

/// The royalty NFT's money split: of each accounted royalty `a`, holders get
/// `⌊a · holderBps / 10⁴⌋` and creators the rest; mint proceeds go to creators whole. Creator
/// `i` with share `sᵢ` may withdraw `⌊C · sᵢ / 10⁴⌋ − wᵢ` of the cumulative creator total `C`.
#[derive(Clone, Debug, Default)]
pub struct SplitModel {
    holder_bps: u64,
    shares: Vec<(Address, u64)>,
    /// Cumulative creator total `C`.
    pub creator_total: U256,
    withdrawn: BTreeMap<Address, U256>,
}

impl SplitModel {
    /// A split with `holder_bps` for holders and creator `shares` (bps summing to 10⁴).
    pub fn new(holder_bps: u64, shares: Vec<(Address, u64)>) -> Self {
        Self {
            holder_bps,
            shares,
            ..Self::default()
        }
    }

    /// Mint proceeds: all to creators.
    pub fn proceeds(&mut self, amount: U256) {
        self.creator_total += amount;
    }

    /// A royalty of `amount`: returns `(holders, creators)`, crediting the creators' part.
    pub fn royalty(&mut self, amount: U256) -> (U256, U256) {
        let holders = amount * U256::from(self.holder_bps) / U256::from(BPS);
        let creators = amount - holders;
        self.creator_total += creators;
        (holders, creators)
    }

    /// What `who` may withdraw now (zero for a non-recipient).
    pub fn owed(&self, who: Address) -> U256 {
        let share = self
            .shares
            .iter()
            .find(|(a, _)| *a == who)
            .map_or(0, |(_, s)| *s);
        let entitled = self.creator_total * U256::from(share) / U256::from(BPS);
        entitled - self.withdrawn.get(&who).copied().unwrap_or_default()
    }

    /// `who` withdraws everything owed; returns it.
    pub fn withdraw(&mut self, who: Address) -> U256 {
        let owed = self.owed(who);
        *self.withdrawn.entry(who).or_default() += owed;
        owed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(n: u8) -> Address {
        Address::repeat_byte(n)
    }

    #[test]
    fn single_holder_gets_the_stream_minus_rounding() {
        let mut m = StreamModel::new();
        let a = addr(1);
        m.set_balance(100, a, units(10));
        m.notify(100, units(604_800), 604_800);
        // Half the period: exactly half the rewards (rate is a whole number of tokens per second).
        assert_eq!(m.earned(100 + 302_400, a), units(302_400));
        // After the end: everything, nothing more later.
        assert_eq!(m.claim(100 + 604_800 + 50, a), units(604_800));
        assert_eq!(m.earned(100 + 2 * 604_800, a), U256::ZERO);
    }

    #[test]
    fn two_holders_split_by_time_and_share() {
        let mut m = StreamModel::new();
        let (a, b) = (addr(1), addr(2));
        m.set_balance(0, a, U256::from(1_000u64));
        m.notify(0, U256::from(1_000u64), 100); // 10 wei/s
        m.set_balance(10, b, U256::from(3_000u64)); // a alone for 10 s: 100 wei
                                                    // Then 20 s at 1:3 → a +50, b +150.
        assert_eq!(m.claim(30, a), U256::from(150u64));
        assert_eq!(m.claim(30, b), U256::from(150u64));
    }

    #[test]
    fn stream_pauses_at_zero_supply() {
        let mut m = StreamModel::new();
        let a = addr(1);
        m.notify(0, U256::from(100u64), 10); // nobody staked
        m.set_balance(50, a, U256::from(1u64)); // stream resumes here with 10 s left
        assert_eq!(m.claim(55, a), U256::from(50u64));
        assert_eq!(m.claim(1_000, a), U256::from(50u64));
    }

    #[test]
    fn rounding_is_down_per_account() {
        let mut m = StreamModel::new();
        let (a, b) = (addr(1), addr(2));
        m.set_balance(0, a, U256::from(1u64));
        m.set_balance(0, b, U256::from(2u64));
        m.notify(0, U256::from(10u64), 10); // 1 wei/s over 3 shares
        assert_eq!(m.claim(10, a), U256::from(3u64)); // 3.33 → 3
        assert_eq!(m.claim(10, b), U256::from(6u64)); // 6.66 → 6
    }

    fn e18(n: u64) -> U256 {
        units(n)
    }

    #[test]
    fn pair_round_trip_leaves_the_fee_in_the_pool() {
        let mut p = PairModel::default();
        let (a, b, lp) = p.add_liquidity(e18(2_000), e18(1));
        assert_eq!((a, b), (e18(2_000), e18(1)));
        // sqrt(2000e18 · 1e18) = sqrt(2000)·1e18
        assert_eq!(
            lp + U256::from(MINIMUM_LIQUIDITY),
            (e18(2_000) * e18(1)).root(2)
        );
        let eth = p.swap_a_for_b(e18(1_000));
        let usd = p.swap_b_for_a(eth);
        // B is back where it was; A kept the fees (≈0.6% of the round trip).
        assert_eq!(p.reserve_b, e18(1));
        let kept = p.reserve_a - e18(2_000);
        assert_eq!(kept, e18(1_000) - usd);
        assert!(kept > e18(3) && kept < e18(7), "{kept}");
        // The only LP gets it all back (less rounding), the locked minimum keeps its share.
        let (a_out, b_out) = p.remove_liquidity(lp);
        assert!(a_out > e18(2_000) && b_out < e18(1));
    }

    #[test]
    fn pair_second_deposit_uses_the_ratio() {
        let mut p = PairModel::default();
        p.add_liquidity(e18(2_000), e18(1));
        p.swap_a_for_b(e18(100)); // B becomes dearer: fewer B per A
        let (ra, rb, s) = (p.reserve_a, p.reserve_b, p.supply);
        let (a, b, lp) = p.add_liquidity(e18(2_000), e18(1));
        assert_eq!(a, e18(2_000));
        assert_eq!(b, e18(2_000) * rb / ra);
        assert!(b < e18(1));
        assert_eq!(lp, (a * s / ra).min(b * s / rb));
    }

    #[test]
    fn taylor_matches_exp_closely() {
        // 10% a year for a year: e^0.1 − 1 = 0.105170918…; three terms give 0.105166666…
        let rate = U256::from(WAD / 10 / crate::params::YEAR as u128);
        let got = w_taylor_compounded(rate, U256::from(crate::params::YEAR));
        let approx = got.to::<u128>() as f64 / WAD as f64;
        assert!((approx - 0.105_166).abs() < 1e-5, "{approx}");
    }

    #[test]
    fn market_interest_goes_to_suppliers_by_shares() {
        let mut m = MarketModel::new(0);
        let a = m.supply(0, e18(2_000));
        assert_eq!(a, e18(2_000) * U256::from(VIRTUAL_SHARES));
        let d = m.borrow(0, e18(1_800));
        let b = m.supply(86_400, e18(2_000));
        assert!(b < a, "later supplier gets fewer shares per asset");
        let owed = m.repay(3 * 86_400, d);
        // The sole borrower owes everything borrowed plus all interest (rounded up, 1 wei slack).
        assert!(
            owed >= e18(1_800) + m.interest && owed <= e18(1_800) + m.interest + U256::from(1u64)
        );
        assert!(m.borrow_assets.is_zero() && m.borrow_shares.is_zero());
        let out_a = m.withdraw(3 * 86_400, a);
        let out_b = m.withdraw(3 * 86_400, b);
        assert!(out_a > e18(2_000) && out_b > e18(2_000) && out_a > out_b);
        // Everything but rounding dust goes back out.
        assert!(out_a + out_b <= e18(4_000) + m.interest);
        assert!(e18(4_000) + m.interest - (out_a + out_b) < U256::from(10u64));
    }

    #[test]
    fn distribute_streams_over_a_day_and_never_lowers_the_rate() {
        let mut m = StreamModel::new();
        let (a, b) = (addr(1), addr(2));
        m.set_balance(0, a, U256::from(1u64));
        m.distribute(0, U256::from(86_400u64), 86_400); // 1 wei/s for a day
        m.set_balance(43_200, b, U256::from(1u64));
        // Half a day later a small top-up: the running rate (1 wei/s) is kept, the stream only
        // extended by what 100 wei pay for (100 s).
        m.distribute(43_200, U256::from(100u64), 86_400);
        assert_eq!(m.claim(10 * 86_400, a), U256::from(43_200u64 + 21_650));
        assert_eq!(m.claim(10 * 86_400, b), U256::from(21_650u64));
        // A fresh, large distribution after the end restarts over the window.
        m.distribute(20 * 86_400, U256::from(2 * 86_400u64), 86_400);
        assert_eq!(m.claim(30 * 86_400, a), U256::from(86_400u64));
    }

    #[test]
    fn split_rounds_holders_down_and_creators_on_cumulative_totals() {
        let (e, f) = (addr(5), addr(6));
        let mut s = SplitModel::new(5_000, vec![(e, 7_000), (f, 3_000)]);
        s.proceeds(U256::from(10u64));
        assert_eq!(
            s.royalty(U256::from(3u64)),
            (U256::from(1u64), U256::from(2u64))
        );
        assert_eq!(s.creator_total, U256::from(12u64));
        assert_eq!(s.withdraw(e), U256::from(8u64)); // ⌊12·0.7⌋
        assert_eq!(
            s.royalty(U256::from(7u64)),
            (U256::from(3u64), U256::from(4u64))
        );
        // C = 16: erin ⌊11.2⌋ − 8 = 3, frank ⌊4.8⌋ = 4; 1 wei of dust stays.
        assert_eq!(s.withdraw(e), U256::from(3u64));
        assert_eq!(s.withdraw(f), U256::from(4u64));
        assert_eq!(s.owed(addr(9)), U256::ZERO);
    }
}
