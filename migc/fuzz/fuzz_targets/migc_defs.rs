//! cargo-fuzz target: any text, taken as a `.defs` file, goes through migc-cpp (with the workspace's
//! `defs` and `defs/include` as `-I` directories and migc's predefined macros, as `cargo xtask gen`
//! runs it), then through parse, check and every emitter. Diagnostics of every phase must point into
//! a file, through includes and macro expansions; nothing may panic, hang or overflow the stack.

#![no_main]

use std::path::Path;

use codegen::{Sources, Span, Target};
use libfuzzer_sys::fuzz_target;
use migc::MacroOption;

fn options() -> migc_cpp::Options {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut options =
        migc_cpp::Options::new().include_dir(root.join("defs")).include_dir(root.join("defs/include"));
    for m in migc::preprocess::predefined_macros(Target::X86_64) {
        if let MacroOption::Define { name, value } = m {
            options = options.define(name, value.as_deref());
        }
    }
    options
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut sources = Sources::new();
    match migc_cpp::preprocess_str("fuzz.defs", &text, &options(), &mut sources) {
        Ok(output) => {
            migc_fuzz::check_diagnostics(&output.warnings, &sources);
            let main = (0..sources.len()).find(|&id| sources.name(id) == "fuzz.defs").unwrap_or(0);
            let fallback = Span { file: main, start: 0, end: 0 };
            migc_fuzz::compile_preprocessed(&output.text, &output.map, &sources, fallback);
        }
        Err(diagnostics) => migc_fuzz::check_diagnostics(&diagnostics, &sources),
    }
});
