//! TestVM unit tests of the standard test token (the variants are exercised end to end on the
//! devnode).

use alloy_primitives::{address, keccak256, Address, B256, U256};
use alloy_sol_types::{eip712_domain, sol, SolEvent, SolStruct};
use k256::ecdsa::SigningKey;
use kit::{
    erc20::{Approval, IErc20, Transfer},
    permit::IErc20Permit,
};
use stylus_sdk::testing::TestVM;

use super::*;

const ALICE: Address = address!("00000000000000000000000000000000000A11CE");
const BOB: Address = address!("0000000000000000000000000000000000000B0B");
const CAROL: Address = address!("00000000000000000000000000000000000CA201");

fn u(x: u64) -> U256 {
    U256::from(x)
}

fn setup() -> (TestVM, TestToken) {
    let vm = TestVM::new();
    let mut token = TestToken::from(&vm);
    token
        .initialize("Test USD".into(), "tUSD".into(), 6)
        .unwrap();
    (vm, token)
}

fn logs_of<E: SolEvent>(vm: &TestVM) -> Vec<E> {
    vm.get_emitted_logs()
        .into_iter()
        .filter(|(topics, _)| topics.first() == Some(&E::SIGNATURE_HASH))
        .map(|(topics, data)| E::decode_raw_log(topics, &data).unwrap())
        .collect()
}

#[test]
fn initialize_sets_metadata_once() {
    let (_vm, mut token) = setup();
    assert_eq!(token.name(), "Test USD");
    assert_eq!(token.symbol(), "tUSD");
    assert_eq!(token.decimals(), 6);
    assert_eq!(
        token.initialize("X".into(), "X".into(), 18),
        Err(TokenError::AlreadyInitialized(AlreadyInitialized {}))
    );
    assert_eq!(token.decimals(), 6);
}

#[test]
fn mint_and_burn_move_supply_and_emit_transfer() {
    let (vm, mut token) = setup();
    token.mint(ALICE, u(1_000)).unwrap();
    assert_eq!(token.balance_of(ALICE), u(1_000));
    assert_eq!(token.total_supply(), u(1_000));
    vm.set_sender(ALICE);
    token.burn(u(400)).unwrap();
    assert_eq!(token.balance_of(ALICE), u(600));
    assert_eq!(token.total_supply(), u(600));
    assert_eq!(
        logs_of::<Transfer>(&vm),
        vec![
            Transfer {
                from: Address::ZERO,
                to: ALICE,
                value: u(1_000)
            },
            Transfer {
                from: ALICE,
                to: Address::ZERO,
                value: u(400)
            },
        ]
    );
    assert_eq!(
        token.burn(u(601)),
        Err(TokenError::ERC20InsufficientBalance(
            ERC20InsufficientBalance {
                sender: ALICE,
                balance: u(600),
                needed: u(601)
            }
        ))
    );
    assert_eq!(
        token.mint(Address::ZERO, u(1)),
        Err(TokenError::ERC20InvalidReceiver(ERC20InvalidReceiver {
            receiver: Address::ZERO
        }))
    );
}

#[test]
fn mint_beyond_u256_is_a_named_error() {
    let (_vm, mut token) = setup();
    token.mint(ALICE, U256::MAX).unwrap();
    assert_eq!(
        token.mint(BOB, u(1)),
        Err(TokenError::MathOverflow(MathOverflow {}))
    );
    assert_eq!(token.balance_of(BOB), U256::ZERO);
}

#[test]
fn transfer_moves_balances_and_checks_inputs() {
    let (vm, mut token) = setup();
    token.mint(ALICE, u(100)).unwrap();
    vm.set_sender(ALICE);
    assert_eq!(token.transfer(BOB, u(30)), Ok(true));
    assert_eq!(token.balance_of(ALICE), u(70));
    assert_eq!(token.balance_of(BOB), u(30));
    assert_eq!(token.total_supply(), u(100));
    assert_eq!(
        logs_of::<Transfer>(&vm).last(),
        Some(&Transfer {
            from: ALICE,
            to: BOB,
            value: u(30)
        })
    );
    // Self-transfer keeps the balance.
    assert_eq!(token.transfer(ALICE, u(70)), Ok(true));
    assert_eq!(token.balance_of(ALICE), u(70));
    assert_eq!(
        token.transfer(BOB, u(71)),
        Err(TokenError::ERC20InsufficientBalance(
            ERC20InsufficientBalance {
                sender: ALICE,
                balance: u(70),
                needed: u(71)
            }
        ))
    );
    assert_eq!(
        token.transfer(Address::ZERO, u(1)),
        Err(TokenError::ERC20InvalidReceiver(ERC20InvalidReceiver {
            receiver: Address::ZERO
        }))
    );
    // Zero-value transfers are allowed and emit an event, like OpenZeppelin.
    assert_eq!(token.transfer(CAROL, U256::ZERO), Ok(true));
}

#[test]
fn approve_and_transfer_from_spend_allowance() {
    let (vm, mut token) = setup();
    token.mint(ALICE, u(100)).unwrap();
    vm.set_sender(ALICE);
    assert_eq!(token.approve(BOB, u(50)), Ok(true));
    assert_eq!(token.allowance(ALICE, BOB), u(50));
    assert_eq!(
        logs_of::<Approval>(&vm),
        vec![Approval {
            owner: ALICE,
            spender: BOB,
            value: u(50)
        }]
    );

    vm.set_sender(BOB);
    assert_eq!(token.transfer_from(ALICE, CAROL, u(20)), Ok(true));
    assert_eq!(token.allowance(ALICE, BOB), u(30));
    assert_eq!(token.balance_of(CAROL), u(20));
    // transferFrom emits no Approval (OpenZeppelin v5).
    assert_eq!(logs_of::<Approval>(&vm).len(), 1);
    assert_eq!(
        token.transfer_from(ALICE, CAROL, u(31)),
        Err(TokenError::ERC20InsufficientAllowance(
            ERC20InsufficientAllowance {
                spender: BOB,
                allowance: u(30),
                needed: u(31)
            }
        ))
    );
    // A failed transferFrom leaves state untouched.
    assert_eq!(token.allowance(ALICE, BOB), u(30));
    assert_eq!(token.balance_of(ALICE), u(80));
    assert_eq!(
        token.approve(Address::ZERO, u(1)),
        Err(TokenError::ERC20InvalidSpender(ERC20InvalidSpender {
            spender: Address::ZERO
        }))
    );
}

#[test]
fn infinite_allowance_is_not_decreased() {
    let (vm, mut token) = setup();
    token.mint(ALICE, u(100)).unwrap();
    vm.set_sender(ALICE);
    token.approve(BOB, U256::MAX).unwrap();
    vm.set_sender(BOB);
    token.transfer_from(ALICE, BOB, u(60)).unwrap();
    assert_eq!(token.allowance(ALICE, BOB), U256::MAX);
    // Allowance does not excuse balance.
    assert_eq!(
        token.transfer_from(ALICE, BOB, u(41)),
        Err(TokenError::ERC20InsufficientBalance(
            ERC20InsufficientBalance {
                sender: ALICE,
                balance: u(40),
                needed: u(41)
            }
        ))
    );
}

// ---- EIP-2612 permit with real secp256k1 signatures ----

sol! {
    struct Permit { address owner; address spender; uint256 value; uint256 nonce; uint256 deadline; }
}

fn key(seed: u8) -> (SigningKey, Address) {
    let sk = SigningKey::from_bytes(&[seed; 32].into()).unwrap();
    let pk = sk.verifying_key().to_encoded_point(false);
    let addr = Address::from_slice(&keccak256(&pk.as_bytes()[1..])[12..]);
    (sk, addr)
}

/// The digest a wallet signs, computed independently with alloy's EIP-712 implementation.
fn digest(
    vm: &TestVM,
    owner: Address,
    spender: Address,
    value: U256,
    nonce: U256,
    deadline: U256,
) -> B256 {
    let domain = eip712_domain! {
        name: "Test USD",
        version: "1",
        chain_id: vm.chain_id(),
        verifying_contract: vm.contract_address(),
    };
    Permit {
        owner,
        spender,
        value,
        nonce,
        deadline,
    }
    .eip712_signing_hash(&domain)
}

fn sign(sk: &SigningKey, digest: B256) -> (u8, B256, B256) {
    let (sig, recid) = sk.sign_prehash_recoverable(digest.as_slice()).unwrap();
    let bytes = sig.to_bytes();
    (
        27 + recid.to_byte(),
        B256::from_slice(&bytes[..32]),
        B256::from_slice(&bytes[32..]),
    )
}

/// Makes the mocked `ecrecover` precompile (0x01) answer `digest ‖ v ‖ r ‖ s` the way the real
/// one does: with the address k256 recovers (TestVM cannot execute precompiles).
fn mock_ecrecover(vm: &TestVM, digest: B256, v: u8, r: B256, s: B256) {
    let mut input = digest.to_vec();
    input.extend_from_slice(&[0u8; 31]);
    input.push(v);
    input.extend_from_slice(r.as_slice());
    input.extend_from_slice(s.as_slice());
    let mut sig = [0u8; 64];
    sig[..32].copy_from_slice(r.as_slice());
    sig[32..].copy_from_slice(s.as_slice());
    let out = match (
        k256::ecdsa::Signature::from_slice(&sig),
        k256::ecdsa::RecoveryId::from_byte(v.wrapping_sub(27)),
    ) {
        (Ok(sig), Some(id)) => {
            match k256::ecdsa::VerifyingKey::recover_from_prehash(digest.as_slice(), &sig, id) {
                Ok(pk) => {
                    let pk = pk.to_encoded_point(false);
                    let mut word = [0u8; 32];
                    word[12..].copy_from_slice(&keccak256(&pk.as_bytes()[1..])[12..]);
                    word.to_vec()
                }
                Err(_) => Vec::new(),
            }
        }
        _ => Vec::new(),
    };
    vm.mock_static_call(kit::eip712::ECRECOVER, input, Ok(out));
}

#[test]
fn domain_separator_matches_alloy_and_follows_chain_id() {
    let (vm, token) = setup();
    let expected = eip712_domain! {
        name: "Test USD", version: "1", chain_id: vm.chain_id(), verifying_contract: vm.contract_address(),
    }
    .hash_struct();
    assert_eq!(token.domain_separator(), expected);
    vm.set_chain_id(412346);
    assert_ne!(token.domain_separator(), expected);
    assert_eq!(
        token.domain_separator(),
        eip712_domain! { name: "Test USD", version: "1", chain_id: 412346, verifying_contract: vm.contract_address(), }
            .hash_struct()
    );
}

#[test]
fn permit_with_real_signature_approves_and_consumes_the_nonce() {
    let (vm, mut token) = setup();
    let (sk, owner) = key(7);
    vm.set_block_timestamp(1_000);
    let deadline = u(2_000);
    let d = digest(&vm, owner, BOB, u(500), U256::ZERO, deadline);
    let (v, r, s) = sign(&sk, d);
    mock_ecrecover(&vm, d, v, r, s);
    vm.set_sender(CAROL); // anyone can submit a permit
    token.permit(owner, BOB, u(500), deadline, v, r, s).unwrap();
    assert_eq!(token.allowance(owner, BOB), u(500));
    assert_eq!(token.nonces(owner), u(1));
    assert_eq!(
        logs_of::<Approval>(&vm),
        vec![Approval {
            owner,
            spender: BOB,
            value: u(500)
        }]
    );

    // Replaying the same signature fails: the nonce moved, so it recovers another address.
    let d1 = digest(&vm, owner, BOB, u(500), u(1), deadline);
    mock_ecrecover(&vm, d1, v, r, s);
    match token.permit(owner, BOB, u(500), deadline, v, r, s) {
        Err(TokenError::ERC2612InvalidSigner(e)) => {
            assert_eq!(e.owner, owner);
            assert_ne!(e.signer, owner);
        }
        other => panic!("replay accepted or wrong error: {other:?}"),
    }
    assert_eq!(token.nonces(owner), u(1));
}

#[test]
fn permit_rejects_expired_wrong_signer_and_malleable_signatures() {
    let (vm, mut token) = setup();
    let (sk, owner) = key(7);
    let (other_sk, other) = key(9);
    vm.set_block_timestamp(1_000);

    // Expired (deadline strictly in the past).
    let d = digest(&vm, owner, BOB, u(1), U256::ZERO, u(999));
    let (v, r, s) = sign(&sk, d);
    assert_eq!(
        token.permit(owner, BOB, u(1), u(999), v, r, s),
        Err(TokenError::ERC2612ExpiredSignature(
            ERC2612ExpiredSignature { deadline: u(999) }
        ))
    );

    // Signed by someone else.
    let d = digest(&vm, owner, BOB, u(1), U256::ZERO, u(1_000));
    let (v, r, s) = sign(&other_sk, d);
    mock_ecrecover(&vm, d, v, r, s);
    assert_eq!(
        token.permit(owner, BOB, u(1), u(1_000), v, r, s),
        Err(TokenError::ERC2612InvalidSigner(ERC2612InvalidSigner {
            signer: other,
            owner
        }))
    );

    // High-s twin of a valid signature.
    let (v, r, s) = sign(&sk, d);
    let n = U256::from_str_radix(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141",
        16,
    )
    .unwrap();
    let high_s = B256::from(n - U256::from_be_bytes(s.0));
    assert_eq!(
        token.permit(owner, BOB, u(1), u(1_000), v ^ 1, r, high_s),
        Err(TokenError::ECDSAInvalidSignatureS(ECDSAInvalidSignatureS {
            s: high_s
        }))
    );
    // Bad v.
    assert_eq!(
        token.permit(owner, BOB, u(1), u(1_000), 29, r, s),
        Err(TokenError::ECDSAInvalidSignature(ECDSAInvalidSignature {}))
    );
    // No state change from any failure.
    assert_eq!(token.nonces(owner), U256::ZERO);
    assert_eq!(token.allowance(owner, BOB), U256::ZERO);
}
