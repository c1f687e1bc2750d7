//! Measurements on the project's real contract wasm (`target/stylus/*.wasm`, written by the wasm
//! pipeline, which CI runs before the tests): test-token's cached vs uncached entry through the
//! CacheManager, and staking-vault compressed at brotli quality 1 (over 24 KiB) split-deployed
//! as fragments at ArbOS 60. Prints the figures the README quotes.

use std::path::PathBuf;

use crate::pchain::*;
use alloy::primitives::{Address, U256};
use alloy::sol_types::SolCall;
use devnode_exec::evm::ArbConfig;
use devnode_exec::precompiles::abi::*;
use devnode_exec::precompiles::{ARB_WASM, CACHE_MANAGER};
use devnode_wasm::StylusParams;

fn artifact(name: &str) -> Option<Vec<u8>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../target/stylus")
        .join(format!("{name}.wasm"));
    match std::fs::read(&path) {
        Ok(w) => Some(w),
        Err(_) => {
            eprintln!(
                "skipped: {} not built (cargo run -p scripts -- build)",
                path.display()
            );
            None
        }
    }
}

fn activate(c: &mut Chain, program: Address) -> Receipt {
    c.tx(
        ALICE,
        ARB_WASM,
        ArbWasm::activateProgramCall { program }.abi_encode(),
        U256::from(10u64.pow(18)),
    )
}

#[test]
fn test_token_cached_vs_uncached_entry() {
    let Some(wasm) = artifact("test-token") else {
        return;
    };
    let mut c = Chain::new();
    let token = c.deploy_code(ALICE, &stylus_code(&wasm));
    let r = activate(&mut c, token);
    assert!(r.is_success(), "{:?}", r.result);
    println!("test-token activation: {} gas", r.gas_used());

    let total_supply = [0x18, 0x16, 0x0d, 0xdd];
    let uncached = c.tx(BOB, token, total_supply.to_vec(), U256::ZERO);
    assert!(uncached.is_success(), "{:?}", uncached.result);
    let r = c.tx(
        ALICE,
        CACHE_MANAGER,
        CacheManager::placeBidCall { program: token }.abi_encode(),
        U256::ZERO,
    );
    assert!(r.is_success(), "{:?}", r.result);
    let cached = c.tx(BOB, token, total_supply.to_vec(), U256::ZERO);
    assert!(cached.is_success());

    let act = devnode_wasm::activate(&wasm, 128, &StylusParams::default(), true, 51).unwrap();
    let p = StylusParams::default();
    let entry_uncached = p.program_init_gas(act.init_cost, act.cached_init_cost, false);
    let entry_cached = p.program_init_gas(act.init_cost, act.cached_init_cost, true);
    assert_eq!(
        uncached.gas_used() - cached.gas_used(),
        entry_uncached - entry_cached
    );
    println!(
        "test-token entry gas: uncached {entry_uncached}, cached {entry_cached}; \
         totalSupply() tx: uncached {} gas, cached {} gas",
        uncached.gas_used(),
        cached.gas_used()
    );
}

#[test]
fn staking_vault_at_low_brotli_quality_split_deploys_at_60() {
    let Some(wasm) = artifact("staking-vault") else {
        return;
    };
    let stream = devnode_wasm::brotli_compress(&wasm, 1);
    assert!(stream.len() + 4 > 24_576, "{} bytes", stream.len());
    let fragments = devnode_wasm::fragment_stream(&stream, 24_576);
    assert!(fragments.len() <= 2, "{} fragments", fragments.len());

    let mut c = Chain::with_config(ArbConfig {
        arbos_version: 60,
        ..ArbConfig::default()
    });
    let addrs: Vec<[u8; 20]> = fragments
        .iter()
        .map(|f| c.deploy_code(ALICE, f).0 .0)
        .collect();
    let root = c.deploy_code(ALICE, &devnode_wasm::root_code(wasm.len() as u32, &addrs));
    let r = activate(&mut c, root);
    assert!(r.is_success(), "{:?}", r.result);
    println!(
        "staking-vault at brotli quality 1: {} compressed bytes in {} fragments; activation {} gas",
        stream.len(),
        fragments.len(),
        r.gas_used()
    );
    // The program runs: an unknown selector reverts with the router's error, not a halt.
    let out = c.call(BOB, root, vec![0xde, 0xad, 0xbe, 0xef], U256::ZERO);
    assert!(
        out.is_success() || out.is_revert(),
        "the program ran: {:?}",
        out.result
    );

    // Below ArbOS 60 the split deploy is refused at its first fragment.
    let mut old = Chain::new();
    let r = old.send(
        ALICE,
        revm::primitives::TxKind::Create,
        prelude(&fragments[0]),
        U256::ZERO,
        10_000_000,
    );
    assert!(!r.is_success());
}
