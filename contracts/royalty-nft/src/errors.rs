//! Solidity errors and events of the collection (ERC-721 errors as OpenZeppelin v5 names them),
//! and the one flat error enum every entry point returns.

use alloy_sol_types::sol;
use stylus_sdk::prelude::*;

pub use kit::{
    errors::ReentrantCall,
    math::{MathDivisionByZero, MathError, MathOverflow, MathUnderflow},
    ownable::{OwnableError, OwnableInvalidOwner, OwnableUnauthorizedAccount},
    safe_erc20::{SafeERC20FailedOperation, SafeErc20Error},
};
pub use rewards::{
    RewardFundingCap, RewardInvalidDuration, RewardMathOverflow, RewardRecoveryMovedProtected,
    RewardSourceUnknown, RewardTokenExists, RewardTokenForbidden, RewardTokenLimit,
    RewardTokenUnknown, RewardUnauthorized, RewardZeroAddress, RewardZeroAmount, RewardsError,
};

sol! {
    /// ERC-721: `tokenId` moved from `from` to `to` (zero `from`: mint; zero `to`: burn).
    #[derive(Debug, PartialEq, Eq)]
    event Transfer(address indexed from, address indexed to, uint256 indexed tokenId);
    /// ERC-721: `owner` approved `approved` for `tokenId` (zero: cleared).
    #[derive(Debug, PartialEq, Eq)]
    event Approval(address indexed owner, address indexed approved, uint256 indexed tokenId);
    /// ERC-721: `owner` (dis)allowed `operator` to manage all its tokens.
    #[derive(Debug, PartialEq, Eq)]
    event ApprovalForAll(address indexed owner, address indexed operator, bool approved);
    /// ERC-4906: the metadata of `_tokenId` changed (a per-token URI was set).
    #[derive(Debug, PartialEq, Eq)]
    event MetadataUpdate(uint256 _tokenId);
    /// ERC-4906: the metadata of a range of tokens changed (the base URI was set: all tokens).
    #[derive(Debug, PartialEq, Eq)]
    event BatchMetadataUpdate(uint256 _fromTokenId, uint256 _toTokenId);
    /// The primary-sale configuration changed.
    #[derive(Debug, PartialEq, Eq)]
    event SaleConfigured(uint256 price, uint256 maxSupply, uint256 walletLimit, uint256 allowlistStart, uint256 publicStart, uint256 saleEnd);
    /// The allowlist Merkle root changed.
    #[derive(Debug, PartialEq, Eq)]
    event AllowlistRootSet(bytes32 root);
    /// The default royalty is now `bps` basis points, paid to this contract.
    #[derive(Debug, PartialEq, Eq)]
    event DefaultRoyaltySet(uint256 bps);
    /// The royalty of `tokenId` is now `bps` basis points (`reset`: back to the default).
    #[derive(Debug, PartialEq, Eq)]
    event TokenRoyaltySet(uint256 indexed tokenId, uint256 bps, bool reset);
    /// Holders now receive `bps` basis points of every royalty accounted from now on.
    #[derive(Debug, PartialEq, Eq)]
    event HolderShareSet(uint256 bps);
    /// `amount` of `token` (zero: ETH) was accounted as royalty: `toHolders` streamed to holders
    /// (ETH wrapped into WETH), `toCreators` credited to the creator ledger.
    #[derive(Debug, PartialEq, Eq)]
    event RoyaltyDistributed(address indexed token, uint256 amount, uint256 toHolders, uint256 toCreators);
    /// `minter` paid `paid` for `quantity` tokens minted to `to` (`allowlist`: in the allowlist phase).
    #[derive(Debug, PartialEq, Eq)]
    event Minted(address indexed minter, address indexed to, uint256 quantity, uint256 paid, bool allowlist);
    /// `amount` of `token` (zero: ETH) was paid to creator `recipient`.
    #[derive(Debug, PartialEq, Eq)]
    event CreatorWithdrawal(address indexed token, address indexed recipient, uint256 amount);
    /// The facet of `kind` (0 admin, 1 config, 2 rewards) is `facet`, code hash `codehash`.
    #[derive(Debug, PartialEq, Eq)]
    event FacetSet(address indexed facet, bytes32 codehash, uint8 kind);

    /// ERC-721: `owner` is not a valid owner (the zero address).
    #[derive(Debug, PartialEq, Eq)]
    error ERC721InvalidOwner(address owner);
    /// ERC-721: `tokenId` does not exist (never minted, or burned).
    #[derive(Debug, PartialEq, Eq)]
    error ERC721NonexistentToken(uint256 tokenId);
    /// ERC-721: `sender` is not the owner of `tokenId`, `owner` is.
    #[derive(Debug, PartialEq, Eq)]
    error ERC721IncorrectOwner(address sender, uint256 tokenId, address owner);
    /// ERC-721: tokens cannot come from `sender`.
    #[derive(Debug, PartialEq, Eq)]
    error ERC721InvalidSender(address sender);
    /// ERC-721: `receiver` cannot receive tokens (zero, or a contract that refused them).
    #[derive(Debug, PartialEq, Eq)]
    error ERC721InvalidReceiver(address receiver);
    /// ERC-721: `operator` is neither owner, approved nor operator of `tokenId`.
    #[derive(Debug, PartialEq, Eq)]
    error ERC721InsufficientApproval(address operator, uint256 tokenId);
    /// ERC-721: `approver` may not approve this token.
    #[derive(Debug, PartialEq, Eq)]
    error ERC721InvalidApprover(address approver);
    /// ERC-721: `operator` cannot be an operator (the zero address).
    #[derive(Debug, PartialEq, Eq)]
    error ERC721InvalidOperator(address operator);
    /// ERC-2981: the default royalty `numerator` / `denominator` is too high.
    #[derive(Debug, PartialEq, Eq)]
    error ERC2981InvalidDefaultRoyalty(uint256 numerator, uint256 denominator);
    /// ERC-2981: the royalty `numerator` / `denominator` of `tokenId` is too high.
    #[derive(Debug, PartialEq, Eq)]
    error ERC2981InvalidTokenRoyalty(uint256 tokenId, uint256 numerator, uint256 denominator);
    /// Minting is closed now (outside the phase's window, or no root for the allowlist).
    #[derive(Debug, PartialEq, Eq)]
    error SaleNotActive();
    /// The quantity is zero or above the per-call maximum.
    #[derive(Debug, PartialEq, Eq)]
    error SaleInvalidQuantity(uint256 quantity);
    /// Minting `quantity` would exceed the maximum supply (`remaining` left).
    #[derive(Debug, PartialEq, Eq)]
    error SaleMaxSupplyExceeded(uint256 quantity, uint256 remaining);
    /// `wallet` would exceed its mint limit `limit` in this phase.
    #[derive(Debug, PartialEq, Eq)]
    error SaleWalletLimitExceeded(address wallet, uint256 limit);
    /// `sent` wei does not pay `required`.
    #[derive(Debug, PartialEq, Eq)]
    error SaleInsufficientPayment(uint256 required, uint256 sent);
    /// The Merkle proof does not prove `(account, allowance)` under the allowlist root.
    #[derive(Debug, PartialEq, Eq)]
    error SaleInvalidProof(address account, uint256 allowance);
    /// A sale configuration is inconsistent (windows out of order, max supply below minted...).
    #[derive(Debug, PartialEq, Eq)]
    error SaleInvalidConfig();
    /// Sending `amount` wei to `to` failed (a refund or a creator withdrawal).
    #[derive(Debug, PartialEq, Eq)]
    error EthTransferFailed(address to, uint256 amount);
    /// The creator split is invalid: empty, more than the maximum, a zero or duplicate
    /// recipient, a zero share, or shares not summing to exactly 10,000 bps.
    #[derive(Debug, PartialEq, Eq)]
    error SplitInvalid();
    /// `account` is not a creator recipient.
    #[derive(Debug, PartialEq, Eq)]
    error SplitUnknownRecipient(address account);
    /// Royalties in `token` cannot be accounted: not a reward token of the collection (the owner
    /// registers it with `addReward`, which also protects it from `recoverERC20`).
    #[derive(Debug, PartialEq, Eq)]
    error RoyaltyTokenUnknown(address token);
    /// The holder share is above 10,000 bps.
    #[derive(Debug, PartialEq, Eq)]
    error RoyaltyInvalidHolderShare(uint256 bps);
    /// Wrapping ETH into WETH failed.
    #[derive(Debug, PartialEq, Eq)]
    error RoyaltyWrapFailed(address weth);
    /// The rewards facet `facet` has no code or another storage-layout id; or WETH has no code.
    #[derive(Debug, PartialEq, Eq)]
    error NftInvalidDependency(address account);
}

/// Every Solidity error the collection (and its rewards facet) can return.
#[derive(SolidityError, Debug, PartialEq, Eq)]
pub enum NftError {
    /// See [`ERC721InvalidOwner`].
    ERC721InvalidOwner(ERC721InvalidOwner),
    /// See [`ERC721NonexistentToken`].
    ERC721NonexistentToken(ERC721NonexistentToken),
    /// See [`ERC721IncorrectOwner`].
    ERC721IncorrectOwner(ERC721IncorrectOwner),
    /// See [`ERC721InvalidSender`].
    ERC721InvalidSender(ERC721InvalidSender),
    /// See [`ERC721InvalidReceiver`].
    ERC721InvalidReceiver(ERC721InvalidReceiver),
    /// See [`ERC721InsufficientApproval`].
    ERC721InsufficientApproval(ERC721InsufficientApproval),
    /// See [`ERC721InvalidApprover`].
    ERC721InvalidApprover(ERC721InvalidApprover),
    /// See [`ERC721InvalidOperator`].
    ERC721InvalidOperator(ERC721InvalidOperator),
    /// See [`ERC2981InvalidDefaultRoyalty`].
    ERC2981InvalidDefaultRoyalty(ERC2981InvalidDefaultRoyalty),
    /// See [`ERC2981InvalidTokenRoyalty`].
    ERC2981InvalidTokenRoyalty(ERC2981InvalidTokenRoyalty),
    /// See [`SaleNotActive`].
    SaleNotActive(SaleNotActive),
    /// See [`SaleInvalidQuantity`].
    SaleInvalidQuantity(SaleInvalidQuantity),
    /// See [`SaleMaxSupplyExceeded`].
    SaleMaxSupplyExceeded(SaleMaxSupplyExceeded),
    /// See [`SaleWalletLimitExceeded`].
    SaleWalletLimitExceeded(SaleWalletLimitExceeded),
    /// See [`SaleInsufficientPayment`].
    SaleInsufficientPayment(SaleInsufficientPayment),
    /// See [`SaleInvalidProof`].
    SaleInvalidProof(SaleInvalidProof),
    /// See [`SaleInvalidConfig`].
    SaleInvalidConfig(SaleInvalidConfig),
    /// See [`EthTransferFailed`].
    EthTransferFailed(EthTransferFailed),
    /// See [`SplitInvalid`].
    SplitInvalid(SplitInvalid),
    /// See [`SplitUnknownRecipient`].
    SplitUnknownRecipient(SplitUnknownRecipient),
    /// See [`RoyaltyTokenUnknown`].
    RoyaltyTokenUnknown(RoyaltyTokenUnknown),
    /// See [`RoyaltyInvalidHolderShare`].
    RoyaltyInvalidHolderShare(RoyaltyInvalidHolderShare),
    /// See [`RoyaltyWrapFailed`].
    RoyaltyWrapFailed(RoyaltyWrapFailed),
    /// See [`NftInvalidDependency`].
    NftInvalidDependency(NftInvalidDependency),
    /// See [`ReentrantCall`].
    ReentrantCall(ReentrantCall),
    /// See [`OwnableUnauthorizedAccount`].
    OwnableUnauthorizedAccount(OwnableUnauthorizedAccount),
    /// See [`OwnableInvalidOwner`].
    OwnableInvalidOwner(OwnableInvalidOwner),
    /// See [`MathOverflow`].
    MathOverflow(MathOverflow),
    /// See [`MathUnderflow`].
    MathUnderflow(MathUnderflow),
    /// See [`MathDivisionByZero`].
    MathDivisionByZero(MathDivisionByZero),
    /// See [`SafeERC20FailedOperation`].
    SafeERC20FailedOperation(SafeERC20FailedOperation),
    /// See [`RewardUnauthorized`].
    RewardUnauthorized(RewardUnauthorized),
    /// See [`RewardTokenExists`].
    RewardTokenExists(RewardTokenExists),
    /// See [`RewardTokenUnknown`].
    RewardTokenUnknown(RewardTokenUnknown),
    /// See [`RewardTokenLimit`].
    RewardTokenLimit(RewardTokenLimit),
    /// See [`RewardTokenForbidden`].
    RewardTokenForbidden(RewardTokenForbidden),
    /// See [`RewardZeroAddress`].
    RewardZeroAddress(RewardZeroAddress),
    /// See [`RewardInvalidDuration`].
    RewardInvalidDuration(RewardInvalidDuration),
    /// See [`RewardSourceUnknown`].
    RewardSourceUnknown(RewardSourceUnknown),
    /// See [`RewardRecoveryMovedProtected`].
    RewardRecoveryMovedProtected(RewardRecoveryMovedProtected),
    /// See [`RewardZeroAmount`].
    RewardZeroAmount(RewardZeroAmount),
    /// See [`RewardFundingCap`].
    RewardFundingCap(RewardFundingCap),
    /// See [`RewardMathOverflow`].
    RewardMathOverflow(RewardMathOverflow),
}

kit::impl_error_from!(MathError => NftError);
kit::impl_error_from!(OwnableError => NftError);
kit::impl_error_from!(SafeErc20Error => NftError);
kit::impl_error_from!(RewardsError => NftError);

/// Builds a unit-like or field error: `nft_err!(SaleNotActive)`,
/// `nft_err!(ERC721NonexistentToken { tokenId })`.
#[macro_export]
#[doc(hidden)]
macro_rules! nft_err {
    ($name:ident) => {
        $crate::errors::NftError::$name($crate::errors::$name {})
    };
    ($name:ident { $($f:tt)* }) => {
        $crate::errors::NftError::$name($crate::errors::$name { $($f)* })
    };
}

/// Solidity declarations of the collection's own events, for ABI export.
pub const EVENTS_SOL: &[&str] = &[
    "event Transfer(address indexed from, address indexed to, uint256 indexed tokenId)",
    "event Approval(address indexed owner, address indexed approved, uint256 indexed tokenId)",
    "event ApprovalForAll(address indexed owner, address indexed operator, bool approved)",
    "event MetadataUpdate(uint256 _tokenId)",
    "event BatchMetadataUpdate(uint256 _fromTokenId, uint256 _toTokenId)",
    "event SaleConfigured(uint256 price, uint256 maxSupply, uint256 walletLimit, uint256 allowlistStart, uint256 publicStart, uint256 saleEnd)",
    "event AllowlistRootSet(bytes32 root)",
    "event DefaultRoyaltySet(uint256 bps)",
    "event TokenRoyaltySet(uint256 indexed tokenId, uint256 bps, bool reset)",
    "event HolderShareSet(uint256 bps)",
    "event RoyaltyDistributed(address indexed token, uint256 amount, uint256 toHolders, uint256 toCreators)",
    "event Minted(address indexed minter, address indexed to, uint256 quantity, uint256 paid, bool allowlist)",
    "event CreatorWithdrawal(address indexed token, address indexed recipient, uint256 amount)",
    "event FacetSet(address indexed facet, bytes32 codehash, uint8 kind)",
];
