/*
 * darling-rs <mach/mach_traps.h>: the Mach traps, the few kernel entry points
 * that are not messages. In darling-rs the shim implements them by talking
 * to the server. Prototypes are Apple's (Apple: mach/mach_traps.h).
 */

#ifndef DARLING_MACH_MACH_TRAPS_H
#define DARLING_MACH_MACH_TRAPS_H

#include <mach/std_types.h>
#include <mach/mach_types.h>
#include <mach/kern_return.h>
#include <mach/port.h>
#include <mach/message.h>
#include <mach/clock_types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A new receive right, for use as a reply port. */
extern mach_port_name_t mach_reply_port(void);

/* The calling thread's special reply port, created on first use. */
extern mach_port_name_t thread_get_special_reply_port(void);

/* New references to the caller's thread, host and task ports. */
extern mach_port_name_t thread_self_trap(void);
extern mach_port_name_t host_self_trap(void);
extern mach_port_name_t task_self_trap(void);

/* The trap behind mach_msg. */
extern mach_msg_return_t mach_msg_trap(
	mach_msg_header_t *msg,
	mach_msg_option_t option,
	mach_msg_size_t send_size,
	mach_msg_size_t rcv_size,
	mach_port_name_t rcv_name,
	mach_msg_timeout_t timeout,
	mach_port_name_t notify);

/* The traps behind the semaphore operations, taking port names. */
extern kern_return_t semaphore_signal_trap(mach_port_name_t signal_name);
extern kern_return_t semaphore_signal_all_trap(mach_port_name_t signal_name);
extern kern_return_t semaphore_signal_thread_trap(mach_port_name_t signal_name,
	mach_port_name_t thread_name);
extern kern_return_t semaphore_wait_trap(mach_port_name_t wait_name);
extern kern_return_t semaphore_wait_signal_trap(mach_port_name_t wait_name,
	mach_port_name_t signal_name);
extern kern_return_t semaphore_timedwait_trap(mach_port_name_t wait_name,
	unsigned int sec, clock_res_t nsec);
extern kern_return_t semaphore_timedwait_signal_trap(mach_port_name_t wait_name,
	mach_port_name_t signal_name, unsigned int sec, clock_res_t nsec);

/* Sleep on a clock until a time, or for a while. */
extern kern_return_t clock_sleep_trap(mach_port_name_t clock_name, sleep_type_t sleep_type,
	int sleep_sec, int sleep_nsec, mach_timespec_t *wakeup_time);

/* Tasks and Unix processes. */
extern kern_return_t task_for_pid(mach_port_name_t target_tport, int pid, mach_port_name_t *t);
extern kern_return_t task_name_for_pid(mach_port_name_t target_tport, int pid, mach_port_name_t *tn);
extern kern_return_t pid_for_task(mach_port_name_t t, int *x);

/* Yield the processor. */
extern boolean_t swtch_pri(int pri);
extern boolean_t swtch(void);
extern kern_return_t thread_switch(mach_port_name_t thread_name, int option,
	mach_msg_timeout_t option_time);

#ifdef __cplusplus
}
#endif

#endif /* DARLING_MACH_MACH_TRAPS_H */
