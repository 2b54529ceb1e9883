//! One KPI over the years: the municipality, its peers' mean and the
//! national median.

use super::compare::compare;
use super::kpi::Comparison;
use super::national::{Medians, NationalRanks};
use super::table::{Table, Values};

/// One year of a KPI's trend.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TrendRow {
    pub kpi: String,
    pub municipality: String,
    pub year: i32,
    pub value: Option<f64>,
    /// How many peers had a value, and their mean.
    pub peer_n: u32,
    pub peer_mean: Option<f64>,
    pub series_break: bool,
    pub national_median: Option<f64>,
}

/// One KPI over the years, by year: the municipality's value, the peers'
/// mean (and how many peers had a value) and the national median.
pub(crate) fn trend(comparison: &Comparison, national: &NationalRanks) -> Vec<TrendRow> {
    let medians = Medians::of(&national.values);
    let mut rows: Vec<TrendRow> = compare(comparison, national)
        .into_iter()
        .map(|row| TrendRow {
            national_median: medians.get(&row.kpi, row.year),
            kpi: row.kpi,
            municipality: row.municipality,
            year: row.year,
            value: row.value,
            peer_n: row.peer_n,
            peer_mean: row.peer_mean,
            series_break: row.series_break,
        })
        .collect();
    // Stable: a KPI's rows keep their order within a year.
    rows.sort_by_key(|row| row.year);
    rows
}

/// The trend as the export table: `kpi, municipality, year, value, peer_n,
/// peer_mean, series_break, national_median`.
pub(crate) fn trend_table(rows: &[TrendRow]) -> Table {
    let text = |f: &dyn Fn(&TrendRow) -> &str| {
        Values::Text(rows.iter().map(|r| Some(f(r).to_string())).collect())
    };
    let f64s = |f: &dyn Fn(&TrendRow) -> Option<f64>| Values::Float(rows.iter().map(f).collect());
    Table::new(vec![
        ("kpi", text(&|r| &r.kpi)),
        ("municipality", text(&|r| &r.municipality)),
        (
            "year",
            Values::I32(rows.iter().map(|r| Some(r.year)).collect()),
        ),
        ("value", f64s(&|r| r.value)),
        (
            "peer_n",
            Values::U32(rows.iter().map(|r| Some(r.peer_n)).collect()),
        ),
        ("peer_mean", f64s(&|r| r.peer_mean)),
        (
            "series_break",
            Values::Bool(rows.iter().map(|r| Some(r.series_break)).collect()),
        ),
        ("national_median", f64s(&|r| r.national_median)),
    ])
}

/// A KPI's series of one figure of the trend: (year, figure) where there is one.
pub(crate) fn trend_series(
    rows: &[TrendRow],
    kpi: &str,
    figure: impl Fn(&TrendRow) -> Option<f64>,
) -> Vec<(i32, f64)> {
    rows.iter()
        .filter(|r| r.kpi == kpi)
        .filter_map(|r| Some((r.year, figure(r)?)))
        .collect()
}
