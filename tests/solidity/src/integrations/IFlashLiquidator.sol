// SPDX-License-Identifier: MIT OR Apache-2.0
// Interface of the flash liquidator (FlashLiquidator.sol): implemented by it and read by the Rust
// tests through alloy's `sol!`. Self-contained (no imports) so `sol!` can read it.
pragma solidity ^0.8.23;

/// Liquidates an unhealthy position of the Stylus lending market (Morpho Blue ABI) with no
/// capital: the loan token that repays the debt is flash-swapped out of the pool's pair of the
/// market's loan and collateral tokens and paid back to the pair in seized collateral; the rest
/// of the collateral is the caller's profit.
interface IFlashLiquidator {
    /// A market's parameters (the lending market's `MarketParams`, field for field).
    struct MarketParams {
        address loanToken;
        address collateralToken;
        address oracle;
        address irm;
        uint256 lltv;
    }

    /// What a liquidation did.
    struct Result {
        /// The pair the loan token came from.
        address pair;
        /// Collateral the market seized for the liquidator.
        uint256 seizedAssets;
        /// Loan token repaid to the market (= flash-swapped out of the pair).
        uint256 repaidAssets;
        /// Collateral paid to the pair for it (V2's `getAmountIn` at the pair's reserves).
        uint256 paidToPair;
        /// Collateral sent to the caller: `seizedAssets - paidToPair`.
        uint256 profit;
    }

    event FlashLiquidated(
        address indexed caller,
        address indexed borrower,
        address indexed pair,
        uint256 seizedAssets,
        uint256 repaidAssets,
        uint256 paidToPair,
        uint256 profit
    );

    /// The pool's factory has no pair of the market's loan and collateral tokens.
    error LiquidatorNoPair(address loanToken, address collateralToken);
    /// A callback from anyone but the expected market or pair, or outside the liquidator's own
    /// call (a flash swap or liquidation someone else started towards it).
    error LiquidatorUnexpectedCallback(address caller);
    /// The pair does not hold the loan token needed.
    error LiquidatorInsufficientLiquidity(uint256 needed, uint256 reserve);
    /// The seized collateral does not cover what the pair asks for the loan token.
    error LiquidatorUnprofitable(uint256 seizedAssets, uint256 owedToPair);
    /// The profit is below the caller's minimum.
    error LiquidatorInsufficientProfit(uint256 profit, uint256 minProfit);
    /// A token call failed (reverted, or returned false).
    error LiquidatorTokenCallFailed(address token);
    /// The liquidator was re-entered.
    error LiquidatorReentrant();

    /// The lending market it liquidates on.
    function market() external view returns (address);

    /// The pool factory whose pairs it flash-swaps from.
    function factory() external view returns (address);

    /// Liquidates `borrower` on the market `params` (exactly one of `seizedAssets` and
    /// `repaidShares` non-zero, as the market's `liquidate`), flash-swapping the loan token the
    /// market asks from the pair of the two tokens, paying the pair in seized collateral, and
    /// sends the remaining collateral (at least `minProfit`) to the caller.
    function liquidate(
        MarketParams calldata params,
        address borrower,
        uint256 seizedAssets,
        uint256 repaidShares,
        uint256 minProfit
    ) external returns (Result memory result);

    /// The market's callback (Morpho's `IMorphoLiquidateCallback`); only during `liquidate`.
    function onMorphoLiquidate(uint256 repaidAssets, bytes calldata data) external;

    /// The pair's flash-swap callback (Uniswap V2's `IUniswapV2Callee`); only during `liquidate`.
    function uniswapV2Call(address sender, uint256 amount0, uint256 amount1, bytes calldata data) external;
}
