//! `client.rs`: one method of the Rust `Client` per call.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::rust_server::reply_type;
use super::{call_doc, doc_attrs};
use crate::model::{CALL_HEADER_SIZE, Call, Interface};

/// The module's items.
pub fn emit(model: &Interface) -> TokenStream {
    let methods = model.calls.iter().enumerate().map(|(i, c)| method(i, c));
    let uses_fd = model.calls.iter().any(|c| c.call_fd_count() > 0);
    let fd_use = if uses_fd {
        quote! { use std::os::fd::BorrowedFd; use super::transport::push_borrowed_fd; }
    } else {
        quote! {}
    };
    let reply_use = if model.calls.iter().any(|c| !c.returns.is_empty()) {
        quote! { use super::server::*; }
    } else {
        quote! {}
    };
    quote! {
        // One argument per parameter of the call, however many the `.rpc` file gives it.
        #![allow(clippy::too_many_arguments)]

        use std::os::fd::RawFd;

        #fd_use
        use super::codec;
        use super::context::Replied;
        use super::error::ClientError;
        #reply_use
        use super::transport::Client;
        use super::wire::{CALLS, PROTOCOL_HASH};

        impl Client {
            #(#methods)*
        }
    }
}

fn method(slot: usize, c: &Call) -> TokenStream {
    let slot = Literal::usize_unsuffixed(slot);
    let name = codegen::rust::ident(&c.names.rust);
    let doc = doc_attrs(&call_doc(c));
    let reply = reply_type(c);
    let body = c.call_body(codegen::layout::Target::X86_64);
    let mut params = Vec::new();
    let mut writes = Vec::new();
    for p in &c.params {
        let id = codegen::rust::ident(&p.names.rust);
        let offset = body.as_ref().and_then(|b| b.field(&p.names.c)).map(|f| f.offset).unwrap_or(0);
        let offset = Literal::usize_unsuffixed(usize::try_from(CALL_HEADER_SIZE + offset).unwrap_or(0));
        if p.is_fd() {
            params.push(quote! { #id: Option<BorrowedFd<'_>> });
            writes.push(quote! { codec::write_i32(&mut dserver_bytes, #offset, push_borrowed_fd(&mut dserver_fds, #id)); });
        } else {
            let ty: TokenStream = p.wire().rust_name().parse().unwrap_or_else(|_| quote! { u64 });
            let write = format_ident!("write_{}", p.wire().rust_name());
            params.push(quote! { #id: #ty });
            writes.push(quote! { codec::#write(&mut dserver_bytes, #offset, #id); });
        }
    }
    let bytes_mut = if c.params.is_empty() {
        quote! {}
    } else {
        quote! { mut }
    };
    let fds_decl = if c.call_fd_count() > 0 {
        quote! { let mut dserver_fds: Vec<RawFd> = Vec::new(); }
    } else {
        quote! { let dserver_fds: Vec<RawFd> = Vec::new(); }
    };
    quote! {
        #doc
        pub fn #name(&self, #(#params),*) -> Result<Replied<#reply>, ClientError> {
            let dserver_info = &CALLS[#slot];
            let #bytes_mut dserver_bytes = vec![0u8; dserver_info.call_size];
            #fds_decl
            #(#writes)*
            self.call(dserver_info, dserver_bytes, &dserver_fds, PROTOCOL_HASH)
        }
    }
}
