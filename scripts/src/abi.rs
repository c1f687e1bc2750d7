//! ABI export: the Solidity interface and JSON ABI of every deployable, written to
//! `abi/<name>.sol` and `abi/<name>.json`.
//!
//! Each contract crate has a native-only bin `<package>-export-abi` (`required-features =
//! ["export-abi"]`) that prints the SDK's generated interface (`print_from_args()`) followed by
//! its events as Solidity declarations (the SDK's export omits events). This module runs it with
//! the deployable's variant feature, merges the SDK's per-trait interfaces into one interface
//! with deduplicated errors, and derives the JSON ABI from that with `alloy-json-abi`.
//!
//! Struct parameters (`#[derive(AbiType)]` structs from `sol!`): the SDK's export names the
//! struct type but prints no declaration, so the export bin prints each one as a line
//! `struct Name { type field; ... }`. [`render`] keeps them in the interface (struct-typed
//! parameters get `memory`), expands them to `tuple(...)` for `alloy-json-abi`'s human-readable
//! parser and marks the resulting tuples `internalType: "struct Name"` as solc does, so
//! `sol!` over the JSON generates named structs.

use std::{fs, path::PathBuf, process::Command};

use alloy_json_abi::JsonAbi;
use anyhow::{bail, Context, Result};

use crate::wasm::{
    artifact_dir, cargo, contract_bins, discover, input_stamp, workspace_root, Deployable,
};

/// The exported ABI of one deployable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractAbi {
    /// Artifact name (see [`Deployable::name`]).
    pub name: String,
    /// `abi/<name>.sol` contents.
    pub solidity: String,
    /// `abi/<name>.json` contents (pretty JSON ABI, trailing newline).
    pub json: String,
}

/// Directory of the committed ABI files.
pub fn abi_dir() -> PathBuf {
    workspace_root().join("abi")
}

/// Name of the export bin of `package`.
pub fn export_bin(package: &str) -> String {
    format!("{package}-export-abi")
}

/// Runs the deployable's export bin natively and returns what it printed. The output is cached
/// in `target/stylus/abi-cache/` under the wasm pipeline's [`input_stamp`], so repeated calls
/// with unchanged sources do not run cargo.
pub fn raw_export(d: &Deployable) -> Result<String> {
    let cache_dir = artifact_dir()?.join("abi-cache");
    let cache = cache_dir.join(format!("{}.txt", d.name));
    let stamp = input_stamp()?;
    if let Some(raw) = fs::read_to_string(&cache)
        .ok()
        .and_then(|c| c.strip_prefix(&format!("{stamp}\n")).map(str::to_string))
    {
        return Ok(raw);
    }
    let raw = run_export(d)?;
    fs::create_dir_all(&cache_dir)?;
    fs::write(&cache, format!("{stamp}\n{raw}"))?;
    Ok(raw)
}

fn run_export(d: &Deployable) -> Result<String> {
    let mut features = String::from("export-abi");
    if let Some(v) = &d.variant {
        features.push(',');
        features.push_str(v);
    }
    let out = Command::new(cargo())
        .current_dir(workspace_root())
        .args([
            "run",
            "--release",
            "--quiet",
            "-p",
            &d.package,
            "--features",
            &features,
            "--bin",
        ])
        .arg(export_bin(&d.package))
        .output()
        .context("running cargo run for the ABI export")?;
    if !out.status.success() {
        bail!(
            "ABI export of {} failed (does the crate define the `{}` bin?): {}",
            d.name,
            export_bin(&d.package),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8(out.stdout)?)
}

/// `test-token-no-return-bool` → `ITestTokenNoReturnBool`.
pub fn interface_name(artifact: &str) -> String {
    let mut s = String::from("I");
    for part in artifact.split(['-', '_']) {
        let mut c = part.chars();
        if let Some(f) = c.next() {
            s.extend(f.to_uppercase());
            s.push_str(c.as_str());
        }
    }
    s
}

/// Merges the SDK's output into one interface (functions, then events, then errors, each
/// deduplicated in first-seen order) and derives the JSON ABI.
pub fn render(d: &Deployable, raw: &str) -> Result<ContractAbi> {
    let (mut functions, mut events, mut errors) = (Vec::new(), Vec::new(), Vec::new());
    let mut structs: Vec<SolStruct> = Vec::new();
    for line in raw.lines().map(str::trim) {
        let decl = line.trim_end_matches(';').trim().to_string();
        if decl.starts_with("struct ") {
            let st = SolStruct::parse(&decl)
                .with_context(|| format!("struct declaration `{decl}` of {}", d.name))?;
            if !structs.contains(&st) {
                structs.push(st);
            }
            continue;
        }
        let bucket = if decl.starts_with("function ") {
            &mut functions
        } else if decl.starts_with("event ") {
            &mut events
        } else if decl.starts_with("error ") {
            &mut errors
        } else {
            continue;
        };
        if !bucket.contains(&decl) {
            bucket.push(decl);
        }
    }
    if functions.is_empty() {
        bail!("the ABI export of {} printed no functions", d.name);
    }
    let mut sol = String::new();
    sol.push_str("// SPDX-License-Identifier: MIT OR Apache-2.0\n");
    sol.push_str(&format!(
        "// Generated by `stylus-yield abi` from crate `{}`{}. Do not edit.\n",
        d.package,
        d.variant
            .as_ref()
            .map(|v| format!(" (feature `{v}`)"))
            .unwrap_or_default()
    ));
    sol.push_str("pragma solidity ^0.8.23;\n\n");
    sol.push_str(&format!("interface {} {{\n", interface_name(&d.name)));
    for st in &structs {
        sol.push_str(&format!("    {}\n", st.declaration()));
    }
    // Struct parameters of functions take a data location; event and error parameters take none.
    for decl in &functions {
        sol.push_str(&format!("    {};\n", with_memory(decl, &structs)));
    }
    for decl in events.iter().chain(&errors) {
        sol.push_str(&format!("    {decl};\n"));
    }
    sol.push_str("}\n");

    let expanded: Vec<String> = functions
        .iter()
        .chain(&events)
        .chain(&errors)
        .map(|decl| expand_structs(decl, &structs))
        .collect();
    let mut abi = JsonAbi::parse(expanded.iter().map(String::as_str))
        .with_context(|| format!("parsing the exported interface of {}", d.name))?;
    mark_structs(&mut abi, &structs);
    let mut json = serde_json::to_string_pretty(&abi)?;
    json.push('\n');
    Ok(ContractAbi {
        name: d.name.clone(),
        solidity: sol,
        json,
    })
}

/// A struct declaration printed by an export bin: `struct Name { type field; ... }`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SolStruct {
    name: String,
    /// `(type, name)` per field, in order.
    fields: Vec<(String, String)>,
}

impl SolStruct {
    fn parse(decl: &str) -> Result<Self> {
        let rest = decl.strip_prefix("struct ").context("not a struct")?;
        let (name, body) = rest.split_once('{').context("no `{`")?;
        let body = body.trim().strip_suffix('}').context("no `}`")?;
        let mut fields = Vec::new();
        for f in body.split(';').map(str::trim).filter(|f| !f.is_empty()) {
            let (ty, field) = f.rsplit_once(' ').context("field without a name")?;
            fields.push((ty.trim().to_string(), field.trim().to_string()));
        }
        if fields.is_empty() {
            bail!("struct without fields");
        }
        Ok(Self {
            name: name.trim().to_string(),
            fields,
        })
    }

    fn declaration(&self) -> String {
        let fields: Vec<String> = self
            .fields
            .iter()
            .map(|(t, n)| format!("{t} {n};"))
            .collect();
        format!("struct {} {{ {} }}", self.name, fields.join(" "))
    }
}

/// Byte ranges of whole-word occurrences of `word` in `s`.
fn word_hits(s: &str, word: &str) -> Vec<usize> {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    s.match_indices(word)
        .filter(|(i, _)| {
            let before = s[..*i].chars().next_back();
            let after = s[i + word.len()..].chars().next();
            !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
        })
        .map(|(i, _)| i)
        .collect()
}

/// Replaces every whole-word `word` in `s` by `with`.
fn replace_word(s: &str, word: &str, with: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for i in word_hits(s, word) {
        out.push_str(&s[last..i]);
        out.push_str(with);
        last = i + word.len();
    }
    out.push_str(&s[last..]);
    out
}

/// `decl` with each struct type spelled `tuple(type, ...)` (nested structs too; the parser takes
/// no component names, [`mark_structs`] restores them).
fn expand_structs(decl: &str, structs: &[SolStruct]) -> String {
    let mut out = decl.to_string();
    // Each pass expands one nesting level; a struct cannot contain itself by value.
    for _ in 0..=structs.len() {
        let before = out.clone();
        for st in structs {
            let fields: Vec<&str> = st.fields.iter().map(|(t, _)| t.as_str()).collect();
            out = replace_word(&out, &st.name, &format!("tuple({})", fields.join(",")));
        }
        if out == before {
            break;
        }
    }
    out
}

/// `decl` with `memory` after each struct-typed parameter that has no data location.
fn with_memory(decl: &str, structs: &[SolStruct]) -> String {
    let mut out = decl.to_string();
    for st in structs {
        let mut next = String::new();
        let mut last = 0;
        for i in word_hits(&out, &st.name) {
            let mut end = i + st.name.len();
            while out[end..].starts_with("[]") {
                end += 2;
            }
            next.push_str(&out[last..end]);
            let rest = out[end..].trim_start();
            if !(rest.starts_with("memory") || rest.starts_with("calldata")) {
                next.push_str(" memory");
            }
            last = end;
        }
        next.push_str(&out[last..]);
        out = next;
    }
    out
}

/// Marks every tuple parameter whose component types are exactly a struct's field types with
/// `internalType: struct <Name>` and the field names (recursively), as solc writes it. Two
/// structs with the same field types would be indistinguishable here: the first declared wins.
fn mark_structs(abi: &mut JsonAbi, structs: &[SolStruct]) {
    use alloy_json_abi::{InternalType, Param};

    fn mark(p: &mut Param, structs: &[SolStruct]) {
        for c in &mut p.components {
            mark(c, structs);
        }
        let Some(suffix) = p.ty.strip_prefix("tuple") else {
            return;
        };
        let types: Vec<String> = p
            .components
            .iter()
            .map(|c| c.selector_type().into_owned())
            .collect();
        let found = structs.iter().find(|st| {
            st.fields.len() == types.len()
                && st
                    .fields
                    .iter()
                    .zip(&types)
                    .all(|((t, _), ct)| expand_selector(t, structs) == *ct)
        });
        if let Some(st) = found {
            for (c, (_, name)) in p.components.iter_mut().zip(&st.fields) {
                c.name = name.clone();
            }
            p.internal_type = Some(InternalType::Struct {
                contract: None,
                ty: format!("{}{suffix}", st.name),
            });
        }
    }

    for f in abi.functions.values_mut().flatten() {
        f.inputs.iter_mut().for_each(|p| mark(p, structs));
        f.outputs.iter_mut().for_each(|p| mark(p, structs));
    }
    for e in abi.errors.values_mut().flatten() {
        e.inputs.iter_mut().for_each(|p| mark(p, structs));
    }
    for ev in abi.events.values_mut().flatten() {
        for input in &mut ev.inputs {
            let mut p = Param {
                ty: input.ty.clone(),
                name: input.name.clone(),
                components: std::mem::take(&mut input.components),
                internal_type: input.internal_type.take(),
            };
            mark(&mut p, structs);
            input.components = p.components;
            input.internal_type = p.internal_type;
        }
    }
}

/// The selector spelling of a field type (`MarketParams` → `(address,...)`).
fn expand_selector(ty: &str, structs: &[SolStruct]) -> String {
    for st in structs {
        if let Some(suffix) = ty.strip_prefix(st.name.as_str()) {
            if suffix.is_empty() || suffix.starts_with('[') {
                let inner: Vec<String> = st
                    .fields
                    .iter()
                    .map(|(t, _)| expand_selector(t, structs))
                    .collect();
                return format!("({}){suffix}", inner.join(","));
            }
        }
    }
    ty.to_string()
}

/// The result of exporting every deployable.
#[derive(Debug, Clone, Default)]
pub struct Export {
    /// ABIs of the deployables whose crate has an export bin.
    pub abis: Vec<ContractAbi>,
    /// Deployables skipped because their crate lacks the `<package>-export-abi` bin, as
    /// `"<artifact> (no bin <package>-export-abi)"`.
    pub missing_bin: Vec<String>,
}

/// Exports the ABI of every deployable (except `abi = false` ones) that has an export bin;
/// lists the others.
pub fn export_all() -> Result<Export> {
    let bins = contract_bins()?;
    let mut out = Export::default();
    for d in discover()?.into_iter().filter(|d| d.abi) {
        if bins
            .iter()
            .any(|(p, b)| *p == d.package && *b == export_bin(&d.package))
        {
            out.abis.push(render(&d, &raw_export(&d)?)?);
        } else {
            out.missing_bin
                .push(format!("{} (no bin {})", d.name, export_bin(&d.package)));
        }
    }
    Ok(out)
}

/// Writes `abi/<name>.sol` and `abi/<name>.json` for every deployable.
pub fn write_all(abis: &[ContractAbi]) -> Result<()> {
    let dir = abi_dir();
    fs::create_dir_all(&dir)?;
    for a in abis {
        fs::write(dir.join(format!("{}.sol", a.name)), &a.solidity)?;
        fs::write(dir.join(format!("{}.json", a.name)), &a.json)?;
    }
    Ok(())
}

/// Names of the files in `abi/` that differ from `abis` (missing, stale).
pub fn stale_files(abis: &[ContractAbi]) -> Vec<String> {
    let dir = abi_dir();
    let mut stale = Vec::new();
    for a in abis {
        for (ext, want) in [("sol", &a.solidity), ("json", &a.json)] {
            let file = format!("{}.{ext}", a.name);
            if fs::read_to_string(dir.join(&file)).ok().as_ref() != Some(want) {
                stale.push(file);
            }
        }
    }
    stale
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_one_interface_with_deduplicated_errors_and_events() {
        let d = Deployable {
            name: "test-token-no-return-bool".into(),
            package: "test-token".into(),
            lib_name: "test_token".into(),
            variant: Some("no-return-bool".into()),
            abi: true,
            tested: true,
        };
        let raw = "interface ITestToken is IIErc20 {\n    function mint(address to, uint256 amount) external;\n\n    error ERC20InvalidSender(address);\n}\ninterface IIErc20 {\n    function name() external view returns (string memory);\n\n    error ERC20InvalidSender(address);\n}\nevent Transfer(address indexed from, address indexed to, uint256 value);\n";
        let abi = render(&d, raw).unwrap();
        assert!(abi.solidity.contains("interface ITestTokenNoReturnBool {"));
        assert_eq!(abi.solidity.matches("error ERC20InvalidSender").count(), 1);
        let json: JsonAbi = serde_json::from_str(&abi.json).unwrap();
        assert_eq!(json.functions().count(), 2);
        assert_eq!(json.errors().count(), 1);
        let ev = json.events().next().unwrap();
        assert!(ev.inputs[0].indexed && !ev.inputs[2].indexed);
        assert_eq!(json.function("name").unwrap()[0].outputs[0].ty, "string");
    }

    #[test]
    fn renders_struct_parameters_as_named_tuples() {
        let d = Deployable {
            name: "lending-irm".into(),
            package: "lending-irm".into(),
            lib_name: "lending_irm".into(),
            variant: None,
            abi: true,
            tested: true,
        };
        let raw = "interface IJumpRateIrm {\n    function borrowRate(MarketParams market_params, Market market) external returns (uint256);\n    function pair(Inner[] xs) external view returns (Outer memory);\n}\nstruct MarketParams { address loanToken; uint256 lltv; }\nstruct Market { uint128 totalSupplyAssets; }\nstruct Inner { uint8 a; }\nstruct Outer { Inner inner; bool b; }\n";
        let abi = render(&d, raw).unwrap();
        assert!(abi
            .solidity
            .contains("struct MarketParams { address loanToken; uint256 lltv; }"));
        assert!(abi.solidity.contains(
            "function borrowRate(MarketParams memory market_params, Market memory market)"
        ));
        assert!(abi.solidity.contains("returns (Outer memory)"));
        let json: JsonAbi = serde_json::from_str(&abi.json).unwrap();
        let f = &json.function("borrowRate").unwrap()[0];
        assert_eq!(f.signature(), "borrowRate((address,uint256),(uint128))");
        assert_eq!(
            f.inputs[0].internal_type.as_ref().unwrap().to_string(),
            "struct MarketParams"
        );
        assert_eq!(f.inputs[0].components[0].name, "loanToken");
        let g = &json.function("pair").unwrap()[0];
        assert_eq!(
            g.inputs[0].internal_type.as_ref().unwrap().to_string(),
            "struct Inner[]"
        );
        let out = &g.outputs[0];
        assert_eq!(
            out.internal_type.as_ref().unwrap().to_string(),
            "struct Outer"
        );
        assert_eq!(
            out.components[0]
                .internal_type
                .as_ref()
                .unwrap()
                .to_string(),
            "struct Inner"
        );
    }
}
