/*
 * darling-rs <mach/exception.h>: exception handling types; everything is in
 * <mach/exception_types.h>, which this header includes as Apple's does.
 */

#ifndef DARLING_MACH_EXCEPTION_H
#define DARLING_MACH_EXCEPTION_H

#include <mach/exception_types.h>

#endif /* DARLING_MACH_EXCEPTION_H */
