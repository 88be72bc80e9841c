//! A tiny `cc -E`-like driver for trying the preprocessor by hand:
//! `cargo run -p migc-cpp --example cpp -- [-I DIR] [-D NAME[=VALUE]] [-U NAME] FILE...`.
//!
//! Prints each file's output (or its rendered diagnostics), and with `--time` only the time taken to
//! preprocess all the files in this one process, repeated `--repeat N` times.

use std::path::PathBuf;
use std::time::Instant;

use migc_cpp::{MacroOption, Options, preprocess_file};

fn main() {
    let mut options = Options::new();
    let mut files = Vec::new();
    let mut time = false;
    let mut repeat = 1usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| -> String {
            match arg.strip_prefix(flag).filter(|v| !v.is_empty()) {
                Some(v) => v.to_string(),
                None => args.next().unwrap_or_default(),
            }
        };
        if arg.starts_with("-I") {
            options.include_dirs.push(PathBuf::from(value("-I")));
        } else if arg.starts_with("-D") {
            options.macros.push(MacroOption::parse_define(&value("-D")));
        } else if arg.starts_with("-U") {
            options.macros.push(MacroOption::Undefine(value("-U")));
        } else if arg == "--time" {
            time = true;
        } else if arg == "--repeat" {
            repeat = args.next().and_then(|n| n.parse().ok()).unwrap_or(1);
        } else {
            files.push(PathBuf::from(arg));
        }
    }
    let started = Instant::now();
    let mut failed = false;
    for _ in 0..repeat {
        let mut sources = codegen::Sources::new();
        for file in &files {
            match preprocess_file(file, &options, &mut sources) {
                Ok(output) if !time => {
                    eprint!("{}", output.warnings.render(&sources));
                    print!("{}", output.text);
                }
                Ok(_) => {}
                Err(diagnostics) => {
                    failed = true;
                    eprint!("{}", diagnostics.render(&sources));
                }
            }
        }
    }
    if time {
        let per_run = started.elapsed() / repeat as u32;
        eprintln!("{} files preprocessed in {per_run:?} per run ({repeat} runs)", files.len());
    }
    std::process::exit(i32::from(failed));
}
