//! Stylus chain parameters (spec §1.11) and the per-call init-gas helpers (spec §2.1 step 2).

/// The Stylus parameters stored in ArbOS (spec §1.11), with helpers that turn them into gas.
///
/// [`StylusParams::default`] gives the ArbOS 51 values; [`StylusParams::for_arbos`] adjusts
/// the version-gated ones (Stylus version, `MinInitGas`, `MaxStackDepth`) for other ArbOS versions.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct StylusParams {
    /// Stylus version programs must be activated at (2 from ArbOS 31, 1 before).
    pub version: u16,
    /// Ink per unit of gas (u24 in storage; default 10 000).
    pub ink_price: u32,
    /// Depth-checker budget in words (22 000 from ArbOS 50; 262 144 before).
    pub max_stack_depth: u32,
    /// Pages per transaction free of charge (2).
    pub free_pages: u16,
    /// Linear gas per page (1 000).
    pub page_gas: u16,
    /// Reported by `ArbWasm.pageRamp()` only; the exponential term uses a fixed table (620 674 314).
    pub page_ramp: u64,
    /// Maximum initial pages of a program (128 = 8 MiB).
    pub page_limit: u16,
    /// `MinInitGas` in units of 128 gas (69 from ArbOS 31, 72 before).
    pub min_init_gas: u8,
    /// `MinCachedInitGas` in units of 32 gas (11).
    pub min_cached_init_gas: u8,
    /// `InitCostScalar` in units of 2 % (50 = 100 %).
    pub init_cost_scalar: u8,
    /// `CachedCostScalar` in units of 2 % (50 = 100 %).
    pub cached_cost_scalar: u8,
    /// Days until an activation expires (365).
    pub expiry_days: u16,
    /// Days after activation before a keepalive is allowed (31).
    pub keepalive_days: u16,
    /// Per-block recent-program cache size (32; only consulted from ArbOS 60).
    pub block_cache_size: u16,
    /// Maximum decompressed wasm size in bytes (131 072).
    pub max_wasm_size: u32,
    /// Maximum number of fragments of a root program (2; ArbOS 60).
    pub max_fragment_count: u8,
    /// Flat extra activation gas (0; ArbOS 60).
    pub activation_gas: u64,
}

/// `MaxStackDepth` from ArbOS 50 on.
pub const MAX_STACK_DEPTH_ARBOS_50: u32 = 22_000;
/// `MaxStackDepth` up to ArbOS 49 (4 × 65 536).
pub const MAX_STACK_DEPTH_LEGACY: u32 = 262_144;
/// The constant reported by `ArbWasm.pageRamp()`.
pub const PAGE_RAMP: u64 = 620_674_314;
/// The ArbOS version whose defaults [`StylusParams::default`] returns.
pub const DEFAULT_ARBOS_VERSION: u64 = 51;

impl Default for StylusParams {
    fn default() -> Self {
        Self {
            version: 2,
            ink_price: 10_000,
            max_stack_depth: MAX_STACK_DEPTH_ARBOS_50,
            free_pages: 2,
            page_gas: 1_000,
            page_ramp: PAGE_RAMP,
            page_limit: 128,
            min_init_gas: 69,
            min_cached_init_gas: 11,
            init_cost_scalar: 50,
            cached_cost_scalar: 50,
            expiry_days: 365,
            keepalive_days: 31,
            block_cache_size: 32,
            max_wasm_size: 128 * 1024,
            max_fragment_count: 2,
            activation_gas: 0,
        }
    }
}

impl StylusParams {
    /// Defaults for a chain initialised at `arbos_version` (30 ≤ version; later versions get the
    /// ArbOS 51 values): Stylus version 1 and `MinInitGas` 72 at ArbOS 30, `MaxStackDepth`
    /// 262 144 up to ArbOS 49.
    pub fn for_arbos(arbos_version: u64) -> Self {
        let mut params = Self::default();
        if arbos_version < 31 {
            params.version = 1;
            params.min_init_gas = 72;
        }
        if arbos_version < 50 {
            params.max_stack_depth = MAX_STACK_DEPTH_LEGACY;
        }
        params
    }

    /// Returns a copy with a different `MaxStackDepth` (the devnode makes it configurable).
    pub fn with_max_stack_depth(mut self, max_stack_depth: u32) -> Self {
        self.max_stack_depth = max_stack_depth;
        self
    }

    /// Ink per gas as a `u64`.
    pub fn ink_price(&self) -> u64 {
        u64::from(self.ink_price)
    }

    /// `gas × inkPrice`, saturating.
    pub fn gas_to_ink(&self, gas: u64) -> u64 {
        gas.saturating_mul(self.ink_price())
    }

    /// `floor(ink / inkPrice)` (0 if the ink price were 0).
    pub fn ink_to_gas(&self, ink: u64) -> u64 {
        ink.checked_div(self.ink_price()).unwrap_or(0)
    }

    /// `MinInitGas × 128` (8 832 gas at ArbOS 51).
    pub fn min_init_gas_total(&self) -> u64 {
        u64::from(self.min_init_gas) * 128
    }

    /// `MinCachedInitGas × 32` (352 gas).
    pub fn min_cached_init_gas_total(&self) -> u64 {
        u64::from(self.min_cached_init_gas) * 32
    }

    /// `InitCostScalar` as a percentage (100).
    pub fn init_cost_scalar_percent(&self) -> u64 {
        u64::from(self.init_cost_scalar) * 2
    }

    /// `CachedCostScalar` as a percentage (100).
    pub fn cached_cost_scalar_percent(&self) -> u64 {
        u64::from(self.cached_cost_scalar) * 2
    }

    /// Uncached init gas of a program: `MinInitGas·128 + ceil(init_cost · InitCostScalar·2 / 100)`
    /// (spec §2.1 step 2; `8 832 + init_cost` with defaults).
    pub fn init_gas(&self, init_cost: u16) -> u64 {
        self.min_init_gas_total()
            + (u64::from(init_cost) * self.init_cost_scalar_percent()).div_ceil(100)
    }

    /// Cached init gas of a program: `MinCachedInitGas·32 + ceil(cached_init_cost · CachedCostScalar·2 / 100)`
    /// (spec §2.1 step 2; `352 + cached_init_cost` with defaults).
    pub fn cached_gas(&self, cached_init_cost: u16) -> u64 {
        self.min_cached_init_gas_total()
            + (u64::from(cached_init_cost) * self.cached_cost_scalar_percent()).div_ceil(100)
    }

    /// The init part of a program call's cost (spec §2.1 step 2, without the memory term):
    /// `cachedGas` if the program is cached or `version > 1`, plus `initGas` if it is not cached.
    pub fn program_init_gas(&self, init_cost: u16, cached_init_cost: u16, cached: bool) -> u64 {
        let mut gas = 0u64;
        if cached || self.version > 1 {
            gas += self.cached_gas(cached_init_cost);
        }
        if !cached {
            gas += self.init_gas(init_cost);
        }
        gas
    }

    /// `ArbWasm.programInitGas` result: `(gas, gasWhenCached)` = `(initGas + cachedGas, cachedGas)`
    /// at Stylus version 2 (version 1: `(initGas, cachedGas)`).
    pub fn program_init_gas_pair(&self, init_cost: u16, cached_init_cost: u16) -> (u64, u64) {
        (
            self.program_init_gas(init_cost, cached_init_cost, false),
            self.program_init_gas(init_cost, cached_init_cost, true),
        )
    }

    /// Seconds until an activation expires.
    pub fn expiry_seconds(&self) -> u64 {
        u64::from(self.expiry_days) * 86_400
    }

    /// Seconds after activation before `codehashKeepalive` is allowed.
    pub fn keepalive_seconds(&self) -> u64 {
        u64::from(self.keepalive_days) * 86_400
    }

    /// Stack budget the host writes into `stylus_stack_left` at every invocation.
    pub fn stack_budget(&self) -> u32 {
        self.max_stack_depth
    }
}
