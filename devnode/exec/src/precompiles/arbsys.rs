//! ArbSys (0x64): block numbers, chain id, ArbOS version, L2→L1 messages (§5.3).

use alloy::primitives::{keccak256, Address, B256, U256};
use alloy::sol_types::{SolCall, SolEvent};
use revm::context::JournalTr;
use revm::context_interface::journaled_state::account::JournaledAccountTr;

use super::abi::ArbSys::{self as S};
use super::{args, ret, Failure, Frame, PResult, Purity};
use crate::context::ArbConfig;
use crate::programs;

/// Offset added to an L1 contract address to get its L2 alias.
pub const L1_TO_L2_ALIAS_OFFSET: Address =
    alloy::primitives::address!("1111000000000000000000000000000000001111");

/// Nitro's ArbOS version reported by `arbOSVersion()` is `55 + version`.
pub const ARBOS_VERSION_OFFSET: u64 = 55;

pub(super) fn purity(_cfg: &ArbConfig, sel: [u8; 4]) -> Option<Purity> {
    Some(match sel {
        S::mapL1SenderContractAddressToL2AliasCall::SELECTOR => Purity::Pure,
        S::withdrawEthCall::SELECTOR | S::sendTxToL1Call::SELECTOR => Purity::Payable,
        S::arbBlockNumberCall::SELECTOR
        | S::arbBlockHashCall::SELECTOR
        | S::arbChainIDCall::SELECTOR
        | S::arbOSVersionCall::SELECTOR
        | S::getStorageGasAvailableCall::SELECTOR
        | S::isTopLevelCallCall::SELECTOR
        | S::wasMyCallersAddressAliasedCall::SELECTOR
        | S::myCallersAddressWithoutAliasingCall::SELECTOR
        | S::sendMerkleTreeStateCall::SELECTOR => Purity::View,
        _ => return None,
    })
}

/// The L2 alias of an L1 contract address (`address + 0x1111…1111` mod 2^160).
pub fn apply_l1_to_l2_alias(a: Address) -> Address {
    let x = U256::from_be_slice(a.as_slice());
    let off = U256::from_be_slice(L1_TO_L2_ALIAS_OFFSET.as_slice());
    let sum: U256 = (x + off) & ((U256::from(1) << 160) - U256::from(1));
    Address::from_slice(&sum.to_be_bytes::<32>()[12..])
}

fn send_count_slot() -> U256 {
    programs::slot("scalar", b"l2ToL1SendCount")
}

pub(super) fn call(f: &mut Frame<'_>, sel: [u8; 4], input: &[u8]) -> PResult {
    let block = f.ctx.chain.block.clone();
    match sel {
        S::arbBlockNumberCall::SELECTOR => {
            ret::<S::arbBlockNumberCall>(U256::from(block.l2_block_number))
        }
        S::arbBlockHashCall::SELECTOR => {
            let a = args::<S::arbBlockHashCall>(input)?;
            let current = U256::from(block.l2_block_number);
            let n = a.arbBlockNum;
            if n >= current || n + U256::from(256) < current {
                return Err(Failure::error(S::InvalidBlockNumber {
                    requested: n,
                    current,
                }));
            }
            let hash = block
                .l2_block_hashes
                .get(n.to::<u64>())
                .unwrap_or(B256::ZERO);
            ret::<S::arbBlockHashCall>(hash)
        }
        S::arbChainIDCall::SELECTOR => {
            ret::<S::arbChainIDCall>(U256::from(f.ctx.chain.config.chain_id))
        }
        S::arbOSVersionCall::SELECTOR => ret::<S::arbOSVersionCall>(U256::from(
            ARBOS_VERSION_OFFSET + f.ctx.chain.config.arbos_version,
        )),
        S::getStorageGasAvailableCall::SELECTOR => ret::<S::getStorageGasAvailableCall>(U256::ZERO),
        S::isTopLevelCallCall::SELECTOR => {
            ret::<S::isTopLevelCallCall>(f.ctx.journaled_state.depth() <= 2)
        }
        S::mapL1SenderContractAddressToL2AliasCall::SELECTOR => {
            let a = args::<S::mapL1SenderContractAddressToL2AliasCall>(input)?;
            ret::<S::mapL1SenderContractAddressToL2AliasCall>(apply_l1_to_l2_alias(a.sender))
        }
        S::wasMyCallersAddressAliasedCall::SELECTOR => {
            ret::<S::wasMyCallersAddressAliasedCall>(false)
        }
        S::myCallersAddressWithoutAliasingCall::SELECTOR => {
            // Without a caller stack the devnode knows the caller's caller only when the caller
            // is the transaction's top-level frame (then it is the origin).
            let depth = f.ctx.journaled_state.depth();
            let who = if depth == 2 {
                f.ctx.tx.caller
            } else {
                Address::ZERO
            };
            ret::<S::myCallersAddressWithoutAliasingCall>(who)
        }
        S::withdrawEthCall::SELECTOR => {
            let a = args::<S::withdrawEthCall>(input)?;
            let id = send_tx_to_l1(f, a.destination, Vec::new())?;
            ret::<S::withdrawEthCall>(id)
        }
        S::sendTxToL1Call::SELECTOR => {
            let a = args::<S::sendTxToL1Call>(input)?;
            let id = send_tx_to_l1(f, a.destination, a.data.to_vec())?;
            ret::<S::sendTxToL1Call>(id)
        }
        S::sendMerkleTreeStateCall::SELECTOR => {
            let size = {
                let (j, m) = f.state();
                programs::read_word(j, m, send_count_slot())?
            };
            ret::<S::sendMerkleTreeStateCall>(S::sendMerkleTreeStateReturn {
                size,
                root: B256::ZERO,
                partials: Vec::new(),
            })
        }
        _ => Err(Failure::RevertAllGas),
    }
}

/// Emits `L2ToL1Tx` and burns the value (the devnode has no L1 to deliver it to).
fn send_tx_to_l1(f: &mut Frame<'_>, destination: Address, data: Vec<u8>) -> Result<U256, Failure> {
    let block = f.ctx.chain.block.clone();
    let position = {
        let (j, m) = f.state();
        let n = programs::read_word(j, m, send_count_slot())?;
        programs::write_word(j, m, send_count_slot(), n + U256::from(1))?;
        n
    };
    let arb_block = U256::from(block.l2_block_number);
    let eth_block = U256::from(block.l1_block_number);
    let timestamp = U256::from(block.timestamp);
    let mut pre = Vec::with_capacity(20 * 2 + 32 * 4 + data.len());
    pre.extend_from_slice(f.caller.as_slice());
    pre.extend_from_slice(destination.as_slice());
    pre.extend_from_slice(&arb_block.to_be_bytes::<32>());
    pre.extend_from_slice(&eth_block.to_be_bytes::<32>());
    pre.extend_from_slice(&timestamp.to_be_bytes::<32>());
    pre.extend_from_slice(&f.value.to_be_bytes::<32>());
    pre.extend_from_slice(&data);
    let hash = U256::from_be_bytes(keccak256(&pre).0);
    let ev = S::L2ToL1Tx {
        caller: f.caller,
        destination,
        hash,
        position,
        arbBlockNum: arb_block,
        ethBlockNum: eth_block,
        timestamp,
        callvalue: f.value,
        data: data.into(),
    };
    f.emit(ev.encode_log_data())?;
    if !f.value.is_zero() {
        let me = f.address;
        let value = f.value;
        let mut acc = f
            .journal()
            .load_account_mut(me)
            .map_err(|e| Failure::Fatal(e.to_string()))?;
        if !acc.decr_balance(value) {
            return Err(Failure::PlainRevert);
        }
    }
    Ok(position)
}
