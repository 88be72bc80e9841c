/* console_open gives a descriptor the server reads: what we write shows up in the server's log. */
#include "common.h"

int main(int argc, char** argv) {
	int console = -1;
	CHECK_RPC(dserver_rpc_console_open(&console));
	CHECK(console >= 0);
	const char* text = argc > 1 ? argv[1] : "hello from the console";
	CHECK(dprintf(console, "%s\n", text) > 0);
	CHECK(close(console) == 0);
	printf("wrote to console fd %d\n", console);
	return 0;
}
