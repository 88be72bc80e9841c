//! Snapshot tests over the fixtures: `tests/data/ok/*.defs` (one per feature; the output text and any
//! warnings are snapshotted, and `conformance.rs` checks the same files against `cc -E`) and
//! `tests/data/err/*.defs` (one per error; the rendered diagnostics are snapshotted and must all be
//! located). Snapshots live in the workspace's `snapshots/migc-cpp/`.

use std::path::Path;

use codegen::Sources;
use migc_cpp::{Options, preprocess_file};

fn options() -> Options {
    Options::new()
        .include_dir("tests/data/include")
        .define("__MACH30__", None)
        .define("FROM_COMMAND_LINE", Some("3"))
}

/// The fixture's path relative to the crate (the tests' working directory), so rendered names are stable.
fn relative(path: &Path) -> &Path {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR")).expect("fixture under the crate")
}

macro_rules! snapshot_settings {
    ($body:block) => {
        insta::with_settings!({
            snapshot_path => concat!(env!("CARGO_MANIFEST_DIR"), "/../../snapshots/migc-cpp"),
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, $body)
    };
}

#[test]
fn ok_fixtures() {
    snapshot_settings!({
        insta::glob!("data/ok/*.defs", |path| {
            let mut sources = Sources::new();
            let output = match preprocess_file(relative(path), &options(), &mut sources) {
                Ok(output) => output,
                Err(diagnostics) => panic!("{} failed:\n{}", path.display(), diagnostics.render(&sources)),
            };
            let mut shown = output.warnings.render(&sources);
            if !shown.is_empty() {
                shown.push_str("----\n");
            }
            shown.push_str(&output.text);
            insta::assert_snapshot!("ok", shown);
        });
    });
}

#[test]
fn err_fixtures() {
    snapshot_settings!({
        insta::glob!("data/err/*.defs", |path| {
            let mut sources = Sources::new();
            let diagnostics = match preprocess_file(relative(path), &options(), &mut sources) {
                Ok(_) => panic!("{} was accepted", path.display()),
                Err(diagnostics) => diagnostics,
            };
            for d in &diagnostics.items {
                assert!(d.primary.is_some(), "{}: unlocated diagnostic `{}`", path.display(), d.message);
            }
            insta::assert_snapshot!("err", diagnostics.render(&sources));
        });
    });
}
