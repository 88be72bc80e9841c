//! The plain-data model of one MIG interface: what every emitter reads, and what later Rust emitters
//! (server traits, clients, trace decoders) will read too.
//!
//! `check` builds it from the syntax tree; once it exists nothing can fail. Every field is public and
//! documented. Message layouts are computed for one target (`Module::target`) by `layout.rs`, with the
//! rules Apple's MIG uses (see `Message`).

use codegen::{Names, Span, Target};

/// One compiled `.defs` file.
#[derive(Debug, Clone)]
pub struct Module {
    /// The file as named on the command line (or by xtask), for preambles and listings.
    pub source: String,
    /// The target the layouts were computed for.
    pub target: Target,
    /// The `subsystem` statement.
    pub subsystem: Subsystem,
    /// Every routine number from `base`, in order: routines, simple routines and skips.
    pub routines: Vec<Routine>,
    /// Import statements in source order.
    pub imports: Vec<Import>,
    /// `userprefix` (empty if none): prepended to user-side function names.
    pub user_prefix: String,
    /// `serverprefix` (empty if none): prepended to server-side implementation function names.
    pub server_prefix: String,
    /// `serverdemux`: the name of the demux function, if not `<subsystem>_server`.
    pub server_demux: Option<String>,
    /// `rcsid` strings.
    pub rcs_ids: Vec<String>,
    /// `waittime` (the timeout expression user stubs pass to `mach_msg`), if any.
    pub wait_time: Option<String>,
    /// `sendtime`, if any.
    pub send_time: Option<String>,
    /// `msgoption`, if any.
    pub msg_option: Option<String>,
    /// `UseSpecialReplyPort 1`.
    pub use_special_reply_port: bool,
    /// `ConsumeOnSendError` value, if any.
    pub consume_on_send_error: Option<String>,
    /// `UserTypeLimit`, if any.
    pub user_type_limit: Option<u64>,
    /// `OnStackLimit`, if any.
    pub on_stack_limit: Option<u64>,
    /// `error` statement: a function user stubs call on a send/receive error.
    pub error_function: Option<String>,
}

impl Module {
    /// The demux function name: `serverdemux`, else `<server prefix><subsystem>_server`.
    pub fn server_demux_name(&self) -> String {
        self.server_demux.clone().unwrap_or_else(|| format!("{}_server", self.subsystem.name))
    }

    /// The routines that are not skips.
    pub fn real_routines(&self) -> impl Iterator<Item = &Routine> {
        self.routines.iter().filter(|r| r.kind != RoutineKind::Skip)
    }

    /// The largest request over every routine (`sizeof` of the request union).
    pub fn max_request_size(&self) -> u64 {
        self.real_routines().map(|r| r.request.size).max().unwrap_or(0)
    }

    /// The largest reply over every routine (at least `sizeof(mig_reply_error_t)`, 36).
    pub fn max_reply_size(&self) -> u64 {
        self.real_routines().filter_map(|r| r.reply.as_ref().map(|m| m.size)).max().unwrap_or(0)
    }
}

/// The `subsystem` statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subsystem {
    /// Its name (`mach_port`).
    pub name: String,
    /// The name's spellings: C keeps it, Rust gets `MachPort` (for a trait or a client type).
    pub names: Names,
    /// Message id of routine number 0.
    pub base: u32,
    /// `KernelUser`: user stubs run in the kernel.
    pub kernel_user: bool,
    /// `KernelServer`: server stubs run in the kernel.
    pub kernel_server: bool,
    /// Where it was declared.
    pub span: Span,
}

/// Import statement kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    /// `import`: both sides' headers and sources.
    All,
    /// `uimport`: user side.
    User,
    /// `simport`: server side.
    Server,
    /// `dimport`: both sides' headers (not the sources that include no header).
    Definitions,
    /// `iimport`: the server source (Apple's mig writes it into the sources it writes imports into).
    Internal,
}

/// One import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    /// Which side.
    pub kind: ImportKind,
    /// `<mach/std_types.h>` or `"foo.h"`, delimiters included.
    pub file: String,
}

/// What a routine number is used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoutineKind {
    /// Request and reply.
    Routine,
    /// Request only.
    SimpleRoutine,
    /// A reserved number.
    Skip,
}

impl RoutineKind {
    /// `routine`, `simpleroutine` or `skip`, as the oracle and `--list` spell them.
    pub fn keyword(self) -> &'static str {
        match self {
            RoutineKind::Routine => "routine",
            RoutineKind::SimpleRoutine => "simpleroutine",
            RoutineKind::Skip => "skip",
        }
    }
}

/// One routine number.
#[derive(Debug, Clone)]
pub struct Routine {
    /// Number from the subsystem base.
    pub number: u32,
    /// The routine's name as declared (`skip` for skips).
    pub name: String,
    /// The name's spellings (C function names add the user or server prefix on their side; Rust gets a
    /// snake-case method name with keywords mangled).
    pub names: Names,
    /// Kind.
    pub kind: RoutineKind,
    /// `base + number`.
    pub msgh_id: u32,
    /// `msgh_id + 100` for routines; `None` for simple routines and skips.
    pub reply_msgh_id: Option<u32>,
    /// The arguments as declared, followed by none of the implicit ones (those live in `request` and
    /// `reply` fields and in each argument's `count`/`poly` names).
    pub args: Vec<Arg>,
    /// The request message (empty for skips).
    pub request: Message,
    /// The reply message, for `routine` only.
    pub reply: Option<Message>,
    /// Index in `args` of the request port (the header's destination).
    pub request_port: Option<usize>,
    /// Index in `args` of an explicit reply port argument (`ReplyPort`, `UReplyPort`, `SReplyPort`).
    pub reply_port: Option<usize>,
    /// Where it was declared.
    pub span: Span,
}

impl Routine {
    /// Whether the routine has a reply.
    pub fn has_reply(&self) -> bool {
        self.kind == RoutineKind::Routine
    }
}

/// The role of an argument: its direction keyword, with MIG's defaults applied (the first argument
/// without a direction is the request port; the others are `in`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArgKind {
    /// Sent in the request.
    In,
    /// Returned in the reply.
    Out,
    /// Both.
    InOut,
    /// The header's destination port.
    RequestPort,
    /// The reply port, seen by both sides.
    ReplyPort,
    /// The reply port, seen by the server only.
    SReplyPort,
    /// The reply port, supplied by the user only.
    UReplyPort,
    /// User-side timeout for `mach_msg`.
    WaitTime,
    /// User-side send timeout.
    SendTime,
    /// User-side extra `mach_msg` options.
    MsgOption,
    /// Server-side: the request's sequence number.
    MsgSeqno,
    /// Both sides: the security token of the other side.
    SecToken,
    /// Server side: the sender's security token.
    ServerSecToken,
    /// User side: the replier's security token.
    UserSecToken,
    /// Both sides: audit token.
    AuditToken,
    /// Server side: the sender's audit token.
    ServerAuditToken,
    /// User side: the replier's audit token.
    UserAuditToken,
    /// Server side: the receive port's context.
    ServerContextToken,
    /// Server side: implicit trailer data.
    ServerImpl,
    /// User side: implicit trailer data.
    UserImpl,
}

impl ArgKind {
    /// Whether the argument's data travels in the request body.
    pub fn in_request(self) -> bool {
        matches!(self, ArgKind::In | ArgKind::InOut)
    }

    /// Whether the argument's data travels in the reply body.
    pub fn in_reply(self) -> bool {
        matches!(self, ArgKind::Out | ArgKind::InOut)
    }

    /// Whether the user-side function takes this argument.
    pub fn on_user_side(self) -> bool {
        !matches!(
            self,
            ArgKind::SReplyPort
                | ArgKind::MsgSeqno
                | ArgKind::ServerSecToken
                | ArgKind::ServerAuditToken
                | ArgKind::ServerContextToken
                | ArgKind::ServerImpl
        )
    }

    /// Whether the server-side function takes this argument.
    pub fn on_server_side(self) -> bool {
        !matches!(
            self,
            ArgKind::UReplyPort
                | ArgKind::WaitTime
                | ArgKind::SendTime
                | ArgKind::MsgOption
                | ArgKind::UserSecToken
                | ArgKind::UserAuditToken
                | ArgKind::UserImpl
        )
    }
}

/// How an argument's memory is released after sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dealloc {
    /// The type's default (no deallocation).
    #[default]
    Default,
    /// `Dealloc`: always deallocate.
    Always,
    /// `Dealloc[]`: the caller decides at run time.
    Conditional,
    /// `NotDealloc`: never.
    Never,
}

/// The flags after an argument's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ArgFlags {
    /// `Dealloc`, `Dealloc[]`, `NotDealloc`.
    pub dealloc: Dealloc,
    /// `CountInOut`: the count of an out array is also sent in the request (the caller's capacity).
    pub count_in_out: bool,
    /// `SameCount`: this array's count is the previous array's; no count field of its own.
    pub same_count: bool,
    /// `PhysicalCopy`.
    pub physical_copy: bool,
    /// `Overwrite`: out-of-line data is received into the caller's buffer.
    pub overwrite: bool,
    /// `RetCode`.
    pub ret_code: bool,
    /// `Auto`.
    pub auto: bool,
    /// `Const`: the C parameter is declared `const`.
    pub constant: bool,
}

/// One declared argument, resolved.
#[derive(Debug, Clone)]
pub struct Arg {
    /// Its name (also the message field name).
    pub name: String,
    /// The name's spellings (Rust: snake case, keywords mangled).
    pub names: Names,
    /// Its role.
    pub kind: ArgKind,
    /// Its type.
    pub ty: Type,
    /// Its flags.
    pub flags: ArgFlags,
    /// For variable arrays and variable strings: the count field and parameter name (`<name>Cnt`), or,
    /// with `SameCount`, the earlier argument's count name.
    pub count: Option<String>,
    /// For polymorphic ports: the parameter carrying the disposition (`<name>Poly`).
    pub poly: Option<String>,
    /// Where it was declared.
    pub span: Span,
}

impl Arg {
    /// The port type of the argument or of its elements.
    pub fn port_type(&self) -> Option<PortType> {
        match &self.ty.shape {
            Shape::Port(p) => Some(*p),
            Shape::Array(a) => match &a.element.shape {
                Shape::Port(p) => Some(*p),
                _ => None,
            },
            _ => None,
        }
    }

    /// Whether the port travels in the request (as data or in the header).
    fn sent_in_request(&self) -> bool {
        self.kind.in_request()
            || matches!(self.kind, ArgKind::RequestPort | ArgKind::ReplyPort | ArgKind::UReplyPort)
    }

    /// The polymorphic-disposition parameter of the user function, when it has one: where the user
    /// sends a right whose disposition the type leaves open (`polymorphic`, `MACH_MSG_TYPE_PORT_*`), or
    /// receives one the type does not name. Apple's mig decides it this way per direction.
    pub fn user_poly(&self) -> Option<&str> {
        let p = self.port_type()?;
        let needed =
            (self.sent_in_request() && p.send.is_none()) || (self.kind.in_reply() && p.receive.is_none());
        self.poly.as_deref().filter(|_| needed)
    }

    /// The polymorphic-disposition parameter of the server function, when it has one: where the server
    /// receives a right the type does not name, or sends one whose disposition it leaves open. A kernel
    /// server sends rights as the receiver sees them, so there the received disposition decides.
    pub fn server_poly(&self, kernel_server: bool) -> Option<&str> {
        let p = self.port_type()?;
        let sends_open = if kernel_server { p.receive.is_none() } else { p.send.is_none() };
        let needed = (self.sent_in_request() && p.receive.is_none()) || (self.kind.in_reply() && sends_open);
        self.poly.as_deref().filter(|_| needed)
    }
}

/// A resolved MIG type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Type {
    /// The declared name (`task_info_t`), or empty for an anonymous type.
    pub name: String,
    /// The C type user code sees (`cusertype`, else `ctype`, else the name).
    pub user_c: String,
    /// The C type server code sees (`cservertype`, else `ctype`, else the name).
    pub server_c: String,
    /// `intran:`: server-side translation from the message type.
    pub intran: Option<Translation>,
    /// `outtran:`: server-side translation to the message type.
    pub outtran: Option<Translation>,
    /// `destructor:`: called after the server routine returns.
    pub destructor: Option<String>,
    /// What the data is.
    pub shape: Shape,
}

/// A translation function and the type it produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    /// The resulting C type.
    pub ty: String,
    /// The function.
    pub function: String,
}

/// The data a type describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// Inline bytes: integers, reals, booleans, port names.
    Scalar(Scalar),
    /// A port right, sent as a port descriptor.
    Port(PortType),
    /// `array[...] of T` (`out_of_line` for `array[]` and `^array[...]`).
    Array(Box<Array>),
    /// `struct[N] of T`: N elements inline, passed by value.
    Struct(Box<Type>, u64),
    /// `c_string[N]` or `c_string[*:N]`.
    CString {
        /// Buffer size, terminator included.
        max: u64,
        /// `[*:N]`: sent with offset and count fields.
        variable: bool,
    },
}

/// An inline scalar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scalar {
    /// The `MACH_MSG_TYPE_*` number.
    pub msg_type: u32,
    /// Size in bytes.
    pub size: u64,
}

/// A port type's dispositions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortType {
    /// The disposition the sender specifies (`MACH_MSG_TYPE_COPY_SEND` = 19...), or `None` when
    /// polymorphic (chosen at run time).
    pub send: Option<u32>,
    /// The disposition the receiver sees (`MACH_MSG_TYPE_PORT_SEND` = 17...), or `None` when polymorphic.
    pub receive: Option<u32>,
}

/// An array type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Array {
    /// Element type.
    pub element: Type,
    /// Fixed count, or the maximum of a variable array (`None` for unbounded ones).
    pub count: Option<u64>,
    /// Whether the count varies (`array[]`, `array[*]`, `array[*:N]`).
    pub variable: bool,
    /// Whether it travels out of line (`array[]` or `^`).
    pub out_of_line: bool,
}

impl Type {
    /// Whether values of this type are port rights.
    pub fn is_port(&self) -> bool {
        matches!(self.shape, Shape::Port(_))
    }

    /// Whether the type is an array (of anything).
    pub fn array(&self) -> Option<&Array> {
        match &self.shape {
            Shape::Array(a) => Some(a),
            _ => None,
        }
    }

    /// Whether a count travels with it (variable arrays and variable strings).
    pub fn is_variable(&self) -> bool {
        match &self.shape {
            Shape::Array(a) => a.variable,
            Shape::CString { variable, .. } => *variable,
            _ => false,
        }
    }

    /// Whether the type is polymorphic (a port whose disposition is chosen at run time, or an array of
    /// them).
    pub fn is_polymorphic(&self) -> bool {
        match &self.shape {
            Shape::Port(p) => p.send.is_none(),
            Shape::Array(a) => a.element.is_polymorphic(),
            _ => false,
        }
    }

    /// Size in bytes of one inline value (arrays: of all elements at their maximum), or `None` when it
    /// is unbounded or overflows. Ports count as their name (4 bytes).
    pub fn inline_size(&self) -> Option<u64> {
        match &self.shape {
            Shape::Scalar(s) => Some(s.size),
            Shape::Port(_) => Some(4),
            Shape::Array(a) => a.element.inline_size()?.checked_mul(a.count?),
            Shape::Struct(element, n) => element.inline_size()?.checked_mul(*n),
            Shape::CString { max, .. } => Some(*max),
        }
    }

    /// Natural alignment of the inline value (before `#pragma pack(4)` caps it).
    pub fn inline_align(&self) -> u64 {
        match &self.shape {
            Shape::Scalar(s) => s.size.clamp(1, 8),
            Shape::Port(_) => 4,
            Shape::Array(a) => a.element.inline_align(),
            Shape::Struct(element, _) => element.inline_align(),
            Shape::CString { .. } => 1,
        }
    }
}

/// One message (request or reply) as the `__Request__`/`__Reply__` typedef declares it: every variable
/// array at its maximum.
///
/// MIG's rules: the header; if any argument is a port or out-of-line, `msgh_body` and the descriptors
/// (in argument order) and the message is complex; then `NDR` if any inline data follows (a routine's
/// non-complex reply always has `RetCode`, so always has `NDR`); then the inline data in argument order,
/// each variable array preceded by its count (strings also by an offset), each field padded to 4 bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Message {
    /// Fields in order.
    pub fields: Vec<Field>,
    /// `sizeof` the typedef on the target (the reply's excludes the receive trailer).
    pub size: u64,
    /// Whether `MACH_MSGH_BITS_COMPLEX` is set.
    pub complex: bool,
    /// Number of descriptors at the maximum (port arrays count each element).
    pub descriptors: u64,
    /// Whether the descriptor count varies (an inline array of ports of variable length).
    pub variable_descriptors: bool,
    /// Whether an inline field has a variable size, so fields after it move.
    pub variable_size: bool,
    /// Smallest legal size: every variable array empty.
    pub min_size: u64,
}

impl Message {
    /// The field for an argument's data.
    pub fn data_field(&self, arg: usize) -> Option<&Field> {
        self.fields
            .iter()
            .find(|f| f.arg == Some(arg) && matches!(f.role, FieldRole::Data | FieldRole::Descriptor(_)))
    }

    /// Whether the message carries the NDR record.
    pub fn has_ndr(&self) -> bool {
        self.fields.iter().any(|f| f.role == FieldRole::Ndr)
    }

    /// Whether the message carries `RetCode`.
    pub fn has_ret_code(&self) -> bool {
        self.fields.iter().any(|f| f.role == FieldRole::RetCode)
    }
}

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldRole {
    /// `mach_msg_header_t Head`.
    Header,
    /// `mach_msg_body_t msgh_body`.
    Body,
    /// A descriptor for an argument.
    Descriptor(DescriptorKind),
    /// `NDR_record_t NDR`.
    Ndr,
    /// `kern_return_t RetCode`.
    RetCode,
    /// Inline data of an argument.
    Data,
    /// `mach_msg_type_number_t <arg>Cnt`.
    Count,
    /// `mach_msg_type_number_t <arg>Offset` of a variable string (unused, kept for the layout).
    StringOffset,
    /// `char <arg>Pad[n]`: pads a data field that is not a multiple of 4 bytes.
    Padding,
}

/// Descriptor kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DescriptorKind {
    /// `mach_msg_port_descriptor_t`.
    Port,
    /// `mach_msg_ool_descriptor_t`.
    OutOfLine,
    /// `mach_msg_ool_ports_descriptor_t`.
    OutOfLinePorts,
}

impl DescriptorKind {
    /// The C type.
    pub fn c_type(self) -> &'static str {
        match self {
            DescriptorKind::Port => "mach_msg_port_descriptor_t",
            DescriptorKind::OutOfLine => "mach_msg_ool_descriptor_t",
            DescriptorKind::OutOfLinePorts => "mach_msg_ool_ports_descriptor_t",
        }
    }

    /// The `type` value a received descriptor must have.
    pub fn type_constant(self) -> &'static str {
        match self {
            DescriptorKind::Port => "MACH_MSG_PORT_DESCRIPTOR",
            DescriptorKind::OutOfLine => "MACH_MSG_OOL_DESCRIPTOR",
            DescriptorKind::OutOfLinePorts => "MACH_MSG_OOL_PORTS_DESCRIPTOR",
        }
    }
}

/// One field of a message struct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The field name (`Head`, `NDR`, `right`, `task_info_outCnt`...).
    pub name: String,
    /// What it holds.
    pub role: FieldRole,
    /// The argument it belongs to (index into `Routine::args`).
    pub arg: Option<usize>,
    /// The C type of the field (or of one element), user side.
    pub user_c: String,
    /// The C type of the field (or of one element), server side.
    pub server_c: String,
    /// `[n]` for array fields (at the maximum for variable ones).
    pub array_len: Option<u64>,
    /// Whether the array length varies at run time.
    pub variable: bool,
    /// Size of one element (of the whole field if not an array).
    pub element_size: u64,
    /// Offset in the typedef (fields after a variable array move at run time).
    pub offset: u64,
    /// `sizeof` of the field at its maximum.
    pub size: u64,
}
