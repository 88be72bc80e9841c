//! A round trip in C: the user stubs and server stubs generated from `tests/data/ok/roundtrip.defs`
//! are linked with `tests/data/roundtrip/roundtrip_main.c`, whose test transport replaces `mach_msg`
//! and hands each request to the generated demux in the same process. Routines with inline data, out
//! arrays, strings and ports go there and back through MIG's checks, for x86_64 and (with
//! gcc-multilib) i386, built by `cc` and by `clang` when it is installed.

mod support;

use std::process::Command;

use codegen::Target;
use support::c_harness::{Compiler, Scratch, compilers_for, flags, run, write_outputs};

fn round_trip(target: Target) {
    for compiler in compilers_for(target) {
        round_trip_with(compiler, target);
    }
}

fn round_trip_with(compiler: Compiler, target: Target) {
    let root = support::workspace_root();
    let mut options = support::fixture_options(&root.join("tests/data/ok/roundtrip.defs"));
    options.target = target;
    let output = migc::compile(&options).unwrap_or_else(|e| panic!("{}", e.render()));
    let scratch = Scratch::new("roundtrip");
    let [_, user, _, server] = write_outputs(&output, &scratch.0);
    let (_, include) = support::mach_min();
    let exe = scratch.0.join("roundtrip");
    let mut args: Vec<String> = flags(target).iter().map(|s| s.to_string()).collect();
    for dir in [&scratch.0, &include] {
        args.push(format!("-I{}", dir.display()));
    }
    args.push(user.display().to_string());
    args.push(server.display().to_string());
    args.push(root.join("tests/data/roundtrip/roundtrip_main.c").display().to_string());
    args.push("-o".into());
    args.push(exe.display().to_string());
    if let Err(e) = run(compiler, &args, &scratch.0) {
        panic!("{e}");
    }
    let run = Command::new(&exe).output().unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    println!("{compiler} {target}: {}", stdout.trim());
    assert!(run.status.success(), "{stdout}{}", String::from_utf8_lossy(&run.stderr));
    assert!(stdout.contains(", 0 failed"), "{stdout}");
}

#[test]
fn round_trip_x86_64() {
    round_trip(Target::X86_64);
}

#[test]
fn round_trip_i386() {
    // Linking 32-bit code needs 32-bit libc (gcc-multilib); the probe only compiles, so check linking too.
    round_trip(Target::I386);
}
