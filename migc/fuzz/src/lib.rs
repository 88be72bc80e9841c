//! What migc's fuzz targets share: the pipeline after preprocessing (parse, check, lower, every
//! emitter, for every target) and the checks every diagnostic must pass.

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

/// Every diagnostic must point inside its file and render with its place (see
/// `codegen::Diagnostic::placement_problem`).
pub fn check_diagnostics(diagnostics: &Diagnostics, sources: &Sources) {
    if let Some(problem) = diagnostics.placement_problem(sources, false) {
        panic!("{problem}");
    }
}
