/*
 * A thread that ends without checking out: it makes a call (so the server knows it), then leaves
 * with a raw exit, which runs no destructor, so its socket never says goodbye. The process stays (it
 * waits for a line on standard input) while the test looks for the thread's departure in the log.
 */
#include "common.h"
#include <pthread.h>
/* <asm/unistd.h>, not <sys/syscall.h>: the prefix's sys/syscall.h is XNU's numbering. */
#include <asm/unistd.h>

static volatile pid_t thread_tid;

static void* vanish(void* unused) {
	(void)unused;
	bool suspended = false;
	thread_tid = gettid();
	CHECK_RPC(dserver_rpc_started_suspended(&suspended));
	syscall(__NR_exit, 0);
	return NULL;
}

int main(void) {
	bool suspended = false;
	char line[16];
	CHECK_RPC(dserver_rpc_started_suspended(&suspended));
	pthread_t thread;
	CHECK(pthread_create(&thread, NULL, vanish, NULL) == 0);
	CHECK(pthread_join(thread, NULL) == 0);
	printf("thread %d gone\n", (int)thread_tid);
	fflush(stdout);
	CHECK(fgets(line, sizeof(line), stdin) != NULL);
	/* The process still calls, as one thread. */
	CHECK_RPC(dserver_rpc_started_suspended(&suspended));
	return 0;
}
