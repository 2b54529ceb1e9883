//! The comparison: a municipality against its peers and the whole country,
//! computed on the long frame with polars.
//!
//! Definitions (also in the README):
//! - peer statistics use the peers that have a value, never the municipality itself;
//! - ranks are competition ranks (ties share the better rank), 1 = best in
//!   the KPI's direction (neutral KPIs: 1 = highest);
//! - `national_percentile` = share of the other municipalities with a value
//!   that are strictly worse, in percent (100 = best in the country);
//! - `band`: green when rank_national ≤ 25% of national_n, red when
//!   rank_national > 75% of national_n, yellow between (thirds with
//!   `--bands thirds`); grey when the municipality has no value; none for
//!   neutral KPIs.

use anyhow::Result;
use std::collections::HashMap;

use polars::prelude::*;

use crate::model::{Gender, Municipality, Observation};
use crate::peers::Peers;
use crate::refdata::{Direction, Scale};

/// One KPI of a comparison, with what it needs besides the figures.
#[derive(Debug, Clone)]
pub struct KpiPlan {
    pub id: String,
    pub title: String,
    pub label: String,
    pub unit: String,
    pub direction: Direction,
    pub scale: Scale,
    /// First years of a new method: no change is computed across them.
    pub breaks: Vec<i32>,
    /// For a category: the label of each code (index = code).
    pub levels: Vec<String>,
    pub peers: Peers,
    /// The year that is still preliminary today, if any.
    pub preliminary_year: Option<i32>,
}

impl KpiPlan {
    /// Whether differences are percentage points (a percent, or a signed figure in %).
    pub fn in_points(&self) -> bool {
        self.scale == Scale::Percent || (self.scale == Scale::Signed && self.unit.trim() == "%")
    }

    /// Whether `year` starts a new method (its change from the year before is not computed).
    pub fn breaks_at(&self, year: i32) -> bool {
        self.breaks.contains(&year)
    }

    /// The label of a category's value; `None` for other scales or an unknown code.
    pub fn level_label(&self, value: f64) -> Option<&str> {
        if self.scale != Scale::Category || value.fract() != 0.0 || value < 0.0 {
            return None;
        }
        self.levels.get(value as usize).map(String::as_str)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bands {
    Quartiles,
    Thirds,
}

impl Bands {
    fn share(self) -> f64 {
        match self {
            Bands::Quartiles => 0.25,
            Bands::Thirds => 1.0 / 3.0,
        }
    }
}

pub struct Comparison<'a> {
    pub municipality: &'a Municipality,
    pub gender: Gender,
    /// The years to report; the year before the first is used for changes.
    pub years: Vec<i32>,
    pub kpis: Vec<KpiPlan>,
    pub bands: Bands,
}

/// The export columns, in order (new columns are added at the end, so
/// scripts that read by position keep working).
pub const COLUMNS: [&str; 29] = [
    "kpi",
    "kpi_title",
    "municipality_id",
    "municipality",
    "year",
    "gender",
    "peer_group",
    "value",
    "peer_n",
    "peer_mean",
    "peer_median",
    "peer_min",
    "peer_max",
    "rank_in_peers",
    "rank_national",
    "national_n",
    "national_percentile",
    "deviation_from_peer_mean",
    "deviation_from_peer_mean_pct",
    "change_from_previous_year",
    "change_from_previous_year_pct",
    "band",
    "preliminary",
    "scale",
    "unit",
    "value_label",
    "peer_levels",
    "national_levels",
    "series_break",
];

/// `kpi, municipality_id, year, value` for the given gender, values only.
pub fn values_frame(observations: &[Observation], gender: Gender) -> Result<DataFrame> {
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
pub fn national(
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
            .when(rank.gt(n * lit(1.0 - bands.share())))
            .then(lit("red"))
            .otherwise(lit("yellow"))
            .alias("band"),
    ]))
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

/// The tidy comparison table, one row per KPI and year (see [`COLUMNS`]).
/// `values` as from [`values_frame`]: all municipalities, the reported years
/// and the year before.
pub fn compare(comparison: &Comparison, values: DataFrame) -> Result<DataFrame> {
    let municipality = comparison.municipality;
    let directions: Vec<(String, Direction)> = comparison
        .kpis
        .iter()
        .map(|k| (k.id.clone(), k.direction))
        .collect();
    let levels_source = values.clone();
    let national = national(values.lazy(), &directions, comparison.bands)?.cache();
    let on = [col("kpi"), col("year")];
    let left = JoinArgs::new(JoinType::Left);

    // Who is in each KPI's peer group (the municipality marked, for ranks among peers).
    let mut member_kpi = Vec::new();
    let mut member_id = Vec::new();
    let mut member_is_self = Vec::new();
    for kpi in &comparison.kpis {
        for id in kpi.peers.members.iter().chain([&municipality.id]) {
            member_kpi.push(kpi.id.as_str());
            member_id.push(id.as_str());
            member_is_self.push(*id == municipality.id);
        }
    }
    let membership =
        df!("kpi" => member_kpi, "municipality_id" => member_id, "is_self" => member_is_self)?;
    let group = national.clone().join(
        membership.lazy(),
        [col("kpi"), col("municipality_id")],
        [col("kpi"), col("municipality_id")],
        JoinArgs::new(JoinType::Inner),
    );
    let peer_stats = group
        .clone()
        .filter(col("is_self").not())
        .group_by(on.clone())
        .agg([
            len().alias("peer_n"),
            col("value").mean().alias("peer_mean"),
            col("value").median().alias("peer_median"),
            col("value").min().alias("peer_min"),
            col("value").max().alias("peer_max"),
        ]);
    let best_first = RankOptions {
        method: RankMethod::Min,
        descending: true,
    };
    let peer_rank = group
        .with_column(
            (col("value") * col("sign"))
                .rank(best_first, None)
                .over(on.clone())?
                .alias("rank_in_peers"),
        )
        .filter(col("is_self"))
        .select([col("kpi"), col("year"), col("rank_in_peers")]);

    let own = national
        .clone()
        .filter(col("municipality_id").eq(lit(municipality.id.as_str())));
    let own_now = own.clone().select([
        col("kpi"),
        col("year"),
        col("value"),
        col("rank_national"),
        col("national_percentile"),
        col("band"),
    ]);
    let own_before = own.select([
        col("kpi"),
        (col("year") + lit(1)).alias("year"),
        col("value").alias("previous_value"),
    ]);
    let national_n = national
        .group_by(on.clone())
        .agg([len().alias("national_n")]);

    // One cell per KPI and reported year, whether or not anybody has a value.
    let mut cell_kpi = Vec::new();
    let mut cell_order = Vec::new();
    let mut cell_title = Vec::new();
    let mut cell_group = Vec::new();
    let mut cell_year = Vec::new();
    let mut cell_preliminary = Vec::new();
    let mut cell_scale = Vec::new();
    let mut cell_unit = Vec::new();
    let mut cell_break = Vec::new();
    for (order, kpi) in comparison.kpis.iter().enumerate() {
        for &year in &comparison.years {
            cell_kpi.push(kpi.id.as_str());
            cell_order.push(order as u32);
            cell_title.push(kpi.title.as_str());
            cell_group.push(kpi.peers.label.as_str());
            cell_year.push(year);
            cell_preliminary.push(kpi.preliminary_year == Some(year));
            cell_scale.push(kpi.scale.name());
            cell_unit.push(kpi.unit.as_str());
            cell_break.push(kpi.breaks_at(year));
        }
    }
    let cells = df!(
        "kpi" => cell_kpi,
        "order" => cell_order,
        "kpi_title" => cell_title,
        "peer_group" => cell_group,
        "year" => cell_year,
        "preliminary" => cell_preliminary,
        "scale" => cell_scale,
        "unit" => cell_unit,
        "series_break" => cell_break,
    )?;

    // What each scale allows (README, "Definitions").
    let scale_is = |scales: &[Scale]| {
        scales
            .iter()
            .map(|s| col("scale").eq(lit(s.name())))
            .reduce(|a, b| a.or(b))
            .expect("at least one scale")
    };
    let ranked = scale_is(&[Scale::Amount, Scale::Percent, Scale::Signed]);
    let relative = scale_is(&[Scale::Amount]);
    let category = scale_is(&[Scale::Category]);
    let only = |allowed: Expr, figure: Expr| when(allowed).then(figure).otherwise(lit(NULL));
    // A share of a base that is above zero; empty otherwise.
    let pct = |part: Expr, base: Expr| {
        when(base.clone().gt(lit(0.0)))
            .then(part * lit(100.0) / base)
            .otherwise(lit(NULL))
    };
    let table = cells
        .lazy()
        .join(own_now, on.clone(), on.clone(), left.clone())
        .join(own_before, on.clone(), on.clone(), left.clone())
        .join(peer_stats, on.clone(), on.clone(), left.clone())
        .join(peer_rank, on.clone(), on.clone(), left.clone())
        .join(national_n, on.clone(), on, left)
        .with_columns([
            lit(municipality.id.as_str()).alias("municipality_id"),
            lit(municipality.title.as_str()).alias("municipality"),
            lit(comparison.gender.code()).alias("gender"),
            col("peer_n").fill_null(lit(0)).cast(DataType::UInt32),
            col("national_n").fill_null(lit(0)).cast(DataType::UInt32),
            only(ranked.clone(), col("rank_in_peers"))
                .cast(DataType::UInt32)
                .alias("rank_in_peers"),
            only(ranked.clone(), col("rank_national"))
                .cast(DataType::UInt32)
                .alias("rank_national"),
            only(ranked.clone(), col("national_percentile")).alias("national_percentile"),
            // A category's codes are not numbers to average.
            only(category.clone().not(), col("peer_mean")).alias("peer_mean"),
            only(category.clone().not(), col("peer_median")).alias("peer_median"),
            only(category.clone().not(), col("peer_min")).alias("peer_min"),
            only(category.clone().not(), col("peer_max")).alias("peer_max"),
            only(category.clone().not(), col("value") - col("peer_mean"))
                .alias("deviation_from_peer_mean"),
            only(
                relative.clone(),
                pct(col("value") - col("peer_mean"), col("peer_mean")),
            )
            .alias("deviation_from_peer_mean_pct"),
            // No change across a break in the series.
            only(
                category.not().and(col("series_break").not()),
                col("value") - col("previous_value"),
            )
            .alias("change_from_previous_year"),
            only(
                relative.and(col("series_break").not()),
                pct(col("value") - col("previous_value"), col("previous_value")),
            )
            .alias("change_from_previous_year_pct"),
            when(col("value").is_null())
                .then(lit("grey"))
                .when(ranked.not())
                .then(lit("none"))
                .otherwise(col("band"))
                .alias("band"),
            lit(NULL).cast(DataType::String).alias("value_label"),
            lit(NULL).cast(DataType::String).alias("peer_levels"),
            lit(NULL).cast(DataType::String).alias("national_levels"),
        ])
        .sort_by_exprs([col("order"), col("year")], SortMultipleOptions::default())
        .select(COLUMNS.iter().map(|c| col(*c)).collect::<Vec<_>>())
        .collect()?;
    label_categories(comparison, &levels_source, table)
}

/// The KPIs of a comparison table (see [`COLUMNS`]) for which the source
/// has no figure at all in the years shown: no municipality in the country
/// has a value. Documents leave them out of their tables and say so, rather
/// than show a row of blanks.
pub fn kpis_without_figures(table: &DataFrame) -> Vec<String> {
    let cells = crate::view::Cells(table);
    let mut seen: Vec<(String, bool)> = Vec::new();
    for row in 0..table.height() {
        let kpi = cells.text("kpi", row);
        let has =
            cells.f64("value", row).is_some() || cells.int("national_n", row).unwrap_or(0) > 0;
        match seen.iter_mut().find(|(k, _)| *k == kpi) {
            Some(entry) => entry.1 |= has,
            None => seen.push((kpi, has)),
        }
    }
    seen.into_iter()
        .filter(|(_, has)| !has)
        .map(|(k, _)| k)
        .collect()
}

/// For category KPIs: the label of the municipality's value, and how many
/// peers and municipalities in the country are at each level ("Breddinfört
/// 6; Testverksamhet 4; Nej 3", highest code first).
fn label_categories(
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
    // (kpi, year) → counts per code, among the peers and in the country.
    let mut counts: HashMap<(&str, i32), (Vec<u32>, Vec<u32>)> = HashMap::new();
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
    let cells = crate::view::Cells(&table);
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

/// One KPI over the years: the municipality's value, the peers' mean (and
/// how many peers had a value) and the national median.
pub fn trend(comparison: &Comparison, values: DataFrame) -> Result<DataFrame> {
    let medians = medians(&values)?;
    let table = compare(comparison, values)?;
    Ok(table
        .lazy()
        .select([
            col("kpi"),
            col("municipality"),
            col("year"),
            col("value"),
            col("peer_n"),
            col("peer_mean"),
            col("series_break"),
        ])
        .join(
            medians.lazy(),
            [col("kpi"), col("year")],
            [col("kpi"), col("year")],
            JoinArgs::new(JoinType::Left),
        )
        .sort(["year"], SortMultipleOptions::default())
        .collect()?)
}

/// The national median per KPI and year (all municipalities with a value).
pub fn medians(values: &DataFrame) -> Result<DataFrame> {
    Ok(values
        .clone()
        .lazy()
        .group_by([col("kpi"), col("year")])
        .agg([col("value").median().alias("national_median")])
        .collect()?)
}
