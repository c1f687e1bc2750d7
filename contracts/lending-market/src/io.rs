//! Every call the market makes out: tokens, oracle, IRM, callbacks, the facet check. Unit tests
//! replace this module's methods with an in-memory ledger and settable answers (TestVM answers
//! every mocked call to an address with the last registered data; see `tests`).
// The test build replaces the calls (see `tests`).
#![cfg_attr(
    all(
        test,
        not(any(
            feature = "rewards-facet",
            feature = "admin-facet",
            feature = "views-facet"
        ))
    ),
    allow(unused_imports, dead_code)
)]

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{SolCall, SolError};
use stylus_sdk::{
    call::{call, static_call},
    prelude::*,
};

use crate::{
    IIrm, IOracle, LendingMarket, Market, MarketError, MarketParams, TransferShortfall, R,
};

/// The first word of a callee's answer, or `NoCode()` when it returned less (no code).
fn word(ret: &[u8]) -> R<U256> {
    if ret.len() < 32 {
        // Encoded directly (not through `MarketError`): the rewards facet then links no
        // encoder of the whole error enum.
        return Err(crate::NoCode {}.abi_encode());
    }
    Ok(U256::from_be_slice(&ret[..32]))
}

#[cfg(not(all(
    test,
    not(any(
        feature = "rewards-facet",
        feature = "admin-facet",
        feature = "views-facet"
    ))
)))]
impl LendingMarket {
    /// Pulls `amount` of `token` from the caller with `transferFrom` and reverts
    /// `TransferShortfall` unless at least `amount` arrived (balance delta).
    pub(crate) fn pull(&mut self, token: Address, amount: U256) -> R<()> {
        let (from, this) = (self.vm().msg_sender(), self.vm().contract_address());
        let received =
            kit::safe_erc20::safe_transfer_from_measured(self, token, from, this, amount)
                .map_err(MarketError::from)?;
        shortfall(token, amount, received)
    }

    /// Sends `amount` of `token` to `to`.
    pub(crate) fn push(&mut self, token: Address, to: Address, amount: U256) -> R<()> {
        kit::safe_erc20::safe_transfer(self, token, to, amount).map_err(MarketError::from)?;
        Ok(())
    }

    /// `IOracle(oracle).price()`; a revert bubbles.
    pub(crate) fn price(&self, oracle: Address) -> R<U256> {
        let data = IOracle::priceCall {}.abi_encode();
        word(&static_call(self.vm(), Call::new(), oracle, &data).map_err(Vec::from)?)
    }

    /// `IIrm(irm).borrowRate(p, market)` (state-changing, as Morpho); a revert bubbles.
    pub(crate) fn borrow_rate(&mut self, p: &MarketParams, market: Market) -> R<U256> {
        let data = irm_calldata(IIrm::borrowRateCall::SELECTOR, p, &market);
        let ctx = Call::new_mutating(self);
        word(&call(self.vm(), ctx, p.irm, &data).map_err(Vec::from)?)
    }

    /// `IIrm(irm).borrowRateView(p, market)`; a revert bubbles.
    #[cfg_attr(not(feature = "rewards-facet"), allow(dead_code))]
    pub(crate) fn borrow_rate_view(&self, p: &MarketParams, market: Market) -> R<U256> {
        let data = irm_calldata(IIrm::borrowRateViewCall::SELECTOR, p, &market);
        word(&static_call(self.vm(), Call::new(), p.irm, &data).map_err(Vec::from)?)
    }

    /// Calls `calldata` (an `onMorpho*` callback) on the caller; a revert bubbles.
    pub(crate) fn callback(&mut self, calldata: &[u8]) -> R<()> {
        let to = self.vm().msg_sender();
        let ctx = Call::new_mutating(self);
        call(self.vm(), ctx, to, calldata).map_err(Vec::from)?;
        Ok(())
    }

    /// Whether `facet` has code and answers its version call (`rewardsFacetVersion()`,
    /// `adminFacetVersion()` or `viewsFacetVersion()`: `selector`) with `version`.
    pub(crate) fn is_facet(&self, facet: Address, selector: [u8; 4], version: B256) -> bool {
        if self.vm().code_size(facet) == 0 {
            return false;
        }
        let data = selector.to_vec();
        matches!(static_call(self.vm(), Call::new(), facet, &data),
            Ok(ret) if ret.len() == 32 && ret[..] == version[..])
    }
}

/// Calldata of `borrowRate` / `borrowRateView(MarketParams, Market)`: the selector and eleven
/// static words (one encoder for both; the two structs are static tuples).
#[cfg_attr(
    all(
        test,
        not(any(
            feature = "rewards-facet",
            feature = "admin-facet",
            feature = "views-facet"
        ))
    ),
    allow(dead_code)
)]
fn irm_calldata(selector: [u8; 4], p: &MarketParams, m: &Market) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 + 11 * 32);
    out.extend_from_slice(&selector);
    for a in [p.loanToken, p.collateralToken, p.oracle, p.irm] {
        out.extend_from_slice(a.into_word().as_slice());
    }
    out.extend_from_slice(&p.lltv.to_be_bytes::<32>());
    for x in [
        m.totalSupplyAssets,
        m.totalSupplyShares,
        m.totalBorrowAssets,
        m.totalBorrowShares,
        m.lastUpdate,
        m.fee,
    ] {
        out.extend_from_slice(&U256::from(x).to_be_bytes::<32>());
    }
    out
}

/// `TransferShortfall(token, expected, received)` when less than `expected` arrived.
pub(crate) fn shortfall(token: Address, expected: U256, received: U256) -> R<()> {
    if received < expected {
        return Err(MarketError::TransferShortfall(TransferShortfall {
            token,
            expected,
            received,
        })
        .into());
    }
    Ok(())
}

impl LendingMarket {
    /// The code hash of `facet` (recorded at construction).
    pub(crate) fn code_hash_of(&self, facet: Address) -> B256 {
        self.vm().code_hash(facet)
    }
}
