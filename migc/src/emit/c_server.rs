//! `<name>Server.c`: the server stubs. For every routine a `__MIG_check__Request__<routine>_t` that
//! validates (and unpacks) a received request with MIG's error codes, and a `_X<routine>` stub that
//! calls the implementation and builds the reply; then the `<subsystem>_subsystem` table and the
//! `<subsystem>_server` / `_server_routine` demux.
//!
//! The source repeats the server header's declarations and typedefs (all guarded) so that it compiles on
//! its own, as Apple's does.

use std::fmt::Write;

use codegen::{CWriter, CommentStyle, preamble};

use super::FileNames;
use super::c_common::*;
use super::c_server_header::{subsystem_table_name, write_declarations};
use crate::model::*;

/// The server source for `module`.
pub fn emit(module: &Module, names: &FileNames) -> String {
    let mut w = CWriter::new();
    let name = &module.subsystem.name;
    w.line(&format!("/* Module {name} */"));
    w.line("");
    w.directive(&format!("#define\t__MIG_check__Request__{name}_subsystem__ 1"));
    w.line("");
    write_pack_default(&mut w);
    w.line("");
    for include in BASE_INCLUDES {
        w.directive(&format!("#include <{include}>"));
    }
    w.line("");
    write_imports(&mut w, module, ImportsFor::ServerSource);
    w.line("");
    write_source_defaults(&mut w, Side::Server, module.subsystem.kernel_server);
    // The stubs are written first, so that only the helpers they call are printed before them.
    let mut stubs = Source::new();
    for routine in module.real_routines() {
        stubs.line("");
        write_check(&mut stubs, module, routine);
        stubs.line("");
        write_stub(&mut stubs, module, routine);
    }
    write_helpers(&mut w, stubs.helpers);
    w.line("");
    w.directive("#ifndef MIG_SERVER_ROUTINE");
    w.directive("#define MIG_SERVER_ROUTINE");
    w.directive("#endif");
    w.line("");
    w.directive("#ifndef\tMIG_RETURN_ERROR");
    w.directive("#define\tMIG_RETURN_ERROR(X, code)\t{\\");
    w.directive("\t\t\t\t((mig_reply_error_t *)X)->RetCode = code;\\");
    w.directive("\t\t\t\t((mig_reply_error_t *)X)->NDR = NDR_record;\\");
    w.directive("\t\t\t\treturn;\\");
    w.directive("\t\t\t\t}");
    w.directive("#endif\t/* MIG_RETURN_ERROR */");
    write_declarations(&mut w, module);
    write_typedef_section(&mut w, module, Side::Server, true);
    write_typedef_section(&mut w, module, Side::Server, false);
    let _ = w.write_str(stubs.body());
    w.line("");
    write_subsystem(&mut w, module);
    w.line("");
    write_demux(&mut w, module);
    let mut out = String::new();
    let _ = write!(out, "{}", preamble("migc", &names.source, CommentStyle::C));
    w.finish(&out)
}

fn write_check(w: &mut Source, module: &Module, routine: &Routine) {
    let r = &routine.name;
    let msg = &routine.request;
    let _ = module;
    w.directive(&format!("#if !defined(__MIG_check__Request__{r}_t__defined)"));
    w.directive(&format!("#define __MIG_check__Request__{r}_t__defined"));
    w.line("");
    w.line(&format!("mig_internal kern_return_t __MIG_check__Request__{r}_t(__Request__{r}_t *In0P)"));
    w.begin_block("");
    w.line(&format!("typedef __Request__{r}_t __Request;"));
    w.line("mach_msg_size_t msgh_size = In0P->Head.msgh_size;");
    w.line("");
    if msg.complex {
        w.line("if (!(In0P->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX) ||");
        w.line(&format!("    In0P->msgh_body.msgh_descriptor_count != {})", msg.descriptors));
        w.line("\treturn MIG_BAD_ARGUMENTS;");
    } else {
        w.line("if (In0P->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX)");
        w.line("\treturn MIG_BAD_ARGUMENTS;");
    }
    w.line(&format!(
        "if (msgh_size < (mach_msg_size_t){} || msgh_size > (mach_msg_size_t)sizeof(__Request))",
        msg.min_size
    ));
    w.line("\treturn MIG_BAD_ARGUMENTS;");
    write_descriptor_checks(w, routine, msg, "In0P", "MIG_TYPE_ERROR", true);
    write_unpack(w, routine, msg, "In0P", "__Request", "MIG_BAD_ARGUMENTS");
    write_string_checks(w, routine, msg, "In0P", "MIG_BAD_ARGUMENTS");
    w.line("return MACH_MSG_SUCCESS;");
    w.end_block("");
    w.directive(&format!("#endif /* !defined(__MIG_check__Request__{r}_t__defined) */"));
}

/// Checks every descriptor's type (and, for ports of a fixed disposition, the disposition the receiver
/// must see), and that out-of-line sizes agree with their counts.
pub fn write_descriptor_checks(
    w: &mut CWriter,
    routine: &Routine,
    msg: &Message,
    p: &str,
    error: &str,
    request: bool,
) {
    for field in &msg.fields {
        let FieldRole::Descriptor(kind) = field.role else { continue };
        let Some(arg) = field.arg.and_then(|a| routine.args.get(a)) else { continue };
        let element_port = match &arg.ty.shape {
            Shape::Port(pt) => Some(*pt),
            Shape::Array(a) => match &a.element.shape {
                Shape::Port(pt) => Some(*pt),
                _ => None,
            },
            _ => None,
        };
        let disposition = element_port.and_then(|pt| pt.receive);
        let access = |i: Option<u64>| match i {
            Some(i) => format!("{p}->{}[{i}]", field.name),
            None => format!("{p}->{}", field.name),
        };
        let indices: Vec<Option<u64>> = match field.array_len {
            Some(n) => (0..n).map(Some).collect(),
            None => vec![None],
        };
        for i in indices {
            let d = access(i);
            let mut cond = format!("{d}.type != {}", kind.type_constant());
            if kind == DescriptorKind::OutOfLine {
                cond = format!(
                    "({d}.type != MACH_MSG_OOL_DESCRIPTOR && {d}.type != MACH_MSG_OOL_VOLATILE_DESCRIPTOR)"
                );
            }
            if let (Some(disp), true) = (disposition, kind != DescriptorKind::OutOfLine) {
                // A port sent with MACH_MSG_TYPE_PORT_NULL-like names still carries its disposition.
                cond = format!("{cond} || {d}.disposition != {disp}");
            }
            w.line(&format!("if ({cond})"));
            w.line(&format!("\treturn {error};"));
        }
        // The count that travels inline must agree with the descriptor.
        if let (Some(count), false) = (&arg.count, arg.flags.same_count && !request) {
            match kind {
                DescriptorKind::Port if !arg.flags.same_count => {
                    if let Some(max) = field.array_len {
                        w.line(&format!("if ({p}->{count} > {max})"));
                        w.line(&format!("\treturn {error};"));
                    }
                }
                DescriptorKind::OutOfLine => {
                    let elem = element_size(&arg.ty);
                    w.line(&format!("if ({p}->{}.size != {p}->{count} * {elem})", field.name));
                    w.line(&format!("\treturn {error};"));
                }
                DescriptorKind::OutOfLinePorts => {
                    w.line(&format!("if ({p}->{}.count != {p}->{count})", field.name));
                    w.line(&format!("\treturn {error};"));
                }
                DescriptorKind::Port => {}
            }
        }
    }
}

/// Validates each variable field's count against its maximum and moves what follows it to the typedef
/// offsets, then requires the message to have exactly the size the counts imply.
pub fn write_unpack(w: &mut Source, routine: &Routine, msg: &Message, p: &str, typedef: &str, error: &str) {
    let variable = variable_fields(routine, msg);
    for v in &variable {
        let elem = v.field.element_size;
        let max = max_count(v.field);
        w.line(&format!("if ({p}->{} > {max})", v.count_field));
        w.line(&format!("\treturn {error};"));
        w.helpers.unpack = true;
        w.line(&format!(
            "if (!__migc_unpack((char *){p}, &msgh_size, (mach_msg_size_t)sizeof({typedef}), {}, {} + __MIGC_WALIGN({elem} * {p}->{})))",
            v.max_end, v.field.offset, v.count_field
        ));
        w.line(&format!("\treturn {error};"));
    }
    w.line(&format!("if (msgh_size != (mach_msg_size_t)sizeof({typedef}))"));
    w.line(&format!("\treturn {error};"));
}

/// Received strings must be terminated within their buffers.
pub fn write_string_checks(w: &mut Source, routine: &Routine, msg: &Message, p: &str, error: &str) {
    for field in &msg.fields {
        if field.role != FieldRole::Data {
            continue;
        }
        let Some(arg) = field.arg.and_then(|a| routine.args.get(a)) else { continue };
        if let Shape::CString { max, variable } = arg.ty.shape {
            let n = match (&arg.count, variable) {
                (Some(c), true) => format!("{p}->{c}"),
                _ => max.to_string(),
            };
            w.helpers.terminated = true;
            w.line(&format!("if (!__migc_terminated({p}->{}, {n}))", field.name));
            w.line(&format!("\treturn {error};"));
        }
    }
}

/// The trailer type and member a token argument reads.
pub fn token_source(kind: ArgKind) -> Option<(&'static str, &'static str)> {
    match kind {
        ArgKind::SecToken | ArgKind::ServerSecToken | ArgKind::UserSecToken => {
            Some(("mach_msg_security_trailer_t", "msgh_sender"))
        }
        ArgKind::AuditToken | ArgKind::ServerAuditToken | ArgKind::UserAuditToken => {
            Some(("mach_msg_audit_trailer_t", "msgh_audit"))
        }
        ArgKind::ServerContextToken => Some(("mach_msg_context_trailer_t", "msgh_context")),
        ArgKind::MsgSeqno => Some(("mach_msg_seqno_trailer_t", "msgh_seqno")),
        _ => None,
    }
}

fn write_stub(w: &mut Source, module: &Module, routine: &Routine) {
    let r = &routine.name;
    let id = routine.msgh_id;
    let simple = routine.kind == RoutineKind::SimpleRoutine;
    let reply = routine.reply.as_ref();
    let complex_reply = reply.is_some_and(|m| m.complex);
    w.line(&routine_comment(routine));
    w.line(&format!("mig_internal void _X{r}"));
    w.line("\t(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)");
    w.begin_block("");
    w.line(&format!("typedef __Request__{r}_t Request;"));
    if simple {
        w.line("typedef mig_reply_error_t Reply;");
    } else {
        w.line(&format!("typedef __Reply__{r}_t Reply;"));
    }
    w.line("Request *In0P = (Request *) InHeadP;");
    w.line("Reply *OutP = (Reply *) OutHeadP;");
    w.line("kern_return_t check_result;");
    if complex_reply || simple {
        w.line("kern_return_t RetCode;");
    }
    if reply.is_some_and(|m| m.variable_size) {
        w.line("mach_msg_size_t msgh_size;");
    }
    // Locals: trailer tokens, translated values, out-of-line results, polymorphic dispositions.
    let needs_trailer =
        routine.args.iter().any(|a| token_source(a.kind).is_some() && a.kind.on_server_side());
    for arg in &routine.args {
        if !arg.kind.on_server_side() {
            continue;
        }
        let n = &arg.name;
        if let Some((_, _)) = token_source(arg.kind) {
            w.line(&format!("{} {n};", param_type(&arg.ty, Side::Server)));
            continue;
        }
        let trans_in =
            arg.ty.intran.as_ref().filter(|_| arg.kind.in_request() || arg.kind == ArgKind::RequestPort);
        let trans_out = arg.ty.outtran.as_ref().filter(|_| arg.kind.in_reply());
        if let Some(t) = trans_in.or(trans_out) {
            w.line(&format!("{} {n};", t.ty));
        }
        if is_port_array(&arg.ty) && (arg.kind.in_request() || arg.kind.in_reply()) {
            let n_max = arg.ty.array().and_then(|a| a.count).unwrap_or(1);
            w.line(&format!("mach_port_t {n}[{n_max}];"));
        }
        if arg.kind.in_reply() && arg.ty.array().is_some_and(|a| a.out_of_line) {
            w.line(&format!("{} {n};", param_type(&arg.ty, Side::Server)));
            if let (Some(c), false) = (&arg.count, arg.flags.same_count) {
                w.line(&format!("mach_msg_type_number_t {c};"));
            }
        }
        if let Some(poly) = arg.server_poly(module.subsystem.kernel_server)
            && arg.kind.in_reply()
        {
            w.line(&format!("mach_msg_type_name_t {poly};"));
        }
    }
    if needs_trailer {
        w.line("mach_msg_max_trailer_t *TrailerP;");
    }
    let (declare, before, after) = if simple {
        ("__DeclareRcvSimple", "__BeforeRcvSimple", "__AfterRcvSimple")
    } else {
        ("__DeclareRcvRpc", "__BeforeRcvRpc", "__AfterRcvRpc")
    };
    w.line("");
    w.line(&format!("{declare}({id}, \"{r}\")"));
    w.line(&format!("{before}({id}, \"{r}\")"));
    if needs_trailer {
        // The trailer follows the message as sent; read it before unpacking moves the message.
        w.helpers.walign = true;
        w.line("TrailerP = (mach_msg_max_trailer_t *)((char *)In0P + __MIGC_WALIGN(In0P->Head.msgh_size));");
        for arg in &routine.args {
            if let (Some((ty, member)), true) = (token_source(arg.kind), arg.kind.on_server_side()) {
                w.line(&format!("{} = (({ty} *)TrailerP)->{member};", arg.name));
            }
        }
    }
    w.line("");
    w.line(&format!("check_result = __MIG_check__Request__{r}_t((__Request__{r}_t *)In0P);"));
    w.line("if (check_result != MACH_MSG_SUCCESS)");
    w.line("\t{ MIG_RETURN_ERROR(OutP, check_result); }");
    w.line("");
    // Before the call: translations in, buffers and counts out.
    let request = &routine.request;
    for (i, arg) in routine.args.iter().enumerate() {
        let n = &arg.name;
        if arg.kind.in_request() || arg.kind == ArgKind::RequestPort {
            if is_port_array(&arg.ty) {
                let max = arg.ty.array().and_then(|a| a.count).unwrap_or(1);
                w.line(&format!(
                    "{{ unsigned int i; for (i = 0; i < {max}; i++) {n}[i] = In0P->{n}[i].name; }}"
                ));
            }
            if let Some(t) = &arg.ty.intran {
                let source = in_value(routine, i, arg, request);
                w.line(&format!("{n} = {}({source});", t.function));
            }
        }
        if arg.kind == ArgKind::InOut
            && let Some(reply) = reply
            && let Some(f) = reply.data_field(i)
            && f.role == FieldRole::Data
        {
            w.line(&format!(
                "(void)memcpy((char *)&OutP->{n}, (const char *)&In0P->{n}, sizeof(OutP->{n}));"
            ));
        }
        if arg.kind.in_reply()
            && is_buffer(&arg.ty)
            && let Some(c) = &arg.count
            && !arg.flags.same_count
            && !matches!(arg.ty.shape, Shape::CString { .. })
        {
            let max = arg.ty.array().and_then(|a| a.count).unwrap_or(1);
            if arg.flags.count_in_out {
                w.line(&format!("OutP->{c} = In0P->{c} < {max} ? In0P->{c} : {max};"));
            } else {
                w.line(&format!("OutP->{c} = {max};"));
            }
        }
    }
    // The call.
    let call_args: Vec<String> = routine
        .args
        .iter()
        .enumerate()
        .filter(|(_, a)| a.kind.on_server_side())
        .flat_map(|(i, a)| server_call_args(routine, i, a, request, reply, module.subsystem.kernel_server))
        .collect();
    let fn_name = format!("{}{}", module.server_prefix, r);
    let target = if complex_reply || simple { "RetCode" } else { "OutP->RetCode" };
    w.line(&format!("{target} = {fn_name}({});", call_args.join(", ")));
    for arg in &routine.args {
        if let (Some(d), Some(_)) = (&arg.ty.destructor, &arg.ty.intran)
            && (arg.kind.in_request() || arg.kind == ArgKind::RequestPort)
        {
            w.line(&format!("{d}({});", arg.name));
        }
    }
    let kernel_server = module.subsystem.kernel_server;
    let released = released_port_args(routine);
    if simple {
        // A simple routine has no reply to fill in, but inside a kernel the rights it consumed are
        // released, and only when the call succeeded.
        if kernel_server && !released.is_empty() {
            w.directive("#if\t__MigKernelSpecificCode");
            w.line("if (RetCode != KERN_SUCCESS)");
            w.line("\t{ MIG_RETURN_ERROR(OutP, RetCode); }");
            write_port_releases(w, &released);
            w.directive("#endif /* __MigKernelSpecificCode */");
        }
        w.line("OutP->RetCode = RetCode;");
        w.line(&format!("{after}({id}, \"{r}\")"));
        w.end_block("");
        return;
    }
    let Some(reply) = reply else {
        w.end_block("");
        return;
    };
    w.line(&format!("if ({target} != KERN_SUCCESS)"));
    w.line(&format!("\t{{ MIG_RETURN_ERROR(OutP, {target}); }}"));
    if kernel_server && !released.is_empty() {
        w.directive("#if\t__MigKernelSpecificCode");
        write_port_releases(w, &released);
        w.directive("#endif /* __MigKernelSpecificCode */");
    }
    w.line("");
    // After the call: fill in the reply.
    if reply.has_ndr() {
        w.line("OutP->NDR = NDR_record;");
    }
    if reply.complex {
        w.line("OutP->Head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;");
        w.line(&format!("OutP->msgh_body.msgh_descriptor_count = {};", reply.descriptors));
    }
    for (i, arg) in routine.args.iter().enumerate() {
        if !arg.kind.in_reply() {
            continue;
        }
        let n = &arg.name;
        let Some(field) = reply.data_field(i) else { continue };
        match field.role {
            FieldRole::Descriptor(DescriptorKind::Port) => {
                let elements: Vec<String> = match field.array_len {
                    Some(max) => {
                        w.line(&format!("{{ unsigned int i; for (i = 0; i < {max}; i++) {{"));
                        let count = arg.count.as_ref().map_or(max.to_string(), |c| format!("OutP->{c}"));
                        w.line(&format!("\tOutP->{n}[i].name = i < {count} ? {n}[i] : MACH_PORT_NULL;"));
                        vec![format!("OutP->{n}[i]")]
                    }
                    None => {
                        // Inside a kernel the translation returns a port object, not a name.
                        if let Some(t) = &arg.ty.outtran {
                            w.line(&format!("OutP->{n}.name = (mach_port_t){}({n});", t.function));
                        }
                        vec![format!("OutP->{n}")]
                    }
                };
                let indent = if field.array_len.is_some() { "\t" } else { "" };
                for e in elements {
                    w.line(&format!("{indent}{e}.pad1 = 0;"));
                    w.line(&format!("{indent}{e}.pad2 = 0;"));
                    write_reply_disposition(w, &format!("{indent}{e}"), arg, kernel_server);
                    w.line(&format!("{indent}{e}.type = MACH_MSG_PORT_DESCRIPTOR;"));
                }
                if field.array_len.is_some() {
                    w.line("} }");
                } else if kernel_server {
                    write_circularity_check(w, arg);
                }
            }
            FieldRole::Descriptor(kind) => {
                let count = match (&arg.count, arg.ty.array().and_then(|a| a.count)) {
                    (Some(c), _) if arg.flags.same_count => format!("OutP->{c}"),
                    (Some(c), _) => c.clone(),
                    (None, Some(n)) => n.to_string(),
                    (None, None) => "1".to_string(),
                };
                let dealloc = if arg.flags.dealloc == Dealloc::Always { "TRUE" } else { "FALSE" };
                let copy =
                    if arg.flags.physical_copy { "MACH_MSG_PHYSICAL_COPY" } else { "MACH_MSG_VIRTUAL_COPY" };
                w.line(&format!("OutP->{n}.address = (void *){n};"));
                if kind == DescriptorKind::OutOfLinePorts {
                    w.line(&format!("OutP->{n}.count = {count};"));
                    write_reply_disposition(w, &format!("OutP->{n}"), arg, kernel_server);
                } else {
                    w.line(&format!("OutP->{n}.size = {count} * {};", element_size(&arg.ty)));
                    w.line(&format!("OutP->{n}.pad1 = 0;"));
                }
                w.line(&format!("OutP->{n}.deallocate = {dealloc};"));
                w.line(&format!("OutP->{n}.copy = {copy};"));
                w.line(&format!("OutP->{n}.type = {};", kind.type_constant()));
                if let (Some(c), false) = (&arg.count, arg.flags.same_count) {
                    w.line(&format!("OutP->{c} = {c};"));
                }
            }
            FieldRole::Data => {
                if let Some(t) = &arg.ty.outtran
                    && !arg.ty.is_port()
                {
                    w.line(&format!("OutP->{n} = {}({n});", t.function));
                }
                if let Shape::CString { max, variable: true } = arg.ty.shape {
                    w.line(&format!("OutP->{n}Offset = 0;"));
                    if let Some(c) = &arg.count {
                        w.helpers.strsize = true;
                        w.line(&format!("OutP->{c} = __migc_strsize(OutP->{n}, {max});"));
                    }
                }
            }
            _ => {}
        }
    }
    w.line("OutP->Head.msgh_size = (mach_msg_size_t)sizeof(Reply);");
    let variable = variable_fields(routine, reply);
    if !variable.is_empty() {
        w.line("msgh_size = (mach_msg_size_t)sizeof(Reply);");
        w.helpers.pack = true;
        for v in variable.iter().rev() {
            let max = max_count(v.field);
            w.line(&format!("if (OutP->{} > {max})", v.count_field));
            w.line(&format!("\tOutP->{} = {max};", v.count_field));
            w.line(&format!(
                "__migc_pack((char *)OutP, &msgh_size, {}, {} + __MIGC_WALIGN({} * OutP->{}));",
                v.max_end, v.field.offset, v.field.element_size, v.count_field
            ));
        }
        w.line("OutP->Head.msgh_size = msgh_size;");
    }
    w.line(&format!("{after}({id}, \"{r}\")"));
    w.end_block("");
}

/// Writes `<target>.disposition = ...;` for a port the reply carries. A `KernelServer` compiled inside
/// a kernel (`__MigKernelSpecificCode`) hands the kernel rights it already holds, so it names them as
/// the receiver will see them (`MACH_MSG_TYPE_PORT_SEND` rather than `MACH_MSG_TYPE_COPY_SEND`), as
/// Apple's mig does.
fn write_reply_disposition(w: &mut CWriter, target: &str, arg: &Arg, kernel_server: bool) {
    let (indent, target) = match target.strip_prefix('\t') {
        Some(rest) => ("\t", rest),
        None => ("", target),
    };
    // Nothing to choose when the right is received as it is sent (a moved receive right).
    let kernel = arg.port_type().filter(|p| kernel_server && p.receive != p.send).and_then(|p| p.receive);
    if let Some(received) = kernel {
        w.directive("#if\t__MigKernelSpecificCode");
        w.line(&format!("{indent}{target}.disposition = {};", received_disposition_name(received)));
        w.directive("#else");
    }
    w.line(&format!("{indent}{target}.disposition = {};", port_disposition(arg, kernel_server)));
    if kernel.is_some() {
        w.directive("#endif /* __MigKernelSpecificCode */");
    }
}

/// `MACH_MSG_TYPE_PORT_*` name of a disposition as a receiver sees it.
fn received_disposition_name(n: u32) -> String {
    match n {
        16 => "MACH_MSG_TYPE_PORT_RECEIVE".into(),
        17 => "MACH_MSG_TYPE_PORT_SEND".into(),
        18 => "MACH_MSG_TYPE_PORT_SEND_ONCE".into(),
        other => disposition_name(other),
    }
}

/// The request's port descriptors whose send right a kernel server releases after a successful call:
/// single ports translated on the way in (`intran`) and received as send rights. The server function
/// saw only the translation, so the right itself is released for it.
fn released_port_args(routine: &Routine) -> Vec<&Arg> {
    routine
        .args
        .iter()
        .enumerate()
        .filter(|(i, arg)| {
            arg.kind.in_request()
                && arg.ty.intran.is_some()
                && matches!(arg.ty.shape, Shape::Port(PortType { receive: Some(17), .. }))
                && routine
                    .request
                    .data_field(*i)
                    .is_some_and(|f| f.role == FieldRole::Descriptor(DescriptorKind::Port))
        })
        .map(|(_, arg)| arg)
        .collect()
}

/// `ipc_port_release_send` for each of `args`, last first (the order Apple's mig releases them in).
fn write_port_releases(w: &mut CWriter, args: &[&Arg]) {
    for arg in args.iter().rev() {
        let name = format!("In0P->{}.name", arg.name);
        w.line(&format!("if (IP_VALID((ipc_port_t){name}))"));
        w.line(&format!("\tipc_port_release_send((ipc_port_t){name});"));
    }
}

/// Inside a kernel, a reply that carries a receive right could make the right's queue hold the reply
/// port it travels to: the kernel marks such a message circular (`MACH_MSGH_BITS_CIRCULAR`).
fn write_circularity_check(w: &mut CWriter, arg: &Arg) {
    let receive = arg.port_type().map(|p| p.receive);
    let condition = match (receive, arg.server_poly(true)) {
        (Some(Some(16)), _) => None,
        (Some(None), Some(poly)) => Some(format!("if ({poly} == MACH_MSG_TYPE_PORT_RECEIVE)")),
        _ => return,
    };
    let n = &arg.name;
    w.directive("#if\t__MigKernelSpecificCode");
    let indent = if let Some(c) = condition {
        w.line(&c);
        "\t"
    } else {
        ""
    };
    w.line(&format!("{indent}if (IP_VALID((ipc_port_t)In0P->Head.msgh_reply_port) &&"));
    w.line(&format!("{indent}    IP_VALID((ipc_port_t)OutP->{n}.name) &&"));
    w.line(&format!(
        "{indent}    ipc_port_check_circularity((ipc_port_t)OutP->{n}.name, (ipc_port_t)In0P->Head.msgh_reply_port))"
    ));
    w.line(&format!("{indent}\tOutP->Head.msgh_bits |= MACH_MSGH_BITS_CIRCULAR;"));
    w.directive("#endif /* __MigKernelSpecificCode */");
}

/// The disposition the server sends a port of the reply with: its type's, else the polymorphic
/// variable, else (a kernel server's `MACH_MSG_TYPE_PORT_*` type, which has no variable) the right as
/// it is received.
fn port_disposition(arg: &Arg, kernel_server: bool) -> String {
    let port = arg.port_type();
    match (port.and_then(|p| p.send), arg.server_poly(kernel_server), port.and_then(|p| p.receive)) {
        (Some(d), _, _) => disposition_name(d),
        (None, Some(poly), _) => poly.to_string(),
        (None, None, Some(received)) => received_disposition_name(received),
        (None, None, None) => "MACH_MSG_TYPE_COPY_SEND".to_string(),
    }
}

/// The C expression of an in-argument's value as received (before translation).
fn in_value(routine: &Routine, index: usize, arg: &Arg, request: &Message) -> String {
    let n = &arg.name;
    match arg.kind {
        ArgKind::RequestPort => return "In0P->Head.msgh_request_port".to_string(),
        ArgKind::ReplyPort | ArgKind::SReplyPort => return "In0P->Head.msgh_reply_port".to_string(),
        _ => {}
    }
    let _ = routine;
    match request.data_field(index).map(|f| f.role) {
        Some(FieldRole::Descriptor(DescriptorKind::Port)) if !is_port_array(&arg.ty) => {
            format!("In0P->{n}.name")
        }
        Some(FieldRole::Descriptor(_)) if is_port_array(&arg.ty) => n.clone(),
        Some(FieldRole::Descriptor(_)) => {
            format!("({})(In0P->{n}.address)", param_type(&arg.ty, Side::Server))
        }
        _ => format!("In0P->{n}"),
    }
}

/// The arguments passed to the server function for one declared argument.
fn server_call_args(
    routine: &Routine,
    index: usize,
    arg: &Arg,
    request: &Message,
    reply: Option<&Message>,
    kernel_server: bool,
) -> Vec<String> {
    let n = &arg.name;
    let poly = arg.server_poly(kernel_server);
    let mut out = Vec::new();
    let has_trans_in = arg.ty.intran.is_some();
    match arg.kind {
        ArgKind::RequestPort | ArgKind::ReplyPort | ArgKind::SReplyPort => {
            out.push(if has_trans_in { n.clone() } else { in_value(routine, index, arg, request) });
            if poly.is_some() {
                out.push(match arg.kind {
                    ArgKind::RequestPort => "MACH_MSGH_BITS_REQUEST(In0P->Head.msgh_bits)".to_string(),
                    _ => "MACH_MSGH_BITS_REPLY(In0P->Head.msgh_bits)".to_string(),
                });
            }
        }
        ArgKind::In => {
            out.push(if has_trans_in { n.clone() } else { in_value(routine, index, arg, request) });
            if poly.is_some() {
                if is_port_array(&arg.ty) {
                    out.push(format!("In0P->{n}[0].disposition"));
                } else {
                    out.push(format!("In0P->{n}.disposition"));
                }
            }
            if let Some(c) = &arg.count
                && !arg.flags.same_count
                && !matches!(arg.ty.shape, Shape::CString { .. })
            {
                out.push(format!("In0P->{c}"));
            }
        }
        ArgKind::Out | ArgKind::InOut => {
            let field = reply.and_then(|m| m.data_field(index));
            let has_trans_out = arg.ty.outtran.is_some();
            let value = match field.map(|f| f.role) {
                Some(FieldRole::Descriptor(DescriptorKind::Port)) if is_port_array(&arg.ty) => n.clone(),
                Some(FieldRole::Descriptor(DescriptorKind::Port)) if has_trans_out => format!("&{n}"),
                Some(FieldRole::Descriptor(DescriptorKind::Port)) => format!("&OutP->{n}.name"),
                Some(FieldRole::Descriptor(_)) => format!("&{n}"),
                _ if has_trans_out => format!("&{n}"),
                _ if is_buffer(&arg.ty) => format!("OutP->{n}"),
                _ => format!("&OutP->{n}"),
            };
            out.push(value);
            if let Some(poly) = poly {
                out.push(format!("&{poly}"));
            }
            if let Some(c) = &arg.count
                && !arg.flags.same_count
                && !matches!(arg.ty.shape, Shape::CString { .. })
            {
                let ool = arg.ty.array().is_some_and(|a| a.out_of_line);
                out.push(if ool { format!("&{c}") } else { format!("&OutP->{c}") });
            }
        }
        _ => out.push(n.clone()),
    }
    out
}

fn write_subsystem(w: &mut CWriter, module: &Module) {
    let name = &module.subsystem.name;
    let base = module.subsystem.base;
    let demux = module.server_demux_name();
    w.line("/* The subsystem's routine table, for servers that dispatch without the demux */");
    let table = subsystem_table_name(module);
    w.line(&format!("const struct {table} {table} = {{"));
    w.line(&format!("\t{demux}_routine,"));
    w.line(&format!("\t{base},"));
    w.line(&format!("\t{},", base as u64 + module.routines.len() as u64));
    if has_reply_union(module) {
        w.line(&format!(
            "\t(mach_msg_size_t)sizeof(union __ReplyUnion__{}{name}_subsystem),",
            module.server_prefix
        ));
    } else {
        w.line("\t(mach_msg_size_t)sizeof(mig_reply_error_t),");
    }
    w.line("\t(vm_address_t)0,");
    w.line("\t{");
    if module.routines.is_empty() {
        w.line("\t\t{ 0, 0, 0, 0, 0, 0 },");
    }
    for routine in &module.routines {
        if routine.kind == RoutineKind::Skip {
            w.line("\t\t{ 0, 0, 0, 0, 0, 0 },");
            continue;
        }
        let argc = params(routine, Side::Server, module.subsystem.kernel_server).len();
        let size = match routine.kind {
            RoutineKind::Routine => format!("(mach_msg_size_t)sizeof(__Reply__{}_t)", routine.name),
            _ => "(mach_msg_size_t)sizeof(mig_reply_error_t)".to_string(),
        };
        w.line(&format!(
            "\t\t{{ (mig_impl_routine_t) 0, (mig_stub_routine_t) _X{}, {argc}, 0, (routine_arg_descriptor_t)0, {size} }},",
            routine.name
        ));
    }
    w.line("\t}");
    w.line("};");
}

fn write_demux(w: &mut CWriter, module: &Module) {
    let base = module.subsystem.base;
    let count = module.routines.len() as u64;
    let demux = module.server_demux_name();
    w.line(&format!("mig_external boolean_t {demux}"));
    w.line("\t(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)");
    w.begin_block("");
    w.line("mig_routine_t routine;");
    w.line("");
    w.line("OutHeadP->msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REPLY(InHeadP->msgh_bits), 0);");
    w.line("OutHeadP->msgh_remote_port = InHeadP->msgh_reply_port;");
    w.line("/* The smallest reply; the routine sets the size it sends */");
    w.line("OutHeadP->msgh_size = (mach_msg_size_t)sizeof(mig_reply_error_t);");
    w.line("OutHeadP->msgh_local_port = MACH_PORT_NULL;");
    w.line("OutHeadP->msgh_id = InHeadP->msgh_id + 100;");
    w.line("OutHeadP->msgh_reserved = 0;");
    w.line("");
    w.line(&format!("if ((routine = {demux}_routine(InHeadP)) == 0) {{"));
    w.line("\t((mig_reply_error_t *)OutHeadP)->NDR = NDR_record;");
    w.line("\t((mig_reply_error_t *)OutHeadP)->RetCode = MIG_BAD_ID;");
    w.line("\treturn FALSE;");
    w.line("}");
    w.line("(*routine) (InHeadP, OutHeadP);");
    w.line("return TRUE;");
    w.end_block("");
    w.line("");
    w.line(&format!("mig_external mig_routine_t {demux}_routine"));
    w.line("\t(mach_msg_header_t *InHeadP)");
    w.begin_block("");
    w.line("int msgh_id;");
    w.line("");
    w.line(&format!("msgh_id = InHeadP->msgh_id - {base};"));
    w.line("");
    if count == 0 {
        // No id is in range; a range test would always be true (clang: -Wtautological-overlap-compare).
        w.line("(void)msgh_id;");
        w.line("return 0;");
        w.end_block("");
        return;
    }
    w.line(&format!("if ((msgh_id >= {count}) || (msgh_id < 0))"));
    w.line("\treturn 0;");
    w.line("");
    w.line(&format!("return {}.routine[msgh_id].stub_routine;", subsystem_table_name(module)));
    w.end_block("");
}
