//! EIP-712 typed-data hashing and signature recovery.
//!
//! The domain is `EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)`.
//! [`domain_separator`] is recomputed on every call from the current chain id and contract
//! address, so it is always correct after a chain split (compute is cheap on Stylus; caching it
//! would cost storage reads anyway). Recovery uses the `ecrecover` precompile (`0x01`) through a
//! static call and rejects malleable (high-`s`) signatures and `v ∉ {27, 28}` like OpenZeppelin's ECDSA.

use alloc::vec::Vec;

use alloy_primitives::{address, keccak256, Address, B256, U256};
use alloy_sol_types::sol;
use stylus_sdk::{call::static_call, prelude::*};

use crate::errors::kit_error_enum;

sol! {
    /// The signature does not recover to a valid address.
    #[derive(Debug, PartialEq, Eq)]
    error ECDSAInvalidSignature();
    /// The signature's `s` value is in the upper half of the curve order (malleable).
    #[derive(Debug, PartialEq, Eq)]
    error ECDSAInvalidSignatureS(bytes32 s);
}

kit_error_enum! {
    /// Errors of signature recovery.
    pub enum EcdsaError {
        /// See [`ECDSAInvalidSignature`].
        ECDSAInvalidSignature,
        /// See [`ECDSAInvalidSignatureS`].
        ECDSAInvalidSignatureS,
    }
}

/// Address of the `ecrecover` precompile.
pub const ECRECOVER: Address = address!("0000000000000000000000000000000000000001");

/// `keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")`.
pub const DOMAIN_TYPEHASH: B256 =
    alloy_primitives::b256!("8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f");

/// Largest `s` accepted (secp256k1n / 2), EIP-2.
pub const MAX_S: U256 = alloy_primitives::uint!(
    0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0_U256
);

/// The EIP-712 domain separator of `(name, version, chain_id, verifying_contract)`.
pub fn domain_separator_of(
    name: &str,
    version: &str,
    chain_id: u64,
    verifying_contract: Address,
) -> B256 {
    let mut buf = [0u8; 160];
    buf[..32].copy_from_slice(DOMAIN_TYPEHASH.as_slice());
    buf[32..64].copy_from_slice(keccak256(name.as_bytes()).as_slice());
    buf[64..96].copy_from_slice(keccak256(version.as_bytes()).as_slice());
    buf[96..128].copy_from_slice(&U256::from(chain_id).to_be_bytes::<32>());
    buf[140..160].copy_from_slice(verifying_contract.as_slice());
    keccak256(buf)
}

/// The domain separator of the calling contract (current chain id and contract address).
pub fn domain_separator<H: Host + ?Sized>(host: &H, name: &str, version: &str) -> B256 {
    domain_separator_of(name, version, host.chain_id(), host.contract_address())
}

/// `keccak256("\x19\x01" ‖ domain_separator ‖ struct_hash)`: the digest a wallet signs.
pub fn typed_data_hash(domain_separator: B256, struct_hash: B256) -> B256 {
    let mut buf = [0u8; 66];
    buf[0] = 0x19;
    buf[1] = 0x01;
    buf[2..34].copy_from_slice(domain_separator.as_slice());
    buf[34..66].copy_from_slice(struct_hash.as_slice());
    keccak256(buf)
}

/// Recovers the signer of `hash` from `(v, r, s)` through the `ecrecover` precompile.
/// Errors: high `s` → `ECDSAInvalidSignatureS(s)`; bad `v`, a failed recovery, or a zero
/// address → `ECDSAInvalidSignature()`.
pub fn recover<H: Host + ?Sized>(
    host: &H,
    hash: B256,
    v: u8,
    r: B256,
    s: B256,
) -> Result<Address, EcdsaError> {
    if U256::from_be_bytes(s.0) > MAX_S {
        return Err(EcdsaError::ECDSAInvalidSignatureS(ECDSAInvalidSignatureS {
            s,
        }));
    }
    if v != 27 && v != 28 {
        return Err(EcdsaError::ECDSAInvalidSignature(ECDSAInvalidSignature {}));
    }
    let mut input = Vec::with_capacity(128);
    input.extend_from_slice(hash.as_slice());
    input.extend_from_slice(&[0u8; 31]);
    input.push(v);
    input.extend_from_slice(r.as_slice());
    input.extend_from_slice(s.as_slice());
    let out = static_call(host, Call::new(), ECRECOVER, &input)
        .map_err(|_| EcdsaError::ECDSAInvalidSignature(ECDSAInvalidSignature {}))?;
    if out.len() != 32 || out[..12].iter().any(|b| *b != 0) {
        return Err(EcdsaError::ECDSAInvalidSignature(ECDSAInvalidSignature {}));
    }
    let signer = Address::from_slice(&out[12..]);
    if signer.is_zero() {
        return Err(EcdsaError::ECDSAInvalidSignature(ECDSAInvalidSignature {}));
    }
    Ok(signer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_match_their_definitions() {
        assert_eq!(
            DOMAIN_TYPEHASH,
            keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")
        );
        let n = U256::from_str_radix(
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141",
            16,
        )
        .unwrap();
        assert_eq!(MAX_S, n >> 1);
    }
}
