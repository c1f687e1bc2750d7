//! The 42 `vm_hooks` host functions (spec §3) and the debug `console` imports (§3.7).
//!
//! Every hostio follows Nitro's order of operations: base ink → copy charges → `require_gas` →
//! read guest memory → EVM work → buy the returned gas → write guest memory. Ink lives in the
//! instance's exported globals `stylus_ink_left` / `stylus_ink_status`, shared with the
//! instrumentation's meter.

use std::collections::BTreeMap;
use std::fmt;

use devnode_wasm::pricing::{self, base_ink};
use revm::bytecode::Bytecode;
use revm::context::JournalTr;
use revm::context_interface::CreateScheme;
use revm::interpreter::{CallInput, CallInputs, CallScheme, CallValue, CreateInputs};
use revm::primitives::{keccak256, Address, Bytes, Log, LogData, B256, U256};
use wasmi::{Caller, Error, Global, Linker, Memory, Val};

use crate::context::trace::HostioRecord;
use crate::context::DevCtx;
use crate::context::{load_code, nested_call, nested_create};

/// Why a program stopped inside a host function (other than `exit_early`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Escape {
    /// Ran out of ink (the status global is set too).
    OutOfInk,
    /// A logical hostio error: the program fails (revert, gas kept, no data).
    Failure(String),
    /// A fatal (database) error: aborts the transaction.
    Fatal(String),
}

impl fmt::Display for Escape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Escape::OutOfInk => f.write_str("out of ink"),
            Escape::Failure(s) => write!(f, "{s}"),
            Escape::Fatal(s) => write!(f, "fatal: {s}"),
        }
    }
}

impl wasmi::errors::HostError for Escape {}

fn failure(msg: impl Into<String>) -> Error {
    Error::host(Escape::Failure(msg.into()))
}

fn fatal(msg: impl Into<String>) -> Error {
    Error::host(Escape::Fatal(msg.into()))
}

/// Frame values a program sees (spec §2.3) plus pricing constants.
#[derive(Clone, Debug)]
pub struct FrameEnv {
    /// Acting address (storage owner, `contract_address`).
    pub acting: Address,
    /// `msg_sender`.
    pub caller: Address,
    /// `msg_value` (the parent's value for DELEGATECALL).
    pub value: U256,
    /// Read-only (STATICCALL-descended) frame.
    pub is_static: bool,
    /// `msg_reentrant`.
    pub reentrant: bool,
    /// Ink per gas.
    pub ink_price: u64,
    /// ArbOS version of the chain.
    pub arbos_version: u64,
    /// Max code size (scales the `account_code` surcharge).
    pub max_code_size: u64,
}

/// One entry of the per-invocation storage cache (spec §3.2).
#[derive(Clone, Copy, Debug)]
struct CacheSlot {
    value: B256,
    known: Option<B256>,
}

/// The per-invocation storage cache with its read/write counters.
#[derive(Clone, Debug, Default)]
struct StorageCache {
    slots: BTreeMap<B256, CacheSlot>,
    reads: u64,
    writes: u64,
}

impl StorageCache {
    fn read_surcharge(&mut self) -> u64 {
        self.reads += 1;
        match self.reads {
            0..=32 => 0,
            33..=128 => 2,
            _ => 10,
        }
    }

    fn write_surcharge(&mut self) -> u64 {
        self.writes += 1;
        match self.writes {
            0..=8 => 0,
            9..=64 => 7,
            _ => 10,
        }
    }
}

/// Store data of one program invocation.
pub struct HostState {
    /// The running context. Valid for the whole invocation: the invocation is strictly nested
    /// inside the `&mut DevCtx` borrow of [`super::call_program`], and host functions are the
    /// only users of it while wasm runs (see [`ctx`]).
    ctx: *mut DevCtx,
    pub(super) memory: Option<Memory>,
    pub(super) ink_left: Option<Global>,
    pub(super) ink_status: Option<Global>,
    /// Frame values.
    pub env: FrameEnv,
    /// Calldata.
    pub args: Bytes,
    /// Output set by `write_result`.
    pub outs: Bytes,
    cache: StorageCache,
    return_data: Bytes,
    code_cache: Option<(Address, Bytes)>,
    /// Gas refund accumulated by this frame (SSTORE refunds and successful sub-calls).
    pub refund: i64,
    /// Hostio records when tracing.
    pub trace: Option<Vec<HostioRecord>>,
}

impl HostState {
    /// New state for an invocation over `ctx`.
    pub fn new(ctx: &mut DevCtx, env: FrameEnv, args: Bytes, tracing: bool) -> Self {
        Self {
            ctx: ctx as *mut DevCtx,
            memory: None,
            ink_left: None,
            ink_status: None,
            env,
            args,
            outs: Bytes::new(),
            cache: StorageCache::default(),
            return_data: Bytes::new(),
            code_cache: None,
            refund: 0,
            trace: tracing.then(Vec::new),
        }
    }
}

type C<'a> = Caller<'a, HostState>;

/// The running context.
fn ctx<'x>(c: &C<'_>) -> &'x mut DevCtx {
    // SAFETY: `HostState::ctx` comes from the `&mut DevCtx` held by `call_program` for the whole
    // invocation, which does not touch it while wasm runs. Host functions run one at a time on
    // this thread, each using the reference only for its own duration; nested invocations
    // started from here reborrow it strictly inside that duration.
    unsafe { &mut *c.data().ctx }
}

// ---------------------------------------------------------------------------------------------
// ink
// ---------------------------------------------------------------------------------------------

/// Ink left in the instance.
pub fn ink_left(c: &C<'_>) -> u64 {
    match c.data().ink_left.expect("ink global").get(c) {
        Val::I64(v) => v as u64,
        _ => 0,
    }
}

fn set_ink(c: &mut C<'_>, ink: u64) {
    let g = c.data().ink_left.expect("ink global");
    g.set(c, Val::I64(ink as i64))
        .expect("ink global is a mutable i64");
}

fn ink_status(c: &C<'_>) -> i32 {
    match c.data().ink_status.expect("status global").get(c) {
        Val::I32(v) => v,
        _ => 1,
    }
}

fn out_of_ink(c: &mut C<'_>) -> Error {
    set_ink(c, 0);
    let g = c.data().ink_status.expect("status global");
    g.set(&mut *c, Val::I32(1))
        .expect("status global is a mutable i32");
    Error::host(Escape::OutOfInk)
}

fn buy_ink(c: &mut C<'_>, ink: u64) -> Result<(), Error> {
    let left = ink_left(c);
    if ink_status(c) != 0 || left < ink {
        return Err(out_of_ink(c));
    }
    set_ink(c, left - ink);
    Ok(())
}

fn gas_to_ink(c: &C<'_>, gas: u64) -> u64 {
    gas.saturating_mul(c.data().env.ink_price)
}

fn buy_gas(c: &mut C<'_>, gas: u64) -> Result<(), Error> {
    let ink = gas_to_ink(c, gas);
    buy_ink(c, ink)
}

fn require_gas(c: &mut C<'_>, gas: u64) -> Result<(), Error> {
    let ink = gas_to_ink(c, gas);
    if ink_status(c) != 0 || ink_left(c) < ink {
        return Err(out_of_ink(c));
    }
    Ok(())
}

fn gas_left(c: &C<'_>) -> u64 {
    ink_left(c) / c.data().env.ink_price.max(1)
}

fn pay_for_read(c: &mut C<'_>, n: u64) -> Result<(), Error> {
    buy_ink(c, pricing::read_price(n))
}

fn pay_for_write(c: &mut C<'_>, n: u64) -> Result<(), Error> {
    buy_ink(c, pricing::write_price(n))
}

// ---------------------------------------------------------------------------------------------
// guest memory
// ---------------------------------------------------------------------------------------------

fn read_bytes(c: &C<'_>, ptr: u32, len: u32) -> Result<Vec<u8>, Error> {
    let mut buf = vec![0u8; len as usize];
    let mem = c.data().memory.expect("memory");
    mem.read(c, ptr as usize, &mut buf)
        .map_err(|_| failure("memory access out of bounds"))?;
    Ok(buf)
}

fn read_fixed<const N: usize>(c: &C<'_>, ptr: u32) -> Result<[u8; N], Error> {
    let mut buf = [0u8; N];
    let mem = c.data().memory.expect("memory");
    mem.read(c, ptr as usize, &mut buf)
        .map_err(|_| failure("memory access out of bounds"))?;
    Ok(buf)
}

fn read_b256(c: &C<'_>, ptr: u32) -> Result<B256, Error> {
    read_fixed::<32>(c, ptr).map(B256::from)
}

fn read_u256(c: &C<'_>, ptr: u32) -> Result<U256, Error> {
    read_fixed::<32>(c, ptr).map(U256::from_be_bytes)
}

fn read_address(c: &C<'_>, ptr: u32) -> Result<Address, Error> {
    read_fixed::<20>(c, ptr).map(Address::from)
}

fn write_bytes(c: &mut C<'_>, ptr: u32, data: &[u8]) -> Result<(), Error> {
    let mem = c.data().memory.expect("memory");
    mem.write(c, ptr as usize, data)
        .map_err(|_| failure("memory access out of bounds"))
}

fn write_u32(c: &mut C<'_>, ptr: u32, v: u32) -> Result<(), Error> {
    write_bytes(c, ptr, &v.to_le_bytes())
}

// ---------------------------------------------------------------------------------------------
// tracing
// ---------------------------------------------------------------------------------------------

fn trace_start(c: &C<'_>) -> Option<u64> {
    c.data().trace.as_ref().map(|_| ink_left(c))
}

fn record(
    c: &mut C<'_>,
    start: Option<u64>,
    name: &'static str,
    args: impl FnOnce() -> Vec<u8>,
    outs: impl FnOnce() -> Vec<u8>,
) {
    if let Some(start_ink) = start {
        let end_ink = ink_left(c);
        let rec = HostioRecord::new(name, args(), outs(), start_ink, end_ink);
        if let Some(t) = c.data_mut().trace.as_mut() {
            t.push(rec);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// hostios: arguments and results
// ---------------------------------------------------------------------------------------------

fn read_args(mut c: C<'_>, dest: u32) -> Result<(), Error> {
    let start = trace_start(&c);
    buy_ink(&mut c, base_ink::READ_ARGS)?;
    let args = c.data().args.clone();
    pay_for_write(&mut c, args.len() as u64)?;
    write_bytes(&mut c, dest, &args)?;
    record(&mut c, start, "read_args", Vec::new, || args.to_vec());
    Ok(())
}

fn write_result(mut c: C<'_>, ptr: u32, len: u32) -> Result<(), Error> {
    let start = trace_start(&c);
    buy_ink(&mut c, base_ink::WRITE_RESULT)?;
    pay_for_read(&mut c, len.into())?;
    pay_for_read(&mut c, len.into())?;
    let data = read_bytes(&c, ptr, len)?;
    let data = Bytes::from(data);
    c.data_mut().outs = data.clone();
    record(&mut c, start, "write_result", || data.to_vec(), Vec::new);
    Ok(())
}

fn exit_early(mut c: C<'_>, status: u32) -> Result<(), Error> {
    let start = trace_start(&c);
    record(
        &mut c,
        start,
        "exit_early",
        || status.to_be_bytes().to_vec(),
        Vec::new,
    );
    Err(Error::i32_exit(status as i32))
}

// ---------------------------------------------------------------------------------------------
// storage (spec §3.2)
// ---------------------------------------------------------------------------------------------

/// `floor(EVM_API_INK / inkPrice)` from ArbOS 32 (the EVM-API gas of a storage load).
fn evm_api_gas(c: &C<'_>) -> u64 {
    let env = &c.data().env;
    if env.arbos_version >= 32 {
        pricing::EVM_API_INK / env.ink_price.max(1)
    } else {
        pricing::EVM_API_INK
    }
}

fn storage_load_bytes32(mut c: C<'_>, key: u32, dest: u32) -> Result<(), Error> {
    let start = trace_start(&c);
    buy_ink(&mut c, base_ink::STORAGE_LOAD_BYTES32)?;
    let api_gas = evm_api_gas(&c);
    require_gas(&mut c, 2_100 + 10 + api_gas)?;
    let key = read_b256(&c, key)?;
    let surcharge = c.data_mut().cache.read_surcharge();
    let (value, cost) = match c.data().cache.slots.get(&key) {
        Some(slot) => (slot.value, surcharge),
        None => {
            let acting = c.data().env.acting;
            let load = ctx(&c)
                .journaled_state
                .sload(acting, key.into())
                .map_err(|e| fatal(e.to_string()))?;
            let value = B256::from(load.data);
            let access = if load.is_cold { 2_100 } else { 100 };
            c.data_mut().cache.slots.insert(
                key,
                CacheSlot {
                    value,
                    known: Some(value),
                },
            );
            (value, surcharge + access + api_gas)
        }
    };
    buy_gas(&mut c, cost)?;
    write_bytes(&mut c, dest, value.as_slice())?;
    record(
        &mut c,
        start,
        "storage_load_bytes32",
        || key.to_vec(),
        || value.to_vec(),
    );
    Ok(())
}

fn storage_cache_bytes32(mut c: C<'_>, key: u32, value: u32) -> Result<(), Error> {
    let start = trace_start(&c);
    buy_ink(&mut c, base_ink::STORAGE_CACHE_BYTES32)?;
    require_gas(&mut c, 2_300 + 10)?;
    let key = read_b256(&c, key)?;
    let value = read_b256(&c, value)?;
    let cache = &mut c.data_mut().cache;
    cache
        .slots
        .entry(key)
        .and_modify(|s| s.value = value)
        .or_insert(CacheSlot { value, known: None });
    let surcharge = cache.write_surcharge();
    buy_gas(&mut c, surcharge)?;
    record(
        &mut c,
        start,
        "storage_cache_bytes32",
        || [key.0, value.0].concat(),
        Vec::new,
    );
    Ok(())
}

/// SSTORE gas (EIP-2929 + EIP-2200 + EIP-3529, no 2 300 sentry) and refund delta.
pub fn sstore_cost(original: U256, present: U256, new: U256, is_cold: bool) -> (u64, i64) {
    let mut cost = if is_cold { 2_100 } else { 0 };
    let mut refund = 0i64;
    if present == new {
        cost += 100;
        return (cost, refund);
    }
    if original == present {
        if original.is_zero() {
            cost += 20_000;
        } else {
            cost += 2_900;
            if new.is_zero() {
                refund += 4_800;
            }
        }
        return (cost, refund);
    }
    cost += 100;
    if !original.is_zero() {
        if present.is_zero() {
            refund -= 4_800;
        } else if new.is_zero() {
            refund += 4_800;
        }
    }
    if original == new {
        if original.is_zero() {
            refund += 20_000 - 100;
        } else {
            refund += 5_000 - 2_100 - 100;
        }
    }
    (cost, refund)
}

fn storage_flush_cache(mut c: C<'_>, clear: u32) -> Result<(), Error> {
    let start = trace_start(&c);
    buy_ink(&mut c, base_ink::STORAGE_FLUSH_CACHE)?;
    require_gas(&mut c, 2_300)?;
    let mut budget = gas_left(&c);
    let mut dirty = Vec::new();
    {
        let cache = &mut c.data_mut().cache;
        for (key, slot) in cache.slots.iter_mut() {
            if slot.known != Some(slot.value) {
                dirty.push((*key, slot.value));
                slot.known = Some(slot.value);
            }
        }
        if clear != 0 {
            cache.slots.clear();
        }
    }
    let (acting, is_static) = (c.data().env.acting, c.data().env.is_static);
    let mut total = 0u64;
    let mut refund = 0i64;
    let mut write_protection = false;
    let mut out_of_gas = false;
    for (key, value) in dirty {
        if is_static {
            write_protection = true;
            break;
        }
        let res = ctx(&c)
            .journaled_state
            .sstore(acting, key.into(), value.into())
            .map_err(|e| fatal(e.to_string()))?;
        let r = &res.data;
        let (cost, delta) =
            sstore_cost(r.original_value, r.present_value, r.new_value, res.is_cold);
        if cost > budget {
            out_of_gas = true;
            break;
        }
        budget -= cost;
        total += cost;
        refund += delta;
    }
    if out_of_gas {
        return Err(out_of_ink(&mut c));
    }
    buy_gas(&mut c, total)?;
    if write_protection {
        return Err(failure("write protection"));
    }
    c.data_mut().refund += refund;
    record(
        &mut c,
        start,
        "storage_flush_cache",
        || vec![(clear != 0) as u8],
        Vec::new,
    );
    Ok(())
}

fn transient_load_bytes32(mut c: C<'_>, key: u32, dest: u32) -> Result<(), Error> {
    let start = trace_start(&c);
    buy_ink(&mut c, base_ink::TRANSIENT_LOAD_BYTES32)?;
    buy_gas(&mut c, 100)?;
    let key = read_b256(&c, key)?;
    let acting = c.data().env.acting;
    let value = B256::from(ctx(&c).journaled_state.tload(acting, key.into()));
    write_bytes(&mut c, dest, value.as_slice())?;
    record(
        &mut c,
        start,
        "transient_load_bytes32",
        || key.to_vec(),
        || value.to_vec(),
    );
    Ok(())
}

fn transient_store_bytes32(mut c: C<'_>, key: u32, value: u32) -> Result<(), Error> {
    let start = trace_start(&c);
    buy_ink(&mut c, base_ink::TRANSIENT_STORE_BYTES32)?;
    buy_gas(&mut c, 100)?;
    let key = read_b256(&c, key)?;
    let value = read_b256(&c, value)?;
    if c.data().env.is_static {
        return Err(failure("write protection"));
    }
    let acting = c.data().env.acting;
    ctx(&c)
        .journaled_state
        .tstore(acting, key.into(), value.into());
    record(
        &mut c,
        start,
        "transient_store_bytes32",
        || [key.0, value.0].concat(),
        Vec::new,
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// calls (spec §3.3)
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum CallKind {
    Call,
    Delegate,
    Static,
}

/// Result of the EVM side of a call: (status, gas cost, return data, refund, child trace).
struct CallResult {
    status: u8,
    cost: u64,
    data: Bytes,
    refund: i64,
}

#[allow(clippy::too_many_arguments)]
fn evm_call(
    ctx: &mut DevCtx,
    env: &FrameEnv,
    kind: CallKind,
    target: Address,
    input: Bytes,
    value: U256,
    gas_left: u64,
    gas_req: u64,
) -> Result<CallResult, Error> {
    let fail = |cost| CallResult {
        status: 2,
        cost,
        data: Bytes::new(),
        refund: 0,
    };
    if env.is_static && !value.is_zero() {
        return Ok(fail(0));
    }
    let acc = load_code(ctx, target).map_err(fatal)?;
    let mut base = 100u64;
    if acc.is_cold {
        base += 2_500;
    }
    if base > gas_left {
        return Ok(fail(gas_left));
    }
    if !value.is_zero() {
        if acc.is_empty {
            base += 25_000;
            if base > gas_left {
                return Ok(fail(gas_left));
            }
        }
        base += 9_000;
        if base > gas_left {
            return Ok(fail(gas_left));
        }
    }
    // Nitro: ⌊63x/64⌋ (not x − ⌊x/64⌋).
    let start_gas = ((u128::from(gas_left - base) * 63) / 64) as u64;
    let mut gas = start_gas.min(gas_req);
    if !value.is_zero() {
        gas += 2_300;
    }
    let (caller, to, call_value, scheme, is_static) = match kind {
        CallKind::Call => (
            env.acting,
            target,
            CallValue::Transfer(value),
            CallScheme::Call,
            env.is_static,
        ),
        CallKind::Delegate => (
            env.caller,
            env.acting,
            CallValue::Apparent(env.value),
            CallScheme::DelegateCall,
            env.is_static,
        ),
        CallKind::Static => (
            env.acting,
            target,
            CallValue::Transfer(U256::ZERO),
            CallScheme::StaticCall,
            true,
        ),
    };
    let inputs = CallInputs {
        input: CallInput::Bytes(input),
        return_memory_offset: 0..0,
        gas_limit: gas,
        reservoir: 0,
        bytecode_address: target,
        known_bytecode: (acc.code_hash, acc.code),
        target_address: to,
        caller,
        value: call_value,
        scheme,
        is_static,
        charged_new_account_state_gas: false,
    };
    let outcome = nested_call(ctx, inputs).map_err(fatal)?;
    let res = &outcome.result;
    let returned = if res.result.is_ok_or_revert() {
        res.gas.remaining()
    } else {
        0
    };
    let cost = base + gas.saturating_sub(returned);
    let data = if res.result.is_ok_or_revert() {
        res.output.clone()
    } else {
        Bytes::new()
    };
    let refund = if res.result.is_ok() {
        res.gas.refunded()
    } else {
        0
    };
    Ok(CallResult {
        status: if res.result.is_ok() { 0 } else { 2 },
        cost,
        data,
        refund,
    })
}

#[allow(clippy::too_many_arguments)]
fn do_call(
    c: &mut C<'_>,
    kind: CallKind,
    contract: u32,
    data: u32,
    data_len: u32,
    value: Option<u32>,
    gas: u64,
    ret_len: u32,
) -> Result<u32, Error> {
    let start = trace_start(c);
    let (base, name) = match kind {
        CallKind::Call => (base_ink::CALL_CONTRACT, "call_contract"),
        CallKind::Delegate => (base_ink::DELEGATE_CALL_CONTRACT, "delegate_call_contract"),
        CallKind::Static => (base_ink::STATIC_CALL_CONTRACT, "static_call_contract"),
    };
    buy_ink(c, base)?;
    pay_for_read(c, data_len.into())?;
    pay_for_read(c, data_len.into())?;
    let gas_left = gas_left(c);
    let gas_req = gas.min(gas_left);
    let target = read_address(c, contract)?;
    let input = Bytes::from(read_bytes(c, data, data_len)?);
    let value = match value {
        Some(ptr) => read_u256(c, ptr)?,
        None => U256::ZERO,
    };
    let env = c.data().env.clone();
    let trace_mark = super::trace::mark(ctx(c));
    let res = evm_call(
        ctx(c),
        &env,
        kind,
        target,
        input.clone(),
        value,
        gas_left,
        gas_req,
    )?;
    buy_gas(c, res.cost)?;
    let len = res.data.len() as u32;
    {
        let st = c.data_mut();
        st.return_data = res.data;
        st.refund += res.refund;
    }
    write_u32(c, ret_len, len)?;
    if start.is_some() {
        let mut args = target.to_vec();
        args.extend_from_slice(&gas.to_be_bytes());
        if kind == CallKind::Call {
            args.extend_from_slice(&value.to_be_bytes::<32>());
        }
        args.extend_from_slice(&input);
        let mut outs = len.to_be_bytes().to_vec();
        outs.push(res.status);
        let steps = super::trace::take_child(ctx(c), trace_mark);
        record(c, start, name, || args, || outs);
        if let Some(last) = c.data_mut().trace.as_mut().and_then(|t| t.last_mut()) {
            last.address = Some(target);
            last.steps = Some(steps);
        }
    }
    Ok(res.status.into())
}

fn call_contract(
    mut c: C<'_>,
    contract: u32,
    data: u32,
    data_len: u32,
    value: u32,
    gas: u64,
    ret_len: u32,
) -> Result<u32, Error> {
    do_call(
        &mut c,
        CallKind::Call,
        contract,
        data,
        data_len,
        Some(value),
        gas,
        ret_len,
    )
}

fn delegate_call_contract(
    mut c: C<'_>,
    contract: u32,
    data: u32,
    data_len: u32,
    gas: u64,
    ret_len: u32,
) -> Result<u32, Error> {
    do_call(
        &mut c,
        CallKind::Delegate,
        contract,
        data,
        data_len,
        None,
        gas,
        ret_len,
    )
}

fn static_call_contract(
    mut c: C<'_>,
    contract: u32,
    data: u32,
    data_len: u32,
    gas: u64,
    ret_len: u32,
) -> Result<u32, Error> {
    do_call(
        &mut c,
        CallKind::Static,
        contract,
        data,
        data_len,
        None,
        gas,
        ret_len,
    )
}

// ---------------------------------------------------------------------------------------------
// creates (spec §3.4)
// ---------------------------------------------------------------------------------------------

#[allow(clippy::too_many_arguments)]
fn do_create(
    c: &mut C<'_>,
    code: u32,
    code_len: u32,
    endowment: u32,
    salt: Option<u32>,
    contract: u32,
    revert_len: u32,
) -> Result<(), Error> {
    let start = trace_start(c);
    let (base, name) = match salt {
        None => (base_ink::CREATE1, "create1"),
        Some(_) => (base_ink::CREATE2, "create2"),
    };
    buy_ink(c, base)?;
    pay_for_read(c, code_len.into())?;
    pay_for_read(c, code_len.into())?;
    let init_code = Bytes::from(read_bytes(c, code, code_len)?);
    let endowment = read_u256(c, endowment)?;
    let salt = match salt {
        Some(ptr) => Some(read_b256(c, ptr)?),
        None => None,
    };
    let gas = gas_left(c);
    let env = c.data().env.clone();
    if env.is_static {
        return Err(failure("write protection"));
    }
    let mut base_cost = 32_000u64;
    if salt.is_some() {
        base_cost += 6 * (code_len as u64).div_ceil(32);
    }
    if gas < base_cost {
        return Err(failure("out of gas"));
    }
    let start_gas = gas;
    let mut gas = gas - base_cost;
    let one64th = gas / 64;
    gas -= one64th;
    let scheme = match salt {
        None => CreateScheme::Create,
        Some(s) => CreateScheme::Create2 { salt: s.into() },
    };
    let inputs = CreateInputs::new(env.acting, scheme, endowment, init_code.clone(), gas, 0);
    let trace_mark = super::trace::mark(ctx(c));
    let outcome = nested_create(ctx(c), inputs).map_err(fatal)?;
    let res = &outcome.result;
    let ok = res.result.is_ok();
    let address = if ok {
        outcome.address.unwrap_or_default()
    } else {
        Address::ZERO
    };
    let returned = if res.result.is_ok_or_revert() {
        res.gas.remaining()
    } else {
        0
    };
    let cost = start_gas.saturating_sub(returned + one64th);
    let data = if res.result.is_revert() {
        res.output.clone()
    } else {
        Bytes::new()
    };
    let refund = if ok { res.gas.refunded() } else { 0 };
    buy_gas(c, cost)?;
    let len = data.len() as u32;
    {
        let st = c.data_mut();
        st.return_data = data;
        st.refund += refund;
    }
    write_u32(c, revert_len, len)?;
    write_bytes(c, contract, address.as_slice())?;
    if start.is_some() {
        let _ = super::trace::take_child(ctx(c), trace_mark);
        let mut args = endowment.to_be_bytes::<32>().to_vec();
        if let Some(s) = salt {
            args.extend_from_slice(s.as_slice());
        }
        args.extend_from_slice(&init_code);
        let mut outs = address.to_vec();
        outs.extend_from_slice(&len.to_be_bytes());
        record(c, start, name, || args, || outs);
    }
    Ok(())
}

fn create1(
    mut c: C<'_>,
    code: u32,
    code_len: u32,
    endowment: u32,
    contract: u32,
    revert_len: u32,
) -> Result<(), Error> {
    do_create(
        &mut c, code, code_len, endowment, None, contract, revert_len,
    )
}

fn create2(
    mut c: C<'_>,
    code: u32,
    code_len: u32,
    endowment: u32,
    salt: u32,
    contract: u32,
    revert_len: u32,
) -> Result<(), Error> {
    do_create(
        &mut c,
        code,
        code_len,
        endowment,
        Some(salt),
        contract,
        revert_len,
    )
}

// ---------------------------------------------------------------------------------------------
// return data, logs
// ---------------------------------------------------------------------------------------------

fn read_return_data(mut c: C<'_>, dest: u32, offset: u32, size: u32) -> Result<u32, Error> {
    let start = trace_start(&c);
    buy_ink(&mut c, base_ink::READ_RETURN_DATA)?;
    let rd_len = c.data().return_data.len() as u32;
    let max = rd_len.saturating_sub(offset);
    pay_for_write(&mut c, size.min(max).into())?;
    if max == 0 {
        record(
            &mut c,
            start,
            "read_return_data",
            || trace_off_size(offset, size),
            Vec::new,
        );
        return Ok(0);
    }
    let data = c.data().return_data.clone();
    let from = offset as usize;
    let to = from.saturating_add(size as usize).min(data.len());
    let slice = &data[from..to];
    if !slice.is_empty() {
        write_bytes(&mut c, dest, slice)?;
    }
    record(
        &mut c,
        start,
        "read_return_data",
        || trace_off_size(offset, size),
        || slice.to_vec(),
    );
    Ok(slice.len() as u32)
}

fn trace_off_size(offset: u32, size: u32) -> Vec<u8> {
    [offset.to_be_bytes(), size.to_be_bytes()].concat()
}

fn return_data_size(mut c: C<'_>) -> Result<u32, Error> {
    let start = trace_start(&c);
    buy_ink(&mut c, base_ink::RETURN_DATA_SIZE)?;
    let len = c.data().return_data.len() as u32;
    record(&mut c, start, "return_data_size", Vec::new, || {
        len.to_be_bytes().to_vec()
    });
    Ok(len)
}

fn emit_log(mut c: C<'_>, data: u32, len: u32, topics: u32) -> Result<(), Error> {
    let start = trace_start(&c);
    buy_ink(&mut c, base_ink::EMIT_LOG)?;
    if topics > 4 || len < topics * 32 {
        return Err(failure("bad topic data"));
    }
    pay_for_read(&mut c, len.into())?;
    buy_gas(
        &mut c,
        pricing::log_gas(topics.into(), u64::from(len - topics * 32)),
    )?;
    let bytes = read_bytes(&c, data, len)?;
    if c.data().env.is_static {
        return Err(failure("write protection"));
    }
    let split = topics as usize * 32;
    let topic_list: Vec<B256> = bytes[..split].chunks(32).map(B256::from_slice).collect();
    let log = Log {
        address: c.data().env.acting,
        data: LogData::new_unchecked(topic_list, Bytes::copy_from_slice(&bytes[split..])),
    };
    ctx(&c).journaled_state.log(log);
    record(
        &mut c,
        start,
        "emit_log",
        || [topics.to_be_bytes().to_vec(), bytes.clone()].concat(),
        Vec::new,
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// accounts (spec §3.5)
// ---------------------------------------------------------------------------------------------

fn account_balance(mut c: C<'_>, address: u32, dest: u32) -> Result<(), Error> {
    let start = trace_start(&c);
    buy_ink(&mut c, base_ink::ACCOUNT_BALANCE)?;
    require_gas(&mut c, 2_600)?;
    let address = read_address(&c, address)?;
    let acc = ctx(&c)
        .journaled_state
        .load_account(address)
        .map_err(|e| fatal(e.to_string()))?;
    let balance = acc.data.info.balance;
    let cost = if acc.is_cold { 2_600 } else { 100 };
    buy_gas(&mut c, cost)?;
    write_bytes(&mut c, dest, &balance.to_be_bytes::<32>())?;
    record(
        &mut c,
        start,
        "account_balance",
        || address.to_vec(),
        || balance.to_be_bytes::<32>().to_vec(),
    );
    Ok(())
}

/// Code of `address` and its gas cost for `account_code`/`account_code_size`, through the
/// one-entry per-invocation cache.
fn code_with_cost(c: &mut C<'_>, address: Address) -> Result<(Bytes, u64), Error> {
    if let Some((a, code)) = &c.data().code_cache {
        if *a == address {
            return Ok((code.clone(), 0));
        }
    }
    let env = c.data().env.clone();
    let acc = ctx(c)
        .journaled_state
        .load_account_with_code(address)
        .map_err(|e| fatal(e.to_string()))?;
    let code = acc
        .data
        .info
        .code
        .as_ref()
        .map(Bytecode::original_bytes)
        .unwrap_or_default();
    let access = if acc.is_cold { 2_600 } else { 100 };
    let cost = (env.max_code_size / 24_576) * 700 + access;
    if env.arbos_version < 40 || !code.is_empty() {
        c.data_mut().code_cache = Some((address, code.clone()));
    }
    Ok((code, cost))
}

fn account_code(
    mut c: C<'_>,
    address: u32,
    offset: u32,
    size: u32,
    dest: u32,
) -> Result<u32, Error> {
    let start = trace_start(&c);
    buy_ink(&mut c, base_ink::ACCOUNT_CODE)?;
    require_gas(&mut c, 2_600)?;
    let address = read_address(&c, address)?;
    let (code, cost) = code_with_cost(&mut c, address)?;
    buy_gas(&mut c, cost)?;
    pay_for_write(&mut c, code.len() as u64)?;
    let from = (offset as usize).min(code.len());
    let to = from.saturating_add(size as usize).min(code.len());
    let slice = &code[from..to];
    if !slice.is_empty() {
        write_bytes(&mut c, dest, slice)?;
    }
    record(
        &mut c,
        start,
        "account_code",
        || [address.to_vec(), trace_off_size(offset, size)].concat(),
        || slice.to_vec(),
    );
    Ok(slice.len() as u32)
}

fn account_code_size(mut c: C<'_>, address: u32) -> Result<u32, Error> {
    let start = trace_start(&c);
    buy_ink(&mut c, base_ink::ACCOUNT_CODE_SIZE)?;
    require_gas(&mut c, 2_600)?;
    let address = read_address(&c, address)?;
    let (code, cost) = code_with_cost(&mut c, address)?;
    buy_gas(&mut c, cost)?;
    let len = code.len() as u32;
    record(
        &mut c,
        start,
        "account_code_size",
        || address.to_vec(),
        || len.to_be_bytes().to_vec(),
    );
    Ok(len)
}

fn account_codehash(mut c: C<'_>, address: u32, dest: u32) -> Result<(), Error> {
    let start = trace_start(&c);
    buy_ink(&mut c, base_ink::ACCOUNT_CODEHASH)?;
    require_gas(&mut c, 2_600)?;
    let address = read_address(&c, address)?;
    let acc = ctx(&c)
        .journaled_state
        .load_account_with_code(address)
        .map_err(|e| fatal(e.to_string()))?;
    let exists = !(acc.data.is_loaded_as_not_existing() && acc.data.info.is_empty());
    let hash = if exists {
        acc.data.info.code_hash
    } else {
        B256::ZERO
    };
    let cost = if acc.is_cold { 2_600 } else { 100 };
    buy_gas(&mut c, cost)?;
    write_bytes(&mut c, dest, hash.as_slice())?;
    record(
        &mut c,
        start,
        "account_codehash",
        || address.to_vec(),
        || hash.to_vec(),
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// ink, block and message values
// ---------------------------------------------------------------------------------------------

fn evm_gas_left(mut c: C<'_>) -> Result<u64, Error> {
    let start = trace_start(&c);
    buy_ink(&mut c, base_ink::EVM_GAS_LEFT)?;
    let gas = gas_left(&c);
    record(&mut c, start, "evm_gas_left", Vec::new, || {
        gas.to_be_bytes().to_vec()
    });
    Ok(gas)
}

fn evm_ink_left(mut c: C<'_>) -> Result<u64, Error> {
    let start = trace_start(&c);
    buy_ink(&mut c, base_ink::EVM_INK_LEFT)?;
    let ink = ink_left(&c);
    record(&mut c, start, "evm_ink_left", Vec::new, || {
        ink.to_be_bytes().to_vec()
    });
    Ok(ink)
}

fn write_value(
    c: &mut C<'_>,
    name: &'static str,
    base: u64,
    dest: u32,
    value: &[u8],
) -> Result<(), Error> {
    let start = trace_start(c);
    buy_ink(c, base)?;
    write_bytes(c, dest, value)?;
    record(c, start, name, Vec::new, || value.to_vec());
    Ok(())
}

fn return_u64(c: &mut C<'_>, name: &'static str, base: u64, value: u64) -> Result<u64, Error> {
    let start = trace_start(c);
    buy_ink(c, base)?;
    record(c, start, name, Vec::new, || value.to_be_bytes().to_vec());
    Ok(value)
}

fn block_basefee(mut c: C<'_>, dest: u32) -> Result<(), Error> {
    let v = U256::from(ctx(&c).block.basefee).to_be_bytes::<32>();
    write_value(&mut c, "block_basefee", base_ink::BLOCK_BASEFEE, dest, &v)
}

fn chainid(mut c: C<'_>) -> Result<u64, Error> {
    let v = ctx(&c).cfg.chain_id;
    return_u64(&mut c, "chainid", base_ink::CHAINID, v)
}

fn block_coinbase(mut c: C<'_>, dest: u32) -> Result<(), Error> {
    let v = ctx(&c).block.beneficiary;
    write_value(
        &mut c,
        "block_coinbase",
        base_ink::BLOCK_COINBASE,
        dest,
        v.as_slice(),
    )
}

fn block_gas_limit(mut c: C<'_>) -> Result<u64, Error> {
    let v = ctx(&c).block.gas_limit;
    return_u64(&mut c, "block_gas_limit", base_ink::BLOCK_GAS_LIMIT, v)
}

fn block_number(mut c: C<'_>) -> Result<u64, Error> {
    let v = ctx(&c).block.number.saturating_to::<u64>();
    return_u64(&mut c, "block_number", base_ink::BLOCK_NUMBER, v)
}

fn block_timestamp(mut c: C<'_>) -> Result<u64, Error> {
    let v = ctx(&c).block.timestamp.saturating_to::<u64>();
    return_u64(&mut c, "block_timestamp", base_ink::BLOCK_TIMESTAMP, v)
}

fn contract_address(mut c: C<'_>, dest: u32) -> Result<(), Error> {
    let v = c.data().env.acting;
    write_value(
        &mut c,
        "contract_address",
        base_ink::CONTRACT_ADDRESS,
        dest,
        v.as_slice(),
    )
}

fn msg_reentrant(mut c: C<'_>) -> Result<u32, Error> {
    let start = trace_start(&c);
    buy_ink(&mut c, base_ink::MSG_REENTRANT)?;
    let v = c.data().env.reentrant as u32;
    record(&mut c, start, "msg_reentrant", Vec::new, || {
        v.to_be_bytes().to_vec()
    });
    Ok(v)
}

fn msg_sender(mut c: C<'_>, dest: u32) -> Result<(), Error> {
    let v = c.data().env.caller;
    write_value(
        &mut c,
        "msg_sender",
        base_ink::MSG_SENDER,
        dest,
        v.as_slice(),
    )
}

fn msg_value(mut c: C<'_>, dest: u32) -> Result<(), Error> {
    let v = c.data().env.value.to_be_bytes::<32>();
    write_value(&mut c, "msg_value", base_ink::MSG_VALUE, dest, &v)
}

fn tx_gas_price(mut c: C<'_>, dest: u32) -> Result<(), Error> {
    let v = U256::from(super::tx_gas_price(ctx(&c))).to_be_bytes::<32>();
    write_value(&mut c, "tx_gas_price", base_ink::TX_GAS_PRICE, dest, &v)
}

fn tx_ink_price(mut c: C<'_>) -> Result<u32, Error> {
    let start = trace_start(&c);
    buy_ink(&mut c, base_ink::TX_INK_PRICE)?;
    let v = c.data().env.ink_price as u32;
    record(&mut c, start, "tx_ink_price", Vec::new, || {
        v.to_be_bytes().to_vec()
    });
    Ok(v)
}

fn tx_origin(mut c: C<'_>, dest: u32) -> Result<(), Error> {
    let v = ctx(&c).tx.caller;
    write_value(&mut c, "tx_origin", base_ink::TX_ORIGIN, dest, v.as_slice())
}

// ---------------------------------------------------------------------------------------------
// math
// ---------------------------------------------------------------------------------------------

fn math2(
    c: &mut C<'_>,
    name: &'static str,
    base: u64,
    a: u32,
    b: u32,
    f: fn(U256, U256) -> U256,
) -> Result<(), Error> {
    let start = trace_start(c);
    buy_ink(c, base)?;
    let x = read_u256(c, a)?;
    let y = read_u256(c, b)?;
    let r = f(x, y);
    write_bytes(c, a, &r.to_be_bytes::<32>())?;
    record(
        c,
        start,
        name,
        || [x.to_be_bytes::<32>(), y.to_be_bytes::<32>()].concat(),
        || r.to_be_bytes::<32>().to_vec(),
    );
    Ok(())
}

fn math3(
    c: &mut C<'_>,
    name: &'static str,
    base: u64,
    ptrs: [u32; 3],
    f: fn(U256, U256, U256) -> U256,
) -> Result<(), Error> {
    let start = trace_start(c);
    buy_ink(c, base)?;
    let x = read_u256(c, ptrs[0])?;
    let y = read_u256(c, ptrs[1])?;
    let m = read_u256(c, ptrs[2])?;
    let r = f(x, y, m);
    write_bytes(c, ptrs[0], &r.to_be_bytes::<32>())?;
    record(
        c,
        start,
        name,
        || {
            [
                x.to_be_bytes::<32>(),
                y.to_be_bytes::<32>(),
                m.to_be_bytes::<32>(),
            ]
            .concat()
        },
        || r.to_be_bytes::<32>().to_vec(),
    );
    Ok(())
}

fn math_div(mut c: C<'_>, a: u32, b: u32) -> Result<(), Error> {
    math2(&mut c, "math_div", base_ink::MATH_DIV, a, b, |x, y| {
        x.checked_div(y).unwrap_or_default()
    })
}

fn math_mod(mut c: C<'_>, a: u32, b: u32) -> Result<(), Error> {
    math2(&mut c, "math_mod", base_ink::MATH_MOD, a, b, |x, y| {
        x.checked_rem(y).unwrap_or_default()
    })
}

fn math_pow(mut c: C<'_>, a: u32, e: u32) -> Result<(), Error> {
    let start = trace_start(&c);
    buy_ink(&mut c, base_ink::MATH_POW)?;
    let x = read_u256(&c, a)?;
    let y = read_fixed::<32>(&c, e)?;
    buy_ink(&mut c, pricing::pow_price(&y))?;
    let r = x.wrapping_pow(U256::from_be_bytes(y));
    write_bytes(&mut c, a, &r.to_be_bytes::<32>())?;
    record(
        &mut c,
        start,
        "math_pow",
        || [x.to_be_bytes::<32>(), y].concat(),
        || r.to_be_bytes::<32>().to_vec(),
    );
    Ok(())
}

fn math_add_mod(mut c: C<'_>, a: u32, b: u32, m: u32) -> Result<(), Error> {
    math3(
        &mut c,
        "math_add_mod",
        base_ink::MATH_ADD_MOD,
        [a, b, m],
        |x, y, m| x.add_mod(y, m),
    )
}

fn math_mul_mod(mut c: C<'_>, a: u32, b: u32, m: u32) -> Result<(), Error> {
    math3(
        &mut c,
        "math_mul_mod",
        base_ink::MATH_MUL_MOD,
        [a, b, m],
        |x, y, m| x.mul_mod(y, m),
    )
}

fn native_keccak256(mut c: C<'_>, input: u32, len: u32, output: u32) -> Result<(), Error> {
    let start = trace_start(&c);
    buy_ink(&mut c, pricing::keccak_price(len.into()))?;
    let preimage = read_bytes(&c, input, len)?;
    let digest = keccak256(&preimage);
    write_bytes(&mut c, output, digest.as_slice())?;
    record(
        &mut c,
        start,
        "native_keccak256",
        || preimage,
        || digest.to_vec(),
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// memory growth (spec §2.6)
// ---------------------------------------------------------------------------------------------

fn pay_for_memory_grow(mut c: C<'_>, pages: u32) -> Result<(), Error> {
    let start = trace_start(&c);
    let pages = pages as u16;
    if pages == 0 {
        buy_ink(&mut c, base_ink::PAY_FOR_MEMORY_GROW)?;
    } else {
        let cost = super::add_pages(ctx(&c), pages);
        buy_gas(&mut c, cost)?;
    }
    record(
        &mut c,
        start,
        "pay_for_memory_grow",
        || pages.to_be_bytes().to_vec(),
        Vec::new,
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// console (debug chains)
// ---------------------------------------------------------------------------------------------

fn console_log_txt(mut c: C<'_>, ptr: u32, len: u32) -> Result<(), Error> {
    let start = trace_start(&c);
    let text = read_bytes(&c, ptr, len)?;
    tracing::info!(target: "stylus", "Stylus says: {}", String::from_utf8_lossy(&text));
    record(&mut c, start, "console_log_text", || text, Vec::new);
    Ok(())
}

fn console_log(c: &mut C<'_>, text: String) {
    let start = trace_start(c);
    tracing::info!(target: "stylus", "Stylus says: {text}");
    record(c, start, "console_log", || text.into_bytes(), Vec::new);
}

/// Builds a linker with the 42 `vm_hooks` and the `console` imports.
pub fn linker(engine: &wasmi::Engine) -> Result<Linker<HostState>, wasmi::errors::LinkerError> {
    let mut l = Linker::<HostState>::new(engine);
    const H: &str = "vm_hooks";
    l.func_wrap(H, "read_args", read_args)?;
    l.func_wrap(H, "write_result", write_result)?;
    l.func_wrap(H, "exit_early", exit_early)?;
    l.func_wrap(H, "storage_load_bytes32", storage_load_bytes32)?;
    l.func_wrap(H, "storage_cache_bytes32", storage_cache_bytes32)?;
    l.func_wrap(H, "storage_flush_cache", storage_flush_cache)?;
    l.func_wrap(H, "transient_load_bytes32", transient_load_bytes32)?;
    l.func_wrap(H, "transient_store_bytes32", transient_store_bytes32)?;
    l.func_wrap(H, "call_contract", call_contract)?;
    l.func_wrap(H, "delegate_call_contract", delegate_call_contract)?;
    l.func_wrap(H, "static_call_contract", static_call_contract)?;
    l.func_wrap(H, "create1", create1)?;
    l.func_wrap(H, "create2", create2)?;
    l.func_wrap(H, "read_return_data", read_return_data)?;
    l.func_wrap(H, "return_data_size", return_data_size)?;
    l.func_wrap(H, "emit_log", emit_log)?;
    l.func_wrap(H, "account_balance", account_balance)?;
    l.func_wrap(H, "account_code", account_code)?;
    l.func_wrap(H, "account_code_size", account_code_size)?;
    l.func_wrap(H, "account_codehash", account_codehash)?;
    l.func_wrap(H, "evm_gas_left", evm_gas_left)?;
    l.func_wrap(H, "evm_ink_left", evm_ink_left)?;
    l.func_wrap(H, "block_basefee", block_basefee)?;
    l.func_wrap(H, "chainid", chainid)?;
    l.func_wrap(H, "block_coinbase", block_coinbase)?;
    l.func_wrap(H, "block_gas_limit", block_gas_limit)?;
    l.func_wrap(H, "block_number", block_number)?;
    l.func_wrap(H, "block_timestamp", block_timestamp)?;
    l.func_wrap(H, "contract_address", contract_address)?;
    l.func_wrap(H, "math_div", math_div)?;
    l.func_wrap(H, "math_mod", math_mod)?;
    l.func_wrap(H, "math_pow", math_pow)?;
    l.func_wrap(H, "math_add_mod", math_add_mod)?;
    l.func_wrap(H, "math_mul_mod", math_mul_mod)?;
    l.func_wrap(H, "msg_reentrant", msg_reentrant)?;
    l.func_wrap(H, "msg_sender", msg_sender)?;
    l.func_wrap(H, "msg_value", msg_value)?;
    l.func_wrap(H, "native_keccak256", native_keccak256)?;
    l.func_wrap(H, "tx_gas_price", tx_gas_price)?;
    l.func_wrap(H, "tx_ink_price", tx_ink_price)?;
    l.func_wrap(H, "tx_origin", tx_origin)?;
    l.func_wrap(H, "pay_for_memory_grow", pay_for_memory_grow)?;
    const CON: &str = "console";
    l.func_wrap(CON, "log_txt", console_log_txt)?;
    l.func_wrap(CON, "log_i32", |mut c: C<'_>, v: i32| {
        console_log(&mut c, v.to_string())
    })?;
    l.func_wrap(CON, "log_i64", |mut c: C<'_>, v: i64| {
        console_log(&mut c, v.to_string())
    })?;
    l.func_wrap(CON, "log_f32", |mut c: C<'_>, v: f32| {
        console_log(&mut c, v.to_string())
    })?;
    l.func_wrap(CON, "log_f64", |mut c: C<'_>, v: f64| {
        console_log(&mut c, v.to_string())
    })?;
    l.func_wrap(CON, "tee_i32", |mut c: C<'_>, v: i32| {
        console_log(&mut c, v.to_string());
        v
    })?;
    l.func_wrap(CON, "tee_i64", |mut c: C<'_>, v: i64| {
        console_log(&mut c, v.to_string());
        v
    })?;
    l.func_wrap(CON, "tee_f32", |mut c: C<'_>, v: f32| {
        console_log(&mut c, v.to_string());
        v
    })?;
    l.func_wrap(CON, "tee_f64", |mut c: C<'_>, v: f64| {
        console_log(&mut c, v.to_string());
        v
    })?;
    Ok(l)
}

#[cfg(test)]
mod tests {
    use super::sstore_cost;
    use revm::primitives::U256;

    fn u(v: u64) -> U256 {
        U256::from(v)
    }

    #[test]
    fn sstore_costs_follow_eip2200_2929_3529() {
        // no-op (warm / cold)
        assert_eq!(sstore_cost(u(1), u(1), u(1), false), (100, 0));
        assert_eq!(sstore_cost(u(1), u(1), u(1), true), (2_200, 0));
        // fresh slot, update, clear
        assert_eq!(sstore_cost(u(0), u(0), u(5), false), (20_000, 0));
        assert_eq!(sstore_cost(u(3), u(3), u(5), true), (5_000, 0));
        assert_eq!(sstore_cost(u(3), u(3), u(0), false), (2_900, 4_800));
        // dirty slot: 100, with refund adjustments
        assert_eq!(sstore_cost(u(3), u(0), u(5), false), (100, -4_800));
        assert_eq!(sstore_cost(u(3), u(4), u(0), false), (100, 4_800));
        assert_eq!(sstore_cost(u(0), u(4), u(0), false), (100, 19_900));
        assert_eq!(sstore_cost(u(3), u(4), u(3), false), (100, 2_800));
        assert_eq!(sstore_cost(u(3), u(0), u(3), false), (100, -4_800 + 2_800));
    }
}
