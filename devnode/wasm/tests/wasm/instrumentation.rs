//! Instrumentation conformance (spec §1.6): exact inserted sequences, block costs, depth-checker
//! frames, heap bound, exports and globals. Every instrumented module is re-validated.

use crate::common::*;
use wasmparser::{Operator, Parser, Payload};

/// Ink costs of every block check in a rendered body (value of the `i64.const` following
/// `global.get ink_left` in each 12-operator check).
fn block_costs(body: &[String], g: u32) -> Vec<i64> {
    let get = format!("GlobalGet {{ global_index: {g} }}");
    let mut out = Vec::new();
    for w in body.windows(4) {
        if w[0] == get && w[2] == "I64LtU" && w[3] == "If { blockty: Empty }" {
            let v = w[1]
                .trim_start_matches("I64Const { value: ")
                .trim_end_matches(" }");
            out.push(v.parse().unwrap());
        }
    }
    out
}

/// Frame size of a rendered body (the `i32.const` of its entry check).
fn frame_of(body: &[String]) -> i32 {
    body[1]
        .trim_start_matches("I32Const { value: ")
        .trim_end_matches(" }")
        .parse()
        .unwrap()
}

const BASIC: &str = r#"(module
    (import "vm_hooks" "pay_for_memory_grow" (func (param i32)))
    (memory (export "memory") 1 2)
    (func (export "user_entrypoint") (param i32) (result i32)
        local.get 0
        i32.const 1
        i32.add
        memory.grow))"#;

#[test]
fn exact_rewrite_of_a_small_function() {
    let a = activate_wat(BASIC).unwrap();
    assert_valid(&a.instrumented);
    let body = &bodies(&a.instrumented)[0];
    // 75 + 1 + 70 + 8 050 + 1 + 2 450 header.
    let mut expected = stack_check(0, 6);
    expected.extend(ink_check(0, 10_647));
    expected.extend(strs(&[
        "LocalGet { local_index: 0 }",
        "I32Const { value: 1 }",
        "I32Add",
        // heap bound: dup the page count and pay for it
        "GlobalSet { global_index: 2 }",
        "GlobalGet { global_index: 2 }",
        "GlobalGet { global_index: 2 }",
        "Call { function_index: 0 }",
        "MemoryGrow { mem: 0 }",
    ]));
    expected.extend(stack_credit(0, 6));
    expected.extend(strs(&["Return", "End"]));
    assert_eq!(body, &expected);
    // 5 original + 12 (block) + 12 (entry) + 1 (return) + 4 (credit) + 4 (grow).
    assert_eq!(a.stats.instrumented_ops, 38);
    assert_eq!(body.len(), 38);
}

#[test]
fn basic_blocks_and_their_costs() {
    let a = activate_wat(
        r#"(module
        (memory (export "memory") 1 1)
        (func $helper (param i32) (result i32) local.get 0)
        (func (export "user_entrypoint") (param i32) (result i32)
            (local i32)
            block
              local.get 0
              br_if 0
              i32.const 7
              local.set 1
            end
            loop
              local.get 1
              i32.const 1
              i32.sub
              local.tee 1
              br_if 0
            end
            local.get 1
            if (result i32)
              i32.const 1
            else
              i32.const 2
            end
            call $helper))"#,
    )
    .unwrap();
    assert_valid(&a.instrumented);
    let b = bodies(&a.instrumented);
    // helper: local.get 75 + end 1 + 2 450.
    assert_eq!(block_costs(&b[0], 0), vec![2_526]);
    assert_eq!(
        block_costs(&b[1], 0),
        vec![
            2_450 + 1 + 75 + 765,           // block, local.get, br_if
            2_450 + 1 + 210 + 1,            // i32.const, local.set, end
            2_450 + 1,                      // loop
            2_450 + 75 + 1 + 70 + 75 + 765, // loop body up to br_if
            2_450 + 1,                      // end (loop)
            2_450 + 75 + 765,               // local.get, if
            2_450 + 1 + 1,                  // i32.const, else
            2_450 + 1 + 1,                  // i32.const, end
            2_450 + 3_800,                  // call
            2_450 + 1,                      // final end
        ]
    );
    // Depth: headers inside the `if (result i32)` start at height 1 → worst 3; 1 local.
    assert_eq!(frame_of(&b[1]), 3 + 1 + 4);
    assert_eq!(frame_of(&b[0]), 2 + 4);
}

#[test]
fn branch_table_and_indirect_call_prices() {
    let a = activate_wat(
        r#"(module
        (type $t (func (param i32) (result i32)))
        (table 1 funcref)
        (elem (i32.const 0) $id)
        (memory (export "memory") 1 1)
        (func $id (type $t) local.get 0)
        (func (export "user_entrypoint") (param i32) (result i32)
            block
              block
                local.get 0
                br_table 0 1 0
              end
            end
            i32.const 5
            i32.const 0
            call_indirect (type $t)))"#,
    )
    .unwrap();
    assert_valid(&a.instrumented);
    let b = bodies(&a.instrumented);
    assert_eq!(
        block_costs(&b[1], 0),
        vec![
            2_450 + 1 + 1 + 75 + 2_400 + 325 * 2, // block, block, local.get, br_table (2 + default)
            2_450 + 1,                            // end
            2_450 + 1,                            // end
            2_450 + 1 + 1 + 13_610 + 650,         // consts, call_indirect with 1 param
            2_450 + 1,                            // final end
        ]
    );
    // call_indirect: 2 operands, push 1 result (3), pop 1 param and the index.
    assert_eq!(frame_of(&b[1]), 3 + 4);
}

#[test]
fn unpayable_float_operators_are_priced_minus_one() {
    let a = activate_wat(
        r#"(module
        (memory (export "memory") 1 1)
        (func (export "user_entrypoint") (param i32) (result i32)
            local.get 0
            if
              f32.const 1.5
              i32.const 0
              f32.load
              drop
              drop
            end
            i32.const 0))"#,
    )
    .unwrap();
    assert_valid(&a.instrumented);
    let costs = block_costs(&bodies(&a.instrumented)[0], 0);
    assert_eq!(costs, vec![2_450 + 75 + 765, -1, 2_450 + 1 + 1]);
}

#[test]
fn dynamic_meter_before_fill_and_copy() {
    let a = activate_wat(
        r#"(module
        (memory (export "memory") 1 1)
        (global $g (mut i32) (i32.const 0))
        (func (export "user_entrypoint") (param i32) (result i32)
            i32.const 0
            i32.const 0
            local.get 0
            memory.fill
            i32.const 0
            i32.const 8
            i32.const 4
            memory.copy
            i32.const 0))"#,
    )
    .unwrap();
    assert_valid(&a.instrumented);
    let body = &bodies(&a.instrumented)[0];
    // One user global, so the added ones are 1 (ink), 2 (status), 3 (scratch), 4 (stack).
    let meter = strs(&[
        "GlobalSet { global_index: 3 }",
        "GlobalGet { global_index: 1 }",
        "GlobalGet { global_index: 1 }",
        "GlobalGet { global_index: 3 }",
        "I64ExtendI32U",
        "I64Const { value: 100 }",
        "I64Mul",
        "I64Sub",
        "GlobalSet { global_index: 1 }",
        "GlobalGet { global_index: 1 }",
        "I64LtU",
        "If { blockty: Empty }",
        "I32Const { value: 1 }",
        "GlobalSet { global_index: 2 }",
        "Unreachable",
        "End",
        "GlobalGet { global_index: 3 }",
    ]);
    for op in [
        "MemoryFill { mem: 0 }",
        "MemoryCopy { dst_mem: 0, src_mem: 0 }",
    ] {
        let at = body.iter().position(|o| o == op).unwrap();
        assert_eq!(&body[at - 17..at], &meter[..], "before {op}");
    }
    // Static cost: 1 + 1 + 75 + 950 + 1 + 1 + 1 + 950 + 1 + 1 (end) + 2 450.
    assert_eq!(block_costs(body, 1), vec![4_432]);
    // Depth: metered list peaks at 3 operands + scratch/ink juggling (old, old, len, 100).
    assert_eq!(frame_of(body), 6 + 4);
    assert_eq!(a.stats.instrumented_ops, 10 + 12 + 2 * 17 + 12 + 1 + 4);
}

#[test]
fn depth_checker_pushes_call_results_before_popping_params() {
    let a = activate_wat(
        r#"(module
        (memory (export "memory") 1 1)
        (func $three (param i32 i32 i32) (result i32) i32.const 0)
        (func (export "user_entrypoint") (param i32) (result i32)
            i32.const 1
            i32.const 2
            i32.const 3
            call $three))"#,
    )
    .unwrap();
    let b = bodies(&a.instrumented);
    // 3 operands, then the result is pushed (4) before the 3 params are popped.
    assert_eq!(frame_of(&b[1]), 4 + 4);
    // $three: header peak 2, then 1 constant; its 3 params are not locals.
    assert_eq!(frame_of(&b[0]), 2 + 4);
}

#[test]
fn depth_checker_block_types_and_locals() {
    let a = activate_wat(
        r#"(module
        (memory (export "memory") 1 1)
        (func $multi (result i32 i32)
            (local i64 i64 i32)
            i32.const 1
            block (param i32) (result i32 i32)
              i32.const 2
            end)
        (func (export "user_entrypoint") (param i32) (result i32)
            (local f64)
            i32.const 0
            if (result i32)
              i32.const 1
              i32.const 2
              i32.add
            else
              i32.const 3
            end))"#,
    )
    .unwrap();
    assert_valid(&a.instrumented);
    let b = bodies(&a.instrumented);
    // $multi: const (1); block type pushes 2 outs (3) then pops 1 in (2), recorded; the header
    // of the final block runs at height 2 → 4. 3 declared locals.
    assert_eq!(frame_of(&b[0]), 4 + 3 + 4);
    // entrypoint: `if` pops the condition then pushes its result (1); inside: header at 1 → 3,
    // two constants → 3; `else` resets to 1. 1 declared local (params excluded).
    assert_eq!(frame_of(&b[1]), 3 + 1 + 4);
}

#[test]
fn credit_before_every_return_and_the_appended_one() {
    let a = activate_wat(
        r#"(module
        (memory (export "memory") 1 1)
        (func (export "user_entrypoint") (param i32) (result i32)
            local.get 0
            if
              i32.const 1
              return
            end
            local.get 0
            i32.const 2
            i32.eq
            if
              i32.const 2
              return
            end
            i32.const 0))"#,
    )
    .unwrap();
    assert_valid(&a.instrumented);
    let body = &bodies(&a.instrumented)[0];
    let frame = frame_of(body);
    let credit = stack_credit(0, frame);
    let returns: Vec<usize> = body
        .iter()
        .enumerate()
        .filter(|(_, o)| *o == "Return")
        .map(|(i, _)| i)
        .collect();
    assert_eq!(returns.len(), 3, "2 explicit + 1 appended");
    for at in &returns {
        assert_eq!(&body[at - 4..*at], &credit[..]);
    }
    assert_eq!(
        *returns.last().unwrap(),
        body.len() - 2,
        "appended before the final end"
    );
}

#[test]
fn branch_to_function_label_skips_the_credit() {
    let a = activate_wat(
        r#"(module
        (memory (export "memory") 1 1)
        (func (export "user_entrypoint") (param i32) (result i32)
            i32.const 7
            local.get 0
            br_if 0
            drop
            i32.const 1))"#,
    )
    .unwrap();
    assert_valid(&a.instrumented);
    let body = &bodies(&a.instrumented)[0];
    let at = body
        .iter()
        .position(|o| o == "BrIf { relative_depth: 0 }")
        .unwrap();
    // The branch leaves the function with no credit-back in front of it (Nitro's quirk).
    assert_eq!(body[at - 1], "LocalGet { local_index: 0 }");
    let credits = body.iter().filter(|o| *o == "I32Add").count();
    assert_eq!(credits, 1, "only the appended return is credited");
}

#[test]
fn no_heap_bound_for_fixed_memory() {
    let a = activate_wat(
        r#"(module
        (memory (export "memory") 2 2)
        (func (export "user_entrypoint") (param i32) (result i32)
            i32.const 1
            memory.grow))"#,
    )
    .unwrap();
    assert_valid(&a.instrumented);
    let body = &bodies(&a.instrumented)[0];
    assert!(!body.iter().any(|o| o.starts_with("Call")));
    assert_eq!(a.stats.instrumented_ops, 3 + 12 + 12 + 1 + 4);
    assert_eq!(a.footprint, 2);
}

#[test]
fn added_globals_follow_user_globals_and_are_exported() {
    let a = activate_wat(
        r#"(module
        (memory (export "memory") 1 1)
        (global $a (mut i32) (i32.const 1048576))
        (global $b i64 (i64.const 9))
        (func (export "user_entrypoint") (param i32) (result i32)
            global.get $a))"#,
    )
    .unwrap();
    assert_valid(&a.instrumented);
    let mut globals = Vec::new();
    let mut exported = Vec::new();
    for payload in Parser::new(0).parse_all(&a.instrumented) {
        match payload.unwrap() {
            Payload::GlobalSection(r) => {
                for g in r {
                    let g = g.unwrap();
                    globals.push((g.ty.content_type, g.ty.mutable));
                }
            }
            Payload::ExportSection(r) => {
                for e in r {
                    let e = e.unwrap();
                    exported.push((e.name.to_string(), e.kind, e.index));
                }
            }
            _ => {}
        }
    }
    use wasmparser::{ExternalKind::Global, ValType::*};
    assert_eq!(
        globals,
        vec![
            (I32, true),
            (I64, false),
            (I64, true),
            (I32, true),
            (I32, true),
            (I32, true)
        ]
    );
    for (name, index) in [
        ("stylus_ink_left", 2),
        ("stylus_ink_status", 3),
        ("stylus_scratch_global", 4),
        ("stylus_stack_left", 5),
    ] {
        assert!(
            exported.contains(&(name.to_string(), Global, index)),
            "{name}"
        );
    }
    let body = &bodies(&a.instrumented)[0];
    assert_eq!(body[0], "GlobalGet { global_index: 5 }");
    assert!(body.contains(&"GlobalGet { global_index: 0 }".to_string()));
    assert_eq!(a.stats.globals, 6);
}

#[test]
fn exports_are_trimmed_outside_debug_mode() {
    let text = r#"(module
        (memory (export "memory") 1 1)
        (func $f (export "helper") (result i32) i32.const 3)
        (func (export "user_entrypoint") (param i32) (result i32) call $f)
        (func $start)
        (start $start))"#;
    let debug = activate_wat_debug(text).unwrap();
    assert_valid(&debug.instrumented);
    let names = exports(&debug.instrumented);
    assert_eq!(
        names,
        vec![
            "memory",
            "helper",
            "user_entrypoint",
            "stylus_start",
            "stylus_ink_left",
            "stylus_ink_status",
            "stylus_scratch_global",
            "stylus_stack_left"
        ]
    );
    // The start section is gone (moved to the export, never invoked).
    for payload in Parser::new(0).parse_all(&debug.instrumented) {
        assert!(!matches!(payload.unwrap(), Payload::StartSection { .. }));
    }

    let release = activate_wat(&text.replace("(start $start)", "")).unwrap();
    assert_valid(&release.instrumented);
    assert_eq!(
        exports(&release.instrumented),
        vec![
            "memory",
            "user_entrypoint",
            "stylus_ink_left",
            "stylus_ink_status",
            "stylus_scratch_global",
            "stylus_stack_left"
        ]
    );
}

#[test]
fn name_section_is_kept_and_other_custom_sections_dropped() {
    let a = activate_wat(
        r#"(module $prog
        (@custom "project_hash" "0123456789abcdef0123456789abcdef")
        (memory (export "memory") 1 1)
        (func $entry (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#,
    )
    .unwrap();
    assert_valid(&a.instrumented);
    let mut customs = Vec::new();
    for payload in Parser::new(0).parse_all(&a.instrumented) {
        if let Payload::CustomSection(c) = payload.unwrap() {
            customs.push(c.name().to_string());
        }
    }
    assert_eq!(customs, vec!["name"]);
}

/// Operator-count formula of spec §1.6.5, evaluated on the original module.
fn formula_op_count(wasm: &[u8], growable: bool) -> u64 {
    let mut total = 0u64;
    for payload in Parser::new(0).parse_all(wasm) {
        if let Payload::CodeSectionEntry(body) = payload.unwrap() {
            let mut reader = body.get_operators_reader().unwrap();
            let (mut ops, mut blocks, mut bulk, mut rets, mut grows) = (0u64, 0, 0, 0, 0);
            while !reader.eof() {
                let op = reader.read().unwrap();
                ops += 1;
                match op {
                    Operator::End
                    | Operator::Else
                    | Operator::Loop { .. }
                    | Operator::Br { .. }
                    | Operator::BrIf { .. }
                    | Operator::BrTable { .. }
                    | Operator::If { .. }
                    | Operator::Call { .. }
                    | Operator::CallIndirect { .. } => blocks += 1,
                    Operator::Return => {
                        blocks += 1;
                        rets += 1;
                    }
                    Operator::MemoryFill { .. } | Operator::MemoryCopy { .. } => bulk += 1,
                    Operator::MemoryGrow { .. } => grows += 1,
                    _ => {}
                }
            }
            total += ops + 12 * blocks + 17 * bulk + 12 + 1 + 4 * (rets + 1);
            if growable {
                total += 4 * grows;
            }
        }
    }
    total
}

#[test]
fn instrumented_operator_count_matches_the_formula() {
    let text = r#"(module
        (import "vm_hooks" "pay_for_memory_grow" (func $pay (param i32)))
        (memory (export "memory") 1)
        (func $a (param i32) (result i32)
            local.get 0
            if (result i32)
              i32.const 1
              memory.grow
              return
            else
              i32.const 0
              i32.const 0
              i32.const 16
              memory.copy
              i32.const 2
            end)
        (func (export "user_entrypoint") (param i32) (result i32)
            block
              loop
                local.get 0
                br_if 1
                i32.const 0
                i32.const 0
                i32.const 4
                memory.fill
                i32.const 1
                memory.grow
                drop
                br 0
              end
            end
            local.get 0
            call $a))"#;
    let wasm = wasm(text);
    let a = activate_wat(text).unwrap();
    assert_valid(&a.instrumented);
    let counted: u64 = bodies(&a.instrumented).iter().map(|b| b.len() as u64).sum();
    assert_eq!(a.stats.instrumented_ops, counted);
    assert_eq!(a.stats.instrumented_ops, formula_op_count(&wasm, true));
}

mod generated {
    use super::*;
    use proptest::prelude::*;

    /// Random stack-neutral statements for a `(param i32) (local i32)` function.
    fn statement() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            Just("local.get 0 drop".to_string()),
            (0i32..100).prop_map(|k| format!("i32.const {k} local.set 1")),
            Just("local.get 0 br_if 0".to_string()),
            Just("br 0".to_string()),
            Just("return".to_string()),
            (0u32..64).prop_map(|n| format!("i32.const 0 i32.const 0 i32.const {n} memory.fill")),
            Just("i32.const 0 i32.const 8 i32.const 8 memory.copy".to_string()),
            Just("i32.const 1 memory.grow drop".to_string()),
            Just("local.get 1 call $h".to_string()),
            Just(
                "local.get 0 local.get 1 i32.add local.tee 1 i64.extend_i32_u i64.popcnt drop"
                    .to_string()
            ),
            Just("f32.const 1 drop".to_string()),
            Just("nop unreachable".to_string()),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            let seq = prop::collection::vec(inner, 0..6).prop_map(|v| v.join(" "));
            prop_oneof![
                seq.clone().prop_map(|s| format!("block {s} end")),
                seq.clone().prop_map(|s| format!("loop {s} end")),
                (seq.clone(), seq).prop_map(|(a, b)| format!("local.get 0 if {a} else {b} end")),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn random_bodies_instrument_to_valid_wasm(
            body in prop::collection::vec(statement(), 0..8),
            helper in prop::collection::vec(statement(), 0..4),
        ) {
            let text = format!(
                r#"(module
                (import "vm_hooks" "pay_for_memory_grow" (func (param i32)))
                (memory (export "memory") 1 4)
                (func $h (param i32) (local i32) {})
                (func $f (param i32) (local i32) {})
                (func (export "user_entrypoint") (param i32) (result i32)
                    local.get 0 call $f i32.const 0))"#,
                helper.join(" ").replace("call $h", "call $f"),
                body.join(" ")
            );
            let bytes = wasm(&text);
            let a = activate_wat(&text).unwrap();
            assert_valid(&a.instrumented);
            let counted: u64 = bodies(&a.instrumented).iter().map(|b| b.len() as u64).sum();
            prop_assert_eq!(a.stats.instrumented_ops, counted);
            prop_assert_eq!(a.stats.instrumented_ops, formula_op_count(&bytes, true));
        }
    }
}
