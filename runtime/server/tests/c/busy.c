/* A client that holds server-side descriptors (a console relay, a vchroot directory) and keeps 4
 * threads calling until it is killed; prints "ready" once all of that is in place. */
#include "common.h"
#include <fcntl.h>
#include <pthread.h>

static void* spin(void* arg) {
	(void)arg;
	for (;;) {
		int32_t uid = 0;
		bool suspended = false;
		CHECK_RPC(dserver_rpc_uidgid(-1, -1, &uid, NULL));
		CHECK_RPC(dserver_rpc_started_suspended(&suspended));
	}
	return NULL;
}

int main(int argc, char** argv) {
	int seconds = argc > 1 ? atoi(argv[1]) : 0;
	int console = -1;
	CHECK_RPC(dserver_rpc_console_open(&console));
	int dir = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	CHECK_RPC(dserver_rpc_vchroot(dir));
	close(dir);
	pthread_t threads[4];
	for (int i = 0; i < 4; i++)
		CHECK(pthread_create(&threads[i], NULL, spin, NULL) == 0);
	printf("ready\n");
	fflush(stdout);
	if (seconds > 0) {
		sleep((unsigned)seconds);
		printf("survived\n");
		return 0;
	}
	for (;;)
		pause();
}
