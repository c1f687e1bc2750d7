// SPDX-License-Identifier: MIT OR Apache-2.0
// Stylus Yield test fixture: a contract that wraps and unwraps ether through WETH and whose
// `receive` writes storage (two SSTOREs, far above WETH9's 2,300-gas stipend), proving the
// Stylus WETH forwards gas to contract receivers.
pragma solidity 0.8.30;

interface IWethLike {
    function deposit() external payable;
    function withdraw(uint256 wad) external;
}

contract WethUnwrapper {
    IWethLike public immutable weth;
    /// Wei received through `receive`.
    uint256 public received;
    /// Number of `receive` calls.
    uint256 public receipts;
    /// When set, `receive` reverts (a receiver that refuses ETH).
    bool public refuse;

    constructor(IWethLike weth_) {
        weth = weth_;
    }

    /// Wraps `msg.value` for this contract.
    function wrap() external payable {
        weth.deposit{value: msg.value}();
    }

    /// Unwraps `wad` of this contract's WETH (WETH pays `receive`).
    function unwrap(uint256 wad) external {
        weth.withdraw(wad);
    }

    function setRefuse(bool refuse_) external {
        refuse = refuse_;
    }

    receive() external payable {
        require(!refuse, "refused");
        received += msg.value;
        receipts += 1;
    }
}
