//! Gas bench: the Stylus royalty NFT (collection + admin, config and rewards facets) on one
//! spawned devnode, beside the published ERC-721 anchors (shared/defi-anchors.md §5.5: Solmate
//! ERC721 mint 54,336; ERC721A mint 1 76,690 / mint 5 85,206; OpenZeppelin ERC721Enumerable
//! mint 1 154,814 / mint 5 616,914). One scenario (mints, transfers, safe transfers, approve,
//! `royaltyInfo`, royalties in by ETH `receive`, by a marketplace sale and by
//! `distributeRoyalties(ERC-20)`, a holder claim a day later, creator withdrawals), measured
//! twice: with the programs uncached, then on a fresh collection after
//! `ArbWasmCache.cacheProgram` has cached every Stylus program (collection, three facets, WETH,
//! test token). Then where the gas of the cached mint 1 and ETH royalty goes (`stylusTracer`).
//!
//! Run: `cargo bench -p e2e --bench nft_gas` (needs `npm ci` in tests/solidity and the wasm
//! artifacts of `cargo run --release -p scripts -- build`). Prints tables; asserts nothing.

use std::collections::BTreeMap;

use alloy::{
    network::TransactionBuilder,
    primitives::{keccak256, Address, Bytes, B256, U256},
    providers::{DynProvider, Provider},
    rpc::types::TransactionRequest,
};
use anyhow::{Context, Result};
use e2e::{
    abi::ITestToken,
    deploy_weth, gas,
    lending::deploy_token,
    nft::{
        deploy_nft, AllowlistTree, IMarketplace, IRoyaltyNft, IRoyaltyNftAdminFacet,
        IRoyaltyNftConfigFacet, IRoyaltyNftRewardsFacet, Nft,
    },
    node, provider, solidity,
};
use scripts::suite::NftInit;

const E18: u128 = 1_000_000_000_000_000_000;
const DAY: u64 = 24 * 3600;
const PRICE: u128 = E18 / 100;

fn u(x: u128) -> U256 {
    U256::from(x)
}

/// Everyone and everything one measured run needs.
struct World {
    po: DynProvider,
    pa: DynProvider,
    pb: DynProvider,
    pc: DynProvider,
    owner: Address,
    alice: Address,
    bob: Address,
    carol: Address,
    weth: Address,
    token: Address,
    market: Address,
    creators: Vec<Address>,
}

/// One measured operation: gas used and the transaction (for traces).
struct Row {
    op: &'static str,
    gas: u64,
    tx: Option<B256>,
}

/// Sends a binding's call, checks it succeeded, records a row.
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
            tx: Some(receipt.transaction_hash),
        });
    }};
}

/// Sends a setup call (not measured), failing if it reverted.
macro_rules! setup {
    ($call:expr) => {{
        let receipt = $call.send().await?.get_receipt().await?;
        anyhow::ensure!(receipt.status(), "setup reverted: {}", stringify!($call));
    }};
}

async fn deploy(w: &World) -> Result<Nft> {
    let init = NftInit {
        name: "Stylus Yield Art".into(),
        symbol: "SYART".into(),
        owner: w.owner,
        weth: w.weth,
        recipients: w.creators.clone(),
        shares: vec![u(7_000), u(2_000), u(1_000)],
        holder_share_bps: u(4_000),
        royalty_bps: u(750),
        rewards_facet: Address::ZERO,
    };
    deploy_nft(&w.po, &init).await
}

/// The scenario, identical for both runs.
async fn scenario(w: &World, nft: Address) -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    // A fresh receiver per run, so both runs pay the same for its first writes.
    let recorder = solidity::deploy(&w.po, "nft/ERC721Recorder", &[]).await?;
    let (col_a, col_b) = (IRoyaltyNft::new(nft, &w.pa), IRoyaltyNft::new(nft, &w.pb));
    let cfg = IRoyaltyNftConfigFacet::new(nft, &w.po);
    let tree = AllowlistTree::new(&[
        (w.alice, u(1)),
        (w.bob, u(1)),
        (w.carol, u(2)),
        (w.owner, u(1)),
    ])?;
    setup!(cfg.setAllowlistRoot(tree.root()));
    let now =
        w.po.get_block_by_number(Default::default())
            .await?
            .context("latest block")?
            .header
            .timestamp;
    setup!(cfg.setSaleConfig(u(PRICE), 1_000, 0, now, now, now + 30 * DAY));
    setup!(IRoyaltyNftRewardsFacet::new(nft, &w.po).addReward_0(w.token, w.owner, u(DAY as u128)));

    // The collection's first mint also turns its totals from zero to non-zero (22,100 gas per
    // slot): measured apart, so the rows below are a running collection's costs.
    measure!(
        rows,
        "mint 1 (collection's first mint)",
        IRoyaltyNft::new(nft, &w.po)
            .mint(w.owner, u(1))
            .value(u(PRICE))
    );
    measure!(
        rows,
        "mint 1 (public, new owner)",
        col_a.mint(w.alice, u(1)).value(u(PRICE))
    );
    measure!(
        rows,
        "mint 5 (public batch, new owner)",
        col_b.mint(w.bob, u(5)).value(u(5 * PRICE))
    );
    measure!(
        rows,
        "mint 1 (public, owner holds tokens)",
        col_a.mint(w.alice, u(1)).value(u(PRICE))
    );
    measure!(
        rows,
        "mint 1 (public, 2× price paid: refund)",
        col_a.mint(w.alice, u(1)).value(u(2 * PRICE))
    );
    measure!(
        rows,
        "mintAllowlist 1 (proof of 2 hashes)",
        IRoyaltyNftAdminFacet::new(nft, &w.pc)
            .mintAllowlist(u(1), u(2), tree.proof(2)?)
            .value(u(PRICE))
    );
    // Tokens: owner 1; alice 2, 8, 9; bob 3..=7; carol 10.
    measure!(
        rows,
        "transferFrom (mid-batch token, new owner)",
        col_b.transferFrom(w.bob, w.carol, u(5))
    );
    measure!(
        rows,
        "transferFrom (existing owners)",
        col_b.transferFrom(w.bob, w.carol, u(6))
    );
    measure!(
        rows,
        "safeTransferFrom (to EOA)",
        col_a.safeTransferFrom_0(w.alice, w.bob, u(8))
    );
    measure!(
        rows,
        "safeTransferFrom + data (receiver contract)",
        col_a.safeTransferFrom_1(w.alice, recorder, u(9), Bytes::from_static(b"gas"))
    );
    measure!(rows, "approve", col_a.approve(w.market, u(2)));
    let info = TransactionRequest::default()
        .from(w.alice)
        .to(nft)
        .input(col_a.royaltyInfo(u(2), u(E18)).calldata().clone().into());
    rows.push(Row {
        op: "royaltyInfo (eth_estimateGas)",
        gas: w.po.estimate_gas(info).await?,
        tx: None,
    });

    // Royalties in.
    let send_eth = TransactionRequest::default()
        .with_to(nft)
        .with_value(u(E18 / 10));
    let r = w.pc.send_transaction(send_eth).await?.get_receipt().await?;
    anyhow::ensure!(r.status(), "ETH royalty reverted");
    rows.push(Row {
        op: "ETH royalty via receive (wrap + stream + ledger)",
        gas: r.gas_used,
        tx: Some(r.transaction_hash),
    });
    setup!(IMarketplace::new(w.market, &w.pa).list(nft, u(2), Address::ZERO, u(E18)));
    measure!(
        rows,
        "marketplace buy, ETH (transfer + royalty + seller)",
        IMarketplace::new(w.market, &w.pc)
            .buy(nft, u(2))
            .value(u(E18))
    );
    setup!(ITestToken::new(w.token, &w.po).transfer(nft, u(75 * E18)));
    measure!(
        rows,
        "distributeRoyalties(ERC-20)",
        IRoyaltyNftAdminFacet::new(nft, &w.pb).distributeRoyalties(w.token)
    );

    // A day later: a holder claims, creators withdraw.
    e2e::time_travel(&w.po, DAY + 60).await?;
    measure!(
        rows,
        "holder claim([WETH])",
        IRoyaltyNftRewardsFacet::new(nft, &w.pb).claim_0(vec![w.weth], w.bob)
    );
    measure!(
        rows,
        "holder claimAll (WETH + ERC-20)",
        IRoyaltyNftRewardsFacet::new(nft, &w.pc).claimAll_0(w.carol)
    );
    let admin = IRoyaltyNftAdminFacet::new(nft, &w.pb);
    measure!(
        rows,
        "creator withdraw (ETH)",
        admin.withdraw(Address::ZERO, w.creators[0])
    );
    measure!(
        rows,
        "creator withdraw (ERC-20)",
        admin.withdraw(w.token, w.creators[0])
    );
    Ok(rows)
}

/// The published figure beside an operation, if any.
fn anchor(op: &str) -> &'static str {
    match op {
        "mint 1 (public, new owner)" => "Solmate 54,336; ERC721A 76,690; OZ Enumerable 154,814",
        "mint 5 (public batch, new owner)" => "ERC721A 85,206; OZ Enumerable 616,914",
        "safeTransferFrom (to EOA)" => "(Solmate safeMint to EOA 56,993)",
        _ => "—",
    }
}

/// Prints the hostio breakdown of the cached transaction `hash`.
async fn breakdown(
    w: &World,
    title: &str,
    hash: B256,
    names: &BTreeMap<Address, &str>,
) -> Result<()> {
    let receipt =
        w.po.get_transaction_receipt(hash)
            .await?
            .context("no receipt")?;
    let frame = gas::stylus_frames(&w.po, hash).await?;
    let mut out = String::new();
    let name = |a: Option<Address>| match a {
        None => "collection (tx target)".to_string(),
        Some(a) => names
            .get(&a)
            .map_or_else(|| a.to_string(), |n| n.to_string()),
    };
    gas::render(&frame, &name, &mut out);
    println!("\n### {title}: {} gas used\n{out}", receipt.gas_used);
    Ok(())
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> Result<()> {
    let node = node()?;
    anyhow::ensure!(node.keys.len() >= 4, "need four funded accounts");
    let [owner, alice, bob, carol] = [0, 1, 2, 3].map(|i| node.keys[i].clone());
    let po = provider(&node.url, owner.clone())?;
    let weth = deploy_weth(&po).await?;
    let token = deploy_token(&po, "Royalty USD", 18).await?;
    setup!(ITestToken::new(token, &po).mint(owner.address(), u(1_000_000 * E18)));
    let market = solidity::deploy(&po, "nft/Marketplace", &[]).await?;
    let creators = (1u8..=3)
        .map(|i| {
            Address::from_slice(&keccak256([b"nft bench creator".as_slice(), &[i]].concat())[12..])
        })
        .collect();
    let w = World {
        pa: provider(&node.url, alice.clone())?,
        pb: provider(&node.url, bob.clone())?,
        pc: provider(&node.url, carol.clone())?,
        po,
        owner: owner.address(),
        alice: alice.address(),
        bob: bob.address(),
        carol: carol.address(),
        weth,
        token,
        market,
        creators,
    };

    let first = deploy(&w).await?;
    let uncached = scenario(&w, first.collection)
        .await
        .context("uncached run")?;
    let mut cached_ok = true;
    for a in [
        first.collection,
        first.admin_facet,
        first.config_facet,
        first.rewards_facet,
        weth,
        token,
    ] {
        cached_ok &= gas::cache_program(&w.po, a).await?;
    }
    if !cached_ok {
        println!("note: this node refused ArbWasmCache.cacheProgram: the 'cached' figures below are uncached");
    }
    let second = deploy(&w).await?;
    let cached = scenario(&w, second.collection)
        .await
        .context("cached run")?;

    println!(
        "\n## Royalty NFT gas (devnode; cached = every Stylus program in the ArbOS cache)\n\n\
         | operation | Stylus uncached | Stylus cached | Solidity anchor (§5.5) |\n|---|---:|---:|---|"
    );
    for (a, b) in uncached.iter().zip(&cached) {
        debug_assert_eq!(a.op, b.op);
        println!("| {} | {} | {} | {} |", a.op, a.gas, b.gas, anchor(a.op));
    }
    // For `stylus-yield report`: the like-for-like published figure where there is one.
    let record: Vec<scripts::report::GasRow> = uncached
        .iter()
        .zip(&cached)
        .map(|(a, b)| scripts::report::GasRow {
            operation: a.op.to_string(),
            uncached: a.gas,
            cached: b.gas,
            reference: match a.op {
                "mint 1 (public, new owner)" => Some(("ERC721A mint 1".to_string(), 76_690)),
                "mint 5 (public batch, new owner)" => Some(("ERC721A mint 5".to_string(), 85_206)),
                _ => None,
            },
        })
        .collect();
    scripts::report::write_gas("nft_gas", &record)?;
    println!("\n| code size | bytes |\n|---|---:|");
    for name in [
        "royalty-nft",
        "royalty-nft-admin-facet",
        "royalty-nft-config-facet",
        "royalty-nft-rewards-facet",
    ] {
        println!(
            "| {name} (deployable) | {} |",
            scripts::wasm::artifact(name).deployable_len
        );
    }
    println!(
        "| Marketplace (EVM runtime) | {} |",
        solidity::artifact("nft/Marketplace")?.deployed_len
    );

    let mut names = BTreeMap::new();
    names.insert(second.admin_facet, "admin facet (delegatecall)");
    names.insert(second.config_facet, "config facet (delegatecall)");
    names.insert(second.rewards_facet, "rewards facet (delegatecall)");
    names.insert(weth, "WETH (Stylus)");
    names.insert(token, "test token (Stylus)");
    println!("\n## Where the cached Stylus gas goes (stylusTracer, 10,000 ink per gas)");
    for op in [
        "mint 1 (public, new owner)",
        "mint 5 (public batch, new owner)",
        "ETH royalty via receive (wrap + stream + ledger)",
    ] {
        if let Some(hash) = cached.iter().find(|r| r.op == op).and_then(|r| r.tx) {
            breakdown(&w, op, hash, &names).await?;
        }
    }
    Ok(())
}
