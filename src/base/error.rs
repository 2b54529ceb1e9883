//! Errors a person can act on, each with its own documented exit code.
//!
//! Anything that is not a [`UserError`] is unexpected and exits with 1.

use std::fmt;

/// Exit codes, as documented in docs/security-and-limits.md ("Exit codes").
pub(crate) mod exit {
    pub(crate) const OK: i32 = 0;
    pub(crate) const FAILURE: i32 = 1;
    pub(crate) const USAGE: i32 = 2;
    pub(crate) const NOT_FOUND: i32 = 3;
    pub(crate) const NOT_CACHED: i32 = 4;
    pub(crate) const NETWORK: i32 = 5;
    pub(crate) const SOURCE: i32 = 6;
    pub(crate) const OUTPUT: i32 = 7;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Malformed argument (years, formats, flags that do not go together).
    Usage,
    /// An id or name that does not exist (municipality, KPI, group, area).
    NotFound,
    /// `--offline` and the cache does not hold what was asked.
    NotCached,
    /// Kolada unreachable, or it answered badly after all retries.
    Network,
    /// A snapshot directory (`--source`) is missing files or unreadable.
    Source,
    /// The output file could not be written.
    Output,
}

/// A one-line message that names the problem and the fix.
#[derive(Debug)]
pub(crate) struct UserError {
    pub(crate) kind: Kind,
    pub(crate) message: String,
}

impl UserError {
    pub(crate) fn new(kind: Kind, message: impl Into<String>) -> Self {
        UserError {
            kind,
            message: message.into(),
        }
    }

    pub(crate) fn exit_code(&self) -> i32 {
        match self.kind {
            Kind::Usage => exit::USAGE,
            Kind::NotFound => exit::NOT_FOUND,
            Kind::NotCached => exit::NOT_CACHED,
            Kind::Network => exit::NETWORK,
            Kind::Source => exit::SOURCE,
            Kind::Output => exit::OUTPUT,
        }
    }
}

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UserError {}

pub(crate) fn usage(message: impl Into<String>) -> anyhow::Error {
    UserError::new(Kind::Usage, message).into()
}

pub(crate) fn not_found(message: impl Into<String>) -> anyhow::Error {
    UserError::new(Kind::NotFound, message).into()
}

pub(crate) fn not_cached(message: impl Into<String>) -> anyhow::Error {
    UserError::new(Kind::NotCached, message).into()
}

pub(crate) fn network(message: impl Into<String>) -> anyhow::Error {
    UserError::new(Kind::Network, message).into()
}

pub(crate) fn source(message: impl Into<String>) -> anyhow::Error {
    UserError::new(Kind::Source, message).into()
}

pub(crate) fn output(message: impl Into<String>) -> anyhow::Error {
    UserError::new(Kind::Output, message).into()
}

/// The same error, its message prefixed with where it arose ("spec.toml line 4").
pub(crate) fn at(location: &str, err: anyhow::Error) -> anyhow::Error {
    match err.downcast::<UserError>() {
        Ok(user) => UserError::new(user.kind, format!("{location}: {}", user.message)).into(),
        Err(other) => other.context(location.to_string()),
    }
}

/// The exit code and the one-line message for any error that reaches `main`.
pub(crate) fn report(err: &anyhow::Error) -> (i32, String) {
    for cause in err.chain() {
        if let Some(user) = cause.downcast_ref::<UserError>() {
            return (user.exit_code(), user.message.clone());
        }
    }
    // `{:#}` joins the chain of causes on one line.
    (exit::FAILURE, format!("{err:#}"))
}
