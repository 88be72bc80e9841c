//! `rpc.c`: the client wrappers, a drop-in for the source darlingserver's build generates.
//!
//! Each `dserver_rpc_explicit_X` packs its call struct, then runs one shared exchange
//! (`dserver_rpc_exchange`) that keeps the original behaviour: signals blocked around the call
//! unless `ALLOW_INTERRUPTIONS`, `EINTR` retried (a send is given up only for interruptible calls),
//! the reply checked for its number and length, unexpected replies pushed back for
//! `PUSH_UNKNOWN_REPLIES`, descriptors passed with `SCM_RIGHTS`. Improvements: messages that name
//! the call, the socket path and the errno; descriptor indices checked and stray descriptors
//! closed; an `#error` per missing hook; no warnings under `-Wall -Wextra`.

use std::fmt::Write;

use codegen::layout::Target;
use codegen::{CWriter, CommentStyle, preamble};
use darling_errno::LINUX as LINUX_ERRNO;

use super::c_header::{c_doc, explicit_prototype, prototype};
use crate::model::{Call, Interface, ParamKind, flag};

/// The hooks a program must define (as macros) before compiling `rpc.c`, and what they are.
const REQUIRED_MACROS: &[(&str, &str)] = &[
    ("dserver_rpc_hooks_msghdr_t", "the `struct msghdr` type"),
    ("dserver_rpc_hooks_iovec_t", "the `struct iovec` type"),
    ("dserver_rpc_hooks_cmsghdr_t", "the `struct cmsghdr` type"),
    ("DSERVER_RPC_HOOKS_CMSG_SPACE", "`CMSG_SPACE`"),
    ("DSERVER_RPC_HOOKS_CMSG_FIRSTHDR", "`CMSG_FIRSTHDR`"),
    ("DSERVER_RPC_HOOKS_SOL_SOCKET", "`SOL_SOCKET`"),
    ("DSERVER_RPC_HOOKS_SCM_RIGHTS", "`SCM_RIGHTS`"),
    ("DSERVER_RPC_HOOKS_CMSG_LEN", "`CMSG_LEN`"),
    ("DSERVER_RPC_HOOKS_CMSG_DATA", "`CMSG_DATA`"),
    ("DSERVER_RPC_HOOKS_ATTRIBUTE", "the attributes of hook declarations (e.g. `extern`)"),
    ("dserver_rpc_hooks_atomic_save_t", "what `atomic_begin` saves (e.g. `sigset_t`)"),
];

/// The hook functions, declared unless the program defines them as macros.
const HOOK_FUNCTIONS: &[(&str, &str)] = &[
    ("dserver_rpc_hooks_get_pid", "pid_t dserver_rpc_hooks_get_pid(void)"),
    ("dserver_rpc_hooks_get_tid", "pid_t dserver_rpc_hooks_get_tid(void)"),
    (
        "dserver_rpc_hooks_get_architecture",
        "dserver_rpc_architecture_t dserver_rpc_hooks_get_architecture(void)",
    ),
    ("dserver_rpc_hooks_get_server_address", "void* dserver_rpc_hooks_get_server_address(void)"),
    (
        "dserver_rpc_hooks_get_server_address_length",
        "size_t dserver_rpc_hooks_get_server_address_length(void)",
    ),
    (
        "dserver_rpc_hooks_memcpy",
        "void* dserver_rpc_hooks_memcpy(void* destination, const void* source, size_t length)",
    ),
    (
        "dserver_rpc_hooks_send_message",
        "long int dserver_rpc_hooks_send_message(int socket, const dserver_rpc_hooks_msghdr_t* message)",
    ),
    (
        "dserver_rpc_hooks_receive_message",
        "long int dserver_rpc_hooks_receive_message(int socket, dserver_rpc_hooks_msghdr_t* out_message)",
    ),
    ("dserver_rpc_hooks_get_bad_message_status", "int dserver_rpc_hooks_get_bad_message_status(void)"),
    (
        "dserver_rpc_hooks_get_communication_error_status",
        "int dserver_rpc_hooks_get_communication_error_status(void)",
    ),
    ("dserver_rpc_hooks_get_broken_pipe_status", "int dserver_rpc_hooks_get_broken_pipe_status(void)"),
    ("dserver_rpc_hooks_close_fd", "void dserver_rpc_hooks_close_fd(int fd)"),
    ("dserver_rpc_hooks_get_socket", "int dserver_rpc_hooks_get_socket(void)"),
    ("dserver_rpc_hooks_printf", "void dserver_rpc_hooks_printf(const char* format, ...)"),
    (
        "dserver_rpc_hooks_atomic_begin",
        "void dserver_rpc_hooks_atomic_begin(dserver_rpc_hooks_atomic_save_t* atomic_save)",
    ),
    (
        "dserver_rpc_hooks_atomic_end",
        "void dserver_rpc_hooks_atomic_end(dserver_rpc_hooks_atomic_save_t* atomic_save)",
    ),
    ("dserver_rpc_hooks_get_interrupt_status", "int dserver_rpc_hooks_get_interrupt_status(void)"),
    (
        "dserver_rpc_hooks_push_reply",
        "void dserver_rpc_hooks_push_reply(int socket, const dserver_rpc_hooks_msghdr_t* message, size_t size)",
    ),
];

/// The source's text; `include` is the line that includes the public header (`<darlingserver/rpc.h>`).
pub fn emit(model: &Interface, include: &str) -> String {
    let mut w = CWriter::new();
    w.directive(&format!("#include {include}"));
    w.directive("#include <darlingserver/rpc-supplement.h>");

    w.next_section();
    c_doc(
        &mut w,
        &[
            "The program compiling this file provides the hooks below, as macros or functions, before it".to_string(),
            "(Darling's libsystem_kernel includes its hooks header, then this file). Optional: define".to_string(),
            "`dserver_rpc_hooks_get_server_path()` to name the server socket in messages; by default the path".to_string(),
            "is read from the server address, a `struct sockaddr_un`. `dserver_rpc_hooks_push_reply` takes".to_string(),
            "over the descriptors of the reply it is handed: it forwards them to the server, then closes them.".to_string(),
        ],
        true,
    );
    for (name, what) in REQUIRED_MACROS {
        w.directive(&format!("#ifndef {name}"));
        w.directive(&format!(
            "#error \"rpc.c: the RPC hooks must define {name} ({})\"",
            what.replace('"', "'")
        ));
        w.directive("#endif");
    }
    for (name, proto) in HOOK_FUNCTIONS {
        w.next_section();
        w.directive(&format!("#ifndef {name}"));
        w.line(&format!("DSERVER_RPC_HOOKS_ATTRIBUTE {proto};"));
        w.directive("#endif");
    }

    w.next_section();
    asserts(&mut w, model);
    w.next_section();
    support(&mut w, model);
    for c in &model.calls {
        w.next_section();
        wrapper(&mut w, c);
    }
    w.finish(&preamble("rpc-gen", &model.source, CommentStyle::C))
}

/// Compile-time checks that this compiler lays the wire structs out as Darling's clients do.
fn asserts(w: &mut CWriter, model: &Interface) {
    c_doc(
        w,
        &["Every wire struct has the size Darling's clients and server agree on, on every architecture."
            .to_string()],
        true,
    );
    let _ = writeln!(
        w,
        "_Static_assert(sizeof(dserver_rpc_callhdr_t) == 16, \"dserver_rpc_callhdr_t is 16 bytes\");"
    );
    let _ = writeln!(
        w,
        "_Static_assert(sizeof(dserver_rpc_replyhdr_t) == 8, \"dserver_rpc_replyhdr_t is 8 bytes\");"
    );
    let _ = writeln!(
        w,
        "_Static_assert(sizeof(dserver_rpc_protocol_trailer_t) == 16, \"the protocol trailer is 16 bytes\");"
    );
    for c in &model.calls {
        for (kind, size) in
            [("call", c.call_layout(Target::X86_64).size), ("reply", c.reply_layout(Target::X86_64).size)]
        {
            let ty = format!("dserver_rpc_{kind}_{}_t", c.names.c);
            let _ = writeln!(w, "_Static_assert(sizeof({ty}) == {size}, \"{ty} is {size} bytes\");");
        }
    }
}

/// The static helpers every wrapper shares.
fn support(w: &mut CWriter, model: &Interface) {
    let fd_buffer = model.call_max_fd_count().max(model.reply_max_fd_count()).max(1);
    c_doc(
        w,
        &["Room for descriptors in one message: at least one, because a server-to-client call may carry one.".to_string()],
        true,
    );
    let _ = writeln!(w, "#define DSERVER_RPC_FD_BUFFER_COUNT {fd_buffer}");

    w.next_section();
    c_doc(w, &["Linux errno names: the hooks return negated Linux errno values.".to_string()], true);
    let max = LINUX_ERRNO.iter().map(|(n, _)| *n).max().unwrap_or(0);
    let _ = writeln!(w, "static const char* const dserver_rpc_errno_names[{}] = {{", max + 1);
    w.indent();
    for (number, name) in LINUX_ERRNO {
        w.line(&format!("[{number}] = \"{name}\","));
    }
    w.dedent();
    w.line("};");
    w.next_section();
    w.begin_block("__attribute__((unused)) static const char* dserver_rpc_errno_name(long status)");
    w.line("long errno_value = (status < 0) ? -status : status;");
    let _ = writeln!(
        w,
        "if (errno_value > 0 && errno_value <= {max} && dserver_rpc_errno_names[errno_value]) {{"
    );
    w.indent();
    w.line("return dserver_rpc_errno_names[errno_value];");
    w.dedent();
    w.line("}");
    w.line("return \"unknown errno\";");
    w.end_block("");

    w.next_section();
    w.directive("#ifdef dserver_rpc_hooks_get_server_path");
    w.begin_block(
        "__attribute__((unused)) static const char* dserver_rpc_server_path(char* buffer, size_t size)",
    );
    w.line("(void)buffer;");
    w.line("(void)size;");
    w.line("return dserver_rpc_hooks_get_server_path();");
    w.end_block("");
    w.directive("#else");
    c_doc(
        w,
        &[
            "The path of the server socket, from its address (a `struct sockaddr_un`: a 2-byte family, then"
                .to_string(),
            "the path; an abstract address starts with a NUL, shown as `@`).".to_string(),
        ],
        true,
    );
    w.begin_block(
        "__attribute__((unused)) static const char* dserver_rpc_server_path(char* buffer, size_t size)",
    );
    w.line("const char* address = (const char*)dserver_rpc_hooks_get_server_address();");
    w.line("size_t length = dserver_rpc_hooks_get_server_address_length();");
    w.line("size_t used = 0;");
    w.begin_block("if (address == NULL || length <= 2 || size < 2)");
    w.line("return \"the connected server socket\";");
    w.end_block("");
    w.begin_block("for (size_t i = 2; i < length && used + 1 < size; ++i)");
    w.line("char c = address[i];");
    w.begin_block("if (c == '\\0')");
    w.begin_block("if (i != 2)");
    w.line("break;");
    w.end_block("");
    w.line("c = '@';");
    w.end_block("");
    w.line("buffer[used++] = c;");
    w.end_block("");
    w.line("buffer[used] = '\\0';");
    w.line("return buffer;");
    w.end_block("");
    w.directive("#endif");

    w.next_section();
    c_doc(
        w,
        &["Reports a failed call on the hooks' printf: the call, the socket, what happened.".to_string()],
        true,
    );
    w.begin_block("__attribute__((unused)) static void dserver_rpc_report(const char* call, const char* what, long status)");
    w.line("char path[112];");
    w.line("dserver_rpc_hooks_printf(\"*** %d:%d: dserver_rpc_%s: %s %s: %s (%ld) ***\\n\", (int)dserver_rpc_hooks_get_pid(), (int)dserver_rpc_hooks_get_tid(), call, what, dserver_rpc_server_path(path, sizeof(path)), dserver_rpc_errno_name(status), status);");
    w.end_block("");

    w.next_section();
    c_doc(w, &["Reports a reply that does not fit the call it should answer.".to_string()], true);
    w.begin_block("__attribute__((unused)) static void dserver_rpc_report_reply(const char* call, dserver_callnum_t expected, const dserver_rpc_replyhdr_t* header, long length, size_t expected_length, const char* problem)");
    w.line("char path[112];");
    w.line("const char* got = dserver_callnum_to_string(header->number);");
    w.line("dserver_rpc_hooks_printf(\"*** %d:%d: dserver_rpc_%s: bad reply from %s: %s: number %u (%s, expected %u), code %d, %ld bytes (expected %zu) ***\\n\", (int)dserver_rpc_hooks_get_pid(), (int)dserver_rpc_hooks_get_tid(), call, dserver_rpc_server_path(path, sizeof(path)), problem, (unsigned int)header->number, got ? got : \"unknown call\", (unsigned int)expected, header->code, length, expected_length);");
    w.end_block("");

    w.next_section();
    c_doc(w, &["One call's exchange: what goes out, where the reply goes, and how.".to_string()], true);
    w.begin_block("typedef struct dserver_rpc_exchange");
    for field in [
        "const char* name;",
        "dserver_callnum_t number;",
        "bool atomic;",
        "bool push_unknown_replies;",
        "void* call;",
        "size_t call_size;",
        "const dserver_rpc_protocol_trailer_t* trailer;",
        "const int* call_fds;",
        "int call_fd_count;",
        "void* reply;",
        "size_t reply_capacity;",
        "size_t reply_size;",
        "int received_fds[DSERVER_RPC_FD_BUFFER_COUNT];",
        "int received_fd_count;",
    ] {
        w.line(field);
    }
    w.end_block(" dserver_rpc_exchange_t;");

    w.next_section();
    c_doc(
        w,
        &[
            "Takes the descriptors of a received message into `x->received_fds`; closes any beyond the"
                .to_string(),
            "buffer. Returns how many arrived in all.".to_string(),
        ],
        true,
    );
    w.begin_block("__attribute__((unused)) static int dserver_rpc_take_received_fds(dserver_rpc_exchange_t* x, dserver_rpc_hooks_msghdr_t* message)");
    w.line("dserver_rpc_hooks_cmsghdr_t* cmsg = DSERVER_RPC_HOOKS_CMSG_FIRSTHDR(message);");
    w.line("int count = 0;");
    w.line("x->received_fd_count = 0;");
    w.begin_block("if (cmsg == NULL || cmsg->cmsg_level != DSERVER_RPC_HOOKS_SOL_SOCKET || cmsg->cmsg_type != DSERVER_RPC_HOOKS_SCM_RIGHTS)");
    w.line("return 0;");
    w.end_block("");
    w.line("count = (int)((cmsg->cmsg_len - DSERVER_RPC_HOOKS_CMSG_LEN(0)) / sizeof(int));");
    w.begin_block("for (int i = 0; i < count; ++i)");
    w.line("int fd;");
    w.line("dserver_rpc_hooks_memcpy(&fd, (char*)DSERVER_RPC_HOOKS_CMSG_DATA(cmsg) + i * sizeof(int), sizeof(int));");
    w.begin_block("if (i < DSERVER_RPC_FD_BUFFER_COUNT)");
    w.line("x->received_fds[x->received_fd_count++] = fd;");
    w.end_block(" else {");
    w.indent();
    w.line("dserver_rpc_hooks_close_fd(fd);");
    w.dedent();
    w.line("}");
    w.end_block("");
    w.line("return count;");
    w.end_block("");

    w.next_section();
    w.begin_block(
        "__attribute__((unused)) static void dserver_rpc_close_received_fds(dserver_rpc_exchange_t* x)",
    );
    w.begin_block("for (int i = 0; i < x->received_fd_count; ++i)");
    w.line("dserver_rpc_hooks_close_fd(x->received_fds[i]);");
    w.end_block("");
    w.line("x->received_fd_count = 0;");
    w.end_block("");

    w.next_section();
    c_doc(
        w,
        &["Sends a call and receives its reply. Returns 0 when `x->reply` holds a reply of the right number and".to_string(),
          "length (its descriptors in `x->received_fds`), else a negative status.".to_string()],
        true,
    );
    w.begin_block("__attribute__((unused)) static int dserver_rpc_exchange(int server_socket, dserver_rpc_exchange_t* x)");
    w.line("union { char buffer[DSERVER_RPC_HOOKS_CMSG_SPACE(sizeof(int) * DSERVER_RPC_FD_BUFFER_COUNT)]; dserver_rpc_hooks_cmsghdr_t align; } call_control, reply_control;");
    w.line("dserver_rpc_hooks_iovec_t call_data[2];");
    w.line("dserver_rpc_hooks_iovec_t reply_data;");
    w.line("dserver_rpc_hooks_msghdr_t callmsg;");
    w.line("dserver_rpc_hooks_msghdr_t replymsg;");
    w.line("dserver_rpc_hooks_atomic_save_t atomic_save;");
    w.line("size_t sent_size = x->call_size + (x->trailer ? sizeof(*x->trailer) : 0);");
    w.line("long int status;");
    w.line("int result = 0;");
    w.line("");
    w.line("call_data[0].iov_base = x->call;");
    w.line("call_data[0].iov_len = x->call_size;");
    w.line("call_data[1].iov_base = (void*)x->trailer;");
    w.line("call_data[1].iov_len = x->trailer ? sizeof(*x->trailer) : 0;");
    w.line("dserver_rpc_hooks_memcpy(&callmsg, &(dserver_rpc_hooks_msghdr_t){0}, sizeof(callmsg));");
    w.line("callmsg.msg_name = dserver_rpc_hooks_get_server_address();");
    w.line("callmsg.msg_namelen = dserver_rpc_hooks_get_server_address_length();");
    w.line("callmsg.msg_iov = call_data;");
    w.line("callmsg.msg_iovlen = x->trailer ? 2 : 1;");
    w.begin_block("if (x->call_fd_count > 0)");
    w.line("dserver_rpc_hooks_cmsghdr_t* call_cmsg;");
    w.line("callmsg.msg_control = call_control.buffer;");
    w.line("callmsg.msg_controllen = DSERVER_RPC_HOOKS_CMSG_SPACE(sizeof(int) * x->call_fd_count);");
    w.line("call_cmsg = DSERVER_RPC_HOOKS_CMSG_FIRSTHDR(&callmsg);");
    w.line("call_cmsg->cmsg_level = DSERVER_RPC_HOOKS_SOL_SOCKET;");
    w.line("call_cmsg->cmsg_type = DSERVER_RPC_HOOKS_SCM_RIGHTS;");
    w.line("call_cmsg->cmsg_len = DSERVER_RPC_HOOKS_CMSG_LEN(sizeof(int) * x->call_fd_count);");
    w.line("dserver_rpc_hooks_memcpy(DSERVER_RPC_HOOKS_CMSG_DATA(call_cmsg), x->call_fds, sizeof(int) * x->call_fd_count);");
    w.end_block("");
    w.line("reply_data.iov_base = x->reply;");
    w.line("reply_data.iov_len = x->reply_capacity;");
    w.line("x->received_fd_count = 0;");
    w.line("");
    w.begin_block("if (x->atomic)");
    w.line("dserver_rpc_hooks_atomic_begin(&atomic_save);");
    w.end_block("");
    w.line("");
    w.directive("retry_send:");
    w.line("status = dserver_rpc_hooks_send_message(server_socket, &callmsg);");
    w.begin_block("if (status == dserver_rpc_hooks_get_interrupt_status())");
    w.begin_block("if (x->atomic)");
    w.line("goto retry_send;");
    w.end_block("");
    w.line("return (int)status;");
    w.end_block("");
    w.begin_block("if (status < 0)");
    w.line("dserver_rpc_report(x->name, \"sending to\", status);");
    w.line("result = (int)status;");
    w.line("goto out;");
    w.end_block("");
    w.begin_block("if ((size_t)status != sent_size)");
    w.line("dserver_rpc_hooks_printf(\"*** %d:%d: dserver_rpc_%s: sent %ld of %zu bytes ***\\n\", (int)dserver_rpc_hooks_get_pid(), (int)dserver_rpc_hooks_get_tid(), x->name, status, sent_size);");
    w.line("result = dserver_rpc_hooks_get_communication_error_status();");
    w.line("goto out;");
    w.end_block("");
    w.line("");
    w.directive("retry_receive:");
    w.line("dserver_rpc_hooks_memcpy(&replymsg, &(dserver_rpc_hooks_msghdr_t){0}, sizeof(replymsg));");
    w.line("replymsg.msg_iov = &reply_data;");
    w.line("replymsg.msg_iovlen = 1;");
    w.line("replymsg.msg_control = reply_control.buffer;");
    w.line("replymsg.msg_controllen = sizeof(reply_control.buffer);");
    w.line("status = dserver_rpc_hooks_receive_message(server_socket, &replymsg);");
    w.begin_block("if (status == dserver_rpc_hooks_get_interrupt_status())");
    w.line("goto retry_receive;");
    w.end_block("");
    w.begin_block("if (status < 0)");
    w.line("dserver_rpc_report(x->name, \"receiving from\", status);");
    w.line("result = (int)status;");
    w.line("goto out;");
    w.end_block("");
    w.begin_block("if ((size_t)status < sizeof(dserver_rpc_replyhdr_t))");
    w.line("dserver_rpc_take_received_fds(x, &replymsg);");
    w.line("dserver_rpc_close_received_fds(x);");
    w.line("dserver_rpc_hooks_printf(\"*** %d:%d: dserver_rpc_%s: reply of %ld bytes is shorter than its header ***\\n\", (int)dserver_rpc_hooks_get_pid(), (int)dserver_rpc_hooks_get_tid(), x->name, status);");
    w.line("result = dserver_rpc_hooks_get_communication_error_status();");
    w.line("goto out;");
    w.end_block("");
    w.begin_block("if (((const dserver_rpc_replyhdr_t*)x->reply)->number != x->number)");
    w.begin_block("if (x->push_unknown_replies)");
    c_doc(
        w,
        &["A reply to the call this thread was in when the signal came: hand it back for later.".to_string()],
        true,
    );
    w.line("dserver_rpc_hooks_push_reply(server_socket, &replymsg, (size_t)status);");
    w.line("goto retry_receive;");
    w.end_block("");
    w.line("dserver_rpc_take_received_fds(x, &replymsg);");
    w.line("dserver_rpc_close_received_fds(x);");
    w.line("dserver_rpc_report_reply(x->name, x->number, (const dserver_rpc_replyhdr_t*)x->reply, status, x->reply_size, \"a reply to another call\");");
    w.line("result = dserver_rpc_hooks_get_communication_error_status();");
    w.line("goto out;");
    w.end_block("");
    w.begin_block("if (dserver_rpc_take_received_fds(x, &replymsg) > DSERVER_RPC_FD_BUFFER_COUNT)");
    w.line("dserver_rpc_close_received_fds(x);");
    w.line("dserver_rpc_report_reply(x->name, x->number, (const dserver_rpc_replyhdr_t*)x->reply, status, x->reply_size, \"too many descriptors\");");
    w.line("result = dserver_rpc_hooks_get_bad_message_status();");
    w.line("goto out;");
    w.end_block("");
    w.begin_block("if ((size_t)status != x->reply_size)");
    w.line("dserver_rpc_close_received_fds(x);");
    w.line("dserver_rpc_report_reply(x->name, x->number, (const dserver_rpc_replyhdr_t*)x->reply, status, x->reply_size, \"wrong length\");");
    w.line("result = dserver_rpc_hooks_get_communication_error_status();");
    w.line("goto out;");
    w.end_block("");
    w.line("");
    w.directive("out:");
    w.begin_block("if (x->atomic)");
    w.line("dserver_rpc_hooks_atomic_end(&atomic_save);");
    w.end_block("");
    w.line("return result;");
    w.end_block("");

    w.next_section();
    c_doc(
        w,
        &["Matches the descriptor indices of a reply body with the descriptors that arrived: each index is -1".to_string(),
          "or names one of them, none twice, and every one that arrived is named. Otherwise all are closed.".to_string()],
        true,
    );
    w.begin_block("__attribute__((unused)) static int dserver_rpc_claim_fds(dserver_rpc_exchange_t* x, const int32_t* indices, int* fds, int count)");
    w.line("bool used[DSERVER_RPC_FD_BUFFER_COUNT] = {0};");
    w.line("int claimed = 0;");
    w.begin_block("for (int i = 0; i < count; ++i)");
    w.line("fds[i] = -1;");
    w.begin_block("if (indices[i] < 0)");
    w.line("continue;");
    w.end_block("");
    w.begin_block("if (indices[i] >= x->received_fd_count || used[indices[i]])");
    w.line("goto bad;");
    w.end_block("");
    w.line("used[indices[i]] = true;");
    w.line("fds[i] = x->received_fds[indices[i]];");
    w.line("++claimed;");
    w.end_block("");
    w.begin_block("if (claimed == x->received_fd_count)");
    w.line("return 0;");
    w.end_block("");
    w.directive("bad:");
    w.line("dserver_rpc_hooks_printf(\"*** %d:%d: dserver_rpc_%s: reply's descriptor indices do not match the %d descriptor(s) that came with it ***\\n\", (int)dserver_rpc_hooks_get_pid(), (int)dserver_rpc_hooks_get_tid(), x->name, x->received_fd_count);");
    w.line("dserver_rpc_close_received_fds(x);");
    w.line("return dserver_rpc_hooks_get_bad_message_status();");
    w.end_block("");
}

/// `dserver_rpc_explicit_X` and `dserver_rpc_X` for one call.
fn wrapper(w: &mut CWriter, c: &Call) {
    let name = &c.names.c;
    let call_fds: Vec<_> = c.params.iter().filter(|p| p.is_fd()).collect();
    let reply_fds: Vec<_> = c.returns.iter().filter(|p| p.is_fd()).collect();

    w.begin_block(&explicit_prototype(c));
    w.begin_block(&format!("dserver_rpc_call_{name}_t dserver_call =",));
    w.begin_block(".header =");
    w.line(&format!(".number = {},", c.c_callnum()));
    w.line(".pid = dserver_rpc_hooks_get_pid(),");
    w.line(".tid = dserver_rpc_hooks_get_tid(),");
    w.line(".architecture = dserver_rpc_hooks_get_architecture(),");
    w.end_block(",");
    if !c.params.is_empty() {
        w.begin_block(".body =");
        for p in &c.params {
            let value = match &p.kind {
                ParamKind::Fd => "-1".to_string(),
                ParamKind::Value { public, wire } if public.pointers > 0 => {
                    format!("({})(uintptr_t){}", wire.c_name(), p.names.c)
                }
                ParamKind::Value { wire, .. } => format!("({}){}", wire.c_name(), p.names.c),
            };
            w.line(&format!(".{} = {value},", p.names.c));
        }
        w.end_block(",");
    }
    w.end_block(";");
    w.begin_block("union");
    w.line(&format!("dserver_rpc_reply_{name}_t reply;"));
    w.line("dserver_s2c_call_t s2c;");
    if c.has(flag::PUSH_UNKNOWN_REPLIES) {
        w.line("char any_reply[DSERVER_RPC_REPLY_MAX_LENGTH];");
    }
    w.end_block(" dserver_reply;");
    if !call_fds.is_empty() {
        w.line(&format!("int dserver_call_fds[{}];", call_fds.len()));
        w.line("int dserver_call_fd_count = 0;");
    }
    if c.has(flag::SEND_PROTOCOL_HASH) {
        w.begin_block("static const dserver_rpc_protocol_trailer_t dserver_trailer =");
        w.line(".magic = DSERVER_RPC_PROTOCOL_HASH_MAGIC,");
        w.line(".hash = DSERVER_RPC_PROTOCOL_HASH,");
        w.end_block(";");
    }
    w.line("dserver_rpc_exchange_t dserver_x;");
    if !reply_fds.is_empty() {
        w.line(&format!("int32_t dserver_indices[{}];", reply_fds.len()));
        w.line(&format!("int dserver_fds[{}];", reply_fds.len()));
    }
    w.line("int dserver_status;");
    w.line("");
    for p in &call_fds {
        let n = &p.names.c;
        w.begin_block(&format!("if ({n} >= 0)"));
        w.line(&format!("dserver_call.body.{n} = dserver_call_fd_count;"));
        w.line(&format!("dserver_call_fds[dserver_call_fd_count++] = {n};"));
        w.end_block("");
    }
    w.line("dserver_rpc_hooks_memcpy(&dserver_x, &(dserver_rpc_exchange_t){0}, sizeof(dserver_x));");
    w.line(&format!("dserver_x.name = \"{name}\";"));
    w.line(&format!("dserver_x.number = {};", c.c_callnum()));
    w.line(&format!(
        "dserver_x.atomic = {};",
        if c.has(flag::ALLOW_INTERRUPTIONS) { "false" } else { "true" }
    ));
    w.line(&format!(
        "dserver_x.push_unknown_replies = {};",
        if c.has(flag::PUSH_UNKNOWN_REPLIES) { "true" } else { "false" }
    ));
    w.line("dserver_x.call = &dserver_call;");
    w.line("dserver_x.call_size = sizeof(dserver_call);");
    if c.has(flag::SEND_PROTOCOL_HASH) {
        w.line("dserver_x.trailer = &dserver_trailer;");
    }
    if !call_fds.is_empty() {
        w.line("dserver_x.call_fds = dserver_call_fds;");
        w.line("dserver_x.call_fd_count = dserver_call_fd_count;");
    }
    w.line("dserver_x.reply = &dserver_reply;");
    w.line("dserver_x.reply_capacity = sizeof(dserver_reply);");
    w.line("dserver_x.reply_size = sizeof(dserver_reply.reply);");
    w.line("");
    w.line("dserver_status = dserver_rpc_exchange(server_socket, &dserver_x);");
    w.begin_block("if (dserver_status != 0)");
    w.line("return dserver_status;");
    w.end_block("");
    if reply_fds.is_empty() {
        w.line("dserver_status = dserver_rpc_claim_fds(&dserver_x, NULL, NULL, 0);");
    } else {
        for (i, p) in reply_fds.iter().enumerate() {
            w.line(&format!("dserver_indices[{i}] = dserver_reply.reply.body.{};", p.names.c));
        }
        w.line(&format!(
            "dserver_status = dserver_rpc_claim_fds(&dserver_x, dserver_indices, dserver_fds, {});",
            reply_fds.len()
        ));
    }
    w.begin_block("if (dserver_status != 0)");
    w.line("return dserver_status;");
    w.end_block("");
    let mut fd_slot = 0;
    for p in &c.returns {
        let n = &p.names.c;
        match &p.kind {
            ParamKind::Fd => {
                w.begin_block(&format!("if (out_{n})"));
                w.line(&format!("*out_{n} = dserver_fds[{fd_slot}];"));
                w.end_block(&format!(" else if (dserver_fds[{fd_slot}] >= 0) {{"));
                w.indent();
                w.line(&format!("dserver_rpc_hooks_close_fd(dserver_fds[{fd_slot}]);"));
                w.dedent();
                w.line("}");
                fd_slot += 1;
            }
            ParamKind::Value { public, .. } => {
                let value = if public.pointers > 0 {
                    format!("({})(uintptr_t)dserver_reply.reply.body.{n}", public.spelling())
                } else {
                    format!("({})dserver_reply.reply.body.{n}", public.spelling())
                };
                w.begin_block(&format!("if (out_{n})"));
                w.line(&format!("*out_{n} = {value};"));
                w.end_block("");
            }
        }
    }
    w.line("return dserver_reply.reply.header.code;");
    w.end_block("");

    w.next_section();
    w.begin_block(&prototype(c));
    w.line("int server_socket = dserver_rpc_hooks_get_socket();");
    w.begin_block("if (server_socket < 0)");
    w.line("return dserver_rpc_hooks_get_broken_pipe_status();");
    w.end_block("");
    let mut args = vec!["server_socket".to_string()];
    args.extend(c.params.iter().map(|p| p.names.c.clone()));
    args.extend(c.returns.iter().map(|p| format!("out_{}", p.names.c)));
    w.line(&format!("return dserver_rpc_explicit_{name}({});", args.join(", ")));
    w.end_block("");
}
