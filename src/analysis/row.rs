//! A comparison row: one municipality's KPI in one year against its peers
//! and the country, as the comparison computes it and every view reads it,
//! and as the export table (the columns scripts read).

use super::national::{Position, RankBand};
use super::table::{Table, Values};
use crate::model::scale::{Direction, Scale};
use crate::model::Gender;

/// The export columns, in order (new columns are added at the end, so
/// scripts that read by position keep working): the fields of
/// [`ComparedRow`] of the same names.
pub(crate) const COLUMNS: [&str; 37] = [
    "kpi",
    "kpi_title",
    "municipality_id",
    "municipality",
    "year",
    "gender",
    "peer_group",
    "value",
    "peer_n",
    "peer_mean",
    "peer_median",
    "peer_min",
    "peer_max",
    "rank_in_peers",
    "rank_national",
    "national_n",
    "national_percentile",
    "deviation_from_peer_mean",
    "deviation_from_peer_mean_pct",
    "change_from_previous_year",
    "change_from_previous_year_pct",
    "band",
    "preliminary",
    "scale",
    "unit",
    "value_label",
    "peer_levels",
    "national_levels",
    "series_break",
    "direction",
    "position",
    "national_total",
    "few_values",
    "group_value",
    "rolling_mean",
    "base_count",
    "small_numbers",
];

/// One municipality's KPI in one year, against its peers and the country:
/// a row of the comparison table (see [`COLUMNS`], and docs/readings-and-scales.md,
/// "Definitions"). What a KPI's scale does not allow is `None`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ComparedRow {
    pub kpi: String,
    pub kpi_title: String,
    pub municipality_id: String,
    pub municipality: String,
    pub year: i32,
    pub gender: Gender,
    /// The label of the peer group the row is compared with.
    pub peer_group: String,
    pub value: Option<f64>,
    /// How many peers have a value.
    pub peer_n: u32,
    pub peer_mean: Option<f64>,
    pub peer_median: Option<f64>,
    pub peer_min: Option<f64>,
    pub peer_max: Option<f64>,
    pub rank_in_peers: Option<u32>,
    pub rank_national: Option<u32>,
    /// How many places in the country have a value.
    pub national_n: u32,
    pub national_percentile: Option<f64>,
    pub deviation_from_peer_mean: Option<f64>,
    pub deviation_from_peer_mean_pct: Option<f64>,
    pub change_from_previous_year: Option<f64>,
    pub change_from_previous_year_pct: Option<f64>,
    pub band: RankBand,
    pub preliminary: bool,
    pub scale: Scale,
    pub unit: String,
    /// For a category: the label of the value, and how many peers and
    /// places in the country are at each level.
    pub value_label: Option<String>,
    pub peer_levels: Option<String>,
    pub national_levels: Option<String>,
    pub series_break: bool,
    pub direction: Direction,
    pub position: Option<Position>,
    /// How many places are ranked among: 290 municipalities or 21 regions.
    pub national_total: u32,
    pub few_values: bool,
    /// Kolada's own value of the peer group.
    pub group_value: Option<f64>,
    pub rolling_mean: bool,
    /// The count the figure rests on, where the set names one.
    pub base_count: Option<f64>,
    /// Unknown where the set names no count for the KPI, or Kolada has none.
    pub small_numbers: Option<bool>,
    /// The year of the count `small_numbers` rests on, when Kolada has
    /// none for the row's own year (the nearest year's). Not exported.
    pub count_from: Option<i32>,
    /// A change far beyond the municipality's own history in the table:
    /// (this change, its typical change); see `quality`. Not exported.
    pub volatile: Option<Volatile>,
}

/// The rows as the export table (see [`COLUMNS`]), each column in the
/// type the exports have always had.
pub(crate) fn compared_table(rows: &[ComparedRow]) -> Table {
    let text = |f: &dyn Fn(&ComparedRow) -> String| {
        Values::Text(rows.iter().map(|r| Some(f(r))).collect())
    };
    let maybe_text =
        |f: &dyn Fn(&ComparedRow) -> Option<String>| Values::Text(rows.iter().map(f).collect());
    let f64s =
        |f: &dyn Fn(&ComparedRow) -> Option<f64>| Values::Float(rows.iter().map(f).collect());
    let u32s = |f: &dyn Fn(&ComparedRow) -> Option<u32>| Values::U32(rows.iter().map(f).collect());
    let bools =
        |f: &dyn Fn(&ComparedRow) -> Option<bool>| Values::Bool(rows.iter().map(f).collect());
    let columns = vec![
        ("kpi", text(&|r| r.kpi.clone())),
        ("kpi_title", text(&|r| r.kpi_title.clone())),
        ("municipality_id", text(&|r| r.municipality_id.clone())),
        ("municipality", text(&|r| r.municipality.clone())),
        (
            "year",
            Values::I32(rows.iter().map(|r| Some(r.year)).collect()),
        ),
        ("gender", text(&|r| r.gender.code().to_string())),
        ("peer_group", text(&|r| r.peer_group.clone())),
        ("value", f64s(&|r| r.value)),
        ("peer_n", u32s(&|r| Some(r.peer_n))),
        ("peer_mean", f64s(&|r| r.peer_mean)),
        ("peer_median", f64s(&|r| r.peer_median)),
        ("peer_min", f64s(&|r| r.peer_min)),
        ("peer_max", f64s(&|r| r.peer_max)),
        ("rank_in_peers", u32s(&|r| r.rank_in_peers)),
        ("rank_national", u32s(&|r| r.rank_national)),
        ("national_n", u32s(&|r| Some(r.national_n))),
        ("national_percentile", f64s(&|r| r.national_percentile)),
        (
            "deviation_from_peer_mean",
            f64s(&|r| r.deviation_from_peer_mean),
        ),
        (
            "deviation_from_peer_mean_pct",
            f64s(&|r| r.deviation_from_peer_mean_pct),
        ),
        (
            "change_from_previous_year",
            f64s(&|r| r.change_from_previous_year),
        ),
        (
            "change_from_previous_year_pct",
            f64s(&|r| r.change_from_previous_year_pct),
        ),
        ("band", text(&|r| r.band.code().to_string())),
        ("preliminary", bools(&|r| Some(r.preliminary))),
        ("scale", text(&|r| r.scale.name().to_string())),
        ("unit", text(&|r| r.unit.clone())),
        ("value_label", maybe_text(&|r| r.value_label.clone())),
        ("peer_levels", maybe_text(&|r| r.peer_levels.clone())),
        (
            "national_levels",
            maybe_text(&|r| r.national_levels.clone()),
        ),
        ("series_break", bools(&|r| Some(r.series_break))),
        ("direction", text(&|r| r.direction.name().to_string())),
        (
            "position",
            maybe_text(&|r| r.position.map(|p| p.code().to_string())),
        ),
        ("national_total", u32s(&|r| Some(r.national_total))),
        ("few_values", bools(&|r| Some(r.few_values))),
        ("group_value", f64s(&|r| r.group_value)),
        ("rolling_mean", bools(&|r| Some(r.rolling_mean))),
        ("base_count", f64s(&|r| r.base_count)),
        ("small_numbers", bools(&|r| r.small_numbers)),
    ];
    debug_assert!(columns.iter().map(|(n, _)| *n).eq(COLUMNS));
    Table::new(columns)
}

/// The KPIs of a comparison for which the source has no figure at all in
/// the years shown: no municipality in the country has a value. Documents
/// leave them out of their tables and say so, rather than show a row of
/// blanks.
pub(crate) fn kpis_without_figures(rows: &[ComparedRow]) -> Vec<String> {
    let mut seen: Vec<(&str, bool)> = Vec::new();
    for row in rows {
        let has = row.value.is_some() || row.national_n > 0;
        match seen.iter_mut().find(|(k, _)| *k == row.kpi) {
            Some(entry) => entry.1 |= has,
            None => seen.push((&row.kpi, has)),
        }
    }
    seen.into_iter()
        .filter(|(_, has)| !has)
        .map(|(k, _)| k.to_string())
        .collect()
}

/// A change far beyond the municipality's usual (see `quality`): this
/// change and the median size of its other changes, in percent
/// (`percent`) or in the KPI's units (points for a share).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Volatile {
    pub change: f64,
    pub typical: f64,
    pub percent: bool,
}
