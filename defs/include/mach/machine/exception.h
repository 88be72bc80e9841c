/*
 * darling-rs <mach/machine/exception.h>: machine-dependent exception facts.
 *
 * Facts (Apple: i386/exception.h, arm/exception.h): there are 14 exception
 * types, at most two code words, and no machine-specific exception mask on
 * user targets. The x86 code values live in <mach/i386/exception.h>.
 */

#ifndef DARLING_MACH_MACHINE_EXCEPTION_H
#define DARLING_MACH_MACHINE_EXCEPTION_H

#define EXC_TYPES_COUNT 14
#define EXCEPTION_CODE_MAX 2
#define EXC_MASK_MACHINE 0

#if defined(__i386__) || defined(__x86_64__)
#include <mach/i386/exception.h>
#endif

#endif /* DARLING_MACH_MACHINE_EXCEPTION_H */
