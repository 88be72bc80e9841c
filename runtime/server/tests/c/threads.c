/*
 * Eight threads, each with its own socket, make calls at the same time; every answer must be its own.
 * It prints its pid so the test can find its check-out in the server's log.
 */
#include "common.h"
#include <pthread.h>

#define THREADS 8
#define ROUNDS 300

static void* worker(void* arg) {
	long index = (long)arg;
	for (int i = 0; i < ROUNDS; i++) {
		bool suspended = true, is64 = false;
		int32_t tracer = -1, uid = 0, gid = 0;
		CHECK_RPC(dserver_rpc_started_suspended(&suspended));
		CHECK(!suspended);
		CHECK_RPC(dserver_rpc_get_tracer(&tracer));
		CHECK(tracer == 0);
		CHECK_RPC(dserver_rpc_task_is_64_bit(getpid(), &is64));
		CHECK(is64 == (sizeof(void*) == 8));
		CHECK_RPC(dserver_rpc_uidgid(-1, -1, &uid, &gid));
		CHECK(uid == 1234);
		if (i % 100 == 0) {
			char line[64];
			int n = snprintf(line, sizeof(line), "thread %ld round %d\n", index, i);
			CHECK_RPC(dserver_rpc_kprintf(line, (uint64_t)n));
		}
	}
	return NULL;
}

int main(void) {
	pthread_t threads[THREADS];
	CHECK_RPC(dserver_rpc_uidgid(1234, -1, NULL, NULL));
	for (long i = 0; i < THREADS; i++)
		CHECK(pthread_create(&threads[i], NULL, worker, (void*)i) == 0);
	for (int i = 0; i < THREADS; i++)
		CHECK(pthread_join(threads[i], NULL) == 0);
	printf("pid %d: %d threads x %d rounds ok\n", (int)getpid(), THREADS, ROUNDS);
	return 0;
}
