//! ArbWasm (0x71): activation (§1.4), lifecycle (§1.10) and parameter views (§1.12).

use alloy::primitives::{Address, Bytes, B256, U256};
use alloy::sol_types::{SolCall, SolEvent};
use devnode_wasm::StylusParams;
use revm::context::JournalTr;

use super::abi::ArbWasm::{self as W};
use super::{args, ret, Failure, Frame, PResult, Purity};
use crate::context::ArbConfig;
use crate::programs::{self, ProgramRecord, ProgramStatus};

/// Purity of each ArbWasm method enabled at `cfg.arbos_version`.
pub(super) fn purity(cfg: &ArbConfig, sel: [u8; 4]) -> Option<Purity> {
    Some(match sel {
        W::activateProgramCall::SELECTOR | W::codehashKeepaliveCall::SELECTOR => Purity::Payable,
        W::minInitGasCall::SELECTOR if cfg.arbos_version < 32 => return None,
        W::activationGasCall::SELECTOR if cfg.arbos_version < 60 => return None,
        W::stylusVersionCall::SELECTOR
        | W::codehashVersionCall::SELECTOR
        | W::codehashAsmSizeCall::SELECTOR
        | W::programVersionCall::SELECTOR
        | W::programInitGasCall::SELECTOR
        | W::programMemoryFootprintCall::SELECTOR
        | W::programTimeLeftCall::SELECTOR
        | W::inkPriceCall::SELECTOR
        | W::maxStackDepthCall::SELECTOR
        | W::freePagesCall::SELECTOR
        | W::pageGasCall::SELECTOR
        | W::pageRampCall::SELECTOR
        | W::pageLimitCall::SELECTOR
        | W::minInitGasCall::SELECTOR
        | W::initCostScalarCall::SELECTOR
        | W::expiryDaysCall::SELECTOR
        | W::keepaliveDaysCall::SELECTOR
        | W::blockCacheSizeCall::SELECTOR
        | W::activationGasCall::SELECTOR => Purity::View,
        _ => return None,
    })
}

/// The lifecycle error of a non-active program as a Solidity custom error.
pub(crate) fn status_error(status: ProgramStatus, params: &StylusParams) -> Failure {
    match status {
        ProgramStatus::Active => Failure::PlainRevert,
        ProgramStatus::NotActivated => Failure::error(W::ProgramNotActivated {}),
        ProgramStatus::NeedsUpgrade(v) => Failure::error(W::ProgramNeedsUpgrade {
            version: v,
            stylusVersion: params.version,
        }),
        ProgramStatus::Expired(age) => Failure::error(W::ProgramExpired { ageInSeconds: age }),
    }
}

/// Params + the active record of `codehash` (or the lifecycle error).
fn active_program(
    f: &mut Frame<'_>,
    codehash: B256,
) -> Result<(StylusParams, ProgramRecord), Failure> {
    let params = f.params()?;
    let now = f.now();
    let (j, m) = f.state();
    let rec = programs::load_record(j, m, codehash)?;
    match programs::program_status(&rec, now, &params) {
        ProgramStatus::Active => Ok((params, rec)),
        s => Err(status_error(s, &params)),
    }
}

pub(super) fn call(f: &mut Frame<'_>, sel: [u8; 4], input: &[u8]) -> PResult {
    match sel {
        W::activateProgramCall::SELECTOR => {
            let a = args::<W::activateProgramCall>(input)?;
            let out = activate_program(f, a.program)?;
            ret::<W::activateProgramCall>(W::activateProgramReturn {
                version: out.version,
                dataFee: out.data_fee,
            })
        }
        W::stylusVersionCall::SELECTOR => ret::<W::stylusVersionCall>(f.params()?.version),
        W::codehashVersionCall::SELECTOR => {
            let a = args::<W::codehashVersionCall>(input)?;
            let (_, rec) = active_program(f, a.codehash)?;
            ret::<W::codehashVersionCall>(rec.version)
        }
        W::codehashKeepaliveCall::SELECTOR => {
            let a = args::<W::codehashKeepaliveCall>(input)?;
            keepalive(f, a.codehash)?;
            Ok(Bytes::new())
        }
        W::codehashAsmSizeCall::SELECTOR => {
            let a = args::<W::codehashAsmSizeCall>(input)?;
            let (_, rec) = active_program(f, a.codehash)?;
            ret::<W::codehashAsmSizeCall>(rec.asm_size())
        }
        W::programVersionCall::SELECTOR => {
            let a = args::<W::programVersionCall>(input)?;
            let h = f.codehash(a.program)?;
            let (_, rec) = active_program(f, h)?;
            ret::<W::programVersionCall>(rec.version)
        }
        W::programInitGasCall::SELECTOR => {
            let a = args::<W::programInitGasCall>(input)?;
            let h = f.codehash(a.program)?;
            let (params, rec) = active_program(f, h)?;
            let (gas, cached) = params.program_init_gas_pair(rec.init_cost, rec.cached_init_cost);
            ret::<W::programInitGasCall>(W::programInitGasReturn {
                gas,
                gasWhenCached: cached,
            })
        }
        W::programMemoryFootprintCall::SELECTOR => {
            let a = args::<W::programMemoryFootprintCall>(input)?;
            let h = f.codehash(a.program)?;
            let (_, rec) = active_program(f, h)?;
            ret::<W::programMemoryFootprintCall>(rec.footprint)
        }
        W::programTimeLeftCall::SELECTOR => {
            let a = args::<W::programTimeLeftCall>(input)?;
            let h = f.codehash(a.program)?;
            let (params, rec) = active_program(f, h)?;
            let left = params.expiry_seconds().saturating_sub(rec.age(f.now()));
            ret::<W::programTimeLeftCall>(left)
        }
        W::inkPriceCall::SELECTOR => ret::<W::inkPriceCall>(f.params()?.ink_price),
        W::maxStackDepthCall::SELECTOR => ret::<W::maxStackDepthCall>(f.params()?.max_stack_depth),
        W::freePagesCall::SELECTOR => ret::<W::freePagesCall>(f.params()?.free_pages),
        W::pageGasCall::SELECTOR => ret::<W::pageGasCall>(f.params()?.page_gas),
        W::pageRampCall::SELECTOR => ret::<W::pageRampCall>(f.params()?.page_ramp),
        W::pageLimitCall::SELECTOR => ret::<W::pageLimitCall>(f.params()?.page_limit),
        W::minInitGasCall::SELECTOR => {
            let p = f.params()?;
            ret::<W::minInitGasCall>(W::minInitGasReturn {
                gas: p.min_init_gas_total(),
                cached: p.min_cached_init_gas_total(),
            })
        }
        W::initCostScalarCall::SELECTOR => {
            ret::<W::initCostScalarCall>(f.params()?.init_cost_scalar_percent())
        }
        W::expiryDaysCall::SELECTOR => ret::<W::expiryDaysCall>(f.params()?.expiry_days),
        W::keepaliveDaysCall::SELECTOR => ret::<W::keepaliveDaysCall>(f.params()?.keepalive_days),
        W::blockCacheSizeCall::SELECTOR => {
            ret::<W::blockCacheSizeCall>(f.params()?.block_cache_size)
        }
        W::activationGasCall::SELECTOR => ret::<W::activationGasCall>(f.params()?.activation_gas),
        _ => Err(Failure::RevertAllGas),
    }
}

/// Result of a successful activation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActivationOutcome {
    /// Stylus version the program is now active at.
    pub version: u16,
    /// Data fee charged (wei).
    pub data_fee: U256,
    /// Codehash the record is stored under.
    pub codehash: B256,
    /// Module hash stored for it.
    pub module_hash: B256,
}

/// `activateProgram(program)` with the exact step order of §1.4. Value (`f.value`) has already
/// been moved to 0x71 by revm; the data fee goes to the network fee account and the excess
/// back to `f.caller` by direct balance transfer.
pub(crate) fn activate_program(
    f: &mut Frame<'_>,
    program: Address,
) -> Result<ActivationOutcome, Failure> {
    let cfg = f.ctx.chain.config.clone();
    // 2. (ArbOS ≥ 60) flat ActivationGas — read below once params are loaded.
    // 3. "begin activation".
    f.burn(devnode_wasm::ACTIVATION_FIXED_GAS)?;
    // 4. self-destructed in this transaction → plain error.
    {
        let acc = f
            .journal()
            .load_account_with_code(program)
            .map_err(|e| Failure::Fatal(e.to_string()))?;
        if acc.data.is_selfdestructed() {
            return Err(Failure::PlainRevert);
        }
    }
    // 5. params (warm) + existing record.
    let params = f.params()?;
    if cfg.arbos_version >= 60 {
        f.burn(params.activation_gas)?;
    }
    let (codehash, code) = {
        let acc = f
            .journal()
            .load_account_with_code(program)
            .map_err(|e| Failure::Fatal(e.to_string()))?;
        let info = &acc.data.info;
        let code = info
            .code
            .as_ref()
            .map(|c| c.original_bytes())
            .unwrap_or_default();
        (info.code_hash, code)
    };
    let now = f.now();
    let existing = {
        let (j, m) = f.state();
        programs::load_record(j, m, codehash)?
    };
    if programs::program_status(&existing, now, &params) == ProgramStatus::Active {
        return Err(Failure::error(W::ProgramUpToDate {}));
    }
    // 6. fetch and decompress the wasm.
    if code.is_empty() {
        return Err(Failure::error(W::ProgramNotWasm {}));
    }
    let fragments = cfg.arbos_version >= devnode_wasm::ARBOS_VERSION_FRAGMENTS;
    let wasm = if devnode_wasm::is_stylus_program(&code) {
        devnode_wasm::decompress_program(&code, params.max_wasm_size)
            .map_err(|_| Failure::PlainRevert)?
    } else if fragments && devnode_wasm::is_stylus_root(&code) {
        root_wasm(f, &code, &params, cfg.max_code_size)?
    } else if fragments && !devnode_wasm::is_stylus_fragment(&code) {
        return Err(Failure::error(W::ProgramNotWasm {}));
    } else {
        // Before ArbOS 60: "not a Stylus program"; from 60 a fragment: "fragmented stylus
        // programs cannot be activated directly".
        return Err(Failure::PlainRevert);
    };
    // 7. page limit left in this transaction.
    let page_limit = params
        .page_limit
        .saturating_sub(f.ctx.chain.stylus.open_pages);
    // 8. validate + instrument + costs, then the compute gas item by item.
    let act = devnode_wasm::activate(&wasm, page_limit, &params, cfg.debug, cfg.arbos_version)
        .map_err(|e| Failure::Halt(format!("program activation failed: {e}")))?;
    for item in act.compile_gas_items {
        if f.meter.burn(item).is_err() {
            return Err(Failure::Halt(
                "program activation failed: out of gas".into(),
            ));
        }
    }
    // Warm the runtime's compiled-module cache (a pure function of the code; a miss would
    // re-derive it, so a failure here is not an activation failure).
    let _ = crate::stylus::engine::cache_instrumented(codehash, cfg.debug, &act.instrumented);
    // 9. module hash, data pricer, record.
    let module_hash = B256::from(act.module_hash);
    let record = ProgramRecord {
        version: params.version,
        init_cost: act.init_cost,
        cached_init_cost: act.cached_init_cost,
        footprint: act.footprint,
        activated_at_hours: programs::hours_since_epoch(now),
        asm_estimate_kb: act.asm_estimate_kb().min(0xFF_FFFF),
        // `--cache-all-programs`: cached from activation on, as if a manager had cached it.
        cached: existing.cached || cfg.cache_all_programs,
    };
    let data_fee = {
        let (j, m) = f.state();
        programs::store_module_hash(j, m, codehash, module_hash)?;
        let fee = programs::data_pricer_update(j, m, act.asm_estimate, now)?;
        programs::store_record(j, m, codehash, &record)?;
        fee
    };
    // 10. the data fee.
    pay_data_fee(f, data_fee)?;
    // 11. event.
    let ev = W::ProgramActivated {
        codehash,
        moduleHash: module_hash,
        program,
        dataFee: data_fee,
        version: params.version,
    };
    f.emit(ev.encode_log_data())?;
    Ok(ActivationOutcome {
        version: params.version,
        data_fee,
        codehash,
        module_hash,
    })
}

/// Gas of a cold account access (EIP-2929).
const COLD_ACCOUNT_GAS: u64 = 2_600;
/// Gas of a warm account access.
const WARM_ACCOUNT_GAS: u64 = 100;
/// Gas per 32-byte word of fragment code read.
const CODE_WORD_GAS: u64 = 3;

/// The wasm of a root program (ArbOS 60, spec §1.4 step 6): for each fragment, require the
/// worst-case read (access + 3 gas per word of `MaxCodeSize`), then charge the access (warm 100 /
/// cold 2 600, warming it) and 3 gas per word of the fragment's code; concatenate the payloads
/// and decompress. Malformed roots, missing prefixes and bad streams are plain errors.
fn root_wasm(
    f: &mut Frame<'_>,
    code: &[u8],
    params: &StylusParams,
    max_code_size: usize,
) -> Result<Vec<u8>, Failure> {
    let root = devnode_wasm::parse_root(code, params.max_fragment_count)
        .map_err(|_| Failure::PlainRevert)?;
    let worst_words = (max_code_size as u64).div_ceil(32);
    let mut codes = Vec::with_capacity(root.fragments.len());
    for fragment in &root.fragments {
        let (cold, fragment_code) = {
            let acc = f
                .journal()
                .load_account_with_code(Address::from(*fragment))
                .map_err(|e| Failure::Fatal(e.to_string()))?;
            let code = acc
                .data
                .info
                .code
                .as_ref()
                .map(|c| c.original_bytes())
                .unwrap_or_default();
            (acc.is_cold, code)
        };
        let access = if cold {
            COLD_ACCOUNT_GAS
        } else {
            WARM_ACCOUNT_GAS
        };
        f.meter.require(access + CODE_WORD_GAS * worst_words)?;
        f.burn(access)?;
        f.burn(CODE_WORD_GAS * (fragment_code.len() as u64).div_ceil(32))?;
        codes.push(fragment_code);
    }
    devnode_wasm::decompress_root(&root, &codes, params.max_wasm_size)
        .map_err(|_| Failure::PlainRevert)
}

/// Pays `fee` out of the value sent to 0x71: fee → network fee account, rest → caller.
fn pay_data_fee(f: &mut Frame<'_>, fee: U256) -> Result<(), Failure> {
    if f.value < fee {
        return Err(Failure::error(W::ProgramInsufficientValue {
            have: f.value,
            want: fee,
        }));
    }
    let network = {
        let (j, m) = f.state();
        programs::load_network_fee_account(j, m)?
    };
    let me = f.address;
    f.transfer(me, network, fee)?;
    let excess = f.value - fee;
    let caller = f.caller;
    f.transfer(me, caller, excess)
}

/// `codehashKeepalive(codehash)` (§1.10).
fn keepalive(f: &mut Frame<'_>, codehash: B256) -> Result<(), Failure> {
    let (params, mut rec) = active_program(f, codehash)?;
    let now = f.now();
    let age = rec.age(now);
    if age < params.keepalive_seconds() {
        return Err(Failure::error(W::ProgramKeepaliveTooSoon {
            ageInSeconds: age,
        }));
    }
    let bytes = rec.asm_size();
    rec.activated_at_hours = programs::hours_since_epoch(now);
    let fee = {
        let (j, m) = f.state();
        let fee = programs::data_pricer_update(j, m, bytes, now)?;
        programs::store_record(j, m, codehash, &rec)?;
        fee
    };
    pay_data_fee(f, fee)?;
    let ev = W::ProgramLifetimeExtended {
        codehash,
        dataFee: fee,
    };
    f.emit(ev.encode_log_data())
}
