//! Helpers shared by the RPC integration tests: the model, the C compiler, scratch directories.

use std::path::{Path, PathBuf};
use std::process::Command;

use darling_tests::workspace_root;

/// The model of `defs/rpc/darlingserver.rpc`.
pub fn model() -> rpc_gen::Interface {
    let path = workspace_root().join("defs/rpc/darlingserver.rpc");
    let text = std::fs::read_to_string(&path).expect("reading defs/rpc/darlingserver.rpc");
    match rpc_gen::load(&rpc_gen::Options::new("defs/rpc/darlingserver.rpc", text)) {
        Ok((model, _, _)) => model,
        Err(failure) => panic!("{failure}"),
    }
}

/// A fresh scratch directory under the target directory.
pub fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("rpc-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("creating a scratch directory");
    dir
}

/// Whether `cc -m32` can build and run a program here (gcc-multilib); prints why not.
pub fn m32_available(dir: &Path) -> bool {
    let src = dir.join("probe.c");
    std::fs::write(&src, "int main(void) { return 0; }\n").expect("writing probe");
    let exe = dir.join("probe32");
    let ok = Command::new("cc").arg("-m32").arg(&src).arg("-o").arg(&exe).status().is_ok_and(|s| s.success())
        && Command::new(&exe).status().is_ok_and(|s| s.success());
    if !ok {
        eprintln!("skipping -m32: `cc -m32` cannot build and run a program here (install gcc-multilib)");
    }
    ok
}

/// `cc` with the include paths of the generated and hand-written headers.
pub fn cc(mode: &str) -> Command {
    let root = workspace_root();
    let mut cmd = Command::new("cc");
    cmd.arg(format!("-m{mode}"))
        .arg("-std=gnu11")
        .arg("-Wall")
        .arg("-Wextra")
        .arg("-Werror")
        .arg("-I")
        .arg(root.join("runtime/generated/include"))
        .arg("-I")
        .arg(root.join("defs/include"));
    cmd
}

/// Runs a command, panicking with its output when it fails; returns its stdout.
pub fn run(mut cmd: Command, what: &str) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: could not run {cmd:?}: {e}"));
    if !out.status.success() {
        panic!(
            "{what} failed ({}):\n{}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    String::from_utf8_lossy(&out.stdout).into_owned()
}
