//! Stress: 16 client tasks at once deploy, activate and call Stylus programs (the pipeline's real
//! `probe` and `test-token` wasm) and send transfers for a bounded time (`STRESS_SECS`, default 4):
//!
//! * every task activates programs of its own (a probe variant with a unique code hash), and all
//!   tasks race to activate the same shared code hash (only one activation may win; the losers see
//!   `ProgramUpToDate` and carry on, as `deploy_activated` does);
//! * 12 tasks use an account each (alloy's default fillers); 4 tasks share one account through one
//!   provider with a cached nonce manager, so their transactions reach the node out of nonce order;
//! * on the devnode every receipt is there as soon as `eth_sendRawTransaction` answers.
//!
//! Afterwards every receipt is present and successful (except lost activation races), every
//! account's nonce equals the transactions it sent, and (on the devnode, where fees are burnt) the
//! balances of all accounts involved sum to their start minus the fees of every receipt.
//!
//! Set `STYLUS_RPC_URL` + `PRIVATE_KEY` to run against another node (see `e2e::node`).

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

use alloy::{
    network::{EthereumWallet, TransactionBuilder},
    primitives::{address, keccak256, Address, B256, U256},
    providers::{DynProvider, Provider, ProviderBuilder},
    rpc::types::{TransactionReceipt, TransactionRequest},
    signers::local::PrivateKeySigner,
    sol,
    sol_types::SolCall,
};
use anyhow::{ensure, Context, Result};
use e2e::{node, provider, ARB_WASM};

sol! {
    interface IProbe {
        function value() external view returns (uint256);
        function setValue(uint256 value) external;
    }
    interface IToken {
        function initialize(string calldata name, string calldata symbol, uint8 decimals) external;
        function mint(address to, uint256 amount) external;
        function transfer(address to, uint256 value) external returns (bool);
        function balanceOf(address account) external view returns (uint256);
    }
    interface IArbWasmStress {
        function activateProgram(address program) external payable returns (uint16 version, uint256 dataFee);
        function codehashVersion(bytes32 codehash) external view returns (uint16 version);
    }
    interface IArbOwnerPublic {
        function getNetworkFeeAccount() external view returns (address);
    }
}

const TASKS: usize = 16;
const SHARED: usize = 4;
const ARB_OWNER_PUBLIC: Address = address!("000000000000000000000000000000000000006b");
const COINBASE: Address = address!("A4B000000000000000000073657175656e636572");
/// ArbWasm's `ProgramUpToDate()`.
const PROGRAM_UP_TO_DATE: [u8; 4] = [0xcc, 0x94, 0x4b, 0xf2];

fn on_devnode() -> bool {
    !e2e::is_external()
}

/// Initcode of the probe with a custom section naming `tag`: same behaviour, its own code hash.
fn probe_variant(tag: &str) -> Vec<u8> {
    let mut wasm = scripts::wasm::artifact("probe").wasm;
    let name = b"stress";
    let len = 1 + name.len() + tag.len();
    assert!(len < 128, "one-byte LEB128 section size");
    wasm.extend_from_slice(&[0, len as u8, name.len() as u8]);
    wasm.extend_from_slice(name);
    wasm.extend_from_slice(tag.as_bytes());
    scripts::wasm::create_initcode(&scripts::wasm::compress(&wasm))
}

/// What one task did.
#[derive(Default)]
struct Record {
    /// Every transaction sent, with whether a revert is acceptable (a lost activation race).
    txs: Vec<(B256, bool)>,
    contracts: Vec<Address>,
}

struct Client {
    p: DynProvider,
    me: Address,
    rec: Record,
}

impl Client {
    /// Sends `tx`; on the devnode its receipt must exist as soon as the hash is returned.
    async fn send(
        &mut self,
        tx: TransactionRequest,
        may_revert: bool,
    ) -> Result<TransactionReceipt> {
        let pending = self.p.send_transaction(tx).await?;
        let hash = *pending.tx_hash();
        self.rec.txs.push((hash, may_revert));
        let receipt = match self.p.get_transaction_receipt(hash).await? {
            Some(r) => r,
            None => {
                ensure!(!on_devnode(), "no receipt right after sending {hash}");
                pending.get_receipt().await?
            }
        };
        if !may_revert && !receipt.status() {
            let tx = self.p.get_transaction_by_hash(hash).await?;
            let trace: serde_json::Value = self
                .p
                .raw_request(
                    "debug_traceTransaction".into(),
                    (hash, serde_json::json!({"tracer": "callTracer"})),
                )
                .await
                .unwrap_or_default();
            anyhow::bail!(
                "transaction {hash} failed: gas used {} of {:?}; {trace}",
                receipt.gas_used,
                tx.map(|t| alloy::consensus::Transaction::gas_limit(&t))
            );
        }
        Ok(receipt)
    }

    async fn deploy(&mut self, initcode: Vec<u8>) -> Result<Address> {
        let r = self
            .send(
                TransactionRequest::default().with_deploy_code(initcode),
                false,
            )
            .await?;
        let a = r.contract_address.context("no contract address")?;
        self.rec.contracts.push(a);
        Ok(a)
    }

    /// Activates `program` unless its code hash already is; `must` = the code hash is ours alone.
    async fn activate(&mut self, program: Address, must: bool) -> Result<()> {
        let data = IArbWasmStress::activateProgramCall { program }.abi_encode();
        let quote = TransactionRequest::default()
            .with_from(self.me)
            .with_to(ARB_WASM)
            .with_input(data.clone())
            .with_value(U256::from(10u128.pow(18)));
        let fee = match self.p.call(quote).await {
            Ok(out) => IArbWasmStress::activateProgramCall::abi_decode_returns(&out)?.dataFee,
            Err(e)
                if !must
                    && e.as_error_resp()
                        .and_then(|p| p.as_revert_data())
                        .is_some_and(|d| d.starts_with(&PROGRAM_UP_TO_DATE)) =>
            {
                return Ok(())
            }
            Err(e) => return Err(e).context("quoting the activation"),
        };
        // The data fee rises steeply while other tasks activate (Nitro's data pricer: every
        // activation adds its asm size, ~1.2 MB for the probe, to a demand that decays by 35 kB/s,
        // and the price is exp(demand / 21.4 MB)): 16 activations at once make it ~2.6×, so the
        // quote plus cargo-stylus' 20 % fails with ProgramInsufficientValue. Pay what the quote
        // had attached (1 ETH); the excess is refunded.
        ensure!(fee < U256::from(10u128.pow(18)), "data fee {fee}");
        let tx = TransactionRequest::default()
            .with_from(self.me)
            .with_to(ARB_WASM)
            .with_input(data)
            .with_value(U256::from(10u128.pow(18)));
        // The exact estimate, asked before sending: another task may activate the shared code
        // hash in between, and a failed estimate inside the provider's fillers would come after a
        // cached nonce manager handed out its nonce (a gap the node would wait on).
        let gas = match self.p.estimate_gas(tx.clone()).await {
            Ok(g) => g,
            Err(e)
                if !must
                    && e.as_error_resp()
                        .and_then(|p| p.as_revert_data())
                        .is_some_and(|d| d.starts_with(&PROGRAM_UP_TO_DATE)) =>
            {
                return Ok(())
            }
            Err(e) => return Err(e).context("estimating the activation"),
        };
        // Between the estimate and the transaction the race can still be lost: a revert.
        let tx = tx.with_gas_limit(gas);
        let r = self.send(tx, !must).await?;
        if !r.status() {
            let code = self.p.get_code_at(program).await?;
            let version = IArbWasmStress::codehashVersionCall {
                codehash: keccak256(&code),
            };
            let out = self
                .p
                .call(
                    TransactionRequest::default()
                        .with_to(ARB_WASM)
                        .with_input(version.abi_encode()),
                )
                .await?;
            let v = IArbWasmStress::codehashVersionCall::abi_decode_returns(&out)?;
            ensure!(
                v > 0,
                "activation of {program} reverted and it is not active"
            );
        }
        Ok(())
    }

    async fn set_and_check(&mut self, probe: Address, v: u64) -> Result<()> {
        let data = IProbe::setValueCall {
            value: U256::from(v),
        }
        .abi_encode();
        self.send(
            TransactionRequest::default()
                .with_to(probe)
                .with_input(data),
            false,
        )
        .await?;
        let out = self
            .p
            .call(
                TransactionRequest::default()
                    .with_to(probe)
                    .with_input(IProbe::valueCall {}.abi_encode()),
            )
            .await?;
        ensure!(
            IProbe::valueCall::abi_decode_returns(&out)? == U256::from(v),
            "probe {probe} does not read back {v}"
        );
        Ok(())
    }
}

async fn task(
    p: DynProvider,
    me: Address,
    id: usize,
    deadline: Instant,
    own: Vec<u8>,
    shared: Arc<Vec<u8>>,
    token: Arc<Vec<u8>>,
) -> Result<(Record, u64)> {
    let mut c = Client {
        p,
        me,
        rec: Record::default(),
    };
    // A program of our own: deploy, activate, call.
    let mine = c.deploy(own).await?;
    c.activate(mine, true).await?;
    c.set_and_check(mine, 1_000 + id as u64).await?;
    // The token: everybody races to activate the same code hash.
    let tok = c.deploy(token.to_vec()).await?;
    c.activate(tok, false).await?;
    let init = IToken::initializeCall {
        name: format!("Stress {id}"),
        symbol: "STR".into(),
        decimals: 18,
    };
    c.send(
        TransactionRequest::default()
            .with_to(tok)
            .with_input(init.abi_encode()),
        false,
    )
    .await?;
    let sink = Address::with_last_byte(0xe0 + id as u8);
    let mut rounds = 0u64;
    while Instant::now() < deadline {
        rounds += 1;
        // The shared probe code: deployed again and again, activated once by whoever wins.
        let probe = c.deploy(shared.to_vec()).await?;
        c.activate(probe, false).await?;
        c.set_and_check(probe, rounds).await?;
        c.set_and_check(mine, rounds).await?;
        let mint = IToken::mintCall {
            to: me,
            amount: U256::from(100),
        };
        c.send(
            TransactionRequest::default()
                .with_to(tok)
                .with_input(mint.abi_encode()),
            false,
        )
        .await?;
        let pay = IToken::transferCall {
            to: sink,
            value: U256::from(40),
        };
        c.send(
            TransactionRequest::default()
                .with_to(tok)
                .with_input(pay.abi_encode()),
            false,
        )
        .await?;
        c.send(
            TransactionRequest::default()
                .with_to(sink)
                .with_value(U256::from(rounds)),
            false,
        )
        .await?;
    }
    let out =
        c.p.call(
            TransactionRequest::default()
                .with_to(tok)
                .with_input(IToken::balanceOfCall { account: sink }.abi_encode()),
        )
        .await?;
    let held = IToken::balanceOfCall::abi_decode_returns(&out)?;
    ensure!(
        held == U256::from(40 * rounds),
        "token balance of {sink}: {held}"
    );
    Ok((c.rec, rounds))
}

async fn balances(p: &DynProvider, who: &BTreeSet<Address>) -> Result<U256> {
    let mut sum = U256::ZERO;
    for a in who {
        sum += p.get_balance(*a).await?;
    }
    Ok(sum)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixteen_tasks_deploy_activate_call_and_transfer() -> Result<()> {
    let node = node()?;
    let secs: u64 = std::env::var("STRESS_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(4);
    let funder = provider(&node.url, node.keys[0].clone())?;
    let network_fee = IArbOwnerPublic::getNetworkFeeAccountCall::abi_decode_returns(
        &funder
            .call(
                TransactionRequest::default()
                    .with_to(ARB_OWNER_PUBLIC)
                    .with_input(IArbOwnerPublic::getNetworkFeeAccountCall {}.abi_encode()),
            )
            .await?,
    )?;

    // Code: one probe variant per task, the shared probe, the token.
    let variants: Vec<Vec<u8>> = (0..TASKS)
        .map(|i| probe_variant(&format!("task-{i}-{}", std::process::id())))
        .collect();
    let shared = Arc::new(scripts::wasm::artifact("probe").initcode());
    let token = Arc::new(scripts::wasm::artifact("test-token").initcode());

    // Fresh accounts: one per own-account task, one for the shared group.
    let keys: Vec<PrivateKeySigner> = (0..=TASKS - SHARED)
        .map(|_| PrivateKeySigner::random())
        .collect();
    let mut who: BTreeSet<Address> = node.keys.iter().map(|k| k.address()).collect();
    who.extend(keys.iter().map(|k| k.address()));
    who.extend((0..TASKS).map(|i| Address::with_last_byte(0xe0 + i as u8)));
    who.extend([network_fee, COINBASE, ARB_WASM]);
    let before = balances(&funder, &who).await?;

    let mut funding = Client {
        p: funder.clone(),
        me: node.keys[0].address(),
        rec: Record::default(),
    };
    for k in &keys {
        funding
            .send(
                TransactionRequest::default()
                    .with_to(k.address())
                    .with_value(U256::from(10u128.pow(19))),
                false,
            )
            .await?;
    }

    let shared_provider = ProviderBuilder::new()
        .disable_recommended_fillers()
        .with_gas_estimation()
        .with_cached_nonce_management()
        .fetch_chain_id()
        .wallet(EthereumWallet::from(keys[TASKS - SHARED].clone()))
        .connect_http(node.url.parse()?)
        .erased();
    let start = Instant::now();
    let deadline = start + Duration::from_secs(secs);
    let mut handles = Vec::new();
    for (id, own) in variants.into_iter().enumerate() {
        let (p, me) = if id < TASKS - SHARED {
            (provider(&node.url, keys[id].clone())?, keys[id].address())
        } else {
            (shared_provider.clone(), keys[TASKS - SHARED].address())
        };
        handles.push(tokio::spawn(task(
            p,
            me,
            id,
            deadline,
            own,
            shared.clone(),
            token.clone(),
        )));
    }
    let mut records = vec![funding.rec];
    let mut rounds = 0;
    for h in handles {
        let (rec, r) = h.await??;
        records.push(rec);
        rounds += r;
    }
    let elapsed = start.elapsed().as_secs_f64();

    // Every receipt is there; fees add up.
    let mut fees = U256::ZERO;
    let mut count = 0usize;
    let mut lost_races = 0usize;
    let mut by_sender: HashMap<Address, u64> = HashMap::new();
    for (hash, may_revert) in records.iter().flat_map(|r| r.txs.iter()) {
        let r = funder
            .get_transaction_receipt(*hash)
            .await?
            .with_context(|| format!("receipt of {hash} missing"))?;
        ensure!(r.status() || *may_revert, "{hash} failed");
        if !r.status() {
            lost_races += 1;
        }
        fees += U256::from(r.gas_used) * U256::from(r.effective_gas_price);
        *by_sender.entry(r.from).or_default() += 1;
        count += 1;
    }
    for k in &keys {
        let nonce = funder.get_transaction_count(k.address()).await?;
        ensure!(
            nonce == by_sender[&k.address()],
            "nonce of {} is {nonce}, sent {}",
            k.address(),
            by_sender[&k.address()]
        );
    }
    let contracts: Vec<Address> = records.iter().flat_map(|r| r.contracts.clone()).collect();
    for c in &contracts {
        ensure!(
            !funder.get_code_at(*c).await?.is_empty(),
            "code of {c} missing"
        );
    }
    let after = balances(&funder, &who).await?;
    println!(
        "stress: {count} transactions ({rounds} rounds, {} programs deployed, {lost_races} lost activation races) from {TASKS} tasks in {elapsed:.1} s: {:.0} tx/s",
        contracts.len(),
        count as f64 / elapsed
    );
    if on_devnode() {
        ensure!(
            before - after == fees,
            "balances moved by {} but fees were {fees}",
            before - after
        );
    }
    Ok(())
}
