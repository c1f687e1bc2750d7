//! Unit tests of the deploy engine's pure parts.

use std::collections::BTreeMap;

use super::*;

fn record(hash: B256) -> ContractRecord {
    ContractRecord {
        artifact: "test-token".into(),
        address: Address::repeat_byte(0x11),
        code_hash: hash,
        code_size: 10,
        deploy_tx: B256::repeat_byte(0x22),
        deploy_gas_used: 123,
        activation: None,
        setup: vec![],
        abi: String::new(),
    }
}

#[test]
fn key_errors_never_echo_the_key() {
    assert_eq!(parse_private_key(None).unwrap_err(), KeyError::Missing);
    assert_eq!(
        parse_private_key(Some("  ")).unwrap_err(),
        KeyError::Missing
    );
    let short = "0xdeadbeef";
    let err = parse_private_key(Some(short)).unwrap_err();
    assert_eq!(err, KeyError::Malformed);
    assert!(!err.to_string().contains("deadbeef"));
    let not_hex = format!("0x{}", "zz".repeat(32));
    assert_eq!(
        parse_private_key(Some(&not_hex)).unwrap_err(),
        KeyError::Malformed
    );
    let zero = format!("0x{}", "00".repeat(32));
    assert_eq!(
        parse_private_key(Some(&zero)).unwrap_err(),
        KeyError::Invalid
    );
    let over = format!("0x{}", "ff".repeat(32));
    assert_eq!(
        parse_private_key(Some(&over)).unwrap_err(),
        KeyError::Invalid
    );
}

#[test]
fn key_parses_with_or_without_prefix() {
    let with = parse_private_key(Some(crate::suite::DEV_PRIVATE_KEY)).unwrap();
    let without = parse_private_key(Some(&crate::suite::DEV_PRIVATE_KEY[2..])).unwrap();
    assert_eq!(with.address(), crate::suite::DEV_ADDRESS);
    assert_eq!(without.address(), crate::suite::DEV_ADDRESS);
    let padded = format!(" {}\n", crate::suite::DEV_PRIVATE_KEY);
    assert_eq!(
        parse_private_key(Some(&padded)).unwrap().address(),
        crate::suite::DEV_ADDRESS
    );
}

#[test]
fn resume_states() {
    let code = b"\xEF\xF0\x00\x00abc".to_vec();
    let hash = keccak256(&code);
    let rec = record(hash);
    assert_eq!(resume_state(None, hash, None), ResumeState::NotRecorded);
    assert_eq!(
        resume_state(Some(&rec), hash, Some(&code)),
        ResumeState::Deployed
    );
    assert_eq!(
        resume_state(Some(&rec), hash, Some(&[])),
        ResumeState::Vanished
    );
    assert_eq!(resume_state(Some(&rec), hash, None), ResumeState::Vanished);
    assert_eq!(
        resume_state(Some(&rec), B256::repeat_byte(9), Some(&code)),
        ResumeState::ArtifactChanged
    );
    assert_eq!(
        resume_state(Some(&rec), hash, Some(b"\x60\x00")),
        ResumeState::Foreign
    );
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "stylus-yield-test-{tag}-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn atomic_save_round_trips_and_leaves_no_temp_files() {
    let dir = temp_dir("save").join("deployments");
    let path = Deployments::path_in(&dir, 412_346);
    assert_eq!(Deployments::load(&path).unwrap(), None);
    let mut d = Deployments {
        chain_id: 412_346,
        deployer: Address::repeat_byte(1),
        contracts: BTreeMap::new(),
    };
    d.save_atomic(&path).unwrap();
    assert_eq!(Deployments::load(&path).unwrap().as_ref(), Some(&d));
    d.contracts
        .insert("asset_token".into(), record(B256::repeat_byte(3)));
    d.contracts.get_mut("asset_token").unwrap().activation = Some(ActivationRecord {
        version: 2,
        data_fee: U256::from(12345u64),
        tx: Some(B256::repeat_byte(4)),
        gas_used: 1_700_000,
    });
    d.save_atomic(&path).unwrap();
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .contains("\"data_fee\": \"12345\""));
    let back = Deployments::load(&path).unwrap().unwrap();
    assert_eq!(back, d);
    assert_eq!(
        back.address(SuiteContract::AssetToken),
        Some(Address::repeat_byte(0x11))
    );
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, vec!["412346.json".to_string()]);
    let _ = std::fs::remove_dir_all(dir.parent().unwrap());
}

#[test]
fn malformed_record_is_an_error_and_is_not_overwritten() {
    let dir = temp_dir("bad");
    std::fs::create_dir_all(&dir).unwrap();
    let path = Deployments::path_in(&dir, 1);
    std::fs::write(&path, "{ not json").unwrap();
    let err = Deployments::load(&path).unwrap_err().to_string();
    assert!(err.contains("is malformed"), "{err}");
    assert!(!err.contains('\n'));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "{ not json");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn plan_cost_bumps_fees() {
    let plan = Plan {
        rows: vec![PlanRow {
            contract: SuiteContract::Vault,
            code_size: 1,
            state: String::new(),
            deploy_gas: Some(1_000),
            activation_gas: Some(2_000),
            data_fee: Some(U256::from(100u64)),
            via_deployer: false,
            setup_txs: 1,
            deployed: false,
            setup_done: Vec::new(),
            simulated_gas: None,
            note: String::new(),
        }],
        gas_price: 10,
    };
    let gas = 1_000 + 2_000 + SETUP_GAS_GUESS;
    assert_eq!(plan.total_cost(), U256::from(gas * 10 + 120));
    assert!(plan.render().contains("staking_vault"));
}

#[test]
fn one_line_flattens() {
    assert_eq!(one_line("a\n  b\tc "), "a b c");
}

fn setup_step(step: &str, gas_used: u64) -> SetupRecord {
    SetupRecord {
        step: step.into(),
        tx: Some(B256::repeat_byte(0x33)),
        gas_used,
        output: None,
    }
}

fn plan_row(contract: SuiteContract, deployed: bool, setup_done: &[&str]) -> PlanRow {
    PlanRow {
        contract,
        code_size: 1,
        state: String::new(),
        deploy_gas: (!deployed).then_some(1_000),
        activation_gas: (!deployed).then_some(500),
        data_fee: None,
        via_deployer: false,
        setup_txs: 2 - setup_done.len() as u64,
        deployed,
        setup_done: setup_done.iter().map(|s| s.to_string()).collect(),
        simulated_gas: None,
        note: String::new(),
    }
}

#[test]
fn suite_lists_every_program_once_with_the_nft_last() {
    use std::collections::BTreeSet;
    let all = SuiteContract::ALL;
    assert_eq!(all.len(), 22);
    let keys: BTreeSet<_> = all.iter().map(|c| c.key()).collect();
    assert_eq!(keys.len(), all.len(), "keys are unique");
    // Deployment order is the enum's order (the resume logic relies on it).
    assert!(all.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(
        all[all.len() - 4..],
        [
            SuiteContract::NftAdminFacet,
            SuiteContract::NftConfigFacet,
            SuiteContract::NftRewardsFacet,
            SuiteContract::RoyaltyNft
        ]
    );
    assert!(SuiteContract::RoyaltyNft.constructed());
    assert!(!SuiteContract::NftAdminFacet.constructed());
    assert_eq!(SuiteContract::RoyaltyNft.artifact(), "royalty-nft");
    assert_eq!(setup_steps(SuiteContract::RoyaltyNft), ["open_sale"]);
    // 10 through the StylusDeployer, 12 setup transactions.
    assert_eq!(all.iter().filter(|c| c.constructed()).count(), 10);
    let setup: usize = all.iter().map(|c| setup_steps(*c).len()).sum();
    assert_eq!(setup, 12);
    for c in all {
        assert!(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("..")
                .join(c.abi_path())
                .exists(),
            "{}: no ABI",
            c.key()
        );
    }
}

#[test]
fn simulation_counts_only_what_remains() {
    let mut asset = record(B256::ZERO);
    asset.deploy_gas_used = 2_000;
    asset.activation = Some(ActivationRecord {
        version: 2,
        data_fee: U256::from(7u64),
        tx: Some(B256::ZERO),
        gas_used: 300,
    });
    asset.setup = vec![setup_step("init", 40), setup_step("add_reward", 60)];
    let mut vault = asset.clone();
    vault.deploy_gas_used = 9_000;
    let sim = Deployments {
        chain_id: 1,
        deployer: Address::ZERO,
        contracts: BTreeMap::from([
            (SuiteContract::AssetToken.key().to_string(), asset),
            (SuiteContract::Vault.key().to_string(), vault),
        ]),
    };
    let mut plan = Plan {
        rows: vec![
            // Not deployed: deployment + activation + both setup steps.
            plan_row(SuiteContract::AssetToken, false, &[]),
            // Deployed with `init` done: only `add_reward` remains.
            plan_row(SuiteContract::Vault, true, &["init"]),
            // Not in the simulation: keeps the node's estimate and the setup guess.
            plan_row(SuiteContract::Weth, false, &[]),
        ],
        gas_price: 1,
    };
    let guessed = plan.rows[2].gas();
    assert_eq!(guessed, 1_500 + 2 * SETUP_GAS_GUESS);
    plan.add_simulation(&sim);
    assert_eq!(plan.rows[0].simulated_gas, Some(2_000 + 300 + 40 + 60));
    assert_eq!(plan.rows[1].simulated_gas, Some(60));
    assert_eq!(plan.rows[2].simulated_gas, None);
    // The larger of the node's estimate and the simulation; the setup guess goes away.
    assert_eq!(plan.rows[0].gas(), 2_400);
    assert_eq!(plan.rows[1].gas(), 60);
    assert_eq!(plan.rows[2].gas(), guessed);
    assert_eq!(plan.total_cost(), U256::from(2_400 + 60 + guessed));
    assert!(plan.render().contains("simulated gas"));
}

#[test]
fn nft_init_is_a_valid_split_on_the_suite_weth() {
    let (owner, weth, facet) = (
        Address::repeat_byte(1),
        Address::repeat_byte(2),
        Address::repeat_byte(3),
    );
    let init = nft_init(owner, weth, facet);
    assert_eq!(
        (init.owner, init.weth, init.rewards_facet),
        (owner, weth, facet)
    );
    assert_eq!(init.recipients.len(), 2);
    assert_ne!(init.recipients[0], init.recipients[1]);
    assert!(init.recipients.iter().all(|r| !r.is_zero()));
    assert_eq!(init.shares.iter().sum::<U256>(), U256::from(10_000u64));
    assert!(init.holder_share_bps <= U256::from(10_000u64));
    assert!(init.royalty_bps < U256::from(10_000u64));
    // The creators are the demo's erin and frank.
    assert_eq!(
        init.recipients[0],
        crate::params::demo_key("erin").address()
    );
}

#[test]
fn plan_renders_the_nft_rows() {
    let row = |contract| PlanRow {
        contract,
        code_size: 1,
        state: "to deploy".into(),
        deploy_gas: Some(1),
        activation_gas: None,
        data_fee: None,
        via_deployer: false,
        setup_txs: setup_steps(contract).len() as u64,
        deployed: false,
        setup_done: Vec::new(),
        simulated_gas: None,
        note: String::new(),
    };
    let plan = Plan {
        rows: SuiteContract::ALL.iter().map(|c| row(*c)).collect(),
        gas_price: 1,
    };
    let text = plan.render();
    for key in [
        "nft_admin_facet",
        "nft_config_facet",
        "nft_rewards_facet",
        "royalty_nft",
    ] {
        assert!(text.contains(key), "{text}");
    }
}
