//! `darling_core`: the types darlingserver (`runtime/server`) and the client shim (`runtime/shim`) share.
//!
//! Plain data and pure functions, except `launch` (starting and stopping a server, std and libc only):
//! no threads, no allocation on the hot paths. Each module
//! is one concern, so the generated RPC code (`rpc`) and the hand-written tables below can grow apart.

pub mod errno;
pub mod kern_return;
pub mod launch;
pub mod mach_msg;
pub mod prefix;
