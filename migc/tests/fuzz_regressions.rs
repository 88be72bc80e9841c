//! Inputs that `cargo xtask fuzz migc` (or reading the parser with the fuzzer's eyes) found crashing
//! or exhausting migc, each kept as a test: the answer must be a located diagnostic, never a stack
//! overflow, a panic, or memory that grows with the square of the input.

use codegen::source_map::Origin;
use codegen::{SourceMap, Sources, Span, Target};

/// Parses and checks `text` on a thread with the 8 MiB stack the `migc` binary's main thread has,
/// and returns every diagnostic in the short form `fuzz.defs:line:col: error: message`. Panics if it
/// is accepted or a diagnostic has no place.
fn errors(text: String) -> Vec<String> {
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let mut sources = Sources::new();
            let file = sources.add("fuzz.defs", text.clone());
            let mut map = SourceMap::new();
            map.push(0, Origin::Verbatim { file, start: 0 });
            let fallback = Span { file, start: 0, end: 0 };
            let diagnostics = match migc::parse::parse(&text, &map, fallback) {
                Err(d) => d,
                Ok(ast) => match migc::check::check(&ast, "fuzz.defs", Target::X86_64, fallback) {
                    Err(d) => d,
                    Ok(_) => panic!("accepted"),
                },
            };
            diagnostics
                .items
                .iter()
                .map(|d| {
                    assert!(d.primary.is_some(), "unlocated: {}", d.message);
                    d.render_short(&sources)
                })
                .collect()
        })
        .unwrap()
        .join()
        .unwrap()
}

#[test]
fn deeply_nested_types_are_an_error_not_a_stack_overflow() {
    // 300 pointers: the parser's recursion over the type overflowed a debug build's stack at a few
    // thousand; the bound is 256.
    let text = format!("subsystem x 1;\ntype u = {}MACH_MSG_TYPE_INTEGER_32;\n", "^".repeat(300));
    assert_eq!(errors(text), ["fuzz.defs:2:266: error: this type nests more than 256 levels deep"]);
    // The input that overflowed: past the bound, either it or pest's own stack guard answers.
    let text = format!("subsystem x 1;\ntype u = {}MACH_MSG_TYPE_INTEGER_32;\n", "^".repeat(3000));
    assert_eq!(errors(text).len(), 1);
    let text = format!("subsystem x 1;\ntype t = {}MACH_MSG_TYPE_INTEGER_32;\n", "array[1] of ".repeat(300));
    assert_eq!(errors(text), ["fuzz.defs:2:3082: error: this type nests more than 256 levels deep"]);
}

#[test]
fn deeply_nested_expressions_are_an_error_not_a_stack_overflow() {
    let text = format!("subsystem x {}1{};\n", "(".repeat(300), ")".repeat(300));
    assert_eq!(errors(text), ["fuzz.defs:1:98: error: this expression nests more than 256 levels deep"]);
    // A chain of operators nests the tree one level per operator: 20,000 of them overflowed the stack
    // where the checker evaluates it.
    let text = format!("subsystem x {};\n", vec!["1"; 20_000].join("+"));
    assert_eq!(errors(text), ["fuzz.defs:1:13: error: this expression nests more than 256 levels deep"]);
}

#[test]
fn a_chain_of_type_declarations_stops_at_the_nesting_bound() {
    // Each declaration copies the one before it, one level deeper: 3,000 of them took 1.5 GB.
    let mut text = String::from("subsystem x 1;\ntype t0 = MACH_MSG_TYPE_INTEGER_32;\n");
    for i in 1..3000 {
        text.push_str(&format!("type t{i} = array[1] of t{};\n", i - 1));
    }
    let errors = errors(text);
    assert_eq!(errors[0], "fuzz.defs:35:12: error: this type nests more than 32 arrays and structs");
    // The declarations after it name a type that does not exist.
    assert_eq!(errors[1], "fuzz.defs:36:24: error: unknown type `t33`");
}
