//! The CacheManager system contract (nitro-contracts' ABI and bidding rules, native): what
//! `cargo stylus cache bid / status / suggest-bid` call, eviction by bid, owner controls, and the
//! cached entry price a cached program pays.

use crate::pchain::*;
use alloy::primitives::{Address, U256};
use alloy::sol_types::{SolCall, SolError, SolEvent};
use devnode_exec::evm::ArbConfig;
use devnode_exec::precompiles::abi::*;
use devnode_exec::precompiles::{ARB_WASM, ARB_WASM_CACHE, CACHE_MANAGER};
use devnode_wasm::StylusParams;

type U192 = alloy::primitives::Uint<192, 3>;

fn activated_program(c: &mut Chain, tag: u32) -> Address {
    let p = c.deploy_code(ALICE, &stylus_code(&program_wasm(0, tag)));
    let r = c.tx(
        ALICE,
        ARB_WASM,
        ArbWasm::activateProgramCall { program: p }.abi_encode(),
        U256::from(10u64.pow(18)),
    );
    assert!(r.is_success(), "{:?}", r.result);
    p
}

/// `ArbWasm.codehashAsmSize` of `program` (what the CacheManager counts it with).
fn asm_size(c: &mut Chain, program: Address) -> u64 {
    let h = c.codehash(program);
    let r = c.call(
        ALICE,
        ARB_WASM,
        ArbWasm::codehashAsmSizeCall { codehash: h }.abi_encode(),
        U256::ZERO,
    );
    u64::from(ArbWasm::codehashAsmSizeCall::abi_decode_returns(&r.output()).unwrap()).max(4_096)
}

fn view<C: SolCall>(c: &mut Chain, call: C) -> C::Return {
    let r = c.call(ALICE, CACHE_MANAGER, call.abi_encode(), U256::ZERO);
    assert!(r.is_success(), "{:?}", r.result);
    C::abi_decode_returns(&r.output()).unwrap()
}

fn bid(c: &mut Chain, from: Address, program: Address, value: u64) -> Receipt {
    c.tx(
        from,
        CACHE_MANAGER,
        CacheManager::placeBidCall { program }.abi_encode(),
        U256::from(value),
    )
}

fn is_cached(c: &mut Chain, program: Address) -> bool {
    let h = c.codehash(program);
    let r = c.call(
        ALICE,
        ARB_WASM_CACHE,
        ArbWasmCache::codehashIsCachedCall { codehash: h }.abi_encode(),
        U256::ZERO,
    );
    ArbWasmCache::codehashIsCachedCall::abi_decode_returns(&r.output()).unwrap()
}

fn owner_call<C: SolCall>(c: &mut Chain, from: Address, call: C) -> Receipt {
    c.tx(from, CACHE_MANAGER, call.abi_encode(), U256::ZERO)
}

#[test]
fn cargo_stylus_status_and_suggest_bid_calls() {
    let mut c = Chain::new();
    // get_cache_manager_address: the last entry of ArbWasmCache.allCacheManagers().
    let r = c.call(
        ALICE,
        ARB_WASM_CACHE,
        ArbWasmCache::allCacheManagersCall {}.abi_encode(),
        U256::ZERO,
    );
    let managers = ArbWasmCache::allCacheManagersCall::abi_decode_returns(&r.output()).unwrap();
    assert_eq!(managers.last(), Some(&CACHE_MANAGER));
    assert!(!c.code(CACHE_MANAGER).is_empty(), "EXTCODESIZE > 0");

    assert!(!view(&mut c, CacheManager::isPausedCall {}));
    assert_eq!(view(&mut c, CacheManager::queueSizeCall {}), 0);
    assert_eq!(view(&mut c, CacheManager::cacheSizeCall {}), 4 << 30);
    assert_eq!(view(&mut c, CacheManager::decayCall {}), 0);
    for kb in [8u64, 16, 24] {
        let min = view(&mut c, CacheManager::getMinBid_0Call { size: kb * 1000 });
        assert_eq!(min, U192::ZERO, "an empty cache takes bids of 0");
    }
    // suggest-bid on a program that is not activated: ProgramNotActivated() bubbles up.
    let p = c.deploy_code(ALICE, &stylus_code(&program_wasm(0, 1)));
    let r = c.call(
        ALICE,
        CACHE_MANAGER,
        CacheManager::getMinBid_2Call { program: p }.abi_encode(),
        U256::ZERO,
    );
    assert!(r.is_revert());
    assert_eq!(
        r.output().as_ref(),
        ArbWasm::ProgramNotActivated {}.abi_encode().as_slice()
    );
    let r = bid(&mut c, ALICE, p, 0);
    assert_eq!(
        r.output().as_ref(),
        ArbWasm::ProgramNotActivated {}.abi_encode().as_slice()
    );
    // A too-large size: AsmTooLarge(size, 0, cacheSize).
    let r = c.call(
        ALICE,
        CACHE_MANAGER,
        CacheManager::getMinBid_0Call { size: u64::MAX }.abi_encode(),
        U256::ZERO,
    );
    let e = CacheManager::AsmTooLarge::abi_decode(&r.output()).unwrap();
    assert_eq!(e.cacheSize, U256::from(4u64 << 30));
}

#[test]
fn bid_caches_the_program_and_cached_calls_pay_the_cached_price() {
    let mut c = Chain::new();
    let p = activated_program(&mut c, 2);
    let h = c.codehash(p);
    let uncached = c.tx(BOB, p, vec![], U256::ZERO).gas_used();

    // The eth_call dry run cargo-stylus makes, then the transaction.
    let dry = c.call(
        ALICE,
        CACHE_MANAGER,
        CacheManager::placeBidCall { program: p }.abi_encode(),
        U256::ZERO,
    );
    assert!(dry.is_success(), "{:?}", dry.result);
    assert!(!is_cached(&mut c, p), "a dry run changes nothing");
    let r = bid(&mut c, ALICE, p, 1_000);
    assert!(r.is_success(), "{:?}", r.result);
    println!("placeBid gas: {}", r.gas_used());
    assert!(is_cached(&mut c, p));
    let logs = r.logs();
    let update = logs
        .iter()
        .find(|l| l.address == ARB_WASM_CACHE)
        .expect("UpdateProgramCache");
    let ev = ArbWasmCache::UpdateProgramCache::decode_log_data(&update.data).unwrap();
    assert_eq!(
        (ev.manager, ev.codehash, ev.cached),
        (CACHE_MANAGER, h, true)
    );
    let insert = logs
        .iter()
        .find(|l| l.address == CACHE_MANAGER)
        .expect("InsertBid");
    let ev = CacheManager::InsertBid::decode_log_data(&insert.data).unwrap();
    assert_eq!(ev.codehash, h);
    assert_eq!(ev.program, p);
    assert_eq!(ev.bid, U192::from(1_000));
    let size = asm_size(&mut c, p);
    assert_eq!(ev.size, size, "codehashAsmSize");
    assert_eq!(c.balance(CACHE_MANAGER), U256::from(1_000));
    assert_eq!(view(&mut c, CacheManager::queueSizeCall {}), size);
    let entries = view(&mut c, CacheManager::getEntriesCall {});
    assert_eq!(entries.len(), 1);
    assert_eq!((entries[0].code, entries[0].size), (h, size));

    // A cached program pays only cachedGas at entry: the difference is exactly initGas.
    let cached = c.tx(BOB, p, vec![], U256::ZERO).gas_used();
    let act = devnode_wasm::activate(&program_wasm(0, 2), 128, &StylusParams::default(), true, 51)
        .unwrap();
    let params = StylusParams::default();
    assert_eq!(uncached - cached, params.init_gas(act.init_cost));
    println!(
        "entry gas: uncached {} / cached {}",
        params.program_init_gas(act.init_cost, act.cached_init_cost, false),
        params.program_init_gas(act.init_cost, act.cached_init_cost, true)
    );

    // Bidding again: AlreadyCached(codehash).
    let r = bid(&mut c, ALICE, p, 0);
    assert_eq!(
        r.output().as_ref(),
        CacheManager::AlreadyCached { codehash: h }
            .abi_encode()
            .as_slice()
    );

    // sweepFunds sends the bids to the network fee account (the owner at genesis).
    let before = c.balance(OWNER);
    let r = owner_call(&mut c, BOB, CacheManager::sweepFundsCall {});
    assert!(r.is_success(), "{:?}", r.result);
    assert_eq!(c.balance(OWNER), before + U256::from(1_000));
    assert_eq!(c.balance(CACHE_MANAGER), U256::ZERO);
}

#[test]
fn a_full_cache_evicts_the_smallest_bid() {
    let mut c = Chain::new();
    let programs: Vec<Address> = (10..14).map(|t| activated_program(&mut c, t)).collect();
    let size = asm_size(&mut c, programs[0]);
    assert!(programs.iter().all(|p| asm_size(&mut c, *p) == size));
    let r = owner_call(
        &mut c,
        OWNER,
        CacheManager::setCacheSizeCall { newSize: 3 * size },
    );
    assert!(r.is_success(), "{:?}", r.result);
    for (p, value) in programs[..3].iter().zip([30u64, 10, 20]) {
        assert!(bid(&mut c, ALICE, *p, value).is_success());
    }
    assert_eq!(view(&mut c, CacheManager::queueSizeCall {}), 3 * size);
    // The cache is full: the minimum bid is the smallest entry's.
    let min = view(
        &mut c,
        CacheManager::getMinBid_2Call {
            program: programs[3],
        },
    );
    assert_eq!(min, U192::from(10));
    let smallest = view(
        &mut c,
        CacheManager::getSmallestEntriesCall { k: U256::from(2) },
    );
    let bids: Vec<U192> = smallest.iter().map(|e| e.bid).collect();
    assert_eq!(bids, vec![U192::from(10), U192::from(20)]);

    // Too small: BidTooSmall(bid, min), nothing evicted.
    let r = bid(&mut c, ALICE, programs[3], 9);
    let e = CacheManager::BidTooSmall::abi_decode(&r.output()).unwrap();
    assert_eq!((e.bid, e.min), (U192::from(9), U192::from(10)));
    assert!(is_cached(&mut c, programs[1]));

    // Enough: the 10-wei entry is evicted and its slot reused.
    let r = bid(&mut c, ALICE, programs[3], 10);
    assert!(r.is_success(), "{:?}", r.result);
    assert!(!is_cached(&mut c, programs[1]));
    assert!(is_cached(&mut c, programs[3]));
    let entries = view(&mut c, CacheManager::getEntriesCall {});
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[1].code, c.codehash(programs[3]));
    let delete = r
        .logs()
        .iter()
        .find_map(|l| CacheManager::DeleteBid::decode_log_data(&l.data).ok())
        .expect("DeleteBid");
    assert_eq!(delete.codehash, c.codehash(programs[1]));

    // Owner eviction.
    let r = owner_call(
        &mut c,
        OWNER,
        CacheManager::evictProgramsCall {
            count: U256::from(1),
        },
    );
    assert!(r.is_success());
    assert!(!is_cached(&mut c, programs[3]), "bid 10 was the smallest");
    let r = owner_call(&mut c, OWNER, CacheManager::evictAllCall {});
    assert!(r.is_success());
    assert!(!is_cached(&mut c, programs[0]));
    assert!(view(&mut c, CacheManager::getEntriesCall {}).is_empty());
    assert_eq!(view(&mut c, CacheManager::queueSizeCall {}), 0);
}

#[test]
fn owner_controls_pause_and_decay() {
    let mut c = Chain::new();
    let r = owner_call(&mut c, ALICE, CacheManager::pausedCall {});
    assert_eq!(
        r.output().as_ref(),
        CacheManager::NotChainOwner { sender: ALICE }
            .abi_encode()
            .as_slice()
    );
    assert!(owner_call(&mut c, OWNER, CacheManager::pausedCall {}).is_success());
    assert!(view(&mut c, CacheManager::isPausedCall {}));
    let p = activated_program(&mut c, 20);
    let r = bid(&mut c, ALICE, p, 0);
    assert_eq!(
        r.output().as_ref(),
        CacheManager::BidsArePaused {}.abi_encode().as_slice()
    );
    assert!(owner_call(&mut c, OWNER, CacheManager::unpauseCall {}).is_success());

    // Decay: a bid is worth value + timestamp × decay.
    assert!(owner_call(
        &mut c,
        OWNER,
        CacheManager::setDecayRateCall { newDecay: 2 }
    )
    .is_success());
    let r = bid(&mut c, ALICE, p, 5);
    assert!(r.is_success(), "{:?}", r.result);
    let entries = view(&mut c, CacheManager::getEntriesCall {});
    assert_eq!(entries[0].bid, U192::from(5 + 2 * c.block.timestamp));
}

#[test]
fn cache_all_programs_marks_activations_cached() {
    let mut c = Chain::with_config(ArbConfig {
        cache_all_programs: true,
        ..ArbConfig::default()
    });
    let p = activated_program(&mut c, 30);
    assert!(is_cached(&mut c, p));
}
