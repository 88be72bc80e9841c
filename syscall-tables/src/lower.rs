//! Stage 3, lower: a checked master to the plain-data [`Table`] the emitters read.
//!
//! Lowering cannot fail: `check.rs` has resolved every name and type. This is where the rules of XNU's
//! generators are applied (which entries get a `SYS_` define, an argument structure, a munger), where
//! argument structures are laid out with `codegen::layout`, and where conditions are evaluated per
//! architecture, with every kernel configuration option on.

use std::collections::HashMap;

use codegen::layout::{Layout, StructBuilder, StructLayout};
use codegen::{Names, Target};

use crate::TableKind;
use crate::ast::Expr;
use crate::check::{Checked, CheckedEntry, CheckedLine};
use crate::model::{
    Arg, ArgsStruct, Branch, Call, Condition, Entry, Line, Placeholder, Slot, SlotMap, TARGETS, Table,
};
use crate::names;
use crate::types::{Munge, ReturnKind};

/// Macros whose value depends on the architecture; every other identifier in a condition is a kernel
/// configuration option.
const ARCH_MACROS: [&str; 6] = ["__LP64__", "__x86_64__", "__i386__", "__arm64__", "__aarch64__", "__arm__"];

/// Whether `name` is an architecture macro rather than a configuration option.
pub fn is_arch_macro(name: &str) -> bool {
    ARCH_MACROS.contains(&name)
}

fn arch_macro_defined(name: &str, target: Target) -> bool {
    match target {
        Target::X86_64 => matches!(name, "__LP64__" | "__x86_64__"),
        Target::I386 => name == "__i386__",
        Target::Arm64 => matches!(name, "__LP64__" | "__arm64__" | "__aarch64__"),
    }
}

/// The value of a condition on `target`, with every configuration option defined as 1 (darling-rs
/// implements the full configuration).
pub fn evaluate(expr: &Expr, target: Target) -> u64 {
    match expr {
        Expr::Defined(name) => u64::from(!is_arch_macro(name) || arch_macro_defined(name, target)),
        Expr::Ident(name) => u64::from(!is_arch_macro(name) || arch_macro_defined(name, target)),
        Expr::Number(n) => *n,
        Expr::Not(e) => u64::from(evaluate(e, target) == 0),
        Expr::And(a, b) => u64::from(evaluate(a, target) != 0 && evaluate(b, target) != 0),
        Expr::Or(a, b) => u64::from(evaluate(a, target) != 0 || evaluate(b, target) != 0),
    }
}

/// Lowers a checked master whose path (for preambles) is `source`.
pub fn lower(checked: &Checked<'_>, source: &str) -> Table {
    let kind = checked.kind;
    let conditions: Vec<Condition> = checked
        .conditions
        .iter()
        .map(|(expr, text)| Condition {
            expr: expr.clone(),
            text: text.clone(),
            c_default_on: expr.render(&|name| {
                if is_arch_macro(name) { name.to_string() } else { format!("(!defined({name}) || {name})") }
            }),
        })
        .collect();

    let mut entries = Vec::with_capacity(checked.entries.len());
    let mut calls: Vec<Call> = Vec::new();
    let mut call_index: HashMap<String, usize> = HashMap::new();
    for checked_entry in &checked.entries {
        let mut entry = lower_entry(kind, checked_entry, &conditions);
        let callable = entry.placeholder.is_none() || is_indirect(kind, &entry);
        if callable {
            let index = *call_index.entry(entry.table_name.clone()).or_insert_with(|| {
                let (method, variant) = names::rust_names(&entry.table_name);
                let names =
                    Names { source: entry.function.clone(), c: entry.table_name.clone(), rust: method };
                calls.push(Call {
                    names,
                    variant,
                    entry: entries.len(),
                    indirect: is_indirect(kind, &entry),
                });
                calls.len() - 1
            });
            entry.call = Some(index);
        }
        entries.push(entry);
    }

    let lines = checked
        .lines
        .iter()
        .map(|line| match line {
            CheckedLine::Include(header) => Line::Include(header.clone()),
            CheckedLine::If(c) => Line::If(conditions[*c].clone()),
            CheckedLine::Else(c) => Line::Else(conditions[*c].clone()),
            CheckedLine::Endif(c) => Line::Endif(conditions[*c].clone()),
            CheckedLine::Entry(e) => Line::Entry(*e),
        })
        .collect();
    let includes = checked
        .lines
        .iter()
        .filter_map(|l| if let CheckedLine::Include(h) = l { Some(h.clone()) } else { None })
        .collect();

    let slot_count = entries.iter().map(|e| e.number + 1).max().unwrap_or(0);
    let max_args = entries.iter().map(|e| e.args.len()).max().unwrap_or(0);
    let slot_maps = slot_maps(&entries, slot_count);

    let mut config_options: Vec<String> = Vec::new();
    for (expr, _) in &checked.conditions {
        let mut ids = Vec::new();
        expr.identifiers(&mut ids);
        for id in ids {
            if !is_arch_macro(id) && !config_options.iter().any(|o| o == id) {
                config_options.push(id.to_string());
            }
        }
    }
    config_options.sort();

    Table {
        kind,
        source: source.to_string(),
        lines,
        entries,
        calls,
        slot_count,
        max_args,
        slot_maps,
        config_options,
        includes,
    }
}

/// BSD number 0 (`nosys` in XNU's table): the indirect system call, whose first argument is the number
/// of the call to make. It is the one placeholder with a `SYS_` name (`SYS_syscall`).
fn is_indirect(kind: TableKind, entry: &Entry) -> bool {
    kind == TableKind::Bsd && entry.number == 0 && entry.placeholder == Some(Placeholder::Nosys)
}

fn lower_entry(kind: TableKind, checked: &CheckedEntry<'_>, conditions: &[Condition]) -> Entry {
    let ast = checked.ast;
    let number = ast.number.value;
    let function = ast.name.value.clone();
    let placeholder = checked.placeholder;
    let stripped = names::table_name(&function);

    // makesyscalls.sh: the names table says "syscall" for 0 and "#N" for other unused numbers.
    let table_name = match (kind, placeholder) {
        (TableKind::Bsd, Some(_)) if number == 0 => "syscall".to_string(),
        (TableKind::Bsd, Some(_)) => format!("#{number}"),
        _ => stripped.clone(),
    };
    let header_define = match kind {
        TableKind::Bsd if checked.files.header => {
            let name = if number == 0 { "syscall".to_string() } else { stripped.clone() };
            (name != "nosys" && name != "enosys").then(|| format!("SYS_{name}"))
        }
        _ => None,
    };

    let args: Vec<Arg> = ast
        .params
        .iter()
        .flatten()
        .zip(&checked.arg_types)
        .map(|(param, info)| Arg {
            names: Names::snake(&param.name.value),
            c_type: param.ty.to_string(),
            sysproto_type: info.sysproto,
            repr: info.repr,
            munge: info.munge,
        })
        .collect();

    // Entries that are calls (and BSD 0) get a structure and a munger; placeholders do not.
    let real = placeholder.is_none()
        || (kind == TableKind::Bsd && number == 0 && placeholder == Some(Placeholder::Nosys));
    let struct_name = match kind {
        TableKind::Bsd => format!("{}_args", names::table_name(&function)),
        TableKind::MachTraps | TableKind::Machdep => format!("{function}_args"),
    };
    let args_struct = (real && checked.files.proto)
        .then(|| ArgsStruct { name: struct_name, layout_64: args_layout(&args, Target::X86_64) });
    let letters: Vec<Munge> = match &checked.munge_override {
        Some(letters) => letters.clone(),
        None => args.iter().map(|a| a.munge).collect(),
    };
    let munger32 = (real && !letters.is_empty())
        .then(|| format!("munge_{}", letters.iter().map(|m| m.letter()).collect::<String>()));
    let derived32: u32 = args.iter().map(|a| a.munge.words() * 4).sum();
    let size32 = if real { checked.words32_override.map_or(derived32, |w| w * 4) } else { 0 };

    let mut active = [true; 3];
    for (i, target) in TARGETS.iter().enumerate() {
        active[i] = checked.conditions.iter().all(|(c, branch)| {
            let holds = evaluate(&conditions[*c].expr, *target) != 0;
            holds == (*branch == Branch::If)
        });
    }
    let term = |(c, branch): &(usize, Branch)| match branch {
        Branch::If => conditions[*c].text.clone(),
        Branch::Else => format!("!({})", conditions[*c].text),
    };
    let join = |terms: Vec<String>| if terms.is_empty() { None } else { Some(terms.join(" && ")) };
    let condition = join(checked.conditions.iter().map(term).collect());
    let config_condition = join(
        checked
            .conditions
            .iter()
            .filter(|(c, _)| {
                let mut ids = Vec::new();
                conditions[*c].expr.identifiers(&mut ids);
                ids.iter().any(|id| !is_arch_macro(id))
            })
            .map(term)
            .collect(),
    );

    Entry {
        line: checked.line,
        number,
        double_underscore: function.starts_with("__"),
        function,
        table_name,
        header_define,
        return_type: ast.return_type.to_string(),
        return_kind: checked.return_kind,
        args,
        audit_event: ast.audit_event.value.clone(),
        files_text: ast.files.value.clone(),
        files: checked.files,
        no_syscall_stub: checked.no_syscall_stub,
        placeholder,
        note: ast.note.as_ref().map(|n| n.value.clone()),
        condition,
        config_condition,
        branch: checked.conditions.last().map(|(_, b)| *b),
        args_struct,
        munger32,
        size32,
        returns_port: kind == TableKind::MachTraps && checked.return_kind == ReturnKind::PortName,
        bsd_style: kind == TableKind::Machdep && checked.return_kind == ReturnKind::Int,
        active,
        call: None,
    }
}

/// The argument structure on `target`: each argument in an 8-byte slot, a lone `int32_t dummy` when
/// there are none.
pub fn args_layout(args: &[Arg], target: Target) -> StructLayout {
    let mut builder = StructBuilder::new();
    if args.is_empty() {
        builder.field("dummy", target.prim(codegen::layout::Prim::I32));
    }
    for arg in args {
        builder.field(arg.names.c.clone(), target.prim(arg.repr.prim()));
        let pad = 8 - arg.repr.size();
        if pad > 0 {
            builder.field(pad_field(&arg.names.c), Layout::new(pad, 1));
        }
    }
    builder.finish()
}

/// The name of the padding after argument `name`.
pub fn pad_field(name: &str) -> String {
    format!("{name}_pad_")
}

fn slot_maps(entries: &[Entry], slot_count: u32) -> Vec<SlotMap> {
    let mut maps: Vec<SlotMap> = Vec::new();
    for (t, target) in TARGETS.iter().enumerate() {
        let mut slots = vec![Slot::Empty; slot_count as usize];
        for (i, entry) in entries.iter().enumerate() {
            if !entry.active[t] {
                continue;
            }
            slots[entry.number as usize] = match entry.call {
                Some(call) => Slot::Call(call),
                None => Slot::Placeholder(i),
            };
        }
        match maps.iter_mut().find(|m| m.slots == slots) {
            Some(map) => map.targets.push(*target),
            None => maps.push(SlotMap { targets: vec![*target], slots }),
        }
    }
    maps
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_evaluate_per_architecture_with_options_on() {
        let lp64 =
            Expr::Or(Box::new(Expr::Defined("__LP64__".into())), Box::new(Expr::Defined("__arm64__".into())));
        assert_eq!(evaluate(&lp64, Target::X86_64), 1);
        assert_eq!(evaluate(&lp64, Target::Arm64), 1);
        assert_eq!(evaluate(&lp64, Target::I386), 0);
        assert_eq!(evaluate(&Expr::Ident("SOCKETS".into()), Target::I386), 1);
        assert_eq!(evaluate(&Expr::Not(Box::new(Expr::Ident("SOCKETS".into()))), Target::I386), 0);
    }
}
