//! Gas bench of the liquidity pool (issue 17): the Stylus pair/factory/router beside their
//! Solidity twins (tests/solidity/src/amm/, compiled by the pinned solc) and Uniswap V2's
//! published figures, on one spawned devnode, with the same Stylus test tokens and the same calls
//! (bindings from the public V2 interfaces). Every operation runs on fresh deployments twice:
//! with our Stylus programs uncached, then after `ArbWasmCache.cacheProgram` cached every Stylus
//! program (pair template — its CREATE2 copies share the code hash —, rewards facet, factory,
//! WETH, router and the test tokens: the twin's token calls get cheaper too, hence two twin
//! columns). Then where the gas of a cached Stylus `pair.swap` goes (`stylusTracer`).
//! `createPair` includes depositing the pair's code (200 gas a byte: a Stylus pair copies the
//! ~24 KB compressed template, the twin's runtime is ~15 KB).
//!
//! Until the Stylus pool is deployable (`Amm::deploy_stylus`), its columns print the reason and
//! the bench measures the twin alone.
//!
//! Run: `cargo bench -p e2e --bench pool_gas` (needs Node.js for solc and the wasm artifacts of
//! `cargo run --release -p scripts -- build`). Prints tables; asserts nothing.

use alloy::{
    primitives::{Address, Bytes, B256, U256},
    providers::DynProvider,
    sol_types::SolValue,
};
use anyhow::{Context, Result};
use e2e::{
    abi::ITestToken,
    amm::{self, amount_out, sort, Amm, IFlashBorrower, IUniswapV2Pair},
    gas, node, provider, solidity,
};

const E18: u128 = 1_000_000_000_000_000_000;

fn units(n: u128) -> U256 {
    U256::from(n * E18)
}

/// Uniswap V2's published figures (v2-core tests; ../shared/defi-anchors.md §2.5).
fn published(op: &str) -> &'static str {
    match op {
        "pair.swap (direct)" => "73,462",
        "factory.createPair" => "2,512,920",
        _ => "—",
    }
}

/// Everyone and everything a run needs.
struct World {
    po: DynProvider,
    pa: DynProvider,
    pb: DynProvider,
    alice: Address,
    bob: Address,
    a: Address,
    b: Address,
}

/// One measured operation.
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

macro_rules! setup {
    ($call:expr) => {{
        let receipt = $call.send().await?.get_receipt().await?;
        anyhow::ensure!(receipt.status(), "setup reverted: {}", stringify!($call));
    }};
}

/// The scenario, identical for both implementations, on a fresh deployment `amm`.
async fn scenario(w: &World, amm: &Amm) -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    let (a, b) = (w.a, w.b);
    for t in [a, b] {
        setup!(ITestToken::new(t, &w.pa).approve(amm.router, U256::MAX));
        setup!(ITestToken::new(t, &w.pb).approve(amm.router, U256::MAX));
    }
    let far = U256::from(u64::MAX);
    measure!(
        rows,
        "factory.createPair",
        amm.factory(&w.pa).createPair(a, b)
    );
    let pair = amm.pair_for(a, b);
    let r = amm.router(&w.pa);
    measure!(
        rows,
        "router.addLiquidity (first)",
        r.addLiquidity(
            a,
            b,
            units(1_000),
            units(1_000),
            U256::ZERO,
            U256::ZERO,
            w.alice,
            far
        )
    );
    measure!(
        rows,
        "router.addLiquidity (later)",
        r.addLiquidity(
            a,
            b,
            units(100),
            units(100),
            U256::ZERO,
            U256::ZERO,
            w.alice,
            far
        )
    );
    // pair.swap as V2's figure measures it: input already transferred, output to an EOA.
    let (t0, t1) = sort(a, b);
    let res = IUniswapV2Pair::new(pair, &w.po)
        .getReserves()
        .call()
        .await?;
    let (r0, r1) = (U256::from(res.reserve0), U256::from(res.reserve1));
    let amount = units(1);
    let out = amount_out(amount, r0, r1);
    setup!(ITestToken::new(t0, &w.pb).transfer(pair, amount));
    measure!(
        rows,
        "pair.swap (direct)",
        IUniswapV2Pair::new(pair, &w.pb).swap(U256::ZERO, out, w.bob, Bytes::new())
    );
    measure!(
        rows,
        "router.swapExactTokensForTokens",
        amm.router(&w.pb)
            .swapExactTokensForTokens(amount, U256::ZERO, vec![t1, t0], w.bob, far)
    );
    let p = IUniswapV2Pair::new(pair, &w.pa);
    let lp = p.balanceOf(w.alice).call().await? / U256::from(4);
    setup!(p.approve(amm.router, U256::MAX));
    measure!(
        rows,
        "router.removeLiquidity",
        r.removeLiquidity(a, b, lp, U256::ZERO, U256::ZERO, w.alice, far)
    );
    // Flash swap: borrow token0, repay it with the fee inside the callback.
    let borrow = units(10);
    let plan = IFlashBorrower::Plan {
        flags: U256::ZERO,
        repayToken: t0,
        repayAmount: borrow * U256::from(1000) / U256::from(997) + U256::from(1),
        other: Address::ZERO,
        otherTokenIn: Address::ZERO,
        otherAmountIn: U256::ZERO,
        otherOut0: U256::ZERO,
        otherOut1: U256::ZERO,
    };
    // A fresh borrower per run, warmed by one unmeasured flash swap, so both implementations
    // pay the same (non-zero to non-zero) writes of the fixture's bookkeeping.
    let borrower = amm::borrower(&w.po).await?;
    setup!(ITestToken::new(t0, &w.po).mint(borrower, units(1_000)));
    let fb = IFlashBorrower::new(borrower, &w.pb);
    let plan = Bytes::from(plan.abi_encode());
    setup!(fb.flash(pair, borrow, U256::ZERO, plan.clone()));
    measure!(
        rows,
        "flash swap (borrower.flash, repaid in the callback)",
        fb.flash(pair, borrow, U256::ZERO, plan)
    );
    Ok(rows)
}

fn cell(rows: &Result<Vec<Row>>, i: usize) -> String {
    match rows {
        Ok(r) => r.get(i).map_or("—".into(), |r| r.gas.to_string()),
        Err(_) => "n/a".into(),
    }
}

fn ratio(a: &Result<Vec<Row>>, b: &Result<Vec<Row>>, i: usize) -> String {
    match (a, b) {
        (Ok(a), Ok(b)) => format!("{:.2}", a[i].gas as f64 / b[i].gas as f64),
        _ => "—".into(),
    }
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> Result<()> {
    let node = node()?;
    anyhow::ensure!(node.keys.len() >= 3, "need three funded accounts");
    let (owner_key, alice_key, bob_key) = (
        node.keys[0].clone(),
        node.keys[1].clone(),
        node.keys[2].clone(),
    );
    let po = provider(&node.url, owner_key.clone())?;
    let a = amm::token(&po, "test-token", "A").await?;
    let b = amm::token(&po, "test-token", "B").await?;
    let w = World {
        pa: provider(&node.url, alice_key.clone())?,
        pb: provider(&node.url, bob_key.clone())?,
        po,
        alice: alice_key.address(),
        bob: bob_key.address(),
        a,
        b,
    };
    for t in [a, b] {
        for who in [w.alice, w.bob] {
            setup!(ITestToken::new(t, &w.po).mint(who, units(1_000_000_000)));
        }
    }
    let owner = owner_key.address();

    // Uncached.
    let stylus = Amm::deploy_stylus(&w.po, owner).await;
    let ours = match &stylus {
        Ok(amm) => scenario(&w, amm).await.context("Stylus, uncached"),
        Err(e) => Err(anyhow::anyhow!("{e:#}")),
    };
    let twin = scenario(&w, &Amm::deploy_solidity(&w.po, owner).await?)
        .await
        .context("Solidity twin, uncached")?;

    // Cached: every Stylus program, then fresh deployments of both.
    let mut cached_programs = vec![a, b];
    if let Ok(amm) = &stylus {
        cached_programs.extend(amm.programs.iter().map(|(_, addr)| *addr));
    }
    let mut cached = true;
    for addr in cached_programs {
        cached &= gas::cache_program(&w.po, addr).await?;
    }
    if !cached {
        println!("note: this node refused ArbWasmCache.cacheProgram: the 'cached' figures below are uncached");
    }
    let ours_cached = match &stylus {
        Ok(_) => match Amm::deploy_stylus(&w.po, owner).await {
            Ok(amm) => scenario(&w, &amm).await.context("Stylus, cached"),
            Err(e) => Err(e),
        },
        Err(e) => Err(anyhow::anyhow!("{e:#}")),
    };
    let twin_cached = scenario(&w, &Amm::deploy_solidity(&w.po, owner).await?)
        .await
        .context("Solidity twin, cached tokens")?;

    println!(
        "\n## Liquidity pool gas (gas used per transaction, devnode)\n\n\
         | operation | Stylus uncached | Stylus cached | Solidity twin (uncached tokens) | \
         Solidity twin (cached tokens) | Uniswap V2 published | Stylus cached / twin |\n\
         |---|---:|---:|---:|---:|---:|---:|"
    );
    let twin_ok: Result<Vec<Row>> = Ok(twin_cached);
    for (i, t) in twin.iter().enumerate() {
        println!(
            "| {} | {} | {} | {} | {} | {} | {} |",
            t.op,
            cell(&ours, i),
            cell(&ours_cached, i),
            t.gas,
            cell(&twin_ok, i),
            published(t.op),
            ratio(&ours_cached, &twin_ok, i),
        );
    }
    if let (Ok(o), Ok(oc), Ok(tc)) = (&ours, &ours_cached, &twin_ok) {
        // For `stylus-yield report`: ours beside the twin (cached tokens).
        let record: Vec<scripts::report::GasRow> = o
            .iter()
            .zip(oc)
            .zip(tc)
            .map(|((o, oc), tc)| scripts::report::GasRow {
                operation: o.op.to_string(),
                uncached: o.gas,
                cached: oc.gas,
                reference: Some(("Solidity twin".into(), tc.gas)),
            })
            .collect();
        scripts::report::write_gas("pool_gas", &record)?;
    }
    if let Err(e) = &ours {
        println!("\nStylus columns n/a: {e:#}");
    }
    if let (Ok(_), Err(e)) = (&ours, &ours_cached) {
        println!("\nStylus cached n/a: {e:#}");
    }

    println!("\n| code size | bytes |\n|---|---:|");
    for name in [
        "amm/TwinPair",
        "amm/TwinFactory",
        "amm/TwinRouter",
        "amm/TwinWETH",
    ] {
        let art = solidity::artifact(name)?;
        println!("| {name} (EVM runtime) | {} |", art.deployed_len);
    }
    if let Ok(amm) = &stylus {
        for (name, _) in &amm.programs {
            let art = scripts::wasm::artifact(name);
            println!(
                "| {name} (Stylus deployable, compressed wasm) | {} |",
                art.deployable_len
            );
        }
    }

    // Where a cached Stylus pair.swap's gas goes.
    if let Ok(rows) = &ours_cached {
        if let Some(row) = rows.iter().find(|r| r.op == "pair.swap (direct)") {
            let frame = gas::stylus_frames(&w.po, row.tx).await?;
            let mut out = String::new();
            let name = |x: Option<Address>| match x {
                None => "pair (tx target)".to_string(),
                Some(x) if x == a || x == b => "test token (Stylus)".to_string(),
                Some(x) => x.to_string(),
            };
            gas::render(&frame, &name, &mut out);
            println!("\n## Where a cached Stylus pair.swap's gas goes (stylusTracer)\n{out}");
        }
    }
    Ok(())
}
