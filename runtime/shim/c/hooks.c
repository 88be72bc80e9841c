/*
 * The one RPC hook the shim writes in C: printf is variadic, which stable Rust cannot define.
 * Messages go to standard error, prefixed so a user can tell them from the program's own output.
 */
#include <stdarg.h>
#include <stdio.h>

void dserver_rpc_hooks_printf(const char* format, ...) {
	va_list args;
	va_start(args, format);
	fputs("darling: ", stderr);
	vfprintf(stderr, format, args);
	va_end(args);
}
