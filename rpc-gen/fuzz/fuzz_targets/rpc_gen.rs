//! cargo-fuzz target: any text, taken as a `.rpc` file, goes through rpc-gen's parse, check and
//! lowering and then every emitter (C header and source; Rust wire, server, client and FFI, which are
//! built as syntax trees and printed). It must give output or located diagnostics, never a panic, a
//! hang or a stack overflow.

#![no_main]

use codegen::Sources;
use codegen::diagnostics::Severity;
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

/// Every error points into the file, inside its text (or one past its end) and on character
/// boundaries (the one unlocated error, too many calls, cannot be reached by an input of fuzzing
/// size), and renders with its place.
fn check_diagnostics(diagnostics: &codegen::Diagnostics, sources: &Sources) {
    for d in &diagnostics.items {
        let Some((primary, _)) = d.primary else {
            panic!("unlocated {:?}: {}", d.severity, d.message);
        };
        for span in std::iter::once(primary).chain(d.secondary.iter().map(|(s, _)| *s)) {
            assert!(span.file < sources.len(), "`{}` points into file #{}", d.message, span.file);
            let text = sources.text(span.file);
            // A span may reach one byte past the end: that is where "found end of file" points, and
            // the renderer shows it there.
            assert!(
                span.start <= span.end
                    && span.end <= text.len() + 1
                    && text.is_char_boundary(span.start.min(text.len()))
                    && text.is_char_boundary(span.end.min(text.len())),
                "`{}` points at {}..{} of a {}-byte file",
                d.message,
                span.start,
                span.end,
                text.len()
            );
        }
        let rendered = d.render(sources);
        assert!(rendered.contains("-->"), "lost its place: {rendered}");
        if d.severity == Severity::Error {
            assert!(rendered.starts_with("error"), "{rendered}");
        }
    }
}
