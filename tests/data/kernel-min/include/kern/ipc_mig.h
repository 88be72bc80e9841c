/*
 * Test-only stand-in for a kernel's <kern/ipc_mig.h>, on the project's own Mach headers
 * (defs/include): what MIG stubs compiled as kernel code (-D__MigKernelSpecificCode=1) call. Used by
 * migc's corpus test to compile XNU's KernelServer and KernelUser interfaces as a kernel would.
 *
 * In a kernel, mach_port_t and ipc_port_t are pointers to port objects; here they stay the 32-bit
 * names of the user-space headers, which keeps the stubs' casts between them warning-free.
 */
#ifndef MIGC_TEST_KERNEL_KERN_IPC_MIG_H
#define MIGC_TEST_KERNEL_KERN_IPC_MIG_H

#include <mach/message.h>
#include <mach/port.h>
#include <mach/mach_types.h>

typedef mach_port_t ipc_port_t;

/*
 * The VM's kernel-side "unsafe" types, which XNU's interfaces name as server types (VM_UNSAFE_TYPE in
 * machine_types.defs) so that values from a message must be sanitized before use. XNU wraps each in a
 * struct of one member; MIG only needs its size, that of the safe type.
 */
typedef vm_address_t vm_address_ut;
typedef vm_offset_t vm_offset_ut;
typedef vm_size_t vm_size_ut;
typedef vm_offset_t pointer_ut;
typedef mach_vm_address_t mach_vm_address_ut;
typedef mach_vm_offset_t mach_vm_offset_ut;
typedef mach_vm_size_t mach_vm_size_ut;
typedef memory_object_offset_t memory_object_offset_ut;
typedef memory_object_size_t memory_object_size_ut;
typedef vm_prot_t vm_prot_ut;
typedef vm_inherit_t vm_inherit_ut;
typedef vm_behavior_t vm_behavior_ut;
#define IP_VALID(port) ((port) != 0)

extern mach_msg_return_t mach_msg_rpc_from_kernel(mach_msg_header_t *msg, mach_msg_size_t send_size,
	mach_msg_size_t rcv_size);
extern mach_msg_return_t mach_msg_send_from_kernel(mach_msg_header_t *msg, mach_msg_size_t send_size);
extern void ipc_port_release_send(ipc_port_t port);
extern boolean_t ipc_port_check_circularity(ipc_port_t port, ipc_port_t dest);

#endif
