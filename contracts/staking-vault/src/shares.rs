//! ERC-4626 share maths with virtual shares and assets (inflation-attack defence), the rounding
//! direction in every name (Morpho `SharesMathLib` style).
//!
//! `shares = assets · (S + 10^δ) / (A + 1)` and `assets = shares · (A + 1) / (S + 10^δ)` with
//! `δ = DECIMALS_OFFSET`. The virtual `10^δ` shares and 1 asset make an empty vault behave as if
//! it already held a position worth 1 wei, so donating to an empty vault dilutes mostly the virtual
//! position: a first-depositor attack must donate `10^δ` times what it steals.

use alloy_primitives::U256;
use kit::math::{mul_div_down, mul_div_up, MathError, MathOverflow};

/// Decimals the share token has on top of the asset's (≥ 3, as recommended for 18-decimal
/// assets).
pub const DECIMALS_OFFSET: u8 = 3;

/// `10^DECIMALS_OFFSET` virtual shares.
pub const VIRTUAL_SHARES: U256 = U256::from_limbs([1_000, 0, 0, 0]);

/// One virtual asset.
pub const VIRTUAL_ASSETS: U256 = U256::from_limbs([1, 0, 0, 0]);

fn virtual_totals(total_assets: U256, total_supply: U256) -> Result<(U256, U256), MathError> {
    let overflow = || MathError::MathOverflow(MathOverflow {});
    Ok((
        total_assets
            .checked_add(VIRTUAL_ASSETS)
            .ok_or_else(overflow)?,
        total_supply
            .checked_add(VIRTUAL_SHARES)
            .ok_or_else(overflow)?,
    ))
}

/// Shares worth `assets`, rounded down (deposit, convertToShares).
pub fn to_shares_down(
    assets: U256,
    total_assets: U256,
    total_supply: U256,
) -> Result<U256, MathError> {
    let (a, s) = virtual_totals(total_assets, total_supply)?;
    mul_div_down(assets, s, a)
}

/// Shares worth `assets`, rounded up (withdraw: the owner burns at least enough).
pub fn to_shares_up(
    assets: U256,
    total_assets: U256,
    total_supply: U256,
) -> Result<U256, MathError> {
    let (a, s) = virtual_totals(total_assets, total_supply)?;
    mul_div_up(assets, s, a)
}

/// Assets worth `shares`, rounded down (redeem, convertToAssets).
pub fn to_assets_down(
    shares: U256,
    total_assets: U256,
    total_supply: U256,
) -> Result<U256, MathError> {
    let (a, s) = virtual_totals(total_assets, total_supply)?;
    mul_div_down(shares, a, s)
}

/// Assets worth `shares`, rounded up (mint: the depositor pays at least enough).
pub fn to_assets_up(
    shares: U256,
    total_assets: U256,
    total_supply: U256,
) -> Result<U256, MathError> {
    let (a, s) = virtual_totals(total_assets, total_supply)?;
    mul_div_up(shares, a, s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn u(x: u128) -> U256 {
        U256::from(x)
    }

    #[test]
    fn empty_vault_mints_virtual_ratio() {
        assert_eq!(
            to_shares_down(u(1), U256::ZERO, U256::ZERO).unwrap(),
            u(1_000)
        );
        assert_eq!(
            to_assets_down(u(1_000), U256::ZERO, U256::ZERO).unwrap(),
            u(1)
        );
        assert_eq!(to_assets_up(u(1), U256::ZERO, U256::ZERO).unwrap(), u(1));
        assert_eq!(to_shares_up(u(1), u(11), u(10_000)).unwrap(), u(917));
        assert_eq!(to_shares_down(u(1), u(11), u(10_000)).unwrap(), u(916));
        assert!(to_shares_down(u(1), U256::MAX, U256::ZERO).is_err());
    }

    /// Replays the ERC-4626 first-depositor inflation attack on the share maths alone (as if the
    /// vault counted donations; the vault itself ignores them, see its tests): the attacker
    /// deposits 1 wei, donates `donation`, the victim deposits. The victim still gets shares and
    /// the attacker loses money.
    #[test]
    fn inflation_attack_replay_is_unprofitable() {
        let attacker_deposit = u(1);
        let donation = u(10_000) * u(10u128.pow(18));
        let victim_deposit = u(10_000) * u(10u128.pow(18));
        let attacker_shares = to_shares_down(attacker_deposit, U256::ZERO, U256::ZERO).unwrap();
        let (mut assets, mut supply) = (attacker_deposit, attacker_shares);
        assets += donation;
        let victim_shares = to_shares_down(victim_deposit, assets, supply).unwrap();
        assert!(victim_shares > U256::ZERO, "victim must get shares");
        assets += victim_deposit;
        supply += victim_shares;
        let attacker_out = to_assets_down(attacker_shares, assets, supply).unwrap();
        let victim_out = to_assets_down(victim_shares, assets, supply).unwrap();
        assert!(
            attacker_out < attacker_deposit + donation,
            "attack must not pay"
        );
        // The victim loses at most 1/1000 of the attacker's donation (virtual shares absorb it).
        assert!(victim_deposit - victim_out <= donation / u(1_000) + u(1));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        /// No profitable round trip: redeem(deposit(a)) ≤ a and mint costs at least what redeem
        /// returns; up-rounding is down-rounding plus at most one.
        #[test]
        fn round_trips_never_profit(
            a in 0u128..u128::MAX / 2,
            total_assets in 0u128..u128::MAX / 2,
            total_supply in 0u128..u128::MAX / 2,
        ) {
            let (a, ta, ts) = (u(a), u(total_assets), u(total_supply));
            let shares = to_shares_down(a, ta, ts).unwrap();
            let back = to_assets_down(shares, ta + a, ts + shares).unwrap();
            prop_assert!(back <= a, "deposit/redeem round trip profits: {} > {}", back, a);
            let cost = to_assets_up(shares, ta, ts).unwrap();
            prop_assert!(cost <= a, "deposit gave more shares than assets buy");
            let burn = to_shares_up(a, ta, ts).unwrap();
            prop_assert!(burn >= shares);
            prop_assert!(burn - shares <= U256::from(1) + (ts + VIRTUAL_SHARES) / (ta + VIRTUAL_ASSETS));
            let up = to_assets_up(shares, ta, ts).unwrap();
            let down = to_assets_down(shares, ta, ts).unwrap();
            prop_assert!(up >= down && up - down <= U256::from(1));
        }

        /// Share price `(A+1)/(S+10^δ)` never decreases through deposits, mints, withdrawals or
        /// redemptions: rounding always favours the vault.
        #[test]
        fn share_price_never_decreases(
            ta in 0u128..1u128 << 100,
            ts in 0u128..1u128 << 100,
            x in 1u128..1u128 << 100,
            kind in 0u8..4,
        ) {
            let (ta, ts, x) = (u(ta), u(ts), u(x));
            let (na, ns) = match kind {
                0 => { let s = to_shares_down(x, ta, ts).unwrap(); (ta + x, ts + s) }
                1 => { let a = to_assets_up(x, ta, ts).unwrap(); (ta + a, ts + x) }
                2 => {
                    let max = to_assets_down(ts, ta, ts).unwrap();
                    let a = x.min(max);
                    let s = to_shares_up(a, ta, ts).unwrap();
                    prop_assume!(s <= ts);
                    (ta - a, ts - s)
                }
                _ => {
                    let s = x.min(ts);
                    let a = to_assets_down(s, ta, ts).unwrap();
                    (ta - a, ts - s)
                }
            };
            // (na+1)/(ns+v) >= (ta+1)/(ts+v)  <=>  (na+1)(ts+v) >= (ta+1)(ns+v)
            let lhs = (na + VIRTUAL_ASSETS) * (ts + VIRTUAL_SHARES);
            let rhs = (ta + VIRTUAL_ASSETS) * (ns + VIRTUAL_SHARES);
            prop_assert!(lhs >= rhs, "price decreased");
        }
    }
}
