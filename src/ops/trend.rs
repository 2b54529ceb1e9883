//! One KPI over the years: the municipality, the mean of its peers and the
//! national median, as numbers or as a chart.

use anyhow::Result;

use super::plan::{comparable, fetch_and_settle, plan_set, subject_peers, Request};
use super::Context;
use crate::analysis::kpi::{Bands, KpiPlan};
use crate::analysis::trend::{trend, trend_series, TrendRow};
use crate::base::error;
use crate::model::{Gender, Municipality};
use crate::render::charts::{kpi_trend, ChartFormat};

use crate::model::lang::Lang;

/// A KPI's trend, ready to show or draw.
pub(crate) struct Trend {
    pub municipality: Municipality,
    pub kpi: KpiPlan,
    /// The KPI's years, in order.
    pub table: Vec<TrendRow>,
}

/// What `trend` was asked.
pub(crate) struct Asked<'a> {
    pub municipality: &'a str,
    pub kpi: &'a str,
    pub peers: &'a str,
    pub years: Option<Vec<i32>>,
    pub gender: Gender,
}

/// A trend follows one KPI: an error for a list of them.
pub(crate) fn check_one_kpi(kpi: &str) -> Result<()> {
    if kpi.split(',').filter(|s| !s.trim().is_empty()).count() != 1 {
        return Err(error::usage(
            "trend follows one KPI: give a single id to --kpi",
        ));
    }
    Ok(())
}

/// The trend of one KPI (the latest ten years with figures by default).
pub(crate) fn follow(asked: Asked, cx: &Context) -> Result<Trend> {
    check_one_kpi(asked.kpi)?;
    let municipality = comparable(asked.municipality, cx)?;
    let request = Request {
        set: None,
        kpis: Some(asked.kpi),
        years: asked.years,
        default_years: 10,
        gender: asked.gender,
    };
    let mut plan = plan_set(&request, municipality.is_region(), cx)?;
    let peers = subject_peers(&municipality, asked.peers, &mut plan, cx)?;
    cx.notes.note(peers.note());
    let figures = fetch_and_settle(plan, Bands::Quartiles, true, cx)?;
    let kpis = figures.kpis_for(&peers)?;
    let comparison = figures.comparison(&municipality, &kpis);
    let table = trend(&comparison, &figures.national);
    let kpi = kpis
        .into_iter()
        .next()
        .ok_or_else(|| error::usage("trend follows one KPI: give a single id to --kpi"))?;
    Ok(Trend {
        municipality,
        kpi,
        table,
    })
}

/// The trend as a chart (SVG or PNG) in the documents' language; an error
/// for a category, whose codes make no line.
pub(crate) fn chart(trend: &Trend, lang: Lang, format: ChartFormat) -> Result<Vec<u8>> {
    let kpi = &trend.kpi;
    let series = |figure: fn(&TrendRow) -> Option<f64>| trend_series(&trend.table, &kpi.id, figure);
    let peers = [(&kpi.peers, series(|r| r.peer_mean))];
    kpi_trend(
        kpi,
        &trend.municipality.title,
        trend.municipality.is_region(),
        &peers,
        series(|r| r.value),
        series(|r| r.national_median),
        lang,
        format,
    )?
    .ok_or_else(|| {
        error::usage(format!(
            "{} is a category ({}): its codes make no line chart; write the numbers with -o FILE.csv",
            kpi.id,
            kpi.levels.join(", ")
        ))
    })
}
