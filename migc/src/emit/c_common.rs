//! What the four C emitters share: message struct declarations, the typedef sections and unions,
//! prototypes, and the helper macros and functions generated sources define.
//!
//! Generated code addresses every message field at its offset in the `__Request__`/`__Reply__`
//! typedef, where variable arrays have their maximal size. Messages travel packed (a variable array
//! takes only the words it needs), so senders pack the message just before `mach_msg` and receivers
//! unpack it in their check function, after validating every count. This keeps the stubs simple and
//! the wire format Apple's.

use std::fmt::Write;

use codegen::CWriter;

use crate::model::*;

/// Which side of the interface a piece of C is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// User stubs and the user header.
    User,
    /// Server stubs and the server header.
    Server,
}

/// The headers every generated header includes, in Apple's order.
pub const BASE_INCLUDES: &[&str] = &[
    "string.h",
    "mach/ndr.h",
    "mach/boolean.h",
    "mach/kern_return.h",
    "mach/notify.h",
    "mach/mach_types.h",
    "mach/message.h",
    "mach/mig_errors.h",
    "mach/port.h",
];

/// Makes the message typedefs packed to 4 bytes, as the wire format is, unless the includer decided.
pub fn write_pack_default(w: &mut CWriter) {
    w.directive("#ifndef __MigPackStructs");
    w.directive("#define __MigPackStructs 1");
    w.directive("#endif");
}

/// The generated files imports go into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportsFor {
    /// `<name>.h`: `import`, `uimport`, `dimport`.
    UserHeader,
    /// `<name>Server.h`: `import`, `simport`, `dimport`.
    ServerHeader,
    /// `<name>Server.c`, which declares everything the server header does (so it takes the header's
    /// imports) and, as Apple's server source without a server header does, the `iimport`s.
    ServerSource,
}

/// Writes the `#include` lines for the imports that go to `file`, in the order of the `.defs`.
pub fn write_imports(w: &mut CWriter, module: &Module, file: ImportsFor) {
    for import in &module.imports {
        let wanted = matches!(
            (import.kind, file),
            (ImportKind::All | ImportKind::Definitions, _)
                | (ImportKind::User, ImportsFor::UserHeader)
                | (ImportKind::Server, ImportsFor::ServerHeader | ImportsFor::ServerSource)
                | (ImportKind::Internal, ImportsFor::ServerSource)
        );
        if wanted {
            w.directive(&format!("#include {}", import.file));
        }
    }
}

/// Writes `subsystem_to_name_map_<subsystem>`, the routine names and ids as initializers, which Apple's
/// mig puts at the end of every header it writes.
pub fn write_name_map(w: &mut CWriter, module: &Module) {
    let name = &module.subsystem.name;
    w.directive(&format!("#ifndef subsystem_to_name_map_{name}"));
    let entries: Vec<String> =
        module.real_routines().map(|r| format!("    {{ \"{}\", {} }}", r.name, r.msgh_id)).collect();
    if entries.is_empty() {
        w.directive(&format!("#define subsystem_to_name_map_{name}"));
    } else {
        w.directive(&format!("#define subsystem_to_name_map_{name} \\"));
        let last = entries.len() - 1;
        for (i, e) in entries.iter().enumerate() {
            if i == last {
                w.directive(e);
            } else {
                w.directive(&format!("{e},\\"));
            }
        }
    }
    w.directive("#endif");
}

/// Writes `<subsystem>_MSG_COUNT`: the number of routine numbers, skipped ones included (Apple's mig
/// counts every number the subsystem uses).
pub fn write_msg_count(w: &mut CWriter, module: &Module) {
    let name = &module.subsystem.name;
    w.directive(&format!("#ifndef\t{name}_MSG_COUNT"));
    w.directive(&format!("#define\t{name}_MSG_COUNT\t{}", module.routines.len()));
    w.directive(&format!("#endif\t/* {name}_MSG_COUNT */"));
}

/// The C type of a message field on `side`.
fn field_type(field: &Field, side: Side) -> &str {
    match side {
        Side::User => &field.user_c,
        Side::Server => &field.server_c,
    }
}

/// Writes `typedef struct { ... } <name>` (or a local `typedef` in a stub) for a message. `trailer`
/// adds a trailer member after the fields (stubs receive into it).
pub fn write_struct(w: &mut CWriter, message: &Message, side: Side, name: &str, trailer: Option<&str>) {
    w.directive("#ifdef  __MigPackStructs");
    w.directive("#pragma pack(push, 4)");
    w.directive("#endif");
    w.begin_block("typedef struct");
    let mut in_descriptors = false;
    for field in &message.fields {
        let ty = field_type(field, side);
        if field.role == FieldRole::Body {
            w.line("/* descriptors: the kernel translates these in transit */");
            in_descriptors = true;
        } else if in_descriptors && !matches!(field.role, FieldRole::Descriptor(_)) {
            w.line("/* end of the descriptors */");
            in_descriptors = false;
        }
        let suffix = match field.array_len {
            Some(n) => format!("[{n}]"),
            None => String::new(),
        };
        let comment = if field.role == FieldRole::StringOffset { " /* MiG doesn't use it */" } else { "" };
        w.line(&format!("{ty} {}{suffix};{comment}", field.name));
    }
    if in_descriptors {
        w.line("/* end of the descriptors */");
    }
    if let Some(t) = trailer {
        w.line(&format!("{t} trailer;"));
    }
    w.end_block(&format!(" {name} __attribute__((unused));"));
    w.directive("#ifdef  __MigPackStructs");
    w.directive("#pragma pack(pop)");
    w.directive("#endif");
}

/// Writes the `__Request__` or `__Reply__` typedef section and its union, as the user and server
/// headers (and, for self-containment, the server source) declare them.
pub fn write_typedef_section(w: &mut CWriter, module: &Module, side: Side, request: bool) {
    let subsystem = &module.subsystem.name;
    let prefix = match side {
        Side::User => &module.user_prefix,
        Side::Server => &module.server_prefix,
    };
    let (kind, plural) = if request { ("Request", "requests") } else { ("Reply", "replies") };
    w.next_section();
    w.line(&format!("/* the {plural} of every routine */"));
    w.line("");
    w.directive(&format!("#ifndef __{kind}__{subsystem}_subsystem__defined"));
    w.directive(&format!("#define __{kind}__{subsystem}_subsystem__defined"));
    // The typedefs carry the routine's name; the union members, on the user side, the stub's name
    // (`Request_<userprefix><routine>`), as Apple's mig names them.
    let mut members = Vec::new();
    for routine in module.real_routines() {
        let message = if request { Some(&routine.request) } else { routine.reply.as_ref() };
        let Some(message) = message else { continue };
        w.line("");
        write_struct(w, message, side, &format!("__{kind}__{}_t", routine.name), None);
        let member = match side {
            Side::User => format!("{}{}", module.user_prefix, routine.name),
            Side::Server => routine.name.clone(),
        };
        members.push((routine.name.clone(), member));
    }
    w.directive(&format!("#endif /* !__{kind}__{subsystem}_subsystem__defined */"));
    w.line("");
    w.line(&format!("/* one union as large as the largest of the {plural} */"));
    w.line("");
    w.directive(&format!("#ifndef __{kind}Union__{prefix}{subsystem}_subsystem__defined"));
    w.directive(&format!("#define __{kind}Union__{prefix}{subsystem}_subsystem__defined"));
    // An empty union is not ISO C; a subsystem without any such message declares none.
    if !members.is_empty() {
        w.begin_block(&format!("union __{kind}Union__{prefix}{subsystem}_subsystem"));
        for (name, member) in &members {
            w.line(&format!("__{kind}__{name}_t {kind}_{member};"));
        }
        w.end_block(";");
    }
    w.directive(&format!("#endif /* !__{kind}Union__{prefix}{subsystem}_subsystem__defined */"));
}

/// Whether `module` declares the reply union (it has at least one `routine`).
pub fn has_reply_union(module: &Module) -> bool {
    module.real_routines().any(|r| r.reply.is_some())
}

/// The C type of a parameter for a value of `ty` on `side`, before any `*`.
pub fn param_type(ty: &Type, side: Side) -> String {
    let c = match side {
        Side::User => &ty.user_c,
        Side::Server => &ty.server_c,
    };
    if !(c.is_empty() || matches!(ty.shape, Shape::CString { .. }) && c == "char") {
        return c.clone();
    }
    // Anonymous types declared in an argument: spell them out.
    match &ty.shape {
        Shape::CString { .. } => "char *".to_string(),
        Shape::Array(a) => format!("{} *", param_type(&a.element, side)),
        _ => "int".to_string(),
    }
}

/// The translated type a server function sees for an argument (`intran`/`outtran` type, else the
/// server C type).
pub fn server_value_type(arg: &Arg) -> String {
    if arg.kind.in_request() || arg.kind == ArgKind::RequestPort {
        if let Some(t) = &arg.ty.intran {
            return t.ty.clone();
        }
    } else if let Some(t) = &arg.ty.outtran {
        return t.ty.clone();
    }
    param_type(&arg.ty, Side::Server)
}

/// How an argument is passed: by value, by pointer to a value, or as an array (already a pointer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Passing {
    /// `T x`.
    Value,
    /// `T *x`.
    Pointer,
}

/// Whether an argument's data is an inline array or string (passed as a buffer, never through `*`).
pub fn is_buffer(ty: &Type) -> bool {
    match &ty.shape {
        Shape::Array(a) => !a.out_of_line && !a.element.is_port(),
        Shape::CString { .. } => true,
        _ => false,
    }
}

/// Whether an argument is an inline array of ports.
pub fn is_port_array(ty: &Type) -> bool {
    matches!(&ty.shape, Shape::Array(a) if !a.out_of_line && a.element.is_port())
}

/// The parameters of a routine's function on `side`, as `type name` strings. `kernel_server`: the
/// subsystem is a `KernelServer` (which changes the server's polymorphic parameters).
pub fn params(routine: &Routine, side: Side, kernel_server: bool) -> Vec<String> {
    let mut out = Vec::new();
    for arg in &routine.args {
        let on_side = match side {
            Side::User => arg.kind.on_user_side(),
            Side::Server => arg.kind.on_server_side(),
        };
        if !on_side {
            continue;
        }
        let ty = match side {
            Side::User => param_type(&arg.ty, side),
            Side::Server => server_value_type(arg),
        };
        let constant = if arg.flags.constant { "const " } else { "" };
        let returns = match arg.kind {
            ArgKind::Out | ArgKind::InOut => true,
            ArgKind::SecToken | ArgKind::AuditToken | ArgKind::UserSecToken | ArgKind::UserAuditToken => {
                side == Side::User
            }
            _ => false,
        };
        let passing = if returns && !is_buffer(&arg.ty) && !is_port_array(&arg.ty) {
            Passing::Pointer
        } else {
            Passing::Value
        };
        let star = if passing == Passing::Pointer { "*" } else { "" };
        let ty_sep = if ty.ends_with('*') { ty.clone() } else { format!("{ty} ") };
        out.push(format!("{constant}{ty_sep}{star}{}", arg.name));
        let poly = match side {
            Side::User => arg.user_poly(),
            Side::Server => arg.server_poly(kernel_server),
        };
        if let Some(poly) = poly {
            let star = if returns { "*" } else { "" };
            out.push(format!("mach_msg_type_name_t {star}{poly}"));
        }
        // `Dealloc[]`: the caller decides, per call, whether the sent memory or right is deallocated.
        if side == Side::User && arg.flags.dealloc == Dealloc::Conditional && arg.kind.in_request() {
            out.push(format!("boolean_t {}Dealloc", arg.name));
        }
        // Variable strings carry their count implicitly (the terminator); arrays take it explicitly.
        if let Some(count) = &arg.count
            && !arg.flags.same_count
            && !matches!(arg.ty.shape, Shape::CString { .. })
        {
            let star = if returns { "*" } else { "" };
            out.push(format!("mach_msg_type_number_t {star}{count}"));
        }
        let _ = Passing::Value;
    }
    out
}

/// Writes `kern_return_t name\n(\n\tparams\n)` (no terminator).
pub fn write_signature(w: &mut CWriter, return_type: &str, name: &str, params: &[String]) {
    if return_type.is_empty() {
        w.line(name);
    } else {
        w.line(&format!("{return_type} {name}"));
    }
    w.line("(");
    if params.is_empty() {
        w.line("\tvoid");
    } else {
        let last = params.len() - 1;
        for (i, p) in params.iter().enumerate() {
            let comma = if i == last { "" } else { "," };
            w.line(&format!("\t{p}{comma}"));
        }
    }
    w.write_str(")").ok();
}

/// The `/* Routine name */` or `/* SimpleRoutine name */` comment.
pub fn routine_comment(routine: &Routine) -> String {
    let kind = if routine.kind == RoutineKind::SimpleRoutine { "SimpleRoutine" } else { "Routine" };
    format!("/* {kind} {} */", routine.name)
}

/// The static helper functions a generated source may call. Emitters set a flag when they write a
/// call, and the source prints only the helpers it uses (clang's `-Wunused-function` rejects the rest),
/// before the stubs, as includes are collected and printed first.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Helpers {
    /// `__migc_pack`: closes the gap a short variable field leaves before sending.
    pub pack: bool,
    /// `__migc_unpack`: reopens it in a received message.
    pub unpack: bool,
    /// `__migc_strsize`: the sent length of a variable string.
    pub strsize: bool,
    /// `__migc_terminated`: whether a received string is terminated.
    pub terminated: bool,
    /// `__MIGC_WALIGN`: rounding to a word, for packing and for finding the trailer.
    pub walign: bool,
}

/// A generated source under construction: its C text, and the helpers that text calls. It derefs to
/// the [`CWriter`], so emitters write to it as to a writer and mark the helpers they call.
#[derive(Debug, Default)]
pub struct Source {
    /// The text.
    pub w: CWriter,
    /// The helpers the text calls so far.
    pub helpers: Helpers,
}

impl Source {
    /// An empty source.
    pub fn new() -> Self {
        Source { w: CWriter::new(), helpers: Helpers::default() }
    }
}

impl std::ops::Deref for Source {
    type Target = CWriter;
    fn deref(&self) -> &CWriter {
        &self.w
    }
}

impl std::ops::DerefMut for Source {
    fn deref_mut(&mut self) -> &mut CWriter {
        &mut self.w
    }
}

/// The macros every generated `.c` file defines (each guarded, so that an includer can override them
/// and several generated files can share one translation unit). `kernel_server`: the subsystem is a
/// `KernelServer`, whose server source also compiles inside a kernel (`__MigKernelSpecificCode`).
pub fn write_source_defaults(w: &mut CWriter, side: Side, kernel_server: bool) {
    w.line("/* Defaults for the macros MIG-generated code lets its includer override. */");
    for (name, value) in [
        ("mig_internal", "static __inline__"),
        ("mig_external", ""),
        ("__MigTypeCheck", "1"),
        ("__MigKernelSpecificCode", "0"),
        ("__DeclareSendRpc(_NUM_, _NAME_)", ""),
        ("__BeforeSendRpc(_NUM_, _NAME_)", ""),
        ("__AfterSendRpc(_NUM_, _NAME_)", ""),
        ("__DeclareSendSimple(_NUM_, _NAME_)", ""),
        ("__BeforeSendSimple(_NUM_, _NAME_)", ""),
        ("__AfterSendSimple(_NUM_, _NAME_)", ""),
        ("__DeclareRcvRpc(_NUM_, _NAME_)", ""),
        ("__BeforeRcvRpc(_NUM_, _NAME_)", ""),
        ("__AfterRcvRpc(_NUM_, _NAME_)", ""),
        ("__DeclareRcvSimple(_NUM_, _NAME_)", ""),
        ("__BeforeRcvSimple(_NUM_, _NAME_)", ""),
        ("__AfterRcvSimple(_NUM_, _NAME_)", ""),
    ] {
        let bare = name.split('(').next().unwrap_or(name);
        w.directive(&format!("#ifndef\t{bare}"));
        if value.is_empty() {
            w.directive(&format!("#define\t{name}"));
        } else {
            w.directive(&format!("#define\t{name}\t{value}"));
        }
        w.directive(&format!("#endif\t/* {bare} */"));
    }
    w.line("");
    // A received header has its ports swapped: on the server side the request port is the local one.
    match side {
        Side::User => {
            w.directive("#define msgh_request_port\tmsgh_remote_port");
            w.directive("#define msgh_reply_port\t\tmsgh_local_port");
        }
        Side::Server => {
            // A kernel hands its own servers the message before the header's ports are swapped, so
            // there the request port is still the remote one (as Apple's mig writes it).
            if kernel_server {
                w.directive("#if\t__MigKernelSpecificCode");
                w.directive("#define msgh_request_port\tmsgh_remote_port");
                w.directive("#define MACH_MSGH_BITS_REQUEST(bits)\tMACH_MSGH_BITS_REMOTE(bits)");
                w.directive("#define msgh_reply_port\t\tmsgh_local_port");
                w.directive("#define MACH_MSGH_BITS_REPLY(bits)\tMACH_MSGH_BITS_LOCAL(bits)");
                w.directive("#else");
            }
            w.directive("#define msgh_request_port\tmsgh_local_port");
            w.directive("#define MACH_MSGH_BITS_REQUEST(bits)\tMACH_MSGH_BITS_LOCAL(bits)");
            w.directive("#define msgh_reply_port\t\tmsgh_remote_port");
            w.directive("#define MACH_MSGH_BITS_REPLY(bits)\tMACH_MSGH_BITS_REMOTE(bits)");
            if kernel_server {
                w.directive("#endif /* __MigKernelSpecificCode */");
            }
        }
    }
}

/// Writes the helpers in `helpers`, each under its own guard, so that generated files which need
/// different helpers can still share one translation unit. Writes nothing when none is needed.
pub fn write_helpers(w: &mut CWriter, helpers: Helpers) {
    if helpers.walign || helpers.pack || helpers.unpack {
        w.next_section();
        w.directive("#ifndef __MIGC_WALIGN");
        w.directive("#define __MIGC_WALIGN(x) (((x) + 3) & ~3u)");
        w.directive("#endif");
    }
    if helpers.pack {
        w.next_section();
        w.directive("#ifndef __MIGC_PACK__");
        w.directive("#define __MIGC_PACK__");
        w.line(
            "/* Closes the gap a variable field leaves when it is shorter than its maximum: the bytes from",
        );
        w.line(" * `max_end` on move down to `actual_end`, and the message shrinks by the difference. */");
        w.begin_block(
            "static __inline__ void __migc_pack(char *base, mach_msg_size_t *size, mach_msg_size_t max_end, mach_msg_size_t actual_end)",
        );
        w.line("memmove(base + actual_end, base + max_end, *size - max_end);");
        w.line("*size -= max_end - actual_end;");
        w.end_block("");
        w.directive("#endif /* __MIGC_PACK__ */");
    }
    if helpers.unpack {
        w.next_section();
        w.directive("#ifndef __MIGC_UNPACK__");
        w.directive("#define __MIGC_UNPACK__");
        w.line(
            "/* The reverse, for a received message: moves what follows a variable field to where the field's",
        );
        w.line(
            " * maximum ends, so later fields sit at their typedef offsets. Fails if the message is too short",
        );
        w.line(" * or would outgrow `limit`. */");
        w.begin_block(
            "static __inline__ int __migc_unpack(char *base, mach_msg_size_t *size, mach_msg_size_t limit, mach_msg_size_t max_end, mach_msg_size_t actual_end)",
        );
        w.line("mach_msg_size_t grow = max_end - actual_end;");
        w.line("if (actual_end > *size || *size + grow > limit)");
        w.line("\treturn 0;");
        w.line("memmove(base + max_end, base + actual_end, *size - actual_end);");
        w.line("*size += grow;");
        w.line("return 1;");
        w.end_block("");
        w.directive("#endif /* __MIGC_UNPACK__ */");
    }
    if helpers.strsize {
        w.next_section();
        w.directive("#ifndef __MIGC_STRSIZE__");
        w.directive("#define __MIGC_STRSIZE__");
        w.line("/* Length of a string in a fixed buffer, terminator included, at most `max`. */");
        w.begin_block(
            "static __inline__ mach_msg_type_number_t __migc_strsize(const char *s, mach_msg_type_number_t max)",
        );
        w.line("mach_msg_type_number_t n = 0;");
        w.line("while (n < max && s[n] != '\\0')");
        w.line("\tn++;");
        w.line("return n < max ? n + 1 : max;");
        w.end_block("");
        w.directive("#endif /* __MIGC_STRSIZE__ */");
    }
    if helpers.terminated {
        w.next_section();
        w.directive("#ifndef __MIGC_TERMINATED__");
        w.directive("#define __MIGC_TERMINATED__");
        w.line("/* Whether a received string is terminated within its buffer. */");
        w.begin_block("static __inline__ int __migc_terminated(const char *s, mach_msg_type_number_t max)");
        w.line("mach_msg_type_number_t n;");
        w.line("for (n = 0; n < max; n++)");
        w.line("\tif (s[n] == '\\0')");
        w.line("\t\treturn 1;");
        w.line("return 0;");
        w.end_block("");
        w.directive("#endif /* __MIGC_TERMINATED__ */");
    }
}

/// A variable field of a message with what its packing needs: the field, the end of its maximal
/// region (the next field's offset), the C expression for its element count given a message pointer
/// name, and the size of one element.
pub struct VariableField<'a> {
    /// The data field.
    pub field: &'a Field,
    /// Offset where its maximal region ends.
    pub max_end: u64,
    /// Name of the count field that gives its length.
    pub count_field: String,
}

/// The variable-length data fields of a message, in order.
pub fn variable_fields<'a>(routine: &Routine, message: &'a Message) -> Vec<VariableField<'a>> {
    let mut out = Vec::new();
    for (i, field) in message.fields.iter().enumerate() {
        if !(field.variable && field.role == FieldRole::Data) {
            continue;
        }
        let max_end = message.fields.get(i + 1).map_or(message.size, |f| f.offset);
        let Some(arg) = field.arg.and_then(|a| routine.args.get(a)) else { continue };
        let Some(count) = &arg.count else { continue };
        out.push(VariableField { field, max_end, count_field: count.clone() });
    }
    out
}

/// The maximum element count of a data field.
pub fn max_count(field: &Field) -> u64 {
    field.array_len.unwrap_or(1)
}

/// Writes a string literal of C text into `w` at the current indentation, line by line.
pub fn write_lines(w: &mut CWriter, text: &str) {
    for line in text.lines() {
        w.line(line);
    }
}

/// `MACH_MSG_TYPE_*` name of a disposition number, for readable generated code.
pub fn disposition_name(n: u32) -> String {
    match n {
        16 => "MACH_MSG_TYPE_MOVE_RECEIVE".into(),
        17 => "MACH_MSG_TYPE_MOVE_SEND".into(),
        18 => "MACH_MSG_TYPE_MOVE_SEND_ONCE".into(),
        19 => "MACH_MSG_TYPE_COPY_SEND".into(),
        20 => "MACH_MSG_TYPE_MAKE_SEND".into(),
        21 => "MACH_MSG_TYPE_MAKE_SEND_ONCE".into(),
        22 => "MACH_MSG_TYPE_COPY_RECEIVE".into(),
        other => other.to_string(),
    }
}

/// The element size of an array argument (1 for strings).
pub fn element_size(ty: &Type) -> u64 {
    match &ty.shape {
        Shape::Array(a) => {
            if a.element.is_port() {
                4
            } else {
                a.element.inline_size().unwrap_or(1)
            }
        }
        _ => 1,
    }
}

/// Formats `text` into a string (a small convenience for emitters).
pub fn fmt(args: std::fmt::Arguments<'_>) -> String {
    let mut s = String::new();
    let _ = s.write_fmt(args);
    s
}
