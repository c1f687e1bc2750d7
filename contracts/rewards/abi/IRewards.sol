// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.20;

/// @title IRewards: the one reward ABI of every Stylus Yield product (vault, pool, market, NFT).
/// @notice Streamed multi-token rewards (Synthetix/Curve MultiRewards maths) paid to holders of a
/// host's reward-bearing balances. A host holds one or more reward **sources** (a balance ledger
/// with its own total: vault shares; a market's supply shares and its borrow shares; LP balances;
/// NFT weights), identified by a `uint256`. Every function exists in a short form on the default
/// source 0 (single-source hosts) and as an overload taking `source` first. `rate` is wei per
/// second scaled by 1e18; `rewardPerShare` is scaled by 1e36.
/// Policies: `distribute` streams over at least one day and never shortens a running stream (no
/// same-block capture); a funding never lowers a running rate (no stretching); the owner sets
/// distributors and durations (durations apply from the next funding); funding credits what
/// arrived (balance delta); while a source's total is zero its streams pause (their
/// `periodFinish` moves later, as `rewardData` reports). Claims are pull-based.
/// Implemented in Rust by `contracts/rewards` (`rewards::impl_rewards_abi!`).
interface IRewards {
    event RewardAdded(uint256 indexed source, address indexed token, address indexed distributor, uint256 duration);
    event RewardNotified(uint256 indexed source, address indexed token, uint256 amount, uint256 rate, uint256 periodFinish);
    event RewardDistributed(uint256 indexed source, address indexed token, uint256 amount, uint256 rate, uint256 periodFinish);
    event RewardPaid(uint256 indexed source, address indexed account, address indexed token, address to, uint256 amount);
    event RewardsDurationUpdated(uint256 indexed source, address indexed token, uint256 duration);
    event RewardDistributorUpdated(uint256 indexed source, address indexed token, address distributor);
    event Recovered(address indexed token, uint256 amount);

    error RewardUnauthorized(address caller);
    error RewardTokenExists(address token);
    error RewardTokenUnknown(address token);
    error RewardTokenLimit(uint256 max);
    error RewardTokenForbidden(address token);
    error RewardZeroAddress();
    error RewardInvalidDuration(uint256 duration);
    error RewardSourceUnknown(uint256 source);
    error RewardRecoveryMovedProtected(address token, address protectedToken);
    error RewardZeroAmount();
    error RewardFundingCap(address token);
    error RewardMathOverflow();
    error SafeERC20FailedOperation(address token);

    /// Reward tokens of the default source (at most 8 per source).
    function rewardTokens() external view returns (address[] memory);
    function rewardTokens(uint256 source) external view returns (address[] memory);
    /// State of `token` brought up to now.
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
    function rewardData(uint256 source, address token)
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
    function earned(uint256 source, address account, address token) external view returns (uint256);
    /// Pays the caller's rewards in `tokens` to `to` (amounts in `RewardPaid`).
    function claim(address[] calldata tokens, address to) external;
    function claim(uint256 source, address[] calldata tokens, address to) external;
    /// Pays the caller's rewards in every reward token of the source to `to`.
    function claimAll(address to) external;
    function claimAll(uint256 source, address to) external;
    /// Owner: registers `token` (never a principal token of the host); `distributor` may be zero.
    function addReward(address token, address distributor, uint256 duration) external;
    function addReward(uint256 source, address token, address distributor, uint256 duration) external;
    /// Owner, any time: changes the stream duration (applies from the next funding).
    function setRewardsDuration(address token, uint256 duration) external;
    function setRewardsDuration(uint256 source, address token, uint256 duration) external;
    /// Owner: replaces the distributor of `token` (zero revokes).
    function setRewardDistributor(address token, address distributor) external;
    function setRewardDistributor(uint256 source, address token, address distributor) external;
    /// Owner or distributor: pulls `amount` and streams what arrived (plus the leftover) over the
    /// duration; never lowers the running rate.
    function notifyRewardAmount(address token, uint256 amount) external;
    function notifyRewardAmount(uint256 source, address token, uint256 amount) external;
    /// Owner or distributor: pulls `amount` and streams what arrived over at least one day.
    function distribute(address token, uint256 amount) external;
    function distribute(uint256 source, address token, uint256 amount) external;
    /// Owner: sends a stray token (never a reward or principal token) to the owner.
    function recoverERC20(address token, uint256 amount) external;
}
