//! Message layouts: the fields of a routine's request and reply and their sizes on a target, by MIG's
//! rules (see [`Message`]), laid out with codegen's C layout engine under `#pragma pack(4)`.

use codegen::Target;
use codegen::layout::{Layout, StructBuilder};

use crate::model::*;

/// Size of `mach_msg_header_t` (the same on every target).
const HEADER: Layout = Layout::new(24, 4);
/// `mach_msg_body_t`.
const BODY: Layout = Layout::new(4, 4);
/// `NDR_record_t`: eight bytes.
const NDR: Layout = Layout::new(8, 1);
/// `kern_return_t`, `mach_msg_type_number_t`.
const WORD: Layout = Layout::new(4, 4);

/// Size and alignment of a descriptor on `target`.
pub fn descriptor_layout(kind: DescriptorKind, target: Target) -> Layout {
    match kind {
        DescriptorKind::Port => Layout::new(12, 4),
        // `void *address` plus two 32-bit words.
        DescriptorKind::OutOfLine | DescriptorKind::OutOfLinePorts => {
            let p = target.pointer_size();
            Layout::new(p + 8, p)
        }
    }
}

/// The request of a routine with these arguments.
pub fn request(args: &[Arg], target: Target) -> Message {
    build(args, target, Side::Request, false)
}

/// The reply of a `routine` with these arguments.
pub fn reply(args: &[Arg], target: Target) -> Message {
    build(args, target, Side::Reply, true)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Request,
    Reply,
}

struct Pending {
    field: Field,
    layout: Layout,
}

fn field(
    name: String,
    role: FieldRole,
    arg: Option<usize>,
    c: (&str, &str),
    len: Option<u64>,
    variable: bool,
    element: Layout,
) -> Pending {
    let layout = match len {
        Some(n) => element.array(n),
        None => element,
    };
    Pending {
        field: Field {
            name,
            role,
            arg,
            user_c: c.0.to_string(),
            server_c: c.1.to_string(),
            array_len: len,
            variable,
            element_size: element.size,
            offset: 0,
            size: layout.size,
        },
        layout,
    }
}

const COUNT_C: (&str, &str) = ("mach_msg_type_number_t", "mach_msg_type_number_t");

fn build(args: &[Arg], target: Target, side: Side, ret_code: bool) -> Message {
    let carried = |a: &Arg| match side {
        Side::Request => a.kind.in_request(),
        Side::Reply => a.kind.in_reply(),
    };
    let mut descriptors: Vec<Pending> = Vec::new();
    let mut inline: Vec<Pending> = Vec::new();
    let mut descriptor_count = 0;
    let mut variable_descriptors = false;
    for (i, arg) in args.iter().enumerate() {
        let count_here = |inline: &mut Vec<Pending>| {
            if let Some(count) = &arg.count
                && !arg.flags.same_count
            {
                inline.push(field(count.clone(), FieldRole::Count, Some(i), COUNT_C, None, false, WORD));
            }
        };
        if !carried(arg) {
            // `CountInOut`: the caller's buffer size travels in the request.
            if side == Side::Request && arg.kind == ArgKind::Out && arg.flags.count_in_out {
                count_here(&mut inline);
            }
            continue;
        }
        let c = (arg.ty.user_c.as_str(), arg.ty.server_c.as_str());
        match &arg.ty.shape {
            Shape::Port(_) => {
                let kind = DescriptorKind::Port;
                let d = field(
                    arg.name.clone(),
                    FieldRole::Descriptor(kind),
                    Some(i),
                    (kind.c_type(), kind.c_type()),
                    None,
                    false,
                    descriptor_layout(kind, target),
                );
                descriptors.push(d);
                descriptor_count += 1;
            }
            Shape::Array(a) if a.out_of_line => {
                let kind = if a.element.is_port() {
                    DescriptorKind::OutOfLinePorts
                } else {
                    DescriptorKind::OutOfLine
                };
                descriptors.push(field(
                    arg.name.clone(),
                    FieldRole::Descriptor(kind),
                    Some(i),
                    (kind.c_type(), kind.c_type()),
                    None,
                    false,
                    descriptor_layout(kind, target),
                ));
                descriptor_count += 1;
                count_here(&mut inline);
            }
            Shape::Array(a) if a.element.is_port() => {
                // An inline array of ports is an array of port descriptors.
                let kind = DescriptorKind::Port;
                let n = a.count.unwrap_or(1);
                descriptors.push(field(
                    arg.name.clone(),
                    FieldRole::Descriptor(kind),
                    Some(i),
                    (kind.c_type(), kind.c_type()),
                    Some(n),
                    a.variable,
                    descriptor_layout(kind, target),
                ));
                descriptor_count += n;
                variable_descriptors |= a.variable;
                count_here(&mut inline);
            }
            Shape::Array(a) => {
                count_here(&mut inline);
                let n = a.count.unwrap_or(1);
                let element = Layout::new(a.element.inline_size().unwrap_or(4), a.element.inline_align());
                // A fixed array of a named type is declared with that name, as Apple's mig does
                // (`mach_vm_read_entry_t data_list;`): its C type may be an array of structs where MIG
                // sees words, and server functions take the C type.
                if !a.variable && !arg.ty.user_c.is_empty() {
                    inline.push(field(
                        arg.name.clone(),
                        FieldRole::Data,
                        Some(i),
                        c,
                        None,
                        false,
                        element.array(n),
                    ));
                    pad(&mut inline, arg, i, element.size * n);
                    continue;
                }
                let (ec, es) = (element_c(&a.element, true), element_c(&a.element, false));
                inline.push(field(
                    arg.name.clone(),
                    FieldRole::Data,
                    Some(i),
                    (&ec, &es),
                    Some(n),
                    a.variable,
                    element,
                ));
                if !a.variable {
                    pad(&mut inline, arg, i, element.size * n);
                }
            }
            Shape::CString { max, variable } => {
                if *variable {
                    inline.push(field(
                        format!("{}Offset", arg.name),
                        FieldRole::StringOffset,
                        Some(i),
                        COUNT_C,
                        None,
                        false,
                        WORD,
                    ));
                    count_here(&mut inline);
                }
                inline.push(field(
                    arg.name.clone(),
                    FieldRole::Data,
                    Some(i),
                    ("char", "char"),
                    Some(*max),
                    *variable,
                    Layout::new(1, 1),
                ));
                if !*variable {
                    pad(&mut inline, arg, i, *max);
                }
            }
            Shape::Scalar(_) | Shape::Struct(..) => {
                let size = c_struct_size(&arg.ty.user_c, target)
                    .unwrap_or_else(|| arg.ty.inline_size().unwrap_or(4));
                inline.push(field(
                    arg.name.clone(),
                    FieldRole::Data,
                    Some(i),
                    c,
                    None,
                    false,
                    Layout::new(size, arg.ty.inline_align()),
                ));
                pad(&mut inline, arg, i, size);
            }
        }
    }
    let complex = !descriptors.is_empty();
    let mut all = vec![field(
        "Head".into(),
        FieldRole::Header,
        None,
        ("mach_msg_header_t", "mach_msg_header_t"),
        None,
        false,
        HEADER,
    )];
    if complex {
        all.push(field(
            "msgh_body".into(),
            FieldRole::Body,
            None,
            ("mach_msg_body_t", "mach_msg_body_t"),
            None,
            false,
            BODY,
        ));
        all.extend(descriptors);
    }
    // A complex reply carries no RetCode: errors come back as a simple `mig_reply_error_t` instead.
    if ret_code && !complex {
        inline.insert(
            0,
            field(
                "RetCode".into(),
                FieldRole::RetCode,
                None,
                ("kern_return_t", "kern_return_t"),
                None,
                false,
                WORD,
            ),
        );
    }
    if !inline.is_empty() {
        all.push(field(
            "NDR".into(),
            FieldRole::Ndr,
            None,
            ("NDR_record_t", "NDR_record_t"),
            None,
            false,
            NDR,
        ));
        all.extend(inline);
    }
    let mut builder = StructBuilder::packed(4);
    let mut fields = Vec::with_capacity(all.len());
    let mut variable_bytes = 0;
    for p in all {
        let offset = builder.field(p.field.name.clone(), p.layout);
        if p.field.variable && p.field.role == FieldRole::Data {
            variable_bytes += p.field.size;
        }
        fields.push(Field { offset, ..p.field });
    }
    let size = builder.finish().size;
    Message {
        variable_size: fields.iter().any(|f| f.variable && f.role == FieldRole::Data),
        fields,
        size,
        complex,
        descriptors: descriptor_count,
        variable_descriptors,
        min_size: size - variable_bytes,
    }
}

/// C structs whose `sizeof` differs from their MIG declaration.
///
/// MIG sends the number of bytes the `.defs` declares, but the `__Request__`/`__Reply__` typedefs declare
/// the field with its C type, so `sizeof` of the typedef follows the C struct. Apple's headers declare
/// `dyld_kernel_process_info_t` (MIG: `struct[64] of MACH_MSG_TYPE_BYTE`) as a struct of 64-bit and
/// 32-bit fields that is 72 bytes on LP64 targets and 68 on i386. The oracle's `task_register_dyld_get_
/// process_state` reply size (108 on x86_64) is measured from that typedef.
fn c_struct_size(c_type: &str, target: Target) -> Option<u64> {
    match c_type {
        "dyld_kernel_process_info_t" => Some(if target.is_64_bit() { 72 } else { 68 }),
        _ => None,
    }
}

/// MIG pads inline data that is not a whole number of 4-byte words, so the next field starts on a word.
fn pad(inline: &mut Vec<Pending>, arg: &Arg, i: usize, size: u64) {
    let rem = size % 4;
    if rem != 0 {
        inline.push(field(
            format!("{}Pad", arg.name),
            FieldRole::Padding,
            Some(i),
            ("char", "char"),
            Some(4 - rem),
            false,
            Layout::new(1, 1),
        ));
    }
}

/// The C type of one element of an inline array: the element type's name, or for an anonymous element,
/// what it is made of.
fn element_c(element: &Type, user: bool) -> String {
    let c = if user { &element.user_c } else { &element.server_c };
    if !c.is_empty() {
        return c.clone();
    }
    match &element.shape {
        Shape::Array(a) => element_c(&a.element, user),
        Shape::Struct(e, _) => element_c(e, user),
        _ => "int".into(),
    }
}
