//! Stylus Yield contract kit: the building blocks every product contract shares.
//!
//! One module per standard; each defines its Solidity errors and events once (`sol!`), a storage
//! struct (`#[storage]`) and internal logic. The kit has no entrypoint and knows no product.
//!
//! | module | what |
//! |---|---|
//! | [`erc20`] | ERC-20 storage + internal logic, `IErc20` public trait, [`erc20::Erc20Host`] hook trait, [`impl_erc20!`] |
//! | [`permit`] | EIP-2612 `permit` / `nonces` / `DOMAIN_SEPARATOR`, [`impl_erc20_permit!`] |
//! | [`eip712`] | EIP-712 domain separator, typed-data digest, `ecrecover` through precompile `0x01` |
//! | [`safe_erc20`] | calls to *external* ERC-20s tolerating missing return values |
//! | [`math`] | `mul_div_down` / `mul_div_up` (512-bit intermediate), checked helpers |
//! | [`ownable`] | Ownable2Step |
//! | [`pausable`] | Pausable |
//! | [`erc165`] | `supportsInterface` helper + interface ids |
//! | [`sqrt`] | integer square root `sqrt_down` / `sqrt_up` (Newton, host division) |
//! | [`short_string`] | strings of ≤ 31 bytes in one storage slot (token name / symbol) |
//! | [`errors`] | product-agnostic errors and the [`impl_error_from!`] helper |
//!
//! ## Errors in host contracts
//! Each module returns its own error enum (e.g. [`erc20::Erc20Error`]). A host contract declares
//! ONE flat `#[derive(SolidityError)]` enum listing every Solidity error it can return (so the
//! exported ABI names them all) and converts the kit enums into it with [`impl_error_from!`]:
//! ```ignore
//! #[derive(SolidityError, Debug)]
//! pub enum VaultError {
//!     ERC20InsufficientBalance(ERC20InsufficientBalance), /* ...every Erc20Error variant... */
//!     MathOverflow(MathOverflow), /* ...host-specific errors... */
//! }
//! kit::impl_error_from!(kit::erc20::Erc20Error => VaultError);
//! kit::impl_error_from!(kit::math::MathError => VaultError);
//! ```
//!
//! ## Size rules for contracts (measured; the deployable limit is 24,576 bytes)
//! - Never use `U256`'s `/` or `%` (or `checked_div`, `div_rem`, ...): they link ruint's generic
//!   division, ~7.6 KB of wasm. Use [`math::div_down`], [`math::div_up`], [`math::div_rem`],
//!   [`math::mul_div_down`], [`math::mul_div_up`] (binary division, ~1 KB).
//! - Never use `StorageString` / `StorageBytes::len`: it divides a `U256`. Store short strings
//!   with [`short_string`].
//!
//! ## ABI export convention
//! Every deployable crate defines a native-only bin `<package>-export-abi`
//! (`required-features = ["export-abi"]`, its `export-abi` feature also enabling `kit/export-abi`)
//! whose `main` calls the SDK-generated `print_from_args()` and then prints each event
//! declaration (e.g. [`erc20::EVENTS_SOL`]) followed by `;`. `stylus-yield abi` turns that into
//! `abi/<name>.sol` and `abi/<name>.json`.
#![warn(missing_docs)]

extern crate alloc;

pub mod eip712;
pub mod erc165;
pub mod erc20;
pub mod errors;
pub mod math;
pub mod ownable;
pub mod pausable;
pub mod permit;
pub mod safe_erc20;
pub mod short_string;
pub mod sqrt;

#[doc(hidden)]
pub mod __private {
    pub use alloy_primitives;
    pub use stylus_sdk;
}

#[cfg(test)]
mod tests;
