//! The server: the receive loop, process and thread registration, death and exec watching, and the
//! calls themselves.
//!
//! Threads: one receiver thread blocks in `recvmsg` on the socket and handles each call to its reply
//! inline (no per-call allocation, no hop to another thread: a call costs what the datagram round trip
//! costs plus a lock and a hash lookup). Calls from one client thread are handled in the order it sent
//! them, which the interrupt protocol relies on. Everything that waits (pidfds, exec pipes, console
//! relays, deferred replies) runs as tokio tasks on a second thread; those tasks reach the registry
//! through the same mutex.

use std::io::Write;
use std::os::fd::{AsFd, AsRawFd, FromRawFd, OwnedFd};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};

use darling_core::prefix::Prefix;
use nix::libc;
use tokio::io::unix::AsyncFd;
use tokio::sync::oneshot;

use crate::calls::{self, CallInfo};
use crate::error::{Error, errno_name, errno_value_name};
use crate::procfs;
use crate::registry::{
    Architecture, DeferredCall, Interrupt, Lifetime, PendingReply, Process, Registry, Thread,
};
use crate::socket::{Credentials, FdList, PeerAddr, Received, RecvBuf, ServerSocket};
use crate::wire::{self, CallHeader, ReplyBuf};

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

/// Counters for `darling ps` and the logs.
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
    runtime: tokio::runtime::Handle,
    uid: u32,
    config: Config,
    stopping: AtomicBool,
    next_serial: AtomicU64,
    pub stats: Stats,
}

/// Who is calling: ids in both namespaces, where to reply, and which call.
#[derive(Clone, Copy, Debug)]
struct Caller {
    pid: i32,
    nspid: i32,
    nstid: i32,
    addr: PeerAddr,
    info: &'static CallInfo,
}

/// What a handler produced: the reply, an optional descriptor to pass with it, or nothing yet.
enum Outcome {
    Reply(ReplyBuf, Option<OwnedFd>),
    /// The reply will be sent later (the call was recorded as deferred).
    Deferred,
}

impl Server {
    pub fn new(socket: ServerSocket, config: Config, runtime: tokio::runtime::Handle) -> Arc<Self> {
        Arc::new(Self {
            socket,
            registry: Mutex::new(Registry::default()),
            runtime,
            // SAFETY: geteuid cannot fail.
            uid: unsafe { libc::geteuid() },
            config,
            stopping: AtomicBool::new(false),
            next_serial: AtomicU64::new(1),
            stats: Stats::default(),
        })
    }

    pub fn socket(&self) -> &ServerSocket {
        &self.socket
    }

    fn registry(&self) -> MutexGuard<'_, Registry> {
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
                server_uid = self.uid,
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
        let Some(header) = CallHeader::parse(message.data) else {
            return self.malformed(
                &creds,
                format!("{} byte(s), shorter than a call header (16)", message.data.len()),
            );
        };
        if header.number == wire::CALLNUM_PUSH_REPLY {
            return self.push_reply(&creds, &header, message.data, &mut message.fds, message.addr);
        }
        let Some(info) = calls::lookup(header.number) else {
            return self.malformed(&creds, format!("unknown call number {:#x}", header.number));
        };
        if message.data.len() < info.call_len {
            self.malformed(
                &creds,
                format!("call `{}` is {} byte(s), expected {}", info.name, message.data.len(), info.call_len),
            );
            // Still answer, so a confused client is not left waiting forever.
            let reply = ReplyBuf::new(info.number, -libc::EBADMSG, info.reply_len);
            return self.send(&message.addr, &reply, None, info.name, creds.pid);
        }
        self.stats.calls.fetch_add(1, Ordering::Relaxed);
        let unmanaged = header.number & wire::UNMANAGED_FLAG != 0;
        let caller = if unmanaged {
            Caller { pid: creds.pid, nspid: header.pid, nstid: header.tid, addr: message.addr, info }
        } else {
            match self.register(&creds, &header, message.data, &mut message.fds, message.addr) {
                Ok(caller) => Caller { info, ..caller },
                Err(e) => {
                    tracing::warn!(pid = creds.pid, call = info.name, "could not register the caller: {e}");
                    let reply = ReplyBuf::new(info.number, -e.errno(), info.reply_len);
                    return self.send(&message.addr, &reply, None, info.name, creds.pid);
                }
            }
        };
        tracing::debug!(target: "calls", "{}:{} {}", caller.nspid, caller.nstid, info.name);
        let outcome = self.dispatch(&caller, &header, message.data, &mut message.fds);
        if let Outcome::Reply(reply, fd) = outcome {
            tracing::debug!(target: "calls", "{}:{} {} -> {}", caller.nspid, caller.nstid, info.name, code_text(reply.code()));
            self.send(&caller.addr, &reply, fd, info.name, caller.pid);
        }
        // Descriptors the call did not take are closed here, when `message.fds` drops.
    }

    fn malformed(&self, creds: &Credentials, what: String) {
        self.stats.malformed.fetch_add(1, Ordering::Relaxed);
        tracing::warn!(pid = creds.pid, "dropped a malformed datagram from pid {}: {what}", creds.pid);
    }

    fn send(&self, addr: &PeerAddr, reply: &ReplyBuf, fd: Option<OwnedFd>, call: &str, pid: i32) {
        let fds: Vec<_> = fd.as_ref().map(|f| f.as_fd()).into_iter().collect();
        self.send_bytes(addr, reply.as_bytes(), &fds, call, pid);
    }

    fn send_bytes(
        &self,
        addr: &PeerAddr,
        bytes: &[u8],
        fds: &[std::os::fd::BorrowedFd<'_>],
        call: &str,
        pid: i32,
    ) {
        if addr.is_unnamed() {
            self.stats.replies_dropped.fetch_add(1, Ordering::Relaxed);
            tracing::debug!(pid, call, "no reply: the caller's socket is not bound to an address");
            return;
        }
        if let Err(e) = self.socket.send(addr, bytes, fds) {
            self.stats.replies_dropped.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(pid, call, peer = %addr, "could not send the reply of `{call}` to pid {pid} at {addr}: {}", errno_name(&e));
        }
    }

    /// Finds or creates the calling process and thread.
    fn register(
        self: &Arc<Self>,
        creds: &Credentials,
        header: &CallHeader,
        data: &[u8],
        fds: &mut FdList,
        addr: PeerAddr,
    ) -> Result<Caller, Error> {
        let mut registry = self.registry();
        let info = calls::lookup(header.number).expect("checked by the caller");
        let is_checkin = header.number == 1;
        if registry.get(creds.pid).is_none() {
            let process = self.new_process(&registry, creds, header, data, fds)?;
            let pid = process.pid;
            registry.insert(process);
            tracing::info!(
                pid,
                nspid = header.pid,
                arch = Architecture::from_wire(header.architecture).name(),
                "process {pid} ({}) registered",
                header.pid
            );
            if is_checkin && wire::u8_at(data, 16) != 0 {
                self.fork_child_arrived(&mut registry, pid);
            }
        } else if is_checkin {
            let process = registry.get_mut(creds.pid).expect("present");
            if process.checked_in && wire::u8_at(data, 16) == 0 {
                // A second check-in without a fork is a new image: the exec pipe said so (pending
                // replacement), or the exec bypassed the shim's exec wrappers.
                tracing::info!(
                    pid = creds.pid,
                    pending = process.pending_replacement,
                    "process {} exec'd a new client image",
                    creds.pid
                );
                process.replace_image(header.tid);
            }
        }
        let process = registry.get_mut(creds.pid).expect("present");
        if process.nspid != header.pid {
            return Err(Error::Other(format!(
                "call header says pid {} but the kernel says pid {} is known as {}",
                header.pid, creds.pid, process.nspid
            )));
        }
        if is_checkin {
            process.checked_in = true;
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
        if is_checkin {
            thread.stack_hint = wire::u64_at(data, 24);
        }
        Ok(Caller { pid: creds.pid, nspid: header.pid, nstid: header.tid, addr, info })
    }

    fn new_process(
        self: &Arc<Self>,
        registry: &Registry,
        creds: &Credentials,
        header: &CallHeader,
        data: &[u8],
        fds: &mut FdList,
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
        // The lifetime pipe (check-in only) is the fallback's early warning; take it either way so it
        // is owned (and closed) by the process entry or right here.
        let lifetime_pipe = if header.number == 1 {
            let index = wire::i32_at(data, 32);
            if index >= 0 { fds.take(index as usize) } else { None }
        } else {
            None
        };
        let serial = self.next_serial.fetch_add(1, Ordering::Relaxed);
        let (stop_tx, stop_rx) = oneshot::channel();
        match procfs::pidfd_open(creds.pid)? {
            Some(pidfd) => {
                process.lifetime = Some(Lifetime::Pidfd(stop_tx));
                let server = Arc::downgrade(self);
                let pid = creds.pid;
                self.runtime.spawn(async move { watch_pidfd(server, pid, serial, pidfd, stop_rx).await });
            }
            None => {
                let start_time = procfs::start_time(creds.pid)
                    .ok_or_else(|| Error::Other(format!("pid {} exited while checking in", creds.pid)))?;
                process.lifetime = Some(Lifetime::Polled { start_time, _stop: stop_tx });
                let server = Arc::downgrade(self);
                let pid = creds.pid;
                self.runtime.spawn(async move {
                    watch_by_polling(server, pid, serial, start_time, lifetime_pipe, stop_rx).await
                });
            }
        }
        process.serial = serial;
        Ok(process)
    }

    /// A forked child checked in: wake the parent's `fork_wait_for_child`, or count it for later.
    fn fork_child_arrived(&self, registry: &mut Registry, child: i32) {
        let Some(parent_pid) = registry.get(child).and_then(|p| p.parent) else { return };
        let Some(parent) = registry.get_mut(parent_pid) else { return };
        let waiter =
            parent.threads.values_mut().find(|t| t.deferred.as_ref().is_some_and(|d| d.number == 11));
        if let Some(thread) = waiter {
            let deferred = thread.deferred.take().expect("found above");
            let reply = ReplyBuf::new(deferred.number, 0, 8);
            let pid = parent.pid;
            let level = deferred.level;
            if thread.interrupts.len() > level {
                // The waiting thread is in a signal handler: hold the reply until it leaves it.
                thread.interrupts[level].saved_reply = Some(PendingReply {
                    addr: deferred.addr,
                    bytes: reply.as_bytes().to_vec(),
                    fds: Vec::new(),
                });
            } else {
                let addr = deferred.addr;
                self.send(&addr, &reply, None, deferred.name, pid);
            }
        } else {
            parent.fork_wait_count += 1;
        }
    }

    /// Removes a dead process, if the entry is still the one that died (`serial`).
    fn process_died(&self, pid: i32, serial: u64, how: &str) {
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
        // Dropping `process` closes its vchroot descriptor and stops its watchers and relays.
    }

    fn dispatch(
        self: &Arc<Self>,
        caller: &Caller,
        header: &CallHeader,
        data: &[u8],
        fds: &mut FdList,
    ) -> Outcome {
        let info = caller.info;
        let reply = |code: i32| ReplyBuf::new(info.number, code, info.reply_len);
        let done = |r: ReplyBuf| Outcome::Reply(r, None);
        match info.name {
            "checkin" => done(reply(0)),
            "checkout" => done(reply(self.checkout(caller, data, fds))),
            "vchroot_path" => {
                let path = self.with_process(caller, |p| p.vchroot.as_ref().map(|(_, path)| path.clone()));
                let bytes =
                    path.flatten().map(|p| p.into_os_string().into_encoded_bytes()).unwrap_or_default();
                done(self.write_string_reply(caller, reply(0), data, &bytes))
            }
            "mldr_path" => {
                let bytes = self.config.mldr_path.clone().into_os_string().into_encoded_bytes();
                done(self.write_string_reply(caller, reply(0), data, &bytes))
            }
            "kprintf" => done(reply(self.kprintf(caller, data))),
            "started_suspended" => {
                let suspended = self.with_process(caller, |p| std::mem::take(&mut p.start_suspended));
                let mut r = reply(0);
                r.put_u8(8, suspended.unwrap_or(false) as u8);
                done(r)
            }
            "stop_after_exec" => {
                self.with_process(caller, |p| p.stop_after_exec = true);
                done(reply(0))
            }
            "get_tracer" => {
                let tracer = self.with_process(caller, |p| p.tracer).unwrap_or(0);
                let mut r = reply(0);
                r.put_i32(8, tracer);
                done(r)
            }
            "set_tracer" => done(reply(self.set_tracer(wire::i32_at(data, 16), wire::i32_at(data, 20)))),
            "uidgid" => {
                let (new_uid, new_gid) = (wire::i32_at(data, 16), wire::i32_at(data, 20));
                let old = self.with_process(caller, |p| {
                    let old = (p.uid, p.gid);
                    if new_uid != -1 {
                        p.uid = new_uid;
                    }
                    if new_gid != -1 {
                        p.gid = new_gid;
                    }
                    old
                });
                let mut r = reply(0);
                let (uid, gid) = old.unwrap_or((-1, -1));
                r.put_i32(8, uid);
                r.put_i32(12, gid);
                done(r)
            }
            "groups" => done(self.groups(caller, reply(0), data)),
            "set_thread_handles" => {
                let (handle, qaddr) = (wire::u64_at(data, 16), wire::u64_at(data, 24));
                self.with_thread(caller, |t| {
                    t.pthread_handle = handle;
                    t.dispatch_qaddr = qaddr;
                });
                done(reply(0))
            }
            "set_dyld_info" => {
                let info = (wire::u64_at(data, 16), wire::u64_at(data, 24));
                self.with_process(caller, |p| p.dyld_info = Some(info));
                done(reply(0))
            }
            "vchroot" => done(reply(self.vchroot(caller, data, fds))),
            "set_executable_path" => done(reply(self.set_executable_path(caller, data))),
            "get_executable_path" => done(self.get_executable_path(caller, reply(0), data)),
            "task_is_64_bit" => {
                let id = wire::i32_at(data, 16);
                let arch = self.registry().get_by_nspid(id).map(|p| p.architecture);
                match arch {
                    Some(arch) => {
                        let mut r = reply(0);
                        r.put_u8(8, arch.is_64_bit() as u8);
                        done(r)
                    }
                    None => done(reply(libc::ESRCH)),
                }
            }
            "tid_for_thread" => {
                // Thread port names come with the Mach IPC server; until then no name resolves.
                done(reply(libc::ESRCH))
            }
            "console_open" => match self.console_open(caller) {
                Ok(fd) => {
                    let mut r = reply(0);
                    r.put_i32(8, 0);
                    Outcome::Reply(r, Some(fd))
                }
                Err(e) => {
                    tracing::warn!(pid = caller.pid, "console_open failed: {e}");
                    let mut r = reply(e.errno());
                    r.put_i32(8, -1);
                    done(r)
                }
            },
            "fork_wait_for_child" => self.fork_wait_for_child(caller),
            "interrupt_enter" => {
                self.with_thread(caller, |t| {
                    let interrupted_call = t.deferred.is_some();
                    t.interrupts.push(Interrupt { saved_reply: None, interrupted_call });
                });
                done(reply(0))
            }
            "interrupt_exit" => {
                // Reply first, then release the held reply: the client reads them in this order.
                self.send(&caller.addr, &reply(0), None, info.name, caller.pid);
                let saved = self.with_thread(caller, |t| t.interrupts.pop()).flatten();
                if let Some(pending) = saved.and_then(|i| i.saved_reply) {
                    let fds: Vec<_> = pending.fds.iter().map(|f| f.as_fd()).collect();
                    self.send_bytes(&pending.addr, &pending.bytes, &fds, "saved reply", caller.pid);
                }
                Outcome::Deferred
            }
            "pthread_canceled" => done(reply(0)),
            "debug_list_processes" => match self.debug_list_processes() {
                Ok((count, fd)) => {
                    let mut r = reply(0);
                    r.put_u64(8, count);
                    r.put_i32(16, 0);
                    Outcome::Reply(r, Some(fd))
                }
                Err(e) => {
                    let mut r = reply(e.errno());
                    r.put_i32(16, -1);
                    done(r)
                }
            },
            name => {
                // Calls that need the Mach IPC server (ports, messages, semaphores, psynch, exceptions).
                tracing::warn!(target: "calls", pid = caller.pid, "not implemented: {name}");
                let _ = header;
                let mut r = reply(wire::STATUS_NOT_IMPLEMENTED);
                // Reply descriptors are "none" (-1), never index 0 of a descriptor that is not there.
                match name {
                    "kqchan_mach_port_open" | "kqchan_proc_open" => r.put_i32(8, -1),
                    "debug_list_ports" | "debug_list_members" | "debug_list_messages" => r.put_i32(16, -1),
                    _ => {}
                }
                done(r)
            }
        }
    }

    fn with_process<R>(&self, caller: &Caller, f: impl FnOnce(&mut Process) -> R) -> Option<R> {
        self.registry().get_mut(caller.pid).map(f)
    }

    fn with_thread<R>(&self, caller: &Caller, f: impl FnOnce(&mut Thread) -> R) -> Option<R> {
        self.registry().get_mut(caller.pid)?.threads.get_mut(&caller.nstid).map(f)
    }

    fn checkout(self: &Arc<Self>, caller: &Caller, data: &[u8], fds: &mut FdList) -> i32 {
        let index = wire::i32_at(data, 16);
        let executing_macho = wire::u8_at(data, 20) != 0;
        if index < 0 {
            // The thread is going away; the last thread out takes the process with it.
            let mut registry = self.registry();
            let Some(process) = registry.get_mut(caller.pid) else { return libc::ESRCH };
            process.threads.remove(&caller.nstid);
            if process.threads.is_empty() {
                let serial = process.serial;
                drop(registry);
                self.process_died(caller.pid, serial, "checked out");
            }
            return 0;
        }
        let Some(pipe) = fds.take(index as usize) else {
            tracing::warn!(
                pid = caller.pid,
                "checkout names exec pipe descriptor {index}, but the call carried none"
            );
            return libc::EBADF;
        };
        let _guard = self.runtime.enter();
        let pipe = match register(pipe).and_then(|fd| set_nonblocking(fd.get_ref()).map(|()| fd)) {
            Ok(fd) => fd,
            Err(e) => {
                tracing::warn!(pid = caller.pid, "cannot watch the exec pipe: {}", errno_name(&e));
                return e.raw_os_error().unwrap_or(libc::EIO);
            }
        };
        let (stop_tx, stop_rx) = oneshot::channel();
        let (serial, image) = {
            let mut registry = self.registry();
            let Some(process) = registry.get_mut(caller.pid) else { return libc::ESRCH };
            process.held.push(stop_tx);
            (process.serial, process.image)
        };
        let server = Arc::downgrade(self);
        let pid = caller.pid;
        let _guard = self.runtime.enter();
        self.runtime.spawn(async move {
            watch_exec_pipe(server, pid, (serial, image), pipe, executing_macho, stop_rx).await
        });
        0
    }

    /// Writes `text` NUL-terminated into the client's buffer (truncated to fit) and puts the full
    /// length in the reply, as `vchroot_path`, `mldr_path` and `get_executable_path` do.
    fn write_string_reply(&self, caller: &Caller, mut reply: ReplyBuf, data: &[u8], text: &[u8]) -> ReplyBuf {
        let (buffer, size) = (wire::u64_at(data, 16), wire::u64_at(data, 24));
        self.write_string(caller, &mut reply, buffer, size, text);
        reply
    }

    fn write_string(&self, caller: &Caller, reply: &mut ReplyBuf, buffer: u64, size: u64, text: &[u8]) {
        reply.put_u64(8, text.len() as u64);
        if size == 0 {
            return;
        }
        let n = text.len().min(size as usize - 1);
        let mut bytes = Vec::with_capacity(n + 1);
        bytes.extend_from_slice(&text[..n]);
        bytes.push(0);
        if let Err(e) = procfs::write_memory(caller.pid, buffer, &bytes) {
            tracing::warn!(pid = caller.pid, call = caller.info.name, "{e}");
            reply.set_code(e.errno());
        }
    }

    fn kprintf(&self, caller: &Caller, data: &[u8]) -> i32 {
        const LIMIT: u64 = 64 * 1024;
        let (address, length) = (wire::u64_at(data, 16), wire::u64_at(data, 24));
        let mut text = vec![0u8; length.min(LIMIT) as usize];
        if let Err(e) = procfs::read_memory(caller.pid, address, &mut text) {
            tracing::warn!(pid = caller.pid, "kprintf: {e}");
            return e.errno();
        }
        let text = String::from_utf8_lossy(&text);
        tracing::info!(target: "kprintf", pid = caller.nspid, "{}", text.trim_end());
        0
    }

    fn set_tracer(&self, target: i32, tracer: i32) -> i32 {
        let mut registry = self.registry();
        if tracer != 0 && registry.get_by_nspid(tracer).is_none() {
            return libc::ESRCH;
        }
        match registry.get_by_nspid_mut(target) {
            Some(process) => {
                process.tracer = tracer;
                0
            }
            None => libc::ESRCH,
        }
    }

    fn groups(&self, caller: &Caller, mut reply: ReplyBuf, data: &[u8]) -> ReplyBuf {
        const MAX_GROUPS: u64 = 65536;
        let (new_groups, new_count) = (wire::u64_at(data, 16), wire::u64_at(data, 24));
        let (old_groups, old_space) = (wire::u64_at(data, 32), wire::u64_at(data, 40));
        let mut replacement = None;
        if new_groups != 0 {
            if new_count > MAX_GROUPS {
                reply.set_code(libc::EINVAL);
                return reply;
            }
            let mut bytes = vec![0u8; new_count as usize * 4];
            if let Err(e) = procfs::read_memory(caller.pid, new_groups, &mut bytes) {
                tracing::warn!(pid = caller.pid, "groups: {e}");
                reply.set_code(e.errno());
                return reply;
            }
            replacement =
                Some(bytes.chunks_exact(4).map(|c| u32::from_le_bytes(c.try_into().unwrap())).collect());
        }
        let Some(old) = self.with_process(caller, |p| match replacement {
            Some(new) => std::mem::replace(&mut p.groups, new),
            None => p.groups.clone(),
        }) else {
            reply.set_code(libc::ESRCH);
            return reply;
        };
        reply.put_u64(8, old.len() as u64);
        if old_groups != 0 && old_space > 0 {
            let n = old.len().min(old_space as usize);
            let bytes: Vec<u8> = old[..n].iter().flat_map(|g| g.to_le_bytes()).collect();
            if let Err(e) = procfs::write_memory(caller.pid, old_groups, &bytes) {
                tracing::warn!(pid = caller.pid, "groups: {e}");
                reply.set_code(e.errno());
            }
        }
        reply
    }

    fn vchroot(&self, caller: &Caller, data: &[u8], fds: &mut FdList) -> i32 {
        let index = wire::i32_at(data, 16);
        let Some(fd) = (index >= 0).then(|| fds.take(index as usize)).flatten() else {
            return libc::EBADF;
        };
        let path = match procfs::fd_path(&fd) {
            Ok(path) => path,
            Err(e) => return e.errno(),
        };
        tracing::info!(pid = caller.pid, path = %path.display(), "vchroot set");
        self.with_process(caller, |p| p.vchroot = Some((fd, path))).map_or(libc::ESRCH, |()| 0)
    }

    fn set_executable_path(&self, caller: &Caller, data: &[u8]) -> i32 {
        let (buffer, size) = (wire::u64_at(data, 16), wire::u64_at(data, 24));
        let mut bytes = vec![0u8; size.min(libc::PATH_MAX as u64) as usize];
        if let Err(e) = procfs::read_memory(caller.pid, buffer, &mut bytes) {
            tracing::warn!(pid = caller.pid, "set_executable_path: {e}");
            return e.errno();
        }
        if let Some(nul) = bytes.iter().position(|b| *b == 0) {
            bytes.truncate(nul);
        }
        self.with_process(caller, |p| p.executable_path = Some(bytes)).map_or(libc::ESRCH, |()| 0)
    }

    fn get_executable_path(&self, caller: &Caller, mut reply: ReplyBuf, data: &[u8]) -> ReplyBuf {
        let target = wire::i32_at(data, 16);
        let (buffer, size) = (wire::u64_at(data, 24), wire::u64_at(data, 32));
        let path = {
            let registry = self.registry();
            let process = if target <= 0 { registry.get(caller.pid) } else { registry.get_by_nspid(target) };
            match process {
                Some(p) => p.executable_path.clone().unwrap_or_default(),
                None => {
                    reply.set_code(libc::ESRCH);
                    return reply;
                }
            }
        };
        self.write_string(caller, &mut reply, buffer, size, &path);
        reply
    }

    fn console_open(self: &Arc<Self>, caller: &Caller) -> Result<OwnedFd, Error> {
        let mut pair = [0; 2];
        // SAFETY: socketpair fills two fresh descriptors on success.
        crate::socket::cvt(unsafe {
            libc::socketpair(libc::AF_UNIX, libc::SOCK_STREAM | libc::SOCK_CLOEXEC, 0, pair.as_mut_ptr())
        })
        .map_err(|e| Error::io("socketpair for console_open", e))?;
        let (ours, theirs) = unsafe { (OwnedFd::from_raw_fd(pair[0]), OwnedFd::from_raw_fd(pair[1])) };
        set_nonblocking(&ours).map_err(|e| Error::io("making the console relay non-blocking", e))?;
        let _guard = self.runtime.enter();
        let ours = register(ours).map_err(|e| Error::io("registering the console relay", e))?;
        let (stop_tx, stop_rx) = oneshot::channel();
        self.with_process(caller, |p| p.held.push(stop_tx));
        let nspid = caller.nspid;
        self.runtime.spawn(async move { relay_console(nspid, ours, stop_rx).await });
        Ok(theirs)
    }

    fn fork_wait_for_child(&self, caller: &Caller) -> Outcome {
        let info = caller.info;
        let ready = {
            let mut registry = self.registry();
            let Some(process) = registry.get_mut(caller.pid) else {
                return Outcome::Reply(ReplyBuf::new(info.number, libc::ESRCH, info.reply_len), None);
            };
            if process.fork_wait_count > 0 {
                process.fork_wait_count -= 1;
                true
            } else if let Some(thread) = process.threads.get_mut(&caller.nstid) {
                let level = thread.interrupts.len();
                thread.deferred =
                    Some(DeferredCall { number: info.number, name: info.name, addr: caller.addr, level });
                false
            } else {
                return Outcome::Reply(ReplyBuf::new(info.number, libc::ESRCH, info.reply_len), None);
            }
        };
        if ready {
            Outcome::Reply(ReplyBuf::new(info.number, 0, info.reply_len), None)
        } else {
            Outcome::Deferred
        }
    }

    fn debug_list_processes(&self) -> Result<(u64, OwnedFd), Error> {
        // A memfd, not a pipe: the listing never blocks the server however many processes there are.
        // SAFETY: memfd_create with a static NUL-terminated name.
        let fd = crate::socket::cvt(unsafe {
            libc::memfd_create(c"darlingserver-ps".as_ptr(), libc::MFD_CLOEXEC)
        })
        .map_err(|e| Error::io("memfd_create for debug_list_processes", e))?;
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        let records: Vec<u8> = {
            let registry = self.registry();
            let mut pids: Vec<i32> = registry.iter().map(|p| p.nspid).collect();
            pids.sort_unstable();
            // dserver_debug_process_t: uint32_t pid; (4 bytes padding) uint64_t port_count.
            pids.iter()
                .flat_map(|pid| {
                    [(*pid as u32).to_le_bytes().as_slice(), &[0; 4], &0u64.to_le_bytes()].concat()
                })
                .collect()
        };
        let mut file = std::fs::File::from(fd);
        file.write_all(&records).map_err(|e| Error::io("writing the process listing", e))?;
        // SAFETY: plain lseek on a descriptor we own; the client shares this file offset.
        unsafe { libc::lseek(file.as_raw_fd(), 0, libc::SEEK_SET) };
        Ok(((records.len() / 16) as u64, OwnedFd::from(file)))
    }

    /// `push_reply`: a client in a signal handler received the reply of the call the signal interrupted
    /// and hands it back; the server holds it until `interrupt_exit`.
    fn push_reply(
        &self,
        creds: &Credentials,
        header: &CallHeader,
        data: &[u8],
        fds: &mut FdList,
        _addr: PeerAddr,
    ) {
        // The last descriptor is the client's synchronization pipe: the client blocks reading it until
        // we close our end (end of file) or write to it. We only ever close it: writing to a
        // descriptor a client handed us could block the server (a rogue can hand over anything).
        // It is taken first and dropped on every path.
        let Some(sync) = fds.len().checked_sub(1).and_then(|last| fds.take(last)) else {
            return self.malformed(creds, "push_reply without its synchronization pipe".into());
        };
        let answer = |sync: OwnedFd| drop(sync);
        if data.len() < wire::PUSH_REPLY_LEN {
            self.malformed(
                creds,
                format!("push_reply is {} byte(s), expected {}", data.len(), wire::PUSH_REPLY_LEN),
            );
            return answer(sync);
        }
        let (address, size) = (wire::u64_at(data, 16), wire::u64_at(data, 24));
        if !(wire::REPLY_HEADER_LEN as u64..=4096).contains(&size) {
            self.malformed(creds, format!("push_reply of {size} byte(s)"));
            return answer(sync);
        }
        let mut bytes = vec![0u8; size as usize];
        if let Err(e) = procfs::read_memory(creds.pid, address, &mut bytes) {
            tracing::warn!(pid = creds.pid, "push_reply: {e}");
            return answer(sync);
        }
        let reply_fds: Vec<OwnedFd> = fds.drain().collect();
        let mut registry = self.registry();
        let thread = registry.get_mut(creds.pid).and_then(|p| p.threads.get_mut(&header.tid));
        match thread.and_then(|t| Some((t.addr, t.interrupts.last_mut()?))) {
            Some((addr, interrupt)) => {
                if interrupt.saved_reply.is_some() {
                    tracing::warn!(
                        pid = creds.pid,
                        tid = header.tid,
                        "push_reply replaces a reply already held"
                    );
                }
                tracing::debug!(target: "calls", "{}:{} push_reply ({} bytes held until interrupt_exit)", header.pid, header.tid, bytes.len());
                interrupt.saved_reply = Some(PendingReply { addr, bytes, fds: reply_fds });
            }
            None => tracing::warn!(
                pid = creds.pid,
                tid = header.tid,
                "push_reply outside interrupt_enter/interrupt_exit; dropped"
            ),
        }
        drop(registry);
        answer(sync);
    }
}

/// `0`, or the code's errno name.
fn code_text(code: i32) -> String {
    match code {
        0 => "0".into(),
        wire::STATUS_NOT_IMPLEMENTED => "not implemented".into(),
        c if c < 0 => format!("-{}", errno_value_name(-c)),
        c => errno_value_name(c).into(),
    }
}

/// Registers a descriptor with the tokio reactor for readability.
fn register(fd: OwnedFd) -> std::io::Result<AsyncFd<OwnedFd>> {
    // SAFETY: the AsyncFd owns the descriptor, so it stays open for as long as it is registered.
    unsafe { AsyncFd::register_with_interest(fd, tokio::io::Interest::READABLE) }
        .map_err(std::io::Error::from)
}

fn set_nonblocking(fd: &OwnedFd) -> std::io::Result<()> {
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

/// The fallback without pidfds: poll the process's start time, and wake early when its lifetime pipe
/// hangs up.
async fn watch_by_polling(
    server: Weak<Server>,
    pid: i32,
    serial: u64,
    start_time: u64,
    lifetime_pipe: Option<OwnedFd>,
    mut stop: oneshot::Receiver<()>,
) {
    let mut pipe = lifetime_pipe.and_then(|fd| {
        set_nonblocking(&fd).ok()?;
        register(fd).ok()
    });
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
                // The pipe's write end closed: the process died, or exec'd and closed it. Stop
                // watching the pipe either way; the poll below decides.
                pipe = None;
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
async fn watch_exec_pipe(
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

async fn relay_console(nspid: i32, fd: AsyncFd<OwnedFd>, mut stop: oneshot::Receiver<()>) {
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
