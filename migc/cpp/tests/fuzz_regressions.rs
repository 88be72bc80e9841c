//! Inputs `cargo xtask fuzz preprocess` found crashing the preprocessor, each kept as a test: it must
//! answer with a located diagnostic (or output), never a panic.

use codegen::Sources;
use migc_cpp::{Options, preprocess_str};

/// The short form (`file:line:col: error: message`) of every diagnostic `text` gets; panics if the
/// text is accepted or a diagnostic has no place.
fn errors(text: &str) -> Vec<String> {
    let mut sources = Sources::new();
    match preprocess_str("fuzz.defs", text, &Options::new(), &mut sources) {
        Ok(output) => panic!("accepted: {}", output.text),
        Err(diagnostics) => diagnostics
            .items
            .iter()
            .map(|d| {
                assert!(d.primary.is_some(), "unlocated: {}", d.message);
                d.render_short(&sources)
            })
            .collect(),
    }
}

#[test]
fn line_marker_with_an_unterminated_file_name() {
    // Sliced the name as if it had both quotes.
    assert_eq!(errors("# 7 \"\n"), ["fuzz.defs:1:5: error: invalid line marker"]);
    assert_eq!(errors("#line 7 \"a.defs\n"), ["fuzz.defs:1:9: error: invalid `#line`"]);
}
