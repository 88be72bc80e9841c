/* Lists the server's processes (debug_list_processes), one namespaced pid a line. */
#include "common.h"
#include <stdint.h>

typedef struct {
	uint32_t pid;
	uint64_t port_count;
} process_record_t;

int main(void) {
	uint64_t count = 0;
	int fd = -1;
	CHECK_RPC(dserver_rpc_debug_list_processes(&count, &fd));
	CHECK(fd >= 0);
	for (uint64_t i = 0; i < count; i++) {
		process_record_t record;
		CHECK(read(fd, &record, sizeof(record)) == (ssize_t)sizeof(record));
		printf("%u\n", record.pid);
	}
	process_record_t extra;
	CHECK(read(fd, &extra, sizeof(extra)) == 0);
	close(fd);
	return 0;
}
