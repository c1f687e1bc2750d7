//! The demo's walk through every stream, phase by phase (all products side by side on one clock):
//!
//! * t0: alice deposits into the vault (its stream starts), adds sUSD/sETH liquidity (the pair's
//!   stream starts), supplies sUSD to the market (the supply stream starts), mints SYART; dave
//!   posts sETH and borrows sUSD; carol swaps sUSD → sETH → sUSD (fees to alice alone) and pays
//!   an NFT royalty (its holders' part to alice alone);
//! * +1 day: bob does the same four; carol trades and pays a royalty again (shared);
//! * +2 days: everyone claims; bob redeems; LPs remove their liquidity; dave repays; suppliers
//!   withdraw; the NFT's creators withdraw their split.
//!
//! Each transaction's outcome is checked against [`super::models`] at its block timestamp.

use alloy::network::TransactionBuilder;
use alloy::primitives::{Address, U256};
use alloy::providers::DynProvider;
use alloy::rpc::types::{TransactionReceipt, TransactionRequest};
use anyhow::{anyhow, Context, Result};

use super::models::{units, MarketModel, PairModel, SplitModel, StreamModel};
use super::nft::{Creator, Holder};
#[allow(unused_imports)]
use super::{
    block_time, check, increase_time, send, ActionGas, Counterparties, Scenario, Stream, StreamRow,
    User, UserResult,
};
use crate::bindings::{IMarketViews, Market};
use crate::deploy::{seeded_market, DeployReport, Deployer};
use crate::params::{nft_creators, NFT_CREATORS, NFT_HOLDER_BPS, SETH_PRICE};
use crate::suite::{IStakingVault, ITestToken, SuiteContract, REWARD_DURATION_SECS};
use crate::ui::Progress;

/// What the walk produced.
pub(super) struct Walked {
    pub rows: Vec<StreamRow>,
    pub vault_users: Vec<UserResult>,
    pub actions: Vec<ActionGas>,
    pub counterparties: Counterparties,
}

/// One LP's position.
#[derive(Default, Clone)]
pub(super) struct Lp {
    pub(super) usd_in: U256,
    pub(super) eth_in: U256,
    pub(super) lp: U256,
    pub(super) t_in: u64,
    pub(super) usd_out: U256,
    pub(super) eth_out: U256,
    pub(super) t_out: u64,
    pub(super) incentives: U256,
    pub(super) incentives_formula: U256,
    pub(super) t_claim: u64,
    pub(super) gas: Vec<(String, u64)>,
    pub(super) claim_gas: u64,
}

/// One supplier's position.
#[derive(Default, Clone)]
pub(super) struct Supply {
    pub(super) assets_in: U256,
    pub(super) shares: U256,
    pub(super) t_in: u64,
    pub(super) assets_out: U256,
    pub(super) assets_formula: U256,
    pub(super) t_out: u64,
    pub(super) incentives: U256,
    pub(super) incentives_formula: U256,
    pub(super) t_claim: u64,
    pub(super) gas: Vec<(String, u64)>,
    pub(super) claim_gas: u64,
}

pub(super) struct Addrs {
    pub(super) asset: Address,
    pub(super) reward: Address,
    pub(super) collateral: Address,
    pub(super) vault: Address,
    pub(super) router: Address,
    pub(super) pair: Address,
    pub(super) market: Address,
    pub(super) params: Market,
    pub(super) feed: Address,
    pub(super) weth: Address,
    pub(super) nft: Address,
}

pub(super) struct Walk<'a> {
    pub(super) sc: &'a Scenario,
    pub(super) dev: &'a Deployer,
    pub(super) users: &'a [User; 4],
    pub(super) progress: &'a Progress,
    pub(super) a: Addrs,
    pub(super) actions: Vec<ActionGas>,
    pub(super) vault_stream: StreamModel,
    pub(super) pair_stream: StreamModel,
    pub(super) supply_stream: StreamModel,
    pub(super) pair: PairModel,
    pub(super) market: MarketModel,
    pub(super) vault: Vec<UserResult>,
    pub(super) lp: [Lp; 2],
    pub(super) supply: [Supply; 2],
    pub(super) cp: Counterparties,
    pub(super) dave_borrow_shares: U256,
    /// Entry block time of alice's and bob's vault deposits.
    pub(super) vault_t: [u64; 2],
    /// Block time of their vault claims.
    pub(super) vault_claim_t: [u64; 2],
    /// The NFT holders' royalty stream (weights: tokens held).
    pub(super) nft_stream: StreamModel,
    /// The NFT's holders / creators split.
    pub(super) split: SplitModel,
    pub(super) nft_holders: [Holder; 2],
    pub(super) nft_creators: Vec<Creator>,
    /// Block time of the first mint.
    pub(super) nft_opened: u64,
}

pub(super) const ALICE: usize = 0;
pub(super) const BOB: usize = 1;
pub(super) const CAROL: usize = 2;
pub(super) const DAVE: usize = 3;

pub(super) fn deadline() -> U256 {
    U256::MAX
}

/// Runs the walk on a deployed suite.
pub(super) async fn walk(
    sc: &Scenario,
    dev: &Deployer,
    deployment: &DeployReport,
    users: &[User; 4],
    progress: &Progress,
) -> Result<Walked> {
    let record = &deployment.deployments;
    let addr = |c: SuiteContract| {
        record
            .address(c)
            .ok_or_else(|| anyhow!("{} missing after deployment", c.key()))
    };
    let params = seeded_market(record)?;
    let pair = dev.demo_pair(record).await?;
    let a = Addrs {
        asset: addr(SuiteContract::AssetToken)?,
        reward: addr(SuiteContract::RewardToken)?,
        collateral: addr(SuiteContract::CollateralToken)?,
        vault: addr(SuiteContract::Vault)?,
        router: addr(SuiteContract::Router)?,
        pair,
        market: addr(SuiteContract::LendingMarket)?,
        params,
        feed: addr(SuiteContract::PriceFeed)?,
        weth: addr(SuiteContract::Weth)?,
        nft: addr(SuiteContract::RoyaltyNft)?,
    };
    // The market's clock starts at its creation (no borrow yet: no interest before).
    let created = IMarketViews::new(a.market, dev.provider())
        .market(params.id())
        .call()
        .await
        .map_err(|e| anyhow!("market(id): {e}"))?
        ._4;
    let mut w = Walk {
        sc,
        dev,
        users,
        progress,
        a,
        actions: Vec::new(),
        vault_stream: StreamModel::new(),
        pair_stream: StreamModel::new(),
        supply_stream: StreamModel::new(),
        pair: PairModel::default(),
        market: MarketModel::new(created as u64),
        vault: users[..2]
            .iter()
            .map(|u| UserResult {
                name: u.name.clone(),
                address: u.address,
                deposited: U256::ZERO,
                shares: U256::ZERO,
                earned_before_claim: U256::ZERO,
                claimed: U256::ZERO,
                expected: U256::ZERO,
                gas: Vec::new(),
            })
            .collect(),
        lp: Default::default(),
        supply: Default::default(),
        cp: Counterparties::default(),
        dave_borrow_shares: U256::ZERO,
        vault_t: [0; 2],
        vault_claim_t: [0; 2],
        nft_stream: StreamModel::new(),
        split: SplitModel::new(NFT_HOLDER_BPS, nft_creators()),
        nft_holders: Default::default(),
        nft_creators: NFT_CREATORS
            .iter()
            .zip(nft_creators())
            .map(|((name, _), (address, share_bps))| Creator {
                name: (*name).into(),
                address,
                share_bps,
                ..Creator::default()
            })
            .collect(),
        nft_opened: 0,
    };
    w.fund().await?;
    // t0
    w.vault_deposit(ALICE, sc.first_deposit).await?;
    w.vault_notify().await?;
    w.add_liquidity(ALICE).await?;
    w.pair_notify().await?;
    w.supply(ALICE).await?;
    w.supply_notify().await?;
    w.borrow().await?;
    w.round_trip().await?;
    w.nft_mint(ALICE, sc.alice_nfts).await?;
    w.nft_royalty().await?;
    // +1 day
    let step = progress.start(format!("+{}h", sc.second_after / 3600));
    increase_time(dev.provider(), sc.second_after).await?;
    step.done("");
    w.vault_deposit(BOB, sc.second_deposit).await?;
    w.add_liquidity(BOB).await?;
    w.supply(BOB).await?;
    w.round_trip().await?;
    w.nft_mint(BOB, sc.bob_nfts).await?;
    w.nft_royalty().await?;
    // +2 days
    let step = progress.start(format!("+{}h", sc.claim_after / 3600));
    increase_time(dev.provider(), sc.claim_after).await?;
    step.done("");
    w.vault_claims().await?;
    w.vault_exit().await?;
    for i in [ALICE, BOB] {
        w.pair_claim(i).await?;
        w.remove_liquidity(i).await?;
    }
    w.repay().await?;
    for i in [ALICE, BOB] {
        w.supply_claim(i).await?;
        w.withdraw(i).await?;
    }
    for i in [ALICE, BOB] {
        w.nft_claim(i).await?;
    }
    w.nft_creators_withdraw().await?;
    let rows = w.rows()?;
    Ok(Walked {
        rows,
        vault_users: w.vault,
        actions: w.actions,
        counterparties: w.cp,
    })
}

impl Walk<'_> {
    pub(super) fn p(&self, i: usize) -> &DynProvider {
        &self.users[i].provider
    }

    pub(super) fn who(&self, i: usize) -> Address {
        self.users[i].address
    }

    pub(super) fn log(&mut self, name: &str, r: &TransactionReceipt) -> u64 {
        self.actions.push(ActionGas {
            action: name.into(),
            gas_used: r.gas_used,
        });
        r.gas_used
    }

    pub(super) async fn time(&self, r: &TransactionReceipt) -> Result<u64> {
        block_time(self.dev.provider(), r).await
    }

    pub(super) async fn balance(&self, token: Address, who: Address) -> Result<U256> {
        ITestToken::new(token, self.dev.provider())
            .balanceOf(who)
            .call()
            .await
            .map_err(|e| anyhow!("balanceOf: {e}"))
    }

    /// ETH for gas from the dev account, tokens minted, every approval given.
    async fn fund(&mut self) -> Result<()> {
        let sc = self.sc;
        let step = self
            .progress
            .start("fund users (ETH from the dev account, tokens minted, approvals)");
        let a = &self.a;
        let (asset, coll, reward) = (a.asset, a.collateral, a.reward);
        let (vault, router, market, pair) = (a.vault, a.router, a.market, a.pair);
        for i in 0..4 {
            let who = self.who(i);
            let tx = TransactionRequest::default()
                .with_to(who)
                .with_value(sc.user_gas_money);
            let r = self.dev.send_tx(tx).await.context("funding a demo user")?;
            self.log("ETH transfer", &r);
            let (usd, eth) = match i {
                ALICE | BOB => {
                    let vault = if i == ALICE {
                        sc.first_deposit
                    } else {
                        sc.second_deposit
                    };
                    (vault + sc.lp_susd + sc.supply_susd, sc.lp_seth)
                }
                CAROL => (sc.swap_susd, 0),
                _ => (sc.borrow_susd / 10, sc.collateral_seth), // interest buffer
            };
            let p = self.p(i).clone();
            let r = send(
                "mint sUSD",
                ITestToken::new(asset, &p).mint(who, units(usd)),
            )
            .await?;
            self.log("sUSD mint", &r);
            if eth > 0 {
                let r = send("mint sETH", ITestToken::new(coll, &p).mint(who, units(eth))).await?;
                self.log("sETH mint", &r);
            }
            let approvals: Vec<(Address, Address, &str)> = match i {
                ALICE | BOB => vec![
                    (asset, vault, "vault"),
                    (asset, router, "router sUSD"),
                    (coll, router, "router sETH"),
                    (pair, router, "router LP"),
                    (asset, market, "market"),
                ],
                CAROL => vec![
                    (asset, router, "router sUSD"),
                    (coll, router, "router sETH"),
                ],
                _ => vec![
                    (coll, market, "market sETH"),
                    (asset, market, "market sUSD"),
                ],
            };
            for (token, spender, what) in approvals {
                let r = send(
                    &format!("approve {what}"),
                    ITestToken::new(token, &p).approve(spender, U256::MAX),
                )
                .await?;
                let g = self.log(&format!("approve {what}"), &r);
                match (i, what) {
                    (ALICE | BOB, "vault") => self.vault[i].gas.push(("approve".into(), g)),
                    (ALICE | BOB, "router sUSD" | "router sETH" | "router LP") => {
                        self.lp[i].gas.push((format!("approve {what}"), g))
                    }
                    (ALICE | BOB, "market") => self.supply[i].gas.push(("approve".into(), g)),
                    _ => {}
                }
            }
        }
        // The distributor (the deployer) funds the three streams.
        let total = units(sc.reward_amount + sc.lp_reward_amount + sc.supply_reward_amount);
        let dev_p = self.dev.provider().clone();
        let rt = ITestToken::new(reward, &dev_p);
        let r = send("mint sRWD", rt.mint(self.dev.from(), total)).await?;
        self.log("sRWD mint", &r);
        for spender in [vault, pair, market] {
            let r = send("approve sRWD", rt.approve(spender, U256::MAX)).await?;
            self.log("sRWD approve", &r);
        }
        step.done("");
        Ok(())
    }

    // --- vault --------------------------------------------------------------------------------

    async fn vault_deposit(&mut self, i: usize, amount: u64) -> Result<()> {
        let step = self.progress.start(format!(
            "{} deposits {amount} sUSD into the vault",
            self.users[i].name
        ));
        let (who, p) = (self.who(i), self.p(i).clone());
        let vault = IStakingVault::new(self.a.vault, &p);
        let r = send("deposit", vault.deposit(units(amount), who)).await?;
        let t = self.time(&r).await?;
        self.log(
            if i == ALICE {
                "vault deposit (first, cold)"
            } else {
                "vault deposit (second)"
            },
            &r,
        );
        self.vault[i].gas.push(("deposit".into(), r.gas_used));
        self.vault[i].deposited = units(amount);
        self.vault[i].shares = vault.balanceOf(who).call().await?;
        self.vault_stream.set_balance(t, who, self.vault[i].shares);
        self.vault_t[i] = t;
        step.done(format!("gas {}", r.gas_used));
        Ok(())
    }

    async fn vault_notify(&mut self) -> Result<()> {
        let amount = units(self.sc.reward_amount);
        let step = self.progress.start(format!(
            "stream {} sRWD to the vault over {} days (notifyRewardAmount)",
            self.sc.reward_amount,
            REWARD_DURATION_SECS / 86_400
        ));
        let vault = IStakingVault::new(self.a.vault, self.dev.provider());
        let r = send(
            "notifyRewardAmount",
            vault.notifyRewardAmount(self.a.reward, amount),
        )
        .await?;
        let t = self.time(&r).await?;
        self.vault_stream.notify(t, amount, REWARD_DURATION_SECS);
        self.log("vault notifyRewardAmount", &r);
        step.done(format!("gas {}", r.gas_used));
        Ok(())
    }

    async fn vault_claims(&mut self) -> Result<()> {
        let step = self.progress.start("vault: alice and bob claim");
        let reward = self.a.reward;
        for i in [ALICE, BOB] {
            let (who, p) = (self.who(i), self.p(i).clone());
            let vault = IStakingVault::new(self.a.vault, &p);
            self.vault[i].earned_before_claim = vault.earned(who, reward).call().await?;
            let before = self.balance(reward, who).await?;
            let r = send("claim", vault.claim(vec![reward], who)).await?;
            let t = self.time(&r).await?;
            self.vault[i].claimed = self.balance(reward, who).await? - before;
            self.vault[i].expected = self.vault_stream.claim(t, who);
            check(
                &format!("{} vault rewards", self.users[i].name),
                self.vault[i].claimed,
                self.vault[i].expected,
            )?;
            self.vault_claim_t[i] = t;
            self.vault[i].gas.push(("claim".into(), r.gas_used));
            self.log("vault claim", &r);
        }
        step.done("");
        Ok(())
    }

    /// Bob redeems everything and sends alice 1 sUSD (reference operations for the gas column).
    async fn vault_exit(&mut self) -> Result<()> {
        let step = self
            .progress
            .start("bob redeems all vault shares, transfers 1 sUSD");
        let (who, p) = (self.who(BOB), self.p(BOB).clone());
        let vault = IStakingVault::new(self.a.vault, &p);
        let before = self.balance(self.a.asset, who).await?;
        let r = send("redeem", vault.redeem(self.vault[BOB].shares, who, who)).await?;
        let t = self.time(&r).await?;
        self.vault_stream.set_balance(t, who, U256::ZERO);
        // No yield source but the rewards: shares redeem 1:1.
        check(
            "bob's vault redemption",
            self.balance(self.a.asset, who).await? - before,
            self.vault[BOB].deposited,
        )?;
        self.log("vault redeem (all)", &r);
        self.vault[BOB].gas.push(("redeem".into(), r.gas_used));
        let asset = ITestToken::new(self.a.asset, &p);
        let r = send("transfer", asset.transfer(self.who(ALICE), units(1))).await?;
        self.log("sUSD transfer", &r);
        step.done("");
        Ok(())
    }

    /// The table's rows, every figure already checked against its formula.
    fn rows(&self) -> Result<Vec<StreamRow>> {
        let sc = self.sc;
        let price = U256::from(SETH_PRICE);
        let reward_value = |amount: U256| amount * sc.reward_price_wei / units(1);
        let mut rows = Vec::new();
        for i in [ALICE, BOB] {
            let user = self.users[i].name.clone();
            let v = &self.vault[i];
            rows.push(StreamRow {
                user: user.clone(),
                stream: Stream::VaultRewards,
                put_in: format!("{} sUSD", super::render::short(v.deposited)),
                put_in_value: v.deposited,
                earned: v.claimed,
                formula: v.expected,
                token: "sRWD",
                earned_value: reward_value(v.claimed),
                held_secs: self.vault_claim_t[i] - self.vault_t[i],
                gas: v.gas.clone(),
            });
            let lp = &self.lp[i];
            let lp_in = format!(
                "{} sUSD + {} sETH",
                super::render::short(lp.usd_in),
                super::render::short(lp.eth_in)
            );
            let value_in = lp.usd_in + lp.eth_in * price;
            let value_out = lp.usd_out + lp.eth_out * price;
            let fees = value_out.checked_sub(value_in).ok_or_else(|| {
                anyhow!("{user}'s LP position lost value ({value_in} → {value_out} sUSD wei)")
            })?;
            rows.push(StreamRow {
                user: user.clone(),
                stream: Stream::LpFees,
                put_in: lp_in.clone(),
                put_in_value: value_in,
                earned: fees,
                formula: fees,
                token: "sUSD",
                earned_value: fees,
                held_secs: lp.t_out - lp.t_in,
                gas: lp.gas.clone(),
            });
            rows.push(StreamRow {
                user: user.clone(),
                stream: Stream::LpIncentives,
                put_in: format!("{} LP", super::render::short(lp.lp)),
                put_in_value: value_in,
                earned: lp.incentives,
                formula: lp.incentives_formula,
                token: "sRWD",
                earned_value: reward_value(lp.incentives),
                held_secs: lp.t_claim - lp.t_in,
                gas: vec![("claim".into(), lp.claim_gas)],
            });
            let s = &self.supply[i];
            let interest = s.assets_out - s.assets_in;
            rows.push(StreamRow {
                user: user.clone(),
                stream: Stream::LendingInterest,
                put_in: format!("{} sUSD", super::render::short(s.assets_in)),
                put_in_value: s.assets_in,
                earned: interest,
                formula: s.assets_formula - s.assets_in,
                token: "sUSD",
                earned_value: interest,
                held_secs: s.t_out - s.t_in,
                gas: s.gas.clone(),
            });
            rows.push(StreamRow {
                user,
                stream: Stream::SupplyIncentives,
                put_in: format!("{} sUSD", super::render::short(s.assets_in)),
                put_in_value: s.assets_in,
                earned: s.incentives,
                formula: s.incentives_formula,
                token: "sRWD",
                earned_value: reward_value(s.incentives),
                held_secs: s.t_claim - s.t_in,
                gas: vec![("claim".into(), s.claim_gas)],
            });
        }
        rows.extend(self.nft_rows(&[ALICE, BOB]));
        for r in &rows {
            check(
                &format!("{} {}", r.user, r.stream.label()),
                r.earned,
                r.formula,
            )?;
        }
        // Users in order of appearance (alice, bob, then the creators), each with the streams in
        // table order.
        let order = |user: &str| {
            self.users[..2]
                .iter()
                .map(|u| u.name.as_str())
                .chain(NFT_CREATORS.iter().map(|c| c.0))
                .position(|n| n == user)
                .unwrap_or(usize::MAX)
        };
        rows.sort_by_key(|r| (order(&r.user), r.stream));
        Ok(rows)
    }
}
