//! Errors and events of the reward module: defined once here, shared by every host.

use alloy_sol_types::sol;
use stylus_sdk::prelude::*;

pub use kit::safe_erc20::SafeERC20FailedOperation;
use kit::safe_erc20::SafeErc20Error;

use crate::math::MathError;

sol! {
    /// `caller` may not perform this action (owner, or the token's distributor, required).
    #[derive(Debug, PartialEq, Eq)]
    error RewardUnauthorized(address caller);
    /// `token` is already a reward token of this host.
    #[derive(Debug, PartialEq, Eq)]
    error RewardTokenExists(address token);
    /// `token` is not a reward token of this host.
    #[derive(Debug, PartialEq, Eq)]
    error RewardTokenUnknown(address token);
    /// The host already has the maximum number of reward tokens.
    #[derive(Debug, PartialEq, Eq)]
    error RewardTokenLimit(uint256 max);
    /// `token` may not be used here: a principal token of the host cannot be a reward, and neither a
    /// reward nor a principal token can be recovered.
    #[derive(Debug, PartialEq, Eq)]
    error RewardTokenForbidden(address token);
    /// A zero address was given for a token, distributor or receiver.
    #[derive(Debug, PartialEq, Eq)]
    error RewardZeroAddress();
    /// The duration is zero or longer than the module's maximum.
    #[derive(Debug, PartialEq, Eq)]
    error RewardInvalidDuration(uint256 duration);
    /// `source` is not a reward source of this host.
    #[derive(Debug, PartialEq, Eq)]
    error RewardSourceUnknown(uint256 source);
    /// Recovering `token` changed the host's balance of `protectedToken` (a reward or principal
    /// token reachable through a second address): refused.
    #[derive(Debug, PartialEq, Eq)]
    error RewardRecoveryMovedProtected(address token, address protectedToken);
    /// Funding with a zero amount (would only stretch the period).
    #[derive(Debug, PartialEq, Eq)]
    error RewardZeroAmount();
    /// Lifetime funding of `token` would exceed the module's cap (2^128 - 1 wei).
    #[derive(Debug, PartialEq, Eq)]
    error RewardFundingCap(address token);
    /// Arithmetic overflow in the accumulator (unreachable within the funding cap).
    #[derive(Debug, PartialEq, Eq)]
    error RewardMathOverflow();

    /// `token` became a reward token of `source` paid by `distributor` (zero: the owner only)
    /// over streams of `duration` seconds.
    #[derive(Debug, PartialEq, Eq)]
    event RewardAdded(uint256 indexed source, address indexed token, address indexed distributor, uint256 duration);
    /// A stream of `amount` (what arrived, plus the rolled-in leftover) runs until `periodFinish`
    /// at `rate` wei/s scaled by 1e18.
    #[derive(Debug, PartialEq, Eq)]
    event RewardNotified(uint256 indexed source, address indexed token, uint256 amount, uint256 rate, uint256 periodFinish);
    /// `amount` (what arrived) was distributed: streamed over at least the distribution window.
    #[derive(Debug, PartialEq, Eq)]
    event RewardDistributed(uint256 indexed source, address indexed token, uint256 amount, uint256 rate, uint256 periodFinish);
    /// `account` claimed `amount` of `token` from `source`, sent to `to`.
    #[derive(Debug, PartialEq, Eq)]
    event RewardPaid(uint256 indexed source, address indexed account, address indexed token, address to, uint256 amount);
    /// The stream duration of `token` in `source` changed (applies from the next funding).
    #[derive(Debug, PartialEq, Eq)]
    event RewardsDurationUpdated(uint256 indexed source, address indexed token, uint256 duration);
    /// The distributor of `token` in `source` changed (zero: revoked).
    #[derive(Debug, PartialEq, Eq)]
    event RewardDistributorUpdated(uint256 indexed source, address indexed token, address distributor);
    /// The owner recovered `amount` of a stray `token`.
    #[derive(Debug, PartialEq, Eq)]
    event Recovered(address indexed token, uint256 amount);
}

/// Every failure of the reward module, encoded as the Solidity custom errors above.
#[derive(SolidityError, Debug, PartialEq, Eq)]
pub enum RewardsError {
    /// See [`RewardUnauthorized`].
    Unauthorized(RewardUnauthorized),
    /// See [`RewardTokenExists`].
    TokenExists(RewardTokenExists),
    /// See [`RewardTokenUnknown`].
    TokenUnknown(RewardTokenUnknown),
    /// See [`RewardTokenLimit`].
    TokenLimit(RewardTokenLimit),
    /// See [`RewardTokenForbidden`].
    TokenForbidden(RewardTokenForbidden),
    /// See [`RewardZeroAddress`].
    ZeroAddress(RewardZeroAddress),
    /// See [`RewardInvalidDuration`].
    InvalidDuration(RewardInvalidDuration),
    /// See [`RewardSourceUnknown`].
    SourceUnknown(RewardSourceUnknown),
    /// See [`RewardRecoveryMovedProtected`].
    RecoveryMovedProtected(RewardRecoveryMovedProtected),
    /// See [`RewardZeroAmount`].
    ZeroAmount(RewardZeroAmount),
    /// See [`RewardFundingCap`].
    FundingCap(RewardFundingCap),
    /// See [`RewardMathOverflow`].
    MathOverflow(RewardMathOverflow),
    /// A reward-token transfer failed (the kit's safe ERC-20 error).
    SafeERC20FailedOperation(SafeERC20FailedOperation),
}

impl From<SafeErc20Error> for RewardsError {
    fn from(e: SafeErc20Error) -> Self {
        e.into_host()
    }
}

impl From<MathError> for RewardsError {
    fn from(_: MathError) -> Self {
        RewardsError::MathOverflow(RewardMathOverflow {})
    }
}

impl RewardsError {
    /// Converts into a host's flat error enum that lists the same Solidity errors (one variant per
    /// `Reward*` error plus `SafeERC20FailedOperation`), so the host's exported ABI names them all:
    /// `kit::impl_error_from!(rewards::RewardsError => HostError);`.
    pub fn into_host<E>(self) -> E
    where
        E: From<RewardUnauthorized>
            + From<RewardTokenExists>
            + From<RewardTokenUnknown>
            + From<RewardTokenLimit>
            + From<RewardTokenForbidden>
            + From<RewardZeroAddress>
            + From<RewardInvalidDuration>
            + From<RewardSourceUnknown>
            + From<RewardRecoveryMovedProtected>
            + From<RewardZeroAmount>
            + From<RewardFundingCap>
            + From<RewardMathOverflow>
            + From<SafeERC20FailedOperation>,
    {
        match self {
            RewardsError::Unauthorized(e) => e.into(),
            RewardsError::TokenExists(e) => e.into(),
            RewardsError::TokenUnknown(e) => e.into(),
            RewardsError::TokenLimit(e) => e.into(),
            RewardsError::TokenForbidden(e) => e.into(),
            RewardsError::ZeroAddress(e) => e.into(),
            RewardsError::InvalidDuration(e) => e.into(),
            RewardsError::SourceUnknown(e) => e.into(),
            RewardsError::RecoveryMovedProtected(e) => e.into(),
            RewardsError::ZeroAmount(e) => e.into(),
            RewardsError::FundingCap(e) => e.into(),
            RewardsError::MathOverflow(e) => e.into(),
            RewardsError::SafeERC20FailedOperation(e) => e.into(),
        }
    }
}

/// Solidity declarations of the reward events, for ABI export (Stylus' interface export omits events).
pub const EVENTS_SOL: &[&str] = &[
    "event RewardAdded(uint256 indexed source, address indexed token, address indexed distributor, uint256 duration)",
    "event RewardNotified(uint256 indexed source, address indexed token, uint256 amount, uint256 rate, uint256 periodFinish)",
    "event RewardDistributed(uint256 indexed source, address indexed token, uint256 amount, uint256 rate, uint256 periodFinish)",
    "event RewardPaid(uint256 indexed source, address indexed account, address indexed token, address to, uint256 amount)",
    "event RewardsDurationUpdated(uint256 indexed source, address indexed token, uint256 duration)",
    "event RewardDistributorUpdated(uint256 indexed source, address indexed token, address distributor)",
    "event Recovered(address indexed token, uint256 amount)",
];
