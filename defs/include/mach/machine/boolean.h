/*
 * darling-rs <mach/machine/boolean.h>: the machine's boolean_t.
 *
 * Facts (Apple: i386/boolean.h, arm/boolean.h): 64-bit Intel user code sees
 * an unsigned int, every other target an int. Both are 4 bytes.
 */

#ifndef DARLING_MACH_MACHINE_BOOLEAN_H
#define DARLING_MACH_MACHINE_BOOLEAN_H

#if defined(__x86_64__)
typedef unsigned int boolean_t;
#else
typedef int boolean_t;
#endif

#endif /* DARLING_MACH_MACHINE_BOOLEAN_H */
