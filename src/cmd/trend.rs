//! `nyckeltal trend MUNICIPALITY --kpi ID [--peers P] [--years A-B] [-o FILE.svg|.png|.csv]`
//!
//! One KPI over the years: the municipality, the mean of its peers and the
//! national median, as a table, as numbers (.csv, .json, .xlsx, .parquet)
//! or as a chart (.svg, .png).

use anyhow::Result;

use crate::analysis::trend::trend_table;

use crate::base::write::write_to;
use crate::cli::flags::{GlobalArgs, TrendArgs};
use crate::cli::session::with_context;
use crate::document::provenance::processed_lines;
use crate::model::years::parse_years;
use crate::ops::trend::{chart, check_one_kpi, follow, Asked};
use crate::render::charts::ChartFormat;
use crate::render::exports::{emit, Target};

/// A chart for `-o FILE.svg` or `.png`; otherwise the numbers.
enum Output {
    Chart(ChartFormat),
    Numbers(Target),
}

pub(crate) fn run(args: &TrendArgs, global: &GlobalArgs) -> Result<()> {
    let extension = args
        .output
        .as_ref()
        .and_then(|p| p.extension())
        .and_then(|e| e.to_str())
        .map(str::to_lowercase);
    let output = match extension.as_deref() {
        Some("svg") => Output::Chart(ChartFormat::Svg),
        Some("png") => Output::Chart(ChartFormat::Png),
        _ => Output::Numbers(Target::new(
            args.format.map(|f| f.export()),
            args.output.clone(),
            false,
        )?),
    };
    check_one_kpi(&args.kpi)?;
    let asked = Asked {
        municipality: &args.municipality,
        kpi: &args.kpi,
        peers: &args.peers.peers,
        years: args.years.as_deref().map(parse_years).transpose()?,
        gender: args.gender.gender(),
    };
    with_context(global, |cx| {
        let trend = follow(asked, cx)?;
        let kpi = &trend.kpi;
        let mut footer = vec![format!(
            "Peers ({}): {} municipalities",
            kpi.peers.label,
            kpi.peers.members.len()
        )];
        footer.extend(processed_lines(cx.catalogue.source()));
        match output {
            Output::Chart(format) => {
                let bytes = chart(&trend, global.lang().unwrap_or_default(), format)?;
                write_to(args.output.as_deref(), |out| Ok(out.write_all(&bytes)?))
            }
            Output::Numbers(target) => emit(&trend_table(&trend.table), &target, &footer),
        }
    })
}
