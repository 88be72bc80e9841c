//! `generated/<table>.rs` in darling-core: the call enum with its descriptions, lookups by number and
//! name, the dispatch trait (one method per call, defaulting to a report and `ENOSYS`) and the dispatch
//! function from a number and raw arguments to the trait.
//!
//! Two writers share the module. The skeleton (imports, constants, `impl` blocks, the lookup and
//! dispatch functions) is `quote!`d and printed by prettyplease, in two pieces. Everything that repeats
//! once per call or per number (enum variants, `ALL`, the trait's methods, the dispatch arms, the
//! `CALLS`, `BY_NAME` and `SLOTS` tables) is written as text by [`super::rust_text`], in the layout
//! rustfmt would give it. The generated module uses the shared types of `darling_core::syscalls` (its
//! parent's parent), so the three tables share one `CallInfo`, one `Slot` and one reporter.

use std::borrow::Cow;
use std::fmt::Write as _;

use codegen::rust::{format_tokens, ident_raw};
use codegen::{CommentStyle, Target, preamble};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::TOOL;
use super::rust_text::{self, Expr, doc, line};
use crate::model::{Call, Entry, Placeholder, Slot, SlotMap, Table, TableKind};
use crate::types::{Repr, ReturnKind};
use crate::{Dest, Output};

/// The Rust module for `table`.
pub fn output(table: &Table) -> Output {
    let module = table.kind.rust_module();
    let (head, body) = skeleton(table);
    let mut contents = preamble(TOOL, &table.source, CommentStyle::Rust);
    contents.push('\n');
    contents.push_str(&format_tokens(head));
    write_enum(&mut contents, table);
    contents.push_str(&format_tokens(body));
    write_tail(&mut contents, table);
    Output {
        dest: Dest::Rust,
        path: format!("generated/{module}.rs"),
        snapshot: format!("{module}_rust"),
        contents,
    }
}

/// The parts of the module that [`super::rust_text`] writes, alone: what `tests/rustfmt.rs` hands to
/// rustfmt to check that they are in its layout.
pub fn text_items(table: &Table) -> String {
    let mut out = String::new();
    write_enum(&mut out, table);
    write_tail(&mut out, table);
    out
}

/// The enum of calls and its `ALL` constant.
fn write_enum(out: &mut String, table: &Table) {
    let enum_name = table.kind.rust_enum();
    doc(out, 0, &format!(" A {}: one variant per call in `{}`.", table.kind.entry_noun(), table.source));
    line(out, 0, "#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]");
    if table.calls.is_empty() {
        line(out, 0, &format!("pub enum {enum_name} {{}}"));
    } else {
        line(out, 0, "#[repr(u16)]");
        line(out, 0, &format!("pub enum {enum_name} {{"));
        for call in &table.calls {
            call_doc(out, 4, table, &table.entries[call.entry]);
            rust_text::push_indent(out, 4);
            out.push_str(&call.variant);
            out.push_str(",\n");
        }
        line(out, 0, "}");
    }
    line(out, 0, &format!("impl {enum_name} {{"));
    doc(out, 4, " Every call, in table order.");
    let all = Expr::Array {
        reference: false,
        elems: table.calls.iter().map(|c| variant_expr(enum_name, &c.variant)).collect(),
    };
    rust_text::assignment(out, 4, &format!("pub const ALL: [{enum_name}; {}]", table.calls.len()), &all, ";");
    line(out, 0, "}");
}

/// The trait, the per-call dispatch function and the tables.
fn write_tail(out: &mut String, table: &Table) {
    write_trait(out, table);
    write_dispatch_call(out, table);
    write_tables(out, table);
}

/// The dispatch trait: one method per call, each defaulting to `unimplemented`.
fn write_trait(out: &mut String, table: &Table) {
    let kind = table.kind;
    let trait_name = kind.rust_trait();
    doc(
        out,
        0,
        &format!(
            " The {}s, one method each. Every method defaults to reporting the call as unimplemented \
             (once) and failing with `ENOSYS`; implement a call by overriding its method.",
            kind.entry_noun()
        ),
    );
    line(
        out,
        0,
        "// Default methods ignore their arguments, and mirror prototypes of up to eight arguments.",
    );
    line(out, 0, "#[allow(unused_variables, clippy::too_many_arguments)]");
    let methods: Vec<&Call> = table.calls.iter().filter(|c| !c.indirect).collect();
    if methods.is_empty() {
        line(out, 0, &format!("pub trait {trait_name} {{}}"));
        return;
    }
    line(out, 0, &format!("pub trait {trait_name} {{"));
    let mut params: Vec<Cow<'_, str>> = Vec::new();
    for call in methods {
        let entry = &table.entries[call.entry];
        call_doc(out, 4, table, entry);
        params.clear();
        params.push(Cow::Borrowed("&mut self"));
        for arg in &entry.args {
            params.push(Cow::Owned(format!("{}: {}", arg.names.rust, repr_type(arg.repr))));
        }
        let ret = format!("SyscallResult<{}>", return_type(entry.return_kind));
        rust_text::fn_signature(out, 4, &format!("fn {}", call.names.rust), &params, &ret);
        line(out, 8, &format!("unimplemented({}::{})", kind.rust_enum(), call.variant));
        line(out, 4, "}");
    }
    line(out, 0, "}");
}

/// `dispatch_call`: the trait method of each call, by enum variant.
fn write_dispatch_call(out: &mut String, table: &Table) {
    let kind = table.kind;
    let enum_name = kind.rust_enum();
    let has_indirect = table.calls.iter().any(|c| c.indirect);
    doc(out, 0, " Calls `handler`'s method for `call` with the raw 64-bit argument slots `args`.");
    let mut params: Vec<Cow<'_, str>> = vec![Cow::Borrowed("handler: &mut H")];
    if has_indirect {
        params.push(Cow::Borrowed("arch: Arch"));
    }
    params.push(Cow::Owned(format!("call: {enum_name}")));
    params.push(Cow::Borrowed("args: &[u64; MAX_ARGS]"));
    let head = format!("fn dispatch_call<H: {} + ?Sized>", kind.rust_trait());
    rust_text::fn_signature(out, 0, &head, &params, "SyscallResult<u64>");
    if table.calls.is_empty() {
        line(out, 4, "let _ = (handler, args);");
        line(out, 4, "match call {}");
        line(out, 0, "}");
        return;
    }
    line(out, 4, "match call {");
    for call in &table.calls {
        let pattern = format!("{enum_name}::{}", call.variant);
        let body = if call.indirect {
            Expr::Call("indirect", vec![Expr::atom("handler"), Expr::atom("arch"), Expr::atom("args")])
        } else {
            Expr::Call(
                "invoke",
                vec![Expr::atom("handler"), Expr::atom("args"), Expr::Path("H", &call.names.rust)],
            )
        };
        rust_text::match_arm(out, 8, &pattern, &body);
    }
    line(out, 4, "}");
    line(out, 0, "}");
}

/// `CALLS`, `BY_NAME`, `SLOTS` and the per-architecture differences from `SLOTS`.
fn write_tables(out: &mut String, table: &Table) {
    let enum_name = table.kind.rust_enum();
    let count = table.calls.len();

    doc(out, 0, " What the master says about each call, in the order of the enum.");
    let calls =
        Expr::Array { reference: false, elems: table.calls.iter().map(|c| call_info(table, c)).collect() };
    rust_text::assignment(out, 0, &format!("static CALLS: [CallInfo; {count}]"), &calls, ";");

    doc(out, 0, " The calls in the order of their names, for lookups by name.");
    let mut by_name: Vec<&Call> = table.calls.iter().collect();
    by_name.sort_unstable_by(|a, b| a.names.c.cmp(&b.names.c));
    let by_name = Expr::Array {
        reference: false,
        elems: by_name.into_iter().map(|c| variant_expr(enum_name, &c.variant)).collect(),
    };
    rust_text::assignment(out, 0, &format!("static BY_NAME: [{enum_name}; {count}]"), &by_name, ";");

    let Some((base, others)) = table.slot_maps.split_first() else { return };
    doc(out, 0, &format!(" The slots on {}.", target_list(&base.targets)));
    let slots =
        Expr::Array { reference: false, elems: base.slots.iter().map(|s| slot_expr(table, *s)).collect() };
    let lhs = format!("static SLOTS: [Slot<{enum_name}>; {}]", table.slot_count);
    rust_text::assignment(out, 0, &lhs, &slots, ";");
    for map in others {
        let differences: Vec<Expr<'_>> = differences(table, base, map)
            .map(|(number, slot)| Expr::Call("", vec![Expr::Int(u64::from(number)), slot_expr(table, slot)]))
            .collect();
        doc(
            out,
            0,
            &format!(" Where the slots on {} differ from `SLOTS`, by number.", target_list(&map.targets)),
        );
        let name = differences_static_name(map);
        let len = differences.len();
        let lhs = format!("static {name}: [(u32, Slot<{enum_name}>); {len}]");
        rust_text::assignment(out, 0, &lhs, &Expr::Array { reference: false, elems: differences }, ";");
    }
}

/// The numbers (in order) whose slot on `map`'s architectures is not the one in `base`. Two placeholders
/// from different `#if` branches are the same slot when they read the same.
fn differences<'a>(
    table: &'a Table,
    base: &'a SlotMap,
    map: &'a SlotMap,
) -> impl Iterator<Item = (u32, Slot)> + 'a {
    let same = |a: Slot, b: Slot| match (a, b) {
        (Slot::Placeholder(a), Slot::Placeholder(b)) => {
            let (a, b) = (&table.entries[a], &table.entries[b]);
            (a.placeholder, &a.table_name, &a.note) == (b.placeholder, &b.table_name, &b.note)
        }
        (a, b) => a == b,
    };
    map.slots
        .iter()
        .zip(&base.slots)
        .enumerate()
        .filter(move |(_, (slot, base_slot))| !same(**slot, **base_slot))
        .map(|(number, (slot, _))| (number as u32, *slot))
}

/// `DIFFERENCES_I386`: named after the first architecture of the group.
fn differences_static_name(map: &SlotMap) -> String {
    format!("DIFFERENCES_{}", map.targets[0].name().to_ascii_uppercase())
}

/// `x86_64, i386, arm64`.
fn target_list(targets: &[Target]) -> String {
    targets.iter().map(|t| t.name()).collect::<Vec<_>>().join(", ")
}

fn variant_expr<'a>(enum_name: &'a str, variant: &'a str) -> Expr<'a> {
    Expr::Path(enum_name, variant)
}

fn repr_type(repr: Repr) -> &'static str {
    match repr {
        Repr::U16 => "u16",
        Repr::I32 => "i32",
        Repr::U32 => "u32",
        Repr::I64 => "i64",
        Repr::U64 => "u64",
        Repr::Addr => "UserAddr",
    }
}

fn repr_kind(repr: Repr) -> &'static str {
    match repr {
        Repr::U16 => "ArgKind::U16",
        Repr::I32 => "ArgKind::I32",
        Repr::U32 => "ArgKind::U32",
        Repr::I64 => "ArgKind::I64",
        Repr::U64 => "ArgKind::U64",
        Repr::Addr => "ArgKind::Addr",
    }
}

fn return_type(kind: ReturnKind) -> &'static str {
    match kind {
        ReturnKind::None => "()",
        ReturnKind::Int | ReturnKind::KernReturn | ReturnKind::Boolean => "i32",
        ReturnKind::UInt | ReturnKind::PortName => "u32",
        ReturnKind::UInt64 | ReturnKind::Size => "u64",
        ReturnKind::Off | ReturnKind::SSize => "i64",
        ReturnKind::Addr => "UserAddr",
    }
}

/// Appends the one-paragraph documentation of a call or trait method:
/// `` /// `user_ssize_t read(int fd, ...)`: BSD system call 3, when `SOCKETS` (note). ``
fn call_doc(out: &mut String, indent: usize, table: &Table, entry: &Entry) {
    rust_text::push_indent(out, indent);
    out.push_str("/// `");
    out.push_str(&entry.return_type);
    out.push(' ');
    out.push_str(&entry.function);
    out.push('(');
    if entry.args.is_empty() {
        out.push_str("void");
    }
    for (i, arg) in entry.args.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&arg.c_type);
        if !arg.c_type.ends_with('*') {
            out.push(' ');
        }
        out.push_str(&arg.names.source);
    }
    out.push_str(")`: ");
    out.push_str(table.kind.entry_noun());
    out.push(' ');
    if table.kind == TableKind::MachTraps && entry.number > 0 {
        out.push('-');
    }
    let _ = write!(out, "{}", entry.number);
    if let Some(condition) = &entry.condition {
        out.push_str(", when `");
        out.push_str(condition);
        out.push('`');
    }
    if let Some(note) = &entry.note {
        out.push_str(" (");
        out.push_str(note);
        out.push(')');
    }
    out.push_str(".\n");
}

/// The return type every row of a table has unless it says otherwise (`DEFAULTS`).
fn default_return(kind: TableKind) -> (&'static str, ReturnKind) {
    if kind == TableKind::Bsd { ("int", ReturnKind::Int) } else { ("kern_return_t", ReturnKind::KernReturn) }
}

/// One row of `CALLS`: the fields that differ from `DEFAULTS`.
fn call_info<'a>(table: &'a Table, call: &'a Call) -> Expr<'a> {
    let entry = &table.entries[call.entry];
    let mut fields = vec![
        ("number", Expr::Int(u64::from(entry.number))),
        ("name", Expr::Str(&call.names.c)),
        ("function", Expr::Str(&entry.function)),
    ];
    if !entry.args.is_empty() {
        let args = entry
            .args
            .iter()
            .map(|a| {
                Expr::Call(
                    "Arg::new",
                    vec![Expr::Str(&a.names.source), Expr::Str(&a.c_type), Expr::atom(repr_kind(a.repr))],
                )
            })
            .collect();
        fields.push(("args", Expr::Array { reference: true, elems: args }));
    }
    if entry.return_type != default_return(table.kind).0 {
        fields.push(("return_type", Expr::Str(&entry.return_type)));
        fields.push(("return_kind", Expr::Path("ReturnKind", entry.return_kind.rust_variant())));
    }
    if entry.audit_event != "AUE_NULL" {
        fields.push(("audit_event", Expr::Str(&entry.audit_event)));
    }
    if let Some(munger) = &entry.munger32 {
        fields.push(("munger32", Expr::option(Some(Expr::Str(munger)))));
    }
    if entry.size32 != 0 {
        fields.push(("size32", Expr::Int(u64::from(entry.size32))));
    }
    if let Some(condition) = &entry.condition {
        fields.push(("condition", Expr::option(Some(Expr::Str(condition)))));
    }
    if let Some(note) = &entry.note {
        fields.push(("note", Expr::option(Some(Expr::Str(note)))));
    }
    if entry.no_syscall_stub || entry.double_underscore {
        fields.push(("no_syscall_stub", Expr::atom("true")));
    }
    if entry.returns_port {
        fields.push(("returns_port", Expr::atom("true")));
    }
    Expr::Struct { path: "CallInfo", fields, base: Some("DEFAULTS") }
}

/// One element of a slot table: `Slot::Call(Sysno::Read)`, `enosys(8, "#8", Some("formerly creat"))`.
fn slot_expr(table: &Table, slot: Slot) -> Expr<'_> {
    match slot {
        Slot::Call(c) => {
            Expr::Call("Slot::Call", vec![variant_expr(table.kind.rust_enum(), &table.calls[c].variant)])
        }
        Slot::Placeholder(e) => {
            let entry = &table.entries[e];
            let placeholder = entry.placeholder.unwrap_or(Placeholder::Nosys);
            Expr::Call(
                placeholder.function(),
                vec![
                    Expr::Int(u64::from(entry.number)),
                    Expr::Str(&entry.table_name),
                    Expr::option(entry.note.as_deref().map(Expr::Str)),
                ],
            )
        }
        Slot::Empty => Expr::atom("Slot::Unknown"),
    }
}

/// The placeholders some slot of the table holds, in a fixed order: each gets a constructor function.
fn placeholders_used(table: &Table) -> Vec<Placeholder> {
    let mut used = Vec::new();
    for kind in [Placeholder::Nosys, Placeholder::Enosys, Placeholder::KernInvalid] {
        let holds = |s: &Slot| matches!(s, Slot::Placeholder(e) if table.entries[*e].placeholder.unwrap_or(Placeholder::Nosys) == kind);
        if table.slot_maps.iter().any(|m| m.slots.iter().any(holds)) {
            used.push(kind);
        }
    }
    used
}

fn arch_path(target: Target) -> TokenStream {
    match target {
        Target::X86_64 => quote!(Arch::X86_64),
        Target::I386 => quote!(Arch::I386),
        Target::Arm64 => quote!(Arch::Arm64),
    }
}

/// An integer literal without a type suffix (quote would write `3u32`).
fn lit(n: impl TryInto<u64>) -> Literal {
    Literal::u64_unsuffixed(n.try_into().ok().unwrap_or(u64::MAX))
}

/// The names the module uses from `darling_core::syscalls`: exactly those, so that no import is unused.
fn imports(table: &Table) -> Vec<proc_macro2::Ident> {
    let has_args = table.calls.iter().any(|c| !table.entries[c.entry].args.is_empty());
    let has_methods = table.calls.iter().any(|c| !c.indirect);
    let uses_addr = table.calls.iter().filter(|c| !c.indirect).any(|c| {
        let e = &table.entries[c.entry];
        e.return_kind == ReturnKind::Addr || e.args.iter().any(|a| a.repr == Repr::Addr)
    });
    let mut names =
        vec!["Arch", "Arg", "CallEnum", "CallInfo", "ReturnKind", "Slot", "SyscallResult", "Table", "report"];
    if has_args {
        names.push("ArgKind");
    }
    if has_methods {
        names.extend(["invoke", "unimplemented"]);
    }
    if uses_addr {
        names.push("UserAddr");
    }
    if !placeholders_used(table).is_empty() {
        names.extend(["Placeholder", "PlaceholderInfo"]);
    }
    if table.calls.iter().any(|c| c.indirect) {
        names.push("indirect_args");
    }
    names.sort_unstable();
    names.into_iter().map(ident_raw).collect()
}

/// The prettyplease-printed parts: the imports and constants that open the module, and the items that
/// go between the enum and the trait.
fn skeleton(table: &Table) -> (TokenStream, TokenStream) {
    let kind = table.kind;
    let enum_ident = ident_raw(kind.rust_enum());
    let trait_ident = ident_raw(kind.rust_trait());
    let table_variant = ident_raw(kind.rust_table_variant());
    let noun = kind.entry_noun();
    let slot_count = lit(table.slot_count);
    let max_args = lit(table.max_args);
    let imports = imports(table);
    let info_body =
        if table.calls.is_empty() { quote!(match self {}) } else { quote!(&CALLS[self as usize]) };

    let (default_return_type, default_return_kind) = default_return(kind);
    let default_return_kind = ident_raw(default_return_kind.rust_variant());

    let number_api = match kind {
        TableKind::MachTraps => quote! {
            #[doc = " The table index: programs call the trap with its negation."]
            pub fn index(self) -> u32 {
                self.info().number
            }

            #[doc = " The (negative) number programs call the trap with."]
            pub fn trap_number(self) -> i32 {
                -(self.info().number as i32)
            }

            #[doc = " The trap that `number` (negative, as programs call it) selects on `arch`."]
            pub fn from_number(arch: Arch, number: i32) -> Option<#enum_ident> {
                match trap_slot(arch, number) {
                    Slot::Call(call) => Some(call),
                    _ => None,
                }
            }

            #[doc = " Whether the trap exists for programs of `arch`."]
            pub fn is_available(self, arch: Arch) -> bool {
                matches!(slot(arch, self.index()), Slot::Call(call) if call == self)
            }
        },
        TableKind::Bsd | TableKind::Machdep => quote! {
            #[doc = " The number programs call it with."]
            pub fn number(self) -> u32 {
                self.info().number
            }

            #[doc = " The call that `number` selects on `arch`."]
            pub fn from_number(arch: Arch, number: u32) -> Option<#enum_ident> {
                match slot(arch, number) {
                    Slot::Call(call) => Some(call),
                    _ => None,
                }
            }

            #[doc = " Whether the call exists for programs of `arch`."]
            pub fn is_available(self, arch: Arch) -> bool {
                Self::from_number(arch, self.number()) == Some(self)
            }
        },
    };

    let placeholder_fns = placeholders_used(table).into_iter().map(|placeholder| {
        let name = ident_raw(placeholder.function());
        let variant = ident_raw(placeholder.rust_variant());
        let doc = format!(" The slot of number `number` when its entry is `{}`.", placeholder.function());
        quote! {
            #[doc = #doc]
            const fn #name(number: u32, name: &'static str, note: Option<&'static str>) -> Slot<#enum_ident> {
                Slot::Placeholder(PlaceholderInfo {
                    table: Table::#table_variant,
                    number,
                    name,
                    placeholder: Placeholder::#variant,
                    note,
                })
            }
        }
    });

    // Architectures whose slots differ from `SLOTS` look their number up in their list of differences
    // first.
    let base_lookup = quote! {
        usize::try_from(number).ok().and_then(|n| SLOTS.get(n)).copied().unwrap_or(Slot::Unknown)
    };
    let slot_body = match table.slot_maps.split_first() {
        None => quote! {
            let _ = (arch, number);
            Slot::Unknown
        },
        Some((_, [])) => quote! {
            let _ = arch;
            #base_lookup
        },
        Some((base, others)) => {
            let arms = others.iter().map(|map| {
                let name = ident_raw(&differences_static_name(map));
                let patterns = map.targets.iter().map(|t| arch_path(*t));
                quote!(#(#patterns)|* => &#name)
            });
            let base_patterns = base.targets.iter().map(|t| arch_path(*t));
            quote! {
                let differences: &[(u32, Slot<#enum_ident>)] = match arch {
                    #(#arms,)*
                    #(#base_patterns)|* => &[],
                };
                if let Ok(found) = differences.binary_search_by_key(&number, |(n, _)| *n)
                    && let Some((_, slot)) = differences.get(found)
                {
                    return *slot;
                }
                #base_lookup
            }
        }
    };

    let trap_slot_fn = if kind == TableKind::MachTraps {
        quote! {
            #[doc = " What trap number `number` (negative, as programs call it) leads to on `arch`."]
            pub fn trap_slot(arch: Arch, number: i32) -> Slot<MachTrap> {
                match number.checked_neg().and_then(|index| u32::try_from(index).ok()) {
                    Some(index) => slot(arch, index),
                    None => Slot::Unknown,
                }
            }
        }
    } else {
        quote!()
    };

    let has_indirect = table.calls.iter().any(|c| c.indirect);
    let (number_ty, slot_call) = match kind {
        TableKind::MachTraps => (quote!(i32), quote!(trap_slot(arch, number))),
        _ => (quote!(u32), quote!(slot(arch, number))),
    };
    let number_doc = match kind {
        TableKind::MachTraps => "the (negative) trap number",
        _ => "the call number",
    };
    let dispatch_doc = format!(
        " Calls `handler`'s method for {number_doc} `number` on `arch`, with the raw 64-bit argument slots \
         `args` (widen a 32-bit caller's words with `CallInfo::munge32` first). A number without a call is \
         reported by name and number, once, and fails with `ENOSYS`."
    );
    let call_args =
        if has_indirect { quote!(handler, arch, call, args) } else { quote!(handler, call, args) };
    let indirect_fn = if has_indirect {
        quote! {
            #[doc = " The indirect call (`syscall(number, ...)`): the number of the call to make is the first argument, and its arguments follow."]
            fn indirect<H: #trait_ident + ?Sized>(
                handler: &mut H,
                arch: Arch,
                args: &[u64; MAX_ARGS],
            ) -> SyscallResult<u64> {
                let (number, args) = indirect_args(args);
                match u32::try_from(number) {
                    Ok(number) if number != 0 => dispatch(handler, arch, number, &args),
                    _ => Err(report::not_a_call(Table::#table_variant, number as i64, Slot::<#enum_ident>::Unknown)),
                }
            }
        }
    } else {
        quote!()
    };

    let slot_doc = format!(" What number `number` leads to on `arch`: a {noun}, a placeholder, or nothing.");

    let head = quote! {
        use std::fmt;

        use super::super::{#(#imports),*};

        #[doc = " The number of slots in the table (for BSD calls, `SYS_MAXSYSCALL`)."]
        pub const SLOT_COUNT: usize = #slot_count;

        #[doc = " The most arguments any call takes: the length of the argument array `dispatch` takes."]
        pub const MAX_ARGS: usize = #max_args;
    };
    let body = quote! {
        impl #enum_ident {
            #[doc = " What the master says about the call."]
            pub fn info(self) -> &'static CallInfo {
                #info_body
            }

            #[doc = " The name (as `SYS_` names and the names table spell it)."]
            pub fn name(self) -> &'static str {
                self.info().name
            }

            #[doc = " The call named `name`."]
            pub fn from_name(name: &str) -> Option<#enum_ident> {
                let found = BY_NAME.binary_search_by(|call| call.name().cmp(name)).ok()?;
                BY_NAME.get(found).copied()
            }

            #[doc = " The arguments."]
            pub fn args(self) -> &'static [Arg] {
                self.info().args
            }

            #[doc = " The number of arguments."]
            pub fn arg_count(self) -> usize {
                self.info().args.len()
            }

            #number_api
        }

        impl CallEnum for #enum_ident {
            fn info(self) -> &'static CallInfo {
                #enum_ident::info(self)
            }
        }

        impl fmt::Display for #enum_ident {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }

        #[doc = " What the rows of `CALLS` have in common; each row names only the fields that differ."]
        const DEFAULTS: CallInfo = CallInfo {
            table: Table::#table_variant,
            number: 0,
            name: "",
            function: "",
            args: &[],
            return_type: #default_return_type,
            return_kind: ReturnKind::#default_return_kind,
            audit_event: "AUE_NULL",
            munger32: None,
            size32: 0,
            condition: None,
            note: None,
            no_syscall_stub: false,
            returns_port: false,
        };

        #(#placeholder_fns)*

        #[doc = #slot_doc]
        pub fn slot(arch: Arch, number: u32) -> Slot<#enum_ident> {
            #slot_body
        }

        #trap_slot_fn

        #[doc = #dispatch_doc]
        pub fn dispatch<H: #trait_ident + ?Sized>(
            handler: &mut H,
            arch: Arch,
            number: #number_ty,
            args: &[u64; MAX_ARGS],
        ) -> SyscallResult<u64> {
            match #slot_call {
                Slot::Call(call) => dispatch_call(#call_args),
                other => Err(report::not_a_call(Table::#table_variant, i64::from(number), other)),
            }
        }

        #indirect_fn
    };
    (head, body)
}
