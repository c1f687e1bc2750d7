//! Ink and gas prices: the per-operator ink table (spec §4.1), hostio base inks and pricing
//! helpers (spec §3.1, §4.2) and the memory-page cost model (spec §2.6).

use crate::params::StylusParams;
use wasmparser::Operator;

/// Ink charged per basic block on top of its operators (spec §1.6.1).
pub const BLOCK_HEADER_INK: u64 = 2_450;
/// Ink per byte charged by the dynamic meter before `memory.fill` / `memory.copy` (spec §1.6.2).
pub const MEMORY_BULK_INK_PER_BYTE: u64 = 100;
/// Price of operators that can never execute (floats, SIMD, ...): the meter emits it as `-1`.
pub const UNPAYABLE_INK: u64 = u64::MAX;

/// Ink price of one operator under Stylus versions 1 and 2 (`pricing_v1`, spec §4.1).
///
/// `call_indirect_params` returns the number of parameters of a type index; it is only
/// consulted for `call_indirect`. Operators not in the table cost [`UNPAYABLE_INK`].
pub fn op_ink(op: &Operator<'_>, call_indirect_params: impl FnOnce(u32) -> u64) -> u64 {
    use Operator as O;
    match op {
        O::Unreachable
        | O::Return
        | O::Nop
        | O::I32Const { .. }
        | O::I64Const { .. }
        | O::Block { .. }
        | O::Loop { .. }
        | O::Else
        | O::End => 1,
        O::Drop => 9,
        O::Br { .. } | O::BrIf { .. } | O::If { .. } => 765,
        O::BrTable { targets } => 2_400 + 325 * u64::from(targets.len()),
        O::Select => 1_250,
        O::Call { .. } => 3_800,
        O::CallIndirect { type_index, .. } => {
            13_610u64.saturating_add(650u64.saturating_mul(call_indirect_params(*type_index)))
        }
        O::LocalGet { .. } | O::LocalTee { .. } => 75,
        O::LocalSet { .. } => 210,
        O::GlobalGet { .. } => 225,
        O::GlobalSet { .. } => 575,
        O::I32Load { .. }
        | O::I32Load8S { .. }
        | O::I32Load8U { .. }
        | O::I32Load16S { .. }
        | O::I32Load16U { .. } => 670,
        O::I64Load { .. }
        | O::I64Load8S { .. }
        | O::I64Load8U { .. }
        | O::I64Load16S { .. }
        | O::I64Load16U { .. }
        | O::I64Load32S { .. }
        | O::I64Load32U { .. } => 680,
        O::I32Store { .. } | O::I32Store8 { .. } | O::I32Store16 { .. } => 825,
        O::I64Store { .. } | O::I64Store8 { .. } | O::I64Store16 { .. } | O::I64Store32 { .. } => {
            950
        }
        O::MemorySize { .. } => 3_000,
        O::MemoryGrow { .. } => 8_050,
        O::MemoryCopy { .. } | O::MemoryFill { .. } => 950,
        O::I32Eqz
        | O::I32Eq
        | O::I32Ne
        | O::I32LtS
        | O::I32LtU
        | O::I32GtS
        | O::I32GtU
        | O::I32LeS
        | O::I32LeU
        | O::I32GeS
        | O::I32GeU => 170,
        O::I64Eqz
        | O::I64Eq
        | O::I64Ne
        | O::I64LtS
        | O::I64LtU
        | O::I64GtS
        | O::I64GtU
        | O::I64LeS
        | O::I64LeU
        | O::I64GeS
        | O::I64GeU => 225,
        O::I32Clz | O::I32Ctz | O::I64Clz | O::I64Ctz => 210,
        O::I32Add | O::I32Sub => 70,
        O::I32Mul | O::I64Mul => 160,
        O::I32DivS | O::I32DivU | O::I32RemS | O::I32RemU => 1_120,
        O::I32And
        | O::I32Or
        | O::I32Xor
        | O::I32Shl
        | O::I32ShrS
        | O::I32ShrU
        | O::I32Rotl
        | O::I32Rotr => 70,
        O::I64Add | O::I64Sub => 100,
        O::I64DivS | O::I64DivU | O::I64RemS | O::I64RemU => 1_270,
        O::I64And
        | O::I64Or
        | O::I64Xor
        | O::I64Shl
        | O::I64ShrS
        | O::I64ShrU
        | O::I64Rotl
        | O::I64Rotr => 100,
        O::I32Popcnt => 2_650,
        O::I64Popcnt => 6_000,
        O::I32WrapI64
        | O::I64ExtendI32S
        | O::I64ExtendI32U
        | O::I32Extend8S
        | O::I32Extend16S
        | O::I64Extend8S
        | O::I64Extend16S
        | O::I64Extend32S => 100,
        _ => UNPAYABLE_INK,
    }
}

/// Ink of a host call with no extra work (spec §3.1, `HOSTIO`).
pub const HOSTIO_INK: u64 = 8_400;
/// Extra ink per pointer argument of a hostio (`PTR`).
pub const PTR_INK: u64 = 5_040;
/// Extra ink per round trip to the EVM (`EVM_API`).
pub const EVM_API_INK: u64 = 59_673;
/// Surcharge of `math_div` / `math_mod`.
pub const DIV_INK: u64 = 20_000;
/// Surcharge of `math_add_mod`.
pub const ADD_MOD_INK: u64 = 21_000;
/// Surcharge of `math_mul_mod`.
pub const MUL_MOD_INK: u64 = 24_100;
/// Ink of the wasm `call` operator itself (charged by the meter, not the host).
pub const CALL_OP_INK: u64 = 3_800;

/// Base inks of the 42 `vm_hooks` imports (spec §3.1), charged first by each hostio.
pub mod base_ink {
    use super::{ADD_MOD_INK, DIV_INK, EVM_API_INK, HOSTIO_INK, MUL_MOD_INK, PTR_INK};
    /// `read_args`.
    pub const READ_ARGS: u64 = HOSTIO_INK;
    /// `write_result`.
    pub const WRITE_RESULT: u64 = HOSTIO_INK;
    /// `exit_early` (free).
    pub const EXIT_EARLY: u64 = 0;
    /// `storage_load_bytes32`.
    pub const STORAGE_LOAD_BYTES32: u64 = HOSTIO_INK + 2 * PTR_INK;
    /// `storage_cache_bytes32`.
    pub const STORAGE_CACHE_BYTES32: u64 = HOSTIO_INK + 2 * PTR_INK;
    /// `storage_flush_cache`.
    pub const STORAGE_FLUSH_CACHE: u64 = HOSTIO_INK + EVM_API_INK;
    /// `transient_load_bytes32`.
    pub const TRANSIENT_LOAD_BYTES32: u64 = HOSTIO_INK + 2 * PTR_INK + EVM_API_INK;
    /// `transient_store_bytes32`.
    pub const TRANSIENT_STORE_BYTES32: u64 = HOSTIO_INK + 2 * PTR_INK + EVM_API_INK;
    /// `call_contract`.
    pub const CALL_CONTRACT: u64 = HOSTIO_INK + 3 * PTR_INK + EVM_API_INK;
    /// `delegate_call_contract`.
    pub const DELEGATE_CALL_CONTRACT: u64 = HOSTIO_INK + 3 * PTR_INK + EVM_API_INK;
    /// `static_call_contract`.
    pub const STATIC_CALL_CONTRACT: u64 = HOSTIO_INK + 3 * PTR_INK + EVM_API_INK;
    /// `create1`.
    pub const CREATE1: u64 = HOSTIO_INK + 3 * PTR_INK + EVM_API_INK;
    /// `create2`.
    pub const CREATE2: u64 = HOSTIO_INK + 4 * PTR_INK + EVM_API_INK;
    /// `read_return_data`.
    pub const READ_RETURN_DATA: u64 = HOSTIO_INK + EVM_API_INK;
    /// `return_data_size`.
    pub const RETURN_DATA_SIZE: u64 = HOSTIO_INK;
    /// `emit_log`.
    pub const EMIT_LOG: u64 = HOSTIO_INK + EVM_API_INK;
    /// `account_balance`.
    pub const ACCOUNT_BALANCE: u64 = HOSTIO_INK + 2 * PTR_INK + EVM_API_INK;
    /// `account_code`.
    pub const ACCOUNT_CODE: u64 = HOSTIO_INK + EVM_API_INK;
    /// `account_code_size`.
    pub const ACCOUNT_CODE_SIZE: u64 = HOSTIO_INK + EVM_API_INK;
    /// `account_codehash`.
    pub const ACCOUNT_CODEHASH: u64 = HOSTIO_INK + 2 * PTR_INK + EVM_API_INK;
    /// `evm_gas_left`.
    pub const EVM_GAS_LEFT: u64 = HOSTIO_INK;
    /// `evm_ink_left`.
    pub const EVM_INK_LEFT: u64 = HOSTIO_INK;
    /// `block_basefee`.
    pub const BLOCK_BASEFEE: u64 = HOSTIO_INK + PTR_INK;
    /// `chainid`.
    pub const CHAINID: u64 = HOSTIO_INK;
    /// `block_coinbase`.
    pub const BLOCK_COINBASE: u64 = HOSTIO_INK + PTR_INK;
    /// `block_gas_limit`.
    pub const BLOCK_GAS_LIMIT: u64 = HOSTIO_INK;
    /// `block_number`.
    pub const BLOCK_NUMBER: u64 = HOSTIO_INK;
    /// `block_timestamp`.
    pub const BLOCK_TIMESTAMP: u64 = HOSTIO_INK;
    /// `contract_address`.
    pub const CONTRACT_ADDRESS: u64 = HOSTIO_INK + PTR_INK;
    /// `math_div`.
    pub const MATH_DIV: u64 = HOSTIO_INK + 3 * PTR_INK + DIV_INK;
    /// `math_mod`.
    pub const MATH_MOD: u64 = HOSTIO_INK + 3 * PTR_INK + DIV_INK;
    /// `math_pow` (plus [`super::pow_price`]).
    pub const MATH_POW: u64 = HOSTIO_INK + 3 * PTR_INK;
    /// `math_add_mod`.
    pub const MATH_ADD_MOD: u64 = HOSTIO_INK + 4 * PTR_INK + ADD_MOD_INK;
    /// `math_mul_mod`.
    pub const MATH_MUL_MOD: u64 = HOSTIO_INK + 4 * PTR_INK + MUL_MOD_INK;
    /// `msg_reentrant`.
    pub const MSG_REENTRANT: u64 = HOSTIO_INK;
    /// `msg_sender`.
    pub const MSG_SENDER: u64 = HOSTIO_INK + PTR_INK;
    /// `msg_value`.
    pub const MSG_VALUE: u64 = HOSTIO_INK + PTR_INK;
    /// `native_keccak256` (only [`super::keccak_price`] is charged).
    pub const NATIVE_KECCAK256: u64 = 0;
    /// `tx_gas_price`.
    pub const TX_GAS_PRICE: u64 = HOSTIO_INK + PTR_INK;
    /// `tx_ink_price`.
    pub const TX_INK_PRICE: u64 = HOSTIO_INK;
    /// `tx_origin`.
    pub const TX_ORIGIN: u64 = HOSTIO_INK + PTR_INK;
    /// `pay_for_memory_grow` — charged only when called with 0 pages.
    pub const PAY_FOR_MEMORY_GROW: u64 = HOSTIO_INK;
}

/// Ink for the host reading `n` bytes of guest memory: `16 381 + 55·max(n−32, 0)`.
pub fn read_price(n: u64) -> u64 {
    16_381u64.saturating_add(55u64.saturating_mul(n.saturating_sub(32)))
}

/// Ink for the host writing `n` bytes of guest memory: `5 040 + 30·max(n−32, 0)`.
pub fn write_price(n: u64) -> u64 {
    5_040u64.saturating_add(30u64.saturating_mul(n.saturating_sub(32)))
}

/// Ink of `native_keccak256` over `n` bytes: `121 800 + 21 000·max(ceil(n/32)−2, 0)`.
pub fn keccak_price(n: u64) -> u64 {
    let words = n.div_ceil(32);
    121_800u64.saturating_add(21_000u64.saturating_mul(words.saturating_sub(2)))
}

/// Ink surcharge of `math_pow` for a 32-byte big-endian exponent:
/// `3 000 + 17 500·(33 − leading zero bytes)` (20 500 for a zero exponent).
pub fn pow_price(exponent: &[u8; 32]) -> u64 {
    let leading_zeros = exponent.iter().take_while(|b| **b == 0).count() as u64;
    3_000 + 17_500 * (33 - leading_zeros)
}

/// Gas of `emit_log` (charged with `buy_gas`): `375·(1+topics) + 8·data_len`, where `data_len`
/// excludes the topic bytes.
pub fn log_gas(topics: u64, data_len: u64) -> u64 {
    375u64
        .saturating_mul(topics.saturating_add(1))
        .saturating_add(8u64.saturating_mul(data_len))
}

/// The exponential memory term `exp(pages)` for 0..=128 pages (spec §2.6).
pub const MEMORY_EXPONENTS: [u64; 129] = [
    1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 5, 6, 7, 8, 9, 11, 12, 14, 17, 19, 22, 25, 29, 33, 38,
    43, 50, 57, 65, 75, 85, 98, 112, 128, 147, 168, 193, 221, 253, 289, 331, 379, 434, 497, 569,
    651, 745, 853, 976, 1117, 1279, 1463, 1675, 1917, 2194, 2511, 2874, 3290, 3765, 4309, 4932,
    5645, 6461, 7395, 8464, 9687, 11087, 12689, 14523, 16621, 19024, 21773, 24919, 28521, 32642,
    37359, 42758, 48938, 56010, 64104, 73368, 83971, 96106, 109994, 125890, 144082, 164904, 188735,
    216010, 247226, 282953, 323844, 370643, 424206, 485509, 555672, 635973, 727880, 833067, 953456,
    1091243, 1248941, 1429429, 1636000, 1872423, 2143012, 2452704, 2807151, 3212820, 3677113,
    4208502, 4816684, 5512756, 6309419, 7221210, 8264766, 9459129, 10826093, 12390601, 14181199,
    16230562, 18576084, 21260563, 24332984, 27849408, 31873999,
];

/// `exp(pages)`: the table value for `pages ≤ 128`, `u64::MAX` above (unpayable).
pub fn memory_exponential(pages: u16) -> u64 {
    MEMORY_EXPONENTS
        .get(usize::from(pages))
        .copied()
        .unwrap_or(u64::MAX)
}

/// Gas for opening `new` pages when `open` pages are open and at most `ever` were open in this
/// transaction (`memoryCost`, spec §2.6). Wrapping subtraction reproduces Nitro's
/// "ever stays raised" quirk (`u64::MAX − u64::MAX = 0`).
pub fn memory_cost(new: u16, open: u16, ever: u16, params: &StylusParams) -> u64 {
    let new_open = open.saturating_add(new);
    let new_ever = ever.max(new_open);
    if new_ever <= params.free_pages {
        return 0;
    }
    let free = params.free_pages;
    let linear_pages = new_open
        .saturating_sub(free)
        .saturating_sub(open.saturating_sub(free));
    let linear = u64::from(params.page_gas).saturating_mul(u64::from(linear_pages));
    let expand = memory_exponential(new_ever).wrapping_sub(memory_exponential(ever));
    linear.saturating_add(expand)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_inks_match_spec_table() {
        assert_eq!(base_ink::STORAGE_LOAD_BYTES32, 18_480);
        assert_eq!(base_ink::STORAGE_FLUSH_CACHE, 68_073);
        assert_eq!(base_ink::TRANSIENT_LOAD_BYTES32, 78_153);
        assert_eq!(base_ink::CALL_CONTRACT, 83_193);
        assert_eq!(base_ink::CREATE2, 88_233);
        assert_eq!(base_ink::BLOCK_BASEFEE, 13_440);
        assert_eq!(base_ink::MATH_DIV, 43_520);
        assert_eq!(base_ink::MATH_POW, 23_520);
        assert_eq!(base_ink::MATH_ADD_MOD, 49_560);
        assert_eq!(base_ink::MATH_MUL_MOD, 52_660);
    }

    #[test]
    fn helper_prices() {
        assert_eq!(read_price(0), 16_381);
        assert_eq!(read_price(64), 16_381 + 55 * 32);
        assert_eq!(write_price(32), 5_040);
        assert_eq!(write_price(33), 5_070);
        assert_eq!(keccak_price(64), 121_800);
        assert_eq!(keccak_price(65), 142_800);
        assert_eq!(pow_price(&[0; 32]), 20_500);
        let mut e = [0u8; 32];
        e[31] = 2;
        assert_eq!(pow_price(&e), 3_000 + 17_500 * 2);
        assert_eq!(log_gas(2, 10), 375 * 3 + 80);
    }
}
