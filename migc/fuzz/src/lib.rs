//! What migc's fuzz targets share: the pipeline after preprocessing (parse, check, lower, every
//! emitter, for every target) and the checks every diagnostic must pass.

use codegen::diagnostics::Severity;
use codegen::{Diagnostics, SourceMap, Sources, Span, Target};

/// Parses, checks and emits `text` (already preprocessed; `map` says where each byte came from).
/// Failing is fine; panicking, or a diagnostic that points nowhere, is a bug.
pub fn compile_preprocessed(text: &str, map: &SourceMap, sources: &Sources, fallback: Span) {
    let ast = match migc::parse::parse(text, map, fallback) {
        Ok(ast) => ast,
        Err(diagnostics) => return check_diagnostics(&diagnostics, sources),
    };
    for target in Target::ALL {
        match migc::check::check(&ast, "fuzz.defs", target, fallback) {
            Ok(module) => {
                // Emitters cannot fail: whatever the checker accepts, every one of them turns into text.
                let names = migc::emit::FileNames::defaults(&module);
                let _ = migc::emit::c_user::emit(&module, &names);
                let _ = migc::emit::c_header::emit(&module, &names);
                let _ = migc::emit::c_server::emit(&module, &names);
                let _ = migc::emit::c_server_header::emit(&module, &names);
                let _ = migc::emit::c_internal_header::emit(&module, &names);
                let _ = migc::emit::c_definitions_header::emit(&module, &names);
                let _ = migc::emit::listing::emit(&module);
                let _ = migc::emit::layout_json::emit(&[&module]);
            }
            Err(diagnostics) => check_diagnostics(&diagnostics, sources),
        }
    }
}

/// Every diagnostic points into a file of `sources`, inside its text (or one past its end) and on
/// character boundaries (or the user would get a message without its place), and renders.
pub fn check_diagnostics(diagnostics: &Diagnostics, sources: &Sources) {
    for d in &diagnostics.items {
        assert!(!d.message.is_empty(), "a diagnostic without a message");
        let spans = d.primary.iter().chain(&d.secondary).map(|(span, _)| *span);
        for span in spans {
            assert!(
                span.file < sources.len(),
                "`{}` points into file #{} of {}",
                d.message,
                span.file,
                sources.len()
            );
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
        if d.primary.is_some() {
            assert!(rendered.contains("-->"), "`{}` lost its location when rendered:\n{rendered}", d.message);
        }
        if d.severity == Severity::Error {
            assert!(rendered.starts_with("error"), "{rendered}");
        }
    }
}
