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

use crate::{
    errors::*,
    state::{Rewards, DEFAULT_SOURCE},
};

/// What the reward module needs from its host contract.
pub trait RewardsHost: TopLevelStorage + HostAccess + Sized {
    /// The embedded reward storage.
    fn rewards(&self) -> &Rewards;
    /// The embedded reward storage, mutably.
    fn rewards_mut(&mut self) -> &mut Rewards;
    /// Reward-bearing balance of `account` in `source` (shares, LP tokens, supply or borrow
    /// shares of a market, NFT weight...).
    fn reward_balance_of(&self, source: U256, account: Address) -> U256;
    /// Sum of all reward-bearing balances of `source`.
    fn reward_total_supply(&self, source: U256) -> U256;
    /// Whether `source` is one of the host's reward sources. Default: only [`DEFAULT_SOURCE`]
    /// (single-source hosts).
    fn is_reward_source(&self, source: U256) -> bool {
        source == DEFAULT_SOURCE
    }
    /// The host's owner: adds reward tokens, sets distributors and durations, funds any token and
    /// recovers stray tokens.
    fn reward_admin(&self) -> Address;
    /// External tokens the host holds for its users (the vault's asset, a pool's two tokens...):
    /// never a reward, never recoverable, and their balances must not move when a stray token is
    /// recovered. The host's own address (when it is a token) is always treated as principal.
    fn principal_tokens(&self) -> Vec<Address>;

    /// Whether `token` is principal: the host itself or one of [`Self::principal_tokens`].
    fn is_principal_token(&self, token: Address) -> bool {
        token == self.vm().contract_address() || self.principal_tokens().contains(&token)
    }

    /// Pulls `amount` of reward `token` from `from` and returns what **arrived** (balance delta of
    /// the host), so fee-on-transfer reward tokens are credited what the host actually holds.
    /// Hosts only override it in unit tests (mocked tokens have no balances).
    fn pull_reward(
        &mut self,
        token: Address,
        from: Address,
        amount: U256,
    ) -> Result<U256, RewardsError> {
        let this = self.vm().contract_address();
        Ok(kit::safe_erc20::safe_transfer_from_measured(
            self, token, from, this, amount,
        )?)
    }

    /// Pays `amount` of reward `token` to `to` (a claim). The default is the kit's safe transfer;
    /// a host that books what it holds per token (the royalty NFT accounts balance deltas of
    /// arriving royalties) overrides it to record the outflow before paying.
    fn pay_reward(
        &mut self,
        token: Address,
        to: Address,
        amount: U256,
    ) -> Result<(), RewardsError> {
        safe_transfer(self, token, to, amount)
    }

    /// The host's balance of `token` (a principal or reward token), read around a recovery to
    /// prove it did not move. Hosts only override it in unit tests.
    fn held_balance(&self, token: Address) -> Result<U256, RewardsError> {
        let this = self.vm().contract_address();
        Ok(kit::safe_erc20::balance_of(self.vm(), token, this)?)
    }

    /// Accrues every reward token of `source` and settles `accounts` at their current balances.
    ///
    /// Call it before changing the balance of any of `accounts` in `source` or its total. Takes
    /// at most two accounts (the two sides of a transfer); zero addresses (mint, burn) are
    /// skipped.
    fn checkpoint_rewards(
        &mut self,
        source: U256,
        accounts: &[Address],
    ) -> Result<(), RewardsError> {
        let now = self.vm().block_timestamp();
        let supply = self.reward_total_supply(source);
        let mut pairs = [(Address::ZERO, U256::ZERO); 2];
        let mut n = 0;
        for &a in accounts.iter().take(2) {
            if !a.is_zero() {
                pairs[n] = (a, self.reward_balance_of(source, a));
                n += 1;
            }
        }
        self.rewards_mut()
            .checkpoint(source, now, supply, &pairs[..n])
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

/// The generic implementation of every `IRewards` method, for any [`RewardsHost`].
///
/// [`impl_rewards_abi!`](crate::impl_rewards_abi) routes the ABI to these functions; hosts never
/// re-implement them. Every function takes the reward source; the ABI's short forms pass
/// [`DEFAULT_SOURCE`].
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

    fn source_ok<H: RewardsHost>(host: &H, source: U256) -> Result<(), RewardsError> {
        if !host.is_reward_source(source) {
            return Err(RewardSourceUnknown { source }.into());
        }
        Ok(())
    }

    fn only_admin<H: RewardsHost>(host: &H) -> Result<Address, RewardsError> {
        let caller = host.vm().msg_sender();
        if caller != host.reward_admin() {
            return Err(RewardUnauthorized { caller }.into());
        }
        Ok(caller)
    }

    fn known<H: RewardsHost>(host: &H, source: U256, token: Address) -> Result<(), RewardsError> {
        source_ok(host, source)?;
        if !host.rewards().is_reward(source, token) {
            return Err(RewardTokenUnknown { token }.into());
        }
        Ok(())
    }

    /// `rewardTokens([source])`.
    pub fn reward_tokens<H: RewardsHost>(
        host: &H,
        source: U256,
    ) -> Result<Vec<Address>, RewardsError> {
        source_ok(host, source)?;
        Ok(host.rewards().tokens(source))
    }

    /// `rewardData([source,] token)`: (distributor, duration, periodFinish, rate×1e18, lastUpdate,
    /// rewardPerShare×1e36), the stream brought up to now (a paused stream shows its moved end).
    pub fn reward_data<H: RewardsHost>(
        host: &H,
        source: U256,
        token: Address,
    ) -> Result<(Address, U256, U256, U256, U256, U256), RewardsError> {
        source_ok(host, source)?;
        let i = host.rewards().info(source, token);
        let s = if i.duration == 0 {
            i.stream
        } else {
            let supply = host.reward_total_supply(source);
            host.rewards()
                .current_stream(source, token, now(host), supply)?
        };
        Ok((
            i.distributor,
            U256::from(i.duration),
            U256::from(s.period_finish),
            s.rate,
            U256::from(s.last_update),
            s.index,
        ))
    }

    /// `earned([source,] account, token)`: claimable now.
    pub fn earned<H: RewardsHost>(
        host: &H,
        source: U256,
        account: Address,
        token: Address,
    ) -> Result<U256, RewardsError> {
        source_ok(host, source)?;
        host.rewards().earned(
            source,
            token,
            account,
            host.reward_balance_of(source, account),
            now(host),
            host.reward_total_supply(source),
        )
    }

    /// `claim([source,] tokens, to)`: pays the caller's rewards in `tokens` to `to` (amounts in
    /// the `RewardPaid` events; tokens with nothing accrued are skipped silently).
    pub fn claim<H: RewardsHost>(
        host: &mut H,
        source: U256,
        tokens: Vec<Address>,
        to: Address,
    ) -> Result<(), RewardsError> {
        source_ok(host, source)?;
        if to.is_zero() {
            return Err(RewardZeroAddress {}.into());
        }
        let account = host.vm().msg_sender();
        host.checkpoint_rewards(source, &[account])?;
        for token in tokens {
            if !host.rewards().is_reward(source, token) {
                return Err(RewardTokenUnknown { token }.into());
            }
            let amount = host.rewards_mut().take_accrued(source, token, account);
            if !amount.is_zero() {
                host.pay_reward(token, to, amount)?;
                emit(
                    host,
                    &[
                        RewardPaid::SIGNATURE_HASH,
                        B256::from(source),
                        account.into_word(),
                        token.into_word(),
                    ],
                    &[to.into_word(), amount.into()],
                );
            }
        }
        Ok(())
    }

    /// `claimAll([source,] to)`: [`claim`] over every reward token of the source.
    pub fn claim_all<H: RewardsHost>(
        host: &mut H,
        source: U256,
        to: Address,
    ) -> Result<(), RewardsError> {
        let tokens = host.rewards().tokens(source);
        claim(host, source, tokens, to)
    }

    /// `addReward([source,] token, distributor, duration)`: owner only; never a principal token.
    /// `distributor` may be zero (only the owner funds).
    pub fn add_reward<H: RewardsHost>(
        host: &mut H,
        source: U256,
        token: Address,
        distributor: Address,
        duration: U256,
    ) -> Result<(), RewardsError> {
        only_admin(host)?;
        source_ok(host, source)?;
        if host.is_principal_token(token) {
            return Err(RewardTokenForbidden { token }.into());
        }
        let t = now(host);
        host.rewards_mut()
            .add_reward(source, t, token, distributor, duration)?;
        emit(
            host,
            &[
                RewardAdded::SIGNATURE_HASH,
                B256::from(source),
                token.into_word(),
                distributor.into_word(),
            ],
            &[duration.into()],
        );
        Ok(())
    }

    /// `setRewardsDuration([source,] token, duration)`: owner only, at any time; applies from the
    /// next funding (the running stream keeps its rate and end).
    pub fn set_rewards_duration<H: RewardsHost>(
        host: &mut H,
        source: U256,
        token: Address,
        duration: U256,
    ) -> Result<(), RewardsError> {
        only_admin(host)?;
        known(host, source, token)?;
        host.rewards_mut().set_duration(source, token, duration)?;
        emit(
            host,
            &[
                RewardsDurationUpdated::SIGNATURE_HASH,
                B256::from(source),
                token.into_word(),
            ],
            &[duration.into()],
        );
        Ok(())
    }

    /// `setRewardDistributor([source,] token, distributor)`: owner only; zero revokes.
    pub fn set_reward_distributor<H: RewardsHost>(
        host: &mut H,
        source: U256,
        token: Address,
        distributor: Address,
    ) -> Result<(), RewardsError> {
        only_admin(host)?;
        known(host, source, token)?;
        host.rewards_mut()
            .set_distributor(source, token, distributor)?;
        emit(
            host,
            &[
                RewardDistributorUpdated::SIGNATURE_HASH,
                B256::from(source),
                token.into_word(),
            ],
            &[distributor.into_word()],
        );
        Ok(())
    }

    /// `notifyRewardAmount([source,] token, amount)`: owner or distributor; pulls `amount` and
    /// streams what arrived (plus the leftover) over the token's duration, never lowering the
    /// running rate.
    pub fn notify_reward_amount<H: RewardsHost>(
        host: &mut H,
        source: U256,
        token: Address,
        amount: U256,
    ) -> Result<(), RewardsError> {
        fund(host, source, token, amount, false)
    }

    /// `distribute([source,] token, amount)`: owner or distributor; pulls `amount` and streams
    /// what arrived over at least [`crate::DISTRIBUTION_WINDOW`] (never shortening the running
    /// stream), so same-block capital cannot capture it.
    pub fn distribute<H: RewardsHost>(
        host: &mut H,
        source: U256,
        token: Address,
        amount: U256,
    ) -> Result<(), RewardsError> {
        fund(host, source, token, amount, true)
    }

    /// Shared body of the two funding entry points (one copy in the wasm).
    fn fund<H: RewardsHost>(
        host: &mut H,
        source: U256,
        token: Address,
        amount: U256,
        instant: bool,
    ) -> Result<(), RewardsError> {
        known(host, source, token)?;
        let caller = host.vm().msg_sender();
        if !host
            .rewards()
            .can_fund(source, token, caller, host.reward_admin())
        {
            return Err(RewardUnauthorized { caller }.into());
        }
        if amount.is_zero() {
            return Err(RewardZeroAmount {}.into());
        }
        let (t, supply) = (now(host), host.reward_total_supply(source));
        // The SDK's reentrancy denial stays on, so pulling first (to measure what arrived) cannot
        // be abused by a token callback.
        let received = host.pull_reward(token, caller, amount)?;
        let s = host
            .rewards_mut()
            .fund(source, t, supply, token, received, instant)?;
        let topic = if instant {
            RewardDistributed::SIGNATURE_HASH
        } else {
            RewardNotified::SIGNATURE_HASH
        };
        emit(
            host,
            &[topic, B256::from(source), token.into_word()],
            &[
                received.into(),
                s.rate.into(),
                U256::from(s.period_finish).into(),
            ],
        );
        Ok(())
    }

    /// `recoverERC20(token, amount)`: owner only; sends a stray token to the owner. Never a reward
    /// or principal token, and the balances of every reward and principal token must be unchanged
    /// afterwards (a token with two addresses, "double-entry", cannot drain them).
    pub fn recover_erc20<H: RewardsHost>(
        host: &mut H,
        token: Address,
        amount: U256,
    ) -> Result<(), RewardsError> {
        let owner = only_admin(host)?;
        if host.rewards().is_any_reward(token) || host.is_principal_token(token) {
            return Err(RewardTokenForbidden { token }.into());
        }
        let mut protected = host.principal_tokens();
        protected.extend(host.rewards().all_tokens());
        let mut before = Vec::with_capacity(protected.len());
        for &p in &protected {
            before.push(host.held_balance(p)?);
        }
        safe_transfer(host, token, owner, amount)?;
        for (&p, &b) in protected.iter().zip(&before) {
            if host.held_balance(p)? != b {
                return Err(RewardRecoveryMovedProtected {
                    token,
                    protectedToken: p,
                }
                .into());
            }
        }
        emit(
            host,
            &[Recovered::SIGNATURE_HASH, token.into_word()],
            &[amount.into()],
        );
        Ok(())
    }
}

/// The reward ABI (Solidity `IRewards`), identical on every host. Each function exists in a short
/// form on the default source (single-source hosts such as the vault) and an overload taking the
/// `uint256 source` first (multi-source hosts: a lending market's supply and borrow sides...).
#[public]
pub trait IRewards {
    /// Reward tokens of the default source.
    fn reward_tokens(&self) -> Result<Vec<Address>, RewardsError>;
    /// Reward tokens of `source`.
    #[selector(name = "rewardTokens")]
    fn reward_tokens_of(&self, source: U256) -> Result<Vec<Address>, RewardsError>;
    /// (distributor, duration, periodFinish, rate×1e18, lastUpdate, rewardPerShare×1e36) now.
    fn reward_data(
        &self,
        token: Address,
    ) -> Result<(Address, U256, U256, U256, U256, U256), RewardsError>;
    /// `rewardData` of `token` in `source`.
    #[selector(name = "rewardData")]
    fn reward_data_of(
        &self,
        source: U256,
        token: Address,
    ) -> Result<(Address, U256, U256, U256, U256, U256), RewardsError>;
    /// Rewards of `token` claimable by `account` now.
    fn earned(&self, account: Address, token: Address) -> Result<U256, RewardsError>;
    /// Rewards of `token` in `source` claimable by `account` now.
    #[selector(name = "earned")]
    fn earned_of(
        &self,
        source: U256,
        account: Address,
        token: Address,
    ) -> Result<U256, RewardsError>;
    /// Claims the caller's rewards in `tokens`, paid to `to`.
    fn claim(&mut self, tokens: Vec<Address>, to: Address) -> Result<(), RewardsError>;
    /// Claims the caller's rewards of `source` in `tokens`, paid to `to`.
    #[selector(name = "claim")]
    fn claim_of(
        &mut self,
        source: U256,
        tokens: Vec<Address>,
        to: Address,
    ) -> Result<(), RewardsError>;
    /// Claims the caller's rewards in every reward token, paid to `to`.
    fn claim_all(&mut self, to: Address) -> Result<(), RewardsError>;
    /// Claims the caller's rewards of `source` in every reward token, paid to `to`.
    #[selector(name = "claimAll")]
    fn claim_all_of(&mut self, source: U256, to: Address) -> Result<(), RewardsError>;
    /// Owner: registers a reward token with its distributor (zero: none) and stream duration.
    fn add_reward(
        &mut self,
        token: Address,
        distributor: Address,
        duration: U256,
    ) -> Result<(), RewardsError>;
    /// Owner: registers a reward token of `source`.
    #[selector(name = "addReward")]
    fn add_reward_of(
        &mut self,
        source: U256,
        token: Address,
        distributor: Address,
        duration: U256,
    ) -> Result<(), RewardsError>;
    /// Owner: changes the stream duration (from the next funding on).
    fn set_rewards_duration(&mut self, token: Address, duration: U256) -> Result<(), RewardsError>;
    /// Owner: changes the stream duration of `token` in `source`.
    #[selector(name = "setRewardsDuration")]
    fn set_rewards_duration_of(
        &mut self,
        source: U256,
        token: Address,
        duration: U256,
    ) -> Result<(), RewardsError>;
    /// Owner: replaces (zero: revokes) the distributor of `token`.
    fn set_reward_distributor(
        &mut self,
        token: Address,
        distributor: Address,
    ) -> Result<(), RewardsError>;
    /// Owner: replaces the distributor of `token` in `source`.
    #[selector(name = "setRewardDistributor")]
    fn set_reward_distributor_of(
        &mut self,
        source: U256,
        token: Address,
        distributor: Address,
    ) -> Result<(), RewardsError>;
    /// Owner or distributor: pulls `amount` and streams what arrived over the duration.
    fn notify_reward_amount(&mut self, token: Address, amount: U256) -> Result<(), RewardsError>;
    /// Owner or distributor: `notifyRewardAmount` on `source`.
    #[selector(name = "notifyRewardAmount")]
    fn notify_reward_amount_of(
        &mut self,
        source: U256,
        token: Address,
        amount: U256,
    ) -> Result<(), RewardsError>;
    /// Owner or distributor: pulls `amount` and streams what arrived over at least the
    /// distribution window (same-block capital earns nothing).
    fn distribute(&mut self, token: Address, amount: U256) -> Result<(), RewardsError>;
    /// Owner or distributor: `distribute` on `source`.
    #[selector(name = "distribute")]
    fn distribute_of(
        &mut self,
        source: U256,
        token: Address,
        amount: U256,
    ) -> Result<(), RewardsError>;
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
            fn reward_tokens(
                &self,
            ) -> Result<$crate::__private::Vec<$crate::__private::Address>, $crate::RewardsError>
            {
                $crate::abi::reward_tokens(self, $crate::DEFAULT_SOURCE)
            }
            #[selector(name = "rewardTokens")]
            fn reward_tokens_of(
                &self,
                source: $crate::__private::U256,
            ) -> Result<$crate::__private::Vec<$crate::__private::Address>, $crate::RewardsError>
            {
                $crate::abi::reward_tokens(self, source)
            }
            fn reward_data(
                &self,
                token: $crate::__private::Address,
            ) -> Result<$crate::__private::RewardDataTuple, $crate::RewardsError> {
                $crate::abi::reward_data(self, $crate::DEFAULT_SOURCE, token)
            }
            #[selector(name = "rewardData")]
            fn reward_data_of(
                &self,
                source: $crate::__private::U256,
                token: $crate::__private::Address,
            ) -> Result<$crate::__private::RewardDataTuple, $crate::RewardsError> {
                $crate::abi::reward_data(self, source, token)
            }
            fn earned(
                &self,
                account: $crate::__private::Address,
                token: $crate::__private::Address,
            ) -> Result<$crate::__private::U256, $crate::RewardsError> {
                $crate::abi::earned(self, $crate::DEFAULT_SOURCE, account, token)
            }
            #[selector(name = "earned")]
            fn earned_of(
                &self,
                source: $crate::__private::U256,
                account: $crate::__private::Address,
                token: $crate::__private::Address,
            ) -> Result<$crate::__private::U256, $crate::RewardsError> {
                $crate::abi::earned(self, source, account, token)
            }
            fn claim(
                &mut self,
                tokens: $crate::__private::Vec<$crate::__private::Address>,
                to: $crate::__private::Address,
            ) -> Result<(), $crate::RewardsError> {
                $crate::abi::claim(self, $crate::DEFAULT_SOURCE, tokens, to)
            }
            #[selector(name = "claim")]
            fn claim_of(
                &mut self,
                source: $crate::__private::U256,
                tokens: $crate::__private::Vec<$crate::__private::Address>,
                to: $crate::__private::Address,
            ) -> Result<(), $crate::RewardsError> {
                $crate::abi::claim(self, source, tokens, to)
            }
            fn claim_all(
                &mut self,
                to: $crate::__private::Address,
            ) -> Result<(), $crate::RewardsError> {
                $crate::abi::claim_all(self, $crate::DEFAULT_SOURCE, to)
            }
            #[selector(name = "claimAll")]
            fn claim_all_of(
                &mut self,
                source: $crate::__private::U256,
                to: $crate::__private::Address,
            ) -> Result<(), $crate::RewardsError> {
                $crate::abi::claim_all(self, source, to)
            }
            fn add_reward(
                &mut self,
                token: $crate::__private::Address,
                distributor: $crate::__private::Address,
                duration: $crate::__private::U256,
            ) -> Result<(), $crate::RewardsError> {
                $crate::abi::add_reward(self, $crate::DEFAULT_SOURCE, token, distributor, duration)
            }
            #[selector(name = "addReward")]
            fn add_reward_of(
                &mut self,
                source: $crate::__private::U256,
                token: $crate::__private::Address,
                distributor: $crate::__private::Address,
                duration: $crate::__private::U256,
            ) -> Result<(), $crate::RewardsError> {
                $crate::abi::add_reward(self, source, token, distributor, duration)
            }
            fn set_rewards_duration(
                &mut self,
                token: $crate::__private::Address,
                duration: $crate::__private::U256,
            ) -> Result<(), $crate::RewardsError> {
                $crate::abi::set_rewards_duration(self, $crate::DEFAULT_SOURCE, token, duration)
            }
            #[selector(name = "setRewardsDuration")]
            fn set_rewards_duration_of(
                &mut self,
                source: $crate::__private::U256,
                token: $crate::__private::Address,
                duration: $crate::__private::U256,
            ) -> Result<(), $crate::RewardsError> {
                $crate::abi::set_rewards_duration(self, source, token, duration)
            }
            fn set_reward_distributor(
                &mut self,
                token: $crate::__private::Address,
                distributor: $crate::__private::Address,
            ) -> Result<(), $crate::RewardsError> {
                $crate::abi::set_reward_distributor(
                    self,
                    $crate::DEFAULT_SOURCE,
                    token,
                    distributor,
                )
            }
            #[selector(name = "setRewardDistributor")]
            fn set_reward_distributor_of(
                &mut self,
                source: $crate::__private::U256,
                token: $crate::__private::Address,
                distributor: $crate::__private::Address,
            ) -> Result<(), $crate::RewardsError> {
                $crate::abi::set_reward_distributor(self, source, token, distributor)
            }
            fn notify_reward_amount(
                &mut self,
                token: $crate::__private::Address,
                amount: $crate::__private::U256,
            ) -> Result<(), $crate::RewardsError> {
                $crate::abi::notify_reward_amount(self, $crate::DEFAULT_SOURCE, token, amount)
            }
            #[selector(name = "notifyRewardAmount")]
            fn notify_reward_amount_of(
                &mut self,
                source: $crate::__private::U256,
                token: $crate::__private::Address,
                amount: $crate::__private::U256,
            ) -> Result<(), $crate::RewardsError> {
                $crate::abi::notify_reward_amount(self, source, token, amount)
            }
            fn distribute(
                &mut self,
                token: $crate::__private::Address,
                amount: $crate::__private::U256,
            ) -> Result<(), $crate::RewardsError> {
                $crate::abi::distribute(self, $crate::DEFAULT_SOURCE, token, amount)
            }
            #[selector(name = "distribute")]
            fn distribute_of(
                &mut self,
                source: $crate::__private::U256,
                token: $crate::__private::Address,
                amount: $crate::__private::U256,
            ) -> Result<(), $crate::RewardsError> {
                $crate::abi::distribute(self, source, token, amount)
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
