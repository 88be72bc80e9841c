//! Snapshots of every rpc-gen output for the `data/ok` fixtures (one per DSL feature), and of the
//! rendered diagnostics of the `data/err` fixtures (one per kind of mistake). Snapshots live in
//! the top-level `snapshots/rpc-gen/`; CI never writes them.

use std::path::Path;

fn source_name(path: &Path) -> String {
    let file = path.file_name().and_then(|f| f.to_str()).unwrap_or("?");
    let dir = path.parent().and_then(|d| d.file_name()).and_then(|d| d.to_str()).unwrap_or("?");
    format!("rpc-gen/tests/data/{dir}/{file}")
}

fn stem(path: &Path) -> String {
    path.file_stem().and_then(|s| s.to_str()).unwrap_or("?").to_string()
}

#[test]
fn outputs_of_ok_fixtures() {
    insta::glob!("data/ok/*.rpc", |path| {
        let text = std::fs::read_to_string(path).expect("reading a fixture");
        let output = match rpc_gen::compile(&rpc_gen::Options::new(source_name(path), text)) {
            Ok(output) => output,
            Err(failure) => panic!("{} should compile:\n{failure}", path.display()),
        };
        assert!(output.warnings.is_empty(), "{}", output.warnings);
        for (kind, _, text) in output.files() {
            insta::with_settings!({
                snapshot_path => "../../snapshots/rpc-gen",
                prepend_module_to_snapshot => false,
                input_file => path,
            }, {
                insta::assert_snapshot!(format!("{}@{kind}", stem(path)), text);
            });
        }
    });
}

#[test]
fn diagnostics_of_err_fixtures() {
    insta::glob!("data/err/*.rpc", |path| {
        let text = std::fs::read_to_string(path).expect("reading a fixture");
        let failure = match rpc_gen::compile(&rpc_gen::Options::new(source_name(path), text)) {
            Ok(_) => panic!("{} should not compile", path.display()),
            Err(failure) => failure,
        };
        if let Some(problem) = failure.diagnostics.placement_problem(&failure.sources, true) {
            panic!("{}: {problem}", path.display());
        }
        let rendered = failure.to_string();
        insta::with_settings!({
            snapshot_path => "../../snapshots/rpc-gen",
            prepend_module_to_snapshot => false,
            input_file => path,
        }, {
            insta::assert_snapshot!(format!("{}@diagnostics", stem(path)), rendered);
        });
    });
}

#[test]
fn darlingserver_defs_compile_to_eighty_calls() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace");
    let text = std::fs::read_to_string(root.join("defs/rpc/darlingserver.rpc")).expect("reading the defs");
    let output =
        rpc_gen::compile(&rpc_gen::Options::new("defs/rpc/darlingserver.rpc", text)).expect("compiles");
    assert_eq!(output.interface.calls.len(), 80);
    assert!(output.warnings.is_empty());
}

/// Arbitrary input never panics: it compiles or gets diagnostics that point inside the input.
#[test]
fn garbage_never_panics() {
    let pieces = [
        "call",
        "group",
        "struct",
        "flags",
        "(",
        ")",
        "{",
        "}",
        ";",
        ",",
        ":",
        "->",
        "@fd",
        "as",
        "uint64_t",
        "char*",
        "x",
        "\"t\"",
        "///",
        "//!",
        "\n",
        " ",
        "XNU_TRAP_CALL",
        "const",
        "*",
        "é",
        "\0",
    ];
    let mut state = 0x1234_5678_9abc_def1u64;
    for _ in 0..3000 {
        let mut text = String::new();
        for _ in 0..(state % 24) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            text.push_str(pieces[(state % pieces.len() as u64) as usize]);
        }
        if let Err(failure) = rpc_gen::compile(&rpc_gen::Options::new("fuzz.rpc", text.clone()))
            && let Some(problem) = failure.diagnostics.placement_problem(&failure.sources, true)
        {
            panic!("{problem}\ninput: {text:?}");
        }
    }
}
