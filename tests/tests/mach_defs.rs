//! Checks the MIG definitions of `defs/mach` without a MIG compiler: their subsystems, routine
//! numbers, names and kinds agree with XNU's (`../shared/oracle/mig-layouts.json`), the project's own
//! bootstrap ids collide with nothing, every MIG type has a C declaration of the same size in
//! `defs/include` for x86_64 and i386, and every import and include resolves.
//!
//! The reader here understands exactly the subset of MIG and of the preprocessor that `defs/mach`
//! uses, and fails loudly on anything else, so the checks cannot silently skip what they do not read.

mod mach_support;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use mach_support::{Arch, STRICT_C, Scratch, arches, cc, include_dir, mach_defs_dir, path_arg, shared_dir};

/// A token of MIG text: an identifier or keyword, a number, or one punctuation character.
#[derive(Clone, Debug, PartialEq)]
enum Token {
    Word(String),
    Number(i64),
    Punct(char),
}

/// A `.defs` file with comments removed and its preprocessor directives evaluated for `arch`.
struct Source {
    file: String,
    tokens: Vec<Token>,
    directives: Vec<String>,
}

fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("*/").map(|e| start + e + 2).expect("unterminated comment in defs");
        // Keep line structure so directives stay on their own lines.
        out.extend(rest[start..end].chars().filter(|&c| c == '\n'));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out.lines().map(|line| line.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
}

/// Evaluates the directives `defs/mach` uses: include guards, `#if defined(__LP64__)`, `#else`,
/// `#endif`, `#define` and `#include` (the includes are checked separately; every file is read
/// on its own).
fn preprocess(file: &str, text: &str, arch: Arch) -> Source {
    let mut defined: Vec<String> = Vec::new();
    if arch.lp64() {
        defined.push("__LP64__".into());
    }
    // Each entry: (this branch is active, some branch of this #if was taken).
    let mut stack: Vec<(bool, bool)> = Vec::new();
    let mut kept = String::new();
    let mut directives = Vec::new();
    for line in strip_comments(text).lines() {
        let trimmed = line.trim();
        let active = stack.iter().all(|&(on, _)| on);
        let Some(directive) = trimmed.strip_prefix('#') else {
            if active {
                kept.push_str(line);
                kept.push('\n');
            }
            continue;
        };
        let directive = directive.trim();
        directives.push(directive.to_string());
        let (keyword, argument) = directive.split_once(char::is_whitespace).unwrap_or((directive, ""));
        let argument = argument.trim();
        match keyword {
            "ifndef" => {
                stack.push((!defined.iter().any(|d| d == argument), !defined.iter().any(|d| d == argument)))
            }
            "ifdef" => {
                stack.push((defined.iter().any(|d| d == argument), defined.iter().any(|d| d == argument)))
            }
            "if" => {
                let name = argument
                    .strip_prefix("defined(")
                    .and_then(|a| a.strip_suffix(')'))
                    .unwrap_or_else(|| panic!("{file}: unsupported condition `#if {argument}`"));
                let on = defined.iter().any(|d| d == name);
                stack.push((on, on));
            }
            "else" => {
                let top = stack.last_mut().unwrap_or_else(|| panic!("{file}: #else without #if"));
                *top = (!top.1, true);
            }
            "endif" => {
                stack.pop().unwrap_or_else(|| panic!("{file}: #endif without #if"));
            }
            "define" if active => defined.push(argument.split_whitespace().next().unwrap_or("").to_string()),
            "define" | "include" => {}
            other => panic!("{file}: unsupported directive `#{other}`"),
        }
    }
    assert!(stack.is_empty(), "{file}: unterminated #if");
    Source { file: file.to_string(), tokens: tokenize(&kept), directives }
}

fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c.is_ascii_alphabetic() || c == '_' {
            let mut word = String::new();
            while let Some(&c) = chars.peek().filter(|c| c.is_ascii_alphanumeric() || **c == '_') {
                word.push(c);
                chars.next();
            }
            tokens.push(Token::Word(word));
        } else if c.is_ascii_digit() {
            let mut number = String::new();
            while let Some(&c) = chars.peek().filter(|c| c.is_ascii_digit()) {
                number.push(c);
                chars.next();
            }
            tokens.push(Token::Number(number.parse().expect("a decimal number")));
        } else {
            tokens.push(Token::Punct(c));
            chars.next();
        }
    }
    tokens
}

fn is_word(token: Option<&Token>, word: &str) -> bool {
    matches!(token, Some(Token::Word(w)) if w.eq_ignore_ascii_case(word))
}

/// One routine slot of a subsystem.
#[derive(Debug, PartialEq)]
struct Slot {
    number: i64,
    name: Option<String>,
    kind: &'static str,
}

/// The subsystem statement and routine slots of an interface file.
#[derive(Debug)]
struct Interface {
    file: String,
    subsystem: String,
    base: i64,
    slots: Vec<Slot>,
}

fn interface(source: &Source) -> Option<Interface> {
    let tokens = &source.tokens;
    let mut subsystem = None;
    let mut slots = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let Token::Word(word) = &tokens[i] else {
            i += 1;
            continue;
        };
        match word.to_ascii_lowercase().as_str() {
            "subsystem" => {
                let mut j = i + 1;
                while is_word(tokens.get(j), "KernelUser") || is_word(tokens.get(j), "KernelServer") {
                    j += 1;
                }
                let (Some(Token::Word(name)), Some(Token::Number(base))) = (tokens.get(j), tokens.get(j + 1))
                else {
                    panic!("{}: malformed subsystem statement", source.file);
                };
                subsystem = Some((name.clone(), *base));
                i = j + 2;
            }
            "routine" | "simpleroutine" => {
                let kind = if word.eq_ignore_ascii_case("routine") { "routine" } else { "simpleroutine" };
                let Some(Token::Word(name)) = tokens.get(i + 1) else {
                    panic!("{}: a routine without a name", source.file);
                };
                slots.push(Slot { number: slots.len() as i64, name: Some(name.clone()), kind });
                // Skip the argument list, which has its own semicolons.
                let mut depth = 0;
                i += 2;
                while i < tokens.len() {
                    match tokens[i] {
                        Token::Punct('(') => depth += 1,
                        Token::Punct(')') => depth -= 1,
                        Token::Punct(';') if depth == 0 => break,
                        _ => {}
                    }
                    i += 1;
                }
            }
            "skip" => {
                slots.push(Slot { number: slots.len() as i64, name: None, kind: "skip" });
                i += 1;
            }
            _ => i += 1,
        }
    }
    subsystem.map(|(subsystem, base)| Interface { file: source.file.clone(), subsystem, base, slots })
}

/// What a MIG type is, as far as its C counterpart's size is concerned.
#[derive(Clone, Debug)]
enum Shape {
    /// A fixed number of bytes inline (scalars, ports, `struct[N] of T`, `c_string[N]`).
    Bytes(u64),
    /// Another type's shape.
    Alias(String),
    /// `struct[N] of T`: N times the size of T (a builtin or another type, resolved at the end
    /// because the files are read in name order, not include order).
    Struct(u64, String),
    /// Arrays and out-of-line data: the C type is a pointer or array; only its existence is checked.
    Variable,
}

/// A `type` statement.
#[derive(Clone, Debug)]
struct MigType {
    file: String,
    shape: Shape,
    /// The C type the generated code declares (`ctype:`), when it is not the type's own name.
    ctype: Option<String>,
}

fn builtin_size(name: &str) -> Option<u64> {
    let port = [
        "PORT_NAME",
        "MOVE_RECEIVE",
        "MOVE_SEND",
        "MOVE_SEND_ONCE",
        "COPY_SEND",
        "MAKE_SEND",
        "MAKE_SEND_ONCE",
        "PORT_RECEIVE",
        "PORT_SEND",
        "PORT_SEND_ONCE",
    ];
    let name = name.strip_prefix("MACH_MSG_TYPE_")?;
    Some(match name {
        "INTEGER_8" | "CHAR" | "BYTE" => 1,
        "INTEGER_16" => 2,
        "INTEGER_32" | "BOOLEAN" | "REAL_32" => 4,
        "INTEGER_64" | "REAL_64" => 8,
        _ if port.contains(&name) => 4,
        _ => panic!("unknown MIG builtin MACH_MSG_TYPE_{name}"),
    })
}

/// Parses the `type` statements of a file.
fn types_of(source: &Source, types: &mut BTreeMap<String, MigType>) {
    let tokens = &source.tokens;
    let mut i = 0;
    while i < tokens.len() {
        if !is_word(tokens.get(i), "type") {
            i += 1;
            continue;
        }
        let Some(Token::Word(name)) = tokens.get(i + 1) else {
            panic!("{}: a type without a name", source.file)
        };
        assert_eq!(tokens.get(i + 2), Some(&Token::Punct('=')), "{}: type {name} lacks `=`", source.file);
        let end = (i + 3..tokens.len())
            .find(|&j| tokens[j] == Token::Punct(';'))
            .unwrap_or_else(|| panic!("{}: type {name} lacks `;`", source.file));
        let mut spec: Vec<Token> = tokens[i + 3..end].to_vec();
        let mut ctype = None;
        for keyword in ["ctype", "cusertype", "cservertype"] {
            if let Some(at) = spec.iter().position(|t| is_word(Some(t), keyword)) {
                let Some(Token::Word(c)) = spec.get(at + 2) else {
                    panic!("{}: bad {keyword} on {name}", source.file)
                };
                if keyword == "ctype" {
                    ctype = Some(c.clone());
                }
                spec.drain(at..at + 3);
            }
        }
        let shape = match spec.as_slice() {
            [Token::Word(w)] if w.starts_with("MACH_MSG_TYPE_") => Shape::Bytes(builtin_size(w).unwrap()),
            [Token::Word(w)] if w.eq_ignore_ascii_case("polymorphic") => Shape::Bytes(4),
            [Token::Word(w)] => Shape::Alias(w.clone()),
            [Token::Word(a), Token::Punct('|'), Token::Word(b)]
                if a.eq_ignore_ascii_case("polymorphic") || b.eq_ignore_ascii_case("polymorphic") =>
            {
                Shape::Bytes(4)
            }
            [
                Token::Word(s),
                Token::Punct('['),
                Token::Number(n),
                Token::Punct(']'),
                Token::Word(of),
                Token::Word(t),
            ] if s.eq_ignore_ascii_case("struct") && of.eq_ignore_ascii_case("of") => {
                Shape::Struct(*n as u64, t.clone())
            }
            [Token::Word(s), Token::Punct('['), Token::Number(n), Token::Punct(']')]
                if s.eq_ignore_ascii_case("c_string") =>
            {
                Shape::Bytes(*n as u64)
            }
            [
                Token::Word(s),
                Token::Punct('['),
                Token::Punct('*'),
                Token::Punct(':'),
                Token::Number(n),
                Token::Punct(']'),
            ] if s.eq_ignore_ascii_case("c_string") => Shape::Bytes(*n as u64),
            [Token::Word(a), ..] if a.eq_ignore_ascii_case("array") => Shape::Variable,
            [Token::Punct('^'), ..] => Shape::Variable,
            other => panic!("{}: type {name} has a shape this test does not read: {other:?}", source.file),
        };
        types.insert(name.clone(), MigType { file: source.file.clone(), shape, ctype });
        i = end + 1;
    }
}

/// The inline size of a type, following aliases; `None` for variable types.
fn resolve(name: &str, types: &BTreeMap<String, MigType>) -> Option<u64> {
    let mut current = name;
    for _ in 0..32 {
        match &types.get(current)?.shape {
            Shape::Bytes(n) => return Some(*n),
            Shape::Variable => return None,
            Shape::Alias(next) => current = next,
            Shape::Struct(n, element) => {
                let size = builtin_size(element).or_else(|| resolve(element, types));
                let size =
                    size.unwrap_or_else(|| panic!("struct element {element} of {current} has no fixed size"));
                return Some(n * size);
            }
        }
    }
    panic!("type {name} aliases in a loop")
}

fn defs_files() -> Vec<PathBuf> {
    mach_support::files_with_extension(&mach_defs_dir(), "defs")
}

fn read_defs(arch: Arch) -> Vec<Source> {
    defs_files()
        .into_iter()
        .map(|rel| {
            let text = std::fs::read_to_string(mach_defs_dir().join(&rel)).expect("reading a .defs file");
            preprocess(&format!("defs/mach/{}", rel.display()), &text, arch)
        })
        .collect()
}

fn interfaces(arch: Arch) -> Vec<Interface> {
    read_defs(arch).iter().filter_map(interface).collect()
}

/// The interfaces the runtime serves; every one of them must be present.
const SERVED: &[&str] = &[
    "mach_port",
    "task",
    "thread_act",
    "mach_host",
    "host_priv",
    "clock",
    "clock_reply",
    "notify",
    "exc",
    "mach_exc",
    "semaphore",
    "darling_bootstrap",
];

#[test]
fn every_served_interface_is_defined_once() {
    let found = interfaces(Arch::X86_64);
    for name in SERVED {
        let count = found.iter().filter(|i| i.subsystem == *name).count();
        assert_eq!(count, 1, "subsystem {name} is defined {count} times in defs/mach");
    }
    assert_eq!(found.len(), SERVED.len(), "defs/mach has subsystems beyond the served ones: {found:#?}");
}

/// Interface files are written for plain user mode: no conditionals, only includes. (The type files
/// may test `__LP64__`; they are read per target.)
#[test]
fn interfaces_have_no_conditionals() {
    for source in read_defs(Arch::X86_64) {
        if interface(&source).is_none() {
            continue;
        }
        for directive in &source.directives {
            assert!(directive.starts_with("include"), "{}: unexpected `#{directive}`", source.file);
        }
    }
}

#[test]
fn interfaces_agree_with_xnu() {
    let Some(shared) = shared_dir("interfaces_agree_with_xnu") else { return };
    let text = std::fs::read_to_string(shared.join("oracle/mig-layouts.json")).expect("reading the oracle");
    let oracle: serde_json::Value = serde_json::from_str(&text).expect("the oracle is JSON");
    let subsystems = oracle["subsystems"].as_array().expect("oracle subsystems");
    let mut compared = 0;
    let mut differences = Vec::new();
    let mut checked_interfaces = 0;
    for arch in [Arch::X86_64, Arch::I386] {
        for interface in interfaces(arch) {
            let Some(expected) = subsystems.iter().find(|s| s["subsystem"] == interface.subsystem.as_str())
            else {
                assert_eq!(
                    interface.subsystem, "darling_bootstrap",
                    "{}: subsystem not in the oracle",
                    interface.file
                );
                continue;
            };
            checked_interfaces += 1;
            if expected["base"].as_i64() != Some(interface.base) {
                differences.push(format!(
                    "{}: base {} instead of {}",
                    interface.file, interface.base, expected["base"]
                ));
            }
            let routines = expected["routines"].as_array().expect("oracle routines");
            if routines.len() != interface.slots.len() {
                differences.push(format!(
                    "{}: {} routine slots instead of {}",
                    interface.file,
                    interface.slots.len(),
                    routines.len()
                ));
            }
            for (slot, routine) in interface.slots.iter().zip(routines) {
                compared += 1;
                let want = Slot {
                    number: routine["number"].as_i64().expect("number"),
                    name: routine["name"].as_str().map(str::to_string),
                    kind: match routine["kind"].as_str() {
                        Some("routine") => "routine",
                        Some("simpleroutine") => "simpleroutine",
                        Some("skip") => "skip",
                        other => panic!("unknown kind {other:?} in the oracle"),
                    },
                };
                if *slot != want {
                    differences.push(format!("{} ({arch}): {slot:?} instead of {want:?}", interface.file));
                }
            }
        }
    }
    eprintln!(
        "compared {compared} routine slots of {checked_interfaces} interfaces (x86_64 and i386) with XNU: {} differ",
        differences.len()
    );
    assert!(differences.is_empty(), "defs/mach disagrees with XNU:\n{}", differences.join("\n"));
}

/// launchd's historical bootstrap interface used base 400 (which host_priv also has).
const LAUNCHD_BOOTSTRAP_BASE: i64 = 400;

#[test]
fn bootstrap_ids_collide_with_nothing() {
    let interfaces = interfaces(Arch::X86_64);
    let bootstrap =
        interfaces.iter().find(|i| i.subsystem == "darling_bootstrap").expect("darling_bootstrap");
    let names: Vec<Option<&str>> = bootstrap.slots.iter().map(|s| s.name.as_deref()).collect();
    assert_eq!(names, [Some("register"), Some("look_up"), Some("check_in")]);
    // Requests use base..base+n, replies 100 more; all must be positive 32-bit message ids.
    let ids = |base: i64, n: i64| (base..base + n).chain(base + 100..base + 100 + n);
    let ours: Vec<i64> = ids(bootstrap.base, bootstrap.slots.len() as i64).collect();
    assert!(
        ours.iter().all(|&id| id > 0 && id <= i64::from(i32::MAX)),
        "bootstrap ids overflow mach_msg_id_t"
    );
    let mut taken: Vec<(String, i64, i64)> = vec![("launchd bootstrap".into(), LAUNCHD_BOOTSTRAP_BASE, 100)];
    // Our own XNU interfaces, then every subsystem in the oracle (the whole corpus) when present.
    for other in interfaces.iter().filter(|i| i.subsystem != "darling_bootstrap") {
        taken.push((other.subsystem.clone(), other.base, other.slots.len() as i64));
    }
    if let Some(shared) = shared_dir("bootstrap_ids_collide_with_nothing (corpus part)") {
        let text =
            std::fs::read_to_string(shared.join("oracle/mig-layouts.json")).expect("reading the oracle");
        let oracle: serde_json::Value = serde_json::from_str(&text).expect("the oracle is JSON");
        for s in oracle["subsystems"].as_array().expect("oracle subsystems") {
            let n = s["routines"].as_array().map_or(0, |r| r.len()) as i64;
            taken.push((
                s["subsystem"].as_str().unwrap_or("?").into(),
                s["base"].as_i64().expect("base"),
                n.max(1),
            ));
        }
    }
    for (name, base, n) in &taken {
        let theirs: Vec<i64> = ids(*base, *n).collect();
        let clash: Vec<&i64> = ours.iter().filter(|id| theirs.contains(id)).collect();
        assert!(clash.is_empty(), "darling_bootstrap ids {clash:?} collide with {name} (base {base})");
    }
    eprintln!("darling_bootstrap ids {:?} collide with none of {} subsystems", ours, taken.len());
}

/// MIG types whose C declaration is knowingly not the MIG size, with the reason.
fn known_mismatch(name: &str, arch: Arch) -> Option<&'static str> {
    match (name, arch) {
        // Apple's own: mach_types.defs says 64 bytes, the C struct is 72 (68 on i386); the oracle's
        // reply size for task_register_dyld_get_process_state (108) follows the C struct.
        ("dyld_kernel_process_info_t", _) => Some("Apple's MIG and C sizes differ"),
        // The MIG type is 64 bits everywhere, the C type pointer-sized; interfaces pass contexts as
        // uint64_t or mach_vm_address_t instead (see machine_types.defs).
        ("mach_port_context_t", Arch::I386) => Some("not used by any routine"),
        _ => None,
    }
}

/// MIG-only names with no C declaration of their own.
const MIG_ONLY: &[&str] = &["int32", "unsigned32", "int64", "unsigned64"];

#[test]
fn mig_types_agree_with_c_headers() {
    let scratch = Scratch::new("types");
    let mut checked = Vec::new();
    for arch in arches() {
        let mut count = 0;
        let mut types = BTreeMap::new();
        for source in read_defs(arch) {
            types_of(&source, &mut types);
        }
        let mut c = String::from(
            "#include <mach/mach_types.h>\n#include <mach/std_types.h>\n#include <mach/mig.h>\n\
             #include <mach/clock_types.h>\n#include <mach_debug/mach_debug_types.h>\n\
             #include <servers/bootstrap_types.h>\n\n",
        );
        for (name, ty) in &types {
            if MIG_ONLY.contains(&name.as_str()) {
                continue;
            }
            let c_name = ty.ctype.as_deref().unwrap_or(name);
            writeln!(c, "typedef {c_name} darling_check_{name}; /* {} */", ty.file).unwrap();
            if let Some(size) = resolve(name, &types) {
                // A known mismatch is asserted to still be one, so the list cannot go stale.
                let (op, why) = match known_mismatch(name, arch) {
                    None => ("==", format!("MIG type {name} is {size} bytes on {arch}")),
                    Some(reason) => {
                        ("!=", format!("{name} is listed as a known mismatch ({reason}) but agrees"))
                    }
                };
                writeln!(c, "_Static_assert(sizeof({c_name}) {op} {size}, \"{}: {why}\");", ty.file).unwrap();
            }
            count += 1;
        }
        let source = scratch.write(&format!("types_{arch}.c"), &c);
        let mut args: Vec<String> = STRICT_C.iter().map(|s| s.to_string()).collect();
        args.extend(["-Wno-unused-local-typedefs".to_string(), "-I".into(), path_arg(&include_dir())]);
        args.extend(["-fsyntax-only".to_string(), path_arg(&source)]);
        if let Err(e) = cc(arch, &args) {
            panic!("the MIG types of defs/mach and the C headers disagree on {arch}:\n{e}");
        }
        checked.push(format!("{count} on {arch}"));
    }
    eprintln!("MIG types declared in C with the same size: {}", checked.join(", "));
}

/// `import <X>` must name a hand-written header, and `#include <X>` a file under `defs/` or
/// `defs/include/`, which are the include directories migc is given.
#[test]
fn imports_and_includes_resolve() {
    let defs_root = mach_defs_dir().parent().expect("defs/").to_path_buf();
    let generated_by_us = |name: &str| -> bool {
        // An import of a header generated from defs/mach itself would be circular.
        name.ends_with(".defs")
    };
    for rel in defs_files() {
        let path = mach_defs_dir().join(&rel);
        let text = strip_comments(&std::fs::read_to_string(&path).expect("reading a .defs file"));
        for line in text.lines() {
            let line = line.trim();
            if let Some(rest) = line.strip_prefix("#include <") {
                let name = rest.split('>').next().unwrap_or("");
                let found = defs_root.join(name).is_file() || include_dir().join(name).is_file();
                assert!(found, "{}: #include <{name}> is not under defs/ or defs/include/", path.display());
            }
            if let Some(rest) = line.strip_prefix("import <") {
                let name = rest.split('>').next().unwrap_or("");
                assert!(!generated_by_us(name), "{}: imports a .defs file", path.display());
                assert!(
                    include_dir().join(name).is_file(),
                    "{}: import <{name}> is not a header under defs/include/",
                    path.display()
                );
            }
        }
    }
}

/// The reader above must see every file: a `.defs` it cannot parse would otherwise hide.
#[test]
fn reader_sees_every_definition_file() {
    let sources = read_defs(Arch::X86_64);
    assert!(sources.len() >= 17, "expected the type files and 12 interfaces, found {}", sources.len());
    let mut types = BTreeMap::new();
    for source in &sources {
        types_of(source, &mut types);
    }
    for needed in ["mach_port_t", "thread_state_t", "vm_size_t", "task_info_t", "name_t", "exception_data_t"]
    {
        assert!(types.contains_key(needed), "type {needed} not found in defs/mach");
    }
}

/// Every `.defs` preprocesses with the project's own preprocessor (migc-cpp), as migc will run it for
/// each target: no error, no warning, and `THREAD_STATE_MAX` reaches the MIG text as a plain number.
#[test]
fn definitions_preprocess_with_migc_cpp() {
    let defs_root = mach_defs_dir().parent().expect("defs/").to_path_buf();
    for arch in [Arch::X86_64, Arch::I386] {
        let mut options = migc_cpp::Options::new()
            .include_dir(&defs_root)
            .include_dir(include_dir())
            .define("__MACH30__", None);
        options = match arch {
            Arch::X86_64 => options.define("__LP64__", None).define("__x86_64__", None),
            Arch::I386 => options.define("__i386__", None),
        };
        for rel in defs_files() {
            let path = mach_defs_dir().join(&rel);
            let mut sources = codegen::Sources::new();
            let output = match migc_cpp::preprocess_file(&path, &options, &mut sources) {
                Ok(output) => output,
                Err(errors) => panic!("{} ({arch}):\n{}", path.display(), errors.render(&sources)),
            };
            assert!(
                output.warnings.items.is_empty(),
                "{} ({arch}) preprocesses with warnings:\n{}",
                path.display(),
                output.warnings.render(&sources)
            );
            if rel.ends_with("mach_types.defs") {
                assert!(
                    output.text.contains("array[*:1296] of natural_t"),
                    "thread_state_t is not bounded by THREAD_STATE_MAX = 1296 after preprocessing"
                );
            }
        }
    }
}
