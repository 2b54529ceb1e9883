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

// BUILTIN_SETS, BUILTIN_PEERS, BUILTIN_SIMILARITY: (name, text) of every
// file in data/sets, data/peers and data/similarity (see build.rs).
include!(concat!(env!("OUT_DIR"), "/builtin_data.rs"));

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

/// What kind of figure a KPI is, which decides the arithmetic that makes
/// sense for it (README, "Definitions"):
/// - `amount`: a per-inhabitant or per-user figure, never negative
///   (kr/inv, kr/brukare, dagar): differences in units and in percent;
/// - `percent`: a share in percent: differences in percentage points, no
///   relative change;
/// - `signed`: a deviation or balance that can be negative: differences in
///   units (percentage points for a %), no relative change;
/// - `total`: grows with the municipality's size (mnkr, antal): compared
///   with peers in units, never ranked against the whole country;
/// - `category`: coded levels (Nej=0, test=1, breddinfört=2): shown by
///   label and counted, never averaged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    Amount,
    Percent,
    Signed,
    Total,
    Category,
}

impl Scale {
    pub fn name(self) -> &'static str {
        match self {
            Scale::Amount => "amount",
            Scale::Percent => "percent",
            Scale::Signed => "signed",
            Scale::Total => "total",
            Scale::Category => "category",
        }
    }

    /// Whether a relative difference (in percent of the base) means something.
    pub fn relative(self) -> bool {
        self == Scale::Amount
    }

    /// Whether the figure is ranked among peers and in the country, and banded.
    pub fn ranked(self) -> bool {
        matches!(self, Scale::Amount | Scale::Percent | Scale::Signed)
    }

    /// The scale and, for a category, its level labels (index = code), read
    /// from a Kolada title: "…, (Breddinfört=2, testverksamhet=1, Nej=0)" is a
    /// category, "avvikelse … (%)" signed, "miljoner kronor" or ", antal" a
    /// total, "(%)" or "andel" a percent, anything else an amount.
    pub fn infer(title: &str) -> (Scale, Vec<String>) {
        let levels = levels_in_title(title);
        if !levels.is_empty() {
            return (Scale::Category, levels);
        }
        let lower = title.to_lowercase();
        let base = without_end_year(&lower);
        let tail = base.rsplit(',').next().unwrap_or("").trim();
        const TOTAL_UNITS: [&str; 8] = [
            "miljoner kronor",
            "mnkr",
            "tkr",
            "kr",
            "antal",
            "mwh",
            "kg",
            "meter",
        ];
        let scale = if lower.contains("miljoner kronor")
            || lower.contains("mnkr")
            || TOTAL_UNITS.contains(&tail)
            || (tail.starts_with("ton ") && !tail.contains('/'))
        {
            Scale::Total
        } else if lower.contains("avvikelse") || lower.contains("förändring") {
            Scale::Signed
        } else if lower.contains('%') || lower.contains("andel") || lower.contains("procent") {
            Scale::Percent
        } else {
            Scale::Amount
        };
        (scale, Vec::new())
    }
}

/// A title without a trailing "(-2024)", Kolada's mark of a series that ended.
fn without_end_year(title: &str) -> &str {
    let trimmed = title.trim_end();
    if let Some(open) = trimmed.rfind("(-") {
        let inner = &trimmed[open + 2..];
        if inner.len() == 5
            && inner.ends_with(')')
            && inner[..4].chars().all(|c| c.is_ascii_digit())
        {
            return trimmed[..open].trim_end();
        }
    }
    trimmed
}

/// "(Breddinfört=2, testverksamhet=1, Nej=0)" → ["Nej", "Testverksamhet",
/// "Breddinfört"]; nothing when the title has no such list.
fn levels_in_title(title: &str) -> Vec<String> {
    let mut codes: BTreeMap<usize, String> = BTreeMap::new();
    for group in title.split('(').skip(1) {
        let inner = group.split(')').next().unwrap_or("");
        let mut found = BTreeMap::new();
        for pair in inner.split([',', '/']) {
            let Some((label, code)) = pair.split_once('=') else {
                continue;
            };
            let (label, code) = (label.trim(), code.trim());
            match code.parse::<usize>() {
                Ok(code) if code <= 9 && !label.is_empty() && !label.contains("max") => {
                    let mut chars = label.chars();
                    let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
                    found.insert(code, first.unwrap_or_default() + chars.as_str());
                }
                _ => {}
            }
        }
        if found.len() >= 2 {
            codes = found;
        }
    }
    let Some(&top) = codes.keys().max() else {
        return Vec::new();
    };
    (0..=top)
        .map(|code| {
            codes
                .get(&code)
                .cloned()
                .unwrap_or_else(|| code.to_string())
        })
        .collect()
}

/// Where a reference file came from, for messages that say where to fix it.
#[derive(Debug, Clone)]
pub struct Origin {
    pub path: String,
    pub builtin: bool,
}

impl Origin {
    /// The file for listings: "data/sets/x.toml (built in)" or the user's path.
    pub fn shown(&self) -> String {
        if self.builtin {
            format!("{} (built in)", self.path)
        } else {
            self.path.clone()
        }
    }

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
    /// As declared; `None` to infer it from Kolada's title ([`Scale::infer`]).
    pub scale: Option<Scale>,
    /// First years of a new method: no change is computed across them.
    pub breaks: Vec<i32>,
    /// For a category: the label of each code (index = code).
    pub levels: Vec<String>,
    /// Why the KPI is in the set (one line).
    pub why: Option<String>,
    /// Kolada's "Liknande kommuner" area for `--peers auto`.
    pub area: Option<String>,
    pub line: usize,
}

#[derive(Debug, Clone)]
pub struct IndicatorSet {
    pub name: String,
    pub title: String,
    pub description: Option<String>,
    /// What Kolada does not measure for the area, said plainly.
    pub not_measured: Option<String>,
    /// Municipalities (the default) or regions.
    pub level: Level,
    pub entries: Vec<SetEntry>,
    pub origin: Origin,
}

/// Whom a set's KPIs are published for and ranked among.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    #[default]
    Municipality,
    Region,
}

impl IndicatorSet {
    /// Every id in the set exists in the catalogue; otherwise an error naming file and line.
    pub fn check(&self, catalogue: &Catalogue) -> Result<()> {
        let ids: Vec<String> = self.entries.iter().map(|e| e.kpi.clone()).collect();
        catalogue.prefetch_kpis(&ids)?;
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
    /// Where the membership comes from.
    pub source: Option<String>,
    /// The region that belongs with a county network (as written).
    pub region: Option<String>,
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
    #[serde(default)]
    not_measured: Option<String>,
    #[serde(default)]
    level: Level,
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
    /// Inferred from Kolada's title when left out (see [`Scale::infer`]).
    #[serde(default)]
    scale: Option<Scale>,
    #[serde(default)]
    breaks: Vec<i32>,
    #[serde(default)]
    levels: Vec<String>,
    #[serde(default)]
    why: Option<String>,
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
        let ids: Vec<String> = self.factors.iter().map(|f| f.kpi.clone()).collect();
        catalogue.prefetch_kpis(&ids)?;
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
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    region: Option<String>,
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
        self.names("sets", BUILTIN_SETS)
    }

    pub fn peer_names(&self) -> Vec<(String, Origin)> {
        self.names("peers", BUILTIN_PEERS)
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
        let what = match kind {
            "sets" => "the indicator set",
            "peers" => "the peer list",
            _ => "the factor set",
        };
        if name_or_path.ends_with(".toml") {
            if !as_path.exists() {
                return Err(error::not_found(format!(
                    "cannot read {name_or_path} (no such file); check the path"
                )));
            }
            let text = crate::files::read_hand_written(as_path, what)?;
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
                crate::files::read_hand_written(Path::new(&origin.path), what)?
            };
            return Ok(Some((name_or_path.to_string(), text, origin)));
        }
        Ok(None)
    }

    pub fn set(&self, name_or_path: &str) -> Result<IndicatorSet> {
        let Some((name, text, origin)) = self.read("sets", BUILTIN_SETS, name_or_path)? else {
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
        if file.kpis.is_empty() {
            return Err(error::usage(format!(
                "{}: set {name} has no [[kpi]] entries; add some",
                origin.path
            )));
        }
        let mut entries = Vec::new();
        for e in file.kpis {
            let line = line_of(&text, e.id.span().start);
            let at = origin.at_line(line);
            if !e.levels.is_empty() && e.scale != Some(Scale::Category) {
                return Err(error::usage(format!(
                    "{at}: levels are for scale = \"category\"; remove them or set the scale"
                )));
            }
            if let Some(year) = e.breaks.iter().find(|y| !(1950..=2100).contains(*y)) {
                return Err(error::usage(format!(
                    "{at}: break year {year} is not a year; write breaks = [2019]"
                )));
            }
            entries.push(SetEntry {
                line,
                kpi: e.id.into_inner().trim().to_uppercase(),
                label: e.label,
                unit: e.unit,
                direction: e.direction,
                scale: e.scale,
                breaks: e.breaks,
                levels: e.levels,
                why: e.why,
                area: e.area.or_else(|| file.area.clone()),
            });
        }
        Ok(IndicatorSet {
            name,
            title: file.title,
            description: file.description,
            not_measured: file.not_measured,
            level: file.level,
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
        let Some((name, text, origin)) = self.read("similarity", BUILTIN_SIMILARITY, &name)? else {
            let names: Vec<String> = self
                .names("similarity", BUILTIN_SIMILARITY)
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
        let Some((name, text, origin)) = self.read("peers", BUILTIN_PEERS, name_or_path)? else {
            return Ok(None);
        };
        let file: PeerFile = parse_toml(&text, &origin)?;
        let _ = file.municipality;
        let (source, region) = (file.source, file.region);
        let members = file
            .members
            .into_iter()
            .map(|m| (line_of(&text, m.span().start), m.into_inner()))
            .map(|(l, m)| (m, l))
            .collect();
        Ok(Some(PeerList {
            name,
            title: file.title,
            source,
            region,
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
    fn scales_are_read_from_koladas_titles() {
        let cases = [
            ("Nettokostnadsavvikelse äldreomsorg, (%)", Scale::Signed),
            (
                "Nettokostnadsavvikelse äldreomsorg, miljoner kronor",
                Scale::Total,
            ),
            ("Kostnad äldreomsorg, kr/inv 65+", Scale::Amount),
            ("Invånare 65+ i särskilt boende, andel (%)", Scale::Percent),
            ("Brukare i hemtjänst, andel (%) (-2024)", Scale::Percent),
            ("Invånare totalt, antal", Scale::Total),
            (
                "Medelvårdtid som utskrivningsklar, antal dagar",
                Scale::Amount,
            ),
            ("Kostnad, tkr", Scale::Total),
            ("Utsläpp, ton CO2e", Scale::Total),
            ("Utsläpp, ton CO2e/inv", Scale::Amount),
        ];
        for (title, scale) in cases {
            assert_eq!(Scale::infer(title).0, scale, "{title}");
        }
        let (scale, levels) =
            Scale::infer("SIP med video finns,  (Breddinfört=2, testverksamhet=1, Nej=0)");
        assert_eq!(scale, Scale::Category);
        assert_eq!(levels, ["Nej", "Testverksamhet", "Breddinfört"]);
        assert_eq!(Scale::infer("Rutin finns (Ja=1/Nej=0)").1, ["Nej", "Ja"]);
        assert_eq!(Scale::infer("Index (max = 100)").0, Scale::Amount);
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
