//! Builds the C the integration tests link: the generated RPC client wrappers (darlingserver's
//! `rpc.c`, and the loopback test interface's) with the test hooks of `c/rpc/`, warnings as errors,
//! as a shim compiles them.

use std::path::{Path, PathBuf};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default();
    for dir in ["runtime/generated", "defs/include", "tests/c/rpc", "tests/generated/rpc_loopback"] {
        println!("cargo:rerun-if-changed={}", root.join(dir).display());
    }
    let build = |includes: &[PathBuf]| {
        let mut b = cc::Build::new();
        for dir in includes {
            b.include(dir);
        }
        b.include(root.join("defs/include"))
            .include(root.join("tests/c/rpc"))
            .flag("-std=gnu11")
            .flag("-Wall")
            .flag("-Wextra")
            .warnings_into_errors(true);
        b
    };
    let darlingserver = [root.join("runtime/generated/include"), root.join("runtime/generated/src/rpc")];
    build(&darlingserver)
        .file(root.join("tests/c/rpc/test_hooks.c"))
        .file(root.join("tests/c/rpc/test_client.c"))
        .compile("darling_rpc_test_client");
    let loopback =
        [root.join("tests/generated/rpc_loopback/include"), root.join("tests/generated/rpc_loopback")];
    build(&loopback).file(root.join("tests/c/rpc/loopback_client.c")).compile("darling_rpc_loopback_client");
}
