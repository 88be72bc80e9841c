/*
 * A minimal, test-only stand-in for the Mach headers, written for migc's tests: just enough types,
 * constants and prototypes, with Apple's layouts for x86_64 and i386, to compile and run the C that
 * migc generates for the fixtures in tests/data. The project's real headers live in defs/include.
 */
#ifndef MIGC_TEST_MACH_MIN_H
#define MIGC_TEST_MACH_MIN_H

#include <stdint.h>
#include <stddef.h>

typedef unsigned int natural_t;
typedef int integer_t;
typedef uintptr_t vm_offset_t;
typedef uintptr_t vm_address_t;
typedef uintptr_t vm_size_t;
typedef vm_offset_t pointer_t;
typedef uint64_t mach_vm_address_t;

typedef int boolean_t;
#define TRUE 1
#define FALSE 0

typedef int kern_return_t;
#define KERN_SUCCESS 0
#define KERN_INVALID_ARGUMENT 4
#define KERN_FAILURE 5

typedef natural_t mach_port_name_t;
typedef mach_port_name_t mach_port_t;
typedef mach_port_t *mach_port_array_t;
#define MACH_PORT_NULL 0

typedef unsigned int mach_msg_bits_t;
typedef natural_t mach_msg_size_t;
typedef unsigned int mach_msg_type_name_t;
typedef natural_t mach_msg_type_number_t;
typedef unsigned int mach_msg_copy_options_t;
typedef unsigned int mach_msg_descriptor_type_t;
typedef unsigned int mach_msg_trailer_type_t;
typedef unsigned int mach_msg_trailer_size_t;
typedef natural_t mach_msg_timeout_t;
typedef integer_t mach_msg_id_t;
typedef integer_t mach_msg_option_t;
typedef natural_t mach_port_seqno_t;
typedef kern_return_t mach_msg_return_t;
typedef uint64_t mach_port_context_t;

#define MACH_MSG_TYPE_MOVE_RECEIVE 16
#define MACH_MSG_TYPE_MOVE_SEND 17
#define MACH_MSG_TYPE_MOVE_SEND_ONCE 18
#define MACH_MSG_TYPE_COPY_SEND 19
#define MACH_MSG_TYPE_MAKE_SEND 20
#define MACH_MSG_TYPE_MAKE_SEND_ONCE 21
#define MACH_MSG_TYPE_COPY_RECEIVE 22
#define MACH_MSG_TYPE_PORT_RECEIVE MACH_MSG_TYPE_MOVE_RECEIVE
#define MACH_MSG_TYPE_PORT_SEND MACH_MSG_TYPE_MOVE_SEND
#define MACH_MSG_TYPE_PORT_SEND_ONCE MACH_MSG_TYPE_MOVE_SEND_ONCE

#define MACH_MSGH_BITS(remote, local) ((remote) | ((local) << 8))
#define MACH_MSGH_BITS_REMOTE(bits) ((bits) & 0x1f)
#define MACH_MSGH_BITS_LOCAL(bits) (((bits) >> 8) & 0x1f)
#define MACH_MSGH_BITS_COMPLEX 0x80000000U

#define MACH_MSG_PORT_DESCRIPTOR 0
#define MACH_MSG_OOL_DESCRIPTOR 1
#define MACH_MSG_OOL_PORTS_DESCRIPTOR 2
#define MACH_MSG_OOL_VOLATILE_DESCRIPTOR 3
#define MACH_MSG_PHYSICAL_COPY 0
#define MACH_MSG_VIRTUAL_COPY 1

#define MACH_MSG_SUCCESS 0
#define MACH_MSG_OPTION_NONE 0
#define MACH_SEND_MSG 0x00000001
#define MACH_RCV_MSG 0x00000002
#define MACH_SEND_TIMEOUT 0x00000010
#define MACH_RCV_TIMEOUT 0x00000100
#define MACH_MSG_TIMEOUT_NONE 0
#define MACH_MSG_TRAILER_FORMAT_0 0
#define MACH_RCV_TRAILER_SENDER 2
#define MACH_RCV_TRAILER_AUDIT 3
#define MACH_RCV_TRAILER_TYPE(x) (((x) & 0xf) << 28)
#define MACH_RCV_TRAILER_ELEMENTS(x) (((x) & 0xf) << 24)
#define MACH_SEND_INVALID_DATA 0x10000002
#define MACH_SEND_INVALID_DEST 0x10000003
#define MACH_SEND_TIMED_OUT 0x10000004
#define MACH_SEND_INVALID_HEADER 0x10000010
#define MACH_RCV_TIMED_OUT 0x10004003
#define MACH_NOTIFY_SEND_ONCE 0107

#define MIG_TYPE_ERROR -300
#define MIG_REPLY_MISMATCH -301
#define MIG_REMOTE_ERROR -302
#define MIG_BAD_ID -303
#define MIG_BAD_ARGUMENTS -304
#define MIG_NO_REPLY -305
#define MIG_EXCEPTION -306
#define MIG_ARRAY_TOO_LARGE -307
#define MIG_SERVER_DIED -308
#define MIG_TRAILER_ERROR -309

typedef struct {
	mach_msg_bits_t msgh_bits;
	mach_msg_size_t msgh_size;
	mach_port_t msgh_remote_port;
	mach_port_t msgh_local_port;
	mach_port_name_t msgh_voucher_port;
	mach_msg_id_t msgh_id;
} mach_msg_header_t;
#define msgh_reserved msgh_voucher_port

typedef struct {
	mach_msg_size_t msgh_descriptor_count;
} mach_msg_body_t;

typedef struct {
	unsigned char mig_vers, if_vers, reserved1, mig_encoding, int_rep, char_rep, float_rep, reserved2;
} NDR_record_t;
extern NDR_record_t NDR_record;

#pragma pack(push, 4)
typedef struct {
	mach_port_t name;
	mach_msg_size_t pad1;
	unsigned int pad2 : 16;
	mach_msg_type_name_t disposition : 8;
	mach_msg_descriptor_type_t type : 8;
} mach_msg_port_descriptor_t;

#if defined(__LP64__)
typedef struct {
	void *address;
	boolean_t deallocate : 8;
	mach_msg_copy_options_t copy : 8;
	unsigned int pad1 : 8;
	mach_msg_descriptor_type_t type : 8;
	mach_msg_size_t size;
} mach_msg_ool_descriptor_t;

typedef struct {
	void *address;
	boolean_t deallocate : 8;
	mach_msg_copy_options_t copy : 8;
	mach_msg_type_name_t disposition : 8;
	mach_msg_descriptor_type_t type : 8;
	mach_msg_size_t count;
} mach_msg_ool_ports_descriptor_t;
#else
typedef struct {
	void *address;
	mach_msg_size_t size;
	boolean_t deallocate : 8;
	mach_msg_copy_options_t copy : 8;
	unsigned int pad1 : 8;
	mach_msg_descriptor_type_t type : 8;
} mach_msg_ool_descriptor_t;

typedef struct {
	void *address;
	mach_msg_size_t count;
	boolean_t deallocate : 8;
	mach_msg_copy_options_t copy : 8;
	mach_msg_type_name_t disposition : 8;
	mach_msg_descriptor_type_t type : 8;
} mach_msg_ool_ports_descriptor_t;
#endif

typedef struct {
	unsigned int val[2];
} security_token_t;

typedef struct {
	unsigned int val[8];
} audit_token_t;

typedef struct {
	mach_msg_trailer_type_t msgh_trailer_type;
	mach_msg_trailer_size_t msgh_trailer_size;
} mach_msg_trailer_t;

typedef struct {
	mach_msg_trailer_type_t msgh_trailer_type;
	mach_msg_trailer_size_t msgh_trailer_size;
	mach_port_seqno_t msgh_seqno;
} mach_msg_seqno_trailer_t;

typedef struct {
	mach_msg_trailer_type_t msgh_trailer_type;
	mach_msg_trailer_size_t msgh_trailer_size;
	mach_port_seqno_t msgh_seqno;
	security_token_t msgh_sender;
} mach_msg_security_trailer_t;

typedef struct {
	mach_msg_trailer_type_t msgh_trailer_type;
	mach_msg_trailer_size_t msgh_trailer_size;
	mach_port_seqno_t msgh_seqno;
	security_token_t msgh_sender;
	audit_token_t msgh_audit;
} mach_msg_audit_trailer_t;

typedef struct {
	mach_msg_trailer_type_t msgh_trailer_type;
	mach_msg_trailer_size_t msgh_trailer_size;
	mach_port_seqno_t msgh_seqno;
	security_token_t msgh_sender;
	audit_token_t msgh_audit;
	mach_port_context_t msgh_context;
} mach_msg_context_trailer_t;

typedef struct {
	mach_msg_trailer_type_t msgh_trailer_type;
	mach_msg_trailer_size_t msgh_trailer_size;
	mach_port_seqno_t msgh_seqno;
	security_token_t msgh_sender;
	audit_token_t msgh_audit;
	mach_port_context_t msgh_context;
	int msgh_ad;
	mach_port_name_t msgh_labels;
} mach_msg_max_trailer_t;

typedef struct {
	mach_msg_header_t Head;
	NDR_record_t NDR;
	kern_return_t RetCode;
} mig_reply_error_t;
#pragma pack(pop)

typedef void (*mig_stub_routine_t)(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP);
typedef mig_stub_routine_t mig_routine_t;
typedef mig_routine_t (*mig_server_routine_t)(mach_msg_header_t *InHeadP);
typedef kern_return_t (*mig_impl_routine_t)(void);
typedef struct routine_arg_descriptor *routine_arg_descriptor_t;
struct routine_descriptor {
	mig_impl_routine_t impl_routine;
	mig_stub_routine_t stub_routine;
	unsigned int argc;
	unsigned int descr_count;
	routine_arg_descriptor_t arg_descr;
	unsigned int max_reply_msg;
};

extern mach_msg_return_t mach_msg(mach_msg_header_t *msg, mach_msg_option_t option, mach_msg_size_t send_size,
	mach_msg_size_t rcv_size, mach_port_name_t rcv_name, mach_msg_timeout_t timeout, mach_port_name_t notify);
extern void mach_msg_destroy(mach_msg_header_t *msg);
extern mach_port_t mig_get_reply_port(void);
extern mach_port_t mig_get_special_reply_port(void);
extern void mig_dealloc_reply_port(mach_port_t reply_port);
extern void mig_put_reply_port(mach_port_t reply_port);
extern int mig_strncpy(char *dest, const char *src, int len);

#endif /* MIGC_TEST_MACH_MIN_H */
