//! How each contract is constructed and wired after its activation: the constructor calldata of
//! the StylusDeployer-deployed contracts, and the setup transactions (token metadata, reward
//! streams registered, the demo pair created, the IRM and LLTV enabled, the market created, the
//! sequencer feed back-dated), each with an on-chain "already done" check so an interrupted run
//! resumes without repeating a transaction.

use alloy::primitives::{aliases::U80, Address, Bytes, I256, U256};
use alloy::rpc::types::TransactionReceipt;
use anyhow::{anyhow, bail, Result};

use super::{one_line, Deployer, Deployments};
use crate::bindings::nft::{INftAdmin, INftConfig};
use crate::bindings::{
    IMarketAdmin, IMarketRewards, IMarketViews, IMockAggregator, IPairRewards, IPoolFactory, Market,
};
use crate::params::{self, irm_curve, oracle_config, FEED_ANSWER, FEED_DECIMALS, LLTV};
use crate::suite::{
    aggregator_constructor_call, factory_constructor_call, irm_constructor_call,
    market_constructor_call, oracle_constructor_call, pair_template_constructor_call,
    router_constructor_call, royalty_nft_constructor_call, vault_constructor_call, IStakingVault,
    ITestToken, NftInit, SuiteContract, REWARD_DURATION_SECS,
};

/// The setup transactions of each contract after its activation, in order.
pub fn setup_steps(contract: SuiteContract) -> &'static [&'static str] {
    match contract {
        SuiteContract::AssetToken | SuiteContract::RewardToken | SuiteContract::CollateralToken => {
            &["init"]
        }
        SuiteContract::Vault => &["add_reward"],
        SuiteContract::PoolFactory => &["create_pair", "pair_reward"],
        SuiteContract::SequencerFeed => &["backdate"],
        SuiteContract::LendingMarket => &[
            "enable_irm",
            "enable_lltv",
            "create_market",
            "supply_reward",
        ],
        SuiteContract::RoyaltyNft => &["open_sale"],
        _ => &[],
    }
}

/// The royalty NFT's initialisation: [`params::NFT_COLLECTION`], owned by `owner`, WETH for the
/// holders' part of ETH royalties, [`params::nft_creators`], [`params::NFT_HOLDER_BPS`] and
/// [`params::NFT_ROYALTY_BPS`].
pub fn nft_init(owner: Address, weth: Address, rewards_facet: Address) -> NftInit {
    let creators = params::nft_creators();
    NftInit {
        name: params::NFT_COLLECTION.0.into(),
        symbol: params::NFT_COLLECTION.1.into(),
        owner,
        weth,
        recipients: creators.iter().map(|c| c.0).collect(),
        shares: creators.iter().map(|c| U256::from(c.1)).collect(),
        holder_share_bps: U256::from(params::NFT_HOLDER_BPS),
        royalty_bps: U256::from(params::NFT_ROYALTY_BPS),
        rewards_facet,
    }
}

/// Address of `c` in `record`, or an error naming it.
pub fn dep(record: &Deployments, c: SuiteContract) -> Result<Address> {
    record
        .address(c)
        .ok_or_else(|| anyhow!("{} is not deployed", c.key()))
}

/// The seeded market (sUSD loan, sETH collateral, the suite's oracle and IRM, [`LLTV`]).
pub fn seeded_market(record: &Deployments) -> Result<Market> {
    Ok(Market {
        loan: dep(record, SuiteContract::AssetToken)?,
        collateral: dep(record, SuiteContract::CollateralToken)?,
        oracle: dep(record, SuiteContract::Oracle)?,
        irm: dep(record, SuiteContract::Irm)?,
        lltv: U256::from(LLTV),
    })
}

impl Deployer {
    /// Calldata of `contract`'s `#[constructor]` (only for [`SuiteContract::constructed`] ones).
    pub(super) fn init_data(&self, contract: SuiteContract, record: &Deployments) -> Result<Bytes> {
        use SuiteContract as C;
        let d = |c| dep(record, c);
        Ok(match contract {
            C::Vault => vault_constructor_call(d(C::AssetToken)?, self.from, d(C::RewardsFacet)?),
            C::PairTemplate => pair_template_constructor_call(),
            // The deployer is the fee-to setter: it may turn the protocol fee on and manage the
            // pairs' incentives (a pair's reward admin is its factory's feeToSetter).
            C::PoolFactory => {
                factory_constructor_call(self.from, d(C::PairTemplate)?, d(C::PoolRewardsFacet)?)
            }
            C::Router => router_constructor_call(d(C::PoolFactory)?, d(C::Weth)?),
            C::Irm => {
                let (base, slope, kink, jump) = irm_curve();
                irm_constructor_call(base, slope, kink, jump)
            }
            C::PriceFeed => aggregator_constructor_call(FEED_DECIMALS, params::int(FEED_ANSWER)),
            C::SequencerFeed => aggregator_constructor_call(0, I256::ZERO),
            C::Oracle => {
                oracle_constructor_call(&oracle_config(d(C::PriceFeed)?, d(C::SequencerFeed)?))
            }
            C::LendingMarket => market_constructor_call(
                self.from,
                d(C::MarketRewardsFacet)?,
                d(C::MarketAdminFacet)?,
                d(C::MarketViewsFacet)?,
            ),
            C::RoyaltyNft => royalty_nft_constructor_call(
                d(C::NftAdminFacet)?,
                d(C::NftConfigFacet)?,
                &nft_init(self.from, d(C::Weth)?, d(C::NftRewardsFacet)?),
            ),
            _ => bail!("{} has no constructor", contract.key()),
        })
    }

    /// The demo pair (sUSD/sETH) of the factory, zero if not created yet.
    pub async fn demo_pair(&self, record: &Deployments) -> Result<Address> {
        let factory = IPoolFactory::new(dep(record, SuiteContract::PoolFactory)?, &self.provider);
        factory
            .getPair(
                dep(record, SuiteContract::AssetToken)?,
                dep(record, SuiteContract::CollateralToken)?,
            )
            .call()
            .await
            .map_err(|e| anyhow!("getPair: {}", one_line(e)))
    }

    /// What a setup step produced, for the record (the pair's address, the market's id).
    pub(super) async fn setup_output(
        &self,
        contract: SuiteContract,
        step: &str,
        record: &Deployments,
    ) -> Option<String> {
        match (contract, step) {
            (SuiteContract::PoolFactory, "create_pair") => {
                self.demo_pair(record).await.ok().map(|a| a.to_string())
            }
            (SuiteContract::LendingMarket, "create_market") => {
                seeded_market(record).ok().map(|m| m.id().to_string())
            }
            _ => None,
        }
    }

    /// Whether a setup step is visibly done on chain (for runs interrupted between sending a setup
    /// transaction and recording it). Any error counts as "not done".
    pub(super) async fn setup_done(
        &self,
        contract: SuiteContract,
        step: &str,
        address: Address,
        record: &Deployments,
    ) -> bool {
        self.try_setup_done(contract, step, address, record)
            .await
            .unwrap_or(false)
    }

    async fn try_setup_done(
        &self,
        contract: SuiteContract,
        step: &str,
        address: Address,
        record: &Deployments,
    ) -> Result<bool> {
        use SuiteContract as C;
        let p = &self.provider;
        let reward = || dep(record, C::RewardToken);
        Ok(match (contract, step) {
            (C::AssetToken | C::RewardToken | C::CollateralToken, "init") => {
                !ITestToken::new(address, p).name().call().await?.is_empty()
            }
            (C::Vault, "add_reward") => IStakingVault::new(address, p)
                .rewardTokens()
                .call()
                .await?
                .contains(&reward()?),
            (C::PoolFactory, "create_pair") => !self.demo_pair(record).await?.is_zero(),
            (C::PoolFactory, "pair_reward") => {
                let pair = self.demo_pair(record).await?;
                !pair.is_zero()
                    && IPairRewards::new(pair, p)
                        .rewardTokens_0()
                        .call()
                        .await?
                        .contains(&reward()?)
            }
            (C::SequencerFeed, "backdate") => {
                IMockAggregator::new(address, p)
                    .latestRoundData()
                    .call()
                    .await?
                    ._2
                    == U256::from(1)
            }
            (C::LendingMarket, "enable_irm") => {
                IMarketViews::new(address, p)
                    .isIrmEnabled(dep(record, C::Irm)?)
                    .call()
                    .await?
            }
            (C::LendingMarket, "enable_lltv") => {
                IMarketViews::new(address, p)
                    .isLltvEnabled(U256::from(LLTV))
                    .call()
                    .await?
            }
            (C::LendingMarket, "create_market") => {
                let id = seeded_market(record)?.id();
                !IMarketViews::new(address, p)
                    .idToMarketParams(id)
                    .call()
                    .await?
                    ._0
                    .is_zero()
            }
            (C::LendingMarket, "supply_reward") => {
                let source = seeded_market(record)?.supply_source();
                IMarketRewards::new(address, p)
                    .rewardTokens_1(source)
                    .call()
                    .await?
                    .contains(&reward()?)
            }
            (C::RoyaltyNft, "open_sale") => {
                INftAdmin::new(address, p).saleConfig().call().await?._5 != 0
            }
            _ => false,
        })
    }

    /// Fails unless the contract at `address` answering `owner()` is owned by the deployer
    /// (someone could initialise a fresh contract before us on a public chain).
    pub(super) async fn check_vault_owner(&self, address: Address) -> Result<()> {
        let vault = IStakingVault::new(address, &self.provider);
        let owner = vault
            .owner()
            .call()
            .await
            .map_err(|e| anyhow!("reading owner() of the vault: {}", one_line(e)))?;
        if owner != self.from {
            bail!("the vault at {address} is owned by {owner}, not by the deployer {}: deploy a new suite with --fresh", self.from);
        }
        Ok(())
    }

    pub(super) async fn send_setup(
        &self,
        contract: SuiteContract,
        step: &str,
        address: Address,
        record: &Deployments,
    ) -> Result<TransactionReceipt> {
        use SuiteContract as C;
        let p = &self.provider;
        let week = U256::from(REWARD_DURATION_SECS);
        let token = ITestToken::new(address, p);
        let init = |(name, symbol): (&str, &str)| token.initialize(name.into(), symbol.into(), 18);
        match (contract, step) {
            (C::AssetToken, "init") => self.send_call(init(params::ASSET_TOKEN)).await,
            (C::RewardToken, "init") => self.send_call(init(params::REWARD_TOKEN)).await,
            (C::CollateralToken, "init") => self.send_call(init(params::COLLATERAL_TOKEN)).await,
            (C::Vault, "add_reward") => {
                let vault = IStakingVault::new(address, p);
                let reward = dep(record, C::RewardToken)?;
                self.send_call(vault.addReward(reward, self.from, week))
                    .await
            }
            (C::PoolFactory, "create_pair") => {
                let factory = IPoolFactory::new(address, p);
                let (a, b) = (
                    dep(record, C::AssetToken)?,
                    dep(record, C::CollateralToken)?,
                );
                self.send_call(factory.createPair(a, b)).await
            }
            (C::PoolFactory, "pair_reward") => {
                let pair = self.demo_pair(record).await?;
                let rewards = IPairRewards::new(pair, p);
                let reward = dep(record, C::RewardToken)?;
                self.send_call(rewards.addReward_0(reward, self.from, week))
                    .await
            }
            // The mock says "up since a fixed past instant" (round 2, started at 1), so the
            // oracle's grace period is over from the start.
            (C::SequencerFeed, "backdate") => {
                let feed = IMockAggregator::new(address, p);
                let two = U80::from(2);
                self.send_call(feed.setRoundData(
                    two,
                    I256::ZERO,
                    U256::from(1),
                    U256::from(1),
                    two,
                ))
                .await
            }
            (C::LendingMarket, "enable_irm") => {
                let admin = IMarketAdmin::new(address, p);
                self.send_call(admin.enableIrm(dep(record, C::Irm)?)).await
            }
            (C::LendingMarket, "enable_lltv") => {
                let admin = IMarketAdmin::new(address, p);
                self.send_call(admin.enableLltv(U256::from(LLTV))).await
            }
            (C::LendingMarket, "create_market") => {
                let admin = IMarketAdmin::new(address, p);
                self.send_call(admin.createMarket(seeded_market(record)?.admin_params()))
                    .await
            }
            (C::LendingMarket, "supply_reward") => {
                let rewards = IMarketRewards::new(address, p);
                let source = seeded_market(record)?.supply_source();
                let reward = dep(record, C::RewardToken)?;
                self.send_call(rewards.addReward_1(source, reward, self.from, week))
                    .await
            }
            // The public sale: open since the epoch (1), never closing, no wallet limit.
            (C::RoyaltyNft, "open_sale") => {
                let config = INftConfig::new(address, p);
                self.send_call(config.setSaleConfig(
                    U256::from(params::NFT_PRICE_WEI),
                    params::NFT_MAX_SUPPLY,
                    0,
                    0,
                    1,
                    u64::MAX,
                ))
                .await
            }
            _ => bail!("unknown setup step {step}"),
        }
    }
}
