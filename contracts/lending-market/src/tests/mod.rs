//! TestVM unit tests of the market. Tokens are an in-memory ledger (with an optional transfer fee
//! per token), the oracle price and the IRM rate are settable per address, and the `onMorpho*`
//! callbacks run a test closure with the market itself (so a callback can re-enter it or read
//! its state): the market's I/O seam (`io.rs`) is replaced in the test build, because TestVM
//! answers every mocked call to one address with the last registered data.

use alloc::{boxed::Box, vec::Vec};
use core::cell::RefCell;
use std::collections::HashMap;

use alloy_primitives::{address, Address, B256, U256};
use alloy_sol_types::SolCall;
use stylus_sdk::testing::TestVM;

use super::*;
use crate::{math::WAD, ops::wide};

mod admin;
mod flows;
mod invariants;
mod liquidation;
mod rewards_tests;

pub(crate) const MARKET: Address = address!("00000000000000000000000000000000000a4b3e");
pub(crate) const OWNER: Address = address!("0000000000000000000000000000000000000b05");
pub(crate) const FEE_TO: Address = address!("000000000000000000000000000000000000fee0");
pub(crate) const LOAN: Address = address!("0000000000000000000000000000000000000a00");
pub(crate) const COLL: Address = address!("0000000000000000000000000000000000000c00");
pub(crate) const ORACLE: Address = address!("00000000000000000000000000000000000000ac");
pub(crate) const IRM: Address = address!("00000000000000000000000000000000000001a1");
pub(crate) const FACET: Address = address!("00000000000000000000000000000000000facE7");
pub(crate) const ADMIN_FACET: Address = address!("00000000000000000000000000000000000facE8");
pub(crate) const VIEWS_FACET: Address = address!("00000000000000000000000000000000000facE9");
pub(crate) const ALICE: Address = address!("00000000000000000000000000000000000a11ce");
pub(crate) const BOB: Address = address!("0000000000000000000000000000000000000b0b");
pub(crate) const CAROL: Address = address!("00000000000000000000000000000000000ca201");
pub(crate) const T0: u64 = 1_700_000_000;
/// LLTV 80 %.
pub(crate) const LLTV: u128 = 800_000_000_000_000_000;

type Callback = Box<dyn FnMut(&mut LendingMarket, &[u8]) -> R<()>>;

#[derive(Default)]
struct World {
    ledger: HashMap<(Address, Address), U256>,
    /// Per token: wei withheld on every transfer into the market (fee-on-transfer).
    fee: HashMap<Address, U256>,
    price: HashMap<Address, U256>,
    rate: HashMap<Address, U256>,
    /// Revert data of an oracle or IRM that reverts.
    revert: HashMap<Address, Vec<u8>>,
    callback: Option<Callback>,
    /// Selectors of the callbacks made, in order.
    callbacks: Vec<[u8; 4]>,
    irm_calls: usize,
}

thread_local! {
    static WORLD: RefCell<World> = RefCell::new(World::default());
}

fn with<T>(f: impl FnOnce(&mut World) -> T) -> T {
    WORLD.with(|w| f(&mut w.borrow_mut()))
}

pub(crate) fn ledger_balance(token: Address, holder: Address) -> U256 {
    with(|w| w.ledger.get(&(token, holder)).copied().unwrap_or_default())
}

pub(crate) fn mint(token: Address, to: Address, amount: U256) {
    with(|w| *w.ledger.entry((token, to)).or_default() += amount);
}

/// Moves `amount` from `from` to `to` (the fee of `token` is burned when `to` is the market);
/// returns what arrived, `None` when `from` is short.
pub(crate) fn ledger_pull(
    token: Address,
    from: Address,
    to: Address,
    amount: U256,
) -> Option<U256> {
    with(|w| {
        let have = w.ledger.get(&(token, from)).copied().unwrap_or_default();
        if have < amount {
            return None;
        }
        w.ledger.insert((token, from), have - amount);
        let fee = if to == MARKET {
            w.fee.get(&token).copied().unwrap_or_default().min(amount)
        } else {
            U256::ZERO
        };
        *w.ledger.entry((token, to)).or_default() += amount - fee;
        Some(amount - fee)
    })
}

pub(crate) fn set_price(p: U256) {
    with(|w| w.price.insert(ORACLE, p));
}

pub(crate) fn set_rate(r: U256) {
    with(|w| w.rate.insert(IRM, r));
}

pub(crate) fn set_fee_on_transfer(token: Address, fee: U256) {
    with(|w| w.fee.insert(token, fee));
}

pub(crate) fn set_revert(callee: Address, data: Vec<u8>) {
    with(|w| w.revert.insert(callee, data));
}

pub(crate) fn set_callback(f: impl FnMut(&mut LendingMarket, &[u8]) -> R<()> + 'static) {
    with(|w| w.callback = Some(Box::new(f)));
}

pub(crate) fn callbacks() -> Vec<[u8; 4]> {
    with(|w| w.callbacks.clone())
}

pub(crate) fn irm_calls() -> usize {
    with(|w| w.irm_calls)
}

fn answer(callee: Address, map: fn(&World) -> &HashMap<Address, U256>) -> R<U256> {
    with(|w| {
        if let Some(d) = w.revert.get(&callee) {
            return Err(d.clone());
        }
        map(w)
            .get(&callee)
            .copied()
            .ok_or_else(|| err!(NoCode).into())
    })
}

/// The test build's I/O seam (see the module docs).
impl LendingMarket {
    pub(crate) fn pull(&mut self, token: Address, amount: U256) -> R<()> {
        let from = self.vm().msg_sender();
        let received = ledger_pull(token, from, MARKET, amount).ok_or(
            MarketError::SafeERC20FailedOperation(SafeERC20FailedOperation { token }),
        )?;
        crate::io::shortfall(token, amount, received)
    }

    pub(crate) fn push(&mut self, token: Address, to: Address, amount: U256) -> R<()> {
        ledger_pull(token, MARKET, to, amount)
            .map(|_| ())
            .ok_or_else(|| {
                MarketError::SafeERC20FailedOperation(SafeERC20FailedOperation { token }).into()
            })
    }

    pub(crate) fn price(&self, oracle: Address) -> R<U256> {
        answer(oracle, |w| &w.price)
    }

    pub(crate) fn borrow_rate(&mut self, p: &MarketParams, _m: Market) -> R<U256> {
        with(|w| w.irm_calls += 1);
        answer(p.irm, |w| &w.rate)
    }

    pub(crate) fn borrow_rate_view(&self, p: &MarketParams, _m: Market) -> R<U256> {
        answer(p.irm, |w| &w.rate)
    }

    pub(crate) fn callback(&mut self, calldata: &[u8]) -> R<()> {
        with(|w| w.callbacks.push(calldata[..4].try_into().unwrap()));
        let Some(mut cb) = with(|w| w.callback.take()) else {
            return Ok(());
        };
        let r = cb(self, calldata);
        with(|w| {
            if w.callback.is_none() {
                w.callback = Some(cb);
            }
        });
        r
    }

    pub(crate) fn is_facet(&self, facet: Address, selector: [u8; 4], version: B256) -> bool {
        let expected = match selector {
            IFacets::rewardsFacetVersionCall::SELECTOR => (FACET, REWARDS_FACET_VERSION),
            IFacets::adminFacetVersionCall::SELECTOR => (ADMIN_FACET, ADMIN_FACET_VERSION),
            _ => (VIEWS_FACET, VIEWS_FACET_VERSION),
        };
        (facet, version) == expected
    }

    pub(crate) fn recover(
        &self,
        digest: B256,
        v: u8,
        r: B256,
        s: B256,
    ) -> Result<Address, MarketError> {
        recover_native(digest, v, r, s).ok_or(err!(InvalidSignature))
    }
}

/// `ecrecover` with the kit's rules (low `s`, `v` ∈ {27, 28}, non-zero signer), natively.
fn recover_native(digest: B256, v: u8, r: B256, s: B256) -> Option<Address> {
    use k256::ecdsa::{RecoveryId, Signature as KSig, VerifyingKey};
    if U256::from_be_bytes(s.0) > kit::eip712::MAX_S || !(v == 27 || v == 28) {
        return None;
    }
    let sig = KSig::from_scalars(r.0, s.0).ok()?;
    let key =
        VerifyingKey::recover_from_prehash(digest.as_slice(), &sig, RecoveryId::from_byte(v - 27)?)
            .ok()?;
    let pt = key.to_encoded_point(false);
    let h = alloy_primitives::keccak256(&pt.as_bytes()[1..]);
    Some(Address::from_slice(&h[12..]))
}

pub(crate) fn u(x: u128) -> U256 {
    U256::from(x)
}

pub(crate) fn e18(x: u128) -> U256 {
    u(x) * WAD
}

pub(crate) fn params() -> MarketParams {
    MarketParams {
        loanToken: LOAN,
        collateralToken: COLL,
        oracle: ORACLE,
        irm: IRM,
        lltv: u(LLTV),
    }
}

/// A fresh market at `T0` (owner `OWNER`, fee recipient `FEE_TO`) with the IRM and LLTV enabled,
/// `params()` created, price 1 collateral = 1 loan (1e36), rate 0.
pub(crate) fn setup() -> (TestVM, LendingMarket) {
    WORLD.with(|w| *w.borrow_mut() = World::default());
    let vm = TestVM::new();
    vm.set_contract_address(MARKET);
    vm.set_block_timestamp(T0);
    vm.set_chain_id(412_346);
    let mut m = LendingMarket::from(&vm);
    vm.set_sender(OWNER);
    m.constructor(OWNER, FACET, ADMIN_FACET, VIEWS_FACET)
        .unwrap();
    m.enable_irm_inner(IRM).unwrap();
    m.enable_lltv_inner(u(LLTV)).unwrap();
    m.set_fee_recipient_inner(FEE_TO).unwrap();
    set_price(math::ORACLE_PRICE_SCALE);
    set_rate(U256::ZERO);
    m.create_market_inner(params()).unwrap();
    (vm, m)
}

pub(crate) fn id() -> B256 {
    market_id(&params())
}

/// `who` supplies `assets` (minted to them first).
pub(crate) fn supply(
    vm: &TestVM,
    m: &mut LendingMarket,
    who: Address,
    assets: U256,
) -> R<(U256, U256)> {
    mint(LOAN, who, assets);
    vm.set_sender(who);
    m.supply_inner(params(), assets, U256::ZERO, who, &[])
}

/// `who` posts `assets` of collateral.
pub(crate) fn post(vm: &TestVM, m: &mut LendingMarket, who: Address, assets: U256) -> R<()> {
    mint(COLL, who, assets);
    vm.set_sender(who);
    m.supply_collateral_inner(params(), assets, who, &[])
}

pub(crate) fn borrow(
    vm: &TestVM,
    m: &mut LendingMarket,
    who: Address,
    assets: U256,
) -> R<(U256, U256)> {
    vm.set_sender(who);
    m.borrow_inner(params(), assets, U256::ZERO, who, who)
}

/// `position(id(), who)`.
pub(crate) fn pos(m: &LendingMarket, who: Address) -> (U256, u128, u128) {
    let p = m.position.getter(id());
    let p = p.getter(who);
    (
        p.supply_shares.get(),
        p.borrow_shares.get().to(),
        p.collateral.get().to(),
    )
}

/// `market(id()).lastUpdate`.
pub(crate) fn last_update(m: &LendingMarket) -> u128 {
    m.market.getter(id()).last_update.get().to()
}

pub(crate) fn totals(m: &LendingMarket) -> math::Totals {
    m.totals(id())
}

/// The revert data of a `MarketError`.
pub(crate) fn data(e: MarketError) -> Vec<u8> {
    e.into()
}

#[test]
fn market_id_is_keccak_of_the_abi_encoding() {
    use alloy_sol_types::SolValue;
    let p = params();
    assert_eq!(id(), alloy_primitives::keccak256(p.abi_encode()));
    assert_eq!(
        DOMAIN_TYPEHASH,
        alloy_primitives::keccak256("EIP712Domain(uint256 chainId,address verifyingContract)")
    );
    assert_eq!(
        AUTHORIZATION_TYPEHASH,
        alloy_primitives::keccak256(
            "Authorization(address authorizer,address authorized,bool isAuthorized,uint256 nonce,uint256 deadline)"
        )
    );
    // Morpho's selectors.
    assert_eq!(
        IMorphoCallbacks::onMorphoFlashLoanCall::SELECTOR,
        alloy_primitives::keccak256("onMorphoFlashLoan(uint256,bytes)")[..4]
    );
}
