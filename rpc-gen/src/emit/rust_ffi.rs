//! `ffi.rs`: the prototypes of the generated C wrappers, for Rust code linked with `rpc.c` (the
//! shim, and the loopback tests).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{call_doc, doc_attrs};
use crate::model::{CType, Interface, Param, ParamKind};

/// The module's items.
pub fn emit(model: &Interface) -> TokenStream {
    let fns = model.calls.iter().map(|c| {
        let explicit = format_ident!("dserver_rpc_explicit_{}", c.names.c);
        let implicit = format_ident!("dserver_rpc_{}", c.names.c);
        let doc = doc_attrs(&call_doc(c));
        let params: Vec<TokenStream> = c
            .params
            .iter()
            .map(|p| {
                let id = codegen::rust::ident(&p.names.rust);
                let ty = public_type(p);
                quote! { #id: #ty }
            })
            .chain(c.returns.iter().map(|p| {
                let id = format_ident!("out_{}", codegen::names::rust_ident_name(&p.names.rust));
                let ty = public_type(p);
                quote! { #id: *mut #ty }
            }))
            .collect();
        quote! {
            #doc
            pub fn #explicit(server_socket: c_int, #(#params),*) -> c_int;
            #doc
            pub fn #implicit(#(#params),*) -> c_int;
        }
    });
    quote! {
        // One argument per parameter of the call, however many the `.rpc` file gives it.
        #![allow(clippy::too_many_arguments)]

        use core::ffi::{c_char, c_int, c_long, c_short, c_void};

        unsafe extern "C" {
            #(#fns)*
        }

        /// Keeps every imported C type in use whichever calls exist.
        #[allow(dead_code)]
        type CTypes = (c_char, c_int, c_long, c_short, *mut c_void);
    }
}

fn public_type(p: &Param) -> TokenStream {
    match &p.kind {
        ParamKind::Fd => quote! { c_int },
        ParamKind::Value { public, .. } => c_type(public),
    }
}

fn c_type(t: &CType) -> TokenStream {
    let base = match t.base.as_str() {
        "void" => quote! { c_void },
        "char" => quote! { c_char },
        "short" => quote! { c_short },
        "int" => quote! { c_int },
        "long" => quote! { c_long },
        "bool" => quote! { bool },
        "int8_t" => quote! { i8 },
        "uint8_t" => quote! { u8 },
        "int16_t" => quote! { i16 },
        "uint16_t" => quote! { u16 },
        "int32_t" => quote! { i32 },
        "uint32_t" => quote! { u32 },
        "int64_t" => quote! { i64 },
        "uint64_t" => quote! { u64 },
        "size_t" | "uintptr_t" => quote! { usize },
        "ssize_t" | "intptr_t" => quote! { isize },
        other => {
            let id = format_ident!("{}", other);
            quote! { nix::libc::#id }
        }
    };
    let mut ty = base;
    for level in 0..t.pointers {
        // `const` binds to the innermost pointee: `const char**` is `*mut *const c_char`.
        ty = if level == 0 && t.is_const {
            quote! { *const #ty }
        } else {
            quote! { *mut #ty }
        };
    }
    ty
}
