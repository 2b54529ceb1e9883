//! Which figures a summary names, by a rule, never by hand: the largest
//! deviations from the comparison and the largest changes since the year
//! before, each measured in units of the national spread (the
//! interquartile range of every municipality's figure that year), so that
//! kronor, shares and index points can be set against each other.
//!
//! - **Deviations**: |value − comparison mean| / national IQR. Every one
//!   of at least [`DEVIATION_FLOOR`] is named, the largest first, at most
//!   [`MOST_DEVIATIONS`]; when fewer are that large, the largest up to
//!   [`LEAST_DEVIATIONS`] are named anyway, if they reach [`NOTICEABLE`].
//! - **Changes**: |change on the year before| / national IQR, at least
//!   [`CHANGE_FLOOR`], at most [`MOST_CHANGES`]. No change is computed
//!   across a method break or for a three-year mean, so none is named.
//! - Only amounts, shares and signed deviations: totals grow with size and
//!   categories are codes. A KPI is named once per kind (a network's
//!   member with the largest score for it).

use std::collections::HashMap;

use super::national::{quantile, value_rows};
use super::row::ComparedRow;
use crate::model::scale::Scale;
use crate::model::Observation;

/// The national interquartile range per (kpi, year).
pub(crate) type Spreads = HashMap<(String, i64), f64>;

pub(crate) const DEVIATION_FLOOR: f64 = 0.5;
pub(crate) const MOST_DEVIATIONS: usize = 5;
pub(crate) const LEAST_DEVIATIONS: usize = 3;
pub(crate) const NOTICEABLE: f64 = 0.1;
pub(crate) const CHANGE_FLOOR: f64 = 0.25;
pub(crate) const MOST_CHANGES: usize = 3;

/// What a finding says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// The value against the comparison's mean.
    Deviation,
    /// The value against the year before.
    Change,
}

/// A row worth a sentence.
#[derive(Debug, Clone)]
pub(crate) struct Finding {
    pub kpi: String,
    /// The row of the comparison table it reads.
    pub row: usize,
    pub kind: Kind,
    /// Its size in national interquartile ranges.
    pub score: f64,
}

/// The national spread of every KPI and year in `values` (kpi, year, value).
pub(crate) fn spreads(values: &[Observation]) -> Spreads {
    let mut groups: HashMap<(&str, i32), Vec<f64>> = HashMap::new();
    for (kpi, _, year, value) in value_rows(values) {
        groups.entry((kpi, year)).or_default().push(value);
    }
    groups
        .into_iter()
        .filter_map(|((kpi, year), mut group)| {
            let iqr = quantile(&mut group, 0.75)? - quantile(&mut group, 0.25)?;
            (iqr > 0.0).then(|| ((kpi.to_string(), i64::from(year)), iqr))
        })
        .collect()
}

/// Every row's findings: its deviation and its change, measured against
/// the national spread of its KPI and year (`rows`: the rows a reader is
/// shown; a row of a total or a category is never a finding).
pub(crate) fn findings(table: &[ComparedRow], rows: &[usize], spreads: &Spreads) -> Vec<Finding> {
    let mut all = Vec::new();
    for &row in rows {
        let compared = &table[row];
        if !matches!(
            compared.scale,
            Scale::Amount | Scale::Percent | Scale::Signed
        ) {
            continue;
        }
        let Some(spread) = spreads.get(&(compared.kpi.clone(), i64::from(compared.year))) else {
            continue;
        };
        let deviation = compared.value.zip(compared.peer_mean).map(|(v, m)| v - m);
        let change = compared.change_from_previous_year;
        for (kind, size) in [(Kind::Deviation, deviation), (Kind::Change, change)] {
            if let Some(size) = size {
                all.push(Finding {
                    kpi: compared.kpi.clone(),
                    row,
                    kind,
                    score: size.abs() / spread,
                });
            }
        }
    }
    all
}

/// The findings a summary names, by the rule above, largest first.
pub(crate) fn pick(findings: Vec<Finding>) -> Vec<Finding> {
    let mut best: Vec<Finding> = Vec::new();
    for finding in findings {
        match best
            .iter_mut()
            .find(|b| b.kpi == finding.kpi && b.kind == finding.kind)
        {
            Some(b) if b.score < finding.score => *b = finding,
            Some(_) => {}
            None => best.push(finding),
        }
    }
    best.sort_by(|a, b| b.score.total_cmp(&a.score));
    let (deviations, changes): (Vec<Finding>, Vec<Finding>) =
        best.into_iter().partition(|f| f.kind == Kind::Deviation);
    let large = deviations
        .iter()
        .filter(|f| f.score >= DEVIATION_FLOOR)
        .count();
    let named = large.clamp(LEAST_DEVIATIONS, MOST_DEVIATIONS);
    let mut picked: Vec<Finding> = deviations
        .into_iter()
        .filter(|f| f.score >= NOTICEABLE)
        .take(named)
        .collect();
    picked.extend(
        changes
            .into_iter()
            .filter(|f| f.score >= CHANGE_FLOOR)
            .take(MOST_CHANGES),
    );
    picked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(kpi: &str, kind: Kind, score: f64) -> Finding {
        Finding {
            kpi: kpi.to_string(),
            row: 0,
            kind,
            score,
        }
    }

    #[test]
    fn the_largest_come_first_and_small_ones_fill_up_to_three() {
        let picked = pick(vec![
            finding("A", Kind::Deviation, 0.2),
            finding("B", Kind::Deviation, 1.4),
            finding("C", Kind::Deviation, 0.05),
            finding("D", Kind::Deviation, 0.3),
            finding("A", Kind::Change, 0.2),
            finding("B", Kind::Change, 0.9),
        ]);
        let names: Vec<(&str, Kind)> = picked.iter().map(|f| (f.kpi.as_str(), f.kind)).collect();
        assert_eq!(
            names,
            vec![
                ("B", Kind::Deviation),
                ("D", Kind::Deviation),
                ("A", Kind::Deviation),
                ("B", Kind::Change)
            ]
        );
        // Five at most, all of them large.
        let many: Vec<Finding> = (0..8)
            .map(|i| finding(&format!("K{i}"), Kind::Deviation, 1.0 + i as f64))
            .collect();
        let picked = pick(many);
        assert_eq!(picked.len(), 5);
        assert_eq!(picked[0].kpi, "K7");
        // A network: each KPI once, its largest member.
        let picked = pick(vec![
            finding("A", Kind::Deviation, 0.7),
            finding("A", Kind::Deviation, 2.0),
        ]);
        assert_eq!(picked.len(), 1);
        assert_eq!(picked[0].score, 2.0);
    }
}
