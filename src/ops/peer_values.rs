//! Each peer's own figures for the pack (`peers.csv`, the workbook's
//! peers sheet) and `compare`'s workbook, read from the figures the
//! comparison already fetched to rank every municipality: nothing is
//! fetched again.

use std::collections::HashMap;

use super::plan::Figures;
use super::Context;
use crate::analysis::kpi::KpiPlan;
use crate::analysis::national::value_rows;
use crate::document::peer_values::{PeerPlace, PeerValues};
use crate::model::peers::Peers;
use crate::model::Municipality;

/// Whose figures to read for a set.
pub(crate) struct Asked<'a> {
    /// The set's name, as data.csv's `set`.
    pub set: &'a str,
    /// The set's KPIs (as the first comparison plans them).
    pub kpis: &'a [KpiPlan],
    /// The municipality reviewed; none for a network, whose members are the group.
    pub own: Option<&'a Municipality>,
    /// Per KPI, the groups it is compared with, each once.
    pub groups: &'a dyn Fn(&KpiPlan) -> Vec<Peers>,
    /// The set's figures (one per plan: municipalities, regions).
    pub figures: &'a [Figures],
}

/// Per KPI with any figure: the municipality reviewed, then every member
/// of each group in the group's order (a member of two groups once, with
/// both), each with its figure in every year of the comparison.
pub(crate) fn peer_values(asked: &Asked, cx: &Context) -> Vec<PeerValues> {
    let values: HashMap<(&str, &str, i32), f64> = asked
        .figures
        .iter()
        .flat_map(|f| value_rows(&f.national.values))
        .map(|(kpi, id, year, value)| ((kpi, id, year), value))
        .collect();
    let mut years: Vec<i32> = asked
        .figures
        .iter()
        .flat_map(|f| f.years.iter().copied())
        .collect();
    years.sort_unstable();
    years.dedup();
    let mut out = Vec::new();
    for kpi in asked.kpis {
        let series = |id: &str| -> Vec<Option<f64>> {
            years
                .iter()
                .map(|y| values.get(&(kpi.id.as_str(), id, *y)).copied())
                .collect()
        };
        let mut places: Vec<PeerPlace> = Vec::new();
        if let Some(own) = asked.own {
            places.push(PeerPlace {
                id: own.id.clone(),
                name: own.title.clone(),
                groups: Vec::new(),
                values: series(&own.id),
            });
        }
        for group in (asked.groups)(kpi) {
            for member in &group.members {
                let listed = places
                    .iter_mut()
                    .find(|p| p.id == *member && !p.groups.is_empty());
                match listed {
                    Some(place) => place.groups.push(group.clone()),
                    None => places.push(PeerPlace {
                        id: member.clone(),
                        name: cx.catalogue.name(member),
                        groups: vec![group.clone()],
                        values: series(member),
                    }),
                }
            }
        }
        if places.iter().all(|p| p.values.iter().all(Option::is_none)) {
            continue;
        }
        out.push(PeerValues {
            set: asked.set.to_string(),
            kpi: kpi.clone(),
            years: years.clone(),
            places,
        });
    }
    out
}

/// Each group once, by its label, in the order given.
pub(crate) fn distinct(groups: impl IntoIterator<Item = Peers>) -> Vec<Peers> {
    let mut out: Vec<Peers> = Vec::new();
    for group in groups {
        if !out.iter().any(|g| g.label == group.label) {
            out.push(group);
        }
    }
    out
}
