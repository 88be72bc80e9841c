//! `<name>User.c`: the user stubs. Each builds the request (descriptors, NDR, inline data, header),
//! packs its variable fields, calls `mach_msg`, and checks the reply with a
//! `__MIG_check__Reply__<routine>_t` (id, size, complex bit, descriptors, counts: MIG's error codes)
//! before copying the results out.

use std::fmt::Write as _;

use codegen::{CWriter, CommentStyle, preamble};

use super::FileNames;
use super::c_common::*;
use super::c_server::{token_source, write_descriptor_checks, write_string_checks};
use crate::model::*;

/// The user source for `module`.
pub fn emit(module: &Module, names: &FileNames) -> String {
    emit_filtered(module, names, None)
}

/// A user source with only the stub for `routine` (mig's `-i prefix`: one file per routine).
pub fn emit_one(module: &Module, names: &FileNames, routine: &str) -> String {
    emit_filtered(module, names, Some(routine))
}

fn emit_filtered(module: &Module, names: &FileNames, only: Option<&str>) -> String {
    let mut w = CWriter::new();
    let name = &module.subsystem.name;
    w.line(&format!("/* Module {name} */"));
    w.line("");
    w.directive(&format!("#define\t__MIG_check__Reply__{name}_subsystem__ 1"));
    w.line("");
    w.directive(&format!("#include \"{}\"", names.user_header_include));
    w.line("");
    write_source_defaults(&mut w, Side::User, false);
    // The stubs are written first, so that only the helpers they call are printed before them.
    let mut stubs = Source::new();
    for routine in module.real_routines().filter(|r| only.is_none_or(|o| o == r.name)) {
        if routine.reply.is_some() {
            stubs.line("");
            write_check(&mut stubs, routine);
        }
        stubs.line("");
        write_stub(&mut stubs, module, routine);
    }
    write_helpers(&mut w, stubs.helpers);
    w.line("");
    // Stubs destroy a reply that fails its checks; Apple declares this in <mach/mach.h>, which the
    // generated code does not include.
    w.line("extern void mach_msg_destroy(mach_msg_header_t *);");
    w.line("");
    w.directive("#ifndef\t__MachMsgErrorWithTimeout");
    w.directive("#define\t__MachMsgErrorWithTimeout(_R_) { \\");
    w.directive("\tswitch (_R_) { \\");
    w.directive("\tcase MACH_SEND_INVALID_DATA: \\");
    w.directive("\tcase MACH_SEND_INVALID_DEST: \\");
    w.directive("\tcase MACH_SEND_INVALID_HEADER: \\");
    w.directive("\t\tmig_put_reply_port(InP->Head.msgh_reply_port); \\");
    w.directive("\t\tbreak; \\");
    w.directive("\tcase MACH_SEND_TIMED_OUT: \\");
    w.directive("\tcase MACH_RCV_TIMED_OUT: \\");
    w.directive("\tdefault: \\");
    w.directive("\t\tmig_dealloc_reply_port(InP->Head.msgh_reply_port); \\");
    w.directive("\t} \\");
    w.directive("}");
    w.directive("#endif\t/* __MachMsgErrorWithTimeout */");
    w.line("");
    w.directive("#ifndef\t__MachMsgErrorWithoutTimeout");
    w.directive("#define\t__MachMsgErrorWithoutTimeout(_R_) { \\");
    w.directive("\tswitch (_R_) { \\");
    w.directive("\tcase MACH_SEND_INVALID_DATA: \\");
    w.directive("\tcase MACH_SEND_INVALID_DEST: \\");
    w.directive("\tcase MACH_SEND_INVALID_HEADER: \\");
    w.directive("\t\tmig_put_reply_port(InP->Head.msgh_reply_port); \\");
    w.directive("\t\tbreak; \\");
    w.directive("\tdefault: \\");
    w.directive("\t\tmig_dealloc_reply_port(InP->Head.msgh_reply_port); \\");
    w.directive("\t} \\");
    w.directive("}");
    w.directive("#endif\t/* __MachMsgErrorWithoutTimeout */");
    let _ = w.write_str(stubs.body());
    w.finish(&preamble("migc", &names.source, CommentStyle::C))
}

fn write_check(w: &mut Source, routine: &Routine) {
    let r = &routine.name;
    let Some(reply) = &routine.reply else { return };
    let reply_id = routine.reply_msgh_id.unwrap_or(0);
    w.directive(&format!("#if !defined(__MIG_check__Reply__{r}_t__defined)"));
    w.directive(&format!("#define __MIG_check__Reply__{r}_t__defined"));
    w.line("");
    w.line(&format!("mig_internal kern_return_t __MIG_check__Reply__{r}_t(__Reply__{r}_t *Out0P)"));
    w.begin_block("");
    w.line(&format!("typedef __Reply__{r}_t __Reply;"));
    w.line("mach_msg_size_t msgh_size;");
    w.line("");
    w.line(&format!("if (Out0P->Head.msgh_id != {reply_id}) {{"));
    w.line("\tif (Out0P->Head.msgh_id == MACH_NOTIFY_SEND_ONCE)");
    w.line("\t\treturn MIG_SERVER_DIED;");
    w.line("\treturn MIG_REPLY_MISMATCH;");
    w.line("}");
    w.line("");
    w.line("msgh_size = Out0P->Head.msgh_size;");
    if reply.complex {
        // A complex reply carries no RetCode; an error comes back as a plain mig_reply_error_t.
        w.line("if (!(Out0P->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX)) {");
        w.line("\tif (msgh_size != (mach_msg_size_t)sizeof(mig_reply_error_t) ||");
        w.line("\t    ((mig_reply_error_t *)Out0P)->RetCode == KERN_SUCCESS)");
        w.line("\t\treturn MIG_TYPE_ERROR;");
        w.line("\treturn ((mig_reply_error_t *)Out0P)->RetCode;");
        w.line("}");
        w.line(&format!("if (Out0P->msgh_body.msgh_descriptor_count != {})", reply.descriptors));
        w.line("\treturn MIG_TYPE_ERROR;");
    } else {
        w.line("if (Out0P->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX)");
        w.line("\treturn MIG_TYPE_ERROR;");
        w.line(
            "if (msgh_size == (mach_msg_size_t)sizeof(mig_reply_error_t) && Out0P->RetCode != KERN_SUCCESS)",
        );
        w.line("\treturn Out0P->RetCode;");
    }
    w.line(&format!(
        "if (msgh_size < (mach_msg_size_t){} || msgh_size > (mach_msg_size_t)sizeof(__Reply))",
        reply.min_size
    ));
    w.line("\treturn MIG_TYPE_ERROR;");
    if !reply.complex {
        w.line("if (Out0P->RetCode != KERN_SUCCESS)");
        w.line("\treturn Out0P->RetCode;");
    }
    w.line("if (Out0P->Head.msgh_request_port != MACH_PORT_NULL)");
    w.line("\treturn MIG_TYPE_ERROR;");
    write_descriptor_checks(w, routine, reply, "Out0P", "MIG_TYPE_ERROR", false);
    super::c_server::write_unpack(w, routine, reply, "Out0P", "__Reply", "MIG_TYPE_ERROR");
    write_string_checks(w, routine, reply, "Out0P", "MIG_TYPE_ERROR");
    w.line("return MACH_MSG_SUCCESS;");
    w.end_block("");
    w.directive(&format!("#endif /* !defined(__MIG_check__Reply__{r}_t__defined) */"));
}

fn write_stub(w: &mut Source, module: &Module, routine: &Routine) {
    let r = &routine.name;
    let id = routine.msgh_id;
    let simple = routine.kind == RoutineKind::SimpleRoutine;
    let request = &routine.request;
    let user_tokens: Vec<&Arg> =
        routine.args.iter().filter(|a| a.kind.on_user_side() && token_source(a.kind).is_some()).collect();
    w.line(&routine_comment(routine));
    w.line("mig_external kern_return_t");
    let fn_name = format!("{}{}", module.user_prefix, r);
    write_signature(w, "", &fn_name, &params(routine, Side::User, false));
    w.line("");
    w.begin_block("");
    write_struct(w, request, Side::User, "Request", None);
    if let Some(reply) = &routine.reply {
        let trailer = if user_tokens.is_empty() { "mach_msg_trailer_t" } else { "mach_msg_max_trailer_t" };
        write_struct(w, reply, Side::User, "Reply", Some(trailer));
        w.line("");
        w.begin_block("union");
        w.line("Request In;");
        w.line("Reply Out;");
        w.end_block(" Mess;");
        w.line("");
        w.line("Request *InP = &Mess.In;");
        w.line("Reply *Out0P = &Mess.Out;");
        w.line("kern_return_t check_result;");
    } else {
        w.line("");
        w.begin_block("union");
        w.line("Request In;");
        w.end_block(" Mess;");
        w.line("");
        w.line("Request *InP = &Mess.In;");
    }
    w.line("mach_msg_return_t msg_result;");
    w.line("mach_msg_size_t msgh_size = (mach_msg_size_t)sizeof(Request);");
    w.line("mach_msg_option_t msg_options = MACH_MSG_OPTION_NONE;");
    w.line("mach_msg_timeout_t msg_timeout = MACH_MSG_TIMEOUT_NONE;");
    w.line("");
    let (declare, before, after) = if simple {
        ("__DeclareSendSimple", "__BeforeSendSimple", "__AfterSendSimple")
    } else {
        ("__DeclareSendRpc", "__BeforeSendRpc", "__AfterSendRpc")
    };
    w.line(&format!("{declare}({id}, \"{r}\")"));
    w.line("");
    // Check array sizes first, so that nothing is written before an error return.
    for arg in &routine.args {
        if !arg.kind.in_request() || arg.flags.same_count {
            continue;
        }
        if let (Some(c), Some(a)) = (&arg.count, arg.ty.array())
            && let Some(max) = a.count
            && !a.out_of_line
        {
            let c = count_value(arg, c);
            w.line(&format!("if ({c} > {max})"));
            w.line("\treturn MIG_ARRAY_TOO_LARGE;");
        }
    }
    if request.complex {
        w.line(&format!("InP->msgh_body.msgh_descriptor_count = {};", request.descriptors));
    }
    for (i, arg) in routine.args.iter().enumerate() {
        let n = &arg.name;
        if arg.kind == ArgKind::Out && arg.flags.count_in_out {
            if let (Some(c), Some(a)) = (&arg.count, arg.ty.array()) {
                let max = a.count.unwrap_or(u64::from(u32::MAX));
                w.line(&format!("InP->{c} = *{c} < {max} ? *{c} : {max};"));
            }
            continue;
        }
        if !arg.kind.in_request() {
            continue;
        }
        let value =
            if arg.kind == ArgKind::InOut && !is_buffer(&arg.ty) { format!("(*{n})") } else { n.clone() };
        let Some(field) = request.data_field(i) else { continue };
        match field.role {
            FieldRole::Descriptor(DescriptorKind::Port) => {
                let disposition = user_disposition(arg);
                match field.array_len {
                    Some(max) => {
                        let count =
                            arg.count.as_ref().map_or_else(|| max.to_string(), |c| count_value(arg, c));
                        w.line(&format!("{{ unsigned int i; for (i = 0; i < {max}; i++) {{"));
                        w.line(&format!("\tInP->{n}[i].name = i < {count} ? {value}[i] : MACH_PORT_NULL;"));
                        w.line(&format!("\tInP->{n}[i].pad1 = 0;"));
                        w.line(&format!("\tInP->{n}[i].pad2 = 0;"));
                        w.line(&format!("\tInP->{n}[i].disposition = {disposition};"));
                        w.line(&format!("\tInP->{n}[i].type = MACH_MSG_PORT_DESCRIPTOR;"));
                        w.line("} }");
                        if let (Some(c), false) = (&arg.count, arg.flags.same_count) {
                            w.line(&format!("InP->{c} = {};", count_value(arg, c)));
                        }
                    }
                    None => {
                        w.line(&format!("InP->{n}.name = {value};"));
                        w.line(&format!("InP->{n}.pad1 = 0;"));
                        w.line(&format!("InP->{n}.pad2 = 0;"));
                        w.line(&format!("InP->{n}.disposition = {disposition};"));
                        w.line(&format!("InP->{n}.type = MACH_MSG_PORT_DESCRIPTOR;"));
                    }
                }
            }
            FieldRole::Descriptor(kind) => {
                let count = match (&arg.count, arg.ty.array().and_then(|a| a.count)) {
                    (Some(c), _) => count_value(arg, c),
                    (None, Some(n)) => n.to_string(),
                    (None, None) => "1".to_string(),
                };
                let dealloc = match arg.flags.dealloc {
                    Dealloc::Always => "TRUE".to_string(),
                    Dealloc::Conditional => format!("{n}Dealloc"),
                    _ => "FALSE".to_string(),
                };
                let copy =
                    if arg.flags.physical_copy { "MACH_MSG_PHYSICAL_COPY" } else { "MACH_MSG_VIRTUAL_COPY" };
                w.line(&format!("InP->{n}.address = (void *)({value});"));
                if kind == DescriptorKind::OutOfLinePorts {
                    w.line(&format!("InP->{n}.count = {count};"));
                    w.line(&format!("InP->{n}.disposition = {};", user_disposition(arg)));
                } else {
                    w.line(&format!("InP->{n}.size = {count} * {};", element_size(&arg.ty)));
                    w.line(&format!("InP->{n}.pad1 = 0;"));
                }
                w.line(&format!("InP->{n}.deallocate = {dealloc};"));
                w.line(&format!("InP->{n}.copy = {copy};"));
                w.line(&format!("InP->{n}.type = {};", kind.type_constant()));
                if let (Some(c), false) = (&arg.count, arg.flags.same_count) {
                    w.line(&format!("InP->{c} = {};", count_value(arg, c)));
                }
            }
            FieldRole::Data => match &arg.ty.shape {
                Shape::CString { max, variable } => {
                    if *variable {
                        w.line(&format!("InP->{n}Offset = 0;"));
                    }
                    w.line(&format!("(void) mig_strncpy(InP->{n}, {value}, {max});"));
                    if let (true, Some(c)) = (*variable, &arg.count) {
                        w.helpers.strsize = true;
                        w.line(&format!("InP->{c} = __migc_strsize(InP->{n}, {max});"));
                    }
                }
                Shape::Array(a) => {
                    let bytes = match (&arg.count, a.variable) {
                        (Some(c), true) => format!("{} * {}", field.element_size, count_value(arg, c)),
                        _ => format!("sizeof(InP->{n})"),
                    };
                    w.line(&format!("(void)memcpy((char *) InP->{n}, (const char *) {value}, {bytes});"));
                    if let (Some(c), false) = (&arg.count, arg.flags.same_count) {
                        w.line(&format!("InP->{c} = {};", count_value(arg, c)));
                    }
                }
                _ => w.line(&format!("InP->{n} = {value};")),
            },
            _ => {}
        }
    }
    if request.has_ndr() {
        w.line("InP->NDR = NDR_record;");
    }
    // Header.
    let request_port = routine.request_port.and_then(|i| routine.args.get(i));
    let remote = request_port.map_or("MACH_PORT_NULL".to_string(), |a| a.name.clone());
    let remote_disposition = request_port.map_or("0".to_string(), user_disposition);
    let reply_arg = routine.reply_port.and_then(|i| routine.args.get(i)).filter(|a| a.kind.on_user_side());
    let (reply_port, reply_disposition) = match (reply_arg, simple) {
        (Some(a), _) => (a.name.clone(), user_disposition(a)),
        (None, true) => ("MACH_PORT_NULL".to_string(), "0".to_string()),
        (None, false) if module.use_special_reply_port => {
            ("mig_get_special_reply_port()".to_string(), "MACH_MSG_TYPE_MAKE_SEND_ONCE".to_string())
        }
        (None, false) => ("mig_get_reply_port()".to_string(), "MACH_MSG_TYPE_MAKE_SEND_ONCE".to_string()),
    };
    let complex = if request.complex { "|MACH_MSGH_BITS_COMPLEX" } else { "" };
    w.line(&format!(
        "InP->Head.msgh_bits = MACH_MSGH_BITS({remote_disposition}, {reply_disposition}){complex};"
    ));
    w.line(&format!("InP->Head.msgh_request_port = {remote};"));
    w.line(&format!("InP->Head.msgh_reply_port = {reply_port};"));
    w.line(&format!("InP->Head.msgh_id = {id};"));
    w.line("InP->Head.msgh_reserved = 0;");
    // Options and timeouts.
    if let Some(option) = &module.msg_option {
        w.line(&format!("msg_options |= {option};"));
    }
    let mut timeout = module.wait_time.clone();
    let mut send_timeout = module.send_time.clone();
    for arg in &routine.args {
        match arg.kind {
            ArgKind::MsgOption => w.line(&format!("msg_options |= {};", arg.name)),
            ArgKind::WaitTime => timeout = Some(arg.name.clone()),
            ArgKind::SendTime => send_timeout = Some(arg.name.clone()),
            _ => {}
        }
    }
    if let Some(t) = &timeout {
        w.line(&format!("msg_timeout = {t};"));
        if !simple {
            w.line("msg_options |= MACH_RCV_TIMEOUT;");
        }
    }
    if let Some(t) = &send_timeout {
        w.line(&format!("msg_timeout = {t};"));
        w.line("msg_options |= MACH_SEND_TIMEOUT;");
    }
    if !user_tokens.is_empty() {
        let audit =
            user_tokens.iter().any(|a| matches!(a.kind, ArgKind::AuditToken | ArgKind::UserAuditToken));
        let element = if audit { "MACH_RCV_TRAILER_AUDIT" } else { "MACH_RCV_TRAILER_SENDER" };
        w.line(&format!(
            "msg_options |= MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) | MACH_RCV_TRAILER_ELEMENTS({element});"
        ));
    }
    // Pack variable fields, last first, so each move sees the fields before it in place.
    for v in variable_fields(routine, request).iter().rev() {
        w.helpers.pack = true;
        w.line(&format!(
            "__migc_pack((char *)InP, &msgh_size, {}, {} + __MIGC_WALIGN({} * InP->{}));",
            v.max_end, v.field.offset, v.field.element_size, v.count_field
        ));
    }
    w.line("");
    w.line(&format!("{before}({id}, \"{r}\")"));
    // A KernelUser stub also compiles inside a kernel, which sends with its own entry points; there
    // (`__MigKernelSpecificCode`) options and timeouts do not apply. Elsewhere it is an ordinary stub.
    let kernel_user = module.subsystem.kernel_user;
    if kernel_user {
        w.directive(if simple {
            "#if\t__MigKernelSpecificCode"
        } else {
            "#if\t(__MigKernelSpecificCode) || (_MIG_KERNEL_SPECIFIC_CODE_)"
        });
        w.line("(void)msg_options;");
        w.line("(void)msg_timeout;");
        if simple {
            w.line("msg_result = mach_msg_send_from_kernel(&InP->Head, msgh_size);");
        } else {
            w.line(
                "msg_result = mach_msg_rpc_from_kernel(&InP->Head, msgh_size, (mach_msg_size_t)sizeof(Reply));",
            );
        }
        w.directive("#else");
    }
    if simple {
        w.line("msg_result = mach_msg(&InP->Head, MACH_SEND_MSG|msg_options, msgh_size, 0, MACH_PORT_NULL, msg_timeout, MACH_PORT_NULL);");
    } else {
        w.line("msg_result = mach_msg(&InP->Head, MACH_SEND_MSG|MACH_RCV_MSG|msg_options, msgh_size, (mach_msg_size_t)sizeof(Reply), InP->Head.msgh_reply_port, msg_timeout, MACH_PORT_NULL);");
    }
    if kernel_user {
        w.directive("#endif /* __MigKernelSpecificCode */");
    }
    if simple {
        w.line(&format!("{after}({id}, \"{r}\")"));
        w.line("return msg_result;");
        w.end_block("");
        return;
    }
    w.line(&format!("{after}({id}, \"{r}\")"));
    w.line("if (msg_result != MACH_MSG_SUCCESS) {");
    if reply_arg.is_none() {
        if timeout.is_some() || send_timeout.is_some() {
            w.line("\t__MachMsgErrorWithTimeout(msg_result);");
        } else {
            w.line("\t__MachMsgErrorWithoutTimeout(msg_result);");
        }
    }
    if let Some(f) = &module.error_function {
        w.line(&format!("\t{f}(msg_result);"));
    }
    w.line("\treturn msg_result;");
    w.line("}");
    w.line("");
    // Tokens live in the trailer right after the message as received; read them before unpacking.
    for arg in &user_tokens {
        if let Some((ty, member)) = token_source(arg.kind) {
            w.helpers.walign = true;
            w.line(&format!(
                "*{} = (({ty} *)((char *)Out0P + __MIGC_WALIGN(Out0P->Head.msgh_size)))->{member};",
                arg.name
            ));
        }
    }
    w.line(&format!("check_result = __MIG_check__Reply__{r}_t((__Reply__{r}_t *)Out0P);"));
    w.line("if (check_result != MACH_MSG_SUCCESS) {");
    w.line("\tmach_msg_destroy(&Out0P->Head);");
    w.line("\treturn check_result;");
    w.line("}");
    w.line("");
    let Some(reply) = &routine.reply else {
        w.end_block("");
        return;
    };
    for (i, arg) in routine.args.iter().enumerate() {
        if !arg.kind.in_reply() {
            continue;
        }
        let n = &arg.name;
        let Some(field) = reply.data_field(i) else { continue };
        match field.role {
            FieldRole::Descriptor(DescriptorKind::Port) => match field.array_len {
                Some(max) => {
                    let count = match &arg.count {
                        Some(c) => format!("Out0P->{c}"),
                        None => max.to_string(),
                    };
                    if let (Some(c), false) = (&arg.count, arg.flags.same_count) {
                        w.line(&format!("if (Out0P->{c} > *{c}) {{"));
                        w.line(&format!("\t*{c} = Out0P->{c};"));
                        w.line("\treturn MIG_ARRAY_TOO_LARGE;");
                        w.line("}");
                        w.line(&format!("*{c} = Out0P->{c};"));
                    }
                    w.line(&format!(
                        "{{ unsigned int i; for (i = 0; i < {count}; i++) {n}[i] = Out0P->{n}[i].name; }}"
                    ));
                    if let Some(poly) = arg.user_poly() {
                        w.line(&format!("*{poly} = Out0P->{n}[0].disposition;"));
                    }
                }
                None => {
                    w.line(&format!("*{n} = Out0P->{n}.name;"));
                    if let Some(poly) = arg.user_poly() {
                        w.line(&format!("*{poly} = Out0P->{n}.disposition;"));
                    }
                }
            },
            FieldRole::Descriptor(kind) => {
                w.line(&format!("*{n} = ({})(Out0P->{n}.address);", param_type(&arg.ty, Side::User)));
                if let (Some(c), false) = (&arg.count, arg.flags.same_count) {
                    let source = if kind == DescriptorKind::OutOfLinePorts {
                        format!("Out0P->{n}.count")
                    } else {
                        format!("Out0P->{c}")
                    };
                    w.line(&format!("*{c} = {source};"));
                }
            }
            FieldRole::Data => {
                match &arg.ty.shape {
                    Shape::CString { max, .. } => {
                        w.line(&format!("(void) mig_strncpy({n}, Out0P->{n}, {max});"));
                    }
                    Shape::Array(a) if a.variable => {
                        let elem = field.element_size;
                        match (&arg.count, arg.flags.same_count) {
                            (Some(c), false) => {
                                w.line(&format!("if (Out0P->{c} > *{c}) {{"));
                                w.line(&format!(
                                    "\t(void)memcpy((char *) {n}, (const char *) Out0P->{n}, {elem} * *{c});"
                                ));
                                w.line(&format!("\t*{c} = Out0P->{c};"));
                                w.line("\treturn MIG_ARRAY_TOO_LARGE;");
                                w.line("}");
                                w.line(&format!("(void)memcpy((char *) {n}, (const char *) Out0P->{n}, {elem} * Out0P->{c});"));
                                w.line(&format!("*{c} = Out0P->{c};"));
                            }
                            (Some(c), true) => {
                                w.line(&format!("(void)memcpy((char *) {n}, (const char *) Out0P->{n}, {elem} * Out0P->{c});"));
                            }
                            (None, _) => {}
                        }
                    }
                    Shape::Array(_) => {
                        w.line(&format!(
                            "(void)memcpy((char *) {n}, (const char *) Out0P->{n}, sizeof(Out0P->{n}));"
                        ));
                    }
                    _ => w.line(&format!("*{n} = Out0P->{n};")),
                }
            }
            _ => {}
        }
    }
    let _ = reply;
    w.line("return KERN_SUCCESS;");
    w.end_block("");
}

/// The count of an argument as the request needs it: `inout` arrays take their count by reference.
fn count_value(arg: &Arg, count: &str) -> String {
    if arg.kind == ArgKind::InOut { format!("(*{count})") } else { count.to_string() }
}

/// The disposition a user stub sends a port argument with: the type's, or the polymorphic parameter.
fn user_disposition(arg: &Arg) -> String {
    match (arg.port_type().and_then(|p| p.send), arg.user_poly()) {
        (Some(d), _) => disposition_name(d),
        (None, Some(poly)) => poly.to_string(),
        (None, None) => "MACH_MSG_TYPE_COPY_SEND".to_string(),
    }
}
