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

/// Every diagnostic points into a file of `sources`, inside its text (or one past its end) and on
/// character boundaries, and renders with its place.
fn check_diagnostics(diagnostics: &Diagnostics, sources: &Sources) {
    for d in &diagnostics.items {
        for (span, _) in d.primary.iter().chain(&d.secondary) {
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
        assert!(d.primary.is_none() || rendered.contains("-->"), "lost its place: {rendered}");
    }
}
