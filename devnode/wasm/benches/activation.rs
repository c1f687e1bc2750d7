//! Activation throughput: prints the time `devnode_wasm::activate` takes per KiB of wasm for a
//! few generated modules (and the workspace's test token if it has been built).
//!
//! Run with `cargo bench -p devnode-wasm --bench activation`.

use std::time::Instant;

use devnode_wasm::{activate, StylusParams};
use wasm_encoder::{
    BlockType, CodeSection, ExportKind, ExportSection, Function, FunctionSection, Instruction,
    MemorySection, MemoryType, Module, TypeSection, ValType,
};

/// A module with `funcs` helper functions of roughly `ops` operators each (arithmetic, branches,
/// loads/stores and calls), plus the entrypoint.
fn generate(funcs: u32, ops: u32) -> Vec<u8> {
    let mut types = TypeSection::new();
    types.ty().function([ValType::I32], [ValType::I32]);
    let mut functions = FunctionSection::new();
    let mut code = CodeSection::new();
    for f in 0..=funcs {
        functions.function(0);
        let mut body = Function::new([(2, ValType::I32)]);
        let mut emitted = 0;
        while emitted < ops {
            body.instruction(&Instruction::LocalGet(0));
            body.instruction(&Instruction::I32Const(7));
            body.instruction(&Instruction::I32Add);
            body.instruction(&Instruction::LocalTee(1));
            body.instruction(&Instruction::If(BlockType::Empty));
            body.instruction(&Instruction::LocalGet(1));
            body.instruction(&Instruction::I32Load(wasm_encoder::MemArg {
                offset: 8,
                align: 2,
                target: wasm_encoder::MemArgTarget::Memory(0),
                ordering: None,
            }));
            body.instruction(&Instruction::LocalSet(2));
            body.instruction(&Instruction::Else);
            body.instruction(&Instruction::I32Const(0));
            body.instruction(&Instruction::LocalGet(2));
            body.instruction(&Instruction::I32Store(wasm_encoder::MemArg {
                offset: 0,
                align: 2,
                target: wasm_encoder::MemArgTarget::Memory(0),
                ordering: None,
            }));
            body.instruction(&Instruction::End);
            emitted += 13;
            if f > 0 && emitted % 52 == 0 {
                body.instruction(&Instruction::LocalGet(2));
                body.instruction(&Instruction::Call(f - 1));
                body.instruction(&Instruction::LocalSet(2));
                emitted += 3;
            }
        }
        body.instruction(&Instruction::LocalGet(2));
        body.instruction(&Instruction::End);
        code.function(&body);
    }
    let mut memory = MemorySection::new();
    memory.memory(MemoryType {
        minimum: 2,
        maximum: Some(2),
        memory64: false,
        shared: false,
        page_size_log2: None,
    });
    let mut exports = ExportSection::new();
    exports.export("memory", ExportKind::Memory, 0);
    exports.export("user_entrypoint", ExportKind::Func, funcs);
    let mut module = Module::new();
    module
        .section(&types)
        .section(&functions)
        .section(&memory)
        .section(&exports)
        .section(&code);
    module.finish()
}

fn measure(name: &str, wasm: &[u8]) {
    let params = StylusParams::default();
    let first = activate(wasm, 128, &params, false, 51).expect("benchmark module activates");
    let iterations = (2_000_000 / wasm.len().max(1)).clamp(5, 2_000);
    let start = Instant::now();
    for _ in 0..iterations {
        std::hint::black_box(activate(wasm, 128, &params, false, 51).unwrap());
    }
    let per_call = start.elapsed().as_secs_f64() * 1e6 / iterations as f64;
    let kib = wasm.len() as f64 / 1024.0;
    println!(
        "{name:<28} {kib:>8.1} {:>7} {:>10} {per_call:>12.1} {:>10.1} {:>12}",
        first.stats.funcs,
        first.stats.instrumented_ops,
        per_call / kib,
        first.compile_gas
    );
}

fn main() {
    println!(
        "{:<28} {:>8} {:>7} {:>10} {:>12} {:>10} {:>12}",
        "module", "KiB", "funcs", "ops(instr)", "µs/activate", "µs/KiB", "compile gas"
    );
    for (funcs, ops) in [(8, 200), (40, 200), (150, 250), (300, 120)] {
        let wasm = generate(funcs, ops);
        if wasm.len() > 128 * 1024 {
            continue;
        }
        measure(&format!("generated {funcs}×{ops} ops"), &wasm);
    }
    let token = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../target/wasm32-unknown-unknown/contract/test_token.wasm"
    );
    if let Ok(wasm) = std::fs::read(token) {
        measure("test_token.wasm", &wasm);
    }
}
