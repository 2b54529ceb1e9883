//! The municipalities most like one by structural factors (each
//! standardised over the 290 municipalities, weighted Euclidean distance),
//! with the factors that make up most of each distance, set against RKA's
//! "Liknande kommuner" group for the area (members shared, Jaccard); or how
//! far each member of a given peer group is.

use anyhow::Result;

use super::factors::standardised;
use super::peers::resolve_peers;
use super::Context;
use crate::analysis::similar::{Neighbour, Standardised};
use crate::analysis::table::{table_of, Cell, Kind, Table};
use crate::base::error;
use crate::document::words::ATTRIBUTION;
use crate::model::Municipality;
use crate::refdata::FactorSet;
use crate::resolve::areas::similar_group;
use crate::resolve::kpis::{check_factors, factors_from_flag};
use crate::resolve::places::municipality;

/// What `similar` was asked.
pub(crate) struct Asked<'a> {
    pub municipality: &'a str,
    pub area: Option<&'a str>,
    pub factors: Option<&'a str>,
    pub year: Option<i32>,
    pub k: usize,
    pub check_peers: Option<&'a str>,
}

/// The table `similar` shows, and the lines under it.
pub(crate) fn similar(asked: &Asked, cx: &Context) -> Result<(Table, Vec<String>)> {
    let catalogue = cx.catalogue;
    let municipality = municipality(asked.municipality, catalogue)?;
    if !municipality.is_kommun() {
        return Err(error::usage(format!(
            "{} is not a municipality; give one of the 290",
            municipality.title
        )));
    }
    let others = catalogue.kommuner()?.len() - 1;
    if asked.k == 0 || asked.k > others {
        return Err(error::usage(format!(
            "-k {} is out of range; give 1 to {others}",
            asked.k
        )));
    }
    let set = match asked.factors {
        Some(text) => factors_from_flag(text, catalogue)?,
        None => cx
            .refdata
            .factor_set(asked.area.unwrap_or("övergripande"))?,
    };
    check_factors(&set, catalogue)?;
    let (year, standardised) = standardised(&set, asked.year, cx)?;
    let me = standardised.index(&municipality.id).ok_or_else(|| {
        error::not_found(format!(
            "{} has no row among the similarity figures",
            municipality.title
        ))
    })?;
    let ranking = standardised.ranking(me);
    let mut footer = vec![format!(
        "Factors ({year}, {}): {}",
        set.origin.path,
        set.factors
            .iter()
            .map(|f| format!("{} {} ×{}", f.kpi, f.label, f.weight))
            .collect::<Vec<_>>()
            .join("; ")
    )];
    let found = Found {
        municipality,
        set: &set,
        standardised: &standardised,
        ranking: &ranking,
        k: asked.k,
    };
    let frame = match asked.check_peers {
        Some(spec) => found.check_peers(spec, &mut footer, cx)?,
        None => found.nearest(&mut footer, cx)?,
    };
    footer.push(format!(
        "Method: each factor as a z-score over the 290 municipalities, weighted Euclidean distance; \
         main_differences = the factors' shares of the squared distance to {}",
        municipality.title
    ));
    footer.push(ATTRIBUTION.to_string());
    Ok((frame, footer))
}

/// Everybody ranked by distance to one municipality.
struct Found<'a> {
    municipality: &'a Municipality,
    set: &'a FactorSet,
    standardised: &'a Standardised,
    ranking: &'a [Neighbour],
    k: usize,
}

impl Found<'_> {
    /// The k nearest, and how many RKA's group for the area shares.
    fn nearest(&self, footer: &mut Vec<String>, cx: &Context) -> Result<Table> {
        let catalogue = cx.catalogue;
        let ids = &self.standardised.ids;
        let rka = match &self.set.area {
            Some(area) => similar_group(self.municipality, area, catalogue).ok(),
            None => None,
        };
        let rka_members: Vec<&str> = rka
            .map(|g| g.members.iter().map(|m| m.member_id.as_str()).collect())
            .unwrap_or_default();
        let mut rows = Vec::new();
        for (place, n) in self.ranking.iter().take(self.k).enumerate() {
            let id = &ids[n.index];
            rows.push(vec![
                Cell::from(place + 1),
                Cell::from(id),
                Cell::from(catalogue.name(id)),
                Cell::from(rounded_distance(n.distance)),
                Cell::from(self.standardised.explain(&n.shares, 3)),
                Cell::from(rka_members.contains(&id.as_str())),
            ]);
        }
        if let Some(group) = rka {
            let top: Vec<&str> = self
                .ranking
                .iter()
                .take(self.k)
                .map(|n| ids[n.index].as_str())
                .collect();
            let shared: Vec<String> = top
                .iter()
                .filter(|id| rka_members.contains(id))
                .map(|id| catalogue.name(id))
                .collect();
            let union = top.len() + rka_members.len() - shared.len();
            footer.push(format!(
                "RKA's {} {}: {} of {} shared{}; Jaccard {:.2}",
                group.id,
                group.title,
                shared.len(),
                rka_members.len(),
                if shared.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", shared.join(", "))
                },
                shared.len() as f64 / union as f64
            ));
        }
        table_of(
            &[
                ("rank", Kind::Int),
                ("municipality_id", Kind::Text),
                ("municipality", Kind::Text),
                ("distance", Kind::Float),
                ("main_differences", Kind::Text),
                ("in_rka_group", Kind::Bool),
            ],
            rows,
        )
    }

    /// How far each member of a peer group is, and its rank among all others.
    fn check_peers(&self, spec: &str, footer: &mut Vec<String>, cx: &Context) -> Result<Table> {
        let catalogue = cx.catalogue;
        let peers = resolve_peers(spec, self.municipality, self.set.area.as_deref(), cx)?;
        let mut rows = Vec::new();
        for id in &peers.members {
            let Some(place) = self
                .ranking
                .iter()
                .position(|n| &self.standardised.ids[n.index] == id)
            else {
                rows.push(vec![
                    Cell::from(id),
                    Cell::from(catalogue.name(id)),
                    Cell::Int(None),
                    Cell::Float(None),
                    Cell::from("no figures"),
                    Cell::from(false),
                ]);
                continue;
            };
            let n = &self.ranking[place];
            rows.push(vec![
                Cell::from(id),
                Cell::from(catalogue.name(id)),
                Cell::from(place + 1),
                Cell::from(rounded_distance(n.distance)),
                Cell::from(self.standardised.explain(&n.shares, 3)),
                Cell::from(place < self.k),
            ]);
        }
        footer.insert(
            0,
            format!(
                "Peers checked: {}; rank among all {} others, 1 = most similar",
                peers.label,
                self.ranking.len()
            ),
        );
        table_of(
            &[
                ("municipality_id", Kind::Text),
                ("municipality", Kind::Text),
                ("rank", Kind::Int),
                ("distance", Kind::Float),
                ("main_differences", Kind::Text),
                ("in_top_k", Kind::Bool),
            ],
            rows,
        )
    }
}

/// Distances to three decimals (the precision documented in docs/readings-and-scales.md): they
/// rank, and more digits would only look more certain than they are.
fn rounded_distance(distance: f64) -> f64 {
    (distance * 1000.0).round() / 1000.0
}
