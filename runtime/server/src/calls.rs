//! The calls: darlingserver's implementation of the `Server` trait rpc-gen generates
//! (`darling_core::rpc::Server`), one method per call.
//!
//! A [`Scope`] is built per datagram (on the stack) and carries who is calling: the ids in both pid
//! namespaces. Calls that need the Mach IPC server answer `STATUS_NOT_IMPLEMENTED` (`-ENOSYS`),
//! logged as `not implemented: <call>`: the Mach subsystems themselves (ports, messages,
//! semaphores, psynch, timers, VM) keep the trait's default, and the calls whose names suggest
//! otherwise (signals, suspension, pthread and debug calls) are written out below with what of
//! Mach IPC each needs. Nothing answers a fake success.

use std::io::Write;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::sync::Arc;

use darling_core::rpc::server::{
    ConsoleOpenReply, DebugListProcessesReply, GetExecutablePathReply, GetTracerReply, GroupsReply,
    KqchanProcOpenReply, MldrPathReply, StartedSuspendedReply, TaskIs64BitReply, UidgidReply,
    VchrootPathReply,
};
use darling_core::rpc::{self, Architecture, CallHeader, CallInfo, Context, PushReply, S2cReply};
use nix::libc;
use tokio::sync::oneshot;

use crate::error::Error;
use crate::kqchan;
use crate::procfs;
use crate::registry::{Interrupt, Lifetime, PendingReply, Process, Thread};
use crate::server::{Server, register, relay_console, set_nonblocking, watch_exec_pipe};

/// Who is calling.
#[derive(Clone, Copy, Debug)]
pub struct Caller {
    /// Linux pid in the server's namespace (from the kernel's credentials).
    pub pid: i32,
    /// The pid the caller sees itself (call header).
    pub nspid: i32,
    /// The tid the caller sees itself (call header).
    pub nstid: i32,
}

/// One datagram being served.
pub struct Scope<'a> {
    pub server: &'a Arc<Server>,
    pub caller: Caller,
}

impl Scope<'_> {
    fn with_process<R>(&self, f: impl FnOnce(&mut Process) -> R) -> Option<R> {
        self.server.registry().get_mut(self.caller.pid).map(f)
    }

    fn with_thread<R>(&self, f: impl FnOnce(&mut Thread) -> R) -> Option<R> {
        self.server.registry().get_mut(self.caller.pid)?.threads.get_mut(&self.caller.nstid).map(f)
    }

    /// Writes `text` NUL-terminated into the client's `buffer` (truncated to fit) and returns the
    /// status, as `vchroot_path`, `mldr_path` and `get_executable_path` report it.
    fn write_string(&self, call: &str, buffer: u64, size: u64, text: &[u8]) -> i32 {
        if size == 0 {
            return 0;
        }
        let n = text.len().min(size.saturating_sub(1) as usize);
        let mut bytes = Vec::with_capacity(n + 1);
        bytes.extend_from_slice(&text[..n]);
        bytes.push(0);
        match procfs::write_memory(self.caller.pid, buffer, &bytes) {
            Ok(()) => 0,
            Err(e) => {
                tracing::warn!(pid = self.caller.pid, call, "{e}");
                e.errno()
            }
        }
    }

    fn read_memory(&self, call: &str, address: u64, len: usize) -> Result<Vec<u8>, i32> {
        let mut bytes = vec![0u8; len];
        procfs::read_memory(self.caller.pid, address, &mut bytes).map_err(|e| {
            tracing::warn!(pid = self.caller.pid, call, "{e}");
            e.errno()
        })?;
        Ok(bytes)
    }

    fn console(&self) -> Result<OwnedFd, Error> {
        let mut pair = [0; 2];
        // SAFETY: socketpair fills two fresh descriptors on success.
        crate::socket::cvt(unsafe {
            libc::socketpair(libc::AF_UNIX, libc::SOCK_STREAM | libc::SOCK_CLOEXEC, 0, pair.as_mut_ptr())
        })
        .map_err(|e| Error::io("socketpair for console_open", e))?;
        let (ours, theirs) = unsafe { (OwnedFd::from_raw_fd(pair[0]), OwnedFd::from_raw_fd(pair[1])) };
        set_nonblocking(&ours).map_err(|e| Error::io("making the console relay non-blocking", e))?;
        let _guard = self.server.runtime.enter();
        let ours = register(ours).map_err(|e| Error::io("registering the console relay", e))?;
        let (stop_tx, stop_rx) = oneshot::channel();
        self.with_process(|p| p.hold(stop_tx));
        let nspid = self.caller.nspid;
        self.server.runtime.spawn(async move { relay_console(nspid, ours, stop_rx).await });
        Ok(theirs)
    }

    /// The answer of a call that needs Mach IPC, which this server does not have yet: a distinct
    /// status (`STATUS_NOT_IMPLEMENTED`), never a fake success, logged as `not implemented: <call>`.
    fn needs_mach_ipc<R: rpc::ReplyValues>(&self, ctx: Context<R>) {
        let code = rpc::Server::unimplemented(self, ctx.call(), ctx.header());
        ctx.reply_status(code);
    }

    fn process_listing(&self) -> Result<(u64, OwnedFd), Error> {
        // A memfd, not a pipe: the listing never blocks the server however many processes there are.
        // SAFETY: memfd_create with a static NUL-terminated name.
        let fd = crate::socket::cvt(unsafe {
            libc::memfd_create(c"darlingserver-ps".as_ptr(), libc::MFD_CLOEXEC)
        })
        .map_err(|e| Error::io("memfd_create for debug_list_processes", e))?;
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        let mut pids: Vec<i32> = self.server.registry().iter().map(|p| p.nspid).collect();
        pids.sort_unstable();
        // dserver_debug_process_t: uint32_t pid, 4 bytes of padding, uint64_t port_count (no ports yet).
        let records: Vec<u8> = pids
            .iter()
            .flat_map(|pid| [(*pid as u32).to_le_bytes().as_slice(), &[0; 4], &0u64.to_le_bytes()].concat())
            .collect();
        let mut file = std::fs::File::from(fd);
        file.write_all(&records).map_err(|e| Error::io("writing the process listing", e))?;
        // SAFETY: lseek on a descriptor we own; the client shares this file offset.
        unsafe { libc::lseek(file.as_raw_fd(), 0, libc::SEEK_SET) };
        Ok((pids.len() as u64, OwnedFd::from(file)))
    }
}

impl rpc::Server for Scope<'_> {
    fn checkin(
        &self,
        ctx: Context<()>,
        is_fork: bool,
        stack_hint: u64,
        lifetime_listener_pipe: Option<OwnedFd>,
    ) {
        if let Some(hash) = ctx.protocol_hash()
            && hash != rpc::wire::PROTOCOL_HASH
        {
            tracing::error!(
                pid = self.caller.pid,
                "check-in with protocol hash {hash:#018x}, but this server speaks {:#018x}: the client was built from another call table",
                rpc::wire::PROTOCOL_HASH
            );
            return ctx.reply_status(-libc::EPROTO);
        }
        let (fork_child, exec) = {
            let mut registry = self.server.registry();
            let Some(process) = registry.get_mut(self.caller.pid) else {
                return ctx.reply_status(libc::ESRCH);
            };
            let exec = process.checked_in && !is_fork;
            if exec {
                // A second check-in without a fork is a new image: the exec pipe said so (pending
                // replacement), or the exec bypassed the shim's exec wrappers.
                tracing::info!(
                    pid = self.caller.pid,
                    pending = process.pending_replacement,
                    "process {} exec'd a new client image",
                    self.caller.pid
                );
                process.replace_image(self.caller.nstid);
                kqchan::notify(process, kqchan::NOTE_EXEC, 0);
            }
            process.checked_in = true;
            if let Some(thread) = process.threads.get_mut(&self.caller.nstid) {
                thread.stack_hint = stack_hint;
            }
            if let (Some(Lifetime::Polled { lifetime_pipes, .. }), Some(pipe)) =
                (&process.lifetime, lifetime_listener_pipe)
            {
                let _ = lifetime_pipes.send(pipe);
            }
            (is_fork && !exec, exec)
        };
        let _ = exec;
        // Before the reply: the child is alive and registered while it waits for it, so its parent
        // is found, and channels that follow it (NOTE_TRACK) can open its pidfd.
        let parent_waiting = if fork_child {
            self.server.announce_fork(self.caller.pid);
            self.server.take_fork_waiter(self.caller.pid)
        } else {
            None
        };
        ctx.reply_ok(());
        if let Some(wait) = parent_waiting {
            // At once: by the time the child can run again its parent's answer is on its way, so
            // anything the child does next happens after it.
            self.server.answer_now(|| wait.reply_ok(()));
        }
    }

    fn checkout(&self, ctx: Context<()>, exec_listener_pipe: Option<OwnedFd>, executing_macho: bool) {
        let Some(pipe) = exec_listener_pipe else {
            // The thread is going away; the last thread out takes the process with it.
            let serial = {
                let mut registry = self.server.registry();
                let Some(process) = registry.get_mut(self.caller.pid) else {
                    return ctx.reply_status(libc::ESRCH);
                };
                let thread = process.threads.remove(&self.caller.nstid);
                let last = process.threads.is_empty().then_some(process.serial);
                drop(registry);
                drop(thread);
                last
            };
            // Reclaimed before the answer, so that once a client's check-out returns the server no
            // longer lists it, and the process's pidfd, readable once it exits, finds the entry gone:
            // the log says "checked out" (not "exited") however the two threads are scheduled.
            if let Some(serial) = serial {
                self.server.process_died(self.caller.pid, serial, "checked out");
            }
            ctx.reply_ok(());
            return;
        };
        let _guard = self.server.runtime.enter();
        let pipe = match set_nonblocking(&pipe).and_then(|()| register(pipe)) {
            Ok(fd) => fd,
            Err(e) => {
                tracing::warn!(
                    pid = self.caller.pid,
                    "cannot watch the exec pipe: {}",
                    darling_core::errno::describe_io(&e)
                );
                return ctx.reply_status(e.raw_os_error().unwrap_or(libc::EIO));
            }
        };
        let (stop_tx, stop_rx) = oneshot::channel();
        let Some((serial, image)) = self.with_process(|p| {
            p.hold(stop_tx);
            (p.serial, p.image)
        }) else {
            return ctx.reply_status(libc::ESRCH);
        };
        let server = Arc::downgrade(self.server);
        let pid = self.caller.pid;
        self.server.runtime.spawn(async move {
            watch_exec_pipe(server, pid, (serial, image), pipe, executing_macho, stop_rx).await
        });
        ctx.reply_ok(());
    }

    fn vchroot_path(&self, ctx: Context<VchrootPathReply>, buffer: u64, buffer_size: u64) {
        let path = self.with_process(|p| p.vchroot.as_ref().map(|(_, path)| path.clone())).flatten();
        let bytes = path.map(|p| p.into_os_string().into_encoded_bytes()).unwrap_or_default();
        let code = self.write_string("vchroot_path", buffer, buffer_size, &bytes);
        ctx.reply(code, VchrootPathReply { length: bytes.len() as u64 });
    }

    fn kprintf(&self, ctx: Context<()>, string: u64, string_length: u64) {
        const LIMIT: u64 = 64 * 1024;
        match self.read_memory("kprintf", string, string_length.min(LIMIT) as usize) {
            Ok(text) => {
                let text = String::from_utf8_lossy(&text);
                tracing::info!(target: "kprintf", pid = self.caller.nspid, "{}", text.trim_end());
                ctx.reply_ok(());
            }
            Err(code) => ctx.reply_status(code),
        }
    }

    fn started_suspended(&self, ctx: Context<StartedSuspendedReply>) {
        match self.with_process(|p| std::mem::take(&mut p.start_suspended)) {
            Some(suspended) => ctx.reply_ok(StartedSuspendedReply { suspended }),
            None => ctx.reply_status(libc::ESRCH),
        }
    }

    fn get_tracer(&self, ctx: Context<GetTracerReply>) {
        match self.with_process(|p| p.tracer) {
            Some(tracer) => ctx.reply_ok(GetTracerReply { tracer }),
            None => ctx.reply_status(libc::ESRCH),
        }
    }

    fn uidgid(&self, ctx: Context<UidgidReply>, new_uid: i32, new_gid: i32) {
        let old = self.with_process(|p| {
            let old = (p.uid, p.gid);
            if new_uid != -1 {
                p.uid = new_uid;
            }
            if new_gid != -1 {
                p.gid = new_gid;
            }
            old
        });
        match old {
            Some((old_uid, old_gid)) => ctx.reply_ok(UidgidReply { old_uid, old_gid }),
            None => ctx.reply_status(libc::ESRCH),
        }
    }

    fn set_thread_handles(&self, ctx: Context<()>, pthread_handle: u64, dispatch_qaddr: u64) {
        let done = self.with_thread(|t| {
            t.pthread_handle = pthread_handle;
            t.dispatch_qaddr = dispatch_qaddr;
        });
        ctx.reply_status(if done.is_some() { 0 } else { libc::ESRCH });
    }

    fn vchroot(&self, ctx: Context<()>, directory_fd: Option<OwnedFd>) {
        let Some(fd) = directory_fd else { return ctx.reply_status(libc::EBADF) };
        let path = match procfs::fd_path(&fd) {
            Ok(path) => path,
            Err(e) => {
                tracing::warn!(pid = self.caller.pid, "vchroot: {e}");
                return ctx.reply_status(e.errno());
            }
        };
        tracing::info!(pid = self.caller.pid, path = %path.display(), "vchroot set");
        let done = self.with_process(|p| p.vchroot = Some((fd, path)));
        ctx.reply_status(if done.is_some() { 0 } else { libc::ESRCH });
    }

    fn mldr_path(&self, ctx: Context<MldrPathReply>, buffer: u64, buffer_size: u64) {
        let bytes = self.server.config.mldr_path.clone().into_os_string().into_encoded_bytes();
        let code = self.write_string("mldr_path", buffer, buffer_size, &bytes);
        ctx.reply(code, MldrPathReply { length: bytes.len() as u64 });
    }

    fn fork_wait_for_child(&self, ctx: Context<()>) {
        self.server.wait_for_fork_child(&self.caller, ctx);
    }

    fn task_is_64_bit(&self, ctx: Context<TaskIs64BitReply>, id: i32) {
        let arch = self.server.registry().get_by_nspid(id).map(|p| p.architecture);
        match arch {
            Some(arch) => ctx.reply_ok(TaskIs64BitReply { is_64_bit: arch.is_64_bit() }),
            None => ctx.reply_status(libc::ESRCH),
        }
    }

    fn interrupt_enter(&self, ctx: Context<()>) {
        let done = self.with_thread(|t| t.interrupts.push(Interrupt::default()));
        ctx.reply_status(if done.is_some() { 0 } else { libc::ESRCH });
    }

    fn interrupt_exit(&self, ctx: Context<()>) {
        let popped = self.with_thread(|t| t.interrupts.pop());
        match popped {
            None | Some(None) => {
                tracing::warn!(
                    pid = self.caller.pid,
                    tid = self.caller.nstid,
                    "interrupt_exit without interrupt_enter"
                );
                ctx.reply_status(libc::EINVAL);
            }
            Some(Some(interrupt)) => {
                // Reply first, then release the held reply: the client reads them in this order.
                ctx.reply_ok(());
                if let Some(held) = interrupt.saved_reply {
                    tracing::debug!(target: "calls", "{}:{} held reply released", self.caller.nspid, self.caller.nstid);
                    self.server.send_reply(&held.addr, &held.bytes, &held.fds, "held reply", self.caller.pid);
                }
            }
        }
    }

    fn console_open(&self, ctx: Context<ConsoleOpenReply>) {
        match self.console() {
            Ok(fd) => ctx.reply_ok(ConsoleOpenReply { console: Some(fd) }),
            Err(e) => {
                tracing::warn!(pid = self.caller.pid, "console_open failed: {e}");
                ctx.reply_status(e.errno());
            }
        }
    }

    fn set_dyld_info(&self, ctx: Context<()>, address: u64, length: u64) {
        let done = self.with_process(|p| p.dyld_info = Some((address, length)));
        ctx.reply_status(if done.is_some() { 0 } else { libc::ESRCH });
    }

    fn stop_after_exec(&self, ctx: Context<()>) {
        let done = self.with_process(|p| p.stop_after_exec = true);
        ctx.reply_status(if done.is_some() { 0 } else { libc::ESRCH });
    }

    fn set_tracer(&self, ctx: Context<()>, target: i32, tracer: i32) {
        let code = {
            let mut registry = self.server.registry();
            if tracer != 0 && registry.get_by_nspid(tracer).is_none() {
                libc::ESRCH
            } else if let Some(process) = registry.get_by_nspid_mut(target) {
                process.tracer = tracer;
                0
            } else {
                libc::ESRCH
            }
        };
        ctx.reply_status(code);
    }

    fn kqchan_proc_open(&self, ctx: Context<KqchanProcOpenReply>, pid: i32, flags: u32) {
        let opened = {
            let mut registry = self.server.registry();
            let Some(listener_is_i386) =
                registry.get(self.caller.pid).map(|p| p.architecture == Architecture::I386)
            else {
                drop(registry);
                return ctx.reply_status(libc::ESRCH);
            };
            let Some(target) = registry.get_by_nspid_mut(pid) else {
                drop(registry);
                return ctx.reply_status(libc::ESRCH);
            };
            kqchan::open(&self.server.runtime, target, self.caller.pid, listener_is_i386, flags, None).map(
                |(_, socket, stop)| {
                    if let Some(listener) = registry.get_mut(self.caller.pid) {
                        listener.hold(stop);
                    }
                    socket
                },
            )
        };
        match opened {
            Ok(socket) => ctx.reply_ok(KqchanProcOpenReply { socket: Some(socket) }),
            Err(e) => {
                tracing::warn!(pid = self.caller.pid, target = pid, "kqchan_proc_open: {e}");
                ctx.reply_status(e.errno());
            }
        }
    }

    fn set_executable_path(&self, ctx: Context<()>, buffer: u64, buffer_size: u64) {
        match self.read_memory("set_executable_path", buffer, buffer_size.min(libc::PATH_MAX as u64) as usize)
        {
            Ok(mut bytes) => {
                if let Some(nul) = bytes.iter().position(|b| *b == 0) {
                    bytes.truncate(nul);
                }
                let done = self.with_process(|p| p.executable_path = Some(bytes));
                ctx.reply_status(if done.is_some() { 0 } else { libc::ESRCH });
            }
            Err(code) => ctx.reply_status(code),
        }
    }

    fn get_executable_path(
        &self,
        ctx: Context<GetExecutablePathReply>,
        pid: i32,
        buffer: u64,
        buffer_size: u64,
    ) {
        let path = {
            let registry = self.server.registry();
            let process = if pid <= 0 { registry.get(self.caller.pid) } else { registry.get_by_nspid(pid) };
            process.map(|p| p.executable_path.clone().unwrap_or_default())
        };
        match path {
            Some(path) => {
                let code = self.write_string("get_executable_path", buffer, buffer_size, &path);
                ctx.reply(code, GetExecutablePathReply { length: path.len() as u64 });
            }
            None => ctx.reply_status(libc::ESRCH),
        }
    }

    fn groups(
        &self,
        ctx: Context<GroupsReply>,
        new_groups: u64,
        new_group_count: u64,
        old_groups: u64,
        old_group_space: u64,
    ) {
        const MAX_GROUPS: u64 = 65536;
        let mut replacement = None;
        if new_groups != 0 {
            if new_group_count > MAX_GROUPS {
                return ctx.reply_status(libc::EINVAL);
            }
            match self.read_memory("groups", new_groups, new_group_count as usize * 4) {
                Ok(bytes) => {
                    replacement = Some(
                        bytes
                            .chunks_exact(4)
                            .map(|c| u32::from_le_bytes(c.try_into().expect("4 bytes")))
                            .collect(),
                    )
                }
                Err(code) => return ctx.reply_status(code),
            }
        }
        let Some(old) = self.with_process(|p| match replacement {
            Some(new) => std::mem::replace(&mut p.groups, new),
            None => p.groups.clone(),
        }) else {
            return ctx.reply_status(libc::ESRCH);
        };
        let mut code = 0;
        if old_groups != 0 && old_group_space > 0 {
            let n = old.len().min(old_group_space as usize);
            let bytes: Vec<u8> = old[..n].iter().flat_map(|g| g.to_le_bytes()).collect();
            if let Err(e) = procfs::write_memory(self.caller.pid, old_groups, &bytes) {
                tracing::warn!(pid = self.caller.pid, "groups: {e}");
                code = e.errno();
            }
        }
        ctx.reply(code, GroupsReply { old_group_count: old.len() as u64 });
    }

    /// XNU's `__pthread_canceled`: 1 enables cancellation, 2 disables it, anything else asks "was
    /// this thread marked for cancellation?", which turns the mark into "canceled" and answers 0, or
    /// answers `EINVAL`. Marks come from `pthread_markcancel`, which names its thread by port, so
    /// until Mach IPC no thread is ever marked and the question answers `EINVAL`, which is true.
    fn pthread_canceled(&self, ctx: Context<()>, action: i32) {
        let code = self.with_thread(|t| match action {
            1 => {
                t.cancel.disabled = false;
                0
            }
            2 => {
                t.cancel.disabled = true;
                0
            }
            _ if t.cancel.marked && !t.cancel.disabled && !t.cancel.canceled => {
                t.cancel.marked = false;
                t.cancel.canceled = true;
                0
            }
            _ => libc::EINVAL,
        });
        ctx.reply_status(code.unwrap_or(libc::ESRCH));
    }

    // Calls that need Mach IPC (a later issue). Each answers STATUS_NOT_IMPLEMENTED through
    // `Scope::needs_mach_ipc`; the line above each says what of Mach IPC it needs.

    // Runs XNU's signal-to-exception path: the signal becomes a Mach exception message to the task's
    // exception port, and the debugger's reply decides the signal.
    fn sigprocess(
        &self,
        ctx: Context<rpc::server::SigprocessReply>,
        _bsd_signal_number: i32,
        _linux_signal_number: i32,
        _sender_pid: i32,
        _code: i32,
        _signal_address: u64,
        _thread_state: u64,
        _float_state: u64,
    ) {
        self.needs_mach_ipc(ctx)
    }

    // Turns on that translation (PT_SIGEXC): it only has an effect through Mach exception messages.
    fn ptrace_sigexc(&self, ctx: Context<()>, _target: i32, _enabled: bool) {
        self.needs_mach_ipc(ctx)
    }

    // Sets the signal a thread resumes with after its Mach exception was handled (see sigprocess).
    fn ptrace_thupdate(&self, ctx: Context<()>, _target: i32, _signum: i32) {
        self.needs_mach_ipc(ctx)
    }

    // A thread is suspended by `thread_suspend` on its thread port, and waits for `thread_resume`.
    fn thread_suspended(&self, ctx: Context<()>, _thread_state: u64, _float_state: u64) {
        self.needs_mach_ipc(ctx)
    }

    // Server-to-client calls (mmap and friends in the client) are queued by Mach VM operations
    // on another task; nothing queues them without Mach IPC.
    fn s2c_perform(&self, ctx: Context<()>) {
        self.needs_mach_ipc(ctx)
    }

    // Names its thread by Mach thread port.
    fn pthread_kill(&self, ctx: Context<()>, _thread_port: u32, _signal: i32) {
        self.needs_mach_ipc(ctx)
    }

    // Names its thread by Mach thread port.
    fn pthread_markcancel(&self, ctx: Context<()>, _thread_port: u32) {
        self.needs_mach_ipc(ctx)
    }

    // Names its thread by Mach thread port.
    fn tid_for_thread(&self, ctx: Context<rpc::server::TidForThreadReply>, _thread: u32) {
        self.needs_mach_ipc(ctx)
    }

    // Watches a Mach port's message queue.
    fn kqchan_mach_port_open(
        &self,
        ctx: Context<rpc::server::KqchanMachPortOpenReply>,
        _port_name: u32,
        _receive_buffer: u64,
        _receive_buffer_size: u64,
        _saved_filter_flags: u64,
    ) {
        self.needs_mach_ipc(ctx)
    }

    // Lists a task's Mach port name space.
    fn debug_list_ports(&self, ctx: Context<rpc::server::DebugListPortsReply>, _process: u32) {
        self.needs_mach_ipc(ctx)
    }

    // Lists the members of a Mach port set.
    fn debug_list_members(
        &self,
        ctx: Context<rpc::server::DebugListMembersReply>,
        _process: u32,
        _portset: u32,
    ) {
        self.needs_mach_ipc(ctx)
    }

    // Lists the messages queued on a Mach port.
    fn debug_list_messages(
        &self,
        ctx: Context<rpc::server::DebugListMessagesReply>,
        _process: u32,
        _port: u32,
    ) {
        self.needs_mach_ipc(ctx)
    }

    fn debug_list_processes(&self, ctx: Context<DebugListProcessesReply>) {
        match self.process_listing() {
            Ok((process_count, fd)) => ctx.reply_ok(DebugListProcessesReply { process_count, fd: Some(fd) }),
            Err(e) => {
                tracing::warn!(pid = self.caller.pid, "debug_list_processes: {e}");
                ctx.reply_status(e.errno());
            }
        }
    }

    /// A client in a signal handler received the reply of the call the signal interrupted and hands
    /// it back; it is held until `interrupt_exit`.
    fn push_reply(&self, mut push: PushReply) {
        // The last descriptor is the client's synchronization pipe: the client blocks reading it until
        // we close our end (end of file). We only ever close it: writing to a descriptor a client
        // handed us could block the server (a rogue can hand over anything). Dropped on every path.
        let Some(_sync) = push.fds.pop() else {
            tracing::warn!(pid = self.caller.pid, "push_reply without its synchronization pipe; dropped");
            return;
        };
        if !(rpc::header::REPLY_HEADER_SIZE as u64..=4096).contains(&push.reply_size) {
            tracing::warn!(pid = self.caller.pid, "push_reply of {} byte(s); dropped", push.reply_size);
            return;
        }
        let Ok(bytes) = self.read_memory("push_reply", push.reply_address, push.reply_size as usize) else {
            return;
        };
        let caller = self.caller;
        let mut registry = self.server.registry();
        let thread = registry.get_mut(caller.pid).and_then(|p| p.threads.get_mut(&caller.nstid));
        match thread.and_then(|t| Some((t.addr, t.interrupts.last_mut()?))) {
            Some((addr, interrupt)) => {
                if interrupt.saved_reply.is_some() {
                    tracing::warn!(
                        pid = caller.pid,
                        tid = caller.nstid,
                        "push_reply replaces a reply already held"
                    );
                }
                tracing::debug!(target: "calls", "{}:{} push_reply: {} byte(s) held until interrupt_exit", caller.nspid, caller.nstid, bytes.len());
                interrupt.saved_reply =
                    Some(PendingReply { addr, bytes, fds: std::mem::take(&mut push.fds) });
            }
            None => tracing::warn!(
                pid = caller.pid,
                tid = caller.nstid,
                "push_reply outside interrupt_enter/interrupt_exit; dropped"
            ),
        }
    }

    fn s2c_reply(&self, reply: S2cReply) {
        tracing::warn!(
            pid = self.caller.pid,
            "server-to-client reply without a server-to-client call; dropped"
        );
        drop(reply);
    }

    fn unimplemented(&self, call: &'static CallInfo, header: &CallHeader) -> i32 {
        tracing::warn!(target: "calls", pid = header.pid, tid = header.tid, "not implemented: {}", call.name);
        rpc::STATUS_NOT_IMPLEMENTED
    }
}
