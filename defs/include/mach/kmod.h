/*
 * darling-rs <mach/kmod.h>: kernel module descriptions, as kmod_get_info
 * reports them. Layouts and values are Apple's (Apple: mach/kmod.h).
 */

#ifndef DARLING_MACH_KMOD_H
#define DARLING_MACH_KMOD_H

#include <stdint.h>
#include <mach/kern_return.h>
#include <mach/machine/vm_types.h>

#define KMOD_INFO_NAME kmod_info
#define KMOD_INFO_VERSION 1

#define KMOD_RETURN_SUCCESS KERN_SUCCESS
#define KMOD_RETURN_FAILURE KERN_FAILURE

#define KMOD_MAX_NAME 64

typedef int kmod_t;

struct kmod_info;
typedef kern_return_t kmod_start_func_t(struct kmod_info *ki, void *data);
typedef kern_return_t kmod_stop_func_t(struct kmod_info *ki, void *data);

#pragma pack(push, 4)

typedef struct kmod_reference {
	struct kmod_reference *next;
	struct kmod_info *info;
} kmod_reference_t;

typedef struct kmod_info {
	struct kmod_info *next;
	int32_t info_version;
	uint32_t id;
	char name[KMOD_MAX_NAME];
	char version[KMOD_MAX_NAME];
	int32_t reference_count;
	kmod_reference_t *reference_list;
	vm_offset_t address;
	vm_size_t size;
	vm_size_t hdr_size;
	kmod_start_func_t *start;
	kmod_stop_func_t *stop;
} kmod_info_t;

/* The same record as a 32-bit and a 64-bit kernel lays it out. */
typedef struct kmod_info_32_v1 {
	uint32_t next_addr;
	int32_t info_version;
	uint32_t id;
	uint8_t name[KMOD_MAX_NAME];
	uint8_t version[KMOD_MAX_NAME];
	int32_t reference_count;
	uint32_t reference_list_addr;
	uint32_t address;
	uint32_t size;
	uint32_t hdr_size;
	uint32_t start_addr;
	uint32_t stop_addr;
} kmod_info_32_v1_t;

typedef struct kmod_info_64_v1 {
	uint64_t next_addr;
	int32_t info_version;
	uint32_t id;
	uint8_t name[KMOD_MAX_NAME];
	uint8_t version[KMOD_MAX_NAME];
	int32_t reference_count;
	uint64_t reference_list_addr;
	uint64_t address;
	uint64_t size;
	uint64_t hdr_size;
	uint64_t start_addr;
	uint64_t stop_addr;
} kmod_info_64_v1_t;

#pragma pack(pop)

typedef void *kmod_args_t;
typedef int kmod_control_flavor_t;
typedef kmod_info_t *kmod_info_array_t;

#endif /* DARLING_MACH_KMOD_H */
