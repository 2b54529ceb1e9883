//! Kolada's ids, checked before they go anywhere: every id that goes into a
//! URL or a file name must look like one of Kolada's, whoever sent it (a
//! person, a set file, or a mirror's own catalogue).

use anyhow::Result;

use crate::base::error;

/// Whether an id can be one of Kolada's: KPIs (`N20900`), municipalities
/// and regions (`1419`, `0014`), groups (`G96190`) are letters and digits.
pub(crate) fn is_kolada_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 40 && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// The first id in a list that cannot be Kolada's, if any.
pub(crate) fn first_invalid_id<'a>(ids: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    ids.into_iter().find(|id| !is_kolada_id(id))
}

/// An error for the first asked id that cannot be Kolada's (exit 2): it
/// would go into a URL path.
pub(crate) fn refuse_invalid_ids<'a>(ids: impl IntoIterator<Item = &'a str>) -> Result<()> {
    match first_invalid_id(ids) {
        None => Ok(()),
        Some(id) => Err(error::usage(format!(
            "'{}' is not a Kolada id (letters and digits only)",
            id.escape_debug()
        ))),
    }
}

/// A municipality group's id: G and digits (`G96190`).
pub(crate) fn is_group_id(id: &str) -> bool {
    id.len() > 1 && id.starts_with(['G', 'g']) && id[1..].chars().all(|c| c.is_ascii_digit())
}
