// SPDX-License-Identifier: MIT OR Apache-2.0
// Stylus Yield attack fixture: a contract account that acts on a vault through `execute` and,
// when a HookToken calls its hook in the middle of that action, re-enters the vault once with
// the armed calldata. It records the outcome instead of reverting, so a refused reentry lets the
// outer action finish and the test can check both the refusal and the accounting.
pragma solidity 0.8.30;

import {IHookAttacker, ITokenHooks} from "./IHooks.sol";

contract HookAttacker is IHookAttacker, ITokenHooks {
    error NotController(address caller);

    address private immutable _controller;
    address private _target;
    bytes private _data;
    bool private _armed;
    bool private _attempted;
    bool private _succeeded;
    bytes private _result;
    uint256 public hookCalls;

    constructor() {
        _controller = msg.sender;
    }

    modifier onlyController() {
        if (msg.sender != _controller) revert NotController(msg.sender);
        _;
    }

    function execute(address target, bytes calldata data) external onlyController returns (bytes memory) {
        (bool ok, bytes memory ret) = target.call(data);
        if (!ok) {
            assembly {
                revert(add(ret, 32), mload(ret))
            }
        }
        return ret;
    }

    function arm(address target, bytes calldata data) external onlyController {
        _target = target;
        _data = data;
        _armed = true;
        _attempted = false;
        _succeeded = false;
        delete _result;
    }

    function reentry() external view returns (bool attempted, bool succeeded, bytes memory result) {
        return (_attempted, _succeeded, _result);
    }

    function tokensToSend(address, address, address, uint256) external {
        _hook();
    }

    function tokensReceived(address, address, address, uint256) external {
        _hook();
    }

    function _hook() private {
        hookCalls += 1;
        if (!_armed) return;
        _armed = false;
        _attempted = true;
        (_succeeded, _result) = _target.call(_data);
    }
}
