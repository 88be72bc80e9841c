/*
 * fork_wait_for_child when the child dies before it checks in: the wait answers ECHILD instead of
 * waiting forever, whether the child is already dead when the wait starts or dies during it. The
 * children are made with a raw clone, which runs no fork handler, so they never check in; a child
 * made by fork() afterwards is still waited for and found.
 */
#include "common.h"
#include <pthread.h>
#include <signal.h>
/* <asm/unistd.h>, not <sys/syscall.h>: the prefix's sys/syscall.h is XNU's numbering. */
#include <asm/unistd.h>
#include <sys/wait.h>

static volatile pid_t main_tid;

/* A child that never checks in: it runs nothing but raw system calls. */
static pid_t raw_child(int dies_at_once) {
	long pid = syscall(__NR_clone, (long)SIGCHLD, 0L, 0L, 0L, 0L);
	if (pid == 0) {
		if (!dies_at_once)
			syscall(__NR_pause);
		syscall(__NR_exit_group, 0);
	}
	return (pid_t)pid;
}

static int main_thread_waiting(void) {
	char path[64], text[64] = {0};
	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)main_tid);
	FILE* file = fopen(path, "r");
	if (!file)
		return 0;
	int n = fread(text, 1, sizeof(text) - 1, file) > 0 && text[0] >= '0' && text[0] <= '9' ? atoi(text) : -1;
	fclose(file);
	return n == __NR_recvmsg;
}

/* Kills the child once the main thread waits for it. */
static void* killer(void* child) {
	for (int waited = 0; !main_thread_waiting(); waited++) {
		if (waited == 10000) {
			fprintf(stderr, "forkdeath: the main thread never waited\n");
			exit(1);
		}
		usleep(1000);
	}
	CHECK(kill(*(pid_t*)child, SIGKILL) == 0);
	return NULL;
}

int main(void) {
	main_tid = gettid();
	/* Dead before the wait starts. */
	pid_t first = raw_child(1);
	CHECK(first > 0);
	int status = dserver_rpc_fork_wait_for_child();
	CHECK(status == ECHILD);
	printf("dead before the wait: %s\n", test_status_name(status));

	/* Dies while the wait waits. */
	pid_t second = raw_child(0);
	CHECK(second > 0);
	pthread_t thread;
	CHECK(pthread_create(&thread, NULL, killer, &second) == 0);
	status = dserver_rpc_fork_wait_for_child();
	CHECK(status == ECHILD);
	CHECK(pthread_join(thread, NULL) == 0);
	printf("died during the wait: %s\n", test_status_name(status));

	/* A child that does check in is still waited for, unreaped dead siblings or not. */
	pid_t third = fork();
	CHECK(third >= 0);
	if (third == 0)
		_exit(0);
	CHECK_RPC(dserver_rpc_fork_wait_for_child());
	int reaped = 0;
	for (pid_t child; (child = wait(NULL)) > 0;)
		reaped += child == first || child == second || child == third;
	CHECK(reaped == 3);
	printf("a child that checks in: success\n");
	return 0;
}
