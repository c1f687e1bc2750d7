//! ArbOS 60 recent-program cache (spec §1.10): a program called again soon after is priced as
//! cached; at ArbOS 51 the cache is not consulted.

use crate::common::*;
use devnode_exec::evm::ArbConfig;
use devnode_wasm::pricing::read_price;
use revm::primitives::{address, Address, U256};

const PROG: Address = address!("0000000000000000000000000000000000001000");
const PROG2: Address = address!("0000000000000000000000000000000000002000");
const GAS: u64 = 10_000_000;

/// Calls the address in args[0..20] twice (no calldata, value 0).
fn twice_caller() -> String {
    let call = "(drop (call $call_contract (i32.const 256) (i32.const 0) (i32.const 0) (i32.const 2048) (i64.const -1) (i32.const 400)))";
    program(
        1,
        1,
        "",
        &format!("(call $read_args (i32.const 256)) {call} {call} (i32.const 0)"),
    )
}

const RETURNS: &str = "(i32.const 0)";

/// Ink of the two calls for ArbOS `version`, with the callee's record.
fn two_calls(version: u64, block_cache_size: Option<u16>) -> (u64, u64, u64) {
    let mut chain = Chain::new(ArbConfig {
        arbos_version: version,
        ..ArbConfig::default()
    });
    if let Some(size) = block_cache_size {
        let mut p = chain.params();
        p.block_cache_size = size;
        let mut j: revm::context::Journal<devnode_exec::evm::DevDb> =
            revm::context::JournalTr::new(std::mem::take(&mut chain.db));
        devnode_exec::programs::store_params(
            &mut j,
            &mut devnode_exec::programs::Meter::free(),
            &p,
        )
        .unwrap();
        let state = revm::context::JournalTr::finalize(&mut j);
        chain.db = std::mem::take(&mut j.database);
        revm::database::DatabaseCommit::commit(&mut chain.db, state);
    }
    let rec = chain.deploy(PROG2, &simple(RETURNS));
    chain.deploy(PROG, &twice_caller());
    let out = chain.call(PROG, PROG2.to_vec(), U256::ZERO, GAS);
    assert!(out.result.is_success(), "{:?}", out.result);
    let params = chain.params();
    (
        out.ink("call_contract", 0),
        out.ink("call_contract", 1),
        params.init_gas(rec.init_cost),
    )
}

#[test]
fn second_call_in_a_block_is_priced_as_cached_at_60() {
    let (first, second, init_gas) = two_calls(60, None);
    // First: cold access (2 600) and the uncached entry; second: warm (100) and cached entry.
    assert_eq!(first - second, (2_500 + init_gas) * INK);
    let base = 83_193 + 2 * read_price(0);
    assert!(second > base);
}

#[test]
fn the_recent_cache_is_not_consulted_at_51() {
    let (first, second, _) = two_calls(51, None);
    assert_eq!(first - second, 2_500 * INK, "only the access cost differs");
}

#[test]
fn a_zero_sized_recent_cache_never_hits() {
    let (first, second, _) = two_calls(60, Some(0));
    assert_eq!(first - second, 2_500 * INK);
}

#[test]
fn lru_evicts_the_least_recently_used() {
    use devnode_exec::stylus::StylusTxState;
    use revm::primitives::B256;
    let mut st = StylusTxState::default();
    let (a, b, c) = (
        B256::repeat_byte(1),
        B256::repeat_byte(2),
        B256::repeat_byte(3),
    );
    assert!(!st.touch_recent(a, 2));
    assert!(!st.touch_recent(b, 2));
    assert!(st.touch_recent(a, 2), "a is recent");
    assert!(!st.touch_recent(c, 2), "evicts b, the least recently used");
    assert!(!st.touch_recent(b, 2));
    assert!(!st.touch_recent(a, 2), "a was evicted by b");
}
