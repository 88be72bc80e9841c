/* An @fd sent to the server arrives usable: the server resolves a directory descriptor we send
 * (vchroot) to its path, and hands the path back (vchroot_path). */
#include "common.h"
#include <fcntl.h>
#include <limits.h>

int main(int argc, char** argv) {
	CHECK(argc > 1);
	int dir = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	CHECK(dir >= 0);
	CHECK_RPC(dserver_rpc_vchroot(dir));
	close(dir);
	char path[PATH_MAX] = {0};
	uint64_t length = 0;
	CHECK_RPC(dserver_rpc_vchroot_path(path, sizeof(path), &length));
	char expected[PATH_MAX];
	CHECK(realpath(argv[1], expected) != NULL);
	CHECK(strcmp(path, expected) == 0 && length == strlen(expected));
	printf("vchroot %s\n", path);
	return 0;
}
