//! The comparison: a municipality against its peers and the whole country,
//! computed on the national ranks.
//!
//! Definitions (also in the README):
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

use super::categories::label_categories;
use super::kpi::{Comparison, KpiPlan};
use super::national::{few_values, quantile, NationalRanks, Position, RankBand, Standing};
use super::quality::mark_volatile;
use super::table::{Table, Values};
use crate::base::text::{decimal_mean, difference, without_noise};
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
/// a row of the comparison table (see [`COLUMNS`], and the README's
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
    /// A change far beyond the municipality's own history in the table:
    /// (this change, its typical change); see `quality`. Not exported.
    pub volatile: Option<(f64, f64)>,
}

/// The comparison, one row per KPI and year (see [`ComparedRow`]), from
/// the set's national ranks.
pub(crate) fn compare(comparison: &Comparison, national: &NationalRanks) -> Vec<ComparedRow> {
    let mut years = comparison.years.to_vec();
    years.sort_unstable();
    let mut rows = Vec::new();
    for kpi in comparison.kpis {
        for &year in &years {
            rows.push(row(comparison, national, kpi, year));
        }
    }
    label_categories(comparison, &national.values, &mut rows);
    mark_volatile(&mut rows);
    rows
}

/// A KPI and year compared: the municipality's own figures and standing,
/// its peers' statistics (never the municipality itself) and its rank among
/// them, with what the KPI's scale allows of each (README, "Definitions"):
/// ranks and bands for ranked scales, means and differences for numbers,
/// relative differences for amounts, no change across a break or on a
/// moving mean.
fn row(comparison: &Comparison, national: &NationalRanks, kpi: &KpiPlan, year: i32) -> ComparedRow {
    let me = comparison.municipality;
    let own = national.standing(&kpi.id, year, &me.id);
    let value = own.map(|s| s.value);
    let previous = national
        .standing(&kpi.id, year - 1, &me.id)
        .map(|s| s.value);
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
    let key = (kpi.id.clone(), year);
    let counts = comparison.counts.get(&key);
    let base_count = counts.map(|(count, _)| *count);
    ComparedRow {
        kpi: kpi.id.clone(),
        kpi_title: kpi.title.clone(),
        municipality_id: me.id.clone(),
        municipality: me.title.clone(),
        year,
        gender: national.gender,
        peer_group: kpi.peers.label.clone(),
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
        deviation_from_peer_mean: if ranked { exact(clean_mean) } else { None },
        deviation_from_peer_mean_pct: only(relative, pct(minus(value, peer_mean), peer_mean)),
        change_from_previous_year: if kpi.scale.numeric() && unbroken {
            exact(previous)
        } else {
            None
        },
        change_from_previous_year_pct: only(
            relative && unbroken,
            pct(minus(value, previous), previous),
        ),
        band: band(own, ranked, few),
        preliminary: kpi.preliminary_year == Some(year),
        scale: kpi.scale,
        unit: kpi.unit.clone(),
        value_label: None,
        peer_levels: None,
        national_levels: None,
        series_break: kpi.breaks_at(year),
        direction: kpi.direction,
        position: own.map(|s| s.position).filter(|_| ranked && !few),
        national_total: comparison.total as u32,
        few_values: few,
        group_value: comparison
            .group_values
            .get(&key)
            .copied()
            .filter(|_| ranked),
        rolling_mean: kpi.rolling.is_some(),
        base_count,
        small_numbers: small_numbers(counts, value),
        volatile: None,
    }
}

/// The band of a place's standing, as the KPI's scale and coverage allow.
fn band(own: Option<&Standing>, ranked: bool, few: bool) -> RankBand {
    match own {
        None => RankBand::NoValue,
        Some(_) if !ranked => RankBand::Unbanded,
        Some(_) if few => RankBand::Few,
        Some(s) => s.band,
    }
}

/// Whether a figure rests on fewer people than the set's count allows:
/// unknown where the set names no count for the KPI, or Kolada has none.
fn small_numbers(counts: Option<&(f64, f64)>, value: Option<f64>) -> Option<bool> {
    match counts {
        Some((count, below)) => Some(*count < *below && value.is_some()),
        _ if value.is_none() => Some(false),
        _ => None,
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
