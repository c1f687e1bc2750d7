// SPDX-License-Identifier: MIT OR Apache-2.0
// A minimal fixed-price NFT marketplace that honours ERC-2981: the secondary-sale fixture of
// `tests/tests/e2e/nft.rs` and `tests/benches/nft_gas.rs`. It talks to collections only through the
// standard interfaces (ERC-165, ERC-721, ERC-2981), so it works with any compliant collection.
//
// Flow of `buy`: checks (listed, seller still owns the token, exact payment, royalty ≤ price) ->
// effects (listing deleted) -> the token moves seller -> buyer (`transferFrom`, the marketplace
// is the approved operator) -> the royalty goes to `royaltyInfo`'s receiver -> the rest to the
// seller. ETH is sent with a plain call forwarding all gas (a receiver such as the Stylus
// collection accounts the royalty in its `receive`); ERC-20s move buyer -> receiver and
// buyer -> seller directly, nothing is held here. A transient lock refuses reentrancy.
pragma solidity 0.8.30;

import {IMarketplace} from "./IMarketplace.sol";

/// ERC-165.
interface IERC165Std {
    function supportsInterface(bytes4 interfaceId) external view returns (bool);
}

/// The ERC-721 calls the marketplace makes.
interface IERC721Std {
    function ownerOf(uint256 tokenId) external view returns (address);
    function transferFrom(address from, address to, uint256 tokenId) external;
}

/// ERC-2981.
interface IERC2981Std {
    function royaltyInfo(uint256 tokenId, uint256 salePrice) external view returns (address receiver, uint256 royaltyAmount);
}

/// The ERC-20 call the marketplace makes.
interface IERC20Std {
    function transferFrom(address from, address to, uint256 value) external returns (bool);
}

contract Marketplace is IMarketplace {
    struct Listing {
        address seller;
        address currency;
        uint256 price;
    }

    /// ERC-2981's interface id.
    bytes4 private constant ERC2981_ID = 0x2a55205a;
    /// Transient slot of the reentrancy lock.
    uint256 private constant LOCK_SLOT = uint256(keccak256("stylus-yield.marketplace.lock"));

    mapping(address => mapping(uint256 => Listing)) private _listings;

    modifier locked() {
        uint256 slot = LOCK_SLOT;
        uint256 busy;
        assembly {
            busy := tload(slot)
        }
        if (busy != 0) revert Reentrant();
        assembly {
            tstore(slot, 1)
        }
        _;
        assembly {
            tstore(slot, 0)
        }
    }

    function listings(address nft, uint256 tokenId)
        external
        view
        override
        returns (address seller, address currency, uint256 price)
    {
        Listing storage l = _listings[nft][tokenId];
        return (l.seller, l.currency, l.price);
    }

    function list(address nft, uint256 tokenId, address currency, uint256 price) external override {
        if (price == 0) revert ZeroPrice();
        address owner = IERC721Std(nft).ownerOf(tokenId);
        if (owner != msg.sender) revert NotTokenOwner(msg.sender, owner);
        _listings[nft][tokenId] = Listing(msg.sender, currency, price);
        emit Listed(nft, tokenId, msg.sender, currency, price);
    }

    function cancel(address nft, uint256 tokenId) external override {
        Listing storage l = _listings[nft][tokenId];
        if (l.seller != msg.sender) revert NotTokenOwner(msg.sender, l.seller);
        delete _listings[nft][tokenId];
        emit Cancelled(nft, tokenId);
    }

    function buy(address nft, uint256 tokenId) external payable override locked {
        Listing memory l = _listings[nft][tokenId];
        if (l.seller == address(0)) revert NotListed(nft, tokenId);
        address owner = IERC721Std(nft).ownerOf(tokenId);
        if (owner != l.seller) revert StaleListing(l.seller, owner);
        uint256 expected = l.currency == address(0) ? l.price : 0;
        if (msg.value != expected) revert WrongPayment(msg.value, expected);
        (address receiver, uint256 royalty) = _royalty(nft, tokenId, l.price);
        if (royalty > l.price) revert RoyaltyAbovePrice(royalty, l.price);
        delete _listings[nft][tokenId];

        IERC721Std(nft).transferFrom(l.seller, msg.sender, tokenId);
        uint256 rest = l.price - royalty;
        if (l.currency == address(0)) {
            if (royalty != 0) _sendEth(receiver, royalty);
            _sendEth(l.seller, rest);
        } else {
            if (royalty != 0) _pull(l.currency, msg.sender, receiver, royalty);
            if (rest != 0) _pull(l.currency, msg.sender, l.seller, rest);
        }
        emit Sold(nft, tokenId, l.seller, msg.sender, l.currency, l.price, receiver, royalty);
    }

    /// `royaltyInfo(tokenId, price)` when the collection declares ERC-2981, else no royalty.
    function _royalty(address nft, uint256 tokenId, uint256 price) private view returns (address, uint256) {
        try IERC165Std(nft).supportsInterface(ERC2981_ID) returns (bool yes) {
            if (!yes) return (address(0), 0);
        } catch {
            return (address(0), 0);
        }
        return IERC2981Std(nft).royaltyInfo(tokenId, price);
    }

    function _sendEth(address to, uint256 amount) private {
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert EthTransferFailed(to, amount);
    }

    /// `transferFrom` tolerating tokens that return nothing (USDT-style); a `false` or a revert fails.
    function _pull(address token, address from, address to, uint256 amount) private {
        (bool ok, bytes memory ret) =
            token.call(abi.encodeWithSelector(IERC20Std.transferFrom.selector, from, to, amount));
        if (!ok || (ret.length != 0 && !abi.decode(ret, (bool))) || (ret.length == 0 && token.code.length == 0)) {
            revert TokenTransferFailed(token, from, to, amount);
        }
    }
}
