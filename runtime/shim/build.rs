//! Builds the C half of the shim: the printf hook, and the generated RPC wrappers
//! (`runtime/generated/src/rpc/rpc.c`, compiled with the shim's hooks header forced in) when rpc-gen has
//! generated them. Also makes the cdylib export the C wrappers: rustc's version script exports only
//! Rust symbols, so a second script adds `dserver_rpc_*`.

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let root =
        manifest.parent().and_then(|p| p.parent()).expect("runtime/shim sits two levels down").to_path_buf();
    let generated = root.join("runtime/generated");
    let rpc_c = generated.join("src/rpc/rpc.c");
    let hooks_h = manifest.join("c/hooks.h");
    println!("cargo:rerun-if-changed=c");
    println!("cargo:rerun-if-changed={}", rpc_c.display());
    println!("cargo:rerun-if-changed={}", generated.join("include").display());
    println!("cargo::rustc-check-cfg=cfg(darling_rpc)");

    let mut build = cc::Build::new();
    build.file(manifest.join("c/hooks.c")).warnings(true).extra_warnings(true).warnings_into_errors(true);
    if rpc_c.exists() {
        build
            .file(&rpc_c)
            .include(generated.join("include"))
            .include(root.join("defs/include"))
            .include(manifest.join("c"))
            .flag("-include")
            .flag(hooks_h.to_str().expect("utf-8 path"));
        println!("cargo:rustc-cfg=darling_rpc");
    } else {
        println!(
            "cargo:warning=runtime/generated/src/rpc/rpc.c is missing: the shim is built without RPC wrappers"
        );
    }
    // Whole-archive, so wrappers nothing in Rust calls still make it into the library.
    build.cargo_metadata(false).compile("darling_shim_c");
    println!("cargo:rustc-link-search=native={}", std::env::var("OUT_DIR").expect("set by cargo"));
    println!("cargo:rustc-link-lib=static:+whole-archive=darling_shim_c");
    println!("cargo:rustc-cdylib-link-arg=-Wl,--version-script={}", manifest.join("c/exports.map").display());
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libsystem_kernel.so");
}
