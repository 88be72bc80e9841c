/*
 * darling-rs <mach/mig_errors.h>: MIG's own result codes and the reply that
 * carries nothing but a result.
 *
 * Values and layout are Apple's (Apple: mach/mig_errors.h): a server that
 * fails a request answers with a 36-byte mig_reply_error_t whose RetCode is
 * one of these codes or a kern_return_t.
 */

#ifndef DARLING_MACH_MIG_ERRORS_H
#define DARLING_MACH_MIG_ERRORS_H

#include <mach/kern_return.h>
#include <mach/message.h>
#include <mach/ndr.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A message of the wrong shape: size, descriptor count or types. */
#define MIG_TYPE_ERROR -300
/* A reply whose id does not answer the request sent. */
#define MIG_REPLY_MISMATCH -301
/* The server answered with an error where a full reply was expected. */
#define MIG_REMOTE_ERROR -302
/* No routine of this subsystem has the request's id. */
#define MIG_BAD_ID -303
/* The server routine rejected its arguments. */
#define MIG_BAD_ARGUMENTS -304
/* The server routine will reply later (or not at all); send nothing now. */
#define MIG_NO_REPLY -305
/* The server routine raised an exception. */
#define MIG_EXCEPTION -306
/* An out array is larger than the caller's buffer. */
#define MIG_ARRAY_TOO_LARGE -307
/* The server's reply right died: it went away without answering. */
#define MIG_SERVER_DIED -308
/* The receive trailer is not the one the stub asked for. */
#define MIG_TRAILER_ERROR -309

#pragma pack(push, 4)

typedef struct {
	mach_msg_header_t Head;
	NDR_record_t NDR;
	kern_return_t RetCode;
} mig_reply_error_t;

#pragma pack(pop)

/* Kept for stubs that still call it; NDR conversion is never needed. */
static __inline__ void __NDR_convert__mig_reply_error_t(mig_reply_error_t *x)
{
	(void)x;
}

#ifdef __cplusplus
}
#endif

#endif /* DARLING_MACH_MIG_ERRORS_H */
