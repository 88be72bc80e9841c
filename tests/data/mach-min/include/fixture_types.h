/* Test-only C types for the MIG types that migc's fixtures declare (tests/data/ok). */
#ifndef MIGC_TEST_FIXTURE_TYPES_H
#define MIGC_TEST_FIXTURE_TYPES_H

#include <mach/min.h>

typedef integer_t mach_msg_options_t;
typedef int word_t;
typedef int number_typed_t;
typedef int computed_t[9];
typedef int fixed_t[4];
typedef integer_t *info_t;
typedef char *bytes_t;
typedef char *small_t;
typedef int *int_array_t;
typedef int *fixed_block_t;
typedef mach_port_t *handler_array_t;
typedef int *mask_array_t;
typedef char name_t[32];
typedef char path_t[128];
typedef struct {
	int seconds;
	int microseconds;
} time_value_t;
typedef struct {
	natural_t values[6];
} stats_t;
typedef int handle_t;
typedef mach_port_t *local_ports_t;
typedef int *local_values_t;

#endif
