//! `cargo xtask bench migc`: migc over the whole visible corpus (`../shared/corpus/xnu`), all four
//! outputs, preprocessing included, timed two ways:
//!
//! - one `migc` process per file, as a build runs it;
//! - one `migc` process for all files.
//!
//! Both are reported as a ratio to a baseline measured in the same run: `cc -E` alone over the same
//! files (one process per file), which is one step of Apple's `cc -E | migcom` pipeline. Each
//! measurement is the fastest of several runs: the machine is shared, and other work only ever adds
//! time, so the minimum is the figure least disturbed by it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

const RUNS: usize = 5;

/// Files of the corpus that declare no subsystem (inputs for `#include`, not interfaces).
const TYPE_ONLY: &[&str] =
    &["clock_types.defs", "mach_types.defs", "std_types.defs", "mach_debug_types.defs", "machine_types.defs"];

pub fn run(root: &Path) -> anyhow::Result<()> {
    let xnu = root.join("../shared/corpus/xnu");
    if !xnu.is_dir() {
        bail!("{} is absent: the benchmark compiles the corpus there", xnu.display());
    }
    let status = Command::new(env!("CARGO"))
        .args(["build", "--release", "--quiet", "-p", "migc"])
        .current_dir(root)
        .status()
        .context("building migc")?;
    if !status.success() {
        bail!("`cargo build --release -p migc` failed");
    }
    let migc = root.join("target/release/migc");
    let scratch = std::env::temp_dir().join(format!("migc-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(scratch.join("out"))?;
    // `mach/machine/thread_state.h` for THREAD_STATE_MAX: the project's, else a one-line stand-in.
    let headers = if root.join("defs/include/mach/machine/thread_state.h").is_file() {
        root.join("defs/include")
    } else {
        let dir = scratch.join("include");
        std::fs::create_dir_all(dir.join("mach/machine"))?;
        std::fs::write(dir.join("mach/machine/thread_state.h"), "#define THREAD_STATE_MAX (1296)\n")?;
        dir
    };
    let mut files = Vec::new();
    collect(&xnu, &mut files);
    files.retain(|f| {
        let name = f.file_name().unwrap_or_default().to_string_lossy();
        !TYPE_ONLY.contains(&name.as_ref()) && name != "upl.defs"
    });
    let include = |cmd: &mut Command| {
        cmd.arg("-I").arg(xnu.join("osfmk")).arg("-I").arg(&headers);
    };

    let baseline = fastest(|| {
        for f in &files {
            let mut cmd = Command::new("cc");
            cmd.args(["-E", "-x", "c", "-D__MACH30__"]);
            include(&mut cmd);
            cmd.arg(f).stdout(std::process::Stdio::null());
            run_ok(&mut cmd)?;
        }
        Ok(())
    })?;
    let per_file = fastest(|| {
        for f in &files {
            let mut cmd = Command::new(&migc);
            cmd.current_dir(scratch.join("out")).args(["-arch", "x86_64", "-sheader", "server.h"]);
            include(&mut cmd);
            cmd.arg(f);
            run_ok(&mut cmd)?;
        }
        Ok(())
    })?;
    let all_at_once = fastest(|| {
        // Output names need a single input, so with every file at once migc writes mig's three default
        // files per input; the server header is still generated (compile() emits all four), only not
        // written, which is one small write per file.
        let mut cmd = Command::new(&migc);
        cmd.current_dir(scratch.join("out")).args(["-arch", "x86_64"]);
        include(&mut cmd);
        cmd.args(&files);
        run_ok(&mut cmd)
    })?;
    let _ = std::fs::remove_dir_all(&scratch);

    let secs = |d: Duration| d.as_secs_f64();
    println!(
        "migc over {} corpus files, all four outputs, preprocessing included (fastest of {RUNS} runs)",
        files.len()
    );
    println!("  baseline: cc -E, one process per file   {:>8.3} s   1.00x", secs(baseline));
    println!(
        "  migc, one process per file              {:>8.3} s   {:.2}x baseline",
        secs(per_file),
        secs(per_file) / secs(baseline)
    );
    println!(
        "  migc, one process for all files         {:>8.3} s   {:.2}x baseline",
        secs(all_at_once),
        secs(all_at_once) / secs(baseline)
    );
    Ok(())
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|e| e == "defs") {
            out.push(p);
        }
    }
}

fn run_ok(cmd: &mut Command) -> anyhow::Result<()> {
    let output = cmd.output().with_context(|| format!("running {cmd:?}"))?;
    if !output.status.success() {
        bail!("{cmd:?} failed:\n{}", String::from_utf8_lossy(&output.stderr));
    }
    Ok(())
}

fn fastest(mut f: impl FnMut() -> anyhow::Result<()>) -> anyhow::Result<Duration> {
    let mut best = Duration::MAX;
    for _ in 0..RUNS {
        let start = Instant::now();
        f()?;
        best = best.min(start.elapsed());
    }
    Ok(best)
}
