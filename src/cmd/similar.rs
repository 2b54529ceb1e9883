//! `nyckeltal similar MUNICIPALITY [--area AREA | --factors KPI[:WEIGHT],...] [--year Y] [-k 7]`
//! `nyckeltal similar MUNICIPALITY --check-peers P`
//!
//! The k municipalities most like this one by structural factors, with
//! the factors that make up most of each distance, set against RKA's
//! "Liknande kommuner" group for the area; or, with `--check-peers`, how
//! far each member of a peer group is and its rank among all 289 others.

use anyhow::Result;

use crate::cli::flags::{GlobalArgs, SimilarArgs};
use crate::cli::session::with_context;
use crate::ops::similar::{similar, Asked};
use crate::render::exports::emit;

pub(crate) fn run(args: &SimilarArgs, global: &GlobalArgs) -> Result<()> {
    let target = args.output.target()?;
    let asked = Asked {
        municipality: &args.municipality,
        area: args.area.as_deref(),
        factors: args.factors.as_deref(),
        year: args.year,
        k: args.k,
        check_peers: args.check_peers.as_deref(),
    };
    let (table, footer) = with_context(global, |cx| similar(&asked, cx))?;
    emit(&table, &target, &footer)
}
