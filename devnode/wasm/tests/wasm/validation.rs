//! Validation conformance (spec §1.5): one accept and one reject case per rule.

use crate::common::*;
use devnode_wasm::hostios::{ValKind, CONSOLE_TABLE, VM_HOOKS_TABLE};
use devnode_wasm::{activate, ActivationError, StylusParams};

const ENTRY: &str = r#"(func (export "user_entrypoint") (param i32) (result i32) i32.const 0)"#;

/// A minimal valid program plus `extra` module fields.
fn program(extra: &str) -> String {
    format!("(module {extra} (memory (export \"memory\") 1 1) {ENTRY})")
}

fn wat_types(kinds: &[ValKind]) -> String {
    kinds
        .iter()
        .map(|k| match k {
            ValKind::I32 => " i32",
            ValKind::I64 => " i64",
            ValKind::F32 => " f32",
            ValKind::F64 => " f64",
        })
        .collect()
}

#[test]
fn minimal_program_is_accepted() {
    let a = activate_wat(&program("")).unwrap();
    assert_valid(&a.instrumented);
    assert_eq!(a.footprint, 1);
}

#[test]
fn all_42_vm_hooks_with_exact_signatures_are_accepted() {
    let mut imports = String::new();
    for h in VM_HOOKS_TABLE.iter() {
        imports += &format!(
            "(import \"vm_hooks\" \"{}\" (func (param{}) (result{})))\n",
            h.name,
            wat_types(h.params),
            wat_types(h.results)
        );
    }
    let text = format!("(module {imports} (memory (export \"memory\") 1 2) {ENTRY})");
    let a = activate_wat(&text).unwrap();
    assert_valid(&a.instrumented);
    assert_eq!(VM_HOOKS_TABLE.len(), 42);
}

#[test]
fn wrong_hostio_signature_is_rejected() {
    assert_rejected(
        &program(r#"(import "vm_hooks" "read_args" (func (param i64)))"#),
        "wrong signature",
    );
    assert_rejected(
        &program(r#"(import "vm_hooks" "msg_reentrant" (func (result i64)))"#),
        "wrong signature",
    );
}

#[test]
fn unknown_imports_are_rejected() {
    assert_rejected(
        &program(r#"(import "vm_hooks" "self_destruct" (func))"#),
        "unknown import vm_hooks.self_destruct",
    );
    assert_rejected(
        &program(r#"(import "env" "abort" (func))"#),
        "unknown import env.abort",
    );
    assert_rejected(
        &program(r#"(import "debug" "null_host" (func))"#),
        "unknown import",
    );
}

#[test]
fn console_imports_only_on_debug_chains() {
    let mut imports = String::new();
    for h in CONSOLE_TABLE.iter() {
        imports += &format!(
            "(import \"console\" \"{}\" (func (param{}) (result{})))\n",
            h.name,
            wat_types(h.params),
            wat_types(h.results)
        );
    }
    let text = program(&imports);
    assert_rejected(&text, "unknown import console.log_txt");
    let a = activate_wat_debug(&text).unwrap();
    assert_valid(&a.instrumented);
}

#[test]
fn non_function_imports_are_rejected() {
    assert_rejected(
        r#"(module (import "vm_hooks" "mem" (memory 1 1)) (export "memory" (memory 0)) (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#,
        "not a function",
    );
    assert_rejected(
        &program(r#"(import "vm_hooks" "g" (global i32))"#),
        "not a function",
    );
}

#[test]
fn duplicate_identical_imports_are_accepted() {
    let a = activate_wat(&program(
        r#"(import "vm_hooks" "read_args" (func (param i32)))
           (import "vm_hooks" "read_args" (func (param i32)))"#,
    ))
    .unwrap();
    assert_valid(&a.instrumented);
}

#[test]
fn import_count_limit() {
    let imports = |n: usize| {
        (0..n)
            .map(|_| r#"(import "vm_hooks" "read_args" (func (param i32)))"#)
            .collect::<String>()
    };
    assert!(activate_wat(&program(&imports(513))).is_ok());
    assert_rejected(&program(&imports(514)), "too many imports");
    // The limit only exists from ArbOS 32.
    let wasm = wasm(&program(&imports(514)));
    assert!(activate(&wasm, 128, &StylusParams::for_arbos(31), false, 31).is_ok());
}

#[test]
fn reserved_stylus_names() {
    assert_rejected(
        &program(r#"(import "vm_hooks" "stylus_ink_left" (func))"#),
        "reserved",
    );
    assert_rejected(&program(r#"(func (export "stylus_helper"))"#), "reserved");
    assert!(activate_wat(&program(r#"(func (export "my_stylus"))"#)).is_ok());
}

#[test]
fn exports_may_not_shadow_imports() {
    let import = r#"(import "vm_hooks" "read_args" (func (param i32)))"#;
    assert_rejected(
        &program(&format!(r#"{import} (func (export "read_args"))"#)),
        "collides",
    );
    assert_rejected(
        &program(&format!(r#"{import} (func (export "my__read_args"))"#)),
        "collides",
    );
    assert!(activate_wat(&program(&format!(
        r#"{import} (func (export "read_args__mine"))"#
    )))
    .is_ok());
}

#[test]
fn exactly_one_memory_exported_as_memory() {
    assert_rejected(
        r#"(module (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#,
        "exactly one memory",
    );
    assert_rejected(
        &format!(r#"(module (memory 1 1) {ENTRY})"#),
        "missing export \"memory\"",
    );
    assert_rejected(
        &format!(r#"(module (memory (export "mem") 1 1) {ENTRY})"#),
        "missing export \"memory\"",
    );
    // Multi-memory is not enabled.
    let err = reject(&format!(
        r#"(module (memory (export "memory") 1 1) (memory 1 1) {ENTRY})"#
    ));
    assert!(err.contains("failed to parse wasm"), "{err}");
}

#[test]
fn initial_memory_limits() {
    let with_pages =
        |pages: u32| format!(r#"(module (memory (export "memory") {pages} {pages}) {ENTRY})"#);
    assert_eq!(activate_wat(&with_pages(128)).unwrap().footprint, 128);
    assert_rejected(&with_pages(129), "memory exceeds limit");
    // Page limit = PageLimit - pages open in the tx.
    let wasm = wasm(&with_pages(3));
    let params = StylusParams::default();
    assert!(activate(&wasm, 3, &params, false, 51).is_ok());
    let err = activate(&wasm, 2, &params, false, 51).unwrap_err();
    assert!(err.to_string().contains("memory exceeds limit"), "{err}");
}

#[test]
fn growable_memory_requires_pay_for_memory_grow() {
    for memory in ["1 2", "1"] {
        let text = format!(r#"(module (memory (export "memory") {memory}) {ENTRY})"#);
        assert_rejected(&text, "pay_for_memory_grow");
        let with_import = format!(
            r#"(module (import "vm_hooks" "pay_for_memory_grow" (func (param i32))) (memory (export "memory") {memory}) {ENTRY})"#
        );
        assert!(activate_wat(&with_import).is_ok(), "{memory}");
    }
}

#[test]
fn missing_entrypoint_mentions_pay_for_memory_grow() {
    // cargo-stylus prints "missing entrypoint" when the reason contains this import's name.
    let err = reject(r#"(module (memory (export "memory") 1 1) (func (export "main")))"#);
    assert!(err.contains("pay_for_memory_grow"), "{err}");
    assert!(err.contains("user_entrypoint"), "{err}");
}

#[test]
fn entrypoint_signature() {
    assert_rejected(
        r#"(module (memory (export "memory") 1 1) (func (export "user_entrypoint") (param i32)))"#,
        "(i32) -> i32",
    );
    assert_rejected(
        r#"(module (memory (export "memory") 1 1) (func (export "user_entrypoint") (param i64) (result i32) i32.const 0))"#,
        "(i32) -> i32",
    );
    assert_rejected(
        r#"(module (memory (export "memory") 1 1) (global (export "user_entrypoint") i32 (i32.const 0)))"#,
        "(i32) -> i32",
    );
}

#[test]
fn start_function_only_in_debug_mode() {
    let text = program("(func $s) (start $s)");
    assert_rejected(&text, "start functions not allowed");
    assert!(activate_wat_debug(&text).is_ok());
}

#[test]
fn data_segments() {
    assert!(activate_wat(&program(r#"(data (i32.const 65532) "abcd")"#)).is_ok());
    assert_rejected(
        &program(r#"(data (i32.const 65533) "abcd")"#),
        "data segment out of bounds",
    );
    let segments = |n: usize| {
        (0..n)
            .map(|i| format!(r#"(data (i32.const {i}) "x")"#))
            .collect::<String>()
    };
    assert!(activate_wat(&program(&segments(128))).is_ok());
    assert_rejected(&program(&segments(129)), "too many data segments");
}

#[test]
fn data_count_section_is_rejected() {
    // `data.drop` makes the encoder emit a DataCount section (id 12).
    assert_rejected(
        &program(r#"(data $d "x") (func data.drop $d)"#),
        "unsupported section type",
    );
}

#[test]
fn globals() {
    assert!(activate_wat(&program(
        "(global i64 (i64.const 5)) (global (mut f32) (f32.const 1))"
    ))
    .is_ok());
    // Extended constant expressions are not enabled.
    let err = reject(&program(
        "(global i32 (i32.add (i32.const 1) (i32.const 2)))",
    ));
    assert!(err.contains("failed to parse wasm"), "{err}");
    let many = |n: usize| {
        (0..n)
            .map(|_| "(global i32 (i32.const 0))")
            .collect::<String>()
    };
    assert!(activate_wat(&program(&many(32_768))).is_ok());
    assert_rejected(&program(&many(32_769)), "too many globals");
}

#[test]
fn tables_and_element_segments() {
    assert!(activate_wat(&program(
        "(table 4096 funcref) (func $f) (elem (i32.const 4095) $f)"
    ))
    .is_ok());
    assert_rejected(&program("(table 4097 funcref)"), "tables too large");
    assert_rejected(
        &program("(table 2 funcref) (func $f) (elem (i32.const 1) $f $f)"),
        "out of table bounds",
    );
    assert_rejected(
        &program("(table 2 funcref) (func $f) (elem func $f)"),
        "only active element segments",
    );
    let segments = |n: usize| {
        (0..n)
            .map(|i| format!("(elem (i32.const {i}) $f)"))
            .collect::<String>()
    };
    assert!(activate_wat(&program(&format!(
        "(table 200 funcref) (func $f) {}",
        segments(128)
    )))
    .is_ok());
    assert_rejected(
        &program(&format!("(table 200 funcref) (func $f) {}", segments(129))),
        "too many element segments",
    );
    let entries = |n: usize| (0..n).map(|_| " $f").collect::<String>();
    assert_rejected(
        &program(&format!(
            "(table 4096 funcref) (func $f) (elem (i32.const 0){}) (elem (i32.const 0){})",
            entries(4_000),
            entries(97)
        )),
        "too many element entries",
    );
}

#[test]
fn export_limits() {
    let exports = |n: usize| {
        (0..n)
            .map(|i| format!(r#"(export "e{i}" (func $f))"#))
            .collect::<String>()
    };
    // memory + user_entrypoint + n.
    assert!(activate_wat(&program(&format!("(func $f) {}", exports(1_022)))).is_ok());
    assert_rejected(
        &program(&format!("(func $f) {}", exports(1_023))),
        "too many exports",
    );
    let long = "x".repeat(513);
    assert_rejected(
        &program(&format!(r#"(func (export "{long}"))"#)),
        "export name too long",
    );
    assert!(activate_wat(&program(&format!(
        r#"(func (export "{}"))"#,
        "x".repeat(512)
    )))
    .is_ok());
}

#[test]
fn module_name_limit() {
    let named = |n: usize| {
        format!(
            "(module ${} (memory (export \"memory\") 1 1) {ENTRY})",
            "m".repeat(n)
        )
    };
    assert!(activate_wat(&named(512)).is_ok());
    assert_rejected(&named(513), "module name too long");
}

#[test]
fn function_count_limit() {
    let funcs = |n: usize| (0..n).map(|_| "(func)").collect::<String>();
    // The entrypoint is one of the bodies.
    assert!(activate_wat(&program(&funcs(4_095))).is_ok());
    assert_rejected(&program(&funcs(4_096)), "too many functions");
}

#[test]
fn locals_limit() {
    let locals = |n: usize| format!("(local{})", " i32".repeat(n));
    assert!(activate_wat(&program(&format!("(func (local i64) {})", locals(347)))).is_ok());
    assert_rejected(&program(&format!("(func {})", locals(349))), "349 locals");
    // Parameters do not count.
    let params = " i32".repeat(100);
    assert!(activate_wat(&program(&format!("(func (param{params}) {})", locals(348)))).is_ok());
}

#[test]
fn operator_count_limit() {
    // n × nop plus the final end.
    let body = |n: usize| format!("(func {})", "nop ".repeat(n));
    assert!(activate_wat(&program(&body(65_535))).is_ok());
    assert_rejected(&program(&body(65_536)), "too many operators");
}

#[test]
fn operand_stack_depth_limit() {
    let body = |n: usize| format!("(func {} {})", "i32.const 0 ".repeat(n), "drop ".repeat(n));
    assert!(activate_wat(&program(&body(4_096))).is_ok());
    assert_rejected(&program(&body(4_097)), "max frame contention");
}

#[test]
fn float_rules() {
    for op in [
        "f32.const 1 drop",
        "f64.const 1 drop",
        "i32.const 0 f32.load drop",
        "i32.const 0 f64.const 2 f64.store",
        "i32.const 0 f32.reinterpret_i32 i32.reinterpret_f32 drop",
        "i64.const 0 f64.reinterpret_i64 i64.reinterpret_f64 drop",
    ] {
        let a = activate_wat(&program(&format!("(func {op})")));
        assert!(a.is_ok(), "{op}: {a:?}");
    }
    for op in [
        "f32.const 1 f32.const 2 f32.add drop",
        "f64.const 1 f64.const 2 f64.lt drop",
        "f64.const 1 f64.neg drop",
        "i32.const 1 f32.convert_i32_s drop",
        "f32.const 1 i32.trunc_f32_s drop",
        "f32.const 1 i32.trunc_sat_f32_s drop",
        "f32.const 1 f64.promote_f32 drop",
    ] {
        let err = reject(&program(&format!("(func {op})")));
        assert!(
            err.contains("no implementation for floating point operation"),
            "{op}: {err}"
        );
    }
    // Float types in signatures and locals are fine.
    assert!(activate_wat(&program(
        "(func (param f64) (result f32) (local f32) local.get 1)"
    ))
    .is_ok());
}

#[test]
fn unsupported_operators() {
    assert_rejected(
        &program("(table 2 funcref) (func i32.const 0 i32.const 1 i32.const 1 table.copy)"),
        "unsupported operator",
    );
    assert_rejected(
        &program("(table 1 funcref) (func $f) (elem $e func $f) (func elem.drop $e)"),
        "only active element segments",
    );
    for (features, op) in [
        ("SIMD", "(func v128.const i64x2 0 0 drop)"),
        ("reference types", "(func ref.null func drop)"),
        ("tail calls", "(func $t return_call $t)"),
        ("threads", "(func i32.const 0 i32.atomic.load drop)"),
        ("sign-extension (accepted)", ""),
    ] {
        if op.is_empty() {
            continue;
        }
        let err = reject(&program(op));
        assert!(err.contains("failed to parse wasm"), "{features}: {err}");
    }
    assert!(activate_wat(&program("(func (result i32) i32.const 1 i32.extend8_s)")).is_ok());
    assert!(activate_wat(&program(
        "(func i32.const 0 i32.const 0 i32.const 0 memory.fill i32.const 0 i32.const 0 i32.const 0 memory.copy)"
    ))
    .is_ok());
}

#[test]
fn multi_value_is_gated_by_arbos_60() {
    let wasm = wasm(&program("(func (result i32 i32) i32.const 1 i32.const 2)"));
    let params = StylusParams::default();
    assert!(activate(&wasm, 128, &params, false, 51).is_ok());
    let err = activate(&wasm, 128, &params, false, 60).unwrap_err();
    assert!(matches!(err, ActivationError::Parse(_)), "{err}");
}

#[test]
fn garbage_is_a_parse_error() {
    let err = activate(b"\0asm\x02\0\0\0", 128, &StylusParams::default(), false, 51).unwrap_err();
    assert!(matches!(err, ActivationError::Parse(_)));
    let err = activate(b"not wasm", 128, &StylusParams::default(), false, 51).unwrap_err();
    assert!(matches!(err, ActivationError::Parse(_)));
}
