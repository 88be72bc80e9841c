//! What the server learns about a client process from the kernel: `/proc` facts (parent, start time,
//! namespaced ids, groups), pidfds, and reading and writing the client's memory.
//!
//! Every failure names the pid, the address or the file, and the errno.

use std::io;
use std::os::fd::{FromRawFd, OwnedFd};

use nix::libc;

use crate::error::Error;

/// `pidfd_open(pid, 0)`. `Ok(None)` when the kernel has no such system call (Linux before 5.3), so the
/// caller can fall back to polling; every other failure is an error.
pub fn pidfd_open(pid: i32) -> Result<Option<OwnedFd>, Error> {
    if force_no_pidfd() {
        return Ok(None);
    }
    // SAFETY: plain system call; a non-negative result is a fresh descriptor we own.
    let ret = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
    if ret >= 0 {
        return Ok(Some(unsafe { OwnedFd::from_raw_fd(ret as i32) }));
    }
    let err = io::Error::last_os_error();
    if err.raw_os_error() == Some(libc::ENOSYS) {
        return Ok(None);
    }
    Err(Error::io(format!("pidfd_open for pid {pid}"), err))
}

/// `DARLINGSERVER_NO_PIDFD=1` makes the server behave as on a kernel without `pidfd_open`, so the polling
/// fallback is tested on kernels that have it.
pub fn force_no_pidfd() -> bool {
    std::env::var_os("DARLINGSERVER_NO_PIDFD").is_some_and(|v| v == "1")
}

fn read_status(pid: i32) -> Result<String, Error> {
    let path = format!("/proc/{pid}/status");
    std::fs::read_to_string(&path).map_err(|e| Error::io(format!("reading {path}"), e))
}

fn status_field<'a>(status: &'a str, field: &str) -> Option<&'a str> {
    status.lines().find_map(|line| line.strip_prefix(field)?.strip_prefix(':')).map(str::trim)
}

/// Facts from `/proc/<pid>/status` the server needs at check-in.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ProcessFacts {
    pub ppid: i32,
    /// The pid in every namespace from the server's down to the process's own (`NSpid`).
    pub nspids: Vec<i32>,
    pub groups: Vec<u32>,
}

pub fn process_facts(pid: i32) -> Result<ProcessFacts, Error> {
    let status = read_status(pid)?;
    Ok(parse_status(&status))
}

fn parse_status(status: &str) -> ProcessFacts {
    let ints = |field: &str| -> Vec<i64> {
        status_field(status, field)
            .map(|v| v.split_whitespace().filter_map(|n| n.parse().ok()).collect())
            .unwrap_or_default()
    };
    ProcessFacts {
        ppid: ints("PPid").first().copied().unwrap_or(0) as i32,
        nspids: ints("NSpid").into_iter().map(|v| v as i32).collect(),
        groups: ints("Groups").into_iter().map(|v| v as u32).collect(),
    }
}

/// The Linux tid (in the server's namespace) of the thread of `pid` that calls itself `nstid`.
/// In the common case (same namespace) they are equal; otherwise every task's `NSpid` is searched.
pub fn linux_tid(pid: i32, nspid: i32, nstid: i32) -> Option<i32> {
    if pid == nspid {
        return std::path::Path::new(&format!("/proc/{pid}/task/{nstid}")).exists().then_some(nstid);
    }
    let tasks = std::fs::read_dir(format!("/proc/{pid}/task")).ok()?;
    for task in tasks.flatten() {
        let Some(tid) = task.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else { continue };
        let Ok(status) = std::fs::read_to_string(task.path().join("status")) else { continue };
        if parse_status(&status).nspids.last() == Some(&nstid) {
            return Some(tid);
        }
    }
    None
}

/// The process's start time in clock ticks since boot (field 22 of `/proc/<pid>/stat`): with the pid,
/// it identifies one process across pid reuse. `None` when the process is gone.
pub fn start_time(pid: i32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may contain spaces and parentheses; fields resume after the last ')'.
    let rest = &stat[stat.rfind(')')? + 1..];
    // `rest` starts at field 3 (state); start time is field 22.
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let state = fields.first()?;
    if *state == "Z" || *state == "X" {
        return None;
    }
    fields.get(22 - 3)?.parse().ok()
}

/// The wait status of a process that has exited but is not reaped yet (field 52 of
/// `/proc/<pid>/stat`, in `waitpid`'s form); `None` while it runs, or once it is reaped.
pub fn exit_status(pid: i32) -> Option<i32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    if fields.first() != Some(&"Z") {
        return None;
    }
    fields.get(52 - 3)?.parse().ok()
}

/// The children of `pid` (Linux pids, zombies included), from every thread's
/// `/proc/<pid>/task/<tid>/children`; without that file (a kernel built without
/// `CONFIG_PROC_CHILDREN`), from every process's parent in `/proc/<n>/stat`.
pub fn children(pid: i32) -> Vec<i32> {
    let mut children = Vec::new();
    let mut found_file = false;
    if let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) {
        for task in tasks.flatten() {
            if let Ok(list) = std::fs::read_to_string(task.path().join("children")) {
                found_file = true;
                children.extend(list.split_whitespace().filter_map(|n| n.parse::<i32>().ok()));
            }
        }
    }
    if !found_file && let Ok(entries) = std::fs::read_dir("/proc") {
        for entry in entries.flatten() {
            let Some(n) = entry.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else { continue };
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
            let Some(close) = stat.rfind(')') else { continue };
            // Field 4 (ppid) is the second after the command name.
            if stat[close + 1..].split_whitespace().nth(1).and_then(|p| p.parse::<i32>().ok()) == Some(pid) {
                children.push(n);
            }
        }
    }
    children.sort_unstable();
    children.dedup();
    children
}

/// `pidfd_open(tid, PIDFD_THREAD)`: a descriptor that becomes readable when that one thread exits.
/// `None` when the kernel cannot (before Linux 6.9 `PIDFD_THREAD` is `EINVAL`), when pidfds are
/// turned off, or when the thread is already gone.
pub fn thread_pidfd(tid: i32) -> Option<OwnedFd> {
    /// `PIDFD_THREAD`, which is `O_EXCL`.
    const PIDFD_THREAD: libc::c_uint = libc::O_EXCL as libc::c_uint;
    if force_no_pidfd() {
        return None;
    }
    // SAFETY: plain system call; a non-negative result is a fresh descriptor we own.
    let ret = unsafe { libc::syscall(libc::SYS_pidfd_open, tid, PIDFD_THREAD) };
    (ret >= 0).then(|| unsafe { OwnedFd::from_raw_fd(ret as i32) })
}

/// The process's start time (field 22 of `/proc/<pid>/stat`), zombie or not; `None` once reaped.
pub fn start_time_even_if_dead(pid: i32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(22 - 3)?.parse().ok()
}

/// Is the process that had `start_time` still alive (not a zombie, not a different process on the pid)?
pub fn is_alive(pid: i32, start: u64) -> bool {
    start_time(pid) == Some(start)
}

/// Reads `buf.len()` bytes at `address` in the client's memory (`process_vm_readv`).
pub fn read_memory(pid: i32, address: u64, buf: &mut [u8]) -> Result<(), Error> {
    transfer(pid, address, buf.as_mut_ptr(), buf.len(), false)
}

/// Writes `data` at `address` in the client's memory (`process_vm_writev`).
pub fn write_memory(pid: i32, address: u64, data: &[u8]) -> Result<(), Error> {
    transfer(pid, address, data.as_ptr() as *mut u8, data.len(), true)
}

fn transfer(pid: i32, address: u64, local: *mut u8, len: usize, write: bool) -> Result<(), Error> {
    if len == 0 {
        return Ok(());
    }
    let local_iov = libc::iovec { iov_base: local.cast(), iov_len: len };
    let remote_iov = libc::iovec { iov_base: address as usize as *mut libc::c_void, iov_len: len };
    // SAFETY: the local iovec covers memory the caller lent us for `len` bytes; the remote one is only
    // interpreted by the kernel, in the other process.
    let n = unsafe {
        if write {
            libc::process_vm_writev(pid, &local_iov, 1, &remote_iov, 1, 0)
        } else {
            libc::process_vm_readv(pid, &local_iov, 1, &remote_iov, 1, 0)
        }
    };
    let what = || {
        format!("{} {len} byte(s) at {address:#x} in pid {pid}", if write { "writing" } else { "reading" })
    };
    if n < 0 {
        return Err(Error::io(what(), io::Error::last_os_error()));
    }
    if n as usize != len {
        return Err(Error::io(
            format!("{} (only {n} transferred)", what()),
            io::Error::from_raw_os_error(libc::EFAULT),
        ));
    }
    Ok(())
}

/// `readlink` of a descriptor the server holds, for the path it names.
pub fn fd_path(fd: &OwnedFd) -> Result<std::path::PathBuf, Error> {
    use std::os::fd::AsRawFd;
    let link = format!("/proc/self/fd/{}", fd.as_raw_fd());
    std::fs::read_link(&link).map_err(|e| Error::io(format!("readlink {link}"), e))
}

/// Counts the server's own open descriptors, for `darling ps` and the leak tests' expectations.
pub fn open_descriptor_count() -> usize {
    std::fs::read_dir("/proc/self/fd").map(|d| d.count()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_parsing() {
        let facts = parse_status("Name:\tx\nPPid:\t12\nNSpid:\t100\t5\nGroups:\t4 24 27 \n");
        assert_eq!(facts, ProcessFacts { ppid: 12, nspids: vec![100, 5], groups: vec![4, 24, 27] });
    }

    #[test]
    fn own_process() {
        let me = std::process::id() as i32;
        let facts = process_facts(me).unwrap();
        assert_eq!(facts.nspids.first(), Some(&me));
        let start = start_time(me).unwrap();
        assert!(is_alive(me, start));
        assert!(!is_alive(me, start + 1));
        assert_eq!(linux_tid(me, me, me), Some(me));
        assert_eq!(exit_status(me), None, "a running process has no exit status");
    }

    #[test]
    fn children_and_the_status_of_a_zombie() {
        let me = std::process::id() as i32;
        let mut child = std::process::Command::new("sh").args(["-c", "exit 7"]).spawn().unwrap();
        let pid = child.id() as i32;
        // Not reaped yet, so it is listed (as a zombie once it has exited).
        assert!(children(me).contains(&pid));
        let mut status = None;
        while status.is_none() {
            status = exit_status(pid);
            std::thread::yield_now();
        }
        assert_eq!(status, Some(7 << 8), "waitpid's form of exit(7)");
        child.wait().unwrap();
        assert!(!children(me).contains(&pid));
    }

    #[test]
    fn memory_round_trip_in_own_process() {
        let me = std::process::id() as i32;
        let source = *b"darling";
        let mut out = [0u8; 7];
        read_memory(me, source.as_ptr() as u64, &mut out).unwrap();
        assert_eq!(&out, b"darling");
        let err = read_memory(me, 8, &mut out).unwrap_err().to_string();
        assert!(err.contains("EFAULT") && err.contains("at 0x8"), "{err}");
    }
}
