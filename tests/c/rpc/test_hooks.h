/*
 * RPC hooks for the integration tests: what a shim provides to the generated rpc.c, implemented
 * with plain libc, plus counters and fault injection the tests drive from Rust (`rpc_test_*`).
 */

#ifndef DARLING_RPC_TEST_HOOKS_H
#define DARLING_RPC_TEST_HOOKS_H

#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include <darlingserver/rpc.h>

#define dserver_rpc_hooks_msghdr_t struct msghdr
#define dserver_rpc_hooks_iovec_t struct iovec
#define dserver_rpc_hooks_cmsghdr_t struct cmsghdr
#define DSERVER_RPC_HOOKS_CMSG_SPACE CMSG_SPACE
#define DSERVER_RPC_HOOKS_CMSG_FIRSTHDR CMSG_FIRSTHDR
#define DSERVER_RPC_HOOKS_SOL_SOCKET SOL_SOCKET
#define DSERVER_RPC_HOOKS_SCM_RIGHTS SCM_RIGHTS
#define DSERVER_RPC_HOOKS_CMSG_LEN CMSG_LEN
#define DSERVER_RPC_HOOKS_CMSG_DATA CMSG_DATA
#define DSERVER_RPC_HOOKS_ATTRIBUTE extern
#define dserver_rpc_hooks_atomic_save_t sigset_t

#define dserver_rpc_hooks_get_pid getpid
#define dserver_rpc_hooks_get_tid() ((pid_t)syscall(SYS_gettid))
#define dserver_rpc_hooks_memcpy memcpy
#define dserver_rpc_hooks_get_bad_message_status() (-EBADMSG)
#define dserver_rpc_hooks_get_communication_error_status() (-ECOMM)
#define dserver_rpc_hooks_get_broken_pipe_status() (-EPIPE)
#define dserver_rpc_hooks_get_interrupt_status() (-EINTR)
#define dserver_rpc_hooks_close_fd close

#if defined(__x86_64__)
#define dserver_rpc_hooks_get_architecture() dserver_rpc_architecture_x86_64
#elif defined(__i386__)
#define dserver_rpc_hooks_get_architecture() dserver_rpc_architecture_i386
#elif defined(__aarch64__)
#define dserver_rpc_hooks_get_architecture() dserver_rpc_architecture_arm64
#else
#define dserver_rpc_hooks_get_architecture() dserver_rpc_architecture_invalid
#endif

/* Everything below is defined in test_client.c. */
void* dserver_rpc_hooks_get_server_address(void);
size_t dserver_rpc_hooks_get_server_address_length(void);
long int dserver_rpc_hooks_send_message(int socket, const struct msghdr* message);
long int dserver_rpc_hooks_receive_message(int socket, struct msghdr* out_message);
int dserver_rpc_hooks_get_socket(void);
void dserver_rpc_hooks_printf(const char* format, ...) __attribute__((format(printf, 1, 2)));
void dserver_rpc_hooks_atomic_begin(sigset_t* atomic_save);
void dserver_rpc_hooks_atomic_end(sigset_t* atomic_save);
void dserver_rpc_hooks_push_reply(int socket, const struct msghdr* message, size_t size);

#define dserver_rpc_hooks_get_server_address dserver_rpc_hooks_get_server_address
#define dserver_rpc_hooks_get_server_address_length dserver_rpc_hooks_get_server_address_length
#define dserver_rpc_hooks_send_message dserver_rpc_hooks_send_message
#define dserver_rpc_hooks_receive_message dserver_rpc_hooks_receive_message
#define dserver_rpc_hooks_get_socket dserver_rpc_hooks_get_socket
#define dserver_rpc_hooks_printf dserver_rpc_hooks_printf
#define dserver_rpc_hooks_atomic_begin dserver_rpc_hooks_atomic_begin
#define dserver_rpc_hooks_atomic_end dserver_rpc_hooks_atomic_end
#define dserver_rpc_hooks_push_reply dserver_rpc_hooks_push_reply

#endif
