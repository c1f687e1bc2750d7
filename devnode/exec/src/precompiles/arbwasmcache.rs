//! ArbWasmCache (0x72): chain owners and cache managers mark programs cached (§1.10).

use alloy::primitives::{Bytes, B256};
use alloy::sol_types::{SolCall, SolEvent};

use super::abi::ArbWasmCache::{self as C};
use super::arbwasm::status_error;
use super::{args, ret, Failure, Frame, PResult, Purity};
use crate::context::ArbConfig;
use crate::programs::{self, ProgramStatus, CACHE_MANAGERS, CHAIN_OWNERS};

pub(super) fn purity(cfg: &ArbConfig, sel: [u8; 4]) -> Option<Purity> {
    Some(match sel {
        C::isCacheManagerCall::SELECTOR
        | C::allCacheManagersCall::SELECTOR
        | C::codehashIsCachedCall::SELECTOR => Purity::View,
        C::cacheCodehashCall::SELECTOR if cfg.arbos_version < 31 => Purity::Write,
        C::cacheProgramCall::SELECTOR if cfg.arbos_version >= 31 => Purity::Write,
        C::evictCodehashCall::SELECTOR => Purity::Write,
        _ => return None,
    })
}

pub(super) fn call(f: &mut Frame<'_>, sel: [u8; 4], input: &[u8]) -> PResult {
    match sel {
        C::isCacheManagerCall::SELECTOR => {
            let a = args::<C::isCacheManagerCall>(input)?;
            let (j, m) = f.state();
            ret::<C::isCacheManagerCall>(CACHE_MANAGERS.contains(j, m, a.manager)?)
        }
        C::allCacheManagersCall::SELECTOR => {
            let (j, m) = f.state();
            ret::<C::allCacheManagersCall>(CACHE_MANAGERS.all(j, m)?)
        }
        C::codehashIsCachedCall::SELECTOR => {
            let a = args::<C::codehashIsCachedCall>(input)?;
            let (j, m) = f.state();
            ret::<C::codehashIsCachedCall>(programs::load_record(j, m, a.codehash)?.cached)
        }
        C::cacheCodehashCall::SELECTOR => {
            let a = args::<C::cacheCodehashCall>(input)?;
            set_cached(f, a.codehash, true)
        }
        C::cacheProgramCall::SELECTOR => {
            let a = args::<C::cacheProgramCall>(input)?;
            authorize(f)?;
            let h = f.codehash(a.addr)?;
            set_cached_authorized(f, h, true)
        }
        C::evictCodehashCall::SELECTOR => {
            let a = args::<C::evictCodehashCall>(input)?;
            set_cached(f, a.codehash, false)
        }
        _ => Err(Failure::RevertAllGas),
    }
}

/// Only cache managers and chain owners may change the cache; others burn all their gas.
fn authorize(f: &mut Frame<'_>) -> Result<(), Failure> {
    let caller = f.caller;
    let (j, m) = f.state();
    if CACHE_MANAGERS.contains(j, m, caller)? || CHAIN_OWNERS.contains(j, m, caller)? {
        return Ok(());
    }
    Err(Failure::OutOfGas)
}

fn set_cached(f: &mut Frame<'_>, codehash: B256, cache: bool) -> PResult {
    authorize(f)?;
    set_cached_authorized(f, codehash, cache)
}

fn set_cached_authorized(f: &mut Frame<'_>, codehash: B256, cache: bool) -> PResult {
    let params = f.params()?;
    let now = f.now();
    let mut rec = {
        let (j, m) = f.state();
        programs::load_record(j, m, codehash)?
    };
    if cache {
        match programs::program_status(&rec, now, &params) {
            ProgramStatus::Active => {}
            ProgramStatus::NotActivated => {
                return Err(status_error(ProgramStatus::NeedsUpgrade(0), &params))
            }
            s => return Err(status_error(s, &params)),
        }
    }
    if rec.cached == cache {
        return Ok(Bytes::new());
    }
    let ev = C::UpdateProgramCache {
        manager: f.caller,
        codehash,
        cached: cache,
    };
    f.emit(ev.encode_log_data())?;
    // Changing the cache state costs the program's raw init cost.
    f.burn(u64::from(rec.init_cost))?;
    rec.cached = cache;
    let (j, m) = f.state();
    programs::store_record(j, m, codehash, &rec)?;
    Ok(Bytes::new())
}
