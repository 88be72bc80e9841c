//! Checks the hand-written Mach headers of `defs/include`: each compiles on its own (twice included,
//! as C for x86_64 and i386 and as C++), they agree with Apple's sizes, offsets and constants
//! (`tests/data/mach_headers/abi_facts.c`), and the one header migc's preprocessor reads stays
//! free of C declarations.

mod mach_support;

use std::path::{Path, PathBuf};

use mach_support::{
    Arch, STRICT_C, Scratch, arches, c_compilers, compile_with, cxx, include_dir, path_arg, workspace_root,
};

/// Where `cargo xtask gen` writes the generated MIG headers that the umbrella headers include.
fn generated_include_dir() -> PathBuf {
    workspace_root().join("runtime/generated/include")
}

/// The `#include <...>` names of a header.
fn includes_of(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| line.trim().strip_prefix("#include <"))
        .filter_map(|rest| rest.split_once('>').map(|(name, _)| name.to_string()))
        .collect()
}

/// Headers that a header includes, directly or through other hand-written headers, and that neither
/// `defs/include` nor the generated directory provides; only the umbrella headers (which include
/// generated MIG headers) can have any.
fn missing_includes(header: &Path) -> Vec<String> {
    fn visit(name: &str, seen: &mut Vec<String>, missing: &mut Vec<String>) {
        if seen.iter().any(|s| s == name) {
            return;
        }
        seen.push(name.to_string());
        let path = include_dir().join(name);
        if !path.is_file() {
            if !generated_include_dir().join(name).is_file() {
                missing.push(name.to_string());
            }
            return;
        }
        let text = std::fs::read_to_string(&path).expect("reading a header");
        for include in includes_of(&text) {
            if ["mach/", "mach_debug/", "servers/", "kern/"].iter().any(|p| include.starts_with(p)) {
                visit(&include, seen, missing);
            }
        }
    }
    let (mut seen, mut missing) = (Vec::new(), Vec::new());
    visit(&header.display().to_string(), &mut seen, &mut missing);
    missing
}

/// Every header, relative to `defs/include`, with the generated headers it still waits for.
fn headers() -> Vec<(PathBuf, Vec<String>)> {
    mach_support::files_with_extension(&include_dir(), "h")
        .into_iter()
        .map(|header| {
            let missing = missing_includes(&header);
            (header, missing)
        })
        .collect()
}

fn include_args() -> Vec<String> {
    let mut args = vec!["-I".to_string(), path_arg(&include_dir())];
    if generated_include_dir().is_dir() {
        args.extend(["-I".to_string(), path_arg(&generated_include_dir())]);
    }
    args
}

#[test]
fn every_header_compiles_on_its_own() {
    let arches = arches();
    let compilers = c_compilers();
    let scratch = Scratch::new("headers");
    let mut failures = Vec::new();
    let mut compiled = 0;
    for (header, missing) in headers() {
        let name = header.display().to_string();
        if !missing.is_empty() {
            eprintln!(
                "skipping {name}: it includes generated headers not generated yet: {}",
                missing.join(", ")
            );
            continue;
        }
        // Including it twice also checks the include guard.
        let source = scratch.write("tu.c", &format!("#include <{name}>\n#include <{name}>\n"));
        for &compiler in &compilers {
            for &arch in &arches {
                let mut args: Vec<String> = STRICT_C.iter().map(|s| s.to_string()).collect();
                args.extend(include_args());
                args.extend(["-fsyntax-only".to_string(), path_arg(&source)]);
                if let Err(e) = compile_with(compiler, arch, &args) {
                    failures.push(format!("{name} ({compiler}, {arch}): {e}"));
                }
            }
        }
        compiled += 1;
    }
    assert!(failures.is_empty(), "{} header compilation(s) failed:\n{}", failures.len(), failures.join("\n"));
    assert!(compiled > 50, "only {compiled} headers found under defs/include");
    let shown: Vec<String> = arches.iter().map(Arch::to_string).collect();
    eprintln!(
        "{compiled} headers compile on their own with {} for {}",
        compilers.join(" and "),
        shown.join(" and ")
    );
}

#[test]
fn all_headers_compile_together_as_cxx() {
    let scratch = Scratch::new("cxx");
    let mut source = String::new();
    for (header, missing) in headers() {
        if missing.is_empty() {
            source.push_str(&format!("#include <{}>\n", header.display()));
        }
    }
    let source = scratch.write("all.cc", &source);
    for arch in arches() {
        let mut args: Vec<String> = ["-std=gnu++17", "-Wall", "-Wextra", "-Werror", "-fsyntax-only"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        args.extend(include_args());
        args.push(path_arg(&source));
        if let Err(e) = cxx(arch, &args) {
            panic!("the headers do not compile as C++ for {arch}:\n{e}");
        }
    }
}

#[test]
fn abi_facts_hold() {
    let facts = workspace_root().join("tests/data/mach_headers/abi_facts.c");
    let text = std::fs::read_to_string(&facts).expect("reading abi_facts.c");
    let count = text.lines().filter(|line| line.starts_with("FACT(")).count();
    let arches = arches();
    for compiler in c_compilers() {
        for &arch in &arches {
            let mut args: Vec<String> = STRICT_C.iter().map(|s| s.to_string()).collect();
            args.extend(include_args());
            args.extend(["-fsyntax-only".to_string(), path_arg(&facts)]);
            if let Err(e) = compile_with(compiler, arch, &args) {
                panic!("the Mach headers disagree with Apple's ABI for {arch} ({compiler}):\n{e}");
            }
        }
    }
    let shown: Vec<String> = arches.iter().map(Arch::to_string).collect();
    eprintln!("{count} ABI facts hold for {} with every C compiler found", shown.join(" and "));
}

/// `mach_types.defs` includes this header to learn `THREAD_STATE_MAX`, so migc's preprocessor reads
/// it as MIG input: any C declaration in it would become a MIG syntax error.
#[test]
fn thread_state_header_is_preprocessor_only() {
    let path = include_dir().join("mach/machine/thread_state.h");
    let text = std::fs::read_to_string(&path).expect("reading thread_state.h");
    let mut in_comment = false;
    let mut value = None;
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if in_comment {
            in_comment = !line.contains("*/");
            continue;
        }
        if line.starts_with("/*") {
            in_comment = !line.contains("*/");
            continue;
        }
        if line.is_empty() {
            continue;
        }
        assert!(
            line.starts_with('#'),
            "{}:{}: not a directive or comment: {line}",
            path.display(),
            number + 1
        );
        if let Some(rest) = line.strip_prefix("#define THREAD_STATE_MAX") {
            value = rest.trim().parse::<u32>().ok();
        }
    }
    assert_eq!(value, Some(1296), "THREAD_STATE_MAX must be a plain 1296 (XNU 11417)");
}
