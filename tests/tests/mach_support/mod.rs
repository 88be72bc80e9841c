//! Helpers for the tests of `defs/` (the hand-written Mach headers and MIG definitions): where the
//! workspace and `../shared` are, which C targets the machine's `cc` can build, and how to run it.
#![allow(dead_code)]

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

pub use darling_tests::workspace_root;

/// `defs/include`, the hand-written headers.
pub fn include_dir() -> PathBuf {
    workspace_root().join("defs/include")
}

/// `defs/mach`, the MIG definitions.
pub fn mach_defs_dir() -> PathBuf {
    workspace_root().join("defs/mach")
}

/// `../shared` beside the checkout, or `None` after printing why the caller skips.
pub fn shared_dir(test: &str) -> Option<PathBuf> {
    darling_tests::shared_or_skip(test, "oracle/mig-layouts.json")
}

/// A C target the header tests build for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arch {
    X86_64,
    I386,
}

impl Arch {
    /// The `cc` flags selecting this target on an x86_64 host.
    pub fn flags(self) -> &'static [&'static str] {
        match self {
            Arch::X86_64 => &[],
            Arch::I386 => &["-m32"],
        }
    }

    /// Whether pointers (and `vm_size_t`) are 64 bits wide.
    pub fn lp64(self) -> bool {
        self == Arch::X86_64
    }
}

impl fmt::Display for Arch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Arch::X86_64 => "x86_64",
            Arch::I386 => "i386",
        })
    }
}

/// The targets `cc` can build here: x86_64 always (or the test fails), i386 when `-m32` works
/// (gcc-multilib), with a printed reason when it does not.
pub fn arches() -> Vec<Arch> {
    let mut arches = vec![Arch::X86_64];
    let scratch = Scratch::new("probe");
    let src =
        scratch.write("probe.c", "#include <stdint.h>\nint probe(void) { return (int)sizeof(uint64_t); }\n");
    match cc(Arch::I386, &["-c".into(), path_arg(&src), "-o".into(), path_arg(&scratch.path("probe.o"))]) {
        Ok(()) => arches.push(Arch::I386),
        Err(e) => eprintln!(
            "skipping i386 checks: `cc -m32` cannot build here (install gcc-multilib): {}",
            e.lines().last().unwrap_or("")
        ),
    }
    arches
}

/// The strict C flags every check uses: the oldest dialect the headers promise, all warnings fatal.
pub const STRICT_C: &[&str] = &["-std=gnu11", "-Wall", "-Wextra", "-Werror"];

/// Runs `cc` for `arch` with `args`; `Err` carries the command and the compiler's output.
pub fn cc(arch: Arch, args: &[String]) -> Result<(), String> {
    run("cc", arch, args)
}

/// The C compilers to check headers with: `cc`, and `clang` too when it is installed (the headers
/// promise both; CI has at least `cc`). Prints why clang is skipped.
pub fn c_compilers() -> Vec<&'static str> {
    let mut compilers = vec!["cc"];
    match Command::new("clang").arg("--version").output() {
        Ok(output) if output.status.success() => compilers.push("clang"),
        _ => eprintln!("skipping clang checks: no `clang` on PATH"),
    }
    compilers
}

/// Runs `compiler` (as [`c_compilers`] names it) for `arch` with `args`.
pub fn compile_with(compiler: &str, arch: Arch, args: &[String]) -> Result<(), String> {
    run(compiler, arch, args)
}

/// Runs `c++` for `arch` with `args`, like [`cc`].
pub fn cxx(arch: Arch, args: &[String]) -> Result<(), String> {
    run("c++", arch, args)
}

fn run(compiler: &str, arch: Arch, args: &[String]) -> Result<(), String> {
    let mut cmd = Command::new(compiler);
    cmd.args(arch.flags()).args(args);
    let shown = format!("{compiler} {} {}", arch.flags().join(" "), args.join(" "));
    let output = cmd.output().map_err(|e| format!("cannot run `{shown}`: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "`{shown}` failed:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// A path as a command-line argument.
pub fn path_arg(path: &Path) -> String {
    path.display().to_string()
}

/// A scratch directory under the system temp dir, removed when dropped.
pub struct Scratch(PathBuf);

impl Scratch {
    pub fn new(tag: &str) -> Scratch {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("darling-tests-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("creating a scratch directory");
        Scratch(dir)
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    /// Writes `text` to `name` inside the directory and returns its path.
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, text).expect("writing a scratch file");
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Every file under `dir` whose name ends in `.{ext}`, as paths relative to `dir`, sorted.
pub fn files_with_extension(dir: &Path, ext: &str) -> Vec<PathBuf> {
    fn walk(root: &Path, dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
        let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("reading a directory entry").path();
            if path.is_dir() {
                walk(root, &path, ext, out);
            } else if path.extension().and_then(|e| e.to_str()) == Some(ext) {
                out.push(path.strip_prefix(root).expect("under the root").to_path_buf());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, ext, &mut out);
    out.sort();
    out
}
