//! What migc's integration tests share: finding `../shared`, the workspace root, and the Mach headers
//! the corpus needs (`mach/machine/thread_state.h` for `THREAD_STATE_MAX`).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub use darling_tests::workspace_root;

/// `<root>/../shared`, or `None` (with the reason printed) when it is absent.
pub fn shared_dir() -> Option<PathBuf> {
    darling_tests::shared_or_skip("migc's corpus tests", "corpus/xnu")
}

/// An include directory that provides `mach/machine/thread_state.h`.
pub struct Headers {
    path: PathBuf,
    temporary: bool,
}

impl Headers {
    /// The directory.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Headers {
    fn drop(&mut self) {
        if self.temporary {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// The project's `defs/include` once it has `thread_state.h`; until then a temporary directory with a
/// one-line header giving `THREAD_STATE_MAX` (1296 in this XNU version).
pub fn mach_headers() -> Headers {
    let project = workspace_root().join("defs/include");
    if project.join("mach/machine/thread_state.h").is_file() {
        return Headers { path: project, temporary: false };
    }
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!("migc-headers-{}-{n}", std::process::id()));
    std::fs::create_dir_all(path.join("mach/machine")).unwrap();
    std::fs::write(path.join("mach/machine/thread_state.h"), "#define THREAD_STATE_MAX (1296)\n").unwrap();
    Headers { path, temporary: true }
}

pub mod c_harness;

/// The test-only Mach headers and MIG types in `tests/data/mach-min`.
pub fn mach_min() -> (PathBuf, PathBuf) {
    let base = workspace_root().join("tests/data/mach-min");
    (base.join("defs"), base.join("include"))
}

/// Every `.defs` file directly in `dir`, sorted.
pub fn defs_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "defs"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Options for a fixture: the test types on the include path, the preamble naming it by its
/// workspace-relative path.
pub fn fixture_options(path: &Path) -> migc::Options {
    let (defs, _) = mach_min();
    let mut options = migc::Options::new(path);
    options.include_dirs = vec![defs];
    let root = workspace_root();
    options.source_label = Some(path.strip_prefix(&root).unwrap_or(path).display().to_string());
    options
}
