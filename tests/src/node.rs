//! The node the end-to-end tests talk to, and the only place they use non-standard JSON-RPC.
//!
//! * By default every test spawns its own in-process devnode (funded dev and mnemonic accounts,
//!   `evm_*` time travel).
//! * `STYLUS_RPC_URL` + `PRIVATE_KEY` (one funded key) run the tests against any node instead
//!   (e.g. nitro-devnode): `keys[0]` is `PRIVATE_KEY`; [`DERIVED_KEYS`] further test accounts are
//!   derived from it deterministically (`keccak256(key ‖ i)`, i = 1, 2, …) and topped up from it
//!   to `STYLUS_FUND_ETH` (default [`DEFAULT_FUND_ETH`]) before each test. Only standard JSON-RPC
//!   is used there: [`time_travel`], [`mine`] and [`set_automine`] answer `false` and the test
//!   skips (or weakens, saying so) what needs them. Tests on one external node take turns (a
//!   process-wide lock held by [`Node`]), since they share its accounts and nonces.
//! * The older `STYLUS_YIELD_RPC_URL` + `STYLUS_YIELD_KEYS` (comma-separated funded keys, used
//!   as given) still work.

use std::sync::{Condvar, Mutex};

use alloy::{
    network::TransactionBuilder,
    primitives::{keccak256, U256},
    providers::{DynProvider, Provider},
    rpc::types::TransactionRequest,
    signers::local::PrivateKeySigner,
};
use anyhow::{anyhow, Context, Result};

/// How many test accounts are derived from `PRIVATE_KEY` (the pool suite needs four in all).
pub const DERIVED_KEYS: u32 = 4;

/// What each derived account is topped up to, in ETH, unless `STYLUS_FUND_ETH` says otherwise:
/// enough for the most ETH-hungry suite (the pool's ETH legs move ~11 ETH for one user). On a
/// network where ETH is scarce set it lower and run the token-only files.
pub const DEFAULT_FUND_ETH: &str = "20";

/// A node to talk to: a spawned devnode (kept alive by the handle) or an external URL.
pub struct Node {
    /// JSON-RPC URL.
    pub url: String,
    /// Funded keys (the devnode's dev and mnemonic accounts; or `PRIVATE_KEY` and the accounts
    /// derived from it; or `STYLUS_YIELD_KEYS`).
    pub keys: Vec<PrivateKeySigner>,
    _devnode: Option<devnode::DevnodeHandle>,
    _turn: Option<ExternalTurn>,
}

impl Node {
    /// Whether this is an external node (no `evm_*`/`anvil_*` methods used).
    pub fn is_external(&self) -> bool {
        self._devnode.is_none()
    }
}

/// The external node's URL, if the tests are to use one (`STYLUS_RPC_URL`, or the older
/// `STYLUS_YIELD_RPC_URL`).
pub fn external_url() -> Option<String> {
    ["STYLUS_RPC_URL", "STYLUS_YIELD_RPC_URL"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()))
}

/// Whether the tests run against an external node (see the module docs).
pub fn is_external() -> bool {
    external_url().is_some()
}

/// Spawns a devnode, or connects to the external node of `STYLUS_RPC_URL` (see the module docs).
pub fn node() -> Result<Node> {
    let Some(url) = external_url() else {
        let handle = devnode::Devnode::spawn(devnode::config::DevnodeConfig::default())?;
        let keys = handle.accounts().iter().map(|a| a.signer.clone()).collect();
        return Ok(Node {
            url: handle.url().to_string(),
            keys,
            _devnode: Some(handle),
            _turn: None,
        });
    };
    let turn = ExternalTurn::take();
    let keys = if let Ok(list) = std::env::var("STYLUS_YIELD_KEYS") {
        list.split(',')
            .map(|k| parse_key(k).context("STYLUS_YIELD_KEYS"))
            .collect::<Result<Vec<_>>>()?
    } else {
        let key = std::env::var("PRIVATE_KEY").context(
            "STYLUS_RPC_URL is set: PRIVATE_KEY must hold a funded private key (64 hex digits)",
        )?;
        let main = parse_key(&key).context("PRIVATE_KEY")?;
        let mut keys = vec![main.clone()];
        keys.extend(derived_keys(&main, DERIVED_KEYS)?);
        let each = fund_amount()?;
        // `node()` is synchronous and may be called inside a runtime: fund from a thread of its own.
        std::thread::scope(|s| {
            s.spawn(|| -> Result<()> {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()?
                    .block_on(top_up(&url, &keys, each))
            })
            .join()
            .map_err(|_| anyhow!("funding thread panicked"))?
        })
        .context("funding the derived test accounts from PRIVATE_KEY")?;
        keys
    };
    Ok(Node {
        url,
        keys,
        _devnode: None,
        _turn: Some(turn),
    })
}

fn parse_key(k: &str) -> Result<PrivateKeySigner> {
    k.trim()
        .parse::<PrivateKeySigner>()
        .map_err(|e| anyhow!("bad private key: {e}"))
}

/// The `n` test accounts derived from `main`: the secp256k1 key `keccak256(main ‖ i)` (`i` a
/// big-endian u32, 1..=n), skipping the (astronomically unlikely) hashes that are no valid key.
pub fn derived_keys(main: &PrivateKeySigner, n: u32) -> Result<Vec<PrivateKeySigner>> {
    let secret = main.to_bytes();
    let mut keys = Vec::new();
    let mut i = 1u32;
    while keys.len() < n as usize {
        let mut pre = secret.to_vec();
        pre.extend_from_slice(&i.to_be_bytes());
        if let Ok(k) = PrivateKeySigner::from_bytes(&keccak256(&pre)) {
            keys.push(k);
        }
        i = i.checked_add(1).context("no valid derived key")?;
    }
    Ok(keys)
}

/// `STYLUS_FUND_ETH` (decimal ETH) in wei.
fn fund_amount() -> Result<U256> {
    let eth = std::env::var("STYLUS_FUND_ETH").unwrap_or_else(|_| DEFAULT_FUND_ETH.into());
    alloy::primitives::utils::parse_ether(eth.trim())
        .map_err(|e| anyhow!("STYLUS_FUND_ETH={eth}: {e}"))
}

/// Tops every key after the first up to `each` wei, paid by the first.
async fn top_up(url: &str, keys: &[PrivateKeySigner], each: U256) -> Result<()> {
    let p = crate::provider(url, keys[0].clone())?;
    for k in &keys[1..] {
        let have = p.get_balance(k.address()).await?;
        if have >= each {
            continue;
        }
        let tx = TransactionRequest::default()
            .with_to(k.address())
            .with_value(each - have);
        let receipt = p.send_transaction(tx).await?.get_receipt().await?;
        anyhow::ensure!(receipt.status(), "funding {} reverted", k.address());
    }
    Ok(())
}

/// Tests against one external node run one at a time (they share its accounts and nonces):
/// held by [`Node`], released when it drops (also when the test fails).
struct ExternalTurn;

static BUSY: Mutex<bool> = Mutex::new(false);
static FREED: Condvar = Condvar::new();

impl ExternalTurn {
    fn take() -> ExternalTurn {
        let mut busy = BUSY.lock().unwrap_or_else(|e| e.into_inner());
        while *busy {
            busy = FREED.wait(busy).unwrap_or_else(|e| e.into_inner());
        }
        *busy = true;
        ExternalTurn
    }
}

impl Drop for ExternalTurn {
    fn drop(&mut self) {
        *BUSY.lock().unwrap_or_else(|e| e.into_inner()) = false;
        FREED.notify_one();
    }
}

/// Prints that a test skipped `what` on the external node.
pub fn skipped(what: &str) {
    println!("skipped on external node: {what}");
}

/// Moves the chain's clock `secs` seconds ahead and mines a block carrying the new time
/// (`evm_increaseTime` + `evm_mine`); `Ok(true)` on the devnode. On an external node nothing is
/// sent: prints "skipped on external node: needs time travel" and answers `Ok(false)`, and the
/// caller skips (or weakens, saying so) what depended on the jump.
pub async fn time_travel(p: &DynProvider, secs: u64) -> Result<bool> {
    if is_external() {
        skipped(&format!("needs time travel (+{secs} s)"));
        return Ok(false);
    }
    p.raw_request::<_, serde_json::Value>("evm_increaseTime".into(), (secs,))
        .await?;
    p.raw_request::<_, serde_json::Value>("evm_mine".into(), ())
        .await?;
    Ok(true)
}

/// Mines a block now (`evm_mine`); `Ok(false)` without sending anything on an external node.
pub async fn mine(p: &DynProvider) -> Result<bool> {
    if is_external() {
        skipped("needs evm_mine");
        return Ok(false);
    }
    p.raw_request::<_, serde_json::Value>("evm_mine".into(), ())
        .await?;
    Ok(true)
}

/// Turns automining on or off (`evm_setAutomine`, to put several transactions in one block);
/// `Ok(false)` without sending anything on an external node.
pub async fn set_automine(p: &DynProvider, on: bool) -> Result<bool> {
    if is_external() {
        skipped("needs evm_setAutomine");
        return Ok(false);
    }
    p.raw_request::<_, serde_json::Value>("evm_setAutomine".into(), (on,))
        .await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_keys_are_deterministic_distinct_and_keccak_of_key_and_index() {
        let main: PrivateKeySigner =
            // PUBLISHED devnode key (nitro-devnode's dev account), never for real funds.
            "0xb6b15c8cb491557369f3c7d2c287b053eb229daa9c22138887752191c9520659"
                .parse()
                .unwrap();
        let a = derived_keys(&main, DERIVED_KEYS).unwrap();
        let b = derived_keys(&main, DERIVED_KEYS).unwrap();
        assert_eq!(a.len(), DERIVED_KEYS as usize);
        assert_eq!(
            a.iter().map(|k| k.address()).collect::<Vec<_>>(),
            b.iter().map(|k| k.address()).collect::<Vec<_>>()
        );
        let mut pre = main.to_bytes().to_vec();
        pre.extend_from_slice(&1u32.to_be_bytes());
        assert_eq!(a[0].to_bytes(), keccak256(&pre));
        let mut all: Vec<_> = a.iter().map(|k| k.address()).collect();
        all.push(main.address());
        all.sort();
        all.dedup();
        assert_eq!(all.len(), DERIVED_KEYS as usize + 1);
    }
}
