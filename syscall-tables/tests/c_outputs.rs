//! The checked-in C outputs compile warning-free (`-Wall -Wextra -Werror -pedantic`, 64- and 32-bit),
//! and what the compiler makes of them is what the models say: structure sizes and offsets, every row
//! of the three tables, and the `SYS_` defines of `sys/syscall.h` (compared with makesyscalls.sh's
//! through the oracle when `../shared` is present).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::Target;
use syscall_tables::TableKind;
use syscall_tables::model::{Slot, Table};

const WARNINGS: [&str; 6] = ["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic", "-Wundef"];

fn cc() -> String {
    std::env::var("CC").unwrap_or_else(|_| "cc".to_string())
}

/// A scratch directory for one test, removed when the guard drops.
fn scratch(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new().prefix(&format!("syscall-tables-{name}-")).tempdir().unwrap()
}

/// Runs the C compiler; `Err` with its output when it fails.
fn run_cc(args: &[&str]) -> Result<Vec<u8>, String> {
    let output = Command::new(cc()).args(args).output().map_err(|e| format!("running {}: {e}", cc()))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        Err(format!("{} {}\n{}", cc(), args.join(" "), String::from_utf8_lossy(&output.stderr)))
    }
}

/// The pointer-size flags to test with: always 64-bit, 32-bit when the compiler can (gcc-multilib).
fn modes(test: &str) -> Option<Vec<(&'static str, Target)>> {
    let scratch_dir = scratch(&format!("{test}-probe"));
    let dir = scratch_dir.path();
    let probe = dir.join("probe.c");
    std::fs::write(&probe, "int main(void) { return 0; }\n").unwrap();
    let out = dir.join("probe");
    if run_cc(&[probe.to_str().unwrap(), "-o", out.to_str().unwrap()]).is_err() {
        eprintln!("{test}: skipped, no working C compiler (`{}`)", cc());
        return None;
    }
    let mut modes = vec![("-m64", Target::X86_64)];
    if run_cc(&["-m32", probe.to_str().unwrap(), "-o", out.to_str().unwrap()]).is_ok() {
        modes.push(("-m32", Target::I386));
    } else {
        eprintln!("{test}: 32-bit checks skipped, `{} -m32` cannot build (install gcc-multilib)", cc());
    }
    Some(modes)
}

/// The position of `target` in the models' per-architecture arrays.
fn target_index(target: Target) -> usize {
    syscall_tables::model::TARGETS.iter().position(|t| *t == target).unwrap()
}

fn src_dir() -> PathBuf {
    common::generated_c("src/syscalls")
}

fn include_dir() -> PathBuf {
    common::generated_c("include")
}

/// Every configuration option the tables test, for `-DX=0` builds.
fn config_options() -> Vec<String> {
    let mut options: Vec<String> =
        TableKind::ALL.iter().flat_map(|k| common::defs(*k).config_options).collect();
    options.sort();
    options.dedup();
    options
}

#[test]
fn generated_c_compiles_warning_free() {
    let Some(modes) = modes("generated_c_compiles_warning_free") else { return };
    let scratch_dir = scratch("compile");
    let dir = scratch_dir.path();
    let src = src_dir();
    let mut sources: Vec<PathBuf> = std::fs::read_dir(&src).unwrap().map(|e| e.unwrap().path()).collect();
    sources.sort();
    let off: Vec<String> = config_options().iter().map(|o| format!("-D{o}=0")).collect();
    let mut compiled = 0;
    for (flag, _) in &modes {
        for config in [&[][..], &off[..]] {
            for path in &sources {
                // A header is compiled as a translation unit of its own: it must stand alone.
                let unit = if path.extension().is_some_and(|e| e == "h") {
                    let unit = dir.join(format!("{}.c", path.file_stem().unwrap().to_str().unwrap()));
                    std::fs::write(&unit, format!("#include \"{}\"\n", path.display())).unwrap();
                    unit
                } else {
                    path.clone()
                };
                let object = dir.join("out.o");
                let mut args: Vec<&str> = WARNINGS.to_vec();
                args.extend([*flag, "-I", src.to_str().unwrap(), "-c", unit.to_str().unwrap(), "-o"]);
                args.push(object.to_str().unwrap());
                args.extend(config.iter().map(String::as_str));
                run_cc(&args).unwrap_or_else(|e| panic!("{e}"));
                compiled += 1;
            }
            let include = include_dir();
            let unit = dir.join("syscall_h.c");
            std::fs::write(&unit, "#include <sys/syscall.h>\nint sys_maxsyscall = SYS_MAXSYSCALL;\n")
                .unwrap();
            let object = dir.join("out.o");
            let mut args: Vec<&str> = WARNINGS.to_vec();
            args.extend([*flag, "-I", include.to_str().unwrap(), "-c", unit.to_str().unwrap(), "-o"]);
            args.push(object.to_str().unwrap());
            args.extend(config.iter().map(String::as_str));
            run_cc(&args).unwrap_or_else(|e| panic!("{e}"));
            compiled += 1;
        }
    }
    println!("{compiled} compilations of the generated C, warning-free");
}

/// Writes, builds and runs a C program that prints one line per structure and field; returns the lines.
fn layouts_from_compiler(flag: &str, target: Target, dir: &Path, tables: &[Table]) -> BTreeMap<String, u64> {
    let t = target_index(target);
    let mut program = String::from("#include <stddef.h>\n#include <stdio.h>\n");
    for table in tables {
        program.push_str(&format!("#include \"{}_args.h\"\n", table.kind.c_stem()));
    }
    program.push_str("int main(void) {\n");
    for table in tables {
        for entry in table.entries.iter().filter(|e| e.active[t]) {
            let Some(s) = &entry.args_struct else { continue };
            let name = &s.name;
            program.push_str(&format!(
                "\tprintf(\"{name} size %zu\\n{name} align %zu\\n\", sizeof(struct {name}), _Alignof(struct {name}));\n"
            ));
            for field in &s.layout_64.fields {
                let f = &field.name;
                program.push_str(&format!(
                    "\tprintf(\"{name}.{f} offset %zu\\n\", offsetof(struct {name}, {f}));\n"
                ));
            }
        }
    }
    program.push_str("\treturn 0;\n}\n");
    let source = dir.join("layouts.c");
    std::fs::write(&source, program).unwrap();
    let binary = dir.join("layouts");
    let src = src_dir();
    let mut args: Vec<&str> = WARNINGS.to_vec();
    args.extend([
        flag,
        "-I",
        src.to_str().unwrap(),
        source.to_str().unwrap(),
        "-o",
        binary.to_str().unwrap(),
    ]);
    run_cc(&args).unwrap_or_else(|e| panic!("{e}"));
    let output = Command::new(&binary).output().unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let (key, value) = l.rsplit_once(' ').unwrap();
            (key.to_string(), value.parse().unwrap())
        })
        .collect()
}

#[test]
fn argument_structures_have_the_layouts_of_the_model_and_the_oracle() {
    let Some(modes) = modes("argument_structures_have_the_layouts_of_the_model_and_the_oracle") else {
        return;
    };
    let scratch_dir = scratch("layouts");
    let dir = scratch_dir.path();
    let tables: Vec<Table> = TableKind::ALL.iter().map(|k| common::defs(*k)).collect();
    let oracle = common::shared("argument_structures_have_the_layouts_of_the_model_and_the_oracle")
        .map(|shared| common::json(&shared.join("oracle/sysproto-arg-struct-sizes.json")));
    for (flag, target) in modes {
        let compiled = layouts_from_compiler(flag, target, dir, &tables);
        let mut structures = 0;
        for table in &tables {
            for entry in table.entries.iter().filter(|e| e.active[target_index(target)]) {
                let Some(s) = &entry.args_struct else { continue };
                let layout = &entry.args_layout(target).unwrap();
                let name = &s.name;
                assert_eq!(compiled[&format!("{name} size")], layout.size, "{flag}: sizeof(struct {name})");
                assert_eq!(
                    compiled[&format!("{name} align")],
                    layout.align,
                    "{flag}: _Alignof(struct {name})"
                );
                for field in &layout.fields {
                    let key = format!("{name}.{} offset", field.name);
                    assert_eq!(
                        compiled[&key], field.offset,
                        "{flag}: offsetof(struct {name}, {})",
                        field.name
                    );
                }
                structures += 1;
            }
        }
        println!(
            "{flag}: {structures} argument structures laid out by `{}` as codegen::layout computes them",
            cc()
        );
        if let Some(oracle) = &oracle {
            let sizes = oracle["sizes_lp64_u32munging"].as_object().unwrap();
            for (name, size) in sizes {
                assert_eq!(
                    compiled[&format!("{name} size")],
                    size.as_u64().unwrap(),
                    "{flag}: sizeof(struct {name})"
                );
            }
            println!(
                "{flag}: {} BSD argument structure sizes match sysproto-arg-struct-sizes.json",
                sizes.len()
            );
            assert_eq!(sizes.len(), 455);
        }
    }
}

/// `SYS_` macros as the preprocessor sees them after including the generated header.
fn syscall_defines(flag: &str, dir: &Path, defines: &[String]) -> BTreeMap<String, u64> {
    let unit = dir.join("defines.c");
    std::fs::write(&unit, "#include <sys/syscall.h>\n").unwrap();
    let include = include_dir();
    let mut args: Vec<&str> = WARNINGS.to_vec();
    args.extend([flag, "-I", include.to_str().unwrap(), "-E", "-dM", unit.to_str().unwrap()]);
    args.extend(defines.iter().map(String::as_str));
    let out = run_cc(&args).unwrap_or_else(|e| panic!("{e}"));
    String::from_utf8(out)
        .unwrap()
        .lines()
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            let (Some("#define"), Some(name), Some(value)) = (words.next(), words.next(), words.next())
            else {
                return None;
            };
            name.starts_with("SYS_")
                .then(|| (name.to_string(), value.parse().expect("SYS_ values are numbers")))
        })
        .collect()
}

#[test]
fn syscall_h_defines_what_makesyscalls_writes() {
    let Some(modes) = modes("syscall_h_defines_what_makesyscalls_writes") else { return };
    let scratch_dir = scratch("defines");
    let dir = scratch_dir.path();
    let table = common::defs(TableKind::Bsd);
    let mut expected: BTreeMap<String, u64> = table
        .entries
        .iter()
        .filter_map(|e| e.header_define.clone().map(|d| (d, u64::from(e.number))))
        .collect();
    if let Some(shared) = common::shared("syscall_h_defines_what_makesyscalls_writes") {
        // What makesyscalls.sh writes for XNU's master, from the oracle.
        let facts = common::json(&shared.join("oracle/syscalls-master-facts.json"));
        let from_facts: BTreeMap<String, u64> = facts["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| Some((e["header_define"].as_str()?.to_string(), e["number"].as_u64()?)))
            .collect();
        assert_eq!(expected, from_facts, "the model's defines differ from makesyscalls.sh's");
    }
    assert_eq!(expected.len(), 455);
    expected.insert("SYS_MAXSYSCALL".into(), 558);
    expected.insert("SYS_invalid".into(), 63);

    for (flag, _) in &modes {
        let seen = syscall_defines(flag, dir, &[]);
        assert_eq!(seen, expected, "{flag}: the SYS_ defines of the compiled header");
        println!(
            "{flag}: sys/syscall.h defines {} SYS_ names as makesyscalls.sh does (455 calls, SYS_MAXSYSCALL 558, SYS_invalid 63)",
            seen.len()
        );

        // The conditions are real `#if`s: turning an option off drops exactly its calls.
        let sockets: Vec<&str> = table
            .entries
            .iter()
            .filter(|e| e.condition.as_deref() == Some("SOCKETS"))
            .filter_map(|e| e.header_define.as_deref())
            .collect();
        // 31 entries sit under `#if SOCKETS`; two of them are `nosys`, so 29 defines.
        assert_eq!(sockets.len(), 29);
        let without = syscall_defines(flag, dir, &["-DSOCKETS=0".to_string()]);
        assert_eq!(without.len(), expected.len() - sockets.len());
        assert!(sockets.iter().all(|d| !without.contains_key(*d)));
    }
}

#[test]
fn tables_hold_the_rows_of_the_models() {
    let Some(modes) = modes("tables_hold_the_rows_of_the_models") else { return };
    let scratch_dir = scratch("rows");
    let dir = scratch_dir.path();
    let tables: Vec<Table> = TableKind::ALL.iter().map(|k| common::defs(*k)).collect();
    let program = r#"#include <stdio.h>
#include "syscall_tables.h"
static const char *s(const char *p) { return p ? p : "-"; }
int main(void) {
	for (unsigned i = 0; i < DARLING_NSYSENT; i++) {
		const struct darling_sysent *e = &darling_sysent[i];
		printf("bsd %u %s %s %d %d %u %s\n", i, s(e->sy_call), s(e->sy_arg_munge32), (int)e->sy_return_type,
			(int)e->sy_narg, (unsigned)e->sy_arg_bytes, s(darling_syscallnames[i]));
	}
	for (unsigned i = 0; i < DARLING_MACH_TRAP_COUNT; i++) {
		const struct darling_mach_trap *e = &darling_mach_trap_table[i];
		printf("mach %u %s %s %d %d %d %s\n", i, s(e->mach_trap_function), s(e->mach_trap_arg_munge32),
			(int)e->mach_trap_arg_count, (int)e->mach_trap_u32_words, (int)e->mach_trap_returns_port,
			s(darling_mach_trap_names[i]));
	}
	for (unsigned i = 0; i < DARLING_MACHDEP_CALL_COUNT; i++) {
		const struct darling_machdep_call *e = &darling_machdep_call_table[i];
		printf("machdep %u %s %d %d %s\n", i, s(e->routine), (int)e->nargs, (int)e->bsd_style,
			s(darling_machdep_call_names[i]));
	}
	return 0;
}
"#;
    let main = dir.join("rows.c");
    std::fs::write(&main, program).unwrap();
    let src = src_dir();
    let units: Vec<PathBuf> = ["bsd_syscall", "mach_trap", "machdep_call"]
        .iter()
        .flat_map(|stem| [src.join(format!("{stem}_table.c")), src.join(format!("{stem}_names.c"))])
        .collect();
    let returns = [
        "_SYSCALL_RET_NONE",
        "_SYSCALL_RET_INT_T",
        "_SYSCALL_RET_UINT_T",
        "_SYSCALL_RET_OFF_T",
        "_SYSCALL_RET_ADDR_T",
        "_SYSCALL_RET_SIZE_T",
        "_SYSCALL_RET_SSIZE_T",
        "_SYSCALL_RET_UINT64_T",
    ];
    for (flag, target) in modes {
        let binary = dir.join("rows");
        let mut args: Vec<&str> = WARNINGS.to_vec();
        args.extend([flag, "-I", src.to_str().unwrap(), main.to_str().unwrap()]);
        args.extend(units.iter().map(|u| u.to_str().unwrap()));
        args.extend(["-o", binary.to_str().unwrap()]);
        run_cc(&args).unwrap_or_else(|e| panic!("{e}"));
        let output = Command::new(&binary).output().unwrap();
        let printed: Vec<String> =
            String::from_utf8(output.stdout).unwrap().lines().map(String::from).collect();

        let mut expected = Vec::new();
        for table in &tables {
            let slots = &table.slot_map(target).slots;
            for (number, slot) in slots.iter().enumerate() {
                let entry = match slot {
                    Slot::Call(c) => Some(&table.entries[table.calls[*c].entry]),
                    Slot::Placeholder(e) => Some(&table.entries[*e]),
                    Slot::Empty => None,
                };
                let function = entry.map_or("-", |e| e.function.as_str());
                let munger = entry.and_then(|e| e.munger32.as_deref()).unwrap_or("-");
                let name = entry.map_or("-", |e| e.table_name.as_str());
                let narg = entry.map_or(0, |e| e.args.len());
                expected.push(match table.kind {
                    TableKind::Bsd => {
                        let ret = entry.map_or(0, |e| {
                            returns.iter().position(|r| *r == e.return_kind.sy_return_type()).unwrap()
                        });
                        let bytes = entry.map_or(0, |e| e.size32);
                        format!("bsd {number} {function} {munger} {ret} {narg} {bytes} {name}")
                    }
                    TableKind::MachTraps => {
                        let words = entry.map_or(0, |e| e.size32 / 4);
                        let port = entry.is_some_and(|e| e.returns_port);
                        format!("mach {number} {function} {munger} {narg} {words} {} {name}", u8::from(port))
                    }
                    TableKind::Machdep => {
                        let bsd = entry.is_some_and(|e| e.bsd_style);
                        format!("machdep {number} {function} {narg} {} {name}", u8::from(bsd))
                    }
                });
            }
        }
        assert_eq!(printed.len(), expected.len(), "{flag}: rows");
        for (p, e) in printed.iter().zip(&expected) {
            assert_eq!(p, e, "{flag}");
        }
        println!(
            "{flag}: {} rows of the compiled tables match the models (BSD, Mach traps, machdep)",
            printed.len()
        );
    }
}
