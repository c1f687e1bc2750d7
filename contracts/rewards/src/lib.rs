//! Stylus Yield reward module: multi-source, multi-token streamed rewards for any host contract.
//!
//! A **library**, not a contract: each product (vault, pool, lending market, NFT) embeds a
//! [`Rewards`] storage field and exposes the same `IRewards` ABI through
//! [`impl_rewards_abi!`]. Embedding avoids the 9–25k-gas entry fee of a call into another Stylus
//! program and the SDK's default denial of reentrant calls (a separate module could not call back
//! into its host for balances).
//!
//! The Solidity interface is `contracts/rewards/abi/IRewards.sol`. A host too large for the
//! 24,576-byte limit can serve the ABI from a second program built from the same storage layout,
//! entered by `delegatecall` (the staking vault does: see its crate docs); checkpoints always stay
//! inline in the host.
//!
//! # Model
//! Synthetix/Curve MultiRewards accumulator maths ([`math`]), Aave-RewardsController-shaped:
//! one host holds any number of reward **sources** (a balance ledger with its own total: the
//! vault's shares; a lending market's supply shares and, separately, its borrow shares; a pool's
//! LP balances; an NFT collection's weights), keyed by a `uint256` id. Per (source, reward token)
//! a distributor, a duration, a stream (`rate` in wei/s × 1e18, `periodFinish`, `lastUpdate`)
//! and a reward-per-share index (× 1e36); per (source, token, account) a paid index and an
//! accrued amount. At most [`MAX_REWARD_TOKENS`] tokens per source and
//! [`MAX_HOST_REWARD_TOKENS`] distinct tokens per host; a checkpoint touches one source, so
//! every checkpoint is bounded.
//!
//! # The one reward ABI
//! `IRewards` has the same shape on every host: each function exists in a short form on the
//! default source ([`DEFAULT_SOURCE`] = 0; the vault's historical calls) and as an overload with a
//! leading `uint256 source` (`earned(uint256,address,address)`, `claim(uint256,address[],address)`,
//! ...). A host declares its sources with [`RewardsHost::is_reward_source`]; any other id reverts
//! with `RewardSourceUnknown(source)`.
//!
//! # Rules the host must follow
//! * Call [`RewardsHost::checkpoint_rewards`] with the source and every account whose balance in
//!   it changes **before** changing it (mint, burn, transfer, liquidation...). A new account then
//!   starts at the current index (Compound Proposal 62).
//! * Report principal tokens through [`RewardsHost::principal_tokens`]: they can neither become
//!   rewards nor be recovered, and a recovery must leave their balances unchanged.
//!
//! # Policies
//! * **Distribution (anti-sandwich)**: there is no instant credit. `distribute` streams the amount
//!   over at least [`DISTRIBUTION_WINDOW`] (1 day) and never ends a running stream earlier; with
//!   time-based accrual, capital deposited in the block of a distribution (or flash-loaned)
//!   earns nothing, and capital that stays earns only its time-weighted share. (The old instant
//!   credit let a same-block depositor of 999× the supply take 99.9 % of it.)
//! * **Funding never dilutes a stream**: a funding whose rate over the full length would be lower
//!   than the running rate keeps the running rate and only extends the stream by what the new
//!   amount pays for ([`math::fund`]); a 1-wei notify can no longer spread the leftover over a
//!   new period.
//! * **Distributors and durations are the owner's**: the owner registers tokens, replaces or
//!   revokes (zero) a token's distributor, and sets durations at any time (they apply from the
//!   next funding; the running stream keeps its rate and end). A distributor can only fund.
//!   Zero amounts are rejected; durations are capped at [`MAX_DURATION`], so any non-zero
//!   amount gives a non-zero rate, and `rate × remaining ≤ funded` always.
//! * **Credited = arrived**: funding pulls with `transferFrom` and credits the host's balance
//!   delta ([`RewardsHost::pull_reward`]), so a fee-on-transfer reward token is credited what
//!   arrived; rebasing reward tokens are not supported.
//! * **Zero supply**: emissions are never lost and never handed out as a windfall. While the total
//!   of a source is zero its streams pause (`periodFinish` moves later by the paused time, and
//!   `rewardData` reports the moved end) and resume at the same rate once balances exist.
//! * **Claims** are pull-based (`claim`, `claimAll`) and stay open whatever the host's pause state.
//! * **Recovery**: `recoverERC20` refuses reward and principal tokens and reverts if the balance of
//!   any of them moved (a token with a second address).
//! * **Reentrancy**: the SDK's default reentrancy denial stays on in hosts (and facets); funding
//!   pulls before it credits (to measure what arrived), claims settle before they pay.

extern crate alloc;

pub mod errors;
pub mod host;
pub mod math;
pub mod state;

#[cfg(test)]
mod tests;

pub use errors::*;
pub use host::{abi, safe_transfer, IRewards, RewardsHost};
pub use state::{RewardInfo, Rewards, DEFAULT_SOURCE};

/// Maximum number of reward tokens per source (bounds the gas of every checkpoint).
pub const MAX_REWARD_TOKENS: usize = 8;

/// Maximum number of distinct reward tokens per host, over all sources (bounds `recoverERC20`).
pub const MAX_HOST_REWARD_TOKENS: usize = 16;

/// Shortest stream a `distribute` starts: 1 day. Capital must stay that long to earn its full
/// pro-rata share; same-block capital earns nothing.
pub const DISTRIBUTION_WINDOW: u64 = 24 * 60 * 60;

/// Longest accepted stream duration: 5 years in seconds.
pub const MAX_DURATION: u64 = 5 * 365 * 24 * 60 * 60;

/// Re-exports used by [`impl_rewards_abi!`]; not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use alloc::vec::Vec;
    pub use alloy_primitives::{Address, U256};
    /// `rewardData`'s return tuple.
    pub type RewardDataTuple = (Address, U256, U256, U256, U256, U256);
}
