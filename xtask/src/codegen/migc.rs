//! The migc generator for `cargo xtask gen`: every interface in `defs/mach` to C.
//!
//! - user headers go to `runtime/generated/include/mach/<name>.h` (installed into the prefix's
//!   `usr/include/mach`), where `<name>` is the `.defs` file's stem, as XNU's build names them;
//! - user stubs, server stubs and server headers go to `runtime/generated/src/mig/`, as `<name>User.c`,
//!   `<name>Server.c` and `<name>Server.h`; the tests compile them (the shim will, once the runtime
//!   implements Mach IPC).
//!
//! Type-only files (`std_types.defs`, ...) declare no subsystem; they are inputs for `#include`, not
//! interfaces, and are skipped. Layouts are computed for x86_64, the prefix's target.

use std::path::Path;

use anyhow::{Context, bail};
use codegen::Generated;

/// Where the generated user headers go.
pub const INCLUDE_DIR: &str = "runtime/generated/include/mach";
/// Where the generated sources and server headers go.
pub const SOURCE_DIR: &str = "runtime/generated/src/mig";

/// Adds the C for every interface in `defs/mach` to `generated`.
pub fn generate(generated: &mut Generated) -> anyhow::Result<()> {
    let root = generated.root().to_path_buf();
    let defs = root.join("defs/mach");
    if !defs.is_dir() {
        return Ok(());
    }
    generated.own_dir(SOURCE_DIR, "c,h");
    let mut files: Vec<_> = std::fs::read_dir(&defs)
        .with_context(|| format!("reading {}", defs.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "defs"))
        .collect();
    files.sort();
    let mut failures = Vec::new();
    for path in files {
        let stem = path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        let rel = path.strip_prefix(&root).unwrap_or(&path).display().to_string();
        let mut options = migc::Options::new(&path);
        options.include_dirs = vec![root.join("defs"), root.join("defs/include")];
        options.source_label = Some(rel.clone());
        options.user_header_include = Some(format!("mach/{stem}.h"));
        match migc::compile(&options) {
            Ok(out) => {
                generated.file(Path::new(INCLUDE_DIR).join(format!("{stem}.h")), &out.header)?;
                generated.file(Path::new(SOURCE_DIR).join(format!("{stem}User.c")), &out.user)?;
                generated.file(Path::new(SOURCE_DIR).join(format!("{stem}Server.c")), &out.server)?;
                generated.file(Path::new(SOURCE_DIR).join(format!("{stem}Server.h")), &out.server_header)?;
            }
            Err(e) if is_type_only(&e) => {}
            Err(e) => failures.push(e.render().replace(&format!("{}/", root.display()), "")),
        }
    }
    if !failures.is_empty() {
        bail!("migc failed on defs/mach:\n{}", failures.join("\n"));
    }
    Ok(())
}

/// Whether the only error is the missing `subsystem` of a file meant to be included.
fn is_type_only(error: &migc::Error) -> bool {
    error.diagnostics.items.len() == 1 && error.diagnostics.items[0].message == "no `subsystem` declaration"
}
