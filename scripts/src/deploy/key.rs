//! The deployer key: read from `PRIVATE_KEY`, never echoed.

use alloy::primitives::B256;
use alloy::signers::local::PrivateKeySigner;

/// Name of the environment variable holding the deployer key.
pub const PRIVATE_KEY_ENV: &str = "PRIVATE_KEY";

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
