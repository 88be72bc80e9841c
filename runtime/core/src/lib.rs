//! darling-core: what darlingserver and the shim share, including the generated system call tables.

pub mod syscalls;
