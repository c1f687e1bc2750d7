//! Strings of any length in storage without `StorageString` (whose length maths links ruint's
//! generic division, see the kit's size rules), and decimal token ids.

use alloc::{string::String, vec::Vec};
use alloy_primitives::{B256, U256};
use stylus_sdk::{
    prelude::*,
    storage::{StorageB256, StorageMap, StorageU32},
};

/// A UTF-8 string stored as its byte length and 32-byte words (word `i` at key `i`).
#[storage]
pub struct LongString {
    len: StorageU32,
    words: StorageMap<U256, StorageB256>,
}

impl LongString {
    /// Whether the string is empty.
    pub fn is_empty(&self) -> bool {
        self.len.get().is_zero()
    }

    /// The stored string.
    pub fn get(&self) -> String {
        let len = self.len.get().to::<u32>() as usize;
        let mut bytes = Vec::with_capacity(len + 31);
        let mut i = 0u64;
        while bytes.len() < len {
            bytes.extend_from_slice(self.words.get(U256::from(i)).as_slice());
            i += 1;
        }
        bytes.truncate(len);
        // Only whole `&str`s are ever stored.
        String::from_utf8(bytes).unwrap_or_default()
    }

    /// Replaces the stored string (words past the new end are left: the length bounds reads).
    pub fn set(&mut self, s: &str) {
        let bytes = s.as_bytes();
        self.len
            .set(alloy_primitives::Uint::<32, 1>::from(bytes.len() as u32));
        for (i, chunk) in bytes.chunks(32).enumerate() {
            let mut w = [0u8; 32];
            w[..chunk.len()].copy_from_slice(chunk);
            self.words.setter(U256::from(i as u64)).set(B256::new(w));
        }
    }
}

/// `n` in decimal.
pub fn decimal(mut n: u64) -> String {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    String::from(core::str::from_utf8(&buf[i..]).unwrap_or(""))
}
