/*
 * darling-rs <mach/vm_types.h>: types for addresses, address spaces and
 * memory objects, on top of the machine-dependent widths.
 *
 * Facts from Apple (Apple: mach/vm_types.h); in user space every VM object
 * is named by a port.
 */

#ifndef DARLING_MACH_VM_TYPES_H
#define DARLING_MACH_VM_TYPES_H

#include <stdint.h>
#include <mach/port.h>
#include <mach/machine/vm_types.h>

typedef vm_offset_t pointer_t;
typedef vm_offset_t vm_address_t;

/* Physical addresses and page numbers. */
typedef uint64_t addr64_t;
typedef uint32_t reg64_t;
typedef uint32_t ppnum_t;

/* Address spaces: control, read and inspect rights. */
typedef mach_port_t vm_map_t;
typedef mach_port_t vm_map_read_t;
typedef mach_port_t vm_map_inspect_t;

#define VM_MAP_NULL ((vm_map_t)0)
#define VM_MAP_INSPECT_NULL ((vm_map_inspect_t)0)
#define VM_MAP_READ_NULL ((vm_map_read_t)0)

typedef uint64_t vm_object_offset_t;
typedef uint64_t vm_object_size_t;

typedef mach_port_t upl_t;
typedef mach_port_t vm_named_entry_t;

#define UPL_NULL ((upl_t)0)
#define VM_NAMED_ENTRY_NULL ((vm_named_entry_t)0)

#endif /* DARLING_MACH_VM_TYPES_H */
