//! Activation outputs (spec §1.7), compute gas (§1.8), decompression and prefixes (§1.1).
#![allow(clippy::identity_op)] // formulas are written out term by term on purpose

use crate::common::*;
use devnode_wasm::*;

const KNOWN: &str = r#"(module
    (memory (export "memory") 2 2)
    (global (mut i32) (i32.const 0))
    (table 2 funcref)
    (elem (i32.const 0) $a $b)
    (data (i32.const 16) "hello")
    (func $a (param i32 i32) (result i32) local.get 0)
    (func $b)
    (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#;

#[test]
fn outputs_of_a_known_module() {
    let bytes = wasm(KNOWN);
    let a = activate(&bytes, 128, &StylusParams::default(), false, 51).unwrap();
    assert_valid(&a.instrumented);
    let w = bytes.len() as u64;
    let s = a.stats;
    assert_eq!(s.wasm_len, w);
    assert_eq!(s.funcs, 3);
    assert_eq!(s.type_len, (2 + 1) + 0 + (1 + 1));
    assert_eq!(s.globals, 1 + 4);
    // data entry: flags 1 + `i32.const 16; end` 3 + length 1 + "hello" 5.
    assert_eq!(s.data_payload_len, 5);
    // elem entry: flags 1 + `i32.const 0; end` 3 + count 1 + 2 indices.
    assert_eq!(s.elem_len, 7);
    assert_eq!(s.data_len, 10 + 7);
    assert_eq!(s.footprint, 2);
    // $a: 2 ops, $b: 1 op, entry: 2 ops; each + 12 (one block) + 12 + 1 + 4.
    assert_eq!(s.instrumented_ops, 5 + 3 * (12 + 12 + 1 + 4));

    let cached = 3 * 13_420 / 100_000
        + 5 * 89 / 100_000
        + w * 122 / 100_000
        + 5 * 1_628 / 1_000
        + 17 * 75_244 / 100_000
        + 2 * 5;
    let init = 3 * 8_252 / 1_000 + 5 * 1_059 / 1_000 + w * 1_286 / 10_000;
    let asm = 512_000 + 3 * 996_829 / 1_000 + 5 * 11_416 / 1_000 + w * 62_628 / 10_000;
    assert_eq!(u64::from(a.cached_init_cost), cached);
    assert_eq!(u64::from(a.init_cost), init);
    assert_eq!(u64::from(a.asm_estimate), asm);
    assert_eq!(a.footprint, 2);
    assert_eq!(a.asm_estimate_kb(), (asm as u32).div_ceil(1_024));

    let items = [
        w * 31_733 / 100_000 * 28,
        0,              // 3 funcs × 0.17263 µs
        0,              // 5 payload bytes
        28,             // 7 element bytes × 0.17376 µs = 1 µs
        2 * 2_217 * 28, // pages
        92 * 535 / 1_000 * 28,
    ];
    assert_eq!(a.compile_gas_items, items);
    assert_eq!(a.compile_gas, items.iter().sum::<u64>());
}

#[test]
fn cost_formulas_match_the_spec_example() {
    // §1.7/§2.1 example: 300 funcs, type_len 900, 60 000 bytes, 106 globals, 5 000 data bytes,
    // 2 pages → cached 4 057, init 11 144, asm 1 197 090.
    let stats = ModuleStats {
        wasm_len: 60_000,
        funcs: 300,
        type_len: 900,
        globals: 106,
        data_len: 5_000,
        data_payload_len: 5_000,
        elem_len: 0,
        footprint: 2,
        instrumented_ops: 40_000,
    };
    let costs = stats.costs(2).unwrap();
    assert_eq!(costs.cached_init_cost, 4_057);
    assert_eq!(costs.init_cost, 11_144);
    assert_eq!(costs.asm_estimate, 1_197_090);
    // Stylus version 1 adds the cached cost.
    assert_eq!(stats.costs(1).unwrap().init_cost, 11_144 + 4_057);

    // §1.8 example: ≈1 283 128 gas.
    let items = stats.compile_gas_items(51);
    assert_eq!(
        items,
        [19_039 * 28, 51 * 28, 868 * 28, 0, 4_434 * 28, 21_400 * 28]
    );
    let total = stats.compile_gas(51);
    assert_eq!(total, 1_282_176);
    assert!((total as f64 - 1_283_128.0).abs() / 1_283_128.0 < 0.001);
    // No wasm-byte item before ArbOS 32; nothing at all for an internal recompile.
    assert_eq!(stats.compile_gas_items(31)[0], 0);
    assert_eq!(stats.compile_gas(0), 0);
}

#[test]
fn cost_overflow_fails_activation() {
    let huge = ModuleStats {
        wasm_len: 10_000_000,
        ..Default::default()
    };
    assert_eq!(
        huge.costs(2).unwrap_err(),
        ActivationError::CostOverflow("init cost too high")
    );
    let cached = ModuleStats {
        data_len: 100_000,
        ..Default::default()
    };
    assert!(matches!(
        cached.costs(2),
        Err(ActivationError::CostOverflow(_))
    ));
}

#[test]
fn module_hash_is_deterministic() {
    let a = activate_wat(KNOWN).unwrap();
    let b = activate_wat(KNOWN).unwrap();
    assert_eq!(a.module_hash, b.module_hash);
    assert_eq!(a.module_hash, module_hash(2, &a.instrumented));
    let other = activate_wat(&KNOWN.replace("hello", "world")).unwrap();
    assert_ne!(a.module_hash, other.module_hash);
    assert_ne!(module_hash(1, &a.instrumented), a.module_hash);
}

fn deployable(dict: u8, wasm: &[u8]) -> Vec<u8> {
    let mut code = compress_program(wasm);
    code[3] = dict;
    code
}

#[test]
fn decompress_round_trip_and_activate() {
    let bytes = wasm(KNOWN);
    let code = deployable(0, &bytes);
    assert!(is_stylus_program(&code));
    let out = decompress_program(&code, 128 * 1024).unwrap();
    assert_eq!(out, bytes);
    assert!(activate(&out, 128, &StylusParams::default(), false, 51).is_ok());
    // Bytes after a finished stream are ignored.
    let mut trailing = code.clone();
    trailing.extend([1, 2, 3]);
    assert_eq!(decompress_program(&trailing, 128 * 1024).unwrap(), bytes);
}

#[test]
fn only_dictionary_zero_is_supported() {
    let bytes = wasm(KNOWN);
    for dict in [1u8, 2, 255] {
        let err = decompress_program(&deployable(dict, &bytes), 128 * 1024).unwrap_err();
        assert_eq!(err, ActivationError::UnsupportedDictionary(dict));
        assert_eq!(err.to_string(), "unsupported dictionary type");
    }
}

#[test]
fn decompression_limits_and_corruption() {
    let big = vec![0u8; 200_000];
    let code = deployable(0, &big);
    let err = decompress_program(&code, 131_072).unwrap_err();
    assert!(err.to_string().contains("maximum wasm size"), "{err}");
    assert_eq!(decompress_program(&code, 200_000).unwrap().len(), 200_000);

    let bytes = wasm(KNOWN);
    let code = deployable(0, &bytes);
    let truncated = &code[..code.len() - 3];
    let err = decompress_program(truncated, 131_072).unwrap_err();
    assert!(err.to_string().contains("truncated"), "{err}");
    // An empty stream after the dictionary byte is unfinished.
    assert!(decompress_program(&[0xEF, 0xF0, 0x00, 0x00], 131_072).is_err());
    let mut corrupt = code.clone();
    corrupt[4] = 0xFF;
    corrupt[5] = 0xFF;
    assert!(decompress_program(&corrupt, 131_072).is_err());
}

#[test]
fn prefix_recognition() {
    assert!(
        !is_stylus_program(&[0xEF, 0xF0, 0x00]),
        "must be strictly longer"
    );
    assert!(is_stylus_program(&[0xEF, 0xF0, 0x00, 0x00]));
    assert!(!is_stylus_program(&[0x60, 0x00]));
    assert!(!is_stylus_program(&[]));
    assert_eq!(
        decompress_program(&[0x60, 0x80, 0x60, 0x40], 1_000).unwrap_err(),
        ActivationError::NotStylus
    );
    assert_eq!(
        split_stylus_program(&[0xEF, 0xF0, 0x00, 0x07, 0xAA]),
        Some((7, &[0xAA][..]))
    );
    let fragment = [0xEF, 0xF0, 0x01, 0x00];
    let root = [0xEF, 0xF0, 0x02, 0x00];
    assert!(is_stylus_fragment(&fragment) && is_stylus_root(&root));
    assert!(!is_stylus_deployable(&root, 51));
    assert!(is_stylus_deployable(&root, 60));
    assert!(!is_stylus_deployable(&fragment, 60));
    assert!(!is_stylus_component(&fragment, 51));
    assert!(is_stylus_component(&fragment, 60));
    assert!(is_stylus_component(&[0xEF, 0xF0, 0x00, 0x00], 30));
}

#[test]
fn activation_errors_read_well() {
    let err = reject(
        r#"(module (memory (export "memory") 1 2) (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#,
    );
    assert!(
        format!("program activation failed: {err}").contains("pay_for_memory_grow"),
        "{err}"
    );
}
