//! The ABI test: the generated `darlingserver/rpc.h`, compiled by `cc` for `-m64` and `-m32`,
//! against `../shared/oracle/darlingserver-rpc-abi.json` (what Darling's generator produces), and
//! rpc-gen's layout engine and the Rust `#[repr(C)]` structs against the C compiler.

use std::collections::BTreeMap;
use std::fmt::Write;

use codegen::layout::Target;
use darling_core::rpc::wire;
use serde_json::Value;

use super::support::{cc, m32_available, model, run, scratch};

/// What the C compiler says: `name -> value` for sizes, offsets and constants.
type Facts = BTreeMap<String, u64>;

/// A C program printing every fact the oracle records, one `key value` line each.
fn probe_program(model: &rpc_gen::Interface) -> String {
    let mut c = String::from(
        "#include <stdio.h>\n#include <stddef.h>\n#include <darlingserver/rpc.h>\n\n#define P(k, v) printf(\"%s %llu\\n\", k, (unsigned long long)(v))\n\nint main(void) {\n",
    );
    for k in [
        "DSERVER_RPC_CALL_MAX_FD_COUNT",
        "DSERVER_RPC_REPLY_MAX_FD_COUNT",
        "DSERVER_CALL_UNMANAGED_FLAG",
        "dserver_callnum_s2c",
        "dserver_callnum_push_reply",
        "DSERVER_RPC_CALL_MAX_LENGTH",
        "DSERVER_RPC_REPLY_MAX_LENGTH",
    ] {
        let _ = writeln!(c, "\tP(\"{k}\", {k});");
    }
    for t in [
        "dserver_callnum_t",
        "dserver_rpc_callhdr_t",
        "dserver_rpc_replyhdr_t",
        "dserver_rpc_call_push_reply_t",
        "dserver_debug_process_t",
        "dserver_debug_port_t",
        "dserver_debug_message_t",
    ] {
        let _ = writeln!(c, "\tP(\"sizeof_{t}\", sizeof({t}));");
    }
    for (k, t, f) in [
        ("offsetof_callhdr_pid", "dserver_rpc_callhdr_t", "pid"),
        ("offsetof_callhdr_tid", "dserver_rpc_callhdr_t", "tid"),
        ("offsetof_callhdr_architecture", "dserver_rpc_callhdr_t", "architecture"),
        ("offsetof_replyhdr_code", "dserver_rpc_replyhdr_t", "code"),
        ("offsetof_push_reply_reply", "dserver_rpc_call_push_reply_t", "reply"),
        ("offsetof_push_reply_reply_size", "dserver_rpc_call_push_reply_t", "reply_size"),
    ] {
        let _ = writeln!(c, "\tP(\"{k}\", offsetof({t}, {f}));");
    }
    for r in &model.records {
        for f in &r.fields {
            let t = r.c_type();
            let _ = writeln!(c, "\tP(\"{t}.{0}\", offsetof({t}, {0}));", f.names.c);
        }
    }
    for call in &model.calls {
        let n = &call.names.c;
        let _ = writeln!(c, "\tP(\"{n}.callnum\", dserver_callnum_{n});");
        let _ = writeln!(c, "\tP(\"{n}.sizeof_call\", sizeof(dserver_rpc_call_{n}_t));");
        let _ = writeln!(c, "\tP(\"{n}.sizeof_reply\", sizeof(dserver_rpc_reply_{n}_t));");
        for (kind, params) in [("call", &call.params), ("reply", &call.returns)] {
            for p in params.iter() {
                let f = &p.names.c;
                let t = format!("dserver_rpc_{kind}_{n}_t");
                let _ = writeln!(c, "\tP(\"{n}.{kind}.{f}.offset\", offsetof({t}, body.{f}));");
                let _ = writeln!(c, "\tP(\"{n}.{kind}.{f}.size\", sizeof((({t}*)0)->body.{f}));");
            }
        }
    }
    c.push_str("\treturn 0;\n}\n");
    c
}

fn compiler_facts(mode: &str, program: &str, dir: &std::path::Path) -> Facts {
    let src = dir.join("probe_abi.c");
    std::fs::write(&src, program).expect("writing the probe");
    let exe = dir.join(format!("probe_abi{mode}"));
    let mut cmd = cc(mode);
    cmd.arg(&src).arg("-o").arg(&exe);
    run(cmd, &format!("compiling the ABI probe with -m{mode}"));
    let out = run(std::process::Command::new(&exe), "running the ABI probe");
    out.lines()
        .filter_map(|l| l.split_once(' '))
        .filter_map(|(k, v)| v.parse().ok().map(|v| (k.to_string(), v)))
        .collect()
}

fn get(facts: &Facts, key: &str) -> u64 {
    *facts.get(key).unwrap_or_else(|| panic!("the C probe printed no `{key}`"))
}

/// Compares every call of one mode with the oracle; returns the differences.
fn compare_with_oracle(
    mode: &str,
    facts: &Facts,
    oracle: &Value,
    model: &rpc_gen::Interface,
) -> (usize, Vec<String>) {
    let mut differ = Vec::new();
    let section = &oracle[format!("m{mode}")];
    let calls = section["calls"].as_object().expect("oracle calls");
    let mut compared = 0;
    for (name, expected) in calls {
        compared += 1;
        let mut diffs = Vec::new();
        if !model.calls.iter().any(|c| c.names.source == *name) {
            differ.push(format!("m{mode} {name}: missing from defs/rpc/darlingserver.rpc"));
            continue;
        }
        for key in ["callnum", "sizeof_call", "sizeof_reply"] {
            let want = expected[key].as_u64().unwrap_or(u64::MAX);
            let got = get(facts, &format!("{name}.{key}"));
            if want != got {
                diffs.push(format!("{key} {got} (oracle {want})"));
            }
        }
        for (kind, list) in [("call", "call_fields"), ("reply", "reply_fields")] {
            let fields = expected[list].as_array().cloned().unwrap_or_default();
            let ours = model
                .calls
                .iter()
                .find(|c| c.names.source == *name)
                .map(|c| if kind == "call" { c.params.len() } else { c.returns.len() })
                .unwrap_or(0);
            if ours != fields.len() {
                diffs.push(format!("{kind} has {ours} fields (oracle {})", fields.len()));
            }
            for field in fields {
                let f = field["name"].as_str().unwrap_or("?");
                for what in ["offset", "size"] {
                    let want = field[what].as_u64().unwrap_or(u64::MAX);
                    match facts.get(&format!("{name}.{kind}.{f}.{what}")) {
                        Some(got) if *got == want => {}
                        Some(got) => diffs.push(format!("{kind}.{f} {what} {got} (oracle {want})")),
                        None => diffs.push(format!("{kind}.{f} missing")),
                    }
                }
            }
        }
        if !diffs.is_empty() {
            differ.push(format!("m{mode} {name}: {}", diffs.join(", ")));
        }
    }
    for (key, want) in section["constants"].as_object().expect("oracle constants") {
        let want = want.as_u64().unwrap_or(u64::MAX);
        let got = get(facts, key);
        if got != want {
            differ.push(format!("m{mode} constant {key}: {got} (oracle {want})"));
        }
    }
    (compared, differ)
}

/// rpc-gen's own layout engine must agree with the C compiler on every struct and field.
fn compare_with_model(mode: &str, facts: &Facts, model: &rpc_gen::Interface) -> Vec<String> {
    let target = if mode == "32" { Target::I386 } else { Target::X86_64 };
    let mut differ = Vec::new();
    for call in &model.calls {
        let n = &call.names.c;
        let check = |differ: &mut Vec<String>, key: String, ours: u64| {
            if facts.get(&key) != Some(&ours) {
                differ.push(format!("m{mode} {key}: layout engine {ours}, cc {:?}", facts.get(&key)));
            }
        };
        check(&mut differ, format!("{n}.sizeof_call"), call.call_layout(target).size);
        check(&mut differ, format!("{n}.sizeof_reply"), call.reply_layout(target).size);
        for (kind, body, base, params) in [
            ("call", call.call_body(target), 16, &call.params),
            ("reply", call.reply_body(target), 8, &call.returns),
        ] {
            for p in params.iter() {
                let f = body.as_ref().and_then(|b| b.field(&p.names.c)).expect("laid-out field");
                check(&mut differ, format!("{n}.{kind}.{}.offset", p.names.c), base + f.offset);
                check(&mut differ, format!("{n}.{kind}.{}.size", p.names.c), f.size);
            }
        }
    }
    for r in &model.records {
        let layout = r.layout(target);
        let key = format!("sizeof_{}", r.c_type());
        if facts.get(&key) != Some(&layout.size) {
            differ.push(format!("m{mode} {key}: layout engine {}, cc {:?}", layout.size, facts.get(&key)));
        }
        for f in &layout.fields {
            let key = format!("{}.{}", r.c_type(), f.name);
            if facts.get(&key) != Some(&f.offset) {
                differ.push(format!("m{mode} {key}: layout engine {}, cc {:?}", f.offset, facts.get(&key)));
            }
        }
    }
    differ
}

/// The Rust `#[repr(C)]` structs, as rustc laid them out on this (64-bit) host, against cc -m64.
fn compare_with_rust(facts: &Facts) -> Vec<String> {
    let mut differ = Vec::new();
    for layout in wire::STRUCT_LAYOUTS {
        let c = layout.c_name;
        if let Some(rest) = c.strip_prefix("dserver_rpc_call_").or(c.strip_prefix("dserver_rpc_reply_")) {
            let kind = if c.starts_with("dserver_rpc_call_") { "call" } else { "reply" };
            let name = rest.trim_end_matches("_t");
            if get(facts, &format!("{name}.sizeof_{kind}")) != layout.size as u64 {
                differ.push(format!("Rust {c}: size {}", layout.size));
            }
            for (field, offset) in layout.fields {
                if get(facts, &format!("{name}.{kind}.{field}.offset")) != *offset as u64 {
                    differ.push(format!("Rust {c}.{field}: offset {offset}"));
                }
            }
        } else {
            if get(facts, &format!("sizeof_{c}")) != layout.size as u64 {
                differ.push(format!("Rust {c}: size {}", layout.size));
            }
            for (field, offset) in layout.fields {
                if get(facts, &format!("{c}.{field}")) != *offset as u64 {
                    differ.push(format!("Rust {c}.{field}: offset {offset}"));
                }
            }
        }
    }
    let constants = [
        ("DSERVER_RPC_CALL_MAX_LENGTH", wire::CALL_MAX_LENGTH as u64),
        ("DSERVER_RPC_REPLY_MAX_LENGTH", wire::REPLY_MAX_LENGTH as u64),
        ("DSERVER_RPC_CALL_MAX_FD_COUNT", wire::CALL_MAX_FD_COUNT as u64),
        ("DSERVER_RPC_REPLY_MAX_FD_COUNT", wire::REPLY_MAX_FD_COUNT as u64),
        ("dserver_callnum_s2c", u64::from(wire::callnum::S2C)),
        ("dserver_callnum_push_reply", u64::from(wire::callnum::PUSH_REPLY)),
    ];
    for (k, v) in constants {
        if get(facts, k) != v {
            differ.push(format!("Rust constant {k}: {v}"));
        }
    }
    for info in &wire::CALLS {
        if get(facts, &format!("{}.callnum", info.name)) != u64::from(info.number) {
            differ.push(format!("Rust call number of {}: {:#x}", info.name, info.number));
        }
    }
    differ
}

#[test]
fn generated_header_matches_darling_abi() {
    let Some(shared) = darling_tests::shared_dir() else {
        eprintln!("skipping: ../shared is not beside the workspace");
        return;
    };
    let oracle: Value = serde_json::from_str(
        &std::fs::read_to_string(shared.join("oracle/darlingserver-rpc-abi.json"))
            .expect("reading the oracle"),
    )
    .expect("parsing the oracle");
    let model = model();
    let program = probe_program(&model);
    let dir = scratch("abi");
    let mut modes = vec!["64"];
    if m32_available(&dir) {
        modes.push("32");
    }
    let mut problems = Vec::new();
    for mode in modes {
        let facts = compiler_facts(mode, &program, &dir);
        let (compared, differ) = compare_with_oracle(mode, &facts, &oracle, &model);
        let calls_differ = differ.iter().filter(|d| !d.contains(" constant ")).count();
        println!("m{mode}: {compared} calls compared, {calls_differ} differ");
        assert_eq!(compared, model.calls.len(), "the oracle and the .rpc file list different calls");
        problems.extend(differ);
        problems.extend(compare_with_model(mode, &facts, &model));
        if mode == "64" && cfg!(target_pointer_width = "64") {
            problems.extend(compare_with_rust(&facts));
        }
    }
    assert!(problems.is_empty(), "ABI differences:\n  {}", problems.join("\n  "));
}
