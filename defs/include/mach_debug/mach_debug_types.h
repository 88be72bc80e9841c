/*
 * darling-rs <mach_debug/mach_debug_types.h>: the C side of
 * defs/mach/debug_types.defs, for the debugging calls of mach_port, task
 * and mach_host.
 */

#ifndef DARLING_MACH_DEBUG_MACH_DEBUG_TYPES_H
#define DARLING_MACH_DEBUG_MACH_DEBUG_TYPES_H

#include <mach_debug/ipc_info.h>
#include <mach_debug/zone_info.h>
#include <mach_debug/hash_info.h>
#include <mach_debug/lockgroup_info.h>
#include <mach_debug/vm_info.h>
#include <mach_debug/page_info.h>

/* Names of kernel symbols (symtab_name_t) and kernel objects. */
typedef char symtab_name_t[32];

#define KOBJECT_DESCRIPTION_LENGTH 512
typedef char kobject_description_t[KOBJECT_DESCRIPTION_LENGTH];

#endif /* DARLING_MACH_DEBUG_MACH_DEBUG_TYPES_H */
