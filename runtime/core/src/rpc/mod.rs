//! darlingserver's RPC protocol: wire structs, server trait and dispatcher, client, decoder.
//!
//! rpc-gen generates the per-call parts from `defs/rpc/darlingserver.rpc` into `generated/`
//! (`cargo xtask gen`; never edit them); the rest is written by hand once for every call:
//!
//! - [`wire`] (generated): call numbers, limits, the protocol hash, `#[repr(C)]` structs laid out
//!   exactly like the C ones, and the call table [`wire::CALLS`];
//! - [`server`] (generated): the [`Server`] trait, one method per call, and [`dispatch`];
//! - [`client`] (generated): one [`Client`] method per call;
//! - [`ffi`] (generated): the C wrappers' prototypes, for Rust code linked with `rpc.c`;
//! - [`message`]: validating a datagram against the table; [`context`]: answering a call;
//!   [`decode`]: the traffic decoder; [`transport`]: `sendmsg`/`recvmsg` and the client.
//!
//! # The protocol hash
//!
//! [`wire::PROTOCOL_HASH`] (`DSERVER_RPC_PROTOCOL_HASH` in C) is FNV-1a of the canonical call
//! table, so a client and a server built from different `.rpc` files can tell. Darling's wire
//! layout has no room for it: `dserver_rpc_call_checkin_t` is 40 bytes with no spare field, and a
//! new call would renumber nothing only if appended, yet old clients would never make it. So the
//! hash travels *after* the check-in struct, as a 16-byte trailer (magic
//! [`wire::PROTOCOL_HASH_MAGIC`], then the hash) that only calls flagged `SEND_PROTOCOL_HASH`
//! append. The server accepts check-in at both lengths: 40 bytes is a client built from Darling's
//! own sources (no hash, nothing to compare, accept it as today), 56 bytes carries the hash, which
//! [`Context::protocol_hash`] returns. The check-in implementation compares it with
//! [`wire::PROTOCOL_HASH`] and, on a mismatch, logs both values and answers `-EPROTO` (a negative
//! status: an internal RPC error), which the client's check-in reports. No struct, size or number
//! of Darling's ABI changes, and replies stay exactly as long as Darling's clients expect.

pub mod codec;
pub mod context;
pub mod decode;
pub mod error;
pub mod header;
pub mod message;
pub mod table;
pub mod transport;

#[path = "generated/client.rs"]
pub mod client;
#[path = "generated/ffi.rs"]
pub mod ffi;
#[path = "generated/server.rs"]
pub mod server;
#[path = "generated/wire.rs"]
pub mod wire;

pub use context::{
    Context, OutgoingReply, Replied, ReplySink, ReplyValues, STATUS_DROPPED, STATUS_NOT_IMPLEMENTED,
};
pub use error::{ClientError, DecodeError, Status, errno_name, status_name};
pub use header::{Architecture, CallHeader, ReplyHeader};
pub use message::{Incoming, IncomingCall, PushReply, ReceivedReply, S2cReply};
pub use server::{Server, dispatch};
pub use table::{CallInfo, FieldInfo, FieldKind, TrapInfo, WireType};
pub use transport::{Client, Datagram, recv_datagram, send_datagram};
