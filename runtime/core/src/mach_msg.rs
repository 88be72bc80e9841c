//! The user-space layouts of Mach messages: header, body, descriptors and trailer, for 64-bit and 32-bit
//! clients, plus the bit and type constants that go in them.
//!
//! These are the layouts a client hands to `mach_msg`; the server reads them out of client memory and
//! writes them back. XNU packs message structures to 4 bytes (`#pragma pack(4)`), which is why the 64-bit
//! descriptors are `packed(4)` here, and XNU's 8-bit bitfields are plain `u8` fields in declaration
//! order (GCC and Clang allocate bitfields from the least significant bit on little-endian targets).

/// `mach_port_name_t`: a port name in a task's name space.
pub type PortName = u32;

pub const MACH_PORT_NULL: PortName = 0;
pub const MACH_PORT_DEAD: PortName = !0;

/// `mach_msg_header_t`: the same on every architecture (port names are 32-bit in user space).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MachMsgHeader {
    pub msgh_bits: u32,
    pub msgh_size: u32,
    pub msgh_remote_port: PortName,
    pub msgh_local_port: PortName,
    pub msgh_voucher_port: PortName,
    pub msgh_id: i32,
}

impl MachMsgHeader {
    pub fn remote_disposition(&self) -> u8 {
        (self.msgh_bits & MACH_MSGH_BITS_REMOTE_MASK) as u8
    }

    pub fn local_disposition(&self) -> u8 {
        ((self.msgh_bits & MACH_MSGH_BITS_LOCAL_MASK) >> 8) as u8
    }

    pub fn voucher_disposition(&self) -> u8 {
        ((self.msgh_bits & MACH_MSGH_BITS_VOUCHER_MASK) >> 16) as u8
    }

    pub fn is_complex(&self) -> bool {
        self.msgh_bits & MACH_MSGH_BITS_COMPLEX != 0
    }
}

/// `MACH_MSGH_BITS(remote, local)`.
pub const fn msgh_bits(remote: u8, local: u8) -> u32 {
    remote as u32 | ((local as u32) << 8)
}

pub const MACH_MSGH_BITS_REMOTE_MASK: u32 = 0x0000_001f;
pub const MACH_MSGH_BITS_LOCAL_MASK: u32 = 0x0000_1f00;
pub const MACH_MSGH_BITS_VOUCHER_MASK: u32 = 0x001f_0000;
pub const MACH_MSGH_BITS_COMPLEX: u32 = 0x8000_0000;

/// `mach_msg_body_t`: follows the header of a complex message.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MachMsgBody {
    pub msgh_descriptor_count: u32,
}

/// Port right dispositions (`mach_msg_type_name_t`).
pub mod disposition {
    pub const MACH_MSG_TYPE_MOVE_RECEIVE: u8 = 16;
    pub const MACH_MSG_TYPE_MOVE_SEND: u8 = 17;
    pub const MACH_MSG_TYPE_MOVE_SEND_ONCE: u8 = 18;
    pub const MACH_MSG_TYPE_COPY_SEND: u8 = 19;
    pub const MACH_MSG_TYPE_MAKE_SEND: u8 = 20;
    pub const MACH_MSG_TYPE_MAKE_SEND_ONCE: u8 = 21;
    pub const MACH_MSG_TYPE_COPY_RECEIVE: u8 = 22;
    pub const MACH_MSG_TYPE_DISPOSE_RECEIVE: u8 = 24;
    pub const MACH_MSG_TYPE_DISPOSE_SEND: u8 = 25;
    pub const MACH_MSG_TYPE_DISPOSE_SEND_ONCE: u8 = 26;

    /// The name of a disposition, for log lines.
    pub fn name(value: u8) -> Option<&'static str> {
        Some(match value {
            MACH_MSG_TYPE_MOVE_RECEIVE => "MACH_MSG_TYPE_MOVE_RECEIVE",
            MACH_MSG_TYPE_MOVE_SEND => "MACH_MSG_TYPE_MOVE_SEND",
            MACH_MSG_TYPE_MOVE_SEND_ONCE => "MACH_MSG_TYPE_MOVE_SEND_ONCE",
            MACH_MSG_TYPE_COPY_SEND => "MACH_MSG_TYPE_COPY_SEND",
            MACH_MSG_TYPE_MAKE_SEND => "MACH_MSG_TYPE_MAKE_SEND",
            MACH_MSG_TYPE_MAKE_SEND_ONCE => "MACH_MSG_TYPE_MAKE_SEND_ONCE",
            MACH_MSG_TYPE_COPY_RECEIVE => "MACH_MSG_TYPE_COPY_RECEIVE",
            MACH_MSG_TYPE_DISPOSE_RECEIVE => "MACH_MSG_TYPE_DISPOSE_RECEIVE",
            MACH_MSG_TYPE_DISPOSE_SEND => "MACH_MSG_TYPE_DISPOSE_SEND",
            MACH_MSG_TYPE_DISPOSE_SEND_ONCE => "MACH_MSG_TYPE_DISPOSE_SEND_ONCE",
            _ => return None,
        })
    }
}

/// Descriptor types (`mach_msg_descriptor_type_t`), the last byte of every descriptor.
pub mod descriptor_type {
    pub const MACH_MSG_PORT_DESCRIPTOR: u8 = 0;
    pub const MACH_MSG_OOL_DESCRIPTOR: u8 = 1;
    pub const MACH_MSG_OOL_PORTS_DESCRIPTOR: u8 = 2;
    pub const MACH_MSG_OOL_VOLATILE_DESCRIPTOR: u8 = 3;
    pub const MACH_MSG_GUARDED_PORT_DESCRIPTOR: u8 = 4;
}

/// Copy options of out-of-line descriptors (`mach_msg_copy_options_t`).
pub mod copy_option {
    pub const MACH_MSG_PHYSICAL_COPY: u8 = 0;
    pub const MACH_MSG_VIRTUAL_COPY: u8 = 1;
    pub const MACH_MSG_ALLOCATE: u8 = 2;
}

/// `mach_msg_port_descriptor_t` (12 bytes on every architecture).
#[repr(C, packed(4))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PortDescriptor {
    pub name: PortName,
    pub pad1: u32,
    pub pad2: u16,
    pub disposition: u8,
    pub descriptor_type: u8,
}

/// `mach_msg_ool_descriptor_t` as a 64-bit client lays it out (16 bytes): the size follows the bitfields.
#[repr(C, packed(4))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OolDescriptor64 {
    pub address: u64,
    pub deallocate: u8,
    pub copy: u8,
    pub pad1: u8,
    pub descriptor_type: u8,
    pub size: u32,
}

/// `mach_msg_ool_descriptor_t` as a 32-bit client lays it out (12 bytes): the size precedes the bitfields.
#[repr(C, packed(4))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OolDescriptor32 {
    pub address: u32,
    pub size: u32,
    pub deallocate: u8,
    pub copy: u8,
    pub pad1: u8,
    pub descriptor_type: u8,
}

/// `mach_msg_ool_ports_descriptor_t`, 64-bit client (16 bytes).
#[repr(C, packed(4))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OolPortsDescriptor64 {
    pub address: u64,
    pub deallocate: u8,
    pub copy: u8,
    pub disposition: u8,
    pub descriptor_type: u8,
    pub count: u32,
}

/// `mach_msg_ool_ports_descriptor_t`, 32-bit client (12 bytes).
#[repr(C, packed(4))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OolPortsDescriptor32 {
    pub address: u32,
    pub count: u32,
    pub deallocate: u8,
    pub copy: u8,
    pub disposition: u8,
    pub descriptor_type: u8,
}

/// `mach_msg_guarded_port_descriptor_t`, 64-bit client (16 bytes): a 16-bit flags bitfield, then the
/// disposition and type bytes, then the name.
#[repr(C, packed(4))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GuardedPortDescriptor64 {
    pub context: u64,
    pub flags: u16,
    pub disposition: u8,
    pub descriptor_type: u8,
    pub name: PortName,
}

/// `mach_msg_guarded_port_descriptor_t`, 32-bit client (12 bytes).
#[repr(C, packed(4))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GuardedPortDescriptor32 {
    pub context: u32,
    pub name: PortName,
    pub flags: u16,
    pub disposition: u8,
    pub descriptor_type: u8,
}

/// `mach_msg_type_descriptor_t`: the common prefix used to read a descriptor's type (12 bytes).
#[repr(C, packed(4))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TypeDescriptor {
    pub pad1: u32,
    pub pad2: u32,
    pub pad3: [u8; 3],
    pub descriptor_type: u8,
}

/// `mach_msg_trailer_t`: the minimal trailer every received message carries.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MachMsgTrailer {
    pub msgh_trailer_type: u32,
    pub msgh_trailer_size: u32,
}

/// `security_token_t` and `audit_token_t`, as the larger trailers carry them.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SecurityToken {
    pub val: [u32; 2],
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AuditToken {
    pub val: [u32; 8],
}

/// `mach_msg_audit_trailer_t`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MachMsgAuditTrailer {
    pub msgh_trailer_type: u32,
    pub msgh_trailer_size: u32,
    pub msgh_seqno: u32,
    pub msgh_sender: SecurityToken,
    pub msgh_audit: AuditToken,
}

pub const MACH_MSG_TRAILER_FORMAT_0: u32 = 0;

/// `NDR_record_t`: the data representation record MIG puts after the header of simple messages.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NdrRecord {
    pub mig_vers: u8,
    pub if_vers: u8,
    pub reserved1: u8,
    pub mig_encoding: u8,
    pub int_rep: u8,
    pub char_rep: u8,
    pub float_rep: u8,
    pub reserved2: u8,
}

/// The record every little-endian ASCII IEEE client sends (`NDR_record` in libmig).
pub const NDR_RECORD: NdrRecord = NdrRecord {
    mig_vers: 0,
    if_vers: 0,
    reserved1: 0,
    mig_encoding: 0,
    int_rep: 1,
    char_rep: 0,
    float_rep: 0,
    reserved2: 0,
};

/// `mach_msg` option bits the server interprets.
pub mod option {
    pub const MACH_SEND_MSG: i32 = 0x0000_0001;
    pub const MACH_RCV_MSG: i32 = 0x0000_0002;
    pub const MACH_RCV_LARGE: i32 = 0x0000_0004;
    pub const MACH_RCV_LARGE_IDENTITY: i32 = 0x0000_0008;
    pub const MACH_SEND_TIMEOUT: i32 = 0x0000_0010;
    pub const MACH_SEND_OVERRIDE: i32 = 0x0000_0020;
    pub const MACH_SEND_INTERRUPT: i32 = 0x0000_0040;
    pub const MACH_SEND_NOTIFY: i32 = 0x0000_0080;
    pub const MACH_RCV_TIMEOUT: i32 = 0x0000_0100;
    pub const MACH_RCV_INTERRUPT: i32 = 0x0000_0400;
    pub const MACH_RCV_VOUCHER: i32 = 0x0000_0800;
    pub const MACH_RCV_OVERWRITE: i32 = 0x0000_1000;
    pub const MACH_SEND_TRAILER: i32 = 0x0002_0000;
}

#[cfg(test)]
mod tests {
    use std::mem::{offset_of, size_of};

    use super::*;

    /// Sizes and offsets as XNU's `<mach/message.h>` gives them under `#pragma pack(4)`.
    #[test]
    fn layouts_match_xnu() {
        assert_eq!(size_of::<MachMsgHeader>(), 24);
        assert_eq!(offset_of!(MachMsgHeader, msgh_id), 20);
        assert_eq!(size_of::<MachMsgBody>(), 4);
        assert_eq!(size_of::<PortDescriptor>(), 12);
        assert_eq!(size_of::<OolDescriptor64>(), 16);
        assert_eq!(offset_of!(OolDescriptor64, size), 12);
        assert_eq!(size_of::<OolDescriptor32>(), 12);
        assert_eq!(size_of::<OolPortsDescriptor64>(), 16);
        assert_eq!(size_of::<OolPortsDescriptor32>(), 12);
        assert_eq!(size_of::<GuardedPortDescriptor64>(), 16);
        assert_eq!(offset_of!(GuardedPortDescriptor64, name), 12);
        assert_eq!(size_of::<GuardedPortDescriptor32>(), 12);
        assert_eq!(size_of::<TypeDescriptor>(), 12);
        assert_eq!(offset_of!(TypeDescriptor, descriptor_type), 11);
        assert_eq!(size_of::<MachMsgTrailer>(), 8);
        assert_eq!(size_of::<MachMsgAuditTrailer>(), 52);
        assert_eq!(size_of::<NdrRecord>(), 8);
        // `mach_port_allocate`'s request (header, NDR, one int) is 36 bytes in the MIG oracle.
        assert_eq!(size_of::<MachMsgHeader>() + size_of::<NdrRecord>() + 4, 36);
    }

    #[test]
    fn header_bits() {
        let header = MachMsgHeader {
            msgh_bits: msgh_bits(
                disposition::MACH_MSG_TYPE_COPY_SEND,
                disposition::MACH_MSG_TYPE_MAKE_SEND_ONCE,
            ) | MACH_MSGH_BITS_COMPLEX,
            ..Default::default()
        };
        assert_eq!(header.remote_disposition(), 19);
        assert_eq!(header.local_disposition(), 21);
        assert!(header.is_complex());
        assert_eq!(disposition::name(header.local_disposition()), Some("MACH_MSG_TYPE_MAKE_SEND_ONCE"));
    }
}
