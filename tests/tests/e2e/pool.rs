//! End-to-end suite of the liquidity pool (issue 17), written once and run against both
//! implementations on a spawned devnode through JSON-RPC: the Stylus programs and their Solidity
//! twins (`e2e::amm`). One node per implementation; the scenarios run in order on shared state
//! (each reads the state it needs afresh):
//! create a pair via the factory (address = off-chain `pairFor`), add liquidity (first and later),
//! swaps both directions and multi-hop through the router (exact in / exact out, tokens and ETH),
//! fee-on-transfer variants, flash swaps by a borrower contract (plain, under-repaid, swapping
//! through another pair inside the callback, same-pair reentry refused with `UniswapV2Locked`, a
//! view read mid-callback refused), a TWAP over `evm_increaseTime` from two accumulator reads, the
//! protocol fee minted to `feeTo`, LP incentives funded and claimed (IRewards), slippage on the
//! output amount and deadline expiry, `removeLiquidityWithPermit`. Every amount is checked against
//! the constant-product formulas computed here, to the wei.
//!
//! Set `STYLUS_RPC_URL` + `PRIVATE_KEY` to run on another node (see `e2e::node`; time travel is
//! skipped there and the time-dependent checks use the real block times).

use alloy::{
    primitives::{Address, Bytes, U256},
    providers::{DynProvider, Provider},
    rpc::types::TransactionReceipt,
    signers::local::PrivateKeySigner,
    sol,
    sol_types::{SolError, SolValue},
};
use anyhow::{bail, ensure, Context, Result};
use e2e::{
    abi::ITestToken,
    amm::{
        self, amount_in, amount_out, sort, Amm, IFlashBorrower, IRewards, IUniswapV2Factory,
        IUniswapV2Pair, Impl, IWETH,
    },
    node, provider,
};

sol! {
    // The pair's and factory's errors (V2's names, prefixed as V2's revert strings are).
    error UniswapV2Locked();
    error UniswapV2InsufficientOutputAmount();
    error UniswapV2InsufficientLiquidity();
    error UniswapV2K();
    error UniswapV2Forbidden();
    error UniswapV2PairExists();
    // The router's.
    error InsufficientOutputAmount();
    error ExcessiveInputAmount();
    error InsufficientBAmount();
    error Expired();
    /// A router's wrapper of a failed inner call (the Stylus router); unwrapped by expect_revert.
    error CallFailed(address target, bytes reason);
    // The reward module's.
    error RewardUnauthorized(address caller);
    error RewardTokenForbidden(address token);
}

const E18: u128 = 1_000_000_000_000_000_000;
const WEEK: u64 = 7 * 24 * 3600;

fn units(n: u128) -> U256 {
    U256::from(n * E18)
}

fn far() -> U256 {
    U256::from(u64::MAX)
}

/// Sends a binding's call and returns its receipt, failing if it reverted.
macro_rules! send {
    ($call:expr) => {{
        let receipt = $call
            .send()
            .await
            .with_context(|| format!("sending {}", stringify!($call)))?
            .get_receipt()
            .await?;
        ensure!(receipt.status(), "reverted: {}", stringify!($call));
        receipt
    }};
}

/// The revert of `r` decoded as `E` (looking inside a router's `CallFailed(target, reason)`), or
/// an error naming what happened instead.
fn expect_revert<E: SolError, T>(r: Result<T, alloy::contract::Error>, what: &str) -> Result<E> {
    let e = match r {
        Ok(_) => bail!("{what}: expected {} but it succeeded", E::SIGNATURE),
        Err(e) => e,
    };
    let mut data = e
        .as_revert_data()
        .with_context(|| format!("{what}: expected {}, got {e}", E::SIGNATURE))?;
    while let Ok(inner) = CallFailed::abi_decode(&data) {
        data = inner.reason;
    }
    E::abi_decode(&data)
        .with_context(|| format!("{what}: expected {}, got revert {data}", E::SIGNATURE))
}

/// Everyone and everything the scenarios share.
struct Ctx {
    amm: Amm,
    po: DynProvider,
    pa: DynProvider,
    pb: DynProvider,
    owner: Address,
    alice: Address,
    bob: Address,
    carol: Address,
    alice_key: PrivateKeySigner,
    a: Address,
    b: Address,
    c: Address,
    fot: Address,
    reward: Address,
    borrower: Address,
}

impl Ctx {
    fn pair(&self, x: Address, y: Address) -> Address {
        self.amm.pair_for(x, y)
    }

    /// Reserves of the pair of (`x`, `y`) in that order.
    async fn reserves(&self, x: Address, y: Address) -> Result<(U256, U256)> {
        let r = IUniswapV2Pair::new(self.pair(x, y), &self.po)
            .getReserves()
            .call()
            .await?;
        let (r0, r1) = (U256::from(r.reserve0), U256::from(r.reserve1));
        Ok(if sort(x, y).0 == x {
            (r0, r1)
        } else {
            (r1, r0)
        })
    }

    async fn balance(&self, token: Address, who: Address) -> Result<U256> {
        Ok(ITestToken::new(token, &self.po)
            .balanceOf(who)
            .call()
            .await?)
    }

    async fn eth(&self, who: Address) -> Result<U256> {
        Ok(self.po.get_balance(who).await?)
    }
}

/// ETH paid for gas by a receipt.
fn gas_cost(r: &TransactionReceipt) -> U256 {
    U256::from(r.gas_used) * U256::from(r.effective_gas_price)
}

async fn block_time(p: &DynProvider, r: &TransactionReceipt) -> Result<u64> {
    let n = r.block_number.context("no block number")?;
    Ok(p.get_block_by_number(n.into())
        .await?
        .context("no block")?
        .header
        .timestamp)
}

async fn latest_time(p: &DynProvider) -> Result<u64> {
    Ok(p.get_block_by_number(Default::default())
        .await?
        .context("no latest block")?
        .header
        .timestamp)
}

/// Time travel through the one helper (`e2e::time_travel`): `false` on an external node, where
/// the clock cannot be moved.
async fn advance(p: &DynProvider, secs: u64) -> Result<bool> {
    e2e::time_travel(p, secs).await
}

async fn setup(kind: Impl) -> Result<(e2e::Node, Ctx)> {
    let node = node()?;
    ensure!(node.keys.len() >= 4, "need four funded accounts");
    let (owner_key, alice_key, bob_key) = (
        node.keys[0].clone(),
        node.keys[1].clone(),
        node.keys[2].clone(),
    );
    let po = provider(&node.url, owner_key.clone())?;
    let pa = provider(&node.url, alice_key.clone())?;
    let pb = provider(&node.url, bob_key.clone())?;
    let owner = owner_key.address();
    let amm = match kind {
        Impl::Solidity => Amm::deploy_solidity(&po, owner).await?,
        Impl::Stylus => Amm::deploy_stylus(&po, owner).await?,
    };
    let a = amm::token(&po, "test-token", "A").await?;
    let b = amm::token(&po, "test-token", "B").await?;
    let c = amm::token(&po, "test-token", "C").await?;
    let fot = amm::token(&po, "test-token-fee-on-transfer", "FOT").await?;
    let reward = amm::token(&po, "test-token", "RWD").await?;
    let borrower = amm::borrower(&po).await?;
    let ctx = Ctx {
        amm,
        owner,
        alice: alice_key.address(),
        bob: bob_key.address(),
        carol: node.keys[3].address(),
        alice_key,
        po,
        pa,
        pb,
        a,
        b,
        c,
        fot,
        reward,
        borrower,
    };
    for t in [a, b, c, fot] {
        let tok = ITestToken::new(t, &ctx.po);
        for who in [ctx.alice, ctx.bob, ctx.borrower] {
            send!(tok.mint(who, units(1_000_000)));
        }
        send!(ITestToken::new(t, &ctx.pa).approve(ctx.amm.router, U256::MAX));
        send!(ITestToken::new(t, &ctx.pb).approve(ctx.amm.router, U256::MAX));
    }
    Ok((node, ctx))
}

/// The whole suite against one implementation.
async fn suite(kind: Impl) -> Result<()> {
    let (_node, ctx) = setup(kind).await.context("setup")?;
    create_pair_and_add_liquidity(&ctx)
        .await
        .context("create pair, add liquidity")?;
    twap(&ctx).await.context("TWAP")?;
    token_swaps(&ctx).await.context("token swaps")?;
    eth_swaps(&ctx).await.context("ETH swaps")?;
    fee_on_transfer(&ctx).await.context("fee-on-transfer")?;
    flash_swaps(&ctx).await.context("flash swaps")?;
    donations(&ctx).await.context("donations: skim and sync")?;
    protocol_fee(&ctx).await.context("protocol fee")?;
    incentives(&ctx).await.context("LP incentives")?;
    slippage_and_deadline(&ctx)
        .await
        .context("slippage and deadline")?;
    remove_with_permit(&ctx)
        .await
        .context("removeLiquidityWithPermit")?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn pool_solidity_twin() -> Result<()> {
    suite(Impl::Solidity).await
}

#[tokio::test(flavor = "multi_thread")]
async fn pool_stylus() -> Result<()> {
    suite(Impl::Stylus).await
}

async fn create_pair_and_add_liquidity(ctx: &Ctx) -> Result<()> {
    let (a, b) = (ctx.a, ctx.b);
    let f = ctx.amm.factory(&ctx.pb);
    let receipt = send!(f.createPair(a, b));
    let ev = receipt
        .inner
        .logs()
        .iter()
        .find_map(|l| l.log_decode::<IUniswapV2Factory::PairCreated>().ok())
        .context("no PairCreated")?
        .inner
        .data;
    let pair = f.getPair(a, b).call().await?;
    ensure!(pair == ctx.pair(a, b), "pair {pair} is not pairFor");
    ensure!(f.getPair(b, a).call().await? == pair);
    ensure!(f.allPairsLength().call().await? == U256::from(1));
    ensure!(f.allPairs(U256::ZERO).call().await? == pair);
    let (t0, t1) = sort(a, b);
    ensure!(ev.token0 == t0 && ev.token1 == t1 && ev.pair == pair && ev._3 == U256::from(1));
    let p = IUniswapV2Pair::new(pair, &ctx.po);
    ensure!(p.token0().call().await? == t0 && p.token1().call().await? == t1);
    ensure!(p.factory().call().await? == ctx.amm.factory);
    ensure!(p.MINIMUM_LIQUIDITY().call().await? == U256::from(1000));
    ensure!(p.decimals().call().await? == 18);
    expect_revert::<UniswapV2PairExists, _>(f.createPair(b, a).call().await, "second createPair")?;

    // First liquidity: sqrt(x*y) - 1000, the 1000 locked.
    let r = ctx.amm.router(&ctx.pa);
    send!(r.addLiquidity(
        a,
        b,
        units(1_000),
        units(4_000),
        U256::ZERO,
        U256::ZERO,
        ctx.alice,
        far()
    ));
    let lp = p.balanceOf(ctx.alice).call().await?;
    ensure!(lp == units(2_000) - U256::from(1000), "first LP {lp}");
    ensure!(p.totalSupply().call().await? == units(2_000));
    ensure!(ctx.reserves(a, b).await? == (units(1_000), units(4_000)));
    // Later liquidity: the router adds at the pool's ratio, shares = min(dx*S/R0, dy*S/R1).
    send!(r.addLiquidity(
        a,
        b,
        units(100),
        units(1_000),
        U256::ZERO,
        U256::ZERO,
        ctx.alice,
        far()
    ));
    ensure!(ctx.reserves(a, b).await? == (units(1_100), units(4_400)));
    ensure!(p.balanceOf(ctx.alice).call().await? == lp + units(200));
    // Multi-hop needs B/C: addLiquidity creates the pair.
    send!(r.addLiquidity(
        b,
        ctx.c,
        units(2_000),
        units(1_000),
        U256::ZERO,
        U256::ZERO,
        ctx.alice,
        far()
    ));
    ensure!(f.getPair(b, ctx.c).call().await? == ctx.pair(b, ctx.c));
    ensure!(f.allPairsLength().call().await? == U256::from(2));
    Ok(())
}

async fn token_swaps(ctx: &Ctx) -> Result<()> {
    let (a, b, c) = (ctx.a, ctx.b, ctx.c);
    let r = ctx.amm.router(&ctx.pb);
    // A -> B, exact in.
    let (ra, rb) = ctx.reserves(a, b).await?;
    let amount = units(10);
    let out = amount_out(amount, ra, rb);
    ensure!(r.getAmountOut(amount, ra, rb).call().await? == out);
    ensure!(r.getAmountsOut(amount, vec![a, b]).call().await? == vec![amount, out]);
    let before = ctx.balance(b, ctx.bob).await?;
    send!(r.swapExactTokensForTokens(amount, out, vec![a, b], ctx.bob, far()));
    ensure!(ctx.balance(b, ctx.bob).await? - before == out);
    ensure!(ctx.reserves(a, b).await? == (ra + amount, rb - out));
    // B -> A, exact out.
    let (rb, ra) = ctx.reserves(b, a).await?;
    let want = units(5);
    let need = amount_in(want, rb, ra);
    ensure!(r.getAmountIn(want, rb, ra).call().await? == need);
    ensure!(r.getAmountsIn(want, vec![b, a]).call().await? == vec![need, want]);
    let (a0, b0) = (
        ctx.balance(a, ctx.bob).await?,
        ctx.balance(b, ctx.bob).await?,
    );
    send!(r.swapTokensForExactTokens(want, need, vec![b, a], ctx.bob, far()));
    ensure!(ctx.balance(a, ctx.bob).await? - a0 == want);
    ensure!(b0 - ctx.balance(b, ctx.bob).await? == need);
    // A -> B -> C, exact in, multi-hop.
    let (ra, rb) = ctx.reserves(a, b).await?;
    let (rb2, rc) = ctx.reserves(b, c).await?;
    let mid = amount_out(amount, ra, rb);
    let out = amount_out(mid, rb2, rc);
    ensure!(r.getAmountsOut(amount, vec![a, b, c]).call().await? == vec![amount, mid, out]);
    let before = ctx.balance(c, ctx.bob).await?;
    send!(r.swapExactTokensForTokens(amount, out, vec![a, b, c], ctx.bob, far()));
    ensure!(ctx.balance(c, ctx.bob).await? - before == out);
    ensure!(ctx.reserves(b, c).await? == (rb2 + mid, rc - out));
    // C -> B -> A, exact out, multi-hop.
    let (rc, rb2) = ctx.reserves(c, b).await?;
    let (rb, ra) = ctx.reserves(b, a).await?;
    let mid = amount_in(want, rb, ra);
    let need = amount_in(mid, rc, rb2);
    ensure!(r.getAmountsIn(want, vec![c, b, a]).call().await? == vec![need, mid, want]);
    let (a0, c0) = (
        ctx.balance(a, ctx.bob).await?,
        ctx.balance(c, ctx.bob).await?,
    );
    send!(r.swapTokensForExactTokens(want, need, vec![c, b, a], ctx.bob, far()));
    ensure!(ctx.balance(a, ctx.bob).await? - a0 == want);
    ensure!(c0 - ctx.balance(c, ctx.bob).await? == need);
    Ok(())
}

async fn eth_swaps(ctx: &Ctx) -> Result<()> {
    let (a, b, weth) = (ctx.a, ctx.b, ctx.amm.weth);
    let ra_ = ctx.amm.router(&ctx.pa);
    let eth_in = units(10);
    send!(ra_
        .addLiquidityETH(a, units(1_000), U256::ZERO, U256::ZERO, ctx.alice, far())
        .value(eth_in));
    ensure!(ctx.reserves(weth, a).await? == (eth_in, units(1_000)));
    let w = IWETH::new(weth, &ctx.po);
    ensure!(w.totalSupply().call().await? == ctx.eth(weth).await?);

    let r = ctx.amm.router(&ctx.pb);
    // ETH -> A, exact in.
    let (rw, ra) = ctx.reserves(weth, a).await?;
    let out = amount_out(units(1), rw, ra);
    let before = ctx.balance(a, ctx.bob).await?;
    send!(r
        .swapExactETHForTokens(out, vec![weth, a], ctx.bob, far())
        .value(units(1)));
    ensure!(ctx.balance(a, ctx.bob).await? - before == out);
    // A -> ETH, exact in.
    let (ra, rw) = ctx.reserves(a, weth).await?;
    let out = amount_out(units(20), ra, rw);
    let eth0 = ctx.eth(ctx.bob).await?;
    let receipt = send!(r.swapExactTokensForETH(units(20), out, vec![a, weth], ctx.bob, far()));
    ensure!(
        ctx.eth(ctx.bob).await? + gas_cost(&receipt) - eth0 == out,
        "ETH out"
    );
    // ETH -> A, exact out, the excess refunded.
    let (rw, ra) = ctx.reserves(weth, a).await?;
    let want = units(3);
    let need = amount_in(want, rw, ra);
    let (eth0, a0) = (ctx.eth(ctx.bob).await?, ctx.balance(a, ctx.bob).await?);
    let receipt = send!(r
        .swapETHForExactTokens(want, vec![weth, a], ctx.bob, far())
        .value(units(5)));
    ensure!(ctx.balance(a, ctx.bob).await? - a0 == want);
    ensure!(
        eth0 - ctx.eth(ctx.bob).await? - gas_cost(&receipt) == need,
        "refund"
    );
    // A -> ETH, exact out.
    let (ra, rw) = ctx.reserves(a, weth).await?;
    let want = units(1) / U256::from(2);
    let need = amount_in(want, ra, rw);
    let (eth0, a0) = (ctx.eth(ctx.bob).await?, ctx.balance(a, ctx.bob).await?);
    let receipt = send!(r.swapTokensForExactETH(want, need, vec![a, weth], ctx.bob, far()));
    ensure!(ctx.eth(ctx.bob).await? + gas_cost(&receipt) - eth0 == want);
    ensure!(a0 - ctx.balance(a, ctx.bob).await? == need);
    // ETH -> A -> B, multi-hop.
    let (rw, ra) = ctx.reserves(weth, a).await?;
    let (ra2, rb) = ctx.reserves(a, b).await?;
    let out = amount_out(amount_out(units(1), rw, ra), ra2, rb);
    let before = ctx.balance(b, ctx.bob).await?;
    send!(r
        .swapExactETHForTokens(out, vec![weth, a, b], ctx.bob, far())
        .value(units(1)));
    ensure!(ctx.balance(b, ctx.bob).await? - before == out);
    // WETH itself: deposit and withdraw.
    let wb = IWETH::new(weth, &ctx.pb);
    send!(wb.deposit().value(units(2)));
    ensure!(wb.balanceOf(ctx.bob).call().await? == units(2));
    send!(wb.withdraw(units(2)));
    ensure!(wb.balanceOf(ctx.bob).call().await? == U256::ZERO);
    ensure!(w.totalSupply().call().await? == ctx.eth(weth).await?);
    Ok(())
}

async fn fee_on_transfer(ctx: &Ctx) -> Result<()> {
    let (a, fot, weth) = (ctx.a, ctx.fot, ctx.amm.weth);
    let hundredth = |x: U256| x - x / U256::from(100); // what arrives after the 1 % burn
    let ra_ = ctx.amm.router(&ctx.pa);
    send!(ra_.addLiquidity(
        fot,
        a,
        units(1_000),
        units(1_000),
        U256::ZERO,
        U256::ZERO,
        ctx.alice,
        far()
    ));
    ensure!(ctx.reserves(fot, a).await? == (hundredth(units(1_000)), units(1_000)));

    let r = ctx.amm.router(&ctx.pb);
    // FOT -> A: priced on what arrived.
    let (rf, ra) = ctx.reserves(fot, a).await?;
    let out = amount_out(hundredth(units(100)), rf, ra);
    let before = ctx.balance(a, ctx.bob).await?;
    send!(r.swapExactTokensForTokensSupportingFeeOnTransferTokens(
        units(100),
        out,
        vec![fot, a],
        ctx.bob,
        far()
    ));
    ensure!(ctx.balance(a, ctx.bob).await? - before == out);
    // The plain variant prices the amount sent, so the pair's invariant check refuses it.
    expect_revert::<UniswapV2K, _>(
        r.swapExactTokensForTokens(units(100), U256::ZERO, vec![fot, a], ctx.bob, far())
            .call()
            .await,
        "plain swap of a fee-on-transfer token",
    )?;
    // A -> FOT: the minimum is checked on what the receiver got.
    let (ra, rf) = ctx.reserves(a, fot).await?;
    let out = amount_out(units(10), ra, rf);
    let got = hundredth(out);
    expect_revert::<InsufficientOutputAmount, _>(
        r.swapExactTokensForTokensSupportingFeeOnTransferTokens(
            units(10),
            got + U256::from(1),
            vec![a, fot],
            ctx.bob,
            far(),
        )
        .call()
        .await,
        "FOT output below the minimum",
    )?;
    let before = ctx.balance(fot, ctx.bob).await?;
    send!(r.swapExactTokensForTokensSupportingFeeOnTransferTokens(
        units(10),
        got,
        vec![a, fot],
        ctx.bob,
        far()
    ));
    ensure!(ctx.balance(fot, ctx.bob).await? - before == got);
    // ETH legs: ETH -> FOT and FOT -> ETH.
    send!(ra_
        .addLiquidityETH(fot, units(100), U256::ZERO, U256::ZERO, ctx.alice, far())
        .value(units(1)));
    let (rw, rf) = ctx.reserves(weth, fot).await?;
    let got = hundredth(amount_out(units(1) / U256::from(10), rw, rf));
    let before = ctx.balance(fot, ctx.bob).await?;
    send!(r
        .swapExactETHForTokensSupportingFeeOnTransferTokens(got, vec![weth, fot], ctx.bob, far())
        .value(units(1) / U256::from(10)));
    ensure!(ctx.balance(fot, ctx.bob).await? - before == got);
    let (rf, rw) = ctx.reserves(fot, weth).await?;
    let out = amount_out(hundredth(units(5)), rf, rw);
    let eth0 = ctx.eth(ctx.bob).await?;
    let receipt = send!(r.swapExactTokensForETHSupportingFeeOnTransferTokens(
        units(5),
        out,
        vec![fot, weth],
        ctx.bob,
        far()
    ));
    ensure!(ctx.eth(ctx.bob).await? + gas_cost(&receipt) - eth0 == out);
    // Remove the FOT/ETH liquidity: the router forwards what it received.
    let pair = IUniswapV2Pair::new(ctx.pair(fot, weth), &ctx.pa);
    let lp = pair.balanceOf(ctx.alice).call().await?;
    send!(pair.approve(ctx.amm.router, lp));
    let supply = pair.totalSupply().call().await?;
    let (rf, rw) = ctx.reserves(fot, weth).await?;
    let (f_out, w_out) = (lp * rf / supply, lp * rw / supply);
    let (eth0, f0) = (
        ctx.eth(ctx.alice).await?,
        ctx.balance(fot, ctx.alice).await?,
    );
    let receipt = send!(ra_.removeLiquidityETHSupportingFeeOnTransferTokens(
        fot,
        lp,
        U256::ZERO,
        w_out,
        ctx.alice,
        far()
    ));
    ensure!(ctx.eth(ctx.alice).await? + gas_cost(&receipt) - eth0 == w_out);
    ensure!(ctx.balance(fot, ctx.alice).await? - f0 == hundredth(hundredth(f_out)));
    Ok(())
}

/// The borrower's plan encoding.
fn plan(flags: u64, repay_token: Address, repay: U256) -> IFlashBorrower::Plan {
    IFlashBorrower::Plan {
        flags: U256::from(flags),
        repayToken: repay_token,
        repayAmount: repay,
        other: Address::ZERO,
        otherTokenIn: Address::ZERO,
        otherAmountIn: U256::ZERO,
        otherOut0: U256::ZERO,
        otherOut1: U256::ZERO,
    }
}

async fn flash_swaps(ctx: &Ctx) -> Result<()> {
    let (a, b, c) = (ctx.a, ctx.b, ctx.c);
    let pair = ctx.pair(a, b);
    let (t0, _) = sort(a, b);
    let fb = IFlashBorrower::new(ctx.borrower, &ctx.pb);
    let out = units(10);
    // The fee on a flash swap: repay out * 1000 / 997 (rounded up).
    let repay = out * U256::from(1000) / U256::from(997) + U256::from(1);
    let (r0, r1) = ctx.reserves(t0, if t0 == a { b } else { a }).await?;
    let enc = |p: IFlashBorrower::Plan| Bytes::from(p.abi_encode());
    send!(fb.flash(pair, out, U256::ZERO, enc(plan(0, t0, repay))));
    ensure!(fb.calls().call().await? == U256::from(1));
    ensure!(fb.lastSender().call().await? == ctx.borrower);
    ensure!(fb.lastAmount0().call().await? == out && fb.lastAmount1().call().await? == U256::ZERO);
    let other = if t0 == a { b } else { a };
    ensure!(ctx.reserves(t0, other).await? == (r0 + repay - out, r1));
    // Repaying without the fee breaks the invariant.
    expect_revert::<UniswapV2K, _>(
        fb.flash(pair, out, U256::ZERO, enc(plan(0, t0, out)))
            .call()
            .await,
        "flash swap repaid without the fee",
    )?;
    // Inside the callback: a swap through another pair (B/C), then repay.
    let (rb, rc) = ctx.reserves(b, c).await?;
    let c_out = amount_out(units(5), rb, rc);
    let mut p = plan(1, t0, repay);
    p.other = ctx.pair(b, c);
    p.otherTokenIn = b;
    p.otherAmountIn = units(5);
    (p.otherOut0, p.otherOut1) = if sort(b, c).0 == b {
        (U256::ZERO, c_out)
    } else {
        (c_out, U256::ZERO)
    };
    let before = ctx.balance(c, ctx.borrower).await?;
    send!(fb.flash(pair, out, U256::ZERO, enc(p)));
    ensure!(ctx.balance(c, ctx.borrower).await? - before == c_out);
    // Same-pair reentry from the callback is refused with the named lock error.
    send!(fb.flash(pair, out, U256::ZERO, enc(plan(4, t0, repay))));
    ensure!(
        !fb.reentryAnswered().call().await?,
        "sync() re-entered the pair"
    );
    let data = fb.reentryRevert().call().await?;
    ensure!(
        data.as_ref() == UniswapV2Locked::SELECTOR,
        "reentry reverted with {data}, not UniswapV2Locked()"
    );
    // ... and, uncaught, fails the whole flash swap.
    ensure!(
        fb.flash(pair, out, U256::ZERO, enc(plan(8, t0, repay)))
            .call()
            .await
            .is_err(),
        "an uncaught reentry must fail the flash swap"
    );
    // Read-only reentrancy: the reserves are not served mid-swap (they would be stale).
    send!(fb.flash(pair, out, U256::ZERO, enc(plan(2, t0, repay))));
    ensure!(
        !fb.viewAnswered().call().await?,
        "getReserves answered mid-swap"
    );
    let data = fb.viewRevert().call().await?;
    ensure!(
        data.as_ref() == UniswapV2Locked::SELECTOR,
        "mid-swap getReserves reverted with {data}, not UniswapV2Locked()"
    );
    Ok(())
}

/// A donation moves no price until `sync` absorbs it; `skim` returns exactly what exceeds the
/// reserves; the reserves equal the balances after both.
async fn donations(ctx: &Ctx) -> Result<()> {
    let (a, b) = (ctx.a, ctx.b);
    let pair = ctx.pair(a, b);
    let p = IUniswapV2Pair::new(pair, &ctx.pb);
    let (ra, rb) = ctx.reserves(a, b).await?;
    send!(ITestToken::new(a, &ctx.pb).transfer(pair, units(7)));
    ensure!(
        ctx.reserves(a, b).await? == (ra, rb),
        "a donation moved the reserves"
    );
    let before = ctx.balance(a, ctx.carol).await?;
    send!(p.skim(ctx.carol));
    ensure!(ctx.balance(a, ctx.carol).await? - before == units(7));
    ensure!(ctx.balance(a, pair).await? == ra && ctx.balance(b, pair).await? == rb);
    send!(ITestToken::new(b, &ctx.pb).transfer(pair, units(3)));
    send!(p.sync());
    ensure!(ctx.reserves(a, b).await? == (ra, rb + units(3)));
    Ok(())
}

/// UQ112x112 price of `y` in `x`: (y << 112) / x.
fn uq(x: U256, y: U256) -> U256 {
    (y << 112) / x
}

async fn twap(ctx: &Ctx) -> Result<()> {
    let (a, b) = (ctx.a, ctx.b);
    let (t0, t1) = sort(a, b);
    let p = IUniswapV2Pair::new(ctx.pair(a, b), &ctx.pb);
    let r = send!(p.sync());
    let t_1 = block_time(&ctx.po, &r).await?;
    let (c0_1, c1_1) = (
        p.price0CumulativeLast().call().await?,
        p.price1CumulativeLast().call().await?,
    );
    let res = p.getReserves().call().await?;
    ensure!(u64::from(res.blockTimestampLast) == t_1 % (1 << 32));
    let (x0, y0) = ctx.reserves(t0, t1).await?;
    // On an external node the clock cannot be moved: the accumulators are checked at the real
    // block times (seconds apart at most), the time-weighted average only if time passed.
    let traveled = advance(&ctx.po, 1_000).await?;
    let r = send!(ctx.amm.router(&ctx.pb).swapExactTokensForTokens(
        units(50),
        U256::ZERO,
        vec![t0, t1],
        ctx.bob,
        far()
    ));
    let t_s = block_time(&ctx.po, &r).await?;
    let (x1, y1) = ctx.reserves(t0, t1).await?;
    advance(&ctx.po, 2_000).await?;
    let r = send!(p.sync());
    let t_2 = block_time(&ctx.po, &r).await?;
    let (c0_2, c1_2) = (
        p.price0CumulativeLast().call().await?,
        p.price1CumulativeLast().call().await?,
    );
    // (Blocks mined faster than one a second run ahead of the wall clock, so a jump of N
    // seconds can add fewer than N to the block time: use the block times, not the jumps.)
    ensure!(
        !traveled || (t_s > t_1 + 100 && t_2 > t_s + 100),
        "time did not advance: {t_1}, {t_s}, {t_2}"
    );
    let (d1, d2) = (U256::from(t_s - t_1), U256::from(t_2 - t_s));
    // The accumulators grow by price x seconds at the reserves in force (modulo 2^256).
    let want0 = uq(x0, y0) * d1 + uq(x1, y1) * d2;
    let want1 = uq(y0, x0) * d1 + uq(y1, x1) * d2;
    ensure!(c0_2.wrapping_sub(c0_1) == want0, "price0 accumulator");
    ensure!(c1_2.wrapping_sub(c1_1) == want1, "price1 accumulator");
    if (d1 + d2).is_zero() {
        e2e::skipped("no time passed between the TWAP observations: average not checked");
        return Ok(());
    }
    // The time-weighted average price of token0 in token1 lies between the two spot prices.
    let avg = c0_2.wrapping_sub(c0_1) / (d1 + d2);
    let (spot0, spot1) = (uq(x0, y0), uq(x1, y1));
    ensure!(
        avg <= spot0.max(spot1) && avg >= spot0.min(spot1),
        "TWAP outside the spots"
    );
    let scale = 2f64.powi(112);
    let (avg_f, want_f) = (
        f64::from(avg) / scale,
        (f64::from(spot0) * d1.to::<u64>() as f64 + f64::from(spot1) * d2.to::<u64>() as f64)
            / (d1 + d2).to::<u64>() as f64
            / scale,
    );
    ensure!(
        (avg_f - want_f).abs() / want_f < 1e-9,
        "TWAP {avg_f} vs {want_f}"
    );
    Ok(())
}

async fn protocol_fee(ctx: &Ctx) -> Result<()> {
    let (a, b) = (ctx.a, ctx.b);
    let f = ctx.amm.factory(&ctx.po);
    expect_revert::<UniswapV2Forbidden, _>(
        ctx.amm.factory(&ctx.pb).setFeeTo(ctx.bob).call().await,
        "setFeeTo by a stranger",
    )?;
    send!(f.setFeeTo(ctx.carol));
    ensure!(f.feeTo().call().await? == ctx.carol);
    let p = IUniswapV2Pair::new(ctx.pair(a, b), &ctx.pa);
    let r = ctx.amm.router(&ctx.pa);
    // A liquidity event records kLast.
    send!(r.addLiquidity(
        a,
        b,
        units(10),
        units(100),
        U256::ZERO,
        U256::ZERO,
        ctx.alice,
        far()
    ));
    let (ra, rb) = ctx.reserves(a, b).await?;
    let k_last = p.kLast().call().await?;
    ensure!(k_last == ra * rb, "kLast {k_last}");
    ensure!(p.balanceOf(ctx.carol).call().await? == U256::ZERO);
    // Swaps grow k.
    let rb_ = ctx.amm.router(&ctx.pb);
    for _ in 0..3 {
        send!(rb_.swapExactTokensForTokens(units(40), U256::ZERO, vec![a, b], ctx.bob, far()));
        send!(rb_.swapExactTokensForTokens(units(150), U256::ZERO, vec![b, a], ctx.bob, far()));
    }
    let (ra, rb) = ctx.reserves(a, b).await?;
    let supply = p.totalSupply().call().await?;
    let (root_k, root_last) = ((ra * rb).root(2), k_last.root(2));
    ensure!(root_k > root_last, "k did not grow");
    let fee = supply * (root_k - root_last) / (root_k * U256::from(5) + root_last);
    ensure!(fee > U256::ZERO);
    // The next liquidity event mints it to feeTo.
    let lp = units(1);
    send!(p.approve(ctx.amm.router, lp));
    send!(r.removeLiquidity(a, b, lp, U256::ZERO, U256::ZERO, ctx.alice, far()));
    ensure!(p.balanceOf(ctx.carol).call().await? == fee, "feeTo's LP");
    let (ra, rb) = ctx.reserves(a, b).await?;
    ensure!(p.kLast().call().await? == ra * rb);
    // Off again: the next liquidity event clears kLast.
    send!(f.setFeeTo(Address::ZERO));
    send!(r.addLiquidity(
        a,
        b,
        units(1),
        units(10),
        U256::ZERO,
        U256::ZERO,
        ctx.alice,
        far()
    ));
    ensure!(p.kLast().call().await? == U256::ZERO);
    Ok(())
}

async fn incentives(ctx: &Ctx) -> Result<()> {
    let (a, b, reward) = (ctx.a, ctx.b, ctx.reward);
    let pair = ctx.pair(a, b);
    let ro = IRewards::new(pair, &ctx.po);
    expect_revert::<RewardUnauthorized, _>(
        IRewards::new(pair, &ctx.pb)
            .addReward_0(reward, ctx.bob, U256::from(WEEK))
            .call()
            .await,
        "addReward by a stranger",
    )?;
    expect_revert::<RewardTokenForbidden, _>(
        ro.addReward_0(a, ctx.owner, U256::from(WEEK)).call().await,
        "a pool token as reward",
    )?;
    send!(ro.addReward_0(reward, ctx.owner, U256::from(WEEK)));
    ensure!(ro.rewardTokens_0().call().await? == vec![reward]);
    let funding = units(7_000);
    let rt = ITestToken::new(reward, &ctx.po);
    send!(rt.mint(ctx.owner, funding));
    send!(rt.approve(pair, funding));
    let r = send!(ro.notifyRewardAmount_0(reward, funding));
    let t_notify = block_time(&ctx.po, &r).await?;
    let rate = funding * units(1) / U256::from(WEEK);

    let p = IUniswapV2Pair::new(pair, &ctx.pa);
    // The rewarded supply: the locked MINIMUM_LIQUIDITY and LP parked in the pair earn nothing.
    let supply =
        p.totalSupply().call().await? - U256::from(1000) - p.balanceOf(pair).call().await?;
    let lp = p.balanceOf(ctx.alice).call().await?;
    advance(&ctx.po, 86_400).await?;
    // Alice claims; nothing moved LP since the funding, so the index is one step.
    let r = send!(IRewards::new(pair, &ctx.pa).claimAll_0(ctx.alice));
    let dt = U256::from(block_time(&ctx.po, &r).await? - t_notify);
    let index = rate * dt * units(1) / supply;
    let want = lp * index / (units(1) * units(1));
    ensure!(
        ctx.balance(reward, ctx.alice).await? == want,
        "claimed vs formula {want}"
    );
    ensure!(ro.earned_0(ctx.alice, reward).call().await? == U256::ZERO);
    // LP transfers checkpoint both sides: Bob earns only from when he holds.
    let half = lp / U256::from(2);
    let r = send!(p.transfer(ctx.bob, half));
    let t_transfer = block_time(&ctx.po, &r).await?;
    ensure!(ro.earned_0(ctx.bob, reward).call().await? == U256::ZERO);
    advance(&ctx.po, 3_600).await?;
    let r = send!(IRewards::new(pair, &ctx.pb).claimAll_0(ctx.bob));
    let dt = U256::from(block_time(&ctx.po, &r).await? - t_transfer);
    let want = half * (rate * dt * units(1) / supply) / (units(1) * units(1));
    let paid = r
        .inner
        .logs()
        .iter()
        .find_map(|l| l.log_decode::<IRewards::RewardPaid>().ok())
        .context("no RewardPaid")?
        .inner
        .data;
    ensure!(paid.account == ctx.bob && paid.token == reward && paid.to == ctx.bob);
    ensure!(
        paid.amount == want,
        "Bob paid {} vs formula {want}",
        paid.amount
    );
    ensure!(ctx.balance(reward, ctx.bob).await? == want);
    Ok(())
}

async fn slippage_and_deadline(ctx: &Ctx) -> Result<()> {
    let (a, b) = (ctx.a, ctx.b);
    let r = ctx.amm.router(&ctx.pb);
    let (ra, rb) = ctx.reserves(a, b).await?;
    let out = amount_out(units(10), ra, rb);
    expect_revert::<InsufficientOutputAmount, _>(
        r.swapExactTokensForTokens(units(10), out + U256::from(1), vec![a, b], ctx.bob, far())
            .call()
            .await,
        "exact-in output below the minimum",
    )?;
    let need = amount_in(units(10), rb, ra);
    expect_revert::<ExcessiveInputAmount, _>(
        r.swapTokensForExactTokens(units(10), need - U256::from(1), vec![b, a], ctx.bob, far())
            .call()
            .await,
        "exact-out input above the maximum",
    )?;
    let past = U256::from(latest_time(&ctx.po).await? - 1);
    expect_revert::<Expired, _>(
        r.swapExactTokensForTokens(units(10), U256::ZERO, vec![a, b], ctx.bob, past)
            .call()
            .await,
        "expired swap",
    )?;
    expect_revert::<Expired, _>(
        r.addLiquidity(
            a,
            b,
            units(1),
            units(4),
            U256::ZERO,
            U256::ZERO,
            ctx.bob,
            past,
        )
        .call()
        .await,
        "expired addLiquidity",
    )?;
    // addLiquidity: B at the pool's ratio is below Bob's minimum.
    let b_opt = units(10) * rb / ra;
    expect_revert::<InsufficientBAmount, _>(
        r.addLiquidity(
            a,
            b,
            units(10),
            units(1_000),
            U256::ZERO,
            b_opt + U256::from(1),
            ctx.bob,
            far(),
        )
        .call()
        .await,
        "addLiquidity below amountBMin",
    )?;
    // The pair itself: nothing out, or more than the reserves.
    let p = IUniswapV2Pair::new(ctx.pair(a, b), &ctx.pb);
    expect_revert::<UniswapV2InsufficientOutputAmount, _>(
        p.swap(U256::ZERO, U256::ZERO, ctx.bob, Bytes::new())
            .call()
            .await,
        "pair.swap(0, 0)",
    )?;
    // The pair's fee-adjusted invariant at its boundary: with `amount` paid in, one wei more than
    // getAmountOut breaks it (UniswapV2K), getAmountOut itself passes.
    let (t0, t1) = sort(a, b);
    let (r0, r1) = ctx.reserves(t0, t1).await?;
    let amount = units(3);
    let out = amount_out(amount, r0, r1);
    send!(ITestToken::new(t0, &ctx.pb).transfer(*p.address(), amount));
    expect_revert::<UniswapV2K, _>(
        p.swap(U256::ZERO, out + U256::from(1), ctx.bob, Bytes::new())
            .call()
            .await,
        "pair.swap one wei above getAmountOut",
    )?;
    let before = ctx.balance(t1, ctx.bob).await?;
    send!(p.swap(U256::ZERO, out, ctx.bob, Bytes::new()));
    ensure!(ctx.balance(t1, ctx.bob).await? - before == out);
    let res = p.getReserves().call().await?;
    expect_revert::<UniswapV2InsufficientLiquidity, _>(
        p.swap(U256::from(res.reserve0), U256::ZERO, ctx.bob, Bytes::new())
            .call()
            .await,
        "pair.swap(all of reserve0)",
    )?;
    Ok(())
}

async fn remove_with_permit(ctx: &Ctx) -> Result<()> {
    let (a, b) = (ctx.a, ctx.b);
    let pair = ctx.pair(a, b);
    let p = IUniswapV2Pair::new(pair, &ctx.pa);
    let lp = p.balanceOf(ctx.alice).call().await?;
    let nonce = p.nonces(ctx.alice).call().await?;
    let (v, r_, s) =
        amm::sign_permit(&ctx.pa, pair, &ctx.alice_key, ctx.amm.router, lp, far()).await?;
    let supply = p.totalSupply().call().await?;
    let (ra, rb) = ctx.reserves(a, b).await?;
    let (want_a, want_b) = (lp * ra / supply, lp * rb / supply);
    let (a0, b0) = (
        ctx.balance(a, ctx.alice).await?,
        ctx.balance(b, ctx.alice).await?,
    );
    let router = ctx.amm.router(&ctx.pa);
    send!(router.removeLiquidityWithPermit(
        a,
        b,
        lp,
        want_a,
        want_b,
        ctx.alice,
        far(),
        false,
        v,
        r_,
        s
    ));
    ensure!(p.balanceOf(ctx.alice).call().await? == U256::ZERO);
    ensure!(p.nonces(ctx.alice).call().await? == nonce + U256::from(1));
    ensure!(ctx.balance(a, ctx.alice).await? - a0 == want_a);
    ensure!(ctx.balance(b, ctx.alice).await? - b0 == want_b);
    ensure!(ctx.reserves(a, b).await? == (ra - want_a, rb - want_b));
    // The signature cannot be replayed.
    ensure!(
        router
            .removeLiquidityWithPermit(
                a,
                b,
                lp,
                U256::ZERO,
                U256::ZERO,
                ctx.alice,
                far(),
                false,
                v,
                r_,
                s
            )
            .call()
            .await
            .is_err(),
        "a permit was replayed"
    );
    Ok(())
}
