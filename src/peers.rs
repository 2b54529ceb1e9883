//! Whom a municipality is compared with: `--peers` resolved to member ids.
//!
//! - `auto` — Kolada's current "Liknande kommuner AREA, KOMMUN" group, the
//!   area from the indicator set; `auto:LSS` names the area;
//! - a Kolada group id (`G96190`);
//! - a peer list in `data/peers/` by name (`tjorn-aldreomsorg`) or a path to a `.toml`;
//! - a comma list of municipalities (`Hörby,Vara,1470`).
//!
//! The municipality itself is never one of its own peers.

use anyhow::Result;

use crate::catalogue::Catalogue;
use crate::error;
use crate::kolada::is_group_id;
use crate::model::Municipality;
use crate::refdata::RefData;
use crate::resolve;

/// How many municipalities `similar:AREA` takes, as RKA's groups have.
pub const SIMILAR_K: usize = 7;

/// A resolved peer group.
#[derive(Debug, Clone, PartialEq)]
pub struct Peers {
    /// What to call the group in tables and exports (with its id or file name).
    pub label: String,
    /// Its name for people, without ids: for documents and chart legends.
    pub title: String,
    /// Member ids, without the municipality itself.
    pub members: Vec<String>,
    /// Whether the municipality was listed and left out.
    pub excluded_self: bool,
}

/// Resolve `spec` for `municipality`; `area` is the set's area for `auto`.
pub fn resolve(
    spec: &str,
    municipality: &Municipality,
    area: Option<&str>,
    catalogue: &Catalogue,
    refdata: &RefData,
) -> Result<Peers> {
    let spec = spec.trim();
    let (label, title, members): (String, String, Vec<String>) = if let Some(rest) =
        spec.strip_prefix("auto")
    {
        let area = match rest.strip_prefix(':') {
            Some(area) => area.to_string(),
            None if rest.is_empty() => area.map(str::to_string).ok_or_else(|| {
                error::usage("--peers auto takes the area from the indicator set; with --kpi say which: auto:äldreomsorg, auto:LSS, …")
            })?,
            None => return Err(error::usage(format!("--peers '{spec}': write auto or auto:AREA"))),
        };
        let group = resolve::similar_group(municipality, &area, catalogue)?;
        (
            format!("{} {}", group.id, group.title),
            group.title.clone(),
            group.members.iter().map(|m| m.member_id.clone()).collect(),
        )
    } else if let Some(area) = spec.strip_prefix("similar:") {
        let set = refdata.factor_set(area)?;
        set.check(catalogue)?;
        let (year, standardised) = crate::similar::standardise(catalogue, &set, None, None)?;
        let me = standardised.index(&municipality.id).ok_or_else(|| {
            error::not_found(format!(
                "{} has no figures for the similarity factors",
                municipality.title
            ))
        })?;
        let nearest: Vec<String> = standardised
            .ranking(me)
            .into_iter()
            .take(SIMILAR_K)
            .map(|n| standardised.ids[n.index].clone())
            .collect();
        (
            format!("similar:{area} (nyckeltal, {SIMILAR_K} most similar, factors {year})"),
            format!("similar:{area} (nyckeltal {year})"),
            nearest,
        )
    } else if is_group_id(spec) {
        let group = resolve::group(spec, catalogue)?;
        (
            format!("{} {}", group.id, group.title),
            group.title.clone(),
            group.members.iter().map(|m| m.member_id.clone()).collect(),
        )
    } else if let Some(list) = refdata.peer_list(spec)? {
        let mut ids = Vec::new();
        for (member, line) in &list.members {
            let found = resolve::municipality(member, catalogue).map_err(|e| {
                error::not_found(format!(
                    "{}: {}",
                    list.at_line(*line),
                    crate::error::report(&e).1
                ))
            })?;
            ids.push(found.id.clone());
        }
        (
            format!("{} ({})", list.name, list.title),
            list.title.clone(),
            ids,
        )
    } else {
        let ids = resolve::municipality_ids(spec, catalogue).map_err(|e| {
            let (_, message) = crate::error::report(&e);
            let lists: Vec<String> = refdata.peer_names().into_iter().map(|(n, _)| n).collect();
            error::not_found(format!(
                "--peers '{spec}': {message} (peer lists: {})",
                lists.join(", ")
            ))
        })?;
        let names: Vec<String> = ids.iter().map(|id| catalogue.name(id)).collect();
        (names.join(", "), names.join(", "), ids)
    };
    let excluded_self = members.contains(&municipality.id);
    let mut unique: Vec<String> = Vec::new();
    for id in members {
        if id != municipality.id && !unique.contains(&id) {
            unique.push(id);
        }
    }
    if unique.is_empty() {
        return Err(error::usage(format!(
            "the peer group '{label}' has no members besides {}; give other municipalities",
            municipality.title
        )));
    }
    Ok(Peers {
        label,
        title,
        members: unique,
        excluded_self,
    })
}

/// A network's members: a peer list (`varmland-vastra`), a Kolada group id
/// (`G96190`) or municipalities (`Arvika,Eda`), with a label for people.
pub fn network_members(
    spec: &str,
    catalogue: &Catalogue,
    refdata: &RefData,
) -> Result<(String, Vec<String>)> {
    if let Some(list) = refdata.peer_list(spec)? {
        let mut ids = Vec::new();
        for (member, line) in &list.members {
            let m = resolve::municipality(member, catalogue)
                .map_err(|e| crate::error::at(&list.at_line(*line), e))?;
            ids.push(m.id.clone());
        }
        return Ok((list.title, ids));
    }
    if crate::kolada::is_group_id(spec) {
        let group = resolve::group(spec, catalogue)?;
        return Ok((
            group.title.clone(),
            group.members.iter().map(|m| m.member_id.clone()).collect(),
        ));
    }
    Ok((
        spec.to_string(),
        resolve::municipality_ids(spec, catalogue)?,
    ))
}
