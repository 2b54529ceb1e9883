//! Report specs: a saved, shareable description of a review (TOML), read
//! here as written (names with their lines); `resolve::spec` finds what
//! the names stand for.
//!
//! ```toml
//! title = "Tjörn – höstens genomgång"
//! municipality = "Tjörn"                      # or: network = "goteborgsregionen"
//! sets = ["aldreomsorg-kostnad", "aldreomsorg-kvalitet"]
//! peers = ["auto", "tjorn-aldreomsorg"]        # side by side; a network compares with its other members
//! years = "2018-2022"                          # default: the latest five with figures
//! cost_quality = ["N20900", "U21468"]          # optional: cost (x) against quality (y)
//! lang = "sv"                                  # the documents' language: sv (default) or en
//! explain = ["äldreomsorg", "lss"]             # optional: "why does the cost differ?" per area (peers auto)
//!
//! [peers]                                      # or: peers per set (instead of the list above)
//! aldreomsorg-kostnad = ["auto", "tjorn-aldreomsorg"]
//! funktionshinder-kostnad = ["auto", "tjorn-funktionshinder"]
//! default = ["auto"]                           # sets not named
//!
//! brief_peers = "tjorn-aldreomsorg"            # optional: the brief compares with this group only (or a list)
//!
//! [explain]                                    # or: the areas with the peer group each is split against
//! aldreomsorg = "tjorn-aldreomsorg"            # (a TOML key without å, ä, ö, or "äldreomsorg" in quotes)
//! lss = "tjorn-funktionshinder"
//! ```
//!
//! Every mistake is reported with the file, the line and what to do.

use std::path::Path;

use anyhow::Result;
use serde::Deserialize;
use toml::Spanned;

use super::files::{line_of, parse_toml, Origin};
use crate::base::error;
use crate::base::read::read_hand_written;
use crate::model::lang::Lang;

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
    lang: Option<Lang>,
    /// Areas whose cost chains are split: a list (peers auto) or a table
    /// area → peer group.
    explain: Option<Spanned<toml::Value>>,
    /// The peer group (or groups) the brief compares with, when not every
    /// group of the sets: a name or a list of names from `peers`.
    brief_peers: Option<Spanned<toml::Value>>,
}

/// A value as written, with its line.
pub(crate) type Written<T> = (T, usize);

/// A spec as written: names with their lines, not yet resolved.
pub(crate) struct SpecText {
    pub title: Option<String>,
    pub municipality: Option<Written<String>>,
    pub network: Option<Written<String>>,
    /// The sets named, each once, in order.
    pub sets: Vec<Written<String>>,
    pub peers: PeerChoice,
    /// The line of each set named in a `[peers]` table.
    pub peers_set_lines: Vec<Written<String>>,
    /// Every peer spec with its line, whichever form `peers` has.
    pub peer_specs: Vec<Written<String>>,
    pub years: Option<Written<String>>,
    pub cost_quality: Option<Written<Vec<String>>>,
    pub lang: Option<Lang>,
    /// The areas to explain, each with its peer spec, and their line.
    pub explain: Vec<Written<(String, String)>>,
    /// The peer specs the brief is limited to, each with its line.
    pub brief_peers: Vec<Written<String>>,
    pub origin: Origin,
}

/// Read a spec file: a small regular TOML file, every mistake named with
/// its line.
pub(crate) fn read(path: &Path) -> Result<SpecText> {
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
    let text = read_hand_written(path, "the spec")?;
    let file: SpecFile = parse_toml(&text, &origin)?;
    let written =
        |value: &Spanned<String>| (value.get_ref().clone(), line_of(&text, value.span().start));
    let mut sets: Vec<Written<String>> = Vec::new();
    for name in &file.sets {
        // A set named twice is reviewed once (checked by name first: a
        // spec may list one set thousands of times).
        if !sets.iter().any(|(n, _)| n == name.get_ref()) {
            sets.push(written(name));
        }
    }
    let peer_specs = peer_choice(file.peers.as_ref(), &text, &origin)?;
    let peers = group_choice(file.peers.as_ref(), &text, &origin)?;
    let peers_set_lines = peers
        .per_set
        .iter()
        .map(|(set, _)| (set.clone(), peers_line(file.peers.as_ref(), &text, set)))
        .collect();
    Ok(SpecText {
        title: file.title.clone(),
        municipality: file.municipality.as_ref().map(written),
        network: file.network.as_ref().map(written),
        sets,
        peer_specs,
        peers,
        peers_set_lines,
        years: file.years.as_ref().map(written),
        cost_quality: file
            .cost_quality
            .as_ref()
            .map(|c| (c.get_ref().clone(), line_of(&text, c.span().start))),
        lang: file.lang,
        explain: explain_areas(file.explain.as_ref(), &text, &origin)?,
        brief_peers: brief_peers(file.brief_peers.as_ref(), &text, &origin)?,
        origin,
    })
}

/// `brief_peers = "tjorn-aldreomsorg"` or a list of such names.
fn brief_peers(
    value: Option<&Spanned<toml::Value>>,
    text: &str,
    origin: &Origin,
) -> Result<Vec<Written<String>>> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    let line = line_of(text, value.span().start);
    let wrong = || {
        error::usage(format!(
            "{}: brief_peers takes a peer group of the spec's peers, \"tjorn-aldreomsorg\", or a list of them",
            origin.at_line(line)
        ))
    };
    match value.get_ref() {
        toml::Value::String(name) => Ok(vec![(name.clone(), line)]),
        toml::Value::Array(items) => items
            .iter()
            .map(|item| Ok((item.as_str().ok_or_else(wrong)?.to_string(), line)))
            .collect(),
        _ => Err(wrong()),
    }
}

/// `explain = ["äldreomsorg", "lss"]` (each against `auto`) or an
/// `[explain]` table of area = "peer group".
fn explain_areas(
    explain: Option<&Spanned<toml::Value>>,
    text: &str,
    origin: &Origin,
) -> Result<Vec<Written<(String, String)>>> {
    let Some(explain) = explain else {
        return Ok(Vec::new());
    };
    let line = line_of(text, explain.span().start);
    let wrong = || {
        error::usage(format!(
            "{}: explain takes a list of areas, [\"äldreomsorg\", \"lss\"], or an [explain] table of area = \"peer group\"",
            origin.at_line(line)
        ))
    };
    match explain.get_ref() {
        toml::Value::Array(items) => items
            .iter()
            .map(|item| {
                let area = item.as_str().ok_or_else(wrong)?;
                Ok(((area.to_string(), "auto".to_string()), line))
            })
            .collect(),
        toml::Value::Table(table) => table
            .iter()
            .map(|(area, peers)| {
                let peers = peers.as_str().ok_or_else(wrong)?;
                let at = key_line(explain, text, area);
                Ok(((area.clone(), peers.to_string()), at))
            })
            .collect(),
        _ => Err(wrong()),
    }
}

/// The peer groups of each set: `set name → peer specs`, and the default.
#[derive(Debug, Clone)]
pub(crate) struct PeerChoice {
    pub per_set: Vec<(String, Vec<String>)>,
    pub default: Vec<String>,
}

impl PeerChoice {
    pub(crate) fn for_set(&self, set: &str) -> &[String] {
        self.per_set
            .iter()
            .find(|(name, _)| name == set)
            .map_or(&self.default, |(_, peers)| peers)
    }
}

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
    match peers {
        Some(peers) => key_line(peers, text, set),
        None => 1,
    }
}

/// The line of `key = …` inside a table (the table's own line when not found).
fn key_line(table: &Spanned<toml::Value>, text: &str, wanted: &str) -> usize {
    let start = table.span().start.min(text.len());
    let after = &text[start..table.span().end.min(text.len())];
    for (offset, line) in after.lines().enumerate() {
        let key = line
            .split('=')
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches('"');
        if key == wanted {
            return line_of(text, start) + offset;
        }
    }
    line_of(text, start)
}
