/*
 * darling-rs <mach/i386/exception.h>: the code values Intel machines report
 * with their exceptions.
 *
 * Facts (Apple: i386/exception.h). The first group is the first code word of
 * EXC_BAD_INSTRUCTION, EXC_ARITHMETIC and EXC_BREAKPOINT; the second is the
 * processor's own trap number, which some exceptions report as their code.
 */

#ifndef DARLING_MACH_I386_EXCEPTION_H
#define DARLING_MACH_I386_EXCEPTION_H

/* EXC_BAD_INSTRUCTION */
#define EXC_I386_INVOP 1

/* EXC_ARITHMETIC */
#define EXC_I386_DIV 1
#define EXC_I386_INTO 2
#define EXC_I386_NOEXT 3
#define EXC_I386_EXTOVR 4
#define EXC_I386_EXTERR 5
#define EXC_I386_EMERR 6
#define EXC_I386_BOUND 7
#define EXC_I386_SSEEXTERR 8

/* EXC_BREAKPOINT */
#define EXC_I386_SGL 1
#define EXC_I386_BPT 2

/* Hardware trap numbers. */
#define EXC_I386_DIVERR 0
#define EXC_I386_SGLSTP 1
#define EXC_I386_NMIFLT 2
#define EXC_I386_BPTFLT 3
#define EXC_I386_INTOFLT 4
#define EXC_I386_BOUNDFLT 5
#define EXC_I386_INVOPFLT 6
#define EXC_I386_NOEXTFLT 7
#define EXC_I386_DBLFLT 8
#define EXC_I386_EXTOVRFLT 9
#define EXC_I386_INVTSSFLT 10
#define EXC_I386_SEGNPFLT 11
#define EXC_I386_STKFLT 12
#define EXC_I386_GPFLT 13
#define EXC_I386_PGFLT 14
#define EXC_I386_EXTERRFLT 16
#define EXC_I386_ALIGNFLT 17
#define EXC_I386_ENOEXTFLT 32
#define EXC_I386_ENDPERR 33

#endif /* DARLING_MACH_I386_EXCEPTION_H */
