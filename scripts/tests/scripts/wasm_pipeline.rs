//! Every deployable contract builds to wasm that Nitro accepts and fits the code-size limit.

use scripts::wasm::{self, MAX_CODE_SIZE, STYLUS_PREFIX};

#[test]
fn every_artifact_is_nitro_valid_and_fits_the_code_size_limit() {
    let artifacts = wasm::ensure_built();
    let expected: Vec<String> = wasm::discover()
        .unwrap()
        .into_iter()
        .map(|d| d.name)
        .collect();
    let names: Vec<String> = artifacts.iter().map(|a| a.name.clone()).collect();
    assert_eq!(names, expected, "one artifact per deployable");
    assert!(names.iter().any(|n| n == "test-token"));

    let mut too_big = Vec::new();
    for a in &artifacts {
        wasm::validate(&a.wasm).unwrap_or_else(|e| panic!("{} is not Nitro-valid: {e:#}", a.name));
        assert_eq!(a.wasm_len, a.wasm.len());
        assert_eq!(a.deployable_len, a.deployable.len());
        assert_eq!(a.deployable[..4], STYLUS_PREFIX, "{}", a.name);
        let mut decompressed = Vec::new();
        brotli::BrotliDecompress(&mut &a.deployable[4..], &mut decompressed).unwrap();
        assert_eq!(
            decompressed, a.wasm,
            "{}: deployable does not decompress to the wasm",
            a.name
        );
        let init = a.initcode();
        assert_eq!(&init[43..], &a.deployable[..]);
        if a.deployable_len > MAX_CODE_SIZE {
            too_big.push(format!("{} ({} B)", a.name, a.deployable_len));
        }
    }
    assert!(
        too_big.is_empty(),
        "over the {MAX_CODE_SIZE}-byte deployable limit: {}",
        too_big.join(", ")
    );
    println!("{}", wasm::size_table(&artifacts));
}

#[test]
fn artifacts_and_manifest_are_on_disk() {
    let artifacts = wasm::ensure_built();
    let dir = wasm::artifact_dir().unwrap();
    let manifest: Vec<wasm::ManifestEntry> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest.len(), artifacts.len());
    for (a, m) in artifacts.iter().zip(&manifest) {
        assert_eq!(a.name, m.name);
        assert_eq!(std::fs::read(&m.wasm_path).unwrap(), a.wasm);
        assert_eq!(std::fs::read(&m.deployable_path).unwrap(), a.deployable);
    }
    // A second call is cheap and returns the same artifacts.
    assert_eq!(wasm::ensure_built(), artifacts);
}
