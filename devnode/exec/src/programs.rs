//! Stylus state kept in EVM storage of the ArbOS state account.
//!
//! Hook for the runtime: [`load_record`] + [`program_status`] + [`load_params`] (with
//! [`Meter::free`]) give everything `Programs.CallProgram` needs; [`install_genesis_state`] writes
//! this module's part of genesis.
//!
//! Like Nitro's ArbOS storage, everything here lives in the storage of
//! [`ARBOS_STATE_ADDRESS`] and is read and written **through the revm journal**, so it is journaled
//! (an activation inside a reverted frame rolls back), persisted with the world state, and covered
//! by snapshots for free. The slot layout is the devnode's own (Nitro's nested keccak subspaces are
//! not mirrored; nothing outside the node can observe slots of this account except
//! `eth_getStorageAt`), but each logical item occupies its own slot so the *gas* of every access
//! can be charged as Nitro does: [`gas::STORAGE_READ`] per read, [`gas::STORAGE_WRITE`] /
//! [`gas::STORAGE_WRITE_ZERO`] per write (a [`Meter`] does the accounting; [`Meter::free`] is for
//! callers that need none, such as the runtime's program lookup or the RPC layer).
//!
//! Items: program records per codehash (packed word of §1.10), module hashes per codehash, the
//! Stylus params word (§1.11), the data-pricer state (§1.9), the chain-owner and cache-manager
//! sets, the L1 price per unit and the network fee account.

use alloy::primitives::{address, keccak256, Address, B256, U256};
use devnode_wasm::StylusParams;
use revm::context::JournalTr;
use revm::database::Database;
use revm::state::AccountInfo;

use crate::context::DevDb;

/// The ArbOS state account whose storage holds all Stylus/ArbOS state.
pub const ARBOS_STATE_ADDRESS: Address = address!("A4B05FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF");

/// Unix time of ArbOS "hour zero" (2015-01-16 06:00 UTC); `activatedAt` counts hours from here.
pub const ARBOS_EPOCH: u64 = 1_421_388_000;

/// Seconds per day (expiry and keepalive are configured in days).
pub const SECONDS_PER_DAY: u64 = 86_400;

/// ArbOS storage gas constants charged by precompiles (Nitro `arbos/storage`).
pub mod gas {
    /// One ArbOS storage read.
    pub const STORAGE_READ: u64 = 800;
    /// One ArbOS storage write of a non-zero value.
    pub const STORAGE_WRITE: u64 = 20_000;
    /// One ArbOS storage write of zero.
    pub const STORAGE_WRITE_ZERO: u64 = 5_000;
    /// Looking up an account's code hash from a precompile.
    pub const CODEHASH_READ: u64 = 2_600;
    /// Reading the (cached) Stylus params word.
    pub const PARAMS_READ: u64 = 100;
}

/// Failure of a metered ArbOS storage access.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StateError {
    /// The meter ran out of gas (the precompile call consumes all its gas).
    #[error("out of gas")]
    OutOfGas,
    /// The database failed (fatal for the transaction).
    #[error("database error: {0}")]
    Db(String),
}

/// Gas meter for ArbOS storage accesses made on behalf of a precompile call.
#[derive(Debug, Clone)]
pub struct Meter {
    limit: u64,
    used: u64,
    metered: bool,
}

impl Meter {
    /// A meter with `limit` gas that charges every access.
    pub fn new(limit: u64) -> Self {
        Self {
            limit,
            used: 0,
            metered: true,
        }
    }

    /// A meter that charges nothing (for callers without gas accounting).
    pub fn free() -> Self {
        Self {
            limit: u64::MAX,
            used: 0,
            metered: false,
        }
    }

    /// Whether charges are applied.
    pub fn is_metered(&self) -> bool {
        self.metered
    }

    /// Burns `gas`; fails (leaving the meter exhausted) when not enough is left.
    pub fn burn(&mut self, gas: u64) -> Result<(), StateError> {
        if !self.metered {
            return Ok(());
        }
        if gas > self.remaining() {
            self.used = self.limit;
            return Err(StateError::OutOfGas);
        }
        self.used += gas;
        Ok(())
    }

    /// Checks that at least `gas` is left without burning it.
    pub fn require(&self, gas: u64) -> Result<(), StateError> {
        if self.metered && gas > self.remaining() {
            return Err(StateError::OutOfGas);
        }
        Ok(())
    }

    /// Gas left.
    pub fn remaining(&self) -> u64 {
        self.limit - self.used
    }

    /// Gas used so far.
    pub fn used(&self) -> u64 {
        self.used
    }

    /// The limit the meter started with.
    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// Returns `gas` previously burned (unused gas of a nested call coming back).
    pub fn give_back(&mut self, gas: u64) {
        self.used = self.used.saturating_sub(gas);
    }

    /// Consumes everything that is left.
    pub fn burn_all(&mut self) {
        self.used = self.limit;
    }
}

fn db_err(e: impl core::fmt::Display) -> StateError {
    StateError::Db(e.to_string())
}

/// Storage slot of item `key` in the named sub-space of the ArbOS account.
pub fn slot(space: &str, key: &[u8]) -> U256 {
    let mut pre = Vec::with_capacity(24 + space.len() + key.len());
    pre.extend_from_slice(b"stylus-yield/arbos/");
    pre.extend_from_slice(space.as_bytes());
    pre.push(b'/');
    pre.extend_from_slice(key);
    U256::from_be_bytes(keccak256(pre).0)
}

/// Reads one ArbOS storage word (charging [`gas::STORAGE_READ`]).
pub fn read_word<J: JournalTr>(j: &mut J, m: &mut Meter, key: U256) -> Result<U256, StateError> {
    m.burn(gas::STORAGE_READ)?;
    read_word_free(j, key)
}

fn read_word_free<J: JournalTr>(j: &mut J, key: U256) -> Result<U256, StateError> {
    // The journal's sload assumes the account is loaded.
    j.load_account(ARBOS_STATE_ADDRESS).map_err(db_err)?;
    Ok(j.sload(ARBOS_STATE_ADDRESS, key).map_err(db_err)?.data)
}

/// Writes one ArbOS storage word (charging 20 000, or 5 000 for zero).
pub fn write_word<J: JournalTr>(
    j: &mut J,
    m: &mut Meter,
    key: U256,
    value: U256,
) -> Result<(), StateError> {
    m.burn(if value.is_zero() {
        gas::STORAGE_WRITE_ZERO
    } else {
        gas::STORAGE_WRITE
    })?;
    // Keep the state account non-empty so EIP-161 never clears it (and its storage) on commit.
    {
        use revm::context_interface::journaled_state::account::JournaledAccountTr;
        let mut acc = j.load_account_mut(ARBOS_STATE_ADDRESS).map_err(db_err)?;
        if acc.nonce() == 0 {
            acc.set_nonce(1);
        }
    }
    j.sstore(ARBOS_STATE_ADDRESS, key, value).map_err(db_err)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Program records
// ---------------------------------------------------------------------------------------------

/// Activation record of one codehash (the packed word of §1.10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProgramRecord {
    /// Stylus version the program was activated with (0 = never activated).
    pub version: u16,
    /// Init cost (non-cached part) from activation.
    pub init_cost: u16,
    /// Cached init cost from activation.
    pub cached_init_cost: u16,
    /// Initial memory pages.
    pub footprint: u16,
    /// Hours since [`ARBOS_EPOCH`] at (re)activation or last keepalive (u24).
    pub activated_at_hours: u32,
    /// `ceil(asm_estimate / 1024)` (u24).
    pub asm_estimate_kb: u32,
    /// Whether the program is in the (ArbWasmCache) cache.
    pub cached: bool,
}

/// Why a program may not run now (Nitro's lifecycle errors).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgramStatus {
    /// Activated with the current Stylus version and not expired.
    Active,
    /// Never activated (`ProgramNotActivated()`).
    NotActivated,
    /// Activated with an older Stylus version (`ProgramNeedsUpgrade(version, stylusVersion)`).
    NeedsUpgrade(u16),
    /// Older than `ExpiryDays` (`ProgramExpired(age)`), age in seconds.
    Expired(u64),
}

impl ProgramRecord {
    /// Packs the record into its storage word: bytes `[0:2]` version, `[2:4]` init cost, `[4:6]`
    /// cached cost, `[6:8]` footprint, `[8:11]` activatedAt, `[11:14]` asmEstimateKb, `[14]`
    /// cached.
    pub fn pack(&self) -> B256 {
        let mut w = [0u8; 32];
        w[0..2].copy_from_slice(&self.version.to_be_bytes());
        w[2..4].copy_from_slice(&self.init_cost.to_be_bytes());
        w[4..6].copy_from_slice(&self.cached_init_cost.to_be_bytes());
        w[6..8].copy_from_slice(&self.footprint.to_be_bytes());
        w[8..11].copy_from_slice(&self.activated_at_hours.min(0xFF_FFFF).to_be_bytes()[1..]);
        w[11..14].copy_from_slice(&self.asm_estimate_kb.min(0xFF_FFFF).to_be_bytes()[1..]);
        w[14] = self.cached as u8;
        B256::from(w)
    }

    /// Inverse of [`ProgramRecord::pack`].
    pub fn unpack(w: B256) -> Self {
        let b = w.0;
        let u16_at = |i: usize| u16::from_be_bytes([b[i], b[i + 1]]);
        let u24_at = |i: usize| u32::from_be_bytes([0, b[i], b[i + 1], b[i + 2]]);
        Self {
            version: u16_at(0),
            init_cost: u16_at(2),
            cached_init_cost: u16_at(4),
            footprint: u16_at(6),
            activated_at_hours: u24_at(8),
            asm_estimate_kb: u24_at(11),
            cached: b[14] != 0,
        }
    }

    /// Seconds since (re)activation at unix time `now` (saturating at 0).
    pub fn age(&self, now: u64) -> u64 {
        now.saturating_sub(ARBOS_EPOCH + u64::from(self.activated_at_hours) * 3600)
    }

    /// Asm size in bytes as reported by `codehashAsmSize` (`asmEstimateKb × 1024`).
    pub fn asm_size(&self) -> u32 {
        self.asm_estimate_kb.saturating_mul(1024)
    }
}

/// Hours since [`ARBOS_EPOCH`] for unix time `now` (u24-saturated), as stored in `activatedAt`.
pub fn hours_since_epoch(now: u64) -> u32 {
    (now.saturating_sub(ARBOS_EPOCH) / 3600).min(0xFF_FFFF) as u32
}

/// Lifecycle status of `record` at unix time `now` under `params` (§1.10).
pub fn program_status(record: &ProgramRecord, now: u64, params: &StylusParams) -> ProgramStatus {
    if record.version == 0 {
        return ProgramStatus::NotActivated;
    }
    if record.version != params.version {
        return ProgramStatus::NeedsUpgrade(record.version);
    }
    let age = record.age(now);
    if age > u64::from(params.expiry_days) * SECONDS_PER_DAY {
        return ProgramStatus::Expired(age);
    }
    ProgramStatus::Active
}

fn record_slot(codehash: B256) -> U256 {
    slot("program", codehash.as_slice())
}

fn module_hash_slot(codehash: B256) -> U256 {
    slot("moduleHash", codehash.as_slice())
}

/// Loads the activation record of `codehash` (one storage read).
pub fn load_record<J: JournalTr>(
    j: &mut J,
    m: &mut Meter,
    codehash: B256,
) -> Result<ProgramRecord, StateError> {
    let w = read_word(j, m, record_slot(codehash))?;
    Ok(ProgramRecord::unpack(B256::from(w)))
}

/// Stores the activation record of `codehash` (one storage write).
pub fn store_record<J: JournalTr>(
    j: &mut J,
    m: &mut Meter,
    codehash: B256,
    rec: &ProgramRecord,
) -> Result<(), StateError> {
    write_word(
        j,
        m,
        record_slot(codehash),
        U256::from_be_bytes(rec.pack().0),
    )
}

/// Loads the module hash stored at activation for `codehash`.
pub fn load_module_hash<J: JournalTr>(
    j: &mut J,
    m: &mut Meter,
    codehash: B256,
) -> Result<B256, StateError> {
    Ok(B256::from(read_word(j, m, module_hash_slot(codehash))?))
}

/// Stores the module hash for `codehash`.
pub fn store_module_hash<J: JournalTr>(
    j: &mut J,
    m: &mut Meter,
    codehash: B256,
    hash: B256,
) -> Result<(), StateError> {
    write_word(
        j,
        m,
        module_hash_slot(codehash),
        U256::from_be_bytes(hash.0),
    )
}

// ---------------------------------------------------------------------------------------------
// Stylus params
// ---------------------------------------------------------------------------------------------

/// Packs the params into their storage word, big-endian in §1.11 order: version u16, inkPrice
/// u24, maxStackDepth u32, freePages u16, pageGas u16, pageLimit u16, minInitGas u8,
/// minCachedInitGas u8, initCostScalar u8, cachedCostScalar u8, expiryDays u16, keepaliveDays
/// u16, blockCacheSize u16, maxWasmSize u32, maxFragmentCount u8 (30 bytes).
pub fn pack_params(p: &StylusParams) -> B256 {
    let mut w = [0u8; 32];
    let mut i = 0;
    let mut put = |bytes: &[u8]| {
        w[i..i + bytes.len()].copy_from_slice(bytes);
        i += bytes.len();
    };
    put(&p.version.to_be_bytes());
    put(&p.ink_price.min(0xFF_FFFF).to_be_bytes()[1..]);
    put(&p.max_stack_depth.to_be_bytes());
    put(&p.free_pages.to_be_bytes());
    put(&p.page_gas.to_be_bytes());
    put(&p.page_limit.to_be_bytes());
    put(&[
        p.min_init_gas,
        p.min_cached_init_gas,
        p.init_cost_scalar,
        p.cached_cost_scalar,
    ]);
    put(&p.expiry_days.to_be_bytes());
    put(&p.keepalive_days.to_be_bytes());
    put(&p.block_cache_size.to_be_bytes());
    put(&p.max_wasm_size.to_be_bytes());
    put(&[p.max_fragment_count]);
    B256::from(w)
}

/// Inverse of [`pack_params`]; an all-zero word (never written) yields the defaults.
pub fn unpack_params(w: B256) -> StylusParams {
    if w.is_zero() {
        return StylusParams::default();
    }
    let b = w.0;
    let u16_at = |i: usize| u16::from_be_bytes([b[i], b[i + 1]]);
    let u32_at = |i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    StylusParams {
        version: u16_at(0),
        ink_price: u32::from_be_bytes([0, b[2], b[3], b[4]]),
        max_stack_depth: u32_at(5),
        free_pages: u16_at(9),
        page_gas: u16_at(11),
        page_limit: u16_at(13),
        min_init_gas: b[15],
        min_cached_init_gas: b[16],
        init_cost_scalar: b[17],
        cached_cost_scalar: b[18],
        expiry_days: u16_at(19),
        keepalive_days: u16_at(21),
        block_cache_size: u16_at(23),
        max_wasm_size: u32_at(25),
        max_fragment_count: b[29],
        ..StylusParams::default()
    }
}

fn params_slot() -> U256 {
    slot("params", &[0])
}

/// Second params word: `ActivationGas` (u64, ArbOS 60), which does not fit the first word.
fn params_slot_2() -> U256 {
    slot("params", &[1])
}

/// Loads the Stylus params (charged [`gas::PARAMS_READ`], the warm read Nitro charges; the
/// second word holding `ActivationGas` is part of the same cached read).
pub fn load_params<J: JournalTr>(j: &mut J, m: &mut Meter) -> Result<StylusParams, StateError> {
    m.burn(gas::PARAMS_READ)?;
    let mut p = unpack_params(B256::from(read_word_free(j, params_slot())?));
    p.activation_gas = read_word_free(j, params_slot_2())?.saturating_to();
    Ok(p)
}

/// Stores the Stylus params (one storage write; a second one when `ActivationGas` changed).
pub fn store_params<J: JournalTr>(
    j: &mut J,
    m: &mut Meter,
    p: &StylusParams,
) -> Result<(), StateError> {
    let old: u64 = read_word_free(j, params_slot_2())?.saturating_to();
    if old != p.activation_gas {
        write_word(j, m, params_slot_2(), U256::from(p.activation_gas))?;
    }
    write_word(j, m, params_slot(), U256::from_be_bytes(pack_params(p).0))
}

// ---------------------------------------------------------------------------------------------
// Data pricer
// ---------------------------------------------------------------------------------------------

/// State of the activation data pricer (§1.9); the pricing maths is devnode-wasm's.
pub use devnode_wasm::data_pricer::DataPricer as DataPricerState;

const PRICER_FIELDS: [&str; 5] = [
    "demand",
    "bytesPerSecond",
    "lastUpdateTime",
    "minPrice",
    "inertia",
];

fn pricer_slot(i: usize) -> U256 {
    slot("dataPricer", PRICER_FIELDS[i].as_bytes())
}

/// Loads the data pricer (five storage reads; an untouched pricer yields the initial values).
pub fn load_data_pricer<J: JournalTr>(
    j: &mut J,
    m: &mut Meter,
) -> Result<DataPricerState, StateError> {
    let mut v = [0u64; 5];
    for (i, x) in v.iter_mut().enumerate() {
        *x = read_word(j, m, pricer_slot(i))?.saturating_to::<u64>();
    }
    if v[2] == 0 {
        let d = DataPricerState::default();
        return Ok(DataPricerState {
            demand: v[0] as u32,
            ..d
        });
    }
    Ok(DataPricerState {
        demand: v[0] as u32,
        bytes_per_second: v[1] as u32,
        last_update_time: v[2],
        min_price: v[3] as u32,
        inertia: v[4] as u32,
    })
}

/// Stores the pricer's changing fields: demand and last update time (two writes, as Nitro).
pub fn store_data_pricer_update<J: JournalTr>(
    j: &mut J,
    m: &mut Meter,
    s: &DataPricerState,
) -> Result<(), StateError> {
    write_word(j, m, pricer_slot(0), U256::from(s.demand))?;
    write_word(j, m, pricer_slot(2), U256::from(s.last_update_time))
}

/// Stores every pricer field (genesis).
pub fn store_data_pricer<J: JournalTr>(
    j: &mut J,
    m: &mut Meter,
    s: &DataPricerState,
) -> Result<(), StateError> {
    let v = [
        u64::from(s.demand),
        u64::from(s.bytes_per_second),
        s.last_update_time,
        u64::from(s.min_price),
        u64::from(s.inertia),
    ];
    for (i, x) in v.iter().enumerate() {
        write_word(j, m, pricer_slot(i), U256::from(*x))?;
    }
    Ok(())
}

/// Updates the pricer with `temp_bytes` at `now` and returns the fee (5 reads + 2 writes).
pub fn data_pricer_update<J: JournalTr>(
    j: &mut J,
    m: &mut Meter,
    temp_bytes: u32,
    now: u64,
) -> Result<U256, StateError> {
    let mut s = load_data_pricer(j, m)?;
    let fee = s.update(temp_bytes, now);
    store_data_pricer_update(j, m, &s)?;
    Ok(U256::from(fee))
}

// ---------------------------------------------------------------------------------------------
// Address sets (chain owners, cache managers) and scalars
// ---------------------------------------------------------------------------------------------

/// A set of addresses in ArbOS storage: a size word, members by position, position by address.
#[derive(Debug, Clone, Copy)]
pub struct AddressSet(&'static str);

/// The chain owners (ArbOwner access control).
pub const CHAIN_OWNERS: AddressSet = AddressSet("chainOwners");
/// The registered wasm cache managers (ArbWasmCache access control).
pub const CACHE_MANAGERS: AddressSet = AddressSet("cacheManagers");

impl AddressSet {
    fn size_slot(&self) -> U256 {
        slot(self.0, b"size")
    }
    fn member_slot(&self, i: u64) -> U256 {
        slot(self.0, b"members") + U256::from(i)
    }
    fn index_slot(&self, a: Address) -> U256 {
        slot(self.0, a.as_slice())
    }

    /// Whether `a` is a member (one read).
    pub fn contains<J: JournalTr>(
        &self,
        j: &mut J,
        m: &mut Meter,
        a: Address,
    ) -> Result<bool, StateError> {
        Ok(!read_word(j, m, self.index_slot(a))?.is_zero())
    }

    /// Number of members (one read).
    pub fn size<J: JournalTr>(&self, j: &mut J, m: &mut Meter) -> Result<u64, StateError> {
        Ok(read_word(j, m, self.size_slot())?.saturating_to())
    }

    /// All members in insertion order (with removals swapping the last member in).
    pub fn all<J: JournalTr>(&self, j: &mut J, m: &mut Meter) -> Result<Vec<Address>, StateError> {
        let n = self.size(j, m)?;
        let mut out = Vec::with_capacity(n as usize);
        for i in 0..n {
            let w = read_word(j, m, self.member_slot(i))?;
            out.push(Address::from_word(B256::from(w)));
        }
        Ok(out)
    }

    /// Adds `a` (no-op when present).
    pub fn add<J: JournalTr>(
        &self,
        j: &mut J,
        m: &mut Meter,
        a: Address,
    ) -> Result<(), StateError> {
        if self.contains(j, m, a)? {
            return Ok(());
        }
        let n = self.size(j, m)?;
        write_word(
            j,
            m,
            self.member_slot(n),
            U256::from_be_bytes(a.into_word().0),
        )?;
        write_word(j, m, self.index_slot(a), U256::from(n + 1))?;
        write_word(j, m, self.size_slot(), U256::from(n + 1))
    }

    /// Removes `a`; returns whether it was a member.
    pub fn remove<J: JournalTr>(
        &self,
        j: &mut J,
        m: &mut Meter,
        a: Address,
    ) -> Result<bool, StateError> {
        let pos: u64 = read_word(j, m, self.index_slot(a))?.saturating_to();
        if pos == 0 {
            return Ok(false);
        }
        let n = self.size(j, m)?;
        let last = read_word(j, m, self.member_slot(n - 1))?;
        if pos != n {
            write_word(j, m, self.member_slot(pos - 1), last)?;
            let moved = Address::from_word(B256::from(last));
            write_word(j, m, self.index_slot(moved), U256::from(pos))?;
        }
        write_word(j, m, self.member_slot(n - 1), U256::ZERO)?;
        write_word(j, m, self.index_slot(a), U256::ZERO)?;
        write_word(j, m, self.size_slot(), U256::from(n - 1))?;
        Ok(true)
    }
}

fn scalar_slot(name: &str) -> U256 {
    slot("scalar", name.as_bytes())
}

/// L1 price per unit (ArbOwner.setL1PricePerUnit; the devnode script sets 0).
pub fn load_l1_price_per_unit<J: JournalTr>(j: &mut J, m: &mut Meter) -> Result<U256, StateError> {
    read_word(j, m, scalar_slot("l1PricePerUnit"))
}

/// Sets the L1 price per unit.
pub fn store_l1_price_per_unit<J: JournalTr>(
    j: &mut J,
    m: &mut Meter,
    v: U256,
) -> Result<(), StateError> {
    write_word(j, m, scalar_slot("l1PricePerUnit"), v)
}

/// The network fee account (receives activation data fees).
pub fn load_network_fee_account<J: JournalTr>(
    j: &mut J,
    m: &mut Meter,
) -> Result<Address, StateError> {
    Ok(Address::from_word(B256::from(read_word(
        j,
        m,
        scalar_slot("networkFeeAccount"),
    )?)))
}

/// Sets the network fee account.
pub fn store_network_fee_account<J: JournalTr>(
    j: &mut J,
    m: &mut Meter,
    a: Address,
) -> Result<(), StateError> {
    write_word(
        j,
        m,
        scalar_slot("networkFeeAccount"),
        U256::from_be_bytes(a.into_word().0),
    )
}

// ---------------------------------------------------------------------------------------------
// Genesis
// ---------------------------------------------------------------------------------------------

/// Initial values of the storage words written at genesis (slot → value), for `owner` as chain
/// owner and network fee account and `params` as the Stylus params.
pub fn genesis_storage(owner: Address, params: &StylusParams) -> Vec<(U256, U256)> {
    let pricer = DataPricerState::default();
    let mut v = vec![
        (params_slot(), U256::from_be_bytes(pack_params(params).0)),
        (params_slot_2(), U256::from(params.activation_gas)),
        (pricer_slot(0), U256::from(pricer.demand)),
        (pricer_slot(1), U256::from(pricer.bytes_per_second)),
        (pricer_slot(2), U256::from(pricer.last_update_time)),
        (pricer_slot(3), U256::from(pricer.min_price)),
        (pricer_slot(4), U256::from(pricer.inertia)),
        (
            scalar_slot("networkFeeAccount"),
            U256::from_be_bytes(owner.into_word().0),
        ),
    ];
    if owner != Address::ZERO {
        v.extend(CHAIN_OWNERS.genesis_members(&[owner]));
    }
    v
}

impl AddressSet {
    /// Storage words of a set holding exactly `members` (genesis).
    pub fn genesis_members(&self, members: &[Address]) -> Vec<(U256, U256)> {
        let mut v = Vec::new();
        for (i, a) in members.iter().enumerate() {
            v.push((
                self.member_slot(i as u64),
                U256::from_be_bytes(a.into_word().0),
            ));
            v.push((self.index_slot(*a), U256::from(i as u64 + 1)));
        }
        v.push((self.size_slot(), U256::from(members.len())));
        v
    }
}

/// Writes this module's genesis state into `db`: the ArbOS state account (nonce 1, so it is never
/// cleared as empty) with the Stylus `params`, the data pricer, `chain_owner` as chain owner and
/// network fee account, and `cache_managers` registered as wasm cache managers.
pub fn install_genesis_state(
    db: &mut DevDb,
    chain_owner: Address,
    params: &StylusParams,
    cache_managers: &[Address],
) {
    let info = AccountInfo {
        nonce: 1,
        ..Default::default()
    };
    db.insert_account_info(ARBOS_STATE_ADDRESS, info);
    let mut words = genesis_storage(chain_owner, params);
    words.extend(CACHE_MANAGERS.genesis_members(cache_managers));
    for (k, v) in words {
        db.insert_account_storage(ARBOS_STATE_ADDRESS, k, v)
            .expect("in-memory database is infallible");
    }
}

/// Reads a program record straight from a database (no journal, no gas) — for RPC/CLI views.
pub fn read_record_db<DB: Database>(
    db: &mut DB,
    codehash: B256,
) -> Result<ProgramRecord, StateError> {
    let w = db
        .storage(ARBOS_STATE_ADDRESS, record_slot(codehash))
        .map_err(db_err)?;
    Ok(ProgramRecord::unpack(B256::from(w)))
}

/// Reads the Stylus params straight from a database (no journal, no gas).
pub fn read_params_db<DB: Database>(db: &mut DB) -> Result<StylusParams, StateError> {
    let w = db
        .storage(ARBOS_STATE_ADDRESS, params_slot())
        .map_err(db_err)?;
    let mut p = unpack_params(B256::from(w));
    p.activation_gas = db
        .storage(ARBOS_STATE_ADDRESS, params_slot_2())
        .map_err(db_err)?
        .saturating_to();
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_round_trip_and_layout() {
        let r = ProgramRecord {
            version: 2,
            init_cost: 0x1234,
            cached_init_cost: 0x5678,
            footprint: 3,
            activated_at_hours: 0xABCDEF,
            asm_estimate_kb: 0x010203,
            cached: true,
        };
        let w = r.pack();
        assert_eq!(
            &w[0..15],
            &[0, 2, 0x12, 0x34, 0x56, 0x78, 0, 3, 0xAB, 0xCD, 0xEF, 1, 2, 3, 1]
        );
        assert!(w[15..].iter().all(|b| *b == 0));
        assert_eq!(ProgramRecord::unpack(w), r);
    }

    #[test]
    fn params_round_trip() {
        let p = StylusParams {
            version: 3,
            ink_price: 0xAB_CDEF,
            max_stack_depth: 262_144,
            free_pages: 5,
            page_gas: 1_234,
            page_limit: 77,
            min_init_gas: 1,
            min_cached_init_gas: 2,
            init_cost_scalar: 3,
            cached_cost_scalar: 4,
            expiry_days: 400,
            keepalive_days: 40,
            block_cache_size: 16,
            max_wasm_size: 200_000,
            max_fragment_count: 3,
            ..StylusParams::default()
        };
        assert_eq!(unpack_params(pack_params(&p)), p);
        assert_eq!(unpack_params(B256::ZERO), StylusParams::default());
        // Layout: version first, big-endian.
        assert_eq!(&pack_params(&p)[..5], &[0, 3, 0xAB, 0xCD, 0xEF]);
    }

    #[test]
    fn status_rules() {
        let params = StylusParams::default();
        let now = ARBOS_EPOCH + 1_000 * 3600 + 1_800;
        let mut r = ProgramRecord {
            version: 2,
            activated_at_hours: 1_000,
            ..Default::default()
        };
        assert_eq!(r.age(now), 1_800);
        assert_eq!(program_status(&r, now, &params), ProgramStatus::Active);
        let later = now + 365 * SECONDS_PER_DAY;
        assert_eq!(
            program_status(&r, later, &params),
            ProgramStatus::Expired(later - (ARBOS_EPOCH + 1_000 * 3600))
        );
        r.version = 1;
        assert_eq!(
            program_status(&r, now, &params),
            ProgramStatus::NeedsUpgrade(1)
        );
        r.version = 0;
        assert_eq!(
            program_status(&r, now, &params),
            ProgramStatus::NotActivated
        );
        assert_eq!(hours_since_epoch(now), 1_000);
    }

    const GENESIS_MANAGER: Address = Address::repeat_byte(0xcc);

    fn journal() -> revm::context::Journal<DevDb> {
        let mut db = DevDb::default();
        install_genesis_state(
            &mut db,
            Address::with_last_byte(1),
            &StylusParams::default(),
            &[GENESIS_MANAGER],
        );
        JournalTr::new(db)
    }

    #[test]
    fn address_set_add_remove_and_gas() {
        let mut j = journal();
        let mut m = Meter::new(1_000_000);
        let (a, b, c) = (
            Address::with_last_byte(0xa),
            Address::with_last_byte(0xb),
            Address::with_last_byte(0xc),
        );
        for x in [a, b, c] {
            CACHE_MANAGERS.add(&mut j, &mut m, x).unwrap();
        }
        CACHE_MANAGERS.add(&mut j, &mut m, b).unwrap();
        let cm = GENESIS_MANAGER;
        assert_eq!(
            CACHE_MANAGERS.all(&mut j, &mut m).unwrap(),
            vec![cm, a, b, c]
        );
        assert!(CACHE_MANAGERS.remove(&mut j, &mut m, a).unwrap());
        assert!(!CACHE_MANAGERS.remove(&mut j, &mut m, a).unwrap());
        assert_eq!(CACHE_MANAGERS.all(&mut j, &mut m).unwrap(), vec![cm, c, b]);
        assert!(!CACHE_MANAGERS.contains(&mut j, &mut m, a).unwrap());
        assert!(CACHE_MANAGERS.contains(&mut j, &mut m, c).unwrap());
        // Genesis owner.
        assert_eq!(
            CHAIN_OWNERS.all(&mut j, &mut m).unwrap(),
            vec![Address::with_last_byte(1)]
        );
        // Metering: one read is 800.
        let mut m = Meter::new(799);
        assert_eq!(CHAIN_OWNERS.size(&mut j, &mut m), Err(StateError::OutOfGas));
        let mut free = Meter::free();
        assert_eq!(CHAIN_OWNERS.size(&mut j, &mut free), Ok(1));
        assert_eq!(free.used(), 0);
    }

    #[test]
    fn records_and_pricer_through_the_journal() {
        let mut j = journal();
        let mut m = Meter::new(10_000_000);
        let h = B256::repeat_byte(9);
        assert_eq!(
            load_record(&mut j, &mut m, h).unwrap(),
            ProgramRecord::default()
        );
        let rec = ProgramRecord {
            version: 2,
            init_cost: 5,
            footprint: 1,
            asm_estimate_kb: 600,
            ..Default::default()
        };
        store_record(&mut j, &mut m, h, &rec).unwrap();
        assert_eq!(load_record(&mut j, &mut m, h).unwrap(), rec);
        assert_eq!(m.used(), 800 + 20_000 + 800);
        assert_eq!(
            load_data_pricer(&mut j, &mut m).unwrap(),
            DataPricerState::default()
        );
        let fee = data_pricer_update(&mut j, &mut m, 600_000, ARBOS_EPOCH).unwrap();
        assert!(fee > U256::ZERO);
        assert_eq!(load_data_pricer(&mut j, &mut m).unwrap().demand, 600_000);
        assert_eq!(
            load_params(&mut j, &mut Meter::free()).unwrap(),
            StylusParams::default()
        );
    }

    #[test]
    fn data_fee_examples() {
        let mut p = DataPricerState::default();
        let fee = p.update(600_000, ARBOS_EPOCH);
        let f: u128 = fee;
        assert!((5.0e13..5.25e13).contains(&(f as f64)), "{f}");
    }
}
