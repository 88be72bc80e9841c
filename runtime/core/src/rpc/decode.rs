//! The traffic decoder: calls and replies as people read them, for the server's log and for
//! debugging a client.
//!
//! `1234:1234 uidgid(new_uid=-1, new_gid=-1) -> 0 (old_uid=1000, old_gid=1000)`
//!
//! It works from bytes and the call table alone, so it can render anything that went over the
//! socket (say, a captured datagram), not only what the dispatcher accepted.

use std::fmt::{self, Write};

use super::codec;
use super::error::{DecodeError, status_name};
use super::header::{CALL_HEADER_SIZE, CallHeader, REPLY_HEADER_SIZE, ReplyHeader};
use super::table::{CallInfo, FieldInfo, FieldKind, WireType};
use super::wire::{self, callnum};

/// A decoded call datagram.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedCall {
    /// Its header.
    pub header: CallHeader,
    /// The call, `None` for the special numbers (`push_reply`, `s2c`).
    pub info: Option<&'static CallInfo>,
    /// `name(arg=value, ...)`.
    pub text: String,
}

impl fmt::Display for DecodedCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{} {}", self.header.pid, self.header.tid, self.text)
    }
}

/// A decoded reply datagram.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedReply {
    /// Its header.
    pub header: ReplyHeader,
    /// The call it answers.
    pub info: &'static CallInfo,
    /// `-> status (value=..., ...)`.
    pub text: String,
}

impl fmt::Display for DecodedReply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Decodes a call datagram (descriptor indices are shown, not checked).
pub fn call(bytes: &[u8]) -> Result<DecodedCall, DecodeError> {
    let header = CallHeader::read(bytes)
        .ok_or(DecodeError::TooShort { len: bytes.len(), needed: CALL_HEADER_SIZE })?;
    let text = match header.number {
        callnum::PUSH_REPLY => format!(
            "push_reply(reply={:#x}, reply_size={})",
            codec::read_u64(bytes, 16),
            codec::read_u64(bytes, 24)
        ),
        callnum::S2C => format!("s2c_reply({} bytes)", bytes.len()),
        number => {
            let info = wire::call_by_number(number).ok_or(DecodeError::UnknownCall {
                number,
                pid: header.pid,
                tid: header.tid,
            })?;
            if bytes.len() < info.call_size {
                return Err(DecodeError::WrongLength {
                    call: info.name,
                    what: "call",
                    len: bytes.len(),
                    expected: info.call_size.to_string(),
                });
            }
            return Ok(DecodedCall {
                header,
                info: Some(info),
                text: describe_fields(info.name, info.params, bytes),
            });
        }
    };
    Ok(DecodedCall { header, info: None, text })
}

/// Decodes a reply datagram.
pub fn reply(bytes: &[u8]) -> Result<DecodedReply, DecodeError> {
    let header = ReplyHeader::read(bytes)
        .ok_or(DecodeError::TooShort { len: bytes.len(), needed: REPLY_HEADER_SIZE })?;
    let info = wire::call_by_number(header.number).ok_or(DecodeError::UnknownCall {
        number: header.number,
        pid: 0,
        tid: 0,
    })?;
    if bytes.len() != info.reply_size {
        return Err(DecodeError::WrongLength {
            call: info.name,
            what: "reply",
            len: bytes.len(),
            expected: info.reply_size.to_string(),
        });
    }
    Ok(DecodedReply { header, info, text: describe_reply(info, bytes) })
}

/// `name(field=value, ...)` for the fields of a message.
pub fn describe_fields(name: &str, fields: &[FieldInfo], bytes: &[u8]) -> String {
    let mut out = format!("{name}(");
    write_fields(&mut out, fields, bytes);
    out.push(')');
    out
}

/// `-> status` or `-> status (field=value, ...)` for a reply struct.
pub fn describe_reply(info: &CallInfo, bytes: &[u8]) -> String {
    let code = codec::read_i32(bytes, 4);
    let mut out = format!("-> {}", status_name(code));
    if !info.returns.is_empty() {
        out.push_str(" (");
        write_fields(&mut out, info.returns, bytes);
        out.push(')');
    }
    out
}

fn write_fields(out: &mut String, fields: &[FieldInfo], bytes: &[u8]) {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{}=", field.name);
        write_value(out, field, bytes);
    }
}

fn write_value(out: &mut String, field: &FieldInfo, bytes: &[u8]) {
    let o = field.offset;
    let _ = match (field.kind, field.wire) {
        (FieldKind::Fd, _) => match codec::read_i32(bytes, o) {
            i if i < 0 => write!(out, "no fd"),
            i => write!(out, "fd#{i}"),
        },
        (FieldKind::Pointer, _) => write!(out, "{:#x}", codec::read_u64(bytes, o)),
        (_, WireType::Bool) => match codec::read_u8(bytes, o) {
            0 => write!(out, "false"),
            1 => write!(out, "true"),
            v => write!(out, "bool({v})"),
        },
        (_, WireType::I8) => write!(out, "{}", codec::read_i8(bytes, o)),
        (_, WireType::U8) => write!(out, "{}", codec::read_u8(bytes, o)),
        (_, WireType::I16) => write!(out, "{}", codec::read_i16(bytes, o)),
        (_, WireType::U16) => write!(out, "{}", codec::read_u16(bytes, o)),
        (_, WireType::I32) => write!(out, "{}", codec::read_i32(bytes, o)),
        (_, WireType::U32) => write!(out, "{}", codec::read_u32(bytes, o)),
        (_, WireType::I64) => write!(out, "{}", codec::read_i64(bytes, o)),
        (_, WireType::U64) => write!(out, "{}", codec::read_u64(bytes, o)),
    };
}
