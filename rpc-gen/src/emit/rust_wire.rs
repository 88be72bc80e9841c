//! `wire.rs`: call numbers, flags, limits, the protocol hash, the call table, and `#[repr(C)]`
//! structs laid out exactly like the C ones (checked at compile time against rpc-gen's layouts).

use codegen::layout::{StructLayout, Target};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::doc_attrs;
use crate::model::{
    CALL_HEADER_SIZE, Call, Interface, PROTOCOL_HASH_MAGIC, PROTOCOL_TRAILER_SIZE, Param, REPLY_HEADER_SIZE,
    Record, flag,
};

/// The layouts the Rust structs follow: the wire structs are the same on every target; records are
/// natural, so the generated assertions pick the layout by target.
const LAYOUT_TARGET: Target = Target::X86_64;

/// The module's items.
pub fn emit(model: &Interface) -> TokenStream {
    let callnums = model.calls.iter().map(|c| {
        let name = format_ident!("{}", c.names.rust.to_ascii_uppercase());
        let value = hex32(c.number);
        let doc = doc_attrs(&[format!("`{}` (`{}`).", c.names.source, c.c_callnum())]);
        quote! { #doc pub const #name: u32 = #value; }
    });
    let flag_consts = flag::NAMES.iter().map(|(name, bits)| {
        let id = format_ident!("{}", name);
        let value = hex32(*bits);
        quote! { pub const #id: u32 = #value; }
    });
    let count = model.calls.len();
    let call_max = lit_usize(model.call_max_length(LAYOUT_TARGET));
    let reply_max = lit_usize(model.reply_max_length(LAYOUT_TARGET));
    let call_fds = lit_usize(model.call_max_fd_count() as u64);
    let reply_fds = lit_usize(model.reply_max_fd_count() as u64);
    let hash = Literal::u64_suffixed(model.protocol_hash);
    let hash_doc = doc_attrs(
        &std::iter::once("FNV-1a (64-bit) of this canonical call table:".to_string())
            .chain(std::iter::once(String::new()))
            .chain(std::iter::once("```text".to_string()))
            .chain(model.canonical_table.lines().map(str::to_string))
            .chain(std::iter::once("```".to_string()))
            .collect::<Vec<_>>(),
    );
    let magic = Literal::u64_suffixed(PROTOCOL_HASH_MAGIC);
    let trailer = lit_usize(PROTOCOL_TRAILER_SIZE);
    let table = model.calls.iter().map(call_info);
    let lookup = model.calls.iter().enumerate().map(|(i, c)| {
        let number = hex32(c.number);
        let i = Literal::usize_unsuffixed(i);
        quote! { #number => Some(&CALLS[#i]), }
    });
    let structs = model.calls.iter().map(call_structs);
    let records = model.records.iter().map(record_struct);
    let layouts = model.calls.iter().flat_map(layout_infos);
    let record_layouts = model.records.iter().map(record_layout_info);
    let trap_use = if model.calls.iter().any(|c| c.trap.is_some()) {
        quote! { TrapInfo, }
    } else {
        quote! {}
    };
    quote! {
        use super::header::{CallHeader, ReplyHeader};
        use super::table::{CallInfo, FieldInfo, FieldKind, StructLayoutInfo, #trap_use WireType};

        /// Call numbers (C: `enum dserver_callnum`).
        pub mod callnum {
            /// `dserver_callnum_invalid`: never sent.
            pub const INVALID: u32 = 0;
            /// `dserver_callnum_s2c`: a server-to-client call, or the client's answer to one.
            pub const S2C: u32 = 0x052c_ca11;
            /// `dserver_callnum_push_reply`: a reply handed back to the server.
            pub const PUSH_REPLY: u32 = 0x0bad_ca11;
            #(#callnums)*
        }

        /// Flag bits of [`CallInfo::flags`], with darlingserver's values (`SEND_PROTOCOL_HASH` is
        /// rpc-gen's own).
        pub mod flags {
            #(#flag_consts)*
        }

        /// The bit set in the number of an `UNMANAGED_CALL` (`DSERVER_CALL_UNMANAGED_FLAG`).
        pub const UNMANAGED_FLAG: u32 = 0x8000_0000;
        /// How many calls there are.
        pub const CALL_COUNT: usize = #count;
        /// The largest call struct (`DSERVER_RPC_CALL_MAX_LENGTH`).
        pub const CALL_MAX_LENGTH: usize = #call_max;
        /// The largest reply struct (`DSERVER_RPC_REPLY_MAX_LENGTH`).
        pub const REPLY_MAX_LENGTH: usize = #reply_max;
        /// The most descriptors a call carries (`DSERVER_RPC_CALL_MAX_FD_COUNT`).
        pub const CALL_MAX_FD_COUNT: usize = #call_fds;
        /// The most descriptors a reply carries (`DSERVER_RPC_REPLY_MAX_FD_COUNT`).
        pub const REPLY_MAX_FD_COUNT: usize = #reply_fds;
        #hash_doc
        pub const PROTOCOL_HASH: u64 = #hash;
        /// The magic opening the protocol-hash trailer (`DSERVER_RPC_PROTOCOL_HASH_MAGIC`).
        pub const PROTOCOL_HASH_MAGIC: u64 = #magic;
        /// `sizeof(dserver_rpc_protocol_trailer_t)`.
        pub const PROTOCOL_TRAILER_SIZE: usize = #trailer;

        /// Every call, in number order (`CALLS[i].index == i + 1`).
        pub static CALLS: [CallInfo; CALL_COUNT] = [#(#table)*];

        /// The call with wire number `number`.
        pub fn call_by_number(number: u32) -> Option<&'static CallInfo> {
            match number {
                #(#lookup)*
                _ => None,
            }
        }

        #(#structs)*
        #(#records)*

        /// How the Rust compiler laid out every struct above, for the ABI tests.
        pub static STRUCT_LAYOUTS: &[StructLayoutInfo] = &[#(#layouts)* #(#record_layouts)*];
    }
}

fn hex32(value: u32) -> TokenStream {
    format!("{value:#010x}").parse().unwrap_or_else(|_| quote! { 0 })
}

fn lit_usize(value: u64) -> Literal {
    Literal::usize_unsuffixed(usize::try_from(value).unwrap_or(usize::MAX))
}

fn call_info(c: &Call) -> TokenStream {
    let name = &c.names.source;
    let index = c.index;
    let number = hex32(c.number);
    let flags = hex32(c.flags.bits);
    let call_size = lit_usize(c.call_layout(LAYOUT_TARGET).size);
    let reply_size = lit_usize(c.reply_layout(LAYOUT_TARGET).size);
    let params = field_infos(&c.params, c.call_body(LAYOUT_TARGET).as_ref(), CALL_HEADER_SIZE);
    let returns = field_infos(&c.returns, c.reply_body(LAYOUT_TARGET).as_ref(), REPLY_HEADER_SIZE);
    let trap = match &c.trap {
        Some(t) => {
            let (function, args) = (&t.function, &t.args_struct);
            quote! { Some(TrapInfo { function: #function, args_struct: #args }) }
        }
        None => quote! { None },
    };
    quote! {
        CallInfo {
            name: #name,
            index: #index,
            number: #number,
            flags: #flags,
            call_size: #call_size,
            reply_size: #reply_size,
            params: &[#(#params),*],
            returns: &[#(#returns),*],
            trap: #trap,
        },
    }
}

fn field_infos(params: &[Param], body: Option<&StructLayout>, base: u64) -> Vec<TokenStream> {
    params
        .iter()
        .map(|p| {
            let name = &p.names.source;
            let wire = format_ident!("{}", wire_variant(p));
            let kind = if p.is_fd() {
                quote! { FieldKind::Fd }
            } else if p.is_pointer() {
                quote! { FieldKind::Pointer }
            } else {
                quote! { FieldKind::Value }
            };
            let offset =
                lit_usize(base + body.and_then(|b| b.field(&p.names.c)).map(|f| f.offset).unwrap_or(0));
            quote! { FieldInfo { name: #name, wire: WireType::#wire, kind: #kind, offset: #offset } }
        })
        .collect()
}

fn wire_variant(p: &Param) -> &'static str {
    match p.wire().c_name() {
        "bool" => "Bool",
        "int8_t" => "I8",
        "uint8_t" => "U8",
        "int16_t" => "I16",
        "uint16_t" => "U16",
        "int32_t" => "I32",
        "uint32_t" => "U32",
        "int64_t" => "I64",
        _ => "U64",
    }
}

/// `CallX`/`RpcCallX`/`ReplyX`/`RpcReplyX`, mirroring `dserver_call_x_t` and friends.
fn call_structs(c: &Call) -> TokenStream {
    let t = &c.type_names.rust;
    let call_body = c
        .call_body(LAYOUT_TARGET)
        .map(|b| body_struct(&format!("Call{t}"), &format!("dserver_call_{}_t", c.names.c), &c.params, &b));
    let reply_body = c.reply_body(LAYOUT_TARGET).map(|b| {
        body_struct(&format!("Reply{t}"), &format!("dserver_reply_{}_t", c.names.c), &c.returns, &b)
    });
    let call_msg = message_struct(
        &format!("RpcCall{t}"),
        &format!("dserver_rpc_call_{}_t", c.names.c),
        quote! { CallHeader },
        c.call_body(LAYOUT_TARGET).is_some().then(|| format!("Call{t}")),
        &c.call_layout(LAYOUT_TARGET),
    );
    let reply_msg = message_struct(
        &format!("RpcReply{t}"),
        &format!("dserver_rpc_reply_{}_t", c.names.c),
        quote! { ReplyHeader },
        c.reply_body(LAYOUT_TARGET).is_some().then(|| format!("Reply{t}")),
        &c.reply_layout(LAYOUT_TARGET),
    );
    quote! { #call_body #call_msg #reply_body #reply_msg }
}

/// A body struct with explicit, zeroed padding: no implicit padding remains, so the layout is the
/// same on every target and every byte of the struct is initialised.
fn body_struct(name: &str, c_name: &str, params: &[Param], layout: &StructLayout) -> TokenStream {
    let id = format_ident!("{}", name);
    let doc = doc_attrs(&[format!("`{c_name}`.")]);
    let mut fields = Vec::new();
    let mut asserts = Vec::new();
    let mut at = 0u64;
    let mut pad = 0usize;
    for p in params {
        let Some(f) = layout.field(&p.names.c) else { continue };
        if f.offset > at {
            let pad_id = format_ident!("_pad{}", pad);
            let n = lit_usize(f.offset - at);
            fields.push(quote! { #[doc = " Padding (zero)."] pub #pad_id: [u8; #n], });
            pad += 1;
        }
        let field = codegen::rust::ident(&p.names.rust);
        let ty: TokenStream = p.wire().rust_name().parse().unwrap_or_else(|_| quote! { u64 });
        let fdoc = doc_attrs(&p.doc);
        fields.push(quote! { #fdoc pub #field: #ty, });
        let offset = lit_usize(f.offset);
        asserts.push(quote! { assert!(core::mem::offset_of!(#id, #field) == #offset); });
        at = f.offset + f.size;
    }
    if layout.size > at {
        let pad_id = format_ident!("_pad{}", pad);
        let n = lit_usize(layout.size - at);
        fields.push(quote! { #[doc = " Padding (zero)."] pub #pad_id: [u8; #n], });
    }
    let size = lit_usize(layout.size);
    let repr = if layout.align >= 8 {
        quote! { #[repr(C, align(8))] }
    } else {
        quote! { #[repr(C)] }
    };
    quote! {
        #doc
        #repr
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct #id { #(#fields)* }
        const _: () = {
            assert!(core::mem::size_of::<#id>() == #size);
            #(#asserts)*
        };
    }
}

fn message_struct(
    name: &str,
    c_name: &str,
    header: TokenStream,
    body: Option<String>,
    layout: &StructLayout,
) -> TokenStream {
    let id = format_ident!("{}", name);
    let doc = doc_attrs(&[format!("`{c_name}`.")]);
    let size = lit_usize(layout.size);
    let (field, assert) = match body {
        Some(body) => {
            let body = format_ident!("{}", body);
            let offset = lit_usize(layout.field("body").map(|f| f.offset).unwrap_or(0));
            (
                quote! { #[doc = " The body."] pub body: #body, },
                quote! { assert!(core::mem::offset_of!(#id, body) == #offset); },
            )
        }
        None => (quote! {}, quote! {}),
    };
    let repr = if layout.align >= 8 {
        quote! { #[repr(C, align(8))] }
    } else {
        quote! { #[repr(C)] }
    };
    quote! {
        #doc
        #repr
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct #id {
            #[doc = " The header."]
            pub header: #header,
            #field
        }
        const _: () = {
            assert!(core::mem::size_of::<#id>() == #size);
            #assert
        };
    }
}

/// A record: natural C layout, which differs between i386 and the 64-bit targets, as in C.
fn record_struct(r: &Record) -> TokenStream {
    let id = format_ident!("{}", r.names.rust);
    let mut doc = r.doc.clone();
    if !doc.is_empty() {
        doc.push(String::new());
    }
    doc.push(format!("C: `{}`.", r.c_type()));
    let doc = doc_attrs(&doc);
    let fields = r.fields.iter().map(|f| {
        let field = codegen::rust::ident(&f.names.rust);
        let ty: TokenStream = f.wire().rust_name().parse().unwrap_or_else(|_| quote! { u64 });
        let fdoc = doc_attrs(&f.doc);
        quote! { #fdoc pub #field: #ty, }
    });
    let size_64 = lit_usize(r.layout(Target::X86_64).size);
    let size_32 = lit_usize(r.layout(Target::I386).size);
    quote! {
        #doc
        #[repr(C)]
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct #id { #(#fields)* }
        #[cfg(not(target_arch = "x86"))]
        const _: () = assert!(core::mem::size_of::<#id>() == #size_64);
        #[cfg(target_arch = "x86")]
        const _: () = assert!(core::mem::size_of::<#id>() == #size_32);
    }
}

fn layout_infos(c: &Call) -> Vec<TokenStream> {
    let t = &c.type_names.rust;
    let mut out = Vec::new();
    for (msg, body_name, params, has_body) in [
        ("call", format!("Call{t}"), &c.params, c.call_body(LAYOUT_TARGET).is_some()),
        ("reply", format!("Reply{t}"), &c.returns, c.reply_body(LAYOUT_TARGET).is_some()),
    ] {
        let msg_id = format_ident!("Rpc{}{}", if msg == "call" { "Call" } else { "Reply" }, t);
        let c_name = format!("dserver_rpc_{msg}_{}_t", c.names.c);
        let fields: Vec<TokenStream> = if has_body {
            let body_id = format_ident!("{}", body_name);
            params
                .iter()
                .map(|p| {
                    let name = &p.names.c;
                    let field = codegen::rust::ident(&p.names.rust);
                    quote! { (#name, core::mem::offset_of!(#msg_id, body) + core::mem::offset_of!(#body_id, #field)) }
                })
                .collect()
        } else {
            Vec::new()
        };
        out.push(quote! {
            StructLayoutInfo { c_name: #c_name, size: core::mem::size_of::<#msg_id>(), fields: &[#(#fields),*] },
        });
    }
    out
}

fn record_layout_info(r: &Record) -> TokenStream {
    let id = format_ident!("{}", r.names.rust);
    let c_name = r.c_type();
    let fields = r.fields.iter().map(|f| {
        let name = &f.names.c;
        let field = codegen::rust::ident(&f.names.rust);
        quote! { (#name, core::mem::offset_of!(#id, #field)) }
    });
    quote! { StructLayoutInfo { c_name: #c_name, size: core::mem::size_of::<#id>(), fields: &[#(#fields),*] }, }
}
