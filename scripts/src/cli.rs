//! Argument types and handlers of the `stylus-yield` subcommands that live in this crate (`demo`,
//! `deploy`, `report`), and the CLI's error convention: one line `error: …` on stderr, exit code 1.

use std::path::PathBuf;
use std::process::ExitCode;

use alloy::transports::http::reqwest::Url;
use anyhow::Result;
use clap::Args;

use crate::artifacts::Artifacts;
use crate::demo::{self, DemoOptions, Target};
use crate::deploy::{self, one_line, DeployOptions, DeployResult};
use crate::suite::DEV_PRIVATE_KEY;
use crate::ui::{Progress, ProgressMode};

/// Arguments of `stylus-yield deploy`.
#[derive(Debug, Clone, Args)]
pub struct DeployArgs {
    /// JSON-RPC endpoint (stylus-devnode, nitro-devnode, Arbitrum Sepolia...). The deployer key is
    /// read from the PRIVATE_KEY environment variable, never from a flag. Without it: an embedded
    /// devnode that lives as long as the command (a rehearsal; the dev key unless PRIVATE_KEY).
    #[arg(long, value_name = "URL")]
    pub rpc_url: Option<Url>,
    /// Print the gas and data-fee estimate; send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Directory of the deployments record (<chain-id>.json).
    #[arg(long, value_name = "DIR", default_value = "deployments")]
    pub out: PathBuf,
    /// Refuse to run unless the endpoint serves this chain id.
    #[arg(long, value_name = "ID")]
    pub chain_id: Option<u64>,
    /// Ignore an existing record and deploy a new suite (the old record is replaced).
    #[arg(long)]
    pub fresh: bool,
    /// Directory of prebuilt <contract>.deployable files (default: build with the wasm pipeline).
    #[arg(long, value_name = "DIR")]
    pub artifacts: Option<PathBuf>,
}

/// Arguments of `stylus-yield demo`.
#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// Use a running dev node instead of starting one in-process (its dev account must be funded).
    #[arg(long, value_name = "URL")]
    pub rpc_url: Option<Url>,
    /// Directory of prebuilt <contract>.deployable files (default: build with the wasm pipeline).
    #[arg(long, value_name = "DIR")]
    pub artifacts: Option<PathBuf>,
}

fn load_artifacts(dir: Option<&PathBuf>) -> Result<Artifacts> {
    match dir {
        Some(dir) => Artifacts::from_dir(dir),
        None => Artifacts::build(),
    }
}

/// `stylus-yield deploy`.
pub async fn deploy(args: DeployArgs) -> Result<()> {
    // Cheap checks first: the key, then the endpoint, before any build.
    let progress = Progress::new(ProgressMode::detect());
    let (signer, node) = match &args.rpc_url {
        Some(_) => (deploy::key_from_env()?, None),
        None => {
            let signer = match deploy::key_from_env() {
                Err(deploy::KeyError::Missing) => DEV_PRIVATE_KEY.parse()?,
                other => other?,
            };
            let node = demo::start_embedded_node().await?;
            progress.note(format!(
                "no --rpc-url: deploying to an embedded devnode at {} (it stops with this command)",
                node.url()
            ));
            (signer, Some(node))
        }
    };
    let rpc_url = match (&args.rpc_url, &node) {
        (Some(url), _) => url.clone(),
        (None, Some(node)) => node.url().clone(),
        (None, None) => unreachable!("a node was started"),
    };
    let opts = DeployOptions {
        rpc_url,
        out_dir: args.out,
        dry_run: args.dry_run,
        expected_chain_id: args.chain_id,
        fresh: args.fresh,
    };
    // Probe the endpoint before building so an unreachable node fails fast.
    deploy::Deployer::connect(
        opts.rpc_url.clone(),
        signer.clone(),
        opts.expected_chain_id,
        Progress::quiet(),
    )
    .await?;
    let artifacts = {
        let dir = args.artifacts.clone();
        tokio::task::spawn_blocking(move || load_artifacts(dir.as_ref())).await??
    };
    match deploy::deploy(&opts, signer, &artifacts, progress.clone()).await? {
        DeployResult::Planned(mut plan) => {
            progress.note("simulating the deployment on a fresh embedded devnode for its gas");
            let sim = deploy::plan::simulate(&artifacts).await?;
            plan.add_simulation(&sim);
            print!("{}", plan.render());
        }
        DeployResult::Done(report) => {
            let json = serde_json::to_string_pretty(&report.deployments)?;
            println!("{json}");
        }
    }
    if let Some(node) = node {
        node.stop().await?;
    }
    Ok(())
}

/// `stylus-yield demo`.
pub async fn demo(args: DemoArgs) -> Result<()> {
    let progress = Progress::new(ProgressMode::detect());
    let artifacts = match &args.artifacts {
        Some(dir) => Some(Artifacts::from_dir(dir)?),
        None => None,
    };
    let opts = DemoOptions {
        target: args.rpc_url.map_or(Target::Embedded, Target::External),
        artifacts,
        scenario: Default::default(),
    };
    let report = demo::run(opts, &progress).await?;
    print!("{}", demo::render(&report));
    Ok(())
}

/// `stylus-yield report`.
pub async fn report(benches: crate::report::BenchPolicy) -> Result<()> {
    let rows = crate::report::run().await?;
    tokio::task::spawn_blocking(move || crate::report::refresh_gas(benches)).await??;
    print!("{}", crate::report::render(&rows));
    print!("{}", crate::report::render_gas(&crate::report::read_gas()?));
    Ok(())
}

/// The one-line form of an error: `error: <message and causes, on one line>`.
pub fn error_line(err: &anyhow::Error) -> String {
    format!("error: {}", one_line(format!("{err:#}")))
}

/// Prints the outcome of a command and turns it into the exit code.
pub fn finish(result: Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", error_line(&e));
            ExitCode::FAILURE
        }
    }
}

/// Handles a command-line parse error: help and version print normally; a usage error prints its
/// first line only (exit code 2, as clap).
pub fn exit_on_usage_error(err: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match err.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = err.print();
            ExitCode::SUCCESS
        }
        _ => {
            let text = err.to_string();
            let first = text.lines().next().unwrap_or("invalid arguments");
            let first = first.trim_start_matches("error: ");
            eprintln!("error: {first} (see --help)");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn error_lines_are_single_lines_with_causes() {
        let err = Err::<(), _>(anyhow::anyhow!("connection refused\n(os error 111)"))
            .context("cannot reach RPC endpoint")
            .unwrap_err();
        assert_eq!(
            error_line(&err),
            "error: cannot reach RPC endpoint: connection refused (os error 111)"
        );
    }

    #[test]
    fn key_error_line() {
        let err = anyhow::Error::from(deploy::parse_private_key(None).unwrap_err());
        let line = error_line(&err);
        assert!(line.starts_with("error: PRIVATE_KEY is not set"), "{line}");
    }
}
