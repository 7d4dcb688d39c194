//! The error type every command returns, and how it maps to an exit code.

use std::path::PathBuf;

/// Result alias used across the framework and plugins.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong. [`Error::Fail`] carries a message that must match Dokku's
/// words; the others carry context for our own failures.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A user-facing failure: printed as ` !     message` on stderr, exit 1.
    #[error("{0}")]
    Fail(String),
    /// A failure with a specific exit code; the message may be empty (then
    /// nothing is printed).
    #[error("{message}")]
    Exit { code: i32, message: String },
    /// A file-system operation failed.
    #[error("{op} {path}: {source}")]
    Io {
        op: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Anything else from a lower layer, with context.
    #[error("{context}: {message}")]
    Other { context: String, message: String },
}

impl Error {
    /// A Dokku-worded failure.
    pub fn fail(msg: impl Into<String>) -> Self {
        Error::Fail(msg.into())
    }

    /// Success for a command's exit status 0, else a silent exit with
    /// that status (1 when it does not fit).
    pub fn from_status(code: i64) -> std::result::Result<(), Self> {
        if code == 0 {
            Ok(())
        } else {
            Err(Error::exit(i32::try_from(code).unwrap_or(1)))
        }
    }

    /// Ok when the command that left `out` succeeded; else
    /// [`Error::other`] with `context` and what it printed on stderr.
    pub fn from_output(
        context: impl Into<String>,
        out: &std::process::Output,
    ) -> std::result::Result<(), Self> {
        if out.status.success() {
            Ok(())
        } else {
            Err(Error::other(
                context,
                String::from_utf8_lossy(&out.stderr).trim(),
            ))
        }
    }

    /// A silent exit with the given code.
    pub fn exit(code: i32) -> Self {
        Error::Exit {
            code,
            message: String::new(),
        }
    }

    /// An I/O error on a path.
    pub fn io(op: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            op,
            path: path.into(),
            source,
        }
    }

    /// Any other error, with context.
    pub fn other(context: impl Into<String>, message: impl std::fmt::Display) -> Self {
        Error::Other {
            context: context.into(),
            message: message.to_string(),
        }
    }

    /// The process exit code this error maps to.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Exit { code, .. } => *code,
            _ => 1,
        }
    }
}
