//! cargo-fuzz target: the generated system call dispatch of darling-core (BSD, Mach traps, machdep)
//! for any architecture, number and arguments, and the 32-bit argument mungers. A program may make
//! any call with any arguments: each must be dispatched or reported by name, never panic.
//!
//! Bytes: table, architecture, the number (4 bytes), then up to eight 64-bit arguments, read as
//! 32-bit words too for the mungers.

#![no_main]

use darling_core::syscalls::{
    Arch, BsdSyscalls, MachTraps, MachdepCalls, Sysno, bsd, mach_traps, machdep, munge,
};
use libfuzzer_sys::fuzz_target;

/// Every call keeps its default method: it is reported as unimplemented and fails with `ENOSYS`.
struct Defaults;

impl BsdSyscalls for Defaults {}
impl MachTraps for Defaults {}
impl MachdepCalls for Defaults {}

const ARCHES: [Arch; 3] = [Arch::X86_64, Arch::I386, Arch::Arm64];

fuzz_target!(|data: &[u8]| {
    let [table, arch, n0, n1, n2, n3, rest @ ..] = data else { return };
    let arch = ARCHES[usize::from(*arch) % ARCHES.len()];
    let number = u32::from_ne_bytes([*n0, *n1, *n2, *n3]);
    let mut args = [0u64; bsd::MAX_ARGS];
    for (arg, chunk) in args.iter_mut().zip(rest.chunks(8)) {
        let mut word = [0u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        *arg = u64::from_ne_bytes(word);
    }
    let words: Vec<u32> =
        rest.chunks(4).map(|c| c.iter().rev().fold(0u32, |w, b| (w << 8) | u32::from(*b))).collect();
    let mut handler = Defaults;
    match table % 3 {
        0 => {
            let _ = bsd::dispatch(&mut handler, arch, number, &args);
            if let Some(call) = Sysno::from_number(arch, number) {
                assert_eq!(Sysno::from_name(call.name()), Some(call));
                let _ = call.info().prototype();
                let _ = call.info().munge32(&words);
            }
        }
        1 => {
            let _ = mach_traps::dispatch(&mut handler, arch, number as i32, &args);
        }
        _ => {
            let args: [u64; machdep::MAX_ARGS] = std::array::from_fn(|i| args[i]);
            let _ = machdep::dispatch(&mut handler, arch, number, &args);
        }
    }
    // Any munger string, made from the argument bytes, over the same words.
    let munger: String = rest.iter().take(8).map(|b| ['w', 'l', 's', 'x'][usize::from(b % 4)]).collect();
    let _ = munge::munge32(&munger, &words);
});
