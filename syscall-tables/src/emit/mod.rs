//! Stage 4, emit: one module per output, each a function from the model to text. Emitters cannot fail.
//!
//! | output | module | XNU's equivalent |
//! | --- | --- | --- |
//! | `include/sys/syscall.h` | [`c_syscall_h`] | `bsd/sys/syscall.h` (makesyscalls.sh `header`) |
//! | `src/syscalls/syscall_tables.h` | [`c_common`] | `sys/sysent.h`, `mach/syscall_sw.h` row types |
//! | `src/syscalls/<table>_args.h` | [`c_args`] | `sys/sysproto.h`, `mach/mach_traps.h` |
//! | `src/syscalls/<table>_names.c` | [`c_names`] | `kern/syscalls.c`, `mach_syscall_name_table` |
//! | `src/syscalls/<table>_table.c` | [`c_table`] | `kern/init_sysent.c`, `mach_trap_table`, `machdep_call_table` |
//! | `generated/<table>.rs` (darling-core) | [`rust`] | none: enums, dispatch trait, dispatch function |

pub mod c_args;
pub mod c_common;
pub mod c_names;
pub mod c_syscall_h;
pub mod c_table;
pub mod rust;
pub mod rust_text;

use std::borrow::Cow;
use std::fmt::Write as _;

use codegen::{CommentStyle, preamble};

use crate::model::{Table, TableKind};
use crate::{Dest, Output};

/// The tool name every preamble carries.
pub const TOOL: &str = "syscall-tables";

/// Every output for `tables` (at most one per kind), in a fixed order.
///
/// The Rust modules, the largest outputs, are printed on threads of their own while this thread writes
/// the C files; the order of the result does not depend on which finishes first.
pub fn all(tables: &[Table]) -> Vec<Output> {
    if tables.is_empty() {
        return Vec::new();
    }
    std::thread::scope(|scope| {
        let rust: Vec<_> = tables.iter().map(|table| scope.spawn(move || rust::output(table))).collect();
        let mut outputs = vec![c_common::output(tables)];
        for table in tables {
            if table.kind == TableKind::Bsd {
                outputs.push(c_syscall_h::output(table));
            }
            outputs.push(c_args::output(table));
            outputs.push(c_names::output(table));
            outputs.push(c_table::output(table));
        }
        for handle in rust {
            outputs.push(handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        }
        outputs
    })
}

/// The C preamble for a file generated from `source`.
pub(crate) fn c_preamble(source: &str) -> String {
    preamble(TOOL, source, CommentStyle::C)
}

/// `src/syscalls/<stem>_<suffix>`.
pub(crate) fn c_output(table: &Table, suffix: &str, snapshot: &str, contents: String) -> Output {
    Output {
        dest: Dest::C,
        path: format!("src/syscalls/{}_{suffix}", table.kind.c_stem()),
        snapshot: format!("{}_{snapshot}", table.kind.rust_module()),
        contents,
    }
}

/// The C name of the row count constant of a table (`DARLING_NSYSENT`).
pub(crate) fn count_macro(kind: TableKind) -> &'static str {
    match kind {
        TableKind::Bsd => "DARLING_NSYSENT",
        TableKind::MachTraps => "DARLING_MACH_TRAP_COUNT",
        TableKind::Machdep => "DARLING_MACHDEP_CALL_COUNT",
    }
}

/// The C names of a table's row array and names array.
pub(crate) fn c_arrays(kind: TableKind) -> (&'static str, &'static str) {
    match kind {
        TableKind::Bsd => ("darling_sysent", "darling_syscallnames"),
        TableKind::MachTraps => ("darling_mach_trap_table", "darling_mach_trap_names"),
        TableKind::Machdep => ("darling_machdep_call_table", "darling_machdep_call_names"),
    }
}

/// The C row type of a table.
pub(crate) fn c_row_type(kind: TableKind) -> &'static str {
    match kind {
        TableKind::Bsd => "struct darling_sysent",
        TableKind::MachTraps => "struct darling_mach_trap",
        TableKind::Machdep => "struct darling_machdep_call",
    }
}

/// Text safe inside a C `/* */` comment.
pub(crate) fn c_comment_text(text: &str) -> Cow<'_, str> {
    // Both sequences contain a `/`: most text has none and is used as it is.
    if text.contains('/') {
        Cow::Owned(text.replace("*/", "* /").replace("/*", "/ *"))
    } else {
        Cow::Borrowed(text)
    }
}

/// `text` as a C string literal, quotes included, for `format!` and `write!`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CString<'a>(pub &'a str);

impl std::fmt::Display for CString<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_char('"')?;
        let mut rest = self.0;
        // Runs of characters that need no escape are written at once.
        while let Some(i) = rest.find(|c: char| !(c.is_ascii_graphic() || c == ' ') || c == '"' || c == '\\')
        {
            f.write_str(&rest[..i])?;
            let c = rest[i..].chars().next().unwrap_or_default();
            match c {
                '"' => f.write_str("\\\"")?,
                '\\' => f.write_str("\\\\")?,
                c => write!(f, "\\x{:02x}", u32::from(c) & 0xff)?,
            }
            rest = &rest[i + c.len_utf8()..];
        }
        f.write_str(rest)?;
        f.write_char('"')
    }
}

/// Writes `table`'s lines in order: its `#if`/`#else`/`#endif` as they are (the configuration defaults
/// in `syscall_tables.h` decide them), and each entry through `entry`.
pub(crate) fn for_each_line(
    w: &mut codegen::CWriter,
    table: &Table,
    mut entry: impl FnMut(&mut codegen::CWriter, &crate::model::Entry),
) {
    use crate::model::Line;
    for line in &table.lines {
        match line {
            Line::Include(_) => {}
            Line::If(c) => w.directive(&format!("#if {}", c.text)),
            Line::Else(_) => w.directive("#else"),
            Line::Endif(c) => w.directive(&format!("#endif /* {} */", c_comment_text(&c.text))),
            Line::Entry(i) => entry(w, &table.entries[*i]),
        }
    }
}
