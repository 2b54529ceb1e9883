//! Layer 0, what every layer may use: errors with their exit codes,
//! matching and number text, bounded reads and safe writes, and the small
//! trait through which lower layers report progress.

pub(crate) mod error;
pub(crate) mod manifest;
pub(crate) mod progress;
pub(crate) mod read;
pub(crate) mod text;
pub(crate) mod write;

/// A mutex's content, also when a thread panicked while holding it: the
/// data behind nyckeltal's locks (queues, counters, a set of folder names)
/// stay valid whatever a panicking holder did.
pub(crate) fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
