//! Solidity sources of the tests and benches (the twin vault, attack contracts), compiled at test
//! time with the pinned solcjs of `tests/solidity/package.json` (install: `npm ci` in
//! `tests/solidity`). Sources are committed, bytecode never: the standard-JSON output is cached
//! under `<target>/solidity/<keccak of compiler version and input>.json`.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    process::{Command, Stdio},
    sync::{Mutex, OnceLock},
};

use alloy::{
    json_abi::JsonAbi,
    primitives::{keccak256, Address},
    providers::DynProvider,
};
use anyhow::{anyhow, bail, Context, Result};
use serde_json::{json, Value};

/// Compiler settings (fixed: part of the cache key through the input JSON).
const EVM_VERSION: &str = "cancun";
const OPTIMIZER_RUNS: u32 = 200;

/// One compiled contract.
#[derive(Clone, Debug)]
pub struct SolArtifact {
    /// Its ABI.
    pub abi: JsonAbi,
    /// Creation code (append the ABI-encoded constructor arguments).
    pub bytecode: Vec<u8>,
    /// Length of the deployed (runtime) code.
    pub deployed_len: usize,
}

fn solidity_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("solidity")
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
}

/// Installs the pinned solcjs (`npm ci` in `tests/solidity`) when it is missing or another
/// version, so `cargo test` works on a fresh machine that has Node.js and npm. A file lock keeps
/// parallel test processes from installing at once.
fn ensure_installed() -> Result<()> {
    if installed_version().is_ok() {
        return Ok(());
    }
    let dir = solidity_dir();
    let lock = std::fs::File::create(dir.join(".install.lock"))
        .with_context(|| format!("creating the install lock in {}", dir.display()))?;
    lock.lock()?;
    if installed_version().is_ok() {
        return Ok(()); // another process installed it while we waited
    }
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&dir)
        .stdout(Stdio::null())
        .status()
        .with_context(|| format!("running `npm ci` in {} (is npm installed?)", dir.display()))?;
    if !status.success() {
        bail!("`npm ci` in {} failed ({status})", dir.display());
    }
    installed_version().map(|_| ())
}

/// Version of the installed solcjs (installing it first if needed).
fn solc_version() -> Result<String> {
    ensure_installed()?;
    installed_version()
}

/// Version of the installed solcjs (from its package.json), checked against the pinned one.
fn installed_version() -> Result<String> {
    let dir = solidity_dir();
    let installed = dir.join("node_modules/solc/package.json");
    let text = std::fs::read_to_string(&installed).with_context(|| {
        format!(
            "solcjs is not installed: run `npm ci` in {} ({} missing)",
            dir.display(),
            installed.display()
        )
    })?;
    let installed: Value = serde_json::from_str(&text)?;
    let pinned: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("package.json"))?)?;
    let (have, want) = (
        installed["version"].as_str().unwrap_or_default(),
        pinned["dependencies"]["solc"].as_str().unwrap_or_default(),
    );
    if have != want {
        bail!(
            "solcjs {have} is installed but package.json pins {want}: run `npm ci` in {}",
            dir.display()
        );
    }
    Ok(have.to_string())
}

/// The standard-JSON input: every `.sol` file under `tests/solidity/src` (as `src/<path>`, so
/// subdirectories such as `src/amm/` keep their relative imports), and the generated interfaces
/// of the repository's `abi/` (as `abi/<artifact>.sol`: `import {IPoolRouter} from
/// "abi/pool-router.sol";`).
fn compiler_input() -> Result<Value> {
    let mut sources = BTreeMap::new();
    let src = solidity_dir().join("src");
    let mut dirs = vec![src.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in
            std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "sol") {
                let rel = path.strip_prefix(&src)?.to_str().context("file name")?;
                let name = format!("src/{}", rel.replace('\\', "/"));
                sources.insert(name, json!({ "content": std::fs::read_to_string(&path)? }));
            }
        }
    }
    // The generated interfaces of the Stylus programs, importable as `abi/<artifact>.sol`.
    let abi = Path::new(env!("CARGO_MANIFEST_DIR")).join("../abi");
    for entry in std::fs::read_dir(&abi).with_context(|| format!("reading {}", abi.display()))? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "sol") {
            let file = path
                .file_name()
                .and_then(|f| f.to_str())
                .context("file name")?;
            sources.insert(
                format!("abi/{file}"),
                json!({ "content": std::fs::read_to_string(&path)? }),
            );
        }
    }
    Ok(json!({
        "language": "Solidity",
        "sources": sources,
        "settings": {
            "optimizer": { "enabled": true, "runs": OPTIMIZER_RUNS },
            "evmVersion": EVM_VERSION,
            "outputSelection": { "*": { "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"] } }
        }
    }))
}

/// Runs solcjs on `input` (through `tests/solidity/compile.js`) and returns its output JSON.
fn run_solc(input: &str) -> Result<Value> {
    let dir = solidity_dir();
    let mut child = Command::new("node")
        .arg(dir.join("compile.js"))
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("running `node` (Node.js is needed to compile the Solidity sources)")?;
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().context("solc stdin")?;
        stdin.write_all(input.as_bytes())?;
    }
    let out = child.wait_with_output()?;
    if !out.status.success() {
        bail!("solcjs failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let output: Value = serde_json::from_slice(&out.stdout).context("solcjs output is not JSON")?;
    let errors: Vec<&str> = output["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["severity"] == "error")
        .filter_map(|e| e["formattedMessage"].as_str())
        .collect();
    if !errors.is_empty() {
        bail!("Solidity compilation failed:\n{}", errors.join("\n"));
    }
    Ok(output)
}

/// The compiler output for the current sources: from the cache, else compiled (once per process).
fn output() -> Result<Value> {
    static CACHE: OnceLock<Mutex<Option<Value>>> = OnceLock::new();
    let mut guard = CACHE
        .get_or_init(|| Mutex::new(None))
        .lock()
        .map_err(|_| anyhow!("poisoned Solidity cache"))?;
    if let Some(v) = guard.as_ref() {
        return Ok(v.clone());
    }
    let input = serde_json::to_string(&compiler_input()?)?;
    let version = solc_version()?;
    let key = keccak256([version.as_bytes(), b"\0", input.as_bytes()].concat());
    let dir = target_dir().join("solidity");
    let file = dir.join(format!("{key:x}.json"));
    let value = match std::fs::read(&file)
        .ok()
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
    {
        Some(v) => v,
        None => {
            let v = run_solc(&input)?;
            std::fs::create_dir_all(&dir)?;
            // Write then rename, so a concurrent reader never sees half a file.
            let tmp = dir.join(format!("{key:x}.{}.tmp", std::process::id()));
            std::fs::write(&tmp, serde_json::to_vec(&v)?)?;
            std::fs::rename(&tmp, &file)?;
            v
        }
    };
    *guard = Some(value.clone());
    Ok(value)
}

fn hex_field(v: &Value, what: &str) -> Result<Vec<u8>> {
    let s = v.as_str().with_context(|| format!("no {what}"))?;
    Ok(alloy::primitives::hex::decode(s)?)
}

/// The contract of `tests/solidity/src/<name>.sol` named as the file (`name` may have a
/// directory: `amm/TwinPair`), compiled.
pub fn artifact(name: &str) -> Result<SolArtifact> {
    let out = output()?;
    let contract = name.rsplit('/').next().unwrap_or(name);
    let c = &out["contracts"][format!("src/{name}.sol")][contract];
    if c.is_null() {
        bail!("no contract {name} in tests/solidity/src/{name}.sol");
    }
    let bytecode = hex_field(&c["evm"]["bytecode"]["object"], "bytecode")?;
    if bytecode.is_empty() {
        bail!("{name} is abstract or an interface");
    }
    Ok(SolArtifact {
        abi: serde_json::from_value(c["abi"].clone())?,
        bytecode,
        deployed_len: hex_field(&c["evm"]["deployedBytecode"]["object"], "runtime code")?.len(),
    })
}

/// The ABI solc gives the contract or interface `contract` of the source unit `unit` (e.g.
/// `abi/pool-router.sol`, `IPoolRouter`): also for interfaces, which [`artifact`] refuses.
pub fn compiled_abi(unit: &str, contract: &str) -> Result<JsonAbi> {
    let out = output()?;
    let c = &out["contracts"][unit][contract];
    if c.is_null() {
        bail!("no contract {contract} in {unit}");
    }
    Ok(serde_json::from_value(c["abi"].clone())?)
}

/// Deploys the Solidity contract `name` with the ABI-encoded constructor arguments `args`
/// (e.g. `(a, b).abi_encode_params()`).
pub async fn deploy(p: &DynProvider, name: &str, args: &[u8]) -> Result<Address> {
    let a = artifact(name)?;
    let mut initcode = a.bytecode;
    initcode.extend_from_slice(args);
    crate::create(p, initcode)
        .await
        .with_context(|| format!("deploying {name}"))
}
