//! Stage 3's output: the plain-data model every emitter reads.
//!
//! Everything an emitter needs is decided here: names in every spelling, call numbers, resolved
//! wire types, flags, the XNU trap names, and (through [`Call::call_layout`] and friends) the C
//! layout of every wire struct per target. Once a model exists, emitters cannot fail.

use codegen::Names;
use codegen::layout::{Layout, Prim, StructBuilder, StructLayout, Target};

/// The special call number of a server-to-client call (`0x52cca11`, "s2c call").
pub const CALLNUM_S2C: u32 = 0x052c_ca11;
/// The special call number of a pushed-back reply (`0xbadca11`, "bad call").
pub const CALLNUM_PUSH_REPLY: u32 = 0x0bad_ca11;
/// The bit set in the number of every `UNMANAGED_CALL`.
pub const UNMANAGED_FLAG: u32 = 0x8000_0000;
/// `sizeof(dserver_rpc_callhdr_t)`.
pub const CALL_HEADER_SIZE: u64 = 16;
/// `sizeof(dserver_rpc_replyhdr_t)`.
pub const REPLY_HEADER_SIZE: u64 = 8;
/// The magic that opens the protocol-hash trailer a `SEND_PROTOCOL_HASH` call appends: the bytes
/// `dsrvhash` read as a little-endian `uint64_t`.
pub const PROTOCOL_HASH_MAGIC: u64 = u64::from_le_bytes(*b"dsrvhash");
/// `sizeof(dserver_rpc_protocol_trailer_t)`: the magic, then the hash.
pub const PROTOCOL_TRAILER_SIZE: u64 = 16;

/// A whole interface: one `.rpc` file, checked and lowered.
#[derive(Debug, Clone)]
pub struct Interface {
    /// The source path as shown in preambles and diagnostics (`defs/rpc/darlingserver.rpc`).
    pub source: String,
    /// The file's `//!` documentation.
    pub doc: Vec<String>,
    /// Groups in file order.
    pub groups: Vec<Group>,
    /// Calls in file order; `calls[i].index == i + 1`.
    pub calls: Vec<Call>,
    /// Records (structs carried through descriptors) in file order.
    pub records: Vec<Record>,
    /// The canonical text of the call table that [`Interface::protocol_hash`] hashes.
    pub canonical_table: String,
    /// FNV-1a (64-bit) of [`Interface::canonical_table`].
    pub protocol_hash: u64,
}

/// A `group`.
#[derive(Debug, Clone)]
pub struct Group {
    /// The title.
    pub title: String,
    /// Its `///` documentation.
    pub doc: Vec<String>,
}

/// One call.
#[derive(Debug, Clone)]
pub struct Call {
    /// `uidgid` / `uidgid` / `uidgid` (function-style names).
    pub names: Names,
    /// The type-style spelling: Rust `Uidgid`, `MachPortAllocate`.
    pub type_names: Names,
    /// Position in the file, from 1.
    pub index: u32,
    /// The wire number: the index, with [`UNMANAGED_FLAG`] for unmanaged calls.
    pub number: u32,
    /// The flags.
    pub flags: Flags,
    /// `///` documentation.
    pub doc: Vec<String>,
    /// Index into [`Interface::groups`].
    pub group: Option<usize>,
    /// What the caller sends.
    pub params: Vec<Param>,
    /// What the server replies with.
    pub returns: Vec<Param>,
    /// For XNU traps: the kernel function and argument structure names.
    pub trap: Option<TrapNames>,
}

/// The server-side names of an XNU trap, as the `XNU_TRAP_*` modifiers make them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrapNames {
    /// The kernel function (`_kernelrpc_mach_port_allocate_trap`).
    pub function: String,
    /// Its argument structure (`_kernelrpc_mach_port_allocate_args`).
    pub args_struct: String,
}

/// A record declared with `struct`, natural C layout (no alignment attributes).
#[derive(Debug, Clone)]
pub struct Record {
    /// `debug_process`; C `dserver_debug_process_t`; Rust `DebugProcess`.
    pub names: Names,
    /// `///` documentation.
    pub doc: Vec<String>,
    /// Index into [`Interface::groups`].
    pub group: Option<usize>,
    /// The fields (never descriptors).
    pub fields: Vec<Param>,
}

/// A parameter, return value or record field.
#[derive(Debug, Clone)]
pub struct Param {
    /// The name: C keeps it, Rust gets snake case.
    pub names: Names,
    /// `///` documentation.
    pub doc: Vec<String>,
    /// A value or a descriptor.
    pub kind: ParamKind,
}

/// What a parameter carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamKind {
    /// A value: the public C type callers see, and the type on the wire.
    Value {
        /// The public C type.
        public: CType,
        /// The wire type.
        wire: Wire,
    },
    /// `@fd`: an `int` for callers, an `int32_t` index on the wire, the descriptor in `SCM_RIGHTS`.
    Fd,
}

impl Param {
    /// The wire type (`int32_t` for a descriptor's index).
    pub fn wire(&self) -> Wire {
        match &self.kind {
            ParamKind::Value { wire, .. } => *wire,
            ParamKind::Fd => Wire::I32,
        }
    }

    /// Whether this is an `@fd`.
    pub fn is_fd(&self) -> bool {
        self.kind == ParamKind::Fd
    }

    /// The public C type (`int` for a descriptor).
    pub fn public_c(&self) -> String {
        match &self.kind {
            ParamKind::Value { public, .. } => public.spelling(),
            ParamKind::Fd => "int".to_string(),
        }
    }

    /// Whether the public type is a pointer (so it travels as an address).
    pub fn is_pointer(&self) -> bool {
        matches!(&self.kind, ParamKind::Value { public, .. } if public.pointers > 0)
    }

    /// The C field type with the alignment attribute that keeps wire layouts equal on every target.
    pub fn wire_field_c(&self) -> String {
        let wire = self.wire();
        let attr = if wire.size() == 8 { " __attribute__((aligned(8)))" } else { "" };
        format!("{} {}{attr}", wire.c_name(), self.names.c)
    }

    /// The spelling in the DSL, for the canonical table.
    pub fn source_type(&self) -> String {
        match &self.kind {
            ParamKind::Fd => "@fd".to_string(),
            ParamKind::Value { public, wire } => {
                let public = public.spelling();
                if public == wire.c_name() { public } else { format!("{public} as {}", wire.c_name()) }
            }
        }
    }
}

/// A public C type: `[const] base *...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CType {
    /// `const` before the base.
    pub is_const: bool,
    /// The base type name.
    pub base: String,
    /// Number of `*`.
    pub pointers: usize,
}

impl CType {
    /// `const char*`.
    pub fn spelling(&self) -> String {
        let konst = if self.is_const { "const " } else { "" };
        format!("{konst}{}{}", self.base, "*".repeat(self.pointers))
    }
}

/// The C base types a public type may name: what `<sys/types.h>`, `<stdint.h>` and `<stdbool.h>`
/// declare, which is all the generated header includes.
pub const PUBLIC_BASE_TYPES: &[&str] = &[
    "void",
    "char",
    "short",
    "int",
    "long",
    "bool",
    "int8_t",
    "uint8_t",
    "int16_t",
    "uint16_t",
    "int32_t",
    "uint32_t",
    "int64_t",
    "uint64_t",
    "size_t",
    "ssize_t",
    "pid_t",
    "uid_t",
    "gid_t",
    "off_t",
    "intptr_t",
    "uintptr_t",
];

/// A type that may cross the wire: `bool` or a fixed-size integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Wire {
    /// `bool` (one byte, 0 or 1).
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

impl Wire {
    /// Every wire type, in the order messages list them.
    pub const ALL: [Wire; 9] =
        [Wire::Bool, Wire::I8, Wire::U8, Wire::I16, Wire::U16, Wire::I32, Wire::U32, Wire::I64, Wire::U64];

    /// The wire type a C name denotes.
    pub fn from_c_name(name: &str) -> Option<Wire> {
        Wire::ALL.into_iter().find(|w| w.c_name() == name)
    }

    /// The C spelling.
    pub fn c_name(self) -> &'static str {
        match self {
            Wire::Bool => "bool",
            Wire::I8 => "int8_t",
            Wire::U8 => "uint8_t",
            Wire::I16 => "int16_t",
            Wire::U16 => "uint16_t",
            Wire::I32 => "int32_t",
            Wire::U32 => "uint32_t",
            Wire::I64 => "int64_t",
            Wire::U64 => "uint64_t",
        }
    }

    /// The Rust spelling.
    pub fn rust_name(self) -> &'static str {
        match self {
            Wire::Bool => "bool",
            Wire::I8 => "i8",
            Wire::U8 => "u8",
            Wire::I16 => "i16",
            Wire::U16 => "u16",
            Wire::I32 => "i32",
            Wire::U32 => "u32",
            Wire::I64 => "i64",
            Wire::U64 => "u64",
        }
    }

    /// Size in bytes.
    pub fn size(self) -> u64 {
        match self {
            Wire::Bool | Wire::I8 | Wire::U8 => 1,
            Wire::I16 | Wire::U16 => 2,
            Wire::I32 | Wire::U32 => 4,
            Wire::I64 | Wire::U64 => 8,
        }
    }

    /// Whether the type is a signed integer.
    pub fn is_signed(self) -> bool {
        matches!(self, Wire::I8 | Wire::I16 | Wire::I32 | Wire::I64)
    }

    fn prim(self) -> Prim {
        match self {
            Wire::Bool => Prim::Bool,
            Wire::I8 => Prim::I8,
            Wire::U8 => Prim::U8,
            Wire::I16 => Prim::I16,
            Wire::U16 => Prim::U16,
            Wire::I32 => Prim::I32,
            Wire::U32 => Prim::U32,
            Wire::I64 => Prim::I64,
            Wire::U64 => Prim::U64,
        }
    }

    /// The layout of a wire-struct field: natural, except that 64-bit members are 8-aligned on
    /// every target (`__attribute__((aligned(8)))`), so i386 and x86_64 agree.
    pub fn field_layout(self, target: Target) -> Layout {
        let layout = target.prim(self.prim());
        if self.size() == 8 { layout.aligned(8) } else { layout }
    }

    /// The natural layout, as in a record.
    pub fn natural_layout(self, target: Target) -> Layout {
        target.prim(self.prim())
    }
}

/// The flag bits, with the values darlingserver's generator gave them.
pub mod flag {
    /// The call is an XNU trap whose server side can be generated.
    pub const XNU_TRAP_CALL: u32 = 1 << 0;
    /// The trap has no `_kernelrpc_` prefix on the server side.
    pub const XNU_TRAP_NOPREFIX: u32 = 1 << 1;
    /// The trap has no `_trap` suffix on the server side.
    pub const XNU_TRAP_NOSUFFIX: u32 = 1 << 2;
    /// The trap's argument structure has no `_trap` suffix.
    pub const XNU_TRAP_NOSUFFIX_ARGS: u32 = 1 << 3;
    /// The trap is a BSD syscall: a status and one return value.
    pub const XNU_TRAP_BSD: u32 = 1 << 4;
    /// The server defines the trap's handler itself.
    pub const XNU_TRAP_NO_DTAPE_DEF: u32 = 1 << 5;
    /// The call may come from a process the server does not manage.
    pub const UNMANAGED_CALL: u32 = 1 << 6;
    /// Signals may interrupt the call.
    pub const ALLOW_INTERRUPTIONS: u32 = 1 << 7;
    /// Unexpected replies are pushed back to the server instead of failing the call.
    pub const PUSH_UNKNOWN_REPLIES: u32 = 1 << 8;
    /// Shorthand for the five flags of a BSD trap.
    pub const XNU_BSD_TRAP_CALL: u32 =
        XNU_TRAP_CALL | XNU_TRAP_NOPREFIX | XNU_TRAP_NOSUFFIX | XNU_TRAP_NOSUFFIX_ARGS | XNU_TRAP_BSD;
    /// rpc-gen's own: the call appends the protocol-hash trailer (see `PROTOCOL_HASH_MAGIC`).
    /// Not one of darlingserver's flags; it changes nothing for clients that do not know it.
    pub const SEND_PROTOCOL_HASH: u32 = 1 << 16;

    /// Every flag name a `flags(...)` list accepts, with its bits.
    pub const NAMES: &[(&str, u32)] = &[
        ("XNU_TRAP_CALL", XNU_TRAP_CALL),
        ("XNU_TRAP_NOPREFIX", XNU_TRAP_NOPREFIX),
        ("XNU_TRAP_NOSUFFIX", XNU_TRAP_NOSUFFIX),
        ("XNU_TRAP_NOSUFFIX_ARGS", XNU_TRAP_NOSUFFIX_ARGS),
        ("XNU_TRAP_BSD", XNU_TRAP_BSD),
        ("XNU_TRAP_NO_DTAPE_DEF", XNU_TRAP_NO_DTAPE_DEF),
        ("XNU_BSD_TRAP_CALL", XNU_BSD_TRAP_CALL),
        ("UNMANAGED_CALL", UNMANAGED_CALL),
        ("ALLOW_INTERRUPTIONS", ALLOW_INTERRUPTIONS),
        ("PUSH_UNKNOWN_REPLIES", PUSH_UNKNOWN_REPLIES),
        ("SEND_PROTOCOL_HASH", SEND_PROTOCOL_HASH),
    ];

    /// The bits a flag name stands for.
    pub fn bits(name: &str) -> Option<u32> {
        NAMES.iter().find(|(n, _)| *n == name).map(|(_, b)| *b)
    }
}

/// A call's flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Flags {
    /// The union of the flag bits (see [`flag`]).
    pub bits: u32,
}

impl Flags {
    /// Whether every bit of `bits` is set.
    pub fn has(self, bits: u32) -> bool {
        self.bits & bits == bits
    }

    /// The names of the single flags set, in [`flag::NAMES`] order (shorthands left out).
    pub fn names(self) -> Vec<&'static str> {
        flag::NAMES
            .iter()
            .filter(|(n, b)| *n != "XNU_BSD_TRAP_CALL" && self.bits & b != 0)
            .map(|(n, _)| *n)
            .collect()
    }
}

impl Call {
    /// The body of `dserver_call_<name>_t`, `None` when the call has no parameters.
    pub fn call_body(&self, target: Target) -> Option<StructLayout> {
        wire_body(&self.params, target)
    }

    /// The body of `dserver_reply_<name>_t`, `None` when nothing is replied.
    pub fn reply_body(&self, target: Target) -> Option<StructLayout> {
        wire_body(&self.returns, target)
    }

    /// `dserver_rpc_call_<name>_t`: the header, then the body.
    pub fn call_layout(&self, target: Target) -> StructLayout {
        message(Layout::new(CALL_HEADER_SIZE, 4), self.call_body(target))
    }

    /// `dserver_rpc_reply_<name>_t`: the header, then the body.
    pub fn reply_layout(&self, target: Target) -> StructLayout {
        message(Layout::new(REPLY_HEADER_SIZE, 4), self.reply_body(target))
    }

    /// How many descriptors the call carries at most.
    pub fn call_fd_count(&self) -> usize {
        self.params.iter().filter(|p| p.is_fd()).count()
    }

    /// How many descriptors the reply carries at most.
    pub fn reply_fd_count(&self) -> usize {
        self.returns.iter().filter(|p| p.is_fd()).count()
    }

    /// The C enumerator (`dserver_callnum_uidgid`).
    pub fn c_callnum(&self) -> String {
        format!("dserver_callnum_{}", self.names.c)
    }

    /// Whether the call has this flag.
    pub fn has(&self, bits: u32) -> bool {
        self.flags.has(bits)
    }
}

impl Record {
    /// The natural layout on `target`.
    pub fn layout(&self, target: Target) -> StructLayout {
        let mut b = StructBuilder::new();
        for f in &self.fields {
            b.field(f.names.c.clone(), f.wire().natural_layout(target));
        }
        b.finish()
    }

    /// The C typedef name (`dserver_debug_process_t`).
    pub fn c_type(&self) -> String {
        format!("dserver_{}_t", self.names.c)
    }
}

fn wire_body(params: &[Param], target: Target) -> Option<StructLayout> {
    if params.is_empty() {
        return None;
    }
    let mut b = StructBuilder::new();
    for p in params {
        b.field(p.names.c.clone(), p.wire().field_layout(target));
    }
    Some(b.finish())
}

fn message(header: Layout, body: Option<StructLayout>) -> StructLayout {
    let mut b = StructBuilder::new();
    b.field("header", header);
    if let Some(body) = body {
        b.field("body", body.layout());
    }
    b.finish()
}

impl Interface {
    /// `max(sizeof(dserver_rpc_call_X_t))` over every call, on `target`.
    pub fn call_max_length(&self, target: Target) -> u64 {
        self.calls.iter().map(|c| c.call_layout(target).size).max().unwrap_or(CALL_HEADER_SIZE)
    }

    /// `max(sizeof(dserver_rpc_reply_X_t))` over every call, on `target`.
    pub fn reply_max_length(&self, target: Target) -> u64 {
        self.calls.iter().map(|c| c.reply_layout(target).size).max().unwrap_or(REPLY_HEADER_SIZE)
    }

    /// The most descriptors any call carries.
    pub fn call_max_fd_count(&self) -> usize {
        self.calls.iter().map(Call::call_fd_count).max().unwrap_or(0)
    }

    /// The most descriptors any reply carries.
    pub fn reply_max_fd_count(&self) -> usize {
        self.calls.iter().map(Call::reply_fd_count).max().unwrap_or(0)
    }
}

/// FNV-1a, 64-bit: small, fixed and documented, so anyone can recompute the protocol hash from
/// the canonical table printed in the generated header.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}
