//! Why a municipality's costs differ from its peers' (or the country's):
//! each cost chain of an area split, year by year, into coverage, cost per
//! user, age structure and the rest (`analysis::explain`).

use anyhow::Result;

use super::fetch::fetch_as;
use super::peers::resolve_peers;
use super::plan::fetch_years;
use super::Context;
use crate::analysis::explain::{change_by_kind, explain, Against, Explained, Values, COUNTRY};
use crate::base::error;
use crate::model::{Gender, Municipality};
use crate::refdata::{Chain, ChainSet};
use crate::resolve::places::municipality;
use crate::source::ValueQuery;

/// What `explain` was asked.
pub(crate) struct Asked<'a> {
    pub municipality: &'a str,
    pub area: &'a str,
    pub peers: &'a str,
    pub years: Option<Vec<i32>>,
    /// Against the country's own figures rather than the peers'.
    pub country: bool,
}

/// Split the chains of `asked.area` for the municipality.
pub(crate) fn explain_costs(asked: &Asked, cx: &Context) -> Result<Explained> {
    let found = municipality(asked.municipality, cx.catalogue)?.clone();
    if !found.is_kommun() {
        return Err(error::usage(format!(
            "{} is not a municipality; the cost chains are the municipalities' (give one of the 290)",
            found.title
        )));
    }
    let set = cx.refdata.chain_set(asked.area)?;
    check_chains(&set, cx)?;
    let peers = if asked.country {
        None
    } else {
        Some(resolve_peers(asked.peers, &found, Some(&set.area), cx)?)
    };
    let against = match &peers {
        Some(p) => Against::Peers(p.members.clone()),
        None => Against::Place(COUNTRY.to_string()),
    };
    let values = fetch_values(&set, &found, &against, asked.years.as_deref(), cx)?;
    let years = match &asked.years {
        Some(years) => years.clone(),
        None => latest_years(&set, &values, &found.id, 5),
    };
    if years.is_empty() {
        return Err(error::not_found(format!(
            "Kolada has no figures for {}'s {} cost chains; give --years",
            found.title, set.area
        )));
    }
    let chains = set
        .chains
        .iter()
        .map(|chain| {
            let splits = explain(chain, &values, &found.id, &against, &years);
            (chain.clone(), splits)
        })
        .collect();
    let headline = set
        .headline
        .as_ref()
        .and_then(|id| set.chains.iter().find(|c| &c.id == id));
    let changes = headline
        .map(|chain| {
            years
                .iter()
                .filter_map(|&year| change_by_kind(&set, chain, &values, &found.id, year))
                .collect()
        })
        .unwrap_or_default();
    Ok(Explained {
        municipality: found,
        peers,
        years,
        chains,
        names: cx.catalogue.municipality_names()?,
        changes,
        set,
    })
}

/// Every KPI of the chains is in Kolada's catalogue.
fn check_chains(set: &ChainSet, cx: &Context) -> Result<()> {
    for chain in &set.chains {
        for id in chain.kpis() {
            if cx.catalogue.kpi(&id)?.is_none() {
                return Err(error::not_found(format!(
                    "{}: chain {} names {id}, which is not in Kolada's catalogue; fix the id",
                    set.origin.path, chain.id
                )));
            }
        }
    }
    Ok(())
}

/// The chains' figures for the municipality and its comparison, in the
/// years asked and the year before each (for the user-count flags); a
/// window up to the latest published year without years (as `compare`).
fn fetch_values(
    set: &ChainSet,
    subject: &Municipality,
    against: &Against,
    years: Option<&[i32]>,
    cx: &Context,
) -> Result<Values> {
    let mut kpis: Vec<String> = Vec::new();
    for id in set.chains.iter().flat_map(Chain::kpis) {
        if !kpis.contains(&id) {
            kpis.push(id);
        }
    }
    let mut entities = vec![subject.id.clone()];
    match against {
        Against::Peers(peers) => entities.extend(peers.iter().cloned()),
        Against::Place(id) => entities.push(id.clone()),
    }
    let years = fetch_years(years, &kpis, 5, cx);
    let query = ValueQuery {
        kpis,
        entities,
        years,
    };
    let observations = fetch_as("fetching", cx.catalogue.source(), &query, cx.progress)?;
    Ok(observations
        .into_iter()
        .filter(|o| o.gender == Gender::T)
        .filter_map(|o| Some(((o.kpi, o.entity, o.year), o.value?)))
        .collect())
}

/// The latest `n` years in which the municipality has any chain's total.
fn latest_years(set: &ChainSet, values: &Values, place: &str, n: usize) -> Vec<i32> {
    let mut years: Vec<i32> = values
        .keys()
        .filter(|(kpi, entity, _)| entity == place && set.chains.iter().any(|c| &c.total == kpi))
        .map(|(_, _, year)| *year)
        .collect();
    years.sort_unstable();
    years.dedup();
    let from = years.len().saturating_sub(n);
    years.split_off(from)
}
