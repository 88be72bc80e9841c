//! The generated C compiles clean: `rpc.c` under `-Wall -Wextra -Werror` for `-m64` and `-m32`
//! given the test hooks header, the public header from C++ too (darlingserver's own language), and
//! a missing hook is reported by name.

use std::process::Command;

use darling_tests::workspace_root;

use super::support::{cc, m32_available, run, scratch};

#[test]
fn rpc_c_compiles_without_warnings() {
    let root = workspace_root();
    let dir = scratch("compile");
    let mut modes = vec!["64"];
    if m32_available(&dir) {
        modes.push("32");
    }
    for mode in modes {
        let mut cmd = cc(mode);
        cmd.arg("-include")
            .arg(root.join("tests/c/rpc/test_hooks.h"))
            .arg("-c")
            .arg(root.join("runtime/generated/src/rpc/rpc.c"))
            .arg("-o")
            .arg(dir.join(format!("rpc{mode}.o")));
        run(cmd, &format!("cc -m{mode} -Wall -Wextra -Werror rpc.c"));
        eprintln!("rpc.c compiles with -m{mode} -Wall -Wextra -Werror");
    }
}

#[test]
fn header_compiles_as_cxx() {
    if Command::new("c++").arg("--version").output().is_err() {
        eprintln!("skipping: no C++ compiler (`c++`)");
        return;
    }
    let root = workspace_root();
    let dir = scratch("cxx");
    let src = dir.join("use.cc");
    std::fs::write(&src, "#include <darlingserver/rpc.h>\n#include <darlingserver/rpc-supplement.h>\nint main() { return dserver_callnum_to_string(dserver_callnum_checkin) ? 0 : 1; }\n")
        .expect("writing");
    let mut cmd = Command::new("c++");
    cmd.args(["-std=c++17", "-Wall", "-Wextra", "-Werror", "-fsyntax-only", "-I"])
        .arg(root.join("runtime/generated/include"))
        .arg("-I")
        .arg(root.join("defs/include"))
        .arg(&src);
    run(cmd, "c++ -Wall -Wextra -Werror with rpc.h");
}

#[test]
fn missing_hooks_are_named() {
    let root = workspace_root();
    let dir = scratch("nohooks");
    let mut cmd = cc("64");
    cmd.arg("-c").arg(root.join("runtime/generated/src/rpc/rpc.c")).arg("-o").arg(dir.join("x.o"));
    let out = cmd.output().expect("running cc");
    assert!(!out.status.success(), "rpc.c compiled without any hooks");
    let stderr = String::from_utf8_lossy(&out.stderr);
    for hook in
        ["dserver_rpc_hooks_msghdr_t", "DSERVER_RPC_HOOKS_SCM_RIGHTS", "dserver_rpc_hooks_atomic_save_t"]
    {
        assert!(
            stderr.contains(&format!("the RPC hooks must define {hook}")),
            "no error names the missing `{hook}`:\n{stderr}"
        );
    }
}

/// The errno names the generated C prints (darling-errno's Linux table, which `rpc.c` holds too) are
/// the ones Linux, through nix, gives those numbers.
#[test]
fn errno_names_in_rpc_c_match_linux() {
    let rpc_c = std::fs::read_to_string(workspace_root().join("runtime/generated/src/rpc/rpc.c"))
        .expect("reading runtime/generated/src/rpc/rpc.c");
    for (number, name) in darling_core::errno::LINUX {
        let linux = format!("{:?}", nix::errno::Errno::from_raw(*number));
        assert_eq!(linux, *name, "errno {number}");
        assert_eq!(darling_core::rpc::errno_name(*number), *name, "errno {number}");
        assert!(rpc_c.contains(&format!("[{number}] = \"{name}\",")), "rpc.c does not name errno {number}");
    }
}
