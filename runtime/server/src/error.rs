//! The server's error type. Every message says what failed and with which values (a path, a pid), and
//! names the errno (`EADDRINUSE`), never a bare number.

use std::io;

use darling_core::errno::describe_io;

/// An operation that failed, with its context.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{what}: {}", describe_io(.source))]
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
