//! The parser and checker never panic, whatever the input: thousands of random mutations of real
//! masters and fixtures, and random text, go through the whole pipeline (outputs included when the
//! input happens to be valid), and every failure must come back as diagnostics that render.
//!
//! Reproducible: the seed is fixed unless `SYSCALL_TABLES_FUZZ_SEED` is set; `SYSCALL_TABLES_FUZZ_ITERATIONS`
//! runs more (or fewer) cases.

mod common;

use std::panic::{AssertUnwindSafe, catch_unwind};

use syscall_tables::{Master, Options, TableKind, compile};

/// Characters that matter to the grammar, and a few that do not.
const ALPHABET: &[u8] = b"{}();,#*\\\n\t 0123456789_azAZ!&|/<>\"defiknstuvxALNHPTW\r";

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// The seeds the mutations start from: the head of each real master and every fixture.
fn seeds() -> Vec<(TableKind, String)> {
    let mut seeds = Vec::new();
    for kind in TableKind::ALL {
        let text =
            std::fs::read_to_string(common::root().join("defs/syscalls").join(kind.master_file_name()))
                .unwrap();
        // The first hundred lines hold every construct; a shorter input keeps each case fast.
        let head: String = text.lines().take(100).map(|l| format!("{l}\n")).collect();
        seeds.push((kind, head));
    }
    for dir in ["ok", "err"] {
        let dir = common::root().join("syscall-tables/tests/data").join(dir);
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap().to_string();
            let kind = if name.starts_with("machdep_") {
                TableKind::Machdep
            } else if name.starts_with("mach_") {
                TableKind::MachTraps
            } else {
                TableKind::Bsd
            };
            seeds.push((kind, std::fs::read_to_string(&path).unwrap()));
        }
    }
    seeds
}

fn random_text(rng: &mut fastrand::Rng, len: usize) -> String {
    (0..len).map(|_| ALPHABET[rng.usize(..ALPHABET.len())] as char).collect()
}

/// One random edit of `text`: delete, insert, replace a span, or duplicate, drop or swap lines.
fn mutate(rng: &mut fastrand::Rng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    match rng.u8(..6) {
        0 if !chars.is_empty() => {
            let at = rng.usize(..chars.len());
            let len = rng.usize(1..=8).min(chars.len() - at);
            chars.drain(at..at + len);
        }
        1 => {
            let at = rng.usize(..=chars.len());
            let len = rng.usize(1..8);
            let insert: Vec<char> = random_text(rng, len).chars().collect();
            chars.splice(at..at, insert);
        }
        2 if !chars.is_empty() => {
            let at = rng.usize(..chars.len());
            chars[at] = ALPHABET[rng.usize(..ALPHABET.len())] as char;
        }
        3..=5 => {
            let mut lines: Vec<&str> = text.lines().collect();
            if lines.is_empty() {
                return text.to_string();
            }
            let a = rng.usize(..lines.len());
            let b = rng.usize(..lines.len());
            match rng.u8(..3) {
                0 => lines.insert(b, lines[a]),
                1 => {
                    lines.remove(a);
                }
                _ => lines.swap(a, b),
            }
            return lines.join("\n");
        }
        _ => {}
    }
    chars.into_iter().collect()
}

#[test]
fn no_input_makes_the_pipeline_panic() {
    let seed = env_number("SYSCALL_TABLES_FUZZ_SEED", 0x5eed_0004);
    let iterations = env_number("SYSCALL_TABLES_FUZZ_ITERATIONS", 2000);
    let mut rng = fastrand::Rng::with_seed(seed);
    let seeds = seeds();
    let (mut accepted, mut rejected) = (0, 0);
    for case in 0..iterations {
        let (kind, text) = if rng.u8(..10) == 0 {
            let len = rng.usize(0..200);
            (TableKind::ALL[rng.usize(..3)], random_text(&mut rng, len))
        } else {
            let (kind, seed_text) = &seeds[rng.usize(..seeds.len())];
            let mut text = seed_text.clone();
            for _ in 0..rng.usize(1..6) {
                text = mutate(&mut rng, &text);
            }
            (*kind, text)
        };
        let options = Options::new(vec![Master::new(kind, "fuzz.master", text.clone())]);
        let result = catch_unwind(AssertUnwindSafe(|| match compile(&options) {
            Ok(compiled) => {
                assert!(!compiled.outputs.is_empty());
                true
            }
            Err(failure) => {
                if let Some(problem) = failure.diagnostics.placement_problem(&failure.sources, true) {
                    panic!("{problem}");
                }
                let rendered = failure.to_string();
                assert!(rendered.contains("error"), "a failure without an error: {rendered}");
                false
            }
        }));
        match result {
            Ok(true) => accepted += 1,
            Ok(false) => rejected += 1,
            Err(_) => panic!("case {case} (seed {seed:#x}, {kind:?}) panicked on this input:\n{text}"),
        }
    }
    println!(
        "{iterations} random inputs: {accepted} compiled, {rejected} rejected with diagnostics, no panic"
    );
    assert!(accepted > 0 && rejected > 0, "the mutations should produce both valid and invalid masters");
}
