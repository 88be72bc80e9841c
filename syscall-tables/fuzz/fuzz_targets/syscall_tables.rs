//! cargo-fuzz target: the first byte picks the table (BSD, Mach traps, machdep), the rest is taken as
//! its master. It goes through syscall-tables' parse, check and lowering, then every emitter (the C
//! files and the Rust module), and must give output or located diagnostics, never a panic, a hang or
//! a stack overflow.

#![no_main]

use codegen::{Diagnostics, Sources};
use libfuzzer_sys::fuzz_target;
use syscall_tables::TableKind;
use syscall_tables::emit::{c_args, c_common, c_names, c_syscall_h, c_table, rust};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let kind = TableKind::ALL[usize::from(selector) % TableKind::ALL.len()];
    let mut sources = Sources::new();
    let file = sources.add("fuzz.master", String::from_utf8_lossy(rest).into_owned());
    match syscall_tables::load_with_warnings(&sources, file, kind) {
        Ok((table, warnings)) => {
            check_diagnostics(&warnings, &sources);
            // Emitters cannot fail. (`emit::all` runs the same functions, the Rust ones on threads.)
            let tables = std::slice::from_ref(&table);
            let _ = c_common::output(tables);
            if kind == TableKind::Bsd {
                let _ = c_syscall_h::output(&table);
            }
            let _ = c_args::output(&table);
            let _ = c_names::output(&table);
            let _ = c_table::output(&table);
            let _ = rust::output(&table);
        }
        Err(diagnostics) => check_diagnostics(&diagnostics, &sources),
    }
});

/// Every diagnostic must have a place inside the master and render with it.
fn check_diagnostics(diagnostics: &Diagnostics, sources: &Sources) {
    if let Some(problem) = diagnostics.placement_problem(sources, true) {
        panic!("{problem}");
    }
}
