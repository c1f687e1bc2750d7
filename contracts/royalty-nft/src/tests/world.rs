//! A ledger world standing in for every external account in unit tests: ETH and ERC-20 balances,
//! recipients that revert, ERC-721 receivers with scripted answers, and a log of receiver calls
//! with the collection's state seen at callback time.

use alloc::vec::Vec;
use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;
use core::cell::RefCell;
use rewards::RewardsError;
use std::collections::{HashMap, HashSet};
use stylus_sdk::prelude::*;

use crate::{errors::*, IERC721Receiver, RoyaltyNft, ERC721_RECEIVED};

/// How a scripted ERC-721 receiver answers `onERC721Received`.
#[derive(Clone, Debug)]
pub enum Receiver {
    /// Returns the magic value.
    Accept,
    /// Reverts with this data (empty: a bare revert).
    Revert(Vec<u8>),
    /// Returns this (wrong) value.
    Answer(Vec<u8>),
}

/// One `onERC721Received` call as the receiver saw it.
#[derive(Clone)]
pub struct Seen {
    pub to: Address,
    pub call: IERC721Receiver::onERC721ReceivedCall,
    /// `ownerOf(tokenId)` during the callback (state final before the call).
    pub owner_then: Option<Address>,
    /// `getApproved(tokenId)` during the callback.
    pub approved_then: Address,
}

#[derive(Default)]
struct World {
    eth: HashMap<Address, U256>,
    erc20: HashMap<(Address, Address), U256>,
    failing: HashSet<Address>,
    receivers: HashMap<Address, Receiver>,
    seen: Vec<Seen>,
    pull_fee_bps: u64,
}

thread_local! {
    static WORLD: RefCell<World> = RefCell::new(World::default());
}

fn with<T>(f: impl FnOnce(&mut World) -> T) -> T {
    WORLD.with(|w| f(&mut w.borrow_mut()))
}

pub fn reset() {
    with(|w| *w = World::default());
}

pub fn eth_balance(a: Address) -> U256 {
    with(|w| w.eth.get(&a).copied().unwrap_or_default())
}

pub fn credit_eth(a: Address, v: U256) {
    with(|w| *w.eth.entry(a).or_default() += v);
}

pub fn erc20_balance(token: Address, a: Address) -> U256 {
    with(|w| w.erc20.get(&(token, a)).copied().unwrap_or_default())
}

pub fn credit_erc20(token: Address, a: Address, v: U256) {
    with(|w| *w.erc20.entry((token, a)).or_default() += v);
}

fn move_erc20(token: Address, from: Address, to: Address, v: U256) -> bool {
    with(|w| {
        let b = w.erc20.get(&(token, from)).copied().unwrap_or_default();
        if b < v || w.failing.contains(&to) {
            return false;
        }
        w.erc20.insert((token, from), b - v);
        *w.erc20.entry((token, to)).or_default() += v;
        true
    })
}

pub fn set_failing(a: Address, failing: bool) {
    with(|w| {
        if failing {
            w.failing.insert(a);
        } else {
            w.failing.remove(&a);
        }
    });
}

pub fn set_receiver(a: Address, r: Receiver) {
    with(|w| w.receivers.insert(a, r));
}

pub fn set_pull_fee(bps: u64) {
    with(|w| w.pull_fee_bps = bps);
}

pub fn seen() -> Vec<Seen> {
    with(|w| w.seen.clone())
}

impl RoyaltyNft {
    pub(crate) fn ext_call(&mut self, to: Address, data: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
        let call =
            IERC721Receiver::onERC721ReceivedCall::abi_decode(data).expect("only receiver calls");
        let owner_then = self.owner_of_id(call.tokenId).ok();
        let approved_then = self.token_approvals.get(call.tokenId);
        let behaviour = with(|w| {
            w.seen.push(Seen {
                to,
                call: call.clone(),
                owner_then,
                approved_then,
            });
            w.receivers
                .get(&to)
                .cloned()
                .unwrap_or(Receiver::Revert(Vec::new()))
        });
        match behaviour {
            Receiver::Accept => {
                let mut ret = ERC721_RECEIVED.to_vec();
                ret.resize(32, 0);
                Ok(ret)
            }
            Receiver::Revert(d) => Err(d),
            Receiver::Answer(d) => Ok(d),
        }
    }

    pub(crate) fn ext_send_eth(&mut self, to: Address, amount: U256) -> bool {
        let this = self.vm().contract_address();
        with(|w| {
            let b = w.eth.get(&this).copied().unwrap_or_default();
            if w.failing.contains(&to) || b < amount {
                return false;
            }
            w.eth.insert(this, b - amount);
            *w.eth.entry(to).or_default() += amount;
            true
        })
    }

    pub(crate) fn ext_eth_balance(&self) -> U256 {
        eth_balance(self.vm().contract_address())
    }

    pub(crate) fn ext_erc20_balance(&self, token: Address) -> Result<U256, NftError> {
        Ok(erc20_balance(token, self.vm().contract_address()))
    }

    pub(crate) fn ext_wrap(&mut self, weth: Address, amount: U256) -> Result<(), NftError> {
        let this = self.vm().contract_address();
        let ok = with(|w| {
            let b = w.eth.get(&this).copied().unwrap_or_default();
            if b < amount {
                return false;
            }
            w.eth.insert(this, b - amount);
            *w.eth.entry(weth).or_default() += amount;
            *w.erc20.entry((weth, this)).or_default() += amount;
            true
        });
        if ok {
            Ok(())
        } else {
            Err(NftError::RoyaltyWrapFailed(RoyaltyWrapFailed { weth }))
        }
    }

    pub(crate) fn ext_pull_erc20(
        &mut self,
        token: Address,
        from: Address,
        amount: U256,
    ) -> Result<U256, RewardsError> {
        let this = self.vm().contract_address();
        if !move_erc20(token, from, this, amount) {
            return Err(SafeERC20FailedOperation { token }.into());
        }
        let fee = amount * U256::from(with(|w| w.pull_fee_bps)) / U256::from(10_000u64);
        // The fee leaves the collection (burned).
        with(|w| *w.erc20.entry((token, this)).or_default() -= fee);
        Ok(amount - fee)
    }

    pub(crate) fn ext_send_erc20(
        &mut self,
        token: Address,
        to: Address,
        amount: U256,
    ) -> Result<(), RewardsError> {
        let this = self.vm().contract_address();
        if move_erc20(token, this, to, amount) {
            Ok(())
        } else {
            Err(SafeERC20FailedOperation { token }.into())
        }
    }
}

pub fn reset_eth(a: Address) {
    with(|w| w.eth.remove(&a));
}
