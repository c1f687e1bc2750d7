//! The market program's ABI (Morpho Blue's `IMorpho` hot paths and views). Every other selector
//! goes to the rewards facet through the fallback.

use alloc::vec::Vec;

use alloy_primitives::{Address, U256};
use stylus_sdk::{abi::Bytes, prelude::*, ArbResult};

use crate::{LendingMarket, MarketError, MarketParams};

#[public]
impl LendingMarket {
    /// Deployment (run atomically by the StylusDeployer): the owner and the three facets (each
    /// must have code and answer its version call with this market's layout id).
    #[constructor]
    pub fn constructor(
        &mut self,
        owner: Address,
        rewards_facet: Address,
        admin_facet: Address,
        views_facet: Address,
    ) -> Result<(), MarketError> {
        self.init(owner, rewards_facet, admin_facet, views_facet)
    }

    /// Supplies `assets` (or the assets worth `shares`) for `onBehalf`; calls
    /// `onMorphoSupply(assets, data)` on the caller when `data` is non-empty, then pulls.
    pub fn supply(
        &mut self,
        market_params: MarketParams,
        assets: U256,
        shares: U256,
        on_behalf: Address,
        data: Bytes,
    ) -> Result<(U256, U256), Vec<u8>> {
        self.supply_inner(market_params, assets, shares, on_behalf, &data)
    }

    /// Withdraws `assets` (or the assets worth `shares`) of `onBehalf` (caller authorised) to
    /// `receiver`.
    pub fn withdraw(
        &mut self,
        market_params: MarketParams,
        assets: U256,
        shares: U256,
        on_behalf: Address,
        receiver: Address,
    ) -> Result<(U256, U256), Vec<u8>> {
        self.withdraw_inner(market_params, assets, shares, on_behalf, receiver)
    }

    /// Borrows `assets` (or the assets worth `shares`) against `onBehalf`'s collateral (caller
    /// authorised) to `receiver`; the position must stay healthy.
    pub fn borrow(
        &mut self,
        market_params: MarketParams,
        assets: U256,
        shares: U256,
        on_behalf: Address,
        receiver: Address,
    ) -> Result<(U256, U256), Vec<u8>> {
        self.borrow_inner(market_params, assets, shares, on_behalf, receiver)
    }

    /// Repays `assets` (or the assets worth `shares`) of `onBehalf`'s debt; calls
    /// `onMorphoRepay(assets, data)` on the caller when `data` is non-empty, then pulls.
    pub fn repay(
        &mut self,
        market_params: MarketParams,
        assets: U256,
        shares: U256,
        on_behalf: Address,
        data: Bytes,
    ) -> Result<(U256, U256), Vec<u8>> {
        self.repay_inner(market_params, assets, shares, on_behalf, &data)
    }

    /// Adds `assets` of collateral to `onBehalf`'s position; calls
    /// `onMorphoSupplyCollateral(assets, data)` when `data` is non-empty, then pulls.
    pub fn supply_collateral(
        &mut self,
        market_params: MarketParams,
        assets: U256,
        on_behalf: Address,
        data: Bytes,
    ) -> Result<(), Vec<u8>> {
        self.supply_collateral_inner(market_params, assets, on_behalf, &data)
    }

    /// Withdraws `assets` of `onBehalf`'s collateral (caller authorised) to `receiver`; the
    /// position must stay healthy.
    pub fn withdraw_collateral(
        &mut self,
        market_params: MarketParams,
        assets: U256,
        on_behalf: Address,
        receiver: Address,
    ) -> Result<(), Vec<u8>> {
        self.withdraw_collateral_inner(market_params, assets, on_behalf, receiver)
    }

    /// Lends `assets` of `token` for the duration of `onMorphoFlashLoan(assets, data)` on the
    /// caller, free; pulls them back after.
    pub fn flash_loan(&mut self, token: Address, assets: U256, data: Bytes) -> Result<(), Vec<u8>> {
        self.flash_loan_inner(token, assets, &data)
    }

    /// Authorises (or revokes) `authorized` to manage the caller's positions.
    pub fn set_authorization(
        &mut self,
        authorized: Address,
        new_is_authorized: bool,
    ) -> Result<(), MarketError> {
        self.set_authorization_inner(authorized, new_is_authorized)
    }

    /// Accrues interest on a market.
    pub fn accrue_interest(&mut self, market_params: MarketParams) -> Result<(), Vec<u8>> {
        let id = crate::market_id(&market_params);
        self.require_created(id)?;
        self.accrue(&market_params, id)?;
        Ok(())
    }

    /// Every other selector (`liquidate`, the owner setters, `createMarket`,
    /// `setAuthorizationWithSig`, the cold views and, one hop further, `IRewards`) is delegated
    /// to the admin facet; its return or revert data is passed through unchanged.
    #[fallback]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        let facet = self.admin_facet.get();
        let ctx = Call::new_mutating(self);
        // SAFETY: the facet is this crate's facet build over the same storage layout (checked at
        // construction, immutable); the SDK flushes and clears the storage cache around it.
        unsafe { stylus_sdk::call::delegate_call(self.vm(), ctx, facet, calldata) }
            .map_err(Vec::from)
    }
}
