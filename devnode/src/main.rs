//! `stylus-devnode`: a local Arbitrum (Stylus) dev chain with nitro-devnode's defaults.

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use devnode::config::{self, DevnodeConfig};
use devnode::Devnode;

/// Local Arbitrum Stylus devnode (no Docker): JSON-RPC on 127.0.0.1:8547, chain id 412346.
#[derive(Parser, Debug)]
#[command(name = "stylus-devnode", version, about)]
struct Cli {
    /// Interface to listen on.
    #[arg(long, default_value = "127.0.0.1", env = "DEVNODE_HOST")]
    host: IpAddr,
    /// HTTP port (0 = any free port).
    #[arg(long, short, default_value_t = config::DEFAULT_PORT, env = "DEVNODE_PORT")]
    port: u16,
    /// Chain id.
    #[arg(long, default_value_t = config::DEFAULT_CHAIN_ID)]
    chain_id: u64,
    /// Mine a block every N seconds with the pending transactions (default: a block per transaction).
    #[arg(long, short)]
    block_time: Option<f64>,
    /// Number of extra funded accounts derived from the test mnemonic.
    #[arg(long, short, default_value_t = config::DEFAULT_EXTRA_ACCOUNTS)]
    accounts: u32,
    /// State file: loaded at start if it exists, written on shutdown and on anvil_dumpState.
    #[arg(long)]
    state: Option<PathBuf>,
    /// Number of recent blocks whose state can be queried by block tag.
    #[arg(long, default_value_t = config::DEFAULT_HISTORY_DEPTH)]
    history: u64,
    /// Maximum request body size in bytes.
    #[arg(long, default_value_t = config::DEFAULT_MAX_BODY)]
    max_body: u32,
    /// Directory of ABI JSON files whose custom errors decode revert reasons in the node log and
    /// in `callTracer`'s `revertReason` (default: `./abi` when present, e.g. in the workspace).
    #[arg(long)]
    abi: Option<PathBuf>,
    /// ArbOS version whose Stylus rules and parameters apply (30–51; nitro-devnode `--dev`: 51,
    /// its v3.7.1 image: 40).
    #[arg(long, default_value_t = config::ARBOS_VERSION)]
    arbos_version: u64,
    /// Stylus MaxStackDepth in words (default: 22000 at ArbOS >= 50, 262144 before).
    #[arg(long)]
    max_stack_depth: Option<u32>,
    /// Genesis balance in ETH of every funded account (default: 1,000 for the dev account, as
    /// nitro-devnode, and 10,000 for the mnemonic accounts, as anvil).
    #[arg(long)]
    balance: Option<u64>,
    /// Do not print the banner or request logs.
    #[arg(long, short)]
    quiet: bool,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
                tracing_subscriber::EnvFilter::new(if cli.quiet { "warn" } else { "info" })
            }),
        )
        .with_target(false)
        .init();
    let block_time = match cli.block_time {
        Some(s) if !(s > 0.0 && s.is_finite()) => {
            anyhow::bail!("--block-time must be a positive number of seconds")
        }
        Some(s) => Some(Duration::from_secs_f64(s)),
        None => None,
    };
    if !(30..=51).contains(&cli.arbos_version) {
        anyhow::bail!("--arbos-version must be between 30 and 51 (Stylus exists from ArbOS 30)");
    }
    let config = DevnodeConfig {
        host: cli.host,
        port: cli.port,
        chain_id: cli.chain_id,
        block_time,
        extra_accounts: cli.accounts,
        state_file: cli.state.clone(),
        history_depth: cli.history,
        max_request_body: cli.max_body,
        verbose: !cli.quiet,
        arbos_version: cli.arbos_version,
        max_stack_depth: cli
            .max_stack_depth
            .unwrap_or_else(|| config::default_max_stack_depth(cli.arbos_version)),
        balance: cli.balance.map(|eth| {
            alloy::primitives::U256::from(eth) * alloy::primitives::U256::from(10u64.pow(18))
        }),
        ..DevnodeConfig::default()
    };
    let abi_dir = cli.abi.clone().or_else(|| {
        let default = PathBuf::from("abi");
        default.is_dir().then_some(default)
    });
    if let Some(dir) = abi_dir {
        match devnode::trace::revert::load_abi_dir(&dir) {
            Ok(n) => tracing::info!(
                "decoding revert reasons with {n} custom errors from {}",
                dir.display()
            ),
            Err(e) if cli.abi.is_some() => anyhow::bail!("--abi {}: {e}", dir.display()),
            Err(_) => {}
        }
    }
    let started = std::time::Instant::now();
    let node = Devnode::spawn(config)?;
    if !cli.quiet {
        print_banner(&node, &cli, started.elapsed());
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(wait_for_signal())?;
    if !cli.quiet {
        eprintln!(
            "\nshutting down{}",
            if cli.state.is_some() {
                " (writing state file)"
            } else {
                ""
            }
        );
    }
    node.stop()
}

async fn wait_for_signal() -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::select! {
            r = tokio::signal::ctrl_c() => r?,
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    tokio::signal::ctrl_c().await?;
    Ok(())
}

fn print_banner(node: &devnode::DevnodeHandle, cli: &Cli, took: Duration) {
    println!(
        "stylus-devnode {} — Arbitrum Stylus dev chain",
        env!("CARGO_PKG_VERSION")
    );
    println!();
    println!("Available accounts (PUBLIC, well-known keys: never use them on a real network)");
    println!("==================");
    for (i, a) in node.accounts().iter().enumerate() {
        let eth = a.genesis_balance
            / alloy::primitives::U256::from(10u64).pow(alloy::primitives::U256::from(18u64));
        println!("({i}) {} ({eth} ETH)", a.address());
    }
    println!();
    println!("Private keys");
    println!("==================");
    for (i, a) in node.accounts().iter().enumerate() {
        println!("({i}) {}", a.signer.to_bytes());
    }
    println!();
    println!("Account (0) is nitro-devnode's dev account; the others derive from the mnemonic");
    println!("\"{}\" (m/44'/60'/0'/0/i).", config::TEST_MNEMONIC);
    println!();
    println!("Chain id:          {}", node.chain_id());
    println!("Base fee:          {} wei (0.1 gwei)", config::BASE_FEE);
    println!(
        "Block gas limit:   2^50, per-transaction cap {}",
        config::TX_GAS_CAP
    );
    println!(
        "Mining:            {}",
        match cli.block_time {
            Some(t) => format!("every {t} s"),
            None => "a block per transaction".into(),
        }
    );
    println!("CREATE2 factory:   {}", devnode::exec::CREATE2_FACTORY);
    if let Some(s) = &cli.state {
        println!("State file:        {}", s.display());
    }
    println!("Started in {:.1} ms", took.as_secs_f64() * 1000.0);
    println!();
    println!("Listening on {}", node.url());
}
