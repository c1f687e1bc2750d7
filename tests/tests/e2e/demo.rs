//! End-to-end: the `demo` flow and the `deploy` command against an embedded devnode, through
//! JSON-RPC, with the real contract wasm.
//!
//! * the demo walks every stream (vault rewards, LP fees and incentives, lending interest and
//!   supply incentives, NFT royalties to holders and the creators' split) and each user's figure
//!   equals its formula to the wei;
//! * `deploy` run twice sends nothing the second time and keeps the record;
//! * bad input (wrong chain, unfunded key, oversized code, failing activation) is refused with one
//!   clear error and leaves no record, and `--dry-run` sends nothing.

use std::path::PathBuf;

use alloy::primitives::{keccak256, Address, U256};
use alloy::providers::{Provider, ProviderBuilder};
use alloy::signers::local::PrivateKeySigner;
use alloy::transports::http::reqwest::Url;
use devnode::{Devnode, DevnodeConfig, DevnodeHandle};
use scripts::artifacts::Artifacts;
use scripts::demo::{self, DemoOptions, Stream, Target};
use scripts::deploy::{self, DeployOptions, DeployResult, Deployments, Outcome};
use scripts::suite::{SuiteContract, DEV_ADDRESS, DEV_PRIVATE_KEY};
use scripts::ui::Progress;

fn node() -> (DevnodeHandle, Url) {
    let node = Devnode::spawn(DevnodeConfig::default()).expect("devnode starts");
    let url = node.url().parse().expect("url");
    (node, url)
}

fn dev() -> PrivateKeySigner {
    DEV_PRIVATE_KEY.parse().unwrap()
}

fn out_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("stylus-yield-e2e-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn opts(url: &Url, dir: &std::path::Path) -> DeployOptions {
    DeployOptions {
        rpc_url: url.clone(),
        out_dir: dir.to_path_buf(),
        dry_run: false,
        expected_chain_id: None,
        fresh: false,
    }
}

/// The real artifacts from the wasm pipeline.
fn real_artifacts() -> Artifacts {
    Artifacts::build().expect("contracts build")
}

/// Artifacts where every suite contract runs `code`.
fn uniform_artifacts(code: &[u8]) -> Artifacts {
    let mut a = Artifacts::new();
    for c in SuiteContract::ALL {
        a.insert(c.artifact(), code.to_vec());
    }
    a
}

/// Artifacts where every suite contract runs the test token (valid, small Stylus code): enough for
/// the checks that stop before any contract is set up.
fn token_only_artifacts() -> Artifacts {
    uniform_artifacts(&scripts::wasm::artifact("test-token").deployable)
}

/// Transactions a fresh deployment of the suite sends: 22 deployments (10 of them through the
/// StylusDeployer: deployment, activation and constructor in one transaction), 10 activations
/// (the three tokens share code, the two feeds too), 12 setup transactions (3 token inits, the
/// vault's reward, the pair and its reward, the sequencer feed, IRM, LLTV, market, its reward,
/// the NFT's sale).
const FRESH_DEPLOY_TXS: usize = 44;

async fn dev_nonce(url: &Url) -> u64 {
    let p = ProviderBuilder::new().connect_http(url.clone());
    p.get_transaction_count(DEV_ADDRESS).await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn demo_every_stream_matches_its_formula() {
    let report = demo::run(
        DemoOptions {
            target: Target::Embedded,
            artifacts: Some(real_artifacts()),
            scenario: Default::default(),
        },
        &Progress::quiet(),
    )
    .await
    .expect("demo runs");
    let e18 = U256::from(10u64).pow(U256::from(18u64));
    let tokens = |x: U256| (x / e18).to::<u64>();

    // The vault: both users' rewards equal the streaming formula to the wei.
    assert_eq!(report.users.len(), 2);
    for u in &report.users {
        assert!(!u.shares.is_zero(), "{} got no shares", u.name);
        assert!(!u.claimed.is_zero(), "{} earned nothing", u.name);
        assert_eq!(u.claimed, u.expected, "{}: claimed vs formula", u.name);
        // The view read one block earlier can only be lower (time moves forward).
        assert!(u.earned_before_claim <= u.claimed, "{}", u.name);
        // Back of the envelope at 1 sRWD/s: Alice alone for a day (86,400) plus a quarter of two
        // days (43,200); Bob three quarters of two days (129,600). Blocks take wall time.
        assert!(
            (129_500..=129_700).contains(&tokens(u.claimed)),
            "{}: {}",
            u.name,
            u.claimed
        );
    }
    let total: U256 = report.users.iter().map(|u| u.claimed).sum();
    assert!(total <= report.funded);
    assert!(report.actions.iter().all(|a| a.gas_used >= 21_000));

    // The table: six streams for each of alice and bob, the NFT creators' split for erin and
    // frank, every figure equal to its formula.
    assert_eq!(report.streams.len(), 14);
    let row = |user: &str, stream: Stream| {
        report
            .streams
            .iter()
            .find(|r| r.user == user && r.stream == stream)
            .unwrap_or_else(|| panic!("no row {user} {stream:?}"))
    };
    for r in &report.streams {
        assert_eq!(r.earned, r.formula, "{} {:?}", r.user, r.stream);
        assert!(
            !r.earned.is_zero(),
            "{} earned nothing from {:?}",
            r.user,
            r.stream
        );
        assert!(!r.gas.is_empty(), "{r:?}");
        // Creators put in no capital: no APR.
        assert_eq!(
            r.apr_percent() > 0.0,
            r.stream != Stream::NftCreatorSplit,
            "{r:?}"
        );
    }
    let cp = &report.counterparties;
    // NFT: alice (1 token) alone for the first royalty's day, then 1 of 4 tokens for the second;
    // bob 3 of 4 for the second. Each royalty is 10% of 1 ETH, half of it to holders.
    let milli = |x: U256| (x / U256::from(10u64).pow(U256::from(15u64))).to::<u64>();
    let (a, b) = (
        row("alice", Stream::NftRoyalties).earned,
        row("bob", Stream::NftRoyalties).earned,
    );
    assert!(a > b && (61..=63).contains(&milli(a)), "alice NFT {a}");
    assert!((36..=38).contains(&milli(b)), "bob NFT {b}");
    assert!(a + b <= cp.royalties_paid / U256::from(2u64));
    assert!(cp.royalties_paid / U256::from(2u64) - (a + b) < U256::from(10u64));
    // Creators: 0.4 ETH of mints and 0.1 ETH of royalties' rest, split 70/30.
    assert_eq!(milli(row("erin", Stream::NftCreatorSplit).earned), 350);
    assert_eq!(milli(row("frank", Stream::NftCreatorSplit).earned), 150);
    // Alice was there first (alone through the first round trip, the first day of each stream,
    // the day at 90% utilisation): she earns more from every stream but the vault's.
    for s in [
        Stream::LpFees,
        Stream::LpIncentives,
        Stream::LendingInterest,
        Stream::SupplyIncentives,
    ] {
        assert!(row("alice", s).earned > row("bob", s).earned, "{s:?}");
    }
    // 0.5 sRWD/s: alice one day alone then about half of two days (≈86,400), bob ≈43,200
    // (slightly less: his shares bought after fees / interest are fewer per token put in).
    for s in [Stream::LpIncentives, Stream::SupplyIncentives] {
        let (a, b) = (tokens(row("alice", s).earned), tokens(row("bob", s).earned));
        assert!((86_300..=87_600).contains(&a), "alice {s:?}: {a}");
        assert!((42_300..=43_300).contains(&b), "bob {s:?}: {b}");
    }
    // What the LPs earned is what carol paid, less the locked liquidity's share and rounding.
    let lp_fees = row("alice", Stream::LpFees).earned + row("bob", Stream::LpFees).earned;
    assert!(lp_fees <= cp.trader_paid, "{lp_fees} > {}", cp.trader_paid);
    assert!(cp.trader_paid - lp_fees < U256::from(10u64).pow(U256::from(12u64)));
    // Two round trips of 1,000 sUSD through a 2,000 sUSD pool, 0.3% each way: a few sUSD each.
    assert!(
        (6..=12).contains(&tokens(cp.trader_paid)),
        "{}",
        cp.trader_paid
    );
    // What the suppliers earned is what dave paid, less the virtual shares' dust.
    let interest =
        row("alice", Stream::LendingInterest).earned + row("bob", Stream::LendingInterest).earned;
    assert!(interest <= cp.market_interest && cp.market_interest <= cp.borrower_paid);
    assert!(cp.market_interest - interest < U256::from(100u64));
    assert!(cp.borrower_paid - cp.market_interest <= U256::from(1u64));

    let rendered = demo::render(&report);
    assert!(rendered.contains("alice") && rendered.contains("LP fees"));
    assert!(
        rendered.contains("equals its formula to the wei"),
        "{rendered}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn deploy_twice_is_idempotent() {
    let (_node, url) = node();
    let dir = out_dir("twice");
    let artifacts = real_artifacts();
    let first = match deploy::deploy(&opts(&url, &dir), dev(), &artifacts, Progress::quiet())
        .await
        .expect("first deploy")
    {
        DeployResult::Done(r) => r,
        DeployResult::Planned(_) => unreachable!(),
    };
    assert_eq!(first.sent(), FRESH_DEPLOY_TXS, "{:?}", first.steps);
    let path = Deployments::path_in(&dir, 412_346);
    let saved = Deployments::load(&path).unwrap().expect("record written");
    assert_eq!(saved, first.deployments);
    for c in SuiteContract::ALL {
        let rec = saved.get(c).expect("recorded");
        assert!(rec.activation.is_some(), "{} not activated", c.key());
    }
    let nonce = dev_nonce(&url).await;

    let second = match deploy::deploy(&opts(&url, &dir), dev(), &artifacts, Progress::quiet())
        .await
        .expect("second deploy")
    {
        DeployResult::Done(r) => r,
        DeployResult::Planned(_) => unreachable!(),
    };
    assert_eq!(second.sent(), 0, "{:?}", second.steps);
    assert!(second
        .steps
        .iter()
        .all(|s| matches!(s.outcome, Outcome::Skipped(_))));
    assert_eq!(second.deployments, first.deployments);
    assert_eq!(Deployments::load(&path).unwrap().unwrap(), saved);
    assert_eq!(dev_nonce(&url).await, nonce);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn deploy_refuses_a_wrong_chain_id() {
    let (_node, url) = node();
    let dir = out_dir("chain");
    let mut o = opts(&url, &dir);
    o.expected_chain_id = Some(42_161);
    let err = deploy::deploy(&o, dev(), &token_only_artifacts(), Progress::quiet())
        .await
        .unwrap_err();
    assert_eq!(
        format!("{err:#}"),
        format!("wrong chain: {url} serves chain id 412346, expected 42161")
    );
    assert!(!dir.exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn deploy_refuses_a_record_of_another_chain() {
    let (_node, url) = node();
    let dir = out_dir("record-chain");
    let wrong = Deployments {
        chain_id: 1,
        deployer: DEV_ADDRESS,
        contracts: Default::default(),
    };
    let path = Deployments::path_in(&dir, 412_346);
    wrong.save_atomic(&path).unwrap();
    let err = deploy::deploy(
        &opts(&url, &dir),
        dev(),
        &token_only_artifacts(),
        Progress::quiet(),
    )
    .await
    .unwrap_err();
    assert!(format!("{err:#}").starts_with("wrong chain:"), "{err:#}");
    assert_eq!(Deployments::load(&path).unwrap().unwrap(), wrong);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn deploy_refuses_an_unfunded_key() {
    let (_node, url) = node();
    let dir = out_dir("poor");
    let poor = PrivateKeySigner::from_bytes(&keccak256("stylus-yield e2e: unfunded")).unwrap();
    let err = deploy::deploy(
        &opts(&url, &dir),
        poor,
        &token_only_artifacts(),
        Progress::quiet(),
    )
    .await
    .unwrap_err();
    assert!(format!("{err:#}").contains("insufficient funds"), "{err:#}");
    assert!(!dir.exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn deploy_refuses_oversized_code() {
    let (_node, url) = node();
    let dir = out_dir("big");
    let mut a = token_only_artifacts();
    let mut big = vec![0xEF, 0xF0, 0x00, 0x00];
    big.resize(24_577, 0x55);
    a.insert("staking-vault", big);
    let err = deploy::deploy(&opts(&url, &dir), dev(), &a, Progress::quiet())
        .await
        .unwrap_err();
    assert_eq!(
        format!("{err:#}"),
        "staking-vault: deployable code is 24577 bytes, over the 24576-byte contract size limit"
    );
    assert!(!dir.exists());
    assert_eq!(dev_nonce(&url).await, devnode::DEV_ACCOUNT_GENESIS_NONCE);
}

#[tokio::test(flavor = "multi_thread")]
async fn dry_run_estimates_and_sends_nothing() {
    let (_node, url) = node();
    let dir = out_dir("dry");
    let mut o = opts(&url, &dir);
    o.dry_run = true;
    let plan = match deploy::deploy(&o, dev(), &token_only_artifacts(), Progress::quiet())
        .await
        .expect("dry run")
    {
        DeployResult::Planned(p) => p,
        DeployResult::Done(_) => panic!("dry run deployed"),
    };
    assert_eq!(plan.rows.len(), SuiteContract::ALL.len());
    assert!(plan.rows.iter().all(|r| r.deploy_gas.unwrap_or(0) > 21_000));
    // Same code for all: only the first needs activation, with a data fee.
    assert!(
        plan.rows[0].data_fee.is_some_and(|f| !f.is_zero()),
        "{}",
        plan.render()
    );
    assert!(plan.rows[0].activation_gas.is_some(), "{}", plan.render());
    assert!(plan.total_cost() > U256::ZERO);
    assert!(!dir.exists());
    assert_eq!(dev_nonce(&url).await, devnode::DEV_ACCOUNT_GENESIS_NONCE);
}

#[tokio::test(flavor = "multi_thread")]
async fn failed_activation_shows_the_reason() {
    let (_node, url) = node();
    let dir = out_dir("badwasm");
    // A Stylus prefix followed by bytes that are not a brotli stream of valid wasm.
    let a = uniform_artifacts(&[0xEF, 0xF0, 0x00, 0x00, 0xde, 0xad, 0xbe, 0xef]);
    let err = deploy::deploy(&opts(&url, &dir), dev(), &a, Progress::quiet())
        .await
        .unwrap_err();
    let msg = format!("{err:#}");
    assert!(msg.contains("activation of asset_token"), "{msg}");
    assert!(!msg.contains('\n'));
    // The deployment itself happened and is on record (complete, resumable), activation is not.
    let rec = Deployments::load(&Deployments::path_in(&dir, 412_346))
        .unwrap()
        .expect("record of the deployed contract");
    let asset = rec.get(SuiteContract::AssetToken).expect("asset recorded");
    assert!(asset.activation.is_none());
    assert_ne!(asset.address, Address::ZERO);
    let _ = std::fs::remove_dir_all(dir);
}

fn done(r: DeployResult) -> deploy::DeployReport {
    match r {
        DeployResult::Done(r) => r,
        DeployResult::Planned(_) => panic!("planned only"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn deploy_resumes_an_interrupted_run() {
    let (_node, url) = node();
    let dir = out_dir("resume");
    let artifacts = real_artifacts();
    let first = done(
        deploy::deploy(&opts(&url, &dir), dev(), &artifacts, Progress::quiet())
            .await
            .expect("first deploy"),
    );
    // Simulate a run killed after the reward token's init was mined but before it was recorded,
    // and before the vault was deployed.
    let path = Deployments::path_in(&dir, 412_346);
    let mut cut = first.deployments.clone();
    cut.contracts.remove(SuiteContract::Vault.key());
    cut.contracts
        .get_mut(SuiteContract::RewardToken.key())
        .unwrap()
        .setup
        .clear();
    cut.save_atomic(&path).unwrap();

    let second = done(
        deploy::deploy(&opts(&url, &dir), dev(), &artifacts, Progress::quiet())
            .await
            .expect("resumed deploy"),
    );
    let sent: Vec<String> = second
        .steps
        .iter()
        .filter(|s| matches!(s.outcome, Outcome::Sent { .. }))
        .map(|s| format!("{} {}", s.action, s.contract.key()))
        .collect();
    // The vault is deployed (and constructed) again; its code hash is already active; the token
    // init is found done.
    assert_eq!(sent, ["deploy staking_vault", "add_reward staking_vault"]);
    let saved = Deployments::load(&path).unwrap().unwrap();
    assert_eq!(saved, second.deployments);
    let token = saved.get(SuiteContract::RewardToken).unwrap();
    assert_eq!(token.setup.len(), 1);
    assert_eq!(token.setup[0].tx, None);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn deploy_refuses_what_the_balance_cannot_finish() {
    let (_node, url) = node();
    let dir = out_dir("short");
    let poor =
        PrivateKeySigner::from_bytes(&keccak256("stylus-yield e2e: short of funds")).unwrap();
    // 0.0001 ETH: far less than four deployments and three activations at 0.1 gwei.
    let funder = ProviderBuilder::new()
        .wallet(alloy::network::EthereumWallet::from(dev()))
        .connect_http(url.clone());
    let tx = alloy::rpc::types::TransactionRequest::default()
        .to(poor.address())
        .value(U256::from(100_000_000_000_000u64));
    funder
        .send_transaction(tx)
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    let err = deploy::deploy(
        &opts(&url, &dir),
        poor,
        &token_only_artifacts(),
        Progress::quiet(),
    )
    .await
    .unwrap_err();
    let msg = format!("{err:#}");
    assert!(
        msg.contains("insufficient funds") && msg.contains("needs about"),
        "{msg}"
    );
    assert!(!dir.exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn deploy_redeploys_after_a_chain_reset() {
    let dir = out_dir("reset");
    let artifacts = real_artifacts();
    {
        let (_node, url) = node();
        let first = done(
            deploy::deploy(&opts(&url, &dir), dev(), &artifacts, Progress::quiet())
                .await
                .expect("first deploy"),
        );
        assert_eq!(first.sent(), FRESH_DEPLOY_TXS);
    }
    // A new devnode with the same chain id: the recorded addresses hold no code.
    let (_node, url) = node();
    let again = done(
        deploy::deploy(&opts(&url, &dir), dev(), &artifacts, Progress::quiet())
            .await
            .expect("deploy after reset"),
    );
    assert_eq!(again.sent(), FRESH_DEPLOY_TXS, "{:?}", again.steps);
    let saved = Deployments::load(&Deployments::path_in(&dir, 412_346))
        .unwrap()
        .unwrap();
    assert_eq!(saved, again.deployments);
    let _ = std::fs::remove_dir_all(dir);
}

/// `--dry-run`'s simulated gas is exact: on a fresh chain, the simulation's per-contract gas sums
/// to what the real deployment then spends, transaction for transaction; the StylusDeployer rows
/// the node could estimate itself agree with the simulation within the estimate's margin.
#[tokio::test(flavor = "multi_thread")]
async fn dry_run_simulation_matches_the_real_deployment() {
    let (_node, url) = node();
    let dir = out_dir("simulated");
    let artifacts = real_artifacts();
    let mut o = opts(&url, &dir);
    o.dry_run = true;
    let mut plan = match deploy::deploy(&o, dev(), &artifacts, Progress::quiet())
        .await
        .expect("dry run")
    {
        DeployResult::Planned(p) => p,
        DeployResult::Done(_) => panic!("dry run deployed"),
    };
    plan.add_simulation(
        &deploy::plan::simulate(&artifacts)
            .await
            .expect("simulation"),
    );
    assert_eq!(dev_nonce(&url).await, devnode::DEV_ACCOUNT_GENESIS_NONCE);
    o.dry_run = false;
    let report = match deploy::deploy(&o, dev(), &artifacts, Progress::quiet())
        .await
        .expect("deploy")
    {
        DeployResult::Done(r) => r,
        DeployResult::Planned(_) => unreachable!(),
    };
    let simulated: u64 = plan.rows.iter().map(|r| r.simulated_gas.unwrap()).sum();
    assert_eq!(simulated, report.gas_total(), "{}", plan.render());
    for row in &plan.rows {
        let rec = report.deployments.get(row.contract).unwrap();
        let setup: u64 = rec.setup.iter().map(|s| s.gas_used).sum();
        let activation = rec.activation.as_ref().map_or(0, |a| a.gas_used);
        assert_eq!(
            row.simulated_gas,
            Some(rec.deploy_gas_used + activation + setup),
            "{}",
            row.contract.key()
        );
        if row.via_deployer {
            // eth_estimateGas of the one StylusDeployer transaction: at least what it used.
            let estimated = row.deploy_gas.unwrap();
            assert!(
                estimated >= rec.deploy_gas_used && estimated < rec.deploy_gas_used * 11 / 10,
                "{}: estimated {estimated}, used {}",
                row.contract.key(),
                rec.deploy_gas_used
            );
        }
    }
    assert!(
        plan.rows.iter().any(|r| r.via_deployer),
        "{}",
        plan.render()
    );
    let _ = std::fs::remove_dir_all(dir);
}
