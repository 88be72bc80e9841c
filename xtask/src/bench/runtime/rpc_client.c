/*
 * The measured client: `dserver_rpc_started_suspended`, a call without arguments, through the
 * generated C wrapper, the shim's hooks and darlingserver.
 */
#include "client.h"
#include <darlingserver/rpc.h>

static int one_call(void) {
	bool suspended = false;
	return dserver_rpc_started_suspended(&suspended);
}

int main(int argc, char** argv) {
	return run(argc, argv);
}
