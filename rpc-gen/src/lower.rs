//! Stage 3: the checked syntax tree becomes the plain-data [`model`](crate::model).
//!
//! Runs only on a file `check` accepted, but stays total anyway (no panics): anything unexpected
//! falls back to a harmless default rather than aborting.

use codegen::Names;

use crate::ast::{self, File, Item, Type};
use crate::model::{
    CType, Call, Flags, Group, Interface, Param, ParamKind, Record, TrapNames, UNMANAGED_FLAG, Wire, flag,
    fnv1a64,
};

/// Builds the model of a checked file. `source` is the path shown in generated preambles.
pub fn lower(file: &File, source: &str) -> Interface {
    let groups =
        file.groups.iter().map(|g| Group { title: g.title.value.clone(), doc: g.doc.clone() }).collect();
    let mut calls = Vec::new();
    let mut records = Vec::new();
    for item in &file.items {
        match item {
            Item::Call(c) => {
                let index = u32::try_from(calls.len() + 1).unwrap_or(u32::MAX) & !UNMANAGED_FLAG;
                calls.push(call(c, index));
            }
            Item::Record(r) => records.push(Record {
                names: Names::snake(&r.name.value).with_rust_type(&r.name.value),
                doc: r.doc.clone(),
                group: r.group,
                fields: r.fields.iter().map(param).collect(),
            }),
        }
    }
    let canonical_table = canonical_table(&calls, &records);
    let protocol_hash = fnv1a64(canonical_table.as_bytes());
    Interface {
        source: source.to_string(),
        doc: file.doc.clone(),
        groups,
        calls,
        records,
        canonical_table,
        protocol_hash,
    }
}

/// `Names` for types: Rust gets `UpperCamelCase`, C keeps the source spelling.
trait WithRustType {
    fn with_rust_type(self, source: &str) -> Names;
}

impl WithRustType for Names {
    fn with_rust_type(mut self, source: &str) -> Names {
        self.rust = Names::camel(&codegen::names::to_snake_case(source)).rust;
        self
    }
}

fn call(c: &ast::Call, index: u32) -> Call {
    let bits = c.flags.iter().filter_map(|f| flag::bits(&f.value)).fold(0, |a, b| a | b);
    let flags = Flags { bits };
    let number = if flags.has(flag::UNMANAGED_CALL) { index | UNMANAGED_FLAG } else { index };
    let name = &c.name.value;
    let trap = flags.has(flag::XNU_TRAP_CALL).then(|| {
        let prefix = if flags.has(flag::XNU_TRAP_NOPREFIX) { "" } else { "_kernelrpc_" };
        let suffix = if flags.has(flag::XNU_TRAP_NOSUFFIX) { "" } else { "_trap" };
        let args_suffix = if flags.has(flag::XNU_TRAP_NOSUFFIX) || flags.has(flag::XNU_TRAP_NOSUFFIX_ARGS) {
            ""
        } else {
            "_trap"
        };
        TrapNames {
            function: format!("{prefix}{name}{suffix}"),
            args_struct: format!("{prefix}{name}{args_suffix}_args"),
        }
    });
    Call {
        names: Names::snake(name),
        type_names: Names::snake(name).with_rust_type(name),
        index,
        number,
        flags,
        doc: c.doc.clone(),
        group: c.group,
        params: c.params.iter().map(param).collect(),
        returns: c.returns.iter().map(param).collect(),
        trap,
    }
}

fn param(p: &ast::Param) -> Param {
    let kind = match &p.ty.value {
        Type::Fd => ParamKind::Fd,
        Type::C { is_const, base, pointers } => {
            let wire_name = p.wire.as_ref().map(|w| w.value.as_str()).unwrap_or(base);
            ParamKind::Value {
                public: CType { is_const: *is_const, base: base.clone(), pointers: *pointers },
                wire: Wire::from_c_name(wire_name).unwrap_or(Wire::U64),
            }
        }
    };
    Param { names: Names::snake(&p.name.value), doc: p.doc.clone(), kind }
}

/// The text the protocol hash covers: everything that decides what travels on the wire (numbers,
/// names, wire types, descriptors, flags, records) and nothing that does not (docs, groups, public
/// C types, formatting). One line per call or record.
fn canonical_table(calls: &[Call], records: &[Record]) -> String {
    let list = |ps: &[Param]| {
        ps.iter()
            .map(|p| format!("{}: {}", p.names.source, if p.is_fd() { "@fd" } else { p.wire().c_name() }))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = String::from("darlingserver rpc\n");
    for c in calls {
        out.push_str(&format!(
            "call {:#010x} {}({}) -> ({}) [{}]\n",
            c.number,
            c.names.source,
            list(&c.params),
            list(&c.returns),
            c.flags.names().join(", ")
        ));
    }
    for r in records {
        out.push_str(&format!("struct {} {{{}}}\n", r.names.source, list(&r.fields)));
    }
    out
}
