//! Stylus Yield staking vault: an ERC-4626 vault over any ERC-20 asset whose shares (an ERC-20 with
//! EIP-2612 permit) earn streamed multi-token rewards through the shared reward module.
//!
//! # Design decisions
//! * **Atomic deployment**: a `#[constructor]` (asset, name, symbol, owner, rewards facet), run by
//!   the StylusDeployer in the same transaction as the deployment and activation (what
//!   `cargo stylus deploy` does since stylus-sdk 0.9; `stylus-yield deploy` and the demo do the
//!   same). There is no `initialize` to front-run; the SDK refuses a second constructor call.
//! * **Internal asset accounting**: `totalAssets()` is a stored counter moved only by deposits and
//!   withdrawals, never `asset.balanceOf(this)`. Donations cannot move the share price (the
//!   classic ERC-4626 inflation attack has no lever) and no external call is needed to price
//!   shares. Neither the asset nor a reward token can be recovered.
//! * **Credited = covered**: after the `transferFrom` of a deposit the vault reads its asset
//!   balance once and reverts with `VaultAssetShortfall(expected, received)` unless it holds at
//!   least `totalAssets() + assets` (`received` = balance − `totalAssets()` before the deposit).
//!   So `balanceOf(vault) >= totalAssets()` holds after every deposit: fee-on-transfer assets are
//!   refused rather than over-credited. One `balanceOf` instead of a before/after pair (a
//!   Stylus→program call costs ~4,000 gas): the only difference is that a donated surplus (never
//!   counted, never recoverable, nobody's) can absorb a fee; it can never make the vault owe
//!   more than it holds. Rebasing assets are not supported.
//! * **Virtual shares** on top: `DECIMALS_OFFSET = 3` (shares have the asset's decimals + 3),
//!   so even a vault that counted donations would make the attack unprofitable.
//! * **Bounded totals**: `totalAssets()` never exceeds [`MAX_TOTAL_ASSETS`] (2^240 - 1;
//!   `maxDeposit` / `maxMint` report the room under it), so no conversion can overflow (a
//!   deposit near 2^256/1000 used to make every conversion revert).
//! * **Rounding** (ERC-4626): deposit / previewDeposit / convertTo* / redeem round down,
//!   mint / withdraw round up: always in the vault's favour.
//! * **Pause** stops `deposit` and `mint` only (and `maxDeposit` / `maxMint` report 0);
//!   withdrawals, transfers and reward claims stay open so users can always exit. The deposit cap
//!   bounds `totalAssets()`; `maxDeposit` / `maxMint` report the remaining room.
//! * **Rewards**: every share balance change goes through the kit's hooked ERC-20 methods, whose
//!   `before_update` checkpoints both parties in the reward module first (deposit, mint,
//!   withdraw, redeem, transfer, transferFrom). The vault is a single-source host (source 0 =
//!   its shares). The asset and the vault share itself are principal tokens: they can never be
//!   reward tokens. Shares can never be sent or minted to the vault itself (they would earn
//!   rewards nobody can claim): `ERC20InvalidReceiver(vault)`.
//! * **Reentrancy**: the SDK's default reentrancy denial stays on, in the vault and in the facet;
//!   state changes precede outgoing asset transfers (withdraw) and the asset is pulled (and
//!   measured) before shares are minted (deposit).
//! * **Two programs, one vault (size)**: ERC-20 + permit + ERC-4626 + Ownable2Step + the reward
//!   ABI do not fit the 24,576-byte deployable limit in one program. The split follows the gas:
//!   the **vault** program serves everything a user pays for often — ERC-20 and permit, deposit /
//!   mint / withdraw / redeem with `asset`, `totalAssets`, `previewDeposit` and `previewRedeem`,
//!   the reward *checkpoint* in every balance change, and the two hot claims `claim(tokens, to)`
//!   and `claimAll(to)` (decoded by hand in the fallback, see `claim_inline`; no facet hop) —
//!   plus the constructor and `setRewardsFacet` (they share the facet check). Everything else is
//!   served by the **rewards facet**: the rest of `IRewards` (views, funding, owner setup, the
//!   sourced claim overloads, `recoverERC20`), Ownable2Step (`owner`, `pendingOwner`,
//!   `transferOwnership`, `acceptOwnership`, `renounceOwnership`), the owner's controls
//!   ([`IVaultAdmin`]: pause, deposit cap, facet views) and the cold ERC-4626 views
//!   ([`IVaultQuotes`]: `convertTo*`, `max*`, `previewMint`, `previewWithdraw`). The facet is the
//!   same crate built with feature `rewards-facet` (artifact `staking-vault-rewards-facet`),
//!   reached by `delegatecall` from the vault's fallback, so it runs on the vault's storage at
//!   the vault's address; `abi/staking-vault.json` lists the vault program's functions and
//!   `abi/staking-vault-rewards-facet.json` the facet's (disjoint; `claim`/`claimAll` are listed
//!   with the facet's `IRewards`, which answers them too, but the vault serves them first).
//!   The facet is given to the constructor. The vault accepts a facet only if it has code and
//!   answers `rewardsFacetVersion()` with [`FACET_VERSION`] (the storage-layout id compiled into
//!   both programs); it records the facet's code hash (`rewardsFacetCodehash()`, to compare with
//!   the published artifact) and emits `RewardsFacetSet`. The owner may replace the facet with
//!   `setRewardsFacet` only while no shares exist. A delegatecall frame is not a reentrant call
//!   (Nitro counts reentry per program *address* entered by a call), so the facet keeps the
//!   SDK's reentrancy denial (the deprecated `reentrant` feature is not used). Calls served by
//!   the facet pay one extra program entry; deposits, withdrawals, transfers, permits and claims
//!   do not.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "contract-client-gen", allow(unused_imports))]
// The facet build compiles the vault's storage and hooks but exposes only `IRewards`.
#![cfg_attr(feature = "rewards-facet", allow(unused_imports, dead_code))]

extern crate alloc;

pub mod shares;

/// Solidity declarations of every event the vault address emits (its own, the share token's,
/// ownership, pause and — through the rewards facet — the reward module's), for ABI export.
#[cfg(feature = "export-abi")]
pub fn events_sol() -> impl Iterator<Item = &'static str> {
    const VAULT_EVENTS: &[&str] = &[
        "event Deposit(address indexed sender, address indexed owner, uint256 assets, uint256 shares)",
        "event Withdraw(address indexed sender, address indexed receiver, address indexed owner, uint256 assets, uint256 shares)",
        "event DepositCapUpdated(uint256 cap)",
        "event RewardsFacetSet(address indexed facet, bytes32 codehash)",
    ];
    let host: &[&[&str]] = if cfg!(feature = "rewards-facet") {
        &[]
    } else {
        &[
            VAULT_EVENTS,
            kit::erc20::EVENTS_SOL,
            kit::ownable::EVENTS_SOL,
            kit::pausable::EVENTS_SOL,
        ]
    };
    host.iter()
        .chain(core::iter::once(&rewards::EVENTS_SOL))
        .flat_map(|list| list.iter().copied())
}
#[cfg(all(test, not(feature = "rewards-facet")))]
mod tests;

use alloc::string::String;

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{sol, SolCall};
use kit::{
    eip712::{ECDSAInvalidSignature, ECDSAInvalidSignatureS, EcdsaError},
    erc20::{
        ERC20InsufficientAllowance, ERC20InsufficientBalance, ERC20InvalidApprover,
        ERC20InvalidReceiver, ERC20InvalidSender, ERC20InvalidSpender, Erc20, Erc20Error,
        Erc20Host, IErc20,
    },
    math::{MathDivisionByZero, MathError, MathOverflow, MathUnderflow},
    ownable::{
        IOwnable, Ownable, OwnableError, OwnableHost, OwnableInvalidOwner,
        OwnableUnauthorizedAccount,
    },
    pausable::{EnforcedPause, ExpectedPause, PausableError, Paused, Unpaused},
    permit::{
        ERC2612ExpiredSignature, ERC2612InvalidSigner, Erc20PermitHost, IErc20Permit, Nonces,
        PermitError,
    },
    safe_erc20::{self, SafeERC20FailedOperation, SafeErc20Error},
};
use rewards::{
    IRewards, RewardFundingCap, RewardInvalidDuration, RewardMathOverflow,
    RewardRecoveryMovedProtected, RewardSourceUnknown, RewardTokenExists, RewardTokenForbidden,
    RewardTokenLimit, RewardTokenUnknown, RewardUnauthorized, RewardZeroAddress, RewardZeroAmount,
    Rewards, RewardsError, RewardsHost, DEFAULT_SOURCE,
};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageB256, StorageBool, StorageU256},
    ArbResult,
};

use crate::shares::{to_assets_down, to_assets_up, to_shares_down, to_shares_up, DECIMALS_OFFSET};

/// Largest `totalAssets()` the vault accepts: 2^240 - 1. With at most 10^3 shares per asset
/// (virtual shares, price never decreasing) every share amount stays below 2^250, so no
/// conversion, preview or reward product can overflow.
pub const MAX_TOTAL_ASSETS: U256 = U256::from_limbs([u64::MAX, u64::MAX, u64::MAX, (1 << 48) - 1]);

/// Storage-layout id of this crate's rewards facet: the vault only accepts a facet whose
/// `rewardsFacetVersion()` returns it (bump it whenever the storage layout changes).
pub const FACET_VERSION: B256 = B256::new(*b"stylus-yield vault facet v3\0\0\0\0\0");

sol! {
    /// `sender` deposited `assets` and `owner` received `shares` (ERC-4626).
    #[derive(Debug, PartialEq, Eq)]
    event Deposit(address indexed sender, address indexed owner, uint256 assets, uint256 shares);
    /// `sender` burned `owner`'s `shares` and `receiver` got `assets` (ERC-4626).
    #[derive(Debug, PartialEq, Eq)]
    event Withdraw(
        address indexed sender,
        address indexed receiver,
        address indexed owner,
        uint256 assets,
        uint256 shares
    );
    /// The owner set the cap on `totalAssets()`.
    #[derive(Debug, PartialEq, Eq)]
    event DepositCapUpdated(uint256 cap);
    /// The rewards facet is now `facet`, whose code hash is `codehash`.
    #[derive(Debug, PartialEq, Eq)]
    event RewardsFacetSet(address indexed facet, bytes32 codehash);

    /// `assets` exceeds what `receiver` may deposit now (`max`).
    #[derive(Debug, PartialEq, Eq)]
    error ERC4626ExceededMaxDeposit(address receiver, uint256 assets, uint256 max);
    /// `shares` exceeds what `receiver` may mint now (`max`).
    #[derive(Debug, PartialEq, Eq)]
    error ERC4626ExceededMaxMint(address receiver, uint256 shares, uint256 max);
    /// `assets` exceeds what `owner` may withdraw (`max`).
    #[derive(Debug, PartialEq, Eq)]
    error ERC4626ExceededMaxWithdraw(address owner, uint256 assets, uint256 max);
    /// `shares` exceeds what `owner` may redeem (`max`).
    #[derive(Debug, PartialEq, Eq)]
    error ERC4626ExceededMaxRedeem(address owner, uint256 shares, uint256 max);
    /// The asset must be a non-zero address.
    #[derive(Debug, PartialEq, Eq)]
    error VaultInvalidAsset(address asset);
    /// `facet` is not a rewards facet of this vault (no code, or it does not answer
    /// `rewardsFacetVersion()` with this vault's layout id), or shares exist already.
    #[derive(Debug, PartialEq, Eq)]
    error VaultRewardsFacet(address facet);
    /// A deposit of `expected` assets brought only `received` into the vault (fee-on-transfer).
    #[derive(Debug, PartialEq, Eq)]
    error VaultAssetShortfall(uint256 expected, uint256 received);

    /// The `decimals()` call made on the asset at construction.
    interface IAssetMetadata {
        function decimals() external view returns (uint8);
    }

    /// The two `IRewards` claims the vault serves itself (selectors for its fallback).
    interface IRewardsClaims {
        function claim(address[] tokens, address to) external;
        function claimAll(address to) external;
    }

    /// The identity check made on a rewards facet.
    interface IRewardsFacet {
        function rewardsFacetVersion() external view returns (bytes32);
    }
}

/// Every Solidity error the vault (and its rewards facet) can return, flat so the exported ABI
/// lists them all.
#[derive(SolidityError, Debug, PartialEq, Eq)]
pub enum VaultError {
    /// See [`ERC20InsufficientBalance`].
    ERC20InsufficientBalance(ERC20InsufficientBalance),
    /// See [`ERC20InvalidSender`].
    ERC20InvalidSender(ERC20InvalidSender),
    /// See [`ERC20InvalidReceiver`].
    ERC20InvalidReceiver(ERC20InvalidReceiver),
    /// See [`ERC20InsufficientAllowance`].
    ERC20InsufficientAllowance(ERC20InsufficientAllowance),
    /// See [`ERC20InvalidApprover`].
    ERC20InvalidApprover(ERC20InvalidApprover),
    /// See [`ERC20InvalidSpender`].
    ERC20InvalidSpender(ERC20InvalidSpender),
    /// See [`MathOverflow`].
    MathOverflow(MathOverflow),
    /// See [`MathUnderflow`].
    MathUnderflow(MathUnderflow),
    /// See [`MathDivisionByZero`].
    MathDivisionByZero(MathDivisionByZero),
    /// See [`ERC2612ExpiredSignature`].
    ERC2612ExpiredSignature(ERC2612ExpiredSignature),
    /// See [`ERC2612InvalidSigner`].
    ERC2612InvalidSigner(ERC2612InvalidSigner),
    /// See [`ECDSAInvalidSignature`].
    ECDSAInvalidSignature(ECDSAInvalidSignature),
    /// See [`ECDSAInvalidSignatureS`].
    ECDSAInvalidSignatureS(ECDSAInvalidSignatureS),
    /// See [`OwnableUnauthorizedAccount`].
    OwnableUnauthorizedAccount(OwnableUnauthorizedAccount),
    /// See [`OwnableInvalidOwner`].
    OwnableInvalidOwner(OwnableInvalidOwner),
    /// See [`EnforcedPause`].
    EnforcedPause(EnforcedPause),
    /// See [`ExpectedPause`].
    ExpectedPause(ExpectedPause),
    /// See [`SafeERC20FailedOperation`].
    SafeERC20FailedOperation(SafeERC20FailedOperation),
    /// See [`ERC4626ExceededMaxDeposit`].
    ERC4626ExceededMaxDeposit(ERC4626ExceededMaxDeposit),
    /// See [`ERC4626ExceededMaxMint`].
    ERC4626ExceededMaxMint(ERC4626ExceededMaxMint),
    /// See [`ERC4626ExceededMaxWithdraw`].
    ERC4626ExceededMaxWithdraw(ERC4626ExceededMaxWithdraw),
    /// See [`ERC4626ExceededMaxRedeem`].
    ERC4626ExceededMaxRedeem(ERC4626ExceededMaxRedeem),
    /// See [`VaultInvalidAsset`].
    VaultInvalidAsset(VaultInvalidAsset),
    /// See [`VaultRewardsFacet`].
    VaultRewardsFacet(VaultRewardsFacet),
    /// See [`VaultAssetShortfall`].
    VaultAssetShortfall(VaultAssetShortfall),
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

kit::impl_error_from!(Erc20Error => VaultError);
kit::impl_error_from!(MathError => VaultError);
kit::impl_error_from!(PermitError => VaultError);
kit::impl_error_from!(EcdsaError => VaultError);
kit::impl_error_from!(OwnableError => VaultError);
kit::impl_error_from!(PausableError => VaultError);
kit::impl_error_from!(SafeErc20Error => VaultError);
kit::impl_error_from!(RewardsError => VaultError);

/// The vault's storage.
#[entrypoint]
#[storage]
pub struct StakingVault {
    /// Share token state.
    erc20: Erc20,
    /// EIP-2612 nonces.
    nonces: Nonces,
    /// Owner and pending owner.
    ownable: Ownable,
    /// Reward module state.
    rewards: Rewards,
    /// The underlying ERC-20.
    asset: StorageAddress,
    /// Pause flag (stops deposits and mints). Packed into `asset`'s slot (a deposit reads both:
    /// one cold storage read instead of two), hence not kit's `Pausable` (its own slot); same
    /// events and errors.
    paused: StorageBool,
    /// Assets held for shareholders (internal accounting, see the crate docs).
    total_assets: StorageU256,
    /// Cap on `total_assets`.
    deposit_cap: StorageU256,
    /// Program that serves the `IRewards` ABI by delegatecall (see the crate docs).
    rewards_facet: StorageAddress,
    /// Code hash of `rewards_facet` when it was set.
    rewards_facet_codehash: StorageB256,
}

impl Erc20Host for StakingVault {
    type Error = VaultError;

    fn erc20(&self) -> &Erc20 {
        &self.erc20
    }
    fn erc20_mut(&mut self) -> &mut Erc20 {
        &mut self.erc20
    }
    /// Every share balance change settles the rewards of both parties first. Shares sent or
    /// minted to the vault itself are refused (they would earn rewards nobody can claim).
    fn before_update(
        &mut self,
        from: Address,
        to: Address,
        _value: U256,
    ) -> Result<(), VaultError> {
        if to == self.vm().contract_address() {
            return Err(VaultError::ERC20InvalidReceiver(ERC20InvalidReceiver {
                receiver: to,
            }));
        }
        Ok(self.checkpoint_rewards(DEFAULT_SOURCE, &[from, to])?)
    }
}

impl Erc20PermitHost for StakingVault {
    fn permit_nonces(&self) -> &Nonces {
        &self.nonces
    }
    fn permit_nonces_mut(&mut self) -> &mut Nonces {
        &mut self.nonces
    }
}

impl OwnableHost for StakingVault {
    type Error = VaultError;

    fn ownable(&self) -> &Ownable {
        &self.ownable
    }
    fn ownable_mut(&mut self) -> &mut Ownable {
        &mut self.ownable
    }
}

impl RewardsHost for StakingVault {
    fn rewards(&self) -> &Rewards {
        &self.rewards
    }
    fn rewards_mut(&mut self) -> &mut Rewards {
        &mut self.rewards
    }
    fn reward_balance_of(&self, _source: U256, account: Address) -> U256 {
        self.erc20.balance_of(account)
    }
    fn reward_total_supply(&self, _source: U256) -> U256 {
        self.erc20.total_supply()
    }
    fn reward_admin(&self) -> Address {
        self.ownable.owner()
    }
    fn principal_tokens(&self) -> Vec<Address> {
        alloc::vec![self.asset.get()]
    }
    /// Unit tests only: mocked tokens have no balances, so "what arrived" is what was asked
    /// minus the fee set with `tests::set_transfer_fee`.
    #[cfg(all(test, not(feature = "rewards-facet")))]
    fn pull_reward(
        &mut self,
        token: Address,
        from: Address,
        amount: U256,
    ) -> Result<U256, RewardsError> {
        let this = self.vm().contract_address();
        safe_erc20::safe_transfer_from(self, token, from, this, amount)?;
        Ok(amount - tests::transfer_fee(amount))
    }
}

kit::impl_erc20!(StakingVault);
kit::impl_erc20_permit!(StakingVault);
kit::impl_ownable!(StakingVault);
rewards::impl_rewards_abi!(StakingVault);

/// Internal logic shared by the public entry points.
impl StakingVault {
    fn only_owner(&self) -> Result<(), VaultError> {
        Ok(self.ownable.only_owner()?)
    }

    /// `EnforcedPause()` while paused.
    fn when_not_paused(&self) -> Result<(), VaultError> {
        if self.paused.get() {
            return Err(VaultError::EnforcedPause(EnforcedPause {}));
        }
        Ok(())
    }

    fn totals(&self) -> (U256, U256) {
        (self.total_assets.get(), self.erc20.total_supply())
    }

    fn deposit_room(&self) -> U256 {
        if self.paused.get() {
            return U256::ZERO;
        }
        self.deposit_cap
            .get()
            .min(MAX_TOTAL_ASSETS)
            .saturating_sub(self.total_assets.get())
    }

    /// Pulls `assets` from `from`, then reads the vault's asset balance once: returns what it
    /// holds above `totalAssets()` (what arrived, plus any donated surplus), which the deposit
    /// requires to cover `assets` (see the crate docs).
    #[cfg(not(all(test, not(feature = "rewards-facet"))))]
    fn pull_asset(&mut self, from: Address, assets: U256) -> Result<U256, VaultError> {
        let (asset, this) = (self.asset.get(), self.vm().contract_address());
        safe_erc20::safe_transfer_from(self, asset, from, this, assets)?;
        let held = safe_erc20::balance_of(self.vm(), asset, this)?;
        Ok(held.saturating_sub(self.total_assets.get()))
    }

    /// Unit tests: mocked tokens have no balances (see `tests::set_transfer_fee`).
    #[cfg(all(test, not(feature = "rewards-facet")))]
    fn pull_asset(&mut self, from: Address, assets: U256) -> Result<U256, VaultError> {
        let (asset, this) = (self.asset.get(), self.vm().contract_address());
        safe_erc20::safe_transfer_from(self, asset, from, this, assets)?;
        Ok(assets - tests::transfer_fee(assets))
    }

    /// The constructor's first half: asset, share metadata and owner (see `constructor`).
    fn init(
        &mut self,
        asset: Address,
        name: &str,
        symbol: &str,
        owner: Address,
    ) -> Result<(), VaultError> {
        if asset.is_zero() {
            return Err(VaultError::VaultInvalidAsset(VaultInvalidAsset { asset }));
        }
        let call = IAssetMetadata::decimalsCall {}.abi_encode();
        let asset_decimals =
            match stylus_sdk::call::static_call(self.vm(), Call::new(), asset, &call) {
                Ok(ret) if ret.len() == 32 && ret[..31].iter().all(|b| *b == 0) => ret[31],
                _ => 18,
            };
        self.ownable.initialize(owner)?;
        self.asset.set(asset);
        self.deposit_cap.set(U256::MAX);
        self.erc20
            .init_metadata(name, symbol, asset_decimals.saturating_add(DECIMALS_OFFSET));
        Ok(())
    }

    /// Checks that `facet` is a rewards facet of this vault (code, and the layout id), records
    /// it and its code hash, and emits `RewardsFacetSet`.
    fn install_facet(&mut self, facet: Address) -> Result<(), VaultError> {
        let bad = || VaultError::VaultRewardsFacet(VaultRewardsFacet { facet });
        if facet.is_zero() || self.vm().code_size(facet) == 0 {
            return Err(bad());
        }
        let call = IRewardsFacet::rewardsFacetVersionCall {}.abi_encode();
        match stylus_sdk::call::static_call(self.vm(), Call::new(), facet, &call) {
            Ok(ret) if ret.len() == 32 && ret[..] == FACET_VERSION[..] => {}
            _ => return Err(bad()),
        }
        let codehash = self.vm().code_hash(facet);
        self.rewards_facet.set(facet);
        self.rewards_facet_codehash.set(codehash);
        self.vm().log(RewardsFacetSet { facet, codehash });
        Ok(())
    }

    /// `claim(address[],address)` and `claimAll(address)` on the default source, served by the
    /// vault itself (no facet hop: the facet account, its address slot and a second program
    /// entry cost ~6,200 gas). Decoded by hand (the SDK router's generic decoder does not fit the
    /// vault's bytes), canonical encodings only: strict head offsets and lengths, zero-padded
    /// addresses, no trailing bytes, no call value. Anything else returns `None` and goes to the
    /// facet, whose router answers the same selectors with the same code
    /// (`rewards::abi::claim`), so every input gets the router's exact answer.
    fn claim_inline(&mut self, data: &[u8]) -> Option<Result<(), RewardsError>> {
        fn address_at(args: &[u8], word: usize) -> Option<Address> {
            let w = args.get(word * 32..word * 32 + 32)?;
            w[..12]
                .iter()
                .all(|b| *b == 0)
                .then(|| Address::from_slice(&w[12..]))
        }
        let (selector, args) = (data.get(..4)?, &data[4..]);
        if !self.vm().msg_value().is_zero() {
            return None;
        }
        if selector == IRewardsClaims::claimAllCall::SELECTOR {
            if args.len() != 32 {
                return None;
            }
            let to = address_at(args, 0)?;
            return Some(rewards::abi::claim_all(self, DEFAULT_SOURCE, to));
        }
        if selector != IRewardsClaims::claimCall::SELECTOR || args.len() < 96 {
            return None;
        }
        // Head: offset of `tokens` (0x40), `to`; tail: length, then the addresses.
        let word = |i: usize| U256::from_be_slice(&args[i * 32..i * 32 + 32]);
        if word(0) != U256::from(64) || word(2) > U256::from(args.len() / 32) {
            return None;
        }
        let n = word(2).to::<usize>();
        if args.len() != 96 + 32 * n {
            return None;
        }
        let to = address_at(args, 1)?;
        let mut tokens = Vec::with_capacity(n);
        for i in 0..n {
            tokens.push(address_at(args, 3 + i)?);
        }
        Some(rewards::abi::claim(self, DEFAULT_SOURCE, tokens, to))
    }

    /// Pulls `assets` from the caller, then mints `shares` to `receiver` (hooked: checkpoints).
    fn _deposit(
        &mut self,
        receiver: Address,
        assets: U256,
        shares: U256,
    ) -> Result<(), VaultError> {
        let caller = self.vm().msg_sender();
        let received = self.pull_asset(caller, assets)?;
        if received < assets {
            return Err(VaultError::VaultAssetShortfall(VaultAssetShortfall {
                expected: assets,
                received,
            }));
        }
        // Read after the call (with the SDK's reentrancy denial nothing can have moved it, but
        // the books never rest on a value read before an external call).
        let total = self
            .total_assets
            .get()
            .checked_add(assets)
            .ok_or(VaultError::MathOverflow(MathOverflow {}))?;
        self.total_assets.set(total);
        self.erc20_mint(receiver, shares)?;
        self.vm().log(Deposit {
            sender: caller,
            owner: receiver,
            assets,
            shares,
        });
        Ok(())
    }

    /// Spends the caller's allowance if needed, burns `owner`'s shares (hooked: checkpoints), then
    /// sends `assets` to `receiver`.
    fn _withdraw(
        &mut self,
        receiver: Address,
        owner: Address,
        assets: U256,
        shares: U256,
    ) -> Result<(), VaultError> {
        let caller = self.vm().msg_sender();
        if caller != owner {
            self.erc20._spend_allowance(owner, caller, shares)?;
        }
        self.erc20_burn(owner, shares)?;
        let total = self
            .total_assets
            .get()
            .checked_sub(assets)
            .ok_or(VaultError::MathUnderflow(MathUnderflow {}))?;
        self.total_assets.set(total);
        let asset = self.asset.get();
        safe_erc20::safe_transfer(self, asset, receiver, assets)?;
        self.vm().log(Withdraw {
            sender: caller,
            receiver,
            owner,
            assets,
            shares,
        });
        Ok(())
    }
}

/// The rewards facet: the same storage, serving the `IRewards` ABI (the vault answers the two
/// default-source claims first), Ownable2Step, [`IVaultAdmin`] and [`IVaultQuotes`]; reached by
/// delegatecall from the vault's fallback (see the crate docs).
#[cfg(feature = "rewards-facet")]
#[public]
#[implements(IRewards, IOwnable<Error = VaultError>, IVaultAdmin, IVaultQuotes)]
impl StakingVault {
    /// The storage-layout id the vault checks before it accepts this program as its facet.
    pub fn rewards_facet_version(&self) -> B256 {
        FACET_VERSION
    }
}

#[cfg(not(feature = "rewards-facet"))]
#[public]
#[implements(IErc20<Error = VaultError>, IErc20Permit<Error = VaultError>)]
impl StakingVault {
    /// Deployment (run atomically by the StylusDeployer): the asset, share metadata
    /// (decimals = asset decimals + 3, asset decimals read with `decimals()`, 18 if that fails),
    /// the owner and the rewards facet (checked, see the crate docs). No deposit cap.
    #[constructor]
    pub fn constructor(
        &mut self,
        asset: Address,
        name: String,
        symbol: String,
        owner: Address,
        rewards_facet: Address,
    ) -> Result<(), VaultError> {
        self.init(asset, &name, &symbol, owner)?;
        self.install_facet(rewards_facet)
    }

    /// The underlying ERC-20.
    pub fn asset(&self) -> Address {
        self.asset.get()
    }

    /// Assets held for shareholders.
    pub fn total_assets(&self) -> U256 {
        self.total_assets.get()
    }

    /// Shares `deposit(assets)` would mint now (rounded down).
    pub fn preview_deposit(&self, assets: U256) -> Result<U256, VaultError> {
        self.convert_to_shares(assets)
    }

    /// Assets `redeem(shares)` would pay now (rounded down).
    pub fn preview_redeem(&self, shares: U256) -> Result<U256, VaultError> {
        self.convert_to_assets(shares)
    }

    /// Deposits `assets` (pulled from the caller) and mints the shares to `receiver`.
    pub fn deposit(&mut self, assets: U256, receiver: Address) -> Result<U256, VaultError> {
        self.when_not_paused()?;
        let max = self.deposit_room();
        if assets > max {
            return Err(VaultError::ERC4626ExceededMaxDeposit(
                ERC4626ExceededMaxDeposit {
                    receiver,
                    assets,
                    max,
                },
            ));
        }
        let shares = self.preview_deposit(assets)?;
        self._deposit(receiver, assets, shares)?;
        Ok(shares)
    }

    /// Mints exactly `shares` to `receiver`, pulling the (rounded-up) assets from the caller.
    pub fn mint(&mut self, shares: U256, receiver: Address) -> Result<U256, VaultError> {
        self.when_not_paused()?;
        // `shares <= maxMint` (room converted down) <=> `previewMint(shares) <= room` for integers,
        // and the latter costs one conversion instead of two (`maxMint` converts a huge room when
        // uncapped: the dominant cost of `mint`). The max is computed only for the error.
        let assets = match self.preview_mint(shares) {
            Ok(a) if a <= self.deposit_room() => a,
            _ => {
                return Err(VaultError::ERC4626ExceededMaxMint(ERC4626ExceededMaxMint {
                    receiver,
                    shares,
                    max: self.max_mint(receiver),
                }))
            }
        };
        self._deposit(receiver, assets, shares)?;
        Ok(assets)
    }

    /// Burns the (rounded-up) shares of `owner` and sends exactly `assets` to `receiver`.
    pub fn withdraw(
        &mut self,
        assets: U256,
        receiver: Address,
        owner: Address,
    ) -> Result<U256, VaultError> {
        let max = self.max_withdraw(owner)?;
        if assets > max {
            return Err(VaultError::ERC4626ExceededMaxWithdraw(
                ERC4626ExceededMaxWithdraw { owner, assets, max },
            ));
        }
        let shares = self.preview_withdraw(assets)?;
        self._withdraw(receiver, owner, assets, shares)?;
        Ok(shares)
    }

    /// Burns exactly `shares` of `owner` and sends the (rounded-down) assets to `receiver`.
    pub fn redeem(
        &mut self,
        shares: U256,
        receiver: Address,
        owner: Address,
    ) -> Result<U256, VaultError> {
        let max = self.max_redeem(owner);
        if shares > max {
            return Err(VaultError::ERC4626ExceededMaxRedeem(
                ERC4626ExceededMaxRedeem { owner, shares, max },
            ));
        }
        let assets = self.preview_redeem(shares)?;
        self._withdraw(receiver, owner, assets, shares)?;
        Ok(assets)
    }

    /// Owner, only while no shares exist: replaces the rewards facet (checked like the
    /// constructor's: code and layout id; emits `RewardsFacetSet`).
    pub fn set_rewards_facet(&mut self, facet: Address) -> Result<(), VaultError> {
        self.only_owner()?;
        if !self.erc20.total_supply().is_zero() {
            return Err(VaultError::VaultRewardsFacet(VaultRewardsFacet { facet }));
        }
        self.install_facet(facet)
    }

    /// Every selector the vault does not know is delegated to the rewards facet (the `IRewards`
    /// ABI, the owner's controls, the ERC-4626 limits and conversions); its return or revert data
    /// is passed through unchanged. The two hot claims, `claim(tokens, to)` and `claimAll(to)`,
    /// are served here first when their calldata is canonical (see [`Self::claim_inline`]).
    #[fallback]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        if let Some(result) = self.claim_inline(calldata) {
            return result.map(|()| Vec::new()).map_err(Vec::from);
        }
        let facet = self.rewards_facet.get();
        let ctx = Call::new_mutating(self);
        // SAFETY: the facet is the vault's own rewards code over the same storage layout (checked
        // when it was set); the SDK flushes and clears the storage cache around the call.
        unsafe { stylus_sdk::call::delegate_call(self.vm(), ctx, facet, calldata) }
            .map_err(Vec::from)
    }
}

/// The owner's controls and their views, served by the rewards facet (cold paths: the vault
/// program keeps its bytes for the hot paths, see the crate docs).
#[public]
#[allow(missing_docs)] // the macro adds an undocumented marker method
pub trait IVaultAdmin {
    /// Whether deposits and mints are paused.
    fn paused(&self) -> bool;
    /// Owner: stops deposits and mints.
    fn pause(&mut self) -> Result<(), VaultError>;
    /// Owner: resumes deposits and mints.
    fn unpause(&mut self) -> Result<(), VaultError>;
    /// The program serving the `IRewards` ABI by delegatecall.
    fn rewards_facet(&self) -> Address;
    /// Code hash of the rewards facet when it was set (compare with the published artifact).
    fn rewards_facet_codehash(&self) -> B256;
    /// Cap on `totalAssets()` (`type(uint256).max` when uncapped).
    fn deposit_cap(&self) -> U256;
    /// Owner: sets the cap on `totalAssets()`; below the current total it only blocks deposits.
    fn set_deposit_cap(&mut self, cap: U256) -> Result<(), VaultError>;
}

#[public]
impl IVaultAdmin for StakingVault {
    /// Whether deposits and mints are paused.
    fn paused(&self) -> bool {
        self.paused.get()
    }

    /// Owner: stops deposits and mints.
    fn pause(&mut self) -> Result<(), VaultError> {
        self.only_owner()?;
        if self.paused.get() {
            return Err(VaultError::EnforcedPause(EnforcedPause {}));
        }
        self.paused.set(true);
        let account = self.vm().msg_sender();
        self.vm().log(Paused { account });
        Ok(())
    }

    /// Owner: resumes deposits and mints.
    fn unpause(&mut self) -> Result<(), VaultError> {
        self.only_owner()?;
        if !self.paused.get() {
            return Err(VaultError::ExpectedPause(ExpectedPause {}));
        }
        self.paused.set(false);
        let account = self.vm().msg_sender();
        self.vm().log(Unpaused { account });
        Ok(())
    }

    /// The program serving the `IRewards` ABI by delegatecall.
    fn rewards_facet(&self) -> Address {
        self.rewards_facet.get()
    }

    /// Code hash of the rewards facet when it was set (compare with the published artifact).
    fn rewards_facet_codehash(&self) -> B256 {
        self.rewards_facet_codehash.get()
    }

    /// Cap on `totalAssets()` (`type(uint256).max` when uncapped).
    fn deposit_cap(&self) -> U256 {
        self.deposit_cap.get()
    }

    /// Owner: sets the cap on `totalAssets()`; below the current total it only blocks deposits.
    fn set_deposit_cap(&mut self, cap: U256) -> Result<(), VaultError> {
        self.only_owner()?;
        self.deposit_cap.set(cap);
        self.vm().log(DepositCapUpdated { cap });
        Ok(())
    }
}

/// ERC-4626 conversions and limits, served by the rewards facet: views that the vault's own
/// operations do not route to (they call these methods directly), moved out for bytes.
#[public]
#[allow(missing_docs)] // the macro adds an undocumented marker method
pub trait IVaultQuotes {
    /// Shares worth `assets` (rounded down).
    fn convert_to_shares(&self, assets: U256) -> Result<U256, VaultError>;
    /// Assets worth `shares` (rounded down).
    fn convert_to_assets(&self, shares: U256) -> Result<U256, VaultError>;
    /// Assets `receiver` may deposit now: 0 when paused, else the room under the deposit cap.
    fn max_deposit(&self, receiver: Address) -> U256;
    /// Shares `receiver` may mint now: the deposit room converted down, `type(uint256).max`
    /// when that does not fit (uncapped vault).
    fn max_mint(&self, receiver: Address) -> U256;
    /// Assets `owner` may withdraw: the value of their shares, rounded down.
    fn max_withdraw(&self, owner: Address) -> Result<U256, VaultError>;
    /// Shares `owner` may redeem: their balance.
    fn max_redeem(&self, owner: Address) -> U256;
    /// Shares `withdraw(assets)` would burn now (rounded up).
    fn preview_withdraw(&self, assets: U256) -> Result<U256, VaultError>;
    /// Assets `mint(shares)` would take now (rounded up).
    fn preview_mint(&self, shares: U256) -> Result<U256, VaultError>;
}

#[public]
impl IVaultQuotes for StakingVault {
    /// Shares worth `assets` (rounded down).
    fn convert_to_shares(&self, assets: U256) -> Result<U256, VaultError> {
        let (a, s) = self.totals();
        Ok(to_shares_down(assets, a, s)?)
    }

    /// Assets worth `shares` (rounded down).
    fn convert_to_assets(&self, shares: U256) -> Result<U256, VaultError> {
        let (a, s) = self.totals();
        Ok(to_assets_down(shares, a, s)?)
    }

    /// Assets `receiver` may deposit now: 0 when paused, else the room under the deposit cap.
    fn max_deposit(&self, receiver: Address) -> U256 {
        let _ = receiver;
        self.deposit_room()
    }

    /// Shares `receiver` may mint now: the deposit room converted down, `type(uint256).max` when
    /// that does not fit (uncapped vault).
    fn max_mint(&self, receiver: Address) -> U256 {
        let _ = receiver;
        let (a, s) = self.totals();
        to_shares_down(self.deposit_room(), a, s).unwrap_or(U256::MAX)
    }

    /// Assets `owner` may withdraw: the value of their shares, rounded down.
    fn max_withdraw(&self, owner: Address) -> Result<U256, VaultError> {
        let (a, s) = self.totals();
        Ok(to_assets_down(self.erc20.balance_of(owner), a, s)?)
    }

    /// Shares `owner` may redeem: their balance.
    fn max_redeem(&self, owner: Address) -> U256 {
        self.erc20.balance_of(owner)
    }

    /// Assets `mint(shares)` would take now (rounded up).
    fn preview_mint(&self, shares: U256) -> Result<U256, VaultError> {
        let (a, s) = self.totals();
        Ok(to_assets_up(shares, a, s)?)
    }

    /// Shares `withdraw(assets)` would burn now (rounded up).
    fn preview_withdraw(&self, assets: U256) -> Result<U256, VaultError> {
        let (a, s) = self.totals();
        Ok(to_shares_up(assets, a, s)?)
    }
}
