//! Gas of the lending market's operations on the devnode (`cargo bench -p e2e --bench
//! lending_gas`, after `cargo run --release -p scripts -- build`): supply, supplyCollateral,
//! borrow, repay, withdrawCollateral, liquidate, flashLoan (through a Solidity borrower
//! contract) and a bare accrueInterest, uncached and cached, each split into
//!
//! * the **floor** every implementation pays: intrinsic 21,000 + calldata, storage (SLOAD /
//!   SSTORE at EIP-2929/2200 prices), logs, account access of calls (token, IRM, oracle, feed
//!   calls) and everything EVM code does (the Solidity flash borrower) — i.e. the gas used minus
//!   the overhead below;
//! * the **Stylus overhead** above it, from the `stylusTracer` records of every Stylus frame
//!   (market, IRM, oracle, feeds, tokens): program entry (init and memory, before the first
//!   ink), wasm compute between hostios, the hostios' base ink and byte-copy charges, keccak
//!   (native_keccak256) and the 5-gas EVM round trip of each storage miss.
//!
//! No per-operation figures of Morpho, Compound or Aave are published (issue 18), so the goal is
//! relative: overhead under 15% of the total for every cached operation. Prints, never asserts.
//!
//! The scenario runs with two token setups: Solidity ERC-20 loan and collateral tokens
//! (`lending/LendingEvmToken`, as USDC / WETH on Arbitrum: EVM frames are floor) — the figures
//! the goal is judged on and `stylus-yield report` records — and the Stylus `test-token`s, whose
//! entries and compute count as overhead. Last measured, cached, EVM tokens: supply 83,833 gas
//! (11.7% overhead), supplyCollateral 55,374 (6.6%), borrow 123,444 (14.3%), repay 83,879
//! (11.7%), withdrawCollateral 119,353 (13.5%), accrueInterest 51,570 (13.4%), flashLoan 92,508
//! (3.5%), liquidate 170,164 (13.6%); with Stylus tokens 15.2–19.6% for all but accrueInterest.
//!
//! Entry of a Stylus program called from EVM code (the market inside the flash borrower's
//! `flash`, the tokens inside its callback) is not visible in the trace; it is taken as that
//! program's entry in a top-level transaction of the same run (the market's `accrueInterest`, a
//! token `approve`: same program, same cache state) and marked `≈`.
//!
//! `LENDING_GAS_PROFILE=1` also prints, per cached operation, each Stylus frame's gas per hostio
//! and wasm compute, and the target's largest compute stretches between hostios.

use std::collections::HashSet;

use alloy::{
    consensus::Transaction as _,
    primitives::{Address, B256, U256},
    providers::{DynProvider, Provider},
    sol_types::SolValue,
};
use anyhow::{Context, Result};
use e2e::{
    abi::ITestToken,
    gas,
    lending::{int, ILendingFlashBorrower, IMockAggregator, FEED_DECIMALS, WAD},
    lending_market::{
        deploy_lending, deploy_lending_evm_tokens, ILendingMarket, ILendingMarketAdminFacet,
        Lending,
    },
    node, provider, send, solidity,
};
use serde_json::{json, Value};

fn units(x: u128) -> U256 {
    U256::from(x) * U256::from(WAD)
}

struct Row {
    op: &'static str,
    gas: u64,
    tx: B256,
}

macro_rules! measure {
    ($rows:expr, $op:expr, $call:expr) => {{
        let receipt = $call
            .send()
            .await
            .with_context(|| format!("sending {}", $op))?
            .get_receipt()
            .await?;
        anyhow::ensure!(receipt.status(), "{} reverted", $op);
        $rows.push(Row {
            op: $op,
            gas: receipt.gas_used,
            tx: receipt.transaction_hash,
        });
    }};
}

async fn advance(p: &DynProvider, secs: u64) -> Result<()> {
    p.raw_request::<_, Value>("evm_increaseTime".into(), (secs,))
        .await?;
    Ok(())
}

/// Accounts and providers of one run.
struct World {
    po: DynProvider,
    pa: DynProvider,
    pb: DynProvider,
    pc: DynProvider,
    owner: Address,
    alice: Address,
    bob: Address,
    carol: Address,
}

/// One run: fresh market stack, every operation once in a warmed-up state (positions exist,
/// interest accrues), in the order a user meets them.
async fn scenario(w: &World, l: &Lending) -> Result<(Vec<Row>, B256)> {
    let (loan, coll) = (l.periphery.loan, l.periphery.collateral);
    let params = l.params.clone();
    let tok = |a, p| ITestToken::new(a, p);
    send!(tok(loan, &w.po).mint(w.alice, units(1_000_000)));
    send!(tok(loan, &w.po).mint(w.carol, units(1_000_000)));
    send!(tok(loan, &w.po).mint(w.bob, units(1_000)));
    send!(tok(coll, &w.po).mint(w.bob, units(1_000)));
    let mut approve = B256::ZERO;
    for (p, t) in [(&w.pa, loan), (&w.pb, loan), (&w.pc, loan), (&w.pb, coll)] {
        // The last one (a warm token program, a new allowance slot) gives the token's entry.
        approve = send!(tok(t, p).approve(l.market, U256::MAX)).transaction_hash;
    }
    let ma = ILendingMarket::new(l.market, &w.pa);
    let mb = ILendingMarket::new(l.market, &w.pb);
    let mc = ILendingMarket::new(l.market, &w.pc);
    // Warm-up: first supply, first collateral, first borrow (fresh slots everywhere).
    send!(ma.supply(
        params.clone(),
        units(100_000),
        U256::ZERO,
        w.alice,
        Default::default()
    ));
    send!(mb.supplyCollateral(params.clone(), units(100), w.bob, Default::default()));
    send!(mb.borrow(params.clone(), units(50_000), U256::ZERO, w.bob, w.bob));
    advance(&w.po, 3_600).await?;

    let mut rows = Vec::new();
    measure!(
        rows,
        "supply",
        ma.supply(
            params.clone(),
            units(1_000),
            U256::ZERO,
            w.alice,
            Default::default()
        )
    );
    advance(&w.po, 60).await?;
    measure!(
        rows,
        "supplyCollateral",
        mb.supplyCollateral(params.clone(), units(1), w.bob, Default::default())
    );
    advance(&w.po, 60).await?;
    measure!(
        rows,
        "borrow",
        mb.borrow(params.clone(), units(1_000), U256::ZERO, w.bob, w.bob)
    );
    advance(&w.po, 60).await?;
    measure!(
        rows,
        "repay",
        mb.repay(
            params.clone(),
            units(500),
            U256::ZERO,
            w.bob,
            Default::default()
        )
    );
    advance(&w.po, 60).await?;
    measure!(
        rows,
        "withdrawCollateral",
        mb.withdrawCollateral(params.clone(), units(1), w.bob, w.bob)
    );
    advance(&w.po, 3_600).await?;
    measure!(rows, "accrueInterest", mc.accrueInterest(params.clone()));
    let fb = solidity::deploy(
        &w.po,
        "lending/LendingFlashBorrower",
        &l.market.abi_encode(),
    )
    .await?;
    let fbi = ILendingFlashBorrower::new(fb, &w.po);
    // Warm the borrower's storage so the measured loan is a steady-state one.
    send!(fbi.flash(loan, units(1), true));
    measure!(
        rows,
        "flashLoan (via borrower contract)",
        fbi.flash(loan, units(10_000), true)
    );
    // Liquidate: price 2,000 → 600 (debt ~50.5k > 100 · 600 · 0.8 = 48k), carol seizes 1 unit.
    let feed = IMockAggregator::new(l.periphery.aggregator, &w.po);
    send!(feed.setAnswer(int(600 * 10i128.pow(FEED_DECIMALS as u32))));
    advance(&w.po, 60).await?;
    measure!(
        rows,
        "liquidate",
        ILendingMarketAdminFacet::new(l.market, &w.pc).liquidate(
            l.admin_params(),
            w.bob,
            units(1),
            U256::ZERO,
            Default::default()
        )
    );
    Ok((rows, approve))
}

// ---- the split ------------------------------------------------------------------------------

/// Base ink of each hostio (stylus-host-spec.md §3.1).
fn base_ink(name: &str) -> u64 {
    match name {
        "read_args"
        | "write_result"
        | "return_data_size"
        | "evm_gas_left"
        | "evm_ink_left"
        | "chainid"
        | "block_gas_limit"
        | "block_number"
        | "block_timestamp"
        | "msg_reentrant"
        | "tx_ink_price"
        | "pay_for_memory_grow" => 8_400,
        "storage_load_bytes32" | "storage_cache_bytes32" => 18_480,
        "storage_flush_cache"
        | "read_return_data"
        | "emit_log"
        | "account_code"
        | "account_code_size" => 68_073,
        "transient_load_bytes32"
        | "transient_store_bytes32"
        | "account_balance"
        | "account_codehash" => 78_153,
        "call_contract" | "delegate_call_contract" | "static_call_contract" | "create1" => 83_193,
        "create2" => 88_233,
        "block_basefee" | "block_coinbase" | "contract_address" | "msg_sender" | "msg_value"
        | "tx_gas_price" | "tx_origin" => 13_440,
        "math_div" | "math_mod" => 43_520,
        "math_pow" => 23_520,
        "math_add_mod" => 49_560,
        "math_mul_mod" => 52_660,
        _ => 0,
    }
}

fn hex_len(v: &Value) -> u64 {
    v.as_str()
        .map_or(0, |s| (s.trim_start_matches("0x").len() / 2) as u64)
}

fn pay_read(n: u64) -> u64 {
    16_381 + 55 * n.saturating_sub(32)
}

fn pay_write(n: u64) -> u64 {
    5_040 + 30 * n.saturating_sub(32)
}

/// Byte-copy ink of a hostio (pay_for_read / pay_for_write from its args and outs).
fn copy_ink(name: &str, e: &Value) -> u64 {
    let (args, outs) = (hex_len(&e["args"]), hex_len(&e["outs"]));
    match name {
        "read_args" => pay_write(outs),
        "write_result" => 2 * pay_read(args),
        "read_return_data" => pay_write(outs),
        "emit_log" => pay_read(args.saturating_sub(4)),
        // addr20 ‖ gas8 ‖ (value32) ‖ calldata
        "call_contract" => 2 * pay_read(args.saturating_sub(60)),
        "delegate_call_contract" | "static_call_contract" => 2 * pay_read(args.saturating_sub(28)),
        _ => 0,
    }
}

/// What one Stylus frame (and its Stylus callees) cost above the floor, in ink, plus the entry
/// gas of Stylus callees called from it (visible as the call hostio's residual).
#[derive(Default, Debug, Clone)]
struct Overhead {
    /// Wasm compute between hostios.
    compute: u64,
    /// Hostio base + copy ink, keccak, storage-miss round trips.
    hostio: u64,
    /// Entry of Stylus callees (init + memory), in gas.
    callee_entry_gas: u64,
    /// Stylus programs entered from EVM code (entry not visible), by address.
    hidden_entries: Vec<Address>,
}

impl Overhead {
    fn add(&mut self, o: Overhead) {
        self.compute += o.compute;
        self.hostio += o.hostio;
        self.callee_entry_gas += o.callee_entry_gas;
        self.hidden_entries.extend(o.hidden_entries);
    }
    fn gas(&self) -> u64 {
        (self.compute + self.hostio) / gas::INK_PER_GAS + self.callee_entry_gas
    }
}

fn ink(e: &Value, k: &str) -> u64 {
    e[k].as_u64().unwrap_or(0)
}

/// Walks one Stylus frame's entries; returns its overhead and the ink it used.
fn stylus_frame(entries: &[Value], warm: &mut HashSet<Address>) -> (Overhead, u64) {
    let mut o = Overhead::default();
    let ink_in = entries
        .iter()
        .find(|e| e["name"] == "user_entrypoint")
        .map_or(0, |e| ink(e, "startInk"));
    let mut prev_end = ink_in;
    for e in entries {
        let name = e["name"].as_str().unwrap_or_default();
        if name == "user_entrypoint" || name == "user_returned" {
            continue;
        }
        let (start, end) = (ink(e, "startInk"), ink(e, "endInk"));
        if start == 0 && end == 0 {
            // An unmerged evm_* placeholder: an EVM frame entered from here.
            o.add(evm_frame(e, warm));
            continue;
        }
        o.compute += prev_end.saturating_sub(start);
        prev_end = end;
        let cost = start.saturating_sub(end);
        let fixed = base_ink(name) + copy_ink(name, e);
        match name {
            "native_keccak256" => o.hostio += cost,
            "storage_load_bytes32" => {
                // A miss pays SLOAD (2,100 cold / 100 warm) + 5 gas of EVM round trip.
                let gas_part = cost.saturating_sub(fixed) / gas::INK_PER_GAS;
                let miss = gas_part >= 100;
                o.hostio += fixed + if miss { 5 * gas::INK_PER_GAS } else { 0 };
            }
            "call_contract" | "delegate_call_contract" | "static_call_contract" => {
                let callee: Option<Address> = e["address"].as_str().and_then(|a| a.parse().ok());
                let access = match callee {
                    Some(a) if !warm.insert(a) => 100,
                    Some(a) if is_precompile(a) => 100,
                    _ => 2_600,
                };
                o.hostio += fixed;
                let steps = e["steps"].as_array().map(Vec::as_slice).unwrap_or(&[]);
                if steps.iter().any(|s| s["name"] == "user_entrypoint") {
                    let (child, used) = stylus_frame(steps, warm);
                    o.add(child);
                    let residual =
                        cost.saturating_sub(used).saturating_sub(fixed) / gas::INK_PER_GAS;
                    o.callee_entry_gas += residual.saturating_sub(access);
                } else {
                    for s in steps {
                        o.add(evm_frame(s, warm));
                    }
                }
            }
            _ => o.hostio += fixed.min(cost),
        }
    }
    (o, ink_in.saturating_sub(prev_end))
}

fn is_precompile(a: Address) -> bool {
    a.0[..18].iter().all(|b| *b == 0)
}

/// An EVM frame's entry (`evm_*` placeholder): Stylus callees inside are counted, their entry is
/// not visible.
fn evm_frame(e: &Value, warm: &mut HashSet<Address>) -> Overhead {
    let mut o = Overhead::default();
    let address: Option<Address> = e["address"].as_str().and_then(|a| a.parse().ok());
    if let Some(a) = address {
        warm.insert(a);
    }
    let steps = e["steps"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    if steps.iter().any(|s| s["name"] == "user_entrypoint") {
        let (child, _) = stylus_frame(steps, warm);
        o.add(child);
        o.hidden_entries.push(address.unwrap_or_default());
    } else {
        for s in steps {
            o.add(evm_frame(s, warm));
        }
    }
    o
}

/// Gas a transaction pays before the target runs: 21,000 + calldata (EIP-2028 prices).
fn intrinsic(input: &[u8]) -> u64 {
    21_000
        + input
            .iter()
            .map(|b| if *b == 0 { 4 } else { 16 })
            .sum::<u64>()
}

struct Split {
    total: u64,
    intrinsic: u64,
    entry: u64,
    entry_estimated: bool,
    overhead: Overhead,
}

impl Split {
    fn overhead_gas(&self) -> u64 {
        self.entry + self.overhead.gas()
    }
    fn floor(&self) -> u64 {
        self.total.saturating_sub(self.overhead_gas())
    }
}

/// Splits transaction `hash` (target `target`); `entry_of` gives the entry gas of a Stylus
/// program entered from EVM code, measured in a top-level transaction to the same program of the
/// same run (same cache state).
async fn split(
    p: &DynProvider,
    hash: B256,
    target: Address,
    entry_of: &dyn Fn(Address) -> u64,
) -> Result<Split> {
    let receipt = p.get_transaction_receipt(hash).await?.context("receipt")?;
    let tx = p.get_transaction_by_hash(hash).await?.context("tx")?;
    let (limit, input) = (tx.inner.gas_limit(), tx.inner.input().clone());
    let trace: Value = p
        .raw_request(
            "debug_traceTransaction".into(),
            (hash, json!({ "tracer": "stylusTracer" })),
        )
        .await?;
    let entries = trace.as_array().context("trace")?.clone();
    let mut warm = HashSet::from([target, receipt.from]);
    let base = intrinsic(&input);
    let top_stylus = entries.iter().any(|e| e["name"] == "user_entrypoint");
    let (overhead, entry, estimated) = if top_stylus {
        let (o, _) = stylus_frame(&entries, &mut warm);
        let ink_in = entries
            .iter()
            .find(|e| e["name"] == "user_entrypoint")
            .map_or(0, |e| ink(e, "startInk"));
        let entry = limit
            .saturating_sub(base)
            .saturating_sub(ink_in / gas::INK_PER_GAS);
        (o, entry, false)
    } else {
        let mut o = Overhead::default();
        for e in &entries {
            o.add(evm_frame(e, &mut warm));
        }
        let entry = o.hidden_entries.iter().map(|a| entry_of(*a)).sum();
        let hidden = !o.hidden_entries.is_empty();
        (o, entry, hidden)
    };
    Ok(Split {
        total: receipt.gas_used,
        intrinsic: base,
        entry,
        entry_estimated: estimated,
        overhead,
    })
}

async fn table(
    w: &World,
    l: &Lending,
    (rows, approve): &(Vec<Row>, B256),
    title: &str,
) -> Result<Vec<(String, f64)>> {
    let approve = *approve;
    let accrue = rows
        .iter()
        .find(|r| r.op == "accrueInterest")
        .context("accrue row")?;
    // Entries of the market and of the tokens (entered from EVM code by the flash borrower):
    // from a top-level transaction to each (accrueInterest; a token approval) of this run.
    let none = |_| 0;
    let market_entry = split(&w.po, accrue.tx, l.market, &none).await?.entry;
    let token_entry = split(&w.po, approve, l.periphery.loan, &none).await?.entry;
    let (loan, coll) = (l.periphery.loan, l.periphery.collateral);
    let entry_of = move |a: Address| {
        if a == loan || a == coll {
            token_entry
        } else {
            market_entry
        }
    };
    println!(
        "\n## {title}\n\n| operation | gas used | floor | of which intrinsic | Stylus overhead | entry | compute | hostio base/copy/keccak | callee entry | overhead % |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    let mut out = Vec::new();
    for r in rows {
        let target = if r.op.starts_with("flashLoan") {
            Address::ZERO
        } else {
            l.market
        };
        let s = split(&w.po, r.tx, target, &entry_of).await?;
        let pct = 100.0 * s.overhead_gas() as f64 / s.total as f64;
        println!(
            "| {} | {} | {} | {} | {} | {}{} | {} | {} | {} | {:.1}% |",
            r.op,
            r.gas,
            s.floor(),
            s.intrinsic,
            s.overhead_gas(),
            if s.entry_estimated { "≈" } else { "" },
            s.entry,
            s.overhead.compute / gas::INK_PER_GAS,
            s.overhead.hostio / gas::INK_PER_GAS,
            s.overhead.callee_entry_gas,
            pct
        );
        out.push((r.op.to_string(), pct));
    }
    Ok(out)
}

/// Per-frame profile of the cached run (`LENDING_GAS_PROFILE=1`): gas per hostio and the wasm
/// compute of each Stylus frame, with the largest compute gaps between hostios.
async fn profile(w: &World, l: &Lending, rows: &[Row]) -> Result<()> {
    let p = &l.periphery;
    let names = [
        (l.market, "market"),
        (l.admin_facet, "admin facet"),
        (l.views_facet, "views facet"),
        (l.rewards_facet, "rewards facet"),
        (p.irm, "IRM"),
        (p.oracle, "oracle"),
        (p.aggregator, "price feed"),
        (p.sequencer, "sequencer feed"),
        (p.loan, "loan token"),
        (p.collateral, "collateral token"),
    ];
    let name = |a: Option<Address>| match a {
        None => "target".to_string(),
        Some(a) => names
            .iter()
            .find(|(x, _)| *x == a)
            .map_or_else(|| a.to_string(), |(_, n)| n.to_string()),
    };
    for r in rows {
        let mut out = String::new();
        let frame = gas::stylus_frames(&w.po, r.tx).await?;
        gas::render(&frame, &name, &mut out);
        // The target's ten largest compute stretches (the render shows three).
        let mut gaps = frame.gaps.clone();
        gaps.sort_by_key(|g| std::cmp::Reverse(g.0));
        for (ink, before, after) in gaps.iter().take(10) {
            out.push_str(&format!(
                "  - (target) compute {} gas between {before} and {after}\n",
                ink / gas::INK_PER_GAS
            ));
        }
        println!("\n### {} (cached, {} gas)\n\n{out}", r.op, r.gas);
    }
    Ok(())
}

/// The short table: gas uncached and cached, and the cached overhead against the goal.
fn summary(uncached: &[Row], cached: &[Row], pcts: &[(String, f64)]) {
    println!("\n| operation | uncached | cached | cached overhead % (goal < 15%) |\n|---|---:|---:|---:|");
    for ((u, c), (_, pct)) in uncached.iter().zip(cached).zip(pcts) {
        println!(
            "| {} | {} | {} | {:.1}%{} |",
            u.op,
            u.gas,
            c.gas,
            pct,
            if *pct < 15.0 { "" } else { " (over)" }
        );
    }
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> Result<()> {
    let node = node()?;
    anyhow::ensure!(node.keys.len() >= 4, "need four funded accounts");
    let k = &node.keys;
    let w = World {
        po: provider(&node.url, k[0].clone())?,
        pa: provider(&node.url, k[1].clone())?,
        pb: provider(&node.url, k[2].clone())?,
        pc: provider(&node.url, k[3].clone())?,
        owner: k[0].address(),
        alice: k[1].address(),
        bob: k[2].address(),
        carol: k[3].address(),
    };

    // Uncached runs of both variants first (nothing of the stack cached yet), then every Stylus
    // program of the stack is cached and fresh stacks (same code hashes) run again.
    let evm1 = deploy_lending_evm_tokens(&w.po, w.owner).await?;
    let evm_uncached = scenario(&w, &evm1)
        .await
        .context("uncached run, EVM tokens")?;
    let sty1 = deploy_lending(&w.po, w.owner).await?;
    let sty_uncached = scenario(&w, &sty1)
        .await
        .context("uncached run, Stylus tokens")?;
    let p = &sty1.periphery;
    for a in [
        sty1.market,
        sty1.rewards_facet,
        sty1.admin_facet,
        sty1.views_facet,
        p.irm,
        p.oracle,
        p.aggregator,
        p.loan,
    ] {
        gas::cache_program(&w.po, a).await?;
    }
    let evm2 = deploy_lending_evm_tokens(&w.po, w.owner).await?;
    let evm_cached = scenario(&w, &evm2)
        .await
        .context("cached run, EVM tokens")?;
    let sty2 = deploy_lending(&w.po, w.owner).await?;
    let sty_cached = scenario(&w, &sty2)
        .await
        .context("cached run, Stylus tokens")?;

    println!("\n# Loan and collateral tokens: Solidity ERC-20s (as USDC/WETH on Arbitrum)");
    table(
        &w,
        &evm1,
        &evm_uncached,
        "Uncached (programs not in the ArbOS cache)",
    )
    .await?;
    let pcts = table(
        &w,
        &evm2,
        &evm_cached,
        "Cached (market, facets, IRM, oracle, feeds cached via ArbWasmCache)",
    )
    .await?;
    summary(&evm_uncached.0, &evm_cached.0, &pcts);

    println!("\n# Loan and collateral tokens: Stylus `test-token`s (their entry and compute count as overhead)");
    table(
        &w,
        &sty1,
        &sty_uncached,
        "Uncached (programs not in the ArbOS cache)",
    )
    .await?;
    let sty_pcts = table(
        &w,
        &sty2,
        &sty_cached,
        "Cached (market, facets, IRM, oracle, feeds, tokens cached via ArbWasmCache)",
    )
    .await?;
    summary(&sty_uncached.0, &sty_cached.0, &sty_pcts);

    // For `stylus-yield report` (no published per-operation anchor for a lending market).
    let record: Vec<scripts::report::GasRow> = evm_uncached
        .0
        .iter()
        .zip(&evm_cached.0)
        .map(|(u, c)| scripts::report::GasRow {
            operation: u.op.to_string(),
            uncached: u.gas,
            cached: c.gas,
            reference: None,
        })
        .collect();
    scripts::report::write_gas("lending_gas", &record)?;
    if std::env::var_os("LENDING_GAS_PROFILE").is_some() {
        profile(&w, &evm2, &evm_cached.0).await?;
    }
    println!("\n| code size | deployable bytes |\n|---|---:|");
    for name in [
        "lending-market",
        "lending-market-rewards-facet",
        "lending-market-admin-facet",
        "lending-irm",
        "lending-oracle",
        "mock-aggregator",
    ] {
        println!(
            "| {name} | {} |",
            scripts::wasm::artifact(name).deployable_len
        );
    }
    Ok(())
}
