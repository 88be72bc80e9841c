/*
 * darling-rs <mach/machine/processor_info.h>: machine-dependent processor
 * information.
 *
 * Intel targets define no flavors beyond the generic ones in
 * <mach/processor_info.h>; the header exists because that one includes it.
 */

#ifndef DARLING_MACH_MACHINE_PROCESSOR_INFO_H
#define DARLING_MACH_MACHINE_PROCESSOR_INFO_H

#endif /* DARLING_MACH_MACHINE_PROCESSOR_INFO_H */
