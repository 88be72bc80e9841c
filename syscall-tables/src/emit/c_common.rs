//! `src/syscalls/syscall_tables.h`: the row types of the tables, their sizes and declarations, and the
//! defaults of the kernel configuration options the tables are conditional on.

use codegen::CWriter;

use super::{c_arrays, c_preamble, c_row_type, count_macro};
use crate::model::{Table, TableKind};
use crate::{Dest, Output};

/// The header for `tables`.
pub fn output(tables: &[Table]) -> Output {
    let sources: Vec<&str> = tables.iter().map(|t| t.source.as_str()).collect();
    let mut w = CWriter::new();
    w.line("/*");
    w.line(" * The rows of the system call tables: what XNU keeps per entry in init_sysent.c (BSD calls),");
    w.line(" * syscall_sw.c (Mach traps) and machdep_call.c (machine-dependent calls), as data: the kernel");
    w.line(" * function is named rather than pointed to, since the implementations live in darlingserver.");
    w.line(" */");
    w.directive("#ifndef DARLING_SYSCALL_TABLES_H");
    w.directive("#define DARLING_SYSCALL_TABLES_H");
    // Headers include what they need inside their guard, so the guard is the first thing a reader sees.
    w.next_section();
    w.directive("#include <stdbool.h>");
    w.directive("#include <stdint.h>");

    let mut options: Vec<&str> =
        tables.iter().flat_map(|t| t.config_options.iter().map(String::as_str)).collect();
    options.sort_unstable();
    options.dedup();
    if !options.is_empty() {
        w.next_section();
        w.line("/*");
        w.line(" * Kernel configuration options that entries depend on. darling-rs implements the full");
        w.line(" * configuration, so each is on unless defined otherwise before this header is included.");
        w.line(" */");
        for option in options {
            w.directive(&format!("#ifndef {option}"));
            w.directive(&format!("#define {option} 1"));
            w.directive("#endif");
        }
    }

    for table in tables {
        w.next_section();
        match table.kind {
            TableKind::Bsd => {
                w.line("/* How a BSD call returns its result (XNU's sy_return_type). */");
                for (i, name) in [
                    "_SYSCALL_RET_NONE",
                    "_SYSCALL_RET_INT_T",
                    "_SYSCALL_RET_UINT_T",
                    "_SYSCALL_RET_OFF_T",
                    "_SYSCALL_RET_ADDR_T",
                    "_SYSCALL_RET_SIZE_T",
                    "_SYSCALL_RET_SSIZE_T",
                    "_SYSCALL_RET_UINT64_T",
                ]
                .iter()
                .enumerate()
                {
                    w.directive(&format!("#define {name} {i}"));
                }
                w.next_section();
                w.line("/* One row of the BSD system call table. */");
                w.begin_block("struct darling_sysent");
                w.line("const char *sy_call;         /* the kernel function: read, sys_close, nosys ... */");
                w.line("const char *sy_arg_munge32;  /* how a 32-bit caller's arguments widen (munge_wwl), or NULL */");
                w.line("int32_t sy_return_type;      /* _SYSCALL_RET_* */");
                w.line("int16_t sy_narg;             /* number of arguments */");
                w.line("uint16_t sy_arg_bytes;       /* bytes of arguments a 32-bit caller passes */");
                w.end_block(";");
            }
            TableKind::MachTraps => {
                w.line("/* One row of the Mach trap table; trap number -N is row N. */");
                w.begin_block("struct darling_mach_trap");
                w.line("const char *mach_trap_function;     /* the kernel function, kern_invalid for an empty row */");
                w.line("const char *mach_trap_arg_munge32;  /* how a 32-bit caller's arguments widen, or NULL */");
                w.line("int16_t mach_trap_arg_count;        /* number of arguments */");
                w.line("int16_t mach_trap_u32_words;        /* 32-bit words a 32-bit caller passes */");
                w.line("bool mach_trap_returns_port;        /* the result is a port name the caller owns */");
                w.end_block(";");
            }
            TableKind::Machdep => {
                w.line("/* One row of the machine-dependent call table. */");
                w.begin_block("struct darling_machdep_call");
                w.line("const char *routine;  /* the kernel function, kern_invalid for an empty row */");
                w.line("int16_t nargs;        /* number of arguments */");
                w.line("bool bsd_style;       /* returns a result or an errno value, as BSD calls do */");
                w.end_block(";");
            }
        }
        let (rows, names) = c_arrays(table.kind);
        let count = count_macro(table.kind);
        w.next_section();
        w.directive(&format!("#define {count} {}", table.slot_count));
        w.line(&format!("extern const {} {rows}[{count}];", c_row_type(table.kind)));
        w.line(&format!("extern const char *const {names}[{count}];"));
    }
    w.next_section();
    w.directive("#endif /* DARLING_SYSCALL_TABLES_H */");
    Output {
        dest: Dest::C,
        path: "src/syscalls/syscall_tables.h".to_string(),
        snapshot: "syscall_tables_h".to_string(),
        contents: w.finish(&c_preamble(&sources.join(", "))),
    }
}
