//! The cold paths served by the rewards facet: owner setters, `createMarket`,
//! `setAuthorizationWithSig` (and, through `rewards::impl_rewards_abi!`, `IRewards`). The logic
//! is compiled in every build so the unit tests (market build) exercise it directly.
// The market build uses only `init`; the rewards facet none of it.
#![cfg_attr(not(any(test, feature = "admin-facet")), allow(dead_code))]

use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::{SolCall, SolError, SolEvent};
use rewards::{RewardTokenForbidden, RewardsHost};
use stylus_sdk::prelude::*;

use crate::{
    domain_separator_of, err, market_id,
    math::{self, Totals, MAX_FEE, WAD},
    ops::{narrow, w, wide},
    AdminFacetSet, Authorization, CreateMarket, EnableIrm, EnableLltv, IFacets, IncrementNonce,
    InvalidRewardsFacet, LendingMarket, MarketError, MarketParams, RewardsFacetSet,
    SetAuthorization, SetFee, SetFeeRecipient, SetOwner, Signature, ViewsFacetSet,
    ADMIN_FACET_VERSION, AUTHORIZATION_TYPEHASH, R, REWARDS_FACET_VERSION, VIEWS_FACET_VERSION,
};

impl LendingMarket {
    /// The constructor: owner (non-zero) and the three facets (checked), with their events.
    pub(crate) fn init(
        &mut self,
        owner: Address,
        rewards_facet: Address,
        admin_facet: Address,
        views_facet: Address,
    ) -> Result<(), MarketError> {
        if owner.is_zero() {
            return Err(err!(ZeroAddress));
        }
        for (facet, selector, version) in [
            (
                rewards_facet,
                IFacets::rewardsFacetVersionCall::SELECTOR,
                REWARDS_FACET_VERSION,
            ),
            (
                admin_facet,
                IFacets::adminFacetVersionCall::SELECTOR,
                ADMIN_FACET_VERSION,
            ),
            (
                views_facet,
                IFacets::viewsFacetVersionCall::SELECTOR,
                VIEWS_FACET_VERSION,
            ),
        ] {
            if !self.is_facet(facet, selector, version) {
                return Err(MarketError::InvalidRewardsFacet(InvalidRewardsFacet {
                    facet,
                }));
            }
        }
        self.owner.set(owner);
        self.emit(&[SetOwner::SIGNATURE_HASH, w(owner)], &[]);
        let codehash = self.code_hash_of(rewards_facet);
        self.rewards_facet.set(rewards_facet);
        self.rewards_facet_codehash.set(codehash);
        self.emit(
            &[RewardsFacetSet::SIGNATURE_HASH, w(rewards_facet)],
            &[codehash],
        );
        let codehash = self.code_hash_of(admin_facet);
        self.admin_facet.set(admin_facet);
        self.admin_facet_codehash.set(codehash);
        self.emit(
            &[AdminFacetSet::SIGNATURE_HASH, w(admin_facet)],
            &[codehash],
        );
        let codehash = self.code_hash_of(views_facet);
        self.views_facet.set(views_facet);
        self.views_facet_codehash.set(codehash);
        self.emit(
            &[ViewsFacetSet::SIGNATURE_HASH, w(views_facet)],
            &[codehash],
        );
        Ok(())
    }
}

/// Everything else is facet-only (absent from the market program's wasm).
#[cfg(not(all(
    target_arch = "wasm32",
    not(any(
        feature = "rewards-facet",
        feature = "admin-facet",
        feature = "views-facet",
        feature = "export-abi"
    ))
)))]
impl LendingMarket {
    fn only_owner(&self) -> Result<(), MarketError> {
        if self.vm().msg_sender() != self.owner.get() {
            return Err(err!(NotOwner));
        }
        Ok(())
    }

    pub(crate) fn set_owner_inner(&mut self, new_owner: Address) -> Result<(), MarketError> {
        self.only_owner()?;
        if new_owner == self.owner.get() {
            return Err(err!(AlreadySet));
        }
        self.owner.set(new_owner);
        self.emit(&[SetOwner::SIGNATURE_HASH, w(new_owner)], &[]);
        Ok(())
    }

    pub(crate) fn enable_irm_inner(&mut self, irm: Address) -> Result<(), MarketError> {
        self.only_owner()?;
        if self.is_irm_enabled.get(irm) {
            return Err(err!(AlreadySet));
        }
        self.is_irm_enabled.insert(irm, true);
        self.emit(&[EnableIrm::SIGNATURE_HASH, w(irm)], &[]);
        Ok(())
    }

    pub(crate) fn enable_lltv_inner(&mut self, lltv: U256) -> Result<(), MarketError> {
        self.only_owner()?;
        if self.is_lltv_enabled.get(lltv) {
            return Err(err!(AlreadySet));
        }
        if lltv >= WAD {
            return Err(err!(MaxLltvExceeded));
        }
        self.is_lltv_enabled.insert(lltv, true);
        self.emit(&[EnableLltv::SIGNATURE_HASH], &[w(lltv)]);
        Ok(())
    }

    pub(crate) fn set_fee_inner(&mut self, p: MarketParams, new_fee: U256) -> R<()> {
        self.only_owner()?;
        let id = market_id(&p);
        self.require_created(id)?;
        if new_fee == wide(self.market.getter(id).fee.get()) {
            return Err(err!(AlreadySet).into());
        }
        if new_fee > MAX_FEE {
            return Err(err!(MaxFeeExceeded).into());
        }
        // Interest so far is charged at the old fee.
        self.accrue(&p, id)?;
        self.market
            .setter(id)
            .fee
            .set(narrow(new_fee).map_err(MarketError::from)?);
        self.emit(&[SetFee::SIGNATURE_HASH, id], &[w(new_fee)]);
        Ok(())
    }

    pub(crate) fn set_fee_recipient_inner(&mut self, new: Address) -> Result<(), MarketError> {
        self.only_owner()?;
        if new == self.fee_recipient.get() {
            return Err(err!(AlreadySet));
        }
        self.fee_recipient.set(new);
        self.emit(&[SetFeeRecipient::SIGNATURE_HASH, w(new)], &[]);
        Ok(())
    }

    pub(crate) fn create_market_inner(&mut self, p: MarketParams) -> R<()> {
        if !self.is_irm_enabled.get(p.irm) {
            return Err(err!(IrmNotEnabled).into());
        }
        if !self.is_lltv_enabled.get(p.lltv) {
            return Err(err!(LltvNotEnabled).into());
        }
        let id = market_id(&p);
        if self.created(id) {
            return Err(err!(MarketAlreadyCreated).into());
        }
        if self.created(id ^ B256::with_last_byte(1)) {
            return Err(err!(MarketIdCollision).into());
        }
        for token in [p.loanToken, p.collateralToken] {
            if self.rewards().is_any_reward(token) {
                return Err(RewardTokenForbidden { token }.abi_encode());
            }
            self.is_principal.insert(token, true);
        }
        let now = U256::from(self.vm().block_timestamp());
        self.market
            .setter(id)
            .last_update
            .set(narrow(now).map_err(MarketError::from)?);
        {
            let mut s = self.params.setter(id);
            s.loan_token.set(p.loanToken);
            s.collateral_token.set(p.collateralToken);
            s.oracle.set(p.oracle);
            s.irm.set(p.irm);
            s.lltv.set(p.lltv);
        }
        self.emit(
            &[CreateMarket::SIGNATURE_HASH, id],
            &[
                w(p.loanToken),
                w(p.collateralToken),
                w(p.oracle),
                w(p.irm),
                w(p.lltv),
            ],
        );
        // Lets a stateful IRM initialise itself (Morpho does the same).
        if !p.irm.is_zero() {
            let market = self.irm_market(id);
            self.borrow_rate(&p, market)?;
        }
        Ok(())
    }

    pub(crate) fn set_authorization_with_sig_inner(
        &mut self,
        a: Authorization,
        sig: Signature,
    ) -> Result<(), MarketError> {
        if U256::from(self.vm().block_timestamp()) > a.deadline {
            return Err(err!(SignatureExpired));
        }
        let used = self.nonce.get(a.authorizer);
        if a.nonce != used {
            return Err(err!(InvalidNonce));
        }
        // `used < nonce`, a nonce never reaches 2^256 - 1 by increments.
        self.nonce.insert(a.authorizer, used + U256::from(1));
        let mut buf = [0u8; 192];
        buf[..32].copy_from_slice(AUTHORIZATION_TYPEHASH.as_slice());
        buf[44..64].copy_from_slice(a.authorizer.as_slice());
        buf[76..96].copy_from_slice(a.authorized.as_slice());
        buf[127] = u8::from(a.isAuthorized);
        buf[128..160].copy_from_slice(&a.nonce.to_be_bytes::<32>());
        buf[160..192].copy_from_slice(&a.deadline.to_be_bytes::<32>());
        let domain = domain_separator_of(self.vm().chain_id(), self.vm().contract_address());
        let digest = kit::eip712::typed_data_hash(domain, keccak256(buf));
        let signer = self.recover(digest, sig.v, sig.r, sig.s)?;
        if signer != a.authorizer {
            return Err(err!(InvalidSignature));
        }
        let caller = self.vm().msg_sender();
        self.emit(
            &[IncrementNonce::SIGNATURE_HASH, w(caller), w(a.authorizer)],
            &[w(used)],
        );
        self.is_authorized
            .setter(a.authorizer)
            .insert(a.authorized, a.isAuthorized);
        self.emit(
            &[
                SetAuthorization::SIGNATURE_HASH,
                w(caller),
                w(a.authorizer),
                w(a.authorized),
            ],
            &[w(a.isAuthorized)],
        );
        Ok(())
    }

    /// The signer of `digest`; malleable (high-`s`) signatures, bad `v`, failed recovery and the
    /// zero address are `InvalidSignature()`.
    #[cfg(not(all(
        test,
        not(any(
            feature = "rewards-facet",
            feature = "admin-facet",
            feature = "views-facet"
        ))
    )))]
    fn recover(&self, digest: B256, v: u8, r: B256, s: B256) -> Result<Address, MarketError> {
        kit::eip712::recover(self.vm(), digest, v, r, s).map_err(|_| err!(InvalidSignature))
    }

    /// Totals of market `p` accrued up to now without writing (Morpho's
    /// `MorphoBalancesLib.expectedMarketBalances`, through the IRM's `borrowRateView`).
    pub(crate) fn expected_totals(&self, p: &MarketParams) -> R<(B256, Totals)> {
        let id = market_id(p);
        let mut t = self.totals(id);
        let (last, fee) = {
            let m = self.market.getter(id);
            (wide(m.last_update.get()), wide(m.fee.get()))
        };
        let elapsed = U256::from(self.vm().block_timestamp()).saturating_sub(last);
        if !elapsed.is_zero() && !t.borrow_assets.is_zero() && !p.irm.is_zero() {
            let rate = self.borrow_rate_view(p, self.irm_market(id))?;
            math::accrue(&mut t, rate, elapsed, fee)?;
        }
        Ok((id, t))
    }

    /// `user`'s supply in assets, accrued up to now, rounded down.
    pub(crate) fn expected_supply(&self, p: &MarketParams, user: Address) -> R<U256> {
        let (id, t) = self.expected_totals(p)?;
        let shares = self.position.getter(id).getter(user).supply_shares.get();
        Ok(math::to_assets_down(
            shares,
            t.supply_assets,
            t.supply_shares,
        )?)
    }

    /// `user`'s debt in assets, accrued up to now, rounded up.
    pub(crate) fn expected_debt(&self, p: &MarketParams, user: Address) -> R<U256> {
        let (id, t) = self.expected_totals(p)?;
        let shares = wide(self.position.getter(id).getter(user).borrow_shares.get());
        Ok(math::to_assets_up(
            shares,
            t.borrow_assets,
            t.borrow_shares,
        )?)
    }
}
