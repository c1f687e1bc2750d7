//! `stylus-yield report`'s measurements on an embedded devnode, for two real artifacts: each is
//! deployed, quoted and activated; its sizes are the pipeline's, the CREATE paid the code deposit
//! (200 gas a byte of deployable code), and activation charged a data fee.

use scripts::report::{measure, render};

#[tokio::test(flavor = "multi_thread")]
async fn report_deploys_and_activates_each_artifact() -> anyhow::Result<()> {
    let artifacts: Vec<_> = scripts::wasm::ensure_built()
        .into_iter()
        .filter(|a| a.name == "test-token" || a.name == "weth")
        .collect();
    assert_eq!(artifacts.len(), 2);
    let node = scripts::demo::start_embedded_node().await?;
    let signer = scripts::suite::DEV_PRIVATE_KEY.parse()?;
    let rows = measure(node.url().as_str(), signer, &artifacts).await;
    node.stop().await?;
    let rows = rows?;
    assert_eq!(rows.len(), 2);
    for (r, a) in rows.iter().zip(&artifacts) {
        assert_eq!(r.name, a.name);
        assert_eq!(
            (r.wasm_len, r.deployable_len),
            (a.wasm_len, a.deployable_len)
        );
        assert!(
            r.deploy_gas > 21_000 + 200 * r.deployable_len as u64,
            "{}: deploy gas {} below the code deposit",
            r.name,
            r.deploy_gas
        );
        assert!(r.activate_gas > 21_000, "{}: activation gas", r.name);
        assert!(!r.data_fee.is_zero(), "{}: no data fee", r.name);
    }
    let table = render(&rows);
    assert!(
        table.contains("| test-token |") && table.contains("| weth |"),
        "{table}"
    );
    Ok(())
}
