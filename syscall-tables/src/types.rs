//! The argument and return types a `.master` file may use, and what each one means in every output.
//!
//! XNU's generators hard-code this knowledge (makesyscalls.sh's "You need to add ... into the type
//! checking code"); here it is one table. For every argument type we know the type of its slot in the
//! 64-bit argument structure (pointers and `size_t` become `user_addr_t` and `user_size_t`), how wide the
//! value is, and how a 32-bit caller passes it (the munger letter). Pointers to anything are user
//! addresses, so only scalar types need listing.

/// How a value sits in its 64-bit argument slot, which fixes its C and Rust type in the generated code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Repr {
    /// 16-bit unsigned (`mode_t` on Darwin).
    U16,
    /// 32-bit signed.
    I32,
    /// 32-bit unsigned.
    U32,
    /// 64-bit signed.
    I64,
    /// 64-bit unsigned.
    U64,
    /// An address in the caller's address space, always 64 bits in the kernel's structures.
    Addr,
}

impl Repr {
    /// `sizeof` of the value in the argument structure (before padding to the 8-byte slot).
    pub fn size(self) -> u64 {
        match self {
            Repr::U16 => 2,
            Repr::I32 | Repr::U32 => 4,
            Repr::I64 | Repr::U64 | Repr::Addr => 8,
        }
    }

    /// The fixed-width C type the generated structures use for it. Fixed-width types keep the Darwin
    /// layout on a Linux host, where `off_t`, `sigset_t` or `pid_t` may have other sizes.
    pub fn c_type(self) -> &'static str {
        match self {
            Repr::U16 => "uint16_t",
            Repr::I32 => "int32_t",
            Repr::U32 => "uint32_t",
            Repr::I64 => "int64_t",
            Repr::U64 | Repr::Addr => "uint64_t",
        }
    }

    /// The layout-engine primitive for it.
    pub fn prim(self) -> codegen::layout::Prim {
        use codegen::layout::Prim;
        match self {
            Repr::U16 => Prim::U16,
            Repr::I32 => Prim::I32,
            Repr::U32 => Prim::U32,
            Repr::I64 => Prim::I64,
            Repr::U64 | Repr::Addr => Prim::U64,
        }
    }
}

/// How a 32-bit caller passes an argument: the letter in a munger name such as `munge_wwl`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Munge {
    /// One 32-bit word, zero-extended to 64 bits.
    W,
    /// One 32-bit word, sign-extended to 64 bits.
    S,
    /// Two 32-bit words holding a 64-bit value.
    L,
}

impl Munge {
    /// The munger letter.
    pub fn letter(self) -> char {
        match self {
            Munge::W => 'w',
            Munge::S => 's',
            Munge::L => 'l',
        }
    }

    /// The letter's munger element, if `c` is one.
    pub fn from_letter(c: char) -> Option<Munge> {
        match c {
            'w' => Some(Munge::W),
            's' => Some(Munge::S),
            'l' => Some(Munge::L),
            _ => None,
        }
    }

    /// How many 32-bit words the caller passes.
    pub fn words(self) -> u32 {
        if self == Munge::L { 2 } else { 1 }
    }
}

/// What the table knows about one argument type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArgTypeInfo {
    /// The type of the slot in the argument structure, as XNU's sysproto.h spells it.
    pub sysproto: &'static str,
    /// The value's width and kind.
    pub repr: Repr,
    /// How a 32-bit caller passes it.
    pub munge: Munge,
}

const fn info(sysproto: &'static str, repr: Repr, munge: Munge) -> ArgTypeInfo {
    ArgTypeInfo { sysproto, repr, munge }
}

/// Scalar argument types by spelling. Pointers are handled in [`arg_type`].
const SCALARS: &[(&str, ArgTypeInfo)] = &[
    // The types makesyscalls.sh knows.
    ("int", info("int", Repr::I32, Munge::W)),
    ("u_int", info("u_int", Repr::U32, Munge::W)),
    ("unsigned int", info("unsigned int", Repr::U32, Munge::W)),
    ("int32_t", info("int32_t", Repr::I32, Munge::W)),
    ("uint32_t", info("uint32_t", Repr::U32, Munge::W)),
    ("int64_t", info("int64_t", Repr::I64, Munge::L)),
    ("uint64_t", info("uint64_t", Repr::U64, Munge::L)),
    ("off_t", info("off_t", Repr::I64, Munge::L)),
    ("long", info("user_long_t", Repr::I64, Munge::S)),
    ("u_long", info("user_ulong_t", Repr::U64, Munge::W)),
    ("size_t", info("user_size_t", Repr::U64, Munge::W)),
    ("ssize_t", info("user_ssize_t", Repr::I64, Munge::S)),
    ("user_addr_t", info("user_addr_t", Repr::Addr, Munge::W)),
    ("user_size_t", info("user_size_t", Repr::U64, Munge::W)),
    ("user_ssize_t", info("user_ssize_t", Repr::I64, Munge::S)),
    ("user_long_t", info("user_long_t", Repr::I64, Munge::S)),
    ("user_ulong_t", info("user_ulong_t", Repr::U64, Munge::W)),
    ("caddr_t", info("user_addr_t", Repr::Addr, Munge::W)),
    ("semun_t", info("user_addr_t", Repr::Addr, Munge::W)),
    ("uuid_t", info("user_addr_t", Repr::Addr, Munge::W)),
    ("caddr_ut", info("user_addr_ut", Repr::Addr, Munge::W)),
    ("size_ut", info("user_size_ut", Repr::U64, Munge::W)),
    ("uid_t", info("uid_t", Repr::U32, Munge::W)),
    ("gid_t", info("gid_t", Repr::U32, Munge::W)),
    ("pid_t", info("pid_t", Repr::I32, Munge::W)),
    ("id_t", info("id_t", Repr::U32, Munge::W)),
    ("idtype_t", info("idtype_t", Repr::I32, Munge::W)),
    ("socklen_t", info("socklen_t", Repr::U32, Munge::W)),
    ("sigset_t", info("sigset_t", Repr::U32, Munge::W)),
    ("mode_t", info("mode_t", Repr::U16, Munge::W)),
    ("key_t", info("key_t", Repr::I32, Munge::W)),
    ("au_asid_t", info("au_asid_t", Repr::I32, Munge::W)),
    ("sae_associd_t", info("sae_associd_t", Repr::U32, Munge::W)),
    ("sae_connid_t", info("sae_connid_t", Repr::U32, Munge::W)),
    ("mach_port_name_t", info("mach_port_name_t", Repr::U32, Munge::W)),
    // Mach trap and machine-dependent call arguments.
    ("mach_port_t", info("mach_port_name_t", Repr::U32, Munge::W)),
    ("mach_port_right_t", info("mach_port_right_t", Repr::U32, Munge::W)),
    ("mach_port_delta_t", info("mach_port_delta_t", Repr::I32, Munge::W)),
    ("mach_port_flavor_t", info("mach_port_flavor_t", Repr::I32, Munge::W)),
    ("mach_port_mscount_t", info("mach_port_mscount_t", Repr::U32, Munge::W)),
    ("mach_msg_type_name_t", info("mach_msg_type_name_t", Repr::U32, Munge::W)),
    ("mach_msg_option_t", info("mach_msg_option_t", Repr::I32, Munge::W)),
    ("mach_msg_size_t", info("mach_msg_size_t", Repr::U32, Munge::W)),
    ("mach_msg_timeout_t", info("mach_msg_timeout_t", Repr::U32, Munge::W)),
    ("mach_msg_priority_t", info("mach_msg_priority_t", Repr::U32, Munge::W)),
    ("mach_msg_id_t", info("mach_msg_id_t", Repr::I32, Munge::W)),
    ("mach_voucher_attr_key_t", info("mach_voucher_attr_key_t", Repr::U32, Munge::W)),
    ("mach_vm_address_t", info("mach_vm_address_t", Repr::U64, Munge::L)),
    ("mach_vm_offset_t", info("mach_vm_offset_t", Repr::U64, Munge::L)),
    ("mach_vm_size_t", info("mach_vm_size_t", Repr::U64, Munge::L)),
    ("natural_t", info("natural_t", Repr::U32, Munge::W)),
    ("integer_t", info("integer_t", Repr::I32, Munge::W)),
    ("boolean_t", info("boolean_t", Repr::I32, Munge::W)),
    ("vm_prot_t", info("vm_prot_t", Repr::I32, Munge::W)),
    ("vm_purgable_t", info("vm_purgable_t", Repr::I32, Munge::W)),
    ("clock_res_t", info("clock_res_t", Repr::I32, Munge::W)),
    ("sleep_type_t", info("sleep_type_t", Repr::I32, Munge::W)),
];

/// The argument type `base` with `pointer_depth` stars, or `None` if it is not known. Pointers to any
/// type (known or not: `struct kevent *`) are user addresses.
pub fn arg_type(base: &str, pointer_depth: usize) -> Option<ArgTypeInfo> {
    if pointer_depth > 0 {
        return Some(info("user_addr_t", Repr::Addr, Munge::W));
    }
    SCALARS.iter().find(|(name, _)| *name == base).map(|(_, info)| *info)
}

/// Every scalar argument type, for "did you mean" suggestions.
pub fn scalar_names() -> impl Iterator<Item = &'static str> {
    SCALARS.iter().map(|(name, _)| *name)
}

/// How the kernel hands a call's result back, which decides the `sy_return_type` of a BSD entry and the
/// Rust return type of a trait method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReturnKind {
    /// No value (`void`).
    None,
    /// `int`.
    Int,
    /// A 32-bit unsigned value (`u_int`, `uint32_t`, `mach_port_name_t`).
    UInt,
    /// `uint64_t`.
    UInt64,
    /// `off_t`.
    Off,
    /// `user_addr_t`.
    Addr,
    /// `user_size_t`.
    Size,
    /// `user_ssize_t`.
    SSize,
    /// A Mach `kern_return_t` (or `mach_msg_return_t`).
    KernReturn,
    /// A Mach port name the caller now owns (`mach_port_name_t` from a Mach trap).
    PortName,
    /// `boolean_t`.
    Boolean,
}

impl ReturnKind {
    /// XNU's `_SYSCALL_RET_*` constant, for BSD calls.
    pub fn sy_return_type(self) -> &'static str {
        match self {
            ReturnKind::None => "_SYSCALL_RET_NONE",
            ReturnKind::Int | ReturnKind::KernReturn | ReturnKind::Boolean => "_SYSCALL_RET_INT_T",
            ReturnKind::UInt | ReturnKind::PortName => "_SYSCALL_RET_UINT_T",
            ReturnKind::UInt64 => "_SYSCALL_RET_UINT64_T",
            ReturnKind::Off => "_SYSCALL_RET_OFF_T",
            ReturnKind::Addr => "_SYSCALL_RET_ADDR_T",
            ReturnKind::Size => "_SYSCALL_RET_SIZE_T",
            ReturnKind::SSize => "_SYSCALL_RET_SSIZE_T",
        }
    }

    /// The Rust variant name of `ReturnKind` in darling-core.
    pub fn rust_variant(self) -> &'static str {
        match self {
            ReturnKind::None => "None",
            ReturnKind::Int => "Int",
            ReturnKind::UInt => "UInt",
            ReturnKind::UInt64 => "UInt64",
            ReturnKind::Off => "Off",
            ReturnKind::Addr => "Addr",
            ReturnKind::Size => "Size",
            ReturnKind::SSize => "SSize",
            ReturnKind::KernReturn => "KernReturn",
            ReturnKind::PortName => "PortName",
            ReturnKind::Boolean => "Boolean",
        }
    }
}

/// The return type `name` of an entry in a table of `kind`, or `None` if that table cannot return it.
/// BSD calls return what makesyscalls.sh accepts; Mach traps and machine-dependent calls return Mach
/// types or `int`.
pub fn return_type(kind: crate::TableKind, name: &str) -> Option<ReturnKind> {
    use crate::TableKind;
    let bsd = match name {
        "void" => Some(ReturnKind::None),
        "int" => Some(ReturnKind::Int),
        "u_int" | "uint32_t" => Some(ReturnKind::UInt),
        "mach_port_name_t" if kind == TableKind::Bsd => Some(ReturnKind::UInt),
        "uint64_t" => Some(ReturnKind::UInt64),
        "off_t" => Some(ReturnKind::Off),
        "user_addr_t" => Some(ReturnKind::Addr),
        "user_size_t" => Some(ReturnKind::Size),
        "user_ssize_t" => Some(ReturnKind::SSize),
        _ => None,
    };
    match kind {
        TableKind::Bsd => bsd,
        TableKind::MachTraps | TableKind::Machdep => match name {
            "kern_return_t" | "mach_msg_return_t" => Some(ReturnKind::KernReturn),
            "mach_port_name_t" => Some(ReturnKind::PortName),
            "boolean_t" => Some(ReturnKind::Boolean),
            _ => bsd,
        },
    }
}

/// Every return type a table of `kind` accepts, for "did you mean" suggestions.
pub fn return_type_names(kind: crate::TableKind) -> Vec<&'static str> {
    let all = [
        "void",
        "int",
        "u_int",
        "uint32_t",
        "mach_port_name_t",
        "uint64_t",
        "off_t",
        "user_addr_t",
        "user_size_t",
        "user_ssize_t",
        "kern_return_t",
        "mach_msg_return_t",
        "boolean_t",
    ];
    all.into_iter().filter(|n| return_type(kind, n).is_some()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_are_addresses_and_scalars_are_looked_up() {
        assert_eq!(arg_type("struct kevent", 1).unwrap().sysproto, "user_addr_t");
        assert_eq!(arg_type("size_t", 0).unwrap().sysproto, "user_size_t");
        assert_eq!(arg_type("long", 0).unwrap().munge, Munge::S);
        assert_eq!(arg_type("off_t", 0).unwrap().munge, Munge::L);
        assert!(arg_type("struct kevent", 0).is_none());
        assert!(arg_type("mach_port_nme_t", 0).is_none());
    }

    #[test]
    fn return_types_depend_on_the_table() {
        use crate::TableKind;
        assert_eq!(return_type(TableKind::Bsd, "user_ssize_t"), Some(ReturnKind::SSize));
        assert_eq!(return_type(TableKind::Bsd, "kern_return_t"), None);
        assert_eq!(return_type(TableKind::MachTraps, "mach_port_name_t"), Some(ReturnKind::PortName));
        assert_eq!(
            return_type(TableKind::Bsd, "mach_port_name_t").unwrap().sy_return_type(),
            "_SYSCALL_RET_UINT_T"
        );
    }
}
