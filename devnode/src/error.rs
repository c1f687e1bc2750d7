//! JSON-RPC errors as the devnode reports them (codes and messages follow geth/anvil).

use alloy::primitives::{hex, Bytes};
use alloy::sol_types::{Revert, SolError};
use jsonrpsee::types::ErrorObjectOwned;

/// JSON-RPC error code for invalid params.
pub const INVALID_PARAMS: i32 = -32602;
/// JSON-RPC error code for internal errors.
pub const INTERNAL_ERROR: i32 = -32603;
/// Generic server error (geth uses it for rejected transactions).
pub const SERVER_ERROR: i32 = -32000;
/// Resource not found / state not available.
pub const RESOURCE_NOT_FOUND: i32 = -32001;
/// Method exists but is not supported in this configuration.
pub const UNSUPPORTED: i32 = -32004;
/// Execution reverted (geth: code 3 with the revert bytes in `data`).
pub const EXECUTION_REVERTED: i32 = 3;

/// An error returned to a JSON-RPC client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RpcError {
    /// JSON-RPC error code.
    pub code: i32,
    /// Human-readable message.
    pub message: String,
    /// Optional data (revert bytes as hex for code 3).
    pub data: Option<serde_json::Value>,
}

/// Result type of the chain and RPC layers.
pub type RpcResult<T> = Result<T, RpcError>;

impl RpcError {
    /// An error with code and message.
    pub fn new(code: i32, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            data: None,
        }
    }

    /// -32602 invalid params.
    pub fn invalid_params(message: impl Into<String>) -> Self {
        Self::new(INVALID_PARAMS, message)
    }

    /// -32603 internal error.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(INTERNAL_ERROR, message)
    }

    /// -32000 server error (rejected transaction etc.).
    pub fn server(message: impl Into<String>) -> Self {
        Self::new(SERVER_ERROR, message)
    }

    /// -32001 resource not found (e.g. pruned historical state).
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(RESOURCE_NOT_FOUND, message)
    }

    /// Code 3 "execution reverted" with the revert data; `Error(string)` reasons are appended to the
    /// message as geth does, and so are the precompiles' own custom errors, decoded
    /// (`execution reverted: ProgramUpToDate()`), as Nitro does for its precompiles.
    pub fn reverted(output: &Bytes) -> Self {
        let reason = decode_revert_reason(output)
            .or_else(|| crate::trace::revert::describe_precompile_error(output));
        let message = match reason {
            Some(reason) => format!("execution reverted: {reason}"),
            None => "execution reverted".to_string(),
        };
        Self {
            code: EXECUTION_REVERTED,
            message,
            data: Some(serde_json::Value::String(hex::encode_prefixed(output))),
        }
    }
}

/// Decodes an `Error(string)` revert reason.
pub fn decode_revert_reason(output: &[u8]) -> Option<String> {
    if output.len() < 4 || output[..4] != Revert::SELECTOR {
        return None;
    }
    Revert::abi_decode(output).ok().map(|r| r.reason)
}

/// Human-readable description of revert data: `Error(string)`, `Panic(uint256)` with its meaning,
/// or the raw selector and length.
pub fn describe_revert(output: &[u8]) -> String {
    if let Some(reason) = decode_revert_reason(output) {
        return format!("Error({reason:?})");
    }
    if output.len() == 36 && output[..4] == alloy::sol_types::Panic::SELECTOR {
        let code = alloy::primitives::U256::from_be_slice(&output[4..]);
        let meaning = match code.saturating_to::<u64>() {
            0x00 => "generic compiler panic",
            0x01 => "assertion failed",
            0x11 => "arithmetic overflow or underflow",
            0x12 => "division or modulo by zero",
            0x21 => "invalid enum value",
            0x22 => "invalid storage byte array encoding",
            0x31 => "pop on an empty array",
            0x32 => "array index out of bounds",
            0x41 => "out of memory",
            0x51 => "call to a zero-initialized function",
            _ => "unknown panic code",
        };
        return format!("Panic({code:#x}: {meaning})");
    }
    if let Some(custom) = crate::trace::revert::describe_custom(output) {
        return custom;
    }
    match output.len() {
        0 => "empty revert data".to_string(),
        n if n >= 4 => format!("custom error 0x{} ({n} bytes)", hex::encode(&output[..4])),
        n => format!("{n} bytes of revert data"),
    }
}

impl From<RpcError> for ErrorObjectOwned {
    fn from(e: RpcError) -> Self {
        ErrorObjectOwned::owned(e.code, e.message, e.data)
    }
}

impl std::fmt::Display for RpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (code {})", self.message, self.code)
    }
}

impl std::error::Error for RpcError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revert_descriptions() {
        let panic = alloy::sol_types::Panic {
            code: alloy::primitives::U256::from(0x11),
        }
        .abi_encode();
        assert_eq!(
            describe_revert(&panic),
            "Panic(0x11: arithmetic overflow or underflow)"
        );
        let err = Revert {
            reason: "nope".into(),
        }
        .abi_encode();
        assert_eq!(describe_revert(&err), "Error(\"nope\")");
        assert_eq!(
            RpcError::reverted(&err.into()).message,
            "execution reverted: nope"
        );
        assert_eq!(
            describe_revert(&[0xde, 0xad, 0xbe, 0xef, 1]),
            "custom error 0xdeadbeef (5 bytes)"
        );
        assert_eq!(describe_revert(&[]), "empty revert data");
        // The precompiles' own errors are named in the message; `data` keeps the raw bytes.
        let up_to_date = RpcError::reverted(&Bytes::from_static(&[0xcc, 0x94, 0x4b, 0xf2]));
        assert_eq!(up_to_date.message, "execution reverted: ProgramUpToDate()");
        assert_eq!(up_to_date.data, Some(serde_json::json!("0xcc944bf2")));
        let mut insufficient =
            alloy::primitives::keccak256("ProgramInsufficientValue(uint256,uint256)")[..4].to_vec();
        insufficient.extend_from_slice(&alloy::primitives::U256::from(1).to_be_bytes::<32>());
        insufficient.extend_from_slice(&alloy::primitives::U256::from(2).to_be_bytes::<32>());
        assert_eq!(
            RpcError::reverted(&insufficient.into()).message,
            "execution reverted: ProgramInsufficientValue(1, 2)"
        );
        // Other custom errors stay raw in the message, as geth.
        assert_eq!(
            RpcError::reverted(&Bytes::from_static(&[0xde, 0xad, 0xbe, 0xef])).message,
            "execution reverted"
        );
    }
}
