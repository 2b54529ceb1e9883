//! `nyckeltal trend MUNICIPALITY --kpi ID [--peers P] [--years A-B] [-o FILE.svg|.png|.csv]`
//!
//! One KPI over the years: the municipality, the mean of its peers and the
//! national median, as a table, as numbers (.csv, .json, .xlsx, .parquet)
//! or as a chart (.svg, .png).

use anyhow::Result;

use crate::base::write::write_to;
use crate::cli::flags::{GlobalArgs, TrendArgs};
use crate::cli::session::{notes, with_context};
use crate::model::years::parse_years;
use crate::ops::trend::{chart, follow, Asked};
use crate::output::charts::ChartFormat;
use crate::output::exports::{emit, Target};
use crate::output::provenance::processed_lines;

pub(crate) fn run(args: &TrendArgs, global: &GlobalArgs) -> Result<()> {
    let extension = args
        .output
        .as_ref()
        .and_then(|p| p.extension())
        .and_then(|e| e.to_str())
        .map(str::to_lowercase);
    let chart_format = match extension.as_deref() {
        Some("svg") => Some(ChartFormat::Svg),
        Some("png") => Some(ChartFormat::Png),
        _ => None,
    };
    let target = match chart_format {
        Some(_) => None,
        None => Some(Target::new(
            args.format.map(|f| f.export()),
            args.output.clone(),
            false,
        )?),
    };
    let asked = Asked {
        municipality: &args.municipality,
        kpi: &args.kpi,
        peers: &args.peers.peers,
        years: args.years.as_deref().map(parse_years).transpose()?,
        gender: args.gender.gender(),
    };
    with_context(global, |cx| {
        let mut trend = follow(asked, cx)?;
        notes(global, &trend.notes);
        let kpi = &trend.kpi;
        let mut footer = vec![format!(
            "Peers ({}): {} municipalities",
            kpi.peers.label,
            kpi.peers.members.len()
        )];
        footer.extend(processed_lines(cx.catalogue.source()));
        match (chart_format, target) {
            (Some(format), _) => {
                let bytes = chart(&trend, global.lang().unwrap_or_default(), format)?;
                write_to(args.output.as_deref(), |out| Ok(out.write_all(&bytes)?))
            }
            (None, Some(target)) => emit(&mut trend.table, &target, &footer),
            (None, None) => Ok(()),
        }
    })
}
