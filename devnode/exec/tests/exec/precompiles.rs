//! Behaviour and gas of the Arbitrum precompiles (generic rules, ArbSys, ArbGasInfo, ArbOwner,
//! ArbOwnerPublic, ArbDebug, ArbInfo) through real transactions on the devnode context.

use crate::pchain::*;
use alloy::primitives::{Address, Bytes, B256, U256};
use alloy::sol_types::{SolCall, SolError, SolEvent};
use devnode_exec::precompiles::abi::*;
use devnode_exec::precompiles::{
    ARB_DEBUG, ARB_GAS_INFO, ARB_INFO, ARB_OWNER, ARB_OWNER_PUBLIC, ARB_SYS, ARB_WASM,
};
use revm::primitives::TxKind;

/// Deploys an EVM contract that forwards its calldata to `target` with `op` (0xFA STATICCALL,
/// 0xF4 DELEGATECALL) and returns the success flag.
fn forwarder(chain: &mut Chain, target: Address, op: u8) -> Address {
    let t = target.0 .0[19];
    let code = [
        0x36, 0x5f, 0x5f, 0x37, // calldatacopy(0, 0, size)
        0x5f, 0x5f, 0x36, 0x5f, 0x60, t, 0x5a, op, // op(gas, target, 0, size, 0, 0)
        0x5f, 0x52, 0x60, 0x20, 0x5f, 0xf3, // mstore(0, ok); return(0, 32)
    ];
    chain.deploy_evm(ALICE, &code)
}

#[test]
fn short_calldata_and_unknown_selector_revert_with_all_gas() {
    let mut c = Chain::new();
    for data in [vec![0xaa], vec![0xde, 0xad, 0xbe, 0xef], vec![]] {
        let r = c.send(ALICE, TxKind::Call(ARB_WASM), data, U256::ZERO, 100_000);
        assert!(r.is_revert(), "{:?}", r.result);
        assert_eq!(r.gas_used(), 100_000);
        assert!(r.output().is_empty());
    }
}

#[test]
fn undecodable_arguments_revert_with_all_gas() {
    let mut c = Chain::new();
    // codehashVersion(bytes32) with only 4 bytes of argument.
    let mut data = ArbWasm::codehashVersionCall::SELECTOR.to_vec();
    data.extend_from_slice(&[1, 2, 3, 4]);
    let r = c.send(ALICE, TxKind::Call(ARB_WASM), data, U256::ZERO, 100_000);
    assert!(r.is_revert());
    assert_eq!(r.gas_used(), 100_000);
}

#[test]
fn value_to_a_view_method_reverts_with_all_gas() {
    let mut c = Chain::new();
    let data = ArbWasm::stylusVersionCall {}.abi_encode();
    let r = c.send(ALICE, TxKind::Call(ARB_WASM), data, U256::from(1), 100_000);
    assert!(r.is_revert());
    assert_eq!(r.gas_used(), 100_000);
}

#[test]
fn view_gas_is_args_plus_storage_plus_result_words() {
    let mut c = Chain::new();
    // stylusVersion(): 0 argument words, params read 100, one result word 3.
    let data = ArbWasm::stylusVersionCall {}.abi_encode();
    let r = c.tx(ALICE, ARB_WASM, data.clone(), U256::ZERO);
    assert!(r.is_success());
    assert_eq!(word(&r.output()), U256::from(2));
    assert_eq!(r.gas_used(), expected_call_gas(&data, 103));

    // codehashVersion(h): one argument word 3, params 100, record 800, revert data 3 × 1 word
    // (ProgramNotActivated() is 4 bytes → 1 word), gas kept.
    let data = ArbWasm::codehashVersionCall {
        codehash: B256::repeat_byte(7),
    }
    .abi_encode();
    let r = c.tx(ALICE, ARB_WASM, data.clone(), U256::ZERO);
    assert!(r.is_revert());
    assert_eq!(
        r.output(),
        Bytes::from(ArbWasm::ProgramNotActivated {}.abi_encode())
    );
    assert_eq!(r.gas_used(), expected_call_gas(&data, 3 + 100 + 800 + 3));

    // arbBlockNumber(): no storage, one result word.
    let data = ArbSys::arbBlockNumberCall {}.abi_encode();
    let r = c.tx(ALICE, ARB_SYS, data.clone(), U256::ZERO);
    assert_eq!(r.gas_used(), expected_call_gas(&data, 3));
}

#[test]
fn param_views_return_the_arbos_51_defaults() {
    let mut c = Chain::new();
    let mut v = |data: Vec<u8>| word(&c.call(ALICE, ARB_WASM, data, U256::ZERO).output());
    assert_eq!(v(ArbWasm::inkPriceCall {}.abi_encode()), U256::from(10_000));
    assert_eq!(
        v(ArbWasm::maxStackDepthCall {}.abi_encode()),
        U256::from(22_000)
    );
    assert_eq!(v(ArbWasm::freePagesCall {}.abi_encode()), U256::from(2));
    assert_eq!(v(ArbWasm::pageGasCall {}.abi_encode()), U256::from(1_000));
    assert_eq!(
        v(ArbWasm::pageRampCall {}.abi_encode()),
        U256::from(620_674_314u64)
    );
    assert_eq!(v(ArbWasm::pageLimitCall {}.abi_encode()), U256::from(128));
    assert_eq!(
        v(ArbWasm::initCostScalarCall {}.abi_encode()),
        U256::from(100)
    );
    assert_eq!(v(ArbWasm::expiryDaysCall {}.abi_encode()), U256::from(365));
    assert_eq!(
        v(ArbWasm::keepaliveDaysCall {}.abi_encode()),
        U256::from(31)
    );
    assert_eq!(
        v(ArbWasm::blockCacheSizeCall {}.abi_encode()),
        U256::from(32)
    );
    let out = c
        .call(
            ALICE,
            ARB_WASM,
            ArbWasm::minInitGasCall {}.abi_encode(),
            U256::ZERO,
        )
        .output();
    let r = ArbWasm::minInitGasCall::abi_decode_returns(&out).unwrap();
    assert_eq!((r.gas, r.cached), (8_832, 352));
    // activationGas() exists only from ArbOS 60: unknown method → revert.
    let r = c.call(
        ALICE,
        ARB_WASM,
        ArbWasm::activationGasCall {}.abi_encode(),
        U256::ZERO,
    );
    assert!(r.is_revert());
}

#[test]
fn static_and_delegate_contexts_are_enforced() {
    let mut c = Chain::new();
    let stat = forwarder(&mut c, ARB_DEBUG, 0xfa);
    // A writing method in a static context fails (all forwarded gas burned).
    let data = ArbDebug::becomeChainOwnerCall {}.abi_encode();
    let r = c.send(ALICE, TxKind::Call(stat), data, U256::ZERO, 200_000);
    assert!(r.is_success());
    assert_eq!(word(&r.output()), U256::ZERO);
    assert!(r.gas_used() > 190_000, "{}", r.gas_used());
    // A view through STATICCALL is fine.
    let stat = forwarder(&mut c, ARB_WASM, 0xfa);
    let r = c.tx(
        ALICE,
        stat,
        ArbWasm::stylusVersionCall {}.abi_encode(),
        U256::ZERO,
    );
    assert_eq!(word(&r.output()), U256::from(1));

    let del = forwarder(&mut c, ARB_WASM, 0xf4);
    // A view reached through DELEGATECALL fails …
    let r = c.send(
        ALICE,
        TxKind::Call(del),
        ArbWasm::stylusVersionCall {}.abi_encode(),
        U256::ZERO,
        200_000,
    );
    assert_eq!(word(&r.output()), U256::ZERO);
    assert!(r.gas_used() > 190_000);
    // … a pure method does not.
    let del = forwarder(&mut c, ARB_SYS, 0xf4);
    let data = ArbSys::mapL1SenderContractAddressToL2AliasCall {
        sender: BOB,
        unused: Address::ZERO,
    }
    .abi_encode();
    let r = c.tx(ALICE, del, data, U256::ZERO);
    assert_eq!(word(&r.output()), U256::from(1));
}

#[test]
fn arbsys_views() {
    let mut c = Chain::new();
    c.block.l2_block_number = 500;
    let mut map = std::collections::BTreeMap::new();
    map.insert(499u64, B256::repeat_byte(0x49));
    map.insert(244u64, B256::repeat_byte(0x24));
    c.block.l2_block_hashes = devnode_exec::evm::BlockHashes::from_map(map);

    let r = c.call(
        ALICE,
        ARB_SYS,
        ArbSys::arbBlockNumberCall {}.abi_encode(),
        U256::ZERO,
    );
    assert_eq!(word(&r.output()), U256::from(500));
    let r = c.call(
        ALICE,
        ARB_SYS,
        ArbSys::arbOSVersionCall {}.abi_encode(),
        U256::ZERO,
    );
    assert_eq!(word(&r.output()), U256::from(106));
    let r = c.call(
        ALICE,
        ARB_SYS,
        ArbSys::arbChainIDCall {}.abi_encode(),
        U256::ZERO,
    );
    assert_eq!(word(&r.output()), U256::from(412_346));
    let r = c.call(
        ALICE,
        ARB_SYS,
        ArbSys::isTopLevelCallCall {}.abi_encode(),
        U256::ZERO,
    );
    assert_eq!(word(&r.output()), U256::from(1));
    let r = c.call(
        ALICE,
        ARB_SYS,
        ArbSys::wasMyCallersAddressAliasedCall {}.abi_encode(),
        U256::ZERO,
    );
    assert_eq!(word(&r.output()), U256::ZERO);

    let hash = |c: &mut Chain, n: u64| {
        c.call(
            ALICE,
            ARB_SYS,
            ArbSys::arbBlockHashCall {
                arbBlockNum: U256::from(n),
            }
            .abi_encode(),
            U256::ZERO,
        )
    };
    assert_eq!(
        hash(&mut c, 499).output().as_ref(),
        B256::repeat_byte(0x49).as_slice()
    );
    assert_eq!(
        hash(&mut c, 244).output().as_ref(),
        B256::repeat_byte(0x24).as_slice()
    );
    for n in [500u64, 501, 243] {
        let r = hash(&mut c, n);
        assert!(r.is_revert());
        let want = ArbSys::InvalidBlockNumber {
            requested: U256::from(n),
            current: U256::from(500),
        };
        assert_eq!(r.output(), Bytes::from(want.abi_encode()));
    }

    let data = ArbSys::mapL1SenderContractAddressToL2AliasCall {
        sender: "0xffffffffffffffffffffffffffffffffffffffff"
            .parse()
            .unwrap(),
        unused: Address::ZERO,
    }
    .abi_encode();
    let r = c.call(ALICE, ARB_SYS, data, U256::ZERO);
    let a =
        ArbSys::mapL1SenderContractAddressToL2AliasCall::abi_decode_returns(&r.output()).unwrap();
    assert_eq!(
        a,
        "0x1111000000000000000000000000000000001110"
            .parse::<Address>()
            .unwrap()
    );
}

#[test]
fn withdraw_eth_emits_l2_to_l1_tx_and_burns_the_value() {
    let mut c = Chain::new();
    let before = c.balance(ALICE);
    let value = U256::from(10u64.pow(18));
    let r = c.tx(
        ALICE,
        ARB_SYS,
        ArbSys::withdrawEthCall { destination: BOB }.abi_encode(),
        value,
    );
    assert!(r.is_success(), "{:?}", r.result);
    let logs = r.logs();
    assert_eq!(logs.len(), 1);
    let ev = ArbSys::L2ToL1Tx::decode_log_data(&logs[0].data).unwrap();
    assert_eq!(ev.caller, ALICE);
    assert_eq!(ev.destination, BOB);
    assert_eq!(ev.callvalue, value);
    assert_eq!(ev.position, U256::ZERO);
    assert_eq!(c.balance(ARB_SYS), U256::ZERO);
    let fee = U256::from(r.gas_used()) * U256::from(GAS_PRICE);
    assert_eq!(before - c.balance(ALICE), value + fee);
    // Positions count up.
    let r = c.tx(
        ALICE,
        ARB_SYS,
        ArbSys::sendTxToL1Call {
            destination: BOB,
            data: vec![1, 2].into(),
        }
        .abi_encode(),
        U256::ZERO,
    );
    let ev = ArbSys::L2ToL1Tx::decode_log_data(&r.logs()[0].data).unwrap();
    assert_eq!(ev.position, U256::from(1));
    assert_eq!(word(&r.output()), U256::from(1));
}

#[test]
fn arbgasinfo_devnode_values() {
    let mut c = Chain::new();
    let r = c.call(
        ALICE,
        ARB_GAS_INFO,
        ArbGasInfo::getMinimumGasPriceCall {}.abi_encode(),
        U256::ZERO,
    );
    assert_eq!(word(&r.output()), U256::from(100_000_000u64));
    let r = c.call(
        ALICE,
        ARB_GAS_INFO,
        ArbGasInfo::getPricesInWeiCall {}.abi_encode(),
        U256::ZERO,
    );
    let p = ArbGasInfo::getPricesInWeiCall::abi_decode_returns(&r.output()).unwrap();
    assert_eq!(p._0, U256::ZERO);
    assert_eq!(p._1, U256::ZERO);
    assert_eq!(p._2, U256::from(100_000_000u64 * 20_000));
    assert_eq!(p._5, U256::from(100_000_000u64));
    let r = c.call(
        ALICE,
        ARB_GAS_INFO,
        ArbGasInfo::getCurrentTxL1GasFeesCall {}.abi_encode(),
        U256::ZERO,
    );
    assert_eq!(word(&r.output()), U256::ZERO);
    let r = c.call(
        ALICE,
        ARB_GAS_INFO,
        ArbGasInfo::getMaxTxGasLimitCall {}.abi_encode(),
        U256::ZERO,
    );
    assert_eq!(word(&r.output()), U256::from(32_000_000));
}

#[test]
fn arbowner_is_owner_only_free_and_logged() {
    let mut c = Chain::new();
    // Non-owner: non-revert error with Nitro's message, all gas consumed.
    let data = ArbOwner::setInkPriceCall { price: 20_000 }.abi_encode();
    let r = c.send(
        ALICE,
        TxKind::Call(ARB_OWNER),
        data.clone(),
        U256::ZERO,
        100_000,
    );
    assert_eq!(
        r.halt_message().as_deref(),
        Some("unauthorized caller to access-controlled method")
    );
    assert_eq!(r.gas_used(), 100_000);

    // Owner: free (only the intrinsic gas), OwnerActs emitted.
    let r = c.tx(OWNER, ARB_OWNER, data.clone(), U256::ZERO);
    assert!(r.is_success(), "{:?}", r.result);
    assert_eq!(r.gas_used(), expected_call_gas(&data, 0));
    let logs = r.logs();
    assert_eq!(logs.len(), 1);
    let ev = ArbOwner::OwnerActs::decode_log_data(&logs[0].data).unwrap();
    assert_eq!(ev.method.0, ArbOwner::setInkPriceCall::SELECTOR);
    assert_eq!(ev.owner, OWNER);
    assert_eq!(ev.data.as_ref(), data.as_slice());
    let r = c.call(
        ALICE,
        ARB_WASM,
        ArbWasm::inkPriceCall {}.abi_encode(),
        U256::ZERO,
    );
    assert_eq!(word(&r.output()), U256::from(20_000));

    // Ink price must be a positive u24: plain revert.
    let r = c.tx(
        OWNER,
        ARB_OWNER,
        ArbOwner::setInkPriceCall { price: 1 << 24 }.abi_encode(),
        U256::ZERO,
    );
    assert!(r.is_revert());
    assert!(r.output().is_empty());

    // Other setters land in the params.
    c.tx(
        OWNER,
        ARB_OWNER,
        ArbOwner::setWasmInitCostScalarCall { percent: 151 }.abi_encode(),
        U256::ZERO,
    );
    let r = c.call(
        ALICE,
        ARB_WASM,
        ArbWasm::initCostScalarCall {}.abi_encode(),
        U256::ZERO,
    );
    assert_eq!(word(&r.output()), U256::from(152));
    c.tx(
        OWNER,
        ARB_OWNER,
        ArbOwner::setWasmMinInitGasCall {
            gas: 200,
            cached: 100,
        }
        .abi_encode(),
        U256::ZERO,
    );
    let r = c.call(
        ALICE,
        ARB_WASM,
        ArbWasm::minInitGasCall {}.abi_encode(),
        U256::ZERO,
    );
    let m = ArbWasm::minInitGasCall::abi_decode_returns(&r.output()).unwrap();
    assert_eq!((m.gas, m.cached), (256, 128));
    c.tx(
        OWNER,
        ARB_OWNER,
        ArbOwner::setWasmMaxStackDepthCall { depth: 262_144 }.abi_encode(),
        U256::ZERO,
    );
    c.tx(
        OWNER,
        ARB_OWNER,
        ArbOwner::setWasmExpiryDaysCall { _days: 30 }.abi_encode(),
        U256::ZERO,
    );
    let r = c.call(
        ALICE,
        ARB_WASM,
        ArbWasm::maxStackDepthCall {}.abi_encode(),
        U256::ZERO,
    );
    assert_eq!(word(&r.output()), U256::from(262_144));
    let r = c.call(
        ALICE,
        ARB_WASM,
        ArbWasm::expiryDaysCall {}.abi_encode(),
        U256::ZERO,
    );
    assert_eq!(word(&r.output()), U256::from(30));

    // Chain owners: add and list through ArbOwnerPublic.
    c.tx(
        OWNER,
        ARB_OWNER,
        ArbOwner::addChainOwnerCall { newOwner: BOB }.abi_encode(),
        U256::ZERO,
    );
    let r = c.call(
        ALICE,
        ARB_OWNER_PUBLIC,
        ArbOwnerPublic::getAllChainOwnersCall {}.abi_encode(),
        U256::ZERO,
    );
    let owners = ArbOwnerPublic::getAllChainOwnersCall::abi_decode_returns(&r.output()).unwrap();
    assert_eq!(owners, vec![OWNER, BOB]);
    let r = c.tx(
        BOB,
        ARB_OWNER,
        ArbOwner::removeChainOwnerCall {
            ownerToRemove: OWNER,
        }
        .abi_encode(),
        U256::ZERO,
    );
    assert!(r.is_success());
    let r = c.call(
        ALICE,
        ARB_OWNER_PUBLIC,
        ArbOwnerPublic::isChainOwnerCall { addr: OWNER }.abi_encode(),
        U256::ZERO,
    );
    assert_eq!(word(&r.output()), U256::ZERO);
    let r = c.call(
        ALICE,
        ARB_OWNER_PUBLIC,
        ArbOwnerPublic::getNetworkFeeAccountCall {}.abi_encode(),
        U256::ZERO,
    );
    assert_eq!(&r.output()[12..], OWNER.as_slice());
}

#[test]
fn l1_price_per_unit_reaches_arbgasinfo() {
    let mut c = Chain::new();
    let r = c.tx(
        OWNER,
        ARB_OWNER,
        ArbOwner::setL1PricePerUnitCall {
            pricePerUnit: U256::from(7),
        }
        .abi_encode(),
        U256::ZERO,
    );
    assert!(r.is_success());
    let r = c.call(
        ALICE,
        ARB_GAS_INFO,
        ArbGasInfo::getL1BaseFeeEstimateCall {}.abi_encode(),
        U256::ZERO,
    );
    assert_eq!(word(&r.output()), U256::from(7));
    let r = c.call(
        ALICE,
        ARB_GAS_INFO,
        ArbGasInfo::getPricesInWeiCall {}.abi_encode(),
        U256::ZERO,
    );
    let p = ArbGasInfo::getPricesInWeiCall::abi_decode_returns(&r.output()).unwrap();
    assert_eq!(p._1, U256::from(7 * 16));
    assert_eq!(p._0, U256::from(7 * 16 * 140));
}

#[test]
fn arbdebug_methods() {
    let mut c = Chain::new();
    // becomeChainOwner (nitro-devnode's setup script).
    let r = c.tx(
        ALICE,
        ARB_DEBUG,
        ArbDebug::becomeChainOwnerCall {}.abi_encode(),
        U256::ZERO,
    );
    assert!(r.is_success());
    let r = c.call(
        BOB,
        ARB_OWNER_PUBLIC,
        ArbOwnerPublic::isChainOwnerCall { addr: ALICE }.abi_encode(),
        U256::ZERO,
    );
    assert_eq!(word(&r.output()), U256::from(1));
    let r = c.tx(
        ALICE,
        ARB_OWNER,
        ArbOwner::setL1PricePerUnitCall {
            pricePerUnit: U256::ZERO,
        }
        .abi_encode(),
        U256::ZERO,
    );
    assert!(r.is_success());

    // customRevert: Solidity error data, gas kept.
    let r = c.send(
        ALICE,
        TxKind::Call(ARB_DEBUG),
        ArbDebug::customRevertCall { number: 7 }.abi_encode(),
        U256::ZERO,
        200_000,
    );
    assert!(r.is_revert());
    let e = ArbDebug::Custom::abi_decode(&r.output()).unwrap();
    assert_eq!(e._0, 7);
    assert!(e._2);
    assert!(r.gas_used() < 50_000);
    // legacyError: plain revert, no data, gas kept.
    let r = c.send(
        ALICE,
        TxKind::Call(ARB_DEBUG),
        ArbDebug::legacyErrorCall {}.abi_encode(),
        U256::ZERO,
        200_000,
    );
    assert!(r.is_revert());
    assert!(r.output().is_empty());
    assert!(r.gas_used() < 50_000);
    // panic: non-revert error, all gas.
    let r = c.send(
        ALICE,
        TxKind::Call(ARB_DEBUG),
        ArbDebug::panicCall {}.abi_encode(),
        U256::ZERO,
        200_000,
    );
    assert!(r.halt_message().unwrap().contains("Panic"));
    assert_eq!(r.gas_used(), 200_000);
    // events: two logs, returns (caller, value).
    let v = B256::repeat_byte(0x33);
    let r = c.tx(
        ALICE,
        ARB_DEBUG,
        ArbDebug::eventsCall {
            flag: true,
            value: v,
        }
        .abi_encode(),
        U256::from(5),
    );
    assert!(r.is_success(), "{:?}", r.result);
    let logs = r.logs();
    assert_eq!(logs.len(), 2);
    let basic = ArbDebug::Basic::decode_log_data(&logs[0].data).unwrap();
    assert!(!basic.flag);
    assert_eq!(basic.value, v);
    let mixed = ArbDebug::Mixed::decode_log_data(&logs[1].data).unwrap();
    assert_eq!(mixed.caller, ALICE);
    assert_eq!(mixed.conn, ARB_DEBUG);
    let out = ArbDebug::eventsCall::abi_decode_returns(&r.output()).unwrap();
    assert_eq!(out._0, ALICE);
    // eventsView: emitting from a view fails (plain revert).
    let r = c.tx(
        ALICE,
        ARB_DEBUG,
        ArbDebug::eventsViewCall {}.abi_encode(),
        U256::ZERO,
    );
    assert!(r.is_revert());
    // overwriteContractCode returns the old code.
    let r = c.tx(
        ALICE,
        ARB_DEBUG,
        ArbDebug::overwriteContractCodeCall {
            target: BOB,
            code: vec![0x60, 0x00].into(),
        }
        .abi_encode(),
        U256::ZERO,
    );
    assert!(r.is_success());
    assert!(
        ArbDebug::overwriteContractCodeCall::abi_decode_returns(&r.output())
            .unwrap()
            .is_empty()
    );
    assert_eq!(c.code(BOB).as_ref(), &[0x60, 0x00]);
}

#[test]
fn arbdebug_is_absent_on_non_debug_chains() {
    let cfg = devnode_exec::evm::ArbConfig {
        debug: false,
        ..Default::default()
    };
    let mut c = Chain::with_config(cfg);
    let r = c.tx(
        ALICE,
        ARB_DEBUG,
        ArbDebug::becomeChainOwnerCall {}.abi_encode(),
        U256::ZERO,
    );
    assert!(r.is_success()); // an empty account
    let r = c.call(
        BOB,
        ARB_OWNER_PUBLIC,
        ArbOwnerPublic::isChainOwnerCall { addr: ALICE }.abi_encode(),
        U256::ZERO,
    );
    assert_eq!(word(&r.output()), U256::ZERO);
}

#[test]
fn arbinfo_balance_and_code() {
    let mut c = Chain::new();
    let r = c.call(
        ALICE,
        ARB_INFO,
        ArbInfo::getBalanceCall { account: BOB }.abi_encode(),
        U256::ZERO,
    );
    assert_eq!(word(&r.output()), U256::from(10u128.pow(24)));
    let r = c.call(
        ALICE,
        ARB_INFO,
        ArbInfo::getCodeCall { account: ARB_WASM }.abi_encode(),
        U256::ZERO,
    );
    let code = ArbInfo::getCodeCall::abi_decode_returns(&r.output()).unwrap();
    assert_eq!(code.as_ref(), &[0xFE]);
}

#[test]
fn precompiles_and_deployer_have_code() {
    let c = Chain::new();
    for a in [
        ARB_SYS,
        ARB_INFO,
        ARB_OWNER_PUBLIC,
        ARB_GAS_INFO,
        ARB_OWNER,
        ARB_WASM,
        ARB_DEBUG,
        devnode_exec::precompiles::STYLUS_DEPLOYER,
    ] {
        assert_eq!(c.code(a).as_ref(), &[0xFE], "{a}");
    }
}
