//! Every external call the collection makes, in one place. Unit tests (TestVM, whose mocks answer
//! every call with the last mocked data) swap these for a ledger world in `tests::world`; the
//! end-to-end tests run the real ones on the devnode.

use alloc::vec::Vec;
use alloy_primitives::Address;
use stylus_sdk::prelude::*;

use crate::RoyaltyNft;

#[cfg(not(all(
    test,
    not(any(
        feature = "rewards-facet",
        feature = "admin-facet",
        feature = "config-facet"
    ))
)))]
use {
    crate::{errors::*, nft_err},
    alloy_primitives::U256,
    rewards::RewardsError,
};

#[cfg(not(all(
    test,
    not(any(
        feature = "rewards-facet",
        feature = "admin-facet",
        feature = "config-facet"
    ))
)))]
use alloy_sol_types::SolCall;

#[cfg(not(all(
    test,
    not(any(
        feature = "rewards-facet",
        feature = "admin-facet",
        feature = "config-facet"
    ))
)))]
impl RoyaltyNft {
    /// A mutating call to `to` with `data`: `Ok(return data)` or `Err(revert data)`.
    pub(crate) fn ext_call(&mut self, to: Address, data: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
        let ctx = Call::new_mutating(self);
        stylus_sdk::call::call(self.vm(), ctx, to, data).map_err(|e| match e {
            stylus_sdk::stylus_core::calls::errors::Error::Revert(d) => d,
            _ => Vec::new(),
        })
    }

    /// Sends `amount` wei to `to` with all gas; whether it succeeded.
    pub(crate) fn ext_send_eth(&mut self, to: Address, amount: U256) -> bool {
        stylus_sdk::call::transfer::transfer_eth(self.vm(), to, amount).is_ok()
    }

    /// The collection's ETH balance.
    pub(crate) fn ext_eth_balance(&self) -> U256 {
        self.vm().balance(self.vm().contract_address())
    }

    /// The collection's balance of `token`.
    pub(crate) fn ext_erc20_balance(&self, token: Address) -> Result<U256, NftError> {
        let this = self.vm().contract_address();
        Ok(kit::safe_erc20::balance_of(self.vm(), token, this)?)
    }

    /// Wraps `amount` wei into `weth` (`deposit{value: amount}()`).
    pub(crate) fn ext_wrap(&mut self, weth: Address, amount: U256) -> Result<(), NftError> {
        let data = crate::IWETH9::depositCall {}.abi_encode();
        let ctx = Call::new_mutating(self).value(amount);
        stylus_sdk::call::call(self.vm(), ctx, weth, &data)
            .map(|_| ())
            .map_err(|_| nft_err!(RoyaltyWrapFailed { weth }))
    }

    /// Pulls `amount` of `token` from `from`; returns what arrived (balance delta).
    pub(crate) fn ext_pull_erc20(
        &mut self,
        token: Address,
        from: Address,
        amount: U256,
    ) -> Result<U256, RewardsError> {
        let this = self.vm().contract_address();
        Ok(kit::safe_erc20::safe_transfer_from_measured(
            self, token, from, this, amount,
        )?)
    }

    /// Sends `amount` of `token` to `to`.
    pub(crate) fn ext_send_erc20(
        &mut self,
        token: Address,
        to: Address,
        amount: U256,
    ) -> Result<(), RewardsError> {
        Ok(kit::safe_erc20::safe_transfer(self, token, to, amount)?)
    }
}

impl RoyaltyNft {
    /// A static call to `to` (the facet's identity check; TestVM mocks it directly).
    pub(crate) fn ext_static_call(&self, to: Address, data: &[u8]) -> Result<Vec<u8>, ()> {
        stylus_sdk::call::static_call(self.vm(), Call::new(), to, data).map_err(|_| ())
    }
}
