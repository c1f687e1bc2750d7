//! alloy bindings generated from the ABI JSON the contracts export (`abi/*.json`) and from the
//! interfaces of the Solidity test contracts (`tests/solidity/src/IHooks.sol`): never hand-copied.
#![allow(clippy::too_many_arguments)] // generated: `permit` takes seven arguments

use alloy::sol;

sol!(
    #[sol(rpc)]
    IStakingVault,
    "../abi/staking-vault.json"
);
sol!(
    #[sol(rpc)]
    IStakingVaultRewardsFacet,
    "../abi/staking-vault-rewards-facet.json"
);
sol!(
    #[sol(rpc)]
    IPoolFactory,
    "../abi/pool-factory.json"
);
sol!(
    #[sol(rpc)]
    IPoolRouter,
    "../abi/pool-router.json"
);
sol!(
    #[sol(rpc)]
    IWeth,
    "../abi/weth.json"
);
sol!(
    #[sol(rpc)]
    ITestToken,
    "../abi/test-token.json"
);
sol!(
    #[sol(rpc)]
    "solidity/src/IHooks.sol"
);
