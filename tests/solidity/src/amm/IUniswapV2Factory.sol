// SPDX-License-Identifier: MIT OR Apache-2.0
// The public Uniswap V2 factory ABI, written from the published interface, plus the additions of
// AMM.md (`pairInitCodeHash`); bound by the e2e tests and checked against abi/pool-factory.json.
pragma solidity ^0.8.20;

interface IUniswapV2Factory {
    event PairCreated(address indexed token0, address indexed token1, address pair, uint256);

    function feeTo() external view returns (address);
    function feeToSetter() external view returns (address);
    function getPair(address tokenA, address tokenB) external view returns (address pair);
    function allPairs(uint256) external view returns (address pair);
    function allPairsLength() external view returns (uint256);
    function createPair(address tokenA, address tokenB) external returns (address pair);
    function setFeeTo(address) external;
    function setFeeToSetter(address) external;

    /// Addition: keccak256 of the pairs' CREATE2 init code (for `pairFor`).
    function pairInitCodeHash() external view returns (bytes32);
}
