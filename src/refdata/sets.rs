//! Indicator sets: the KPIs a controller follows together, each with its
//! label, unit, direction, scale, breaks and why it is in.

use anyhow::Result;
use serde::Deserialize;
use toml::Spanned;

use super::{line_of, parse_toml, Origin, RefData, BUILTIN_SETS};
use crate::base::error;
use crate::model::scale::{Direction, Level, Scale};

#[derive(Debug, Clone)]
pub(crate) struct SetEntry {
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
pub(crate) struct IndicatorSet {
    pub name: String,
    pub title: String,
    /// What Kolada does not measure for the area, said plainly.
    pub not_measured: Option<String>,
    /// Municipalities (the default) or regions.
    pub level: Level,
    pub entries: Vec<SetEntry>,
    pub origin: Origin,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SetFile {
    title: String,
    #[serde(default)]
    area: Option<String>,
    /// For the people who read the file; no command shows it.
    #[serde(default)]
    #[allow(dead_code)]
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

impl RefData {
    pub(crate) fn set(&self, name_or_path: &str) -> Result<IndicatorSet> {
        let Some((name, text, origin)) = self.read("sets", BUILTIN_SETS, name_or_path)? else {
            return Err(self.unknown_set(name_or_path));
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
            not_measured: file.not_measured,
            level: file.level,
            entries,
            origin,
        })
    }
}
