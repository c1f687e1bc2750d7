// SPDX-License-Identifier: MIT OR Apache-2.0
// ABI of the flash-swap borrower fixture (FlashBorrower.sol), bound by the Rust tests with `sol!`.
pragma solidity ^0.8.20;

interface IFlashBorrower {
    /// What the callback does (flags: 1 swap through `other`, 2 read the lender's getReserves,
    /// 4 re-enter the lender's sync() and record the revert, 8 re-enter without catching), then
    /// repays `repayAmount` of `repayToken`.
    struct Plan {
        uint256 flags;
        address repayToken;
        uint256 repayAmount;
        address other;
        address otherTokenIn;
        uint256 otherAmountIn;
        uint256 otherOut0;
        uint256 otherOut1;
    }

    function flash(address pair, uint256 amount0Out, uint256 amount1Out, bytes calldata plan) external;
    function uniswapV2Call(address sender, uint256 amount0, uint256 amount1, bytes calldata data) external;
    function calls() external view returns (uint256);
    function lastSender() external view returns (address);
    function lastAmount0() external view returns (uint256);
    function lastAmount1() external view returns (uint256);
    function viewAnswered() external view returns (bool);
    function viewReserve0() external view returns (uint112);
    function viewReserve1() external view returns (uint112);
    function viewRevert() external view returns (bytes memory);
    function reentryAnswered() external view returns (bool);
    function reentryRevert() external view returns (bytes memory);
}
