// SPDX-License-Identifier: MIT OR Apache-2.0
// ERC-721 receiver fixture of `tests/tests/e2e/nft.rs` and `tests/benches/nft_gas.rs`: records what the
// collection passed to `onERC721Received` (operator, from, token id, `data`) and who owned the
// token during the hook; by mode it refuses (revert with data), answers a wrong value, or tries
// to re-enter the collection's `mint` (which the collection must refuse with `ReentrantCall()`).
pragma solidity 0.8.30;

import {IERC721Recorder} from "./IERC721Recorder.sol";

/// What the recorder calls on the collection.
interface ICollection {
    function ownerOf(uint256 tokenId) external view returns (address);
    function mint(address to, uint256 quantity) external payable;
}

contract ERC721Recorder is IERC721Recorder {
    uint8 public override mode;
    uint256 public override calls;
    address public override lastOperator;
    address public override lastFrom;
    uint256 public override lastTokenId;
    bytes private _lastData;
    address public override ownerSeen;

    /// Refunds of overpaid mints.
    receive() external payable {}

    function setMode(uint8 mode_) external override {
        mode = mode_;
    }

    function lastData() external view override returns (bytes memory) {
        return _lastData;
    }

    function mintFrom(address nft, uint256 quantity, uint256 value) external payable override {
        ICollection(nft).mint{value: value}(address(this), quantity);
    }

    function onERC721Received(address operator, address from, uint256 tokenId, bytes calldata data)
        external
        override
        returns (bytes4)
    {
        if (mode == 1) revert Refused(tokenId);
        if (mode == 3) {
            try ICollection(msg.sender).mint{value: address(this).balance}(address(this), 1) {}
            catch (bytes memory reason) {
                assembly {
                    revert(add(reason, 32), mload(reason))
                }
            }
        }
        calls += 1;
        lastOperator = operator;
        lastFrom = from;
        lastTokenId = tokenId;
        _lastData = data;
        ownerSeen = ICollection(msg.sender).ownerOf(tokenId);
        if (mode == 2) return 0x150b7a03;
        return this.onERC721Received.selector;
    }
}
