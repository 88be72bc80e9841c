//! Builds the C the integration tests link: the generated RPC client wrappers (`rpc.c`) with the
//! test hooks of `c/rpc/test_hooks.h`, warnings as errors, exactly as a shim would compile them.

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(|p| p.to_path_buf())
        .unwrap_or_default();
    let rpc_c = root.join("runtime/generated/src/rpc/rpc.c");
    for path in [&rpc_c, &root.join("tests/c/rpc/test_hooks.h"), &root.join("tests/c/rpc/test_client.c")] {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    println!("cargo:rerun-if-changed={}", root.join("runtime/generated/include").display());
    println!("cargo:rerun-if-changed={}", root.join("defs/include").display());
    cc::Build::new()
        .file(root.join("tests/c/rpc/test_client.c"))
        .include(root.join("runtime/generated/include"))
        .include(root.join("defs/include"))
        .include(root.join("tests/c/rpc"))
        .include(root.join("runtime/generated/src/rpc"))
        .flag("-std=gnu11")
        .flag("-Wall")
        .flag("-Wextra")
        .warnings_into_errors(true)
        .compile("darling_rpc_test_client");
}
