//! Why a datagram was rejected, or why a call failed, in words that name the call, the field, the
//! values and the errno.

use std::fmt;

use nix::errno::Errno;

/// A datagram that is not a well-formed call or reply. Never a panic: the server logs it, drops the
/// datagram (closing any descriptors it carried) and carries on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// Shorter than the fixed header.
    #[error("datagram of {len} byte(s) is shorter than the {needed}-byte header")]
    TooShort {
        /// Bytes received.
        len: usize,
        /// Bytes a header needs.
        needed: usize,
    },
    /// A number no call has.
    #[error("unknown call number {number:#x} from {pid}:{tid}")]
    UnknownCall {
        /// The number on the wire.
        number: u32,
        /// The sender's claimed process id.
        pid: i32,
        /// The sender's claimed thread id.
        tid: i32,
    },
    /// The right call, the wrong size.
    #[error("`{call}` {what} of {len} byte(s); expected {expected}")]
    WrongLength {
        /// The call's name.
        call: &'static str,
        /// `call` or `reply`.
        what: &'static str,
        /// Bytes received.
        len: usize,
        /// Bytes the call's struct has.
        expected: String,
    },
    /// A protocol-hash trailer without its magic.
    #[error(
        "`{call}` call ends in a {len}-byte trailer that is not a protocol-hash trailer (magic {magic:#018x})"
    )]
    BadTrailer {
        /// The call's name.
        call: &'static str,
        /// Trailer bytes.
        len: usize,
        /// What stood where the magic should be.
        magic: u64,
    },
    /// A `bool` byte other than 0 or 1.
    #[error("`{call}` field `{field}` is a bool holding {value}")]
    BadBool {
        /// The call's name.
        call: &'static str,
        /// The field.
        field: &'static str,
        /// The byte.
        value: u8,
    },
    /// A descriptor index that names no received descriptor, or one already named.
    #[error("`{call}` field `{field}` names descriptor #{index}, but {received} descriptor(s) arrived")]
    BadFdIndex {
        /// The call's name.
        call: &'static str,
        /// The field.
        field: &'static str,
        /// The index on the wire.
        index: i32,
        /// How many descriptors came with the datagram.
        received: usize,
    },
    /// Two fields name the same descriptor.
    #[error("`{call}` field `{field}` names descriptor #{index} a second time")]
    DuplicateFdIndex {
        /// The call's name.
        call: &'static str,
        /// The field.
        field: &'static str,
        /// The index.
        index: i32,
    },
    /// More descriptors arrived than the body names.
    #[error("`{call}` {what} came with {received} descriptor(s), but its body names {named}")]
    ExtraFds {
        /// The call's name.
        call: &'static str,
        /// `call` or `reply`.
        what: &'static str,
        /// Received.
        received: usize,
        /// Named by the body.
        named: usize,
    },
    /// A reply to another call.
    #[error("reply for call number {number:#x} while waiting for `{call}`")]
    UnexpectedReply {
        /// The call being waited for.
        call: &'static str,
        /// The number the reply carries.
        number: u32,
    },
    /// The datagram did not fit the receive buffer.
    #[error("datagram larger than the {capacity}-byte receive buffer")]
    Truncated {
        /// The buffer's size.
        capacity: usize,
    },
}

/// Why a call made with the Rust [`Client`](super::Client) failed before a status arrived.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// A socket operation failed.
    #[error("`{call}`: {operation} {peer} failed: {}", errno_name(*.errno as i32))]
    Socket {
        /// The call's name.
        call: &'static str,
        /// `sending to` or `receiving from`.
        operation: &'static str,
        /// The server's socket path, or `the server` for a connected socket.
        peer: String,
        /// The errno.
        errno: Errno,
    },
    /// The reply was malformed.
    #[error("`{call}`: bad reply from {peer}: {error}")]
    BadReply {
        /// The call's name.
        call: &'static str,
        /// The server's socket path.
        peer: String,
        /// What was wrong.
        error: DecodeError,
    },
}

/// The name of a (positive) Linux errno value, like `ENOENT`, or `errno 4242` for unknown ones.
pub fn errno_name(errno: i32) -> String {
    match crate::errno::linux_name(errno) {
        Some(name) => name.to_string(),
        None => format!("errno {errno}"),
    }
}

/// A status as the wrappers return it, rendered for people: `0`, `ENOENT (2)`, `-EPIPE (-32)`.
pub fn status_name(code: i32) -> String {
    match code {
        0 => "0".to_string(),
        c if c > 0 => format!("{} ({c})", errno_name(c)),
        c => format!("-{} ({c})", errno_name(c.saturating_neg())),
    }
}

/// Wraps a status for `Display`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status(pub i32);

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&status_name(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_errnos() {
        assert_eq!(errno_name(2), "ENOENT");
        assert_eq!(status_name(-32), "-EPIPE (-32)");
        assert_eq!(status_name(0), "0");
        assert_eq!(errno_name(4242), "errno 4242");
    }
}
