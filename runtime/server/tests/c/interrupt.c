/* The interrupt protocol. The main thread waits in fork_wait_for_child (a call that allows
 * interruptions); a signal handler runs calls of its own between interrupt_enter and interrupt_exit.
 * The handler first blocks until the awaited reply is already queued on the main thread's socket, so
 * interrupt_enter receives it first, pushes it back (push_reply), and gets it re-sent after
 * interrupt_exit: the waiting call must still return success, and the handler's calls their own
 * answers. */
#include "common.h"
#include <pthread.h>
#include <signal.h>
/* <asm/unistd.h>, not <sys/syscall.h>: the prefix's sys/syscall.h is XNU's numbering. */
#include <asm/unistd.h>
#include <sys/wait.h>

static int gate[2];
static volatile sig_atomic_t handled;
static volatile pid_t main_tid;

/* Is the main thread blocked in system call `number`? */
static int main_thread_in(int number) {
	char path[64], text[64] = {0};
	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)main_tid);
	FILE* file = fopen(path, "r");
	if (!file)
		return 0;
	/* "running" while it runs (which atoi would read as 0, read's number), else the number. */
	int n = fread(text, 1, sizeof(text) - 1, file) > 0 && text[0] >= '0' && text[0] <= '9' ? atoi(text) : -1;
	fclose(file);
	return n == number;
}

/* Waits (up to 10 s, then fails) until the main thread blocks in system call `number`. */
static void wait_for_main_thread_in(int number, const char* what) {
	for (int waited = 0; !main_thread_in(number); waited++) {
		if (waited == 10000) {
			fprintf(stderr, "interrupt: the main thread never blocked %s\n", what);
			exit(1);
		}
		usleep(1000);
	}
}

static void on_signal(int sig) {
	(void)sig;
	char byte;
	int saved = errno;
	while (read(gate[0], &byte, 1) < 0 && errno == EINTR) {}
	CHECK_RPC(dserver_rpc_interrupt_enter());
	int32_t uid = 0;
	CHECK_RPC(dserver_rpc_uidgid(-1, -1, &uid, NULL));
	CHECK(uid == 9);
	CHECK_RPC(dserver_rpc_interrupt_exit());
	handled = 1;
	errno = saved;
}

static void* helper(void* main_thread) {
	wait_for_main_thread_in(__NR_recvmsg, "in recvmsg");
	fprintf(stderr, "interrupt: main thread waiting; signalling it\n");
	pthread_kill(*(pthread_t*)main_thread, SIGUSR1);
	/* Only once the handler runs (blocked reading the gate) may the reply come: a reply that came
	 * first would be received by the waiting call, and the handler would find nothing to push back. */
	wait_for_main_thread_in(__NR_read, "in the signal handler");
	/* The child checks in during fork, which completes the main thread's wait: its reply is queued
	 * before the child exits. */
	pid_t child = fork();
	if (child == 0)
		_exit(0);
	fprintf(stderr, "interrupt: forked %d\n", (int)child);
	CHECK(waitpid(child, NULL, 0) == child);
	fprintf(stderr, "interrupt: child reaped; opening the gate\n");
	CHECK(write(gate[1], "x", 1) == 1);
	return NULL;
}

int main(void) {
	CHECK(pipe(gate) == 0);
	CHECK_RPC(dserver_rpc_uidgid(9, -1, NULL, NULL));
	struct sigaction action = {0};
	action.sa_handler = on_signal;
	action.sa_flags = SA_RESTART;
	sigemptyset(&action.sa_mask);
	CHECK(sigaction(SIGUSR1, &action, NULL) == 0);
	main_tid = gettid();
	pthread_t self = pthread_self(), thread;
	CHECK(pthread_create(&thread, NULL, helper, &self) == 0);
	CHECK_RPC(dserver_rpc_fork_wait_for_child());
	CHECK(handled);
	CHECK(pthread_join(thread, NULL) == 0);
	printf("interrupted wait completed\n");
	return 0;
}
