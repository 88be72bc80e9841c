/*
 * darling-rs <mach/audit_triggers_types.h>: the one C type the
 * audit_triggers interface imports. Apple: mach/audit_triggers_types.h,
 * where a string argument of that interface is a constant C string.
 */

#ifndef DARLING_MACH_AUDIT_TRIGGERS_TYPES_H
#define DARLING_MACH_AUDIT_TRIGGERS_TYPES_H

/* audit_analytics takes two of these; MIG sends them as c_string[*:1024]. */
typedef const char *string_t;

#endif /* DARLING_MACH_AUDIT_TRIGGERS_TYPES_H */
