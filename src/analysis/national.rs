//! Every municipality ranked in the country, per KPI and year: computed
//! once for a set's figures, then read by every comparison of it.

use std::collections::HashMap;

use anyhow::Result;

use super::kpi::Bands;
use crate::model::scale::Direction;
use crate::model::{Gender, Observation};

/// A set's figures ranked in the country: the values (the municipalities
/// to rank, normally all 290, the reported years and the year before) and
/// per KPI, year and municipality its national rank, percentile and band.
pub(crate) struct NationalRanks {
    pub gender: Gender,
    /// The figures ranked: of the one gender, each with a value.
    pub values: Vec<Observation>,
    ranked: Ranked,
}

/// Where a place's rank puts it, by the set's direction: among the best
/// quarter (or third), the middle, the worst; or none of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RankBand {
    Green,
    Yellow,
    Red,
    /// Too few places have a figure for a band to mean anything.
    Few,
    /// The place has no figure.
    NoValue,
    /// A KPI without a direction, a total or a category: not banded.
    Unbanded,
}

impl RankBand {
    /// The code in the exports' `band` column.
    pub(crate) fn code(self) -> &'static str {
        match self {
            RankBand::Green => "green",
            RankBand::Yellow => "yellow",
            RankBand::Red => "red",
            RankBand::Few => "few",
            RankBand::NoValue => "grey",
            RankBand::Unbanded => "none",
        }
    }
}

/// Where a place's value stands in the country, highest first, whatever
/// the direction: no judgement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Position {
    Low,
    Middle,
    High,
}

impl Position {
    /// The code in the exports' `position` column.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Position::Low => "low",
            Position::Middle => "middle",
            Position::High => "high",
        }
    }
}

/// A hash map with a fast, non-cryptographic hasher: ranking the country
/// hashes every value's KPI, year and place (4.5 million in the dump).
pub(crate) type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// Per KPI and year, every ranked place's standing.
pub(crate) type Ranked = FastMap<(String, i32), FastMap<String, Standing>>;

/// One place's standing in the country for a KPI and year.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Standing {
    pub value: f64,
    /// The value signed by the KPI's direction: higher is better.
    pub score: f64,
    /// 1 + how many score better (competition rank, 1 = best).
    pub rank_national: u32,
    /// How many places have a value.
    pub national_n: u32,
    /// Share of the others that score strictly worse, in percent.
    pub national_percentile: Option<f64>,
    pub band: RankBand,
    pub position: Position,
}

impl NationalRanks {
    /// Rank `observations` of one gender by each KPI's direction
    /// (`directions`: kpi → direction).
    pub(crate) fn new(
        observations: &[Observation],
        gender: Gender,
        directions: &[(String, Direction)],
        bands: Bands,
    ) -> Result<NationalRanks> {
        let values: Vec<Observation> = observations
            .iter()
            .filter(|o| o.gender == gender && o.value.is_some())
            .cloned()
            .collect();
        let ranked = national(value_rows(&values), directions, bands);
        Ok(NationalRanks {
            gender,
            values,
            ranked,
        })
    }

    /// A place's standing for a KPI and year, when it has a value.
    pub(crate) fn standing(&self, kpi: &str, year: i32, place: &str) -> Option<&Standing> {
        self.ranked.get(&(kpi.to_string(), year))?.get(place)
    }

    /// The places with a value for a KPI and year.
    pub(crate) fn places(&self, kpi: &str, year: i32) -> impl Iterator<Item = &str> {
        self.ranked
            .get(&(kpi.to_string(), year))
            .into_iter()
            .flat_map(|places| places.keys().map(String::as_str))
    }

    /// How many places have a value for a KPI and year.
    pub(crate) fn count(&self, kpi: &str, year: i32) -> u32 {
        self.ranked
            .get(&(kpi.to_string(), year))
            .map_or(0, |places| places.len() as u32)
    }
}

/// The figures of `values` that have one: (kpi, place, year, value).
pub(crate) fn value_rows(values: &[Observation]) -> impl Iterator<Item = (&str, &str, i32, f64)> {
    values
        .iter()
        .filter_map(|o| Some((o.kpi.as_str(), o.entity.as_str(), o.year, o.value?)))
}

/// Every municipality's national rank, percentile and band per KPI and
/// year. `values` holds the municipalities to rank (normally all 290);
/// `directions` maps kpi → direction (a KPI without one is not ranked).
/// Ranks are counted from the sorted scores of each KPI and year.
pub(crate) fn national<'v>(
    values: impl Iterator<Item = (&'v str, &'v str, i32, f64)>,
    directions: &[(String, Direction)],
    bands: Bands,
) -> Ranked {
    let direction: FastMap<&str, Direction> =
        directions.iter().map(|(k, d)| (k.as_str(), *d)).collect();
    // Per KPI and year: each place with its value and score.
    type Scored<'a> = Vec<(&'a str, f64, f64)>;
    let mut groups: FastMap<(&str, i32), Scored> = FastMap::default();
    for (kpi, place, year, value) in values {
        if let Some(d) = direction.get(kpi) {
            let score = value * d.sign();
            groups
                .entry((kpi, year))
                .or_default()
                .push((place, value, score));
        }
    }
    let share = bands.share();
    let mut ranked = Ranked::default();
    for ((kpi, year), places) in groups {
        let neutral = direction[kpi] == Direction::Neutral;
        let higher_is_better = direction[kpi].sign() > 0.0;
        let mut sorted: Vec<f64> = places.iter().map(|p| p.2).collect();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len() as u32;
        let nf = f64::from(n);
        let standings = places
            .into_iter()
            .map(|(place, value, score)| {
                let below = sorted.partition_point(|v| *v < score) as u32;
                let at_or_below = sorted.partition_point(|v| *v <= score) as u32;
                let rank = n - at_or_below + 1;
                let worse_plus_one = below + 1;
                // The rank by value, highest first, whatever the direction:
                // where the place stands (low, middle, high), no judgement.
                let by_value = f64::from(if higher_is_better {
                    rank
                } else {
                    worse_plus_one
                });
                let rank_f = f64::from(rank);
                let standing = Standing {
                    value,
                    score,
                    rank_national: rank,
                    national_n: n,
                    national_percentile: (n > 1)
                        .then(|| (f64::from(worse_plus_one) - 1.0) * 100.0 / (nf - 1.0)),
                    band: if neutral {
                        RankBand::Unbanded
                    } else if rank_f <= nf * share {
                        RankBand::Green
                    } else if rank_f > nf * (1.0 - share) {
                        RankBand::Red
                    } else {
                        RankBand::Yellow
                    },
                    position: if by_value <= nf * share {
                        Position::High
                    } else if by_value > nf * (1.0 - share) {
                        Position::Low
                    } else {
                        Position::Middle
                    },
                };
                (place.to_string(), standing)
            })
            .collect();
        ranked.insert((kpi.to_string(), year), standings);
    }
    ranked
}

/// Too few places have a figure for a band to mean anything: under ten, or
/// under two thirds of those ranked among (docs/readings-and-scales.md, "Definitions").
pub(crate) fn few_values(n: usize, total: usize) -> bool {
    n < 10 || n * 3 < total * 2
}

/// The national median per KPI and year (all municipalities with a value).
#[derive(Debug, Default)]
pub(crate) struct Medians(HashMap<(String, i32), f64>);

impl Medians {
    pub(crate) fn of(values: &[Observation]) -> Medians {
        let mut groups: HashMap<(&str, i32), Vec<f64>> = HashMap::new();
        for (kpi, _, year, value) in value_rows(values) {
            groups.entry((kpi, year)).or_default().push(value);
        }
        Medians(
            groups
                .into_iter()
                .filter_map(|((kpi, year), mut group)| {
                    Some(((kpi.to_string(), year), quantile(&mut group, 0.5)?))
                })
                .collect(),
        )
    }

    pub(crate) fn get(&self, kpi: &str, year: i32) -> Option<f64> {
        self.0.get(&(kpi.to_string(), year)).copied()
    }

    /// A KPI's medians by year, in order.
    pub(crate) fn series(&self, kpi: &str) -> Vec<(i32, f64)> {
        let mut series: Vec<(i32, f64)> = self
            .0
            .iter()
            .filter(|((k, _), _)| k == kpi)
            .map(|((_, year), median)| (*year, *median))
            .collect();
        series.sort_by_key(|(year, _)| *year);
        series
    }
}

/// The `q` quantile with linear interpolation, computed as polars does
/// (`lower + (idx − ⌊idx⌋)·(upper − lower)` at `idx = (n − 1)·q`), so the
/// figures match the exports made with it to the last digit.
pub(crate) fn quantile(values: &mut [f64], q: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let float_idx = (values.len() as f64 - 1.0) * q;
    let base = (float_idx as usize).min(values.len() - 1);
    let top = (float_idx.ceil() as usize).min(values.len() - 1);
    let (lower, upper) = (values[base], values[top]);
    Some(if base == top || lower == upper {
        lower
    } else {
        (float_idx - base as f64) * (upper - lower) + lower
    })
}
