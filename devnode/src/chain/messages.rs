//! geth-style messages for invalid transactions, halts and panics.

use super::*;

/// geth-style message for an invalid transaction.
pub fn invalid_tx_error(sender: Address, e: InvalidTransaction) -> RpcError {
    use InvalidTransaction as I;
    let msg = match e {
        I::NonceTooLow { tx, state } => {
            format!("nonce too low: address {sender}, tx: {tx} state: {state}")
        }
        I::NonceTooHigh { tx, state } => {
            format!("nonce too high: address {sender}, tx: {tx} state: {state}")
        }
        I::LackOfFundForMaxFee { fee, balance } => {
            format!("insufficient funds for gas * price + value: address {sender} have {balance} want {fee}")
        }
        I::GasPriceLessThanBasefee => {
            format!(
                "max fee per gas less than block base fee: address {sender}, baseFee: {BASE_FEE}"
            )
        }
        I::CallGasCostMoreThanGasLimit {
            initial_gas,
            gas_limit,
        } => {
            format!("intrinsic gas too low: gas {gas_limit}, minimum needed {initial_gas}")
        }
        I::GasFloorMoreThanGasLimit {
            gas_floor,
            gas_limit,
        } => {
            format!("intrinsic gas too low: gas {gas_limit}, minimum needed {gas_floor} (EIP-7623 floor)")
        }
        I::TxGasLimitGreaterThanCap { gas_limit, cap } => {
            format!("exceeds max transaction gas limit: gas {gas_limit} cap {cap}")
        }
        I::RejectCallerWithCode => format!("sender not an eoa: address {sender}"),
        I::InvalidChainId | I::MissingChainId => "invalid chain id for signer".to_string(),
        I::CreateInitCodeSizeLimit => "max initcode size exceeded".to_string(),
        I::EmptyAuthorizationList => "EIP-7702 transaction with empty auth list".to_string(),
        I::Eip7702NotSupported => "EIP-7702 transactions are not supported".to_string(),
        I::PriorityFeeGreaterThanMaxFee => {
            format!("max priority fee per gas higher than max fee per gas: address {sender}")
        }
        other => other.to_string(),
    };
    RpcError::server(msg)
}

/// Message for a halt (a failure that is not a REVERT).
pub fn halt_message(reason: &HaltReason) -> String {
    match reason {
        HaltReason::OutOfGas(OutOfGasError::Basic | OutOfGasError::ReentrancySentry) => {
            "out of gas".into()
        }
        HaltReason::OutOfGas(OutOfGasError::MemoryLimit | OutOfGasError::Memory) => {
            "out of gas: memory".into()
        }
        HaltReason::OutOfGas(OutOfGasError::Precompile) => "out of gas: precompile".into(),
        HaltReason::OutOfGas(OutOfGasError::InvalidOperand) => "out of gas: invalid operand".into(),
        HaltReason::OpcodeNotFound | HaltReason::InvalidFEOpcode => "invalid opcode".into(),
        HaltReason::InvalidJump => "invalid jump destination".into(),
        HaltReason::StackUnderflow => "stack underflow".into(),
        HaltReason::StackOverflow => "stack limit reached 1024".into(),
        HaltReason::CallTooDeep => "max call depth exceeded".into(),
        HaltReason::OutOfFunds => "insufficient balance for transfer".into(),
        HaltReason::CreateCollision => "contract address collision".into(),
        HaltReason::CreateContractSizeLimit => "max code size exceeded".into(),
        HaltReason::CreateContractStartingWithEF => "invalid code: must not begin with 0xef".into(),
        HaltReason::StateChangeDuringStaticCall => "write protection".into(),
        HaltReason::NonceOverflow => "nonce uint64 overflow".into(),
        // Messages of the Arbitrum precompiles (e.g. "program activation failed: ...") pass through.
        HaltReason::PrecompileErrorWithContext(msg) => msg.clone(),
        other => format!("execution halted: {other:?}"),
    }
}

/// Text of a caught panic.
pub fn panic_message(p: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}
