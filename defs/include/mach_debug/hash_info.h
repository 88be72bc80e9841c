/*
 * darling-rs <mach_debug/hash_info.h>: bucket statistics of kernel hash
 * tables. Layout is Apple's (Apple: mach_debug/hash_info.h).
 */

#ifndef DARLING_MACH_DEBUG_HASH_INFO_H
#define DARLING_MACH_DEBUG_HASH_INFO_H

#include <mach/machine/vm_types.h>

typedef struct hash_info_bucket {
	natural_t hib_count;
} hash_info_bucket_t;

typedef hash_info_bucket_t *hash_info_bucket_array_t;

#endif /* DARLING_MACH_DEBUG_HASH_INFO_H */
