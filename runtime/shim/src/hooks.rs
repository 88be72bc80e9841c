//! The `dserver_rpc_hooks_*` functions the generated RPC wrappers (`rpc.c`) call: identity, the
//! server's address, the per-thread socket, sending and receiving, atomic sections, status values and
//! `push_reply`.
//!
//! Status convention of the hooks: a failed system call returns `-errno` (Linux numbering), which the
//! generated code compares with `dserver_rpc_hooks_get_interrupt_status()` (`-EINTR`) to retry.

use std::cell::Cell;
use std::mem::{size_of, zeroed};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicI32, Ordering};

use libc::{c_int, c_long, c_void, msghdr, size_t};

use crate::lifecycle;

/// The server's address, resolved once per process from the prefix.
pub(crate) struct ServerAddress {
    pub addr: libc::sockaddr_un,
    pub len: libc::socklen_t,
}

static SERVER_ADDRESS: OnceLock<ServerAddress> = OnceLock::new();

pub(crate) fn server_address() -> &'static ServerAddress {
    SERVER_ADDRESS.get_or_init(|| {
        let path = lifecycle::prefix().socket();
        // SAFETY: sockaddr_un is plain old data.
        let mut addr: libc::sockaddr_un = unsafe { zeroed() };
        addr.sun_family = libc::AF_UNIX as libc::sa_family_t;
        let bytes = path.as_os_str().as_encoded_bytes();
        if bytes.len() >= addr.sun_path.len() {
            lifecycle::complain(&format!(
                "the server socket path {} is longer than {} bytes; calls will fail",
                path.display(),
                addr.sun_path.len() - 1
            ));
        }
        let room = addr.sun_path.len() - 1;
        for (dst, src) in addr.sun_path.iter_mut().zip(bytes.iter().take(room)) {
            *dst = *src as libc::c_char;
        }
        ServerAddress { addr, len: size_of::<libc::sockaddr_un>() as libc::socklen_t }
    })
}

thread_local! {
    /// This thread's socket to the server; -1 until the thread's first call.
    static SOCKET: ThreadSocket = const { ThreadSocket { fd: Cell::new(-1), connected: Cell::new(false) } };
}

/// Owns a thread's socket; when the thread exits, it checks the thread out and closes the socket.
///
/// The socket is `connect`ed to the server when it can be. That changes no byte on the wire (the
/// server still sees the thread's own address), but a send then skips resolving the server's path
/// (a path walk and a permission check per call, the largest part of a send) and the socket
/// accepts datagrams from the server's socket only, so nothing else can slip a forged reply in.
struct ThreadSocket {
    fd: Cell<c_int>,
    /// `fd` is connected to the server's socket.
    connected: Cell<bool>,
}

impl Drop for ThreadSocket {
    fn drop(&mut self) {
        let fd = self.fd.replace(-1);
        if fd >= 0 {
            lifecycle::thread_exiting(fd);
            forget_socket(fd);
            // SAFETY: the descriptor is this thread's own socket.
            unsafe { libc::close(fd) };
        }
    }
}

/// Every per-thread socket of this process, so a forked child can close the ones it inherited from
/// threads that do not exist in it. Lock-free slots: a lock held by another thread at `fork` time would
/// stay locked forever in the child.
static SOCKETS: [AtomicI32; 1024] = [const { AtomicI32::new(-1) }; 1024];

fn remember_socket(fd: c_int) {
    // Beyond the slots a socket is simply not tracked; it is close-on-exec like every other.
    let _ = SOCKETS
        .iter()
        .find(|slot| slot.compare_exchange(-1, fd, Ordering::AcqRel, Ordering::Relaxed).is_ok());
}

fn forget_socket(fd: c_int) {
    let _ = SOCKETS
        .iter()
        .find(|slot| slot.compare_exchange(fd, -1, Ordering::AcqRel, Ordering::Relaxed).is_ok());
}

/// In a fork child: closes every inherited per-thread socket.
pub(crate) fn close_all_sockets() {
    for slot in &SOCKETS {
        let fd = slot.swap(-1, Ordering::AcqRel);
        if fd >= 0 {
            // SAFETY: an inherited socket nothing in the child uses.
            unsafe { libc::close(fd) };
        }
    }
}

/// A new socket for this process's threads: datagram, close-on-exec, autobound to an abstract
/// address so the server has somewhere to reply.
pub(crate) fn new_socket() -> Result<c_int, std::io::Error> {
    // SAFETY: plain system calls; the descriptor is closed on every failure path.
    unsafe {
        let fd = libc::socket(libc::AF_UNIX, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0);
        if fd < 0 {
            return Err(std::io::Error::last_os_error());
        }
        let family = libc::AF_UNIX as libc::sa_family_t;
        if libc::bind(fd, (&raw const family).cast(), size_of::<libc::sa_family_t>() as libc::socklen_t) < 0 {
            let err = std::io::Error::last_os_error();
            libc::close(fd);
            return Err(err);
        }
        remember_socket(fd);
        Ok(fd)
    }
}

/// This thread's socket, created on first use; -1 (after a message naming the errno) if it cannot be.
pub(crate) fn thread_socket() -> c_int {
    SOCKET
        .try_with(|socket| {
            let fd = socket.fd.get();
            if fd >= 0 {
                return fd;
            }
            lifecycle::ensure_checked_in();
            match new_socket() {
                Ok(fd) => {
                    socket.fd.set(fd);
                    // Best effort: without a server to connect to yet, calls send to its address.
                    socket.connected.set(connect_to_server(fd));
                    fd
                }
                Err(e) => {
                    lifecycle::complain(&format!(
                        "cannot create this thread's socket to {}: {}",
                        lifecycle::prefix().socket().display(),
                        darling_core::errno::describe_io(&e)
                    ));
                    -1
                }
            }
        })
        // The thread is being torn down and its socket is gone: a broken pipe to the caller.
        .unwrap_or(-1)
}

/// Replaces this thread's socket (the fork child's copy of the parent's), returning the old one.
pub(crate) fn replace_thread_socket(fd: c_int) -> c_int {
    SOCKET
        .try_with(|socket| {
            socket.connected.set(false);
            socket.fd.replace(fd)
        })
        .unwrap_or(-1)
}

/// Connects `fd` to the server's socket; false (and `fd` unconnected) when that fails.
fn connect_to_server(fd: c_int) -> bool {
    let server = server_address();
    // SAFETY: the address is a valid sockaddr_un of the given length.
    unsafe { libc::connect(fd, (&raw const server.addr).cast(), server.len) == 0 }
}

/// Whether `socket` is this thread's socket and connected to the server.
fn is_connected_thread_socket(socket: c_int) -> bool {
    SOCKET.try_with(|s| s.connected.get() && s.fd.get() == socket).unwrap_or(false)
}

fn set_thread_socket_connected(connected: bool) {
    let _ = SOCKET.try_with(|s| s.connected.set(connected));
}

/// Sends `message` on a connected socket, without its address. One plain buffer (every call
/// without descriptors or trailer) goes through `send`, which copies no `msghdr` in.
///
/// # Safety
/// `message` must be a valid `msghdr` for `sendmsg`.
unsafe fn send_connected(socket: c_int, message: &msghdr) -> isize {
    // SAFETY: forwarded contract; the copy points at the same buffers.
    unsafe {
        if message.msg_controllen == 0 && message.msg_iovlen == 1 {
            let iov = &*message.msg_iov;
            return libc::send(socket, iov.iov_base, iov.iov_len, libc::MSG_NOSIGNAL);
        }
        let mut unaddressed = *message;
        unaddressed.msg_name = std::ptr::null_mut();
        unaddressed.msg_namelen = 0;
        libc::sendmsg(socket, &unaddressed, libc::MSG_NOSIGNAL)
    }
}

fn neg_errno() -> c_long {
    -(std::io::Error::last_os_error().raw_os_error().unwrap_or(libc::EIO) as c_long)
}

/// The process's pid, cached: every call's header carries it, and a system call per call is measurable
/// (see the `runtime` benchmark). Reset in the fork child (`lifecycle`), the one place it changes.
static PID: AtomicI32 = AtomicI32::new(0);

thread_local! {
    /// This thread's tid, cached for the same reason; reset in the fork child.
    static TID: Cell<libc::pid_t> = const { Cell::new(0) };
}

/// Forgets the cached ids (in a fork child, where both changed).
pub(crate) fn reset_cached_ids() {
    PID.store(0, Ordering::Relaxed);
    let _ = TID.try_with(|tid| tid.set(0));
}

#[unsafe(no_mangle)]
pub extern "C" fn dserver_rpc_hooks_get_pid() -> libc::pid_t {
    let pid = PID.load(Ordering::Relaxed);
    if pid != 0 {
        return pid;
    }
    // SAFETY: getpid cannot fail.
    let pid = unsafe { libc::getpid() };
    PID.store(pid, Ordering::Relaxed);
    pid
}

#[unsafe(no_mangle)]
pub extern "C" fn dserver_rpc_hooks_get_tid() -> libc::pid_t {
    TID.try_with(|cached| {
        if cached.get() == 0 {
            // SAFETY: gettid cannot fail.
            cached.set(unsafe { libc::gettid() });
        }
        cached.get()
    })
    // SAFETY: as above, for a thread whose locals are already torn down.
    .unwrap_or_else(|_| unsafe { libc::gettid() })
}

/// `dserver_rpc_architecture_t` of this build.
#[unsafe(no_mangle)]
pub extern "C" fn dserver_rpc_hooks_get_architecture() -> c_int {
    if cfg!(target_arch = "x86_64") {
        2
    } else if cfg!(target_arch = "x86") {
        1
    } else if cfg!(target_arch = "aarch64") {
        4
    } else if cfg!(target_arch = "arm") {
        3
    } else {
        0
    }
}

#[unsafe(no_mangle)]
pub extern "C" fn dserver_rpc_hooks_get_server_address() -> *mut c_void {
    (&raw const server_address().addr) as *mut c_void
}

#[unsafe(no_mangle)]
pub extern "C" fn dserver_rpc_hooks_get_server_address_length() -> size_t {
    server_address().len as size_t
}

/// # Safety
/// Same contract as `memcpy`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dserver_rpc_hooks_memcpy(
    dst: *mut c_void,
    src: *const c_void,
    len: size_t,
) -> *mut c_void {
    // SAFETY: forwarded contract.
    unsafe { libc::memcpy(dst, src, len) }
}

/// # Safety
/// `message` must be a valid `msghdr` for `sendmsg`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dserver_rpc_hooks_send_message(socket: c_int, message: *const msghdr) -> c_long {
    // SAFETY: forwarded contract.
    let to_server = unsafe { (*message).msg_name } == dserver_rpc_hooks_get_server_address();
    if to_server && is_connected_thread_socket(socket) {
        // SAFETY: forwarded contract.
        let n = unsafe { send_connected(socket, &*message) };
        if n >= 0 {
            return n as c_long;
        }
        let err = std::io::Error::last_os_error().raw_os_error();
        if !matches!(err, Some(libc::ECONNREFUSED | libc::ENOTCONN)) {
            return neg_errno();
        }
        // The server we were connected to is gone (the kernel has disconnected us). Connect to
        // whatever serves the path now; if nothing does, send to the address as below, which
        // reports what a client without a connection would see (ENOENT, ECONNREFUSED).
        let reconnected = connect_to_server(socket);
        set_thread_socket_connected(reconnected);
        if reconnected {
            // SAFETY: as above.
            let n = unsafe { send_connected(socket, &*message) };
            return if n < 0 { neg_errno() } else { n as c_long };
        }
    }
    // SAFETY: forwarded contract. MSG_NOSIGNAL: a vanished server is an error, not a SIGPIPE.
    let n = unsafe { libc::sendmsg(socket, message, libc::MSG_NOSIGNAL) };
    if n < 0 { neg_errno() } else { n as c_long }
}

/// # Safety
/// `message` must be a valid `msghdr` for `recvmsg`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dserver_rpc_hooks_receive_message(socket: c_int, message: *mut msghdr) -> c_long {
    // SAFETY: forwarded contract. Descriptors arrive close-on-exec, like everything the shim opens.
    let n = unsafe { libc::recvmsg(socket, message, libc::MSG_CMSG_CLOEXEC) };
    if n < 0 { neg_errno() } else { n as c_long }
}

#[unsafe(no_mangle)]
pub extern "C" fn dserver_rpc_hooks_get_bad_message_status() -> c_int {
    -libc::EBADMSG
}

#[unsafe(no_mangle)]
pub extern "C" fn dserver_rpc_hooks_get_communication_error_status() -> c_int {
    -libc::ECOMM
}

#[unsafe(no_mangle)]
pub extern "C" fn dserver_rpc_hooks_get_broken_pipe_status() -> c_int {
    -libc::EPIPE
}

#[unsafe(no_mangle)]
pub extern "C" fn dserver_rpc_hooks_get_interrupt_status() -> c_int {
    -libc::EINTR
}

#[unsafe(no_mangle)]
pub extern "C" fn dserver_rpc_hooks_close_fd(fd: c_int) {
    // SAFETY: the generated code closes descriptors it received and owns.
    unsafe { libc::close(fd) };
}

#[unsafe(no_mangle)]
pub extern "C" fn dserver_rpc_hooks_get_socket() -> c_int {
    thread_socket()
}

/// Blocks every signal that can be blocked for the length of a call, so a signal handler never runs
/// between a call and its reply (the handler's own calls would read the wrong reply, and a handler
/// that jumps out with `siglongjmp` would leave the reply for the next call to read).
///
/// Calls flagged `ALLOW_INTERRUPTIONS` never come here (the generated code skips the atomic section
/// for them). For the others this costs two `rt_sigprocmask` system calls, about 0.3 us of a 5 us
/// round trip (`cargo xtask bench runtime`). The cheaper schemes do not keep the semantics: deferring
/// a signal that arrives during a call (a per-thread "in a call" flag checked by a wrapper around
/// every handler, the signal raised again at the end) needs the shim to interpose every way a
/// handler is installed, including raw system calls, re-raises lose the original `siginfo` (a
/// re-raised signal says `SI_TKILL`, not the child that exited or the faulting address), and a
/// synchronous fault cannot wait; skipping the mask when no handler is installed needs the same
/// interposition to know it.
///
/// # Safety
/// `save` must point to a `sigset_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dserver_rpc_hooks_atomic_begin(save: *mut libc::sigset_t) {
    // SAFETY: `save` is valid per the contract; `all` is a local.
    unsafe {
        let mut all: libc::sigset_t = zeroed();
        libc::sigfillset(&mut all);
        libc::pthread_sigmask(libc::SIG_BLOCK, &all, save);
    }
}

/// # Safety
/// `save` must point to the `sigset_t` filled by the matching `atomic_begin`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dserver_rpc_hooks_atomic_end(save: *mut libc::sigset_t) {
    // SAFETY: per the contract.
    unsafe { libc::pthread_sigmask(libc::SIG_SETMASK, save, std::ptr::null_mut()) };
}

/// `dserver_rpc_call_push_reply_t`.
#[repr(C)]
struct PushReplyCall {
    number: u32,
    pid: i32,
    tid: i32,
    architecture: u32,
    reply: u64,
    reply_size: u64,
}

const CALLNUM_PUSH_REPLY: u32 = 0xbad_ca11;

/// A call waiting for `interrupt_enter`'s reply received the reply of the call the signal interrupted:
/// hand it back to the server (with its descriptors), which re-sends it after `interrupt_exit`. The
/// server reads the reply from our memory, so we wait on a pipe until it has.
///
/// # Safety
/// `reply` must be the `msghdr` the reply was received into, `size` the received length.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dserver_rpc_hooks_push_reply(socket: c_int, reply: *const msghdr, size: size_t) {
    // SAFETY: every pointer is either from the caller's valid msghdr or a local that outlives the calls.
    unsafe {
        let reply = &*reply;
        let mut fds: [c_int; 8] = [-1; 8];
        let mut count = 0usize;
        let mut cmsg = libc::CMSG_FIRSTHDR(reply);
        while !cmsg.is_null() {
            if (*cmsg).cmsg_level == libc::SOL_SOCKET && (*cmsg).cmsg_type == libc::SCM_RIGHTS {
                let data = libc::CMSG_DATA(cmsg);
                let n = ((*cmsg).cmsg_len as usize - (data as usize - cmsg as usize)) / size_of::<c_int>();
                for i in 0..n {
                    if count < fds.len() - 1 {
                        fds[count] = std::ptr::read_unaligned(data.cast::<c_int>().add(i));
                        count += 1;
                    }
                }
            }
            cmsg = libc::CMSG_NXTHDR(reply, cmsg);
        }
        let mut pipe = [-1; 2];
        if libc::pipe2(pipe.as_mut_ptr(), libc::O_CLOEXEC) < 0 {
            lifecycle::fatal(&format!(
                "push_reply: pipe2 failed: {}",
                darling_core::errno::describe_io(&std::io::Error::last_os_error())
            ));
        }
        fds[count] = pipe[1];
        count += 1;
        let call = PushReplyCall {
            number: CALLNUM_PUSH_REPLY,
            pid: dserver_rpc_hooks_get_pid(),
            tid: dserver_rpc_hooks_get_tid(),
            architecture: dserver_rpc_hooks_get_architecture() as u32,
            reply: (*reply.msg_iov).iov_base as u64,
            reply_size: size as u64,
        };
        let mut iov =
            libc::iovec { iov_base: (&raw const call) as *mut c_void, iov_len: size_of::<PushReplyCall>() };
        let mut control = [0u64; 16];
        let mut msg: msghdr = zeroed();
        msg.msg_name = dserver_rpc_hooks_get_server_address();
        msg.msg_namelen = dserver_rpc_hooks_get_server_address_length() as libc::socklen_t;
        msg.msg_iov = &raw mut iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control.as_mut_ptr().cast();
        msg.msg_controllen = libc::CMSG_SPACE((count * size_of::<c_int>()) as u32) as _;
        let out = libc::CMSG_FIRSTHDR(&msg);
        (*out).cmsg_level = libc::SOL_SOCKET;
        (*out).cmsg_type = libc::SCM_RIGHTS;
        (*out).cmsg_len = libc::CMSG_LEN((count * size_of::<c_int>()) as u32) as _;
        std::ptr::copy_nonoverlapping(fds.as_ptr(), libc::CMSG_DATA(out).cast::<c_int>(), count);
        let sent = loop {
            let n = libc::sendmsg(socket, &msg, libc::MSG_NOSIGNAL);
            if n >= 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
                break n;
            }
        };
        // Our copies: the reply's descriptors now travel with the pushed reply; the pipe's write end is
        // the server's.
        for fd in &fds[..count] {
            libc::close(*fd);
        }
        if sent < 0 {
            let err = std::io::Error::last_os_error();
            libc::close(pipe[0]);
            lifecycle::fatal(&format!(
                "push_reply to {} failed: {}",
                lifecycle::prefix().socket().display(),
                darling_core::errno::describe_io(&err)
            ));
        }
        let mut byte = 0u8;
        while libc::read(pipe[0], (&raw mut byte).cast(), 1) < 0
            && std::io::Error::last_os_error().raw_os_error() == Some(libc::EINTR)
        {}
        libc::close(pipe[0]);
    }
}
