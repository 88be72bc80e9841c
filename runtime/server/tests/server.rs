//! The server over its raw wire protocol, without the shim: credential checks and the socket's mode,
//! the protocol hash of check-in, malformed datagrams, the debug log of decoded calls, descriptor
//! reclaim when a client dies, the not-implemented status, the polling fallback, a kqueue channel fed
//! malformed messages, readiness and `darling shutdown`.
//!
//! As root, a test can speak for another process (`SCM_CREDENTIALS` with a chosen pid or uid), which is
//! how a `sleep` child becomes a "client" that the test then kills. Those tests skip when not root.

mod support;

use std::io::IoSlice;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::net::UnixDatagram;
use std::process::{Child, Command};
use std::time::Duration;

use nix::sys::socket::{ControlMessage, MsgFlags, UnixAddr, UnixCredentials, sendmsg};
use support::TestPrefix;

/// A raw client socket, autobound so the server can reply.
struct Raw {
    socket: UnixDatagram,
    server: std::path::PathBuf,
}

impl Raw {
    fn new(prefix: &TestPrefix) -> Self {
        let socket = UnixDatagram::unbound().unwrap();
        // Autobind: an abstract address chosen by the kernel.
        let family = libc::AF_UNIX as libc::sa_family_t;
        let ret = unsafe {
            libc::bind(
                socket.as_raw_fd(),
                (&raw const family).cast(),
                std::mem::size_of::<libc::sa_family_t>() as libc::socklen_t,
            )
        };
        assert_eq!(ret, 0);
        socket.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        Self { socket, server: prefix.socket() }
    }

    /// Sends `data` with `fds`, as `pid`/`uid` (only root may claim another).
    fn send_as(&self, data: &[u8], fds: &[i32], creds: Option<libc::ucred>) {
        let addr = UnixAddr::new(&self.server).unwrap();
        let iov = [IoSlice::new(data)];
        let mut cmsgs = Vec::new();
        let ucred;
        if let Some(c) = creds {
            ucred = UnixCredentials::from(c);
            cmsgs.push(ControlMessage::ScmCredentials(&ucred));
        }
        if !fds.is_empty() {
            cmsgs.push(ControlMessage::ScmRights(fds));
        }
        sendmsg(self.socket.as_raw_fd(), &iov, &cmsgs, MsgFlags::empty(), Some(&addr)).unwrap();
    }

    fn send(&self, data: &[u8]) {
        self.send_as(data, &[], None);
    }

    fn recv(&self) -> Option<Vec<u8>> {
        let mut buf = [0u8; 256];
        match self.socket.recv(&mut buf) {
            Ok(n) => Some(buf[..n].to_vec()),
            Err(_) => None,
        }
    }
}

fn header(number: u32, pid: i32, tid: i32) -> Vec<u8> {
    [number.to_le_bytes(), pid.to_le_bytes(), tid.to_le_bytes(), 2u32.to_le_bytes()].concat()
}

fn checkin(pid: i32, lifetime_fd_index: i32) -> Vec<u8> {
    let mut call = header(1, pid, pid);
    call.extend_from_slice(&[0u8; 8]); // is_fork (false) and padding
    call.extend_from_slice(&0u64.to_le_bytes()); // stack_hint
    call.extend_from_slice(&lifetime_fd_index.to_le_bytes());
    call.extend_from_slice(&[0u8; 4]);
    call
}

fn code(reply: &[u8]) -> i32 {
    i32::from_le_bytes(reply[4..8].try_into().unwrap())
}

fn is_root() -> bool {
    unsafe { libc::geteuid() == 0 }
}

fn me() -> i32 {
    std::process::id() as i32
}

fn sleeper() -> Child {
    Command::new("sleep").arg("60").spawn().expect("spawning sleep")
}

#[test]
fn uidgid_round_trip_over_the_raw_protocol() {
    let mut prefix = TestPrefix::new("raw-uidgid");
    prefix.start_server();
    let raw = Raw::new(&prefix);
    raw.send(&checkin(me(), -1));
    assert_eq!(code(&raw.recv().expect("checkin reply")), 0);
    let uidgid = |uid: i32, gid: i32| {
        let mut call = header(7, me(), me());
        call.extend_from_slice(&uid.to_le_bytes());
        call.extend_from_slice(&gid.to_le_bytes());
        raw.send(&call);
        let reply = raw.recv().expect("uidgid reply");
        assert_eq!(reply.len(), 16);
        (
            i32::from_le_bytes(reply[8..12].try_into().unwrap()),
            i32::from_le_bytes(reply[12..16].try_into().unwrap()),
        )
    };
    let real = unsafe { (libc::getuid() as i32, libc::getgid() as i32) };
    assert_eq!(uidgid(5, -1), real);
    assert_eq!(uidgid(-1, 89), (5, real.1));
    assert_eq!(uidgid(-1, -1), (5, 89));
}

#[test]
fn mach_calls_answer_not_implemented_with_their_name_in_the_log() {
    let mut prefix = TestPrefix::new("raw-nimp");
    prefix.start_server();
    let raw = Raw::new(&prefix);
    let mut call = header(0x28, me(), me()); // mach_port_allocate
    call.extend_from_slice(&[0u8; 16]);
    raw.send(&call);
    let reply = raw.recv().expect("reply");
    assert_eq!(reply.len(), 8);
    assert_eq!(code(&reply), -libc::ENOSYS, "the documented not-implemented status");
    assert!(prefix.wait_for(Duration::from_secs(2), || {
        prefix.server_log().contains("not implemented: mach_port_allocate")
    }));
}

#[test]
fn malformed_datagrams_are_dropped_and_the_server_carries_on() {
    let mut prefix = TestPrefix::new("raw-malformed");
    prefix.start_server();
    let raw = Raw::new(&prefix);
    // Register first: the registration's pidfd is a descriptor the server rightly keeps.
    raw.send(&header(5, me(), me()));
    assert_eq!(code(&raw.recv().expect("started_suspended reply")), 0);
    let before = prefix.server_fd_count();
    let (a, b) = UnixDatagram::pair().unwrap();
    raw.send(b"");
    raw.send(b"tiny");
    raw.send(&header(9999, me(), me()));
    raw.send(&[0xffu8; 2000]);
    // A known call, truncated, with descriptors it should not carry: an error reply, no leak.
    raw.send_as(&header(7, me(), me()), &[a.as_raw_fd(), b.as_raw_fd()], None);
    let reply = raw.recv().expect("truncated calls are answered");
    assert_eq!(code(&reply), -libc::EBADMSG);
    // Still serving.
    raw.send(&header(5, me(), me()));
    assert_eq!(code(&raw.recv().expect("started_suspended reply")), 0);
    assert_eq!(prefix.server_fd_count(), before, "descriptors leaked");
    let log = prefix.server_log();
    assert!(log.contains("unknown call number 0x270f"), "{log}");
    assert!(log.contains("`uidgid` call of 16 byte(s); expected 24"), "{log}");
}

#[test]
fn datagrams_claiming_another_user_are_rejected() {
    if !is_root() {
        eprintln!("skipped: only root can send credentials of another user");
        return;
    }
    let mut prefix = TestPrefix::new("raw-creds");
    prefix.start_server();
    let raw = Raw::new(&prefix);
    let creds = libc::ucred { pid: me(), uid: 65534, gid: 65534 };
    raw.send_as(&checkin(me(), -1), &[], Some(creds));
    assert!(prefix.wait_for(Duration::from_secs(2), || {
        prefix.server_log().contains("rejected a datagram from another user")
    }));
}

/// The socket is private to its owner (mode 0600): the kernel then lets no other user connect, which
/// is the first of the two checks on who may send (the credentials are the second, root-only test
/// above). Checked as whoever runs the tests, since the mode does not depend on being root.
#[test]
fn the_socket_is_mode_0600() {
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};
    let mut prefix = TestPrefix::new("raw-mode");
    prefix.start_server();
    let meta = std::fs::metadata(prefix.socket()).unwrap();
    assert!(meta.file_type().is_socket(), "{} is not a socket", prefix.socket().display());
    assert_eq!(meta.permissions().mode() & 0o7777, 0o600, "mode {:o}", meta.permissions().mode());
    // The owner is whoever runs the server (here, this test).
    assert_eq!(std::os::unix::fs::MetadataExt::uid(&meta), unsafe { libc::geteuid() });
}

/// A check-in with the hash trailer: the 40-byte check-in, the magic, then `hash`.
fn checkin_with_hash(pid: i32, magic: u64, hash: u64) -> Vec<u8> {
    let mut call = checkin(pid, -1);
    call.extend_from_slice(&magic.to_le_bytes());
    call.extend_from_slice(&hash.to_le_bytes());
    call
}

/// A client built from another call table says so with its protocol hash, and the server refuses its
/// check-in with `-EPROTO` (a negative status: an internal RPC error) and logs both hashes; the right
/// hash checks in, and a trailer without the magic is a malformed call (`-EBADMSG`).
#[test]
fn a_check_in_with_another_protocol_hash_is_refused() {
    use darling_core::rpc::wire::{PROTOCOL_HASH, PROTOCOL_HASH_MAGIC};
    let mut prefix = TestPrefix::new("raw-hash");
    prefix.start_server();
    let raw = Raw::new(&prefix);
    let wrong = PROTOCOL_HASH ^ 1;
    raw.send(&checkin_with_hash(me(), PROTOCOL_HASH_MAGIC, wrong));
    let reply = raw.recv().expect("a reply to the refused check-in");
    assert_eq!(reply.len(), 8, "check-in replies carry only the header");
    assert_eq!(code(&reply), -libc::EPROTO);
    let logged =
        format!("check-in with protocol hash {wrong:#018x}, but this server speaks {PROTOCOL_HASH:#018x}");
    assert!(
        prefix.wait_for(Duration::from_secs(5), || prefix.server_log().contains(&logged)),
        "no `{logged}` in the log:\n{}",
        prefix.server_log()
    );
    raw.send(&checkin_with_hash(me(), PROTOCOL_HASH_MAGIC, 0x0123_4567_89ab_cdef));
    assert_eq!(code(&raw.recv().expect("reply")), -libc::EPROTO, "any other hash is refused");
    raw.send(&checkin_with_hash(me(), PROTOCOL_HASH_MAGIC ^ 1, PROTOCOL_HASH));
    assert_eq!(code(&raw.recv().expect("reply")), -libc::EBADMSG, "a trailer without the magic");
    raw.send(&checkin_with_hash(me(), PROTOCOL_HASH_MAGIC, PROTOCOL_HASH));
    assert_eq!(code(&raw.recv().expect("reply")), 0, "the right hash checks in");
    // Still answering after the refusals, for the process that checked in.
    raw.send(&header(5, me(), me()));
    assert_eq!(code(&raw.recv().expect("started_suspended reply")), 0);
}

/// Sends `uidgid(5, -1)` and returns the server's log once the call is answered.
fn set_uid_5(prefix: &TestPrefix) -> String {
    let raw = Raw::new(prefix);
    let mut call = header(7, me(), me());
    call.extend_from_slice(&5i32.to_le_bytes());
    call.extend_from_slice(&(-1i32).to_le_bytes());
    raw.send(&call);
    assert_eq!(code(&raw.recv().expect("uidgid reply")), 0);
    prefix.server_log()
}

/// At debug level every call is logged by name with its decoded arguments and its decoded reply, as
/// one line (rpc-gen's decoder); at info level, none is.
#[test]
fn debug_logging_shows_each_call_decoded() {
    let real = unsafe { (libc::getuid() as i32, libc::getgid() as i32) };
    let line = format!(
        "{0}:{0} uidgid(new_uid=5, new_gid=-1) -> 0 (old_uid={1}, old_gid={2})",
        me(),
        real.0,
        real.1
    );
    let mut prefix = TestPrefix::new("raw-debuglog");
    prefix.start_server_logging("debug", &[]);
    set_uid_5(&prefix);
    assert!(
        prefix.wait_for(Duration::from_secs(5), || prefix.server_log().contains(&line)),
        "no `{line}` in the debug log:\n{}",
        prefix.server_log()
    );
    // The call alone is logged before it is served, too.
    assert!(prefix.server_log().contains(&format!("{0}:{0} uidgid(new_uid=5, new_gid=-1)\n", me())));

    let mut quiet = TestPrefix::new("raw-infolog");
    quiet.start_server_logging("info", &[]);
    set_uid_5(&quiet);
    // The log is written synchronously, and the exchange line before the reply is sent: with the
    // reply in hand, a call line would already be there. The registration line (info) shows this
    // log is the one being written.
    let log = quiet.server_log();
    assert!(log.contains(&format!("process {0} ({0}) registered", me())), "{log}");
    assert!(!log.contains("uidgid("), "calls are logged at info level:\n{log}");
}

/// Receives a reply and the one descriptor that may come with it.
fn recv_with_fd(socket: &UnixDatagram) -> (Vec<u8>, Option<OwnedFd>) {
    use std::os::fd::FromRawFd;
    let mut buf = [0u8; 256];
    let mut iov = [std::io::IoSliceMut::new(&mut buf)];
    let mut space = nix::cmsg_space!([std::os::fd::RawFd; 1]);
    let msg =
        nix::sys::socket::recvmsg::<()>(socket.as_raw_fd(), &mut iov, Some(&mut space), MsgFlags::empty())
            .expect("recvmsg");
    let mut fd = None;
    for cmsg in msg.cmsgs().unwrap() {
        if let nix::sys::socket::ControlMessageOwned::ScmRights(fds) = cmsg {
            fd = fds.first().map(|raw| unsafe { OwnedFd::from_raw_fd(*raw) });
        }
    }
    let n = msg.bytes;
    (buf[..n].to_vec(), fd)
}

/// A process kqueue channel answers what it does not understand instead of dying with it, says when
/// no event is waiting, and leaves no descriptor behind once its client closes it.
#[test]
fn a_kqueue_channel_survives_bad_messages_and_closes_cleanly() {
    let mut prefix = TestPrefix::new("raw-kqchan");
    prefix.start_server();
    let raw = Raw::new(&prefix);
    raw.send(&checkin(me(), -1));
    assert_eq!(code(&raw.recv().expect("checkin reply")), 0);
    let before = prefix.server_fd_count();
    // kqchan_proc_open(me, NOTE_EXIT): this process watches itself.
    let mut call = header(0x1d, me(), me());
    call.extend_from_slice(&me().to_le_bytes());
    call.extend_from_slice(&0x8000_0000u32.to_le_bytes());
    raw.send(&call);
    let (reply, fd) = recv_with_fd(&raw.socket);
    assert_eq!(code(&reply), 0);
    let channel: UnixDatagram = fd.expect("the channel's socket").into();
    channel.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let kq_header = |number: u32| [number.to_le_bytes(), me().to_le_bytes(), me().to_le_bytes()].concat();
    let answer = |bytes: &[u8]| -> Vec<u8> {
        channel.send(bytes).unwrap();
        let mut buf = [0u8; 64];
        let n = channel.recv(&mut buf).expect("an answer");
        buf[..n].to_vec()
    };
    // Too short to be anything: dropped without an answer. Then a Mach port channel's message.
    channel.send(&[1, 2, 3]).unwrap();
    let mut mach_port_modify = kq_header(2);
    mach_port_modify.extend_from_slice(&[0u8; 28]);
    let reply = answer(&mach_port_modify);
    assert_eq!(code(&reply), -libc::EINVAL);
    // Nothing has happened to this process: no event (0xdead), in the 24-byte x86_64 layout.
    let reply = answer(&kq_header(5));
    assert_eq!(
        (reply.len(), u32::from_le_bytes(reply[..4].try_into().unwrap()), code(&reply)),
        (24, 5, 0xdead)
    );
    let mut modify = kq_header(4);
    modify.extend_from_slice(&0x4000_0000u32.to_le_bytes());
    assert_eq!(code(&answer(&modify)), 0);
    assert!(prefix.server_fd_count() > before, "the server holds its end and a pidfd");
    drop(channel);
    assert!(
        prefix.wait_for(Duration::from_secs(20), || prefix.server_fd_count() == before),
        "the channel's descriptors outlived it: {before} before, {} after",
        prefix.server_fd_count()
    );
    // And the server still serves.
    raw.send(&header(5, me(), me()));
    assert_eq!(code(&raw.recv().expect("started_suspended reply")), 0);
}

/// A client that dies leaves the registry, and every descriptor it gave the server is closed.
fn reclaim_test(name: &str, env: &[(&str, &str)]) {
    if !is_root() {
        eprintln!("skipped: only root can speak for another process");
        return;
    }
    let mut prefix = TestPrefix::new(name);
    prefix.start_server_with(env);
    let raw = Raw::new(&prefix);
    let before = prefix.server_fd_count();
    let mut child = sleeper();
    let pid = child.id() as i32;
    let (lifetime_read, _lifetime_write): (OwnedFd, OwnedFd) = {
        let (r, w) = std::io::pipe().unwrap();
        (r.into(), w.into())
    };
    let creds = libc::ucred { pid, uid: unsafe { libc::getuid() }, gid: unsafe { libc::getgid() } };
    raw.send_as(&checkin(pid, 0), &[lifetime_read.as_raw_fd()], Some(creds));
    assert_eq!(code(&raw.recv().expect("checkin reply")), 0);
    // Open a console relay too: one more descriptor the server holds for this process.
    raw.send_as(&header(0x10, pid, pid), &[], Some(creds));
    assert_eq!(code(&raw.recv().expect("console_open reply")), 0);
    assert!(prefix.server_fd_count() > before, "the server holds the client's descriptors");
    assert!(prefix.server_log().contains(&format!("process {pid} ({pid}) registered")));
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        prefix.wait_for(Duration::from_secs(20), || prefix
            .server_log()
            .contains(&format!("process {pid} ({pid}) exited"))),
        "death not noticed:\n{}",
        prefix.server_log()
    );
    assert!(
        prefix.wait_for(Duration::from_secs(20), || prefix.server_fd_count() == before),
        "descriptors leaked"
    );
}

#[test]
fn a_dead_client_is_reclaimed_through_its_pidfd() {
    reclaim_test("raw-pidfd", &[]);
}

#[test]
fn a_dead_client_is_reclaimed_by_the_polling_fallback() {
    reclaim_test("raw-poll", &[("DARLINGSERVER_NO_PIDFD", "1")]);
}

#[test]
fn a_second_server_for_the_same_prefix_refuses_to_start() {
    let mut prefix = TestPrefix::new("raw-twice");
    let pid = prefix.start_server();
    let output = Command::new(support::server_binary()).arg("--prefix").arg(&prefix.root).output().unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&format!("a darlingserver (pid {pid}) already serves prefix")), "{stderr}");
}

#[test]
fn darling_start_and_shutdown() {
    let prefix = TestPrefix::new("raw-tool");
    let darling = env!("CARGO_BIN_EXE_darling");
    let run =
        |args: &[&str]| Command::new(darling).arg("--prefix").arg(&prefix.root).args(args).output().unwrap();
    let started = run(&["start"]);
    assert!(started.status.success(), "{}", String::from_utf8_lossy(&started.stderr));
    assert!(prefix.socket().exists());
    let status = run(&["status"]);
    assert!(String::from_utf8_lossy(&status.stdout).contains("serves"));
    let again = run(&["start"]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("already serves"));
    let stopped = run(&["shutdown"]);
    assert!(stopped.status.success());
    assert!(String::from_utf8_lossy(&stopped.stderr).contains("stopped darlingserver"));
    assert!(!prefix.socket().exists(), "shutdown removes the socket");
    assert!(!run(&["status"]).status.success());
}
