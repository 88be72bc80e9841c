/*
 * Test-only stand-in for a kernel's <kern/kern_cdata.h>, which XNU's mach_types.defs imports into its
 * KernelServer stubs for their type conversions. migc's corpus test declares every conversion the
 * stubs call itself (from the interfaces' intran, outtran and destructor functions).
 */
#include <kern/ipc_mig.h>
