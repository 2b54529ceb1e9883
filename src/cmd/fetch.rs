//! `nyckeltal fetch --kpi IDS --municipality SEL --years RANGE`
//!
//! Fill the cache with the figures, so that later commands and `--offline`
//! need no network. Prints one summary line: values, requests made, values
//! served from the cache.

use anyhow::Result;

use super::{fetch_values, open_source, resolve_selection};
use crate::catalogue::Catalogue;
use crate::error;
use crate::flags::{FetchArgs, GlobalArgs};
use crate::resolve::format_years;

pub fn run(args: &FetchArgs, global: &GlobalArgs) -> Result<()> {
    if global.source.is_some() {
        return Err(error::usage(
            "fetch fills the cache from the Kolada API; a --source snapshot is already local, so drop --source",
        ));
    }
    if global.no_cache {
        return Err(error::usage("fetch fills the cache; drop --no-cache"));
    }
    let source = open_source(global)?;
    let catalogue = Catalogue::new(source.as_ref());
    let query = resolve_selection(&args.selection, &catalogue)?;
    let observations = fetch_values(source.as_ref(), &query, global)?;
    let stats = source.stats();
    println!(
        "{} values for {} KPI(s) × {} municipalities × years {}: {} request(s) to Kolada, {} value(s) served from the cache",
        observations.len(),
        query.kpis.len(),
        query.entities.len(),
        format_years(&query.years),
        stats.requests,
        stats.from_cache,
    );
    Ok(())
}
