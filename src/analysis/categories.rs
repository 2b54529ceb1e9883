//! Category KPIs (Nej/test/breddinfört): the label of the municipality's
//! value, and how many peers and municipalities in the country are at each
//! level. Codes are counted, never averaged.

use std::collections::HashMap;

use anyhow::Result;
use polars_core::prelude::*;

use super::cells::Cells;
use super::kpi::{Comparison, KpiPlan};
use crate::model::scale::Scale;

/// For category KPIs: the label of the municipality's value, and how many
/// peers and municipalities in the country are at each level ("Breddinfört
/// 6; Testverksamhet 4; Nej 3", highest code first).
pub(super) fn label_categories(
    comparison: &Comparison,
    values: &DataFrame,
    mut table: DataFrame,
) -> Result<DataFrame> {
    let categories: Vec<&KpiPlan> = comparison
        .kpis
        .iter()
        .filter(|k| k.scale == Scale::Category)
        .collect();
    if categories.is_empty() {
        return Ok(table);
    }
    let counts = count_levels(&categories, values)?;
    let text = |kpi: &KpiPlan, counts: &[u32]| -> Option<String> {
        let parts: Vec<String> = counts
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, n)| **n > 0)
            .map(|(code, n)| format!("{} {n}", kpi.levels[code]))
            .collect();
        (!parts.is_empty()).then(|| parts.join("; "))
    };
    let cells = Cells(&table);
    let (mut labels, mut peer_levels, mut national_levels) = (Vec::new(), Vec::new(), Vec::new());
    for row in 0..table.height() {
        let kpi_id = cells.text("kpi", row);
        let year = cells.int("year", row).unwrap_or(0) as i32;
        let kpi = categories.iter().find(|k| k.id == kpi_id);
        let (label, peers, national) = match kpi {
            Some(kpi) => {
                let label = cells
                    .f64("value", row)
                    .and_then(|v| kpi.level_label(v))
                    .map(str::to_string);
                let (peers, national) = counts
                    .get(&(kpi.id.as_str(), year))
                    .map(|(p, n)| (text(kpi, p), text(kpi, n)))
                    .unwrap_or((None, None));
                (label, peers, national)
            }
            None => (None, None, None),
        };
        labels.push(label);
        peer_levels.push(peers);
        national_levels.push(national);
    }
    table.with_column(Column::new("value_label".into(), labels))?;
    table.with_column(Column::new("peer_levels".into(), peer_levels))?;
    table.with_column(Column::new("national_levels".into(), national_levels))?;
    Ok(table)
}

/// Per category KPI and year: how many peers and how many municipalities
/// in the country have each code.
fn count_levels<'k>(categories: &[&'k KpiPlan], values: &DataFrame) -> Result<LevelCounts<'k>> {
    let mut counts = LevelCounts::new();
    let kpi_column = values.column("kpi")?.str()?;
    let id_column = values.column("municipality_id")?.str()?;
    let year_column = values.column("year")?.i32()?;
    let value_column = values.column("value")?.f64()?;
    for row in 0..values.height() {
        let (Some(kpi_id), Some(id), Some(year), Some(value)) = (
            kpi_column.get(row),
            id_column.get(row),
            year_column.get(row),
            value_column.get(row),
        ) else {
            continue;
        };
        let Some(kpi) = categories.iter().find(|k| k.id == kpi_id) else {
            continue;
        };
        if kpi.level_label(value).is_none() {
            continue;
        }
        let code = value as usize;
        let slot = counts
            .entry((kpi.id.as_str(), year))
            .or_insert_with(|| (vec![0; kpi.levels.len()], vec![0; kpi.levels.len()]));
        slot.1[code] += 1;
        if kpi.peers.members.iter().any(|m| m == id) {
            slot.0[code] += 1;
        }
    }
    Ok(counts)
}

/// (kpi, year) → counts per code, among the peers and in the country.
type LevelCounts<'k> = HashMap<(&'k str, i32), (Vec<u32>, Vec<u32>)>;
