//! A client process's life with the server: the prefix, starting the server on demand, check-in (at
//! load, or at first use when no constructor ran), check-out at exit and at thread exit, and fork.
//!
//! Fork: in the child, every socket inherited from the parent's threads is closed, the forking thread
//! gets a new socket, and the child checks in with `is_fork` before `fork` returns in it. The parent
//! does not wait for that check-in: a child that dies or is killed before checking in would hang the
//! parent's `fork` for good. A parent that needs the child registered calls
//! `dserver_rpc_fork_wait_for_child()`, which returns once it is (or at once, if it already is).

use std::ffi::CStr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicI32, AtomicU8, Ordering};
use std::sync::{Mutex, OnceLock};

use darling_core::launch;
use darling_core::prefix::Prefix;
use libc::c_int;

use crate::hooks;

static PREFIX: OnceLock<Prefix> = OnceLock::new();

/// `$DPREFIX`, else the prefix this library is installed in (`<prefix>/usr/lib/libsystem_kernel.so`),
/// else `~/.darling`.
pub(crate) fn prefix() -> &'static Prefix {
    PREFIX.get_or_init(|| Prefix::from_env_or(installed_prefix()))
}

fn installed_prefix() -> Option<PathBuf> {
    // SAFETY: dladdr only reads loader tables; the address is one of our own functions.
    let path = unsafe {
        let mut info: libc::Dl_info = std::mem::zeroed();
        if libc::dladdr(installed_prefix as *const libc::c_void, &mut info) == 0 || info.dli_fname.is_null() {
            return None;
        }
        PathBuf::from(CStr::from_ptr(info.dli_fname).to_string_lossy().into_owned())
    };
    let lib_dir = std::fs::canonicalize(&path).ok()?.parent()?.to_path_buf();
    lib_dir.ends_with("usr/lib").then(|| lib_dir.parent()?.parent().map(PathBuf::from)).flatten()
}

/// Not started, in progress, done, or failed (already reported; not retried, and nothing to check out).
static STATE: AtomicU8 = AtomicU8::new(0);
const NONE: u8 = 0;
const CHECKING_IN: u8 = 1;
const CHECKED_IN: u8 = 2;
const FAILED: u8 = 3;
static INIT_LOCK: Mutex<()> = Mutex::new(());

/// The write end of this process's lifetime pipe (the server holds the read end: when every write end
/// is gone, the process is gone). Close-on-exec: the new image sends a new one.
#[cfg_attr(not(darling_rpc), allow(dead_code))]
static LIFETIME_WRITE_END: AtomicI32 = AtomicI32::new(-1);

pub(crate) fn complain(message: &str) {
    eprintln!("darling: {message}");
}

pub(crate) fn fatal(message: &str) -> ! {
    complain(message);
    std::process::abort();
}

/// Checks the process in unless it has (or is doing so on this thread right now).
pub(crate) fn ensure_checked_in() {
    if STATE.load(Ordering::Acquire) != NONE {
        return;
    }
    let _guard = INIT_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    if STATE.load(Ordering::Acquire) != NONE {
        return;
    }
    STATE.store(CHECKING_IN, Ordering::Release);
    // SAFETY: registering process-wide handlers, once.
    unsafe {
        libc::pthread_atfork(Some(fork_prepare), Some(fork_parent), Some(fork_child));
        libc::atexit(at_exit);
    }
    let state = if check_in(false) { CHECKED_IN } else { FAILED };
    STATE.store(state, Ordering::Release);
}

pub(crate) fn is_checked_in() -> bool {
    STATE.load(Ordering::Acquire) == CHECKED_IN
}

/// Checks in (starting the server first unless `DARLING_NO_AUTOSTART` is set); false, after saying why,
/// when that failed.
fn check_in(is_fork: bool) -> bool {
    let prefix = prefix();
    let autostart = std::env::var_os("DARLING_NO_AUTOSTART").is_none_or(|v| v.is_empty() || v == "0");
    if autostart && let Err(e) = launch::ensure_running(prefix, &prefix.server_binary()) {
        complain(&format!("failed to check in with darlingserver at {}: {e}", prefix.socket().display()));
        return false;
    }
    rpc::check_in(is_fork)
}

#[cfg(darling_rpc)]
mod rpc {
    use super::*;

    unsafe extern "C" {
        fn dserver_rpc_checkin(
            is_fork: bool,
            stack_hint: *mut libc::c_void,
            lifetime_listener_pipe: c_int,
        ) -> c_int;
        fn dserver_rpc_checkout(exec_listener_pipe: c_int, executing_macho: bool) -> c_int;
        fn dserver_rpc_explicit_checkout(
            server_socket: c_int,
            exec_listener_pipe: c_int,
            executing_macho: bool,
        ) -> c_int;
    }

    pub(super) fn check_in(is_fork: bool) -> bool {
        let mut pipe = [-1; 2];
        // SAFETY: pipe2 fills two descriptors; the read end is sent and then closed, the write end kept.
        unsafe {
            if libc::pipe2(pipe.as_mut_ptr(), libc::O_CLOEXEC) < 0 {
                pipe = [-1, -1];
            }
            let old = LIFETIME_WRITE_END.swap(pipe[1], Ordering::AcqRel);
            if old >= 0 {
                libc::close(old);
            }
            let mut stack_marker = 0u8;
            let status = dserver_rpc_checkin(is_fork, (&raw mut stack_marker).cast(), pipe[0]);
            if pipe[0] >= 0 {
                libc::close(pipe[0]);
            }
            if status != 0 {
                complain(&format!(
                    "failed to check in with darlingserver at {}: {}",
                    prefix().socket().display(),
                    darling_core::rpc::status_name(status)
                ));
            }
            status == 0
        }
    }

    pub(super) fn check_out() {
        // SAFETY: a plain call; the status only matters for the message.
        let status = unsafe { dserver_rpc_checkout(-1, false) };
        if status != 0 && status != -libc::EPIPE {
            complain(&format!(
                "check-out from {} failed: {}",
                prefix().socket().display(),
                darling_core::rpc::status_name(status)
            ));
        }
    }

    pub(super) fn thread_exiting(socket: c_int) {
        // SAFETY: the socket is still open; the thread's TLS is being torn down, so use it explicitly.
        unsafe { dserver_rpc_explicit_checkout(socket, -1, false) };
    }

    /// `checkout` with the read end of a close-on-exec pipe, before an exec (see `exec.rs`).
    pub(crate) fn checkout_for_exec(read_end: c_int) -> c_int {
        // SAFETY: a plain call.
        unsafe { dserver_rpc_checkout(read_end, true) }
    }
}

#[cfg(not(darling_rpc))]
mod rpc {
    use super::*;

    pub(super) fn check_in(_is_fork: bool) -> bool {
        complain("this shim was built without the generated RPC wrappers; run `cargo xtask gen` and rebuild");
        false
    }
    pub(super) fn check_out() {}
    pub(super) fn thread_exiting(_socket: c_int) {}
    pub(crate) fn checkout_for_exec(_read_end: c_int) -> c_int {
        -libc::ENOSYS
    }
}

pub(crate) use rpc::checkout_for_exec;

pub(crate) fn thread_exiting(socket: c_int) {
    if is_checked_in() {
        rpc::thread_exiting(socket);
    }
}

extern "C" fn at_exit() {
    if is_checked_in() {
        rpc::check_out();
    }
}

extern "C" fn fork_prepare() {}

extern "C" fn fork_parent() {}

extern "C" fn fork_child() {
    if !is_checked_in() {
        return;
    }
    // Only the forking thread exists here: every other thread's socket is an orphan, and this thread's
    // is shared with the parent. Close them all; this thread gets a new one at check-in.
    hooks::reset_cached_ids();
    // This thread's old socket is among the tracked ones, so it is closed with them.
    hooks::replace_thread_socket(-1);
    hooks::close_all_sockets();
    STATE.store(CHECKING_IN, Ordering::Release);
    let state = if check_in(true) { CHECKED_IN } else { FAILED };
    STATE.store(state, Ordering::Release);
}

/// Runs at load time: a program linked with the shim is a Darling client from its first instruction.
/// Not in this crate's own unit-test binary, which is not a Darling client and has no prefix.
#[cfg(not(test))]
#[used]
#[unsafe(link_section = ".init_array")]
static CONSTRUCTOR: extern "C" fn() = constructor;

#[cfg(not(test))]
extern "C" fn constructor() {
    ensure_checked_in();
}
