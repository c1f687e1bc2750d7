//! TestVM unit tests of the pair: every entry point and error, the lock (reentrancy and
//! read-only reentrancy), the accumulators' wrapping, the protocol fee, the reward checkpoints,
//! and the attack regressions. Tokens are an in-memory ledger (TestVM answers every mocked call
//! with the same data), reached through the pair's I/O seam (`balance`, `send`,
//! `flash_callback`, `factory_address`), which the test build replaces.
//!
//! The proptests against a reference constant-product model are in `tests/model.rs`.

use alloc::{boxed::Box, vec::Vec};
use core::cell::{Cell, RefCell};
use std::collections::HashMap;

use alloy_primitives::{address, Address, U256};
use alloy_sol_types::{SolCall, SolEvent};
use stylus_sdk::testing::TestVM;

use super::*;

mod model;

pub(crate) const PAIR: Address = address!("00000000000000000000000000000000000a1a17");
pub(crate) const FACTORY: Address = address!("000000000000000000000000000000000000fac7");
pub(crate) const TOKEN0: Address = address!("0000000000000000000000000000000000000a00");
pub(crate) const TOKEN1: Address = address!("0000000000000000000000000000000000000b00");
pub(crate) const ALICE: Address = address!("00000000000000000000000000000000000a11ce");
pub(crate) const BOB: Address = address!("0000000000000000000000000000000000000b0b");
const SETTER: Address = address!("0000000000000000000000000000000000005e77");
const FEE_TO: Address = address!("000000000000000000000000000000000000fee0");
const RWD: Address = address!("00000000000000000000000000000000000fee01");
const FACET: Address = address!("00000000000000000000000000000000000facE7");
const BORROWER: Address = address!("000000000000000000000000000000000000b0aa");
pub(crate) const T0: u64 = 1_700_000_000;

alloy_sol_types::sol! {
    interface IErc20Transfer {
        function transfer(address to, uint256 value) external returns (bool);
    }
}

type Callback = Box<dyn FnMut(&mut Pair, &[u8]) -> Result<(), Vec<u8>>>;

thread_local! {
    static LEDGER: RefCell<HashMap<(Address, Address), U256>> = RefCell::new(HashMap::new());
    static FACTORY_FEE_TO: Cell<Address> = const { Cell::new(Address::ZERO) };
    static FACTORY_DOWN: Cell<bool> = const { Cell::new(false) };
    /// True while the borrower's callback runs: the test build's `msg_reentrant`.
    static IN_CALLBACK: Cell<bool> = const { Cell::new(false) };
    static CALLBACK: RefCell<Option<Callback>> = RefCell::new(None);
}

/// `token.balanceOf(holder)` in the ledger.
pub(crate) fn ledger_balance(token: Address, holder: Address) -> U256 {
    LEDGER.with(|l| {
        l.borrow()
            .get(&(token, holder))
            .copied()
            .unwrap_or_default()
    })
}

/// Moves `amount` of `token` (reverting like a token: false when short).
pub(crate) fn ledger_move(token: Address, from: Address, to: Address, amount: U256) -> bool {
    let have = ledger_balance(token, from);
    if have < amount {
        return false;
    }
    LEDGER.with(|l| {
        let mut l = l.borrow_mut();
        l.insert((token, from), have - amount);
        *l.entry((token, to)).or_default() += amount;
    });
    true
}

/// Mints `amount` of `token` to `to` in the ledger (a donation when `to` is the pair).
pub(crate) fn ledger_mint(token: Address, to: Address, amount: U256) {
    LEDGER.with(|l| *l.borrow_mut().entry((token, to)).or_default() += amount);
}

fn set_fee_to(a: Address) {
    FACTORY_FEE_TO.set(a);
}

fn set_callback(f: impl FnMut(&mut Pair, &[u8]) -> Result<(), Vec<u8>> + 'static) {
    CALLBACK.with(|c| *c.borrow_mut() = Some(Box::new(f)));
}

/// The test build's I/O seam (see the module docs).
impl Pair {
    /// Nitro's `msg_reentrant` as the pair sees it: true for calls made from the callback.
    pub(crate) fn reentrant(&self) -> bool {
        IN_CALLBACK.get()
    }

    pub(crate) fn balance(&self, token: Address) -> Result<U256, PairError> {
        Ok(ledger_balance(token, self.vm().contract_address()))
    }

    pub(crate) fn send(
        &mut self,
        token: Address,
        to: Address,
        value: U256,
    ) -> Result<(), PairError> {
        if ledger_move(token, self.vm().contract_address(), to, value) {
            Ok(())
        } else {
            Err(PairError::SafeERC20FailedOperation(
                SafeERC20FailedOperation { token },
            ))
        }
    }

    pub(crate) fn flash_callback(&mut self, to: Address, calldata: &[u8]) -> Result<(), Vec<u8>> {
        assert_eq!(to, BORROWER, "callback to an unexpected address");
        let decoded = IUniswapV2Callee::uniswapV2CallCall::abi_decode(calldata).unwrap();
        let mut cb = CALLBACK
            .with(|c| c.borrow_mut().take())
            .expect("no borrower callback set");
        IN_CALLBACK.set(true);
        let r = cb(self, &decoded.data);
        IN_CALLBACK.set(false);
        let r = match r {
            Err(data) if data.is_empty() => {
                Err(PairError::UniswapV2CallbackFailed(UniswapV2CallbackFailed { to }).into())
            }
            r => r,
        };
        CALLBACK.with(|c| *c.borrow_mut() = Some(cb));
        r
    }

    pub(crate) fn factory_address(&self, calldata: Vec<u8>) -> Result<Address, PairError> {
        let factory = self.factory.get();
        if factory != FACTORY || FACTORY_DOWN.get() {
            return Err(PairError::UniswapV2FactoryCall(UniswapV2FactoryCall {
                factory,
            }));
        }
        let sel: [u8; 4] = calldata[..4].try_into().unwrap();
        Ok(match sel {
            IPairFactory::feeToCall::SELECTOR => FACTORY_FEE_TO.get(),
            IPairFactory::feeToSetterCall::SELECTOR => SETTER,
            IPairFactory::rewardsFacetCall::SELECTOR => FACET,
            _ => panic!("unexpected factory call"),
        })
    }
}

pub(crate) fn u(x: u128) -> U256 {
    U256::from(x)
}

/// A fresh initialised pair at `T0` with an empty ledger and the fee off.
pub(crate) fn setup() -> (TestVM, Pair) {
    LEDGER.with(|l| l.borrow_mut().clear());
    set_fee_to(Address::ZERO);
    FACTORY_DOWN.set(false);
    CALLBACK.with(|c| *c.borrow_mut() = None);
    IN_CALLBACK.set(false);
    let vm = TestVM::new();
    vm.set_contract_address(PAIR);
    vm.set_block_timestamp(T0);
    let mut p = Pair::from(&vm);
    vm.set_sender(FACTORY);
    p.initialize(TOKEN0, TOKEN1).unwrap();
    (vm, p)
}

/// `who` sends `a0`/`a1` to the pair and mints LP to themselves.
pub(crate) fn add(
    vm: &TestVM,
    p: &mut Pair,
    who: Address,
    a0: U256,
    a1: U256,
) -> Result<U256, PairError> {
    ledger_mint(TOKEN0, PAIR, a0);
    ledger_mint(TOKEN1, PAIR, a1);
    vm.set_sender(who);
    p.mint(who)
}

/// `who` sends `liq` LP to the pair and burns it to themselves.
pub(crate) fn remove(
    vm: &TestVM,
    p: &mut Pair,
    who: Address,
    liq: U256,
) -> Result<(U256, U256), PairError> {
    vm.set_sender(who);
    p.transfer(PAIR, liq)?;
    p.burn(who)
}

/// Swaps `amount_in` of token0 (or token1) for the router's `getAmountOut` + `extra`.
pub(crate) fn swap_in(
    vm: &TestVM,
    p: &mut Pair,
    zero_for_one: bool,
    amount_in: U256,
    extra: U256,
) -> Result<U256, Vec<u8>> {
    let (r0, r1) = p.reserves();
    let (token_in, r_in, r_out) = if zero_for_one {
        (TOKEN0, r0, r1)
    } else {
        (TOKEN1, r1, r0)
    };
    let out = pool_math::amount_out(amount_in, r_in, r_out).unwrap() + extra;
    ledger_mint(token_in, PAIR, amount_in);
    vm.set_sender(ALICE);
    let (o0, o1) = if zero_for_one {
        (U256::ZERO, out)
    } else {
        (out, U256::ZERO)
    };
    p.swap(o0, o1, BOB, Default::default())?;
    Ok(out)
}

/// The name of an encoded pair error (for assertion messages).
pub(crate) fn err_name(data: &[u8]) -> &'static str {
    use alloy_sol_types::SolError;
    let sel: [u8; 4] = data
        .get(..4)
        .and_then(|s| s.try_into().ok())
        .unwrap_or_default();
    match sel {
        UniswapV2K::SELECTOR => "K",
        UniswapV2Overflow::SELECTOR => "Overflow",
        UniswapV2InsufficientLiquidity::SELECTOR => "InsufficientLiquidity",
        UniswapV2InsufficientInputAmount::SELECTOR => "InsufficientInputAmount",
        UniswapV2InsufficientOutputAmount::SELECTOR => "InsufficientOutputAmount",
        UniswapV2Locked::SELECTOR => "Locked",
        MathOverflow::SELECTOR => "MathOverflow",
        MathUnderflow::SELECTOR => "MathUnderflow",
        SafeERC20FailedOperation::SELECTOR => "SafeERC20FailedOperation",
        _ => "other",
    }
}

fn enc<E: Into<Vec<u8>>>(e: E) -> Vec<u8> {
    e.into()
}

fn logs_of<E: SolEvent>(vm: &TestVM) -> Vec<E> {
    vm.get_emitted_logs()
        .into_iter()
        .filter_map(|(t, d)| E::decode_raw_log(t, &d).ok())
        .collect()
}

fn reserves_eq_balances(p: &Pair) {
    let (r0, r1) = p.reserves();
    assert_eq!(r0, ledger_balance(TOKEN0, PAIR));
    assert_eq!(r1, ledger_balance(TOKEN1, PAIR));
}

const E18: u128 = 1_000_000_000_000_000_000;

// ---------------------------------------------------------------- initialisation and template

#[test]
fn initialize_records_factory_tokens_and_only_once() {
    let (vm, mut p) = setup();
    assert_eq!(p.factory(), FACTORY);
    assert_eq!((p.token0(), p.token1()), (TOKEN0, TOKEN1));
    assert_eq!(p.get_reserves().unwrap(), (U112::ZERO, U112::ZERO, 0));
    vm.set_sender(ALICE);
    assert_eq!(p.initialize(BOB, ALICE), Err(pair_err!(UniswapV2Forbidden)));
    vm.set_sender(FACTORY);
    assert_eq!(p.initialize(BOB, ALICE), Err(pair_err!(UniswapV2Forbidden)));
    assert_eq!(p.token0(), TOKEN0);
    // A live pair's (empty) constructor slot cannot be used to take it over.
    assert_eq!(p.constructor(), Err(pair_err!(UniswapV2Forbidden)));
    assert_eq!(p.factory(), FACTORY);
}

#[test]
fn template_is_locked_for_ever() {
    let vm = TestVM::new();
    vm.set_contract_address(PAIR);
    let mut t = Pair::from(&vm);
    t.constructor().unwrap();
    assert_eq!(t.factory(), PAIR);
    vm.set_sender(FACTORY);
    assert_eq!(
        t.initialize(TOKEN0, TOKEN1),
        Err(pair_err!(UniswapV2Forbidden))
    );
    let locked = || pair_err!(UniswapV2Locked);
    assert_eq!(t.mint(ALICE), Err(locked()));
    assert_eq!(t.burn(ALICE), Err(locked()));
    assert_eq!(t.skim(ALICE), Err(locked()));
    assert_eq!(t.sync(), Err(locked()));
    assert_eq!(
        t.swap(u(1), U256::ZERO, ALICE, Default::default()),
        Err(enc(locked()))
    );
    assert_eq!(t.get_reserves(), Err(locked()));
    assert_eq!(t.fallback(&[1, 2, 3, 4]), Err(enc(locked())));
    assert_eq!(t.constructor(), Err(pair_err!(UniswapV2Forbidden)));
}

#[test]
fn metadata_and_constants() {
    let (vm, p) = setup();
    assert_eq!(p.name(), "Stylus Yield LP");
    assert_eq!(p.symbol(), "SY-LP");
    assert_eq!(p.decimals(), 18);
    assert_eq!(p.minimum_liquidity(), u(1000));
    assert_eq!(p.permit_typehash(), kit::permit::PERMIT_TYPEHASH);
    assert_eq!(
        p.domain_separator(),
        kit::eip712::domain_separator_of(LP_NAME, "1", vm.chain_id(), PAIR)
    );
    assert_eq!(p.k_last(), U256::ZERO);
    assert_eq!(FACET_VERSION.len(), 32);
}

// ---------------------------------------------------------------- mint

#[test]
fn first_mint_locks_minimum_liquidity() {
    let (vm, mut p) = setup();
    let liq = add(&vm, &mut p, ALICE, u(E18), u(4 * E18)).unwrap();
    assert_eq!(liq, u(2 * E18 - 1000));
    assert_eq!(p.balance_of(ALICE), liq);
    assert_eq!(p.balance_of(LOCKED_LIQUIDITY_HOLDER), u(1000));
    assert_eq!(p.total_supply(), u(2 * E18));
    let (r0, r1, ts) = p.get_reserves().unwrap();
    assert_eq!(
        (r0.to::<u128>(), r1.to::<u128>(), ts),
        (E18, 4 * E18, T0 as u32)
    );
    assert_eq!(
        logs_of::<Mint>(&vm),
        vec![Mint {
            sender: ALICE,
            amount0: u(E18),
            amount1: u(4 * E18)
        }]
    );
    assert_eq!(
        logs_of::<Sync>(&vm).last().unwrap(),
        &Sync {
            reserve0: r0,
            reserve1: r1
        }
    );
    reserves_eq_balances(&p);
}

#[test]
fn first_mint_too_small_and_empty_mints_fail() {
    let (vm, mut p) = setup();
    // √(1000·1000) = 1000: nothing left above the locked minimum.
    assert_eq!(
        add(&vm, &mut p, ALICE, u(1000), u(1000)),
        Err(pair_err!(UniswapV2InsufficientLiquidityMinted))
    );
    let (vm, mut p) = setup();
    assert_eq!(add(&vm, &mut p, ALICE, u(1001), u(1001)), Ok(u(1)));
    // Nothing sent: zero LP.
    assert_eq!(
        add(&vm, &mut p, BOB, U256::ZERO, U256::ZERO),
        Err(pair_err!(UniswapV2InsufficientLiquidityMinted))
    );
    // One side only: min(...) = 0.
    assert_eq!(
        add(&vm, &mut p, BOB, u(10_000), U256::ZERO),
        Err(pair_err!(UniswapV2InsufficientLiquidityMinted))
    );
}

#[test]
fn later_mints_are_proportional_rounded_down_and_excess_is_donated() {
    let (vm, mut p) = setup();
    add(&vm, &mut p, ALICE, u(3 * E18), u(3 * E18)).unwrap();
    let supply = p.total_supply();
    // 1 : 2 into a 1 : 1 pool: LP follows the smaller side, token1's excess goes to the pool.
    let liq = add(&vm, &mut p, BOB, u(E18), u(2 * E18)).unwrap();
    assert_eq!(liq, u(E18) * supply / u(3 * E18));
    reserves_eq_balances(&p);
    // Rounding down: 1 wei of each into a pool worth more than 1 wei per LP mints nothing.
    assert!(p.reserves().1 > p.total_supply());
    assert_eq!(
        add(&vm, &mut p, BOB, u(1), u(1)),
        Err(pair_err!(UniswapV2InsufficientLiquidityMinted))
    );
}

#[test]
fn mint_when_a_balance_fell_below_its_reserve_is_an_underflow() {
    let (vm, mut p) = setup();
    add(&vm, &mut p, ALICE, u(E18), u(E18)).unwrap();
    // The token took 1 wei away from the pair (rebasing / a bad token).
    ledger_move(TOKEN0, PAIR, BOB, u(1));
    vm.set_sender(ALICE);
    assert_eq!(
        p.mint(ALICE),
        Err(PairError::MathUnderflow(MathUnderflow {}))
    );
    assert_eq!(
        p.skim(ALICE),
        Err(PairError::MathUnderflow(MathUnderflow {}))
    );
    // sync recovers.
    p.sync().unwrap();
    reserves_eq_balances(&p);
}

// ---------------------------------------------------------------- burn

#[test]
fn burn_pays_pro_rata_rounded_down() {
    let (vm, mut p) = setup();
    let liq = add(&vm, &mut p, ALICE, u(10_000), u(40_000)).unwrap();
    assert_eq!(liq, u(20_000 - 1000));
    let (a0, a1) = remove(&vm, &mut p, ALICE, u(3)).unwrap();
    // 3 · 10000 / 20000 = 1.5 → 1; 3 · 40000 / 20000 = 6.
    assert_eq!((a0, a1), (u(1), u(6)));
    assert_eq!(ledger_balance(TOKEN0, ALICE), u(1));
    assert_eq!(
        logs_of::<Burn>(&vm),
        vec![Burn {
            sender: ALICE,
            amount0: u(1),
            amount1: u(6),
            to: ALICE
        }]
    );
    reserves_eq_balances(&p);
    // Everyone out but the locked minimum: the pool keeps its 1000-LP share.
    let rest = p.balance_of(ALICE);
    remove(&vm, &mut p, ALICE, rest).unwrap();
    assert_eq!(p.total_supply(), u(1000));
    let (r0, r1) = p.reserves();
    assert!(r0 >= u(499) && r1 >= u(1999), "{r0} {r1}");
}

#[test]
fn burn_of_nothing_or_dust_fails() {
    let (vm, mut p) = setup();
    add(&vm, &mut p, ALICE, u(10_000), u(40_000)).unwrap();
    vm.set_sender(ALICE);
    assert_eq!(
        p.burn(ALICE),
        Err(pair_err!(UniswapV2InsufficientLiquidityBurned))
    );
    // 1 LP of 20000 pays 0.5 token0 → 0.
    assert_eq!(
        remove(&vm, &mut p, ALICE, u(1)),
        Err(pair_err!(UniswapV2InsufficientLiquidityBurned))
    );
    // Burning with no supply at all is a named division error.
    let (vm, mut p) = setup();
    vm.set_sender(ALICE);
    assert_eq!(
        p.burn(ALICE),
        Err(PairError::MathDivisionByZero(MathDivisionByZero {}))
    );
}

// ---------------------------------------------------------------- swap

#[test]
fn swap_pays_get_amount_out_and_one_wei_more_breaks_k() {
    for zero_for_one in [true, false] {
        let (vm, mut p) = setup();
        add(&vm, &mut p, ALICE, u(5 * E18), u(10 * E18)).unwrap();
        let before = p.reserves();
        assert_eq!(
            swap_in(&vm, &mut p, zero_for_one, u(E18), u(1)),
            Err(enc(pair_err!(UniswapV2K)))
        );
        // (The failed attempt's input stays in the pair here: TestVM does not roll back.)
        p.sync().unwrap();
        let (r0, r1) = p.reserves();
        let token_out = if zero_for_one { TOKEN1 } else { TOKEN0 };
        let bob_before = ledger_balance(token_out, BOB);
        let out = swap_in(&vm, &mut p, zero_for_one, u(E18), U256::ZERO).unwrap();
        assert_eq!(ledger_balance(token_out, BOB) - bob_before, out);
        reserves_eq_balances(&p);
        let (n0, n1) = p.reserves();
        assert!(n0 * n1 > r0 * r1 && r0 * r1 >= before.0 * before.1);
        let ev = logs_of::<Swap>(&vm).pop().unwrap();
        assert_eq!((ev.sender, ev.to), (ALICE, BOB));
        if zero_for_one {
            assert_eq!(
                (ev.amount0In, ev.amount1Out, ev.amount1In, ev.amount0Out),
                (u(E18), out, U256::ZERO, U256::ZERO)
            );
        } else {
            assert_eq!(
                (ev.amount1In, ev.amount0Out, ev.amount0In, ev.amount1Out),
                (u(E18), out, U256::ZERO, U256::ZERO)
            );
        }
    }
}

#[test]
fn swap_errors() {
    let (vm, mut p) = setup();
    add(&vm, &mut p, ALICE, u(1000 * E18), u(1000 * E18)).unwrap();
    vm.set_sender(ALICE);
    let no_data = || stylus_sdk::abi::Bytes::default();
    assert_eq!(
        p.swap(U256::ZERO, U256::ZERO, BOB, no_data()),
        Err(enc(pair_err!(UniswapV2InsufficientOutputAmount)))
    );
    assert_eq!(
        p.swap(u(1000 * E18), U256::ZERO, BOB, no_data()),
        Err(enc(pair_err!(UniswapV2InsufficientLiquidity)))
    );
    assert_eq!(
        p.swap(U256::ZERO, u(1000 * E18 + 1), BOB, no_data()),
        Err(enc(pair_err!(UniswapV2InsufficientLiquidity)))
    );
    for to in [TOKEN0, TOKEN1] {
        assert_eq!(
            p.swap(u(1), U256::ZERO, to, no_data()),
            Err(enc(pair_err!(UniswapV2InvalidTo)))
        );
    }
    // Output without any input.
    assert_eq!(
        p.swap(u(1), U256::ZERO, BOB, no_data()),
        Err(enc(pair_err!(UniswapV2InsufficientInputAmount)))
    );
}

#[test]
fn swap_with_fee_free_input_fails_k_at_wei_scale() {
    // Tiny reserves: the fee must still be charged (rounding favours the pool).
    let (vm, mut p) = setup();
    add(&vm, &mut p, ALICE, u(1001), u(1001)).unwrap();
    // 1 wei in: getAmountOut = 997·1001/(1001000+997) = 0 → no output possible.
    assert_eq!(
        pool_math::amount_out(u(1), u(1001), u(1001)).unwrap(),
        U256::ZERO
    );
    ledger_mint(TOKEN0, PAIR, u(1));
    vm.set_sender(ALICE);
    assert_eq!(
        p.swap(U256::ZERO, u(1), BOB, Default::default()),
        Err(enc(pair_err!(UniswapV2K)))
    );
    // 3 wei in: a fee-free 1:1 trade would pay 2 (≈ 3·1001/1004 = 2.99); the pool pays 2 only if
    // k holds after the fee: (1004·1000 − 9)·(999·1000) ≥ 1001²·10⁶ ? no → K.
    ledger_mint(TOKEN0, PAIR, u(2));
    assert_eq!(
        p.swap(U256::ZERO, u(3), BOB, Default::default()),
        Err(enc(pair_err!(UniswapV2K)))
    );
}

#[test]
fn balance_above_uint112_overflows() {
    let (vm, mut p) = setup();
    add(&vm, &mut p, ALICE, u(E18), u(E18)).unwrap();
    ledger_mint(TOKEN0, PAIR, MAX_RESERVE);
    assert_eq!(p.sync(), Err(pair_err!(UniswapV2Overflow)));
    vm.set_sender(ALICE);
    p.skim(BOB).unwrap();
    assert_eq!(ledger_balance(TOKEN0, BOB), MAX_RESERVE);
    // Exactly uint112.max is fine.
    let (r0, _) = p.reserves();
    ledger_mint(TOKEN0, PAIR, MAX_RESERVE - r0);
    p.sync().unwrap();
    assert_eq!(p.reserves().0, MAX_RESERVE);
}

// ---------------------------------------------------------------- flash swaps and reentrancy

fn pool_with_liquidity() -> (TestVM, Pair) {
    let (vm, mut p) = setup();
    add(&vm, &mut p, ALICE, u(100 * E18), u(100 * E18)).unwrap();
    (vm, p)
}

#[test]
fn flash_swap_repaid_with_fee_succeeds_and_without_fails() {
    let (vm, mut p) = pool_with_liquidity();
    // Borrow 1e18 token1, repay in token1: V2 needs ≥ ⌈amount·1000/997⌉.
    let borrowed = u(E18);
    let repay = (borrowed * u(1000)).div_ceil(u(997));
    set_callback(move |_pair, data| {
        assert_eq!(data, b"flash");
        assert!(ledger_move(TOKEN1, BORROWER, PAIR, repay));
        Ok(())
    });
    ledger_mint(TOKEN1, BORROWER, repay); // the borrower's own funds for the fee
    vm.set_sender(ALICE);
    p.swap(U256::ZERO, borrowed, BORROWER, b"flash".to_vec().into())
        .unwrap();
    reserves_eq_balances(&p);

    let (vm, mut p) = pool_with_liquidity();
    let short = repay - u(1);
    set_callback(move |_pair, _| {
        assert!(ledger_move(TOKEN1, BORROWER, PAIR, short));
        Ok(())
    });
    ledger_mint(TOKEN1, BORROWER, short);
    vm.set_sender(ALICE);
    assert_eq!(
        p.swap(U256::ZERO, borrowed, BORROWER, b"x".to_vec().into()),
        Err(enc(pair_err!(UniswapV2K)))
    );
}

#[test]
fn flash_callback_reverts_pass_through_or_are_named() {
    let (vm, mut p) = pool_with_liquidity();
    set_callback(|_, _| Err(vec![0xde, 0xad, 0xbe, 0xef]));
    vm.set_sender(ALICE);
    assert_eq!(
        p.swap(U256::ZERO, u(1), BORROWER, b"x".to_vec().into()),
        Err(vec![0xde, 0xad, 0xbe, 0xef])
    );
    let (vm, mut p) = pool_with_liquidity();
    set_callback(|_, _| Err(Vec::new()));
    vm.set_sender(ALICE);
    assert_eq!(
        p.swap(U256::ZERO, u(1), BORROWER, b"x".to_vec().into()),
        Err(enc(PairError::UniswapV2CallbackFailed(
            UniswapV2CallbackFailed { to: BORROWER }
        )))
    );
}

#[test]
fn reentry_during_the_callback_fails_with_the_named_lock_error() {
    let (vm, mut p) = pool_with_liquidity();
    let expected = || pair_err!(UniswapV2Locked);
    set_callback(move |pair, _| {
        // Every state-changing entry point is locked...
        assert_eq!(pair.mint(BORROWER), Err(expected()));
        assert_eq!(pair.burn(BORROWER), Err(expected()));
        assert_eq!(pair.skim(BORROWER), Err(expected()));
        assert_eq!(pair.sync(), Err(expected()));
        assert_eq!(
            pair.swap(u(1), U256::ZERO, BORROWER, Default::default()),
            Err(enc(expected()))
        );
        // ...and so are the read-only-reentrancy surfaces: reserves and the reward ABI.
        assert_eq!(pair.get_reserves(), Err(expected()));
        assert_eq!(pair.fallback(&[0xaa; 4]), Err(enc(expected())));
        // Plain views stay readable.
        assert!(pair.total_supply() > U256::ZERO);
        let _ = pair.price0_cumulative_last();
        // Repay so the outer swap succeeds.
        assert!(ledger_move(TOKEN1, BORROWER, PAIR, u(2)));
        Ok(())
    });
    ledger_mint(TOKEN1, BORROWER, u(2));
    vm.set_sender(ALICE);
    p.swap(U256::ZERO, u(1), BORROWER, b"x".to_vec().into())
        .unwrap();
    // Unlocked again afterwards.
    assert!(p.get_reserves().is_ok());
    p.sync().unwrap();
}

#[test]
fn fallback_needs_the_factory() {
    let (_vm, mut p) = setup();
    FACTORY_DOWN.set(true);
    assert_eq!(
        p.fallback(&[1, 2, 3, 4]),
        Err(enc(PairError::UniswapV2FactoryCall(UniswapV2FactoryCall {
            factory: FACTORY
        })))
    );
    assert_eq!(p.reward_admin(), Address::ZERO);
}

// ---------------------------------------------------------------- skim / sync / donations

#[test]
fn skim_sends_donations_and_sync_absorbs_them() {
    let (vm, mut p) = pool_with_liquidity();
    ledger_mint(TOKEN0, PAIR, u(7));
    ledger_mint(TOKEN1, PAIR, u(9));
    vm.set_sender(BOB);
    p.skim(BOB).unwrap();
    assert_eq!(
        (ledger_balance(TOKEN0, BOB), ledger_balance(TOKEN1, BOB)),
        (u(7), u(9))
    );
    reserves_eq_balances(&p);
    ledger_mint(TOKEN0, PAIR, u(5));
    p.sync().unwrap();
    reserves_eq_balances(&p);
    // The donation now belongs to the LPs: nothing to skim.
    p.skim(BOB).unwrap();
    assert_eq!(ledger_balance(TOKEN0, BOB), u(7));
}

#[test]
fn donation_before_first_mint_counts_for_the_first_depositor() {
    // The first mint measures balances: a donation before it is part of the deposit.
    let (vm, mut p) = setup();
    ledger_mint(TOKEN0, PAIR, u(3 * E18));
    ledger_mint(TOKEN1, PAIR, u(3 * E18));
    let liq = add(&vm, &mut p, ALICE, u(E18), u(E18)).unwrap();
    assert_eq!(liq, u(4 * E18 - 1000));
}

#[test]
fn first_lp_inflation_by_donation_is_unprofitable() {
    // Attacker mints the smallest position, donates a lot to inflate the LP price, hoping the
    // victim's deposit rounds down to their benefit. With 1000 LP wei locked for ever the
    // attacker owns ~1/1001 of the inflated pool, so the donation is lost ~1000-fold.
    let (vm, mut p) = setup();
    let attacker = BOB;
    let liq = add(&vm, &mut p, attacker, u(1001), u(1001)).unwrap();
    assert_eq!(liq, u(1));
    let donation = u(1000 * E18);
    ledger_mint(TOKEN0, PAIR, donation);
    ledger_mint(TOKEN1, PAIR, donation);
    p.sync().unwrap();
    // Victim deposits 1e18 of each: 1 LP (rounded down, in the pool's favour).
    let victim = add(&vm, &mut p, ALICE, u(E18), u(E18)).unwrap();
    assert_eq!(victim, u(1));
    // Both exit. The victim loses < 0.1 %; the attacker loses > 99.8 % of the donation.
    let (v0, v1) = remove(&vm, &mut p, ALICE, victim).unwrap();
    assert!(
        v0 * u(1000) > u(999 * E18) && v1 * u(1000) > u(999 * E18),
        "{v0} {v1}"
    );
    let (a0, a1) = remove(&vm, &mut p, attacker, u(1)).unwrap();
    let spent = donation + u(1001);
    assert!(a0 * u(500) < spent && a1 * u(500) < spent, "{a0} {a1}");
}

// ---------------------------------------------------------------- price accumulators

#[test]
fn accumulators_add_old_prices_times_elapsed() {
    let (vm, mut p) = setup();
    add(&vm, &mut p, ALICE, u(E18), u(4 * E18)).unwrap();
    assert_eq!(p.price0_cumulative_last(), U256::ZERO);
    vm.set_block_timestamp(T0 + 10);
    p.sync().unwrap();
    let q = U256::from(1) << 112;
    assert_eq!(p.price0_cumulative_last(), u(4) * q * u(10));
    assert_eq!(p.price1_cumulative_last(), q / u(4) * u(10));
    // Same block: no change.
    p.sync().unwrap();
    assert_eq!(p.price0_cumulative_last(), u(40) * q);
}

#[test]
fn accumulators_and_the_timestamp_wrap_like_v2() {
    let (vm, mut p) = setup();
    add(&vm, &mut p, ALICE, u(E18), u(E18)).unwrap();
    // Accumulators near 2^256 wrap around instead of reverting.
    p.price0_cumulative_last.set(U256::MAX);
    p.price1_cumulative_last.set(U256::MAX - u(5));
    vm.set_block_timestamp(T0 + 1);
    p.sync().unwrap();
    let q = U256::from(1) << 112;
    assert_eq!(p.price0_cumulative_last(), q - u(1));
    assert_eq!(p.price1_cumulative_last(), q - u(6));
    // The uint32 timestamp wraps (year 2106): elapsed = now − last mod 2^32.
    let wrap = 1u64 << 32;
    vm.set_block_timestamp(wrap - 2);
    p.sync().unwrap();
    let before = p.price0_cumulative_last();
    vm.set_block_timestamp(wrap + 3);
    p.sync().unwrap();
    assert_eq!(p.get_reserves().unwrap().2, 3);
    assert_eq!(p.price0_cumulative_last(), before + q * u(5));
}

// ---------------------------------------------------------------- protocol fee

#[test]
fn protocol_fee_is_one_sixth_of_root_k_growth() {
    let (vm, mut p) = setup();
    set_fee_to(FEE_TO);
    add(&vm, &mut p, ALICE, u(1000 * E18), u(1000 * E18)).unwrap();
    assert_eq!(p.k_last(), u(1000 * E18) * u(1000 * E18));
    for i in 0..20 {
        swap_in(&vm, &mut p, i % 2 == 0, u(50 * E18), U256::ZERO).unwrap();
    }
    let (r0, r1) = p.reserves();
    let supply = p.total_supply();
    let k_last = p.k_last();
    let expected = pool_math::protocol_fee_liquidity(supply, r0, r1, k_last).unwrap();
    // Independent check of the formula: fee LP / (supply + fee LP) = (√k − √kLast) / (6·√k).
    let root_k = kit::sqrt::sqrt_down(r0 * r1);
    let root_last = kit::sqrt::sqrt_down(k_last);
    assert!(expected > U256::ZERO);
    let lhs = expected * u(6) * root_k;
    let rhs = (supply + expected) * (root_k - root_last);
    let tolerance = u(6) * root_k * u(2);
    assert!(
        lhs <= rhs && rhs - lhs <= tolerance,
        "share is not 1/6 of the growth"
    );
    // The fee is minted on the next liquidity event (a 1-wei-scale mint).
    add(&vm, &mut p, ALICE, u(E18), u(E18)).unwrap();
    assert_eq!(p.balance_of(FEE_TO), expected);
    let (n0, n1) = p.reserves();
    assert_eq!(p.k_last(), n0 * n1);
    // No growth since: burning mints nothing more to feeTo.
    let alice = p.balance_of(ALICE);
    remove(&vm, &mut p, ALICE, alice / u(2)).unwrap();
    assert_eq!(p.balance_of(FEE_TO), expected);
}

#[test]
fn protocol_fee_regression_values() {
    // Hand-checked: supply 1000, √kLast = 1000, √k = 1100 → 1000·100 / (5500 + 1000) = 15.38 → 15.
    assert_eq!(
        pool_math::protocol_fee_liquidity(u(1000), u(1100), u(1100), u(1_000_000)).unwrap(),
        u(15)
    );
    // No growth (or shrink): nothing.
    assert_eq!(
        pool_math::protocol_fee_liquidity(u(1000), u(1000), u(1000), u(1_000_000)).unwrap(),
        U256::ZERO
    );
    assert_eq!(
        pool_math::protocol_fee_liquidity(u(1000), u(900), u(900), u(1_000_000)).unwrap(),
        U256::ZERO
    );
}

#[test]
fn turning_the_fee_off_clears_k_last_and_mints_nothing() {
    let (vm, mut p) = setup();
    set_fee_to(FEE_TO);
    add(&vm, &mut p, ALICE, u(1000 * E18), u(1000 * E18)).unwrap();
    swap_in(&vm, &mut p, true, u(100 * E18), U256::ZERO).unwrap();
    set_fee_to(Address::ZERO);
    add(&vm, &mut p, ALICE, u(E18), u(E18)).unwrap();
    assert_eq!(p.k_last(), U256::ZERO);
    assert_eq!(p.balance_of(FEE_TO), U256::ZERO);
    // Fee on again: kLast restarts from the next event, no retroactive fee.
    set_fee_to(FEE_TO);
    add(&vm, &mut p, ALICE, u(E18), u(E18)).unwrap();
    assert_eq!(p.balance_of(FEE_TO), U256::ZERO);
    assert!(p.k_last() > U256::ZERO);
}

#[test]
fn mint_and_burn_need_the_factory() {
    let (vm, mut p) = setup();
    FACTORY_DOWN.set(true);
    assert_eq!(
        add(&vm, &mut p, ALICE, u(E18), u(E18)),
        Err(PairError::UniswapV2FactoryCall(UniswapV2FactoryCall {
            factory: FACTORY
        }))
    );
}

// ---------------------------------------------------------------- rewards

fn with_reward_stream() -> (TestVM, Pair) {
    let (vm, mut p) = setup();
    vm.set_sender(SETTER);
    p.add_reward(RWD, SETTER, u(7 * 86_400)).unwrap();
    ledger_mint(RWD, SETTER, u(604_800_000));
    p.notify_reward_amount(RWD, u(604_800_000)).unwrap();
    (vm, p)
}

#[test]
fn reward_admin_is_the_factory_fee_setter_and_principals_are_refused() {
    let (vm, mut p) = setup();
    assert_eq!(p.reward_admin(), SETTER);
    vm.set_sender(ALICE);
    assert_eq!(
        p.add_reward(RWD, ALICE, u(86_400)),
        Err(RewardsError::Unauthorized(RewardUnauthorized {
            caller: ALICE
        }))
    );
    vm.set_sender(SETTER);
    for t in [TOKEN0, TOKEN1, PAIR] {
        assert_eq!(
            p.add_reward(t, SETTER, u(86_400)),
            Err(RewardsError::TokenForbidden(RewardTokenForbidden {
                token: t
            }))
        );
    }
}

#[test]
fn lp_earn_by_time_and_share_through_every_balance_change() {
    let (vm, mut p) = with_reward_stream();
    // Alice provides at T0; Bob joins half-way with the same size; the stream is 1000 wei/s.
    add(&vm, &mut p, ALICE, u(E18), u(E18)).unwrap();
    vm.set_block_timestamp(T0 + 1000);
    add(&vm, &mut p, BOB, u(E18), u(E18)).unwrap();
    vm.set_block_timestamp(T0 + 2000);
    let a = p.earned(ALICE, RWD).unwrap();
    let b = p.earned(BOB, RWD).unwrap();
    // The locked 1000 LP wei earns nothing: Alice gets all of the first 1000 s.
    assert!(a.abs_diff(u(1_500_000)) <= u(2), "{a}");
    assert!(b.abs_diff(u(500_000)) <= u(2), "{b}");
    // A transfer checkpoints both parties; LP sent to the pair (for a burn) earns nothing.
    vm.set_sender(ALICE);
    let half = p.balance_of(ALICE) / u(2);
    p.transfer(BOB, half).unwrap();
    p.transfer(PAIR, half).unwrap();
    vm.set_block_timestamp(T0 + 3000);
    assert_eq!(p.reward_balance_of(U256::ZERO, PAIR), U256::ZERO);
    assert_eq!(
        p.reward_balance_of(U256::ZERO, LOCKED_LIQUIDITY_HOLDER),
        U256::ZERO
    );
    let a2 = p.earned(ALICE, RWD).unwrap();
    let b2 = p.earned(BOB, RWD).unwrap();
    assert!(
        a2.abs_diff(a) <= u(2),
        "Alice holds nothing now: {a2} vs {a}"
    );
    assert!(
        (b2 - b).abs_diff(u(1_000_000)) <= u(2),
        "Bob earned the whole 1000 s: {b2}"
    );
    // The burn of what the pair holds keeps the accounting whole; claims pay what was earned.
    p.burn(ALICE).unwrap();
    vm.set_sender(BOB);
    let pay = IErc20Transfer::transferCall { to: BOB, value: b2 }.abi_encode();
    vm.mock_call(
        RWD,
        pay,
        U256::ZERO,
        Ok(U256::from(1).to_be_bytes::<32>().to_vec()),
    );
    p.claim_all(BOB).unwrap();
    assert_eq!(p.earned(BOB, RWD).unwrap(), U256::ZERO);
}

#[test]
fn protocol_fee_mint_is_checkpointed() {
    let (vm, mut p) = with_reward_stream();
    set_fee_to(FEE_TO);
    add(&vm, &mut p, ALICE, u(1000 * E18), u(1000 * E18)).unwrap();
    for _ in 0..4 {
        swap_in(&vm, &mut p, true, u(200 * E18), U256::ZERO).unwrap();
    }
    vm.set_block_timestamp(T0 + 100);
    add(&vm, &mut p, ALICE, u(E18), u(E18)).unwrap();
    assert!(p.balance_of(FEE_TO) > U256::ZERO);
    // feeTo starts at the current index: nothing accrued for the time before its mint.
    assert_eq!(p.earned(FEE_TO, RWD).unwrap(), U256::ZERO);
    vm.set_block_timestamp(T0 + 200);
    assert!(p.earned(FEE_TO, RWD).unwrap() > U256::ZERO);
}

#[test]
fn reward_supply_excludes_the_pair_and_the_locked_minimum() {
    let (vm, mut p) = setup();
    add(&vm, &mut p, ALICE, u(E18), u(E18)).unwrap();
    vm.set_sender(ALICE);
    p.transfer(PAIR, u(5)).unwrap();
    assert_eq!(
        p.reward_total_supply(U256::ZERO),
        p.total_supply() - u(1005)
    );
}
