//! Conformance with `cc -E`: the token sequence migc-cpp produces for every `.defs` of the XNU corpus
//! (`../shared/corpus/xnu`) and for the feature fixtures in `tests/data/ok` must equal the one `cc -E`
//! produces, under several sets of defines (plain user mode as Apple's mig runs, 32-bit, kernel
//! server, kernel user, libsyscall, private). Files `cc` rejects must be rejected with a located error.
//!
//! Both outputs go through the small tokenizer below (independent of the crate's lexer), line markers
//! stripped (and the `#pragma`/`#ident` lines `cc` passes on to the compiler), so only whitespace may
//! differ. Skips with a printed reason without `../shared` or `cc`.

use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::Sources;
use migc_cpp::{MacroOption, Options, preprocess_file};

fn cc_works() -> bool {
    Command::new("cc").arg("--version").output().is_ok_and(|o| o.status.success())
}

/// One set of defines, given to both preprocessors.
struct Config {
    name: &'static str,
    /// Keep `cc`'s own predefined macros (the first config, exactly `cc -E -D__MACH30__`); the others
    /// pass `-undef` so that only the listed macros differ between the two.
    cc_predefines: bool,
    defines: &'static [&'static str],
}

const CONFIGS: &[Config] = &[
    Config { name: "user", cc_predefines: true, defines: &["__MACH30__"] },
    Config { name: "ilp32", cc_predefines: false, defines: &["__MACH30__"] },
    Config {
        name: "kernel-server",
        cc_predefines: false,
        defines: &[
            "__MACH30__",
            "__LP64__",
            "KERNEL",
            "KERNEL_SERVER",
            "KERNEL_PRIVATE",
            "MACH_KERNEL_PRIVATE",
            "XNU_KERNEL_PRIVATE",
            "VM32_SUPPORT",
            "CONFIG_ROSETTA",
            "CONFIG_ARCADE",
        ],
    },
    Config {
        name: "kernel-user",
        cc_predefines: false,
        defines: &["__MACH30__", "__LP64__", "KERNEL", "KERNEL_USER", "MACH_NOTIFY_SEND_POSSIBLE_EXPECTED=1"],
    },
    Config {
        name: "libsyscall",
        cc_predefines: false,
        defines: &["__MACH30__", "__LP64__", "LIBSYSCALL_INTERFACE"],
    },
    Config {
        name: "private",
        cc_predefines: false,
        defines: &[
            "__MACH30__",
            "KERNEL_PRIVATE",
            "PRIVATE",
            "KOBJECT_SERVER",
            "SANDBOX_COMPILER",
            "SEQNOS",
            "EXC_SERVER_SECTOKEN",
            "MACH_EXC_SERVER_AUDITTOKEN",
            "MACH_EXC_SERVER_TASKIDTOKEN",
            "KERNEL_VM_TEST",
        ],
    },
];

/// Whether `cc` defines `__LP64__` by itself (it does on every 64-bit Linux host).
fn cc_defines_lp64() -> bool {
    Command::new("cc")
        .args(["-dM", "-E", "-x", "c", "/dev/null"])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("#define __LP64__ 1"))
}

/// A scratch directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("migc-cpp-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn collect_defs(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_defs(&path, out);
        } else if path.extension().is_some_and(|e| e == "defs") {
            out.push(path);
        }
    }
}

/// C tokens of preprocessed text, line markers (`# N "file" ...`) dropped.
fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix('#') {
            let rest = rest.trim_start();
            // `cc -E` passes `#pragma` and `#ident` on to the compiler; migc-cpp drops them (MIG has
            // no use for them), so they are not compared.
            if rest.starts_with("pragma") || rest.starts_with("ident") {
                continue;
            }
            let rest = rest.strip_prefix("line").unwrap_or(rest).trim_start();
            if rest.starts_with(|c: char| c.is_ascii_digit()) {
                continue;
            }
        }
        tokenize_line(line, &mut out);
    }
    out
}

fn tokenize_line(line: &str, out: &mut Vec<String>) {
    const PUNCT3: &[&str] = &["<<=", ">>=", "..."];
    const PUNCT2: &[&str] = &[
        "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "*=", "/=", "%=", "+=", "-=", "&=",
        "^=", "|=", "##",
    ];
    let b = line.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let start = i;
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c == b'"' || c == b'\'' {
            i += 1;
            while i < b.len() && b[i] != c {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i = (i + 1).min(b.len());
        } else if c.is_ascii_digit() || (c == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit)) {
            i += 1;
            while i < b.len() && (word(b[i]) || b[i] == b'.') {
                if matches!(b[i], b'e' | b'E' | b'p' | b'P') && matches!(b.get(i + 1), Some(b'+' | b'-')) {
                    i += 1;
                }
                i += 1;
            }
        } else if word(c) {
            while i < b.len() && word(b[i]) {
                i += 1;
            }
            // String and character prefixes belong to the literal.
            if matches!(b.get(i), Some(b'"' | b'\'')) && matches!(&line[start..i], "L" | "u" | "U" | "u8") {
                let q = b[i];
                i += 1;
                while i < b.len() && b[i] != q {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(b.len());
            }
        } else if let Some(p) = PUNCT3.iter().chain(PUNCT2).find(|p| line[i..].starts_with(**p)) {
            i += p.len();
        } else {
            i += line[i..].chars().next().map_or(1, char::len_utf8);
        }
        out.push(line[start..i.min(line.len())].to_string());
    }
}

/// Runs `cc -E`; `None` if it fails.
fn cc_tokens(
    file: &Path,
    include_dirs: &[PathBuf],
    defines: &[String],
    predefines: bool,
) -> Option<Vec<String>> {
    let mut cmd = Command::new("cc");
    cmd.args(["-E", "-x", "c"]);
    if !predefines {
        cmd.arg("-undef");
    }
    for d in defines {
        cmd.arg(format!("-D{d}"));
    }
    for dir in include_dirs {
        cmd.arg("-I").arg(dir);
    }
    cmd.arg(file);
    let output = cmd.output().ok()?;
    output.status.success().then(|| tokens(&String::from_utf8_lossy(&output.stdout)))
}

/// Compares one file under one configuration; returns a description of the difference, if any.
fn compare(
    file: &Path,
    include_dirs: &[PathBuf],
    defines: &[String],
    predefines: bool,
    mine_defines: &[String],
) -> Option<String> {
    let expected = cc_tokens(file, include_dirs, defines, predefines);
    let mut options = Options::new();
    options.include_dirs = include_dirs.to_vec();
    options.macros = mine_defines.iter().map(|d| MacroOption::parse_define(d)).collect();
    let mut sources = Sources::new();
    let mine = preprocess_file(file, &options, &mut sources);
    match (expected, mine) {
        (None, Err(diagnostics)) => {
            let located = diagnostics.items.iter().any(|d| d.primary.is_some());
            (!located).then(|| {
                format!("rejected, as by cc, but without a located error:\n{}", diagnostics.render(&sources))
            })
        }
        (None, Ok(_)) => Some("cc -E rejects it, migc-cpp accepts it".to_string()),
        (Some(_), Err(diagnostics)) => {
            Some(format!("migc-cpp rejects it:\n{}", diagnostics.render(&sources)))
        }
        (Some(expected), Ok(output)) => {
            let got = tokens(&output.text);
            if got == expected {
                return None;
            }
            let at =
                got.iter().zip(&expected).position(|(a, b)| a != b).unwrap_or(got.len().min(expected.len()));
            let window = |v: &[String]| v[at.saturating_sub(8)..(at + 8).min(v.len())].join(" ");
            Some(format!(
                "tokens differ at {at} (cc: {} tokens, migc-cpp: {}):\n  cc:       {}\n  migc-cpp: {}",
                expected.len(),
                got.len(),
                window(&expected),
                window(&got)
            ))
        }
    }
}

#[test]
fn corpus_matches_cc() {
    let Some(shared) = darling_tests::shared_or_skip("corpus_matches_cc", "corpus/xnu") else { return };
    let xnu = shared.join("corpus/xnu");
    if !cc_works() {
        eprintln!("skipping: no working `cc` to compare with");
        return;
    }
    let headers = TempDir::new("conformance");
    std::fs::create_dir_all(headers.0.join("mach/machine")).unwrap();
    std::fs::write(headers.0.join("mach/machine/thread_state.h"), "#define THREAD_STATE_MAX 1296\n").unwrap();
    let include_dirs = vec![xnu.join("osfmk"), headers.0.clone()];
    let mut files = Vec::new();
    collect_defs(&xnu, &mut files);
    files.sort();
    assert!(files.len() >= 50, "expected the 57 corpus files, found {}", files.len());
    let lp64 = cc_defines_lp64();
    let mut compared = 0;
    let mut differ = Vec::new();
    for config in CONFIGS {
        let defines: Vec<String> = config.defines.iter().map(|d| d.to_string()).collect();
        // What `cc` predefines and matters to the corpus, we pass to migc-cpp explicitly (as migc does
        // for a 64-bit `-arch`).
        let mut mine = defines.clone();
        if config.cc_predefines && lp64 {
            mine.push("__LP64__".into());
        }
        for file in &files {
            compared += 1;
            if let Some(why) = compare(file, &include_dirs, &defines, config.cc_predefines, &mine) {
                differ.push(format!(
                    "[{}] {}: {why}",
                    config.name,
                    file.strip_prefix(&xnu).unwrap_or(file).display()
                ));
            }
        }
    }
    // upl.defs is only meant for kernel-private builds; check it on its own with that define too.
    let upl = xnu.join("osfmk/mach/upl.defs");
    if upl.is_file() {
        compared += 1;
        let defines = vec!["__MACH30__".to_string(), "KERNEL_PRIVATE".to_string()];
        if let Some(why) = compare(&upl, &include_dirs, &defines, false, &defines) {
            differ.push(format!("[upl KERNEL_PRIVATE] {why}"));
        }
    }
    eprintln!("{compared} files compared, {} differ", differ.len());
    for d in differ.iter().take(10) {
        eprintln!("{d}\n");
    }
    assert!(differ.is_empty(), "{} of {compared} comparisons differ from cc -E", differ.len());
}

#[test]
fn ok_fixtures_match_cc() {
    if !cc_works() {
        eprintln!("skipping: no working `cc` to compare with");
        return;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/ok");
    let include = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/include")];
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.path()).collect();
    files.retain(|p| p.extension().is_some_and(|e| e == "defs"));
    files.sort();
    let defines = vec!["__MACH30__".to_string(), "FROM_COMMAND_LINE=3".to_string()];
    let mut differ = Vec::new();
    for file in &files {
        if let Some(why) = compare(file, &include, &defines, false, &defines) {
            differ.push(format!("{}: {why}", file.display()));
        }
    }
    eprintln!("{} fixtures compared, {} differ", files.len(), differ.len());
    assert!(differ.is_empty(), "{}", differ.join("\n\n"));
}
