//! Decoded revert reasons: `Error(string)`, `Panic(uint256)` (see
//! [`crate::error::describe_revert`]), ArbWasm's errors and the custom errors of the ABI JSON
//! files loaded with `--abi DIR` (the workspace's `abi/` by default).

use std::collections::HashMap;
use std::path::Path;
use std::sync::{OnceLock, RwLock};

use alloy::dyn_abi::{DynSolValue, JsonAbiExt};
use alloy::json_abi::{Error as AbiError, JsonAbi};
use alloy::sol_types::SolError;

/// The custom errors of the precompiles and system contracts (`devnode-exec`'s `precompiles::abi`),
/// by declaring interface: ArbWasm (0x71), ArbSys (0x64), ArbDebug (0xFF) and the StylusDeployer.
const PRECOMPILE_ERRORS: &[(&str, &str)] = &[
    ("ArbWasm", "error ProgramNotWasm()"),
    ("ArbWasm", "error ProgramNotActivated()"),
    (
        "ArbWasm",
        "error ProgramNeedsUpgrade(uint16 version, uint16 stylusVersion)",
    ),
    ("ArbWasm", "error ProgramExpired(uint64 ageInSeconds)"),
    ("ArbWasm", "error ProgramUpToDate()"),
    (
        "ArbWasm",
        "error ProgramKeepaliveTooSoon(uint64 ageInSeconds)",
    ),
    (
        "ArbWasm",
        "error ProgramInsufficientValue(uint256 have, uint256 want)",
    ),
    (
        "ArbSys",
        "error InvalidBlockNumber(uint256 requested, uint256 current)",
    ),
    ("ArbDebug", "error Custom(uint64, string, bool)"),
    ("ArbDebug", "error Unused()"),
    (
        "StylusDeployer",
        "error ContractDeploymentError(bytes bytecode)",
    ),
    (
        "StylusDeployer",
        "error ContractInitializationError(address newContract, bytes data)",
    ),
    (
        "StylusDeployer",
        "error RefundExcessValueError(uint256 excessValue)",
    ),
    ("StylusDeployer", "error EmptyBytecode()"),
    ("StylusDeployer", "error InitValueButNotInitData()"),
];

fn precompile_errors() -> &'static HashMap<[u8; 4], AbiError> {
    static ERRS: OnceLock<HashMap<[u8; 4], AbiError>> = OnceLock::new();
    ERRS.get_or_init(|| {
        PRECOMPILE_ERRORS
            .iter()
            .filter_map(|(_, sig)| AbiError::parse(sig).ok())
            .map(|e| (e.selector().0, e))
            .collect()
    })
}

/// Decodes `output` as one of the precompiles' own errors: `Name(arg, ...)` (e.g.
/// `ProgramUpToDate()`), the text `execution reverted: …` carries for them.
pub fn describe_precompile_error(output: &[u8]) -> Option<String> {
    let selector: [u8; 4] = output.get(..4)?.try_into().ok()?;
    let err = precompile_errors().get(&selector)?;
    let decoded = err.abi_decode_input(&output[4..]).ok()?;
    let args: Vec<String> = decoded.iter().map(render).collect();
    Some(format!("{}({})", err.name, args.join(", ")))
}

/// Known errors by selector, each with the ABIs (sources) that declare it.
type Registry = RwLock<HashMap<[u8; 4], Vec<(Vec<String>, AbiError)>>>;

fn registry() -> &'static Registry {
    static REG: OnceLock<Registry> = OnceLock::new();
    REG.get_or_init(|| {
        let mut map: HashMap<[u8; 4], Vec<(Vec<String>, AbiError)>> = HashMap::new();
        for (source, sig) in PRECOMPILE_ERRORS {
            if let Ok(e) = AbiError::parse(sig) {
                map.entry(e.selector().0)
                    .or_default()
                    .push((vec![(*source).into()], e));
            }
        }
        RwLock::new(map)
    })
}

/// Registers the custom errors of one ABI (`source` names it in decoded reasons).
pub fn register_abi(source: &str, abi: &JsonAbi) -> usize {
    let mut reg = registry().write().unwrap_or_else(|e| e.into_inner());
    let mut n = 0;
    for e in abi.errors() {
        let list = reg.entry(e.selector().0).or_default();
        match list.iter_mut().find(|(_, known)| known == e) {
            Some((sources, _)) => {
                if !sources.iter().any(|s| s == source) {
                    sources.push(source.to_string());
                }
            }
            None => {
                list.push((vec![source.to_string()], e.clone()));
                n += 1;
            }
        }
    }
    n
}

/// Loads every `*.json` ABI in `dir` (a plain ABI array or an artifact with an `abi` field).
/// Returns the number of custom errors registered; unreadable files are skipped with a warning.
pub fn load_abi_dir(dir: &Path) -> std::io::Result<usize> {
    let mut total = 0;
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let source = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("abi")
            .to_string();
        let parsed = std::fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|text| parse_abi(&text));
        match parsed {
            Ok(abi) => total += register_abi(&source, &abi),
            Err(e) => {
                tracing::warn!(target: "devnode", "skipping ABI file {}: {e}", path.display())
            }
        }
    }
    Ok(total)
}

fn parse_abi(text: &str) -> Result<JsonAbi, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let abi = match value {
        serde_json::Value::Object(mut o) if o.contains_key("abi") => {
            o.remove("abi").unwrap_or_default()
        }
        other => other,
    };
    serde_json::from_value(abi).map_err(|e| e.to_string())
}

fn render(v: &DynSolValue) -> String {
    match v {
        DynSolValue::String(s) => format!("{s:?}"),
        DynSolValue::Bool(b) => b.to_string(),
        DynSolValue::Int(i, _) => i.to_string(),
        DynSolValue::Uint(u, _) => u.to_string(),
        DynSolValue::Address(a) => a.to_string(),
        DynSolValue::FixedBytes(w, n) => alloy::primitives::hex::encode_prefixed(&w[..*n]),
        DynSolValue::Bytes(b) => alloy::primitives::hex::encode_prefixed(b),
        DynSolValue::Array(xs) | DynSolValue::FixedArray(xs) => {
            format!("[{}]", xs.iter().map(render).collect::<Vec<_>>().join(", "))
        }
        DynSolValue::Tuple(xs) => {
            format!("({})", xs.iter().map(render).collect::<Vec<_>>().join(", "))
        }
        other => format!("{other:?}"),
    }
}

/// Decodes `output` as a custom error known to the registry (ArbWasm's or a loaded ABI's):
/// `Source.Name(arg, ...)` when a single ABI declares it, `Name(arg, ...)` when several do.
pub fn describe_custom(output: &[u8]) -> Option<String> {
    if output.len() < 4 {
        return None;
    }
    let selector: [u8; 4] = output[..4].try_into().ok()?;
    let reg = registry().read().unwrap_or_else(|e| e.into_inner());
    for (sources, err) in reg.get(&selector)? {
        if let Ok(decoded) = err.abi_decode_input(&output[4..]) {
            let args: Vec<String> = decoded.iter().map(render).collect();
            let prefix = match sources.as_slice() {
                [one] => format!("{one}."),
                _ => String::new(),
            };
            return Some(format!("{prefix}{}({})", err.name, args.join(", ")));
        }
    }
    None
}

/// geth's `revertReason` for a call frame: the `Error(string)` text, a `Panic` with its
/// meaning, or a decoded custom error.
pub fn reason_for_trace(output: &[u8]) -> Option<String> {
    if let Some(r) = crate::error::decode_revert_reason(output) {
        return Some(r);
    }
    if output.len() == 36 && output[..4] == alloy::sol_types::Panic::SELECTOR {
        return Some(crate::error::describe_revert(output));
    }
    describe_custom(output)
}
