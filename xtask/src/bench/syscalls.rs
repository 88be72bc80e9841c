//! `cargo xtask bench syscalls`: generation from all three `defs/syscalls` masters in one process,
//! against baselines measured in the same run.
//!
//! What is timed: parsing, checking and lowering the three masters and emitting every output (C and
//! Rust, pretty-printed) in memory; nothing is written, so the figure does not depend on the disk.
//!
//! The baselines:
//! - `awk`: one `awk` process that reads the three masters and prints a `#define SYS_<name> <number>`
//!   line per entry: the smallest slice of what makesyscalls.sh (itself an awk program, about 0.1 s per
//!   master on these machines) does, process start included. Generation should beat it.
//! - `read+split`: reading the three files and splitting them into whitespace-separated tokens, in
//!   process: a floor no parser can go under.
//!
//! Wall time on these shared machines moves with their load. To compare two versions of the generator,
//! count instructions instead, which repeat to the last digit: one generation in one process is
//! `valgrind --tool=callgrind target/release/syscall-tables --bsd defs/syscalls/syscalls.master
//! --mach-traps defs/syscalls/mach_traps.master --machdep defs/syscalls/machdep.master --check`, and
//! `callgrind_annotate --inclusive=yes` splits it by stage (`parse::parse`, `emit::rust::output` ...).

use std::hint::black_box;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use syscall_tables::{Options, compile, emit};

use crate::codegen::syscall_tables::masters;

const ITERATIONS: usize = 30;
const WARMUP: usize = 3;

/// The goal for generating all three tables.
const GOAL: Duration = Duration::from_millis(20);

/// A deliberately small awk program: numbers and names out of entry lines, as `#define` lines.
const AWK_PROGRAM: &str = r##"
$1 ~ /^[0-9]+$/ {
    line = $0
    sub(/\(.*/, "", line)
    n = split(line, words, /[ \t{]+/)
    name = words[n]
    sub(/^sys_/, "", name)
    if (name != "nosys" && name != "enosys" && name != "kern_invalid")
        printf "#define\tSYS_%s\t%d\n", name, $1
}
"##;

pub fn run(root: &Path) -> anyhow::Result<()> {
    if cfg!(debug_assertions) {
        // `cargo xtask` builds xtask without optimisations; timing a debug build would say nothing about
        // the generator, so run this benchmark again from a release build.
        eprintln!("(rebuilding xtask in release mode for the benchmark)");
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .current_dir(root)
            .args(["run", "--quiet", "--release", "--package", "xtask", "--", "bench", "syscalls"])
            .status()
            .context("running the release build of xtask")?;
        if !status.success() {
            bail!("the release build of the benchmark failed");
        }
        return Ok(());
    }
    let masters = masters(root)?;
    let options = Options::new(masters.clone());
    if let Err(failure) = compile(&options) {
        bail!("the masters do not compile:\n{failure}");
    }

    let cpu_before = process_cpu_time();
    let generate = measure(|| {
        let compiled = compile(&options).expect("compiled once already");
        black_box(compiled.outputs.len());
    });
    // CPU time of every thread, per generation: what the work costs whatever else the machine is doing.
    let cpu_per_run = match (cpu_before, process_cpu_time()) {
        (Some(before), Some(after)) => Some((after - before) / (WARMUP + ITERATIONS) as u32),
        _ => None,
    };
    let stages = stage_times(&options);

    let paths: Vec<_> = masters.iter().map(|m| root.join(&m.path)).collect();
    let awk = measure_awk(&paths)?;
    let read_split = measure(|| {
        let mut tokens = 0;
        for path in &paths {
            let text = std::fs::read_to_string(path).expect("read once already");
            tokens += text.split_whitespace().count();
        }
        black_box(tokens);
    });

    let lines: usize = masters.iter().map(|m| m.text.lines().count()).sum();
    println!("syscalls: generation from 3 masters ({lines} lines), {ITERATIONS} runs: best / median");
    let row =
        |label: &str, t: Timing| println!("  {label:<52}{:>8.2} ms {:>8.2} ms", ms(t.best), ms(t.median));
    row("generate (parse, check, lower, emit C and Rust)", generate);
    if let Some(cpu) = cpu_per_run {
        println!(
            "  {:<52}{:>8.2} ms (all threads, from /proc/self/stat)",
            "  CPU time per generation",
            ms(cpu)
        );
    }
    for (stage, time) in &stages {
        row(&format!("  {stage}"), *time);
    }
    row("baseline awk (one process, #defines only)", awk);
    row("baseline read+split (in process)", read_split);
    let ratio = |a: Timing, b: Timing| a.best.as_secs_f64() / b.best.as_secs_f64();
    println!("  ratio generate / awk (best runs):        {:.2}", ratio(generate, awk));
    println!("  ratio generate / read+split (best runs): {:.1}", ratio(generate, read_split));
    let verdict = if generate.best <= GOAL { "met" } else { "missed" };
    println!(
        "  goal {} ms for the best run: {verdict} (median {:.2} ms)",
        GOAL.as_millis(),
        ms(generate.median)
    );
    Ok(())
}

/// The fastest and the median time of `f` over [`ITERATIONS`] runs after [`WARMUP`] unmeasured ones. On
/// a shared machine the fastest run is the one least disturbed by others, so ratios use it.
#[derive(Debug, Clone, Copy)]
struct Timing {
    best: Duration,
    median: Duration,
}

fn measure(mut f: impl FnMut()) -> Timing {
    for _ in 0..WARMUP {
        f();
    }
    let mut times: Vec<Duration> = (0..ITERATIONS)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    Timing { best: times[0], median: times[times.len() / 2] }
}

fn measure_awk(paths: &[std::path::PathBuf]) -> anyhow::Result<Timing> {
    let run = || Command::new("awk").arg(AWK_PROGRAM).args(paths).output();
    let first = run().context("running awk (the baseline)")?;
    if !first.status.success() || first.stdout.is_empty() {
        bail!("the awk baseline failed: {}", String::from_utf8_lossy(&first.stderr));
    }
    Ok(measure(|| {
        black_box(run().expect("awk ran once already").stdout.len());
    }))
}

/// Medians of each stage: parse+check+lower, the C emitters, the Rust emitter.
fn stage_times(options: &Options) -> Vec<(&'static str, Timing)> {
    let compiled = compile(options).expect("compiled once already");
    let tables = compiled.tables;
    let mut sources = codegen::Sources::new();
    let files: Vec<_> =
        options.masters.iter().map(|m| (sources.add(m.path.clone(), m.text.clone()), m.kind)).collect();
    let parse = measure(|| {
        for (file, _) in &files {
            black_box(syscall_tables::parse::parse(&sources, *file).expect("parses").items.len());
        }
    });
    let asts: Vec<_> = files
        .iter()
        .map(|(file, kind)| (syscall_tables::parse::parse(&sources, *file).expect("parses"), *kind))
        .collect();
    let check = measure(|| {
        for (ast, kind) in &asts {
            black_box(syscall_tables::check::check(&sources, ast, *kind).expect("checks").entries.len());
        }
    });
    let checked: Vec<_> = asts
        .iter()
        .map(|(ast, kind)| syscall_tables::check::check(&sources, ast, *kind).expect("checks"))
        .collect();
    let lower = measure(|| {
        for c in &checked {
            black_box(syscall_tables::lower::lower(c, "x").entries.len());
        }
    });
    let c = measure(|| {
        black_box(emit::c_common::output(&tables).contents.len());
        for table in &tables {
            if table.kind == syscall_tables::TableKind::Bsd {
                black_box(emit::c_syscall_h::output(table).contents.len());
            }
            black_box(emit::c_args::output(table).contents.len());
            black_box(emit::c_names::output(table).contents.len());
            black_box(emit::c_table::output(table).contents.len());
        }
    });
    let rust = measure(|| {
        for table in &tables {
            black_box(emit::rust::output(table).contents.len());
        }
    });
    vec![
        ("parse", parse),
        ("check", check),
        ("lower", lower),
        ("emit C (10 files)", c),
        ("emit Rust (3 modules)", rust),
    ]
}

/// User plus system CPU time of the whole process so far, from `/proc/self/stat` (Linux; clock ticks of
/// 10 ms, so only differences over many runs mean anything).
fn process_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name may contain spaces; the fields after it are space-separated.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // Linux reports these fields in USER_HZ, which is 100 on every architecture it runs on.
    Some(Duration::from_millis(ticks * 10))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
