// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.23;

/// The public ABI of `ERC721Recorder`, read by the Rust tests through alloy's `sol!`.
interface IERC721Recorder {
    /// Mode 1's revert.
    error Refused(uint256 tokenId);

    /// 0: accept (answer the magic); 1: revert `Refused(tokenId)`; 2: answer a wrong value;
    /// 3: re-enter the calling collection with `mint{value: balance}(this, 1)` and bubble its revert.
    function setMode(uint8 mode) external;
    function mode() external view returns (uint8);
    /// Calls `nft.mint{value: value}(address(this), quantity)` (the rest of `msg.value` stays
    /// here, for mode 3's nested mint); bubbles a revert.
    function mintFrom(address nft, uint256 quantity, uint256 value) external payable;
    function calls() external view returns (uint256);
    function lastOperator() external view returns (address);
    function lastFrom() external view returns (address);
    function lastTokenId() external view returns (uint256);
    function lastData() external view returns (bytes memory);
    /// `ownerOf(tokenId)` read on the collection inside the last hook (the state must be final).
    function ownerSeen() external view returns (address);
    function onERC721Received(address operator, address from, uint256 tokenId, bytes calldata data) external returns (bytes4);
}
