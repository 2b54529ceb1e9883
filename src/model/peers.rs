//! A resolved peer group: whom a municipality is compared with.

/// The members a comparison uses, with names for tables and for people.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Peers {
    /// What to call the group in tables and exports (with its id or file name).
    pub label: String,
    /// Its name for people, without ids: for documents and chart legends.
    pub title: String,
    /// Member ids, without the municipality itself.
    pub members: Vec<String>,
    /// Whether the municipality was listed and left out.
    pub excluded_self: bool,
}
