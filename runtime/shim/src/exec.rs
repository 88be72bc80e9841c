//! The exec family, wrapped for the exec pipe protocol: before the real exec, the process checks out
//! with the read end of a close-on-exec pipe. If the exec succeeds, the kernel closes the write end and
//! the server sees a hang-up with nothing to read (a new image will check in); if it fails, we write one
//! byte, and the server knows the process carries on as it was.
//!
//! The wrappers forward to the C library's functions (`dlsym(RTLD_NEXT, ...)`), so every libc feature
//! (PATH search, `ENOEXEC` fallback to the shell) is kept.

use std::ffi::CStr;

use libc::{c_char, c_int};

use crate::lifecycle;

/// The write end of the pipe, while an exec is being attempted.
struct ExecAttempt {
    write_end: c_int,
}

impl ExecAttempt {
    fn begin() -> Option<Self> {
        if !lifecycle::is_checked_in() {
            return None;
        }
        let mut pipe = [-1; 2];
        // SAFETY: pipe2 fills two descriptors; both are closed on every path.
        unsafe {
            if libc::pipe2(pipe.as_mut_ptr(), libc::O_CLOEXEC) < 0 {
                return None;
            }
            let status = lifecycle::checkout_for_exec(pipe[0]);
            libc::close(pipe[0]);
            if status != 0 {
                lifecycle::complain(&format!(
                    "check-out before exec failed ({}); the server learns of the new image at its check-in",
                    darling_core::rpc::status_name(status)
                ));
                libc::close(pipe[1]);
                return None;
            }
        }
        Some(Self { write_end: pipe[1] })
    }

    /// The exec returned, so it failed: tell the server, keeping the caller's errno.
    fn failed(self) {
        // SAFETY: errno location is thread-local; the descriptor is ours.
        unsafe {
            let saved = *libc::__errno_location();
            let byte = 1u8;
            libc::write(self.write_end, (&raw const byte).cast(), 1);
            libc::close(self.write_end);
            *libc::__errno_location() = saved;
        }
    }
}

/// The C library's version of `name`.
fn next<T: Copy>(name: &CStr) -> Option<T> {
    // SAFETY: looking up a function symbol by name; the caller names its type.
    let ptr = unsafe { libc::dlsym(libc::RTLD_NEXT, name.as_ptr()) };
    // SAFETY: T is a function pointer type of the same size as a data pointer.
    (!ptr.is_null()).then(|| unsafe { std::mem::transmute_copy::<*mut libc::c_void, T>(&ptr) })
}

fn missing(name: &str) -> c_int {
    lifecycle::complain(&format!("{name}: the C library's {name} cannot be found"));
    // SAFETY: thread-local errno.
    unsafe { *libc::__errno_location() = libc::ENOSYS };
    -1
}

macro_rules! wrap_exec {
    ($name:ident($($arg:ident: $ty:ty),*)) => {
        /// # Safety
        /// Same contract as the C library's function of this name.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $name($($arg: $ty),*) -> c_int {
            type Real = unsafe extern "C" fn($($ty),*) -> c_int;
            let cname = CStr::from_bytes_with_nul(concat!(stringify!($name), "\0").as_bytes()).expect("nul-terminated");
            let Some(real) = next::<Real>(cname) else { return missing(stringify!($name)) };
            let attempt = ExecAttempt::begin();
            // SAFETY: forwarded contract.
            let ret = unsafe { real($($arg),*) };
            if let Some(attempt) = attempt {
                attempt.failed();
            }
            ret
        }
    };
}

wrap_exec!(execve(path: *const c_char, argv: *const *const c_char, envp: *const *const c_char));
wrap_exec!(execv(path: *const c_char, argv: *const *const c_char));
wrap_exec!(execvp(file: *const c_char, argv: *const *const c_char));
wrap_exec!(execvpe(file: *const c_char, argv: *const *const c_char, envp: *const *const c_char));
wrap_exec!(fexecve(fd: c_int, argv: *const *const c_char, envp: *const *const c_char));
