/*
 * Calls, waits for a line on standard input (the test restarts the server meanwhile), and calls
 * again: a thread's socket, connected to the first server, must reach the second.
 */
#include "common.h"

int main(void) {
	bool suspended = false;
	char line[16];
	CHECK_RPC(dserver_rpc_started_suspended(&suspended));
	printf("called\n");
	fflush(stdout);
	CHECK(fgets(line, sizeof(line), stdin) != NULL);
	CHECK_RPC(dserver_rpc_started_suspended(&suspended));
	CHECK_RPC(dserver_rpc_started_suspended(&suspended));
	printf("called again\n");
	return 0;
}
