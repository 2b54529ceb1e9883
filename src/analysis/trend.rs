//! One KPI over the years: the municipality, its peers' mean and the
//! national median.

use anyhow::Result;
use polars::prelude::*;

use super::compare::compare;
use super::kpi::Comparison;
use super::national::{medians, NationalRanks};

/// One KPI over the years: the municipality's value, the peers' mean (and
/// how many peers had a value) and the national median.
pub(crate) fn trend(comparison: &Comparison, national: &NationalRanks) -> Result<DataFrame> {
    let medians = medians(&national.values)?;
    let table = compare(comparison, national)?;
    Ok(table
        .lazy()
        .select([
            col("kpi"),
            col("municipality"),
            col("year"),
            col("value"),
            col("peer_n"),
            col("peer_mean"),
            col("series_break"),
        ])
        .join(
            medians.lazy(),
            [col("kpi"), col("year")],
            [col("kpi"), col("year")],
            JoinArgs::new(JoinType::Left),
        )
        .sort(["year"], SortMultipleOptions::default())
        .collect()?)
}
