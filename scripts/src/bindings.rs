//! `sol!` bindings over the exported ABIs (`abi/*.json`) of the pool and lending contracts that
//! `deploy` wires and `demo` drives (the vault and token keep their subsets in [`crate::suite`]).
#![allow(clippy::too_many_arguments)] // generated: permit and the router take many arguments
#![allow(missing_docs)]

alloy::sol!(
    #[sol(rpc)]
    IPoolFactory,
    "../abi/pool-factory.json"
);
alloy::sol!(
    #[sol(rpc)]
    IPair,
    "../abi/liquidity-pool.json"
);
alloy::sol!(
    #[sol(rpc)]
    IPairRewards,
    "../abi/liquidity-pool-rewards-facet.json"
);
alloy::sol!(
    #[sol(rpc)]
    IRouter,
    "../abi/pool-router.json"
);
alloy::sol!(
    #[sol(rpc)]
    ILendingMarket,
    "../abi/lending-market.json"
);
alloy::sol!(
    #[sol(rpc)]
    IMarketAdmin,
    "../abi/lending-market-admin-facet.json"
);
alloy::sol!(
    #[sol(rpc)]
    IMarketViews,
    "../abi/lending-market-views-facet.json"
);
alloy::sol!(
    #[sol(rpc)]
    IMarketRewards,
    "../abi/lending-market-rewards-facet.json"
);
alloy::sol!(
    #[sol(rpc)]
    IMockAggregator,
    "../abi/mock-aggregator.json"
);

use alloy::primitives::{keccak256, Address, B256, U256};

/// The seeded market's parameters `(loan, collateral, oracle, irm, lltv)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Market {
    /// Loan token (sUSD).
    pub loan: Address,
    /// Collateral token (sETH).
    pub collateral: Address,
    /// Oracle adapter.
    pub oracle: Address,
    /// Interest-rate model.
    pub irm: Address,
    /// Liquidation LTV (WAD).
    pub lltv: U256,
}

impl Market {
    /// Morpho's market id, `keccak256(abi.encode(params))`.
    pub fn id(&self) -> B256 {
        use alloy::sol_types::SolValue;
        keccak256((self.loan, self.collateral, self.oracle, self.irm, self.lltv).abi_encode())
    }

    /// The supply side's reward source (`uint256(id)`).
    pub fn supply_source(&self) -> U256 {
        U256::from_be_bytes(self.id().0)
    }

    /// As the market's hot-path binding spells them.
    pub fn params(&self) -> ILendingMarket::MarketParams {
        ILendingMarket::MarketParams {
            loanToken: self.loan,
            collateralToken: self.collateral,
            oracle: self.oracle,
            irm: self.irm,
            lltv: self.lltv,
        }
    }

    /// As the admin facet's binding spells them.
    pub fn admin_params(&self) -> IMarketAdmin::MarketParams {
        IMarketAdmin::MarketParams {
            loanToken: self.loan,
            collateralToken: self.collateral,
            oracle: self.oracle,
            irm: self.irm,
            lltv: self.lltv,
        }
    }

    /// As the views facet's binding spells them.
    pub fn views_params(&self) -> IMarketViews::MarketParams {
        IMarketViews::MarketParams {
            loanToken: self.loan,
            collateralToken: self.collateral,
            oracle: self.oracle,
            irm: self.irm,
            lltv: self.lltv,
        }
    }
}

/// The royalty NFT's programs (every selector is called at the collection's address).
pub mod nft {
    #![allow(missing_docs)]
    alloy::sol!(
        #[sol(rpc)]
        IRoyaltyNft,
        "../abi/royalty-nft.json"
    );
    alloy::sol!(
        #[sol(rpc)]
        INftAdmin,
        "../abi/royalty-nft-admin-facet.json"
    );
    alloy::sol!(
        #[sol(rpc)]
        INftConfig,
        "../abi/royalty-nft-config-facet.json"
    );
    alloy::sol!(
        #[sol(rpc)]
        INftRewards,
        "../abi/royalty-nft-rewards-facet.json"
    );
}
