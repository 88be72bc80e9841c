/*
 * darling-rs <mach/boolean.h>: boolean_t and its two values.
 */

#ifndef DARLING_MACH_BOOLEAN_H
#define DARLING_MACH_BOOLEAN_H

#include <mach/machine/boolean.h>

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

#endif /* DARLING_MACH_BOOLEAN_H */
