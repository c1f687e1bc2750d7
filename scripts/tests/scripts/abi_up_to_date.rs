//! `abi/` holds the current Solidity interface and JSON ABI of every deployable.
//! Regenerate with `UPDATE_ABI=1 cargo test --release -p scripts --test scripts -- abi_up_to_date`
//! (or `cargo run --release -p scripts -- abi`).

use scripts::abi;

#[test]
fn abi_files_are_up_to_date() {
    let export = abi::export_all().unwrap();
    assert!(
        export.missing_bin.is_empty(),
        "deployables without a `<package>-export-abi` bin: {:?}",
        export.missing_bin
    );
    if std::env::var("UPDATE_ABI").is_ok_and(|v| v == "1") {
        abi::write_all(&export.abis).unwrap();
        return;
    }
    let stale = abi::stale_files(&export.abis);
    assert!(
        stale.is_empty(),
        "stale files in abi/: {stale:?}; rerun with UPDATE_ABI=1"
    );
    // Every program exports functions, and every program with a state-changing function exports
    // the custom errors it fails with (a views-only facet can have none).
    for a in &export.abis {
        let json: alloy_json_abi::JsonAbi = serde_json::from_str(&a.json).unwrap();
        let mutates = json.functions().any(|f| {
            !matches!(
                f.state_mutability,
                alloy_json_abi::StateMutability::View | alloy_json_abi::StateMutability::Pure
            )
        });
        assert!(json.functions().count() > 0, "{}: no functions", a.name);
        assert!(
            !mutates || json.errors().count() > 0,
            "{}: state-changing functions but no errors",
            a.name
        );
    }
}
