/*
 * darling-rs <mach/vm_page_size.h>: the page size of the calling task,
 * set up by the darling-rs shim when it starts. Names are Apple's (Apple:
 * mach/vm_page_size.h).
 */

#ifndef DARLING_MACH_VM_PAGE_SIZE_H
#define DARLING_MACH_VM_PAGE_SIZE_H

#include <mach/machine/vm_types.h>

#ifdef __cplusplus
extern "C" {
#endif

extern vm_size_t vm_page_size;
extern vm_size_t vm_page_mask;
extern int vm_page_shift;

#define trunc_page(x) ((x) & (~(vm_page_size - 1)))
#define round_page(x) trunc_page((x) + (vm_page_size - 1))

#ifdef __cplusplus
}
#endif

#endif /* DARLING_MACH_VM_PAGE_SIZE_H */
