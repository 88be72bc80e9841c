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

typedef mach_vm_offset_t *mach_vm_offset_list_t;

/* An address range, min_address <= max_address. */
typedef struct mach_vm_range {
	mach_vm_offset_t min_address;
	mach_vm_offset_t max_address;
} *mach_vm_range_t;

/*
 * mach_vm_range_create: the flavor says how to read the recipes, which
 * travel as raw bytes. Apple declares these as enums with a fixed
 * underlying type (a C23/clang extension); the widths are what matter.
 */
typedef uint32_t mach_vm_range_flavor_t;
#define MACH_VM_RANGE_FLAVOR_INVALID ((mach_vm_range_flavor_t)0)
#define MACH_VM_RANGE_FLAVOR_V1 ((mach_vm_range_flavor_t)1)
#define MACH_VM_RANGE_FLAVOR_DEFAULT MACH_VM_RANGE_FLAVOR_V1

typedef uint64_t mach_vm_range_flags_t;
#define MACH_VM_RANGE_NONE ((mach_vm_range_flags_t)0)

typedef uint16_t mach_vm_range_tag_t;
#define MACH_VM_RANGE_DEFAULT ((mach_vm_range_tag_t)0)
#define MACH_VM_RANGE_DATA ((mach_vm_range_tag_t)1)
#define MACH_VM_RANGE_FIXED ((mach_vm_range_tag_t)2)

/* One recipe of flavor V1: 48 bits of flags, the range's tag, a VM tag, the range (24 bytes). */
#pragma pack(push, 1)
typedef struct {
	uint64_t flags : 48;
	uint64_t range_tag : 8;
	uint64_t vm_tag : 8;
	struct mach_vm_range range;
} mach_vm_range_recipe_v1_t;
#pragma pack(pop)

typedef mach_vm_range_recipe_v1_t mach_vm_range_recipe_t;
typedef uint8_t *mach_vm_range_recipes_raw_t;

#endif /* DARLING_MACH_VM_TYPES_H */
