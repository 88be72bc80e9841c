//! The darlingserver wire format as the server reads it: call header, reply header, the `push_reply`
//! call, and little-endian field access at the offsets the C structs put fields at.
//!
//! The per-call structs, names and sizes come from rpc-gen (`darling_core::rpc`); this module only holds
//! what the transport itself needs before a call is identified, so malformed datagrams are rejected
//! here with a message that says what was wrong.

/// `dserver_rpc_callhdr_t`: number, pid, tid, architecture; 16 bytes.
pub const CALL_HEADER_LEN: usize = 16;
/// `dserver_rpc_replyhdr_t`: number, code; 8 bytes.
pub const REPLY_HEADER_LEN: usize = 8;
/// The largest reply body any call has (debug listings: a count and a descriptor index).
pub const MAX_REPLY_LEN: usize = 24;

/// Server-to-client call marker (`dserver_callnum_s2c`).
pub const CALLNUM_S2C: u32 = 0x52c_ca11;
/// A client pushing back a reply it received during a signal handler (`dserver_callnum_push_reply`).
pub const CALLNUM_PUSH_REPLY: u32 = 0xbad_ca11;
/// Calls that need no registered process (`DSERVER_CALL_UNMANAGED_FLAG`).
pub const UNMANAGED_FLAG: u32 = 0x8000_0000;
/// `sizeof(dserver_rpc_call_push_reply_t)`: header, reply pointer, reply size.
pub const PUSH_REPLY_LEN: usize = 32;

/// The status a call that needs Mach IPC answers until the Mach IPC server lands: `'NIMP'`
/// (`0x4e494d50`). Positive like an errno, so clients treat it as the call's failure, and outside
/// every errno and `kern_return_t` range, so it is never mistaken for one. The server logs
/// `not implemented: <call name>` with it.
pub const STATUS_NOT_IMPLEMENTED: i32 = 0x4e49_4d50;

/// A decoded call header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CallHeader {
    pub number: u32,
    pub pid: i32,
    pub tid: i32,
    pub architecture: u32,
}

impl CallHeader {
    pub fn parse(data: &[u8]) -> Option<Self> {
        if data.len() < CALL_HEADER_LEN {
            return None;
        }
        Some(Self {
            number: u32_at(data, 0),
            pid: i32_at(data, 4),
            tid: i32_at(data, 8),
            architecture: u32_at(data, 12),
        })
    }
}

pub fn u8_at(data: &[u8], offset: usize) -> u8 {
    data[offset]
}

pub fn u32_at(data: &[u8], offset: usize) -> u32 {
    u32::from_le_bytes(data[offset..offset + 4].try_into().expect("4 bytes"))
}

pub fn i32_at(data: &[u8], offset: usize) -> i32 {
    u32_at(data, offset) as i32
}

pub fn u64_at(data: &[u8], offset: usize) -> u64 {
    u64::from_le_bytes(data[offset..offset + 8].try_into().expect("8 bytes"))
}

/// A reply being built: header plus body bytes, on the stack.
#[derive(Clone, Copy)]
pub struct ReplyBuf {
    bytes: [u8; REPLY_HEADER_LEN + MAX_REPLY_LEN],
    len: usize,
}

impl ReplyBuf {
    /// A reply of `len` bytes (the call's `sizeof(dserver_rpc_reply_X_t)`), zeroed, with its header.
    pub fn new(number: u32, code: i32, len: usize) -> Self {
        let mut bytes = [0u8; REPLY_HEADER_LEN + MAX_REPLY_LEN];
        let len = len.clamp(REPLY_HEADER_LEN, bytes.len());
        bytes[0..4].copy_from_slice(&number.to_le_bytes());
        bytes[4..8].copy_from_slice(&code.to_le_bytes());
        Self { bytes, len }
    }

    pub fn code(&self) -> i32 {
        i32_at(&self.bytes, 4)
    }

    pub fn set_code(&mut self, code: i32) {
        self.bytes[4..8].copy_from_slice(&code.to_le_bytes());
    }

    pub fn put_u8(&mut self, offset: usize, value: u8) {
        self.bytes[offset] = value;
    }

    pub fn put_u32(&mut self, offset: usize, value: u32) {
        self.bytes[offset..offset + 4].copy_from_slice(&value.to_le_bytes());
    }

    pub fn put_i32(&mut self, offset: usize, value: i32) {
        self.put_u32(offset, value as u32);
    }

    pub fn put_u64(&mut self, offset: usize, value: u64) {
        self.bytes[offset..offset + 8].copy_from_slice(&value.to_le_bytes());
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_round_trip() {
        let mut data = [0u8; 16];
        data[0..4].copy_from_slice(&7u32.to_le_bytes());
        data[4..8].copy_from_slice(&1234i32.to_le_bytes());
        data[8..12].copy_from_slice(&1235i32.to_le_bytes());
        data[12..16].copy_from_slice(&2u32.to_le_bytes());
        assert_eq!(
            CallHeader::parse(&data),
            Some(CallHeader { number: 7, pid: 1234, tid: 1235, architecture: 2 })
        );
        assert_eq!(CallHeader::parse(&data[..15]), None);
        let mut reply = ReplyBuf::new(7, -5, 16);
        reply.put_i32(8, 5);
        assert_eq!(reply.as_bytes().len(), 16);
        assert_eq!(reply.code(), -5);
    }
}
