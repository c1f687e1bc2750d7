// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.23;

/// The public ABI of `LendingFlashBorrower`, read by the Rust tests through alloy's `sol!`.
interface ILendingFlashBorrower {
    error NotMarket(address caller);

    function market() external view returns (address);
    function seenAssets() external view returns (uint256);
    function seenBalance() external view returns (uint256);
    function seenMarketBalance() external view returns (uint256);
    function calls() external view returns (uint256);
    function flash(address token, uint256 assets, bool repay) external;
    function onMorphoFlashLoan(uint256 assets, bytes calldata data) external;
}
