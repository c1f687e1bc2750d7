//! Stylus Yield pool factory: Uniswap V2's `IUniswapV2Factory` (one pair per token pair,
//! `feeTo` / `feeToSetter`) deploying `liquidity-pool` pairs as **CREATE2 full-code copies of an
//! activated pair template**.
//!
//! # Design decisions
//! * **Template copies**: a Stylus program cannot embed a ~20 KB pair, so the factory's
//!   `#[constructor]` (run by the StylusDeployer) takes a deployed, activated, locked pair
//!   template, and stores `pairInitCodeHash = keccak256(PRELUDE ‖ templateCode)` where PRELUDE is
//!   the 43-byte EVM prelude that returns the appended code (stylus-host-spec.md §1.3, the same
//!   bytes `cargo stylus deploy` sends). `createPair` re-reads the template's code
//!   (`EXTCODECOPY`), CREATE2s `PRELUDE ‖ code` with salt `keccak256(abi.encodePacked(token0,
//!   token1))` and calls `pair.initialize(token0, token1)` in the same call. The copy has the
//!   template's code hash, so Nitro runs it without a second activation. A deployed program's
//!   code never changes (no SELFDESTRUCT of Stylus programs), so the stored hash stays exact.
//! * **Off-chain address** (Uniswap's `pairFor`, see [`pair_for`]):
//!   `address(keccak256(0xff ‖ factory ‖ keccak256(token0 ‖ token1) ‖ pairInitCodeHash)[12:])`,
//!   tokens sorted ascending, `pairInitCodeHash()` read once from the factory.
//! * **Rewards facet**: every pair serves the `IRewards` ABI and EIP-2612 (`permit`, `nonces`,
//!   `DOMAIN_SEPARATOR`) through one shared facet program
//!   (`liquidity-pool-rewards-facet`), given to the constructor and checked like the vault's
//!   (code, and `rewardsFacetVersion()` equal to [`PAIR_FACET_VERSION`]); pairs read
//!   `rewardsFacet()` per reward call. The pairs' reward admin is `feeToSetter` (read live).
//! * **Access**: `setFeeTo` / `setFeeToSetter` only by `feeToSetter` (`UniswapV2Forbidden()`);
//!   both emit an event (an addition to V2). The SDK's reentrancy denial stays on: `createPair`
//!   makes no call that could come back (the prelude runs no code, `initialize` calls nothing).

#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "contract-client-gen", allow(unused_imports))]

extern crate alloc;

#[cfg(test)]
mod tests;

use alloc::vec::Vec;

use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::{sol, SolCall};
use stylus_sdk::{
    deploy::RawDeploy,
    prelude::*,
    storage::{StorageAddress, StorageB256, StorageMap, StorageVec},
};

/// The pair facet's storage-layout id (`liquidity_pool::FACET_VERSION`; a test keeps them equal).
pub const PAIR_FACET_VERSION: B256 = B256::new(*b"stylus-yield pair facet v1\0\0\0\0\0\0");

/// Length of the EVM prelude in front of the copied code.
pub const PRELUDE_LEN: usize = 43;

/// Solidity declarations of the factory's events, for ABI export.
pub const EVENTS_SOL: &[&str] = &[
    "event PairCreated(address indexed token0, address indexed token1, address pair, uint256 allPairsLength)",
    "event FeeToSet(address feeTo)",
    "event FeeToSetterSet(address feeToSetter)",
];

sol! {
    /// A pair for `token0` < `token1` was created at `pair`; `allPairsLength` pairs exist now.
    #[derive(Debug, PartialEq, Eq)]
    event PairCreated(address indexed token0, address indexed token1, address pair, uint256 allPairsLength);
    /// The protocol fee recipient is now `feeTo` (zero: fee off).
    #[derive(Debug, PartialEq, Eq)]
    event FeeToSet(address feeTo);
    /// The fee setter is now `feeToSetter`.
    #[derive(Debug, PartialEq, Eq)]
    event FeeToSetterSet(address feeToSetter);

    /// `createPair` with the same token twice.
    #[derive(Debug, PartialEq, Eq)]
    error UniswapV2IdenticalAddresses();
    /// `createPair` with the zero address.
    #[derive(Debug, PartialEq, Eq)]
    error UniswapV2ZeroAddress();
    /// The pair exists already.
    #[derive(Debug, PartialEq, Eq)]
    error UniswapV2PairExists();
    /// Only `feeToSetter` may change the fee settings.
    #[derive(Debug, PartialEq, Eq)]
    error UniswapV2Forbidden();
    /// `allPairs(index)` beyond `length`.
    #[derive(Debug, PartialEq, Eq)]
    error PairIndexOutOfBounds(uint256 index, uint256 length);
    /// `template` is not a deployed Stylus program.
    #[derive(Debug, PartialEq, Eq)]
    error PairTemplateInvalid(address template);
    /// `facet` is not a rewards facet of the pair's storage layout.
    #[derive(Debug, PartialEq, Eq)]
    error PairRewardsFacetInvalid(address facet);
    /// CREATE2 of the pair failed.
    #[derive(Debug, PartialEq, Eq)]
    error PairDeployFailed();
    /// The new pair refused `initialize`.
    #[derive(Debug, PartialEq, Eq)]
    error PairInitializeFailed(address pair);

    /// What the factory calls on a pair and on the facet.
    interface IPairInit {
        function initialize(address token0, address token1) external;
        function rewardsFacetVersion() external view returns (bytes32);
    }
}

/// Every Solidity error the factory can return.
#[derive(SolidityError, Debug, PartialEq, Eq)]
pub enum FactoryError {
    /// See [`UniswapV2IdenticalAddresses`].
    UniswapV2IdenticalAddresses(UniswapV2IdenticalAddresses),
    /// See [`UniswapV2ZeroAddress`].
    UniswapV2ZeroAddress(UniswapV2ZeroAddress),
    /// See [`UniswapV2PairExists`].
    UniswapV2PairExists(UniswapV2PairExists),
    /// See [`UniswapV2Forbidden`].
    UniswapV2Forbidden(UniswapV2Forbidden),
    /// See [`PairIndexOutOfBounds`].
    PairIndexOutOfBounds(PairIndexOutOfBounds),
    /// See [`PairTemplateInvalid`].
    PairTemplateInvalid(PairTemplateInvalid),
    /// See [`PairRewardsFacetInvalid`].
    PairRewardsFacetInvalid(PairRewardsFacetInvalid),
    /// See [`PairDeployFailed`].
    PairDeployFailed(PairDeployFailed),
    /// See [`PairInitializeFailed`].
    PairInitializeFailed(PairInitializeFailed),
}

/// `PRELUDE ‖ code`: the initcode whose execution returns exactly `code` (`PUSH32 len, DUP1,
/// PUSH1 43, PUSH1 0, CODECOPY, PUSH1 0, RETURN, 0x00`).
pub fn pair_initcode(code: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(PRELUDE_LEN + code.len());
    out.push(0x7f);
    out.extend_from_slice(&U256::from(code.len()).to_be_bytes::<32>());
    out.extend_from_slice(&[
        0x80,
        0x60,
        PRELUDE_LEN as u8,
        0x60,
        0x00,
        0x39,
        0x60,
        0x00,
        0xf3,
        0x00,
    ]);
    out.extend_from_slice(code);
    out
}

/// `(token0, token1)`: `a` and `b` sorted ascending.
pub fn sort_tokens(a: Address, b: Address) -> (Address, Address) {
    if a < b {
        (a, b)
    } else {
        (b, a)
    }
}

/// The CREATE2 salt of a pair: `keccak256(abi.encodePacked(token0, token1))`.
pub fn pair_salt(token0: Address, token1: Address) -> B256 {
    let mut buf = [0u8; 40];
    buf[..20].copy_from_slice(token0.as_slice());
    buf[20..].copy_from_slice(token1.as_slice());
    keccak256(buf)
}

/// Uniswap's `pairFor`: the address of the pair of `a` and `b` (any order) created by `factory`
/// whose `pairInitCodeHash()` is `init_code_hash`.
pub fn pair_for(factory: Address, a: Address, b: Address, init_code_hash: B256) -> Address {
    let (token0, token1) = sort_tokens(a, b);
    factory.create2(pair_salt(token0, token1), init_code_hash)
}

/// The factory's storage.
#[entrypoint]
#[storage]
pub struct PoolFactory {
    /// Protocol fee recipient (zero: fee off).
    fee_to: StorageAddress,
    /// Who may set `fee_to` and itself; the pairs' reward admin.
    fee_to_setter: StorageAddress,
    /// The activated, locked pair program whose code every pair copies.
    pair_template: StorageAddress,
    /// The pairs' rewards facet.
    rewards_facet: StorageAddress,
    /// keccak256 of `PRELUDE ‖ templateCode`.
    pair_init_code_hash: StorageB256,
    /// token → token → pair, both orders.
    pairs: StorageMap<Address, StorageMap<Address, StorageAddress>>,
    /// Every pair, in creation order.
    all_pairs: StorageVec<StorageAddress>,
}

impl PoolFactory {
    fn only_fee_to_setter(&self) -> Result<(), FactoryError> {
        if self.vm().msg_sender() != self.fee_to_setter.get() {
            return Err(FactoryError::UniswapV2Forbidden(UniswapV2Forbidden {}));
        }
        Ok(())
    }

    /// The template's code, which must be a Stylus program (`EF F0 00` prefix).
    fn template_code(&self, template: Address) -> Result<Vec<u8>, FactoryError> {
        let code = if template.is_zero() {
            Vec::new()
        } else {
            self.vm().code(template)
        };
        if code.len() < 4 || code[..3] != [0xef, 0xf0, 0x00] {
            return Err(FactoryError::PairTemplateInvalid(PairTemplateInvalid {
                template,
            }));
        }
        Ok(code)
    }

    fn check_facet(&self, facet: Address) -> Result<(), FactoryError> {
        let bad = || FactoryError::PairRewardsFacetInvalid(PairRewardsFacetInvalid { facet });
        if facet.is_zero() || self.vm().code_size(facet) == 0 {
            return Err(bad());
        }
        let call = IPairInit::rewardsFacetVersionCall {}.abi_encode();
        match stylus_sdk::call::static_call(self.vm(), Call::new(), facet, &call) {
            Ok(ret) if ret[..] == PAIR_FACET_VERSION[..] => Ok(()),
            _ => Err(bad()),
        }
    }
}

#[public]
impl PoolFactory {
    /// Deployment (StylusDeployer): the fee setter, the activated pair template (its code hash
    /// becomes `pairInitCodeHash`) and the pairs' rewards facet (checked).
    #[constructor]
    pub fn constructor(
        &mut self,
        fee_to_setter: Address,
        pair_template: Address,
        rewards_facet: Address,
    ) -> Result<(), FactoryError> {
        let code = self.template_code(pair_template)?;
        self.check_facet(rewards_facet)?;
        self.fee_to_setter.set(fee_to_setter);
        self.pair_template.set(pair_template);
        self.rewards_facet.set(rewards_facet);
        self.pair_init_code_hash
            .set(keccak256(pair_initcode(&code)));
        Ok(())
    }

    /// Protocol fee recipient (zero: fee off).
    pub fn fee_to(&self) -> Address {
        self.fee_to.get()
    }

    /// Who may change the fee settings; also the pairs' reward admin.
    pub fn fee_to_setter(&self) -> Address {
        self.fee_to_setter.get()
    }

    /// The pair of `token_a` and `token_b` (either order), zero if none.
    pub fn get_pair(&self, token_a: Address, token_b: Address) -> Address {
        self.pairs.getter(token_a).get(token_b)
    }

    /// The `index`-th pair created.
    pub fn all_pairs(&self, index: U256) -> Result<Address, FactoryError> {
        let length = U256::from(self.all_pairs.len());
        let pair = usize::try_from(index)
            .ok()
            .and_then(|i| self.all_pairs.get(i));
        pair.ok_or(FactoryError::PairIndexOutOfBounds(PairIndexOutOfBounds {
            index,
            length,
        }))
    }

    /// Number of pairs created.
    pub fn all_pairs_length(&self) -> U256 {
        U256::from(self.all_pairs.len())
    }

    /// keccak256 of the pairs' initcode, for `pairFor` (see the crate docs).
    pub fn pair_init_code_hash(&self) -> B256 {
        self.pair_init_code_hash.get()
    }

    /// The pair program every pair copies.
    pub fn pair_template(&self) -> Address {
        self.pair_template.get()
    }

    /// The program serving the pairs' `IRewards` ABI by delegatecall.
    pub fn rewards_facet(&self) -> Address {
        self.rewards_facet.get()
    }

    /// Creates the pair of `token_a` and `token_b` (once per unordered pair) and initialises it.
    pub fn create_pair(
        &mut self,
        token_a: Address,
        token_b: Address,
    ) -> Result<Address, FactoryError> {
        if token_a == token_b {
            return Err(FactoryError::UniswapV2IdenticalAddresses(
                UniswapV2IdenticalAddresses {},
            ));
        }
        let (token0, token1) = sort_tokens(token_a, token_b);
        if token0.is_zero() {
            return Err(FactoryError::UniswapV2ZeroAddress(UniswapV2ZeroAddress {}));
        }
        if !self.pairs.getter(token0).get(token1).is_zero() {
            return Err(FactoryError::UniswapV2PairExists(UniswapV2PairExists {}));
        }
        let code = self.template_code(self.pair_template.get())?;
        let initcode = pair_initcode(&code);
        // SAFETY: the initcode is the prelude, which makes no call; nothing is cached yet.
        let pair = unsafe {
            RawDeploy::new().salt(pair_salt(token0, token1)).deploy(
                self.vm(),
                &initcode,
                U256::ZERO,
            )
        }
        .map_err(|_| FactoryError::PairDeployFailed(PairDeployFailed {}))?;
        let init = IPairInit::initializeCall { token0, token1 }.abi_encode();
        let ctx = Call::new_mutating(self);
        stylus_sdk::call::call(self.vm(), ctx, pair, &init)
            .map_err(|_| FactoryError::PairInitializeFailed(PairInitializeFailed { pair }))?;
        self.pairs.setter(token0).insert(token1, pair);
        self.pairs.setter(token1).insert(token0, pair);
        self.all_pairs.push(pair);
        let all_pairs_length = U256::from(self.all_pairs.len());
        self.vm().log(PairCreated {
            token0,
            token1,
            pair,
            allPairsLength: all_pairs_length,
        });
        Ok(pair)
    }

    /// `feeToSetter` only: sets the protocol fee recipient (zero: fee off).
    pub fn set_fee_to(&mut self, fee_to: Address) -> Result<(), FactoryError> {
        self.only_fee_to_setter()?;
        self.fee_to.set(fee_to);
        self.vm().log(FeeToSet { feeTo: fee_to });
        Ok(())
    }

    /// `feeToSetter` only: hands the fee settings (and the pairs' reward admin) to another.
    pub fn set_fee_to_setter(&mut self, fee_to_setter: Address) -> Result<(), FactoryError> {
        self.only_fee_to_setter()?;
        self.fee_to_setter.set(fee_to_setter);
        self.vm().log(FeeToSetterSet {
            feeToSetter: fee_to_setter,
        });
        Ok(())
    }
}
