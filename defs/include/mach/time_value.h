/*
 * darling-rs <mach/time_value.h>: seconds and microseconds, as thread and
 * task statistics report CPU time. Facts from Apple (Apple: mach/time_value.h).
 */

#ifndef DARLING_MACH_TIME_VALUE_H
#define DARLING_MACH_TIME_VALUE_H

#include <mach/machine/vm_types.h>

struct time_value {
	integer_t seconds;
	integer_t microseconds;
};
typedef struct time_value time_value_t;

#define TIME_MICROS_MAX (1000000)

/* Add microseconds to a time value, carrying into seconds. */
#define time_value_add_usec(val, micros) { \
	if (((val)->microseconds += (micros)) >= TIME_MICROS_MAX) { \
		(val)->microseconds -= TIME_MICROS_MAX; \
		(val)->seconds++; \
	} \
}

/* Add one time value to another. */
#define time_value_add(result, addend) { \
	(result)->microseconds += (addend)->microseconds; \
	(result)->seconds += (addend)->seconds; \
	if ((result)->microseconds >= TIME_MICROS_MAX) { \
		(result)->microseconds -= TIME_MICROS_MAX; \
		(result)->seconds++; \
	} \
}

#endif /* DARLING_MACH_TIME_VALUE_H */
