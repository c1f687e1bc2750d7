//! The Stylus pool speaks Uniswap V2's ABI: every function (name, parameter and return types,
//! mutability class) and every event (signature and indexed parameters) of the public interfaces
//! `IUniswapV2Pair`, `IUniswapV2Factory`, `IUniswapV2Router02`, `IWETH` (tests/solidity/src/amm/)
//! and of the reward ABI `IRewards` is in the ABI JSON the Stylus programs export (`abi/*.json`),
//! so existing integrations, SDKs and aggregators work unchanged. Additions are allowed.

use std::path::Path;

use alloy::json_abi::{JsonAbi, StateMutability};
use anyhow::{Context, Result};
use e2e::amm;

fn exported(artifact: &str) -> Result<JsonAbi> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../abi/{artifact}.json"));
    let text = std::fs::read_to_string(&path).with_context(|| {
        format!(
            "{} missing: the Stylus pool is not exported yet",
            path.display()
        )
    })?;
    Ok(serde_json::from_str(&text)?)
}

/// View and pure are one class for callers (both are `eth_call`s); so are the rest by payability.
fn class(m: StateMutability) -> u8 {
    match m {
        StateMutability::Pure | StateMutability::View => 0,
        StateMutability::NonPayable => 1,
        StateMutability::Payable => 2,
    }
}

/// What of `iface` none of `abis` has (functions and events), as readable lines.
fn missing(name: &str, iface: &JsonAbi, abis: &[JsonAbi]) -> Vec<String> {
    let mut out = Vec::new();
    for f in iface.functions() {
        let found = abis.iter().flat_map(|a| a.functions()).any(|g| {
            g.signature() == f.signature()
                && g.outputs
                    .iter()
                    .map(|o| &o.ty)
                    .eq(f.outputs.iter().map(|o| &o.ty))
                && class(g.state_mutability) == class(f.state_mutability)
        });
        if !found {
            out.push(format!("{name}: {}", f.full_signature()));
        }
    }
    for e in iface.events() {
        let found = abis.iter().flat_map(|a| a.events()).any(|g| {
            g.signature() == e.signature()
                && g.inputs
                    .iter()
                    .map(|i| i.indexed)
                    .eq(e.inputs.iter().map(|i| i.indexed))
        });
        if !found {
            out.push(format!("{name}: {}", e.full_signature()));
        }
    }
    out
}

#[test]
fn stylus_pool_exports_the_uniswap_v2_abi() -> Result<()> {
    let mut all = Vec::new();
    for (name, iface, artifacts) in amm::interfaces() {
        let abis = artifacts
            .iter()
            .map(|a| exported(a))
            .collect::<Result<Vec<_>>>()?;
        all.extend(missing(name, &iface, &abis));
    }
    anyhow::ensure!(
        all.is_empty(),
        "missing from the exported ABI:\n{}",
        all.join("\n")
    );
    Ok(())
}

/// The check can fail: an ABI without `swap`, with `Sync` not indexed as V2's or with `getReserves`
/// returning other types is reported; the interface itself passes.
#[test]
fn abi_check_reports_what_is_missing() -> Result<()> {
    let (_, pair, _) = amm::interfaces().remove(0);
    assert!(missing("pair", &pair, std::slice::from_ref(&pair)).is_empty());
    let mut broken = pair.clone();
    broken.functions.remove("swap");
    if let Some(e) = broken.events.get_mut("Burn") {
        e[0].inputs[3].indexed = false;
    }
    if let Some(f) = broken.functions.get_mut("getReserves") {
        f[0].outputs[0].ty = "uint256".into();
    }
    let report = missing("pair", &pair, &[broken]);
    assert_eq!(report.len(), 3, "{report:?}");
    assert!(report.iter().any(|l| l.contains("swap(")));
    assert!(report.iter().any(|l| l.contains("Burn(")));
    assert!(report.iter().any(|l| l.contains("getReserves(")));
    Ok(())
}
