//! Through JSON-RPC: the `cargo stylus cache status / suggest-bid / bid` calls against the
//! genesis CacheManager (a cached program pays the cached entry price), and an ArbOS 60
//! split deployment of a program over 24 KiB (fragments + root) as `cargo stylus deploy` does it.

use crate::common::*;
use alloy::network::TransactionBuilder;
use alloy::primitives::{keccak256, Address, Bytes, U256};
use alloy::providers::{DynProvider, Provider};
use alloy::rpc::types::TransactionRequest;
use alloy::sol_types::{SolCall, SolError};
use devnode::DevnodeConfig;
use devnode_exec::precompiles::abi::{ArbOwnerPublic, ArbWasm, ArbWasmCache, CacheManager};
use devnode_exec::precompiles::{ARB_OWNER_PUBLIC, ARB_WASM, ARB_WASM_CACHE, CACHE_MANAGER};
use serde_json::json;

/// Returns 32 bytes of its data segment (of `data_len` incompressible bytes).
fn program(data_len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let data: String = (0..data_len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            format!("\\{:02x}", (x >> 24) as u8)
        })
        .collect();
    wat::parse_str(format!(
        r#"(module
  (import "vm_hooks" "pay_for_memory_grow" (func (param i32)))
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (memory (export "memory") 1 1)
  (data (i32.const 256) "{data}")
  (func (export "user_entrypoint") (param i32) (result i32)
    (call $write_result (i32.const 256) (i32.const 32))
    i32.const 0))"#
    ))
    .unwrap()
}

/// cargo-stylus' deployment: 43-byte prelude + version byte + code.
async fn deploy_stylus(p: &DynProvider, code: &[u8]) -> Address {
    let mut init = vec![0x7f];
    init.extend_from_slice(&U256::from(code.len()).to_be_bytes::<32>());
    init.extend_from_slice(&[0x80, 0x60, 43, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3, 0x00]);
    init.extend_from_slice(code);
    let r = p
        .send_transaction(TransactionRequest::default().with_deploy_code(init))
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    assert!(r.status(), "deployment succeeded");
    r.contract_address.unwrap()
}

async fn send(p: &DynProvider, to: Address, data: Vec<u8>, value: U256) -> u64 {
    let r = p
        .send_transaction(
            TransactionRequest::default()
                .with_to(to)
                .with_input(data)
                .with_value(value),
        )
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    assert!(r.status(), "transaction succeeded");
    r.gas_used
}

async fn eth_call<C: SolCall>(p: &DynProvider, to: Address, call: C) -> C::Return {
    let out = p
        .call(
            TransactionRequest::default()
                .with_to(to)
                .with_input(call.abi_encode()),
        )
        .await
        .unwrap();
    C::abi_decode_returns(&out).unwrap()
}

async fn activate(p: &DynProvider, program: Address) -> u64 {
    send(
        p,
        ARB_WASM,
        ArbWasm::activateProgramCall { program }.abi_encode(),
        U256::from(10u64.pow(17)),
    )
    .await
}

#[tokio::test]
async fn cargo_stylus_cache_commands() {
    let node = node();
    let p = provider(&node, dev());
    let program = deploy_stylus(&p, &devnode_wasm::compress_program(&program(64, 1))).await;

    // Not activated: `cache bid` dry run and `suggest-bid` get ProgramNotActivated() as data.
    let e = p
        .call(
            TransactionRequest::default()
                .with_to(CACHE_MANAGER)
                .with_input(CacheManager::getMinBid_2Call { program }.abi_encode()),
        )
        .await
        .unwrap_err();
    let (code, _, data) = rpc_error(&e);
    assert_eq!(code, 3);
    assert_eq!(
        data.unwrap(),
        Bytes::from(ArbWasm::ProgramNotActivated {}.abi_encode()).to_string()
    );
    activate(&p, program).await;

    // `cache status`.
    let managers = eth_call(&p, ARB_WASM_CACHE, ArbWasmCache::allCacheManagersCall {}).await;
    assert_eq!(managers.last(), Some(&CACHE_MANAGER));
    assert!(!eth_call(&p, CACHE_MANAGER, CacheManager::isPausedCall {}).await);
    assert_eq!(
        eth_call(&p, CACHE_MANAGER, CacheManager::queueSizeCall {}).await,
        0
    );
    assert_eq!(
        eth_call(&p, CACHE_MANAGER, CacheManager::cacheSizeCall {}).await,
        4 << 30
    );
    for kb in [8_000u64, 16_000, 24_000] {
        let min = eth_call(
            &p,
            CACHE_MANAGER,
            CacheManager::getMinBid_0Call { size: kb },
        )
        .await;
        assert_eq!(min, alloy::primitives::Uint::<192, 3>::ZERO);
    }
    // `cache suggest-bid`.
    let min = eth_call(&p, CACHE_MANAGER, CacheManager::getMinBid_2Call { program }).await;
    assert_eq!(min, alloy::primitives::Uint::<192, 3>::ZERO);

    let calldata = Bytes::from_static(b"x");
    let uncached = send(&p, program, calldata.to_vec(), U256::ZERO).await;

    // `cache bid <address> 0`: the eth_call dry run, then the transaction.
    let bid = CacheManager::placeBidCall { program }.abi_encode();
    p.call(
        TransactionRequest::default()
            .with_to(CACHE_MANAGER)
            .with_input(bid.clone()),
    )
    .await
    .unwrap();
    send(&p, CACHE_MANAGER, bid, U256::ZERO).await;

    // `cache status --address`: eth_getCode → keccak → codehashIsCached.
    let code = p.get_code_at(program).await.unwrap();
    let cached = eth_call(
        &p,
        ARB_WASM_CACHE,
        ArbWasmCache::codehashIsCachedCall {
            codehash: keccak256(&code),
        },
    )
    .await;
    assert!(cached);
    let asm = eth_call(
        &p,
        ARB_WASM,
        ArbWasm::codehashAsmSizeCall {
            codehash: keccak256(&code),
        },
    )
    .await;
    assert_eq!(
        eth_call(&p, CACHE_MANAGER, CacheManager::queueSizeCall {}).await,
        u64::from(asm).max(4_096)
    );

    // Cached: the entry costs cachedGas only; the saving is exactly initGas = 8 832 + init_cost.
    let cached_gas = send(&p, program, calldata.to_vec(), U256::ZERO).await;
    let (gas, gas_when_cached) = {
        let r = eth_call(&p, ARB_WASM, ArbWasm::programInitGasCall { program }).await;
        (r.gas, r.gasWhenCached)
    };
    assert_eq!(uncached - cached_gas, gas - gas_when_cached);

    // Bidding again: AlreadyCached(codehash).
    let e = p
        .call(
            TransactionRequest::default()
                .with_to(CACHE_MANAGER)
                .with_input(CacheManager::placeBidCall { program }.abi_encode()),
        )
        .await
        .unwrap_err();
    let (_, _, data) = rpc_error(&e);
    let data: Bytes = data.unwrap().parse().unwrap();
    assert!(CacheManager::AlreadyCached::abi_decode(&data).is_ok());
}

#[tokio::test]
async fn cache_all_programs_flag() {
    let node = node_with(DevnodeConfig {
        cache_all_programs: true,
        ..DevnodeConfig::default()
    });
    let p = provider(&node, dev());
    let code = devnode_wasm::compress_program(&program(64, 2));
    let program = deploy_stylus(&p, &code).await;
    activate(&p, program).await;
    let cached = eth_call(
        &p,
        ARB_WASM_CACHE,
        ArbWasmCache::codehashIsCachedCall {
            codehash: keccak256(&code),
        },
    )
    .await;
    assert!(cached);
}

#[tokio::test]
async fn split_deploy_over_24_kib_at_arbos_60() {
    let node = node_with(DevnodeConfig {
        arbos_version: 60,
        ..DevnodeConfig::default()
    });
    let p = provider(&node, dev());
    let wasm = program(30_000, 3);
    assert!(devnode_wasm::compress_program(&wasm).len() > 24_576);

    // cargo-stylus asks for the fragment limit.
    let max = eth_call(
        &p,
        ARB_OWNER_PUBLIC,
        ArbOwnerPublic::getMaxStylusContractFragmentsCall {},
    )
    .await;
    assert_eq!(max, 2);

    let fragments = devnode_wasm::fragment_program(&wasm, 24_576);
    let mut addrs = Vec::new();
    for f in &fragments {
        addrs.push(deploy_stylus(&p, f).await);
    }
    let list: Vec<[u8; 20]> = addrs.iter().map(|a| a.0 .0).collect();
    let root_code = devnode_wasm::root_code(wasm.len() as u32, &list);

    // The data-fee quote with code overrides on the root and on scratch fragment addresses.
    let sender = Address::repeat_byte(0x99);
    let scratch_root = Address::repeat_byte(0x98);
    let scratch: Vec<Address> = (0..fragments.len())
        .map(|i| Address::repeat_byte(0x90 + i as u8))
        .collect();
    let scratch_list: Vec<[u8; 20]> = scratch.iter().map(|a| a.0 .0).collect();
    let mut overrides = serde_json::Map::new();
    overrides.insert(
        sender.to_string(),
        json!({"balance": format!("{:#x}", U256::MAX)}),
    );
    overrides.insert(
        scratch_root.to_string(),
        json!({"code": Bytes::from(devnode_wasm::root_code(wasm.len() as u32, &scratch_list))}),
    );
    for (a, f) in scratch.iter().zip(&fragments) {
        overrides.insert(a.to_string(), json!({"code": Bytes::from(f.clone())}));
    }
    let quote = call(
        &node,
        "eth_call",
        json!([
            {"from": sender, "to": ARB_WASM, "data": Bytes::from(ArbWasm::activateProgramCall { program: scratch_root }.abi_encode()), "value": "0xde0b6b3a7640000"},
            "latest",
            overrides
        ]),
    )
    .await
    .unwrap();
    let quote: Bytes = serde_json::from_value(quote).unwrap();
    assert_eq!(quote.len(), 64, "(version, dataFee)");

    let root = deploy_stylus(&p, &root_code).await;
    let gas = activate(&p, root).await;
    println!("activation of the 2-fragment root: {gas} gas");
    let out = p
        .call(TransactionRequest::default().with_to(root))
        .await
        .unwrap();
    assert_eq!(out.len(), 32);
}

#[tokio::test]
async fn fragments_are_refused_below_60() {
    let node = node();
    let p = provider(&node, dev());
    let e = p
        .call(
            TransactionRequest::default()
                .with_to(ARB_OWNER_PUBLIC)
                .with_input(ArbOwnerPublic::getMaxStylusContractFragmentsCall {}.abi_encode()),
        )
        .await;
    assert!(
        e.is_err(),
        "cargo-stylus reads a revert as `contract too large`"
    );
    let fragment = &devnode_wasm::fragment_program(&program(30_000, 4), 24_576)[0];
    let mut init = vec![0x7f];
    init.extend_from_slice(&U256::from(fragment.len()).to_be_bytes::<32>());
    init.extend_from_slice(&[0x80, 0x60, 43, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3, 0x00]);
    init.extend_from_slice(fragment);
    let r = p
        .send_transaction(
            TransactionRequest::default()
                .with_deploy_code(init)
                .with_gas_limit(10_000_000),
        )
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    assert!(
        !r.status(),
        "EF F0 01 code is not exempt from EIP-3541 at ArbOS 51"
    );
}

/// Gas used by two calls of one program sent in the same block (automine off), the second
/// transaction's gas as its `callTracer` replay reports it, and the program's
/// `programInitGas` pair (uncached, cached).
async fn two_calls_in_one_block(arbos_version: u64) -> ([u64; 2], u64, (u64, u64)) {
    let node = node_with(DevnodeConfig {
        arbos_version,
        ..DevnodeConfig::default()
    });
    let p = provider(&node, dev());
    let code = devnode_wasm::compress_program(&program(64, 3));
    let program = deploy_stylus(&p, &code).await;
    activate(&p, program).await;
    let init = eth_call(&p, ARB_WASM, ArbWasm::programInitGasCall { program }).await;
    call(&node, "evm_setAutomine", json!([false]))
        .await
        .unwrap();
    let mut hashes = Vec::new();
    for _ in 0..2 {
        let tx = TransactionRequest::default()
            .with_to(program)
            .with_gas_limit(1_000_000);
        hashes.push(*p.send_transaction(tx).await.unwrap().tx_hash());
    }
    call(&node, "evm_mine", json!([])).await.unwrap();
    let mut gas = [0; 2];
    let mut blocks = [None; 2];
    for (i, h) in hashes.iter().enumerate() {
        let r = p.get_transaction_receipt(*h).await.unwrap().unwrap();
        assert!(r.status());
        (gas[i], blocks[i]) = (r.gas_used, r.block_number);
    }
    assert_eq!(blocks[0], blocks[1], "one block");
    let trace = call(
        &node,
        "debug_traceTransaction",
        json!([hashes[1], {"tracer": "callTracer"}]),
    )
    .await
    .unwrap();
    let traced = u64::from_str_radix(
        trace["gasUsed"].as_str().unwrap().trim_start_matches("0x"),
        16,
    )
    .unwrap();
    (gas, traced, (init.gas, init.gasWhenCached))
}

#[tokio::test]
async fn recent_program_cache_is_shared_by_a_blocks_transactions_at_60() {
    let ([first, second], traced, (uncached, cached)) = two_calls_in_one_block(60).await;
    assert!(uncached > cached, "{uncached} > {cached}");
    assert_eq!(
        first - second,
        uncached - cached,
        "the second transaction of the block enters the program at the cached price"
    );
    assert_eq!(traced, second, "a replay rebuilds the block's cache");
}

#[tokio::test]
async fn recent_program_cache_is_not_consulted_at_51() {
    let ([first, second], traced, _) = two_calls_in_one_block(51).await;
    assert_eq!(first, second);
    assert_eq!(traced, second);
}
