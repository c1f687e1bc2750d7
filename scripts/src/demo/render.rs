//! The demo's output: ONE table (per user and stream: put in, earned, the formula's figure, APR,
//! days held, gas of each action), then what the counterparties paid, the deployment's cost and
//! the wall time by phase.

use alloy::primitives::U256;

use super::{DemoReport, Stream};
use crate::deploy::Outcome;
use crate::suite::format_units18;
use crate::ui::format_duration;

/// `amount` (18 decimals) with at most 6 decimals shown, rounded down (the table's short form;
/// the full figures are in the report).
pub(super) fn short(amount: U256) -> String {
    let micro = amount / U256::from(1_000_000_000_000u64);
    let text = format_units18(micro * U256::from(1_000_000_000_000u64));
    if micro.is_zero() && !amount.is_zero() {
        format_units18(amount)
    } else {
        text
    }
}

/// Renders the report.
pub fn render(report: &DemoReport) -> String {
    let mut out = String::new();
    out += &format!(
        "\n{:<6} {:<18} {:>25} {:>20} {:>14} {:>8} {:>5}  {}\n",
        "user", "stream", "put in", "earned", "formula", "APR", "days", "gas per action"
    );
    for r in &report.streams {
        let gas = r
            .gas
            .iter()
            .map(|(a, g)| format!("{a} {g}"))
            .collect::<Vec<_>>()
            .join(", ");
        out += &format!(
            "{:<6} {:<18} {:>25} {:>20} {:>14} {:>8} {:>5.2}  {}\n",
            r.user,
            r.stream.label(),
            r.put_in,
            format!("{} {}", short(r.earned), r.token),
            short(r.formula),
            if r.put_in_value.is_zero() {
                "-".to_string()
            } else {
                format!("{:.2}%", r.apr_percent())
            },
            r.held_secs as f64 / 86_400.0,
            gas
        );
    }
    let all_match = report.streams.iter().all(|r| r.earned == r.formula);
    out += &format!(
        "every earned figure {} its formula to the wei (checked on chain before printing):\n",
        if all_match {
            "equals"
        } else {
            "DOES NOT equal"
        }
    );
    let mut streams: Vec<Stream> = report.streams.iter().map(|r| r.stream).collect();
    streams.sort();
    streams.dedup();
    for s in streams {
        out += &format!("  {:<18} {}\n", s.label(), s.formula());
    }
    let sc = &report.scenario;
    out += &format!(
        "APR = earned value / put-in value × year / time held; sRWD valued at {} sUSD (demo \
         assumption), sETH, ETH and WETH at the oracle's {} sUSD.\n",
        format_units18(sc.reward_price_wei),
        crate::params::SETH_PRICE
    );
    let cp = &report.counterparties;
    out += &format!(
        "counterparties: carol (trader) paid {} sUSD over two {} sUSD round trips; dave (borrower) \
         paid {} sUSD interest on {} sUSD (the market accrued {}).\n",
        short(cp.trader_paid),
        sc.swap_susd,
        format_units18(cp.borrower_paid),
        sc.borrow_susd,
        format_units18(cp.market_interest)
    );
    out += &format!(
        "NFT: carol paid {} ETH of royalties ({}% of two {} ETH sales) to the collection; holders \
         get {}% (WETH, streamed over a day by tokens held), creators the rest and the mint \
         proceeds ({} ETH a token).\n",
        format_units18(cp.royalties_paid),
        crate::params::NFT_ROYALTY_BPS / 100,
        format_units18(sc.nft_sale_wei),
        crate::params::NFT_HOLDER_BPS / 100,
        format_units18(U256::from(crate::params::NFT_PRICE_WEI)),
    );
    let d = &report.deployment;
    let fees: U256 = d
        .deployments
        .contracts
        .values()
        .filter_map(|c| c.activation.as_ref().map(|a| a.data_fee))
        .sum();
    let sent = d
        .steps
        .iter()
        .filter(|s| matches!(s.outcome, Outcome::Sent { .. }))
        .count();
    out += &format!(
        "deploy: {} contracts, {} transactions, {} gas, activation data fees {} ETH.\n",
        d.deployments.contracts.len(),
        sent,
        d.gas_total(),
        format_units18(fees)
    );
    let t = &report.timings;
    out += &format!(
        "time: build {} · node start {} · deploy {} · activation {} · actions {} · total {}\n",
        format_duration(t.build),
        format_duration(t.node_start),
        format_duration(t.deploy),
        format_duration(t.activation),
        format_duration(t.actions),
        format_duration(t.total),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_keeps_six_decimals() {
        let e12 = U256::from(1_000_000_000_000u64);
        assert_eq!(short(U256::from(1_234_567u64) * e12), "1.234567");
        assert_eq!(
            short(U256::from(1_234_567u64) * e12 + U256::from(999u64)),
            "1.234567"
        );
        assert_eq!(short(U256::from(5u64)), "0.000000000000000005");
    }
}
