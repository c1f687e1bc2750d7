//! Parsing and validation of a Stylus module (spec §1.5).
//!
//! Structure rules are checked here; per-function operator rules (forbidden and float
//! operators, locals and operator counts, frame limits) are checked while instrumenting, as in
//! Nitro.

use std::collections::HashSet;

use wasmparser::{
    CompositeInnerType, ConstExpr, DataKind, ElementItems, ElementKind, ExternalKind, KnownCustom,
    Name, Operator, Parser, Payload, RefType, TypeRef, ValType, Validator,
};

use crate::hostios::{find_hostio, ValKind, PAY_FOR_MEMORY_GROW, VM_HOOKS};
use crate::{invalid, stylus_wasm_features, ActivationError, ModuleStats};
use crate::{ENTRYPOINT_EXPORT, MEMORY_EXPORT};

/// Maximum initial memory pages regardless of `PageLimit` (the heap bound).
pub const MAX_INITIAL_PAGES: u64 = 128;
/// Maximum number of imports (ArbOS ≥ 32).
pub const MAX_IMPORTS: usize = 513;
/// Maximum number of globals in the original module.
pub const MAX_GLOBALS: usize = 32_768;
/// Maximum total initial table entries.
pub const MAX_TABLE_ENTRIES: u64 = 4_096;
/// Maximum number of element segments.
pub const MAX_ELEMENT_SEGMENTS: usize = 128;
/// Maximum number of element entries over all segments.
pub const MAX_ELEMENT_ENTRIES: u64 = 4_096;
/// Maximum number of data segments.
pub const MAX_DATA_SEGMENTS: usize = 128;
/// Maximum number of exports.
pub const MAX_EXPORTS: usize = 1_024;
/// Maximum number of function bodies.
pub const MAX_FUNCTIONS: usize = 4_096;
/// Maximum length of an export name or of the module name.
pub const MAX_NAME_LEN: usize = 512;
/// Wasm page size.
const PAGE_SIZE: u64 = 65_536;

/// A function type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FuncSig {
    pub params: Vec<ValType>,
    pub results: Vec<ValType>,
}

/// What activation needs to know about a validated module.
#[derive(Debug)]
pub(crate) struct ModuleInfo {
    /// Function types by type index.
    pub types: Vec<FuncSig>,
    /// Type index of every function (imports first).
    pub func_types: Vec<u32>,
    /// Number of imported functions.
    pub num_imports: u32,
    /// Globals defined by the module (the added ones come after).
    pub num_globals: u32,
    /// Initial memory pages.
    pub footprint: u16,
    /// `max != initial`.
    pub memory_growable: bool,
    /// Function index of `vm_hooks.pay_for_memory_grow`, if imported.
    pub pay_for_memory_grow: Option<u32>,
    /// The start function, if any (only accepted in debug mode).
    pub start: Option<u32>,
    /// Number of function bodies.
    pub funcs: u64,
    /// Σ (#params + #results) over local functions.
    pub type_len: u64,
    /// Σ encoded data + element segment lengths.
    pub data_len: u64,
    /// Σ data payload lengths.
    pub data_payload_len: u64,
    /// Σ encoded element segment lengths.
    pub elem_len: u64,
}

fn kind_of(ty: &ValType) -> Option<ValKind> {
    match ty {
        ValType::I32 => Some(ValKind::I32),
        ValType::I64 => Some(ValKind::I64),
        ValType::F32 => Some(ValKind::F32),
        ValType::F64 => Some(ValKind::F64),
        _ => None,
    }
}

fn sig_matches(sig: &FuncSig, params: &[ValKind], results: &[ValKind]) -> bool {
    sig.params
        .iter()
        .map(kind_of)
        .eq(params.iter().map(|k| Some(*k)))
        && sig
            .results
            .iter()
            .map(kind_of)
            .eq(results.iter().map(|k| Some(*k)))
}

fn parse_err(e: wasmparser::BinaryReaderError) -> ActivationError {
    ActivationError::Parse(e.to_string())
}

/// Evaluates a constant expression that must be exactly `i32.const c; end`.
fn i32_const_offset(expr: &ConstExpr<'_>, what: &str) -> Result<u64, ActivationError> {
    let mut ops = expr.get_operators_reader();
    let first = ops.read().map_err(parse_err)?;
    let second = ops.read().map_err(parse_err)?;
    match (first, second) {
        (Operator::I32Const { value }, Operator::End) if ops.eof() => Ok(u64::from(value as u32)),
        _ => invalid(format!("{what} offset must be a single i32.const")),
    }
}

impl ModuleInfo {
    /// Parses and validates `wasm` against the Stylus rules.
    pub(crate) fn parse(
        wasm: &[u8],
        page_limit: u16,
        debug: bool,
        arbos_version: u64,
    ) -> Result<Self, ActivationError> {
        Validator::new_with_features(stylus_wasm_features(arbos_version))
            .validate_all(wasm)
            .map_err(parse_err)?;

        let mut info = ModuleInfo {
            types: Vec::new(),
            func_types: Vec::new(),
            num_imports: 0,
            num_globals: 0,
            footprint: 0,
            memory_growable: false,
            pay_for_memory_grow: None,
            start: None,
            funcs: 0,
            type_len: 0,
            data_len: 0,
            data_payload_len: 0,
            elem_len: 0,
        };
        let mut import_names: HashSet<&str> = HashSet::new();
        let mut exports: Vec<(&str, ExternalKind, u32)> = Vec::new();
        let mut memories: Vec<(u64, Option<u64>)> = Vec::new();
        let mut table_sizes: Vec<u64> = Vec::new();

        for payload in Parser::new(0).parse_all(wasm) {
            match payload.map_err(parse_err)? {
                Payload::TypeSection(reader) => {
                    for group in reader {
                        for sub in group.map_err(parse_err)?.into_types() {
                            match &sub.composite_type.inner {
                                CompositeInnerType::Func(f) => info.types.push(FuncSig {
                                    params: f.params().to_vec(),
                                    results: f.results().to_vec(),
                                }),
                                _ => return invalid("only function types are supported"),
                            }
                        }
                    }
                }
                Payload::ImportSection(reader) => {
                    for import in reader.into_imports() {
                        let import = import.map_err(parse_err)?;
                        if import.name.starts_with("stylus") {
                            return invalid(format!(
                                "import name {} is reserved (names may not start with \"stylus\")",
                                import.name
                            ));
                        }
                        let TypeRef::Func(type_index) = import.ty else {
                            return invalid(format!(
                                "import {}.{} is not a function (only function imports are supported)",
                                import.module, import.name
                            ));
                        };
                        let Some(hostio) = find_hostio(import.module, import.name, debug) else {
                            return invalid(format!(
                                "unknown import {}.{} (only vm_hooks{} host functions can be imported)",
                                import.module,
                                import.name,
                                if debug { " and console" } else { "" }
                            ));
                        };
                        let sig = &info.types[type_index as usize];
                        if !sig_matches(sig, hostio.params, hostio.results) {
                            return invalid(format!(
                                "import {}.{} has the wrong signature",
                                import.module, import.name
                            ));
                        }
                        if import.module == VM_HOOKS && import.name == PAY_FOR_MEMORY_GROW {
                            info.pay_for_memory_grow.get_or_insert(info.num_imports);
                        }
                        import_names.insert(import.name);
                        info.func_types.push(type_index);
                        info.num_imports += 1;
                        if (arbos_version >= 32 || arbos_version == 0)
                            && info.num_imports as usize > MAX_IMPORTS
                        {
                            return invalid(format!("too many imports (limit {MAX_IMPORTS})"));
                        }
                    }
                }
                Payload::FunctionSection(reader) => {
                    for type_index in reader {
                        let type_index = type_index.map_err(parse_err)?;
                        let sig = &info.types[type_index as usize];
                        info.type_len += (sig.params.len() + sig.results.len()) as u64;
                        info.func_types.push(type_index);
                    }
                }
                Payload::TableSection(reader) => {
                    for table in reader {
                        let table = table.map_err(parse_err)?;
                        if table.ty.element_type != RefType::FUNCREF {
                            return invalid("tables must hold funcref");
                        }
                        table_sizes.push(table.ty.initial);
                    }
                    let total: u64 = table_sizes.iter().sum();
                    if total > MAX_TABLE_ENTRIES {
                        return invalid(format!(
                            "tables too large: {total} initial entries (limit {MAX_TABLE_ENTRIES})"
                        ));
                    }
                }
                Payload::MemorySection(reader) => {
                    for memory in reader {
                        let memory = memory.map_err(parse_err)?;
                        memories.push((memory.initial, memory.maximum));
                    }
                }
                Payload::GlobalSection(reader) => {
                    for global in reader {
                        let global = global.map_err(parse_err)?;
                        let mut ops = global.init_expr.get_operators_reader();
                        let first = ops.read().map_err(parse_err)?;
                        let second = ops.read().map_err(parse_err)?;
                        let constant = matches!(
                            first,
                            Operator::I32Const { .. }
                                | Operator::I64Const { .. }
                                | Operator::F32Const { .. }
                                | Operator::F64Const { .. }
                        );
                        if !constant || !matches!(second, Operator::End) || !ops.eof() {
                            return invalid("global initializers must be a single constant");
                        }
                        info.num_globals += 1;
                    }
                    if info.num_globals as usize > MAX_GLOBALS {
                        return invalid(format!("too many globals (limit {MAX_GLOBALS})"));
                    }
                }
                Payload::ExportSection(reader) => {
                    for export in reader {
                        let export = export.map_err(parse_err)?;
                        exports.push((export.name, export.kind, export.index));
                    }
                }
                Payload::StartSection { func, .. } => {
                    if !debug {
                        return invalid("start functions not allowed");
                    }
                    info.start = Some(func);
                }
                Payload::ElementSection(reader) => {
                    let mut entries = 0u64;
                    let mut segments = 0usize;
                    for element in reader {
                        let element = element.map_err(parse_err)?;
                        segments += 1;
                        if segments > MAX_ELEMENT_SEGMENTS {
                            return invalid(format!(
                                "too many element segments (limit {MAX_ELEMENT_SEGMENTS})"
                            ));
                        }
                        let ElementKind::Active {
                            table_index,
                            offset_expr,
                        } = &element.kind
                        else {
                            return invalid("only active element segments are supported");
                        };
                        let table = table_index.unwrap_or(0);
                        let offset = i32_const_offset(offset_expr, "element segment")?;
                        let ElementItems::Functions(items) = &element.items else {
                            return invalid("element segments must list function indices");
                        };
                        let count = u64::from(items.count());
                        entries += count;
                        if entries > MAX_ELEMENT_ENTRIES {
                            return invalid(format!(
                                "too many element entries (limit {MAX_ELEMENT_ENTRIES})"
                            ));
                        }
                        let size = table_sizes.get(table as usize).copied().unwrap_or(0);
                        if offset + count > size {
                            return invalid("element segment out of table bounds");
                        }
                        let len = element.range.end - element.range.start;
                        info.elem_len += len;
                        info.data_len += len;
                    }
                }
                Payload::DataCountSection { .. } => {
                    return invalid("unsupported section type: data count");
                }
                Payload::DataSection(reader) => {
                    let mut segments = 0usize;
                    let memory_bytes = memories
                        .first()
                        .map(|m| m.0)
                        .unwrap_or(0)
                        .saturating_mul(PAGE_SIZE);
                    for data in reader {
                        let data = data.map_err(parse_err)?;
                        segments += 1;
                        if segments > MAX_DATA_SEGMENTS {
                            return invalid(format!(
                                "too many data segments (limit {MAX_DATA_SEGMENTS})"
                            ));
                        }
                        if let DataKind::Active {
                            memory_index,
                            offset_expr,
                        } = &data.kind
                        {
                            if *memory_index != 0 {
                                return invalid("data segments must target memory 0");
                            }
                            let offset = i32_const_offset(offset_expr, "data segment")?;
                            if offset + data.data.len() as u64 > memory_bytes {
                                return invalid("data segment out of bounds of the initial memory");
                            }
                        }
                        info.data_payload_len += data.data.len() as u64;
                        info.data_len += data.range.end - data.range.start;
                    }
                }
                Payload::CodeSectionStart { count, .. } => {
                    if count as usize > MAX_FUNCTIONS {
                        return invalid(format!("too many functions (limit {MAX_FUNCTIONS})"));
                    }
                    info.funcs = u64::from(count);
                }
                Payload::CustomSection(reader) => {
                    if let KnownCustom::Name(names) = reader.as_known() {
                        // A malformed name section is ignored, as custom sections are.
                        for name in names.into_iter().flatten() {
                            if let Name::Module { name, .. } = name {
                                if name.len() > MAX_NAME_LEN {
                                    return invalid(format!(
                                        "module name too long (limit {MAX_NAME_LEN} bytes)"
                                    ));
                                }
                            }
                        }
                    }
                }
                Payload::Version { .. } | Payload::CodeSectionEntry(_) | Payload::End(_) => {}
                other => {
                    let id = other.as_section().map(|(id, _)| id).unwrap_or(0);
                    return invalid(format!("unsupported section type {id}"));
                }
            }
        }

        // Memory.
        let [(initial, maximum)] = memories[..] else {
            return invalid(format!(
                "programs must define exactly one memory (found {})",
                memories.len()
            ));
        };
        if initial > MAX_INITIAL_PAGES {
            return invalid(format!(
                "memory exceeds limit: {initial} initial pages (limit {MAX_INITIAL_PAGES})"
            ));
        }
        if initial > u64::from(page_limit) {
            return invalid(format!(
                "memory exceeds limit: {initial} initial pages but only {page_limit} available"
            ));
        }
        info.footprint = initial as u16;
        info.memory_growable = maximum != Some(initial);
        if info.memory_growable && info.pay_for_memory_grow.is_none() {
            return invalid(
                "missing import vm_hooks.pay_for_memory_grow: growable memory requires it \
                 (missing entrypoint?)",
            );
        }

        // Exports.
        if exports.len() > MAX_EXPORTS {
            return invalid(format!("too many exports (limit {MAX_EXPORTS})"));
        }
        let mut entrypoint_ok = false;
        let mut memory_ok = false;
        for &(name, kind, index) in &exports {
            if name.len() > MAX_NAME_LEN {
                return invalid(format!("export name too long (limit {MAX_NAME_LEN} bytes)"));
            }
            if name.starts_with("stylus") {
                return invalid(format!(
                    "export name {name} is reserved (names may not start with \"stylus\")"
                ));
            }
            let base = name.rsplit("__").next().unwrap_or(name);
            if import_names.contains(base) {
                return invalid(format!("export {name} collides with an import name"));
            }
            if name == ENTRYPOINT_EXPORT {
                let is_entry = kind == ExternalKind::Func
                    && info
                        .func_types
                        .get(index as usize)
                        .map(|t| {
                            sig_matches(&info.types[*t as usize], &[ValKind::I32], &[ValKind::I32])
                        })
                        .unwrap_or(false);
                if !is_entry {
                    return invalid(format!(
                        "{ENTRYPOINT_EXPORT} must be a function of type (i32) -> i32"
                    ));
                }
                entrypoint_ok = true;
            }
            if name == MEMORY_EXPORT {
                if kind != ExternalKind::Memory || index != 0 {
                    return invalid("the export \"memory\" must be memory 0");
                }
                memory_ok = true;
            }
        }
        if !memory_ok {
            return invalid("missing export \"memory\"");
        }
        if !entrypoint_ok {
            return invalid(
                "missing export user_entrypoint (programs must export user_entrypoint and \
                 import vm_hooks.pay_for_memory_grow; missing entrypoint?)",
            );
        }
        Ok(info)
    }

    /// Measurements for the cost formulas (the operator count is filled in by instrumentation).
    pub(crate) fn stats(&self, wasm_len: u64) -> ModuleStats {
        ModuleStats {
            wasm_len,
            funcs: self.funcs,
            type_len: self.type_len,
            globals: u64::from(self.num_globals) + 4,
            data_len: self.data_len,
            data_payload_len: self.data_payload_len,
            elem_len: self.elem_len,
            footprint: self.footprint,
            instrumented_ops: 0,
        }
    }
}
