//! Turning a received datagram and its descriptors into a validated call or reply.
//!
//! All checks are table-driven (see [`CallInfo`]): exact length, `bool` bytes, descriptor indices
//! against the descriptors that arrived, no descriptor left over. Whatever is rejected is dropped
//! with its descriptors closed (they are [`OwnedFd`]s), so a malformed datagram leaks nothing.

use std::os::fd::OwnedFd;

use super::codec;
use super::error::DecodeError;
use super::header::{CALL_HEADER_SIZE, CallHeader, REPLY_HEADER_SIZE, ReplyHeader};
use super::table::{CallInfo, FieldInfo, FieldKind, WireType};
use super::wire::{self, callnum, flags};

/// The most descriptors a pushed-back reply may carry.
pub const PUSH_REPLY_MAX_FDS: usize = 8;

/// A datagram a client sent the server.
#[derive(Debug)]
pub enum Incoming {
    /// One of the calls of the table.
    Call(IncomingCall),
    /// `dserver_callnum_push_reply`: a reply the client received while waiting for another
    /// (see `PUSH_UNKNOWN_REPLIES`), handed back for later delivery.
    PushReply(PushReply),
    /// The client's answer to a server-to-client call (`dserver_callnum_s2c`).
    S2cReply(S2cReply),
}

/// A validated call.
#[derive(Debug)]
pub struct IncomingCall {
    /// The call.
    pub info: &'static CallInfo,
    /// Its header.
    pub header: CallHeader,
    /// The call struct's bytes (header included, trailer excluded).
    pub bytes: Vec<u8>,
    /// The hash a `SEND_PROTOCOL_HASH` call appended, `None` if it came without (an older client).
    pub protocol_hash: Option<u64>,
    fds: Vec<Option<OwnedFd>>,
}

/// `dserver_rpc_call_push_reply_t`, with the descriptors of the pushed reply.
#[derive(Debug)]
pub struct PushReply {
    /// Its header.
    pub header: CallHeader,
    /// Where the reply sits in the client's memory.
    pub reply_address: u64,
    /// How long it is.
    pub reply_size: u64,
    /// The reply's descriptors, forwarded.
    pub fds: Vec<OwnedFd>,
}

/// A client's answer to a server-to-client call; its layout is `rpc-supplement.h`'s business.
#[derive(Debug)]
pub struct S2cReply {
    /// The header (pid, tid and architecture sit where a call header has them).
    pub header: CallHeader,
    /// The whole datagram.
    pub bytes: Vec<u8>,
    /// Descriptors that came with it.
    pub fds: Vec<OwnedFd>,
}

/// `sizeof(dserver_rpc_call_push_reply_t)`.
pub const PUSH_REPLY_SIZE: usize = 32;
/// `sizeof(dserver_s2c_replyhdr_t)`.
pub const S2C_REPLY_HEADER_SIZE: usize = 20;

impl Incoming {
    /// Parses and validates a datagram the server received.
    pub fn parse(bytes: &[u8], fds: Vec<OwnedFd>) -> Result<Incoming, DecodeError> {
        let header = CallHeader::read(bytes)
            .ok_or(DecodeError::TooShort { len: bytes.len(), needed: CALL_HEADER_SIZE })?;
        match header.number {
            callnum::PUSH_REPLY => {
                if bytes.len() != PUSH_REPLY_SIZE {
                    return Err(wrong_length("push_reply", "call", bytes.len(), PUSH_REPLY_SIZE.to_string()));
                }
                if fds.len() > PUSH_REPLY_MAX_FDS {
                    return Err(DecodeError::ExtraFds {
                        call: "push_reply",
                        what: "call",
                        received: fds.len(),
                        named: PUSH_REPLY_MAX_FDS,
                    });
                }
                Ok(Incoming::PushReply(PushReply {
                    header,
                    reply_address: codec::read_u64(bytes, 16),
                    reply_size: codec::read_u64(bytes, 24),
                    fds,
                }))
            }
            callnum::S2C => {
                if bytes.len() < S2C_REPLY_HEADER_SIZE {
                    return Err(DecodeError::TooShort { len: bytes.len(), needed: S2C_REPLY_HEADER_SIZE });
                }
                Ok(Incoming::S2cReply(S2cReply { header, bytes: bytes.to_vec(), fds }))
            }
            number => {
                let info = wire::call_by_number(number).ok_or(DecodeError::UnknownCall {
                    number,
                    pid: header.pid,
                    tid: header.tid,
                })?;
                let (body, protocol_hash) = split_trailer(info, bytes)?;
                let fds = validate(info, info.params, "call", body, fds)?;
                Ok(Incoming::Call(IncomingCall { info, header, bytes: body.to_vec(), protocol_hash, fds }))
            }
        }
    }
}

impl IncomingCall {
    /// Takes the descriptor of the `slot`th descriptor field (in declaration order), if one came.
    pub fn take_fd(&mut self, slot: usize) -> Option<OwnedFd> {
        self.fds.get_mut(slot).and_then(Option::take)
    }

    /// How the call reads in a log: `uidgid(new_uid=-1, new_gid=-1)`.
    pub fn describe(&self) -> String {
        super::decode::describe_fields(self.info.name, self.info.params, &self.bytes)
    }
}

/// A validated reply, as a client receives it.
#[derive(Debug)]
pub struct ReceivedReply {
    /// The call it answers.
    pub info: &'static CallInfo,
    /// The status.
    pub code: i32,
    /// The reply struct's bytes (header included).
    pub bytes: Vec<u8>,
    fds: Vec<Option<OwnedFd>>,
}

impl ReceivedReply {
    /// Validates `bytes` as the reply to `info`.
    pub fn parse(
        info: &'static CallInfo,
        bytes: &[u8],
        fds: Vec<OwnedFd>,
    ) -> Result<ReceivedReply, DecodeError> {
        let header = ReplyHeader::read(bytes)
            .ok_or(DecodeError::TooShort { len: bytes.len(), needed: REPLY_HEADER_SIZE })?;
        if header.number != info.number {
            return Err(DecodeError::UnexpectedReply { call: info.name, number: header.number });
        }
        if bytes.len() != info.reply_size {
            return Err(wrong_length(info.name, "reply", bytes.len(), info.reply_size.to_string()));
        }
        let fds = validate(info, info.returns, "reply", bytes, fds)?;
        Ok(ReceivedReply { info, code: header.code, bytes: bytes.to_vec(), fds })
    }

    /// Takes the descriptor of the `slot`th descriptor field, if one came.
    pub fn take_fd(&mut self, slot: usize) -> Option<OwnedFd> {
        self.fds.get_mut(slot).and_then(Option::take)
    }
}

fn wrong_length(call: &'static str, what: &'static str, len: usize, expected: String) -> DecodeError {
    DecodeError::WrongLength { call, what, len, expected }
}

/// Splits off the protocol-hash trailer of a `SEND_PROTOCOL_HASH` call.
fn split_trailer<'a>(
    info: &'static CallInfo,
    bytes: &'a [u8],
) -> Result<(&'a [u8], Option<u64>), DecodeError> {
    let size = info.call_size;
    let trailer = wire::PROTOCOL_TRAILER_SIZE;
    let takes_trailer = info.has(flags::SEND_PROTOCOL_HASH);
    if bytes.len() == size {
        return Ok((bytes, None));
    }
    if takes_trailer && bytes.len() == size + trailer {
        let (body, tail) = bytes.split_at(size);
        let magic = codec::read_u64(tail, 0);
        if magic != wire::PROTOCOL_HASH_MAGIC {
            return Err(DecodeError::BadTrailer { call: info.name, len: trailer, magic });
        }
        return Ok((body, Some(codec::read_u64(tail, 8))));
    }
    let expected = if takes_trailer { format!("{size} or {}", size + trailer) } else { size.to_string() };
    Err(wrong_length(info.name, "call", bytes.len(), expected))
}

/// Checks `bool`s and descriptor indices, and hands each descriptor field its descriptor.
fn validate(
    info: &'static CallInfo,
    fields: &'static [FieldInfo],
    what: &'static str,
    bytes: &[u8],
    fds: Vec<OwnedFd>,
) -> Result<Vec<Option<OwnedFd>>, DecodeError> {
    let received = fds.len();
    let mut pool: Vec<Option<OwnedFd>> = fds.into_iter().map(Some).collect();
    let mut slots = Vec::new();
    for field in fields {
        match (field.kind, field.wire) {
            (FieldKind::Fd, _) => {
                let index = codec::read_i32(bytes, field.offset);
                if index < 0 {
                    slots.push(None);
                    continue;
                }
                let bad = DecodeError::BadFdIndex { call: info.name, field: field.name, index, received };
                let entry = usize::try_from(index).ok().and_then(|i| pool.get_mut(i)).ok_or(bad)?;
                let fd = entry.take().ok_or(DecodeError::DuplicateFdIndex {
                    call: info.name,
                    field: field.name,
                    index,
                })?;
                slots.push(Some(fd));
            }
            (_, WireType::Bool) if codec::read_bool_checked(bytes, field.offset).is_none() => {
                return Err(DecodeError::BadBool {
                    call: info.name,
                    field: field.name,
                    value: codec::read_u8(bytes, field.offset),
                });
            }
            _ => {}
        }
    }
    let named = slots.iter().filter(|s| s.is_some()).count();
    if named != received {
        return Err(DecodeError::ExtraFds { call: info.name, what, received, named });
    }
    Ok(slots)
}
