//! ERC-165 interface detection: interface ids of the standards the suite implements and a
//! helper to answer `supportsInterface(bytes4)`.
//!
//! A host exposes `supports_interface(&self, interface_id: FixedBytes<4>) -> bool` in its
//! `#[public]` block and answers with [`supports`] over the list of ids it implements.

use alloy_primitives::{fixed_bytes, FixedBytes};

/// ERC-165 itself: `supportsInterface(bytes4)`.
pub const IERC165: FixedBytes<4> = fixed_bytes!("01ffc9a7");
/// ERC-20 (the six core functions; XOR of their selectors).
pub const IERC20: FixedBytes<4> = fixed_bytes!("36372b07");
/// EIP-2612 permit: `permit`, `nonces`, `DOMAIN_SEPARATOR`.
pub const IERC20_PERMIT: FixedBytes<4> = fixed_bytes!("9d8ff7da");
/// ERC-721.
pub const IERC721: FixedBytes<4> = fixed_bytes!("80ac58cd");
/// ERC-721 metadata extension.
pub const IERC721_METADATA: FixedBytes<4> = fixed_bytes!("5b5e139f");
/// ERC-2981 royalties.
pub const IERC2981: FixedBytes<4> = fixed_bytes!("2a55205a");
/// The interface id that must never be supported.
pub const INVALID: FixedBytes<4> = fixed_bytes!("ffffffff");

/// Computes an interface id: the XOR of the selectors of its functions.
pub fn interface_id(selectors: &[[u8; 4]]) -> FixedBytes<4> {
    let mut id = [0u8; 4];
    for s in selectors {
        for i in 0..4 {
            id[i] ^= s[i];
        }
    }
    FixedBytes(id)
}

/// `true` if `id` is ERC-165 itself or in `implemented`; always `false` for `0xffffffff`.
pub fn supports(id: FixedBytes<4>, implemented: &[FixedBytes<4>]) -> bool {
    id != INVALID && (id == IERC165 || implemented.contains(&id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::keccak256;

    fn sel(sig: &str) -> [u8; 4] {
        keccak256(sig)[..4].try_into().unwrap()
    }

    #[test]
    fn ids_are_xor_of_selectors() {
        assert_eq!(interface_id(&[sel("supportsInterface(bytes4)")]), IERC165);
        assert_eq!(
            interface_id(&[
                sel("totalSupply()"),
                sel("balanceOf(address)"),
                sel("transfer(address,uint256)"),
                sel("transferFrom(address,address,uint256)"),
                sel("approve(address,uint256)"),
                sel("allowance(address,address)"),
            ]),
            IERC20
        );
        assert_eq!(
            interface_id(&[
                sel("permit(address,address,uint256,uint256,uint8,bytes32,bytes32)"),
                sel("nonces(address)"),
                sel("DOMAIN_SEPARATOR()"),
            ]),
            IERC20_PERMIT
        );
        assert_eq!(
            interface_id(&[sel("royaltyInfo(uint256,uint256)")]),
            IERC2981
        );
        assert!(supports(IERC165, &[]));
        assert!(supports(IERC20, &[IERC20]));
        assert!(!supports(INVALID, &[INVALID]));
        assert!(!supports(IERC721, &[IERC20]));
    }
}
