//! Loopback: the generated C client (`rpc.c`, compiled by build.rs with the test hooks) calls the
//! Rust dispatcher running a test implementation of the server trait, over a real `SOCK_DGRAM`
//! socket pair, before any server exists. Every call shape is covered: no arguments, arguments,
//! return values, descriptors in the call, in the reply and in both, `ALLOW_INTERRUPTIONS`, and a
//! `PUSH_UNKNOWN_REPLIES` call that receives a reply meant for another call first. Values and
//! descriptors must arrive intact, and received descriptors must work.

use std::ffi::{CStr, CString, c_char, c_int};
use std::io::{IoSliceMut, Read, Write};
use std::os::fd::{AsFd, AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use darling_core::rpc::ffi::*;
use darling_core::rpc::server::{
    ConsoleOpenReply, DebugListProcessesReply, GetTracerReply, TaskIs64BitReply, UidgidReply,
};
use darling_core::rpc::{
    self, Architecture, Client, Context, OutgoingReply, PushReply, ReplyHeader, ReplySink, Server, codec,
    wire,
};
use nix::sys::socket::{AddressFamily, SockFlag, SockType, socketpair};
use nix::sys::uio::{RemoteIoVec, process_vm_readv};

use super::lb;

unsafe extern "C" {
    fn rpc_test_set_socket(socket: c_int);
    fn rpc_test_fail_next_sends(count: c_int);
    fn rpc_test_fail_next_receives(count: c_int);
    fn rpc_test_atomic_sections() -> c_int;
    fn rpc_test_atomic_depth() -> c_int;
    fn rpc_test_pushed_replies() -> c_int;
    fn rpc_test_last_message() -> *const c_char;
    fn rpc_test_set_server_path(path: *const c_char);
}

fn pipe() -> (OwnedFd, OwnedFd) {
    nix::unistd::pipe().expect("pipe")
}

fn read_all(fd: OwnedFd) -> String {
    let mut text = String::new();
    std::fs::File::from(fd).read_to_string(&mut text).expect("reading a pipe");
    text
}

fn write_to(fd: RawFd, text: &str) {
    // Borrow the descriptor without taking it over: the caller closes it.
    let mut file = std::mem::ManuallyDrop::new(unsafe { std::fs::File::from_raw_fd(fd) });
    file.write_all(text.as_bytes()).expect("writing to a received descriptor");
}

/// Reads `len` bytes at `address` in our own memory the way the server reads a client's.
fn read_remote(address: u64, len: u64) -> Vec<u8> {
    let mut buffer = vec![0u8; len as usize];
    let remote = [RemoteIoVec { base: address as usize, len: len as usize }];
    let n = process_vm_readv(nix::unistd::getpid(), &mut [IoSliceMut::new(&mut buffer)], &remote)
        .expect("process_vm_readv");
    buffer.truncate(n);
    buffer
}

/// What the test server saw.
#[derive(Default)]
struct Seen {
    calls: Vec<String>,
    exchanges: Vec<String>,
    errors: Vec<String>,
    protocol_hash: Option<Option<u64>>,
    printed: Vec<String>,
    vchroot_fd: Option<bool>,
    pushed: Vec<(Vec<u8>, Vec<OwnedFd>)>,
    kept: Vec<OwnedFd>,
}

#[derive(Default)]
struct TestServer {
    seen: Mutex<Seen>,
    ids: Mutex<(i32, i32)>,
    sink: Mutex<Option<Arc<dyn ReplySink>>>,
    /// An `interrupt_enter` held back until the stray reply it provoked has been pushed back: the
    /// client reuses the buffer the pushed reply sits in as soon as its own reply arrives.
    pending_enter: Mutex<Option<Context<()>>>,
}

impl TestServer {
    fn note<R: rpc::ReplyValues>(&self, ctx: &Context<R>) {
        self.seen.lock().unwrap().calls.push(ctx.describe());
    }
}

impl Server for TestServer {
    fn checkin(
        &self,
        ctx: Context<()>,
        is_fork: bool,
        stack_hint: u64,
        lifetime_listener_pipe: Option<OwnedFd>,
    ) {
        self.note(&ctx);
        assert!(!is_fork);
        assert_ne!(stack_hint, 0);
        let pipe = lifetime_listener_pipe.expect("checkin came without its pipe");
        std::fs::File::from(pipe).write_all(b"server was here").expect("writing to the client's pipe");
        self.seen.lock().unwrap().protocol_hash = Some(ctx.protocol_hash());
        ctx.reply_ok(());
    }

    fn kprintf(&self, ctx: Context<()>, string: u64, string_length: u64) {
        self.note(&ctx);
        let text = String::from_utf8(read_remote(string, string_length)).expect("utf-8");
        self.seen.lock().unwrap().printed.push(text);
        ctx.reply_ok(());
    }

    fn set_thread_handles(&self, ctx: Context<()>, pthread_handle: u64, dispatch_qaddr: u64) {
        self.note(&ctx);
        let code = if pthread_handle == 0x1122_3344_5566_7788 && dispatch_qaddr == u64::MAX { 0 } else { 22 };
        ctx.reply_status(code);
    }

    fn uidgid(&self, ctx: Context<UidgidReply>, new_uid: i32, new_gid: i32) {
        self.note(&ctx);
        let mut ids = self.ids.lock().unwrap();
        let (old_uid, old_gid) = *ids;
        if new_uid >= 0 {
            ids.0 = new_uid;
        }
        if new_gid >= 0 {
            ids.1 = new_gid;
        }
        ctx.reply_ok(UidgidReply { old_uid, old_gid });
    }

    fn get_tracer(&self, ctx: Context<GetTracerReply>) {
        self.note(&ctx);
        ctx.reply(nix::libc::ESRCH, GetTracerReply { tracer: -7 });
    }

    fn task_is_64_bit(&self, ctx: Context<TaskIs64BitReply>, id: i32) {
        self.note(&ctx);
        ctx.reply_ok(TaskIs64BitReply { is_64_bit: id == 64 });
    }

    fn vchroot(&self, ctx: Context<()>, directory_fd: Option<OwnedFd>) {
        self.note(&ctx);
        self.seen.lock().unwrap().vchroot_fd = Some(directory_fd.is_some());
        ctx.reply_ok(());
    }

    fn console_open(&self, ctx: Context<ConsoleOpenReply>) {
        self.note(&ctx);
        let (read, write) = pipe();
        self.seen.lock().unwrap().kept.push(read);
        ctx.reply_ok(ConsoleOpenReply { console: Some(write) });
    }

    fn interrupt_exit(&self, ctx: Context<()>) {
        self.note(&ctx);
        ctx.reply_ok(());
    }

    fn fork_wait_for_child(&self, ctx: Context<()>) {
        self.note(&ctx);
        ctx.reply_ok(());
    }

    /// Sends the thread a reply meant for another call (a `console_open` reply carrying a pipe), as
    /// happens when a signal arrives while a reply is on its way, and answers once it is pushed back.
    fn interrupt_enter(&self, ctx: Context<()>) {
        self.note(&ctx);
        let info = wire::call_by_number(wire::callnum::CONSOLE_OPEN).unwrap();
        let (read, write) = pipe();
        self.seen.lock().unwrap().kept.push(read);
        let mut bytes = vec![0u8; info.reply_size];
        ReplyHeader { number: info.number, code: 0 }.write(&mut bytes);
        codec::write_i32(&mut bytes, info.returns[0].offset, 0);
        let sink = self.sink.lock().unwrap().clone().unwrap();
        sink.send(OutgoingReply {
            info,
            to: *ctx.header(),
            code: 0,
            bytes: bytes.into(),
            fds: vec![write],
            call_bytes: vec![0; info.call_size],
        });
        *self.pending_enter.lock().unwrap() = Some(ctx);
    }

    fn push_reply(&self, push: PushReply) {
        let bytes = read_remote(push.reply_address, push.reply_size);
        self.seen.lock().unwrap().pushed.push((bytes, push.fds));
        if let Some(ctx) = self.pending_enter.lock().unwrap().take() {
            ctx.reply_ok(());
        }
    }

    fn debug_list_processes(&self, ctx: Context<DebugListProcessesReply>) {
        self.note(&ctx);
        let (read, write) = pipe();
        let mut file = std::fs::File::from(write);
        for pid in [1u32, 42] {
            let record = wire::DebugProcess { pid, port_count: u64::from(pid) * 10 };
            let bytes: [u8; std::mem::size_of::<wire::DebugProcess>()] =
                unsafe { std::mem::transmute(record) };
            file.write_all(&bytes).unwrap();
        }
        ctx.reply_ok(DebugListProcessesReply { process_count: 2, fd: Some(read) });
    }
}

/// The loopback interface's server: swaps the two descriptors and doubles the tag.
struct SwapServer;

impl lb::server::Server for SwapServer {
    fn lb_swap_fds(
        &self,
        ctx: Context<lb::server::LbSwapFdsReply>,
        first: Option<OwnedFd>,
        second: Option<OwnedFd>,
        tag: u32,
    ) {
        ctx.reply_ok(lb::server::LbSwapFdsReply {
            first_back: second,
            second_back: first,
            doubled: u64::from(tag) * 2,
        });
    }
}

/// A socket pair with a dispatcher thread on one end; the other end is the client's.
struct Loopback {
    client: OwnedFd,
    stop: OwnedFd,
    thread: Option<JoinHandle<()>>,
}

impl Loopback {
    fn start<F>(dispatch: F, seen: Option<Arc<TestServer>>) -> Loopback
    where
        F: Fn(&[u8], Vec<OwnedFd>, &Arc<dyn ReplySink>) -> Result<(), rpc::DecodeError> + Send + 'static,
    {
        let (client, server) =
            socketpair(AddressFamily::Unix, SockType::Datagram, None, SockFlag::SOCK_CLOEXEC)
                .expect("socketpair");
        let stop = server.try_clone().expect("dup");
        // A broken dispatcher must fail the test, not hang it.
        let timeout = nix::sys::time::TimeVal::new(30, 0);
        nix::sys::socket::setsockopt(&client, nix::sys::socket::sockopt::ReceiveTimeout, &timeout)
            .expect("SO_RCVTIMEO");
        let reply_socket = server.try_clone().expect("dup");
        let log = seen.clone();
        let sink: Arc<dyn ReplySink> = Arc::new(move |reply: OutgoingReply| {
            if let Some(server) = &log {
                server.seen.lock().unwrap().exchanges.push(reply.describe());
            }
            let fds: Vec<RawFd> = reply.fds.iter().map(AsRawFd::as_raw_fd).collect();
            rpc::send_datagram(reply_socket.as_fd(), None, &[&reply.bytes], &fds).expect("sending a reply");
        });
        if let Some(server) = &seen {
            *server.sink.lock().unwrap() = Some(sink.clone());
        }
        let thread = std::thread::spawn(move || {
            loop {
                let datagram = rpc::recv_datagram(server.as_fd(), 4096).expect("receiving a call");
                if datagram.bytes == b"stop" {
                    break;
                }
                if let (Err(e), Some(s)) = (dispatch(&datagram.bytes, datagram.fds, &sink), &seen) {
                    s.seen.lock().unwrap().errors.push(e.to_string());
                }
            }
        });
        unsafe { rpc_test_set_socket(client.as_raw_fd()) };
        Loopback { client, stop, thread: Some(thread) }
    }

    fn darlingserver() -> (Loopback, Arc<TestServer>) {
        let server = Arc::new(TestServer::default());
        *server.ids.lock().unwrap() = (1000, 1000);
        let s = server.clone();
        let loopback = Loopback::start(
            move |bytes, fds, sink| rpc::server::dispatch_datagram(&*s, bytes, fds, sink),
            Some(server.clone()),
        );
        (loopback, server)
    }

    fn socket(&self) -> c_int {
        self.client.as_raw_fd()
    }
}

impl Drop for Loopback {
    fn drop(&mut self) {
        // Wake the dispatcher with a datagram it recognises, from its own end's peer.
        let _ = rpc::send_datagram(self.client.as_fd(), None, &[b"stop"], &[]);
        let _ = &self.stop;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[test]
fn no_arguments() {
    let (lo, server) = Loopback::darlingserver();
    let before = unsafe { rpc_test_atomic_sections() };
    assert_eq!(unsafe { dserver_rpc_explicit_interrupt_exit(lo.socket()) }, 0);
    // The implicit wrapper finds the socket through the hooks.
    assert_eq!(unsafe { dserver_rpc_interrupt_exit() }, 0);
    assert_eq!(unsafe { rpc_test_atomic_sections() } - before, 2, "each call runs in an atomic section");
    assert_eq!(unsafe { rpc_test_atomic_depth() }, 0, "atomic sections are balanced");
    drop(lo);
    let seen = server.seen.lock().unwrap();
    assert!(seen.calls[0].ends_with(" interrupt_exit()"), "{:?}", seen.calls);
    assert!(seen.errors.is_empty(), "{:?}", seen.errors);
}

#[test]
fn arguments() {
    let (lo, server) = Loopback::darlingserver();
    assert_eq!(
        unsafe { dserver_rpc_explicit_set_thread_handles(lo.socket(), 0x1122_3344_5566_7788, u64::MAX) },
        0
    );
    let text = CString::new("hello from the C client").unwrap();
    let len = text.as_bytes().len() as u64;
    assert_eq!(unsafe { dserver_rpc_explicit_kprintf(lo.socket(), text.as_ptr(), len) }, 0);
    drop(lo);
    let seen = server.seen.lock().unwrap();
    assert_eq!(seen.printed, ["hello from the C client"]);
    assert!(
        seen.calls[0].contains(
            "set_thread_handles(pthread_handle=1234605616436508552, dispatch_qaddr=18446744073709551615)"
        ),
        "{:?}",
        seen.calls
    );
}

#[test]
fn return_values() {
    let (lo, server) = Loopback::darlingserver();
    let (mut uid, mut gid) = (0, 0);
    assert_eq!(unsafe { dserver_rpc_explicit_uidgid(lo.socket(), 5, 89, &mut uid, &mut gid) }, 0);
    assert_eq!((uid, gid), (1000, 1000));
    assert_eq!(unsafe { dserver_rpc_explicit_uidgid(lo.socket(), -1, -1, &mut uid, &mut gid) }, 0);
    assert_eq!((uid, gid), (5, 89));
    // Out pointers are optional.
    assert_eq!(
        unsafe {
            dserver_rpc_explicit_uidgid(lo.socket(), -1, -1, std::ptr::null_mut(), std::ptr::null_mut())
        },
        0
    );
    let mut is_64 = false;
    assert_eq!(unsafe { dserver_rpc_explicit_task_is_64_bit(lo.socket(), 64, &mut is_64) }, 0);
    assert!(is_64);
    // A positive status is the call's own errno; the values still come back.
    let mut tracer = 0;
    assert_eq!(unsafe { dserver_rpc_explicit_get_tracer(lo.socket(), &mut tracer) }, nix::libc::ESRCH);
    assert_eq!(tracer, -7);
    // An unmanaged call: its number carries the top bit, and its reply a descriptor with records.
    let (mut count, mut fd) = (0u64, -1);
    assert_eq!(unsafe { dserver_rpc_explicit_debug_list_processes(lo.socket(), &mut count, &mut fd) }, 0);
    assert_eq!(count, 2);
    let mut records = Vec::new();
    std::fs::File::from(unsafe { OwnedFd::from_raw_fd(fd) }).read_to_end(&mut records).unwrap();
    assert_eq!(records.len(), 2 * std::mem::size_of::<wire::DebugProcess>());
    drop(lo);
    let seen = server.seen.lock().unwrap();
    assert!(
        seen.exchanges
            .iter()
            .any(|e| e.ends_with(" uidgid(new_uid=-1, new_gid=-1) -> 0 (old_uid=5, old_gid=89)")),
        "{:?}",
        seen.exchanges
    );
    assert!(
        seen.exchanges.iter().any(|e| e.ends_with("get_tracer() -> ESRCH (3) (tracer=-7)")),
        "{:?}",
        seen.exchanges
    );
}

#[test]
fn descriptor_in_the_call() {
    let (lo, server) = Loopback::darlingserver();
    let (read, write) = pipe();
    let stack_marker = 0u8;
    let status = unsafe {
        dserver_rpc_explicit_checkin(
            lo.socket(),
            false,
            (&stack_marker as *const u8).cast_mut().cast(),
            write.as_raw_fd(),
        )
    };
    assert_eq!(status, 0);
    drop(write);
    assert_eq!(read_all(read), "server was here", "the server wrote into the descriptor it received");
    // -1 sends no descriptor, and the server sees none.
    assert_eq!(unsafe { dserver_rpc_explicit_vchroot(lo.socket(), -1) }, 0);
    drop(lo);
    let seen = server.seen.lock().unwrap();
    assert_eq!(seen.protocol_hash, Some(Some(wire::PROTOCOL_HASH)), "check-in carries the protocol hash");
    assert_eq!(seen.vchroot_fd, Some(false));
    assert!(seen.errors.is_empty(), "{:?}", seen.errors);
}

#[test]
fn descriptor_in_the_reply() {
    let (lo, server) = Loopback::darlingserver();
    let mut console = -1;
    assert_eq!(unsafe { dserver_rpc_explicit_console_open(lo.socket(), &mut console) }, 0);
    assert!(console >= 0);
    write_to(console, "ping");
    drop(unsafe { OwnedFd::from_raw_fd(console) });
    // Without an out pointer, the received descriptor is closed rather than leaked.
    assert_eq!(unsafe { dserver_rpc_explicit_console_open(lo.socket(), std::ptr::null_mut()) }, 0);
    drop(lo);
    let mut seen = server.seen.lock().unwrap();
    let kept: Vec<OwnedFd> = seen.kept.drain(..).collect();
    let texts: Vec<String> = kept.into_iter().map(read_all).collect();
    assert_eq!(texts, ["ping", ""], "what the client wrote arrived; the unclaimed descriptor was closed");
}

#[test]
fn descriptors_in_both_directions() {
    let lo = Loopback::start(
        move |bytes, fds, sink| lb::server::dispatch_datagram(&SwapServer, bytes, fds, sink),
        None,
    );
    let (read_a, write_a) = pipe();
    let (read_b, write_b) = pipe();
    let (mut first, mut second, mut doubled) = (-1, -1, 0u64);
    // Only the second descriptor: its index on the wire must be 0, not 1.
    let status = unsafe {
        lb::ffi::dserver_rpc_explicit_lb_swap_fds(
            lo.socket(),
            -1,
            write_b.as_raw_fd(),
            21,
            &mut first,
            &mut second,
            &mut doubled,
        )
    };
    assert_eq!(status, 0);
    assert_eq!((second, doubled), (-1, 42));
    write_to(first, "b");
    drop(unsafe { OwnedFd::from_raw_fd(first) });
    drop(write_b);
    assert_eq!(read_all(read_b), "b");
    // Both descriptors, swapped on the way back.
    let status = unsafe {
        lb::ffi::dserver_rpc_explicit_lb_swap_fds(
            lo.socket(),
            write_a.as_raw_fd(),
            -1,
            1,
            &mut first,
            &mut second,
            &mut doubled,
        )
    };
    assert_eq!((status, first, doubled), (0, -1, 2));
    write_to(second, "a");
    drop(unsafe { OwnedFd::from_raw_fd(second) });
    drop(write_a);
    assert_eq!(read_all(read_a), "a");
}

#[test]
fn allow_interruptions() {
    let (lo, server) = Loopback::darlingserver();
    let before = unsafe { rpc_test_atomic_sections() };
    assert_eq!(unsafe { dserver_rpc_explicit_fork_wait_for_child(lo.socket()) }, 0);
    assert_eq!(unsafe { rpc_test_atomic_sections() }, before, "an interruptible call blocks no signals");
    // A send interrupted by a signal gives up (the caller handles EINTR)...
    unsafe { rpc_test_fail_next_sends(1) };
    assert_eq!(unsafe { dserver_rpc_explicit_fork_wait_for_child(lo.socket()) }, -nix::libc::EINTR);
    // ...but an interrupted receive is retried, so the call stays in step with the server.
    unsafe { rpc_test_fail_next_receives(1) };
    assert_eq!(unsafe { dserver_rpc_explicit_fork_wait_for_child(lo.socket()) }, 0);
    // An atomic call retries an interrupted send.
    unsafe { rpc_test_fail_next_sends(2) };
    assert_eq!(unsafe { dserver_rpc_explicit_interrupt_exit(lo.socket()) }, 0);
    drop(lo);
    let calls = server.seen.lock().unwrap().calls.clone();
    let waits = calls.iter().filter(|c| c.ends_with("fork_wait_for_child()")).count();
    assert_eq!(waits, 2, "the interrupted send never reached the server: {calls:?}");
}

#[test]
fn push_unknown_replies() {
    let (lo, server) = Loopback::darlingserver();
    let pushed_before = unsafe { rpc_test_pushed_replies() };
    assert_eq!(unsafe { dserver_rpc_explicit_interrupt_enter(lo.socket()) }, 0);
    assert_eq!(unsafe { rpc_test_pushed_replies() } - pushed_before, 1, "the stray reply was pushed back");
    // A round trip makes sure the server has handled the push.
    assert_eq!(unsafe { dserver_rpc_explicit_interrupt_exit(lo.socket()) }, 0);
    drop(lo);
    let mut seen = server.seen.lock().unwrap();
    assert_eq!(seen.pushed.len(), 1);
    let (bytes, fds) = seen.pushed.remove(0);
    let header = ReplyHeader::read(&bytes).unwrap();
    assert_eq!(
        header.number,
        wire::callnum::CONSOLE_OPEN,
        "the pushed reply is the console_open one, intact"
    );
    assert_eq!(bytes.len(), wire::call_by_number(wire::callnum::CONSOLE_OPEN).unwrap().reply_size);
    assert_eq!(fds.len(), 1, "its descriptor travelled with it");
    let fd = fds.into_iter().next().unwrap();
    write_to(fd.as_raw_fd(), "pushed");
    drop(fd);
    let read = seen.kept.remove(0);
    assert_eq!(read_all(read), "pushed");
}

#[test]
fn failures_name_the_call_the_socket_and_the_errno() {
    let dir = super::support::scratch("failure");
    let path = dir.join("no-server-here.sock");
    let socket =
        nix::sys::socket::socket(AddressFamily::Unix, SockType::Datagram, SockFlag::SOCK_CLOEXEC, None)
            .expect("socket");
    let c_path = CString::new(path.to_str().unwrap()).unwrap();
    unsafe { rpc_test_set_server_path(c_path.as_ptr()) };
    let (mut uid, mut gid) = (0, 0);
    let status = unsafe { dserver_rpc_explicit_uidgid(socket.as_raw_fd(), 1, 2, &mut uid, &mut gid) };
    unsafe { rpc_test_set_server_path(std::ptr::null()) };
    assert_eq!(status, -nix::libc::ENOENT);
    let message = unsafe { CStr::from_ptr(rpc_test_last_message()) }.to_string_lossy().into_owned();
    for part in ["dserver_rpc_uidgid", "sending to", path.to_str().unwrap(), "ENOENT", "(-2)"] {
        assert!(message.contains(part), "`{part}` missing from: {message}");
    }
    eprintln!("{}", message.trim_end());
}

#[test]
fn rust_client_and_traffic_decoder() {
    let (lo, server) = Loopback::darlingserver();
    let client =
        Client::connected(lo.client.try_clone().unwrap()).with_identity(1234, 1234, Architecture::X86_64);
    let replied = client.uidgid(-1, -1).expect("uidgid");
    assert_eq!((replied.code, replied.values.old_uid, replied.values.old_gid), (0, 1000, 1000));
    let (read, write) = pipe();
    client.checkin(false, 0x7000, Some(write.as_fd())).expect("checkin").ok().expect("checkin status");
    drop(write);
    assert_eq!(read_all(read), "server was here");
    let console = client.console_open().expect("console_open").ok().unwrap().console.expect("a descriptor");
    std::fs::File::from(console).write_all(b"from rust").unwrap();
    assert_eq!(client.interrupt_enter().expect("interrupt_enter").code, 0);
    assert_eq!(client.get_tracer().expect("get_tracer").ok().unwrap_err(), nix::libc::ESRCH);
    drop(client);
    drop(lo);
    let mut seen = server.seen.lock().unwrap();
    assert_eq!(
        seen.exchanges[0],
        "1234:1234 uidgid(new_uid=-1, new_gid=-1) -> 0 (old_uid=1000, old_gid=1000)"
    );
    assert_eq!(seen.protocol_hash, Some(Some(wire::PROTOCOL_HASH)));
    assert_eq!(seen.pushed.len(), 1, "the Rust client pushes stray replies back too");
    let kept: Vec<OwnedFd> = seen.kept.drain(..1).collect();
    assert_eq!(read_all(kept.into_iter().next().unwrap()), "from rust");
}
