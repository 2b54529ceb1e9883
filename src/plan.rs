//! What a comparison needs before any figure is computed: the municipality,
//! its KPIs with labels, directions and peers, the years, and the figures
//! of all 290 municipalities (national ranks need everybody).

use std::collections::HashMap;

use anyhow::Result;

use crate::analysis::{Bands, Comparison, KpiPlan};
use crate::catalogue::Catalogue;
use crate::error;
use crate::flags::GlobalArgs;
use crate::model::{Gender, Municipality, Observation};
use crate::peers::{self, Peers};
use crate::progress::fetch_values;
use crate::refdata::{Direction, RefData, Scale, SetEntry};
use crate::resolve;
use crate::source::ValueQuery;

/// What was asked for.
pub struct Request<'a> {
    pub municipality: &'a str,
    /// An indicator set by name or path…
    pub set: Option<&'a str>,
    /// …or KPI ids.
    pub kpis: Option<&'a str>,
    pub peers: &'a str,
    /// Years to report; `None` for the latest `default_years` with figures.
    pub years: Option<Vec<i32>>,
    pub default_years: usize,
    pub gender: Gender,
}

pub struct Plan {
    pub municipality: Municipality,
    /// The set's name and title, when a set was asked for.
    pub set: Option<(String, String)>,
    pub kpis: Vec<KpiPlan>,
    pub years: Vec<i32>,
    /// All municipalities' figures for the years and the year before.
    pub observations: Vec<Observation>,
}

impl Plan {
    /// The comparison to compute for this plan.
    pub fn comparison(&self, gender: Gender, bands: Bands) -> Comparison<'_> {
        Comparison {
            municipality: &self.municipality,
            gender,
            years: self.years.clone(),
            kpis: self.kpis.clone(),
            bands,
        }
    }

    /// The figures as the analysis takes them.
    pub fn values(&self, gender: Gender) -> Result<polars::prelude::DataFrame> {
        crate::analysis::values_frame(&self.observations, gender)
    }
}

pub fn plan(
    request: &Request,
    catalogue: &Catalogue,
    refdata: &RefData,
    global: &GlobalArgs,
) -> Result<Plan> {
    let municipality = resolve::municipality(request.municipality, catalogue)?.clone();
    // A municipality is ranked among the 290, a region among the 21.
    let region = municipality.is_region();
    if !municipality.is_kommun() && !region {
        return Err(error::usage(format!(
            "{} ({}) is neither a municipality nor a region; comparisons rank the 290 municipalities or the 21 regions, so give one of them",
            municipality.title, municipality.id
        )));
    }
    let (set, entries) = match (request.set, request.kpis) {
        (Some(name), _) => {
            let set = refdata.set(name)?;
            set.check(catalogue)?;
            if set.level == crate::refdata::Level::Region && !region {
                return Err(error::usage(format!(
                    "the set {} holds figures Kolada publishes for regions: compare a region, e.g. compare \"Region Värmland\" --set {}",
                    set.name, set.name
                )));
            }
            (Some((set.name.clone(), set.title.clone())), set.entries)
        }
        (None, Some(ids)) => (
            None,
            entries_for_ids(&resolve::kpi_ids(ids, catalogue)?, catalogue, refdata)?,
        ),
        (None, None) => return Err(error::usage("give --set NAME or --kpi IDS")),
    };

    let today = chrono::Local::now().date_naive();
    let mut peers_by_area: HashMap<Option<String>, Peers> = HashMap::new();
    let mut kpis = Vec::new();
    let mut inferred = Vec::new();
    for entry in &entries {
        let kpi = catalogue.kpi(&entry.kpi)?.expect("checked above");
        if !region && !kpi.for_municipalities() {
            return Err(error::usage(format!(
                "{} ({}) is published for regions only, not for municipalities; leave it out, or compare a region (\"Region Värmland\")",
                kpi.id, kpi.title
            )));
        }
        if region && !kpi.for_regions() {
            return Err(error::usage(format!(
                "{} ({}) is published for municipalities only, not for regions; leave it out, or compare a municipality",
                kpi.id, kpi.title
            )));
        }
        let peers = match peers_by_area.get(&entry.area) {
            Some(peers) => peers.clone(),
            None => {
                let peers = if region && request.peers.trim() == "auto" {
                    // Kolada has no groups of similar regions: the others.
                    other_regions(&municipality, catalogue)?
                } else {
                    peers::resolve(
                        request.peers,
                        &municipality,
                        entry.area.as_deref(),
                        catalogue,
                        refdata,
                    )?
                };
                if peers.excluded_self && !global.quiet && peers_by_area.is_empty() {
                    eprintln!(
                        "note: {} is left out of its own peer group ({})",
                        municipality.title, peers.label
                    );
                }
                peers_by_area.insert(entry.area.clone(), peers.clone());
                peers
            }
        };
        let (scale, levels) = match entry.scale {
            Some(scale) if !(scale == Scale::Category && entry.levels.is_empty()) => {
                (scale, entry.levels.clone())
            }
            Some(Scale::Category) => match Scale::infer(&kpi.title) {
                (Scale::Category, levels) => (Scale::Category, levels),
                _ => {
                    return Err(error::usage(format!(
                        "{} is a category but has no levels; add levels = [\"Nej\", \"Ja\"] (the label of code 0, 1, …) to its entry",
                        kpi.id
                    )))
                }
            },
            _ => Scale::infer(&kpi.title),
        };
        kpis.push(KpiPlan {
            id: kpi.id.clone(),
            title: kpi.title.clone(),
            label: entry.label.clone(),
            unit: entry.unit.clone(),
            direction: entry.direction,
            scale,
            breaks: entry.breaks.clone(),
            levels,
            peers,
            preliminary_year: kpi.preliminary_year(today),
        });
        inferred.push(entry.scale.is_none());
    }

    // Without years: a window up to the latest published year, cut to the
    // latest years that have figures.
    let fetch_years: Vec<i32> = match &request.years {
        // Each year and the one before it, for the change on last year.
        Some(years) => {
            let mut wanted: Vec<i32> = years.iter().flat_map(|&y| [y - 1, y]).collect();
            wanted.sort_unstable();
            wanted.dedup();
            wanted
        }
        None => {
            let ids: Vec<String> = entries.iter().map(|e| e.kpi.clone()).collect();
            let latest = catalogue.latest_year_or_last(&ids);
            let span = request.default_years as i32 + 10;
            ((latest - span)..=latest).collect()
        }
    };
    let everybody: Vec<String> = if region {
        catalogue.regions()?.iter().map(|m| m.id.clone()).collect()
    } else {
        catalogue.kommuner()?.iter().map(|m| m.id.clone()).collect()
    };
    let query = ValueQuery {
        kpis: kpis.iter().map(|k| k.id.clone()).collect(),
        entities: everybody,
        years: fetch_years,
    };
    let source = catalogue.source();
    let observations = fetch_values(source, &query, global)?;

    // A scale read from a title is a guess: a figure with negative values
    // is a deviation or balance, whatever its title says.
    for (kpi, _) in kpis.iter_mut().zip(&inferred).filter(|(_, i)| **i) {
        let negative = observations
            .iter()
            .any(|o| o.kpi == kpi.id && o.value.is_some_and(|v| v < 0.0));
        if negative && matches!(kpi.scale, Scale::Amount | Scale::Percent) {
            kpi.scale = Scale::Signed;
        }
    }

    let covered: std::collections::HashSet<&str> = observations
        .iter()
        .filter(|o| o.value.is_some())
        .map(|o| o.entity.as_str())
        .collect();
    if covered.len() < query.entities.len() * 9 / 10 && !global.quiet {
        eprintln!(
            "note: the source has figures for only {} of the {} {}; national ranks and bands cover those",
            covered.len(),
            query.entities.len(),
            if region { "regions" } else { "municipalities" }
        );
    }
    let years = match &request.years {
        Some(years) => years.clone(),
        None => {
            let latest = observations
                .iter()
                .filter(|o| o.gender == request.gender && o.value.is_some())
                .map(|o| o.year)
                .max()
                .ok_or_else(|| {
                    error::not_found(format!(
                        "Kolada has no figures for {} in {}; give --years",
                        query.kpis.join(", "),
                        resolve::format_years(&query.years)
                    ))
                })?;
            ((latest + 1 - request.default_years as i32)..=latest).collect()
        }
    };
    Ok(Plan {
        municipality,
        set,
        kpis,
        years,
        observations,
    })
}

/// The 20 other regions: a region's peers when none are named.
fn other_regions(region: &Municipality, catalogue: &Catalogue) -> Result<Peers> {
    let members: Vec<String> = catalogue
        .regions()?
        .iter()
        .filter(|r| r.id != region.id)
        .map(|r| r.id.clone())
        .collect();
    Ok(Peers {
        label: format!("auto (the other {} regions)", members.len()),
        title: "Övriga regioner".to_string(),
        members,
        excluded_self: false,
    })
}

/// Set entries for bare KPI ids: label and direction from a built-in set
/// that has the KPI, otherwise Kolada's title and neutral.
fn entries_for_ids(
    ids: &[String],
    catalogue: &Catalogue,
    refdata: &RefData,
) -> Result<Vec<SetEntry>> {
    let known: Vec<SetEntry> = refdata
        .set_names()
        .into_iter()
        .filter_map(|(name, _)| refdata.set(&name).ok())
        .flat_map(|set| set.entries)
        .collect();
    ids.iter()
        .map(|id| {
            if let Some(entry) = known.iter().find(|e| &e.kpi == id) {
                return Ok(entry.clone());
            }
            let kpi = catalogue.kpi(id)?;
            let title = kpi.as_ref().map(|k| k.title.clone()).unwrap_or_default();
            let unit = unit_in_title(&title);
            // The unit stands after the label in tables: not twice.
            let label = match title.rsplit_once(',') {
                Some((head, tail)) if !unit.is_empty() && tail.trim() == unit => {
                    head.trim().to_string()
                }
                _ => title.clone(),
            };
            Ok(SetEntry {
                kpi: id.clone(),
                unit,
                area: kpi.as_ref().map(similar_area),
                label,
                direction: Direction::Neutral,
                scale: None,
                breaks: Vec::new(),
                levels: Vec::new(),
                why: None,
                line: 0,
            })
        })
        .collect()
}

/// RKA's "Liknande kommuner" area for a KPI outside the built-in sets, from
/// Kolada's operating area (and, where that covers two areas, the title):
/// so `compare --kpi` finds comparable municipalities without `--peers`.
pub fn similar_area(kpi: &crate::model::Kpi) -> String {
    let area = crate::text::fold(kpi.operating_area.as_deref().unwrap_or(""));
    let title = crate::text::fold(&kpi.title);
    let has = |words: &[&str]| words.iter().any(|w| title.contains(w));
    let name = if area.starts_with("aldre och funktionshinder") {
        if has(&[
            "lss",
            "funktionsnedsattning",
            "funktionshinder",
            "personlig assistans",
            "daglig verksamhet",
        ]) {
            "LSS"
        } else {
            "äldreomsorg"
        }
    } else if area.starts_with("grundskola") || area.starts_with("anpassad skola") {
        "grundskola"
    } else if area.starts_with("gymnasieskola") {
        "gymnasieskola"
    } else if area.starts_with("forskoleverksamhet") {
        if has(&["fritidshem"]) {
            "fritidshem"
        } else {
            "förskola"
        }
    } else if area.starts_with("individ- och familjeomsorg") {
        if has(&["ekonomiskt bistand"]) {
            "ekonomiskt bistånd"
        } else {
            "IFO"
        }
    } else if area.starts_with("arbetsmarknad") {
        "arbetsmarknad"
    } else if has(&["raddningstjanst"]) {
        "räddningstjänst"
    } else {
        "övergripande"
    };
    name.to_string()
}

/// The unit at the end of a Kolada title: "…, kr/inv" → "kr/inv",
/// "…, andel (%)" → "%"; empty when the title does not say.
fn unit_in_title(title: &str) -> String {
    let Some((_, tail)) = title.rsplit_once(',') else {
        return if title.contains("(%)") {
            "%".into()
        } else {
            String::new()
        };
    };
    let tail = tail.trim();
    if tail.contains('%') {
        "%".into()
    } else if tail.contains('=') || tail.chars().count() > 30 {
        String::new()
    } else {
        tail.to_string()
    }
}
