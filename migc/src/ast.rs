//! The typed syntax tree of a `.defs` file, as `parse` produces it and `check` consumes it.
//!
//! Every node keeps the span of the original file it came from (through includes and macro expansion,
//! by way of the preprocessor's source map), so later phases can point at it. Nothing here knows pest.

use codegen::Span;

/// A name as written, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ident {
    /// The text.
    pub name: String,
    /// Where.
    pub span: Span,
}

/// One preprocessed `.defs` translation unit.
#[derive(Debug, Clone, Default)]
pub struct File {
    /// Statements in source order (MIG is order-sensitive: types before use, routine numbers by position).
    pub statements: Vec<Statement>,
    /// The span of the end of the text, for "missing X" errors that belong to no statement.
    pub end: Option<Span>,
}

/// A top-level statement.
#[derive(Debug, Clone)]
pub enum Statement {
    /// `subsystem [KernelUser] [KernelServer] name base;`
    Subsystem(SubsystemDecl),
    /// `routine` or `simpleroutine`.
    Routine(RoutineDecl),
    /// `skip;`: takes a routine number without declaring a routine.
    Skip(Span),
    /// `type name = spec;`
    Type(NamedType),
    /// `import`, `uimport`, `simport`, `dimport`, `iimport`.
    Import(Import),
    /// `serverprefix`, `userprefix`, `serverdemux`.
    Prefix(PrefixKind, Ident),
    /// `rcsid "..."`.
    RcsId(String, Span),
    /// `msgoption`, `waittime`, `nowaittime`, `sendtime`, `nosendtime`, `ConsumeOnSendError`.
    Option(OptionKind, Option<Ident>, Span),
    /// `UseSpecialReplyPort N`, `UserTypeLimit N`, `OnStackLimit N`.
    Number(NumberKind, Expr, Span),
    /// `error name;`: the routine MIG's user stubs call on a transport error.
    Error(Ident),
}

/// `subsystem` declaration.
#[derive(Debug, Clone)]
pub struct SubsystemDecl {
    /// `KernelUser` was given.
    pub kernel_user: bool,
    /// `KernelServer` was given.
    pub kernel_server: bool,
    /// The subsystem's name.
    pub name: Ident,
    /// The base message id.
    pub base: Expr,
    /// The whole statement.
    pub span: Span,
}

/// Which prefix statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrefixKind {
    /// `serverprefix`.
    Server,
    /// `userprefix`.
    User,
    /// `serverdemux`.
    ServerDemux,
}

/// Which option statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionKind {
    /// `msgoption WORD`.
    MsgOption,
    /// `waittime WORD`.
    WaitTime,
    /// `nowaittime`.
    NoWaitTime,
    /// `sendtime WORD`.
    SendTime,
    /// `nosendtime`.
    NoSendTime,
    /// `ConsumeOnSendError WORD`.
    ConsumeOnSendError,
}

/// Which numeric statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberKind {
    /// `UseSpecialReplyPort 0|1`.
    UseSpecialReplyPort,
    /// `UserTypeLimit N`.
    UserTypeLimit,
    /// `OnStackLimit N`.
    OnStackLimit,
}

/// Where an import goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    /// `import`: user header, server header, user and server sources.
    All,
    /// `uimport`: user side only.
    User,
    /// `simport`: server side only.
    Server,
    /// `dimport`: the definitions header.
    Definitions,
    /// `iimport`: the internal header.
    Internal,
}

/// An import statement.
#[derive(Debug, Clone)]
pub struct Import {
    /// Which.
    pub kind: ImportKind,
    /// The file name with its delimiters, `<mach/std_types.h>` or `"foo.h"`.
    pub file: String,
    /// The statement.
    pub span: Span,
}

/// `routine` or `simpleroutine`.
#[derive(Debug, Clone)]
pub struct RoutineDecl {
    /// `simpleroutine`: no reply.
    pub simple: bool,
    /// The routine's name.
    pub name: Ident,
    /// The arguments in order.
    pub args: Vec<Argument>,
    /// The whole statement.
    pub span: Span,
}

/// One routine argument.
#[derive(Debug, Clone)]
pub struct Argument {
    /// The explicit direction keyword, if any.
    pub direction: Option<(Direction, Span)>,
    /// The argument's name.
    pub name: Ident,
    /// Its type: a reference to a declared type or an inline declaration.
    pub ty: ArgType,
    /// The `, Flag` list.
    pub flags: Vec<Flag>,
    /// The whole argument.
    pub span: Span,
}

/// How an argument names its type.
#[derive(Debug, Clone)]
pub enum ArgType {
    /// `name = spec` declared in place (it is also entered into the type table, as MIG does).
    Named(NamedType),
    /// An anonymous type spec (usually a plain type name).
    Spec(TypeSpec),
}

/// Argument direction keywords.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// `in`.
    In,
    /// `out`.
    Out,
    /// `inout`.
    InOut,
    /// `RequestPort`.
    RequestPort,
    /// `ReplyPort`.
    ReplyPort,
    /// `SReplyPort`: the server sees the reply port as an argument.
    SReplyPort,
    /// `UReplyPort`: the user supplies the reply port.
    UReplyPort,
    /// `WaitTime`.
    WaitTime,
    /// `SendTime`.
    SendTime,
    /// `MsgOption`.
    MsgOption,
    /// `MsgSeqno`.
    MsgSeqno,
    /// `SecToken`.
    SecToken,
    /// `ServerSecToken`.
    ServerSecToken,
    /// `UserSecToken`.
    UserSecToken,
    /// `AuditToken`.
    AuditToken,
    /// `ServerAuditToken`.
    ServerAuditToken,
    /// `UserAuditToken`.
    UserAuditToken,
    /// `ServerContextToken`.
    ServerContextToken,
    /// `ServerImpl`.
    ServerImpl,
    /// `UserImpl`.
    UserImpl,
}

impl Direction {
    /// Parses a direction keyword, case-insensitively.
    pub fn from_keyword(word: &str) -> Option<Direction> {
        Some(match word.to_ascii_lowercase().as_str() {
            "in" => Direction::In,
            "out" => Direction::Out,
            "inout" => Direction::InOut,
            "requestport" => Direction::RequestPort,
            "replyport" => Direction::ReplyPort,
            "sreplyport" => Direction::SReplyPort,
            "ureplyport" => Direction::UReplyPort,
            "waittime" => Direction::WaitTime,
            "sendtime" => Direction::SendTime,
            "msgoption" => Direction::MsgOption,
            "msgseqno" => Direction::MsgSeqno,
            "sectoken" => Direction::SecToken,
            "serversectoken" => Direction::ServerSecToken,
            "usersectoken" => Direction::UserSecToken,
            "audittoken" => Direction::AuditToken,
            "serveraudittoken" => Direction::ServerAuditToken,
            "useraudittoken" => Direction::UserAuditToken,
            "servercontexttoken" => Direction::ServerContextToken,
            "serverimpl" => Direction::ServerImpl,
            "userimpl" => Direction::UserImpl,
            _ => return None,
        })
    }
}

/// An argument flag as written (`Dealloc`, `CountInOut`...); checked in `check`.
#[derive(Debug, Clone)]
pub struct Flag {
    /// The flag's text (`dealloc[]` for the bracketed form).
    pub name: String,
    /// Where.
    pub span: Span,
}

/// `name = spec attrs...`
#[derive(Debug, Clone)]
pub struct NamedType {
    /// The new type's name.
    pub name: Ident,
    /// Its definition.
    pub spec: TypeSpec,
    /// `ctype:`, `intran:` and the rest, in order.
    pub attrs: Vec<TypeAttr>,
    /// The whole declaration.
    pub span: Span,
}

/// A type attribute.
#[derive(Debug, Clone)]
pub enum TypeAttr {
    /// `ctype: T`.
    CType(Ident),
    /// `cusertype: T`.
    CUserType(Ident),
    /// `cservertype: T`.
    CServerType(Ident),
    /// `intran: T f(U)`.
    InTran {
        /// Translated (server) type.
        ty: Ident,
        /// Function.
        function: Ident,
        /// Message type.
        from: Ident,
    },
    /// `outtran: T f(U)`.
    OutTran {
        /// Message type.
        ty: Ident,
        /// Function.
        function: Ident,
        /// Translated type.
        from: Ident,
    },
    /// `destructor: f(T)`.
    Destructor {
        /// Function.
        function: Ident,
        /// Argument type.
        ty: Ident,
    },
    /// `intranpayload: T f`.
    InTranPayload {
        /// Translated type.
        ty: Ident,
        /// Function.
        function: Ident,
    },
}

/// A type expression.
#[derive(Debug, Clone)]
pub enum TypeSpec {
    /// A previous type, a `MACH_MSG_TYPE_*` name, `polymorphic`, or a number; resolved in `check`.
    Ipc {
        /// The first (or only) name or number.
        first: IpcName,
        /// The `|B` part.
        second: Option<IpcName>,
        /// The whole spec.
        span: Span,
    },
    /// `(IPCType, size [, flags])`.
    Sized {
        /// The message type.
        first: IpcName,
        /// The `|B` part.
        second: Option<IpcName>,
        /// Size in bits.
        size: Expr,
        /// Flags after the size.
        flags: Vec<Flag>,
        /// The whole spec.
        span: Span,
    },
    /// `array[bound] of T`.
    Array {
        /// The bound.
        bound: ArrayBound,
        /// The element type.
        element: Box<TypeSpec>,
        /// The whole spec.
        span: Span,
    },
    /// `struct[N] of T`.
    Struct {
        /// Element count.
        count: Expr,
        /// Element type.
        element: Box<TypeSpec>,
        /// The whole spec.
        span: Span,
    },
    /// `^T`: out of line.
    Pointer {
        /// The pointee.
        inner: Box<TypeSpec>,
        /// The whole spec.
        span: Span,
    },
    /// `c_string[N]` or `c_string[*:N]`.
    CString {
        /// Maximum length including the terminator.
        max: Expr,
        /// `[*:N]`.
        variable: bool,
        /// The whole spec.
        span: Span,
    },
}

impl TypeSpec {
    /// The span of the whole spec.
    pub fn span(&self) -> Span {
        match self {
            TypeSpec::Ipc { span, .. }
            | TypeSpec::Sized { span, .. }
            | TypeSpec::Array { span, .. }
            | TypeSpec::Struct { span, .. }
            | TypeSpec::Pointer { span, .. }
            | TypeSpec::CString { span, .. } => *span,
        }
    }
}

/// A primitive IPC type name: an identifier or a number.
#[derive(Debug, Clone)]
pub enum IpcName {
    /// An identifier (a type name or a `MACH_MSG_TYPE_*` constant).
    Name(Ident),
    /// A message type number.
    Number(u64, Span),
}

/// The bound of an array.
#[derive(Debug, Clone)]
pub enum ArrayBound {
    /// `array[]`: unbounded, sent out of line.
    Unbounded,
    /// `array[*]`: variable, unbounded.
    Star,
    /// `array[*:N]`: variable up to N.
    Max(Expr),
    /// `array[N]`: fixed.
    Fixed(Expr),
}

/// An integer expression (array bounds, sizes, the subsystem base).
#[derive(Debug, Clone)]
pub struct Expr {
    /// The expression.
    pub kind: ExprKind,
    /// Where it was written.
    pub span: Span,
}

/// Integer expression forms.
#[derive(Debug, Clone)]
pub enum ExprKind {
    /// A literal.
    Number(u64),
    /// An identifier left over after preprocessing (an undefined macro): an error in `check`.
    Name(String),
    /// `a op b`.
    Binary(Box<Expr>, BinOp, Box<Expr>),
}

/// Integer operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    /// `+`.
    Add,
    /// `-`.
    Sub,
    /// `*`.
    Mul,
    /// `/`.
    Div,
}
