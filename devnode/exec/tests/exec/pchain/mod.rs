//! Harness of the precompile tests (helper "precompiles"): a genesis chain, committed
//! transactions, `eth_call`-like calls, and small Stylus programs.

#![allow(dead_code)]

use alloy::primitives::{address, Address, Bytes, Log, B256, U256};
use devnode_exec::evm::{self, ArbConfig, BlockContext, DevDb};
use revm::context::result::{ExecutionResult, HaltReason};
use revm::context::TxEnv;
use revm::database::DatabaseCommit;
use revm::primitives::TxKind;
use revm::state::AccountInfo;

/// The genesis chain owner (nitro-devnode's dev account).
pub const OWNER: Address = address!("3f1Eae7D46d88F08fc2F8ed27FCb2AB183EB2d0E");
/// A funded account that is not an owner.
pub const ALICE: Address = address!("00000000000000000000000000000000000a11ce");
/// Another funded account.
pub const BOB: Address = address!("0000000000000000000000000000000000000b0b");
/// Gas price of every test transaction (the dev basefee).
pub const GAS_PRICE: u128 = 100_000_000;

/// A chain under test.
pub struct Chain {
    pub db: DevDb,
    pub cfg: ArbConfig,
    pub block: BlockContext,
}

/// Result of one transaction.
#[derive(Debug)]
pub struct Receipt {
    pub result: ExecutionResult,
}

impl Receipt {
    pub fn gas_used(&self) -> u64 {
        self.result.tx_gas_used()
    }
    pub fn is_success(&self) -> bool {
        self.result.is_success()
    }
    pub fn is_revert(&self) -> bool {
        matches!(self.result, ExecutionResult::Revert { .. })
    }
    pub fn output(&self) -> Bytes {
        match &self.result {
            ExecutionResult::Success { output, .. } => output.data().clone(),
            ExecutionResult::Revert { output, .. } => output.clone(),
            ExecutionResult::Halt { .. } => Bytes::new(),
        }
    }
    pub fn logs(&self) -> Vec<Log> {
        self.result.logs().to_vec()
    }
    /// The message carried by `HaltReason::PrecompileErrorWithContext`, if any.
    pub fn halt_message(&self) -> Option<String> {
        match &self.result {
            ExecutionResult::Halt {
                reason: HaltReason::PrecompileErrorWithContext(m),
                ..
            } => Some(m.clone()),
            _ => None,
        }
    }
}

impl Default for Chain {
    fn default() -> Self {
        Self::new()
    }
}

impl Chain {
    pub fn new() -> Self {
        Self::with_config(ArbConfig::default())
    }

    pub fn with_config(cfg: ArbConfig) -> Self {
        let mut db = DevDb::default();
        evm::install_genesis(&mut db, &cfg);
        let rich = U256::from(10u128.pow(24));
        for a in [OWNER, ALICE, BOB] {
            db.insert_account_info(
                a,
                AccountInfo {
                    balance: rich,
                    ..Default::default()
                },
            );
        }
        let block = BlockContext {
            timestamp: 1_760_000_000,
            ..BlockContext::default()
        };
        Self { db, cfg, block }
    }

    pub fn nonce(&self, a: Address) -> u64 {
        self.db
            .cache
            .accounts
            .get(&a)
            .map(|x| x.info.nonce)
            .unwrap_or(0)
    }

    pub fn balance(&self, a: Address) -> U256 {
        self.db
            .cache
            .accounts
            .get(&a)
            .map(|x| x.info.balance)
            .unwrap_or_default()
    }

    pub fn code(&self, a: Address) -> Bytes {
        self.db
            .cache
            .accounts
            .get(&a)
            .and_then(|x| x.info.code.as_ref().map(|c| c.original_bytes()))
            .unwrap_or_default()
    }

    pub fn codehash(&self, a: Address) -> B256 {
        alloy::primitives::keccak256(self.code(a))
    }

    /// Runs a transaction and commits it (one block per transaction).
    pub fn send(
        &mut self,
        from: Address,
        kind: TxKind,
        data: impl Into<Bytes>,
        value: U256,
        gas: u64,
    ) -> Receipt {
        let r = self.exec(from, kind, data.into(), value, gas, true);
        self.block.l2_block_number += 1;
        r
    }

    /// Runs a call without committing it (like `eth_call`).
    pub fn call(
        &mut self,
        from: Address,
        to: Address,
        data: impl Into<Bytes>,
        value: U256,
    ) -> Receipt {
        self.exec(
            from,
            TxKind::Call(to),
            data.into(),
            value,
            30_000_000,
            false,
        )
    }

    fn exec(
        &mut self,
        from: Address,
        kind: TxKind,
        data: Bytes,
        value: U256,
        gas: u64,
        commit: bool,
    ) -> Receipt {
        let tx = TxEnv::builder()
            .caller(from)
            .kind(kind)
            .data(data)
            .value(value)
            .nonce(self.nonce(from))
            .gas_limit(gas)
            .gas_price(GAS_PRICE)
            .chain_id(Some(self.cfg.chain_id))
            .build()
            .unwrap();
        let out = evm::transact(&mut self.db, &self.cfg, &self.block, tx).expect("valid tx");
        if commit {
            self.db.commit(out.state);
        }
        Receipt { result: out.result }
    }

    /// A committed call with a 30M gas limit.
    pub fn tx(
        &mut self,
        from: Address,
        to: Address,
        data: impl Into<Bytes>,
        value: U256,
    ) -> Receipt {
        self.send(from, TxKind::Call(to), data, value, 30_000_000)
    }

    /// Deploys `code` with cargo-stylus' 43-byte prelude; returns the new address.
    pub fn deploy_code(&mut self, from: Address, code: &[u8]) -> Address {
        let nonce = self.nonce(from);
        let r = self.send(from, TxKind::Create, prelude(code), U256::ZERO, 10_000_000);
        assert!(r.is_success(), "deploy failed: {:?}", r.result);
        from.create(nonce)
    }

    /// Deploys EVM runtime `code` (< 256 bytes); returns the new address.
    pub fn deploy_evm(&mut self, from: Address, code: &[u8]) -> Address {
        let nonce = self.nonce(from);
        let r = self.send(
            from,
            TxKind::Create,
            evm_initcode(code),
            U256::ZERO,
            1_000_000,
        );
        assert!(r.is_success(), "deploy failed: {:?}", r.result);
        from.create(nonce)
    }

    /// Advances the clock.
    pub fn warp(&mut self, seconds: u64) {
        self.block.timestamp += seconds;
    }
}

/// cargo-stylus' deployment prelude: `PUSH32 len DUP1 PUSH1 43 PUSH1 0 CODECOPY PUSH1 0 RETURN 00`.
pub fn prelude(code: &[u8]) -> Vec<u8> {
    let mut v = vec![0x7f];
    v.extend_from_slice(&U256::from(code.len()).to_be_bytes::<32>());
    v.extend_from_slice(&[0x80, 0x60, 43, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3, 0x00]);
    assert_eq!(v.len(), 43);
    v.extend_from_slice(code);
    v
}

/// Initcode returning `code` verbatim (`code.len() < 256`).
pub fn evm_initcode(code: &[u8]) -> Vec<u8> {
    let n = code.len() as u8;
    let mut v = vec![0x60, n, 0x80, 0x60, 11, 0x60, 0, 0x39, 0x60, 0, 0xf3];
    v.extend_from_slice(code);
    v
}

/// A minimal valid Stylus program whose entrypoint returns `status`; `tag` only changes the
/// codehash.
pub fn program_wat(status: i32, tag: u32) -> String {
    format!(
        r#"(module
  (import "vm_hooks" "pay_for_memory_grow" (func (param i32)))
  (import "vm_hooks" "read_args" (func (param i32)))
  (import "vm_hooks" "write_result" (func (param i32 i32)))
  (memory (export "memory") 1 1)
  (data (i32.const 0) "tag{tag}")
  (func (export "user_entrypoint") (param i32) (result i32)
    i32.const {status}))"#
    )
}

/// wasm bytes of [`program_wat`].
pub fn program_wasm(status: i32, tag: u32) -> Vec<u8> {
    wat::parse_str(program_wat(status, tag)).expect("valid wat")
}

/// `EF F0 00 00` + brotli(wasm).
pub fn stylus_code(wasm: &[u8]) -> Vec<u8> {
    devnode_wasm::compress_program(wasm)
}

/// EIP-7623 calldata tokens.
pub fn calldata_tokens(data: &[u8]) -> u64 {
    data.iter().map(|b| if *b == 0 { 1 } else { 4 }).sum()
}

/// Gas used by a call transaction whose execution costs `exec` (Osaka, EIP-7623 floor).
pub fn expected_call_gas(data: &[u8], exec: u64) -> u64 {
    let t = calldata_tokens(data);
    (21_000 + 4 * t + exec).max(21_000 + 10 * t)
}

/// Big-endian word at the start of `b`.
pub fn word(b: &[u8]) -> U256 {
    U256::from_be_slice(&b[..32])
}
