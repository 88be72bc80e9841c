/*
 * Test-only stand-in for a kernel's <kern/ipc_mig.h>, for compiling the KernelUser and KernelServer
 * fixtures as a kernel would (-D__MigKernelSpecificCode=1): the kernel's send entry points and the port
 * calls kernel-server stubs make. A kernel's ports are objects (pointers); here, as in the user-space
 * headers, they stay 32-bit names, so ipc_port_t is an integer and the stubs' casts stay warning-free.
 */
#ifndef MIGC_TEST_KERN_IPC_MIG_H
#define MIGC_TEST_KERN_IPC_MIG_H

#include <mach/min.h>

typedef natural_t ipc_port_t;
#define IP_VALID(port) ((port) != 0)

#ifndef MACH_MSGH_BITS_CIRCULAR
#define MACH_MSGH_BITS_CIRCULAR 0x10000000U
#endif

extern mach_msg_return_t mach_msg_rpc_from_kernel(mach_msg_header_t *msg, mach_msg_size_t send_size,
	mach_msg_size_t rcv_size);
extern mach_msg_return_t mach_msg_send_from_kernel(mach_msg_header_t *msg, mach_msg_size_t send_size);
extern void ipc_port_release_send(ipc_port_t port);
extern boolean_t ipc_port_check_circularity(ipc_port_t port, ipc_port_t dest);

#endif
