//! The fixtures in `tests/data`: one tiny `.defs` per language feature in `ok/` (all four C outputs
//! snapshotted, and compiled with `-Wall -Wextra -Werror` by `cc` and `clang` (when installed) for
//! x86_64 and i386 with every typedef's
//! size checked against the model), and one per mistake in `err/` (the rendered diagnostics snapshotted).

mod support;

use codegen::Target;

fn snapshot_settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(support::workspace_root().join("snapshots/migc"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings
}

#[test]
fn ok_fixtures_snapshots() {
    let dir = support::workspace_root().join("tests/data/ok");
    let files = support::defs_in(&dir);
    assert!(files.len() >= 15, "expected the feature fixtures in {}", dir.display());
    for path in files {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let output = migc::compile(&support::fixture_options(&path))
            .unwrap_or_else(|e| panic!("{stem}:\n{}", e.render()));
        let mut settings = snapshot_settings();
        settings.set_input_file(&path);
        settings.bind(|| {
            insta::assert_snapshot!(format!("{stem}@c_header"), output.header);
            insta::assert_snapshot!(format!("{stem}@c_user"), output.user);
            insta::assert_snapshot!(format!("{stem}@c_server_header"), output.server_header);
            insta::assert_snapshot!(format!("{stem}@c_server"), output.server);
            insta::assert_snapshot!(format!("{stem}@list"), migc::emit::listing::emit(&output.module));
        });
    }
}

/// mig's two extra headers (`-iheader`, `-dheader`) for the fixtures where they differ most: imports
/// of every kind, prefixes (the internal header renames the user functions), skipped numbers and a
/// kernel server.
#[test]
fn extra_headers_snapshots() {
    let dir = support::workspace_root().join("tests/data/ok");
    for stem in ["imports", "prefixes", "skip", "kernel_server"] {
        let path = dir.join(format!("{stem}.defs"));
        let output = migc::compile(&support::fixture_options(&path))
            .unwrap_or_else(|e| panic!("{stem}:\n{}", e.render()));
        let names = migc::emit::FileNames::for_module(&output.module, &support::fixture_options(&path));
        let mut settings = snapshot_settings();
        settings.set_input_file(&path);
        settings.bind(|| {
            insta::assert_snapshot!(
                format!("{stem}@c_internal_header"),
                migc::emit::c_internal_header::emit(&output.module, &names)
            );
            insta::assert_snapshot!(
                format!("{stem}@c_definitions_header"),
                migc::emit::c_definitions_header::emit(&output.module, &names)
            );
        });
    }
}

fn compile_fixtures(target: Target) {
    let (_, include) = support::mach_min();
    let mut failures = Vec::new();
    for compiler in support::c_harness::compilers_for(target) {
        let mut checked = 0;
        for path in support::defs_in(&support::workspace_root().join("tests/data/ok")) {
            match support::c_harness::check_defs(
                compiler,
                support::fixture_options(&path),
                target,
                std::slice::from_ref(&include),
            ) {
                Ok(n) => checked += n,
                Err(e) => failures.push(format!("{}:\n{e}", path.display())),
            }
        }
        println!("{compiler} {target}: fixtures compile; {checked} typedef sizes agree with the model");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn ok_fixtures_compile_x86_64() {
    compile_fixtures(Target::X86_64);
}

#[test]
fn ok_fixtures_compile_i386() {
    compile_fixtures(Target::I386);
}

#[test]
fn err_fixtures_snapshots() {
    let root = support::workspace_root();
    let dir = root.join("tests/data/err");
    let files = support::defs_in(&dir);
    assert!(files.len() >= 15, "expected at least 15 error fixtures in {}", dir.display());
    for path in files {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        // A fixture may start with `/* args: ... */`: extra mig command-line words to apply.
        let args: Vec<String> = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("/* args:"))
            .and_then(|l| l.strip_suffix("*/"))
            .map(|l| l.split_whitespace().map(String::from).collect())
            .unwrap_or_default();
        let rendered = match migc::cli::parse_args(args.iter().cloned().chain([path.display().to_string()])) {
            Err(e) => e.render(),
            Ok(invocation) => {
                let mut options = support::fixture_options(&path);
                options.target = invocation.options.target;
                options.macros.extend(invocation.options.macros.iter().cloned());
                match migc::compile(&options) {
                    Ok(_) => panic!("{stem}: compiled, but it is an error fixture"),
                    Err(e) => e.render(),
                }
            }
        };
        let rendered = rendered.replace(&format!("{}/", root.display()), "");
        let mut settings = snapshot_settings();
        settings.set_input_file(&path);
        settings.bind(|| insta::assert_snapshot!(format!("{stem}@diagnostics"), rendered));
    }
}
