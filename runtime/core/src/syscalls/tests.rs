//! Tests of the system call tables.
