// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.20;

/// @title IRewards: the one reward ABI of every Stylus Yield product (vault, pool, market, NFT).
/// @notice Streamed (Synthetix/Curve MultiRewards maths) and instant multi-token rewards paid to
/// holders of the host's reward-bearing balance. `rate` is wei per second scaled by 1e18;
/// `rewardPerShare` is scaled by 1e36. While the host's total supply is zero a stream is paused
/// (its `periodFinish` moves later), so no emission is lost. Claims are pull-based.
/// Implemented in Rust by `contracts/rewards` (`rewards::impl_rewards_abi!`).
interface IRewards {
    event RewardAdded(address indexed token, address indexed distributor, uint256 duration);
    event RewardNotified(address indexed token, uint256 amount, uint256 rate, uint256 periodFinish);
    event RewardDistributed(address indexed token, uint256 amount, uint256 rewardPerShare);
    event RewardPaid(address indexed account, address indexed token, address to, uint256 amount);
    event RewardsDurationUpdated(address indexed token, uint256 duration);
    event Recovered(address indexed token, uint256 amount);

    error RewardUnauthorized(address caller);
    error RewardTokenExists(address token);
    error RewardTokenUnknown(address token);
    error RewardTokenLimit(uint256 max);
    error RewardTokenForbidden(address token);
    error RewardZeroAddress();
    error RewardInvalidDuration(uint256 duration);
    error RewardPeriodActive(address token, uint256 periodFinish);
    error RewardZeroAmount();
    error RewardFundingCap(address token);
    error RewardMathOverflow();
    error SafeERC20FailedOperation(address token);

    /// Registered reward tokens (at most 8).
    function rewardTokens() external view returns (address[] memory);
    /// Stored state of `token` (index as of `lastUpdate`).
    function rewardData(address token)
        external
        view
        returns (
            address distributor,
            uint256 duration,
            uint256 periodFinish,
            uint256 rate,
            uint256 lastUpdate,
            uint256 rewardPerShare
        );
    /// Rewards of `token` claimable by `account` now.
    function earned(address account, address token) external view returns (uint256);
    /// Pays the caller's rewards in `tokens` to `to` (amounts in `RewardPaid`).
    function claim(address[] calldata tokens, address to) external;
    /// Pays the caller's rewards in every reward token to `to`.
    function claimAll(address to) external;
    /// Owner: registers `token` (never a principal token of the host).
    function addReward(address token, address distributor, uint256 duration) external;
    /// Owner or distributor, between periods: changes the stream duration.
    function setRewardsDuration(address token, uint256 duration) external;
    /// Owner or distributor: pulls `amount` and streams it (plus the leftover) over the duration.
    function notifyRewardAmount(address token, uint256 amount) external;
    /// Owner or distributor: pulls `amount` and credits it to current holders at once.
    function distribute(address token, uint256 amount) external;
    /// Owner: sends a stray token (never a reward or principal token) to the owner.
    function recoverERC20(address token, uint256 amount) external;
}
