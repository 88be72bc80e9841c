//! Shared machinery for the darling-rs generators (migc, rpc-gen, syscall-tables) and for xtask.
//!
//! Nothing in here parses an input language: each generator owns its grammar. This crate only knows how
//! to lay out C types per target, how to write C and Rust text deterministically, how to render a
//! diagnostic, and how to write or check a generated file.

pub mod c_writer;
pub mod diagnostics;
pub mod files;
pub mod layout;
pub mod names;
pub mod preamble;
pub mod rust;
pub mod source_map;

pub use c_writer::CWriter;
pub use diagnostics::{Diagnostic, Diagnostics, FileId, Sources, Span};
pub use files::{GenMode, Generated};
pub use layout::{Layout, StructLayout, Target};
pub use names::Names;
pub use preamble::{CommentStyle, preamble};
pub use source_map::{Origin, SourceMap};
