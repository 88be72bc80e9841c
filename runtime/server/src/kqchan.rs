//! Process kqueue channels: what `kqchan_proc_open` opens, so that libkqueue's `EVFILT_PROC` filter
//! in a client can watch another client for `NOTE_FORK`, `NOTE_EXEC` and `NOTE_EXIT`.
//!
//! The protocol is darlingserver's (the messages are in `darlingserver/rpc-supplement.h`). The server
//! answers the call with one end of a `SOCK_SEQPACKET` pair and keeps the other. On it:
//! - the server sends `notification` (no answer expected) when an event is waiting, and sends no
//!   other notification until the client has asked for the event;
//! - the client sends `proc_read`; the server answers with the oldest event the client's flags ask
//!   for (`fflags`, `data`), or with code `0xdead` when there is none; with `NOTE_TRACK`, a
//!   `NOTE_FORK` answer carries a new channel for the child as a descriptor;
//! - the client sends `proc_modify` to change its flags; the server acknowledges.
//!
//! A channel is one tokio task that owns the server's end, a pidfd of the watched process (exits are
//! seen the moment they happen, with the wait status, even after the process checked out) and the
//! event queue, which the server's other code fills through [`ProcChannel::push`] (forks and execs,
//! seen at check-in). The watched process lists its channels weakly (`Process::watchers`); the
//! process that opened a channel holds its stop handle, so a channel ends when that process goes or
//! when the client closes its end.

use std::collections::VecDeque;
use std::os::fd::{AsFd, AsRawFd, FromRawFd, OwnedFd};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};

use nix::libc;
use tokio::io::unix::AsyncFd;
use tokio::sync::{Notify, oneshot};

use darling_core::errno::describe_io;

use crate::error::Error;
use crate::procfs;
use crate::registry::Process;
use crate::server::{register, set_nonblocking};

// The `EVFILT_PROC` flags of XNU's `<sys/event.h>`.
pub const NOTE_EXIT: u32 = 0x8000_0000;
pub const NOTE_FORK: u32 = 0x4000_0000;
pub const NOTE_EXEC: u32 = 0x2000_0000;
pub const NOTE_EXITSTATUS: u32 = 0x0400_0000;
/// The bits of `data` that hold a pid (`NOTE_FORK`'s child, `NOTE_CHILD`'s parent).
pub const NOTE_PDATAMASK: u32 = 0x000f_ffff;
pub const NOTE_TRACK: u32 = 0x0000_0001;
pub const NOTE_TRACKERR: u32 = 0x0000_0002;
pub const NOTE_CHILD: u32 = 0x0000_0004;

// `dserver_kqchan_msgnum_t`.
const MSG_NOTIFICATION: u32 = 1;
const MSG_PROC_MODIFY: u32 = 4;
const MSG_PROC_READ: u32 = 5;

/// The code of a `proc_read` answer when no event is waiting (the client then drops its wake-up).
const NO_EVENT: i32 = 0xdead;

/// `sizeof(dserver_kqchan_callhdr_t)`: number, pid, tid.
const CALL_HEADER: usize = 12;
/// `sizeof(dserver_kqchan_call_proc_modify_t)`.
const PROC_MODIFY_CALL: usize = 16;

/// Events a channel keeps for a client that does not read them; past this, new events are folded
/// into the last one (their flags ORed, as XNU folds a knote's), so a client that never reads cannot
/// make the server grow without bound.
const MAX_QUEUED_EVENTS: usize = 256;

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// One event waiting to be read.
struct Event {
    fflags: u32,
    data: i64,
    /// `NOTE_FORK` only: the channel watching the new child, already registered with it, handed to
    /// the client (with `NOTE_TRACK`) or dropped.
    child: Option<TrackedChild>,
}

/// A channel opened for a forked child on behalf of a `NOTE_TRACK` watcher.
pub(crate) struct TrackedChild {
    channel: Arc<ProcChannel>,
    /// The client's end of the child's channel.
    socket: OwnedFd,
}

struct ChannelState {
    flags: u32,
    events: VecDeque<Event>,
    /// `NOTE_EXIT` was queued; nothing follows it.
    exited: bool,
}

/// A process channel, shared by its task and the watched process's list of watchers.
pub struct ProcChannel {
    /// For logs.
    id: u64,
    /// The watched process, as its watcher names it.
    target_nspid: i32,
    /// The process that opened the channel (Linux pid): a channel for a tracked child belongs to it too.
    pub(crate) listener: i32,
    /// The listener is a 32-bit x86 client: `int64_t` is 4-aligned there, so `proc_read`'s answer
    /// is 20 bytes with `data` at offset 12 (24 bytes and 16 for everyone else).
    listener_is_i386: bool,
    /// The channel watches exits itself (a pidfd); without one, the registry reports them.
    pub(crate) watches_exit: bool,
    state: Mutex<ChannelState>,
    wake: Notify,
}

impl ProcChannel {
    fn state(&self) -> MutexGuard<'_, ChannelState> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Queues an event and wakes the channel's task.
    pub(crate) fn push(&self, fflags: u32, data: i64, child: Option<TrackedChild>) {
        let mut state = self.state();
        if state.exited {
            return;
        }
        state.exited = fflags & NOTE_EXIT != 0;
        if state.events.len() >= MAX_QUEUED_EVENTS
            && let Some(last) = state.events.back_mut()
        {
            tracing::debug!(target: "kqchan", channel = self.id, "event queue full; folding {fflags:#x} into the last event");
            last.fflags |= fflags;
            last.data = data;
            if child.is_some() {
                // The new child's channel cannot be handed over: say so, as XNU does.
                last.fflags |= NOTE_TRACKERR;
            }
        } else {
            state.events.push_back(Event { fflags, data, child });
        }
        drop(state);
        self.wake.notify_one();
    }

    pub(crate) fn flags(&self) -> u32 {
        self.state().flags
    }

    fn has_events(&self) -> bool {
        !self.state().events.is_empty()
    }
}

/// Opens a channel watching `target` for the process `listener` (Linux pid, 32-bit x86 or not) with
/// `flags`; `first` is queued before anything else (a tracked child's `NOTE_CHILD`). Returns the
/// channel, the client's end of its socket and the stop handle the listener must hold.
pub(crate) fn open(
    runtime: &tokio::runtime::Handle,
    target: &mut Process,
    listener: i32,
    listener_is_i386: bool,
    flags: u32,
    first: Option<(u32, i64)>,
) -> Result<(Arc<ProcChannel>, OwnedFd, oneshot::Sender<()>), Error> {
    let mut pair = [0; 2];
    // SAFETY: socketpair fills two fresh descriptors on success.
    crate::socket::cvt(unsafe {
        libc::socketpair(libc::AF_UNIX, libc::SOCK_SEQPACKET | libc::SOCK_CLOEXEC, 0, pair.as_mut_ptr())
    })
    .map_err(|e| Error::io("socketpair (AF_UNIX, SOCK_SEQPACKET) for a kqueue channel", e))?;
    // SAFETY: both are fresh descriptors nothing else owns.
    let (ours, theirs) = unsafe { (OwnedFd::from_raw_fd(pair[0]), OwnedFd::from_raw_fd(pair[1])) };
    set_nonblocking(&ours).map_err(|e| Error::io("making a kqueue channel non-blocking", e))?;
    // The channel's own exit watch. A target that is already gone cannot be watched: it has exited.
    let (pidfd, gone) = match procfs::pidfd_open(target.pid) {
        Ok(pidfd) => (pidfd, false),
        Err(e) if e.errno() == libc::ESRCH => (None, true),
        Err(e) => return Err(e),
    };
    let _guard = runtime.enter();
    let ours = register(ours).map_err(|e| Error::io("registering a kqueue channel", e))?;
    let pidfd = match pidfd {
        Some(fd) => Some(register(fd).map_err(|e| Error::io("registering a pidfd", e))?),
        None => None,
    };
    let channel = Arc::new(ProcChannel {
        id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        target_nspid: target.nspid,
        listener,
        listener_is_i386,
        watches_exit: pidfd.is_some() || gone,
        state: Mutex::new(ChannelState { flags, events: VecDeque::new(), exited: false }),
        wake: Notify::new(),
    });
    if let Some((fflags, data)) = first {
        channel.push(fflags, data, None);
    }
    if gone {
        channel.push(NOTE_EXIT, 0, None);
    }
    target.watchers.push(Arc::downgrade(&channel));
    tracing::debug!(target: "kqchan", channel = channel.id, pid = target.nspid, flags = format_args!("{flags:#x}"), "process channel opened");
    let (stop_tx, stop_rx) = oneshot::channel();
    runtime.spawn(serve(channel.clone(), ours, pidfd, target.pid, stop_rx));
    Ok((channel, theirs, stop_tx))
}

/// Queues `fflags` for every live channel watching `process`, and forgets the dead ones.
pub(crate) fn notify(process: &mut Process, fflags: u32, data: i64) {
    process.watchers.retain(|weak| match weak.upgrade() {
        Some(channel) => {
            channel.push(fflags, data, None);
            true
        }
        None => false,
    });
}

/// The live channels watching `process` (the dead ones are forgotten).
pub(crate) fn watchers(process: &mut Process) -> Vec<Arc<ProcChannel>> {
    let mut live = Vec::new();
    process.watchers.retain(|weak| match weak.upgrade() {
        Some(channel) => {
            live.push(channel);
            true
        }
        None => false,
    });
    live
}

impl TrackedChild {
    pub(crate) fn new(channel: Arc<ProcChannel>, socket: OwnedFd) -> Self {
        Self { channel, socket }
    }
}

/// What one pass over the client's messages leaves to send.
struct Outgoing {
    bytes: Vec<u8>,
    fd: Option<OwnedFd>,
}

/// The channel's task: answers the client, notifies it of events, watches the target's exit.
async fn serve(
    channel: Arc<ProcChannel>,
    socket: AsyncFd<OwnedFd>,
    mut pidfd: Option<AsyncFd<OwnedFd>>,
    target_pid: i32,
    mut stop: oneshot::Receiver<()>,
) {
    let mut can_notify = true;
    let mut outbox: VecDeque<Outgoing> = VecDeque::new();
    loop {
        if can_notify && channel.has_events() {
            let mut bytes = vec![0u8; CALL_HEADER];
            bytes[..4].copy_from_slice(&MSG_NOTIFICATION.to_le_bytes());
            outbox.push_back(Outgoing { bytes, fd: None });
            // One notification at a time: the next waits for the client to read this event.
            can_notify = false;
        }
        if !flush(&channel, &socket, &mut outbox) {
            return;
        }
        let exit = async {
            match &pidfd {
                Some(fd) => {
                    let _ = fd.readable().await;
                }
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            guard = socket.readable() => {
                let Ok(mut guard) = guard else { return };
                match receive(&channel, socket.get_ref(), &mut outbox, &mut can_notify) {
                    Received::More => {}
                    Received::Drained => guard.clear_ready(),
                    Received::HungUp => {
                        tracing::debug!(target: "kqchan", channel = channel.id, "the client closed the channel");
                        return;
                    }
                }
            }
            _ = socket.writable(), if !outbox.is_empty() => {}
            _ = channel.wake.notified() => {}
            _ = exit => {
                // Read the wait status while the process is a zombie (its parent may reap it soon).
                let status = procfs::exit_status(target_pid).unwrap_or(0);
                tracing::debug!(target: "kqchan", channel = channel.id, pid = channel.target_nspid, status, "watched process exited");
                channel.push(NOTE_EXIT, i64::from(status), None);
                pidfd = None;
            }
            _ = &mut stop => return,
        }
    }
}

/// Sends what is queued until the socket is full. False when the client is gone.
fn flush(channel: &ProcChannel, socket: &AsyncFd<OwnedFd>, outbox: &mut VecDeque<Outgoing>) -> bool {
    while let Some(message) = outbox.front() {
        let fds: Vec<_> = message.fd.iter().map(AsFd::as_fd).collect();
        match crate::socket::send_to(socket.get_ref().as_fd(), None, &message.bytes, &fds) {
            Ok(()) => {
                outbox.pop_front();
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return true,
            Err(e) => {
                tracing::debug!(target: "kqchan", channel = channel.id, "sending on the channel failed: {}", describe_io(&e));
                return false;
            }
        }
    }
    true
}

enum Received {
    /// A message was handled; there may be more.
    More,
    /// Nothing more to read now.
    Drained,
    HungUp,
}

/// Reads and answers one message.
fn receive(
    channel: &ProcChannel,
    socket: &OwnedFd,
    outbox: &mut VecDeque<Outgoing>,
    can_notify: &mut bool,
) -> Received {
    let mut buf = [0u8; 64];
    // SAFETY: recv into a local buffer from a descriptor we own. MSG_TRUNC: a longer message is
    // reported at its full length, and is malformed.
    let n = unsafe {
        libc::recv(
            socket.as_raw_fd(),
            buf.as_mut_ptr().cast(),
            buf.len(),
            libc::MSG_DONTWAIT | libc::MSG_TRUNC,
        )
    };
    if n < 0 {
        let err = std::io::Error::last_os_error();
        return match err.kind() {
            std::io::ErrorKind::WouldBlock => Received::Drained,
            std::io::ErrorKind::Interrupted => Received::More,
            _ => Received::HungUp,
        };
    }
    let n = n as usize;
    if n == 0 {
        return Received::HungUp;
    }
    if n < CALL_HEADER || n > buf.len() {
        tracing::warn!(target: "kqchan", channel = channel.id, "dropped a malformed kqueue channel message of {n} byte(s)");
        return Received::More;
    }
    let number = u32::from_le_bytes(buf[..4].try_into().expect("4 bytes"));
    match number {
        MSG_PROC_MODIFY if n >= PROC_MODIFY_CALL => {
            let flags = u32::from_le_bytes(buf[12..16].try_into().expect("4 bytes"));
            channel.state().flags = flags;
            tracing::debug!(target: "kqchan", channel = channel.id, flags = format_args!("{flags:#x}"), "flags changed");
            outbox.push_back(Outgoing { bytes: reply_header(MSG_PROC_MODIFY, 0), fd: None });
        }
        MSG_PROC_READ => {
            // Reading acknowledges the notification: another may follow.
            *can_notify = true;
            outbox.push_back(read_event(channel));
        }
        _ => {
            tracing::warn!(target: "kqchan", channel = channel.id, "kqueue channel message {number} is not one a process channel answers");
            outbox.push_back(Outgoing { bytes: reply_header(number, -libc::EINVAL), fd: None });
        }
    }
    Received::More
}

fn reply_header(number: u32, code: i32) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(24);
    bytes.extend_from_slice(&number.to_le_bytes());
    bytes.extend_from_slice(&code.to_le_bytes());
    bytes
}

/// The answer to `proc_read`: the oldest event the flags ask for (events they do not ask for are
/// dropped), or `NO_EVENT`.
fn read_event(channel: &ProcChannel) -> Outgoing {
    let (fflags, data, child) = {
        let mut state = channel.state();
        let flags = state.flags;
        loop {
            let Some(event) = state.events.pop_front() else { break (0, 0, None) };
            // A tracked child's channel announces itself with NOTE_CHILD whatever its flags say.
            let wanted = event.fflags & (flags | NOTE_CHILD | NOTE_TRACKERR);
            if wanted == 0 {
                continue;
            }
            let data = if wanted & NOTE_EXIT != 0 && flags & NOTE_EXITSTATUS == 0 { 0 } else { event.data };
            break (wanted, data, event.child.map(|child| (child, flags)));
        }
    };
    let mut fflags = fflags;
    let mut fd = None;
    match child {
        Some((child, flags)) if flags & NOTE_TRACK != 0 => {
            // The child's channel follows the watcher's current flags.
            child.channel.state().flags = flags;
            fd = Some(child.socket);
        }
        // Without NOTE_TRACK the child's channel is not wanted: dropping its end ends it.
        Some(_) => {}
        None if fflags & NOTE_FORK != 0 && channel.flags() & NOTE_TRACK != 0 => fflags |= NOTE_TRACKERR,
        None => {}
    }
    let code = if fflags == 0 { NO_EVENT } else { 0 };
    let mut bytes = reply_header(MSG_PROC_READ, code);
    bytes.extend_from_slice(&fflags.to_le_bytes());
    if !channel.listener_is_i386 {
        bytes.extend_from_slice(&[0; 4]);
    }
    bytes.extend_from_slice(&data.to_le_bytes());
    tracing::debug!(target: "kqchan", channel = channel.id, pid = channel.target_nspid, "read: fflags {fflags:#x} data {data}{}", if fd.is_some() { " + child channel" } else { "" });
    Outgoing { bytes, fd }
}

/// A weak reference to a channel, as a watched process keeps it.
pub type Watcher = Weak<ProcChannel>;
