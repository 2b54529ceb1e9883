//! Layer 7, what a document says, whatever draws it: the brief a committee
//! reads first ([`brief`]), one reading of a
//! comparison row ([`reading`]), the review model with its notes
//! ([`review`]), the summary's sentences ([`summary`]), the gaps over the
//! years ([`years`]), each peer's own figures ([`peer_values`]),
//! `explain`'s tidy table and sentences ([`explain`]), where figures come
//! from ([`provenance`]), and the words and number formats of each
//! language ([`words`]). `render` draws them.

pub(crate) mod brief;
pub(crate) mod explain;
pub(crate) mod peer_values;
pub(crate) mod provenance;
pub(crate) mod reading;
pub(crate) mod review;
pub(crate) mod summary;
pub(crate) mod words;
pub(crate) mod years;
