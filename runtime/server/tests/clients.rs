//! C clients against the server: programs compiled with `cc` against the generated `rpc.h`, linked with
//! the shim, run with a temporary prefix per test. They cover check-in and check-out with concurrent
//! threads, fork, exec, a client killed mid-call (registry and descriptors reclaimed), the uidgid round
//! trip, `console_open`, descriptor passing, the interrupt protocol, kqueue process channels,
//! `fork_wait_for_child` with a child that dies first, a thread that exits without checking out, a
//! restarted server, the server starting on demand, and a 10-second soak of malformed traffic next to a well-behaved client.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixDatagram;
use std::process::Stdio;
use std::time::{Duration, Instant};

use support::TestPrefix;

#[test]
fn uidgid_round_trip() {
    require_rpc!();
    let mut prefix = TestPrefix::new("uidgid");
    prefix.start_server();
    let out = prefix.run(&prefix.compile("uidgid"), &[]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "uid=5 gid=89");
}

/// Without a server (and with autostart off), a client says once that it could not check in, naming
/// the socket and the errno, and does not then complain again about checking out at exit.
#[test]
fn a_failed_check_in_is_reported_once() {
    require_rpc!();
    let prefix = TestPrefix::new("nocheckin");
    let program = prefix.compile("uidgid");
    let out = prefix.command(&program).output().expect("running the client");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "uidgid cannot succeed without a server:\n{stderr}");
    let complaints: Vec<&str> = stderr.lines().filter(|l| l.contains("failed to check in")).collect();
    assert_eq!(complaints.len(), 1, "{stderr}");
    let socket = prefix.socket();
    assert!(complaints[0].contains(&socket.display().to_string()), "names the socket: {stderr}");
    assert!(!stderr.contains("check-out") && !stderr.contains("checkout"), "{stderr}");
}

#[test]
fn eight_threads_call_concurrently_then_check_out() {
    require_rpc!();
    let mut prefix = TestPrefix::new("threads");
    prefix.start_server();
    let ps = prefix.compile("ps");
    let program = prefix.compile("threads");
    let out = prefix.run(&program, &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let pid: i32 = stdout
        .strip_prefix("pid ")
        .and_then(|rest| rest.split_once(": 8 threads x 300 rounds ok"))
        .and_then(|(pid, _)| pid.parse().ok())
        .unwrap_or_else(|| panic!("unexpected output: {stdout}"));
    let log = prefix.server_log();
    assert!(log.contains("thread 7 round 200"), "kprintf lines reach the server log:\n{log}");
    // The main thread's check-out at exit was answered with success (the debug exchange log), and it
    // was the last thread out, so it took the process with it: the server says "checked out", never
    // "exited", which is what a process reaped through its pidfd (no check-out) would say. And each
    // worker thread checked out when it ended: one that had not would have stayed in the registry
    // (the main thread's check-out then not the last) or, with thread pidfds, left it with an
    // "exited without checking out" line.
    let checkout = format!("{pid}:{pid} checkout(exec_listener_pipe=no fd, executing_macho=false) -> 0");
    let checked_out = format!("process {pid} ({pid}) checked out;");
    assert!(
        prefix.wait_for(Duration::from_secs(20), || {
            let log = prefix.server_log();
            log.contains(&checkout) && log.contains(&checked_out)
        }),
        "no `{checkout}` and `{checked_out}` in the log:\n{}",
        prefix.server_log()
    );
    let log = prefix.server_log();
    assert!(!log.contains(&format!("of process {pid} exited without checking out")), "{log}");
    // And only `ps` itself is listed.
    let listed = prefix.listed_pids(&ps);
    assert!(listed.len() == 1 && !listed.contains(&pid), "{listed:?}");
}

#[test]
fn fork_then_calls_from_parent_and_child() {
    require_rpc!();
    let mut prefix = TestPrefix::new("fork");
    prefix.start_server();
    let out = prefix.run(&prefix.compile("fork"), &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("parent") && stdout.contains("child"), "{stdout}");
}

#[test]
fn exec_of_another_client() {
    require_rpc!();
    let mut prefix = TestPrefix::new("exec");
    prefix.start_server();
    let out = prefix.run(&prefix.compile("exec"), &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let pids: Vec<&str> = stdout.lines().filter_map(|l| l.split("pid ").nth(1)?.split(' ').next()).collect();
    assert_eq!(pids.len(), 2, "{stdout}");
    assert_eq!(pids[0], pids[1], "exec keeps the pid");
    // The exec pipe's verdict is read asynchronously, so it may land after the new image checked in.
    let logged = |text: &str| prefix.wait_for(Duration::from_secs(20), || prefix.server_log().contains(text));
    assert!(logged("exec failed; the process carries on"), "{}", prefix.server_log());
    assert!(logged("exec succeeded;"), "{}", prefix.server_log());
    assert!(logged("exec'd a new client image"), "{}", prefix.server_log());
}

#[test]
fn a_client_killed_mid_call_is_reclaimed() {
    require_rpc!();
    let mut prefix = TestPrefix::new("kill");
    prefix.start_server();
    let ps = prefix.compile("ps");
    let busy = prefix.compile("busy");
    // The baseline includes what `ps` itself leaves behind (nothing, once it has exited).
    assert_eq!(prefix.listed_pids(&ps).len(), 1);
    assert!(prefix.wait_for(Duration::from_secs(20), || prefix.listed_pids(&ps).len() == 1));
    let baseline = prefix.server_fd_count();
    let mut child = support::KillOnDrop(prefix.command(&busy).stdout(Stdio::piped()).spawn().unwrap());
    let mut line = String::new();
    BufReader::new(child.0.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert_eq!(line.trim(), "ready");
    let pid = child.0.id() as i32;
    assert!(prefix.listed_pids(&ps).contains(&pid));
    let holding = prefix.server_fd_count();
    assert!(holding >= baseline + 3, "pidfd, console relay and vchroot directory: {baseline} -> {holding}");
    // Its threads are in the middle of calls right now.
    std::thread::sleep(Duration::from_millis(100));
    child.0.kill().unwrap();
    child.0.wait().unwrap();
    assert!(
        prefix.wait_for(Duration::from_secs(20), || !prefix.listed_pids(&ps).contains(&pid)),
        "pid {pid} still listed"
    );
    assert!(
        prefix.wait_for(Duration::from_secs(20), || prefix.server_fd_count() == baseline),
        "server descriptors: {baseline} before, {} after",
        prefix.server_fd_count()
    );
}

#[test]
fn console_open_returns_a_usable_descriptor() {
    require_rpc!();
    let mut prefix = TestPrefix::new("console");
    prefix.start_server();
    prefix.run(&prefix.compile("console"), &["hello darling console"]);
    assert!(
        prefix.wait_for(Duration::from_secs(20), || prefix.server_log().contains("hello darling console")),
        "{}",
        prefix.server_log()
    );
}

#[test]
fn a_descriptor_sent_to_the_server_arrives_usable() {
    require_rpc!();
    let mut prefix = TestPrefix::new("fdpass");
    prefix.start_server();
    let dir = prefix.root.join("usr/lib");
    let out = prefix.run(&prefix.compile("fdpass"), &[dir.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("usr/lib"));
}

#[test]
fn a_reply_that_arrives_during_a_signal_handler_is_pushed_back_and_redelivered() {
    require_rpc!();
    let mut prefix = TestPrefix::new("interrupt");
    prefix.start_server();
    let out = prefix.run(&prefix.compile("interrupt"), &[]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("interrupted wait completed"));
    // Depending on timing the reply was pushed back by the client, or held by the server; either way
    // it was released only after interrupt_exit.
    let log = prefix.server_log();
    assert!(log.contains("push_reply:") || log.contains("held until interrupt_exit"), "{log}");
    assert!(log.contains("held reply released"), "{log}");
}

/// A process kqueue channel follows a child through fork (with the grandchild's own channel, as
/// NOTE_TRACK asks), exec and exit, with the exit status.
#[test]
fn a_kqueue_channel_reports_fork_exec_and_exit() {
    require_rpc!();
    let mut prefix = TestPrefix::new("kqchan");
    prefix.start_server();
    let out = prefix.run(&prefix.compile("kqchan"), &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("exited 7;") && stdout.contains("reported itself a child"), "{stdout}");
}

/// `fork_wait_for_child` does not wait forever for a child that dies before it checks in.
#[test]
fn fork_wait_for_child_ends_when_the_child_dies_before_checking_in() {
    require_rpc!();
    let mut prefix = TestPrefix::new("forkdeath");
    prefix.start_server();
    let out = prefix.run(&prefix.compile("forkdeath"), &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("dead before the wait: ECHILD"), "{stdout}");
    assert!(stdout.contains("died during the wait: ECHILD"), "{stdout}");
    assert!(stdout.contains("a child that checks in: success"), "{stdout}");
}

/// Whether this kernel has thread pidfds (`PIDFD_THREAD`, Linux 6.9), through which the server
/// notices a thread that ends without checking out.
fn thread_pidfds_work() -> bool {
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, libc::gettid(), libc::O_EXCL) };
    if fd >= 0 {
        unsafe { libc::close(fd as i32) };
    }
    fd >= 0
}

/// A thread that ends without checking out leaves the registry while its process lives on.
#[test]
fn a_thread_that_exits_without_checking_out_leaves_the_registry() {
    require_rpc!();
    if !thread_pidfds_work() {
        eprintln!(
            "skipped: this kernel has no thread pidfds (PIDFD_THREAD, Linux 6.9), so threads leave with their process"
        );
        return;
    }
    let mut prefix = TestPrefix::new("threadexit");
    prefix.start_server();
    let program = prefix.compile("threadexit");
    let mut child = support::KillOnDrop(
        prefix.command(&program).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap(),
    );
    let mut stdout = BufReader::new(child.0.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let tid =
        line.trim().strip_prefix("thread ").and_then(|l| l.strip_suffix(" gone")).expect(&line).to_string();
    let left = format!("thread {tid} of process {} exited without checking out", child.0.id());
    assert!(
        prefix.wait_for(Duration::from_secs(20), || prefix.server_log().contains(&left)),
        "no `{left}` in the log:\n{}",
        prefix.server_log()
    );
    writeln!(child.0.stdin.take().unwrap(), "go").unwrap();
    assert!(child.0.wait().unwrap().success());
}

/// The shim connects each thread's socket to the server; a restarted server has a new socket at the
/// same path, and the next call must find it.
#[test]
fn a_client_follows_a_restarted_server() {
    require_rpc!();
    let mut prefix = TestPrefix::new("restart");
    prefix.start_server();
    let program = prefix.compile("restart");
    let mut child = support::KillOnDrop(
        prefix.command(&program).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap(),
    );
    let mut stdout = BufReader::new(child.0.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    assert_eq!(line.trim(), "called");
    prefix.stop_server();
    prefix.start_server();
    writeln!(child.0.stdin.take().unwrap(), "go").unwrap();
    line.clear();
    stdout.read_line(&mut line).unwrap();
    assert_eq!(line.trim(), "called again", "server log:\n{}", prefix.server_log());
    assert!(child.0.wait().unwrap().success());
}

#[test]
fn the_first_client_starts_the_server() {
    require_rpc!();
    let prefix = TestPrefix::new("ondemand");
    let program = prefix.compile("uidgid");
    // Two first clients at once: exactly one server comes up, and both are served.
    let spawn = || {
        prefix.command(&program).env_remove("DARLING_NO_AUTOSTART").stdout(Stdio::piped()).spawn().unwrap()
    };
    let (a, b) = (spawn(), spawn());
    for child in [a, b] {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "uid=5 gid=89");
    }
    let pid = darling_core::launch::running_server_pid(&darling_core::prefix::Prefix::new(&prefix.root));
    assert!(pid.is_some(), "the server keeps running for the next client");
    // TestPrefix's drop shuts it down through the prefix.
}

/// For 10 s a rogue client sends random datagrams, truncated calls, unknown numbers and extra
/// descriptors; a well-behaved client calls at the same time and must not be disturbed, and the
/// server must end with the descriptors it started with.
#[test]
fn soak_malformed_traffic_next_to_a_good_client() {
    require_rpc!();
    let mut prefix = TestPrefix::new("soak");
    prefix.start_server();
    let ps = prefix.compile("ps");
    let busy = prefix.compile("busy");
    let uidgid = prefix.compile("uidgid");
    prefix.listed_pids(&ps);
    assert!(prefix.wait_for(Duration::from_secs(20), || prefix.listed_pids(&ps).len() == 1));
    // The rogue is this test process, and its plausible calls register it; registering it before
    // the count (a well-formed call, answered) makes that entry's descriptors (its pidfd, and a
    // thread pidfd on Linux 6.9+) part of the baseline, so the count after must equal it exactly.
    let me = std::process::id() as i32;
    assert_eq!(started_suspended_status(&prefix, me), 0, "registering the rogue");
    let before = prefix.server_fd_count();
    // The good client: 4 threads checking every answer for 10 s, exits 0 if all were right.
    let good = prefix.command(&busy).arg("10").stdout(Stdio::piped()).spawn().unwrap();
    let rogue = UnixDatagram::unbound().unwrap();
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let (spare_a, spare_b) = UnixDatagram::pair().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut sent = 0u64;
    while Instant::now() < deadline {
        let kind = next() % 4;
        let mut data = Vec::new();
        match kind {
            0 => data.extend((0..next() % 200).map(|_| next() as u8)),
            1 => {
                // A real call number, cut short.
                let number = (next() % 76 + 1) as u32;
                data.extend_from_slice(&number.to_le_bytes());
                data.extend_from_slice(&me.to_le_bytes());
                data.extend((0..next() % 16).map(|_| next() as u8));
            }
            2 => {
                let number = next() as u32 | 0x100;
                data.extend_from_slice(&number.to_le_bytes());
                data.extend_from_slice(&me.to_le_bytes());
                data.extend_from_slice(&me.to_le_bytes());
                data.extend_from_slice(&2u32.to_le_bytes());
            }
            _ => {
                // A plausible call with descriptors it does not take.
                let number = [5u32, 6, 7, 13, 0xbad_ca11][(next() % 5) as usize];
                data.extend_from_slice(&number.to_le_bytes());
                data.extend_from_slice(&me.to_le_bytes());
                data.extend_from_slice(&me.to_le_bytes());
                data.extend_from_slice(&2u32.to_le_bytes());
                data.extend((0..next() % 48).map(|_| next() as u8));
            }
        }
        let fds = if kind == 3 || next() % 8 == 0 {
            vec![spare_a.as_raw_fd(), spare_b.as_raw_fd()]
        } else {
            vec![]
        };
        let iov = [std::io::IoSlice::new(&data)];
        let addr = nix::sys::socket::UnixAddr::new(&prefix.socket()).unwrap();
        let cmsgs: Vec<_> =
            if fds.is_empty() { vec![] } else { vec![nix::sys::socket::ControlMessage::ScmRights(&fds)] };
        // The server may be busy; a full queue just means this datagram is skipped.
        let _ = nix::sys::socket::sendmsg(
            rogue.as_raw_fd(),
            &iov,
            &cmsgs,
            nix::sys::socket::MsgFlags::MSG_DONTWAIT,
            Some(&addr),
        );
        sent += 1;
    }
    let out = good.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && stdout.contains("survived"), "the good client was disturbed: {stdout}");
    // A crashed server would pass any descriptor bound (a zombie has none): first, it still runs.
    assert_eq!(
        prefix.server_exit_status(),
        None,
        "the server died during the soak:\n{}",
        prefix.server_log()
    );
    // Exactly the baseline: the rogue's entry was already counted, the good client's entry, pidfds
    // and console relay go with it (checked out, or reaped through its pidfd, asynchronously), and
    // malformed traffic must leave nothing behind. One more is a leak, one fewer a lost entry.
    assert!(
        prefix.wait_for(Duration::from_secs(20), || prefix.server_fd_count() == before),
        "server descriptors: {before} before, {} after {sent} rogue datagrams",
        prefix.server_fd_count()
    );
    // And it still answers: a raw call from the rogue's own (still registered) process, and a fresh
    // client's whole life (check-in, the uidgid round trip, check-out).
    assert_eq!(started_suspended_status(&prefix, me), 0, "{}", prefix.server_log());
    let out = prefix.run(&uidgid, &[]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "uid=5 gid=89");
    assert_eq!(prefix.server_exit_status(), None);
    eprintln!("soak: {sent} rogue datagrams; server descriptors {before} -> {}", prefix.server_fd_count());
}

/// Sends one well-formed `started_suspended` as `pid` (this process) from an autobound socket, so the
/// server can answer, and returns the status it answers.
fn started_suspended_status(prefix: &TestPrefix, pid: i32) -> i32 {
    let socket = UnixDatagram::unbound().unwrap();
    // Autobind (an abstract address the kernel chooses): the server replies only to bound sockets.
    let family = libc::AF_UNIX as libc::sa_family_t;
    // SAFETY: binding a socket we own to a sockaddr of just the family, as the kernel's autobind asks.
    let ret = unsafe {
        libc::bind(
            socket.as_raw_fd(),
            (&raw const family).cast(),
            std::mem::size_of::<libc::sa_family_t>() as libc::socklen_t,
        )
    };
    assert_eq!(ret, 0, "autobind: {}", std::io::Error::last_os_error());
    socket.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let call = [5u32.to_le_bytes(), pid.to_le_bytes(), pid.to_le_bytes(), 2u32.to_le_bytes()].concat();
    socket.send_to(&call, prefix.socket()).unwrap();
    let mut reply = [0u8; 64];
    let n = socket.recv(&mut reply).expect("the server answers started_suspended");
    assert!(n >= 8, "a {n}-byte reply");
    i32::from_le_bytes(reply[4..8].try_into().unwrap())
}
