//! Figures fetched from the source with progress shown: one place for
//! every operation that reads values.

use anyhow::Result;

use crate::base::progress::Progress;
use crate::model::Observation;
use crate::source::{DataSource, ValueQuery};

/// The values of `query`, with progress shown as "fetching".
pub(crate) fn fetch(
    source: &dyn DataSource,
    query: &ValueQuery,
    progress: &dyn Progress,
) -> Result<Vec<Observation>> {
    fetch_as("fetching", source, query, progress)
}

/// The values of `query`, with progress shown as `what`.
pub(crate) fn fetch_as(
    what: &str,
    source: &dyn DataSource,
    query: &ValueQuery,
    progress: &dyn Progress,
) -> Result<Vec<Observation>> {
    progress.begin(what);
    let result = source.values(query, progress);
    progress.end();
    result
}
