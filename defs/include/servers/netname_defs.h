/*
 * darling-rs <servers/netname_defs.h>: names and return codes of the old
 * Mach network name service (libsyscall's netname.defs), which Apple's
 * SDK still installs. Values are Apple's (Apple: servers/netname_defs.h).
 */

#ifndef DARLING_SERVERS_NETNAME_DEFS_H
#define DARLING_SERVERS_NETNAME_DEFS_H

#define NETNAME_SUCCESS (0)
#define NETNAME_PENDING (-1)
#define NETNAME_NOT_YOURS (1000)
#define NAME_NOT_YOURS (1000)
#define NETNAME_NOT_CHECKED_IN (1001)
#define NAME_NOT_CHECKED_IN (1001)
#define NETNAME_NO_SUCH_HOST (1002)
#define NETNAME_HOST_NOT_FOUND (1003)
#define NETNAME_INVALID_PORT (1004)

/* A service or host name; MIG sends it as c_string[*:80]. */
typedef char netname_name_t[80];

#endif /* DARLING_SERVERS_NETNAME_DEFS_H */
