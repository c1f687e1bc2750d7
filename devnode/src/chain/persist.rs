//! The state file: the whole chain (world state with its journal, blocks, receipts, clock) as JSON,
//! written atomically (temporary file + rename).

use std::io::Write;
use std::path::Path;

use alloy::primitives::Bytes;
use serde::{Deserialize, Serialize};

use super::block::Block;
use super::state::WorldState;

/// Version of the state file format.
pub const FORMAT_VERSION: u32 = 1;

/// Everything a restart needs.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StateFile {
    /// [`FORMAT_VERSION`].
    pub format: u32,
    /// Chain id the state belongs to.
    pub chain_id: u64,
    /// Genesis timestamp (anchors the simulated L1 block numbers).
    pub genesis_timestamp: u64,
    /// Clock offset (`evm_increaseTime`) in seconds.
    pub time_offset: i64,
    /// Forced timestamp of the next block.
    pub next_timestamp: Option<u64>,
    /// World state and journal.
    pub state: WorldState,
    /// All blocks with their transactions and receipts.
    pub blocks: Vec<Block>,
}

/// Serializes a state file.
pub fn encode(file: &StateFile) -> anyhow::Result<Bytes> {
    Ok(serde_json::to_vec(file)?.into())
}

/// Parses a state file.
pub fn decode(bytes: &[u8]) -> anyhow::Result<StateFile> {
    let file: StateFile = serde_json::from_slice(bytes)?;
    if file.format != FORMAT_VERSION {
        anyhow::bail!(
            "unsupported state file format {} (expected {FORMAT_VERSION})",
            file.format
        );
    }
    Ok(file)
}

/// Reads a state file from disk.
pub fn read_file(path: &Path) -> anyhow::Result<StateFile> {
    let bytes =
        std::fs::read(path).map_err(|e| anyhow::anyhow!("reading {}: {e}", path.display()))?;
    decode(&bytes).map_err(|e| anyhow::anyhow!("parsing state file {}: {e}", path.display()))
}

/// Writes a state file atomically: a temporary file next to it, fsync, then rename.
pub fn write_file(path: &Path, file: &StateFile) -> anyhow::Result<()> {
    let bytes = encode(file)?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "state".into());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(&bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)?;
    Ok(())
}
