//! Storage of the reward module and its state transitions (no external calls, no host access:
//! time, supply and balances come in as arguments, so every rule is unit-testable).

use alloc::vec::Vec;
use alloy_primitives::{Address, U256, U64};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageMap, StorageU256, StorageU64, StorageVec},
};

use crate::{
    errors::*,
    math::{self, Stream, MAX_FUNDING},
    MAX_DURATION, MAX_REWARD_TOKENS,
};

/// Per reward token configuration and accumulator (5 slots: distributor+duration packed,
/// finish+lastUpdate packed, rate, index, lifetime funding).
#[storage]
pub struct RewardData {
    /// Account allowed to fund this token besides the owner.
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
    /// Lifetime amount funded (streamed + instant), capped at `MAX_FUNDING`.
    funded: StorageU256,
}

/// Per (reward token, account) bookkeeping.
#[storage]
pub struct UserReward {
    /// Index at the account's last checkpoint.
    paid: StorageU256,
    /// Rewards accrued but not yet claimed.
    accrued: StorageU256,
}

/// The reward module's storage, embedded as one field of a host contract.
#[storage]
pub struct Rewards {
    /// Registered reward tokens, at most [`MAX_REWARD_TOKENS`].
    tokens: StorageVec<StorageAddress>,
    /// Configuration and accumulator per reward token.
    data: StorageMap<Address, RewardData>,
    /// Per token, per account: paid index and accrued amount.
    users: StorageMap<Address, StorageMap<Address, UserReward>>,
}

/// Public view of one reward token (`IRewards.rewardData`).
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

impl Rewards {
    /// Registered reward tokens in registration order.
    pub fn tokens(&self) -> Vec<Address> {
        (0..self.tokens.len())
            .filter_map(|i| self.tokens.get(i))
            .collect()
    }

    /// Whether `token` is a registered reward token.
    pub fn is_reward(&self, token: Address) -> bool {
        !self.data.getter(token).duration.get().is_zero()
    }

    /// Stored configuration and stream of `token` (zeroes if unknown).
    pub fn info(&self, token: Address) -> RewardInfo {
        let d = self.data.getter(token);
        RewardInfo {
            distributor: d.distributor.get(),
            duration: u64_of(d.duration.get()),
            stream: self.stream(token),
            funded: d.funded.get(),
        }
    }

    /// Stored stream of `token` only (3 slots: what a checkpoint needs).
    pub fn stream(&self, token: Address) -> Stream {
        let d = self.data.getter(token);
        Stream {
            rate: d.rate.get(),
            period_finish: u64_of(d.period_finish.get()),
            last_update: u64_of(d.last_update.get()),
            index: d.index.get(),
        }
    }

    fn known(&self, token: Address) -> Result<RewardInfo, RewardsError> {
        let info = self.info(token);
        if info.duration == 0 {
            return Err(RewardTokenUnknown { token }.into());
        }
        Ok(info)
    }

    fn store_stream(&mut self, token: Address, old: &Stream, new: &Stream) {
        let mut d = self.data.setter(token);
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

    /// Stream of `token` brought up to `now` without writing it.
    pub fn current_stream(
        &self,
        token: Address,
        now: u64,
        total_supply: U256,
    ) -> Result<Stream, RewardsError> {
        Ok(math::advance(self.stream(token), now, total_supply)?)
    }

    /// Accrues every reward token up to `now` and settles each `(account, balance)` pair.
    ///
    /// The host calls this **before** it changes any balance, with the balances and total supply as
    /// they are before the change. The zero address (mint and burn counterparty) is skipped. An
    /// account seen for the first time has balance 0, so it earns nothing and its paid index is set
    /// to the current index (no accrual from index 0, Compound Proposal 62).
    pub fn checkpoint(
        &mut self,
        now: u64,
        total_supply: U256,
        accounts: &[(Address, U256)],
    ) -> Result<(), RewardsError> {
        for i in 0..self.tokens.len() {
            let Some(token) = self.tokens.get(i) else {
                continue;
            };
            let old = self.stream(token);
            let s = math::advance(old, now, total_supply)?;
            self.store_stream(token, &old, &s);
            for &(account, balance) in accounts {
                if account.is_zero() {
                    continue;
                }
                let mut by_token = self.users.setter(token);
                let mut user = by_token.setter(account);
                let paid = user.paid.get();
                if paid == s.index {
                    continue;
                }
                let e = math::earned(balance, s.index, paid)?;
                if !e.is_zero() {
                    let accrued = user.accrued.get().checked_add(e);
                    user.accrued
                        .set(accrued.ok_or(RewardsError::from(math::MathError::Overflow))?);
                }
                user.paid.set(s.index);
            }
        }
        Ok(())
    }

    /// Rewards of `token` claimable by `account` holding `balance` at `now` (view).
    pub fn earned(
        &self,
        token: Address,
        account: Address,
        balance: U256,
        now: u64,
        total_supply: U256,
    ) -> Result<U256, RewardsError> {
        let s = self.current_stream(token, now, total_supply)?;
        let u = self.users.getter(token);
        let user = u.getter(account);
        let e = math::earned(balance, s.index, user.paid.get())?;
        user.accrued
            .get()
            .checked_add(e)
            .ok_or_else(|| math::MathError::Overflow.into())
    }

    /// Index at `account`'s last checkpoint for `token`.
    pub fn paid_index(&self, token: Address, account: Address) -> U256 {
        self.users.getter(token).getter(account).paid.get()
    }

    /// Zeroes and returns what `account` has accrued in `token` (call after a checkpoint).
    pub fn take_accrued(&mut self, token: Address, account: Address) -> U256 {
        let mut by_token = self.users.setter(token);
        let mut user = by_token.setter(account);
        let amount = user.accrued.get();
        if !amount.is_zero() {
            user.accrued.set(U256::ZERO);
        }
        amount
    }

    /// Registers `token` (owner action, checked by the caller).
    pub fn add_reward(
        &mut self,
        now: u64,
        token: Address,
        distributor: Address,
        duration: U256,
    ) -> Result<(), RewardsError> {
        if token.is_zero() || distributor.is_zero() {
            return Err(RewardZeroAddress {}.into());
        }
        let duration = valid_duration(duration)?;
        if self.is_reward(token) {
            return Err(RewardTokenExists { token }.into());
        }
        if self.tokens.len() >= MAX_REWARD_TOKENS {
            return Err(RewardTokenLimit {
                max: U256::from(MAX_REWARD_TOKENS),
            }
            .into());
        }
        self.tokens.push(token);
        let mut d = self.data.setter(token);
        d.distributor.set(distributor);
        d.duration.set(U64::from(duration));
        d.last_update.set(U64::from(now));
        Ok(())
    }

    /// Changes the stream duration of `token`; only between periods.
    pub fn set_duration(
        &mut self,
        now: u64,
        token: Address,
        duration: U256,
    ) -> Result<(), RewardsError> {
        let info = self.known(token)?;
        let duration = valid_duration(duration)?;
        if now < info.stream.period_finish {
            return Err(RewardPeriodActive {
                token,
                periodFinish: U256::from(info.stream.period_finish),
            }
            .into());
        }
        self.data.setter(token).duration.set(U64::from(duration));
        Ok(())
    }

    /// Whether `caller` may fund `token` (its distributor or the host's admin).
    pub fn can_fund(&self, token: Address, caller: Address, admin: Address) -> bool {
        caller == admin || self.data.getter(token).distributor.get() == caller
    }

    fn add_funding(
        &mut self,
        token: Address,
        funded: U256,
        amount: U256,
    ) -> Result<(), RewardsError> {
        match funded.checked_add(amount) {
            Some(total) if total <= MAX_FUNDING => {
                self.data.setter(token).funded.set(total);
                Ok(())
            }
            _ => Err(RewardFundingCap { token }.into()),
        }
    }

    /// Starts a stream of `amount` over the token's duration, rolling in the leftover.
    ///
    /// Accrues `token` first (with the supply before the call). Returns the new stream. The caller
    /// pulls the tokens afterwards.
    pub fn notify(
        &mut self,
        now: u64,
        total_supply: U256,
        token: Address,
        amount: U256,
    ) -> Result<Stream, RewardsError> {
        self.fund(now, total_supply, token, amount, false)
    }

    /// Credits `amount` to current holders at once (`index += amount * 1e36 / supply`).
    ///
    /// With a zero supply there is nobody to credit: the amount is streamed instead, exactly as
    /// [`Rewards::notify`] (which then pauses until shares exist). Returns the new stream.
    pub fn distribute(
        &mut self,
        now: u64,
        total_supply: U256,
        token: Address,
        amount: U256,
    ) -> Result<Stream, RewardsError> {
        self.fund(now, total_supply, token, amount, true)
    }

    /// Shared body of [`Rewards::notify`] and [`Rewards::distribute`] (`instant` with a zero
    /// supply streams).
    pub fn fund(
        &mut self,
        now: u64,
        total_supply: U256,
        token: Address,
        amount: U256,
        instant: bool,
    ) -> Result<Stream, RewardsError> {
        let info = self.known(token)?;
        if amount.is_zero() {
            return Err(RewardZeroAmount {}.into());
        }
        let mut s = math::advance(info.stream, now, total_supply)?;
        if instant && !total_supply.is_zero() {
            let delta = math::instant_delta(amount, total_supply)?;
            s.index = s
                .index
                .checked_add(delta)
                .ok_or(RewardsError::from(math::MathError::Overflow))?;
        } else {
            // `amount >= 1` and `duration <= MAX_DURATION < 1e18` make the new rate non-zero.
            s = math::notify(s, now, amount, info.duration)?;
        }
        self.add_funding(token, info.funded, amount)?;
        self.store_stream(token, &info.stream, &s);
        Ok(s)
    }
}

fn valid_duration(duration: U256) -> Result<u64, RewardsError> {
    if duration.is_zero() || duration > U256::from(MAX_DURATION) {
        return Err(RewardInvalidDuration { duration }.into());
    }
    Ok(duration.to::<u64>())
}
