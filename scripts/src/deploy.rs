//! `stylus-yield deploy`: puts the suite (asset token, reward token, rewards facet, staking vault)
//! on any chain that speaks Ethereum JSON-RPC and has ArbWasm and the StylusDeployer, activates each
//! program, sets the contracts up, and records everything in `deployments/<chain-id>.json`.
//!
//! The vault is deployed, activated and constructed (asset, owner, rewards facet) in **one**
//! transaction through the StylusDeployer, as `cargo stylus deploy` does: nobody can initialise
//! it in between. The test tokens keep a plain CREATE + activation + `initialize`.
//!
//! The run is resumable: the record is written atomically (temp file + rename) after every transaction,
//! and a later run verifies each recorded address still holds the expected code and skips every step
//! already done (deploy, activation, setup). `--dry-run` only estimates.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use alloy::contract::{CallBuilder, CallDecoder};
use alloy::network::{EthereumWallet, TransactionBuilder};
use alloy::primitives::{keccak256, Address, Bytes, B256, U256};
use alloy::providers::{DynProvider, Provider, ProviderBuilder};
use alloy::rpc::types::state::StateOverridesBuilder;
use alloy::rpc::types::{TransactionReceipt, TransactionRequest};
use alloy::signers::local::PrivateKeySigner;
use alloy::transports::http::reqwest::Url;
use anyhow::{anyhow, bail, Context, Result};
use serde::{Deserialize, Serialize};

use crate::artifacts::Artifacts;
use crate::suite::{
    check_code, format_units18, initcode, vault_constructor_call, IArbWasm, IStakingVault,
    IStylusDeployer, ITestToken, SuiteContract, ARB_WASM, REWARD_DURATION_SECS, STYLUS_DEPLOYER,
};
use crate::ui::{format_duration, Progress};

/// Name of the environment variable holding the deployer key.
pub const PRIVATE_KEY_ENV: &str = "PRIVATE_KEY";

/// Percentage added to the estimated data fee when activating (cargo-stylus uses 20 %); the excess
/// is refunded by ArbWasm.
pub const DATA_FEE_BUMP_PERCENT: u64 = 20;

/// How long to wait for the first answer of the RPC endpoint.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

/// Gas assumed for one setup call when it cannot be estimated before its contract exists.
const SETUP_GAS_GUESS: u64 = 400_000;

// ---------------------------------------------------------------------------------------------
// Key handling
// ---------------------------------------------------------------------------------------------

/// Why the deployer key was refused. Messages never contain the key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// The variable is unset or empty.
    #[error(
        "PRIVATE_KEY is not set: export the deployer's private key (64 hex digits) as PRIVATE_KEY"
    )]
    Missing,
    /// Not 32 bytes of hex.
    #[error(
        "PRIVATE_KEY is malformed: expected 32 bytes as 64 hex digits, optionally 0x-prefixed"
    )]
    Malformed,
    /// 32 bytes, but zero or not below the secp256k1 group order.
    #[error("PRIVATE_KEY is not a valid secp256k1 private key")]
    Invalid,
}

/// Parses the deployer key from the raw value of `PRIVATE_KEY` (`None` when unset).
pub fn parse_private_key(raw: Option<&str>) -> Result<PrivateKeySigner, KeyError> {
    let raw = raw.map(str::trim).unwrap_or_default();
    if raw.is_empty() {
        return Err(KeyError::Missing);
    }
    let hex = raw
        .strip_prefix("0x")
        .or_else(|| raw.strip_prefix("0X"))
        .unwrap_or(raw);
    if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(KeyError::Malformed);
    }
    let mut bytes = [0u8; 32];
    for (i, pair) in hex.as_bytes().chunks(2).enumerate() {
        let s = std::str::from_utf8(pair).map_err(|_| KeyError::Malformed)?;
        bytes[i] = u8::from_str_radix(s, 16).map_err(|_| KeyError::Malformed)?;
    }
    PrivateKeySigner::from_bytes(&B256::from(bytes)).map_err(|_| KeyError::Invalid)
}

/// Reads the deployer key from the `PRIVATE_KEY` environment variable.
pub fn key_from_env() -> Result<PrivateKeySigner, KeyError> {
    let raw = std::env::var(PRIVATE_KEY_ENV).ok();
    parse_private_key(raw.as_deref())
}

// ---------------------------------------------------------------------------------------------
// Deployments file
// ---------------------------------------------------------------------------------------------

/// Content of `deployments/<chain-id>.json`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deployments {
    /// Chain the contracts live on.
    pub chain_id: u64,
    /// Account that deployed them (and owns the vault).
    pub deployer: Address,
    /// One record per suite contract, keyed by [`SuiteContract::key`].
    #[serde(default)]
    pub contracts: BTreeMap<String, ContractRecord>,
}

/// What is known about one deployed contract.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractRecord {
    /// Artifact (contract crate) whose code was deployed.
    pub artifact: String,
    /// Contract address.
    pub address: Address,
    /// keccak256 of the deployed (prefixed, compressed) code; the activation key.
    pub code_hash: B256,
    /// Size of the deployed code in bytes.
    pub code_size: usize,
    /// Deployment transaction.
    pub deploy_tx: B256,
    /// Gas used by the deployment transaction.
    pub deploy_gas_used: u64,
    /// Activation through ArbWasm, once done (or found done).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activation: Option<ActivationRecord>,
    /// Setup transactions (initialisation, reward registration), in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub setup: Vec<SetupRecord>,
}

/// Activation of a program's code hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivationRecord {
    /// Stylus version the code was activated at.
    pub version: u16,
    /// Data fee paid (wei, a decimal string in the file); zero when the code hash was already
    /// active (shared code).
    #[serde(with = "u256_decimal")]
    pub data_fee: U256,
    /// Activation transaction; `None` when the code hash was already active.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tx: Option<B256>,
    /// Gas used by the activation transaction (0 when none was sent).
    #[serde(default)]
    pub gas_used: u64,
}

/// One setup transaction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupRecord {
    /// Step name (`init`, `add_reward`).
    pub step: String,
    /// Transaction hash; `None` when the step was found already done on chain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tx: Option<B256>,
    /// Gas used (0 when no transaction was sent).
    #[serde(default)]
    pub gas_used: u64,
}

/// Serde for wei amounts as decimal strings (readable in the file); also reads `0x` hex.
mod u256_decimal {
    use alloy::primitives::U256;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &U256, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&v.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<U256, D::Error> {
        let text = String::deserialize(d)?;
        text.parse::<U256>().map_err(serde::de::Error::custom)
    }
}

impl Deployments {
    /// Path of the record for `chain_id` inside `dir`.
    pub fn path_in(dir: &Path, chain_id: u64) -> PathBuf {
        dir.join(format!("{chain_id}.json"))
    }

    /// Loads a record; `Ok(None)` when the file does not exist.
    pub fn load(path: &Path) -> Result<Option<Self>> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(anyhow!("cannot read {}: {e}", path.display())),
        };
        let parsed = serde_json::from_str(&text)
            .map_err(|e| anyhow!("deployments file {} is malformed: {e}", path.display()))?;
        Ok(Some(parsed))
    }

    /// Writes the record atomically: a temp file in the same directory, fsync, then rename over
    /// `path`. Readers see either the old or the new file, never a partial one.
    pub fn save_atomic(&self, path: &Path) -> Result<()> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        std::fs::create_dir_all(dir)
            .map_err(|e| anyhow!("cannot create directory {}: {e}", dir.display()))?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".deployments-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| anyhow!("cannot create a temp file in {}: {e}", dir.display()))?;
        let mut json = serde_json::to_string_pretty(self)?;
        json.push('\n');
        tmp.write_all(json.as_bytes())
            .and_then(|()| tmp.as_file().sync_all())
            .map_err(|e| anyhow!("cannot write {}: {e}", path.display()))?;
        tmp.persist(path)
            .map_err(|e| anyhow!("cannot replace {}: {}", path.display(), e.error))?;
        Ok(())
    }

    /// Record of `contract`, if any.
    pub fn get(&self, contract: SuiteContract) -> Option<&ContractRecord> {
        self.contracts.get(contract.key())
    }

    /// Address of `contract`, if deployed.
    pub fn address(&self, contract: SuiteContract) -> Option<Address> {
        self.get(contract).map(|r| r.address)
    }
}

/// Where a recorded contract stands, decided from the record, the artifact and the chain's code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResumeState {
    /// Nothing recorded: deploy.
    NotRecorded,
    /// Recorded and the chain holds the artifact's code there: skip deployment.
    Deployed,
    /// Recorded, but the address has no code (e.g. a restarted dev chain): deploy again.
    Vanished,
    /// Recorded with other code than the current artifact (the artifact changed since).
    ArtifactChanged,
    /// The address holds code that matches neither the record nor the artifact.
    Foreign,
}

/// Decides the [`ResumeState`] of a contract from its record, the artifact's code hash and the code
/// currently at the recorded address (pure: no RPC).
pub fn resume_state(
    record: Option<&ContractRecord>,
    artifact_hash: B256,
    onchain_code: Option<&[u8]>,
) -> ResumeState {
    let Some(record) = record else {
        return ResumeState::NotRecorded;
    };
    let code = onchain_code.unwrap_or_default();
    if code.is_empty() {
        return ResumeState::Vanished;
    }
    let onchain_hash = keccak256(code);
    if onchain_hash != record.code_hash {
        ResumeState::Foreign
    } else if record.code_hash != artifact_hash {
        ResumeState::ArtifactChanged
    } else {
        ResumeState::Deployed
    }
}

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

/// Estimated cost of what remains to be done.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// One line per contract.
    pub rows: Vec<PlanRow>,
    /// Gas price used for the totals (wei).
    pub gas_price: u128,
}

/// Estimate for one contract.
#[derive(Clone, Debug)]
pub struct PlanRow {
    /// Contract.
    pub contract: SuiteContract,
    /// Deployable code size.
    pub code_size: usize,
    /// Where it stands.
    pub state: String,
    /// Gas of the deployment (None: skipped or unknown).
    pub deploy_gas: Option<u64>,
    /// Gas of the activation (None: skipped or unknown).
    pub activation_gas: Option<u64>,
    /// Activation data fee (None: skipped or unknown).
    pub data_fee: Option<U256>,
    /// Setup transactions still to send.
    pub setup_txs: u64,
    /// Why an estimate is missing.
    pub note: String,
}

impl Plan {
    /// Upper estimate of the wei needed: gas × price (setup calls guessed) plus data fees with the bump.
    pub fn total_cost(&self) -> U256 {
        let mut gas: u64 = 0;
        let mut fees = U256::ZERO;
        for row in &self.rows {
            gas = gas
                .saturating_add(row.deploy_gas.unwrap_or(0))
                .saturating_add(row.activation_gas.unwrap_or(0))
                .saturating_add(row.setup_txs.saturating_mul(SETUP_GAS_GUESS));
            fees += bump(row.data_fee.unwrap_or_default());
        }
        U256::from(gas) * U256::from(self.gas_price) + fees
    }

    /// Renders the plan as a table.
    pub fn render(&self) -> String {
        let mut out = format!(
            "{:<14} {:>9}  {:<22} {:>12} {:>14} {:>22} {:>6}\n",
            "contract", "size", "state", "deploy gas", "activate gas", "data fee (ETH)", "setup"
        );
        let opt = |v: Option<u64>| v.map_or("-".to_string(), |g| g.to_string());
        for r in &self.rows {
            out += &format!(
                "{:<14} {:>9}  {:<22} {:>12} {:>14} {:>22} {:>6}\n",
                r.contract.key(),
                r.code_size,
                r.state,
                opt(r.deploy_gas),
                opt(r.activation_gas),
                r.data_fee.map_or("-".to_string(), format_units18),
                r.setup_txs,
            );
            if !r.note.is_empty() {
                out += &format!("    note: {}\n", r.note);
            }
        }
        out += &format!(
            "estimated cost: ≤ {} ETH at {} wei gas price (data fees +{}%, setup calls counted as {} gas)\n",
            format_units18(self.total_cost()),
            self.gas_price,
            DATA_FEE_BUMP_PERCENT,
            SETUP_GAS_GUESS
        );
        out
    }
}

/// `fee` plus [`DATA_FEE_BUMP_PERCENT`].
pub fn bump(fee: U256) -> U256 {
    fee * U256::from(100 + DATA_FEE_BUMP_PERCENT) / U256::from(100u64)
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

    /// Estimates what remains to do (no transaction is sent).
    pub async fn plan(&self, record: &Deployments, artifacts: &Artifacts) -> Result<Plan> {
        let gas_price = self
            .provider
            .get_gas_price()
            .await
            .map_err(|e| anyhow!("eth_gasPrice failed: {}", one_line(e)))?;
        let mut plan = Plan {
            rows: Vec::new(),
            gas_price,
        };
        let mut activated_here: Vec<B256> = Vec::new();
        for contract in SuiteContract::ALL {
            let code = artifacts.code(contract.artifact())?;
            let hash = check_code(contract.artifact(), code)?;
            let onchain = match record.get(contract) {
                Some(r) => Some(self.code_at(r.address).await?),
                None => None,
            };
            let state = resume_state(
                record.get(contract),
                hash,
                onchain.as_ref().map(|b| b.as_ref()),
            );
            let mut row = PlanRow {
                contract,
                code_size: code.len(),
                state: String::new(),
                deploy_gas: None,
                activation_gas: None,
                data_fee: None,
                setup_txs: 0,
                note: String::new(),
            };
            let deployed = state == ResumeState::Deployed;
            if deployed {
                row.state = "deployed".into();
            } else {
                row.state = match state {
                    ResumeState::Vanished => "to redeploy (no code)".into(),
                    ResumeState::ArtifactChanged => "artifact changed".into(),
                    ResumeState::Foreign => "foreign code".into(),
                    _ => "to deploy".into(),
                };
                let tx = TransactionRequest::default()
                    .with_from(self.from)
                    .with_deploy_code(initcode(code));
                match self.provider.estimate_gas(tx).await {
                    Ok(g) => row.deploy_gas = Some(g),
                    Err(e) => row.note = format!("deploy gas: {}", one_line(e)),
                }
            }
            let active = match self.activation_status(hash).await {
                Ok(status) => matches!(status, ActivationStatus::Active(_)),
                Err(e) => {
                    row.note = one_line(e);
                    false
                }
            } || activated_here.contains(&hash);
            if active {
                row.state += ", active";
            } else {
                activated_here.push(hash);
                // A stand-in address for code not deployed yet: derived from the code hash.
                let program = match record.get(contract) {
                    Some(r) if deployed => r.address,
                    _ => Address::from_word(keccak256(hash)),
                };
                let code_override = (!deployed).then_some(code);
                match self.data_fee(program, code_override).await {
                    Ok(fee) => {
                        row.data_fee = Some(fee);
                        let arb_wasm = IArbWasm::new(ARB_WASM, &self.provider);
                        let mut call = arb_wasm
                            .activateProgram(program)
                            .from(self.from)
                            .value(bump(fee));
                        if let Some(code) = code_override {
                            call = call.state(
                                StateOverridesBuilder::default()
                                    .with_code(program, code.clone())
                                    .build(),
                            );
                        }
                        match call.estimate_gas().await {
                            Ok(g) => row.activation_gas = Some(g),
                            Err(e) => {
                                row.note = format!("activation gas: {}", one_line(e));
                            }
                        }
                    }
                    Err(e) => row.note = format!("data fee: {}", one_line(e)),
                }
            }
            row.setup_txs = setup_steps(contract)
                .iter()
                .filter(|s| {
                    !deployed
                        || !record
                            .get(contract)
                            .is_some_and(|r| r.setup.iter().any(|d| d.step == **s))
                })
                .count() as u64;
            plan.rows.push(row);
        }
        Ok(plan)
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

    fn save(record: &Deployments, file: Option<&Path>) -> Result<()> {
        match file {
            Some(path) => record.save_atomic(path),
            None => Ok(()),
        }
    }

    async fn ensure_deployed(
        &self,
        contract: SuiteContract,
        code: &Bytes,
        record: &mut Deployments,
        file: Option<&Path>,
        steps: &mut Vec<StepLog>,
    ) -> Result<()> {
        let hash = keccak256(code);
        let onchain = match record.get(contract) {
            Some(r) => Some(self.code_at(r.address).await?),
            None => None,
        };
        let step = self.progress.start(format!("deploy {}", contract.label()));
        match resume_state(
            record.get(contract),
            hash,
            onchain.as_ref().map(|b| b.as_ref()),
        ) {
            ResumeState::Deployed => {
                let address = record.address(contract).unwrap_or_default();
                let elapsed = step.done(format!("already at {address}"));
                steps.push(StepLog {
                    contract,
                    action: "deploy".into(),
                    outcome: Outcome::Skipped(format!("already deployed at {address}")),
                    elapsed,
                });
                return Ok(());
            }
            ResumeState::ArtifactChanged => {
                step.fail("artifact changed");
                bail!(
                    "{} at {} runs other code than the current {} artifact: pass --fresh to deploy a new suite",
                    contract.key(),
                    record.address(contract).unwrap_or_default(),
                    contract.artifact()
                );
            }
            ResumeState::Foreign => {
                step.fail("unexpected code");
                bail!(
                    "{} at {}: the code there does not match the deployments record; pass --fresh to deploy a new suite",
                    contract.key(),
                    record.address(contract).unwrap_or_default()
                );
            }
            ResumeState::Vanished => {
                self.progress.note(format!(
                    "{} recorded at {} has no code (chain reset?): deploying again",
                    contract.key(),
                    record.address(contract).unwrap_or_default()
                ));
                // It and everything deployed after it (which may depend on it) are stale.
                for later in SuiteContract::ALL.iter().filter(|c| **c >= contract) {
                    record.contracts.remove(later.key());
                }
            }
            ResumeState::NotRecorded => {}
        }
        let sent = if contract == SuiteContract::Vault {
            self.deploy_constructed(contract, code, record).await
        } else {
            self.deploy_plain(contract, code).await
        };
        let (receipt, address, activation) = match sent {
            Ok(r) => r,
            Err(e) => {
                step.fail("");
                return Err(e.context(format!("deploying {}", contract.key())));
            }
        };
        let deployed = self.code_at(address).await?;
        if keccak256(&deployed) != hash {
            step.fail("");
            bail!(
                "deploying {}: code at {address} differs from the artifact ({} bytes instead of {})",
                contract.key(),
                deployed.len(),
                code.len()
            );
        }
        let elapsed = step.done(format!("{address}, gas {}", receipt.gas_used));
        record.contracts.insert(
            contract.key().into(),
            ContractRecord {
                artifact: contract.artifact().into(),
                address,
                code_hash: hash,
                code_size: code.len(),
                deploy_tx: receipt.transaction_hash,
                deploy_gas_used: receipt.gas_used,
                activation,
                setup: Vec::new(),
            },
        );
        Self::save(record, file)?;
        steps.push(StepLog {
            contract,
            action: "deploy".into(),
            outcome: Outcome::Sent {
                tx: receipt.transaction_hash,
                gas_used: receipt.gas_used,
            },
            elapsed,
        });
        Ok(())
    }

    /// A plain CREATE of `code` (activation and setup follow as separate transactions).
    async fn deploy_plain(
        &self,
        contract: SuiteContract,
        code: &Bytes,
    ) -> Result<(TransactionReceipt, Address, Option<ActivationRecord>)> {
        let tx = TransactionRequest::default()
            .with_from(self.from)
            .with_deploy_code(initcode(code));
        let receipt = self.send_tx(tx).await?;
        let Some(address) = receipt.contract_address else {
            bail!(
                "deploying {}: the receipt has no contract address",
                contract.key()
            );
        };
        Ok((receipt, address, None))
    }

    /// Deploy + activate + `#[constructor]` in one transaction through the StylusDeployer (the
    /// vault: no initialisation window to front-run). The data fee is quoted first and bumped;
    /// the deployer refunds the excess.
    async fn deploy_constructed(
        &self,
        contract: SuiteContract,
        code: &Bytes,
        record: &Deployments,
    ) -> Result<(TransactionReceipt, Address, Option<ActivationRecord>)> {
        let dep = |c: SuiteContract| {
            record
                .address(c)
                .ok_or_else(|| anyhow!("{} is not deployed", c.key()))
        };
        let init_data = match contract {
            SuiteContract::Vault => vault_constructor_call(
                dep(SuiteContract::AssetToken)?,
                self.from,
                dep(SuiteContract::RewardsFacet)?,
            ),
            _ => bail!("{} has no constructor", contract.key()),
        };
        let hash = keccak256(code);
        let fee = match self.activation_status(hash).await? {
            ActivationStatus::Active(_) => U256::ZERO,
            _ => {
                let stand_in = Address::from_word(keccak256(hash));
                bump(self.data_fee(stand_in, Some(code)).await?)
            }
        };
        let deployer = IStylusDeployer::new(STYLUS_DEPLOYER, &self.provider);
        let call = deployer
            .deploy_call(initcode(code), init_data, U256::ZERO, B256::ZERO)
            .value(fee);
        let receipt = self.send_call(call).await?;
        let logs = receipt.inner.logs();
        let address = logs
            .iter()
            .find_map(|l| l.log_decode::<IStylusDeployer::ContractDeployed>().ok())
            .map(|e| e.inner.data.deployedContract)
            .ok_or_else(|| anyhow!("the StylusDeployer emitted no ContractDeployed"))?;
        let activation = logs
            .iter()
            .find_map(|l| l.log_decode::<IArbWasm::ProgramActivated>().ok())
            .map(|e| ActivationRecord {
                version: e.inner.data.version,
                data_fee: e.inner.data.dataFee,
                tx: Some(receipt.transaction_hash),
                gas_used: 0,
            });
        Ok((receipt, address, activation))
    }

    async fn ensure_activated(
        &self,
        contract: SuiteContract,
        record: &mut Deployments,
        file: Option<&Path>,
        steps: &mut Vec<StepLog>,
    ) -> Result<()> {
        let entry = record
            .get(contract)
            .cloned()
            .ok_or_else(|| anyhow!("{} is not deployed", contract.key()))?;
        let step = self
            .progress
            .start(format!("activate {}", contract.label()));
        if let ActivationStatus::Active(version) = self.activation_status(entry.code_hash).await? {
            let elapsed = step.done(format!("code hash already active (v{version})"));
            if let Some(r) = record.contracts.get_mut(contract.key()) {
                if r.activation.is_none() {
                    r.activation = Some(ActivationRecord {
                        version,
                        data_fee: U256::ZERO,
                        tx: None,
                        gas_used: 0,
                    });
                    Self::save(record, file)?;
                }
            }
            steps.push(StepLog {
                contract,
                action: "activate".into(),
                outcome: Outcome::Skipped(format!("already active (v{version})")),
                elapsed,
            });
            return Ok(());
        }
        let fee = match self.data_fee(entry.address, None).await {
            Ok(fee) => fee,
            Err(e) => {
                step.fail("");
                bail!(
                    "activation of {} at {} failed: {}",
                    contract.key(),
                    entry.address,
                    one_line(e)
                );
            }
        };
        let arb_wasm = IArbWasm::new(ARB_WASM, &self.provider);
        let call = arb_wasm.activateProgram(entry.address).value(bump(fee));
        let receipt = match self.send_call(call).await {
            Ok(r) => r,
            Err(e) => {
                step.fail("");
                bail!(
                    "activation of {} at {} failed: {}",
                    contract.key(),
                    entry.address,
                    one_line(format!("{e:#}"))
                );
            }
        };
        let event = receipt
            .inner
            .logs()
            .iter()
            .find_map(|log| log.log_decode::<IArbWasm::ProgramActivated>().ok());
        let (version, data_fee) = match event {
            Some(ev) => (ev.inner.data.version, ev.inner.data.dataFee),
            None => (0, fee),
        };
        let elapsed = step.done(format!(
            "data fee {} ETH, gas {}",
            format_units18(data_fee),
            receipt.gas_used
        ));
        if let Some(r) = record.contracts.get_mut(contract.key()) {
            r.activation = Some(ActivationRecord {
                version,
                data_fee,
                tx: Some(receipt.transaction_hash),
                gas_used: receipt.gas_used,
            });
        }
        Self::save(record, file)?;
        steps.push(StepLog {
            contract,
            action: "activate".into(),
            outcome: Outcome::Sent {
                tx: receipt.transaction_hash,
                gas_used: receipt.gas_used,
            },
            elapsed,
        });
        Ok(())
    }

    async fn ensure_setup(
        &self,
        contract: SuiteContract,
        record: &mut Deployments,
        file: Option<&Path>,
        steps: &mut Vec<StepLog>,
    ) -> Result<()> {
        let address = record
            .address(contract)
            .ok_or_else(|| anyhow!("{} is not deployed", contract.key()))?;
        for name in setup_steps(contract) {
            let recorded = record
                .get(contract)
                .is_some_and(|r| r.setup.iter().any(|s| s.step == *name));
            let step = self.progress.start(format!("{name} {}", contract.label()));
            let done_onchain = recorded || self.setup_done(contract, name, address, record).await;
            if done_onchain {
                if !recorded && contract == SuiteContract::Vault && *name == "init" {
                    if let Err(e) = self.check_vault_owner(address).await {
                        step.fail("");
                        return Err(e);
                    }
                }
                let elapsed = step.done("already done");
                if !recorded {
                    if let Some(r) = record.contracts.get_mut(contract.key()) {
                        r.setup.push(SetupRecord {
                            step: (*name).into(),
                            tx: None,
                            gas_used: 0,
                        });
                    }
                    Self::save(record, file)?;
                }
                steps.push(StepLog {
                    contract,
                    action: (*name).into(),
                    outcome: Outcome::Skipped("already done".into()),
                    elapsed,
                });
                continue;
            }
            let receipt = match self.send_setup(contract, name, address, record).await {
                Ok(r) => r,
                Err(e) => {
                    step.fail("");
                    return Err(e.context(format!("{name} of {}", contract.key())));
                }
            };
            let elapsed = step.done(format!("gas {}", receipt.gas_used));
            if let Some(r) = record.contracts.get_mut(contract.key()) {
                r.setup.push(SetupRecord {
                    step: (*name).into(),
                    tx: Some(receipt.transaction_hash),
                    gas_used: receipt.gas_used,
                });
            }
            Self::save(record, file)?;
            steps.push(StepLog {
                contract,
                action: (*name).into(),
                outcome: Outcome::Sent {
                    tx: receipt.transaction_hash,
                    gas_used: receipt.gas_used,
                },
                elapsed,
            });
        }
        Ok(())
    }

    /// Whether a setup step is visibly done on chain (for runs interrupted between sending a setup
    /// transaction and recording it). Any error counts as "not done".
    async fn setup_done(
        &self,
        contract: SuiteContract,
        step: &str,
        address: Address,
        record: &Deployments,
    ) -> bool {
        match (contract, step) {
            (SuiteContract::AssetToken | SuiteContract::RewardToken, "init") => {
                let token = ITestToken::new(address, &self.provider);
                token.name().call().await.is_ok_and(|n| !n.is_empty())
            }
            (SuiteContract::Vault, "add_reward") => {
                let Some(reward) = record.address(SuiteContract::RewardToken) else {
                    return false;
                };
                let vault = IStakingVault::new(address, &self.provider);
                vault
                    .rewardTokens()
                    .call()
                    .await
                    .is_ok_and(|tokens| tokens.contains(&reward))
            }
            _ => false,
        }
    }

    /// Fails unless the vault at `address` is owned by the deployer (someone could initialise a
    /// freshly deployed vault before us on a public chain).
    async fn check_vault_owner(&self, address: Address) -> Result<()> {
        let vault = IStakingVault::new(address, &self.provider);
        let owner = vault
            .owner()
            .call()
            .await
            .map_err(|e| anyhow!("reading owner() of the vault: {}", one_line(e)))?;
        if owner != self.from {
            bail!("the vault at {address} is owned by {owner}, not by the deployer {}: deploy a new suite with --fresh", self.from);
        }
        Ok(())
    }

    async fn send_setup(
        &self,
        contract: SuiteContract,
        step: &str,
        address: Address,
        record: &Deployments,
    ) -> Result<TransactionReceipt> {
        let dep = |c: SuiteContract| {
            record
                .address(c)
                .ok_or_else(|| anyhow!("{} is not deployed", c.key()))
        };
        match (contract, step) {
            (SuiteContract::AssetToken, "init") => {
                let token = ITestToken::new(address, &self.provider);
                self.send_call(token.initialize("Stylus USD".into(), "sUSD".into(), 18))
                    .await
            }
            (SuiteContract::RewardToken, "init") => {
                let token = ITestToken::new(address, &self.provider);
                self.send_call(token.initialize("Stylus Reward".into(), "sRWD".into(), 18))
                    .await
            }
            (SuiteContract::Vault, "add_reward") => {
                let vault = IStakingVault::new(address, &self.provider);
                let reward = dep(SuiteContract::RewardToken)?;
                self.send_call(vault.addReward(reward, self.from, U256::from(REWARD_DURATION_SECS)))
                    .await
            }
            _ => bail!("unknown setup step {step}"),
        }
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

/// The setup transactions of each contract after its activation, in order.
pub fn setup_steps(contract: SuiteContract) -> &'static [&'static str] {
    match contract {
        SuiteContract::AssetToken | SuiteContract::RewardToken => &["init"],
        SuiteContract::RewardsFacet => &[],
        SuiteContract::Vault => &["add_reward"],
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
        "{} transaction(s) sent in {}; record: {}",
        report.sent(),
        format_duration(started.elapsed()),
        path.display()
    ));
    Ok(DeployResult::Done(report))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(hash: B256) -> ContractRecord {
        ContractRecord {
            artifact: "test-token".into(),
            address: Address::repeat_byte(0x11),
            code_hash: hash,
            code_size: 10,
            deploy_tx: B256::repeat_byte(0x22),
            deploy_gas_used: 123,
            activation: None,
            setup: vec![],
        }
    }

    #[test]
    fn key_errors_never_echo_the_key() {
        assert_eq!(parse_private_key(None).unwrap_err(), KeyError::Missing);
        assert_eq!(
            parse_private_key(Some("  ")).unwrap_err(),
            KeyError::Missing
        );
        let short = "0xdeadbeef";
        let err = parse_private_key(Some(short)).unwrap_err();
        assert_eq!(err, KeyError::Malformed);
        assert!(!err.to_string().contains("deadbeef"));
        let not_hex = format!("0x{}", "zz".repeat(32));
        assert_eq!(
            parse_private_key(Some(&not_hex)).unwrap_err(),
            KeyError::Malformed
        );
        let zero = format!("0x{}", "00".repeat(32));
        assert_eq!(
            parse_private_key(Some(&zero)).unwrap_err(),
            KeyError::Invalid
        );
        let over = format!("0x{}", "ff".repeat(32));
        assert_eq!(
            parse_private_key(Some(&over)).unwrap_err(),
            KeyError::Invalid
        );
    }

    #[test]
    fn key_parses_with_or_without_prefix() {
        let with = parse_private_key(Some(crate::suite::DEV_PRIVATE_KEY)).unwrap();
        let without = parse_private_key(Some(&crate::suite::DEV_PRIVATE_KEY[2..])).unwrap();
        assert_eq!(with.address(), crate::suite::DEV_ADDRESS);
        assert_eq!(without.address(), crate::suite::DEV_ADDRESS);
        let padded = format!(" {}\n", crate::suite::DEV_PRIVATE_KEY);
        assert_eq!(
            parse_private_key(Some(&padded)).unwrap().address(),
            crate::suite::DEV_ADDRESS
        );
    }

    #[test]
    fn resume_states() {
        let code = b"\xEF\xF0\x00\x00abc".to_vec();
        let hash = keccak256(&code);
        let rec = record(hash);
        assert_eq!(resume_state(None, hash, None), ResumeState::NotRecorded);
        assert_eq!(
            resume_state(Some(&rec), hash, Some(&code)),
            ResumeState::Deployed
        );
        assert_eq!(
            resume_state(Some(&rec), hash, Some(&[])),
            ResumeState::Vanished
        );
        assert_eq!(resume_state(Some(&rec), hash, None), ResumeState::Vanished);
        assert_eq!(
            resume_state(Some(&rec), B256::repeat_byte(9), Some(&code)),
            ResumeState::ArtifactChanged
        );
        assert_eq!(
            resume_state(Some(&rec), hash, Some(b"\x60\x00")),
            ResumeState::Foreign
        );
    }

    fn temp_dir(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "stylus-yield-test-{tag}-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn atomic_save_round_trips_and_leaves_no_temp_files() {
        let dir = temp_dir("save").join("deployments");
        let path = Deployments::path_in(&dir, 412_346);
        assert_eq!(Deployments::load(&path).unwrap(), None);
        let mut d = Deployments {
            chain_id: 412_346,
            deployer: Address::repeat_byte(1),
            contracts: BTreeMap::new(),
        };
        d.save_atomic(&path).unwrap();
        assert_eq!(Deployments::load(&path).unwrap().as_ref(), Some(&d));
        d.contracts
            .insert("asset_token".into(), record(B256::repeat_byte(3)));
        d.contracts.get_mut("asset_token").unwrap().activation = Some(ActivationRecord {
            version: 2,
            data_fee: U256::from(12345u64),
            tx: Some(B256::repeat_byte(4)),
            gas_used: 1_700_000,
        });
        d.save_atomic(&path).unwrap();
        assert!(std::fs::read_to_string(&path)
            .unwrap()
            .contains("\"data_fee\": \"12345\""));
        let back = Deployments::load(&path).unwrap().unwrap();
        assert_eq!(back, d);
        assert_eq!(
            back.address(SuiteContract::AssetToken),
            Some(Address::repeat_byte(0x11))
        );
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, vec!["412346.json".to_string()]);
        let _ = std::fs::remove_dir_all(dir.parent().unwrap());
    }

    #[test]
    fn malformed_record_is_an_error_and_is_not_overwritten() {
        let dir = temp_dir("bad");
        std::fs::create_dir_all(&dir).unwrap();
        let path = Deployments::path_in(&dir, 1);
        std::fs::write(&path, "{ not json").unwrap();
        let err = Deployments::load(&path).unwrap_err().to_string();
        assert!(err.contains("is malformed"), "{err}");
        assert!(!err.contains('\n'));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{ not json");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn plan_cost_bumps_fees() {
        let plan = Plan {
            rows: vec![PlanRow {
                contract: SuiteContract::Vault,
                code_size: 1,
                state: String::new(),
                deploy_gas: Some(1_000),
                activation_gas: Some(2_000),
                data_fee: Some(U256::from(100u64)),
                setup_txs: 1,
                note: String::new(),
            }],
            gas_price: 10,
        };
        let gas = 1_000 + 2_000 + SETUP_GAS_GUESS;
        assert_eq!(plan.total_cost(), U256::from(gas * 10 + 120));
        assert!(plan.render().contains("staking_vault"));
    }

    #[test]
    fn one_line_flattens() {
        assert_eq!(one_line("a\n  b\tc "), "a b c");
    }
}
