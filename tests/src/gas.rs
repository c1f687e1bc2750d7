//! Where a Stylus transaction's gas goes: the node's `debug_traceTransaction` with Nitro's
//! `stylusTracer` (one record per hostio with the ink before and after it), summed per program
//! frame and per hostio. Used by the gas bench (`tests/benches/vault_gas.rs`); prints, never asserts.

use std::{collections::BTreeMap, fmt::Write};

use alloy::{
    primitives::{Address, B256},
    providers::{DynProvider, Provider},
};
use anyhow::{Context, Result};
use serde_json::{json, Value};

/// Ink per gas at the devnode's (and Nitro's) default ink price.
pub const INK_PER_GAS: u64 = 10_000;

/// Cost of one hostio name inside one frame.
#[derive(Clone, Debug, Default)]
pub struct HostioCost {
    /// Times called.
    pub count: u64,
    /// Ink spent by the hostio itself (for calls: minus what the callee program used).
    pub ink: u64,
}

/// One Stylus program frame of a trace.
#[derive(Clone, Debug, Default)]
pub struct Frame {
    /// Program address (`None` for the transaction's target).
    pub address: Option<Address>,
    /// Ink at entry (`user_entrypoint`).
    pub ink_in: u64,
    /// Ink left after the last hostio.
    pub ink_out: u64,
    /// Ink per hostio name.
    pub hostios: BTreeMap<String, HostioCost>,
    /// Stylus programs called from this frame (their ink is not in `hostios`).
    pub children: Vec<Frame>,
    /// Ink of call hostios whose callee is EVM code (the callee's gas included).
    pub evm_callee_ink: u64,
    /// Wasm compute between consecutive hostios: (ink, hostio before (#n in the frame), hostio after).
    pub gaps: Vec<(u64, String, String)>,
}

impl Frame {
    /// Ink used between entry and the last hostio.
    pub fn ink_used(&self) -> u64 {
        self.ink_in.saturating_sub(self.ink_out)
    }

    /// Ink of the frame's hostios (call hostios without their Stylus callee).
    pub fn hostio_ink(&self) -> u64 {
        self.hostios.values().map(|h| h.ink).sum()
    }

    /// Ink spent inside sub-frames (Stylus callees' own use).
    pub fn children_ink(&self) -> u64 {
        self.children.iter().map(Frame::ink_used).sum()
    }

    /// Ink of pure wasm execution (everything between hostios).
    pub fn compute_ink(&self) -> u64 {
        self.ink_used()
            .saturating_sub(self.hostio_ink())
            .saturating_sub(self.children_ink())
    }
}

fn ink(e: &Value, key: &str) -> u64 {
    e[key].as_u64().unwrap_or(0)
}

/// Parses one Stylus frame's list of entries.
fn parse_frame(entries: &[Value], address: Option<Address>) -> Frame {
    let mut f = Frame {
        address,
        ..Frame::default()
    };
    let mut prev: Option<(u64, String)> = None;
    for (i, e) in entries.iter().enumerate() {
        let name = e["name"].as_str().unwrap_or_default();
        let (start, end) = (ink(e, "startInk"), ink(e, "endInk"));
        if start != 0 && name != "user_returned" {
            if let Some((prev_end, prev_name)) = prev.take() {
                f.gaps.push((
                    prev_end.saturating_sub(start),
                    prev_name,
                    format!("{name} #{i}"),
                ));
            }
            prev = Some((end, format!("{name} #{i}")));
        }
        match name {
            "user_entrypoint" => f.ink_in = ink(e, "startInk"),
            // Quirk: user_returned carries the initial ink, not what is left.
            "user_returned" => {}
            _ => {
                if start != 0 || end != 0 {
                    f.ink_out = end;
                }
                let mut cost = start.saturating_sub(end);
                if let Some(steps) = e["steps"].as_array() {
                    let callee: Option<Address> =
                        e["address"].as_str().and_then(|a| a.parse().ok());
                    let stylus_callee = steps.iter().any(|s| s["name"] == "user_entrypoint");
                    if stylus_callee {
                        let child = parse_frame(steps, callee);
                        cost = cost.saturating_sub(child.ink_used());
                        f.children.push(child);
                    } else if !name.starts_with("evm_") {
                        f.evm_callee_ink += cost;
                    }
                }
                let h = f.hostios.entry(name.to_string()).or_default();
                h.count += 1;
                h.ink += cost;
            }
        }
    }
    f
}

/// Traces transaction `hash` with the `stylusTracer` and returns the target's frame tree.
pub async fn stylus_frames(p: &DynProvider, hash: B256) -> Result<Frame> {
    let v: Value = p
        .raw_request(
            "debug_traceTransaction".into(),
            (hash, json!({ "tracer": "stylusTracer" })),
        )
        .await
        .context("debug_traceTransaction (stylusTracer)")?;
    let entries = v
        .as_array()
        .context("stylusTracer result is not an array")?;
    Ok(parse_frame(entries, None))
}

fn gas(ink: u64) -> f64 {
    ink as f64 / INK_PER_GAS as f64
}

/// Renders `frame` as a Markdown table (one section per Stylus frame): ink in gas units per hostio,
/// the pure wasm compute, and the call overheads (program entry + EVM call costs), naming
/// addresses through `names`.
pub fn render(frame: &Frame, names: &dyn Fn(Option<Address>) -> String, out: &mut String) {
    render_at(frame, names, out, 0);
}

fn render_at(f: &Frame, names: &dyn Fn(Option<Address>) -> String, out: &mut String, depth: usize) {
    let indent = "  ".repeat(depth);
    let _ = writeln!(
        out,
        "{indent}- frame {}: {:.0} gas inside the program (hostios {:.0}, wasm compute {:.0}, Stylus callees {:.0})",
        names(f.address),
        gas(f.ink_used()),
        gas(f.hostio_ink()),
        gas(f.compute_ink()),
        gas(f.children_ink()),
    );
    let mut rows: Vec<_> = f.hostios.iter().collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.1.ink));
    for (name, h) in rows {
        let note = match name.as_str() {
            "call_contract" | "static_call_contract" | "delegate_call_contract" => {
                " (call overhead: callee program entry, EVM call costs, and EVM callees' gas)"
            }
            _ => "",
        };
        let _ = writeln!(
            out,
            "{indent}  - {name} ×{}: {:.0} gas{note}",
            h.count,
            gas(h.ink)
        );
    }
    let mut gaps = f.gaps.clone();
    gaps.sort_by_key(|g| std::cmp::Reverse(g.0));
    for (ink, before, after) in gaps.iter().take(3).filter(|g| g.0 >= 1_000 * INK_PER_GAS) {
        let _ = writeln!(
            out,
            "{indent}  - wasm compute between {before} and {after}: {:.0} gas",
            gas(*ink)
        );
    }
    for c in &f.children {
        render_at(c, names, out, depth + 1);
    }
}

/// Opcode profile of an EVM transaction (the Solidity twin): gas per opcode class of the
/// depth-1 frame, from the node's struct logger. A call's cost is measured as the frame's gas
/// before it minus the gas after it returns, so it includes the callee's use (e.g. a Stylus
/// token's program entry and execution).
#[derive(Clone, Debug, Default)]
pub struct EvmProfile {
    /// (count, gas) per class: `SLOAD`, `SSTORE`, `CALL`, `STATICCALL`, `LOG`, `KECCAK256`,
    /// `TLOAD/TSTORE`, `compute` (everything else).
    pub classes: BTreeMap<String, (u64, u64)>,
    /// Gas the depth-1 frame used (first step's gas minus what was left after the last).
    pub total: u64,
}

/// Traces `hash` with the struct logger and sums its depth-1 opcodes by class.
pub async fn evm_profile(p: &DynProvider, hash: B256) -> Result<EvmProfile> {
    let v: Value = p
        .raw_request(
            "debug_traceTransaction".into(),
            (
                hash,
                json!({ "disableStorage": true, "disableMemory": true, "disableStack": true }),
            ),
        )
        .await
        .context("debug_traceTransaction (struct logger)")?;
    let logs = v["structLogs"]
        .as_array()
        .context("no structLogs in the trace")?;
    let steps: Vec<(u64, u64, u64, &str)> = logs
        .iter()
        .map(|s| {
            (
                s["depth"].as_u64().unwrap_or(0),
                s["gas"].as_u64().unwrap_or(0),
                s["gasCost"].as_u64().unwrap_or(0),
                s["op"].as_str().unwrap_or(""),
            )
        })
        .collect();
    let mut prof = EvmProfile::default();
    let top: Vec<_> = steps.iter().filter(|s| s.0 == 1).collect();
    for (k, s) in top.iter().enumerate() {
        let cost = match top.get(k + 1) {
            Some(next) => s.1.saturating_sub(next.1),
            None => s.2,
        };
        let class = match s.3 {
            "SLOAD" | "SSTORE" | "CALL" | "STATICCALL" | "DELEGATECALL" | "KECCAK256" => s.3,
            "TLOAD" | "TSTORE" => "TLOAD/TSTORE",
            op if op.starts_with("LOG") => "LOG",
            _ => "compute",
        };
        let e = prof.classes.entry(class.to_string()).or_default();
        e.0 += 1;
        e.1 += cost;
        prof.total += cost;
    }
    Ok(prof)
}

/// One line per class of `prof` (Markdown list).
pub fn render_evm(prof: &EvmProfile, out: &mut String) {
    let _ = writeln!(
        out,
        "- twin frame: {} gas of opcodes (calls include their callee)",
        prof.total
    );
    let mut rows: Vec<_> = prof.classes.iter().collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.1 .1));
    for (class, (n, g)) in rows {
        let _ = writeln!(out, "  - {class} ×{n}: {g} gas");
    }
}

alloy::sol! {
    /// ArbWasmCache precompile (0x72), the part the benches use.
    #[sol(rpc)]
    interface IArbWasmCache {
        function cacheProgram(address addr) external;
        function codehashIsCached(bytes32 codehash) external view returns (bool);
    }
}

/// ArbWasmCache precompile address.
pub const ARB_WASM_CACHE: Address =
    alloy::primitives::address!("0000000000000000000000000000000000000072");

/// Caches the Stylus program at `addr` through `ArbWasmCache.cacheProgram` (the sender must be a
/// chain owner or cache manager: the devnode's dev account is, and so is nitro-devnode's) and
/// checks its code hash is cached; `Ok(true)` once it is. On an external node where the sender
/// may not cache (a public chain: programs are cached there by bidding in the CacheManager,
/// `cargo stylus cache bid`), prints that the cached measurement is skipped and answers
/// `Ok(false)`.
pub async fn cache_program(p: &DynProvider, addr: Address) -> Result<bool> {
    let c = IArbWasmCache::new(ARB_WASM_CACHE, p);
    let hash = alloy::primitives::keccak256(p.get_code_at(addr).await?);
    if c.codehashIsCached(hash).call().await? {
        return Ok(true);
    }
    if crate::is_external() {
        if let Err(e) = c.cacheProgram(addr).call().await {
            crate::skipped(&format!(
                "cacheProgram({addr}) refused ({e}): only a chain owner or cache manager may cache"
            ));
            return Ok(false);
        }
    }
    let receipt = c.cacheProgram(addr).send().await?.get_receipt().await?;
    anyhow::ensure!(receipt.status(), "cacheProgram({addr}) reverted");
    anyhow::ensure!(
        c.codehashIsCached(hash).call().await?,
        "{addr} is not cached"
    );
    Ok(true)
}
