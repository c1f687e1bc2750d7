//! Positional JSON-RPC parameter parsing with precise -32602 errors.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{RpcError, RpcResult};

/// The positional parameters of one request.
#[derive(Debug, Default)]
pub struct Params(Vec<Value>);

impl Params {
    /// Parses jsonrpsee params: absent, `null` or an array (objects are rejected).
    pub fn parse(raw: &jsonrpsee::types::Params<'_>) -> RpcResult<Self> {
        match raw.as_str() {
            None => Ok(Self::default()),
            Some(s) => match serde_json::from_str::<Value>(s) {
                Ok(Value::Array(v)) => Ok(Self(v)),
                Ok(Value::Null) => Ok(Self::default()),
                Ok(_) => Err(RpcError::invalid_params("params must be an array")),
                Err(e) => Err(RpcError::invalid_params(format!("invalid params: {e}"))),
            },
        }
    }

    /// Rejects more than `n` parameters.
    pub fn at_most(&self, n: usize) -> RpcResult<()> {
        if self.0.len() > n {
            return Err(RpcError::invalid_params(format!(
                "too many arguments, want at most {n}, got {}",
                self.0.len()
            )));
        }
        Ok(())
    }

    /// Required parameter `i`.
    pub fn req<T: DeserializeOwned>(&self, i: usize, name: &str) -> RpcResult<T> {
        match self.0.get(i) {
            None | Some(Value::Null) => Err(RpcError::invalid_params(format!(
                "missing value for required argument {i} ({name})"
            ))),
            Some(v) => serde_json::from_value(v.clone()).map_err(|e| {
                RpcError::invalid_params(format!("invalid argument {i} ({name}): {e}"))
            }),
        }
    }

    /// Optional parameter `i` (absent or null gives `None`).
    pub fn opt<T: DeserializeOwned>(&self, i: usize, name: &str) -> RpcResult<Option<T>> {
        match self.0.get(i) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => serde_json::from_value(v.clone()).map(Some).map_err(|e| {
                RpcError::invalid_params(format!("invalid argument {i} ({name}): {e}"))
            }),
        }
    }

    /// Raw parameter `i`.
    pub fn raw(&self, i: usize) -> Option<&Value> {
        self.0.get(i)
    }

    /// Number of parameters.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are no parameters.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
