/*
 * darling-rs <mach/std_types.h>: the C side of std_types.defs.
 *
 * Every MIG-generated header imports it, so it gathers the basic types an
 * interface's prototypes use: fixed-width integers, boolean_t,
 * kern_return_t, ports and the machine words.
 */

#ifndef DARLING_MACH_STD_TYPES_H
#define DARLING_MACH_STD_TYPES_H

#include <stdint.h>
#include <mach/boolean.h>
#include <mach/kern_return.h>
#include <mach/port.h>
#include <mach/machine/vm_types.h>

#endif /* DARLING_MACH_STD_TYPES_H */
