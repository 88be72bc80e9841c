//! C ABI layout engine: sizes, alignments and field offsets per target.
//!
//! migc needs `sizeof(__Request__X_t)` for `-arch x86_64|i386|arm64` without running a C compiler,
//! rpc-gen needs the m32 and m64 layouts of the wire structs, and syscall-tables the 64-bit argument
//! structures. All of them describe structs field by field here. The rules are the System V / Darwin ones
//! that gcc and clang implement: a field starts at the next multiple of its alignment, capped by
//! `#pragma pack`; a struct is padded to a multiple of its largest field alignment.

use std::fmt;

/// A target architecture whose C ABI we lay out for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    /// LP64, System V x86-64 (and Darwin x86_64, which agrees on everything we lay out).
    X86_64,
    /// ILP32 i386: 64-bit integers and doubles are only 4-aligned inside structs.
    I386,
    /// LP64 AArch64 (Darwin arm64 and Linux aarch64 agree on everything we lay out).
    Arm64,
}

impl Target {
    /// Every target, in a stable order.
    pub const ALL: [Target; 3] = [Target::X86_64, Target::I386, Target::Arm64];

    /// Parses the spelling used by `-arch` (`x86_64`, `i386`, `arm64`; `aarch64` and `x86-64` too).
    pub fn from_name(name: &str) -> Option<Target> {
        match name {
            "x86_64" | "x86-64" | "amd64" => Some(Target::X86_64),
            "i386" | "i486" | "i586" | "i686" | "x86" => Some(Target::I386),
            "arm64" | "aarch64" | "arm64e" => Some(Target::Arm64),
            _ => None,
        }
    }

    /// The canonical `-arch` spelling.
    pub fn name(self) -> &'static str {
        match self {
            Target::X86_64 => "x86_64",
            Target::I386 => "i386",
            Target::Arm64 => "arm64",
        }
    }

    /// Whether pointers and `long` are 64 bits wide.
    pub fn is_64_bit(self) -> bool {
        !matches!(self, Target::I386)
    }

    /// Size of a pointer, `long`, `size_t` and `vm_address_t`.
    pub fn pointer_size(self) -> u64 {
        if self.is_64_bit() { 8 } else { 4 }
    }

    /// The layout of a primitive C type on this target.
    pub fn prim(self, prim: Prim) -> Layout {
        let ptr = self.pointer_size();
        // On i386 the System V and Darwin ABIs align 8-byte scalars to 4 inside structs.
        let align8 = if self == Target::I386 { 4 } else { 8 };
        match prim {
            Prim::Bool | Prim::I8 | Prim::U8 => Layout::new(1, 1),
            Prim::I16 | Prim::U16 => Layout::new(2, 2),
            Prim::I32 | Prim::U32 | Prim::F32 => Layout::new(4, 4),
            Prim::I64 | Prim::U64 | Prim::F64 => Layout::new(8, align8),
            Prim::Long | Prim::ULong | Prim::Pointer => Layout::new(ptr, ptr),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The primitive C types the generators lay out. Aliases (`int` = `I32`, `size_t` = `ULong`, `natural_t`
/// = `U32`) are resolved by the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Prim {
    /// `_Bool`.
    Bool,
    /// `int8_t`, `char`.
    I8,
    /// `uint8_t`, `unsigned char`.
    U8,
    /// `int16_t`.
    I16,
    /// `uint16_t`.
    U16,
    /// `int32_t`, `int`.
    I32,
    /// `uint32_t`, `unsigned int`.
    U32,
    /// `int64_t`, `long long`.
    I64,
    /// `uint64_t`.
    U64,
    /// `float`.
    F32,
    /// `double`.
    F64,
    /// `long`.
    Long,
    /// `unsigned long`, `size_t`.
    ULong,
    /// Any data or function pointer.
    Pointer,
}

/// Size and alignment of a C type, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Layout {
    /// `sizeof`.
    pub size: u64,
    /// `_Alignof`.
    pub align: u64,
}

impl Layout {
    /// A layout with the given size and alignment.
    pub const fn new(size: u64, align: u64) -> Self {
        Layout { size, align }
    }

    /// `T[n]`.
    pub fn array(self, n: u64) -> Layout {
        Layout { size: self.size * n, align: self.align }
    }

    /// `T __attribute__((aligned(a)))`: raises, never lowers, the alignment.
    pub fn aligned(self, align: u64) -> Layout {
        let align = self.align.max(align);
        Layout { size: round_up(self.size, align), align }
    }
}

/// Rounds `n` up to a multiple of `align` (a power of two, or 1).
pub fn round_up(n: u64, align: u64) -> u64 {
    if align <= 1 { n } else { n.div_ceil(align) * align }
}

/// One laid-out field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldLayout {
    /// The field's C name.
    pub name: String,
    /// `offsetof`.
    pub offset: u64,
    /// `sizeof` of the field.
    pub size: u64,
}

/// A laid-out struct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StructLayout {
    /// The fields in declaration order.
    pub fields: Vec<FieldLayout>,
    /// `sizeof` of the struct, tail padding included.
    pub size: u64,
    /// `_Alignof` of the struct.
    pub align: u64,
}

impl StructLayout {
    /// The struct as a field type of another struct.
    pub fn layout(&self) -> Layout {
        Layout::new(self.size, self.align)
    }

    /// The field called `name`.
    pub fn field(&self, name: &str) -> Option<&FieldLayout> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// Lays out a struct one field at a time.
#[derive(Debug, Clone)]
pub struct StructBuilder {
    pack: Option<u64>,
    fields: Vec<FieldLayout>,
    offset: u64,
    align: u64,
}

impl StructBuilder {
    /// A struct with natural alignment.
    pub fn new() -> Self {
        StructBuilder { pack: None, fields: Vec::new(), offset: 0, align: 1 }
    }

    /// A struct under `#pragma pack(push, n)`: no field is aligned to more than `n`.
    pub fn packed(n: u64) -> Self {
        StructBuilder { pack: Some(n), ..StructBuilder::new() }
    }

    /// Appends a field and returns its offset.
    pub fn field(&mut self, name: impl Into<String>, layout: Layout) -> u64 {
        let align = match self.pack {
            Some(p) => layout.align.min(p),
            None => layout.align,
        };
        let offset = round_up(self.offset, align);
        self.fields.push(FieldLayout { name: name.into(), offset, size: layout.size });
        self.offset = offset + layout.size;
        self.align = self.align.max(align);
        offset
    }

    /// The offset the next field of alignment 1 would get.
    pub fn current_offset(&self) -> u64 {
        self.offset
    }

    /// Pads the struct to its alignment and returns the result.
    pub fn finish(self) -> StructLayout {
        StructLayout { size: round_up(self.offset, self.align), align: self.align, fields: self.fields }
    }
}

impl Default for StructBuilder {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_layout_pads_between_and_after() {
        let t = Target::X86_64;
        let mut b = StructBuilder::new();
        assert_eq!(b.field("a", t.prim(Prim::U8)), 0);
        assert_eq!(b.field("b", t.prim(Prim::U64)), 8);
        assert_eq!(b.field("c", t.prim(Prim::U16)), 16);
        let s = b.finish();
        assert_eq!((s.size, s.align), (24, 8));
    }

    #[test]
    fn i386_aligns_64_bit_scalars_to_4() {
        let t = Target::I386;
        let mut b = StructBuilder::new();
        b.field("a", t.prim(Prim::U32));
        assert_eq!(b.field("b", t.prim(Prim::U64)), 4);
        assert_eq!(b.finish().size, 12);
        // Unless the field asks for 8 explicitly, as rpc-gen's wire structs do.
        let mut b = StructBuilder::new();
        b.field("a", t.prim(Prim::U32));
        assert_eq!(b.field("b", t.prim(Prim::U64).aligned(8)), 8);
        assert_eq!(b.finish().size, 16);
    }

    #[test]
    fn pack_4_caps_alignment() {
        // Shape of a MIG request: header (24), NDR (8), then a 64-bit value right after a 32-bit one.
        let t = Target::X86_64;
        let mut b = StructBuilder::packed(4);
        b.field("Head", Layout::new(24, 4));
        b.field("NDR", Layout::new(8, 4));
        b.field("x", t.prim(Prim::U32));
        assert_eq!(b.field("y", t.prim(Prim::U64)), 36);
        let s = b.finish();
        assert_eq!((s.size, s.align), (44, 4));
    }

    #[test]
    fn target_names_round_trip() {
        for t in Target::ALL {
            assert_eq!(Target::from_name(t.name()), Some(t));
        }
        assert_eq!(Target::from_name("ppc"), None);
    }
}
