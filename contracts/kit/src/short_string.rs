//! Strings of at most 31 bytes packed into one storage word: the UTF-8 bytes left-aligned, the
//! length in the last byte (the layout of OpenZeppelin's `ShortString`).
//!
//! Why not `StorageString`: its length getter divides a `U256`, which links ruint's generic
//! 256-bit division (~7.6 KB of wasm) into the contract. A word read is also one `SLOAD`.

use alloc::string::String;

use alloy_primitives::B256;

/// Longest string that fits (bytes).
pub const MAX_LEN: usize = 31;

/// Packs `s` into a word, truncating to [`MAX_LEN`] bytes at a character boundary.
pub fn encode_truncated(s: &str) -> B256 {
    let mut len = s.len().min(MAX_LEN);
    while !s.is_char_boundary(len) {
        len -= 1;
    }
    let mut word = [0u8; 32];
    word[..len].copy_from_slice(&s.as_bytes()[..len]);
    word[31] = len as u8;
    B256::from(word)
}

/// Packs `s` into a word, or `None` if it is longer than [`MAX_LEN`] bytes.
pub fn encode(s: &str) -> Option<B256> {
    (s.len() <= MAX_LEN).then(|| encode_truncated(s))
}

/// Unpacks a word written by [`encode`] / [`encode_truncated`] (an all-zero word is `""`).
pub fn decode(word: B256) -> String {
    let len = (word[31] as usize).min(MAX_LEN);
    // Only `encode*` writes these words and it keeps whole characters, so this never fails.
    String::from_utf8(word[..len].to_vec()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_truncates_on_char_boundaries() {
        for s in [
            "",
            "Stylus Yield Vault Share",
            "é",
            "0123456789012345678901234567890",
        ] {
            assert_eq!(decode(encode(s).unwrap()), s);
        }
        assert_eq!(encode("01234567890123456789012345678901"), None);
        // 30 ASCII bytes + a 2-byte character: truncated before the character.
        let s = format!("{}é", "a".repeat(30));
        assert_eq!(decode(encode_truncated(&s)), "a".repeat(30));
        assert_eq!(decode(B256::ZERO), "");
    }
}
