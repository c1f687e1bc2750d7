//! The royalty NFT's two streams in the demo: holders' royalties (alice and bob mint SYART at
//! different times; carol pays the ERC-2981 royalty of a secondary sale to the collection's
//! `receive` once per phase; the holders' part, wrapped into WETH, streams over a day by tokens
//! held) and the creators' split (mint proceeds and the royalties' rest, withdrawn by erin and
//! frank). Checked against [`super::models::StreamModel::distribute`] and
//! [`super::models::SplitModel`].

use alloy::network::TransactionBuilder;
use alloy::primitives::{Address, U256};
use alloy::providers::Provider;
use alloy::rpc::types::{TransactionReceipt, TransactionRequest};
use anyhow::{anyhow, Context, Result};

use super::streams::{Walk, CAROL};
use super::{check, send, Stream, StreamRow};
use crate::bindings::nft::{INftAdmin, INftRewards, IRoyaltyNft};
use crate::deploy::one_line;
use crate::params::{NFT_COLLECTION, NFT_PRICE_WEI, NFT_ROYALTY_BPS, SETH_PRICE};

/// Shortest stream of a royalty's holder part (the reward module's `DISTRIBUTION_WINDOW`).
const DISTRIBUTION_WINDOW: u64 = 24 * 60 * 60;

/// One holder's SYART position.
#[derive(Default, Clone)]
pub(super) struct Holder {
    pub(super) tokens: u64,
    pub(super) paid: U256,
    pub(super) t_in: u64,
    pub(super) earned: U256,
    pub(super) formula: U256,
    pub(super) t_claim: u64,
    pub(super) gas: Vec<(String, u64)>,
}

/// One creator recipient's withdrawal.
#[derive(Default, Clone)]
pub(super) struct Creator {
    pub(super) name: String,
    pub(super) address: Address,
    pub(super) share_bps: u64,
    pub(super) got: U256,
    pub(super) formula: U256,
    pub(super) t_out: u64,
    pub(super) gas: u64,
}

/// Wei the sender of `r` paid for gas.
fn fee(r: &TransactionReceipt) -> U256 {
    U256::from(r.gas_used as u128 * r.effective_gas_price)
}

impl Walk<'_> {
    async fn eth(&self, who: Address) -> Result<U256> {
        self.dev
            .provider()
            .get_balance(who)
            .await
            .map_err(|e| anyhow!("eth_getBalance: {}", one_line(e)))
    }

    /// The creator total on chain must be the model's.
    async fn check_creator_total(&self, what: &str) -> Result<()> {
        let on_chain = INftAdmin::new(self.a.nft, self.dev.provider())
            .creatorTotal(Address::ZERO)
            .call()
            .await?;
        check(what, on_chain, self.split.creator_total)
    }

    /// `i` mints `n` SYART at the collection's price; what it paid, the tokens and the creators'
    /// total must be the model's.
    pub(super) async fn nft_mint(&mut self, i: usize, n: u64) -> Result<()> {
        let name = self.users[i].name.clone();
        let step = self
            .progress
            .start(format!("{name} mints {n} {}", NFT_COLLECTION.1));
        let (who, p) = (self.who(i), self.p(i).clone());
        let cost = U256::from(NFT_PRICE_WEI) * U256::from(n);
        let before = self.eth(who).await?;
        let col = IRoyaltyNft::new(self.a.nft, &p);
        let r = send("NFT mint", col.mint(who, U256::from(n)).value(cost)).await?;
        let t = self.time(&r).await?;
        let paid = before - self.eth(who).await? - fee(&r);
        check(&format!("{name}'s mint payment"), paid, cost)?;
        if self.nft_opened == 0 {
            self.nft_opened = t;
        }
        let h = &mut self.nft_holders[i];
        h.tokens += n;
        h.paid += cost;
        h.t_in = t;
        h.gas.push(("mint".into(), r.gas_used));
        let tokens = U256::from(h.tokens);
        check(
            &format!("{name}'s SYART balance"),
            col.balanceOf(who).call().await?,
            tokens,
        )?;
        self.nft_stream.set_balance(t, who, tokens);
        self.split.proceeds(cost);
        self.check_creator_total("creators' total after a mint")
            .await?;
        self.log(&format!("NFT mint ×{n}"), &r);
        step.done(format!("gas {}", r.gas_used));
        Ok(())
    }

    /// Carol pays the collection the ERC-2981 royalty of a secondary sale (plain ETH transfer:
    /// the collection's `receive` accounts it at once); the royalty and its split must be the
    /// model's.
    pub(super) async fn nft_royalty(&mut self) -> Result<()> {
        let price = self.sc.nft_sale_wei;
        let step = self.progress.start(format!(
            "carol pays the royalty of a {} ETH SYART sale",
            super::render::short(price)
        ));
        let p = self.p(CAROL).clone();
        let col = IRoyaltyNft::new(self.a.nft, &p);
        let info = col.royaltyInfo(U256::from(1), price).call().await?;
        let royalty = price * U256::from(NFT_ROYALTY_BPS) / U256::from(10_000u64);
        check("royaltyInfo amount", info._1, royalty)?;
        if info._0 != self.a.nft {
            anyhow::bail!("royaltyInfo receiver {} is not the collection", info._0);
        }
        let tx = TransactionRequest::default()
            .with_to(self.a.nft)
            .with_value(royalty);
        let r = p
            .send_transaction(tx)
            .await
            .map_err(|e| anyhow!("royalty payment: {}", one_line(e)))?
            .get_receipt()
            .await
            .context("royalty payment receipt")?;
        if !r.status() {
            anyhow::bail!("royalty payment {} reverted", r.transaction_hash);
        }
        let t = self.time(&r).await?;
        let d = r
            .inner
            .logs()
            .iter()
            .filter(|l| l.address() == self.a.nft)
            .find_map(|l| l.log_decode::<IRoyaltyNft::RoyaltyDistributed>().ok())
            .map(|l| l.inner.data)
            .ok_or_else(|| anyhow!("the royalty payment emitted no RoyaltyDistributed"))?;
        let (holders, creators) = self.split.royalty(royalty);
        check("royalty accounted", d.amount, royalty)?;
        check("royalty to holders", d.toHolders, holders)?;
        check("royalty to creators", d.toCreators, creators)?;
        self.nft_stream.distribute(t, holders, DISTRIBUTION_WINDOW);
        self.check_creator_total("creators' total after a royalty")
            .await?;
        self.cp.royalties_paid += royalty;
        self.log("NFT royalty (receive)", &r);
        step.done(format!(
            "{} ETH royalty, {} WETH to holders, gas {}",
            super::render::short(royalty),
            super::render::short(holders),
            r.gas_used
        ));
        Ok(())
    }

    /// `i` claims its WETH royalties through the reward ABI; the amount must be the model's.
    pub(super) async fn nft_claim(&mut self, i: usize) -> Result<()> {
        let step = self
            .progress
            .start(format!("{} claims NFT royalties", self.users[i].name));
        let (who, p) = (self.who(i), self.p(i).clone());
        let weth = self.a.weth;
        let before = self.balance(weth, who).await?;
        let rewards = INftRewards::new(self.a.nft, &p);
        let r = send("NFT claim", rewards.claim_0(vec![weth], who)).await?;
        let t = self.time(&r).await?;
        let got = self.balance(weth, who).await? - before;
        let want = self.nft_stream.claim(t, who);
        let h = &mut self.nft_holders[i];
        h.earned = got;
        h.formula = want;
        h.t_claim = t;
        h.gas.push(("claim".into(), r.gas_used));
        self.log("NFT claim (WETH)", &r);
        step.done(format!("gas {}", r.gas_used));
        Ok(())
    }

    /// Each creator's ETH withdrawal (sent by the deployer: `withdraw` is permissionless); the
    /// amount must be the model's entitlement.
    pub(super) async fn nft_creators_withdraw(&mut self) -> Result<()> {
        let step = self.progress.start("creators withdraw their split");
        let admin = INftAdmin::new(self.a.nft, self.dev.provider());
        for c in 0..self.nft_creators.len() {
            let who = self.nft_creators[c].address;
            let before = self.eth(who).await?;
            let r = send("NFT withdraw", admin.withdraw(Address::ZERO, who)).await?;
            let t = self.time(&r).await?;
            let got = self.eth(who).await? - before;
            let want = self.split.withdraw(who);
            let cr = &mut self.nft_creators[c];
            cr.got = got;
            cr.formula = want;
            cr.t_out = t;
            cr.gas = r.gas_used;
            self.log("NFT creator withdraw", &r);
        }
        step.done("");
        Ok(())
    }

    /// The NFT rows (holders, then creators), every figure already checked against its formula.
    pub(super) fn nft_rows(&self, holders: &[usize]) -> Vec<StreamRow> {
        let eth_value = |wei: U256| wei * U256::from(SETH_PRICE);
        let mut rows = Vec::new();
        for &i in holders {
            let h = &self.nft_holders[i];
            rows.push(StreamRow {
                user: self.users[i].name.clone(),
                stream: Stream::NftRoyalties,
                put_in: format!(
                    "{} {} ({} ETH)",
                    h.tokens,
                    NFT_COLLECTION.1,
                    super::render::short(h.paid)
                ),
                put_in_value: eth_value(h.paid),
                earned: h.earned,
                formula: h.formula,
                token: "WETH",
                earned_value: eth_value(h.earned),
                held_secs: h.t_claim - h.t_in,
                gas: h.gas.clone(),
            });
        }
        for c in &self.nft_creators {
            rows.push(StreamRow {
                user: c.name.clone(),
                stream: Stream::NftCreatorSplit,
                put_in: format!("{}% split", c.share_bps / 100),
                put_in_value: U256::ZERO,
                earned: c.got,
                formula: c.formula,
                token: "ETH",
                earned_value: eth_value(c.got),
                held_secs: c.t_out - self.nft_opened,
                gas: vec![("withdraw".into(), c.gas)],
            });
        }
        rows
    }
}
