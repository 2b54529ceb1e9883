//! Figures as a tidy long table (`values`), and the cache filled with them
//! (`fetch`).

use anyhow::Result;

use super::fetch::fetch;
use super::Context;
use crate::analysis::table::{long_table, Table};
use crate::document::provenance::source_lines;
use crate::model::ids::is_group_id;
use crate::model::years::format_years;
use crate::model::Gender;
use crate::resolve::kpis::selection;

/// KPIs (`--set` flags, `--kpi`) × municipalities × years, as typed.
pub(crate) struct Selection<'a> {
    pub sets: &'a [String],
    pub kpi: Option<&'a str>,
    pub municipality: &'a str,
    pub years: &'a str,
}

/// The long table `kpi, municipality_id, municipality, year, gender,
/// value` (the genders `wanted`) and its source lines.
pub(crate) fn values(
    selected: &Selection,
    wanted: impl Fn(Gender) -> bool,
    single_gender: bool,
    cx: &Context,
) -> Result<(Table, Vec<String>)> {
    let catalogue = cx.catalogue;
    let query = selection(
        (selected.sets, selected.kpi),
        selected.municipality,
        selected.years,
        catalogue,
        cx.refdata,
    )?;
    if single_gender {
        for id in &query.kpis {
            if catalogue.kpi(id)?.is_some_and(|k| !k.divided_by_gender()) {
                cx.notes.note(Some(format!(
                    "note: {id} is not divided by gender; Kolada has only totals (T) for it"
                )));
            }
        }
    }
    let mut observations = fetch(catalogue.source(), &query, cx.progress)?;
    observations.retain(|o| wanted(o.gender) && o.value.is_some());
    if observations.is_empty() {
        cx.notes.note(Some(
            "note: Kolada has no values for this selection".to_string(),
        ));
    }
    let mut names = catalogue.municipality_names()?;
    for id in query.entities.iter().filter(|id| is_group_id(id)) {
        names.insert(id.clone(), catalogue.name(id));
    }
    let frame = long_table(&observations, &names);
    let footer = source_lines(catalogue.source(), &query.entities);
    Ok((frame, footer))
}

/// Fill the cache with a selection's figures; the summary line (values,
/// requests made, values served from the cache).
pub(crate) fn fill_cache(selected: &Selection, cx: &Context) -> Result<String> {
    let catalogue = cx.catalogue;
    let source = catalogue.source();
    let query = selection(
        (selected.sets, selected.kpi),
        selected.municipality,
        selected.years,
        catalogue,
        cx.refdata,
    )?;
    let observations = fetch(source, &query, cx.progress)?;
    let stats = source.stats();
    Ok(format!(
        "{} values for {} KPI(s) × {} municipalities × years {}: {} request(s) to Kolada, {} value(s) served from the cache",
        observations.len(),
        query.kpis.len(),
        query.entities.len(),
        format_years(&query.years),
        stats.requests,
        stats.from_cache,
    ))
}
