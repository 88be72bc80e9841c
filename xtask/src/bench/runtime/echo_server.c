/*
 * The floor of `cargo xtask bench runtime`: the least a datagram server can do. It receives a call of
 * the benchmark's size on a Unix datagram socket and answers the sender with a reply of the
 * benchmark's size, one at a time, like darlingserver's receive loop.
 * Usage: echo_server SOCKET_PATH REPLY_BYTES (prints "ready" once bound).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char** argv) {
	if (argc < 3)
		return 2;
	size_t reply_len = (size_t)atoi(argv[2]);
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	strncpy(addr.sun_path, argv[1], sizeof(addr.sun_path) - 1);
	unlink(argv[1]);
	if (fd < 0 || bind(fd, (struct sockaddr*)&addr, sizeof(addr)) < 0) {
		perror("echo_server: bind");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	char buf[1024], reply[1024] = {0};
	for (;;) {
		struct sockaddr_un from;
		socklen_t from_len = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr*)&from, &from_len);
		if (n < 0)
			continue;
		memcpy(reply, buf, 8);
		sendto(fd, reply, reply_len, MSG_DONTWAIT, (struct sockaddr*)&from, from_len);
	}
}
