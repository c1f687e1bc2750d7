//! ArbOwner (0x70, chain owners only) and ArbOwnerPublic (0x6b) (§5.5, §1.12).
//!
//! Non-owners calling ArbOwner get the non-revert error "unauthorized caller to
//! access-controlled method" (all gas consumed); owners call for free, and every non-view call
//! emits `OwnerActs(method, owner, calldata)`.

use alloy::primitives::Bytes;
use alloy::sol_types::{SolCall, SolEvent};
use devnode_wasm::StylusParams;

use super::abi::ArbOwner::{self as O};
use super::abi::ArbOwnerPublic::{self as P};
use super::{args, ret, Failure, Frame, PResult, Purity};
use crate::context::ArbConfig;
use crate::programs::{self, Meter, CACHE_MANAGERS, CHAIN_OWNERS};

pub(super) fn public_purity(cfg: &ArbConfig, sel: [u8; 4]) -> Option<Purity> {
    Some(match sel {
        P::getMaxStylusContractFragmentsCall::SELECTOR if cfg.arbos_version < 60 => return None,
        P::getMaxStylusContractFragmentsCall::SELECTOR => Purity::View,
        P::isChainOwnerCall::SELECTOR
        | P::getAllChainOwnersCall::SELECTOR
        | P::getNetworkFeeAccountCall::SELECTOR
        | P::getInfraFeeAccountCall::SELECTOR
        | P::getBrotliCompressionLevelCall::SELECTOR => Purity::View,
        _ => return None,
    })
}

pub(super) fn public_call(f: &mut Frame<'_>, sel: [u8; 4], input: &[u8]) -> PResult {
    match sel {
        P::isChainOwnerCall::SELECTOR => {
            let a = args::<P::isChainOwnerCall>(input)?;
            let (j, m) = f.state();
            ret::<P::isChainOwnerCall>(CHAIN_OWNERS.contains(j, m, a.addr)?)
        }
        P::getAllChainOwnersCall::SELECTOR => {
            let (j, m) = f.state();
            ret::<P::getAllChainOwnersCall>(CHAIN_OWNERS.all(j, m)?)
        }
        P::getNetworkFeeAccountCall::SELECTOR => {
            let (j, m) = f.state();
            ret::<P::getNetworkFeeAccountCall>(programs::load_network_fee_account(j, m)?)
        }
        P::getInfraFeeAccountCall::SELECTOR => {
            let (j, m) = f.state();
            ret::<P::getInfraFeeAccountCall>(programs::load_network_fee_account(j, m)?)
        }
        P::getBrotliCompressionLevelCall::SELECTOR => ret::<P::getBrotliCompressionLevelCall>(0),
        P::getMaxStylusContractFragmentsCall::SELECTOR => {
            ret::<P::getMaxStylusContractFragmentsCall>(f.params()?.max_fragment_count)
        }
        _ => Err(Failure::RevertAllGas),
    }
}

fn owner_purity(cfg: &ArbConfig, sel: [u8; 4]) -> Option<Purity> {
    Some(match sel {
        O::isChainOwnerCall::SELECTOR
        | O::getAllChainOwnersCall::SELECTOR
        | O::getNetworkFeeAccountCall::SELECTOR => Purity::View,
        O::setWasmMaxSizeCall::SELECTOR if cfg.arbos_version < 40 => return None,
        O::setMaxStylusContractFragmentsCall::SELECTOR | O::setWasmActivationGasCall::SELECTOR
            if cfg.arbos_version < 60 =>
        {
            return None
        }
        O::addChainOwnerCall::SELECTOR
        | O::removeChainOwnerCall::SELECTOR
        | O::setL1PricePerUnitCall::SELECTOR
        | O::setNetworkFeeAccountCall::SELECTOR
        | O::setInkPriceCall::SELECTOR
        | O::setWasmMaxStackDepthCall::SELECTOR
        | O::setWasmFreePagesCall::SELECTOR
        | O::setWasmPageGasCall::SELECTOR
        | O::setWasmPageLimitCall::SELECTOR
        | O::setWasmMaxSizeCall::SELECTOR
        | O::setWasmMinInitGasCall::SELECTOR
        | O::setWasmInitCostScalarCall::SELECTOR
        | O::setWasmExpiryDaysCall::SELECTOR
        | O::setWasmKeepaliveDaysCall::SELECTOR
        | O::setWasmBlockCacheSizeCall::SELECTOR
        | O::addWasmCacheManagerCall::SELECTOR
        | O::removeWasmCacheManagerCall::SELECTOR
        | O::setMaxStylusContractFragmentsCall::SELECTOR
        | O::setWasmActivationGasCall::SELECTOR => Purity::Write,
        _ => return None,
    })
}

/// Entry of ArbOwner: owner check, free execution, `OwnerActs`.
pub(super) fn run_owner(f: &mut Frame<'_>, input: &[u8]) -> PResult {
    let caller = f.caller;
    let is_owner = CHAIN_OWNERS
        .contains(&mut f.ctx.journaled_state, &mut Meter::free(), caller)
        .map_err(Failure::from)?;
    if !is_owner {
        return Err(Failure::Halt(
            "unauthorized caller to access-controlled method".into(),
        ));
    }
    let limit = f.meter.limit();
    let result = f.dispatch(input, owner_purity, owner_call);
    // Owners pay nothing.
    f.meter = Meter::free();
    let out = result?;
    if f.purity >= Purity::Write {
        let method: [u8; 4] = input[..4].try_into().expect("checked by dispatch");
        let ev = O::OwnerActs {
            method: method.into(),
            owner: caller,
            data: Bytes::copy_from_slice(input),
        };
        f.emit(ev.encode_log_data())?;
    }
    f.meter = Meter::new(limit);
    Ok(out)
}

/// Applies `change` to the stored Stylus params.
fn update_params(f: &mut Frame<'_>, change: impl FnOnce(&mut StylusParams)) -> PResult {
    let mut p = f.params()?;
    change(&mut p);
    let (j, m) = f.state();
    programs::store_params(j, m, &p)?;
    Ok(Bytes::new())
}

fn sat_u8(x: u64) -> u8 {
    u8::try_from(x).unwrap_or(u8::MAX)
}

fn owner_call(f: &mut Frame<'_>, sel: [u8; 4], input: &[u8]) -> PResult {
    match sel {
        O::isChainOwnerCall::SELECTOR => {
            let a = args::<O::isChainOwnerCall>(input)?;
            let (j, m) = f.state();
            ret::<O::isChainOwnerCall>(CHAIN_OWNERS.contains(j, m, a.addr)?)
        }
        O::getAllChainOwnersCall::SELECTOR => {
            let (j, m) = f.state();
            ret::<O::getAllChainOwnersCall>(CHAIN_OWNERS.all(j, m)?)
        }
        O::getNetworkFeeAccountCall::SELECTOR => {
            let (j, m) = f.state();
            ret::<O::getNetworkFeeAccountCall>(programs::load_network_fee_account(j, m)?)
        }
        O::addChainOwnerCall::SELECTOR => {
            let a = args::<O::addChainOwnerCall>(input)?;
            let (j, m) = f.state();
            CHAIN_OWNERS.add(j, m, a.newOwner)?;
            Ok(Bytes::new())
        }
        O::removeChainOwnerCall::SELECTOR => {
            let a = args::<O::removeChainOwnerCall>(input)?;
            let (j, m) = f.state();
            if !CHAIN_OWNERS.remove(j, m, a.ownerToRemove)? {
                return Err(Failure::PlainRevert); // "tried to remove non-owner"
            }
            Ok(Bytes::new())
        }
        O::setL1PricePerUnitCall::SELECTOR => {
            let a = args::<O::setL1PricePerUnitCall>(input)?;
            let (j, m) = f.state();
            programs::store_l1_price_per_unit(j, m, a.pricePerUnit)?;
            Ok(Bytes::new())
        }
        O::setNetworkFeeAccountCall::SELECTOR => {
            let a = args::<O::setNetworkFeeAccountCall>(input)?;
            let (j, m) = f.state();
            programs::store_network_fee_account(j, m, a.newNetworkFeeAccount)?;
            Ok(Bytes::new())
        }
        O::setInkPriceCall::SELECTOR => {
            let a = args::<O::setInkPriceCall>(input)?;
            if a.price == 0 || a.price > 0xFF_FFFF {
                return Err(Failure::PlainRevert); // "ink price must be a positive uint24"
            }
            update_params(f, |p| p.ink_price = a.price)
        }
        O::setWasmMaxStackDepthCall::SELECTOR => {
            let a = args::<O::setWasmMaxStackDepthCall>(input)?;
            update_params(f, |p| p.max_stack_depth = a.depth)
        }
        O::setWasmFreePagesCall::SELECTOR => {
            let a = args::<O::setWasmFreePagesCall>(input)?;
            update_params(f, |p| p.free_pages = a.pages)
        }
        O::setWasmPageGasCall::SELECTOR => {
            let a = args::<O::setWasmPageGasCall>(input)?;
            update_params(f, |p| p.page_gas = a.gas)
        }
        O::setWasmPageLimitCall::SELECTOR => {
            let a = args::<O::setWasmPageLimitCall>(input)?;
            update_params(f, |p| p.page_limit = a.limit)
        }
        O::setWasmMaxSizeCall::SELECTOR => {
            let a = args::<O::setWasmMaxSizeCall>(input)?;
            update_params(f, |p| p.max_wasm_size = a.size)
        }
        O::setWasmMinInitGasCall::SELECTOR => {
            let a = args::<O::setWasmMinInitGasCall>(input)?;
            let gas = u64::from(a.gas).div_ceil(128);
            let cached = u64::from(a.cached).div_ceil(32);
            update_params(f, |p| {
                p.min_init_gas = sat_u8(gas);
                p.min_cached_init_gas = sat_u8(cached);
            })
        }
        O::setWasmInitCostScalarCall::SELECTOR => {
            let a = args::<O::setWasmInitCostScalarCall>(input)?;
            update_params(f, |p| p.init_cost_scalar = sat_u8(a.percent.div_ceil(2)))
        }
        O::setWasmExpiryDaysCall::SELECTOR => {
            let a = args::<O::setWasmExpiryDaysCall>(input)?;
            update_params(f, |p| p.expiry_days = a._days)
        }
        O::setWasmKeepaliveDaysCall::SELECTOR => {
            let a = args::<O::setWasmKeepaliveDaysCall>(input)?;
            update_params(f, |p| p.keepalive_days = a._days)
        }
        O::setWasmBlockCacheSizeCall::SELECTOR => {
            let a = args::<O::setWasmBlockCacheSizeCall>(input)?;
            update_params(f, |p| p.block_cache_size = a.count)
        }
        O::setMaxStylusContractFragmentsCall::SELECTOR => {
            let a = args::<O::setMaxStylusContractFragmentsCall>(input)?;
            update_params(f, |p| p.max_fragment_count = a.maxFragments)
        }
        O::setWasmActivationGasCall::SELECTOR => {
            let a = args::<O::setWasmActivationGasCall>(input)?;
            update_params(f, |p| p.activation_gas = a.gas)
        }
        O::addWasmCacheManagerCall::SELECTOR => {
            let a = args::<O::addWasmCacheManagerCall>(input)?;
            let (j, m) = f.state();
            CACHE_MANAGERS.add(j, m, a.manager)?;
            Ok(Bytes::new())
        }
        O::removeWasmCacheManagerCall::SELECTOR => {
            let a = args::<O::removeWasmCacheManagerCall>(input)?;
            let (j, m) = f.state();
            if !CACHE_MANAGERS.remove(j, m, a.manager)? {
                return Err(Failure::PlainRevert); // "tried to remove non-manager"
            }
            Ok(Bytes::new())
        }
        _ => Err(Failure::RevertAllGas),
    }
}
