//! The parameters `deploy` wires the suite with (and `demo` models): token names, the lending
//! market's IRM curve, LLTV, price feed and oracle bounds. Pure constants and their derivations.

use alloy::primitives::{I256, U256};

use crate::suite::OracleConfig;

/// 1e18.
pub const WAD: u128 = 1_000_000_000_000_000_000;
/// Seconds in a 365-day year.
pub const YEAR: u64 = 365 * 24 * 3600;

/// `(name, symbol)` of the asset token (the loan token of the market, a pool token).
pub const ASSET_TOKEN: (&str, &str) = ("Stylus USD", "sUSD");
/// `(name, symbol)` of the reward token every incentive stream pays.
pub const REWARD_TOKEN: (&str, &str) = ("Stylus Reward", "sRWD");
/// `(name, symbol)` of the collateral token (the other pool token).
pub const COLLATERAL_TOKEN: (&str, &str) = ("Stylus ETH", "sETH");

/// IRM base rate: 1% a year, per second.
pub const IRM_BASE: u128 = WAD / 100 / YEAR as u128;
/// IRM slope below the kink: 4% a year per unit of utilisation, per second.
pub const IRM_SLOPE: u128 = 4 * WAD / 100 / YEAR as u128;
/// IRM kink: 80% utilisation.
pub const IRM_KINK: u128 = 8 * WAD / 10;
/// IRM slope above the kink: 300% a year per unit of utilisation, per second.
pub const IRM_JUMP: u128 = 3 * WAD / YEAR as u128;
/// The LLTV enabled and used by the seeded market: 80%.
pub const LLTV: u128 = 8 * WAD / 10;

/// Decimals of the price feed.
pub const FEED_DECIMALS: u8 = 8;
/// Whole sUSD per sETH: the feed's answer and the pool's seeding ratio.
pub const SETH_PRICE: u64 = 2_000;
/// The feed's answer: [`SETH_PRICE`] with [`FEED_DECIMALS`].
pub const FEED_ANSWER: i128 = SETH_PRICE as i128 * 100_000_000;
/// The oracle's bounds on the answer: (0.01, 1,000,000) sUSD per sETH.
pub const MIN_ANSWER: i128 = 1_000_000;
/// See [`MIN_ANSWER`].
pub const MAX_ANSWER: i128 = 1_000_000 * 100_000_000;
/// The oracle's staleness bound (one day, Chainlink's heartbeat for most feeds).
pub const MAX_STALENESS: u64 = 86_400;
/// The oracle's grace period after the sequencer restarts (Chainlink's recommended hour).
pub const GRACE_PERIOD: u64 = 3_600;

/// `(name, symbol)` of the royalty NFT collection.
pub const NFT_COLLECTION: (&str, &str) = ("Stylus Yield Art", "SYART");
/// The collection's mint price: 0.1 ETH.
pub const NFT_PRICE_WEI: u128 = WAD / 10;
/// The collection's maximum supply.
pub const NFT_MAX_SUPPLY: u64 = 10_000;
/// Default ERC-2981 royalty: 10 %.
pub const NFT_ROYALTY_BPS: u64 = 1_000;
/// Holders' part of every royalty: 50 % (streamed through the reward module, ETH as WETH).
pub const NFT_HOLDER_BPS: u64 = 5_000;
/// Creator recipients' labels and shares (bps, summing to 10,000): an artist and a studio.
pub const NFT_CREATORS: [(&str, u64); 2] = [("erin", 7_000), ("frank", 3_000)];

/// A throwaway account whose key is `keccak256("stylus-yield demo user <name>")`: the demo's
/// users and the NFT's creator recipients. The key derives from a public label: anyone can
/// spend what such an account holds (devnode and testnet use only).
pub fn demo_key(name: &str) -> alloy::signers::local::PrivateKeySigner {
    let seed = alloy::primitives::keccak256(format!("stylus-yield demo user {name}"));
    alloy::signers::local::PrivateKeySigner::from_bytes(&seed).expect("a keccak256 is a valid key")
}

/// The NFT's creator recipients and shares ([`NFT_CREATORS`] as addresses).
pub fn nft_creators() -> Vec<(alloy::primitives::Address, u64)> {
    NFT_CREATORS
        .iter()
        .map(|(name, share)| (demo_key(name).address(), *share))
        .collect()
}

/// `x` as an `I256`.
pub fn int(x: i128) -> I256 {
    I256::try_from(x).expect("an i128 fits in an I256")
}

/// The IRM constructor's arguments `(base, slope, kink, jumpSlope)`.
pub fn irm_curve() -> (U256, U256, U256, U256) {
    (
        U256::from(IRM_BASE),
        U256::from(IRM_SLOPE),
        U256::from(IRM_KINK),
        U256::from(IRM_JUMP),
    )
}

/// The IRM's rate at utilisation `u` (WAD), every division rounded down (`lending-irm`).
pub fn irm_rate_at(u: U256) -> U256 {
    let wad = U256::from(WAD);
    let u = u.min(wad);
    let kink = U256::from(IRM_KINK);
    U256::from(IRM_BASE)
        + u.min(kink) * U256::from(IRM_SLOPE) / wad
        + u.saturating_sub(kink) * U256::from(IRM_JUMP) / wad
}

/// The oracle over `feed` and `sequencer` (both tokens 18 decimals).
pub fn oracle_config(
    feed: alloy::primitives::Address,
    sequencer: alloy::primitives::Address,
) -> OracleConfig {
    OracleConfig {
        feed,
        sequencer_feed: sequencer,
        grace_period: U256::from(GRACE_PERIOD),
        max_staleness: U256::from(MAX_STALENESS),
        min_answer: int(MIN_ANSWER),
        max_answer: int(MAX_ANSWER),
        collateral_decimals: 18,
        loan_decimals: 18,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn irm_curve_is_continuous_at_the_kink() {
        let kink = irm_rate_at(U256::from(IRM_KINK));
        assert_eq!(
            kink,
            U256::from(IRM_BASE) + U256::from(IRM_KINK) * U256::from(IRM_SLOPE) / U256::from(WAD)
        );
        assert!(irm_rate_at(U256::from(9 * WAD / 10)) > kink);
        assert_eq!(
            irm_rate_at(U256::from(2 * WAD)),
            irm_rate_at(U256::from(WAD))
        );
    }
}
