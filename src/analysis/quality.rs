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

use super::cells::Cells;

pub(crate) const VOLATILE_TIMES: f64 = 3.0;
pub(crate) const VOLATILE_HISTORY: usize = 3;
pub(crate) const VOLATILE_PERCENT: f64 = 20.0;
pub(crate) const VOLATILE_POINTS: f64 = 5.0;

/// One row's change on the year before, both ways it can be measured.
struct Change {
    row: usize,
    year: Option<i64>,
    percent: Option<f64>,
    points: Option<f64>,
}

/// Each municipality's changes per KPI in a comparison table, gathered in
/// one pass so that judging every row stays linear in the table.
pub(crate) struct Histories(HashMap<(String, String), Vec<Change>>);

impl Histories {
    pub(crate) fn of(cells: &Cells) -> Histories {
        let mut by_series: HashMap<(String, String), Vec<Change>> = HashMap::new();
        for row in 0..cells.0.height() {
            let series = (cells.text("kpi", row), cells.text("municipality_id", row));
            by_series.entry(series).or_default().push(Change {
                row,
                year: cells.int("year", row),
                percent: cells.f64("change_from_previous_year_pct", row),
                points: cells.f64("change_from_previous_year", row),
            });
        }
        Histories(by_series)
    }

    /// A change far beyond the municipality's usual: (this change, the
    /// median size of its other changes), in percent for an amount, else
    /// in the KPI's units.
    pub(crate) fn volatile(&self, cells: &Cells, row: usize) -> Option<(f64, f64)> {
        let relative = match cells.text("scale", row).as_str() {
            "amount" => true,
            "percent" | "signed" => false,
            _ => return None,
        };
        let change = |c: &Change| if relative { c.percent } else { c.points };
        let series = (cells.text("kpi", row), cells.text("municipality_id", row));
        let changes = self.0.get(&series)?;
        let this = changes.iter().find(|c| c.row == row)?;
        let now = change(this)?;
        let mut others: Vec<f64> = changes
            .iter()
            .filter(|c| c.row != row && c.year != this.year)
            .filter_map(|c| change(c).map(f64::abs))
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
        let floor = if relative {
            VOLATILE_PERCENT
        } else {
            VOLATILE_POINTS
        };
        (now.abs() > VOLATILE_TIMES * typical && now.abs() >= floor).then_some((now, typical))
    }
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
