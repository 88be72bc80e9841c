//! cargo-fuzz target: any bytes, preprocessed as a `.defs` file, must give output or diagnostics, never
//! a panic, a hang or a stack overflow; every output byte must map back into a file.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut sources = codegen::Sources::new();
    if let Ok(output) = migc_cpp::preprocess_str("fuzz.defs", &text, &migc_cpp::Options::new(), &mut sources) {
        for offset in 0..output.text.len() {
            let span = output.map.locate(offset).expect("every output byte is mapped");
            assert!(span.end <= sources.text(span.file).len() + 1);
        }
    }
});
