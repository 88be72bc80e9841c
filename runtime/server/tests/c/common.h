/*
 * Shared by the runtime's C test clients: a CHECK that names the failed call and its status (errno
 * names, never bare numbers), compiled against the prefix's <darlingserver/rpc.h> and linked with the
 * shim (libsystem_kernel).
 */
#ifndef DARLING_TEST_COMMON_H
#define DARLING_TEST_COMMON_H

#define _GNU_SOURCE
#include <darlingserver/rpc.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static inline const char* test_status_name(int status) {
	static __thread char buf[64];
	if (status == 0)
		return "success";
	int e = status < 0 ? -status : status;
	snprintf(buf, sizeof(buf), "%s%s (%d)", status < 0 ? "-" : "", strerrorname_np(e) ? strerrorname_np(e) : "?", status);
	return buf;
}

#define CHECK_RPC(call)                                                                              \
	do {                                                                                             \
		int check_status_ = (call);                                                                  \
		if (check_status_ != 0) {                                                                    \
			fprintf(stderr, "%s:%d: %s failed: %s\n", __FILE__, __LINE__, #call,                     \
			        test_status_name(check_status_));                                                \
			exit(1);                                                                                 \
		}                                                                                            \
	} while (0)

#define CHECK(cond)                                                                                  \
	do {                                                                                             \
		if (!(cond)) {                                                                               \
			fprintf(stderr, "%s:%d: check failed: %s (errno %s)\n", __FILE__, __LINE__, #cond,       \
			        strerrorname_np(errno) ? strerrorname_np(errno) : "0");                          \
			exit(1);                                                                                 \
		}                                                                                            \
	} while (0)

#endif
