//! Where things live in a Darling prefix, for the server, the shim and the `darling` tool alike.
//!
//! Names only: both sides must agree on them, and neither may hard-code its own copy.

use std::path::{Path, PathBuf};

/// The server's datagram socket.
pub const SOCKET_NAME: &str = ".darlingserver.sock";
/// Held (`flock`, exclusive) by the running server for its whole life; holds its pid as text.
pub const SERVER_LOCK_NAME: &str = ".darlingserver.lock";
/// Serializes clients that start a server on demand, so two first clients never start two servers.
pub const START_LOCK_NAME: &str = ".darlingserver.start.lock";
/// The server binary, relative to the prefix.
pub const SERVER_BINARY: &str = "usr/libexec/darlingserver";
/// Where a server started on demand writes its log, relative to the prefix.
pub const SERVER_LOG: &str = "var/log/darlingserver.log";
/// The environment variable that names the prefix.
pub const PREFIX_ENV: &str = "DPREFIX";

/// The paths of one prefix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prefix {
    root: PathBuf,
}

impl Prefix {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// `$DPREFIX`, else `fallback`, else `~/.darling` (Darling's own default).
    pub fn from_env_or(fallback: Option<PathBuf>) -> Self {
        if let Some(dir) = std::env::var_os(PREFIX_ENV).filter(|v| !v.is_empty()) {
            return Self::new(dir);
        }
        if let Some(dir) = fallback {
            return Self::new(dir);
        }
        let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/"));
        Self::new(home.join(".darling"))
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn socket(&self) -> PathBuf {
        self.root.join(SOCKET_NAME)
    }

    pub fn server_lock(&self) -> PathBuf {
        self.root.join(SERVER_LOCK_NAME)
    }

    pub fn start_lock(&self) -> PathBuf {
        self.root.join(START_LOCK_NAME)
    }

    pub fn server_binary(&self) -> PathBuf {
        self.root.join(SERVER_BINARY)
    }

    pub fn server_log(&self) -> PathBuf {
        self.root.join(SERVER_LOG)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        let p = Prefix::new("/p");
        assert_eq!(p.socket(), Path::new("/p/.darlingserver.sock"));
        assert_eq!(p.server_binary(), Path::new("/p/usr/libexec/darlingserver"));
    }
}
