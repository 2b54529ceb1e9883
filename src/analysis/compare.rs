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

use super::categories::label_categories;
use super::kpi::{BaseCount, Comparison, KpiPlan};
use super::national::{few_values, quantile, NationalRanks, RankBand, Standing};
use super::quality::{answers_liv_och_halsa, mark_volatile, two_survey_sources};
use super::row::ComparedRow;
use crate::base::text::{decimal_mean, difference, without_noise};

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
/// them, with what the KPI's scale allows of each (docs/readings-and-scales.md, "Definitions"):
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
    let in_country = ranked && placed_in_country(kpi, national, year);
    let only = |allowed: bool, figure: Option<f64>| figure.filter(|_| allowed);
    let minus = |a: Option<f64>, b: Option<f64>| a.zip(b).map(|(a, b)| a - b);
    let peer_mean = only(ranked, peers.mean);
    let clean_mean = only(ranked, peers.shown_mean);
    let exact = |base: Option<f64>| value.zip(base).map(|(v, b)| difference(b, v));
    let key = (kpi.id.clone(), year);
    let counts = comparison.counts.get(&key);
    // The count of the year itself; another year's only flags small numbers.
    let base_count = counts.filter(|c| c.year == year).map(|c| c.count);
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
        rank_national: own.map(|s| s.rank_national).filter(|_| in_country),
        national_n,
        national_percentile: only(in_country, own.and_then(|s| s.national_percentile))
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
        band: band(own, in_country, few),
        preliminary: kpi.preliminary_year == Some(year),
        scale: kpi.scale,
        unit: kpi.unit.clone(),
        value_label: None,
        peer_levels: None,
        national_levels: None,
        series_break: kpi.breaks_at(year),
        direction: kpi.direction,
        position: own.map(|s| s.position).filter(|_| in_country && !few),
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
        count_from: counts.filter(|c| c.year != year).map(|c| c.year),
        volatile: None,
    }
}

/// Whether a KPI's figures of a year may be ranked and coloured in the
/// country: not where the places with a figure answer two surveys (Liv &
/// Hälsa in five counties, HLV in the rest: other ages, other years),
/// whose rank would set one survey against the other.
fn placed_in_country(kpi: &KpiPlan, national: &NationalRanks, year: i32) -> bool {
    if !two_survey_sources(&kpi.description) {
        return true;
    }
    let (mut lh, mut hlv) = (false, false);
    for place in national.places(&kpi.id, year) {
        if answers_liv_och_halsa(place) {
            lh = true;
        } else {
            hlv = true;
        }
    }
    !(lh && hlv)
}

/// A share of a base that is above zero, in percent; empty otherwise.
fn pct(part: Option<f64>, base: Option<f64>) -> Option<f64> {
    match (part, base) {
        (Some(part), Some(base)) if base > 0.0 => Some(without_noise(part * 100.0 / base)),
        _ => None,
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
fn small_numbers(counts: Option<&BaseCount>, value: Option<f64>) -> Option<bool> {
    match counts {
        Some(c) => Some(c.count < c.below && value.is_some()),
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
