// SPDX-License-Identifier: MIT OR Apache-2.0
// Interfaces of the attack contracts (HookToken.sol, HookAttacker.sol): implemented by the
// Solidity sources and read by the Rust tests through alloy's `sol!`.
pragma solidity ^0.8.23;

/// ERC-777-style hooks an account registers on `HookToken`.
interface ITokenHooks {
    /// Called on the sender's hook before the balances move (ERC-777 `tokensToSend`).
    function tokensToSend(address operator, address from, address to, uint256 amount) external;
    /// Called on the receiver's hook after the balances moved (ERC-777 `tokensReceived`).
    function tokensReceived(address operator, address from, address to, uint256 amount) external;
}

/// An ERC-20 that calls the registered hooks of both parties on every transfer (ERC-777-like).
interface IHookToken {
    function mint(address to, uint256 amount) external;
    function setHook(address hook) external;
    function hookOf(address account) external view returns (address);
    function balanceOf(address account) external view returns (uint256);
    function totalSupply() external view returns (uint256);
    function approve(address spender, uint256 value) external returns (bool);
    function transfer(address to, uint256 value) external returns (bool);
    function transferFrom(address from, address to, uint256 value) external returns (bool);
    function decimals() external view returns (uint8);
}

/// A contract account that acts on a target and, from its token hooks, re-enters it once.
interface IHookAttacker {
    /// Makes a call as the attacker (reverts with the callee's revert data).
    function execute(address target, bytes calldata data) external returns (bytes memory);
    /// Arms the reentry: the next hook calls `target` with `data` once.
    function arm(address target, bytes calldata data) external;
    /// Hook calls seen so far.
    function hookCalls() external view returns (uint256);
    /// Whether the armed reentry was tried, whether it succeeded, and its return or revert data.
    function reentry() external view returns (bool attempted, bool succeeded, bytes memory result);
}
