//! CacheManager system contract: a native implementation (own code) of the ABI and bidding
//! rules of nitro-contracts' `CacheManager` (`src/chain/CacheManager.sol`), registered with
//! `ArbOwner.addWasmCacheManager` at genesis so `cargo stylus cache bid/status/suggest-bid`
//! work against the devnode.
//!
//! Rules (as the Solidity contract): a bid of `msg.value` for `placeBid(program)` becomes
//! `value + block.timestamp × decay`; the program's size is `ArbWasm.codehashAsmSize` (at least
//! 4 096 bytes; lifecycle errors such as `ProgramNotActivated()` bubble up); while the queue plus
//! the new size exceeds `cacheSize` the smallest bid (ties: the lowest entry index) is evicted
//! (`ArbWasmCache.evictCodehash`, `DeleteBid`) and its slot reused; the new bid must be at least
//! the last evicted bid (`BidTooSmall`); then `ArbWasmCache.cacheProgram(program)` is called and
//! `InsertBid` emitted. `getMinBid` quotes that minimum minus the current decay term. Owner
//! methods (`setCacheSize`, `setDecayRate`, `paused`, `unpause`, `evictAll`, `evictPrograms`)
//! check `ArbOwnerPublic.isChainOwner` (`NotChainOwner`). Bids stay in the contract's balance
//! until `sweepFunds` sends them to the network fee account.
//!
//! State lives in the contract's own storage (journaled like any contract's): slot 0 cacheSize,
//! 1 queueSize, 2 decay, 3 isPaused, 4 the entry count, entry `i` at `keccak256(4) + 2i` (code)
//! and `+ 2i + 1` (`size | bid << 64`), which is how Solidity lays out the `entries` array. The
//! bid heap is not stored: the live entries (non-zero code) sorted by `(bid, index)` give the
//! same order as the Solidity min-heap of packed `bid << 64 | index` values.
//!
//! Gas: storage reads and writes are charged with the EVM's EIP-2929/2200 costs, nested
//! precompile calls as revm runs them, events as LOG; the contract's own EVM overhead is
//! approximated by [`METHOD_OVERHEAD_GAS`] per call (so estimates are close to, not equal to,
//! the Solidity contract's).

use alloy::primitives::{address, keccak256, Address, Bytes, B256, U256};
use alloy::sol_types::{SolCall, SolEvent};
use revm::context::JournalTr;

use super::abi::ArbWasmCache as C;
use super::abi::CacheManager::{self as M};
use super::arbwasm::status_error;
use super::deployer::call_from_deployer;
use super::{args, ret, Failure, Frame, PResult, Purity, ARB_WASM_CACHE};
use crate::context::ArbConfig;
use crate::programs::{self, ProgramStatus, CHAIN_OWNERS};

/// Solidity's `uint192` (bids).
type U192 = alloy::primitives::Uint<192, 3>;

/// Address of the devnode's CacheManager: nitro-devnode's, where its start-up script deploys
/// the CacheManager placeholder (the dev account's CREATE at nonce 3, after `becomeChainOwner`,
/// `setL1PricePerUnit` and funding the CREATE2 factory's deployer; see
/// [`crate::context::DEV_ACCOUNT_GENESIS_NONCE`]).
pub const CACHE_MANAGER: Address = address!("a6e41ffd769491a42a6e5ce453259b93983a22ef");

/// Initial `cacheSize` in bytes (the cache holds about 4 000 programs of ~1 MiB of asm).
pub const DEFAULT_CACHE_SIZE: u64 = 4 << 30;
/// Initial `decay` (wei per second added to new bids; 0 = bids never age).
pub const DEFAULT_DECAY: u64 = 0;
/// Smallest size a program is counted with (`MIN_CODESIZE`).
pub const MIN_CODESIZE: u64 = 4_096;
/// Largest `makeSpace` request (`MAX_MAKE_SPACE`, 5 MiB).
pub const MAX_MAKE_SPACE: u64 = 5 * 1024 * 1024;
/// Approximate EVM overhead of one call (dispatch, ABI decoding, memory).
pub const METHOD_OVERHEAD_GAS: u64 = 1_000;

const SLOT_CACHE_SIZE: u64 = 0;
const SLOT_QUEUE_SIZE: u64 = 1;
const SLOT_DECAY: u64 = 2;
const SLOT_PAUSED: u64 = 3;
const SLOT_ENTRIES: u64 = 4;

/// Genesis storage of the CacheManager (slot → value).
pub fn genesis_storage() -> Vec<(U256, U256)> {
    vec![
        (U256::from(SLOT_CACHE_SIZE), U256::from(DEFAULT_CACHE_SIZE)),
        (U256::from(SLOT_DECAY), U256::from(DEFAULT_DECAY)),
    ]
}

pub(super) fn purity(_cfg: &ArbConfig, sel: [u8; 4]) -> Option<Purity> {
    Some(match sel {
        M::cacheSizeCall::SELECTOR
        | M::queueSizeCall::SELECTOR
        | M::decayCall::SELECTOR
        | M::isPausedCall::SELECTOR
        | M::entriesCall::SELECTOR
        | M::getEntriesCall::SELECTOR
        | M::getSmallestEntriesCall::SELECTOR
        | M::getMinBid_0Call::SELECTOR
        | M::getMinBid_1Call::SELECTOR
        | M::getMinBid_2Call::SELECTOR => Purity::View,
        M::placeBidCall::SELECTOR | M::makeSpaceCall::SELECTOR => Purity::Payable,
        M::setCacheSizeCall::SELECTOR
        | M::setDecayRateCall::SELECTOR
        | M::pausedCall::SELECTOR
        | M::unpauseCall::SELECTOR
        | M::evictAllCall::SELECTOR
        | M::evictProgramsCall::SELECTOR
        | M::sweepFundsCall::SELECTOR => Purity::Write,
        _ => return None,
    })
}

pub(super) fn call(f: &mut Frame<'_>, sel: [u8; 4], input: &[u8]) -> PResult {
    if f.acting != f.address {
        return Err(Failure::PlainRevert);
    }
    f.burn(METHOD_OVERHEAD_GAS)?;
    match sel {
        M::cacheSizeCall::SELECTOR => ret::<M::cacheSizeCall>(load_u64(f, SLOT_CACHE_SIZE)?),
        M::queueSizeCall::SELECTOR => ret::<M::queueSizeCall>(load_u64(f, SLOT_QUEUE_SIZE)?),
        M::decayCall::SELECTOR => ret::<M::decayCall>(load_u64(f, SLOT_DECAY)?),
        M::isPausedCall::SELECTOR => ret::<M::isPausedCall>(load_u64(f, SLOT_PAUSED)? != 0),
        M::entriesCall::SELECTOR => {
            let a = args::<M::entriesCall>(input)?;
            let len = load_u64(f, SLOT_ENTRIES)?;
            if a.index >= U256::from(len) {
                return Err(Failure::error(super::abi::Panic {
                    code: U256::from(0x32),
                }));
            }
            let e = load_entry(f, a.index.to::<u64>())?;
            ret::<M::entriesCall>(M::entriesReturn {
                code: e.code,
                size: e.size,
                bid: e.bid,
            })
        }
        M::getEntriesCall::SELECTOR => {
            let len = load_u64(f, SLOT_ENTRIES)?;
            let mut out = Vec::with_capacity(len as usize);
            for i in 0..len {
                out.push(load_entry(f, i)?);
            }
            ret::<M::getEntriesCall>(out)
        }
        M::getSmallestEntriesCall::SELECTOR => {
            let a = args::<M::getSmallestEntriesCall>(input)?;
            let k = usize::try_from(a.k).unwrap_or(usize::MAX);
            let live = live_by_bid(f)?;
            let out = live.into_iter().take(k).map(|(_, e)| e).collect();
            ret::<M::getSmallestEntriesCall>(out)
        }
        M::getMinBid_0Call::SELECTOR => {
            let a = args::<M::getMinBid_0Call>(input)?;
            ret::<M::getMinBid_0Call>(min_bid(f, a.size)?)
        }
        M::getMinBid_1Call::SELECTOR => {
            let a = args::<M::getMinBid_1Call>(input)?;
            let size = asm_size(f, a.codehash)?;
            ret::<M::getMinBid_1Call>(min_bid(f, size)?)
        }
        M::getMinBid_2Call::SELECTOR => {
            let a = args::<M::getMinBid_2Call>(input)?;
            let codehash = f.codehash(a.program)?;
            let size = asm_size(f, codehash)?;
            ret::<M::getMinBid_2Call>(min_bid(f, size)?)
        }
        M::placeBidCall::SELECTOR => {
            let a = args::<M::placeBidCall>(input)?;
            place_bid(f, a.program)?;
            Ok(Bytes::new())
        }
        M::makeSpaceCall::SELECTOR => {
            let a = args::<M::makeSpaceCall>(input)?;
            not_paused(f)?;
            if a.size > MAX_MAKE_SPACE {
                return Err(Failure::error(M::MakeSpaceTooLarge {
                    size: a.size,
                    limit: MAX_MAKE_SPACE,
                }));
            }
            make_space(f, a.size)?;
            let space = load_u64(f, SLOT_CACHE_SIZE)?.saturating_sub(load_u64(f, SLOT_QUEUE_SIZE)?);
            ret::<M::makeSpaceCall>(space)
        }
        M::setCacheSizeCall::SELECTOR => {
            let a = args::<M::setCacheSizeCall>(input)?;
            only_owner(f)?;
            store(f, SLOT_CACHE_SIZE, U256::from(a.newSize))?;
            f.emit(M::SetCacheSize { size: a.newSize }.encode_log_data())?;
            Ok(Bytes::new())
        }
        M::setDecayRateCall::SELECTOR => {
            let a = args::<M::setDecayRateCall>(input)?;
            only_owner(f)?;
            store(f, SLOT_DECAY, U256::from(a.newDecay))?;
            f.emit(M::SetDecayRate { decay: a.newDecay }.encode_log_data())?;
            Ok(Bytes::new())
        }
        M::pausedCall::SELECTOR => {
            only_owner(f)?;
            store(f, SLOT_PAUSED, U256::from(1))?;
            f.emit(M::Pause {}.encode_log_data())?;
            Ok(Bytes::new())
        }
        M::unpauseCall::SELECTOR => {
            only_owner(f)?;
            store(f, SLOT_PAUSED, U256::ZERO)?;
            f.emit(M::Unpause {}.encode_log_data())?;
            Ok(Bytes::new())
        }
        M::evictAllCall::SELECTOR => {
            only_owner(f)?;
            evict(f, usize::MAX)?;
            let len = load_u64(f, SLOT_ENTRIES)?;
            for i in 0..len {
                clear_entry(f, i)?;
            }
            store(f, SLOT_ENTRIES, U256::ZERO)?;
            Ok(Bytes::new())
        }
        M::evictProgramsCall::SELECTOR => {
            let a = args::<M::evictProgramsCall>(input)?;
            only_owner(f)?;
            evict(f, usize::try_from(a.count).unwrap_or(usize::MAX))?;
            Ok(Bytes::new())
        }
        M::sweepFundsCall::SELECTOR => {
            let network = {
                let (j, m) = f.state();
                programs::load_network_fee_account(j, m)?
            };
            let me = f.address;
            let balance = f
                .journal()
                .load_account(me)
                .map_err(|e| Failure::Fatal(e.to_string()))?
                .data
                .info
                .balance;
            let (ok, out) = call_from_deployer(f, network, balance, Bytes::new())?;
            if !ok {
                return Err(Failure::Revert(out));
            }
            Ok(Bytes::new())
        }
        _ => Err(Failure::RevertAllGas),
    }
}

// ------------------------------------------------------------------------------------------
// Storage (the contract's own, EVM-priced)
// ------------------------------------------------------------------------------------------

const COLD_SLOAD_GAS: u64 = 2_100;
const WARM_SLOAD_GAS: u64 = 100;
const SSTORE_SET_GAS: u64 = 20_000;
const SSTORE_RESET_GAS: u64 = 2_900;

fn load(f: &mut Frame<'_>, slot: U256) -> Result<U256, Failure> {
    let me = f.address;
    let j = f.journal();
    j.load_account(me)
        .map_err(|e| Failure::Fatal(e.to_string()))?;
    let v = j
        .sload(me, slot)
        .map_err(|e| Failure::Fatal(e.to_string()))?;
    let cost = if v.is_cold {
        COLD_SLOAD_GAS
    } else {
        WARM_SLOAD_GAS
    };
    f.burn(cost)?;
    Ok(v.data)
}

fn load_u64(f: &mut Frame<'_>, slot: u64) -> Result<u64, Failure> {
    Ok(load(f, U256::from(slot))?.saturating_to())
}

fn store(f: &mut Frame<'_>, slot: u64, value: U256) -> Result<(), Failure> {
    store_at(f, U256::from(slot), value)
}

fn store_at(f: &mut Frame<'_>, slot: U256, value: U256) -> Result<(), Failure> {
    let me = f.address;
    let j = f.journal();
    j.load_account(me)
        .map_err(|e| Failure::Fatal(e.to_string()))?;
    let r = j
        .sstore(me, slot, value)
        .map_err(|e| Failure::Fatal(e.to_string()))?;
    let s = &r.data;
    let mut cost = if s.new_value == s.present_value || s.original_value != s.present_value {
        WARM_SLOAD_GAS
    } else if s.original_value.is_zero() {
        SSTORE_SET_GAS
    } else {
        SSTORE_RESET_GAS
    };
    if r.is_cold {
        cost += COLD_SLOAD_GAS;
    }
    f.burn(cost)
}

fn entry_slot(index: u64) -> U256 {
    let base = U256::from_be_bytes(keccak256(U256::from(SLOT_ENTRIES).to_be_bytes::<32>()).0);
    base.wrapping_add(U256::from(index).wrapping_mul(U256::from(2)))
}

fn load_entry(f: &mut Frame<'_>, index: u64) -> Result<M::Entry, Failure> {
    let slot = entry_slot(index);
    let code = B256::from(load(f, slot)?);
    let packed = load(f, slot + U256::from(1))?;
    Ok(M::Entry {
        code,
        size: (packed & U256::from(u64::MAX)).to::<u64>(),
        bid: U192::from(packed >> 64),
    })
}

fn store_entry(f: &mut Frame<'_>, index: u64, e: &M::Entry) -> Result<(), Failure> {
    let slot = entry_slot(index);
    store_at(f, slot, U256::from_be_bytes(e.code.0))?;
    let packed = (U256::from(e.bid) << 64) | U256::from(e.size);
    store_at(f, slot + U256::from(1), packed)
}

fn clear_entry(f: &mut Frame<'_>, index: u64) -> Result<(), Failure> {
    let slot = entry_slot(index);
    store_at(f, slot, U256::ZERO)?;
    store_at(f, slot + U256::from(1), U256::ZERO)
}

/// Live entries (non-zero code) ordered as the Solidity bid heap: by bid, then by index.
fn live_by_bid(f: &mut Frame<'_>) -> Result<Vec<(u64, M::Entry)>, Failure> {
    let len = load_u64(f, SLOT_ENTRIES)?;
    let mut live = Vec::new();
    for i in 0..len {
        let e = load_entry(f, i)?;
        if !e.code.is_zero() {
            live.push((i, e));
        }
    }
    live.sort_by_key(|(i, e)| (e.bid, *i));
    Ok(live)
}

// ------------------------------------------------------------------------------------------
// Bidding
// ------------------------------------------------------------------------------------------

fn not_paused(f: &mut Frame<'_>) -> Result<(), Failure> {
    if load_u64(f, SLOT_PAUSED)? != 0 {
        return Err(Failure::error(M::BidsArePaused {}));
    }
    Ok(())
}

fn only_owner(f: &mut Frame<'_>) -> Result<(), Failure> {
    let caller = f.caller;
    let (j, m) = f.state();
    if !CHAIN_OWNERS.contains(j, m, caller)? {
        return Err(Failure::error(M::NotChainOwner { sender: caller }));
    }
    Ok(())
}

/// `block.timestamp × decay`.
fn current_decay(f: &mut Frame<'_>) -> Result<U256, Failure> {
    let decay = load_u64(f, SLOT_DECAY)?;
    Ok(U256::from(f.now()) * U256::from(decay))
}

/// `ArbWasm.codehashAsmSize(codehash)`, at least [`MIN_CODESIZE`]; lifecycle errors bubble up
/// as ArbWasm's custom errors.
fn asm_size(f: &mut Frame<'_>, codehash: B256) -> Result<u64, Failure> {
    let params = f.params()?;
    let now = f.now();
    let rec = {
        let (j, m) = f.state();
        programs::load_record(j, m, codehash)?
    };
    match programs::program_status(&rec, now, &params) {
        ProgramStatus::Active => Ok(u64::from(rec.asm_size()).max(MIN_CODESIZE)),
        s => Err(status_error(s, &params)),
    }
}

/// The smallest bid (`msg.value`) that caches a program of `size` bytes now.
fn min_bid(f: &mut Frame<'_>, size: u64) -> Result<U192, Failure> {
    let cache_size = load_u64(f, SLOT_CACHE_SIZE)?;
    if size > cache_size {
        return Err(Failure::error(M::AsmTooLarge {
            asm: U256::from(size),
            queueSize: U256::ZERO,
            cacheSize: U256::from(cache_size),
        }));
    }
    let size = size.max(MIN_CODESIZE);
    let queue = load_u64(f, SLOT_QUEUE_SIZE)?;
    let total = u128::from(queue) + u128::from(size);
    if total <= u128::from(cache_size) {
        return Ok(U192::ZERO);
    }
    let mut need = total - u128::from(cache_size);
    let mut min = U256::ZERO;
    for (_, e) in live_by_bid(f)? {
        if need <= u128::from(e.size) {
            min = U256::from(e.bid);
            break;
        }
        need -= u128::from(e.size);
    }
    let decay = current_decay(f)?;
    Ok(U192::from(min.saturating_sub(decay)))
}

/// Evicts the smallest bids until `size` more bytes fit; returns the new bid (`msg.value` +
/// decay) and the entry index to insert at. Fails with `BidTooSmall` when the bid is below the
/// last evicted one.
fn make_space(f: &mut Frame<'_>, size: u64) -> Result<(U192, u64), Failure> {
    let raw = f.value.saturating_add(current_decay(f)?);
    if raw > U256::from(U192::MAX) {
        return Err(Failure::error(M::BidTooLarge { bid: raw }));
    }
    let bid = U192::from(raw);
    let mut index = load_u64(f, SLOT_ENTRIES)?;
    let mut min = U192::ZERO;
    let cache_size = load_u64(f, SLOT_CACHE_SIZE)?;
    loop {
        let queue = load_u64(f, SLOT_QUEUE_SIZE)?;
        if u128::from(queue) + u128::from(size) <= u128::from(cache_size) {
            break;
        }
        let Some((i, e)) = live_by_bid(f)?.into_iter().next() else {
            return Err(Failure::error(M::AsmTooLarge {
                asm: U256::from(size),
                queueSize: U256::from(queue),
                cacheSize: U256::from(cache_size),
            }));
        };
        delete_entry(f, i, &e)?;
        min = e.bid;
        index = i;
    }
    if bid < min {
        return Err(Failure::error(M::BidTooSmall { bid, min }));
    }
    Ok((bid, index))
}

/// Evicts the entry at `index`: `ArbWasmCache.evictCodehash`, queue shrinks, `DeleteBid`.
fn delete_entry(f: &mut Frame<'_>, index: u64, e: &M::Entry) -> Result<(), Failure> {
    let data = C::evictCodehashCall { codehash: e.code }.abi_encode();
    let (ok, out) = call_from_deployer(f, ARB_WASM_CACHE, U256::ZERO, data.into())?;
    if !ok {
        return Err(Failure::Revert(out));
    }
    let queue = load_u64(f, SLOT_QUEUE_SIZE)?;
    store(f, SLOT_QUEUE_SIZE, U256::from(queue.saturating_sub(e.size)))?;
    f.emit(
        M::DeleteBid {
            codehash: e.code,
            bid: e.bid,
            size: e.size,
        }
        .encode_log_data(),
    )?;
    clear_entry(f, index)
}

/// Evicts up to `count` entries, smallest bids first.
fn evict(f: &mut Frame<'_>, count: usize) -> Result<(), Failure> {
    for (i, e) in live_by_bid(f)?.into_iter().take(count) {
        delete_entry(f, i, &e)?;
    }
    Ok(())
}

fn place_bid(f: &mut Frame<'_>, program: Address) -> Result<(), Failure> {
    not_paused(f)?;
    let codehash = f.codehash(program)?;
    let cached = {
        let (j, m) = f.state();
        programs::load_record(j, m, codehash)?.cached
    };
    if cached {
        return Err(Failure::error(M::AlreadyCached { codehash }));
    }
    let size = asm_size(f, codehash)?;
    let (bid, index) = make_space(f, size)?;
    let queue = load_u64(f, SLOT_QUEUE_SIZE)?;
    let cache_size = load_u64(f, SLOT_CACHE_SIZE)?;
    if u128::from(queue) + u128::from(size) > u128::from(cache_size) {
        return Err(Failure::error(M::AsmTooLarge {
            asm: U256::from(size),
            queueSize: U256::from(queue),
            cacheSize: U256::from(cache_size),
        }));
    }
    let data = C::cacheProgramCall { addr: program }.abi_encode();
    let (ok, out) = call_from_deployer(f, ARB_WASM_CACHE, U256::ZERO, data.into())?;
    if !ok {
        return Err(Failure::Revert(out));
    }
    store(f, SLOT_QUEUE_SIZE, U256::from(queue + size))?;
    let entry = M::Entry {
        code: codehash,
        size,
        bid,
    };
    store_entry(f, index, &entry)?;
    let len = load_u64(f, SLOT_ENTRIES)?;
    if index == len {
        store(f, SLOT_ENTRIES, U256::from(len + 1))?;
    }
    f.emit(
        M::InsertBid {
            codehash,
            program,
            bid,
            size,
        }
        .encode_log_data(),
    )
}

#[cfg(test)]
mod address_tests {
    use super::*;
    use crate::context::DEV_ACCOUNT;

    #[test]
    fn cache_manager_sits_where_nitro_devnode_deploys_it() {
        assert_eq!(CACHE_MANAGER, DEV_ACCOUNT.create(3));
    }
}
