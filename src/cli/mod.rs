//! Layer 9, the command line: every flag ([`flags`]), the progress bar
//! ([`progress`]), opening the source the global flags ask for and showing
//! what lower layers return as notes ([`session`]), and the names offered
//! to shell completion ([`hints`]).

pub(crate) mod flags;
pub(crate) mod hints;
pub(crate) mod progress;
pub(crate) mod session;
