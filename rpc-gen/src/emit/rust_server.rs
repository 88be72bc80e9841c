//! `server.rs`: the reply values of every call, the `Server` trait (one method per call) and the
//! dispatcher that turns a validated datagram into a method call.

use codegen::layout::Target;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::{call_doc, doc_attrs, param_doc};
use crate::model::{CALL_HEADER_SIZE, Call, Interface, Param, REPLY_HEADER_SIZE};

/// The module's items.
pub fn emit(model: &Interface) -> TokenStream {
    let replies = model.calls.iter().filter(|c| !c.returns.is_empty()).map(reply_values);
    let methods = model.calls.iter().map(method);
    let arms = model.calls.iter().map(dispatch_arm);
    quote! {
        // One argument per parameter of the call, however many the `.rpc` file gives it; one match
        // arm per call, however few.
        #![allow(clippy::too_many_arguments, clippy::single_match)]

        use std::os::fd::OwnedFd;
        use std::sync::Arc;

        use super::codec;
        use super::context::{Context, ReplySink, ReplyValues, STATUS_NOT_IMPLEMENTED};
        use super::error::DecodeError;
        use super::header::CallHeader;
        use super::message::{Incoming, PushReply, ReceivedReply, S2cReply};
        use super::table::CallInfo;

        #(#replies)*

        /// darlingserver's side of every call: one method per call, each with typed arguments
        /// (`Option<OwnedFd>` for descriptors, `u64` for addresses in the caller's memory) and a
        /// [`Context`] to answer through, now or later.
        ///
        /// Every method has a default that answers [`Server::unimplemented`]'s status, so a server
        /// can grow call by call.
        pub trait Server {
            #(#methods)*

            /// A reply the client received while waiting for another one and handed back
            /// (`PUSH_UNKNOWN_REPLIES`); deliver it again when the thread is ready (after
            /// `interrupt_exit`). By default it is dropped, closing its descriptors.
            fn push_reply(&self, push: PushReply) {
                let _ = push;
            }

            /// The client's answer to a server-to-client call. By default it is dropped.
            fn s2c_reply(&self, reply: S2cReply) {
                let _ = reply;
            }

            /// The status a call answers when its method is not implemented.
            fn unimplemented(&self, call: &'static CallInfo, header: &CallHeader) -> i32 {
                let _ = (call, header);
                STATUS_NOT_IMPLEMENTED
            }
        }

        /// Calls the method a validated datagram asks for.
        pub fn dispatch<S: Server + ?Sized>(server: &S, incoming: Incoming, sink: &Arc<dyn ReplySink>) {
            match incoming {
                Incoming::PushReply(push) => server.push_reply(push),
                Incoming::S2cReply(reply) => server.s2c_reply(reply),
                Incoming::Call(mut call) => match call.info.index {
                    #(#arms)*
                    // `Incoming::parse` only yields calls of the table.
                    _ => {}
                },
            }
        }

        /// Validates a received datagram and dispatches it; a malformed one is rejected with the
        /// reason, and its descriptors are closed.
        pub fn dispatch_datagram<S: Server + ?Sized>(
            server: &S,
            bytes: &[u8],
            fds: Vec<OwnedFd>,
            sink: &Arc<dyn ReplySink>,
        ) -> Result<(), DecodeError> {
            dispatch(server, Incoming::parse_with(bytes, fds, super::wire::call_by_number)?, sink);
            Ok(())
        }
    }
}

/// The Rust type of a value as the server sees it.
pub(crate) fn value_type(p: &Param) -> TokenStream {
    if p.is_fd() {
        quote! { Option<OwnedFd> }
    } else {
        p.wire().rust_name().parse().unwrap_or_else(|_| quote! { u64 })
    }
}

/// The reply-values type of a call (`()` when it replies with a status only).
pub(crate) fn reply_type(c: &Call) -> TokenStream {
    if c.returns.is_empty() {
        quote! { () }
    } else {
        let id = format_ident!("{}Reply", c.type_names.rust);
        quote! { #id }
    }
}

fn offsets(params: &[Param], call: &Call, reply: bool) -> Vec<Literal> {
    let (body, base) = if reply {
        (call.reply_body(Target::X86_64), REPLY_HEADER_SIZE)
    } else {
        (call.call_body(Target::X86_64), CALL_HEADER_SIZE)
    };
    params
        .iter()
        .map(|p| {
            let offset = body.as_ref().and_then(|b| b.field(&p.names.c)).map(|f| f.offset).unwrap_or(0);
            Literal::usize_unsuffixed(usize::try_from(base + offset).unwrap_or(0))
        })
        .collect()
}

fn reply_values(c: &Call) -> TokenStream {
    let id = format_ident!("{}Reply", c.type_names.rust);
    let doc = doc_attrs(&[format!("The values `{}` replies with.", c.names.source)]);
    let offsets = offsets(&c.returns, c, true);
    let mut fields = Vec::new();
    let mut encode = Vec::new();
    let mut reads = Vec::new();
    let mut takes = Vec::new();
    let mut names = Vec::new();
    let mut fd_slot = 0usize;
    for (i, (p, offset)) in c.returns.iter().zip(&offsets).enumerate() {
        let field = codegen::rust::ident(&p.names.rust);
        let local = format_ident!("v{}", i);
        let ty = value_type(p);
        let fdoc = doc_attrs(&param_doc(p));
        fields.push(quote! { #fdoc pub #field: #ty, });
        names.push(quote! { #field: #local });
        if p.is_fd() {
            encode.push(quote! { codec::write_i32(bytes, #offset, codec::push_fd(fds, self.#field)); });
            let slot = Literal::usize_unsuffixed(fd_slot);
            takes.push(quote! { let #local = reply.take_fd(#slot); });
            fd_slot += 1;
        } else {
            let write = format_ident!("write_{}", p.wire().rust_name());
            let read = format_ident!("read_{}", p.wire().rust_name());
            encode.push(quote! { codec::#write(bytes, #offset, self.#field); });
            reads.push(quote! { let #local = codec::#read(&reply.bytes, #offset); });
        }
    }
    let fds_param = if fd_slot > 0 {
        quote! { fds }
    } else {
        quote! { _fds }
    };
    quote! {
        #doc
        #[derive(Debug, Default)]
        pub struct #id { #(#fields)* }

        impl ReplyValues for #id {
            fn encode(self, bytes: &mut [u8], #fds_param: &mut Vec<OwnedFd>) {
                #(#encode)*
            }

            fn decode(reply: &mut ReceivedReply) -> Self {
                #(#reads)*
                #(#takes)*
                #id { #(#names),* }
            }
        }
    }
}

fn method(c: &Call) -> TokenStream {
    let name = codegen::rust::ident(&c.names.rust);
    let mut doc = call_doc(c);
    doc.push(String::new());
    doc.push(format!(
        "Call number {}{}.",
        c.index,
        if c.number != c.index { format!(" (wire `{:#x}`)", c.number) } else { String::new() }
    ));
    let flags = c.flags.names();
    if !flags.is_empty() {
        doc.push(format!("Flags: `{}`.", flags.join("`, `")));
    }
    let doc = doc_attrs(&doc);
    let reply = reply_type(c);
    let params = c.params.iter().map(|p| {
        let id = codegen::rust::ident(&p.names.rust);
        let ty = value_type(p);
        quote! { #id: #ty }
    });
    let names: Vec<_> = c.params.iter().map(|p| codegen::rust::ident(&p.names.rust)).collect();
    let ignore = match names.as_slice() {
        [] => quote! {},
        [one] => quote! { let _ = #one; },
        many => quote! { let _ = (#(#many),*); },
    };
    quote! {
        #doc
        fn #name(&self, ctx: Context<#reply>, #(#params),*) {
            #ignore
            let code = self.unimplemented(ctx.call(), ctx.header());
            ctx.reply_status(code);
        }
    }
}

fn dispatch_arm(c: &Call) -> TokenStream {
    let index = Literal::u32_unsuffixed(c.index);
    let name = codegen::rust::ident(&c.names.rust);
    let offsets = offsets(&c.params, c, false);
    let mut reads = Vec::new();
    let mut takes = Vec::new();
    let mut fd_slot = 0usize;
    let mut args = Vec::new();
    for (i, (p, offset)) in c.params.iter().zip(&offsets).enumerate() {
        let id = format_ident!("a{}", i);
        args.push(id.clone());
        if p.is_fd() {
            let slot = Literal::usize_unsuffixed(fd_slot);
            takes.push(quote! { let #id = call.take_fd(#slot); });
            fd_slot += 1;
        } else {
            let read = format_ident!("read_{}", p.wire().rust_name());
            reads.push(quote! { let #id = codec::#read(call.bytes, #offset); });
        }
    }
    quote! {
        #index => {
            #(#reads)*
            #(#takes)*
            server.#name(Context::new(call, sink.clone()), #(#args),*);
        }
    }
}
