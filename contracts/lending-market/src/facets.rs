//! The three facets' ABIs (see the crate docs), chained by their fallbacks: the **admin facet**
//! (`liquidate`, owner setters, `createMarket`, `setAuthorizationWithSig`) → the **rewards
//! facet** (`IRewards`) → the **views facet** (`position`, `market`, `isAuthorized`, the other
//! cold views and the `expected*` views). All run by delegatecall on the market's storage at the market's
//! address.
// The market build compiles only `refuse_recovery` (tested natively).
#![cfg_attr(
    not(any(
        feature = "rewards-facet",
        feature = "admin-facet",
        feature = "views-facet"
    )),
    allow(unused_imports, dead_code)
)]

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{SolCall, SolError};
use rewards::RewardTokenForbidden;
use stylus_sdk::{prelude::*, ArbResult};

#[cfg(feature = "export-abi")]
#[allow(unused_imports)]
use crate::*;
use crate::{
    domain_separator_of, Authorization, LendingMarket, MarketError, MarketParams, Signature,
};

// `#[implements(IRewards)]` names the export struct the trait impl generated in the crate root.
#[cfg(all(feature = "export-abi", feature = "rewards-facet"))]
use crate::IRewardsStylusAbiStruct;

alloy_sol_types::sol! {
    /// The reward module's recovery (refused by the market, see [`refuse_recovery`]).
    function recoverERC20(address token, uint256 amount);
}

/// The rewards facet refuses `recoverERC20(token, amount)` with `RewardTokenForbidden(token)`
/// (see the crate docs): returns the revert data for such calldata.
pub fn refuse_recovery(input: &[u8]) -> Option<Vec<u8>> {
    if input.len() < 36 || input[..4] != recoverERC20Call::SELECTOR {
        return None;
    }
    let token = Address::from_slice(&input[16..36]);
    Some(RewardTokenForbidden { token }.abi_encode())
}

/// The rewards facet: `IRewards` (reached through the admin facet's fallback); every other
/// selector goes on to the views facet.
#[cfg(feature = "rewards-facet")]
#[public]
#[implements(rewards::IRewards)]
impl LendingMarket {
    /// The storage-layout id the market checks before it accepts this program as its rewards
    /// facet.
    pub fn rewards_facet_version(&self) -> B256 {
        crate::REWARDS_FACET_VERSION
    }

    /// Every selector the rewards facet does not know (the cold views) goes on to the views
    /// facet (delegatecall: same storage, same address).
    #[fallback]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        let facet = self.views_facet.get();
        let ctx = Call::new_mutating(self);
        // SAFETY: the views facet is this crate's views build over the same storage layout
        // (checked at construction, immutable).
        unsafe { stylus_sdk::call::delegate_call(self.vm(), ctx, facet, calldata) }
            .map_err(Vec::from)
    }
}

/// The views facet: the cold views (reached through the rewards facet's fallback).
#[cfg(all(
    feature = "views-facet",
    not(any(feature = "rewards-facet", feature = "admin-facet"))
))]
#[public]
impl LendingMarket {
    /// The storage-layout id the market checks before it accepts this program as its views
    /// facet.
    pub fn views_facet_version(&self) -> B256 {
        crate::VIEWS_FACET_VERSION
    }

    /// The views facet.
    pub fn views_facet(&self) -> Address {
        self.views_facet.get()
    }

    /// Whether `authorized` may manage `authorizer`'s positions.
    pub fn is_authorized(&self, authorizer: Address, authorized: Address) -> bool {
        self.is_authorized.getter(authorizer).get(authorized)
    }

    /// `(supplyShares, borrowShares, collateral)` of `user` in market `id`.
    pub fn position(&self, id: B256, user: Address) -> (U256, u128, u128) {
        let p = self.position.getter(id);
        let p = p.getter(user);
        (
            p.supply_shares.get(),
            p.borrow_shares.get().to(),
            p.collateral.get().to(),
        )
    }

    /// Market `id`'s stored state (not accrued; see `expectedMarketBalances`).
    pub fn market(&self, id: B256) -> (u128, u128, u128, u128, u128, u128) {
        let m = self.market.getter(id);
        (
            m.total_supply_assets.get().to(),
            m.total_supply_shares.get().to(),
            m.total_borrow_assets.get().to(),
            m.total_borrow_shares.get().to(),
            m.last_update.get().to(),
            m.fee.get().to(),
        )
    }

    /// Code hash of the views facet when it was set.
    pub fn views_facet_codehash(&self) -> B256 {
        self.views_facet_codehash.get()
    }

    /// Morpho's EIP-712 domain separator (chain id and this address, recomputed per call).
    #[selector(name = "DOMAIN_SEPARATOR")]
    pub fn domain_separator(&self) -> B256 {
        domain_separator_of(self.vm().chain_id(), self.vm().contract_address())
    }

    /// The owner.
    pub fn owner(&self) -> Address {
        self.owner.get()
    }

    /// The fee recipient.
    pub fn fee_recipient(&self) -> Address {
        self.fee_recipient.get()
    }

    /// Whether `irm` is enabled.
    pub fn is_irm_enabled(&self, irm: Address) -> bool {
        self.is_irm_enabled.get(irm)
    }

    /// Whether `lltv` is enabled.
    pub fn is_lltv_enabled(&self, lltv: U256) -> bool {
        self.is_lltv_enabled.get(lltv)
    }

    /// The next signed-authorisation nonce of `authorizer`.
    pub fn nonce(&self, authorizer: Address) -> U256 {
        self.nonce.get(authorizer)
    }

    /// The program serving `IRewards` by delegatecall.
    pub fn rewards_facet(&self) -> Address {
        self.rewards_facet.get()
    }

    /// Code hash of the rewards facet when it was set (compare with the published artifact).
    pub fn rewards_facet_codehash(&self) -> B256 {
        self.rewards_facet_codehash.get()
    }

    /// The parameters of market `id` (zero if it does not exist).
    pub fn id_to_market_params(&self, id: B256) -> (Address, Address, Address, Address, U256) {
        let s = self.params.getter(id);
        (
            s.loan_token.get(),
            s.collateral_token.get(),
            s.oracle.get(),
            s.irm.get(),
            s.lltv.get(),
        )
    }

    /// `(supplySource, borrowSource)`: the reward sources of market `id` (`uint256(id)` and
    /// `uint256(id) ^ 1`).
    pub fn reward_sources(&self, id: B256) -> (U256, U256) {
        (crate::supply_source(id), crate::borrow_source(id))
    }

    /// Totals of the market accrued up to now (the IRM's `borrowRateView`), without writing.
    pub fn expected_market_balances(
        &self,
        market_params: MarketParams,
    ) -> Result<(U256, U256, U256, U256), Vec<u8>> {
        let (_, t) = self.expected_totals(&market_params)?;
        Ok((
            t.supply_assets,
            t.supply_shares,
            t.borrow_assets,
            t.borrow_shares,
        ))
    }

    /// `user`'s supply in assets, accrued up to now, rounded down.
    pub fn expected_supply_assets(
        &self,
        market_params: MarketParams,
        user: Address,
    ) -> Result<U256, Vec<u8>> {
        self.expected_supply(&market_params, user)
    }

    /// `user`'s debt in assets, accrued up to now, rounded up.
    pub fn expected_borrow_assets(
        &self,
        market_params: MarketParams,
        user: Address,
    ) -> Result<U256, Vec<u8>> {
        self.expected_debt(&market_params, user)
    }
}

/// The admin facet: the cold paths.
#[cfg(all(feature = "admin-facet", not(feature = "rewards-facet")))]
#[public]
impl LendingMarket {
    /// The storage-layout id the market checks before it accepts this program as its admin
    /// facet.
    pub fn admin_facet_version(&self) -> B256 {
        crate::ADMIN_FACET_VERSION
    }

    /// Owner: transfers ownership (`AlreadySet()` if unchanged; zero renounces, as Morpho).
    pub fn set_owner(&mut self, new_owner: Address) -> Result<(), MarketError> {
        self.set_owner_inner(new_owner)
    }

    /// Owner: enables `irm` for new markets (`address(0)`: markets without interest).
    pub fn enable_irm(&mut self, irm: Address) -> Result<(), MarketError> {
        self.enable_irm_inner(irm)
    }

    /// Owner: enables `lltv` (< 1e18) for new markets.
    pub fn enable_lltv(&mut self, lltv: U256) -> Result<(), MarketError> {
        self.enable_lltv_inner(lltv)
    }

    /// Owner: sets the fee of a market (≤ 0.25e18), accruing at the old fee first.
    pub fn set_fee(&mut self, market_params: MarketParams, new_fee: U256) -> Result<(), Vec<u8>> {
        self.set_fee_inner(market_params, new_fee)
    }

    /// Owner: sets the fee recipient (fee shares accrued from now on go to it).
    pub fn set_fee_recipient(&mut self, new_fee_recipient: Address) -> Result<(), MarketError> {
        self.set_fee_recipient_inner(new_fee_recipient)
    }

    /// Anyone: creates a market from an enabled IRM and LLTV (see the crate docs).
    pub fn create_market(&mut self, market_params: MarketParams) -> Result<(), Vec<u8>> {
        self.create_market_inner(market_params)
    }

    /// Anyone: applies an EIP-712 signed authorisation (nonce, deadline; see the crate docs).
    pub fn set_authorization_with_sig(
        &mut self,
        authorization: Authorization,
        signature: Signature,
    ) -> Result<(), MarketError> {
        self.set_authorization_with_sig_inner(authorization, signature)
    }

    /// Every selector the admin facet does not know (`IRewards`) goes on to the rewards facet
    /// (a delegatecall from within the market's delegatecall: same storage, same address).
    #[fallback]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        let facet = self.rewards_facet.get();
        let ctx = Call::new_mutating(self);
        // SAFETY: the rewards facet is this crate's rewards build over the same storage layout
        // (checked at construction, immutable).
        unsafe { stylus_sdk::call::delegate_call(self.vm(), ctx, facet, calldata) }
            .map_err(Vec::from)
    }

    /// Liquidates an unhealthy `borrower`: seizes `seizedAssets` of collateral or repays
    /// `repaidShares` (exactly one non-zero); calls `onMorphoLiquidate(repaidAssets, data)` when
    /// `data` is non-empty, then pulls the repayment. Returns `(seized, repaidAssets)`.
    pub fn liquidate(
        &mut self,
        market_params: MarketParams,
        borrower: Address,
        seized_assets: U256,
        repaid_shares: U256,
        data: stylus_sdk::abi::Bytes,
    ) -> Result<(U256, U256), Vec<u8>> {
        self.liquidate_inner(market_params, borrower, seized_assets, repaid_shares, &data)
    }

    /// The admin facet (the market's fallback target).
    pub fn admin_facet(&self) -> Address {
        self.admin_facet.get()
    }

    /// Code hash of the admin facet when it was set.
    pub fn admin_facet_codehash(&self) -> B256 {
        self.admin_facet_codehash.get()
    }
}
