/*
 * The floor client: a raw datagram round trip to echo_server, with the call and reply sizes of the
 * benchmarked RPC, each thread on its own autobound socket (as the shim does).
 * Environment: BENCH_SOCKET (server path), BENCH_CALL_BYTES, BENCH_REPLY_BYTES.
 */
#include "client.h"
#include <sys/socket.h>
#include <sys/un.h>

static struct sockaddr_un server;
static size_t call_len, reply_len;
static __thread int sock = -1;

static int one_call(void) {
	if (sock < 0) {
		sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		sa_family_t family = AF_UNIX;
		bind(sock, (struct sockaddr*)&family, sizeof(family));
	}
	char call[1024] = {1}, reply[1024];
	if (sendto(sock, call, call_len, 0, (struct sockaddr*)&server, sizeof(server)) != (ssize_t)call_len)
		return -1;
	return recv(sock, reply, sizeof(reply), 0) == (ssize_t)reply_len ? 0 : -1;
}

int main(int argc, char** argv) {
	server.sun_family = AF_UNIX;
	strncpy(server.sun_path, getenv("BENCH_SOCKET"), sizeof(server.sun_path) - 1);
	call_len = (size_t)atoi(getenv("BENCH_CALL_BYTES"));
	reply_len = (size_t)atoi(getenv("BENCH_REPLY_BYTES"));
	return run(argc, argv);
}
