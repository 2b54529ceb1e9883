//! What the brief needs besides the comparisons: the inhabitants each
//! headline cost is counted on, from Kolada's population KPIs, so a gap per
//! inhabitant can be said in kronor for the whole municipality.

use anyhow::Result;

use super::super::fetch::fetch_as;
use super::super::Context;
use crate::document::review::Population;
use crate::model::lang::Lang;
use crate::model::Gender;
use crate::refdata::PopulationBase;
use crate::resolve::spec::{Spec, Subject};
use crate::source::ValueQuery;

/// The population of each headline cost's unit, for a municipality's
/// review, in `years` (none for a network's).
pub(super) fn populations(
    spec: &Spec,
    years: &[i32],
    lang: Lang,
    cx: &Context,
) -> Result<Vec<Population>> {
    let Subject::Municipality { municipality, .. } = &spec.subject else {
        return Ok(Vec::new());
    };
    let bases = cx.refdata.population_bases()?;
    let mut wanted: Vec<&PopulationBase> = Vec::new();
    for set in &spec.sets {
        let unit = set
            .headline
            .as_ref()
            .and_then(|id| set.entries.iter().find(|e| &e.kpi == id))
            .map(|e| e.unit.as_str());
        if let Some(base) = unit.and_then(|u| PopulationBase::of(&bases, u)) {
            if !wanted.iter().any(|w| w.unit == base.unit) {
                wanted.push(base);
            }
        }
    }
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let mut kpis: Vec<String> = Vec::new();
    for id in wanted.iter().flat_map(|b| &b.kpis) {
        if !kpis.contains(id) {
            kpis.push(id.clone());
        }
    }
    let query = ValueQuery {
        kpis,
        entities: vec![municipality.id.clone()],
        years: years.to_vec(),
    };
    let observations = fetch_as(
        "fetching inhabitants",
        cx.catalogue.source(),
        &query,
        cx.progress,
    )?;
    let value = |kpi: &str, year: i32| {
        observations
            .iter()
            .find(|o| o.kpi == kpi && o.year == year && o.gender == Gender::T)
            .and_then(|o| o.value)
    };
    Ok(wanted
        .into_iter()
        .map(|base| Population {
            unit: base.unit.clone(),
            label: base.label.get(lang).to_string(),
            kpis: base.kpis.clone(),
            counts: years
                .iter()
                .filter_map(|&year| {
                    let parts: Option<Vec<f64>> =
                        base.kpis.iter().map(|k| value(k, year)).collect();
                    parts.map(|p| (year, p.iter().sum()))
                })
                .collect(),
        })
        .collect())
}
