//! TestVM unit tests of the mock aggregator.

use alloy_primitives::{aliases::U80, I256, U256};
use alloy_sol_types::SolEvent;
use stylus_sdk::testing::TestVM;

use super::*;

fn i(x: i64) -> I256 {
    I256::try_from(x).unwrap()
}

fn r(x: u64) -> U80 {
    U80::from(x)
}

fn t(x: u64) -> U256 {
    U256::from(x)
}

fn setup(decimals: u8, answer: i64) -> (TestVM, MockAggregator) {
    let vm = TestVM::new();
    vm.set_block_timestamp(1_000);
    let mut feed = MockAggregator::from(&vm);
    feed.constructor(decimals, i(answer));
    (vm, feed)
}

#[test]
fn constructor_writes_round_one_now() {
    let (vm, feed) = setup(8, 200_000_000_000);
    assert_eq!(feed.decimals(), 8);
    assert_eq!(feed.description(), DESCRIPTION);
    assert_eq!(feed.version(), t(VERSION));
    let round = (r(1), i(200_000_000_000), t(1_000), t(1_000), r(1));
    assert_eq!(feed.latest_round_data().unwrap(), round);
    assert_eq!(feed.get_round_data(r(1)).unwrap(), round);
    let logs = vm.get_emitted_logs();
    assert_eq!(logs.len(), 1);
    let ev = AnswerUpdated::decode_raw_log(&logs[0].0, &logs[0].1).unwrap();
    assert_eq!(
        ev,
        AnswerUpdated {
            current: i(200_000_000_000),
            roundId: t(1),
            updatedAt: t(1_000)
        }
    );
}

#[test]
fn set_answer_opens_the_next_complete_round() {
    let (vm, mut feed) = setup(0, 0);
    vm.set_block_timestamp(5_000);
    feed.set_answer(i(1));
    assert_eq!(
        feed.latest_round_data().unwrap(),
        (r(2), i(1), t(5_000), t(5_000), r(2))
    );
    // Older rounds stay readable.
    assert_eq!(
        feed.get_round_data(r(1)).unwrap(),
        (r(1), i(0), t(1_000), t(1_000), r(1))
    );
    feed.set_answer(i(-7));
    assert_eq!(feed.latest_round_data().unwrap().1, i(-7));
    assert_eq!(feed.latest_round_data().unwrap().0, r(3));
}

#[test]
fn set_round_data_writes_verbatim_and_becomes_latest() {
    let (_vm, mut feed) = setup(18, 5);
    feed.set_round_data(r(40), i(9), t(0), t(0), r(39));
    assert_eq!(
        feed.latest_round_data().unwrap(),
        (r(40), i(9), t(0), t(0), r(39))
    );
    // The next setAnswer continues after the written round.
    feed.set_answer(i(10));
    assert_eq!(feed.latest_round_data().unwrap().0, r(41));
}

#[test]
fn unknown_round_reverts() {
    let (_vm, feed) = setup(8, 1);
    assert_eq!(
        feed.get_round_data(r(2)),
        Err(MockError::MockRoundNotFound(MockRoundNotFound {
            roundId: r(2)
        }))
    );
    assert_eq!(
        feed.get_round_data(r(0)),
        Err(MockError::MockRoundNotFound(MockRoundNotFound {
            roundId: r(0)
        }))
    );
}
