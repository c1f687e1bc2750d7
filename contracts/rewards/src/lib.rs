//! Stylus Yield reward module: multi-token streamed and instant rewards for any host contract.
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
//! Synthetix/Curve MultiRewards accumulator maths ([`math`]): per reward token a distributor, a
//! duration, a stream (`rate` in wei/s × 1e18, `periodFinish`, `lastUpdate`) and a reward-per-share
//! index (× 1e36); per account a paid index and an accrued amount. At most
//! [`MAX_REWARD_TOKENS`] tokens per host, so every checkpoint is bounded.
//!
//! # Rules the host must follow
//! * Call [`RewardsHost::checkpoint_rewards`] with every account whose balance changes **before**
//!   changing it (mint, burn, transfer, liquidation...). A new account then starts at the current
//!   index (Compound Proposal 62).
//! * Report principal tokens through [`RewardsHost::is_principal_token`]: they can neither become
//!   rewards (so reward accounting never mixes with principal) nor be recovered.
//!
//! # Policies
//! * **Zero supply**: emissions are never lost and never handed out as a windfall. While the total
//!   supply is zero the stream is paused (`periodFinish` moves later by the paused time) and resumes
//!   at the same rate once shares exist; an instant `distribute` at zero supply becomes a stream.
//! * **Funding**: only the token's distributor or the host owner may fund; zero amounts are
//!   rejected (no period stretching by strangers); with durations capped at [`MAX_DURATION`] any
//!   non-zero amount gives a non-zero rate. The new rate is
//!   `(amount·1e18 + leftover) / duration`, so `rate × duration` never exceeds what was funded.
//!   Tokens are pulled with `transferFrom` and credited by the amount requested: fee-on-transfer
//!   and rebasing reward tokens are not supported.
//! * **Claims** are pull-based (`claim`, `claimAll`) and stay open whatever the host's pause state.
//! * **Instant distributions** credit holders of the moment: a holder who buys just before a
//!   `distribute` shares it. Prefer streams where holders can enter and leave freely.
//! * **Reentrancy**: state is settled before any token call (checks-effects-interactions); the
//!   SDK's default reentrancy denial stays on in hosts.

extern crate alloc;

pub mod errors;
pub mod host;
pub mod math;
pub mod state;

#[cfg(test)]
mod tests;

pub use errors::*;
pub use host::{abi, safe_transfer, safe_transfer_from, IRewards, RewardsHost};
pub use state::{RewardInfo, Rewards};

/// Maximum number of reward tokens per host (bounds the gas of every checkpoint).
pub const MAX_REWARD_TOKENS: usize = 8;

/// Longest accepted stream duration: 5 years in seconds.
pub const MAX_DURATION: u64 = 5 * 365 * 24 * 60 * 60;

/// Re-exports used by [`impl_rewards_abi!`]; not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use alloc::vec::Vec;
    pub use alloy_primitives::{Address, U256};
}
