//! errno names for Linux and for BSD (XNU/macOS) numbering, and translation between the two: the one
//! place these facts live. rpc-gen prints the Linux table into the generated `rpc.c` (so the C wrappers
//! name errnos without the caller's `<errno.h>`, which in Darling's libsystem_kernel has BSD numbering);
//! darling-core re-exports this crate as `darling_core::errno` for the server and the shim, and its
//! system call tables take their (BSD) `Errno` values from here. It has no dependencies, so a generator
//! can use it without depending on darling-core, which holds the generators' output.
//!
//! The server and the shim run on Linux and see Linux errnos; the programs Darling runs expect XNU's
//! numbering. Every failure message in the runtime names the errno (`ENOENT`), never the bare number,
//! so these tables are also what the log lines are made of.
//!
//! Translation goes by name: two errnos are the same when both systems give them the same name. A few
//! errors exist under different names on the two sides (`ENOATTR` is Linux's `ENODATA` for extended
//! attributes, XNU's `ENOTSUP` is Linux's `EOPNOTSUPP`); those are listed in [`NEAREST_LINUX_FOR_BSD`]
//! and [`NEAREST_BSD_FOR_LINUX`]. Anything else has no counterpart, and the functions say so with `None`
//! instead of guessing.

/// Linux errno numbers and names (asm-generic numbering, shared by x86, x86_64 and arm64).
/// Aliases (`EWOULDBLOCK`, `EDEADLOCK`, `ENOTSUP`) are omitted: a number has one canonical name.
pub const LINUX: &[(i32, &str)] = &[
    (1, "EPERM"),
    (2, "ENOENT"),
    (3, "ESRCH"),
    (4, "EINTR"),
    (5, "EIO"),
    (6, "ENXIO"),
    (7, "E2BIG"),
    (8, "ENOEXEC"),
    (9, "EBADF"),
    (10, "ECHILD"),
    (11, "EAGAIN"),
    (12, "ENOMEM"),
    (13, "EACCES"),
    (14, "EFAULT"),
    (15, "ENOTBLK"),
    (16, "EBUSY"),
    (17, "EEXIST"),
    (18, "EXDEV"),
    (19, "ENODEV"),
    (20, "ENOTDIR"),
    (21, "EISDIR"),
    (22, "EINVAL"),
    (23, "ENFILE"),
    (24, "EMFILE"),
    (25, "ENOTTY"),
    (26, "ETXTBSY"),
    (27, "EFBIG"),
    (28, "ENOSPC"),
    (29, "ESPIPE"),
    (30, "EROFS"),
    (31, "EMLINK"),
    (32, "EPIPE"),
    (33, "EDOM"),
    (34, "ERANGE"),
    (35, "EDEADLK"),
    (36, "ENAMETOOLONG"),
    (37, "ENOLCK"),
    (38, "ENOSYS"),
    (39, "ENOTEMPTY"),
    (40, "ELOOP"),
    (42, "ENOMSG"),
    (43, "EIDRM"),
    (44, "ECHRNG"),
    (45, "EL2NSYNC"),
    (46, "EL3HLT"),
    (47, "EL3RST"),
    (48, "ELNRNG"),
    (49, "EUNATCH"),
    (50, "ENOCSI"),
    (51, "EL2HLT"),
    (52, "EBADE"),
    (53, "EBADR"),
    (54, "EXFULL"),
    (55, "ENOANO"),
    (56, "EBADRQC"),
    (57, "EBADSLT"),
    (59, "EBFONT"),
    (60, "ENOSTR"),
    (61, "ENODATA"),
    (62, "ETIME"),
    (63, "ENOSR"),
    (64, "ENONET"),
    (65, "ENOPKG"),
    (66, "EREMOTE"),
    (67, "ENOLINK"),
    (68, "EADV"),
    (69, "ESRMNT"),
    (70, "ECOMM"),
    (71, "EPROTO"),
    (72, "EMULTIHOP"),
    (73, "EDOTDOT"),
    (74, "EBADMSG"),
    (75, "EOVERFLOW"),
    (76, "ENOTUNIQ"),
    (77, "EBADFD"),
    (78, "EREMCHG"),
    (79, "ELIBACC"),
    (80, "ELIBBAD"),
    (81, "ELIBSCN"),
    (82, "ELIBMAX"),
    (83, "ELIBEXEC"),
    (84, "EILSEQ"),
    (85, "ERESTART"),
    (86, "ESTRPIPE"),
    (87, "EUSERS"),
    (88, "ENOTSOCK"),
    (89, "EDESTADDRREQ"),
    (90, "EMSGSIZE"),
    (91, "EPROTOTYPE"),
    (92, "ENOPROTOOPT"),
    (93, "EPROTONOSUPPORT"),
    (94, "ESOCKTNOSUPPORT"),
    (95, "EOPNOTSUPP"),
    (96, "EPFNOSUPPORT"),
    (97, "EAFNOSUPPORT"),
    (98, "EADDRINUSE"),
    (99, "EADDRNOTAVAIL"),
    (100, "ENETDOWN"),
    (101, "ENETUNREACH"),
    (102, "ENETRESET"),
    (103, "ECONNABORTED"),
    (104, "ECONNRESET"),
    (105, "ENOBUFS"),
    (106, "EISCONN"),
    (107, "ENOTCONN"),
    (108, "ESHUTDOWN"),
    (109, "ETOOMANYREFS"),
    (110, "ETIMEDOUT"),
    (111, "ECONNREFUSED"),
    (112, "EHOSTDOWN"),
    (113, "EHOSTUNREACH"),
    (114, "EALREADY"),
    (115, "EINPROGRESS"),
    (116, "ESTALE"),
    (117, "EUCLEAN"),
    (118, "ENOTNAM"),
    (119, "ENAVAIL"),
    (120, "EISNAM"),
    (121, "EREMOTEIO"),
    (122, "EDQUOT"),
    (123, "ENOMEDIUM"),
    (124, "EMEDIUMTYPE"),
    (125, "ECANCELED"),
    (126, "ENOKEY"),
    (127, "EKEYEXPIRED"),
    (128, "EKEYREVOKED"),
    (129, "EKEYREJECTED"),
    (130, "EOWNERDEAD"),
    (131, "ENOTRECOVERABLE"),
    (132, "ERFKILL"),
    (133, "EHWPOISON"),
];

/// XNU (BSD) errno numbers and names, as `<sys/errno.h>` numbers them. `EWOULDBLOCK` is an alias of
/// `EAGAIN` and omitted.
pub const BSD: &[(i32, &str)] = &[
    (1, "EPERM"),
    (2, "ENOENT"),
    (3, "ESRCH"),
    (4, "EINTR"),
    (5, "EIO"),
    (6, "ENXIO"),
    (7, "E2BIG"),
    (8, "ENOEXEC"),
    (9, "EBADF"),
    (10, "ECHILD"),
    (11, "EDEADLK"),
    (12, "ENOMEM"),
    (13, "EACCES"),
    (14, "EFAULT"),
    (15, "ENOTBLK"),
    (16, "EBUSY"),
    (17, "EEXIST"),
    (18, "EXDEV"),
    (19, "ENODEV"),
    (20, "ENOTDIR"),
    (21, "EISDIR"),
    (22, "EINVAL"),
    (23, "ENFILE"),
    (24, "EMFILE"),
    (25, "ENOTTY"),
    (26, "ETXTBSY"),
    (27, "EFBIG"),
    (28, "ENOSPC"),
    (29, "ESPIPE"),
    (30, "EROFS"),
    (31, "EMLINK"),
    (32, "EPIPE"),
    (33, "EDOM"),
    (34, "ERANGE"),
    (35, "EAGAIN"),
    (36, "EINPROGRESS"),
    (37, "EALREADY"),
    (38, "ENOTSOCK"),
    (39, "EDESTADDRREQ"),
    (40, "EMSGSIZE"),
    (41, "EPROTOTYPE"),
    (42, "ENOPROTOOPT"),
    (43, "EPROTONOSUPPORT"),
    (44, "ESOCKTNOSUPPORT"),
    (45, "ENOTSUP"),
    (46, "EPFNOSUPPORT"),
    (47, "EAFNOSUPPORT"),
    (48, "EADDRINUSE"),
    (49, "EADDRNOTAVAIL"),
    (50, "ENETDOWN"),
    (51, "ENETUNREACH"),
    (52, "ENETRESET"),
    (53, "ECONNABORTED"),
    (54, "ECONNRESET"),
    (55, "ENOBUFS"),
    (56, "EISCONN"),
    (57, "ENOTCONN"),
    (58, "ESHUTDOWN"),
    (59, "ETOOMANYREFS"),
    (60, "ETIMEDOUT"),
    (61, "ECONNREFUSED"),
    (62, "ELOOP"),
    (63, "ENAMETOOLONG"),
    (64, "EHOSTDOWN"),
    (65, "EHOSTUNREACH"),
    (66, "ENOTEMPTY"),
    (67, "EPROCLIM"),
    (68, "EUSERS"),
    (69, "EDQUOT"),
    (70, "ESTALE"),
    (71, "EREMOTE"),
    (72, "EBADRPC"),
    (73, "ERPCMISMATCH"),
    (74, "EPROGUNAVAIL"),
    (75, "EPROGMISMATCH"),
    (76, "EPROCUNAVAIL"),
    (77, "ENOLCK"),
    (78, "ENOSYS"),
    (79, "EFTYPE"),
    (80, "EAUTH"),
    (81, "ENEEDAUTH"),
    (82, "EPWROFF"),
    (83, "EDEVERR"),
    (84, "EOVERFLOW"),
    (85, "EBADEXEC"),
    (86, "EBADARCH"),
    (87, "ESHLIBVERS"),
    (88, "EBADMACHO"),
    (89, "ECANCELED"),
    (90, "EIDRM"),
    (91, "ENOMSG"),
    (92, "EILSEQ"),
    (93, "ENOATTR"),
    (94, "EBADMSG"),
    (95, "EMULTIHOP"),
    (96, "ENODATA"),
    (97, "ENOLINK"),
    (98, "ENOSR"),
    (99, "ENOSTR"),
    (100, "EPROTO"),
    (101, "ETIME"),
    (102, "EOPNOTSUPP"),
    (103, "ENOPOLICY"),
    (104, "ENOTRECOVERABLE"),
    (105, "EOWNERDEAD"),
    (106, "EQFULL"),
];

/// Linux errors with no XNU error of the same name, and the XNU error that means the nearest thing.
/// Each pair is a judgement; the comment says why.
pub const NEAREST_BSD_FOR_LINUX: &[(&str, &str)] = &[
    // A bad descriptor state is a bad descriptor to a BSD caller.
    ("EBADFD", "EBADF"),
    // Linux's syscall-restart marker never reaches user space intact; a caller sees an interruption.
    ("ERESTART", "EINTR"),
    // Remote and communication I/O errors are I/O errors.
    ("EREMOTEIO", "EIO"),
    ("ECOMM", "EIO"),
    // No medium in the drive is, to XNU, no device.
    ("ENOMEDIUM", "ENODEV"),
    // Linux reports a missing extended attribute as ENODATA; XNU names it ENOATTR. ENODATA exists on
    // both sides (STREAMS), so the pair is not listed: a caller that knows the error is about an
    // extended attribute maps it to ENOATTR itself.
];

/// XNU errors with no Linux error of the same name, and the Linux error that means the nearest thing.
pub const NEAREST_LINUX_FOR_BSD: &[(&str, &str)] = &[
    // XNU separates "not supported" (45) from "operation not supported on socket" (102); Linux has one.
    ("ENOTSUP", "EOPNOTSUPP"),
    // A missing extended attribute is ENODATA on Linux.
    ("ENOATTR", "ENODATA"),
    // Bad executable formats are all ENOEXEC to Linux.
    ("EBADEXEC", "ENOEXEC"),
    ("EBADARCH", "ENOEXEC"),
    ("EBADMACHO", "ENOEXEC"),
    ("ESHLIBVERS", "ENOEXEC"),
    // A full interface output queue is a buffer shortage.
    ("EQFULL", "ENOBUFS"),
    // Device power and device errors are I/O errors.
    ("EPWROFF", "EIO"),
    ("EDEVERR", "EIO"),
    // Process limit reached: Linux reports EAGAIN from fork.
    ("EPROCLIM", "EAGAIN"),
    // Wrong file type for the operation.
    ("EFTYPE", "EINVAL"),
];

/// The Linux number of `name`, at compile time: `linux_number("EINTR")` is 4. A name that is not in
/// [`LINUX`] (an alias such as `EWOULDBLOCK` is not) stops the build, so constants made with it cannot
/// drift from the table.
pub const fn linux_number(name: &str) -> i32 {
    match const_lookup(LINUX, name) {
        Some(value) => value,
        None => panic!("not a Linux errno name"),
    }
}

/// The XNU number of `name`, at compile time: `bsd_number("ENOSYS")` is 78. A name that is not in
/// [`BSD`] stops the build.
pub const fn bsd_number(name: &str) -> i32 {
    match const_lookup(BSD, name) {
        Some(value) => value,
        None => panic!("not an XNU errno name"),
    }
}

/// [`lookup_value`] for constant evaluation (`str` comparison is not `const`).
const fn const_lookup(table: &[(i32, &str)], name: &str) -> Option<i32> {
    let mut i = 0;
    while i < table.len() {
        let (value, candidate) = table[i];
        if const_str_eq(candidate, name) {
            return Some(value);
        }
        i += 1;
    }
    None
}

const fn const_str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

fn lookup_name(table: &[(i32, &'static str)], value: i32) -> Option<&'static str> {
    table.iter().find(|(v, _)| *v == value).map(|(_, n)| *n)
}

fn lookup_value(table: &[(i32, &str)], name: &str) -> Option<i32> {
    table.iter().find(|(_, n)| *n == name).map(|(v, _)| *v)
}

/// The Linux name of `errno` (`2` → `ENOENT`), or `None` for a number Linux does not define.
pub fn linux_name(errno: i32) -> Option<&'static str> {
    lookup_name(LINUX, errno)
}

/// The XNU name of `errno` (`35` → `EAGAIN`), or `None` for a number XNU does not define.
pub fn bsd_name(errno: i32) -> Option<&'static str> {
    lookup_name(BSD, errno)
}

/// The Linux number for a name; aliases (`EWOULDBLOCK`, `EDEADLOCK`, `ENOTSUP`) are accepted.
pub fn linux_value(name: &str) -> Option<i32> {
    let canonical = match name {
        "EWOULDBLOCK" => "EAGAIN",
        "EDEADLOCK" => "EDEADLK",
        "ENOTSUP" => "EOPNOTSUPP",
        other => other,
    };
    lookup_value(LINUX, canonical)
}

/// The XNU number for a name; `EWOULDBLOCK` is accepted as `EAGAIN`.
pub fn bsd_value(name: &str) -> Option<i32> {
    lookup_value(BSD, if name == "EWOULDBLOCK" { "EAGAIN" } else { name })
}

/// Translates a Linux errno to XNU numbering: same name first, then the nearest listed error.
/// `None` means XNU has nothing that means the same (`EKEYREVOKED`, say).
pub fn linux_to_bsd(errno: i32) -> Option<i32> {
    let name = linux_name(errno)?;
    bsd_value(name).or_else(|| {
        let (_, nearest) = NEAREST_BSD_FOR_LINUX.iter().find(|(linux, _)| *linux == name)?;
        bsd_value(nearest)
    })
}

/// Translates an XNU errno to Linux numbering: same name first, then the nearest listed error.
/// `None` means Linux has nothing that means the same (`EBADRPC`, say).
pub fn bsd_to_linux(errno: i32) -> Option<i32> {
    let name = bsd_name(errno)?;
    linux_value(name).or_else(|| {
        let (_, nearest) = NEAREST_LINUX_FOR_BSD.iter().find(|(bsd, _)| *bsd == name)?;
        linux_value(nearest)
    })
}

/// A Linux errno for messages: `ENOENT (2)`, or `errno 4242` for a number Linux does not define.
/// The name comes first because that is what a reader searches for.
pub fn describe_linux(errno: i32) -> String {
    match linux_name(errno) {
        Some(name) => format!("{name} ({errno})"),
        None => format!("errno {errno}"),
    }
}

/// An XNU errno for messages: `EAGAIN (35, BSD)`.
pub fn describe_bsd(errno: i32) -> String {
    match bsd_name(errno) {
        Some(name) => format!("{name} ({errno}, BSD)"),
        None => format!("BSD errno {errno}"),
    }
}

/// An I/O error for messages: `ENOENT (No such file or directory)`, the Linux name first and the C
/// library's words after it (`errno 4242 (...)` for a number Linux does not define); an error that
/// carries no errno is shown as it is. Every runtime message about a failed system call uses this form.
pub fn describe_io(err: &std::io::Error) -> String {
    match err.raw_os_error() {
        Some(code) => {
            // std renders "No such file or directory (os error 2)"; keep the words, drop the number.
            let text = err.to_string();
            let words = text.split(" (os error").next().unwrap_or(&text);
            match linux_name(code) {
                Some(name) => format!("{name} ({words})"),
                None => format!("errno {code} ({words})"),
            }
        }
        None => err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_have_unique_numbers_and_names() {
        for table in [LINUX, BSD] {
            for (i, (v, n)) in table.iter().enumerate() {
                for (v2, n2) in &table[i + 1..] {
                    assert_ne!(v, v2, "duplicate number {v}");
                    assert_ne!(n, n2, "duplicate name {n}");
                }
            }
        }
    }

    #[test]
    fn known_numbers() {
        assert_eq!(linux_name(2), Some("ENOENT"));
        assert_eq!(linux_value("EWOULDBLOCK"), Some(11));
        assert_eq!(bsd_value("EAGAIN"), Some(35));
        assert_eq!(linux_to_bsd(11), Some(35), "EAGAIN");
        assert_eq!(linux_to_bsd(38), Some(78), "ENOSYS");
        assert_eq!(linux_to_bsd(95), Some(102), "EOPNOTSUPP");
        assert_eq!(linux_to_bsd(77), Some(9), "EBADFD is nearest EBADF");
        assert_eq!(linux_to_bsd(128), None, "EKEYREVOKED has no XNU counterpart");
        assert_eq!(bsd_to_linux(45), Some(95), "ENOTSUP");
        assert_eq!(bsd_to_linux(93), Some(61), "ENOATTR is ENODATA");
        assert_eq!(bsd_to_linux(72), None, "EBADRPC");
        assert_eq!(describe_linux(2), "ENOENT (2)");
        assert_eq!(describe_linux(4242), "errno 4242");
        assert_eq!(describe_bsd(35), "EAGAIN (35, BSD)");
        assert_eq!(linux_number("EINTR"), 4);
        assert_eq!(bsd_number("ENOSYS"), 78);
    }

    #[test]
    fn io_errors_are_named() {
        let err = std::io::Error::from_raw_os_error(98);
        assert_eq!(describe_io(&err), "EADDRINUSE (Address already in use)");
        assert!(describe_io(&std::io::Error::from_raw_os_error(4242)).starts_with("errno 4242 ("));
        assert_eq!(describe_io(&std::io::Error::other("no errno here")), "no errno here");
    }

    /// The compile-time lookups agree with the run-time ones for every name.
    #[test]
    fn const_lookups_agree() {
        for (value, name) in LINUX {
            assert_eq!(const_lookup(LINUX, name), Some(*value));
        }
        for (value, name) in BSD {
            assert_eq!(const_lookup(BSD, name), Some(*value));
        }
        assert_eq!(const_lookup(LINUX, "ENOPE"), None);
        assert_eq!(const_lookup(LINUX, "EIO2"), None);
    }

    /// Every error that exists under the same name on both sides must survive a round trip, whichever
    /// side it starts from.
    #[test]
    fn same_name_errors_round_trip() {
        let mut shared = 0;
        for (linux, name) in LINUX {
            if let Some(bsd) = bsd_value(name) {
                shared += 1;
                assert_eq!(linux_to_bsd(*linux), Some(bsd), "{name}");
                assert_eq!(bsd_to_linux(bsd), Some(*linux), "{name}");
            }
        }
        assert!(shared > 80, "only {shared} shared names");
    }

    /// Every nearest-error entry names real errors, so a typo cannot silently turn into `None`.
    #[test]
    fn nearest_tables_name_real_errors() {
        for (linux, bsd) in NEAREST_BSD_FOR_LINUX {
            assert!(linux_value(linux).is_some() && bsd_value(bsd).is_some(), "{linux} -> {bsd}");
            assert!(bsd_value(linux).is_none(), "{linux} exists on XNU; the entry is dead");
        }
        for (bsd, linux) in NEAREST_LINUX_FOR_BSD {
            assert!(bsd_value(bsd).is_some() && linux_value(linux).is_some(), "{bsd} -> {linux}");
        }
    }

    /// The table agrees with the C library of the machine the tests run on.
    #[test]
    fn linux_table_matches_std() {
        for (value, _) in LINUX {
            let err = std::io::Error::from_raw_os_error(*value);
            assert!(!err.to_string().starts_with("Unknown error"), "{value} unknown to libc");
        }
        assert_eq!(std::io::Error::from_raw_os_error(11).kind(), std::io::ErrorKind::WouldBlock);
    }
}
