//! `cargo xtask fuzz [TARGET] [--seconds N]`: builds a cargo-fuzz target with the right flags, seeds
//! its corpus from the project's own inputs (and `../shared/corpus` when it is there), and runs it.
//!
//! The fuzz crates live beside the crates they fuzz (`migc/cpp/fuzz`, `migc/fuzz`, `rpc-gen/fuzz`,
//! `syscall-tables/fuzz`, `runtime/core/fuzz`), outside the workspace: libFuzzer needs coverage flags
//! that only `cargo fuzz` passes, and stable `cargo test --workspace` must never see them. [`targets`]
//! lists every target with its crate, its seeds and its dictionary.
//!
//! Everything a run writes stays under `target/fuzz/`: the build (`--target-dir target/fuzz`, shared
//! by all fuzz crates so their common dependencies build once), the corpus
//! (`target/fuzz/corpus/<target>`, which grows from run to run), crash inputs
//! (`target/fuzz/artifacts/<target>`) and the fuzzer's working directory (`target/fuzz/cwd`, empty, so
//! an input's relative `#include` cannot read the repository). Seeds from `../shared` are copied there
//! at run time and never committed.
//!
//! The default build has no sanitizer: the code under test has no `unsafe`, so AddressSanitizer would
//! only halve the speed, and that build works on the stable toolchain as it is (cargo-fuzz's coverage
//! flags are stable `-C` options). `--sanitizer address` asks for `-Zsanitizer`, which needs a nightly
//! compiler; on stable it is enabled with `RUSTC_BOOTSTRAP=1`, which this command sets. Builds always
//! carry debug assertions and overflow checks (`cargo fuzz build -a`), so an arithmetic overflow is
//! found as the panic a debug build would hit.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

use crate::flags;

/// One fuzz target: where its crate is, what it fuzzes and where its seeds come from.
pub struct Target {
    /// The target's name (its binary in the fuzz crate), as given to `cargo xtask fuzz`.
    pub name: &'static str,
    /// The fuzz crate's directory, relative to the workspace root.
    pub dir: &'static str,
    /// What the target feeds with what.
    pub about: &'static str,
    /// The libFuzzer dictionary, relative to `dir`, if the input is a language.
    pub dict: Option<&'static str>,
    /// The largest input libFuzzer makes (`-max_len`).
    pub max_len: usize,
    /// The seed inputs, by file name.
    pub seeds: fn(&Path) -> anyhow::Result<Seeds>,
}

/// Seed inputs by file name (the name only keeps them apart in the corpus directory).
pub type Seeds = BTreeMap<String, Vec<u8>>;

/// Every fuzz target, in the order `cargo xtask fuzz all` runs them.
pub fn targets() -> Vec<Target> {
    vec![
        Target {
            name: "preprocess",
            dir: "migc/cpp/fuzz",
            about: "migc-cpp: any text preprocessed as a .defs file; the source map and every diagnostic must point into a file",
            dict: Some("preprocess.dict"),
            max_len: 64 * 1024,
            seeds: seeds_preprocess,
        },
        Target {
            name: "migc",
            dir: "migc/fuzz",
            about: "migc: preprocessed text -> parse -> check (x86_64, i386, arm64) -> every emitter",
            dict: Some("migc.dict"),
            max_len: 64 * 1024,
            seeds: seeds_migc,
        },
        Target {
            name: "migc-defs",
            dir: "migc/fuzz",
            about: "migc: a .defs file through migc-cpp (-I defs -I defs/include), then parse, check and every emitter",
            dict: Some("migc.dict"),
            max_len: 64 * 1024,
            seeds: seeds_migc_defs,
        },
        Target {
            name: "rpc-gen",
            dir: "rpc-gen/fuzz",
            about: "rpc-gen: any text as a .rpc file -> parse -> check -> lower -> C and Rust emitters",
            dict: Some("rpc-gen.dict"),
            max_len: 64 * 1024,
            seeds: seeds_rpc_gen,
        },
        Target {
            name: "syscall-tables",
            dir: "syscall-tables/fuzz",
            about: "syscall-tables: a master of any of the three tables -> parse -> check -> lower -> C and Rust emitters",
            dict: Some("syscall-tables.dict"),
            max_len: 128 * 1024,
            seeds: seeds_syscall_tables,
        },
        Target {
            name: "rpc-dispatch",
            dir: "runtime/core/fuzz",
            about: "darling-core: any datagram with 0-15 descriptors -> the RPC dispatcher, the decoder and the client's reply check",
            dict: None,
            max_len: 4096,
            seeds: seeds_rpc_dispatch,
        },
        Target {
            name: "syscall-dispatch",
            dir: "runtime/core/fuzz",
            about: "darling-core: any table, architecture, number and arguments -> system call dispatch and the 32-bit mungers",
            dict: None,
            max_len: 128,
            seeds: |_| Ok(Seeds::new()),
        },
    ]
}

pub fn run(root: &Path, cmd: flags::Fuzz) -> anyhow::Result<()> {
    let all = targets();
    if cmd.check {
        return check(root, &all);
    }
    let Some(name) = cmd.target.as_deref() else {
        list(&all);
        return Ok(());
    };
    let selected: Vec<&Target> = if name == "all" {
        all.iter().collect()
    } else {
        match all.iter().find(|t| t.name == name) {
            Some(t) => vec![t],
            None => {
                list(&all);
                bail!("no fuzz target named `{name}`")
            }
        }
    };
    let sanitizer = cmd.sanitizer.as_deref().unwrap_or("none");
    check_cargo_fuzz()?;
    for target in &selected {
        build(root, target, sanitizer)?;
    }
    if cmd.build_only {
        return Ok(());
    }
    for target in selected {
        fuzz(root, target, cmd.seconds, &cmd.libfuzzer_args)?;
    }
    Ok(())
}

fn list(all: &[Target]) {
    eprintln!("fuzz targets (cargo xtask fuzz <target> [--seconds N], or `all` for each in turn):");
    for t in all {
        eprintln!("  {:<17} {}  [{}]", t.name, t.about, t.dir);
    }
}

/// `cargo fmt --check` and `cargo clippy -D warnings` over every fuzz crate. They live outside the
/// workspace, so neither the workspace's fmt nor its clippy sees them; this keeps them compiling against
/// the APIs they fuzz. Plain cargo builds them (libFuzzer's coverage flags only matter for fuzzing).
fn check(root: &Path, all: &[Target]) -> anyhow::Result<()> {
    let mut dirs: Vec<&str> = all.iter().map(|t| t.dir).collect();
    dirs.dedup();
    for dir in dirs {
        use_workspace_lock(root, dir)?;
        let manifest = root.join(dir).join("Cargo.toml");
        eprintln!("==> checking fuzz crate {dir}");
        let fmt = Command::new("cargo")
            .current_dir(root)
            .args(["fmt", "--check", "--manifest-path"])
            .arg(&manifest)
            .status()
            .context("running `cargo fmt`")?;
        if !fmt.success() {
            bail!("{dir} is not formatted: run `cargo fmt --manifest-path {dir}/Cargo.toml`");
        }
        let clippy = Command::new("cargo")
            .current_dir(root)
            .args(["clippy", "--quiet", "--all-targets", "--manifest-path"])
            .arg(&manifest)
            .arg("--target-dir")
            .arg(root.join("target/fuzz-check"))
            .args(["--", "-D", "warnings"])
            .status()
            .context("running `cargo clippy`")?;
        if !clippy.success() {
            bail!("clippy failed on the fuzz crate {dir}");
        }
    }
    Ok(())
}

fn check_cargo_fuzz() -> anyhow::Result<()> {
    let found = Command::new("cargo").args(["fuzz", "--version"]).output().is_ok_and(|o| o.status.success());
    if !found {
        bail!(
            "cargo-fuzz is not installed: run `cargo install cargo-fuzz` (from crates.io; no nightly toolchain needed)"
        );
    }
    Ok(())
}

/// Where the fuzz builds, corpora and crash inputs go.
fn fuzz_dir(root: &Path) -> PathBuf {
    root.join("target/fuzz")
}

fn host_triple() -> anyhow::Result<String> {
    let out = Command::new("rustc").arg("-vV").output().context("running `rustc -vV`")?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("host: "))
        .map(str::to_string)
        .context("`rustc -vV` did not say the host triple")
}

/// The path of a built target's binary.
fn binary(root: &Path, target: &Target) -> anyhow::Result<PathBuf> {
    Ok(fuzz_dir(root).join(host_triple()?).join("release").join(target.name))
}

fn build(root: &Path, target: &Target, sanitizer: &str) -> anyhow::Result<()> {
    use_workspace_lock(root, target.dir)?;
    let mut cmd = Command::new("cargo");
    cmd.current_dir(root).args(["fuzz", "build", "--fuzz-dir", target.dir, "-O", "-a", "-s", sanitizer]);
    cmd.arg("--target-dir").arg(fuzz_dir(root)).arg(target.name);
    if sanitizer != "none" {
        // `-Zsanitizer` is a nightly option; the stable compiler accepts it with RUSTC_BOOTSTRAP.
        cmd.env("RUSTC_BOOTSTRAP", "1");
    }
    eprintln!("==> building fuzz target `{}` ({}, sanitizer {sanitizer})", target.name, target.dir);
    let status = cmd.status().context("running `cargo fuzz build`")?;
    if !status.success() {
        bail!("`cargo fuzz build` of `{}` failed", target.name);
    }
    Ok(())
}

/// The fuzz crates are workspaces of their own; starting from the workspace's lockfile keeps every
/// shared dependency at the version the project builds and tests with (cargo then only adds
/// libfuzzer-sys). Their own Cargo.lock is not committed, so a stale one is simply replaced.
fn use_workspace_lock(root: &Path, dir: &str) -> anyhow::Result<()> {
    let lock = root.join(dir).join("Cargo.lock");
    let root_lock = root.join("Cargo.lock");
    let stale = match (fs::metadata(&lock).and_then(|m| m.modified()), fs::metadata(&root_lock)?.modified()) {
        (Ok(ours), Ok(theirs)) => ours < theirs,
        _ => true,
    };
    if stale {
        fs::copy(&root_lock, &lock).with_context(|| format!("copying Cargo.lock to {}", lock.display()))?;
    }
    Ok(())
}

fn fuzz(root: &Path, target: &Target, seconds: u64, extra: &[String]) -> anyhow::Result<()> {
    let base = fuzz_dir(root);
    let corpus = base.join("corpus").join(target.name);
    let artifacts = base.join("artifacts").join(target.name);
    let cwd = base.join("cwd");
    for dir in [&corpus, &artifacts, &cwd] {
        fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let mut seeds = (target.seeds)(root)?;
    // Crash inputs found before and kept as regression tests stay in every corpus.
    let regressions = root.join(target.dir).join("regressions").join(target.name);
    add_files(&mut seeds, "regression", &regressions, |_| true)?;
    for (name, bytes) in &seeds {
        let path = corpus.join(format!("seed-{name}"));
        if !path.exists() {
            fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
        }
    }
    let binary = binary(root, target)?;
    let mut cmd = Command::new(&binary);
    cmd.current_dir(&cwd);
    cmd.arg(format!("-max_total_time={seconds}"))
        .arg("-timeout=10")
        .arg("-rss_limit_mb=4096")
        .arg(format!("-max_len={}", target.max_len))
        .arg("-print_final_stats=1")
        .arg(format!("-artifact_prefix={}/", artifacts.display()));
    if let Some(dict) = target.dict {
        cmd.arg(format!("-dict={}", root.join(target.dir).join(dict).display()));
    }
    cmd.args(extra).arg(&corpus);
    eprintln!(
        "==> fuzzing `{}` for {seconds} s ({} seeds; corpus {}, crash inputs in {})",
        target.name,
        seeds.len(),
        corpus.display(),
        artifacts.display()
    );
    let status = cmd.status().with_context(|| format!("running {}", binary.display()))?;
    if !status.success() {
        bail!(
            "fuzz target `{}` failed ({status}); the input is in {}/. Reproduce with `{} <input>`, minimize \
             with `cargo fuzz tmin --fuzz-dir {} -O -a -s none --target-dir target/fuzz {} <input>`",
            target.name,
            artifacts.display(),
            binary.display(),
            target.dir,
            target.name
        );
    }
    Ok(())
}

/// Adds every file of `dir` (recursively, sorted) that `keep` accepts, named `<tag>-<file name>`.
fn add_files(seeds: &mut Seeds, tag: &str, dir: &Path, keep: impl Fn(&Path) -> bool) -> anyhow::Result<()> {
    for path in files_under(dir) {
        if keep(&path) {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let bytes = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            seeds.insert(format!("{tag}-{name}"), bytes);
        }
    }
    Ok(())
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn has_ext(ext: &'static str) -> impl Fn(&Path) -> bool {
    move |p| p.extension().is_some_and(|e| e == ext)
}

/// `../shared/corpus`, if it is beside the checkout (seeds from it are copied at run time only).
fn shared_corpus(root: &Path) -> Option<PathBuf> {
    let dir = root.join("../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("note: ../shared/corpus is absent; seeding from the project's own inputs only");
        None
    }
}

fn seeds_preprocess(root: &Path) -> anyhow::Result<Seeds> {
    let mut seeds = seeds_migc_defs(root)?;
    add_files(&mut seeds, "cpp", &root.join("migc/cpp/tests/data"), |_| true)?;
    add_files(&mut seeds, "include", &root.join("defs/include"), has_ext("h"))?;
    Ok(seeds)
}

fn seeds_migc_defs(root: &Path) -> anyhow::Result<Seeds> {
    let mut seeds = Seeds::new();
    add_files(&mut seeds, "defs", &root.join("defs/mach"), has_ext("defs"))?;
    add_files(&mut seeds, "ok", &root.join("tests/data/ok"), has_ext("defs"))?;
    add_files(&mut seeds, "err", &root.join("tests/data/err"), has_ext("defs"))?;
    if let Some(corpus) = shared_corpus(root) {
        add_files(&mut seeds, "shared", &corpus, has_ext("defs"))?;
    }
    Ok(seeds)
}

/// The `migc` target takes preprocessed text, so its seeds are the `.defs` files after migc's own
/// preprocessing, with the include directories each set of files is compiled with.
fn seeds_migc(root: &Path) -> anyhow::Result<Seeds> {
    let defs = [root.join("defs"), root.join("defs/include")];
    let mut sets: Vec<(&str, PathBuf, Vec<PathBuf>)> = vec![
        ("defs", root.join("defs/mach"), defs.to_vec()),
        ("ok", root.join("tests/data/ok"), vec![root.join("tests/data/mach-min/defs")]),
    ];
    if let Some(corpus) = shared_corpus(root) {
        let xnu = corpus.join("xnu");
        sets.push(("shared", xnu.clone(), vec![xnu.join("osfmk"), root.join("defs/include")]));
    }
    let mut seeds = Seeds::new();
    for (tag, dir, include_dirs) in sets {
        for path in files_under(&dir).into_iter().filter(|p| has_ext("defs")(p)) {
            let options = migc::preprocess::PreprocessOptions {
                include_dirs: include_dirs.clone(),
                macros: Vec::new(),
                preprocessor: migc::Preprocessor::Internal,
            };
            let mut sources = codegen::Sources::new();
            // Files that do not preprocess on their own (type-only files, fixtures of errors) are
            // simply not seeds.
            if let Ok(pre) =
                migc::preprocess::preprocess(&path, codegen::Target::X86_64, &options, &mut sources)
            {
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                seeds.insert(format!("{tag}-{name}"), pre.text.into_bytes());
            }
        }
    }
    Ok(seeds)
}

fn seeds_rpc_gen(root: &Path) -> anyhow::Result<Seeds> {
    let mut seeds = Seeds::new();
    add_files(&mut seeds, "defs", &root.join("defs/rpc"), has_ext("rpc"))?;
    add_files(&mut seeds, "fixture", &root.join("rpc-gen/tests/data"), has_ext("rpc"))?;
    add_files(&mut seeds, "tests", &root.join("tests/data/rpc"), has_ext("rpc"))?;
    Ok(seeds)
}

/// A syscall-tables input is one byte choosing the table (0 BSD, 1 Mach traps, 2 machdep), then the
/// master.
fn seeds_syscall_tables(root: &Path) -> anyhow::Result<Seeds> {
    let kind_of = |name: &str| {
        if name.starts_with("mach_traps") || name.starts_with("mach_") {
            1
        } else if name.starts_with("machdep") {
            2
        } else {
            0
        }
    };
    let mut masters = Seeds::new();
    add_files(&mut masters, "defs", &root.join("defs/syscalls"), has_ext("master"))?;
    add_files(&mut masters, "fixture", &root.join("syscall-tables/tests/data"), has_ext("master"))?;
    if let Some(corpus) = shared_corpus(root) {
        add_files(&mut masters, "shared", &corpus, has_ext("master"))?;
    }
    let mut seeds = Seeds::new();
    for (name, text) in masters {
        let file = name.split_once('-').map_or(name.as_str(), |(_, f)| f);
        let file = file.strip_prefix("syscalls").map_or(file, |_| "bsd");
        let mut bytes = vec![kind_of(file)];
        bytes.extend(text);
        seeds.insert(name, bytes);
    }
    Ok(seeds)
}

/// One well-formed call of every number of darlingserver's table (every descriptor field naming a
/// descriptor that arrives with it), check-in with the protocol-hash trailer, and the two special
/// messages. The first byte is the descriptor count.
fn seeds_rpc_dispatch(_root: &Path) -> anyhow::Result<Seeds> {
    use darling_core::rpc::{CallHeader, FieldKind, codec, message, wire};
    let call = |number: u32, size: usize| {
        let mut bytes = vec![0u8; size];
        CallHeader { number, pid: 100, tid: 101, architecture: 2 }.write(&mut bytes);
        bytes
    };
    let mut seeds = Seeds::new();
    for info in &wire::CALLS {
        let mut bytes = call(info.number, info.call_size);
        let mut fds = 0u8;
        for field in info.params.iter().filter(|f| f.kind == FieldKind::Fd) {
            codec::write_i32(&mut bytes, field.offset, i32::from(fds));
            fds += 1;
        }
        let mut seed = vec![fds];
        seed.extend(&bytes);
        seeds.insert(info.name.to_string(), seed);
        if info.has(wire::flags::SEND_PROTOCOL_HASH) {
            let mut hashed = vec![fds];
            hashed.extend(&bytes);
            hashed.extend(wire::PROTOCOL_HASH_MAGIC.to_ne_bytes());
            hashed.extend(wire::PROTOCOL_HASH.to_ne_bytes());
            seeds.insert(format!("{}-hash", info.name), hashed);
        }
    }
    let mut push = vec![2u8];
    push.extend(call(wire::callnum::PUSH_REPLY, message::PUSH_REPLY_SIZE));
    seeds.insert("push_reply".to_string(), push);
    let mut s2c = vec![1u8];
    s2c.extend(call(wire::callnum::S2C, message::S2C_REPLY_HEADER_SIZE + 8));
    seeds.insert("s2c".to_string(), s2c);
    Ok(seeds)
}
