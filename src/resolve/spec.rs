//! A report spec resolved: who is reviewed, the sets (checked against the
//! catalogue), the years and the cost-vs-quality pair. Every mistake is
//! reported with the spec's file, the line and what to do.

use std::path::Path;

use anyhow::Result;

use super::kpis::{check_set, kpi_ids};
use super::peers::{named, network_members, peers_of, PeerSpec};
use super::places::municipality;
use crate::base::error;
use crate::catalogue::Catalogue;
use crate::model::lang::Lang;
use crate::model::scale::Level;
use crate::model::years::parse_years;
use crate::model::Municipality;
use crate::refdata::spec::{self, PeerChoice, SpecText};
use crate::refdata::{IndicatorSet, RefData};

/// Who is reviewed.
pub(crate) enum Subject {
    /// One municipality against one or more peer groups per set, side by side.
    Municipality {
        municipality: Municipality,
        peers: PeerChoice,
    },
    /// Every member of a network in one table, each against the others;
    /// the county's region, when the network has one, for region-level sets.
    Network {
        label: String,
        members: Vec<Municipality>,
        region: Option<Municipality>,
    },
}

pub(crate) struct Spec {
    pub title: String,
    /// The documents' language, when the spec says.
    pub lang: Option<Lang>,
    pub subject: Subject,
    pub sets: Vec<IndicatorSet>,
    pub years: Option<Vec<i32>>,
    /// Cost KPI (x) and quality KPI (y) for the cost-vs-quality view.
    pub cost_quality: Option<(String, String)>,
    /// The areas whose cost chains are split ("Varför skiljer sig
    /// kostnaden?"), each with the peer spec it is split against.
    pub explain: Vec<ExplainArea>,
    /// The peer specs the brief compares with; empty: every group of the
    /// sets, side by side.
    pub brief_peers: Vec<String>,
}

/// An area whose cost gap the review explains, against one peer group.
pub(crate) struct ExplainArea {
    /// As the spec names it ("äldreomsorg", "lss" or a chain file's path).
    pub area: String,
    pub peers: String,
}

pub(crate) fn load(path: &Path, catalogue: &Catalogue, refdata: &RefData) -> Result<Spec> {
    let text = spec::read(path)?;
    let origin = text.origin.clone();
    let subject = subject(&text, catalogue, refdata)?;
    let sets = sets(&text, &subject, catalogue, refdata)?;
    if let Subject::Municipality { .. } = &subject {
        for (name, line) in &text.peers_set_lines {
            if name != "default" && !sets.iter().any(|s| &s.name == name) {
                return Err(error::usage(format!(
                    "{}: [peers] names the set '{name}', which is not in sets = [...]; add it there or remove the line",
                    origin.at_line(*line)
                )));
            }
        }
    }
    if sets.is_empty() {
        return Err(error::usage(format!(
            "{}: sets = [] is empty; name at least one indicator set",
            origin.path
        )));
    }
    let years = match &text.years {
        Some((years, line)) => {
            Some(parse_years(years).map_err(|e| error::at(&origin.at_line(*line), e))?)
        }
        None => None,
    };
    let cost_quality = cost_quality(&text, &sets, catalogue)?;
    let explain = explain_areas(&text, &subject, refdata)?;
    let brief_peers = brief_peers(&text, &subject)?;
    let title = text.title.clone().unwrap_or_else(|| match &subject {
        Subject::Municipality { municipality, .. } => format!("{} – nyckeltal", municipality.title),
        Subject::Network { label, .. } => format!("{label} – nyckeltal"),
    });
    Ok(Spec {
        title,
        lang: text.lang,
        subject,
        sets,
        years,
        cost_quality,
        explain,
        brief_peers,
    })
}

/// The groups the brief is limited to: each one the spec's peers name, in
/// a municipality's review (a network's members are compared with each
/// other).
fn brief_peers(text: &SpecText, subject: &Subject) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for (name, line) in &text.brief_peers {
        let at = text.origin.at_line(*line);
        let Subject::Municipality { peers, .. } = subject else {
            return Err(error::usage(format!(
                "{at}: brief_peers is for a municipality's review; a network's members are compared with each other"
            )));
        };
        let named = peers
            .default
            .iter()
            .chain(peers.per_set.iter().flat_map(|(_, p)| p));
        if !named.clone().any(|p| p == name) {
            let all: Vec<String> = named.cloned().collect();
            return Err(error::usage(format!(
                "{at}: brief_peers names '{name}', which is not among the spec's peers ({}); name one of them",
                all.join(", ")
            )));
        }
        out.push(name.clone());
    }
    Ok(out)
}

/// The areas to explain: each has cost chains, its peer spec reads, and
/// the review is of one municipality (a network's members each have
/// their own peers: `nyckeltal explain` per member).
fn explain_areas(
    text: &SpecText,
    subject: &Subject,
    refdata: &RefData,
) -> Result<Vec<ExplainArea>> {
    let mut areas = Vec::new();
    for ((area, peers), line) in &text.explain {
        let at = |e| error::at(&text.origin.at_line(*line), e);
        if let Subject::Network { .. } = subject {
            return Err(error::usage(format!(
                "{}: explain is for a municipality's review; for a network's members run `nyckeltal explain MEMBER --area {area}` each, or remove the line",
                text.origin.at_line(*line)
            )));
        }
        refdata.chain_set(area).map_err(at)?;
        PeerSpec::parse(peers, refdata).map_err(at)?;
        areas.push(ExplainArea {
            area: area.clone(),
            peers: peers.clone(),
        });
    }
    Ok(areas)
}

/// The municipality (its peer specs checked where they do not depend on a
/// set), or the network with its members and region.
fn subject(text: &SpecText, catalogue: &Catalogue, refdata: &RefData) -> Result<Subject> {
    let origin = &text.origin;
    match (&text.municipality, &text.network) {
        (Some((name, line)), None) => {
            let municipality = municipality(name, catalogue)
                .map_err(|e| error::at(&origin.at_line(*line), e))?
                .clone();
            // `auto` and `similar:` depend on each set's area and are
            // resolved per set when the report runs.
            for (peer_spec, line) in &text.peer_specs {
                let at = |e| error::at(&origin.at_line(*line), e);
                let parsed = PeerSpec::parse(peer_spec, refdata).map_err(at)?;
                if !parsed.depends_on_set() {
                    if let Some(found) =
                        named(&parsed, &municipality, None, catalogue, refdata).map_err(at)?
                    {
                        peers_of(found, &municipality).map_err(at)?;
                    }
                }
            }
            Ok(Subject::Municipality {
                municipality,
                peers: text.peers.clone(),
            })
        }
        (None, Some((name, line))) => network(name, origin.at_line(*line), catalogue, refdata),
        _ => Err(error::usage(format!(
            "{}: a spec names either municipality = \"…\" or network = \"…\" (a peer list or group id); add one",
            origin.path
        ))),
    }
}

/// A network's members (at least two) and the region its list names.
fn network(name: &str, at: String, catalogue: &Catalogue, refdata: &RefData) -> Result<Subject> {
    let (label, ids) = network_members(name, catalogue, refdata).map_err(|e| error::at(&at, e))?;
    if ids.len() < 2 {
        return Err(error::usage(format!(
            "{at}: the network '{name}' has {} member(s); a network review needs at least two",
            ids.len()
        )));
    }
    let mut members = Vec::new();
    for id in ids {
        let member = catalogue.municipality(&id)?.ok_or_else(|| {
            error::not_found(format!(
                "{at}: the network '{name}' lists {id}, which the source's municipality list does not have"
            ))
        })?;
        members.push(member.clone());
    }
    let list = refdata.peer_list(name)?;
    let region = match list
        .as_ref()
        .and_then(|l| l.region.as_ref().map(|r| (r, l)))
    {
        Some((region, list)) => {
            let found =
                municipality(region, catalogue).map_err(|e| error::at(&list.origin.path, e))?;
            if !found.is_region() {
                return Err(error::usage(format!(
                    "{}: region = \"{region}\" is not one of the 21 regions; write e.g. \"Region Värmland\"",
                    list.origin.path
                )));
            }
            Some(found.clone())
        }
        None => None,
    };
    Ok(Subject::Network {
        label,
        members,
        region,
    })
}

/// The sets, each once, checked against the catalogue (one request for
/// the metadata of all their KPIs); a region-level set only in a network
/// whose list names its region.
fn sets(
    text: &SpecText,
    subject: &Subject,
    catalogue: &Catalogue,
    refdata: &RefData,
) -> Result<Vec<IndicatorSet>> {
    let origin = &text.origin;
    let mut sets: Vec<IndicatorSet> = Vec::new();
    for (name, line) in &text.sets {
        let set = refdata
            .set(name)
            .map_err(|e| error::at(&origin.at_line(*line), e))?;
        // Two names for one file (a name and its path) are one set.
        if !sets
            .iter()
            .any(|s| s.name == set.name && s.origin.path == set.origin.path)
        {
            sets.push(set);
        }
    }
    let every: Vec<String> = sets
        .iter()
        .flat_map(|s| s.entries.iter().map(|e| e.kpi.clone()))
        .collect();
    catalogue.prefetch_kpis(&every)?;
    let with_region = matches!(
        subject,
        Subject::Network {
            region: Some(_),
            ..
        }
    );
    for set in &sets {
        check_set(set, catalogue)?;
        if set.level == Level::Region && !with_region {
            return Err(error::usage(format!(
                "{}: the set {} holds figures published for regions; it belongs in a network's spec whose peer list names its region (region = \"Region Värmland\")",
                origin.path, set.name
            )));
        }
    }
    Ok(sets)
}

/// The cost and quality KPIs of the cost-vs-quality view: as the spec
/// says, or for a review of elderly-care costs the net cost deviation
/// against overall satisfaction with home care.
fn cost_quality(
    text: &SpecText,
    sets: &[IndicatorSet],
    catalogue: &Catalogue,
) -> Result<Option<(String, String)>> {
    let Some((pair, line)) = &text.cost_quality else {
        let elderly_care = sets
            .iter()
            .any(|s| s.entries.iter().any(|e| e.kpi == "N20900"));
        return Ok(elderly_care.then(|| ("N20900".to_string(), "U21468".to_string())));
    };
    let at = text.origin.at_line(*line);
    let [cost, quality] = pair.as_slice() else {
        return Err(error::usage(format!(
            "{at}: cost_quality takes two KPI ids, cost then quality: [\"N20900\", \"U21468\"]"
        )));
    };
    let one = |id: &str| -> Result<String> {
        let ids = kpi_ids(id, catalogue).map_err(|e| error::at(&at, e))?;
        ids.into_iter()
            .next()
            .ok_or_else(|| error::usage(format!("{at}: '{id}' names no KPI")))
    };
    Ok(Some((one(cost)?, one(quality)?)))
}
