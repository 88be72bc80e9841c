/* fork, then calls from both processes; the child inherits the fake uid and is listed by the server. */
#include "common.h"
#include <sys/wait.h>

static int listed(pid_t pid) {
	uint64_t count = 0;
	int fd = -1, found = 0;
	CHECK_RPC(dserver_rpc_debug_list_processes(&count, &fd));
	for (uint64_t i = 0; i < count; i++) {
		struct { uint32_t pid; uint64_t ports; } record;
		CHECK(read(fd, &record, sizeof(record)) == (ssize_t)sizeof(record));
		found |= record.pid == (uint32_t)pid;
	}
	close(fd);
	return found;
}

int main(void) {
	int32_t uid = 0;
	int done[2];
	CHECK(pipe(done) == 0);
	CHECK_RPC(dserver_rpc_uidgid(77, -1, NULL, NULL));
	pid_t child = fork();
	CHECK(child >= 0);
	if (child == 0) {
		char byte;
		CHECK_RPC(dserver_rpc_uidgid(-1, -1, &uid, NULL));
		CHECK(uid == 77);
		CHECK_RPC(dserver_rpc_uidgid(78, -1, NULL, NULL));
		CHECK(listed(getpid()) && listed(getppid()));
		printf("child %d ok\n", getpid());
		fflush(stdout);
		/* Stay (and so stay listed) until the parent has looked. */
		close(done[1]);
		CHECK(read(done[0], &byte, 1) == 0);
		_exit(0);
	}
	close(done[0]);
	CHECK_RPC(dserver_rpc_fork_wait_for_child());
	CHECK(listed(child));
	close(done[1]);
	int status = 0;
	CHECK(waitpid(child, &status, 0) == child);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_RPC(dserver_rpc_uidgid(-1, -1, &uid, NULL));
	CHECK(uid == 77);
	printf("parent %d ok\n", getpid());
	return 0;
}
