//! The generated Solidity interfaces of `abi/` are what Solidity integrations import
//! (`import {IPoolRouter} from "abi/pool-router.sol";`, e.g. the zap): all of them compile together
//! under solc (distinct names, no clashes), and each declares exactly the functions, events and
//! errors of the JSON ABI exported beside it (`abi/<artifact>.json`), by selector.

use std::collections::BTreeSet;

use alloy::json_abi::JsonAbi;
use anyhow::{ensure, Context, Result};

fn selectors(abi: &JsonAbi) -> BTreeSet<String> {
    let mut s = BTreeSet::new();
    s.extend(
        abi.functions()
            .map(|f| format!("function {}", f.signature())),
    );
    s.extend(abi.events().map(|e| format!("event {}", e.signature())));
    s.extend(abi.errors().map(|e| format!("error {}", e.signature())));
    s
}

#[test]
fn generated_interfaces_compile_together_and_match_their_json_abi() -> Result<()> {
    let dir = scripts::wasm::workspace_root().join("abi");
    let mut names = BTreeSet::new();
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir)? {
        let path = entry?.path();
        if path.extension().is_none_or(|e| e != "sol") {
            continue;
        }
        let file = path.file_name().and_then(|f| f.to_str()).context("name")?;
        let text = std::fs::read_to_string(&path)?;
        let interface = text
            .lines()
            .find_map(|l| l.strip_prefix("interface "))
            .and_then(|l| l.split_whitespace().next())
            .with_context(|| format!("{file}: no interface"))?;
        ensure!(
            names.insert(interface.to_string()),
            "two files declare {interface}"
        );
        let compiled = e2e::solidity::compiled_abi(&format!("abi/{file}"), interface)?;
        let json: JsonAbi =
            serde_json::from_str(&std::fs::read_to_string(path.with_extension("json"))?)
                .with_context(|| format!("{file}: its JSON ABI"))?;
        let (sol, json) = (selectors(&compiled), selectors(&json));
        ensure!(
            sol == json,
            "{file}: only in the .sol: {:?}; only in the .json: {:?}",
            sol.difference(&json).collect::<Vec<_>>(),
            json.difference(&sol).collect::<Vec<_>>()
        );
        checked += 1;
    }
    ensure!(checked >= 6, "only {checked} interfaces in abi/");
    Ok(())
}
