//! Deployable code of the contracts, by artifact (contract crate) name: built by the wasm pipeline
//! or read from a directory of previously built artifacts.

use std::collections::BTreeMap;
use std::path::Path;

use alloy::primitives::Bytes;
use anyhow::{anyhow, Result};

use crate::suite::SuiteContract;

/// File extension of a deployable artifact (`EF F0 00 00` ‖ brotli stream) in an artifacts directory.
pub const DEPLOYABLE_EXT: &str = "deployable";

/// Deployable code by artifact name.
#[derive(Clone, Debug, Default)]
pub struct Artifacts {
    codes: BTreeMap<String, Bytes>,
}

impl Artifacts {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) the code of `name`.
    pub fn insert(&mut self, name: impl Into<String>, code: impl Into<Bytes>) {
        self.codes.insert(name.into(), code.into());
    }

    /// Code of `name`.
    pub fn code(&self, name: &str) -> Result<&Bytes> {
        self.codes
            .get(name)
            .ok_or_else(|| anyhow!("no deployable artifact for contract {name}"))
    }

    /// Names present.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.codes.keys().map(String::as_str)
    }

    /// Reads `<name>.deployable` (also accepting `_` for `-`) for every suite artifact from `dir`.
    pub fn from_dir(dir: &Path) -> Result<Self> {
        let mut out = Self::new();
        for contract in SuiteContract::ALL {
            let name = contract.artifact();
            if out.codes.contains_key(name) {
                continue;
            }
            let candidates = [
                dir.join(format!("{name}.{DEPLOYABLE_EXT}")),
                dir.join(format!("{}.{DEPLOYABLE_EXT}", name.replace('-', "_"))),
            ];
            let path = candidates.iter().find(|p| p.exists()).ok_or_else(|| {
                anyhow!(
                    "artifact {} not found in {}",
                    candidates[0]
                        .file_name()
                        .map(|f| f.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    dir.display()
                )
            })?;
            let code =
                std::fs::read(path).map_err(|e| anyhow!("cannot read {}: {e}", path.display()))?;
            out.insert(name, code);
        }
        Ok(out)
    }

    /// Builds the contracts with the project's wasm pipeline ([`crate::wasm::build`]; cargo does
    /// nothing when they are up to date) and takes their deployable code.
    pub fn build() -> Result<Self> {
        let built =
            crate::wasm::build().map_err(|e| anyhow!("building the contracts failed: {e:#}"))?;
        let mut out = Self::new();
        for artifact in built {
            out.insert(artifact.name, artifact.deployable);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_directory_and_names_missing_files() {
        let dir =
            std::env::temp_dir().join(format!("stylus-yield-artifacts-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("test-token.deployable"), [0xEF, 0xF0, 0, 0, 1]).unwrap();
        let err = Artifacts::from_dir(&dir).unwrap_err().to_string();
        assert!(
            err.contains("staking-vault-rewards-facet.deployable"),
            "{err}"
        );
        std::fs::write(
            dir.join("staking-vault-rewards-facet.deployable"),
            [0xEF, 0xF0, 0, 0, 3],
        )
        .unwrap();
        let err = Artifacts::from_dir(&dir).unwrap_err().to_string();
        assert!(err.contains("staking-vault.deployable"), "{err}");
        // `_` accepted for `-`.
        std::fs::write(dir.join("staking_vault.deployable"), [0xEF, 0xF0, 0, 0, 2]).unwrap();
        let err = Artifacts::from_dir(&dir).unwrap_err().to_string();
        assert!(
            err.contains("liquidity-pool-rewards-facet.deployable"),
            "{err}"
        );
        let mut names: Vec<&str> = SuiteContract::ALL.iter().map(|c| c.artifact()).collect();
        names.sort();
        names.dedup();
        for name in &names[..] {
            let path = dir.join(format!("{name}.deployable"));
            if !path.exists()
                && !dir
                    .join(format!("{}.deployable", name.replace('-', "_")))
                    .exists()
            {
                std::fs::write(path, [0xEF, 0xF0, 0, 0, 9]).unwrap();
            }
        }
        let a = Artifacts::from_dir(&dir).unwrap();
        assert_eq!(
            a.code("staking-vault").unwrap().as_ref(),
            &[0xEF, 0xF0, 0, 0, 2]
        );
        assert_eq!(a.names().count(), names.len());
        let _ = std::fs::remove_dir_all(dir);
    }
}
