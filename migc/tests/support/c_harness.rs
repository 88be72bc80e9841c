//! The C harness: compiles what migc generates for a `.defs` file with `-Wall -Wextra -Werror` against
//! a set of include directories, with every C compiler available (`cc`, and `clang` when installed),
//! and confirms with `_Static_assert`s that `sizeof` of every `__Request__`/`__Reply__` typedef equals
//! migc's model, for x86_64 (native) or i386 (`-m32`).
//!
//! It works on any `.defs` and include directories, so the same machinery checks the test fixtures
//! (against the test-only headers in `tests/data/mach-min`) and `defs/mach` (against `defs/include`).
#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::Target;
use migc::{Options, Output};

/// A scratch directory removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    /// A fresh directory under the system temp dir.
    pub fn new(tag: &str) -> Scratch {
        static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("migc-c-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A C compiler the tests compile generated code with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compiler {
    /// The system's `cc` (gcc here), always required.
    Cc,
    /// `clang`, when installed: it warns where gcc does not (`-Wunused-function` on static inline
    /// functions of the main file, for one).
    Clang,
}

impl Compiler {
    /// The command that runs it.
    pub fn command(self) -> &'static str {
        match self {
            Compiler::Cc => "cc",
            Compiler::Clang => "clang",
        }
    }
}

impl std::fmt::Display for Compiler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.command())
    }
}

/// Whether `clang` runs; prints why its checks are skipped when it does not.
pub fn clang_installed() -> bool {
    let ok = Command::new("clang").arg("--version").output().is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("skipping clang checks: `clang` is not installed (.ci/run installs it with apt-get)");
    }
    ok
}

/// Every C compiler available: `cc`, and `clang` when it is installed (else the reason is printed).
pub fn compilers() -> Vec<Compiler> {
    let mut out = vec![Compiler::Cc];
    if clang_installed() {
        out.push(Compiler::Clang);
    }
    out
}

/// Whether `compiler` can build for the target (`-m32` needs gcc-multilib's 32-bit headers, for clang
/// too); prints why not when it cannot.
pub fn supports(compiler: Compiler, target: Target) -> bool {
    let scratch = Scratch::new("probe");
    let src = scratch.0.join("probe.c");
    std::fs::write(&src, "#include <stdint.h>\nint probe(void) { return (int)sizeof(uint64_t); }\n").unwrap();
    let mut cmd = Command::new(compiler.command());
    cmd.args(flags(target)).arg("-c").arg(&src).arg("-o").arg(scratch.0.join("probe.o"));
    let ok = cmd.output().map(|o| o.status.success()).unwrap_or(false);
    if !ok {
        eprintln!(
            "skipping {compiler} {target} C checks: `{compiler} {}` cannot compile (install gcc-multilib for i386)",
            flags(target).join(" ")
        );
    }
    ok
}

/// Whether `cc` can build for the target; prints why not when it cannot.
pub fn cc_supports(target: Target) -> bool {
    supports(Compiler::Cc, target)
}

/// The compilers available for `target` (see [`compilers`] and [`supports`]).
pub fn compilers_for(target: Target) -> Vec<Compiler> {
    compilers().into_iter().filter(|&c| supports(c, target)).collect()
}

/// The compiler flags for a target (the same for `cc` and `clang`).
pub fn flags(target: Target) -> Vec<&'static str> {
    let mut f = vec!["-std=gnu11", "-Wall", "-Wextra", "-Werror"];
    if target == Target::I386 {
        f.push("-m32");
    }
    f
}

/// Runs `compiler` with `args`; `Err` carries the compiler's output.
pub fn run(compiler: Compiler, args: &[String], cwd: &Path) -> Result<(), String> {
    let output = Command::new(compiler.command())
        .args(args)
        .current_dir(cwd)
        .output()
        .map_err(|e| format!("cannot run {compiler}: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{compiler} {} failed:\n{}{}",
            args.join(" "),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// Runs `cc` with `args`; `Err` carries the compiler's output.
pub fn run_cc(args: &[String], cwd: &Path) -> Result<(), String> {
    run(Compiler::Cc, args, cwd)
}

/// The generated files of `output`, written into `dir` under mig's default names.
pub fn write_outputs(output: &Output, dir: &Path) -> [PathBuf; 4] {
    let name = &output.module.subsystem.name;
    let files = [
        (dir.join(format!("{name}.h")), &output.header),
        (dir.join(format!("{name}User.c")), &output.user),
        (dir.join(format!("{name}Server.h")), &output.server_header),
        (dir.join(format!("{name}Server.c")), &output.server),
    ];
    for (path, text) in &files {
        std::fs::write(path, text).unwrap();
    }
    files.map(|(p, _)| p)
}

/// `_Static_assert`s that every typedef has the size the model computed.
pub fn size_asserts(output: &Output, header: &str) -> String {
    let mut c = format!("#include \"{header}\"\n\n");
    for r in output.module.real_routines() {
        let _ = writeln!(
            c,
            "_Static_assert(sizeof(__Request__{0}_t) == {1}, \"sizeof(__Request__{0}_t) is not {1}\");",
            r.name, r.request.size
        );
        if let Some(reply) = &r.reply {
            let _ = writeln!(
                c,
                "_Static_assert(sizeof(__Reply__{0}_t) == {1}, \"sizeof(__Reply__{0}_t) is not {1}\");",
                r.name, reply.size
            );
        }
    }
    c
}

/// Compiles `defs` for `target` (with `options` as the base), compiles the four outputs and the size
/// assertions with `compiler`, and returns the number of typedef sizes checked.
pub fn check_defs(
    compiler: Compiler,
    mut options: Options,
    target: Target,
    c_include: &[PathBuf],
) -> Result<usize, String> {
    options.target = target;
    let output = migc::compile(&options).map_err(|e| e.render())?;
    let scratch = Scratch::new(&output.module.subsystem.name);
    let [_, user, _, server] = write_outputs(&output, &scratch.0);
    // The user and server headers each declare the typedefs; check both (separately, since the two
    // sides' prototypes of one routine differ when the types translate).
    let name = &output.module.subsystem.name;
    let sizes = scratch.0.join("sizes.c");
    std::fs::write(&sizes, size_asserts(&output, &format!("{name}.h"))).unwrap();
    let server_sizes = scratch.0.join("server_sizes.c");
    std::fs::write(&server_sizes, size_asserts(&output, &format!("{name}Server.h"))).unwrap();
    let mut checked = 0;
    for r in output.module.real_routines() {
        checked += 1 + usize::from(r.reply.is_some());
    }
    for source in [&user, &server, &sizes, &server_sizes] {
        let mut args: Vec<String> = flags(target).iter().map(|s| s.to_string()).collect();
        args.push("-I".into());
        args.push(scratch.0.display().to_string());
        for dir in c_include {
            args.push("-I".into());
            args.push(dir.display().to_string());
        }
        args.push("-c".into());
        args.push(source.display().to_string());
        args.push("-o".into());
        args.push(source.with_extension("o").display().to_string());
        run(compiler, &args, &scratch.0)?;
    }
    // KernelUser and KernelServer sources also compile inside a kernel: the same sources again with
    // `__MigKernelSpecificCode` on, where `<kern/ipc_mig.h>` (from `c_include`) declares the kernel's
    // entry points.
    let kernel_sources =
        [(output.module.subsystem.kernel_user, &user), (output.module.subsystem.kernel_server, &server)];
    for (_, source) in kernel_sources.iter().filter(|(kernel, _)| *kernel) {
        let mut args: Vec<String> = flags(target).iter().map(|s| s.to_string()).collect();
        args.extend(KERNEL_DEFINES.iter().map(|s| s.to_string()));
        args.push(format!("-I{}", scratch.0.display()));
        args.extend(c_include.iter().map(|d| format!("-I{}", d.display())));
        args.extend(["-fsyntax-only".to_string(), source.display().to_string()]);
        run(compiler, &args, &scratch.0).map_err(|e| format!("as kernel code: {e}"))?;
    }
    Ok(checked)
}

/// What a kernel build defines for MIG-generated code (Apple's `<mach/mig.h>` under `MACH_KERNEL`).
pub const KERNEL_DEFINES: &[&str] = &["-D__MigKernelSpecificCode=1", "-D_MIG_KERNEL_SPECIFIC_CODE_=1"];
