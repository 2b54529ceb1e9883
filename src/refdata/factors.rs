//! Similarity factors: the structural figures that make municipalities
//! comparable for an area, each with its weight.

use anyhow::Result;
use serde::Deserialize;
use toml::Spanned;

use super::files::{line_of, parse_toml, Origin, RefData, BUILTIN_SIMILARITY};
use crate::base::error;
use crate::base::text::fold;

/// A structural factor for similarity (`data/similarity/*.toml`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Factor {
    pub kpi: String,
    pub label: String,
    pub weight: f64,
    /// Take the logarithm before standardising (for skewed counts such as population).
    pub log: bool,
    pub line: usize,
}

#[derive(Debug, Clone)]
pub(crate) struct FactorSet {
    /// RKA's "Liknande kommuner" area to set the result against.
    pub area: Option<String>,
    pub factors: Vec<Factor>,
    pub origin: Origin,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FactorFile {
    /// Required, for the people who read the file; no command shows it.
    #[allow(dead_code)]
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

impl RefData {
    /// The similarity factors for an area ("äldreomsorg" → aldreomsorg.toml) or a path.
    pub(crate) fn factor_set(&self, area_or_path: &str) -> Result<FactorSet> {
        let name = if area_or_path.ends_with(".toml") {
            area_or_path.to_string()
        } else {
            fold(area_or_path).replace(' ', "-")
        };
        let Some((_, text, origin)) = self.read("similarity", BUILTIN_SIMILARITY, &name)? else {
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
            area: file.area,
            factors,
            origin,
        })
    }
}
