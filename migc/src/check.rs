//! Semantic analysis: the syntax tree to the [`model`](crate::model), with every error of the phase
//! collected and reported at once.
//!
//! MIG is order-sensitive like C: a type must be declared before it is used, and routine numbers count
//! up from the subsystem base in declaration order (`skip` takes a number too). Apple's rules decide what
//! is legal where; where they reject an input, so do we, with the place and a reason.

use std::collections::HashMap;

use codegen::{Diagnostic, Diagnostics, Names, Span, Target};

use crate::ast::{
    self, ArgType, ArrayBound, Direction, Expr, ExprKind, IpcName, Statement, TypeAttr, TypeSpec,
};
use crate::layout;
use crate::model::*;

/// `MACH_MSG_TYPE_*` names: (name, number, size in bits, port dispositions (send, receive)).
/// A `MACH_MSG_TYPE_*` entry: (name, number, size in bits, port dispositions (send, receive)).
type MsgType = (&'static str, u32, u64, Option<(u32, u32)>);

/// The message types by name: number, size in bits, and for ports the disposition a sender uses and
/// the one a receiver sees. `MACH_MSG_TYPE_PORT_*` name only what is received: the sender chooses (as
/// with `polymorphic`), so a user function takes the disposition as a parameter (`notifyPoly` of
/// `mach_port_request_notification`), as with Apple's mig.
const MSG_TYPES: &[MsgType] = &[
    ("MACH_MSG_TYPE_UNSTRUCTURED", 0, 0, None),
    ("MACH_MSG_TYPE_BIT", 0, 1, None),
    ("MACH_MSG_TYPE_BOOLEAN", 0, 32, None),
    ("MACH_MSG_TYPE_INTEGER_16", 1, 16, None),
    ("MACH_MSG_TYPE_INTEGER_32", 2, 32, None),
    ("MACH_MSG_TYPE_CHAR", 8, 8, None),
    ("MACH_MSG_TYPE_BYTE", 9, 8, None),
    ("MACH_MSG_TYPE_INTEGER_8", 9, 8, None),
    ("MACH_MSG_TYPE_REAL", 10, 0, None),
    ("MACH_MSG_TYPE_REAL_32", 10, 32, None),
    ("MACH_MSG_TYPE_REAL_64", 10, 64, None),
    ("MACH_MSG_TYPE_INTEGER_64", 11, 64, None),
    ("MACH_MSG_TYPE_STRING", 12, 0, None),
    ("MACH_MSG_TYPE_STRING_C", 12, 0, None),
    ("MACH_MSG_TYPE_PORT_NAME", 15, 32, None),
    ("MACH_MSG_TYPE_MOVE_RECEIVE", 16, 32, Some((16, 16))),
    ("MACH_MSG_TYPE_PORT_RECEIVE", 16, 32, Some((POLYMORPHIC, 16))),
    ("MACH_MSG_TYPE_MOVE_SEND", 17, 32, Some((17, 17))),
    ("MACH_MSG_TYPE_PORT_SEND", 17, 32, Some((POLYMORPHIC, 17))),
    ("MACH_MSG_TYPE_MOVE_SEND_ONCE", 18, 32, Some((18, 18))),
    ("MACH_MSG_TYPE_PORT_SEND_ONCE", 18, 32, Some((POLYMORPHIC, 18))),
    ("MACH_MSG_TYPE_COPY_SEND", 19, 32, Some((19, 17))),
    ("MACH_MSG_TYPE_MAKE_SEND", 20, 32, Some((20, 17))),
    ("MACH_MSG_TYPE_MAKE_SEND_ONCE", 21, 32, Some((21, 18))),
    ("MACH_MSG_TYPE_COPY_RECEIVE", 22, 32, Some((22, 16))),
];

/// The value MIG uses for a polymorphic disposition.
const POLYMORPHIC: u32 = u32::MAX;

/// How many arrays and structs a type may hold one inside the other. A type declared from another
/// copies it, so a chain of declarations (`type t2 = array[1] of t1;` ...) nests without nesting in
/// the text, and without a bound its copies grow with the square of the chain's length. Real
/// interfaces nest two or three.
pub const MAX_TYPE_NESTING: usize = 32;

/// Checks a parsed file and lowers it to a model for `target`.
pub fn check(
    file: &ast::File,
    source: &str,
    target: Target,
    main_file_span: Span,
) -> Result<Module, Diagnostics> {
    let mut checker = Checker { target, diagnostics: Diagnostics::new(), types: HashMap::new() };
    let module = checker.module(file, source, main_file_span);
    checker.diagnostics.propagate()?;
    // `module` is only `None` when an error was reported.
    module.ok_or_else(|| Diagnostics::from(Diagnostic::unlocated("internal error: no module")))
}

struct Checker {
    target: Target,
    diagnostics: Diagnostics,
    types: HashMap<String, Type>,
}

impl Checker {
    fn error(&mut self, message: impl Into<String>, span: Span) -> &mut Diagnostic {
        self.diagnostics.push(Diagnostic::error(message, span));
        self.diagnostics.items.last_mut().expect("just pushed")
    }

    fn module(&mut self, file: &ast::File, source: &str, main_file_span: Span) -> Option<Module> {
        let mut subsystem: Option<Subsystem> = None;
        let mut routines: Vec<Routine> = Vec::new();
        let mut seen_routines: HashMap<String, Span> = HashMap::new();
        let mut module = Module {
            source: source.to_string(),
            target: self.target,
            subsystem: Subsystem {
                name: String::new(),
                names: Names::camel(""),
                base: 0,
                kernel_user: false,
                kernel_server: false,
                span: main_file_span,
            },
            routines: Vec::new(),
            imports: Vec::new(),
            user_prefix: String::new(),
            server_prefix: String::new(),
            server_demux: None,
            rcs_ids: Vec::new(),
            wait_time: None,
            send_time: None,
            msg_option: None,
            use_special_reply_port: false,
            consume_on_send_error: None,
            user_type_limit: None,
            on_stack_limit: None,
            error_function: None,
        };
        for statement in &file.statements {
            match statement {
                Statement::Subsystem(decl) => {
                    if let Some(first) = &subsystem {
                        let first_span = first.span;
                        self.error("more than one `subsystem` declaration", decl.span)
                            .secondary
                            .push((first_span, "first declared here".to_string()));
                        continue;
                    }
                    let base = self.eval(&decl.base).unwrap_or(0);
                    let base = u32::try_from(base).unwrap_or_else(|_| {
                        self.error(
                            format!("subsystem base {base} does not fit in a message id"),
                            decl.base.span,
                        );
                        0
                    });
                    subsystem = Some(Subsystem {
                        name: decl.name.name.clone(),
                        names: Names::camel(&decl.name.name),
                        base,
                        kernel_user: decl.kernel_user,
                        kernel_server: decl.kernel_server,
                        span: decl.span,
                    });
                }
                Statement::Routine(decl) => {
                    if let Some(first) = seen_routines.get(&decl.name.name) {
                        let first = *first;
                        self.error(format!("duplicate routine `{}`", decl.name.name), decl.name.span)
                            .secondary
                            .push((first, "first declared here".to_string()));
                    } else {
                        seen_routines.insert(decl.name.name.clone(), decl.name.span);
                    }
                    let number = routines.len() as u32;
                    if let Some(routine) = self.routine(decl, number) {
                        routines.push(routine);
                    } else {
                        routines.push(skip(number, decl.span));
                    }
                }
                Statement::Skip(span) => {
                    let number = routines.len() as u32;
                    routines.push(skip(number, *span));
                }
                Statement::Type(named) => {
                    if let Some(ty) = self.named_type(named) {
                        self.types.insert(named.name.name.clone(), ty);
                    }
                }
                Statement::Import(import) => module.imports.push(Import {
                    kind: match import.kind {
                        ast::ImportKind::All => ImportKind::All,
                        ast::ImportKind::User => ImportKind::User,
                        ast::ImportKind::Server => ImportKind::Server,
                        ast::ImportKind::Definitions => ImportKind::Definitions,
                        ast::ImportKind::Internal => ImportKind::Internal,
                    },
                    file: import.file.clone(),
                }),
                Statement::Prefix(kind, ident) => match kind {
                    ast::PrefixKind::Server => module.server_prefix = ident.name.clone(),
                    ast::PrefixKind::User => module.user_prefix = ident.name.clone(),
                    ast::PrefixKind::ServerDemux => module.server_demux = Some(ident.name.clone()),
                },
                Statement::RcsId(text, _) => module.rcs_ids.push(text.clone()),
                Statement::Option(kind, word, span) => {
                    let value = word.as_ref().map(|w| w.name.clone());
                    let needs_value = matches!(
                        kind,
                        ast::OptionKind::MsgOption
                            | ast::OptionKind::WaitTime
                            | ast::OptionKind::SendTime
                            | ast::OptionKind::ConsumeOnSendError
                    );
                    if needs_value && value.is_none() {
                        self.error("this statement needs a value", *span);
                        continue;
                    }
                    match kind {
                        ast::OptionKind::MsgOption => module.msg_option = value,
                        ast::OptionKind::WaitTime => module.wait_time = value,
                        ast::OptionKind::NoWaitTime => module.wait_time = None,
                        ast::OptionKind::SendTime => module.send_time = value,
                        ast::OptionKind::NoSendTime => module.send_time = None,
                        ast::OptionKind::ConsumeOnSendError => module.consume_on_send_error = value,
                    }
                }
                Statement::Number(kind, expr, _) => {
                    let value = self.eval(expr);
                    match kind {
                        ast::NumberKind::UseSpecialReplyPort => {
                            module.use_special_reply_port = value.unwrap_or(0) != 0
                        }
                        ast::NumberKind::UserTypeLimit => module.user_type_limit = value,
                        ast::NumberKind::OnStackLimit => module.on_stack_limit = value,
                    }
                }
                Statement::Error(ident) => module.error_function = Some(ident.name.clone()),
            }
        }
        let Some(subsystem) = subsystem else {
            let span = Span { file: main_file_span.file, start: 0, end: 0 };
            self.error("no `subsystem` declaration", span)
                .notes
                .push("help: a file that only declares types is meant to be `#include`d by an interface file; an interface starts with `subsystem <name> <base>;`".to_string());
            return None;
        };
        for routine in &mut routines {
            routine.msgh_id = subsystem.base.wrapping_add(routine.number);
            if routine.kind == RoutineKind::Routine {
                routine.reply_msgh_id = Some(routine.msgh_id.wrapping_add(100));
            }
        }
        module.subsystem = subsystem;
        module.routines = routines;
        Some(module)
    }

    fn routine(&mut self, decl: &ast::RoutineDecl, number: u32) -> Option<Routine> {
        let kind = if decl.simple { RoutineKind::SimpleRoutine } else { RoutineKind::Routine };
        let errors_before = self.diagnostics.items.len();
        let mut args: Vec<Arg> = Vec::new();
        let mut names: HashMap<&str, Span> = HashMap::new();
        let mut last_count: Option<String> = None;
        // Without an explicit `RequestPort`, the first argument is the request port.
        let explicit_request_port =
            decl.args.iter().any(|a| matches!(a.direction, Some((Direction::RequestPort, _))));
        for (index, a) in decl.args.iter().enumerate() {
            if let Some(first) = names.get(a.name.name.as_str()) {
                let first = *first;
                self.error(format!("duplicate argument `{}`", a.name.name), a.name.span)
                    .secondary
                    .push((first, "first declared here".to_string()));
            }
            names.insert(&a.name.name, a.name.span);
            let ty = match &a.ty {
                ArgType::Named(named) => {
                    let ty = self.named_type(named);
                    if let Some(ty) = &ty {
                        self.types.insert(named.name.name.clone(), ty.clone());
                    }
                    ty
                }
                ArgType::Spec(spec) => self.type_spec(spec),
            };
            let Some(ty) = ty else { continue };
            let arg_kind = match a.direction {
                Some((d, _)) => direction_kind(d),
                None if index == 0 && !explicit_request_port => ArgKind::RequestPort,
                None => ArgKind::In,
            };
            let flags = self.flags(&a.flags, &ty, arg_kind);
            let kind_span = a.direction.map(|(_, s)| s).unwrap_or(a.name.span);
            self.check_kind(arg_kind, &ty, &a.name, kind_span, decl);
            let mut count = None;
            if ty.is_variable() && matches!(arg_kind, ArgKind::In | ArgKind::Out | ArgKind::InOut) {
                if flags.same_count {
                    match &last_count {
                        Some(c) => count = Some(c.clone()),
                        None => {
                            self.error(
                                format!(
                                    "`SameCount` on `{}`, but no variable array comes before it",
                                    a.name.name
                                ),
                                a.span,
                            );
                        }
                    }
                } else {
                    let name = format!("{}Cnt", a.name.name);
                    last_count = Some(name.clone());
                    count = Some(name);
                }
            } else if flags.same_count {
                self.error(
                    format!("`SameCount` on `{}`, which is not a variable array", a.name.name),
                    a.span,
                );
            }
            if flags.count_in_out && !(arg_kind == ArgKind::Out && ty.is_variable()) {
                self.error(
                    format!("`CountInOut` on `{}`, which is not an `out` variable array", a.name.name),
                    a.span,
                );
            }
            let poly = ty.is_polymorphic().then(|| format!("{}Poly", a.name.name));
            args.push(Arg {
                name: a.name.name.clone(),
                names: Names::snake(&a.name.name),
                kind: arg_kind,
                ty,
                flags,
                count,
                poly,
                span: a.span,
            });
        }
        if decl.args.is_empty() {
            self.error(format!("routine `{}` has no arguments", decl.name.name), decl.name.span)
                .notes
                .push("help: the first argument is the port the request is sent to".to_string());
        }
        let request_ports: Vec<usize> =
            args.iter().enumerate().filter(|(_, a)| a.kind == ArgKind::RequestPort).map(|(i, _)| i).collect();
        if request_ports.len() > 1 {
            let second = args[request_ports[1]].span;
            self.error(format!("routine `{}` has more than one request port", decl.name.name), second);
        }
        let reply_ports: Vec<usize> = args
            .iter()
            .enumerate()
            .filter(|(_, a)| matches!(a.kind, ArgKind::ReplyPort | ArgKind::SReplyPort | ArgKind::UReplyPort))
            .map(|(i, _)| i)
            .collect();
        if reply_ports.len() > 1 {
            let second = args[reply_ports[1]].span;
            self.error(format!("routine `{}` has more than one reply port", decl.name.name), second);
        }
        if self.diagnostics.items.len() > errors_before {
            return None;
        }
        let request = layout::request(&args, self.target);
        let reply = (kind == RoutineKind::Routine).then(|| layout::reply(&args, self.target));
        Some(Routine {
            number,
            name: decl.name.name.clone(),
            names: Names::snake(&decl.name.name),
            kind,
            msgh_id: 0,
            reply_msgh_id: None,
            args,
            request,
            reply,
            request_port: request_ports.first().copied(),
            reply_port: reply_ports.first().copied(),
            span: decl.span,
        })
    }

    fn check_kind(
        &mut self,
        kind: ArgKind,
        ty: &Type,
        name: &ast::Ident,
        span: Span,
        decl: &ast::RoutineDecl,
    ) {
        let type_name = if ty.name.is_empty() { "this type".to_string() } else { format!("`{}`", ty.name) };
        let keyword = kind_keyword(kind);
        match kind {
            ArgKind::RequestPort | ArgKind::ReplyPort | ArgKind::SReplyPort | ArgKind::UReplyPort => {
                if !ty.is_port() {
                    let what = if kind == ArgKind::RequestPort && span == name.span {
                        format!("the request port `{}` (the first argument) must be a port", name.name)
                    } else {
                        format!("`{keyword}` argument `{}` must be a port", name.name)
                    };
                    self.error(what, span).set_label(format!("{type_name} is not a port type"));
                }
            }
            ArgKind::WaitTime | ArgKind::SendTime | ArgKind::MsgOption | ArgKind::MsgSeqno => {
                if !matches!(ty.shape, Shape::Scalar(_)) {
                    self.error(format!("`{keyword}` argument `{}` must be an integer", name.name), span)
                        .set_label(format!("{type_name} is not an integer type"));
                }
            }
            ArgKind::ServerImpl | ArgKind::UserImpl => {
                self.error(format!("`{keyword}` arguments are not supported by migc"), span);
            }
            ArgKind::SecToken
            | ArgKind::ServerSecToken
            | ArgKind::UserSecToken
            | ArgKind::AuditToken
            | ArgKind::ServerAuditToken
            | ArgKind::UserAuditToken
            | ArgKind::ServerContextToken => {
                if ty.is_port() || ty.array().is_some_and(|a| a.out_of_line || a.variable) {
                    self.error(format!("`{keyword}` argument `{}` must be inline data", name.name), span)
                        .set_label(format!("{type_name} is not inline data"));
                }
            }
            ArgKind::Out | ArgKind::InOut if decl.simple => {
                self.error(
                    format!(
                        "simpleroutine `{}` has no reply, so `{}` cannot be `{keyword}`",
                        decl.name.name, name.name
                    ),
                    span,
                );
            }
            ArgKind::In | ArgKind::Out | ArgKind::InOut => {}
        }
    }

    fn flags(&mut self, flags: &[ast::Flag], ty: &Type, kind: ArgKind) -> ArgFlags {
        let mut out = ArgFlags::default();
        for flag in flags {
            match flag.name.to_ascii_lowercase().as_str() {
                "dealloc" => out.dealloc = Dealloc::Always,
                "dealloc[]" => out.dealloc = Dealloc::Conditional,
                "notdealloc" => out.dealloc = Dealloc::Never,
                "countinout" => out.count_in_out = true,
                "samecount" => out.same_count = true,
                "physicalcopy" => out.physical_copy = true,
                "overwrite" => out.overwrite = true,
                "retcode" => out.ret_code = true,
                "auto" => out.auto = true,
                "const" => out.constant = true,
                "servercopy" => {}
                _ => {
                    self.error(format!("unknown argument flag `{}`", flag.name), flag.span).notes.push(
                        "note: flags are Dealloc, Dealloc[], NotDealloc, CountInOut, SameCount, PhysicalCopy, Overwrite, RetCode, Auto, Const"
                            .to_string(),
                    );
                }
            }
            let lower = flag.name.to_ascii_lowercase();
            if (lower == "dealloc" || lower == "dealloc[]")
                && !(ty.is_port() || ty.array().is_some_and(|a| a.out_of_line))
            {
                self.error(format!("`{}` needs a port or out-of-line argument", flag.name), flag.span);
            }
            if lower == "overwrite" && !(kind == ArgKind::Out && ty.array().is_some_and(|a| a.out_of_line)) {
                self.error("`Overwrite` needs an `out` out-of-line argument", flag.span);
            }
        }
        out
    }

    fn named_type(&mut self, named: &ast::NamedType) -> Option<Type> {
        let mut ty = self.type_spec(&named.spec)?;
        // A type declared from another starts with fresh C names and translations, as in MIG's
        // `itResetType`: `type task_t = mach_port_t;` is `task_t` in C, not `mach_port_t`.
        ty.name = named.name.name.clone();
        ty.user_c = named.name.name.clone();
        ty.server_c = named.name.name.clone();
        ty.intran = None;
        ty.outtran = None;
        ty.destructor = None;
        let mut ctype: Option<String> = None;
        let mut user: Option<String> = None;
        let mut server: Option<String> = None;
        for attr in &named.attrs {
            match attr {
                TypeAttr::CType(t) => ctype = Some(t.name.clone()),
                TypeAttr::CUserType(t) => user = Some(t.name.clone()),
                TypeAttr::CServerType(t) => server = Some(t.name.clone()),
                TypeAttr::InTran { ty: to, function, from } => {
                    server.get_or_insert_with(|| from.name.clone());
                    ty.intran = Some(Translation { ty: to.name.clone(), function: function.name.clone() })
                }
                TypeAttr::OutTran { ty: to, function, from } => {
                    ty.outtran = Some(Translation { ty: from.name.clone(), function: function.name.clone() });
                    let _ = to;
                }
                TypeAttr::Destructor { function, .. } => ty.destructor = Some(function.name.clone()),
                TypeAttr::InTranPayload { ty: to, function } => {
                    ty.intran = Some(Translation { ty: to.name.clone(), function: function.name.clone() })
                }
            }
        }
        if let Some(c) = ctype {
            ty.user_c = c.clone();
            ty.server_c = c;
        }
        if let Some(u) = user {
            ty.user_c = u;
        }
        if let Some(s) = server {
            ty.server_c = s;
        }
        Some(ty)
    }

    fn type_spec(&mut self, spec: &TypeSpec) -> Option<Type> {
        match spec {
            TypeSpec::Ipc { first, second, span } => self.ipc_type(first, second.as_ref(), None, *span),
            TypeSpec::Sized { first, second, size, flags, span } => {
                let bits = self.eval(size)?;
                for flag in flags {
                    if !flag.name.eq_ignore_ascii_case("dealloc")
                        && !flag.name.eq_ignore_ascii_case("notdealloc")
                    {
                        self.error(format!("unknown type flag `{}`", flag.name), flag.span);
                    }
                }
                self.ipc_type(first, second.as_ref(), Some((bits, size.span)), *span)
            }
            TypeSpec::Array { bound, element, span } => {
                let element_ty = self.type_spec(element)?;
                let (count, variable, out_of_line) = match bound {
                    ArrayBound::Unbounded | ArrayBound::Star => (None, true, true),
                    ArrayBound::Max(e) => (Some(self.bound(e)?), true, false),
                    ArrayBound::Fixed(e) => (Some(self.bound(e)?), false, false),
                };
                self.array_element_ok(&element_ty, element.span())?;
                self.nesting_ok(&element_ty, *span)?;
                let array = Array { element: element_ty, count, variable, out_of_line };
                self.size_ok(anonymous(Shape::Array(Box::new(array))), *span)
            }
            TypeSpec::Struct { count, element, span } => {
                let n = self.bound(count)?;
                let element_ty = self.type_spec(element)?;
                if element_ty.is_port() || element_ty.array().is_some_and(|a| a.out_of_line || a.variable) {
                    self.error("a `struct` can only hold fixed-size inline data", *span);
                    return None;
                }
                if matches!(element_ty.shape, Shape::CString { .. }) {
                    self.error("a `struct` of `c_string` is not supported", *span);
                    return None;
                }
                self.nesting_ok(&element_ty, *span)?;
                self.size_ok(anonymous(Shape::Struct(Box::new(element_ty), n)), *span)
            }
            TypeSpec::Pointer { inner, span } => {
                let inner_ty = self.type_spec(inner)?;
                let array = match inner_ty.shape {
                    Shape::Array(a) => {
                        if a.out_of_line && matches!(**inner, TypeSpec::Pointer { .. }) {
                            self.error("`^` applied twice", *span);
                            return None;
                        }
                        Array { out_of_line: true, ..*a }
                    }
                    Shape::Struct(element, n) => {
                        Array { element: *element, count: Some(n), variable: false, out_of_line: true }
                    }
                    Shape::CString { .. } => {
                        self.error("a `c_string` cannot be sent out of line", *span);
                        return None;
                    }
                    _ => Array {
                        element: Type { shape: inner_ty.shape.clone(), ..inner_ty.clone() },
                        count: Some(1),
                        variable: false,
                        out_of_line: true,
                    },
                };
                Some(anonymous(Shape::Array(Box::new(array))))
            }
            TypeSpec::CString { max, variable, .. } => {
                let n = self.bound(max)?;
                let mut ty = anonymous(Shape::CString { max: n, variable: *variable });
                ty.user_c = "char".into();
                ty.server_c = "char".into();
                Some(ty)
            }
        }
    }

    /// Rejects a fixed-size type that could not fit in a message (a Mach message size is 32 bits).
    fn size_ok(&mut self, ty: Type, span: Span) -> Option<Type> {
        let unbounded = ty.array().is_some_and(|a| a.count.is_none());
        match ty.inline_size() {
            Some(n) if n <= u64::from(u32::MAX) => Some(ty),
            None if unbounded => Some(ty),
            _ => {
                self.error("this type is too large for a message", span);
                None
            }
        }
    }

    /// Rejects an element that already holds [`MAX_TYPE_NESTING`] arrays and structs.
    fn nesting_ok(&mut self, element: &Type, span: Span) -> Option<()> {
        let mut depth = 0;
        let mut ty = element;
        loop {
            match &ty.shape {
                Shape::Array(a) => ty = &a.element,
                Shape::Struct(inner, _) => ty = inner,
                _ => break,
            }
            depth += 1;
        }
        if depth < MAX_TYPE_NESTING {
            return Some(());
        }
        self.error(format!("this type nests more than {MAX_TYPE_NESTING} arrays and structs"), span);
        None
    }

    fn array_element_ok(&mut self, element: &Type, span: Span) -> Option<()> {
        let problem = match &element.shape {
            Shape::Array(a) if a.variable || a.out_of_line => {
                Some("an array element cannot be a variable or out-of-line array")
            }
            Shape::CString { .. } => Some("an array of `c_string` is not supported"),
            _ => None,
        };
        match problem {
            Some(p) => {
                self.error(p, span);
                None
            }
            None => Some(()),
        }
    }

    fn ipc_type(
        &mut self,
        first: &IpcName,
        second: Option<&IpcName>,
        size: Option<(u64, Span)>,
        span: Span,
    ) -> Option<Type> {
        // A lone name that is not a MACH_MSG_TYPE constant refers to an earlier type.
        if let (IpcName::Name(ident), None, None) = (first, second, size)
            && msg_type(&ident.name).is_none()
        {
            return match self.types.get(&ident.name) {
                Some(ty) => Some(ty.clone()),
                None => {
                    let suggestion = self.suggest(&ident.name);
                    let d = self.error(format!("unknown type `{}`", ident.name), ident.span);
                    if let Some(s) = suggestion {
                        d.set_label(format!("did you mean `{s}`?"));
                    }
                    None
                }
            };
        }
        let a = self.msg_type_of(first)?;
        let b = match second {
            Some(n) => Some(self.msg_type_of(n)?),
            None => None,
        };
        let bits = match size {
            Some((bits, _)) => bits,
            None => a.2.max(b.map_or(0, |b| b.2)),
        };
        let is_port =
            a.3.is_some() || a.1 == POLYMORPHIC || b.is_some_and(|b| b.3.is_some() || b.1 == POLYMORPHIC);
        if is_port {
            let send = if a.1 == POLYMORPHIC { None } else { a.3.map(|p| p.0).filter(|&d| d != POLYMORPHIC) };
            let receive = match b {
                Some(b) if b.1 == POLYMORPHIC => None,
                Some(b) => b.3.map(|p| p.1).or(Some(b.1)),
                None if a.1 == POLYMORPHIC => None,
                None => a.3.map(|p| p.1),
            };
            let mut ty = anonymous(Shape::Port(PortType { send, receive }));
            ty.user_c = "mach_port_t".into();
            ty.server_c = "mach_port_t".into();
            return Some(ty);
        }
        if bits == 0 || bits % 8 != 0 {
            let at = size.map(|(_, s)| s).unwrap_or(span);
            self.error(
                format!("the size of this type must be a positive multiple of 8 bits, not {bits}"),
                at,
            )
            .notes
            .push("help: give the size explicitly, as in `(MACH_MSG_TYPE_REAL, 32)`".to_string());
            return None;
        }
        let mut ty = anonymous(Shape::Scalar(Scalar { msg_type: a.1, size: bits / 8 }));
        let c = default_c_type(a.1, bits / 8);
        ty.user_c = c.to_string();
        ty.server_c = c.to_string();
        Some(ty)
    }

    /// (name, number, bits, port dispositions) of a primitive IPC type name or number.
    fn msg_type_of(&mut self, name: &IpcName) -> Option<MsgType> {
        match name {
            IpcName::Number(n, span) => {
                let found = MSG_TYPES.iter().find(|t| u64::from(t.1) == *n && t.2 > 0).copied();
                if found.is_none() {
                    self.error(format!("unknown message type number {n}"), *span);
                }
                found
            }
            IpcName::Name(ident) => {
                let found = msg_type(&ident.name);
                if found.is_none() {
                    self.error(format!("`{}` is not a `MACH_MSG_TYPE_*` constant", ident.name), ident.span);
                }
                found
            }
        }
    }

    fn suggest(&self, name: &str) -> Option<String> {
        let mut best: Option<(usize, &String)> = None;
        for candidate in self.types.keys() {
            let d = edit_distance(name, candidate);
            if d <= (name.len() / 3).max(1)
                && best.is_none_or(|(bd, bc)| d < bd || (d == bd && candidate < bc))
            {
                best = Some((d, candidate));
            }
        }
        best.map(|(_, c)| c.clone())
    }

    fn bound(&mut self, expr: &Expr) -> Option<u64> {
        let n = self.eval(expr)?;
        if n == 0 {
            self.error("bad array bound: 0", expr.span).set_label("must be at least 1".to_string());
            return None;
        }
        if n > u64::from(u32::MAX) {
            self.error(format!("bad array bound: {n} is too large for a message"), expr.span);
            return None;
        }
        Some(n)
    }

    fn eval(&mut self, expr: &Expr) -> Option<u64> {
        match &expr.kind {
            ExprKind::Number(n) => {
                if *n == u64::MAX {
                    self.error("number too large", expr.span);
                    return None;
                }
                Some(*n)
            }
            ExprKind::Name(name) => {
                self.error(format!("`{name}` is not a number"), expr.span).notes.push(
                    "help: after preprocessing, sizes must be numbers; is the header that defines it included?"
                        .to_string(),
                );
                None
            }
            ExprKind::Binary(a, op, b) => {
                let (x, y) = (self.eval(a)?, self.eval(b)?);
                let result = match op {
                    ast::BinOp::Add => x.checked_add(y),
                    ast::BinOp::Sub => x.checked_sub(y),
                    ast::BinOp::Mul => x.checked_mul(y),
                    ast::BinOp::Div => x.checked_div(y),
                };
                if result.is_none() {
                    let why = match op {
                        ast::BinOp::Div if y == 0 => "division by zero",
                        ast::BinOp::Sub => "the result is negative",
                        _ => "the result overflows",
                    };
                    self.error(format!("bad constant expression: {why}"), expr.span);
                }
                result
            }
        }
    }
}

/// Sets the text under a diagnostic's caret.
trait SetLabel {
    fn set_label(&mut self, label: String);
}

impl SetLabel for Diagnostic {
    fn set_label(&mut self, label: String) {
        if let Some(p) = self.primary.as_mut() {
            p.1 = label;
        }
    }
}

fn skip(number: u32, span: Span) -> Routine {
    Routine {
        number,
        name: "skip".into(),
        names: Names::snake("skip"),
        kind: RoutineKind::Skip,
        msgh_id: 0,
        reply_msgh_id: None,
        args: Vec::new(),
        request: Message::default(),
        reply: None,
        request_port: None,
        reply_port: None,
        span,
    }
}

fn anonymous(shape: Shape) -> Type {
    Type {
        name: String::new(),
        user_c: String::new(),
        server_c: String::new(),
        intran: None,
        outtran: None,
        destructor: None,
        shape,
    }
}

fn msg_type(name: &str) -> Option<MsgType> {
    if name.eq_ignore_ascii_case("polymorphic") || name.eq_ignore_ascii_case("MACH_MSG_TYPE_POLYMORPHIC") {
        return Some(("MACH_MSG_TYPE_POLYMORPHIC", POLYMORPHIC, 32, None));
    }
    MSG_TYPES.iter().find(|t| t.0.eq_ignore_ascii_case(name)).copied()
}

/// The C type of an anonymous scalar (MIG names these after the message type).
fn default_c_type(msg_type: u32, size: u64) -> &'static str {
    match (msg_type, size) {
        (0, 4) => "boolean_t",
        (8, 1) => "char",
        (9, 1) => "uint8_t",
        (1, 2) => "int16_t",
        (10, 4) => "float",
        (10, 8) => "double",
        (11, 8) => "int64_t",
        (15, _) => "mach_port_name_t",
        (_, 1) => "uint8_t",
        (_, 2) => "int16_t",
        (_, 8) => "int64_t",
        _ => "int",
    }
}

fn direction_kind(d: Direction) -> ArgKind {
    match d {
        Direction::In => ArgKind::In,
        Direction::Out => ArgKind::Out,
        Direction::InOut => ArgKind::InOut,
        Direction::RequestPort => ArgKind::RequestPort,
        Direction::ReplyPort => ArgKind::ReplyPort,
        Direction::SReplyPort => ArgKind::SReplyPort,
        Direction::UReplyPort => ArgKind::UReplyPort,
        Direction::WaitTime => ArgKind::WaitTime,
        Direction::SendTime => ArgKind::SendTime,
        Direction::MsgOption => ArgKind::MsgOption,
        Direction::MsgSeqno => ArgKind::MsgSeqno,
        Direction::SecToken => ArgKind::SecToken,
        Direction::ServerSecToken => ArgKind::ServerSecToken,
        Direction::UserSecToken => ArgKind::UserSecToken,
        Direction::AuditToken => ArgKind::AuditToken,
        Direction::ServerAuditToken => ArgKind::ServerAuditToken,
        Direction::UserAuditToken => ArgKind::UserAuditToken,
        Direction::ServerContextToken => ArgKind::ServerContextToken,
        Direction::ServerImpl => ArgKind::ServerImpl,
        Direction::UserImpl => ArgKind::UserImpl,
    }
}

/// The keyword of an argument kind, for messages.
pub fn kind_keyword(kind: ArgKind) -> &'static str {
    match kind {
        ArgKind::In => "in",
        ArgKind::Out => "out",
        ArgKind::InOut => "inout",
        ArgKind::RequestPort => "RequestPort",
        ArgKind::ReplyPort => "ReplyPort",
        ArgKind::SReplyPort => "SReplyPort",
        ArgKind::UReplyPort => "UReplyPort",
        ArgKind::WaitTime => "WaitTime",
        ArgKind::SendTime => "SendTime",
        ArgKind::MsgOption => "MsgOption",
        ArgKind::MsgSeqno => "MsgSeqno",
        ArgKind::SecToken => "SecToken",
        ArgKind::ServerSecToken => "ServerSecToken",
        ArgKind::UserSecToken => "UserSecToken",
        ArgKind::AuditToken => "AuditToken",
        ArgKind::ServerAuditToken => "ServerAuditToken",
        ArgKind::UserAuditToken => "UserAuditToken",
        ArgKind::ServerContextToken => "ServerContextToken",
        ArgKind::ServerImpl => "ServerImpl",
        ArgKind::UserImpl => "UserImpl",
    }
}

/// Levenshtein distance, for "did you mean" suggestions.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb { prev } else { 1 + prev.min(row[j]).min(row[j + 1]) };
            prev = cur;
        }
    }
    row[b.len()]
}
