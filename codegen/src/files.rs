//! Writing generated files only when they change, and checking them for freshness.
//!
//! `cargo xtask gen` runs every generator in [`GenMode::Write`]; `cargo xtask gen --check` and the
//! freshness `#[test]` run them in [`GenMode::Check`]. Both go through [`Generated`], so the two can never
//! disagree about what "fresh" means. Unchanged files are not rewritten, so their mtimes stay put and
//! builds that depend on them do not cascade (prost's `write_file_if_changed`).

use std::collections::BTreeSet;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Whether a generation run writes files or only compares them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GenMode {
    /// Write every file whose content differs, and remove orphans in owned directories.
    Write,
    /// Write nothing; report every file that would change.
    Check,
}

/// What a check found wrong with one path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Staleness {
    /// The file does not exist yet.
    Missing,
    /// The file exists with other content.
    Differs,
    /// The file sits in a directory owned by a generator, but no generator produces it any more.
    Orphan,
}

/// A set of generated files, written or checked against the tree rooted at `root`.
#[derive(Debug)]
pub struct Generated {
    root: PathBuf,
    mode: GenMode,
    seen: BTreeSet<PathBuf>,
    owned_dirs: Vec<(PathBuf, String)>,
    written: Vec<PathBuf>,
    stale: Vec<(PathBuf, Staleness)>,
}

impl Generated {
    /// Starts a run against the workspace at `root`; paths given later are relative to it.
    pub fn new(root: impl Into<PathBuf>, mode: GenMode) -> Self {
        Generated {
            root: root.into(),
            mode,
            seen: BTreeSet::new(),
            owned_dirs: Vec::new(),
            written: Vec::new(),
            stale: Vec::new(),
        }
    }

    /// The mode this run was started in.
    pub fn mode(&self) -> GenMode {
        self.mode
    }

    /// The workspace root this run works in.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Every path produced so far in this run, relative to the root.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.seen.iter().map(PathBuf::as_path)
    }

    /// Declares that every file with extension in `extensions` (comma-separated, e.g. `"c,h"`) under
    /// `dir` (relative) is produced by a generator, so that a file nobody produces any more is reported
    /// (check) or deleted (write) when [`Generated::finish`] runs.
    pub fn own_dir(&mut self, dir: impl AsRef<Path>, extensions: &str) {
        self.owned_dirs.push((dir.as_ref().to_path_buf(), extensions.to_string()));
    }

    /// Writes (or checks) `contents` at `path`, relative to the root.
    pub fn file(&mut self, path: impl AsRef<Path>, contents: &str) -> io::Result<()> {
        let rel = path.as_ref().to_path_buf();
        let full = self.root.join(&rel);
        self.seen.insert(rel.clone());
        let current = match fs::read(&full) {
            Ok(bytes) => Some(bytes),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(io::Error::new(e.kind(), format!("reading {}: {e}", full.display()))),
        };
        if current.as_deref() == Some(contents.as_bytes()) {
            return Ok(());
        }
        match self.mode {
            GenMode::Check => {
                let why = if current.is_none() { Staleness::Missing } else { Staleness::Differs };
                self.stale.push((rel, why));
            }
            GenMode::Write => {
                if let Some(parent) = full.parent() {
                    fs::create_dir_all(parent)?;
                }
                fs::write(&full, contents)
                    .map_err(|e| io::Error::new(e.kind(), format!("writing {}: {e}", full.display())))?;
                self.written.push(rel);
            }
        }
        Ok(())
    }

    /// Finishes the run: deals with orphans, then returns what was written, or an error listing every
    /// stale path in check mode.
    pub fn finish(mut self) -> Result<Vec<PathBuf>, StaleError> {
        let owned = std::mem::take(&mut self.owned_dirs);
        for (dir, extensions) in &owned {
            let exts: Vec<&str> = extensions.split(',').map(str::trim).collect();
            let mut found = Vec::new();
            collect_files(&self.root, dir, &mut found);
            for rel in found {
                let matches = rel.extension().and_then(|e| e.to_str()).is_some_and(|e| exts.contains(&e));
                if !matches || self.seen.contains(&rel) {
                    continue;
                }
                match self.mode {
                    GenMode::Check => self.stale.push((rel, Staleness::Orphan)),
                    GenMode::Write => {
                        // A failure to delete an orphan must not hide the rest of the run; the next
                        // check reports it again.
                        let _ = fs::remove_file(self.root.join(&rel));
                    }
                }
            }
        }
        if self.stale.is_empty() {
            Ok(self.written)
        } else {
            self.stale.sort();
            Err(StaleError { stale: self.stale })
        }
    }
}

fn collect_files(root: &Path, rel: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(root.join(rel)) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let child = rel.join(entry.file_name());
        match entry.file_type() {
            Ok(t) if t.is_dir() => collect_files(root, &child, out),
            Ok(t) if t.is_file() => out.push(child),
            _ => {}
        }
    }
}

/// Generated files that are not what the generators produce today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleError {
    /// Every stale path, relative to the root, with what is wrong with it.
    pub stale: Vec<(PathBuf, Staleness)>,
}

impl fmt::Display for StaleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} generated file(s) are stale:", self.stale.len())?;
        for (path, why) in &self.stale {
            let why = match why {
                Staleness::Missing => "missing",
                Staleness::Differs => "out of date",
                Staleness::Orphan => "no longer generated",
            };
            writeln!(f, "  {} ({why})", path.display())?;
        }
        write!(f, "run `cargo xtask gen` to update them, then review and commit the diff")
    }
}

impl std::error::Error for StaleError {}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scratch tree, removed when the guard drops.
    fn scratch(name: &str) -> tempfile::TempDir {
        tempfile::Builder::new().prefix(&format!("codegen-files-{name}-")).tempdir().unwrap()
    }

    #[test]
    fn check_reports_missing_differs_and_orphans() {
        let scratch = scratch("check");
        let root = scratch.path();
        fs::create_dir_all(root.join("gen")).unwrap();
        fs::write(root.join("gen/a.c"), "old").unwrap();
        fs::write(root.join("gen/orphan.c"), "x").unwrap();
        fs::write(root.join("gen/notes.txt"), "not owned by extension").unwrap();
        let mut g = Generated::new(root, GenMode::Check);
        g.own_dir("gen", "c,h");
        g.file("gen/a.c", "new").unwrap();
        g.file("gen/b.h", "new").unwrap();
        let err = g.finish().unwrap_err();
        assert_eq!(
            err.stale,
            vec![
                (PathBuf::from("gen/a.c"), Staleness::Differs),
                (PathBuf::from("gen/b.h"), Staleness::Missing),
                (PathBuf::from("gen/orphan.c"), Staleness::Orphan),
            ]
        );
        assert!(err.to_string().contains("cargo xtask gen"));
        // Check mode never touches the tree.
        assert_eq!(fs::read_to_string(root.join("gen/a.c")).unwrap(), "old");
    }

    #[test]
    fn write_only_touches_changed_files_then_check_is_clean() {
        let scratch = scratch("write");
        let root = scratch.path();
        let mut g = Generated::new(root, GenMode::Write);
        g.own_dir("gen", "c");
        g.file("gen/a.c", "one").unwrap();
        g.file("gen/b.c", "two").unwrap();
        assert_eq!(g.finish().unwrap().len(), 2);

        fs::write(root.join("gen/orphan.c"), "x").unwrap();
        let mut g = Generated::new(root, GenMode::Write);
        g.own_dir("gen", "c");
        g.file("gen/a.c", "one").unwrap();
        g.file("gen/b.c", "two!").unwrap();
        assert_eq!(g.finish().unwrap(), vec![PathBuf::from("gen/b.c")]);
        assert!(!root.join("gen/orphan.c").exists());

        let mut g = Generated::new(root, GenMode::Check);
        g.own_dir("gen", "c");
        g.file("gen/a.c", "one").unwrap();
        g.file("gen/b.c", "two!").unwrap();
        assert!(g.finish().is_ok());
    }
}
