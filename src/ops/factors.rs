//! The similarity factors of every municipality, standardised: what
//! `similar` ranks and `--peers similar:AREA` takes its nearest from.

use anyhow::Result;

use super::fetch::fetch_as;
use super::Context;
use crate::analysis::similar::{factor_years, standardise, Standardised};
use crate::refdata::FactorSet;
use crate::source::ValueQuery;

/// The factors of all 290 municipalities for one year, standardised: the
/// year given, or the latest in which every factor covers nine in ten.
pub(crate) fn standardised(
    set: &FactorSet,
    year: Option<i32>,
    cx: &Context,
) -> Result<(i32, Standardised)> {
    let ids: Vec<String> = cx
        .catalogue
        .kommuner()?
        .iter()
        .map(|m| m.id.clone())
        .collect();
    let kpis: Vec<String> = set.factors.iter().map(|f| f.kpi.clone()).collect();
    let years = factor_years(year, cx.catalogue.latest_year_or_last(&kpis));
    let query = ValueQuery {
        kpis,
        entities: ids.clone(),
        years: years.clone(),
    };
    let observations = fetch_as(
        "fetching factors",
        cx.catalogue.source(),
        &query,
        cx.progress,
    )?;
    standardise(ids, set, observations, year, &years)
}
