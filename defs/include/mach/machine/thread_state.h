/*
 * darling-rs <mach/machine/thread_state.h>: the largest register state, in
 * 32-bit words, that a thread_state_t may carry.
 *
 * mach_types.defs includes this file to bound thread_state_t, so it is read
 * by migc's preprocessor as well as by C compilers: it must contain
 * preprocessor directives and comments only, never C declarations.
 *
 * The value is XNU 11417's (1296 words), the same on every target; it fixes
 * the size of every message that carries register state.
 */

#ifndef DARLING_MACH_MACHINE_THREAD_STATE_H
#define DARLING_MACH_MACHINE_THREAD_STATE_H

#define THREAD_STATE_MAX 1296

#endif /* DARLING_MACH_MACHINE_THREAD_STATE_H */
