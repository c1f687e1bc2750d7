//! The liquidity pool under test, either implementation: the Stylus programs (pair template,
//! factory, router, WETH: contracts/liquidity-pool, pool-factory, pool-router, weth) or their
//! Solidity twins (tests/solidity/src/amm/), deployed on a node and driven through the same
//! Uniswap V2 ABI. Used by the e2e suite (tests/tests/e2e/pool.rs) and the gas bench
//! (tests/benches/pool_gas.rs).
//!
//! Bindings: the public V2 interfaces written in tests/solidity/src/amm/*.sol and the reward ABI
//! contracts/rewards/abi/IRewards.sol, through alloy's `sol!` (never hand-copied here).
#![allow(clippy::too_many_arguments)] // generated: permit and the router take many arguments

use alloy::{
    primitives::{keccak256, Address, B256, U256},
    providers::DynProvider,
    signers::{local::PrivateKeySigner, SignerSync},
    sol,
    sol_types::SolValue,
};
use anyhow::{Context, Result};

use crate::{abi::ITestToken, deploy_activated, solidity};

sol!(
    #[sol(rpc, abi)]
    "solidity/src/amm/IUniswapV2Pair.sol"
);
sol!(
    #[sol(rpc, abi)]
    "solidity/src/amm/IUniswapV2Factory.sol"
);
sol!(
    #[sol(rpc, abi)]
    "solidity/src/amm/IUniswapV2Router02.sol"
);
sol!(
    #[sol(rpc, abi)]
    "solidity/src/amm/IWETH.sol"
);
sol!(
    #[sol(rpc)]
    "solidity/src/amm/IFlashBorrower.sol"
);
sol!(
    #[sol(rpc, abi)]
    "../contracts/rewards/abi/IRewards.sol"
);

/// The public interfaces (as JSON ABI, from the `sol!` bindings above) and the artifacts whose
/// exported ABIs (`abi/<artifact>.json`) together must contain every function and event of each
/// (the pair serves IRewards and EIP-2612 through its rewards facet, entered from its fallback).
pub fn interfaces() -> Vec<(
    &'static str,
    alloy::json_abi::JsonAbi,
    &'static [&'static str],
)> {
    vec![
        (
            "IUniswapV2Pair",
            IUniswapV2Pair::abi::contract(),
            &["liquidity-pool", "liquidity-pool-rewards-facet"],
        ),
        (
            "IRewards",
            IRewards::abi::contract(),
            &["liquidity-pool", "liquidity-pool-rewards-facet"],
        ),
        (
            "IUniswapV2Factory",
            IUniswapV2Factory::abi::contract(),
            &["pool-factory"],
        ),
        (
            "IUniswapV2Router02",
            IUniswapV2Router02::abi::contract(),
            &["pool-router"],
        ),
        ("IWETH", IWETH::abi::contract(), &["weth"]),
    ]
}

/// The wasm artifacts of the Stylus pool.
pub const STYLUS_ARTIFACTS: [&str; 5] = [
    "liquidity-pool",
    "liquidity-pool-rewards-facet",
    "pool-factory",
    "weth",
    "pool-router",
];

/// Which implementation an [`Amm`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Impl {
    /// The Stylus (Rust, wasm) programs.
    Stylus,
    /// The Solidity twins.
    Solidity,
}

/// One deployed pool system.
#[derive(Clone, Debug)]
pub struct Amm {
    /// Which implementation.
    pub kind: Impl,
    /// IUniswapV2Factory.
    pub factory: Address,
    /// IUniswapV2Router02 over `factory` and `weth`.
    pub router: Address,
    /// IWETH.
    pub weth: Address,
    /// The factory's `pairInitCodeHash()`.
    pub init_code_hash: B256,
    /// The Stylus programs deployed (name, address): pair template, rewards facet, factory,
    /// WETH, router (for caching); empty for the twins.
    pub programs: Vec<(&'static str, Address)>,
}

impl Amm {
    /// Deploys the Solidity twins: TwinWETH, TwinFactory(fee_to_setter), TwinRouter(factory, weth).
    pub async fn deploy_solidity(p: &DynProvider, fee_to_setter: Address) -> Result<Amm> {
        let weth = solidity::deploy(p, "amm/TwinWETH", &[]).await?;
        let factory = solidity::deploy(p, "amm/TwinFactory", &fee_to_setter.abi_encode()).await?;
        let router =
            solidity::deploy(p, "amm/TwinRouter", &(factory, weth).abi_encode_params()).await?;
        Self::finish(p, Impl::Solidity, factory, router, weth, vec![]).await
    }

    /// Deploys the Stylus programs (AMM.md's design) with the PAIR and ROUTER engineers' helpers:
    /// [`crate::deploy_amm_core`] (rewards facet, the locked pair template, the factory
    /// `(feeToSetter, template, facet)`), [`crate::deploy_weth`], then
    /// [`crate::deploy_router`]`(factory, weth)`. Needs the wasm artifacts of the pipeline
    /// (`cargo run --release -p scripts -- build`).
    pub async fn deploy_stylus(p: &DynProvider, fee_to_setter: Address) -> Result<Amm> {
        let built = scripts::wasm::ensure_built();
        for name in STYLUS_ARTIFACTS {
            anyhow::ensure!(
                built.iter().any(|a| a.name == name),
                "no wasm artifact {name}: the Stylus pool is not on this branch yet (needs the \
                 PAIR and ROUTER branches merged)"
            );
        }
        let core = crate::deploy_amm_core(p, fee_to_setter).await?;
        let (template, facet, factory) = (core.template, core.facet, core.factory);
        let weth = crate::deploy_weth(p).await?;
        let router = crate::deploy_router(p, factory, weth).await?;
        let programs = vec![
            ("liquidity-pool", template),
            ("liquidity-pool-rewards-facet", facet),
            ("pool-factory", factory),
            ("weth", weth),
            ("pool-router", router),
        ];
        Self::finish(p, Impl::Stylus, factory, router, weth, programs).await
    }

    async fn finish(
        p: &DynProvider,
        kind: Impl,
        factory: Address,
        router: Address,
        weth: Address,
        programs: Vec<(&'static str, Address)>,
    ) -> Result<Amm> {
        let init_code_hash = IUniswapV2Factory::new(factory, p)
            .pairInitCodeHash()
            .call()
            .await
            .context("factory.pairInitCodeHash()")?;
        Ok(Amm {
            kind,
            factory,
            router,
            weth,
            init_code_hash,
            programs,
        })
    }

    /// The pair of `a` and `b` computed off chain, as Uniswap's `pairFor`:
    /// `keccak256(0xff ‖ factory ‖ keccak256(token0 ‖ token1) ‖ pairInitCodeHash)[12:]`.
    pub fn pair_for(&self, a: Address, b: Address) -> Address {
        let (t0, t1) = sort(a, b);
        let salt = keccak256([t0.as_slice(), t1.as_slice()].concat());
        self.factory.create2(salt, self.init_code_hash)
    }

    /// Factory binding.
    pub fn factory<'a>(
        &self,
        p: &'a DynProvider,
    ) -> IUniswapV2Factory::IUniswapV2FactoryInstance<&'a DynProvider> {
        IUniswapV2Factory::new(self.factory, p)
    }

    /// Router binding.
    pub fn router<'a>(
        &self,
        p: &'a DynProvider,
    ) -> IUniswapV2Router02::IUniswapV2Router02Instance<&'a DynProvider> {
        IUniswapV2Router02::new(self.router, p)
    }
}

/// `(token0, token1)`: the pair's token order.
pub fn sort(a: Address, b: Address) -> (Address, Address) {
    if a < b {
        (a, b)
    } else {
        (b, a)
    }
}

/// Deploys and initialises a Stylus test token (`artifact`: `test-token` or
/// `test-token-fee-on-transfer`) with 18 decimals.
pub async fn token(p: &DynProvider, artifact: &str, name: &str) -> Result<Address> {
    let t = deploy_activated(p, artifact).await?;
    let receipt = ITestToken::new(t, p)
        .initialize(name.into(), name.into(), 18)
        .send()
        .await?
        .get_receipt()
        .await?;
    anyhow::ensure!(receipt.status(), "initialising {name} reverted");
    Ok(t)
}

/// Deploys the flash-swap borrower fixture (Solidity, for both implementations).
pub async fn borrower(p: &DynProvider) -> Result<Address> {
    solidity::deploy(p, "amm/FlashBorrower", &[]).await
}

/// V2's `getAmountOut`: `in·997·R_out / (R_in·1000 + in·997)`, rounded down.
pub fn amount_out(amount_in: U256, reserve_in: U256, reserve_out: U256) -> U256 {
    let with_fee = amount_in * U256::from(997);
    with_fee * reserve_out / (reserve_in * U256::from(1000) + with_fee)
}

/// V2's `getAmountIn`: `R_in·out·1000 / ((R_out − out)·997) + 1`.
pub fn amount_in(amount_out: U256, reserve_in: U256, reserve_out: U256) -> U256 {
    reserve_in * amount_out * U256::from(1000) / ((reserve_out - amount_out) * U256::from(997))
        + U256::from(1)
}

/// EIP-2612 signature by `signer` approving `spender` for `value` of the LP token `pair`.
pub async fn sign_permit(
    p: &DynProvider,
    pair: Address,
    signer: &PrivateKeySigner,
    spender: Address,
    value: U256,
    deadline: U256,
) -> Result<(u8, B256, B256)> {
    let t = IUniswapV2Pair::new(pair, p);
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
