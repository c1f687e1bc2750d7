//! TestVM unit tests of the royalty NFT. External accounts are the ledger world of [`world`].
//!
//! * [`erc721`]: the ERC-721 conformance set (approvals, operators, safe transfers to an EOA /
//!   receiver / non-receiver / reverting receiver / wrong answer, events, ERC-165 ids) and the
//!   ownership proptest.
//! * [`sale`]: primary sale, allowlist proofs, refunds, reentrancy guard.
//! * [`royalty`]: ERC-2981, royalty accounting, holder streams, creator ledger, proptests.

pub mod world;

mod erc721;
mod royalty;
mod sale;

use alloc::vec::Vec;
use alloy_primitives::{address, Address, B256, U256};
use alloy_sol_types::{SolCall, SolError};
use stylus_sdk::testing::TestVM;

use super::*;

pub const NFT: Address = address!("00000000000000000000000000000000000c0de1");
pub const OWNER: Address = address!("0000000000000000000000000000000000000a11");
pub const ALICE: Address = address!("00000000000000000000000000000000000a11ce");
pub const BOB: Address = address!("0000000000000000000000000000000000000b0b");
pub const CAROL: Address = address!("00000000000000000000000000000000000ca501");
pub const CREATOR1: Address = address!("00000000000000000000000000000000000c1001");
pub const CREATOR2: Address = address!("00000000000000000000000000000000000c1002");
pub const WETH: Address = address!("0000000000000000000000000000000000077e74");
pub const USDC: Address = address!("0000000000000000000000000000000000005dc0");
pub const FACET: Address = address!("00000000000000000000000000000000000facE7");
pub const ADMIN_FACET: Address = address!("00000000000000000000000000000000000facE8");
pub const CONFIG_FACET: Address = address!("00000000000000000000000000000000000facE9");
pub const RECEIVER: Address = address!("000000000000000000000000000000000000ecee");
pub const T0: u64 = 1_700_000_000;
pub const DAY: u64 = 86_400;
pub const PRICE: u128 = 10_000_000_000_000_000; // 0.01 ETH
pub const ETHER: u128 = 1_000_000_000_000_000_000;

pub fn u(x: u128) -> U256 {
    U256::from(x)
}

pub fn id(x: u64) -> U256 {
    U256::from(x)
}

/// Encoded error bytes of `e`.
pub fn enc<E: Into<Vec<u8>>>(e: E) -> Vec<u8> {
    e.into()
}

/// A fresh VM with WETH and the facet deployed.
pub fn vm() -> TestVM {
    world::reset();
    let vm = TestVM::new();
    vm.set_contract_address(NFT);
    vm.set_block_timestamp(T0);
    vm.set_sender(OWNER);
    for a in [WETH, FACET, ADMIN_FACET, CONFIG_FACET, USDC] {
        vm.set_code(a, vec![0xfe]);
    }
    vm.mock_static_call(
        CONFIG_FACET,
        IAdminFacet::configFacetVersionCall {}.abi_encode(),
        Ok(FACET_VERSION.to_vec()),
    );
    vm.mock_static_call(
        ADMIN_FACET,
        IAdminFacet::adminFacetVersionCall {}.abi_encode(),
        Ok(FACET_VERSION.to_vec()),
    );
    vm.mock_static_call(
        FACET,
        IRewardsFacet::rewardsFacetVersionCall {}.abi_encode(),
        Ok(FACET_VERSION.to_vec()),
    );
    vm
}

/// Deploys with creators 60 % / 40 %, holders 20 %, royalty 5 %.
pub fn deploy(vm: &TestVM) -> Result<RoyaltyNft, Vec<u8>> {
    deploy_with(vm, &[CREATOR1, CREATOR2], &[6000, 4000], 2000, 500)
}

pub fn deploy_with(
    vm: &TestVM,
    recipients: &[Address],
    shares: &[u64],
    holder_bps: u64,
    royalty_bps: u64,
) -> Result<RoyaltyNft, Vec<u8>> {
    let mut n = RoyaltyNft::from(vm);
    vm.set_sender(OWNER);
    let init = IAdminFacet::initializeCall {
        name: "Stylus Yield Art".into(),
        symbol: "SYART".into(),
        owner: OWNER,
        weth: WETH,
        recipients: recipients.to_vec(),
        shares: shares.iter().map(|s| U256::from(*s)).collect(),
        holderShareBps: U256::from(holder_bps),
        royaltyBps: U256::from(royalty_bps),
        rewardsFacet: FACET,
    }
    .abi_encode();
    n.constructor(ADMIN_FACET, CONFIG_FACET, init.into())?;
    Ok(n)
}

/// Deployed, with a sale open: allowlist from T0, public from T0 + 100, until T0 + 30 days;
/// price 0.01 ETH, max supply 100, wallet limit 5.
pub fn setup() -> (TestVM, RoyaltyNft) {
    let vm = vm();
    let mut n = deploy(&vm).unwrap();
    n.set_sale_config(u(PRICE), 100, 5, T0, T0 + 100, T0 + 30 * DAY)
        .unwrap();
    (vm, n)
}

/// Sets the caller and the attached value (crediting the collection's ETH in the world).
pub fn pay(vm: &TestVM, who: Address, value: U256) {
    vm.set_sender(who);
    vm.set_value(value);
    world::credit_eth(NFT, value);
}

pub fn call_as(vm: &TestVM, who: Address) {
    vm.set_sender(who);
    vm.set_value(U256::ZERO);
}

/// Public mint of `q` tokens to `to` paid exactly by `to`.
pub fn mint(vm: &TestVM, n: &mut RoyaltyNft, to: Address, q: u64) {
    if vm.block_timestamp() < T0 + 100 {
        vm.set_block_timestamp(T0 + 100);
    }
    pay(vm, to, u(PRICE) * U256::from(q));
    n.mint(to, U256::from(q)).unwrap();
    vm.set_value(U256::ZERO);
}

/// Logs emitted since the last call, as (topics, data).
pub fn logs(vm: &TestVM) -> Vec<(Vec<B256>, Vec<u8>)> {
    vm.get_emitted_logs()
}

pub fn has_error<T: core::fmt::Debug>(r: Result<T, Vec<u8>>, e: impl SolError) {
    assert_eq!(r.unwrap_err(), e.abi_encode());
}

/// A copy of the VM and the collection on it: for calls expected to revert (TestVM does not roll
/// storage back on an error, the chain does).
pub fn copy(vm: &TestVM) -> (TestVM, RoyaltyNft) {
    let c = TestVM::from(vm.snapshot());
    let n = RoyaltyNft::from(&c);
    (c, n)
}
