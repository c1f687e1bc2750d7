//! TestVM unit tests of the factory: constructor checks, createPair (sorting, errors, CREATE2 of
//! `PRELUDE ‖ templateCode` with the V2 salt, `initialize` in the same call, both-order lookup,
//! the event), fee setters, and the off-chain `pairFor` formula.

use alloy_primitives::{address, keccak256, Address, B256, U256};
use alloy_sol_types::{SolCall, SolEvent};
use stylus_sdk::testing::TestVM;

use super::*;

const FACTORY: Address = address!("000000000000000000000000000000000000fac7");
const TEMPLATE: Address = address!("0000000000000000000000000000000000007e47");
const FACET: Address = address!("00000000000000000000000000000000000facE7");
const SETTER: Address = address!("0000000000000000000000000000000000005e77");
const ALICE: Address = address!("00000000000000000000000000000000000a11ce");
const TA: Address = address!("0000000000000000000000000000000000000b00");
const TB: Address = address!("0000000000000000000000000000000000000a00");
const TC: Address = address!("0000000000000000000000000000000000000c00");

fn template_code() -> Vec<u8> {
    let mut code = vec![0xef, 0xf0, 0x00, 0x00];
    code.extend((0..300u32).map(|i| (i * 7) as u8));
    code
}

fn mock_facet(vm: &TestVM, version: B256) {
    vm.set_code(FACET, vec![0xef, 0xf0, 0x00, 0x00, 0x01]);
    vm.mock_static_call(
        FACET,
        IPairInit::rewardsFacetVersionCall {}.abi_encode(),
        Ok(version.to_vec()),
    );
}

fn setup() -> (TestVM, PoolFactory) {
    let vm = TestVM::new();
    vm.set_contract_address(FACTORY);
    vm.set_code(TEMPLATE, template_code());
    mock_facet(&vm, PAIR_FACET_VERSION);
    let mut f = PoolFactory::from(&vm);
    f.constructor(SETTER, TEMPLATE, FACET).unwrap();
    vm.clear_mocks();
    (vm, f)
}

/// Mocks the CREATE2 and the `initialize` call of the pair of `a`/`b`; returns its address.
fn expect_pair(vm: &TestVM, f: &PoolFactory, a: Address, b: Address) -> Address {
    let (t0, t1) = sort_tokens(a, b);
    let pair = pair_for(FACTORY, a, b, f.pair_init_code_hash());
    vm.mock_deploy(
        pair_initcode(&template_code()),
        Some(pair_salt(t0, t1)),
        Ok(pair),
    );
    vm.mock_call(
        pair,
        IPairInit::initializeCall {
            token0: t0,
            token1: t1,
        }
        .abi_encode(),
        U256::ZERO,
        Ok(Vec::new()),
    );
    pair
}

#[test]
fn prelude_is_the_cargo_stylus_one() {
    let code = template_code();
    let init = pair_initcode(&code);
    assert_eq!(init.len(), PRELUDE_LEN + code.len());
    assert_eq!(init[0], 0x7f);
    assert_eq!(U256::from_be_slice(&init[1..33]), U256::from(code.len()));
    assert_eq!(
        &init[33..43],
        &[0x80, 0x60, 43, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3, 0x00]
    );
    assert_eq!(&init[43..], &code[..]);
}

#[test]
fn facet_version_matches_the_pair_crate() {
    assert_eq!(PAIR_FACET_VERSION, liquidity_pool::FACET_VERSION);
}

#[test]
fn constructor_records_everything_and_the_init_code_hash() {
    let (_vm, f) = setup();
    assert_eq!(f.fee_to_setter(), SETTER);
    assert_eq!(f.fee_to(), Address::ZERO);
    assert_eq!(f.pair_template(), TEMPLATE);
    assert_eq!(f.rewards_facet(), FACET);
    assert_eq!(
        f.pair_init_code_hash(),
        keccak256(pair_initcode(&template_code()))
    );
    assert_eq!(f.all_pairs_length(), U256::ZERO);
}

#[test]
fn constructor_refuses_bad_templates_and_facets() {
    let vm = TestVM::new();
    mock_facet(&vm, PAIR_FACET_VERSION);
    let mut f = PoolFactory::from(&vm);
    for t in [Address::ZERO, ALICE] {
        assert_eq!(
            f.constructor(SETTER, t, FACET),
            Err(FactoryError::PairTemplateInvalid(PairTemplateInvalid {
                template: t
            }))
        );
    }
    // EVM code is not a pair template.
    vm.set_code(ALICE, vec![0x60, 0x00, 0x60, 0x00, 0xf3]);
    assert_eq!(
        f.constructor(SETTER, ALICE, FACET),
        Err(FactoryError::PairTemplateInvalid(PairTemplateInvalid {
            template: ALICE
        }))
    );
    vm.set_code(TEMPLATE, template_code());
    for bad in [Address::ZERO, TC] {
        assert_eq!(
            f.constructor(SETTER, TEMPLATE, bad),
            Err(FactoryError::PairRewardsFacetInvalid(
                PairRewardsFacetInvalid { facet: bad }
            ))
        );
    }
    vm.clear_mocks();
    mock_facet(&vm, B256::repeat_byte(1)); // another layout's facet
    assert_eq!(
        f.constructor(SETTER, TEMPLATE, FACET),
        Err(FactoryError::PairRewardsFacetInvalid(
            PairRewardsFacetInvalid { facet: FACET }
        ))
    );
}

#[test]
fn create_pair_sorts_deploys_initialises_and_records() {
    let (vm, mut f) = setup();
    let pair = expect_pair(&vm, &f, TA, TB);
    vm.set_sender(ALICE);
    assert_eq!(f.create_pair(TA, TB), Ok(pair));
    assert_eq!(f.get_pair(TA, TB), pair);
    assert_eq!(f.get_pair(TB, TA), pair);
    assert_eq!(f.all_pairs(U256::ZERO), Ok(pair));
    assert_eq!(f.all_pairs_length(), U256::from(1));
    let logs: Vec<PairCreated> = vm
        .get_emitted_logs()
        .into_iter()
        .filter_map(|(t, d)| PairCreated::decode_raw_log(t, &d).ok())
        .collect();
    assert_eq!(
        logs,
        vec![PairCreated {
            token0: TB,
            token1: TA,
            pair,
            allPairsLength: U256::from(1)
        }]
    );
    // Either order again: exists.
    for (a, b) in [(TA, TB), (TB, TA)] {
        assert_eq!(
            f.create_pair(a, b),
            Err(FactoryError::UniswapV2PairExists(UniswapV2PairExists {}))
        );
    }
    // A second pair gets the next index and its own CREATE2 address.
    let pair2 = expect_pair(&vm, &f, TC, TA);
    assert_eq!(f.create_pair(TC, TA), Ok(pair2));
    assert_ne!(pair, pair2);
    assert_eq!(f.all_pairs(U256::from(1)), Ok(pair2));
    assert_eq!(
        f.all_pairs(U256::from(2)),
        Err(FactoryError::PairIndexOutOfBounds(PairIndexOutOfBounds {
            index: U256::from(2),
            length: U256::from(2)
        }))
    );
    assert_eq!(
        f.all_pairs(U256::MAX),
        Err(FactoryError::PairIndexOutOfBounds(PairIndexOutOfBounds {
            index: U256::MAX,
            length: U256::from(2)
        }))
    );
}

#[test]
fn create_pair_input_errors() {
    let (_vm, mut f) = setup();
    assert_eq!(
        f.create_pair(TA, TA),
        Err(FactoryError::UniswapV2IdenticalAddresses(
            UniswapV2IdenticalAddresses {}
        ))
    );
    for (a, b) in [(Address::ZERO, TA), (TA, Address::ZERO)] {
        assert_eq!(
            f.create_pair(a, b),
            Err(FactoryError::UniswapV2ZeroAddress(UniswapV2ZeroAddress {}))
        );
    }
}

#[test]
fn create_pair_deploy_and_initialize_failures_are_named() {
    let (vm, mut f) = setup();
    let (t0, t1) = sort_tokens(TA, TB);
    vm.mock_deploy(
        pair_initcode(&template_code()),
        Some(pair_salt(t0, t1)),
        Err(Vec::new()),
    );
    assert_eq!(
        f.create_pair(TA, TB),
        Err(FactoryError::PairDeployFailed(PairDeployFailed {}))
    );
    vm.clear_mocks();
    let pair = pair_for(FACTORY, TA, TB, f.pair_init_code_hash());
    vm.mock_deploy(
        pair_initcode(&template_code()),
        Some(pair_salt(t0, t1)),
        Ok(pair),
    );
    vm.mock_call(
        pair,
        IPairInit::initializeCall {
            token0: t0,
            token1: t1,
        }
        .abi_encode(),
        U256::ZERO,
        Err(vec![1]),
    );
    assert_eq!(
        f.create_pair(TA, TB),
        Err(FactoryError::PairInitializeFailed(PairInitializeFailed {
            pair
        }))
    );
    assert_eq!(f.get_pair(TA, TB), Address::ZERO);
}

#[test]
fn fee_setters_are_only_for_the_fee_to_setter() {
    let (vm, mut f) = setup();
    vm.set_sender(ALICE);
    let forbidden = Err(FactoryError::UniswapV2Forbidden(UniswapV2Forbidden {}));
    assert_eq!(f.set_fee_to(ALICE), forbidden);
    assert_eq!(f.set_fee_to_setter(ALICE), forbidden);
    vm.set_sender(SETTER);
    f.set_fee_to(TC).unwrap();
    assert_eq!(f.fee_to(), TC);
    f.set_fee_to_setter(ALICE).unwrap();
    assert_eq!(f.fee_to_setter(), ALICE);
    // The old setter lost the role.
    assert_eq!(f.set_fee_to(Address::ZERO), forbidden);
    vm.set_sender(ALICE);
    f.set_fee_to(Address::ZERO).unwrap();
    assert_eq!(f.fee_to(), Address::ZERO);
}

#[test]
fn pair_for_is_uniswaps_formula() {
    // keccak256(0xff ‖ factory ‖ keccak256(token0 ‖ token1) ‖ initCodeHash)[12:], tokens sorted.
    let hash = B256::repeat_byte(0x42);
    let mut pre = vec![0xff];
    pre.extend_from_slice(FACTORY.as_slice());
    let mut packed = TB.to_vec();
    packed.extend_from_slice(TA.as_slice());
    pre.extend_from_slice(keccak256(&packed).as_slice());
    pre.extend_from_slice(hash.as_slice());
    let expected = Address::from_slice(&keccak256(&pre)[12..]);
    assert_eq!(pair_for(FACTORY, TA, TB, hash), expected);
    assert_eq!(pair_for(FACTORY, TB, TA, hash), expected);
}
