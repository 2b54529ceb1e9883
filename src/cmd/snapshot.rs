//! `nyckeltal snapshot save PATH [--set NAME]... [--kpi IDS] [--municipality SEL] [--years RANGE]`
//!
//! Freeze figures in a folder with the layout `--source` reads (meta/*.json,
//! the values as DDF CSVs) and a `snapshot.json` that says what it holds and
//! when it was fetched, so a network meets over the same numbers. Written
//! to a temporary folder and renamed into place.

use anyhow::Result;

use super::{chosen_kpis, fetch_values, open_source};
use crate::catalogue::Catalogue;
use crate::flags::{GlobalArgs, SnapshotCommand};
use crate::refdata::RefData;
use crate::resolve;
use crate::source::snapshot::{write, Stamp};
use crate::source::ValueQuery;

pub fn run(command: &SnapshotCommand, global: &GlobalArgs) -> Result<()> {
    let SnapshotCommand::Save {
        path,
        kpis,
        municipality,
        years,
        force,
    } = command;
    let years = years.as_deref().map(resolve::parse_years).transpose()?;
    let refdata = RefData::new(global.data_dir.clone());
    let source = open_source(global)?;
    let catalogue = Catalogue::new(source.as_ref());
    let kpi_ids = chosen_kpis(kpis, &catalogue, &refdata)?;
    let mut entities = resolve::municipality_ids(municipality, &catalogue)?;
    // `all` for a KPI Kolada publishes for regions means the regions too,
    // so a region's rank among the 21 survives the freeze.
    if municipality.trim() == "all" {
        let mut regional = false;
        for id in &kpi_ids {
            regional |= catalogue.kpi(id)?.is_some_and(|k| k.for_regions());
        }
        if regional {
            entities.extend(catalogue.regions()?.iter().map(|r| r.id.clone()));
        }
    }
    let years = match years {
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
    let observations = fetch_values(source.as_ref(), &query, global)?;
    // Each KPI keeps the date its figures were fetched from Kolada, as the
    // source knows it; today only for figures fetched today.
    let fetched: std::collections::BTreeMap<String, chrono::DateTime<chrono::Utc>> = query
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
        path,
        *force,
        (
            catalogue.kpis()?,
            catalogue.municipalities()?,
            catalogue.groups()?,
        ),
        &observations,
        &stamp,
    )?;
    if !global.quiet {
        eprintln!(
            "saved {} values ({} KPIs × {} municipalities × years {}) in {}; read it with --source {}",
            observations.iter().filter(|o| o.value.is_some()).count(),
            query.kpis.len(),
            query.entities.len(),
            resolve::format_years(&query.years),
            path.display(),
            path.display()
        );
    }
    Ok(())
}
