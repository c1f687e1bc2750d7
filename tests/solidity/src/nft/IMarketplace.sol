// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.23;

/// The public ABI of `Marketplace`, read by the Rust tests through alloy's `sol!`.
interface IMarketplace {
    error NotTokenOwner(address caller, address owner);
    error NotListed(address nft, uint256 tokenId);
    error StaleListing(address seller, address owner);
    error WrongPayment(uint256 sent, uint256 price);
    error RoyaltyAbovePrice(uint256 royalty, uint256 price);
    error EthTransferFailed(address to, uint256 amount);
    error TokenTransferFailed(address token, address from, address to, uint256 amount);
    error ZeroPrice();
    error Reentrant();

    event Listed(address indexed nft, uint256 indexed tokenId, address seller, address currency, uint256 price);
    event Cancelled(address indexed nft, uint256 indexed tokenId);
    event Sold(
        address indexed nft,
        uint256 indexed tokenId,
        address seller,
        address buyer,
        address currency,
        uint256 price,
        address royaltyReceiver,
        uint256 royalty
    );

    /// Lists `tokenId` of `nft` at `price` in `currency` (zero: ETH). The caller must own it and
    /// have approved this marketplace (`approve` or `setApprovalForAll`) before a sale.
    function list(address nft, uint256 tokenId, address currency, uint256 price) external;
    /// Withdraws the caller's listing.
    function cancel(address nft, uint256 tokenId) external;
    /// Buys a listed token: ETH listings take exactly `price` as value; ERC-20 listings pull
    /// `price` from the buyer (approved to this marketplace). Pays the ERC-2981 royalty (if the
    /// collection supports it) to its receiver and the rest to the seller.
    function buy(address nft, uint256 tokenId) external payable;
    function listings(address nft, uint256 tokenId) external view returns (address seller, address currency, uint256 price);
}
