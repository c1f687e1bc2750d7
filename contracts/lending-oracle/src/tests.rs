//! TestVM unit tests of the oracle adapter (the feeds are mocked static calls; the devnode e2e
//! `tests/tests/e2e/lending_oracle.rs` runs it against the real `mock-aggregator`).

use alloy_primitives::{address, Address, I256, U256};
use alloy_sol_types::{SolCall, SolValue};
use proptest::prelude::*;
use stylus_sdk::testing::TestVM;

use super::*;

const FEED: Address = address!("00000000000000000000000000000000000FEED1");
const SEQ: Address = address!("0000000000000000000000000000000000005E01");
const NOW: u64 = 1_000_000;
const GRACE: u64 = 3_600;
const STALE: u64 = 86_400;

fn i(x: i128) -> I256 {
    I256::try_from(x).unwrap()
}

fn t(x: u64) -> U256 {
    U256::from(x)
}

fn mock_decimals(vm: &TestVM, feed: Address, decimals: u8) {
    let ret = U256::from(decimals).abi_encode();
    vm.mock_static_call(
        feed,
        AggregatorV3Interface::decimalsCall {}.abi_encode(),
        Ok(ret),
    );
}

fn mock_round(
    vm: &TestVM,
    feed: Address,
    round: u64,
    answer: I256,
    started: u64,
    updated: u64,
    answered: u64,
) {
    let ret = (
        U256::from(round),
        answer,
        t(started),
        t(updated),
        U256::from(answered),
    )
        .abi_encode_params();
    vm.mock_static_call(
        feed,
        AggregatorV3Interface::latestRoundDataCall {}.abi_encode(),
        Ok(ret),
    );
}

// TestVM (stylus-test 0.10) answers every mocked static call with the return data of the LAST
// `mock_static_call`, whatever the target: one `price()` can only see one feed's data. So the
// feed checks run without a sequencer feed, and the sequencer tests mock the sequencer last
// (a passing sequencer check then shows as the feed check failing on the sequencer's answer 0).
// The devnode e2e (tests/tests/e2e/lending_oracle.rs) runs both feeds for real.

/// An ETH/USD-style adapter: 8-decimal feed, 18-decimal collateral, 6-decimal loan token,
/// answer 2,000.00000000; `sequencer`: with the uptime feed `SEQ` and a one-hour grace period.
fn build(sequencer: bool) -> (TestVM, ChainlinkOracle) {
    let vm = TestVM::new();
    vm.set_block_timestamp(NOW);
    mock_decimals(&vm, FEED, 8);
    let mut o = ChainlinkOracle::from(&vm);
    let seq = if sequencer { SEQ } else { Address::ZERO };
    o.constructor(
        FEED,
        seq,
        t(GRACE),
        t(STALE),
        i(1),
        i(100_000_000_000_000),
        18,
        6,
    )
    .unwrap();
    mock_round(&vm, FEED, 7, i(200_000_000_000), NOW - 10, NOW - 10, 7);
    (vm, o)
}

fn setup() -> (TestVM, ChainlinkOracle) {
    build(false)
}

#[test]
fn good_price_is_scaled_to_36_plus_decimals() {
    let (_vm, o) = setup();
    // 2000e8 · 10^(36 + 6 − 18 − 8) = 2000e8 · 1e16 = 2000e24 = 2000 · 1e36 · 1e6 / 1e18.
    assert_eq!(
        o.price().unwrap(),
        U256::from(2_000u64) * U256::from(10u64).pow(t(24))
    );
    assert_eq!(o.price_exponent(), 16);
    assert_eq!(o.feed(), FEED);
    assert_eq!(o.sequencer_uptime_feed(), Address::ZERO);
    assert_eq!(build(true).1.sequencer_uptime_feed(), SEQ);
    assert_eq!(o.grace_period(), t(GRACE));
    assert_eq!(o.max_staleness(), t(STALE));
    assert_eq!(o.min_answer(), i(1));
    assert_eq!(o.max_answer(), i(100_000_000_000_000));
}

#[test]
fn negative_exponent_divides_rounding_down() {
    let vm = TestVM::new();
    vm.set_block_timestamp(NOW);
    mock_decimals(&vm, FEED, 30);
    let mut o = ChainlinkOracle::from(&vm);
    // 36 + 0 − 18 − 30 = −12
    o.constructor(
        FEED,
        Address::ZERO,
        t(0),
        t(STALE),
        i(1),
        i(i128::MAX),
        18,
        0,
    )
    .unwrap();
    mock_round(&vm, FEED, 1, i(123_456_789), NOW, NOW, 1);
    assert_eq!(o.price_exponent(), -12);
    // 123456789 / 1e12 = 0 → a zero price is refused.
    assert_eq!(
        o.price(),
        Err(OracleError::OracleInvalidAnswer(OracleInvalidAnswer {
            answer: i(123_456_789)
        }))
    );
    mock_round(&vm, FEED, 2, i(5_678_000_000_000_001), NOW, NOW, 2);
    assert_eq!(o.price().unwrap(), t(5_678));
}

#[test]
fn non_positive_answers_are_invalid() {
    let (vm, o) = setup();
    for a in [0i128, -1, -200_000_000_000] {
        mock_round(&vm, FEED, 8, i(a), NOW, NOW, 8);
        assert_eq!(
            o.price(),
            Err(OracleError::OracleInvalidAnswer(OracleInvalidAnswer {
                answer: i(a)
            }))
        );
    }
}

#[test]
fn answers_outside_the_bounds_are_refused() {
    let vm = TestVM::new();
    vm.set_block_timestamp(NOW);
    mock_decimals(&vm, FEED, 8);
    let mut o = ChainlinkOracle::from(&vm);
    o.constructor(FEED, Address::ZERO, t(0), t(STALE), i(100), i(200), 18, 18)
        .unwrap();
    for (a, ok) in [
        (99, false),
        (100, true),
        (150, true),
        (200, true),
        (201, false),
    ] {
        mock_round(&vm, FEED, 1, i(a), NOW, NOW, 1);
        if ok {
            assert_eq!(
                o.price().unwrap(),
                U256::from(a as u64) * U256::from(10u64).pow(t(28))
            );
        } else {
            assert_eq!(
                o.price(),
                Err(OracleError::OracleAnswerOutOfBounds(
                    OracleAnswerOutOfBounds { answer: i(a) }
                ))
            );
        }
    }
}

#[test]
fn stale_rounds_are_refused_at_one_second_past_the_bound() {
    let (vm, o) = setup();
    mock_round(
        &vm,
        FEED,
        8,
        i(200_000_000_000),
        NOW - STALE,
        NOW - STALE,
        8,
    );
    assert!(o.price().is_ok());
    mock_round(
        &vm,
        FEED,
        8,
        i(200_000_000_000),
        NOW - STALE - 1,
        NOW - STALE - 1,
        8,
    );
    assert_eq!(
        o.price(),
        Err(OracleError::OracleStalePrice(OracleStalePrice {
            updatedAt: t(NOW - STALE - 1)
        }))
    );
    // A round stamped in the future is not stale.
    mock_round(&vm, FEED, 9, i(200_000_000_000), NOW + 5, NOW + 5, 9);
    assert!(o.price().is_ok());
}

#[test]
fn incomplete_rounds_are_refused() {
    let (vm, o) = setup();
    let incomplete = Err(OracleError::OracleIncompleteRound(OracleIncompleteRound {}));
    mock_round(&vm, FEED, 8, i(200_000_000_000), NOW, 0, 8);
    assert_eq!(o.price(), incomplete);
    mock_round(&vm, FEED, 8, i(200_000_000_000), NOW, NOW, 7);
    assert_eq!(o.price(), incomplete);
    mock_round(&vm, FEED, 8, i(200_000_000_000), NOW, NOW, 9);
    assert!(o.price().is_ok());
}

#[test]
fn sequencer_down_or_uninitialised_is_refused() {
    let (vm, o) = build(true);
    let down = Err(OracleError::OracleSequencerDown(OracleSequencerDown {}));
    mock_round(&vm, SEQ, 4, i(1), NOW - 2 * GRACE, NOW - 2 * GRACE, 4);
    assert_eq!(o.price(), down);
    mock_round(&vm, SEQ, 4, I256::ZERO, 0, 0, 4);
    assert_eq!(o.price(), down);
}

#[test]
fn grace_period_after_the_sequencer_restarts() {
    let (vm, o) = build(true);
    for (started, ok) in [
        (NOW - GRACE, false),
        (NOW - GRACE + 1, false),
        (NOW, false),
        (NOW + 1, false),
        (NOW - GRACE - 1, true),
    ] {
        mock_round(&vm, SEQ, 5, I256::ZERO, started, started, 5);
        if ok {
            // Past the sequencer check: the feed call (answered with the sequencer's data by
            // TestVM, see above) fails on answer 0, a feed error.
            assert_eq!(
                o.price(),
                Err(OracleError::OracleInvalidAnswer(OracleInvalidAnswer {
                    answer: I256::ZERO
                }))
            );
        } else {
            assert_eq!(
                o.price(),
                Err(OracleError::OracleGracePeriodNotOver(
                    OracleGracePeriodNotOver {
                        startedAt: t(started)
                    }
                ))
            );
        }
    }
}

#[test]
fn no_sequencer_feed_skips_the_check() {
    let vm = TestVM::new();
    vm.set_block_timestamp(NOW);
    mock_decimals(&vm, FEED, 8);
    let mut o = ChainlinkOracle::from(&vm);
    o.constructor(FEED, Address::ZERO, t(0), t(1), i(1), i(10), 8, 8)
        .unwrap();
    // The sequencer answering "down" is never asked.
    mock_round(&vm, SEQ, 1, i(1), NOW, NOW, 1);
    mock_round(&vm, FEED, 1, i(3), NOW, NOW, 1);
    assert_eq!(
        o.price().unwrap(),
        U256::from(3u64) * U256::from(10u64).pow(t(28))
    );
}

#[test]
fn feed_failures_are_named() {
    let (vm, o) = setup();
    let (seq_vm, with_seq) = build(true);
    vm.mock_static_call(
        FEED,
        AggregatorV3Interface::latestRoundDataCall {}.abi_encode(),
        Err(b"boom".to_vec()),
    );
    assert_eq!(
        o.price(),
        Err(OracleError::OracleFeedCallFailed(OracleFeedCallFailed {
            feed: FEED
        }))
    );
    vm.mock_static_call(
        FEED,
        AggregatorV3Interface::latestRoundDataCall {}.abi_encode(),
        Ok(vec![1, 2, 3]),
    );
    assert_eq!(
        o.price(),
        Err(OracleError::OracleFeedCallFailed(OracleFeedCallFailed {
            feed: FEED
        }))
    );
    seq_vm.mock_static_call(
        SEQ,
        AggregatorV3Interface::latestRoundDataCall {}.abi_encode(),
        Err(vec![]),
    );
    assert_eq!(
        with_seq.price(),
        Err(OracleError::OracleFeedCallFailed(OracleFeedCallFailed {
            feed: SEQ
        }))
    );
}

#[allow(clippy::too_many_arguments)]
fn construct(
    feed_decimals: Option<u8>,
    feed: Address,
    grace: U256,
    staleness: U256,
    min: I256,
    max: I256,
    coll: u8,
    loan: u8,
) -> Result<(), OracleError> {
    let vm = TestVM::new();
    if let Some(d) = feed_decimals {
        mock_decimals(&vm, feed, d);
    }
    let mut o = ChainlinkOracle::from(&vm);
    o.constructor(feed, SEQ, grace, staleness, min, max, coll, loan)
}

#[test]
fn constructor_rejects_every_bad_config() {
    let bad = Err(OracleError::OracleBadConfig(OracleBadConfig {}));
    let ok = |d, f, g, s, mn, mx, c, l| construct(d, f, g, s, mn, mx, c, l);
    assert_eq!(
        ok(Some(8), FEED, t(GRACE), t(STALE), i(1), i(10), 18, 6),
        Ok(())
    );
    // zero feed
    assert_eq!(
        ok(
            Some(8),
            Address::ZERO,
            t(GRACE),
            t(STALE),
            i(1),
            i(10),
            18,
            6
        ),
        bad
    );
    // feed without decimals()
    assert_eq!(ok(None, FEED, t(GRACE), t(STALE), i(1), i(10), 18, 6), bad);
    // staleness 0 or beyond u64
    assert_eq!(ok(Some(8), FEED, t(GRACE), t(0), i(1), i(10), 18, 6), bad);
    assert_eq!(
        ok(
            Some(8),
            FEED,
            t(GRACE),
            U256::from(u64::MAX) + t(1),
            i(1),
            i(10),
            18,
            6
        ),
        bad
    );
    // grace beyond u64
    assert_eq!(
        ok(Some(8), FEED, U256::MAX, t(STALE), i(1), i(10), 18, 6),
        bad
    );
    // min <= 0, min > max, max > int128
    assert_eq!(
        ok(Some(8), FEED, t(GRACE), t(STALE), i(0), i(10), 18, 6),
        bad
    );
    assert_eq!(
        ok(Some(8), FEED, t(GRACE), t(STALE), i(-5), i(10), 18, 6),
        bad
    );
    assert_eq!(
        ok(Some(8), FEED, t(GRACE), t(STALE), i(11), i(10), 18, 6),
        bad
    );
    assert_eq!(
        ok(
            Some(8),
            FEED,
            t(GRACE),
            t(STALE),
            i(1),
            I256::try_from(i128::MAX).unwrap() + i(1),
            18,
            6
        ),
        bad
    );
    // scaling overflow: exponent 36 + 255 − 0 − 0 = 291
    assert_eq!(
        ok(Some(0), FEED, t(GRACE), t(STALE), i(1), i(10), 0, 255),
        bad
    );
    // exponent −(255 + 255 − 36) far below −77
    assert_eq!(
        ok(Some(255), FEED, t(GRACE), t(STALE), i(1), i(10), 255, 0),
        bad
    );
    // max · 10^e overflows even though e <= 77: 10^77 · (int128.max) > 2^256
    assert_eq!(
        ok(Some(0), FEED, t(GRACE), t(STALE), i(1), i(i128::MAX), 0, 41),
        bad
    );
    assert_eq!(
        ok(Some(0), FEED, t(GRACE), t(STALE), i(1), i(1), 0, 41),
        Ok(())
    );
}

/// Independent model: `answer · 10^(36 + l − c − f)` in U256 via repeated ×10 / ÷10.
fn model(answer: u128, coll: u8, loan: u8, feed: u8) -> Option<U256> {
    let e = 36 + loan as i64 - coll as i64 - feed as i64;
    let mut x = U256::from(answer);
    if e >= 0 {
        for _ in 0..e {
            x = x.checked_mul(U256::from(10))?;
        }
    } else {
        let mut d = U256::from(1);
        for _ in 0..(-e) {
            d = d.checked_mul(U256::from(10))?;
        }
        x /= d;
    }
    Some(x)
}

proptest! {
    #[test]
    fn price_matches_the_u256_model(answer in 1u128..=u128::MAX / 2, coll in 0u8..=36, loan in 0u8..=36, feed in 0u8..=36) {
        let vm = TestVM::new();
        vm.set_block_timestamp(NOW);
        mock_decimals(&vm, FEED, feed);
        let mut o = ChainlinkOracle::from(&vm);
        let built = o.constructor(FEED, Address::ZERO, t(0), t(STALE), i(1), i(answer as i128), coll, loan);
        mock_round(&vm, FEED, 1, i(answer as i128), NOW, NOW, 1);
        match model(answer, coll, loan, feed) {
            None => prop_assert_eq!(built, Err(OracleError::OracleBadConfig(OracleBadConfig {}))),
            Some(p) => {
                prop_assert_eq!(built, Ok(()));
                if p.is_zero() {
                    prop_assert_eq!(o.price(), Err(OracleError::OracleInvalidAnswer(OracleInvalidAnswer { answer: i(answer as i128) })));
                } else {
                    prop_assert_eq!(o.price().unwrap(), p);
                }
            }
        }
    }
}
