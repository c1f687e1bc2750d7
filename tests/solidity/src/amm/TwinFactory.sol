// SPDX-License-Identifier: MIT OR Apache-2.0
// Stylus Yield: the Solidity twin of the Stylus pool factory (contracts/pool-factory), our own
// code on the public IUniswapV2Factory ABI: pairs are CREATE2 deployments of TwinPair with
// salt keccak256(abi.encodePacked(token0, token1)), initialised in the creating transaction, so
// pairFor(factory, a, b) = address(keccak256(0xff ‖ factory ‖ salt ‖ pairInitCodeHash)[12:]).
// Addition (AMM.md): `pairInitCodeHash()`.
pragma solidity 0.8.30;

import {TwinPair} from "./TwinPair.sol";

contract TwinFactory {
    error IdenticalAddresses();
    error ZeroAddress();
    error PairExists();
    error Forbidden();

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
        if (tokenA == tokenB) revert IdenticalAddresses();
        (address token0, address token1) = tokenA < tokenB ? (tokenA, tokenB) : (tokenB, tokenA);
        if (token0 == address(0)) revert ZeroAddress();
        if (getPair[token0][token1] != address(0)) revert PairExists();
        pair = address(new TwinPair{salt: keccak256(abi.encodePacked(token0, token1))}());
        TwinPair(pair).initialize(token0, token1);
        getPair[token0][token1] = pair;
        getPair[token1][token0] = pair;
        allPairs.push(pair);
        emit PairCreated(token0, token1, pair, allPairs.length);
    }

    function setFeeTo(address feeTo_) external {
        if (msg.sender != feeToSetter) revert Forbidden();
        feeTo = feeTo_;
    }

    function setFeeToSetter(address feeToSetter_) external {
        if (msg.sender != feeToSetter) revert Forbidden();
        feeToSetter = feeToSetter_;
    }
}
