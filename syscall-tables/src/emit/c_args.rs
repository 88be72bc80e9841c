//! `src/syscalls/<table>_args.h`: the argument structures, as XNU's `sysproto.h` (BSD) and
//! `mach_traps.h` (Mach) lay them out for 64-bit kernels.
//!
//! Every argument sits in an 8-byte slot at an 8-aligned offset with its padding after the value
//! (little-endian), and a call without arguments has a lone `int32_t dummy`. Fields use fixed-width
//! types: the names in the prototypes (`off_t`, `sigset_t`, `pid_t`) mean other sizes in a Linux C
//! library, and the layout must be Darwin's. Each structure is followed by a `_Static_assert` of the
//! size `codegen::layout` computed, so a compiler that disagrees stops the build.

use std::fmt::Write as _;

use codegen::CWriter;

use super::{c_comment_text, c_output, c_preamble};
use crate::Output;
use crate::lower::pad_field;
use crate::model::{Line, Table, TableKind};

/// The argument structures of `table`.
pub fn output(table: &Table) -> Output {
    let guard = format!("DARLING_{}_ARGS_H", table.kind.c_stem().to_ascii_uppercase());
    let mut w = CWriter::new();
    w.line("/*");
    match table.kind {
        TableKind::Bsd => w.line(" * The argument structures of the BSD system calls (XNU's sysproto.h)."),
        TableKind::MachTraps => w.line(" * The argument structures of the Mach traps (XNU's mach_traps.h)."),
        TableKind::Machdep => w.line(" * The argument structures of the machine-dependent calls."),
    }
    w.line(" *");
    w.line(
        " * As the 64-bit kernels lay them out: each argument in an 8-byte slot at an 8-aligned offset, the",
    );
    w.line(
        " * value first and the padding after it; a lone int32_t dummy when there are no arguments. Fields",
    );
    w.line(" * have fixed-width types so that the layout is Darwin's whatever the host C library means by");
    w.line(" * off_t or sigset_t; the comment on each field gives the type from the prototype.");
    w.line(" */");
    w.directive(&format!("#ifndef {guard}"));
    w.directive(&format!("#define {guard}"));
    w.next_section();
    w.directive("#include <stdint.h>");
    w.directive("#include \"syscall_tables.h\"");
    w.next_section();
    w.directive("#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__");
    w.directive(
        "#error \"argument structures pad after each value, which is right on little-endian targets only\"",
    );
    w.directive("#endif");

    let mut prototype = String::new();
    for line in &table.lines {
        match line {
            Line::Include(_) => {}
            Line::If(c) => {
                w.next_section();
                w.directive(&format!("#if {}", c.text));
            }
            Line::Else(_) => {
                w.next_section();
                w.directive("#else");
            }
            Line::Endif(c) => {
                w.next_section();
                w.directive(&format!("#endif /* {} */", c_comment_text(&c.text)));
            }
            Line::Entry(i) => {
                let entry = &table.entries[*i];
                let Some(args_struct) = &entry.args_struct else { continue };
                w.next_section();
                prototype.clear();
                entry.write_prototype(&mut prototype);
                // Writing to a `CWriter` cannot fail.
                let _ = writeln!(w, "/* {}: {} */", entry.number, c_comment_text(&prototype));
                let _ = writeln!(w, "struct {} {{", args_struct.name);
                w.indent();
                if entry.args.is_empty() {
                    w.line("int32_t dummy;");
                }
                for arg in &entry.args {
                    let _ = writeln!(
                        w,
                        "{} {}; /* {} */",
                        arg.repr.c_type(),
                        arg.names.c,
                        c_comment_text(&arg.c_type)
                    );
                    let pad = 8 - arg.repr.size();
                    if pad > 0 {
                        let _ = writeln!(w, "char {}[{pad}];", pad_field(&arg.names.c));
                    }
                }
                w.end_block(";");
                let _ = writeln!(
                    w,
                    "_Static_assert(sizeof(struct {0}) == {1}, \"struct {0} is {1} bytes\");",
                    args_struct.name, args_struct.layout_64.size
                );
            }
        }
    }
    w.next_section();
    w.directive(&format!("#endif /* {guard} */"));
    c_output(table, "args.h", "args_h", w.finish(&c_preamble(&table.source)))
}
