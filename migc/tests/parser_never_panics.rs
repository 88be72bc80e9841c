//! Random inputs never make the parser, the checker or the emitters panic: mutations of the fixtures and of a
//! corpus-like text (bytes deleted, duplicated, swapped, replaced by MIG punctuation and keywords) go
//! through `parse` and `check`, which must return a value (a model or diagnostics), never unwind.
//! A deterministic generator keeps failures reproducible; real fuzzing comes later.

mod support;

use codegen::source_map::Origin;
use codegen::{SourceMap, Sources, Span, Target};

/// xorshift64*: small, deterministic, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const PIECES: &[&str] = &[
    ";",
    "(",
    ")",
    "[",
    "]",
    "*",
    ":",
    "=",
    "^",
    "|",
    ",",
    "+",
    "-",
    "/",
    "0",
    "4294967296",
    "99999999999999999999",
    "routine",
    "simpleroutine",
    "type",
    "array",
    "of",
    "struct",
    "c_string",
    "in",
    "out",
    "inout",
    "subsystem",
    "skip",
    "polymorphic",
    "MACH_MSG_TYPE_INTEGER_32",
    "MACH_MSG_TYPE_MOVE_SEND",
    "CountInOut",
    "SameCount",
    "Dealloc[]",
    "ctype:",
    "intran:",
    "/*",
    "*/",
    "\"",
    "<",
    ">",
    "\u{e9}",
    "\0",
    "\n",
];

fn check_text(text: &str) {
    let mut sources = Sources::new();
    let file = sources.add("fuzz.defs", text.to_string());
    let mut map = SourceMap::new();
    map.push(0, Origin::Verbatim { file, start: 0 });
    let fallback = Span { file, start: 0, end: 0 };
    if let Ok(ast) = migc::parse::parse(text, &map, fallback) {
        for target in Target::ALL {
            // Emitters cannot fail: whatever the checker accepts, they turn into text.
            if let Ok(module) = migc::check::check(&ast, "fuzz.defs", target, fallback) {
                let names = migc::emit::FileNames::defaults(&module);
                let _ = migc::emit::c_user::emit(&module, &names);
                let _ = migc::emit::c_server::emit(&module, &names);
                let _ = migc::emit::c_header::emit(&module, &names);
                let _ = migc::emit::c_server_header::emit(&module, &names);
            }
        }
    } else if let Err(diagnostics) = migc::parse::parse(text, &map, fallback) {
        // Every error points inside the input and renders with its place.
        if let Some(problem) = diagnostics.placement_problem(&sources, false) {
            panic!("{problem}");
        }
    }
}

fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut bytes: Vec<char> = text.chars().collect();
    for _ in 0..=rng.below(6) {
        if bytes.is_empty() {
            break;
        }
        let at = rng.below(bytes.len());
        match rng.below(4) {
            0 => {
                let len = rng.below(12).min(bytes.len() - at);
                bytes.drain(at..at + len);
            }
            1 => {
                let piece = PIECES[rng.below(PIECES.len())];
                for (i, c) in piece.chars().enumerate() {
                    bytes.insert((at + i).min(bytes.len()), c);
                }
            }
            2 => {
                let other = rng.below(bytes.len());
                bytes.swap(at, other);
            }
            _ => {
                let len = rng.below(20).min(bytes.len() - at);
                let copy: Vec<char> = bytes[at..at + len].to_vec();
                for (i, c) in copy.into_iter().enumerate() {
                    bytes.insert(at + i, c);
                }
            }
        }
    }
    bytes.into_iter().collect()
}

#[test]
fn mutated_inputs_never_panic() {
    let root = support::workspace_root();
    let mut seeds: Vec<String> = Vec::new();
    for dir in ["tests/data/ok", "tests/data/err", "tests/data/mach-min/defs"] {
        for path in support::defs_in(&root.join(dir)) {
            // The fixtures' `#include` lines mean nothing to the parser; keep the MIG text.
            let text = std::fs::read_to_string(&path).unwrap();
            seeds.push(text.lines().filter(|l| !l.starts_with('#')).collect::<Vec<_>>().join("\n"));
        }
    }
    let types = std::fs::read_to_string(root.join("tests/data/mach-min/defs/test_types.defs")).unwrap();
    let types: String = types.lines().filter(|l| !l.starts_with('#')).collect::<Vec<_>>().join("\n");
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut runs = 0;
    for seed in &seeds {
        check_text(seed);
        for _ in 0..25 {
            let mutated = mutate(&mut rng, &format!("{types}\n{seed}"));
            check_text(&mutated);
            runs += 1;
        }
    }
    for _ in 0..200 {
        let len = rng.below(40);
        let text: String = (0..len).map(|_| PIECES[rng.below(PIECES.len())]).collect::<Vec<_>>().join(" ");
        check_text(&text);
        runs += 1;
    }
    println!("{runs} random inputs parsed and checked without a panic");
}
