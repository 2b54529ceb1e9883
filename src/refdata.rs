//! Project-owned reference data a controller can read and edit: indicator
//! sets (`data/sets/*.toml`) and peer lists (`data/peers/*.toml`).
//!
//! The files in the repository's `data/` are built into the binary. Files
//! in the user's data directory (`--data-dir`, `NYCKELTAL_DATA_DIR`, or the
//! platform config dir, e.g. `~/.config/nyckeltal`) with `sets/` and
//! `peers/` inside add to them and win over a built-in file of the same
//! name. `--set` and `--peers` also take a path to a `.toml` file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::Deserialize;
use toml::Spanned;

use crate::catalogue::Catalogue;
use crate::error;
use crate::resolve::did_you_mean_kpi;

const BUILTIN_SETS: [(&str, &str); 4] = [
    (
        "aldreomsorg-kostnad",
        include_str!("../data/sets/aldreomsorg-kostnad.toml"),
    ),
    (
        "aldreomsorg-kvalitet",
        include_str!("../data/sets/aldreomsorg-kvalitet.toml"),
    ),
    (
        "funktionshinder-kostnad",
        include_str!("../data/sets/funktionshinder-kostnad.toml"),
    ),
    ("nara-vard", include_str!("../data/sets/nara-vard.toml")),
];

const BUILTIN_PEERS: [(&str, &str); 4] = [
    (
        "goteborgsregionen",
        include_str!("../data/peers/goteborgsregionen.toml"),
    ),
    (
        "tjorn-aldreomsorg",
        include_str!("../data/peers/tjorn-aldreomsorg.toml"),
    ),
    (
        "tjorn-funktionshinder",
        include_str!("../data/peers/tjorn-funktionshinder.toml"),
    ),
    ("varmland", include_str!("../data/peers/varmland.toml")),
];

const BUILTIN_SIMILARITY: [(&str, &str); 3] = [
    (
        "aldreomsorg",
        include_str!("../data/similarity/aldreomsorg.toml"),
    ),
    ("lss", include_str!("../data/similarity/lss.toml")),
    (
        "overgripande",
        include_str!("../data/similarity/overgripande.toml"),
    ),
];

/// Which way is better, for ranks and the green/yellow/red band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    LowerIsBetter,
    HigherIsBetter,
    Neutral,
}

impl Direction {
    /// Multiply a value by this to get a score where higher is better.
    /// Neutral figures rank from the highest value.
    pub fn sign(self) -> f64 {
        match self {
            Direction::LowerIsBetter => -1.0,
            Direction::HigherIsBetter | Direction::Neutral => 1.0,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Direction::LowerIsBetter => "lower_is_better",
            Direction::HigherIsBetter => "higher_is_better",
            Direction::Neutral => "neutral",
        }
    }
}

/// Where a reference file came from, for messages that say where to fix it.
#[derive(Debug, Clone)]
pub struct Origin {
    pub path: String,
    pub builtin: bool,
}

impl Origin {
    pub fn at_line(&self, line: usize) -> String {
        format!("{} line {line}", self.path)
    }
}

#[derive(Debug, Clone)]
pub struct SetEntry {
    pub kpi: String,
    pub label: String,
    pub unit: String,
    pub direction: Direction,
    /// Kolada's "Liknande kommuner" area for `--peers auto`.
    pub area: Option<String>,
    pub line: usize,
}

#[derive(Debug, Clone)]
pub struct IndicatorSet {
    pub name: String,
    pub title: String,
    pub entries: Vec<SetEntry>,
    pub origin: Origin,
}

impl IndicatorSet {
    /// Every id in the set exists in the catalogue; otherwise an error naming file and line.
    pub fn check(&self, catalogue: &Catalogue) -> Result<()> {
        for entry in &self.entries {
            if catalogue.kpi(&entry.kpi)?.is_none() {
                let hint = did_you_mean_kpi(&entry.kpi, catalogue.kpis()?);
                return Err(error::not_found(format!(
                    "{}: unknown KPI id '{}' in set {}; {hint}fix the id in the file",
                    self.origin.at_line(entry.line),
                    entry.kpi,
                    self.name
                )));
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone)]
pub struct PeerList {
    pub name: String,
    pub title: String,
    /// Members as written (names or codes), with their line.
    pub members: Vec<(String, usize)>,
    pub origin: Origin,
}

impl PeerList {
    pub fn at_line(&self, line: usize) -> String {
        self.origin.at_line(line)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SetFile {
    title: String,
    #[serde(default)]
    area: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(rename = "kpi", default)]
    kpis: Vec<EntryFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryFile {
    id: Spanned<String>,
    label: String,
    #[serde(default)]
    unit: String,
    direction: Direction,
    #[serde(default)]
    area: Option<String>,
}

/// A structural factor for similarity (`data/similarity/*.toml`).
#[derive(Debug, Clone, PartialEq)]
pub struct Factor {
    pub kpi: String,
    pub label: String,
    pub weight: f64,
    /// Take the logarithm before standardising (for skewed counts such as population).
    pub log: bool,
    pub line: usize,
}

#[derive(Debug, Clone)]
pub struct FactorSet {
    pub name: String,
    pub title: String,
    /// RKA's "Liknande kommuner" area to set the result against.
    pub area: Option<String>,
    pub factors: Vec<Factor>,
    pub origin: Origin,
}

impl FactorSet {
    pub fn check(&self, catalogue: &Catalogue) -> Result<()> {
        for factor in &self.factors {
            if catalogue.kpi(&factor.kpi)?.is_none() {
                let hint = did_you_mean_kpi(&factor.kpi, catalogue.kpis()?);
                return Err(error::not_found(format!(
                    "{}: unknown factor KPI '{}'; {hint}fix the id",
                    self.origin.at_line(factor.line),
                    factor.kpi
                )));
            }
        }
        Ok(())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FactorFile {
    title: String,
    #[serde(default)]
    area: Option<String>,
    #[serde(rename = "factor", default)]
    factors: Vec<FactorEntryFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FactorEntryFile {
    id: Spanned<String>,
    label: String,
    #[serde(default = "one")]
    weight: f64,
    #[serde(default)]
    transform: Option<Transform>,
}

#[derive(Deserialize, PartialEq)]
#[serde(rename_all = "snake_case")]
enum Transform {
    Log,
}

fn one() -> f64 {
    1.0
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PeerFile {
    title: String,
    #[serde(default)]
    municipality: Option<String>,
    members: Vec<Spanned<String>>,
}

/// The reference data: built-in files plus the user's data directory.
pub struct RefData {
    user_dir: Option<PathBuf>,
}

impl RefData {
    pub fn new(user_dir: Option<PathBuf>) -> RefData {
        let user_dir = user_dir.or_else(|| {
            directories::ProjectDirs::from("se", "nyckeltal", "nyckeltal")
                .map(|d| d.config_dir().to_path_buf())
        });
        RefData { user_dir }
    }

    pub fn user_dir(&self) -> Option<&Path> {
        self.user_dir.as_deref()
    }

    /// All set names with where each comes from, sorted.
    pub fn set_names(&self) -> Vec<(String, Origin)> {
        self.names("sets", &BUILTIN_SETS)
    }

    pub fn peer_names(&self) -> Vec<(String, Origin)> {
        self.names("peers", &BUILTIN_PEERS)
    }

    fn names(&self, kind: &str, builtin: &[(&str, &str)]) -> Vec<(String, Origin)> {
        let mut names: BTreeMap<String, Origin> = builtin
            .iter()
            .map(|(name, _)| {
                (
                    name.to_string(),
                    Origin {
                        path: format!("data/{kind}/{name}.toml"),
                        builtin: true,
                    },
                )
            })
            .collect();
        if let Some(dir) = &self.user_dir {
            if let Ok(entries) = std::fs::read_dir(dir.join(kind)) {
                for entry in entries.flatten() {
                    let path = entry.path();
                    if path.extension().is_some_and(|e| e == "toml") {
                        if let Some(stem) = path.file_stem().and_then(|s| s.to_str()) {
                            names.insert(
                                stem.to_string(),
                                Origin {
                                    path: path.display().to_string(),
                                    builtin: false,
                                },
                            );
                        }
                    }
                }
            }
        }
        names.into_iter().collect()
    }

    /// The text of a named file or a path, with its origin; `None` when there is none.
    fn read(
        &self,
        kind: &str,
        builtin: &[(&str, &str)],
        name_or_path: &str,
    ) -> Result<Option<(String, String, Origin)>> {
        let as_path = Path::new(name_or_path);
        if name_or_path.ends_with(".toml") {
            let text = std::fs::read_to_string(as_path).map_err(|e| {
                error::not_found(format!("cannot read {name_or_path} ({e}); check the path"))
            })?;
            let name = as_path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or(name_or_path)
                .to_string();
            return Ok(Some((
                name,
                text,
                Origin {
                    path: name_or_path.to_string(),
                    builtin: false,
                },
            )));
        }
        if let Some((_, origin)) = self
            .names(kind, builtin)
            .into_iter()
            .find(|(n, _)| n == name_or_path)
        {
            let text = if origin.builtin {
                builtin
                    .iter()
                    .find(|(n, _)| *n == name_or_path)
                    .map(|(_, t)| t.to_string())
                    .unwrap_or_default()
            } else {
                std::fs::read_to_string(&origin.path)
                    .map_err(|e| error::not_found(format!("cannot read {} ({e})", origin.path)))?
            };
            return Ok(Some((name_or_path.to_string(), text, origin)));
        }
        Ok(None)
    }

    pub fn set(&self, name_or_path: &str) -> Result<IndicatorSet> {
        let Some((name, text, origin)) = self.read("sets", &BUILTIN_SETS, name_or_path)? else {
            let names: Vec<String> = self.set_names().into_iter().map(|(n, _)| n).collect();
            let near = crate::text::closest(name_or_path, names.iter().map(String::as_str), 1);
            let hint = near
                .first()
                .map(|n| format!("did you mean {n}? "))
                .unwrap_or_default();
            return Err(error::not_found(format!(
                "unknown indicator set '{name_or_path}'; {hint}the sets are {} (`nyckeltal set list`)",
                names.join(", ")
            )));
        };
        let file: SetFile = parse_toml(&text, &origin)?;
        let _ = file.description;
        if file.kpis.is_empty() {
            return Err(error::usage(format!(
                "{}: set {name} has no [[kpi]] entries; add some",
                origin.path
            )));
        }
        let entries = file
            .kpis
            .into_iter()
            .map(|e| SetEntry {
                line: line_of(&text, e.id.span().start),
                kpi: e.id.into_inner().trim().to_uppercase(),
                label: e.label,
                unit: e.unit,
                direction: e.direction,
                area: e.area.or_else(|| file.area.clone()),
            })
            .collect();
        Ok(IndicatorSet {
            name,
            title: file.title,
            entries,
            origin,
        })
    }

    /// The similarity factors for an area ("äldreomsorg" → aldreomsorg.toml) or a path.
    pub fn factor_set(&self, area_or_path: &str) -> Result<FactorSet> {
        let name = if area_or_path.ends_with(".toml") {
            area_or_path.to_string()
        } else {
            crate::text::fold(area_or_path).replace(' ', "-")
        };
        let Some((name, text, origin)) = self.read("similarity", &BUILTIN_SIMILARITY, &name)?
        else {
            let names: Vec<String> = self
                .names("similarity", &BUILTIN_SIMILARITY)
                .into_iter()
                .map(|(n, _)| n)
                .collect();
            return Err(error::not_found(format!(
                "no similarity factors for '{area_or_path}'; there are factor sets for {} (data/similarity/), or give --factors KPI:WEIGHT,…",
                names.join(", ")
            )));
        };
        let file: FactorFile = parse_toml(&text, &origin)?;
        if file.factors.is_empty() {
            return Err(error::usage(format!(
                "{}: no [[factor]] entries; add some",
                origin.path
            )));
        }
        let mut factors = Vec::new();
        for f in file.factors {
            let line = line_of(&text, f.id.span().start);
            if !(f.weight.is_finite() && f.weight > 0.0) {
                return Err(error::usage(format!(
                    "{}: weight must be a positive number",
                    origin.at_line(line)
                )));
            }
            factors.push(Factor {
                kpi: f.id.into_inner().trim().to_uppercase(),
                label: f.label,
                weight: f.weight,
                log: f.transform == Some(Transform::Log),
                line,
            });
        }
        Ok(FactorSet {
            name,
            title: file.title,
            area: file.area,
            factors,
            origin,
        })
    }

    /// A peer list by name or path; `None` when there is no such file.
    pub fn peer_list(&self, name_or_path: &str) -> Result<Option<PeerList>> {
        let Some((name, text, origin)) = self.read("peers", &BUILTIN_PEERS, name_or_path)? else {
            return Ok(None);
        };
        let file: PeerFile = parse_toml(&text, &origin)?;
        let _ = file.municipality;
        let members = file
            .members
            .into_iter()
            .map(|m| (line_of(&text, m.span().start), m.into_inner()))
            .map(|(l, m)| (m, l))
            .collect();
        Ok(Some(PeerList {
            name,
            title: file.title,
            members,
            origin,
        }))
    }
}

pub fn parse_toml<T: serde::de::DeserializeOwned>(text: &str, origin: &Origin) -> Result<T> {
    toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
        let message = e
            .message()
            .lines()
            .next()
            .unwrap_or("invalid TOML")
            .trim()
            .to_string();
        error::usage(format!(
            "{}: {message}; fix the file (the layout is in the README)",
            origin.at_line(line)
        ))
    })
}

pub fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())]
        .bytes()
        .filter(|&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_sets_parse_with_lines() {
        let data = RefData { user_dir: None };
        let set = data.set("aldreomsorg-kostnad").unwrap();
        assert_eq!(
            set.entries
                .iter()
                .map(|e| e.kpi.as_str())
                .collect::<Vec<_>>(),
            ["N20900", "N20029", "N20007", "N20048", "N21006", "N23009"]
        );
        assert_eq!(set.entries[0].area.as_deref(), Some("äldreomsorg"));
        let text = BUILTIN_SETS[0].1;
        assert!(text
            .lines()
            .nth(set.entries[0].line - 1)
            .unwrap()
            .contains("N20900"));
        for (name, _) in BUILTIN_PEERS {
            assert!(!data.peer_list(name).unwrap().unwrap().members.is_empty());
        }
    }

    #[test]
    fn syntax_errors_name_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.toml");
        std::fs::write(
            &path,
            "title = \"x\"\n\n[[kpi]]\nid = \"N1\nlabel = \"y\"\n",
        )
        .unwrap();
        let err = RefData { user_dir: None }
            .set(path.to_str().unwrap())
            .unwrap_err()
            .to_string();
        assert!(err.contains("bad.toml line 4"), "{err}");
    }
}
