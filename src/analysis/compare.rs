//! The comparison: a municipality against its peers and the whole country,
//! computed on the national ranks.
//!
//! Definitions (also in docs/readings-and-scales.md):
//! - peer statistics use the peers that have a value, never the municipality itself;
//! - ranks are competition ranks (ties share the better rank), 1 = best in
//!   the KPI's direction (neutral KPIs: 1 = highest);
//! - `national_percentile` = share of the other municipalities with a value
//!   that are strictly worse, in percent (100 = best in the country);
//! - `band`: green when rank_national ≤ 25% of national_n, red when
//!   rank_national > 75% of national_n, yellow between (thirds with
//!   `--bands thirds`); grey when the municipality has no value; none for
//!   neutral KPIs.
//!
//! What each scale allows is decided by the scale's own rules
//! (`Scale::ranked`, `relative`, `numeric`), applied row by row.

use anyhow::Result;
use polars_core::prelude::*;

use std::collections::HashMap;

use super::categories::label_categories;
use super::cells::Cells;
use super::kpi::{Comparison, KpiPlan};
use super::national::{few_values, quantile, NationalRanks, Standing};
use crate::base::text::{decimal_mean, difference, without_noise};

/// The export columns, in order (new columns are added at the end, so
/// scripts that read by position keep working).
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

/// The tidy comparison table, one row per KPI and year (see [`COLUMNS`]),
/// from the set's national ranks.
pub(crate) fn compare(comparison: &Comparison, national: &NationalRanks) -> Result<DataFrame> {
    let group_values = by_kpi_year(comparison.group_values.as_ref(), &["group_value"])?;
    let counts = by_kpi_year(comparison.counts.as_ref(), &["base_count", "small_below"])?;
    let mut years = comparison.years.to_vec();
    years.sort_unstable();
    let mut rows = Vec::new();
    for kpi in comparison.kpis {
        for &year in &years {
            let key = (kpi.id.clone(), year);
            let extra = |map: &ByKpiYear, i: usize| map.get(&key).and_then(|v| v[i]);
            rows.push(row(
                comparison,
                national,
                kpi,
                year,
                &Extras {
                    group_value: extra(&group_values, 0),
                    base_count: extra(&counts, 0),
                    small_below: extra(&counts, 1),
                },
            ));
        }
    }
    let table = table(comparison, national, &rows)?;
    label_categories(comparison, &national.values, table)
}

/// What the comparison brings from outside the ranks: Kolada's value of
/// the peer group and the count a figure rests on.
struct Extras {
    group_value: Option<f64>,
    base_count: Option<f64>,
    small_below: Option<f64>,
}

/// Figures per KPI and year, in the order of the columns asked for.
type ByKpiYear = HashMap<(String, i32), Vec<Option<f64>>>;

/// Per KPI and year, the named columns of a `kpi, year, …` frame (the first
/// row of a key, as a join would find it).
fn by_kpi_year(frame: Option<&DataFrame>, columns: &[&str]) -> Result<ByKpiYear> {
    let mut out = HashMap::new();
    let Some(frame) = frame else { return Ok(out) };
    let kpi = frame.column("kpi")?.str()?;
    let year = frame.column("year")?.i32()?;
    let values: Vec<Vec<Option<f64>>> = columns
        .iter()
        .map(|c| Ok(frame.column(c)?.cast(&DataType::Float64)?.f64()?.to_vec()))
        .collect::<Result<_>>()?;
    for r in 0..frame.height() {
        if let (Some(k), Some(y)) = (kpi.get(r), year.get(r)) {
            out.entry((k.to_string(), y))
                .or_insert_with(|| values.iter().map(|v| v[r]).collect());
        }
    }
    Ok(out)
}

/// One row of the table, before it becomes columns.
struct Row<'a> {
    kpi: &'a KpiPlan,
    year: i32,
    value: Option<f64>,
    peer_n: u32,
    peer_mean: Option<f64>,
    peer_median: Option<f64>,
    peer_min: Option<f64>,
    peer_max: Option<f64>,
    rank_in_peers: Option<u32>,
    rank_national: Option<u32>,
    national_n: u32,
    national_percentile: Option<f64>,
    deviation: Option<f64>,
    deviation_pct: Option<f64>,
    change: Option<f64>,
    change_pct: Option<f64>,
    band: &'static str,
    position: Option<&'static str>,
    few_values: bool,
    group_value: Option<f64>,
    base_count: Option<f64>,
    small_numbers: Option<bool>,
}

/// A KPI and year compared: the municipality's own figures and standing,
/// its peers' statistics (never the municipality itself) and its rank among
/// them, with what the KPI's scale allows of each (docs/readings-and-scales.md, "Definitions"):
/// ranks and bands for ranked scales, means and differences for numbers,
/// relative differences for amounts, no change across a break or on a
/// moving mean.
fn row<'a>(
    comparison: &Comparison,
    national: &NationalRanks,
    kpi: &'a KpiPlan,
    year: i32,
    extras: &Extras,
) -> Row<'a> {
    let me = comparison.municipality.id.as_str();
    let own = national.standing(&kpi.id, year, me);
    let value = own.map(|s| s.value);
    let previous = national.standing(&kpi.id, year - 1, me).map(|s| s.value);
    let peers = peer_figures(national, kpi, year, own);
    let national_n = national.count(&kpi.id, year);
    let (ranked, relative) = (kpi.scale.ranked(), kpi.scale.relative());
    let unbroken = !kpi.breaks_at(year) && kpi.rolling.is_none();
    let few = few_values(national_n as usize, comparison.total);
    let only = |allowed: bool, figure: Option<f64>| figure.filter(|_| allowed);
    // A share of a base that is above zero; empty otherwise.
    let pct = |part: Option<f64>, base: Option<f64>| match (part, base) {
        (Some(part), Some(base)) if base > 0.0 => Some(without_noise(part * 100.0 / base)),
        _ => None,
    };
    let minus = |a: Option<f64>, b: Option<f64>| a.zip(b).map(|(a, b)| a - b);
    let peer_mean = only(ranked, peers.mean);
    let clean_mean = only(ranked, peers.shown_mean);
    let exact = |base: Option<f64>| value.zip(base).map(|(v, b)| difference(b, v));
    Row {
        kpi,
        year,
        value,
        peer_n: peers.n,
        peer_mean: clean_mean,
        peer_median: only(ranked, peers.median).map(without_noise),
        peer_min: only(ranked, peers.min),
        peer_max: only(ranked, peers.max),
        rank_in_peers: peers.rank.filter(|_| ranked && peers.n > 0),
        rank_national: own.map(|s| s.rank_national).filter(|_| ranked),
        national_n,
        national_percentile: only(ranked, own.and_then(|s| s.national_percentile))
            .map(without_noise),
        deviation: if ranked { exact(clean_mean) } else { None },
        deviation_pct: only(relative, pct(minus(value, peer_mean), peer_mean)),
        change: if kpi.scale.numeric() && unbroken {
            exact(previous)
        } else {
            None
        },
        change_pct: only(relative && unbroken, pct(minus(value, previous), previous)),
        band: match own {
            None => "grey",
            Some(_) if !ranked => "none",
            Some(_) if few => "few",
            Some(s) => s.band,
        },
        position: own.map(|s| s.position).filter(|_| ranked && !few),
        few_values: few,
        group_value: extras.group_value.filter(|_| ranked),
        base_count: extras.base_count,
        // Unknown where the set names no count for the KPI, or Kolada has none.
        small_numbers: match (extras.base_count, extras.small_below) {
            (Some(count), Some(below)) => Some(count < below && value.is_some()),
            _ if value.is_none() => Some(false),
            _ => None,
        },
    }
}

/// The peers' figures for a KPI and year.
struct PeerFigures {
    n: u32,
    /// As exact as a double holds, for what is computed from it.
    mean: Option<f64>,
    /// To 12 digits, rounded in decimal: the figure shown.
    shown_mean: Option<f64>,
    median: Option<f64>,
    min: Option<f64>,
    max: Option<f64>,
    /// The municipality's rank among itself and its peers (ties share the better rank).
    rank: Option<u32>,
}

/// Statistics of the peers that have a value (never the municipality
/// itself), and the municipality's rank among itself and them.
fn peer_figures(
    national: &NationalRanks,
    kpi: &KpiPlan,
    year: i32,
    own: Option<&Standing>,
) -> PeerFigures {
    let peers: Vec<&Standing> = kpi
        .peers
        .members
        .iter()
        .filter_map(|id| national.standing(&kpi.id, year, id))
        .collect();
    let mut values: Vec<f64> = peers.iter().map(|s| s.value).collect();
    let n = values.len() as u32;
    // The mean as exact as a double holds (for the percentages computed
    // from it), and as shown: 12 digits, rounded in decimal.
    let plain = || (n > 0).then(|| values.iter().sum::<f64>() / f64::from(n));
    let mean = decimal_mean(&values, 17).or_else(plain);
    let shown_mean = decimal_mean(&values, 12).or_else(|| mean.map(without_noise));
    let min = values.iter().copied().min_by(f64::total_cmp);
    let max = values.iter().copied().max_by(f64::total_cmp);
    let median = quantile(&mut values, 0.5);
    let rank = own.map(|own| peers.iter().filter(|s| s.score > own.score).count() as u32 + 1);
    PeerFigures {
        n,
        mean,
        shown_mean,
        median,
        min,
        max,
        rank,
    }
}

/// The rows as the table's columns (see [`COLUMNS`]).
fn table(comparison: &Comparison, national: &NationalRanks, rows: &[Row]) -> Result<DataFrame> {
    let n = rows.len();
    let text = |f: &dyn Fn(&Row) -> String| rows.iter().map(f).collect::<Vec<String>>();
    let f64s = |f: &dyn Fn(&Row) -> Option<f64>| rows.iter().map(f).collect::<Vec<Option<f64>>>();
    let u32s = |f: &dyn Fn(&Row) -> Option<u32>| rows.iter().map(f).collect::<Vec<Option<u32>>>();
    let bools =
        |f: &dyn Fn(&Row) -> Option<bool>| rows.iter().map(f).collect::<Vec<Option<bool>>>();
    let none = vec![None::<String>; n];
    let m = comparison.municipality;
    let columns = vec![
        Column::new("kpi".into(), text(&|r| r.kpi.id.clone())),
        Column::new("kpi_title".into(), text(&|r| r.kpi.title.clone())),
        Column::new("municipality_id".into(), vec![m.id.as_str(); n]),
        Column::new("municipality".into(), vec![m.title.as_str(); n]),
        Column::new(
            "year".into(),
            rows.iter().map(|r| r.year).collect::<Vec<i32>>(),
        ),
        Column::new("gender".into(), vec![national.gender.code(); n]),
        Column::new("peer_group".into(), text(&|r| r.kpi.peers.label.clone())),
        Column::new("value".into(), f64s(&|r| r.value)),
        Column::new("peer_n".into(), u32s(&|r| Some(r.peer_n))),
        Column::new("peer_mean".into(), f64s(&|r| r.peer_mean)),
        Column::new("peer_median".into(), f64s(&|r| r.peer_median)),
        Column::new("peer_min".into(), f64s(&|r| r.peer_min)),
        Column::new("peer_max".into(), f64s(&|r| r.peer_max)),
        Column::new("rank_in_peers".into(), u32s(&|r| r.rank_in_peers)),
        Column::new("rank_national".into(), u32s(&|r| r.rank_national)),
        Column::new("national_n".into(), u32s(&|r| Some(r.national_n))),
        Column::new(
            "national_percentile".into(),
            f64s(&|r| r.national_percentile),
        ),
        Column::new("deviation_from_peer_mean".into(), f64s(&|r| r.deviation)),
        Column::new(
            "deviation_from_peer_mean_pct".into(),
            f64s(&|r| r.deviation_pct),
        ),
        Column::new("change_from_previous_year".into(), f64s(&|r| r.change)),
        Column::new(
            "change_from_previous_year_pct".into(),
            f64s(&|r| r.change_pct),
        ),
        Column::new("band".into(), text(&|r| r.band.to_string())),
        Column::new(
            "preliminary".into(),
            bools(&|r| Some(r.kpi.preliminary_year == Some(r.year))),
        ),
        Column::new("scale".into(), text(&|r| r.kpi.scale.name().to_string())),
        Column::new("unit".into(), text(&|r| r.kpi.unit.clone())),
        Column::new("value_label".into(), none.clone()),
        Column::new("peer_levels".into(), none.clone()),
        Column::new("national_levels".into(), none),
        Column::new(
            "series_break".into(),
            bools(&|r| Some(r.kpi.breaks_at(r.year))),
        ),
        Column::new(
            "direction".into(),
            text(&|r| r.kpi.direction.name().to_string()),
        ),
        Column::new(
            "position".into(),
            rows.iter()
                .map(|r| r.position)
                .collect::<Vec<Option<&str>>>(),
        ),
        Column::new("national_total".into(), vec![comparison.total as u32; n]),
        Column::new("few_values".into(), bools(&|r| Some(r.few_values))),
        Column::new("group_value".into(), f64s(&|r| r.group_value)),
        Column::new(
            "rolling_mean".into(),
            bools(&|r| Some(r.kpi.rolling.is_some())),
        ),
        Column::new("base_count".into(), f64s(&|r| r.base_count)),
        Column::new("small_numbers".into(), bools(&|r| r.small_numbers)),
    ];
    debug_assert_eq!(columns.len(), COLUMNS.len());
    Ok(DataFrame::new_infer_height(columns)?)
}

/// The KPIs of a comparison table (see [`COLUMNS`]) for which the source
/// has no figure at all in the years shown: no municipality in the country
/// has a value. Documents leave them out of their tables and say so, rather
/// than show a row of blanks.
pub(crate) fn kpis_without_figures(table: &DataFrame) -> Vec<String> {
    let cells = Cells(table);
    let mut seen: Vec<(String, bool)> = Vec::new();
    for row in 0..table.height() {
        let kpi = cells.text("kpi", row);
        let has =
            cells.f64("value", row).is_some() || cells.int("national_n", row).unwrap_or(0) > 0;
        match seen.iter_mut().find(|(k, _)| *k == kpi) {
            Some(entry) => entry.1 |= has,
            None => seen.push((kpi, has)),
        }
    }
    seen.into_iter()
        .filter(|(_, has)| !has)
        .map(|(k, _)| k)
        .collect()
}
