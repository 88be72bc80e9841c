//! The per-call context a server method receives: who called, and the one way to answer.
//!
//! A [`Context`] is `Send + 'static`, so a method may answer at once, or keep the context and
//! answer later from another thread or task: that is how a call that waits (`semaphore_wait`,
//! `fork_wait_for_child`) or a reply held back during a signal handler (`interrupt_enter` /
//! `interrupt_exit` and `push_reply`) is written. Answering consumes the context, so a call is
//! answered at most once; a context dropped unanswered answers [`STATUS_DROPPED`], so a client
//! never waits forever on a server bug.

use std::fmt;
use std::marker::PhantomData;
use std::os::fd::OwnedFd;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use smallvec::SmallVec;

use super::error::status_name;
use super::header::{Architecture, CallHeader, REPLY_HEADER_SIZE, ReplyHeader};
use super::message::{IncomingCall, ReceivedReply};
use super::table::CallInfo;

/// The status a dropped, unanswered context replies with: `-ECANCELED`, an internal RPC error.
pub const STATUS_DROPPED: i32 = -(nix::libc::ECANCELED);

/// A reply struct's bytes. Inline up to 32 bytes (every reply of darlingserver's table fits), so
/// answering a call allocates nothing; a larger reply spills to the heap.
pub type ReplyBytes = SmallVec<[u8; 32]>;

/// What a method that the server does not implement yet answers by default: `-ENOSYS`.
pub const STATUS_NOT_IMPLEMENTED: i32 = -(nix::libc::ENOSYS);

/// Whether contexts keep a copy of their call's bytes, which only [`OutgoingReply::describe`] and
/// [`Context::describe`] read (the exchange log). On by default; a server whose exchange log is off
/// turns it off with [`keep_call_bytes`], so serving a call copies nothing that is never printed.
static KEEP_CALL_BYTES: AtomicBool = AtomicBool::new(true);

/// Turns the copy of each call's bytes for the exchange log on or off (see `describe`).
pub fn keep_call_bytes(keep: bool) {
    KEEP_CALL_BYTES.store(keep, Ordering::Relaxed);
}

/// The values of one call's reply: generated for each call (`()` for calls that reply with a
/// status only).
pub trait ReplyValues: Default + Send + 'static {
    /// Writes the values into the reply struct `bytes` (header included) and queues descriptors.
    fn encode(self, bytes: &mut [u8], fds: &mut Vec<OwnedFd>);
    /// Reads the values from a validated reply.
    fn decode(reply: &mut ReceivedReply) -> Self;
}

impl ReplyValues for () {
    fn encode(self, _bytes: &mut [u8], _fds: &mut Vec<OwnedFd>) {}
    fn decode(_reply: &mut ReceivedReply) -> Self {}
}

/// A reply, encoded and ready to send to the caller.
#[derive(Debug)]
pub struct OutgoingReply {
    /// The call it answers.
    pub info: &'static CallInfo,
    /// The header of the call it answers (who to send it to).
    pub to: CallHeader,
    /// The status.
    pub code: i32,
    /// The reply struct's bytes.
    pub bytes: ReplyBytes,
    /// The descriptors to pass with `SCM_RIGHTS`, in index order.
    pub fds: Vec<OwnedFd>,
    /// The call's bytes, kept so the exchange can be logged as one line; empty when
    /// [`keep_call_bytes`] is off.
    pub call_bytes: Vec<u8>,
}

impl OutgoingReply {
    /// The whole exchange as one log line:
    /// `1234:1234 uidgid(new_uid=-1, new_gid=-1) -> 0 (old_uid=1000, old_gid=1000)`.
    /// Without the call's bytes (see [`keep_call_bytes`]) the arguments show as `...`.
    pub fn describe(&self) -> String {
        let call = describe_call(self.info, &self.call_bytes);
        let reply = super::decode::describe_reply(self.info, &self.bytes);
        format!("{}:{} {call} {reply}", self.to.pid, self.to.tid)
    }
}

/// Where replies go: the server implements it (send on its socket, or hold a reply back while the
/// thread is in a signal handler); tests use a closure.
pub trait ReplySink: Send + Sync {
    /// Sends (or queues) a reply. Failures are the sink's to report: the caller has moved on.
    fn send(&self, reply: OutgoingReply);
}

impl<F: Fn(OutgoingReply) + Send + Sync> ReplySink for F {
    fn send(&self, reply: OutgoingReply) {
        self(reply)
    }
}

/// One call being served: the caller's identity, and the way to reply with `R`.
#[must_use = "a call must be answered: reply now, or keep the context and reply later"]
pub struct Context<R: ReplyValues> {
    info: &'static CallInfo,
    header: CallHeader,
    protocol_hash: Option<u64>,
    call_bytes: Vec<u8>,
    sink: Option<Arc<dyn ReplySink>>,
    values: PhantomData<fn(R)>,
}

impl<R: ReplyValues> Context<R> {
    /// The context of a validated call (whose descriptors the dispatcher has taken).
    #[inline]
    pub fn new(call: IncomingCall<'_>, sink: Arc<dyn ReplySink>) -> Self {
        let call_bytes =
            if KEEP_CALL_BYTES.load(Ordering::Relaxed) { call.bytes.to_vec() } else { Vec::new() };
        Context {
            info: call.info,
            header: call.header,
            protocol_hash: call.protocol_hash,
            call_bytes,
            sink: Some(sink),
            values: PhantomData,
        }
    }

    /// The call being served.
    pub fn call(&self) -> &'static CallInfo {
        self.info
    }

    /// The call's header, as the client sent it.
    pub fn header(&self) -> &CallHeader {
        &self.header
    }

    /// The caller's process id (as it sees itself).
    pub fn pid(&self) -> i32 {
        self.header.pid
    }

    /// The caller's thread id.
    pub fn tid(&self) -> i32 {
        self.header.tid
    }

    /// The caller's architecture, `None` if it sent a value no client sends.
    pub fn architecture(&self) -> Option<Architecture> {
        self.header.arch()
    }

    /// The protocol hash a `SEND_PROTOCOL_HASH` call (check-in) carried; `None` when the client
    /// predates it. Compare with `wire::PROTOCOL_HASH`.
    pub fn protocol_hash(&self) -> Option<u64> {
        self.protocol_hash
    }

    /// The call as one log line: `1234:1234 uidgid(new_uid=-1, new_gid=-1)`.
    /// Without the call's bytes (see [`keep_call_bytes`]) the arguments show as `...`.
    pub fn describe(&self) -> String {
        let call = describe_call(self.info, &self.call_bytes);
        format!("{}:{} {call}", self.header.pid, self.header.tid)
    }

    /// Replies with a status and values.
    pub fn reply(mut self, code: i32, values: R) {
        self.send(code, values);
    }

    /// Replies with success and values.
    pub fn reply_ok(self, values: R) {
        self.reply(0, values);
    }

    /// Replies with a status only (values zero, no descriptors): a positive errno for the call's
    /// own failure, a negative one for an internal error.
    pub fn reply_status(self, code: i32) {
        self.reply(code, R::default());
    }

    fn send(&mut self, code: i32, values: R) {
        let Some(sink) = self.sink.take() else { return };
        let mut bytes: ReplyBytes = SmallVec::from_elem(0, self.info.reply_size.max(REPLY_HEADER_SIZE));
        ReplyHeader { number: self.info.number, code }.write(&mut bytes);
        let mut fds = Vec::new();
        values.encode(&mut bytes, &mut fds);
        sink.send(OutgoingReply {
            info: self.info,
            to: self.header,
            code,
            bytes,
            fds,
            call_bytes: std::mem::take(&mut self.call_bytes),
        });
    }
}

fn describe_call(info: &CallInfo, call_bytes: &[u8]) -> String {
    if call_bytes.len() < info.call_size {
        return format!("{}(...)", info.name);
    }
    super::decode::describe_fields(info.name, info.params, call_bytes)
}

impl<R: ReplyValues> Drop for Context<R> {
    fn drop(&mut self) {
        self.send(STATUS_DROPPED, R::default());
    }
}

impl<R: ReplyValues> fmt::Debug for Context<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Context")
            .field("call", &self.info.name)
            .field("header", &self.header)
            .field("answered", &self.sink.is_none())
            .finish()
    }
}

/// A status and the values that came with it, as a client receives them.
#[derive(Debug, PartialEq, Eq)]
pub struct Replied<T> {
    /// 0 for success, a positive errno for the call's failure, negative for an internal error.
    pub code: i32,
    /// The values (zero when the call failed, unless the call says otherwise).
    pub values: T,
}

impl<T> Replied<T> {
    /// The values on success, else the status.
    pub fn ok(self) -> Result<T, i32> {
        if self.code == 0 { Ok(self.values) } else { Err(self.code) }
    }

    /// The status as text (`0`, `ESRCH (3)`, `-ENOSYS (-38)`).
    pub fn status(&self) -> String {
        status_name(self.code)
    }
}
