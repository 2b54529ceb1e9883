//! The comparison: a municipality against its peers and the whole country,
//! computed on the national ranks with polars.
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
//!
//! What each scale allows is decided by [`Scale`]'s own rules, here turned
//! into polars expressions.

use anyhow::Result;
use polars::prelude::*;

use super::categories::label_categories;
use super::cells::Cells;
use super::kpi::Comparison;
use super::national::NationalRanks;
use crate::base::text::{difference, without_noise};
use crate::model::scale::Scale;

/// The export columns, in order (new columns are added at the end, so
/// scripts that read by position keep working).
pub(crate) const COLUMNS: [&str; 37] = [
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
    "direction",
    "position",
    "national_total",
    "few_values",
    "group_value",
    "rolling_mean",
    "base_count",
    "small_numbers",
];

/// The tidy comparison table, one row per KPI and year (see [`COLUMNS`]),
/// from the set's national ranks.
pub(crate) fn compare(comparison: &Comparison, national: &NationalRanks) -> Result<DataFrame> {
    let ranked = national.ranked.clone().lazy();
    let on = [col("kpi"), col("year")];
    let left = JoinArgs::new(JoinType::Left);
    let (peer_stats, peer_rank) = among_peers(comparison, ranked.clone())?;
    let (own_now, own_before) = own_figures(comparison, ranked.clone());
    let national_n = ranked.group_by(on.clone()).agg([len().alias("national_n")]);
    let group_values = match &comparison.group_values {
        Some(values) => values.clone().lazy(),
        None => df!("kpi" => Vec::<&str>::new(), "year" => Vec::<i32>::new(), "group_value" => Vec::<f64>::new())?.lazy(),
    };
    let counts = match &comparison.counts {
        Some(counts) => counts.clone().lazy(),
        None => df!(
            "kpi" => Vec::<&str>::new(),
            "year" => Vec::<i32>::new(),
            "base_count" => Vec::<f64>::new(),
            "small_below" => Vec::<f64>::new()
        )?
        .lazy(),
    };
    let total = comparison.total as u32;
    let mut columns: Vec<Expr> = COLUMNS.iter().map(|c| col(*c)).collect();
    columns.push(col("previous_value"));
    let table = cells(comparison)?
        .lazy()
        .join(own_now, on.clone(), on.clone(), left.clone())
        .join(own_before, on.clone(), on.clone(), left.clone())
        .join(peer_stats, on.clone(), on.clone(), left.clone())
        .join(peer_rank, on.clone(), on.clone(), left.clone())
        .join(national_n, on.clone(), on.clone(), left.clone())
        .join(group_values, on.clone(), on.clone(), left.clone())
        .join(counts, on.clone(), on, left)
        .with_columns([
            // Null where the set names no count for the KPI, or Kolada has none.
            col("base_count")
                .lt(col("small_below"))
                .and(col("value").is_not_null())
                .alias("small_numbers"),
            lit(comparison.municipality.id.as_str()).alias("municipality_id"),
            lit(comparison.municipality.title.as_str()).alias("municipality"),
            lit(national.gender.code()).alias("gender"),
            col("peer_n").fill_null(lit(0)).cast(DataType::UInt32),
            col("national_n").fill_null(lit(0)).cast(DataType::UInt32),
            lit(total).alias("national_total"),
        ])
        .with_column(few_values_expr(total).alias("few_values"))
        .with_columns(scale_rules())
        .sort_by_exprs([col("order"), col("year")], SortMultipleOptions::default())
        .select(columns)
        .collect()?;
    let table = exact_figures(table)?;
    label_categories(comparison, &national.values, table)
}

/// [`few_values`] as an expression on `national_n`.
fn few_values_expr(total: u32) -> Expr {
    let n = col("national_n").cast(DataType::Float64);
    n.clone()
        .lt(lit(10.0))
        .or((n * lit(3.0)).lt(lit(f64::from(total) * 2.0)))
}

/// The figures nyckeltal computes, without binary noise: the change on
/// last year and the deviation from the peers' mean as exact decimal
/// differences (-2.5912, not -2.5911999999999997), where they are computed
/// at all; means, medians, percentiles and percentages to 12 significant
/// digits. Kolada's own figures are left as published; the working column
/// `previous_value` dropped.
fn exact_figures(mut table: DataFrame) -> Result<DataFrame> {
    for name in [
        "peer_mean",
        "peer_median",
        "national_percentile",
        "deviation_from_peer_mean_pct",
        "change_from_previous_year_pct",
    ] {
        let clean: Float64Chunked = table.column(name)?.f64()?.apply_values(without_noise);
        table.with_column(Column::new(name.into(), clean))?;
    }
    exact_difference(&mut table, "deviation_from_peer_mean", "peer_mean")?;
    exact_difference(&mut table, "change_from_previous_year", "previous_value")?;
    table.drop_in_place("previous_value")?;
    Ok(table)
}

/// `column` (value − `base`, where computed) as the exact decimal difference.
fn exact_difference(table: &mut DataFrame, column: &str, base: &str) -> Result<()> {
    let value = table.column("value")?.f64()?.clone();
    let base = table.column(base)?.f64()?.clone();
    let computed = table.column(column)?.f64()?.clone();
    let exact: Vec<Option<f64>> = computed
        .iter()
        .zip(value.iter().zip(base.iter()))
        .map(|(computed, (value, base))| {
            computed.and(value.zip(base)).map(|(v, b)| difference(b, v))
        })
        .collect();
    table.with_column(Column::new(column.into(), exact))?;
    Ok(())
}

/// Per KPI and year, the peers' statistics (never the municipality
/// itself), and the municipality's rank among itself and its peers.
fn among_peers(comparison: &Comparison, ranked: LazyFrame) -> Result<(LazyFrame, LazyFrame)> {
    let municipality = comparison.municipality;
    let on = [col("kpi"), col("year")];
    // Who is in each KPI's peer group (the municipality marked, for ranks among peers).
    let mut member_kpi = Vec::new();
    let mut member_id = Vec::new();
    let mut member_is_self = Vec::new();
    for kpi in comparison.kpis {
        for id in kpi.peers.members.iter().chain([&municipality.id]) {
            member_kpi.push(kpi.id.as_str());
            member_id.push(id.as_str());
            member_is_self.push(*id == municipality.id);
        }
    }
    let membership =
        df!("kpi" => member_kpi, "municipality_id" => member_id, "is_self" => member_is_self)?;
    let group = ranked.join(
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
                .over(on)?
                .alias("rank_in_peers"),
        )
        .filter(col("is_self"))
        .select([col("kpi"), col("year"), col("rank_in_peers")]);
    Ok((peer_stats, peer_rank))
}

/// The municipality's own value, ranks and band per KPI and year, and its
/// value of the year before (for the change).
fn own_figures(comparison: &Comparison, ranked: LazyFrame) -> (LazyFrame, LazyFrame) {
    let own = ranked.filter(col("municipality_id").eq(lit(comparison.municipality.id.as_str())));
    let own_now = own.clone().select([
        col("kpi"),
        col("year"),
        col("value"),
        col("rank_national"),
        col("national_percentile"),
        col("band"),
        col("position"),
    ]);
    let own_before = own.select([
        col("kpi"),
        (col("year") + lit(1)).alias("year"),
        col("value").alias("previous_value"),
    ]);
    (own_now, own_before)
}

/// One cell per KPI and reported year, whether or not anybody has a value.
fn cells(comparison: &Comparison) -> Result<DataFrame> {
    let mut cell_kpi = Vec::new();
    let mut cell_order = Vec::new();
    let mut cell_title = Vec::new();
    let mut cell_group = Vec::new();
    let mut cell_year = Vec::new();
    let mut cell_preliminary = Vec::new();
    let mut cell_scale = Vec::new();
    let mut cell_unit = Vec::new();
    let mut cell_break = Vec::new();
    let mut cell_direction = Vec::new();
    let mut cell_rolling = Vec::new();
    for (order, kpi) in comparison.kpis.iter().enumerate() {
        for &year in comparison.years {
            cell_direction.push(kpi.direction.name());
            cell_rolling.push(kpi.rolling.is_some());
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
    Ok(df!(
        "kpi" => cell_kpi,
        "order" => cell_order,
        "kpi_title" => cell_title,
        "peer_group" => cell_group,
        "year" => cell_year,
        "preliminary" => cell_preliminary,
        "scale" => cell_scale,
        "unit" => cell_unit,
        "series_break" => cell_break,
        "direction" => cell_direction,
        "rolling_mean" => cell_rolling,
    )?)
}

/// Whether the row's scale has `rule`, as an expression.
fn scale_is(rule: fn(Scale) -> bool) -> Expr {
    Scale::ALL
        .into_iter()
        .filter(|s| rule(*s))
        .map(|s| col("scale").eq(lit(s.name())))
        .fold(lit(false), |a, b| a.or(b))
}

/// What each scale allows (README, "Definitions"): ranks and bands for
/// ranked scales, means and differences for numbers, relative differences
/// for amounts, no change across a break.
fn scale_rules() -> Vec<Expr> {
    let ranked = scale_is(Scale::ranked);
    let relative = scale_is(Scale::relative);
    let numeric = scale_is(Scale::numeric);
    let only = |allowed: Expr, figure: Expr| when(allowed).then(figure).otherwise(lit(NULL));
    // A share of a base that is above zero; empty otherwise.
    let pct = |part: Expr, base: Expr| {
        when(base.clone().gt(lit(0.0)))
            .then(part * lit(100.0) / base)
            .otherwise(lit(NULL))
    };
    // No change across a break, nor on a moving mean (it overlaps the year before).
    let unbroken = col("series_break").not().and(col("rolling_mean").not());
    // A rank among the peers needs a peer with a figure.
    let among_others = ranked.clone().and(col("peer_n").gt(lit(0)));
    let banded = ranked.clone().and(col("few_values").not());
    vec![
        only(among_others, col("rank_in_peers"))
            .cast(DataType::UInt32)
            .alias("rank_in_peers"),
        only(ranked.clone(), col("rank_national"))
            .cast(DataType::UInt32)
            .alias("rank_national"),
        only(ranked.clone(), col("national_percentile")).alias("national_percentile"),
        // Means of a total are of the municipalities' sizes: none.
        only(ranked.clone(), col("peer_mean")).alias("peer_mean"),
        only(ranked.clone(), col("peer_median")).alias("peer_median"),
        only(ranked.clone(), col("peer_min")).alias("peer_min"),
        only(ranked.clone(), col("peer_max")).alias("peer_max"),
        only(ranked.clone(), col("value") - col("peer_mean")).alias("deviation_from_peer_mean"),
        only(ranked.clone(), col("group_value")).alias("group_value"),
        only(
            relative.clone(),
            pct(col("value") - col("peer_mean"), col("peer_mean")),
        )
        .alias("deviation_from_peer_mean_pct"),
        only(
            numeric.and(unbroken.clone()),
            col("value") - col("previous_value"),
        )
        .alias("change_from_previous_year"),
        only(
            relative.and(unbroken),
            pct(col("value") - col("previous_value"), col("previous_value")),
        )
        .alias("change_from_previous_year_pct"),
        when(col("value").is_null())
            .then(lit("grey"))
            .when(ranked.clone().not())
            .then(lit("none"))
            .when(col("few_values"))
            .then(lit("few"))
            .otherwise(col("band"))
            .alias("band"),
        only(banded.and(col("value").is_not_null()), col("position")).alias("position"),
        lit(NULL).cast(DataType::String).alias("value_label"),
        lit(NULL).cast(DataType::String).alias("peer_levels"),
        lit(NULL).cast(DataType::String).alias("national_levels"),
    ]
}

/// The KPIs of a comparison table (see [`COLUMNS`]) for which the source
/// has no figure at all in the years shown: no municipality in the country
/// has a value. Documents leave them out of their tables and say so, rather
/// than show a row of blanks.
pub(crate) fn kpis_without_figures(table: &DataFrame) -> Vec<String> {
    let cells = Cells(table);
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
