//! Helpers shared by the conformance tests.
#![allow(dead_code)]

use devnode_wasm::{activate, stylus_wasm_features, Activation, ActivationError, StylusParams};
use wasmparser::{Operator, Parser, Payload, Validator};

/// Compiles WAT text.
pub fn wasm(text: &str) -> Vec<u8> {
    wat::parse_str(text).expect("valid wat")
}

/// Activates with ArbOS 51 defaults, page limit 128, non-debug.
pub fn activate_wat(text: &str) -> Result<Activation, ActivationError> {
    activate(&wasm(text), 128, &StylusParams::default(), false, 51)
}

/// Activates in debug mode.
pub fn activate_wat_debug(text: &str) -> Result<Activation, ActivationError> {
    activate(&wasm(text), 128, &StylusParams::default(), true, 51)
}

/// The activation error text, panicking on success.
pub fn reject(text: &str) -> String {
    match activate_wat(text) {
        Ok(_) => panic!("expected activation to fail for:\n{text}"),
        Err(e) => e.to_string(),
    }
}

/// Asserts that activation fails with a reason containing `needle`.
pub fn assert_rejected(text: &str, needle: &str) {
    let err = reject(text);
    assert!(
        err.contains(needle),
        "error {err:?} does not contain {needle:?}"
    );
}

/// Validates an instrumented module with the Stylus feature set (which includes mutable globals).
pub fn assert_valid(wasm: &[u8]) {
    Validator::new_with_features(stylus_wasm_features(51))
        .validate_all(wasm)
        .expect("instrumented module is valid wasm");
}

/// Operators of every local function body, as owned values rendered with `Debug`.
pub fn bodies(wasm: &[u8]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        if let Payload::CodeSectionEntry(body) = payload.unwrap() {
            let mut ops = Vec::new();
            let mut reader = body.get_operators_reader().unwrap();
            while !reader.eof() {
                ops.push(render(&reader.read().unwrap()));
            }
            out.push(ops);
        }
    }
    out
}

/// Renders an operator compactly, e.g. `GlobalGet { global_index: 1 }`.
pub fn render(op: &Operator<'_>) -> String {
    format!("{op:?}")
}

/// Export names of a module.
pub fn exports(wasm: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        if let Payload::ExportSection(reader) = payload.unwrap() {
            for e in reader {
                out.push(e.unwrap().name.to_string());
            }
        }
    }
    out
}

/// The 12-operator ink check for a block of `cost` ink with the added globals starting at `g`.
pub fn ink_check(g: u32, cost: u64) -> Vec<String> {
    let value = cost as i64;
    vec![
        format!("GlobalGet {{ global_index: {g} }}"),
        format!("I64Const {{ value: {value} }}"),
        "I64LtU".into(),
        "If { blockty: Empty }".into(),
        "I32Const { value: 1 }".into(),
        format!("GlobalSet {{ global_index: {} }}", g + 1),
        "Unreachable".into(),
        "End".into(),
        format!("GlobalGet {{ global_index: {g} }}"),
        format!("I64Const {{ value: {value} }}"),
        "I64Sub".into(),
        format!("GlobalSet {{ global_index: {g} }}"),
    ]
}

/// The 12-operator depth-checker entry check for `frame` words.
pub fn stack_check(g: u32, frame: i32) -> Vec<String> {
    let s = g + 3;
    vec![
        format!("GlobalGet {{ global_index: {s} }}"),
        format!("I32Const {{ value: {frame} }}"),
        "I32LeU".into(),
        "If { blockty: Empty }".into(),
        "I32Const { value: 0 }".into(),
        format!("GlobalSet {{ global_index: {s} }}"),
        "Unreachable".into(),
        "End".into(),
        format!("GlobalGet {{ global_index: {s} }}"),
        format!("I32Const {{ value: {frame} }}"),
        "I32Sub".into(),
        format!("GlobalSet {{ global_index: {s} }}"),
    ]
}

/// The 4-operator credit-back before a `return`.
pub fn stack_credit(g: u32, frame: i32) -> Vec<String> {
    let s = g + 3;
    vec![
        format!("GlobalGet {{ global_index: {s} }}"),
        format!("I32Const {{ value: {frame} }}"),
        "I32Add".into(),
        format!("GlobalSet {{ global_index: {s} }}"),
    ]
}

/// Renders a list of WAT-like operator strings given as `Debug` renderings.
pub fn strs(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}
