//! The server's one Unix datagram socket: binding it (mode 0600), receiving a datagram with its sender's
//! address, kernel-checked credentials and passed descriptors, and sending replies with descriptors.
//!
//! This is the hot path of every RPC, so nothing here allocates: a datagram, its control data and its
//! descriptors land in a caller-owned [`RecvBuf`]. Every received descriptor becomes an [`OwnedFd`] the
//! moment `recvmsg` returns, before anything can fail, so no path through the server can leak one.
//! Sends never block: a client that stops reading its socket loses its replies, never the server's time.

use std::ffi::OsStr;
use std::io;
use std::mem::{size_of, zeroed};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use nix::libc;

use crate::error::Error;

/// How many descriptors one datagram may carry before the rest are discarded. The largest legitimate
/// message (a pushed reply) carries two; the room above that lets the server notice and close extras.
pub const MAX_FDS: usize = 8;

/// The largest datagram the server accepts. Calls are at most 80 bytes; anything longer is malformed,
/// and `recvmsg` reports it as truncated.
pub const MAX_DATAGRAM: usize = 1024;

/// `CMSG_SPACE(sizeof(struct ucred)) + CMSG_SPACE(MAX_FDS * sizeof(int))`, rounded up generously.
const CONTROL_LEN: usize = 256;

/// A Unix socket address, as `recvmsg` reports a sender's: the bytes and the length that goes with them.
/// Clients autobind to abstract addresses, so this is usually a NUL followed by five hex digits.
#[derive(Clone, Copy)]
pub struct PeerAddr {
    addr: libc::sockaddr_un,
    len: libc::socklen_t,
}

impl PeerAddr {
    /// An address for a filesystem path. Fails when the path does not fit in `sun_path`.
    pub fn from_path(path: &Path) -> io::Result<Self> {
        let bytes = path.as_os_str().as_bytes();
        // SAFETY: sockaddr_un is plain old data; all-zero is a valid value.
        let mut addr: libc::sockaddr_un = unsafe { zeroed() };
        if bytes.len() >= addr.sun_path.len() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("socket path {} is longer than {} bytes", path.display(), addr.sun_path.len() - 1),
            ));
        }
        addr.sun_family = libc::AF_UNIX as libc::sa_family_t;
        for (dst, src) in addr.sun_path.iter_mut().zip(bytes) {
            *dst = *src as libc::c_char;
        }
        let len = (size_of::<libc::sa_family_t>() + bytes.len() + 1) as libc::socklen_t;
        Ok(Self { addr, len })
    }

    /// An unbound sender has no address to reply to.
    pub fn is_unnamed(&self) -> bool {
        self.len as usize <= size_of::<libc::sa_family_t>()
    }

    fn path_bytes(&self) -> &[u8] {
        let n =
            (self.len as usize).saturating_sub(size_of::<libc::sa_family_t>()).min(self.addr.sun_path.len());
        // SAFETY: c_char and u8 have the same size and alignment; the slice stays inside sun_path.
        unsafe { std::slice::from_raw_parts(self.addr.sun_path.as_ptr().cast::<u8>(), n) }
    }
}

impl PartialEq for PeerAddr {
    fn eq(&self, other: &Self) -> bool {
        self.path_bytes() == other.path_bytes()
    }
}

impl Eq for PeerAddr {}

impl std::fmt::Debug for PeerAddr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

impl std::fmt::Display for PeerAddr {
    /// Abstract addresses print as `@` and their name, like `ss` and `netstat` show them.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let bytes = self.path_bytes();
        match bytes.split_first() {
            None => f.write_str("(unnamed)"),
            Some((0, rest)) => write!(f, "@{}", String::from_utf8_lossy(rest)),
            Some(_) => {
                let end = bytes.iter().position(|b| *b == 0).unwrap_or(bytes.len());
                write!(f, "{}", Path::new(OsStr::from_bytes(&bytes[..end])).display())
            }
        }
    }
}

/// The sender's identity as the kernel reports it (`SCM_CREDENTIALS`), in the server's pid namespace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Credentials {
    pub pid: i32,
    pub uid: u32,
    pub gid: u32,
}

/// Descriptors received with one datagram, owned. Dropping the list closes whatever nobody took.
#[derive(Default)]
pub struct FdList {
    fds: [Option<OwnedFd>; MAX_FDS],
    len: usize,
}

impl FdList {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Takes descriptor `index`; `None` when out of range or already taken.
    pub fn take(&mut self, index: usize) -> Option<OwnedFd> {
        self.fds.get_mut(index)?.take()
    }

    fn push(&mut self, fd: OwnedFd) {
        if self.len < MAX_FDS {
            self.fds[self.len] = Some(fd);
            self.len += 1;
        }
        // A descriptor past MAX_FDS cannot arrive (the control buffer has no room for it, so the
        // kernel discards it), but if one did it is dropped, that is, closed, right here.
    }

    /// Takes every remaining descriptor, in order.
    pub fn drain(&mut self) -> impl Iterator<Item = OwnedFd> + '_ {
        let len = std::mem::take(&mut self.len);
        self.fds[..len].iter_mut().filter_map(Option::take)
    }
}

/// Caller-owned storage for one received datagram; reused across receives so the hot path never
/// allocates.
pub struct RecvBuf {
    data: [u64; MAX_DATAGRAM / 8],
    control: [u64; CONTROL_LEN / 8],
    /// The sender's address, which [`Received`] borrows rather than copies.
    addr: PeerAddr,
}

impl Default for RecvBuf {
    fn default() -> Self {
        Self {
            data: [0; MAX_DATAGRAM / 8],
            control: [0; CONTROL_LEN / 8],
            // SAFETY: sockaddr_un is plain old data; all zeroes is a valid value.
            addr: PeerAddr { addr: unsafe { zeroed() }, len: 0 },
        }
    }
}

impl RecvBuf {
    pub fn new() -> Box<Self> {
        Box::default()
    }
}

/// One received datagram.
pub struct Received<'a> {
    /// The datagram's bytes, 8-byte aligned (the buffer is `u64`s), so wire structs can be read in place.
    pub data: &'a [u8],
    pub addr: &'a PeerAddr,
    pub creds: Option<Credentials>,
    pub fds: FdList,
    /// The datagram was longer than [`MAX_DATAGRAM`]; `data` holds only its start.
    pub truncated: bool,
    /// More descriptors arrived than fit; the kernel discarded the rest.
    pub control_truncated: bool,
}

/// The listening socket at `<prefix>/.darlingserver.sock`.
pub struct ServerSocket {
    fd: OwnedFd,
    path: PathBuf,
}

impl ServerSocket {
    /// Creates the socket, binds it at `path` with mode 0600 and turns on credential passing.
    /// A stale socket file at `path` is removed first; the caller holds the prefix lock, so no live
    /// server can own it.
    pub fn bind(path: &Path) -> Result<Self, Error> {
        let addr =
            PeerAddr::from_path(path).map_err(|e| Error::io(format!("binding {}", path.display()), e))?;
        let fd = cvt(unsafe { libc::socket(libc::AF_UNIX, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0) })
            .map_err(|e| Error::io("creating the server socket (AF_UNIX, SOCK_DGRAM)", e))?;
        // SAFETY: socket() returned a fresh descriptor that nothing else owns.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        set_int_option(&fd, libc::SOL_SOCKET, libc::SO_PASSCRED, 1)
            .map_err(|e| Error::io(format!("setting SO_PASSCRED on {}", path.display()), e))?;
        // Bursts from many client threads queue here rather than being refused; best effort.
        let _ = set_int_option(&fd, libc::SOL_SOCKET, libc::SO_RCVBUF, 1 << 20);

        match std::fs::remove_file(path) {
            Ok(()) => {
                tracing::info!(socket = %path.display(), "removed a stale socket left by a dead server")
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(format!("removing the stale socket {}", path.display()), e)),
        }
        // The socket file is created with the process umask: make it 0600 from the start instead of
        // fixing the mode afterwards, so there is no moment when another user could send to it.
        // SAFETY: umask only touches process state; the previous mask is restored below.
        let old_mask = unsafe { libc::umask(0o177) };
        // SAFETY: addr is a valid sockaddr_un of the given length.
        let bound = cvt(unsafe {
            libc::bind(fd.as_raw_fd(), (&raw const addr.addr).cast::<libc::sockaddr>(), addr.len)
        });
        unsafe { libc::umask(old_mask) };
        bound.map_err(|e| Error::io(format!("binding the server socket {}", path.display()), e))?;
        Ok(Self { fd, path: path.to_path_buf() })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Receives one datagram, blocking until one arrives. `EINTR` is retried here.
    pub fn recv<'a>(&self, buf: &'a mut RecvBuf) -> io::Result<Received<'a>> {
        recv_from(self.fd.as_fd(), buf, 0)
    }

    /// Sends one reply to `addr`, with descriptors. Never blocks: a full client queue is
    /// `EAGAIN`, which the caller logs and drops.
    pub fn send(&self, addr: &PeerAddr, data: &[u8], fds: &[OwnedFd]) -> io::Result<()> {
        if fds.is_empty() {
            return send_plain(self.fd.as_fd(), Some(addr), data);
        }
        let borrowed: Vec<BorrowedFd<'_>> = fds.iter().map(AsFd::as_fd).collect();
        send_to(self.fd.as_fd(), Some(addr), data, &borrowed)
    }

    /// Unblocks every thread sitting in [`ServerSocket::recv`] (they get an empty datagram with no
    /// credentials), for shutdown.
    pub fn shutdown_receive(&self) {
        // SAFETY: plain syscall on a descriptor we own.
        unsafe { libc::shutdown(self.fd.as_raw_fd(), libc::SHUT_RD) };
    }
}

impl AsFd for ServerSocket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

impl Drop for ServerSocket {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// `recvmsg` into `buf`, with `MSG_CMSG_CLOEXEC` so no passed descriptor survives an exec of ours.
pub fn recv_from<'a>(fd: BorrowedFd<'_>, buf: &'a mut RecvBuf, flags: i32) -> io::Result<Received<'a>> {
    // SAFETY: every pointer handed to the kernel points into `buf` or the locals, which outlive the call.
    unsafe {
        let mut iov = libc::iovec {
            iov_base: buf.data.as_mut_ptr().cast(),
            iov_len: size_of::<[u64; MAX_DATAGRAM / 8]>(),
        };
        let mut msg: libc::msghdr = zeroed();
        msg.msg_name = (&raw mut buf.addr.addr).cast();
        msg.msg_namelen = size_of::<libc::sockaddr_un>() as libc::socklen_t;
        msg.msg_iov = &raw mut iov;
        msg.msg_iovlen = 1;
        msg.msg_control = buf.control.as_mut_ptr().cast();
        msg.msg_controllen = size_of::<[u64; CONTROL_LEN / 8]>() as _;
        let n = loop {
            // The system call itself, not glibc's wrapper: the wrapper is a cancellation point,
            // which costs two calls around every receive, and nothing cancels the server's threads.
            let n = libc::syscall(
                libc::SYS_recvmsg,
                fd.as_raw_fd(),
                &raw mut msg,
                flags | libc::MSG_CMSG_CLOEXEC,
            );
            if n >= 0 {
                break n as usize;
            }
            let err = io::Error::last_os_error();
            if err.raw_os_error() != Some(libc::EINTR) {
                return Err(err);
            }
        };
        // Take ownership of every descriptor first: nothing below may return early before this.
        let mut fds = FdList::default();
        let mut creds = None;
        let mut cmsg = libc::CMSG_FIRSTHDR(&msg);
        while !cmsg.is_null() {
            let header = &*cmsg;
            let data = libc::CMSG_DATA(cmsg);
            let payload = header.cmsg_len as usize - (data as usize - cmsg as usize);
            if header.cmsg_level == libc::SOL_SOCKET && header.cmsg_type == libc::SCM_RIGHTS {
                for i in 0..payload / size_of::<RawFd>() {
                    let raw = std::ptr::read_unaligned(data.cast::<RawFd>().add(i));
                    fds.push(OwnedFd::from_raw_fd(raw));
                }
            } else if header.cmsg_level == libc::SOL_SOCKET
                && header.cmsg_type == libc::SCM_CREDENTIALS
                && payload >= size_of::<libc::ucred>()
            {
                let ucred = std::ptr::read_unaligned(data.cast::<libc::ucred>());
                creds = Some(Credentials { pid: ucred.pid, uid: ucred.uid, gid: ucred.gid });
            }
            cmsg = libc::CMSG_NXTHDR(&msg, cmsg);
        }
        buf.addr.len = msg.msg_namelen;
        let bytes: &[u8] = std::slice::from_raw_parts(buf.data.as_ptr().cast(), n.min(MAX_DATAGRAM));
        Ok(Received {
            data: bytes,
            addr: &buf.addr,
            creds,
            fds,
            truncated: msg.msg_flags & libc::MSG_TRUNC != 0,
            control_truncated: msg.msg_flags & libc::MSG_CTRUNC != 0,
        })
    }
}

/// `sendmsg` with descriptors, `MSG_DONTWAIT | MSG_NOSIGNAL`; `EINTR` is retried.
pub fn send_to(
    fd: BorrowedFd<'_>,
    addr: Option<&PeerAddr>,
    data: &[u8],
    fds: &[BorrowedFd<'_>],
) -> io::Result<()> {
    if fds.is_empty() {
        return send_plain(fd, addr, data);
    }
    let mut control = [0u64; CONTROL_LEN / 8];
    // SAFETY: the message points at locals and `data`, all alive for the call; the control buffer is
    // large enough for MAX_FDS descriptors, which is checked first.
    unsafe {
        if fds.len() > MAX_FDS {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "too many descriptors for one datagram"));
        }
        let mut iov = libc::iovec { iov_base: data.as_ptr() as *mut _, iov_len: data.len() };
        let mut msg: libc::msghdr = zeroed();
        if let Some(addr) = addr {
            msg.msg_name = (&raw const addr.addr) as *mut _;
            msg.msg_namelen = addr.len;
        }
        msg.msg_iov = &raw mut iov;
        msg.msg_iovlen = 1;
        if !fds.is_empty() {
            let space = libc::CMSG_SPACE((fds.len() * size_of::<RawFd>()) as u32) as usize;
            msg.msg_control = control.as_mut_ptr().cast();
            msg.msg_controllen = space as _;
            let cmsg = libc::CMSG_FIRSTHDR(&msg);
            (*cmsg).cmsg_level = libc::SOL_SOCKET;
            (*cmsg).cmsg_type = libc::SCM_RIGHTS;
            (*cmsg).cmsg_len = libc::CMSG_LEN((fds.len() * size_of::<RawFd>()) as u32) as _;
            let out = libc::CMSG_DATA(cmsg).cast::<RawFd>();
            for (i, fd) in fds.iter().enumerate() {
                std::ptr::write_unaligned(out.add(i), fd.as_raw_fd());
            }
        }
        loop {
            let n = libc::sendmsg(fd.as_raw_fd(), &msg, libc::MSG_DONTWAIT | libc::MSG_NOSIGNAL);
            if n >= 0 {
                return Ok(());
            }
            let err = io::Error::last_os_error();
            if err.raw_os_error() != Some(libc::EINTR) {
                return Err(err);
            }
        }
    }
}

/// A reply without descriptors (nearly all of them) goes out through `sendto`: unlike `sendmsg`, it
/// makes the kernel copy in no `msghdr` and no iovec, which is measurable on the hot path.
fn send_plain(fd: BorrowedFd<'_>, addr: Option<&PeerAddr>, data: &[u8]) -> io::Result<()> {
    let (name, len) = match addr {
        Some(addr) => ((&raw const addr.addr).cast::<libc::sockaddr>(), addr.len),
        None => (std::ptr::null(), 0),
    };
    loop {
        // SAFETY: `data` and the address are alive for the call, with their lengths. The system
        // call itself, not glibc's wrapper, for the reason `recv_from` gives.
        let n = unsafe {
            libc::syscall(
                libc::SYS_sendto,
                fd.as_raw_fd(),
                data.as_ptr(),
                data.len(),
                libc::MSG_DONTWAIT | libc::MSG_NOSIGNAL,
                name,
                len,
            )
        };
        if n >= 0 {
            return Ok(());
        }
        let err = io::Error::last_os_error();
        if err.raw_os_error() != Some(libc::EINTR) {
            return Err(err);
        }
    }
}

fn set_int_option(fd: &OwnedFd, level: i32, name: i32, value: i32) -> io::Result<()> {
    // SAFETY: the option value is a live i32 of the size given.
    cvt(unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            level,
            name,
            (&raw const value).cast(),
            size_of::<i32>() as libc::socklen_t,
        )
    })
    .map(drop)
}

/// Turns a `-1` return into the thread's `errno`.
pub fn cvt(ret: i32) -> io::Result<i32> {
    if ret < 0 { Err(io::Error::last_os_error()) } else { Ok(ret) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn socket_pair() -> (OwnedFd, OwnedFd) {
        let mut fds = [0; 2];
        cvt(unsafe {
            libc::socketpair(libc::AF_UNIX, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0, fds.as_mut_ptr())
        })
        .unwrap();
        unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) }
    }

    #[test]
    fn descriptors_round_trip_and_extras_are_owned() {
        let (a, b) = socket_pair();
        let (p, q) = socket_pair();
        send_to(a.as_fd(), None, b"hello", &[p.as_fd(), q.as_fd(), p.as_fd()]).unwrap();
        let mut buf = RecvBuf::new();
        let mut got = recv_from(b.as_fd(), &mut buf, 0).unwrap();
        assert_eq!(got.data, b"hello");
        assert_eq!(got.fds.len(), 3);
        assert!(!got.truncated);
        let first = got.fds.take(0).unwrap();
        assert!(got.fds.take(0).is_none(), "a descriptor can be taken once");
        // The received descriptor works: send through it and read from its twin.
        send_to(first.as_fd(), None, b"x", &[]).unwrap();
        let mut buf2 = RecvBuf::new();
        assert_eq!(recv_from(q.as_fd(), &mut buf2, 0).unwrap().data, b"x");
    }

    #[test]
    fn oversized_datagrams_are_reported_truncated() {
        let (a, b) = socket_pair();
        send_to(a.as_fd(), None, &[7u8; MAX_DATAGRAM + 10], &[]).unwrap();
        let mut buf = RecvBuf::new();
        let got = recv_from(b.as_fd(), &mut buf, 0).unwrap();
        assert!(got.truncated);
        assert_eq!(got.data.len(), MAX_DATAGRAM);
    }

    #[test]
    fn peer_addresses_print_like_ss() {
        let addr = PeerAddr::from_path(Path::new("/tmp/x.sock")).unwrap();
        assert_eq!(addr.to_string(), "/tmp/x.sock");
        assert!(PeerAddr::from_path(&PathBuf::from("/".repeat(200))).is_err());
    }
}
