//! Every selector, event topic and error selector of the precompile interfaces matches the
//! spec's tables (§1.12, §5).

use alloy::primitives::{b256, hex};
use alloy::sol_types::{SolCall, SolError, SolEvent};
use devnode_exec::precompiles::abi::*;

fn sel(s: [u8; 4]) -> String {
    hex::encode(s)
}

#[test]
fn arbwasm_selectors() {
    use ArbWasm::*;
    let table: &[([u8; 4], &str)] = &[
        (activateProgramCall::SELECTOR, "58c780c2"),
        (stylusVersionCall::SELECTOR, "a996e0c2"),
        (codehashVersionCall::SELECTOR, "d70c0ca7"),
        (codehashKeepaliveCall::SELECTOR, "c689bad5"),
        (codehashAsmSizeCall::SELECTOR, "4089267f"),
        (programVersionCall::SELECTOR, "cc8f4e88"),
        (programInitGasCall::SELECTOR, "62b688aa"),
        (programMemoryFootprintCall::SELECTOR, "aef36be3"),
        (programTimeLeftCall::SELECTOR, "c775a62a"),
        (inkPriceCall::SELECTOR, "d1c17abc"),
        (maxStackDepthCall::SELECTOR, "8ccfaa70"),
        (freePagesCall::SELECTOR, "4490c19d"),
        (pageGasCall::SELECTOR, "7af4ba49"),
        (pageRampCall::SELECTOR, "11c82ae8"),
        (pageLimitCall::SELECTOR, "9786f96e"),
        (minInitGasCall::SELECTOR, "99d0b38d"),
        (initCostScalarCall::SELECTOR, "5fc94c0b"),
        (expiryDaysCall::SELECTOR, "309f6555"),
        (keepaliveDaysCall::SELECTOR, "0a936455"),
        (blockCacheSizeCall::SELECTOR, "7af6e819"),
        (activationGasCall::SELECTOR, "2278c278"),
        (ProgramNotWasm::SELECTOR, "27f38212"),
        (ProgramNotActivated::SELECTOR, "6f809c4e"),
        (ProgramNeedsUpgrade::SELECTOR, "637d968f"),
        (ProgramExpired::SELECTOR, "c9b12e52"),
        (ProgramUpToDate::SELECTOR, "cc944bf2"),
        (ProgramKeepaliveTooSoon::SELECTOR, "16bd0cf8"),
        (ProgramInsufficientValue::SELECTOR, "09781ab7"),
    ];
    for (s, want) in table {
        assert_eq!(sel(*s), *want);
    }
    assert_eq!(
        ProgramActivated::SIGNATURE_HASH,
        b256!("c0e812780707128d9a180db8ee4d1c1f1300b6dd0626d577b5d9ac759b76253c")
    );
    assert_eq!(
        ProgramLifetimeExtended::SIGNATURE_HASH,
        b256!("03802ba32e3bd489d2ab04abb93d10687e0b6883bcb091206ca75172d248f2ec")
    );
}

#[test]
fn arbwasmcache_selectors() {
    use ArbWasmCache::*;
    assert_eq!(sel(isCacheManagerCall::SELECTOR), "85e2de85");
    assert_eq!(sel(allCacheManagersCall::SELECTOR), "0ec1d773");
    assert_eq!(sel(cacheCodehashCall::SELECTOR), "4ceac817");
    assert_eq!(sel(cacheProgramCall::SELECTOR), "e73ac9f2");
    assert_eq!(sel(evictCodehashCall::SELECTOR), "ce972013");
    assert_eq!(sel(codehashIsCachedCall::SELECTOR), "a72f179b");
    assert_eq!(
        UpdateProgramCache::SIGNATURE_HASH,
        b256!("1bfaa29b4618e78f5b398027d530826dbb266dc976a5067f67fdad15434ecfab")
    );
}

#[test]
fn arbowner_selectors() {
    use ArbOwner::*;
    let table: &[([u8; 4], &str)] = &[
        (setInkPriceCall::SELECTOR, "8c1d4fda"),
        (setWasmMaxStackDepthCall::SELECTOR, "4567cc8e"),
        (setWasmFreePagesCall::SELECTOR, "3f37a846"),
        (setWasmPageGasCall::SELECTOR, "aaa619e0"),
        (setWasmPageLimitCall::SELECTOR, "6595381a"),
        (setWasmMaxSizeCall::SELECTOR, "455ec2eb"),
        (setWasmMinInitGasCall::SELECTOR, "8293405e"),
        (setWasmInitCostScalarCall::SELECTOR, "67e0718f"),
        (setWasmExpiryDaysCall::SELECTOR, "aac68018"),
        (setWasmKeepaliveDaysCall::SELECTOR, "2a9cbe3e"),
        (setWasmBlockCacheSizeCall::SELECTOR, "380f1457"),
        (addWasmCacheManagerCall::SELECTOR, "ffdca515"),
        (removeWasmCacheManagerCall::SELECTOR, "bf197322"),
        (setL1PricePerUnitCall::SELECTOR, "2b352fae"),
        (addChainOwnerCall::SELECTOR, "481f8dbf"),
    ];
    for (s, want) in table {
        assert_eq!(sel(*s), *want);
    }
}

#[test]
fn arbsys_selectors() {
    use ArbSys::*;
    let table: &[([u8; 4], &str)] = &[
        (arbBlockNumberCall::SELECTOR, "a3b1b31d"),
        (arbBlockHashCall::SELECTOR, "2b407a82"),
        (arbChainIDCall::SELECTOR, "d127f54a"),
        (arbOSVersionCall::SELECTOR, "051038f2"),
        (getStorageGasAvailableCall::SELECTOR, "a94597ff"),
        (isTopLevelCallCall::SELECTOR, "08bd624c"),
        (
            mapL1SenderContractAddressToL2AliasCall::SELECTOR,
            "4dbbd506",
        ),
        (wasMyCallersAddressAliasedCall::SELECTOR, "175a260b"),
        (myCallersAddressWithoutAliasingCall::SELECTOR, "d74523b3"),
        (withdrawEthCall::SELECTOR, "25e16063"),
        (sendTxToL1Call::SELECTOR, "928c169a"),
        (sendMerkleTreeStateCall::SELECTOR, "7aeecd2a"),
    ];
    for (s, want) in table {
        assert_eq!(sel(*s), *want);
    }
}

#[test]
fn arbgasinfo_selectors() {
    use ArbGasInfo::*;
    let table: &[([u8; 4], &str)] = &[
        (getPricesInWeiCall::SELECTOR, "41b247a8"),
        (getPricesInArbGasCall::SELECTOR, "02199f34"),
        (getMinimumGasPriceCall::SELECTOR, "f918379a"),
        (getL1BaseFeeEstimateCall::SELECTOR, "f5d6ded7"),
        (getL1GasPriceEstimateCall::SELECTOR, "055f362f"),
        (getCurrentTxL1GasFeesCall::SELECTOR, "c6f7de0e"),
        (getGasAccountingParamsCall::SELECTOR, "612af178"),
        (getMaxTxGasLimitCall::SELECTOR, "aae1cd4c"),
        (getGasBacklogCall::SELECTOR, "1d5b5c20"),
        (getPricingInertiaCall::SELECTOR, "3dfb45b9"),
        (getGasBacklogToleranceCall::SELECTOR, "25754f91"),
        (getL1PricingSurplusCall::SELECTOR, "520acdd7"),
        (getPerBatchGasChargeCall::SELECTOR, "6ecca45a"),
        (getAmortizedCostCapBipsCall::SELECTOR, "7a7d6beb"),
        (getL1FeesAvailableCall::SELECTOR, "5b39d23c"),
        (getL1RewardRateCall::SELECTOR, "8a5b1d28"),
        (getL1RewardRecipientCall::SELECTOR, "9e6d7e31"),
        (getMaxBlockGasLimitCall::SELECTOR, "0371fdb4"),
    ];
    for (s, want) in table {
        assert_eq!(sel(*s), *want);
    }
}

#[test]
fn arbdebug_arbinfo_deployer_selectors() {
    assert_eq!(sel(ArbDebug::becomeChainOwnerCall::SELECTOR), "0e5bbc11");
    assert_eq!(
        sel(ArbDebug::overwriteContractCodeCall::SELECTOR),
        "1be250d6"
    );
    assert_eq!(sel(ArbDebug::eventsCall::SELECTOR), "7b9963ef");
    assert_eq!(sel(ArbDebug::eventsViewCall::SELECTOR), "8e5f30ab");
    assert_eq!(sel(ArbDebug::customRevertCall::SELECTOR), "7ea89f8b");
    assert_eq!(sel(ArbDebug::panicCall::SELECTOR), "4700d305");
    assert_eq!(sel(ArbDebug::legacyErrorCall::SELECTOR), "1e48fe82");
    assert_eq!(sel(ArbInfo::getBalanceCall::SELECTOR), "f8b2cb4f");
    assert_eq!(sel(ArbInfo::getCodeCall::SELECTOR), "7e105ce2");
    assert_eq!(sel(StylusDeployer::deployCall::SELECTOR), "a9a8e4e9");
    assert_eq!(
        sel(StylusDeployer::requiresActivationCall::SELECTOR),
        "835d1d4c"
    );
    assert_eq!(sel(StylusDeployer::initSaltCall::SELECTOR), "9f40b385");
    assert_eq!(
        sel(StylusDeployer::ContractInitializationError::SELECTOR),
        "88d8f57d"
    );
    assert_eq!(
        &hex::encode(StylusDeployer::ContractDeployed::SIGNATURE_HASH)[..8],
        "8ffcdc15"
    );
}

#[test]
fn arbos_60_and_arbostest_selectors() {
    // Spec §1.12 / Nitro's generated bindings.
    assert_eq!(
        sel(ArbOwnerPublic::getMaxStylusContractFragmentsCall::SELECTOR),
        "e5a7f893"
    );
    assert_eq!(
        sel(ArbOwner::setMaxStylusContractFragmentsCall::SELECTOR),
        "f1fe1a70"
    );
    assert_eq!(sel(ArbosTest::burnArbGasCall::SELECTOR), "bb3480f9");
}
