//! Nitro's instrumentation passes as a wasm→wasm rewrite (spec §1.6).
//!
//! Every locally defined function goes through, in order: the ink meter (§1.6.1), the dynamic
//! meter (§1.6.2), the depth checker (§1.6.3) and, for growable memories, the heap bound
//! (§1.6.4); each pass consumes the previous pass's operator list. Four mutable globals are
//! appended (ink left, ink status, scratch, stack left) and exported.

use std::borrow::Cow;

use wasm_encoder::reencode::{Reencode, RoundtripReencoder};
use wasm_encoder::{
    ConstExpr, CustomSection, ExportKind, ExportSection, GlobalSection, GlobalType, RawSection,
    ValType as EncValType,
};
use wasmparser::{BlockType, ExternalKind, FunctionBody, Operator, Parser, Payload};

use crate::module::{FuncSig, ModuleInfo};
use crate::pricing::{op_ink, BLOCK_HEADER_INK, MEMORY_BULK_INK_PER_BYTE};
use crate::{invalid, ActivationError};
use crate::{
    ENTRYPOINT_EXPORT, INK_LEFT_GLOBAL, INK_STATUS_GLOBAL, MEMORY_EXPORT, SCRATCH_GLOBAL,
    STACK_LEFT_GLOBAL, START_EXPORT,
};

/// Maximum declared locals (excluding parameters) per function.
pub const MAX_LOCALS: u64 = 348;
/// Maximum operators per function (original code, including the final `end`).
pub const MAX_OPERATORS: usize = 65_536;
/// Maximum worst-case operand-stack height per function ("max_frame_contention").
pub const MAX_FRAME_CONTENTION: u64 = 4_096;
/// Maximum depth-checker frame size per function, in words.
pub const MAX_FRAME_SIZE: u64 = 10_240;

/// Operators inserted before every basic block.
pub const INK_CHECK_OPS: u64 = 12;
/// Operators inserted before every `memory.fill` / `memory.copy`.
pub const DYNAMIC_METER_OPS: u64 = 17;
/// Operators inserted at every function entry.
pub const STACK_CHECK_OPS: u64 = 12;
/// Operators inserted before every `return` (original or appended).
pub const STACK_CREDIT_OPS: u64 = 4;
/// Operators inserted before every `memory.grow` of a growable memory.
pub const HEAP_BOUND_OPS: u64 = 4;

/// Indices of the globals added by instrumentation.
#[derive(Clone, Copy, Debug)]
pub(crate) struct AddedGlobals {
    pub ink_left: u32,
    pub ink_status: u32,
    pub scratch: u32,
    pub stack_left: u32,
}

impl AddedGlobals {
    fn after(num_globals: u32) -> Self {
        Self {
            ink_left: num_globals,
            ink_status: num_globals + 1,
            scratch: num_globals + 2,
            stack_left: num_globals + 3,
        }
    }
}

/// Per-function facts the depth checker reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct FrameInfo {
    /// Worst-case operand-stack height over the metered operators.
    pub worst: u64,
    /// `worst + declared locals + 4`.
    pub frame: u64,
}

fn encode_err(e: impl std::fmt::Display) -> ActivationError {
    ActivationError::Invalid(format!("failed to encode instrumented module: {e}"))
}

fn parse_err(e: wasmparser::BinaryReaderError) -> ActivationError {
    ActivationError::Parse(e.to_string())
}

/// Rewrites `wasm` (already validated into `module`). Returns the instrumented module and its
/// total operator count (spec §1.6.5).
pub(crate) fn instrument(
    module: &ModuleInfo,
    wasm: &[u8],
    debug: bool,
) -> Result<(Vec<u8>, u64), ActivationError> {
    let globals = AddedGlobals::after(module.num_globals);
    let mut out = wasm_encoder::Module::new();
    let mut re = RoundtripReencoder;
    let mut wrote_globals = false;
    let mut code: Option<(wasm_encoder::CodeSection, u32)> = None;
    let mut func_index = module.num_imports;
    let mut total_ops = 0u64;

    let added_globals = |section: &mut GlobalSection| {
        let mutable = |ty| GlobalType {
            val_type: ty,
            mutable: true,
            shared: false,
        };
        section.global(mutable(EncValType::I64), &ConstExpr::i64_const(0));
        section.global(mutable(EncValType::I32), &ConstExpr::i32_const(0));
        section.global(mutable(EncValType::I32), &ConstExpr::i32_const(0));
        section.global(mutable(EncValType::I32), &ConstExpr::i32_const(0));
    };

    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(parse_err)?;
        // The global section must come before exports, start, elements, code and data.
        if !wrote_globals {
            if let Some((id, _)) = payload.as_section() {
                if matches!(id, 7..=12) {
                    let mut section = GlobalSection::new();
                    added_globals(&mut section);
                    out.section(&section);
                    wrote_globals = true;
                }
            }
        }
        match payload {
            Payload::GlobalSection(reader) => {
                let mut section = GlobalSection::new();
                re.parse_global_section(&mut section, reader)
                    .map_err(encode_err)?;
                added_globals(&mut section);
                out.section(&section);
                wrote_globals = true;
            }
            Payload::ExportSection(reader) => {
                let mut section = ExportSection::new();
                for export in reader {
                    let export = export.map_err(parse_err)?;
                    if !debug && export.name != ENTRYPOINT_EXPORT && export.name != MEMORY_EXPORT {
                        continue;
                    }
                    let kind = match export.kind {
                        ExternalKind::Func => ExportKind::Func,
                        ExternalKind::Table => ExportKind::Table,
                        ExternalKind::Memory => ExportKind::Memory,
                        ExternalKind::Global => ExportKind::Global,
                        ExternalKind::Tag => ExportKind::Tag,
                        _ => return invalid("unsupported export kind"),
                    };
                    section.export(export.name, kind, export.index);
                }
                if let Some(start) = module.start {
                    section.export(START_EXPORT, ExportKind::Func, start);
                }
                section.export(INK_LEFT_GLOBAL, ExportKind::Global, globals.ink_left);
                section.export(INK_STATUS_GLOBAL, ExportKind::Global, globals.ink_status);
                section.export(SCRATCH_GLOBAL, ExportKind::Global, globals.scratch);
                section.export(STACK_LEFT_GLOBAL, ExportKind::Global, globals.stack_left);
                out.section(&section);
            }
            // Rejected outside debug mode; in debug mode moved to the `stylus_start` export.
            Payload::StartSection { .. } => {}
            Payload::CodeSectionStart { count, .. } => {
                code = Some((wasm_encoder::CodeSection::new(), count));
                if count == 0 {
                    out.section(&wasm_encoder::CodeSection::new());
                    code = None;
                }
            }
            Payload::CodeSectionEntry(body) => {
                let Some((section, remaining)) = code.as_mut() else {
                    return invalid("code entry outside the code section");
                };
                let (function, ops) = instrument_function(module, globals, func_index, &body)?;
                total_ops += ops;
                section.function(&function);
                func_index += 1;
                *remaining -= 1;
                if *remaining == 0 {
                    let (section, _) = code.take().expect("checked above");
                    out.section(&section);
                }
            }
            Payload::CustomSection(reader) => {
                if reader.name() == "name" {
                    out.section(&CustomSection {
                        name: Cow::Borrowed("name"),
                        data: Cow::Borrowed(reader.data()),
                    });
                }
            }
            Payload::Version { .. } | Payload::End(_) => {}
            other => {
                if let Some((id, range)) = other.as_section() {
                    let data = &wasm[range.start as usize..range.end as usize];
                    out.section(&RawSection { id, data });
                }
            }
        }
    }
    if !wrote_globals {
        // Unreachable for valid Stylus modules (the export section is mandatory).
        return invalid("module has no export section");
    }
    Ok((out.finish(), total_ops))
}

/// Instruments one function body; returns the encoded function and its operator count.
fn instrument_function(
    module: &ModuleInfo,
    globals: AddedGlobals,
    func_index: u32,
    body: &FunctionBody<'_>,
) -> Result<(wasm_encoder::Function, u64), ActivationError> {
    let mut locals = Vec::new();
    let mut declared = 0u64;
    for local in body.get_locals_reader().map_err(parse_err)? {
        let (count, ty) = local.map_err(parse_err)?;
        declared += u64::from(count);
        locals.push((count, ty));
    }
    if declared > MAX_LOCALS {
        return invalid(format!(
            "function {func_index} has {declared} locals (limit {MAX_LOCALS})"
        ));
    }

    let mut ops = Vec::new();
    let mut reader = body.get_operators_reader().map_err(parse_err)?;
    while !reader.eof() {
        let op = reader.read().map_err(parse_err)?;
        check_operator(&op)?;
        ops.push(op);
        if ops.len() > MAX_OPERATORS {
            return invalid(format!(
                "function {func_index} has too many operators (limit {MAX_OPERATORS})"
            ));
        }
    }

    let ops = ink_meter(ops, globals, &module.types);
    let ops = dynamic_meter(ops, globals);
    let frame = frame_info(&ops, module, declared);
    if frame.worst > MAX_FRAME_CONTENTION {
        return invalid(format!(
            "function {func_index} exceeds the max frame contention: operand stack depth {} \
             (limit {MAX_FRAME_CONTENTION})",
            frame.worst
        ));
    }
    if frame.frame > MAX_FRAME_SIZE {
        return invalid(format!(
            "function {func_index} frame of {} words is too large (limit {MAX_FRAME_SIZE})",
            frame.frame
        ));
    }
    let ops = depth_checker(ops, globals, frame.frame);
    let ops = match (module.memory_growable, module.pay_for_memory_grow) {
        (true, Some(pay)) => heap_bound(ops, globals, pay),
        _ => ops,
    };

    let mut re = RoundtripReencoder;
    let enc_locals = locals
        .into_iter()
        .map(|(count, ty)| Ok((count, re.val_type(ty)?)))
        .collect::<Result<Vec<_>, wasm_encoder::reencode::Error>>()
        .map_err(encode_err)?;
    let mut function = wasm_encoder::Function::new(enc_locals);
    let count = ops.len() as u64;
    for op in ops {
        let instruction = re.instruction(op).map_err(encode_err)?;
        function.instruction(&instruction);
    }
    Ok((function, count))
}

/// Rejects operators Stylus does not support (spec §1.5 "Operators").
fn check_operator(op: &Operator<'_>) -> Result<(), ActivationError> {
    use Operator as O;
    if op_ink(op, |_| 0) != u64::MAX {
        return Ok(());
    }
    match op {
        // Priced at u64::MAX: they pass activation but their block can never execute.
        O::F32Const { .. }
        | O::F64Const { .. }
        | O::F32Load { .. }
        | O::F64Load { .. }
        | O::F32Store { .. }
        | O::F64Store { .. }
        | O::I32ReinterpretF32
        | O::I64ReinterpretF64
        | O::F32ReinterpretI32
        | O::F64ReinterpretI64 => Ok(()),
        _ => {
            let name = format!("{op:?}");
            let name = name.split([' ', '{']).next().unwrap_or_default();
            if name.contains("F32") || name.contains("F64") {
                invalid(format!(
                    "no implementation for floating point operation {name}"
                ))
            } else {
                invalid(format!("unsupported operator {name}"))
            }
        }
    }
}

/// Whether an operator ends a basic block for the ink meter (spec §1.6.1).
fn ends_basic_block(op: &Operator<'_>) -> bool {
    matches!(
        op,
        Operator::End
            | Operator::Else
            | Operator::Return
            | Operator::Loop { .. }
            | Operator::Br { .. }
            | Operator::BrIf { .. }
            | Operator::BrTable { .. }
            | Operator::If { .. }
            | Operator::Call { .. }
            | Operator::CallIndirect { .. }
    )
}

/// The static ink meter: a 12-operator check before every basic block (spec §1.6.1).
pub(crate) fn ink_meter<'a>(
    ops: Vec<Operator<'a>>,
    globals: AddedGlobals,
    types: &[FuncSig],
) -> Vec<Operator<'a>> {
    let mut out = Vec::with_capacity(ops.len() * 3);
    let mut block: Vec<Operator<'a>> = Vec::new();
    let mut cost = 0u64;
    for op in ops {
        let ink = op_ink(&op, |ty| {
            types
                .get(ty as usize)
                .map_or(0, |sig| sig.params.len() as u64)
        });
        cost = cost.saturating_add(ink);
        let ends = ends_basic_block(&op);
        block.push(op);
        if ends {
            let value = cost.saturating_add(BLOCK_HEADER_INK) as i64;
            out.extend([
                Operator::GlobalGet {
                    global_index: globals.ink_left,
                },
                Operator::I64Const { value },
                Operator::I64LtU,
                Operator::If {
                    blockty: BlockType::Empty,
                },
                Operator::I32Const { value: 1 },
                Operator::GlobalSet {
                    global_index: globals.ink_status,
                },
                Operator::Unreachable,
                Operator::End,
                Operator::GlobalGet {
                    global_index: globals.ink_left,
                },
                Operator::I64Const { value },
                Operator::I64Sub,
                Operator::GlobalSet {
                    global_index: globals.ink_left,
                },
            ]);
            out.append(&mut block);
            cost = 0;
        }
    }
    // A valid body ends with `end`, so nothing is left over.
    out.append(&mut block);
    out
}

/// The dynamic meter: 17 operators charging 100 ink per byte before every `memory.fill` and
/// `memory.copy` (spec §1.6.2).
pub(crate) fn dynamic_meter(ops: Vec<Operator<'_>>, globals: AddedGlobals) -> Vec<Operator<'_>> {
    let bulk = ops
        .iter()
        .filter(|op| {
            matches!(
                op,
                Operator::MemoryFill { .. } | Operator::MemoryCopy { .. }
            )
        })
        .count();
    if bulk == 0 {
        return ops;
    }
    let mut out = Vec::with_capacity(ops.len() + bulk * DYNAMIC_METER_OPS as usize);
    for op in ops {
        if matches!(
            op,
            Operator::MemoryFill { .. } | Operator::MemoryCopy { .. }
        ) {
            out.extend([
                Operator::GlobalSet {
                    global_index: globals.scratch,
                },
                Operator::GlobalGet {
                    global_index: globals.ink_left,
                },
                Operator::GlobalGet {
                    global_index: globals.ink_left,
                },
                Operator::GlobalGet {
                    global_index: globals.scratch,
                },
                Operator::I64ExtendI32U,
                Operator::I64Const {
                    value: MEMORY_BULK_INK_PER_BYTE as i64,
                },
                Operator::I64Mul,
                Operator::I64Sub,
                Operator::GlobalSet {
                    global_index: globals.ink_left,
                },
                Operator::GlobalGet {
                    global_index: globals.ink_left,
                },
                Operator::I64LtU,
                Operator::If {
                    blockty: BlockType::Empty,
                },
                Operator::I32Const { value: 1 },
                Operator::GlobalSet {
                    global_index: globals.ink_status,
                },
                Operator::Unreachable,
                Operator::End,
                Operator::GlobalGet {
                    global_index: globals.scratch,
                },
            ]);
        }
        out.push(op);
    }
    out
}

/// Stack effect of an operator for the depth checker: `(push, pop)`, applied push first.
fn stack_effect(op: &Operator<'_>, module: &ModuleInfo) -> (u64, u64) {
    use Operator as O;
    let sig_of_type = |ty: u32| module.types.get(ty as usize);
    let sig_of_func = |f: u32| {
        module
            .func_types
            .get(f as usize)
            .and_then(|ty| sig_of_type(*ty))
    };
    let counts = |sig: Option<&FuncSig>| {
        sig.map_or((0, 0), |s| (s.results.len() as u64, s.params.len() as u64))
    };
    match op {
        O::LocalGet { .. }
        | O::GlobalGet { .. }
        | O::MemorySize { .. }
        | O::I32Const { .. }
        | O::I64Const { .. }
        | O::F32Const { .. }
        | O::F64Const { .. } => (1, 0),
        O::Drop | O::BrIf { .. } | O::BrTable { .. } | O::LocalSet { .. } | O::GlobalSet { .. } => {
            (0, 1)
        }
        O::Select => (0, 2),
        O::MemoryFill { .. } | O::MemoryCopy { .. } => (0, 3),
        O::I32Store { .. }
        | O::I32Store8 { .. }
        | O::I32Store16 { .. }
        | O::I64Store { .. }
        | O::I64Store8 { .. }
        | O::I64Store16 { .. }
        | O::I64Store32 { .. }
        | O::F32Store { .. }
        | O::F64Store { .. } => (0, 2),
        O::Call { function_index } => counts(sig_of_func(*function_index)),
        O::CallIndirect { type_index, .. } => {
            let (push, pop) = counts(sig_of_type(*type_index));
            (push, pop + 1)
        }
        O::I32Eq
        | O::I32Ne
        | O::I32LtS
        | O::I32LtU
        | O::I32GtS
        | O::I32GtU
        | O::I32LeS
        | O::I32LeU
        | O::I32GeS
        | O::I32GeU
        | O::I64Eq
        | O::I64Ne
        | O::I64LtS
        | O::I64LtU
        | O::I64GtS
        | O::I64GtU
        | O::I64LeS
        | O::I64LeU
        | O::I64GeS
        | O::I64GeU
        | O::I32Add
        | O::I32Sub
        | O::I32Mul
        | O::I32DivS
        | O::I32DivU
        | O::I32RemS
        | O::I32RemU
        | O::I32And
        | O::I32Or
        | O::I32Xor
        | O::I32Shl
        | O::I32ShrS
        | O::I32ShrU
        | O::I32Rotl
        | O::I32Rotr
        | O::I64Add
        | O::I64Sub
        | O::I64Mul
        | O::I64DivS
        | O::I64DivU
        | O::I64RemS
        | O::I64RemU
        | O::I64And
        | O::I64Or
        | O::I64Xor
        | O::I64Shl
        | O::I64ShrS
        | O::I64ShrU
        | O::I64Rotl
        | O::I64Rotr => (0, 1),
        // Loads, unary operators, eqz, conversions, local.tee, memory.grow, br, return, nop,
        // unreachable (and the control operators, handled by the caller).
        _ => (0, 0),
    }
}

/// Block-type effect `(push, pop)`: empty → nothing, value → push 1, type index → push outs
/// then pop ins.
fn block_effect(blockty: &BlockType, module: &ModuleInfo) -> (u64, u64) {
    match blockty {
        BlockType::Empty => (0, 0),
        BlockType::Type(_) => (1, 0),
        BlockType::FuncType(ty) => module
            .types
            .get(*ty as usize)
            .map_or((0, 0), |s| (s.results.len() as u64, s.params.len() as u64)),
    }
}

/// The depth checker's abstract interpretation (spec §1.6.3) over the metered operators.
pub(crate) fn frame_info(
    ops: &[Operator<'_>],
    module: &ModuleInfo,
    declared_locals: u64,
) -> FrameInfo {
    let mut height = 0u64;
    let mut worst = 0u64;
    let mut scopes: Vec<u64> = Vec::new();
    let mut apply = |height: &mut u64, (push, pop): (u64, u64)| {
        *height += push;
        worst = worst.max(*height);
        *height = height.saturating_sub(pop);
    };
    for op in ops {
        match op {
            Operator::Block { blockty } | Operator::Loop { blockty } => {
                apply(&mut height, block_effect(blockty, module));
                scopes.push(height);
            }
            Operator::If { blockty } => {
                height = height.saturating_sub(1);
                apply(&mut height, block_effect(blockty, module));
                scopes.push(height);
            }
            Operator::Else => {
                if let Some(recorded) = scopes.last() {
                    height = *recorded;
                }
            }
            Operator::End => {
                if let Some(recorded) = scopes.pop() {
                    height = recorded;
                }
            }
            other => apply(&mut height, stack_effect(other, module)),
        }
    }
    FrameInfo {
        worst,
        frame: worst + declared_locals + 4,
    }
}

fn stack_credit<'a>(globals: AddedGlobals, frame: i32) -> [Operator<'a>; 4] {
    [
        Operator::GlobalGet {
            global_index: globals.stack_left,
        },
        Operator::I32Const { value: frame },
        Operator::I32Add,
        Operator::GlobalSet {
            global_index: globals.stack_left,
        },
    ]
}

/// The depth checker's rewrite: entry check, credit-back before every `return`, and an extra
/// `return` before the final `end` (spec §1.6.3).
pub(crate) fn depth_checker(
    ops: Vec<Operator<'_>>,
    globals: AddedGlobals,
    frame: u64,
) -> Vec<Operator<'_>> {
    let frame = frame as i32;
    let returns = ops
        .iter()
        .filter(|op| matches!(op, Operator::Return))
        .count();
    let mut out = Vec::with_capacity(ops.len() + 13 + 4 * (returns + 1));
    out.extend([
        Operator::GlobalGet {
            global_index: globals.stack_left,
        },
        Operator::I32Const { value: frame },
        Operator::I32LeU,
        Operator::If {
            blockty: BlockType::Empty,
        },
        Operator::I32Const { value: 0 },
        Operator::GlobalSet {
            global_index: globals.stack_left,
        },
        Operator::Unreachable,
        Operator::End,
        Operator::GlobalGet {
            global_index: globals.stack_left,
        },
        Operator::I32Const { value: frame },
        Operator::I32Sub,
        Operator::GlobalSet {
            global_index: globals.stack_left,
        },
    ]);
    let last = ops.len().saturating_sub(1);
    for (i, op) in ops.into_iter().enumerate() {
        if i == last {
            out.extend(stack_credit(globals, frame));
            out.push(Operator::Return);
        } else if matches!(op, Operator::Return) {
            out.extend(stack_credit(globals, frame));
        }
        out.push(op);
    }
    out
}

/// The heap bound: call `pay_for_memory_grow(pages)` before every `memory.grow` (spec §1.6.4).
pub(crate) fn heap_bound(
    ops: Vec<Operator<'_>>,
    globals: AddedGlobals,
    pay_for_memory_grow: u32,
) -> Vec<Operator<'_>> {
    let grows = ops
        .iter()
        .filter(|op| matches!(op, Operator::MemoryGrow { .. }))
        .count();
    if grows == 0 {
        return ops;
    }
    let mut out = Vec::with_capacity(ops.len() + grows * HEAP_BOUND_OPS as usize);
    for op in ops {
        if matches!(op, Operator::MemoryGrow { .. }) {
            out.extend([
                Operator::GlobalSet {
                    global_index: globals.scratch,
                },
                Operator::GlobalGet {
                    global_index: globals.scratch,
                },
                Operator::GlobalGet {
                    global_index: globals.scratch,
                },
                Operator::Call {
                    function_index: pay_for_memory_grow,
                },
            ]);
        }
        out.push(op);
    }
    out
}
