//! The registry of checked-in processes and their threads, keyed by Linux id and by namespaced id.
//!
//! A process is known by two ids: its pid in the server's pid namespace (from the kernel-checked
//! `SCM_CREDENTIALS` of its datagrams) and the pid it sees itself (the call header's, which differs when
//! the client runs in a child pid namespace). Threads likewise. The registry is the one owner of every
//! per-process resource (death watch, console relays, vchroot descriptor): removing a process drops them,
//! which closes their descriptors, so reclaiming a dead client is one `remove`.

use std::collections::HashMap;
use std::os::fd::OwnedFd;
use std::path::PathBuf;

use darling_core::rpc::{Architecture, Context};
use rustc_hash::FxBuildHasher;

use crate::socket::PeerAddr;

/// A reply the server owes a thread and will send later (a deferred call, or a reply the client pushed
/// back during a signal handler): the bytes, the descriptors and where to send them.
pub struct PendingReply {
    pub addr: PeerAddr,
    pub bytes: Vec<u8>,
    pub fds: Vec<OwnedFd>,
}

/// One level of signal handling on a thread (`interrupt_enter` .. `interrupt_exit`).
#[derive(Default)]
pub struct Interrupt {
    /// The reply of the call the signal interrupted, held back until `interrupt_exit` so that calls made
    /// inside the handler do not receive it.
    pub saved_reply: Option<PendingReply>,
}

/// A thread's pthread cancellation state as XNU's kernel keeps it (`__pthread_canceled`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Cancel {
    /// Cancellation disabled (`PTHREAD_CANCEL_DISABLE`).
    pub disabled: bool,
    /// Marked for cancellation by `pthread_markcancel`, not yet acted on.
    pub marked: bool,
    /// The thread learned it is canceled.
    pub canceled: bool,
}

/// A `fork_wait_for_child` that waits: answered when a forked child checks in, with `ECHILD` when
/// the children it could be waiting for die first, with `STATUS_DROPPED` if the process goes.
pub struct ForkWait {
    pub ctx: Context<()>,
    /// Tells the watcher of the candidate children which wait it watches for.
    pub serial: u64,
    /// Stops that watcher when the wait is answered otherwise (dropped with the wait).
    pub _watch: Option<tokio::sync::oneshot::Sender<()>>,
}

/// A checked-in thread.
pub struct Thread {
    /// Linux tid in the server's namespace.
    pub tid: i32,
    /// The tid the thread sees itself (call header).
    pub nstid: i32,
    /// Where the thread's socket is; replies go here.
    pub addr: PeerAddr,
    pub stack_hint: u64,
    pub pthread_handle: u64,
    pub dispatch_qaddr: u64,
    /// A call whose reply waits for an event: `fork_wait_for_child` waiting for a child's check-in.
    pub deferred: Option<ForkWait>,
    /// How many signal handlers the thread was inside when it made its last deferred call: if it is
    /// deeper when the reply is ready, the reply waits in `interrupts[level]` until that handler exits.
    pub deferred_level: Option<usize>,
    pub interrupts: Vec<Interrupt>,
    pub calls: u64,
    pub cancel: Cancel,
    /// Stops the watch of the thread's exit (when the kernel has thread pidfds) as the entry goes.
    pub exit_watch: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Thread {
    pub fn new(tid: i32, nstid: i32, addr: PeerAddr) -> Self {
        Self {
            tid,
            nstid,
            addr,
            stack_hint: 0,
            pthread_handle: 0,
            dispatch_qaddr: 0,
            deferred: None,
            deferred_level: None,
            interrupts: Vec::new(),
            calls: 0,
            cancel: Cancel::default(),
            exit_watch: None,
        }
    }
}

/// What the registry knows about how a process will end; owned here so that removing the process
/// drops (and so closes) its descriptors.
pub enum Lifetime {
    /// A pidfd, watched by a task that holds the other end of this channel; dropping the sender stops it.
    Pidfd(tokio::sync::oneshot::Sender<()>),
    /// No pidfd (Linux before 5.3): the process is polled, and its lifetime pipe (if it sent one)
    /// wakes the poller early.
    Polled {
        start_time: u64,
        /// Lifetime pipes from check-ins go to the poller.
        lifetime_pipes: tokio::sync::mpsc::UnboundedSender<OwnedFd>,
        _stop: tokio::sync::oneshot::Sender<()>,
    },
}

/// A checked-in process.
pub struct Process {
    /// Unique per registration, so a death notice for an old process cannot remove a new one that
    /// reused its pid.
    pub serial: u64,
    pub pid: i32,
    pub nspid: i32,
    pub architecture: Architecture,
    pub parent: Option<i32>,
    pub uid: i32,
    pub gid: i32,
    pub groups: Vec<u32>,
    pub executable_path: Option<Vec<u8>>,
    pub vchroot: Option<(OwnedFd, PathBuf)>,
    pub dyld_info: Option<(u64, u64)>,
    pub tracer: i32,
    pub start_suspended: bool,
    pub stop_after_exec: bool,
    /// `checkout` with an exec pipe said an exec succeeded; the next check-in is the new image.
    pub pending_replacement: bool,
    /// Counts exec'd images, so a late exec-pipe verdict about an image that has already been
    /// replaced is recognised and ignored.
    pub image: u64,
    /// Children that checked in after a fork and that no `fork_wait_for_child` has consumed yet.
    pub fork_wait_count: u32,
    /// Children (Linux pid, start time) a `fork_wait_for_child` no longer waits for: those that
    /// checked in after a fork, and those a wait already reported dead. The last few are kept
    /// (waits look at the newest children), and pruned of the reaped as a wait looks.
    pub settled_children: Vec<(i32, u64)>,
    pub threads: IdMap<Thread>,
    pub lifetime: Option<Lifetime>,
    /// Other descriptors the process's calls left with the server (console relays, exec pipes): closed
    /// when the process is removed.
    pub held: Vec<tokio::sync::oneshot::Sender<()>>,
    pub checked_in: bool,
    /// The kqueue channels watching this process (`kqchan_proc_open`), weakly: a channel ends
    /// with its client or its opener, not with what it watches.
    pub watchers: Vec<crate::kqchan::Watcher>,
}

impl Process {
    pub fn new(pid: i32, nspid: i32, architecture: Architecture, uid: u32, gid: u32) -> Self {
        Self {
            serial: 0,
            pid,
            nspid,
            architecture,
            parent: None,
            uid: uid as i32,
            gid: gid as i32,
            groups: Vec::new(),
            executable_path: None,
            vchroot: None,
            dyld_info: None,
            tracer: 0,
            start_suspended: false,
            stop_after_exec: false,
            pending_replacement: false,
            image: 0,
            fork_wait_count: 0,
            settled_children: Vec::new(),
            threads: IdMap::default(),
            lifetime: None,
            held: Vec::new(),
            checked_in: false,
            watchers: Vec::new(),
        }
    }

    /// Notes a child a `fork_wait_for_child` should not wait for any more (see `settled_children`).
    pub fn settle_child(&mut self, child: (i32, u64)) {
        if self.settled_children.len() >= 64 {
            self.settled_children.remove(0);
        }
        if !self.settled_children.contains(&child) {
            self.settled_children.push(child);
        }
    }

    /// Keeps `stop` until the process goes (dropping it stops what it belongs to), and forgets the
    /// handles of what has stopped already, so a process that opens and closes many channels does
    /// not accumulate them.
    pub fn hold(&mut self, stop: tokio::sync::oneshot::Sender<()>) {
        self.held.retain(|held| !held.is_closed());
        self.held.push(stop);
    }

    /// Forgets every thread but the one that checked in for the new image, and the state an exec does
    /// not keep; ids, credentials and the vchroot survive an exec, as on XNU.
    pub fn replace_image(&mut self, main_nstid: i32) {
        self.image += 1;
        self.threads.retain(|nstid, _| *nstid == main_nstid);
        self.executable_path = None;
        self.dyld_info = None;
        self.pending_replacement = false;
        self.fork_wait_count = 0;
        if std::mem::take(&mut self.stop_after_exec) {
            self.start_suspended = true;
        }
    }
}

/// The maps of the registry. Every call looks up its process and thread, so the hash is on the hot
/// path: Fx (a multiply and a rotate per key) instead of SipHash. SipHash's defence against chosen
/// keys buys nothing here: the keys are pids and tids, and only the server's own user can reach the
/// socket (mode 0600).
pub type IdMap<V> = HashMap<i32, V, FxBuildHasher>;

/// Every process, by Linux pid, with an index by namespaced pid.
#[derive(Default)]
pub struct Registry {
    processes: IdMap<Process>,
    by_nspid: IdMap<i32>,
}

impl Registry {
    pub fn get(&self, pid: i32) -> Option<&Process> {
        self.processes.get(&pid)
    }

    pub fn get_mut(&mut self, pid: i32) -> Option<&mut Process> {
        self.processes.get_mut(&pid)
    }

    pub fn pid_for_nspid(&self, nspid: i32) -> Option<i32> {
        self.by_nspid.get(&nspid).copied()
    }

    pub fn get_by_nspid(&self, nspid: i32) -> Option<&Process> {
        self.processes.get(self.by_nspid.get(&nspid)?)
    }

    pub fn get_by_nspid_mut(&mut self, nspid: i32) -> Option<&mut Process> {
        let pid = *self.by_nspid.get(&nspid)?;
        self.processes.get_mut(&pid)
    }

    pub fn insert(&mut self, process: Process) -> &mut Process {
        let pid = process.pid;
        self.by_nspid.insert(process.nspid, pid);
        if let Some(old) = self.processes.insert(pid, process) {
            // A pid reused before the old process's death was processed: the old entry goes now.
            tracing::info!(pid, nspid = old.nspid, "replaced a stale registry entry for a reused pid");
            if old.nspid != self.processes[&pid].nspid {
                self.by_nspid.remove(&old.nspid);
            }
        }
        self.processes.get_mut(&pid).expect("just inserted")
    }

    /// Removes a process and everything it held; returns it so the caller can log what went.
    pub fn remove(&mut self, pid: i32) -> Option<Process> {
        let process = self.processes.remove(&pid)?;
        if self.by_nspid.get(&process.nspid) == Some(&pid) {
            self.by_nspid.remove(&process.nspid);
        }
        Some(process)
    }

    pub fn len(&self) -> usize {
        self.processes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.processes.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Process> {
        self.processes.values()
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn lookups_by_both_ids_and_removal() {
        let mut registry = Registry::default();
        registry.insert(Process::new(100, 7, Architecture::X86_64, 1000, 1000));
        assert_eq!(registry.pid_for_nspid(7), Some(100));
        assert!(registry.get_by_nspid(7).unwrap().architecture.is_64_bit());
        let addr = PeerAddr::from_path(Path::new("/x")).unwrap();
        registry.get_mut(100).unwrap().threads.insert(7, Thread::new(100, 7, addr));
        let gone = registry.remove(100).unwrap();
        assert_eq!(gone.threads.len(), 1);
        assert!(registry.get_by_nspid(7).is_none());
        assert!(registry.is_empty());
    }

    #[test]
    fn exec_keeps_the_main_thread_and_turns_stop_after_exec_into_suspended() {
        let addr = PeerAddr::from_path(Path::new("/x")).unwrap();
        let mut p = Process::new(1, 1, Architecture::X86_64, 0, 0);
        p.threads.insert(1, Thread::new(1, 1, addr));
        p.threads.insert(2, Thread::new(2, 2, addr));
        p.stop_after_exec = true;
        p.executable_path = Some(b"/bin/a".to_vec());
        p.replace_image(1);
        assert_eq!(p.threads.len(), 1);
        assert!(p.start_suspended && !p.stop_after_exec);
        assert!(p.executable_path.is_none());
    }
}
