//! darling-tests: workspace-level integration tests (see `tests/`); the library only locates the
//! workspace and the shared test data, for these tests and, as a dev-dependency, for every crate's
//! integration tests (one rule for where `../shared` is and how a test says it skips).

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// `../shared` beside the workspace, when it is there (tests that need it skip otherwise).
pub fn shared_dir() -> Option<PathBuf> {
    let dir = workspace_root().join("../shared");
    dir.is_dir().then_some(dir)
}

/// `../shared`, when it holds `needs` (a path inside it); otherwise `None`, after printing why `test`
/// skips. CI always has it, so a skip there shows in the log.
pub fn shared_or_skip(test: &str, needs: &str) -> Option<PathBuf> {
    let dir = workspace_root().join("../shared");
    if dir.join(needs).exists() {
        Some(dir)
    } else {
        eprintln!(
            "skipping {test}: {} is absent (CI puts ../shared beside the checkout)",
            dir.join(needs).display()
        );
        None
    }
}
