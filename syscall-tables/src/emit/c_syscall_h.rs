//! `include/sys/syscall.h`: the `SYS_` numbers, as makesyscalls.sh writes them for the same master.
//!
//! The names, numbers and `SYS_MAXSYSCALL` are exactly makesyscalls.sh's. Unlike its header, entries the
//! master puts under a kernel configuration option stay under `#if`; so that a program still sees every
//! number, as Apple's header shows it, an option that is not defined counts as on (`#if SOCKETS` is
//! written `#if (!defined(SOCKETS) || SOCKETS)`), and a program that defines one to 0 drops its calls.
//! Apple's header also wraps everything in `#ifdef __APPLE_API_PRIVATE`, which `<sys/appleapiopts.h>`
//! turns on by default; the prefix has no such header, so this one defines its numbers unconditionally.

use codegen::CWriter;

use super::{c_comment_text, c_preamble};
use crate::model::{Line, Table};
use crate::{Dest, Output};

/// The number XNU reserves and its header always defines as `SYS_invalid` (makesyscalls.sh writes the
/// constant; the master only notes the number as reserved).
pub const SYS_INVALID: u32 = 63;

/// The header for the BSD `table`.
pub fn output(table: &Table) -> Output {
    let mut w = CWriter::new();
    w.line("/*");
    w.line(" * BSD system call numbers, as <sys/syscall.h> defines them on macOS.");
    w.line(" *");
    w.line(
        " * Numbers that depend on a kernel configuration option are kept under #if. An option that is not",
    );
    w.line(" * defined counts as on, so every number is visible unless a program defines an option to 0.");
    w.line(" */");
    w.directive("#ifndef _SYS_SYSCALL_H_");
    w.directive("#define _SYS_SYSCALL_H_");
    w.next_section();
    for line in &table.lines {
        match line {
            Line::Include(_) => {}
            Line::If(c) => w.directive(&format!("#if {}", c.c_default_on)),
            Line::Else(_) => w.directive("#else"),
            Line::Endif(c) => w.directive(&format!("#endif /* {} */", c_comment_text(&c.text))),
            Line::Entry(i) => {
                let entry = &table.entries[*i];
                if !entry.files.header {
                    continue;
                }
                match &entry.header_define {
                    Some(define) => w.directive(&format!("#define\t{define:<30} {}", entry.number)),
                    None => {
                        let note = entry.note.as_deref().map(c_comment_text).unwrap_or_default();
                        let text = format!("{} {note}", entry.number);
                        w.directive(&format!("\t\t\t/* {} */", text.trim_end()));
                    }
                }
            }
        }
    }
    w.directive(&format!("#define\t{:<30} {}", "SYS_MAXSYSCALL", table.slot_count));
    w.directive(&format!("#define\t{:<30} {SYS_INVALID}", "SYS_invalid"));
    w.next_section();
    w.directive("#endif /* !_SYS_SYSCALL_H_ */");
    Output {
        dest: Dest::C,
        path: "include/sys/syscall.h".to_string(),
        snapshot: "syscall_h".to_string(),
        contents: w.finish(&c_preamble(&table.source)),
    }
}
