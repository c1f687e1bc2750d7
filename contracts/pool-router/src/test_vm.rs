//! Unit tests: a TestVM wrapper that returns each mocked call's own return data.
//!
//! stylus-test 0.10.10's `TestVM` reports the right return-data *length* for a mocked call but
//! serves the bytes of the *last mock registered* (`read_return_data` reads one shared buffer set
//! by `mock_*`), so a contract that makes several calls with different answers reads garbage.
//! [`FixedVM`] delegates everything to the `TestVM` and, after each call, writes that call's mocked
//! answer into the buffer.

use alloy_primitives::{Address, B256, U256};
use stylus_sdk::{stylus_core::*, testing::TestVM};

/// A `TestVM` whose calls return their own mocked data (see the module docs).
#[derive(Clone)]
pub struct FixedVM(pub TestVM);

impl FixedVM {
    /// Stores `answer` (`Ok` or `Err` data; empty when unmocked) as the return data.
    fn set_return(&self, answer: Option<Result<Vec<u8>, Vec<u8>>>, outs_len: &mut usize) {
        let data = match answer {
            Some(Ok(d)) | Some(Err(d)) => d,
            None => Vec::new(),
        };
        *outs_len = data.len();
        self.0.write_result(&data);
    }
}

impl Host for FixedVM {}

impl CryptographyAccess for FixedVM {
    fn native_keccak256(&self, input: &[u8]) -> B256 {
        self.0.native_keccak256(input)
    }
}

impl CalldataAccess for FixedVM {
    fn read_args(&self, len: usize) -> Vec<u8> {
        self.0.read_args(len)
    }
    fn read_return_data(&self, offset: usize, size: Option<usize>) -> Vec<u8> {
        self.0.read_return_data(offset, size)
    }
    fn return_data_size(&self) -> usize {
        self.0.return_data_size()
    }
    fn write_result(&self, data: &[u8]) {
        self.0.write_result(data)
    }
}

unsafe impl UnsafeDeploymentAccess for FixedVM {
    unsafe fn create1(
        &self,
        code: *const u8,
        code_len: usize,
        endowment: *const u8,
        contract: *mut u8,
        revert_data_len: *mut usize,
    ) {
        self.0
            .create1(code, code_len, endowment, contract, revert_data_len)
    }
    unsafe fn create2(
        &self,
        code: *const u8,
        code_len: usize,
        endowment: *const u8,
        salt: *const u8,
        contract: *mut u8,
        revert_data_len: *mut usize,
    ) {
        self.0
            .create2(code, code_len, endowment, salt, contract, revert_data_len)
    }
}

impl StorageAccess for FixedVM {
    fn storage_load_bytes32(&self, key: U256) -> B256 {
        self.0.storage_load_bytes32(key)
    }
    unsafe fn storage_cache_bytes32(&self, key: U256, value: B256) {
        self.0.storage_cache_bytes32(key, value)
    }
    fn flush_cache(&self, clear: bool) {
        self.0.flush_cache(clear)
    }
}

unsafe impl UnsafeCallAccess for FixedVM {
    unsafe fn call_contract(
        &self,
        to: *const u8,
        data: *const u8,
        data_len: usize,
        value: *const u8,
        gas: u64,
        outs_len: &mut usize,
    ) -> u8 {
        let status = self
            .0
            .call_contract(to, data, data_len, value, gas, outs_len);
        let key = (
            Address::from_slice(core::slice::from_raw_parts(to, 20)),
            core::slice::from_raw_parts(data, data_len).to_vec(),
            U256::from_be_slice(core::slice::from_raw_parts(value, 32)),
        );
        self.set_return(self.0.snapshot().call_returns.get(&key).cloned(), outs_len);
        status
    }
    unsafe fn static_call_contract(
        &self,
        to: *const u8,
        data: *const u8,
        data_len: usize,
        gas: u64,
        outs_len: &mut usize,
    ) -> u8 {
        let status = self
            .0
            .static_call_contract(to, data, data_len, gas, outs_len);
        let key = (
            Address::from_slice(core::slice::from_raw_parts(to, 20)),
            core::slice::from_raw_parts(data, data_len).to_vec(),
        );
        self.set_return(
            self.0.snapshot().static_call_returns.get(&key).cloned(),
            outs_len,
        );
        status
    }
    unsafe fn delegate_call_contract(
        &self,
        to: *const u8,
        data: *const u8,
        data_len: usize,
        gas: u64,
        outs_len: &mut usize,
    ) -> u8 {
        self.0
            .delegate_call_contract(to, data, data_len, gas, outs_len)
    }
}

impl BlockAccess for FixedVM {
    fn block_basefee(&self) -> U256 {
        self.0.block_basefee()
    }
    fn block_coinbase(&self) -> Address {
        self.0.block_coinbase()
    }
    fn block_number(&self) -> u64 {
        self.0.block_number()
    }
    fn block_timestamp(&self) -> u64 {
        self.0.block_timestamp()
    }
    fn block_gas_limit(&self) -> u64 {
        self.0.block_gas_limit()
    }
}

impl ChainAccess for FixedVM {
    fn chain_id(&self) -> u64 {
        self.0.chain_id()
    }
}

impl AccountAccess for FixedVM {
    fn balance(&self, account: Address) -> U256 {
        self.0.balance(account)
    }
    fn contract_address(&self) -> Address {
        self.0.contract_address()
    }
    fn code(&self, account: Address) -> Vec<u8> {
        self.0.code(account)
    }
    fn code_size(&self, account: Address) -> usize {
        self.0.code_size(account)
    }
    fn code_hash(&self, account: Address) -> B256 {
        self.0.code_hash(account)
    }
}

impl MemoryAccess for FixedVM {
    fn pay_for_memory_grow(&self, pages: u16) {
        self.0.pay_for_memory_grow(pages)
    }
}

impl MessageAccess for FixedVM {
    fn msg_sender(&self) -> Address {
        self.0.msg_sender()
    }
    fn msg_reentrant(&self) -> bool {
        self.0.msg_reentrant()
    }
    fn msg_value(&self) -> U256 {
        self.0.msg_value()
    }
    fn tx_origin(&self) -> Address {
        self.0.tx_origin()
    }
}

impl MeteringAccess for FixedVM {
    fn evm_gas_left(&self) -> u64 {
        self.0.evm_gas_left()
    }
    fn evm_ink_left(&self) -> u64 {
        self.0.evm_ink_left()
    }
    fn tx_gas_price(&self) -> U256 {
        self.0.tx_gas_price()
    }
    fn tx_ink_price(&self) -> u32 {
        self.0.tx_ink_price()
    }
}

impl RawLogAccess for FixedVM {
    fn emit_log(&self, input: &[u8], num_topics: usize) {
        self.0.emit_log(input, num_topics)
    }
    fn raw_log(&self, topics: &[B256], data: &[u8]) -> Result<(), &'static str> {
        self.0.raw_log(topics, data)
    }
}
