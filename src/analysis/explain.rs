//! Why a cost differs: a cost gap split into the pieces of Kolada's own
//! identity (coverage × cost per user × age structure, or a sum of parts),
//! each identity checked against the published figure first.
//!
//! Against peers, a mean of products is not the product of means, so two
//! splits are given:
//! - **in kronor against the arithmetic mean** (the headline, the mean
//!   `compare` shows): each factor's Shapley share of
//!   `C − constant × Π mean(factor)` (for two factors: coverage
//!   (u−ū)(c+c̄)/2, cost per user (c−c̄)(u+ū)/2), and the rest
//!   `constant × Π mean(factor) − mean(C)` named as the peers' spread
//!   (non-additivity), so the terms add up to `C − mean(C)` exactly;
//! - **in logs against the geometric mean**, exact without a rest:
//!   ln C/C̃ = Σ ln fᵢ/f̃ᵢ, each term in kronor with the log-mean weight
//!   (C − C̃)/ln(C/C̃).
//!
//! Each identity's own rounding is a factor of its own (`rest` = published
//! total / product of the pieces), so nothing is lost between the pieces
//! and the figure Kolada publishes.

use std::collections::HashMap;

use crate::model::peers::Peers;
use crate::model::Municipality;
use crate::refdata::{Chain, ChainFactor, ChainSet, FactorKind, Form};

/// Riket's id in Kolada: the country's own published figures.
pub(crate) const COUNTRY: &str = "0000";

/// Published figures by (kpi, place, year).
pub(crate) type Values = HashMap<(String, String, i32), f64>;

/// A user count that moves more than this share from the year before
/// makes the cost per user doubtful (30 of 1,443 municipality-years in the
/// dump, 2018–2022, Vara 2018's 338 → 505 among them).
pub(crate) const USERS_JUMP: f64 = 0.25;

/// Fewer time-registered users than this share of all users: the user
/// count may be counted differently (the dump's 5th percentile is 0.67).
pub(crate) const TIMED_SHARE: f64 = 0.7;

/// A municipality's cost chains, split.
pub(crate) struct Explained {
    pub municipality: Municipality,
    pub set: ChainSet,
    /// The peers, or none when compared with the country.
    pub peers: Option<Peers>,
    pub years: Vec<i32>,
    /// Each chain with its split per year (years without the total left out).
    pub chains: Vec<(Chain, Vec<Split>)>,
    /// Names of the places compared, by id.
    pub names: HashMap<String, String>,
    /// The headline chain's change from the year before, by year (where
    /// the year starts no new method and every piece is published).
    pub changes: Vec<Change>,
}

/// A cost's change from the year before, split by what moved: how much
/// because more or fewer get the service (coverage), because each costs
/// more or less (cost per user), the age structure, and the rest (parts
/// without a split, rounding).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Change {
    pub year: i32,
    pub before: f64,
    pub now: f64,
    /// Contributions by the kind of factor, in the order first met.
    pub by_kind: Vec<(FactorKind, f64)>,
    /// What is not a factor of any chain: parts without a split, rests.
    pub other: f64,
}

impl Explained {
    /// What the chains are compared with, as the CSV names it.
    pub(crate) fn comparison_label(&self) -> String {
        match &self.peers {
            Some(peers) => peers.label.clone(),
            None => "Riket (Kolada)".to_string(),
        }
    }

    pub(crate) fn name(&self, id: &str) -> String {
        self.names
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }
}

/// What a chain is compared with.
#[derive(Debug, Clone)]
pub(crate) enum Against {
    /// Each peer's own figures: arithmetic (and geometric) means of them.
    Peers(Vec<String>),
    /// One place's figures (Riket, "0000"), as Kolada publishes them.
    Place(String),
}

/// One term of a split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TermKind {
    /// A factor of a product (index into the chain's factors).
    Factor(usize),
    /// A part of a sum (index into the chain's parts).
    Part(usize),
    /// What the pieces leave of the published figure.
    Rest,
    /// Against peers: mean of products ≠ product of means.
    Spread,
}

#[derive(Debug, Clone)]
pub(crate) struct Term {
    pub kind: TermKind,
    /// The municipality's value of the piece, and the comparison's (the
    /// arithmetic or geometric mean, by the split).
    pub own: Option<f64>,
    pub comparison: Option<f64>,
    /// Its share of the gap, in the total's unit.
    pub contribution: f64,
}

/// A gap split: the comparison's level, and the terms that add up to the gap.
#[derive(Debug, Clone)]
pub(crate) struct Decomposition {
    pub comparison: f64,
    pub terms: Vec<Term>,
}

impl Decomposition {
    pub(crate) fn gap(&self, own: f64) -> f64 {
        own - self.comparison
    }
}

/// Why a gap is not split.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Unsplit {
    /// The municipality lacks these pieces in the year.
    Missing(Vec<String>),
    /// The pieces are this share away from the published figure.
    Identity(f64),
    /// No place in the comparison has every piece.
    NoComparison,
    /// The arithmetic gives no finite number (a chain file's constants far
    /// out of range): nothing is said rather than "NaN" or "inf".
    NotFinite,
}

/// A doubt about the user count behind a cost per user.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Flag {
    UsersJump { kpi: String, before: f64, now: f64 },
    FewTimed { kpi: String, timed: f64, users: f64 },
}

/// One chain in one year for one municipality.
#[derive(Debug, Clone)]
pub(crate) struct Split {
    pub year: i32,
    /// The published total.
    pub own: f64,
    /// The comparison's mean of the published total (its places with every piece).
    pub comparison: Option<f64>,
    /// In kronor against the arithmetic mean, and in logs against the geometric.
    pub kr: Result<Decomposition, Unsplit>,
    pub log: Option<Decomposition>,
    /// Places compared (with every piece), of those asked; those left out.
    pub compared: usize,
    pub asked: usize,
    pub left_out: Vec<String>,
    pub flags: Vec<Flag>,
    /// The year starts a new method: do not read it against the years before.
    pub series_break: bool,
}

/// The pieces of a chain for one place and year.
struct Pieces {
    total: f64,
    /// Factor or part values, then the rest (a ratio for a product, an
    /// amount for a sum).
    values: Vec<f64>,
}

/// `offset + scale × Σ numerator / Σ denominator`, or the missing ids.
fn factor_value(
    values: &Values,
    f: &ChainFactor,
    place: &str,
    year: i32,
) -> Result<f64, Vec<String>> {
    let sum = |ids: &[String]| -> Result<f64, Vec<String>> {
        let found: Vec<Option<f64>> = ids
            .iter()
            .map(|id| values.get(&(id.clone(), place.to_string(), year)).copied())
            .collect();
        let missing: Vec<String> = ids
            .iter()
            .zip(&found)
            .filter(|(_, v)| v.is_none())
            .map(|(id, _)| id.clone())
            .collect();
        if missing.is_empty() {
            Ok(found.into_iter().flatten().sum())
        } else {
            Err(missing)
        }
    };
    let numerator = sum(&f.numerator);
    let denominator = if f.denominator.is_empty() {
        Ok(1.0)
    } else {
        sum(&f.denominator)
    };
    match (numerator, denominator) {
        (Ok(n), Ok(d)) if d != 0.0 => Ok(f.offset + f.scale * n / d),
        (Ok(_), Ok(_)) => Err(f.denominator.clone()),
        (n, d) => {
            let mut missing = n.err().unwrap_or_default();
            missing.extend(d.err().unwrap_or_default());
            Err(missing)
        }
    }
}

/// A split whose every number is finite; otherwise why it is not given.
fn finite(split: Decomposition) -> Result<Decomposition, Unsplit> {
    let numbers =
        std::iter::once(split.comparison).chain(split.terms.iter().map(|t| t.contribution));
    if numbers.into_iter().all(f64::is_finite) {
        Ok(split)
    } else {
        Err(Unsplit::NotFinite)
    }
}

/// A chain's pieces for a place and year; the missing ids, or how far the
/// pieces are from the total when that is beyond the chain's tolerance.
fn pieces(chain: &Chain, values: &Values, place: &str, year: i32) -> Result<Pieces, Unsplit> {
    let total = values
        .get(&(chain.total.clone(), place.to_string(), year))
        .copied()
        .ok_or_else(|| Unsplit::Missing(vec![chain.total.clone()]))?;
    let mut found = Vec::new();
    let mut missing = Vec::new();
    let mut push = |value: Result<f64, Vec<String>>| match value {
        Ok(v) => found.push(v),
        Err(ids) => missing.extend(ids),
    };
    match &chain.form {
        Form::Product { factors, .. } => factors
            .iter()
            .for_each(|f| push(factor_value(values, f, place, year))),
        Form::Sum { parts } => parts.iter().for_each(|p| {
            push(
                values
                    .get(&(p.kpi.clone(), place.to_string(), year))
                    .copied()
                    .ok_or_else(|| vec![p.kpi.clone()]),
            )
        }),
    }
    if !missing.is_empty() {
        missing.dedup();
        return Err(Unsplit::Missing(missing));
    }
    // The rest, and how far the pieces are from the published figure.
    let (rest, off) = match &chain.form {
        Form::Product { constant, .. } => {
            let product = constant * found.iter().product::<f64>();
            if product == 0.0 || total == 0.0 {
                return Err(Unsplit::Identity(f64::INFINITY));
            }
            (total / product, product / total - 1.0)
        }
        Form::Sum { .. } => {
            let rest = total - found.iter().sum::<f64>();
            (rest, if total == 0.0 { 0.0 } else { -rest / total })
        }
    };
    if !(rest.is_finite() && off.is_finite() && found.iter().all(|v| v.is_finite())) {
        return Err(Unsplit::NotFinite);
    }
    if chain.tolerance.is_some_and(|t| off.abs() > t) {
        return Err(Unsplit::Identity(off));
    }
    found.push(rest);
    Ok(Pieces {
        total,
        values: found,
    })
}

/// The chain for `place` in each of `years`, against the comparison; a
/// year without the published total is left out.
pub(crate) fn explain(
    chain: &Chain,
    values: &Values,
    place: &str,
    against: &Against,
    years: &[i32],
) -> Vec<Split> {
    years
        .iter()
        .filter_map(|&year| split_year(chain, values, place, against, year))
        .collect()
}

fn split_year(
    chain: &Chain,
    values: &Values,
    place: &str,
    against: &Against,
    year: i32,
) -> Option<Split> {
    split_against_year(chain, values, place, against, (year, year))
}

/// A chain's change from the year before for `place`: the same split, its
/// own figures of the year before the comparison. None across a new
/// method or where a piece is missing.
pub(crate) fn change_split(
    chain: &Chain,
    values: &Values,
    place: &str,
    year: i32,
) -> Option<Decomposition> {
    if chain.breaks.contains(&year) {
        return None;
    }
    let against = Against::Place(place.to_string());
    split_against_year(chain, values, place, &against, (year, year - 1))?
        .kr
        .ok()
}

/// The change of a set's chain from the year before, by kind of factor: a
/// product's factors directly; a sum's parts through the set's product
/// chain for each part, where there is one (N20007 = N21009 + N23005 +
/// other: home care's and special housing's coverage and cost per user).
pub(crate) fn change_by_kind(
    set: &ChainSet,
    chain: &Chain,
    values: &Values,
    place: &str,
    year: i32,
) -> Option<Change> {
    let split = change_split(chain, values, place, year)?;
    let now = values
        .get(&(chain.total.clone(), place.to_string(), year))
        .copied()?;
    let mut change = Change {
        year,
        before: split.comparison,
        now,
        by_kind: Vec::new(),
        other: 0.0,
    };
    let mut add = |kind: Option<FactorKind>, amount: f64| match kind {
        Some(kind) => match change.by_kind.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, sum)) => *sum += amount,
            None => change.by_kind.push((kind, amount)),
        },
        None => change.other += amount,
    };
    for term in &split.terms {
        match (term.kind, &chain.form) {
            (TermKind::Factor(i), Form::Product { factors, .. }) => {
                add(Some(factors[i].kind), term.contribution)
            }
            (TermKind::Part(i), Form::Sum { parts }) => {
                let inner = set
                    .chains
                    .iter()
                    .find(|c| c.total == parts[i].kpi && matches!(c.form, Form::Product { .. }))
                    .and_then(|c| change_split(c, values, place, year).map(|d| (c, d)));
                match inner {
                    Some((inner_chain, d)) => {
                        for t in &d.terms {
                            let kind = match (t.kind, &inner_chain.form) {
                                (TermKind::Factor(j), Form::Product { factors, .. }) => {
                                    Some(factors[j].kind)
                                }
                                _ => None,
                            };
                            add(kind, t.contribution);
                        }
                    }
                    None => add(None, term.contribution),
                }
            }
            _ => add(None, term.contribution),
        }
    }
    Some(change)
}

/// A chain split for `place` in `years.0` against the comparison's
/// figures of `years.1` (the same year against peers, the year before
/// against itself).
fn split_against_year(
    chain: &Chain,
    values: &Values,
    place: &str,
    against: &Against,
    years: (i32, i32),
) -> Option<Split> {
    let (year, comparison_year) = years;
    let own_total = values
        .get(&(chain.total.clone(), place.to_string(), year))
        .copied()?;
    let asked: Vec<String> = match against {
        Against::Peers(peers) => peers.clone(),
        Against::Place(id) => vec![id.clone()],
    };
    let mut complete: Vec<Pieces> = Vec::new();
    let mut left_out = Vec::new();
    for other in &asked {
        match pieces(chain, values, other, comparison_year) {
            Ok(p) => complete.push(p),
            Err(_) => left_out.push(other.clone()),
        }
    }
    let comparison = (!complete.is_empty())
        .then(|| complete.iter().map(|p| p.total).sum::<f64>() / complete.len() as f64);
    let own = pieces(chain, values, place, year);
    let kr = match (&own, complete.is_empty()) {
        (Err(why), _) => Err(why.clone()),
        (Ok(_), true) => Err(Unsplit::NoComparison),
        (Ok(own), false) => finite(arithmetic(chain, own, &complete, against)),
    };
    let log = match (&own, &chain.form) {
        (Ok(own), Form::Product { .. }) if !complete.is_empty() => geometric(own, &complete),
        _ => None,
    };
    Some(Split {
        year,
        own: own_total,
        comparison,
        kr,
        log,
        compared: complete.len(),
        asked: asked.len(),
        left_out,
        flags: flags(chain, values, place, year),
        series_break: chain.breaks.contains(&year),
    })
}

/// The term kinds of a chain's pieces, in order, the rest last.
fn kinds(chain: &Chain) -> Vec<TermKind> {
    let mut kinds: Vec<TermKind> = match &chain.form {
        Form::Product { factors, .. } => (0..factors.len()).map(TermKind::Factor).collect(),
        Form::Sum { parts } => (0..parts.len()).map(TermKind::Part).collect(),
    };
    kinds.push(TermKind::Rest);
    kinds
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    sum / n as f64
}

/// The split in kronor against the arithmetic means.
fn arithmetic(chain: &Chain, own: &Pieces, others: &[Pieces], against: &Against) -> Decomposition {
    let n = own.values.len();
    let means: Vec<f64> = (0..n)
        .map(|i| mean(others.iter().map(|p| p.values[i])))
        .collect();
    let comparison = mean(others.iter().map(|p| p.total));
    let contributions = match &chain.form {
        Form::Product { constant, .. } => shapley(*constant, &own.values, &means),
        Form::Sum { .. } => own.values.iter().zip(&means).map(|(o, m)| o - m).collect(),
    };
    let mut terms: Vec<Term> = kinds(chain)
        .into_iter()
        .zip(contributions.iter())
        .enumerate()
        .map(|(i, (kind, contribution))| Term {
            kind,
            own: Some(own.values[i]),
            comparison: Some(means[i]),
            contribution: *contribution,
        })
        .collect();
    if let (Form::Product { constant, .. }, Against::Peers(_)) = (&chain.form, against) {
        terms.push(Term {
            kind: TermKind::Spread,
            own: None,
            comparison: None,
            contribution: constant * means.iter().product::<f64>() - comparison,
        });
    }
    Decomposition { comparison, terms }
}

/// Each factor's Shapley share of `constant × (Π own − Π means)`: the
/// change from the comparison's factors to the municipality's, averaged
/// over every order of changing them. Adds up to the whole exactly.
fn shapley(constant: f64, own: &[f64], means: &[f64]) -> Vec<f64> {
    let n = own.len();
    let value = |set: usize| -> f64 {
        constant
            * (0..n)
                .map(|i| {
                    if set & (1 << i) != 0 {
                        own[i]
                    } else {
                        means[i]
                    }
                })
                .product::<f64>()
    };
    let factorial = |k: usize| (1..=k).map(|x| x as f64).product::<f64>();
    (0..n)
        .map(|i| {
            (0..(1usize << n))
                .filter(|set| set & (1 << i) == 0)
                .map(|set| {
                    let size = set.count_ones() as usize;
                    let weight = factorial(size) * factorial(n - size - 1) / factorial(n);
                    weight * (value(set | (1 << i)) - value(set))
                })
                .sum()
        })
        .collect()
}

/// The split in logs against the geometric means, each term in kronor
/// with the log-mean weight; none where a figure is not above zero.
fn geometric(own: &Pieces, others: &[Pieces]) -> Option<Decomposition> {
    let positive = |p: &Pieces| p.total > 0.0 && p.values.iter().all(|v| *v > 0.0);
    if !positive(own) || !others.iter().all(positive) {
        return None;
    }
    let n = own.values.len();
    let geometric_mean =
        |pick: &dyn Fn(&Pieces) -> f64| mean(others.iter().map(|p| pick(p).ln())).exp();
    let means: Vec<f64> = (0..n).map(|i| geometric_mean(&|p| p.values[i])).collect();
    let comparison = geometric_mean(&|p| p.total);
    let log_gap = (own.total / comparison).ln();
    // The log-mean of the two levels; the level itself where they are equal.
    let weight = if log_gap.abs() < 1e-12 {
        own.total
    } else {
        (own.total - comparison) / log_gap
    };
    let terms = (0..n)
        .map(|i| Term {
            kind: if i + 1 == n {
                TermKind::Rest
            } else {
                TermKind::Factor(i)
            },
            own: Some(own.values[i]),
            comparison: Some(means[i]),
            contribution: weight * (own.values[i] / means[i]).ln(),
        })
        .collect();
    Some(Decomposition { comparison, terms })
}

/// Doubts about the user count: a jump from the year before, or few
/// time-registered users.
fn flags(chain: &Chain, values: &Values, place: &str, year: i32) -> Vec<Flag> {
    let get = |kpi: &str, year: i32| {
        values
            .get(&(kpi.to_string(), place.to_string(), year))
            .copied()
    };
    let mut flags = Vec::new();
    let Some(users) = &chain.users else {
        return flags;
    };
    if let (Some(now), Some(before)) = (get(users, year), get(users, year - 1)) {
        if before > 0.0 && (now / before - 1.0).abs() > USERS_JUMP {
            flags.push(Flag::UsersJump {
                kpi: users.clone(),
                before,
                now,
            });
        }
    }
    if let (Some(timed_kpi), Some(users_now)) = (&chain.timed_users, get(users, year)) {
        if let Some(timed) = get(timed_kpi, year) {
            if users_now > 0.0 && timed / users_now < TIMED_SHARE {
                flags.push(Flag::FewTimed {
                    kpi: timed_kpi.clone(),
                    timed,
                    users: users_now,
                });
            }
        }
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_split_that_is_not_finite_is_not_given() {
        let split = |contribution| Decomposition {
            comparison: 100.0,
            terms: vec![Term {
                kind: TermKind::Rest,
                own: None,
                comparison: None,
                contribution,
            }],
        };
        assert!(finite(split(5.0)).is_ok());
        assert_eq!(finite(split(f64::NAN)).err(), Some(Unsplit::NotFinite));
        assert_eq!(finite(split(f64::INFINITY)).err(), Some(Unsplit::NotFinite));
    }

    #[test]
    fn shapley_of_two_factors_is_the_midpoint_split() {
        // coverage (u − ū)(c + c̄)/2, cost (c − c̄)(u + ū)/2.
        let (u, c, um, cm) = (4.5, 400_000.0, 6.9, 410_000.0);
        let parts = shapley(0.01, &[u, c], &[um, cm]);
        assert!((parts[0] - 0.01 * (u - um) * (c + cm) / 2.0).abs() < 1e-6);
        assert!((parts[1] - 0.01 * (c - cm) * (u + um) / 2.0).abs() < 1e-6);
        // Three factors: still the whole difference of the products.
        let parts = shapley(1.0, &[2.0, 3.0, 5.0], &[1.0, 4.0, 2.0]);
        assert!((parts.iter().sum::<f64>() - (30.0 - 8.0)).abs() < 1e-12);
    }
}
