//! The host imports a Stylus program may declare: the 42 `vm_hooks` functions (spec §3.1) and
//! the debug-only `console` functions (spec §3.7).

use crate::pricing::base_ink;

/// A wasm value type in a hostio signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValKind {
    /// `i32`
    I32,
    /// `i64`
    I64,
    /// `f32`
    F32,
    /// `f64`
    F64,
}

/// One importable host function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hostio {
    /// Import module (`vm_hooks` or `console`).
    pub module: &'static str,
    /// Import field name.
    pub name: &'static str,
    /// Parameter types.
    pub params: &'static [ValKind],
    /// Result types.
    pub results: &'static [ValKind],
    /// Base ink charged first by the host (0 for `console`).
    pub base_ink: u64,
}

/// Module name of the production host imports.
pub const VM_HOOKS: &str = "vm_hooks";
/// Module name of the debug-only console imports.
pub const CONSOLE: &str = "console";

use ValKind::{F32, F64, I32, I64};

const fn hook(
    name: &'static str,
    params: &'static [ValKind],
    results: &'static [ValKind],
    base_ink: u64,
) -> Hostio {
    Hostio {
        module: VM_HOOKS,
        name,
        params,
        results,
        base_ink,
    }
}

const fn console(
    name: &'static str,
    params: &'static [ValKind],
    results: &'static [ValKind],
) -> Hostio {
    Hostio {
        module: CONSOLE,
        name,
        params,
        results,
        base_ink: 0,
    }
}

/// The 42 `vm_hooks` imports with their exact signatures and base inks, in spec order.
pub const VM_HOOKS_TABLE: [Hostio; 42] = [
    hook("read_args", &[I32], &[], base_ink::READ_ARGS),
    hook("write_result", &[I32, I32], &[], base_ink::WRITE_RESULT),
    hook("exit_early", &[I32], &[], base_ink::EXIT_EARLY),
    hook(
        "storage_load_bytes32",
        &[I32, I32],
        &[],
        base_ink::STORAGE_LOAD_BYTES32,
    ),
    hook(
        "storage_cache_bytes32",
        &[I32, I32],
        &[],
        base_ink::STORAGE_CACHE_BYTES32,
    ),
    hook(
        "storage_flush_cache",
        &[I32],
        &[],
        base_ink::STORAGE_FLUSH_CACHE,
    ),
    hook(
        "transient_load_bytes32",
        &[I32, I32],
        &[],
        base_ink::TRANSIENT_LOAD_BYTES32,
    ),
    hook(
        "transient_store_bytes32",
        &[I32, I32],
        &[],
        base_ink::TRANSIENT_STORE_BYTES32,
    ),
    hook(
        "call_contract",
        &[I32, I32, I32, I32, I64, I32],
        &[I32],
        base_ink::CALL_CONTRACT,
    ),
    hook(
        "delegate_call_contract",
        &[I32, I32, I32, I64, I32],
        &[I32],
        base_ink::DELEGATE_CALL_CONTRACT,
    ),
    hook(
        "static_call_contract",
        &[I32, I32, I32, I64, I32],
        &[I32],
        base_ink::STATIC_CALL_CONTRACT,
    ),
    hook(
        "create1",
        &[I32, I32, I32, I32, I32],
        &[],
        base_ink::CREATE1,
    ),
    hook(
        "create2",
        &[I32, I32, I32, I32, I32, I32],
        &[],
        base_ink::CREATE2,
    ),
    hook(
        "read_return_data",
        &[I32, I32, I32],
        &[I32],
        base_ink::READ_RETURN_DATA,
    ),
    hook("return_data_size", &[], &[I32], base_ink::RETURN_DATA_SIZE),
    hook("emit_log", &[I32, I32, I32], &[], base_ink::EMIT_LOG),
    hook(
        "account_balance",
        &[I32, I32],
        &[],
        base_ink::ACCOUNT_BALANCE,
    ),
    hook(
        "account_code",
        &[I32, I32, I32, I32],
        &[I32],
        base_ink::ACCOUNT_CODE,
    ),
    hook(
        "account_code_size",
        &[I32],
        &[I32],
        base_ink::ACCOUNT_CODE_SIZE,
    ),
    hook(
        "account_codehash",
        &[I32, I32],
        &[],
        base_ink::ACCOUNT_CODEHASH,
    ),
    hook("evm_gas_left", &[], &[I64], base_ink::EVM_GAS_LEFT),
    hook("evm_ink_left", &[], &[I64], base_ink::EVM_INK_LEFT),
    hook("block_basefee", &[I32], &[], base_ink::BLOCK_BASEFEE),
    hook("chainid", &[], &[I64], base_ink::CHAINID),
    hook("block_coinbase", &[I32], &[], base_ink::BLOCK_COINBASE),
    hook("block_gas_limit", &[], &[I64], base_ink::BLOCK_GAS_LIMIT),
    hook("block_number", &[], &[I64], base_ink::BLOCK_NUMBER),
    hook("block_timestamp", &[], &[I64], base_ink::BLOCK_TIMESTAMP),
    hook("contract_address", &[I32], &[], base_ink::CONTRACT_ADDRESS),
    hook("math_div", &[I32, I32], &[], base_ink::MATH_DIV),
    hook("math_mod", &[I32, I32], &[], base_ink::MATH_MOD),
    hook("math_pow", &[I32, I32], &[], base_ink::MATH_POW),
    hook(
        "math_add_mod",
        &[I32, I32, I32],
        &[],
        base_ink::MATH_ADD_MOD,
    ),
    hook(
        "math_mul_mod",
        &[I32, I32, I32],
        &[],
        base_ink::MATH_MUL_MOD,
    ),
    hook("msg_reentrant", &[], &[I32], base_ink::MSG_REENTRANT),
    hook("msg_sender", &[I32], &[], base_ink::MSG_SENDER),
    hook("msg_value", &[I32], &[], base_ink::MSG_VALUE),
    hook(
        "native_keccak256",
        &[I32, I32, I32],
        &[],
        base_ink::NATIVE_KECCAK256,
    ),
    hook("tx_gas_price", &[I32], &[], base_ink::TX_GAS_PRICE),
    hook("tx_ink_price", &[], &[I32], base_ink::TX_INK_PRICE),
    hook("tx_origin", &[I32], &[], base_ink::TX_ORIGIN),
    hook(
        "pay_for_memory_grow",
        &[I32],
        &[],
        base_ink::PAY_FOR_MEMORY_GROW,
    ),
];

/// The `console` imports accepted on debug chains only (spec §3.7).
pub const CONSOLE_TABLE: [Hostio; 9] = [
    console("log_txt", &[I32, I32], &[]),
    console("log_i32", &[I32], &[]),
    console("log_i64", &[I64], &[]),
    console("log_f32", &[F32], &[]),
    console("log_f64", &[F64], &[]),
    console("tee_i32", &[I32], &[I32]),
    console("tee_i64", &[I64], &[I64]),
    console("tee_f32", &[F32], &[F32]),
    console("tee_f64", &[F64], &[F64]),
];

/// Name of the hostio the heap bound calls before `memory.grow`.
pub const PAY_FOR_MEMORY_GROW: &str = "pay_for_memory_grow";

/// Looks up an importable host function; `console` imports only when `debug` is set.
pub fn find_hostio(module: &str, name: &str, debug: bool) -> Option<&'static Hostio> {
    match module {
        VM_HOOKS => VM_HOOKS_TABLE.iter().find(|h| h.name == name),
        CONSOLE if debug => CONSOLE_TABLE.iter().find(|h| h.name == name),
        _ => None,
    }
}
