//! Every municipality ranked in the country, per KPI and year: computed
//! once for a set's figures, then read by every comparison of it.

use std::collections::HashMap;

use anyhow::Result;
use polars::prelude::*;

use super::kpi::Bands;
use crate::model::scale::Direction;
use crate::model::{Gender, Observation};

/// A set's figures ranked in the country: the values (the municipalities
/// to rank, normally all 290, the reported years and the year before) and
/// per KPI, year and municipality its national rank, percentile and band.
pub(crate) struct NationalRanks {
    pub gender: Gender,
    pub values: DataFrame,
    pub ranked: DataFrame,
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
        let values = values_frame(observations, gender)?;
        let ranked = national(values.clone().lazy(), directions, bands)?.collect()?;
        Ok(NationalRanks {
            gender,
            values,
            ranked,
        })
    }
}

/// `kpi, municipality_id, year, value` for the given gender, values only.
pub(crate) fn values_frame(observations: &[Observation], gender: Gender) -> Result<DataFrame> {
    let rows: Vec<&Observation> = observations
        .iter()
        .filter(|o| o.gender == gender && o.value.is_some())
        .collect();
    Ok(df!(
        "kpi" => rows.iter().map(|o| o.kpi.as_str()).collect::<Vec<_>>(),
        "municipality_id" => rows.iter().map(|o| o.entity.as_str()).collect::<Vec<_>>(),
        "year" => rows.iter().map(|o| o.year).collect::<Vec<_>>(),
        "value" => rows.iter().map(|o| o.value).collect::<Vec<_>>(),
    )?)
}

/// Every municipality's national rank, percentile and band per KPI and year. `values` holds the municipalities to rank
/// (normally all 290); `directions` maps kpi → direction.
pub(crate) fn national(
    values: LazyFrame,
    directions: &[(String, Direction)],
    bands: Bands,
) -> Result<LazyFrame> {
    let signs = df!(
        "kpi" => directions.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
        "sign" => directions.iter().map(|(_, d)| d.sign()).collect::<Vec<_>>(),
        "neutral" => directions.iter().map(|(_, d)| *d == Direction::Neutral).collect::<Vec<_>>(),
        // A number per KPI, so groups are keyed by integers, not text.
        "kpi_no" => (0..directions.len() as u32).collect::<Vec<_>>(),
    )?;
    let n = col("national_n").cast(DataType::Float64);
    let rank = col("rank_national").cast(DataType::Float64);
    // The rank by value, highest first, whatever the direction: where the
    // municipality stands (low, middle, high), which is no judgement.
    let by_value = when(col("sign").gt(lit(0.0)))
        .then(col("rank_national"))
        .otherwise(col("worse_plus_one"))
        .cast(DataType::Float64);
    let mut joined = values
        .inner_join(signs.lazy(), col("kpi"), col("kpi"))
        .with_column((col("value") * col("sign")).alias("score"))
        .collect()?;
    add_national_ranks(&mut joined)?;
    Ok(joined.lazy().with_columns([
        when(col("national_n").gt(lit(1)))
            .then(
                (col("worse_plus_one").cast(DataType::Float64) - lit(1.0)) * lit(100.0)
                    / (n.clone() - lit(1.0)),
            )
            .otherwise(lit(NULL))
            .alias("national_percentile"),
        when(col("neutral"))
            .then(lit("none"))
            .when(rank.clone().lt_eq(n.clone() * lit(bands.share())))
            .then(lit("green"))
            .when(rank.gt(n.clone() * lit(1.0 - bands.share())))
            .then(lit("red"))
            .otherwise(lit("yellow"))
            .alias("band"),
        when(by_value.clone().lt_eq(n.clone() * lit(bands.share())))
            .then(lit("high"))
            .when(by_value.gt(n * lit(1.0 - bands.share())))
            .then(lit("low"))
            .otherwise(lit("middle"))
            .alias("position"),
    ]))
}

/// Too few places have a figure for a band to mean anything: under ten, or
/// under two thirds of those ranked among (README, "Definitions").
pub(crate) fn few_values(n: usize, total: usize) -> bool {
    n < 10 || n * 3 < total * 2
}

/// `rank_national` (1 + how many score better), `worse_plus_one` (1 + how
/// many score worse) and `national_n` per KPI and year. Counted from sorted
/// scores in each group: a window per column in polars costs several times
/// as much on the whole catalogue.
fn add_national_ranks(frame: &mut DataFrame) -> Result<()> {
    let kpi_no = frame.column("kpi_no")?.u32()?.clone();
    let year = frame.column("year")?.i32()?.clone();
    let score = frame.column("score")?.f64()?.clone();
    let mut groups: HashMap<(u32, i32), Vec<f64>> = HashMap::new();
    for ((k, y), s) in kpi_no.iter().zip(year.iter()).zip(score.iter()) {
        if let (Some(k), Some(y), Some(s)) = (k, y, s) {
            groups.entry((k, y)).or_default().push(s);
        }
    }
    for scores in groups.values_mut() {
        scores.sort_by(f64::total_cmp);
    }
    let height = frame.height();
    let (mut best, mut worse, mut count) = (
        Vec::with_capacity(height),
        Vec::with_capacity(height),
        Vec::with_capacity(height),
    );
    for ((k, y), s) in kpi_no.iter().zip(year.iter()).zip(score.iter()) {
        match (k, y, s) {
            (Some(k), Some(y), Some(s)) => {
                let sorted = &groups[&(k, y)];
                let below = sorted.partition_point(|v| *v < s) as u32;
                let at_or_below = sorted.partition_point(|v| *v <= s) as u32;
                let n = sorted.len() as u32;
                best.push(Some(n - at_or_below + 1));
                worse.push(Some(below + 1));
                count.push(Some(n));
            }
            _ => {
                best.push(None);
                worse.push(None);
                count.push(None);
            }
        }
    }
    frame.with_column(Column::new("rank_national".into(), best))?;
    frame.with_column(Column::new("worse_plus_one".into(), worse))?;
    frame.with_column(Column::new("national_n".into(), count))?;
    Ok(())
}

/// The national median per KPI and year (all municipalities with a value).
pub(crate) fn medians(values: &DataFrame) -> Result<DataFrame> {
    Ok(values
        .clone()
        .lazy()
        .group_by([col("kpi"), col("year")])
        .agg([col("value").median().alias("national_median")])
        .collect()?)
}
