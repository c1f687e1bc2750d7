// SPDX-License-Identifier: MIT OR Apache-2.0
// Stylus Yield attack fixture: the Solidity twin with its reentrancy guard removed. The positive
// control of the reentrancy tests: the same hook attack that the vaults refuse must succeed here,
// or the attack harness is not attacking anything.
pragma solidity 0.8.30;

import {TwinVault} from "./TwinVault.sol";

contract UnguardedTwinVault is TwinVault {
    constructor(address asset_, string memory name_, string memory symbol_, address owner_)
        TwinVault(asset_, name_, symbol_, owner_)
    {}

    modifier nonReentrant() override {
        _;
    }
}
