/*
 * darling-rs <mach/thread_status.h>: register state as the thread and task
 * state calls exchange it: a flavor and an array of 32-bit words.
 *
 * Facts from Apple (Apple: mach/thread_status.h); the machine's flavors and
 * structures come from <mach/machine/thread_status.h>.
 */

#ifndef DARLING_MACH_THREAD_STATUS_H
#define DARLING_MACH_THREAD_STATUS_H

#include <mach/message.h>
#include <mach/machine/vm_types.h>
#include <mach/machine/thread_state.h>
#include <mach/machine/thread_status.h>

typedef natural_t *thread_state_t;
typedef natural_t thread_state_data_t[THREAD_STATE_MAX];

/* Flavors every machine answers: the lists of the machine's flavors. */
#define THREAD_STATE_FLAVOR_LIST 0
#define THREAD_STATE_FLAVOR_LIST_NEW 128
#define THREAD_STATE_FLAVOR_LIST_10_9 129
#define THREAD_STATE_FLAVOR_LIST_10_13 130
#define THREAD_STATE_FLAVOR_LIST_10_15 131

typedef int thread_state_flavor_t;
typedef thread_state_flavor_t *thread_state_flavor_array_t;

/* Directions of thread_convert_thread_state. */
#define THREAD_CONVERT_THREAD_STATE_TO_SELF 1
#define THREAD_CONVERT_THREAD_STATE_FROM_SELF 2

#endif /* DARLING_MACH_THREAD_STATUS_H */
