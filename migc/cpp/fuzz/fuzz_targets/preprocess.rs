//! cargo-fuzz target: any bytes, preprocessed as a `.defs` file, must give output or diagnostics, never
//! a panic, a hang or a stack overflow; every output byte must map back into a file, and every
//! diagnostic must point inside a file and render with its place.

#![no_main]

use codegen::{Diagnostics, Sources};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut sources = Sources::new();
    match migc_cpp::preprocess_str("fuzz.defs", &text, &migc_cpp::Options::new(), &mut sources) {
        Ok(output) => {
            for offset in 0..output.text.len() {
                let span = output.map.locate(offset).expect("every output byte is mapped");
                assert!(span.end <= sources.text(span.file).len() + 1);
            }
            check_diagnostics(&output.warnings, &sources);
        }
        Err(diagnostics) => check_diagnostics(&diagnostics, &sources),
    }
});

/// Every diagnostic must point inside its file and render with its place (see
/// `codegen::Diagnostic::placement_problem`).
fn check_diagnostics(diagnostics: &Diagnostics, sources: &Sources) {
    if let Some(problem) = diagnostics.placement_problem(sources, false) {
        panic!("{problem}");
    }
}
