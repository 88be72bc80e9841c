/* The docs' fake-sudo round trip: what uidgid sets is what it reads back, per process. */
#include "common.h"

int main(void) {
	int32_t uid = -2, gid = -2;
	CHECK_RPC(dserver_rpc_uidgid(-1, -1, &uid, &gid));
	CHECK(uid == (int32_t)getuid() && gid == (int32_t)getgid());
	CHECK_RPC(dserver_rpc_uidgid(5, -1, NULL, NULL));
	CHECK_RPC(dserver_rpc_uidgid(-1, -1, &uid, &gid));
	CHECK(uid == 5);
	CHECK_RPC(dserver_rpc_uidgid(-1, 89, NULL, NULL));
	CHECK_RPC(dserver_rpc_uidgid(-1, -1, &uid, &gid));
	CHECK(uid == 5 && gid == 89);
	printf("uid=%d gid=%d\n", uid, gid);
	return 0;
}
