// SPDX-License-Identifier: MIT OR Apache-2.0
// Stylus Yield attack fixture: an ERC-20 with ERC-777-style hooks (the reentrancy vector of the
// 2020 imBTC/Uniswap V1 and Lendf.me exploits). Anyone may mint: test use only.
pragma solidity 0.8.30;

import {IHookToken, ITokenHooks} from "./IHooks.sol";

contract HookToken is IHookToken {
    error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
    error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed);
    error ERC20InvalidReceiver(address receiver);

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;
    mapping(address => address) public hookOf;

    function decimals() external pure returns (uint8) {
        return 18;
    }

    function mint(address to, uint256 amount) external {
        totalSupply += amount;
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    function setHook(address hook) external {
        hookOf[msg.sender] = hook;
    }

    function approve(address spender, uint256 value) external returns (bool) {
        allowance[msg.sender][spender] = value;
        emit Approval(msg.sender, spender, value);
        return true;
    }

    function transfer(address to, uint256 value) external returns (bool) {
        _transfer(msg.sender, to, value);
        return true;
    }

    function transferFrom(address from, address to, uint256 value) external returns (bool) {
        uint256 current = allowance[from][msg.sender];
        if (current != type(uint256).max) {
            if (current < value) revert ERC20InsufficientAllowance(msg.sender, current, value);
            allowance[from][msg.sender] = current - value;
        }
        _transfer(from, to, value);
        return true;
    }

    /// Sender hook before the move, receiver hook after it (ERC-777 order).
    function _transfer(address from, address to, uint256 value) private {
        if (to == address(0)) revert ERC20InvalidReceiver(address(0));
        address sendHook = hookOf[from];
        if (sendHook != address(0)) ITokenHooks(sendHook).tokensToSend(msg.sender, from, to, value);
        uint256 bal = balanceOf[from];
        if (bal < value) revert ERC20InsufficientBalance(from, bal, value);
        balanceOf[from] = bal - value;
        balanceOf[to] += value;
        emit Transfer(from, to, value);
        address receiveHook = hookOf[to];
        if (receiveHook != address(0)) ITokenHooks(receiveHook).tokensReceived(msg.sender, from, to, value);
    }
}
