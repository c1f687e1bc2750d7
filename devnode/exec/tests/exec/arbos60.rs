//! ArbOS 60 on the exec layer: root + fragment programs (split deployment as `cargo stylus
//! deploy` does it for code over 24 KiB), fragment prefix rules, `MaxFragmentCount`,
//! `ActivationGas`, multi-value rejection and the version gates below 60.

use crate::pchain::*;
use alloy::primitives::{Address, U256};
use alloy::sol_types::{SolCall, SolError};
use devnode_exec::evm::ArbConfig;
use devnode_exec::precompiles::abi::*;
use devnode_exec::precompiles::{ARB_OWNER, ARB_OWNER_PUBLIC, ARB_WASM};
use revm::bytecode::Bytecode;
use revm::context::result::{ExecutionResult, HaltReason};
use revm::primitives::TxKind;
use revm::state::AccountInfo;

const MAX_CODE_SIZE: usize = 24_576;

fn chain(arbos_version: u64) -> Chain {
    Chain::with_config(ArbConfig {
        arbos_version,
        ..ArbConfig::default()
    })
}

/// Deterministic incompressible bytes.
fn noise(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// A program with a `data_len`-byte incompressible data segment at 0x100 whose entrypoint returns
/// the segment's first 32 bytes (so a call proves the whole wasm was reassembled).
fn big_wasm(data_len: usize, seed: u64) -> Vec<u8> {
    let data: String = noise(data_len, seed)
        .iter()
        .map(|b| format!("\\{b:02x}"))
        .collect();
    let wat = format!(
        r#"(module
  (import "vm_hooks" "pay_for_memory_grow" (func (param i32)))
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (memory (export "memory") 1 1)
  (data (i32.const 256) "{data}")
  (func (export "user_entrypoint") (param i32) (result i32)
    (call $write_result (i32.const 256) (i32.const 32))
    i32.const 0))"#
    );
    wat::parse_str(wat).expect("valid wat")
}

/// Deploys `wasm` split as cargo-stylus does (fragments of `MaxCodeSize − 3` bytes, then the
/// root); returns `(root, fragments)`.
fn split_deploy(c: &mut Chain, wasm: &[u8]) -> (Address, Vec<Address>) {
    let fragments: Vec<Address> = devnode_wasm::fragment_program(wasm, MAX_CODE_SIZE)
        .iter()
        .map(|code| {
            assert!(code.len() <= MAX_CODE_SIZE);
            c.deploy_code(ALICE, code)
        })
        .collect();
    let list: Vec<[u8; 20]> = fragments.iter().map(|a| a.0 .0).collect();
    let root = c.deploy_code(ALICE, &devnode_wasm::root_code(wasm.len() as u32, &list));
    (root, fragments)
}

fn activate(c: &mut Chain, program: Address) -> Receipt {
    c.tx(
        ALICE,
        ARB_WASM,
        ArbWasm::activateProgramCall { program }.abi_encode(),
        U256::from(10u64.pow(18)),
    )
}

fn set_code(c: &mut Chain, a: Address, code: Vec<u8>) {
    c.db.insert_account_info(
        a,
        AccountInfo::default().with_code(Bytecode::new_raw(code.into())),
    );
}

fn max_fragments(c: &mut Chain) -> Receipt {
    c.call(
        ALICE,
        ARB_OWNER_PUBLIC,
        ArbOwnerPublic::getMaxStylusContractFragmentsCall {}.abi_encode(),
        U256::ZERO,
    )
}

#[test]
fn split_deployed_program_over_24_kib_deploys_activates_and_runs_at_60() {
    let mut c = chain(60);
    let wasm = big_wasm(30_000, 1);
    let classic = devnode_wasm::compress_program(&wasm);
    assert!(classic.len() > MAX_CODE_SIZE, "{} bytes", classic.len());

    // cargo-stylus asks for the fragment limit first.
    let r = max_fragments(&mut c);
    assert!(r.is_success(), "{:?}", r.result);
    assert_eq!(word(&r.output()), U256::from(2));

    let (root, fragments) = split_deploy(&mut c, &wasm);
    assert_eq!(fragments.len(), 2);
    let r = activate(&mut c, root);
    assert!(r.is_success(), "{:?}", r.result);
    let activation_gas = r.gas_used();
    let out = ArbWasm::activateProgramCall::abi_decode_returns(&r.output()).unwrap();
    assert_eq!(out.version, 2);
    println!(
        "activation of a 2-fragment root ({} bytes of wasm): {activation_gas} gas",
        wasm.len()
    );

    // The root runs; its output proves the reassembled wasm.
    let r = c.tx(BOB, root, vec![], U256::ZERO);
    assert!(r.is_success(), "{:?}", r.result);
    let data = &noise(30_000, 1)[..32];
    assert_eq!(r.output().as_ref(), data);

    // Fragments are not executable: 0xEF is an invalid opcode (all gas).
    let r = c.send(BOB, TxKind::Call(fragments[0]), vec![], U256::ZERO, 100_000);
    assert!(
        matches!(r.result, ExecutionResult::Halt { .. }),
        "{:?}",
        r.result
    );
    assert_eq!(r.gas_used(), 100_000);

    // Fragments cannot be activated directly (plain revert, no data).
    let r = activate(&mut c, fragments[0]);
    assert!(r.is_revert(), "{:?}", r.result);
    assert!(r.output().is_empty());

    // Activating again: up to date.
    let r = activate(&mut c, root);
    assert_eq!(
        r.output().as_ref(),
        ArbWasm::ProgramUpToDate {}.abi_encode().as_slice()
    );
}

fn program_at(c: &mut Chain, code: Vec<u8>, last: u8) -> Address {
    let a = Address::with_last_byte(last).create(7);
    set_code(c, a, code);
    a
}

#[test]
fn root_activation_charges_each_fragment_read() {
    // The same wasm as a classic program (installed directly, over the deploy limit) and as a
    // root: the root pays, per fragment, the cold access and 3 gas per word of its code.
    let wasm = big_wasm(30_000, 2);
    let mut classic_chain = chain(60);
    let classic = program_at(&mut classic_chain, devnode_wasm::compress_program(&wasm), 1);
    let classic_gas = activate(&mut classic_chain, classic).gas_used();

    let mut c = chain(60);
    let codes = devnode_wasm::fragment_program(&wasm, MAX_CODE_SIZE);
    let addrs: Vec<Address> = codes
        .iter()
        .enumerate()
        .map(|(i, code)| program_at(&mut c, code.clone(), 0x10 + i as u8))
        .collect();
    let list: Vec<[u8; 20]> = addrs.iter().map(|a| a.0 .0).collect();
    let root = program_at(&mut c, devnode_wasm::root_code(wasm.len() as u32, &list), 1);
    assert_eq!(root, classic, "same address, same calldata");
    let r = activate(&mut c, root);
    assert!(r.is_success(), "{:?}", r.result);
    let reads: u64 = codes
        .iter()
        .map(|code| 2_600 + 3 * (code.len() as u64).div_ceil(32))
        .sum();
    assert_eq!(r.gas_used(), classic_gas + reads);
}

#[test]
fn fragment_rules() {
    let wasm = big_wasm(30_000, 3);
    let codes = devnode_wasm::fragment_program(&wasm, MAX_CODE_SIZE);
    let mut c = chain(60);
    let addrs: Vec<Address> = codes
        .iter()
        .enumerate()
        .map(|(i, code)| program_at(&mut c, code.clone(), 0x10 + i as u8))
        .collect();
    let list: Vec<[u8; 20]> = addrs.iter().map(|a| a.0 .0).collect();
    let plain_revert = |r: &Receipt| r.is_revert() && r.output().is_empty();

    // Wrong declared length.
    let bad_len = program_at(
        &mut c,
        devnode_wasm::root_code(wasm.len() as u32 + 1, &list),
        0x20,
    );
    assert!(plain_revert(&activate(&mut c, bad_len)));
    // Fragments in the wrong order.
    let swapped = program_at(
        &mut c,
        devnode_wasm::root_code(wasm.len() as u32, &[list[1], list[0]]),
        0x21,
    );
    assert!(plain_revert(&activate(&mut c, swapped)));
    // No fragment at all.
    let empty = program_at(
        &mut c,
        devnode_wasm::root_code(wasm.len() as u32, &[]),
        0x22,
    );
    assert!(plain_revert(&activate(&mut c, empty)));
    // A listed account without the EF F0 01 prefix (a classic program).
    let classic = program_at(&mut c, devnode_wasm::compress_program(&wasm), 0x23);
    let not_fragment = program_at(
        &mut c,
        devnode_wasm::root_code(wasm.len() as u32, &[list[0], classic.0 .0]),
        0x24,
    );
    assert!(plain_revert(&activate(&mut c, not_fragment)));
    // A truncated address list.
    let mut code = devnode_wasm::root_code(wasm.len() as u32, &list);
    code.pop();
    let truncated = program_at(&mut c, code, 0x25);
    assert!(plain_revert(&activate(&mut c, truncated)));

    // Three fragments exceed MaxFragmentCount = 2 until the owner raises it.
    let small = devnode_wasm::fragment_program(&wasm, 12_000);
    assert_eq!(small.len(), 3);
    let small_addrs: Vec<[u8; 20]> = small
        .iter()
        .enumerate()
        .map(|(i, code)| program_at(&mut c, code.clone(), 0x30 + i as u8).0 .0)
        .collect();
    let three = program_at(
        &mut c,
        devnode_wasm::root_code(wasm.len() as u32, &small_addrs),
        0x26,
    );
    assert!(plain_revert(&activate(&mut c, three)));
    let r = c.tx(
        ALICE,
        ARB_OWNER,
        ArbOwner::setMaxStylusContractFragmentsCall { maxFragments: 3 }.abi_encode(),
        U256::ZERO,
    );
    assert!(!r.is_success(), "only owners");
    let r = c.tx(
        OWNER,
        ARB_OWNER,
        ArbOwner::setMaxStylusContractFragmentsCall { maxFragments: 3 }.abi_encode(),
        U256::ZERO,
    );
    assert!(r.is_success(), "{:?}", r.result);
    assert_eq!(word(&max_fragments(&mut c).output()), U256::from(3));
    let r = activate(&mut c, three);
    assert!(r.is_success(), "{:?}", r.result);
    let r = c.tx(BOB, three, vec![], U256::ZERO);
    assert_eq!(r.output().as_ref(), &noise(30_000, 3)[..32]);
}

#[test]
fn below_60_fragments_are_refused() {
    let mut c = chain(51);
    // cargo-stylus treats a reverting getMaxStylusContractFragments as "contract too large".
    let r = max_fragments(&mut c);
    assert!(!r.is_success());
    // Fragment and root codes are not exempt from EIP-3541: their deployment fails.
    let wasm = big_wasm(30_000, 4);
    let codes = devnode_wasm::fragment_program(&wasm, MAX_CODE_SIZE);
    let r = c.send(
        ALICE,
        TxKind::Create,
        prelude(&codes[0]),
        U256::ZERO,
        10_000_000,
    );
    assert!(
        matches!(
            r.result,
            ExecutionResult::Halt {
                reason: HaltReason::CreateContractStartingWithEF,
                ..
            }
        ),
        "{:?}",
        r.result
    );
    // A root placed in state is neither executable nor activatable below 60.
    let addrs: Vec<Address> = codes
        .iter()
        .enumerate()
        .map(|(i, code)| program_at(&mut c, code.clone(), 0x10 + i as u8))
        .collect();
    let list: Vec<[u8; 20]> = addrs.iter().map(|a| a.0 .0).collect();
    let root = program_at(&mut c, devnode_wasm::root_code(wasm.len() as u32, &list), 1);
    let r = activate(&mut c, root);
    assert!(r.is_revert() && r.output().is_empty(), "{:?}", r.result);
    let r = c.send(BOB, TxKind::Call(root), vec![], U256::ZERO, 100_000);
    assert!(matches!(r.result, ExecutionResult::Halt { .. }));
    // The ArbOS 60 owner setters do not exist yet.
    let r = c.tx(
        OWNER,
        ARB_OWNER,
        ArbOwner::setWasmActivationGasCall { gas: 1 }.abi_encode(),
        U256::ZERO,
    );
    assert!(!r.is_success());
}

#[test]
fn activation_gas_param_is_charged_at_60() {
    let wasm = program_wasm(0, 1);
    let mut c = chain(60);
    let p1 = c.deploy_code(ALICE, &stylus_code(&wasm));
    let base = activate(&mut c, p1).gas_used();

    let mut c = chain(60);
    let r = c.tx(
        OWNER,
        ARB_OWNER,
        ArbOwner::setWasmActivationGasCall { gas: 12_345 }.abi_encode(),
        U256::ZERO,
    );
    assert!(r.is_success(), "{:?}", r.result);
    let r = c.call(
        ALICE,
        ARB_WASM,
        ArbWasm::activationGasCall {}.abi_encode(),
        U256::ZERO,
    );
    assert_eq!(word(&r.output()), U256::from(12_345));
    let p1 = c.deploy_code(ALICE, &stylus_code(&wasm));
    assert_eq!(activate(&mut c, p1).gas_used(), base + 12_345);
}

const MULTI_VALUE: &str = r#"(module
  (import "vm_hooks" "pay_for_memory_grow" (func (param i32)))
  (memory (export "memory") 1 1)
  (func $pair (result i32 i32) i32.const 0 i32.const 0)
  (func (export "user_entrypoint") (param i32) (result i32)
    call $pair
    drop))"#;

#[test]
fn multi_value_is_refused_at_60_and_accepted_below() {
    let wasm = wat::parse_str(MULTI_VALUE).unwrap();
    for (version, ok) in [(51, true), (60, false)] {
        let mut c = chain(version);
        let p = c.deploy_code(ALICE, &stylus_code(&wasm));
        let r = activate(&mut c, p);
        assert_eq!(r.is_success(), ok, "ArbOS {version}: {:?}", r.result);
        if !ok {
            let msg = r.halt_message().unwrap_or_default();
            assert!(msg.starts_with("program activation failed"), "{msg}");
        }
    }
}
