// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.23;

import {ILendingFlashBorrower} from "./ILendingFlashBorrower.sol";

/// The lending market's flash-loan entry point (Morpho Blue's `IMorphoBase.flashLoan`).
interface ILendingFlash {
    function flashLoan(address token, uint256 assets, bytes calldata data) external;
}

interface IERC20Min {
    function approve(address spender, uint256 value) external returns (bool);
    function balanceOf(address account) external view returns (uint256);
}

/// Flash-loan fixture of `tests/tests/e2e/lending.rs` and `tests/benches/lending_gas.rs`: borrows
/// from the market, records what it saw inside `onMorphoFlashLoan` (assets, its own balance of
/// the token, the market's remaining balance) and approves the market to pull the loan back,
/// unless told not to (`repay = false`: the market's pull must then revert the whole loan).
contract LendingFlashBorrower is ILendingFlashBorrower {
    address public immutable override market;
    uint256 public seenAssets;
    uint256 public seenBalance;
    uint256 public seenMarketBalance;
    uint256 public calls;

    constructor(address market_) {
        market = market_;
    }

    function flash(address token, uint256 assets, bool repay) external {
        ILendingFlash(market).flashLoan(token, assets, abi.encode(token, repay));
    }

    function onMorphoFlashLoan(uint256 assets, bytes calldata data) external {
        if (msg.sender != market) revert NotMarket(msg.sender);
        (address token, bool repay) = abi.decode(data, (address, bool));
        seenAssets = assets;
        seenBalance = IERC20Min(token).balanceOf(address(this));
        seenMarketBalance = IERC20Min(token).balanceOf(market);
        calls += 1;
        if (repay) IERC20Min(token).approve(market, assets);
    }
}
