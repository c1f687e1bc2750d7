//! Stylus Yield liquidity pool: a Uniswap-V2-class constant-product **pair** (0.30 % fee) whose LP
//! token (an ERC-20 with EIP-2612 permit) earns streamed incentives through the shared reward
//! module. The ABI is `IUniswapV2Pair`'s, unchanged, plus the one reward ABI `IRewards`.
//!
//! # Design decisions
//! * **Deployment by template copy**: a Stylus factory cannot embed a 20 KB pair, so the factory
//!   (`pool-factory`) CREATE2-deploys a **full-code copy of an already activated pair template**:
//!   `initcode = PRELUDE ‖ templateCode` (the 43-byte EVM prelude that returns the appended code),
//!   salt `keccak256(abi.encodePacked(token0, token1))`. The copy has the template's code hash,
//!   so it is already activated (no second activation). The factory calls
//!   `initialize(token0, token1)` in the same transaction, so it cannot be front-run; the pair
//!   records `factory = msg.sender`. Off-chain address: `pairFor(factory, a, b) =
//!   address(keccak256(0xff ‖ factory ‖ keccak256(token0 ‖ token1) ‖ pairInitCodeHash)[12:])`
//!   with `pairInitCodeHash()` read once from the factory (exactly Uniswap's formula).
//! * **The template is locked**: its `#[constructor]` (run by the StylusDeployer) makes it its own
//!   factory, so `initialize` reverts `UniswapV2Forbidden()` and, never unlocked, every
//!   state-changing entry point reverts `UniswapV2Locked()`. The constructor refuses to run on an
//!   initialised pair (a copy's constructor slot is empty, so the SDK alone would not stop it).
//! * **Reentrancy**: flash-swap borrowers call other pairs (other addresses: never a reentrant
//!   call), and a reentrant call into the *same* pair must fail with a named error. The pair
//!   therefore writes its own `user_entrypoint` without the SDK's (deprecated) blanket
//!   `msg_reentrant` denial, which would revert empty — without turning on the SDK's `reentrant`
//!   *feature*, which cargo would unify into every other contract of a workspace build — and
//!   guards `mint`, `burn`, `swap`, `skim` and `sync` with Nitro's own reentrancy signal instead
//!   of V2's storage lock: `msg_reentrant()` is true exactly when the pair's address already
//!   has an open non-delegate frame in the transaction, i.e. this call comes from inside a call
//!   the pair made (a token transfer or hook, the flash-swap callback, a reward token's
//!   transfer during a claim); delegate frames (the facet) do not count. Reentry reverts
//!   `UniswapV2Locked()`, with no storage write (V2's 1 → 0 → 1 lock cost two slot flushes per
//!   call). The template stays locked by storage: `unlocked` (in `token1`'s slot, which the
//!   guarded calls read anyway) is set once by `initialize` and never cleared, so every guarded
//!   call on the template reverts `UniswapV2Locked()`. **Read-only reentrancy**: `getReserves()`
//!   and every reward call (the fallback) revert `UniswapV2Locked()` on a reentrant call
//!   (during a flash-swap callback, or a token hook in `burn`, reserves and LP supply can be
//!   mid-update, the state read-only-reentrancy exploits price LP tokens from). This is
//!   stricter than V2's lock in one place, by design: a token called by a reward claim or a
//!   reward funding (through the facet) cannot call back into the pair either. Every other view
//!   (ERC-20, accumulators, `kLast`) stays readable, and the LP token's `transfer` stays
//!   callable mid-callback, as in V2. Calls through the SDK flush the storage cache before
//!   control leaves the program.
//! * **Maths**: checked 256-bit maths everywhere (named `MathOverflow()` / `MathUnderflow()`),
//!   divisions through `kit::math` (Stylus `math_div` host function), `√` from `kit::sqrt`.
//!   Wrapping arithmetic only where V2 relies on it: the `uint32` timestamp delta and the two
//!   UQ112x112 price accumulators (which overflow by design; oracles subtract modulo 2^256).
//!   Reserves are `uint112` (`UniswapV2Overflow()` above), packed with the `uint32` timestamp in
//!   one slot as in V2.
//! * **Rounding favours the pool**: LP minted and tokens paid on burn round down; the fee-adjusted
//!   invariant check is exact integer maths (`(1000·b0 − 3·in0)(1000·b1 − 3·in1) ≥ 1000²·r0·r1`).
//! * **MINIMUM_LIQUIDITY**: the first mint locks 1000 LP wei forever. The kit's ERC-20 refuses
//!   mints to `address(0)`, so they are minted to [`LOCKED_LIQUIDITY_HOLDER`] (`0x…dEaD`, no known
//!   key): `totalSupply() ≥ 1000` for ever after the first mint, which makes the first-depositor
//!   inflation attack cost ~1000× what it could steal (V2's argument).
//! * **Protocol fee**: when the factory's `feeTo` is set, `mint`/`burn` mint
//!   `totalSupply·(√k − √kLast) / (5·√k + √kLast)` LP to `feeTo` (1/6 of the growth of √k) and
//!   record `kLast`; switching it off clears `kLast` (V2's `_mintFee`).
//! * **LP incentives**: every LP balance change (mint, burn, transfer, transferFrom and the
//!   protocol-fee mint) goes through the kit's hooked ERC-20, whose `before_update` checkpoints
//!   both parties in the reward module (source 0 = LP balances). LP held by the pair itself
//!   (sent for a `burn`) and by the MINIMUM_LIQUIDITY holder earn nothing: their reward balance
//!   is 0 and the reward supply is `totalSupply − balanceOf(pair) − balanceOf(0x…dEaD)`.
//!   token0, token1 and the LP token are principal tokens (never rewards, never recoverable).
//!   The reward admin is the factory's `feeToSetter` (read live).
//! * **Two programs, one pair (size)**: the hot path (ERC-20 LP token with the reward
//!   checkpoint, mint/burn/swap/skim/sync, views) is the pair program; the `IRewards` ABI and
//!   EIP-2612 (`permit`, `nonces`, `DOMAIN_SEPARATOR`) are served by a **facet** (this crate
//!   built with feature `rewards-facet`, artifact `liquidity-pool-rewards-facet`) entered by
//!   `delegatecall` from the pair's fallback, on the pair's storage at the pair's address. Its
//!   address is the factory's `rewardsFacet()` (checked by the factory's constructor against
//!   [`FACET_VERSION`]), read per call, so every pair shares it and none stores it. The pair
//!   address therefore answers all of `IUniswapV2Pair` + `IRewards`; `abi/liquidity-pool.json`
//!   lists the pair program's own functions and `abi/liquidity-pool-rewards-facet.json` the
//!   delegated ones. A permit costs one extra program entry and a factory read (~10k gas).
//! * **LP metadata** are constants (name "Stylus Yield LP", symbol "SY-LP", 18 decimals): no
//!   storage writes at creation, no storage read for the permit domain.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "contract-client-gen", allow(unused_imports))]
#![cfg_attr(feature = "rewards-facet", allow(unused_imports, dead_code))]

extern crate alloc;

pub mod pool_math;

use alloc::{string::String, vec::Vec};

use alloy_primitives::{address, Address, Uint, B256, U256};
use alloy_sol_types::{sol, SolCall};
use kit::{
    eip712::{ECDSAInvalidSignature, ECDSAInvalidSignatureS, EcdsaError},
    erc20::{
        ERC20InsufficientAllowance, ERC20InsufficientBalance, ERC20InvalidApprover,
        ERC20InvalidReceiver, ERC20InvalidSender, ERC20InvalidSpender, Erc20, Erc20Error,
        Erc20Host, IErc20,
    },
    math::{MathDivisionByZero, MathError, MathOverflow, MathUnderflow},
    permit::{
        ERC2612ExpiredSignature, ERC2612InvalidSigner, Erc20PermitHost, IErc20Permit, Nonces,
        PermitError,
    },
    safe_erc20::{SafeERC20FailedOperation, SafeErc20Error},
};
use rewards::{
    IRewards, RewardFundingCap, RewardInvalidDuration, RewardMathOverflow,
    RewardRecoveryMovedProtected, RewardSourceUnknown, RewardTokenExists, RewardTokenForbidden,
    RewardTokenLimit, RewardTokenUnknown, RewardUnauthorized, RewardZeroAddress, RewardZeroAmount,
    Rewards, RewardsError, RewardsHost, DEFAULT_SOURCE,
};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageU256, StorageU32, StorageUint},
    ArbResult,
};

/// LP wei locked for ever by the first mint (V2's `MINIMUM_LIQUIDITY`).
pub const MINIMUM_LIQUIDITY: U256 = U256::from_limbs([1000, 0, 0, 0]);

/// Holder of the locked [`MINIMUM_LIQUIDITY`] (the kit's ERC-20 refuses `address(0)`).
pub const LOCKED_LIQUIDITY_HOLDER: Address = address!("000000000000000000000000000000000000dEaD");

/// LP token name (also the EIP-712 domain name).
pub const LP_NAME: &str = "Stylus Yield LP";
/// LP token symbol.
pub const LP_SYMBOL: &str = "SY-LP";
/// LP token decimals.
pub const LP_DECIMALS: u8 = 18;

/// Storage-layout id of the pair's rewards facet: the factory only accepts a facet whose
/// `rewardsFacetVersion()` returns it (bump it whenever the storage layout changes).
pub const FACET_VERSION: B256 = B256::new(*b"stylus-yield pair facet v1\0\0\0\0\0\0");

/// Largest reserve: `type(uint112).max`.
pub const MAX_RESERVE: U256 = U256::from_limbs([u64::MAX, (1 << 48) - 1, 0, 0]);

/// A stored `uint112`.
type U112 = Uint<112, 2>;

sol! {
    /// `sender` added `amount0` and `amount1` of liquidity.
    #[derive(Debug, PartialEq, Eq)]
    event Mint(address indexed sender, uint256 amount0, uint256 amount1);
    /// `sender` burned liquidity; `to` received `amount0` and `amount1`.
    #[derive(Debug, PartialEq, Eq)]
    event Burn(address indexed sender, uint256 amount0, uint256 amount1, address indexed to);
    /// A swap by `sender` paying `to`.
    #[derive(Debug, PartialEq, Eq)]
    event Swap(
        address indexed sender,
        uint256 amount0In,
        uint256 amount1In,
        uint256 amount0Out,
        uint256 amount1Out,
        address indexed to
    );
    /// The reserves are now `reserve0` and `reserve1`.
    #[derive(Debug, PartialEq, Eq)]
    event Sync(uint112 reserve0, uint112 reserve1);

    /// The pair is locked: a reentrant call (or a read of reserves during one), or a template.
    #[derive(Debug, PartialEq, Eq)]
    error UniswapV2Locked();
    /// Only the factory, once, may initialise the pair (the template never).
    #[derive(Debug, PartialEq, Eq)]
    error UniswapV2Forbidden();
    /// A balance exceeds `type(uint112).max`.
    #[derive(Debug, PartialEq, Eq)]
    error UniswapV2Overflow();
    /// The deposit mints no LP (or the first one no more than MINIMUM_LIQUIDITY).
    #[derive(Debug, PartialEq, Eq)]
    error UniswapV2InsufficientLiquidityMinted();
    /// The burn would pay zero of a token.
    #[derive(Debug, PartialEq, Eq)]
    error UniswapV2InsufficientLiquidityBurned();
    /// A swap must take something out.
    #[derive(Debug, PartialEq, Eq)]
    error UniswapV2InsufficientOutputAmount();
    /// A swap cannot take a whole reserve.
    #[derive(Debug, PartialEq, Eq)]
    error UniswapV2InsufficientLiquidity();
    /// A swap cannot pay one of the pair's tokens.
    #[derive(Debug, PartialEq, Eq)]
    error UniswapV2InvalidTo();
    /// A swap must bring something in.
    #[derive(Debug, PartialEq, Eq)]
    error UniswapV2InsufficientInputAmount();
    /// The fee-adjusted constant product decreased.
    #[derive(Debug, PartialEq, Eq)]
    error UniswapV2K();
    /// The factory did not answer (`feeTo`, `feeToSetter` or `rewardsFacet`).
    #[derive(Debug, PartialEq, Eq)]
    error UniswapV2FactoryCall(address factory);
    /// The flash-swap callback on `to` reverted without data.
    #[derive(Debug, PartialEq, Eq)]
    error UniswapV2CallbackFailed(address to);

    /// What the pair asks its factory.
    interface IPairFactory {
        function feeTo() external view returns (address);
        function feeToSetter() external view returns (address);
        function rewardsFacet() external view returns (address);
    }

    /// The flash-swap callback (V2's `IUniswapV2Callee`).
    interface IUniswapV2Callee {
        function uniswapV2Call(address sender, uint256 amount0, uint256 amount1, bytes data) external;
    }
}

/// Solidity declarations of every event the pair address emits (its own, the LP token's and,
/// through the rewards facet, the reward module's), for ABI export.
#[cfg(feature = "export-abi")]
pub fn events_sol() -> impl Iterator<Item = &'static str> {
    const PAIR_EVENTS: &[&str] = &[
        "event Mint(address indexed sender, uint256 amount0, uint256 amount1)",
        "event Burn(address indexed sender, uint256 amount0, uint256 amount1, address indexed to)",
        "event Swap(address indexed sender, uint256 amount0In, uint256 amount1In, uint256 amount0Out, uint256 amount1Out, address indexed to)",
        "event Sync(uint112 reserve0, uint112 reserve1)",
    ];
    let host: &[&[&str]] = if cfg!(feature = "rewards-facet") {
        &[]
    } else {
        &[PAIR_EVENTS, kit::erc20::EVENTS_SOL]
    };
    host.iter()
        .chain(core::iter::once(&rewards::EVENTS_SOL))
        .flat_map(|list| list.iter().copied())
}

/// Every Solidity error the pair (and its rewards facet) can return.
#[derive(SolidityError, Debug, PartialEq, Eq)]
pub enum PairError {
    /// See [`UniswapV2Locked`].
    UniswapV2Locked(UniswapV2Locked),
    /// See [`UniswapV2Forbidden`].
    UniswapV2Forbidden(UniswapV2Forbidden),
    /// See [`UniswapV2Overflow`].
    UniswapV2Overflow(UniswapV2Overflow),
    /// See [`UniswapV2InsufficientLiquidityMinted`].
    UniswapV2InsufficientLiquidityMinted(UniswapV2InsufficientLiquidityMinted),
    /// See [`UniswapV2InsufficientLiquidityBurned`].
    UniswapV2InsufficientLiquidityBurned(UniswapV2InsufficientLiquidityBurned),
    /// See [`UniswapV2InsufficientOutputAmount`].
    UniswapV2InsufficientOutputAmount(UniswapV2InsufficientOutputAmount),
    /// See [`UniswapV2InsufficientLiquidity`].
    UniswapV2InsufficientLiquidity(UniswapV2InsufficientLiquidity),
    /// See [`UniswapV2InvalidTo`].
    UniswapV2InvalidTo(UniswapV2InvalidTo),
    /// See [`UniswapV2InsufficientInputAmount`].
    UniswapV2InsufficientInputAmount(UniswapV2InsufficientInputAmount),
    /// See [`UniswapV2K`].
    UniswapV2K(UniswapV2K),
    /// See [`UniswapV2FactoryCall`].
    UniswapV2FactoryCall(UniswapV2FactoryCall),
    /// See [`UniswapV2CallbackFailed`].
    UniswapV2CallbackFailed(UniswapV2CallbackFailed),
    /// See [`ERC20InsufficientBalance`].
    ERC20InsufficientBalance(ERC20InsufficientBalance),
    /// See [`ERC20InvalidSender`].
    ERC20InvalidSender(ERC20InvalidSender),
    /// See [`ERC20InvalidReceiver`].
    ERC20InvalidReceiver(ERC20InvalidReceiver),
    /// See [`ERC20InsufficientAllowance`].
    ERC20InsufficientAllowance(ERC20InsufficientAllowance),
    /// See [`ERC20InvalidApprover`].
    ERC20InvalidApprover(ERC20InvalidApprover),
    /// See [`ERC20InvalidSpender`].
    ERC20InvalidSpender(ERC20InvalidSpender),
    /// See [`MathOverflow`].
    MathOverflow(MathOverflow),
    /// See [`MathUnderflow`].
    MathUnderflow(MathUnderflow),
    /// See [`MathDivisionByZero`].
    MathDivisionByZero(MathDivisionByZero),
    /// See [`ERC2612ExpiredSignature`].
    ERC2612ExpiredSignature(ERC2612ExpiredSignature),
    /// See [`ERC2612InvalidSigner`].
    ERC2612InvalidSigner(ERC2612InvalidSigner),
    /// See [`ECDSAInvalidSignature`].
    ECDSAInvalidSignature(ECDSAInvalidSignature),
    /// See [`ECDSAInvalidSignatureS`].
    ECDSAInvalidSignatureS(ECDSAInvalidSignatureS),
    /// See [`SafeERC20FailedOperation`].
    SafeERC20FailedOperation(SafeERC20FailedOperation),
    /// See [`RewardUnauthorized`].
    RewardUnauthorized(RewardUnauthorized),
    /// See [`RewardTokenExists`].
    RewardTokenExists(RewardTokenExists),
    /// See [`RewardTokenUnknown`].
    RewardTokenUnknown(RewardTokenUnknown),
    /// See [`RewardTokenLimit`].
    RewardTokenLimit(RewardTokenLimit),
    /// See [`RewardTokenForbidden`].
    RewardTokenForbidden(RewardTokenForbidden),
    /// See [`RewardZeroAddress`].
    RewardZeroAddress(RewardZeroAddress),
    /// See [`RewardInvalidDuration`].
    RewardInvalidDuration(RewardInvalidDuration),
    /// See [`RewardSourceUnknown`].
    RewardSourceUnknown(RewardSourceUnknown),
    /// See [`RewardRecoveryMovedProtected`].
    RewardRecoveryMovedProtected(RewardRecoveryMovedProtected),
    /// See [`RewardZeroAmount`].
    RewardZeroAmount(RewardZeroAmount),
    /// See [`RewardFundingCap`].
    RewardFundingCap(RewardFundingCap),
    /// See [`RewardMathOverflow`].
    RewardMathOverflow(RewardMathOverflow),
}

kit::impl_error_from!(Erc20Error => PairError);
kit::impl_error_from!(MathError => PairError);
kit::impl_error_from!(PermitError => PairError);
kit::impl_error_from!(EcdsaError => PairError);
kit::impl_error_from!(SafeErc20Error => PairError);
kit::impl_error_from!(RewardsError => PairError);

fn err<E>(e: E) -> PairError
where
    PairError: From<E>,
{
    PairError::from(e)
}

macro_rules! pair_err {
    ($name:ident) => {
        PairError::$name($name {})
    };
}

/// The pair's storage. (No `#[entrypoint]`: see [`user_entrypoint`] and the crate docs.)
#[storage]
pub struct Pair {
    /// LP token state (metadata are constants, see the crate docs).
    erc20: Erc20,
    /// EIP-2612 nonces.
    nonces: Nonces,
    /// Reward module state.
    rewards: Rewards,
    /// The factory that created the pair (the template's own address in the template).
    factory: StorageAddress,
    /// The lower-sorted token.
    token0: StorageAddress,
    /// The higher-sorted token.
    token1: StorageAddress,
    /// Set once by `initialize`, never cleared: false only in the template, which stays locked
    /// (same slot as `token1`). Reentrancy itself is refused through `msg_reentrant`.
    unlocked: StorageBool,
    /// Reserve of token0 (`uint112`; one slot with `reserve1` and `block_timestamp_last`).
    reserve0: StorageUint<112, 2>,
    /// Reserve of token1.
    reserve1: StorageUint<112, 2>,
    /// Block timestamp (mod 2^32) of the last reserve update.
    block_timestamp_last: StorageU32,
    /// Σ price0 (UQ112x112 token1 per token0) × seconds, wrapping.
    price0_cumulative_last: StorageU256,
    /// Σ price1 (UQ112x112 token0 per token1) × seconds, wrapping.
    price1_cumulative_last: StorageU256,
    /// reserve0 · reserve1 after the last liquidity event while the protocol fee is on.
    k_last: StorageU256,
}

// SAFETY: `Pair` is the program's only top-level storage (what `#[entrypoint]` would declare).
unsafe impl stylus_sdk::stylus_core::storage::TopLevelStorage for Pair {}

/// The program's entry point: `#[entrypoint]`'s, minus the SDK's blanket reentrancy denial (the
/// pair locks itself and reverts `UniswapV2Locked()` by name; see the crate docs).
#[cfg(all(target_arch = "wasm32", not(feature = "export-abi")))]
#[no_mangle]
pub extern "C" fn user_entrypoint(len: usize) -> usize {
    let host = stylus_sdk::host::VM {
        host: stylus_sdk::host::WasmVM {},
    };
    // Referenced so that activation can insert its memory-growth charges (what the SDK does).
    host.pay_for_memory_grow(0);
    let input = host.read_args(len);
    let (data, status) = match stylus_sdk::abi::router_entrypoint::<Pair, Pair>(input, host.clone())
    {
        Ok(data) => (data, 0),
        Err(data) => (data, 1),
    };
    host.flush_cache(false);
    host.write_result(&data);
    status
}

impl Erc20Host for Pair {
    type Error = PairError;

    fn erc20(&self) -> &Erc20 {
        &self.erc20
    }
    fn erc20_mut(&mut self) -> &mut Erc20 {
        &mut self.erc20
    }
    /// Every LP balance change settles the rewards of both parties first.
    fn before_update(&mut self, from: Address, to: Address, _value: U256) -> Result<(), PairError> {
        Ok(self.checkpoint_rewards(DEFAULT_SOURCE, &[from, to])?)
    }
}

impl Erc20PermitHost for Pair {
    fn permit_nonces(&self) -> &Nonces {
        &self.nonces
    }
    fn permit_nonces_mut(&mut self) -> &mut Nonces {
        &mut self.nonces
    }
    /// The domain of the constant LP name (no storage read).
    fn permit_domain_separator(&self) -> B256 {
        kit::eip712::domain_separator(self.vm(), LP_NAME, kit::permit::DOMAIN_VERSION)
    }
}

impl RewardsHost for Pair {
    fn rewards(&self) -> &Rewards {
        &self.rewards
    }
    fn rewards_mut(&mut self) -> &mut Rewards {
        &mut self.rewards
    }
    /// LP held by the pair (about to be burned) or locked at `0x…dEaD` earns nothing.
    fn reward_balance_of(&self, _source: U256, account: Address) -> U256 {
        if account == self.vm().contract_address() || account == LOCKED_LIQUIDITY_HOLDER {
            return U256::ZERO;
        }
        self.erc20.balance_of(account)
    }
    fn reward_total_supply(&self, _source: U256) -> U256 {
        let this = self.vm().contract_address();
        // Both balances are part of the total supply and distinct accounts: no underflow.
        self.erc20.total_supply()
            - self.erc20.balance_of(this)
            - self.erc20.balance_of(LOCKED_LIQUIDITY_HOLDER)
    }
    /// The factory's `feeToSetter`, read live (zero, i.e. nobody, if the factory does not answer).
    fn reward_admin(&self) -> Address {
        self.factory_address(IPairFactory::feeToSetterCall {}.abi_encode())
            .unwrap_or_default()
    }
    fn principal_tokens(&self) -> Vec<Address> {
        alloc::vec![self.token0.get(), self.token1.get()]
    }
    /// Unit tests only: the mocked tokens' ledger (see `tests`).
    #[cfg(all(test, not(feature = "rewards-facet")))]
    fn pull_reward(
        &mut self,
        token: Address,
        from: Address,
        amount: U256,
    ) -> Result<U256, RewardsError> {
        tests::ledger_move(token, from, self.vm().contract_address(), amount);
        Ok(amount)
    }
    #[cfg(all(test, not(feature = "rewards-facet")))]
    fn held_balance(&self, token: Address) -> Result<U256, RewardsError> {
        Ok(tests::ledger_balance(token, self.vm().contract_address()))
    }
}

rewards::impl_rewards_abi!(Pair);

/// Token and factory I/O: the only places the pair calls out. Unit tests replace them with an
/// in-memory ledger (TestVM answers every mocked call with the same data).
#[cfg(not(all(test, not(feature = "rewards-facet"))))]
impl Pair {
    /// Whether this call re-enters the pair: Nitro's `msg_reentrant`, true iff the pair's
    /// address already has an open non-delegate frame (see the crate docs).
    fn reentrant(&self) -> bool {
        self.vm().msg_reentrant()
    }

    /// The pair's balance of `token`.
    fn balance(&self, token: Address) -> Result<U256, PairError> {
        let this = self.vm().contract_address();
        Ok(kit::safe_erc20::balance_of(self.vm(), token, this)?)
    }

    /// Sends `value` of `token` to `to`.
    fn send(&mut self, token: Address, to: Address, value: U256) -> Result<(), PairError> {
        Ok(kit::safe_erc20::safe_transfer(self, token, to, value)?)
    }

    /// Calls `to.uniswapV2Call(...)`; a revert's data is passed through (empty: a named error).
    fn flash_callback(&mut self, to: Address, calldata: &[u8]) -> Result<(), Vec<u8>> {
        let ctx = Call::new_mutating(self);
        match stylus_sdk::call::call(self.vm(), ctx, to, calldata) {
            Ok(_) => Ok(()),
            Err(stylus_sdk::stylus_core::calls::errors::Error::Revert(data))
                if !data.is_empty() =>
            {
                Err(data)
            }
            Err(_) => {
                Err(PairError::UniswapV2CallbackFailed(UniswapV2CallbackFailed { to }).into())
            }
        }
    }

    /// An address-returning view of the factory.
    fn factory_address(&self, calldata: Vec<u8>) -> Result<Address, PairError> {
        let factory = self.factory.get();
        match stylus_sdk::call::static_call(self.vm(), Call::new(), factory, &calldata) {
            Ok(ret) if ret.len() == 32 && ret[..12].iter().all(|b| *b == 0) => {
                Ok(Address::from_slice(&ret[12..]))
            }
            _ => Err(PairError::UniswapV2FactoryCall(UniswapV2FactoryCall {
                factory,
            })),
        }
    }
}

/// Internal logic shared by the entry points.
impl Pair {
    /// The pair's lock, without storage writes: fails `UniswapV2Locked()` on a reentrant call
    /// (Nitro's `msg_reentrant`: the pair already has an open frame, i.e. we are inside a call
    /// it made) and on a pair never initialised (the template). `unlocked` shares `token1`'s
    /// slot, which every guarded call reads anyway.
    fn check_unlocked(&self) -> Result<(), PairError> {
        if self.reentrant() || !self.unlocked.get() {
            return Err(pair_err!(UniswapV2Locked));
        }
        Ok(())
    }

    /// Runs `f` once [`Self::check_unlocked`] passes (V2's `lock` modifier).
    fn locked<T, E: From<PairError>>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<T, E>,
    ) -> Result<T, E> {
        self.check_unlocked()?;
        f(self)
    }

    fn reserves(&self) -> (U256, U256) {
        (
            U256::from(self.reserve0.get().to::<u128>()),
            U256::from(self.reserve1.get().to::<u128>()),
        )
    }

    /// V2's `_update`: stores the balances as reserves, advances the price accumulators by the
    /// *old* reserves' prices × elapsed seconds (wrapping, as V2), emits `Sync`.
    fn update(
        &mut self,
        balance0: U256,
        balance1: U256,
        reserve0: U256,
        reserve1: U256,
    ) -> Result<(), PairError> {
        if balance0 > MAX_RESERVE || balance1 > MAX_RESERVE {
            return Err(pair_err!(UniswapV2Overflow));
        }
        // `uint32(block.timestamp % 2**32)`: truncation is the intended modulo.
        let now = self.vm().block_timestamp() as u32;
        // Wraps when the 32-bit timestamp does (every 136 years), as V2 intends.
        let elapsed = now.wrapping_sub(self.block_timestamp_last.get().to::<u32>());
        if elapsed > 0 && !reserve0.is_zero() && !reserve1.is_zero() {
            let (p0, p1) = pool_math::uq112_prices(reserve0, reserve1)?;
            let dt = U256::from(elapsed);
            // p < 2^224 and dt < 2^32: the products fit; the sums overflow by design.
            self.price0_cumulative_last
                .set(self.price0_cumulative_last.get().wrapping_add(p0 * dt));
            self.price1_cumulative_last
                .set(self.price1_cumulative_last.get().wrapping_add(p1 * dt));
        }
        let (r0, r1): (U112, U112) = (balance0.to(), balance1.to());
        self.reserve0.set(r0);
        self.reserve1.set(r1);
        self.block_timestamp_last.set(Uint::<32, 1>::from(now));
        self.vm().log(Sync {
            reserve0: r0,
            reserve1: r1,
        });
        Ok(())
    }

    /// V2's `_mintFee`: mints the protocol's 1/6 of the √k growth to `feeTo` when it is set;
    /// returns whether the fee is on.
    fn mint_fee(&mut self, reserve0: U256, reserve1: U256) -> Result<bool, PairError> {
        let fee_to = self.factory_address(IPairFactory::feeToCall {}.abi_encode())?;
        let k_last = self.k_last.get();
        if fee_to.is_zero() {
            if !k_last.is_zero() {
                self.k_last.set(U256::ZERO);
            }
            return Ok(false);
        }
        if !k_last.is_zero() {
            let liquidity = pool_math::protocol_fee_liquidity(
                self.erc20.total_supply(),
                reserve0,
                reserve1,
                k_last,
            )?;
            if !liquidity.is_zero() {
                self.erc20_mint(fee_to, liquidity)?;
            }
        }
        Ok(true)
    }

    fn record_k(&mut self, fee_on: bool) -> Result<(), PairError> {
        if fee_on {
            let (r0, r1) = self.reserves();
            self.k_last.set(kit::math::checked_mul(r0, r1)?);
        }
        Ok(())
    }

    fn mint_inner(&mut self, to: Address) -> Result<U256, PairError> {
        let (r0, r1) = self.reserves();
        let balance0 = self.balance(self.token0.get())?;
        let balance1 = self.balance(self.token1.get())?;
        let amount0 = kit::math::checked_sub(balance0, r0)?;
        let amount1 = kit::math::checked_sub(balance1, r1)?;
        let fee_on = self.mint_fee(r0, r1)?;
        let supply = self.erc20.total_supply();
        let liquidity = if supply.is_zero() {
            let liquidity = pool_math::initial_liquidity(amount0, amount1)?
                .ok_or(pair_err!(UniswapV2InsufficientLiquidityMinted))?;
            self.erc20_mint(LOCKED_LIQUIDITY_HOLDER, MINIMUM_LIQUIDITY)?;
            liquidity
        } else {
            pool_math::liquidity_for(amount0, amount1, r0, r1, supply)?
        };
        if liquidity.is_zero() {
            return Err(pair_err!(UniswapV2InsufficientLiquidityMinted));
        }
        self.erc20_mint(to, liquidity)?;
        self.update(balance0, balance1, r0, r1)?;
        self.record_k(fee_on)?;
        let sender = self.vm().msg_sender();
        self.vm().log(Mint {
            sender,
            amount0,
            amount1,
        });
        Ok(liquidity)
    }

    fn burn_inner(&mut self, to: Address) -> Result<(U256, U256), PairError> {
        let (r0, r1) = self.reserves();
        let (token0, token1) = (self.token0.get(), self.token1.get());
        let this = self.vm().contract_address();
        let balance0 = self.balance(token0)?;
        let balance1 = self.balance(token1)?;
        let liquidity = self.erc20.balance_of(this);
        let fee_on = self.mint_fee(r0, r1)?;
        let supply = self.erc20.total_supply();
        let amount0 = kit::math::mul_div_down(liquidity, balance0, supply)?;
        let amount1 = kit::math::mul_div_down(liquidity, balance1, supply)?;
        if amount0.is_zero() || amount1.is_zero() {
            return Err(pair_err!(UniswapV2InsufficientLiquidityBurned));
        }
        self.erc20_burn(this, liquidity)?;
        self.send(token0, to, amount0)?;
        self.send(token1, to, amount1)?;
        let balance0 = self.balance(token0)?;
        let balance1 = self.balance(token1)?;
        self.update(balance0, balance1, r0, r1)?;
        self.record_k(fee_on)?;
        let sender = self.vm().msg_sender();
        self.vm().log(Burn {
            sender,
            amount0,
            amount1,
            to,
        });
        Ok((amount0, amount1))
    }

    fn swap_inner(
        &mut self,
        amount0_out: U256,
        amount1_out: U256,
        to: Address,
        data: &[u8],
    ) -> Result<(), Vec<u8>> {
        if amount0_out.is_zero() && amount1_out.is_zero() {
            return Err(pair_err!(UniswapV2InsufficientOutputAmount).into());
        }
        let (r0, r1) = self.reserves();
        if amount0_out >= r0 || amount1_out >= r1 {
            return Err(pair_err!(UniswapV2InsufficientLiquidity).into());
        }
        let (token0, token1) = (self.token0.get(), self.token1.get());
        if to == token0 || to == token1 {
            return Err(pair_err!(UniswapV2InvalidTo).into());
        }
        // Optimistic transfers, then the callback, then the invariant on what arrived.
        if !amount0_out.is_zero() {
            self.send(token0, to, amount0_out)?;
        }
        if !amount1_out.is_zero() {
            self.send(token1, to, amount1_out)?;
        }
        if !data.is_empty() {
            let sender = self.vm().msg_sender();
            let call = IUniswapV2Callee::uniswapV2CallCall {
                sender,
                amount0: amount0_out,
                amount1: amount1_out,
                data: data.to_vec().into(),
            }
            .abi_encode();
            self.flash_callback(to, &call)?;
        }
        let balance0 = self.balance(token0)?;
        let balance1 = self.balance(token1)?;
        // amount_out < reserve: no underflow.
        let amount0_in = balance0.saturating_sub(r0 - amount0_out);
        let amount1_in = balance1.saturating_sub(r1 - amount1_out);
        if amount0_in.is_zero() && amount1_in.is_zero() {
            return Err(pair_err!(UniswapV2InsufficientInputAmount).into());
        }
        if !pool_math::k_holds(balance0, balance1, amount0_in, amount1_in, r0, r1).map_err(err)? {
            return Err(pair_err!(UniswapV2K).into());
        }
        self.update(balance0, balance1, r0, r1)?;
        let sender = self.vm().msg_sender();
        self.vm().log(Swap {
            sender,
            amount0In: amount0_in,
            amount1In: amount1_in,
            amount0Out: amount0_out,
            amount1Out: amount1_out,
            to,
        });
        Ok(())
    }

    fn skim_inner(&mut self, to: Address) -> Result<(), PairError> {
        let (r0, r1) = self.reserves();
        let (token0, token1) = (self.token0.get(), self.token1.get());
        let excess0 = kit::math::checked_sub(self.balance(token0)?, r0)?;
        let excess1 = kit::math::checked_sub(self.balance(token1)?, r1)?;
        self.send(token0, to, excess0)?;
        self.send(token1, to, excess1)
    }

    fn sync_inner(&mut self) -> Result<(), PairError> {
        let (r0, r1) = self.reserves();
        let balance0 = self.balance(self.token0.get())?;
        let balance1 = self.balance(self.token1.get())?;
        self.update(balance0, balance1, r0, r1)
    }
}

/// The rewards facet: the same storage, serving the `IRewards` ABI and EIP-2612 (`permit`,
/// `nonces`, `DOMAIN_SEPARATOR`), reached by delegatecall from the pair's fallback.
#[cfg(feature = "rewards-facet")]
#[public]
#[implements(IRewards, IErc20Permit<Error = PairError>)]
impl Pair {
    /// The storage-layout id the factory checks before it accepts this program as the facet.
    pub fn rewards_facet_version(&self) -> B256 {
        FACET_VERSION
    }
}

#[cfg(not(feature = "rewards-facet"))]
#[public]
#[implements(IErc20<Error = PairError>)]
impl Pair {
    /// Template deployment (StylusDeployer): locks the program for ever — it becomes its own
    /// factory, so `initialize` reverts and it is never unlocked. Refuses an initialised pair.
    #[constructor]
    pub fn constructor(&mut self) -> Result<(), PairError> {
        if !self.factory.get().is_zero() {
            return Err(pair_err!(UniswapV2Forbidden));
        }
        let this = self.vm().contract_address();
        self.factory.set(this);
        Ok(())
    }

    /// Called once by the factory in the creating transaction: records the factory (the caller)
    /// and the sorted tokens, and unlocks the pair.
    pub fn initialize(&mut self, token0: Address, token1: Address) -> Result<(), PairError> {
        if !self.factory.get().is_zero() {
            return Err(pair_err!(UniswapV2Forbidden));
        }
        let factory = self.vm().msg_sender();
        self.factory.set(factory);
        self.token0.set(token0);
        self.token1.set(token1);
        self.unlocked.set(true);
        Ok(())
    }

    /// LP wei locked by the first mint.
    #[selector(name = "MINIMUM_LIQUIDITY")]
    pub fn minimum_liquidity(&self) -> U256 {
        MINIMUM_LIQUIDITY
    }

    /// The EIP-2612 permit type hash.
    #[selector(name = "PERMIT_TYPEHASH")]
    pub fn permit_typehash(&self) -> B256 {
        kit::permit::PERMIT_TYPEHASH
    }

    /// The factory that created the pair.
    pub fn factory(&self) -> Address {
        self.factory.get()
    }

    /// The lower-sorted token.
    pub fn token0(&self) -> Address {
        self.token0.get()
    }

    /// The higher-sorted token.
    pub fn token1(&self) -> Address {
        self.token1.get()
    }

    /// Reserves and the (mod 2^32) timestamp of their last update. Reverts `UniswapV2Locked()`
    /// while the pair is locked (read-only reentrancy; see the crate docs).
    pub fn get_reserves(&self) -> Result<(U112, U112, u32), PairError> {
        self.check_unlocked()?;
        Ok((
            self.reserve0.get(),
            self.reserve1.get(),
            self.block_timestamp_last.get().to(),
        ))
    }

    /// Σ price0 × seconds (UQ112x112, wrapping).
    pub fn price0_cumulative_last(&self) -> U256 {
        self.price0_cumulative_last.get()
    }

    /// Σ price1 × seconds (UQ112x112, wrapping).
    pub fn price1_cumulative_last(&self) -> U256 {
        self.price1_cumulative_last.get()
    }

    /// reserve0 · reserve1 after the last liquidity event (0 while the protocol fee is off).
    pub fn k_last(&self) -> U256 {
        self.k_last.get()
    }

    /// Mints LP for the tokens sent to the pair since the last update (V2's `mint`).
    pub fn mint(&mut self, to: Address) -> Result<U256, PairError> {
        self.locked(|p| p.mint_inner(to))
    }

    /// Burns the LP held by the pair and pays both tokens pro rata to `to` (V2's `burn`).
    pub fn burn(&mut self, to: Address) -> Result<(U256, U256), PairError> {
        self.locked(|p| p.burn_inner(to))
    }

    /// Pays the outputs to `to`, calls `to.uniswapV2Call` when `data` is non-empty (flash swap),
    /// then checks the fee-adjusted invariant on what arrived (V2's `swap`).
    pub fn swap(
        &mut self,
        amount0_out: U256,
        amount1_out: U256,
        to: Address,
        data: stylus_sdk::abi::Bytes,
    ) -> Result<(), Vec<u8>> {
        self.locked(|p| p.swap_inner(amount0_out, amount1_out, to, &data))
    }

    /// Sends the balances above the reserves to `to`.
    pub fn skim(&mut self, to: Address) -> Result<(), PairError> {
        self.locked(|p| p.skim_inner(to))
    }

    /// Sets the reserves to the balances.
    pub fn sync(&mut self) -> Result<(), PairError> {
        self.locked(|p| p.sync_inner())
    }

    /// Every selector the pair does not know (the `IRewards` ABI) is delegated to the factory's
    /// rewards facet; its return or revert data is passed through unchanged. Reverts
    /// `UniswapV2Locked()` while the pair is locked.
    #[fallback]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        self.check_unlocked()?;
        let facet = self.factory_address(IPairFactory::rewardsFacetCall {}.abi_encode())?;
        let ctx = Call::new_mutating(self);
        // SAFETY: the facet is this crate's rewards build over the same storage layout (checked
        // by the factory's constructor); the SDK flushes and clears the storage cache around it.
        unsafe { stylus_sdk::call::delegate_call(self.vm(), ctx, facet, calldata) }
            .map_err(Vec::from)
    }
}

/// The LP token's ERC-20 ABI (constant metadata; balances move only through the hooked methods).
#[cfg(not(feature = "rewards-facet"))]
#[public]
impl IErc20 for Pair {
    type Error = PairError;

    fn name(&self) -> String {
        String::from(LP_NAME)
    }
    fn symbol(&self) -> String {
        String::from(LP_SYMBOL)
    }
    fn decimals(&self) -> u8 {
        LP_DECIMALS
    }
    fn total_supply(&self) -> U256 {
        self.erc20.total_supply()
    }
    fn balance_of(&self, account: Address) -> U256 {
        self.erc20.balance_of(account)
    }
    fn allowance(&self, owner: Address, spender: Address) -> U256 {
        self.erc20.allowance(owner, spender)
    }
    fn transfer(&mut self, to: Address, value: U256) -> Result<bool, PairError> {
        self.erc20_public_transfer(to, value)
    }
    fn approve(&mut self, spender: Address, value: U256) -> Result<bool, PairError> {
        self.erc20_public_approve(spender, value)
    }
    fn transfer_from(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
    ) -> Result<bool, PairError> {
        self.erc20_public_transfer_from(from, to, value)
    }
}

kit::impl_erc20_permit!(Pair);

#[cfg(all(test, not(feature = "rewards-facet")))]
mod tests;
