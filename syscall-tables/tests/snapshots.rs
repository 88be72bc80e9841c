//! Snapshots of every output kind for the small fixtures in `tests/data/ok`, and of the rendered
//! diagnostics for each bad master in `tests/data/err`. Snapshots live in the workspace's
//! `snapshots/syscall-tables/`, named `<fixture>@<output>`.
//!
//! A fixture's table kind comes from its name: `bsd_*`, `mach_*` or `machdep_*`.

use std::path::Path;

use syscall_tables::{Master, Options, TableKind, compile};

fn kind_of(path: &Path) -> TableKind {
    let name = path.file_name().unwrap().to_str().unwrap();
    if name.starts_with("machdep_") {
        TableKind::Machdep
    } else if name.starts_with("mach_") {
        TableKind::MachTraps
    } else if name.starts_with("bsd_") {
        TableKind::Bsd
    } else {
        panic!("fixture `{name}` must start with bsd_, mach_ or machdep_")
    }
}

/// The fixture as a master, shown with a workspace-relative path so that snapshots do not depend on
/// where the workspace is.
fn master(path: &Path, dir: &str) -> Master {
    let text = std::fs::read_to_string(path).unwrap();
    let shown = format!("syscall-tables/tests/data/{dir}/{}", path.file_name().unwrap().to_str().unwrap());
    Master::new(kind_of(path), shown, text)
}

fn stem(path: &Path) -> String {
    path.file_stem().unwrap().to_str().unwrap().to_string()
}

/// Runs `f` with insta set up for this crate: snapshots in `snapshots/syscall-tables`, named
/// `<fixture>@<suffix>`.
fn snapshot(suffix: &str, f: impl FnOnce()) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../../snapshots/syscall-tables");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_snapshot_suffix(suffix);
    settings.bind(f);
}

#[test]
fn ok_fixtures() {
    insta::glob!("data/ok/*.master", |path| {
        let compiled = compile(&Options::new(vec![master(path, "ok")]))
            .unwrap_or_else(|failure| panic!("{}: {failure}", path.display()));
        let name = stem(path);
        for output in &compiled.outputs {
            snapshot(&output.snapshot, || insta::assert_snapshot!(name.clone(), output.contents));
        }
        if !compiled.warnings.is_empty() {
            snapshot("warnings", || insta::assert_snapshot!(name.clone(), compiled.warnings));
        }
    });
}

#[test]
fn err_fixtures() {
    insta::glob!("data/err/*.master", |path| {
        let failure = match compile(&Options::new(vec![master(path, "err")])) {
            Ok(_) => panic!("{} compiled, but is a fixture of errors", path.display()),
            Err(failure) => failure,
        };
        let rendered = failure.to_string();
        assert!(!rendered.contains("\u{1b}["), "diagnostics must not contain colour codes");
        snapshot("diagnostics", || insta::assert_snapshot!(stem(path), rendered));
    });
}
