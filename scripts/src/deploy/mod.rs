//! `stylus-yield deploy`: puts the whole suite on any chain that speaks Ethereum JSON-RPC and has
//! ArbWasm and the StylusDeployer (the embedded devnode by default), activates each program, wires
//! the products together and records everything in `deployments/<chain-id>.json`.
//!
//! The suite ([`SuiteContract::ALL`], in order): the test tokens (sUSD, sRWD, sETH); the staking
//! vault and its rewards facet; the pool (pair rewards facet, locked pair template, factory, WETH,
//! router); the lending stack (IRM, price and sequencer feeds, oracle adapter, the market's three
//! facets, the market); the royalty NFT (admin, config and rewards facets, the collection).
//! Contracts with a `#[constructor]` are deployed, activated and constructed
//! in **one** transaction through the StylusDeployer, as `cargo stylus deploy` does: nobody can
//! initialise them in between; the others get a plain CREATE + activation. Wiring ([`setup`]):
//! token metadata, the vault's and the demo pair's reward streams (distributor: the deployer),
//! the sUSD/sETH pair, the IRM and LLTV enabled, the sUSD/sETH market created with its supply
//! incentives registered, the sequencer feed back-dated, the NFT's public sale opened.
//!
//! The run is resumable: the record is written atomically (temp file + rename) after every
//! transaction, and a later run verifies each recorded address still holds the expected code and
//! skips every step already done (deploy, activation, setup, the last also checked on chain).
//! `--dry-run` only estimates.
//!
//! Files: [`key`] (the deployer key), [`record`] (the deployments file, resume decision), [`plan`]
//! (dry-run estimate), `engine` (deploy / activate / set up one contract), [`setup`] (each
//! product's constructors and wiring).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use alloy::contract::{CallBuilder, CallDecoder};
use alloy::network::EthereumWallet;
use alloy::primitives::{keccak256, Address, Bytes, B256, U256};
use alloy::providers::{DynProvider, Provider, ProviderBuilder};
use alloy::rpc::types::state::StateOverridesBuilder;
use alloy::rpc::types::{TransactionReceipt, TransactionRequest};
use alloy::signers::local::PrivateKeySigner;
use alloy::transports::http::reqwest::Url;
use anyhow::{anyhow, bail, Context, Result};

use crate::artifacts::Artifacts;
use crate::suite::{check_code, format_units18, IArbWasm, SuiteContract, ARB_WASM};
use crate::ui::{format_duration, Progress};

mod engine;
pub mod key;
pub mod plan;
pub mod record;
pub mod setup;
#[cfg(test)]
mod tests;

pub use key::{key_from_env, parse_private_key, KeyError, PRIVATE_KEY_ENV};
pub use plan::{bump, Plan, PlanRow};
pub use record::{
    resume_state, ActivationRecord, ContractRecord, Deployments, ResumeState, SetupRecord,
};
pub use setup::{nft_init, seeded_market, setup_steps};

/// Percentage added to the estimated data fee when activating (cargo-stylus uses 20 %); the excess
/// is refunded by ArbWasm.
pub const DATA_FEE_BUMP_PERCENT: u64 = 20;

/// How long to wait for the first answer of the RPC endpoint.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

/// Gas assumed for one setup call when it cannot be estimated before its contract exists.
const SETUP_GAS_GUESS: u64 = 400_000;

// ---------------------------------------------------------------------------------------------
// Engine
// ---------------------------------------------------------------------------------------------

/// What one step of a run did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A transaction was sent and succeeded.
    Sent {
        /// Transaction hash.
        tx: B256,
        /// Gas used.
        gas_used: u64,
    },
    /// Nothing was sent; the reason says why.
    Skipped(String),
}

/// One step of a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepLog {
    /// Contract concerned.
    pub contract: SuiteContract,
    /// `deploy`, `activate`, or a setup step name.
    pub action: String,
    /// What happened.
    pub outcome: Outcome,
    /// Wall time of the step.
    pub elapsed: Duration,
}

/// Result of a run.
#[derive(Clone, Debug)]
pub struct DeployReport {
    /// The final record.
    pub deployments: Deployments,
    /// Every step, in order.
    pub steps: Vec<StepLog>,
    /// File the record was written to (none for in-memory runs).
    pub file: Option<PathBuf>,
}

impl DeployReport {
    /// Gas used by every transaction the run sent (deployments, activations, setup).
    pub fn gas_total(&self) -> u64 {
        self.steps
            .iter()
            .map(|s| match s.outcome {
                Outcome::Sent { gas_used, .. } => gas_used,
                Outcome::Skipped(_) => 0,
            })
            .sum()
    }

    /// Number of transactions sent by the run.
    pub fn sent(&self) -> usize {
        self.steps
            .iter()
            .filter(|s| matches!(s.outcome, Outcome::Sent { .. }))
            .count()
    }

    /// Total wall time of the steps whose action satisfies `pred`.
    pub fn time_of(&self, pred: impl Fn(&str) -> bool) -> Duration {
        self.steps
            .iter()
            .filter(|s| pred(&s.action))
            .map(|s| s.elapsed)
            .sum()
    }
}

/// Flattens an error message to one line.
pub fn one_line(msg: impl std::fmt::Display) -> String {
    msg.to_string()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The reason of a failed contract call or transaction in one line: the node's error message, the
/// decoded ArbWasm error when the revert data is one, or the raw revert data.
pub fn call_error_reason(err: &alloy::contract::Error) -> String {
    if let Some(decoded) = err.as_decoded_interface_error::<IArbWasm::IArbWasmErrors>() {
        let name = format!("{decoded:?}");
        // `Variant(Variant { fields })` → `Variant { fields }`
        let inner = name
            .split_once('(')
            .map(|(_, rest)| rest.trim_end_matches(')').to_string())
            .unwrap_or(name);
        return format!("ArbWasm error {inner}");
    }
    if let alloy::contract::Error::TransportError(t) = err {
        if let Some(resp) = t.as_error_resp() {
            let data = resp
                .data
                .as_ref()
                .map(|d| d.get().trim_matches('"').to_string());
            return match data.as_deref() {
                None | Some("0x") | Some("") | Some("null") => {
                    format!("{} (no revert data)", one_line(&resp.message))
                }
                Some(d) => format!("{} (revert data {d})", one_line(&resp.message)),
            };
        }
    }
    one_line(err)
}

/// Activation status of a code hash as ArbWasm reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActivationStatus {
    /// Active at this Stylus version.
    Active(u16),
    /// Not activated, expired, or needing an upgrade.
    Inactive,
}

/// Connects, checks and deploys the suite. One per run.
pub struct Deployer {
    provider: DynProvider,
    from: Address,
    chain_id: u64,
    progress: Progress,
}

impl Deployer {
    /// Connects to `rpc_url` with `signer`, checking the endpoint answers and (when `expected_chain_id`
    /// is given) that it serves that chain.
    pub async fn connect(
        rpc_url: Url,
        signer: PrivateKeySigner,
        expected_chain_id: Option<u64>,
        progress: Progress,
    ) -> Result<Self> {
        let from = signer.address();
        let provider = ProviderBuilder::new()
            .wallet(EthereumWallet::from(signer))
            .connect_http(rpc_url.clone())
            .erased();
        let chain_id = tokio::time::timeout(CONNECT_TIMEOUT, provider.get_chain_id())
            .await
            .map_err(|_| {
                anyhow!("cannot reach RPC endpoint {rpc_url}: no answer within {CONNECT_TIMEOUT:?}")
            })?
            .map_err(|e| anyhow!("cannot reach RPC endpoint {rpc_url}: {}", one_line(e)))?;
        if let Some(expected) = expected_chain_id {
            if expected != chain_id {
                bail!("wrong chain: {rpc_url} serves chain id {chain_id}, expected {expected}");
            }
        }
        Ok(Self {
            provider,
            from,
            chain_id,
            progress,
        })
    }

    /// Chain id served by the endpoint.
    pub fn chain_id(&self) -> u64 {
        self.chain_id
    }

    /// Deployer address.
    pub fn from(&self) -> Address {
        self.from
    }

    /// The signing provider (shared with the demo).
    pub fn provider(&self) -> &DynProvider {
        &self.provider
    }

    /// Loads the record for this chain from `dir` (or starts a new one when absent or `fresh`),
    /// checking it belongs to this chain.
    pub fn load_record(&self, dir: Option<&Path>, fresh: bool) -> Result<Deployments> {
        let empty = Deployments {
            chain_id: self.chain_id,
            deployer: self.from,
            contracts: BTreeMap::new(),
        };
        let Some(dir) = dir else { return Ok(empty) };
        let path = Deployments::path_in(dir, self.chain_id);
        if fresh {
            return Ok(empty);
        }
        match Deployments::load(&path)? {
            None => Ok(empty),
            Some(record) if record.chain_id != self.chain_id => bail!(
                "wrong chain: {} records chain id {}, but the endpoint serves chain id {}",
                path.display(),
                record.chain_id,
                self.chain_id
            ),
            Some(record) => Ok(record),
        }
    }

    /// Balance of the deployer.
    pub async fn balance(&self) -> Result<U256> {
        self.provider
            .get_balance(self.from)
            .await
            .map_err(|e| anyhow!("eth_getBalance failed: {}", one_line(e)))
    }

    /// Activation status of `code_hash`.
    pub async fn activation_status(&self, code_hash: B256) -> Result<ActivationStatus> {
        let arb_wasm = IArbWasm::new(ARB_WASM, &self.provider);
        match arb_wasm.codehashVersion(code_hash).call().await {
            Ok(version) => Ok(ActivationStatus::Active(version)),
            Err(e) => match e.as_decoded_interface_error::<IArbWasm::IArbWasmErrors>() {
                Some(
                    IArbWasm::IArbWasmErrors::ProgramNotActivated(_)
                    | IArbWasm::IArbWasmErrors::ProgramNeedsUpgrade(_)
                    | IArbWasm::IArbWasmErrors::ProgramExpired(_),
                ) => Ok(ActivationStatus::Inactive),
                _ => Err(anyhow!(
                    "ArbWasm.codehashVersion({code_hash}) failed: {}",
                    call_error_reason(&e)
                )),
            },
        }
    }

    /// Data fee ArbWasm would charge to activate `program` now, by an `eth_call` with no value (the
    /// precompile answers `ProgramInsufficientValue(have, want)`). With `code`, the program's code is
    /// supplied as a state override (for programs not deployed yet).
    pub async fn data_fee(&self, program: Address, code: Option<&Bytes>) -> Result<U256> {
        let arb_wasm = IArbWasm::new(ARB_WASM, &self.provider);
        let mut call = arb_wasm.activateProgram(program).from(self.from);
        if let Some(code) = code {
            call = call.state(
                StateOverridesBuilder::default()
                    .with_code(program, code.clone())
                    .build(),
            );
        }
        match call.call().await {
            Ok(ret) => Ok(ret.dataFee),
            Err(e) => match e.as_decoded_interface_error::<IArbWasm::IArbWasmErrors>() {
                Some(IArbWasm::IArbWasmErrors::ProgramInsufficientValue(v)) => Ok(v.want),
                Some(IArbWasm::IArbWasmErrors::ProgramUpToDate(_)) => Ok(U256::ZERO),
                _ => bail!("{}", call_error_reason(&e)),
            },
        }
    }

    /// Deploys, activates and sets up whatever is missing, saving `record` to `file` (when given)
    /// after every transaction.
    pub async fn run(
        &self,
        mut record: Deployments,
        artifacts: &Artifacts,
        file: Option<&Path>,
    ) -> Result<DeployReport> {
        // Refuse bad code before sending anything.
        for contract in SuiteContract::ALL {
            check_code(contract.artifact(), artifacts.code(contract.artifact())?)?;
        }
        // Refuse to start what the balance cannot finish.
        let balance = self.balance().await?;
        if balance.is_zero() {
            bail!(
                "insufficient funds: deployer {} has 0 ETH on chain {}",
                self.from,
                self.chain_id
            );
        }
        let plan = self.plan(&record, artifacts).await?;
        let need = plan.total_cost();
        if balance.is_zero() || balance < need {
            bail!(
                "insufficient funds: deployer {} has {} ETH on chain {}, the deployment needs about {} ETH",
                self.from,
                format_units18(balance),
                self.chain_id,
                format_units18(need)
            );
        }
        let mut steps = Vec::new();
        for contract in SuiteContract::ALL {
            let code = artifacts.code(contract.artifact())?.clone();
            self.ensure_deployed(contract, &code, &mut record, file, &mut steps)
                .await?;
            self.ensure_activated(contract, &mut record, file, &mut steps)
                .await?;
            self.ensure_setup(contract, &mut record, file, &mut steps)
                .await?;
        }
        Ok(DeployReport {
            deployments: record,
            steps,
            file: file.map(Path::to_path_buf),
        })
    }

    async fn code_at(&self, address: Address) -> Result<Bytes> {
        self.provider
            .get_code_at(address)
            .await
            .map_err(|e| anyhow!("eth_getCode({address}) failed: {}", one_line(e)))
    }

    /// Sends a prepared transaction and waits for a successful receipt.
    pub async fn send_tx(&self, tx: TransactionRequest) -> Result<TransactionReceipt> {
        let pending = self
            .provider
            .send_transaction(tx)
            .await
            .map_err(|e| classify_send_error(one_line(e), self.from))?;
        let receipt = pending
            .get_receipt()
            .await
            .map_err(|e| anyhow!("waiting for the receipt failed: {}", one_line(e)))?;
        if !receipt.status() {
            bail!("transaction {} reverted", receipt.transaction_hash);
        }
        Ok(receipt)
    }

    /// Sends a contract call and waits for a successful receipt.
    pub async fn send_call<P: Provider, D: CallDecoder>(
        &self,
        call: CallBuilder<P, D>,
    ) -> Result<TransactionReceipt> {
        let pending = call
            .send()
            .await
            .map_err(|e| classify_send_error(call_error_reason(&e), self.from))?;
        let receipt = pending
            .get_receipt()
            .await
            .map_err(|e| anyhow!("waiting for the receipt failed: {}", one_line(e)))?;
        if !receipt.status() {
            bail!("transaction {} reverted", receipt.transaction_hash);
        }
        Ok(receipt)
    }
}

fn classify_send_error(msg: String, from: Address) -> anyhow::Error {
    if msg.to_ascii_lowercase().contains("insufficient funds") {
        anyhow!("insufficient funds: {from} cannot pay for the transaction ({msg})")
    } else {
        anyhow!(msg)
    }
}

/// Options of `stylus-yield deploy`.
#[derive(Clone, Debug)]
pub struct DeployOptions {
    /// JSON-RPC endpoint.
    pub rpc_url: Url,
    /// Directory of the deployments record.
    pub out_dir: PathBuf,
    /// Estimate only.
    pub dry_run: bool,
    /// Chain id the endpoint must serve.
    pub expected_chain_id: Option<u64>,
    /// Ignore an existing record and deploy a new suite.
    pub fresh: bool,
}

/// What a `deploy` command did.
#[derive(Clone, Debug)]
pub enum DeployResult {
    /// `--dry-run`: the estimate.
    Planned(Plan),
    /// A real run.
    Done(DeployReport),
}

/// Runs `deploy` with `signer` and `artifacts`.
pub async fn deploy(
    opts: &DeployOptions,
    signer: PrivateKeySigner,
    artifacts: &Artifacts,
    progress: Progress,
) -> Result<DeployResult> {
    let deployer = Deployer::connect(
        opts.rpc_url.clone(),
        signer,
        opts.expected_chain_id,
        progress.clone(),
    )
    .await?;
    let record = deployer.load_record(Some(&opts.out_dir), opts.fresh)?;
    let path = Deployments::path_in(&opts.out_dir, deployer.chain_id());
    for contract in SuiteContract::ALL {
        check_code(contract.artifact(), artifacts.code(contract.artifact())?)?;
    }
    if opts.dry_run {
        let plan = deployer.plan(&record, artifacts).await?;
        return Ok(DeployResult::Planned(plan));
    }
    let started = std::time::Instant::now();
    let report = deployer
        .run(record, artifacts, Some(&path))
        .await
        .with_context(|| format!("deploy to chain {}", deployer.chain_id()))?;
    progress.note(format!(
        "{} transaction(s), {} gas, sent in {}; record: {}",
        report.sent(),
        report.gas_total(),
        format_duration(started.elapsed()),
        path.display()
    ));
    Ok(DeployResult::Done(report))
}
