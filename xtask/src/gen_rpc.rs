//! The rpc-gen generator for `cargo xtask gen`: `defs/rpc/darlingserver.rpc` into the C header
//! and source the prefix and the shim use, and the Rust modules `darling-core` compiles.

use anyhow::Context;
use codegen::Generated;

/// The definitions.
pub const INPUT: &str = "defs/rpc/darlingserver.rpc";
/// The public header, installed into the prefix's `usr/include`.
pub const HEADER: &str = "runtime/generated/include/darlingserver/rpc.h";
/// The client wrappers, compiled into the shim.
pub const SOURCE_DIR: &str = "runtime/generated/src/rpc";
/// The generated Rust modules of `darling-core`.
pub const RUST_DIR: &str = "runtime/core/src/rpc/generated";

/// The loopback tests' own interface, and where its outputs go (`include/`, `rpc.c`, Rust modules).
pub const TEST_INPUT: &str = "tests/data/rpc/loopback.rpc";
/// The loopback interface's generated files.
pub const TEST_DIR: &str = "tests/generated/rpc_loopback";

/// Adds every rpc-gen output to `generated`.
pub fn run(generated: &mut Generated) -> anyhow::Result<()> {
    darlingserver(generated)?;
    loopback(generated)
}

fn compile(generated: &Generated, input: &str) -> anyhow::Result<rpc_gen::Output> {
    let path = generated.root().join(input);
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let options = rpc_gen::Options::new(input, text).with_c_include("<darlingserver/rpc.h>");
    let output = rpc_gen::compile(&options).map_err(|failure| anyhow::anyhow!("\n{failure}"))?;
    if !output.warnings.is_empty() {
        eprint!("{}", output.warnings);
    }
    Ok(output)
}

fn loopback(generated: &mut Generated) -> anyhow::Result<()> {
    let output = compile(generated, TEST_INPUT)?;
    generated.own_dir(TEST_DIR, "c,h,rs");
    generated.file(format!("{TEST_DIR}/include/darlingserver/rpc.h"), &output.c_header)?;
    for (_, name, text) in output.files().into_iter().skip(1) {
        generated.file(format!("{TEST_DIR}/{name}"), text)?;
    }
    Ok(())
}

fn darlingserver(generated: &mut Generated) -> anyhow::Result<()> {
    let output = compile(generated, INPUT)?;
    generated.own_dir("runtime/generated/include/darlingserver", "h");
    generated.own_dir(SOURCE_DIR, "c,h");
    generated.own_dir(RUST_DIR, "rs");
    generated.file(HEADER, &output.c_header)?;
    generated.file(format!("{SOURCE_DIR}/rpc.c"), &output.c_source)?;
    for (_, name, text) in output.files().into_iter().skip(2) {
        generated.file(format!("{RUST_DIR}/{name}"), text)?;
    }
    Ok(())
}
