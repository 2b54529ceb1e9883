//! Freeze figures in a folder with the layout `--source` reads (meta/*.json,
//! the values as DDF CSVs) and a `snapshot.json` that says what it holds
//! and when it was fetched, so a network meets over the same numbers.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;

use super::fetch::fetch;
use super::Context;
use crate::model::years::format_years;
use crate::resolve::kpis::chosen_kpis;
use crate::resolve::places::municipality_ids;
use crate::source::snapshot::Stamp;
use crate::source::snapshot_save::write;
use crate::source::ValueQuery;

/// What to freeze, as asked.
pub(crate) struct Asked<'a> {
    pub path: &'a Path,
    pub sets: &'a [String],
    pub kpi: Option<&'a str>,
    pub municipality: &'a str,
    pub years: Option<Vec<i32>>,
    pub force: bool,
}

/// Save the snapshot; the line that says what was saved.
pub(crate) fn save(asked: Asked, cx: &Context) -> Result<String> {
    let catalogue = cx.catalogue;
    let source = catalogue.source();
    let mut entities = municipality_ids(asked.municipality, catalogue)?;
    let kpi_ids = chosen_kpis(asked.sets, asked.kpi, &entities, catalogue, cx.refdata)?;
    // `all` for a KPI Kolada publishes for regions means the regions too,
    // so a region's rank among the 21 survives the freeze.
    if asked.municipality.trim() == "all" {
        let mut regional = false;
        for id in &kpi_ids {
            regional |= catalogue.kpi(id)?.is_some_and(|k| k.for_regions());
        }
        if regional {
            entities.extend(catalogue.regions()?.iter().map(|r| r.id.clone()));
        }
    }
    let years = match asked.years {
        Some(years) => years,
        None => {
            let latest = catalogue.latest_year_or_last(&kpi_ids);
            ((latest - 9)..=latest).collect()
        }
    };
    let query = ValueQuery {
        kpis: kpi_ids,
        entities,
        years,
    };
    let observations = fetch(source, &query, cx.progress)?;
    // Each KPI keeps the date its figures were fetched from Kolada, as the
    // source knows it; today only for figures fetched today.
    let fetched: BTreeMap<String, chrono::DateTime<chrono::Utc>> = query
        .kpis
        .iter()
        .filter_map(|kpi| Some((kpi.clone(), source.fetched_for(kpi)?)))
        .collect();
    let stamp = Stamp {
        fetched_at: fetched.values().min().copied(),
        fetched,
        source: source.describe(),
        kpis: query.kpis.clone(),
        municipalities: query.entities.clone(),
        years: query.years.clone(),
    };
    write(
        asked.path,
        asked.force,
        (
            catalogue.kpis()?,
            catalogue.municipalities()?,
            catalogue.groups()?,
        ),
        &observations,
        &stamp,
    )?;
    Ok(format!(
        "saved {} values ({} KPIs × {} municipalities × years {}) in {}; read it with --source {}",
        observations.iter().filter(|o| o.value.is_some()).count(),
        query.kpis.len(),
        query.entities.len(),
        format_years(&query.years),
        asked.path.display(),
        asked.path.display()
    ))
}
