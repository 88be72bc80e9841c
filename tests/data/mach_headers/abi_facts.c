/*
 * darling-rs: sizes, offsets and constant values of the hand-written Mach
 * headers, checked at compile time for the target it is built for (x86_64,
 * or i386 with -m32). tests/tests/mach_headers.rs compiles it.
 *
 * Every expected number is Apple's; the comment before each group names the
 * Apple header (or, for counts, the MIG bound) the fact comes from. A
 * failing assertion means a darling-rs header disagrees with macOS, so
 * messages or structures would not be ABI-compatible.
 */

#include <stddef.h>
#include <mach/mach_types.h>
#include <mach/mig.h>
#include <mach/mig_errors.h>
#include <mach/notify.h>
#include <mach/ndr.h>
#include <mach/mach_init.h>
#include <mach/semaphore.h>
#include <mach_debug/mach_debug_types.h>
#include <servers/bootstrap.h>
#include <mach/audit_triggers_types.h>
#include <kern/ecc.h>
#include <kern/restartable.h>
#include <servers/netname_defs.h>

#define FACT(expr) _Static_assert(expr, #expr)

#if defined(__LP64__)
#define BY_WIDTH(lp64, ilp32) (lp64)
#else
#define BY_WIDTH(lp64, ilp32) (ilp32)
#endif

/* Apple: mach/machine/vm_types.h, mach/port.h, mach/message.h */
FACT(sizeof(natural_t) == 4);
FACT(sizeof(integer_t) == 4);
FACT(sizeof(boolean_t) == 4);
FACT(sizeof(kern_return_t) == 4);
FACT(sizeof(mach_port_t) == 4);
FACT(sizeof(mach_port_name_t) == 4);
FACT(sizeof(mach_msg_type_number_t) == 4);
FACT(sizeof(mach_msg_size_t) == 4);
FACT(sizeof(mach_msg_id_t) == 4);
FACT(sizeof(mach_msg_bits_t) == 4);
FACT(sizeof(mach_msg_option_t) == 4);
FACT(sizeof(mach_msg_timeout_t) == 4);
FACT(sizeof(vm_size_t) == sizeof(void *));
FACT(sizeof(vm_offset_t) == sizeof(void *));
FACT(sizeof(vm_address_t) == sizeof(void *));
FACT(sizeof(mach_port_context_t) == sizeof(void *));
FACT(sizeof(mach_vm_address_t) == 8);
FACT(sizeof(mach_vm_size_t) == 8);
FACT(sizeof(memory_object_offset_t) == 8);

/* Apple: mach/machine/boolean.h (unsigned on 64-bit Intel, signed elsewhere) */
FACT(BY_WIDTH((boolean_t)-1 > 0, (boolean_t)-1 < 0));

/* Apple: mach/message.h, the header */
FACT(sizeof(mach_msg_header_t) == 24);
FACT(offsetof(mach_msg_header_t, msgh_bits) == 0);
FACT(offsetof(mach_msg_header_t, msgh_size) == 4);
FACT(offsetof(mach_msg_header_t, msgh_remote_port) == 8);
FACT(offsetof(mach_msg_header_t, msgh_local_port) == 12);
FACT(offsetof(mach_msg_header_t, msgh_voucher_port) == 16);
FACT(offsetof(mach_msg_header_t, msgh_id) == 20);
FACT(sizeof(mach_msg_body_t) == 4);
FACT(sizeof(mach_msg_base_t) == 28);

/* Apple: mach/message.h, descriptors (packed to 4) */
FACT(sizeof(mach_msg_type_descriptor_t) == 12);
FACT(sizeof(mach_msg_port_descriptor_t) == 12);
FACT(sizeof(mach_msg_ool_descriptor32_t) == 12);
FACT(sizeof(mach_msg_ool_descriptor64_t) == 16);
FACT(sizeof(mach_msg_ool_descriptor_t) == BY_WIDTH(16, 12));
FACT(offsetof(mach_msg_ool_descriptor_t, size) == BY_WIDTH(12, 4));
FACT(sizeof(mach_msg_ool_ports_descriptor32_t) == 12);
FACT(sizeof(mach_msg_ool_ports_descriptor64_t) == 16);
FACT(sizeof(mach_msg_ool_ports_descriptor_t) == BY_WIDTH(16, 12));
FACT(offsetof(mach_msg_ool_ports_descriptor_t, count) == BY_WIDTH(12, 4));
FACT(sizeof(mach_msg_guarded_port_descriptor32_t) == 12);
FACT(sizeof(mach_msg_guarded_port_descriptor64_t) == 16);
FACT(sizeof(mach_msg_guarded_port_descriptor_t) == BY_WIDTH(16, 12));
FACT(sizeof(mach_msg_descriptor_t) == BY_WIDTH(16, 12));

/* Apple: mach/message.h, trailers */
FACT(sizeof(security_token_t) == 8);
FACT(sizeof(audit_token_t) == 32);
FACT(sizeof(mach_msg_trailer_t) == 8);
FACT(sizeof(mach_msg_seqno_trailer_t) == 12);
FACT(sizeof(mach_msg_security_trailer_t) == 20);
FACT(sizeof(mach_msg_format_0_trailer_t) == 20);
FACT(sizeof(mach_msg_audit_trailer_t) == 52);
FACT(sizeof(mach_msg_context_trailer_t) == BY_WIDTH(60, 56));
FACT(sizeof(mach_msg_mac_trailer_t) == BY_WIDTH(68, 64));
FACT(sizeof(mach_msg_max_trailer_t) == BY_WIDTH(68, 64));
FACT(MAX_TRAILER_SIZE == BY_WIDTH(68, 64));
FACT(offsetof(mach_msg_audit_trailer_t, msgh_audit) == 20);
FACT(sizeof(mach_msg_empty_rcv_t) == 32);
FACT(REQUESTED_TRAILER_SIZE(MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT)) == 52);
FACT(REQUESTED_TRAILER_SIZE(0) == 8);

/* Apple: mach/ndr.h, mach/mig_errors.h */
FACT(sizeof(NDR_record_t) == 8);
FACT(sizeof(mig_reply_error_t) == 36);
FACT(offsetof(mig_reply_error_t, NDR) == 24);
FACT(offsetof(mig_reply_error_t, RetCode) == 32);
FACT(NDR_PROTOCOL_2_0 == 0 && NDR_INT_LITTLE_ENDIAN == 1 && NDR_CHAR_ASCII == 0 && NDR_FLOAT_IEEE == 0);

/* Apple: mach/mig.h */
FACT(__MigPackStructs == 1);
FACT(sizeof(struct routine_descriptor) == BY_WIDTH(40, 24));

/* Apple: mach/port.h */
FACT(MACH_PORT_NULL == 0);
FACT(MACH_PORT_DEAD == 0xffffffffu);
FACT(MACH_PORT_RIGHT_SEND == 0 && MACH_PORT_RIGHT_RECEIVE == 1 && MACH_PORT_RIGHT_SEND_ONCE == 2);
FACT(MACH_PORT_RIGHT_PORT_SET == 3 && MACH_PORT_RIGHT_DEAD_NAME == 4 && MACH_PORT_RIGHT_NUMBER == 6);
FACT(MACH_PORT_TYPE_SEND == 0x10000 && MACH_PORT_TYPE_RECEIVE == 0x20000);
FACT(MACH_PORT_TYPE_SEND_ONCE == 0x40000 && MACH_PORT_TYPE_PORT_SET == 0x80000);
FACT(MACH_PORT_TYPE_DEAD_NAME == 0x100000);
FACT(MACH_PORT_QLIMIT_DEFAULT == 5 && MACH_PORT_QLIMIT_LARGE == 1024 && MACH_PORT_QLIMIT_KERNEL == 65534);
FACT(MACH_PORT_LIMITS_INFO == 1 && MACH_PORT_RECEIVE_STATUS == 2 && MACH_PORT_INFO_EXT == 7);
FACT(sizeof(mach_port_status_t) == 40 && MACH_PORT_RECEIVE_STATUS_COUNT == 10);
FACT(sizeof(mach_port_limits_t) == 4 && MACH_PORT_LIMITS_INFO_COUNT == 1);
FACT(sizeof(mach_port_info_ext_t) == 68 && MACH_PORT_INFO_EXT_COUNT == 17);
FACT(sizeof(mach_port_qos_t) == 8);
FACT(sizeof(mach_port_options_t) == 24);
FACT(sizeof(mach_service_port_info_data_t) == 256);
FACT(MPO_CONTEXT_AS_GUARD == 0x01 && MPO_INSERT_SEND_RIGHT == 0x10 && MPO_IMMOVABLE_RECEIVE == 0x80);

/* Apple: mach/message.h, dispositions and header bits */
FACT(MACH_MSG_TYPE_PORT_NAME == 15);
FACT(MACH_MSG_TYPE_MOVE_RECEIVE == 16 && MACH_MSG_TYPE_MOVE_SEND == 17);
FACT(MACH_MSG_TYPE_MOVE_SEND_ONCE == 18 && MACH_MSG_TYPE_COPY_SEND == 19);
FACT(MACH_MSG_TYPE_MAKE_SEND == 20 && MACH_MSG_TYPE_MAKE_SEND_ONCE == 21);
FACT(MACH_MSG_TYPE_COPY_RECEIVE == 22 && MACH_MSG_TYPE_DISPOSE_RECEIVE == 24);
FACT(MACH_MSG_TYPE_DISPOSE_SEND == 25 && MACH_MSG_TYPE_DISPOSE_SEND_ONCE == 26);
FACT(MACH_MSG_TYPE_PORT_SEND == MACH_MSG_TYPE_MOVE_SEND);
FACT(MACH_MSG_TYPE_POLYMORPHIC == 0xffffffffu);
FACT(MACH_MSGH_BITS_COMPLEX == 0x80000000u);
FACT(MACH_MSGH_BITS_REMOTE_MASK == 0x1f && MACH_MSGH_BITS_LOCAL_MASK == 0x1f00);
FACT(MACH_MSGH_BITS_VOUCHER_MASK == 0x1f0000 && MACH_MSGH_BITS_PORTS_MASK == 0x1f1f1f);
FACT(MACH_MSGH_BITS_USER == 0x801f1f1fu && MACH_MSGH_BITS_USED == 0xb01f1f1fu);
FACT(MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE) == 0x1513);
FACT(MACH_MSGH_BITS_SET_PORTS(17, 21, 19) == 0x131511);
FACT(MACH_MSGH_BITS_LOCAL(0x1513) == 21 && MACH_MSGH_BITS_REMOTE(0x1513) == 19);
FACT(MACH_MSG_PORT_DESCRIPTOR == 0 && MACH_MSG_OOL_DESCRIPTOR == 1);
FACT(MACH_MSG_OOL_PORTS_DESCRIPTOR == 2 && MACH_MSG_OOL_VOLATILE_DESCRIPTOR == 3);
FACT(MACH_MSG_GUARDED_PORT_DESCRIPTOR == 4);
FACT(MACH_MSG_PHYSICAL_COPY == 0 && MACH_MSG_VIRTUAL_COPY == 1 && MACH_MSG_ALLOCATE == 2);
FACT(MACH_MSG_TIMEOUT_NONE == 0);

/* Apple: mach/message.h, options */
FACT(MACH_MSG_OPTION_NONE == 0);
FACT(MACH_SEND_MSG == 0x1 && MACH_RCV_MSG == 0x2 && MACH_RCV_LARGE == 0x4);
FACT(MACH_SEND_TIMEOUT == 0x10 && MACH_SEND_INTERRUPT == 0x40 && MACH_SEND_NOTIFY == 0x80);
FACT(MACH_RCV_TIMEOUT == 0x100 && MACH_RCV_INTERRUPT == 0x400 && MACH_RCV_VOUCHER == 0x800);
FACT(MACH_SEND_TRAILER == 0x20000 && MACH_SEND_SYNC_OVERRIDE == 0x100000);
FACT(MACH_RCV_SYNC_WAIT == 0x4000 && MACH_MSG_STRICT_REPLY == 0x200);
FACT(MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) == 0);
FACT(MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT) == 0x03000000);

/* Apple: mach/message.h, errors */
FACT(MACH_MSG_SUCCESS == 0);
FACT(MACH_SEND_IN_PROGRESS == 0x10000001 && MACH_SEND_INVALID_DATA == 0x10000002);
FACT(MACH_SEND_INVALID_DEST == 0x10000003 && MACH_SEND_TIMED_OUT == 0x10000004);
FACT(MACH_SEND_INTERRUPTED == 0x10000007 && MACH_SEND_MSG_TOO_SMALL == 0x10000008);
FACT(MACH_SEND_INVALID_REPLY == 0x10000009 && MACH_SEND_INVALID_RIGHT == 0x1000000a);
FACT(MACH_SEND_INVALID_MEMORY == 0x1000000c && MACH_SEND_NO_BUFFER == 0x1000000d);
FACT(MACH_SEND_TOO_LARGE == 0x1000000e && MACH_SEND_INVALID_TYPE == 0x1000000f);
FACT(MACH_SEND_INVALID_HEADER == 0x10000010 && MACH_SEND_INVALID_TRAILER == 0x10000011);
FACT(MACH_RCV_IN_PROGRESS == 0x10004001 && MACH_RCV_INVALID_NAME == 0x10004002);
FACT(MACH_RCV_TIMED_OUT == 0x10004003 && MACH_RCV_TOO_LARGE == 0x10004004);
FACT(MACH_RCV_INTERRUPTED == 0x10004005 && MACH_RCV_PORT_CHANGED == 0x10004006);
FACT(MACH_RCV_INVALID_NOTIFY == 0x10004007 && MACH_RCV_INVALID_DATA == 0x10004008);
FACT(MACH_RCV_PORT_DIED == 0x10004009 && MACH_RCV_IN_SET == 0x1000400a);
FACT(MACH_RCV_HEADER_ERROR == 0x1000400b && MACH_RCV_BODY_ERROR == 0x1000400c);
FACT(MACH_RCV_INVALID_TYPE == 0x1000400d && MACH_RCV_SCATTER_SMALL == 0x1000400e);
FACT(MACH_RCV_INVALID_TRAILER == 0x1000400f && MACH_RCV_IN_PROGRESS_TIMED == 0x10004011);
FACT(MACH_MSG_IPC_SPACE == 0x2000 && MACH_MSG_VM_SPACE == 0x1000);

/* Apple: mach/kern_return.h */
FACT(KERN_SUCCESS == 0 && KERN_INVALID_ADDRESS == 1 && KERN_PROTECTION_FAILURE == 2);
FACT(KERN_NO_SPACE == 3 && KERN_INVALID_ARGUMENT == 4 && KERN_FAILURE == 5);
FACT(KERN_RESOURCE_SHORTAGE == 6 && KERN_NOT_RECEIVER == 7 && KERN_NO_ACCESS == 8);
FACT(KERN_NAME_EXISTS == 13 && KERN_ABORTED == 14 && KERN_INVALID_NAME == 15);
FACT(KERN_INVALID_TASK == 16 && KERN_INVALID_RIGHT == 17 && KERN_INVALID_VALUE == 18);
FACT(KERN_UREFS_OVERFLOW == 19 && KERN_INVALID_CAPABILITY == 20 && KERN_RIGHT_EXISTS == 21);
FACT(KERN_INVALID_HOST == 22 && KERN_TERMINATED == 37 && KERN_SEMAPHORE_DESTROYED == 42);
FACT(KERN_NOT_SUPPORTED == 46 && KERN_OPERATION_TIMED_OUT == 49 && KERN_DENIED == 53);
FACT(KERN_NOT_FOUND == 56 && KERN_RETURN_MAX == 0x100);

/* Apple: mach/mig_errors.h */
FACT(MIG_TYPE_ERROR == -300 && MIG_REPLY_MISMATCH == -301 && MIG_REMOTE_ERROR == -302);
FACT(MIG_BAD_ID == -303 && MIG_BAD_ARGUMENTS == -304 && MIG_NO_REPLY == -305);
FACT(MIG_EXCEPTION == -306 && MIG_ARRAY_TOO_LARGE == -307 && MIG_SERVER_DIED == -308);
FACT(MIG_TRAILER_ERROR == -309);

/* Apple: mach/notify.h */
FACT(MACH_NOTIFY_FIRST == 64 && MACH_NOTIFY_PORT_DELETED == 65 && MACH_NOTIFY_SEND_POSSIBLE == 66);
FACT(MACH_NOTIFY_PORT_DESTROYED == 69 && MACH_NOTIFY_NO_SENDERS == 70);
FACT(MACH_NOTIFY_SEND_ONCE == 71 && MACH_NOTIFY_DEAD_NAME == 72 && MACH_NOTIFY_LAST == 77);
FACT(sizeof(mach_port_deleted_notification_t) == 56);
FACT(sizeof(mach_no_senders_notification_t) == 56);
FACT(sizeof(mach_send_once_notification_t) == 44);
FACT(sizeof(mach_port_destroyed_notification_t) == 60);

/* Apple: mach/exception_types.h, mach/i386/exception.h */
FACT(EXC_BAD_ACCESS == 1 && EXC_BAD_INSTRUCTION == 2 && EXC_ARITHMETIC == 3);
FACT(EXC_EMULATION == 4 && EXC_SOFTWARE == 5 && EXC_BREAKPOINT == 6);
FACT(EXC_SYSCALL == 7 && EXC_MACH_SYSCALL == 8 && EXC_RPC_ALERT == 9);
FACT(EXC_CRASH == 10 && EXC_RESOURCE == 11 && EXC_GUARD == 12 && EXC_CORPSE_NOTIFY == 13);
FACT(EXC_TYPES_COUNT == 14 && EXC_SOFT_SIGNAL == 0x10003);
FACT(EXC_MASK_ALL == 0x1bfe);
FACT(EXCEPTION_DEFAULT == 1 && EXCEPTION_STATE == 2 && EXCEPTION_STATE_IDENTITY == 3);
FACT(MACH_EXCEPTION_CODES == 0x80000000u);
FACT(sizeof(exception_data_type_t) == 4 && sizeof(mach_exception_data_type_t) == 8);

/* Apple: mach/machine/thread_state.h (XNU 11417), mach/i386/thread_status.h */
FACT(THREAD_STATE_MAX == 1296);
FACT(x86_THREAD_STATE32 == 1 && x86_FLOAT_STATE32 == 2 && x86_EXCEPTION_STATE32 == 3);
FACT(x86_THREAD_STATE64 == 4 && x86_FLOAT_STATE64 == 5 && x86_EXCEPTION_STATE64 == 6);
FACT(x86_THREAD_STATE == 7 && x86_FLOAT_STATE == 8 && x86_EXCEPTION_STATE == 9);
FACT(x86_DEBUG_STATE32 == 10 && x86_DEBUG_STATE64 == 11 && x86_DEBUG_STATE == 12);
FACT(THREAD_STATE_NONE == 13 && x86_AVX_STATE32 == 16 && x86_AVX_STATE64 == 17);
FACT(x86_AVX512_STATE64 == 20 && x86_THREAD_FULL_STATE64 == 23);
FACT(sizeof(x86_thread_state32_t) == 64 && x86_THREAD_STATE32_COUNT == 16);
FACT(sizeof(x86_thread_state64_t) == 168 && x86_THREAD_STATE64_COUNT == 42);
FACT(offsetof(x86_thread_state64_t, __rip) == 128);
FACT(sizeof(x86_float_state32_t) == 524 && sizeof(x86_float_state64_t) == 524);
FACT(x86_FLOAT_STATE64_COUNT == 131);
FACT(offsetof(x86_float_state64_t, __fpu_stmm0) == 40 && offsetof(x86_float_state64_t, __fpu_xmm0) == 168);
FACT(sizeof(x86_exception_state32_t) == 12 && sizeof(x86_exception_state64_t) == 16);
FACT(x86_EXCEPTION_STATE64_COUNT == 4);
FACT(sizeof(x86_debug_state32_t) == 32 && sizeof(x86_debug_state64_t) == 64);
FACT(x86_DEBUG_STATE64_COUNT == 16);
FACT(sizeof(x86_thread_state_t) == 176 && x86_THREAD_STATE_COUNT == 44);
FACT(x86_AVX_STATE64_COUNT == 211 && x86_AVX512_STATE64_COUNT == 611);
FACT(x86_AVX512_STATE_COUNT <= THREAD_STATE_MAX);

/* Apple: mach/host_info.h, mach/vm_statistics.h */
FACT(HOST_BASIC_INFO == 1 && HOST_SCHED_INFO == 3 && HOST_PRIORITY_INFO == 5);
FACT(HOST_LOAD_INFO == 1 && HOST_VM_INFO == 2 && HOST_CPU_LOAD_INFO == 3 && HOST_VM_INFO64 == 4);
FACT(sizeof(host_basic_info_data_t) == 48 && HOST_BASIC_INFO_COUNT == 12);
FACT(HOST_SCHED_INFO_COUNT == 2 && HOST_RESOURCE_SIZES_COUNT == 5 && HOST_LOAD_INFO_COUNT == 6);
FACT(HOST_VM_INFO_COUNT == 15 && HOST_VM_INFO_REV0_COUNT == 12);
FACT(HOST_VM_INFO64_COUNT == 38 && HOST_CPU_LOAD_INFO_COUNT == 4);
FACT(HOST_EXTMOD_INFO64_COUNT == 12);
/* mach_types.defs bounds host_info_t at 68 words: host_purgable_info. */
FACT(HOST_VM_PURGABLE_COUNT == 68);

/* Apple: mach/task_info.h */
FACT(TASK_BASIC_INFO_32 == 4 && TASK_BASIC_INFO_64 == 5 && TASK_EVENTS_INFO == 2);
FACT(TASK_THREAD_TIMES_INFO == 3 && TASK_DYLD_INFO == 17 && MACH_TASK_BASIC_INFO == 20);
FACT(TASK_POWER_INFO == 21 && TASK_VM_INFO == 22 && TASK_AUDIT_TOKEN == 15);
FACT(TASK_BASIC_INFO_32_COUNT == 8 && TASK_BASIC_INFO_64_COUNT == 10);
FACT(TASK_BASIC_INFO_COUNT == BY_WIDTH(10, 8));
FACT(TASK_EVENTS_INFO_COUNT == 8 && TASK_THREAD_TIMES_INFO_COUNT == 4);
FACT(TASK_DYLD_INFO_COUNT == 5 && MACH_TASK_BASIC_INFO_COUNT == 12);
FACT(TASK_POWER_INFO_COUNT == 12 && TASK_AUDIT_TOKEN_COUNT == 8 && TASK_SECURITY_TOKEN_COUNT == 2);
/* mach_types.defs bounds task_info_t at 93 + 1 words: task_vm_info plus one. */
FACT(TASK_VM_INFO_COUNT == 93);
FACT(TASK_VM_INFO_REV0_COUNT == 36 && TASK_VM_INFO_REV2_COUNT == 42 && TASK_VM_INFO_REV5_COUNT == 87);
FACT(sizeof(task_purgable_info_t) == 272);

/* Apple: mach/thread_info.h; mach_types.defs bounds thread_info_t at 32 words */
FACT(THREAD_BASIC_INFO == 3 && THREAD_IDENTIFIER_INFO == 4 && THREAD_EXTENDED_INFO == 5);
FACT(THREAD_BASIC_INFO_COUNT == 10 && THREAD_IDENTIFIER_INFO_COUNT == 6);
FACT(THREAD_EXTENDED_INFO_COUNT == 28 && THREAD_INFO_MAX == 32);
FACT(TH_USAGE_SCALE == 1000 && TH_STATE_RUNNING == 1 && TH_FLAGS_IDLE == 2);

/* Apple: mach/policy.h, mach/processor_info.h, mach/thread_policy.h */
FACT(POLICY_TIMESHARE == 1 && POLICY_RR == 2 && POLICY_FIFO == 4);
FACT(POLICY_TIMESHARE_INFO_COUNT == 5 && POLICY_RR_INFO_COUNT == 5 && POLICY_FIFO_INFO_COUNT == 4);
FACT(POLICY_RR_BASE_COUNT == 2);
FACT(PROCESSOR_BASIC_INFO == 1 && PROCESSOR_CPU_LOAD_INFO == 2);
FACT(PROCESSOR_BASIC_INFO_COUNT == 5 && PROCESSOR_CPU_LOAD_INFO_COUNT == 4);
FACT(THREAD_TIME_CONSTRAINT_POLICY == 2 && THREAD_TIME_CONSTRAINT_POLICY_COUNT == 4);
FACT(THREAD_AFFINITY_POLICY == 4 && THREAD_PRECEDENCE_POLICY == 3);

/* Apple: mach/vm_region.h; mach_types.defs bounds vm_region_recurse_info_t at 19 words */
FACT(VM_REGION_BASIC_INFO_COUNT == 8 && VM_REGION_BASIC_INFO_COUNT_64 == 9);
FACT(VM_REGION_SUBMAP_INFO_COUNT_64 == 19);
FACT(sizeof(mach_vm_read_entry_t) == 4096);

/* Apple: mach/vm_prot.h, mach/vm_inherit.h, mach/vm_statistics.h, mach/sync_policy.h */
FACT(VM_PROT_READ == 1 && VM_PROT_WRITE == 2 && VM_PROT_EXECUTE == 4);
FACT(VM_INHERIT_SHARE == 0 && VM_INHERIT_COPY == 1 && VM_INHERIT_NONE == 2);
FACT(VM_FLAGS_FIXED == 0 && VM_FLAGS_ANYWHERE == 1 && VM_MAKE_TAG(VM_MEMORY_MALLOC) == 0x01000000);
FACT(SYNC_POLICY_FIFO == 0 && SYNC_POLICY_FIXED_PRIORITY == 1 && SYNC_POLICY_LIFO == 2);

/* Apple: mach/clock_types.h, mach/time_value.h */
FACT(sizeof(mach_timespec_t) == 8 && sizeof(time_value_t) == 8);
FACT(SYSTEM_CLOCK == 0 && CALENDAR_CLOCK == 1 && TIME_RELATIVE == 1);

/* Apple: mach/task_special_ports.h, mach/host_special_ports.h, mach/thread_special_ports.h */
FACT(TASK_KERNEL_PORT == 1 && TASK_HOST_PORT == 2 && TASK_NAME_PORT == 3 && TASK_BOOTSTRAP_PORT == 4);
FACT(HOST_PORT == 1 && HOST_PRIV_PORT == 2 && HOST_IO_MAIN_PORT == 3);
FACT(HOST_MAX_SPECIAL_KERNEL_PORT == 7 && HOST_LOCAL_NODE == -1);
FACT(THREAD_KERNEL_PORT == 1);

/* Apple: mach/dyld_kernel.h (the C struct, which the oracle's reply sizes follow) */
FACT(sizeof(dyld_kernel_image_info_t) == 40);
FACT(sizeof(dyld_kernel_process_info_t) == BY_WIDTH(72, 68));

/* Apple: mach_debug/ipc_info.h, mach_debug/zone_info.h, mach_debug/lockgroup_info.h */
FACT(sizeof(ipc_info_space_t) == 24 && sizeof(ipc_info_space_basic_t) == 24);
FACT(sizeof(ipc_info_name_t) == 28 && sizeof(ipc_info_tree_name_t) == 36);
FACT(sizeof(ipc_info_port_t) == 8);
FACT(sizeof(mach_zone_name_t) == 80 && sizeof(mach_zone_info_t) == 64);
FACT(sizeof(task_zone_info_t) == 88 && sizeof(mach_memory_info_t) == 176);
FACT(sizeof(zone_btrecord_t) == 128 && sizeof(lockgroup_info_t) == 264);
FACT(sizeof(kobject_description_t) == 512);

/* Apple: mach_debug/vm_info.h (packed to 4), mach_debug/page_info.h */
FACT(sizeof(vm_info_region_t) == 40 && sizeof(vm_info_region_64_t) == 44);
FACT(sizeof(mach_vm_info_region_t) == 56);
FACT(offsetof(vm_info_region_64_t, vir_offset) == 12 && offsetof(mach_vm_info_region_t, vir_needs_copy) == 32);
FACT(sizeof(vm_info_object_t) == BY_WIDTH(88, 84));
FACT(offsetof(vm_info_object_t, vio_last_alloc) == 40);
FACT(sizeof(*(page_address_array_t)0) == sizeof(void *));

/* Apple: mach/vm_types.h (mach_vm_range_create) */
FACT(sizeof(mach_vm_range_flavor_t) == 4 && MACH_VM_RANGE_FLAVOR_V1 == 1);
FACT(sizeof(mach_vm_range_tag_t) == 2 && MACH_VM_RANGE_FIXED == 2);
FACT(sizeof(struct mach_vm_range) == 16 && sizeof(mach_vm_range_recipe_v1_t) == 24);
FACT(offsetof(mach_vm_range_recipe_v1_t, range) == 8);
FACT(sizeof(*(mach_vm_range_recipes_raw_t)0) == 1);

/* Apple: kern/ecc.h, kern/restartable.h, mach/audit_triggers_types.h */
FACT(sizeof(ecc_event_t) == 40 && offsetof(ecc_event_t, physaddr) == 8);
FACT(sizeof(mcc_ecc_event_t) == 40 && offsetof(mcc_ecc_event_t, bit_off_within_hcl) == 36);
FACT(sizeof(struct ecc_event) == 72 && ECC_EVENT_INFO_DATA_ENTRIES == 8);
FACT(sizeof(task_restartable_range_t) == 16 && offsetof(task_restartable_range_t, flags) == 12);
FACT(TASK_RESTARTABLE_OFFSET_MAX == 4096);
FACT(sizeof(string_t) == sizeof(const char *));

/* Apple: servers/bootstrap.h, servers/bootstrap_defs.h */
FACT(sizeof(name_t) == 128 && BOOTSTRAP_MAX_NAME_LEN == 128);
FACT(BOOTSTRAP_SUCCESS == 0 && BOOTSTRAP_NOT_PRIVILEGED == 1100 && BOOTSTRAP_NAME_IN_USE == 1101);
FACT(BOOTSTRAP_UNKNOWN_SERVICE == 1102 && BOOTSTRAP_SERVICE_ACTIVE == 1103);
FACT(sizeof(netname_name_t) == 80 && NETNAME_NOT_YOURS == 1000 && NETNAME_INVALID_PORT == 1004);
FACT(BOOTSTRAP_BAD_COUNT == 1104 && BOOTSTRAP_NO_MEMORY == 1105 && BOOTSTRAP_NO_CHILDREN == 1106);

/* The declarations the shim will implement exist with Apple's types. */
static mach_msg_return_t (*const check_mach_msg)(mach_msg_header_t *, mach_msg_option_t,
	mach_msg_size_t, mach_msg_size_t, mach_port_name_t, mach_msg_timeout_t,
	mach_port_name_t) = mach_msg;
static void (*const check_mig_dealloc_reply_port)(mach_port_t) = mig_dealloc_reply_port;
static kern_return_t (*const check_look_up)(mach_port_t, const name_t, mach_port_t *) = bootstrap_look_up;

int darling_abi_facts_anchor(void);
int darling_abi_facts_anchor(void)
{
	return check_mach_msg != 0 && check_mig_dealloc_reply_port != 0 && check_look_up != 0;
}
