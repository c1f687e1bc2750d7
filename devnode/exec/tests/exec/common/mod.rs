//! Shared harness for the Stylus conformance tests: an in-memory chain, programs written in
//! `.wat` that import all 42 hostios, direct activation (record written like ArbWasm does) and
//! execution on a big-stack thread.
#![allow(dead_code)]

use devnode_exec::evm::{self, ArbConfig, BlockContext, DevDb};
use devnode_exec::programs::{self, Meter, ProgramRecord};
use devnode_exec::stylus::trace::{HostioRecord, TracedFrame};
use devnode_wasm::StylusParams;
use revm::bytecode::Bytecode;
use revm::context::result::{ExecutionResult, ResultAndState};
use revm::context::{Journal, JournalTr, TxEnv};
use revm::database::DatabaseCommit;
use revm::primitives::{address, keccak256, Address, Bytes, TxKind, B256, U256};
use revm::state::AccountInfo;

/// Funded sender.
pub const ALICE: Address = address!("00000000000000000000000000000000000a11ce");
/// Ink per gas.
pub const INK: u64 = 10_000;
/// Gas price used by the tests (= basefee).
pub const GAS_PRICE: u128 = 100_000_000;

/// The 42 hostio imports with their wasm signatures.
pub const IMPORTS: &str = r#"
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (import "vm_hooks" "exit_early" (func $exit_early (param i32)))
  (import "vm_hooks" "storage_load_bytes32" (func $storage_load_bytes32 (param i32 i32)))
  (import "vm_hooks" "storage_cache_bytes32" (func $storage_cache_bytes32 (param i32 i32)))
  (import "vm_hooks" "storage_flush_cache" (func $storage_flush_cache (param i32)))
  (import "vm_hooks" "transient_load_bytes32" (func $transient_load_bytes32 (param i32 i32)))
  (import "vm_hooks" "transient_store_bytes32" (func $transient_store_bytes32 (param i32 i32)))
  (import "vm_hooks" "call_contract" (func $call_contract (param i32 i32 i32 i32 i64 i32) (result i32)))
  (import "vm_hooks" "delegate_call_contract" (func $delegate_call_contract (param i32 i32 i32 i64 i32) (result i32)))
  (import "vm_hooks" "static_call_contract" (func $static_call_contract (param i32 i32 i32 i64 i32) (result i32)))
  (import "vm_hooks" "create1" (func $create1 (param i32 i32 i32 i32 i32)))
  (import "vm_hooks" "create2" (func $create2 (param i32 i32 i32 i32 i32 i32)))
  (import "vm_hooks" "read_return_data" (func $read_return_data (param i32 i32 i32) (result i32)))
  (import "vm_hooks" "return_data_size" (func $return_data_size (result i32)))
  (import "vm_hooks" "emit_log" (func $emit_log (param i32 i32 i32)))
  (import "vm_hooks" "account_balance" (func $account_balance (param i32 i32)))
  (import "vm_hooks" "account_code" (func $account_code (param i32 i32 i32 i32) (result i32)))
  (import "vm_hooks" "account_code_size" (func $account_code_size (param i32) (result i32)))
  (import "vm_hooks" "account_codehash" (func $account_codehash (param i32 i32)))
  (import "vm_hooks" "evm_gas_left" (func $evm_gas_left (result i64)))
  (import "vm_hooks" "evm_ink_left" (func $evm_ink_left (result i64)))
  (import "vm_hooks" "block_basefee" (func $block_basefee (param i32)))
  (import "vm_hooks" "chainid" (func $chainid (result i64)))
  (import "vm_hooks" "block_coinbase" (func $block_coinbase (param i32)))
  (import "vm_hooks" "block_gas_limit" (func $block_gas_limit (result i64)))
  (import "vm_hooks" "block_number" (func $block_number (result i64)))
  (import "vm_hooks" "block_timestamp" (func $block_timestamp (result i64)))
  (import "vm_hooks" "contract_address" (func $contract_address (param i32)))
  (import "vm_hooks" "math_div" (func $math_div (param i32 i32)))
  (import "vm_hooks" "math_mod" (func $math_mod (param i32 i32)))
  (import "vm_hooks" "math_pow" (func $math_pow (param i32 i32)))
  (import "vm_hooks" "math_add_mod" (func $math_add_mod (param i32 i32 i32)))
  (import "vm_hooks" "math_mul_mod" (func $math_mul_mod (param i32 i32 i32)))
  (import "vm_hooks" "msg_reentrant" (func $msg_reentrant (result i32)))
  (import "vm_hooks" "msg_sender" (func $msg_sender (param i32)))
  (import "vm_hooks" "msg_value" (func $msg_value (param i32)))
  (import "vm_hooks" "native_keccak256" (func $native_keccak256 (param i32 i32 i32)))
  (import "vm_hooks" "tx_gas_price" (func $tx_gas_price (param i32)))
  (import "vm_hooks" "tx_ink_price" (func $tx_ink_price (result i32)))
  (import "vm_hooks" "tx_origin" (func $tx_origin (param i32)))
  (import "vm_hooks" "pay_for_memory_grow" (func $pay_for_memory_grow (param i32)))
"#;

/// A program importing every hostio, with `memory` (`pages` initial, max `max_pages`), extra
/// module fields `extra` and the body of `user_entrypoint(len) -> status`.
pub fn program(pages: u32, max_pages: u32, extra: &str, body: &str) -> String {
    format!(
        "(module {IMPORTS}\n (memory (export \"memory\") {pages} {max_pages})\n {extra}\n \
         (func (export \"user_entrypoint\") (param $len i32) (result i32) {body}))"
    )
}

/// A 1-page program with body `body`.
pub fn simple(body: &str) -> String {
    program(1, 1, "", body)
}

/// Classic Stylus code (`EF F0 00 00` + brotli) of a `.wat` program.
pub fn stylus_code(wat: &str) -> Vec<u8> {
    devnode_wasm::compress_program(&wat::parse_str(wat).expect("valid wat"))
}

/// The chain under test.
pub struct Chain {
    /// World state.
    pub db: DevDb,
    /// Chain config.
    pub cfg: ArbConfig,
    /// Block environment.
    pub block: BlockContext,
    nonce: u64,
}

impl Default for Chain {
    fn default() -> Self {
        Self::new(ArbConfig::default())
    }
}

impl Chain {
    /// A fresh chain with genesis installed and [`ALICE`] funded.
    pub fn new(cfg: ArbConfig) -> Self {
        let mut db = DevDb::default();
        evm::install_genesis(&mut db, &cfg);
        db.insert_account_info(
            ALICE,
            AccountInfo {
                balance: U256::from(10u128.pow(24)),
                ..Default::default()
            },
        );
        let block = BlockContext {
            timestamp: 1_800_000_000,
            ..Default::default()
        };
        Self {
            db,
            cfg,
            block,
            nonce: 0,
        }
    }

    /// Installs raw code at `addr`.
    pub fn set_code(&mut self, addr: Address, code: Vec<u8>) -> B256 {
        let bc = Bytecode::new_raw(Bytes::from(code));
        let info = AccountInfo::default().with_code(bc);
        let hash = info.code_hash;
        let balance = self
            .db
            .cache
            .accounts
            .get(&addr)
            .map(|a| a.info.balance)
            .unwrap_or_default();
        self.db
            .insert_account_info(addr, AccountInfo { balance, ..info });
        hash
    }

    /// Installs a `.wat` program at `addr` without activating it.
    pub fn deploy_unactivated(&mut self, addr: Address, wat: &str) -> B256 {
        self.set_code(addr, stylus_code(wat))
    }

    /// Installs and activates a `.wat` program at `addr`; returns the stored record.
    pub fn deploy(&mut self, addr: Address, wat: &str) -> ProgramRecord {
        let code = stylus_code(wat);
        let hash = self.set_code(addr, code);
        self.activate(hash, wat)
    }

    /// Writes the activation record of `wat` under `codehash` (what ArbWasm stores).
    pub fn activate(&mut self, codehash: B256, wat: &str) -> ProgramRecord {
        let wasm = wat::parse_str(wat).expect("valid wat");
        let params = self.params();
        let act = devnode_wasm::activate(
            &wasm,
            params.page_limit,
            &params,
            self.cfg.debug,
            self.cfg.arbos_version,
        )
        .expect("activation");
        let rec = ProgramRecord {
            version: params.version,
            init_cost: act.init_cost,
            cached_init_cost: act.cached_init_cost,
            footprint: act.footprint,
            activated_at_hours: programs::hours_since_epoch(self.block.timestamp),
            asm_estimate_kb: act.asm_estimate_kb(),
            cached: false,
        };
        let mut j: Journal<DevDb> = Journal::new(std::mem::take(&mut self.db));
        programs::store_record(&mut j, &mut Meter::free(), codehash, &rec).unwrap();
        let state = j.finalize();
        self.db = std::mem::take(&mut j.database);
        self.db.commit(state);
        rec
    }

    /// The Stylus params in state.
    pub fn params(&mut self) -> StylusParams {
        programs::read_params_db(&mut self.db).unwrap()
    }

    /// Gas of the program entry (init + cached parts, no memory) for `rec`.
    pub fn init_gas(&mut self, rec: &ProgramRecord) -> u64 {
        self.params()
            .program_init_gas(rec.init_cost, rec.cached_init_cost, rec.cached)
    }

    /// A call transaction from ALICE.
    pub fn tx(&mut self, to: Address, data: Vec<u8>, value: U256, gas: u64) -> TxEnv {
        TxEnv::builder()
            .caller(ALICE)
            .kind(TxKind::Call(to))
            .data(Bytes::from(data))
            .value(value)
            .nonce(self.nonce)
            .gas_limit(gas)
            .gas_price(GAS_PRICE)
            .chain_id(Some(self.cfg.chain_id))
            .build()
            .unwrap()
    }

    /// Executes a call (traced, on a big-stack thread) and commits it.
    pub fn call(&mut self, to: Address, data: Vec<u8>, value: U256, gas: u64) -> Traced {
        let tx = self.tx(to, data, value, gas);
        let mut db = std::mem::take(&mut self.db);
        let cfg = self.cfg.clone();
        let block = self.block.clone();
        let (r, frames, db) = on_big_stack(move || {
            let (r, frames) = evm::transact_traced(&mut db, &cfg, &block, tx).expect("valid tx");
            (r, frames, db)
        });
        self.db = db;
        self.db.commit(r.state);
        self.nonce += 1;
        Traced {
            result: r.result,
            frames,
        }
    }

    /// Advances ALICE's nonce (after a transaction executed outside [`Chain::call`]).
    pub fn bump_nonce(&mut self) {
        self.nonce += 1;
    }

    /// Storage value of `addr` at `key`.
    pub fn storage(&self, addr: Address, key: U256) -> U256 {
        self.db
            .cache
            .accounts
            .get(&addr)
            .and_then(|a| a.storage.get(&key).copied())
            .unwrap_or_default()
    }
}

/// Result of a traced call.
pub struct Traced {
    /// Execution result.
    pub result: ExecutionResult,
    /// Stylus frames (top level).
    pub frames: Vec<TracedFrame>,
}

impl Traced {
    /// Output bytes (success or revert).
    pub fn output(&self) -> Bytes {
        match &self.result {
            ExecutionResult::Success { output, .. } => output.data().clone(),
            ExecutionResult::Revert { output, .. } => output.clone(),
            ExecutionResult::Halt { .. } => Bytes::new(),
        }
    }

    /// Gas used by the transaction.
    pub fn gas_used(&self) -> u64 {
        self.result.tx_gas_used()
    }

    /// Steps of the first top-level Stylus frame.
    pub fn steps(&self) -> &[HostioRecord] {
        &self.frames[0].steps
    }

    /// The `n`-th record named `name` in the first frame.
    pub fn hostio(&self, name: &str, n: usize) -> &HostioRecord {
        self.steps()
            .iter()
            .filter(|r| r.name == name)
            .nth(n)
            .unwrap_or_else(|| panic!("no {name} #{n}"))
    }

    /// Ink charged by the `n`-th `name` hostio.
    pub fn ink(&self, name: &str, n: usize) -> u64 {
        let r = self.hostio(name, n);
        r.start_ink - r.end_ink
    }
}

/// Runs `f` on a thread with a 256 MiB stack (nested frames recurse natively).
pub fn on_big_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("thread panicked")
}

/// keccak helper.
pub fn hash(data: &[u8]) -> B256 {
    keccak256(data)
}

/// Silence unused warnings of helper types.
pub fn _unused(_: ResultAndState) {}
