//! The router's calls to the factory, pairs and WETH (IUniswapV2Factory / IUniswapV2Pair /
//! IWETH9 ABIs plus the factory's `pairInitCodeHash()`), each failure wrapped in a named error.

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{sol, SolCall};
use stylus_sdk::{
    call::{call, static_call},
    prelude::*,
};

use crate::{CallFailed, EthTransferFailed, InvalidFactory, PoolRouter, RouterError};

sol! {
    /// The factory functions the router calls.
    interface IFactoryCalls {
        function pairInitCodeHash() external view returns (bytes32);
        function getPair(address tokenA, address tokenB) external view returns (address);
        function createPair(address tokenA, address tokenB) external returns (address);
    }

    /// The pair functions the router calls.
    interface IPairCalls {
        function getReserves() external view returns (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast);
        function mint(address to) external returns (uint256 liquidity);
        function burn(address to) external returns (uint256 amount0, uint256 amount1);
        function swap(uint256 amount0Out, uint256 amount1Out, address to, bytes data) external;
        function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external;
        function allowance(address owner, address spender) external view returns (uint256);
    }

    /// The WETH functions the router calls.
    interface IWethCalls {
        function deposit() external payable;
        function withdraw(uint256 wad) external;
    }
}

fn failed(target: Address, e: stylus_sdk::stylus_core::calls::errors::Error) -> RouterError {
    let reason = match e {
        stylus_sdk::stylus_core::calls::errors::Error::Revert(data) => data,
        stylus_sdk::stylus_core::calls::errors::Error::AbiDecodingFailed(_) => Vec::new(),
    };
    RouterError::CallFailed(CallFailed {
        target,
        reason: reason.into(),
    })
}

fn malformed(target: Address) -> RouterError {
    RouterError::CallFailed(CallFailed {
        target,
        reason: Default::default(),
    })
}

/// The `i`-th 32-byte word of `ret`.
fn word(ret: &[u8], i: usize) -> Option<U256> {
    ret.get(i * 32..i * 32 + 32).map(U256::from_be_slice)
}

/// An address returned in the first word (its top 12 bytes must be zero).
fn address_word(target: Address, ret: &[u8]) -> Result<Address, RouterError> {
    match ret.get(..32) {
        Some(w) if w[..12].iter().all(|b| *b == 0) => Ok(Address::from_slice(&w[12..])),
        _ => Err(malformed(target)),
    }
}

impl PoolRouter {
    fn view(&self, target: Address, data: &[u8]) -> Result<Vec<u8>, RouterError> {
        static_call(self.vm(), Call::new(), target, data).map_err(|e| failed(target, e))
    }

    fn mutate(
        &mut self,
        target: Address,
        value: U256,
        data: &[u8],
    ) -> Result<Vec<u8>, RouterError> {
        #[cfg(test)]
        recorder::record(target, value, data);
        let ctx = Call::new_mutating(self).value(value);
        call(self.vm(), ctx, target, data).map_err(|e| failed(target, e))
    }

    /// `factory.pairInitCodeHash()`; `InvalidFactory(factory)` if it fails.
    pub(crate) fn factory_init_code_hash(&self, factory: Address) -> Result<B256, RouterError> {
        let data = IFactoryCalls::pairInitCodeHashCall {}.abi_encode();
        match static_call(self.vm(), Call::new(), factory, &data) {
            Ok(ret) if ret.len() >= 32 => Ok(B256::from_slice(&ret[..32])),
            _ => Err(RouterError::InvalidFactory(InvalidFactory { factory })),
        }
    }

    pub(crate) fn factory_get_pair(&self, a: Address, b: Address) -> Result<Address, RouterError> {
        let factory = self.factory.get();
        let data = IFactoryCalls::getPairCall {
            tokenA: a,
            tokenB: b,
        }
        .abi_encode();
        address_word(factory, &self.view(factory, &data)?)
    }

    pub(crate) fn factory_create_pair(
        &mut self,
        a: Address,
        b: Address,
    ) -> Result<Address, RouterError> {
        let factory = self.factory.get();
        let data = IFactoryCalls::createPairCall {
            tokenA: a,
            tokenB: b,
        }
        .abi_encode();
        let ret = self.mutate(factory, U256::ZERO, &data)?;
        address_word(factory, &ret)
    }

    /// `(reserve0, reserve1)` of `pair`.
    pub(crate) fn pair_reserves(&self, pair: Address) -> Result<(U256, U256), RouterError> {
        let ret = self.view(pair, &IPairCalls::getReservesCall {}.abi_encode())?;
        match (word(&ret, 0), word(&ret, 1)) {
            (Some(r0), Some(r1)) => Ok((r0, r1)),
            _ => Err(malformed(pair)),
        }
    }

    pub(crate) fn pair_swap(
        &mut self,
        pair: Address,
        amount0_out: U256,
        amount1_out: U256,
        to: Address,
    ) -> Result<(), RouterError> {
        let data = IPairCalls::swapCall {
            amount0Out: amount0_out,
            amount1Out: amount1_out,
            to,
            data: Default::default(),
        }
        .abi_encode();
        self.mutate(pair, U256::ZERO, &data)?;
        Ok(())
    }

    pub(crate) fn pair_mint(&mut self, pair: Address, to: Address) -> Result<U256, RouterError> {
        let ret = self.mutate(pair, U256::ZERO, &IPairCalls::mintCall { to }.abi_encode())?;
        word(&ret, 0).ok_or(malformed(pair))
    }

    pub(crate) fn pair_burn(
        &mut self,
        pair: Address,
        to: Address,
    ) -> Result<(U256, U256), RouterError> {
        let ret = self.mutate(pair, U256::ZERO, &IPairCalls::burnCall { to }.abi_encode())?;
        match (word(&ret, 0), word(&ret, 1)) {
            (Some(a0), Some(a1)) => Ok((a0, a1)),
            _ => Err(malformed(pair)),
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn pair_permit(
        &mut self,
        pair: Address,
        owner: Address,
        value: U256,
        deadline: U256,
        v: u8,
        r: B256,
        s: B256,
    ) -> Result<(), RouterError> {
        let spender = self.vm().contract_address();
        let data = IPairCalls::permitCall {
            owner,
            spender,
            value,
            deadline,
            v,
            r,
            s,
        }
        .abi_encode();
        self.mutate(pair, U256::ZERO, &data)?;
        Ok(())
    }

    pub(crate) fn allowance(
        &self,
        token: Address,
        owner: Address,
        spender: Address,
    ) -> Result<U256, RouterError> {
        let ret = self.view(
            token,
            &IPairCalls::allowanceCall { owner, spender }.abi_encode(),
        )?;
        word(&ret, 0).ok_or(malformed(token))
    }

    /// `WETH.deposit{value: amount}()`.
    pub(crate) fn weth_deposit(&mut self, amount: U256) -> Result<(), RouterError> {
        let weth = self.weth.get();
        self.mutate(weth, amount, &IWethCalls::depositCall {}.abi_encode())?;
        Ok(())
    }

    /// `WETH.withdraw(amount)` (WETH pays the router's `receive`), then pays `amount` ETH to `to`.
    pub(crate) fn unwrap_to(&mut self, amount: U256, to: Address) -> Result<(), RouterError> {
        let weth = self.weth.get();
        let data = IWethCalls::withdrawCall { wad: amount }.abi_encode();
        self.mutate(weth, U256::ZERO, &data)?;
        self.send_eth(to, amount)
    }

    /// Pays `amount` wei to `to`, forwarding all gas; `EthTransferFailed` if it reverts.
    pub(crate) fn send_eth(&mut self, to: Address, amount: U256) -> Result<(), RouterError> {
        #[cfg(test)]
        recorder::record(to, amount, &[]);
        let ctx = Call::new_mutating(self).value(amount);
        call(self.vm(), ctx, to, &[])
            .map_err(|_| RouterError::EthTransferFailed(EthTransferFailed { to, amount }))?;
        Ok(())
    }
}

/// Unit tests: every mutating call the router makes, in order (`(target, value, calldata)`),
/// since TestVM answers unmocked calls with success and records nothing.
#[cfg(test)]
pub(crate) mod recorder {
    use super::*;
    use core::cell::RefCell;

    std::thread_local! {
        static CALLS: RefCell<Vec<(Address, U256, Vec<u8>)>> = const { RefCell::new(Vec::new()) };
    }

    pub(crate) fn record(target: Address, value: U256, data: &[u8]) {
        CALLS.with(|c| c.borrow_mut().push((target, value, data.to_vec())));
    }

    /// Takes the calls recorded so far.
    pub(crate) fn take() -> Vec<(Address, U256, Vec<u8>)> {
        CALLS.with(|c| core::mem::take(&mut *c.borrow_mut()))
    }
}
