/*
 * darling-rs <mach/ndr.h>: the Network Data Representation record.
 *
 * MIG puts an 8-byte NDR record after the header (and descriptors) of every
 * message that carries data, saying how the sender encodes integers,
 * characters and floats. All darling-rs targets are little-endian ASCII IEEE
 * machines, so the record is constant and no conversion code is enabled.
 * Values are Apple's (Apple: mach/ndr.h).
 */

#ifndef DARLING_MACH_NDR_H
#define DARLING_MACH_NDR_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	unsigned char mig_vers;
	unsigned char if_vers;
	unsigned char reserved1;
	unsigned char mig_encoding;
	unsigned char int_rep;
	unsigned char char_rep;
	unsigned char float_rep;
	unsigned char reserved2;
} NDR_record_t;

#define NDR_PROTOCOL_2_0 0

#define NDR_INT_BIG_ENDIAN 0
#define NDR_INT_LITTLE_ENDIAN 1

#define NDR_FLOAT_IEEE 0
#define NDR_FLOAT_VAX 1
#define NDR_FLOAT_CRAY 2
#define NDR_FLOAT_IBM 3

#define NDR_CHAR_ASCII 0
#define NDR_CHAR_EBCDIC 1

/*
 * This machine's record; MIG stubs copy it into every request and reply.
 * The darling-rs shim defines it.
 */
extern NDR_record_t NDR_record;

/* No representation conversion is ever needed between darling-rs peers. */
#define __NDR_convert__ 0
#define __NDR_convert__int_rep__ 0
#define __NDR_convert__char_rep__ 0
#define __NDR_convert__float_rep__ 0

#ifdef __cplusplus
}
#endif

#endif /* DARLING_MACH_NDR_H */
