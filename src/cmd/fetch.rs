//! `nyckeltal fetch --kpi IDS --municipality SEL --years RANGE`
//!
//! Fill the cache with the figures, so that later commands and `--offline`
//! need no network. Prints one summary line: values, requests made, values
//! served from the cache.

use anyhow::Result;

use crate::base::error;
use crate::cli::flags::{FetchArgs, GlobalArgs};
use crate::cli::session::with_context;
use crate::ops::values::{fill_cache, Selection};

pub(crate) fn run(args: &FetchArgs, global: &GlobalArgs) -> Result<()> {
    if global.source.is_some() {
        return Err(error::usage(
            "fetch fills the cache from the Kolada API; a --source snapshot is already local, so drop --source",
        ));
    }
    if global.no_cache {
        return Err(error::usage("fetch fills the cache; drop --no-cache"));
    }
    let selection = Selection {
        sets: &args.selection.kpis.sets,
        kpi: args.selection.kpis.kpi.as_deref(),
        municipality: &args.selection.municipality,
        years: &args.selection.years,
    };
    let summary = with_context(global, |cx| fill_cache(&selection, cx))?;
    println!("{summary}");
    Ok(())
}
