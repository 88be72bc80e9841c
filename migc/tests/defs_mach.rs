//! The project's own interfaces in `defs/mach`: all four C outputs of every file are snapshotted, and
//! compiled with `-Wall -Wextra -Werror` by `cc` and `clang` (when installed) against the project's headers in `defs/include` for x86_64
//! and i386, with every `__Request__`/`__Reply__` typedef's `sizeof` checked against migc's model.
//! Skips with a printed reason while `defs/mach` does not exist.

mod support;

use std::path::{Path, PathBuf};

use codegen::Target;

fn interfaces(root: &Path) -> Option<Vec<PathBuf>> {
    let dir = root.join("defs/mach");
    if !dir.is_dir() {
        eprintln!("skipping: {} does not exist yet", dir.display());
        return None;
    }
    Some(support::defs_in(&dir))
}

fn options(root: &Path, path: &Path) -> migc::Options {
    let mut options = migc::Options::new(path);
    options.include_dirs = vec![root.join("defs"), root.join("defs/include")];
    options.source_label = Some(path.strip_prefix(root).unwrap_or(path).display().to_string());
    options
}

fn is_type_only(e: &migc::Error) -> bool {
    e.diagnostics.items.len() == 1 && e.diagnostics.items[0].message == "no `subsystem` declaration"
}

#[test]
fn defs_mach_snapshots() {
    let root = support::workspace_root();
    let Some(files) = interfaces(&root) else { return };
    for path in files {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let output = match migc::compile(&options(&root, &path)) {
            Ok(output) => output,
            Err(e) if is_type_only(&e) => continue,
            Err(e) => panic!("{stem}:\n{}", e.render()),
        };
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(root.join("snapshots/migc/defs_mach"));
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.set_input_file(&path);
        settings.bind(|| {
            insta::assert_snapshot!(format!("{stem}@c_header"), output.header);
            insta::assert_snapshot!(format!("{stem}@c_user"), output.user);
            insta::assert_snapshot!(format!("{stem}@c_server_header"), output.server_header);
            insta::assert_snapshot!(format!("{stem}@c_server"), output.server);
        });
    }
}

fn compile(target: Target) {
    let root = support::workspace_root();
    let Some(files) = interfaces(&root) else { return };
    let include = root.join("defs/include");
    let mut failures = Vec::new();
    for compiler in support::c_harness::compilers_for(target) {
        let mut checked = 0;
        for path in &files {
            match support::c_harness::check_defs(
                compiler,
                options(&root, path),
                target,
                std::slice::from_ref(&include),
            ) {
                Ok(n) => checked += n,
                Err(e) if e.contains("no `subsystem` declaration") => {}
                Err(e) => failures.push(format!("{compiler} {}:\n{e}", path.display())),
            }
        }
        println!("{compiler} {target}: defs/mach compiles; {checked} typedef sizes agree with the model");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn defs_mach_compiles_x86_64() {
    compile(Target::X86_64);
}

#[test]
fn defs_mach_compiles_i386() {
    compile(Target::I386);
}

/// The checked-in output of `cargo xtask gen` compiles the way the shim will compile it: sources from
/// `runtime/generated/src/mig`, headers from `runtime/generated/include` and `defs/include`.
#[test]
fn generated_sources_compile_in_place() {
    let root = support::workspace_root();
    let dir = root.join("runtime/generated/src/mig");
    if !dir.is_dir() {
        eprintln!("skipping: {} does not exist yet", dir.display());
        return;
    }
    let mut sources: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "c"))
        .collect();
    sources.sort();
    assert!(!sources.is_empty());
    let scratch = support::c_harness::Scratch::new("generated");
    for target in [Target::X86_64, Target::I386] {
        for compiler in support::c_harness::compilers_for(target) {
            for source in &sources {
                let mut args: Vec<String> =
                    support::c_harness::flags(target).iter().map(|s| s.to_string()).collect();
                args.push(format!("-I{}", root.join("runtime/generated/include").display()));
                args.push(format!("-I{}", root.join("defs/include").display()));
                args.extend([
                    "-c".into(),
                    source.display().to_string(),
                    "-o".into(),
                    scratch.0.join("x.o").display().to_string(),
                ]);
                if let Err(e) = support::c_harness::run(compiler, &args, &scratch.0) {
                    panic!("{compiler} {target}: {e}");
                }
            }
            println!("{compiler} {target}: {} generated sources compile", sources.len());
        }
    }
}
