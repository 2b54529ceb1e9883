//! The inhabitants a per-inhabitant figure is counted on
//! (`data/bases/population.toml`): a gap per inhabitant times them is the
//! gap for the whole municipality.

use anyhow::Result;
use serde::Deserialize;

use super::chains::Bilingual;
use super::files::{parse_toml, RefData, BUILTIN_BASES};
use crate::base::error;
use crate::model::ids::is_kolada_id;

/// The population a unit is counted on.
#[derive(Debug, Clone)]
pub(crate) struct PopulationBase {
    /// The set's unit, exactly ("kr/inv 65+").
    pub unit: String,
    /// Kolada's population KPIs, summed.
    pub kpis: Vec<String>,
    pub label: Bilingual,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BasesFile {
    #[serde(rename = "base", default)]
    bases: Vec<BaseEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BaseEntry {
    unit: String,
    kpis: Vec<String>,
    label: String,
    #[serde(default)]
    label_en: Option<String>,
}

impl RefData {
    /// The population bases: the user's `bases/population.toml` where
    /// there is one, else the built-in file.
    pub(crate) fn population_bases(&self) -> Result<Vec<PopulationBase>> {
        let Some((_, text, origin)) = self.read("bases", BUILTIN_BASES, "population")? else {
            return Ok(Vec::new());
        };
        let file: BasesFile = parse_toml(&text, &origin)?;
        file.bases
            .into_iter()
            .map(|b| {
                let kpis: Vec<String> = b.kpis.iter().map(|k| k.trim().to_uppercase()).collect();
                if kpis.is_empty() || !kpis.iter().all(|k| is_kolada_id(k)) {
                    return Err(error::usage(format!(
                        "{}: the base for '{}' needs kpis = [\"N01951\"], Kolada ids",
                        origin.path, b.unit
                    )));
                }
                Ok(PopulationBase {
                    unit: b.unit,
                    kpis,
                    label: Bilingual {
                        sv: b.label,
                        en: b.label_en,
                    },
                })
            })
            .collect()
    }
}

impl PopulationBase {
    /// The base of `unit`, when one is listed.
    pub(crate) fn of<'b>(bases: &'b [PopulationBase], unit: &str) -> Option<&'b PopulationBase> {
        bases.iter().find(|b| b.unit == unit.trim())
    }
}
