/*
 * darlingserver/rpc-supplement.h: the hand-written half of darlingserver's wire protocol, next to
 * the generated darlingserver/rpc.h.
 *
 * It declares the messages that are not calls of defs/rpc/darlingserver.rpc:
 *  - server-to-client (S2C) calls, which the server sends on a thread's socket while that thread
 *    waits for a reply (the generated wrappers size their reply buffers to hold one), and the
 *    client's answers to them;
 *  - the kqueue channel (kqchan) protocol, spoken on the socket `kqchan_*_open` returns.
 *
 * The layouts are Darling's, so that clients built from Darling's sources interoperate.
 */

#ifndef DARLING_DARLINGSERVER_RPC_SUPPLEMENT_H
#define DARLING_DARLINGSERVER_RPC_SUPPLEMENT_H

#include <stdint.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- kqueue channels ---- */

/*
 * A kqueue channel lets libkqueue watch an event source that lives in the server (a Mach port, a
 * process). The client opens one with an RPC call, gets a socket back, and then: the server sends
 * `notification` (no reply expected) when something happened; the client sends `*_modify` to
 * change what it watches and `*_read` to fetch the event, and the server answers each.
 */
enum dserver_kqchan_msgnum {
	dserver_kqchan_msgnum_invalid = 0,
	/* Server to client: an event is ready. Not answered. */
	dserver_kqchan_msgnum_notification,
	/* Change what a Mach port channel watches. */
	dserver_kqchan_msgnum_mach_port_modify,
	/* Fetch the event of a Mach port channel. */
	dserver_kqchan_msgnum_mach_port_read,
	/* Change what a process channel watches. */
	dserver_kqchan_msgnum_proc_modify,
	/* Fetch the event of a process channel. */
	dserver_kqchan_msgnum_proc_read,
};

typedef enum dserver_kqchan_msgnum dserver_kqchan_msgnum_t;

typedef struct dserver_kqchan_callhdr {
	dserver_kqchan_msgnum_t number;
	int pid;
	int tid;
} dserver_kqchan_callhdr_t;

typedef struct dserver_kqchan_replyhdr {
	dserver_kqchan_msgnum_t number;
	int code;
} dserver_kqchan_replyhdr_t;

typedef struct dserver_kqchan_call_notification {
	dserver_kqchan_callhdr_t header;
} dserver_kqchan_call_notification_t;

typedef struct dserver_kqchan_call_mach_port_modify {
	dserver_kqchan_callhdr_t header;
	uint64_t receive_buffer;
	uint64_t receive_buffer_size;
	uint64_t saved_filter_flags;
} dserver_kqchan_call_mach_port_modify_t;

typedef struct dserver_kqchan_reply_mach_port_modify {
	dserver_kqchan_replyhdr_t header;
} dserver_kqchan_reply_mach_port_modify_t;

typedef struct dserver_kqchan_call_mach_port_read {
	dserver_kqchan_callhdr_t header;
	uint64_t default_buffer;
	uint64_t default_buffer_size;
} dserver_kqchan_call_mach_port_read_t;

/* The event, shaped like a `struct kevent64_s`. */
typedef struct dserver_kqchan_reply_mach_port_read {
	dserver_kqchan_replyhdr_t header;
	struct {
		uint64_t ident;
		int16_t filter;
		uint16_t flags;
		int32_t qos;
		uint64_t udata;
		uint32_t fflags;
		uint32_t xflags;
		int64_t data;
		uint64_t ext[4];
	} kev;
} dserver_kqchan_reply_mach_port_read_t;

typedef struct dserver_kqchan_call_proc_modify {
	dserver_kqchan_callhdr_t header;
	uint32_t flags;
} dserver_kqchan_call_proc_modify_t;

typedef struct dserver_kqchan_reply_proc_modify {
	dserver_kqchan_replyhdr_t header;
} dserver_kqchan_reply_proc_modify_t;

typedef struct dserver_kqchan_call_proc_read {
	dserver_kqchan_callhdr_t header;
} dserver_kqchan_call_proc_read_t;

typedef struct dserver_kqchan_reply_proc_read {
	dserver_kqchan_replyhdr_t header;
	uint32_t fflags;
	int64_t data;
} dserver_kqchan_reply_proc_read_t;

/* ---- server-to-client calls ---- */

/*
 * The server asks a client thread to act on its own address space (the server cannot map memory
 * into another process). An S2C call arrives on the thread's socket with `call_number` set to
 * `dserver_callnum_s2c`; the client's RPC hooks perform it, answer with the matching reply (whose
 * header carries the client's pid, tid and architecture where a call header has them) and go back
 * to waiting for their own reply.
 */
enum dserver_s2c_msgnum {
	dserver_s2c_msgnum_invalid = 0,
	dserver_s2c_msgnum_mmap,
	dserver_s2c_msgnum_munmap,
	dserver_s2c_msgnum_mprotect,
	dserver_s2c_msgnum_msync,
};

typedef enum dserver_s2c_msgnum dserver_s2c_msgnum_t;

typedef struct dserver_s2c_callhdr {
	int call_number;
	dserver_s2c_msgnum_t s2c_number;
} dserver_s2c_callhdr_t;

typedef struct dserver_s2c_replyhdr {
	int call_number;
	int pid;
	int tid;
	int architecture;
	dserver_s2c_msgnum_t s2c_number;
} dserver_s2c_replyhdr_t;

typedef struct dserver_s2c_call_mmap {
	dserver_s2c_callhdr_t header;
	uint64_t address;
	uint64_t length;
	int32_t protection;
	int32_t flags;
	int32_t fd;
	int64_t offset;
} dserver_s2c_call_mmap_t;

typedef struct dserver_s2c_reply_mmap {
	dserver_s2c_replyhdr_t header;
	uint64_t address;
	int errno_result;
} dserver_s2c_reply_mmap_t;

typedef struct dserver_s2c_call_munmap {
	dserver_s2c_callhdr_t header;
	uint64_t address;
	uint64_t length;
} dserver_s2c_call_munmap_t;

typedef struct dserver_s2c_reply_munmap {
	dserver_s2c_replyhdr_t header;
	int return_value;
	int errno_result;
} dserver_s2c_reply_munmap_t;

typedef struct dserver_s2c_call_mprotect {
	dserver_s2c_callhdr_t header;
	uint64_t address;
	uint64_t length;
	int protection;
} dserver_s2c_call_mprotect_t;

typedef struct dserver_s2c_reply_mprotect {
	dserver_s2c_replyhdr_t header;
	int return_value;
	int errno_result;
} dserver_s2c_reply_mprotect_t;

typedef struct dserver_s2c_call_msync {
	dserver_s2c_callhdr_t header;
	uint64_t address;
	uint64_t size;
	int sync_flags;
} dserver_s2c_call_msync_t;

typedef struct dserver_s2c_reply_msync {
	dserver_s2c_replyhdr_t header;
	int return_value;
	int errno_result;
} dserver_s2c_reply_msync_t;

/* Any S2C call: the generated wrappers keep room for one in their reply buffers. */
typedef union dserver_s2c_call {
	dserver_s2c_call_mmap_t mmap;
	dserver_s2c_call_munmap_t munmap;
	dserver_s2c_call_mprotect_t mprotect;
	dserver_s2c_call_msync_t msync;
} dserver_s2c_call_t;

#ifdef __cplusplus
}
#endif

#endif /* DARLING_DARLINGSERVER_RPC_SUPPLEMENT_H */
