// SPDX-License-Identifier: MIT OR Apache-2.0
// The flash liquidator: liquidates an unhealthy position of the Stylus lending market with no
// capital, written against the generated interfaces of the Stylus programs in `abi/` (imported as
// `abi/<artifact>.sol`, as the zap does; a Foundry project maps them with `abi/=<repo>/abi/`).
//
// Flow (one transaction, all inside `liquidate`):
//   liquidate -> market.liquidate(params, borrower, seized | repaidShares, data)
//     market: accrues, seizes, sends the collateral here, calls back
//     -> onMorphoLiquidate(repaidAssets): flash swap pair.swap(repaidAssets of the loan token)
//          -> uniswapV2Call: pays the pair V2's getAmountIn(repaidAssets) in seized collateral
//        approves the market for exactly repaidAssets
//     market: pulls repaidAssets
//   -> sends the remaining collateral (the profit, >= minProfit) to the caller.
// The market's callback tells the exact repaid amount (no off-chain quote of Morpho's rounding),
// and the pair is paid from the collateral already received, so no capital is needed.
//
// Guards: each callback is accepted only from the expected caller (the market; the pair of the
// market's two tokens, recorded for this call) and only in its step of the liquidator's own call
// (a transient step counter: a flash swap or liquidation someone else started towards this
// contract is refused); `liquidate` cannot be re-entered. The liquidator holds no tokens and no
// allowance between calls (the market's pull consumes the exact approval).
pragma solidity 0.8.30;

import {ILendingMarketAdminFacet} from "abi/lending-market-admin-facet.sol";
import {IPoolFactory} from "abi/pool-factory.sol";
import {ILiquidityPool} from "abi/liquidity-pool.sol";
import {IFlashLiquidator} from "./IFlashLiquidator.sol";

/// The ERC-20 calls the liquidator makes on arbitrary tokens (the standard, not a product interface).
interface IFlashLiquidatorERC20 {
    function balanceOf(address account) external view returns (uint256);
    function transfer(address to, uint256 value) external returns (bool);
    function approve(address spender, uint256 value) external returns (bool);
}

contract FlashLiquidator is IFlashLiquidator {
    /// The lending market (its `liquidate` is served by the admin facet at the market's address).
    address public immutable override market;
    /// The pool factory (pairs of the market's tokens are looked up there).
    address public immutable override factory;

    // Transient state of one `liquidate` call.
    /// Step: 0 idle, 1 in `liquidate` (waiting for the market), 2 in `onMorphoLiquidate`
    /// (waiting for the pair), 3 pair paid, 4 market callback done.
    uint256 private constant STEP_SLOT = uint256(keccak256("stylus-yield.flash-liquidator.step"));
    /// The pair this call flash-swaps from.
    uint256 private constant PAIR_SLOT = uint256(keccak256("stylus-yield.flash-liquidator.pair"));
    /// Collateral owed to the pair.
    uint256 private constant OWED_SLOT = uint256(keccak256("stylus-yield.flash-liquidator.owed"));

    constructor(address market_, address factory_) {
        market = market_;
        factory = factory_;
    }

    /// @inheritdoc IFlashLiquidator
    function liquidate(
        MarketParams calldata params,
        address borrower,
        uint256 seizedAssets,
        uint256 repaidShares,
        uint256 minProfit
    ) external returns (Result memory r) {
        if (_load(STEP_SLOT) != 0) revert LiquidatorReentrant();
        address loan = params.loanToken;
        address coll = params.collateralToken;
        r.pair = IPoolFactory(factory).getPair(loan, coll);
        if (r.pair == address(0)) revert LiquidatorNoPair(loan, coll);
        _store(STEP_SLOT, 1);
        _store(PAIR_SLOT, uint256(uint160(r.pair)));

        uint256 before = _balance(coll);
        (r.seizedAssets, r.repaidAssets) = ILendingMarketAdminFacet(market).liquidate(
            _marketParams(params), borrower, seizedAssets, repaidShares, abi.encode(loan, coll)
        );
        if (_load(STEP_SLOT) != 4) revert LiquidatorUnexpectedCallback(market);
        r.paidToPair = _load(OWED_SLOT);
        if (r.paidToPair > r.seizedAssets) revert LiquidatorUnprofitable(r.seizedAssets, r.paidToPair);
        uint256 afterBalance = _balance(coll);
        if (afterBalance < before) revert LiquidatorUnprofitable(r.seizedAssets, r.paidToPair);
        // What arrived and stayed (a balance delta, not the market's figure).
        r.profit = afterBalance - before;
        if (r.profit < minProfit) revert LiquidatorInsufficientProfit(r.profit, minProfit);
        _store(STEP_SLOT, 0);
        _store(PAIR_SLOT, 0);
        _store(OWED_SLOT, 0);

        if (r.profit > 0) _call(coll, abi.encodeCall(IFlashLiquidatorERC20.transfer, (msg.sender, r.profit)));
        emit FlashLiquidated(msg.sender, borrower, r.pair, r.seizedAssets, r.repaidAssets, r.paidToPair, r.profit);
    }

    /// @inheritdoc IFlashLiquidator
    function onMorphoLiquidate(uint256 repaidAssets, bytes calldata data) external {
        if (msg.sender != market || _load(STEP_SLOT) != 1) revert LiquidatorUnexpectedCallback(msg.sender);
        _store(STEP_SLOT, 2);
        // Our own data, echoed by the market (only our call reaches step 1).
        (address loan, address coll) = abi.decode(data, (address, address));
        address pair = address(uint160(_load(PAIR_SLOT)));

        // V2 pairs order their tokens by address.
        bool loanIs0 = loan < coll;
        (uint112 r0, uint112 r1,) = ILiquidityPool(pair).getReserves();
        (uint256 reserveLoan, uint256 reserveColl) = loanIs0 ? (uint256(r0), uint256(r1)) : (uint256(r1), uint256(r0));
        if (repaidAssets >= reserveLoan) revert LiquidatorInsufficientLiquidity(repaidAssets, reserveLoan);
        // V2's getAmountIn (0.3 % fee), rounded up: the pair's k check passes with exactly this.
        uint256 owed = reserveColl * repaidAssets * 1000 / ((reserveLoan - repaidAssets) * 997) + 1;
        _store(OWED_SLOT, owed);

        ILiquidityPool(pair).swap(
            loanIs0 ? repaidAssets : 0, loanIs0 ? 0 : repaidAssets, address(this), abi.encode(coll, owed)
        );
        if (_load(STEP_SLOT) != 3) revert LiquidatorUnexpectedCallback(pair);
        _store(STEP_SLOT, 4);
        // The market pulls exactly this after we return.
        _call(loan, abi.encodeCall(IFlashLiquidatorERC20.approve, (market, repaidAssets)));
    }

    /// @inheritdoc IFlashLiquidator
    function uniswapV2Call(address sender, uint256, uint256, bytes calldata data) external {
        if (
            msg.sender != address(uint160(_load(PAIR_SLOT))) || _load(STEP_SLOT) != 2 || sender != address(this)
        ) revert LiquidatorUnexpectedCallback(msg.sender);
        _store(STEP_SLOT, 3);
        (address coll, uint256 owed) = abi.decode(data, (address, uint256));
        uint256 held = _balance(coll);
        if (held < owed) revert LiquidatorUnprofitable(held, owed);
        _call(coll, abi.encodeCall(IFlashLiquidatorERC20.transfer, (msg.sender, owed)));
    }

    function _marketParams(MarketParams calldata p)
        private
        pure
        returns (ILendingMarketAdminFacet.MarketParams memory)
    {
        return ILendingMarketAdminFacet.MarketParams(p.loanToken, p.collateralToken, p.oracle, p.irm, p.lltv);
    }

    function _balance(address token) private view returns (uint256) {
        return IFlashLiquidatorERC20(token).balanceOf(address(this));
    }

    /// Calls a token; accepts no return data (tokens that return nothing) or `true`.
    function _call(address token, bytes memory data) private {
        (bool ok, bytes memory ret) = token.call(data);
        if (!ok || token.code.length == 0 || (ret.length != 0 && (ret.length < 32 || !abi.decode(ret, (bool))))) {
            revert LiquidatorTokenCallFailed(token);
        }
    }

    function _load(uint256 slot) private view returns (uint256 v) {
        assembly {
            v := tload(slot)
        }
    }

    function _store(uint256 slot, uint256 v) private {
        assembly {
            tstore(slot, v)
        }
    }
}
