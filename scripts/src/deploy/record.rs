//! `deployments/<chain-id>.json`: what is deployed where, written atomically after every
//! transaction, and the resume decision for each recorded contract.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use alloy::primitives::{keccak256, Address, B256, U256};
use anyhow::{anyhow, Result};
use serde::{Deserialize, Serialize};

use crate::suite::SuiteContract;

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
    /// The exported JSON ABI to talk to it with (`abi/<artifact>.json`).
    #[serde(default)]
    pub abi: String,
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
    /// What the step made, when it made something addressable (`create_pair`: the pair's
    /// address; `create_market`: the market id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
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
