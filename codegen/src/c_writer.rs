//! A small writer for C text that knows indentation, blocks, sections and includes.
//!
//! Emitters write the body with `line`, `begin_block` and `end_block`, and register the includes they
//! need as they go; [`CWriter::finish`] prints the preamble, then the includes, then the body. That keeps
//! the include list exactly as long as the output needs (cxx's `include.rs`).

use std::fmt::{self, Write};

/// C source text under construction.
#[derive(Debug, Default)]
pub struct CWriter {
    body: String,
    indent: usize,
    at_line_start: bool,
    pending_section: bool,
    includes: Vec<Include>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Include {
    System(String),
    Local(String),
}

impl CWriter {
    /// An empty writer.
    pub fn new() -> Self {
        CWriter { at_line_start: true, ..Default::default() }
    }

    /// Records `#include <header>`; each header is printed once, in first-use order.
    pub fn include_system(&mut self, header: &str) {
        let inc = Include::System(header.to_string());
        if !self.includes.contains(&inc) {
            self.includes.push(inc);
        }
    }

    /// Records `#include "header"`.
    pub fn include_local(&mut self, header: &str) {
        let inc = Include::Local(header.to_string());
        if !self.includes.contains(&inc) {
            self.includes.push(inc);
        }
    }

    /// Writes one line at the current indentation. An empty string writes an empty line.
    pub fn line(&mut self, text: &str) {
        self.flush_section();
        if !text.is_empty() {
            self.write_indent();
            self.body.push_str(text);
        }
        self.body.push('\n');
        self.at_line_start = true;
    }

    /// Writes a line with no indentation, as preprocessor directives are written.
    pub fn directive(&mut self, text: &str) {
        self.flush_section();
        self.body.push_str(text);
        self.body.push('\n');
        self.at_line_start = true;
    }

    /// Writes `head {` and indents what follows.
    pub fn begin_block(&mut self, head: &str) {
        if head.is_empty() {
            self.line("{");
        } else {
            self.line(&format!("{head} {{"));
        }
        self.indent += 1;
    }

    /// Dedents and writes `}` followed by `tail` (`;`, `name;`, or nothing).
    pub fn end_block(&mut self, tail: &str) {
        self.indent = self.indent.saturating_sub(1);
        self.line(&format!("}}{tail}"));
    }

    /// Asks for a blank line before whatever comes next, once, however often it is called; nothing is
    /// written if nothing follows. Keeps sections apart without doubled blank lines.
    pub fn next_section(&mut self) {
        if !self.body.is_empty() {
            self.pending_section = true;
        }
    }

    /// Increases the indentation by one level.
    pub fn indent(&mut self) {
        self.indent += 1;
    }

    /// Decreases the indentation by one level.
    pub fn dedent(&mut self) {
        self.indent = self.indent.saturating_sub(1);
    }

    /// The body written so far (without preamble and includes).
    pub fn body(&self) -> &str {
        &self.body
    }

    /// The whole file: `preamble`, the recorded includes, a blank line, then the body.
    pub fn finish(self, preamble: &str) -> String {
        let mut out = String::with_capacity(preamble.len() + self.body.len() + 256);
        out.push_str(preamble);
        if !self.includes.is_empty() {
            out.push('\n');
            for inc in &self.includes {
                match inc {
                    Include::System(h) => out.push_str(&format!("#include <{h}>\n")),
                    Include::Local(h) => out.push_str(&format!("#include \"{h}\"\n")),
                }
            }
        }
        if !self.body.is_empty() {
            out.push('\n');
            out.push_str(&self.body);
        }
        out
    }

    fn flush_section(&mut self) {
        if self.pending_section {
            self.pending_section = false;
            if !self.body.ends_with("\n\n") {
                self.body.push('\n');
            }
        }
    }

    fn write_indent(&mut self) {
        for _ in 0..self.indent {
            self.body.push('\t');
        }
    }
}

impl Write for CWriter {
    /// Writes text that may span lines; every line start gets the current indentation.
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.flush_section();
        for piece in s.split_inclusive('\n') {
            if self.at_line_start && piece != "\n" {
                self.write_indent();
            }
            self.body.push_str(piece);
            self.at_line_start = piece.ends_with('\n');
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_sections_and_includes() {
        let mut w = CWriter::new();
        w.include_system("mach/message.h");
        w.begin_block("typedef struct");
        w.line("mach_msg_header_t Head;");
        w.end_block(" __Request__x_t;");
        w.next_section();
        w.next_section();
        w.include_system("mach/message.h");
        w.include_local("x.h");
        w.directive("#ifdef X");
        writeln!(w, "int a;\nint b;").unwrap();
        w.directive("#endif");
        let out = w.finish("/* p */\n");
        assert_eq!(
            out,
            "/* p */\n\n#include <mach/message.h>\n#include \"x.h\"\n\ntypedef struct {\n\tmach_msg_header_t Head;\n} __Request__x_t;\n\n#ifdef X\nint a;\nint b;\n#endif\n"
        );
    }
}
