//! `generated/<table>.rs` in darling-core: the call enum with its descriptions, lookups by number and
//! name, the dispatch trait (one method per call, defaulting to a report and `ENOSYS`) and the dispatch
//! function from a number and raw arguments to the trait.
//!
//! The module skeleton is `quote!`d and parsed once; the per-call parts (variants, rows, methods, match
//! arms) are built as syntax trees by [`super::rust_syntax`] and inserted, then prettyplease prints the
//! whole file. The generated module uses the shared types of `darling_core::syscalls` (its parent's
//! parent), so the three tables share one `CallInfo`, one `Slot` and one reporter.

use codegen::rust::ident_raw;
use codegen::{CommentStyle, Target, preamble};
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use syn::{Expr, FnArg, Item, ReturnType, Stmt, TraitItem, TraitItemFn};

use super::TOOL;
use super::rust_syntax::{
    array, bool_lit, call_expr, doc, ident, int_lit, method_call, option, path_expr, path_of, reference,
    str_lit, struct_expr,
};
use crate::model::{Call, Entry, Slot, SlotMap, Table, TableKind};
use crate::types::{Repr, ReturnKind};
use crate::{Dest, Output};

/// The Rust module for `table`.
///
/// The module is printed in two halves on two threads (syntax trees cannot cross threads, so each half
/// is built where it is printed); prettyplease prints a file item by item, so the halves join into
/// exactly the text of the whole.
pub fn output(table: &Table) -> Output {
    let module = table.kind.rust_module();
    let (first, second) = std::thread::scope(|scope| {
        let second = scope.spawn(|| prettyplease::unparse(&file_part(table, Some(Part::Second))));
        let first = prettyplease::unparse(&file_part(table, Some(Part::First)));
        (first, second.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    });
    let mut contents = preamble(TOOL, &table.source, CommentStyle::Rust);
    contents.push('\n');
    contents.push_str(&first);
    contents.push_str(&second);
    Output {
        dest: Dest::Rust,
        path: format!("generated/{module}.rs"),
        snapshot: format!("{module}_rust"),
        contents,
    }
}

/// Which items of the module a syntax tree holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The enum, its methods and the `CALLS` table.
    First,
    /// The lookup tables, the trait and the dispatch function.
    Second,
}

/// The whole module as a syntax tree.
pub fn file(table: &Table) -> syn::File {
    file_part(table, None)
}

/// The items of `part` (or all of them) as a syntax tree.
pub fn file_part(table: &Table, part: Option<Part>) -> syn::File {
    let (first, second) = skeleton(table);
    let tokens = match part {
        Some(Part::First) => first,
        Some(Part::Second) => second,
        None => quote!(#first #second),
    };
    let mut file: syn::File = match syn::parse2(tokens) {
        Ok(file) => file,
        // The skeleton is fixed text with a few names spliced in: failing to parse it is a bug here.
        Err(e) => panic!("syscall-tables built an invalid Rust skeleton: {e}"),
    };
    let templates = (part != Some(Part::First)).then(Templates::new);
    for item in &mut file.items {
        fill(table, templates.as_ref(), item);
    }
    file
}

/// Inserts the per-call parts into one skeleton item.
fn fill(table: &Table, templates: Option<&Templates>, item: &mut Item) {
    let enum_name = table.kind.rust_enum();
    match item {
        Item::Enum(e) if e.ident == enum_name => {
            for call in &table.calls {
                e.variants.push(syn::Variant {
                    attrs: vec![doc(&call_doc(table, &table.entries[call.entry]))],
                    ident: ident(&call.variant),
                    fields: syn::Fields::Unit,
                    discriminant: None,
                });
            }
        }
        Item::Impl(i) if i.trait_.is_none() => {
            for impl_item in &mut i.items {
                if let syn::ImplItem::Const(c) = impl_item
                    && c.ident == "ALL"
                {
                    c.expr = array(table.calls.iter().map(|call| variant_path(enum_name, &call.variant)));
                }
            }
        }
        Item::Static(s) if s.ident == "CALLS" => {
            *s.expr = array(table.calls.iter().map(|c| call_info(table, c)));
        }
        Item::Static(s) if s.ident == "BY_NAME" => {
            let mut by_name: Vec<usize> = (0..table.calls.len()).collect();
            by_name.sort_unstable_by(|a, b| table.calls[*a].names.c.cmp(&table.calls[*b].names.c));
            *s.expr = array(by_name.into_iter().map(|i| int_lit(i as u64)));
        }
        Item::Static(s) if s.ident.to_string().starts_with("SLOTS") => {
            let name = s.ident.to_string();
            if let Some(map) = table.slot_maps.iter().find(|m| slot_static_name(m, table) == name) {
                *s.expr = array(map.slots.iter().map(|slot| slot_expr(table, *slot)));
            }
        }
        Item::Trait(t) => {
            if let Some(templates) = templates {
                for call in table.calls.iter().filter(|c| !c.indirect) {
                    t.items.push(TraitItem::Fn(templates.method(table, call)));
                }
            }
        }
        Item::Fn(f) if f.sig.ident == "dispatch" => {
            if let Some(Stmt::Expr(Expr::Match(m), _)) = f.block.stmts.last_mut() {
                for call in table.calls.iter().filter(|c| !c.indirect) {
                    m.arms.push(dispatch_arm(table, call));
                }
            }
        }
        _ => {}
    }
}

/// Spellings parsed once per module and cloned for every method.
struct Templates {
    method: TraitItemFn,
    args: Vec<(Repr, FnArg)>,
    returns: Vec<(ReturnKind, ReturnType)>,
}

impl Templates {
    fn new() -> Self {
        let reprs = [Repr::U16, Repr::I32, Repr::U32, Repr::I64, Repr::U64, Repr::Addr];
        let returns = [
            ReturnKind::None,
            ReturnKind::Int,
            ReturnKind::UInt,
            ReturnKind::UInt64,
            ReturnKind::Off,
            ReturnKind::Addr,
            ReturnKind::Size,
            ReturnKind::SSize,
            ReturnKind::KernReturn,
            ReturnKind::PortName,
            ReturnKind::Boolean,
        ];
        // Without a body or a return type: each method gets its own, and replacing parts of a fuller
        // template would only build what is thrown away.
        let method: TraitItemFn = syn::parse_quote!(
            fn template(&mut self);
        );
        let args = reprs
            .iter()
            .map(|r| {
                let ty = repr_type(*r);
                let sig: syn::Signature = syn::parse_quote!(fn template(value: #ty));
                (*r, sig.inputs[0].clone())
            })
            .collect();
        let returns = returns
            .iter()
            .map(|k| {
                let ty = return_type(*k);
                let output: ReturnType = syn::parse_quote!(-> SyscallResult<#ty>);
                (*k, output)
            })
            .collect();
        Templates { method, args, returns }
    }

    /// `fn read(&mut self, fd: i32, ...) -> SyscallResult<i64> { unimplemented(Sysno::Read) }`.
    fn method(&self, table: &Table, call: &Call) -> TraitItemFn {
        let entry = &table.entries[call.entry];
        let mut method = self.method.clone();
        method.attrs = vec![doc(&call_doc(table, entry))];
        method.sig.ident = ident(&call.names.rust);
        for arg in &entry.args {
            let Some((_, template)) = self.args.iter().find(|(r, _)| *r == arg.repr) else { continue };
            let mut typed = template.clone();
            if let FnArg::Typed(pat_type) = &mut typed
                && let syn::Pat::Ident(pat) = &mut *pat_type.pat
            {
                pat.ident = ident(&arg.names.rust);
            }
            method.sig.inputs.push(typed);
        }
        if let Some((_, output)) = self.returns.iter().find(|(k, _)| *k == entry.return_kind) {
            method.sig.output = output.clone();
        }
        let body =
            call_expr(path_expr("unimplemented"), [variant_path(table.kind.rust_enum(), &call.variant)]);
        method.default =
            Some(syn::Block { brace_token: Default::default(), stmts: vec![Stmt::Expr(body, None)] });
        method.semi_token = None;
        method
    }
}

/// `Sysno::Read => into_return(handler.read(from_arg(args[0]), ...))`.
fn dispatch_arm(table: &Table, call: &Call) -> syn::Arm {
    let entry = &table.entries[call.entry];
    let args = (0..entry.args.len()).map(|i| call_expr(path_expr("from_arg"), [path_expr(&format!("a{i}"))]));
    let invocation = method_call(path_expr("handler"), &call.names.rust, args);
    let body = call_expr(path_expr("into_return"), [invocation]);
    let pattern = syn::Pat::Path(syn::ExprPath {
        attrs: Vec::new(),
        qself: None,
        path: path_of(&[table.kind.rust_enum(), &call.variant]),
    });
    syn::Arm {
        attrs: Vec::new(),
        pat: pattern,
        fat_arrow_token: Default::default(),
        body: Box::new(body),
        comma: Some(Default::default()),
    }
}

fn variant_path(enum_name: &str, variant: &str) -> Expr {
    Expr::Path(syn::ExprPath { attrs: Vec::new(), qself: None, path: path_of(&[enum_name, variant]) })
}

fn repr_type(repr: Repr) -> TokenStream {
    match repr {
        Repr::U16 => quote!(u16),
        Repr::I32 => quote!(i32),
        Repr::U32 => quote!(u32),
        Repr::I64 => quote!(i64),
        Repr::U64 => quote!(u64),
        Repr::Addr => quote!(UserAddr),
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

fn return_type(kind: ReturnKind) -> TokenStream {
    match kind {
        ReturnKind::None => quote!(()),
        ReturnKind::Int | ReturnKind::KernReturn | ReturnKind::Boolean => quote!(i32),
        ReturnKind::UInt | ReturnKind::PortName => quote!(u32),
        ReturnKind::UInt64 | ReturnKind::Size => quote!(u64),
        ReturnKind::Off | ReturnKind::SSize => quote!(i64),
        ReturnKind::Addr => quote!(UserAddr),
    }
}

/// How an entry's number is shown in documentation: Mach traps by their (negative) trap number.
fn shown_number(kind: TableKind, number: u32) -> String {
    match kind {
        TableKind::MachTraps if number > 0 => format!("-{number}"),
        _ => number.to_string(),
    }
}

/// The one-paragraph documentation of a call or trait method.
fn call_doc(table: &Table, entry: &Entry) -> String {
    let mut doc = format!(
        " `{}`: {} {}",
        entry.prototype(),
        table.kind.entry_noun(),
        shown_number(table.kind, entry.number)
    );
    if let Some(condition) = &entry.condition {
        doc.push_str(&format!(", when `{condition}`"));
    }
    if let Some(note) = &entry.note {
        doc.push_str(&format!(" ({note})"));
    }
    doc.push('.');
    doc
}

/// The fields every row of the table shares, written once as the `DEFAULTS` constant; rows name only
/// the fields that differ.
fn defaults(kind: TableKind) -> Vec<(&'static str, Expr)> {
    vec![
        ("table", path_expr(&format!("Table::{}", kind.rust_table_variant()))),
        ("number", int_lit(0)),
        ("name", str_lit("")),
        ("function", str_lit("")),
        ("args", reference(array([]))),
        ("return_type", str_lit(if kind == TableKind::Bsd { "int" } else { "kern_return_t" })),
        (
            "return_kind",
            path_expr(if kind == TableKind::Bsd { "ReturnKind::Int" } else { "ReturnKind::KernReturn" }),
        ),
        ("audit_event", str_lit("AUE_NULL")),
        ("munger32", option(None)),
        ("size32", int_lit(0)),
        ("condition", option(None)),
        ("note", option(None)),
        ("no_syscall_stub", bool_lit(false)),
        ("returns_port", bool_lit(false)),
    ]
}

/// One row of `CALLS`.
fn call_info(table: &Table, call: &Call) -> Expr {
    let entry = &table.entries[call.entry];
    let default_return = if table.kind == TableKind::Bsd { "int" } else { "kern_return_t" };
    let mut fields = vec![
        ("number", int_lit(u64::from(entry.number))),
        ("name", str_lit(&call.names.c)),
        ("function", str_lit(&entry.function)),
    ];
    if !entry.args.is_empty() {
        let args = entry.args.iter().map(|a| {
            call_expr(
                path_expr("Arg::new"),
                [str_lit(&a.names.source), str_lit(&a.c_type), path_expr(repr_kind(a.repr))],
            )
        });
        fields.push(("args", reference(array(args))));
    }
    if entry.return_type != default_return {
        fields.push(("return_type", str_lit(&entry.return_type)));
        fields.push(("return_kind", path_expr(&format!("ReturnKind::{}", entry.return_kind.rust_variant()))));
    }
    if entry.audit_event != "AUE_NULL" {
        fields.push(("audit_event", str_lit(&entry.audit_event)));
    }
    if let Some(munger) = &entry.munger32 {
        fields.push(("munger32", option(Some(str_lit(munger)))));
    }
    if entry.size32 != 0 {
        fields.push(("size32", int_lit(u64::from(entry.size32))));
    }
    if let Some(condition) = &entry.condition {
        fields.push(("condition", option(Some(str_lit(condition)))));
    }
    if let Some(note) = &entry.note {
        fields.push(("note", option(Some(str_lit(note)))));
    }
    if entry.no_syscall_stub || entry.double_underscore {
        fields.push(("no_syscall_stub", bool_lit(true)));
    }
    if entry.returns_port {
        fields.push(("returns_port", bool_lit(true)));
    }
    struct_expr("CallInfo", fields, Some(path_expr("DEFAULTS")))
}

/// One element of a `SLOTS` array.
fn slot_expr(table: &Table, slot: Slot) -> Expr {
    match slot {
        Slot::Call(c) => call_expr(
            path_expr("Slot::Call"),
            [variant_path(table.kind.rust_enum(), &table.calls[c].variant)],
        ),
        Slot::Placeholder(e) => {
            let entry = &table.entries[e];
            let placeholder = entry.placeholder.map_or("Nosys", |p| p.rust_variant());
            let info = struct_expr(
                "PlaceholderInfo",
                vec![
                    ("table", path_expr(&format!("Table::{}", table.kind.rust_table_variant()))),
                    ("number", int_lit(u64::from(entry.number))),
                    ("name", str_lit(&entry.table_name)),
                    ("placeholder", path_expr(&format!("Placeholder::{placeholder}"))),
                    ("note", option(entry.note.as_deref().map(str_lit))),
                ],
                None,
            );
            call_expr(path_expr("Slot::Placeholder"), [info])
        }
        Slot::Empty => path_expr("Slot::Unknown"),
    }
}

/// `SLOTS` when every architecture agrees, else `SLOTS_<first architecture of the group>`.
fn slot_static_name(map: &SlotMap, table: &Table) -> String {
    if table.slot_maps.len() == 1 {
        "SLOTS".to_string()
    } else {
        format!("SLOTS_{}", map.targets[0].name().to_ascii_uppercase())
    }
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
    let uses_addr = table.calls.iter().any(|c| {
        let e = &table.entries[c.entry];
        (!c.indirect && e.return_kind == ReturnKind::Addr) || e.args.iter().any(|a| a.repr == Repr::Addr)
    });
    let has_placeholders =
        table.slot_maps.iter().any(|m| m.slots.iter().any(|s| matches!(s, Slot::Placeholder(_))));
    let mut names =
        vec!["Arch", "Arg", "CallEnum", "CallInfo", "ReturnKind", "Slot", "SyscallResult", "Table", "report"];
    if has_args {
        names.extend(["ArgKind", "from_arg"]);
    }
    if has_methods {
        names.extend(["into_return", "unimplemented"]);
    }
    if uses_addr {
        names.push("UserAddr");
    }
    if has_placeholders {
        names.extend(["Placeholder", "PlaceholderInfo"]);
    }
    if table.calls.iter().any(|c| c.indirect) {
        names.push("indirect_args");
    }
    names.sort_unstable();
    names.into_iter().map(ident_raw).collect()
}

/// Everything but the per-call parts, which [`file`] fills in: the items of [`Part::First`], then those of
/// [`Part::Second`].
fn skeleton(table: &Table) -> (TokenStream, TokenStream) {
    let kind = table.kind;
    let enum_ident = ident_raw(kind.rust_enum());
    let trait_ident = ident_raw(kind.rust_trait());
    let table_variant = ident_raw(kind.rust_table_variant());
    let noun = kind.entry_noun();
    let call_count = lit(table.calls.len());
    let slot_count = lit(table.slot_count);
    let max_args = lit(table.max_args);
    let imports = imports(table);
    let empty = table.calls.is_empty();
    let repr_attr = if empty { quote!() } else { quote!(#[repr(u16)]) };
    let info_body = if empty { quote!(match self {}) } else { quote!(&CALLS[self as usize]) };

    let defaults = struct_expr("CallInfo", defaults(kind), None);

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

    let slot_statics = table.slot_maps.iter().map(|map| {
        let name = ident_raw(&slot_static_name(map, table));
        let targets: Vec<&str> = map.targets.iter().map(|t| t.name()).collect();
        let doc = format!(" The slots on {}.", targets.join(", "));
        quote! {
            #[doc = #doc]
            static #name: [Slot<#enum_ident>; #slot_count] = [];
        }
    });
    let slots_body = if table.slot_maps.len() == 1 {
        quote! {
            let _ = arch;
            &SLOTS
        }
    } else {
        let arms = table.slot_maps.iter().map(|map| {
            let name = ident_raw(&slot_static_name(map, table));
            let patterns = map.targets.iter().map(|t| arch_path(*t));
            quote!(#(#patterns)|* => &#name)
        });
        quote!(match arch { #(#arms,)* })
    };

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
    let unused = match (empty, table.max_args == 0) {
        (true, _) => quote!(let _ = (handler, args);),
        (false, true) => quote!(let _ = args;),
        (false, false) => quote!(),
    };
    let slots_names = (0..table.max_args).map(|i| ident_raw(&format!("a{i}")));
    let destructure =
        if table.max_args == 0 || empty { quote!() } else { quote!(let [#(#slots_names),*] = *args;) };
    let indirect_arm = table.calls.iter().find(|c| c.indirect).map(|c| {
        let variant = ident_raw(&c.variant);
        quote! {
            #enum_ident::#variant => {
                let (number, args) = indirect_args(args);
                match u32::try_from(number) {
                    Ok(number) if number != 0 => dispatch(handler, arch, number, &args),
                    _ => Err(report::not_a_call(Table::#table_variant, number as i64, Slot::<#enum_ident>::Unknown)),
                }
            }
        }
    });

    let enum_doc = format!(" A {noun}: one variant per call in `{}`.", table.source);
    let trait_doc = format!(
        " The {noun}s, one method each. Every method defaults to reporting the call as unimplemented \
         (once) and failing with `ENOSYS`; implement a call by overriding its method."
    );
    let slot_doc = format!(" What number `number` leads to on `arch`: a {noun}, a placeholder, or nothing.");

    let first = quote! {
        use std::fmt;

        use super::super::{#(#imports),*};

        #[doc = " The number of slots in the table (for BSD calls, `SYS_MAXSYSCALL`)."]
        pub const SLOT_COUNT: usize = #slot_count;

        #[doc = " The most arguments any call takes: the length of the argument array `dispatch` takes."]
        pub const MAX_ARGS: usize = #max_args;

        #[doc = #enum_doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #repr_attr
        pub enum #enum_ident {}

        impl #enum_ident {
            #[doc = " Every call, in table order."]
            pub const ALL: [#enum_ident; #call_count] = [];

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
                let found = BY_NAME.binary_search_by(|i| CALLS[usize::from(*i)].name.cmp(name)).ok()?;
                Some(Self::ALL[usize::from(BY_NAME[found])])
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
        const DEFAULTS: CallInfo = #defaults;

        static CALLS: [CallInfo; #call_count] = [];
    };
    let second = quote! {
        #[doc = " Indices into `CALLS` in the order of the names, for lookups by name."]
        static BY_NAME: [u16; #call_count] = [];

        #(#slot_statics)*

        fn slots(arch: Arch) -> &'static [Slot<#enum_ident>; #slot_count] {
            #slots_body
        }

        #[doc = #slot_doc]
        pub fn slot(arch: Arch, number: u32) -> Slot<#enum_ident> {
            usize::try_from(number).ok().and_then(|n| slots(arch).get(n)).copied().unwrap_or(Slot::Unknown)
        }

        #trap_slot_fn

        #[doc = #trait_doc]
        // Default methods ignore their arguments, and mirror prototypes of up to eight arguments.
        #[allow(unused_variables, clippy::too_many_arguments)]
        pub trait #trait_ident {}

        #[doc = #dispatch_doc]
        pub fn dispatch<H: #trait_ident + ?Sized>(
            handler: &mut H,
            arch: Arch,
            number: #number_ty,
            args: &[u64; MAX_ARGS],
        ) -> SyscallResult<u64> {
            #unused
            let call = match #slot_call {
                Slot::Call(call) => call,
                other => return Err(report::not_a_call(Table::#table_variant, i64::from(number), other)),
            };
            #destructure
            match call {
                #indirect_arm
            }
        }
    };
    (first, second)
}
