/*
 * Watches a child through a process kqueue channel (kqchan_proc_open), speaking darlingserver's
 * kqchan protocol the way libkqueue's EVFILT_PROC filter does: wait for a notification, ask for the
 * event, read the answer (and, with NOTE_TRACK, the channel of a forked child that comes with it).
 * The child forks a grandchild (NOTE_FORK; the grandchild's own channel reports NOTE_CHILD and
 * NOTE_EXIT), execs another client (NOTE_EXEC) and exits with status 7 (NOTE_EXIT, whose data is
 * the wait status since NOTE_EXITSTATUS is asked for).
 */
#include "common.h"
#include <darlingserver/rpc-supplement.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>

/* EVFILT_PROC flags, from XNU's <sys/event.h> (Linux has no such header). */
#define NOTE_EXIT 0x80000000u
#define NOTE_FORK 0x40000000u
#define NOTE_EXEC 0x20000000u
#define NOTE_EXITSTATUS 0x04000000u
#define NOTE_TRACK 0x00000001u
#define NOTE_CHILD 0x00000004u

/* Waits for the next event of `channel` and reads it; returns the descriptor that came with it or -1. */
static int next_event(int channel, uint32_t* fflags, int64_t* data) {
	for (;;) {
		struct pollfd wait = {.fd = channel, .events = POLLIN};
		/* A guard against hanging the suite, not a measurement: events come at once. */
		CHECK(poll(&wait, 1, 30000) == 1);
		dserver_kqchan_call_notification_t notification;
		CHECK(recv(channel, &notification, sizeof(notification), 0) == (ssize_t)sizeof(notification));
		CHECK(notification.header.number == dserver_kqchan_msgnum_notification);

		dserver_kqchan_call_proc_read_t call = {
			.header = {.number = dserver_kqchan_msgnum_proc_read, .pid = getpid(), .tid = gettid()},
		};
		CHECK(send(channel, &call, sizeof(call), 0) == (ssize_t)sizeof(call));

		dserver_kqchan_reply_proc_read_t reply;
		union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } control;
		struct iovec iov = {.iov_base = &reply, .iov_len = sizeof(reply)};
		struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof(control.buf)};
		CHECK(recvmsg(channel, &msg, MSG_CMSG_CLOEXEC) == (ssize_t)sizeof(reply));
		CHECK(reply.header.number == dserver_kqchan_msgnum_proc_read);
		if (reply.header.code == 0xdead)
			continue; /* nothing after all: wait for the next notification */
		CHECK(reply.header.code == 0);
		*fflags = reply.fflags;
		*data = reply.data;
		struct cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
		if (cmsg == NULL)
			return -1;
		CHECK(cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS);
		int fd;
		memcpy(&fd, CMSG_DATA(cmsg), sizeof(fd));
		return fd;
	}
}

int main(int argc, char** argv) {
	if (argc > 1 && strcmp(argv[1], "exec-stage") == 0) {
		/* The exec'd image: a client again (it checked in from the shim's constructor). */
		return 7;
	}
	int go[2], report[2];
	CHECK(pipe(go) == 0 && pipe(report) == 0);
	pid_t child = fork();
	CHECK(child >= 0);
	if (child == 0) {
		char byte;
		CHECK(read(go[0], &byte, 1) == 1);
		pid_t grandchild = fork();
		CHECK(grandchild >= 0);
		if (grandchild == 0)
			_exit(0);
		CHECK(write(report[1], &grandchild, sizeof(grandchild)) == (ssize_t)sizeof(grandchild));
		CHECK(waitpid(grandchild, NULL, 0) == grandchild);
		char* args[] = {argv[0], "exec-stage", NULL};
		execv("/proc/self/exe", args);
		_exit(99);
	}
	/* Watch the child once the server knows it, then let it go. */
	CHECK_RPC(dserver_rpc_fork_wait_for_child());
	int channel = -1;
	CHECK_RPC(dserver_rpc_kqchan_proc_open(child, NOTE_EXIT, &channel));
	CHECK(channel >= 0);

	/* Ask for more than the channel was opened with. */
	dserver_kqchan_call_proc_modify_t modify = {
		.header = {.number = dserver_kqchan_msgnum_proc_modify, .pid = getpid(), .tid = gettid()},
		.flags = NOTE_EXIT | NOTE_EXITSTATUS | NOTE_FORK | NOTE_EXEC | NOTE_TRACK,
	};
	CHECK(send(channel, &modify, sizeof(modify), 0) == (ssize_t)sizeof(modify));
	dserver_kqchan_reply_proc_modify_t modified;
	CHECK(recv(channel, &modified, sizeof(modified), 0) == (ssize_t)sizeof(modified));
	CHECK(modified.header.number == dserver_kqchan_msgnum_proc_modify && modified.header.code == 0);

	CHECK(write(go[1], "g", 1) == 1);
	pid_t grandchild;
	CHECK(read(report[0], &grandchild, sizeof(grandchild)) == (ssize_t)sizeof(grandchild));

	/* The child's events, in order. */
	uint32_t fflags = 0;
	int64_t data = 0;
	int tracked = next_event(channel, &fflags, &data);
	CHECK(fflags == NOTE_FORK && data == grandchild && tracked >= 0);
	CHECK(next_event(channel, &fflags, &data) == -1);
	CHECK(fflags == NOTE_EXEC);
	CHECK(next_event(channel, &fflags, &data) == -1);
	CHECK(fflags == NOTE_EXIT);
	/* Not reaped yet, so its wait status is known: exit(7). */
	CHECK(WIFEXITED((int)data) && WEXITSTATUS((int)data) == 7);

	/* The grandchild's channel, which NOTE_TRACK handed over with NOTE_FORK. */
	CHECK(next_event(tracked, &fflags, &data) == -1);
	CHECK(fflags == NOTE_CHILD && data == child);
	CHECK(next_event(tracked, &fflags, &data) == -1);
	CHECK(fflags == NOTE_EXIT);

	int status = 0;
	CHECK(waitpid(child, &status, 0) == child);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 7);
	close(tracked);
	close(channel);
	printf("kqchan: child %d forked %d, exec'd, exited 7; %d reported itself a child of %d and exited\n", child,
	       grandchild, grandchild, child);
	return 0;
}
