//! cargo-fuzz target: any text, taken as a `.rpc` file, goes through rpc-gen's parse, check and
//! lowering and then every emitter (C header and source; Rust wire, server, client and FFI, which are
//! built as syntax trees and printed). It must give output or located diagnostics, never a panic, a
//! hang or a stack overflow.

#![no_main]

use codegen::Sources;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match rpc_gen::compile(&rpc_gen::Options::new("fuzz.rpc", text.as_ref())) {
        Ok(output) => {
            for (_, _, contents) in output.files() {
                assert!(!contents.is_empty());
            }
        }
        Err(failure) => {
            check_diagnostics(&failure.diagnostics, &failure.sources);
        }
    }
});

/// Every diagnostic must have a place inside the file and render with it (the one unlocated error,
/// too many calls, is out of reach of an input of fuzzing size).
fn check_diagnostics(diagnostics: &codegen::Diagnostics, sources: &Sources) {
    if let Some(problem) = diagnostics.placement_problem(sources, true) {
        panic!("{problem}");
    }
}
