//! Datagrams with descriptors over Unix sockets, and the Rust [`Client`].
//!
//! `send_datagram`/`recv_datagram` are the two system calls every RPC makes (`sendmsg` and
//! `recvmsg` with `SCM_RIGHTS`); the server wraps them in its event loop, the client and the tests
//! call them directly. Received descriptors are close-on-exec and owned, so dropping a rejected
//! datagram closes them.

use std::io::{IoSlice, IoSliceMut};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::path::Path;

use nix::errno::Errno;
use nix::sys::socket::{
    self, AddressFamily, ControlMessage, ControlMessageOwned, MsgFlags, SockFlag, SockType, UnixAddr,
};

use super::codec;
use super::context::{Replied, ReplyValues};
use super::error::{ClientError, DecodeError};
use super::header::{Architecture, CallHeader, ReplyHeader};
use super::message::ReceivedReply;
use super::table::CallInfo;
use super::wire::{self, callnum, flags};

/// The most descriptors one datagram can carry on Linux (`SCM_MAX_FD`); receiving with room for
/// all of them means descriptors are never silently cut off.
pub const MAX_FDS_PER_DATAGRAM: usize = 253;

/// How much the Rust client receives at once: any reply fits, and so does a server-to-client call
/// (which it does not serve, but must not mistake for a cut-off reply).
pub const REPLY_BUFFER_SIZE: usize = 4096;

/// A received datagram.
#[derive(Debug)]
pub struct Datagram {
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// The descriptors that came with it.
    pub fds: Vec<OwnedFd>,
    /// The sender's address (unset for a connected or unbound sender).
    pub address: Option<UnixAddr>,
    /// Whether it was longer than the buffer (and so cut off).
    pub truncated: bool,
}

/// Receives one datagram of at most `capacity` bytes, with its descriptors.
pub fn recv_datagram(socket: BorrowedFd<'_>, capacity: usize) -> nix::Result<Datagram> {
    let mut buffer = vec![0u8; capacity];
    let mut cmsg = nix::cmsg_space!([RawFd; MAX_FDS_PER_DATAGRAM]);
    let (len, fds, address, truncated) = {
        let mut iov = [IoSliceMut::new(&mut buffer)];
        let msg = socket::recvmsg::<UnixAddr>(
            socket.as_raw_fd(),
            &mut iov,
            Some(&mut cmsg),
            MsgFlags::MSG_CMSG_CLOEXEC,
        )?;
        let mut fds = Vec::new();
        if let Ok(cmsgs) = msg.cmsgs() {
            for c in cmsgs {
                if let ControlMessageOwned::ScmRights(raw) = c {
                    // The kernel just installed these descriptors in our table: we own them.
                    fds.extend(raw.into_iter().map(|fd| unsafe { OwnedFd::from_raw_fd(fd) }));
                }
            }
        }
        // An unnamed sender (a socketpair end, an unbound socket) has an address of just the family,
        // which nix cannot take apart; keep only real ones.
        let address = msg.address.filter(|a| usize::try_from(socket::SockaddrLike::len(a)).unwrap_or(0) > 2);
        (msg.bytes, fds, address, msg.flags.contains(MsgFlags::MSG_TRUNC))
    };
    buffer.truncate(len);
    Ok(Datagram { bytes: buffer, fds, address, truncated })
}

/// Sends one datagram made of `parts`, with `fds` as `SCM_RIGHTS`, to `to` (or the connected peer).
pub fn send_datagram(
    socket: BorrowedFd<'_>,
    to: Option<&UnixAddr>,
    parts: &[&[u8]],
    fds: &[RawFd],
) -> nix::Result<usize> {
    let iov: Vec<IoSlice<'_>> = parts.iter().map(|p| IoSlice::new(p)).collect();
    let rights = [ControlMessage::ScmRights(fds)];
    let cmsgs: &[ControlMessage<'_>] = if fds.is_empty() { &[] } else { &rights };
    socket::sendmsg(socket.as_raw_fd(), &iov, cmsgs, MsgFlags::empty(), to)
}

/// A Rust client of darlingserver: the same protocol as the generated C wrappers (status
/// convention, descriptor passing, protocol-hash trailer, pushed-back replies), for tests and Rust
/// callers. Unlike the C wrappers it does not block signals around a call.
#[derive(Debug)]
pub struct Client {
    socket: OwnedFd,
    server: Option<UnixAddr>,
    peer: String,
    header: CallHeader,
}

impl Client {
    /// A client on a socket already connected to the server (one end of a `socketpair`).
    pub fn connected(socket: OwnedFd) -> Client {
        Client { socket, server: None, peer: "the connected server socket".to_string(), header: own_header() }
    }

    /// A client with its own socket (bound to an automatic abstract address, so the server can
    /// answer) talking to the server socket at `path`.
    pub fn connect(path: &Path) -> Result<Client, ClientError> {
        let peer = path.display().to_string();
        let fail = |errno| ClientError::Socket {
            call: "connect",
            operation: "binding a socket for",
            peer: peer.clone(),
            errno,
        };
        let socket = socket::socket(AddressFamily::Unix, SockType::Datagram, SockFlag::SOCK_CLOEXEC, None)
            .map_err(fail)?;
        socket::bind(socket.as_raw_fd(), &UnixAddr::new_unnamed()).map_err(fail)?;
        let server = UnixAddr::new(path).map_err(fail)?;
        Ok(Client { socket, server: Some(server), peer, header: own_header() })
    }

    /// Overrides the pid, tid and architecture the client puts in its headers.
    pub fn with_identity(mut self, pid: i32, tid: i32, architecture: Architecture) -> Client {
        self.header = CallHeader { number: 0, pid, tid, architecture: architecture.raw() };
        self
    }

    /// The socket.
    pub fn socket(&self) -> BorrowedFd<'_> {
        self.socket.as_fd()
    }

    /// Makes one call: `body` is the call struct (the header is filled in here), `fds` the
    /// descriptors its body indexes, `protocol_hash` what a `SEND_PROTOCOL_HASH` call appends.
    /// Used by the generated per-call methods.
    pub fn call<R: ReplyValues>(
        &self,
        info: &'static CallInfo,
        mut body: Vec<u8>,
        fds: &[RawFd],
        protocol_hash: u64,
    ) -> Result<Replied<R>, ClientError> {
        CallHeader { number: info.number, ..self.header }.write(&mut body);
        let mut trailer = [0u8; wire::PROTOCOL_TRAILER_SIZE];
        codec::write_u64(&mut trailer, 0, wire::PROTOCOL_HASH_MAGIC);
        codec::write_u64(&mut trailer, 8, protocol_hash);
        let with_trailer = [&body[..], &trailer[..]];
        let parts: &[&[u8]] =
            if info.has(flags::SEND_PROTOCOL_HASH) { &with_trailer } else { &with_trailer[..1] };
        loop {
            match send_datagram(self.socket.as_fd(), self.server.as_ref(), parts, fds) {
                Ok(_) => break,
                Err(Errno::EINTR) if !info.has(flags::ALLOW_INTERRUPTIONS) => continue,
                Err(errno) => return Err(self.socket_error(info, "sending to", errno)),
            }
        }
        // Replies pushed back to the server must stay readable until it has copied them.
        let mut pushed: Vec<Vec<u8>> = Vec::new();
        loop {
            let datagram = match recv_datagram(self.socket.as_fd(), REPLY_BUFFER_SIZE) {
                Ok(d) => d,
                Err(Errno::EINTR) => continue,
                Err(errno) => return Err(self.socket_error(info, "receiving from", errno)),
            };
            if datagram.truncated {
                return Err(self.bad_reply(info, DecodeError::Truncated { capacity: REPLY_BUFFER_SIZE }));
            }
            let number = ReplyHeader::read(&datagram.bytes).map(|h| h.number);
            if number.is_some_and(|n| n != info.number) && info.has(flags::PUSH_UNKNOWN_REPLIES) {
                self.push_reply(info, &datagram)?;
                pushed.push(datagram.bytes);
                continue;
            }
            let mut reply = ReceivedReply::parse(info, &datagram.bytes, datagram.fds)
                .map_err(|error| self.bad_reply(info, error))?;
            let values = R::decode(&mut reply);
            return Ok(Replied { code: reply.code, values });
        }
    }

    /// Hands a reply meant for another call back to the server (`dserver_callnum_push_reply`),
    /// forwarding its descriptors; ours are closed once sent.
    fn push_reply(&self, info: &'static CallInfo, datagram: &Datagram) -> Result<(), ClientError> {
        let mut call = vec![0u8; super::message::PUSH_REPLY_SIZE];
        CallHeader { number: callnum::PUSH_REPLY, ..self.header }.write(&mut call);
        codec::write_u64(&mut call, 16, datagram.bytes.as_ptr() as u64);
        codec::write_u64(&mut call, 24, datagram.bytes.len() as u64);
        let fds: Vec<RawFd> = datagram.fds.iter().map(AsRawFd::as_raw_fd).collect();
        loop {
            match send_datagram(self.socket.as_fd(), self.server.as_ref(), &[&call], &fds) {
                Ok(_) => return Ok(()),
                Err(Errno::EINTR) => continue,
                Err(errno) => return Err(self.socket_error(info, "pushing a reply back to", errno)),
            }
        }
    }

    fn socket_error(&self, info: &'static CallInfo, operation: &'static str, errno: Errno) -> ClientError {
        ClientError::Socket { call: info.name, operation, peer: self.peer.clone(), errno }
    }

    fn bad_reply(&self, info: &'static CallInfo, error: DecodeError) -> ClientError {
        ClientError::BadReply { call: info.name, peer: self.peer.clone(), error }
    }
}

fn own_header() -> CallHeader {
    CallHeader {
        number: 0,
        pid: nix::unistd::getpid().as_raw(),
        tid: nix::unistd::gettid().as_raw(),
        architecture: Architecture::host().raw(),
    }
}

/// Queues a borrowed descriptor for a call and returns its wire index (-1 for none).
pub fn push_borrowed_fd(fds: &mut Vec<RawFd>, fd: Option<BorrowedFd<'_>>) -> i32 {
    match fd {
        Some(fd) => {
            fds.push(fd.as_raw_fd());
            i32::try_from(fds.len() - 1).unwrap_or(-1)
        }
        None => -1,
    }
}
