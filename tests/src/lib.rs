//! Shared helpers of the end-to-end tests: a node to talk to (a spawned devnode, or any node given
//! by `STYLUS_RPC_URL` + `PRIVATE_KEY`: see [`node()`]), signing providers, and deployment of the
//! workspace's wasm artifacts: a plain CREATE followed by `ArbWasm.activateProgram`
//! ([`deploy_activated`]), or deploy + activation + `#[constructor]` in one StylusDeployer
//! transaction ([`deploy_constructed`], how the vault is deployed).

use alloy::{
    network::{EthereumWallet, TransactionBuilder},
    primitives::{address, Address, Bytes, U256},
    providers::{DynProvider, Provider, ProviderBuilder},
    rpc::types::TransactionRequest,
    signers::local::PrivateKeySigner,
    sol,
};
use anyhow::{anyhow, Context, Result};

/// Sends a contract call, waits for its receipt and fails the calling test (`anyhow`) if it
/// reverted; evaluates to the receipt.
#[macro_export]
macro_rules! send {
    ($call:expr) => {{
        let receipt = $call.send().await?.get_receipt().await?;
        anyhow::ensure!(
            receipt.status(),
            "transaction reverted: {}",
            stringify!($call)
        );
        receipt
    }};
}

pub mod abi;
pub mod amm;
pub mod gas;
pub mod lending;
pub mod lending_market;
pub mod nft;
mod node;
pub mod solidity;

pub use node::{
    derived_keys, external_url, is_external, mine, node, set_automine, skipped, time_travel, Node,
};

sol! {
    /// The part of ArbWasm (0x71) the tests use.
    #[sol(rpc)]
    interface IArbWasm {
        function activateProgram(address program) external payable returns (uint16 version, uint256 dataFee);
    }
}

/// Deploys the wasm `artifact` through the StylusDeployer, which activates it and calls its
/// `#[constructor]` with `init_data` (see `scripts::suite::constructor_call`) in the same
/// transaction; returns the new contract's address. Sends 1 ETH for the data fee: the deployer
/// refunds what activation does not use.
pub async fn deploy_constructed(
    p: &DynProvider,
    artifact: &str,
    init_data: Bytes,
) -> Result<Address> {
    use scripts::suite::{IStylusDeployer, STYLUS_DEPLOYER};
    let initcode = Bytes::from(scripts::wasm::artifact(artifact).initcode());
    let deployer = IStylusDeployer::new(STYLUS_DEPLOYER, p);
    let receipt = deployer
        .deploy_call(initcode, init_data, U256::ZERO, Default::default())
        .value(U256::from(10u128.pow(18)))
        .send()
        .await
        .with_context(|| format!("deploying {artifact} through the StylusDeployer"))?
        .get_receipt()
        .await?;
    anyhow::ensure!(receipt.status(), "deploying {artifact} reverted");
    receipt
        .inner
        .logs()
        .iter()
        .find_map(|l| l.log_decode::<IStylusDeployer::ContractDeployed>().ok())
        .map(|e| e.inner.data.deployedContract)
        .context("no ContractDeployed event")
}

/// Deploys the staking vault over `asset` with `facet`, owned by `owner`, in one transaction.
pub async fn deploy_vault(
    p: &DynProvider,
    asset: Address,
    owner: Address,
    facet: Address,
) -> Result<Address> {
    let init = scripts::suite::vault_constructor_call(asset, owner, facet);
    deploy_constructed(p, "staking-vault", init).await
}

/// The core of the liquidity pool as deployed by [`deploy_amm_core`].
#[derive(Debug, Clone, Copy)]
pub struct AmmCore {
    /// The `pool-factory`.
    pub factory: Address,
    /// The locked `liquidity-pool` template every pair copies.
    pub template: Address,
    /// The pairs' `liquidity-pool-rewards-facet` (IRewards + permit, by delegatecall).
    pub facet: Address,
}

/// Deploys the liquidity pool's core: the rewards facet (CREATE + activation), the pair
/// template (StylusDeployer: activation + the locking constructor) and the factory
/// (StylusDeployer: `constructor(feeToSetter, template, facet)`). Pairs are then made with
/// `factory.createPair(a, b)`: CREATE2 copies of the activated template.
pub async fn deploy_amm_core(p: &DynProvider, fee_to_setter: Address) -> Result<AmmCore> {
    use scripts::suite::{factory_constructor_call, pair_template_constructor_call};
    let facet = deploy_activated(p, "liquidity-pool-rewards-facet").await?;
    let template =
        deploy_constructed(p, "liquidity-pool", pair_template_constructor_call()).await?;
    let factory = deploy_constructed(
        p,
        "pool-factory",
        factory_constructor_call(fee_to_setter, template, facet),
    )
    .await?;
    Ok(AmmCore {
        factory,
        template,
        facet,
    })
}

/// Deploys the WETH9-equivalent `weth` (no constructor: a plain CREATE plus activation).
pub async fn deploy_weth(p: &DynProvider) -> Result<Address> {
    deploy_activated(p, "weth").await
}

/// Deploys the pool router over `factory` (which must answer `pairInitCodeHash()`) and `weth`,
/// constructed in the same transaction.
pub async fn deploy_router(p: &DynProvider, factory: Address, weth: Address) -> Result<Address> {
    let init = scripts::suite::router_constructor_call(factory, weth);
    deploy_constructed(p, "pool-router", init).await
}

/// ArbWasm precompile address.
pub const ARB_WASM: Address = address!("0000000000000000000000000000000000000071");

/// Selector of ArbWasm's `ProgramUpToDate()` error: the code hash is already activated.
const PROGRAM_UP_TO_DATE: [u8; 4] = [0xcc, 0x94, 0x4b, 0xf2];

/// A provider at `url` that signs with `signer`.
pub fn provider(url: &str, signer: PrivateKeySigner) -> Result<DynProvider> {
    Ok(ProviderBuilder::new()
        .wallet(EthereumWallet::from(signer))
        .connect_http(url.parse()?)
        .erased())
}

/// Sends a CREATE transaction with `initcode` and returns the new contract's address.
pub async fn create(p: &DynProvider, initcode: Vec<u8>) -> Result<Address> {
    let tx = TransactionRequest::default().with_deploy_code(Bytes::from(initcode));
    let receipt = p.send_transaction(tx).await?.get_receipt().await?;
    anyhow::ensure!(receipt.status(), "deployment reverted");
    receipt.contract_address.context("no contract address")
}

/// Deploys the wasm `artifact` (built by the pipeline) with a plain CREATE and activates it,
/// paying the data fee quoted by an `eth_call` (nothing to pay when the code hash is already active).
pub async fn deploy_activated(p: &DynProvider, artifact: &str) -> Result<Address> {
    let program = create(p, scripts::wasm::artifact(artifact).initcode())
        .await
        .with_context(|| format!("deploying {artifact}"))?;
    let arb_wasm = IArbWasm::new(ARB_WASM, p);
    let quote = match arb_wasm
        .activateProgram(program)
        .value(U256::from(10u128.pow(18)))
        .call()
        .await
    {
        Ok(q) => q,
        Err(e)
            if e.as_revert_data()
                .is_some_and(|d| d.starts_with(&PROGRAM_UP_TO_DATE)) =>
        {
            return Ok(program)
        }
        Err(e) => return Err(anyhow!(e).context(format!("quoting the activation of {artifact}"))),
    };
    // The data fee rises steeply while others activate (Nitro's data pricer: exp(demand /
    // inertia), each activation adding its asm size to the demand), so concurrent suites would
    // fail with ProgramInsufficientValue paying the quote (or cargo-stylus' quote + 20 %). Pay
    // what the quote had attached; the excess is refunded.
    anyhow::ensure!(
        quote.dataFee < U256::from(10u128.pow(18)),
        "data fee {} for {artifact}",
        quote.dataFee
    );
    let receipt = arb_wasm
        .activateProgram(program)
        .value(U256::from(10u128.pow(18)))
        .send()
        .await?
        .get_receipt()
        .await?;
    anyhow::ensure!(receipt.status(), "activating {artifact} reverted");
    Ok(program)
}
