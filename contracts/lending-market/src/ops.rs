//! The hot paths: accrual, reward checkpoints, supply/withdraw/borrow/repay, collateral,
//! liquidation and flash loans (Morpho Blue's order of checks, effects and interactions).

use alloc::vec::Vec;

use alloy_primitives::{Address, Uint, B256, U256};
use alloy_sol_types::{SolCall, SolError, SolEvent};
use kit::math::{checked_add, checked_sub, MathError, MathOverflow};
use stylus_sdk::prelude::*;

use crate::{
    borrow_source, err, market_id,
    math::{self, Totals, MAX_U128},
    supply_source, AccrueInterest, Borrow, FlashLoan, IMorphoCallbacks, LendingMarket, Liquidate,
    MarketError, MarketParams, Repay, SetAuthorization, Supply, SupplyCollateral, Withdraw,
    WithdrawCollateral, R,
};

/// A stored `uint128`.
pub(crate) type U128 = Uint<128, 2>;

/// Widens a stored `uint128`.
pub(crate) fn wide(x: U128) -> U256 {
    U256::from(x)
}

/// Narrows to a stored `uint128`, or `MathOverflow()`.
pub(crate) fn narrow(x: U256) -> Result<U128, MathError> {
    if x > MAX_U128 {
        return Err(MathError::MathOverflow(MathOverflow {}));
    }
    Ok(U128::from(x))
}

/// `InconsistentInput()` unless exactly one of `a`, `b` is zero.
fn exactly_one_zero(a: U256, b: U256) -> Result<(), MarketError> {
    if a.is_zero() == b.is_zero() {
        return Err(err!(InconsistentInput));
    }
    Ok(())
}

/// A 32-byte log word.
pub(crate) trait Word {
    /// The value as one ABI word.
    fn word(self) -> B256;
}

impl Word for B256 {
    fn word(self) -> B256 {
        self
    }
}

impl Word for Address {
    fn word(self) -> B256 {
        self.into_word()
    }
}

impl Word for U256 {
    fn word(self) -> B256 {
        B256::from(self)
    }
}

impl Word for bool {
    fn word(self) -> B256 {
        B256::with_last_byte(u8::from(self))
    }
}

/// `x` as one ABI word.
pub(crate) fn w<T: Word>(x: T) -> B256 {
    x.word()
}

/// Calldata of an `onMorpho*(uint256 assets, bytes data)` callback (all five share the shape;
/// one encoder instead of five).
pub(crate) fn callback_data(selector: [u8; 4], assets: U256, data: &[u8]) -> Vec<u8> {
    let padded = data.len().div_ceil(32) * 32;
    let mut out = Vec::with_capacity(100 + padded);
    out.extend_from_slice(&selector);
    out.extend_from_slice(&assets.to_be_bytes::<32>());
    out.extend_from_slice(&U256::from(64).to_be_bytes::<32>());
    out.extend_from_slice(&U256::from(data.len()).to_be_bytes::<32>());
    out.extend_from_slice(data);
    out.resize(100 + padded, 0);
    out
}

/// Which reward source of a market.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    /// Supply shares.
    Supply,
    /// Borrow shares.
    Borrow,
}

impl LendingMarket {
    /// Emits a log from its topics (event signature first) and data words: one small function
    /// instead of one encoder per event type (the events are declared in the crate root).
    ///
    /// Builds `topics ‖ data` in one buffer and calls the `emit_log` hostio directly: the SDK's
    /// `raw_log` copies the topics byte by byte through an iterator (measured ~1,100 gas of wasm
    /// compute for a four-topic event, ~640 for two topics, in `cargo bench --bench lending_gas`).
    pub(crate) fn emit(&self, topics: &[B256], words: &[B256]) {
        let mut buf = Vec::with_capacity((topics.len() + words.len()) * 32);
        for x in topics.iter().chain(words) {
            buf.extend_from_slice(x.as_slice());
        }
        self.vm().emit_log(&buf, topics.len());
    }

    /// `MarketNotCreated()` unless market `id` exists.
    pub(crate) fn require_created(&self, id: B256) -> Result<(), MarketError> {
        if !self.created(id) {
            return Err(err!(MarketNotCreated));
        }
        Ok(())
    }

    /// `Unauthorized()` unless the caller is `on_behalf` or authorised by it.
    fn require_authorized(&self, on_behalf: Address) -> Result<(), MarketError> {
        let sender = self.vm().msg_sender();
        if sender != on_behalf && !self.is_authorized.getter(on_behalf).get(sender) {
            return Err(err!(Unauthorized));
        }
        Ok(())
    }

    /// The four stored totals of market `id`.
    pub(crate) fn totals(&self, id: B256) -> Totals {
        let m = self.market.getter(id);
        Totals {
            supply_assets: wide(m.total_supply_assets.get()),
            supply_shares: wide(m.total_supply_shares.get()),
            borrow_assets: wide(m.total_borrow_assets.get()),
            borrow_shares: wide(m.total_borrow_shares.get()),
        }
    }

    /// Stores the four totals of market `id` (`MathOverflow()` beyond `uint128`).
    pub(crate) fn store_totals(&mut self, id: B256, t: &Totals) -> Result<(), MathError> {
        let mut m = self.market.setter(id);
        m.total_supply_assets.set(narrow(t.supply_assets)?);
        m.total_supply_shares.set(narrow(t.supply_shares)?);
        m.total_borrow_assets.set(narrow(t.borrow_assets)?);
        m.total_borrow_shares.set(narrow(t.borrow_shares)?);
        Ok(())
    }

    /// The `Market` tuple Morpho passes to the IRM.
    pub(crate) fn irm_market(&self, id: B256) -> crate::Market {
        let m = self.market.getter(id);
        crate::Market {
            totalSupplyAssets: m.total_supply_assets.get().to(),
            totalSupplyShares: m.total_supply_shares.get().to(),
            totalBorrowAssets: m.total_borrow_assets.get().to(),
            totalBorrowShares: m.total_borrow_shares.get().to(),
            lastUpdate: m.last_update.get().to(),
            fee: m.fee.get().to(),
        }
    }

    /// Settles `account`'s rewards in one side of market `id` at its stored (pre-change) shares
    /// and the stored total. Call before every change of that side's shares.
    pub(crate) fn checkpoint(&mut self, id: B256, side: Side, account: Address) -> R<()> {
        let now = self.vm().block_timestamp();
        let (source, total, balance) = {
            let m = self.market.getter(id);
            let p = self.position.getter(id);
            let p = p.getter(account);
            match side {
                Side::Supply => (
                    supply_source(id),
                    wide(m.total_supply_shares.get()),
                    p.supply_shares.get(),
                ),
                Side::Borrow => (
                    borrow_source(id),
                    wide(m.total_borrow_shares.get()),
                    wide(p.borrow_shares.get()),
                ),
            }
        };
        // The module's checkpoint can only fail by overflow.
        self.rewards
            .checkpoint(source, now, total, &[(account, balance)])
            .map_err(|_| rewards::RewardMathOverflow {}.abi_encode())
    }

    /// Morpho's `_accrueInterest`: brings market `id` to now and returns its totals. Mints the
    /// fee shares to the fee recipient (checkpointed first).
    pub(crate) fn accrue(&mut self, p: &MarketParams, id: B256) -> R<Totals> {
        let now = U256::from(self.vm().block_timestamp());
        let (last, fee) = {
            let m = self.market.getter(id);
            (wide(m.last_update.get()), wide(m.fee.get()))
        };
        let elapsed = now.saturating_sub(last);
        if elapsed.is_zero() {
            return Ok(self.totals(id));
        }
        if !p.irm.is_zero() {
            let market = self.irm_market(id);
            let rate = self.borrow_rate(p, market)?;
            let mut t = self.totals(id);
            let a = math::accrue(&mut t, rate, elapsed, fee).map_err(MarketError::from)?;
            if !a.fee_shares.is_zero() {
                let recipient = self.fee_recipient.get();
                self.checkpoint(id, Side::Supply, recipient)?;
                let mut pos = self.position.setter(id);
                let mut pos = pos.setter(recipient);
                let s = checked_add(pos.supply_shares.get(), a.fee_shares)
                    .map_err(MarketError::from)?;
                pos.supply_shares.set(s);
            }
            self.store_totals(id, &t).map_err(MarketError::from)?;
            self.emit(
                &[AccrueInterest::SIGNATURE_HASH, w(id)],
                &[w(rate), w(a.interest), w(a.fee_shares)],
            );
        }
        self.market
            .setter(id)
            .last_update
            .set(narrow(now).map_err(MarketError::from)?);
        Ok(self.totals(id))
    }

    /// Whether `borrower` is healthy in market `id` with totals `t` (reads the oracle only when
    /// the borrower has debt).
    fn healthy(&self, p: &MarketParams, id: B256, borrower: Address, t: &Totals) -> R<bool> {
        let (shares, collateral) = {
            let pos = self.position.getter(id);
            let pos = pos.getter(borrower);
            (wide(pos.borrow_shares.get()), wide(pos.collateral.get()))
        };
        if shares.is_zero() {
            return Ok(true);
        }
        let price = self.price(p.oracle)?;
        Ok(math::is_healthy(shares, collateral, t, price, p.lltv).map_err(MarketError::from)?)
    }

    /// Calls `calldata` on the caller when `data` is non-empty.
    fn maybe_callback(&mut self, data: &[u8], calldata: impl FnOnce() -> Vec<u8>) -> R<()> {
        if data.is_empty() {
            return Ok(());
        }
        self.callback(&calldata())
    }

    pub(crate) fn supply_inner(
        &mut self,
        p: MarketParams,
        assets: U256,
        shares: U256,
        on_behalf: Address,
        data: &[u8],
    ) -> R<(U256, U256)> {
        let id = market_id(&p);
        self.require_created(id)?;
        exactly_one_zero(assets, shares)?;
        if on_behalf.is_zero() {
            return Err(err!(ZeroAddress).into());
        }
        let mut t = self.accrue(&p, id)?;
        let (assets, shares) = if !assets.is_zero() {
            (
                assets,
                math::to_shares_down(assets, t.supply_assets, t.supply_shares)
                    .map_err(MarketError::from)?,
            )
        } else {
            (
                math::to_assets_up(shares, t.supply_assets, t.supply_shares)
                    .map_err(MarketError::from)?,
                shares,
            )
        };
        self.checkpoint(id, Side::Supply, on_behalf)?;
        self.add_supply_shares(id, on_behalf, shares)?;
        t.supply_shares = checked_add(t.supply_shares, shares).map_err(MarketError::from)?;
        t.supply_assets = checked_add(t.supply_assets, assets).map_err(MarketError::from)?;
        self.store_totals(id, &t).map_err(MarketError::from)?;
        let caller = self.vm().msg_sender();
        self.emit(
            &[Supply::SIGNATURE_HASH, w(id), w(caller), w(on_behalf)],
            &[w(assets), w(shares)],
        );
        self.maybe_callback(data, || {
            callback_data(IMorphoCallbacks::onMorphoSupplyCall::SELECTOR, assets, data)
        })?;
        self.pull(p.loanToken, assets)?;
        Ok((assets, shares))
    }

    fn add_supply_shares(
        &mut self,
        id: B256,
        account: Address,
        shares: U256,
    ) -> Result<(), MarketError> {
        let mut pos = self.position.setter(id);
        let mut pos = pos.setter(account);
        let s = checked_add(pos.supply_shares.get(), shares)?;
        pos.supply_shares.set(s);
        Ok(())
    }

    pub(crate) fn withdraw_inner(
        &mut self,
        p: MarketParams,
        assets: U256,
        shares: U256,
        on_behalf: Address,
        receiver: Address,
    ) -> R<(U256, U256)> {
        let id = market_id(&p);
        self.require_created(id)?;
        exactly_one_zero(assets, shares)?;
        if receiver.is_zero() {
            return Err(err!(ZeroAddress).into());
        }
        self.require_authorized(on_behalf)?;
        let mut t = self.accrue(&p, id)?;
        let (assets, shares) = if !assets.is_zero() {
            (
                assets,
                math::to_shares_up(assets, t.supply_assets, t.supply_shares)
                    .map_err(MarketError::from)?,
            )
        } else {
            (
                math::to_assets_down(shares, t.supply_assets, t.supply_shares)
                    .map_err(MarketError::from)?,
                shares,
            )
        };
        self.checkpoint(id, Side::Supply, on_behalf)?;
        {
            let mut pos = self.position.setter(id);
            let mut pos = pos.setter(on_behalf);
            let s = checked_sub(pos.supply_shares.get(), shares).map_err(MarketError::from)?;
            pos.supply_shares.set(s);
        }
        t.supply_shares = checked_sub(t.supply_shares, shares).map_err(MarketError::from)?;
        t.supply_assets = checked_sub(t.supply_assets, assets).map_err(MarketError::from)?;
        if t.borrow_assets > t.supply_assets {
            return Err(err!(InsufficientLiquidity).into());
        }
        self.store_totals(id, &t).map_err(MarketError::from)?;
        let caller = self.vm().msg_sender();
        self.emit(
            &[Withdraw::SIGNATURE_HASH, w(id), w(on_behalf), w(receiver)],
            &[w(caller), w(assets), w(shares)],
        );
        self.push(p.loanToken, receiver, assets)?;
        Ok((assets, shares))
    }

    pub(crate) fn borrow_inner(
        &mut self,
        p: MarketParams,
        assets: U256,
        shares: U256,
        on_behalf: Address,
        receiver: Address,
    ) -> R<(U256, U256)> {
        let id = market_id(&p);
        self.require_created(id)?;
        exactly_one_zero(assets, shares)?;
        if receiver.is_zero() {
            return Err(err!(ZeroAddress).into());
        }
        self.require_authorized(on_behalf)?;
        let mut t = self.accrue(&p, id)?;
        let (assets, shares) = if !assets.is_zero() {
            (
                assets,
                math::to_shares_up(assets, t.borrow_assets, t.borrow_shares)
                    .map_err(MarketError::from)?,
            )
        } else {
            (
                math::to_assets_down(shares, t.borrow_assets, t.borrow_shares)
                    .map_err(MarketError::from)?,
                shares,
            )
        };
        self.checkpoint(id, Side::Borrow, on_behalf)?;
        {
            let mut pos = self.position.setter(id);
            let mut pos = pos.setter(on_behalf);
            let s =
                checked_add(wide(pos.borrow_shares.get()), shares).map_err(MarketError::from)?;
            pos.borrow_shares.set(narrow(s).map_err(MarketError::from)?);
        }
        t.borrow_shares = checked_add(t.borrow_shares, shares).map_err(MarketError::from)?;
        t.borrow_assets = checked_add(t.borrow_assets, assets).map_err(MarketError::from)?;
        self.store_totals(id, &t).map_err(MarketError::from)?;
        if !self.healthy(&p, id, on_behalf, &t)? {
            return Err(err!(InsufficientCollateral).into());
        }
        if t.borrow_assets > t.supply_assets {
            return Err(err!(InsufficientLiquidity).into());
        }
        let caller = self.vm().msg_sender();
        self.emit(
            &[Borrow::SIGNATURE_HASH, w(id), w(on_behalf), w(receiver)],
            &[w(caller), w(assets), w(shares)],
        );
        self.push(p.loanToken, receiver, assets)?;
        Ok((assets, shares))
    }

    pub(crate) fn repay_inner(
        &mut self,
        p: MarketParams,
        assets: U256,
        shares: U256,
        on_behalf: Address,
        data: &[u8],
    ) -> R<(U256, U256)> {
        let id = market_id(&p);
        self.require_created(id)?;
        exactly_one_zero(assets, shares)?;
        if on_behalf.is_zero() {
            return Err(err!(ZeroAddress).into());
        }
        let mut t = self.accrue(&p, id)?;
        let (assets, shares) = if !assets.is_zero() {
            (
                assets,
                math::to_shares_down(assets, t.borrow_assets, t.borrow_shares)
                    .map_err(MarketError::from)?,
            )
        } else {
            (
                math::to_assets_up(shares, t.borrow_assets, t.borrow_shares)
                    .map_err(MarketError::from)?,
                shares,
            )
        };
        self.checkpoint(id, Side::Borrow, on_behalf)?;
        {
            let mut pos = self.position.setter(id);
            let mut pos = pos.setter(on_behalf);
            let s =
                checked_sub(wide(pos.borrow_shares.get()), shares).map_err(MarketError::from)?;
            pos.borrow_shares.set(narrow(s).map_err(MarketError::from)?);
        }
        t.borrow_shares = checked_sub(t.borrow_shares, shares).map_err(MarketError::from)?;
        t.borrow_assets = math::zero_floor_sub(t.borrow_assets, assets);
        self.store_totals(id, &t).map_err(MarketError::from)?;
        let caller = self.vm().msg_sender();
        self.emit(
            &[Repay::SIGNATURE_HASH, w(id), w(caller), w(on_behalf)],
            &[w(assets), w(shares)],
        );
        self.maybe_callback(data, || {
            callback_data(IMorphoCallbacks::onMorphoRepayCall::SELECTOR, assets, data)
        })?;
        self.pull(p.loanToken, assets)?;
        Ok((assets, shares))
    }

    pub(crate) fn supply_collateral_inner(
        &mut self,
        p: MarketParams,
        assets: U256,
        on_behalf: Address,
        data: &[u8],
    ) -> R<()> {
        let id = market_id(&p);
        self.require_created(id)?;
        if assets.is_zero() {
            return Err(err!(ZeroAssets).into());
        }
        if on_behalf.is_zero() {
            return Err(err!(ZeroAddress).into());
        }
        {
            let mut pos = self.position.setter(id);
            let mut pos = pos.setter(on_behalf);
            let c = checked_add(wide(pos.collateral.get()), assets).map_err(MarketError::from)?;
            pos.collateral.set(narrow(c).map_err(MarketError::from)?);
        }
        let caller = self.vm().msg_sender();
        self.emit(
            &[
                SupplyCollateral::SIGNATURE_HASH,
                w(id),
                w(caller),
                w(on_behalf),
            ],
            &[w(assets)],
        );
        self.maybe_callback(data, || {
            callback_data(
                IMorphoCallbacks::onMorphoSupplyCollateralCall::SELECTOR,
                assets,
                data,
            )
        })?;
        self.pull(p.collateralToken, assets)
    }

    pub(crate) fn withdraw_collateral_inner(
        &mut self,
        p: MarketParams,
        assets: U256,
        on_behalf: Address,
        receiver: Address,
    ) -> R<()> {
        let id = market_id(&p);
        self.require_created(id)?;
        if assets.is_zero() {
            return Err(err!(ZeroAssets).into());
        }
        if receiver.is_zero() {
            return Err(err!(ZeroAddress).into());
        }
        self.require_authorized(on_behalf)?;
        let t = self.accrue(&p, id)?;
        {
            let mut pos = self.position.setter(id);
            let mut pos = pos.setter(on_behalf);
            let c = wide(pos.collateral.get())
                .checked_sub(assets)
                .ok_or(err!(InsufficientCollateral))?;
            pos.collateral.set(narrow(c).map_err(MarketError::from)?);
        }
        if !self.healthy(&p, id, on_behalf, &t)? {
            return Err(err!(InsufficientCollateral).into());
        }
        let caller = self.vm().msg_sender();
        self.emit(
            &[
                WithdrawCollateral::SIGNATURE_HASH,
                w(id),
                w(on_behalf),
                w(receiver),
            ],
            &[w(caller), w(assets)],
        );
        self.push(p.collateralToken, receiver, assets)
    }

    #[cfg(not(all(
        target_arch = "wasm32",
        not(any(
            feature = "rewards-facet",
            feature = "admin-facet",
            feature = "views-facet",
            feature = "export-abi"
        ))
    )))]
    #[cfg_attr(not(any(test, feature = "admin-facet")), allow(dead_code))]
    pub(crate) fn liquidate_inner(
        &mut self,
        p: MarketParams,
        borrower: Address,
        seized: U256,
        repaid_shares: U256,
        data: &[u8],
    ) -> R<(U256, U256)> {
        let id = market_id(&p);
        self.require_created(id)?;
        exactly_one_zero(seized, repaid_shares)?;
        let mut t = self.accrue(&p, id)?;
        let price = self.price(p.oracle)?;
        let (shares, collateral) = {
            let pos = self.position.getter(id);
            let pos = pos.getter(borrower);
            (wide(pos.borrow_shares.get()), wide(pos.collateral.get()))
        };
        if math::is_healthy(shares, collateral, &t, price, p.lltv).map_err(MarketError::from)? {
            return Err(err!(HealthyPosition).into());
        }
        let (seized, repaid_shares) =
            math::liquidation_amounts(seized, repaid_shares, price, p.lltv, &t)
                .map_err(MarketError::from)?;
        let repaid_assets = math::to_assets_up(repaid_shares, t.borrow_assets, t.borrow_shares)
            .map_err(MarketError::from)?;
        // Never more than the debt, never more than the collateral.
        let mut shares = checked_sub(shares, repaid_shares).map_err(MarketError::from)?;
        let collateral = collateral
            .checked_sub(seized)
            .ok_or(err!(InsufficientCollateral))?;
        self.checkpoint(id, Side::Borrow, borrower)?;
        t.borrow_shares = checked_sub(t.borrow_shares, repaid_shares).map_err(MarketError::from)?;
        t.borrow_assets = math::zero_floor_sub(t.borrow_assets, repaid_assets);
        let (mut bad_assets, mut bad_shares) = (U256::ZERO, U256::ZERO);
        if collateral.is_zero() && !shares.is_zero() {
            // Bad debt: written off the borrow side and the suppliers' assets.
            bad_shares = shares;
            bad_assets = t.borrow_assets.min(
                math::to_assets_up(bad_shares, t.borrow_assets, t.borrow_shares)
                    .map_err(MarketError::from)?,
            );
            t.borrow_assets -= bad_assets;
            t.supply_assets =
                checked_sub(t.supply_assets, bad_assets).map_err(MarketError::from)?;
            t.borrow_shares =
                checked_sub(t.borrow_shares, bad_shares).map_err(MarketError::from)?;
            shares = U256::ZERO;
        }
        {
            let mut pos = self.position.setter(id);
            let mut pos = pos.setter(borrower);
            pos.borrow_shares
                .set(narrow(shares).map_err(MarketError::from)?);
            pos.collateral
                .set(narrow(collateral).map_err(MarketError::from)?);
        }
        self.store_totals(id, &t).map_err(MarketError::from)?;
        let caller = self.vm().msg_sender();
        self.emit(
            &[Liquidate::SIGNATURE_HASH, w(id), w(caller), w(borrower)],
            &[
                w(repaid_assets),
                w(repaid_shares),
                w(seized),
                w(bad_assets),
                w(bad_shares),
            ],
        );
        self.push(p.collateralToken, caller, seized)?;
        self.maybe_callback(data, || {
            callback_data(
                IMorphoCallbacks::onMorphoLiquidateCall::SELECTOR,
                repaid_assets,
                data,
            )
        })?;
        self.pull(p.loanToken, repaid_assets)?;
        Ok((seized, repaid_assets))
    }

    pub(crate) fn flash_loan_inner(&mut self, token: Address, assets: U256, data: &[u8]) -> R<()> {
        if assets.is_zero() {
            return Err(err!(ZeroAssets).into());
        }
        let caller = self.vm().msg_sender();
        self.emit(
            &[FlashLoan::SIGNATURE_HASH, w(caller), w(token)],
            &[w(assets)],
        );
        self.push(token, caller, assets)?;
        self.callback(&callback_data(
            IMorphoCallbacks::onMorphoFlashLoanCall::SELECTOR,
            assets,
            data,
        ))?;
        self.pull(token, assets)
    }

    pub(crate) fn set_authorization_inner(
        &mut self,
        authorized: Address,
        new_is_authorized: bool,
    ) -> Result<(), MarketError> {
        let sender = self.vm().msg_sender();
        let mut slot = self.is_authorized.setter(sender);
        let mut slot = slot.setter(authorized);
        if slot.get() == new_is_authorized {
            return Err(err!(AlreadySet));
        }
        slot.set(new_is_authorized);
        self.emit(
            &[
                SetAuthorization::SIGNATURE_HASH,
                w(sender),
                w(sender),
                w(authorized),
            ],
            &[w(new_is_authorized)],
        );
        Ok(())
    }
}
