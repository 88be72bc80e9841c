/*
 * darling-rs <mach/mach_interface.h>: the user interfaces of the kernel's
 * MIG subsystems.
 *
 * Most of these headers are generated from defs/mach by `cargo xtask gen`
 * and installed next to the hand-written ones in the prefix, so this header
 * only compiles where the generated headers are on the include path.
 */

#ifndef DARLING_MACH_MACH_INTERFACE_H
#define DARLING_MACH_MACH_INTERFACE_H

#include <mach/mach_port.h>
#include <mach/mach_host.h>
#include <mach/host_priv.h>
#include <mach/task.h>
#include <mach/thread_act.h>
#include <mach/clock.h>
#include <mach/semaphore.h>
#include <mach/vm_map.h>

#endif /* DARLING_MACH_MACH_INTERFACE_H */
