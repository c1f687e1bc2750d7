//! `stylus-yield`: the Stylus Yield command line.
//!
//! Shared file: the `build`/`inspect`/`abi` arms belong to the wasm pipeline (helper "foundation"),
//! `demo`/`deploy` to the deploy scripts (helper "scripts", handlers in `scripts::cli`). Add a
//! subcommand as one variant plus one match arm; keep the others as they are.
//!
//! Every failure prints one line `error: …` on stderr and exits non-zero.
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};
use scripts::cli::{self, DemoArgs, DeployArgs};

#[derive(Parser)]
#[command(
    name = "stylus-yield",
    about = "Stylus Yield: build, export ABIs, deploy, demo, report"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Start an embedded devnode, deploy and activate the suite, stake as two users, earn and claim.
    Demo(DemoArgs),
    /// Deploy, activate and set up the suite on a chain (key from PRIVATE_KEY); record it in
    /// deployments/<chain-id>.json.
    Deploy(DeployArgs),
    /// Print each contract's sizes and its deploy gas, activation gas and data fee, measured on an
    /// embedded devnode, then the gas benches' per-operation table (re-running the benches whose
    /// record is missing or older than the contracts).
    Report {
        /// Only read the benches' records; do not re-run missing or stale ones.
        #[arg(long, conflicts_with = "rerun")]
        no_bench: bool,
        /// Re-run every gas bench, even those with a fresh record.
        #[arg(long)]
        rerun: bool,
    },
    /// Build every contract to Nitro-valid wasm + deployable code and print the size table.
    Build {
        /// Run cargo even if no input changed since the last build.
        #[arg(long)]
        force: bool,
    },
    /// List the deployable contracts (`<artifact> <package> [<variant feature>]` per line).
    List {
        /// Only the variants, as `<package> <feature> <tested|untested>` lines (used by .ci/run:
        /// every variant is linted, only `tested` ones compile unit tests of their own).
        #[arg(long)]
        variants: bool,
    },
    /// Validate a wasm file like Nitro and print its wasm and deployable sizes.
    Inspect {
        /// The wasm file.
        wasm: std::path::PathBuf,
    },
    /// Export every contract's Solidity interface and JSON ABI to abi/ (`--check`: only verify).
    Abi {
        /// Fail if abi/ is not up to date instead of writing it.
        #[arg(long)]
        check: bool,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return cli::exit_on_usage_error(e),
    };
    let result = match cli.command {
        Cmd::Demo(args) => cli::demo(args).await,
        Cmd::Deploy(args) => cli::deploy(args).await,
        Cmd::Report { no_bench, rerun } => {
            let policy = match (no_bench, rerun) {
                (true, _) => scripts::report::BenchPolicy::Never,
                (_, true) => scripts::report::BenchPolicy::Always,
                _ => scripts::report::BenchPolicy::Stale,
            };
            cli::report(policy).await
        }
        other => tokio::task::block_in_place(|| pipeline(other)),
    };
    cli::finish(result)
}

/// The wasm pipeline's subcommands (synchronous).
fn pipeline(cmd: Cmd) -> Result<()> {
    match cmd {
        Cmd::Demo(_) | Cmd::Deploy(_) | Cmd::Report { .. } => unreachable!("handled in main"),
        Cmd::Build { force } => {
            let started = std::time::Instant::now();
            let artifacts = scripts::wasm::build_with(force)?;
            print!("{}", scripts::wasm::size_table(&artifacts));
            eprintln!(
                "built {} artifacts in {:.1} s into {}",
                artifacts.len(),
                started.elapsed().as_secs_f64(),
                scripts::wasm::artifact_dir()?.display()
            );
            for a in &artifacts {
                if a.deployable_len > scripts::wasm::MAX_CODE_SIZE {
                    anyhow::bail!(
                        "{} exceeds {} bytes of deployable code",
                        a.name,
                        scripts::wasm::MAX_CODE_SIZE
                    );
                }
            }
        }
        Cmd::List { variants } => {
            for d in scripts::wasm::discover()? {
                match (&d.variant, variants) {
                    (Some(v), true) => println!(
                        "{} {v} {}",
                        d.package,
                        if d.tested { "tested" } else { "untested" }
                    ),
                    (None, true) => {}
                    (v, false) => {
                        println!("{} {} {}", d.name, d.package, v.as_deref().unwrap_or(""))
                    }
                }
            }
        }
        Cmd::Inspect { wasm } => {
            let bytes = std::fs::read(&wasm)?;
            let valid = scripts::wasm::validate(&bytes);
            println!(
                "{}: wasm {} B, deployable {} B, {}",
                wasm.display(),
                bytes.len(),
                scripts::wasm::compress(&bytes).len(),
                match &valid {
                    Ok(()) => "Nitro-valid".to_string(),
                    Err(e) => format!("INVALID: {e:#}"),
                }
            );
            valid?;
        }
        Cmd::Abi { check } => {
            let export = scripts::abi::export_all()?;
            for missing in &export.missing_bin {
                eprintln!("warning: skipped {missing}; see scripts/src/abi.rs");
            }
            let abis = export.abis;
            if check {
                if !export.missing_bin.is_empty() {
                    anyhow::bail!("no ABI export bin for {}", export.missing_bin.join(", "));
                }
                let stale = scripts::abi::stale_files(&abis);
                if !stale.is_empty() {
                    anyhow::bail!(
                        "abi/ is stale ({}); run `cargo run --release -p scripts -- abi`",
                        stale.join(", ")
                    );
                }
                eprintln!("abi/ is up to date ({} contracts)", abis.len());
            } else {
                scripts::abi::write_all(&abis)?;
                eprintln!(
                    "wrote {} interfaces to {}",
                    abis.len(),
                    scripts::abi::abi_dir().display()
                );
            }
        }
    }
    Ok(())
}
