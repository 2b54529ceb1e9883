//! Report specs: a saved, shareable description of a review (TOML).
//!
//! ```toml
//! title = "Tjörn – höstens genomgång"
//! municipality = "Tjörn"                      # or: network = "goteborgsregionen"
//! sets = ["aldreomsorg-kostnad", "aldreomsorg-kvalitet"]
//! peers = ["auto", "tjorn-aldreomsorg"]        # side by side; a network compares with its other members
//! years = "2018-2022"                          # default: the latest five with figures
//! cost_quality = ["N20900", "U21468"]          # optional: cost (x) against quality (y)
//! lang = "sv"                                  # the documents' language: sv (default) or en
//!
//! [peers]                                      # or: peers per set (instead of the list above)
//! aldreomsorg-kostnad = ["auto", "tjorn-aldreomsorg"]
//! funktionshinder-kostnad = ["auto", "tjorn-funktionshinder"]
//! default = ["auto"]                           # sets not named
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
    /// A list for every set, or a table of lists (or single names) per set.
    peers: Option<Spanned<toml::Value>>,
    years: Option<Spanned<String>>,
    cost_quality: Option<Spanned<Vec<String>>>,
    lang: Option<crate::i18n::Lang>,
}

/// Who is reviewed.
pub enum Subject {
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

/// The peer groups of each set: `set name → peer specs`, and the default.
#[derive(Debug, Clone)]
pub struct PeerChoice {
    pub per_set: Vec<(String, Vec<String>)>,
    pub default: Vec<String>,
}

impl PeerChoice {
    pub fn for_set(&self, set: &str) -> &[String] {
        self.per_set
            .iter()
            .find(|(name, _)| name == set)
            .map_or(&self.default, |(_, peers)| peers)
    }
}

pub struct Spec {
    pub title: String,
    /// The documents' language, when the spec says.
    pub lang: Option<crate::i18n::Lang>,
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
    if !path.exists() {
        return Err(error::not_found(format!(
            "cannot read the spec {} (no such file); check the path",
            path.display()
        )));
    }
    let text = crate::files::read_hand_written(path, "the spec")?;
    let file: SpecFile = parse_toml(&text, &origin)?;
    let at = |span: std::ops::Range<usize>| origin.at_line(line_of(&text, span.start));

    let subject = match (&file.municipality, &file.network) {
        (Some(m), None) => {
            let municipality = resolve::municipality(m.get_ref(), catalogue)
                .map_err(|e| error::at(&at(m.span()), e))?
                .clone();
            let choice = peer_choice(file.peers.as_ref(), &text, &origin)?;
            // Check what can be checked now: `auto` and `similar:` depend on
            // each set's area and are resolved per set when the report runs.
            for (spec, line) in &choice {
                let spec = spec.trim();
                if spec != "auto" && !spec.starts_with("auto:") && !spec.starts_with("similar:") {
                    crate::peers::resolve(spec, &municipality, None, catalogue, refdata)
                        .map_err(|e| error::at(&origin.at_line(*line), e))?;
                }
            }
            let peers = group_choice(file.peers.as_ref(), &text, &origin)?;
            Subject::Municipality { municipality, peers }
        }
        (None, Some(n)) => {
            let (label, ids) = crate::peers::network_members(n.get_ref(), catalogue, refdata).map_err(|e| error::at(&at(n.span()), e))?;
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
            let region = match refdata.peer_list(n.get_ref())?.and_then(|l| l.region.clone().map(|r| (r, l))) {
                Some((region, list)) => {
                    let found = resolve::municipality(&region, catalogue)
                        .map_err(|e| error::at(&list.origin.path, e))?;
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
            Subject::Network { label, members, region }
        }
        _ => {
            return Err(error::usage(format!(
                "{}: a spec names either municipality = \"…\" or network = \"…\" (a peer list or group id); add one",
                origin.path
            )))
        }
    };

    let mut sets: Vec<IndicatorSet> = Vec::new();
    let mut named: Vec<&str> = Vec::new();
    for name in &file.sets {
        // A set named twice is reviewed once (checked by name first: a
        // spec may list one set thousands of times).
        if named.contains(&name.get_ref().as_str()) {
            continue;
        }
        named.push(name.get_ref());
        let set = refdata
            .set(name.get_ref())
            .map_err(|e| error::at(&at(name.span()), e))?;
        // A set named twice is reviewed once.
        if sets
            .iter()
            .any(|s| s.name == set.name && s.origin.path == set.origin.path)
        {
            continue;
        }
        sets.push(set);
    }
    // One request for the metadata of every set's KPIs, then each set checked.
    let every: Vec<String> = sets
        .iter()
        .flat_map(|s| s.entries.iter().map(|e| e.kpi.clone()))
        .collect();
    catalogue.prefetch_kpis(&every)?;
    for set in &sets {
        set.check(catalogue)?;
        if set.level == crate::refdata::Level::Region {
            let fits = matches!(
                &subject,
                Subject::Network {
                    region: Some(_),
                    ..
                }
            );
            if !fits {
                return Err(error::usage(format!(
                    "{}: the set {} holds figures published for regions; it belongs in a network's spec whose peer list names its region (region = \"Region Värmland\")",
                    origin.path, set.name
                )));
            }
        }
    }
    if let Subject::Municipality { peers, .. } = &subject {
        for (name, _) in &peers.per_set {
            if name != "default" && !sets.iter().any(|s| &s.name == name) {
                let line = peers_line(file.peers.as_ref(), &text, name);
                return Err(error::usage(format!(
                    "{}: [peers] names the set '{name}', which is not in sets = [...]; add it there or remove the line",
                    origin.at_line(line)
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
        // When the review covers elderly-care costs: the net cost deviation
        // against overall satisfaction with home care.
        None if sets
            .iter()
            .any(|s| s.entries.iter().any(|e| e.kpi == "N20900")) =>
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
        lang: file.lang,
        subject,
        sets,
        years,
        cost_quality,
        origin,
    })
}

/// A network's members: a peer list, a group id, or municipalities.
/// Every peer spec in `peers` with its line, whichever form it has.
fn peer_choice(
    peers: Option<&Spanned<toml::Value>>,
    text: &str,
    origin: &Origin,
) -> Result<Vec<(String, usize)>> {
    let Some(peers) = peers else {
        return Ok(Vec::new());
    };
    let line = line_of(text, peers.span().start);
    let list = |value: &toml::Value, line: usize| -> Result<Vec<(String, usize)>> {
        match value {
            toml::Value::String(s) => Ok(vec![(s.clone(), line)]),
            toml::Value::Array(items) => items
                .iter()
                .map(|item| match item {
                    toml::Value::String(s) => Ok((s.clone(), line)),
                    _ => Err(peers_error(origin, line)),
                })
                .collect(),
            _ => Err(peers_error(origin, line)),
        }
    };
    match peers.get_ref() {
        toml::Value::Table(table) => {
            let mut all = Vec::new();
            for (set, value) in table {
                all.extend(list(value, peers_line(Some(peers), text, set))?);
            }
            Ok(all)
        }
        other => list(other, line),
    }
}

/// The peer groups per set from `peers`: a list for every set, or a table.
fn group_choice(
    peers: Option<&Spanned<toml::Value>>,
    text: &str,
    origin: &Origin,
) -> Result<PeerChoice> {
    let names = |value: &toml::Value| -> Vec<String> {
        match value {
            toml::Value::String(s) => vec![s.clone()],
            toml::Value::Array(items) => items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        }
    };
    let auto = vec!["auto".to_string()];
    let choice = match peers.map(|p| p.get_ref()) {
        None => PeerChoice {
            per_set: Vec::new(),
            default: auto,
        },
        Some(toml::Value::Table(table)) => PeerChoice {
            default: table.get("default").map(names).unwrap_or(auto),
            per_set: table
                .iter()
                .map(|(set, value)| (set.clone(), names(value)))
                .collect(),
        },
        Some(value) => PeerChoice {
            per_set: Vec::new(),
            default: names(value),
        },
    };
    let empty =
        choice.default.is_empty() || choice.per_set.iter().any(|(_, peers)| peers.is_empty());
    if empty {
        let line = peers.map(|p| line_of(text, p.span().start)).unwrap_or(1);
        return Err(error::usage(format!(
            "{}: an empty peer list; name at least one peer group (e.g. \"auto\")",
            origin.at_line(line)
        )));
    }
    Ok(choice)
}

fn peers_error(origin: &Origin, line: usize) -> anyhow::Error {
    error::usage(format!(
        "{}: peers takes a list of peer groups, [\"auto\", \"tjorn-aldreomsorg\"], or a [peers] table with one such list per set",
        origin.at_line(line)
    ))
}

/// The line of `set = …` inside a `[peers]` table (the table's own line when not found).
fn peers_line(peers: Option<&Spanned<toml::Value>>, text: &str, set: &str) -> usize {
    let Some(peers) = peers else { return 1 };
    let start = peers.span().start.min(text.len());
    let after = &text[start..peers.span().end.min(text.len())];
    for (offset, line) in after.lines().enumerate() {
        let key = line
            .split('=')
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches('"');
        if key == set {
            return line_of(text, start) + offset;
        }
    }
    line_of(text, start)
}
