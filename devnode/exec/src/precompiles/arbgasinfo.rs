//! ArbGasInfo (0x6c): gas pricing views with the devnode's fixed values (§5.4).
//!
//! The devnode has no L1 pricing model: the L1 price per unit is the stored value (set by
//! `ArbOwner.setL1PricePerUnit`, 0 after nitro-devnode's setup script), backlog and surplus are
//! zero and the L2 parameters are Nitro's defaults.

use alloy::primitives::{I256, U256};
use alloy::sol_types::SolCall;

use super::abi::ArbGasInfo::{self as G};
use super::{ret, Failure, Frame, PResult, Purity};
use crate::context::{ArbConfig, SEQUENCER_COINBASE};
use crate::programs;

/// Minimum L2 base fee (0.1 gwei).
pub const MIN_BASE_FEE: u64 = 100_000_000;
/// L2 speed limit in gas per second.
pub const SPEED_LIMIT_PER_SECOND: u64 = 7_000_000;
/// Per-block gas limit of the L2 pricing model (and the per-tx limit at ArbOS ≥ 50).
pub const PER_BLOCK_GAS_LIMIT: u64 = 32_000_000;
/// Gas of one ArbOS storage write (`perStorageAllocation` in ArbGas).
pub const STORAGE_ALLOCATION_GAS: u64 = 20_000;
/// Calldata units per non-zero byte.
pub const L1_UNITS_PER_BYTE: u64 = 16;
/// Size Nitro assumes for a simple transaction (bytes).
pub const ASSUMED_SIMPLE_TX_SIZE: u64 = 140;
/// Pricing inertia (Nitro default).
pub const PRICING_INERTIA: u64 = 102;
/// Backlog tolerance (Nitro default).
pub const BACKLOG_TOLERANCE: u64 = 10;
/// L1 base fee estimate inertia (Nitro default).
pub const L1_INERTIA: u64 = 10;
/// Per-batch gas charge (Nitro default).
pub const PER_BATCH_GAS_CHARGE: i64 = 210_000;

pub(super) fn purity(_cfg: &ArbConfig, sel: [u8; 4]) -> Option<Purity> {
    Some(match sel {
        G::getPricesInWeiWithAggregatorCall::SELECTOR
        | G::getPricesInWeiCall::SELECTOR
        | G::getPricesInArbGasWithAggregatorCall::SELECTOR
        | G::getPricesInArbGasCall::SELECTOR
        | G::getGasAccountingParamsCall::SELECTOR
        | G::getMinimumGasPriceCall::SELECTOR
        | G::getL1BaseFeeEstimateCall::SELECTOR
        | G::getL1BaseFeeEstimateInertiaCall::SELECTOR
        | G::getL1RewardRateCall::SELECTOR
        | G::getL1RewardRecipientCall::SELECTOR
        | G::getL1GasPriceEstimateCall::SELECTOR
        | G::getCurrentTxL1GasFeesCall::SELECTOR
        | G::getGasBacklogCall::SELECTOR
        | G::getPricingInertiaCall::SELECTOR
        | G::getGasBacklogToleranceCall::SELECTOR
        | G::getL1PricingSurplusCall::SELECTOR
        | G::getPerBatchGasChargeCall::SELECTOR
        | G::getAmortizedCostCapBipsCall::SELECTOR
        | G::getL1FeesAvailableCall::SELECTOR
        | G::getMaxTxGasLimitCall::SELECTOR
        | G::getMaxBlockGasLimitCall::SELECTOR => Purity::View,
        _ => return None,
    })
}

fn l1_price(f: &mut Frame<'_>) -> Result<U256, Failure> {
    let (j, m) = f.state();
    Ok(programs::load_l1_price_per_unit(j, m)?)
}

fn prices_in_wei(f: &mut Frame<'_>) -> Result<[U256; 6], Failure> {
    let l1 = l1_price(f)?;
    let basefee = U256::from(f.ctx.chain.block.basefee);
    let per_byte = l1 * U256::from(L1_UNITS_PER_BYTE);
    let per_tx = per_byte * U256::from(ASSUMED_SIMPLE_TX_SIZE);
    let storage = basefee * U256::from(STORAGE_ALLOCATION_GAS);
    let base = basefee.min(U256::from(MIN_BASE_FEE));
    Ok([per_tx, per_byte, storage, base, basefee - base, basefee])
}

fn prices_in_arb_gas(f: &mut Frame<'_>) -> Result<[U256; 3], Failure> {
    let l1 = l1_price(f)?;
    let basefee = U256::from(f.ctx.chain.block.basefee);
    let per_byte = (l1 * U256::from(L1_UNITS_PER_BYTE))
        .checked_div(basefee)
        .unwrap_or_default();
    let per_tx = per_byte * U256::from(ASSUMED_SIMPLE_TX_SIZE);
    Ok([per_tx, per_byte, U256::from(STORAGE_ALLOCATION_GAS)])
}

pub(super) fn call(f: &mut Frame<'_>, sel: [u8; 4], _input: &[u8]) -> PResult {
    match sel {
        G::getPricesInWeiWithAggregatorCall::SELECTOR | G::getPricesInWeiCall::SELECTOR => {
            let p = prices_in_wei(f)?;
            ret::<G::getPricesInWeiCall>(G::getPricesInWeiReturn {
                _0: p[0],
                _1: p[1],
                _2: p[2],
                _3: p[3],
                _4: p[4],
                _5: p[5],
            })
        }
        G::getPricesInArbGasWithAggregatorCall::SELECTOR | G::getPricesInArbGasCall::SELECTOR => {
            let p = prices_in_arb_gas(f)?;
            ret::<G::getPricesInArbGasCall>(G::getPricesInArbGasReturn {
                _0: p[0],
                _1: p[1],
                _2: p[2],
            })
        }
        G::getGasAccountingParamsCall::SELECTOR => {
            ret::<G::getGasAccountingParamsCall>(G::getGasAccountingParamsReturn {
                _0: U256::from(SPEED_LIMIT_PER_SECOND),
                _1: U256::from(PER_BLOCK_GAS_LIMIT),
                _2: U256::from(PER_BLOCK_GAS_LIMIT),
            })
        }
        G::getMinimumGasPriceCall::SELECTOR => {
            ret::<G::getMinimumGasPriceCall>(U256::from(MIN_BASE_FEE))
        }
        G::getL1BaseFeeEstimateCall::SELECTOR => {
            let v = l1_price(f)?;
            ret::<G::getL1BaseFeeEstimateCall>(v)
        }
        G::getL1GasPriceEstimateCall::SELECTOR => {
            let v = l1_price(f)?;
            ret::<G::getL1GasPriceEstimateCall>(v)
        }
        G::getL1BaseFeeEstimateInertiaCall::SELECTOR => {
            ret::<G::getL1BaseFeeEstimateInertiaCall>(L1_INERTIA)
        }
        G::getL1RewardRateCall::SELECTOR => ret::<G::getL1RewardRateCall>(0),
        G::getL1RewardRecipientCall::SELECTOR => {
            ret::<G::getL1RewardRecipientCall>(SEQUENCER_COINBASE)
        }
        G::getCurrentTxL1GasFeesCall::SELECTOR => ret::<G::getCurrentTxL1GasFeesCall>(U256::ZERO),
        G::getGasBacklogCall::SELECTOR => ret::<G::getGasBacklogCall>(0),
        G::getPricingInertiaCall::SELECTOR => ret::<G::getPricingInertiaCall>(PRICING_INERTIA),
        G::getGasBacklogToleranceCall::SELECTOR => {
            ret::<G::getGasBacklogToleranceCall>(BACKLOG_TOLERANCE)
        }
        G::getL1PricingSurplusCall::SELECTOR => ret::<G::getL1PricingSurplusCall>(I256::ZERO),
        G::getPerBatchGasChargeCall::SELECTOR => {
            ret::<G::getPerBatchGasChargeCall>(PER_BATCH_GAS_CHARGE)
        }
        G::getAmortizedCostCapBipsCall::SELECTOR => ret::<G::getAmortizedCostCapBipsCall>(0),
        G::getL1FeesAvailableCall::SELECTOR => ret::<G::getL1FeesAvailableCall>(U256::ZERO),
        G::getMaxTxGasLimitCall::SELECTOR => {
            ret::<G::getMaxTxGasLimitCall>(f.ctx.chain.config.tx_gas_limit_cap)
        }
        G::getMaxBlockGasLimitCall::SELECTOR => {
            ret::<G::getMaxBlockGasLimitCall>(PER_BLOCK_GAS_LIMIT)
        }
        _ => Err(Failure::RevertAllGas),
    }
}
