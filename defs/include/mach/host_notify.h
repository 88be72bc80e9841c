/*
 * darling-rs <mach/host_notify.h>: host notification types and the ids of
 * the messages that deliver them. Values are Apple's (Apple:
 * mach/host_notify.h).
 */

#ifndef DARLING_MACH_HOST_NOTIFY_H
#define DARLING_MACH_HOST_NOTIFY_H

#define HOST_NOTIFY_CALENDAR_CHANGE 0
#define HOST_NOTIFY_CALENDAR_SET 1
#define HOST_NOTIFY_TYPE_MAX 1

#define HOST_CALENDAR_CHANGED_REPLYID 950
#define HOST_CALENDAR_SET_REPLYID 951

#endif /* DARLING_MACH_HOST_NOTIFY_H */
