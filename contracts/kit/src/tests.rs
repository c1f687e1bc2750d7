//! TestVM tests of the kit through a small host contract: the ERC-20 hook on every entry point,
//! Ownable2Step, Pausable, SafeERC20 against mocked tokens, and the event declarations used for
//! ABI export.

use alloc::vec::Vec;

use alloy_primitives::{address, Address, U256};
use alloy_sol_types::{SolCall, SolEvent};
use stylus_sdk::{
    prelude::*,
    storage::{StorageU256, StorageVec},
    testing::TestVM,
};

use crate::{
    erc20::{Erc20, Erc20Error, Erc20Host, IErc20, Transfer},
    ownable::{
        Ownable, OwnableError, OwnableInvalidOwner, OwnableUnauthorizedAccount,
        OwnershipTransferStarted, OwnershipTransferred,
    },
    pausable::{EnforcedPause, ExpectedPause, Pausable, PausableError, Paused, Unpaused},
    safe_erc20::{self, IErc20Calls, SafeERC20FailedOperation, SafeErc20Error},
};

const ALICE: Address = address!("00000000000000000000000000000000000A11CE");
const BOB: Address = address!("0000000000000000000000000000000000000B0B");
const TOKEN: Address = address!("000000000000000000000000000000000000701C");

/// Host used by the tests: records every `before_update` call (from, to, value) in storage.
#[entrypoint]
#[storage]
struct Host {
    erc20: Erc20,
    ownable: Ownable,
    pausable: Pausable,
    hook_log: StorageVec<StorageU256>,
}

impl Erc20Host for Host {
    type Error = Erc20Error;
    fn erc20(&self) -> &Erc20 {
        &self.erc20
    }
    fn erc20_mut(&mut self) -> &mut Erc20 {
        &mut self.erc20
    }
    fn before_update(&mut self, from: Address, to: Address, value: U256) -> Result<(), Erc20Error> {
        // The hook sees balances *before* they move.
        let from_balance = self.erc20.balance_of(from);
        for word in [
            U256::from_be_slice(from.as_slice()),
            U256::from_be_slice(to.as_slice()),
            value,
            from_balance,
        ] {
            self.hook_log.push(word);
        }
        Ok(())
    }
}

crate::impl_erc20!(Host);

#[public]
#[implements(IErc20<Error = Erc20Error>)]
impl Host {}

impl Host {
    fn hooks(&self) -> Vec<(Address, Address, U256, U256)> {
        let words: Vec<U256> = (0..self.hook_log.len())
            .map(|i| self.hook_log.get(i).unwrap())
            .collect();
        words
            .chunks(4)
            .map(|c| {
                let a = |w: U256| Address::from_slice(&w.to_be_bytes::<32>()[12..]);
                (a(c[0]), a(c[1]), c[2], c[3])
            })
            .collect()
    }
}

fn u(x: u64) -> U256 {
    U256::from(x)
}

#[test]
fn before_update_runs_before_every_balance_change() {
    let vm = TestVM::new();
    let mut host = Host::from(&vm);
    host.erc20_mint(ALICE, u(100)).unwrap();
    vm.set_sender(ALICE);
    host.transfer(BOB, u(10)).unwrap();
    host.approve(BOB, u(50)).unwrap();
    vm.set_sender(BOB);
    host.transfer_from(ALICE, BOB, u(20)).unwrap();
    host.erc20_burn(BOB, u(5)).unwrap();
    assert_eq!(
        host.hooks(),
        vec![
            (Address::ZERO, ALICE, u(100), U256::ZERO),
            (ALICE, BOB, u(10), u(100)),
            (ALICE, BOB, u(20), u(90)),
            (BOB, Address::ZERO, u(5), u(30)),
        ],
        "one hook per mint / transfer / transferFrom / burn, before balances move; none for approve"
    );
    assert_eq!(host.balance_of(ALICE), u(70));
    assert_eq!(host.balance_of(BOB), u(25));
    assert_eq!(host.total_supply(), u(95));
    // Rejected inputs fail before the hook runs.
    assert!(host.erc20_transfer(Address::ZERO, BOB, u(1)).is_err());
    assert!(host.erc20_mint(Address::ZERO, u(1)).is_err());
    assert_eq!(host.hooks().len(), 4);
    assert_eq!(
        vm.get_emitted_logs()
            .iter()
            .filter(|(t, _)| t[0] == Transfer::SIGNATURE_HASH)
            .count(),
        4
    );
}

#[test]
fn ownable_two_step_transfer_and_renounce() {
    let vm = TestVM::new();
    let mut host = Host::from(&vm);
    assert_eq!(
        host.ownable.initialize(Address::ZERO),
        Err(OwnableError::OwnableInvalidOwner(OwnableInvalidOwner {
            owner: Address::ZERO
        }))
    );
    host.ownable.initialize(ALICE).unwrap();
    assert_eq!(host.ownable.owner(), ALICE);

    vm.set_sender(BOB);
    let unauthorized = |a| {
        Err(OwnableError::OwnableUnauthorizedAccount(
            OwnableUnauthorizedAccount { account: a },
        ))
    };
    assert_eq!(host.ownable.only_owner(), unauthorized(BOB));
    assert_eq!(host.ownable.transfer_ownership(BOB), unauthorized(BOB));
    assert_eq!(host.ownable.renounce_ownership(), unauthorized(BOB));
    assert_eq!(host.ownable.accept_ownership(), unauthorized(BOB));

    vm.set_sender(ALICE);
    host.ownable.transfer_ownership(BOB).unwrap();
    assert_eq!(host.ownable.pending_owner(), BOB);
    assert_eq!(
        host.ownable.owner(),
        ALICE,
        "step one does not move ownership"
    );
    host.ownable.only_owner().unwrap();

    vm.set_sender(BOB);
    host.ownable.accept_ownership().unwrap();
    assert_eq!(host.ownable.owner(), BOB);
    assert_eq!(host.ownable.pending_owner(), Address::ZERO);
    host.ownable.renounce_ownership().unwrap();
    assert_eq!(host.ownable.owner(), Address::ZERO);

    let logs = vm.get_emitted_logs();
    let transferred: Vec<OwnershipTransferred> = logs
        .iter()
        .filter(|(t, _)| t[0] == OwnershipTransferred::SIGNATURE_HASH)
        .map(|(t, d)| OwnershipTransferred::decode_raw_log(t, d).unwrap())
        .collect();
    assert_eq!(
        transferred
            .iter()
            .map(|e| (e.previousOwner, e.newOwner))
            .collect::<Vec<_>>(),
        vec![(Address::ZERO, ALICE), (ALICE, BOB), (BOB, Address::ZERO)]
    );
    assert_eq!(
        logs.iter()
            .filter(|(t, _)| t[0] == OwnershipTransferStarted::SIGNATURE_HASH)
            .count(),
        1
    );
}

#[test]
fn pausable_guards_and_events() {
    let vm = TestVM::new();
    let mut host = Host::from(&vm);
    assert!(!host.pausable.paused());
    host.pausable.when_not_paused().unwrap();
    assert_eq!(
        host.pausable.unpause(),
        Err(PausableError::ExpectedPause(ExpectedPause {}))
    );
    vm.set_sender(ALICE);
    host.pausable.pause().unwrap();
    assert!(host.pausable.paused());
    assert_eq!(
        host.pausable.when_not_paused(),
        Err(PausableError::EnforcedPause(EnforcedPause {}))
    );
    assert_eq!(
        host.pausable.pause(),
        Err(PausableError::EnforcedPause(EnforcedPause {}))
    );
    host.pausable.unpause().unwrap();
    assert!(!host.pausable.paused());
    let logs = vm.get_emitted_logs();
    assert_eq!(
        Paused::decode_raw_log(&logs[0].0, &logs[0].1)
            .unwrap()
            .account,
        ALICE
    );
    assert_eq!(
        Unpaused::decode_raw_log(&logs[1].0, &logs[1].1)
            .unwrap()
            .account,
        ALICE
    );
}

fn failed() -> Result<(), SafeErc20Error> {
    Err(SafeErc20Error::SafeERC20FailedOperation(
        SafeERC20FailedOperation { token: TOKEN },
    ))
}

fn transfer_data() -> Vec<u8> {
    IErc20Calls::transferCall {
        to: BOB,
        value: u(7),
    }
    .abi_encode()
}

fn word(x: u64) -> Vec<u8> {
    u(x).to_be_bytes::<32>().to_vec()
}

#[test]
fn safe_transfer_accepts_true_and_missing_return_values() {
    let vm = TestVM::new();
    let mut host = Host::from(&vm);
    vm.set_code(TOKEN, vec![0x60, 0x00]);
    vm.mock_call(TOKEN, transfer_data(), U256::ZERO, Ok(word(1)));
    safe_erc20::safe_transfer(&mut host, TOKEN, BOB, u(7)).unwrap();

    // USDT-style: no return data, but the token has code.
    let vm = TestVM::new();
    let mut host = Host::from(&vm);
    vm.set_code(TOKEN, vec![0x60, 0x00]);
    vm.mock_call(TOKEN, transfer_data(), U256::ZERO, Ok(Vec::new()));
    safe_erc20::safe_transfer(&mut host, TOKEN, BOB, u(7)).unwrap();
}

#[test]
fn safe_transfer_fails_on_false_revert_garbage_and_codeless_targets() {
    // Returns false.
    let vm = TestVM::new();
    let mut host = Host::from(&vm);
    vm.set_code(TOKEN, vec![0x60, 0x00]);
    vm.mock_call(TOKEN, transfer_data(), U256::ZERO, Ok(word(0)));
    assert_eq!(
        safe_erc20::safe_transfer(&mut host, TOKEN, BOB, u(7)),
        failed()
    );

    // Reverts (with the token's own error data, which is wrapped).
    let vm = TestVM::new();
    let mut host = Host::from(&vm);
    vm.set_code(TOKEN, vec![0x60, 0x00]);
    vm.mock_call(TOKEN, transfer_data(), U256::ZERO, Err(vec![0xde, 0xad]));
    assert_eq!(
        safe_erc20::safe_transfer(&mut host, TOKEN, BOB, u(7)),
        failed()
    );

    // Returns a short, non-bool payload.
    let vm = TestVM::new();
    let mut host = Host::from(&vm);
    vm.set_code(TOKEN, vec![0x60, 0x00]);
    vm.mock_call(TOKEN, transfer_data(), U256::ZERO, Ok(vec![1]));
    assert_eq!(
        safe_erc20::safe_transfer(&mut host, TOKEN, BOB, u(7)),
        failed()
    );

    // No code at the token address: an empty success is not trusted.
    let vm = TestVM::new();
    let mut host = Host::from(&vm);
    vm.mock_call(TOKEN, transfer_data(), U256::ZERO, Ok(Vec::new()));
    assert_eq!(
        safe_erc20::safe_transfer(&mut host, TOKEN, BOB, u(7)),
        failed()
    );
}

#[test]
fn safe_transfer_from_approve_and_balance_of() {
    let vm = TestVM::new();
    let mut host = Host::from(&vm);
    vm.set_code(TOKEN, vec![0x60, 0x00]);
    let data = IErc20Calls::transferFromCall {
        from: ALICE,
        to: BOB,
        value: u(3),
    }
    .abi_encode();
    vm.mock_call(TOKEN, data, U256::ZERO, Ok(word(1)));
    safe_erc20::safe_transfer_from(&mut host, TOKEN, ALICE, BOB, u(3)).unwrap();

    let vm = TestVM::new();
    let mut host = Host::from(&vm);
    vm.set_code(TOKEN, vec![0x60, 0x00]);
    let data = IErc20Calls::approveCall {
        spender: BOB,
        value: u(9),
    }
    .abi_encode();
    vm.mock_call(TOKEN, data, U256::ZERO, Ok(word(1)));
    safe_erc20::force_approve(&mut host, TOKEN, BOB, u(9)).unwrap();

    let vm = TestVM::new();
    let data = IErc20Calls::balanceOfCall { account: ALICE }.abi_encode();
    vm.mock_static_call(TOKEN, data, Ok(word(42)));
    assert_eq!(safe_erc20::balance_of(&vm, TOKEN, ALICE), Ok(u(42)));
    let vm = TestVM::new();
    let data = IErc20Calls::balanceOfCall { account: ALICE }.abi_encode();
    vm.mock_static_call(TOKEN, data, Err(Vec::new()));
    assert!(safe_erc20::balance_of(&vm, TOKEN, ALICE).is_err());
}

/// `event Name(type indexed a, type b)` → `Name(type,type)`.
fn canonical(decl: &str) -> String {
    let decl = decl.trim_start_matches("event ");
    let (name, params) = decl.split_once('(').unwrap();
    let params = params.trim_end_matches(')');
    let types: Vec<&str> = params
        .split(',')
        .filter(|p| !p.trim().is_empty())
        .map(|p| p.split_whitespace().next().unwrap())
        .collect();
    format!("{name}({})", types.join(","))
}

#[test]
fn event_declarations_for_abi_export_match_the_events() {
    let sigs = [
        crate::erc20::Transfer::SIGNATURE,
        crate::erc20::Approval::SIGNATURE,
        OwnershipTransferred::SIGNATURE,
        OwnershipTransferStarted::SIGNATURE,
        Paused::SIGNATURE,
        Unpaused::SIGNATURE,
    ];
    let decls: Vec<&str> = crate::erc20::EVENTS_SOL
        .iter()
        .chain(crate::ownable::EVENTS_SOL)
        .chain(crate::pausable::EVENTS_SOL)
        .copied()
        .collect();
    assert_eq!(decls.iter().map(|d| canonical(d)).collect::<Vec<_>>(), sigs);
    // Indexed flags: Transfer/Approval/Ownership* index their two addresses, Paused none.
    assert_eq!(
        decls
            .iter()
            .map(|d| d.matches(" indexed ").count())
            .collect::<Vec<_>>(),
        [2, 2, 2, 2, 0, 0]
    );
}
