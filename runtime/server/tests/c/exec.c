/* exec of another client: the process keeps its identity (fake uid) and checks in as a new image. */
#include "common.h"

int main(int argc, char** argv) {
	int32_t uid = 0;
	if (argc > 1 && strcmp(argv[1], "after") == 0) {
		CHECK_RPC(dserver_rpc_uidgid(-1, -1, &uid, NULL));
		CHECK(uid == 42);
		printf("after exec: pid %d uid %d\n", getpid(), uid);
		return 0;
	}
	CHECK_RPC(dserver_rpc_uidgid(42, -1, NULL, NULL));
	/* A failed exec first: the server must keep the process as it is. */
	char* bad[] = {"/nonexistent/program", NULL};
	CHECK(execv(bad[0], bad) == -1 && errno == ENOENT);
	CHECK_RPC(dserver_rpc_uidgid(-1, -1, &uid, NULL));
	CHECK(uid == 42);
	printf("before exec: pid %d\n", getpid());
	fflush(stdout);
	char* args[] = {argv[0], "after", NULL};
	execv("/proc/self/exe", args);
	perror("execv");
	return 1;
}
