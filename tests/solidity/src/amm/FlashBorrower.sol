// SPDX-License-Identifier: MIT OR Apache-2.0
// Stylus Yield test fixture: a flash-swap borrower for the pool e2e suite (tests/tests/e2e/pool.rs),
// driven identically against the Stylus pair and the Solidity twin. `flash` borrows from a pair;
// the `uniswapV2Call` callback then, by the plan's flags:
// - SWAP_OTHER (1): swaps through another pair (pay `otherAmountIn`, take `otherOut0/1`);
// - READ_VIEW (2): reads the lending pair's getReserves (read-only reentrancy probe), recording
//   whether it answered and what, or the revert data;
// - REENTER (4): calls the lending pair's sync() (a same-pair reentry), recording the revert data;
// - REENTER_BUBBLE (8): calls the lending pair's sync() without catching (the flash swap reverts);
// and finally repays `repayAmount` of `repayToken` to the pair.
pragma solidity 0.8.30;

interface IFlashPair {
    function swap(uint256 amount0Out, uint256 amount1Out, address to, bytes calldata data) external;
    function getReserves() external view returns (uint112, uint112, uint32);
    function sync() external;
}

interface IFlashERC20 {
    function transfer(address to, uint256 value) external returns (bool);
}

import {IFlashBorrower} from "./IFlashBorrower.sol";

contract FlashBorrower is IFlashBorrower {
    uint256 public calls;
    address public lastSender;
    uint256 public lastAmount0;
    uint256 public lastAmount1;
    bool public viewAnswered;
    uint112 public viewReserve0;
    uint112 public viewReserve1;
    bytes public viewRevert;
    bool public reentryAnswered;
    bytes public reentryRevert;

    function flash(address pair, uint256 amount0Out, uint256 amount1Out, bytes calldata plan) external {
        IFlashPair(pair).swap(amount0Out, amount1Out, address(this), plan);
    }

    function uniswapV2Call(address sender, uint256 amount0, uint256 amount1, bytes calldata data) external {
        Plan memory p = abi.decode(data, (Plan));
        calls += 1;
        lastSender = sender;
        lastAmount0 = amount0;
        lastAmount1 = amount1;
        if (p.flags & 1 != 0) {
            IFlashERC20(p.otherTokenIn).transfer(p.other, p.otherAmountIn);
            IFlashPair(p.other).swap(p.otherOut0, p.otherOut1, address(this), "");
        }
        if (p.flags & 2 != 0) {
            try IFlashPair(msg.sender).getReserves() returns (uint112 r0, uint112 r1, uint32) {
                viewAnswered = true;
                (viewReserve0, viewReserve1) = (r0, r1);
            } catch (bytes memory e) {
                viewAnswered = false;
                viewRevert = e;
            }
        }
        if (p.flags & 4 != 0) {
            try IFlashPair(msg.sender).sync() {
                reentryAnswered = true;
            } catch (bytes memory e) {
                reentryAnswered = false;
                reentryRevert = e;
            }
        }
        if (p.flags & 8 != 0) IFlashPair(msg.sender).sync();
        if (p.repayAmount != 0) IFlashERC20(p.repayToken).transfer(msg.sender, p.repayAmount);
    }
}
