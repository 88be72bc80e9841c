//! The C harness: compiles what migc generates for a `.defs` file with `cc -Wall -Wextra -Werror`
//! against a set of include directories, and confirms with `_Static_assert`s that `sizeof` of every
//! `__Request__`/`__Reply__` typedef equals migc's model, for x86_64 (native) or i386 (`-m32`).
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

/// Whether `cc` can build for the target (`-m32` needs gcc-multilib); prints why not when it cannot.
pub fn cc_supports(target: Target) -> bool {
    let scratch = Scratch::new("probe");
    let src = scratch.0.join("probe.c");
    std::fs::write(&src, "#include <stdint.h>\nint probe(void) { return (int)sizeof(uint64_t); }\n").unwrap();
    let mut cmd = Command::new("cc");
    cmd.args(flags(target)).arg("-c").arg(&src).arg("-o").arg(scratch.0.join("probe.o"));
    let ok = cmd.output().map(|o| o.status.success()).unwrap_or(false);
    if !ok {
        eprintln!(
            "skipping {target} C checks: `cc {}` cannot compile (install gcc-multilib for i386)",
            flags(target).join(" ")
        );
    }
    ok
}

/// The `cc` flags for a target.
pub fn flags(target: Target) -> Vec<&'static str> {
    let mut f = vec!["-std=gnu11", "-Wall", "-Wextra", "-Werror"];
    if target == Target::I386 {
        f.push("-m32");
    }
    f
}

/// Runs `cc` with `args`; `Err` carries the compiler's output.
pub fn run_cc(args: &[String], cwd: &Path) -> Result<(), String> {
    let output =
        Command::new("cc").args(args).current_dir(cwd).output().map_err(|e| format!("cannot run cc: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "cc {} failed:\n{}{}",
            args.join(" "),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
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
/// assertions with `cc`, and returns the number of typedef sizes checked.
pub fn check_defs(mut options: Options, target: Target, c_include: &[PathBuf]) -> Result<usize, String> {
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
    for source in [user, server, sizes, server_sizes] {
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
        run_cc(&args, &scratch.0)?;
    }
    Ok(checked)
}
