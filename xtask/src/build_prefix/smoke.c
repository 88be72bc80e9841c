/*
 * Why this exists: `cargo xtask build-prefix` compiles and runs this client at the end, so a prefix
 * whose headers, shim and server do not work together fails the build that made it instead of the
 * first program a developer builds against it. It is built only from the prefix (-I usr/include,
 * -L usr/lib, rpath into it), runs with DPREFIX set and nothing else, and so starts the server on
 * demand as any first client does. It sets uid 5 and reads it back (the fake-sudo round trip), opens
 * the console and writes argv[1] to it (build-prefix then looks for that line in the server's log),
 * and prints one line on success; on failure it names the call and the status, and exits 1.
 */
#define _GNU_SOURCE
#include <darlingserver/rpc.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Statuses are errno values, negative for the RPC layer's own errors: print them by name. */
static void fail(const char* call, int status) {
	int e = status < 0 ? -status : status;
	const char* name = strerrorname_np(e);
	fprintf(stderr, "smoke: %s failed: %s%s (%d)\n", call, status < 0 ? "-" : "", name ? name : "?", status);
	exit(1);
}

int main(int argc, char** argv) {
	const char* line = argc > 1 ? argv[1] : "build-prefix self-check";
	int32_t uid = -2, gid = -2;
	int status = dserver_rpc_uidgid(5, -1, NULL, NULL);
	if (status != 0)
		fail("uidgid(5, -1)", status);
	status = dserver_rpc_uidgid(-1, -1, &uid, &gid);
	if (status != 0)
		fail("uidgid(-1, -1)", status);
	if (uid != 5) {
		fprintf(stderr, "smoke: set uid 5, but uidgid read back uid %d\n", uid);
		return 1;
	}
	int console = -1;
	status = dserver_rpc_console_open(&console);
	if (status != 0)
		fail("console_open", status);
	if (console < 0) {
		fprintf(stderr, "smoke: console_open succeeded without a descriptor (%d)\n", console);
		return 1;
	}
	if (dprintf(console, "%s\n", line) < 0) {
		fprintf(stderr, "smoke: writing to the console descriptor failed: %s\n", strerrorname_np(errno));
		return 1;
	}
	close(console);
	printf("smoke ok: pid %d, uid 5 read back, console written\n", (int)getpid());
	return 0;
}
