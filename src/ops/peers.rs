//! Peer specs resolved to members, `similar:AREA` included: it needs the
//! area's factors for every municipality, so it is resolved here, above
//! the analysis that ranks them.

use anyhow::Result;

use super::factors::standardised;
use super::Context;
use crate::base::error;
use crate::catalogue::Catalogue;
use crate::model::peers::Peers;
use crate::model::Municipality;
use crate::resolve::kpis::check_factors;
use crate::resolve::peers::{named, peers_of, Named, PeerSpec};

/// How many municipalities `similar:AREA` takes, as RKA's groups have.
pub(crate) const SIMILAR_K: usize = 7;

/// The peer group `spec` names for `municipality`; `area` is the set's
/// area, for `auto`.
pub(crate) fn resolve_peers(
    spec: &str,
    municipality: &Municipality,
    area: Option<&str>,
    cx: &Context,
) -> Result<Peers> {
    let parsed = PeerSpec::parse(spec, cx.refdata)?;
    let found = match named(&parsed, municipality, area, cx.catalogue, cx.refdata)? {
        Some(found) => found,
        None => match &parsed {
            PeerSpec::Similar(area) => most_similar(area, municipality, cx)?,
            _ => unreachable_spec(spec)?,
        },
    };
    peers_of(found, municipality)
}

/// nyckeltal's `SIMILAR_K` nearest municipalities by an area's factors.
fn most_similar(area: &str, municipality: &Municipality, cx: &Context) -> Result<Named> {
    let set = cx.refdata.factor_set(area)?;
    check_factors(&set, cx.catalogue)?;
    let (year, standardised) = standardised(&set, None, cx)?;
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
    Ok(Named {
        label: format!("similar:{area} (nyckeltal, {SIMILAR_K} most similar, factors {year})"),
        title: format!("similar:{area} (nyckeltal {year})"),
        members: nearest,
        group: None,
    })
}

/// `named` resolves every spec but `similar:`; this says so if that changes.
fn unreachable_spec(spec: &str) -> Result<Named> {
    Err(error::usage(format!(
        "--peers '{spec}' could not be resolved; write auto, similar:AREA, a group id, a peer list or municipalities"
    )))
}

/// The 20 other regions: a region's peers when none are named.
pub(crate) fn other_regions(region: &Municipality, catalogue: &Catalogue) -> Result<Peers> {
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
        left_out: None,
        group: None,
    })
}
