//! The contract suite that `deploy` and `demo` put on a chain: Solidity interfaces of the contracts
//! and precompiles they talk to, the deployment order, the CREATE initcode prelude and size limits.
//!
//! Everything here is pure (no RPC); the engines in [`crate::deploy`] and [`crate::demo`] drive it.

use alloy::primitives::{address, keccak256, Address, Bytes, B256, U256};

/// Address of the ArbWasm precompile (`0x…71`).
pub const ARB_WASM: Address = address!("0000000000000000000000000000000000000071");

/// Address of the StylusDeployer (nitro-contracts; cargo-stylus' default `--deployer-address`,
/// native in the devnode): deploys, activates and runs a `#[constructor]` in one transaction.
pub const STYLUS_DEPLOYER: Address = address!("cEcba2F1DC234f70Dd89F2041029807F8D03A990");

/// Share token name and symbol of the suite's vault.
pub const VAULT_NAME: &str = "Stylus Yield Vault USD";
/// See [`VAULT_NAME`].
pub const VAULT_SYMBOL: &str = "yvUSD";

/// Chain id of nitro-devnode and of the project's devnode.
pub const DEVNODE_CHAIN_ID: u64 = 412_346;

/// The published nitro-devnode dev account (funded with 1,000 ETH at genesis).
pub const DEV_ADDRESS: Address = address!("3f1Eae7D46d88F08fc2F8ed27FCb2AB183EB2d0E");

/// PUBLIC TEST KEY of [`DEV_ADDRESS`], published by Offchain Labs for nitro-devnode. It protects
/// nothing: never send real funds to it, never use it on a public chain.
pub const DEV_PRIVATE_KEY: &str =
    "0xb6b15c8cb491557369f3c7d2c287b053eb229daa9c22138887752191c9520659";

/// EIP-170 code size limit that Arbitrum applies to the prefixed, compressed Stylus code.
pub const MAX_CODE_SIZE: usize = 24_576;

/// EIP-3860 initcode limit (2 × [`MAX_CODE_SIZE`]).
pub const MAX_INITCODE_SIZE: usize = 2 * MAX_CODE_SIZE;

/// Prefix of a classic (single-contract) Stylus program with no brotli dictionary.
pub const STYLUS_PREFIX: [u8; 4] = [0xEF, 0xF0, 0x00, 0x00];

/// Length of the EVM prelude that [`initcode`] puts before the program (including the version byte).
pub const PRELUDE_LEN: usize = 43;

/// Reward stream duration set by `deploy` for the vault's reward token (7 days).
pub const REWARD_DURATION_SECS: u64 = 7 * 24 * 60 * 60;

alloy::sol! {
    /// ArbWasm precompile (stylus-host-spec §1.12), the subset the scripts use.
    #[sol(rpc, all_derives)]
    interface IArbWasm {
        function activateProgram(address program) external payable returns (uint16 version, uint256 dataFee);
        function stylusVersion() external view returns (uint16 version);
        function codehashVersion(bytes32 codehash) external view returns (uint16 version);
        error ProgramNotWasm();
        error ProgramNotActivated();
        error ProgramNeedsUpgrade(uint16 version, uint16 stylusVersion);
        error ProgramExpired(uint64 ageInSeconds);
        error ProgramUpToDate();
        error ProgramKeepaliveTooSoon(uint64 ageInSeconds);
        error ProgramInsufficientValue(uint256 have, uint256 want);
        event ProgramActivated(bytes32 indexed codehash, bytes32 moduleHash, address program, uint256 dataFee, uint16 version);
    }

    /// StylusDeployer (stylus-host-spec §5.6), the subset the scripts use.
    #[sol(rpc, all_derives)]
    interface IStylusDeployer {
        function deploy(bytes calldata bytecode, bytes calldata initData, uint256 initValue, bytes32 salt) external payable returns (address);
        event ContractDeployed(address deployedContract);
        error ContractDeploymentError(bytes bytecode);
        error ContractInitializationError(address newContract, bytes data);
        error RefundExcessValueError(uint256 excessValue);
        error EmptyBytecode();
        error InitValueButNotInitData();
    }

    /// The mintable test ERC-20 (`contracts/test-token`).
    #[sol(rpc)]
    interface ITestToken {
        function initialize(string name, string symbol, uint8 decimals) external;
        function name() external view returns (string);
        function symbol() external view returns (string);
        function decimals() external view returns (uint8);
        function totalSupply() external view returns (uint256);
        function balanceOf(address account) external view returns (uint256);
        function allowance(address owner, address spender) external view returns (uint256);
        function approve(address spender, uint256 amount) external returns (bool);
        function transfer(address to, uint256 amount) external returns (bool);
        function transferFrom(address from, address to, uint256 amount) external returns (bool);
        function mint(address to, uint256 amount) external;
    }

    /// The ERC-4626 staking vault with the shared reward ABI `IRewards` (`contracts/staking-vault`).
    #[sol(rpc)]
    interface IStakingVault {
        function setRewardsFacet(address facet) external;
        function rewardsFacet() external view returns (address);
        function rewardsFacetCodehash() external view returns (bytes32);
        function asset() external view returns (address);
        function decimals() external view returns (uint8);
        function totalAssets() external view returns (uint256);
        function totalSupply() external view returns (uint256);
        function balanceOf(address account) external view returns (uint256);
        function owner() external view returns (address);
        function deposit(uint256 assets, address receiver) external returns (uint256 shares);
        function redeem(uint256 shares, address receiver, address owner) external returns (uint256 assets);
        function withdraw(uint256 assets, address receiver, address owner) external returns (uint256 shares);
        function previewDeposit(uint256 assets) external view returns (uint256 shares);
        function rewardTokens() external view returns (address[] memory);
        function rewardData(address token) external view returns (address distributor, uint256 duration, uint256 periodFinish, uint256 rate, uint256 lastUpdate, uint256 rewardPerShare);
        function rewardPerShare(address token) external view returns (uint256);
        function earned(address account, address token) external view returns (uint256);
        function claim(address[] memory tokens, address to) external;
        function claimAll(address to) external;
        function addReward(address token, address distributor, uint256 duration) external;
        function setRewardsDuration(address token, uint256 duration) external;
        function notifyRewardAmount(address token, uint256 amount) external;
        function distribute(address token, uint256 amount) external;
    }
}

/// One contract of the suite, in deployment order (later ones may depend on earlier ones).
///
/// The royalty NFT comes last (nothing depends on it): its admin, config and rewards facets
/// (plain CREATE + activation), then the collection through the StylusDeployer with
/// [`royalty_nft_constructor_call`] (WETH for the holders' part of ETH royalties).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SuiteContract {
    /// The ERC-20 users deposit into the vault, the pool and the market (test token, 18 decimals).
    AssetToken,
    /// The ERC-20 every incentive stream pays (a test token, 18 decimals).
    RewardToken,
    /// The second pool token and the market's collateral (test token "sETH", 18 decimals).
    CollateralToken,
    /// The program serving the vault's reward ABI by delegatecall (same crate, `rewards-facet`).
    RewardsFacet,
    /// The ERC-4626 staking vault over the asset token, paying the reward token.
    Vault,
    /// The pairs' `IRewards` + permit facet (`liquidity-pool-rewards-facet`).
    PoolRewardsFacet,
    /// The locked `liquidity-pool` template every pair copies (StylusDeployer, locking constructor).
    PairTemplate,
    /// The `pool-factory` (StylusDeployer: `feeToSetter` = deployer, template, facet).
    PoolFactory,
    /// WETH9-equivalent (`weth`).
    Weth,
    /// The `pool-router` over the factory and WETH (StylusDeployer).
    Router,
    /// The jump-rate IRM (`lending-irm`, StylusDeployer with its curve).
    Irm,
    /// The sETH/sUSD price feed (`mock-aggregator`, 8 decimals).
    PriceFeed,
    /// The sequencer-uptime feed (`mock-aggregator`, answer 0: up).
    SequencerFeed,
    /// The Chainlink adapter over both feeds (`lending-oracle`).
    Oracle,
    /// `lending-market-rewards-facet`.
    MarketRewardsFacet,
    /// `lending-market-admin-facet`.
    MarketAdminFacet,
    /// `lending-market-views-facet`.
    MarketViewsFacet,
    /// The Morpho-Blue-class `lending-market` (StylusDeployer: owner, three facets).
    LendingMarket,
    /// `royalty-nft-admin-facet` (mintAllowlist, royalty accounting, creator withdrawals).
    NftAdminFacet,
    /// `royalty-nft-config-facet` (`initialize`, owner settings).
    NftConfigFacet,
    /// `royalty-nft-rewards-facet` (the holders' reward ABI).
    NftRewardsFacet,
    /// The `royalty-nft` collection (StylusDeployer: its facets and `initialize(...)`).
    RoyaltyNft,
}

impl SuiteContract {
    /// All contracts in deployment order (later ones may depend on earlier ones).
    pub const ALL: [SuiteContract; 22] = [
        Self::AssetToken,
        Self::RewardToken,
        Self::CollateralToken,
        Self::RewardsFacet,
        Self::Vault,
        Self::PoolRewardsFacet,
        Self::PairTemplate,
        Self::PoolFactory,
        Self::Weth,
        Self::Router,
        Self::Irm,
        Self::PriceFeed,
        Self::SequencerFeed,
        Self::Oracle,
        Self::MarketRewardsFacet,
        Self::MarketAdminFacet,
        Self::MarketViewsFacet,
        Self::LendingMarket,
        Self::NftAdminFacet,
        Self::NftConfigFacet,
        Self::NftRewardsFacet,
        Self::RoyaltyNft,
    ];

    /// Key of the contract in the deployments file.
    pub fn key(self) -> &'static str {
        match self {
            Self::AssetToken => "asset_token",
            Self::RewardToken => "reward_token",
            Self::CollateralToken => "collateral_token",
            Self::RewardsFacet => "rewards_facet",
            Self::Vault => "staking_vault",
            Self::PoolRewardsFacet => "pool_rewards_facet",
            Self::PairTemplate => "pair_template",
            Self::PoolFactory => "pool_factory",
            Self::Weth => "weth",
            Self::Router => "pool_router",
            Self::Irm => "lending_irm",
            Self::PriceFeed => "price_feed",
            Self::SequencerFeed => "sequencer_feed",
            Self::Oracle => "lending_oracle",
            Self::MarketRewardsFacet => "market_rewards_facet",
            Self::MarketAdminFacet => "market_admin_facet",
            Self::MarketViewsFacet => "market_views_facet",
            Self::LendingMarket => "lending_market",
            Self::NftAdminFacet => "nft_admin_facet",
            Self::NftConfigFacet => "nft_config_facet",
            Self::NftRewardsFacet => "nft_rewards_facet",
            Self::RoyaltyNft => "royalty_nft",
        }
    }

    /// Name of the wasm artifact (the contract crate) whose code this contract runs.
    pub fn artifact(self) -> &'static str {
        match self {
            Self::AssetToken | Self::RewardToken | Self::CollateralToken => "test-token",
            Self::RewardsFacet => "staking-vault-rewards-facet",
            Self::Vault => "staking-vault",
            Self::PoolRewardsFacet => "liquidity-pool-rewards-facet",
            Self::PairTemplate => "liquidity-pool",
            Self::PoolFactory => "pool-factory",
            Self::Weth => "weth",
            Self::Router => "pool-router",
            Self::Irm => "lending-irm",
            Self::PriceFeed | Self::SequencerFeed => "mock-aggregator",
            Self::Oracle => "lending-oracle",
            Self::MarketRewardsFacet => "lending-market-rewards-facet",
            Self::MarketAdminFacet => "lending-market-admin-facet",
            Self::MarketViewsFacet => "lending-market-views-facet",
            Self::LendingMarket => "lending-market",
            Self::NftAdminFacet => "royalty-nft-admin-facet",
            Self::NftConfigFacet => "royalty-nft-config-facet",
            Self::NftRewardsFacet => "royalty-nft-rewards-facet",
            Self::RoyaltyNft => "royalty-nft",
        }
    }

    /// The exported JSON ABI of the contract's artifact (relative to the repository root).
    pub fn abi_path(self) -> String {
        format!("abi/{}.json", self.artifact())
    }

    /// Whether it is deployed through the StylusDeployer with its `#[constructor]` (deployment,
    /// activation and construction in one transaction) rather than a plain CREATE + activation.
    pub fn constructed(self) -> bool {
        matches!(
            self,
            Self::Vault
                | Self::PairTemplate
                | Self::PoolFactory
                | Self::Router
                | Self::Irm
                | Self::PriceFeed
                | Self::SequencerFeed
                | Self::Oracle
                | Self::LendingMarket
                | Self::RoyaltyNft
        )
    }

    /// Human-readable label for progress lines and tables.
    pub fn label(self) -> &'static str {
        match self {
            Self::AssetToken => "asset token (sUSD)",
            Self::RewardToken => "reward token (sRWD)",
            Self::CollateralToken => "collateral token (sETH)",
            Self::RewardsFacet => "vault rewards facet",
            Self::Vault => "staking vault (yvUSD)",
            Self::PoolRewardsFacet => "pair rewards facet",
            Self::PairTemplate => "pair template",
            Self::PoolFactory => "pool factory",
            Self::Weth => "WETH",
            Self::Router => "pool router",
            Self::Irm => "lending IRM",
            Self::PriceFeed => "sETH/sUSD price feed",
            Self::SequencerFeed => "sequencer uptime feed",
            Self::Oracle => "lending oracle",
            Self::MarketRewardsFacet => "market rewards facet",
            Self::MarketAdminFacet => "market admin facet",
            Self::MarketViewsFacet => "market views facet",
            Self::LendingMarket => "lending market",
            Self::NftAdminFacet => "NFT admin facet",
            Self::NftConfigFacet => "NFT config facet",
            Self::NftRewardsFacet => "NFT rewards facet",
            Self::RoyaltyNft => "royalty NFT (SYART)",
        }
    }
}

/// Calldata of a Stylus `#[constructor]` with ABI-encoded `args` (what the StylusDeployer passes
/// as `initData`): the SDK routes the selector of `stylus_constructor()` to the constructor.
pub fn constructor_call(args: &[u8]) -> Bytes {
    let mut out = keccak256("stylus_constructor()")[..4].to_vec();
    out.extend_from_slice(args);
    out.into()
}

/// The vault's constructor calldata: `(asset, name, symbol, owner, rewardsFacet)`.
pub fn vault_constructor_call(asset: Address, owner: Address, facet: Address) -> Bytes {
    use alloy::sol_types::SolValue;
    let args = (
        asset,
        VAULT_NAME.to_string(),
        VAULT_SYMBOL.to_string(),
        owner,
        facet,
    )
        .abi_encode_params();
    constructor_call(&args)
}

/// The `liquidity-pool` template's constructor calldata (no arguments: it locks the template so
/// it can never be initialised as a pair; deploy it through the StylusDeployer).
pub fn pair_template_constructor_call() -> Bytes {
    constructor_call(&[])
}

/// The `pool-factory` constructor calldata: `(feeToSetter, pairTemplate, rewardsFacet)`.
/// `pairTemplate` is a deployed `liquidity-pool` (activated, constructed with
/// [`pair_template_constructor_call`]); `rewardsFacet` a deployed, activated
/// `liquidity-pool-rewards-facet`.
pub fn factory_constructor_call(
    fee_to_setter: Address,
    pair_template: Address,
    rewards_facet: Address,
) -> Bytes {
    use alloy::sol_types::SolValue;
    constructor_call(&(fee_to_setter, pair_template, rewards_facet).abi_encode_params())
}

/// The pool router's constructor calldata: `(factory, WETH)` (the router reads the factory's
/// `pairInitCodeHash()` during construction, so the factory must exist first).
pub fn router_constructor_call(factory: Address, weth: Address) -> Bytes {
    use alloy::sol_types::SolValue;
    constructor_call(&(factory, weth).abi_encode_params())
}

/// The `lending-market` constructor calldata: `(owner, rewardsFacet, adminFacet, viewsFacet)`,
/// the facets being deployed, activated `lending-market-rewards-facet`,
/// `lending-market-admin-facet` and `lending-market-views-facet` programs (the market's cold
/// paths, entered by delegatecall from its fallback).
pub fn market_constructor_call(
    owner: Address,
    rewards_facet: Address,
    admin_facet: Address,
    views_facet: Address,
) -> Bytes {
    use alloy::sol_types::SolValue;
    constructor_call(&(owner, rewards_facet, admin_facet, views_facet).abi_encode_params())
}

/// Signature of the royalty NFT's `initialize(...)`, served by its config facet
/// (`abi/royalty-nft-config-facet.json`; a test here checks the two agree).
pub const NFT_INITIALIZE_SIG: &str =
    "initialize(string,string,address,address,address[],uint256[],uint256,uint256,address)";

/// The royalty NFT's initialisation (the arguments of `initialize(...)`, in order), run by the
/// collection's constructor in its config facet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NftInit {
    /// ERC-721 name.
    pub name: String,
    /// ERC-721 symbol.
    pub symbol: String,
    /// Owner (sale, royalty and reward settings).
    pub owner: Address,
    /// WETH9-compatible token the holders' part of ETH royalties is wrapped into.
    pub weth: Address,
    /// Creator recipients (1..=8, distinct, non-zero).
    pub recipients: Vec<Address>,
    /// Their shares in bps (non-zero, summing to exactly 10,000).
    pub shares: Vec<U256>,
    /// Holders' part of every royalty in bps (≤ 10,000).
    pub holder_share_bps: U256,
    /// Default ERC-2981 royalty in bps (≤ 9,999).
    pub royalty_bps: U256,
    /// A deployed, activated `royalty-nft-rewards-facet`.
    pub rewards_facet: Address,
}

/// ABI-encoded `initialize(...)` call of `init` (the collection constructor's `init` argument).
pub fn nft_initialize_call(init: &NftInit) -> Bytes {
    use alloy::sol_types::SolValue;
    let mut out = keccak256(NFT_INITIALIZE_SIG)[..4].to_vec();
    out.extend_from_slice(
        &(
            init.name.clone(),
            init.symbol.clone(),
            init.owner,
            init.weth,
            init.recipients.clone(),
            init.shares.clone(),
            init.holder_share_bps,
            init.royalty_bps,
            init.rewards_facet,
        )
            .abi_encode_params(),
    );
    out.into()
}

/// The `royalty-nft` constructor calldata: `(adminFacet, configFacet, init)`, the facets being
/// deployed, activated `royalty-nft-admin-facet` and `royalty-nft-config-facet` programs and
/// `init` the [`nft_initialize_call`] of `init` (which names the rewards facet).
pub fn royalty_nft_constructor_call(
    admin_facet: Address,
    config_facet: Address,
    init: &NftInit,
) -> Bytes {
    use alloy::sol_types::SolValue;
    constructor_call(&(admin_facet, config_facet, nft_initialize_call(init)).abi_encode_params())
}

/// The `lending-irm` constructor calldata: `(baseRatePerSecond, slopePerSecond, kink,
/// jumpSlopePerSecond)`, per-second WAD rates and a WAD kink below 1e18.
pub fn irm_constructor_call(base: U256, slope: U256, kink: U256, jump_slope: U256) -> Bytes {
    use alloy::sol_types::SolValue;
    constructor_call(&(base, slope, kink, jump_slope).abi_encode_params())
}

/// The `lending-oracle` configuration (its constructor's arguments, in order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OracleConfig {
    /// Chainlink `AggregatorV3Interface` quoting 1 collateral token in loan-token units.
    pub feed: Address,
    /// Sequencer-uptime feed (zero: none).
    pub sequencer_feed: Address,
    /// Seconds after the sequencer is back up before prices are served.
    pub grace_period: U256,
    /// Maximum age of the feed's latest round in seconds.
    pub max_staleness: U256,
    /// Lowest accepted answer (> 0).
    pub min_answer: alloy::primitives::I256,
    /// Highest accepted answer (<= int128.max).
    pub max_answer: alloy::primitives::I256,
    /// Decimals of the collateral token.
    pub collateral_decimals: u8,
    /// Decimals of the loan token.
    pub loan_decimals: u8,
}

/// The `lending-oracle` constructor calldata: `(feed, sequencerFeed, gracePeriod,
/// maxStaleness, minAnswer, maxAnswer, collateralDecimals, loanDecimals)`.
pub fn oracle_constructor_call(c: &OracleConfig) -> Bytes {
    use alloy::sol_types::SolValue;
    constructor_call(
        &(
            c.feed,
            c.sequencer_feed,
            c.grace_period,
            c.max_staleness,
            c.min_answer,
            c.max_answer,
            // uint8 encodes as one word, like uint256.
            U256::from(c.collateral_decimals),
            U256::from(c.loan_decimals),
        )
            .abi_encode_params(),
    )
}

/// The `mock-aggregator` constructor calldata: `(decimals, answer)` (round 1 answers `answer`
/// now). A sequencer-uptime mock is `(0, 0)`: up since deployment.
pub fn aggregator_constructor_call(decimals: u8, answer: alloy::primitives::I256) -> Bytes {
    use alloy::sol_types::SolValue;
    constructor_call(&(U256::from(decimals), answer).abi_encode_params())
}

/// Deployment transaction initcode for Stylus `code`, as cargo-stylus builds it (spec §1.3):
/// `PUSH32 len, DUP1, PUSH1 43, PUSH1 0, CODECOPY, PUSH1 0, RETURN, 0x00 (version)`, then the code.
pub fn initcode(code: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(PRELUDE_LEN + code.len());
    out.push(0x7f); // PUSH32
    out.extend_from_slice(&U256::from(code.len()).to_be_bytes::<32>());
    out.push(0x80); // DUP1
    out.extend_from_slice(&[0x60, PRELUDE_LEN as u8]); // PUSH1 43 (code offset)
    out.extend_from_slice(&[0x60, 0x00]); // PUSH1 0 (memory offset)
    out.push(0x39); // CODECOPY
    out.extend_from_slice(&[0x60, 0x00]); // PUSH1 0
    out.push(0xf3); // RETURN
    out.push(0x00); // version byte
    debug_assert_eq!(out.len(), PRELUDE_LEN);
    out.extend_from_slice(code);
    out.into()
}

/// Reasons deployable code is refused before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    /// The code lacks the `EF F0 00 00` classic-program prefix.
    #[error("{name}: deployable code does not start with the Stylus prefix EF F0 00 00")]
    NotStylus {
        /// Artifact name.
        name: String,
    },
    /// The code is larger than the chain's code size limit.
    #[error("{name}: deployable code is {size} bytes, over the {limit}-byte contract size limit")]
    TooLarge {
        /// Artifact name.
        name: String,
        /// Size of the prefixed compressed code.
        size: usize,
        /// The limit.
        limit: usize,
    },
}

/// Checks that `code` is a classic Stylus program within the size limits; returns its code hash.
pub fn check_code(name: &str, code: &[u8]) -> Result<B256, CodeError> {
    if code.len() <= STYLUS_PREFIX.len() || !code.starts_with(&STYLUS_PREFIX) {
        return Err(CodeError::NotStylus { name: name.into() });
    }
    if code.len() > MAX_CODE_SIZE || code.len() + PRELUDE_LEN > MAX_INITCODE_SIZE {
        return Err(CodeError::TooLarge {
            name: name.into(),
            size: code.len(),
            limit: MAX_CODE_SIZE,
        });
    }
    Ok(keccak256(code))
}

/// Formats a wei amount with 18 decimals as a short decimal string (e.g. `1.5`, `0.000123`).
pub fn format_units18(value: U256) -> String {
    format_units(value, 18)
}

/// Formats `value` with `decimals` decimals, without trailing zeros (e.g. `1.5`, `1000`).
pub fn format_units(value: U256, decimals: u8) -> String {
    let unit = U256::from(10u64).pow(U256::from(decimals));
    let int = value / unit;
    let frac = value % unit;
    if frac.is_zero() {
        return int.to_string();
    }
    let frac = format!("{:0>width$}", frac.to_string(), width = decimals as usize);
    let frac = frac.trim_end_matches('0');
    format!("{int}.{frac}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stylus_code(len: usize) -> Vec<u8> {
        let mut code = STYLUS_PREFIX.to_vec();
        code.resize(len, 0xAB);
        code
    }

    #[test]
    fn prelude_matches_cargo_stylus_layout() {
        let code = stylus_code(300);
        let init = initcode(&code);
        assert_eq!(init.len(), PRELUDE_LEN + 300);
        assert_eq!(init[0], 0x7f);
        assert_eq!(U256::from_be_slice(&init[1..33]), U256::from(300));
        assert_eq!(
            &init[33..43],
            &[0x80, 0x60, 43, 0x60, 0, 0x39, 0x60, 0, 0xf3, 0x00]
        );
        assert_eq!(&init[43..], &code[..]);
    }

    #[test]
    fn prelude_returns_exactly_the_code() {
        // Interpret the 7 prelude opcodes by hand: CODECOPY(dest 0, offset 43, len) then RETURN(0, len).
        let code = stylus_code(1000);
        let init = initcode(&code);
        let len = U256::from_be_slice(&init[1..33]).to::<usize>();
        let offset = init[35] as usize;
        assert_eq!(&init[offset..offset + len], &code[..]);
    }

    #[test]
    fn code_checks() {
        assert_eq!(
            check_code("x", &stylus_code(100)),
            Ok(keccak256(stylus_code(100)))
        );
        assert!(matches!(
            check_code("x", &STYLUS_PREFIX),
            Err(CodeError::NotStylus { .. })
        ));
        assert!(matches!(
            check_code("x", &[0x60, 0x00, 0x60, 0x00, 0xf3]),
            Err(CodeError::NotStylus { .. })
        ));
        assert!(check_code("x", &stylus_code(MAX_CODE_SIZE)).is_ok());
        let err = check_code("vault", &stylus_code(MAX_CODE_SIZE + 1)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "vault: deployable code is 24577 bytes, over the 24576-byte contract size limit"
        );
    }

    #[test]
    fn units_formatting() {
        let e18 = U256::from(10u64).pow(U256::from(18u64));
        assert_eq!(format_units18(U256::ZERO), "0");
        assert_eq!(format_units18(e18 * U256::from(3u64)), "3");
        assert_eq!(format_units18(e18 + e18 / U256::from(2u64)), "1.5");
        assert_eq!(format_units18(U256::from(1u64)), "0.000000000000000001");
        assert_eq!(format_units(U256::from(1_500_000u64), 6), "1.5");
        assert_eq!(format_units(U256::from(7u64), 0), "7");
    }

    #[test]
    fn dev_key_matches_dev_address() {
        let signer: alloy::signers::local::PrivateKeySigner = DEV_PRIVATE_KEY.parse().unwrap();
        assert_eq!(signer.address(), DEV_ADDRESS);
    }

    #[test]
    fn selectors_match_the_spec() {
        use alloy::sol_types::{SolCall, SolError};
        assert_eq!(
            IArbWasm::activateProgramCall::SELECTOR,
            [0x58, 0xc7, 0x80, 0xc2]
        );
        assert_eq!(
            IArbWasm::codehashVersionCall::SELECTOR,
            [0xd7, 0x0c, 0x0c, 0xa7]
        );
        assert_eq!(
            IArbWasm::ProgramUpToDate::SELECTOR,
            [0xcc, 0x94, 0x4b, 0xf2]
        );
        assert_eq!(
            IArbWasm::ProgramInsufficientValue::SELECTOR,
            [0x09, 0x78, 0x1a, 0xb7]
        );
    }
}

#[cfg(test)]
mod nft_init {
    use super::*;

    /// The hand-written signature is the config facet's exported `initialize`.
    #[test]
    fn initialize_selector_matches_the_exported_abi() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../abi/royalty-nft-config-facet.json"
        );
        let abi: alloy_json_abi::JsonAbi =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let f = &abi.function("initialize").unwrap()[0];
        assert_eq!(f.signature(), NFT_INITIALIZE_SIG);
        let init = NftInit {
            name: "A".into(),
            symbol: "B".into(),
            owner: Address::repeat_byte(1),
            weth: Address::repeat_byte(2),
            recipients: vec![Address::repeat_byte(3)],
            shares: vec![U256::from(10_000)],
            holder_share_bps: U256::from(5_000),
            royalty_bps: U256::from(500),
            rewards_facet: Address::repeat_byte(4),
        };
        let call = nft_initialize_call(&init);
        assert_eq!(call[..4], f.selector()[..]);
        let ctor =
            royalty_nft_constructor_call(Address::repeat_byte(5), Address::repeat_byte(6), &init);
        assert_eq!(ctor[..4], keccak256("stylus_constructor()")[..4]);
        // (address, address, bytes): the bytes' offset is the third word, then length and data.
        assert_eq!(U256::from_be_slice(&ctor[4 + 64..4 + 96]), U256::from(96));
        assert_eq!(
            U256::from_be_slice(&ctor[4 + 96..4 + 128]),
            U256::from(call.len())
        );
        assert_eq!(&ctor[4 + 128..4 + 128 + call.len()], &call[..]);
    }
}

#[cfg(test)]
mod pipeline_agreement {
    #[test]
    fn prelude_agrees_with_the_wasm_pipeline() {
        let code = [0xEFu8, 0xF0, 0, 0, 1, 2, 3];
        assert_eq!(
            super::initcode(&code).to_vec(),
            crate::wasm::create_initcode(&code)
        );
    }
}
