//! The runtime part of `cargo xtask build-prefix`: builds the server, the `darling` tool and the shim,
//! and installs them as `usr/libexec/darlingserver`, `bin/darling`, `usr/lib/libsystem_kernel.so` and
//! `usr/lib/libsystem_kernel.a`.
//!
//! Cargo builds them (as a subprocess: these are binaries, not generators) with the dev profile unless
//! `--release`, so right after `cargo test` the build is a no-op.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

/// What was installed, relative to the prefix, for the summary line.
pub fn install(root: &Path, prefix: &Path, release: bool) -> anyhow::Result<Vec<PathBuf>> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.current_dir(root).args(["build", "-p", "darlingserver", "-p", "darling-shim"]);
    if release {
        command.arg("--release");
    }
    let status = command.status().context("running cargo build for the runtime")?;
    if !status.success() {
        bail!("cargo build -p darlingserver -p darling-shim failed ({status})");
    }
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"));
    let built = target.join(if release { "release" } else { "debug" });
    let items = [
        ("darlingserver", "usr/libexec/darlingserver"),
        ("darling", "bin/darling"),
        ("libsystem_kernel.so", "usr/lib/libsystem_kernel.so"),
        ("libsystem_kernel.a", "usr/lib/libsystem_kernel.a"),
    ];
    let mut installed = Vec::new();
    for (from, to) in items {
        let source = built.join(from);
        let dest = prefix.join(to);
        fs::create_dir_all(dest.parent().expect("has a parent"))?;
        // Replace rather than overwrite: a running server keeps its old binary, and a client that has
        // the old library mapped keeps working.
        let staging = dest.with_extension("new");
        fs::copy(&source, &staging)
            .with_context(|| format!("copying {} to {}", source.display(), staging.display()))?;
        fs::rename(&staging, &dest).with_context(|| format!("installing {}", dest.display()))?;
        installed.push(PathBuf::from(to));
    }
    Ok(installed)
}
