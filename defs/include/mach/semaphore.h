/*
 * darling-rs <mach/semaphore.h>: operations on Mach semaphores.
 *
 * Semaphores are created with semaphore_create (task.defs). These
 * prototypes are Apple's public ones (Apple: mach/semaphore.h); they match
 * the stubs generated from defs/mach/mach_semaphore.defs, through which the
 * darling-rs shim implements them.
 */

#ifndef DARLING_MACH_SEMAPHORE_H
#define DARLING_MACH_SEMAPHORE_H

#include <mach/port.h>
#include <mach/mach_types.h>
#include <mach/kern_return.h>
#include <mach/sync_policy.h>

#ifdef __cplusplus
extern "C" {
#endif

extern kern_return_t semaphore_signal(semaphore_t semaphore);
extern kern_return_t semaphore_signal_all(semaphore_t semaphore);
extern kern_return_t semaphore_wait(semaphore_t semaphore);
extern kern_return_t semaphore_timedwait(semaphore_t semaphore, mach_timespec_t wait_time);
extern kern_return_t semaphore_timedwait_signal(semaphore_t wait_semaphore,
	semaphore_t signal_semaphore, mach_timespec_t wait_time);
extern kern_return_t semaphore_wait_signal(semaphore_t wait_semaphore, semaphore_t signal_semaphore);
extern kern_return_t semaphore_signal_thread(semaphore_t semaphore, thread_t thread);

#ifdef __cplusplus
}
#endif

#endif /* DARLING_MACH_SEMAPHORE_H */
