//! KPIs from what a person typed, and the checks of sets and factor files
//! against Kolada's catalogue.

use std::collections::HashSet;
use std::path::Path;

use anyhow::Result;

use super::areas::area_of_kpi;
use super::places::municipality_ids;
use super::suggest::did_you_mean_kpi;
use crate::base::error;
use crate::base::read::read_hand_written;
use crate::catalogue::Catalogue;
use crate::model::scale::Direction;
use crate::model::years::parse_years;
use crate::model::Kpi;
use crate::refdata::{Factor, FactorSet, IndicatorSet, Origin, RefData, SetEntry};
use crate::source::ValueQuery;

/// KPI ids as typed after `--kpi`: separated by commas or spaces, or
/// `@FILE` (ids one per line, `#` starts a comment), each checked against
/// the catalogue. `all` is for the commands that export figures
/// ([`selection`], [`chosen_kpis`]).
pub(crate) fn kpi_ids(text: &str, catalogue: &Catalogue) -> Result<Vec<String>> {
    let typed = typed_ids(text)?;
    if typed.iter().any(|id| id.eq_ignore_ascii_case(ALL)) {
        return Err(error::usage(
            "--kpi all is for values, fetch and snapshot save; here, name the KPIs or a set",
        ));
    }
    let mut ids = Vec::new();
    catalogue.prefetch_kpis(&typed)?;
    for raw in typed.iter().map(String::as_str) {
        match catalogue.kpi(raw)? {
            Some(kpi) => {
                if !ids.contains(&kpi.id) {
                    ids.push(kpi.id.clone())
                }
            }
            None => {
                let did_you_mean = did_you_mean_kpi(raw, catalogue.kpis()?);
                return Err(error::not_found(format!(
                    "unknown KPI id '{raw}'; {did_you_mean}find ids with `nyckeltal kpi search WORDS`"
                )));
            }
        }
    }
    if ids.is_empty() {
        return Err(error::usage(
            "--kpi is empty; give KPI ids such as N20900,N20007, @FILE or all",
        ));
    }
    Ok(ids)
}

/// `--kpi all`.
const ALL: &str = "all";

/// The words of `--kpi`, or of the file `--kpi @FILE` names.
fn typed_ids(text: &str) -> Result<Vec<String>> {
    let listed;
    let words = match text.trim().strip_prefix('@') {
        Some(path) => {
            listed = read_hand_written(Path::new(path), "the KPI list")?;
            listed
                .lines()
                .map(|line| line.split('#').next().unwrap_or(""))
                .collect::<Vec<_>>()
                .join(",")
        }
        None => text.to_string(),
    };
    Ok(words
        .split([',', ' ', '\t', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect())
}

/// Whether `--kpi` asks for every KPI.
fn asks_all(text: &str) -> bool {
    text.trim().eq_ignore_ascii_case(ALL)
}

/// `--kpi all`: every KPI of the catalogue the source has figures for, in
/// id order. A snapshot and an offline cache list their own; for the live
/// API, every KPI Kolada has published a year of, for the kind of place
/// asked (a KPI only for regions is not asked for municipalities; no
/// places named means any).
pub(crate) fn every_kpi(catalogue: &Catalogue, entities: &[String]) -> Result<Vec<String>> {
    // No places named: any place.
    let regional = entities.is_empty() || entities.iter().any(|id| id.starts_with("00"));
    let municipal = entities.is_empty() || entities.iter().any(|id| !id.starts_with("00"));
    let serves = |k: &Kpi| (municipal && k.for_municipalities()) || (regional && k.for_regions());
    let mut ids: Vec<String> = match catalogue.source().kpis_with_figures()? {
        Some(listed) => {
            catalogue.prefetch_kpis(&listed)?;
            let mut known = Vec::new();
            for id in listed {
                if catalogue.kpi(&id)?.is_some() {
                    known.push(id);
                }
            }
            known
        }
        None => catalogue
            .kpis()?
            .iter()
            .filter(|k| k.latest_year().is_some() && serves(k))
            .map(|k| k.id.clone())
            .collect(),
    };
    ids.sort();
    if ids.is_empty() {
        return Err(error::not_found(
            "--kpi all: the source holds figures for no KPI of its catalogue; fetch some first",
        ));
    }
    Ok(ids)
}

/// Every id in the set exists in the catalogue; otherwise an error naming
/// file and line.
pub(crate) fn check_set(set: &IndicatorSet, catalogue: &Catalogue) -> Result<()> {
    let ids: Vec<String> = set.entries.iter().map(|e| e.kpi.clone()).collect();
    catalogue.prefetch_kpis(&ids)?;
    for entry in &set.entries {
        if catalogue.kpi(&entry.kpi)?.is_none() {
            let hint = did_you_mean_kpi(&entry.kpi, catalogue.kpis()?);
            return Err(error::not_found(format!(
                "{}: unknown KPI id '{}' in set {}; {hint}fix the id in the file",
                set.origin.at_line(entry.line),
                entry.kpi,
                set.name
            )));
        }
    }
    Ok(())
}

/// Every factor of a similarity file exists in the catalogue.
pub(crate) fn check_factors(set: &FactorSet, catalogue: &Catalogue) -> Result<()> {
    let ids: Vec<String> = set.factors.iter().map(|f| f.kpi.clone()).collect();
    catalogue.prefetch_kpis(&ids)?;
    for factor in &set.factors {
        if catalogue.kpi(&factor.kpi)?.is_none() {
            let hint = did_you_mean_kpi(&factor.kpi, catalogue.kpis()?);
            return Err(error::not_found(format!(
                "{}: unknown factor KPI '{}'; {hint}fix the id",
                set.origin.at_line(factor.line),
                factor.kpi
            )));
        }
    }
    Ok(())
}

/// Sets by name or path, each checked against the catalogue (one request
/// for the metadata of all their KPIs first).
pub(crate) fn checked_sets(
    names: &[String],
    catalogue: &Catalogue,
    refdata: &RefData,
) -> Result<Vec<IndicatorSet>> {
    let sets: Vec<IndicatorSet> = names
        .iter()
        .map(|name| refdata.set(name))
        .collect::<Result<_>>()?;
    let every: Vec<String> = sets
        .iter()
        .flat_map(|s| s.entries.iter().map(|e| e.kpi.clone()))
        .collect();
    catalogue.prefetch_kpis(&every)?;
    for set in &sets {
        check_set(set, catalogue)?;
    }
    Ok(sets)
}

/// The KPIs of `--set` flags and `--kpi`, in order, without repeats; every
/// built-in set's when neither is given. `entities` are the places asked
/// for, if any: `--kpi all` leaves out KPIs Kolada has for none of them.
pub(crate) fn chosen_kpis(
    sets: &[String],
    kpi: Option<&str>,
    entities: &[String],
    catalogue: &Catalogue,
    refdata: &RefData,
) -> Result<Vec<String>> {
    let names: Vec<String> = if sets.is_empty() && kpi.is_none() {
        refdata
            .set_names()
            .into_iter()
            .filter(|(_, o)| o.builtin)
            .map(|(n, _)| n)
            .collect()
    } else {
        sets.to_vec()
    };
    let mut ids: Vec<String> = checked_sets(&names, catalogue, refdata)?
        .into_iter()
        .flat_map(|set| set.entries.into_iter().map(|e| e.kpi))
        .collect();
    match kpi {
        Some(text) if asks_all(text) => ids.extend(every_kpi(catalogue, entities)?),
        Some(text) => ids.extend(kpi_ids(text, catalogue)?),
        None => {}
    }
    let mut seen = HashSet::new();
    ids.retain(|id| seen.insert(id.clone()));
    Ok(ids)
}

/// KPIs (`--set` flags and `--kpi`) × municipalities × years as typed →
/// a query of Kolada ids.
pub(crate) fn selection(
    (sets, kpi): (&[String], Option<&str>),
    municipalities: &str,
    years: &str,
    catalogue: &Catalogue,
    refdata: &RefData,
) -> Result<ValueQuery> {
    let years = parse_years(years)?;
    let entities = municipality_ids(municipalities, catalogue)?;
    let kpis = chosen_kpis(sets, kpi, &entities, catalogue, refdata)?;
    Ok(ValueQuery {
        kpis,
        entities,
        years,
    })
}

/// Set entries for bare KPI ids: label and direction from a built-in set
/// that has the KPI, otherwise Kolada's title and neutral.
pub(crate) fn entries_for_ids(
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
                label_en: None,
                relative: None,
                small: None,
                unit,
                area: kpi.as_ref().map(area_of_kpi),
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

/// Factors parsed from `--factors N01813:1.5,N00954` (weight 1 when left out).
pub(crate) fn factors_from_flag(text: &str, catalogue: &Catalogue) -> Result<FactorSet> {
    let mut factors = Vec::new();
    for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (id, weight) = match item.split_once(':') {
            Some((id, w)) => {
                let weight: f64 = w.trim().parse().ok().filter(|w: &f64| w.is_finite() && *w > 0.0).ok_or_else(|| {
                    error::usage(format!("--factors: weight '{w}' for {id} is not a positive number; write KPI:WEIGHT, e.g. N01813:1.5"))
                })?;
                (id, weight)
            }
            None => (item, 1.0),
        };
        let Some(id) = kpi_ids(id, catalogue)?.into_iter().next() else {
            continue;
        };
        let label = catalogue
            .kpi(&id)?
            .map(|k| k.title.clone())
            .unwrap_or_default();
        factors.push(Factor {
            kpi: id,
            label,
            weight,
            log: false,
            line: 0,
        });
    }
    if factors.is_empty() {
        return Err(error::usage(
            "--factors is empty; give KPI ids with optional weights: N01813:1.5,N00954",
        ));
    }
    Ok(FactorSet {
        area: None,
        factors,
        origin: Origin {
            path: "--factors".into(),
            builtin: false,
        },
    })
}
