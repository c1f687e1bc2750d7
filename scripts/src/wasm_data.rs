//! Data-segment packing: drops the zero runs of a module's active data segments.
//!
//! Why: Nitro charges every entry into a **cached** program `352 + cached_init_cost` gas, and
//! `cached_init_cost` grows by 0.75244 gas per byte of data segments (stylus-host-spec.md §1.7),
//! zeros included. rustc's statics are full of zero runs (alloy-sol-types builds each tuple's
//! `SOL_NAME` in a 256-byte `NameBuffer` that is emitted whole, zero padding and all), so the
//! staking vault carried ~2.9 KB of zeros in a 4.6 KB segment: ~2,200 gas on every cached call.
//! Memory starts zeroed, so a segment split around its zero runs initialises the same bytes
//! (what `wasm-opt --memory-packing` does; binaryen is not a dependency of this workspace).
//!
//! Only modules whose segments are all active, in memory 0, at `i32.const` offsets and not
//! overlapping are rewritten (rustc/wasm-ld output); anything else is returned unchanged. Nitro
//! forbids the DataCount section, so no `memory.init` / `data.drop` can refer to segment indices.

/// Zero runs at least this long are cut out of a segment: a new segment costs at most
/// 1 (flag) + 1 (`i32.const`) + 5 (offset) + 1 (`end`) + 5 (length) = 13 bytes.
const MIN_GAP: usize = 14;

fn read_uleb(b: &[u8], i: &mut usize) -> Option<u64> {
    let (mut r, mut shift) = (0u64, 0u32);
    loop {
        let x = *b.get(*i)?;
        *i += 1;
        r |= u64::from(x & 0x7f).checked_shl(shift)?;
        if x < 0x80 {
            return Some(r);
        }
        shift += 7;
        if shift > 63 {
            return None;
        }
    }
}

fn read_sleb32(b: &[u8], i: &mut usize) -> Option<i32> {
    let (mut r, mut shift) = (0i64, 0u32);
    loop {
        let x = *b.get(*i)?;
        *i += 1;
        r |= i64::from(x & 0x7f) << shift;
        shift += 7;
        if x < 0x80 {
            if shift < 64 && x & 0x40 != 0 {
                r |= -1i64 << shift;
            }
            return i32::try_from(r).ok();
        }
        if shift > 35 {
            return None;
        }
    }
}

fn write_uleb(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn write_sleb(out: &mut Vec<u8>, mut v: i64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        let done = (v == 0 && byte & 0x40 == 0) || (v == -1 && byte & 0x40 != 0);
        if done {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Parses a data section body into `(offset, bytes)` segments, or `None` if it is not in the
/// simple form this pass handles.
fn parse_segments(body: &[u8]) -> Option<Vec<(u32, &[u8])>> {
    let mut i = 0;
    let count = read_uleb(body, &mut i)?;
    let mut segs = Vec::new();
    for _ in 0..count {
        // Flag 0: active, memory 0, offset expression follows.
        if read_uleb(body, &mut i)? != 0 || *body.get(i)? != 0x41 {
            return None;
        }
        i += 1;
        let offset = u32::try_from(read_sleb32(body, &mut i)?).ok()?;
        if *body.get(i)? != 0x0b {
            return None;
        }
        i += 1;
        let len = usize::try_from(read_uleb(body, &mut i)?).ok()?;
        let bytes = body.get(i..i.checked_add(len)?)?;
        i += len;
        segs.push((offset, bytes));
    }
    (i == body.len()).then_some(segs)
}

/// Splits `(offset, bytes)` around zero runs of at least [`MIN_GAP`] bytes (and trims leading
/// and trailing zeros).
fn split(offset: u32, bytes: &[u8], out: &mut Vec<(u32, Vec<u8>)>) {
    let mut start = None::<usize>;
    let mut zeros = 0usize;
    for (k, &b) in bytes.iter().enumerate() {
        if b == 0 {
            zeros += 1;
            continue;
        }
        match start {
            None => start = Some(k),
            Some(s) if zeros >= MIN_GAP => {
                let end = k - zeros;
                out.push((offset + s as u32, bytes[s..end].to_vec()));
                start = Some(k);
            }
            Some(_) => {}
        }
        zeros = 0;
    }
    if let Some(s) = start {
        let end = bytes.len() - zeros;
        out.push((offset + s as u32, bytes[s..end].to_vec()));
    }
}

/// Returns `wasm` with its data segments split around zero runs (see the module docs), or
/// `wasm` unchanged when its data section is not in the handled form or nothing is gained.
pub fn pack_data_segments(wasm: &[u8]) -> Vec<u8> {
    pack(wasm).unwrap_or_else(|| wasm.to_vec())
}

fn pack(wasm: &[u8]) -> Option<Vec<u8>> {
    if wasm.get(..8)? != b"\0asm\x01\0\0\0" {
        return None;
    }
    let mut i = 8;
    while i < wasm.len() {
        let start = i;
        let id = wasm[i];
        i += 1;
        let size = usize::try_from(read_uleb(wasm, &mut i)?).ok()?;
        let body = wasm.get(i..i.checked_add(size)?)?;
        let end = i + size;
        if id == 11 {
            let mut segs = parse_segments(body)?;
            segs.sort_by_key(|s| s.0);
            let overlapping = segs
                .windows(2)
                .any(|w| (w[0].0 as u64) + (w[0].1.len() as u64) > w[1].0 as u64);
            if overlapping {
                return None;
            }
            let mut packed = Vec::new();
            for (offset, bytes) in segs {
                split(offset, bytes, &mut packed);
            }
            let mut new_body = Vec::new();
            write_uleb(&mut new_body, packed.len() as u64);
            for (offset, bytes) in &packed {
                new_body.extend_from_slice(&[0x00, 0x41]);
                write_sleb(&mut new_body, i64::from(*offset as i32));
                new_body.push(0x0b);
                write_uleb(&mut new_body, bytes.len() as u64);
                new_body.extend_from_slice(bytes);
            }
            if new_body.len() >= body.len() {
                return None;
            }
            let mut out = wasm[..start].to_vec();
            out.push(11);
            write_uleb(&mut out, new_body.len() as u64);
            out.extend_from_slice(&new_body);
            out.extend_from_slice(&wasm[end..]);
            return Some(out);
        }
        i = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The initial memory image of `wasm` (first page), as the data segments write it.
    fn image(wasm: &[u8]) -> Vec<u8> {
        let mut mem = vec![0u8; 65_536];
        for payload in wasmparser::Parser::new(0).parse_all(wasm) {
            if let wasmparser::Payload::DataSection(r) = payload.unwrap() {
                for d in r {
                    let d = d.unwrap();
                    let wasmparser::DataKind::Active { offset_expr, .. } = d.kind else {
                        panic!("passive segment")
                    };
                    let mut ops = offset_expr.get_operators_reader();
                    let wasmparser::Operator::I32Const { value } = ops.read().unwrap() else {
                        panic!("offset")
                    };
                    let o = value as usize;
                    mem[o..o + d.data.len()].copy_from_slice(d.data);
                }
            }
        }
        mem
    }

    #[test]
    fn splits_zero_runs_and_keeps_the_memory_image() {
        let wat = r#"(module (memory 1)
            (data (i32.const 1000) "\00\00ab\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00cd\00\01\00")
            (data (i32.const 2000) "\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00")
            (data (i32.const 3000) "xyz"))"#;
        let wasm = wat::parse_str(wat).unwrap();
        let packed = pack_data_segments(&wasm);
        assert!(packed.len() < wasm.len());
        wasmparser::Validator::new().validate_all(&packed).unwrap();
        assert_eq!(image(&packed), image(&wasm));
        let segments = wasmparser::Parser::new(0)
            .parse_all(&packed)
            .find_map(|p| match p.unwrap() {
                wasmparser::Payload::DataSection(r) => Some(r.count()),
                _ => None,
            })
            .unwrap();
        assert_eq!(
            segments, 3,
            "ab | cd\\0\\x01 | xyz (the all-zero segment is gone)"
        );
    }

    #[test]
    fn leaves_unhandled_modules_alone() {
        let overlap = wat::parse_str(
            r#"(module (memory 1) (data (i32.const 0) "abcd") (data (i32.const 2) "\00\00"))"#,
        )
        .unwrap();
        assert_eq!(pack_data_segments(&overlap), overlap);
        let passive = wat::parse_str(r#"(module (memory 1) (data "a\00b"))"#).unwrap();
        assert_eq!(pack_data_segments(&passive), passive);
    }

    #[test]
    fn leb_round_trips() {
        for v in [0i64, 1, 63, 64, 127, 128, 32_768, 1 << 20, -1, -64, -65] {
            let mut b = Vec::new();
            write_sleb(&mut b, v);
            let mut i = 0;
            assert_eq!(read_sleb32(&b, &mut i), Some(v as i32));
            assert_eq!(i, b.len());
        }
    }
}
