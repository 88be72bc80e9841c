//! Stage 4: one module per output, each a total function from the model to text.
//!
//! - [`c_header`]: `darlingserver/rpc.h`, the public header (drop-in for darlingserver's);
//! - [`c_source`]: `rpc.c`, the client wrappers (drop-in, improved);
//! - [`rust_wire`], [`rust_server`], [`rust_client`], [`rust_ffi`]: the Rust modules that
//!   `darling-core` includes.

pub mod c_header;
pub mod c_source;
pub mod rust_client;
pub mod rust_ffi;
pub mod rust_server;
pub mod rust_wire;

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` attributes for documentation lines (each gets the leading space rustdoc
/// expects).
pub(crate) fn doc_attrs(lines: &[String]) -> TokenStream {
    let attrs = lines.iter().map(|l| {
        let text = if l.is_empty() { String::new() } else { format!(" {l}") };
        quote! { #[doc = #text] }
    });
    quote! { #(#attrs)* }
}

/// The call's documentation, or a line saying what it is when it has none.
pub(crate) fn call_doc(call: &crate::model::Call) -> Vec<String> {
    if call.doc.is_empty() { vec![format!("The `{}` call.", call.names.source)] } else { call.doc.clone() }
}

/// Documentation for a parameter: its own lines, plus the C type when that differs from the wire.
pub(crate) fn param_doc(p: &crate::model::Param) -> Vec<String> {
    let mut doc = p.doc.clone();
    if p.is_pointer() {
        if !doc.is_empty() {
            doc.push(String::new());
        }
        doc.push(format!("An address in the caller's memory (`{}` in C).", p.public_c()));
    }
    doc
}
