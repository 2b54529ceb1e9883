//! Figures as Kolada sends them: one value of one KPI for one place (or
//! group) in one year and gender.

use serde::{Deserialize, Serialize};

/// Kolada's gender split: `T` total, `K` women, `M` men.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub(crate) enum Gender {
    T,
    K,
    M,
}

impl Gender {
    pub(crate) fn code(self) -> &'static str {
        match self {
            Gender::T => "T",
            Gender::K => "K",
            Gender::M => "M",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<Gender> {
        match text.trim() {
            "T" | "t" => Some(Gender::T),
            "K" | "k" => Some(Gender::K),
            "M" | "m" => Some(Gender::M),
            _ => None,
        }
    }
}

/// The largest magnitude a figure may have. Kolada's largest figures are
/// national totals in kronor (about 10¹²); anything beyond 10¹⁵ is a
/// damaged answer or file, and would overflow a chart's axis.
pub(crate) const LARGEST_FIGURE: f64 = 1e15;

/// Whether a figure is a number of a sane size.
pub(crate) fn plausible_figure(value: f64) -> bool {
    value.is_finite() && value.abs() <= LARGEST_FIGURE
}

/// One value of one KPI for one municipality (or region, or group) in one
/// year and gender, exactly as Kolada sent it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Observation {
    pub kpi: String,
    /// Municipality, region or group id.
    pub entity: String,
    pub year: i32,
    pub gender: Gender,
    pub value: Option<f64>,
    /// For a group: how many members contributed to the mean.
    pub count: Option<u32>,
    /// Kolada's status field, kept uninterpreted.
    pub status: String,
}

impl Observation {
    /// Sort key that puts the rows in the order every output uses.
    pub(crate) fn order_key(&self) -> (&str, &str, i32, Gender) {
        (&self.kpi, &self.entity, self.year, self.gender)
    }
}

/// Observations in the order every output uses: KPI, place, year, gender.
pub(crate) fn sort_observations(observations: &mut [Observation]) {
    observations.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
}
