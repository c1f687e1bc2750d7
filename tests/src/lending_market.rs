//! The lending market on a node (LEND.md): bindings over `abi/lending-market*.json` and
//! [`deploy_lending`], the market with its three facets (admin, rewards, views) over the
//! periphery of [`crate::lending`], with one market created.
#![allow(clippy::too_many_arguments)] // generated: `Liquidate` has eight fields

use alloy::{
    primitives::{Address, U256},
    providers::DynProvider,
    sol,
};
use anyhow::Result;

use crate::{
    deploy_activated, deploy_constructed,
    lending::{deploy_periphery, LendingPeriphery},
};

sol!(
    #[sol(rpc)]
    ILendingMarket,
    "../abi/lending-market.json"
);
sol!(
    #[sol(rpc)]
    ILendingMarketAdminFacet,
    "../abi/lending-market-admin-facet.json"
);
sol!(
    #[sol(rpc)]
    ILendingMarketViewsFacet,
    "../abi/lending-market-views-facet.json"
);

/// The LLTV of the market [`deploy_lending`] creates: 80%.
pub const LLTV: u128 = 8 * crate::lending::WAD / 10;

/// The lending market with its facets, its periphery and one created market.
#[derive(Clone)]
pub struct Lending {
    /// `lending-market` (hot paths; every other selector goes to the facets by delegatecall).
    pub market: Address,
    /// `lending-market-rewards-facet`.
    pub rewards_facet: Address,
    /// `lending-market-admin-facet`.
    pub admin_facet: Address,
    /// `lending-market-views-facet`.
    pub views_facet: Address,
    /// IRM, feeds, oracle and tokens.
    pub periphery: LendingPeriphery,
    /// The created market's parameters `(loan, collateral, oracle, irm, LLTV)`.
    pub params: ILendingMarket::MarketParams,
    /// Its id, `keccak256(abi.encode(params))`.
    pub id: alloy::primitives::B256,
}

impl Lending {
    /// The market's parameters as the views facet's binding spells them.
    pub fn views_params(&self) -> ILendingMarketViewsFacet::MarketParams {
        ILendingMarketViewsFacet::MarketParams {
            loanToken: self.params.loanToken,
            collateralToken: self.params.collateralToken,
            oracle: self.params.oracle,
            irm: self.params.irm,
            lltv: self.params.lltv,
        }
    }

    /// The market's parameters as the admin facet's binding spells them.
    pub fn admin_params(&self) -> ILendingMarketAdminFacet::MarketParams {
        ILendingMarketAdminFacet::MarketParams {
            loanToken: self.params.loanToken,
            collateralToken: self.params.collateralToken,
            oracle: self.params.oracle,
            irm: self.params.irm,
            lltv: self.params.lltv,
        }
    }
}

/// Deploys the periphery ([`deploy_periphery`]), the three facets (CREATE + activation) and the
/// market owned by `p`'s signer (StylusDeployer: `constructor(owner, rewardsFacet,
/// adminFacet, viewsFacet)`); enables the IRM and [`LLTV`] and creates the market (loan, collateral,
/// oracle, IRM, LLTV).
pub async fn deploy_lending(p: &DynProvider, owner: Address) -> Result<Lending> {
    deploy_lending_over(p, owner, deploy_periphery(p).await?).await
}

/// [`deploy_lending`] with loan and collateral tokens that are the Solidity ERC-20
/// `lending/LendingEvmToken` (the EVM tokens markets on Arbitrum hold) instead of `test-token`.
pub async fn deploy_lending_evm_tokens(p: &DynProvider, owner: Address) -> Result<Lending> {
    use alloy::sol_types::SolValue;
    let mut periphery = deploy_periphery(p).await?;
    periphery.loan = crate::solidity::deploy(
        p,
        "lending/LendingEvmToken",
        &U256::from(crate::lending::LOAN_DECIMALS).abi_encode(),
    )
    .await?;
    periphery.collateral = crate::solidity::deploy(
        p,
        "lending/LendingEvmToken",
        &U256::from(crate::lending::COLLATERAL_DECIMALS).abi_encode(),
    )
    .await?;
    deploy_lending_over(p, owner, periphery).await
}

/// [`deploy_lending`] over an already deployed `periphery`.
pub async fn deploy_lending_over(
    p: &DynProvider,
    owner: Address,
    periphery: LendingPeriphery,
) -> Result<Lending> {
    use alloy::sol_types::SolValue;
    let rewards_facet = deploy_activated(p, "lending-market-rewards-facet").await?;
    let admin_facet = deploy_activated(p, "lending-market-admin-facet").await?;
    let views_facet = deploy_activated(p, "lending-market-views-facet").await?;
    let market = deploy_constructed(
        p,
        "lending-market",
        scripts::suite::market_constructor_call(owner, rewards_facet, admin_facet, views_facet),
    )
    .await?;
    let params = ILendingMarket::MarketParams {
        loanToken: periphery.loan,
        collateralToken: periphery.collateral,
        oracle: periphery.oracle,
        irm: periphery.irm,
        lltv: U256::from(LLTV),
    };
    let id = alloy::primitives::keccak256(
        (
            params.loanToken,
            params.collateralToken,
            params.oracle,
            params.irm,
            params.lltv,
        )
            .abi_encode(),
    );
    let l = Lending {
        market,
        rewards_facet,
        admin_facet,
        views_facet,
        periphery,
        params,
        id,
    };
    let admin = ILendingMarketAdminFacet::new(market, p);
    send!(admin.enableIrm(periphery.irm));
    send!(admin.enableLltv(U256::from(LLTV)));
    send!(admin.createMarket(l.admin_params()));
    Ok(l)
}
