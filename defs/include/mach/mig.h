/*
 * darling-rs <mach/mig.h>: what MIG-generated stubs expect from the system.
 *
 * The type-checking and struct-packing switches the generated code tests,
 * the routine and subsystem descriptor types of server tables, and the
 * user-side support functions (reply ports, string copy, memory for
 * out-of-line data), which the darling-rs shim implements. Names, layouts
 * and defaults are Apple's (Apple: mach/mig.h).
 */

#ifndef DARLING_MACH_MIG_H
#define DARLING_MACH_MIG_H

#include <mach/port.h>
#include <mach/message.h>
#include <mach/vm_types.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Generated stubs check received messages unless told otherwise, and pack
 * their message structures to 4 bytes: without packing, 64-bit fields would
 * move and the messages would no longer match the kernel's.
 */
#if !defined(__MigTypeCheck)
#if defined(TypeCheck)
#define __MigTypeCheck TypeCheck
#else
#define __MigTypeCheck 1
#endif
#endif

#define __MigPackStructs 1

/* Lets clang check server routine signatures; a no-op elsewhere. */
#if defined(__has_attribute)
#if __has_attribute(mig_server_routine)
#define MIG_SERVER_ROUTINE __attribute__((mig_server_routine))
#endif
#endif
#ifndef MIG_SERVER_ROUTINE
#define MIG_SERVER_ROUTINE
#endif

/* A server stub: unpacks a request, calls the implementation, packs the reply. */
typedef void (*mig_stub_routine_t)(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP);
typedef mig_stub_routine_t mig_routine_t;

/* A subsystem's routine lookup: the stub for a request, or 0. */
typedef mig_routine_t (*mig_server_routine_t)(mach_msg_header_t *InHeadP);

/* The implementation behind a stub, type-erased for the tables. */
typedef kern_return_t (*mig_impl_routine_t)(void);

typedef mach_msg_type_descriptor_t routine_arg_descriptor;
typedef mach_msg_type_descriptor_t *routine_arg_descriptor_t;
typedef mach_msg_type_descriptor_t *mig_routine_arg_descriptor_t;

#define MIG_ROUTINE_ARG_DESCRIPTOR_NULL ((mig_routine_arg_descriptor_t)0)

/* One entry of a server's routine table. */
struct routine_descriptor {
	mig_impl_routine_t impl_routine;
	mig_stub_routine_t stub_routine;
	unsigned int argc;
	unsigned int descr_count;
	routine_arg_descriptor_t arg_descr;
	unsigned int max_reply_msg;
};
typedef struct routine_descriptor *routine_descriptor_t;

typedef struct routine_descriptor mig_routine_descriptor;
typedef mig_routine_descriptor *mig_routine_descriptor_t;

#define MIG_ROUTINE_DESCRIPTOR_NULL ((mig_routine_descriptor_t)0)

/*
 * The shape every generated <subsystem>_subsystem table starts with; the
 * real tables have as many routine entries as the subsystem has ids.
 */
typedef struct mig_subsystem {
	mig_server_routine_t server;
	mach_msg_id_t start;
	mach_msg_id_t end;
	mach_msg_size_t maxsize;
	vm_address_t reserved;
	mig_routine_descriptor routine[1];
} *mig_subsystem_t;

#define MIG_SUBSYSTEM_NULL ((mig_subsystem_t)0)

/* A routine name and number, as debugging tables list them. */
typedef struct mig_symtab {
	char *ms_routine_name;
	int ms_routine_number;
	void (*ms_routine)(void);
} mig_symtab_t;

/* A reply port for the calling thread, reused across calls. */
extern mach_port_t mig_get_reply_port(void);

/* Destroy the thread's reply port after a failed call left it unusable. */
extern void mig_dealloc_reply_port(mach_port_t reply_port);

/* Give the reply port back after a call that did not use it up. */
extern void mig_put_reply_port(mach_port_t reply_port);

/* A special reply port for the calling thread (UseSpecialReplyPort stubs). */
extern mach_port_t mig_get_special_reply_port(void);

/*
 * Copy at most len bytes of src, always terminating dest. Returns the number
 * of bytes copied, counting the terminating zero.
 */
extern int mig_strncpy(char *dest, const char *src, int len);

/* The same, filling the rest of dest with zeros. */
extern int mig_strncpy_zerofill(char *dest, const char *src, int len);

/*
 * Release the rights and memory of a received message. User stubs call it
 * on a reply that fails their checks; Apple's stubs declare it themselves,
 * and <mach/mach.h> declares it for programs, so this is the same
 * declaration once more for stubs that rely on this header.
 */
extern void mach_msg_destroy(mach_msg_header_t *msg);

/* Memory for out-of-line data a stub receives or sends. */
extern void mig_allocate(vm_address_t *addr_p, vm_size_t size);
extern void mig_deallocate(vm_address_t addr, vm_size_t size);

#ifdef __cplusplus
}
#endif

#endif /* DARLING_MACH_MIG_H */
