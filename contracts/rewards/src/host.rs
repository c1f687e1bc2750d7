//! The host seam and the one reward ABI every host exposes.
//!
//! A host (vault, pool, market, NFT) embeds a [`Rewards`] field, implements [`RewardsHost`] (where
//! the field is, what a balance and the total supply are, who the owner is, which tokens are its
//! principal) and calls [`RewardsHost::checkpoint_rewards`] **before** every balance change. The
//! [`impl_rewards_abi!`](crate::impl_rewards_abi) macro then generates the `IRewards` router from the
//! generic functions in [`abi`], so every host answers the same selectors with the same code.

use alloc::vec::Vec;
use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::SolEvent;
use stylus_sdk::prelude::*;

use crate::{errors::*, state::Rewards};

/// What the reward module needs from its host contract.
pub trait RewardsHost: TopLevelStorage + HostAccess + Sized {
    /// The embedded reward storage.
    fn rewards(&self) -> &Rewards;
    /// The embedded reward storage, mutably.
    fn rewards_mut(&mut self) -> &mut Rewards;
    /// Reward-bearing balance of `account` (shares, LP tokens, NFTs held...).
    fn reward_balance_of(&self, account: Address) -> U256;
    /// Sum of all reward-bearing balances.
    fn reward_total_supply(&self) -> U256;
    /// The host's owner: may add reward tokens, fund any of them and recover stray tokens.
    fn reward_admin(&self) -> Address;
    /// Whether `token` is a principal token of the host (held for users: never a reward, never
    /// recoverable). Hosts should include their own address when they are a token.
    fn is_principal_token(&self, token: Address) -> bool;

    /// Accrues all reward tokens and settles `accounts` at their current balances.
    ///
    /// Call it before changing the balance of any of `accounts` or the total supply. Takes at most
    /// two accounts (the two sides of a transfer); zero addresses (mint, burn) are skipped.
    fn checkpoint_rewards(&mut self, accounts: &[Address]) -> Result<(), RewardsError> {
        let now = self.vm().block_timestamp();
        let supply = self.reward_total_supply();
        let mut pairs = [(Address::ZERO, U256::ZERO); 2];
        let mut n = 0;
        for &a in accounts.iter().take(2) {
            if !a.is_zero() {
                pairs[n] = (a, self.reward_balance_of(a));
                n += 1;
            }
        }
        self.rewards_mut().checkpoint(now, supply, &pairs[..n])
    }
}

/// Sends `amount` of `token` from the host to `to` (kit safe transfer).
pub fn safe_transfer<H: RewardsHost>(
    host: &mut H,
    token: Address,
    to: Address,
    amount: U256,
) -> Result<(), RewardsError> {
    Ok(kit::safe_erc20::safe_transfer(host, token, to, amount)?)
}

/// Pulls `amount` of `token` from `from` into the host (needs an allowance).
pub fn safe_transfer_from<H: RewardsHost>(
    host: &mut H,
    token: Address,
    from: Address,
    amount: U256,
) -> Result<(), RewardsError> {
    let to = host.vm().contract_address();
    Ok(kit::safe_erc20::safe_transfer_from(
        host, token, from, to, amount,
    )?)
}

/// The generic implementation of every `IRewards` method, for any [`RewardsHost`].
///
/// [`impl_rewards_abi!`](crate::impl_rewards_abi) routes the ABI to these functions; hosts never
/// re-implement them.
pub mod abi {
    use super::*;

    /// Emits a log from raw topics and 32-byte data words: one small function instead of one
    /// generic encoder per event type (the events are declared in [`crate::errors`]).
    fn emit<H: RewardsHost>(host: &H, topics: &[B256], words: &[B256]) {
        let mut data = Vec::with_capacity(words.len() * 32);
        for w in words {
            data.extend_from_slice(w.as_slice());
        }
        let _ = host.vm().raw_log(topics, &data);
    }

    fn now<H: RewardsHost>(host: &H) -> u64 {
        host.vm().block_timestamp()
    }

    fn only_admin<H: RewardsHost>(host: &H) -> Result<Address, RewardsError> {
        let caller = host.vm().msg_sender();
        if caller != host.reward_admin() {
            return Err(RewardUnauthorized { caller }.into());
        }
        Ok(caller)
    }

    fn only_funder<H: RewardsHost>(host: &H, token: Address) -> Result<Address, RewardsError> {
        let caller = host.vm().msg_sender();
        if !host.rewards().is_reward(token) {
            return Err(RewardTokenUnknown { token }.into());
        }
        if !host.rewards().can_fund(token, caller, host.reward_admin()) {
            return Err(RewardUnauthorized { caller }.into());
        }
        Ok(caller)
    }

    /// `rewardTokens()`.
    pub fn reward_tokens<H: RewardsHost>(host: &H) -> Vec<Address> {
        host.rewards().tokens()
    }

    /// `rewardData(token)`: (distributor, duration, periodFinish, rate×1e18, lastUpdate,
    /// rewardPerShare×1e36) as stored.
    pub fn reward_data<H: RewardsHost>(
        host: &H,
        token: Address,
    ) -> (Address, U256, U256, U256, U256, U256) {
        let i = host.rewards().info(token);
        (
            i.distributor,
            U256::from(i.duration),
            U256::from(i.stream.period_finish),
            i.stream.rate,
            U256::from(i.stream.last_update),
            i.stream.index,
        )
    }

    /// `earned(account, token)`: claimable now.
    pub fn earned<H: RewardsHost>(
        host: &H,
        account: Address,
        token: Address,
    ) -> Result<U256, RewardsError> {
        host.rewards().earned(
            token,
            account,
            host.reward_balance_of(account),
            now(host),
            host.reward_total_supply(),
        )
    }

    /// `claim(tokens, to)`: pays the caller's rewards in `tokens` to `to` (amounts in the
    /// `RewardPaid` events; tokens with nothing accrued are skipped silently).
    pub fn claim<H: RewardsHost>(
        host: &mut H,
        tokens: Vec<Address>,
        to: Address,
    ) -> Result<(), RewardsError> {
        if to.is_zero() {
            return Err(RewardZeroAddress {}.into());
        }
        let account = host.vm().msg_sender();
        host.checkpoint_rewards(&[account])?;
        for token in tokens {
            if !host.rewards().is_reward(token) {
                return Err(RewardTokenUnknown { token }.into());
            }
            let amount = host.rewards_mut().take_accrued(token, account);
            if !amount.is_zero() {
                safe_transfer(host, token, to, amount)?;
                emit(
                    host,
                    &[
                        RewardPaid::SIGNATURE_HASH,
                        account.into_word(),
                        token.into_word(),
                    ],
                    &[to.into_word(), amount.into()],
                );
            }
        }
        Ok(())
    }

    /// `claimAll(to)`: [`claim`] over every reward token.
    pub fn claim_all<H: RewardsHost>(host: &mut H, to: Address) -> Result<(), RewardsError> {
        let tokens = host.rewards().tokens();
        claim(host, tokens, to)
    }

    /// `addReward(token, distributor, duration)`: owner only; never a principal token.
    pub fn add_reward<H: RewardsHost>(
        host: &mut H,
        token: Address,
        distributor: Address,
        duration: U256,
    ) -> Result<(), RewardsError> {
        only_admin(host)?;
        if host.is_principal_token(token) {
            return Err(RewardTokenForbidden { token }.into());
        }
        let t = now(host);
        host.rewards_mut()
            .add_reward(t, token, distributor, duration)?;
        emit(
            host,
            &[
                RewardAdded::SIGNATURE_HASH,
                token.into_word(),
                distributor.into_word(),
            ],
            &[duration.into()],
        );
        Ok(())
    }

    /// `setRewardsDuration(token, duration)`: owner or distributor, between periods.
    pub fn set_rewards_duration<H: RewardsHost>(
        host: &mut H,
        token: Address,
        duration: U256,
    ) -> Result<(), RewardsError> {
        only_funder(host, token)?;
        let t = now(host);
        host.rewards_mut().set_duration(t, token, duration)?;
        emit(
            host,
            &[RewardsDurationUpdated::SIGNATURE_HASH, token.into_word()],
            &[duration.into()],
        );
        Ok(())
    }

    /// `notifyRewardAmount(token, amount)`: owner or distributor; pulls `amount` and streams it
    /// (plus the leftover) over the token's duration.
    pub fn notify_reward_amount<H: RewardsHost>(
        host: &mut H,
        token: Address,
        amount: U256,
    ) -> Result<(), RewardsError> {
        fund(host, token, amount, false)
    }

    /// `distribute(token, amount)`: owner or distributor; pulls `amount` and credits it to current
    /// holders at once (streamed instead while the supply is zero).
    pub fn distribute<H: RewardsHost>(
        host: &mut H,
        token: Address,
        amount: U256,
    ) -> Result<(), RewardsError> {
        fund(host, token, amount, true)
    }

    /// Shared body of the two funding entry points (one copy in the wasm).
    fn fund<H: RewardsHost>(
        host: &mut H,
        token: Address,
        amount: U256,
        instant: bool,
    ) -> Result<(), RewardsError> {
        let caller = only_funder(host, token)?;
        let (t, supply) = (now(host), host.reward_total_supply());
        let instant = instant && !supply.is_zero();
        let s = host.rewards_mut().fund(t, supply, token, amount, instant)?;
        safe_transfer_from(host, token, caller, amount)?;
        if instant {
            emit(
                host,
                &[RewardDistributed::SIGNATURE_HASH, token.into_word()],
                &[amount.into(), s.index.into()],
            );
        } else {
            emit(
                host,
                &[RewardNotified::SIGNATURE_HASH, token.into_word()],
                &[
                    amount.into(),
                    s.rate.into(),
                    U256::from(s.period_finish).into(),
                ],
            );
        }
        Ok(())
    }

    /// `recoverERC20(token, amount)`: owner only; sends a stray token to the owner. Never a reward
    /// or principal token.
    pub fn recover_erc20<H: RewardsHost>(
        host: &mut H,
        token: Address,
        amount: U256,
    ) -> Result<(), RewardsError> {
        let owner = only_admin(host)?;
        if host.rewards().is_reward(token) || host.is_principal_token(token) {
            return Err(RewardTokenForbidden { token }.into());
        }
        safe_transfer(host, token, owner, amount)?;
        emit(
            host,
            &[Recovered::SIGNATURE_HASH, token.into_word()],
            &[amount.into()],
        );
        Ok(())
    }
}

/// The reward ABI (Solidity `IRewards`), identical on every host.
#[public]
pub trait IRewards {
    /// Registered reward tokens.
    fn reward_tokens(&self) -> Vec<Address>;
    /// (distributor, duration, periodFinish, rate×1e18, lastUpdate, rewardPerShare×1e36).
    fn reward_data(&self, token: Address) -> (Address, U256, U256, U256, U256, U256);
    /// Rewards of `token` claimable by `account` now.
    fn earned(&self, account: Address, token: Address) -> Result<U256, RewardsError>;
    /// Claims the caller's rewards in `tokens`, paid to `to`.
    fn claim(&mut self, tokens: Vec<Address>, to: Address) -> Result<(), RewardsError>;
    /// Claims the caller's rewards in every reward token, paid to `to`.
    fn claim_all(&mut self, to: Address) -> Result<(), RewardsError>;
    /// Owner: registers a reward token with its distributor and stream duration.
    fn add_reward(
        &mut self,
        token: Address,
        distributor: Address,
        duration: U256,
    ) -> Result<(), RewardsError>;
    /// Owner or distributor: changes the stream duration once the current period ended.
    fn set_rewards_duration(&mut self, token: Address, duration: U256) -> Result<(), RewardsError>;
    /// Owner or distributor: pulls `amount` and streams it over the duration.
    fn notify_reward_amount(&mut self, token: Address, amount: U256) -> Result<(), RewardsError>;
    /// Owner or distributor: pulls `amount` and credits it to current holders at once.
    fn distribute(&mut self, token: Address, amount: U256) -> Result<(), RewardsError>;
    /// Owner: sends a stray token (never a reward or principal token) to the owner.
    #[selector(name = "recoverERC20")]
    fn recover_erc20(&mut self, token: Address, amount: U256) -> Result<(), RewardsError>;
}

/// Implements [`IRewards`] for a host type that implements [`RewardsHost`].
///
/// ```ignore
/// #[public]
/// #[implements(rewards::IRewards)]
/// impl StakingVault { /* ... */ }
/// rewards::impl_rewards_abi!(StakingVault);
/// ```
#[macro_export]
macro_rules! impl_rewards_abi {
    ($host:ty) => {
        #[stylus_sdk::prelude::public]
        impl $crate::IRewards for $host {
            fn reward_tokens(&self) -> $crate::__private::Vec<$crate::__private::Address> {
                $crate::abi::reward_tokens(self)
            }
            fn reward_data(
                &self,
                token: $crate::__private::Address,
            ) -> (
                $crate::__private::Address,
                $crate::__private::U256,
                $crate::__private::U256,
                $crate::__private::U256,
                $crate::__private::U256,
                $crate::__private::U256,
            ) {
                $crate::abi::reward_data(self, token)
            }
            fn earned(
                &self,
                account: $crate::__private::Address,
                token: $crate::__private::Address,
            ) -> Result<$crate::__private::U256, $crate::RewardsError> {
                $crate::abi::earned(self, account, token)
            }
            fn claim(
                &mut self,
                tokens: $crate::__private::Vec<$crate::__private::Address>,
                to: $crate::__private::Address,
            ) -> Result<(), $crate::RewardsError> {
                $crate::abi::claim(self, tokens, to)
            }
            fn claim_all(
                &mut self,
                to: $crate::__private::Address,
            ) -> Result<(), $crate::RewardsError> {
                $crate::abi::claim_all(self, to)
            }
            fn add_reward(
                &mut self,
                token: $crate::__private::Address,
                distributor: $crate::__private::Address,
                duration: $crate::__private::U256,
            ) -> Result<(), $crate::RewardsError> {
                $crate::abi::add_reward(self, token, distributor, duration)
            }
            fn set_rewards_duration(
                &mut self,
                token: $crate::__private::Address,
                duration: $crate::__private::U256,
            ) -> Result<(), $crate::RewardsError> {
                $crate::abi::set_rewards_duration(self, token, duration)
            }
            fn notify_reward_amount(
                &mut self,
                token: $crate::__private::Address,
                amount: $crate::__private::U256,
            ) -> Result<(), $crate::RewardsError> {
                $crate::abi::notify_reward_amount(self, token, amount)
            }
            fn distribute(
                &mut self,
                token: $crate::__private::Address,
                amount: $crate::__private::U256,
            ) -> Result<(), $crate::RewardsError> {
                $crate::abi::distribute(self, token, amount)
            }
            #[selector(name = "recoverERC20")]
            fn recover_erc20(
                &mut self,
                token: $crate::__private::Address,
                amount: $crate::__private::U256,
            ) -> Result<(), $crate::RewardsError> {
                $crate::abi::recover_erc20(self, token, amount)
            }
        }
    };
}
