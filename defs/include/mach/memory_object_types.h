/*
 * darling-rs <mach/memory_object_types.h>: memory objects (pagers) as user
 * space names them, and their attributes. Values and layouts are Apple's
 * (Apple: mach/memory_object_types.h).
 */

#ifndef DARLING_MACH_MEMORY_OBJECT_TYPES_H
#define DARLING_MACH_MEMORY_OBJECT_TYPES_H

#include <mach/port.h>
#include <mach/message.h>
#include <mach/vm_types.h>
#include <mach/machine/vm_types.h>

typedef unsigned long long memory_object_offset_t;
typedef unsigned long long memory_object_size_t;
typedef natural_t memory_object_cluster_size_t;
typedef natural_t *memory_object_fault_info_t;

typedef unsigned long long vm_object_id_t;

typedef mach_port_t memory_object_t;
typedef mach_port_t memory_object_control_t;
typedef memory_object_t *memory_object_array_t;
typedef mach_port_t memory_object_name_t;
typedef mach_port_t memory_object_default_t;

#define MEMORY_OBJECT_NULL ((memory_object_t)0)
#define MEMORY_OBJECT_CONTROL_NULL ((memory_object_control_t)0)
#define MEMORY_OBJECT_NAME_NULL ((memory_object_name_t)0)
#define MEMORY_OBJECT_DEFAULT_NULL ((memory_object_default_t)0)

/* How the kernel copies an object's pages. */
typedef int memory_object_copy_strategy_t;
#define MEMORY_OBJECT_COPY_NONE 0
#define MEMORY_OBJECT_COPY_CALL 1
#define MEMORY_OBJECT_COPY_DELAY 2
#define MEMORY_OBJECT_COPY_TEMPORARY 3
#define MEMORY_OBJECT_COPY_SYMMETRIC 4
#define MEMORY_OBJECT_COPY_INVALID 5

/* Which pages go back to the pager. */
typedef int memory_object_return_t;
#define MEMORY_OBJECT_RETURN_NONE 0
#define MEMORY_OBJECT_RETURN_DIRTY 1
#define MEMORY_OBJECT_RETURN_ALL 2
#define MEMORY_OBJECT_RETURN_ANYTHING 3

/* Flags of the data operations. */
#define MEMORY_OBJECT_DATA_FLUSH 0x1
#define MEMORY_OBJECT_DATA_NO_CHANGE 0x2
#define MEMORY_OBJECT_DATA_PURGE 0x4
#define MEMORY_OBJECT_COPY_SYNC 0x8
#define MEMORY_OBJECT_DATA_SYNC 0x10
#define MEMORY_OBJECT_IO_SYNC 0x20
#define MEMORY_OBJECT_DATA_FLUSH_ALL 0x40

#define MEMORY_OBJECT_TERMINATE_IDLE 0x1
#define MEMORY_OBJECT_RESPECT_CACHE 0x2
#define MEMORY_OBJECT_RELEASE_NO_OP 0x4

/* Attribute flavors. */
typedef int *memory_object_info_t;
typedef int memory_object_flavor_t;

#define MEMORY_OBJECT_INFO_MAX (1024)
typedef int memory_object_info_data_t[MEMORY_OBJECT_INFO_MAX];

#define MEMORY_OBJECT_PERFORMANCE_INFO 11
#define MEMORY_OBJECT_ATTRIBUTE_INFO 14
#define MEMORY_OBJECT_BEHAVIOR_INFO 15

struct memory_object_perf_info {
	memory_object_cluster_size_t cluster_size;
	boolean_t may_cache;
};

struct memory_object_attr_info {
	memory_object_copy_strategy_t copy_strategy;
	memory_object_cluster_size_t cluster_size;
	boolean_t may_cache_object;
	boolean_t temporary;
};

struct memory_object_behave_info {
	memory_object_copy_strategy_t copy_strategy;
	boolean_t temporary;
	boolean_t invalidate;
	boolean_t silent_overwrite;
	boolean_t advisory_pageout;
};

typedef struct memory_object_behave_info *memory_object_behave_info_t;
typedef struct memory_object_behave_info memory_object_behave_info_data_t;
typedef struct memory_object_perf_info *memory_object_perf_info_t;
typedef struct memory_object_perf_info memory_object_perf_info_data_t;
typedef struct memory_object_attr_info *memory_object_attr_info_t;
typedef struct memory_object_attr_info memory_object_attr_info_data_t;

#define MEMORY_OBJECT_BEHAVE_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(memory_object_behave_info_data_t) / sizeof(int)))
#define MEMORY_OBJECT_PERF_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(memory_object_perf_info_data_t) / sizeof(int)))
#define MEMORY_OBJECT_ATTR_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(memory_object_attr_info_data_t) / sizeof(int)))

#endif /* DARLING_MACH_MEMORY_OBJECT_TYPES_H */
