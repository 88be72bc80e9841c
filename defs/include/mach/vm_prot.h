/*
 * darling-rs <mach/vm_prot.h>: memory protection bits. Facts from Apple
 * (Apple: mach/vm_prot.h).
 */

#ifndef DARLING_MACH_VM_PROT_H
#define DARLING_MACH_VM_PROT_H

typedef int vm_prot_t;

#define VM_PROT_NONE ((vm_prot_t)0x00)
#define VM_PROT_READ ((vm_prot_t)0x01)
#define VM_PROT_WRITE ((vm_prot_t)0x02)
#define VM_PROT_EXECUTE ((vm_prot_t)0x04)

#define VM_PROT_DEFAULT (VM_PROT_READ | VM_PROT_WRITE)
#define VM_PROT_ALL (VM_PROT_READ | VM_PROT_WRITE | VM_PROT_EXECUTE)

/* Modifiers some calls accept on top of the protection itself. */
#define VM_PROT_NO_CHANGE ((vm_prot_t)0x08)
#define VM_PROT_COPY ((vm_prot_t)0x10)
#define VM_PROT_WANTS_COPY ((vm_prot_t)0x10)
#define VM_PROT_IS_MASK ((vm_prot_t)0x40)
#define VM_PROT_STRIP_READ ((vm_prot_t)0x80)
#define VM_PROT_EXECUTE_ONLY (VM_PROT_EXECUTE | VM_PROT_STRIP_READ)

#endif /* DARLING_MACH_VM_PROT_H */
