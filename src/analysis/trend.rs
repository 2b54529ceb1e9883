//! One KPI over the years: the municipality, its peers' mean and the
//! national median.

use std::collections::HashMap;

use anyhow::Result;
use polars_core::prelude::*;

use super::compare::compare;
use super::kpi::Comparison;
use super::national::{medians, NationalRanks};

/// One KPI over the years: the municipality's value, the peers' mean (and
/// how many peers had a value) and the national median.
pub(crate) fn trend(comparison: &Comparison, national: &NationalRanks) -> Result<DataFrame> {
    let medians = medians(&national.values)?;
    let median_of = by_kpi_year(&medians)?;
    let table = compare(comparison, national)?;
    let mut trend = table.select([
        "kpi",
        "municipality",
        "year",
        "value",
        "peer_n",
        "peer_mean",
        "series_break",
    ])?;
    let kpi = trend.column("kpi")?.str()?.clone();
    let year = trend.column("year")?.i32()?.clone();
    let national_median: Vec<Option<f64>> = kpi
        .iter()
        .zip(year.iter())
        .map(|(k, y)| median_of.get(&(k?.to_string(), y?)).copied())
        .collect();
    trend.with_column(Column::new("national_median".into(), national_median))?;
    Ok(trend.sort(
        ["year"],
        SortMultipleOptions::default().with_maintain_order(true),
    )?)
}

/// `national_median` per KPI and year.
fn by_kpi_year(medians: &DataFrame) -> Result<HashMap<(String, i32), f64>> {
    let kpi = medians.column("kpi")?.str()?;
    let year = medians.column("year")?.i32()?;
    let median = medians.column("national_median")?.f64()?;
    Ok(kpi
        .iter()
        .zip(year.iter())
        .zip(median.iter())
        .filter_map(|((k, y), m)| Some(((k?.to_string(), y?), m?)))
        .collect())
}
