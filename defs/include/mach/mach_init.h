/*
 * darling-rs <mach/mach_init.h>: what every Mach program has from its first
 * instruction: its task port, the host and thread ports, its bootstrap port
 * and the page size. The darling-rs shim sets these up and implements the
 * functions. Names and prototypes are Apple's (Apple: mach/mach_init.h).
 */

#ifndef DARLING_MACH_MACH_INIT_H
#define DARLING_MACH_MACH_INIT_H

#include <mach/mach_types.h>
#include <mach/vm_page_size.h>
#include <mach/thread_switch.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The calling task's own port. Programs built for macOS read the variable
 * directly (mach_task_self() is a macro), so the shim must export it.
 */
extern mach_port_t mach_task_self_;
#define mach_task_self() mach_task_self_
#define current_task() mach_task_self()

/* A send right to the host's name port; each call adds a reference. */
extern mach_port_t mach_host_self(void);

/* A send right to the calling thread's port; each call adds a reference. */
extern mach_port_t mach_thread_self(void);

/* The host's page size; built on the _host_page_size MIG call. */
extern kern_return_t host_page_size(host_t host, vm_size_t *out_page_size);

/* The port of this task's bootstrap (name) server; see <servers/bootstrap.h>. */
extern mach_port_t bootstrap_port;

/* Slots of mach_ports_register and mach_ports_lookup. */
#define MACH_PORTS_SLOTS_USED 3
#define NAME_SERVER_SLOT 0
#define ENVIRONMENT_SLOT 1
#define SERVICE_SLOT 2

#ifdef __cplusplus
}
#endif

#endif /* DARLING_MACH_MACH_INIT_H */
