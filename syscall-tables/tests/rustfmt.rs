//! The parts of the Rust modules that syscall-tables writes as text rather than through prettyplease
//! (enum variants, `ALL`, the trait, the dispatch arms, the tables; see `emit/rust_text.rs`) are in
//! rustfmt's layout under the workspace's `rustfmt.toml`: rustfmt leaves them unchanged. Checked for the
//! project's masters, every fixture, and a master of long names that makes every shape break.
//!
//! Skips with a printed reason when rustfmt is not installed (CI has it: `.ci/run` runs `cargo fmt`).

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use syscall_tables::{Master, Options, TableKind, compile, emit};

/// Runs rustfmt over `text` with the workspace's configuration; `None` when rustfmt cannot run.
fn rustfmt(text: &str) -> Option<String> {
    let config = common::root().join("rustfmt.toml");
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2024", "--emit", "stdout", "--config-path"])
        .arg(&config)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    let mut stdin = child.stdin.take()?;
    let input = text.to_string();
    // Write from another thread: rustfmt may fill its output pipe before it has read all its input.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().ok()?;
    writer.join().expect("the writer thread does not panic").expect("rustfmt reads its input");
    assert!(output.status.success(), "rustfmt failed:\n{}", String::from_utf8_lossy(&output.stderr));
    Some(String::from_utf8(output.stdout).expect("rustfmt writes UTF-8"))
}

fn rustfmt_available(test: &str) -> bool {
    let available = Command::new("rustfmt").arg("--version").output().is_ok_and(|o| o.status.success());
    if !available {
        eprintln!("{test}: skipped, rustfmt is not installed");
    }
    available
}

/// Compiles `masters` and checks every table's text items against rustfmt.
fn check(what: &str, masters: Vec<Master>) {
    let compiled = compile(&Options::new(masters)).unwrap_or_else(|failure| panic!("{what}: {failure}"));
    for table in &compiled.tables {
        let text = emit::rust::text_items(table);
        let formatted = rustfmt(&text).expect("rustfmt ran a moment ago");
        if formatted != text {
            let first = text.lines().zip(formatted.lines()).position(|(a, b)| a != b).unwrap_or(0);
            let show =
                |s: &str| s.lines().skip(first.saturating_sub(3)).take(12).collect::<Vec<_>>().join("\n");
            panic!(
                "{what} ({:?}): rustfmt would change the text items from line {}:\n--- written\n{}\n--- rustfmt\n{}",
                table.kind,
                first + 1,
                show(&text),
                show(&formatted)
            );
        }
    }
}

#[test]
fn defs_masters_are_in_rustfmt_layout() {
    if !rustfmt_available("defs_masters_are_in_rustfmt_layout") {
        return;
    }
    let masters = TableKind::ALL
        .iter()
        .map(|kind| {
            let rel = format!("defs/syscalls/{}", kind.master_file_name());
            let text = std::fs::read_to_string(common::root().join(&rel)).unwrap();
            Master::new(*kind, rel, text)
        })
        .collect();
    check("defs/syscalls", masters);
}

#[test]
fn fixtures_are_in_rustfmt_layout() {
    if !rustfmt_available("fixtures_are_in_rustfmt_layout") {
        return;
    }
    let dir = common::root().join("syscall-tables/tests/data/ok");
    let mut paths: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    for path in paths {
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let kind = if name.starts_with("machdep_") {
            TableKind::Machdep
        } else if name.starts_with("mach_") {
            TableKind::MachTraps
        } else {
            TableKind::Bsd
        };
        let text = std::fs::read_to_string(&path).unwrap();
        check(&name, vec![Master::new(kind, name.clone(), text)]);
    }
}

/// Long names and notes: signatures, match arms, rows, argument lists and placeholder rows that do
/// not fit a line, and a table of one call (whose `CALLS` row overflows from its array).
#[test]
fn long_names_are_in_rustfmt_layout() {
    if !rustfmt_available("long_names_are_in_rustfmt_layout") {
        return;
    }
    let long = "0\tAUE_NULL\tALL\t{ int nosys(void); }\n\
        1\tAUE_NULL\tALL\t{ int enosys(void); }\t{ formerly a call whose note is long enough that its placeholder row cannot fit on one line }\n\
        2\tAUE_NULL\tALL\t{ user_addr_t an_exceedingly_long_system_call_name_for_testing_purposes(user_addr_t first_argument_with_a_long_name, user_size_t second_argument_with_a_long_name, int third_argument_with_a_long_name); }\n\
        3\tAUE_NULL\tALL\t{ int a_call_whose_name_alone_makes_the_dispatch_arm_longer_than_a_line(int a); }\n\
        4\tAUE_NULL\tALL\t{ int f(int a, int b, int c, int d, int e, int g, int h, int i); }\n";
    check("long BSD names", vec![Master::new(TableKind::Bsd, "long.master", long)]);
    let one = "0\tAUE_NULL\tALL\t{ kern_return_t a_trap_with_a_long_name_so_that_its_row_breaks(mach_port_name_t target, user_addr_t address); }\n";
    check("one Mach trap", vec![Master::new(TableKind::MachTraps, "one.master", one)]);
    check("no Mach traps", vec![Master::new(TableKind::MachTraps, "none.master", "; nothing\n")]);
}
