//! Criterion benchmark: preprocessing every `.defs` of the XNU corpus (`../shared/corpus/xnu`) in one
//! process, against two baselines measured in the same run: only reading those files, and `cc -E` over
//! them (one process per file, as Apple's mig pipeline runs it).
//!
//! Run with `cargo bench -p migc-cpp`; prints a skip reason when `../shared` is absent.

use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use migc_cpp::{Options, preprocess_file};

fn corpus() -> Option<(Vec<PathBuf>, Options, tempdir::Dir)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let xnu = root.join("../shared/corpus/xnu");
    if !xnu.is_dir() {
        eprintln!("skipping: {} is absent", xnu.display());
        return None;
    }
    let mut files = Vec::new();
    collect(&xnu, &mut files);
    files.sort();
    let headers = tempdir::Dir::new();
    let options = Options::new()
        .include_dir(xnu.join("osfmk"))
        .include_dir(headers.path())
        .define("__MACH30__", None)
        .define("__LP64__", None);
    Some((files, options, headers))
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "defs") {
            out.push(path);
        }
    }
}

/// A scratch include directory holding `mach/machine/thread_state.h`, removed on drop.
mod tempdir {
    use std::path::{Path, PathBuf};

    pub struct Dir(PathBuf);

    impl Dir {
        pub fn new() -> Self {
            let dir = std::env::temp_dir().join(format!("migc-cpp-bench-{}", std::process::id()));
            std::fs::create_dir_all(dir.join("mach/machine")).expect("temp dir");
            std::fs::write(dir.join("mach/machine/thread_state.h"), "#define THREAD_STATE_MAX 1296\n")
                .expect("thread_state.h");
            Dir(dir)
        }

        pub fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

fn bench(c: &mut Criterion) {
    let Some((files, options, _headers)) = corpus() else { return };
    c.bench_function("baseline: read every corpus file", |b| {
        b.iter(|| files.iter().map(|f| std::fs::read(f).map_or(0, |t| t.len())).sum::<usize>())
    });
    if std::process::Command::new("cc").arg("--version").output().is_ok_and(|o| o.status.success()) {
        let mut group = c.benchmark_group("baseline");
        group.sample_size(10);
        group.bench_function("cc -E over the corpus", |b| {
            b.iter(|| {
                for f in &files {
                    let mut cmd = std::process::Command::new("cc");
                    cmd.args(["-E", "-x", "c", "-D__MACH30__"]);
                    for dir in &options.include_dirs {
                        cmd.arg("-I").arg(dir);
                    }
                    let _ = cmd.arg(f).output();
                }
            })
        });
        group.finish();
    }
    c.bench_function("preprocess the corpus", |b| {
        b.iter(|| {
            let mut sources = codegen::Sources::new();
            files
                .iter()
                .filter_map(|f| preprocess_file(f, &options, &mut sources).ok())
                .map(|o| o.text.len())
                .sum::<usize>()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
