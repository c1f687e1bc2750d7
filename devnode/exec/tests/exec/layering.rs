//! The crate's modules depend one way: evm → precompiles → stylus → programs → context. A lower
//! layer never names a higher one (nested frames reach the EVM through the
//! `context::Frames` seam). This test reads the sources and fails on an upward `crate::` path.

use std::path::{Path, PathBuf};

/// Layers from the bottom; a module may name only itself and the layers before it.
const LAYERS: [&str; 5] = ["context", "programs", "stylus", "precompiles", "evm"];

fn sources(layer: &str) -> Vec<PathBuf> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let file = src.join(format!("{layer}.rs"));
    if file.exists() {
        return vec![file];
    }
    let mut out = Vec::new();
    let mut dirs = vec![src.join(layer)];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap_or_else(|_| panic!("{}", d.display())) {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn dependencies_go_one_way() {
    let mut violations = Vec::new();
    for (i, layer) in LAYERS.iter().enumerate() {
        let files = sources(layer);
        assert!(!files.is_empty(), "no sources for {layer}");
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for higher in &LAYERS[i + 1..] {
                let needle = format!("crate::{higher}");
                for (n, line) in text.lines().enumerate() {
                    if line.contains(&needle) {
                        violations.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                    }
                }
            }
        }
    }
    assert!(
        violations.is_empty(),
        "upward dependencies:\n{}",
        violations.join("\n")
    );
}
