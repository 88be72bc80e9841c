/*
 * darling-rs <mach/machine/thread_status.h>: the target's register state
 * flavors and structures.
 *
 * darling-rs runs Intel code, so only the x86 states are described; on other
 * targets this header adds nothing to the generic <mach/thread_status.h>.
 */

#ifndef DARLING_MACH_MACHINE_THREAD_STATUS_H
#define DARLING_MACH_MACHINE_THREAD_STATUS_H

#if defined(__i386__) || defined(__x86_64__)
#include <mach/i386/thread_status.h>
#endif

#endif /* DARLING_MACH_MACHINE_THREAD_STATUS_H */
