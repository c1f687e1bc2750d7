//! Storage of the reward module and its state transitions (no external calls, no host access:
//! time, supply and balances come in as arguments, so every rule is unit-testable).
//!
//! # Layout
//! One host holds any number of reward **sources** (a balance ledger with its own total: the
//! vault's shares, a market's supply shares, the same market's borrow shares, an NFT collection's
//! weights...), keyed by a `uint256` source id. Each source has its own list of at most
//! [`MAX_REWARD_TOKENS`] reward tokens, streams and per-account state; a checkpoint touches one
//! source only, so its cost is bounded by that list. Single-source hosts use
//! [`DEFAULT_SOURCE`].

use alloc::vec::Vec;
use alloy_primitives::{Address, U256, U64};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageMap, StorageU256, StorageU64, StorageVec},
};

use crate::{
    errors::*,
    math::{self, Stream, MAX_FUNDING},
    DISTRIBUTION_WINDOW, MAX_DURATION, MAX_HOST_REWARD_TOKENS, MAX_REWARD_TOKENS,
};

/// The source of single-source hosts (the vault's shares).
pub const DEFAULT_SOURCE: U256 = U256::ZERO;

/// Per (source, reward token) configuration and accumulator (5 slots: distributor+duration packed,
/// finish+lastUpdate packed, rate, index, lifetime funding).
#[storage]
pub struct RewardData {
    /// Account allowed to fund this token besides the owner (zero: the owner only).
    distributor: StorageAddress,
    /// Length of a stream started by `notifyRewardAmount`, in seconds. Non-zero once registered.
    duration: StorageU64,
    /// End of the current stream.
    period_finish: StorageU64,
    /// Time up to which `index` is accrued.
    last_update: StorageU64,
    /// Emission rate, wei per second scaled by 1e18.
    rate: StorageU256,
    /// Reward per share, scaled by 1e36.
    index: StorageU256,
    /// Lifetime amount funded (streamed + distributed), capped at `MAX_FUNDING`.
    funded: StorageU256,
}

/// Per (source, reward token, account) bookkeeping.
#[storage]
pub struct UserReward {
    /// Index at the account's last checkpoint.
    paid: StorageU256,
    /// Rewards accrued but not yet claimed.
    accrued: StorageU256,
}

/// One reward source: its reward tokens, their streams and the accounts' state.
#[storage]
pub struct Source {
    /// Registered reward tokens, at most [`MAX_REWARD_TOKENS`].
    tokens: StorageVec<StorageAddress>,
    /// Configuration and accumulator per reward token.
    data: StorageMap<Address, RewardData>,
    /// Per token, per account: paid index and accrued amount.
    users: StorageMap<Address, StorageMap<Address, UserReward>>,
}

/// The reward module's storage, embedded as one field of a host contract.
#[storage]
pub struct Rewards {
    /// Reward sources by id.
    sources: StorageMap<U256, Source>,
    /// Every distinct reward token of the host (any source), at most
    /// [`MAX_HOST_REWARD_TOKENS`]: the tokens `recoverERC20` must leave untouched.
    all_tokens: StorageVec<StorageAddress>,
}

/// Public view of one reward token of a source (`IRewards.rewardData`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RewardInfo {
    /// Account allowed to fund the token besides the owner.
    pub distributor: Address,
    /// Stream duration in seconds.
    pub duration: u64,
    /// Stored stream state (index as of `last_update`).
    pub stream: Stream,
    /// Lifetime funded amount.
    pub funded: U256,
}

fn u64_of(x: U64) -> u64 {
    x.to::<u64>()
}

fn overflow() -> RewardsError {
    math::MathError::Overflow.into()
}

impl Rewards {
    /// Registered reward tokens of `source` in registration order.
    pub fn tokens(&self, source: U256) -> Vec<Address> {
        let src = self.sources.getter(source);
        (0..src.tokens.len())
            .filter_map(|i| src.tokens.get(i))
            .collect()
    }

    /// Every distinct reward token of the host, over all sources.
    pub fn all_tokens(&self) -> Vec<Address> {
        (0..self.all_tokens.len())
            .filter_map(|i| self.all_tokens.get(i))
            .collect()
    }

    /// Whether `token` is a reward token of `source`.
    pub fn is_reward(&self, source: U256, token: Address) -> bool {
        !self
            .sources
            .getter(source)
            .data
            .getter(token)
            .duration
            .get()
            .is_zero()
    }

    /// Whether `token` is a reward token of any source of the host.
    pub fn is_any_reward(&self, token: Address) -> bool {
        (0..self.all_tokens.len()).any(|i| self.all_tokens.get(i) == Some(token))
    }

    /// Stored configuration and stream of `token` in `source` (zeroes if unknown).
    pub fn info(&self, source: U256, token: Address) -> RewardInfo {
        let src = self.sources.getter(source);
        let d = src.data.getter(token);
        RewardInfo {
            distributor: d.distributor.get(),
            duration: u64_of(d.duration.get()),
            stream: Stream {
                rate: d.rate.get(),
                period_finish: u64_of(d.period_finish.get()),
                last_update: u64_of(d.last_update.get()),
                index: d.index.get(),
            },
            funded: d.funded.get(),
        }
    }

    /// Stored stream of `token` in `source` only (3 slots: what a checkpoint needs).
    pub fn stream(&self, source: U256, token: Address) -> Stream {
        let src = self.sources.getter(source);
        let d = src.data.getter(token);
        Stream {
            rate: d.rate.get(),
            period_finish: u64_of(d.period_finish.get()),
            last_update: u64_of(d.last_update.get()),
            index: d.index.get(),
        }
    }

    fn known(&self, source: U256, token: Address) -> Result<RewardInfo, RewardsError> {
        let info = self.info(source, token);
        if info.duration == 0 {
            return Err(RewardTokenUnknown { token }.into());
        }
        Ok(info)
    }

    fn store_stream(&mut self, source: U256, token: Address, old: &Stream, new: &Stream) {
        let mut src = self.sources.setter(source);
        let mut d = src.data.setter(token);
        if new.last_update != old.last_update {
            d.last_update.set(U64::from(new.last_update));
        }
        if new.period_finish != old.period_finish {
            d.period_finish.set(U64::from(new.period_finish));
        }
        if new.rate != old.rate {
            d.rate.set(new.rate);
        }
        if new.index != old.index {
            d.index.set(new.index);
        }
    }

    /// Stream of `token` in `source` brought up to `now` without writing it (what `rewardData`
    /// reports: a paused zero-supply stream shows its moved `periodFinish`).
    pub fn current_stream(
        &self,
        source: U256,
        token: Address,
        now: u64,
        total_supply: U256,
    ) -> Result<Stream, RewardsError> {
        Ok(math::advance(
            self.stream(source, token),
            now,
            total_supply,
        )?)
    }

    /// Accrues every reward token of `source` up to `now` and settles each `(account, balance)`.
    ///
    /// The host calls this **before** it changes any balance of the source, with the balances and
    /// total as they are before the change. The zero address (mint and burn counterparty) is
    /// skipped. An account seen for the first time has balance 0, so it earns nothing and its paid
    /// index is set to the current index (no accrual from index 0, Compound Proposal 62). Bounded:
    /// at most [`MAX_REWARD_TOKENS`] tokens × the given accounts.
    pub fn checkpoint(
        &mut self,
        source: U256,
        now: u64,
        total_supply: U256,
        accounts: &[(Address, U256)],
    ) -> Result<(), RewardsError> {
        let mut src = self.sources.setter(source);
        let n = src.tokens.len();
        for i in 0..n {
            let Some(token) = src.tokens.get(i) else {
                continue;
            };
            let index = {
                let mut d = src.data.setter(token);
                let last = u64_of(d.last_update.get());
                // Same slot as `last_update`: free once that is read.
                let finish = u64_of(d.period_finish.get());
                // A stream accrued up to its end is frozen: `advance` would only move
                // `last_update`, which no later accrual or funding reads past the end (both
                // clamp at `period_finish`). Skip its writes and the rate read.
                if now > last && finish > last {
                    let old = Stream {
                        rate: d.rate.get(),
                        period_finish: finish,
                        last_update: last,
                        index: d.index.get(),
                    };
                    let s = math::advance(old, now, total_supply)?;
                    d.last_update.set(U64::from(s.last_update));
                    if s.period_finish != old.period_finish {
                        d.period_finish.set(U64::from(s.period_finish));
                    }
                    if s.index != old.index {
                        d.index.set(s.index);
                    }
                    s.index
                } else {
                    d.index.get()
                }
            };
            for &(account, balance) in accounts {
                if account.is_zero() {
                    continue;
                }
                let mut by_token = src.users.setter(token);
                let mut user = by_token.setter(account);
                let paid = user.paid.get();
                if paid == index {
                    continue;
                }
                let e = math::earned(balance, index, paid)?;
                if !e.is_zero() {
                    let accrued = user.accrued.get().checked_add(e);
                    user.accrued.set(accrued.ok_or_else(overflow)?);
                }
                user.paid.set(index);
            }
        }
        Ok(())
    }

    /// Rewards of `token` in `source` claimable by `account` holding `balance` at `now` (view).
    pub fn earned(
        &self,
        source: U256,
        token: Address,
        account: Address,
        balance: U256,
        now: u64,
        total_supply: U256,
    ) -> Result<U256, RewardsError> {
        let s = self.current_stream(source, token, now, total_supply)?;
        let src = self.sources.getter(source);
        let u = src.users.getter(token);
        let user = u.getter(account);
        let e = math::earned(balance, s.index, user.paid.get())?;
        user.accrued.get().checked_add(e).ok_or_else(overflow)
    }

    /// Index at `account`'s last checkpoint for `token` in `source`.
    pub fn paid_index(&self, source: U256, token: Address, account: Address) -> U256 {
        self.sources
            .getter(source)
            .users
            .getter(token)
            .getter(account)
            .paid
            .get()
    }

    /// Zeroes and returns what `account` has accrued in `token` of `source` (call after a
    /// checkpoint).
    pub fn take_accrued(&mut self, source: U256, token: Address, account: Address) -> U256 {
        let mut src = self.sources.setter(source);
        let mut by_token = src.users.setter(token);
        let mut user = by_token.setter(account);
        let amount = user.accrued.get();
        if !amount.is_zero() {
            user.accrued.set(U256::ZERO);
        }
        amount
    }

    /// Registers `token` in `source` (owner action, checked by the caller). `distributor` may be
    /// zero (only the owner funds).
    pub fn add_reward(
        &mut self,
        source: U256,
        now: u64,
        token: Address,
        distributor: Address,
        duration: U256,
    ) -> Result<(), RewardsError> {
        if token.is_zero() {
            return Err(RewardZeroAddress {}.into());
        }
        let duration = valid_duration(duration)?;
        if self.is_reward(source, token) {
            return Err(RewardTokenExists { token }.into());
        }
        if self.sources.getter(source).tokens.len() >= MAX_REWARD_TOKENS {
            return Err(RewardTokenLimit {
                max: U256::from(MAX_REWARD_TOKENS),
            }
            .into());
        }
        if !self.is_any_reward(token) {
            if self.all_tokens.len() >= MAX_HOST_REWARD_TOKENS {
                return Err(RewardTokenLimit {
                    max: U256::from(MAX_HOST_REWARD_TOKENS),
                }
                .into());
            }
            self.all_tokens.push(token);
        }
        let mut src = self.sources.setter(source);
        src.tokens.push(token);
        let mut d = src.data.setter(token);
        d.distributor.set(distributor);
        d.duration.set(U64::from(duration));
        d.last_update.set(U64::from(now));
        Ok(())
    }

    /// Changes the stream duration of `token` in `source` (owner action). It applies to the next
    /// funding; the running stream keeps its rate and end.
    pub fn set_duration(
        &mut self,
        source: U256,
        token: Address,
        duration: U256,
    ) -> Result<(), RewardsError> {
        self.known(source, token)?;
        let duration = valid_duration(duration)?;
        self.sources
            .setter(source)
            .data
            .setter(token)
            .duration
            .set(U64::from(duration));
        Ok(())
    }

    /// Replaces (or, with zero, revokes) the distributor of `token` in `source` (owner action).
    pub fn set_distributor(
        &mut self,
        source: U256,
        token: Address,
        distributor: Address,
    ) -> Result<(), RewardsError> {
        self.known(source, token)?;
        self.sources
            .setter(source)
            .data
            .setter(token)
            .distributor
            .set(distributor);
        Ok(())
    }

    /// Whether `caller` may fund `token` of `source` (its distributor or the host's admin).
    pub fn can_fund(&self, source: U256, token: Address, caller: Address, admin: Address) -> bool {
        if caller == admin {
            return true;
        }
        let d = self
            .sources
            .getter(source)
            .data
            .getter(token)
            .distributor
            .get();
        !d.is_zero() && d == caller
    }

    /// Streams `amount` (what actually arrived) of `token` in `source`, rolling in the leftover.
    ///
    /// `instant == false` (`notifyRewardAmount`): over the token's duration. `instant == true`
    /// (`distribute`): over at least [`DISTRIBUTION_WINDOW`] and never before the running stream
    /// ends. Either way a funding never lowers the running rate ([`math::fund`]). Accrues `token`
    /// first (with the total before the call). Returns the new stream.
    pub fn fund(
        &mut self,
        source: U256,
        now: u64,
        total_supply: U256,
        token: Address,
        amount: U256,
        instant: bool,
    ) -> Result<Stream, RewardsError> {
        let info = self.known(source, token)?;
        if amount.is_zero() {
            return Err(RewardZeroAmount {}.into());
        }
        let s = math::advance(info.stream, now, total_supply)?;
        // `amount >= 1` and lengths <= MAX_DURATION < 1e18 make the new rate non-zero.
        let s = if instant {
            math::distribute(s, now, amount, DISTRIBUTION_WINDOW)?
        } else {
            math::notify(s, now, amount, info.duration)?
        };
        match info.funded.checked_add(amount) {
            Some(total) if total <= MAX_FUNDING => {
                self.sources
                    .setter(source)
                    .data
                    .setter(token)
                    .funded
                    .set(total);
            }
            _ => return Err(RewardFundingCap { token }.into()),
        }
        self.store_stream(source, token, &info.stream, &s);
        Ok(s)
    }
}

fn valid_duration(duration: U256) -> Result<u64, RewardsError> {
    if duration.is_zero() || duration > U256::from(MAX_DURATION) {
        return Err(RewardInvalidDuration { duration }.into());
    }
    Ok(duration.to::<u64>())
}
