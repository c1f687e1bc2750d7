//! Solidity interfaces of the precompiles and system contracts (ABI only; behaviour lives in the
//! sibling modules). Selectors, events and errors follow Nitro's precompile interfaces and the
//! spec's tables (§1.12, §5); `tests/precompiles_abi.rs` pins every selector.

#![allow(missing_docs, clippy::too_many_arguments)]

alloy::sol! {
    /// ArbWasm (0x71): Stylus activation and lifecycle views.
    interface ArbWasm {
        function activateProgram(address program) external payable returns (uint16 version, uint256 dataFee);
        function stylusVersion() external view returns (uint16 version);
        function codehashVersion(bytes32 codehash) external view returns (uint16 version);
        function codehashKeepalive(bytes32 codehash) external payable;
        function codehashAsmSize(bytes32 codehash) external view returns (uint32 size);
        function programVersion(address program) external view returns (uint16 version);
        function programInitGas(address program) external view returns (uint64 gas, uint64 gasWhenCached);
        function programMemoryFootprint(address program) external view returns (uint16 footprint);
        function programTimeLeft(address program) external view returns (uint64 timeLeft);
        function inkPrice() external view returns (uint32 price);
        function maxStackDepth() external view returns (uint32 depth);
        function freePages() external view returns (uint16 pages);
        function pageGas() external view returns (uint16 gas);
        function pageRamp() external view returns (uint64 ramp);
        function pageLimit() external view returns (uint16 limit);
        function minInitGas() external view returns (uint64 gas, uint64 cached);
        function initCostScalar() external view returns (uint64 percent);
        function expiryDays() external view returns (uint16 _days);
        function keepaliveDays() external view returns (uint16 _days);
        function blockCacheSize() external view returns (uint16 count);
        function activationGas() external view returns (uint64 gas);

        event ProgramActivated(bytes32 indexed codehash, bytes32 moduleHash, address program, uint256 dataFee, uint16 version);
        event ProgramLifetimeExtended(bytes32 indexed codehash, uint256 dataFee);

        error ProgramNotWasm();
        error ProgramNotActivated();
        error ProgramNeedsUpgrade(uint16 version, uint16 stylusVersion);
        error ProgramExpired(uint64 ageInSeconds);
        error ProgramUpToDate();
        error ProgramKeepaliveTooSoon(uint64 ageInSeconds);
        error ProgramInsufficientValue(uint256 have, uint256 want);
    }

    /// ArbWasmCache (0x72): the program cache.
    interface ArbWasmCache {
        function isCacheManager(address manager) external view returns (bool);
        function allCacheManagers() external view returns (address[] memory managers);
        function cacheCodehash(bytes32 codehash) external;
        function cacheProgram(address addr) external;
        function evictCodehash(bytes32 codehash) external;
        function codehashIsCached(bytes32 codehash) external view returns (bool);

        event UpdateProgramCache(address indexed manager, bytes32 indexed codehash, bool cached);
    }

    /// ArbSys (0x64): system-level functionality.
    interface ArbSys {
        function arbBlockNumber() external view returns (uint256);
        function arbBlockHash(uint256 arbBlockNum) external view returns (bytes32);
        function arbChainID() external view returns (uint256);
        function arbOSVersion() external view returns (uint256);
        function getStorageGasAvailable() external view returns (uint256);
        function isTopLevelCall() external view returns (bool);
        function mapL1SenderContractAddressToL2Alias(address sender, address unused) external pure returns (address);
        function wasMyCallersAddressAliased() external view returns (bool);
        function myCallersAddressWithoutAliasing() external view returns (address);
        function withdrawEth(address destination) external payable returns (uint256);
        function sendTxToL1(address destination, bytes calldata data) external payable returns (uint256);
        function sendMerkleTreeState() external view returns (uint256 size, bytes32 root, bytes32[] memory partials);

        event L2ToL1Tx(
            address caller,
            address indexed destination,
            uint256 indexed hash,
            uint256 indexed position,
            uint256 arbBlockNum,
            uint256 ethBlockNum,
            uint256 timestamp,
            uint256 callvalue,
            bytes data
        );

        error InvalidBlockNumber(uint256 requested, uint256 current);
    }

    /// ArbGasInfo (0x6c): gas pricing information.
    interface ArbGasInfo {
        function getPricesInWeiWithAggregator(address aggregator) external view returns (uint256, uint256, uint256, uint256, uint256, uint256);
        function getPricesInWei() external view returns (uint256, uint256, uint256, uint256, uint256, uint256);
        function getPricesInArbGasWithAggregator(address aggregator) external view returns (uint256, uint256, uint256);
        function getPricesInArbGas() external view returns (uint256, uint256, uint256);
        function getGasAccountingParams() external view returns (uint256, uint256, uint256);
        function getMinimumGasPrice() external view returns (uint256);
        function getL1BaseFeeEstimate() external view returns (uint256);
        function getL1BaseFeeEstimateInertia() external view returns (uint64);
        function getL1RewardRate() external view returns (uint64);
        function getL1RewardRecipient() external view returns (address);
        function getL1GasPriceEstimate() external view returns (uint256);
        function getCurrentTxL1GasFees() external view returns (uint256);
        function getGasBacklog() external view returns (uint64);
        function getPricingInertia() external view returns (uint64);
        function getGasBacklogTolerance() external view returns (uint64);
        function getL1PricingSurplus() external view returns (int256);
        function getPerBatchGasCharge() external view returns (int64);
        function getAmortizedCostCapBips() external view returns (uint64);
        function getL1FeesAvailable() external view returns (uint256);
        function getMaxTxGasLimit() external view returns (uint64);
        function getMaxBlockGasLimit() external view returns (uint64);
    }

    /// ArbOwner (0x70): chain-owner administration.
    interface ArbOwner {
        function addChainOwner(address newOwner) external;
        function removeChainOwner(address ownerToRemove) external;
        function isChainOwner(address addr) external view returns (bool);
        function getAllChainOwners() external view returns (address[] memory);
        function setL1PricePerUnit(uint256 pricePerUnit) external;
        function getNetworkFeeAccount() external view returns (address);
        function setNetworkFeeAccount(address newNetworkFeeAccount) external;
        function setInkPrice(uint32 price) external;
        function setWasmMaxStackDepth(uint32 depth) external;
        function setWasmFreePages(uint16 pages) external;
        function setWasmPageGas(uint16 gas) external;
        function setWasmPageLimit(uint16 limit) external;
        function setWasmMaxSize(uint32 size) external;
        function setWasmMinInitGas(uint8 gas, uint16 cached) external;
        function setWasmInitCostScalar(uint64 percent) external;
        function setWasmExpiryDays(uint16 _days) external;
        function setWasmKeepaliveDays(uint16 _days) external;
        function setWasmBlockCacheSize(uint16 count) external;
        function addWasmCacheManager(address manager) external;
        function removeWasmCacheManager(address manager) external;
        function setMaxStylusContractFragments(uint8 maxFragments) external;
        function setWasmActivationGas(uint64 gas) external;

        event OwnerActs(bytes4 indexed method, address indexed owner, bytes data);
    }

    /// ArbOwnerPublic (0x6b): public views of owner state.
    interface ArbOwnerPublic {
        function isChainOwner(address addr) external view returns (bool);
        function getAllChainOwners() external view returns (address[] memory);
        function getNetworkFeeAccount() external view returns (address);
        function getInfraFeeAccount() external view returns (address);
        function getBrotliCompressionLevel() external view returns (uint64);
        function getMaxStylusContractFragments() external view returns (uint8);
    }

    /// ArbDebug (0xFF, debug chains only).
    interface ArbDebug {
        function becomeChainOwner() external;
        function events(bool flag, bytes32 value) external payable returns (address, uint256);
        function eventsView() external view;
        function customRevert(uint64 number) external pure;
        function panic() external;
        function legacyError() external pure;
        function overwriteContractCode(address target, bytes calldata code) external returns (bytes memory);

        event Basic(bool flag, bytes32 indexed value);
        event Mixed(bool indexed flag, bool not, bytes32 indexed value, address conn, address indexed caller);
        event Store(bool indexed flag, address indexed field, uint24 number, bytes32 value, bytes store);

        error Custom(uint64, string, bool);
        error Unused();
    }

    /// ArbosTest (0x69): gas burning.
    interface ArbosTest {
        function burnArbGas(uint256 gasAmount) external pure;
    }

    /// ArbInfo (0x65): account lookups.
    interface ArbInfo {
        function getBalance(address account) external view returns (uint256);
        function getCode(address account) external view returns (bytes memory);
    }

    /// StylusDeployer (system contract at 0xcEcba2F1…A990).
    interface StylusDeployer {
        function deploy(bytes calldata bytecode, bytes calldata initData, uint256 initValue, bytes32 salt) external payable returns (address);
        function initSalt(bytes32 salt, bytes calldata initData) external pure returns (bytes32);
        function requiresActivation(address addr) external view returns (bool);

        event ContractDeployed(address deployedContract);

        error ContractDeploymentError(bytes bytecode);
        error ContractInitializationError(address newContract, bytes data);
        error RefundExcessValueError(uint256 excessValue);
        error EmptyBytecode();
        error InitValueButNotInitData();
    }

    /// CacheManager (system contract, nitro-contracts `src/chain/CacheManager.sol` ABI): bids
    /// for a place in the Stylus program cache.
    interface CacheManager {
        struct Entry {
            bytes32 code;
            uint64 size;
            uint192 bid;
        }

        function cacheSize() external view returns (uint64);
        function queueSize() external view returns (uint64);
        function decay() external view returns (uint64);
        function isPaused() external view returns (bool);
        function entries(uint256 index) external view returns (bytes32 code, uint64 size, uint192 bid);
        function getEntries() external view returns (Entry[] memory);
        function getSmallestEntries(uint256 k) external view returns (Entry[] memory result);
        function getMinBid(uint64 size) external view returns (uint192 min);
        function getMinBid(bytes32 codehash) external view returns (uint192 min);
        function getMinBid(address program) external view returns (uint192 min);
        function placeBid(address program) external payable;
        function makeSpace(uint64 size) external payable returns (uint64 space);
        function setCacheSize(uint64 newSize) external;
        function setDecayRate(uint64 newDecay) external;
        function paused() external;
        function unpause() external;
        function evictAll() external;
        function evictPrograms(uint256 count) external;
        function sweepFunds() external;

        event InsertBid(bytes32 indexed codehash, address program, uint192 bid, uint64 size);
        event DeleteBid(bytes32 indexed codehash, uint192 bid, uint64 size);
        event SetCacheSize(uint64 size);
        event SetDecayRate(uint64 decay);
        event Pause();
        event Unpause();

        error NotChainOwner(address sender);
        error AsmTooLarge(uint256 asm, uint256 queueSize, uint256 cacheSize);
        error AlreadyCached(bytes32 codehash);
        error BidTooLarge(uint256 bid);
        error BidTooSmall(uint192 bid, uint192 min);
        error BidsArePaused();
        error MakeSpaceTooLarge(uint64 size, uint64 limit);
    }

    /// Solidity's builtin `Panic(uint256)` error.
    error Panic(uint256 code);
}
