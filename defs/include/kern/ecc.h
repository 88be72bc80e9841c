/*
 * darling-rs <kern/ecc.h>: the memory error reports the
 * memory_error_notification interface carries. Layouts are Apple's (Apple:
 * kern/ecc.h); each event is ten 32-bit words, as the interface's
 * struct[10] of uint32_t types say, on every architecture.
 */

#ifndef DARLING_KERN_ECC_H
#define DARLING_KERN_ECC_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What an ECC report says about the error (bits). */
typedef uint32_t ecc_flags_t;
#define ECC_NONE 0x00000000u
#define ECC_IS_CORRECTABLE 0x00000001u
#define ECC_DB_CORRUPTED 0x00000002u
#define ECC_IS_TEST_ERROR 0x00000004u
#define ECC_DB_ONLY 0x00000008u
#define ECC_REMOVE_ADDR 0x00000010u

/* The layout version of an ecc_event_t. */
typedef uint32_t ecc_version_t;
#define ECC_V1 0u
#define ECC_NUM_VERSIONS 1u

/* One DRAM error: 40 bytes, the 64-bit address at offset 8 on every target. */
typedef struct {
	ecc_version_t version;
	ecc_flags_t flags;
	uint64_t physaddr;
	uint32_t ce_count;
	uint32_t vendor;
	uint32_t reserved[4];
} ecc_event_t;

/* What a memory cache controller (MCC) report says about the error. */
typedef uint32_t mcc_flags_t;
#define MCC_NONE 0x00000000u
#define MCC_IS_SINGLE_BIT 0x00000001u
#define MCC_IS_MULTI_BIT 0x00000002u

/* The layout version of an mcc_ecc_event_t (an enum in Apple's header: four bytes). */
typedef enum {
	MCC_ECC_V1,
	MCC_ECC_NUM_VERSIONS
} mcc_ecc_version_t;

/* One memory cache error: where it was and which bit flipped. */
typedef struct {
	mcc_ecc_version_t version;
	mcc_flags_t flags;
	uint32_t status;
	uint32_t amcc;
	uint32_t plane;
	uint32_t bank;
	uint32_t way;
	uint32_t index;
	uint32_t bit_off_cl;
	uint32_t bit_off_within_hcl;
} mcc_ecc_event_t;

/* The older event record, still declared by Apple's header. */
#define ECC_EVENT_INFO_DATA_ENTRIES 8
struct ecc_event {
	uint8_t id;
	uint8_t count;
	uint64_t data[ECC_EVENT_INFO_DATA_ENTRIES] __attribute__((aligned(8)));
};

#ifdef __cplusplus
}
#endif

#endif /* DARLING_KERN_ECC_H */
