//! The wasm pipeline: discover every deployable contract, build it once to
//! `wasm32-unknown-unknown`, check it is valid for Nitro, compress it into Stylus deployable code
//! and write the artifacts to `target/stylus/`.
//!
//! # Flags (measured; see README "Build flags")
//! - `--profile contract` (workspace `Cargo.toml`): `opt-level = "z"`, fat LTO, one codegen
//!   unit, `panic = "abort"`, stripped.
//! - `-C link-arg=--compress-relocations`: makes wasm-ld emit `call_indirect` table indices as
//!   1-byte LEBs. Without it Rust 1.95 pads them to 5 bytes, which is only legal with the
//!   reference-types proposal, and Nitro validates with reference-types disabled.
//! - `-C target-feature=-reference-types,+bulk-memory` and `-z stack-size=32768`, as cargo-stylus.
//! - `-Zbuild-std=std,panic_abort` + `-Zunstable-options -Cpanic=immediate-abort` (enabled with
//!   `RUSTC_BOOTSTRAP=1`, confined to this child cargo process for the wasm target): removes
//!   std's panic formatting machinery from every contract, roughly halving the deployable size
//!   (cargo-stylus uses a nightly toolchain for the same flags). With them
//!   `-Zlocation-detail=none`: no source paths in the data segment (cheaper cached entries). Set
//!   `STYLUS_YIELD_BUILD_STD=0` to build with the prebuilt std instead (larger, still valid).
//!
//! - Data segments split around their zero runs ([`crate::wasm_data`]): the cached entry cost of
//!   a program grows with its data-segment bytes, zeros included.
//!
//! Artifacts: `target/stylus/<name>.wasm`, `target/stylus/<name>.deployable`
//! (`EF F0 00 00 ‖ brotli(wasm, quality 11, window 22)`) and `target/stylus/manifest.json`.

use std::{
    fs,
    path::{Path, PathBuf},
    process::Command,
    sync::OnceLock,
};

use anyhow::{anyhow, bail, Context, Result};
use serde::{Deserialize, Serialize};
use wasmparser::{
    ExternalKind, FuncType, Parser, Payload, TypeRef, ValType, Validator, WasmFeatures,
};

/// Maximum deployable code size (EIP-170 `MaxCodeSize` as Arbitrum configures it).
pub const MAX_CODE_SIZE: usize = 24_576;
/// Maximum decompressed wasm size (Stylus `MaxWasmSize`).
pub const MAX_WASM_SIZE: usize = 131_072;
/// Prefix of classic Stylus deployable code without a compression dictionary.
pub const STYLUS_PREFIX: [u8; 4] = [0xEF, 0xF0, 0x00, 0x00];
/// The wasm target triple.
pub const TARGET: &str = "wasm32-unknown-unknown";
/// The cargo profile used for contract wasm.
pub const PROFILE: &str = "contract";

/// One deployable wasm: a contract crate plus an optional variant feature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deployable {
    /// Artifact name: the package name, or `<package>-<variant>`.
    pub name: String,
    /// Cargo package name.
    pub package: String,
    /// Crate (library) name, i.e. the wasm file stem cargo produces.
    pub lib_name: String,
    /// The variant feature, if any.
    pub variant: Option<String>,
    /// Whether `stylus-yield abi` exports its interface (`[package.metadata.stylus-yield]
    /// abi = false` opts a test-only contract out).
    pub abi: bool,
    /// Whether the variant compiles unit tests of its own (`[package.metadata.stylus-yield]
    /// tested-variants = [...]`); CI runs `cargo test` only for those, the others are linted.
    /// Always `true` for the default build.
    pub tested: bool,
}

/// A built, validated and compressed contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    /// Artifact name (see [`Deployable::name`]).
    pub name: String,
    /// The wasm module.
    pub wasm: Vec<u8>,
    /// The deployable code: [`STYLUS_PREFIX`] ‖ brotli(wasm).
    pub deployable: Vec<u8>,
    /// `wasm.len()`.
    pub wasm_len: usize,
    /// `deployable.len()`.
    pub deployable_len: usize,
}

impl Artifact {
    /// Initcode for a plain CREATE transaction that deploys this artifact (see [`create_initcode`]).
    pub fn initcode(&self) -> Vec<u8> {
        create_initcode(&self.deployable)
    }
}

/// One row of `target/stylus/manifest.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ManifestEntry {
    /// Artifact name.
    pub name: String,
    /// Cargo package.
    pub package: String,
    /// Variant feature, if any.
    pub variant: Option<String>,
    /// Wasm size in bytes.
    pub wasm_len: usize,
    /// Deployable code size in bytes.
    pub deployable_len: usize,
    /// Path of the wasm file.
    pub wasm_path: PathBuf,
    /// Path of the deployable file.
    pub deployable_path: PathBuf,
}

/// The workspace root (parent of the `scripts` crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("scripts/ has a parent")
        .to_path_buf()
}

/// The cargo executable (the one running us if any, else `cargo`).
pub fn cargo() -> PathBuf {
    std::env::var_os("CARGO")
        .map(PathBuf::from)
        .unwrap_or_else(|| "cargo".into())
}

#[derive(Deserialize)]
struct Metadata {
    packages: Vec<MetaPackage>,
    target_directory: PathBuf,
}

#[derive(Deserialize)]
struct MetaPackage {
    name: String,
    manifest_path: PathBuf,
    targets: Vec<MetaTarget>,
    #[serde(default)]
    metadata: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct MetaTarget {
    name: String,
    crate_types: Vec<String>,
    #[serde(default)]
    kind: Vec<String>,
}

/// `(package, bin)` for every binary target of the workspace's contract crates.
pub fn contract_bins() -> Result<Vec<(String, String)>> {
    let contracts = workspace_root().join("contracts");
    Ok(metadata()?
        .packages
        .into_iter()
        .filter(|p| p.manifest_path.starts_with(&contracts))
        .flat_map(|p| {
            let name = p.name;
            p.targets
                .into_iter()
                .filter(|t| t.kind.iter().any(|k| k == "bin"))
                .map(move |t| (name.clone(), t.name))
        })
        .collect())
}

fn metadata() -> Result<Metadata> {
    let out = Command::new(cargo())
        .current_dir(workspace_root())
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .output()
        .context("running cargo metadata")?;
    if !out.status.success() {
        bail!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    serde_json::from_slice(&out.stdout).context("parsing cargo metadata")
}

/// Refuses a `tested-variants` entry that names no variant of the crate (it would silently test
/// nothing).
fn check_tested_variants(
    package: &str,
    variants: &[serde_json::Value],
    tested: &[&str],
) -> Result<()> {
    for t in tested {
        if !variants.iter().any(|v| v.as_str() == Some(t)) {
            bail!("{package}: tested-variants names `{t}`, which is not one of its variants");
        }
    }
    Ok(())
}

/// Every deployable: each `cdylib` crate under `contracts/`, plus one per variant listed in its
/// `[package.metadata.stylus-yield] variants = [...]`. Sorted by name. A crate can also set
/// `abi = false` there to skip ABI export (test-only contracts), and `tested-variants = [...]`
/// to name the variants that compile unit tests of their own.
pub fn discover() -> Result<Vec<Deployable>> {
    let meta = metadata()?;
    let contracts = workspace_root().join("contracts");
    let mut out = Vec::new();
    for p in meta.packages {
        if !p.manifest_path.starts_with(&contracts) {
            continue;
        }
        let Some(lib) = p
            .targets
            .iter()
            .find(|t| t.crate_types.iter().any(|c| c == "cdylib"))
        else {
            continue;
        };
        let lib_name = lib.name.replace('-', "_");
        let config = p.metadata.as_ref().and_then(|m| m.get("stylus-yield"));
        let abi = config
            .and_then(|c| c.get("abi"))
            .and_then(|v| v.as_bool())
            .unwrap_or(true);
        out.push(Deployable {
            name: p.name.clone(),
            package: p.name.clone(),
            lib_name: lib_name.clone(),
            variant: None,
            abi,
            tested: true,
        });
        let variants = config
            .and_then(|m| m.get("variants"))
            .and_then(|v| v.as_array())
            .cloned()
            .unwrap_or_default();
        let tested: Vec<&str> = config
            .and_then(|m| m.get("tested-variants"))
            .and_then(|v| v.as_array())
            .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
            .unwrap_or_default();
        check_tested_variants(&p.name, &variants, &tested)?;
        for v in variants {
            let v = v
                .as_str()
                .ok_or_else(|| anyhow!("{}: variants must be strings", p.name))?;
            out.push(Deployable {
                name: format!("{}-{v}", p.name),
                package: p.name.clone(),
                lib_name: lib_name.clone(),
                variant: Some(v.to_string()),
                abi,
                tested: tested.contains(&v),
            });
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// Whether the pipeline uses `-Zbuild-std` + `-Cpanic=immediate-abort` (default: yes;
/// `STYLUS_YIELD_BUILD_STD=0` turns it off).
pub fn uses_build_std() -> bool {
    std::env::var("STYLUS_YIELD_BUILD_STD")
        .map(|v| v != "0")
        .unwrap_or(true)
}

/// The rustc flags applied to the contract wasm (target only; build scripts and proc macros
/// are unaffected).
pub fn rustflags() -> Vec<&'static str> {
    let mut f = vec![
        "-C",
        "link-arg=--compress-relocations",
        "-C",
        "link-arg=-zstack-size=32768",
        "-C",
        "target-feature=-reference-types,+bulk-memory",
    ];
    if uses_build_std() {
        // No file/line/column in the (never printed) panic locations: fewer data-segment bytes,
        // and every cached entry pays 0.75 gas per data byte.
        f.extend([
            "-Zunstable-options",
            "-Cpanic=immediate-abort",
            "-Zlocation-detail=none",
        ]);
    }
    f
}

fn cargo_build(packages: &[&str], features: Option<&str>) -> Result<()> {
    let mut cmd = Command::new(cargo());
    cmd.current_dir(workspace_root())
        .args(["build", "--lib", "--target", TARGET, "--profile", PROFILE])
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .env("CARGO_ENCODED_RUSTFLAGS", rustflags().join("\x1f"));
    if uses_build_std() {
        // Unstable cargo/rustc flags on the pinned stable toolchain, for this child only.
        cmd.env("RUSTC_BOOTSTRAP", "1")
            .arg("-Zbuild-std=std,panic_abort");
    }
    for p in packages {
        cmd.args(["-p", p]);
    }
    if let Some(f) = features {
        cmd.args(["--features", f]);
    }
    let status = cmd.status().context("running cargo build for wasm")?;
    if !status.success() {
        bail!("wasm build failed for {packages:?} (features {features:?})");
    }
    Ok(())
}

/// Checks `wasm` the way Nitro's activation does (stylus-host-spec.md §1.5) as far as it matters
/// for compiler output: Nitro's wasm feature set, no DataCount section, imports only from
/// `vm_hooks`/`console`, `memory` and `user_entrypoint: (i32) -> i32` exported, no start
/// function, no floating-point instructions, size limits.
pub fn validate(wasm: &[u8]) -> Result<()> {
    if wasm.len() > MAX_WASM_SIZE {
        bail!(
            "wasm is {} bytes, over MaxWasmSize {MAX_WASM_SIZE}",
            wasm.len()
        );
    }
    let features = WasmFeatures::MUTABLE_GLOBAL
        | WasmFeatures::SATURATING_FLOAT_TO_INT
        | WasmFeatures::SIGN_EXTENSION
        | WasmFeatures::BULK_MEMORY
        | WasmFeatures::FLOATS;
    let mut validator = Validator::new_with_features(features);
    validator
        .validate_all(wasm)
        .map_err(|e| anyhow!("invalid under Nitro's wasm features: {e}"))?;

    let mut types: Vec<FuncType> = Vec::new();
    let mut func_types: Vec<u32> = Vec::new();
    let mut imported_funcs = 0u32;
    let mut entrypoint = None;
    let mut memory_exported = false;
    let mut memories = 0;
    for payload in Parser::new(0).parse_all(wasm) {
        match payload? {
            Payload::DataCountSection { .. } => {
                bail!("DataCount section (id 12) present: Nitro rejects it")
            }
            Payload::StartSection { .. } => bail!("start function present: Nitro rejects it"),
            Payload::TypeSection(r) => {
                for ty in r.into_iter_err_on_gc_types() {
                    types.push(ty?);
                }
            }
            Payload::ImportSection(r) => {
                for imp in r.into_imports() {
                    let imp = imp?;
                    match imp.ty {
                        TypeRef::Func(t) => {
                            imported_funcs += 1;
                            func_types.push(t);
                        }
                        _ => bail!("non-function import {}.{}", imp.module, imp.name),
                    }
                    if imp.module != "vm_hooks" && imp.module != "console" {
                        bail!("import from unknown module {}.{}", imp.module, imp.name);
                    }
                    if imp.name.starts_with("stylus") {
                        bail!("import name {} uses the reserved `stylus` prefix", imp.name);
                    }
                }
            }
            Payload::FunctionSection(r) => {
                for t in r {
                    func_types.push(t?);
                }
            }
            Payload::MemorySection(r) => memories += r.count(),
            Payload::ExportSection(r) => {
                for e in r {
                    let e = e?;
                    if e.name.starts_with("stylus") {
                        bail!("export name {} uses the reserved `stylus` prefix", e.name);
                    }
                    match (e.name, e.kind) {
                        ("memory", ExternalKind::Memory) => memory_exported = e.index == 0,
                        ("user_entrypoint", ExternalKind::Func) => entrypoint = Some(e.index),
                        _ => {}
                    }
                }
            }
            Payload::CodeSectionEntry(body) => {
                let mut ops = body.get_operators_reader()?;
                while !ops.eof() {
                    let op = ops.read()?;
                    let name = format!("{op:?}");
                    if name.contains("F32") || name.contains("F64") {
                        bail!("floating-point instruction {name}: Nitro cannot execute it");
                    }
                }
            }
            _ => {}
        }
    }
    if memories != 1 || !memory_exported {
        bail!("must define exactly one memory, exported as `memory`");
    }
    let entry = entrypoint.ok_or_else(|| anyhow!("`user_entrypoint` is not exported"))?;
    if entry < imported_funcs {
        bail!("`user_entrypoint` is an import");
    }
    let ty = func_types
        .get(entry as usize)
        .and_then(|t| types.get(*t as usize))
        .ok_or_else(|| anyhow!("`user_entrypoint` has no type"))?;
    if ty.params() != [ValType::I32] || ty.results() != [ValType::I32] {
        bail!("`user_entrypoint` must be (i32) -> i32, is {ty:?}");
    }
    Ok(())
}

/// `EF F0 00 00 ‖ brotli(wasm, quality 11, window 22)`: what cargo-stylus deploys.
pub fn compress(wasm: &[u8]) -> Vec<u8> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    let mut out = STYLUS_PREFIX.to_vec();
    brotli::BrotliCompress(&mut &wasm[..], &mut out, &params)
        .expect("in-memory brotli cannot fail");
    out
}

/// Wraps deployable code in cargo-stylus' 43-byte EVM prelude (stylus-host-spec.md §1.3):
/// `PUSH32 len, DUP1, PUSH1 43, PUSH1 0, CODECOPY, PUSH1 0, RETURN, 0x00 (version)` followed by
/// the code, so a plain CREATE transaction deploys exactly `deployable`.
pub fn create_initcode(deployable: &[u8]) -> Vec<u8> {
    let mut len = [0u8; 32];
    len[24..].copy_from_slice(&(deployable.len() as u64).to_be_bytes());
    let mut out = Vec::with_capacity(43 + deployable.len());
    out.push(0x7f); // PUSH32
    out.extend_from_slice(&len);
    out.extend_from_slice(&[0x80, 0x60, 43, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3, 0x00]);
    debug_assert_eq!(out.len(), 43);
    out.extend_from_slice(deployable);
    out
}

/// Directory holding the artifacts: `<target>/stylus`.
pub fn artifact_dir() -> Result<PathBuf> {
    Ok(metadata()?.target_directory.join("stylus"))
}

/// A fingerprint of everything the wasm depends on: the paths, sizes and modification times of
/// the files under `contracts/` plus the root `Cargo.toml`, `Cargo.lock` and
/// `rust-toolchain.toml`, and the build flags.
pub fn input_stamp() -> Result<String> {
    use std::hash::{DefaultHasher, Hash, Hasher};
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
        for entry in fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "target") {
                    walk(&path, out)?;
                }
            } else {
                out.push(path);
            }
        }
        Ok(())
    }
    let root = workspace_root();
    let mut files = Vec::new();
    walk(&root.join("contracts"), &mut files)?;
    files.extend(["Cargo.toml", "Cargo.lock", "rust-toolchain.toml"].map(|f| root.join(f)));
    files.sort();
    let mut h = DefaultHasher::new();
    for f in &files {
        f.hash(&mut h);
        if let Ok(m) = fs::metadata(f) {
            m.len().hash(&mut h);
            if let Ok(t) = m.modified() {
                t.hash(&mut h);
            }
        }
    }
    rustflags().hash(&mut h);
    // Post-processing passes of the pipeline (bump when one changes).
    "pack_data_segments v1".hash(&mut h);
    uses_build_std().hash(&mut h);
    Ok(format!("{:016x}", h.finish()))
}

fn load_from_disk(dir: &Path) -> Result<Vec<Artifact>> {
    let manifest: Vec<ManifestEntry> =
        serde_json::from_str(&fs::read_to_string(dir.join("manifest.json"))?)?;
    let names: Vec<String> = discover()?.into_iter().map(|d| d.name).collect();
    if manifest.iter().map(|m| &m.name).ne(names.iter()) {
        bail!("manifest does not list the current deployables");
    }
    manifest
        .into_iter()
        .map(|m| {
            let wasm = fs::read(&m.wasm_path)?;
            let deployable = fs::read(&m.deployable_path)?;
            Ok(Artifact {
                name: m.name,
                wasm_len: wasm.len(),
                deployable_len: deployable.len(),
                wasm,
                deployable,
            })
        })
        .collect()
}

/// [`build_with`]`(false)`: builds unless the inputs are unchanged since the last build.
pub fn build() -> Result<Vec<Artifact>> {
    build_with(false)
}

/// Builds every deployable, validates and compresses the ones whose wasm changed, writes
/// `target/stylus/*` and returns the artifacts sorted by name. Unless `force`, returns the
/// artifacts on disk without running cargo when [`input_stamp`] matches the last build.
/// Holds an exclusive file lock on `target/stylus/.lock` while it works, so concurrent callers
/// (tests in other processes) wait and then see the finished artifacts.
pub fn build_with(force: bool) -> Result<Vec<Artifact>> {
    let meta = metadata()?;
    let dir = meta.target_directory.join("stylus");
    fs::create_dir_all(&dir)?;
    let lock = fs::File::create(dir.join(".lock"))?;
    lock.lock().context("locking target/stylus/.lock")?;

    let stamp = input_stamp()?;
    let stamp_path = dir.join("inputs.stamp");
    if !force && fs::read_to_string(&stamp_path).is_ok_and(|s| s == stamp) {
        if let Ok(artifacts) = load_from_disk(&dir) {
            return Ok(artifacts);
        }
    }
    // Invalidate first: a failed build must not leave a matching stamp behind.
    let _ = fs::remove_file(&stamp_path);

    let deployables = discover()?;
    let wasm_out = meta.target_directory.join(TARGET).join(PROFILE);
    let mut artifacts = Vec::new();
    let mut manifest = Vec::new();
    // Base builds in one cargo invocation, then one per variant (the variant's wasm replaces
    // the base one at the same path, so each is copied out right after its build).
    let base: Vec<&Deployable> = deployables.iter().filter(|d| d.variant.is_none()).collect();
    let mut groups: Vec<(Vec<&Deployable>, Option<&str>)> = vec![(base, None)];
    for d in deployables.iter().filter(|d| d.variant.is_some()) {
        groups.push((vec![d], d.variant.as_deref()));
    }
    for (group, features) in groups {
        if group.is_empty() {
            continue;
        }
        let packages: Vec<&str> = group.iter().map(|d| d.package.as_str()).collect();
        cargo_build(&packages, features)?;
        for d in group {
            let wasm = fs::read(wasm_out.join(format!("{}.wasm", d.lib_name)))
                .with_context(|| format!("reading the wasm of {}", d.name))?;
            let wasm = crate::wasm_data::pack_data_segments(&wasm);
            let wasm_path = dir.join(format!("{}.wasm", d.name));
            let deployable_path = dir.join(format!("{}.deployable", d.name));
            let fresh = fs::read(&wasm_path).map(|old| old == wasm).unwrap_or(false);
            let deployable = match fs::read(&deployable_path) {
                Ok(code) if fresh => code,
                _ => {
                    validate(&wasm).with_context(|| format!("{} is not Nitro-valid", d.name))?;
                    let code = compress(&wasm);
                    fs::write(&deployable_path, &code)?;
                    fs::write(&wasm_path, &wasm)?;
                    code
                }
            };
            manifest.push(ManifestEntry {
                name: d.name.clone(),
                package: d.package.clone(),
                variant: d.variant.clone(),
                wasm_len: wasm.len(),
                deployable_len: deployable.len(),
                wasm_path,
                deployable_path,
            });
            artifacts.push(Artifact {
                name: d.name.clone(),
                wasm_len: wasm.len(),
                deployable_len: deployable.len(),
                wasm,
                deployable,
            });
        }
    }
    artifacts.sort_by(|a, b| a.name.cmp(&b.name));
    manifest.sort_by(|a, b| a.name.cmp(&b.name));
    fs::write(
        dir.join("manifest.json"),
        serde_json::to_string_pretty(&manifest)?,
    )?;
    fs::write(&stamp_path, stamp)?;
    drop(lock);
    Ok(artifacts)
}

/// [`build`] once per process (later calls return the same artifacts); panics with the build
/// error so tests fail loudly.
pub fn ensure_built() -> Vec<Artifact> {
    static CACHE: OnceLock<Result<Vec<Artifact>, String>> = OnceLock::new();
    match CACHE.get_or_init(|| build().map_err(|e| format!("{e:#}"))) {
        Ok(a) => a.clone(),
        Err(e) => panic!("building the contract wasm failed: {e}"),
    }
}

/// The artifact called `name`, building if needed.
pub fn artifact(name: &str) -> Artifact {
    ensure_built()
        .into_iter()
        .find(|a| a.name == name)
        .unwrap_or_else(|| panic!("no contract artifact named {name}"))
}

/// The `contract | wasm | deployable` size table (markdown).
pub fn size_table(artifacts: &[Artifact]) -> String {
    let mut s = String::from("| contract | wasm | deployable |\n|---|---:|---:|\n");
    for a in artifacts {
        s.push_str(&format!(
            "| {} | {} | {} |\n",
            a.name, a.wasm_len, a.deployable_len
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tested_variants_must_name_variants() {
        let variants = [
            serde_json::json!("rewards-facet"),
            serde_json::json!("admin-facet"),
        ];
        assert!(check_tested_variants("c", &variants, &["admin-facet"]).is_ok());
        assert!(check_tested_variants("c", &variants, &[]).is_ok());
        let err =
            check_tested_variants("c", &variants, &["admin-facet", "admn-facet"]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "c: tested-variants names `admn-facet`, which is not one of its variants"
        );
    }

    #[test]
    fn initcode_prelude_is_43_bytes_and_returns_the_code() {
        let code = [0xEF, 0xF0, 0x00, 0x00, 1, 2, 3];
        let init = create_initcode(&code);
        assert_eq!(init.len(), 43 + code.len());
        assert_eq!(init[0], 0x7f);
        assert_eq!(
            u64::from_be_bytes(init[25..33].try_into().unwrap()),
            code.len() as u64
        );
        assert_eq!(
            &init[33..43],
            &[0x80, 0x60, 43, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3, 0x00]
        );
        assert_eq!(&init[43..], &code);
    }

    #[test]
    fn compress_round_trips_with_prefix() {
        let wasm: Vec<u8> = (0..5000u32).map(|i| (i % 7) as u8).collect();
        let code = compress(&wasm);
        assert_eq!(code[..4], STYLUS_PREFIX);
        let mut out = Vec::new();
        brotli::BrotliDecompress(&mut &code[4..], &mut out).unwrap();
        assert_eq!(out, wasm);
    }

    const OK: &str = r#"(module
        (import "vm_hooks" "pay_for_memory_grow" (func (param i32)))
        (memory 1 1) (export "memory" (memory 0))
        (func (export "user_entrypoint") (param i32) (result i32) local.get 0))"#;

    #[test]
    fn validator_accepts_a_minimal_stylus_module() {
        validate(&wat::parse_str(OK).unwrap()).unwrap();
    }

    #[test]
    fn validator_rejects_floats_start_and_foreign_imports() {
        let float = OK.replace(
            "local.get 0)",
            "f32.const 1 f32.const 2 f32.add drop local.get 0)",
        );
        let err = validate(&wat::parse_str(float).unwrap())
            .unwrap_err()
            .to_string();
        assert!(err.contains("floating-point"), "{err}");
        let start = OK.replace("(memory 1 1)", "(func $s) (start $s) (memory 1 1)");
        let err = validate(&wat::parse_str(start).unwrap())
            .unwrap_err()
            .to_string();
        assert!(err.contains("start"), "{err}");
        let import = OK.replace("\"vm_hooks\"", "\"env\"");
        let err = validate(&wat::parse_str(import).unwrap())
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown module"), "{err}");
        let sig = OK.replace(
            "(param i32) (result i32) local.get 0",
            "(result i32) i32.const 0",
        );
        let err = validate(&wat::parse_str(sig).unwrap())
            .unwrap_err()
            .to_string();
        assert!(err.contains("(i32) -> i32"), "{err}");
    }

    #[test]
    fn validator_rejects_reference_types_encoding() {
        // call_indirect with a 5-byte padded table index (what Rust emits without
        // --compress-relocations) is only valid with reference-types.
        let wasm = wat::parse_str(
            r#"(module (type $t (func)) (table 1 funcref) (memory 1 1) (export "memory" (memory 0))
                (func (export "user_entrypoint") (param i32) (result i32)
                    i32.const 0 call_indirect (type $t) local.get 0))"#,
        )
        .unwrap();
        validate(&wasm).unwrap();
        // Re-encode the table index of call_indirect as 80 80 80 80 00.
        let mut code = None;
        for p in Parser::new(0).parse_all(&wasm) {
            if let Payload::CodeSectionStart {
                unchecked_range, ..
            } = p.unwrap()
            {
                code = Some(unchecked_range.start as usize..unchecked_range.end as usize);
            }
        }
        let code = code.unwrap();
        assert_eq!(wasm[code.start - 2], 0x0a, "single-byte section size");
        let pos = code.start
            + wasm[code.start..]
                .windows(3)
                .position(|w| w == [0x11, 0x00, 0x00])
                .unwrap();
        let mut padded = wasm[..pos + 2].to_vec();
        padded.extend_from_slice(&[0x80, 0x80, 0x80, 0x80, 0x00]);
        padded.extend_from_slice(&wasm[pos + 3..]);
        padded[code.start - 1] += 4; // section size
        padded[code.start + 1] += 4; // body size (one body)
                                     // Legal with reference-types (the padded LEB is an "overlong" table index) ...
        Validator::new().validate_all(&padded).unwrap();
        // ... but not under Nitro's feature set.
        let err = validate(&padded).unwrap_err().to_string();
        assert!(err.contains("Nitro"), "{err}");
    }

    #[test]
    fn validator_rejects_missing_entrypoint() {
        // (module (memory 1) (export "memory" (memory 0)))
        let wasm = [
            0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // header
            0x05, 0x03, 0x01, 0x00, 0x01, // memory section: 1 memory, min 1
            0x07, 0x0a, 0x01, 0x06, b'm', b'e', b'm', b'o', b'r', b'y', 0x02, 0x00, // export
        ];
        let err = validate(&wasm).unwrap_err().to_string();
        assert!(err.contains("user_entrypoint"), "{err}");
    }

    #[test]
    fn validator_rejects_data_count_section() {
        let wasm = [
            0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // header
            0x0c, 0x01, 0x00, // DataCount section: 0 segments
        ];
        let err = validate(&wasm).unwrap_err().to_string();
        assert!(
            err.contains("DataCount") || err.contains("bulk") || err.contains("data count"),
            "{err}"
        );
    }
}
