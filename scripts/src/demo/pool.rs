//! The pool's two streams in the demo: LP fees (carol's round trips through the router, checked
//! against the constant-product model) and LP incentives (the pair's reward stream).

use alloy::primitives::U256;
use anyhow::Result;

use super::models::units;
use super::streams::{deadline, Walk, CAROL};
use super::{check, send};
use crate::bindings::{IPair, IPairRewards, IRouter};
use crate::suite::REWARD_DURATION_SECS;

impl Walk<'_> {
    /// Adds `lp_susd` sUSD and up to `lp_seth` sETH through the router; the amounts taken and the
    /// LP minted must be the model's.
    pub(super) async fn add_liquidity(&mut self, i: usize) -> Result<()> {
        let sc = self.sc;
        let step = self.progress.start(format!(
            "{} adds {} sUSD + ≤{} sETH to the pool",
            self.users[i].name, sc.lp_susd, sc.lp_seth
        ));
        let (who, p) = (self.who(i), self.p(i).clone());
        let (usd, eth, pair) = (self.a.asset, self.a.collateral, self.a.pair);
        let before = (self.balance(usd, who).await?, self.balance(eth, who).await?);
        let router = IRouter::new(self.a.router, &p);
        let r = send(
            "addLiquidity",
            router.addLiquidity(
                usd,
                eth,
                units(sc.lp_susd),
                units(sc.lp_seth),
                U256::ZERO,
                U256::ZERO,
                who,
                deadline(),
            ),
        )
        .await?;
        let t = self.time(&r).await?;
        let (want_usd, want_eth, want_lp) = self
            .pair
            .add_liquidity(units(sc.lp_susd), units(sc.lp_seth));
        let usd_in = before.0 - self.balance(usd, who).await?;
        let eth_in = before.1 - self.balance(eth, who).await?;
        let minted = IPair::new(pair, &p).balanceOf(who).call().await?;
        let name = &self.users[i].name;
        check(&format!("{name}'s sUSD into the pool"), usd_in, want_usd)?;
        check(&format!("{name}'s sETH into the pool"), eth_in, want_eth)?;
        check(&format!("{name}'s LP minted"), minted, want_lp)?;
        let lp = &mut self.lp[i];
        lp.usd_in = usd_in;
        lp.eth_in = eth_in;
        lp.lp = minted;
        lp.t_in = t;
        lp.gas.push(("addLiquidity".into(), r.gas_used));
        self.pair_stream.set_balance(t, who, minted);
        self.log("router addLiquidity", &r);
        step.done(format!("gas {}", r.gas_used));
        Ok(())
    }

    /// The deployer funds the pair's incentive stream.
    pub(super) async fn pair_notify(&mut self) -> Result<()> {
        let amount = units(self.sc.lp_reward_amount);
        let step = self.progress.start(format!(
            "stream {} sRWD to the pair's LPs over {} days",
            self.sc.lp_reward_amount,
            REWARD_DURATION_SECS / 86_400
        ));
        let rewards = IPairRewards::new(self.a.pair, self.dev.provider());
        let r = send(
            "pair notifyRewardAmount",
            rewards.notifyRewardAmount_0(self.a.reward, amount),
        )
        .await?;
        let t = self.time(&r).await?;
        self.pair_stream.notify(t, amount, REWARD_DURATION_SECS);
        self.log("pair notifyRewardAmount", &r);
        step.done(format!("gas {}", r.gas_used));
        Ok(())
    }

    /// Carol swaps `swap_susd` sUSD for sETH and all of it straight back: the pool keeps the fees.
    pub(super) async fn round_trip(&mut self) -> Result<()> {
        let sc = self.sc;
        let step = self
            .progress
            .start(format!("carol swaps {} sUSD → sETH → sUSD", sc.swap_susd));
        let (who, p) = (self.who(CAROL), self.p(CAROL).clone());
        let (usd, eth) = (self.a.asset, self.a.collateral);
        let router = IRouter::new(self.a.router, &p);
        let start = self.balance(usd, who).await?;
        let amount = units(sc.swap_susd).min(start);
        let r = send(
            "swap sUSD→sETH",
            router.swapExactTokensForTokens(amount, U256::ZERO, vec![usd, eth], who, deadline()),
        )
        .await?;
        self.log("router swap sUSD→sETH", &r);
        let got = self.balance(eth, who).await?;
        check("carol's sETH out", got, self.pair.swap_a_for_b(amount))?;
        let r = send(
            "swap sETH→sUSD",
            router.swapExactTokensForTokens(got, U256::ZERO, vec![eth, usd], who, deadline()),
        )
        .await?;
        self.log("router swap sETH→sUSD", &r);
        let back = self.balance(usd, who).await? - (start - amount);
        check("carol's sUSD back", back, self.pair.swap_b_for_a(got))?;
        self.cp.trader_paid += amount - back;
        step.done(format!("paid {} sUSD", super::render::short(amount - back)));
        Ok(())
    }

    /// Claims the pair's incentives; the amount must be the stream model's.
    pub(super) async fn pair_claim(&mut self, i: usize) -> Result<()> {
        let step = self
            .progress
            .start(format!("{} claims LP incentives", self.users[i].name));
        let (who, p) = (self.who(i), self.p(i).clone());
        let before = self.balance(self.a.reward, who).await?;
        let r = send(
            "pair claimAll",
            IPairRewards::new(self.a.pair, &p).claimAll_0(who),
        )
        .await?;
        let t = self.time(&r).await?;
        let got = self.balance(self.a.reward, who).await? - before;
        let want = self.pair_stream.claim(t, who);
        let lp = &mut self.lp[i];
        lp.incentives = got;
        lp.incentives_formula = want;
        lp.t_claim = t;
        lp.claim_gas = r.gas_used;
        self.log("pair claimAll", &r);
        step.done(format!("gas {}", r.gas_used));
        Ok(())
    }

    /// Removes all of the user's liquidity; the amounts must be the model's pro-rata shares.
    pub(super) async fn remove_liquidity(&mut self, i: usize) -> Result<()> {
        let step = self
            .progress
            .start(format!("{} removes all liquidity", self.users[i].name));
        let (who, p) = (self.who(i), self.p(i).clone());
        let (usd, eth) = (self.a.asset, self.a.collateral);
        let lp = self.lp[i].lp;
        let before = (self.balance(usd, who).await?, self.balance(eth, who).await?);
        let router = IRouter::new(self.a.router, &p);
        let r = send(
            "removeLiquidity",
            router.removeLiquidity(usd, eth, lp, U256::ZERO, U256::ZERO, who, deadline()),
        )
        .await?;
        let t = self.time(&r).await?;
        self.pair_stream.set_balance(t, who, U256::ZERO);
        let (want_usd, want_eth) = self.pair.remove_liquidity(lp);
        let usd_out = self.balance(usd, who).await? - before.0;
        let eth_out = self.balance(eth, who).await? - before.1;
        let name = &self.users[i].name;
        check(&format!("{name}'s sUSD out of the pool"), usd_out, want_usd)?;
        check(&format!("{name}'s sETH out of the pool"), eth_out, want_eth)?;
        let pos = &mut self.lp[i];
        pos.usd_out = usd_out;
        pos.eth_out = eth_out;
        pos.t_out = t;
        pos.gas.push(("removeLiquidity".into(), r.gas_used));
        self.log("router removeLiquidity", &r);
        step.done(format!("gas {}", r.gas_used));
        Ok(())
    }
}
