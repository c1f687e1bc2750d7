//! The lending market's two streams in the demo: interest (dave borrows against sETH; suppliers'
//! shares grow with Morpho's compounding at the suite IRM's rate, checked against
//! [`super::models::MarketModel`]) and supply incentives (the supply side's reward stream).

use alloy::primitives::{Bytes, U256};
use anyhow::Result;

use super::models::units;
use super::streams::{Walk, DAVE};
use super::{check, send};
use crate::bindings::{ILendingMarket, IMarketRewards, IMarketViews, IMockAggregator};
use crate::params::{int, FEED_ANSWER};
use crate::suite::REWARD_DURATION_SECS;

impl Walk<'_> {
    async fn supply_shares_of(&self, who: alloy::primitives::Address) -> Result<U256> {
        let views = IMarketViews::new(self.a.market, self.dev.provider());
        Ok(views.position(self.a.params.id(), who).call().await?._0)
    }

    /// Supplies `supply_susd`; the shares minted must be the model's.
    pub(super) async fn supply(&mut self, i: usize) -> Result<()> {
        let amount = units(self.sc.supply_susd);
        let step = self.progress.start(format!(
            "{} supplies {} sUSD to the market",
            self.users[i].name, self.sc.supply_susd
        ));
        let (who, p) = (self.who(i), self.p(i).clone());
        let market = ILendingMarket::new(self.a.market, &p);
        let r = send(
            "supply",
            market.supply(
                self.a.params.params(),
                amount,
                U256::ZERO,
                who,
                Bytes::new(),
            ),
        )
        .await?;
        let t = self.time(&r).await?;
        let want = self.market.supply(t, amount);
        let shares = self.supply_shares_of(who).await?;
        check(
            &format!("{}'s supply shares", self.users[i].name),
            shares,
            want,
        )?;
        self.supply_stream.set_balance(t, who, shares);
        let s = &mut self.supply[i];
        s.assets_in = amount;
        s.shares = shares;
        s.t_in = t;
        s.gas.push(("supply".into(), r.gas_used));
        self.log("market supply", &r);
        step.done(format!("gas {}", r.gas_used));
        Ok(())
    }

    /// The deployer funds the market's supply-side incentive stream.
    pub(super) async fn supply_notify(&mut self) -> Result<()> {
        let amount = units(self.sc.supply_reward_amount);
        let step = self.progress.start(format!(
            "stream {} sRWD to the market's suppliers over {} days",
            self.sc.supply_reward_amount,
            REWARD_DURATION_SECS / 86_400
        ));
        let rewards = IMarketRewards::new(self.a.market, self.dev.provider());
        let source = self.a.params.supply_source();
        let r = send(
            "market notifyRewardAmount",
            rewards.notifyRewardAmount_1(source, self.a.reward, amount),
        )
        .await?;
        let t = self.time(&r).await?;
        self.supply_stream.notify(t, amount, REWARD_DURATION_SECS);
        self.log("market notifyRewardAmount", &r);
        step.done(format!("gas {}", r.gas_used));
        Ok(())
    }

    /// A fresh price round, then dave posts sETH and borrows sUSD.
    pub(super) async fn borrow(&mut self) -> Result<()> {
        let sc = self.sc;
        let step = self.progress.start(format!(
            "dave posts {} sETH, borrows {} sUSD",
            sc.collateral_seth, sc.borrow_susd
        ));
        // The feed's heartbeat (the oracle refuses answers older than a day).
        let feed = IMockAggregator::new(self.a.feed, self.dev.provider());
        let r = send("price feed round", feed.setAnswer(int(FEED_ANSWER))).await?;
        self.log("price feed setAnswer", &r);
        let (who, p) = (self.who(DAVE), self.p(DAVE).clone());
        let market = ILendingMarket::new(self.a.market, &p);
        let params = self.a.params.params();
        let r = send(
            "supplyCollateral",
            market.supplyCollateral(params.clone(), units(sc.collateral_seth), who, Bytes::new()),
        )
        .await?;
        self.log("market supplyCollateral", &r);
        let r = send(
            "borrow",
            market.borrow(params, units(sc.borrow_susd), U256::ZERO, who, who),
        )
        .await?;
        let t = self.time(&r).await?;
        let want = self.market.borrow(t, units(sc.borrow_susd));
        let views = IMarketViews::new(self.a.market, &p);
        let shares = U256::from(views.position(self.a.params.id(), who).call().await?._1);
        check("dave's debt shares", shares, want)?;
        self.dave_borrow_shares = shares;
        self.log("market borrow", &r);
        step.done(format!("gas {}", r.gas_used));
        Ok(())
    }

    /// Dave repays all his debt shares; the assets taken must be the model's (rounded up).
    pub(super) async fn repay(&mut self) -> Result<()> {
        let step = self.progress.start("dave repays everything");
        let (who, p) = (self.who(DAVE), self.p(DAVE).clone());
        let before = self.balance(self.a.asset, who).await?;
        let market = ILendingMarket::new(self.a.market, &p);
        let r = send(
            "repay",
            market.repay(
                self.a.params.params(),
                U256::ZERO,
                self.dave_borrow_shares,
                who,
                Bytes::new(),
            ),
        )
        .await?;
        let t = self.time(&r).await?;
        let paid = before - self.balance(self.a.asset, who).await?;
        check(
            "dave's repayment",
            paid,
            self.market.repay(t, self.dave_borrow_shares),
        )?;
        self.cp.borrower_paid = paid - units(self.sc.borrow_susd);
        self.log("market repay", &r);
        step.done(format!("gas {}", r.gas_used));
        Ok(())
    }

    /// Claims the supply-side incentives; the amount must be the stream model's.
    pub(super) async fn supply_claim(&mut self, i: usize) -> Result<()> {
        let step = self
            .progress
            .start(format!("{} claims supply incentives", self.users[i].name));
        let (who, p) = (self.who(i), self.p(i).clone());
        let before = self.balance(self.a.reward, who).await?;
        let source = self.a.params.supply_source();
        let r = send(
            "market claimAll",
            IMarketRewards::new(self.a.market, &p).claimAll_1(source, who),
        )
        .await?;
        let t = self.time(&r).await?;
        let got = self.balance(self.a.reward, who).await? - before;
        let want = self.supply_stream.claim(t, who);
        let s = &mut self.supply[i];
        s.incentives = got;
        s.incentives_formula = want;
        s.t_claim = t;
        s.claim_gas = r.gas_used;
        self.log("market claimAll", &r);
        step.done(format!("gas {}", r.gas_used));
        Ok(())
    }

    /// Withdraws all of the user's supply shares; the assets must be the model's.
    pub(super) async fn withdraw(&mut self, i: usize) -> Result<()> {
        let step = self
            .progress
            .start(format!("{} withdraws everything", self.users[i].name));
        let (who, p) = (self.who(i), self.p(i).clone());
        let before = self.balance(self.a.asset, who).await?;
        let shares = self.supply[i].shares;
        let market = ILendingMarket::new(self.a.market, &p);
        let r = send(
            "withdraw",
            market.withdraw(self.a.params.params(), U256::ZERO, shares, who, who),
        )
        .await?;
        let t = self.time(&r).await?;
        self.supply_stream.set_balance(t, who, U256::ZERO);
        let got = self.balance(self.a.asset, who).await? - before;
        let want = self.market.withdraw(t, shares);
        let s = &mut self.supply[i];
        s.assets_out = got;
        s.assets_formula = want;
        s.t_out = t;
        s.gas.push(("withdraw".into(), r.gas_used));
        self.cp.market_interest = self.market.interest;
        self.log("market withdraw", &r);
        step.done(format!("gas {}", r.gas_used));
        Ok(())
    }
}
