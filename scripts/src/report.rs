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
//! Still to come (issue 20): the per-operation gas table (uncached and cached beside the Solidity
//! twins and anchors) of every product.

use std::fmt::Write as _;

use alloy::{
    network::{EthereumWallet, TransactionBuilder},
    primitives::{utils::format_ether, Address, Bytes, U256},
    providers::{DynProvider, Provider, ProviderBuilder},
    rpc::types::TransactionRequest,
    signers::local::PrivateKeySigner,
};
use anyhow::{anyhow, bail, Context, Result};

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
}
