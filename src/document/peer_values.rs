//! Each peer's own figures, as the pack lists them: per set and KPI the
//! municipality reviewed and every member of each of its peer groups (a
//! network's members, whose group is the network), a figure per year. The
//! workbook lays them out a row per place; `peers.csv` holds them tidy, a
//! row per place, group and year.

use anyhow::Result;

use super::reading::decimals;
use crate::analysis::kpi::KpiPlan;
use crate::analysis::table::{table_of, Cell, Kind, Table};
use crate::model::peers::Peers;

/// One KPI of a set: the places compared and their figures.
#[derive(Debug, Clone)]
pub(crate) struct PeerValues {
    /// The set's name (`aldreomsorg-kostnad`), as data.csv's `set`.
    pub set: String,
    pub kpi: KpiPlan,
    /// The years of the figures, in order.
    pub years: Vec<i32>,
    /// The municipality reviewed first, then each group's members.
    pub places: Vec<PeerPlace>,
}

/// A place and its figures.
#[derive(Debug, Clone)]
pub(crate) struct PeerPlace {
    pub id: String,
    pub name: String,
    /// The groups it is a member of; none for the municipality reviewed.
    pub groups: Vec<Peers>,
    /// Its figure in each of the years, `None` where it has none.
    pub values: Vec<Option<f64>>,
}

impl PeerValues {
    /// Decimals as the set's sheet shows the KPI: from the reviewed
    /// municipality's figures (every place's when it has none or there is
    /// no one reviewed).
    pub(crate) fn decimals(&self) -> usize {
        let of = |places: &mut dyn Iterator<Item = &PeerPlace>| -> Vec<f64> {
            places
                .flat_map(|p| p.values.iter().flatten().copied())
                .collect()
        };
        let own = of(&mut self.places.iter().filter(|p| p.groups.is_empty()));
        if own.is_empty() {
            decimals(of(&mut self.places.iter()))
        } else {
            decimals(own)
        }
    }

    /// The years any place has a figure in.
    pub(crate) fn years_with_figures(&self) -> Vec<i32> {
        self.years
            .iter()
            .enumerate()
            .filter(|(i, _)| self.places.iter().any(|p| p.values[*i].is_some()))
            .map(|(_, year)| *year)
            .collect()
    }
}

/// `peers.csv`'s columns.
const COLUMNS: [(&str, Kind); 7] = [
    ("set", Kind::Text),
    ("kpi", Kind::Text),
    ("municipality_id", Kind::Text),
    ("municipality", Kind::Text),
    ("group", Kind::Text),
    ("year", Kind::Int),
    ("value", Kind::Float),
];

/// `peers.csv`: a row per place, group and year with a figure. A place in
/// two groups has its rows in each, so a filter on `group` gives exactly
/// that group's members (the same label as data.csv's `peer_group`); the
/// municipality reviewed names no group.
pub(crate) fn tidy(all: &[PeerValues]) -> Result<Table> {
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for kpi in all {
        for place in &kpi.places {
            let groups: Vec<Option<&str>> = if place.groups.is_empty() {
                vec![None]
            } else {
                place
                    .groups
                    .iter()
                    .map(|g| Some(g.label.as_str()))
                    .collect()
            };
            for group in groups {
                for (year, value) in kpi.years.iter().zip(&place.values) {
                    let Some(value) = value else { continue };
                    rows.push(vec![
                        kpi.set.as_str().into(),
                        kpi.kpi.id.as_str().into(),
                        place.id.as_str().into(),
                        place.name.as_str().into(),
                        group.map(str::to_string).into(),
                        i64::from(*year).into(),
                        (*value).into(),
                    ]);
                }
            }
        }
    }
    table_of(&COLUMNS, rows)
}
