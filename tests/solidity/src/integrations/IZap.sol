// SPDX-License-Identifier: MIT OR Apache-2.0
// Interface of the zap (Zap.sol): implemented by it and read by the Rust tests through alloy's
// `sol!`. Self-contained (no imports) so `sol!` can read it.
pragma solidity ^0.8.23;

/// One-call entry into a staked LP position: token in -> swap part -> add liquidity -> stake
/// the LP shares in a staking vault whose asset is the pair, on behalf of a receiver.
interface IZap {
    /// What to zap.
    struct ZapParams {
        /// The token paid in (pulled from the caller; a fee-on-transfer token counts what arrived).
        address tokenIn;
        /// The pair's other token.
        address tokenOther;
        /// How much of `tokenIn` to pull from the caller.
        uint256 amountIn;
        /// How much of it to swap for `tokenOther`; 0: the amount that leaves (almost) nothing
        /// over after adding liquidity at the post-swap price (about half).
        uint256 swapAmount;
        /// Slippage bound of the swap leg: at least this much `tokenOther` out.
        uint256 minSwapOut;
        /// Slippage bound of the whole zap: at least this many vault shares.
        uint256 minShares;
        /// The staking vault (ERC-4626) whose asset is the pair of `tokenIn` and `tokenOther`.
        address vault;
        /// Who gets the vault shares (the zap stakes on their behalf).
        address receiver;
        /// Deadline of the swap and the liquidity addition (unix seconds).
        uint256 deadline;
    }

    /// What a zap did.
    struct ZapResult {
        /// `tokenIn` that arrived from the caller.
        uint256 received;
        /// `tokenIn` swapped and `tokenOther` received for it.
        uint256 swapped;
        uint256 swapOut;
        /// LP tokens the pair minted (all staked).
        uint256 liquidity;
        /// Vault shares minted to the receiver.
        uint256 shares;
        /// Leftovers sent back to the caller.
        uint256 refundIn;
        uint256 refundOther;
    }

    event Zapped(
        address indexed caller,
        address indexed receiver,
        address indexed vault,
        address tokenIn,
        address tokenOther,
        uint256 received,
        uint256 swapped,
        uint256 swapOut,
        uint256 liquidity,
        uint256 shares,
        uint256 refundIn,
        uint256 refundOther
    );

    /// `amountIn` (or what arrived of it) is zero, or `swapAmount` is not below it.
    error ZapInvalidAmount(uint256 received, uint256 swapAmount);
    /// The router's factory has no pair of the two tokens.
    error ZapNoPair(address tokenIn, address tokenOther);
    /// The vault's asset is not the pair.
    error ZapVaultAssetMismatch(address asset, address pair);
    /// Fewer vault shares than `minShares`.
    error ZapInsufficientShares(uint256 shares, uint256 minShares);
    /// A token call failed (reverted, or returned false).
    error ZapTokenCallFailed(address token);
    /// The zap was re-entered (through a token or vault callback).
    error ZapReentrant();

    /// The pool router the zap swaps and adds liquidity through.
    function router() external view returns (address);

    /// The amount of `amountIn` to swap so that the rest and the swap's output add liquidity at
    /// the post-swap price with (almost) nothing over, for reserves `reserveIn` of the token paid
    /// in (0.3 % fee, constant product).
    function optimalSwapAmount(uint256 amountIn, uint256 reserveIn) external pure returns (uint256);

    /// Pulls `amountIn` of `tokenIn` from the caller, swaps `swapAmount` (or the optimal amount)
    /// of it for `tokenOther` through the router, adds both as liquidity, stakes all LP tokens
    /// minted in `vault` for `receiver` and refunds the leftovers of both tokens to the caller.
    function zap(ZapParams calldata p) external returns (ZapResult memory r);
}
