/*
 * The RPC hooks of the integration tests, as a shim would implement them (sendmsg/recvmsg,
 * signals blocked in atomic sections, push_reply as the wire protocol wants it), recording what
 * the tests check: atomic sections entered, replies pushed back, the last message printed.
 * `rpc_test_*` functions let the Rust tests inject EINTR and set the socket and server address.
 */

#include "test_hooks.h"

#include <stdlib.h>

static __thread int test_socket = -1;
static __thread int fail_sends_with_eintr;
static __thread int fail_receives_with_eintr;
static __thread int atomic_depth;
static __thread int atomic_sections;
static __thread int pushed_replies;
static __thread struct sockaddr_un test_address;
static __thread size_t test_address_length;
static __thread char last_message[1024];

void rpc_test_set_socket(int socket) { test_socket = socket; }
void rpc_test_fail_next_sends(int count) { fail_sends_with_eintr = count; }
void rpc_test_fail_next_receives(int count) { fail_receives_with_eintr = count; }
int rpc_test_atomic_sections(void) { return atomic_sections; }
int rpc_test_atomic_depth(void) { return atomic_depth; }
int rpc_test_pushed_replies(void) { return pushed_replies; }
const char* rpc_test_last_message(void) { return last_message; }

/* A path of zero length means "use the connected peer" (a socketpair): no address is sent. */
void rpc_test_set_server_path(const char* path) {
	memset(&test_address, 0, sizeof(test_address));
	test_address_length = 0;
	if (path && path[0]) {
		test_address.sun_family = AF_UNIX;
		strncpy(test_address.sun_path, path, sizeof(test_address.sun_path) - 1);
		test_address_length = sizeof(test_address);
	}
}

void* dserver_rpc_hooks_get_server_address(void) { return test_address_length ? (void*)&test_address : NULL; }
size_t dserver_rpc_hooks_get_server_address_length(void) { return test_address_length; }
int dserver_rpc_hooks_get_socket(void) { return test_socket; }

long int dserver_rpc_hooks_send_message(int socket, const struct msghdr* message) {
	if (fail_sends_with_eintr > 0) {
		--fail_sends_with_eintr;
		return -EINTR;
	}
	ssize_t result = sendmsg(socket, message, 0);
	return result < 0 ? -errno : result;
}

long int dserver_rpc_hooks_receive_message(int socket, struct msghdr* out_message) {
	if (fail_receives_with_eintr > 0) {
		--fail_receives_with_eintr;
		return -EINTR;
	}
	ssize_t result = recvmsg(socket, out_message, MSG_CMSG_CLOEXEC);
	return result < 0 ? -errno : result;
}

void dserver_rpc_hooks_printf(const char* format, ...) {
	va_list args;
	va_start(args, format);
	vsnprintf(last_message, sizeof(last_message), format, args);
	va_end(args);
}

void dserver_rpc_hooks_atomic_begin(sigset_t* atomic_save) {
	sigset_t all;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, atomic_save);
	++atomic_depth;
	++atomic_sections;
}

void dserver_rpc_hooks_atomic_end(sigset_t* atomic_save) {
	--atomic_depth;
	pthread_sigmask(SIG_SETMASK, atomic_save, NULL);
}

/*
 * Hands a reply meant for another call back to the server: a push_reply call carrying where the
 * reply is in our memory and how long it is, with the reply's descriptors forwarded; ours are
 * closed afterwards (the hook owns them).
 */
void dserver_rpc_hooks_push_reply(int socket, const struct msghdr* message, size_t size) {
	dserver_rpc_call_push_reply_t call = {
		.header = {
			.number = dserver_callnum_push_reply,
			.pid = dserver_rpc_hooks_get_pid(),
			.tid = dserver_rpc_hooks_get_tid(),
			.architecture = dserver_rpc_hooks_get_architecture(),
		},
		.reply = (uint64_t)(uintptr_t)message->msg_iov[0].iov_base,
		.reply_size = size,
	};
	struct iovec data = { .iov_base = &call, .iov_len = sizeof(call) };
	struct msghdr push = {
		.msg_name = dserver_rpc_hooks_get_server_address(),
		.msg_namelen = dserver_rpc_hooks_get_server_address_length(),
		.msg_iov = &data,
		.msg_iovlen = 1,
		.msg_control = message->msg_controllen ? message->msg_control : NULL,
		.msg_controllen = message->msg_controllen,
	};
	++pushed_replies;
	if (sendmsg(socket, &push, 0) < 0) {
		dserver_rpc_hooks_printf("push_reply failed: %s", strerror(errno));
	}
	struct cmsghdr* cmsg = message->msg_controllen ? CMSG_FIRSTHDR((struct msghdr*)message) : NULL;
	if (cmsg && cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS) {
		size_t count = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < count; ++i) {
			int fd;
			memcpy(&fd, CMSG_DATA(cmsg) + i * sizeof(int), sizeof(int));
			close(fd);
		}
	}
}

