//! Gas bench: the Stylus staking vault (+ rewards) beside its Solidity twin
//! (`tests/solidity/src/TwinVault.sol`), both on one spawned devnode with the same Stylus test
//! tokens as asset and reward token, driven by the same calls (bindings from `abi/*.json`).
//! Every operation is measured twice: with our programs uncached, then on fresh deployments after
//! `ArbWasmCache.cacheProgram` (the dev account is a chain owner) has cached every Stylus program
//! (vault, rewards facet, test token: the twin's token calls get cheaper too). Then a breakdown of
//! where the Stylus gas of a deposit and a claim goes (`stylusTracer`: ink per hostio, wasm
//! compute, program entry).
//!
//! Run: `cargo bench -p e2e --bench vault_gas` (needs `npm ci` in tests/solidity and the wasm
//! artifacts of `cargo run --release -p scripts -- build`). Prints tables; asserts nothing.

use std::collections::BTreeMap;

use alloy::{
    primitives::{keccak256, Address, B256, U256},
    providers::{DynProvider, Provider},
    rpc::types::TransactionRequest,
    signers::{local::PrivateKeySigner, SignerSync},
    sol_types::SolValue,
};
use anyhow::{Context, Result};
use e2e::{
    abi::{IStakingVault, IStakingVaultRewardsFacet, ITestToken},
    deploy_activated, gas, node, provider, solidity,
};

const WEEK: u64 = 7 * 24 * 3600;
const E18: u128 = 1_000_000_000_000_000_000;
/// One asset unit in shares (asset decimals 18 + offset 3).
const SHARE_UNIT: u128 = 1_000 * E18;

fn units(n: u128) -> U256 {
    U256::from(n * E18)
}

/// Everyone and everything one measured run needs.
struct World {
    po: DynProvider,
    pa: DynProvider,
    pb: DynProvider,
    alice_key: PrivateKeySigner,
    owner: Address,
    alice: Address,
    bob: Address,
    carol: Address,
    asset: Address,
    reward: Address,
}

/// One measured operation: gas used and the transaction (for traces).
struct Row {
    op: &'static str,
    gas: u64,
    tx: Option<B256>,
}

/// Time travel through the one helper (`e2e::time_travel`): `false` on an external node, where
/// the clock cannot be moved.
async fn advance(p: &DynProvider, secs: u64) -> Result<bool> {
    e2e::time_travel(p, secs).await
}

/// Sends a binding's call, checks it succeeded, returns a row.
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

/// Deploys our vault over the world's tokens: the rewards facet (CREATE + activation), then the
/// vault constructed atomically through the StylusDeployer.
async fn deploy_ours(w: &World) -> Result<Address> {
    let facet = deploy_activated(&w.po, "staking-vault-rewards-facet").await?;
    e2e::deploy_vault(&w.po, w.asset, w.owner, facet).await
}

/// Deploys the Solidity twin over the world's tokens.
async fn deploy_twin(w: &World) -> Result<Address> {
    let args = (
        w.asset,
        "Staked Asset".to_string(),
        "sAST".to_string(),
        w.owner,
    )
        .abi_encode_params();
    solidity::deploy(&w.po, "TwinVault", &args).await
}

/// EIP-2612 signature of `signer` for (spender, value, deadline) on `token`.
async fn sign_permit(
    p: &DynProvider,
    token: Address,
    signer: &PrivateKeySigner,
    spender: Address,
    value: U256,
    deadline: U256,
) -> Result<(u8, B256, B256)> {
    let t = IStakingVault::new(token, p);
    let domain = t.DOMAIN_SEPARATOR().call().await?;
    let nonce = t.nonces(signer.address()).call().await?;
    let typehash = keccak256(
        "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)",
    );
    let st = keccak256((typehash, signer.address(), spender, value, nonce, deadline).abi_encode());
    let digest = keccak256([&[0x19, 0x01][..], domain.as_slice(), st.as_slice()].concat());
    let sig = signer.sign_hash_sync(&digest)?;
    Ok((
        27 + u8::from(sig.v()),
        B256::from(sig.r()),
        B256::from(sig.s()),
    ))
}

/// The scenario, identical for both vaults: one reward token streaming over a week.
async fn scenario(w: &World, vault: Address) -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    let v = IStakingVault::new(vault, &w.po);
    let va = IStakingVault::new(vault, &w.pa);
    let vb = IStakingVault::new(vault, &w.pb);
    let r = IStakingVaultRewardsFacet::new(vault, &w.po);
    let ra = IStakingVaultRewardsFacet::new(vault, &w.pa);
    // Setup (not measured): approvals of the tokens to this vault.
    ITestToken::new(w.asset, &w.pa)
        .approve(vault, U256::MAX)
        .send()
        .await?
        .get_receipt()
        .await?;
    ITestToken::new(w.reward, &w.po)
        .approve(vault, U256::MAX)
        .send()
        .await?
        .get_receipt()
        .await?;

    measure!(
        rows,
        "addReward",
        r.addReward_0(w.reward, w.owner, U256::from(WEEK))
    );
    measure!(
        rows,
        "notifyRewardAmount (first stream)",
        r.notifyRewardAmount_0(w.reward, units(7_000))
    );
    measure!(
        rows,
        "deposit (first, new holder)",
        va.deposit(units(100), w.alice)
    );
    advance(&w.po, 3_600).await?;
    measure!(
        rows,
        "deposit (again, accrues)",
        va.deposit(units(100), w.alice)
    );
    advance(&w.po, 3_600).await?;
    measure!(rows, "mint", va.mint(U256::from(50 * SHARE_UNIT), w.alice));
    measure!(
        rows,
        "approve (shares)",
        va.approve(w.bob, U256::from(5 * SHARE_UNIT))
    );
    advance(&w.po, 3_600).await?;
    measure!(
        rows,
        "transfer (new receiver)",
        va.transfer(w.bob, U256::from(10 * SHARE_UNIT))
    );
    advance(&w.po, 3_600).await?;
    measure!(
        rows,
        "transfer (existing receiver)",
        va.transfer(w.bob, U256::from(10 * SHARE_UNIT))
    );
    measure!(
        rows,
        "transferFrom (allowance, new receiver)",
        vb.transferFrom(w.alice, w.carol, U256::from(5 * SHARE_UNIT))
    );
    advance(&w.po, 3_600).await?;
    measure!(rows, "withdraw", va.withdraw(units(10), w.alice, w.alice));
    advance(&w.po, 3_600).await?;
    measure!(
        rows,
        "redeem",
        va.redeem(U256::from(10 * SHARE_UNIT), w.alice, w.alice)
    );
    advance(&w.po, 3_600).await?;
    let earned_tx = TransactionRequest::default()
        .from(w.alice)
        .to(vault)
        .input(ra.earned_0(w.alice, w.reward).calldata().clone().into());
    rows.push(Row {
        op: "earned (eth_estimateGas)",
        gas: w.po.estimate_gas(earned_tx).await?,
        tx: None,
    });
    measure!(rows, "claim([reward])", ra.claim_0(vec![w.reward], w.alice));
    advance(&w.po, 3_600).await?;
    measure!(rows, "claimAll", ra.claimAll_0(w.alice));
    measure!(rows, "claimAll (again, next block)", ra.claimAll_0(w.alice));
    advance(&w.po, 3_600).await?;
    measure!(
        rows,
        "notifyRewardAmount (rolls leftover)",
        r.notifyRewardAmount_0(w.reward, units(7_000))
    );
    advance(&w.po, 3_600).await?;
    measure!(rows, "distribute", r.distribute_0(w.reward, units(1_000)));
    let deadline = U256::from(u64::MAX);
    let value = U256::from(SHARE_UNIT);
    let (pv, pr, ps) = sign_permit(&w.pa, vault, &w.alice_key, w.carol, value, deadline).await?;
    measure!(
        rows,
        "permit",
        vb.permit(w.alice, w.carol, value, deadline, pv, pr, ps)
    );
    let _ = &v;
    Ok(rows)
}

/// Gas a transaction pays before the program runs: 21,000 + calldata (EIP-2028 prices).
fn intrinsic(input: &[u8]) -> u64 {
    21_000
        + input
            .iter()
            .map(|b| if *b == 0 { 4 } else { 16 })
            .sum::<u64>()
}

/// Prints the hostio breakdown of our transaction `hash` (named addresses in `names`).
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
    let tx =
        w.po.get_transaction_by_hash(hash)
            .await?
            .context("no transaction")?;
    use alloy::consensus::Transaction as _;
    let (limit, input) = (tx.inner.gas_limit(), tx.inner.input().clone());
    let frame = gas::stylus_frames(&w.po, hash).await?;
    let base = intrinsic(&input);
    let entry = limit
        .saturating_sub(base)
        .saturating_sub(frame.ink_in / gas::INK_PER_GAS);
    let inside = frame.ink_used() / gas::INK_PER_GAS;
    let rest = receipt.gas_used as i64 - (base + entry + inside) as i64;
    let mut out = String::new();
    let name = |a: Option<Address>| match a {
        None => "vault (tx target)".to_string(),
        Some(a) => names
            .get(&a)
            .map_or_else(|| a.to_string(), |n| n.to_string()),
    };
    gas::render(&frame, &name, &mut out);
    println!(
        "\n### {title}: {} gas used\n- intrinsic (21,000 + calldata): {base}\n- vault program entry \
         (init cost + memory, before the first ink): {entry}\n- inside the vault frame: {inside}\n\
         - after the program (refunds, rounding): {rest}\n{out}",
        receipt.gas_used
    );
    Ok(())
}

fn print_table(title: &str, ours: &[Row], twin: &[Row]) {
    println!("\n## {title}\n\n| operation | Stylus vault | Solidity twin | ratio (ours / twin) |\n|---|---:|---:|---:|");
    for (o, t) in ours.iter().zip(twin) {
        debug_assert_eq!(o.op, t.op);
        println!(
            "| {} | {} | {} | {:.2} |",
            o.op,
            o.gas,
            t.gas,
            o.gas as f64 / t.gas as f64
        );
    }
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> Result<()> {
    let node = node()?;
    anyhow::ensure!(node.keys.len() >= 4, "need four funded accounts");
    let (owner_key, alice_key, bob_key) = (
        node.keys[0].clone(),
        node.keys[1].clone(),
        node.keys[2].clone(),
    );
    let po = provider(&node.url, owner_key.clone())?;
    let asset = deploy_activated(&po, "test-token").await?;
    let reward = deploy_activated(&po, "test-token").await?;
    let w = World {
        pa: provider(&node.url, alice_key.clone())?,
        pb: provider(&node.url, bob_key.clone())?,
        po,
        owner: owner_key.address(),
        alice: alice_key.address(),
        bob: bob_key.address(),
        carol: node.keys[3].address(),
        alice_key,
        asset,
        reward,
    };
    let t = |a| ITestToken::new(a, &w.po);
    t(asset)
        .initialize("Asset".into(), "AST".into(), 18)
        .send()
        .await?
        .get_receipt()
        .await?;
    t(reward)
        .initialize("Reward".into(), "RWD".into(), 18)
        .send()
        .await?
        .get_receipt()
        .await?;
    t(asset)
        .mint(w.alice, units(1_000_000))
        .send()
        .await?
        .get_receipt()
        .await?;
    t(reward)
        .mint(w.owner, units(1_000_000))
        .send()
        .await?
        .get_receipt()
        .await?;

    // Uncached.
    let ours = deploy_ours(&w).await?;
    let twin = deploy_twin(&w).await?;
    let ours_rows = scenario(&w, ours).await.context("Stylus vault, uncached")?;
    let twin_rows = scenario(&w, twin)
        .await
        .context("Solidity twin, uncached")?;

    // Cached: cache every Stylus program, then fresh deployments of both vaults.
    let facet = IStakingVaultRewardsFacet::new(ours, &w.po)
        .rewardsFacet()
        .call()
        .await?;
    let mut cached = true;
    for a in [ours, facet, asset, reward] {
        cached &= gas::cache_program(&w.po, a).await?;
    }
    if !cached {
        println!("note: this node refused ArbWasmCache.cacheProgram: the 'cached' figures below are uncached");
    }
    let ours2 = deploy_ours(&w).await?;
    let twin2 = deploy_twin(&w).await?;
    let ours_cached = scenario(&w, ours2).await.context("Stylus vault, cached")?;
    let twin_cached = scenario(&w, twin2).await.context("Solidity twin, cached")?;

    print_table(
        "Uncached (Stylus programs not in the ArbOS cache)",
        &ours_rows,
        &twin_rows,
    );
    print_table(
        "Cached (vault, facet and test tokens cached via ArbWasmCache.cacheProgram)",
        &ours_cached,
        &twin_cached,
    );
    println!("\n## Side by side\n\n| operation | ours uncached | ours cached | twin (uncached tokens) | twin (cached tokens) | ratio uncached | ratio cached |\n|---|---:|---:|---:|---:|---:|---:|");
    for (((o, oc), t), tc) in ours_rows
        .iter()
        .zip(&ours_cached)
        .zip(&twin_rows)
        .zip(&twin_cached)
    {
        println!(
            "| {} | {} | {} | {} | {} | {:.2} | {:.2} |",
            o.op,
            o.gas,
            oc.gas,
            t.gas,
            tc.gas,
            o.gas as f64 / t.gas as f64,
            oc.gas as f64 / tc.gas as f64
        );
    }

    // For `stylus-yield report`: ours beside the twin (cached tokens).
    let record: Vec<scripts::report::GasRow> = ours_rows
        .iter()
        .zip(&ours_cached)
        .zip(&twin_cached)
        .map(|((o, oc), tc)| scripts::report::GasRow {
            operation: o.op.to_string(),
            uncached: o.gas,
            cached: oc.gas,
            reference: Some(("Solidity twin".into(), tc.gas)),
        })
        .collect();
    scripts::report::write_gas("vault_gas", &record)?;

    let twin_art = solidity::artifact("TwinVault")?;
    println!("\n| code size | bytes |\n|---|---:|");
    for name in ["staking-vault", "staking-vault-rewards-facet", "test-token"] {
        let a = scripts::wasm::artifact(name);
        println!(
            "| {name} (deployable, compressed wasm) | {} |",
            a.deployable_len
        );
    }
    println!("| TwinVault (EVM runtime) | {} |", twin_art.deployed_len);

    // Where our gas goes (cached and uncached runs).
    let mut names = BTreeMap::new();
    names.insert(asset, "asset token (Stylus)");
    names.insert(reward, "reward token (Stylus)");
    names.insert(facet, "rewards facet (delegatecall)");
    let facet2 = IStakingVaultRewardsFacet::new(ours2, &w.po)
        .rewardsFacet()
        .call()
        .await?;
    names.insert(facet2, "rewards facet (delegatecall)");
    println!(
        "\n## Where the Stylus gas goes (stylusTracer, ink converted to gas at 10,000 ink/gas)"
    );
    for (rows, when) in [(&ours_rows, "uncached"), (&ours_cached, "cached")] {
        for op in ["deposit (again, accrues)", "mint", "claim([reward])"] {
            if let Some(hash) = rows.iter().find(|r| r.op == op).and_then(|r| r.tx) {
                breakdown(&w, &format!("{op}, {when}"), hash, &names).await?;
            }
        }
    }
    // Cached, every hot operation: ours (hostios) beside the twin's opcode profile.
    println!("\n## Cached, ours beside the twin's opcode profile (struct logger)");
    for op in [
        "deposit (first, new holder)",
        "deposit (again, accrues)",
        "mint",
        "approve (shares)",
        "transfer (existing receiver)",
        "withdraw",
        "redeem",
        "claim([reward])",
        "claimAll",
        "distribute",
        "permit",
    ] {
        let find = |rows: &[Row]| rows.iter().find(|r| r.op == op).and_then(|r| r.tx);
        if let (Some(ours), Some(twin)) = (find(&ours_cached), find(&twin_cached)) {
            breakdown(&w, &format!("{op}, cached (ours)"), ours, &names).await?;
            let mut out = String::new();
            gas::render_evm(&gas::evm_profile(&w.po, twin).await?, &mut out);
            println!("{out}");
        }
    }
    Ok(())
}
