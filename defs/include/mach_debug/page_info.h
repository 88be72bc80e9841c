/*
 * darling-rs <mach_debug/page_info.h>: the page list vm_mapped_pages_info
 * returns (Apple: mach_debug/page_info.h), one address per resident page.
 */

#ifndef DARLING_MACH_DEBUG_PAGE_INFO_H
#define DARLING_MACH_DEBUG_PAGE_INFO_H

#include <mach/machine/vm_types.h>

typedef vm_offset_t *page_address_array_t;

#endif /* DARLING_MACH_DEBUG_PAGE_INFO_H */
