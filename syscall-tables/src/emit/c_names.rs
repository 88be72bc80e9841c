//! `src/syscalls/<table>_names.c`: the name of every slot, as XNU's `syscalls.c` (BSD) and
//! `mach_syscall_name_table` (Mach) have them, for tracing and messages.

use std::fmt::Write as _;

use codegen::CWriter;

use super::{CString, c_arrays, c_comment_text, c_output, c_preamble, count_macro, for_each_line};
use crate::Output;
use crate::model::{Table, TableKind};

/// The names table of `table`.
pub fn output(table: &Table) -> Output {
    let (_, names) = c_arrays(table.kind);
    let mut w = CWriter::new();
    w.include_local("syscall_tables.h");
    w.line(match table.kind {
        TableKind::Bsd => {
            "/* The name of every BSD system call number; \"#N\" for numbers without a call. */"
        }
        TableKind::MachTraps => "/* The name of every Mach trap; trap number -N is row N. */",
        TableKind::Machdep => "/* The name of every machine-dependent call. */",
    });
    w.begin_block(&format!("const char *const {names}[{}] =", count_macro(table.kind)));
    for_each_line(&mut w, table, |w, entry| {
        if !entry.files.names {
            return;
        }
        // Writing to a `CWriter` cannot fail.
        let _ = write!(w, "[{}] = {},", entry.number, CString(&entry.table_name));
        if let Some(note) = &entry.note {
            let _ = write!(w, " /* {} */", c_comment_text(note));
        }
        let _ = w.write_str("\n");
    });
    w.end_block(";");
    c_output(table, "names.c", "names_c", w.finish(&c_preamble(&table.source)))
}
