//! Runs instrumented modules on a real engine (wasmi) and checks the ink and stack accounting
//! the host observes through the exported globals (spec §1.6, §2.1 step 4, §2.2).

use crate::common::*;
use wasmi::{Caller, Engine, Linker, Module, Store, Val};

struct Outcome {
    result: Result<i32, String>,
    ink_left: u64,
    ink_status: i32,
    stack_left: u32,
    grows: Vec<i32>,
}

fn run(instrumented: &[u8], ink: u64, stack: u32, arg: i32) -> Outcome {
    let engine = Engine::default();
    assert_valid(instrumented);
    // SAFETY: the module was just validated by wasmparser with the Stylus feature set (the
    // workspace builds wasmi without its own validator).
    let module = unsafe { Module::new_unchecked(&engine, instrumented) }
        .expect("engine accepts instrumented module");
    let mut store = Store::new(&engine, Vec::<i32>::new());
    let mut linker = Linker::<Vec<i32>>::new(&engine);
    linker
        .func_wrap(
            "vm_hooks",
            "pay_for_memory_grow",
            |mut caller: Caller<'_, Vec<i32>>, pages: i32| caller.data_mut().push(pages),
        )
        .unwrap();
    let instance = linker.instantiate_and_start(&mut store, &module).unwrap();
    let global = |store: &Store<_>, name: &str| instance.get_global(store, name).unwrap();
    global(&store, "stylus_ink_left")
        .set(&mut store, Val::I64(ink as i64))
        .unwrap();
    global(&store, "stylus_ink_status")
        .set(&mut store, Val::I32(0))
        .unwrap();
    global(&store, "stylus_stack_left")
        .set(&mut store, Val::I32(stack as i32))
        .unwrap();
    let entry = instance
        .get_typed_func::<i32, i32>(&store, "user_entrypoint")
        .unwrap();
    let result = entry.call(&mut store, arg).map_err(|e| e.to_string());
    let read = |store: &Store<_>, name: &str| match global(store, name).get(store) {
        Val::I64(v) => v as u64,
        Val::I32(v) => u64::from(v as u32),
        other => panic!("unexpected {other:?}"),
    };
    Outcome {
        result,
        ink_left: read(&store, "stylus_ink_left"),
        ink_status: read(&store, "stylus_ink_status") as i32,
        stack_left: read(&store, "stylus_stack_left") as u32,
        grows: store.data().clone(),
    }
}

const BUDGET: u32 = 22_000;
const INK: u64 = 10_000_000;

#[test]
fn straight_line_block_is_paid_once() {
    let a = activate_wat(
        r#"(module (memory (export "memory") 1 1)
        (func (export "user_entrypoint") (param i32) (result i32)
            local.get 0 i32.const 1 i32.add))"#,
    )
    .unwrap();
    let out = run(&a.instrumented, INK, BUDGET, 41);
    assert_eq!(out.result, Ok(42));
    assert_eq!(INK - out.ink_left, 75 + 1 + 70 + 1 + 2_450);
    assert_eq!(out.stack_left, BUDGET, "frame credited back");
    assert_eq!(out.ink_status, 0);
}

#[test]
fn loop_body_is_paid_per_iteration() {
    let a = activate_wat(
        r#"(module (memory (export "memory") 1 1)
        (func (export "user_entrypoint") (param i32) (result i32)
            loop
              local.get 0 i32.const 1 i32.sub local.tee 0
              br_if 0
            end
            i32.const 0))"#,
    )
    .unwrap();
    for n in [1u64, 5, 100] {
        let out = run(&a.instrumented, INK, BUDGET, n as i32);
        assert_eq!(out.result, Ok(0));
        // loop header block, n iterations of the body, the loop's end, the tail.
        assert_eq!(
            INK - out.ink_left,
            2_451 + n * 3_436 + 2_451 + 2_452,
            "n = {n}"
        );
    }
}

#[test]
fn out_of_ink_traps_before_the_block_runs() {
    let a = activate_wat(
        r#"(module (memory (export "memory") 1 1)
        (func (export "user_entrypoint") (param i32) (result i32)
            local.get 0 i32.const 1 i32.add))"#,
    )
    .unwrap();
    let out = run(&a.instrumented, 2_596, BUDGET, 1);
    assert!(out.result.is_err());
    assert_eq!(out.ink_status, 1);
    assert_eq!(out.ink_left, 2_596, "nothing deducted by the failing check");
    let exact = run(&a.instrumented, 2_597, BUDGET, 1);
    assert_eq!(exact.result, Ok(2));
    assert_eq!(exact.ink_left, 0);
}

#[test]
fn float_block_always_runs_out_of_ink() {
    let a = activate_wat(
        r#"(module (memory (export "memory") 1 1)
        (func (export "user_entrypoint") (param i32) (result i32)
            local.get 0
            if
              f64.const 1
              drop
            end
            i32.const 0))"#,
    )
    .unwrap();
    assert_eq!(run(&a.instrumented, INK, BUDGET, 0).result, Ok(0));
    let out = run(&a.instrumented, u64::MAX - 1, BUDGET, 1);
    assert!(out.result.is_err());
    assert_eq!(out.ink_status, 1);
}

const RECURSIVE: &str = r#"(module (memory (export "memory") 1 1)
    (func $rec (param i32) (result i32)
        local.get 0
        if (result i32)
          local.get 0 i32.const 1 i32.sub call $rec
        else
          i32.const 0
        end)
    (func (export "user_entrypoint") (param i32) (result i32)
        local.get 0
        call $rec))"#;

#[test]
fn depth_budget_is_exact() {
    let a = activate_wat(RECURSIVE).unwrap();
    // Frames: entrypoint 3 + 4 = 7; $rec 4 + 4 = 8 (the header after the call runs at height 2).
    // Entry check traps when stack_left <= frame.
    let n = 10u32;
    let enough = 7 + 8 * (n + 1) + 1;
    let ok = run(&a.instrumented, INK, enough, n as i32);
    assert_eq!(ok.result, Ok(0));
    assert_eq!(ok.stack_left, enough, "every frame credited back");

    let short = run(&a.instrumented, INK, enough - 1, n as i32);
    assert!(short.result.is_err());
    assert_eq!(
        short.stack_left, 0,
        "out-of-stack is signalled by stack_left == 0"
    );
    assert_eq!(short.ink_status, 0);
}

#[test]
fn branch_to_function_label_leaks_the_frame() {
    let a = activate_wat(
        r#"(module (memory (export "memory") 1 1)
        (func (export "user_entrypoint") (param i32) (result i32)
            i32.const 7
            local.get 0
            br_if 0
            drop
            i32.const 1))"#,
    )
    .unwrap();
    let fallthrough = run(&a.instrumented, INK, BUDGET, 0);
    assert_eq!(fallthrough.result, Ok(1));
    assert_eq!(fallthrough.stack_left, BUDGET);
    let branched = run(&a.instrumented, INK, BUDGET, 1);
    assert_eq!(branched.result, Ok(7));
    // frame = worst 3 (header after br_if at height 1) + 4; never credited back.
    assert_eq!(branched.stack_left, BUDGET - 7);
}

#[test]
fn memory_fill_pays_per_byte_and_detects_wrap() {
    let a = activate_wat(
        r#"(module (memory (export "memory") 1 1)
        (func (export "user_entrypoint") (param i32) (result i32)
            i32.const 0 i32.const 0 local.get 0 memory.fill
            i32.const 0))"#,
    )
    .unwrap();
    let base = 2_450 + 1 + 1 + 75 + 950 + 1 + 1;
    assert_eq!(INK - run(&a.instrumented, INK, BUDGET, 0).ink_left, base);
    assert_eq!(
        INK - run(&a.instrumented, INK, BUDGET, 1_000).ink_left,
        base + 100_000
    );
    let exact = run(&a.instrumented, base + 100_000, BUDGET, 1_000);
    assert_eq!(exact.result, Ok(0));
    assert_eq!(exact.ink_left, 0);
    let short = run(&a.instrumented, base + 99_999, BUDGET, 1_000);
    assert!(short.result.is_err());
    assert_eq!(short.ink_status, 1);
}

#[test]
fn memory_grow_pays_through_the_host_first() {
    let a = activate_wat(
        r#"(module
        (import "vm_hooks" "pay_for_memory_grow" (func (param i32)))
        (memory (export "memory") 1 4)
        (func (export "user_entrypoint") (param i32) (result i32)
            local.get 0
            memory.grow))"#,
    )
    .unwrap();
    let out = run(&a.instrumented, INK, BUDGET, 2);
    assert_eq!(out.result, Ok(1), "previous size");
    assert_eq!(out.grows, vec![2]);
}
