//! Doubts about a figure that the figures themselves show.
//!
//! **Volatile**: a change on the year before far beyond the municipality's
//! own history in the years shown: more than [`VOLATILE_TIMES`] times the
//! median size of its other changes (at least [`VOLATILE_HISTORY`] of
//! them), and at least [`VOLATILE_PERCENT`] % for an amount or
//! [`VOLATILE_POINTS`] points for a share. Årjäng's cost per home-care
//! user (N21006) 411k → 623k → 266k kr in 2018–2020 is one: +51 % and
//! −57 % where its other years move about 9 %.

use std::collections::HashMap;

use super::row::{ComparedRow, Volatile};
use crate::model::scale::Scale;

pub(crate) const VOLATILE_TIMES: f64 = 3.0;
pub(crate) const VOLATILE_HISTORY: usize = 3;
pub(crate) const VOLATILE_PERCENT: f64 = 20.0;
pub(crate) const VOLATILE_POINTS: f64 = 5.0;
/// A share's relative change counts only where it moved this many points:
/// 0,1 % → 0,3 % is +200 % and means nothing.
pub(crate) const VOLATILE_SHARE_POINTS: f64 = 2.0;

/// Mark each row whose change is far beyond its municipality's usual in
/// the KPI (`ComparedRow::volatile`): each series gathered in one pass, so
/// judging every row stays linear in the table.
pub(crate) fn mark_volatile(rows: &mut [ComparedRow]) {
    let mut by_series: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        by_series
            .entry((&row.kpi, &row.municipality_id))
            .or_default()
            .push(i);
    }
    let marks: Vec<(usize, Volatile)> = by_series
        .values()
        .flat_map(|series| {
            series
                .iter()
                .filter_map(|&i| volatile(rows, series, i).map(|mark| (i, mark)))
        })
        .collect();
    for (i, mark) in marks {
        rows[i].volatile = Some(mark);
    }
}

/// A row's change on the year before, in percent of the year before.
fn relative_change(row: &ComparedRow) -> Option<f64> {
    row.change_from_previous_year_pct.or_else(|| {
        let change = row.change_from_previous_year?;
        let before = row.value? - change;
        (before > 0.0).then(|| 100.0 * change / before)
    })
}

/// An amount is judged by its change in percent; a share by its change in
/// points, or in percent where it moved at least
/// [`VOLATILE_SHARE_POINTS`] (6,95 % → 2,87 % is −4,1 points but −59 %).
fn volatile(rows: &[ComparedRow], series: &[usize], at: usize) -> Option<Volatile> {
    let by_points = |r: &ComparedRow| r.change_from_previous_year;
    match rows[at].scale {
        Scale::Amount => judge(rows, series, at, relative_change, true),
        Scale::Percent | Scale::Signed => judge(rows, series, at, by_points, false).or_else(|| {
            let points = rows[at].change_from_previous_year?;
            if points.abs() < VOLATILE_SHARE_POINTS || rows[at].unit.trim() != "%" {
                return None;
            }
            judge(rows, series, at, relative_change, true)
        }),
        _ => None,
    }
}

/// Whether a row's change (by `change`) is more than [`VOLATILE_TIMES`]
/// the median size of the series' other changes (at least
/// [`VOLATILE_HISTORY`] of them) and at least the floor of its unit.
fn judge(
    rows: &[ComparedRow],
    series: &[usize],
    at: usize,
    change: fn(&ComparedRow) -> Option<f64>,
    percent: bool,
) -> Option<Volatile> {
    let this = &rows[at];
    let now = change(this)?;
    let mut others: Vec<f64> = series
        .iter()
        .filter(|&&i| i != at && rows[i].year != this.year)
        .filter_map(|&i| change(&rows[i]).map(f64::abs))
        .collect();
    if others.len() < VOLATILE_HISTORY {
        return None;
    }
    others.sort_by(f64::total_cmp);
    let middle = others.len() / 2;
    let typical = if others.len().is_multiple_of(2) {
        (others[middle - 1] + others[middle]) / 2.0
    } else {
        others[middle]
    };
    let floor = if percent {
        VOLATILE_PERCENT
    } else {
        VOLATILE_POINTS
    };
    (now.abs() > VOLATILE_TIMES * typical && now.abs() >= floor).then_some(Volatile {
        change: now,
        typical,
        percent,
    })
}

/// The counties whose adults answer Liv & Hälsa rather than the national
/// Hälsa på lika villkor (Kolada's description of the U014… survey
/// figures: "Uppsala, Sörmland, Västmanland, Värmland och Örebro (den sk.
/// CDUST-regionen) har Liv & Hälsa (LV) som datakälla … 18-84 år … år T.
/// Resten av landet … (HLV) … 16-84 år, avser år T-3 till T").
pub(crate) const LIV_OCH_HALSA: [&str; 5] = ["03", "04", "17", "18", "19"];

/// A survey figure from two sources by county: the description names both.
pub(crate) fn two_survey_sources(description: &str) -> bool {
    let text = description.to_lowercase();
    text.contains("liv & hälsa")
        && (text.contains("hälsa på lika villkor") || text.contains("(hlv)"))
}

/// Whether a municipality (by its code) answers Liv & Hälsa.
pub(crate) fn answers_liv_och_halsa(id: &str) -> bool {
    LIV_OCH_HALSA.iter().any(|county| id.starts_with(county))
}
