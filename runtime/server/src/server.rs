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
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};

use darling_core::prefix::Prefix;
use darling_core::rpc::wire as rpc_wire;
use darling_core::rpc::{self, CallHeader, Incoming, OutgoingReply, ReplySink};
use nix::libc;
use tokio::io::unix::AsyncFd;
use tokio::sync::{mpsc, oneshot};

use crate::calls::{Caller, Scope};
use crate::error::{Error, errno_name};
use crate::procfs;
use crate::registry::{Architecture, Lifetime, PendingReply, Process, Registry, Thread};
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
    socket: ServerSocket,
    registry: Mutex<Registry>,
    pub(crate) runtime: tokio::runtime::Handle,
    uid: u32,
    pub(crate) config: Config,
    stopping: AtomicBool,
    next_serial: AtomicU64,
    sink: Arc<dyn ReplySink>,
    pub stats: Stats,
}

thread_local! {
    /// The call the receiver thread is dispatching: its caller's ids and address. Replies to it are
    /// sent directly.
    static DISPATCHING: Cell<Option<(i32, i32, PeerAddr)>> = const { Cell::new(None) };
}

/// Where the generated dispatcher's replies go (see the module comment).
struct Sink {
    server: Weak<Server>,
    later: mpsc::UnboundedSender<OutgoingReply>,
}

impl ReplySink for Sink {
    fn send(&self, reply: OutgoingReply) {
        let Some(server) = self.server.upgrade() else { return };
        server.log_reply(&reply);
        let current = DISPATCHING.with(Cell::get);
        match current {
            Some((pid, tid, addr)) if pid == reply.to.pid && tid == reply.to.tid => {
                server.send_reply(&addr, &reply.bytes, &reply.fds, reply.info.name, reply.to.pid);
            }
            _ => {
                let _ = self.later.send(reply);
            }
        }
    }
}

impl Server {
    pub fn new(socket: ServerSocket, config: Config, runtime: tokio::runtime::Handle) -> Arc<Self> {
        let (later_tx, later_rx) = mpsc::unbounded_channel();
        let server = Arc::new_cyclic(|weak: &Weak<Server>| Self {
            socket,
            registry: Mutex::new(Registry::default()),
            runtime: runtime.clone(),
            // SAFETY: geteuid cannot fail.
            uid: unsafe { libc::geteuid() },
            config,
            stopping: AtomicBool::new(false),
            next_serial: AtomicU64::new(1),
            sink: Arc::new(Sink { server: weak.clone(), later: later_tx }),
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
                        DISPATCHING.with(|d| d.set(None));
                        tracing::error!("a call panicked; the server carries on");
                    }
                }
                Err(e) => {
                    tracing::error!(socket = %self.socket.path().display(), "receiving a datagram failed: {}", errno_name(&e));
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
        let fds: Vec<OwnedFd> = message.fds.drain().collect();
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
                    self.send_reply(&message.addr, &reply, &[], info.name, creds.pid);
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
                        return self.send_reply(&message.addr, &reply, &[], call.info.name, creds.pid);
                    }
                }
            }
            _ => Caller { pid: creds.pid, nspid: header.pid, nstid: header.tid, addr: message.addr },
        };
        if let Incoming::Call(call) = &incoming {
            tracing::debug!(target: "calls", "{}:{} {}", header.pid, header.tid, call.describe());
        }
        DISPATCHING.with(|d| d.set(Some((header.pid, header.tid, message.addr))));
        rpc::dispatch(&Scope { server: self, caller }, incoming, &self.sink);
        DISPATCHING.with(|d| d.set(None));
    }

    pub(crate) fn malformed(&self, creds: &Credentials, what: String) {
        self.stats.malformed.fetch_add(1, Ordering::Relaxed);
        tracing::warn!(pid = creds.pid, "dropped a malformed datagram from pid {}: {what}", creds.pid);
    }

    fn log_reply(&self, reply: &OutgoingReply) {
        if tracing::enabled!(target: "calls", tracing::Level::DEBUG) {
            tracing::debug!(target: "calls", "{}", reply.describe());
        }
        if reply.code == rpc::STATUS_DROPPED {
            tracing::warn!(target: "calls", pid = reply.to.pid, "`{}` was dropped unanswered", reply.info.name);
        }
    }

    pub(crate) fn send_reply(&self, addr: &PeerAddr, bytes: &[u8], fds: &[OwnedFd], call: &str, pid: i32) {
        if addr.is_unnamed() {
            self.stats.replies_dropped.fetch_add(1, Ordering::Relaxed);
            tracing::debug!(pid, call, "no reply: the caller's socket is not bound to an address");
            return;
        }
        let borrowed: Vec<_> = fds.iter().map(|f| f.as_fd()).collect();
        if let Err(e) = self.socket.send(addr, bytes, &borrowed) {
            self.stats.replies_dropped.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(pid, call, peer = %addr, "could not send the reply of `{call}` to pid {pid} at {addr}: {}", errno_name(&e));
        }
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
                Some(PendingReply { addr, bytes: reply.bytes, fds: reply.fds });
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
        addr: PeerAddr,
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
                entry.insert(Thread::new(tid, header.tid, addr))
            }
        };
        thread.addr = addr;
        thread.calls += 1;
        let _ = is_checkin;
        Ok(Caller { pid: creds.pid, nspid: header.pid, nstid: header.tid, addr })
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

    /// A forked child checked in: answer the parent's `fork_wait_for_child`, or count the arrival.
    pub(crate) fn fork_child_arrived(&self, child: i32) {
        let waiting = {
            let mut registry = self.registry();
            let Some(parent_pid) = registry.get(child).and_then(|p| p.parent) else { return };
            let Some(parent) = registry.get_mut(parent_pid) else { return };
            match parent.threads.values_mut().find_map(|t| t.deferred.take()) {
                Some(ctx) => Some(ctx),
                None => {
                    parent.fork_wait_count += 1;
                    None
                }
            }
        };
        // Replied outside the lock: the reply goes through the queue (it is not the caller's).
        if let Some(ctx) = waiting {
            ctx.reply_ok(());
        }
    }

    /// Removes a dead process, if the entry is still the one that died (`serial`).
    pub(crate) fn process_died(&self, pid: i32, serial: u64, how: &str) {
        let mut registry = self.registry();
        if registry.get(pid).is_none_or(|p| p.serial != serial) {
            return;
        }
        let process = registry.remove(pid).expect("checked above");
        drop(registry);
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
            tracing::error!(pid, "cannot watch the pidfd of pid {pid}: {}", errno_name(&e));
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
    let outcome = async {
        loop {
            let mut guard = match pipe.readable().await {
                Ok(guard) => guard,
                Err(_) => return None,
            };
            let mut byte = [0u8; 1];
            // SAFETY: read into a one-byte local from a descriptor we own.
            let n = unsafe { libc::read(pipe.get_ref().as_raw_fd(), byte.as_mut_ptr().cast(), 1) };
            if n < 0 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::WouldBlock {
                guard.clear_ready();
                continue;
            }
            return Some(n);
        }
    };
    let n = tokio::select! {
        n = outcome => n,
        _ = stop => return,
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
                None => {}
            }
        }
        Some(0) => server.process_died(pid, serial, "exec'd a program that is not a client"),
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
                let mut buf = [0u8; 4096];
                // SAFETY: read into a local buffer from a descriptor we own.
                let n = unsafe { libc::read(fd.get_ref().as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
                if n < 0 {
                    if std::io::Error::last_os_error().kind() == std::io::ErrorKind::WouldBlock {
                        guard.clear_ready();
                        continue;
                    }
                    return;
                }
                if n == 0 {
                    if !pending.is_empty() {
                        tracing::info!(target: "console", pid = nspid, "{}", String::from_utf8_lossy(&pending));
                    }
                    return;
                }
                pending.extend_from_slice(&buf[..n as usize]);
                while let Some(end) = pending.iter().position(|b| *b == b'\n') {
                    let line: Vec<u8> = pending.drain(..=end).collect();
                    tracing::info!(target: "console", pid = nspid, "{}", String::from_utf8_lossy(&line).trim_end());
                }
            }
            _ = &mut stop => return,
        }
    }
}
