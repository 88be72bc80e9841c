//! The `migc` binary as a build runs it: mig's flags, default file names, `/dev/null` suppression,
//! `-MD`, `--list`, `--layout-json` (over the whole corpus, compared with Apple's numbers), errors.

mod support;

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;
use support::c_harness::Scratch;

fn migc(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_migc")).args(args).current_dir(dir).output().unwrap()
}

fn fixture(name: &str) -> String {
    support::workspace_root().join("tests/data/ok").join(name).display().to_string()
}

fn types_dir() -> String {
    format!("-I{}", support::mach_min().0.display())
}

#[test]
fn default_names_and_dev_null() {
    let scratch = Scratch::new("cli-names");
    let out = migc(&scratch.0, &[&types_dir(), &fixture("simple.defs")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for name in ["simpleUser.c", "simple.h", "simpleServer.c"] {
        assert!(scratch.0.join(name).is_file(), "{name} missing");
    }
    // mig writes no server header unless asked.
    assert!(!scratch.0.join("simpleServer.h").exists());

    let scratch = Scratch::new("cli-devnull");
    let out = migc(
        &scratch.0,
        &[
            "-user",
            "/dev/null",
            "-header",
            "inc/s.h",
            "-server",
            "srv.c",
            "-sheader",
            "srv.h",
            &types_dir(),
            &fixture("simple.defs"),
        ],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!scratch.0.join("simpleUser.c").exists());
    assert!(scratch.0.join("inc/s.h").is_file());
    assert!(scratch.0.join("srv.c").is_file());
    assert!(scratch.0.join("srv.h").is_file());

    let scratch = Scratch::new("cli-extra");
    let out = migc(
        &scratch.0,
        &["-iheader", "i.h", "-dheader", "d.h", "-i", "one_", &types_dir(), &fixture("simple.defs")],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let defines = std::fs::read_to_string(scratch.0.join("d.h")).unwrap();
    assert!(defines.contains("#define\tMACH_ID_SIMPLE_ADD\t\t1000\t/* simple_add() */"), "{defines}");
    assert!(defines.contains("#define\tMACH_ID_SIMPLE_ADD_REPLY\t\t1100\t/* simple_add() */"), "{defines}");
    let internal = std::fs::read_to_string(scratch.0.join("i.h")).unwrap();
    assert!(internal.contains("#define simple_wide simple_wide_external"), "{internal}");
    for name in ["one_simple_add.c", "one_simple_wide.c"] {
        assert!(scratch.0.join(name).is_file(), "{name} missing");
    }
}

#[test]
fn dependency_file_and_listing() {
    let scratch = Scratch::new("cli-md");
    let out = migc(
        &scratch.0,
        &[
            "-MD",
            "-arch",
            "i386",
            "-target",
            "i386-apple-macos",
            &types_dir(),
            "-q",
            "-v",
            &fixture("skip.defs"),
        ],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let deps = std::fs::read_to_string(scratch.0.join("skip.d")).unwrap();
    assert!(deps.starts_with("skippingUser.c skipping.h skippingServer.c:"), "{deps}");
    assert!(deps.contains("test_types.defs"), "{deps}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("wrote skippingUser.c"), "{stdout}");

    let out = migc(&scratch.0, &["--list", &types_dir(), &fixture("skip.defs")]);
    let listing = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        listing,
        "skipping\t1200\troutine\tskipping_first\t0\t1200\t1300\n\
         skipping\t1200\tskip\t(skip)\t1\t1201\t-\n\
         skipping\t1200\tskip\t(skip)\t2\t1202\t-\n\
         skipping\t1200\troutine\tskipping_fourth\t3\t1203\t1303\n"
    );
}

#[test]
fn errors_are_located_and_fail() {
    let scratch = Scratch::new("cli-err");
    let bad = support::workspace_root().join("tests/data/err/unknown_type.defs");
    let out = migc(&scratch.0, &[&types_dir(), &bad.display().to_string()]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error: unknown type `mach_port_nme_t`"), "{stderr}");
    assert!(stderr.contains("unknown_type.defs:7:13"), "{stderr}");
    for args in [&["-arch", "ppc", "x.defs"][..], &["-frobnicate", "x.defs"][..], &[][..]] {
        let out = migc(&scratch.0, args);
        assert!(!out.status.success(), "{args:?} succeeded");
        assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: "), "{args:?}");
    }
    let out = migc(&scratch.0, &["-version"]);
    assert!(out.status.success() && String::from_utf8_lossy(&out.stdout).starts_with("migc "));
}

#[test]
fn layout_json_over_the_corpus_matches_apple() {
    let Some(shared) = support::shared_dir() else { return };
    let xnu = shared.join("corpus/xnu");
    let oracle: Value =
        serde_json::from_str(&std::fs::read_to_string(shared.join("oracle/mig-layouts.json")).unwrap())
            .unwrap();
    let headers = support::mach_headers();
    let scratch = Scratch::new("cli-json");
    let mut args = vec![
        "-arch".to_string(),
        "x86_64".to_string(),
        format!("-I{}", xnu.join("osfmk").display()),
        format!("-I{}", headers.path().display()),
        "--layout-json".to_string(),
        "layouts.json".to_string(),
    ];
    let subsystems = oracle["subsystems"].as_array().unwrap();
    for s in subsystems {
        args.push(xnu.join(s["file"].as_str().unwrap()).display().to_string());
    }
    let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = migc(&scratch.0, &arg_refs);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let ours: Value =
        serde_json::from_str(&std::fs::read_to_string(scratch.0.join("layouts.json")).unwrap()).unwrap();
    let ours = ours["subsystems"].as_array().unwrap();
    assert_eq!(ours.len(), subsystems.len());
    let mut compared = 0;
    let mut differ = 0;
    for (theirs, mine) in subsystems.iter().zip(ours) {
        assert_eq!(theirs["subsystem"], mine["subsystem"]);
        let (t_routines, m_routines) =
            (theirs["routines"].as_array().unwrap(), mine["routines"].as_array().unwrap());
        assert_eq!(m_routines.len(), t_routines.len(), "routines of {}", theirs["subsystem"]);
        for (t, m) in t_routines.iter().zip(m_routines) {
            compared += 1;
            let keys = ["number", "name", "kind", "msgh_id", "reply_msgh_id", "request_size", "reply_size"];
            if keys.iter().any(|k| t.get(*k).unwrap_or(&Value::Null) != m.get(*k).unwrap_or(&Value::Null)) {
                differ += 1;
                eprintln!("differs: {t} / {m}");
            }
        }
    }
    println!("--layout-json: compared {compared} routines with Apple's mig, {differ} differ");
    // The oracle lists 652 routines; all of them are compared.
    assert_eq!(compared, 652);
    assert_eq!(differ, 0);
}
