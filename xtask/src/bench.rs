//! `cargo xtask bench [NAME]`: the project's benchmarks, each reporting a ratio against a baseline
//! measured in the same run (these machines are shared and noisy, so absolute times mean little).
//!
//! Each benchmark is one function in its own module under `bench/`, registered in [`benches`]. Benchmarks
//! build in release mode and print a short report; they are never run by `cargo test`.

mod migc;
mod runtime;
mod syscalls;

use std::path::Path;

use anyhow::bail;

/// One benchmark: a name to select it by, what it measures, and the function that runs it.
pub struct Bench {
    pub name: &'static str,
    pub about: &'static str,
    pub run: fn(&Path) -> anyhow::Result<()>,
}

/// Every benchmark, in the order `cargo xtask bench` runs them.
pub fn benches() -> Vec<Bench> {
    vec![
        Bench {
            name: "migc",
            about: "the XNU corpus through migc (per file and all at once) against cc -E",
            run: migc::run,
        },
        Bench {
            name: "syscalls",
            about: "syscall-tables: generate from the three defs/syscalls masters, against awk and read+split",
            run: syscalls::run,
        },
        Bench {
            name: "runtime",
            about: "a no-argument RPC through the C wrapper, the shim and darlingserver vs a C datagram echo floor",
            run: runtime::run,
        },
    ]
}

pub fn run(root: &Path, name: Option<&str>) -> anyhow::Result<()> {
    let all = benches();
    let selected: Vec<&Bench> = all.iter().filter(|b| name.is_none_or(|n| b.name == n)).collect();
    if selected.is_empty() {
        let names: Vec<&str> = all.iter().map(|b| b.name).collect();
        bail!("no benchmark named `{}`; available: {}", name.unwrap_or(""), names.join(", "));
    }
    for bench in selected {
        eprintln!("==> bench {}: {}", bench.name, bench.about);
        (bench.run)(root)?;
    }
    Ok(())
}
