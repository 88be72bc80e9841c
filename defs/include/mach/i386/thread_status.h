/*
 * darling-rs <mach/i386/thread_status.h>: Intel register state flavors and
 * the structures that thread_get_state, thread_set_state and the exception
 * messages carry.
 *
 * Facts (Apple: i386/thread_status.h, i386/_structs.h): flavor numbers,
 * field order, widths and names (the "__"-prefixed names of the UNIX 2003
 * API). Sizes are asserted in the darling-rs header tests. Counts are in
 * 32-bit words, as the *_COUNT macros of every Mach interface are.
 */

#ifndef DARLING_MACH_I386_THREAD_STATUS_H
#define DARLING_MACH_I386_THREAD_STATUS_H

#include <stdint.h>
#include <mach/message.h>

/* Flavors. 14 and 15 are reserved for the kernel's saved state. */
#define x86_THREAD_STATE32 1
#define x86_FLOAT_STATE32 2
#define x86_EXCEPTION_STATE32 3
#define x86_THREAD_STATE64 4
#define x86_FLOAT_STATE64 5
#define x86_EXCEPTION_STATE64 6
#define x86_THREAD_STATE 7
#define x86_FLOAT_STATE 8
#define x86_EXCEPTION_STATE 9
#define x86_DEBUG_STATE32 10
#define x86_DEBUG_STATE64 11
#define x86_DEBUG_STATE 12
#define THREAD_STATE_NONE 13
#define x86_AVX_STATE32 16
#define x86_AVX_STATE64 17
#define x86_AVX_STATE 18
#define x86_AVX512_STATE32 19
#define x86_AVX512_STATE64 20
#define x86_AVX512_STATE 21
#define x86_PAGEIN_STATE 22
#define x86_THREAD_FULL_STATE64 23
#define x86_INSTRUCTION_STATE 24
#define x86_LAST_BRANCH_STATE 25

/* The 32-bit flavors under their original names. */
#define i386_THREAD_STATE x86_THREAD_STATE32
#define i386_FLOAT_STATE x86_FLOAT_STATE32
#define i386_EXCEPTION_STATE x86_EXCEPTION_STATE32

/* Whether a flavor is one a thread can be asked for on this machine. */
#define VALID_THREAD_STATE_FLAVOR(x) \
	((x) == x86_THREAD_STATE32 || (x) == x86_FLOAT_STATE32 || \
	 (x) == x86_EXCEPTION_STATE32 || (x) == x86_DEBUG_STATE32 || \
	 (x) == x86_THREAD_STATE64 || (x) == x86_THREAD_FULL_STATE64 || \
	 (x) == x86_FLOAT_STATE64 || (x) == x86_EXCEPTION_STATE64 || \
	 (x) == x86_DEBUG_STATE64 || (x) == x86_THREAD_STATE || \
	 (x) == x86_FLOAT_STATE || (x) == x86_EXCEPTION_STATE || \
	 (x) == x86_DEBUG_STATE || (x) == x86_AVX_STATE32 || \
	 (x) == x86_AVX_STATE64 || (x) == x86_AVX_STATE || \
	 (x) == x86_AVX512_STATE32 || (x) == x86_AVX512_STATE64 || \
	 (x) == x86_AVX512_STATE || (x) == x86_PAGEIN_STATE || \
	 (x) == THREAD_STATE_NONE)

/* General registers of a 32-bit thread. */
struct __darwin_i386_thread_state {
	unsigned int __eax;
	unsigned int __ebx;
	unsigned int __ecx;
	unsigned int __edx;
	unsigned int __edi;
	unsigned int __esi;
	unsigned int __ebp;
	unsigned int __esp;
	unsigned int __ss;
	unsigned int __eflags;
	unsigned int __eip;
	unsigned int __cs;
	unsigned int __ds;
	unsigned int __es;
	unsigned int __fs;
	unsigned int __gs;
};

/* General registers of a 64-bit thread. */
struct __darwin_x86_thread_state64 {
	uint64_t __rax;
	uint64_t __rbx;
	uint64_t __rcx;
	uint64_t __rdx;
	uint64_t __rdi;
	uint64_t __rsi;
	uint64_t __rbp;
	uint64_t __rsp;
	uint64_t __r8;
	uint64_t __r9;
	uint64_t __r10;
	uint64_t __r11;
	uint64_t __r12;
	uint64_t __r13;
	uint64_t __r14;
	uint64_t __r15;
	uint64_t __rip;
	uint64_t __rflags;
	uint64_t __cs;
	uint64_t __fs;
	uint64_t __gs;
};

/* The 64-bit registers plus the segment registers and GS base. */
struct __darwin_x86_thread_full_state64 {
	struct __darwin_x86_thread_state64 __ss64;
	uint64_t __ds;
	uint64_t __es;
	uint64_t __ss;
	uint64_t __gsbase;
};

/* x87 control word, bit by bit. */
struct __darwin_fp_control {
	unsigned short __invalid : 1,
		__denorm : 1,
		__zdiv : 1,
		__ovrfl : 1,
		__undfl : 1,
		__precis : 1,
		: 2,
		__pc : 2,
		__rc : 2,
		: 1,
		: 3;
};
typedef struct __darwin_fp_control fp_control_t;

/* Precision control (__pc) and rounding control (__rc) values. */
#define FP_PREC_24B 0
#define FP_PREC_53B 2
#define FP_PREC_64B 3
#define FP_RND_NEAR 0
#define FP_RND_DOWN 1
#define FP_RND_UP 2
#define FP_CHOP 3

/* x87 status word, bit by bit. */
struct __darwin_fp_status {
	unsigned short __invalid : 1,
		__denorm : 1,
		__zdiv : 1,
		__ovrfl : 1,
		__undfl : 1,
		__precis : 1,
		__stkflt : 1,
		__errsumm : 1,
		__c0 : 1,
		__c1 : 1,
		__c2 : 1,
		__tos : 3,
		__c3 : 1,
		__busy : 1;
};
typedef struct __darwin_fp_status fp_status_t;

/* One x87/MMX register slot: 10 bytes of value, 6 reserved. */
struct __darwin_mmst_reg {
	char __mmst_reg[10];
	char __mmst_rsrv[6];
};

/* Vector register slices. */
struct __darwin_xmm_reg {
	char __xmm_reg[16];
};

struct __darwin_ymm_reg {
	char __ymm_reg[32];
};

struct __darwin_zmm_reg {
	char __zmm_reg[64];
};

struct __darwin_opmask_reg {
	char __opmask_reg[8];
};

/* x87 and SSE state of a 32-bit thread, in FXSAVE order (524 bytes). */
struct __darwin_i386_float_state {
	int __fpu_reserved[2];
	struct __darwin_fp_control __fpu_fcw;
	struct __darwin_fp_status __fpu_fsw;
	uint8_t __fpu_ftw;
	uint8_t __fpu_rsrv1;
	uint16_t __fpu_fop;
	uint32_t __fpu_ip;
	uint16_t __fpu_cs;
	uint16_t __fpu_rsrv2;
	uint32_t __fpu_dp;
	uint16_t __fpu_ds;
	uint16_t __fpu_rsrv3;
	uint32_t __fpu_mxcsr;
	uint32_t __fpu_mxcsrmask;
	struct __darwin_mmst_reg __fpu_stmm0;
	struct __darwin_mmst_reg __fpu_stmm1;
	struct __darwin_mmst_reg __fpu_stmm2;
	struct __darwin_mmst_reg __fpu_stmm3;
	struct __darwin_mmst_reg __fpu_stmm4;
	struct __darwin_mmst_reg __fpu_stmm5;
	struct __darwin_mmst_reg __fpu_stmm6;
	struct __darwin_mmst_reg __fpu_stmm7;
	struct __darwin_xmm_reg __fpu_xmm0;
	struct __darwin_xmm_reg __fpu_xmm1;
	struct __darwin_xmm_reg __fpu_xmm2;
	struct __darwin_xmm_reg __fpu_xmm3;
	struct __darwin_xmm_reg __fpu_xmm4;
	struct __darwin_xmm_reg __fpu_xmm5;
	struct __darwin_xmm_reg __fpu_xmm6;
	struct __darwin_xmm_reg __fpu_xmm7;
	char __fpu_rsrv4[14 * 16];
	int __fpu_reserved1;
};

/* The same with the upper halves of the AVX registers. */
struct __darwin_i386_avx_state {
	int __fpu_reserved[2];
	struct __darwin_fp_control __fpu_fcw;
	struct __darwin_fp_status __fpu_fsw;
	uint8_t __fpu_ftw;
	uint8_t __fpu_rsrv1;
	uint16_t __fpu_fop;
	uint32_t __fpu_ip;
	uint16_t __fpu_cs;
	uint16_t __fpu_rsrv2;
	uint32_t __fpu_dp;
	uint16_t __fpu_ds;
	uint16_t __fpu_rsrv3;
	uint32_t __fpu_mxcsr;
	uint32_t __fpu_mxcsrmask;
	struct __darwin_mmst_reg __fpu_stmm0;
	struct __darwin_mmst_reg __fpu_stmm1;
	struct __darwin_mmst_reg __fpu_stmm2;
	struct __darwin_mmst_reg __fpu_stmm3;
	struct __darwin_mmst_reg __fpu_stmm4;
	struct __darwin_mmst_reg __fpu_stmm5;
	struct __darwin_mmst_reg __fpu_stmm6;
	struct __darwin_mmst_reg __fpu_stmm7;
	struct __darwin_xmm_reg __fpu_xmm0;
	struct __darwin_xmm_reg __fpu_xmm1;
	struct __darwin_xmm_reg __fpu_xmm2;
	struct __darwin_xmm_reg __fpu_xmm3;
	struct __darwin_xmm_reg __fpu_xmm4;
	struct __darwin_xmm_reg __fpu_xmm5;
	struct __darwin_xmm_reg __fpu_xmm6;
	struct __darwin_xmm_reg __fpu_xmm7;
	char __fpu_rsrv4[14 * 16];
	int __fpu_reserved1;
	char __avx_reserved1[64];
	struct __darwin_xmm_reg __fpu_ymmh0;
	struct __darwin_xmm_reg __fpu_ymmh1;
	struct __darwin_xmm_reg __fpu_ymmh2;
	struct __darwin_xmm_reg __fpu_ymmh3;
	struct __darwin_xmm_reg __fpu_ymmh4;
	struct __darwin_xmm_reg __fpu_ymmh5;
	struct __darwin_xmm_reg __fpu_ymmh6;
	struct __darwin_xmm_reg __fpu_ymmh7;
};

/* The same with the AVX-512 mask and upper registers. */
struct __darwin_i386_avx512_state {
	int __fpu_reserved[2];
	struct __darwin_fp_control __fpu_fcw;
	struct __darwin_fp_status __fpu_fsw;
	uint8_t __fpu_ftw;
	uint8_t __fpu_rsrv1;
	uint16_t __fpu_fop;
	uint32_t __fpu_ip;
	uint16_t __fpu_cs;
	uint16_t __fpu_rsrv2;
	uint32_t __fpu_dp;
	uint16_t __fpu_ds;
	uint16_t __fpu_rsrv3;
	uint32_t __fpu_mxcsr;
	uint32_t __fpu_mxcsrmask;
	struct __darwin_mmst_reg __fpu_stmm0;
	struct __darwin_mmst_reg __fpu_stmm1;
	struct __darwin_mmst_reg __fpu_stmm2;
	struct __darwin_mmst_reg __fpu_stmm3;
	struct __darwin_mmst_reg __fpu_stmm4;
	struct __darwin_mmst_reg __fpu_stmm5;
	struct __darwin_mmst_reg __fpu_stmm6;
	struct __darwin_mmst_reg __fpu_stmm7;
	struct __darwin_xmm_reg __fpu_xmm0;
	struct __darwin_xmm_reg __fpu_xmm1;
	struct __darwin_xmm_reg __fpu_xmm2;
	struct __darwin_xmm_reg __fpu_xmm3;
	struct __darwin_xmm_reg __fpu_xmm4;
	struct __darwin_xmm_reg __fpu_xmm5;
	struct __darwin_xmm_reg __fpu_xmm6;
	struct __darwin_xmm_reg __fpu_xmm7;
	char __fpu_rsrv4[14 * 16];
	int __fpu_reserved1;
	char __avx_reserved1[64];
	struct __darwin_xmm_reg __fpu_ymmh0;
	struct __darwin_xmm_reg __fpu_ymmh1;
	struct __darwin_xmm_reg __fpu_ymmh2;
	struct __darwin_xmm_reg __fpu_ymmh3;
	struct __darwin_xmm_reg __fpu_ymmh4;
	struct __darwin_xmm_reg __fpu_ymmh5;
	struct __darwin_xmm_reg __fpu_ymmh6;
	struct __darwin_xmm_reg __fpu_ymmh7;
	struct __darwin_opmask_reg __fpu_k0;
	struct __darwin_opmask_reg __fpu_k1;
	struct __darwin_opmask_reg __fpu_k2;
	struct __darwin_opmask_reg __fpu_k3;
	struct __darwin_opmask_reg __fpu_k4;
	struct __darwin_opmask_reg __fpu_k5;
	struct __darwin_opmask_reg __fpu_k6;
	struct __darwin_opmask_reg __fpu_k7;
	struct __darwin_ymm_reg __fpu_zmmh0;
	struct __darwin_ymm_reg __fpu_zmmh1;
	struct __darwin_ymm_reg __fpu_zmmh2;
	struct __darwin_ymm_reg __fpu_zmmh3;
	struct __darwin_ymm_reg __fpu_zmmh4;
	struct __darwin_ymm_reg __fpu_zmmh5;
	struct __darwin_ymm_reg __fpu_zmmh6;
	struct __darwin_ymm_reg __fpu_zmmh7;
};

/* x87 and SSE state of a 64-bit thread (524 bytes). */
struct __darwin_x86_float_state64 {
	int __fpu_reserved[2];
	struct __darwin_fp_control __fpu_fcw;
	struct __darwin_fp_status __fpu_fsw;
	uint8_t __fpu_ftw;
	uint8_t __fpu_rsrv1;
	uint16_t __fpu_fop;
	uint32_t __fpu_ip;
	uint16_t __fpu_cs;
	uint16_t __fpu_rsrv2;
	uint32_t __fpu_dp;
	uint16_t __fpu_ds;
	uint16_t __fpu_rsrv3;
	uint32_t __fpu_mxcsr;
	uint32_t __fpu_mxcsrmask;
	struct __darwin_mmst_reg __fpu_stmm0;
	struct __darwin_mmst_reg __fpu_stmm1;
	struct __darwin_mmst_reg __fpu_stmm2;
	struct __darwin_mmst_reg __fpu_stmm3;
	struct __darwin_mmst_reg __fpu_stmm4;
	struct __darwin_mmst_reg __fpu_stmm5;
	struct __darwin_mmst_reg __fpu_stmm6;
	struct __darwin_mmst_reg __fpu_stmm7;
	struct __darwin_xmm_reg __fpu_xmm0;
	struct __darwin_xmm_reg __fpu_xmm1;
	struct __darwin_xmm_reg __fpu_xmm2;
	struct __darwin_xmm_reg __fpu_xmm3;
	struct __darwin_xmm_reg __fpu_xmm4;
	struct __darwin_xmm_reg __fpu_xmm5;
	struct __darwin_xmm_reg __fpu_xmm6;
	struct __darwin_xmm_reg __fpu_xmm7;
	struct __darwin_xmm_reg __fpu_xmm8;
	struct __darwin_xmm_reg __fpu_xmm9;
	struct __darwin_xmm_reg __fpu_xmm10;
	struct __darwin_xmm_reg __fpu_xmm11;
	struct __darwin_xmm_reg __fpu_xmm12;
	struct __darwin_xmm_reg __fpu_xmm13;
	struct __darwin_xmm_reg __fpu_xmm14;
	struct __darwin_xmm_reg __fpu_xmm15;
	char __fpu_rsrv4[6 * 16];
	int __fpu_reserved1;
};

/* The same with the upper halves of the AVX registers. */
struct __darwin_x86_avx_state64 {
	int __fpu_reserved[2];
	struct __darwin_fp_control __fpu_fcw;
	struct __darwin_fp_status __fpu_fsw;
	uint8_t __fpu_ftw;
	uint8_t __fpu_rsrv1;
	uint16_t __fpu_fop;
	uint32_t __fpu_ip;
	uint16_t __fpu_cs;
	uint16_t __fpu_rsrv2;
	uint32_t __fpu_dp;
	uint16_t __fpu_ds;
	uint16_t __fpu_rsrv3;
	uint32_t __fpu_mxcsr;
	uint32_t __fpu_mxcsrmask;
	struct __darwin_mmst_reg __fpu_stmm0;
	struct __darwin_mmst_reg __fpu_stmm1;
	struct __darwin_mmst_reg __fpu_stmm2;
	struct __darwin_mmst_reg __fpu_stmm3;
	struct __darwin_mmst_reg __fpu_stmm4;
	struct __darwin_mmst_reg __fpu_stmm5;
	struct __darwin_mmst_reg __fpu_stmm6;
	struct __darwin_mmst_reg __fpu_stmm7;
	struct __darwin_xmm_reg __fpu_xmm0;
	struct __darwin_xmm_reg __fpu_xmm1;
	struct __darwin_xmm_reg __fpu_xmm2;
	struct __darwin_xmm_reg __fpu_xmm3;
	struct __darwin_xmm_reg __fpu_xmm4;
	struct __darwin_xmm_reg __fpu_xmm5;
	struct __darwin_xmm_reg __fpu_xmm6;
	struct __darwin_xmm_reg __fpu_xmm7;
	struct __darwin_xmm_reg __fpu_xmm8;
	struct __darwin_xmm_reg __fpu_xmm9;
	struct __darwin_xmm_reg __fpu_xmm10;
	struct __darwin_xmm_reg __fpu_xmm11;
	struct __darwin_xmm_reg __fpu_xmm12;
	struct __darwin_xmm_reg __fpu_xmm13;
	struct __darwin_xmm_reg __fpu_xmm14;
	struct __darwin_xmm_reg __fpu_xmm15;
	char __fpu_rsrv4[6 * 16];
	int __fpu_reserved1;
	char __avx_reserved1[64];
	struct __darwin_xmm_reg __fpu_ymmh0;
	struct __darwin_xmm_reg __fpu_ymmh1;
	struct __darwin_xmm_reg __fpu_ymmh2;
	struct __darwin_xmm_reg __fpu_ymmh3;
	struct __darwin_xmm_reg __fpu_ymmh4;
	struct __darwin_xmm_reg __fpu_ymmh5;
	struct __darwin_xmm_reg __fpu_ymmh6;
	struct __darwin_xmm_reg __fpu_ymmh7;
	struct __darwin_xmm_reg __fpu_ymmh8;
	struct __darwin_xmm_reg __fpu_ymmh9;
	struct __darwin_xmm_reg __fpu_ymmh10;
	struct __darwin_xmm_reg __fpu_ymmh11;
	struct __darwin_xmm_reg __fpu_ymmh12;
	struct __darwin_xmm_reg __fpu_ymmh13;
	struct __darwin_xmm_reg __fpu_ymmh14;
	struct __darwin_xmm_reg __fpu_ymmh15;
};

/* The same with AVX-512 masks, upper halves and registers 16 to 31. */
struct __darwin_x86_avx512_state64 {
	int __fpu_reserved[2];
	struct __darwin_fp_control __fpu_fcw;
	struct __darwin_fp_status __fpu_fsw;
	uint8_t __fpu_ftw;
	uint8_t __fpu_rsrv1;
	uint16_t __fpu_fop;
	uint32_t __fpu_ip;
	uint16_t __fpu_cs;
	uint16_t __fpu_rsrv2;
	uint32_t __fpu_dp;
	uint16_t __fpu_ds;
	uint16_t __fpu_rsrv3;
	uint32_t __fpu_mxcsr;
	uint32_t __fpu_mxcsrmask;
	struct __darwin_mmst_reg __fpu_stmm0;
	struct __darwin_mmst_reg __fpu_stmm1;
	struct __darwin_mmst_reg __fpu_stmm2;
	struct __darwin_mmst_reg __fpu_stmm3;
	struct __darwin_mmst_reg __fpu_stmm4;
	struct __darwin_mmst_reg __fpu_stmm5;
	struct __darwin_mmst_reg __fpu_stmm6;
	struct __darwin_mmst_reg __fpu_stmm7;
	struct __darwin_xmm_reg __fpu_xmm0;
	struct __darwin_xmm_reg __fpu_xmm1;
	struct __darwin_xmm_reg __fpu_xmm2;
	struct __darwin_xmm_reg __fpu_xmm3;
	struct __darwin_xmm_reg __fpu_xmm4;
	struct __darwin_xmm_reg __fpu_xmm5;
	struct __darwin_xmm_reg __fpu_xmm6;
	struct __darwin_xmm_reg __fpu_xmm7;
	struct __darwin_xmm_reg __fpu_xmm8;
	struct __darwin_xmm_reg __fpu_xmm9;
	struct __darwin_xmm_reg __fpu_xmm10;
	struct __darwin_xmm_reg __fpu_xmm11;
	struct __darwin_xmm_reg __fpu_xmm12;
	struct __darwin_xmm_reg __fpu_xmm13;
	struct __darwin_xmm_reg __fpu_xmm14;
	struct __darwin_xmm_reg __fpu_xmm15;
	char __fpu_rsrv4[6 * 16];
	int __fpu_reserved1;
	char __avx_reserved1[64];
	struct __darwin_xmm_reg __fpu_ymmh0;
	struct __darwin_xmm_reg __fpu_ymmh1;
	struct __darwin_xmm_reg __fpu_ymmh2;
	struct __darwin_xmm_reg __fpu_ymmh3;
	struct __darwin_xmm_reg __fpu_ymmh4;
	struct __darwin_xmm_reg __fpu_ymmh5;
	struct __darwin_xmm_reg __fpu_ymmh6;
	struct __darwin_xmm_reg __fpu_ymmh7;
	struct __darwin_xmm_reg __fpu_ymmh8;
	struct __darwin_xmm_reg __fpu_ymmh9;
	struct __darwin_xmm_reg __fpu_ymmh10;
	struct __darwin_xmm_reg __fpu_ymmh11;
	struct __darwin_xmm_reg __fpu_ymmh12;
	struct __darwin_xmm_reg __fpu_ymmh13;
	struct __darwin_xmm_reg __fpu_ymmh14;
	struct __darwin_xmm_reg __fpu_ymmh15;
	struct __darwin_opmask_reg __fpu_k0;
	struct __darwin_opmask_reg __fpu_k1;
	struct __darwin_opmask_reg __fpu_k2;
	struct __darwin_opmask_reg __fpu_k3;
	struct __darwin_opmask_reg __fpu_k4;
	struct __darwin_opmask_reg __fpu_k5;
	struct __darwin_opmask_reg __fpu_k6;
	struct __darwin_opmask_reg __fpu_k7;
	struct __darwin_ymm_reg __fpu_zmmh0;
	struct __darwin_ymm_reg __fpu_zmmh1;
	struct __darwin_ymm_reg __fpu_zmmh2;
	struct __darwin_ymm_reg __fpu_zmmh3;
	struct __darwin_ymm_reg __fpu_zmmh4;
	struct __darwin_ymm_reg __fpu_zmmh5;
	struct __darwin_ymm_reg __fpu_zmmh6;
	struct __darwin_ymm_reg __fpu_zmmh7;
	struct __darwin_ymm_reg __fpu_zmmh8;
	struct __darwin_ymm_reg __fpu_zmmh9;
	struct __darwin_ymm_reg __fpu_zmmh10;
	struct __darwin_ymm_reg __fpu_zmmh11;
	struct __darwin_ymm_reg __fpu_zmmh12;
	struct __darwin_ymm_reg __fpu_zmmh13;
	struct __darwin_ymm_reg __fpu_zmmh14;
	struct __darwin_ymm_reg __fpu_zmmh15;
	struct __darwin_zmm_reg __fpu_zmm16;
	struct __darwin_zmm_reg __fpu_zmm17;
	struct __darwin_zmm_reg __fpu_zmm18;
	struct __darwin_zmm_reg __fpu_zmm19;
	struct __darwin_zmm_reg __fpu_zmm20;
	struct __darwin_zmm_reg __fpu_zmm21;
	struct __darwin_zmm_reg __fpu_zmm22;
	struct __darwin_zmm_reg __fpu_zmm23;
	struct __darwin_zmm_reg __fpu_zmm24;
	struct __darwin_zmm_reg __fpu_zmm25;
	struct __darwin_zmm_reg __fpu_zmm26;
	struct __darwin_zmm_reg __fpu_zmm27;
	struct __darwin_zmm_reg __fpu_zmm28;
	struct __darwin_zmm_reg __fpu_zmm29;
	struct __darwin_zmm_reg __fpu_zmm30;
	struct __darwin_zmm_reg __fpu_zmm31;
};

/* Where and why a 32-bit thread last trapped. */
struct __darwin_i386_exception_state {
	uint16_t __trapno;
	uint16_t __cpu;
	uint32_t __err;
	uint32_t __faultvaddr;
};

/* Where and why a 64-bit thread last trapped. */
struct __darwin_x86_exception_state64 {
	uint16_t __trapno;
	uint16_t __cpu;
	uint32_t __err;
	uint64_t __faultvaddr;
};

/* Debug registers. */
struct __darwin_x86_debug_state32 {
	unsigned int __dr0;
	unsigned int __dr1;
	unsigned int __dr2;
	unsigned int __dr3;
	unsigned int __dr4;
	unsigned int __dr5;
	unsigned int __dr6;
	unsigned int __dr7;
};

struct __darwin_x86_debug_state64 {
	uint64_t __dr0;
	uint64_t __dr1;
	uint64_t __dr2;
	uint64_t __dr3;
	uint64_t __dr4;
	uint64_t __dr5;
	uint64_t __dr6;
	uint64_t __dr7;
};

/* The error of the last page-in that failed for the thread. */
struct __darwin_x86_pagein_state {
	int __pagein_error;
};

/* The spelling of the structure tags that Apple's headers use in macros. */
#define _STRUCT_X86_THREAD_STATE32 struct __darwin_i386_thread_state
#define _STRUCT_X86_THREAD_STATE64 struct __darwin_x86_thread_state64
#define _STRUCT_X86_THREAD_FULL_STATE64 struct __darwin_x86_thread_full_state64
#define _STRUCT_X86_FLOAT_STATE32 struct __darwin_i386_float_state
#define _STRUCT_X86_FLOAT_STATE64 struct __darwin_x86_float_state64
#define _STRUCT_X86_AVX_STATE32 struct __darwin_i386_avx_state
#define _STRUCT_X86_AVX_STATE64 struct __darwin_x86_avx_state64
#define _STRUCT_X86_AVX512_STATE32 struct __darwin_i386_avx512_state
#define _STRUCT_X86_AVX512_STATE64 struct __darwin_x86_avx512_state64
#define _STRUCT_X86_EXCEPTION_STATE32 struct __darwin_i386_exception_state
#define _STRUCT_X86_EXCEPTION_STATE64 struct __darwin_x86_exception_state64
#define _STRUCT_X86_DEBUG_STATE32 struct __darwin_x86_debug_state32
#define _STRUCT_X86_DEBUG_STATE64 struct __darwin_x86_debug_state64
#define _STRUCT_X86_PAGEIN_STATE struct __darwin_x86_pagein_state

typedef struct __darwin_i386_thread_state i386_thread_state_t;
typedef struct __darwin_i386_thread_state x86_thread_state32_t;
typedef struct __darwin_i386_float_state i386_float_state_t;
typedef struct __darwin_i386_float_state x86_float_state32_t;
typedef struct __darwin_i386_avx_state x86_avx_state32_t;
typedef struct __darwin_i386_avx512_state x86_avx512_state32_t;
typedef struct __darwin_i386_exception_state i386_exception_state_t;
typedef struct __darwin_i386_exception_state x86_exception_state32_t;
typedef struct __darwin_x86_debug_state32 x86_debug_state32_t;
typedef struct __darwin_x86_thread_state64 x86_thread_state64_t;
typedef struct __darwin_x86_thread_full_state64 x86_thread_full_state64_t;
typedef struct __darwin_x86_float_state64 x86_float_state64_t;
typedef struct __darwin_x86_avx_state64 x86_avx_state64_t;
typedef struct __darwin_x86_avx512_state64 x86_avx512_state64_t;
typedef struct __darwin_x86_exception_state64 x86_exception_state64_t;
typedef struct __darwin_x86_debug_state64 x86_debug_state64_t;
typedef struct __darwin_x86_pagein_state x86_pagein_state_t;

/*
 * The width-neutral flavors (x86_THREAD_STATE and friends): a header naming
 * the real flavor and its count, then the 32- or 64-bit structure.
 */
struct x86_state_hdr {
	uint32_t flavor;
	uint32_t count;
};
typedef struct x86_state_hdr x86_state_hdr_t;

struct x86_thread_state {
	x86_state_hdr_t tsh;
	union {
		x86_thread_state32_t ts32;
		x86_thread_state64_t ts64;
	} uts;
};

struct x86_float_state {
	x86_state_hdr_t fsh;
	union {
		x86_float_state32_t fs32;
		x86_float_state64_t fs64;
	} ufs;
};

struct x86_exception_state {
	x86_state_hdr_t esh;
	union {
		x86_exception_state32_t es32;
		x86_exception_state64_t es64;
	} ues;
};

struct x86_debug_state {
	x86_state_hdr_t dsh;
	union {
		x86_debug_state32_t ds32;
		x86_debug_state64_t ds64;
	} uds;
};

struct x86_avx_state {
	x86_state_hdr_t ash;
	union {
		x86_avx_state32_t as32;
		x86_avx_state64_t as64;
	} ufs;
};

struct x86_avx512_state {
	x86_state_hdr_t ash;
	union {
		x86_avx512_state32_t as32;
		x86_avx512_state64_t as64;
	} ufs;
};

typedef struct x86_thread_state x86_thread_state_t;
typedef struct x86_float_state x86_float_state_t;
typedef struct x86_exception_state x86_exception_state_t;
typedef struct x86_debug_state x86_debug_state_t;
typedef struct x86_avx_state x86_avx_state_t;
typedef struct x86_avx512_state x86_avx512_state_t;

/* Sizes in 32-bit words. */
#define x86_THREAD_STATE32_COUNT \
	((mach_msg_type_number_t)(sizeof(x86_thread_state32_t) / sizeof(int)))
#define x86_FLOAT_STATE32_COUNT \
	((mach_msg_type_number_t)(sizeof(x86_float_state32_t) / sizeof(int)))
#define x86_AVX_STATE32_COUNT \
	((mach_msg_type_number_t)(sizeof(x86_avx_state32_t) / sizeof(int)))
#define x86_AVX512_STATE32_COUNT \
	((mach_msg_type_number_t)(sizeof(x86_avx512_state32_t) / sizeof(int)))
#define x86_EXCEPTION_STATE32_COUNT \
	((mach_msg_type_number_t)(sizeof(x86_exception_state32_t) / sizeof(int)))
#define x86_DEBUG_STATE32_COUNT \
	((mach_msg_type_number_t)(sizeof(x86_debug_state32_t) / sizeof(int)))
#define x86_THREAD_STATE64_COUNT \
	((mach_msg_type_number_t)(sizeof(x86_thread_state64_t) / sizeof(int)))
#define x86_THREAD_FULL_STATE64_COUNT \
	((mach_msg_type_number_t)(sizeof(x86_thread_full_state64_t) / sizeof(int)))
#define x86_FLOAT_STATE64_COUNT \
	((mach_msg_type_number_t)(sizeof(x86_float_state64_t) / sizeof(int)))
#define x86_AVX_STATE64_COUNT \
	((mach_msg_type_number_t)(sizeof(x86_avx_state64_t) / sizeof(int)))
#define x86_AVX512_STATE64_COUNT \
	((mach_msg_type_number_t)(sizeof(x86_avx512_state64_t) / sizeof(int)))
#define x86_EXCEPTION_STATE64_COUNT \
	((mach_msg_type_number_t)(sizeof(x86_exception_state64_t) / sizeof(int)))
#define x86_DEBUG_STATE64_COUNT \
	((mach_msg_type_number_t)(sizeof(x86_debug_state64_t) / sizeof(int)))
#define x86_PAGEIN_STATE_COUNT \
	((mach_msg_type_number_t)(sizeof(x86_pagein_state_t) / sizeof(int)))
#define x86_THREAD_STATE_COUNT \
	((mach_msg_type_number_t)(sizeof(x86_thread_state_t) / sizeof(int)))
#define x86_FLOAT_STATE_COUNT \
	((mach_msg_type_number_t)(sizeof(x86_float_state_t) / sizeof(int)))
#define x86_EXCEPTION_STATE_COUNT \
	((mach_msg_type_number_t)(sizeof(x86_exception_state_t) / sizeof(int)))
#define x86_DEBUG_STATE_COUNT \
	((mach_msg_type_number_t)(sizeof(x86_debug_state_t) / sizeof(int)))
#define x86_AVX_STATE_COUNT \
	((mach_msg_type_number_t)(sizeof(x86_avx_state_t) / sizeof(int)))
#define x86_AVX512_STATE_COUNT \
	((mach_msg_type_number_t)(sizeof(x86_avx512_state_t) / sizeof(int)))
#define i386_THREAD_STATE_COUNT x86_THREAD_STATE32_COUNT
#define i386_FLOAT_STATE_COUNT x86_FLOAT_STATE32_COUNT
#define i386_EXCEPTION_STATE_COUNT x86_EXCEPTION_STATE32_COUNT

/* What "the thread's state" means without further qualification. */
#define MACHINE_THREAD_STATE x86_THREAD_STATE
#define MACHINE_THREAD_STATE_COUNT x86_THREAD_STATE_COUNT

#endif /* DARLING_MACH_I386_THREAD_STATUS_H */
