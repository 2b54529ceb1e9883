//! A resolved peer group: whom a municipality is compared with.

/// The members a comparison uses, with names for tables and for people.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Peers {
    /// What to call the group in tables and exports (with its id or file
    /// name, and "excluding X (own calculation)" when the municipality was left out of it).
    pub label: String,
    /// Its name for people, without ids: for documents and chart legends.
    pub title: String,
    /// Member ids, without the municipality itself.
    pub members: Vec<String>,
    /// The municipality's name, when it was listed and left out: the peers'
    /// mean is then not the group's own value.
    pub left_out: Option<String>,
    /// The Kolada group the peers are, when they are one (its own value is
    /// Kolada's figure; with the municipality left out, the peers' mean is not).
    pub group: Option<String>,
}
