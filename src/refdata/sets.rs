//! Indicator sets: the KPIs a controller follows together, each with its
//! label, unit, direction, scale, breaks and why it is in.

use crate::model::set::SetInfo;
use anyhow::Result;
use serde::Deserialize;
use toml::Spanned;

use super::files::{line_of, parse_toml, Origin, RefData, BUILTIN_SETS};
use crate::base::error;
use crate::model::ids::is_kolada_id;
use crate::model::scale::{Direction, Level, Scale};

#[derive(Debug, Clone)]
pub(crate) struct SetEntry {
    pub kpi: String,
    pub label: String,
    /// The label in English, for documents in English.
    pub label_en: Option<String>,
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
    /// For a total: the KPI of the set that compares municipalities of
    /// different sizes.
    pub relative: Option<String>,
    /// A Kolada count of the people the figure rests on (N21702 home-care
    /// users), and the count under which the figure is flagged as resting
    /// on few people.
    pub small: Option<SmallNumbers>,
    pub line: usize,
}

/// Where a set flags a figure as resting on few people.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SmallNumbers {
    /// The KPI that counts the people (a Kolada id).
    pub count: String,
    /// Under this count the figure is flagged.
    pub below: f64,
}

#[derive(Debug, Clone)]
pub(crate) struct IndicatorSet {
    pub name: String,
    pub title: String,
    pub title_en: Option<String>,
    /// What Kolada does not measure for the area, said plainly.
    pub not_measured: Option<String>,
    pub not_measured_en: Option<String>,
    /// Municipalities (the default) or regions.
    pub level: Level,
    /// The set's area ("äldreomsorg", "LSS"): the brief groups sets by it.
    pub area: Option<String>,
    /// The per-inhabitant cost the brief leads the area's paragraph with.
    pub headline: Option<String>,
    pub entries: Vec<SetEntry>,
    pub origin: Origin,
}

impl IndicatorSet {
    /// The set as the documents name it.
    pub(crate) fn info(&self) -> SetInfo {
        SetInfo {
            name: self.name.clone(),
            title: self.title.clone(),
            title_en: self.title_en.clone(),
            not_measured: self.not_measured.clone(),
            not_measured_en: self.not_measured_en.clone(),
            area: self.area.clone(),
            headline: self.headline.clone(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SetFile {
    title: String,
    #[serde(default)]
    title_en: Option<String>,
    #[serde(default)]
    area: Option<String>,
    /// For the people who read the file; no command shows it.
    #[serde(default)]
    #[allow(dead_code)]
    description: Option<String>,
    #[serde(default)]
    not_measured: Option<String>,
    #[serde(default)]
    not_measured_en: Option<String>,
    #[serde(default)]
    level: Level,
    #[serde(default)]
    headline: Option<Spanned<String>>,
    #[serde(rename = "kpi", default)]
    kpis: Vec<EntryFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryFile {
    id: Spanned<String>,
    label: String,
    #[serde(default)]
    label_en: Option<String>,
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
    #[serde(default)]
    relative: Option<String>,
    #[serde(default)]
    count: Option<String>,
    #[serde(default)]
    small_below: Option<f64>,
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
        let ids: Vec<String> = file
            .kpis
            .iter()
            .map(|e| e.id.get_ref().trim().to_uppercase())
            .collect();
        let mut entries = Vec::new();
        for e in file.kpis {
            let line = line_of(&text, e.id.span().start);
            check_entry(&e, &ids, &origin.at_line(line))?;
            entries.push(SetEntry {
                line,
                kpi: e.id.into_inner().trim().to_uppercase(),
                label: e.label,
                label_en: e.label_en,
                unit: e.unit,
                direction: e.direction,
                scale: e.scale,
                breaks: e.breaks,
                levels: e.levels,
                why: e.why,
                area: e.area.or_else(|| file.area.clone()),
                relative: e.relative.map(|r| r.trim().to_uppercase()),
                small: e
                    .count
                    .zip(e.small_below)
                    .map(|(count, below)| SmallNumbers {
                        count: count.trim().to_uppercase(),
                        below,
                    }),
            });
        }
        let headline = match file.headline {
            Some(id) => {
                let kpi = id.get_ref().trim().to_uppercase();
                if !ids.contains(&kpi) {
                    return Err(error::usage(format!(
                        "{}: headline = \"{}\" is not a KPI of this set; name one of its [[kpi]] ids or remove the line",
                        origin.at_line(line_of(&text, id.span().start)),
                        id.get_ref()
                    )));
                }
                Some(kpi)
            }
            None => None,
        };
        Ok(IndicatorSet {
            name,
            title: file.title,
            title_en: file.title_en,
            not_measured: file.not_measured,
            not_measured_en: file.not_measured_en,
            level: file.level,
            area: file.area,
            headline,
            entries,
            origin,
        })
    }
}

/// An entry's fields agree with each other: levels only for a category,
/// break years that are years, `relative` only for a total and naming a
/// KPI of the same set, a count with the number under which it is small.
fn check_entry(e: &EntryFile, ids: &[String], at: &str) -> Result<()> {
    check_small(e, at)?;
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
    if let Some(relative) = &e.relative {
        if e.scale != Some(Scale::Total) {
            return Err(error::usage(format!(
                "{at}: relative is for scale = \"total\" (the figure that compares sizes fairly); remove it or set the scale"
            )));
        }
        if !ids.contains(&relative.trim().to_uppercase()) {
            return Err(error::usage(format!(
                "{at}: relative = \"{relative}\" is not a KPI of this set; add it to the set or remove the line"
            )));
        }
    }
    Ok(())
}

/// `count` and `small_below` come together: a Kolada id and a positive number.
fn check_small(e: &EntryFile, at: &str) -> Result<()> {
    match (&e.count, e.small_below) {
        (None, None) => Ok(()),
        (Some(count), Some(below)) if is_kolada_id(count.trim()) && below > 0.0 && below.is_finite() => Ok(()),
        (Some(count), Some(_)) if !is_kolada_id(count.trim()) => Err(error::usage(format!(
            "{at}: count = \"{count}\" is not a Kolada id; write count = \"N21702\""
        ))),
        (Some(_), Some(below)) => Err(error::usage(format!(
            "{at}: small_below = {below} is not a positive number; write small_below = 100"
        ))),
        _ => Err(error::usage(format!(
            "{at}: count and small_below go together (the count of people the figure rests on, and the count under which it is flagged); give both or neither"
        ))),
    }
}
