//! darlingserver as a library: the binary (`main.rs`), the `darling` tool and the tests share it.
//!
//! `socket` is the transport, `registry` the process and thread model, `procfs` what the kernel tells
//! about clients, `kqchan` the kqueue channels that watch processes, `server` the receive loop,
//! registration and reply delivery, `calls` the calls (the
//! `darling_core::rpc::Server` trait rpc-gen generates).

pub mod calls;
pub mod error;
pub mod kqchan;
pub mod procfs;
pub mod registry;
pub mod server;
pub mod socket;
