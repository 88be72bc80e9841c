//! `cargo xtask tidy`, also run as a `#[test]`: cheap checks that keep the repository's conventions true.
//!
//! - every Rust file opens with a `//!` line saying what it is for;
//! - no text file has trailing whitespace (generated ones included: generators must not emit it);
//! - the `@generated` marker heads exactly the files `cargo xtask gen` produces.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use codegen::GenMode;

/// Extensions whose files are text we own and check.
const TEXT_EXTENSIONS: &[&str] =
    &["rs", "toml", "md", "pest", "defs", "h", "c", "rpc", "master", "sh", "json", "yml", "yaml"];

pub fn run(root: &Path) -> anyhow::Result<()> {
    let problems = check(root)?;
    if problems.is_empty() {
        eprintln!("tidy: ok");
        Ok(())
    } else {
        bail!("tidy found {} problem(s):\n  {}", problems.len(), problems.join("\n  "))
    }
}

/// Returns every problem found, as `path: what` lines.
pub fn check(root: &Path) -> anyhow::Result<Vec<String>> {
    let files = tracked_files(root)?;
    let generated: BTreeSet<PathBuf> = match crate::codegen::generate(root, GenMode::Check) {
        Ok(paths) => paths.into_iter().collect(),
        // Staleness is the freshness test's business; tidy only needs the list of generated paths, and
        // a stale tree still has the right list. Any other failure is real.
        Err(e) if e.downcast_ref::<codegen::files::StaleError>().is_some() => generated_paths_lenient(root),
        Err(e) => return Err(e),
    };
    let mut problems = Vec::new();
    for rel in &files {
        let path = root.join(rel);
        let Some(ext) = rel.extension().and_then(|e| e.to_str()) else { continue };
        let in_snapshots = rel.starts_with("snapshots");
        if !TEXT_EXTENSIONS.contains(&ext) && ext != "snap" {
            continue;
        }
        let Ok(text) = fs::read_to_string(&path) else { continue };
        let shown = rel.display();
        if ext == "rs" && !text.starts_with("//!") {
            problems.push(format!("{shown}: does not open with a `//!` line saying what the file is for"));
        }
        let trailing = text.lines().position(|l| l.ends_with(' ') || l.ends_with('\t'));
        if let (false, Some(n)) = (in_snapshots || ext == "snap", trailing) {
            problems.push(format!("{shown}:{}: trailing whitespace", n + 1));
        }
        let head: String = text.lines().take(2).collect::<Vec<_>>().join("\n");
        let marked = head.contains(&format!("{} by ", codegen::preamble::GENERATED_MARKER));
        let is_generated = generated.contains(rel);
        if marked && !is_generated && ext != "snap" && !rel.starts_with("tests/data") {
            problems.push(format!("{shown}: carries `@generated` but no generator produces it"));
        }
        if is_generated && !marked {
            problems.push(format!("{shown}: is generated but lacks the `@generated` preamble"));
        }
    }
    Ok(problems)
}

fn generated_paths_lenient(root: &Path) -> BTreeSet<PathBuf> {
    let mut generated = codegen::Generated::new(root, GenMode::Check);
    for generator in crate::codegen::generators() {
        let _ = (generator.run)(&mut generated);
    }
    generated.paths().map(Path::to_path_buf).collect()
}

/// Files git tracks or would track (untracked but not ignored), so tidy sees new files before commit.
fn tracked_files(root: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let output = Command::new("git")
        .args(["ls-files", "--cached", "--others", "--exclude-standard", "-z"])
        .current_dir(root)
        .output()
        .context("running `git ls-files` (tidy needs git)")?;
    if !output.status.success() {
        bail!("`git ls-files` failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    Ok(output
        .stdout
        .split(|b| *b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| PathBuf::from(String::from_utf8_lossy(p).into_owned()))
        .filter(|p| root.join(p).is_file())
        .collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn tidy() {
        let problems = super::check(&crate::project_root()).expect("tidy could not run");
        assert!(problems.is_empty(), "tidy found problems:\n  {}", problems.join("\n  "));
    }
}
