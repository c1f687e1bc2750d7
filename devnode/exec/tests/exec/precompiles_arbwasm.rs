//! ArbWasm activation and lifecycle, ArbWasmCache, and the StylusDeployer, on real wasm.

use crate::pchain::*;
use alloy::primitives::{Address, Bytes, B256, U256};
use alloy::sol_types::{SolCall, SolError, SolEvent};
use devnode_exec::precompiles::abi::*;
use devnode_exec::precompiles::{ARB_OWNER, ARB_WASM, ARB_WASM_CACHE, STYLUS_DEPLOYER};
use devnode_exec::programs::ARBOS_EPOCH;
use devnode_wasm::data_pricer::DataPricer;
use devnode_wasm::StylusParams;
use revm::primitives::TxKind;

const DAY: u64 = 86_400;

/// What devnode-wasm computes for `wasm` (to derive the expected fee and gas).
fn expected_activation(wasm: &[u8]) -> devnode_wasm::Activation {
    devnode_wasm::activate(wasm, 128, &StylusParams::default(), true, 51).expect("valid program")
}

/// Fee of activating `asm_estimate` bytes on a fresh pricer at `now`.
fn fresh_fee(asm_estimate: u32, now: u64) -> U256 {
    U256::from(DataPricer::default().update(asm_estimate, now))
}

fn activate_data(program: Address) -> Vec<u8> {
    ArbWasm::activateProgramCall { program }.abi_encode()
}

fn codehash_version(c: &mut Chain, h: B256) -> crate::pchain::Receipt {
    c.call(
        ALICE,
        ARB_WASM,
        ArbWasm::codehashVersionCall { codehash: h }.abi_encode(),
        U256::ZERO,
    )
}

fn version_of(c: &mut Chain, program: Address) -> crate::pchain::Receipt {
    let h = c.codehash(program);
    codehash_version(c, h)
}

#[test]
fn activation_charges_the_exact_fee_and_gas_and_refunds_the_excess() {
    let mut c = Chain::new();
    let wasm = program_wasm(0, 1);
    let program = c.deploy_code(ALICE, &stylus_code(&wasm));
    let h = c.codehash(program);
    let exp = expected_activation(&wasm);
    let now = c.block.timestamp;
    let fee = fresh_fee(exp.asm_estimate, now);
    assert!(fee > U256::ZERO);

    // Not active yet.
    let r = codehash_version(&mut c, h);
    assert_eq!(
        r.output(),
        Bytes::from(ArbWasm::ProgramNotActivated {}.abi_encode())
    );

    // cargo-stylus' fee probe: eth_call with 1 ETH.
    let r = c.call(
        ALICE,
        ARB_WASM,
        activate_data(program),
        U256::from(10u64.pow(18)),
    );
    assert!(r.is_success(), "{:?}", r.result);
    let out = ArbWasm::activateProgramCall::abi_decode_returns(&r.output()).unwrap();
    assert_eq!(out.version, 2);
    assert_eq!(out.dataFee, fee);

    // The real activation with twice the fee: the excess comes back.
    let alice_before = c.balance(ALICE);
    let owner_before = c.balance(OWNER);
    let data = activate_data(program);
    let r = c.tx(ALICE, ARB_WASM, data.clone(), fee * U256::from(2));
    assert!(r.is_success(), "{:?}", r.result);
    let gas_cost = U256::from(r.gas_used()) * U256::from(GAS_PRICE);
    assert_eq!(alice_before - c.balance(ALICE), gas_cost + fee);
    assert_eq!(
        c.balance(OWNER) - owner_before,
        fee,
        "fee goes to the network fee account"
    );
    assert_eq!(c.balance(ARB_WASM), U256::ZERO);

    // Gas: args 3 + fixed + params 100 + record 800 + compute + module hash 20 000 + pricer
    // (5 reads, 2 writes) + record 20 000 + fee account 800 + event + result 2 words.
    let event = 375 + 375 * 2 + 8 * 128;
    let exec = 3
        + 1_659_168
        + 100
        + 800
        + exp.compile_gas
        + 20_000
        + 5 * 800
        + 2 * 20_000
        + 20_000
        + 800
        + event
        + 6;
    assert_eq!(r.gas_used(), expected_call_gas(&data, exec));
    eprintln!(
        "activation of a {}-byte wasm: {} gas (compute {}), data fee {} wei, asm estimate {}",
        wasm.len(),
        r.gas_used(),
        exp.compile_gas,
        fee,
        exp.asm_estimate
    );

    // The event.
    let logs = r.logs();
    assert_eq!(logs.len(), 1);
    assert_eq!(logs[0].address, ARB_WASM);
    let ev = ArbWasm::ProgramActivated::decode_log_data(&logs[0].data).unwrap();
    assert_eq!(ev.codehash, h);
    assert_eq!(ev.program, program);
    assert_eq!(ev.dataFee, fee);
    assert_eq!(ev.version, 2);
    assert_eq!(ev.moduleHash, B256::from(exp.module_hash));

    // Views.
    let r = codehash_version(&mut c, h);
    assert_eq!(word(&r.output()), U256::from(2));
    let r = c.call(
        ALICE,
        ARB_WASM,
        ArbWasm::programVersionCall { program }.abi_encode(),
        U256::ZERO,
    );
    assert_eq!(word(&r.output()), U256::from(2));
    let r = c.call(
        ALICE,
        ARB_WASM,
        ArbWasm::codehashAsmSizeCall { codehash: h }.abi_encode(),
        U256::ZERO,
    );
    assert_eq!(
        word(&r.output()),
        U256::from(exp.asm_estimate.div_ceil(1024) * 1024)
    );
    let r = c.call(
        ALICE,
        ARB_WASM,
        ArbWasm::programInitGasCall { program }.abi_encode(),
        U256::ZERO,
    );
    let g = ArbWasm::programInitGasCall::abi_decode_returns(&r.output()).unwrap();
    let p = StylusParams::default();
    assert_eq!(g.gasWhenCached, p.cached_gas(exp.cached_init_cost));
    assert_eq!(
        g.gas,
        p.cached_gas(exp.cached_init_cost) + p.init_gas(exp.init_cost)
    );
    let r = c.call(
        ALICE,
        ARB_WASM,
        ArbWasm::programMemoryFootprintCall { program }.abi_encode(),
        U256::ZERO,
    );
    assert_eq!(word(&r.output()), U256::from(1));
    let r = c.call(
        ALICE,
        ARB_WASM,
        ArbWasm::programTimeLeftCall { program }.abi_encode(),
        U256::ZERO,
    );
    let activated_at = ARBOS_EPOCH + (now - ARBOS_EPOCH) / 3600 * 3600;
    assert_eq!(
        word(&r.output()),
        U256::from(365 * DAY - (now - activated_at))
    );

    // Re-activation: ProgramUpToDate, gas kept.
    let r = c.send(
        ALICE,
        TxKind::Call(ARB_WASM),
        activate_data(program),
        U256::from(fee),
        3_000_000,
    );
    assert!(r.is_revert());
    assert_eq!(
        r.output(),
        Bytes::from(ArbWasm::ProgramUpToDate {}.abi_encode())
    );
    assert!(r.gas_used() < 1_800_000);
}

#[test]
fn insufficient_value_reverts_with_have_and_want() {
    let mut c = Chain::new();
    let wasm = program_wasm(0, 2);
    let program = c.deploy_code(ALICE, &stylus_code(&wasm));
    let fee = fresh_fee(expected_activation(&wasm).asm_estimate, c.block.timestamp);
    let before = c.balance(ALICE);
    let r = c.tx(ALICE, ARB_WASM, activate_data(program), U256::from(1));
    assert!(r.is_revert());
    let want = ArbWasm::ProgramInsufficientValue {
        have: U256::from(1),
        want: fee,
    };
    assert_eq!(r.output(), Bytes::from(want.abi_encode()));
    // Only gas was paid; nothing stays activated.
    assert_eq!(
        before - c.balance(ALICE),
        U256::from(r.gas_used()) * U256::from(GAS_PRICE)
    );
    let r = version_of(&mut c, program);
    assert_eq!(
        r.output(),
        Bytes::from(ArbWasm::ProgramNotActivated {}.abi_encode())
    );
}

#[test]
fn activation_rolls_back_with_the_transaction() {
    let mut c = Chain::new();
    let wasm = program_wasm(0, 3);
    let program = c.deploy_code(ALICE, &stylus_code(&wasm));
    // Forwards calldata + value to 0x71, then reverts (or stops).
    let fwd = |last: u8| {
        vec![
            0x36, 0x5f, 0x5f, 0x37, // calldatacopy(0, 0, size)
            0x5f, 0x5f, 0x36, 0x5f, 0x34, 0x60, 0x71, 0x5a,
            0xf1, // call(gas, 0x71, value, 0, size, 0, 0)
            0x5f, 0x5f, last, // revert(0, 0) / stop
        ]
    };
    let reverter = c.deploy_evm(ALICE, &fwd(0xfd));
    let r = c.tx(
        ALICE,
        reverter,
        activate_data(program),
        U256::from(10u64.pow(18)),
    );
    assert!(r.is_revert());
    let r = version_of(&mut c, program);
    assert_eq!(
        r.output(),
        Bytes::from(ArbWasm::ProgramNotActivated {}.abi_encode())
    );

    // Through a contract that does not revert: active, and the excess went to that contract
    // (the precompile's caller), not to the transaction sender.
    let proxy = c.deploy_evm(ALICE, &fwd(0x00));
    let fee = fresh_fee(expected_activation(&wasm).asm_estimate, c.block.timestamp);
    let value = U256::from(10u64.pow(18));
    let r = c.tx(ALICE, proxy, activate_data(program), value);
    assert!(r.is_success());
    let r = version_of(&mut c, program);
    assert_eq!(word(&r.output()), U256::from(2));
    assert_eq!(c.balance(proxy), value - fee);
}

#[test]
fn activation_failures() {
    let mut c = Chain::new();
    // Invalid program (no entrypoint): non-revert error whose message reaches the result.
    let bad = wat::parse_str(
        r#"(module (import "vm_hooks" "pay_for_memory_grow" (func (param i32))) (memory (export "memory") 1 1))"#,
    )
    .unwrap();
    let program = c.deploy_code(ALICE, &stylus_code(&bad));
    let r = c.send(
        ALICE,
        TxKind::Call(ARB_WASM),
        activate_data(program),
        U256::from(10u64.pow(18)),
        3_000_000,
    );
    let msg = r.halt_message().expect("a halt with context");
    assert!(msg.starts_with("program activation failed: "), "{msg}");
    assert_eq!(r.gas_used(), 3_000_000);

    // Not enough gas for the compute part: also an activation failure.
    let good = c.deploy_code(ALICE, &stylus_code(&program_wasm(0, 4)));
    let r = c.send(
        ALICE,
        TxKind::Call(ARB_WASM),
        activate_data(good),
        U256::from(10u64.pow(18)),
        1_700_000,
    );
    assert_eq!(
        r.halt_message().as_deref(),
        Some("program activation failed: out of gas")
    );

    // Not Stylus code (EVM contract): plain revert, no data, gas kept.
    let evm = c.deploy_evm(ALICE, &[0x00]);
    let r = c.send(
        ALICE,
        TxKind::Call(ARB_WASM),
        activate_data(evm),
        U256::ZERO,
        3_000_000,
    );
    assert!(r.is_revert());
    assert!(r.output().is_empty());
    assert!(r.gas_used() < 2_000_000);

    // No code at all: ProgramNotWasm().
    let r = c.tx(ALICE, ARB_WASM, activate_data(BOB), U256::ZERO);
    assert_eq!(
        r.output(),
        Bytes::from(ArbWasm::ProgramNotWasm {}.abi_encode())
    );

    // Corrupt brotli stream: plain revert.
    let corrupt = c.deploy_code(ALICE, &[0xEF, 0xF0, 0x00, 0x00, 0xFF, 0xFF, 0xFF]);
    let r = c.tx(ALICE, ARB_WASM, activate_data(corrupt), U256::ZERO);
    assert!(r.is_revert());
    assert!(r.output().is_empty());
}

#[test]
fn keepalive_and_expiry() {
    let mut c = Chain::new();
    let wasm = program_wasm(0, 5);
    let program = c.deploy_code(ALICE, &stylus_code(&wasm));
    let h = c.codehash(program);
    let r = c.tx(
        ALICE,
        ARB_WASM,
        activate_data(program),
        U256::from(10u64.pow(18)),
    );
    assert!(r.is_success());

    // Too soon.
    let data = ArbWasm::codehashKeepaliveCall { codehash: h }.abi_encode();
    let r = c.tx(ALICE, ARB_WASM, data.clone(), U256::from(10u64.pow(18)));
    let e = ArbWasm::ProgramKeepaliveTooSoon::abi_decode(&r.output()).unwrap();
    assert!(e.ageInSeconds < 3600);

    // After 32 days: allowed, charges the fee again and resets the age.
    c.warp(32 * DAY);
    let before = c.balance(ALICE);
    let r = c.tx(ALICE, ARB_WASM, data.clone(), U256::from(10u64.pow(18)));
    assert!(r.is_success(), "{:?}", r.result);
    let ev = ArbWasm::ProgramLifetimeExtended::decode_log_data(&r.logs()[0].data).unwrap();
    assert_eq!(ev.codehash, h);
    assert!(ev.dataFee > U256::ZERO);
    let gas_cost = U256::from(r.gas_used()) * U256::from(GAS_PRICE);
    assert_eq!(before - c.balance(ALICE), gas_cost + ev.dataFee);
    let r = c.call(
        ALICE,
        ARB_WASM,
        ArbWasm::programTimeLeftCall { program }.abi_encode(),
        U256::ZERO,
    );
    assert!(word(&r.output()) > U256::from(364 * DAY));

    // 366 days later: expired (views and keepalive), and activation is allowed again.
    c.warp(366 * DAY);
    let r = codehash_version(&mut c, h);
    let e = ArbWasm::ProgramExpired::abi_decode(&r.output()).unwrap();
    assert!(e.ageInSeconds > 365 * DAY);
    let r = c.tx(ALICE, ARB_WASM, data, U256::from(10u64.pow(18)));
    assert!(ArbWasm::ProgramExpired::abi_decode(&r.output()).is_ok());
    let r = c.tx(
        ALICE,
        ARB_WASM,
        activate_data(program),
        U256::from(10u64.pow(18)),
    );
    assert!(r.is_success(), "{:?}", r.result);
    assert_eq!(word(&codehash_version(&mut c, h).output()), U256::from(2));
}

#[test]
fn needs_upgrade_after_a_version_change() {
    // A record written at Stylus version 1 (ArbOS 30 params) is outdated at version 2.
    let cfg = devnode_exec::evm::ArbConfig {
        arbos_version: 30,
        ..Default::default()
    };
    let mut c = Chain::with_config(cfg);
    let program = c.deploy_code(ALICE, &stylus_code(&program_wasm(0, 6)));
    let r = c.tx(
        ALICE,
        ARB_WASM,
        activate_data(program),
        U256::from(10u64.pow(18)),
    );
    assert!(r.is_success(), "{:?}", r.result);
    let mut p = devnode_exec::programs::read_params_db(&mut c.db).unwrap();
    assert_eq!(p.version, 1);
    p.version = 2;
    let mut j: revm::context::Journal<devnode_exec::evm::DevDb> =
        revm::context::JournalTr::new(std::mem::take(&mut c.db));
    devnode_exec::programs::store_params(&mut j, &mut devnode_exec::programs::Meter::free(), &p)
        .unwrap();
    let state = revm::context::JournalTr::finalize(&mut j);
    c.db = j.database;
    revm::database::DatabaseCommit::commit(&mut c.db, state);
    let r = version_of(&mut c, program);
    let want = ArbWasm::ProgramNeedsUpgrade {
        version: 1,
        stylusVersion: 2,
    };
    assert_eq!(r.output(), Bytes::from(want.abi_encode()));
}

#[test]
fn cache_managers_and_caching() {
    let mut c = Chain::new();
    let program = c.deploy_code(ALICE, &stylus_code(&program_wasm(0, 7)));
    let h = c.codehash(program);
    c.tx(
        ALICE,
        ARB_WASM,
        activate_data(program),
        U256::from(10u64.pow(18)),
    );

    // Unauthorised: all gas burned, no data.
    let data = ArbWasmCache::cacheProgramCall { addr: program }.abi_encode();
    let r = c.send(
        ALICE,
        TxKind::Call(ARB_WASM_CACHE),
        data.clone(),
        U256::ZERO,
        200_000,
    );
    assert!(matches!(
        r.result,
        revm::context::result::ExecutionResult::Halt {
            reason: revm::context::result::HaltReason::OutOfGas(_),
            ..
        }
    ));
    assert_eq!(r.gas_used(), 200_000);

    // Register BOB as a cache manager.
    let r = c.tx(
        OWNER,
        ARB_OWNER,
        ArbOwner::addWasmCacheManagerCall { manager: BOB }.abi_encode(),
        U256::ZERO,
    );
    assert!(r.is_success());
    let r = c.call(
        ALICE,
        ARB_WASM_CACHE,
        ArbWasmCache::allCacheManagersCall {}.abi_encode(),
        U256::ZERO,
    );
    assert_eq!(
        ArbWasmCache::allCacheManagersCall::abi_decode_returns(&r.output()).unwrap(),
        vec![devnode_exec::precompiles::CACHE_MANAGER, BOB],
        "the genesis CacheManager first, then the added manager"
    );
    let r = c.call(
        ALICE,
        ARB_WASM_CACHE,
        ArbWasmCache::isCacheManagerCall { manager: BOB }.abi_encode(),
        U256::ZERO,
    );
    assert_eq!(word(&r.output()), U256::from(1));

    let r = c.tx(BOB, ARB_WASM_CACHE, data.clone(), U256::ZERO);
    assert!(r.is_success(), "{:?}", r.result);
    let ev = ArbWasmCache::UpdateProgramCache::decode_log_data(&r.logs()[0].data).unwrap();
    assert_eq!((ev.manager, ev.codehash, ev.cached), (BOB, h, true));
    let r = c.call(
        ALICE,
        ARB_WASM_CACHE,
        ArbWasmCache::codehashIsCachedCall { codehash: h }.abi_encode(),
        U256::ZERO,
    );
    assert_eq!(word(&r.output()), U256::from(1));
    // Caching again changes nothing and emits nothing.
    let r = c.tx(BOB, ARB_WASM_CACHE, data, U256::ZERO);
    assert!(r.is_success());
    assert!(r.logs().is_empty());

    // The owner evicts.
    let r = c.tx(
        OWNER,
        ARB_WASM_CACHE,
        ArbWasmCache::evictCodehashCall { codehash: h }.abi_encode(),
        U256::ZERO,
    );
    assert!(r.is_success());
    assert!(
        !ArbWasmCache::UpdateProgramCache::decode_log_data(&r.logs()[0].data)
            .unwrap()
            .cached
    );
    let r = c.call(
        ALICE,
        ARB_WASM_CACHE,
        ArbWasmCache::codehashIsCachedCall { codehash: h }.abi_encode(),
        U256::ZERO,
    );
    assert_eq!(word(&r.output()), U256::ZERO);

    // Caching a program that was never activated fails with the lifecycle error.
    let other = c.deploy_code(ALICE, &stylus_code(&program_wasm(0, 8)));
    let r = c.tx(
        OWNER,
        ARB_WASM_CACHE,
        ArbWasmCache::cacheProgramCall { addr: other }.abi_encode(),
        U256::ZERO,
    );
    let e = ArbWasm::ProgramNeedsUpgrade::abi_decode(&r.output()).unwrap();
    assert_eq!((e.version, e.stylusVersion), (0, 2));

    // Removing the manager revokes access.
    c.tx(
        OWNER,
        ARB_OWNER,
        ArbOwner::removeWasmCacheManagerCall { manager: BOB }.abi_encode(),
        U256::ZERO,
    );
    let r = c.send(
        BOB,
        TxKind::Call(ARB_WASM_CACHE),
        ArbWasmCache::evictCodehashCall { codehash: h }.abi_encode(),
        U256::ZERO,
        100_000,
    );
    assert_eq!(r.gas_used(), 100_000);
}

#[test]
fn deployer_without_constructor() {
    let mut c = Chain::new();
    let wasm = program_wasm(0, 9);
    let initcode = prelude(&stylus_code(&wasm));
    let fee = fresh_fee(expected_activation(&wasm).asm_estimate, c.block.timestamp);
    let before = c.balance(ALICE);
    let data = StylusDeployer::deployCall {
        bytecode: initcode.into(),
        initData: Bytes::new(),
        initValue: U256::ZERO,
        salt: B256::ZERO,
    }
    .abi_encode();
    let extra = U256::from(12345);
    let r = c.tx(ALICE, STYLUS_DEPLOYER, data, fee + extra);
    assert!(r.is_success(), "{:?}", r.result);
    let addr = StylusDeployer::deployCall::abi_decode_returns(&r.output()).unwrap();
    assert_eq!(addr, STYLUS_DEPLOYER.create(1));
    let logs = r.logs();
    assert!(logs
        .iter()
        .any(|l| ArbWasm::ProgramActivated::decode_log_data(&l.data).is_ok()));
    let last = logs.last().unwrap();
    assert_eq!(last.address, STYLUS_DEPLOYER);
    assert_eq!(
        StylusDeployer::ContractDeployed::decode_log_data(&last.data)
            .unwrap()
            .deployedContract,
        addr
    );
    let gas_cost = U256::from(r.gas_used()) * U256::from(GAS_PRICE);
    assert_eq!(before - c.balance(ALICE), gas_cost + fee, "excess refunded");
    assert_eq!(c.balance(STYLUS_DEPLOYER), U256::ZERO);
    assert_eq!(word(&version_of(&mut c, addr).output()), U256::from(2));
    let r = c.call(
        ALICE,
        STYLUS_DEPLOYER,
        StylusDeployer::requiresActivationCall { addr }.abi_encode(),
        U256::ZERO,
    );
    assert_eq!(word(&r.output()), U256::ZERO);

    // Same code again: no activation needed, no fee; value must then be zero-refunded.
    let data = StylusDeployer::deployCall {
        bytecode: prelude(&stylus_code(&wasm)).into(),
        initData: Bytes::new(),
        initValue: U256::ZERO,
        salt: B256::ZERO,
    }
    .abi_encode();
    let r = c.tx(ALICE, STYLUS_DEPLOYER, data, U256::ZERO);
    assert!(r.is_success(), "{:?}", r.result);
    assert!(!r
        .logs()
        .iter()
        .any(|l| ArbWasm::ProgramActivated::decode_log_data(&l.data).is_ok()));
}

#[test]
fn deployer_with_constructor_and_create2() {
    let mut c = Chain::new();
    let wasm = program_wasm(0, 10);
    let initcode = prelude(&stylus_code(&wasm));
    let fee = fresh_fee(expected_activation(&wasm).asm_estimate, c.block.timestamp);
    let init_data: Bytes = vec![0x55, 0x85, 0x25, 0x8d].into();
    let salt = B256::repeat_byte(1);
    let init_value = U256::from(1000);
    let data = StylusDeployer::deployCall {
        bytecode: initcode.clone().into(),
        initData: init_data.clone(),
        initValue: init_value,
        salt,
    }
    .abi_encode();
    let r = c.tx(
        ALICE,
        STYLUS_DEPLOYER,
        data,
        fee + init_value + U256::from(7),
    );
    assert!(r.is_success(), "{:?}", r.result);
    let addr = StylusDeployer::deployCall::abi_decode_returns(&r.output()).unwrap();
    let salt2 = devnode_exec::precompiles::deployer_init_salt(salt, &init_data);
    assert_eq!(
        addr,
        STYLUS_DEPLOYER.create2(salt2, alloy::primitives::keccak256(&initcode))
    );
    assert_eq!(
        c.balance(addr),
        init_value,
        "constructor received initValue"
    );
    assert_eq!(c.balance(STYLUS_DEPLOYER), U256::ZERO);
    let r = c.call(
        ALICE,
        STYLUS_DEPLOYER,
        StylusDeployer::initSaltCall {
            salt,
            initData: init_data,
        }
        .abi_encode(),
        U256::ZERO,
    );
    assert_eq!(r.output().as_ref(), salt2.as_slice());
}

#[test]
fn deployer_errors() {
    let mut c = Chain::new();
    // Constructor reverts → ContractInitializationError(address, data).
    let wasm = program_wasm(1, 11);
    let initcode = prelude(&stylus_code(&wasm));
    let data = StylusDeployer::deployCall {
        bytecode: initcode.into(),
        initData: vec![1, 2, 3, 4].into(),
        initValue: U256::ZERO,
        salt: B256::ZERO,
    }
    .abi_encode();
    let r = c.tx(ALICE, STYLUS_DEPLOYER, data, U256::from(10u64.pow(18)));
    assert!(r.is_revert(), "{:?}", r.result);
    let e = StylusDeployer::ContractInitializationError::abi_decode(&r.output()).unwrap();
    assert_eq!(e.newContract, STYLUS_DEPLOYER.create(1));

    // Empty bytecode.
    let data = StylusDeployer::deployCall {
        bytecode: Bytes::new(),
        initData: Bytes::new(),
        initValue: U256::ZERO,
        salt: B256::ZERO,
    }
    .abi_encode();
    let r = c.tx(ALICE, STYLUS_DEPLOYER, data, U256::ZERO);
    assert_eq!(
        r.output(),
        Bytes::from(StylusDeployer::EmptyBytecode {}.abi_encode())
    );

    // initValue without initData.
    let wasm = program_wasm(0, 12);
    let data = StylusDeployer::deployCall {
        bytecode: prelude(&stylus_code(&wasm)).into(),
        initData: Bytes::new(),
        initValue: U256::from(1),
        salt: B256::ZERO,
    }
    .abi_encode();
    let r = c.tx(ALICE, STYLUS_DEPLOYER, data, U256::from(10u64.pow(18)));
    assert_eq!(
        r.output(),
        Bytes::from(StylusDeployer::InitValueButNotInitData {}.abi_encode())
    );

    // Not enough value for the data fee: ArbWasm's error bubbles up.
    let data = StylusDeployer::deployCall {
        bytecode: prelude(&stylus_code(&wasm)).into(),
        initData: Bytes::new(),
        initValue: U256::ZERO,
        salt: B256::ZERO,
    }
    .abi_encode();
    let r = c.tx(ALICE, STYLUS_DEPLOYER, data, U256::from(1));
    assert!(
        ArbWasm::ProgramInsufficientValue::abi_decode(&r.output()).is_ok(),
        "{:?}",
        r.result
    );

    // initValue above msg.value when activation is needed: Solidity's checked subtraction.
    let data = StylusDeployer::deployCall {
        bytecode: prelude(&stylus_code(&program_wasm(0, 14))).into(),
        initData: vec![1].into(),
        initValue: U256::from(10),
        salt: B256::ZERO,
    }
    .abi_encode();
    let r = c.tx(ALICE, STYLUS_DEPLOYER, data, U256::from(5));
    assert_eq!(
        r.output(),
        Bytes::from(
            Panic {
                code: U256::from(0x11)
            }
            .abi_encode()
        )
    );

    // Unknown selector: plain revert, gas kept (it is a contract, not a precompile).
    let r = c.send(
        ALICE,
        TxKind::Call(STYLUS_DEPLOYER),
        vec![1, 2, 3, 4],
        U256::ZERO,
        500_000,
    );
    assert!(r.is_revert());
    assert!(r.gas_used() < 100_000);

    // Reverting initcode: the revert data bubbles up.
    let reverting = vec![0x60, 0x2a, 0x5f, 0x52, 0x60, 0x20, 0x5f, 0xfd]; // revert(0, 32) with 42
    let data = StylusDeployer::deployCall {
        bytecode: reverting.into(),
        initData: Bytes::new(),
        initValue: U256::ZERO,
        salt: B256::ZERO,
    }
    .abi_encode();
    let r = c.tx(ALICE, STYLUS_DEPLOYER, data, U256::ZERO);
    assert!(r.is_revert());
    assert_eq!(word(&r.output()), U256::from(42));
}

#[test]
fn eth_call_activation_reads_overridden_code() {
    // cargo-stylus' fee probe: the program's code exists only as a state override (here: put in
    // the database without a deployment), the sender has 2^256 − 1 wei, value 1 ETH.
    let mut c = Chain::new();
    let wasm = program_wasm(0, 13);
    let target = Address::repeat_byte(0x42);
    let sender = Address::repeat_byte(0x43);
    let code = revm::bytecode::Bytecode::new_raw(stylus_code(&wasm).into());
    c.db.insert_account_info(target, revm::state::AccountInfo::default().with_code(code));
    c.db.insert_account_info(
        sender,
        revm::state::AccountInfo {
            balance: U256::MAX,
            ..Default::default()
        },
    );
    let r = c.call(
        sender,
        ARB_WASM,
        activate_data(target),
        U256::from(10u64.pow(18)),
    );
    assert!(r.is_success(), "{:?}", r.result);
    let out = ArbWasm::activateProgramCall::abi_decode_returns(&r.output()).unwrap();
    let fee = fresh_fee(expected_activation(&wasm).asm_estimate, c.block.timestamp);
    assert_eq!(out.dataFee, fee);
    // An eth_call commits nothing.
    let r = version_of(&mut c, target);
    assert_eq!(
        r.output(),
        Bytes::from(ArbWasm::ProgramNotActivated {}.abi_encode())
    );
}

#[test]
fn spec_data_fee_example() {
    // §1.9: asm 1 197 090 on a fresh pricer → ≈ 1.05e14 wei.
    let fee: u128 = DataPricer::default().update(1_197_090, ARBOS_EPOCH + 1);
    assert!((1.0e14..1.1e14).contains(&(fee as f64)), "{fee}");
}
