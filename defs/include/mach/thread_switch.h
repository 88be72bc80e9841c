/*
 * darling-rs <mach/thread_switch.h>: options of thread_switch. Values are
 * Apple's (Apple: mach/thread_switch.h).
 */

#ifndef DARLING_MACH_THREAD_SWITCH_H
#define DARLING_MACH_THREAD_SWITCH_H

#define SWITCH_OPTION_NONE 0
#define SWITCH_OPTION_DEPRESS 1
#define SWITCH_OPTION_WAIT 2

#define valid_switch_option(opt) (0 <= (opt) && (opt) <= 5)

#endif /* DARLING_MACH_THREAD_SWITCH_H */
