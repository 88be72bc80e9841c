//! Conformance against the real XNU interfaces in `../shared/corpus` and Apple's numbers in
//! `../shared/oracle/mig-layouts.json`: every subsystem file compiles to all four outputs, and every
//! routine's ids and message sizes agree with Apple's mig. Skips with a printed reason when `../shared`
//! is absent.

mod support;

use std::path::{Path, PathBuf};

use codegen::Target;
use migc::{MacroOption, Options};
use serde_json::Value;

fn corpus_options(xnu: &Path, rel: &str, headers: &Path) -> Options {
    let mut options = Options::new(xnu.join(rel));
    options.target = Target::X86_64;
    options.include_dirs = vec![xnu.join("osfmk"), headers.to_path_buf()];
    options.source_label = Some(rel.to_string());
    options
}

fn all_defs(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            all_defs(&path, out);
        } else if path.extension().is_some_and(|e| e == "defs") {
            out.push(path);
        }
    }
}

/// How many routines `../shared/oracle/mig-layouts.json` lists, over how many subsystem files.
const ORACLE_ROUTINES: usize = 652;
/// How many `.defs` files of `../shared/corpus/xnu` declare a subsystem, and how many only types.
const CORPUS_SUBSYSTEM_FILES: usize = 52;
const CORPUS_TYPE_ONLY_FILES: usize = 5;

#[test]
fn layouts_agree_with_apple() {
    let Some(shared) = support::shared_dir() else { return };
    let xnu = shared.join("corpus/xnu");
    let headers = support::mach_headers();
    let oracle: Value =
        serde_json::from_str(&std::fs::read_to_string(shared.join("oracle/mig-layouts.json")).unwrap())
            .unwrap();
    let mut compared = 0;
    let mut differences = Vec::new();
    for subsystem in oracle["subsystems"].as_array().unwrap() {
        let file = subsystem["file"].as_str().unwrap();
        let module = match migc::compile_model(&corpus_options(&xnu, file, headers.path())) {
            Ok((module, _)) => module,
            Err(e) => {
                differences.push(format!("{file}: does not compile:\n{}", e.render()));
                continue;
            }
        };
        let ours = migc::emit::layout_json::subsystem(&module);
        let ours = serde_json::to_value(&ours).unwrap();
        for key in ["subsystem", "base", "end", "kernel_user", "kernel_server"] {
            if ours[key] != subsystem[key] {
                differences.push(format!("{file}: {key}: ours {} apple {}", ours[key], subsystem[key]));
            }
        }
        let theirs = subsystem["routines"].as_array().unwrap();
        let mine = ours["routines"].as_array().unwrap();
        if theirs.len() != mine.len() {
            differences.push(format!("{file}: {} routines, apple has {}", mine.len(), theirs.len()));
        }
        for (t, m) in theirs.iter().zip(mine) {
            compared += 1;
            for key in ["number", "name", "kind", "msgh_id", "reply_msgh_id", "request_size", "reply_size"] {
                let tv = t.get(key).cloned().unwrap_or(Value::Null);
                let mv = m.get(key).cloned().unwrap_or(Value::Null);
                if tv != mv {
                    differences.push(format!("{file}: {}: {key}: ours {mv} apple {tv}", t["name"]));
                }
            }
        }
    }
    println!("compared {compared} routines with Apple's mig; {} differ", differences.len());
    // Every routine the oracle lists is compared (a subsystem with fewer routines is a difference
    // above); the oracle holds 652, so a shrunken oracle or corpus fails here instead of passing.
    let listed: usize = oracle["subsystems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["routines"].as_array().unwrap().len())
        .sum();
    assert_eq!(
        (compared, listed),
        (ORACLE_ROUTINES, ORACLE_ROUTINES),
        "routines compared / listed by the oracle"
    );
    assert!(differences.is_empty(), "differences:\n{}", differences.join("\n"));
}

#[test]
fn spot_checks() {
    let Some(shared) = support::shared_dir() else { return };
    let xnu = shared.join("corpus/xnu");
    let headers = support::mach_headers();
    let size = |file: &str, routine: &str| {
        let (module, _) = migc::compile_model(&corpus_options(&xnu, file, headers.path())).unwrap();
        let r = module.routines.iter().find(|r| r.name == routine).unwrap();
        (r.request.size, r.reply.as_ref().map_or(0, |m| m.size))
    };
    assert_eq!(size("osfmk/mach/mach_port.defs", "mach_port_allocate"), (36, 40));
    assert_eq!(size("osfmk/mach/task.defs", "task_info"), (40, 416));
    assert_eq!(size("osfmk/mach/clock.defs", "clock_alarm"), (60, 36));
}

#[test]
fn every_subsystem_file_compiles() {
    let Some(shared) = support::shared_dir() else { return };
    let xnu = shared.join("corpus/xnu");
    let headers = support::mach_headers();
    let mut files = Vec::new();
    all_defs(&xnu, &mut files);
    let type_only = [
        "clock_types.defs",
        "mach_types.defs",
        "std_types.defs",
        "mach_debug_types.defs",
        "machine_types.defs",
    ];
    let mut compiled = 0;
    let mut expected = 0;
    let mut type_only_seen = 0;
    let mut failures = Vec::new();
    for path in &files {
        let rel = path.strip_prefix(&xnu).unwrap().to_string_lossy().into_owned();
        let name = path.file_name().unwrap().to_string_lossy();
        let options = corpus_options(&xnu, &rel, headers.path());
        if type_only.contains(&name.as_ref()) {
            type_only_seen += 1;
            // A file that declares no subsystem gives one located error.
            match migc::compile(&options) {
                Ok(_) => failures.push(format!("{rel}: compiled, but declares no subsystem")),
                Err(e) => {
                    let text = e.render();
                    let located = e.diagnostics.items.iter().all(|d| d.primary.is_some());
                    if !located
                        || !text.contains(&format!("--> {}", path.display())) && name != "machine_types.defs"
                    {
                        failures.push(format!("{rel}: error is not located in the file:\n{text}"));
                    }
                    if name != "machine_types.defs" && e.diagnostics.items.len() != 1 {
                        failures.push(format!("{rel}: expected one error, got:\n{text}"));
                    }
                }
            }
            continue;
        }
        expected += 1;
        let mut options = options;
        if name == "upl.defs" {
            // Without KERNEL_PRIVATE, `upl_t` is unknown: a located error.
            match migc::compile(&options) {
                Ok(_) => failures.push(format!("{rel}: compiled without -DKERNEL_PRIVATE")),
                Err(e) => {
                    let text = e.render();
                    if !text.contains("unknown type `upl_t`") || !text.contains("upl.defs:") {
                        failures.push(format!("{rel}: unexpected error without KERNEL_PRIVATE:\n{text}"));
                    }
                }
            }
            options.macros.push(MacroOption::Define { name: "KERNEL_PRIVATE".into(), value: None });
        }
        match migc::compile(&options) {
            Ok(out) => {
                let all = [&out.user, &out.header, &out.server, &out.server_header];
                if all.iter().any(|text| !text.contains("@generated by migc")) {
                    failures.push(format!("{rel}: an output lacks its preamble"));
                } else {
                    compiled += 1;
                }
            }
            Err(e) => failures.push(format!("{rel}:\n{}", e.render())),
        }
    }
    println!("{compiled} of {expected} compiled");
    assert_eq!(
        (expected, type_only_seen),
        (CORPUS_SUBSYSTEM_FILES, CORPUS_TYPE_ONLY_FILES),
        "subsystem files and type-only files found in the corpus"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(compiled, expected);
}

#[test]
fn external_preprocessor_agrees_with_internal() {
    let Some(shared) = support::shared_dir() else { return };
    let xnu = shared.join("corpus/xnu");
    let headers = support::mach_headers();
    let oracle: Value =
        serde_json::from_str(&std::fs::read_to_string(shared.join("oracle/mig-layouts.json")).unwrap())
            .unwrap();
    let mut compared = 0;
    for subsystem in oracle["subsystems"].as_array().unwrap() {
        let file = subsystem["file"].as_str().unwrap();
        let internal = corpus_options(&xnu, file, headers.path());
        let mut external = internal.clone();
        external.preprocessor = migc::Preprocessor::External("cc".into());
        let (a, _) = migc::compile_model(&internal).unwrap_or_else(|e| panic!("{file}:\n{}", e.render()));
        let (b, _) =
            migc::compile_model(&external).unwrap_or_else(|e| panic!("{file} (cc -E):\n{}", e.render()));
        let (a, b) = (migc::emit::layout_json::subsystem(&a), migc::emit::layout_json::subsystem(&b));
        assert_eq!(serde_json::to_value(&a).unwrap(), serde_json::to_value(&b).unwrap(), "{file}");
        compared += 1;
    }
    println!("{compared} files give the same layouts through cc -E and migc-cpp");
}

#[test]
fn corpus_compiles_for_every_target() {
    let Some(shared) = support::shared_dir() else { return };
    let xnu = shared.join("corpus/xnu");
    let headers = support::mach_headers();
    let oracle: Value =
        serde_json::from_str(&std::fs::read_to_string(shared.join("oracle/mig-layouts.json")).unwrap())
            .unwrap();
    for target in [Target::I386, Target::Arm64] {
        let mut compiled = 0;
        for subsystem in oracle["subsystems"].as_array().unwrap() {
            let file = subsystem["file"].as_str().unwrap();
            let mut options = corpus_options(&xnu, file, headers.path());
            options.target = target;
            // Not only sizes depend on the target: libsyscall's vm_map.defs is `vm_map_lp64_local` (base
            // 4800) where `__LP64__` is defined and `vm_map` (base 3800) on i386.
            migc::compile_model(&options).unwrap_or_else(|e| panic!("{file} ({target}):\n{}", e.render()));
            compiled += 1;
        }
        println!("{target}: {compiled} corpus files compiled");
    }
    // On i386 an out-of-line descriptor is 12 bytes, not 16: `task_threads` replies with one.
    let (module, _) = migc::compile_model(&{
        let mut o = corpus_options(&xnu, "osfmk/mach/task.defs", headers.path());
        o.target = Target::I386;
        o
    })
    .unwrap();
    let r = module.routines.iter().find(|r| r.name == "task_threads").unwrap();
    assert_eq!(r.reply.as_ref().unwrap().size, 56 - 4);
}

/// Every corpus subsystem (the oracle's list: `osfmk/` and `libsyscall/`) compiled for x86_64 into a
/// directory of its own, with `sizes.c` (the user header's typedef sizes as `_Static_assert`s against
/// the model) and `server_sizes.c` (the same through the server header) beside the four outputs.
struct CorpusOutputs {
    scratch: support::c_harness::Scratch,
    /// (corpus file, its directory, subsystem name)
    subsystems: Vec<(String, PathBuf, String)>,
}

fn corpus_outputs(shared: &Path, include: &Path) -> CorpusOutputs {
    let xnu = shared.join("corpus/xnu");
    let oracle: Value =
        serde_json::from_str(&std::fs::read_to_string(shared.join("oracle/mig-layouts.json")).unwrap())
            .unwrap();
    let scratch = support::c_harness::Scratch::new("corpus-headers");
    // The corpus imports <Availability.h>, which only declares availability macros.
    std::fs::write(scratch.0.join("Availability.h"), "/* availability macros: none needed here */\n")
        .unwrap();
    let mut subsystems = Vec::new();
    for subsystem in oracle["subsystems"].as_array().unwrap() {
        let file = subsystem["file"].as_str().unwrap();
        let output = migc::compile(&corpus_options(&xnu, file, include)).unwrap();
        let name = output.module.subsystem.name.clone();
        let dir = scratch.0.join(file.replace('/', "_"));
        std::fs::create_dir_all(&dir).unwrap();
        support::c_harness::write_outputs(&output, &dir);
        let sizes = support::c_harness::size_asserts(&output, &format!("{name}.h"));
        std::fs::write(dir.join("sizes.c"), sizes).unwrap();
        let sizes = support::c_harness::size_asserts(&output, &format!("{name}Server.h"));
        std::fs::write(dir.join("server_sizes.c"), sizes).unwrap();
        subsystems.push((file.to_string(), dir, name));
    }
    CorpusOutputs { scratch, subsystems }
}

/// `-fsyntax-only` over `sources` of every corpus subsystem with `compiler` and `flags` (plus each
/// subsystem's directory, the scratch root and `include` on the include path). Returns, per corpus
/// directory (`osfmk`, `libsyscall`), how many subsystems passed of how many, and the failures.
fn check_corpus(
    outputs: &CorpusOutputs,
    compiler: support::c_harness::Compiler,
    flags: &[String],
    include: &[PathBuf],
    sources: impl Fn(&Path, &str) -> Vec<PathBuf>,
) -> (Vec<(String, usize, usize)>, Vec<String>) {
    let mut tally: Vec<(String, usize, usize)> = Vec::new();
    let mut failures = Vec::new();
    for (file, dir, name) in &outputs.subsystems {
        let top = file.split('/').next().unwrap_or(file).to_string();
        if tally.last().is_none_or(|t| t.0 != top) {
            tally.push((top, 0, 0));
        }
        let entry = tally.last_mut().unwrap();
        entry.2 += 1;
        let mut args: Vec<String> = flags.to_vec();
        for d in [dir, &outputs.scratch.0].into_iter().chain(include) {
            args.push(format!("-I{}", d.display()));
        }
        args.push("-fsyntax-only".into());
        args.extend(sources(dir, name).iter().map(|p| p.display().to_string()));
        match support::c_harness::run(compiler, &args, dir) {
            Ok(()) => entry.1 += 1,
            Err(e) => failures.push(format!("{file}: {e}")),
        }
    }
    (tally, failures)
}

fn show(tally: &[(String, usize, usize)]) -> String {
    tally.iter().map(|(top, ok, all)| format!("{ok} of {all} {top}")).collect::<Vec<_>>().join(", ")
}

/// The corpus's user and server headers against the project's own Mach headers (`defs/include`), with
/// every C compiler available, `-Wall -Wextra -Werror`: every header compiles, and `sizeof` of every
/// `__Request__`/`__Reply__` typedef equals the model (`_Static_assert`s).
#[test]
fn corpus_headers_compile_against_project_headers() {
    let Some(shared) = support::shared_dir() else { return };
    let include = support::workspace_root().join("defs/include");
    let outputs = corpus_outputs(&shared, &include);
    let flags: Vec<String> =
        support::c_harness::flags(Target::X86_64).iter().map(|s| s.to_string()).collect();
    let mut failures = Vec::new();
    for compiler in support::c_harness::compilers_for(Target::X86_64) {
        let (tally, failed) =
            check_corpus(&outputs, compiler, &flags, std::slice::from_ref(&include), |d, _| {
                vec![d.join("sizes.c")]
            });
        println!("{compiler}: {} corpus user headers compile against defs/include", show(&tally));
        failures.extend(failed);
        let (tally, failed) =
            check_corpus(&outputs, compiler, &flags, std::slice::from_ref(&include), |d, _| {
                vec![d.join("server_sizes.c")]
            });
        println!("{compiler}: {} corpus server headers compile against defs/include", show(&tally));
        failures.extend(failed);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The corpus's generated user and server stubs (`User.c`, `Server.c`) against `defs/include`, with
/// every C compiler available, `-Wall -Wextra -Werror`: they are what a build of Apple's interfaces on
/// the project's headers would compile.
#[test]
fn corpus_sources_compile_against_project_headers() {
    let Some(shared) = support::shared_dir() else { return };
    let include = support::workspace_root().join("defs/include");
    let outputs = corpus_outputs(&shared, &include);
    let flags: Vec<String> =
        support::c_harness::flags(Target::X86_64).iter().map(|s| s.to_string()).collect();
    let mut failures = Vec::new();
    for compiler in support::c_harness::compilers_for(Target::X86_64) {
        let (tally, failed) =
            check_corpus(&outputs, compiler, &flags, std::slice::from_ref(&include), |d, n| {
                vec![d.join(format!("{n}User.c")), d.join(format!("{n}Server.c"))]
            });
        println!("{compiler}: {} corpus subsystems' stubs compile against defs/include", show(&tally));
        failures.extend(failed);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The in-project stand-in for the outside check (the corpus headers against Apple's own
/// headers with clang for x86_64-apple-macos): the same clang target, Apple's ABI and predefined macros
/// (`__APPLE__`, `__MACH__`, LP64 with Darwin's type choices), over the project's headers. No macOS SDK
/// is available here, so the host's C library must stay out: `-nostdinc` drops it and clang's own
/// freestanding headers (`stdint.h`, `stddef.h`) come back through `-isystem <resource dir>/include`;
/// the two libc headers the generated and hand-written headers still name get one-line stand-ins
/// (`string.h`: `memcpy`; `sys/types.h`: Darwin's `fsid_t`). The headers must be valid C
/// (`-Wall -Wextra -Werror`) and declare every typedef with the model's size (`_Static_assert`s).
#[test]
fn corpus_headers_compile_for_apple_target() {
    let Some(shared) = support::shared_dir() else { return };
    if !support::c_harness::clang_installed() {
        return;
    }
    let resource = std::process::Command::new("clang").arg("-print-resource-dir").output().unwrap();
    let resource = PathBuf::from(String::from_utf8_lossy(&resource.stdout).trim()).join("include");
    let include = support::workspace_root().join("defs/include");
    let outputs = corpus_outputs(&shared, &include);
    let sdk = outputs.scratch.0.join("sdk-stand-in");
    std::fs::create_dir_all(sdk.join("sys")).unwrap();
    std::fs::write(
        sdk.join("string.h"),
        "#include <stddef.h>\nvoid *memcpy(void *, const void *, size_t);\n",
    )
    .unwrap();
    std::fs::write(
        sdk.join("sys/types.h"),
        "#include <stdint.h>\ntypedef struct fsid { int32_t val[2]; } fsid_t;\n",
    )
    .unwrap();
    let flags: Vec<String> = [
        "-target",
        "x86_64-apple-macos",
        "-nostdinc",
        "-isystem",
        &resource.display().to_string(),
        "-std=gnu11",
        "-Wall",
        "-Wextra",
        "-Werror",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let compiler = support::c_harness::Compiler::Clang;
    let (tally, mut failures) =
        check_corpus(&outputs, compiler, &flags, &[sdk.clone(), include.clone()], |d, _| {
            vec![d.join("sizes.c")]
        });
    println!("clang -target x86_64-apple-macos: {} corpus user headers compile, sizes agree", show(&tally));
    let (tally, failed) =
        check_corpus(&outputs, compiler, &flags, &[sdk, include], |d, _| vec![d.join("server_sizes.c")]);
    println!("clang -target x86_64-apple-macos: {} corpus server headers compile, sizes agree", show(&tally));
    failures.extend(failed);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The corpus's kernel variants, as XNU builds them: every `osfmk` interface compiled with
/// `-DKERNEL_SERVER` (and, separately, `-DKERNEL_USER`), and the sources of every `KernelServer`
/// (`KernelUser`) subsystem compiled with `-Wall -Wextra -Werror` against `defs/include`, both as user
/// code and as kernel code (`__MigKernelSpecificCode`). The kernel is a stand-in:
/// `tests/data/kernel-min` declares what MIG stubs call in a kernel (`<kern/ipc_mig.h>`), and the
/// conversions the interfaces name (`intran`, `outtran`, `destructor`) are declared from the model.
#[test]
fn corpus_kernel_variants_compile() {
    let Some(shared) = support::shared_dir() else { return };
    let root = support::workspace_root();
    let include = root.join("defs/include");
    let kernel_include = root.join("tests/data/kernel-min/include");
    let xnu = shared.join("corpus/xnu");
    let oracle: Value =
        serde_json::from_str(&std::fs::read_to_string(shared.join("oracle/mig-layouts.json")).unwrap())
            .unwrap();
    let scratch = support::c_harness::Scratch::new("corpus-kernel");
    std::fs::write(scratch.0.join("Availability.h"), "/* availability macros: none needed here */\n")
        .unwrap();
    // (variant, corpus file, directory, source) for every kernel-side source.
    let mut sources = Vec::new();
    let mut conversions = std::collections::BTreeMap::new();
    for (variant, define) in [("KernelServer", "KERNEL_SERVER"), ("KernelUser", "KERNEL_USER")] {
        for subsystem in oracle["subsystems"].as_array().unwrap() {
            let file = subsystem["file"].as_str().unwrap();
            if !file.starts_with("osfmk/") {
                continue;
            }
            let mut options = corpus_options(&xnu, file, &include);
            options.macros.push(MacroOption::Define { name: define.into(), value: None });
            let output =
                migc::compile(&options).unwrap_or_else(|e| panic!("{file} -D{define}:\n{}", e.render()));
            let module = &output.module;
            let kernel = if variant == "KernelServer" {
                module.subsystem.kernel_server
            } else {
                module.subsystem.kernel_user
            };
            if !kernel {
                continue;
            }
            for routine in module.real_routines() {
                for arg in &routine.args {
                    declare_conversions(&arg.ty, &mut conversions);
                }
            }
            let dir = scratch.0.join(format!("{define}-{}", file.replace('/', "_")));
            std::fs::create_dir_all(&dir).unwrap();
            let [_, user, _, server] = support::c_harness::write_outputs(&output, &dir);
            let source = if variant == "KernelServer" { server } else { user };
            sources.push((variant, file.to_string(), dir, source));
        }
    }
    let declarations: String = conversions.values().map(|d| format!("{d}\n")).collect();
    let conversions_h = scratch.0.join("kernel_conversions.h");
    std::fs::write(
        &conversions_h,
        format!("#include <mach/mach_types.h>\n#include <mach_debug/mach_debug_types.h>\n{declarations}"),
    )
    .unwrap();
    let mut failures = Vec::new();
    for compiler in support::c_harness::compilers_for(Target::X86_64) {
        let mut compiled = std::collections::BTreeMap::<(&str, bool), usize>::new();
        for (variant, file, dir, source) in &sources {
            for kernel_code in [false, true] {
                let mut args: Vec<String> =
                    support::c_harness::flags(Target::X86_64).iter().map(|s| s.to_string()).collect();
                if kernel_code {
                    args.extend(support::c_harness::KERNEL_DEFINES.iter().map(|s| s.to_string()));
                }
                // The conversions exist in the kernel whichever branch of the stubs is compiled.
                args.extend(["-include".to_string(), conversions_h.display().to_string()]);
                for d in [dir, &scratch.0, &include, &kernel_include] {
                    args.push(format!("-I{}", d.display()));
                }
                args.extend(["-fsyntax-only".to_string(), source.display().to_string()]);
                match support::c_harness::run(compiler, &args, dir) {
                    Ok(()) => *compiled.entry((variant, kernel_code)).or_default() += 1,
                    Err(e) => failures.push(format!("{file} ({variant}, kernel code: {kernel_code}): {e}")),
                }
            }
        }
        for ((variant, kernel_code), n) in compiled {
            let total = sources.iter().filter(|s| s.0 == variant).count();
            let mode = if kernel_code { "as kernel code" } else { "as user code" };
            println!("{compiler}: {n} of {total} corpus {variant} sources compile {mode}");
        }
    }
    assert!(sources.iter().any(|s| s.0 == "KernelServer") && sources.iter().any(|s| s.0 == "KernelUser"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Prototypes, by function name, for the conversion functions a type names.
fn declare_conversions(ty: &migc::model::Type, out: &mut std::collections::BTreeMap<String, String>) {
    let translated = ty.intran.as_ref().map(|t| t.ty.clone()).unwrap_or_else(|| ty.server_c.clone());
    if let Some(t) = &ty.intran {
        out.entry(t.function.clone())
            .or_insert_with(|| format!("extern {} {}({});", t.ty, t.function, ty.server_c));
    }
    if let Some(t) = &ty.outtran {
        out.entry(t.function.clone())
            .or_insert_with(|| format!("extern {} {}({});", ty.server_c, t.function, t.ty));
    }
    if let Some(d) = &ty.destructor {
        out.entry(d.clone()).or_insert_with(|| format!("extern void {d}({translated});"));
    }
    if let migc::model::Shape::Array(a) = &ty.shape {
        declare_conversions(&a.element, out);
    }
}
