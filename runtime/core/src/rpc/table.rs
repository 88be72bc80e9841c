//! The shape of the call table rpc-gen generates (`wire::CALLS`): one [`CallInfo`] per call.
//!
//! Validation, the traffic decoder and error messages are written once against this table instead
//! of once per call, so every call gets the same checks and the same rendering.

/// A wire type: `bool` or a fixed-size integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireType {
    /// `bool`.
    Bool,
    /// `int8_t`.
    I8,
    /// `uint8_t`.
    U8,
    /// `int16_t`.
    I16,
    /// `uint16_t`.
    U16,
    /// `int32_t`.
    I32,
    /// `uint32_t`.
    U32,
    /// `int64_t`.
    I64,
    /// `uint64_t`.
    U64,
}

impl WireType {
    /// Size in bytes.
    pub const fn size(self) -> usize {
        match self {
            WireType::Bool | WireType::I8 | WireType::U8 => 1,
            WireType::I16 | WireType::U16 => 2,
            WireType::I32 | WireType::U32 => 4,
            WireType::I64 | WireType::U64 => 8,
        }
    }
}

/// What a field carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// A plain value.
    Value,
    /// An address in the caller's memory (a pointer on the C side), shown in hex.
    Pointer,
    /// A descriptor: the wire holds its index among the message's `SCM_RIGHTS`, or -1.
    Fd,
}

/// One field of a call or reply body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldInfo {
    /// The name as written in the `.rpc` file.
    pub name: &'static str,
    /// Its wire type.
    pub wire: WireType,
    /// Value, pointer or descriptor.
    pub kind: FieldKind,
    /// Offset from the start of the whole message (header included), as `offsetof` gives it.
    pub offset: usize,
}

/// The server-side names of an XNU trap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrapInfo {
    /// The kernel function (`_kernelrpc_mach_port_allocate_trap`).
    pub function: &'static str,
    /// Its argument structure (`_kernelrpc_mach_port_allocate_args`).
    pub args_struct: &'static str,
}

/// Everything the runtime knows about one call without generated code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallInfo {
    /// The call's name (`uidgid`).
    pub name: &'static str,
    /// Its position in the `.rpc` file, from 1.
    pub index: u32,
    /// Its number on the wire (the index, with the unmanaged bit for unmanaged calls).
    pub number: u32,
    /// Its flag bits (see `wire::flags`).
    pub flags: u32,
    /// `sizeof(dserver_rpc_call_<name>_t)`.
    pub call_size: usize,
    /// `sizeof(dserver_rpc_reply_<name>_t)`.
    pub reply_size: usize,
    /// The call body's fields.
    pub params: &'static [FieldInfo],
    /// The reply body's fields.
    pub returns: &'static [FieldInfo],
    /// For XNU traps, the kernel-side names.
    pub trap: Option<TrapInfo>,
}

impl CallInfo {
    /// Whether every bit of `flags` is set.
    pub const fn has(&self, flags: u32) -> bool {
        self.flags & flags == flags
    }

    /// How many descriptor fields the call body has.
    pub fn call_fd_fields(&self) -> usize {
        self.params.iter().filter(|f| f.kind == FieldKind::Fd).count()
    }

    /// How many descriptor fields the reply body has.
    pub fn reply_fd_fields(&self) -> usize {
        self.returns.iter().filter(|f| f.kind == FieldKind::Fd).count()
    }
}

/// The layout of one generated `#[repr(C)]` struct as the Rust compiler laid it out (`size_of`,
/// `offset_of!`), so tests can hold it against the C compiler's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StructLayoutInfo {
    /// The C name (`dserver_rpc_call_uidgid_t`).
    pub c_name: &'static str,
    /// `size_of`.
    pub size: usize,
    /// Each field's name and offset from the start of the struct (for message structs, body fields
    /// are measured from the start of the message, as the C `offsetof(..., body.field)`).
    pub fields: &'static [(&'static str, usize)],
}
