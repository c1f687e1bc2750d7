//! Block timestamps, the `evm_increaseTime` offset and the block environment of a block.

use super::*;

impl Chain {
    // ------------------------------------------------------------------------------------------
    // Time
    // ------------------------------------------------------------------------------------------

    /// Timestamp the next block will get.
    pub fn peek_next_timestamp(&self) -> u64 {
        if let Some(t) = self.next_timestamp {
            return t;
        }
        let now = (now_secs() as i64).saturating_add(self.time_offset).max(0) as u64;
        now.max(self.head().header.timestamp + 1)
    }

    /// Called once a block with `timestamp` was mined.
    pub(super) fn consume_timestamp(&mut self, timestamp: u64) {
        if self.next_timestamp.take().is_some() {
            // Time continues from the forced timestamp.
            self.time_offset = timestamp as i64 - now_secs() as i64;
        }
    }

    /// `evm_increaseTime`: moves the clock forward; returns the total offset in seconds.
    pub fn increase_time(&mut self, seconds: i64) -> i64 {
        self.time_offset = self.time_offset.saturating_add(seconds);
        if let Some(t) = self.next_timestamp.as_mut() {
            *t = t.saturating_add_signed(seconds);
        }
        self.time_offset
    }

    /// `evm_setNextBlockTimestamp`: the next block gets exactly `timestamp` (must be after the
    /// latest block's).
    pub fn set_next_timestamp(&mut self, timestamp: u64) -> RpcResult<()> {
        let last = self.head().header.timestamp;
        if timestamp <= last {
            return Err(RpcError::invalid_params(format!(
                "timestamp {timestamp} is not after the latest block's timestamp {last}"
            )));
        }
        self.next_timestamp = Some(timestamp);
        Ok(())
    }

    /// `evm_setTime`-style absolute clock: the next block gets `timestamp` or now+offset.
    pub fn set_time(&mut self, timestamp: u64) -> i64 {
        self.time_offset = timestamp as i64 - now_secs() as i64;
        self.next_timestamp = None;
        self.time_offset
    }

    pub(super) fn block_info(&self, number: u64, timestamp: u64) -> BlockContext {
        BlockContext {
            l2_block_number: number,
            l1_block_number: l1_block_number(self.genesis_timestamp, timestamp),
            timestamp,
            basefee: BASE_FEE,
            gas_limit: BLOCK_GAS_LIMIT,
            coinbase: COINBASE,
            prevrandao: B256::with_last_byte(1),
            l2_block_hashes: self.recent_hashes(number),
            recent_programs: None,
        }
    }

    /// `ArbSys.arbBlockHash` lookup for a block `number`: the 256 blocks before it.
    fn recent_hashes(&self, number: u64) -> BlockHashes {
        let hashes = Arc::clone(&self.hashes);
        BlockHashes::new(move |n| {
            if n < number && n + 256 >= number {
                hashes.get(usize::try_from(n).ok()?).copied()
            } else {
                None
            }
        })
    }

    pub(super) fn block_info_for(&self, sel: StateSel) -> BlockContext {
        match sel {
            StateSel::Pending => {
                self.block_info(self.head_number() + 1, self.peek_next_timestamp())
            }
            StateSel::Block(n) => {
                let b = self.block(n).unwrap_or_else(|| self.head());
                self.block_info(b.number(), b.header.timestamp)
            }
        }
    }
}
