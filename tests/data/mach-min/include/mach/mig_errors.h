/* Test-only stand-in: see min.h. */
#include <mach/min.h>
