/*
 * darling-rs <mach/dyld_kernel.h>: what dyld tells the kernel about loaded
 * images. Layouts are Apple's (Apple: mach/dyld_kernel.h); the MIG types of
 * mach_types.defs carry these as 40 and 64 opaque bytes.
 *
 * fsid_t comes from the host's <sys/types.h> (glibc declares it with the
 * same two 32-bit words), so that both headers can be used together.
 */

#ifndef DARLING_MACH_DYLD_KERNEL_H
#define DARLING_MACH_DYLD_KERNEL_H

#include <stdint.h>
#include <sys/types.h>
#include <mach/boolean.h>

typedef unsigned char uuid_t[16];

typedef struct fsobj_id {
	uint32_t fid_objno;
	uint32_t fid_generation;
} fsobj_id_t;

struct dyld_kernel_image_info {
	uuid_t uuid;
	fsobj_id_t fsobjid;
	fsid_t fsid;
	uint64_t load_addr;
};

struct dyld_kernel_process_info {
	struct dyld_kernel_image_info cache_image_info;
	uint64_t timestamp;
	uint32_t imageCount;
	uint32_t initialImageCount;
	uint8_t dyldState;
	boolean_t no_cache;
	boolean_t private_cache;
};

typedef struct dyld_kernel_image_info dyld_kernel_image_info_t;
typedef struct dyld_kernel_process_info dyld_kernel_process_info_t;
typedef dyld_kernel_image_info_t *dyld_kernel_image_info_array_t;

#endif /* DARLING_MACH_DYLD_KERNEL_H */
