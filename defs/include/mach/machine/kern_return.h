/*
 * darling-rs <mach/machine/kern_return.h>: the machine's kern_return_t.
 *
 * It is an int on every target Apple ships (Apple: i386/kern_return.h).
 */

#ifndef DARLING_MACH_MACHINE_KERN_RETURN_H
#define DARLING_MACH_MACHINE_KERN_RETURN_H

typedef int kern_return_t;

#endif /* DARLING_MACH_MACHINE_KERN_RETURN_H */
