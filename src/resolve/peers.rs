//! Whom a municipality is compared with: `--peers` read and resolved to
//! member ids.
//!
//! - `auto` — Kolada's current "Liknande kommuner AREA, KOMMUN" group, the
//!   area from the indicator set; `auto:LSS` names the area;
//! - `similar:AREA` — nyckeltal's most similar municipalities (computed
//!   from figures, so resolved above the analysis, in `ops::peers`);
//! - a Kolada group id (`G96190`);
//! - a peer list in `data/peers/` by name (`tjorn-aldreomsorg`) or a path to a `.toml`;
//! - a comma list of municipalities (`Hörby,Vara,1470`).
//!
//! The municipality itself is never one of its own peers.

use anyhow::Result;

use super::areas::similar_group;
use super::places::{group, municipality, municipality_ids};
use crate::base::error;
use crate::catalogue::Catalogue;
use crate::model::ids::is_group_id;
use crate::model::peers::Peers;
use crate::model::Municipality;
use crate::refdata::{PeerList, RefData};

/// What `--peers` (or a spec's peer entry) names.
pub(crate) enum PeerSpec {
    /// Kolada's "Liknande kommuner" group; the area when named (`auto:LSS`).
    Auto(Option<String>),
    /// nyckeltal's most similar municipalities by an area's factors.
    Similar(String),
    /// A Kolada group id.
    Group(String),
    /// A peer list file.
    List(PeerList),
    /// Municipalities by code or name, comma-separated.
    Places(String),
}

impl PeerSpec {
    /// Read a peer spec; a peer list is read from its file here.
    pub(crate) fn parse(text: &str, refdata: &RefData) -> Result<PeerSpec> {
        let text = text.trim();
        if let Some(rest) = text.strip_prefix("auto") {
            return match rest.strip_prefix(':') {
                Some(area) => Ok(PeerSpec::Auto(Some(area.to_string()))),
                None if rest.is_empty() => Ok(PeerSpec::Auto(None)),
                None => Err(error::usage(format!(
                    "--peers '{text}': write auto or auto:AREA"
                ))),
            };
        }
        if let Some(area) = text.strip_prefix("similar:") {
            return Ok(PeerSpec::Similar(area.to_string()));
        }
        if is_group_id(text) {
            return Ok(PeerSpec::Group(text.to_string()));
        }
        Ok(match refdata.peer_list(text)? {
            Some(list) => PeerSpec::List(list),
            None => PeerSpec::Places(text.to_string()),
        })
    }

    /// Whether the members depend on the municipality's area or figures,
    /// so that the spec can be checked only when a set is compared.
    pub(crate) fn depends_on_set(&self) -> bool {
        matches!(self, PeerSpec::Auto(_) | PeerSpec::Similar(_))
    }
}

/// Members with names, before the municipality itself is left out.
pub(crate) struct Named {
    pub label: String,
    pub title: String,
    pub members: Vec<String>,
    /// The Kolada group id, when the members are one of Kolada's groups.
    pub group: Option<String>,
}

/// The members of every kind of peer spec but `similar:`, which needs
/// figures (`None` for it). `area` is the set's area, for `auto`.
pub(crate) fn named(
    spec: &PeerSpec,
    municipality_: &Municipality,
    area: Option<&str>,
    catalogue: &Catalogue,
    refdata: &RefData,
) -> Result<Option<Named>> {
    let group_named = |group: &crate::model::Group| Named {
        label: format!("{} {}", group.id, group.title),
        title: group.title.clone(),
        members: group.members.iter().map(|m| m.member_id.clone()).collect(),
        group: Some(group.id.clone()),
    };
    Ok(Some(match spec {
        PeerSpec::Auto(named_area) => {
            let area = match (named_area.as_deref(), area) {
                (Some(area), _) | (None, Some(area)) => area,
                (None, None) => return Err(error::usage(
                    "--peers auto takes the area from the indicator set; with --kpi say which: auto:äldreomsorg, auto:LSS, …",
                )),
            };
            group_named(similar_group(municipality_, area, catalogue)?)
        }
        PeerSpec::Similar(_) => return Ok(None),
        PeerSpec::Group(id) => group_named(group(id, catalogue)?),
        PeerSpec::List(list) => Named {
            label: format!("{} ({})", list.name, list.title),
            title: list.title.clone(),
            members: list_members(list, catalogue)?,
            group: None,
        },
        PeerSpec::Places(text) => {
            let ids = municipality_ids(text, catalogue).map_err(|e| {
                let (_, message) = error::report(&e);
                let lists: Vec<String> = refdata.peer_names().into_iter().map(|(n, _)| n).collect();
                error::not_found(format!(
                    "--peers '{text}': {message} (peer lists: {})",
                    lists.join(", ")
                ))
            })?;
            let names: Vec<String> = ids.iter().map(|id| catalogue.name(id)).collect();
            Named {
                label: names.join(", "),
                title: names.join(", "),
                members: ids,
                group: None,
            }
        }
    }))
}

/// The peer group of `municipality`: the members without it and without
/// repeats; an error when nobody is left.
pub(crate) fn peers_of(named: Named, municipality: &Municipality) -> Result<Peers> {
    let left_out = named
        .members
        .contains(&municipality.id)
        .then(|| municipality.title.clone());
    let mut unique: Vec<String> = Vec::new();
    for id in named.members {
        if id != municipality.id && !unique.contains(&id) {
            unique.push(id);
        }
    }
    if unique.is_empty() {
        return Err(error::usage(format!(
            "the peer group '{}' has no members besides {}; give other municipalities",
            named.label, municipality.title
        )));
    }
    let label = match &left_out {
        Some(name) => format!("{} excluding {name} (own calculation)", named.label),
        None => named.label,
    };
    Ok(Peers {
        label,
        title: named.title,
        members: unique,
        left_out,
        group: named.group,
    })
}

/// A peer list's members as ids; a name that is none is reported with the
/// list's file and line.
fn list_members(list: &PeerList, catalogue: &Catalogue) -> Result<Vec<String>> {
    let mut ids = Vec::new();
    for (member, line) in &list.members {
        let found =
            municipality(member, catalogue).map_err(|e| error::at(&list.at_line(*line), e))?;
        ids.push(found.id.clone());
    }
    Ok(ids)
}

/// A network's members: a peer list (`varmland-vastra`), a Kolada group id
/// (`G96190`) or municipalities (`Arvika,Eda`), with a label for people.
pub(crate) fn network_members(
    spec: &str,
    catalogue: &Catalogue,
    refdata: &RefData,
) -> Result<(String, Vec<String>)> {
    let (label, mut ids) = if let Some(list) = refdata.peer_list(spec)? {
        let ids = list_members(&list, catalogue)?;
        (list.title, ids)
    } else if is_group_id(spec) {
        let group = group(spec, catalogue)?;
        let ids = group.members.iter().map(|m| m.member_id.clone()).collect();
        (group.title.clone(), ids)
    } else {
        (spec.to_string(), municipality_ids(spec, catalogue)?)
    };
    // A member named twice ("Tjörn" and "1419") is one member.
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(id.clone()));
    Ok((label, ids))
}
