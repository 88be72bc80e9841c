/*
 * darling-rs <mach/machine/vm_types.h>: machine words, and the address and
 * size types whose width follows the target.
 *
 * Facts (Apple: i386/vm_types.h): natural_t and integer_t are 32 bits
 * everywhere; vm_offset_t and vm_size_t are pointer-sized; the mach_vm_*
 * and vm_map_* types are 64 bits on every target so that one task can
 * describe another of a different width.
 */

#ifndef DARLING_MACH_MACHINE_VM_TYPES_H
#define DARLING_MACH_MACHINE_VM_TYPES_H

#include <stdint.h>

typedef unsigned int natural_t;
typedef int integer_t;

#if defined(__LP64__)
typedef uintptr_t vm_offset_t;
typedef uintptr_t vm_size_t;
#else
typedef natural_t vm_offset_t;
typedef natural_t vm_size_t;
#endif

typedef uint64_t mach_vm_address_t;
typedef uint64_t mach_vm_offset_t;
typedef uint64_t mach_vm_size_t;

typedef uint64_t vm_map_offset_t;
typedef uint64_t vm_map_address_t;
typedef uint64_t vm_map_size_t;

/* The 32-bit VM types of the legacy interfaces. */
typedef uint32_t vm32_offset_t;
typedef uint32_t vm32_address_t;
typedef uint32_t vm32_size_t;

/* A receive right's context: one pointer wide in user space. */
typedef vm_offset_t mach_port_context_t;

#endif /* DARLING_MACH_MACHINE_VM_TYPES_H */
