//! Cost chains (`data/explain/*.toml`): Kolada's cost figures as products
//! and sums of their pieces, so a cost gap can be split into coverage,
//! cost per user and age structure by arithmetic, not a model.

use anyhow::Result;
use serde::Deserialize;
use toml::Spanned;

use super::files::{line_of, parse_toml, Origin, RefData, BUILTIN_EXPLAIN};
use crate::base::error;
use crate::base::text::fold;
use crate::model::ids::is_kolada_id;
use crate::model::lang::Lang;

/// The chains of one area ("äldreomsorg", "LSS").
#[derive(Debug, Clone)]
pub(crate) struct ChainSet {
    pub title: String,
    pub title_en: Option<String>,
    /// RKA's "Liknande kommuner" area, for `--peers auto`.
    pub area: String,
    /// The chain the brief splits an area's cost with (its id).
    pub headline: Option<String>,
    pub chains: Vec<Chain>,
    pub origin: Origin,
}

/// One identity: a published total as a product or a sum of published pieces.
#[derive(Debug, Clone)]
pub(crate) struct Chain {
    pub id: String,
    pub total: String,
    pub label: Bilingual,
    pub unit: String,
    pub form: Form,
    /// How far (a share) the pieces may be from the published total before
    /// the identity counts as failed and the gap is left unsplit.
    pub tolerance: Option<f64>,
    /// The name of what the pieces leave over.
    pub rest: Option<Bilingual>,
    /// First years of a new method.
    pub breaks: Vec<i32>,
    /// The user count behind the cost per user, and the time-registered
    /// users, for the plausibility flags.
    pub users: Option<String>,
    pub timed_users: Option<String>,
}

/// A text in Swedish and, where the file gives it, English.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Bilingual {
    pub sv: String,
    pub en: Option<String>,
}

impl Bilingual {
    pub(crate) fn get(&self, lang: Lang) -> &str {
        match (lang, &self.en) {
            (Lang::En, Some(en)) => en,
            _ => &self.sv,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) enum Form {
    /// total = constant × Π factors.
    Product {
        constant: f64,
        factors: Vec<ChainFactor>,
    },
    /// total = Σ parts + rest.
    Sum { parts: Vec<Part> },
}

/// What a factor stands for, which decides how it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum FactorKind {
    Coverage,
    CostPerUser,
    AgeStructure,
    Structure,
    AboveReference,
}

impl FactorKind {
    pub(crate) fn code(self) -> &'static str {
        match self {
            FactorKind::Coverage => "coverage",
            FactorKind::CostPerUser => "cost_per_user",
            FactorKind::AgeStructure => "age_structure",
            FactorKind::Structure => "structure",
            FactorKind::AboveReference => "above_reference",
        }
    }
}

/// offset + scale × Σ numerator / Σ denominator.
#[derive(Debug, Clone)]
pub(crate) struct ChainFactor {
    pub kind: FactorKind,
    pub numerator: Vec<String>,
    pub denominator: Vec<String>,
    pub scale: f64,
    /// Added to the ratio: `1 + N28018 / 100` is a cost relative to its reference.
    pub offset: f64,
    pub label: Bilingual,
    pub unit: String,
    /// Ends "… because …" when the factor is above / below the comparison's.
    pub more: Bilingual,
    pub less: Bilingual,
    /// How people read the factor, when not as it is multiplied.
    pub shown: Option<ShownAs>,
}

/// A factor read as its inverse: 65+ per 80+ (4,03 against 3,76) reads
/// backwards, the share of 80+ among 65+ (24,8 % against 26,6 %) does not.
#[derive(Debug, Clone)]
pub(crate) struct ShownAs {
    /// Shown = inverse / factor.
    pub inverse: f64,
    pub label: Bilingual,
    pub unit: String,
}

impl ChainFactor {
    /// "N23805 / (N01956 + N01957) × 100", the factor's KPIs for people.
    pub(crate) fn formula(&self) -> String {
        let mut text = ratio_formula(&self.numerator, &self.denominator, self.scale);
        if self.offset != 0.0 {
            text = format!("({} + {text})", self.offset);
        }
        text
    }

    /// The factor as people read it (its inverse where the file says so).
    pub(crate) fn shown_value(&self, value: f64) -> f64 {
        match &self.shown {
            Some(shown) if value != 0.0 => shown.inverse / value,
            _ => value,
        }
    }

    /// The formula of the value people read.
    pub(crate) fn shown_formula(&self) -> String {
        match &self.shown {
            Some(shown) => ratio_formula(
                &self.denominator,
                &self.numerator,
                shown.inverse / self.scale,
            ),
            None => self.formula(),
        }
    }

    pub(crate) fn shown_label(&self) -> &Bilingual {
        self.shown.as_ref().map_or(&self.label, |s| &s.label)
    }

    pub(crate) fn shown_unit(&self) -> &str {
        self.shown.as_ref().map_or(&self.unit, |s| &s.unit)
    }
}

/// "N23805 / (N01956 + N01957) × 100"; a scale under one reads "/ 100".
fn ratio_formula(numerator: &[String], denominator: &[String], scale: f64) -> String {
    let sum = |ids: &[String]| match ids {
        [one] => one.clone(),
        many => format!("({})", many.join(" + ")),
    };
    let mut text = sum(numerator);
    if !denominator.is_empty() {
        text = format!("{text} / {}", sum(denominator));
    }
    let divisor = 1.0 / scale;
    if scale < 1.0 && (divisor - divisor.round()).abs() < 1e-9 {
        text = format!("{text} / {}", divisor.round() as i64);
    } else if scale != 1.0 {
        text = format!("{text} × {scale}");
    }
    text
}

/// A part of a sum: one published KPI.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    pub kpi: String,
    pub label: Bilingual,
    /// Said beside the label in tables, not in sentences.
    pub note: Option<Bilingual>,
}

impl Chain {
    /// Every KPI the chain reads.
    pub(crate) fn kpis(&self) -> Vec<String> {
        let mut ids = vec![self.total.clone()];
        match &self.form {
            Form::Product { factors, .. } => {
                for f in factors {
                    ids.extend(f.numerator.iter().chain(&f.denominator).cloned());
                }
            }
            Form::Sum { parts } => ids.extend(parts.iter().map(|p| p.kpi.clone())),
        }
        ids.extend(self.users.iter().chain(&self.timed_users).cloned());
        let mut unique = Vec::new();
        for id in ids {
            if !unique.contains(&id) {
                unique.push(id);
            }
        }
        unique
    }

    /// "N21009 = N21006 × N21701 × 0.01", the identity for people.
    pub(crate) fn identity(&self, rest: &str) -> String {
        match &self.form {
            Form::Product { constant, factors } => {
                let pieces: Vec<String> = factors.iter().map(ChainFactor::formula).collect();
                // 0.01 reads as "/ 100" in any language.
                let divisor = 1.0 / constant;
                let scale = if *constant == 1.0 {
                    String::new()
                } else if *constant < 1.0 && divisor.fract().abs() < 1e-9 {
                    format!(" / {}", divisor.round() as i64)
                } else {
                    format!(" × {constant}")
                };
                format!("{} = {}{scale}", self.total, pieces.join(" × "))
            }
            Form::Sum { parts } => {
                let pieces: Vec<&str> = parts.iter().map(|p| p.kpi.as_str()).collect();
                format!("{} = {} + {rest}", self.total, pieces.join(" + "))
            }
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChainFile {
    title: String,
    #[serde(default)]
    title_en: Option<String>,
    area: String,
    #[serde(default)]
    headline: Option<String>,
    #[serde(rename = "chain", default)]
    chains: Vec<ChainEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChainEntry {
    id: Spanned<String>,
    total: String,
    label: String,
    #[serde(default)]
    label_en: Option<String>,
    unit: String,
    #[serde(default)]
    constant: Option<f64>,
    #[serde(default)]
    tolerance: Option<f64>,
    #[serde(default)]
    rest: Option<String>,
    #[serde(default)]
    rest_en: Option<String>,
    #[serde(default)]
    breaks: Vec<i32>,
    #[serde(default)]
    users: Option<String>,
    #[serde(default)]
    timed_users: Option<String>,
    #[serde(rename = "factor", default)]
    factors: Vec<FactorEntry>,
    #[serde(rename = "part", default)]
    parts: Vec<PartEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FactorEntry {
    kind: FactorKind,
    numerator: Vec<String>,
    #[serde(default)]
    denominator: Vec<String>,
    #[serde(default = "one")]
    scale: f64,
    #[serde(default)]
    offset: f64,
    label: String,
    #[serde(default)]
    label_en: Option<String>,
    #[serde(default)]
    unit: String,
    more: String,
    less: String,
    #[serde(default)]
    more_en: Option<String>,
    #[serde(default)]
    less_en: Option<String>,
    #[serde(default)]
    shown: Option<ShownEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ShownEntry {
    inverse: f64,
    label: String,
    #[serde(default)]
    label_en: Option<String>,
    #[serde(default)]
    unit: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PartEntry {
    kpi: String,
    label: String,
    #[serde(default)]
    label_en: Option<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    note_en: Option<String>,
}

fn one() -> f64 {
    1.0
}

fn bilingual(sv: String, en: Option<String>) -> Bilingual {
    Bilingual { sv, en }
}

/// A Kolada id from a file, upper-cased; an error naming the line otherwise.
fn kolada_id(text: &str, at: &str) -> Result<String> {
    let id = text.trim().to_uppercase();
    if !is_kolada_id(&id) {
        return Err(error::usage(format!(
            "{at}: '{text}' is not a Kolada id (letters and digits, e.g. N21006)"
        )));
    }
    Ok(id)
}

fn kolada_ids(texts: &[String], at: &str) -> Result<Vec<String>> {
    texts.iter().map(|t| kolada_id(t, at)).collect()
}

impl RefData {
    /// The chain names with where each comes from, sorted.
    pub(crate) fn chain_set_names(&self) -> Vec<(String, Origin)> {
        self.names("explain", BUILTIN_EXPLAIN)
    }

    /// The cost chains of an area ("äldreomsorg" → aldreomsorg.toml, "LSS"
    /// → lss.toml) or a path to a `.toml` file.
    pub(crate) fn chain_set(&self, area_or_path: &str) -> Result<ChainSet> {
        let name = if area_or_path.ends_with(".toml") {
            area_or_path.to_string()
        } else {
            fold(area_or_path).replace(' ', "-")
        };
        let Some((_, text, origin)) = self.read("explain", BUILTIN_EXPLAIN, &name)? else {
            let names: Vec<String> = self.chain_set_names().into_iter().map(|(n, _)| n).collect();
            return Err(error::not_found(format!(
                "no cost chains for '{area_or_path}'; there are chains for {} (data/explain/)",
                names.join(", ")
            )));
        };
        let file: ChainFile = parse_toml(&text, &origin)?;
        if file.chains.is_empty() || file.chains.len() > MAX_CHAINS {
            return Err(error::usage(format!(
                "{}: {} [[chain]] entries; a file holds 1 to {MAX_CHAINS}",
                origin.path,
                file.chains.len()
            )));
        }
        let chains = file
            .chains
            .into_iter()
            .map(|entry| {
                let at = origin.at_line(line_of(&text, entry.id.span().start));
                chain(entry, &at)
            })
            .collect::<Result<Vec<_>>>()?;
        if let Some(headline) = file
            .headline
            .as_ref()
            .filter(|h| !chains.iter().any(|c| &c.id == *h))
        {
            return Err(error::usage(format!(
                "{}: headline = \"{headline}\" is not the id of a [[chain]] in the file; name one or remove the line",
                origin.path
            )));
        }
        Ok(ChainSet {
            title: file.title,
            title_en: file.title_en,
            area: file.area,
            headline: file.headline,
            chains,
            origin,
        })
    }
}

/// Bounds of a chain file, far beyond what Kolada's identities need (the
/// built-in chains have 2–4 factors or parts, constants from 0.0001 to
/// 100): a product of n factors is split over its 2ⁿ orders, so n stays small.
const MAX_CHAINS: usize = 20;
const MAX_FACTORS: usize = 6;
const MAX_PARTS: usize = 20;
const MAX_IDS_PER_RATIO: usize = 10;
/// Constants, scales and inverses lie between 1/BOUND and BOUND; offsets
/// within ±BOUND.
const NUMBER_BOUND: f64 = 1e9;

/// A positive number within [`NUMBER_BOUND`], or an error naming it.
fn bounded(name: &str, value: f64, at: &str) -> Result<f64> {
    if value.is_finite() && (1.0 / NUMBER_BOUND..=NUMBER_BOUND).contains(&value) {
        return Ok(value);
    }
    Err(error::usage(format!(
        "{at}: {name} = {} is not a positive number between 0.000000001 and 1000000000",
        as_written(value)
    )))
}

/// A number as a person would have written it: 1e300, not 300 digits.
fn as_written(value: f64) -> String {
    if value != 0.0 && !(1e-6..1e15).contains(&value.abs()) {
        format!("{value:e}")
    } else {
        value.to_string()
    }
}

/// One chain entry, checked: ids, a product or a sum (not both) of at most
/// a few pieces, numbers within bounds.
fn chain(entry: ChainEntry, at: &str) -> Result<Chain> {
    if let Some(tolerance) = entry
        .tolerance
        .filter(|t| !(t.is_finite() && *t > 0.0 && *t <= 1.0))
    {
        return Err(error::usage(format!(
            "{at}: tolerance = {} is not a share between 0 and 1; write tolerance = 0.005",
            as_written(tolerance)
        )));
    }
    if entry.factors.len() > MAX_FACTORS || entry.parts.len() > MAX_PARTS {
        return Err(error::usage(format!(
            "{at}: a chain has at most {MAX_FACTORS} factors or {MAX_PARTS} parts; this one has {}",
            entry.factors.len().max(entry.parts.len())
        )));
    }
    let form = match (entry.factors.is_empty(), entry.parts.is_empty()) {
        (false, true) => {
            let constant = bounded("constant", entry.constant.unwrap_or(1.0), at)?;
            let factors = entry
                .factors
                .into_iter()
                .map(|f| factor(f, at))
                .collect::<Result<Vec<_>>>()?;
            Form::Product { constant, factors }
        }
        (true, false) => Form::Sum {
            parts: entry
                .parts
                .into_iter()
                .map(|p| {
                    Ok(Part {
                        kpi: kolada_id(&p.kpi, at)?,
                        label: bilingual(p.label, p.label_en),
                        note: p.note.map(|sv| bilingual(sv, p.note_en)),
                    })
                })
                .collect::<Result<Vec<_>>>()?,
        },
        _ => {
            return Err(error::usage(format!(
                "{at}: a chain has either [[chain.factor]] entries (a product) or [[chain.part]] entries (a sum), one kind"
            )))
        }
    };
    Ok(Chain {
        id: entry.id.into_inner(),
        total: kolada_id(&entry.total, at)?,
        label: bilingual(entry.label, entry.label_en),
        unit: entry.unit,
        form,
        tolerance: entry.tolerance,
        rest: entry.rest.map(|sv| bilingual(sv, entry.rest_en)),
        breaks: entry.breaks,
        users: entry.users.map(|u| kolada_id(&u, at)).transpose()?,
        timed_users: entry.timed_users.map(|u| kolada_id(&u, at)).transpose()?,
    })
}

fn factor(f: FactorEntry, at: &str) -> Result<ChainFactor> {
    if f.numerator.is_empty() {
        return Err(error::usage(format!(
            "{at}: a factor needs numerator = [\"N…\"]"
        )));
    }
    if f.numerator.len() > MAX_IDS_PER_RATIO || f.denominator.len() > MAX_IDS_PER_RATIO {
        return Err(error::usage(format!(
            "{at}: a factor's numerator and denominator hold at most {MAX_IDS_PER_RATIO} KPIs each"
        )));
    }
    bounded("scale", f.scale, at)?;
    if !(f.offset.is_finite() && f.offset.abs() <= NUMBER_BOUND) {
        return Err(error::usage(format!(
            "{at}: offset = {} is not a number between -1000000000 and 1000000000",
            as_written(f.offset)
        )));
    }
    let shown = match f.shown {
        Some(s) => Some(ShownAs {
            inverse: bounded("shown.inverse", s.inverse, at)?,
            label: bilingual(s.label, s.label_en),
            unit: s.unit,
        }),
        None => None,
    };
    Ok(ChainFactor {
        kind: f.kind,
        numerator: kolada_ids(&f.numerator, at)?,
        denominator: kolada_ids(&f.denominator, at)?,
        scale: f.scale,
        offset: f.offset,
        label: bilingual(f.label, f.label_en),
        unit: f.unit,
        more: bilingual(f.more, f.more_en),
        less: bilingual(f.less, f.less_en),
        shown,
    })
}
