//! `stylus-yield report` (skeleton of issue 20's gas and size report): every contract artifact's
//! wasm and deployable size against the 24,576-byte limit, and what deploying and activating it
//! costs on the embedded devnode: the CREATE's gas, the `ArbWasm.activateProgram` transaction's
//! gas and the activation data fee.
//!
//! Every artifact is first deployed (plain CREATE), then every data fee is quoted (an `eth_call`
//! of `activateProgram`) before any activation: Nitro's data pricer raises the fee with each
//! activation (`exp(demand / inertia)`), so quoting all at the same state makes the figures
//! comparable (each is what activating that program alone on a fresh devnode costs). Then each is
//! activated, paying its quote, and the fee the `ProgramActivated` event reports is checked.
//!
//! Per-operation gas (issue 20): the gas benches (`cargo bench -p e2e --bench vault_gas`,
//! `pool_gas`, `lending_gas`) record what they measured in `<target>/gas-report/<bench>.json`
//! ([`write_gas`]); the report appends those rows (uncached, cached, the Solidity twin or anchor
//! figure and the ratio) with each file's age. Before reading them, the report re-runs every bench
//! whose record is missing or older than the newest contract artifact ([`refresh_gas`]: `cargo
//! bench -p e2e --bench <name>` in this workspace, its output on stderr), so the table describes
//! the code just built; `report --no-bench` only reads what is there, `--rerun` runs them all.

use std::fmt::Write as _;

use alloy::{
    network::{EthereumWallet, TransactionBuilder},
    primitives::{utils::format_ether, Address, Bytes, U256},
    providers::{DynProvider, Provider, ProviderBuilder},
    rpc::types::TransactionRequest,
    signers::local::PrivateKeySigner,
};
use anyhow::{anyhow, bail, Context, Result};

use serde::{Deserialize, Serialize};

use crate::suite::{IArbWasm, ARB_WASM, DEV_PRIVATE_KEY};
use crate::wasm::{Artifact, MAX_CODE_SIZE};

/// One artifact's row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// Artifact name.
    pub name: String,
    /// Size of the wasm module.
    pub wasm_len: usize,
    /// Size of the deployable code (`EF F0 00 00` ‖ brotli(wasm)).
    pub deployable_len: usize,
    /// Gas of the CREATE transaction that deploys it.
    pub deploy_gas: u64,
    /// Gas of the `activateProgram` transaction.
    pub activate_gas: u64,
    /// Data fee of the activation, in wei.
    pub data_fee: U256,
}

/// Measures every artifact on the node at `url`, paid by `signer` (see the module docs).
pub async fn measure(
    url: &str,
    signer: PrivateKeySigner,
    artifacts: &[Artifact],
) -> Result<Vec<Row>> {
    let p: DynProvider = ProviderBuilder::new()
        .wallet(EthereumWallet::from(signer))
        .connect_http(url.parse().context("node URL")?)
        .erased();
    let arb_wasm = IArbWasm::new(ARB_WASM, &p);
    let mut deployed: Vec<(&Artifact, Address, u64)> = Vec::new();
    for a in artifacts {
        let tx = TransactionRequest::default().with_deploy_code(Bytes::from(a.initcode()));
        let r = p
            .send_transaction(tx)
            .await
            .with_context(|| format!("deploying {}", a.name))?
            .get_receipt()
            .await?;
        if !r.status() {
            bail!("deploying {} reverted", a.name);
        }
        let addr = r.contract_address.context("no contract address")?;
        deployed.push((a, addr, r.gas_used));
    }
    let mut fees = Vec::new();
    for (a, addr, _) in &deployed {
        let quote = arb_wasm
            .activateProgram(*addr)
            .value(U256::from(10u128.pow(18)))
            .call()
            .await
            .map_err(|e| anyhow!("quoting the activation of {}: {e}", a.name))?;
        fees.push(quote.dataFee);
    }
    let mut rows = Vec::new();
    for ((a, addr, deploy_gas), fee) in deployed.into_iter().zip(fees) {
        // The fee has risen since the quote (earlier activations): send what covers it, the
        // precompile refunds the excess.
        let r = arb_wasm
            .activateProgram(addr)
            .value(U256::from(10u128.pow(18)))
            .send()
            .await
            .with_context(|| format!("activating {}", a.name))?
            .get_receipt()
            .await?;
        if !r.status() {
            bail!("activating {} reverted", a.name);
        }
        let charged = r
            .inner
            .logs()
            .iter()
            .find_map(|l| l.log_decode::<IArbWasm::ProgramActivated>().ok())
            .map(|e| e.inner.data.dataFee)
            .with_context(|| format!("no ProgramActivated event for {}", a.name))?;
        if charged < fee {
            bail!(
                "{}: activation charged {charged} wei, below the earlier quote {fee}",
                a.name
            );
        }
        rows.push(Row {
            name: a.name.clone(),
            wasm_len: a.wasm_len,
            deployable_len: a.deployable_len,
            deploy_gas,
            activate_gas: r.gas_used,
            data_fee: fee,
        });
    }
    Ok(rows)
}

/// Builds the contracts (the wasm pipeline: nothing to do when up to date), starts an embedded
/// devnode and measures every artifact with its dev account.
pub async fn run() -> Result<Vec<Row>> {
    let artifacts = tokio::task::spawn_blocking(crate::wasm::build).await??;
    let node = crate::demo::start_embedded_node().await?;
    let signer: PrivateKeySigner = DEV_PRIVATE_KEY.parse()?;
    let rows = measure(node.url().as_str(), signer, &artifacts).await;
    node.stop().await?;
    rows
}

/// The Markdown table of `rows`.
pub fn render(rows: &[Row]) -> String {
    let mut s = format!(
        "| contract | wasm (B) | deployable (B, limit {MAX_CODE_SIZE}) | deploy gas | activate gas | activation data fee (ETH) |\n|---|---:|---:|---:|---:|---:|\n"
    );
    for r in rows {
        let over = if r.deployable_len > MAX_CODE_SIZE {
            " **over**"
        } else {
            ""
        };
        let _ = writeln!(
            s,
            "| {} | {} | {}{over} | {} | {} | {} |",
            r.name,
            r.wasm_len,
            r.deployable_len,
            r.deploy_gas,
            r.activate_gas,
            format_ether(r.data_fee)
        );
    }
    s.push_str(
        "\nOn the embedded devnode (ArbOS 51 defaults); data fees quoted before any activation \
         (each: activating that program alone); gas of the whole transaction.\n",
    );
    s
}

/// One operation's gas as a bench measured it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GasRow {
    /// The operation (e.g. `supply`, `pair.swap (direct)`).
    pub operation: String,
    /// Gas used with the Stylus programs not cached.
    pub uncached: u64,
    /// Gas used with the programs cached through `ArbWasmCache`.
    pub cached: u64,
    /// The reference it is compared with (`Solidity twin`, `Uniswap V2 published`), if any.
    pub reference: Option<(String, u64)>,
}

/// Directory of the benches' records: `<target>/gas-report`.
pub fn gas_dir() -> Result<std::path::PathBuf> {
    let dir = crate::wasm::artifact_dir()?;
    Ok(dir.parent().context("target directory")?.join("gas-report"))
}

/// Records `rows` as bench `bench`'s figures (`<target>/gas-report/<bench>.json`), for the report.
pub fn write_gas(bench: &str, rows: &[GasRow]) -> Result<()> {
    let dir = gas_dir()?;
    std::fs::create_dir_all(&dir)?;
    let tmp = dir.join(format!("{bench}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, serde_json::to_vec_pretty(rows)?)?;
    std::fs::rename(&tmp, dir.join(format!("{bench}.json")))?;
    Ok(())
}

/// The benches' records found in [`gas_dir`]: `(bench, age in seconds, rows)`, by bench name.
pub fn read_gas() -> Result<Vec<(String, u64, Vec<GasRow>)>> {
    let dir = gas_dir()?;
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(out);
    };
    for entry in entries {
        let path = entry?.path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let bench = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let rows: Vec<GasRow> = serde_json::from_slice(&std::fs::read(&path)?)
            .with_context(|| format!("reading {}", path.display()))?;
        let age = std::fs::metadata(&path)?
            .modified()?
            .elapsed()
            .map_or(0, |d| d.as_secs());
        out.push((bench, age, rows));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// The benches that record into [`gas_dir`].
pub const GAS_BENCHES: [&str; 4] = ["vault_gas", "pool_gas", "lending_gas", "nft_gas"];

/// When benches are re-run before the report reads their records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BenchPolicy {
    /// Only read the records.
    Never,
    /// Re-run a bench whose record is missing or older than the newest contract artifact.
    Stale,
    /// Re-run every bench.
    Always,
}

/// The benches to re-run under `policy`, given each record's modification time and the newest
/// artifact's.
pub fn benches_to_run(
    policy: BenchPolicy,
    records: &[(&str, Option<std::time::SystemTime>)],
    newest_artifact: Option<std::time::SystemTime>,
) -> Vec<String> {
    records
        .iter()
        .filter(|(_, modified)| match policy {
            BenchPolicy::Never => false,
            BenchPolicy::Always => true,
            BenchPolicy::Stale => match (modified, newest_artifact) {
                (None, _) => true,
                (Some(m), Some(a)) => *m < a,
                (Some(_), None) => false,
            },
        })
        .map(|(b, _)| b.to_string())
        .collect()
}

/// Re-runs the gas benches `policy` selects (see the module docs) with `cargo bench -p e2e` in
/// this workspace; their tables go to stderr. Returns the benches run.
pub fn refresh_gas(policy: BenchPolicy) -> Result<Vec<String>> {
    let dir = gas_dir()?;
    let modified = |p: &std::path::Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let records: Vec<(&str, Option<std::time::SystemTime>)> = GAS_BENCHES
        .iter()
        .map(|b| (*b, modified(&dir.join(format!("{b}.json")))))
        .collect();
    let newest_artifact = std::fs::read_dir(crate::wasm::artifact_dir()?)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "deployable"))
        .filter_map(|p| modified(&p))
        .max();
    let run = benches_to_run(policy, &records, newest_artifact);
    let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .context("workspace root")?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    for bench in &run {
        eprintln!("report: running `cargo bench -p e2e --bench {bench}`");
        let status = std::process::Command::new(&cargo)
            .current_dir(workspace)
            .args(["bench", "-p", "e2e", "--bench", bench])
            .stdout(std::process::Stdio::from(std::io::stderr()))
            .status()
            .with_context(|| format!("starting cargo bench --bench {bench}"))?;
        if !status.success() {
            bail!("cargo bench -p e2e --bench {bench} failed ({status})");
        }
    }
    Ok(run)
}

/// The Markdown per-operation gas table of the benches' records, and which benches have none.
pub fn render_gas(records: &[(String, u64, Vec<GasRow>)]) -> String {
    let mut s = String::from(
        "\n| bench | operation | uncached | cached | reference | reference gas | cached / reference |\n|---|---|---:|---:|---|---:|---:|\n",
    );
    for (bench, _, rows) in records {
        for r in rows {
            let (label, gas, ratio) = match &r.reference {
                Some((label, gas)) if *gas > 0 => (
                    label.as_str(),
                    gas.to_string(),
                    format!("{:.2}", r.cached as f64 / *gas as f64),
                ),
                _ => ("—", "—".into(), "—".into()),
            };
            let _ = writeln!(
                s,
                "| {bench} | {} | {} | {} | {label} | {gas} | {ratio} |",
                r.operation, r.uncached, r.cached
            );
        }
    }
    let ages: Vec<String> = records
        .iter()
        .map(|(b, age, _)| format!("{b} {} min ago", age / 60))
        .collect();
    let missing: Vec<&str> = GAS_BENCHES
        .iter()
        .filter(|b| !records.iter().any(|(r, _, _)| r == *b))
        .copied()
        .collect();
    if !ages.is_empty() {
        let _ = writeln!(
            s,
            "\nPer-operation gas as the benches last recorded it ({}).",
            ages.join(", ")
        );
    }
    if !missing.is_empty() {
        let _ = writeln!(
            s,
            "\nNo record yet from {}: run `stylus-yield report` without `--no-bench`, or `cargo bench -p e2e --bench <name>`.",
            missing.join(", ")
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_one_row_per_artifact_and_flags_oversize() {
        let row = |name: &str, deployable_len| Row {
            name: name.into(),
            wasm_len: 40_000,
            deployable_len,
            deploy_gas: 3_000_000,
            activate_gas: 1_500_000,
            data_fee: U256::from(123_000_000_000_000u64),
        };
        let t = render(&[row("a", 20_000), row("b", MAX_CODE_SIZE + 1)]);
        assert!(
            t.contains("| a | 40000 | 20000 | 3000000 | 1500000 | 0.000123000000000000 |"),
            "{t}"
        );
        assert!(t.contains(&format!("| b | 40000 | {} **over** |", MAX_CODE_SIZE + 1)));
        assert_eq!(t.lines().filter(|l| l.starts_with("| ")).count(), 3);
    }

    #[test]
    fn renders_gas_records_with_ratio_and_names_missing_benches() {
        let rows = vec![
            GasRow {
                operation: "swap".into(),
                uncached: 150_000,
                cached: 75_000,
                reference: Some(("twin".into(), 60_000)),
            },
            GasRow {
                operation: "supply".into(),
                uncached: 170_000,
                cached: 87_000,
                reference: None,
            },
        ];
        let t = render_gas(&[("pool_gas".into(), 120, rows)]);
        assert!(
            t.contains("| pool_gas | swap | 150000 | 75000 | twin | 60000 | 1.25 |"),
            "{t}"
        );
        assert!(
            t.contains("| pool_gas | supply | 170000 | 87000 | — | — | — |"),
            "{t}"
        );
        assert!(t.contains("pool_gas 2 min ago"), "{t}");
        assert!(
            t.contains("No record yet from vault_gas, lending_gas, nft_gas"),
            "{t}"
        );
    }

    #[test]
    fn reruns_missing_and_stale_benches() {
        use std::time::{Duration, SystemTime};
        let t0 = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000);
        let later = t0 + Duration::from_secs(10);
        let records = [
            ("fresh", Some(later)),
            ("stale", Some(t0)),
            ("missing", None),
        ];
        let names = |p| benches_to_run(p, &records, Some(t0 + Duration::from_secs(5)));
        assert_eq!(names(BenchPolicy::Stale), ["stale", "missing"]);
        assert_eq!(names(BenchPolicy::Always), ["fresh", "stale", "missing"]);
        assert!(names(BenchPolicy::Never).is_empty());
        // No artifacts to compare with: only missing records are re-run.
        assert_eq!(
            benches_to_run(BenchPolicy::Stale, &records, None),
            ["missing"]
        );
    }
}
