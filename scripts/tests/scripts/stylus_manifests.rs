//! The preconditions of the documented `cargo stylus` commands (devnode/README.md, "cargo-stylus
//! against the devnode"): cargo-stylus 0.10 needs a workspace `Stylus.toml` with the networks, it
//! treats a package as a contract only when a `Stylus.toml` with a `[contract]` table sits beside
//! its Cargo.toml (otherwise `cargo stylus check` prints nothing and exits 0), and from the
//! workspace root it acts on the default members (a native crate there is built for wasm32 and
//! fails). So: every deployable the wasm pipeline builds has its manifest, no other crate has one,
//! and the workspace's default members are exactly the deployables.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use scripts::wasm;

fn toml_at(path: &Path) -> toml::Table {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{} is missing ({e})", path.display()));
    text.parse::<toml::Table>()
        .unwrap_or_else(|e| panic!("{} is not valid TOML: {e}", path.display()))
}

struct Workspace {
    /// (package name, directory of its Cargo.toml)
    packages: Vec<(String, PathBuf)>,
    default_members: BTreeSet<String>,
}

fn workspace() -> Workspace {
    let out = Command::new(wasm::cargo())
        .current_dir(wasm::workspace_root())
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut packages = Vec::new();
    let mut by_id = std::collections::HashMap::new();
    for p in meta["packages"].as_array().unwrap() {
        let name = p["name"].as_str().unwrap().to_string();
        let dir = Path::new(p["manifest_path"].as_str().unwrap())
            .parent()
            .unwrap()
            .to_path_buf();
        by_id.insert(p["id"].as_str().unwrap().to_string(), name.clone());
        packages.push((name, dir));
    }
    let default_members = meta["workspace_default_members"]
        .as_array()
        .expect("cargo metadata lists the default members")
        .iter()
        .map(|id| by_id[id.as_str().unwrap()].clone())
        .collect();
    Workspace {
        packages,
        default_members,
    }
}

fn deployable_packages() -> BTreeSet<String> {
    wasm::discover()
        .unwrap()
        .into_iter()
        .map(|d| d.package)
        .collect()
}

#[test]
fn the_workspace_manifest_names_the_devnode_network() {
    let root = toml_at(&wasm::workspace_root().join("Stylus.toml"));
    assert!(
        root.get("contract").is_none(),
        "the root Stylus.toml is a workspace manifest, not a contract's"
    );
    let networks = root["workspace"]["networks"]
        .as_table()
        .expect("[workspace.networks]");
    assert!(!networks.is_empty());
    for (name, net) in networks {
        assert!(
            net["endpoint"]
                .as_str()
                .is_some_and(|e| e.starts_with("http")),
            "network {name} needs an endpoint URL"
        );
    }
    assert_eq!(
        networks["devnode"]["endpoint"].as_str(),
        Some("http://127.0.0.1:8547"),
        "the README's devnode endpoint"
    );
}

#[test]
fn every_deployable_crate_and_only_those_have_a_contract_manifest() {
    let ws = workspace();
    let deployables = deployable_packages();
    assert!(deployables.contains("test-token") && deployables.contains("staking-vault"));
    let mut with_manifest = BTreeSet::new();
    for (name, dir) in &ws.packages {
        let path = dir.join("Stylus.toml");
        if !path.exists() {
            continue;
        }
        let manifest = toml_at(&path);
        let contract = manifest
            .get("contract")
            .and_then(|c| c.as_table())
            .unwrap_or_else(|| panic!("{}: needs a [contract] table", path.display()));
        assert!(
            contract.get("deployments").is_some_and(|d| d.is_table()),
            "{}: cargo-stylus 0.10 reads [contract.deployments]",
            path.display()
        );
        with_manifest.insert(name.clone());
    }
    assert_eq!(
        with_manifest, deployables,
        "crates with a Stylus.toml = the deployables the wasm pipeline builds"
    );
}

#[test]
fn the_workspace_check_list_is_the_deployables() {
    let ws = workspace();
    assert_eq!(
        ws.default_members,
        deployable_packages(),
        "Cargo.toml's default-members (what `cargo stylus check` from the root builds) = the deployables"
    );
    for native in ["devnode", "devnode-exec", "devnode-wasm", "scripts"] {
        assert!(
            !ws.default_members.contains(native),
            "{native} is not a contract"
        );
    }
}
