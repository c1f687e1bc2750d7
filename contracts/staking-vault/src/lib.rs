//! Stylus Yield staking vault: an ERC-4626 vault over any ERC-20 asset whose shares (an ERC-20 with
//! EIP-2612 permit) earn streamed multi-token rewards through the shared reward module.
//!
//! # Design decisions
//! * **Initialisation**: `initialize(asset, name, symbol, owner)`, callable once, rather than a
//!   `#[constructor]`: a plain CREATE deploy through JSON-RPC works without the StylusDeployer
//!   contract (same convention as the test token). Deploy scripts must call it right after
//!   activation and check `owner()`; until then every entry point but `initialize` reverts with
//!   `ERC4626ExceededMaxDeposit` / `ERC4626ExceededMaxMint` (`maxDeposit` is 0 before
//!   initialisation).
//! * **Internal asset accounting**: `totalAssets()` is a stored counter moved only by deposits and
//!   withdrawals, never `asset.balanceOf(this)`. Donations cannot move the share price (the
//!   classic ERC-4626 inflation attack has no lever) and no external call is needed to price
//!   shares. Tokens sent to the vault by mistake stay there (neither the asset nor a reward token
//!   can be recovered). Fee-on-transfer and rebasing assets are not supported.
//! * **Virtual shares** on top: `DECIMALS_OFFSET = 3` (shares have the asset's decimals + 3),
//!   so even a vault that counted donations would make the attack unprofitable.
//! * **Rounding** (ERC-4626): deposit / previewDeposit / convertTo* / redeem round down,
//!   mint / withdraw round up: always in the vault's favour.
//! * **Pause** stops `deposit` and `mint` only (and `maxDeposit` / `maxMint` report 0);
//!   withdrawals, transfers and reward claims stay open so users can always exit. The deposit cap
//!   bounds `totalAssets()`; `maxDeposit` / `maxMint` report the remaining room.
//! * **Rewards**: every share balance change goes through the kit's hooked ERC-20 methods, whose
//!   `before_update` checkpoints both parties in the reward module first (deposit, mint,
//!   withdraw, redeem, transfer, transferFrom). The asset and the vault share itself are principal
//!   tokens: they can never be reward tokens.
//! * **Reentrancy**: the SDK's default reentrancy denial stays on; state changes precede outgoing
//!   asset transfers (withdraw) and the asset is pulled before shares are minted (deposit).
//! * **Two programs, one vault (size)**: ERC-20 + permit + ERC-4626 + Ownable2Step + the reward
//!   ABI do not fit the 24,576-byte deployable limit in one program. The vault therefore keeps
//!   everything on the hot path (ERC-20, permit, ERC-4626, owner controls and the reward
//!   *checkpoint* in every balance change) and serves the `IRewards` ABI (`claim`, `earned`,
//!   `notifyRewardAmount`, `addReward`, ...) from a **rewards facet**: the same crate built with
//!   feature `rewards-facet` (artifact `staking-vault-rewards-facet`), reached by `delegatecall`
//!   from the vault's fallback, so it runs on the vault's storage at the vault's address. The owner
//!   sets the facet once (`setRewardsFacet`, after `initialize`); until then reward calls revert
//!   with `VaultRewardsFacet(0)`. The facet is built with the SDK's `reentrant` feature because a
//!   delegatecall re-enters the vault's address; its only entry point is the `IRewards` ABI. Reward
//!   calls pay one extra program entry (~10-25k gas); deposits, withdrawals and transfers do not.
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

use alloy_primitives::{Address, U256};
use alloy_sol_types::{sol, SolCall};
use kit::{
    eip712::{ECDSAInvalidSignature, ECDSAInvalidSignatureS, EcdsaError},
    erc20::{
        ERC20InsufficientAllowance, ERC20InsufficientBalance, ERC20InvalidApprover,
        ERC20InvalidReceiver, ERC20InvalidSender, ERC20InvalidSpender, Erc20, Erc20Error,
        Erc20Host, IErc20,
    },
    errors::AlreadyInitialized,
    math::{MathDivisionByZero, MathError, MathOverflow, MathUnderflow},
    ownable::{
        IOwnable, Ownable, OwnableError, OwnableHost, OwnableInvalidOwner,
        OwnableUnauthorizedAccount,
    },
    pausable::{EnforcedPause, ExpectedPause, Pausable, PausableError},
    permit::{
        ERC2612ExpiredSignature, ERC2612InvalidSigner, Erc20PermitHost, IErc20Permit, Nonces,
        PermitError,
    },
    safe_erc20::{self, SafeERC20FailedOperation, SafeErc20Error},
};
use rewards::{
    IRewards, RewardFundingCap, RewardInvalidDuration, RewardMathOverflow, RewardPeriodActive,
    RewardTokenExists, RewardTokenForbidden, RewardTokenLimit, RewardTokenUnknown,
    RewardUnauthorized, RewardZeroAddress, RewardZeroAmount, Rewards, RewardsError, RewardsHost,
};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageU256},
    ArbResult,
};

use crate::shares::{to_assets_down, to_assets_up, to_shares_down, to_shares_up, DECIMALS_OFFSET};

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
    /// The rewards facet is not set (reward functions are unavailable), or is already set.
    #[derive(Debug, PartialEq, Eq)]
    error VaultRewardsFacet(address facet);

    /// The `decimals()` call made on the asset at initialisation.
    interface IAssetMetadata {
        function decimals() external view returns (uint8);
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
    /// See [`AlreadyInitialized`].
    AlreadyInitialized(AlreadyInitialized),
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
    /// See [`RewardPeriodActive`].
    RewardPeriodActive(RewardPeriodActive),
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
    /// Pause flag (stops deposits and mints).
    pausable: Pausable,
    /// Reward module state.
    rewards: Rewards,
    /// The underlying ERC-20.
    asset: StorageAddress,
    /// Assets held for shareholders (internal accounting, see the crate docs).
    total_assets: StorageU256,
    /// Cap on `total_assets`.
    deposit_cap: StorageU256,
    /// Set by `initialize`.
    initialized: StorageBool,
    /// Program that serves the `IRewards` ABI by delegatecall (see the crate docs); set once.
    rewards_facet: StorageAddress,
}

impl Erc20Host for StakingVault {
    type Error = VaultError;

    fn erc20(&self) -> &Erc20 {
        &self.erc20
    }
    fn erc20_mut(&mut self) -> &mut Erc20 {
        &mut self.erc20
    }
    /// Every share balance change settles the rewards of both parties first.
    fn before_update(
        &mut self,
        from: Address,
        to: Address,
        _value: U256,
    ) -> Result<(), VaultError> {
        Ok(self.checkpoint_rewards(&[from, to])?)
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
    fn reward_balance_of(&self, account: Address) -> U256 {
        self.erc20.balance_of(account)
    }
    fn reward_total_supply(&self) -> U256 {
        self.erc20.total_supply()
    }
    fn reward_admin(&self) -> Address {
        self.ownable.owner()
    }
    fn is_principal_token(&self, token: Address) -> bool {
        token == self.asset.get() || token == self.vm().contract_address()
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

    fn totals(&self) -> (U256, U256) {
        (self.total_assets.get(), self.erc20.total_supply())
    }

    fn deposit_room(&self) -> U256 {
        if self.pausable.paused() || !self.initialized.get() {
            return U256::ZERO;
        }
        self.deposit_cap
            .get()
            .saturating_sub(self.total_assets.get())
    }

    /// Pulls `assets` from the caller, then mints `shares` to `receiver` (hooked: checkpoints).
    fn _deposit(
        &mut self,
        receiver: Address,
        assets: U256,
        shares: U256,
    ) -> Result<(), VaultError> {
        let caller = self.vm().msg_sender();
        let asset = self.asset.get();
        let this = self.vm().contract_address();
        safe_erc20::safe_transfer_from(self, asset, caller, this, assets)?;
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

/// The rewards facet: the same storage, serving only the `IRewards` ABI (reached by delegatecall
/// from the vault's fallback, hence built with the SDK's `reentrant` feature).
#[cfg(feature = "rewards-facet")]
#[public]
#[implements(IRewards)]
impl StakingVault {}

#[cfg(not(feature = "rewards-facet"))]
#[public]
#[implements(IErc20<Error = VaultError>, IErc20Permit<Error = VaultError>, IOwnable<Error = VaultError>)]
impl StakingVault {
    /// One-time setup: the asset, share metadata (decimals = asset decimals + 3, asset decimals
    /// read with `decimals()`, 18 if that fails) and the owner. No deposit cap.
    pub fn initialize(
        &mut self,
        asset: Address,
        name: String,
        symbol: String,
        owner: Address,
    ) -> Result<(), VaultError> {
        if self.initialized.get() {
            return Err(VaultError::AlreadyInitialized(AlreadyInitialized {}));
        }
        if asset.is_zero() {
            return Err(VaultError::VaultInvalidAsset(VaultInvalidAsset { asset }));
        }
        let call = IAssetMetadata::decimalsCall {}.abi_encode();
        let asset_decimals =
            match stylus_sdk::call::static_call(self.vm(), Call::new(), asset, &call) {
                Ok(ret) if ret.len() == 32 && ret[..31].iter().all(|b| *b == 0) => ret[31],
                _ => 18,
            };
        self.initialized.set(true);
        self.ownable.initialize(owner)?;
        self.asset.set(asset);
        self.deposit_cap.set(U256::MAX);
        self.erc20.init_metadata(
            &name,
            &symbol,
            asset_decimals.saturating_add(DECIMALS_OFFSET),
        );
        Ok(())
    }

    /// The underlying ERC-20.
    pub fn asset(&self) -> Address {
        self.asset.get()
    }

    /// Assets held for shareholders.
    pub fn total_assets(&self) -> U256 {
        self.total_assets.get()
    }

    /// Shares worth `assets` (rounded down).
    pub fn convert_to_shares(&self, assets: U256) -> Result<U256, VaultError> {
        let (a, s) = self.totals();
        Ok(to_shares_down(assets, a, s)?)
    }

    /// Assets worth `shares` (rounded down).
    pub fn convert_to_assets(&self, shares: U256) -> Result<U256, VaultError> {
        let (a, s) = self.totals();
        Ok(to_assets_down(shares, a, s)?)
    }

    /// Assets `receiver` may deposit now: 0 when paused, else the room under the deposit cap.
    pub fn max_deposit(&self, receiver: Address) -> U256 {
        let _ = receiver;
        self.deposit_room()
    }

    /// Shares `receiver` may mint now: the deposit room converted down, `type(uint256).max` when
    /// that does not fit (uncapped vault).
    pub fn max_mint(&self, receiver: Address) -> U256 {
        let _ = receiver;
        let (a, s) = self.totals();
        to_shares_down(self.deposit_room(), a, s).unwrap_or(U256::MAX)
    }

    /// Assets `owner` may withdraw: the value of their shares, rounded down.
    pub fn max_withdraw(&self, owner: Address) -> Result<U256, VaultError> {
        let (a, s) = self.totals();
        Ok(to_assets_down(self.erc20.balance_of(owner), a, s)?)
    }

    /// Shares `owner` may redeem: their balance.
    pub fn max_redeem(&self, owner: Address) -> U256 {
        self.erc20.balance_of(owner)
    }

    /// Shares `deposit(assets)` would mint now (rounded down).
    pub fn preview_deposit(&self, assets: U256) -> Result<U256, VaultError> {
        self.convert_to_shares(assets)
    }

    /// Assets `mint(shares)` would take now (rounded up).
    pub fn preview_mint(&self, shares: U256) -> Result<U256, VaultError> {
        let (a, s) = self.totals();
        Ok(to_assets_up(shares, a, s)?)
    }

    /// Shares `withdraw(assets)` would burn now (rounded up).
    pub fn preview_withdraw(&self, assets: U256) -> Result<U256, VaultError> {
        let (a, s) = self.totals();
        Ok(to_shares_up(assets, a, s)?)
    }

    /// Assets `redeem(shares)` would pay now (rounded down).
    pub fn preview_redeem(&self, shares: U256) -> Result<U256, VaultError> {
        self.convert_to_assets(shares)
    }

    /// Deposits `assets` (pulled from the caller) and mints the shares to `receiver`.
    pub fn deposit(&mut self, assets: U256, receiver: Address) -> Result<U256, VaultError> {
        self.pausable.when_not_paused()?;
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
        self.pausable.when_not_paused()?;
        let max = self.max_mint(receiver);
        if shares > max {
            return Err(VaultError::ERC4626ExceededMaxMint(ERC4626ExceededMaxMint {
                receiver,
                shares,
                max,
            }));
        }
        let assets = self.preview_mint(shares)?;
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

    /// Whether deposits and mints are paused.
    pub fn paused(&self) -> bool {
        self.pausable.paused()
    }

    /// Owner: stops deposits and mints.
    pub fn pause(&mut self) -> Result<(), VaultError> {
        self.only_owner()?;
        Ok(self.pausable.pause()?)
    }

    /// Owner: resumes deposits and mints.
    pub fn unpause(&mut self) -> Result<(), VaultError> {
        self.only_owner()?;
        Ok(self.pausable.unpause()?)
    }

    /// The program serving the `IRewards` ABI by delegatecall (zero until set).
    pub fn rewards_facet(&self) -> Address {
        self.rewards_facet.get()
    }

    /// Owner, once: sets the rewards facet (the `staking-vault-rewards-facet` artifact). It runs
    /// with the vault's storage, so only ever point it at that artifact (check its code hash).
    pub fn set_rewards_facet(&mut self, facet: Address) -> Result<(), VaultError> {
        self.only_owner()?;
        if facet.is_zero() || !self.rewards_facet.get().is_zero() {
            return Err(VaultError::VaultRewardsFacet(VaultRewardsFacet { facet }));
        }
        self.rewards_facet.set(facet);
        Ok(())
    }

    /// Every selector the vault does not know (the `IRewards` ABI) is delegated to the rewards
    /// facet; its return or revert data is passed through unchanged.
    #[fallback]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        let facet = self.rewards_facet.get();
        if facet.is_zero() {
            return Err(VaultError::VaultRewardsFacet(VaultRewardsFacet { facet }).into());
        }
        let ctx = Call::new_mutating(self);
        // SAFETY: the facet is the vault's own rewards code over the same storage layout, set
        // once by the owner; the SDK flushes and clears the storage cache around the call.
        unsafe { stylus_sdk::call::delegate_call(self.vm(), ctx, facet, calldata) }
            .map_err(Vec::from)
    }

    /// Cap on `totalAssets()` (`type(uint256).max` when uncapped).
    pub fn deposit_cap(&self) -> U256 {
        self.deposit_cap.get()
    }

    /// Owner: sets the cap on `totalAssets()`; below the current total it only blocks deposits.
    pub fn set_deposit_cap(&mut self, cap: U256) -> Result<(), VaultError> {
        self.only_owner()?;
        self.deposit_cap.set(cap);
        self.vm().log(DepositCapUpdated { cap });
        Ok(())
    }
}
