//! The `migc` command line: a drop-in for Apple's `mig` (the flags Darling's `cmake/mig.cmake` and XNU's
//! build pass), plus `--list` and `--layout-json FILE`, and any number of input files.
//!
//! mig's flags are single-dash words (`-user F`, `-sheader F`, `-maxonstack N`) mixed with the C
//! preprocessor's glued ones (`-DNAME=V`, `-Idir`) and one-letter toggles (`-q`, `-Q`). clap cannot
//! express single-dash long options next to glued short ones without ambiguity, so this is a small
//! hand-written loop over the arguments instead.

use std::path::{Path, PathBuf};

use codegen::Target;

use crate::emit;
use crate::model::Module;
use crate::preprocess::{MacroOption, Preprocessor};
use crate::{Error, Options, usage_error};

/// The usage text for `-help`.
pub const USAGE: &str = "\
usage: migc [options] file.defs...

mig-compatible options:
  -user FILE       user stubs (default <subsystem>User.c)
  -header FILE     user header (default <subsystem>.h)
  -server FILE     server stubs (default <subsystem>Server.c)
  -sheader FILE    server header (default: none)
  -iheader FILE    internal header (default: none)
  -dheader FILE    definitions header (default: none)
                   a FILE of /dev/null suppresses that output
  -arch ARCH       x86_64 (default), i386 or arm64: the target of message layouts
  -target TRIPLE   accepted (the architecture comes from -arch)
  -DNAME[=V] -UNAME -IDIR   preprocessor options, in order
  -MD              write <file>.d, the files the outputs depend on
  -maxonstack N    accepted (stubs always keep messages on the stack)
  -split -novouchers -q -Q -v -V -k -K -s -S -l -L -r -R -t -T   accepted
  -i PREFIX        also write each user stub to PREFIX<routine>.c
  -cc CMD          preprocess with CMD -E instead of the built-in preprocessor
                   (also $MIGC_CPP)
  -version         print the version
migc additions:
  --list           print one line per routine: subsystem, base, kind, name, number, id, reply id
  --layout-json F  write the message layout of every subsystem to F (JSON)
";

/// A parsed command line.
#[derive(Debug, Clone, Default)]
pub struct Invocation {
    /// Compiler options shared by every input (the input path is set per file).
    pub options: Options,
    /// The `.defs` files.
    pub inputs: Vec<PathBuf>,
    /// `-user`.
    pub user: Option<PathBuf>,
    /// `-header`.
    pub header: Option<PathBuf>,
    /// `-server`.
    pub server: Option<PathBuf>,
    /// `-sheader`.
    pub server_header: Option<PathBuf>,
    /// `-iheader`.
    pub internal_header: Option<PathBuf>,
    /// `-dheader`.
    pub definitions_header: Option<PathBuf>,
    /// `-MD`.
    pub depfile: bool,
    /// `-q`: no warnings.
    pub quiet: bool,
    /// `-v`: say what was written.
    pub verbose: bool,
    /// `-i PREFIX`.
    pub user_file_prefix: Option<String>,
    /// `-maxonstack N`.
    pub max_on_stack: Option<u64>,
    /// `--list`.
    pub list: bool,
    /// `--layout-json FILE`.
    pub layout_json: Option<PathBuf>,
    /// `-version`.
    pub version: bool,
    /// `-help`.
    pub help: bool,
}

/// Parses mig's command line (without the program name).
pub fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Invocation, Error> {
    let mut inv = Invocation::default();
    let mut args = args.into_iter();
    let mut arch: Option<String> = None;
    while let Some(arg) = args.next() {
        let mut value =
            |flag: &str| args.next().ok_or_else(|| usage_error(format!("option `{flag}` needs a value")));
        match arg.as_str() {
            "-user" => inv.user = Some(value(&arg)?.into()),
            "-header" => inv.header = Some(value(&arg)?.into()),
            "-server" => inv.server = Some(value(&arg)?.into()),
            "-sheader" => inv.server_header = Some(value(&arg)?.into()),
            "-iheader" => inv.internal_header = Some(value(&arg)?.into()),
            "-dheader" => inv.definitions_header = Some(value(&arg)?.into()),
            "-arch" => arch = Some(value(&arg)?),
            "-target" | "-isysroot" | "-migcom" => {
                value(&arg)?;
            }
            "-maxonstack" => {
                let v = value(&arg)?;
                inv.max_on_stack =
                    Some(v.parse().map_err(|_| usage_error(format!("`-maxonstack {v}`: not a number")))?);
            }
            "-i" => inv.user_file_prefix = Some(value(&arg)?),
            "-cc" | "-cpp" => inv.options.preprocessor = Preprocessor::External(value(&arg)?),
            "-MD" => inv.depfile = true,
            "-q" => inv.quiet = true,
            "-Q" => inv.quiet = false,
            "-v" => inv.verbose = true,
            "-V" => inv.verbose = false,
            "-split" | "-novouchers" | "-k" | "-K" | "-s" | "-S" | "-l" | "-L" | "-r" | "-R" | "-t"
            | "-T" => {}
            "-version" | "--version" => inv.version = true,
            "-help" | "--help" | "-h" => inv.help = true,
            "--list" | "-list" => inv.list = true,
            "--layout-json" => inv.layout_json = Some(value(&arg)?.into()),
            "-D" => inv.options.macros.push(define(&value(&arg)?)),
            "-U" => inv.options.macros.push(MacroOption::Undefine(value(&arg)?)),
            "-I" => inv.options.include_dirs.push(value(&arg)?.into()),
            _ if arg.starts_with("-D") => inv.options.macros.push(define(&arg[2..])),
            _ if arg.starts_with("-U") => {
                inv.options.macros.push(MacroOption::Undefine(arg[2..].to_string()))
            }
            _ if arg.starts_with("-I") => inv.options.include_dirs.push(arg[2..].into()),
            // Preprocessor and compiler flags mig passes through to cc and that have no meaning here.
            _ if arg.starts_with("-F") || arg.starts_with("-W") || arg.starts_with("-std=") => {}
            _ if arg.starts_with('-') && arg.len() > 1 => {
                return Err(usage_error(format!("unknown option `{arg}`"))
                    .with_help("run `migc -help` for the options"));
            }
            _ => inv.inputs.push(arg.into()),
        }
    }
    if let Some(arch) = arch {
        inv.options.target = Target::from_name(&arch).ok_or_else(|| {
            usage_error(format!("unknown architecture `{arch}` given to `-arch`"))
                .with_help("the architectures are x86_64, i386 and arm64")
        })?;
    }
    if !inv.version && !inv.help && inv.inputs.is_empty() {
        return Err(usage_error("no input file").with_help("usage: migc [options] file.defs..."));
    }
    let explicit = [
        &inv.user,
        &inv.header,
        &inv.server,
        &inv.server_header,
        &inv.internal_header,
        &inv.definitions_header,
    ];
    if inv.inputs.len() > 1 && explicit.iter().any(|o| o.is_some()) {
        return Err(usage_error("output file names (-user, -header, ...) need a single input file"));
    }
    Ok(inv)
}

fn define(text: &str) -> MacroOption {
    match text.split_once('=') {
        Some((name, value)) => MacroOption::Define { name: name.to_string(), value: Some(value.to_string()) },
        None => MacroOption::Define { name: text.to_string(), value: None },
    }
}

impl Error {
    /// Adds a `help:` line to the first diagnostic.
    pub fn with_help(mut self, help: &str) -> Self {
        if let Some(d) = self.diagnostics.items.first_mut() {
            d.notes.push(format!("help: {help}"));
        }
        self
    }
}

/// What running the command line printed on standard output.
#[derive(Debug, Default)]
pub struct Report {
    /// Text for standard output (`--list`, `-version`, `-help`, `-v`).
    pub stdout: String,
    /// Warnings for standard error.
    pub stderr: String,
}

/// Runs a parsed command line: compiles every input and writes its outputs.
pub fn run(inv: &Invocation) -> Result<Report, Error> {
    let mut report = Report::default();
    if inv.help {
        report.stdout.push_str(USAGE);
        return Ok(report);
    }
    if inv.version {
        report
            .stdout
            .push_str(&format!("migc {} (mig-compatible, bootstrap_cmds-138)\n", env!("CARGO_PKG_VERSION")));
        return Ok(report);
    }
    let report_only = (inv.list || inv.layout_json.is_some())
        && [&inv.user, &inv.header, &inv.server, &inv.server_header].iter().all(|o| o.is_none());
    let mut modules: Vec<Module> = Vec::new();
    for input in &inv.inputs {
        let mut options = inv.options.clone();
        options.input = input.clone();
        if report_only {
            let (module, _) = crate::compile_model(&options)?;
            modules.push(module);
            continue;
        }
        let name_hint = header_include_name(inv);
        if let Some(h) = name_hint {
            options.user_header_include = Some(h);
        }
        let output = crate::compile(&options)?;
        if !inv.quiet && !output.warnings.items.is_empty() {
            report.stderr.push_str(&output.warnings.render(&output.sources));
        }
        let name = output.module.subsystem.name.clone();
        let mut written = Vec::new();
        let mut write = |given: &Option<PathBuf>, default: Option<String>, text: &str| -> Result<(), Error> {
            let path = match (given, default) {
                (Some(p), _) => p.clone(),
                (None, Some(d)) => PathBuf::from(d),
                (None, None) => return Ok(()),
            };
            if path == Path::new("/dev/null") {
                return Ok(());
            }
            write_file(&path, text)?;
            written.push(path);
            Ok(())
        };
        write(&inv.user, Some(format!("{name}User.c")), &output.user)?;
        write(&inv.header, Some(format!("{name}.h")), &output.header)?;
        write(&inv.server, Some(format!("{name}Server.c")), &output.server)?;
        write(&inv.server_header, None, &output.server_header)?;
        let names = emit::FileNames::for_module(&output.module, &options);
        write(&inv.internal_header, None, &emit::c_internal_header::emit(&output.module, &names))?;
        write(&inv.definitions_header, None, &emit::c_definitions_header::emit(&output.module, &names))?;
        if let Some(prefix) = &inv.user_file_prefix {
            for routine in output.module.real_routines() {
                let text = emit::c_user::emit_one(&output.module, &names, &routine.name);
                let path = PathBuf::from(format!("{prefix}{}.c", routine.name));
                write_file(&path, &text)?;
                written.push(path);
            }
        }
        if inv.depfile {
            let stem =
                input.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| name.clone());
            let targets: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
            let deps: Vec<String> = output.dependencies.iter().map(|p| p.display().to_string()).collect();
            let text = format!("{}: \\\n  {}\n", targets.join(" "), deps.join(" \\\n  "));
            write_file(Path::new(&format!("{stem}.d")), &text)?;
        }
        if inv.verbose {
            for p in &written {
                report.stdout.push_str(&format!("wrote {}\n", p.display()));
            }
        }
        modules.push(output.module);
    }
    if inv.list {
        for m in &modules {
            report.stdout.push_str(&emit::listing::emit(m));
        }
    }
    if let Some(path) = &inv.layout_json {
        let refs: Vec<&Module> = modules.iter().collect();
        write_file(path, &emit::layout_json::emit(&refs))?;
    }
    Ok(report)
}

/// How the user source should include the user header: the header's file name when `-header` is given.
fn header_include_name(inv: &Invocation) -> Option<String> {
    let header = inv.header.as_ref()?;
    if header == Path::new("/dev/null") {
        return None;
    }
    header.file_name().map(|n| n.to_string_lossy().into_owned())
}

fn write_file(path: &Path, text: &str) -> Result<(), Error> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| usage_error(format!("cannot create `{}`: {e}", parent.display())))?;
    }
    std::fs::write(path, text).map_err(|e| usage_error(format!("cannot write `{}`: {e}", path.display())))
}

/// Parses and runs; what the binary calls.
pub fn main(args: impl IntoIterator<Item = String>) -> Result<Report, Error> {
    let inv = parse_args(args)?;
    run(&inv)
}
