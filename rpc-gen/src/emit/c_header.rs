//! `darlingserver/rpc.h`: the public header, a drop-in for the one darlingserver's build generates
//! (same enumerators, structs, layouts and prototypes), plus plain constants that compile.

use std::fmt::Write;

use codegen::layout::Target;
use codegen::{CWriter, CommentStyle, preamble};

use crate::model::{Call, Interface, PROTOCOL_HASH_MAGIC, Param, ParamKind, Record};

/// The header's text.
pub fn emit(model: &Interface) -> String {
    let mut w = CWriter::new();
    w.directive("#ifndef _DARLINGSERVER_API_H_");
    w.directive("#define _DARLINGSERVER_API_H_");
    w.line("");
    w.directive("#include <sys/types.h>");
    w.directive("#include <stdint.h>");
    w.directive("#include <stdbool.h>");
    w.line("");
    w.directive("#ifdef __cplusplus");
    w.line("extern \"C\" {");
    w.directive("#endif");
    if !model.doc.is_empty() {
        w.next_section();
        c_doc(&mut w, &model.doc, false);
    }

    w.next_section();
    w.directive("#define DSERVER_CALL_UNMANAGED_FLAG 0x80000000U");
    w.next_section();
    w.begin_block("enum dserver_callnum");
    w.line("dserver_callnum_s2c = 0x52cca11,");
    w.line("dserver_callnum_push_reply = 0xbadca11,");
    w.line("dserver_callnum_invalid = 0,");
    for c in &model.calls {
        if c.number != c.index {
            w.line(&format!("{} = DSERVER_CALL_UNMANAGED_FLAG | {}U,", c.c_callnum(), c.index));
        } else {
            w.line(&format!("{} = {}U,", c.c_callnum(), c.index));
        }
    }
    w.end_block(";");
    w.next_section();
    w.line("typedef enum dserver_callnum dserver_callnum_t;");

    w.next_section();
    w.directive("#ifndef DSERVER_RPC_HOOKS_ARCHITECTURE");
    w.directive("#define DSERVER_RPC_HOOKS_ARCHITECTURE 1");
    w.begin_block("enum dserver_rpc_architecture");
    for a in ["invalid", "i386", "x86_64", "arm32", "arm64"] {
        w.line(&format!("dserver_rpc_architecture_{a},"));
    }
    w.end_block(";");
    w.line("");
    w.line("typedef enum dserver_rpc_architecture dserver_rpc_architecture_t;");
    w.directive("#endif");

    w.next_section();
    c_doc(&mut w, &["What opens every call.".to_string()], false);
    w.begin_block("typedef struct dserver_rpc_callhdr");
    w.line("dserver_callnum_t number;");
    w.line("pid_t pid;");
    w.line("pid_t tid;");
    w.line("dserver_rpc_architecture_t architecture;");
    w.end_block(" dserver_rpc_callhdr_t;");
    w.next_section();
    c_doc(
        &mut w,
        &["What opens every reply. `code` is 0 on success, the call's errno when positive, and an internal RPC".to_string(),
          "error when negative.".to_string()],
        false,
    );
    w.begin_block("typedef struct dserver_rpc_replyhdr");
    w.line("dserver_callnum_t number;");
    w.line("int code;");
    w.end_block(" dserver_rpc_replyhdr_t;");
    w.next_section();
    c_doc(
        &mut w,
        &["A reply that a `PUSH_UNKNOWN_REPLIES` call received while waiting for its own, handed back to the".to_string(),
          "server (`dserver_rpc_hooks_push_reply`): where it is in the caller's memory, and how long.".to_string()],
        false,
    );
    w.begin_block("typedef struct dserver_rpc_call_push_reply");
    w.line("dserver_rpc_callhdr_t header;");
    w.line("uint64_t reply;");
    w.line("uint64_t reply_size;");
    w.end_block(" dserver_rpc_call_push_reply_t;");

    w.next_section();
    protocol_hash(&mut w, model);
    w.next_section();
    limits(&mut w, model);

    for r in &model.records {
        w.next_section();
        record(&mut w, r);
    }

    w.next_section();
    w.begin_block("static inline const char* dserver_callnum_to_string(dserver_callnum_t callnum)");
    w.begin_block("switch (callnum)");
    w.line("case dserver_callnum_s2c: return \"dserver_callnum_s2c\";");
    w.line("case dserver_callnum_push_reply: return \"dserver_callnum_push_reply\";");
    for c in &model.calls {
        w.line(&format!("case {0}: return \"{0}\";", c.c_callnum()));
    }
    w.line("default: return (const char*)0;");
    w.end_block("");
    w.end_block("");

    let mut group = None;
    for c in &model.calls {
        if c.group != group {
            group = c.group;
            if let Some(g) = c.group.and_then(|g| model.groups.get(g)) {
                w.next_section();
                w.line(&format!("/* ---- {} ---- */", sanitize(&g.title)));
                if !g.doc.is_empty() {
                    w.next_section();
                    c_doc(&mut w, &g.doc, false);
                }
            }
        }
        w.next_section();
        call(&mut w, c);
    }

    w.next_section();
    w.directive("#ifdef __cplusplus");
    w.line("}");
    w.directive("#endif");
    w.next_section();
    w.directive("#endif /* _DARLINGSERVER_API_H_ */");
    w.finish(&preamble("rpc-gen", &model.source, CommentStyle::C))
}

fn protocol_hash(w: &mut CWriter, model: &Interface) {
    let mut doc = vec![
        "FNV-1a (64-bit) of the canonical call table below. Clients append it to check-in (calls flagged".to_string(),
        "`SEND_PROTOCOL_HASH`) as a `dserver_rpc_protocol_trailer_t` after the call struct, so the server can tell".to_string(),
        "a client built from other definitions; clients that send no trailer keep working as before.".to_string(),
        String::new(),
    ];
    doc.extend(model.canonical_table.lines().map(|l| format!("    {l}")));
    c_doc(w, &doc, false);
    let _ = writeln!(w, "#define DSERVER_RPC_PROTOCOL_HASH {:#018x}ULL", model.protocol_hash);
    let _ = writeln!(w, "#define DSERVER_RPC_PROTOCOL_HASH_MAGIC {PROTOCOL_HASH_MAGIC:#018x}ULL");
    w.line("");
    w.begin_block("typedef struct dserver_rpc_protocol_trailer");
    w.line("uint64_t magic __attribute__((aligned(8)));");
    w.line("uint64_t hash __attribute__((aligned(8)));");
    w.end_block(" dserver_rpc_protocol_trailer_t;");
}

fn limits(w: &mut CWriter, model: &Interface) {
    c_doc(
        w,
        &["The largest call and reply structs and the most descriptors one carries: plain constants, the same".to_string(),
          "on every architecture (the wire structs align 64-bit members to 8 everywhere).".to_string()],
        false,
    );
    let _ = writeln!(w, "#define DSERVER_RPC_CALL_MAX_LENGTH {}", model.call_max_length(Target::X86_64));
    let _ = writeln!(w, "#define DSERVER_RPC_REPLY_MAX_LENGTH {}", model.reply_max_length(Target::X86_64));
    let _ = writeln!(w, "#define DSERVER_RPC_CALL_MAX_FD_COUNT {}", model.call_max_fd_count());
    let _ = writeln!(w, "#define DSERVER_RPC_REPLY_MAX_FD_COUNT {}", model.reply_max_fd_count());
}

fn record(w: &mut CWriter, r: &Record) {
    c_doc(w, &r.doc, false);
    w.begin_block(&format!("typedef struct dserver_{}", r.names.c));
    for f in &r.fields {
        w.line(&format!("{} {};", f.wire().c_name(), f.names.c));
    }
    w.end_block(&format!(" {};", r.c_type()));
}

fn call(w: &mut CWriter, c: &Call) {
    let name = &c.names.c;
    if !c.params.is_empty() {
        w.line(&format!("typedef struct dserver_call_{name} dserver_call_{name}_t;"));
        w.begin_block(&format!("struct dserver_call_{name}"));
        for p in &c.params {
            w.line(&format!("{};", p.wire_field_c()));
        }
        w.end_block(";");
    }
    w.line(&format!("typedef struct dserver_rpc_call_{name} dserver_rpc_call_{name}_t;"));
    w.begin_block(&format!("struct dserver_rpc_call_{name}"));
    w.line("dserver_rpc_callhdr_t header;");
    if !c.params.is_empty() {
        w.line(&format!("dserver_call_{name}_t body;"));
    }
    w.end_block(";");
    if !c.returns.is_empty() {
        w.line(&format!("typedef struct dserver_reply_{name} dserver_reply_{name}_t;"));
        w.begin_block(&format!("struct dserver_reply_{name}"));
        for p in &c.returns {
            w.line(&format!("{};", p.wire_field_c()));
        }
        w.end_block(";");
    }
    w.line(&format!("typedef struct dserver_rpc_reply_{name} dserver_rpc_reply_{name}_t;"));
    w.begin_block(&format!("struct dserver_rpc_reply_{name}"));
    w.line("dserver_rpc_replyhdr_t header;");
    if !c.returns.is_empty() {
        w.line(&format!("dserver_reply_{name}_t body;"));
    }
    w.end_block(";");
    w.line("");
    c_doc(w, &function_doc(c), false);
    w.line(&format!("{};", explicit_prototype(c)));
    w.line("");
    w.line(&format!("{};", prototype(c)));
}

/// The documentation over a call's prototypes: the `.rpc` text, then its parameters and flags.
fn function_doc(c: &Call) -> Vec<String> {
    let mut doc = super::call_doc(c);
    let documented: Vec<&Param> = c.params.iter().chain(&c.returns).filter(|p| !p.doc.is_empty()).collect();
    if !documented.is_empty() {
        doc.push(String::new());
        for p in documented {
            let out = if c.returns.iter().any(|r| std::ptr::eq(r, p)) { "out_" } else { "" };
            let mut lines = p.doc.iter();
            if let Some(first) = lines.next() {
                doc.push(format!("`{out}{}`: {first}", p.names.c));
            }
            doc.extend(lines.map(|l| format!("  {l}")));
        }
    }
    let flags = c.flags.names();
    doc.push(String::new());
    doc.push(format!(
        "Call number {}{}. Returns 0, the call's errno (positive) or an RPC error (negative).",
        c.index,
        if flags.is_empty() { String::new() } else { format!(", flags {}", flags.join(" | ")) }
    ));
    doc
}

/// `const char* string`, `int lifetime_listener_pipe`.
pub(crate) fn public_param(p: &Param) -> String {
    format!("{} {}", p.public_c(), p.names.c)
}

/// `uint64_t* out_length`, `int* out_console`, `void** out_address`.
pub(crate) fn out_param(p: &Param) -> String {
    let ty = match &p.kind {
        ParamKind::Fd => "int".to_string(),
        ParamKind::Value { public, .. } => public.spelling(),
    };
    format!("{ty}* out_{}", p.names.c)
}

/// `int dserver_rpc_explicit_X(int server_socket, ...)`.
pub(crate) fn explicit_prototype(c: &Call) -> String {
    let mut params = vec!["int server_socket".to_string()];
    params.extend(c.params.iter().map(public_param));
    params.extend(c.returns.iter().map(out_param));
    format!("int dserver_rpc_explicit_{}({})", c.names.c, params.join(", "))
}

/// `int dserver_rpc_X(...)`.
pub(crate) fn prototype(c: &Call) -> String {
    let mut params: Vec<String> = c.params.iter().map(public_param).collect();
    params.extend(c.returns.iter().map(out_param));
    let params = if params.is_empty() { "void".to_string() } else { params.join(", ") };
    format!("int dserver_rpc_{}({params})", c.names.c)
}

/// Writes a `/** ... */` block (or a `/* ... */` one when `plain`).
pub(crate) fn c_doc(w: &mut CWriter, lines: &[String], plain: bool) {
    if lines.is_empty() {
        return;
    }
    w.line(if plain { "/*" } else { "/**" });
    for l in lines {
        let l = sanitize(l);
        if l.is_empty() { w.line(" *") } else { w.line(&format!(" * {l}")) }
    }
    w.line(" */");
}

/// Keeps user text from closing a C comment early.
pub(crate) fn sanitize(text: &str) -> String {
    text.replace("*/", "* /")
}
