/*
 * darling-rs <servers/bootstrap.h>: the bootstrap name service, as programs
 * use it: a server registers a port under a name (or checks in to receive
 * the one reserved for it), and clients look the name up.
 *
 * The prototypes are the public macOS ones (Apple: servers/bootstrap.h).
 * They are to be implemented on the darling_bootstrap_* stubs generated
 * from defs/mach/bootstrap.defs, the project's own interface (ids
 * 1146241536 to 1146241538), not launchd's, once the runtime has Mach IPC;
 * no library in the prefix defines them yet.
 */

#ifndef DARLING_SERVERS_BOOTSTRAP_H
#define DARLING_SERVERS_BOOTSTRAP_H

#include <mach/std_types.h>
#include <mach/message.h>
#include <servers/bootstrap_types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The port of the calling task's bootstrap server (TASK_BOOTSTRAP_PORT). */
extern mach_port_t bootstrap_port;

/*
 * Make sp, a send right, reachable under service_name. Fails with
 * BOOTSTRAP_NAME_IN_USE if the name is taken. Deprecated on macOS in favour
 * of bootstrap_check_in, but still what simple servers use.
 */
extern kern_return_t bootstrap_register(mach_port_t bp, name_t service_name, mach_port_t sp);

/*
 * Get a send right to the port registered under service_name, or
 * BOOTSTRAP_UNKNOWN_SERVICE.
 */
extern kern_return_t bootstrap_look_up(mach_port_t bp, const name_t service_name, mach_port_t *sp);

/*
 * Claim service_name and receive the receive right its clients send to.
 * Fails with BOOTSTRAP_SERVICE_ACTIVE if another task already checked in.
 */
extern kern_return_t bootstrap_check_in(mach_port_t bp, const name_t service_name, mach_port_t *sp);

#ifdef __cplusplus
}
#endif

#endif /* DARLING_SERVERS_BOOTSTRAP_H */
