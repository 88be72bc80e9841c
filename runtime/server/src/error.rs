//! The server's error type. Every message says what failed and with which values (a path, a pid), and
//! names the errno (`EADDRINUSE`), never a bare number.

use std::io;

/// An operation that failed, with its context.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{what}: {}", errno_name(.source))]
    Io { what: String, source: io::Error },
    #[error("{0}")]
    Other(String),
}

impl Error {
    pub fn io(what: impl Into<String>, source: io::Error) -> Self {
        Error::Io { what: what.into(), source }
    }

    /// The errno the failure carries, for replies; `EIO` for failures that are not system errors.
    pub fn errno(&self) -> i32 {
        match self {
            Error::Io { source, .. } => source.raw_os_error().unwrap_or(nix::libc::EIO),
            Error::Other(_) => nix::libc::EIO,
        }
    }
}

/// `ENOENT (No such file or directory)` for an OS error, the error's own text otherwise.
pub fn errno_name(err: &io::Error) -> String {
    match err.raw_os_error() {
        Some(code) => {
            let text = io::Error::from_raw_os_error(code).to_string();
            // std renders "No such file or directory (os error 2)"; keep the words, drop the number.
            let words = text.split(" (os error").next().unwrap_or(&text);
            match darling_core::errno::linux_name(code) {
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
    fn messages_name_the_errno() {
        let e = Error::io("binding /p/.darlingserver.sock", io::Error::from_raw_os_error(98));
        assert_eq!(e.to_string(), "binding /p/.darlingserver.sock: EADDRINUSE (Address already in use)");
        assert_eq!(e.errno(), 98);
    }
}
