/*
 * darling-rs <servers/bootstrap_types.h>: types and result codes of the
 * bootstrap name service.
 *
 * The generated stubs of defs/mach/bootstrap.defs import this header for
 * name_t; <servers/bootstrap.h> builds the public calls on it. Names and
 * values are the ones macOS programs use (Apple: servers/bootstrap.h,
 * servers/bootstrap_defs.h).
 */

#ifndef DARLING_SERVERS_BOOTSTRAP_TYPES_H
#define DARLING_SERVERS_BOOTSTRAP_TYPES_H

#define BOOTSTRAP_MAX_NAME_LEN 128
#define BOOTSTRAP_MAX_CMD_LEN 512

/* A service name: at most 127 characters and the terminating zero. */
typedef char name_t[BOOTSTRAP_MAX_NAME_LEN];
typedef char cmd_t[BOOTSTRAP_MAX_CMD_LEN];
typedef name_t *name_array_t;

/* The most names one lookup of several names may carry. */
#define BOOTSTRAP_MAX_LOOKUP_COUNT 20

typedef int bootstrap_status_t;
typedef bootstrap_status_t *bootstrap_status_array_t;

/* Results, in the kern_return_t of the calls. */
#define BOOTSTRAP_SUCCESS 0
#define BOOTSTRAP_NOT_PRIVILEGED 1100
#define BOOTSTRAP_NAME_IN_USE 1101
#define BOOTSTRAP_UNKNOWN_SERVICE 1102
#define BOOTSTRAP_SERVICE_ACTIVE 1103
#define BOOTSTRAP_BAD_COUNT 1104
#define BOOTSTRAP_NO_MEMORY 1105
#define BOOTSTRAP_NO_CHILDREN 1106

/* The states of a registered service. */
#define BOOTSTRAP_STATUS_INACTIVE 0
#define BOOTSTRAP_STATUS_ACTIVE 1
#define BOOTSTRAP_STATUS_ON_DEMAND 2

#endif /* DARLING_SERVERS_BOOTSTRAP_TYPES_H */
