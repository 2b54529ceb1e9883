//! Similar municipalities: structural factors standardised over the 290
//! municipalities (z-scores), a weighted Euclidean distance, the k nearest.
//!
//! Missing values: a factor a municipality lacks is left out of every
//! distance that involves it, and that distance is scaled up by
//! √(total weight / weight used) so it stays comparable with complete ones.
//! Ties are broken by municipality code, so results are deterministic.

use std::collections::HashMap;

use anyhow::Result;

use crate::base::error;
use crate::model::years::format_years;
use crate::model::{Gender, Observation};
use crate::refdata::{Factor, FactorSet};

/// Factors standardised over all municipalities for one year.
pub(crate) struct Standardised {
    pub ids: Vec<String>,
    pub factors: Vec<Factor>,
    /// z[municipality][factor]
    z: Vec<Vec<Option<f64>>>,
    total_weight: f64,
}

/// One other municipality and how far it is.
#[derive(Debug, Clone)]
pub(crate) struct Neighbour {
    pub index: usize,
    pub distance: f64,
    /// Each factor's share of the squared distance (sums to 1).
    pub shares: Vec<f64>,
}

impl Standardised {
    /// `values`: (kpi, municipality id) → value for the year.
    pub(crate) fn new(
        ids: Vec<String>,
        factors: Vec<Factor>,
        values: &HashMap<(String, String), f64>,
    ) -> Result<Self> {
        let mut z = vec![vec![None; factors.len()]; ids.len()];
        for (f, factor) in factors.iter().enumerate() {
            let raw: Vec<Option<f64>> = ids
                .iter()
                .map(|id| {
                    let v = values.get(&(factor.kpi.clone(), id.clone())).copied()?;
                    if factor.log {
                        (v > 0.0).then(|| v.ln())
                    } else {
                        Some(v)
                    }
                })
                .collect();
            let present: Vec<f64> = raw.iter().flatten().copied().collect();
            let n = present.len() as f64;
            let mean = present.iter().sum::<f64>() / n;
            let sd = (present.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
            if present.len() < 2 || sd.is_nan() || sd <= 0.0 {
                return Err(error::not_found(format!(
                    "factor {} ({}) has too few figures to compare municipalities by; choose another year or factor",
                    factor.kpi, factor.label
                )));
            }
            for (m, value) in raw.into_iter().enumerate() {
                z[m][f] = value.map(|v| (v - mean) / sd);
            }
        }
        let total_weight = factors.iter().map(|f| f.weight).sum();
        Ok(Standardised {
            ids,
            factors,
            z,
            total_weight,
        })
    }

    pub(crate) fn index(&self, id: &str) -> Option<usize> {
        self.ids.iter().position(|i| i == id)
    }

    /// The distance between two municipalities and each factor's share of it;
    /// `None` when they share no factor.
    pub(crate) fn distance(&self, a: usize, b: usize) -> Option<(f64, Vec<f64>)> {
        let mut parts = vec![0.0; self.factors.len()];
        let mut weight_used = 0.0;
        for (f, factor) in self.factors.iter().enumerate() {
            if let (Some(za), Some(zb)) = (self.z[a][f], self.z[b][f]) {
                parts[f] = factor.weight * (za - zb).powi(2);
                weight_used += factor.weight;
            }
        }
        if weight_used == 0.0 {
            return None;
        }
        let sum: f64 = parts.iter().sum();
        let distance = (sum * self.total_weight / weight_used).sqrt();
        let shares = parts
            .iter()
            .map(|p| if sum > 0.0 { p / sum } else { 0.0 })
            .collect();
        Some((distance, shares))
    }

    /// Every other municipality, nearest first (ties by code).
    pub(crate) fn ranking(&self, a: usize) -> Vec<Neighbour> {
        let mut all: Vec<Neighbour> = (0..self.ids.len())
            .filter(|&b| b != a)
            .filter_map(|b| {
                self.distance(a, b).map(|(distance, shares)| Neighbour {
                    index: b,
                    distance,
                    shares,
                })
            })
            .collect();
        all.sort_by(|x, y| {
            x.distance
                .total_cmp(&y.distance)
                .then_with(|| self.ids[x.index].cmp(&self.ids[y.index]))
        });
        all
    }

    /// "Andel 80+ 41%, Tätortsgrad 22%, …": the factors that make up most of a distance.
    pub(crate) fn explain(&self, shares: &[f64], top: usize) -> String {
        let mut order: Vec<usize> = (0..shares.len()).collect();
        order.sort_by(|&x, &y| shares[y].total_cmp(&shares[x]).then(x.cmp(&y)));
        order
            .into_iter()
            .take(top)
            .filter(|&f| shares[f] >= 0.005)
            .map(|f| format!("{} {:.0}%", self.factors[f].label, shares[f] * 100.0))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The years to fetch factors for: `year`, or the nine years up to the
/// latest published, to find the latest with figures for nearly everybody.
pub(crate) fn factor_years(year: Option<i32>, latest: i32) -> Vec<i32> {
    match year {
        Some(y) => vec![y],
        None => ((latest - 8)..=latest).collect(),
    }
}

/// The factors of all municipalities (`ids`) for one year, standardised:
/// `year`, or the latest of `years` in which every factor covers at least
/// nine in ten municipalities.
pub(crate) fn standardise(
    ids: Vec<String>,
    set: &FactorSet,
    observations: Vec<Observation>,
    year: Option<i32>,
    years: &[i32],
) -> Result<(i32, Standardised)> {
    let kpis: Vec<String> = set.factors.iter().map(|f| f.kpi.clone()).collect();
    let mut coverage: HashMap<(String, i32), usize> = HashMap::new();
    for o in observations
        .iter()
        .filter(|o| o.gender == Gender::T && o.value.is_some())
    {
        *coverage.entry((o.kpi.clone(), o.year)).or_default() += 1;
    }
    let covered = |y: i32, needed: usize| {
        kpis.iter()
            .all(|k| coverage.get(&(k.clone(), y)).copied().unwrap_or(0) >= needed)
    };
    let year = match year {
        Some(y) => {
            if let Some(k) = kpis.iter().find(|k| !coverage.contains_key(&((*k).clone(), y))) {
                return Err(error::not_found(format!(
                    "factor {k} has no figures for {y}; choose another --year (or leave it out for the latest year with figures)"
                )));
            }
            y
        }
        None => years.iter().rev().copied().find(|&y| covered(y, ids.len() * 9 / 10)).ok_or_else(|| {
            error::not_found(format!(
                "the factors {} have no year in {} with figures for most municipalities; give --year",
                kpis.join(", "),
                format_years(years)
            ))
        })?,
    };
    let values: HashMap<(String, String), f64> = observations
        .into_iter()
        .filter(|o| o.gender == Gender::T && o.year == year)
        .filter_map(|o| Some(((o.kpi, o.entity), o.value?)))
        .collect();
    Ok((year, Standardised::new(ids, set.factors.clone(), &values)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn factor(kpi: &str, weight: f64) -> Factor {
        Factor {
            kpi: kpi.into(),
            label: kpi.into(),
            weight,
            log: false,
            line: 0,
        }
    }

    #[test]
    fn distances_are_weighted_euclidean_on_z_scores() {
        let ids: Vec<String> = ["a", "b", "c", "d"].iter().map(|s| s.to_string()).collect();
        let mut values = HashMap::new();
        for (id, x, y) in [
            ("a", 0.0, 0.0),
            ("b", 1.0, 0.0),
            ("c", 0.0, 2.0),
            ("d", 3.0, 2.0),
        ] {
            values.insert(("X".to_string(), id.to_string()), x);
            values.insert(("Y".to_string(), id.to_string()), y);
        }
        let s = Standardised::new(ids, vec![factor("X", 1.0), factor("Y", 4.0)], &values).unwrap();
        // X: mean 1, sd √1.5; Y: mean 1, sd 1.
        let (d, shares) = s.distance(0, 1).unwrap();
        assert!((d - (1.0f64 / 1.5).sqrt()).abs() < 1e-12);
        assert_eq!(shares, vec![1.0, 0.0]);
        let (d, _) = s.distance(0, 2).unwrap();
        assert!((d - (4.0f64 * 4.0).sqrt()).abs() < 1e-12);
        let order: Vec<&str> = s
            .ranking(0)
            .iter()
            .map(|n| s.ids[n.index].as_str())
            .collect();
        assert_eq!(order, ["b", "c", "d"]);
    }

    #[test]
    fn a_missing_factor_is_left_out_and_the_distance_scaled() {
        let ids: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        let mut values = HashMap::new();
        for (id, x) in [("a", 0.0), ("b", 1.0), ("c", 2.0)] {
            values.insert(("X".to_string(), id.to_string()), x);
        }
        values.insert(("Y".to_string(), "a".to_string()), 0.0);
        values.insert(("Y".to_string(), "c".to_string()), 1.0);
        let s = Standardised::new(ids, vec![factor("X", 1.0), factor("Y", 1.0)], &values).unwrap();
        let (d, _) = s.distance(0, 1).unwrap();
        let zx = 1.0 / (2.0f64 / 3.0).sqrt();
        assert!(
            (d - (zx * zx * 2.0).sqrt()).abs() < 1e-12,
            "scaled to the full weight"
        );
    }
}
