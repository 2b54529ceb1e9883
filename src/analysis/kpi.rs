//! What a comparison needs besides the figures: each KPI with its label,
//! unit, direction, scale, breaks and peers; the bands; the municipality
//! and the years.

use crate::model::lang::Lang;
use crate::model::peers::Peers;
use crate::model::scale::{Direction, Scale};
use crate::model::Municipality;

/// One KPI as a set compares it, for any municipality: Kolada's id and
/// title, the set's label, unit, direction, scale and breaks.
#[derive(Debug, Clone)]
pub(crate) struct KpiSpec {
    pub id: String,
    pub title: String,
    /// Kolada's definition of the KPI (its catalogue description).
    pub description: String,
    pub label: String,
    /// The label in English, when the set gives one.
    pub label_en: Option<String>,
    pub unit: String,
    pub direction: Direction,
    pub scale: Scale,
    /// Whether the scale was read from Kolada's title (a guess the values check).
    pub inferred: bool,
    /// First years of a new method: no change is computed across them.
    pub breaks: Vec<i32>,
    /// For a category: the label of each code (index = code).
    pub levels: Vec<String>,
    /// Kolada's "Liknande kommuner" area for `--peers auto`.
    pub area: Option<String>,
    /// The latest year Kolada had published when the catalogue was read,
    /// and when its figures become final.
    pub latest_published: Option<i32>,
    pub final_publication: Option<chrono::NaiveDate>,
    /// The latest year published, when it was still preliminary on the day
    /// the figures were fetched.
    pub preliminary_year: Option<i32>,
    /// The day the figures were fetched is unknown (a copied folder), so
    /// whether the latest year was preliminary cannot be told.
    pub fetch_unknown: bool,
    /// A moving mean over this many years ("3-årsm"): no change on it.
    pub rolling: Option<u32>,
    /// For a total: the KPI of the set that compares municipalities of
    /// different sizes.
    pub relative: Option<String>,
    /// A Kolada count of the people the figure rests on, with the count
    /// under which it is flagged, and the count's title.
    pub small: Option<(String, f64, String)>,
}

/// One KPI of a comparison: the set's KPI and the municipality's peers for it.
#[derive(Debug, Clone)]
pub(crate) struct KpiPlan {
    pub spec: KpiSpec,
    pub peers: Peers,
}

/// A comparison's KPI reads as the set's KPI (`kpi.id`, `kpi.scale`, …).
impl std::ops::Deref for KpiPlan {
    type Target = KpiSpec;

    fn deref(&self) -> &KpiSpec {
        &self.spec
    }
}

impl KpiSpec {
    /// The label in the documents' language (the Swedish one when the set
    /// has no other).
    pub(crate) fn label_in(&self, lang: Lang) -> &str {
        match (lang, &self.label_en) {
            (Lang::En, Some(label)) => label,
            _ => &self.label,
        }
    }

    /// Whether differences are percentage points (a percent, or a signed figure in %).
    pub(crate) fn in_points(&self) -> bool {
        self.scale == Scale::Percent || (self.scale == Scale::Signed && self.unit.trim() == "%")
    }

    /// Whether `year` starts a new method (its change from the year before is not computed).
    pub(crate) fn breaks_at(&self, year: i32) -> bool {
        self.breaks.contains(&year)
    }

    /// The label of a category's value; `None` for other scales or an unknown code.
    pub(crate) fn level_label(&self, value: f64) -> Option<&str> {
        if self.scale != Scale::Category || value.fract() != 0.0 || value < 0.0 {
            return None;
        }
        self.levels.get(value as usize).map(String::as_str)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bands {
    Quartiles,
    Thirds,
}

impl Bands {
    pub(crate) fn share(self) -> f64 {
        match self {
            Bands::Quartiles => 0.25,
            Bands::Thirds => 1.0 / 3.0,
        }
    }
}

/// One municipality against its peers, KPI by KPI, in the years to report
/// (the year before the first is used for changes).
pub(crate) struct Comparison<'a> {
    pub municipality: &'a Municipality,
    pub years: &'a [i32],
    pub kpis: &'a [KpiPlan],
    /// How many places are ranked among: 290 municipalities or 21 regions.
    pub total: usize,
    /// Kolada's own value of the peer group, per KPI and year, where the
    /// peers are a Kolada group the municipality was left out of.
    pub group_values: ByKpiYear<f64>,
    /// The count each figure rests on, where the set names one, per KPI
    /// and year.
    pub counts: ByKpiYear<BaseCount>,
}

/// The count a figure rests on and the count under which it is flagged.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct BaseCount {
    pub count: f64,
    pub below: f64,
    /// The count's year: the figure's own, or the nearest year Kolada has
    /// a count for when the figure's own year has none.
    pub year: i32,
}

/// Figures per (KPI, year).
pub(crate) type ByKpiYear<T> = std::collections::HashMap<(String, i32), T>;
