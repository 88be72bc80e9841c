//! `src/syscalls/<table>_table.c`: one row per slot with the kernel function, argument count, return
//! type and 32-bit munger, as XNU's `init_sysent.c` (BSD), `mach_trap_table` and `machdep_call_table`
//! have them.

use std::fmt::{self, Write as _};

use codegen::CWriter;

use super::{
    CString, c_arrays, c_comment_text, c_output, c_preamble, c_row_type, count_macro, for_each_line,
};
use crate::Output;
use crate::model::{Entry, Table, TableKind};

/// The entry table of `table`.
pub fn output(table: &Table) -> Output {
    let (rows, _) = c_arrays(table.kind);
    let mut w = CWriter::new();
    // Rows without a munger say `NULL`; the machine-dependent table has no munger column.
    if table.kind != TableKind::Machdep && table.entries.iter().any(|e| e.munger32.is_none()) {
        w.include_system("stddef.h");
    }
    w.include_local("syscall_tables.h");
    for include in &table.includes {
        // The master's own includes, passed through as makesyscalls.sh does for init_sysent.c.
        w.directive(&format!("#include {include}"));
    }
    if !table.includes.is_empty() {
        w.next_section();
    }
    w.line(match table.kind {
        TableKind::Bsd => {
            "/* The BSD system call table: { function, munger, return type, arguments, 32-bit bytes }. */"
        }
        TableKind::MachTraps => {
            "/* The Mach trap table: { function, munger, arguments, 32-bit words, returns a port }. */"
        }
        TableKind::Machdep => "/* The machine-dependent call table: { function, arguments, BSD-style }. */",
    });
    w.begin_block(&format!("const {} {rows}[{}] =", c_row_type(table.kind), count_macro(table.kind)));
    for_each_line(&mut w, table, |w, entry| {
        // Writing to a `CWriter` cannot fail. The comment's parts are made safe one by one: the
        // separators between them hold no `*` or `/`.
        let _ = write!(w, "[{}] = {{ ", entry.number);
        let _ = write_row(w, table.kind, entry);
        let _ = write!(w, " }}, /* {} = {}", entry.number, c_comment_text(&entry.table_name));
        if let Some(note) = &entry.note {
            let _ = write!(w, ": {}", c_comment_text(note));
        }
        let _ = w.write_str(" */\n");
    });
    w.end_block(";");
    c_output(table, "table.c", "table_c", w.finish(&c_preamble(&table.source)))
}

/// The fields of `entry`'s row.
fn write_row(w: &mut CWriter, kind: TableKind, entry: &Entry) -> fmt::Result {
    let munger = entry.munger32.as_deref().map(CString);
    let munger: &dyn fmt::Display = match &munger {
        Some(m) => m,
        None => &"NULL",
    };
    let narg = if entry.args_struct.is_some() || entry.placeholder.is_none() { entry.args.len() } else { 0 };
    let function = CString(&entry.function);
    match kind {
        TableKind::Bsd => {
            if entry.files.table {
                write!(
                    w,
                    "{function}, {munger}, {}, {narg}, {}",
                    entry.return_kind.sy_return_type(),
                    entry.size32
                )
            } else {
                // makesyscalls.sh: an entry left out of the table still takes its row, as nosys.
                let function = if entry.function == "enosys" { "enosys" } else { "nosys" };
                write!(w, "{}, NULL, _SYSCALL_RET_NONE, 0, 0", CString(function))
            }
        }
        TableKind::MachTraps => {
            write!(w, "{function}, {munger}, {narg}, {}, {}", entry.size32 / 4, entry.returns_port)
        }
        TableKind::Machdep => write!(w, "{function}, {narg}, {}", entry.bsd_style),
    }
}
