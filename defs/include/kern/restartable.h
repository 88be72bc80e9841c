/*
 * darling-rs <kern/restartable.h>: restartable ranges, code sections the
 * kernel rewinds a thread to the start of (plus an offset) when it is
 * interrupted inside one; the Objective-C runtime's method cache uses them.
 * Layouts and prototypes are Apple's (Apple: kern/restartable.h); the
 * task_restartable interface (restartable.defs) sends a range as two
 * 64-bit words.
 */

#ifndef DARLING_KERN_RESTARTABLE_H
#define DARLING_KERN_RESTARTABLE_H

#include <mach/message.h>
#include <mach/mach_types.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	mach_vm_address_t location;   /* first byte of the section */
	unsigned short length;        /* its length in bytes */
	unsigned short recovery_offs; /* where to resume, from location */
	unsigned int flags;           /* unused: 0 */
} task_restartable_range_t;

typedef task_restartable_range_t *task_restartable_range_array_t;

/* The largest length or recovery_offs the kernel accepts. */
#define TASK_RESTARTABLE_OFFSET_MAX 4096u

/* The MIG calls of task_restartable, as the generated header declares them too. */
extern kern_return_t task_restartable_ranges_register(
	task_t task,
	task_restartable_range_array_t ranges,
	mach_msg_type_number_t count);

extern kern_return_t task_restartable_ranges_synchronize(task_t task);

#ifdef __cplusplus
}
#endif

#endif /* DARLING_KERN_RESTARTABLE_H */
