//! `stylus-yield demo`: every passive-income stream of the suite, walked through by real users in
//! one process and through real JSON-RPC transactions: build → devnode → deploy the whole suite
//! (the `deploy` engine) → alice and bob put sUSD (and sETH) into the vault, the sUSD/sETH pool
//! and the lending market and mint royalty NFTs at different times while carol trades (and pays
//! the NFT's royalties, standing in for a marketplace) and dave borrows → time passes → everyone
//! claims and exits, the NFT's creators (erin, frank) withdraw their split. It prints ONE table: per user and stream, what was put in, what was
//! earned, the formula's figure, the APR and the gas of each action; then the wall time by phase.
//!
//! Every figure is checked against an independent model ([`models`]) fed with the block
//! timestamps of the transactions, to the wei, before it is printed: the run fails otherwise.

use std::time::{Duration, Instant};

use alloy::network::EthereumWallet;
use alloy::primitives::{Address, U256};
use alloy::providers::{DynProvider, Provider, ProviderBuilder};
use alloy::rpc::types::TransactionReceipt;
use alloy::signers::local::PrivateKeySigner;
use alloy::transports::http::reqwest::Url;
use anyhow::{anyhow, bail, Result};

use crate::artifacts::Artifacts;
use crate::deploy::{one_line, DeployReport, Deployer};
use crate::suite::{SuiteContract, DEV_PRIVATE_KEY};
use crate::ui::Progress;

mod lending;
pub mod models;
mod nft;
mod pool;
mod render;
mod streams;

pub use models::{units, MarketModel, PairModel, SplitModel, StreamModel};
pub use render::render;

/// The demo scenario (amounts in whole tokens, times in seconds).
#[derive(Clone, Debug)]
pub struct Scenario {
    /// sUSD alice deposits into the vault (at the start of its stream).
    pub first_deposit: u64,
    /// sUSD bob deposits into the vault, `second_after` seconds later.
    pub second_deposit: u64,
    /// Delay between the two users' entries (every product).
    pub second_after: u64,
    /// Time from the second entries to the claims and exits.
    pub claim_after: u64,
    /// sRWD streamed to the vault over the reward duration (7 days).
    pub reward_amount: u64,
    /// sUSD each of alice and bob offers the pool (with up to [`Scenario::lp_seth`] sETH).
    pub lp_susd: u64,
    /// sETH each of alice and bob offers the pool.
    pub lp_seth: u64,
    /// sRWD streamed to the pair's LPs over 7 days.
    pub lp_reward_amount: u64,
    /// sUSD carol swaps to sETH and straight back, once per phase (the LPs' fees).
    pub swap_susd: u64,
    /// sUSD each of alice and bob supplies to the market.
    pub supply_susd: u64,
    /// sRWD streamed to the market's suppliers over 7 days.
    pub supply_reward_amount: u64,
    /// sETH dave posts as collateral.
    pub collateral_seth: u64,
    /// sUSD dave borrows right after alice supplies.
    pub borrow_susd: u64,
    /// SYART alice mints at the start (at the collection's price, 0.1 ETH each).
    pub alice_nfts: u64,
    /// SYART bob mints `second_after` seconds later.
    pub bob_nfts: u64,
    /// Secondary-sale price (wei) whose ERC-2981 royalty carol pays the collection, once per
    /// phase (standing in for a marketplace).
    pub nft_sale_wei: U256,
    /// Value of one sRWD in sUSD wei, for the APRs only (a demo assumption: 0.00001 sUSD).
    pub reward_price_wei: U256,
    /// ETH sent by the dev account to each user for gas (in wei).
    pub user_gas_money: U256,
}

impl Default for Scenario {
    fn default() -> Self {
        Self {
            first_deposit: 1_000,
            second_deposit: 3_000,
            second_after: 24 * 60 * 60,
            claim_after: 2 * 24 * 60 * 60,
            reward_amount: 604_800, // 1 token per second over 7 days
            lp_susd: 2_000,
            lp_seth: 1,
            lp_reward_amount: 302_400, // 0.5 per second
            swap_susd: 1_000,
            supply_susd: 2_000,
            supply_reward_amount: 302_400,
            collateral_seth: 2,
            borrow_susd: 1_800, // 90% utilisation: above the IRM's kink until bob supplies
            alice_nfts: 1,
            bob_nfts: 3,
            nft_sale_wei: units(1),
            reward_price_wei: U256::from(10_000_000_000_000u64),
            user_gas_money: U256::from(10u64).pow(U256::from(18u64)),
        }
    }
}

/// Where the demo runs.
#[derive(Clone, Debug, Default)]
pub enum Target {
    /// Start the devnode in this process (the default).
    #[default]
    Embedded,
    /// Use a running dev node at this URL (the dev account must be funded there).
    External(Url),
}

/// Options of the demo.
#[derive(Clone, Debug, Default)]
pub struct DemoOptions {
    /// Node to use.
    pub target: Target,
    /// Prebuilt artifacts (else the wasm pipeline builds them).
    pub artifacts: Option<Artifacts>,
    /// Scenario.
    pub scenario: Scenario,
}

/// An income stream of the suite.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stream {
    /// sRWD streamed to the vault's shareholders.
    VaultRewards,
    /// The pair's 0.3% swap fee, paid to LPs through the reserves.
    LpFees,
    /// sRWD streamed to the pair's LPs.
    LpIncentives,
    /// Interest borrowers pay suppliers (Morpho's compounding, the jump-rate IRM).
    LendingInterest,
    /// sRWD streamed to the market's suppliers.
    SupplyIncentives,
    /// The holders' part of the NFT's royalties (WETH, streamed over a day per royalty).
    NftRoyalties,
    /// The NFT creators' split of mint proceeds and the royalties' rest (ETH).
    NftCreatorSplit,
}

impl Stream {
    /// Name in the table.
    pub fn label(self) -> &'static str {
        match self {
            Self::VaultRewards => "vault rewards",
            Self::LpFees => "LP fees (0.3%)",
            Self::LpIncentives => "LP incentives",
            Self::LendingInterest => "lending interest",
            Self::SupplyIncentives => "supply incentives",
            Self::NftRoyalties => "NFT royalties",
            Self::NftCreatorSplit => "NFT creator split",
        }
    }

    /// The formula the figure is checked against.
    pub fn formula(self) -> &'static str {
        match self {
            Self::VaultRewards | Self::LpIncentives | Self::SupplyIncentives => {
                "reward stream: Σ balance·Δindex, index += rate·dt/supply"
            }
            Self::LpFees => "constant product x·y=k, 0.3% fee: burn − deposit at 2000 sUSD/sETH",
            Self::LendingInterest => "Morpho: borrow·wTaylorCompounded(rate, dt), by supply shares",
            Self::NftRoyalties => {
                "⌊royalty·holderBps/10⁴⌋ as WETH, streamed ≥ 1 day: Σ tokens·Δindex"
            }
            Self::NftCreatorSplit => {
                "⌊C·share/10⁴⌋ − withdrawn, C = mint proceeds + royalties − holders' part"
            }
        }
    }
}

/// What one user put into one stream and got out of it.
#[derive(Clone, Debug)]
pub struct StreamRow {
    /// User name.
    pub user: String,
    /// Stream.
    pub stream: Stream,
    /// What was put in, for the table (`"2000 sUSD + 1 sETH"`).
    pub put_in: String,
    /// Its value in sUSD wei.
    pub put_in_value: U256,
    /// Earned, on chain (wei of [`StreamRow::token`]).
    pub earned: U256,
    /// The model's figure (equal to `earned`: checked before the row exists).
    pub formula: U256,
    /// Symbol of what was earned.
    pub token: &'static str,
    /// Value of `earned` in sUSD wei.
    pub earned_value: U256,
    /// Seconds the position earned (entry block to exit or claim block).
    pub held_secs: u64,
    /// Gas of the user's actions for this stream: (action, gas).
    pub gas: Vec<(String, u64)>,
}

impl StreamRow {
    /// Annualised return `earned value / put-in value · year / time held`, in percent.
    pub fn apr_percent(&self) -> f64 {
        if self.put_in_value.is_zero() || self.held_secs == 0 {
            return 0.0;
        }
        let bp = self.earned_value * U256::from(crate::params::YEAR) * U256::from(1_000_000u64)
            / (self.put_in_value * U256::from(self.held_secs));
        bp.to::<u128>() as f64 / 10_000.0
    }
}

/// Vault result for one user (kept for the vault's own checks).
#[derive(Clone, Debug)]
pub struct UserResult {
    /// Name in the table.
    pub name: String,
    /// Address.
    pub address: Address,
    /// Assets deposited (wei).
    pub deposited: U256,
    /// Vault shares received (raw units).
    pub shares: U256,
    /// `earned()` read just before claiming.
    pub earned_before_claim: U256,
    /// Reward tokens received by the claim.
    pub claimed: U256,
    /// What the streaming formula gives at the claim's block timestamp.
    pub expected: U256,
    /// Gas of the user's actions: (action, gas).
    pub gas: Vec<(String, u64)>,
}

/// Gas of one action.
#[derive(Clone, Debug)]
pub struct ActionGas {
    /// Action name.
    pub action: String,
    /// Gas used by the transaction.
    pub gas_used: u64,
}

/// What the counterparties paid (the other side of the LPs' and suppliers' income).
#[derive(Clone, Debug, Default)]
pub struct Counterparties {
    /// sUSD carol lost to the pair over her round trips (the LPs' fees and rounding).
    pub trader_paid: U256,
    /// sUSD dave paid in interest.
    pub borrower_paid: U256,
    /// Interest the market accrued in total (model, equal to the chain's).
    pub market_interest: U256,
    /// ETH royalties carol paid the NFT collection.
    pub royalties_paid: U256,
}

/// Wall time of the demo's phases.
#[derive(Clone, Debug, Default)]
pub struct Timings {
    /// Building (or loading) the artifacts.
    pub build: Duration,
    /// Starting the devnode.
    pub node_start: Duration,
    /// Deployment and setup transactions.
    pub deploy: Duration,
    /// Activation transactions.
    pub activation: Duration,
    /// The users' actions.
    pub actions: Duration,
    /// Everything.
    pub total: Duration,
}

/// Everything the demo measured.
#[derive(Clone, Debug)]
pub struct DemoReport {
    /// The table: one row per user and stream.
    pub streams: Vec<StreamRow>,
    /// The vault's users (alice, bob).
    pub users: Vec<UserResult>,
    /// Every action's gas, in order.
    pub actions: Vec<ActionGas>,
    /// The trader's and the borrower's side.
    pub counterparties: Counterparties,
    /// Phase timings.
    pub timings: Timings,
    /// The deployment.
    pub deployment: DeployReport,
    /// sRWD funded to the vault's stream.
    pub funded: U256,
    /// The scenario that ran.
    pub scenario: Scenario,
}

// ---------------------------------------------------------------------------------------------
// Node
// ---------------------------------------------------------------------------------------------

/// A node the demo talks to; an embedded node stops when this is dropped or [`NodeGuard::stop`]ped.
pub struct NodeGuard {
    url: Url,
    handle: Option<devnode::DevnodeHandle>,
}

impl NodeGuard {
    /// A node started elsewhere.
    pub fn external(url: Url) -> Self {
        Self { url, handle: None }
    }

    /// JSON-RPC URL.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// Stops an embedded node (off the async threads: stopping joins the node's threads).
    pub async fn stop(mut self) -> Result<()> {
        if let Some(handle) = self.handle.take() {
            tokio::task::spawn_blocking(move || handle.stop()).await??;
        }
        Ok(())
    }
}

/// Starts the devnode in this process on a free local port (nitro-devnode defaults: chain id
/// 412346, the dev account funded with 1,000 ETH).
pub async fn start_embedded_node() -> Result<NodeGuard> {
    let handle =
        tokio::task::spawn_blocking(|| devnode::Devnode::spawn(devnode::DevnodeConfig::default()))
            .await?
            .map_err(|e| anyhow!("starting the embedded devnode: {e:#}"))?;
    let url = handle
        .url()
        .parse()
        .map_err(|e| anyhow!("devnode URL {}: {e}", handle.url()))?;
    Ok(NodeGuard {
        url,
        handle: Some(handle),
    })
}

// ---------------------------------------------------------------------------------------------
// The demo
// ---------------------------------------------------------------------------------------------

/// A user of the demo with its own signing provider.
struct User {
    name: String,
    address: Address,
    provider: DynProvider,
}

fn demo_user(name: &str, url: &Url) -> Result<User> {
    // Deterministic throwaway keys, derived from a public label: demo accounts only.
    let signer = crate::params::demo_key(name);
    let address = signer.address();
    let provider = ProviderBuilder::new()
        .wallet(EthereumWallet::from(signer))
        .connect_http(url.clone())
        .erased();
    Ok(User {
        name: name.into(),
        address,
        provider,
    })
}

async fn send<P: Provider, D: alloy::contract::CallDecoder>(
    what: &str,
    call: alloy::contract::CallBuilder<P, D>,
) -> Result<TransactionReceipt> {
    let pending = call
        .send()
        .await
        .map_err(|e| anyhow!("{what}: {}", crate::deploy::call_error_reason(&e)))?;
    let receipt = pending
        .get_receipt()
        .await
        .map_err(|e| anyhow!("{what}: waiting for the receipt: {}", one_line(e)))?;
    if !receipt.status() {
        bail!("{what}: transaction {} reverted", receipt.transaction_hash);
    }
    Ok(receipt)
}

async fn block_time(provider: &DynProvider, receipt: &TransactionReceipt) -> Result<u64> {
    let number = receipt
        .block_number
        .ok_or_else(|| anyhow!("receipt without a block number"))?;
    let block = provider
        .get_block_by_number(number.into())
        .await
        .map_err(|e| anyhow!("eth_getBlockByNumber: {}", one_line(e)))?
        .ok_or_else(|| anyhow!("block {number} not found"))?;
    Ok(block.header.timestamp)
}

/// Moves the chain's clock forward by `secs` and mines a block, so views (`earned`) see the new
/// time before the next transaction.
async fn increase_time(provider: &DynProvider, secs: u64) -> Result<()> {
    let _: serde_json::Value = provider
        .raw_request("evm_increaseTime".into(), (secs,))
        .await
        .map_err(|e| anyhow!("evm_increaseTime: {}", one_line(e)))?;
    let _: serde_json::Value = provider
        .raw_request("evm_mine".into(), ())
        .await
        .map_err(|e| anyhow!("evm_mine: {}", one_line(e)))?;
    Ok(())
}

/// Fails the demo unless an on-chain figure equals its formula's, to the wei.
fn check(what: &str, on_chain: U256, formula: U256) -> Result<()> {
    if on_chain != formula {
        bail!("demo check failed: {what}: on chain {on_chain}, formula {formula}");
    }
    Ok(())
}

/// Runs the demo and returns what it measured; progress goes to `progress`.
pub async fn run(opts: DemoOptions, progress: &Progress) -> Result<DemoReport> {
    let total = Instant::now();
    let mut timings = Timings::default();

    // 1. Artifacts.
    let step = progress.start("build contracts");
    let artifacts = match opts.artifacts {
        Some(a) => a,
        None => match tokio::task::spawn_blocking(Artifacts::build).await? {
            Ok(a) => a,
            Err(e) => {
                step.fail("");
                return Err(e);
            }
        },
    };
    let mut names: Vec<&str> = SuiteContract::ALL.iter().map(|c| c.artifact()).collect();
    names.dedup();
    let bytes: usize = names
        .iter()
        .filter_map(|n| artifacts.code(n).ok().map(|c| c.len()))
        .sum();
    timings.build = step.done(format!("{} programs, {bytes} B deployable", names.len()));

    // 2. Node.
    let step = progress.start("start devnode");
    let node = match &opts.target {
        Target::Embedded => match start_embedded_node().await {
            Ok(n) => n,
            Err(e) => {
                step.fail("");
                return Err(e);
            }
        },
        Target::External(url) => NodeGuard::external(url.clone()),
    };
    timings.node_start = step.done(node.url());
    let url = node.url().clone();

    // 3. Deploy + activate + wire (the same engine as `deploy`, with an in-memory record).
    let dev: PrivateKeySigner = DEV_PRIVATE_KEY
        .parse()
        .map_err(|e| anyhow!("dev key: {e}"))?;
    let deployer = Deployer::connect(url.clone(), dev, None, progress.clone()).await?;
    let record = deployer.load_record(None, true)?;
    let deployment = deployer.run(record, &artifacts, None).await?;
    timings.deploy = deployment.time_of(|a| a != "activate");
    timings.activation = deployment.time_of(|a| a == "activate");

    // 4. The walk through every stream.
    let actions_started = Instant::now();
    let users = [
        demo_user("alice", &url)?,
        demo_user("bob", &url)?,
        demo_user("carol", &url)?,
        demo_user("dave", &url)?,
    ];
    let walk = streams::walk(&opts.scenario, &deployer, &deployment, &users, progress).await?;
    timings.actions = actions_started.elapsed();
    timings.total = total.elapsed();
    node.stop().await?;
    Ok(DemoReport {
        streams: walk.rows,
        users: walk.vault_users,
        actions: walk.actions,
        counterparties: walk.counterparties,
        timings,
        deployment,
        funded: units(opts.scenario.reward_amount),
        scenario: opts.scenario,
    })
}
