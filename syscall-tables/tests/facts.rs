//! Conformance with the oracle: the models of XNU's `syscalls.master` and of the project's
//! `defs/syscalls/syscalls.master` agree with `syscalls-master-facts.json` entry by entry; the Mach trap
//! and machine-dependent tables agree with `mach-traps.json` and `machdep-calls.json`.

mod common;

use std::collections::BTreeMap;

use codegen::Target;
use serde_json::Value;
use syscall_tables::model::{Branch, Entry, Placeholder, Slot, Table};
use syscall_tables::{TableKind, emit};

/// Every difference between one model entry and its fact, as `field: model vs fact` lines.
fn bsd_differences(entry: &Entry, fact: &Value, compare_source_details: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut check = |field: &str, ours: Value, theirs: &Value| {
        if &ours != theirs {
            out.push(format!("{field}: ours {ours}, facts {theirs}"));
        }
    };
    check("number", entry.number.into(), &fact["number"]);
    check("name", entry.function.clone().into(), &fact["name"]);
    check("return_type", entry.return_type.clone().into(), &fact["return_type"]);
    let args: Vec<Value> = entry
        .args
        .iter()
        .map(|a| serde_json::json!({"type": a.c_type, "name": a.names.source, "sysproto_type": a.sysproto_type}))
        .collect();
    check("args", Value::Array(args), &fact["args"]);
    check("argc", entry.args.len().into(), &fact["argc"]);
    check("audit_event", entry.audit_event.clone().into(), &fact["audit_event"]);
    check("files", entry.files_text.clone().into(), &fact["files"]);
    check("no_syscall_stub", entry.no_syscall_stub.into(), &fact["no_syscall_stub"]);
    check("double_underscore_name", entry.double_underscore.into(), &fact["double_underscore_name"]);
    check("is_nosys", (entry.placeholder == Some(Placeholder::Nosys)).into(), &fact["is_nosys"]);
    check("is_enosys", (entry.placeholder == Some(Placeholder::Enosys)).into(), &fact["is_enosys"]);
    check("condition", entry.condition.clone().into(), &fact["condition"]);
    let branch = entry.branch.map(|b| if b == Branch::If { "if" } else { "else" });
    check("branch", branch.into(), &fact["branch"]);
    check("args_struct", entry.args_struct.as_ref().map(|s| s.name.clone()).into(), &fact["args_struct"]);
    let size = entry.args_struct.as_ref().map(|s| Value::from(s.layout_64.size));
    check(
        "args_struct_size_lp64",
        size.unwrap_or(Value::Null),
        fact.get("args_struct_size_lp64").unwrap_or(&Value::Null),
    );
    check("header_define", entry.header_define.clone().into(), &fact["header_define"]);
    check("munge32", entry.munger32.clone().into(), &fact["munge32"]);
    check("size32", entry.size32.into(), &fact["size32"]);
    check("sy_return_type", entry.return_kind.sy_return_type().into(), &fact["sy_return_type"]);
    if compare_source_details {
        // Only XNU's file has XNU's line numbers and notes; the project words its notes itself.
        check("line", entry.line.into(), &fact["line"]);
        let squeeze = |s: &str| s.split_whitespace().collect::<String>();
        let ours = entry.note.as_deref().map(squeeze);
        let theirs = fact["comment"].as_str().map(squeeze);
        check("comment", ours.into(), &theirs.into());
    }
    out
}

fn compare_bsd(label: &str, table: &Table, facts: &Value, compare_source_details: bool) {
    let entries = facts["entries"].as_array().expect("facts have entries");
    let mut differ = Vec::new();
    for (i, fact) in entries.iter().enumerate() {
        let Some(entry) = table.entries.get(i) else {
            differ.push(format!("entry {i} (line {}): missing from the model", fact["line"]));
            continue;
        };
        let diffs = bsd_differences(entry, fact, compare_source_details);
        if !diffs.is_empty() {
            differ.push(format!("entry {i} (`{}` {}): {}", entry.function, entry.number, diffs.join("; ")));
        }
    }
    if table.entries.len() > entries.len() {
        differ.push(format!("the model has {} entries, the facts {}", table.entries.len(), entries.len()));
    }
    println!("{label}: {} entries compared, {} differ", entries.len(), differ.len());
    assert!(
        differ.is_empty(),
        "{label}:\n{}",
        differ.iter().take(30).cloned().collect::<Vec<_>>().join("\n")
    );
    assert_eq!(
        u64::from(table.slot_count),
        facts["counts"]["SYS_MAXSYSCALL"].as_u64().unwrap(),
        "{label}: SYS_MAXSYSCALL"
    );
}

#[test]
fn both_bsd_masters_match_the_facts() {
    let Some(shared) = common::shared("both_bsd_masters_match_the_facts") else { return };
    let facts = common::json(&shared.join("oracle/syscalls-master-facts.json"));

    let corpus = common::load(
        &shared.join("corpus/xnu/bsd/kern/syscalls.master"),
        "corpus/xnu/bsd/kern/syscalls.master",
        TableKind::Bsd,
    );
    compare_bsd("XNU's syscalls.master", &corpus, &facts, true);
    let includes: Vec<String> = corpus.includes.iter().map(|h| format!("#include {h}")).collect();
    assert_eq!(Value::from(includes), facts["includes"]);

    let defs = common::defs(TableKind::Bsd);
    compare_bsd("defs/syscalls/syscalls.master", &defs, &facts, false);

    // The two masters differ only in their words: the models' C outputs are the same but for the
    // preamble, the notes and the master's includes.
    let counts = &facts["counts"];
    let placeholders = defs.entries.iter().filter(|e| e.placeholder.is_some()).count();
    assert_eq!(placeholders as u64, counts["nosys_or_enosys_entries"].as_u64().unwrap());
    let defines = defs.entries.iter().filter(|e| e.header_define.is_some()).count();
    assert_eq!(defines as u64, counts["syscall_h_SYS_defines_excl_MAXSYSCALL_invalid"].as_u64().unwrap());
}

#[test]
fn argument_structure_sizes_match_the_oracle() {
    let Some(shared) = common::shared("argument_structure_sizes_match_the_oracle") else { return };
    let oracle = common::json(&shared.join("oracle/sysproto-arg-struct-sizes.json"));
    let sizes = oracle["sizes_lp64_u32munging"].as_object().unwrap();
    let detail = oracle["detail"].as_object().unwrap();
    let table = common::defs(TableKind::Bsd);
    let mut ours = BTreeMap::new();
    for entry in &table.entries {
        if let Some(s) = &entry.args_struct {
            assert!(ours.insert(s.name.clone(), (entry, s)).is_none(), "two structures named {}", s.name);
        }
    }
    let mut compared = 0;
    for (name, size) in sizes {
        let (entry, s) = ours.get(name).unwrap_or_else(|| panic!("no structure `{name}` in the model"));
        assert_eq!(s.layout_64.size, size.as_u64().unwrap(), "sizeof(struct {name})");
        assert_eq!(s.layout_64.align, detail[name]["align"].as_u64().unwrap(), "_Alignof(struct {name})");
        // The size does not depend on the target: an i386 build of the structures has the same slots.
        assert_eq!(
            entry.args_layout(Target::I386).unwrap().size,
            s.layout_64.size,
            "sizeof(struct {name}) on i386"
        );
        for arg in &entry.args {
            let field = &detail[name]["fields"][&arg.names.c];
            let laid = s.layout_64.field(&arg.names.c).unwrap();
            assert_eq!(laid.offset, field["offset"].as_u64().unwrap(), "offsetof({name}, {})", arg.names.c);
            assert_eq!(laid.size, field["size"].as_u64().unwrap(), "sizeof({name}.{})", arg.names.c);
        }
        compared += 1;
    }
    assert_eq!(compared, ours.len(), "the model has structures the oracle does not know");
    println!("{compared} argument structures compared with the oracle (size, alignment, field offsets)");
    assert_eq!(compared, 455);
}

#[test]
fn mach_traps_match_the_facts() {
    let Some(shared) = common::shared("mach_traps_match_the_facts") else { return };
    let facts = common::json(&shared.join("oracle/mach-traps.json"));
    let kernel = facts["kernel_table"].as_array().unwrap();
    let table = common::defs(TableKind::MachTraps);
    assert_eq!(table.entries.len(), kernel.len(), "entry lines");
    let mut differ = Vec::new();
    for (entry, fact) in table.entries.iter().zip(kernel) {
        let mut check = |field: &str, ours: Value, theirs: &Value| {
            if &ours != theirs {
                differ.push(format!(
                    "index {} `{}`: {field}: ours {ours}, facts {theirs}",
                    entry.number, entry.function
                ));
            }
        };
        check("index", entry.number.into(), &fact["index"]);
        check("kernel_function", entry.function.clone().into(), &fact["kernel_function"]);
        // The facts name the `#else` placeholder of index 47 after the trap of its `#if` branch; the
        // names table of XNU says `kern_invalid` there, as ours does. Names are compared for traps.
        if entry.placeholder.is_none() {
            check("name", entry.table_name.clone().into(), &fact["name"]);
        }
        check("arg_count", entry.args.len().into(), &fact["arg_count"]);
        check("u32_words", (entry.size32 / 4).into(), &fact["u32_words"]);
        check("munger", entry.munger32.clone().into(), &fact["munger"]);
        check("returns_port", entry.returns_port.into(), &fact["returns_port"]);
        check("condition", entry.condition.clone().into(), &fact["condition"]);
    }
    println!("{} Mach trap entries compared, {} differ", kernel.len(), differ.len());
    assert!(differ.is_empty(), "{}", differ.join("\n"));

    // Trap -47 exists for 64-bit callers only; everything else is the same on every architecture.
    assert_eq!(table.slot_count, 128);
    let slot47 = |t: Target| table.slot_map(t).slots[47];
    assert!(matches!(slot47(Target::X86_64), Slot::Call(c) if table.calls[c].names.c == "mach_msg2_trap"));
    assert!(matches!(slot47(Target::Arm64), Slot::Call(_)));
    assert!(matches!(slot47(Target::I386), Slot::Placeholder(_)));
}

#[test]
fn machdep_tables_match_the_facts() {
    let Some(shared) = common::shared("machdep_tables_match_the_facts") else { return };
    let facts = common::json(&shared.join("oracle/machdep-calls.json"));
    let table = common::defs(TableKind::Machdep);
    let mut compared = 0;
    for (target, key) in [(Target::I386, "machdep_call_table_i386"), (Target::X86_64, "machdep_call_table64")]
    {
        let rows = facts[key].as_array().unwrap();
        let slots = &table.slot_map(target).slots;
        assert_eq!(slots.len(), rows.len(), "{key}: rows");
        for (slot, fact) in slots.iter().zip(rows) {
            let index = fact["index"].as_u64().unwrap();
            let entry = match slot {
                Slot::Call(c) => Some(&table.entries[table.calls[*c].entry]),
                Slot::Placeholder(_) | Slot::Empty => None,
            };
            let ours = serde_json::json!({
                "index": index,
                "name": entry.map(|e| e.table_name.clone()),
                "arg_count": entry.map(|e| e.args.len()),
                "bsd": entry.map(|e| e.bsd_style),
                "condition": entry.and_then(|e| e.config_condition.clone()),
            });
            let theirs = serde_json::json!({
                "index": index,
                "name": fact["name"],
                "arg_count": fact.get("arg_count"),
                "bsd": fact.get("name").and_then(Value::as_str).map(|_| fact.get("bsd").and_then(Value::as_bool).unwrap_or(false)),
                "condition": fact.get("condition"),
            });
            assert_eq!(ours, theirs, "{key} index {index}");
            compared += 1;
        }
    }
    println!("{compared} machine-dependent call slots compared (i386 and x86_64), 0 differ");
}

#[test]
fn outputs_of_corpus_and_defs_agree_but_for_words() {
    // Both BSD masters lower to the same numbers, names and structures, so the generated header has the
    // same defines whichever master it came from.
    let Some(shared) = common::shared("outputs_of_corpus_and_defs_agree_but_for_words") else { return };
    let corpus = common::load(
        &shared.join("corpus/xnu/bsd/kern/syscalls.master"),
        "corpus/xnu/bsd/kern/syscalls.master",
        TableKind::Bsd,
    );
    let defs = common::defs(TableKind::Bsd);
    let defines = |t: &Table| -> Vec<String> {
        emit::c_syscall_h::output(t)
            .contents
            .lines()
            .filter(|l| l.starts_with("#define"))
            .map(String::from)
            .collect()
    };
    assert_eq!(defines(&corpus), defines(&defs));
}
