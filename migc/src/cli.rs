//! The mig-compatible command line.
