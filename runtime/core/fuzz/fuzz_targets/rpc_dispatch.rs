//! cargo-fuzz target: darlingserver's RPC dispatcher and traffic decoder against any datagram. The
//! first byte says how many descriptors arrive with it (0 to 15, as `SCM_RIGHTS` would hand them over);
//! the rest is the datagram.
//!
//! The dispatcher must accept it or reject it with a reason, never panic; every descriptor that
//! arrived must be closed once the call is answered and its replies dropped; every reply the server
//! makes must decode, and validate as the client would receive it; the decoder must render whatever
//! the dispatcher accepted. The same bytes, taken as a reply to any call, must not panic the client's
//! reply validation or the decoder either.

#![no_main]

use std::fs::File;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::sync::{Arc, Mutex, OnceLock};

use darling_core::rpc::server::{ConsoleOpenReply, DebugListProcessesReply, UidgidReply, dispatch_datagram};
use darling_core::rpc::{
    CallHeader, CallInfo, Context, Incoming, OutgoingReply, ReceivedReply, ReplySink, Server, decode, wire,
};
use libfuzzer_sys::fuzz_target;

/// A server whose unimplemented calls answer a status taken from the caller's pid (so statuses of
/// every sign and size get rendered), and a few calls that answer with descriptors or drop their
/// context unanswered.
struct FuzzServer;

impl Server for FuzzServer {
    fn uidgid(&self, ctx: Context<UidgidReply>, new_uid: i32, new_gid: i32) {
        ctx.reply_ok(UidgidReply { old_uid: new_gid, old_gid: new_uid });
    }

    fn console_open(&self, ctx: Context<ConsoleOpenReply>) {
        ctx.reply_ok(ConsoleOpenReply { console: Some(dev_null()) });
    }

    fn debug_list_processes(&self, ctx: Context<DebugListProcessesReply>) {
        ctx.reply_ok(DebugListProcessesReply { process_count: 3, fd: Some(dev_null()) });
    }

    fn fork_wait_for_child(&self, ctx: Context<()>) {
        // Dropped unanswered: the context answers `STATUS_DROPPED` itself.
        drop(ctx);
    }

    fn unimplemented(&self, _call: &'static CallInfo, header: &CallHeader) -> i32 {
        header.pid
    }
}

fn dev_null() -> OwnedFd {
    static DEV_NULL: OnceLock<File> = OnceLock::new();
    let file = DEV_NULL.get_or_init(|| File::open("/dev/null").expect("/dev/null"));
    OwnedFd::from(file.try_clone().expect("dup of /dev/null"))
}

fn is_open(fd: RawFd) -> bool {
    // SAFETY: F_GETFD only asks whether the descriptor number is in use.
    unsafe { libc::fcntl(fd, libc::F_GETFD) != -1 }
}

fuzz_target!(|data: &[u8]| {
    let Some((&fd_count, bytes)) = data.split_first() else { return };
    let fds: Vec<OwnedFd> = (0..fd_count % 16).map(|_| dev_null()).collect();
    let raw: Vec<RawFd> = fds.iter().map(AsRawFd::as_raw_fd).collect();

    let accepted = matches!(Incoming::parse(bytes, Vec::new()), Ok(Incoming::Call(_)));
    let decoded = decode::call(bytes);
    if let Ok(call) = &decoded {
        assert!(!call.to_string().is_empty());
    }
    if accepted {
        assert!(decoded.is_ok(), "the dispatcher accepts what the decoder rejects: {decoded:?}");
    }
    let _ = decode::reply(bytes).map(|r| r.to_string());

    let replies = Arc::new(Mutex::new(Vec::<OutgoingReply>::new()));
    let sink: Arc<dyn ReplySink> = {
        let replies = replies.clone();
        Arc::new(move |reply: OutgoingReply| replies.lock().unwrap().push(reply))
    };
    if let Err(e) = dispatch_datagram(&FuzzServer, bytes, fds, &sink) {
        assert!(!e.to_string().is_empty());
    }
    drop(sink);
    let replies = std::mem::take(&mut *replies.lock().unwrap());
    assert!(replies.len() <= 1, "one datagram, {} replies", replies.len());
    for reply in replies {
        assert!(!reply.describe().is_empty());
        let decoded = decode::reply(&reply.bytes);
        assert!(decoded.is_ok(), "the server's own reply does not decode: {decoded:?}");
        // The client's side: the reply validates against its call, descriptors included.
        let received = ReceivedReply::parse(reply.info, &reply.bytes, reply.fds);
        assert!(received.is_ok(), "the client rejects the server's reply: {received:?}");
    }
    for fd in raw {
        assert!(!is_open(fd), "descriptor {fd} that came with the datagram was not closed");
    }

    // The same bytes as the reply to a call the first bytes pick, as a client would validate it.
    let info = &wire::CALLS[usize::from(fd_count) % wire::CALLS.len()];
    if let Ok(reply) = ReceivedReply::parse(info, bytes, Vec::new()) {
        let _ = decode::describe_reply(reply.info, &reply.bytes);
    }
});
