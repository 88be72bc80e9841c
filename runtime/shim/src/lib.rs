//! The client shim, `libsystem_kernel.so` / `libsystem_kernel.a`: what a Linux C program links to be a
//! Darling client.
//!
//! It links the generated RPC wrappers (`dserver_rpc_*`, from `runtime/generated/src/rpc/rpc.c`) and
//! implements the hooks they need (`hooks`), checks the process in when it loads and out when it exits,
//! handles fork (`lifecycle`) and exec (`exec`), and starts the prefix's server on first use when none
//! runs. The prefix is `$DPREFIX`, else the one the library is installed in, else `~/.darling`.

mod exec;
mod hooks;
mod lifecycle;
