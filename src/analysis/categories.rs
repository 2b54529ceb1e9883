//! Category KPIs (Nej/test/breddinfört): the label of the municipality's
//! value, and how many peers and municipalities in the country are at each
//! level. Codes are counted, never averaged.

use std::collections::HashMap;

use super::kpi::{Comparison, KpiPlan};
use super::national::value_rows;
use super::row::ComparedRow;
use crate::model::scale::Scale;
use crate::model::Observation;

/// For category KPIs: the label of the municipality's value, and how many
/// peers and municipalities in the country are at each level ("Breddinfört
/// 6; Testverksamhet 4; Nej 3", highest code first).
pub(super) fn label_categories(
    comparison: &Comparison,
    values: &[Observation],
    rows: &mut [ComparedRow],
) {
    let categories: Vec<&KpiPlan> = comparison
        .kpis
        .iter()
        .filter(|k| k.scale == Scale::Category)
        .collect();
    if categories.is_empty() {
        return;
    }
    let counts = count_levels(&categories, values);
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
    for row in rows {
        let Some(kpi) = categories.iter().find(|k| k.id == row.kpi) else {
            continue;
        };
        row.value_label = row
            .value
            .and_then(|v| kpi.level_label(v))
            .map(str::to_string);
        if let Some((peers, national)) = counts.get(&(kpi.id.as_str(), row.year)) {
            row.peer_levels = text(kpi, peers);
            row.national_levels = text(kpi, national);
        }
    }
}

/// Per category KPI and year: how many peers and how many municipalities
/// in the country have each code.
fn count_levels<'k>(categories: &[&'k KpiPlan], values: &[Observation]) -> LevelCounts<'k> {
    let mut counts = LevelCounts::new();
    for (kpi_id, id, year, value) in value_rows(values) {
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
    counts
}

/// (kpi, year) → counts per code, among the peers and in the country.
type LevelCounts<'k> = HashMap<(&'k str, i32), (Vec<u32>, Vec<u32>)>;
