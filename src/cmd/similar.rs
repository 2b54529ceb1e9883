//! `nyckeltal similar MUNICIPALITY [--area AREA | --factors KPI[:WEIGHT],...] [--year Y] [-k 7]`
//! `nyckeltal similar MUNICIPALITY --check-peers P`
//!
//! The k municipalities most like this one by structural factors (each
//! standardised over the 290 municipalities, weighted Euclidean distance),
//! with the factors that make up most of each distance, set against RKA's
//! "Liknande kommuner" group for the area (members shared, Jaccard). With
//! `--check-peers`: how far each member of a peer group is, and its rank
//! among all 289 others.

use anyhow::Result;

use super::{open_source, progress};
use crate::catalogue::Catalogue;
use crate::error;
use crate::flags::{GlobalArgs, SimilarArgs};
use crate::frame::{table_frame, Cell, Kind};
use crate::peers;
use crate::refdata::RefData;
use crate::render::{emit, Target};
use crate::resolve;
use crate::similar::{factors_from_flag, standardise};

pub fn run(args: &SimilarArgs, global: &GlobalArgs) -> Result<()> {
    let target = Target::from_flags(&args.output)?;
    let refdata = RefData::new(global.data_dir.clone());
    let source = open_source(global)?;
    let catalogue = Catalogue::new(source.as_ref());
    let municipality = resolve::municipality(&args.municipality, &catalogue)?;
    if !municipality.is_kommun() {
        return Err(error::usage(format!(
            "{} is not a municipality; give one of the 290",
            municipality.title
        )));
    }
    let others = catalogue.kommuner()?.len() - 1;
    if args.k == 0 || args.k > others {
        return Err(error::usage(format!(
            "-k {} is out of range; give 1 to {others}",
            args.k
        )));
    }
    let set = match &args.factors {
        Some(text) => factors_from_flag(text, &catalogue)?,
        None => refdata.factor_set(args.area.as_deref().unwrap_or("övergripande"))?,
    };
    set.check(&catalogue)?;
    let bar = progress(global, "fetching factors");
    let result = standardise(&catalogue, &set, args.year, bar.as_ref());
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let (year, standardised) = result?;
    let me = standardised
        .index(&municipality.id)
        .expect("every municipality has a row");
    let ranking = standardised.ranking(me);
    let name = |index: usize| -> Result<String> {
        let id = &standardised.ids[index];
        Ok(catalogue.name(id))
    };
    let top: Vec<&str> = ranking
        .iter()
        .take(args.k)
        .map(|n| standardised.ids[n.index].as_str())
        .collect();

    // RKA's group for the area, when the factors belong to one.
    let rka = match &set.area {
        Some(area) => resolve::similar_group(municipality, area, &catalogue).ok(),
        None => None,
    };
    let rka_members: Vec<&str> = rka
        .map(|g| g.members.iter().map(|m| m.member_id.as_str()).collect())
        .unwrap_or_default();

    let mut footer = vec![format!(
        "Factors ({year}, {}): {}",
        set.origin.path,
        set.factors
            .iter()
            .map(|f| format!("{} {} ×{}", f.kpi, f.label, f.weight))
            .collect::<Vec<_>>()
            .join("; ")
    )];
    let mut frame = match &args.check_peers {
        Some(spec) => {
            let peers = peers::resolve(
                spec,
                municipality,
                set.area.as_deref(),
                &catalogue,
                &refdata,
            )?;
            let mut rows = Vec::new();
            for id in &peers.members {
                let Some(place) = ranking
                    .iter()
                    .position(|n| &standardised.ids[n.index] == id)
                else {
                    rows.push(vec![
                        Cell::from(id),
                        Cell::from(name_of(&catalogue, id)?),
                        Cell::Int(None),
                        Cell::Float(None),
                        Cell::from("no figures"),
                        Cell::from(false),
                    ]);
                    continue;
                };
                let n = &ranking[place];
                rows.push(vec![
                    Cell::from(id),
                    Cell::from(name(n.index)?),
                    Cell::from(place + 1),
                    Cell::from(rounded_distance(n.distance)),
                    Cell::from(standardised.explain(&n.shares, 3)),
                    Cell::from(place < args.k),
                ]);
            }
            footer.insert(
                0,
                format!(
                    "Peers checked: {}; rank among all {} others, 1 = most similar",
                    peers.label,
                    ranking.len()
                ),
            );
            table_frame(
                &[
                    ("municipality_id", Kind::Text),
                    ("municipality", Kind::Text),
                    ("rank", Kind::Int),
                    ("distance", Kind::Float),
                    ("main_differences", Kind::Text),
                    ("in_top_k", Kind::Bool),
                ],
                rows,
            )?
        }
        None => {
            let mut rows = Vec::new();
            for (place, n) in ranking.iter().take(args.k).enumerate() {
                let id = &standardised.ids[n.index];
                rows.push(vec![
                    Cell::from(place + 1),
                    Cell::from(id),
                    Cell::from(name(n.index)?),
                    Cell::from(rounded_distance(n.distance)),
                    Cell::from(standardised.explain(&n.shares, 3)),
                    Cell::from(rka_members.contains(&id.as_str())),
                ]);
            }
            if let Some(group) = rka {
                let shared: Vec<String> = top
                    .iter()
                    .filter(|id| rka_members.contains(id))
                    .map(|id| name_of(&catalogue, id))
                    .collect::<Result<_>>()?;
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
            table_frame(
                &[
                    ("rank", Kind::Int),
                    ("municipality_id", Kind::Text),
                    ("municipality", Kind::Text),
                    ("distance", Kind::Float),
                    ("main_differences", Kind::Text),
                    ("in_rka_group", Kind::Bool),
                ],
                rows,
            )?
        }
    };
    footer.push(format!(
        "Method: each factor as a z-score over the 290 municipalities, weighted Euclidean distance; \
         main_differences = the factors' shares of the squared distance to {}",
        municipality.title
    ));
    footer.push("Källa: Kolada. Bearbetning: nyckeltal".to_string());
    emit(&mut frame, &target, &footer)
}

/// Distances to three decimals (the README's documented precision): they
/// rank, and more digits would only look more certain than they are.
fn rounded_distance(distance: f64) -> f64 {
    (distance * 1000.0).round() / 1000.0
}

fn name_of(catalogue: &Catalogue, id: &str) -> Result<String> {
    Ok(catalogue
        .municipality(id)?
        .map_or(id.to_string(), |m| m.title.clone()))
}
