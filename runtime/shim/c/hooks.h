/*
 * The hooks the generated darlingserver RPC wrappers (rpc.c) need, for the darling-rs shim.
 * Forced into rpc.c with `-include` by build.rs. Types and macros are the Linux socket API's; the
 * functions are implemented in the shim (Rust, src/hooks.rs) except printf (c/hooks.c, variadic).
 */
#ifndef DARLING_SHIM_RPC_HOOKS_H
#define DARLING_SHIM_RPC_HOOKS_H

#include <stddef.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>

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

#endif
