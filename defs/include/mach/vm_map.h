/*
 * darling-rs <mach/vm_map.h>: allocating and freeing memory in a task.
 *
 * On macOS this header is generated from vm_map.defs. Until defs/mach has
 * that interface, it declares the two calls that MIG stubs and most
 * programs need; the darling-rs shim implements them. Prototypes are
 * Apple's (Apple: mach/vm_map.h).
 */

#ifndef DARLING_MACH_VM_MAP_H
#define DARLING_MACH_VM_MAP_H

#include <mach/kern_return.h>
#include <mach/vm_types.h>
#include <mach/vm_statistics.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Allocate zero-filled memory; with VM_FLAGS_ANYWHERE the kernel picks the address. */
extern kern_return_t vm_allocate(vm_map_t target_task, vm_address_t *address,
	vm_size_t size, int flags);

/* Release a range of memory. */
extern kern_return_t vm_deallocate(vm_map_t target_task, vm_address_t address,
	vm_size_t size);

#ifdef __cplusplus
}
#endif

#endif /* DARLING_MACH_VM_MAP_H */
