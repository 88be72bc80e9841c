//! cargo-fuzz target: any text, taken as preprocessed `.defs` (one file, mapped byte for byte), goes
//! through migc's parse, check and lowering for every target and then every emitter. It must give
//! output or located diagnostics, never a panic, a hang or a stack overflow.

#![no_main]

use codegen::source_map::Origin;
use codegen::{SourceMap, Sources, Span};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut sources = Sources::new();
    let file = sources.add("fuzz.defs", text.to_string());
    let mut map = SourceMap::new();
    map.push(0, Origin::Verbatim { file, start: 0 });
    migc_fuzz::compile_preprocessed(&text, &map, &sources, Span { file, start: 0, end: 0 });
});
