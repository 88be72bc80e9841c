/*
 * darling-rs <mach/mach.h>: what a Mach program includes.
 *
 * The types, the kernel interfaces (see <mach/mach_interface.h>), the
 * process's initial ports and the message helpers libsystem provides.
 * Prototypes are Apple's (Apple: mach/mach.h). The functions come with
 * the runtime's Mach IPC; until then no library in the prefix defines
 * them (the shim carries darlingserver's RPC only).
 */

#ifndef DARLING_MACH_MACH_H
#define DARLING_MACH_MACH_H

#include <mach/std_types.h>
#include <mach/mach_types.h>
#include <mach/mach_interface.h>
#include <mach/mach_init.h>
#include <mach/mach_traps.h>
#include <mach/mig.h>
#include <mach/mig_errors.h>
#include <mach/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Release every right and out-of-line region a received message carries. */
extern void mach_msg_destroy(mach_msg_header_t *msg);

/* Receive one message on rcv_name. */
extern mach_msg_return_t mach_msg_receive(mach_msg_header_t *msg);

/* Send one message, without a timeout. */
extern mach_msg_return_t mach_msg_send(mach_msg_header_t *msg);

/*
 * Serve requests on rcv_name with a MIG demux function (such as
 * notify_server), once or forever.
 */
extern mach_msg_return_t mach_msg_server_once(
	boolean_t (*demux)(mach_msg_header_t *request, mach_msg_header_t *reply),
	mach_msg_size_t max_size,
	mach_port_t rcv_name,
	mach_msg_options_t options);

extern mach_msg_return_t mach_msg_server(
	boolean_t (*demux)(mach_msg_header_t *request, mach_msg_header_t *reply),
	mach_msg_size_t max_size,
	mach_port_t rcv_name,
	mach_msg_options_t options);

#ifdef __cplusplus
}
#endif

#endif /* DARLING_MACH_MACH_H */
