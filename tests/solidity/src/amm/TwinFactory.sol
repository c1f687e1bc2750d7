// SPDX-License-Identifier: MIT OR Apache-2.0
// Stylus Yield: the Solidity twin of the Stylus pool factory (contracts/pool-factory), our own
// code on the public IUniswapV2Factory ABI: pairs are CREATE2 deployments of TwinPair with
// salt keccak256(abi.encodePacked(token0, token1)), initialised in the creating transaction, so
// pairFor(factory, a, b) = address(keccak256(0xff ‖ factory ‖ salt ‖ pairInitCodeHash)[12:]).
// Addition (AMM.md): `pairInitCodeHash()`.
pragma solidity 0.8.30;

import {TwinPair} from "./TwinPair.sol";

contract TwinFactory {
    error UniswapV2IdenticalAddresses();
    error UniswapV2ZeroAddress();
    error UniswapV2PairExists();
    error UniswapV2Forbidden();

    event PairCreated(address indexed token0, address indexed token1, address pair, uint256);

    address public feeTo;
    address public feeToSetter;
    bytes32 public immutable pairInitCodeHash;
    mapping(address => mapping(address => address)) public getPair;
    address[] public allPairs;

    constructor(address feeToSetter_) {
        feeToSetter = feeToSetter_;
        pairInitCodeHash = keccak256(type(TwinPair).creationCode);
    }

    function allPairsLength() external view returns (uint256) {
        return allPairs.length;
    }

    function createPair(address tokenA, address tokenB) external returns (address pair) {
        if (tokenA == tokenB) revert UniswapV2IdenticalAddresses();
        (address token0, address token1) = tokenA < tokenB ? (tokenA, tokenB) : (tokenB, tokenA);
        if (token0 == address(0)) revert UniswapV2ZeroAddress();
        if (getPair[token0][token1] != address(0)) revert UniswapV2PairExists();
        pair = address(new TwinPair{salt: keccak256(abi.encodePacked(token0, token1))}());
        TwinPair(pair).initialize(token0, token1);
        getPair[token0][token1] = pair;
        getPair[token1][token0] = pair;
        allPairs.push(pair);
        emit PairCreated(token0, token1, pair, allPairs.length);
    }

    function setFeeTo(address feeTo_) external {
        if (msg.sender != feeToSetter) revert UniswapV2Forbidden();
        feeTo = feeTo_;
    }

    function setFeeToSetter(address feeToSetter_) external {
        if (msg.sender != feeToSetter) revert UniswapV2Forbidden();
        feeToSetter = feeToSetter_;
    }
}
