//! Gaps over the years, as the documents lay them out: the years a
//! section has figures in, each KPI's row per place and year, the places
//! of a KPI, and the one figure a narrow cell has room for.

use super::reading::Shown;
use super::review::Section;

/// The years of a section that have any figure, in order.
pub(crate) fn years(section: &Section) -> Vec<i64> {
    let mut years: Vec<i64> = section
        .table
        .iter()
        .filter(|r| r.value.is_some())
        .map(|r| i64::from(r.year))
        .collect();
    years.sort_unstable();
    years.dedup();
    years
}

/// The row of a KPI (for one municipality) in a year.
pub(crate) fn row_in(section: &Section, kpi: &str, place: &str, year: i64) -> Option<usize> {
    section
        .table
        .iter()
        .position(|r| r.kpi == kpi && i64::from(r.year) == year && r.municipality_id == place)
}

/// The places of a KPI's rows: (id, name), in table order.
pub(crate) fn members(section: &Section, kpi: &str) -> Vec<(String, String)> {
    let mut members: Vec<(String, String)> = Vec::new();
    for row in section.table.iter().filter(|r| r.kpi == kpi) {
        let member = (row.municipality_id.clone(), row.municipality.clone());
        if !members.contains(&member) {
            members.push(member);
        }
    }
    members
}

/// The first of two figures ("-15,6 %" of "-15,6 % (-4 321 kr)"): a
/// narrow cell has room for one.
pub(crate) fn first(shown: &Shown) -> &Shown {
    match shown {
        Shown::Both(a, _) => a,
        other => other,
    }
}
