//! Stage 3's result: the plain-data model of one table, which every emitter reads and none can fail on.
//!
//! Everything an output needs is computed here once: the names each output uses, the argument
//! structure layouts, the 32-bit mungers, which entry occupies each slot on each architecture, and the
//! conditions in the spellings the C and Rust outputs use. Fields are public and plain (prost-build's
//! `Service`/`Method` model).

use codegen::layout::StructLayout;
use codegen::{Names, Target};

use crate::ast::Expr;
use crate::types::{Munge, Repr, ReturnKind};

/// Which of the three tables a master describes. It decides the names of the outputs and what the
/// numbers mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TableKind {
    /// BSD system calls (`syscalls.master`): positive numbers.
    Bsd,
    /// Mach traps (`mach_traps.master`): called with negative numbers, indexed by the absolute value.
    MachTraps,
    /// Machine-dependent calls (`machdep.master`).
    Machdep,
}

impl TableKind {
    /// Every kind, in output order.
    pub const ALL: [TableKind; 3] = [TableKind::Bsd, TableKind::MachTraps, TableKind::Machdep];

    /// What one entry is called in messages (`BSD system call`).
    pub fn entry_noun(self) -> &'static str {
        match self {
            TableKind::Bsd => "BSD system call",
            TableKind::MachTraps => "Mach trap",
            TableKind::Machdep => "machine-dependent call",
        }
    }

    /// The stem of the C file names (`bsd_syscall_table.c`).
    pub fn c_stem(self) -> &'static str {
        match self {
            TableKind::Bsd => "bsd_syscall",
            TableKind::MachTraps => "mach_trap",
            TableKind::Machdep => "machdep_call",
        }
    }

    /// The Rust module the table's code goes into.
    pub fn rust_module(self) -> &'static str {
        match self {
            TableKind::Bsd => "bsd",
            TableKind::MachTraps => "mach_traps",
            TableKind::Machdep => "machdep",
        }
    }

    /// The Rust enum of the table's calls.
    pub fn rust_enum(self) -> &'static str {
        match self {
            TableKind::Bsd => "Sysno",
            TableKind::MachTraps => "MachTrap",
            TableKind::Machdep => "MachdepCall",
        }
    }

    /// The Rust dispatch trait.
    pub fn rust_trait(self) -> &'static str {
        match self {
            TableKind::Bsd => "BsdSyscalls",
            TableKind::MachTraps => "MachTraps",
            TableKind::Machdep => "MachdepCalls",
        }
    }

    /// The variant of darling-core's `Table` enum.
    pub fn rust_table_variant(self) -> &'static str {
        match self {
            TableKind::Bsd => "Bsd",
            TableKind::MachTraps => "MachTraps",
            TableKind::Machdep => "Machdep",
        }
    }

    /// The conventional file name of the table's master in `defs/syscalls/`.
    pub fn master_file_name(self) -> &'static str {
        match self {
            TableKind::Bsd => "syscalls.master",
            TableKind::MachTraps => "mach_traps.master",
            TableKind::Machdep => "machdep.master",
        }
    }
}

/// The architectures every table is evaluated for, in the order per-architecture arrays use.
pub const TARGETS: [Target; 3] = Target::ALL;

/// One parsed, checked and laid-out table.
#[derive(Debug, Clone)]
pub struct Table {
    /// Which table.
    pub kind: TableKind,
    /// The master's path as shown in preambles (`defs/syscalls/syscalls.master`).
    pub source: String,
    /// Includes, conditions and entries in file order, for the outputs that keep XNU's structure.
    pub lines: Vec<Line>,
    /// Every entry line, in file order.
    pub entries: Vec<Entry>,
    /// Every distinct callable entry (what becomes a Rust enum variant and trait method), in order of
    /// first appearance.
    pub calls: Vec<Call>,
    /// One more than the highest number: `SYS_MAXSYSCALL` for the BSD table.
    pub slot_count: u32,
    /// The largest argument count of any entry.
    pub max_args: usize,
    /// What occupies each slot, per group of architectures that agree (usually one group for all).
    pub slot_maps: Vec<SlotMap>,
    /// Identifiers that conditions test and that are kernel configuration options rather than
    /// architecture macros, sorted.
    pub config_options: Vec<String>,
    /// `#include` lines, as written.
    pub includes: Vec<String>,
}

impl Table {
    /// The slot map that applies on `target`.
    pub fn slot_map(&self, target: Target) -> &SlotMap {
        self.slot_maps.iter().find(|m| m.targets.contains(&target)).unwrap_or_else(|| &self.slot_maps[0])
    }
}

/// One line of the master that the C outputs reproduce.
#[derive(Debug, Clone)]
pub enum Line {
    /// `#include`.
    Include(String),
    /// `#if`, with its condition.
    If(Condition),
    /// `#else` of the `#if` with this condition.
    Else(Condition),
    /// `#endif` of the `#if` with this condition.
    Endif(Condition),
    /// The entry at this index of [`Table::entries`].
    Entry(usize),
}

/// The condition of one `#if`.
#[derive(Debug, Clone)]
pub struct Condition {
    /// The parsed expression.
    pub expr: Expr,
    /// As the master writes it, normalised (`SOCKETS`, `defined(__LP64__) || defined(__arm64__)`).
    pub text: String,
    /// The same test for a public header, where a configuration option that is not defined counts as
    /// on: each bare option `X` becomes `(!defined(X) || X)`.
    pub c_default_on: String,
}

/// Which branch of an `#if` an entry sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Branch {
    /// Between `#if` and `#else` (or `#endif`).
    If,
    /// Between `#else` and `#endif`.
    Else,
}

/// A number that has no call (any more).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Placeholder {
    /// `nosys`: the kernel raises SIGSYS and fails with ENOSYS.
    Nosys,
    /// `enosys`: fails with ENOSYS without a signal.
    Enosys,
    /// `kern_invalid`: an empty Mach slot, failing with KERN_INVALID_ARGUMENT.
    KernInvalid,
}

impl Placeholder {
    /// The placeholder whose function is called `name`.
    pub fn from_function(name: &str) -> Option<Placeholder> {
        match name {
            "nosys" => Some(Placeholder::Nosys),
            "enosys" => Some(Placeholder::Enosys),
            "kern_invalid" => Some(Placeholder::KernInvalid),
            _ => None,
        }
    }

    /// The function name.
    pub fn function(self) -> &'static str {
        match self {
            Placeholder::Nosys => "nosys",
            Placeholder::Enosys => "enosys",
            Placeholder::KernInvalid => "kern_invalid",
        }
    }

    /// The Rust variant name of darling-core's `Placeholder`.
    pub fn rust_variant(self) -> &'static str {
        match self {
            Placeholder::Nosys => "Nosys",
            Placeholder::Enosys => "Enosys",
            Placeholder::KernInvalid => "KernInvalid",
        }
    }
}

/// The four outputs the files column can select.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Files {
    /// `T`: a row in the entry table.
    pub table: bool,
    /// `N`: a name in the names table.
    pub names: bool,
    /// `H`: a `SYS_` define in `sys/syscall.h`.
    pub header: bool,
    /// `P`: an argument structure.
    pub proto: bool,
}

impl Files {
    /// `ALL`.
    pub const ALL: Files = Files { table: true, names: true, header: true, proto: true };
}

/// One entry line.
#[derive(Debug, Clone)]
pub struct Entry {
    /// 1-based line in the master.
    pub line: usize,
    /// The number (the index, for Mach traps).
    pub number: u32,
    /// The function as the prototype names it (`sys_close`, `nosys`).
    pub function: String,
    /// The name the names table gives the slot: the function without `sys_`; `syscall` for BSD number
    /// 0; `#N` for other BSD placeholders.
    pub table_name: String,
    /// `SYS_close`, for BSD entries that `sys/syscall.h` defines.
    pub header_define: Option<String>,
    /// The return type as written.
    pub return_type: String,
    /// What the return type means.
    pub return_kind: ReturnKind,
    /// The arguments.
    pub args: Vec<Arg>,
    /// The audit event column.
    pub audit_event: String,
    /// The files column, as written.
    pub files_text: String,
    /// The files column, decoded.
    pub files: Files,
    /// `NO_SYSCALL_STUB` was written.
    pub no_syscall_stub: bool,
    /// The name starts with `__` (which implies no stub).
    pub double_underscore: bool,
    /// `Some` for `nosys`, `enosys` and `kern_invalid`.
    pub placeholder: Option<Placeholder>,
    /// The `{ note }`.
    pub note: Option<String>,
    /// The conditions the entry sits under, joined with ` && ` (`SOCKETS`, `!(SOCKETS)`), or `None`.
    pub condition: Option<String>,
    /// [`Entry::condition`] without the terms that test only architecture macros: the kernel
    /// configuration the entry depends on (`HYPERVISOR` for a call under `#if defined(__x86_64__)` and
    /// `#if HYPERVISOR`).
    pub config_condition: Option<String>,
    /// The branch of the innermost `#if`, if any.
    pub branch: Option<Branch>,
    /// `read_args`: the argument structure, for entries that have one.
    pub args_struct: Option<ArgsStruct>,
    /// The 32-bit munger (`munge_wwl`), `None` for no arguments or a placeholder.
    pub munger32: Option<String>,
    /// Bytes a 32-bit caller passes (4 per `w`/`s`, 8 per `l`), from the argument types.
    pub size32: u32,
    /// A Mach trap that returns a port name the caller owns.
    pub returns_port: bool,
    /// A machine-dependent call with the BSD return convention (it returns `int`).
    pub bsd_style: bool,
    /// Whether the entry is active on each of [`TARGETS`], with every configuration option on.
    pub active: [bool; 3],
    /// The call this entry defines (index into [`Table::calls`]), for non-placeholders.
    pub call: Option<usize>,
}

impl Entry {
    /// `int read(int fd, user_addr_t cbuf, user_size_t nbyte)`, normalised.
    pub fn prototype(&self) -> String {
        let mut out = String::new();
        self.write_prototype(&mut out);
        out
    }

    /// Appends [`Entry::prototype`] to `out`.
    pub fn write_prototype(&self, out: &mut String) {
        out.push_str(&self.return_type);
        out.push(' ');
        out.push_str(&self.function);
        out.push('(');
        if self.args.is_empty() {
            out.push_str("void");
        }
        for (i, arg) in self.args.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            arg.write_declaration(out);
        }
        out.push(')');
    }
}

/// One argument.
#[derive(Debug, Clone)]
pub struct Arg {
    /// `source`: as written; `c`: the field name; `rust`: the parameter name.
    pub names: Names,
    /// The type as written, normalised (`const char *`).
    pub c_type: String,
    /// The type of the argument structure's slot (`user_addr_t`).
    pub sysproto_type: &'static str,
    /// Width and kind of the value.
    pub repr: Repr,
    /// How a 32-bit caller passes it.
    pub munge: Munge,
}

impl Arg {
    /// `const char *path`.
    pub fn declaration(&self) -> String {
        let mut out = String::new();
        self.write_declaration(&mut out);
        out
    }

    /// Appends [`Arg::declaration`] to `out`.
    pub fn write_declaration(&self, out: &mut String) {
        out.push_str(&self.c_type);
        if !self.c_type.ends_with('*') {
            out.push(' ');
        }
        out.push_str(&self.names.source);
    }
}

/// An argument structure: every argument in an 8-byte slot at an 8-aligned offset, as the 64-bit
/// kernels lay them out (XNU's `CONFIG_REQUIRES_U32_MUNGING`).
#[derive(Debug, Clone)]
pub struct ArgsStruct {
    /// `read_args`.
    pub name: String,
    /// The layout on x86_64 and arm64 (the same on both).
    pub layout_64: StructLayout,
}

impl Entry {
    /// The argument structure's layout when compiled for `target` (i386 has the same size and offsets as
    /// the 64-bit targets, with weaker alignment). `None` for entries without a structure.
    pub fn args_layout(&self, target: Target) -> Option<StructLayout> {
        self.args_struct.as_ref().map(|_| crate::lower::args_layout(&self.args, target))
    }
}

/// One distinct callable entry: a variant of the Rust enum and a method of the dispatch trait.
#[derive(Debug, Clone)]
pub struct Call {
    /// `source`: the function (`sys_close`); `c`: the table name (`close`); `rust`: the method name.
    pub names: Names,
    /// The enum variant (`Close`).
    pub variant: String,
    /// The entry that defines it (index into [`Table::entries`]).
    pub entry: usize,
    /// BSD number 0: the number of the call to make is the first argument.
    pub indirect: bool,
}

/// What occupies each slot on a group of architectures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotMap {
    /// The architectures this map applies to.
    pub targets: Vec<Target>,
    /// One per number, `0..slot_count`.
    pub slots: Vec<Slot>,
}

/// The occupant of one slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// A call (index into [`Table::calls`]).
    Call(usize),
    /// A placeholder entry (index into [`Table::entries`]).
    Placeholder(usize),
    /// No active entry (every entry for the number sits under a false condition).
    Empty,
}
