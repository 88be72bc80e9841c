/*
 * darling-rs <mach/thread_special_ports.h>: the special ports every thread
 * has. Numbers are Apple's (Apple: mach/thread_special_ports.h).
 */

#ifndef DARLING_MACH_THREAD_SPECIAL_PORTS_H
#define DARLING_MACH_THREAD_SPECIAL_PORTS_H

#define THREAD_KERNEL_PORT 1
#define THREAD_INSPECT_PORT 2
#define THREAD_READ_PORT 3

#define THREAD_MAX_SPECIAL_PORT THREAD_READ_PORT

/* The flavors of thread port, strongest first. */
#define THREAD_FLAVOR_CONTROL 0
#define THREAD_FLAVOR_READ 1
#define THREAD_FLAVOR_INSPECT 2

#define thread_get_kernel_port(thread, port) \
	(thread_get_special_port((thread), THREAD_KERNEL_PORT, (port)))
#define thread_set_kernel_port(thread, port) \
	(thread_set_special_port((thread), THREAD_KERNEL_PORT, (port)))

#endif /* DARLING_MACH_THREAD_SPECIAL_PORTS_H */
