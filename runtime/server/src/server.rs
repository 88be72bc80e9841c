//! The server: the receive loop, process and thread registration, where replies go, and the tasks
//! that watch for deaths, execs and console output. The calls themselves are in `calls.rs`.
//!
//! Threads: one receiver thread blocks in `recvmsg` on the socket and handles each call to its reply
//! inline (no hop to another thread: a call costs the datagram round trip plus a lock and a few small
//! allocations in the generated dispatcher). Calls from one client thread are handled in the order it
//! sent them, which the interrupt protocol relies on. Everything that waits (pidfds, exec pipes,
//! console relays, replies to deferred calls) runs as tokio tasks on a second thread; those tasks reach
//! the registry through the same mutex.
//!
//! Replies: a reply to the call being dispatched goes straight back to the address it came from. Any
//! other reply (a deferred call completing, a context dropped with its process) goes through a queue
//! to a task that finds the thread's current address and holds the reply back while the thread is in
//! a signal handler (see `registry::Interrupt`). The queue also means no reply is ever sent while the
//! registry lock is held, so dropping a process with a pending call cannot deadlock.

use std::cell::Cell;
use std::marker::PhantomData;
use std::os::fd::{AsRawFd, OwnedFd};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};

use darling_core::prefix::Prefix;
use darling_core::rpc::wire as rpc_wire;
use darling_core::rpc::{self, Architecture, CallHeader, Context, Incoming, OutgoingReply, ReplySink};
use nix::libc;
use tokio::io::unix::AsyncFd;
use tokio::sync::{mpsc, oneshot};

use crate::calls::{Caller, Scope};
use darling_core::errno::describe_io;

use crate::error::Error;
use crate::kqchan;
use crate::procfs;
use crate::registry::{ForkWait, Lifetime, PendingReply, Process, Registry, Thread};
use crate::socket::{Credentials, PeerAddr, Received, RecvBuf, ServerSocket};

/// How the server is set up.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Config {
    pub prefix: Prefix,
    /// What `mldr_path` reports.
    pub mldr_path: PathBuf,
}

impl Config {
    pub fn new(prefix: Prefix) -> Self {
        let mldr_path = prefix.root().join("usr/libexec/darling/mldr");
        Self { prefix, mldr_path }
    }
}

/// Counters for the logs.
#[derive(Default)]
pub struct Stats {
    pub calls: AtomicU64,
    pub rejected: AtomicU64,
    pub malformed: AtomicU64,
    pub replies_dropped: AtomicU64,
}

pub struct Server {
    socket: Arc<ServerSocket>,
    registry: Mutex<Registry>,
    pub(crate) runtime: tokio::runtime::Handle,
    uid: u32,
    pub(crate) config: Config,
    stopping: AtomicBool,
    next_serial: AtomicU64,
    sink: Arc<dyn ReplySink>,
    pub stats: Stats,
}

/// The call the receiver thread is dispatching: its caller's ids and where its datagram came from.
#[derive(Clone, Copy)]
struct Dispatching {
    pid: i32,
    tid: i32,
    /// Points at the received datagram's address; valid while a [`DispatchGuard`] is alive.
    addr: *const PeerAddr,
}

thread_local! {
    /// The call the receiver thread is dispatching: replies to it are sent at once, from the sink.
    /// A pointer rather than a copy of the address: the hot path copies nothing it does not need.
    static DISPATCHING: Cell<Option<Dispatching>> = const { Cell::new(None) };
}

/// Marks a call as being dispatched for as long as it lives, and unmarks it however the dispatch
/// ends (a panicking call unwinds through its drop). It borrows the address it points at, so the
/// address outlives the mark.
struct DispatchGuard<'a>(PhantomData<&'a PeerAddr>);

impl<'a> DispatchGuard<'a> {
    fn enter(pid: i32, tid: i32, addr: &'a PeerAddr) -> Self {
        DISPATCHING.set(Some(Dispatching { pid, tid, addr }));
        DispatchGuard(PhantomData)
    }
}

impl Drop for DispatchGuard<'_> {
    fn drop(&mut self) {
        DISPATCHING.set(None);
    }
}

thread_local! {
    /// Set while the receiver thread answers another thread's call outside the registry lock (see
    /// [`Server::answer_now`]): the reply is delivered at once instead of through the queue.
    static DELIVER_NOW: Cell<bool> = const { Cell::new(false) };
}

/// Where the generated dispatcher's replies go (see the module comment).
struct Sink {
    server: Weak<Server>,
    /// The server's socket, shared so the direct path needs no upgrade of `server`.
    socket: Arc<ServerSocket>,
    later: mpsc::UnboundedSender<OutgoingReply>,
}

impl ReplySink for Sink {
    fn send(&self, reply: OutgoingReply) {
        log_reply(&reply);
        match DISPATCHING.get() {
            Some(call) if call.pid == reply.to.pid && call.tid == reply.to.tid => {
                // SAFETY: DISPATCHING is only set while a DispatchGuard lives, and the guard borrows
                // the address it points at.
                let addr = unsafe { &*call.addr };
                if addr.is_unnamed() {
                    // Rare (a client that never bound its socket): the full path logs it.
                    if let Some(server) = self.server.upgrade() {
                        server.send_reply(addr, &reply.bytes, &reply.fds, reply.info.name, reply.to.pid);
                    }
                } else if let Err(e) = self.socket.send(addr, &reply.bytes, &reply.fds)
                    && let Some(server) = self.server.upgrade()
                {
                    server.reply_failed(addr, reply.info.name, reply.to.pid, &e);
                }
            }
            _ if DELIVER_NOW.get()
                && let Some(server) = self.server.upgrade() =>
            {
                server.deliver(reply)
            }
            _ => {
                let _ = self.later.send(reply);
            }
        }
    }
}

fn log_reply(reply: &OutgoingReply) {
    if tracing::enabled!(target: "calls", tracing::Level::DEBUG) {
        tracing::debug!(target: "calls", "{}", reply.describe());
    }
    if reply.code == rpc::STATUS_DROPPED {
        tracing::warn!(target: "calls", pid = reply.to.pid, "`{}` was dropped unanswered", reply.info.name);
    }
}

impl Server {
    pub fn new(socket: ServerSocket, config: Config, runtime: tokio::runtime::Handle) -> Arc<Self> {
        // The exchange log is the only reader of a call's bytes once it is dispatched: without it,
        // contexts do not copy them. (The log filter is set before the server starts and stays.)
        rpc::keep_call_bytes(tracing::enabled!(target: "calls", tracing::Level::DEBUG));
        let (later_tx, later_rx) = mpsc::unbounded_channel();
        let socket = Arc::new(socket);
        let server = Arc::new_cyclic(|weak: &Weak<Server>| Self {
            socket: socket.clone(),
            registry: Mutex::new(Registry::default()),
            runtime: runtime.clone(),
            // SAFETY: geteuid cannot fail.
            uid: unsafe { libc::geteuid() },
            config,
            stopping: AtomicBool::new(false),
            next_serial: AtomicU64::new(1),
            sink: Arc::new(Sink { server: weak.clone(), socket, later: later_tx }),
            stats: Stats::default(),
        });
        runtime.spawn(deliver_later(Arc::downgrade(&server), later_rx));
        server
    }

    pub fn socket(&self) -> &ServerSocket {
        &self.socket
    }

    pub(crate) fn registry(&self) -> MutexGuard<'_, Registry> {
        // A panic while holding the lock must not take every later call down with it.
        self.registry.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The receive loop; returns when [`Server::stop`] is called.
    pub fn serve(self: &Arc<Self>) {
        let mut buf = RecvBuf::new();
        while !self.stopping.load(Ordering::Relaxed) {
            match self.socket.recv(&mut buf) {
                Ok(message) => {
                    if self.stopping.load(Ordering::Relaxed) {
                        break;
                    }
                    // A bug in one call must not stop the server: the panic is logged (by the panic
                    // hook) and the loop carries on. Descriptors in flight are closed by unwinding.
                    let server = std::panic::AssertUnwindSafe(self);
                    if std::panic::catch_unwind(move || server.handle(message)).is_err() {
                        tracing::error!("a call panicked; the server carries on");
                    }
                }
                Err(e) => {
                    tracing::error!(socket = %self.socket.path().display(), "receiving a datagram failed: {}", describe_io(&e));
                    std::thread::sleep(std::time::Duration::from_millis(10));
                }
            }
        }
    }

    pub fn stop(&self) {
        self.stopping.store(true, Ordering::Relaxed);
        self.socket.shutdown_receive();
    }

    fn handle(self: &Arc<Self>, mut message: Received<'_>) {
        let Some(creds) = message.creds else {
            // Only a shutdown wake-up arrives without credentials (the kernel attaches them to every
            // datagram once SO_PASSCRED is on).
            return;
        };
        // Who may send here is decided twice. The socket file is mode 0600 from the moment it is
        // bound (see `socket.rs`), so the kernel lets only this user (or root, whose
        // CAP_DAC_OVERRIDE ignores modes) connect: the comparison below only ever turns root's
        // traffic away, and costs one integer comparison on credentials the server needs anyway.
        // Those credentials are what is paid for (the kernel attaches SCM_CREDENTIALS to every
        // datagram; measured at about 0.1 us a call, see `cargo xtask bench runtime`), and they
        // cannot go: the kernel's pid is how a datagram is tied to a process. The header's pid is
        // the client's own claim, and remembering "address A is pid P" after a first check would
        // be wrong whenever a thread's socket is shared with a child made without the fork
        // handlers (vfork, posix_spawn, a raw clone): the child's calls, its exec check-out
        // included, would be taken for the parent's.
        if creds.uid != self.uid {
            self.stats.rejected.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(
                pid = creds.pid,
                uid = creds.uid,
                "rejected a datagram from another user (pid {}, uid {}); this server serves uid {}",
                creds.pid,
                creds.uid,
                self.uid
            );
            return;
        }
        if message.truncated {
            return self
                .malformed(&creds, format!("datagram longer than {} bytes", crate::socket::MAX_DATAGRAM));
        }
        if message.control_truncated {
            tracing::warn!(
                pid = creds.pid,
                "datagram carried more than {} descriptors; the rest were discarded",
                crate::socket::MAX_FDS
            );
        }
        let fds: Vec<OwnedFd> =
            if message.fds.is_empty() { Vec::new() } else { message.fds.drain().collect() };
        let incoming = match Incoming::parse(message.data, fds) {
            Ok(incoming) => incoming,
            Err(e) => {
                self.malformed(&creds, e.to_string());
                // A known call of the wrong size still gets an answer, so a confused client is not
                // left waiting forever; it is an internal RPC error (negative).
                if let Some(header) = CallHeader::read(message.data)
                    && let Some(info) = rpc_wire::call_by_number(header.number)
                {
                    let mut reply = vec![0u8; info.reply_size];
                    rpc::ReplyHeader { number: info.number, code: -libc::EBADMSG }.write(&mut reply);
                    self.send_reply(message.addr, &reply, &[], info.name, creds.pid);
                }
                return;
            }
        };
        let header = match &incoming {
            Incoming::Call(call) => call.header,
            Incoming::PushReply(push) => push.header,
            Incoming::S2cReply(reply) => reply.header,
        };
        let caller = match &incoming {
            Incoming::Call(call) if header.number & rpc_wire::UNMANAGED_FLAG == 0 => {
                self.stats.calls.fetch_add(1, Ordering::Relaxed);
                match self.register(&creds, &header, message.addr, call.info.index == 1) {
                    Ok(caller) => caller,
                    Err(e) => {
                        tracing::warn!(
                            pid = creds.pid,
                            call = call.info.name,
                            "could not register the caller: {e}"
                        );
                        let mut reply = vec![0u8; call.info.reply_size];
                        rpc::ReplyHeader { number: call.info.number, code: -e.errno() }.write(&mut reply);
                        return self.send_reply(message.addr, &reply, &[], call.info.name, creds.pid);
                    }
                }
            }
            _ => Caller { pid: creds.pid, nspid: header.pid, nstid: header.tid },
        };
        if let Incoming::Call(call) = &incoming {
            tracing::debug!(target: "calls", "{}:{} {}", header.pid, header.tid, call.describe());
        }
        let _dispatching = DispatchGuard::enter(header.pid, header.tid, message.addr);
        rpc::dispatch(&Scope { server: self, caller }, incoming, &self.sink);
    }

    pub(crate) fn malformed(&self, creds: &Credentials, what: String) {
        self.stats.malformed.fetch_add(1, Ordering::Relaxed);
        tracing::warn!(pid = creds.pid, "dropped a malformed datagram from pid {}: {what}", creds.pid);
    }

    pub(crate) fn send_reply(&self, addr: &PeerAddr, bytes: &[u8], fds: &[OwnedFd], call: &str, pid: i32) {
        if addr.is_unnamed() {
            self.stats.replies_dropped.fetch_add(1, Ordering::Relaxed);
            tracing::debug!(pid, call, "no reply: the caller's socket is not bound to an address");
            return;
        }
        if let Err(e) = self.socket.send(addr, bytes, fds) {
            self.reply_failed(addr, call, pid, &e);
        }
    }

    fn reply_failed(&self, addr: &PeerAddr, call: &str, pid: i32, e: &std::io::Error) {
        self.stats.replies_dropped.fetch_add(1, Ordering::Relaxed);
        tracing::warn!(pid, call, peer = %addr, "could not send the reply of `{call}` to pid {pid} at {addr}: {}", describe_io(e));
    }

    /// A reply for a thread that is not the one being dispatched: hold it while the thread is in a
    /// signal handler entered after the call was made, else send it to the thread's address.
    fn deliver(&self, reply: OutgoingReply) {
        let mut registry = self.registry();
        let Some(pid) = registry.pid_for_nspid(reply.to.pid) else {
            tracing::debug!(
                pid = reply.to.pid,
                "reply of `{}` dropped: the process is gone",
                reply.info.name
            );
            return;
        };
        let process = registry.get_mut(pid).expect("indexed");
        let Some(thread) = process.threads.get_mut(&reply.to.tid) else {
            tracing::debug!(
                pid,
                tid = reply.to.tid,
                "reply of `{}` dropped: the thread is gone",
                reply.info.name
            );
            return;
        };
        let addr = thread.addr;
        if let Some(level) = thread.deferred_level.take()
            && thread.interrupts.len() > level
        {
            tracing::debug!(target: "calls", "{}:{} reply of `{}` held until interrupt_exit", reply.to.pid, reply.to.tid, reply.info.name);
            thread.interrupts[level].saved_reply =
                Some(PendingReply { addr, bytes: reply.bytes.into_vec(), fds: reply.fds });
            return;
        }
        drop(registry);
        self.send_reply(&addr, &reply.bytes, &reply.fds, reply.info.name, pid);
    }

    /// Finds or creates the calling process and thread.
    fn register(
        self: &Arc<Self>,
        creds: &Credentials,
        header: &CallHeader,
        addr: &PeerAddr,
        is_checkin: bool,
    ) -> Result<Caller, Error> {
        let mut registry = self.registry();
        if registry.get(creds.pid).is_none() {
            let process = self.new_process(&registry, creds, header)?;
            let pid = process.pid;
            registry.insert(process);
            tracing::info!(
                pid,
                nspid = header.pid,
                arch = Architecture::from_wire(header.architecture).name(),
                "process {pid} ({}) registered",
                header.pid
            );
        }
        let process = registry.get_mut(creds.pid).expect("present");
        if process.nspid != header.pid {
            return Err(Error::Other(format!(
                "call header says pid {} but the kernel says pid {} is known as {}",
                header.pid, creds.pid, process.nspid
            )));
        }
        let thread = match process.threads.entry(header.tid) {
            std::collections::hash_map::Entry::Occupied(entry) => entry.into_mut(),
            std::collections::hash_map::Entry::Vacant(entry) => {
                let tid = procfs::linux_tid(creds.pid, header.pid, header.tid).ok_or_else(|| {
                    Error::Other(format!(
                        "pid {} has no thread {} (from the call header)",
                        creds.pid, header.tid
                    ))
                })?;
                let mut thread = Thread::new(tid, header.tid, *addr);
                thread.exit_watch = self.watch_thread(creds.pid, process.serial, header.tid, tid);
                entry.insert(thread)
            }
        };
        // Written only when it moved (a fork child's or an exec'd image's new socket): the address
        // is most of a cache line, and every call passes here.
        if thread.addr != *addr {
            thread.addr = *addr;
        }
        thread.calls += 1;
        let _ = is_checkin;
        Ok(Caller { pid: creds.pid, nspid: header.pid, nstid: header.tid })
    }

    /// Watches a new thread's exit (a `PIDFD_THREAD` pidfd, Linux 6.9), so that a thread that ends
    /// without checking out (killed by a raw exit, its socket destructor never run) leaves the
    /// registry at once rather than with its process. Without such pidfds it leaves with its
    /// process. Returns the handle whose drop (the thread leaving otherwise) stops the watch.
    fn watch_thread(
        self: &Arc<Self>,
        pid: i32,
        serial: u64,
        nstid: i32,
        tid: i32,
    ) -> Option<oneshot::Sender<()>> {
        let pidfd = procfs::thread_pidfd(tid)?;
        let _guard = self.runtime.enter();
        let pidfd = register(pidfd).ok()?;
        let (stop_tx, stop_rx) = oneshot::channel();
        let server = Arc::downgrade(self);
        self.runtime.spawn(async move {
            tokio::select! {
                _ = pidfd.readable() => {}
                _ = stop_rx => return,
            }
            let Some(server) = server.upgrade() else { return };
            server.thread_died(pid, serial, nstid, tid);
        });
        Some(stop_tx)
    }

    /// A watched thread ended without checking out: it leaves the registry (its process stays).
    fn thread_died(&self, pid: i32, serial: u64, nstid: i32, tid: i32) {
        // A new thread may have been given the dead one's id (and so its entry) meanwhile.
        if std::path::Path::new(&format!("/proc/{pid}/task/{tid}")).exists() {
            return;
        }
        let mut registry = self.registry();
        let Some(process) = registry.get_mut(pid).filter(|p| p.serial == serial) else { return };
        let Some(thread) = process.threads.remove(&nstid) else { return };
        let nspid = process.nspid;
        drop(registry);
        tracing::info!(
            pid,
            "thread {nstid} of process {nspid} exited without checking out; it left the registry"
        );
        // Dropped outside the lock: a call it left waiting is answered through the queue.
        drop(thread);
    }

    fn new_process(
        self: &Arc<Self>,
        registry: &Registry,
        creds: &Credentials,
        header: &CallHeader,
    ) -> Result<Process, Error> {
        let facts = procfs::process_facts(creds.pid)?;
        if let Some(own) = facts.nspids.last()
            && *own != header.pid
        {
            return Err(Error::Other(format!(
                "call header says pid {} but pid {} calls itself {own}",
                header.pid, creds.pid
            )));
        }
        let mut process = Process::new(
            creds.pid,
            header.pid,
            Architecture::from_wire(header.architecture),
            creds.uid,
            creds.gid,
        );
        process.groups = facts.groups;
        if let Some(parent) = registry.get(facts.ppid) {
            // Credentials and the vchroot are inherited, as on fork.
            process.parent = Some(parent.pid);
            process.uid = parent.uid;
            process.gid = parent.gid;
            process.groups = parent.groups.clone();
            process.executable_path = parent.executable_path.clone();
            if let Some((fd, path)) = &parent.vchroot
                && let Ok(dup) = fd.try_clone()
            {
                process.vchroot = Some((dup, path.clone()));
            }
        }
        let serial = self.next_serial.fetch_add(1, Ordering::Relaxed);
        process.serial = serial;
        let (stop_tx, stop_rx) = oneshot::channel();
        let server = Arc::downgrade(self);
        let pid = creds.pid;
        match procfs::pidfd_open(creds.pid)? {
            Some(pidfd) => {
                process.lifetime = Some(Lifetime::Pidfd(stop_tx));
                self.runtime.spawn(async move { watch_pidfd(server, pid, serial, pidfd, stop_rx).await });
            }
            None => {
                let start_time = procfs::start_time(creds.pid)
                    .ok_or_else(|| Error::Other(format!("pid {} exited while checking in", creds.pid)))?;
                let (pipe_tx, pipe_rx) = mpsc::unbounded_channel();
                process.lifetime =
                    Some(Lifetime::Polled { start_time, lifetime_pipes: pipe_tx, _stop: stop_tx });
                self.runtime.spawn(async move {
                    watch_by_polling(server, pid, serial, start_time, pipe_rx, stop_rx).await
                });
            }
        }
        Ok(process)
    }

    /// A forked child checks in: every kqueue channel watching its parent gets `NOTE_FORK`, and
    /// those that follow forks (`NOTE_TRACK`) get a new channel watching the child, which announces
    /// itself with `NOTE_CHILD`. (A watcher that adds `NOTE_TRACK` only after the fork gets
    /// `NOTE_TRACKERR` instead: channels are opened for the watchers that asked when it happened.)
    pub(crate) fn announce_fork(&self, child: i32) {
        let mut registry = self.registry();
        let Some((parent_pid, child_nspid)) = registry.get(child).and_then(|p| Some((p.parent?, p.nspid)))
        else {
            return;
        };
        let Some(parent) = registry.get_mut(parent_pid) else { return };
        let parent_nspid = parent.nspid;
        let data = i64::from(child_nspid as u32 & kqchan::NOTE_PDATAMASK);
        for watcher in kqchan::watchers(parent) {
            let listener_is_i386 =
                registry.get(watcher.listener).map(|p| p.architecture == Architecture::I386);
            let tracked = match listener_is_i386 {
                Some(is_i386) if watcher.flags() & kqchan::NOTE_TRACK != 0 => {
                    let child = registry.get_mut(child).expect("present");
                    let first = (kqchan::NOTE_CHILD, i64::from(parent_nspid as u32 & kqchan::NOTE_PDATAMASK));
                    match kqchan::open(
                        &self.runtime,
                        child,
                        watcher.listener,
                        is_i386,
                        watcher.flags(),
                        Some(first),
                    ) {
                        Ok((channel, socket, stop)) => {
                            if let Some(listener) = registry.get_mut(watcher.listener) {
                                listener.hold(stop);
                            }
                            Some(kqchan::TrackedChild::new(channel, socket))
                        }
                        Err(e) => {
                            tracing::warn!(
                                pid = child_nspid,
                                "cannot open a kqueue channel following the fork: {e}"
                            );
                            None
                        }
                    }
                }
                _ => None,
            };
            watcher.push(kqchan::NOTE_FORK, data, tracked);
        }
    }

    /// Answers a call of another thread from the receiver thread, without the hop through the
    /// delivery queue: the reply is on its way (or held for a signal handler) when this returns.
    /// The caller must not hold the registry lock.
    pub(crate) fn answer_now(&self, answer: impl FnOnce()) {
        struct Reset;
        impl Drop for Reset {
            fn drop(&mut self) {
                DELIVER_NOW.set(false);
            }
        }
        DELIVER_NOW.set(true);
        let _reset = Reset;
        answer();
    }

    /// A forked child checks in: takes the parent's waiting `fork_wait_for_child`, if one waits, or
    /// counts the arrival for the next one. The caller answers the wait (after the child's own
    /// reply, in any order: it goes through the queue). Done while the child's check-in is being
    /// served, so the child cannot have died and left the registry first.
    pub(crate) fn take_fork_waiter(&self, child: i32) -> Option<Context<()>> {
        let start = procfs::start_time_even_if_dead(child);
        let mut registry = self.registry();
        let parent_pid = registry.get(child).and_then(|p| p.parent)?;
        let parent = registry.get_mut(parent_pid)?;
        if let Some(start) = start {
            // Remembered so that, once it has left the registry (an exec of a Linux program, or
            // its death), it is not taken for a child that never checked in.
            parent.settle_child((child, start));
        }
        match parent.threads.values_mut().find_map(|t| t.deferred.take()) {
            Some(wait) => Some(wait.ctx),
            None => {
                parent.fork_wait_count += 1;
                None
            }
        }
    }

    /// `fork_wait_for_child`: answered at once when a forked child has checked in since the last
    /// one; otherwise it waits for a child to check in, or for the child it waits for to die without
    /// checking in (killed before it could, or forked without the shim's fork handler), which
    /// answers `ECHILD` instead of waiting forever.
    ///
    /// Which child? The call names none, and may even come before the fork. The one it waits for is
    /// the newest (by start time; ties all count) of the process's children that have neither checked
    /// in after a fork nor been reported dead by an earlier wait: when those are all dead, the wait
    /// ends. A task looks every 250 ms while the wait lasts (the kernel announces no forks, and the
    /// child may not exist yet); an answered wait stops it.
    pub(crate) fn wait_for_fork_child(self: &Arc<Self>, caller: &crate::calls::Caller, ctx: Context<()>) {
        let mut registry = self.registry();
        let Some(process) = registry.get_mut(caller.pid) else {
            drop(registry);
            return ctx.reply_status(libc::ESRCH);
        };
        if process.fork_wait_count > 0 {
            process.fork_wait_count -= 1;
            drop(registry);
            return ctx.reply_ok(());
        }
        let serial = process.serial;
        let Some(thread) = process.threads.get_mut(&caller.nstid) else {
            drop(registry);
            return ctx.reply_status(libc::ESRCH);
        };
        let wait_serial = self.next_serial.fetch_add(1, Ordering::Relaxed);
        let (stop_tx, mut stop_rx) = oneshot::channel();
        // A reply that comes while the thread is in a signal handler entered later waits for it.
        thread.deferred_level = Some(thread.interrupts.len());
        thread.deferred = Some(ForkWait { ctx, serial: wait_serial, _watch: Some(stop_tx) });
        drop(registry);
        let server = Arc::downgrade(self);
        let (pid, nspid, nstid) = (caller.pid, caller.nspid, caller.nstid);
        self.runtime.spawn(async move {
            loop {
                let Some(strong) = server.upgrade() else { return };
                if let Some(dead) = strong.fork_child_died(pid, serial) {
                    let waiting = {
                        let mut registry = strong.registry();
                        let thread = registry
                            .get_mut(pid)
                            .filter(|p| p.serial == serial)
                            .and_then(|p| p.threads.get_mut(&nstid));
                        match thread {
                            Some(t) if t.deferred.as_ref().is_some_and(|w| w.serial == wait_serial) => {
                                t.deferred.take()
                            }
                            _ => None,
                        }
                    };
                    if let Some(wait) = waiting {
                        tracing::info!(
                            pid = nspid,
                            "fork_wait_for_child: child {dead:?} died before checking in"
                        );
                        wait.ctx.reply_status(libc::ECHILD);
                    }
                    return;
                }
                drop(strong);
                tokio::select! {
                    _ = tokio::time::sleep(std::time::Duration::from_millis(250)) => {}
                    // Answered otherwise: a child checked in, or the process went.
                    _ = &mut stop_rx => return,
                }
            }
        });
    }

    /// The children a `fork_wait_for_child` of `pid` waits for, when they are all dead (then noted,
    /// so the next wait does not count them again): the newest of its children that have not
    /// checked in after a fork nor been reported dead. A child the server knows but that has not
    /// arrived is among them (it may be in the middle of its check-in). `None` while one of them
    /// lives, or while there is none.
    fn fork_child_died(&self, pid: i32, serial: u64) -> Option<Vec<i32>> {
        // Read /proc before taking the lock, which calls are served under.
        let children: Vec<(i32, u64)> = procfs::children(pid)
            .into_iter()
            .filter_map(|child| Some((child, procfs::start_time_even_if_dead(child)?)))
            .collect();
        let mut registry = self.registry();
        let process = registry.get_mut(pid).filter(|p| p.serial == serial)?;
        // Children that have been reaped since are forgotten.
        process.settled_children.retain(|settled| children.contains(settled));
        let candidates: Vec<(i32, u64)> =
            children.into_iter().filter(|child| !process.settled_children.contains(child)).collect();
        let newest = candidates.iter().map(|(_, start)| *start).max()?;
        let newest: Vec<(i32, u64)> = candidates.into_iter().filter(|(_, start)| *start == newest).collect();
        if newest.iter().any(|(child, start)| procfs::is_alive(*child, *start)) {
            return None;
        }
        for child in &newest {
            process.settle_child(*child);
        }
        Some(newest.iter().map(|(child, _)| *child).collect())
    }

    /// Removes a dead process, if the entry is still the one that died (`serial`).
    pub(crate) fn process_died(&self, pid: i32, serial: u64, how: &str) {
        let mut registry = self.registry();
        if registry.get(pid).is_none_or(|p| p.serial != serial) {
            return;
        }
        let mut process = registry.remove(pid).expect("checked above");
        drop(registry);
        // Channels that cannot see the exit themselves (no pidfd) learn it here.
        for watcher in kqchan::watchers(&mut process) {
            if !watcher.watches_exit {
                watcher.push(kqchan::NOTE_EXIT, 0, None);
            }
        }
        tracing::info!(
            pid,
            nspid = process.nspid,
            "process {pid} ({}) {how}; reclaimed {} thread(s) and its descriptors",
            process.nspid,
            process.threads.len()
        );
        // Dropping `process` (here, outside the lock) closes its descriptors, stops its watchers and
        // relays, and answers any call it left pending.
    }
}

/// Delivers replies that are not for the call being dispatched (see [`Server::deliver`]).
async fn deliver_later(server: Weak<Server>, mut later: mpsc::UnboundedReceiver<OutgoingReply>) {
    while let Some(reply) = later.recv().await {
        let Some(server) = server.upgrade() else { return };
        server.deliver(reply);
    }
}

/// Registers a descriptor with the tokio reactor for readability.
pub(crate) fn register(fd: OwnedFd) -> std::io::Result<AsyncFd<OwnedFd>> {
    // SAFETY: the AsyncFd owns the descriptor, so it stays open for as long as it is registered.
    unsafe { AsyncFd::register_with_interest(fd, tokio::io::Interest::READABLE) }
        .map_err(std::io::Error::from)
}

pub(crate) fn set_nonblocking(fd: &OwnedFd) -> std::io::Result<()> {
    // SAFETY: fcntl on a descriptor we own.
    unsafe {
        let flags = crate::socket::cvt(libc::fcntl(fd.as_raw_fd(), libc::F_GETFL))?;
        crate::socket::cvt(libc::fcntl(fd.as_raw_fd(), libc::F_SETFL, flags | libc::O_NONBLOCK))?;
    }
    Ok(())
}
async fn watch_pidfd(
    server: Weak<Server>,
    pid: i32,
    serial: u64,
    pidfd: OwnedFd,
    stop: oneshot::Receiver<()>,
) {
    let pidfd = match register(pidfd) {
        Ok(fd) => fd,
        Err(e) => {
            tracing::error!(pid, "cannot watch the pidfd of pid {pid}: {}", describe_io(&e));
            return;
        }
    };
    tokio::select! {
        _ = pidfd.readable() => {
            if let Some(server) = server.upgrade() {
                server.process_died(pid, serial, "exited");
            }
        }
        // The entry went away first (checkout, exec into a non-client): just stop watching.
        _ = stop => {}
    }
}

/// The fallback without pidfds: poll the process's start time every 200 ms, and look at once when
/// one of its lifetime pipes (sent with each check-in) hangs up.
async fn watch_by_polling(
    server: Weak<Server>,
    pid: i32,
    serial: u64,
    start_time: u64,
    mut pipes: mpsc::UnboundedReceiver<OwnedFd>,
    mut stop: oneshot::Receiver<()>,
) {
    let mut pipe: Option<AsyncFd<OwnedFd>> = None;
    let mut interval = tokio::time::interval(std::time::Duration::from_millis(200));
    loop {
        let hangup = async {
            match &pipe {
                Some(fd) => {
                    let _ = fd.readable().await;
                }
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = interval.tick() => {}
            _ = hangup => {
                // The write end closed: the process died, or exec'd (the end is close-on-exec).
                // Stop watching this pipe either way; the poll below decides.
                pipe = None;
            }
            Some(new) = pipes.recv() => {
                pipe = set_nonblocking(&new).ok().and_then(|()| register(new).ok());
                continue;
            }
            _ = &mut stop => return,
        }
        if !procfs::is_alive(pid, start_time) {
            if let Some(server) = server.upgrade() {
                server.process_died(pid, serial, "exited (noticed by polling)");
            }
            return;
        }
    }
}

/// The exec pipe protocol: the client keeps the write end (close-on-exec) and sends the read end with
/// `checkout`. A hang-up with nothing to read means the exec succeeded; one byte means it failed.
pub(crate) async fn watch_exec_pipe(
    server: Weak<Server>,
    pid: i32,
    (serial, image): (u64, u64),
    pipe: AsyncFd<OwnedFd>,
    executing_macho: bool,
    stop: oneshot::Receiver<()>,
) {
    // The verdict, if the pipe holds one now: `Some(0)` hung up empty, `Some(1)` a byte.
    let read_now = || {
        let mut byte = [0u8; 1];
        // SAFETY: read into a one-byte local from a descriptor we own (non-blocking).
        let n = unsafe { libc::read(pipe.get_ref().as_raw_fd(), byte.as_mut_ptr().cast(), 1) };
        (n >= 0 || std::io::Error::last_os_error().kind() != std::io::ErrorKind::WouldBlock).then_some(n)
    };
    let outcome = async {
        loop {
            let mut guard = match pipe.readable().await {
                Ok(guard) => guard,
                Err(_) => return None,
            };
            match read_now() {
                Some(n) => return Some(n),
                None => guard.clear_ready(),
            }
        }
    };
    let n = tokio::select! {
        n = outcome => n,
        // The entry went (the new image already checked out, or the process died): the verdict
        // may be waiting in the pipe all the same, and the log should say it.
        _ = stop => match read_now() {
            Some(n) => Some(n),
            None => return,
        },
    };
    let Some(server) = server.upgrade() else { return };
    match n {
        Some(0) if executing_macho => {
            let mut registry = server.registry();
            match registry.get_mut(pid).filter(|p| p.serial == serial) {
                // The new image may check in before this verdict is read; then it is already done.
                Some(process) if process.image != image => {
                    tracing::info!(pid, "exec succeeded; the new image has checked in")
                }
                Some(process) => {
                    tracing::info!(pid, "exec succeeded; waiting for the new image to check in");
                    process.pending_replacement = true;
                }
                None => tracing::info!(pid, "exec succeeded; the new image has come and gone"),
            }
        }
        Some(0) => {
            if let Some(process) = server.registry().get_mut(pid).filter(|p| p.serial == serial) {
                kqchan::notify(process, kqchan::NOTE_EXEC, 0);
                // A channel without its own exit watch cannot follow a process that leaves the
                // registry alive: it hears nothing more (rather than a false NOTE_EXIT).
                process.watchers.retain(|w| w.upgrade().is_some_and(|c| c.watches_exit));
            }
            server.process_died(pid, serial, "exec'd a program that is not a client")
        }
        Some(_) => tracing::info!(pid, "exec failed; the process carries on"),
        None => {}
    }
}

pub(crate) async fn relay_console(nspid: i32, fd: AsyncFd<OwnedFd>, mut stop: oneshot::Receiver<()>) {
    let mut pending = Vec::new();
    loop {
        tokio::select! {
            guard = fd.readable() => {
                let Ok(mut guard) = guard else { return };
                match relay_available(nspid, fd.get_ref(), &mut pending) {
                    Some(()) => guard.clear_ready(),
                    None => return,
                }
            }
            _ = &mut stop => {
                // The process is gone; what it wrote before it went is still in the socket.
                let _ = relay_available(nspid, fd.get_ref(), &mut pending);
                if !pending.is_empty() {
                    tracing::info!(target: "console", pid = nspid, "{}", String::from_utf8_lossy(&pending));
                }
                return;
            }
        }
    }
}

/// Logs every complete line the console socket holds now. `Some` when it would block (more may
/// come), `None` at end of file or on an error (a last partial line is logged then).
fn relay_available(nspid: i32, fd: &OwnedFd, pending: &mut Vec<u8>) -> Option<()> {
    loop {
        let mut buf = [0u8; 4096];
        // SAFETY: read into a local buffer from a descriptor we own.
        let n = unsafe { libc::read(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
        if n < 0 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::WouldBlock {
            return Some(());
        }
        if n <= 0 {
            if !pending.is_empty() {
                tracing::info!(target: "console", pid = nspid, "{}", String::from_utf8_lossy(pending));
                pending.clear();
            }
            return None;
        }
        pending.extend_from_slice(&buf[..n as usize]);
        while let Some(end) = pending.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = pending.drain(..=end).collect();
            tracing::info!(target: "console", pid = nspid, "{}", String::from_utf8_lossy(&line).trim_end());
        }
    }
}
