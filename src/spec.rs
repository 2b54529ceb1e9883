//! Report specs: a saved, shareable description of a review (TOML).
//!
//! ```toml
//! title = "Tjörn – höstens genomgång"
//! municipality = "Tjörn"                      # or: network = "goteborgsregionen"
//! sets = ["aldreomsorg-kostnad", "aldreomsorg-kvalitet"]
//! peers = ["auto", "tjorn-aldreomsorg"]        # side by side; a network compares with its other members
//! years = "2018-2022"                          # default: the latest five with figures
//! cost_quality = ["N20900", "U21468"]          # optional: cost (x) against quality (y)
//! ```
//!
//! Every mistake is reported with the file, the line and what to do.

use std::path::Path;

use anyhow::Result;
use serde::Deserialize;
use toml::Spanned;

use crate::catalogue::Catalogue;
use crate::error;
use crate::model::Municipality;
use crate::refdata::{line_of, parse_toml, IndicatorSet, Origin, RefData};
use crate::resolve;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SpecFile {
    title: Option<String>,
    municipality: Option<Spanned<String>>,
    network: Option<Spanned<String>>,
    sets: Vec<Spanned<String>>,
    #[serde(default)]
    peers: Vec<Spanned<String>>,
    years: Option<Spanned<String>>,
    cost_quality: Option<Spanned<Vec<String>>>,
}

/// Who is reviewed.
pub enum Subject {
    /// One municipality against one or more peer groups, side by side.
    Municipality {
        municipality: Municipality,
        peers: Vec<String>,
    },
    /// Every member of a network in one table, each against the others.
    Network {
        label: String,
        members: Vec<Municipality>,
    },
}

pub struct Spec {
    pub title: String,
    pub subject: Subject,
    pub sets: Vec<IndicatorSet>,
    pub years: Option<Vec<i32>>,
    /// Cost KPI (x) and quality KPI (y) for the cost-vs-quality view.
    pub cost_quality: Option<(String, String)>,
    pub origin: Origin,
}

pub fn load(path: &Path, catalogue: &Catalogue, refdata: &RefData) -> Result<Spec> {
    let origin = Origin {
        path: path.display().to_string(),
        builtin: false,
    };
    let text = std::fs::read_to_string(path).map_err(|e| {
        error::not_found(format!(
            "cannot read the spec {} ({e}); check the path",
            path.display()
        ))
    })?;
    let file: SpecFile = parse_toml(&text, &origin)?;
    let at = |span: std::ops::Range<usize>| origin.at_line(line_of(&text, span.start));

    let subject = match (&file.municipality, &file.network) {
        (Some(m), None) => {
            let municipality =
                resolve::municipality(m.get_ref(), catalogue).map_err(|e| error::at(&at(m.span()), e))?.clone();
            let peers: Vec<String> = if file.peers.is_empty() {
                vec!["auto".to_string()]
            } else {
                file.peers.iter().map(|p| p.get_ref().clone()).collect()
            };
            // Check what can be checked now: `auto` and `similar:` depend on
            // each set's area and are resolved per set when the report runs.
            for p in &file.peers {
                let spec = p.get_ref().trim();
                if spec != "auto" && !spec.starts_with("auto:") && !spec.starts_with("similar:") {
                    crate::peers::resolve(spec, &municipality, None, catalogue, refdata)
                        .map_err(|e| error::at(&at(p.span()), e))?;
                }
            }
            Subject::Municipality { municipality, peers }
        }
        (None, Some(n)) => {
            let (label, ids) = network_members(n.get_ref(), catalogue, refdata).map_err(|e| error::at(&at(n.span()), e))?;
            if ids.len() < 2 {
                return Err(error::usage(format!(
                    "{}: the network '{}' has {} member(s); a network review needs at least two",
                    at(n.span()),
                    n.get_ref(),
                    ids.len()
                )));
            }
            let mut members = Vec::new();
            for id in ids {
                members.push(catalogue.municipality(&id)?.expect("resolved above").clone());
            }
            Subject::Network { label, members }
        }
        _ => {
            return Err(error::usage(format!(
                "{}: a spec names either municipality = \"…\" or network = \"…\" (a peer list or group id); add one",
                origin.path
            )))
        }
    };

    let mut sets = Vec::new();
    for name in &file.sets {
        let set = refdata
            .set(name.get_ref())
            .map_err(|e| error::at(&at(name.span()), e))?;
        set.check(catalogue)?;
        sets.push(set);
    }
    if sets.is_empty() {
        return Err(error::usage(format!(
            "{}: sets = [] is empty; name at least one indicator set",
            origin.path
        )));
    }
    let years = match &file.years {
        Some(years) => Some(
            resolve::parse_years(years.get_ref()).map_err(|e| error::at(&at(years.span()), e))?,
        ),
        None => None,
    };
    let cost_quality = match &file.cost_quality {
        Some(pair) => match pair.get_ref().as_slice() {
            [cost, quality] => {
                let one = |id: &str| -> Result<String> {
                    let mut ids = resolve::kpi_ids(id, catalogue)
                        .map_err(|e| error::at(&at(pair.span()), e))?;
                    Ok(ids.remove(0))
                };
                Some((one(cost)?, one(quality)?))
            }
            _ => {
                return Err(error::usage(format!(
                "{}: cost_quality takes two KPI ids, cost then quality: [\"N20900\", \"U21468\"]",
                at(pair.span())
            )))
            }
        },
        // Elderly care: net cost deviation against overall satisfaction with home care.
        None if sets.iter().any(|s| {
            s.entries
                .iter()
                .any(|e| e.area.as_deref() == Some("äldreomsorg"))
        }) =>
        {
            Some(("N20900".to_string(), "U21468".to_string()))
        }
        None => None,
    };
    let title = file.title.unwrap_or_else(|| match &subject {
        Subject::Municipality { municipality, .. } => format!("{} – nyckeltal", municipality.title),
        Subject::Network { label, .. } => format!("{label} – nyckeltal"),
    });
    Ok(Spec {
        title,
        subject,
        sets,
        years,
        cost_quality,
        origin,
    })
}

/// A network's members: a peer list, a group id, or municipalities.
fn network_members(
    spec: &str,
    catalogue: &Catalogue,
    refdata: &RefData,
) -> Result<(String, Vec<String>)> {
    if let Some(list) = refdata.peer_list(spec)? {
        let mut ids = Vec::new();
        for (member, line) in &list.members {
            let m = resolve::municipality(member, catalogue)
                .map_err(|e| error::at(&list.at_line(*line), e))?;
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
