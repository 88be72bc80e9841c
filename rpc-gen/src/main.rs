//! The `rpc-gen` command: compiles one `.rpc` file into the C header and source and the Rust
//! modules, for builds outside this workspace (inside it, `cargo xtask gen` calls the library).

use std::fs;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// Generates darlingserver's RPC wrappers (C) and server side (Rust) from an `.rpc` file.
#[derive(Debug, Parser)]
#[command(name = "rpc-gen", version)]
struct Args {
    /// The `.rpc` file.
    input: PathBuf,
    /// Where to write the public header (`darlingserver/rpc.h`).
    #[arg(long)]
    header: Option<PathBuf>,
    /// Where to write the C wrappers (`rpc.c`).
    #[arg(long)]
    source: Option<PathBuf>,
    /// The include line `rpc.c` uses for the header.
    #[arg(long, default_value = "<darlingserver/rpc.h>")]
    include: String,
    /// A directory for the Rust modules (`wire.rs`, `server.rs`, `client.rs`, `ffi.rs`).
    #[arg(long)]
    rust_dir: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprint!("{e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> anyhow::Result<()> {
    let text = fs::read_to_string(&args.input)
        .map_err(|e| anyhow::anyhow!("reading {}: {e}\n", args.input.display()))?;
    let options = rpc_gen::Options::new(args.input.display().to_string(), text).with_c_include(&args.include);
    let output = rpc_gen::compile(&options).map_err(|f| anyhow::anyhow!("{f}"))?;
    eprint!("{}", output.warnings);
    let write = |path: &PathBuf, text: &str| {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::write(path, text).map_err(|e| anyhow::anyhow!("writing {}: {e}\n", path.display()))
    };
    if let Some(p) = &args.header {
        write(p, &output.c_header)?;
    }
    if let Some(p) = &args.source {
        write(p, &output.c_source)?;
    }
    if let Some(dir) = &args.rust_dir {
        for (_, name, text) in output.files().into_iter().skip(2) {
            write(&dir.join(name), text)?;
        }
    }
    Ok(())
}
