//! Stage 2: every semantic error of a file, at once, each pointing at the offending text.
//!
//! The checker reads the syntax tree and never builds anything: `lower` may then assume that every
//! name is unique, every wire type known and every flag combination meaningful.

use std::collections::HashMap;

use codegen::names::{rust_ident_name, to_snake_case, to_upper_camel_case};
use codegen::{Diagnostic, Diagnostics, Span};

use crate::ast::{Call, File, Item, Param, Record, Spanned, Type};
use crate::model::{PUBLIC_BASE_TYPES, Wire, flag};

/// C and C++ keywords (and `<stdbool.h>`'s macros): a parameter named like one would break the
/// generated prototypes, which C++ code (darlingserver's own) includes too.
const C_RESERVED: &[&str] = &[
    "auto",
    "break",
    "case",
    "char",
    "const",
    "continue",
    "default",
    "do",
    "double",
    "else",
    "enum",
    "extern",
    "float",
    "for",
    "goto",
    "if",
    "inline",
    "int",
    "long",
    "register",
    "restrict",
    "return",
    "short",
    "signed",
    "sizeof",
    "static",
    "struct",
    "switch",
    "typedef",
    "union",
    "unsigned",
    "void",
    "volatile",
    "while",
    "bool",
    "true",
    "false",
    "alignas",
    "alignof",
    "asm",
    "catch",
    "class",
    "constexpr",
    "delete",
    "explicit",
    "export",
    "friend",
    "mutable",
    "namespace",
    "new",
    "noexcept",
    "nullptr",
    "operator",
    "private",
    "protected",
    "public",
    "template",
    "this",
    "throw",
    "try",
    "typeid",
    "typename",
    "using",
    "virtual",
    "NULL",
];

/// Checks a parsed file; returns every error (and warning) found.
pub fn check(file: &File) -> Diagnostics {
    let mut ds = Diagnostics::new();
    let mut call_names: HashMap<String, Span> = HashMap::new();
    let mut rust_names: HashMap<String, (String, Span)> = HashMap::new();
    let mut record_names: HashMap<String, Span> = HashMap::new();
    for item in &file.items {
        match item {
            Item::Call(call) => {
                unique(&mut ds, &mut call_names, &call.name, "call");
                let rust = to_upper_camel_case(&to_snake_case(&call.name.value));
                match rust_names.get(&rust) {
                    Some((other, first)) if *other != call.name.value => ds.push(
                        Diagnostic::error(
                            format!("call `{}` gets the same Rust name as `{other}`", call.name.value),
                            call.name.span,
                        )
                        .with_label(format!("both become `{rust}` in Rust"))
                        .with_secondary(*first, "the other one"),
                    ),
                    _ => {
                        rust_names.entry(rust).or_insert((call.name.value.clone(), call.name.span));
                    }
                }
                check_call(&mut ds, call);
            }
            Item::Record(record) => {
                unique(&mut ds, &mut record_names, &record.name, "struct");
                check_record(&mut ds, record);
            }
        }
    }
    if file.items.iter().filter(|i| matches!(i, Item::Call(_))).count() > 0x7fff_ffff {
        ds.push(Diagnostic::unlocated("too many calls: numbers must stay below the unmanaged bit"));
    }
    ds
}

fn unique(ds: &mut Diagnostics, seen: &mut HashMap<String, Span>, name: &Spanned<String>, what: &str) {
    if let Some(first) = seen.get(&name.value) {
        ds.push(
            Diagnostic::error(format!("duplicate {what} name `{}`", name.value), name.span)
                .with_label("defined again here")
                .with_secondary(*first, "first defined here"),
        );
    } else {
        seen.insert(name.value.clone(), name.span);
    }
}

/// Call names the generated code already uses: special call numbers, fixed `Server` methods and
/// `Client` methods.
const RESERVED_CALL_NAMES: &[&str] = &[
    "s2c",
    "push_reply",
    "invalid",
    "s2c_reply",
    "unimplemented",
    "call",
    "connect",
    "connected",
    "socket",
    "with_identity",
];

fn check_call(ds: &mut Diagnostics, call: &Call) {
    if RESERVED_CALL_NAMES.contains(&call.name.value.as_str()) {
        ds.push(
            Diagnostic::error(format!("call name `{}` is reserved", call.name.value), call.name.span)
                .with_label("the generated code already uses this name")
                .with_note(format!(
                    "reserved call names: {}",
                    RESERVED_CALL_NAMES.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
                )),
        );
    }
    let mut params: HashMap<String, Span> = HashMap::new();
    for p in &call.params {
        check_param_name(ds, p, &mut params, "parameter");
        check_type(ds, p, true);
    }
    let mut returns: HashMap<String, Span> = HashMap::new();
    for r in &call.returns {
        check_param_name(ds, r, &mut returns, "return value");
        check_type(ds, r, true);
        // The C wrappers take `out_<name>` pointers next to the parameters.
        let out = format!("out_{}", r.name.value);
        if let Some(clash) = params.get(&out) {
            ds.push(
                Diagnostic::error(
                    format!("return value `{}` clashes with parameter `{out}`", r.name.value),
                    r.name.span,
                )
                .with_label(format!("the C wrapper names this `{out}`"))
                .with_secondary(*clash, "parameter of the same name"),
            );
        }
    }
    check_flags(ds, call);
}

fn check_record(ds: &mut Diagnostics, record: &Record) {
    let name = &record.name.value;
    let reserved = ["call_", "reply_", "rpc_", "s2c_", "kqchan_"];
    if let Some(prefix) = reserved.iter().find(|p| name.starts_with(*p)) {
        ds.push(
            Diagnostic::error(format!("struct name `{name}` starts with the reserved `{prefix}`"), record.name.span)
                .with_note("the generated header already uses `dserver_call_*`, `dserver_reply_*`, `dserver_rpc_*`, `dserver_s2c_*` and `dserver_kqchan_*`"),
        );
    }
    if name == "callnum" || name == "rpc_architecture" {
        ds.push(Diagnostic::error(
            format!("struct name `{name}` is taken by the generated header"),
            record.name.span,
        ));
    }
    let mut fields: HashMap<String, Span> = HashMap::new();
    for f in &record.fields {
        check_param_name(ds, f, &mut fields, "field");
        match &f.ty.value {
            Type::Fd => ds.push(
                Diagnostic::error(format!("field `{}` cannot be a descriptor", f.name.value), f.ty.span)
                    .with_label("records are read from a descriptor's data; they cannot carry descriptors"),
            ),
            Type::C { pointers, .. } if *pointers > 0 => ds.push(
                Diagnostic::error(format!("field `{}` cannot be a pointer", f.name.value), f.ty.span)
                    .with_label("records are plain data; use a fixed-size integer"),
            ),
            _ => check_type(ds, f, false),
        }
    }
}

fn check_param_name(ds: &mut Diagnostics, p: &Param, seen: &mut HashMap<String, Span>, what: &str) {
    let name = &p.name.value;
    unique(ds, seen, &p.name, what);
    if C_RESERVED.contains(&name.as_str()) {
        ds.push(
            Diagnostic::error(format!("{what} name `{name}` is a C or C++ keyword"), p.name.span)
                .with_label("the generated prototypes would not compile"),
        );
    } else if name.starts_with("dserver_") || name == "server_socket" || name == "ctx" {
        ds.push(
            Diagnostic::error(
                format!("{what} name `{name}` is reserved for the generated wrappers"),
                p.name.span,
            )
            .with_note(
                "names starting with `dserver_`, `server_socket` and `ctx` are used by the generated code",
            ),
        );
    } else if rust_ident_name(&to_snake_case(name)).starts_with('_') && !name.starts_with('_') {
        ds.push(Diagnostic::error(format!("{what} name `{name}` has no usable Rust spelling"), p.name.span));
    }
}

/// Checks a value's public and wire types. `allow_pointer` is false for record fields.
fn check_type(ds: &mut Diagnostics, p: &Param, allow_pointer: bool) {
    let name = &p.name.value;
    match &p.ty.value {
        Type::Fd => {
            if let Some(wire) = &p.wire {
                ds.push(
                    Diagnostic::error(format!("`@fd` parameter `{name}` cannot name a wire type"), wire.span)
                        .with_label("a descriptor always travels as an `int32_t` index next to `SCM_RIGHTS`"),
                );
            }
        }
        Type::C { base, pointers, .. } => {
            let known_base = PUBLIC_BASE_TYPES.contains(&base.as_str());
            if !known_base {
                let mut d = Diagnostic::error(format!("unknown C type `{base}`"), p.ty.span).with_note(
                    "the generated header includes only <sys/types.h>, <stdint.h> and <stdbool.h>",
                );
                if let Some(best) = closest(base, PUBLIC_BASE_TYPES.iter().copied()) {
                    d = d.with_label(format!("did you mean `{best}`?"));
                }
                ds.push(d);
            } else if base == "void" && *pointers == 0 {
                ds.push(Diagnostic::error(format!("`{name}` cannot have type `void`"), p.ty.span));
            }
            if *pointers > 0 && allow_pointer {
                match &p.wire {
                    None => ds.push(
                        Diagnostic::error(format!("pointer `{name}` has no wire type"), p.ty.span)
                            .with_label("a pointer crosses the wire as an address in the caller's memory")
                            .with_help(format!(
                                "name a 64-bit wire type: `{name}: {} as uint64_t`",
                                p.ty.value.source_spelling()
                            )),
                    ),
                    Some(w) => match Wire::from_c_name(&w.value) {
                        Some(wire) if wire.size() == 8 && wire != Wire::Bool => {}
                        Some(_) => ds.push(
                            Diagnostic::error(format!("pointer `{name}` needs a 64-bit wire type"), w.span)
                                .with_label(format!("`{}` cannot hold a 64-bit address", w.value))
                                .with_help("use `uint64_t`, wide enough for a pointer on every architecture"),
                        ),
                        None => bad_wire(ds, name, &w.value, w.span, None),
                    },
                }
                return;
            }
            match &p.wire {
                Some(w) => {
                    if Wire::from_c_name(&w.value).is_none() {
                        bad_wire(ds, name, &w.value, w.span, None);
                    }
                }
                None => {
                    if known_base && *pointers == 0 && Wire::from_c_name(base).is_none() && base != "void" {
                        bad_wire(ds, name, base, p.ty.span, Some(&p.ty.value.source_spelling()));
                    }
                }
            }
        }
    }
}

fn bad_wire(ds: &mut Diagnostics, name: &str, wire: &str, span: Span, public: Option<&str>) {
    let mut d = Diagnostic::error(format!("`{wire}` cannot cross the wire"), span)
        .with_label("not `bool` or a fixed-size integer")
        .with_note("wire types are `bool`, `int8_t`, `uint8_t`, `int16_t`, `uint16_t`, `int32_t`, `uint32_t`, `int64_t` and `uint64_t`: the same size on every architecture");
    if let Some(public) = public {
        let suggestion = match wire {
            "int" | "pid_t" => "int32_t",
            "short" => "int16_t",
            "char" => "int8_t",
            "uid_t" | "gid_t" => "uint32_t",
            "size_t" | "uintptr_t" => "uint64_t",
            _ => "int64_t",
        };
        d = d.with_help(format!(
            "keep `{public}` for callers and name the wire type: `{name}: {public} as {suggestion}`"
        ));
    } else if let Some(best) = closest(wire, Wire::ALL.iter().map(|w| w.c_name())) {
        d = d.with_help(format!("did you mean `{best}`?"));
    }
    ds.push(d);
}

fn check_flags(ds: &mut Diagnostics, call: &Call) {
    let name = &call.name.value;
    let mut seen: HashMap<&str, Span> = HashMap::new();
    let mut bits = 0u32;
    let mut known: Vec<&Spanned<String>> = Vec::new();
    for f in &call.flags {
        if let Some(first) = seen.get(f.value.as_str()) {
            ds.push(
                Diagnostic::error(format!("flag `{}` is given twice", f.value), f.span)
                    .with_secondary(*first, "first given here"),
            );
            continue;
        }
        seen.insert(&f.value, f.span);
        match flag::bits(&f.value) {
            Some(b) => {
                bits |= b;
                known.push(f);
            }
            None => {
                let mut d = Diagnostic::error(format!("unknown flag `{}`", f.value), f.span);
                if let Some(best) = closest(&f.value, flag::NAMES.iter().map(|(n, _)| *n)) {
                    d = d.with_label(format!("did you mean `{best}`?"));
                }
                d = d.with_note(format!(
                    "flags are {}",
                    flag::NAMES.iter().map(|(n, _)| format!("`{n}`")).collect::<Vec<_>>().join(", ")
                ));
                ds.push(d);
            }
        }
    }
    // `XNU_BSD_TRAP_CALL` already says all of its parts.
    if let Some(bsd) = seen.get("XNU_BSD_TRAP_CALL") {
        for part in [
            "XNU_TRAP_CALL",
            "XNU_TRAP_NOPREFIX",
            "XNU_TRAP_NOSUFFIX",
            "XNU_TRAP_NOSUFFIX_ARGS",
            "XNU_TRAP_BSD",
        ] {
            if let Some(span) = seen.get(part) {
                ds.push(
                    Diagnostic::error(format!("flag `{part}` is already part of `XNU_BSD_TRAP_CALL`"), *span)
                        .with_secondary(*bsd, "which includes it"),
                );
            }
        }
    }
    let is_trap = bits & flag::XNU_TRAP_CALL != 0;
    for f in &known {
        let b = flag::bits(&f.value).unwrap_or(0);
        let modifier = flag::XNU_TRAP_NOPREFIX
            | flag::XNU_TRAP_NOSUFFIX
            | flag::XNU_TRAP_NOSUFFIX_ARGS
            | flag::XNU_TRAP_BSD
            | flag::XNU_TRAP_NO_DTAPE_DEF;
        if b & flag::XNU_TRAP_CALL == 0 && b & modifier != 0 && !is_trap {
            ds.push(
                Diagnostic::error(
                    format!("flag `{}` modifies `XNU_TRAP_CALL`, which `{name}` does not have", f.value),
                    f.span,
                )
                .with_help("add `XNU_TRAP_CALL`, or drop this flag"),
            );
        }
    }
    let span_of = |n: &str| seen.get(n).copied().unwrap_or(call.name.span);
    if is_trap && bits & flag::UNMANAGED_CALL != 0 {
        ds.push(
            Diagnostic::error(
                "flags `UNMANAGED_CALL` and `XNU_TRAP_CALL` contradict each other",
                span_of("UNMANAGED_CALL"),
            )
            .with_label("the server cannot reach an unmanaged caller's memory")
            .with_secondary(
                seen.get("XNU_TRAP_CALL")
                    .or(seen.get("XNU_BSD_TRAP_CALL"))
                    .copied()
                    .unwrap_or(call.name.span),
                "but a trap writes its results there",
            ),
        );
    }
    if bits & flag::ALLOW_INTERRUPTIONS != 0 && bits & flag::PUSH_UNKNOWN_REPLIES != 0 {
        ds.push(
            Diagnostic::error(
                "flags `ALLOW_INTERRUPTIONS` and `PUSH_UNKNOWN_REPLIES` contradict each other",
                span_of("ALLOW_INTERRUPTIONS"),
            )
            .with_label("this lets a signal interrupt the call")
            .with_secondary(span_of("PUSH_UNKNOWN_REPLIES"), "but pushing replies back must not be interrupted half-way")
            .with_note("`PUSH_UNKNOWN_REPLIES` is for calls made from signal handlers, which run with signals blocked"),
        );
    }
    if is_trap {
        if bits & flag::XNU_TRAP_BSD != 0 {
            if call.returns.len() != 1 {
                ds.push(
                    Diagnostic::error(
                        format!(
                            "BSD trap `{name}` must reply with exactly one value, not {}",
                            call.returns.len()
                        ),
                        call.name.span,
                    )
                    .with_note("a BSD trap answers with its status and one `retval`"),
                );
            }
        } else if let Some(first) = call.returns.first() {
            ds.push(
                Diagnostic::error(format!("XNU trap `{name}` cannot reply with values"), first.name.span)
                    .with_label("a trap writes its results through pointer parameters")
                    .with_help("pass a pointer parameter (`result: uint64_t* as uint64_t`) instead"),
            );
        }
        if let Some(fd) = call.params.iter().chain(&call.returns).find(|p| p.ty.value == Type::Fd) {
            ds.push(
                Diagnostic::error(format!("XNU trap `{name}` cannot pass descriptors"), fd.ty.span)
                    .with_label("a trap's arguments are plain values"),
            );
        }
    }
}

fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| {
            (strsim::normalized_damerau_levenshtein(&word.to_ascii_lowercase(), &c.to_ascii_lowercase()), c)
        })
        .filter(|(score, _)| *score >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}
