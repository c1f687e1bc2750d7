// SPDX-License-Identifier: MIT OR Apache-2.0
// The zap: one call from a token to a staked LP position in the Stylus suite, written against the
// generated interfaces of the Stylus programs in `abi/` (imported as `abi/<artifact>.sol`: the
// e2e build adds the repository's `abi/` directory under that name; a Foundry project would map
// it with the remapping `abi/=<repo>/abi/`).
//
// Flow: pull tokenIn (count what arrived) -> swap part of it through the pool router -> add both
// tokens as liquidity through the router -> deposit every LP token minted into the staking vault
// for the receiver -> refund what the router did not take, of both tokens, to the caller. The zap
// holds nothing between calls; every approval it gives is reset to zero before it returns.
// Slippage: `minSwapOut` bounds the swap, `minShares` the whole zap; the deadline is the router's.
pragma solidity 0.8.30;

import {IPoolFactory} from "abi/pool-factory.sol";
import {IPoolRouter} from "abi/pool-router.sol";
import {ILiquidityPool} from "abi/liquidity-pool.sol";
import {IStakingVault} from "abi/staking-vault.sol";
import {IZap} from "./IZap.sol";

/// The ERC-20 calls the zap makes on arbitrary tokens (the standard, not a product interface).
interface IERC20Calls {
    function balanceOf(address account) external view returns (uint256);
    function transfer(address to, uint256 value) external returns (bool);
    function transferFrom(address from, address to, uint256 value) external returns (bool);
    function approve(address spender, uint256 value) external returns (bool);
}

contract Zap is IZap {
    /// The pool router (Uniswap V2 Router02 ABI, the Stylus `pool-router`).
    IPoolRouter public immutable poolRouter;
    /// Its factory.
    IPoolFactory public immutable factory;

    /// Transient slot of the reentrancy guard.
    uint256 private constant LOCK_SLOT = uint256(keccak256("stylus-yield.zap.lock"));

    constructor(address router_) {
        poolRouter = IPoolRouter(router_);
        factory = IPoolFactory(IPoolRouter(router_).factory());
    }

    modifier nonReentrant() {
        uint256 slot = LOCK_SLOT;
        uint256 locked;
        assembly {
            locked := tload(slot)
        }
        if (locked != 0) revert ZapReentrant();
        assembly {
            tstore(slot, 1)
        }
        _;
        assembly {
            tstore(slot, 0)
        }
    }

    /// @inheritdoc IZap
    function router() external view returns (address) {
        return address(poolRouter);
    }

    // Solves 997 s^2 + 1997 R s - 1000 R a = 0 (the rest a - s over the new reserve R + s equals
    // the output over the reserve it leaves): s = (sqrt(R (3988009 R + 3988000 a)) - 1997 R) / 1994,
    // rounded down (the rounding leaves a few wei of tokenIn over, refunded).
    /// @inheritdoc IZap
    function optimalSwapAmount(uint256 amountIn, uint256 reserveIn) public pure returns (uint256) {
        return (_sqrt(reserveIn * (reserveIn * 3988009 + amountIn * 3988000)) - reserveIn * 1997) / 1994;
    }

    /// @inheritdoc IZap
    function zap(ZapParams calldata p) external nonReentrant returns (ZapResult memory r) {
        address pair = factory.getPair(p.tokenIn, p.tokenOther);
        if (pair == address(0)) revert ZapNoPair(p.tokenIn, p.tokenOther);
        address asset = IStakingVault(p.vault).asset();
        if (asset != pair) revert ZapVaultAssetMismatch(asset, pair);

        // Pull: count what arrived (fee-on-transfer tokens).
        uint256 before = _balance(p.tokenIn);
        _call(p.tokenIn, abi.encodeCall(IERC20Calls.transferFrom, (msg.sender, address(this), p.amountIn)));
        r.received = _balance(p.tokenIn) - before;

        _swap(p, pair, r);
        (uint256 usedIn, uint256 usedOther) = _addLiquidity(p, pair, r);

        // Stake every LP token minted, for the receiver.
        _approve(pair, p.vault, r.liquidity);
        r.shares = IStakingVault(p.vault).deposit(r.liquidity, p.receiver);
        _approve(pair, p.vault, 0);
        if (r.shares < p.minShares) revert ZapInsufficientShares(r.shares, p.minShares);

        // Refund what the router did not take.
        r.refundIn = r.received - r.swapped - usedIn;
        r.refundOther = r.swapOut - usedOther;
        if (r.refundIn > 0) _call(p.tokenIn, abi.encodeCall(IERC20Calls.transfer, (msg.sender, r.refundIn)));
        if (r.refundOther > 0) {
            _call(p.tokenOther, abi.encodeCall(IERC20Calls.transfer, (msg.sender, r.refundOther)));
        }
        _emit(p, r);
    }

    /// Swaps `p.swapAmount` (or the optimal amount) of what arrived for tokenOther; records the
    /// amount swapped and what arrived of the output.
    function _swap(ZapParams calldata p, address pair, ZapResult memory r) private {
        if (p.swapAmount == 0) {
            (uint112 r0, uint112 r1,) = ILiquidityPool(pair).getReserves();
            uint256 reserveIn = ILiquidityPool(pair).token0() == p.tokenIn ? r0 : r1;
            r.swapped = optimalSwapAmount(r.received, reserveIn);
        } else {
            r.swapped = p.swapAmount;
        }
        if (r.received == 0 || r.swapped == 0 || r.swapped >= r.received) {
            revert ZapInvalidAmount(r.received, r.swapped);
        }
        address[] memory path = new address[](2);
        (path[0], path[1]) = (p.tokenIn, p.tokenOther);
        uint256 otherBefore = _balance(p.tokenOther);
        _approve(p.tokenIn, address(poolRouter), r.swapped);
        poolRouter.swapExactTokensForTokensSupportingFeeOnTransferTokens(
            r.swapped, p.minSwapOut, path, address(this), p.deadline
        );
        _approve(p.tokenIn, address(poolRouter), 0);
        r.swapOut = _balance(p.tokenOther) - otherBefore;
    }

    /// Adds the rest of tokenIn and the swap's output as liquidity (the router takes the amounts
    /// at the pair's ratio); records the LP tokens minted; returns what the router took.
    function _addLiquidity(ZapParams calldata p, address pair, ZapResult memory r)
        private
        returns (uint256 usedIn, uint256 usedOther)
    {
        uint256 restIn = r.received - r.swapped;
        _approve(p.tokenIn, address(poolRouter), restIn);
        _approve(p.tokenOther, address(poolRouter), r.swapOut);
        uint256 lpBefore = ILiquidityPool(pair).balanceOf(address(this));
        (usedIn, usedOther,) =
            poolRouter.addLiquidity(p.tokenIn, p.tokenOther, restIn, r.swapOut, 0, 0, address(this), p.deadline);
        r.liquidity = ILiquidityPool(pair).balanceOf(address(this)) - lpBefore;
        _approve(p.tokenIn, address(poolRouter), 0);
        _approve(p.tokenOther, address(poolRouter), 0);
    }

    function _emit(ZapParams calldata p, ZapResult memory r) private {
        emit Zapped(
            msg.sender,
            p.receiver,
            p.vault,
            p.tokenIn,
            p.tokenOther,
            r.received,
            r.swapped,
            r.swapOut,
            r.liquidity,
            r.shares,
            r.refundIn,
            r.refundOther
        );
    }

    function _balance(address token) private view returns (uint256) {
        return IERC20Calls(token).balanceOf(address(this));
    }

    function _approve(address token, address spender, uint256 value) private {
        _call(token, abi.encodeCall(IERC20Calls.approve, (spender, value)));
    }

    /// Calls a token; accepts no return data (tokens that return nothing) or `true`.
    function _call(address token, bytes memory data) private {
        (bool ok, bytes memory ret) = token.call(data);
        if (!ok || token.code.length == 0 || (ret.length != 0 && (ret.length < 32 || !abi.decode(ret, (bool))))) {
            revert ZapTokenCallFailed(token);
        }
    }

    /// Floor of the square root (Newton's method from an over-estimate).
    function _sqrt(uint256 x) private pure returns (uint256 z) {
        if (x < 4) return x == 0 ? 0 : 1;
        z = x;
        uint256 y = x / 2 + 1;
        while (y < z) {
            z = y;
            y = (x / y + y) / 2;
        }
    }
}
