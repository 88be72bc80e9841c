//! The fixed headers every call and reply start with, and the caller's architecture.

use super::codec;

/// The architecture a caller runs, as `dserver_rpc_architecture_t` numbers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Architecture {
    /// `dserver_rpc_architecture_invalid`.
    Invalid,
    /// 32-bit x86.
    I386,
    /// 64-bit x86.
    X86_64,
    /// 32-bit ARM.
    Arm32,
    /// 64-bit ARM.
    Arm64,
}

impl Architecture {
    /// The architecture a wire value names, `None` for values no client sends.
    pub fn from_raw(raw: u32) -> Option<Architecture> {
        Some(match raw {
            0 => Architecture::Invalid,
            1 => Architecture::I386,
            2 => Architecture::X86_64,
            3 => Architecture::Arm32,
            4 => Architecture::Arm64,
            _ => return None,
        })
    }

    /// The wire value.
    pub fn raw(self) -> u32 {
        match self {
            Architecture::Invalid => 0,
            Architecture::I386 => 1,
            Architecture::X86_64 => 2,
            Architecture::Arm32 => 3,
            Architecture::Arm64 => 4,
        }
    }

    /// The architecture this crate was compiled for.
    pub fn host() -> Architecture {
        if cfg!(target_arch = "x86_64") {
            Architecture::X86_64
        } else if cfg!(target_arch = "x86") {
            Architecture::I386
        } else if cfg!(target_arch = "aarch64") {
            Architecture::Arm64
        } else if cfg!(target_arch = "arm") {
            Architecture::Arm32
        } else {
            Architecture::Invalid
        }
    }

    /// The architecture a wire value names, with values no client sends read as `Invalid` (for the
    /// registry and logs, which must take whatever a check-in says).
    pub fn from_wire(raw: u32) -> Architecture {
        Architecture::from_raw(raw).unwrap_or(Architecture::Invalid)
    }

    /// `x86_64`, `i386`, `arm64`, `arm32` or `invalid`, for logs.
    pub fn name(self) -> &'static str {
        match self {
            Architecture::Invalid => "invalid",
            Architecture::I386 => "i386",
            Architecture::X86_64 => "x86_64",
            Architecture::Arm32 => "arm32",
            Architecture::Arm64 => "arm64",
        }
    }

    /// Whether a process of this architecture uses 64-bit pointers.
    pub fn is_64_bit(self) -> bool {
        matches!(self, Architecture::X86_64 | Architecture::Arm64)
    }
}

/// `dserver_rpc_callhdr_t`: what opens every call (and, at the same offsets, every S2C reply).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CallHeader {
    /// The call number.
    pub number: u32,
    /// The caller's process id (as the caller sees it).
    pub pid: i32,
    /// The caller's thread id.
    pub tid: i32,
    /// The caller's architecture (see [`Architecture`]).
    pub architecture: u32,
}

/// `sizeof(dserver_rpc_callhdr_t)`.
pub const CALL_HEADER_SIZE: usize = 16;
const _: () = assert!(std::mem::size_of::<CallHeader>() == CALL_HEADER_SIZE);

impl CallHeader {
    /// Reads the header at the start of `bytes`, `None` if there are fewer than 16 bytes.
    pub fn read(bytes: &[u8]) -> Option<CallHeader> {
        (bytes.len() >= CALL_HEADER_SIZE).then(|| CallHeader {
            number: codec::read_u32(bytes, 0),
            pid: codec::read_i32(bytes, 4),
            tid: codec::read_i32(bytes, 8),
            architecture: codec::read_u32(bytes, 12),
        })
    }

    /// Writes the header at the start of `bytes`.
    pub fn write(&self, bytes: &mut [u8]) {
        codec::write_u32(bytes, 0, self.number);
        codec::write_i32(bytes, 4, self.pid);
        codec::write_i32(bytes, 8, self.tid);
        codec::write_u32(bytes, 12, self.architecture);
    }

    /// The caller's architecture, if it is one a client sends.
    pub fn arch(&self) -> Option<Architecture> {
        Architecture::from_raw(self.architecture)
    }
}

/// `dserver_rpc_replyhdr_t`: what opens every reply.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReplyHeader {
    /// The number of the call this answers.
    pub number: u32,
    /// The status: 0 success, a positive errno for the call's own failure, negative for an
    /// internal RPC error.
    pub code: i32,
}

/// `sizeof(dserver_rpc_replyhdr_t)`.
pub const REPLY_HEADER_SIZE: usize = 8;
const _: () = assert!(std::mem::size_of::<ReplyHeader>() == REPLY_HEADER_SIZE);

impl ReplyHeader {
    /// Reads the header at the start of `bytes`, `None` if there are fewer than 8 bytes.
    pub fn read(bytes: &[u8]) -> Option<ReplyHeader> {
        (bytes.len() >= REPLY_HEADER_SIZE)
            .then(|| ReplyHeader { number: codec::read_u32(bytes, 0), code: codec::read_i32(bytes, 4) })
    }

    /// Writes the header at the start of `bytes`.
    pub fn write(&self, bytes: &mut [u8]) {
        codec::write_u32(bytes, 0, self.number);
        codec::write_i32(bytes, 4, self.code);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn architectures_round_trip_and_unknown_values_read_as_invalid() {
        for raw in 0..5 {
            let arch = Architecture::from_raw(raw).expect("a known value");
            assert_eq!(arch.raw(), raw);
            assert_eq!(Architecture::from_wire(raw), arch);
        }
        assert_eq!(Architecture::from_raw(5), None);
        assert_eq!(Architecture::from_wire(77), Architecture::Invalid);
        assert_eq!(Architecture::from_wire(1).name(), "i386");
        assert!(Architecture::Arm64.is_64_bit() && !Architecture::I386.is_64_bit());
    }
}
