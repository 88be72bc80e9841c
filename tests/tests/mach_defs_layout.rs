//! The project's own interfaces through migc: every `defs/mach` subsystem that XNU also has gets the
//! same ids and the same request and reply sizes as Apple's MIG gives XNU's (x86_64, the oracle's
//! target), routine by routine; the bootstrap interface compiles on every target.

mod mach_support;

use mach_support::{mach_defs_dir, shared_dir, workspace_root};

/// migc's options for a `defs/mach` file: the include roots the definitions are written for.
fn options(path: &std::path::Path, target: codegen::Target) -> migc::Options {
    let root = workspace_root();
    let mut options = migc::Options::new(path);
    options.target = target;
    options.include_dirs = vec![root.join("defs"), root.join("defs/include")];
    options.source_label = Some(path.strip_prefix(&root).unwrap_or(path).display().to_string());
    options
}

fn is_type_only(error: &migc::Error) -> bool {
    error.diagnostics.items.len() == 1 && error.diagnostics.items[0].message == "no `subsystem` declaration"
}

/// The layout of every interface in `defs/mach` for `target`, as `--layout-json` writes it.
fn layouts(target: codegen::Target) -> Vec<serde_json::Value> {
    let mut layouts = Vec::new();
    for rel in mach_support::files_with_extension(&mach_defs_dir(), "defs") {
        let path = mach_defs_dir().join(&rel);
        match migc::compile_model(&options(&path, target)) {
            Ok((module, _)) => layouts.push(
                serde_json::to_value(migc::emit::layout_json::subsystem(&module)).expect("a layout is JSON"),
            ),
            Err(e) if is_type_only(&e) => {}
            Err(e) => panic!("migc rejects {}:\n{}", path.display(), e.render()),
        }
    }
    layouts
}

const FIELDS: &[&str] = &["number", "name", "kind", "msgh_id", "reply_msgh_id", "request_size", "reply_size"];

#[test]
fn layouts_agree_with_apple() {
    let Some(shared) = shared_dir("layouts_agree_with_apple") else { return };
    let text = std::fs::read_to_string(shared.join("oracle/mig-layouts.json")).expect("reading the oracle");
    let oracle: serde_json::Value = serde_json::from_str(&text).expect("the oracle is JSON");
    let expected = oracle["subsystems"].as_array().expect("oracle subsystems");
    let (mut compared, mut subsystems, mut differences) = (0, 0, Vec::new());
    for layout in layouts(codegen::Target::X86_64) {
        let name = layout["subsystem"].as_str().expect("subsystem name");
        let Some(apple) = expected.iter().find(|s| s["subsystem"] == name) else {
            assert_eq!(name, "darling_bootstrap", "subsystem {name} is not in the oracle");
            continue;
        };
        subsystems += 1;
        let ours = layout["routines"].as_array().expect("routines");
        let theirs = apple["routines"].as_array().expect("oracle routines");
        if ours.len() != theirs.len() {
            differences.push(format!("{name}: {} routines instead of {}", ours.len(), theirs.len()));
        }
        for (a, b) in ours.iter().zip(theirs) {
            compared += 1;
            for field in FIELDS {
                if a[field] != b[field] {
                    differences.push(format!(
                        "{name} #{}: {field} is {} instead of {}",
                        b["number"], a[field], b[field]
                    ));
                }
            }
        }
    }
    eprintln!(
        "compared {compared} routines of {subsystems} defs/mach subsystems with Apple's layouts (x86_64): {} differ",
        differences.len()
    );
    assert!(subsystems >= 11, "only {subsystems} defs/mach subsystems are in the oracle");
    assert!(differences.is_empty(), "defs/mach layouts differ from Apple's:\n{}", differences.join("\n"));
}

#[test]
fn bootstrap_compiles_for_every_target() {
    for target in [codegen::Target::X86_64, codegen::Target::I386, codegen::Target::Arm64] {
        let layout = layouts(target)
            .into_iter()
            .find(|l| l["subsystem"] == "darling_bootstrap")
            .expect("darling_bootstrap compiles");
        let sizes: Vec<String> = layout["routines"]
            .as_array()
            .expect("routines")
            .iter()
            .map(|r| {
                format!("{} {}/{}", r["name"].as_str().unwrap_or("?"), r["request_size"], r["reply_size"])
            })
            .collect();
        eprintln!("darling_bootstrap on {}: {}", target.name(), sizes.join(", "));
    }
}
