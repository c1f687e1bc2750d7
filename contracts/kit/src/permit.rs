//! EIP-2612 `permit`: approvals by signature, with per-owner nonces and an EIP-712 domain
//! `(name = token name, version = "1", chainId, verifyingContract = this)`.
//!
//! Host pattern (on top of [`Erc20Host`]):
//! ```ignore
//! #[storage] pub struct Token { erc20: Erc20, nonces: Nonces }
//! impl Erc20PermitHost for Token {
//!     fn permit_nonces(&self) -> &Nonces { &self.nonces }
//!     fn permit_nonces_mut(&mut self) -> &mut Nonces { &mut self.nonces }
//! }
//! kit::impl_erc20_permit!(Token);      // #[public] impl IErc20Permit for Token
//! // and add `IErc20Permit<Error = TokenError>` to `#[implements(...)]`.
//! ```
//! The host's error enum must also convert from [`PermitError`] and [`EcdsaError`].

use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::sol;
use stylus_sdk::{
    prelude::*,
    storage::{StorageMap, StorageU256},
};

use crate::{
    eip712::{self, EcdsaError},
    erc20::{Erc20Error, Erc20Host},
    errors::kit_error_enum,
};

sol! {
    /// The permit's `deadline` has passed.
    #[derive(Debug, PartialEq, Eq)]
    error ERC2612ExpiredSignature(uint256 deadline);
    /// The permit was signed by `signer`, not by `owner`.
    #[derive(Debug, PartialEq, Eq)]
    error ERC2612InvalidSigner(address signer, address owner);
}

kit_error_enum! {
    /// Errors specific to `permit` (signature errors are [`EcdsaError`]).
    pub enum PermitError {
        /// See [`ERC2612ExpiredSignature`].
        ERC2612ExpiredSignature,
        /// See [`ERC2612InvalidSigner`].
        ERC2612InvalidSigner,
    }
}

/// `keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)")`.
pub const PERMIT_TYPEHASH: B256 =
    alloy_primitives::b256!("6e71edae12b1b97f4d1f60370fef10105fa2faae0126114a169c64845d6126c9");

/// The EIP-712 domain version used by [`Erc20PermitHost`].
pub const DOMAIN_VERSION: &str = "1";

/// Per-owner sequential nonces (EIP-2612 `nonces`).
#[storage]
pub struct Nonces {
    nonces: StorageMap<Address, StorageU256>,
}

impl Nonces {
    /// Current nonce of `owner` (the one the next signature must use).
    pub fn nonce(&self, owner: Address) -> U256 {
        self.nonces.get(owner)
    }

    /// Returns the current nonce of `owner` and increments it.
    pub fn use_nonce(&mut self, owner: Address) -> U256 {
        let n = self.nonces.get(owner);
        // A 256-bit counter incremented once per signature cannot overflow.
        self.nonces.insert(owner, n + U256::from(1));
        n
    }
}

/// EIP-2612 public ABI. Implemented for a host by [`impl_erc20_permit!`](crate::impl_erc20_permit).
#[public]
#[allow(missing_docs)] // the macro adds an undocumented marker method
pub trait IErc20Permit {
    /// The host's error type.
    type Error: Into<alloc::vec::Vec<u8>>;

    /// Sets `spender`'s allowance over `owner`'s tokens to `value` given `owner`'s signature.
    #[allow(clippy::too_many_arguments)]
    fn permit(
        &mut self,
        owner: Address,
        spender: Address,
        value: U256,
        deadline: U256,
        v: u8,
        r: B256,
        s: B256,
    ) -> Result<(), Self::Error>;
    /// The nonce `owner`'s next permit must use.
    fn nonces(&self, owner: Address) -> U256;
    /// The EIP-712 domain separator.
    #[selector(name = "DOMAIN_SEPARATOR")]
    fn domain_separator(&self) -> B256;
}

/// The EIP-2612 struct hash of a permit.
pub fn permit_struct_hash(
    owner: Address,
    spender: Address,
    value: U256,
    nonce: U256,
    deadline: U256,
) -> B256 {
    let mut buf = [0u8; 192];
    buf[..32].copy_from_slice(PERMIT_TYPEHASH.as_slice());
    buf[44..64].copy_from_slice(owner.as_slice());
    buf[76..96].copy_from_slice(spender.as_slice());
    buf[96..128].copy_from_slice(&value.to_be_bytes::<32>());
    buf[128..160].copy_from_slice(&nonce.to_be_bytes::<32>());
    buf[160..192].copy_from_slice(&deadline.to_be_bytes::<32>());
    keccak256(buf)
}

/// Implemented by an [`Erc20Host`] that embeds [`Nonces`]; its provided methods implement EIP-2612.
pub trait Erc20PermitHost: Erc20Host
where
    <Self as Erc20Host>::Error: From<PermitError> + From<EcdsaError> + From<Erc20Error>,
{
    /// The embedded nonces.
    fn permit_nonces(&self) -> &Nonces;
    /// The embedded nonces, mutably.
    fn permit_nonces_mut(&mut self) -> &mut Nonces;

    /// EIP-712 domain separator: token name, version "1", current chain id, this contract.
    fn permit_domain_separator(&self) -> B256 {
        let name = self.erc20().name();
        eip712::domain_separator(self.vm(), &name, DOMAIN_VERSION)
    }

    /// `permit(...)`: checks the deadline, recovers the signer, consumes `owner`'s nonce and
    /// approves (emitting `Approval`).
    #[allow(clippy::too_many_arguments)]
    fn erc20_permit(
        &mut self,
        owner: Address,
        spender: Address,
        value: U256,
        deadline: U256,
        v: u8,
        r: B256,
        s: B256,
    ) -> Result<(), <Self as Erc20Host>::Error> {
        if U256::from(self.vm().block_timestamp()) > deadline {
            return Err(
                PermitError::ERC2612ExpiredSignature(ERC2612ExpiredSignature { deadline }).into(),
            );
        }
        let nonce = self.permit_nonces().nonce(owner);
        let struct_hash = permit_struct_hash(owner, spender, value, nonce, deadline);
        let digest = eip712::typed_data_hash(self.permit_domain_separator(), struct_hash);
        let signer = eip712::recover(self.vm(), digest, v, r, s)?;
        if signer != owner {
            return Err(
                PermitError::ERC2612InvalidSigner(ERC2612InvalidSigner { signer, owner }).into(),
            );
        }
        self.permit_nonces_mut().use_nonce(owner);
        self.erc20_mut()._approve(owner, spender, value, true)?;
        Ok(())
    }
}

/// Generates `#[public] impl kit::permit::IErc20Permit for $host` from its [`Erc20PermitHost`] impl.
#[macro_export]
macro_rules! impl_erc20_permit {
    ($host:ty) => {
        #[stylus_sdk::prelude::public]
        impl $crate::permit::IErc20Permit for $host {
            type Error = <$host as $crate::erc20::Erc20Host>::Error;

            fn permit(
                &mut self,
                owner: $crate::__private::alloy_primitives::Address,
                spender: $crate::__private::alloy_primitives::Address,
                value: $crate::__private::alloy_primitives::U256,
                deadline: $crate::__private::alloy_primitives::U256,
                v: u8,
                r: $crate::__private::alloy_primitives::B256,
                s: $crate::__private::alloy_primitives::B256,
            ) -> ::core::result::Result<(), <$host as $crate::erc20::Erc20Host>::Error> {
                $crate::permit::Erc20PermitHost::erc20_permit(
                    self, owner, spender, value, deadline, v, r, s,
                )
            }
            fn nonces(
                &self,
                owner: $crate::__private::alloy_primitives::Address,
            ) -> $crate::__private::alloy_primitives::U256 {
                $crate::permit::Erc20PermitHost::permit_nonces(self).nonce(owner)
            }
            #[selector(name = "DOMAIN_SEPARATOR")]
            fn domain_separator(&self) -> $crate::__private::alloy_primitives::B256 {
                $crate::permit::Erc20PermitHost::permit_domain_separator(self)
            }
        }
    };
}
