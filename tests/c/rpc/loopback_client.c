/*
 * The loopback test interface's generated client (tests/generated/rpc_loopback/rpc.c) compiled
 * with the same test hooks; its include path puts the loopback interface's rpc.h first.
 */

#include "test_hooks.h"
#include "rpc.c"
