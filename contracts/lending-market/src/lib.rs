//! Stylus Yield lending market: many isolated Morpho-Blue-class markets in one contract, with
//! supply-side and borrow-side incentives through the shared reward module.
//!
//! A market is `(loanToken, collateralToken, oracle, irm, lltv)`; its id is
//! `keccak256(abi.encode(marketParams))` (five words). Markets are created permissionlessly from
//! owner-enabled IRMs and LLTVs. The ABI is Morpho Blue's `IMorpho` (same selectors, structs and
//! events, `onMorpho*` callbacks), with named custom errors instead of revert strings, plus
//! `expected*` views, `rewardSources` and the reward ABI `IRewards`.
//!
//! # Policies
//! * **Interest**: accrued before every action on a market (not before `supplyCollateral`, which
//!   changes no debt, as Morpho): `interest = totalBorrow · wTaylorCompounded(rate, elapsed)` (three
//!   terms, rounded down, in the borrowers' favour), added to both sides; the fee
//!   `interest · fee` is minted as supply shares to the fee recipient, priced after the interest
//!   and rounded down. `rate` comes from the market's IRM (`borrowRate`, a state-changing call
//!   so stateful IRMs work; `address(0)` = no interest). Accrual is idempotent within a block.
//! * **Rounding** (always against the caller): supply by assets → shares down, by shares →
//!   assets up; withdraw by assets → shares up, by shares → assets down; borrow by assets →
//!   shares up, by shares → assets down; repay by assets → shares down, by shares → assets up;
//!   debts (health check) rounded up, collateral value rounded down. Virtual shares 1e6 and
//!   virtual assets 1 per side make an empty market's share price unmovable by donations
//!   (the Hundred/Sonne inflation class: the attacker's donation is shared with the virtual
//!   shares and the victim loses at most rounding dust).
//! * **Health**: `borrowShares → assets (up) ≤ collateral · price / 1e36 (down) · lltv (down)`,
//!   checked after every borrow and collateral withdrawal: state changes first, then the check
//!   (with the oracle's price), then the transfer out.
//! * **Liquidation** of unhealthy positions only: exactly one of `seizedAssets` / `repaidShares`;
//!   incentive factor `min(1.15, 1 / (1 − 0.3 · (1 − lltv)))`; a liquidation can never seize
//!   more than the collateral (`InsufficientCollateral()`) nor repay more than the debt
//!   (`MathUnderflow()`). When the collateral reaches zero the remaining debt is **bad debt**:
//!   it is removed from the borrow side and from the supply assets, i.e. spread over all
//!   suppliers pro rata to their shares (`Liquidate` reports `badDebtAssets` / `badDebtShares`).
//! * **Tokens in**: Morpho credits the requested amount and pulls it with `transferFrom`; this
//!   market does the same but measures its balance around the pull and reverts
//!   `TransferShortfall(token, expected, received)` if less arrived, so a fee-on-transfer loan
//!   or collateral token can never make the market owe more than it holds (such tokens simply
//!   cannot be used). Rebasing tokens are not supported. Tokens out go through the kit's safe
//!   transfer (`SafeERC20FailedOperation(token)`).
//! * **Authorisation**: `onBehalf` may withdraw, borrow and withdraw collateral only if it is the
//!   caller or has authorised the caller (`setAuthorization`, or `setAuthorizationWithSig`: an
//!   EIP-712 signature over `Authorization(address authorizer,address authorized,bool
//!   isAuthorized,uint256 nonce,uint256 deadline)` in Morpho's domain `(chainId,
//!   verifyingContract)`, with a sequential nonce and a deadline; high-`s` signatures, bad `v`
//!   and a zero or wrong signer revert `InvalidSignature()`; replays revert `InvalidNonce()`).
//!   Anyone may supply, repay and supply collateral for anyone.
//! * **Reentrancy and callbacks**: the market must accept reentrant calls (a flash-loan callback
//!   repays, supplies or liquidates), so it has its own `user_entrypoint` without the SDK's
//!   reentrancy denial (never the SDK's `reentrant` feature); the facets use the same entry point
//!   (a delegate frame inside a reentrant call must not be refused either). Safety comes from
//!   checks-effects-interactions: every storage write of an operation (and its event) happens
//!   before the `onMorpho*` callback and the token transfers, so a callback (or a token hook)
//!   that reads `market`, `position` or `expected*` sees final state (no read-only
//!   reentrancy), and a reentrant operation starts from consistent books. Tokens are pulled
//!   after the callback (the callback is how a caller gets the funds). Free flash loans of any
//!   token the market holds: sent, `onMorphoFlashLoan` always called, pulled back (measured).
//! * **Incentives**: every market has two reward sources: supply shares (`uint256(id)`) and borrow
//!   shares (`uint256(id) ^ 1`); `createMarket` refuses a market whose id is another market's
//!   id ^ 1 (`MarketIdCollision()`), so each source maps to exactly one market side. The
//!   accounts whose shares change are checkpointed **before** every change: supply, withdraw,
//!   borrow, repay, liquidation (borrow side, which also covers the bad-debt write-off) and the
//!   fee shares minted to the fee recipient in accrual. The reward admin is the market owner.
//!   Every loan and collateral token of a market is a principal token (recorded at
//!   `createMarket`), can never become a reward, and a market cannot be created with a token
//!   that already is a reward (`RewardTokenForbidden(token)`). `recoverERC20` is not offered
//!   (always `RewardTokenForbidden(token)`): the market holds user funds of unboundedly many
//!   tokens, so no recovery could prove it leaves them untouched.
//! * **Four programs, one market (size)**: Morpho's ABI plus the reward ABI do not fit the
//!   24,576-byte deployable limit in one program (measured: ~30 KB for the market with the
//!   reward ABI, ~29 KB for a single facet with every cold path). The **market** program keeps
//!   the hot paths: `supply`, `withdraw`, `borrow`, `repay`, `supplyCollateral`,
//!   `withdrawCollateral`, `flashLoan`, `setAuthorization`, `accrueInterest` (with the reward
//!   checkpoints inline). Everything else is served by three **facets**, this crate built with
//!   features `admin-facet`, `rewards-facet` and `views-facet` (artifacts
//!   `lending-market-{admin,rewards,views}-facet`), run by `delegatecall` on the market's storage
//!   at the market's address and chained by their fallbacks: market → **admin facet**
//!   (`liquidate`, the owner setters, `createMarket`, `setAuthorizationWithSig`) → **rewards
//!   facet** (`IRewards`) → **views facet** (`position`, `market`, `isAuthorized`,
//!   `idToMarketParams`, `owner`, `feeRecipient`, `isIrmEnabled`, `isLltvEnabled`, `nonce`,
//!   `DOMAIN_SEPARATOR`, `rewardSources`, the `expected*` views and the facet getters). The cut
//!   follows gas: every user operation but liquidation is one program entry; liquidation (rare,
//!   paid by a liquidator's incentive) costs one delegatecall hop, reward calls two, views
//!   three (free off-chain). The facets are constructor arguments
//!   (`constructor(owner, rewardsFacet, adminFacet, viewsFacet)`): each must have code and
//!   answer its version call (`rewardsFacetVersion()` / `adminFacetVersion()` /
//!   `viewsFacetVersion()`) with [`REWARDS_FACET_VERSION`] / [`ADMIN_FACET_VERSION`] /
//!   [`VIEWS_FACET_VERSION`]; their code hashes are recorded (`*FacetCodehash()`). They cannot
//!   be replaced (a facet writes the market's storage; replacing it would be an owner backdoor
//!   over user funds). The market program's own error enum leaves out the errors only facets
//!   return (see [`MarketError`]); the exported ABIs list them all.
//! * **Storage**: Morpho's packing: `Position` = supplyShares (u256) + borrowShares and
//!   collateral (two u128, one slot); `Market` = six u128 in three slots. Totals beyond
//!   `type(uint128).max` revert `MathOverflow()`.
//!
//! # Differences from Morpho Blue
//! Custom errors instead of strings; the measured pull above (Morpho credits the request);
//! incentives (checkpoints, `rewardSources`, `MarketIdCollision`); `expected*` views in the
//! contract (Morpho has them in a periphery library); oracle and IRM failures bubble the
//! callee's revert data, a callee without code (empty answer) reverts `NoCode()`; the market
//! cannot receive ETH.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "contract-client-gen", allow(unused_imports))]
#![cfg_attr(
    any(
        feature = "rewards-facet",
        feature = "admin-facet",
        feature = "views-facet"
    ),
    allow(unused_imports, dead_code)
)]

extern crate alloc;

#[cfg(not(any(
    feature = "rewards-facet",
    feature = "admin-facet",
    feature = "views-facet"
)))]
mod abi;
mod admin;
mod facets;

mod io;
pub mod math;
mod ops;

// The SDK's `#[public]` defines `print_from_args` in the module of the impl block: re-export
// the one of this build for the export bin.
#[cfg(all(
    feature = "export-abi",
    not(any(
        feature = "rewards-facet",
        feature = "admin-facet",
        feature = "views-facet"
    ))
))]
pub use abi::print_from_args;
#[cfg(all(
    feature = "export-abi",
    any(
        feature = "rewards-facet",
        feature = "admin-facet",
        feature = "views-facet"
    )
))]
pub use facets::print_from_args;

use alloc::vec::Vec;

use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::sol;
use kit::{
    math::{MathDivisionByZero, MathError, MathOverflow, MathUnderflow},
    safe_erc20::{SafeERC20FailedOperation, SafeErc20Error},
};
#[allow(unused_imports)] // the market wasm lists no reward errors (see `MarketError`)
use rewards::{
    RewardFundingCap, RewardInvalidDuration, RewardMathOverflow, RewardRecoveryMovedProtected,
    RewardSourceUnknown, RewardTokenExists, RewardTokenForbidden, RewardTokenLimit,
    RewardTokenUnknown, RewardUnauthorized, RewardZeroAddress, RewardZeroAmount, Rewards,
    RewardsError, RewardsHost,
};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageB256, StorageBool, StorageMap, StorageU128, StorageU256},
};

/// Storage-layout id of this crate's rewards facet: the market only accepts a rewards facet
/// whose `rewardsFacetVersion()` returns it (bump it whenever the storage layout changes).
pub const REWARDS_FACET_VERSION: B256 = B256::new(*b"stylus-yield market rewards v1\0\0");

/// Storage-layout id of this crate's views facet (`viewsFacetVersion()`).
pub const VIEWS_FACET_VERSION: B256 = B256::new(*b"stylus-yield market views v1\0\0\0\0");

/// Storage-layout id of this crate's admin facet (`adminFacetVersion()`).
pub const ADMIN_FACET_VERSION: B256 = B256::new(*b"stylus-yield market admin v1\0\0\0\0");

/// `keccak256("EIP712Domain(uint256 chainId,address verifyingContract)")` (Morpho's domain).
pub const DOMAIN_TYPEHASH: B256 =
    alloy_primitives::b256!("47e79534a245952e8b16893a336b85a3d9ea9fa8c573f3d803afb92a79469218");

/// `keccak256("Authorization(address authorizer,address authorized,bool isAuthorized,uint256 nonce,uint256 deadline)")`.
pub const AUTHORIZATION_TYPEHASH: B256 =
    alloy_primitives::b256!("81d0284fb0e2cde18d0553b06189d6f7613c96a01bb5b5e7828eade6a0dcac91");

sol! {
    /// A market: `id = keccak256(abi.encode(marketParams))`.
    #[derive(AbiType, Debug, PartialEq, Eq)]
    struct MarketParams {
        address loanToken;
        address collateralToken;
        address oracle;
        address irm;
        uint256 lltv;
    }

    /// A signed authorisation (`setAuthorizationWithSig`).
    #[derive(AbiType, Debug, PartialEq, Eq)]
    struct Authorization {
        address authorizer;
        address authorized;
        bool isAuthorized;
        uint256 nonce;
        uint256 deadline;
    }

    /// An ECDSA signature.
    #[derive(AbiType, Debug, PartialEq, Eq)]
    struct Signature {
        uint8 v;
        bytes32 r;
        bytes32 s;
    }

    /// A market's state as Morpho passes it to the IRM.
    #[derive(Debug, PartialEq, Eq)]
    struct Market {
        uint128 totalSupplyAssets;
        uint128 totalSupplyShares;
        uint128 totalBorrowAssets;
        uint128 totalBorrowShares;
        uint128 lastUpdate;
        uint128 fee;
    }

    event SetOwner(address indexed newOwner);
    event SetFee(bytes32 indexed id, uint256 newFee);
    event SetFeeRecipient(address indexed newFeeRecipient);
    event EnableIrm(address indexed irm);
    event EnableLltv(uint256 lltv);
    event CreateMarket(bytes32 indexed id, MarketParams marketParams);
    event Supply(bytes32 indexed id, address indexed caller, address indexed onBehalf, uint256 assets, uint256 shares);
    event Withdraw(bytes32 indexed id, address caller, address indexed onBehalf, address indexed receiver, uint256 assets, uint256 shares);
    event Borrow(bytes32 indexed id, address caller, address indexed onBehalf, address indexed receiver, uint256 assets, uint256 shares);
    event Repay(bytes32 indexed id, address indexed caller, address indexed onBehalf, uint256 assets, uint256 shares);
    event SupplyCollateral(bytes32 indexed id, address indexed caller, address indexed onBehalf, uint256 assets);
    event WithdrawCollateral(bytes32 indexed id, address caller, address indexed onBehalf, address indexed receiver, uint256 assets);
    event Liquidate(bytes32 indexed id, address indexed caller, address indexed borrower, uint256 repaidAssets, uint256 repaidShares, uint256 seizedAssets, uint256 badDebtAssets, uint256 badDebtShares);
    event FlashLoan(address indexed caller, address indexed token, uint256 assets);
    event SetAuthorization(address indexed caller, address indexed authorizer, address indexed authorized, bool newIsAuthorized);
    event IncrementNonce(address indexed caller, address indexed authorizer, uint256 usedNonce);
    event AccrueInterest(bytes32 indexed id, uint256 prevBorrowRate, uint256 interest, uint256 feeShares);
    /// The rewards facet is `facet`, whose code hash is `codehash` (constructor).
    event RewardsFacetSet(address indexed facet, bytes32 codehash);
    /// The admin facet is `facet`, whose code hash is `codehash` (constructor).
    event AdminFacetSet(address indexed facet, bytes32 codehash);
    /// The views facet is `facet`, whose code hash is `codehash` (constructor).
    event ViewsFacetSet(address indexed facet, bytes32 codehash);

    /// Only the owner may call this.
    #[derive(Debug, PartialEq, Eq)]
    error NotOwner();
    /// An LLTV must be below 1e18.
    #[derive(Debug, PartialEq, Eq)]
    error MaxLltvExceeded();
    /// A fee must be at most 0.25e18.
    #[derive(Debug, PartialEq, Eq)]
    error MaxFeeExceeded();
    /// The value is already set.
    #[derive(Debug, PartialEq, Eq)]
    error AlreadySet();
    /// The IRM is not enabled.
    #[derive(Debug, PartialEq, Eq)]
    error IrmNotEnabled();
    /// The LLTV is not enabled.
    #[derive(Debug, PartialEq, Eq)]
    error LltvNotEnabled();
    /// The market exists already.
    #[derive(Debug, PartialEq, Eq)]
    error MarketAlreadyCreated();
    /// The market does not exist.
    #[derive(Debug, PartialEq, Eq)]
    error MarketNotCreated();
    /// A market with id ^ 1 exists (its reward sources would collide).
    #[derive(Debug, PartialEq, Eq)]
    error MarketIdCollision();
    /// Exactly one of assets and shares must be zero.
    #[derive(Debug, PartialEq, Eq)]
    error InconsistentInput();
    /// A zero amount.
    #[derive(Debug, PartialEq, Eq)]
    error ZeroAssets();
    /// A zero address.
    #[derive(Debug, PartialEq, Eq)]
    error ZeroAddress();
    /// The caller is not authorised to manage `onBehalf`'s position.
    #[derive(Debug, PartialEq, Eq)]
    error Unauthorized();
    /// The position would be unhealthy, or the collateral is short.
    #[derive(Debug, PartialEq, Eq)]
    error InsufficientCollateral();
    /// Borrows would exceed supply.
    #[derive(Debug, PartialEq, Eq)]
    error InsufficientLiquidity();
    /// The position to liquidate is healthy.
    #[derive(Debug, PartialEq, Eq)]
    error HealthyPosition();
    /// The signature is malformed or not the authorizer's.
    #[derive(Debug, PartialEq, Eq)]
    error InvalidSignature();
    /// The signed authorisation is past its deadline.
    #[derive(Debug, PartialEq, Eq)]
    error SignatureExpired();
    /// The signed nonce is not the authorizer's current nonce.
    #[derive(Debug, PartialEq, Eq)]
    error InvalidNonce();
    /// An oracle or IRM call returned no data (no code at the address).
    #[derive(Debug, PartialEq, Eq)]
    error NoCode();
    /// Less of `token` arrived than the `expected` amount credited.
    #[derive(Debug, PartialEq, Eq)]
    error TransferShortfall(address token, uint256 expected, uint256 received);
    /// `facet` has no code or is not this market's rewards (or admin) facet.
    #[derive(Debug, PartialEq, Eq)]
    error InvalidRewardsFacet(address facet);

    /// Morpho's IRM.
    interface IIrm {
        function borrowRate(MarketParams marketParams, Market market) external returns (uint256);
        function borrowRateView(MarketParams marketParams, Market market) external view returns (uint256);
    }

    /// Morpho's oracle.
    interface IOracle {
        function price() external view returns (uint256);
    }

    /// Morpho's callbacks on the caller.
    interface IMorphoCallbacks {
        function onMorphoSupply(uint256 assets, bytes data) external;
        function onMorphoRepay(uint256 assets, bytes data) external;
        function onMorphoSupplyCollateral(uint256 assets, bytes data) external;
        function onMorphoLiquidate(uint256 repaidAssets, bytes data) external;
        function onMorphoFlashLoan(uint256 assets, bytes data) external;
    }

    /// The identity checks made on the facets.
    interface IFacets {
        function rewardsFacetVersion() external view returns (bytes32);
        function adminFacetVersion() external view returns (bytes32);
        function viewsFacetVersion() external view returns (bytes32);
    }
}

/// Solidity declarations of every event the market address emits (its own and, through the
/// facets, the reward module's), for ABI export.
#[cfg(feature = "export-abi")]
pub fn events_sol() -> impl Iterator<Item = &'static str> {
    const EVENTS: &[&str] = &[
        "event SetOwner(address indexed newOwner)",
        "event SetFee(bytes32 indexed id, uint256 newFee)",
        "event SetFeeRecipient(address indexed newFeeRecipient)",
        "event EnableIrm(address indexed irm)",
        "event EnableLltv(uint256 lltv)",
        "event CreateMarket(bytes32 indexed id, MarketParams marketParams)",
        "event Supply(bytes32 indexed id, address indexed caller, address indexed onBehalf, uint256 assets, uint256 shares)",
        "event Withdraw(bytes32 indexed id, address caller, address indexed onBehalf, address indexed receiver, uint256 assets, uint256 shares)",
        "event Borrow(bytes32 indexed id, address caller, address indexed onBehalf, address indexed receiver, uint256 assets, uint256 shares)",
        "event Repay(bytes32 indexed id, address indexed caller, address indexed onBehalf, uint256 assets, uint256 shares)",
        "event SupplyCollateral(bytes32 indexed id, address indexed caller, address indexed onBehalf, uint256 assets)",
        "event WithdrawCollateral(bytes32 indexed id, address caller, address indexed onBehalf, address indexed receiver, uint256 assets)",
        "event Liquidate(bytes32 indexed id, address indexed caller, address indexed borrower, uint256 repaidAssets, uint256 repaidShares, uint256 seizedAssets, uint256 badDebtAssets, uint256 badDebtShares)",
        "event FlashLoan(address indexed caller, address indexed token, uint256 assets)",
        "event SetAuthorization(address indexed caller, address indexed authorizer, address indexed authorized, bool newIsAuthorized)",
        "event IncrementNonce(address indexed caller, address indexed authorizer, uint256 usedNonce)",
        "event AccrueInterest(bytes32 indexed id, uint256 prevBorrowRate, uint256 interest, uint256 feeShares)",
        "event RewardsFacetSet(address indexed facet, bytes32 codehash)",
        "event AdminFacetSet(address indexed facet, bytes32 codehash)",
        "event ViewsFacetSet(address indexed facet, bytes32 codehash)",
    ];
    EVENTS.iter().chain(rewards::EVENTS_SOL).copied()
}

/// Every Solidity error the market (and its facets) can return. Oracle, IRM and callback
/// failures bubble the callee's own revert data.
#[derive(SolidityError, Debug, PartialEq, Eq)]
pub enum MarketError {
    /// See [`NotOwner`].
    #[cfg(not(all(
        target_arch = "wasm32",
        not(any(
            feature = "rewards-facet",
            feature = "admin-facet",
            feature = "views-facet",
            feature = "export-abi"
        ))
    )))]
    NotOwner(NotOwner),
    /// See [`MaxLltvExceeded`].
    #[cfg(not(all(
        target_arch = "wasm32",
        not(any(
            feature = "rewards-facet",
            feature = "admin-facet",
            feature = "views-facet",
            feature = "export-abi"
        ))
    )))]
    MaxLltvExceeded(MaxLltvExceeded),
    /// See [`MaxFeeExceeded`].
    #[cfg(not(all(
        target_arch = "wasm32",
        not(any(
            feature = "rewards-facet",
            feature = "admin-facet",
            feature = "views-facet",
            feature = "export-abi"
        ))
    )))]
    MaxFeeExceeded(MaxFeeExceeded),
    /// See [`AlreadySet`].
    AlreadySet(AlreadySet),
    /// See [`IrmNotEnabled`].
    #[cfg(not(all(
        target_arch = "wasm32",
        not(any(
            feature = "rewards-facet",
            feature = "admin-facet",
            feature = "views-facet",
            feature = "export-abi"
        ))
    )))]
    IrmNotEnabled(IrmNotEnabled),
    /// See [`LltvNotEnabled`].
    #[cfg(not(all(
        target_arch = "wasm32",
        not(any(
            feature = "rewards-facet",
            feature = "admin-facet",
            feature = "views-facet",
            feature = "export-abi"
        ))
    )))]
    LltvNotEnabled(LltvNotEnabled),
    /// See [`MarketAlreadyCreated`].
    #[cfg(not(all(
        target_arch = "wasm32",
        not(any(
            feature = "rewards-facet",
            feature = "admin-facet",
            feature = "views-facet",
            feature = "export-abi"
        ))
    )))]
    MarketAlreadyCreated(MarketAlreadyCreated),
    /// See [`MarketNotCreated`].
    MarketNotCreated(MarketNotCreated),
    /// See [`MarketIdCollision`].
    #[cfg(not(all(
        target_arch = "wasm32",
        not(any(
            feature = "rewards-facet",
            feature = "admin-facet",
            feature = "views-facet",
            feature = "export-abi"
        ))
    )))]
    MarketIdCollision(MarketIdCollision),
    /// See [`InconsistentInput`].
    InconsistentInput(InconsistentInput),
    /// See [`ZeroAssets`].
    ZeroAssets(ZeroAssets),
    /// See [`ZeroAddress`].
    ZeroAddress(ZeroAddress),
    /// See [`Unauthorized`].
    Unauthorized(Unauthorized),
    /// See [`InsufficientCollateral`].
    InsufficientCollateral(InsufficientCollateral),
    /// See [`InsufficientLiquidity`].
    InsufficientLiquidity(InsufficientLiquidity),
    /// See [`HealthyPosition`].
    #[cfg(not(all(
        target_arch = "wasm32",
        not(any(
            feature = "rewards-facet",
            feature = "admin-facet",
            feature = "views-facet",
            feature = "export-abi"
        ))
    )))]
    HealthyPosition(HealthyPosition),
    /// See [`InvalidSignature`].
    #[cfg(not(all(
        target_arch = "wasm32",
        not(any(
            feature = "rewards-facet",
            feature = "admin-facet",
            feature = "views-facet",
            feature = "export-abi"
        ))
    )))]
    InvalidSignature(InvalidSignature),
    /// See [`SignatureExpired`].
    #[cfg(not(all(
        target_arch = "wasm32",
        not(any(
            feature = "rewards-facet",
            feature = "admin-facet",
            feature = "views-facet",
            feature = "export-abi"
        ))
    )))]
    SignatureExpired(SignatureExpired),
    /// See [`InvalidNonce`].
    #[cfg(not(all(
        target_arch = "wasm32",
        not(any(
            feature = "rewards-facet",
            feature = "admin-facet",
            feature = "views-facet",
            feature = "export-abi"
        ))
    )))]
    InvalidNonce(InvalidNonce),
    /// See [`NoCode`].
    NoCode(NoCode),
    /// See [`TransferShortfall`].
    TransferShortfall(TransferShortfall),
    /// See [`InvalidRewardsFacet`].
    InvalidRewardsFacet(InvalidRewardsFacet),
    /// See [`MathOverflow`].
    MathOverflow(MathOverflow),
    /// See [`MathUnderflow`].
    MathUnderflow(MathUnderflow),
    /// See [`MathDivisionByZero`].
    MathDivisionByZero(MathDivisionByZero),
    /// See [`SafeERC20FailedOperation`].
    SafeERC20FailedOperation(SafeERC20FailedOperation),
    /// See [`RewardUnauthorized`].
    #[cfg(not(all(
        target_arch = "wasm32",
        not(any(
            feature = "rewards-facet",
            feature = "admin-facet",
            feature = "views-facet",
            feature = "export-abi"
        ))
    )))]
    RewardUnauthorized(RewardUnauthorized),
    /// See [`RewardTokenExists`].
    #[cfg(not(all(
        target_arch = "wasm32",
        not(any(
            feature = "rewards-facet",
            feature = "admin-facet",
            feature = "views-facet",
            feature = "export-abi"
        ))
    )))]
    RewardTokenExists(RewardTokenExists),
    /// See [`RewardTokenUnknown`].
    #[cfg(not(all(
        target_arch = "wasm32",
        not(any(
            feature = "rewards-facet",
            feature = "admin-facet",
            feature = "views-facet",
            feature = "export-abi"
        ))
    )))]
    RewardTokenUnknown(RewardTokenUnknown),
    /// See [`RewardTokenLimit`].
    #[cfg(not(all(
        target_arch = "wasm32",
        not(any(
            feature = "rewards-facet",
            feature = "admin-facet",
            feature = "views-facet",
            feature = "export-abi"
        ))
    )))]
    RewardTokenLimit(RewardTokenLimit),
    /// See [`RewardTokenForbidden`].
    #[cfg(not(all(
        target_arch = "wasm32",
        not(any(
            feature = "rewards-facet",
            feature = "admin-facet",
            feature = "views-facet",
            feature = "export-abi"
        ))
    )))]
    RewardTokenForbidden(RewardTokenForbidden),
    /// See [`RewardZeroAddress`].
    #[cfg(not(all(
        target_arch = "wasm32",
        not(any(
            feature = "rewards-facet",
            feature = "admin-facet",
            feature = "views-facet",
            feature = "export-abi"
        ))
    )))]
    RewardZeroAddress(RewardZeroAddress),
    /// See [`RewardInvalidDuration`].
    #[cfg(not(all(
        target_arch = "wasm32",
        not(any(
            feature = "rewards-facet",
            feature = "admin-facet",
            feature = "views-facet",
            feature = "export-abi"
        ))
    )))]
    RewardInvalidDuration(RewardInvalidDuration),
    /// See [`RewardSourceUnknown`].
    #[cfg(not(all(
        target_arch = "wasm32",
        not(any(
            feature = "rewards-facet",
            feature = "admin-facet",
            feature = "views-facet",
            feature = "export-abi"
        ))
    )))]
    RewardSourceUnknown(RewardSourceUnknown),
    /// See [`RewardRecoveryMovedProtected`].
    #[cfg(not(all(
        target_arch = "wasm32",
        not(any(
            feature = "rewards-facet",
            feature = "admin-facet",
            feature = "views-facet",
            feature = "export-abi"
        ))
    )))]
    RewardRecoveryMovedProtected(RewardRecoveryMovedProtected),
    /// See [`RewardZeroAmount`].
    #[cfg(not(all(
        target_arch = "wasm32",
        not(any(
            feature = "rewards-facet",
            feature = "admin-facet",
            feature = "views-facet",
            feature = "export-abi"
        ))
    )))]
    RewardZeroAmount(RewardZeroAmount),
    /// See [`RewardFundingCap`].
    #[cfg(not(all(
        target_arch = "wasm32",
        not(any(
            feature = "rewards-facet",
            feature = "admin-facet",
            feature = "views-facet",
            feature = "export-abi"
        ))
    )))]
    RewardFundingCap(RewardFundingCap),
    /// See [`RewardMathOverflow`].
    #[cfg(not(all(
        target_arch = "wasm32",
        not(any(
            feature = "rewards-facet",
            feature = "admin-facet",
            feature = "views-facet",
            feature = "export-abi"
        ))
    )))]
    RewardMathOverflow(RewardMathOverflow),
}

kit::impl_error_from!(MathError => MarketError);
kit::impl_error_from!(SafeErc20Error => MarketError);
// The market program never returns a reward or admin error (only its facets do; its
// checkpoints report `RewardMathOverflow()` directly): its wasm (wasm32 without a facet or
// `export-abi` feature) leaves them out of the enum (size); the exported ABI and the facets list them all.
#[cfg(not(all(
    target_arch = "wasm32",
    not(any(
        feature = "rewards-facet",
        feature = "admin-facet",
        feature = "views-facet",
        feature = "export-abi"
    ))
)))]
kit::impl_error_from!(RewardsError => MarketError);

/// `MarketError::$name($name {})`.
macro_rules! err {
    ($name:ident) => {
        $crate::MarketError::$name($crate::$name {})
    };
}
pub(crate) use err;

/// Result of an operation that may bubble a callee's revert data.
pub(crate) type R<T> = Result<T, Vec<u8>>;

/// One account's position in one market (Morpho's packing: two slots).
#[storage]
pub struct Position {
    /// Supply shares.
    pub supply_shares: StorageU256,
    /// Borrow shares (`uint128`, one slot with `collateral`).
    pub borrow_shares: StorageU128,
    /// Collateral assets (`uint128`).
    pub collateral: StorageU128,
}

/// One market's state (Morpho's packing: six `uint128` in three slots).
#[storage]
pub struct MarketState {
    /// Assets owed to suppliers.
    pub total_supply_assets: StorageU128,
    /// Supply shares.
    pub total_supply_shares: StorageU128,
    /// Assets owed by borrowers.
    pub total_borrow_assets: StorageU128,
    /// Borrow shares.
    pub total_borrow_shares: StorageU128,
    /// Timestamp of the last accrual (0: market not created).
    pub last_update: StorageU128,
    /// Fee (WAD) on the interest.
    pub fee: StorageU128,
}

/// A market's parameters, stored at creation for `idToMarketParams`.
#[storage]
pub struct StoredParams {
    /// Loan token.
    pub loan_token: StorageAddress,
    /// Collateral token.
    pub collateral_token: StorageAddress,
    /// Oracle.
    pub oracle: StorageAddress,
    /// Interest-rate model.
    pub irm: StorageAddress,
    /// Liquidation loan-to-value (WAD).
    pub lltv: StorageU256,
}

/// The market's storage (shared by the market and its facets). No `#[entrypoint]`: see
/// `user_entrypoint` and the crate docs.
#[storage]
pub struct LendingMarket {
    /// Owner: enables IRMs and LLTVs, sets fees and the fee recipient, administers rewards.
    owner: StorageAddress,
    /// Receives the fee shares.
    fee_recipient: StorageAddress,
    /// Program serving `IRewards` (reached through the admin facet's fallback).
    rewards_facet: StorageAddress,
    /// Code hash of `rewards_facet` when it was set.
    rewards_facet_codehash: StorageB256,
    /// Program serving the admin paths (the market's fallback target).
    admin_facet: StorageAddress,
    /// Code hash of `admin_facet` when it was set.
    admin_facet_codehash: StorageB256,
    /// Program serving the cold views (reached through the rewards facet's fallback).
    views_facet: StorageAddress,
    /// Code hash of `views_facet` when it was set.
    views_facet_codehash: StorageB256,
    /// Enabled IRMs.
    is_irm_enabled: StorageMap<Address, StorageBool>,
    /// Enabled LLTVs.
    is_lltv_enabled: StorageMap<U256, StorageBool>,
    /// authorizer → authorized → whether authorized may manage authorizer's positions.
    is_authorized: StorageMap<Address, StorageMap<Address, StorageBool>>,
    /// Next signed-authorisation nonce of each authorizer.
    nonce: StorageMap<Address, StorageU256>,
    /// Loan and collateral tokens of every market (never rewards).
    is_principal: StorageMap<Address, StorageBool>,
    /// id → account → position.
    position: StorageMap<B256, StorageMap<Address, Position>>,
    /// id → market state.
    market: StorageMap<B256, MarketState>,
    /// id → parameters.
    params: StorageMap<B256, StoredParams>,
    /// Reward module state (sources: see [`supply_source`] and [`borrow_source`]).
    rewards: Rewards,
}

// SAFETY: `LendingMarket` is the program's only top-level storage (what `#[entrypoint]` would
// declare).
unsafe impl stylus_sdk::stylus_core::storage::TopLevelStorage for LendingMarket {}

/// The program's entry point: `#[entrypoint]`'s, minus the SDK's blanket reentrancy denial (the
/// market accepts reentrant calls; see the crate docs). The facet build refuses `recoverERC20`.
#[cfg(all(target_arch = "wasm32", not(feature = "export-abi")))]
#[no_mangle]
pub extern "C" fn user_entrypoint(len: usize) -> usize {
    let host = stylus_sdk::host::VM {
        host: stylus_sdk::host::WasmVM {},
    };
    // Referenced so that activation can insert its memory-growth charges (what the SDK does).
    host.pay_for_memory_grow(0);
    let input = host.read_args(len);
    #[cfg(feature = "rewards-facet")]
    if let Some(data) = facets::refuse_recovery(&input) {
        host.write_result(&data);
        return 1;
    }
    let (data, status) = match stylus_sdk::abi::router_entrypoint::<LendingMarket, LendingMarket>(
        input,
        host.clone(),
    ) {
        Ok(data) => (data, 0),
        Err(data) => (data, 1),
    };
    host.flush_cache(false);
    host.write_result(&data);
    status
}

/// `keccak256(abi.encode(marketParams))`.
pub fn market_id(p: &MarketParams) -> B256 {
    let mut buf = [0u8; 160];
    buf[12..32].copy_from_slice(p.loanToken.as_slice());
    buf[44..64].copy_from_slice(p.collateralToken.as_slice());
    buf[76..96].copy_from_slice(p.oracle.as_slice());
    buf[108..128].copy_from_slice(p.irm.as_slice());
    buf[128..160].copy_from_slice(&p.lltv.to_be_bytes::<32>());
    keccak256(buf)
}

/// Reward source of the supply side of market `id`: `uint256(id)`.
pub fn supply_source(id: B256) -> U256 {
    U256::from_be_bytes(id.0)
}

/// Reward source of the borrow side of market `id`: `uint256(id) ^ 1`.
pub fn borrow_source(id: B256) -> U256 {
    supply_source(id) ^ U256::from(1)
}

/// Morpho's EIP-712 domain separator for `contract` on `chain_id`.
pub fn domain_separator_of(chain_id: u64, contract: Address) -> B256 {
    let mut buf = [0u8; 96];
    buf[..32].copy_from_slice(DOMAIN_TYPEHASH.as_slice());
    buf[32..64].copy_from_slice(&U256::from(chain_id).to_be_bytes::<32>());
    buf[76..96].copy_from_slice(contract.as_slice());
    keccak256(buf)
}

impl RewardsHost for LendingMarket {
    fn rewards(&self) -> &Rewards {
        &self.rewards
    }
    fn rewards_mut(&mut self) -> &mut Rewards {
        &mut self.rewards
    }
    /// Supply shares when `source` is a market id, else borrow shares of market `source ^ 1`.
    fn reward_balance_of(&self, source: U256, account: Address) -> U256 {
        let (id, borrow) = self.side_of(source);
        let p = self.position.getter(id);
        let p = p.getter(account);
        if borrow {
            U256::from(p.borrow_shares.get())
        } else {
            p.supply_shares.get()
        }
    }
    fn reward_total_supply(&self, source: U256) -> U256 {
        let (id, borrow) = self.side_of(source);
        let m = self.market.getter(id);
        U256::from(if borrow {
            m.total_borrow_shares.get()
        } else {
            m.total_supply_shares.get()
        })
    }
    fn is_reward_source(&self, source: U256) -> bool {
        let id = B256::from(source);
        self.created(id) || self.created(id ^ B256::with_last_byte(1))
    }
    fn reward_admin(&self) -> Address {
        self.owner.get()
    }
    fn principal_tokens(&self) -> Vec<Address> {
        Vec::new()
    }
    fn is_principal_token(&self, token: Address) -> bool {
        token == self.vm().contract_address() || self.is_principal.get(token)
    }
    /// Unit tests only: the in-memory token ledger (see `tests`).
    #[cfg(all(
        test,
        not(any(
            feature = "rewards-facet",
            feature = "admin-facet",
            feature = "views-facet"
        ))
    ))]
    fn pull_reward(
        &mut self,
        token: Address,
        from: Address,
        amount: U256,
    ) -> Result<U256, RewardsError> {
        let this = self.vm().contract_address();
        tests::ledger_pull(token, from, this, amount).ok_or(RewardsError::SafeERC20FailedOperation(
            SafeERC20FailedOperation { token },
        ))
    }
    #[cfg(all(
        test,
        not(any(
            feature = "rewards-facet",
            feature = "admin-facet",
            feature = "views-facet"
        ))
    ))]
    fn held_balance(&self, token: Address) -> Result<U256, RewardsError> {
        Ok(tests::ledger_balance(token, self.vm().contract_address()))
    }
}

impl LendingMarket {
    /// Whether market `id` exists.
    pub(crate) fn created(&self, id: B256) -> bool {
        !self.market.getter(id).last_update.get().is_zero()
    }

    /// `(market id, is the borrow side)` of a reward source.
    fn side_of(&self, source: U256) -> (B256, bool) {
        let id = B256::from(source);
        if self.created(id) {
            (id, false)
        } else {
            (id ^ B256::with_last_byte(1), true)
        }
    }
}

#[cfg(feature = "rewards-facet")]
use rewards::IRewards;
#[cfg(feature = "rewards-facet")]
rewards::impl_rewards_abi!(LendingMarket);

// Unit tests run on the market build (the facets share its code; their ABIs are tested end to
// end).
#[cfg(all(
    test,
    not(any(
        feature = "rewards-facet",
        feature = "admin-facet",
        feature = "views-facet"
    ))
))]
mod tests;
