//! The `syscall-tables` command: compiles `.master` files into C and Rust, for use outside the workspace
//! (inside it, `cargo xtask gen` calls the library directly).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use syscall_tables::{Dest, Master, Options, TableKind, compile};

/// Compile XNU-format system call tables into sys/syscall.h, argument structures, entry tables and Rust.
#[derive(Debug, Parser)]
#[command(name = "syscall-tables", version, about)]
struct Cli {
    /// The BSD system call master (syscalls.master).
    #[arg(long)]
    bsd: Option<PathBuf>,
    /// The Mach trap master (mach_traps.master).
    #[arg(long)]
    mach_traps: Option<PathBuf>,
    /// The machine-dependent call master (machdep.master).
    #[arg(long)]
    machdep: Option<PathBuf>,
    /// Where to write the C outputs (`include/...` and `src/syscalls/...` below it).
    #[arg(long, default_value = ".")]
    c_out: PathBuf,
    /// Where to write the Rust outputs (`generated/...` below it).
    #[arg(long, default_value = ".")]
    rust_out: PathBuf,
    /// Only check the masters; write nothing.
    #[arg(long)]
    check: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut masters = Vec::new();
    for (kind, path) in [
        (TableKind::Bsd, &cli.bsd),
        (TableKind::MachTraps, &cli.mach_traps),
        (TableKind::Machdep, &cli.machdep),
    ] {
        let Some(path) = path else { continue };
        match std::fs::read_to_string(path) {
            Ok(text) => masters.push(Master::new(kind, path.display().to_string(), text)),
            Err(e) => {
                eprintln!("error: cannot read `{}`: {e}", path.display());
                return ExitCode::FAILURE;
            }
        }
    }
    if masters.is_empty() {
        eprintln!("error: no master given; pass --bsd, --mach-traps and/or --machdep");
        return ExitCode::FAILURE;
    }
    let compiled = match compile(&Options::new(masters)) {
        Ok(compiled) => compiled,
        Err(failure) => {
            eprintln!("{failure}");
            return ExitCode::FAILURE;
        }
    };
    if !compiled.warnings.is_empty() {
        eprint!("{}", compiled.warnings);
    }
    if cli.check {
        return ExitCode::SUCCESS;
    }
    for output in &compiled.outputs {
        let root = match output.dest {
            Dest::C => &cli.c_out,
            Dest::Rust => &cli.rust_out,
        };
        let path = root.join(&output.path);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, &output.contents));
        if let Err(e) = written {
            eprintln!("error: cannot write `{}`: {e}", path.display());
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
