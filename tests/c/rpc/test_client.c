/*
 * darlingserver's generated RPC client (runtime/generated/src/rpc/rpc.c) compiled with the test
 * hooks, as a shim compiles it: the hooks header first, then the generated source.
 */

#include "test_hooks.h"
#include "rpc.c"
