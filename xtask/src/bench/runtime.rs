//! `cargo xtask bench runtime`: the round trip of a call without arguments (`started_suspended`)
//! through the generated C wrapper, the shim and darlingserver, against a floor measured in the same
//! run: a minimal C client and C echo server exchanging datagrams of the same sizes (16-byte call,
//! 12-byte reply) over the same kind of socket (Unix datagram, one autobound socket per client thread).
//!
//! Reports p50 and p99 latency of each (median of several alternating rounds, so drift on a shared
//! machine hits both alike), the p50 ratio of every round and their median (goal: within 1.3x of the
//! floor), and throughput with 1, 2, 4 and 8 client threads. Everything it starts is stopped when it returns, whatever happens.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use anyhow::{Context, bail};

/// `sizeof(dserver_rpc_call_started_suspended_t)` and `sizeof(dserver_rpc_reply_started_suspended_t)`.
const CALL_BYTES: usize = 16;
const REPLY_BYTES: usize = 12;
const ROUNDS: usize = 9;
const SAMPLES: usize = 20_000;
const THROUGHPUT_MS: u64 = 500;
const THROUGHPUT_ROUNDS: usize = 5;

/// Kills what it holds on drop, so no server outlives the benchmark.
struct Running(Vec<Child>);

impl Drop for Running {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

pub fn run(root: &Path) -> anyhow::Result<()> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(root)
        .args(["build", "--release", "-p", "darlingserver", "-p", "darling-shim"])
        .status()
        .context("building the runtime in release mode")?;
    if !status.success() {
        bail!("cargo build --release -p darlingserver -p darling-shim failed");
    }
    let release = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
        .join("release");
    // Short: socket paths must fit in sun_path.
    let work = std::env::temp_dir().join(format!("darling-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    let result = measure(root, &release, &work);
    let _ = std::fs::remove_dir_all(&work);
    result
}

/// Every process of the benchmark runs on one CPU (`taskset -c 0`, when it exists): a round trip is
/// then two context switches on one core, for the floor and the server alike. Unpinned, the figure is
/// dominated by how fast an idle virtual CPU wakes up, which varies tenfold with the machine's load.
fn pinned(program: &Path) -> Command {
    let taskset = Path::new("/usr/bin/taskset");
    if taskset.exists() {
        let mut command = Command::new(taskset);
        command.arg("-c").arg("0").arg(program);
        command
    } else {
        Command::new(program)
    }
}

fn measure(root: &Path, release: &Path, work: &Path) -> anyhow::Result<()> {
    let prefix = work.join("prefix");
    std::fs::create_dir_all(prefix.join("usr/lib"))?;
    std::fs::create_dir_all(prefix.join("usr/libexec"))?;
    std::fs::copy(release.join("libsystem_kernel.so"), prefix.join("usr/lib/libsystem_kernel.so"))?;
    std::fs::copy(release.join("darlingserver"), prefix.join("usr/libexec/darlingserver"))?;

    let sources = root.join("xtask/src/bench/runtime");
    let cc = |name: &str, extra: &[&str]| -> anyhow::Result<PathBuf> {
        let out = work.join(name);
        let status = Command::new("cc")
            .args(["-O2", "-Wall", "-Wextra", "-Werror", "-pthread", "-o"])
            .arg(&out)
            .arg(sources.join(format!("{name}.c")))
            .args(extra)
            .status()
            .with_context(|| format!("compiling {name}.c"))?;
        if !status.success() {
            bail!("compiling {name}.c failed");
        }
        Ok(out)
    };
    let echo = cc("echo_server", &[])?;
    let floor = cc("floor_client", &[])?;
    let include = |dir: &str| format!("-I{}", root.join(dir).display());
    let lib = prefix.join("usr/lib");
    let rpc = cc(
        "rpc_client",
        &[
            &include("runtime/generated/include"),
            &include("defs/include"),
            &format!("-L{}", lib.display()),
            &format!("-Wl,-rpath,{}", lib.display()),
            "-lsystem_kernel",
        ],
    )?;

    let floor_socket = work.join("floor.sock");
    let mut running = Running(Vec::new());
    running.0.push(start_and_wait(pinned(&echo).arg(&floor_socket).arg(REPLY_BYTES.to_string()), "ready")?);
    running.0.push(start_and_wait(
        pinned(&prefix.join("usr/libexec/darlingserver"))
            .arg("--prefix")
            .arg(&prefix)
            .arg("--log-file")
            .arg(work.join("server.log"))
            .arg("--log")
            .arg("warn"),
        "darlingserver ready",
    )?);

    let floor_cmd = |args: &[String]| {
        let mut command = pinned(&floor);
        command
            .args(args)
            .env("BENCH_SOCKET", &floor_socket)
            .env("BENCH_CALL_BYTES", CALL_BYTES.to_string())
            .env("BENCH_REPLY_BYTES", REPLY_BYTES.to_string());
        command
    };
    let rpc_cmd = |args: &[String]| {
        let mut command = pinned(&rpc);
        command.args(args).env("DPREFIX", &prefix).env("DARLING_NO_AUTOSTART", "1");
        command
    };

    let latency_args = vec!["latency".to_string(), SAMPLES.to_string()];
    let (mut floor_p50, mut floor_p99, mut rpc_p50, mut rpc_p99) = (vec![], vec![], vec![], vec![]);
    // Rounds alternate floor and server, so a burst of load from elsewhere on the machine lands on
    // one pair of neighbouring runs; the median of the per-round ratios then ignores it.
    let mut ratios = vec![];
    for _ in 0..ROUNDS {
        let f = output_values(floor_cmd(&latency_args))?;
        floor_p50.push(f["p50"]);
        floor_p99.push(f["p99"]);
        let r = output_values(rpc_cmd(&latency_args))?;
        rpc_p50.push(r["p50"]);
        rpc_p99.push(r["p99"]);
        ratios.push(r["p50"] as f64 / f["p50"] as f64);
    }
    let (fp50, fp99, rp50, rp99) = (median(floor_p50), median(floor_p99), median(rpc_p50), median(rpc_p99));
    let ratio = median_f64(ratios.clone());
    let placement =
        if Path::new("/usr/bin/taskset").exists() { "all on CPU 0" } else { "unpinned: no taskset" };
    println!(
        "runtime round trip, no-argument call ({CALL_BYTES}-byte call, {REPLY_BYTES}-byte reply), {ROUNDS} alternating rounds x {SAMPLES} calls, {placement}:"
    );
    println!("  {:<34} {:>9} {:>9}   (median over rounds)", "", "p50", "p99");
    println!(
        "  {:<34} {:>7.2}us {:>7.2}us",
        "floor (C client, C echo server)",
        fp50 as f64 / 1e3,
        fp99 as f64 / 1e3
    );
    println!(
        "  {:<34} {:>7.2}us {:>7.2}us",
        "started_suspended via darlingserver",
        rp50 as f64 / 1e3,
        rp99 as f64 / 1e3
    );
    let listed: Vec<String> = ratios.iter().map(|r| format!("{r:.2}")).collect();
    println!("  p50 ratio per round: {}", listed.join(" "));
    println!(
        "  p50 ratio: {ratio:.2}x the floor, median of the rounds (goal <= 1.30x: {}); p99 ratio {:.2}x",
        if ratio <= 1.3 { "met" } else { "NOT met" },
        rp99 as f64 / fp99 as f64
    );
    println!(
        "  throughput, calls/s (median of {THROUGHPUT_ROUNDS} alternating rounds of {THROUGHPUT_MS} ms; ratio: median of the rounds' ratios):"
    );
    println!("  {:>8} {:>12} {:>12} {:>7}", "threads", "floor", "server", "ratio");
    for threads in [1, 2, 4, 8] {
        let args = vec!["throughput".to_string(), threads.to_string(), THROUGHPUT_MS.to_string()];
        let (mut floor_rates, mut rpc_rates, mut rate_ratios) = (vec![], vec![], vec![]);
        for _ in 0..THROUGHPUT_ROUNDS {
            let f = output_values(floor_cmd(&args))?["calls_per_sec"];
            let r = output_values(rpc_cmd(&args))?["calls_per_sec"];
            floor_rates.push(f);
            rpc_rates.push(r);
            rate_ratios.push(r as f64 / f as f64);
        }
        let (f, r) = (median(floor_rates), median(rpc_rates));
        println!("  {threads:>8} {f:>12} {r:>12} {:>6.2}x", median_f64(rate_ratios));
    }
    drop(running);
    Ok(())
}

fn start_and_wait(command: &mut Command, ready: &str) -> anyhow::Result<Child> {
    let mut child =
        command.stdin(Stdio::null()).stdout(Stdio::piped()).spawn().context("starting a server")?;
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("piped")).read_line(&mut line)?;
    if !line.starts_with(ready) {
        let _ = child.kill();
        bail!("server did not become ready: {line:?}");
    }
    Ok(child)
}

/// Runs a client and parses its `key=value` output.
fn output_values(mut command: Command) -> anyhow::Result<std::collections::HashMap<String, u64>> {
    let output = command.output().context("running a benchmark client")?;
    if !output.status.success() {
        bail!("benchmark client failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .filter_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            Some((k.to_string(), v.parse().ok()?))
        })
        .collect())
}

fn median(mut values: Vec<u64>) -> u64 {
    values.sort_unstable();
    values[values.len() / 2]
}

fn median_f64(mut values: Vec<f64>) -> f64 {
    values.sort_unstable_by(f64::total_cmp);
    values[values.len() / 2]
}
